//! Recognising the network's principle statements in pasted text.
//!
//! The statements are fixed wording (each principle's `description`, plus the
//! `sub_points` of "Walking the talk"), but officers paste them with small
//! differences: curly or straight quotes, "well-being" for "wellbeing",
//! "cooperative" for "co-operative", an older wording ("Supporting the active
//! engagement ..." for "We will support the active engagement ..."), sub-points
//! flattened onto one line or split over several, and stray text glued on.
//!
//! Text is compared as normalised words (see [`words`]). A principle is
//! recognised in a candidate text when the candidate covers most of one of the
//! principle's own statements: each word of the statement counts as covered when
//! a run of three consecutive statement words containing it also occurs in the
//! candidate. At least [`MIN_COVERAGE`] of the statement's words must be covered,
//! and at least [`MIN_PART_COVERAGE`] of each third of it (beginning, middle, end),
//! so a fragment shared with another statement (the official "New models" text
//! repeats the tail of "Co-production") never recognises a principle on its own.
//! A candidate that is exactly a principle's label (the newer web layout puts the
//! name on its own line) recognises it too.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::taxonomy::{Entry, Taxonomy};

/// The least share of a statement's words a candidate must cover.
pub(crate) const MIN_COVERAGE: f64 = 0.6;
/// The least share of each third of a statement a candidate must cover.
pub(crate) const MIN_PART_COVERAGE: f64 = 0.3;

/// The words of `text` for comparison: lower case; apostrophes, quotes and
/// hyphens dropped so the letters around them join ("co-operative" and
/// "cooperative", "well-being" and "wellbeing", "Network’s" and "Networks" read
/// alike); "&" read as "and"; every other character that is not a letter or a
/// digit separates words.
pub(crate) fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c.to_ascii_lowercase());
        } else if c.is_ascii() && !matches!(c, '\'' | '"' | '`' | '-') {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            if c == '&' {
                out.push("and".to_string());
            }
        } else if c.is_alphanumeric() {
            word.extend(c.to_lowercase());
        } else if is_joiner(c) {
            // dropped: the letters either side join
        } else {
            if !word.is_empty() {
                out.push(std::mem::take(&mut word));
            }
            if c == '&' {
                out.push("and".to_string());
            }
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

/// Apostrophes, quotes and hyphens (not dashes, which separate words).
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '\'' | '"'
            | '`'
            | '\u{00B4}' // acute accent used as an apostrophe
            | '\u{2018}'
            | '\u{2019}'
            | '\u{201A}'
            | '\u{201B}'
            | '\u{201C}'
            | '\u{201D}'
            | '\u{201E}'
            | '\u{201F}'
            | '\u{2032}'
            | '\u{2033}'
            | '\u{02BC}'
            | '-'
            | '\u{00AD}' // soft hyphen
            | '\u{2010}'
            | '\u{2011}'
    )
}

/// A word's number in the statements' vocabulary; words of a candidate that
/// no statement uses get [`UNKNOWN`].
type WordId = u32;
const UNKNOWN: WordId = WordId::MAX;
type Trigram = (WordId, WordId, WordId);

/// One principle, prepared for matching.
#[derive(Debug, Clone)]
struct Matcher {
    id: String,
    /// The label's words, and the id's ("co-production" as "co production").
    names: Vec<Vec<String>>,
    /// The taxonomy's aliases' words (for names listed inline).
    aliases: Vec<Vec<String>>,
}

/// One statement any one of which recognises its principle: a description,
/// or a sub-point ("label: statement").
#[derive(Debug, Clone)]
struct Piece {
    /// Index of its principle in `Recogniser::matchers`.
    owner: usize,
    words: Vec<WordId>,
}

/// The taxonomy's principles, prepared for recognising statements.
#[derive(Debug, Clone)]
pub(crate) struct Recogniser {
    matchers: Vec<Matcher>,
    pieces: Vec<Piece>,
    vocabulary: HashMap<String, WordId>,
    /// Where each run of three statement words occurs: (piece, position).
    index: HashMap<Trigram, Vec<(usize, usize)>>,
    /// A bound on the length in bytes of a text naming a principle.
    longest_name: usize,
}

