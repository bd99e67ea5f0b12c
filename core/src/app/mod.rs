//! The application model: everything the terminal program shows and does,
//! without the terminal. Key presses become [`Action`]s through the keymap and
//! [`App::apply`] carries them out; every change to a record is saved at once.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::batch::{Batch, Item, Status};
use crate::keymap::{Action, Key, KeyCode, KeyModifiers, Keymap, Mode};
use crate::note::NoteEditor;
use crate::picker::Picker;
use crate::record::Decision;
use crate::stats::Stats;
use crate::suggest::Suggestions;
use crate::taxonomy::{Kind, Taxonomy};

mod conflict;
mod correct;
mod drafts;
mod export;
mod guided;
mod input;
mod list;
mod paste;
mod persist;
mod reader;
mod search;
mod session;
mod tagging;

pub use conflict::{ConflictResolver, field_label};
pub use input::LineInput;
pub use reader::{FindKeys, Reader, ReaderOutcome, Source};
pub use search::ListSearch;
pub use session::Session;

pub use tagging::rfc3339;

/// A source of the current time, in seconds since the Unix epoch.
pub trait Clock {
    fn now(&mut self) -> u64;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&mut self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

/// Time spent on one submission is counted in stretches between actions; a
/// longer pause than this counts as this much (the officer was away).
pub const MAX_COUNTED_PAUSE: u64 = 300;

/// The field a picker edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Categories,
    Principles,
    Values,
}

impl Field {
    pub fn kind(self) -> Kind {
        match self {
            Field::Categories => Kind::Category,
            Field::Principles => Kind::Principle,
            Field::Values => Kind::Value,
        }
    }
}

/// What is shown over the batch view.
pub enum Overlay {
    None,
    Picker {
        picker: Box<Picker>,
        field: Field,
    },
    Note {
        editor: NoteEditor,
        /// The decision the note is for (needs-info waits for its note).
        then_decide: Option<Decision>,
    },
    /// Correcting what was read from the submission (`correct.rs`).
    Correct {
        editor: NoteEditor,
        /// Leaving with the form changed was warned about: the next
        /// `esc` or quit drops it.
        warned: bool,
    },
    /// The last step of guided tagging: waiting for a decision key.
    Decide,
    Help {
        scroll: usize,
    },
    Stats {
        stats: Box<Stats>,
        scroll: usize,
    },
    Search,
    /// Resolving the selected submission's conflict (`conflict.rs`).
    Conflict(Box<ConflictResolver>),
}

impl Overlay {
    pub fn mode(&self) -> Mode {
        match self {
            Overlay::None | Overlay::Decide => Mode::Batch,
            Overlay::Picker { .. } => Mode::Picker,
            Overlay::Note { .. } | Overlay::Correct { .. } => Mode::Note,
            Overlay::Help { .. } => Mode::Help,
            Overlay::Stats { .. } => Mode::Stats,
            Overlay::Search => Mode::Search,
            // the pickers' keys: up, down, confirm, cancel
            Overlay::Conflict(_) => Mode::Picker,
        }
    }
}

/// A status filter over the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// Anything without a decision.
    Undecided,
    Only(Status),
}

impl Filter {
    const CYCLE: [Filter; 10] = [
        Filter::Undecided,
        Filter::Only(Status::InProgress),
        Filter::Only(Status::Approved),
        Filter::Only(Status::NeedsInfo),
        Filter::Only(Status::Declined),
        Filter::Only(Status::Invalid),
        Filter::Only(Status::Changed),
        Filter::Only(Status::Conflict),
        Filter::Only(Status::Error),
        Filter::Only(Status::NotStarted),
    ];

    pub fn name(self) -> &'static str {
        match self {
            Filter::Undecided => "undecided",
            Filter::Only(s) => s.word(),
        }
    }

    pub fn matches(self, status: Status) -> bool {
        match self {
            Filter::Undecided => !status.is_decided(),
            Filter::Only(s) => s == status,
        }
    }
}

/// A line of feedback under the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub text: String,
    pub error: bool,
}

/// Settings the program starts with.
pub struct Options {
    pub taxonomy: Taxonomy,
    pub keymap: Keymap,
    pub reviewer: String,
    /// Where positions and undo history are kept; `None` keeps nothing.
    pub state_dir: Option<PathBuf>,
    /// Where the export key writes; `None`: beside the batch folder.
    pub export_dir: Option<PathBuf>,
    pub clock: Box<dyn Clock>,
}

