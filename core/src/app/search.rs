//! The list's search: what is typed, the index of titles and councils it
//! matches, the matches found so far (a longer query narrows them), and
//! whether it also looks in the submissions' text.
//!
//! [`ListSearch`] owns that state; the list ([`App`]) asks it for the
//! ranked matches and carries out what a key asks ([`SearchOutcome`]):
//! relisting, moving, leaving.

use std::collections::BTreeSet;

use super::input::LineInput;
use super::{App, Overlay};
use crate::batch::Item;
use crate::keymap::Action;
use crate::matching::{Query, Search, SearchIndex};
use crate::taxonomy::Taxonomy;

/// How many submissions a keystroke tries loosely before it returns; the
/// rest are tried in slices while no key is waiting.
const SEARCH_NOW: usize = 1024;

/// The search over the list.
#[derive(Default)]
pub struct ListSearch {
    input: LineInput,
    /// Also looks in the submissions' text (after `enter`).
    in_texts: bool,
    /// The selection follows the best match (while the officer types).
    follow_best: bool,
    /// The folded title and councils of each item, what the search matches.
    keys: SearchIndex,
    /// The matches, kept so that a longer query narrows them.
    finder: Search,
    /// Submissions whose text could not be read again as it was read
    /// (changed on disk), until reloaded.
    texts_changed: BTreeSet<usize>,
}

/// What a key in the search asks of the list.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum SearchOutcome {
    /// The text changed: the list follows, the best match selected.
    Typed,
    /// `enter`: the search is kept; `widened` when it now also looks in
    /// the texts (the list must follow).
    Kept {
        widened: bool,
    },
    /// `esc`: the search is left, with what was typed (brought back by the
    /// next opening).
    Left(Option<String>),
    /// Move the selection, leaving the best match.
    Move(isize),
    Quit,
    None,
}

/// How the search opened.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Opened {
    Empty,
    /// On the search last left with `esc`.
    Recalled,
    /// On the search kept with `enter`.
    Again,
}

impl ListSearch {
    /// The text typed.
    pub fn text(&self) -> &str {
        self.input.text()
    }

    /// Whether the text shown was brought back (the first letter replaces it).
    pub fn recalled(&self) -> bool {
        self.input.recalled()
    }

    /// Whether the search also looks in the submissions' text.
    pub fn in_texts(&self) -> bool {
        self.in_texts
    }

    /// Whether a search is in force (not blank).
    pub fn is_active(&self) -> bool {
        !self.input.is_blank()
    }

    /// Whether looser matches are still being looked for.
    pub fn is_busy(&self) -> bool {
        self.finder.is_busy()
    }

    pub(super) fn open(&mut self) -> Opened {
        self.in_texts = false;
        if self.input.recall() {
            self.follow_best = true;
            return Opened::Recalled;
        }
        if self.input.is_empty() {
            return Opened::Empty;
        }
        self.input.mark_recalled();
        Opened::Again
    }

    pub(super) fn type_char(&mut self, c: char) -> SearchOutcome {
        self.input.push(c);
        self.follow_best = true;
        SearchOutcome::Typed
    }

    pub(super) fn paste(&mut self, text: &str) -> SearchOutcome {
        self.input.paste(text);
        self.follow_best = true;
        SearchOutcome::Typed
    }

    pub(super) fn handle(&mut self, action: Action) -> SearchOutcome {
        match action {
            Action::Confirm => {
                self.input.keep();
                self.follow_best = false;
                let widened = self.is_active() && !self.in_texts;
                if widened {
                    self.in_texts = true;
                }
                SearchOutcome::Kept { widened }
            }
            Action::Cancel => {
                self.follow_best = false;
                SearchOutcome::Left(self.input.leave())
            }
            Action::Backspace => {
                self.input.backspace();
                self.follow_best = true;
                SearchOutcome::Typed
            }
            Action::ClearQuery => {
                self.input.clear();
                self.follow_best = true;
                SearchOutcome::Typed
            }
            Action::Down | Action::Up => {
                self.input.keep();
                self.follow_best = false;
                SearchOutcome::Move(if action == Action::Down { 1 } else { -1 })
            }
            Action::Quit => {
                self.input.keep();
                SearchOutcome::Quit
            }
            _ => {
                self.input.keep();
                SearchOutcome::None
            }
        }
    }

