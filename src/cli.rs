//! The commands that work without the terminal UI: `check`, `stats`, `show`.
//!
//! Each writes its report to the given writers and returns the exit code, so
//! tests can run them in-process.

use std::io::Write;
use std::path::Path;

use crate::batch::Batch;
use crate::export::{ExportOptions, render, select, summary, would_be_read_as_submission};
use crate::problem::Problem;
use crate::record::{Decision, write_atomic};
use crate::stats::Stats;
use crate::submission::{Submission, read_submission};
use crate::suggest::{Suggestions, suggest};
use crate::taxonomy::{Kind, Taxonomy};

/// Exit code: everything valid.
pub const EXIT_OK: i32 = 0;
/// Exit code: problems found.
pub const EXIT_PROBLEMS: i32 = 1;
/// Exit code: usage or I/O error.
pub const EXIT_ERROR: i32 = 2;

/// `casetag check DIR`: one line per problem; 0 when all valid, 1 when not.
pub fn check(
    dir: &Path,
    taxonomy: &Taxonomy,
    warnings: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let batch = match Batch::load(dir, taxonomy) {
        Ok(b) => b,
        Err(p) => {
            let _ = writeln!(err, "casetag: {p}");
            return EXIT_ERROR;
        }
    };
    let problems = batch.problems(taxonomy);
    for p in &problems {
        let _ = writeln!(out, "{p}");
    }
    if warnings {
        for item in &batch.items {
            if let Ok(s) = &item.submission {
                for w in &s.warnings {
                    let _ = writeln!(out, "{w} (warning)");
                }
            }
        }
    }
    let n = batch.items.len();
    if problems.is_empty() {
        let _ = writeln!(err, "{n} submissions checked, no problems");
        EXIT_OK
    } else {
        let _ = writeln!(
            err,
            "{n} submissions checked, {} problem{}",
            problems.len(),
            if problems.len() == 1 { "" } else { "s" }
        );
        EXIT_PROBLEMS
    }
}

/// `casetag stats DIR`.
pub fn stats(
    dir: &Path,
    taxonomy: &Taxonomy,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let batch = match Batch::load(dir, taxonomy) {
        Ok(b) => b,
        Err(p) => {
            let _ = writeln!(err, "casetag: {p}");
            return EXIT_ERROR;
        }
    };
    let stats = Stats::compute(&batch, taxonomy);
    if json {
        let mut v = serde_json::to_value(&stats).unwrap_or_default();
        if let Some(obj) = v.as_object_mut() {
            obj.insert(
                "items_per_hour".into(),
                serde_json::json!(stats.items_per_hour()),
            );
        }
        let _ = writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&v).unwrap_or_default()
        );
    } else {
        let _ = write!(out, "{}", stats.to_text());
    }
    EXIT_OK
}

/// What `casetag show --json` prints.
#[derive(serde::Serialize)]
struct ShowReport<'a> {
    #[serde(flatten)]
    submission: &'a Submission,
    principles_met_labels: Vec<&'a str>,
    suggestions: Suggestions,
}

/// `casetag show FILE`.
pub fn show(
    file: &Path,
    taxonomy: &Taxonomy,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let s = match read_submission(file, taxonomy) {
        Ok(s) => s,
        Err(p) => {
            let _ = writeln!(err, "casetag: {p}");
            return EXIT_PROBLEMS;
        }
    };
    if json {
        let report = ShowReport {
            submission: &s,
            principles_met_labels: s
                .principles_met
                .iter()
                .map(|id| taxonomy.label(Kind::Principle, id))
                .collect(),
            suggestions: suggest(&s, taxonomy),
        };
        match serde_json::to_string_pretty(&report) {
            Ok(text) => {
                let _ = writeln!(out, "{text}");
            }
            Err(e) => {
                let _ = writeln!(err, "casetag: {e}");
                return EXIT_ERROR;
            }
        }
    } else {
        let _ = write!(out, "{}", show_text(&s, taxonomy));
    }
    EXIT_OK
}

