//! Suggestions drawn from a submission itself: the council's `[proposed]` tags,
//! the principles quoted under "Principles met", and the evidence of the text
//! (taxonomy keywords and phrases, weighted by where they occur; for values
//! also the principles and categories that speak for them). Suggestions are
//! never written to a record until the officer confirms them in a picker.
//!
//! Values are ranked by evidence: all ten are scored and the best three with
//! any evidence are offered, those with little marked weak, so that a
//! submission without the council's own ranking still gets a full top three
//! to confirm or re-rank. Principles come from the council's proposal and the
//! quoted statements; a text that has neither gets principles from phrase
//! evidence, which is weaker than a quoted statement and says so.

use std::collections::HashMap;

use crate::submission::{SetAside, Submission};
use crate::tags::Tags;
use crate::taxonomy::{Entry, Kind, Taxonomy};

/// Where a suggestion came from, shown beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The council's own `[proposed]` tags.
    Proposed,
    /// A principle statement quoted under "Principles met".
    Quoted,
    /// Evidence in the text: `hits` keyword and phrase hits, and for a value
    /// the principles and categories that speak for it; `weak` when there is
    /// little of it.
    Evidence { hits: usize, weak: bool },
}

/// The three kinds of [`Source`], for counting what the officer kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    Proposed,
    Quoted,
    Evidence,
}

impl SourceKind {
    pub const ALL: [SourceKind; 3] = [
        SourceKind::Proposed,
        SourceKind::Quoted,
        SourceKind::Evidence,
    ];

    /// "proposed by the council", "quoted statement", "keyword evidence".
    pub fn describe(self) -> &'static str {
        match self {
            SourceKind::Proposed => "proposed by the council",
            SourceKind::Quoted => "quoted statement",
            SourceKind::Evidence => "keyword and phrase evidence",
        }
    }

    /// The key in `stats --json`.
    pub fn key(self) -> &'static str {
        match self {
            SourceKind::Proposed => "proposed",
            SourceKind::Quoted => "quoted",
            SourceKind::Evidence => "evidence",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Suggestions {
    /// Secondary categories strongest evidence first, within the rules'
    /// limit; principles in taxonomy order; values ranked, at most the
    /// rules' number of them.
    #[serde(flatten)]
    pub tags: Tags,
    /// Why each id was suggested.
    pub sources: Vec<(String, Source)>,
    /// What the council proposed that breaks the rules, with the reason:
    /// shown beside the suggestions, never silently dropped.
    pub set_aside: Vec<SetAside>,
}

impl Source {
    /// Where the suggestion came from, in a few words ("proposed", "3 keyword
    /// hits", "weak: 1 keyword hit").
    pub fn describe(self) -> String {
        match self {
            Source::Proposed => "proposed".to_string(),
            Source::Quoted => "quoted".to_string(),
            Source::Evidence { hits, weak } => {
                let what = if hits == 0 {
                    "related tags".to_string()
                } else {
                    crate::text::count(hits, "keyword hit", "keyword hits")
                };
                if weak { format!("weak: {what}") } else { what }
            }
        }
    }

    /// Whether the suggestion rests on little evidence.
    pub fn is_weak(self) -> bool {
        matches!(self, Source::Evidence { weak: true, .. })
    }

    pub fn kind(self) -> SourceKind {
        match self {
            Source::Proposed => SourceKind::Proposed,
            Source::Quoted => SourceKind::Quoted,
            Source::Evidence { .. } => SourceKind::Evidence,
        }
    }
}

impl Suggestions {
    pub fn source_of(&self, id: &str) -> Option<Source> {
        self.sources.iter().find(|(i, _)| i == id).map(|(_, s)| *s)
    }

    /// Whether `id` is suggested on little evidence.
    pub fn is_weak(&self, id: &str) -> bool {
        self.source_of(id).is_some_and(Source::is_weak)
    }

    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }

    /// Every suggested id of one kind (the primary first for categories).
    pub fn ids(&self, kind: Kind) -> Vec<String> {
        self.tags.ids(kind)
    }
}

