//! `casetag check DIR`.

use std::io::Write;
use std::path::Path;

use super::{CleanWriter, EXIT_OK, EXIT_PROBLEMS, Outcome, exit_code, line, load_batch};
use crate::batch::Batch;
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

fn run(
    dir: &Path,
    taxonomy: &Taxonomy,
    warnings: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let batch = load_batch(dir, taxonomy, err)?;
    let problems = batch.problems(taxonomy);
    for p in &problems {
        line(out, p);
    }
    if warnings {
        write_warnings(&batch, out);
    }
    // Skipped files are not problems: said on stderr, beside the summary.
    for s in batch.skipped_problems() {
        let _ = writeln!(err, "{}", clean(&s.to_string()));
    }
    let n = batch.items.len();
    let skipped = match batch.skipped.len() {
        0 => String::new(),
        1 => ", 1 file skipped".to_string(),
        k => format!(", {k} files skipped"),
    };
    if problems.is_empty() {
        let _ = writeln!(err, "{n} submissions checked, no problems{skipped}");
        Ok(EXIT_OK)
    } else {
        let _ = writeln!(
            err,
            "{n} submissions checked, {} problem{}{skipped}",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        Ok(EXIT_PROBLEMS)
    }
}

/// `-W`: the warnings of every submission that could be read.
fn write_warnings(batch: &Batch, out: &mut dyn Write) {
    for item in &batch.items {
        if let Ok(s) = &item.submission {
            for w in &s.warnings {
                line(out, format_args!("{w} (warning)"));
            }
        }
    }
}
