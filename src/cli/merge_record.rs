//! `casetag merge-record BASE OURS THEIRS PATH`: git's merge driver for
//! records (`%O %A %B %P`), field by field.

use std::io::Write;
use std::path::Path;

use super::{CleanWriter, EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, Outcome, exit_code, or_exit, report};
use crate::fs::{ReadError, read_regular, write_atomic};
use crate::problem::Problem;
use crate::record::{MAX_RECORD_BYTES, Record, merge};
use crate::taxonomy::Taxonomy;

/// Merges the three versions of the record `path` and writes the result over
/// `ours` (atomically), as git expects of a merge driver. Exit 0: merged
/// cleanly; 1: conflicts, ours kept for those fields and both versions in the
/// record's `[conflict]` table; 2: a version cannot be read (file and line
/// named), and `ours` is left as it was.
pub fn merge_record(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    path: &str,
    taxonomy: &Taxonomy,
    err: &mut dyn Write,
) -> i32 {
    let err = &mut CleanWriter::new(err);
    exit_code(run([base, ours, theirs], path, taxonomy, err))
}

/// Reads one version: an empty file (git's base when the two sides added the
/// record separately) is an empty record.
fn read(file: &Path, which: &str, path: &str) -> Result<Record, String> {
    let why = |p: Problem| format!("cannot merge {path}: {which} version {p}");
    let bytes = match read_regular(file, MAX_RECORD_BYTES) {
        Ok(Some(b)) => b,
        Ok(None) => return Err(why(Problem::file(file, "does not exist"))),
        Err(ReadError::TooLarge { .. }) => {
            return Err(why(Problem::file(
                file,
                format!(
                    "is larger than the {} KiB limit for a record",
                    MAX_RECORD_BYTES / 1024
                ),
            )));
        }
        Err(e) => return Err(why(Problem::file(file, e.to_string()))),
    };
    let text = std::str::from_utf8(&bytes).map_err(|e| {
        let lossy = String::from_utf8_lossy(&bytes);
        why(Problem::at_offset(
            file,
            &lossy,
            e.valid_up_to(),
            "not valid UTF-8",
        ))
    })?;
    Record::parse(text, file).map(|p| p.record).map_err(why)
}

/// The merge of the three versions, `[base, ours, theirs]`.
fn run(versions: [&Path; 3], path: &str, taxonomy: &Taxonomy, err: &mut dyn Write) -> Outcome {
    let [base, ours, theirs] = versions;
    let b = or_exit(read(base, "the common", path), EXIT_ERROR, err)?;
    let o = or_exit(read(ours, "our", path), EXIT_ERROR, err)?;
    let t = or_exit(read(theirs, "their", path), EXIT_ERROR, err)?;
    let merged = merge(Some(&b), &o, &t, taxonomy);
    let text = merged.record.to_toml();
    or_exit(
        write_atomic(ours, text.as_bytes())
            .map_err(|e| format!("cannot write the merged {path} to {}: {e}", ours.display())),
        EXIT_ERROR,
        err,
    )?;
    for key in &merged.kept_ours {
        report(
            err,
            format_args!(
                "{path}: both sides changed {key}, which casetag does not know; ours is kept"
            ),
        );
    }
    if merged.conflicts.is_empty() {
        return Ok(EXIT_OK);
    }
    let fields: Vec<&str> = merged.conflicts.iter().map(|c| c.field.as_str()).collect();
    report(
        err,
        format_args!(
            "{path}: both sides changed {} differently; ours is kept and both versions are in \
             its [conflict] table: open the batch in casetag to pick one per field",
            fields.join(", ")
        ),
    );
    Ok(EXIT_PROBLEMS)
}
