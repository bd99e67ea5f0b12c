//! Which case studies an export holds, and what it skipped.

use std::fmt::Write as _;
use std::path::Path;

use super::CaseStudy;
use super::plain::{clean_line, clean_text, excerpt, opt_line};
use crate::batch::{Batch, Item};
use crate::fields::Fields;
use crate::problem::Problem;
use crate::record::Decision;
use crate::taxonomy::{Kind, Taxonomy};

/// The pure part: the entries to export and the ones skipped (with why), in
/// file-name order. With `force` the list also holds warnings for the
/// entries exported despite their problems.
pub fn collect(
    batch: &Batch,
    taxonomy: &Taxonomy,
    decisions: &[Decision],
    force: bool,
) -> (Vec<CaseStudy>, Vec<Problem>) {
    let s = select(batch, taxonomy, decisions, force);
    let mut problems = s.skipped;
    problems.extend(s.warnings);
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    (s.entries, problems)
}

/// What [`collect`] found, with skips and warnings apart.
pub struct Selection {
    pub entries: Vec<CaseStudy>,
    /// Not exported: listed on stderr, exit code 1.
    pub skipped: Vec<Problem>,
    /// Exported despite their problems (`--force`).
    pub warnings: Vec<Problem>,
    /// Each entry's item (its index in the batch's items).
    pub items: Vec<usize>,
}

/// The entries to export from `batch` for `decisions`, in file-name order.
pub fn select(
    batch: &Batch,
    taxonomy: &Taxonomy,
    decisions: &[Decision],
    force: bool,
) -> Selection {
    select_in(batch, taxonomy, decisions, force, true)
}

/// [`select`] with each entry's `body` left empty (its excerpt is made):
/// for an export that reads each text again when it writes it
/// ([`super::pack_into`]), so that the texts are never all in memory.
pub fn select_without_text(
    batch: &Batch,
    taxonomy: &Taxonomy,
    decisions: &[Decision],
    force: bool,
) -> Selection {
    select_in(batch, taxonomy, decisions, force, false)
}

fn select_in(
    batch: &Batch,
    taxonomy: &Taxonomy,
    decisions: &[Decision],
    force: bool,
    keep_text: bool,
) -> Selection {
    let mut sel = Selection {
        entries: Vec::new(),
        skipped: Vec::new(),
        warnings: Vec::new(),
        items: Vec::new(),
    };
    let mut items: Vec<(usize, &Item)> = batch.items.iter().enumerate().collect();
    items.sort_by(|a, b| a.1.file_name.cmp(&b.1.file_name));
    for (ix, item) in items {
        // A record that cannot be read may hold any decision: say so.
        if item.record_error.is_some() {
            sel.skipped.extend(
                item.problems(taxonomy)
                    .into_iter()
                    .map(|p| prefixed(p, "skipped")),
            );
            continue;
        }
        let Some(rf) = &item.record else { continue };
        let record = &rf.record;
        let decision = match record.decision_kind() {
            Some(d) => d,
            None => {
                // A decision word casetag does not know: the record is
                // invalid, and whether it was meant to be exported is unknown.
                if record
                    .decision
                    .as_deref()
                    .is_some_and(|d| !d.trim().is_empty())
                {
                    sel.skipped.extend(
                        item.problems(taxonomy)
                            .into_iter()
                            .map(|p| prefixed(p, "skipped")),
                    );
                }
                continue;
            }
        };
        if !decisions.contains(&decision) {
            continue;
        }
        let mut problems = item.problems(taxonomy);
        // The text is read again when it was dropped from memory (the
        // terminal program keeps only some); one whose file changed since it
        // was read is skipped, even with --force, rather than exported beside
        // fields read from other bytes.
        let submission = match item.with_text(taxonomy) {
            Ok(s) => s,
            Err(p) if item.submission.is_ok() => {
                problems.push(p);
                sel.skipped
                    .extend(problems.into_iter().map(|p| prefixed(p, "skipped")));
                continue;
            }
            Err(_) => {
                // Nothing to export, even with --force.
                sel.skipped
                    .extend(problems.into_iter().map(|p| prefixed(p, "skipped")));
                continue;
            }
        };
        if !problems.is_empty() {
            if force {
                sel.warnings.extend(
                    problems
                        .into_iter()
                        .map(|p| prefixed(p, "exported anyway (--force)")),
                );
            } else {
                sel.skipped
                    .extend(problems.into_iter().map(|p| prefixed(p, "skipped")));
                continue;
            }
        }
        let label = |kind: Kind, id: &str| clean_line(taxonomy.label(kind, id.trim()));
        let primary = record
            .tags
            .primary_category
            .as_deref()
            .filter(|id| !id.trim().is_empty());
        let mut categories = record.tags.categories.clone();
        categories.retain(|c| Some(c.trim()) != primary.map(str::trim));
        let categories = in_taxonomy_order(taxonomy, Kind::Category, &categories);
        let principles = in_taxonomy_order(taxonomy, Kind::Principle, &record.tags.principles);
        let mut values: Vec<String> = Vec::new();
        for v in &record.tags.values {
            let l = label(Kind::Value, v);
            if !l.is_empty() && !values.contains(&l) {
                values.push(l);
            }
        }
        // what the officer corrected wins over what was read
        let (title, shown) = record
            .corrections()
            .over(&submission.title, &submission.fields);
        sel.entries.push(CaseStudy {
            title: clean_line(&title),
            fields: Fields {
                lead_member: opt_line(shown.lead_member.as_deref()),
                contact: opt_line(shown.contact.as_deref()),
                participating_members: shown
                    .participating_members
                    .iter()
                    .map(|m| clean_line(m))
                    .filter(|m| !m.is_empty())
                    .collect(),
                year: shown.year,
                programme: opt_line(shown.programme.as_deref()),
            },
            source: clean_line(&item.file_name),
            decision: decision.as_str().to_string(),
            primary_category: primary.map(|id| label(Kind::Category, id)),
            categories: categories
                .iter()
                .map(|id| label(Kind::Category, id))
                .collect(),
            principles: principles
                .iter()
                .map(|id| label(Kind::Principle, id))
                .collect(),
            values,
            note: record
                .note
                .as_deref()
                .map(clean_text)
                .filter(|n| !n.is_empty()),
            reviewer: opt_line(record.reviewer.as_deref()),
            reviewed_at: opt_line(record.reviewed_at.as_deref()),
            excerpt: excerpt(&submission.body),
            body: if keep_text {
                submission.body.clone()
            } else {
                String::new()
            },
            body_is_markdown: submission.format == crate::submission::Format::Markdown,
        });
        sel.items.push(ix);
    }
    sel
}

