//! The list: loading, the cursor and the status filter; the search is
//! [`super::search::ListSearch`].

use super::{App, Filter};
use crate::batch::{Item, Status};
use crate::keymap::Action;
use crate::suggest::suggest;

impl App {
    /// Adds items read in the background; the list grows as they arrive.
    pub fn push_items(&mut self, items: Vec<Item>) {
        let from = self.batch.items.len();
        let was_empty = self.view.is_empty();
        // Room for the whole folder at once: doubling a vector of 100,000
        // items would leave room for 31,000 more.
        if let Some((_, total)) = self.loading {
            let room = total.saturating_sub(from).max(items.len());
            self.batch.items.reserve_exact(room);
        }
        self.batch.items.extend(items);
        // The text of what was read goes as more is read, beyond the budget.
        self.batch.track_texts(from, self.selected());
        self.index_items(from);
        // The last search's matches stay valid for the items already listed;
        // only the new ones are scored.
        self.search.extend();
        if self.filter.is_none() && !self.search.is_active() {
            // the common case: no search or filter, the new items go at the end
            self.view.extend(from..self.batch.items.len());
        } else {
            self.refresh_view();
        }
        if let Some((done, total)) = &mut self.loading {
            *done = self.batch.items.len();
            *total = (*total).max(*done);
        }
        if self.return_to_position() || was_empty {
            self.on_selection_changed();
        }
    }

    /// Called when the background reading is over: the checks that need the
    /// whole batch.
    pub fn finish_loading(&mut self) {
        self.loading = None;
        self.pending_position = None;
        self.batch.finish();
        for ix in 0..self.batch.items.len() {
            self.restatus(ix);
        }
        self.refresh_view();
    }

    /// Computes the status and search key of items from `from` on.
    pub(super) fn index_items(&mut self, from: usize) {
        self.statuses.truncate(from);
        for item in self.batch.items.get(from..).unwrap_or_default() {
            self.statuses.push(item.status(&self.taxonomy));
        }
        self.search.index(&self.batch.items, from);
        for (ix, item) in self.batch.items.iter_mut().enumerate().skip(from) {
            // read by the background reader, an item has its sketch already
            item.sketch_text();
            self.duplicates.add(ix, std::mem::take(&mut item.sketch));
        }
    }

    /// The submission that item `ix` is likely a second copy of (or the
    /// first of): the same case study sent twice.
    pub fn duplicate_of(&self, ix: usize) -> Option<usize> {
        self.duplicates.of(ix)
    }

    pub(super) fn restatus(&mut self, ix: usize) {
        if let (Some(item), Some(slot)) = (self.batch.items.get(ix), self.statuses.get_mut(ix)) {
            *slot = item.status(&self.taxonomy);
        }
    }

    /// Selects the remembered submission once it is listed. Returns whether
    /// the selection moved.
    pub(super) fn return_to_position(&mut self) -> bool {
        let Some(pos) = &self.pending_position else {
            return false;
        };
        let found = self.view.iter().position(|&ix| {
            self.batch
                .items
                .get(ix)
                .is_some_and(|it| &crate::session::name_key(&it.path) == pos)
        });
        match found {
            Some(i) => {
                self.cursor = i;
                self.pending_position = None;
                true
            }
            None => false,
        }
    }

    pub(super) fn move_cursor(&mut self, delta: isize) {
        if self.view.is_empty() {
            return;
        }
        let last = self.view.len() - 1;
        let to = self.cursor.saturating_add_signed(delta).min(last);
        self.select_view_index(to);
    }

    pub(super) fn select_view_index(&mut self, i: usize) {
        let i = i.min(self.view.len().saturating_sub(1));
        if i != self.cursor {
            self.cursor = i;
            self.on_selection_changed();
        }
    }

    /// Selects the next submission without a decision, after the selected one,
    /// wrapping around.
    pub fn next_undecided(&mut self) {
        let n = self.view.len();
        for step in 1..=n {
            let i = (self.cursor + step) % n;
            let Some(&ix) = self.view.get(i) else {
                continue;
            };
            let st = self.status(ix);
            if !st.is_decided() && st != Status::Error {
                self.select_view_index(i);
                return;
            }
        }
        self.info("every submission here has a decision");
    }

    /// The selected file's name, cleaned, and the keys that reload: for the
    /// messages about a text that cannot be shown.
    pub(super) fn name_and_reload_key(&self) -> (String, String) {
        let name = self
            .selected_item()
            .map(|it| crate::sanitize::clean(&it.file_name))
            .unwrap_or_default();
        (name, self.keys_hint(&[Action::Reload]))
    }

    pub(super) fn on_selection_changed(&mut self) {
        // Browsing past a submission is not time spent tagging it.
        self.pending_secs = 0;
        self.body_scroll = 0;
        // The selected text is held in memory (read again if it was dropped):
        // the text pane, the reader and the suggestions read it.
        self.text_problem = None;
        if let Some(ix) = self.selected()
            && let Err(p) = self.batch.hold_text(ix, &self.taxonomy)
        {
            let (name, reload) = self.name_and_reload_key();
            let why = crate::sanitize::clean(&p.message);
            self.error(format!("{name}: {why}; reload ({reload}) to see its text"));
            self.text_problem = Some((ix, p));
        }
        self.suggestions = self.selected().and_then(|i| {
            let item = self.batch.items.get(i)?;
            item.held_text()?;
            let sub = item.submission.as_ref().ok()?;
            Some((i, suggest(sub, &self.taxonomy)))
        });
        let position = self
            .selected_item()
            .map(|it| crate::session::name_key(&it.path));
        self.session.set_position(position);
    }

    pub(super) fn cycle_filter(&mut self) {
        let next = match self.filter {
            None => Some(Filter::CYCLE[0]),
            Some(f) => {
                let i = Filter::CYCLE.iter().position(|&x| x == f).unwrap_or(0);
                Filter::CYCLE.get(i + 1).copied()
            }
        };
        self.filter = next;
        self.refresh_view();
        self.on_selection_changed();
        let shown = self.view.len();
        match self.filter {
            Some(f) => self.info(format!("filter: {} ({shown} shown)", f.name())),
            None => self.info("filter off"),
        }
    }
}
