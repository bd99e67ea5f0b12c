//! Saving records, retrying failed saves, reloading from disk, undo and redo.

use super::App;
use super::list::{SearchCache, search_key};
use crate::keymap::Action;
use crate::record::{Record, RecordFile, SaveError};

impl App {
    /// Saves one item's record, reporting failure on the message line. The
    /// record stays in memory either way.
    pub(super) fn save_item(&mut self, ix: usize) -> bool {
        let Some(rf) = self
            .batch
            .items
            .get_mut(ix)
            .and_then(|it| it.record.as_mut())
        else {
            return false;
        };
        let result = rf.save();
        self.restatus(ix);
        match result {
            Ok(()) => {
                self.unsaved.remove(&ix);
                self.persist_state();
                true
            }
            Err(e) => {
                self.unsaved.insert(ix);
                let hint = match &e {
                    SaveError::Conflict { .. } => self.keys_hint(&[Action::Reload]),
                    _ => self.keys_hint(&[Action::RetrySave]),
                };
                let what = match &e {
                    SaveError::Conflict { .. } => "reload to see the other change",
                    _ => "your change is kept here; retry",
                };
                self.error(format!("not saved: {e}; {what} ({hint})"));
                false
            }
        }
    }

    /// Tries once more to save every record whose save failed.
    pub fn save_pending(&mut self) {
        if !self.unsaved.is_empty() {
            self.retry_saves();
        }
    }

    pub(super) fn retry_saves(&mut self) {
        let pending: Vec<usize> = self.unsaved.iter().copied().collect();
        if pending.is_empty() {
            self.info("nothing waiting to be saved");
            return;
        }
        let mut ok = 0;
        for ix in &pending {
            if self.save_item(*ix) {
                ok += 1;
            }
        }
        if ok == pending.len() {
            self.info(format!(
                "saved {ok} record{}",
                if ok == 1 { "" } else { "s" }
            ));
        }
    }

    /// Re-reads the selected submission and its record from disk.
    pub(super) fn reload_selected(&mut self) {
        let Some(ix) = self.selected() else { return };
        let Some(item) = self.batch.items.get_mut(ix) else {
            return;
        };
        item.submission = crate::submission::read_submission(&item.path, &self.taxonomy);
        match RecordFile::load(&item.record_path()) {
            Ok(r) => {
                item.record = r;
                item.record_error = None;
            }
            Err(p) => {
                item.record = None;
                item.record_error = Some(p);
            }
        }
        self.unsaved.remove(&ix);
        self.restatus(ix);
        // Undoing a step taken before the reload would write over what was
        // just read from disk: the steps of this submission are dropped.
        let name = self
            .batch
            .items
            .get(ix)
            .map(|it| it.file_name.clone())
            .unwrap_or_default();
        let steps = self.history.undo.len() + self.history.redo.len();
        self.history.undo.retain(|st| st.file_name != name);
        self.history.redo.retain(|st| st.file_name != name);
        let dropped = steps - self.history.undo.len() - self.history.redo.len();
        self.persist_state();
        if let (Some(item), Some(key)) = (self.batch.items.get(ix), self.search_keys.get_mut(ix)) {
            *key = search_key(item);
        }
        self.search_cache = SearchCache::default();
        self.on_selection_changed();
        self.refresh_view();
        let mut text = format!("reloaded {}", self.selected_title());
        if dropped > 0 {
            text.push_str(&format!(
                "; its {dropped} undo step{} dropped",
                if dropped == 1 { " was" } else { "s were" }
            ));
        }
        self.info(text);
    }

    pub(super) fn undo(&mut self) {
        let Some(step) = self.history.undo.pop() else {
            self.info("nothing to undo");
            return;
        };
        if self.restore(&step.file_name, &step.before) {
            self.info(format!("undone: change to {}", step.file_name));
            self.history.redo.push(step);
        } else {
            self.history.undo.push(step);
        }
        self.persist_state();
    }

    pub(super) fn redo(&mut self) {
        let Some(step) = self.history.redo.pop() else {
            self.info("nothing to redo");
            return;
        };
        if self.restore(&step.file_name, &step.after) {
            self.info(format!("redone: change to {}", step.file_name));
            self.history.undo.push(step);
        } else {
            self.history.redo.push(step);
        }
        self.persist_state();
    }

    /// Puts a record back to `text` and saves it; selects its submission.
    pub(super) fn restore(&mut self, file_name: &str, text: &str) -> bool {
        let Some(ix) = self
            .batch
            .items
            .iter()
            .position(|it| it.file_name == file_name)
        else {
            self.error(format!("{file_name} is no longer in this batch"));
            return false;
        };
        if let Some(vi) = self.view.iter().position(|&i| i == ix) {
            self.select_view_index(vi);
        }
        let Some(item) = self.batch.items.get_mut(ix) else {
            return false;
        };
        let record = if text.is_empty() {
            Record::new(file_name)
        } else {
            match Record::parse(text, &item.record_path()) {
                Ok(p) => p.record,
                Err(p) => {
                    self.error(format!("cannot undo: {p}"));
                    return false;
                }
            }
        };
        let record_path = item.record_path();
        let rf = item
            .record
            .get_or_insert_with(|| RecordFile::new(record_path, file_name));
        let previous = std::mem::replace(&mut rf.record, record);
        if self.save_item(ix) {
            self.refresh_view();
            true
        } else {
            if let Some(rf) = self
                .batch
                .items
                .get_mut(ix)
                .and_then(|it| it.record.as_mut())
            {
                rf.record = previous;
            }
            self.unsaved.remove(&ix);
            self.restatus(ix);
            false
        }
    }

    /// Saves position and history; called after every change and on quit.
    pub fn persist_state(&mut self) {
        if let Some(store) = &self.store {
            // The state only holds conveniences; failing to keep it is not worth
            // interrupting the officer for.
            let _ = store.save(&self.history);
        }
    }
}
