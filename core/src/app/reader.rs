//! The reader: the selected submission full-screen, paged, with a find.
//!
//! [`Reader`] owns its state (the page, the find, the document it marks) and
//! answers each action with a [`ReaderOutcome`], as the picker does; what it
//! does not handle itself (a pick, a decision, the note, undo) it passes back
//! for the tagging code the batch view uses too.
//!
//! The model keeps the scroll position in drawn (wrapped) lines; the drawing
//! reports the page's height, the number of lines and where each document
//! line starts ([`Reader::drawn`]), so paging stops at the end and a find
//! shows its match.

use std::cell::{Cell, RefCell};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use super::{App, LineInput};
use crate::document::{Document, Review, document, mark_found};
use crate::keymap::{Action, Mode};
use crate::record::Record;

/// The reader's state while it is open.
#[derive(Debug, Default)]
pub struct Reader {
    /// The first drawn line shown.
    scroll: usize,
    /// The find's text, and the draft `esc` left.
    find: LineInput,
    /// The find's text is being typed.
    finding: bool,
    /// Which match of the find is current.
    current: Option<usize>,
    /// The document before the find is marked, with a key for what it was
    /// built from: a find's every letter marks a copy instead of building a
    /// long text's document again.
    built: RefCell<Option<(u64, Document)>>,
    /// As last drawn: the page's height in lines and the document's.
    geometry: Cell<(usize, usize)>,
    /// As last drawn: the first drawn line of each document line.
    starts: RefCell<Vec<usize>>,
}

/// What an action in the reader comes to, for the app to carry out.
#[derive(Debug, PartialEq)]
pub enum ReaderOutcome {
    /// Handled; nothing more to do.
    Stay,
    /// The reader closes.
    Close,
    /// Handled, with a message for the officer.
    Say(String),
    /// Not the reader's: a tagging action (a pick, a decision, the note,
    /// undo, help, quit) for the app, as from the batch view.
    Pass(Action),
}

/// The labels of the reader's keys that its messages name.
#[derive(Debug, Clone)]
pub struct FindKeys {
    pub find: String,
    pub next: String,
    pub prev: String,
}

/// Where the document comes from: a key for what it is built from (the
/// cache is reused while the key is the same) and how to build it.
pub struct Source<'a> {
    pub key: u64,
    pub build: &'a dyn Fn() -> Document,
}

impl Reader {
    /// The first drawn line shown.
    pub fn scroll(&self) -> usize {
        self.scroll
    }

    /// The find's text.
    pub fn query(&self) -> &str {
        self.find.text()
    }

    /// Whether the find's text shown was brought back (typing replaces it).
    pub fn recalled(&self) -> bool {
        self.find.recalled()
    }

    /// Whether the find's text is being typed.
    pub fn finding(&self) -> bool {
        self.finding
    }

    /// Which match of the find is current.
    pub fn current(&self) -> Option<usize> {
        self.current
    }

    /// As last drawn: the page's height in lines and the document's.
    pub fn geometry(&self) -> (usize, usize) {
        self.geometry.get()
    }

    /// Told by the drawing: the page's height, the document's height and the
    /// first drawn line of each document line.
    pub fn drawn(&self, rows: usize, total: usize, starts: &[usize]) {
        self.geometry.set((rows, total));
        let mut s = self.starts.borrow_mut();
        if s.as_slice() != starts {
            *s = starts.to_vec();
        }
    }

    /// The document with the find marked.
    pub fn document(&self, source: &Source) -> Document {
        let mut built = self.built.borrow_mut();
        let mut doc = match built.as_ref() {
            Some((k, doc)) if *k == source.key => doc.clone(),
            _ => {
                let doc = (source.build)();
                *built = Some((source.key, doc.clone()));
                doc
            }
        };
        mark_found(&mut doc, self.find.text(), self.current);
        doc
    }

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
    pub fn start_of(&self, line: usize) -> usize {
        self.starts.borrow().get(line).copied().unwrap_or(line)
    }

