//! Resolving a conflict on the selected submission, field by field: a
//! record that a merge left with a `[conflict]` table, or one beside which
//! a synced folder left a conflict copy.
//!
//! [`ConflictResolver`] lists the fields the two versions hold differently,
//! each with both values (who changed each, and when, where known); the
//! officer moves to the version to keep and confirms it. Each pick is a
//! change of the record like any other: stamped, saved at once and undone
//! with the undo key. The `[conflict]` table goes with its last field; a
//! conflict copy is removed once the record holding every pick is saved.
//! The keys are the pickers' (`up`/`down` to the version, `confirm`,
//! `cancel`), so no keymap table is needed of its own.

use std::path::{Path, PathBuf};

use super::{App, Overlay};
use crate::keymap::Action;
use crate::record::{FieldConflict, Pick, Record, RecordFile, merge};

/// The conflict being resolved, and which version is highlighted.
pub struct ConflictResolver {
    item: usize,
    /// The conflict copy the other versions come from (`None`: the
    /// record's own `[conflict]` table).
    copy: Option<PathBuf>,
    conflicts: Vec<FieldConflict>,
    /// Two rows per conflict: ours, then theirs.
    row: usize,
}

impl ConflictResolver {
    /// The index of the submission in the batch.
    pub fn item(&self) -> usize {
        self.item
    }

    /// The conflict copy being merged, if that is what this is.
    pub fn copy(&self) -> Option<&Path> {
        self.copy.as_deref()
    }

    /// The fields still to resolve, in the order records hold them.
    pub fn conflicts(&self) -> &[FieldConflict] {
        &self.conflicts
    }

    /// The highlighted version: which conflict, and which side.
    pub fn highlighted(&self) -> (usize, Pick) {
        let side = if self.row.is_multiple_of(2) {
            Pick::Ours
        } else {
            Pick::Theirs
        };
        (self.row / 2, side)
    }

    fn rows(&self) -> usize {
        self.conflicts.len() * 2
    }

    fn step(&mut self, by: isize) {
        let last = self.rows().saturating_sub(1);
        self.row = self.row.saturating_add_signed(by).min(last);
    }
}

/// The label of a field for people.
pub fn field_label(field: &str) -> &'static str {
    match field {
        "submission" => "Submission file",
        "submission_sha256" => "Submission version",
        "decision" => "Decision",
        "primary_category" => "Primary category",
        "categories" => "Secondary categories",
        "principles" => "Principles",
        "values" => "Values (ranked)",
        "note" => "Note",
        _ => "Field",
    }
}

impl App {
    /// The guided-tagging key: on a submission in conflict it opens the
    /// resolver, since nothing can be tagged before the conflict is resolved.
    pub(super) fn resolve_or_guide(&mut self) {
        if !self.open_conflict() {
            self.start_guided();
        }
    }

    /// Opens the resolver when the selected submission is in conflict;
    /// false when it is not (the key then does what it does otherwise).
    pub(super) fn open_conflict(&mut self) -> bool {
        let Some(ix) = self.selected() else {
            return false;
        };
        let Some(item) = self.batch.items.get(ix) else {
            return false;
        };
        if item.has_conflict() {
            let Some(rf) = item.record.as_ref() else {
                return false;
            };
            match rf.record.conflicts() {
                Ok(conflicts) if !conflicts.is_empty() => {
                    self.show_resolver(ConflictResolver {
                        item: ix,
                        copy: None,
                        conflicts,
                        row: 0,
                    });
                }
                Ok(_) => self.error(
                    "its [conflict] table names no field; remove it from the record by hand",
                ),
                Err(why) => self.error(format!("cannot resolve: {why}; fix the record by hand")),
            }
            return true;
        }
        let Some(copy) = item.conflict_copies.first().cloned() else {
            return false;
        };
        let ours = item
            .record
            .as_ref()
            .map_or_else(|| Record::new(&item.file_name), |r| r.record.clone());
        let theirs = match RecordFile::load(&copy) {
            Ok(Some(rf)) => rf.record,
            Ok(None) => {
                self.drop_copy(ix, &copy);
                self.info("the conflict copy is gone");
                return true;
            }
            Err(p) => {
                self.error(format!("cannot read the conflict copy: {p}"));
                return true;
            }
        };
        let merged = merge(None, &ours, &theirs, &self.taxonomy);
        if merged.conflicts.is_empty() {
            self.remove_copy(ix, &copy, "the conflict copy holds nothing different");
            return true;
        }
        self.show_resolver(ConflictResolver {
            item: ix,
            copy: Some(copy),
            conflicts: merged.conflicts,
            row: 0,
        });
        true
    }