impl Options {
    /// The built-in keymap and the system clock; no state kept, exports
    /// beside the batch. Change fields with struct update syntax.
    pub fn new(taxonomy: Taxonomy, reviewer: &str) -> Options {
        Options {
            taxonomy,
            keymap: Keymap::builtin(),
            reviewer: reviewer.to_string(),
            state_dir: None,
            export_dir: None,
            clock: Box::new(SystemClock),
        }
    }
}

pub struct App {
    pub taxonomy: Taxonomy,
    pub keymap: Keymap,
    pub batch: Batch,
    pub reviewer: String,
    /// Indices into `batch.items` that the search and filter let through.
    pub view: Vec<usize>,
    /// Position in `view`.
    pub cursor: usize,
    pub overlay: Overlay,
    pub message: Option<Message>,
    pub body_scroll: usize,
    /// As last drawn: the text pane's height and its number of lines, so
    /// paging the text stops at its end.
    pub text_view: Cell<(usize, usize)>,
    /// As last drawn: the help or statistics page's height and length.
    pub overlay_view: Cell<(usize, usize)>,
    /// The reader, when open; overlays (pickers, the note, help) open over it.
    pub reader: Option<Reader>,
    /// What help was opened over, shown again when help closes.
    under_help: Option<Overlay>,
    /// After a decision, select the next undecided submission (config.toml
    /// `after_decision`), in the batch view, the reader and guided tagging alike.
    pub next_after_decision: bool,
    /// The terminal is too small to draw in (the shell says so): keys do
    /// nothing but quit.
    pub screen_too_small: bool,
    pub search: ListSearch,
    pub filter: Option<Filter>,
    pub quit: bool,
    /// The officer was told that records are unsaved: quitting again leaves.
    quit_warned: bool,
    /// When ctrl-c was last pressed: a second press within a second quits,
    /// whatever the keymap binds it to.
    last_ctrl_c: Option<std::time::Instant>,
    /// Guided tagging is walking the selected submission.
    pub guided: bool,
    /// Suggestions for the selected item, computed when it is selected.
    suggestions: Option<(usize, Suggestions)>,
    /// Why the selected item's text, dropped from memory, could not be read
    /// again (its file changed on disk since it was read).
    text_problem: Option<(usize, crate::problem::Problem)>,
    /// Each item's status, kept current as records change, so drawing and
    /// filtering never re-validate the whole batch.
    statuses: Vec<Status>,
    /// Set while a large folder is still being read: (read, total).
    pub loading: Option<(usize, usize)>,
    /// The submission to return to, until it has been read or the officer moved.
    pending_position: Option<String>,
    /// The submission selected when a search or filter came to list
    /// nothing: selected again when the list holds it again.
    held: Option<usize>,
    /// Items whose last save failed: their record in memory is newer than disk.
    unsaved: BTreeSet<usize>,
    /// Undo history, note drafts and position, kept between sittings.
    session: Session,
    /// Each submission's text sketch, to find the same case study sent twice.
    duplicates: crate::batch::Duplicates,
    export_dir: Option<PathBuf>,
    clock: Box<dyn Clock>,
    /// When the officer last did something, for time per submission.
    last_action_at: u64,
    /// Time spent on the selected submission not yet added to its record.
    pending_secs: u64,
}

impl App {
    pub fn new(mut batch: Batch, options: Options) -> App {
        batch.set_text_budget(crate::batch::DEFAULT_TEXT_BUDGET);
        let (session, warning) = Session::open(options.state_dir.as_deref(), &batch.dir);
        let mut clock = options.clock;
        let now = clock.now();
        let mut app = App {
            taxonomy: options.taxonomy,
            keymap: options.keymap,
            batch,
            reviewer: options.reviewer,
            view: Vec::new(),
            cursor: 0,
            overlay: Overlay::None,
            message: None,
            body_scroll: 0,
            text_view: Cell::new((5, usize::MAX)),
            overlay_view: Cell::new((10, usize::MAX)),
            reader: None,
            under_help: None,
            next_after_decision: true,
            screen_too_small: false,
            search: ListSearch::default(),
            filter: None,
            quit: false,
            quit_warned: false,
            last_ctrl_c: None,
            guided: false,
            suggestions: None,
            text_problem: None,
            statuses: Vec::new(),
            loading: None,
            pending_position: None,
            held: None,
            unsaved: BTreeSet::new(),
            session,
            duplicates: crate::batch::Duplicates::default(),
            export_dir: options.export_dir,
            clock,
            last_action_at: now,
            pending_secs: 0,
        };
        if let Some(w) = warning {
            app.info(w);
        }
        app.pending_position = app.session.position().map(str::to_owned);
        app.index_items(0);
        app.refresh_view();
        app.return_to_position();
        app.on_selection_changed();
        app
    }

