//! Merging records field by field: what git's merge driver
//! (`casetag merge-record`) and a cloud folder's conflict copy need.
//!
//! [`merge`] is a three-way merge of [`Record`]s against their common base
//! (or a two-way comparison when there is none, as for a conflict copy left
//! by a cloud-synced folder):
//!
//! - a field changed on one side only takes that side; the same change on
//!   both sides is clean;
//! - the secondary categories and the principles are sets: additions and
//!   removals of both sides are kept;
//! - the decision, the primary category, the note, the submission's name and
//!   the ranked values (one ranking, not a set) conflict when both sides
//!   changed them differently: the merged record keeps ours, and a
//!   [`FieldConflict`] holds both versions, with who changed each and when;
//! - who reviewed last and when go with the later review; the seconds spent
//!   on both sides are added up;
//! - keys casetag does not know are merged as whole values, ours kept when
//!   both changed one.
//!
//! A clean merge that would break the record's rules although neither side
//! did (an approval whose principles the other side cut below the minimum) is
//! a conflict on the field that breaks them.
//!
//! The conflicts are written into the record as a `[conflict]` table
//! ([`Record::set_conflicts`]), one sub-table per field:
//!
//! ```toml
//! [conflict.decision]
//! ours = "approve"
//! theirs = "decline"
//! base = "needs-info"
//! ours_reviewer = "jo"
//! ours_reviewed_at = "2026-12-07T10:15:00Z"
//! theirs_reviewer = "sam"
//! theirs_reviewed_at = "2026-12-07T11:02:00Z"
//! ```
//!
//! A value that is absent on one side has no key there. [`Record::resolve`]
//! takes one side for a field and removes its entry; the table goes with
//! the last one.

use std::collections::HashSet;

use toml_edit::{Item, Table, Value};

use super::types::Preserved;
use super::{KNOWN_KEYS, Record, validate};
use crate::taxonomy::{Kind, Taxonomy};

/// The key of the table of conflicts in a record.
pub const CONFLICT_KEY: &str = "conflict";

/// The fields that can conflict, in the order casetag writes them: the
/// known keys up to the note (who reviewed last, when, and the time spent
/// are merged without a conflict).
pub const CONFLICT_FIELDS: [&str; 8] = match KNOWN_KEYS.first_chunk() {
    Some(fields) => *fields,
    None => panic!("fewer known keys than fields that can conflict"),
};

/// One field's value on one side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    Absent,
    Text(String),
    List(Vec<String>),
}

impl FieldValue {
    fn of_text(s: &Option<String>) -> FieldValue {
        match s {
            Some(s) => FieldValue::Text(s.clone()),
            None => FieldValue::Absent,
        }
    }

    fn of_list(v: &[String]) -> FieldValue {
        if v.is_empty() {
            FieldValue::Absent
        } else {
            FieldValue::List(v.to_vec())
        }
    }

    fn to_value(&self) -> Option<Value> {
        match self {
            FieldValue::Absent => None,
            FieldValue::Text(s) => Some(Value::from(s.as_str())),
            FieldValue::List(v) => Some(Value::Array(v.iter().map(String::as_str).collect())),
        }
    }

    fn from_item(item: Option<&Item>) -> Result<FieldValue, String> {
        let Some(item) = item else {
            return Ok(FieldValue::Absent);
        };
        if let Some(s) = item.as_str() {
            return Ok(FieldValue::Text(s.to_owned()));
        }
        if let Some(a) = item.as_array() {
            return a
                .iter()
                .map(|v| v.as_str().map(str::to_owned).ok_or("an array of strings"))
                .collect::<Result<Vec<_>, _>>()
                .map(FieldValue::List)
                .map_err(str::to_owned);
        }
        Err(format!("a string or an array, not {}", item.type_name()))
    }

    /// A short form for people: `"approve"`, `[a, b]`, `(none)`.
    pub fn display(&self) -> String {
        match self {
            FieldValue::Absent => "(none)".to_owned(),
            FieldValue::Text(s) => format!("{s:?}"),
            FieldValue::List(v) => format!("[{}]", v.join(", ")),
        }
    }
}

/// One side of a conflict: its value, and who changed it when (the side's
/// `reviewer` and `reviewed_at`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub value: FieldValue,
    pub reviewer: Option<String>,
    pub reviewed_at: Option<String>,
}

/// A field both sides changed differently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldConflict {
    /// One of [`CONFLICT_FIELDS`].
    pub field: String,
    /// The value before either change (`None`: none, or no common base
    /// known; never `Some(Absent)`, which a TOML table cannot tell from it).
    pub base: Option<FieldValue>,
    pub ours: Side,
    pub theirs: Side,
}

/// Which side to take for a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Ours,
    Theirs,
}

