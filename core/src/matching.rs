//! Fuzzy matching, in one place: what counts as a match, how it is scored and
//! which characters to highlight.
//!
//! Two matchers serve two sizes of list:
//!
//! - [`ShortList`] for the pickers' dozen entries: skim's scoring
//!   (fuzzy-matcher's `SkimMatcherV2`), which rewards word starts and camel
//!   case and matches a query's spaces as written, giving a [`Match`] (a
//!   score, higher is better, and the *character* indices it matched);
//! - [`Search`] over a batch of up to 100,000 submissions (module `search`):
//!   ranked as fzf ranks, an exact word or a word's start first, letters from
//!   word starts or with a typo low, letters scattered over unrelated words
//!   not at all; the title and lead council above the members, the text
//!   last. Its keys are folded once into one buffer and scored in place, and
//!   its looser matches are looked for between keys.
//!
//! Letters scattered far apart over a long text are noise, not a match: the
//! short lists ask a long haystack for [`MIN_PER_CHAR`] per query character
//! matched (the matcher's base score for one matched character; a query found
//! as a word or a run of words stays above it); the search only takes letters
//! that start words or stay within one word.

mod search;

pub use search::{FETCHED_COST, Query, Scored, Search, SearchIndex, fold_into, quality, rank};

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// The least score per matched query character that counts as a match in a
/// long haystack.
pub const MIN_PER_CHAR: i64 = 16;

/// One match: its score (higher is better) and the character (not byte)
/// indices of the haystack it matched, in order, for highlighting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub score: i64,
    pub indices: Vec<usize>,
}

/// The matcher of the pickers' short lists.
pub struct ShortList {
    matcher: SkimMatcherV2,
}

impl Default for ShortList {
    fn default() -> Self {
        ShortList {
            matcher: SkimMatcherV2::default().ignore_case(),
        }
    }
}

impl ShortList {
    /// The match of `pattern` in `hay`, with the indices to highlight. Both
    /// should be [`fold`]ed.
    pub fn find(&self, hay: &str, pattern: &str) -> Option<Match> {
        self.matcher
            .fuzzy_indices(hay, pattern)
            .map(|(score, indices)| Match { score, indices })
    }

    /// The score of `pattern` in `hay`, when only the score is wanted.
    pub fn score(&self, hay: &str, pattern: &str) -> Option<i64> {
        self.matcher.fuzzy_match(hay, pattern)
    }

    /// [`ShortList::score`] in a long text: a match must score at least
    /// [`MIN_PER_CHAR`] for every character of the pattern.
    pub fn score_in_text(&self, hay: &str, pattern: &str) -> Option<i64> {
        let chars = i64::try_from(pattern.chars().count()).unwrap_or(i64::MAX);
        let min = MIN_PER_CHAR.saturating_mul(chars);
        self.score(hay, pattern).filter(|&s| s >= min)
    }
}

/// Lower-cases the non-ASCII letters whose lower case is one character, so
/// skim (whose case folding is ASCII only) finds "é" with "É" while every
/// character keeps its index. ASCII is left to the matcher, which then still
/// sees camel case.
pub fn fold(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                return c;
            }
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_matchers_give_character_indices() {
        let short = ShortList::default();
        let m = short.find(&fold("ÉCOLE"), &fold("éco"));
        assert_eq!(m.map(|m| m.indices), Some(vec![0, 1, 2]));
        let m = short.find("café eco", "eco");
        assert_eq!(m.map(|m| m.indices), Some(vec![5, 6, 7]));
    }

    #[test]
    fn scattered_letters_in_long_text_are_not_a_match() {
        let short = ShortList::default();
        let text = "peer support for carers in rural areas and voluntary groups";
        assert!(short.score(text, "pov").is_some());
        assert_eq!(short.score_in_text(text, "pov"), None);
        assert!(short.score_in_text(text, "rural").is_some());
    }
}
