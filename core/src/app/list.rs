//! The list: loading, the cursor, the status filter and the search.

use super::{App, Filter, Overlay};
use crate::batch::{Item, Status};
use crate::keymap::Action;
use crate::matching::{Query, SearchIndex};
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
        self.finder.extend(&self.search_keys);
        if self.filter.is_none() && self.search.trim().is_empty() {
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
        self.search_keys.truncate(from);
        for item in self.batch.items.get(from..).unwrap_or_default() {
            self.statuses.push(item.status(&self.taxonomy));
            push_search_key(&mut self.search_keys, item);
        }
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
                .is_some_and(|it| &crate::state::name_key(&it.path) == pos)
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

    /// `/`: the search opens on what it holds (kept with `enter`), or on the
    /// search last left with `esc`, brought back so that a stray key loses no
    /// typed text. Either way the text is shown as a selected field is: the
    /// first letter typed replaces it, `backspace` clears it, `enter` keeps it.
    pub(super) fn open_search(&mut self) {
        self.search_body = false;
        self.overlay = Overlay::Search;
        if self.search.is_empty()
            && let Some(draft) = self.search_draft.take()
        {
            self.search = draft;
            self.search_recalled = true;
            self.info("the last search is back: type to replace it, enter to keep it");
            self.search_typed();
            return;
        }
        if !self.search.is_empty() {
            self.search_recalled = true;
            self.info("the search is open again: type to replace it, enter to keep it");
        }
        self.refresh_view();
    }

    pub(super) fn apply_search(&mut self, action: Action) {
        let recalled = std::mem::take(&mut self.search_recalled);
        match action {
            Action::Confirm => {
                // Enter widens the search to the submissions' text; the
                // selection stays where it is.
                self.overlay = Overlay::None;
                self.follow_best = false;
                if !self.search.trim().is_empty() && !self.search_body {
                    self.search_body = true;
                    self.refresh_view();
                    self.on_selection_changed();
                }
                let n = self.view.len();
                if !self.search.trim().is_empty() {
                    self.info(format!(
                        "{n} match{} in titles, councils and text",
                        if n == 1 { "" } else { "es" }
                    ));
                    if let Some(note) = self.texts_changed_note() {
                        self.error(format!(
                            "{n} match{}; {note}",
                            if n == 1 { "" } else { "es" }
                        ));
                    }
                }
            }
            Action::Cancel => {
                self.follow_best = false;
                if !self.search.trim().is_empty() {
                    let q = crate::sanitize::clean(&self.search);
                    let key = self.key_label(crate::keymap::Mode::Batch, Action::Search);
                    self.info(format!("search “{q}” left; {key} brings it back"));
                    self.search_draft = Some(std::mem::take(&mut self.search));
                }
                self.search.clear();
                self.overlay = Overlay::None;
                self.refresh_view();
                self.on_selection_changed();
            }
            Action::Backspace => {
                if recalled {
                    self.search.clear();
                } else {
                    self.search.pop();
                }
                self.search_typed();
            }
            Action::ClearQuery => {
                self.search.clear();
                self.search_typed();
            }
            Action::Down => {
                self.follow_best = false;
                self.move_cursor(1);
            }
            Action::Up => {
                self.follow_best = false;
                self.move_cursor(-1);
            }
            Action::Quit => self.request_quit(),
            _ => {}
        }
    }

    /// The search text changed: the list follows, and the selection goes to
    /// the best match.
    pub(super) fn search_typed(&mut self) {
        self.follow_best = true;
        let before = self.selected();
        self.refresh_view();
        if self.selected() != before {
            self.on_selection_changed();
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
            item.body()?;
            let sub = item.submission.as_ref().ok()?;
            Some((i, suggest(sub, &self.taxonomy)))
        });
        self.history.position = self
            .selected_item()
            .map(|it| crate::state::name_key(&it.path));
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

    /// Recomputes the list from the search and filter. With a search, the
    /// best match is selected (as fzf does) while the officer types; without
    /// one, the selected submission stays selected when it is still listed.
    ///
    /// The looser matches of a large batch are looked for afterwards, in
    /// slices ([`App::search_work`]); a small batch's at once.
    pub fn refresh_view(&mut self) {
        let query = Query::new(&self.search);
        self.finder.set(query, self.search_body, &self.search_keys);
        self.search_slice(SEARCH_NOW);
        self.relist();
    }

    /// Whether looser matches of the search are still being looked for.
    pub fn search_busy(&self) -> bool {
        self.finder.is_busy()
    }

    /// Looks for looser matches of the search among up to `budget` more
    /// submissions (the shell calls this while no key is waiting), and lists
    /// what it found. Returns whether the list changed.
    pub fn search_work(&mut self, budget: usize) -> bool {
        let found = self.search_slice(budget);
        if found {
            let before = self.selected();
            self.relist();
            if self.selected() != before {
                self.on_selection_changed();
            }
        }
        found
    }

    /// The list from the search's matches (or the whole batch) and the filter.
    fn relist(&mut self) {
        let keep = self.selected();
        let filter = self.filter;
        let statuses = &self.statuses;
        let passes =
            |ix: &usize| filter.is_none_or(|f| statuses.get(*ix).is_some_and(|s| f.matches(*s)));
        let searching = !self.finder.query().is_empty();
        self.view = if searching {
            self.finder.ranked().filter(passes).collect()
        } else {
            (0..self.batch.items.len()).filter(passes).collect()
        };
        self.cursor = if self.follow_best && searching {
            0
        } else {
            keep.and_then(|k| self.view.iter().position(|&i| i == k))
                .unwrap_or(0)
        };
    }
}