/// The least share of a line's word trigrams that must come from statements
/// for it to be a fragment of one.
const MIN_FRAGMENT_SHARE: f64 = 0.8;

impl Recogniser {
    pub(crate) fn new(taxonomy: &Taxonomy) -> Self {
        let mut r = Recogniser {
            matchers: Vec::new(),
            pieces: Vec::new(),
            vocabulary: HashMap::new(),
            index: HashMap::new(),
            longest_name: 0,
        };
        for (owner, e) in taxonomy.principles.iter().enumerate() {
            let mut names = vec![words(&e.label)];
            let id_words = words(&e.id.replace('-', " "));
            if !names.contains(&id_words) {
                names.push(id_words);
            }
            names.retain(|n| !n.is_empty());
            // Room for punctuation, emphasis marks and spacing around the name.
            r.longest_name = r
                .longest_name
                .max(e.label.len().max(e.id.len()).saturating_mul(4) + 16);
            let aliases = e
                .aliases
                .iter()
                .map(|a| words(a))
                .filter(|a| !a.is_empty())
                .collect();
            r.matchers.push(Matcher {
                id: e.id.clone(),
                names,
                aliases,
            });
            let texts = std::iter::once(e.description.clone()).chain(
                e.sub_points
                    .iter()
                    .map(|p| format!("{}: {}", p.label, p.statement)),
            );
            for text in texts {
                let piece_words: Vec<WordId> = words(&text)
                    .into_iter()
                    .map(|w| {
                        let next = WordId::try_from(r.vocabulary.len()).unwrap_or(UNKNOWN - 1);
                        *r.vocabulary.entry(w).or_insert(next)
                    })
                    .collect();
                if !piece_words.is_empty() {
                    r.pieces.push(Piece {
                        owner,
                        words: piece_words,
                    });
                }
            }
        }
        for (p, piece) in r.pieces.iter().enumerate() {
            for (pos, w) in piece.words.windows(3).enumerate() {
                if let [a, b, c] = *w {
                    r.index.entry((a, b, c)).or_default().push((p, pos));
                }
            }
        }
        r
    }

    /// The recogniser for `taxonomy`, built once per thread and taxonomy.
    pub(crate) fn for_taxonomy(taxonomy: &Taxonomy) -> Rc<Recogniser> {
        type Cache = RefCell<Option<(Vec<Entry>, Rc<Recogniser>)>>;
        thread_local! {
            static CACHE: Cache = const { RefCell::new(None) };
        }
        let cached = CACHE.try_with(|cache| {
            let mut cache = cache.try_borrow_mut().ok()?;
            if let Some((principles, r)) = cache.as_ref()
                && *principles == taxonomy.principles
            {
                return Some(Rc::clone(r));
            }
            let r = Rc::new(Recogniser::new(taxonomy));
            *cache = Some((taxonomy.principles.clone(), Rc::clone(&r)));
            Some(r)
        });
        match cached {
            Ok(Some(r)) => r,
            _ => Rc::new(Recogniser::new(taxonomy)),
        }
    }

    fn ids(&self, words: &[String]) -> Vec<WordId> {
        words
            .iter()
            .map(|w| self.vocabulary.get(w).copied().unwrap_or(UNKNOWN))
            .collect()
    }

    /// For each piece, which of its words the candidate's trigrams cover
    /// (`None` for pieces it shares no trigram with).
    fn covered(&self, ids: &[WordId]) -> Vec<Option<Vec<bool>>> {
        let mut covered: Vec<Option<Vec<bool>>> = vec![None; self.pieces.len()];
        for w in ids.windows(3) {
            let [a, b, c] = *w else { continue };
            let Some(places) = self.index.get(&(a, b, c)) else {
                continue;
            };
            for &(p, pos) in places {
                let (Some(slot), Some(piece)) = (covered.get_mut(p), self.pieces.get(p)) else {
                    continue;
                };
                let marks = slot.get_or_insert_with(|| vec![false; piece.words.len()]);
                for m in marks.iter_mut().skip(pos).take(3) {
                    *m = true;
                }
            }
        }
        covered
    }

