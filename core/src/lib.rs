//! The core of casetag: the taxonomy, submission parsing, records and their
#![forbid(unsafe_code)]
//! validation, suggestions, fuzzy picking, exports and the application model
//! with its [`keymap::Action`] vocabulary.
//!
//! This crate names no terminal or command-line crate; the `casetag` shell
//! turns terminal events into [`keymap::Key`]s and draws [`app::App`].

pub mod app;
pub mod batch;
pub mod config;
pub mod details;
pub mod document;
pub mod export;
pub mod fields;
pub mod fs;
pub mod keymap;
pub mod matching;
pub mod note;
pub mod picker;
pub mod problem;
pub mod record;
pub mod sanitize;
pub mod session;
pub mod stats;
pub mod submission;
pub mod suggest;
pub mod tags;
pub mod taxonomy;
pub mod text;
