//! `casetag check DIR`.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{CleanWriter, EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, Outcome, exit_code, line, or_exit};
use crate::batch::{Batch, Item, load_items, orphan_records, shared_records};
use crate::record::{RecordFile, record_path_for};
use crate::sanitize::clean;
use crate::submission::read_submission_unparsed;
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
        let items = if warnings {
            load_items(window.to_vec(), taxonomy)
        } else {
            load_unparsed(window, taxonomy)
        };
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

/// The items of `paths` as far as `check` without warnings reports them: the
/// submissions' errors and sha256 ([`read_submission_unparsed`]) and the
/// records in full, read on every core. The same problems as the items of
/// [`load_items`], at a fraction of the cost: the layouts, fields and
/// principles that a submission's warnings come from are not looked for.
fn load_unparsed(paths: &[PathBuf], taxonomy: &Taxonomy) -> Vec<Item> {
    let load = |path: &PathBuf| {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let submission = read_submission_unparsed(path, taxonomy);
        let (record, record_error) = match RecordFile::load(&record_path_for(path)) {
            Ok(r) => (r, None),
            Err(p) => (None, Some(p)),
        };
        Item {
            path: path.clone(),
            file_name,
            submission,
            record,
            record_error,
            batch_problems: Vec::new(),
        }
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || paths.len() < 64 {
        return paths.iter().map(load).collect();
    }
    let per = paths.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .chunks(per)
            .map(|chunk| scope.spawn(move || chunk.iter().map(load).collect::<Vec<Item>>()))
            .collect();
        let mut items = Vec::with_capacity(paths.len());
        for h in handles {
            // the readers do not panic on any input; if one did, it is a bug
            // and goes on as the panic it was
            items.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        items
    })
}
