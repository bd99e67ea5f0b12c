//! `casetag stats DIR`.

use std::io::Write;
use std::path::Path;

use super::{CleanWriter, EXIT_OK, Outcome, exit_code, line, load_batch};
use crate::batch::Batch;
use crate::sanitize::escape_json;
use crate::stats::{Acceptance, Comparison, Stats};
use crate::taxonomy::Taxonomy;

/// `casetag stats DIR [--json]`; with `compare`, `casetag stats DIR
/// --compare OTHER [--json]`: how far the officers who tagged the same
/// submissions in the two folders agree.
pub fn stats(
    dir: &Path,
    compare: Option<&Path>,
    taxonomy: &Taxonomy,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let (out, err) = (&mut CleanWriter::new(out), &mut CleanWriter::new(err));
    let mut run = || -> Outcome {
        let batch = load_batch(dir, taxonomy, err)?;
        match compare {
            None => write_stats(&batch, taxonomy, json, out),
            Some(other) => {
                let cmp = Comparison::compute(&batch, &load_batch(other, taxonomy, err)?, taxonomy);
                write_comparison(&cmp, [dir, other], json, out);
            }
        }
        Ok(EXIT_OK)
    };
    exit_code(run())
}

fn write_stats(batch: &Batch, taxonomy: &Taxonomy, json: bool, out: &mut dyn Write) {
    let stats = Stats::compute(batch, taxonomy);
    let kept = Acceptance::compute(batch, taxonomy);
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
}

/// The comparison of the batches in the folders `dirs`.
fn write_comparison(cmp: &Comparison, dirs: [&Path; 2], json: bool, out: &mut dyn Write) {
    if json {
        let text = serde_json::to_string_pretty(cmp).unwrap_or_default();
        let _ = writeln!(out, "{}", escape_json(&text));
    } else {
        let [a, b] = dirs.map(|d| d.display().to_string());
        for l in cmp.to_text(&a, &b).lines() {
            line(out, l);
        }
    }
}