    /// The index into `batch.items` of the selected submission.
    pub fn selected(&self) -> Option<usize> {
        self.view.get(self.cursor).copied()
    }

    pub fn selected_item(&self) -> Option<&Item> {
        self.selected().and_then(|i| self.batch.items.get(i))
    }

    pub fn status(&self, index: usize) -> Status {
        self.statuses.get(index).copied().unwrap_or(Status::Error)
    }

    /// Suggestions for the selected submission.
    pub fn suggestions(&self) -> Option<&Suggestions> {
        match (&self.suggestions, self.selected()) {
            (Some((i, s)), Some(sel)) if *i == sel => Some(s),
            _ => None,
        }
    }

    /// Keeps at most `bytes` of the submissions' text in memory (16 MiB
    /// unless set: [`crate::batch::DEFAULT_TEXT_BUDGET`]), the selected
    /// submission's always.
    pub fn set_text_budget(&mut self, bytes: usize) {
        self.batch.set_text_budget(bytes);
        self.on_selection_changed();
    }

    /// Why the selected submission's text is not shown: it was dropped from
    /// memory and its file changed on disk (or went) since it was read.
    pub fn text_problem(&self) -> Option<&crate::problem::Problem> {
        match (&self.text_problem, self.selected()) {
            (Some((i, p)), Some(sel)) if *i == sel => Some(p),
            _ => None,
        }
    }

    pub fn is_unsaved(&self, index: usize) -> bool {
        self.unsaved.contains(&index)
    }

    /// "5 of 16 decided".
    pub fn progress(&self) -> (usize, usize) {
        let decided = self.statuses.iter().filter(|s| s.is_decided()).count();
        (decided, self.batch.items.len())
    }

    pub fn mode(&self) -> Mode {
        if self.reader_typing() {
            Mode::Search
        } else if self.in_reader() {
            Mode::Reader
        } else {
            self.overlay.mode()
        }
    }

    pub fn can_undo(&self) -> bool {
        self.session.can_undo()
    }

    pub fn can_redo(&self) -> bool {
        self.session.can_redo()
    }

    /// Handles one key press (the shell passes presses only, normalised):
    /// the key becomes an [`Action`] and [`App::apply`] carries it out.
    ///
    /// ctrl-c is the way out of last resort: where the keymap binds it to
    /// nothing it quits, and pressed twice within a second it quits whatever
    /// it is bound to (with unsaved records, the usual warning comes first).
    pub fn handle_key(&mut self, key: Key) {
        // Behind the "terminal too small" screen nothing is seen, so nothing
        // acts but quitting.
        if self.screen_too_small {
            let quits = [Mode::Global, Mode::Batch]
                .into_iter()
                .any(|m| self.keymap.action(m, &key) == Some(Action::Quit));
            if quits || key == Key::new(KeyCode::Char('c'), KeyModifiers::CONTROL) {
                self.request_quit();
            }
            return;
        }
        if key == Key::new(KeyCode::Char('c'), KeyModifiers::CONTROL) {
            let now = std::time::Instant::now();
            let again = self
                .last_ctrl_c
                .is_some_and(|t| now.duration_since(t) < std::time::Duration::from_secs(1));
            self.last_ctrl_c = Some(now);
            match self.keymap.action(self.mode(), &key) {
                Some(action) if !again => self.apply(action),
                _ => {
                    // Leaving without asking about the note: its unsaved
                    // text is kept as a draft, as leaving the editor keeps it.
                    if self.stash_draft() {
                        self.persist_state();
                    }
                    self.request_quit();
                }
            }
            return;
        }
        // Twice means twice in a row: any other key in between starts over.
        self.last_ctrl_c = None;
        if let Some(action) = self.action_for(&key) {
            self.apply(action);
        }
    }

