//! casetag's integration tests, in one binary: one link instead of one per
//! file. Each module is a topic; `common` holds what they share (the sample
//! batch, keys spelled as strings, records on disk, pseudo-terminals, test
//! documents). `cargo test --test it -- render::` runs one topic.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

mod common;

mod cli_check;
mod cli_commands;
mod cli_generate;
mod cli_hostile;
mod conflict_scenario;
mod corpus;
mod export;
mod hostile_idle;
mod hostile_keymap;
mod hostile_links;
mod hostile_parse;
mod model_props;
mod pack_print;
mod pty;
mod pty_safety;
mod readers;
mod reading;
mod record_write;
mod reliability;
mod render;
mod safety;
mod scenario;
mod suggestions;
mod team_git;
mod texts;
mod triage;
