//! The list: loading, the cursor, the status filter and the search.

use super::{App, Filter, Overlay};
use crate::batch::{Item, Status};
use crate::keymap::Action;
use crate::matching::{BatchQuery, contains_ignore_case};
use crate::suggest::suggest;

impl App {
    /// Adds items read in the background; the list grows as they arrive.
    pub fn push_items(&mut self, items: Vec<Item>) {
        let from = self.batch.items.len();
        let was_empty = self.view.is_empty();
        self.batch.items.extend(items);
        self.index_items(from);
        // The last search's matches stay valid for the items already listed;
        // only the new ones are scored.
        let added = from..self.batch.items.len();
        if !self.search_cache.query.is_empty() {
            let query = self.search_cache.query.clone();
            let added: Vec<usize> = added.clone().collect();
            let new = score_candidates(
                &added,
                &query,
                &self.search_keys,
                &self.batch.items,
                self.search_body,
            );
            let matches = &mut self.search_cache.matches;
            matches.extend(new);
            matches.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        }
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
            self.search_keys.push(search_key(item));
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
                .is_some_and(|it| &it.file_name == pos)
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

    pub(super) fn apply_search(&mut self, action: Action) {
        match action {
            Action::Confirm => {
                // Enter widens the search to the submissions' text.
                self.overlay = Overlay::None;
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
                }
            }
            Action::Cancel => {
                self.search.clear();
                self.overlay = Overlay::None;
                self.refresh_view();
                self.on_selection_changed();
            }
            Action::Backspace => {
                self.search.pop();
                self.refresh_view();
                self.on_selection_changed();
            }
            Action::ClearQuery => {
                self.search.clear();
                self.refresh_view();
                self.on_selection_changed();
            }
            Action::Down => self.move_cursor(1),
            Action::Up => self.move_cursor(-1),
            Action::Quit => self.request_quit(),
            _ => {}
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

    pub(super) fn on_selection_changed(&mut self) {
        // Browsing past a submission is not time spent tagging it.
        self.pending_secs = 0;
        self.body_scroll = 0;
        self.suggestions = self.selected().and_then(|i| {
            let item = self.batch.items.get(i)?;
            let sub = item.submission.as_ref().ok()?;
            Some((i, suggest(sub, &self.taxonomy)))
        });
        self.history.position = self.selected_item().map(|it| it.file_name.clone());
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

    /// Recomputes the list from the search and filter, keeping the selected
    /// submission selected when it is still listed.
    pub fn refresh_view(&mut self) {
        let keep = self.selected();
        let filter = self.filter;
        let passes = |ix: usize, statuses: &[Status]| {
            filter.is_none_or(|f| statuses.get(ix).is_some_and(|s| f.matches(*s)))
        };
        let query = self.search.trim().to_lowercase();
        if query.is_empty() {
            self.search_cache = SearchCache::default();
        }
        self.view = if query.is_empty() {
            (0..self.batch.items.len())
                .filter(|&i| passes(i, &self.statuses))
                .collect()
        } else {
            self.search_matches(&query);
            self.search_cache
                .matches
                .iter()
                .map(|&(_, i)| i)
                .filter(|&i| passes(i, &self.statuses))
                .collect()
        };
        self.cursor = keep
            .and_then(|k| self.view.iter().position(|&i| i == k))
            .unwrap_or(0);
    }

    /// Scores the batch against `query` (lower-case), best first, into the
    /// search cache. A query that extends the last one only re-scores the
    /// last one's matches: every match of "food h" is a match of "food".
    pub(super) fn search_matches(&mut self, query: &str) {
        let cache = &self.search_cache;
        if cache.query == query && cache.body == self.search_body {
            return;
        }
        let narrow = !cache.query.is_empty()
            && query.starts_with(cache.query.as_str())
            && cache.body == self.search_body;
        let candidates: Vec<usize> = if narrow {
            // any order: the matches are sorted afterwards
            cache.matches.iter().map(|&(_, i)| i).collect()
        } else {
            (0..self.batch.items.len()).collect()
        };
        let mut matches = score_candidates(
            &candidates,
            query,
            &self.search_keys,
            &self.batch.items,
            self.search_body,
        );
        matches.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.search_cache = SearchCache {
            query: query.to_string(),
            body: self.search_body,
            matches,
        };
    }
}

/// Scores `candidates` against `query` (lower-case): fuzzy over their
/// search keys (title and councils), or, when `body` is set, score 0 for the
/// query found in the text.
fn score_candidates(
    candidates: &[usize],
    query: &str,
    keys: &[String],
    items: &[Item],
    body: bool,
) -> Vec<(i64, usize)> {
    BatchQuery::new(query).score_all(
        candidates,
        |i| keys.get(i).map_or("", String::as_str),
        |i| {
            body && items
                .get(i)
                .and_then(|it| it.submission.as_ref().ok())
                .is_some_and(|sub| contains_ignore_case(&sub.body, query))
        },
    )
}

/// The last search and its matches (score, item), best first.
#[derive(Debug, Default)]
pub(super) struct SearchCache {
    query: String,
    body: bool,
    matches: Vec<(i64, usize)>,
}

/// What the live search matches: the title and the councils, lower-case.
pub(super) fn search_key(item: &Item) -> String {
    let Ok(s) = &item.submission else {
        return item.file_name.to_lowercase();
    };
    let mut key = s.title.to_lowercase();
    for m in s.lead_member.iter().chain(s.participating_members.iter()) {
        // ASCII, so the matcher reads the key in place rather than converting it
        key.push_str(" / ");
        key.push_str(&m.to_lowercase());
    }
    key
}