    /// The ids of the principles whose statements (or label) `text` quotes, in
    /// taxonomy order.
    pub(crate) fn recognise(&self, text: &str) -> Vec<String> {
        let words = words(text);
        if words.is_empty() {
            return Vec::new();
        }
        let ids = self.ids(&words);
        let mut hit: Vec<bool> = self
            .matchers
            .iter()
            .map(|m| m.names.contains(&words))
            .collect();
        for (piece, marks) in self.pieces.iter().zip(self.covered(&ids)) {
            let matched = match marks {
                _ if piece.words.len() < 3 => piece.words == ids,
                Some(marks) => {
                    let (overall, weakest) = coverage(&marks);
                    overall >= MIN_COVERAGE && weakest >= MIN_PART_COVERAGE
                }
                None => false,
            };
            if matched && let Some(h) = hit.get_mut(piece.owner) {
                *h = true;
            }
        }
        self.matchers
            .iter()
            .zip(hit)
            .filter(|(_, h)| *h)
            .map(|(m, _)| m.id.clone())
            .collect()
    }

    /// The id of the principle `text` names exactly (by label or id).
    pub(crate) fn named(&self, text: &str) -> Option<&str> {
        if text.len() > self.longest_name {
            return None;
        }
        let words = words(text);
        if words.is_empty() {
            return None;
        }
        self.matchers
            .iter()
            .find(|m| m.names.contains(&words))
            .map(|m| m.id.as_str())
    }

    /// The id of the principle `text` names by label, id or alias (a name
    /// in a list such as "Principles met: Learning; Innovation").
    pub(crate) fn named_or_alias(&self, text: &str) -> Option<&str> {
        if let Some(id) = self.named(text) {
            return Some(id);
        }
        let words = words(text);
        if words.is_empty() {
            return None;
        }
        self.matchers
            .iter()
            .find(|m| m.aliases.contains(&words))
            .map(|m| m.id.as_str())
    }

    /// Reads a list of principle names ("Social Partnership; Co-production
    /// and Learning", separated by `;`, `,` or "and"): the ids named, and
    /// the parts that name none, in the order written.
    pub(crate) fn named_list(&self, list: &str) -> (Vec<String>, Vec<String>) {
        let mut ids = Vec::new();
        let mut unknown = Vec::new();
        for item in list.split([';', ',']) {
            let item = item.trim().trim_end_matches('.').trim();
            if words(item).is_empty() {
                continue;
            }
            // "and" separates names but also sits inside some
            // ("Enterprise and social economy"): take the longest run of
            // parts that names a principle.
            let parts: Vec<&str> = split_and(item);
            let mut i = 0;
            while i < parts.len() {
                let mut found = None;
                for j in (i + 1..=parts.len()).rev() {
                    let joined = parts.get(i..j).unwrap_or_default().join(" and ");
                    if let Some(id) = self.named_or_alias(&joined) {
                        found = Some((j, id.to_string()));
                        break;
                    }
                }
                match found {
                    Some((j, id)) => {
                        ids.push(id);
                        i = j;
                    }
                    None => {
                        unknown.push(parts.get(i).copied().unwrap_or("").trim().to_string());
                        i += 1;
                    }
                }
            }
        }
        (ids, unknown)
    }

    /// Whether `text` reads as a piece of some statement (a line of a statement
    /// wrapped or split over lines): nearly all its runs of three words come
    /// from statements, or, under three words, they appear together in one.
    pub(crate) fn is_fragment(&self, text: &str) -> bool {
        let ids = self.ids(&words(text));
        match ids.len() {
            0 => false,
            n @ (1 | 2) => {
                !ids.contains(&UNKNOWN)
                    && self
                        .pieces
                        .iter()
                        .any(|p| p.words.windows(n).any(|w| w == ids.as_slice()))
            }
            n => {
                let known = ids
                    .windows(3)
                    .filter(|w| match **w {
                        [a, b, c] => self.index.contains_key(&(a, b, c)),
                        _ => false,
                    })
                    .count();
                known as f64 / (n - 2) as f64 >= MIN_FRAGMENT_SHARE
            }
        }
    }

