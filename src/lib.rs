//! casetag: review and tag CCIN case-study submissions.
//!
//! This crate is the terminal shell: the command line ([`cli`]), the event
//! loop ([`tui`]) and the drawing ([`ui`]). Everything else lives in
//! `casetag-core`, which knows nothing of the terminal; its modules are
//! re-exported here under their own names.
#![forbid(unsafe_code)]

pub use casetag_core::{
    app, batch, config, details, document, export, fields, fs, keymap, matching, note, picker,
    problem, record, sanitize, session, stats, submission, suggest, tags, taxonomy,
};

pub mod cli;
pub mod demo;
pub mod tui;
pub mod ui;