/// The fewest keyword hits that make a category suggestion.
const MIN_HITS: usize = 2;
/// The least evidence score that suggests a principle: one phrase, or a word
/// twice.
const MIN_PRINCIPLE_SCORE: usize = 2;
/// Evidence scoring less than this is weak.
pub const STRONG_SCORE: usize = 4;
/// How much a principle speaks for its values: proposed or quoted, found in
/// phrases (weak or not).
const PRINCIPLE_WEIGHT: usize = 3;
const FOUND_PRINCIPLE_WEIGHT: usize = 2;
const WEAK_PRINCIPLE_WEIGHT: usize = 1;
/// How much a category speaks for its values: the primary, a secondary.
const PRIMARY_WEIGHT: usize = 2;
const SECONDARY_WEIGHT: usize = 1;

/// A submission's text in the parts that weigh differently, lower-case.
#[derive(Debug, Clone, Default)]
pub struct Text {
    pub title: String,
    /// The body's Markdown headings (`#` lines).
    pub headings: String,
    /// The rest of the body.
    pub body: String,
    /// Every keyword's hits in the title, the headings and the body.
    hits: HashMap<String, [usize; 3]>,
}

impl Text {
    /// The submission's text in parts, with the hits of every keyword of
    /// `taxonomy` counted once.
    pub fn of(sub: &Submission, taxonomy: &Taxonomy) -> Text {
        let mut t = Text {
            title: sub.title.to_lowercase(),
            ..Text::default()
        };
        for line in sub.body.lines() {
            let part = if line.trim_start().starts_with('#') {
                &mut t.headings
            } else {
                &mut t.body
            };
            part.push_str(&line.to_lowercase());
            part.push('\n');
        }
        t.hits = count_keywords(taxonomy, [&t.title, &t.headings, &t.body]);
        t
    }

    /// The hits of `keyword` (lower-case) in the title, the headings and the body.
    fn hits(&self, keyword: &str) -> [usize; 3] {
        self.hits.get(keyword).copied().unwrap_or_default()
    }
}

/// Every keyword of the taxonomy (lower-case) with its hits in each part, as
/// [`count_word`] counts them, in one pass over each part: the text's words
/// are looked up among the keywords' first words instead of searching the
/// text once per keyword.
fn count_keywords(taxonomy: &Taxonomy, parts: [&str; 3]) -> HashMap<String, [usize; 3]> {
    // keywords by their first run of letters and digits
    let mut by_first: HashMap<String, Vec<String>> = HashMap::new();
    for kind in Kind::ALL {
        for e in taxonomy.entries(kind) {
            for k in &e.keywords {
                let k = k.to_lowercase();
                let first: String = family(&k)
                    .chars()
                    .take_while(|c| c.is_alphanumeric())
                    .collect();
                if first.is_empty() {
                    continue;
                }
                let list = by_first.entry(first).or_default();
                if !list.contains(&k) {
                    list.push(k);
                }
            }
        }
    }
    let mut hits: HashMap<String, [usize; 3]> = HashMap::new();
    for (i, text) in parts.iter().enumerate() {
        let mut prev_alnum = false;
        for (at, c) in text.char_indices() {
            let alnum = c.is_alphanumeric();
            if alnum && !prev_alnum {
                let rest = text.get(at..).unwrap_or_default();
                let run_len = rest
                    .char_indices()
                    .find(|(_, c)| !c.is_alphanumeric())
                    .map_or(rest.len(), |(j, _)| j);
                let run = rest.get(..run_len).unwrap_or_default();
                // the run itself, or the run less an ending ("tenants")
                let stems =
                    std::iter::once(run).chain(ENDINGS.iter().filter_map(|e| run.strip_suffix(e)));
                for stem in stems {
                    for k in by_first.get(stem).into_iter().flatten() {
                        if matches_at(text, at, family(k))
                            && let Some(slot) = hits.entry(k.clone()).or_default().get_mut(i)
                        {
                            *slot += 1;
                        }
                    }
                }
            }
            prev_alnum = alnum;
        }
    }
    hits
}

