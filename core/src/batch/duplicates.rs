//! Likely duplicates: the same case study sent twice (a Word form, and the
//! same form again attached to an e-mail with a covering note; a page saved
//! twice). Each submission's text is reduced to a sketch, the smallest
//! hashes of its runs of words (bottom-k MinHash over word shingles); two
//! sketches that share most of their hashes come from texts that share most
//! of their runs of words, whatever was added around them, their spacing,
//! punctuation or case.
//!
//! Finding the other of a pair looks only at submissions that share one of
//! a sketch's first hashes, so a large batch is not compared pair by pair.

use std::collections::HashMap;

/// Words in a run (a shingle).
const SHINGLE: usize = 5;
/// Hashes kept per text.
const KEPT: usize = 32;
/// The first hashes a candidate must share one of.
const BANDS: usize = 4;
/// At least this share of two sketches' hashes in common (of `KEPT`).
const SAME: f64 = 0.6;
/// A text shorter than this many words is too short to call a duplicate.
const MIN_WORDS: usize = 40;
/// Only a text's first words are sketched.
const MAX_WORDS: usize = 5_000;

/// A step of a fast, non-cryptographic hash (as rustc's FxHash): what is
/// hashed is a batch's own text, compared with itself.
fn mix(h: u64, x: u64) -> u64 {
    (h.rotate_left(5) ^ x).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

/// Spreads a hash's bits, so that the smallest hashes are a fair sample.
fn finish(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The smallest hashes of a text's runs of words, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sketch(Vec<u32>);

impl Sketch {
    /// The sketch of `text`; empty for a text too short to tell.
    pub fn of(text: &str) -> Sketch {
        // each word hashed as it is read, lower-cased, without a copy; a
        // long text's first words are enough to tell
        // (bytes: ASCII letters folded to lower case, any other letter as
        // it is written; a word is a run of letters and digits)
        let words: Vec<u64> = text
            .as_bytes()
            .split(|b| b.is_ascii() && !b.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .take(MAX_WORDS)
            .map(|w| {
                w.iter()
                    .fold(0, |h, b| mix(h, u64::from(b.to_ascii_lowercase())))
            })
            .collect();
        if words.len() < MIN_WORDS {
            return Sketch::default();
        }
        // the top half of each run's hash: four bytes a hash kept
        let mut hashes: Vec<u32> = words
            .windows(SHINGLE)
            .map(|run| (finish(run.iter().fold(0, |h, &w| mix(h, w))) >> 32) as u32)
            .collect();
        hashes.sort_unstable();
        hashes.dedup();
        hashes.truncate(KEPT);
        Sketch(hashes)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The estimated share of runs of words two texts have in common: of
    /// the smallest hashes of both together, how many are in both.
    pub fn likeness(&self, other: &Sketch) -> f64 {
        if self.0.is_empty() || other.0.is_empty() {
            return 0.0;
        }
        let (mut i, mut j) = (0, 0);
        let (mut seen, mut both) = (0u32, 0u32);
        let kept = u32::try_from(KEPT).unwrap_or(u32::MAX);
        while seen < kept && (i < self.0.len() || j < other.0.len()) {
            match (self.0.get(i), other.0.get(j)) {
                (Some(a), Some(b)) if a == b => {
                    both += 1;
                    i += 1;
                    j += 1;
                }
                (Some(a), Some(b)) if a < b => i += 1,
                (Some(_), Some(_)) => j += 1,
                (Some(_), None) => i += 1,
                (None, _) => j += 1,
            }
            seen += 1;
        }
        f64::from(both) / f64::from(seen.max(1))
    }
}

/// The sketches of a batch's submissions, by item index, and the index that
/// finds a submission's likely duplicate.
#[derive(Debug, Default)]
pub struct Duplicates {
    sketches: Vec<Sketch>,
    by_hash: HashMap<u32, Vec<usize>>,
}

impl Duplicates {
    /// Records item `ix`'s sketch (items are added in order; a gap is an
    /// item without text).
    pub fn add(&mut self, ix: usize, sketch: Sketch) {
        if self.sketches.len() <= ix {
            self.sketches.resize(ix + 1, Sketch::default());
        }
        for h in sketch.0.iter().take(BANDS) {
            self.by_hash.entry(*h).or_default().push(ix);
        }
        if let Some(slot) = self.sketches.get_mut(ix) {
            *slot = sketch;
        }
    }

    /// The item most like item `ix`, if it is likely the same case study.
    pub fn of(&self, ix: usize) -> Option<usize> {
        let sketch = self.sketches.get(ix).filter(|s| !s.is_empty())?;
        let mut best: Option<(usize, f64)> = None;
        for h in sketch.0.iter().take(BANDS) {
            for &other in self.by_hash.get(h).into_iter().flatten() {
                if other == ix || best.is_some_and(|(b, _)| b == other) {
                    continue;
                }
                let Some(s) = self.sketches.get(other) else {
                    continue;
                };
                let like = sketch.likeness(s);
                if like >= SAME && best.is_none_or(|(_, b)| like > b) {
                    best = Some((other, like));
                }
            }
        }
        best.map(|(other, _)| other)
    }

    /// Forgets every sketch (the batch was read again).
    pub fn clear(&mut self) {
        *self = Duplicates::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(seed: usize, words: usize) -> String {
        (0..words)
            .map(|i| format!("w{}", (i * 7919 + seed * 104_729) % 100_003))
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn the_same_text_with_a_covering_note_is_found_and_others_are_not() {
        let form = text(1, 300);
        let forwarded = format!(
            "Dear colleagues, please find our case study attached. Thanks, Sam.\n\n{}",
            form.to_uppercase().replace(' ', "  ")
        );
        let mut d = Duplicates::default();
        d.add(0, Sketch::of(&form));
        d.add(1, Sketch::of(&text(2, 300)));
        d.add(2, Sketch::of(&forwarded));
        d.add(3, Sketch::of("too short to tell"));
        assert_eq!(d.of(0), Some(2));
        assert_eq!(d.of(2), Some(0));
        assert_eq!(d.of(1), None);
        assert_eq!(d.of(3), None);
        assert_eq!(d.of(9), None);
    }

    #[test]
    fn texts_that_share_a_paragraph_are_not_the_same() {
        let shared = text(5, 60);
        let a = format!("{shared} {}", text(6, 400));
        let b = format!("{shared} {}", text(7, 400));
        assert!(Sketch::of(&a).likeness(&Sketch::of(&b)) < SAME);
    }
}
