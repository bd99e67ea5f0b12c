//! Searching a batch for what the officer types, the way fzf ranks:
//! an exact word or a word's start ranks high, a run of letters inside a word
//! lower, letters picked from the starts of several words ("cwb", "comm
//! wealth") lower still, and a typo within one word lowest. Letters scattered
//! through unrelated words ("pres…cribing … ci*t*y c*o*u*n*cil" for "preston")
//! do not match at all.
//!
//! The fields weigh differently: the title and the lead council first, then
//! the participating members; the submission's text counts least and only
//! when asked for (after `enter`).
//!
//! Keys are folded once, when a submission is read: lower-case, with the
//! accents of Latin letters taken off ("Ynys Môn" is found by "mon"), so
//! almost every key is ASCII and is scored in place, byte by byte. A 64-bit
//! set of the bytes each key holds lets a query skip the keys that lack one
//! of its letters without reading them, and a 128-bit set per field of the
//! pairs of bytes that stand side by side in it skips, for the matches as
//! written, the fields and keys that lack one of a term's pairs ("cr" after
//! "c").

use std::borrow::Cow;

/// A match's quality in one field, before the field's weight.
const EXACT_WORD: u32 = 10;
const WORD_PREFIX: u32 = 8;
const INSIDE_WORD: u32 = 5;
const WORD_STARTS: u32 = 3;
const TYPO_IN_WORD: u32 = 2;
/// What a query term found only in the submission's text is worth: below
/// any match in a field.
const IN_TEXT: u32 = 1;

/// The weights of the fields, in the order they are stored.
const WEIGHTS: [u32; 3] = [TITLE_WEIGHT, LEAD_WEIGHT, MEMBERS_WEIGHT];
const TITLE_WEIGHT: u32 = 4;
const LEAD_WEIGHT: u32 = 4;
const MEMBERS_WEIGHT: u32 = 3;

// The order of the qualities, and any match in a field above the text.
const _: () = assert!(
    EXACT_WORD > WORD_PREFIX
        && WORD_PREFIX > INSIDE_WORD
        && INSIDE_WORD > WORD_STARTS
        && WORD_STARTS > TYPO_IN_WORD
        && TYPO_IN_WORD * MEMBERS_WEIGHT > IN_TEXT
);

/// Word-start matching tries at most this many ways to split a term.
const SPLIT_BUDGET: u32 = 256;

/// The folded search keys of a list of submissions: title, lead council and
/// participating members, all in one buffer.
#[derive(Debug, Default, Clone)]
pub struct SearchIndex {
    text: Vec<u8>,
    keys: Vec<Key>,
}

/// Where one submission's key lies in the buffer, and what its fields hold.
#[derive(Debug, Default, Clone, Copy)]
struct Key {
    /// Where the key starts and where its three fields end.
    span: [u32; 4],
    /// Per field, the set of its bytes (see [`byte_set`]).
    bytes: [u64; 3],
    /// Per field, the set of the bytes that start a word.
    starts: [u64; 3],
    /// Per field, the pairs of its adjacent bytes (see [`PairSet`]).
    pairs: [PairSet; 3],
}

impl SearchIndex {
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Keeps the first `n` keys.
    pub fn truncate(&mut self, n: usize) {
        if n >= self.keys.len() {
            return;
        }
        self.keys.truncate(n);
        // a replaced key lies after the others
        let end = self.keys.iter().map(|k| k.span[3]).max().unwrap_or(0);
        self.text.truncate(end as usize);
    }

    /// Adds the key of the next submission.
    pub fn push(&mut self, title: &str, lead: Option<&str>, members: &[String]) {
        let key = self.write(title, lead, members);
        self.keys.push(key);
    }

    /// Replaces the key of submission `i` (read again).
    pub fn replace(&mut self, i: usize, title: &str, lead: Option<&str>, members: &[String]) {
        if i >= self.keys.len() {
            return;
        }
        let key = self.write(title, lead, members);
        if let Some(k) = self.keys.get_mut(i) {
            *k = key;
        }
    }

    /// Appends a key to the buffer.
    fn write(&mut self, title: &str, lead: Option<&str>, members: &[String]) -> Key {
        let start = self.offset();
        fold_into(title, &mut self.text);
        let title_end = self.offset();
        if let Some(lead) = lead {
            fold_into(lead, &mut self.text);
        }
        let lead_end = self.offset();
        let mut first = true;
        for m in members {
            if Some(m.as_str()) == lead {
                // the lead is often listed again among the members
                continue;
            }
            if !first {
                self.text.extend_from_slice(b", ");
            }
            first = false;
            fold_into(m, &mut self.text);
        }
        let mut key = Key {
            span: [start, title_end, lead_end, self.offset()],
            ..Key::default()
        };
        for (f, field) in self.fields(&key).into_iter().enumerate() {
            key.bytes[f] = byte_set(field);
            add_pairs(&mut key.pairs[f], field);
            key.starts[f] = field
                .iter()
                .enumerate()
                .filter(|&(i, &b)| is_word(b) && (i == 0 || !is_word(field[i - 1])))
                .fold(0, |s, (_, &b)| s | byte_bit(b));
        }
        key
    }