    /// Clears the search (the filter's clear key clears both).
    pub(super) fn clear(&mut self) {
        self.input.clear();
    }

    /// Drops the search's matches: items were read again.
    pub(super) fn reset_matches(&mut self) {
        self.finder = Search::default();
    }

    /// Indexes the items from `from` on (those before it are kept).
    pub(super) fn index(&mut self, items: &[Item], from: usize) {
        self.keys.truncate(from);
        for item in items.get(from..).unwrap_or_default() {
            match &item.submission {
                Ok(s) => self.keys.push(
                    &s.title,
                    s.fields.lead_member.as_deref(),
                    &s.fields.participating_members,
                ),
                Err(_) => self.keys.push(&item.file_name, None, &[]),
            }
        }
    }

    /// Items from the end of the index on were added: the matches so far
    /// stay valid, only the new ones are scored.
    pub(super) fn extend(&mut self) {
        self.finder.extend(&self.keys);
    }

    /// Item `ix` was read again.
    pub(super) fn reindex(&mut self, ix: usize, item: &Item) {
        self.texts_changed.remove(&ix);
        match &item.submission {
            Ok(s) => self.keys.replace(
                ix,
                &s.title,
                s.fields.lead_member.as_deref(),
                &s.fields.participating_members,
            ),
            Err(_) => self.keys.replace(ix, &item.file_name, None, &[]),
        }
    }

    /// Starts the search again from its text, matching at most
    /// [`SEARCH_NOW`] submissions loosely now.
    pub(super) fn restart(&mut self, items: &[Item], taxonomy: &Taxonomy) -> bool {
        let query = Query::new(self.input.text());
        self.finder.set(query, self.in_texts, &self.keys);
        self.work(items, taxonomy, SEARCH_NOW).1
    }

    /// Looks for looser matches among up to `budget` submissions: whether
    /// it found any, and what to tell the officer about texts it could not
    /// read. A text dropped from memory is read again (and not kept); one
    /// whose file changed on disk since it was read is not searched.
    pub(super) fn work(
        &mut self,
        items: &[Item],
        taxonomy: &Taxonomy,
        budget: usize,
    ) -> (bool, bool) {
        let mut changed: Vec<usize> = Vec::new();
        let found = self.finder.work(&self.keys, budget, |i| {
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
        let news = !changed.is_empty();
        self.texts_changed.extend(changed);
        (found, news)
    }

    /// How many texts the search could not read: dropped from memory, their
    /// files changed on disk since they were read.
    pub(super) fn unread(&self) -> usize {
        self.texts_changed.len()
    }

    /// The matches, best first, while a query is typed; `None` without one.
    pub(super) fn ranked(&self) -> Option<impl Iterator<Item = usize> + '_> {
        (!self.finder.query().is_empty()).then(|| self.finder.ranked())
    }

    pub(super) fn follows_best(&self) -> bool {
        self.follow_best
    }
}

impl App {
    /// `/`: the search opens on what it holds (kept with `enter`), or on the
    /// search last left with `esc`, brought back so that a stray key loses no
    /// typed text. Either way the text is shown as a selected field is: the
    /// first letter typed replaces it, `backspace` clears it, `enter` keeps it.
    pub(super) fn open_search(&mut self) {
        self.overlay = Overlay::Search;
        match self.search.open() {
            Opened::Recalled => {
                self.info("the last search is back: type to replace it, enter to keep it");
                self.search_typed();
            }
            Opened::Again => {
                self.info("the search is open again: type to replace it, enter to keep it");
                self.refresh_view();
            }
            Opened::Empty => self.refresh_view(),
        }
    }

