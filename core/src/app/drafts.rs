//! Typed note text is never thrown away by one key: leaving the editor with
//! unsaved text keeps it as a draft (reopened with the editor, kept between
//! sittings in the state file), and quitting with it open asks first.

use super::{App, Overlay};
use crate::keymap::{Action, Mode};

impl App {
    /// The note editor's text when it differs from the note on record (and is
    /// not empty): what leaving the editor would lose.
    pub fn note_draft(&self) -> Option<String> {
        let Overlay::Note { editor, .. } = &self.overlay else {
            return None;
        };
        let text = editor.text();
        let saved = self
            .selected()
            .and_then(|ix| self.current_record(ix))
            .and_then(|r| r.note.clone())
            .unwrap_or_default();
        (!text.is_empty() && text != saved).then_some(text)
    }

    /// The kept draft of the selected submission's note, if any.
    pub fn draft_of_selected(&self) -> Option<&str> {
        self.session.draft(&self.selected_item()?.path)
    }

    /// Keeps the open editor's unsaved text as the selected submission's
    /// draft; `true` if there was any.
    pub fn stash_draft(&mut self) -> bool {
        let Some(text) = self.note_draft() else {
            return false;
        };
        let Some(path) = self.selected_item().map(|it| it.path.clone()) else {
            return false;
        };
        self.session.set_draft(&path, text);
        true
    }

    pub(super) fn forget_draft(&mut self) {
        if let Some(path) = self.selected_item().map(|it| it.path.clone()) {
            self.session.take_draft(&path);
        }
    }

    /// `esc` in the note editor: closes it; unsaved text stays as a draft.
    pub(super) fn leave_note(&mut self) {
        let kept = self.stash_draft();
        self.overlay = Overlay::None;
        if kept {
            self.persist_state();
            let open = self.key_label(Mode::Batch, Action::EditNote);
            match self.session.unkept() {
                None => self.info(format!(
                    "note not saved: kept as a draft ({open} reopens it)"
                )),
                Some(why) => self.error(format!(
                    "note not saved: kept for this sitting only, not on disk ({why}); {open} reopens it"
                )),
            }
        }
        if self.guided {
            let why = if kept {
                "note kept as a draft; guided tagging stopped"
            } else {
                "note cancelled; guided tagging stopped"
            };
            self.stop_guided(why);
        }
    }

    /// The first key bound to `action` in `mode`, as the help shows it.
    pub(super) fn key_label(&self, mode: Mode, action: Action) -> String {
        self.keymap
            .keys_for(mode, &action)
            .first()
            .map(crate::keymap::Key::label)
            .unwrap_or_else(|| action.name().to_owned())
    }

    /// Quit with unsaved note text open: the first time, say so and stay.
    pub(super) fn quit_from_note(&mut self) {
        if self.note_draft().is_some() && !self.quit_warned {
            let save = self.key_label(Mode::Note, Action::Confirm);
            self.error(format!(
                "the note is not saved: {save} saves it; quit again to leave ({})",
                match self.session.unkept() {
                    None => "it is kept as a draft".to_owned(),
                    Some(why) => format!("it is lost: drafts cannot be kept on disk, {why}"),
                }
            ));
            self.quit_warned = true;
            return;
        }
        self.stash_draft();
        self.persist_state();
        self.quit_warned = false;
        self.request_quit();
    }
}