    fn offset(&self) -> u32 {
        u32::try_from(self.text.len()).unwrap_or(u32::MAX)
    }

    /// The three fields of a key: title, lead, members.
    fn fields(&self, key: &Key) -> [&[u8]; 3] {
        let [a, b, c, d] = key.span;
        let at = |from: u32, to: u32| {
            self.text
                .get(from as usize..to as usize)
                .unwrap_or_default()
        };
        [at(a, b), at(b, c), at(c, d)]
    }

    /// The score of submission `i` for `query` in its fields, with `text`
    /// (its body, when the search includes bodies) for the terms the fields
    /// lack. `None`: no match. Higher is better.
    pub fn score(&self, i: usize, query: &Query, text: Option<&str>) -> Option<u32> {
        self.score_with(i, query, false, text)
    }

    /// The score of submission `i` when every term of `query` is in its
    /// fields as written.
    pub fn score_exact(&self, i: usize, query: &Query) -> Option<u32> {
        self.score_with(i, query, true, None)
    }

    fn score_with(&self, i: usize, query: &Query, exact: bool, text: Option<&str>) -> Option<u32> {
        let key = self.keys.get(i)?;
        let fields = self.fields(key);
        let all = key.bytes[0] | key.bytes[1] | key.bytes[2];
        let mut total = 0;
        for term in &query.terms {
            // a term found as written has its every pair in that field
            let written = key.pairs.map(|p| pairs_within(&term.pairs, &p));
            let in_fields = if term.set & !all == 0 && (!exact || written.contains(&true)) {
                best_in_fields(term, key, &fields, exact, written)
            } else {
                0
            };
            if in_fields > 0 {
                total += in_fields;
            } else if text.is_some_and(|t| contains_folded(t, &term.bytes)) {
                total += IN_TEXT;
            } else {
                return None;
            }
        }
        if let Some(phrase) = &query.phrase {
            // the words typed together, found together
            let bonus = fields
                .iter()
                .zip(key.bytes)
                .zip(WEIGHTS)
                .filter(|((f, set), _)| query.set & !set == 0 && find(f, phrase, 0).is_some())
                .map(|(_, w)| w * INSIDE_WORD)
                .max()
                .unwrap_or(0);
            total += bonus;
        }
        Some(total)
    }

    /// The submissions of `candidates` (in the batch's order) that match,
    /// with their scores, in the same order. `text` gives a submission's body
    /// when the search includes bodies.
    pub fn matches<'t>(
        &self,
        candidates: impl IntoIterator<Item = usize>,
        query: &Query,
        text: impl Fn(usize) -> Option<&'t str>,
    ) -> Vec<Scored> {
        candidates
            .into_iter()
            .filter_map(|i| {
                let score = self.score(i, query, text(i))?;
                Some(Scored {
                    score,
                    index: u32::try_from(i).ok()?,
                })
            })
            .collect()
    }
}

/// A submission that matches a search, and how well.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scored {
    pub score: u32,
    pub index: u32,
}

/// The indices of `matches` (in the batch's order) best first, equal scores
/// in the batch's order: a counting sort, linear in the matches.
pub fn rank(matches: &[Scored]) -> Vec<usize> {
    let top = matches.iter().map(|m| m.score).max().unwrap_or(0) as usize;
    // how many matches score above each score
    let mut above = vec![0usize; top + 2];
    for m in matches {
        if let Some(c) = above.get_mut(top - m.score as usize + 1) {
            *c += 1;
        }
    }
    for k in 1..above.len() {
        above[k] += above[k - 1];
    }
    let mut out = vec![0usize; matches.len()];
    for m in matches {
        if let Some(slot) = above.get_mut(top - m.score as usize)
            && let Some(o) = out.get_mut(*slot)
        {
            *o = m.index as usize;
            *slot += 1;
        }
    }
    out
}

