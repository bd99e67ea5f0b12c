//! Saving records, retrying failed saves, reloading from disk, undo and redo.

use super::App;
use super::list::replace_search_key;
use crate::keymap::Action;
use crate::matching::Search;
use crate::record::{Record, RecordFile, SaveError};
use crate::state::{Step, StepError, raw_name};

impl App {
    /// Saves one item's record, reporting failure on the message line. The
    /// record stays in memory either way. A save that changes the file is
    /// an undo step.
    pub(super) fn save_item(&mut self, ix: usize) -> bool {
        let Some(item) = self.batch.items.get_mut(ix) else {
            return false;
        };
        let path = item.path.clone();
        let Some(rf) = item.record.as_mut() else {
            return false;
        };
        let before = disk_text(rf.disk_bytes.as_deref(), &rf.record.submission);
        let result = rf.save();
        let after = disk_text(rf.disk_bytes.as_deref(), &rf.record.submission);
        self.restatus(ix);
        match result {
            Ok(()) => {
                self.unsaved.remove(&ix);
                if before != after {
                    self.history.undo.push(Step::new(&path, &before, &after));
                    self.history.redo.clear();
                    self.history.bound();
                }
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
        let raw = self
            .batch
            .items
            .get(ix)
            .map(|it| raw_name(&it.path))
            .unwrap_or_default();
        let steps = self.history.undo.len() + self.history.redo.len();
        self.history.undo.retain(|st| !st.is_for(&raw));
        self.history.redo.retain(|st| !st.is_for(&raw));
        let dropped = steps - self.history.undo.len() - self.history.redo.len();
        self.persist_state();
        if let Some(item) = self.batch.items.get(ix) {
            replace_search_key(&mut self.search_keys, ix, item);
        }
        self.finder = Search::default();
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
        self.step(true);
    }

    pub(super) fn redo(&mut self) {
        self.step(false);
    }

    /// Takes the last undo (or redo) step and applies it if the record on
    /// disk is exactly what the step expects; else it says why and keeps the
    /// step (a reload drops it) or drops a step that cannot ever apply.
    fn step(&mut self, undo: bool) {
        let (verb, stack) = if undo {
            ("undo", &mut self.history.undo)
        } else {
            ("redo", &mut self.history.redo)
        };
        let Some(step) = stack.pop() else {
            self.info(format!("nothing to {verb}"));
            return;
        };
        match self.apply_step(&step, undo) {
            Ok(()) => {
                let done = if undo { "undone" } else { "redone" };
                self.info(format!("{done}: change to {}", step.file_name));
                if undo {
                    self.history.redo.push(step);
                } else {
                    self.history.undo.push(step);
                }
            }
            Err(Keep(true)) => {
                if undo {
                    self.history.undo.push(step);
                } else {
                    self.history.redo.push(step);
                }
            }
            Err(Keep(false)) => {}
        }
        self.persist_state();
    }

    /// Puts the step's record back (or forward), checked byte for byte.
    fn apply_step(&mut self, step: &Step, undo: bool) -> Result<(), Keep> {
        let verb = if undo { "undo" } else { "redo" };
        let Some(ix) = self
            .batch
            .items
            .iter()
            .position(|it| step.is_for(&raw_name(&it.path)))
        else {
            self.error(format!(
                "cannot {verb}: {} is no longer in this batch; the step is dropped",
                step.file_name
            ));
            return Err(Keep(false));
        };
        if let Some(vi) = self.view.iter().position(|&i| i == ix) {
            self.select_view_index(vi);
        }
        let reload = self.keys_hint(&[Action::Reload]);
        if self.unsaved.contains(&ix) {
            self.error(format!(
                "cannot {verb}: {} has a change not saved yet; retry ({}) or reload ({reload}) first",
                step.file_name,
                self.keys_hint(&[Action::RetrySave])
            ));
            return Err(Keep(true));
        }
        let Some(item) = self.batch.items.get_mut(ix) else {
            return Err(Keep(false));
        };
        let record_name = item
            .record_path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let changed = |app: &mut Self| {
            app.error(format!(
                "cannot {verb}: {record_name} changed on disk since that change — reload to see it ({reload})"
            ));
            Err(Keep(true))
        };
        let current = item
            .record
            .as_ref()
            .filter(|_| item.record_error.is_none())
            .and_then(|rf| rf.disk_bytes.as_deref())
            .and_then(|b| std::str::from_utf8(b).ok());
        let Some(current) = current else {
            return changed(self);
        };
        let target = if undo {
            step.undo(current)
        } else {
            step.redo(current)
        };
        let text = match target {
            Ok(t) => t,
            Err(StepError::Changed) => return changed(self),
            Err(StepError::Damaged) => {
                self.error(format!(
                    "cannot {verb}: the step for {} does not fit its record (damaged history); it is dropped",
                    step.file_name
                ));
                return Err(Keep(false));
            }
        };
        let Some(rf) = item.record.as_mut() else {
            return changed(self);
        };
        let result = rf.replace_text(text);
        self.restatus(ix);
        self.refresh_view();
        match result {
            Ok(()) => Ok(()),
            Err(SaveError::Conflict { .. } | SaveError::Unparsable { .. }) => changed(self),
            Err(e) => {
                self.error(format!("cannot {verb}: {e}"));
                Err(Keep(true))
            }
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

/// Whether a step that could not be applied stays in the history.
struct Keep(bool);

/// The text a step starts from or leaves: the bytes on disk, or for a record
/// not yet on disk the empty record an undo writes back.
fn disk_text(bytes: Option<&[u8]>, submission: &str) -> String {
    match bytes {
        Some(b) => String::from_utf8_lossy(b).into_owned(),
        None => Record::new(submission).to_toml(),
    }
}