/// The problem with `what: ` put before its message.
fn prefixed(mut p: Problem, what: &str) -> Problem {
    p.message = format!("{what}: {}", p.message);
    p
}

/// Ids sorted as the taxonomy lists them, duplicates and blanks removed;
/// unknown ids (only exported with `--force`) follow in their own order.
fn in_taxonomy_order(taxonomy: &Taxonomy, kind: Kind, ids: &[String]) -> Vec<String> {
    let mut seen: Vec<&str> = Vec::new();
    for id in ids {
        let id = id.trim();
        if !id.is_empty() && !seen.contains(&id) {
            seen.push(id);
        }
    }
    let mut keyed: Vec<(usize, usize, &str)> = seen
        .iter()
        .enumerate()
        .map(|(i, id)| (taxonomy.index_of(kind, id).unwrap_or(usize::MAX), i, *id))
        .collect();
    keyed.sort();
    keyed.into_iter().map(|(_, _, id)| id.to_string()).collect()
}

/// The closing line of an export: what was written where, and what was skipped.
pub fn summary(sel: &Selection, target: Option<&Path>) -> String {
    let n = sel.entries.len();
    let mut s = format!(
        "casetag: {n} case stud{} exported",
        if n == 1 { "y" } else { "ies" }
    );
    if let Some(path) = target {
        let _ = write!(s, " to {}", path.display());
    }
    let skipped: std::collections::BTreeSet<&Path> =
        sel.skipped.iter().map(|p| p.path.as_path()).collect();
    if !skipped.is_empty() {
        let _ = write!(
            s,
            "; {} file{} skipped (use --force to export them anyway)",
            skipped.len(),
            if skipped.len() == 1 { "" } else { "s" }
        );
    }
    s
}

/// Whether a file written at `path` would become part of the batch in `dir`.
pub fn would_be_read_as_submission(path: &Path, dir: &Path) -> bool {
    // the batch's own rule, so every format it reads counts
    let is_submission_name = path
        .file_name()
        .is_some_and(|n| crate::submission::is_submission_file_name(&n.to_string_lossy()));
    if !is_submission_name {
        return false;
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (parent.canonicalize(), dir.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