/// A search over a list that may grow, kept as the query grows. The matches
/// of the query as written (every term a substring of a field) are found at
/// once and ranked first; the looser ones (from word starts, with a typo, or
/// in the text) are looked for in slices of work ([`Search::work`]) and
/// ranked after them, so a keystroke never waits for them and the best
/// matches on screen do not move when they arrive.
#[derive(Debug, Default, Clone)]
pub struct Search {
    query: Query,
    body: bool,
    /// The matches as written, in the batch's order, and best first.
    exact: Vec<Scored>,
    exact_ranked: Vec<usize>,
    /// The looser matches found so far, in the batch's order, and best first.
    loose: Vec<Scored>,
    loose_ranked: Vec<usize>,
    /// Items to try loosely, in the batch's order; the first `tried` are done.
    pending: Vec<u32>,
    tried: usize,
    /// How many items of the list the search has taken in.
    seen: usize,
}

impl Search {
    pub fn query(&self) -> &Query {
        &self.query
    }

    /// Whether looser matches are still to be looked for.
    pub fn is_busy(&self) -> bool {
        self.tried < self.pending.len()
    }

    /// The matches found, best first: as written, then the looser ones.
    pub fn ranked(&self) -> impl Iterator<Item = usize> + '_ {
        self.exact_ranked
            .iter()
            .chain(self.loose_ranked.iter())
            .copied()
    }

    /// How many matches are found so far.
    pub fn len(&self) -> usize {
        self.exact.len() + self.loose.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Searches `index` for `query` (and the text, with `body`). A query
    /// that narrows the last one only looks among the last one's matches
    /// and the items it had yet to try.
    pub fn set(&mut self, query: Query, body: bool, index: &SearchIndex) {
        if query == self.query && body == self.body && self.seen == index.len() {
            return;
        }
        if query.is_empty() {
            *self = Search::default();
            return;
        }
        let n = index.len();
        let mut exact = Vec::new();
        let mut retry = Bits::new(n);
        let take = |i: usize, exact: &mut Vec<Scored>, retry: &mut Bits| match index
            .score_exact(i, &query)
        {
            Some(score) => exact.push(Scored {
                score,
                index: i as u32,
            }),
            None => retry.set(i),
        };
        if body == self.body && self.seen <= n && query.narrows(&self.query) {
            for m in &self.exact {
                take(m.index as usize, &mut exact, &mut retry);
            }
            // A looser match, or an item not yet tried, may still match;
            // one that was tried and failed cannot.
            for m in &self.loose {
                retry.set(m.index as usize);
            }
            for &i in self.pending.get(self.tried..).unwrap_or_default() {
                retry.set(i as usize);
            }
            for i in self.seen..n {
                take(i, &mut exact, &mut retry);
            }
        } else if query == self.query && self.seen <= n {
            // only whether the text counts changed: the matches as written stay
            exact = std::mem::take(&mut self.exact);
            let mut listed = Bits::new(n);
            for m in &exact {
                listed.set(m.index as usize);
            }
            for i in 0..self.seen {
                if !listed.get(i) {
                    retry.set(i);
                }
            }
            for i in self.seen..n {
                take(i, &mut exact, &mut retry);
            }
        } else {
            for i in 0..n {
                take(i, &mut exact, &mut retry);
            }
        }
        let pending = retry.ones().map(|i| i as u32).collect();
        let exact_ranked = rank(&exact);
        *self = Search {
            query,
            body,
            exact,
            exact_ranked,
            loose: Vec::new(),
            loose_ranked: Vec::new(),
            pending,
            tried: 0,
            seen: n,
        };
    }

    /// Takes in the items added to `index` since the search last saw it.
    pub fn extend(&mut self, index: &SearchIndex) {
        if self.query.is_empty() || self.seen >= index.len() {
            return;
        }
        let before = self.exact.len();
        for i in self.seen..index.len() {
            match index.score_exact(i, &self.query) {
                Some(score) => self.exact.push(Scored {
                    score,
                    index: i as u32,
                }),
                None => self.pending.push(i as u32),
            }
        }
        if self.exact.len() != before {
            self.exact_ranked = rank(&self.exact);
        }
        self.seen = index.len();
    }

    /// Tries items loosely, up to `budget` of them; `text` gives an item's
    /// body when the search includes the text. A text that had to be
    /// fetched (`Cow::Owned`: read again from disk) counts as
    /// [`FETCHED_COST`] items, so a slice never takes long. Returns whether
    /// a match was found.
    pub fn work<'t>(
        &mut self,
        index: &SearchIndex,
        budget: usize,
        mut text: impl FnMut(usize) -> Option<Cow<'t, str>>,
    ) -> bool {
        let before = self.loose.len();
        let mut spent = 0usize;
        while spent < budget {
            let Some(&i) = self.pending.get(self.tried) else {
                break;
            };
            self.tried += 1;
            spent += 1;
            let i = i as usize;
            let text = if self.body { text(i) } else { None };
            if matches!(text, Some(Cow::Owned(_))) {
                spent = spent.saturating_add(FETCHED_COST - 1);
            }
            if let Some(score) = index.score(i, &self.query, text.as_deref()) {
                self.loose.push(Scored {
                    score,
                    index: i as u32,
                });
            }
        }
        let found = self.loose.len() != before;
        if found {
            self.loose_ranked = rank(&self.loose);
        }
        found
    }
}