/// How many submissions a keystroke tries loosely before it returns; the
/// rest are tried in slices while no key is waiting.
const SEARCH_NOW: usize = 1024;

impl App {
    /// What the search could not read: texts dropped from memory whose
    /// files changed on disk since they were read.
    fn texts_changed_note(&self) -> Option<String> {
        let n = self.texts_changed.len();
        (n > 0).then(|| {
            let reload = self.keys_hint(&[Action::Reload]);
            format!(
                "{} changed on disk since read, text not searched; reload ({reload}) to search {}",
                crate::text::count(n, "submission", "submissions"),
                if n == 1 { "it" } else { "them" },
            )
        })
    }

    /// Looks for looser matches among up to `budget` submissions. A text
    /// dropped from memory is read again (and not kept); one whose file
    /// changed on disk since it was read is not searched, and the officer is
    /// told so.
    fn search_slice(&mut self, budget: usize) -> bool {
        let items = &self.batch.items;
        let taxonomy = &self.taxonomy;
        let mut changed: Vec<usize> = Vec::new();
        let found = self.finder.work(&self.search_keys, budget, |i| {
            let item = items.get(i)?;
            match item.text(taxonomy) {
                Ok(text) => Some(text),
                Err(_) => {
                    if item.text_dropped() {
                        changed.push(i);
                    }
                    None
                }
            }
        });
        if !changed.is_empty() {
            self.texts_changed.extend(changed);
            if let Some(note) = self.texts_changed_note() {
                self.error(note);
            }
        }
        found
    }
}

/// Adds what the live search matches of `item`: its title and councils (the
/// file name when it could not be read).
pub(super) fn push_search_key(keys: &mut SearchIndex, item: &Item) {
    match &item.submission {
        Ok(s) => keys.push(&s.title, s.lead_member.as_deref(), &s.participating_members),
        Err(_) => keys.push(&item.file_name, None, &[]),
    }
}

/// Replaces the search key of item `ix` (read again).
pub(super) fn replace_search_key(keys: &mut SearchIndex, ix: usize, item: &Item) {
    match &item.submission {
        Ok(s) => keys.replace(
            ix,
            &s.title,
            s.lead_member.as_deref(),
            &s.participating_members,
        ),
        Err(_) => keys.replace(ix, &item.file_name, None, &[]),
    }
}
