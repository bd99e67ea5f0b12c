//! `casetag stats DIR`.

use std::io::Write;
use std::path::Path;

use super::{CleanWriter, EXIT_OK, Outcome, exit_code, line, load_batch};
use crate::sanitize::escape_json;
use crate::stats::{Acceptance, Comparison, Stats};
use crate::taxonomy::Taxonomy;

/// `casetag stats DIR [--json]`.
pub fn stats(
    dir: &Path,
    taxonomy: &Taxonomy,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let (out, err) = (&mut CleanWriter::new(out), &mut CleanWriter::new(err));
    exit_code(run(dir, taxonomy, json, out, err))
}

fn run(
    dir: &Path,
    taxonomy: &Taxonomy,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let batch = load_batch(dir, taxonomy, err)?;
    let stats = Stats::compute(&batch, taxonomy);
    let kept = Acceptance::compute(&batch, taxonomy);
    if json {
        let mut v = serde_json::to_value(&stats).unwrap_or_default();
        if let Some(obj) = v.as_object_mut() {
            obj.insert(
                "items_per_hour".into(),
                serde_json::json!(stats.items_per_hour()),
            );
            obj.insert(
                "suggestions_kept".into(),
                serde_json::to_value(kept).unwrap_or_default(),
            );
        }
        let _ = writeln!(
            out,
            "{}",
            escape_json(&serde_json::to_string_pretty(&v).unwrap_or_default())
        );
    } else {
        let _ = write!(out, "{}\n{}", stats.to_text(), kept.to_text());
    }
    Ok(EXIT_OK)
}

/// `casetag stats DIR --compare OTHER [--json]`: how far the officers who
/// tagged the same submissions in the two folders agree.
pub fn compare(
    dir: &Path,
    other: &Path,
    taxonomy: &Taxonomy,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let (out, err) = (&mut CleanWriter::new(out), &mut CleanWriter::new(err));
    exit_code(run_compare(dir, other, taxonomy, json, out, err))
}

fn run_compare(
    dir: &Path,
    other: &Path,
    taxonomy: &Taxonomy,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let a = load_batch(dir, taxonomy, err)?;
    let b = load_batch(other, taxonomy, err)?;
    let cmp = Comparison::compute(&a, &b, taxonomy);
    if json {
        let text = serde_json::to_string_pretty(&cmp).unwrap_or_default();
        let _ = writeln!(out, "{}", escape_json(&text));
    } else {
        let text = cmp.to_text(&dir.display().to_string(), &other.display().to_string());
        for l in text.lines() {
            line(out, l);
        }
    }
    Ok(EXIT_OK)
}
