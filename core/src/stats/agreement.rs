//! How far two officers agree who tagged the same submissions in two
//! folders (`casetag stats DIR --compare OTHER`): per field, percent
//! agreement and Cohen's kappa, and the submissions where they differ.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::batch::Batch;
use crate::record::Record;
use crate::taxonomy::{Kind, Taxonomy};

/// Agreement on one field over `n` submissions.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct FieldAgreement {
    /// "decision", "primary_category", "category:housing",
    /// "principle:co-production", "value_1".
    pub field: String,
    /// For people: "Decision", "Secondary: Housing", ...
    pub label: String,
    pub n: usize,
    /// How many of the `n` have the same answer on both sides.
    pub agreed: usize,
    /// Cohen's kappa; `None` when chance agreement is certain (both
    /// officers gave one and the same answer throughout), where it is not
    /// defined.
    pub kappa: Option<f64>,
    /// The submissions (file names) where the two differ.
    pub differ: Vec<String>,
}

impl FieldAgreement {
    /// Percent agreement, 0 to 100 (`None` over no submissions).
    pub fn percent(&self) -> Option<f64> {
        (self.n > 0).then(|| 100.0 * self.agreed as f64 / self.n as f64)
    }
}

/// Percent agreement and Cohen's kappa of paired answers (one pair per
/// item: the first officer's answer, the second's).
pub fn kappa<A: Ord + Clone>(pairs: &[(A, A)]) -> (usize, Option<f64>) {
    let n = pairs.len();
    let agreed = pairs.iter().filter(|(a, b)| a == b).count();
    if n == 0 {
        return (0, None);
    }
    let mut first: BTreeMap<A, usize> = BTreeMap::new();
    let mut second: BTreeMap<A, usize> = BTreeMap::new();
    for (a, b) in pairs {
        *first.entry(a.clone()).or_default() += 1;
        *second.entry(b.clone()).or_default() += 1;
    }
    let nf = n as f64;
    let p_o = agreed as f64 / nf;
    let p_e: f64 = first
        .iter()
        .map(|(k, &c)| (c as f64 / nf) * (second.get(k).copied().unwrap_or(0) as f64 / nf))
        .sum();
    if (1.0 - p_e).abs() < 1e-12 {
        return (agreed, None);
    }
    (agreed, Some((p_o - p_e) / (1.0 - p_e)))
}

/// The comparison of two folders.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Comparison {
    /// Submissions tagged in both folders.
    pub n: usize,
    /// Tagged in the first folder only, or in the second only (by file
    /// name), left out.
    pub only_first: Vec<String>,
    pub only_second: Vec<String>,
    pub fields: Vec<FieldAgreement>,
}

const NONE: &str = "(none)";

impl Comparison {
    /// Pairs the submissions of `a` and `b` by file name, keeping those with
    /// a record holding any tag or decision on both sides.
    pub fn compute(a: &Batch, b: &Batch, taxonomy: &Taxonomy) -> Comparison {
        let tagged = |batch: &Batch| -> BTreeMap<String, Record> {
            batch
                .items
                .iter()
                .filter_map(|i| {
                    let r = &i.record.as_ref()?.record;
                    (!r.is_blank()).then(|| (i.file_name.clone(), r.clone()))
                })
                .collect()
        };
        let (ta, tb) = (tagged(a), tagged(b));
        let pairs: Vec<(&String, &Record, &Record)> = ta
            .iter()
            .filter_map(|(name, ra)| tb.get(name).map(|rb| (name, ra, rb)))
            .collect();
        let only = |x: &BTreeMap<String, Record>, y: &BTreeMap<String, Record>| {
            x.keys().filter(|k| !y.contains_key(*k)).cloned().collect()
        };

        let mut fields = Vec::new();
        let mut field = |key: String, label: String, answer: &dyn Fn(&Record) -> String| {
            let answers: Vec<(String, String)> = pairs
                .iter()
                .map(|(_, x, y)| (answer(x), answer(y)))
                .collect();
            let (agreed, kappa) = kappa(&answers);
            let differ = pairs
                .iter()
                .zip(&answers)
                .filter(|(_, (x, y))| x != y)
                .map(|((name, _, _), _)| (*name).clone())
                .collect();
            fields.push(FieldAgreement {
                field: key,
                label,
                n: pairs.len(),
                agreed,
                kappa,
                differ,
            });
        };
        let or_none = |s: Option<&str>| s.unwrap_or(NONE).to_owned();
        field("decision".into(), "Decision".into(), &|r| {
            or_none(r.decision.as_deref())
        });
        field("primary_category".into(), "Primary category".into(), &|r| {
            or_none(r.tags.primary_category.as_deref())
        });
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_owned();
        for e in taxonomy.entries(Kind::Category) {
            let id = e.id.clone();
            field(
                format!("category:{}", e.id),
                format!("Secondary: {}", e.label),
                &|r| yes_no(r.tags.categories.contains(&id)),
            );
        }
        for e in taxonomy.entries(Kind::Principle) {
            let id = e.id.clone();
            field(
                format!("principle:{}", e.id),
                format!("Principle: {}", e.label),
                &|r| yes_no(r.tags.principles.contains(&id)),
            );
        }
        field("value_1".into(), "Value 1".into(), &|r| {
            or_none(r.tags.values.first().map(String::as_str))
        });
        Comparison {
            n: pairs.len(),
            only_first: only(&ta, &tb),
            only_second: only(&tb, &ta),
            fields,
        }
    }