/// What [`merge`] made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merged {
    /// The merged record: ours for each conflicting field, with the
    /// conflicts written in its `[conflict]` table.
    pub record: Record,
    pub conflicts: Vec<FieldConflict>,
    /// Keys casetag does not know that both sides changed: ours is kept.
    pub kept_ours: Vec<String>,
}

fn field_value(r: &Record, field: &str) -> FieldValue {
    match field {
        "submission" if r.submission.is_empty() => FieldValue::Absent,
        "submission" => FieldValue::Text(r.submission.clone()),
        "submission_sha256" => FieldValue::of_text(&r.submission_sha256),
        "decision" => FieldValue::of_text(&r.decision),
        "primary_category" => FieldValue::of_text(&r.tags.primary_category),
        "categories" => FieldValue::of_list(&r.tags.categories),
        "principles" => FieldValue::of_list(&r.tags.principles),
        "values" => FieldValue::of_list(&r.tags.values),
        "note" => FieldValue::of_text(&r.note),
        _ => FieldValue::Absent,
    }
}

fn set_field(r: &mut Record, field: &str, v: FieldValue) {
    let text = |v: FieldValue| match v {
        FieldValue::Text(s) => Some(s),
        FieldValue::List(l) => Some(l.join(", ")),
        FieldValue::Absent => None,
    };
    let list = |v: FieldValue| match v {
        FieldValue::List(l) => l,
        FieldValue::Text(s) => vec![s],
        FieldValue::Absent => Vec::new(),
    };
    match field {
        "submission" => r.submission = text(v).unwrap_or_default(),
        "submission_sha256" => r.submission_sha256 = text(v),
        "decision" => r.decision = text(v),
        "primary_category" => r.tags.primary_category = text(v),
        "categories" => r.tags.categories = list(v),
        "principles" => r.tags.principles = list(v),
        "values" => r.tags.values = list(v),
        "note" => r.note = text(v),
        _ => {}
    }
}

fn side(r: &Record, field: &str) -> Side {
    Side {
        value: field_value(r, field),
        reviewer: r.reviewer.clone(),
        reviewed_at: r.reviewed_at.clone(),
    }
}

/// True when `a`'s review is later than `b`'s (RFC 3339 times in UTC
/// compare as text; a review with a time is later than one without).
fn later(a: &Record, b: &Record) -> bool {
    let time = |r: &Record| {
        r.reviewed_at
            .as_deref()
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
    };
    match (time(a), time(b)) {
        (Some(x), Some(y)) => x > y,
        (Some(_), None) => true,
        _ => false,
    }
}

/// The three-way merge of two sets given as lists: what neither side
/// removed from the base, and what either side added. A side that left the
/// set as it was gives way to the other exactly (its order kept).
fn merge_set(
    base: Option<&[String]>,
    ours: &[String],
    theirs: &[String],
    taxonomy: &Taxonomy,
    kind: Kind,
) -> Option<Vec<String>> {
    let set = |v: &[String]| v.iter().cloned().collect::<HashSet<String>>();
    let (o, t) = (set(ours), set(theirs));
    if o == t {
        return Some(ours.to_vec());
    }
    let base = base?;
    let b = set(base);
    if o == b {
        return Some(theirs.to_vec());
    }
    if t == b {
        return Some(ours.to_vec());
    }
    let mut out: Vec<String> = Vec::new();
    for id in ours.iter().chain(theirs) {
        let keep = if b.contains(id) {
            o.contains(id) && t.contains(id)
        } else {
            true
        };
        if keep && !out.contains(id) {
            out.push(id.clone());
        }
    }
    taxonomy.sort_ids(kind, &mut out);
    Some(out)
}