/// What one item whose text is read again from disk counts for in the
/// budget of [`Search::work`]: reading and parsing a file takes some 50 µs
/// to a few milliseconds, where matching a text in memory takes about 1 µs.
pub const FETCHED_COST: usize = 64;

/// A set of item indices, read back in order.
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }

    fn set(&mut self, i: usize) {
        if let Some(w) = self.0.get_mut(i / 64) {
            *w |= 1 << (i % 64);
        }
    }

    fn get(&self, i: usize) -> bool {
        self.0.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(k, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let bit = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(k * 64 + bit)
            })
        })
    }
}

/// What was typed, folded and split into terms; every term must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    folded: String,
    terms: Vec<Term>,
    /// The whole query when it has several terms.
    phrase: Option<Vec<u8>>,
    set: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Term {
    bytes: Vec<u8>,
    set: u64,
    pairs: PairSet,
}

impl Query {
    pub fn new(typed: &str) -> Query {
        let mut buf = Vec::new();
        fold_into(typed, &mut buf);
        let folded = String::from_utf8_lossy(&buf).into_owned();
        let terms: Vec<Term> = folded
            .split_whitespace()
            .map(|t| {
                let mut pairs = PairSet::default();
                add_pairs(&mut pairs, t.as_bytes());
                Term {
                    bytes: t.as_bytes().to_vec(),
                    set: byte_set(t.as_bytes()),
                    pairs,
                }
            })
            .collect();
        let phrase = (terms.len() > 1).then(|| {
            let words: Vec<&str> = folded.split_whitespace().collect();
            words.join(" ").into_bytes()
        });
        let set = terms.iter().fold(0, |s, t| s | t.set);
        Query {
            folded,
            terms,
            phrase,
            set,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    /// Whether every match of `self` is a match of `earlier`: `self` was
    /// typed by adding letters or words at the end of `earlier`. (A term's
    /// every kind of match still holds for the term's beginning.)
    pub fn narrows(&self, earlier: &Query) -> bool {
        let (new, old) = (&self.terms, &earlier.terms);
        if old.is_empty() || new.len() < old.len() {
            return false;
        }
        let last = old.len() - 1;
        new.iter()
            .zip(old)
            .enumerate()
            .all(|(k, (n, o))| n.bytes == o.bytes || (k == last && n.bytes.starts_with(&o.bytes)))
    }
}

/// The best weighted quality of `term` over the fields of `key`; with
/// `exact`, only of the term as written (a substring of a field).
/// `written`: per field, whether it has every pair of the term's bytes (when
/// not, the term is no substring of it).
fn best_in_fields(
    term: &Term,
    key: &Key,
    fields: &[&[u8]; 3],
    exact: bool,
    written: [bool; 3],
) -> u32 {
    let mut best = 0;
    for f in 0..3 {
        let weight = WEIGHTS[f];
        if weight * EXACT_WORD <= best || term.set & !key.bytes[f] != 0 {
            continue;
        }
        let q = if let [b] = term.bytes[..]
            && b.is_ascii_alphanumeric()
        {
            // one letter: the byte sets tell it all (a one-letter word counts
            // as a word's start)
            if key.starts[f] & term.set != 0 {
                WORD_PREFIX
            } else {
                INSIDE_WORD
            }
        } else {
            let q = if written[f] {
                substring_quality(&term.bytes, fields[f])
            } else {
                0
            };
            if q > 0 || exact {
                q
            } else {
                loose_quality(&term.bytes, key.starts[f], fields[f])
            }
        };
        best = best.max(weight * q);
    }
    best
}

/// How well `term` matches `field` (both folded): 0 for not at all.
pub fn quality(term: &[u8], field: &[u8]) -> u32 {
    let starts = field
        .iter()
        .enumerate()
        .filter(|&(i, &b)| is_word(b) && (i == 0 || !is_word(field[i - 1])))
        .fold(0, |s, (_, &b)| s | byte_bit(b));
    match substring_quality(term, field) {
        0 => loose_quality(term, starts, field),
        q => q,
    }
}

/// How well `term` matches `field` as written: a whole word, a word's
/// start, or inside a word; 0 when it is not a substring.
fn substring_quality(term: &[u8], field: &[u8]) -> u32 {
    if term.is_empty() || term.len() > field.len() {
        return 0;
    }
    let mut best = 0;
    let mut from = 0;
    while let Some(p) = find(field, term, from) {
        let begins = p == 0 || !is_word(field[p - 1]);
        let end = p + term.len();
        let ends = field.get(end).is_none_or(|&b| !is_word(b));
        let q = match (begins, ends) {
            (true, true) => EXACT_WORD,
            (true, false) => WORD_PREFIX,
            _ => INSIDE_WORD,
        };
        best = best.max(q);
        if best == EXACT_WORD {
            return best;
        }
        from = p + 1;
    }
    best
}

/// How well `term`, not a substring of `field`, matches it loosely, knowing
/// the set of bytes that start the field's words: from word starts, or with
/// a typo in one word. Both begin at the start of a word.
fn loose_quality(term: &[u8], starts: u64, field: &[u8]) -> u32 {
    let Some(&first) = term.first() else {
        return 0;
    };
    if term.len() < 2 || !term.is_ascii() || starts & byte_bit(first) == 0 {
        return 0;
    }
    let mut budget = SPLIT_BUDGET;
    if from_word_starts(term, field, 0, &mut budget) {
        return WORD_STARTS;
    }
    if typo_in_word(term, field) {
        return TYPO_IN_WORD;
    }
    0
}

/// Whether `term` is the beginnings of words of `field` from `at` on, in
/// order: "cwb" in "community wealth building", "comwealth" in "community
/// wealth". Each piece starts a word; words may be skipped.
fn from_word_starts(term: &[u8], field: &[u8], at: usize, budget: &mut u32) -> bool {
    let Some(&first) = term.first() else {
        return true;
    };
    let mut w = at;
    while w < field.len() {
        if *budget == 0 {
            return false;
        }
        let starts = field[w] == first && (w == 0 || !is_word(field[w - 1]));
        if starts {
            *budget -= 1;
            // the longest piece first: the likelier reading
            let mut len = 0;
            while len < term.len() && field.get(w + len) == term.get(len) && is_word(term[len]) {
                len += 1;
            }
            for take in (1..=len).rev() {
                let rest = term.get(take..).unwrap_or_default();
                if from_word_starts(rest, field, w + take, budget) {
                    return true;
                }
            }
        }
        w += 1;
    }
    false
}

/// Whether `term` is a subsequence of one word of `field` that starts with
/// the term's first letter ("prstn" in "preston"). (No share of the word's
/// letters is asked for: the term's beginning must match wherever the term
/// does, for a longer query to narrow a shorter one's matches.)
fn typo_in_word(term: &[u8], field: &[u8]) -> bool {
    let mut w = 0;
    while w < field.len() {
        let len = field[w..].iter().take_while(|&&b| is_word(b)).count();
        if len == 0 {
            w += 1;
            continue;
        }
        let word = &field[w..w + len];
        if word.first() == term.first() && is_subsequence(term, word) {
            return true;
        }
        w += len;
    }
    false
}

fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut it = hay.iter();
    needle.iter().all(|b| it.any(|h| h == b))
}

/// Letters, digits and anything not ASCII belong to words.
fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// The first position at or after `from` where `needle` occurs in `hay`.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut i = from;
    while i + needle.len() <= hay.len() {
        let p = memchr::memchr(first, hay.get(i..hay.len() + 1 - needle.len())?)? + i;
        if hay.get(p + 1..p + needle.len()) == Some(rest) {
            return Some(p);
        }
        i = p + 1;
    }
    None
}

