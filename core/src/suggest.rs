//! Suggestions drawn from a submission itself: the council's `[proposed]` tags,
//! the principles quoted under "Principles met", and taxonomy keywords in the
//! title and body. Suggestions are never written to a record until the officer
//! confirms them in a picker.

use crate::submission::Submission;
use crate::taxonomy::{Entry, Kind, Taxonomy};

/// Where a suggestion came from, shown beside it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// The council's own `[proposed]` tags.
    Proposed,
    /// A principle statement quoted under "Principles met".
    Quoted,
    /// Taxonomy keywords found in the text (how many hits, title hits counting triple).
    Keywords(usize),
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Suggestions {
    pub primary_category: Option<String>,
    /// Secondary categories, strongest evidence first, within the rules' limit.
    pub categories: Vec<String>,
    /// In taxonomy order.
    pub principles: Vec<String>,
    /// Ranked, at most the rules' number of ranked values.
    pub values: Vec<String>,
    /// Why each id was suggested.
    pub sources: Vec<(String, Source)>,
}

impl Source {
    /// Where the suggestion came from, in a few words ("proposed", "3 keyword hits").
    pub fn describe(self) -> String {
        match self {
            Source::Proposed => "proposed".to_string(),
            Source::Quoted => "quoted".to_string(),
            Source::Keywords(n) => crate::text::count(n, "keyword hit", "keyword hits"),
        }
    }
}

impl Suggestions {
    pub fn source_of(&self, id: &str) -> Option<Source> {
        self.sources.iter().find(|(i, _)| i == id).map(|(_, s)| *s)
    }

    pub fn is_empty(&self) -> bool {
        self.primary_category.is_none()
            && self.categories.is_empty()
            && self.principles.is_empty()
            && self.values.is_empty()
    }

    /// Every suggested id of one kind (the primary first for categories).
    pub fn ids(&self, kind: Kind) -> Vec<String> {
        match kind {
            Kind::Category => self
                .primary_category
                .iter()
                .chain(self.categories.iter())
                .cloned()
                .collect(),
            Kind::Principle => self.principles.clone(),
            Kind::Value => self.values.clone(),
        }
    }
}

/// The fewest keyword hits that make a keyword suggestion.
const MIN_HITS: usize = 2;

pub fn suggest(sub: &Submission, taxonomy: &Taxonomy) -> Suggestions {
    let rules = taxonomy.rules;
    let title = sub.title.to_lowercase();
    let body = sub.body.to_lowercase();
    let scores = |kind: Kind, min_hits: usize| -> Vec<(String, usize)> {
        let mut v: Vec<(String, usize)> = taxonomy
            .entries(kind)
            .iter()
            .map(|e| (e.id.clone(), keyword_score(e, &title, &body)))
            .filter(|(_, n)| *n >= min_hits)
            .collect();
        // strongest first; ties keep taxonomy order (the sort is stable)
        v.sort_by_key(|e| std::cmp::Reverse(e.1));
        v
    };
    let mut s = Suggestions::default();
    let p = &sub.proposed;

    // Categories: the council's choice wins; otherwise the keyword evidence.
    if p.primary_category.is_some() || !p.categories.is_empty() {
        s.primary_category = p.primary_category.clone();
        for c in &p.categories {
            s.sources.push((c.clone(), Source::Proposed));
        }
        s.categories = p
            .categories
            .iter()
            .filter(|c| Some(*c) != s.primary_category.as_ref())
            .take(rules.max_secondary_categories)
            .cloned()
            .collect();
        if s.primary_category.is_none() && !s.categories.is_empty() {
            s.primary_category = Some(s.categories.remove(0));
        }
        if let Some(pc) = &s.primary_category {
            s.sources.push((pc.clone(), Source::Proposed));
        }
    } else {
        let ranked = scores(Kind::Category, MIN_HITS);
        if let Some((top_id, top)) = ranked.first() {
            s.primary_category = Some(top_id.clone());
            for (id, n) in &ranked {
                s.sources.push((id.clone(), Source::Keywords(*n)));
            }
            // secondaries need at least a third of the primary's evidence
            s.categories = ranked
                .iter()
                .skip(1)
                .filter(|(_, n)| n * 3 >= *top)
                .take(rules.max_secondary_categories)
                .map(|(id, _)| id.clone())
                .collect();
        }
    }

    // Principles: proposed and quoted ones; keywords only when there are none.
    let mut principles: Vec<String> = Vec::new();
    for id in &p.principles {
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
        for (id, n) in scores(Kind::Principle, MIN_HITS).into_iter().take(3) {
            s.sources.push((id.clone(), Source::Keywords(n)));
            principles.push(id);
        }
    }
    taxonomy.sort_ids(Kind::Principle, &mut principles);
    s.principles = principles;

    // Values: the council's ranking first, then keyword evidence fills the ranks.
    let mut values: Vec<String> = Vec::new();
    for id in p.values.iter().take(rules.ranked_values) {
        if !values.contains(id) {
            values.push(id.clone());
            s.sources.push((id.clone(), Source::Proposed));
        }
    }
    // A value's words are everyday words: one clear mention is evidence
    // enough to offer it for a rank the officer still confirms.
    for (id, n) in scores(Kind::Value, 1) {
        if values.len() >= rules.ranked_values {
            break;
        }
        if !values.contains(&id) {
            s.sources.push((id.clone(), Source::Keywords(n)));
            values.push(id);
        }
    }
    s.values = values;
    s
}

/// Keyword hits of one entry: title hits count three times.
fn keyword_score(entry: &Entry, title: &str, body: &str) -> usize {
    entry
        .keywords
        .iter()
        .map(|k| {
            let k = k.to_lowercase();
            3 * count_word(title, &k) + count_word(body, &k)
        })
        .sum()
}

/// Occurrences of `word` in `text` (both lower-case) starting at a word boundary
/// and ending at one or with a common English ending ("tenant" finds "tenants").
pub fn count_word(text: &str, word: &str) -> usize {
    word_ranges(text, word).len()
}

/// Where `word` occurs in `text` as [`count_word`] counts it: the byte range
/// of each occurrence, its ending included.
pub fn word_ranges(text: &str, word: &str) -> Vec<(usize, usize)> {
    if word.is_empty() {
        return Vec::new();
    }
    const ENDINGS: [&str; 6] = ["s", "es", "ed", "ing", "er", "ers"];
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