    /// What a key asks for here: its binding in the current mode; else a plain
    /// character is typed (into the text of pickers, notes and search); else,
    /// in the decide prompt, the pickers' cancel key stops guided tagging as it
    /// would have one step earlier.
    pub fn action_for(&self, key: &Key) -> Option<Action> {
        // Space toggles in a picker while its filter is empty; once the filter
        // holds text it is typed ("social value").
        if key.code == KeyCode::Char(' ')
            && key.mods.is_empty()
            && let Overlay::Picker { picker, .. } = &self.overlay
            && !picker.query().is_empty()
        {
            return Some(Action::Type(' '));
        }
        if let Some(action) = self.keymap.action(self.mode(), key) {
            return Some(action);
        }
        if let KeyCode::Char(c) = key.code
            && !key
                .mods
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        {
            return Some(Action::Type(c));
        }
        if matches!(self.overlay, Overlay::Decide) {
            return self
                .keymap
                .action(Mode::Picker, key)
                .filter(|a| *a == Action::Cancel);
        }
        None
    }

    fn type_char(&mut self, c: char) {
        if self.reader_typing() {
            self.apply_reader(Action::Type(c));
            return;
        }
        match &mut self.overlay {
            Overlay::Picker { .. } => self.apply_picker(Action::Type(c)),
            Overlay::Note { editor, .. } => editor.insert(c),
            Overlay::Correct { editor, warned } => {
                editor.insert(c);
                *warned = false;
            }
            Overlay::Search => {
                let outcome = self.search.type_char(c);
                self.after_search(outcome);
            }
            _ => {}
        }
    }

    /// Carries out one action in the current mode.
    pub fn apply(&mut self, action: Action) {
        if let Action::Paste(text) = action {
            if self.reader_typing() {
                // the reader's find takes it on one line, as the search does
                let text: String = text.chars().take(paste::MAX_PASTE_CHARS).collect();
                self.apply_reader(Action::Paste(text));
            } else {
                self.paste(&text);
            }
            return;
        }
        if let Action::Type(c) = action {
            // Typing changes only the text typed into: the message line, the
            // timer and the remembered position stay as they are. Typing
            // into the note ends a warning about quitting with it unsaved.
            if matches!(self.overlay, Overlay::Note { .. }) {
                self.quit_warned = false;
            }
            self.type_char(c);
            return;
        }
        // The warning about unsaved records holds for the very next action.
        if action != Action::Quit {
            self.quit_warned = false;
        }
        // Once the officer acts, the list stays where they put it.
        self.pending_position = None;
        self.touch_timer();
        if !matches!(action, Action::RetrySave | Action::Reload) {
            self.message = None;
        }
        if action == Action::Help && !matches!(self.overlay, Overlay::Help { .. }) {
            self.open_help();
            return;
        }
        if self.in_reader() {
            self.apply_reader(action);
            return;
        }
        if matches!(self.overlay, Overlay::Conflict(_)) {
            self.apply_conflict(action);
            return;
        }
        match self.mode() {
            Mode::Picker => self.apply_picker(action),
            Mode::Note if matches!(self.overlay, Overlay::Correct { .. }) => {
                self.apply_correct(action);
            }
            Mode::Note => self.apply_note(action),
            Mode::Search => self.apply_search(action),
            Mode::Help => self.apply_scroll_overlay(action),
            Mode::Stats => self.apply_scroll_overlay(action),
            _ => {
                if matches!(self.overlay, Overlay::Decide) {
                    self.apply_decide(action);
                } else {
                    self.apply_batch(action);
                }
            }
        }
    }

    fn apply_batch(&mut self, action: Action) {
        if self.apply_tagging(action.clone()) {
            return;
        }
        match action {
            Action::Next => self.move_cursor(1),
            Action::Prev => self.move_cursor(-1),
            Action::PageDown => self.move_cursor(10),
            Action::PageUp => self.move_cursor(-10),
            Action::First => self.select_view_index(0),
            Action::Last => self.select_view_index(self.view.len().saturating_sub(1)),
            Action::NextUndecided => self.next_undecided(),
            Action::PageBodyDown => self.scroll_body(true, true),
            Action::PageBodyUp => self.scroll_body(false, true),
            Action::ScrollBodyDown => self.scroll_body(true, false),
            Action::ScrollBodyUp => self.scroll_body(false, false),
            Action::Read => self.open_reader(),
            Action::GuidedTagging => self.resolve_or_guide(),
            Action::Search => self.open_search(),
            Action::CycleFilter => self.cycle_filter(),
            Action::ClearFilter => {
                self.filter = None;
                self.search.clear();
                self.refresh_view();
                self.on_selection_changed();
            }
            Action::Stats => {
                self.overlay_view.set((10, usize::MAX));
                self.overlay = Overlay::Stats {
                    stats: Box::new(Stats::compute(&self.batch, &self.taxonomy)),
                    scroll: 0,
                }
            }
            Action::Reload => self.reload_changed(),
            Action::RetrySave => self.retry_saves(),
            Action::Export => self.export(),
            _ => {}
        }
    }