/// Whether `text` (not folded) contains `needle` (folded).
fn contains_folded(text: &str, needle: &[u8]) -> bool {
    if needle.is_ascii() {
        if contains_ascii_ignore_case(text.as_bytes(), needle) {
            return true;
        }
        if text.is_ascii() {
            return false;
        }
        // an accented letter in the text may still fold to the needle's
    }
    let mut buf = Vec::with_capacity(text.len());
    fold_into(text, &mut buf);
    find(&buf, needle, 0).is_some()
}

/// Whether `hay` contains `needle` (ASCII lower-case), ignoring ASCII case.
fn contains_ascii_ignore_case(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, rest)) = needle.split_first() else {
        return true;
    };
    let upper = first.to_ascii_uppercase();
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        let Some(off) = hay.get(i..).and_then(|h| memchr::memchr2(first, upper, h)) else {
            return false;
        };
        let p = i + off;
        if hay
            .get(p + 1..p + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(rest))
        {
            return true;
        }
        i = p + 1;
    }
    false
}

/// The set of bytes in `key`: one bit per letter and digit, the rest of the
/// bytes sharing the bits left. A term can only match a key whose set holds
/// the term's.
fn byte_set(key: &[u8]) -> u64 {
    key.iter().fold(0, |s, &b| s | byte_bit(b))
}