/// The endings a word may carry and still count ("tenant" finds "tenants").
const ENDINGS: [&str; 6] = ["s", "es", "ed", "ing", "er", "ers"];

/// What a keyword is looked for as: a one-word keyword in "-ing" whose
/// stem has five letters or more stands for its verb's other forms too
/// ("training" finds "trained" and "trainers", "learning" finds
/// "learners"); any other keyword stands for itself. Shorter stems are
/// left whole, as they name other words ("caring" is not "cars").
fn family(keyword: &str) -> &str {
    match keyword.strip_suffix("ing") {
        Some(stem) if stem.chars().count() >= 5 && stem.chars().all(char::is_alphanumeric) => stem,
        _ => keyword,
    }
}

/// Whether `word` occurs in `text` at byte `at`, as [`word_ranges`] finds it
/// (the start of a word is for the caller to check): followed by the end of
/// a word, or by one of the [`ENDINGS`] and then the end of a word.
fn matches_at(text: &str, at: usize, word: &str) -> bool {
    let Some(rest) = text.get(at..).and_then(|r| r.strip_prefix(word)) else {
        return false;
    };
    let tail_len = rest
        .char_indices()
        .find(|(_, c)| !c.is_alphanumeric())
        .map_or(rest.len(), |(i, _)| i);
    let tail = rest.get(..tail_len).unwrap_or_default();
    tail.is_empty() || ENDINGS.contains(&tail)
}

/// An entry's evidence in a text: its keyword and phrase hits, and a score
/// that weighs a phrase (several words) twice a word, and a hit in the title
/// three times, in a heading twice, one in the body.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evidence {
    pub hits: usize,
    pub score: usize,
}

pub fn evidence(entry: &Entry, text: &Text) -> Evidence {
    let mut e = Evidence::default();
    for k in &entry.keywords {
        let k = k.to_lowercase();
        let weight = if k.contains([' ', '-', '\'']) { 2 } else { 1 };
        let [t, h, b] = text.hits(&k);
        e.hits += t + h + b;
        e.score += weight * (3 * t + 2 * h + b);
    }
    e
}

