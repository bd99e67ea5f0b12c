//! Tagging the selected submission: pickers, decisions, the note, and the
//! one place a record is changed and stamped.

use super::{App, Field, Overlay};
use crate::keymap::Action;
use crate::note::NoteEditor;
use crate::picker::{Outcome, Picker, Selection};
use crate::record::{Decision, Record, RecordFile, missing_for_approval};
use crate::taxonomy::Kind;

impl App {
    /// The tagging actions the batch view and the reader share: a pick, a
    /// decision, the note, undo and redo, help and quit. False when the
    /// action is not one of them.
    pub(super) fn apply_tagging(&mut self, action: Action) -> bool {
        match action {
            Action::Quit => self.request_quit(),
            Action::Help => self.open_help(),
            Action::PickCategories => self.open_picker(Field::Categories),
            Action::PickPrinciples => self.open_picker(Field::Principles),
            Action::PickValues => self.open_picker(Field::Values),
            Action::Approve => self.decide_and_move_on(Decision::Approve),
            Action::NeedsInfo => self.open_note(Some(Decision::NeedsInfo)),
            Action::Decline => self.decide_and_move_on(Decision::Decline),
            Action::ClearDecision => self.clear_decision(),
            Action::EditNote => self.open_note(None),
            Action::CorrectFields => self.open_correct(),
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            _ => return false,
        }
        true
    }

    /// Decides, and on success does what follows a decision.
    fn decide_and_move_on(&mut self, d: Decision) {
        if self.decide(d) {
            self.after_decision();
        }
    }

    /// What follows a decision made from the batch view or the reader: the
    /// reader closes and, as configured, the next undecided is selected.
    pub(super) fn after_decision(&mut self) {
        self.reader = None;
        if self.next_after_decision {
            let msg = self.message.clone();
            self.next_undecided();
            if msg.is_some() && self.message.as_ref().is_none_or(|m| !m.error) {
                self.message = msg;
            }
        }
    }

    pub(super) fn apply_note(&mut self, action: Action) {
        let Overlay::Note { editor, .. } = &mut self.overlay else {
            return;
        };
        if editor.edit(&action) {
            return;
        }
        match action {
            Action::Confirm => self.confirm_note(),
            Action::Cancel => self.leave_note(),
            Action::Quit => self.quit_from_note(),
            _ => {}
        }
    }

    /// The picker's own actions go to the picker; quit is the model's.
    pub(super) fn apply_picker(&mut self, action: Action) {
        if action == Action::Quit {
            self.request_quit();
            return;
        }
        let Overlay::Picker { picker, field } = &mut self.overlay else {
            return;
        };
        let field = *field;
        match picker.handle(action) {
            Outcome::Continue => {}
            Outcome::Refused(why) => self.error(why),
            Outcome::Notice(what) => self.info(what),
            Outcome::Cancelled => {
                self.overlay = Overlay::None;
                if self.guided {
                    self.stop_guided("guided tagging stopped; the rest is as it was");
                }
            }
            Outcome::Confirmed(sel) => {
                self.overlay = Overlay::None;
                let saved = self.set_field(field, sel);
                if self.guided {
                    if saved {
                        self.guided_next(field);
                    } else {
                        self.guided = false;
                    }
                }
            }
        }
    }

    pub(super) fn current_record(&self, index: usize) -> Option<&Record> {
        self.batch
            .items
            .get(index)
            .and_then(|it| it.record.as_ref())
            .map(|r| &r.record)
    }

    pub(super) fn open_picker(&mut self, field: Field) {
        let Some(ix) = self.selected() else { return };
        if let Err(why) = self.can_tag(ix) {
            self.error(why);
            return;
        }
        let kind = field.kind();
        let record = self.current_record(ix).cloned().unwrap_or_default();
        let sugg = self.suggestions().cloned().unwrap_or_default();
        let current = record.tags.selection(kind);
        let empty = current.primary.is_none() && current.chosen.is_empty();
        let initial = if empty {
            sugg.tags.selection(kind)
        } else {
            current
        };
        let picker = Picker::for_kind(&self.taxonomy, kind, initial, &sugg.ids(kind));
        self.overlay = Overlay::Picker {
            picker: Box::new(picker),
            field,
        };
    }