/// Merges `ours` and `theirs`, two versions of one record, against `base`,
/// their common ancestor (`None` when there is none known: every field the
/// two hold differently is then a conflict). Pure: nothing is read or
/// written. The taxonomy orders merged sets and states the rules a clean
/// merge must keep.
pub fn merge(base: Option<&Record>, ours: &Record, theirs: &Record, taxonomy: &Taxonomy) -> Merged {
    let mut record = ours.clone();
    let mut conflicts: Vec<FieldConflict> = Vec::new();
    let conflict = |field: &str| FieldConflict {
        field: field.to_owned(),
        base: base
            .map(|b| field_value(b, field))
            .filter(|v| *v != FieldValue::Absent),
        ours: side(ours, field),
        theirs: side(theirs, field),
    };
    let ours_later = !later(theirs, ours);

    for field in CONFLICT_FIELDS {
        let (o, t) = (field_value(ours, field), field_value(theirs, field));
        if o == t {
            continue;
        }
        let b = base.map(|b| field_value(b, field));
        let set_kind = match field {
            "categories" => Some(Kind::Category),
            "principles" => Some(Kind::Principle),
            _ => None,
        };
        if let Some(kind) = set_kind {
            let list = |r: &Record| match field {
                "categories" => r.tags.categories.clone(),
                _ => r.tags.principles.clone(),
            };
            let b_list = base.map(list);
            match merge_set(
                b_list.as_deref(),
                &list(ours),
                &list(theirs),
                taxonomy,
                kind,
            ) {
                Some(v) => set_field(&mut record, field, FieldValue::of_list(&v)),
                None => conflicts.push(conflict(field)),
            }
            continue;
        }
        match b {
            Some(b) if b == o => set_field(&mut record, field, t),
            Some(b) if b == t => {}
            // the submission's bytes as last reviewed go with that review
            _ if field == "submission_sha256" => {
                if !ours_later {
                    set_field(&mut record, field, t);
                }
            }
            _ => conflicts.push(conflict(field)),
        }
    }

    // who reviewed last, and when
    let meta_changed = |r: &Record| {
        base.is_none_or(|b| (&r.reviewer, &r.reviewed_at) != (&b.reviewer, &b.reviewed_at))
    };
    let take_theirs_meta = match (meta_changed(ours), meta_changed(theirs)) {
        (false, true) => true,
        (true, true) => !ours_later,
        _ => false,
    };
    if take_theirs_meta {
        record.reviewer = theirs.reviewer.clone();
        record.reviewed_at = theirs.reviewed_at.clone();
    }
    record.seconds_spent = match (
        base.map(|b| b.seconds_spent),
        ours.seconds_spent,
        theirs.seconds_spent,
    ) {
        (_, o, t) if o == t => o,
        (Some(b), o, t) if b == o => t,
        (Some(b), o, t) if b == t => o,
        (Some(b), o, t) => {
            let b = b.unwrap_or(0);
            let (o, t) = (o.unwrap_or(0), t.unwrap_or(0));
            Some(
                b.saturating_add(o.saturating_sub(b))
                    .saturating_add(t.saturating_sub(b)),
            )
        }
        (None, o, t) => o.max(t),
    };

    // a secondary category that became the primary is the primary only
    let pair = |r: &Record| (r.tags.primary_category.clone(), r.tags.categories.clone());
    if let Some(p) = record.tags.primary_category.clone()
        && record.tags.categories.contains(&p)
        && pair(&record) != pair(ours)
        && pair(&record) != pair(theirs)
    {
        record.tags.categories.retain(|c| *c != p);
    }

    // a clean merge that breaks the rules where neither side did
    let fields = |r: &Record| -> HashSet<&'static str> {
        validate(r, taxonomy).into_iter().map(|i| i.field).collect()
    };
    let (bad_ours, bad_theirs) = (fields(ours), fields(theirs));
    let mut bad: Vec<&'static str> = fields(&record)
        .into_iter()
        .filter(|f| !bad_ours.contains(f) && !bad_theirs.contains(f))
        .collect();
    bad.sort_by_key(|f| CONFLICT_FIELDS.iter().position(|k| k == f));
    for f in bad {
        let target = if field_value(ours, f) != field_value(theirs, f) {
            f
        } else if ours.decision != theirs.decision {
            "decision"
        } else {
            continue;
        };
        if !conflicts.iter().any(|c| c.field == target) {
            set_field(&mut record, target, field_value(ours, target));
            conflicts.push(conflict(target));
        }
    }
    conflicts.sort_by_key(|c| CONFLICT_FIELDS.iter().position(|k| *k == c.field));

    let kept_ours = merge_preserved(base, ours, theirs, &mut record);
    record.set_conflicts(&conflicts);
    Merged {
        record,
        conflicts,
        kept_ours,
    }
}

/// Merges the keys casetag does not know (and known keys kept because
/// their value had the wrong type) into `record`, whose preserved keys are
/// ours: theirs where only they changed one. Returns the keys both changed.
fn merge_preserved(
    base: Option<&Record>,
    ours: &Record,
    theirs: &Record,
    record: &mut Record,
) -> Vec<String> {
    let text = |p: &Preserved, k: &str| p.0.get(k).map(|i| i.to_string().trim().to_owned());
    let mut keys: Vec<String> = Vec::new();
    for r in [Some(ours), Some(theirs), base].into_iter().flatten() {
        for (k, _) in r.preserved.0.iter() {
            if k != CONFLICT_KEY && !keys.iter().any(|x| x == k) {
                keys.push(k.to_owned());
            }
        }
    }
    let mut kept = Vec::new();
    for k in keys {
        let (o, t) = (text(&ours.preserved, &k), text(&theirs.preserved, &k));
        if o == t {
            continue;
        }
        let b = base.map(|b| text(&b.preserved, &k));
        if b.as_ref() == Some(&o) {
            let table = record.preserved.0.as_table_mut();
            match theirs.preserved.0.get(&k) {
                Some(item) => {
                    table.insert(&k, item.clone());
                }
                None => {
                    table.remove(&k);
                }
            }
        } else if b.as_ref() != Some(&t) {
            kept.push(k);
        }
    }
    kept
}