pub fn suggest(sub: &Submission, taxonomy: &Taxonomy) -> Suggestions {
    let rules = taxonomy.rules;
    let text = Text::of(sub, taxonomy);
    let mut s = Suggestions::default();
    let p = &sub.proposed;
    s.set_aside = p.set_aside.clone();
    let label = |kind: Kind, id: &str| taxonomy.label(kind, id).to_string();

    // Categories: the council's choice wins; otherwise the keyword evidence.
    if p.tags.primary_category.is_some() || !p.tags.categories.is_empty() {
        s.tags.primary_category = p.tags.primary_category.clone();
        for c in &p.tags.categories {
            s.sources.push((c.clone(), Source::Proposed));
        }
        let mut secondary: Vec<String> = p
            .tags
            .categories
            .iter()
            .filter(|c| Some(*c) != s.tags.primary_category.as_ref())
            .cloned()
            .collect();
        if s.tags.primary_category.is_none() && !secondary.is_empty() {
            s.tags.primary_category = Some(secondary.remove(0));
        }
        let max = rules.max_secondary_categories;
        for extra in secondary.iter().skip(max) {
            let reason = format!(
                "at most {} besides the primary",
                crate::text::count(max, "secondary category", "secondary categories")
            );
            s.set_aside.push(SetAside::new(
                Kind::Category,
                label(Kind::Category, extra),
                reason,
            ));
        }
        secondary.truncate(max);
        s.tags.categories = secondary;
        if let Some(pc) = &s.tags.primary_category {
            s.sources.push((pc.clone(), Source::Proposed));
        }
    } else {
        // keyword and phrase evidence, weighted by where it occurs, as for
        // principles and values
        let ranked: Vec<(String, Evidence)> = ranked_by_evidence(taxonomy, Kind::Category, &text)
            .into_iter()
            .filter(|(_, e)| e.hits >= MIN_HITS)
            .collect();
        if let Some((top_id, top)) = ranked.first() {
            s.tags.primary_category = Some(top_id.clone());
            for (id, e) in &ranked {
                let source = Source::Evidence {
                    hits: e.hits,
                    weak: e.score < STRONG_SCORE,
                };
                s.sources.push((id.clone(), source));
            }
            // secondaries need at least a third of the primary's evidence
            s.tags.categories = ranked
                .iter()
                .skip(1)
                .filter(|(_, e)| e.score * 3 >= top.score)
                .take(rules.max_secondary_categories)
                .map(|(id, _)| id.clone())
                .collect();
        }
    }

    // Principles: proposed and quoted ones; phrase evidence only when there
    // are none.
    let mut principles: Vec<String> = Vec::new();
    for id in &p.tags.principles {
        principles.push(id.clone());
        s.sources.push((id.clone(), Source::Proposed));
    }
    for id in &sub.principles_met {
        if !principles.contains(id) {
            principles.push(id.clone());
            s.sources.push((id.clone(), Source::Quoted));
        }
    }
    if principles.is_empty() {
        for (id, e) in ranked_by_evidence(taxonomy, Kind::Principle, &text)
            .into_iter()
            .filter(|(_, e)| e.score >= MIN_PRINCIPLE_SCORE)
            .take(3)
        {
            let source = Source::Evidence {
                hits: e.hits,
                weak: e.score < STRONG_SCORE,
            };
            s.sources.push((id.clone(), source));
            principles.push(id);
        }
    }
    taxonomy.sort_ids(Kind::Principle, &mut principles);
    s.tags.principles = principles;

    // Values: the council's ranking first, then the best evidenced fill the ranks.
    let mut values: Vec<String> = Vec::new();
    for id in &p.tags.values {
        if values.contains(id) {
            continue;
        }
        if values.len() >= rules.ranked_values {
            let reason = format!(
                "only {} are ranked",
                crate::text::count(rules.ranked_values, "value", "values")
            );
            s.set_aside
                .push(SetAside::new(Kind::Value, label(Kind::Value, id), reason));
            continue;
        }
        values.push(id.clone());
        s.sources.push((id.clone(), Source::Proposed));
    }
    for (id, hits, score) in rank_values(&s, taxonomy, &text) {
        if values.len() >= rules.ranked_values || score == 0 {
            break;
        }
        if !values.contains(&id) {
            let source = Source::Evidence {
                hits,
                weak: score < STRONG_SCORE,
            };
            s.sources.push((id.clone(), source));
            values.push(id);
        }
    }
    s.tags.values = values;
    s
}

/// Every entry of `kind` with its evidence, strongest first (ties in taxonomy
/// order).
fn ranked_by_evidence(taxonomy: &Taxonomy, kind: Kind, text: &Text) -> Vec<(String, Evidence)> {
    let mut v: Vec<(String, Evidence)> = taxonomy
        .entries(kind)
        .iter()
        .map(|e| (e.id.clone(), evidence(e, text)))
        .collect();
    v.sort_by_key(|(_, e)| std::cmp::Reverse(e.score));
    v
}

/// All the values, best evidenced first (ties in taxonomy order), each with
/// its keyword hits and its score: its own keyword and phrase evidence, and
/// what the suggested principles and categories speak for.
pub fn rank_values(
    s: &Suggestions,
    taxonomy: &Taxonomy,
    text: &Text,
) -> Vec<(String, usize, usize)> {
    let speaks = |kind: Kind, id: &str, value: &str| {
        taxonomy
            .get(kind, id)
            .is_some_and(|e| e.speaks_for.iter().any(|v| v == value))
    };
    let mut ranked: Vec<(String, usize, usize)> = taxonomy
        .values
        .iter()
        .map(|v| {
            let e = evidence(v, text);
            let mut score = e.score;
            for p in &s.tags.principles {
                if speaks(Kind::Principle, p, &v.id) {
                    score += match s.source_of(p) {
                        Some(Source::Evidence { weak: true, .. }) => WEAK_PRINCIPLE_WEIGHT,
                        Some(Source::Evidence { weak: false, .. }) => FOUND_PRINCIPLE_WEIGHT,
                        _ => PRINCIPLE_WEIGHT,
                    };
                }
            }
            if let Some(c) = &s.tags.primary_category
                && speaks(Kind::Category, c, &v.id)
            {
                score += PRIMARY_WEIGHT;
            }
            for c in &s.tags.categories {
                if speaks(Kind::Category, c, &v.id) {
                    score += SECONDARY_WEIGHT;
                }
            }
            (v.id.clone(), e.hits, score)
        })
        .collect();
    ranked.sort_by_key(|(_, _, score)| std::cmp::Reverse(*score));
    ranked
}

