//! Saving records, retrying failed saves, reloading from disk, undo and redo.

use super::App;
use crate::keymap::Action;
use std::path::Path;

use crate::record::{MAX_RECORD_BYTES, Record, RecordFile, SaveError};
use crate::session::{Step, StepError, raw_name};
use crate::submission::MAX_SUBMISSION_BYTES;
use crate::text::count;

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
                    self.session.record(Step::new(&path, &before, &after));
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

    /// Re-reads every submission and record that changed on disk since it
    /// was read (or last saved) and says how many did. A record whose last
    /// save failed is kept as it is in memory unless it changed on disk.
    pub(super) fn reload_changed(&mut self) {
        self.rescan_copies();
        let mut reloaded: Vec<usize> = Vec::new();
        let mut dropped = 0;
        let mut notes_kept = 0;
        // the selected one is read again whatever its state: R is also how
        // the officer drops undo steps that no longer fit its record
        let selected = self.selected();
        let mut changed_files = 0;
        for ix in 0..self.batch.items.len() {
            // an unsaved change whose record another officer wrote meanwhile
            // gives way to theirs, as the save's message said it would
            let changed = self.changed_on_disk(ix);
            if Some(ix) != selected && !changed {
                continue;
            }
            changed_files += usize::from(changed);
            let (steps, kept) = self.reload_item(ix);
            dropped += steps;
            notes_kept += usize::from(kept);
            reloaded.push(ix);
        }
        self.persist_state();
        self.search.reset_matches();
        self.on_selection_changed();
        self.refresh_view();
        let mut text = match reloaded.as_slice() {
            [] => String::from("nothing to reload"),
            [ix] => format!(
                "reloaded {}",
                self.batch
                    .items
                    .get(*ix)
                    .map(|it| it.title().to_string())
                    .unwrap_or_default()
            ),
            _ => format!(
                "reloaded {} changed on disk",
                count(changed_files, "submission", "submissions")
            ),
        };
        if dropped > 0 {
            // the steps are the officer's own, taken before the reload: undoing
            // them now would write over what was just read
            text.push_str(&format!(
                "; {} taken before it {} dropped",
                count(dropped, "undo step", "undo steps"),
                if dropped == 1 { "was" } else { "were" }
            ));
        }
        if notes_kept > 0 {
            text.push_str(&format!(
                "; the note you typed is kept as a draft ({} reopens it)",
                self.keys_hint(&[Action::EditNote])
            ));
        }
        if !self.unsaved.is_empty() {
            text.push_str(&format!(
                "; {} not saved kept ({} to retry)",
                count(self.unsaved.len(), "record", "records"),
                self.keys_hint(&[Action::RetrySave])
            ));
        }
        self.info(text);
    }

    /// Whether the submission's or the record's bytes on disk differ from
    /// what was read or written last.
    fn changed_on_disk(&self, ix: usize) -> bool {
        let Some(item) = self.batch.items.get(ix) else {
            return false;
        };
        // read as at load: no FIFO or device opened, no link out of the
        // folder followed, nothing over the size limits read
        let read = |path: &Path, limit: u64| crate::fs::read_in_folder(path, limit);
        let sub_changed = match (&item.submission, read(&item.path, MAX_SUBMISSION_BYTES)) {
            (Ok(s), Ok(Some(bytes))) => crate::record::sha256_hex(&bytes) != s.sha256,
            (Err(_), Ok(Some(_))) | (Ok(_), Ok(None) | Err(_)) => true,
            (Err(_), Ok(None) | Err(_)) => false,
        };
        let on_disk = read(&item.record_path(), MAX_RECORD_BYTES).ok().flatten();
        let known = item.record.as_ref().and_then(|r| r.disk_bytes.clone());
        let record_changed = if item.record_error.is_some() {
            true
        } else {
            on_disk != known
        };
        sub_changed || record_changed
    }

    /// Re-reads one submission and its record from disk; returns how many
    /// undo steps of it were dropped, and whether a note typed in a change
    /// that was not saved is kept as the submission's draft.
    fn reload_item(&mut self, ix: usize) -> (usize, bool) {
        // A change that could not be saved gives way to what is on disk, but
        // the note typed in it is the officer's own words: kept as a draft.
        let typed_note = self
            .unsaved
            .contains(&ix)
            .then(|| self.current_record(ix).and_then(|r| r.note.clone()))
            .flatten()
            .filter(|n| !n.trim().is_empty());
        let Some(item) = self.batch.items.get_mut(ix) else {
            return (0, false);
        };
        let old_len = item.held_text().map_or(0, str::len);
        item.submission = crate::submission::read_submission(&item.path, &self.taxonomy);
        match RecordFile::load(&item.record_path()) {
            Ok(r) => {
                item.record = r.map(Box::new);
                item.record_error = None;
            }
            Err(p) => {
                item.record = None;
                item.record_error = Some(Box::new(p));
            }
        }
        let keep = self.selected();
        self.batch.text_replaced(ix, old_len, keep);
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
        let dropped = self.session.forget_steps_for(&raw);
        if let Some(item) = self.batch.items.get(ix) {
            self.search.reindex(ix, item);
        }
        (dropped, self.keep_typed_note(ix, typed_note))
    }

    /// Keeps `note` as the draft of item `ix` unless the record read holds
    /// it already; a draft kept before is not replaced but added to.
    fn keep_typed_note(&mut self, ix: usize, note: Option<String>) -> bool {
        let Some(note) = note else { return false };
        let Some(item) = self.batch.items.get(ix) else {
            return false;
        };
        let on_disk = item.record.as_ref().and_then(|r| r.record.note.clone());
        self.keep_note_as_draft(ix, note, on_disk)
    }

    /// Before the program ends with changes that could not be saved (the
    /// officer quit anyway, or a signal came): their notes are kept as
    /// drafts, so the typed words are on disk even though the change is not.
    pub fn keep_unsaved_notes(&mut self) {
        for ix in self.unsaved.clone() {
            let Some(note) = self
                .current_record(ix)
                .and_then(|r| r.note.clone())
                .filter(|n| !n.trim().is_empty())
            else {
                continue;
            };
            let on_disk = self.batch.items.get(ix).and_then(|it| {
                RecordFile::load(&it.record_path())
                    .ok()
                    .flatten()
                    .and_then(|r| r.record.note)
            });
            self.keep_note_as_draft(ix, note, on_disk);
        }
    }

    fn keep_note_as_draft(&mut self, ix: usize, note: String, on_disk: Option<String>) -> bool {
        let Some(item) = self.batch.items.get(ix) else {
            return false;
        };
        if on_disk.as_deref() == Some(note.as_str()) {
            return false;
        }
        let path = item.path.clone();
        let draft = match self.session.take_draft(&path) {
            Some(before) if before != note && !before.contains(&note) => {
                format!("{before}\n\n{note}")
            }
            Some(before) => before,
            None => note,
        };
        self.session.set_draft(&path, draft);
        true
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
        let verb = if undo { "undo" } else { "redo" };
        let Some(step) = self.session.pop(undo) else {
            self.info(format!("nothing to {verb}"));
            return;
        };
        let record_of = |app: &App| -> Option<(Record, String)> {
            let item = app
                .batch
                .items
                .iter()
                .find(|it| step.is_for(&raw_name(&it.path)))?;
            let record = item
                .record
                .as_ref()
                .map(|r| r.record.clone())
                .unwrap_or_default();
            Some((record, item.title().to_string()))
        };
        let before = record_of(self);
        match self.apply_step(&step, undo) {
            Ok(()) => {
                let done = if undo { "undone" } else { "redone" };
                let what = match (before, record_of(self)) {
                    // the change the step made: from the earlier record to the later
                    (Some((a, title)), Some((b, _))) => {
                        let (from, to) = if undo { (b, a) } else { (a, b) };
                        format!("{} of {title}", describe_change(&from, &to))
                    }
                    _ => format!("change to {}", step.file_name),
                };
                self.info(format!("{done}: {what}"));
                self.session.push(!undo, step);
            }
            Err(Keep(true)) => {
                self.session.push(undo, step);
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
        self.session.persist();
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

/// What changed from one record to the next, as the officer did it:
/// "approve", "clearing the decision", "change to values and note".
fn describe_change(from: &Record, to: &Record) -> String {
    if from.decision != to.decision {
        return match to.decision.as_deref() {
            Some(d) => d.to_string(),
            None => String::from("clearing the decision"),
        };
    }
    let mut fields: Vec<&str> = Vec::new();
    if from.tags.primary_category != to.tags.primary_category
        || from.tags.categories != to.tags.categories
    {
        fields.push("categories");
    }
    if from.tags.principles != to.tags.principles {
        fields.push("principles");
    }
    if from.tags.values != to.tags.values {
        fields.push("values");
    }
    if from.note != to.note {
        fields.push("the note");
    }
    match fields.as_slice() {
        [] => String::from("change"),
        [one] => format!("change to {one}"),
        [init @ .., last] => format!("change to {} and {last}", init.join(", ")),
    }
}
