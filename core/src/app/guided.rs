//! Guided tagging: categories, principles, values, then a decision.

use super::{App, Field, Overlay};
use crate::keymap::Action;
use crate::record::Decision;

impl App {
    pub(super) fn apply_decide(&mut self, action: Action) {
        match action {
            Action::Approve => {
                if self.decide(Decision::Approve) {
                    self.finish_guided();
                }
            }
            Action::Decline => {
                if self.decide(Decision::Decline) {
                    self.finish_guided();
                }
            }
            Action::NeedsInfo => self.open_note(Some(Decision::NeedsInfo)),
            Action::Quit => self.request_quit(),
            Action::Help => self.open_help(),
            Action::Cancel => self.stop_guided("guided tagging stopped"),
            _ => self.stop_guided("guided tagging stopped; no decision made"),
        }
    }

    pub(super) fn start_guided(&mut self) {
        let Some(ix) = self.selected() else { return };
        if let Err(why) = self.can_tag(ix) {
            self.error(why);
            return;
        }
        self.guided = true;
        self.open_picker(Field::Categories);
    }

    pub(super) fn guided_next(&mut self, done: Field) {
        match done {
            Field::Categories => self.open_picker(Field::Principles),
            Field::Principles => self.open_picker(Field::Values),
            Field::Values => {
                self.overlay = Overlay::Decide;
            }
        }
    }

    pub(super) fn finish_guided(&mut self) {
        self.guided = false;
        self.overlay = Overlay::None;
        self.after_decision();
    }

    pub(super) fn stop_guided(&mut self, why: &str) {
        self.guided = false;
        if matches!(self.overlay, Overlay::Decide) {
            self.overlay = Overlay::None;
        }
        self.info(why);
    }
}
