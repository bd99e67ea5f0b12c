//! Progress and tag counts over a batch: the figures of `casetag stats` and of
//! the statistics view.

use std::fmt::Write as _;

use crate::batch::{Batch, Status};
use crate::taxonomy::{Kind, Taxonomy};

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
    /// Primary categories, in taxonomy order.
    pub primary: Vec<Count>,
    /// Secondary categories, in taxonomy order.
    pub secondary: Vec<Count>,
    pub principles: Vec<Count>,
    /// Values ranked first.
    pub values_first: Vec<Count>,
    /// Values weighted by rank: with three ranks, first counts 3, second 2, third 1.
    pub values_weighted: Vec<Count>,
    /// Time recorded on decided submissions, and how many had time recorded.
    pub seconds_decided: u64,
    pub timed_decided: usize,
}

/// Pairs as a JSON object, in their order.
fn as_object<S: serde::Serializer>(pairs: &[(Status, usize)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(pairs.iter().map(|(k, v)| (k, v)))
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
            if let Some(p) = &r.primary_category {
                add(&mut s.primary, p, 1);
            }
            for c in &r.categories {
                add(&mut s.secondary, c, 1);
            }
            for p in &r.principles {
                add(&mut s.principles, p, 1);
            }
            for (rank, v) in r.values.iter().enumerate().take(ranks) {
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

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(3900), "1h 05m");
        assert_eq!(format_duration(250), "4m 10s");
    }
}