    /// Why the item cannot be tagged, if it cannot.
    pub(super) fn can_tag(&self, ix: usize) -> Result<(), String> {
        let Some(item) = self.batch.items.get(ix) else {
            return Err("nothing selected".into());
        };
        if let Err(p) = &item.submission {
            return Err(format!(
                "cannot tag an unreadable submission: {}",
                p.message
            ));
        }
        if let Some(p) = &item.record_error {
            return Err(format!(
                "its record cannot be read ({}); fix or remove it first",
                p.message
            ));
        }
        if item.in_conflict() {
            return Err(format!(
                "resolve its conflict first ({} shows both versions)",
                self.keys_hint(&[Action::GuidedTagging])
            ));
        }
        // Two submissions mapping to one record would mix their tags.
        if let Some(p) = item.batch_problems.first() {
            return Err(format!("cannot tag: {}", p.message));
        }
        Ok(())
    }

    /// Applies a picker's selection to the selected record. Returns whether the
    /// change is saved (or there was nothing to change).
    pub(super) fn set_field(&mut self, field: Field, sel: Selection) -> bool {
        let taxonomy = self.taxonomy.clone();
        self.change_selected(|r| match field {
            Field::Categories => {
                r.tags.primary_category = sel.primary;
                let mut cats = sel.chosen;
                taxonomy.sort_ids(Kind::Category, &mut cats);
                r.tags.categories = cats;
            }
            Field::Principles => {
                let mut p = sel.chosen;
                taxonomy.sort_ids(Kind::Principle, &mut p);
                r.tags.principles = p;
            }
            Field::Values => r.tags.values = sel.chosen,
        })
    }

