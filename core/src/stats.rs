//! Progress and tag counts over a batch: the figures of `casetag stats` and of
//! the statistics view; `agreement`, how far two officers' tags agree
//! (`stats --compare`).

mod agreement;

use std::fmt::Write as _;

use crate::batch::{Batch, Status};
use crate::record::Record;
use crate::suggest::{SourceKind, Suggestions, suggest};
use crate::taxonomy::{Kind, Taxonomy};

pub use agreement::{Comparison, FieldAgreement, kappa};

/// One bar: an entry of the taxonomy and its count.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Count {
    pub id: String,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Stats {
    pub total: usize,
    pub decided: usize,
    /// Submissions per status, in the order of [`Status::ALL`]; in JSON an
    /// object keyed by status (`{"approved": 3, ...}`).
    #[serde(serialize_with = "as_object")]
    pub by_status: Vec<(Status, usize)>,
    /// Primary categories, in taxonomy order; in JSON, as every list of
    /// counts, an object keyed by id (`{"housing": {"label": "Housing",
    /// "count": 2}, ...}`).
    #[serde(serialize_with = "by_id")]
    pub primary: Vec<Count>,
    /// Secondary categories, in taxonomy order.
    #[serde(serialize_with = "by_id")]
    pub secondary: Vec<Count>,
    #[serde(serialize_with = "by_id")]
    pub principles: Vec<Count>,
    /// Values ranked first.
    #[serde(serialize_with = "by_id")]
    pub values_first: Vec<Count>,
    /// Values weighted by rank: with three ranks, first counts 3, second 2, third 1.
    #[serde(serialize_with = "by_id")]
    pub values_weighted: Vec<Count>,
    /// Time recorded on decided submissions, and how many had time recorded.
    pub seconds_decided: u64,
    pub timed_decided: usize,
}

/// Pairs as a JSON object, in their order.
fn as_object<S: serde::Serializer>(pairs: &[(Status, usize)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
}

/// Counts as a JSON object keyed by id, in their order.
fn by_id<S: serde::Serializer>(counts: &[Count], s: S) -> Result<S::Ok, S::Error> {
    #[derive(serde::Serialize)]
    struct Entry<'a> {
        label: &'a str,
        count: usize,
    }
    s.collect_map(counts.iter().map(|c| {
        (
            &c.id,
            Entry {
                label: &c.label,
                count: c.count,
            },
        )
    }))
}

impl Stats {
    pub fn compute(batch: &Batch, taxonomy: &Taxonomy) -> Stats {
        let zero = |kind: Kind| -> Vec<Count> {
            taxonomy
                .entries(kind)
                .iter()
                .map(|e| Count {
                    id: e.id.clone(),
                    label: e.label.clone(),
                    count: 0,
                })
                .collect()
        };
        let mut s = Stats {
            total: batch.items.len(),
            decided: 0,
            by_status: Status::ALL.iter().map(|&st| (st, 0)).collect(),
            primary: zero(Kind::Category),
            secondary: zero(Kind::Category),
            principles: zero(Kind::Principle),
            values_first: zero(Kind::Value),
            values_weighted: zero(Kind::Value),
            seconds_decided: 0,
            timed_decided: 0,
        };
        let ranks = taxonomy.rules.ranked_values;
        for item in &batch.items {
            let status = item.status(taxonomy);
            if let Some(slot) = s.by_status.iter_mut().find(|(st, _)| *st == status) {
                slot.1 += 1;
            }
            let Some(rf) = &item.record else { continue };
            let r = &rf.record;
            if status.is_decided() {
                s.decided += 1;
                if let Some(secs) = r.seconds_spent.filter(|&x| x > 0) {
                    s.seconds_decided += secs;
                    s.timed_decided += 1;
                }
            }
            let add = |list: &mut Vec<Count>, id: &str, n: usize| {
                if let Some(c) = list.iter_mut().find(|c| c.id == id) {
                    c.count += n;
                }
            };
            if let Some(p) = &r.tags.primary_category {
                add(&mut s.primary, p, 1);
            }
            for c in &r.tags.categories {
                add(&mut s.secondary, c, 1);
            }
            for p in &r.tags.principles {
                add(&mut s.principles, p, 1);
            }
            for (rank, v) in r.tags.values.iter().enumerate().take(ranks) {
                if rank == 0 {
                    add(&mut s.values_first, v, 1);
                }
                add(&mut s.values_weighted, v, ranks - rank);
            }
        }
        s
    }

    pub fn count(&self, status: Status) -> usize {
        self.by_status
            .iter()
            .find(|(st, _)| *st == status)
            .map_or(0, |(_, n)| *n)
    }