    pub(super) fn apply_search(&mut self, action: Action) {
        let outcome = self.search.handle(action);
        self.after_search(outcome);
    }

    /// Carries out what a key in the search asked.
    pub(super) fn after_search(&mut self, outcome: SearchOutcome) {
        match outcome {
            SearchOutcome::Typed => self.search_typed(),
            SearchOutcome::Kept { widened } => {
                // Enter widens the search to the submissions' text; the
                // selection stays where it is.
                self.overlay = Overlay::None;
                if widened {
                    self.refresh_view();
                    self.on_selection_changed();
                }
                if self.search.is_active() {
                    let n = self.view.len();
                    let matches = crate::text::count(n, "match", "matches");
                    match self.search_unread_note() {
                        Some(note) => self.error(format!("{matches}; {note}")),
                        None => self.info(format!("{matches} in titles, councils and text")),
                    }
                }
            }
            SearchOutcome::Left(typed) => {
                if let Some(q) = typed {
                    let q = crate::sanitize::clean(&q);
                    let key = self.key_label(crate::keymap::Mode::Batch, Action::Search);
                    self.info(format!("search “{q}” left; {key} brings it back"));
                }
                self.overlay = Overlay::None;
                self.refresh_view();
                self.on_selection_changed();
            }
            SearchOutcome::Move(delta) => self.move_cursor(delta),
            SearchOutcome::Quit => self.request_quit(),
            SearchOutcome::None => {}
        }
    }

    /// The search text changed: the list follows, and the selection goes to
    /// the best match.
    pub(super) fn search_typed(&mut self) {
        let before = self.selected();
        self.refresh_view();
        if self.selected() != before {
            self.on_selection_changed();
        }
    }

    /// What the search could not read, when anything.
    fn search_unread_note(&self) -> Option<String> {
        let n = self.search.unread();
        (n > 0).then(|| {
            let reload = self.keys_hint(&[Action::Reload]);
            format!(
                "{} changed on disk since read, text not searched; reload ({reload}) to search {}",
                crate::text::count(n, "submission", "submissions"),
                if n == 1 { "it" } else { "them" },
            )
        })
    }

    /// Recomputes the list from the search and filter. With a search, the
    /// best match is selected (as fzf does) while the officer types; without
    /// one, the selected submission stays selected when it is still listed.
    ///
    /// The looser matches of a large batch are looked for afterwards, in
    /// slices ([`App::search_work`]); a small batch's at once.
    pub fn refresh_view(&mut self) {
        if self.search.restart(&self.batch.items, &self.taxonomy)
            && let Some(note) = self.search_unread_note()
        {
            self.error(note);
        }
        self.relist();
    }

    /// Whether looser matches of the search are still being looked for.
    pub fn search_busy(&self) -> bool {
        self.search.is_busy()
    }

    /// Looks for looser matches of the search among up to `budget` more
    /// submissions (the shell calls this while no key is waiting), and lists
    /// what it found. Returns whether the list changed.
    pub fn search_work(&mut self, budget: usize) -> bool {
        let (found, news) = self.search.work(&self.batch.items, &self.taxonomy, budget);
        if news && let Some(note) = self.search_unread_note() {
            self.error(note);
        }
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
    pub(super) fn relist(&mut self) {
        // an empty list has no selection: the one before it is held
        let keep = self.selected().or(self.held.take());
        let filter = self.filter;
        let statuses = &self.statuses;
        let passes =
            |ix: &usize| filter.is_none_or(|f| statuses.get(*ix).is_some_and(|s| f.matches(*s)));
        let ranked = self.search.ranked();
        let searching = ranked.is_some();
        self.view = match ranked {
            Some(r) => r.filter(passes).collect(),
            None => (0..self.batch.items.len()).filter(passes).collect(),
        };
        self.cursor = if self.search.follows_best() && searching {
            0
        } else {
            keep.and_then(|k| self.view.iter().position(|&i| i == k))
                .unwrap_or(0)
        };
        if self.view.is_empty() {
            self.held = keep;
        }
    }
}
