//! `casetag check DIR`.

use std::collections::BTreeMap;
use std::io::Write;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, mpsc};

use super::{CleanWriter, EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, Outcome, exit_code, line, or_exit};
use crate::batch::{Batch, Item, load_item, load_item_with, orphan_records, shared_records};
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

/// How many submissions a reader takes at a time.
const WINDOW: usize = 64;

/// How many windows may be read ahead of the one whose problems are written
/// next: what bounds the memory, whatever the batch's size.
const AHEAD: usize = 8;

/// Reads, checks and forgets each submission in turn, a window at a time, so
/// memory stays the same whatever the batch's size. The checks across files
/// (a record shared by two submissions, a record without a submission) need
/// only the files' names, known from the listing; the records without a
/// submission are looked for meanwhile.
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
    let full = |p: &PathBuf| load_item(p.clone(), taxonomy);
    let unparsed = |p: &PathBuf| load_unparsed(p, taxonomy);
    let load: &(dyn Fn(&PathBuf) -> Item + Sync) = if warnings { &full } else { &unparsed };
    let orphans = std::thread::scope(|scope| {
        let orphans = scope.spawn(|| orphan_records(dir, paths.iter().map(PathBuf::as_path)));
        read_in_order(&paths, load, |w, items| {
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
        });
        // reading the folder does not panic; if it did, it is a bug and
        // goes on as the panic it was
        orphans
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e))
    });
    for p in orphans {
        line(out, &p);
        problems += 1;
    }
    for copy in &listing.conflict_copies {
        line(out, crate::batch::copy_problem(copy));
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
        // warnings are not problems, but "no problems" under them reads as
        // if they had not been printed
        let warned = match warning_lines.len() {
            0 => String::new(),
            k => format!(", {}", casetag_core::text::count(k, "warning", "warnings")),
        };
        let _ = writeln!(err, "{checked} checked, no problems{warned}{skipped}");
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

/// One item as far as `check` without warnings reports it: the submission's
/// errors and sha256 ([`read_submission_unparsed`]) and the record in full.
/// The same problems as [`load_item`]'s, at a fraction of the cost: the
/// layouts, fields and principles that a submission's warnings come from are
/// not looked for.
fn load_unparsed(path: &Path, taxonomy: &Taxonomy) -> Item {
    load_item_with(path.to_path_buf(), |p| {
        read_submission_unparsed(p, taxonomy)
    })
}

/// What a reader hands over: a window's items, or the panic it met.
type Read = std::thread::Result<Vec<Item>>;

/// Reads `paths` with `load` on every core and hands the items to `each` a
/// window at a time, in order, with the window's number. Each reader takes
/// the next window as soon as it is done with one (none waits for the
/// slowest of the others), but never more than [`AHEAD`] windows past the
/// one `each` needs next.
fn read_in_order(
    paths: &[PathBuf],
    load: &(dyn Fn(&PathBuf) -> Item + Sync),
    mut each: impl FnMut(usize, Vec<Item>),
) {
    let windows: Vec<&[PathBuf]> = paths.chunks(WINDOW).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || windows.len() < 2 {
        for (w, window) in windows.iter().enumerate() {
            each(w, window.iter().map(load).collect());
        }
        return;
    }
    let next = AtomicUsize::new(0);
    let (items_tx, items_rx) = mpsc::channel::<(usize, Read)>();
    // a token per window that may be read ahead; given back as each is handed over
    let (tokens_tx, tokens_rx) = mpsc::sync_channel::<()>(AHEAD);
    for _ in 0..AHEAD {
        let _ = tokens_tx.send(());
    }
    let tokens_rx = Mutex::new(tokens_rx);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (items_tx, tokens_rx, next, windows) =
                (items_tx.clone(), &tokens_rx, &next, &windows);
            scope.spawn(move || {
                loop {
                    if !tokens_rx.lock().is_ok_and(|rx| rx.recv().is_ok()) {
                        break;
                    }
                    let w = next.fetch_add(1, Ordering::Relaxed);
                    let Some(window) = windows.get(w) else {
                        break;
                    };
                    let read = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        window.iter().map(load).collect::<Vec<Item>>()
                    }));
                    if items_tx.send((w, read)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(items_tx);
        // Owned here, so that leaving this closure (the end, or a reader's
        // panic passed on) lets the readers waiting for a token stop.
        let mut tokens_tx = Some(tokens_tx);
        let mut early: BTreeMap<usize, Vec<Item>> = BTreeMap::new();
        let mut expected = 0;
        for (w, read) in items_rx {
            // the readers do not panic on any input; if one did, it is a bug
            // and goes on as the panic it was
            early.insert(w, read.unwrap_or_else(|e| std::panic::resume_unwind(e)));
            while let Some(items) = early.remove(&expected) {
                each(expected, items);
                expected += 1;
                if expected == windows.len() {
                    tokens_tx = None;
                }
                if let Some(tx) = &tokens_tx {
                    let _ = tx.send(());
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

    use super::*;
    use crate::problem::Problem;

    fn item(path: &Path) -> Item {
        load_item_with(path.to_path_buf(), |p| Err(Problem::file(p, "not read")))
    }

    #[test]
    fn windows_come_in_order_and_never_too_far_ahead() {
        let paths: Vec<PathBuf> = (0..WINDOW * 40 + 7)
            .map(|i| PathBuf::from(format!("{i:05}.md")))
            .collect();
        let read = AtomicUsize::new(0);
        let load = |p: &PathBuf| {
            read.fetch_add(1, Ordering::SeqCst);
            item(p)
        };
        let mut handed = 0usize;
        let mut seen = Vec::new();
        let mut most_ahead = 0;
        read_in_order(&paths, &load, |w, items| {
            assert_eq!(w * WINDOW, handed, "window {w} out of order");
            handed += items.len();
            most_ahead = most_ahead.max(read.load(Ordering::SeqCst) - handed);
            seen.extend(items.into_iter().map(|i| i.path));
            // give the readers time to run ahead, if they could
            std::thread::sleep(std::time::Duration::from_micros(200));
        });
        assert_eq!(seen, paths);
        assert!(
            most_ahead <= AHEAD * WINDOW,
            "{most_ahead} items read ahead of those handed over"
        );
    }

    #[test]
    fn a_reader_that_panics_is_a_panic_not_a_hang() {
        let paths: Vec<PathBuf> = (0..WINDOW * 20)
            .map(|i| PathBuf::from(format!("{i:05}.md")))
            .collect();
        let load = |p: &PathBuf| {
            if p == Path::new("00300.md") {
                panic!("a bug in a reader");
            }
            item(p)
        };
        let caught = std::panic::catch_unwind(AssertUnwindSafe(|| {
            read_in_order(&paths, &load, |_, _| {});
        }));
        assert!(caught.is_err());
    }
}
