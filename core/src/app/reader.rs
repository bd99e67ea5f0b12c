//! The reader: the selected submission full-screen, paged, with a find.
//!
//! The model keeps the scroll position in drawn (wrapped) lines; the drawing
//! reports the page's height, the number of lines and where each document
//! line starts, so paging stops at the end and a find shows its match.

use std::cell::{Cell, RefCell};

use super::{App, Field, Overlay};
use crate::keymap::Action;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use crate::reader::{Document, Review, document, mark_found};
use crate::record::Decision;
use crate::record::Record;

/// The reader's state while it is open.
#[derive(Debug, Default)]
pub struct Reader {
    /// The first drawn line shown.
    pub scroll: usize,
    /// The find's text.
    pub query: String,
    /// The find's text is being typed.
    pub finding: bool,
    /// Which match of the find is current.
    pub current: Option<usize>,
    /// A find left with `esc`, brought back by the next `/`.
    pub draft: Option<String>,
    /// The find shows a brought-back draft: the first letter typed replaces it.
    pub recalled: bool,
    /// The document before the find is marked, with what it was built from
    /// (see [`App::reader_document`]): a find's every letter marks a copy
    /// instead of building a long text's document again.
    built: RefCell<Option<(u64, Document)>>,
    /// As last drawn: the page's height in lines and the document's.
    pub geometry: Cell<(usize, usize)>,
    /// As last drawn: the first drawn line of each document line.
    pub starts: RefCell<Vec<usize>>,
}

impl Reader {
    fn rows(&self) -> usize {
        self.geometry.get().0.max(1)
    }

    fn max_scroll(&self) -> usize {
        let (rows, total) = self.geometry.get();
        total.saturating_sub(rows.max(1))
    }

    fn scroll_by(&mut self, delta: isize) {
        let to = self.scroll.saturating_add_signed(delta);
        self.scroll = to.min(self.max_scroll());
    }

    /// The drawn line where document line `line` starts (the line itself
    /// before the first drawing).
    fn start_of(&self, line: usize) -> usize {
        self.starts.borrow().get(line).copied().unwrap_or(line)
    }
}

impl App {
    /// The document the reader shows for the selected submission.
    pub fn reader_document(&self) -> Option<Document> {
        let ix = self.selected()?;
        let item = self.batch.items.get(ix)?;
        let record = item.record.as_ref().map(|r| &r.record);
        let review = Review {
            status: self.status(ix),
            record,
        };
        let build = || document(item, &review, &self.taxonomy, self.suggestions(), "", None);
        let Some(reader) = self.reader.as_ref() else {
            return Some(build());
        };
        // everything the document is built from but the find
        let key = {
            let mut h = DefaultHasher::new();
            ix.hash(&mut h);
            item.path.hash(&mut h);
            match &item.submission {
                Ok(s) => s.sha256.hash(&mut h),
                Err(p) => p.to_string().hash(&mut h),
            }
            review.status.hash(&mut h);
            record.map(Record::to_toml).hash(&mut h);
            h.finish()
        };
        let mut built = reader.built.borrow_mut();
        let mut doc = match built.as_ref() {
            Some((k, doc)) if *k == key => doc.clone(),
            _ => {
                let doc = build();
                *built = Some((key, doc.clone()));
                doc
            }
        };
        mark_found(&mut doc, &reader.query, reader.current);
        Some(doc)
    }

    pub(super) fn open_reader(&mut self) {
        if self.selected().is_none() {
            self.info("nothing selected to read");
            return;
        }
        if let Some(p) = self.text_problem() {
            // its text is not in memory and reads otherwise now
            let (name, reload) = self.name_and_reload_key();
            let why = crate::sanitize::clean(&p.message);
            self.error(format!(
                "cannot read {name}: {why}; reload ({reload}) first"
            ));
            return;
        }
        self.reader = Some(Reader::default());
    }

    /// Whether the reader is what keys go to (no overlay over it).
    pub(super) fn in_reader(&self) -> bool {
        self.reader.is_some() && matches!(self.overlay, Overlay::None)
    }

    pub(super) fn reader_typing(&self) -> bool {
        self.in_reader() && self.reader.as_ref().is_some_and(|r| r.finding)
    }