    /// The report for people: one line per field, then where they differ.
    pub fn to_text(&self, first: &str, second: &str) -> String {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "Agreement between {first} and {second}: {} submission{} tagged in both",
            self.n,
            if self.n == 1 { "" } else { "s" }
        );
        for (names, folder) in [(&self.only_first, first), (&self.only_second, second)] {
            if !names.is_empty() {
                let _ = writeln!(
                    s,
                    "  tagged only in {folder} (left out): {}",
                    names.join(", ")
                );
            }
        }
        let _ = writeln!(
            s,
            "\n{:<44} {:>4} {:>6} {:>6}",
            "field", "n", "agree", "kappa"
        );
        for f in &self.fields {
            let pct = f.percent().map_or("-".to_owned(), |p| format!("{p:.0}%"));
            let k = f.kappa.map_or("-".to_owned(), |k| format!("{k:.2}"));
            let _ = writeln!(s, "{:<44} {:>4} {:>6} {:>6}", f.label, f.n, pct, k);
        }
        let differing: Vec<&FieldAgreement> = self
            .fields
            .iter()
            .filter(|f| !f.differ.is_empty())
            .collect();
        if !differing.is_empty() {
            let _ = writeln!(s, "\nWhere they differ:");
            for f in differing {
                let _ = writeln!(s, "  {}: {}", f.label, f.differ.join(", "));
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `n` pairs of (a, b).
    fn repeat(n: usize, a: &str, b: &str) -> Vec<(String, String)> {
        vec![(a.to_owned(), b.to_owned()); n]
    }

    #[test]
    fn kappa_of_the_worked_example_is_0_4() {
        // 50 proposals read by two readers: 20 both yes, 15 both no, 5 only
        // the first yes, 10 only the second yes (the example in Wikipedia's
        // "Cohen's kappa").
        let mut pairs = repeat(20, "yes", "yes");
        pairs.extend(repeat(5, "yes", "no"));
        pairs.extend(repeat(10, "no", "yes"));
        pairs.extend(repeat(15, "no", "no"));
        let (agreed, k) = kappa(&pairs);
        assert_eq!(agreed, 35);
        let k = k.unwrap_or(f64::NAN);
        assert!((k - 0.4).abs() < 1e-9, "{k}");
    }

    #[test]
    fn kappa_is_one_for_full_agreement_and_undefined_for_one_answer() {
        let mut pairs = repeat(3, "approve", "approve");
        pairs.extend(repeat(2, "decline", "decline"));
        assert_eq!(kappa(&pairs), (5, Some(1.0)));
        assert_eq!(kappa(&repeat(4, "no", "no")), (4, None));
        assert_eq!(kappa::<String>(&[]), (0, None));
    }

    #[test]
    fn kappa_below_chance_is_negative() {
        let mut pairs = repeat(5, "yes", "no");
        pairs.extend(repeat(5, "no", "yes"));
        let (agreed, k) = kappa(&pairs);
        assert_eq!(agreed, 0);
        assert_eq!(k, Some(-1.0));
    }
}