    fn apply_scroll_overlay(&mut self, action: Action) {
        let (rows, total) = self.overlay_view.get();
        let max = total.saturating_sub(rows.max(1));
        let page = rows.saturating_sub(1).max(1);
        let is_help = matches!(self.overlay, Overlay::Help { .. });
        let scroll = match &mut self.overlay {
            Overlay::Help { scroll } | Overlay::Stats { scroll, .. } => scroll,
            _ => return,
        };
        match action {
            Action::Down => *scroll = scroll.saturating_add(1).min(max),
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::PageDown => *scroll = scroll.saturating_add(page).min(max),
            Action::PageUp => *scroll = scroll.saturating_sub(page),
            Action::Top => *scroll = 0,
            Action::Bottom => *scroll = max,
            Action::Cancel | Action::Help | Action::Stats => {
                self.overlay = if is_help {
                    self.under_help.take().unwrap_or(Overlay::None)
                } else {
                    Overlay::None
                };
            }
            Action::Quit => self.request_quit(),
            _ => {}
        }
    }

    /// Opens help over whatever is open (a picker, the note, the search, the
    /// reader, statistics); closing it goes back there.
    pub(super) fn open_help(&mut self) {
        let under = std::mem::replace(&mut self.overlay, Overlay::Help { scroll: 0 });
        self.under_help = Some(under);
        self.overlay_view.set((10, usize::MAX));
    }

    /// Scrolls the batch view's text pane by a page (its height less one
    /// line) or a line, never past its end.
    fn scroll_body(&mut self, down: bool, page: bool) {
        let (rows, total) = self.text_view.get();
        let step = if page {
            rows.saturating_sub(1).max(1)
        } else {
            1
        };
        let max = total.saturating_sub(rows);
        let from = self.body_scroll.min(max);
        self.body_scroll = if down {
            from.saturating_add(step).min(max)
        } else {
            from.saturating_sub(step)
        };
    }

    fn request_quit(&mut self) {
        if let Some(why) = self.session.unkept()
            && self.session.drafts() > 0
            && !self.quit_warned
        {
            let n = self.session.drafts();
            self.error(format!(
                "{} cannot be kept on disk ({why}); quit again to lose {}",
                count_drafts(n),
                if n == 1 { "it" } else { "them" }
            ));
            self.quit_warned = true;
            return;
        }
        if self.unsaved.is_empty() || self.quit_warned {
            self.quit = true;
            return;
        }
        let n = self.unsaved.len();
        self.error(format!(
            "unsaved: {n} record{} could not be saved; {} to retry, quit again to leave anyway",
            if n == 1 { "" } else { "s" },
            self.keys_hint(&[Action::RetrySave])
        ));
        self.quit_warned = true;
    }

    /// Counts the time since the last action towards the selected submission;
    /// it is added to the record with the next change saved.
    fn touch_timer(&mut self) {
        let now = self.clock.now();
        self.pending_secs += now
            .saturating_sub(self.last_action_at)
            .min(MAX_COUNTED_PAUSE);
        self.last_action_at = now;
    }

    fn selected_title(&self) -> String {
        self.selected_item()
            .map(|it| it.title().to_string())
            .unwrap_or_default()
    }

    /// The key for each action ("w"), for the message line, from the active keymap.
    pub fn keys_hint(&self, actions: &[Action]) -> String {
        actions
            .iter()
            .filter_map(|a| self.keymap.keys_for(Mode::Batch, a).first().map(Key::label))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: false,
        });
    }

    pub fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            text: text.into(),
            error: true,
        });
    }
}

fn count_drafts(n: usize) -> String {
    if n == 1 {
        "1 note draft".to_owned()
    } else {
        format!("{n} note drafts")
    }
}
