//! Fuzzy matching, in one place: what counts as a match, how it is scored and
//! which characters to highlight.
//!
//! Two matchers serve two sizes of list, with one notion of a [`Match`] (a
//! score, higher is better, and the *character* indices it matched):
//!
//! - [`ShortList`] for the pickers' dozen entries: skim's scoring
//!   (fuzzy-matcher's `SkimMatcherV2`), which rewards word starts and camel
//!   case and matches a query's spaces as written;
//! - [`BatchQuery`] for searching a batch of up to 100,000 submissions:
//!   nucleo-matcher, about four times faster than skim (over 100,000 keys skim
//!   took about 145 ms for a first letter, beyond a keystroke's budget), on
//!   every core for long lists. It splits the query on whitespace into words
//!   that must all match.
//!
//! Letters scattered far apart over a long text are noise, not a match: both
//! ask a long haystack for [`MIN_PER_CHAR`] per query character matched (the
//! matchers' base score for one matched character; a query found as a word or
//! a run of words stays above it).

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

/// The least score per matched query character that counts as a match in a
/// long haystack.
pub const MIN_PER_CHAR: i64 = 16;

/// Below this many candidates a batch is scored on one thread.
const PARALLEL: usize = 8192;

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

/// A query over a whole batch (see the module documentation).
pub struct BatchQuery {
    pattern: Pattern,
    min: i64,
}

impl BatchQuery {
    /// The query, lower-case; its words must all match, in any order.
    pub fn new(query: &str) -> BatchQuery {
        let chars = query.chars().filter(|c| !c.is_whitespace()).count();
        BatchQuery {
            pattern: Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart),
            min: MIN_PER_CHAR.saturating_mul(i64::try_from(chars).unwrap_or(i64::MAX)),
        }
    }

    /// Scores every candidate: its haystack `hay(i)` fuzzily, a score of at
    /// least [`MIN_PER_CHAR`] per query character; failing that, score 0 when
    /// `otherwise(i)` lets it through. Unordered `(score, candidate)` pairs;
    /// large lists are scored on every core.
    pub fn score_all<'h>(
        &self,
        candidates: &[usize],
        hay: impl Fn(usize) -> &'h str + Sync,
        otherwise: impl Fn(usize) -> bool + Sync,
    ) -> Vec<(i64, usize)> {
        let work = |chunk: &[usize]| -> Vec<(i64, usize)> {
            let mut matcher = Matcher::new(Config::DEFAULT);
            let mut buf = Vec::new();
            chunk
                .iter()
                .filter_map(|&i| {
                    let fuzzy = self
                        .pattern
                        .score(Utf32Str::new(hay(i), &mut buf), &mut matcher)
                        .map(i64::from)
                        .filter(|&sc| sc >= self.min);
                    match fuzzy {
                        Some(sc) => Some((sc, i)),
                        None => otherwise(i).then_some((0, i)),
                    }
                })
                .collect()
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        if threads < 2 || candidates.len() < PARALLEL {
            return work(candidates);
        }
        let per = candidates.len().div_ceil(threads);
        std::thread::scope(|scope| {
            let handles: Vec<_> = candidates
                .chunks(per)
                .map(|chunk| scope.spawn(move || work(chunk)))
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                .collect()
        })
    }

    /// The match in one haystack with the indices to highlight, under the
    /// same threshold as [`BatchQuery::score_all`].
    pub fn find(&self, hay: &str) -> Option<Match> {
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        let mut indices = Vec::new();
        let score = self
            .pattern
            .indices(Utf32Str::new(hay, &mut buf), &mut matcher, &mut indices)
            .map(i64::from)
            .filter(|&sc| sc >= self.min)?;
        let mut indices: Vec<usize> = indices
            .into_iter()
            .filter_map(|i| usize::try_from(i).ok())
            .collect();
        indices.sort_unstable();
        indices.dedup();
        Some(Match { score, indices })
    }
}

/// Whether `hay` contains `needle` (already lower-case), ignoring case: the
/// plain substring search of the submissions' text.
pub fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    if hay.is_ascii() && needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        return n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    hay.to_lowercase().contains(needle)
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
        let q = BatchQuery::new("eco");
        let m = q.find("économie sociale");
        assert_eq!(m.map(|m| m.indices), Some(vec![0, 1, 2]));
        // words in any order, each highlighted
        let q = BatchQuery::new("hub food");
        let m = q.find("oldham food hubs");
        assert_eq!(m.map(|m| m.indices), Some(vec![7, 8, 9, 10, 12, 13, 14]));
    }

    #[test]
    fn scattered_letters_in_long_text_are_not_a_match() {
        let short = ShortList::default();
        let text = "peer support for carers in rural areas and voluntary groups";
        assert!(short.score(text, "pov").is_some());
        assert_eq!(short.score_in_text(text, "pov"), None);
        assert!(short.score_in_text(text, "rural").is_some());
        let q = BatchQuery::new("pov");
        assert_eq!(q.find(text), None);
        assert!(q.score_all(&[0], |_| text, |_| false).is_empty());
        assert_eq!(q.score_all(&[0], |_| text, |_| true), vec![(0, 0)]);
    }

    #[test]
    fn batch_scores_agree_on_one_thread_and_many() {
        let keys: Vec<String> = (0..PARALLEL * 2)
            .map(|i| format!("council {i} food hub"))
            .collect();
        let all: Vec<usize> = (0..keys.len()).collect();
        let q = BatchQuery::new("food");
        let mut many = q.score_all(&all, |i| keys[i].as_str(), |_| false);
        let mut one: Vec<(i64, usize)> = all
            .iter()
            .filter_map(|&i| q.find(&keys[i]).map(|m| (m.score, i)))
            .collect();
        many.sort_unstable();
        one.sort_unstable();
        assert_eq!(many.len(), keys.len());
        assert_eq!(many, one);
    }

    #[test]
    fn substring_search_ignores_case() {
        assert!(contains_ignore_case("Oldham Food Hubs", "food h"));
        assert!(contains_ignore_case("ÉCOLE", "école"));
        assert!(!contains_ignore_case("Oldham", "leeds"));
        assert!(contains_ignore_case("anything", ""));
    }
}
