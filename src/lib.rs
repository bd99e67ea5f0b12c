//! casetag: review and tag CCIN case-study submissions.
//!
//! The core (everything but [`tui`]) knows nothing of the terminal: it reads the
//! taxonomy, submissions and records, validates them and holds the application
//! state. The terminal shell in [`tui`] only draws that state and turns key presses
//! into actions.
#![forbid(unsafe_code)]

pub mod app;
pub mod batch;
pub mod cli;
pub mod config;
pub mod demo;
pub mod export;
pub mod keymap;
pub mod note;
pub mod picker;
pub mod problem;
pub mod record;
pub mod sanitize;
pub mod state;
pub mod stats;
pub mod submission;
pub mod suggest;
pub mod taxonomy;
pub mod tui;
pub mod ui;