    fn show_resolver(&mut self, r: ConflictResolver) {
        self.overlay = Overlay::Conflict(Box::new(r));
    }

    /// The resolver's keys: move between versions, keep one, leave.
    pub(super) fn apply_conflict(&mut self, action: Action) {
        let Overlay::Conflict(r) = &mut self.overlay else {
            return;
        };
        match action {
            Action::Down => r.step(1),
            Action::Up => r.step(-1),
            Action::PageDown => r.step(10),
            Action::PageUp => r.step(-10),
            Action::Top => r.row = 0,
            Action::Bottom => r.step(isize::MAX),
            Action::Confirm => self.keep_highlighted(),
            Action::Cancel => self.overlay = Overlay::None,
            Action::Quit => self.request_quit(),
            _ => {}
        }
    }

    /// Keeps the highlighted version of its field: saved, one undo step.
    fn keep_highlighted(&mut self) {
        let Overlay::Conflict(r) = &self.overlay else {
            return;
        };
        let (at, pick) = r.highlighted();
        let (ix, copy) = (r.item, r.copy.clone());
        let Some(conflict) = r.conflicts.get(at).cloned() else {
            return;
        };
        if self.selected() != Some(ix) {
            self.overlay = Overlay::None;
            self.error("the submission in conflict is no longer selected");
            return;
        }
        if !self.change_selected(|rec| rec.resolve(&conflict, pick)) {
            // the message says why; the conflict stays to resolve
            return;
        }
        let left = match &mut self.overlay {
            Overlay::Conflict(r) => {
                r.conflicts.remove(at);
                r.row = r.row.min(r.rows().saturating_sub(1)) / 2 * 2;
                r.conflicts.len()
            }
            _ => 0,
        };
        let side = match pick {
            Pick::Ours => "ours",
            Pick::Theirs => "theirs",
        };
        let what = format!("{}: kept {side}", field_label(&conflict.field));
        if left > 0 {
            self.info(format!("{what}; {left} to go"));
            return;
        }
        self.overlay = Overlay::None;
        match copy {
            Some(copy) => self.remove_copy(ix, &copy, &what),
            None => self.info(format!("{what}; the conflict is resolved")),
        }
    }

    /// Removes a conflict copy whose versions the saved record now holds.
    fn remove_copy(&mut self, ix: usize, copy: &Path, what: &str) {
        if self.is_unsaved(ix) {
            self.error("the record is not saved; the conflict copy is kept");
            return;
        }
        match std::fs::remove_file(copy) {
            Ok(()) => {
                self.drop_copy(ix, copy);
                self.info(format!("{what}; the conflict copy is merged and removed"));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => self.drop_copy(ix, copy),
            Err(e) => self.error(format!(
                "merged, but the conflict copy cannot be removed: {e}"
            )),
        }
    }

    /// Looks for conflict copies that appeared or went since the folder
    /// was read (on reload).
    pub(super) fn rescan_copies(&mut self) {
        for ix in self.batch.rescan_conflict_copies() {
            self.restatus(ix);
        }
    }

    fn drop_copy(&mut self, ix: usize, copy: &Path) {
        if let Some(item) = self.batch.items.get_mut(ix) {
            item.conflict_copies.retain(|c| c != copy);
        }
        self.restatus(ix);
        self.refresh_view();
    }
}