/// Occurrences of `word` in `text` (both lower-case) starting at a word boundary
/// and ending at one or with a common English ending ("tenant" finds "tenants";
/// "training" finds "trained": a one-word keyword in "-ing" with a stem of
/// five letters or more stands for its verb's other forms).
pub fn count_word(text: &str, word: &str) -> usize {
    word_ranges(text, word).len()
}

/// Where `word` occurs in `text` as [`count_word`] counts it: the byte range
/// of each occurrence, its ending included.
pub fn word_ranges(text: &str, word: &str) -> Vec<(usize, usize)> {
    let word = family(word);
    if word.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (at, _) in text.match_indices(word) {
        let before_ok = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if !before_ok {
            continue;
        }
        let rest = &text[at + word.len()..];
        let tail_len = rest
            .char_indices()
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(rest.len(), |(i, _)| i);
        let tail = &rest[..tail_len];
        if tail.is_empty() || ENDINGS.contains(&tail) {
            out.push((at, at + word.len() + tail_len));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::submission::parse_submission;
    use std::path::Path;

    fn sub(name: &str, text: &str) -> Submission {
        parse_submission(Path::new(name), text.as_bytes(), &Taxonomy::builtin()).expect("parses")
    }

    fn suggested(name: &str, text: &str) -> Suggestions {
        suggest(&sub(name, text), &Taxonomy::builtin())
    }

    #[test]
    fn phrases_weigh_twice_and_the_title_three_times() {
        let tax = Taxonomy::builtin();
        let democracy = tax.get(Kind::Value, "democracy").expect("democracy");
        let s = sub(
            "x.md",
            "+++\ntitle = \"A vote on the budget\"\n+++\n## Why we vote\n\nOne member, one vote.\n",
        );
        let e = evidence(democracy, &Text::of(&s, &tax));
        // "vote": title 3 + heading 2 + body 1; "one member, one vote": phrase 2
        assert_eq!(e.hits, 4);
        assert_eq!(e.score, 3 + 2 + 1 + 2);
    }

    #[test]
    fn a_full_top_three_is_offered_when_there_is_evidence() {
        let s = suggested(
            "x.md",
            "+++\ntitle = \"Tenants decide\"\n+++\nResidents vote on every decision: one member, one vote. We publish \
             the results. The homes are affordable for people on low incomes.\n",
        );
        assert_eq!(s.tags.values.len(), 3, "{s:?}");
        // democracy has the most evidence: "decide" in the title, "vote"
        assert_eq!(s.tags.values.first().map(String::as_str), Some("democracy"));
        assert!(s.tags.values.contains(&"equity".to_string()), "{s:?}");
        assert!(s.tags.values.contains(&"openness".to_string()), "{s:?}");
        for v in &s.tags.values {
            assert!(
                matches!(s.source_of(v), Some(Source::Evidence { .. })),
                "{v}"
            );
        }
    }

    #[test]
    fn the_principles_found_speak_for_their_values() {
        // one quoted statement, no value words at all: the principle's value
        // is offered, on weak evidence
        let text = "Principles met\n\n\u{2022} We will support the active engagement of the full \
                    range of residents in decision making and priority setting.\n\nAbout the project\n\n\
                    A project.\n";
        let s = suggested("x.txt", text);
        assert_eq!(s.tags.principles, ["democratic-engagement"]);
        assert_eq!(s.tags.values, ["democracy"], "{s:?}");
        assert_eq!(
            s.source_of("democracy"),
            Some(Source::Evidence {
                hits: 0,
                weak: true
            })
        );
        assert!(s.is_weak("democracy"));
        assert_eq!(
            s.source_of("democracy").map(Source::describe).as_deref(),
            Some("weak: related tags")
        );
    }

    #[test]
    fn the_councils_ranking_comes_first_and_evidence_fills_the_rest() {
        let s = suggested(
            "x.md",
            "+++\ntitle = \"T\"\n[proposed]\nvalues = [\"Honesty\"]\n+++\nWe vote. We vote again. \
             It is fair.\n",
        );
        assert_eq!(s.tags.values, ["honesty", "democracy", "equity"], "{s:?}");
        assert_eq!(s.source_of("honesty"), Some(Source::Proposed));
    }

    #[test]
    fn words_that_name_services_are_no_evidence_of_a_value() {
        let tax = Taxonomy::builtin();
        let hits = |id: &str, text: &str| {
            let e = tax.get(Kind::Value, id).expect("in the taxonomy");
            evidence(e, &Text::of(&sub("t.txt", text), &tax)).hits
        };
        let services = "Youth services\n\nCare leavers and young carers designed the \
             service with social care and home care staff. The hubs opened in shared \
             buildings and a shared stock system links them; residents bought community shares.";
        assert_eq!(hits("caring-for-others", services), 0);
        assert_eq!(hits("openness", services), 0);
        let values = "Open books\n\nThe council publishes every decision and holds open \
             meetings; volunteers look after isolated neighbours and care for each other.";
        assert!(hits("openness", values) >= 2);
        assert!(hits("caring-for-others", values) >= 3);
    }

    #[test]
    fn no_evidence_no_values() {
        let s = suggested("x.md", "+++\ntitle = \"T\"\n+++\nNothing to see.\n");
        assert!(s.tags.values.is_empty(), "{s:?}");
        assert!(s.tags.principles.is_empty(), "{s:?}");
    }

    #[test]
    fn the_case_studys_own_lessons_heading_is_no_evidence_of_learning() {
        // every case study written to the website's template has such a
        // heading; the principle is about spreading what was learnt
        let own = "# Hubs\n\n## What we have learned\n\nResidents want a say.\n";
        assert!(
            !suggested("a.md", own)
                .tags
                .principles
                .contains(&"learning".into())
        );
        let shared =
            "# Hubs\n\nWe shared the toolkit with other councils and had visits from Leeds.\n";
        assert!(
            suggested("b.md", shared)
                .tags
                .principles
                .contains(&"learning".into())
        );
    }

    #[test]
    fn principles_come_from_phrases_only_without_quoted_ones() {
        let text = "The council worked in partnership with residents, who co-produced the plan.\n";
        let s = suggested("x.txt", text);
        assert!(
            s.tags.principles.contains(&"co-production".to_string()),
            "{s:?}"
        );
        assert!(
            s.tags
                .principles
                .contains(&"social-partnership".to_string()),
            "{s:?}"
        );
        for p in &s.tags.principles {
            assert!(
                matches!(s.source_of(p), Some(Source::Evidence { .. })),
                "{p}"
            );
        }
        // a quoted statement stops the phrase evidence
        let quoted = format!(
            "Principles met\n\n\u{2022} We will embrace innovation in how we work with local \
             communities to drive positive change.\n\nAbout the project\n\n{text}"
        );
        let s = suggested("y.txt", &quoted);
        assert_eq!(s.tags.principles, ["innovation"]);
        assert_eq!(s.source_of("innovation"), Some(Source::Quoted));
    }

    #[test]
    fn proposals_that_break_the_rules_are_set_aside_with_the_reason() {
        let s = suggested(
            "x.md",
            "+++\ntitle = \"T\"\n[proposed]\nprimary_category = \"Housing\"\n\
             categories = [\"housing\", \"Poverty\", \"poverty\", \"Space travel\", \"Jobs\", \
             \"Finance\", \"Strategy\"]\nprinciples = [\"Innovation\", \"innovation\"]\n\
             values = [\"Democracy\", \"Generosity\", \"Equity\", \"democracy\", \"Openness\", \
             \"Honesty\"]\n+++\nBody.\n",
        );
        assert_eq!(s.tags.primary_category.as_deref(), Some("housing"));
        assert_eq!(s.tags.categories, ["poverty", "jobs", "finance"]);
        assert_eq!(s.tags.principles, ["innovation"]);
        assert_eq!(s.tags.values, ["democracy", "equity", "openness"]);
        let said: Vec<String> = s.set_aside.iter().map(SetAside::describe).collect();
        assert_eq!(
            said,
            [
                "Space travel (category): not in the taxonomy",
                "Generosity (value): not in the taxonomy",
                "Housing (category): the same as the primary category",
                "Poverty (category): named twice",
                "Innovation (principle): named twice",
                "Democracy (value): named twice",
                "Strategy (category): at most 3 secondary categories besides the primary",
                "Honesty (value): only 3 values are ranked",
            ]
        );
    }

    #[test]
    fn rank_values_orders_all_ten() {
        let tax = Taxonomy::builtin();
        let s = sub(
            "x.md",
            "+++\ntitle = \"Caring\"\n+++\nWe care for each other. Fair shares.\n",
        );
        let ranked = rank_values(&Suggestions::default(), &tax, &Text::of(&s, &tax));
        assert_eq!(ranked.len(), 10);
        assert_eq!(
            ranked.first().map(|r| r.0.as_str()),
            Some("caring-for-others")
        );
        assert!(ranked.windows(2).all(|w| w[0].2 >= w[1].2), "{ranked:?}");
    }

    proptest::proptest! {
        /// The one-pass count finds what searching once per keyword finds.
        #[test]
        fn one_pass_counts_as_count_word(words in proptest::collection::vec(
            proptest::sample::select(vec![
                "tenant", "tenants", "tenantship", "co-operative", "housing", "model", " ", "  ",
                "-", "s", "ing", "'", "citizens'", "assembly", "one", "member,", "vote", "\n",
                "self", "help", "co", "production", "social", "value", "é", "x",
            ]),
            0..40,
        )) {
            let tax = Taxonomy::builtin();
            let text: String = words.concat();
            let hits = count_keywords(&tax, [&text, "", ""]);
            for kind in Kind::ALL {
                for e in tax.entries(kind) {
                    for k in &e.keywords {
                        let k = k.to_lowercase();
                        let got = hits.get(&k).map_or(0, |h| h[0]);
                        proptest::prop_assert_eq!(got, count_word(&text, &k), "{} in {:?}", k, text);
                    }
                }
            }
        }
    }

    #[test]
    fn a_keyword_in_ing_finds_the_other_forms_of_its_verb() {
        assert_eq!(count_word("volunteers were trained", "training"), 1);
        assert_eq!(count_word("our learners and trainers", "learning"), 1);
        assert_eq!(count_word("the training course", "training"), 1);
        // a short stem names other words: "caring" is not "cars"
        assert_eq!(count_word("cars and carers", "caring"), 0);
        // only one-word keywords
        assert_eq!(count_word("we looked after", "looking after"), 0);
        assert_eq!(family("training"), "train");
        assert_eq!(family("housing"), "housing");
    }

    #[test]
    fn count_word_respects_boundaries_and_endings() {
        assert_eq!(count_word("tenants and a tenant", "tenant"), 2);
        assert_eq!(count_word("contenant", "tenant"), 0);
        assert_eq!(count_word("tenantship", "tenant"), 0);
        assert_eq!(count_word("food bank, food banks", "food bank"), 2);
        assert_eq!(count_word("", "x"), 0);
        assert_eq!(count_word("x", ""), 0);
    }
}
