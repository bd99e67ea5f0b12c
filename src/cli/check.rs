//! `casetag check DIR`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{CleanWriter, EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, Outcome, exit_code, line, or_exit};
use crate::batch::{Batch, load_items, orphan_records, shared_records};
use crate::sanitize::clean;
use crate::taxonomy::Taxonomy;

/// `casetag check DIR`: one line per problem; 0 when all valid, 1 when not.
pub fn check(
    dir: &Path,
    taxonomy: &Taxonomy,
    warnings: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let (out, err) = (&mut CleanWriter::new(out), &mut CleanWriter::new(err));
    exit_code(run(dir, taxonomy, warnings, out, err))
}

/// How many submissions are read at a time, on every core, before their
/// problems are written and they are forgotten.
const WINDOW: usize = 256;

/// Reads, checks and forgets each submission in turn, a window at a time, so
/// memory stays the same whatever the batch's size. The checks across files
/// (a record shared by two submissions, a record without a submission) need
/// only the files' names, known from the listing.
fn run(
    dir: &Path,
    taxonomy: &Taxonomy,
    warnings: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let listing = or_exit(Batch::listing(dir), EXIT_ERROR, err)?;
    let paths = listing.submissions;
    let mut shared = shared_records(paths.iter().map(PathBuf::as_path))
        .into_iter()
        .peekable();
    let mut problems = 0usize;
    // -W lists the warnings after the problems, as before
    let mut warning_lines = Vec::new();
    for (w, window) in paths.chunks(WINDOW).enumerate() {
        let items = load_items(window.to_vec(), taxonomy);
        for (k, mut item) in items.into_iter().enumerate() {
            let i = w * WINDOW + k;
            while let Some((_, p)) = shared.next_if(|(j, _)| *j == i) {
                item.batch_problems.push(p);
            }
            for p in item.problems(taxonomy) {
                line(out, &p);
                problems += 1;
            }
            if warnings && let Ok(s) = &item.submission {
                warning_lines.extend(s.warnings.iter().map(|w| format!("{w} (warning)")));
            }
        }
    }
    for p in orphan_records(dir, paths.iter().map(PathBuf::as_path)) {
        line(out, &p);
        problems += 1;
    }
    for w in &warning_lines {
        line(out, w);
    }
    // Skipped files are not problems: said on stderr, beside the summary.
    for s in &listing.skipped {
        let _ = writeln!(err, "{}", clean(&s.to_problem().to_string()));
    }
    let n = paths.len();
    let skipped = match listing.skipped.len() {
        0 => String::new(),
        1 => ", 1 file skipped".to_string(),
        k => format!(", {k} files skipped"),
    };
    if problems == 0 {
        let checked = casetag_core::text::count(n, "submission", "submissions");
        let _ = writeln!(err, "{checked} checked, no problems{skipped}");
        Ok(EXIT_OK)
    } else {
        let _ = writeln!(
            err,
            "{} checked, {}{skipped}",
            casetag_core::text::count(n, "submission", "submissions"),
            casetag_core::text::count(problems, "problem", "problems")
        );
        Ok(EXIT_PROBLEMS)
    }
}
