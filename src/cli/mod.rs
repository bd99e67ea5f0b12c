//! The commands that work without the terminal program: `check`, `stats`,
//! `show`, `export`, `git-setup` and `merge-record`, one file per command family, and the exit codes.
//!
//! Each command writes its report to the given writers and returns the exit
//! code, so tests can run them in-process.
//!
//! Everything written for people goes through [`crate::sanitize`]: each line
//! naming a file or quoting one is written by [`line()`] (one line, controls made visible)
//! and the writers themselves are [`CleanWriter`]s, so no byte of a file's
//! name or contents reaches the terminal as a control. JSON is escaped by
//! [`crate::sanitize::escape_json`] instead, so it stays the exact data.

use std::fmt::Display;
use std::io::Write;
use std::path::Path;

pub use crate::sanitize::CleanWriter;

use crate::batch::Batch;
use crate::problem::Problem;
use crate::sanitize::clean;
use crate::taxonomy::Taxonomy;

mod check;
mod export;
mod generate;
mod git_setup;
mod merge_record;
mod show;
mod stats;

pub use check::check;
pub use export::export;
pub use generate::{Shell, closest_command, command_names, completions, man};
pub use git_setup::git_setup;
pub use merge_record::merge_record;
pub use show::{ShowAs, show, show_as, show_text};
pub use stats::stats;

/// Exit code: everything valid.
pub const EXIT_OK: i32 = 0;
/// Exit code: problems found.
pub const EXIT_PROBLEMS: i32 = 1;
/// Exit code: usage or I/O error.
pub const EXIT_ERROR: i32 = 2;

/// The outcome of a command: `Ok(code)` when it ran to its end, `Err(code)`
/// when it stopped early on an error it has already reported.
pub type Outcome = Result<i32, i32>;

/// The exit code of an [`Outcome`].
pub fn exit_code(outcome: Outcome) -> i32 {
    outcome.unwrap_or_else(|code| code)
}

/// Writes an error message in the one form casetag uses: `casetag: message`,
/// on one line, whatever file name or text it quotes.
pub fn report(err: &mut dyn Write, message: impl Display) {
    line(err, format_args!("casetag: {message}"));
}

/// Writes one line of a report: untrusted text in it (a file name, a quote
/// from a file) can neither break the line nor act on the terminal.
pub fn line(out: &mut dyn Write, text: impl Display) {
    let _ = writeln!(out, "{}", clean(&text.to_string()));
}

/// The value, or the error reported on `err` and `code` to leave with; used
/// with `?` so that every command states its failures once.
pub fn or_exit<T, E: Display>(r: Result<T, E>, code: i32, err: &mut dyn Write) -> Result<T, i32> {
    r.map_err(|e| {
        report(err, e);
        code
    })
}

/// Reads the batch in `dir`, or reports why it cannot be read.
pub fn load_batch(dir: &Path, taxonomy: &Taxonomy, err: &mut dyn Write) -> Result<Batch, i32> {
    or_exit(Batch::load(dir, taxonomy), EXIT_ERROR, err)
}

/// Loads `--taxonomy FILE` or the built-in one.
pub fn load_taxonomy(path: Option<&Path>) -> Result<Taxonomy, Problem> {
    match path {
        Some(p) => Taxonomy::load(p),
        None => Ok(Taxonomy::builtin()),
    }
}