/// The human-readable form of `casetag show`.
pub fn show_text(s: &Submission, taxonomy: &Taxonomy) -> String {
    use std::fmt::Write as _;
    let mut o = String::new();
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
    let _ = writeln!(o, "file:          {}", s.path.display());
    let _ = writeln!(o, "format:        {:?}", s.format);
    let _ = writeln!(o, "title:         {}", s.title);
    let _ = writeln!(o, "lead member:   {}", opt(&s.lead_member));
    let _ = writeln!(
        o,
        "participating: {} member{}",
        s.participating_members.len(),
        if s.participating_members.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    for m in &s.participating_members {
        let _ = writeln!(o, "  - {m}");
    }
    let _ = writeln!(
        o,
        "year:          {}",
        s.year.map_or_else(|| "-".to_string(), |y| y.to_string())
    );
    let _ = writeln!(o, "status:        {}", opt(&s.status));
    let _ = writeln!(o, "contact:       {}", opt(&s.contact));
    let labels = |kind: Kind, ids: &[String]| -> String {
        if ids.is_empty() {
            "-".into()
        } else {
            ids.iter()
                .map(|id| taxonomy.label(kind, id))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let tags = |o: &mut String, title: &str, primary: &Option<String>, t: [&[String]; 3]| {
        let _ = writeln!(o, "{title}:");
        let primary = primary
            .as_deref()
            .map_or("-", |id| taxonomy.label(Kind::Category, id));
        let _ = writeln!(o, "  primary category: {primary}");
        let _ = writeln!(o, "  categories:       {}", labels(Kind::Category, t[0]));
        let _ = writeln!(o, "  principles:       {}", labels(Kind::Principle, t[1]));
        let _ = writeln!(o, "  values:           {}", labels(Kind::Value, t[2]));
    };
    let p = &s.proposed;
    tags(
        &mut o,
        "proposed",
        &p.primary_category,
        [&p.categories, &p.principles, &p.values],
    );
    let _ = writeln!(o, "principles met ({}):", s.principles_met.len());
    for id in &s.principles_met {
        let _ = writeln!(o, "  - {}", taxonomy.label(Kind::Principle, id));
    }
    let sg = suggest(s, taxonomy);
    tags(
        &mut o,
        "suggested",
        &sg.primary_category,
        [&sg.categories, &sg.principles, &sg.values],
    );
    let _ = writeln!(
        o,
        "body:          {} lines from line {}",
        s.body.lines().count(),
        s.body_line
    );
    if s.warnings.is_empty() {
        let _ = writeln!(o, "warnings:      none");
    } else {
        let _ = writeln!(o, "warnings:");
        for w in &s.warnings {
            let _ = writeln!(o, "  {w}");
        }
    }
    o
}

/// Loads `--taxonomy FILE` or the built-in one.
pub fn load_taxonomy(path: Option<&Path>) -> Result<Taxonomy, Problem> {
    match path {
        Some(p) => Taxonomy::load(p),
        None => Ok(Taxonomy::builtin()),
    }
}

/// `casetag export DIR --format csv|json|pack [-o FILE] [--decision approve,needs-info,...] [--note] [--force]`
///
/// Exit code 0 when everything selected was exported, 1 when something was
/// skipped, 2 on an I/O or usage error (nothing written then).
pub fn export(
    dir: &Path,
    taxonomy: &Taxonomy,
    opts: &ExportOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let batch = match Batch::load(dir, taxonomy) {
        Ok(b) => b,
        Err(p) => {
            let _ = writeln!(err, "casetag: {p}");
            return EXIT_ERROR;
        }
    };
    let decisions = if opts.decisions.is_empty() {
        vec![Decision::Approve]
    } else {
        opts.decisions.clone()
    };
    let selection = select(&batch, taxonomy, &decisions, opts.force);
    let text = render(opts.format, &selection.entries, opts.include_note, taxonomy);
    let target = opts.output.as_deref().filter(|p| p.as_os_str() != "-");
    match target {
        None => {
            if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                let _ = writeln!(err, "casetag: cannot write the export: {e}");
                return EXIT_ERROR;
            }
        }
        Some(path) => {
            if let Err(e) = write_atomic(path, text.as_bytes()) {
                let _ = writeln!(err, "casetag: cannot write {}: {e}", path.display());
                return EXIT_ERROR;
            }
        }
    }
    for p in &selection.skipped {
        let _ = writeln!(err, "{p}");
    }
    for p in &selection.warnings {
        let _ = writeln!(err, "{p}");
    }
    if let Some(path) = target
        && would_be_read_as_submission(path, dir)
    {
        let _ = writeln!(
            err,
            "casetag: warning: {} is in the batch folder and will be read as a submission; \
             write exports elsewhere",
            path.display()
        );
    }
    let _ = writeln!(err, "{}", summary(&selection, target));
    if selection.skipped.is_empty() {
        EXIT_OK
    } else {
        EXIT_PROBLEMS
    }
}