    pub(super) fn apply_reader(&mut self, action: Action) {
        if self.reader_typing() {
            self.apply_reader_find(action);
            return;
        }
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        let rows = r.rows();
        let page = isize::try_from(rows.saturating_sub(1).max(1)).unwrap_or(1);
        match action {
            Action::Cancel | Action::Read => self.reader = None,
            Action::Down => r.scroll_by(1),
            Action::Up => r.scroll_by(-1),
            Action::PageDown => r.scroll_by(page),
            Action::PageUp => r.scroll_by(-page),
            Action::Top => r.scroll = 0,
            Action::Bottom => r.scroll = r.max_scroll(),
            Action::Find => {
                r.finding = true;
                r.current = None;
                r.query = r.draft.take().unwrap_or_default();
                r.recalled = !r.query.is_empty();
                if r.recalled {
                    self.info("the last find is back: type to replace it, enter to keep it");
                    self.find_first();
                }
            }
            Action::FindNext => self.find_step(1),
            Action::FindPrev => self.find_step(-1),
            Action::Help => self.open_help(),
            Action::Quit => self.request_quit(),
            Action::PickCategories => self.open_picker(Field::Categories),
            Action::PickPrinciples => self.open_picker(Field::Principles),
            Action::PickValues => self.open_picker(Field::Values),
            Action::Approve => self.decide_and_move_on(Decision::Approve),
            Action::Decline => self.decide_and_move_on(Decision::Decline),
            Action::NeedsInfo => self.open_note(Some(Decision::NeedsInfo)),
            Action::ClearDecision => self.clear_decision(),
            Action::EditNote => self.open_note(None),
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            _ => {}
        }
    }

    fn apply_reader_find(&mut self, action: Action) {
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        let recalled = std::mem::take(&mut r.recalled);
        match action {
            Action::Type(c) => {
                if recalled {
                    r.query.clear();
                }
                r.query.push(c);
                self.find_first();
            }
            Action::Paste(text) => {
                if recalled {
                    r.query.clear();
                }
                r.query.push_str(&super::paste::one_line(&text));
                self.find_first();
            }
            Action::Backspace => {
                if recalled {
                    r.query.clear();
                } else {
                    r.query.pop();
                }
                self.find_first();
            }
            Action::ClearQuery => {
                r.query.clear();
                r.current = None;
            }
            Action::Confirm => {
                r.finding = false;
                let q = crate::sanitize::clean(&r.query);
                if q.is_empty() {
                    return;
                }
                let n = self.reader_document().map_or(0, |d| d.found.len());
                if n == 0 {
                    self.info(format!("“{q}” is not in this submission"));
                } else {
                    self.info(format!(
                        "{}; {} for the next, {} for the previous",
                        crate::text::count(n, "match", "matches"),
                        self.key_in_reader(Action::FindNext),
                        self.key_in_reader(Action::FindPrev),
                    ));
                }
            }
            Action::Cancel => {
                r.finding = false;
                r.current = None;
                let q = std::mem::take(&mut r.query);
                if !q.trim().is_empty() {
                    let key = self.key_in_reader(Action::Find);
                    self.info(format!(
                        "find “{}” left; {key} brings it back",
                        crate::sanitize::clean(&q)
                    ));
                    if let Some(r) = self.reader.as_mut() {
                        r.draft = Some(q);
                    }
                }
            }
            Action::Help => self.open_help(),
            Action::Quit => self.request_quit(),
            _ => {}
        }
    }

    fn key_in_reader(&self, action: Action) -> String {
        self.keymap
            .keys_for(crate::keymap::Mode::Reader, &action)
            .first()
            .map_or_else(|| action.name().to_string(), |k| k.label())
    }

    /// Moves the find to the first match at or below the top of the page.
    fn find_first(&mut self) {
        let Some(doc) = self.reader_document() else {
            return;
        };
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        if doc.found.is_empty() {
            r.current = None;
            return;
        }
        let top = r.scroll;
        let at = doc
            .found
            .iter()
            .position(|&line| r.start_of(line) >= top)
            .unwrap_or(0);
        r.current = Some(at);
        self.show_current(&doc);
    }

    fn find_step(&mut self, delta: isize) {
        let Some(doc) = self.reader_document() else {
            return;
        };
        let n = doc.found.len();
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        if r.query.is_empty() {
            let key = self.key_in_reader(Action::Find);
            self.info(format!("nothing to find yet: {key} starts a find"));
            return;
        }
        if n == 0 {
            let q = crate::sanitize::clean(&r.query);
            self.info(format!("“{q}” is not in this submission"));
            return;
        }
        let next = match r.current {
            Some(c) => (c as isize + delta).rem_euclid(n as isize) as usize,
            None => 0,
        };
        let wrapped = r
            .current
            .is_some_and(|c| (delta > 0 && next < c) || (delta < 0 && next > c));
        r.current = Some(next);
        self.show_current(&doc);
        let msg = format!(
            "match {} of {n}{}",
            next + 1,
            if wrapped { " (from the other end)" } else { "" }
        );
        self.info(msg);
    }

    /// Scrolls so that the current match is on the page, two lines from its top.
    fn show_current(&mut self, doc: &Document) {
        let Some(r) = self.reader.as_mut() else {
            return;
        };
        let Some(line) = r.current.and_then(|c| doc.found.get(c)).copied() else {
            return;
        };
        let start = r.start_of(line);
        let rows = r.rows();
        if start < r.scroll || start >= r.scroll + rows {
            r.scroll = start
                .saturating_sub(2)
                .min(r.max_scroll().max(start.saturating_sub(2)));
        }
    }

    /// Decides, and on success does what follows a decision.
    pub(super) fn decide_and_move_on(&mut self, d: Decision) {
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
}