    /// Decided submissions per hour of recorded tagging time.
    pub fn items_per_hour(&self) -> Option<f64> {
        (self.seconds_decided > 0)
            .then(|| self.timed_decided as f64 * 3600.0 / self.seconds_decided as f64)
    }

    /// "23 of 48 decided".
    pub fn progress_line(&self) -> String {
        format!("{} of {} decided", self.decided, self.total)
    }

    /// The plain-text report of `casetag stats`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{}", self.progress_line());
        for (st, n) in &self.by_status {
            if *n > 0 {
                let _ = writeln!(out, "  {:<22}{n:>6}", st.word());
            }
        }
        match self.items_per_hour() {
            Some(rate) => {
                let _ = writeln!(
                    out,
                    "  {:<22}{rate:>6.1}   ({} decided in {})",
                    "per hour",
                    self.timed_decided,
                    format_duration(self.seconds_decided)
                );
            }
            None => {
                let _ = writeln!(out, "  {:<22}{:>6}", "per hour", "-");
            }
        }
        for (title, list) in [
            ("Primary categories", &self.primary),
            ("Secondary categories", &self.secondary),
            ("Principles", &self.principles),
            ("Values ranked first", &self.values_first),
            ("Values, rank-weighted", &self.values_weighted),
        ] {
            let _ = writeln!(out, "\n{title}");
            let width = list
                .iter()
                .map(|c| c.label.chars().count())
                .max()
                .unwrap_or(0);
            for c in list {
                let _ = writeln!(out, "  {:<width$}  {:>5}", c.label, c.count);
            }
        }
        out
    }
}

/// How many suggestions of one kind were offered, and how many of them the
/// officer kept in the record.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Kept {
    pub offered: usize,
    pub kept: usize,
}

impl Kept {
    fn add(&mut self, kept: bool) {
        self.offered += 1;
        if kept {
            self.kept += 1;
        }
    }

    /// "3 of 4 (75%)", or "-" when none was offered.
    pub fn describe(self) -> String {
        if self.offered == 0 {
            return "-".to_string();
        }
        format!(
            "{} of {} ({}%)",
            self.kept,
            self.offered,
            (self.kept * 100 + self.offered / 2) / self.offered
        )
    }
}

/// Suggestions kept per field.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct KeptByField {
    /// The suggested primary category kept as the primary.
    pub category: Kept,
    /// Suggested secondary categories kept as a category (secondary or primary).
    pub secondary: Kept,
    pub principles: Kept,
    /// Suggested values kept at any rank.
    pub values: Kept,
}

/// Suggestions kept per source.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct KeptBySource {
    /// The council's own `[proposed]` tags.
    pub proposed: Kept,
    /// Principles quoted under "Principles met".
    pub quoted: Kept,
    /// Keyword and phrase evidence (and, for values, the tags that speak for them).
    pub evidence: Kept,
    /// Of the evidence, the suggestions marked weak.
    pub weak_evidence: Kept,
}

/// How often the officer kept each kind of suggestion, over the decided
/// records: each submission's suggestions (as casetag makes them today)
/// against the tags its record holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Acceptance {
    /// Decided records whose submission could be read (and, when its text
    /// was dropped from memory, read again as it was).
    pub records: usize,
    pub by_field: KeptByField,
    pub by_source: KeptBySource,
}

impl Acceptance {
    pub fn compute(batch: &Batch, taxonomy: &Taxonomy) -> Acceptance {
        let mut a = Acceptance::default();
        for item in &batch.items {
            if !item.status(taxonomy).is_decided() {
                continue;
            }
            // a text dropped from memory is read again; one whose file
            // changed since it was read is left out, as an unreadable one
            let (Some(rf), Ok(sub)) = (&item.record, item.with_text(taxonomy)) else {
                continue;
            };
            a.add(&suggest(&sub, taxonomy), &rf.record);
        }
        a
    }

    /// Counts one decided record against the suggestions for its submission.
    pub fn add(&mut self, s: &Suggestions, r: &Record) {
        self.records += 1;
        let same = |a: &str, b: &str| a.trim() == b.trim();
        let has = |list: &[String], id: &str| list.iter().any(|x| same(x, id));
        let mut offered: Vec<(&str, bool, Field)> = Vec::new();
        if let Some(p) = &s.tags.primary_category {
            let kept = r
                .tags
                .primary_category
                .as_deref()
                .is_some_and(|x| same(x, p));
            offered.push((p, kept, Field::Category));
        }
        for c in &s.tags.categories {
            let kept = has(&r.tags.categories, c)
                || r.tags
                    .primary_category
                    .as_deref()
                    .is_some_and(|x| same(x, c));
            offered.push((c, kept, Field::Secondary));
        }
        for p in &s.tags.principles {
            offered.push((p, has(&r.tags.principles, p), Field::Principles));
        }
        for v in &s.tags.values {
            offered.push((v, has(&r.tags.values, v), Field::Values));
        }
        for (id, kept, field) in offered {
            let f = &mut self.by_field;
            match field {
                Field::Category => f.category.add(kept),
                Field::Secondary => f.secondary.add(kept),
                Field::Principles => f.principles.add(kept),
                Field::Values => f.values.add(kept),
            }
            let Some(source) = s.source_of(id) else {
                continue;
            };
            let b = &mut self.by_source;
            match source.kind() {
                SourceKind::Proposed => b.proposed.add(kept),
                SourceKind::Quoted => b.quoted.add(kept),
                SourceKind::Evidence => b.evidence.add(kept),
            }
            if source.is_weak() {
                b.weak_evidence.add(kept);
            }
        }
    }