    /// Sets a decision on the selected record; approve is refused with what is
    /// missing. Returns whether the decision is now on record.
    pub fn decide(&mut self, d: Decision) -> bool {
        let Some(ix) = self.selected() else {
            return false;
        };
        if let Err(why) = self.can_tag(ix) {
            self.error(why);
            return false;
        }
        let record = self.current_record(ix).cloned().unwrap_or_default();
        match d {
            Decision::Approve => {
                let names_other = self
                    .batch
                    .items
                    .get(ix)
                    .is_some_and(|it| it.record.is_some() && record.submission != it.file_name);
                if names_other {
                    self.error(format!(
                        "cannot approve: its record names the submission {:?}; fix the record first",
                        record.submission
                    ));
                    return false;
                }
                let missing = missing_for_approval(&record, &self.taxonomy);
                if !missing.is_empty() {
                    let guided = if record.tags.primary_category.is_none() {
                        format!(
                            " ({} tags it step by step)",
                            self.keys_hint(&[Action::GuidedTagging])
                        )
                    } else {
                        String::new()
                    };
                    self.error(format!("cannot approve: {}{guided}", missing.join("; ")));
                    return false;
                }
            }
            Decision::NeedsInfo => {
                if record.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
                    self.error("needs-info needs a note saying what is missing");
                    return false;
                }
            }
            Decision::Decline => {}
        }
        // Declining the second copy of a case study without a note says so
        // in the note, naming the other (undo takes both back).
        let duplicate = (d == Decision::Decline
            && record.note.as_deref().is_none_or(|n| n.trim().is_empty()))
        .then(|| self.duplicate_of(ix))
        .flatten()
        .and_then(|other| self.batch.items.get(other))
        .map(|other| other.file_name.clone());
        let saved = self.change_selected(|r| {
            r.set_decision(Some(d));
            if let Some(other) = &duplicate {
                r.note = Some(format!("Duplicate of {other}."));
            }
        });
        if saved {
            match &duplicate {
                Some(other) => self.info(format!(
                    "declined as a duplicate of {}: {}",
                    crate::sanitize::clean(other),
                    self.selected_title()
                )),
                None => self.info(format!("{}: {}", d.as_str(), self.selected_title())),
            }
        }
        saved
    }

    pub(super) fn clear_decision(&mut self) {
        if self
            .selected()
            .and_then(|ix| self.current_record(ix))
            .and_then(Record::decision_kind)
            .is_none()
        {
            self.info("no decision to clear");
            return;
        }
        if self.change_selected(|r| r.set_decision(None)) {
            self.info("decision cleared");
        }
    }

    pub(super) fn open_note(&mut self, then_decide: Option<Decision>) {
        let Some(ix) = self.selected() else { return };
        if let Err(why) = self.can_tag(ix) {
            self.error(why);
            return;
        }
        let draft = self.draft_of_selected().map(str::to_owned);
        let note = draft.clone().unwrap_or_else(|| {
            self.current_record(ix)
                .and_then(|r| r.note.clone())
                .unwrap_or_default()
        });
        self.overlay = Overlay::Note {
            editor: NoteEditor::new(&note),
            then_decide,
        };
        if draft.is_some() {
            let save = self.key_label(crate::keymap::Mode::Note, Action::Confirm);
            self.info(format!("your unsaved draft of this note; {save} saves it"));
        }
    }

    pub(super) fn confirm_note(&mut self) {
        let Overlay::Note {
            editor,
            then_decide,
        } = &self.overlay
        else {
            return;
        };
        let text = editor.text();
        let then = *then_decide;
        let is_needs_info = self
            .selected()
            .and_then(|ix| self.current_record(ix))
            .and_then(Record::decision_kind)
            == Some(Decision::NeedsInfo);
        if text.is_empty() && (then == Some(Decision::NeedsInfo) || is_needs_info) {
            self.error("needs-info needs a note saying what is missing");
            return;
        }
        self.overlay = Overlay::None;
        self.forget_draft();
        let note = (!text.is_empty()).then_some(text);
        let saved = self.change_selected(|r| {
            r.note = note;
            if let Some(d) = then {
                r.set_decision(Some(d));
            }
        });
        if saved && then.is_some() {
            self.info(format!("needs-info: {}", self.selected_title()));
            if self.guided {
                self.finish_guided();
            } else {
                self.after_decision();
            }
        }
    }

    /// Changes the selected record with `f`, stamps and saves it, and records
    /// the step for undo. Returns whether the record is now saved.
    pub(super) fn change_selected(&mut self, f: impl FnOnce(&mut Record)) -> bool {
        let Some(ix) = self.selected() else {
            return false;
        };
        let now = self.clock.now();
        let reviewer = self.reviewer.clone();
        let Some(item) = self.batch.items.get_mut(ix) else {
            return false;
        };
        let sha = item.submission.as_ref().ok().map(|s| s.sha256.clone());
        let record_path = item.record_path();
        let file_name = item.file_name.clone();
        let rf = item
            .record
            .get_or_insert_with(|| Box::new(RecordFile::new(record_path, &file_name)));
        let before = rf.record.clone();
        f(&mut rf.record);
        // Confirming a tagging unchanged still counts when the submission
        // changed since its review: it is reviewed again, against the new text.
        let restamp =
            sha.is_some() && before.submission_sha256.is_some() && before.submission_sha256 != sha;
        if rf.record == before && !restamp {
            return true;
        }
        // An approval that the change makes incomplete is withdrawn, not kept
        // as an invalid record.
        let mut withdrawn = Vec::new();
        if rf.record.decision_kind() == Some(Decision::Approve)
            && before.decision_kind() == Some(Decision::Approve)
        {
            withdrawn = missing_for_approval(&rf.record, &self.taxonomy);
            if !withdrawn.is_empty() {
                rf.record.set_decision(None);
            }
        }
        rf.record.seconds_spent = Some(rf.record.seconds_spent.unwrap_or(0) + self.pending_secs);
        self.pending_secs = 0;
        rf.record.reviewer = Some(reviewer);
        rf.record.reviewed_at = Some(rfc3339(now));
        rf.record.submission_sha256 = sha;
        let saved = self.save_item(ix);
        if !withdrawn.is_empty() {
            self.error(format!("approval withdrawn: {}", withdrawn.join("; ")));
        }
        self.refresh_view();
        saved
    }
}

/// Formats seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ` (UTC), the
/// form of a record's `reviewed_at`. Beyond jiff's range (the end of the year
/// 9999) its last instant is written.
pub fn rfc3339(secs: u64) -> String {
    let max = jiff::Timestamp::MAX.as_second();
    let secs = i64::try_from(secs).map_or(max, |s| s.min(max));
    jiff::Timestamp::from_second(secs)
        .unwrap_or(jiff::Timestamp::MAX)
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_formats_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_342_500), "2026-11-22T10:15:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(4_102_444_799), "2099-12-31T23:59:59Z");
        assert_eq!(rfc3339(u64::MAX), "9999-12-30T22:00:00Z");
    }
}