/// A set of pairs of adjacent bytes, each pair hashed to one of 128 bits. A
/// term can only be a substring of a field whose set holds the term's pairs;
/// a one-byte term has none.
type PairSet = [u64; 2];

/// Adds the pairs of adjacent bytes of `s` to `set`.
fn add_pairs(set: &mut PairSet, s: &[u8]) {
    for w in s.windows(2) {
        if let [a, b] = *w {
            let h = (u32::from(a) << 8 | u32::from(b)).wrapping_mul(0x9E37_79B1) >> 25;
            if let Some(word) = set.get_mut((h >> 6) as usize) {
                *word |= 1 << (h & 63);
            }
        }
    }
}

/// Whether every pair of `part` is in `whole`.
fn pairs_within(part: &PairSet, whole: &PairSet) -> bool {
    part.iter().zip(whole).all(|(p, w)| p & !w == 0)
}

fn byte_bit(b: u8) -> u64 {
    let n = match b {
        b'a'..=b'z' => b - b'a',
        b'0'..=b'9' => 26 + b - b'0',
        _ => 36 + b % 28,
    };
    1 << n
}

/// Appends `s` lower-cased, with the accents of Latin letters taken off.
pub fn fold_into(s: &str, out: &mut Vec<u8>) {
    if s.is_ascii() {
        out.extend(s.bytes().map(|b| b.to_ascii_lowercase()));
        return;
    }
    let mut utf8 = [0u8; 4];
    for c in s.chars() {
        for l in c.to_lowercase() {
            let l = unaccent(l);
            out.extend_from_slice(l.encode_utf8(&mut utf8).as_bytes());
        }
    }
}

