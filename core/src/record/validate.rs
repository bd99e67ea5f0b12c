//! What is wrong with a record against the taxonomy and its rules.

use super::types::blank;
use super::{Decision, Record};
use crate::taxonomy::{Kind, Taxonomy};

/// What validation found wrong, by field (a key of `KNOWN_KEYS`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

fn invalid(field: &'static str, message: impl Into<String>) -> Invalid {
    Invalid {
        field,
        message: message.into(),
    }
}

/// `n` followed by the singular or plural word.
fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

fn distinct(ids: &[String]) -> usize {
    let set: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    set.len()
}

/// A limit on how many distinct ids a list holds.
#[derive(Clone, Copy)]
enum Limit {
    /// "at most 3 ranked values allowed (has 4)"
    AtMost,
    /// "needs at least 1 principle (has 0)"
    AtLeast,
    /// "needs 3 ranked values (has 2)": too few for an exact number (too
    /// many is [`Limit::AtMost`]'s).
    Needs,
}

/// The message when the distinct ids of `ids` break the `limit` of `n`;
/// `noun` is the singular and plural word.
fn limit(
    out: &mut Vec<Invalid>,
    field: &'static str,
    ids: &[String],
    (rule, n): (Limit, usize),
    noun: [&str; 2],
) {
    let has = distinct(ids);
    let what = count(n, noun[0], noun[1]);
    let message = match rule {
        Limit::AtMost if has > n => format!("at most {what} allowed (has {has})"),
        Limit::AtLeast if has < n => format!("needs at least {what} (has {has})"),
        Limit::Needs if has < n => format!("needs {what} (has {has})"),
        _ => return,
    };
    out.push(invalid(field, message));
}

const SECONDARY: [&str; 2] = ["secondary category", "secondary categories"];
const RANKED: [&str; 2] = ["ranked value", "ranked values"];

/// Unknown and repeated ids of one list.
fn check_ids(
    out: &mut Vec<Invalid>,
    field: &'static str,
    kind: Kind,
    ids: &[String],
    taxonomy: &Taxonomy,
) {
    let mut seen = std::collections::HashSet::new();
    let mut repeated = std::collections::HashSet::new();
    for id in ids {
        if !seen.insert(id.as_str()) {
            if repeated.insert(id.as_str()) {
                out.push(invalid(
                    field,
                    format!("{} {id:?} is listed more than once", kind.singular()),
                ));
            }
            continue;
        }
        if taxonomy.get(kind, id).is_none() {
            out.push(invalid(
                field,
                format!("unknown {} {id:?}", kind.singular()),
            ));
        }
    }
}

/// The rules of any record's tagging fields: known ids, no repeats, within the
/// limits, the primary not among the secondaries.
fn check_tagging(record: &Record, taxonomy: &Taxonomy, out: &mut Vec<Invalid>) {
    let rules = taxonomy.rules;
    if let Some(p) = record.tags.primary_category.as_deref()
        && !p.trim().is_empty()
        && taxonomy.get(Kind::Category, p).is_none()
    {
        out.push(invalid(
            "primary_category",
            format!("unknown category {p:?}"),
        ));
    }

    check_ids(
        out,
        "categories",
        Kind::Category,
        &record.tags.categories,
        taxonomy,
    );
    let max = (Limit::AtMost, rules.max_secondary_categories);
    limit(out, "categories", &record.tags.categories, max, SECONDARY);
    if let Some(p) = record.tags.primary_category.as_deref()
        && record.tags.categories.iter().any(|c| c == p)
    {
        out.push(invalid(
            "categories",
            format!("primary category {p:?} is also listed as a secondary category"),
        ));
    }

    check_ids(
        out,
        "principles",
        Kind::Principle,
        &record.tags.principles,
        taxonomy,
    );

    check_ids(out, "values", Kind::Value, &record.tags.values, taxonomy);
    let max = (Limit::AtMost, rules.ranked_values);
    limit(out, "values", &record.tags.values, max, RANKED);
}

/// What the approve rules still need, as "needs ..." phrases by field.
fn approve_gaps(record: &Record, taxonomy: &Taxonomy) -> Vec<Invalid> {
    let rules = taxonomy.rules;
    let mut out = Vec::new();
    if blank(&record.tags.primary_category) {
        out.push(invalid("primary_category", "needs a primary category"));
    }
    let min = (Limit::AtLeast, rules.min_principles_for_approval);
    limit(
        &mut out,
        "principles",
        &record.tags.principles,
        min,
        ["principle", "principles"],
    );
    let exact = (Limit::Needs, rules.ranked_values);
    limit(&mut out, "values", &record.tags.values, exact, RANKED);
    out
}

/// Validates a record against the taxonomy and its rules: approve needs a complete tagging,
/// needs-info a note, and any record only known ids.
///
/// - Any record: every id known for its kind, the decision one of the three,
///   no repeated ids, at most `max_secondary_categories` secondaries, at most
///   `ranked_values` values, the primary not repeated among the secondaries.
/// - approve: a primary category, at least `min_principles_for_approval`
///   principles and exactly `ranked_values` distinct values.
/// - needs-info: a non-empty note.
pub fn validate(record: &Record, taxonomy: &Taxonomy) -> Vec<Invalid> {
    let mut out = Vec::new();
    if let Some(d) = record.decision.as_deref()
        && Decision::parse(d).is_none()
    {
        out.push(invalid(
            "decision",
            format!("unknown decision {d:?} (expected approve, needs-info or decline)"),
        ));
    }
    check_tagging(record, taxonomy, &mut out);
    match record.decision_kind() {
        Some(Decision::Approve) => {
            out.extend(approve_gaps(record, taxonomy).into_iter().map(|g| Invalid {
                field: g.field,
                message: format!("approve {}", g.message),
            }));
        }
        Some(Decision::NeedsInfo) if blank(&record.note) => {
            out.push(invalid(
                "note",
                "needs-info needs a note saying what is missing",
            ));
        }
        _ => {}
    }
    out
}

/// What approving would still need, for the UI: empty when the tagging is
/// complete and valid. The approve rules ("needs a primary category",
/// "needs 3 ranked values (has 1)", ...) come first, then anything invalid in
/// the tagging fields (an approval requires a valid tagging).
pub fn missing_for_approval(record: &Record, taxonomy: &Taxonomy) -> Vec<String> {
    let mut out: Vec<String> = approve_gaps(record, taxonomy)
        .into_iter()
        .map(|g| g.message)
        .collect();
    let mut tagging = Vec::new();
    check_tagging(record, taxonomy, &mut tagging);
    out.extend(tagging.into_iter().map(|i| i.message));
    out
}