    /// Carries out one action.
    pub fn handle(&mut self, action: Action, keys: &FindKeys, source: &Source) -> ReaderOutcome {
        if self.finding {
            return self.handle_find(action, keys, source);
        }
        let page = isize::try_from(self.rows().saturating_sub(1).max(1)).unwrap_or(1);
        match action {
            Action::Cancel | Action::Read => return ReaderOutcome::Close,
            Action::Down => self.scroll_by(1),
            Action::Up => self.scroll_by(-1),
            Action::PageDown => self.scroll_by(page),
            Action::PageUp => self.scroll_by(-page),
            Action::Top => self.scroll = 0,
            Action::Bottom => self.scroll = self.max_scroll(),
            Action::Find => {
                self.finding = true;
                self.current = None;
                self.find.clear();
                if self.find.recall() {
                    self.find_first(source);
                    return ReaderOutcome::Say(
                        "the last find is back: type to replace it, enter to keep it".into(),
                    );
                }
            }
            Action::FindNext => return self.find_step(1, keys, source),
            Action::FindPrev => return self.find_step(-1, keys, source),
            Action::Help
            | Action::Quit
            | Action::PickCategories
            | Action::PickPrinciples
            | Action::PickValues
            | Action::Approve
            | Action::Decline
            | Action::NeedsInfo
            | Action::ClearDecision
            | Action::EditNote
            | Action::CorrectFields
            | Action::Undo
            | Action::Redo => return ReaderOutcome::Pass(action),
            _ => {}
        }
        ReaderOutcome::Stay
    }

    fn handle_find(&mut self, action: Action, keys: &FindKeys, source: &Source) -> ReaderOutcome {
        match action {
            Action::Type(c) => {
                self.find.push(c);
                self.find_first(source);
            }
            Action::Paste(text) => {
                self.find.paste(&text);
                self.find_first(source);
            }
            Action::Backspace => {
                self.find.backspace();
                self.find_first(source);
            }
            Action::ClearQuery => {
                self.find.clear();
                self.current = None;
            }
            Action::Confirm => {
                self.finding = false;
                self.find.keep();
                let q = crate::sanitize::clean(self.find.text());
                if q.is_empty() {
                    return ReaderOutcome::Stay;
                }
                let n = self.document(source).found.len();
                return ReaderOutcome::Say(if n == 0 {
                    format!("“{q}” is not in this submission")
                } else {
                    format!(
                        "{}; {} for the next, {} for the previous",
                        crate::text::count(n, "match", "matches"),
                        keys.next,
                        keys.prev,
                    )
                });
            }
            Action::Cancel => {
                self.finding = false;
                self.current = None;
                if let Some(q) = self.find.leave() {
                    return ReaderOutcome::Say(format!(
                        "find “{}” left; {} brings it back",
                        crate::sanitize::clean(&q),
                        keys.find
                    ));
                }
            }
            Action::Help | Action::Quit => return ReaderOutcome::Pass(action),
            _ => {}
        }
        ReaderOutcome::Stay
    }

    /// Moves the find to the first match at or below the top of the page.
    fn find_first(&mut self, source: &Source) {
        self.current = None;
        let doc = self.document(source);
        if doc.found.is_empty() {
            return;
        }
        let top = self.scroll;
        let at = doc
            .found
            .iter()
            .position(|&line| self.start_of(line) >= top)
            .unwrap_or(0);
        self.current = Some(at);
        self.show_current(&doc);
    }

    fn find_step(&mut self, delta: isize, keys: &FindKeys, source: &Source) -> ReaderOutcome {
        if self.find.is_empty() {
            return ReaderOutcome::Say(format!("nothing to find yet: {} starts a find", keys.find));
        }
        let doc = self.document(source);
        let n = doc.found.len();
        if n == 0 {
            let q = crate::sanitize::clean(self.find.text());
            return ReaderOutcome::Say(format!("“{q}” is not in this submission"));
        }
        let next = match self.current {
            Some(c) => (c as isize + delta).rem_euclid(n as isize) as usize,
            None => 0,
        };
        let wrapped = self
            .current
            .is_some_and(|c| (delta > 0 && next < c) || (delta < 0 && next > c));
        self.current = Some(next);
        self.show_current(&doc);
        ReaderOutcome::Say(format!(
            "match {} of {n}{}",
            next + 1,
            if wrapped { " (from the other end)" } else { "" }
        ))
    }

    /// Scrolls so that the current match is on the page, two lines from its top.
    fn show_current(&mut self, doc: &Document) {
        let Some(line) = self.current.and_then(|c| doc.found.get(c)).copied() else {
            return;
        };
        let start = self.start_of(line);
        let rows = self.rows();
        if start < self.scroll || start >= self.scroll + rows {
            self.scroll = start
                .saturating_sub(2)
                .min(self.max_scroll().max(start.saturating_sub(2)));
        }
    }
}

impl App {
    /// Where the reader's document comes from for the selected submission:
    /// everything it is built from but the find, hashed, and its builder.
    fn reader_source<T>(&self, with: impl FnOnce(Option<&Source>) -> T) -> T {
        let Some(ix) = self.selected() else {
            return with(None);
        };
        let Some(item) = self.batch.items.get(ix) else {
            return with(None);
        };
        let record = item.record.as_ref().map(|r| &r.record);
        let review = Review {
            status: self.status(ix),
            record,
            duplicate_of: self.duplicate_of(ix).and_then(|o| self.batch.items.get(o)),
        };
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
        let build = || document(item, &review, &self.taxonomy, self.suggestions(), "", None);
        with(Some(&Source { key, build: &build }))
    }