    /// The plain-text part of `casetag stats`.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Suggestions kept, over {}",
            crate::text::count(self.records, "decided record", "decided records")
        );
        let f = &self.by_field;
        let b = &self.by_source;
        for (name, k) in [
            ("primary category", f.category),
            ("secondary categories", f.secondary),
            ("principles", f.principles),
            ("values", f.values),
            ("proposed by the council", b.proposed),
            ("quoted statement", b.quoted),
            ("keyword evidence", b.evidence),
            ("  of which weak", b.weak_evidence),
        ] {
            let _ = writeln!(out, "  {name:<26}{}", k.describe());
        }
        out
    }
}

#[derive(Debug, Clone, Copy)]
enum Field {
    Category,
    Secondary,
    Principles,
    Values,
}

/// "1h 05m", "4m 10s".
pub fn format_duration(secs: u64) -> String {
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}h {m:02}m")
    } else {
        format!("{m}m {s:02}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::suggest::Source;
    use crate::tags::Tags;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn acceptance_counts_what_the_officer_kept_per_field_and_source() {
        let s = Suggestions {
            tags: Tags {
                primary_category: Some("housing".into()),
                categories: ids(&["community", "poverty"]),
                principles: ids(&["co-production", "innovation"]),
                values: ids(&["democracy", "equity", "openness"]),
            },
            sources: vec![
                ("housing".into(), Source::Proposed),
                ("community".into(), Source::Proposed),
                (
                    "poverty".into(),
                    Source::Evidence {
                        hits: 5,
                        weak: false,
                    },
                ),
                ("co-production".into(), Source::Quoted),
                (
                    "innovation".into(),
                    Source::Evidence {
                        hits: 1,
                        weak: true,
                    },
                ),
                (
                    "democracy".into(),
                    Source::Evidence {
                        hits: 3,
                        weak: false,
                    },
                ),
                (
                    "equity".into(),
                    Source::Evidence {
                        hits: 1,
                        weak: true,
                    },
                ),
                (
                    "openness".into(),
                    Source::Evidence {
                        hits: 0,
                        weak: true,
                    },
                ),
            ],
            set_aside: vec![],
        };
        let mut r = Record::new("x.md");
        r.decision = Some("approve".into());
        // the primary kept; community made primary elsewhere is no matter:
        // poverty kept as a secondary; co-production kept, innovation not;
        // democracy and equity kept (at other ranks), openness not
        r.tags.primary_category = Some("housing".into());
        r.tags.categories = ids(&["poverty"]);
        r.tags.principles = ids(&["co-production"]);
        r.tags.values = ids(&["equity", "democracy", "solidarity"]);
        let mut a = Acceptance::default();
        a.add(&s, &r);
        assert_eq!(a.records, 1);
        let k = |offered, kept| Kept { offered, kept };
        assert_eq!(
            a.by_field,
            KeptByField {
                category: k(1, 1),
                secondary: k(2, 1),
                principles: k(2, 1),
                values: k(3, 2),
            }
        );
        assert_eq!(
            a.by_source,
            KeptBySource {
                proposed: k(2, 1),
                quoted: k(1, 1),
                evidence: k(5, 3),
                weak_evidence: k(3, 1),
            }
        );
        // a second record that kept nothing
        a.add(&s, &Record::new("y.md"));
        assert_eq!(a.records, 2);
        assert_eq!(a.by_field.values, k(6, 2));
        assert_eq!(a.by_field.values.describe(), "2 of 6 (33%)");
        assert_eq!(Kept::default().describe(), "-");
        let text = a.to_text();
        assert!(
            text.starts_with("Suggestions kept, over 2 decided records\n"),
            "{text}"
        );
        assert!(text.contains("  of which weak"), "{text}");
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(3900), "1h 05m");
        assert_eq!(format_duration(250), "4m 10s");
    }
}