    /// For tests and tuning: the best coverage of each principle's statements
    /// by `text`, as (id, overall coverage, weakest third).
    #[cfg(test)]
    pub(crate) fn scores(&self, text: &str) -> Vec<(String, f64, f64)> {
        let ids = self.ids(&words(text));
        let mut best = vec![(0.0, 0.0); self.matchers.len()];
        for (piece, marks) in self.pieces.iter().zip(self.covered(&ids)) {
            let score = marks.map_or((0.0, 0.0), |m| coverage(&m));
            if let Some(b) = best.get_mut(piece.owner)
                && score.0 > b.0
            {
                *b = score;
            }
        }
        self.matchers
            .iter()
            .zip(best)
            .map(|(m, (o, w))| (m.id.clone(), o, w))
            .collect()
    }
}

/// `text` split at each word "and" (any case), or "&".
fn split_and(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let lower = text.to_ascii_lowercase();
    let mut k = 0;
    while let Some(pos) = lower
        .get(k..)
        .and_then(|t| t.find(" and ").or_else(|| t.find(" & ")))
    {
        let at = k + pos;
        let len = if lower.get(at..).is_some_and(|t| t.starts_with(" & ")) {
            3
        } else {
            5
        };
        if let Some(part) = text.get(start..at) {
            out.push(part.trim());
        }
        start = at + len;
        k = start;
    }
    if let Some(part) = text.get(start..) {
        out.push(part.trim());
    }
    out.retain(|p| !p.is_empty());
    out
}

/// The share of a statement's words covered, overall and in its weakest third.
fn coverage(covered: &[bool]) -> (f64, f64) {
    let share = |part: &[bool]| {
        if part.is_empty() {
            1.0
        } else {
            part.iter().filter(|&&c| c).count() as f64 / part.len() as f64
        }
    };
    let n = covered.len();
    let (b1, b2) = (n / 3, 2 * n / 3);
    let parts = [
        covered.get(..b1).unwrap_or_default(),
        covered.get(b1..b2).unwrap_or_default(),
        covered.get(b2..).unwrap_or_default(),
    ];
    let weakest = parts.iter().map(|p| share(p)).fold(1.0, f64::min);
    (share(covered), weakest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_quotes_hyphens_and_case() {
        assert_eq!(
            words("Co-operative well-being, the Network’s ‘expand’ & more"),
            [
                "cooperative",
                "wellbeing",
                "the",
                "networks",
                "expand",
                "and",
                "more"
            ]
        );
        assert_eq!(words("a – b—c"), ["a", "b", "c"]);
        assert!(words(" .,;- ").is_empty());
    }

    #[test]
    fn shared_tail_scores_below_the_bar_and_older_wording_above() {
        let r = Recogniser::new(&Taxonomy::builtin());
        let score = |text: &str, id: &str| {
            r.scores(text)
                .into_iter()
                .find(|s| s.0 == id)
                .map(|s| (s.1, s.2))
                .unwrap_or_default()
        };
        let tail = "in designing and commissioning public services and in determining the use of public resources";
        let (overall, weakest) = score(tail, "co-production");
        assert!(overall > 0.5 && weakest == 0.0, "{overall} {weakest}");
        let older = "Supporting the active engagement of the full range of residents in decision making and priority setting";
        let (overall, weakest) = score(older, "democratic-engagement");
        assert!(overall >= MIN_COVERAGE && weakest >= MIN_PART_COVERAGE);
    }

    #[test]
    fn fragments_of_statements() {
        let r = Recogniser::new(&Taxonomy::builtin());
        assert!(r.is_fragment("sharing experiences and learning."));
        assert!(r.is_fragment("and approaches in order to encourage broader"));
        assert!(r.is_fragment("learning"));
        assert!(!r.is_fragment("The hubs opened in March 2021."));
        assert!(!r.is_fragment("zebra"));
        assert!(!r.is_fragment(""));
    }

    #[test]
    fn cached_recogniser_follows_the_taxonomy() {
        let t = Taxonomy::builtin();
        let a = Recogniser::for_taxonomy(&t);
        let b = Recogniser::for_taxonomy(&t);
        assert!(Rc::ptr_eq(&a, &b));
        let mut other = t.clone();
        other.principles.truncate(1);
        let c = Recogniser::for_taxonomy(&other);
        assert_eq!(c.matchers.len(), 1);
    }
}