    /// The document the reader shows for the selected submission.
    pub fn reader_document(&self) -> Option<Document> {
        self.reader_source(|source| {
            let source = source?;
            Some(match self.reader.as_ref() {
                Some(reader) => reader.document(source),
                None => (source.build)(),
            })
        })
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
        self.reader.is_some() && matches!(self.overlay, super::Overlay::None)
    }

    pub(super) fn reader_typing(&self) -> bool {
        self.in_reader() && self.reader.as_ref().is_some_and(Reader::finding)
    }

    pub(super) fn apply_reader(&mut self, action: Action) {
        let Some(mut reader) = self.reader.take() else {
            return;
        };
        let key = |a: Action| {
            self.keymap
                .keys_for(Mode::Reader, &a)
                .first()
                .map_or_else(|| a.name().to_string(), |k| k.label())
        };
        let keys = FindKeys {
            find: key(Action::Find),
            next: key(Action::FindNext),
            prev: key(Action::FindPrev),
        };
        let outcome = self.reader_source(|source| match source {
            Some(source) => reader.handle(action, &keys, source),
            None => ReaderOutcome::Close,
        });
        if outcome != ReaderOutcome::Close {
            self.reader = Some(reader);
        }
        match outcome {
            ReaderOutcome::Stay | ReaderOutcome::Close => {}
            ReaderOutcome::Say(message) => self.info(message),
            ReaderOutcome::Pass(action) => {
                self.apply_tagging(action);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{DocLine, Mark, Segment};

    fn doc(lines: &[&str]) -> Document {
        Document {
            lines: lines
                .iter()
                .map(|t| DocLine {
                    segments: vec![Segment {
                        text: (*t).to_string(),
                        mark: Mark::empty(),
                    }],
                    indent: 0,
                })
                .collect(),
            found: Vec::new(),
            text_start: 0,
        }
    }

    fn keys() -> FindKeys {
        FindKeys {
            find: "/".into(),
            next: "n".into(),
            prev: "N".into(),
        }
    }

    #[test]
    fn the_reader_finds_steps_and_passes_tagging_back() {
        let lines: Vec<String> = (0..40).map(|i| format!("line {i}")).collect();
        let lines: Vec<&str> = lines.iter().map(String::as_str).collect();
        let build = || doc(&lines);
        let source = Source {
            key: 1,
            build: &build,
        };
        let mut r = Reader::default();
        r.drawn(10, 40, &(0..40).collect::<Vec<_>>());
        assert_eq!(
            r.handle(Action::Find, &keys(), &source),
            ReaderOutcome::Stay
        );
        for c in "line 3".chars() {
            r.handle(Action::Type(c), &keys(), &source);
        }
        // "line 3" and "line 30" to "line 39": the first is current
        assert_eq!(r.current(), Some(0));
        let said = r.handle(Action::Confirm, &keys(), &source);
        assert_eq!(
            said,
            ReaderOutcome::Say("11 matches; n for the next, N for the previous".into())
        );
        r.handle(Action::FindNext, &keys(), &source);
        assert_eq!(r.current(), Some(1));
        assert!(r.scroll() > 0, "the second match, line 30, is scrolled to");
        assert_eq!(
            r.handle(Action::FindPrev, &keys(), &source),
            ReaderOutcome::Say("match 1 of 11".into())
        );
        assert_eq!(
            r.handle(Action::Approve, &keys(), &source),
            ReaderOutcome::Pass(Action::Approve)
        );
        assert_eq!(
            r.handle(Action::Cancel, &keys(), &source),
            ReaderOutcome::Close
        );
    }

    #[test]
    fn a_find_left_with_esc_comes_back_and_typing_replaces_it() {
        let build = || doc(&["alpha", "beta"]);
        let source = Source {
            key: 1,
            build: &build,
        };
        let mut r = Reader::default();
        r.handle(Action::Find, &keys(), &source);
        r.handle(Action::Type('b'), &keys(), &source);
        let left = r.handle(Action::Cancel, &keys(), &source);
        assert_eq!(
            left,
            ReaderOutcome::Say("find “b” left; / brings it back".into())
        );
        assert!(!r.finding());
        r.handle(Action::Find, &keys(), &source);
        assert_eq!((r.query(), r.recalled()), ("b", true));
        r.handle(Action::Type('a'), &keys(), &source);
        assert_eq!(r.query(), "a");
        // "alpha" has two matches, "beta" one
        assert_eq!(r.document(&source).found, vec![0, 0, 1]);
    }
}