impl Record {
    /// Whether the record holds a `[conflict]` table (or a `conflict` key of
    /// any kind).
    pub fn has_conflict(&self) -> bool {
        self.preserved.0.get(CONFLICT_KEY).is_some()
    }

    /// The conflicts written in the record's `[conflict]` table, in the
    /// order of [`CONFLICT_FIELDS`]. `Err` says what is wrong with a table
    /// casetag did not write as it is.
    pub fn conflicts(&self) -> Result<Vec<FieldConflict>, String> {
        let Some(item) = self.preserved.0.get(CONFLICT_KEY) else {
            return Ok(Vec::new());
        };
        let Some(table) = item.as_table_like() else {
            return Err(format!(
                "conflict must be a table, not {}",
                item.type_name()
            ));
        };
        let mut out = Vec::new();
        for (field, entry) in table.iter() {
            let Some(&known) = CONFLICT_FIELDS.iter().find(|f| **f == field) else {
                return Err(format!("conflict.{field}: not a field casetag merges"));
            };
            let Some(entry) = entry.as_table_like() else {
                return Err(format!("conflict.{field} must be a table"));
            };
            let val = |k: &str| {
                FieldValue::from_item(entry.get(k))
                    .map_err(|e| format!("conflict.{field}.{k} must be {e}"))
            };
            let text = |k: &str| entry.get(k).and_then(Item::as_str).map(str::to_owned);
            out.push(FieldConflict {
                field: known.to_owned(),
                base: entry.get("base").map(|_| val("base")).transpose()?,
                ours: Side {
                    value: val("ours")?,
                    reviewer: text("ours_reviewer"),
                    reviewed_at: text("ours_reviewed_at"),
                },
                theirs: Side {
                    value: val("theirs")?,
                    reviewer: text("theirs_reviewer"),
                    reviewed_at: text("theirs_reviewed_at"),
                },
            });
        }
        out.sort_by_key(|c| CONFLICT_FIELDS.iter().position(|k| *k == c.field));
        Ok(out)
    }

    /// Writes `conflicts` as the record's `[conflict]` table, replacing the
    /// entries of the same fields; none and no table before: nothing changes.
    pub fn set_conflicts(&mut self, conflicts: &[FieldConflict]) {
        if conflicts.is_empty() {
            return;
        }
        let doc = self.preserved.0.as_table_mut();
        if !doc.get(CONFLICT_KEY).is_some_and(Item::is_table) {
            let mut t = Table::new();
            t.set_implicit(true);
            doc.insert(CONFLICT_KEY, Item::Table(t));
        }
        let Some(table) = doc.get_mut(CONFLICT_KEY).and_then(Item::as_table_mut) else {
            return;
        };
        for c in conflicts {
            let mut entry = Table::new();
            let mut put = |k: &str, v: Option<Value>| {
                if let Some(v) = v {
                    entry.insert(k, Item::Value(v));
                }
            };
            put("ours", c.ours.value.to_value());
            put("theirs", c.theirs.value.to_value());
            put("base", c.base.as_ref().and_then(FieldValue::to_value));
            let s = |v: &Option<String>| v.as_deref().map(Value::from);
            put("ours_reviewer", s(&c.ours.reviewer));
            put("ours_reviewed_at", s(&c.ours.reviewed_at));
            put("theirs_reviewer", s(&c.theirs.reviewer));
            put("theirs_reviewed_at", s(&c.theirs.reviewed_at));
            entry.decor_mut().set_prefix("\n");
            table.insert(&c.field, Item::Table(entry));
        }
    }

    /// Sets `field` to the value `pick` names in `conflict` and removes the
    /// field's entry from the `[conflict]` table (the table with its last
    /// entry).
    pub fn resolve(&mut self, conflict: &FieldConflict, pick: Pick) {
        let v = match pick {
            Pick::Ours => conflict.ours.value.clone(),
            Pick::Theirs => conflict.theirs.value.clone(),
        };
        set_field(self, &conflict.field, v);
        self.forget_overridden();
        let doc = self.preserved.0.as_table_mut();
        let empty = match doc.get_mut(CONFLICT_KEY).and_then(Item::as_table_like_mut) {
            Some(t) => {
                t.remove(&conflict.field);
                t.is_empty()
            }
            None => false,
        };
        if empty {
            doc.remove(CONFLICT_KEY);
        }
    }

    /// The value of one of [`CONFLICT_FIELDS`].
    pub fn field_value(&self, field: &str) -> FieldValue {
        field_value(self, field)
    }
}

#[cfg(test)]
mod tests;
