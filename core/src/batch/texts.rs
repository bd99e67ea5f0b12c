//! Which submissions keep their text in memory.
//!
//! A submission's text (`Submission::body`) is most of what a batch holds:
//! at 100,000 submissions, hundreds of megabytes that only the selected
//! submission's text pane and reader, the search after `enter`, statistics
//! and exports ever read. The terminal program keeps the text of the
//! submissions used last, up to a budget of bytes, and drops the rest: the
//! metadata (title, councils, hash, proposed tags, warnings) stays. Text
//! needed again is read from disk by the same reader, with the same checks,
//! and only when the file's bytes are still those read
//! ([`crate::submission::reread_submission`]); otherwise the officer is told
//! that it changed on disk and reloads it.
//!
//! A batch whose texts fit the budget never drops one, so it behaves as
//! before: nothing is read twice.

use std::collections::BTreeMap;

use super::Item;

/// The text kept in memory by the terminal program: 16 MiB. The network's
/// batches are hundreds of submissions of a few kilobytes (a generated batch
/// of 3,000 fits), so they are never read twice; at 100,000 it is some
/// 4,000 texts, 4% of what holding them all took, and it always holds the
/// largest submission read (2 MiB) beside the last few hundred viewed.
pub const DEFAULT_TEXT_BUDGET: usize = 16 * 1024 * 1024;

/// The items whose text is held, least recently used first, within a budget
/// of bytes. Item indices are those of [`super::Batch::items`].
#[derive(Debug, Clone)]
pub struct Texts {
    budget: usize,
    /// Bytes of text held (the texts' lengths).
    held: usize,
    /// A counter of uses; an item's last use is its value then.
    clock: u64,
    /// Per item, its last use, 0 while its text is not held (or not tracked).
    last_use: Vec<u64>,
    /// The held items by last use.
    by_use: BTreeMap<u64, usize>,
}

impl Default for Texts {
    /// No budget: every text stays (the commands read a batch once).
    fn default() -> Texts {
        Texts::new(usize::MAX)
    }
}

impl Texts {
    pub fn new(budget: usize) -> Texts {
        Texts {
            budget,
            held: 0,
            clock: 0,
            last_use: Vec::new(),
            by_use: BTreeMap::new(),
        }
    }

    pub fn budget(&self) -> usize {
        self.budget
    }

    /// Bytes of text held.
    pub fn held_bytes(&self) -> usize {
        self.held
    }

    /// Marks item `ix` as used now, its text (of `len` bytes) held.
    fn touch(&mut self, ix: usize, len: usize) {
        if self.last_use.len() <= ix {
            self.last_use.resize(ix + 1, 0);
        }
        let Some(slot) = self.last_use.get_mut(ix) else {
            return;
        };
        if *slot == 0 {
            self.held = self.held.saturating_add(len);
        } else {
            self.by_use.remove(slot);
        }
        self.clock += 1;
        *slot = self.clock;
        self.by_use.insert(self.clock, ix);
    }

    /// Forgets item `ix` (its text was dropped or replaced).
    fn forget(&mut self, ix: usize, len: usize) {
        if let Some(slot) = self.last_use.get_mut(ix)
            && *slot != 0
        {
            self.by_use.remove(slot);
            *slot = 0;
            self.held = self.held.saturating_sub(len);
        }
    }

    /// The least recently used held item other than `keep`, while over budget.
    fn victim(&self, keep: Option<usize>) -> Option<usize> {
        if self.held <= self.budget {
            return None;
        }
        self.by_use.values().copied().find(|&ix| Some(ix) != keep)
    }
}

/// The length of an item's text while held.
fn held_len(item: &Item) -> Option<usize> {
    match &item.submission {
        Ok(s) if !item.text_dropped => Some(s.body.len()),
        _ => None,
    }
}

impl super::Batch {
    /// Keeps at most `budget` bytes of text in memory from now on (the
    /// terminal program's [`DEFAULT_TEXT_BUDGET`]); the texts held are
    /// counted from item `0`.
    pub fn set_text_budget(&mut self, budget: usize) {
        self.texts = Texts::new(budget);
        self.track_texts(0, None);
    }

    /// Counts the texts of the items from `from` on (just added or read
    /// again) as used now, and drops the least recently used texts over the
    /// budget, never that of item `keep` (the selected one).
    pub fn track_texts(&mut self, from: usize, keep: Option<usize>) {
        for ix in from..self.items.len() {
            if let Some(len) = self.items.get(ix).and_then(held_len) {
                self.texts.touch(ix, len);
            }
        }
        self.trim_texts(keep);
    }

    /// Drops texts, least recently used first, until those held fit the
    /// budget; never that of item `keep`.
    fn trim_texts(&mut self, keep: Option<usize>) {
        while let Some(ix) = self.texts.victim(keep) {
            let len = self.items.get(ix).and_then(held_len).unwrap_or(0);
            self.texts.forget(ix, len);
            if let Some(item) = self.items.get_mut(ix)
                && let Ok(s) = &mut item.submission
            {
                s.body = String::new();
                item.text_dropped = true;
            }
        }
    }

    /// Item `ix` was read again from disk (reload): its new text is held.
    pub fn text_replaced(&mut self, ix: usize, old_len: usize, keep: Option<usize>) {
        self.texts.forget(ix, old_len);
        if let Some(item) = self.items.get_mut(ix) {
            item.text_dropped = false;
        }
        if let Some(len) = self.items.get(ix).and_then(held_len) {
            self.texts.touch(ix, len);
        }
        self.trim_texts(keep.or(Some(ix)));
    }

    /// Makes sure item `ix`'s text is in memory, reading it again when it
    /// was dropped, and marks it used now (the selected submission: its text
    /// pane, reader and suggestions read it). An error when it cannot be read
    /// again as it was: the file changed on disk (or went) since it was read.
    pub fn hold_text(
        &mut self,
        ix: usize,
        taxonomy: &crate::taxonomy::Taxonomy,
    ) -> Result<(), crate::problem::Problem> {
        let Some(item) = self.items.get_mut(ix) else {
            return Ok(());
        };
        let Ok(sub) = &mut item.submission else {
            return Ok(());
        };
        if item.text_dropped {
            let again = crate::submission::reread_submission(&sub.path, &sub.sha256, taxonomy)?;
            sub.body = again.body;
            item.text_dropped = false;
        }
        let len = sub.body.len();
        self.texts.touch(ix, len);
        self.trim_texts(Some(ix));
        Ok(())
    }

    /// How many items hold their text in memory now.
    pub fn texts_held(&self) -> usize {
        self.items
            .iter()
            .filter(|it| held_len(it).is_some())
            .count()
    }

    /// Bytes of text held in memory now.
    pub fn text_bytes_held(&self) -> usize {
        self.items.iter().filter_map(held_len).sum()
    }
}