/// The plain letter of an accented lower-case Latin letter.
fn unaccent(c: char) -> char {
    match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ď' | 'đ' => 'd',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ĵ' => 'j',
        'ķ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' => 'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' => 's',
        'ţ' | 'ť' | 'ŧ' => 't',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        '\u{2019}' | '\u{2018}' => '\'',
        '\u{2013}' | '\u{2014}' => '-',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A text read again from disk takes [`FETCHED_COST`] of a slice's
    /// budget, one in memory takes one.
    #[test]
    fn texts_read_again_take_more_of_a_slice() {
        let mut ix = SearchIndex::default();
        for _ in 0..10 {
            ix.push("nothing to see", None, &[]);
        }
        let mut search = Search::default();
        search.set(Query::new("zebra"), true, &ix);
        let mut asked = 0;
        search.work(&ix, FETCHED_COST * 2, |_| {
            asked += 1;
            Some(Cow::Owned("no stripes".to_owned()))
        });
        assert_eq!(asked, 2);
        search.work(&ix, FETCHED_COST * 2, |_| {
            asked += 1;
            Some(Cow::Borrowed("no stripes"))
        });
        assert_eq!(asked, 10);
        assert!(!search.is_busy() && search.is_empty());
    }

    fn q(term: &str, field: &str) -> u32 {
        quality(term.as_bytes(), field.as_bytes())
    }

    fn index(rows: &[(&str, &str, &[&str])]) -> SearchIndex {
        let mut ix = SearchIndex::default();
        for (title, lead, members) in rows {
            let members: Vec<String> = members.iter().map(|m| m.to_string()).collect();
            ix.push(title, Some(lead), &members);
        }
        ix
    }

    #[test]
    fn an_exact_word_beats_a_prefix_beats_the_inside_of_a_word() {
        let exact = q("food", "neighbourhood food hubs");
        let prefix = q("foo", "neighbourhood food hubs");
        let inside = q("ood", "neighbourhood food hubs");
        assert_eq!(exact, EXACT_WORD);
        assert_eq!(prefix, WORD_PREFIX);
        assert_eq!(inside, INSIDE_WORD);
        // "hood" is inside "neighbourhood" but a whole word nowhere
        assert_eq!(q("hood", "neighbourhood food hubs"), INSIDE_WORD);
    }

    #[test]
    fn word_starts_and_typos_match_low() {
        assert_eq!(q("cwb", "community wealth building"), WORD_STARTS);
        assert_eq!(q("comwealth", "community wealth building"), WORD_STARTS);
        assert_eq!(q("prstn", "preston city council"), TYPO_IN_WORD);
    }

    #[test]
    fn letters_scattered_over_unrelated_words_do_not_match() {
        let birmingham = "community-led social prescribing";
        assert_eq!(q("preston", birmingham), 0);
        assert_eq!(
            q(
                "preston",
                "birmingham city council, local gp practices, sunderland city council"
            ),
            0
        );
        // the letters of a word, but not from its start
        assert_eq!(q("rstn", "preston"), 0);
    }

    #[test]
    fn the_lead_council_outranks_a_partner_and_the_title_outranks_members() {
        let ix = index(&[
            (
                "Anchor institutions",
                "Preston City Council",
                &["Oldham Council"],
            ),
            (
                "Neighbourhood food hubs",
                "Oldham Council",
                &["Rochdale Council"],
            ),
            ("Oldham's markets", "Bury Council", &[]),
        ]);
        let query = Query::new("oldham");
        let s: Vec<Option<u32>> = (0..3).map(|i| ix.score(i, &query, None)).collect();
        assert!(s[1] > s[0], "{s:?}");
        assert!(s[2] > s[0], "{s:?}");
        assert!(s[0].is_some());
        let none = Query::new("zebra");
        assert_eq!(ix.score(0, &none, None), None);
    }

    #[test]
    fn every_term_must_match_and_text_counts_least() {
        let ix = index(&[("Food hubs", "Oldham Council", &[])]);
        assert!(ix.score(0, &Query::new("food oldham"), None).is_some());
        assert_eq!(ix.score(0, &Query::new("food leeds"), None), None);
        let with_text = ix.score(0, &Query::new("food volunteers"), Some("Our VOLUNTEERS"));
        let fields_only = ix.score(0, &Query::new("food hubs"), None);
        assert!(with_text.is_some() && fields_only > with_text);
        assert_eq!(
            ix.score(0, &Query::new("volunteers"), Some("Our VOLUNTEERS")),
            Some(IN_TEXT)
        );
    }

    #[test]
    fn accents_and_case_are_folded() {
        let ix = index(&[("Ysgolion", "Cyngor Sir Ynys Môn", &[])]);
        assert!(ix.score(0, &Query::new("MON"), None).is_some());
        assert!(ix.score(0, &Query::new("môn"), None).is_some());
        assert!(contains_folded("Café culture", b"cafe"));
        assert!(contains_folded("CAFÉ", b"cafe"));
        assert!(!contains_folded("Cafe", b"tea"));
    }

    #[test]
    fn a_longer_query_narrows_a_shorter_one() {
        let n = |a: &str, b: &str| Query::new(a).narrows(&Query::new(b));
        assert!(n("prest", "pres"));
        assert!(n("food h", "food"));
        assert!(n("food hubs", "food h"));
        assert!(!n("pres", "prest"));
        assert!(!n("food", ""));
        assert!(!n("fod", "food"));
    }

    #[test]
    fn the_index_truncates_and_grows_again() {
        let mut ix = index(&[("a", "b", &[]), ("c", "d", &[])]);
        ix.replace(0, "x", Some("y"), &[]);
        ix.truncate(1);
        assert_eq!(ix.len(), 1);
        assert!(ix.score(0, &Query::new("y"), None).is_some());
        assert_eq!(ix.score(0, &Query::new("a"), None), None);
        ix.push("elm", None, &[]);
        assert_eq!(
            ix.score(1, &Query::new("elm"), None),
            Some(EXACT_WORD * TITLE_WEIGHT)
        );
        assert_eq!(ix.score(1, &Query::new("c"), None), None);
    }

    #[test]
    fn one_letter_is_scored_from_the_byte_sets_as_the_text_would_be() {
        let ix = index(&[("Youth council", "Leeds", &["York"])]);
        let s = |t: &str| ix.score(0, &Query::new(t), None);
        assert_eq!(s("y"), Some(WORD_PREFIX * TITLE_WEIGHT));
        assert_eq!(s("o"), Some(INSIDE_WORD * TITLE_WEIGHT));
        assert_eq!(s("l"), Some(WORD_PREFIX * LEAD_WEIGHT));
        assert_eq!(s("k"), Some(INSIDE_WORD * MEMBERS_WEIGHT));
        assert_eq!(s("q"), None);
        assert_eq!(s("-"), None);
    }

    #[test]
    fn ranking_is_best_first_and_stable() {
        let m = |score, index| Scored { score, index };
        let ranked = rank(&[m(3, 0), m(9, 1), m(3, 2), m(0, 3), m(9, 4)]);
        assert_eq!(ranked, vec![1, 4, 0, 2, 3]);
        assert!(rank(&[]).is_empty());
    }

    /// Every item `brute` finds for `query`, with the ones as written first.
    fn brute(ix: &SearchIndex, query: &Query, texts: Option<&[&str]>) -> (Vec<usize>, Vec<usize>) {
        let (mut exact, mut loose) = (Vec::new(), Vec::new());
        for i in 0..ix.len() {
            if ix.score_exact(i, query).is_some() {
                exact.push(i);
            } else if ix
                .score(i, query, texts.and_then(|t| t.get(i).copied()))
                .is_some()
            {
                loose.push(i);
            }
        }
        (exact, loose)
    }

    fn sorted(mut v: Vec<usize>) -> Vec<usize> {
        v.sort_unstable();
        v
    }

    #[test]
    fn the_search_narrows_in_slices_to_what_scoring_everything_finds() {
        let titles = [
            "Community wealth building",
            "Credit union partnership",
            "Neighbourhood food hubs",
            "Youth council budget",
            "Co-operative schools trust",
            "Community energy co-op",
            "Care co-operative",
            "Social prescribing",
        ];
        let councils = [
            "Preston City Council",
            "Oldham Council",
            "Sunderland City Council",
            "Cardiff Council",
        ];
        let mut ix = SearchIndex::default();
        let mut texts = Vec::new();
        for k in 0..200 {
            let members = vec![councils[(k * 7 + 1) % 4].to_string()];
            ix.push(titles[k % 8], Some(councils[k % 4]), &members);
            texts.push(if k % 5 == 0 {
                "our credit volunteers"
            } else {
                "nothing here"
            });
        }
        let texts: Vec<&str> = texts.clone();
        let mut search = Search::default();
        let mut typed = String::new();
        let check = |search: &mut Search, typed: &str, body: bool, ix: &SearchIndex| {
            search.set(Query::new(typed), body, ix);
            // a few small slices, as between keys
            while search.is_busy() {
                search.work(ix, 7, |i| texts.get(i).map(|t| Cow::Borrowed(*t)));
            }
            let q = Query::new(typed);
            if q.is_empty() {
                assert!(search.is_empty() && !search.is_busy());
                return;
            }
            let (exact, loose) = brute(ix, &q, body.then_some(&texts[..]));
            let got: Vec<usize> = search.ranked().collect();
            assert_eq!(got.len(), exact.len() + loose.len(), "{typed:?}");
            assert_eq!(sorted(got[..exact.len()].to_vec()), exact, "{typed:?}");
            assert_eq!(sorted(got[exact.len()..].to_vec()), loose, "{typed:?}");
        };
        let mut left_busy = 0;
        for (k, c) in "credit u".chars().enumerate() {
            typed.push(c);
            if k % 2 == 0 {
                // the next key comes before the looser matches are all found
                search.set(Query::new(&typed), false, &ix);
                search.work(&ix, 3, |_| None);
                left_busy += usize::from(search.is_busy());
            } else {
                check(&mut search, &typed, false, &ix);
            }
        }
        assert!(left_busy > 0);
        // enter: the text counts too
        check(&mut search, &typed, true, &ix);
        for _ in 0..3 {
            typed.pop();
            check(&mut search, &typed, true, &ix);
        }
        for c in "cwb sund".chars() {
            typed.clear();
            typed.push(c);
            check(&mut search, &typed, false, &ix);
        }
        typed = "cwb".to_string();
        check(&mut search, &typed, false, &ix);
        // more submissions arrive while the search is open
        ix.push("Cwm Taf wellbeing board", Some("Rhondda Cynon Taf"), &[]);
        search.extend(&ix);
        check(&mut search, &typed, false, &ix);
        typed.push_str(" pre");
        check(&mut search, &typed, false, &ix);
    }

    /// `ix` with every pair set full: no key is skipped by its pairs, as
    /// before there were any.
    fn without_pairs(ix: &SearchIndex) -> SearchIndex {
        let mut full = ix.clone();
        for k in &mut full.keys {
            k.pairs = [[u64::MAX; 2]; 3];
        }
        full
    }

    proptest! {
        #[test]
        fn the_pairs_skip_only_what_could_not_match(
            rows in proptest::collection::vec(
                ("[A-Za-zéô0-9 ,'-]{0,24}", "[A-Za-z ]{0,12}", proptest::collection::vec("[A-Za-z ]{0,12}", 0..3)),
                1..12,
            ),
            pick in 0usize..12,
            from in 0usize..24,
            len in 1usize..7,
            typed in "[a-zé0-9 -]{1,8}",
        ) {
            let mut ix = SearchIndex::default();
            for (title, lead, members) in &rows {
                ix.push(title, Some(lead.as_str()), members);
            }
            let full = without_pairs(&ix);
            // a piece of a title (so often a match as written), and any text
            let title = &rows[pick % rows.len()].0;
            let piece: String = title.chars().skip(from % (title.chars().count() + 1)).take(len).collect();
            for query in [Query::new(&piece), Query::new(&typed)] {
                for i in 0..ix.len() {
                    prop_assert_eq!(ix.score_exact(i, &query), full.score_exact(i, &query));
                    prop_assert_eq!(ix.score(i, &query, Some("a text")), full.score(i, &query, Some("a text")));
                }
            }
        }
    }
}
