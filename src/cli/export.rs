//! `casetag export DIR --format csv|json|pack|docx|html`.

use std::io::Write;
use std::path::Path;

use super::{
    CleanWriter, EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, Outcome, exit_code, line, load_batch, report,
};
use crate::export::{ExportOptions, Format, render, select, summary, would_be_read_as_submission};
use crate::record::{Decision, write_atomic};
use crate::sanitize::escape_json;
use crate::taxonomy::Taxonomy;

/// `casetag export DIR --format csv|json|pack|docx|html [-o FILE] [--decision approve,needs-info,...] [--note] [--force] [--raw-cells]`
///
/// Exit code 0 when everything selected was exported, 1 when something was
/// skipped, 2 on an I/O or usage error (nothing written then).
///
/// The export itself is data and is written as it is (JSON escaped, so it
/// is safe to print); the messages on `err` are for people and cleaned.
pub fn export(
    dir: &Path,
    taxonomy: &Taxonomy,
    opts: &ExportOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let err = &mut CleanWriter::new(err);
    exit_code(run(dir, taxonomy, opts, out, err))
}

fn run(
    dir: &Path,
    taxonomy: &Taxonomy,
    opts: &ExportOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let batch = load_batch(dir, taxonomy, err)?;
    let decisions = if opts.decisions.is_empty() {
        vec![Decision::Approve]
    } else {
        opts.decisions.clone()
    };
    if opts.format.is_binary() && opts.output.is_none() {
        report(
            err,
            format_args!(
                "--format docx writes a Word file: give -o FILE (e.g. -o pack.docx), \
                 or -o - to send it to standard output"
            ),
        );
        return Err(EXIT_ERROR);
    }
    let selection = select(&batch, taxonomy, &decisions, opts.force);
    let mut bytes = match render(opts, &selection.entries, taxonomy) {
        Ok(b) => b,
        Err(e) => {
            report(err, format_args!("cannot make the Word document: {e}"));
            return Err(EXIT_ERROR);
        }
    };
    if opts.format == Format::Json {
        bytes = escape_json(&String::from_utf8_lossy(&bytes)).into_bytes();
    }
    let text = bytes;
    let target = opts.output.as_deref().filter(|p| p.as_os_str() != "-");
    match target {
        None => {
            if let Err(e) = out.write_all(&text).and_then(|()| out.flush()) {
                report(err, format_args!("cannot write the export: {e}"));
                return Err(EXIT_ERROR);
            }
        }
        Some(path) => {
            if let Some(what) = part_of_batch(path, &batch) {
                report(
                    err,
                    format_args!(
                        "refusing to write the export over {}: it is {what} of the batch being exported",
                        path.display()
                    ),
                );
                return Err(EXIT_ERROR);
            }
            if let Err(e) = write_output(path, &text) {
                report(err, format_args!("cannot write {}: {e}", path.display()));
                return Err(EXIT_ERROR);
            }
        }
    }
    for p in selection.skipped.iter().chain(&selection.warnings) {
        line(err, p);
    }
    if let Some(path) = target
        && would_be_read_as_submission(path, dir)
    {
        report(
            err,
            format_args!(
                "warning: {} is in the batch folder and will be read as a submission; \
                 write exports elsewhere",
                path.display()
            ),
        );
    }
    line(err, summary(&selection, target));
    Ok(if selection.skipped.is_empty() {
        EXIT_OK
    } else {
        EXIT_PROBLEMS
    })
}

/// Writes the export to `path`: a regular file (or a new one) is replaced
/// atomically; anything else that exists there (a device such as
/// `/dev/null`, a FIFO, a link to `/proc/self/fd/1`) is written into, never
/// replaced. A folder is refused.
fn write_output(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(std::io::Error::other("is a folder")),
        Ok(m) if !m.is_file() => {
            let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
            f.write_all(bytes)?;
            f.flush()
        }
        _ => write_atomic(path, bytes),
    }
}

/// "a submission" or "a record" when `path` is (or leads to) one of the
/// batch's own files.
fn part_of_batch(path: &Path, batch: &crate::batch::Batch) -> Option<&'static str> {
    let resolve = |p: &Path| -> Option<std::path::PathBuf> {
        if let Ok(c) = p.canonicalize() {
            return Some(c);
        }
        // Not there yet: its folder resolved, its name as given.
        let parent = match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        Some(parent.canonicalize().ok()?.join(p.file_name()?))
    };
    let target = resolve(path)?;
    for item in &batch.items {
        if resolve(&item.path).is_some_and(|p| p == target) {
            return Some("a submission");
        }
        if resolve(&item.record_path()).is_some_and(|p| p == target) {
            return Some("a record");
        }
    }
    None
}
