//! The application model: everything the terminal program shows and does,
//! without the terminal. Key presses become [`Action`]s through the keymap and
//! [`App::apply`] carries them out; every change to a record is saved at once.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::batch::{Batch, Item, Status};
use crate::keymap::{Action, Key, KeyCode, KeyModifiers, Keymap, Mode};
use crate::note::NoteEditor;
use crate::picker::{Outcome, Picker, PickerEvent, Selection};
use crate::record::{Decision, Record, RecordFile, SaveError, missing_for_approval};
use crate::state::{BatchState, StateStore, Step};
use crate::stats::Stats;
use crate::suggest::{Suggestions, suggest};
use crate::taxonomy::{Kind, Taxonomy};

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
}

impl Overlay {
    pub fn mode(&self) -> Mode {
        match self {
            Overlay::None | Overlay::Decide => Mode::Batch,
            Overlay::Picker { .. } => Mode::Picker,
            Overlay::Note { .. } => Mode::Note,
            Overlay::Help { .. } => Mode::Help,
            Overlay::Stats { .. } => Mode::Stats,
            Overlay::Search => Mode::Search,
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
    const CYCLE: [Filter; 9] = [
        Filter::Undecided,
        Filter::Only(Status::InProgress),
        Filter::Only(Status::Approved),
        Filter::Only(Status::NeedsInfo),
        Filter::Only(Status::Declined),
        Filter::Only(Status::Invalid),
        Filter::Only(Status::Changed),
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
    pub search: String,
    pub filter: Option<Filter>,
    pub quit: bool,
    /// Guided tagging is walking the selected submission.
    pub guided: bool,
    /// Suggestions for the selected item, computed when it is selected.
    suggestions: Option<(usize, Suggestions)>,
    /// Each item's status, kept current as records change, so drawing and
    /// filtering never re-validate the whole batch.
    statuses: Vec<Status>,
    /// Lower-case title and councils of each item, what the search matches.
    search_keys: Vec<String>,
    /// The last search's matches, so a longer query only re-scores those.
    search_cache: SearchCache,
    /// The search also looks in the submissions' text (after `enter`).
    pub search_body: bool,
    /// Set while a large folder is still being read: (read, total).
    pub loading: Option<(usize, usize)>,
    /// The submission to return to, until it has been read or the officer moved.
    pending_position: Option<String>,
    /// Items whose last save failed: their record in memory is newer than disk.
    unsaved: BTreeSet<usize>,
    history: BatchState,
    store: Option<StateStore>,
    export_dir: Option<PathBuf>,
    clock: Box<dyn Clock>,
    /// When the officer last did something, for time per submission.
    last_action_at: u64,
    /// Time spent on the selected submission not yet added to its record.
    pending_secs: u64,
}

impl App {
    pub fn new(batch: Batch, options: Options) -> App {
        let store = options
            .state_dir
            .as_deref()
            .map(|d| StateStore::new(d, &batch.dir));
        let history = store.as_ref().map(StateStore::load).unwrap_or_default();
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
            search: String::new(),
            filter: None,
            quit: false,
            guided: false,
            suggestions: None,
            statuses: Vec::new(),
            search_keys: Vec::new(),
            search_cache: SearchCache::default(),
            search_body: false,
            loading: None,
            pending_position: None,
            unsaved: BTreeSet::new(),
            history,
            store,
            export_dir: options.export_dir,
            clock,
            last_action_at: now,
            pending_secs: 0,
        };
        app.pending_position = app.history.position.clone();
        app.index_items(0);
        app.refresh_view();
        app.return_to_position();
        app.on_selection_changed();
        app
    }

    /// Adds items read in the background; the list grows as they arrive.
    pub fn push_items(&mut self, items: Vec<Item>) {
        let from = self.batch.items.len();
        let was_empty = self.view.is_empty();
        self.batch.items.extend(items);
        self.index_items(from);
        // The last search's matches stay valid for the items already listed;
        // only the new ones are scored.
        let added = from..self.batch.items.len();
        if !self.search_cache.query.is_empty() {
            let query = self.search_cache.query.clone();
            let added: Vec<usize> = added.clone().collect();
            let new = score_candidates(
                &added,
                &query,
                &self.search_keys,
                &self.batch.items,
                self.search_body,
            );
            let matches = &mut self.search_cache.matches;
            matches.extend(new);
            matches.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        }
        if self.filter.is_none() && self.search.trim().is_empty() {
            // the common case: no search or filter, the new items go at the end
            self.view.extend(from..self.batch.items.len());
        } else {
            self.refresh_view();
        }
        if let Some((done, total)) = &mut self.loading {
            *done = self.batch.items.len();
            *total = (*total).max(*done);
        }
        if self.return_to_position() || was_empty {
            self.on_selection_changed();
        }
    }

    /// Called when the background reading is over: the checks that need the
    /// whole batch.
    pub fn finish_loading(&mut self) {
        self.loading = None;
        self.pending_position = None;
        self.batch.finish();
        for ix in 0..self.batch.items.len() {
            self.restatus(ix);
        }
        self.refresh_view();
    }

    /// Computes the status and search key of items from `from` on.
    fn index_items(&mut self, from: usize) {
        self.statuses.truncate(from);
        self.search_keys.truncate(from);
        for item in self.batch.items.get(from..).unwrap_or_default() {
            self.statuses.push(item.status(&self.taxonomy));
            self.search_keys.push(search_key(item));
        }
    }

    fn restatus(&mut self, ix: usize) {
        if let (Some(item), Some(slot)) = (self.batch.items.get(ix), self.statuses.get_mut(ix)) {
            *slot = item.status(&self.taxonomy);
        }
    }

    /// Selects the remembered submission once it is listed. Returns whether
    /// the selection moved.
    fn return_to_position(&mut self) -> bool {
        let Some(pos) = &self.pending_position else {
            return false;
        };
        let found = self.view.iter().position(|&ix| {
            self.batch
                .items
                .get(ix)
                .is_some_and(|it| &it.file_name == pos)
        });
        match found {
            Some(i) => {
                self.cursor = i;
                self.pending_position = None;
                true
            }
            None => false,
        }
    }

    // ----- queries used by the renderer -----

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

    pub fn is_unsaved(&self, index: usize) -> bool {
        self.unsaved.contains(&index)
    }

    /// "5 of 16 decided".
    pub fn progress(&self) -> (usize, usize) {
        let decided = self.statuses.iter().filter(|s| s.is_decided()).count();
        (decided, self.batch.items.len())
    }

    pub fn mode(&self) -> Mode {
        self.overlay.mode()
    }

    pub fn can_undo(&self) -> bool {
        !self.history.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.history.redo.is_empty()
    }

    // ----- input -----

    /// Handles one key press (the shell passes presses only, normalised).
    pub fn handle_key(&mut self, key: Key) {
        let mode = self.mode();
        if let Some(action) = self.keymap.action(mode, &key) {
            self.apply(action);
            return;
        }
        // Unbound printable keys type into the text of pickers, notes and search.
        if let KeyCode::Char(c) = key.code {
            let plain = !key
                .mods
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
            if plain {
                self.type_char(c);
                return;
            }
        }
        if matches!(self.overlay, Overlay::Decide) && key.code == KeyCode::Esc {
            self.stop_guided("guided tagging stopped");
        }
    }

    fn type_char(&mut self, c: char) {
        match &mut self.overlay {
            Overlay::Picker { .. } => self.picker_event(PickerEvent::Type(c)),
            Overlay::Note { editor, .. } => editor.insert(c),
            Overlay::Search => {
                self.search.push(c);
                self.refresh_view();
                self.on_selection_changed();
            }
            _ => {}
        }
    }

    /// Carries out one action in the current mode.
    pub fn apply(&mut self, action: Action) {
        // Once the officer acts, the list stays where they put it.
        self.pending_position = None;
        self.touch_timer();
        if !matches!(action, Action::RetrySave | Action::Reload) {
            self.message = None;
        }
        match self.mode() {
            Mode::Picker => self.apply_picker(action),
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
        match action {
            Action::Quit => self.request_quit(),
            Action::Help => self.overlay = Overlay::Help { scroll: 0 },
            Action::Next => self.move_cursor(1),
            Action::Prev => self.move_cursor(-1),
            Action::PageDown => self.move_cursor(10),
            Action::PageUp => self.move_cursor(-10),
            Action::First => self.select_view_index(0),
            Action::Last => self.select_view_index(self.view.len().saturating_sub(1)),
            Action::NextUndecided => self.next_undecided(),
            Action::ScrollBodyDown => self.body_scroll = self.body_scroll.saturating_add(5),
            Action::ScrollBodyUp => self.body_scroll = self.body_scroll.saturating_sub(5),
            Action::PickCategories => self.open_picker(Field::Categories),
            Action::PickPrinciples => self.open_picker(Field::Principles),
            Action::PickValues => self.open_picker(Field::Values),
            Action::Approve => {
                self.decide(Decision::Approve);
            }
            Action::NeedsInfo => self.open_note(Some(Decision::NeedsInfo)),
            Action::Decline => {
                self.decide(Decision::Decline);
            }
            Action::ClearDecision => self.clear_decision(),
            Action::EditNote => self.open_note(None),
            Action::GuidedTagging => self.start_guided(),
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            Action::Search => {
                self.search_body = false;
                self.overlay = Overlay::Search;
                self.refresh_view();
            }
            Action::CycleFilter => self.cycle_filter(),
            Action::ClearFilter => {
                self.filter = None;
                self.search.clear();
                self.refresh_view();
                self.on_selection_changed();
            }
            Action::Stats => {
                self.overlay = Overlay::Stats {
                    stats: Box::new(Stats::compute(&self.batch, &self.taxonomy)),
                    scroll: 0,
                }
            }
            Action::Reload => self.reload_selected(),
            Action::RetrySave => self.retry_saves(),
            Action::Export => self.export(),
            _ => {}
        }
    }

    fn apply_decide(&mut self, action: Action) {
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
            Action::Help => self.overlay = Overlay::Help { scroll: 0 },
            _ => self.stop_guided("guided tagging stopped; no decision made"),
        }
    }

    fn apply_scroll_overlay(&mut self, action: Action) {
        let scroll = match &mut self.overlay {
            Overlay::Help { scroll } | Overlay::Stats { scroll, .. } => scroll,
            _ => return,
        };
        match action {
            Action::Down => *scroll = scroll.saturating_add(1),
            Action::Up => *scroll = scroll.saturating_sub(1),
            Action::PageDown => *scroll = scroll.saturating_add(10),
            Action::PageUp => *scroll = scroll.saturating_sub(10),
            Action::Cancel | Action::Help | Action::Stats => self.overlay = Overlay::None,
            Action::Quit => self.request_quit(),
            _ => {}
        }
    }

    fn apply_search(&mut self, action: Action) {
        match action {
            Action::Confirm => {
                // Enter widens the search to the submissions' text.
                self.overlay = Overlay::None;
                if !self.search.trim().is_empty() && !self.search_body {
                    self.search_body = true;
                    self.refresh_view();
                    self.on_selection_changed();
                }
                let n = self.view.len();
                if !self.search.trim().is_empty() {
                    self.info(format!(
                        "{n} match{} in titles, councils and text",
                        if n == 1 { "" } else { "es" }
                    ));
                }
            }
            Action::Cancel => {
                self.search.clear();
                self.overlay = Overlay::None;
                self.refresh_view();
                self.on_selection_changed();
            }
            Action::Backspace => {
                self.search.pop();
                self.refresh_view();
                self.on_selection_changed();
            }
            Action::ClearQuery => {
                self.search.clear();
                self.refresh_view();
                self.on_selection_changed();
            }
            Action::Down => self.move_cursor(1),
            Action::Up => self.move_cursor(-1),
            Action::Quit => self.request_quit(),
            _ => {}
        }
    }

    fn apply_note(&mut self, action: Action) {
        let Overlay::Note { editor, .. } = &mut self.overlay else {
            return;
        };
        match action {
            Action::Left => editor.left(),
            Action::Right => editor.right(),
            Action::Up => editor.up(),
            Action::Down => editor.down(),
            Action::LineStart => editor.home(),
            Action::LineEnd => editor.end(),
            Action::Backspace => editor.backspace(),
            Action::DeleteChar => editor.delete(),
            Action::Newline => editor.newline(),
            Action::Confirm => self.confirm_note(),
            Action::Cancel => {
                self.overlay = Overlay::None;
                if self.guided {
                    self.stop_guided("note cancelled; guided tagging stopped");
                }
            }
            Action::Quit => self.request_quit(),
            _ => {}
        }
    }

    fn apply_picker(&mut self, action: Action) {
        let ev = match action {
            Action::Up => PickerEvent::Up,
            Action::Down => PickerEvent::Down,
            Action::PageUp => PickerEvent::PageUp,
            Action::PageDown => PickerEvent::PageDown,
            Action::Toggle => PickerEvent::Toggle,
            Action::SetPrimary => PickerEvent::SetPrimary,
            Action::RankUp => PickerEvent::RankUp,
            Action::RankDown => PickerEvent::RankDown,
            Action::Remove => PickerEvent::Remove,
            Action::ClearQuery => PickerEvent::ClearQuery,
            Action::Backspace => PickerEvent::Backspace,
            Action::Confirm => PickerEvent::Confirm,
            Action::Cancel => PickerEvent::Cancel,
            Action::Quit => {
                self.request_quit();
                return;
            }
            _ => return,
        };
        self.picker_event(ev);
    }

    fn picker_event(&mut self, ev: PickerEvent) {
        let Overlay::Picker { picker, field } = &mut self.overlay else {
            return;
        };
        let field = *field;
        match picker.handle(ev) {
            Outcome::Continue => {}
            Outcome::Refused(why) => self.error(why),
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

    // ----- navigation -----

    fn move_cursor(&mut self, delta: isize) {
        if self.view.is_empty() {
            return;
        }
        let last = self.view.len() - 1;
        let to = self.cursor.saturating_add_signed(delta).min(last);
        self.select_view_index(to);
    }

    fn select_view_index(&mut self, i: usize) {
        let i = i.min(self.view.len().saturating_sub(1));
        if i != self.cursor {
            self.cursor = i;
            self.on_selection_changed();
        }
    }

    /// Selects the next submission without a decision, after the selected one,
    /// wrapping around.
    pub fn next_undecided(&mut self) {
        let n = self.view.len();
        for step in 1..=n {
            let i = (self.cursor + step) % n;
            let Some(&ix) = self.view.get(i) else {
                continue;
            };
            let st = self.status(ix);
            if !st.is_decided() && st != Status::Error {
                self.select_view_index(i);
                return;
            }
        }
        self.info("every submission here has a decision");
    }

    fn on_selection_changed(&mut self) {
        // Browsing past a submission is not time spent tagging it.
        self.pending_secs = 0;
        self.body_scroll = 0;
        self.suggestions = self.selected().and_then(|i| {
            let item = self.batch.items.get(i)?;
            let sub = item.submission.as_ref().ok()?;
            Some((i, suggest(sub, &self.taxonomy)))
        });
        self.history.position = self.selected_item().map(|it| it.file_name.clone());
    }

    fn cycle_filter(&mut self) {
        let next = match self.filter {
            None => Some(Filter::CYCLE[0]),
            Some(f) => {
                let i = Filter::CYCLE.iter().position(|&x| x == f).unwrap_or(0);
                Filter::CYCLE.get(i + 1).copied()
            }
        };
        self.filter = next;
        self.refresh_view();
        self.on_selection_changed();
        let shown = self.view.len();
        match self.filter {
            Some(f) => self.info(format!("filter: {} ({shown} shown)", f.name())),
            None => self.info("filter off"),
        }
    }

    /// Recomputes the list from the search and filter, keeping the selected
    /// submission selected when it is still listed.
    pub fn refresh_view(&mut self) {
        let keep = self.selected();
        let filter = self.filter;
        let passes = |ix: usize, statuses: &[Status]| {
            filter.is_none_or(|f| statuses.get(ix).is_some_and(|s| f.matches(*s)))
        };
        let query = self.search.trim().to_lowercase();
        if query.is_empty() {
            self.search_cache = SearchCache::default();
        }
        self.view = if query.is_empty() {
            (0..self.batch.items.len())
                .filter(|&i| passes(i, &self.statuses))
                .collect()
        } else {
            self.search_matches(&query);
            self.search_cache
                .matches
                .iter()
                .map(|&(_, i)| i)
                .filter(|&i| passes(i, &self.statuses))
                .collect()
        };
        self.cursor = keep
            .and_then(|k| self.view.iter().position(|&i| i == k))
            .unwrap_or(0);
    }

    /// Scores the batch against `query` (lower-case), best first, into the
    /// search cache. A query that extends the last one only re-scores the
    /// last one's matches: every match of "food h" is a match of "food".
    fn search_matches(&mut self, query: &str) {
        let cache = &self.search_cache;
        if cache.query == query && cache.body == self.search_body {
            return;
        }
        let narrow = !cache.query.is_empty()
            && query.starts_with(cache.query.as_str())
            && cache.body == self.search_body;
        let candidates: Vec<usize> = if narrow {
            // any order: the matches are sorted afterwards
            cache.matches.iter().map(|&(_, i)| i).collect()
        } else {
            (0..self.batch.items.len()).collect()
        };
        let mut matches = score_candidates(
            &candidates,
            query,
            &self.search_keys,
            &self.batch.items,
            self.search_body,
        );
        matches.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        self.search_cache = SearchCache {
            query: query.to_string(),
            body: self.search_body,
            matches,
        };
    }

    // ----- tagging -----

    fn current_record(&self, index: usize) -> Option<&Record> {
        self.batch
            .items
            .get(index)
            .and_then(|it| it.record.as_ref())
            .map(|r| &r.record)
    }

    fn open_picker(&mut self, field: Field) {
        let Some(ix) = self.selected() else { return };
        if let Err(why) = self.can_tag(ix) {
            self.error(why);
            return;
        }
        let kind = field.kind();
        let record = self.current_record(ix).cloned().unwrap_or_default();
        let sugg = self.suggestions().cloned().unwrap_or_default();
        let current = match field {
            Field::Categories => Selection {
                primary: record.primary_category.clone(),
                chosen: record.categories.clone(),
            },
            Field::Principles => Selection {
                primary: None,
                chosen: record.principles.clone(),
            },
            Field::Values => Selection {
                primary: None,
                chosen: record.values.clone(),
            },
        };
        let empty = current.primary.is_none() && current.chosen.is_empty();
        let initial = if empty {
            match field {
                Field::Categories => Selection {
                    primary: sugg.primary_category.clone(),
                    chosen: sugg.categories.clone(),
                },
                Field::Principles => Selection {
                    primary: None,
                    chosen: sugg.principles.clone(),
                },
                Field::Values => Selection {
                    primary: None,
                    chosen: sugg.values.clone(),
                },
            }
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
    fn can_tag(&self, ix: usize) -> Result<(), String> {
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
        Ok(())
    }

    /// Applies a picker's selection to the selected record. Returns whether the
    /// change is saved (or there was nothing to change).
    fn set_field(&mut self, field: Field, sel: Selection) -> bool {
        let taxonomy = self.taxonomy.clone();
        self.change_selected(|r| match field {
            Field::Categories => {
                r.primary_category = sel.primary;
                let mut cats = sel.chosen;
                taxonomy.sort_ids(Kind::Category, &mut cats);
                r.categories = cats;
            }
            Field::Principles => {
                let mut p = sel.chosen;
                taxonomy.sort_ids(Kind::Principle, &mut p);
                r.principles = p;
            }
            Field::Values => r.values = sel.chosen,
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
                let missing = missing_for_approval(&record, &self.taxonomy);
                if !missing.is_empty() {
                    self.error(format!("cannot approve: {}", missing.join("; ")));
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
        let saved = self.change_selected(|r| r.set_decision(Some(d)));
        if saved {
            self.info(format!("{}: {}", d.as_str(), self.selected_title()));
        }
        saved
    }

    fn clear_decision(&mut self) {
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

    fn open_note(&mut self, then_decide: Option<Decision>) {
        let Some(ix) = self.selected() else { return };
        if let Err(why) = self.can_tag(ix) {
            self.error(why);
            return;
        }
        let note = self
            .current_record(ix)
            .and_then(|r| r.note.clone())
            .unwrap_or_default();
        self.overlay = Overlay::Note {
            editor: NoteEditor::new(&note),
            then_decide,
        };
    }

    fn confirm_note(&mut self) {
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
            }
        }
    }

    /// Changes the selected record with `f`, stamps and saves it, and records
    /// the step for undo. Returns whether the record is now saved.
    fn change_selected(&mut self, f: impl FnOnce(&mut Record)) -> bool {
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
            .get_or_insert_with(|| RecordFile::new(record_path, &file_name));
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
        let after = rf.record.clone();
        self.history.undo.push(Step {
            file_name,
            before: before.to_toml(),
            after: after.to_toml(),
        });
        self.history.redo.clear();
        let saved = self.save_item(ix);
        if !withdrawn.is_empty() {
            self.error(format!("approval withdrawn: {}", withdrawn.join("; ")));
        }
        self.refresh_view();
        saved
    }

    /// Saves one item's record, reporting failure on the message line. The
    /// record stays in memory either way.
    fn save_item(&mut self, ix: usize) -> bool {
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

    fn retry_saves(&mut self) {
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
    fn reload_selected(&mut self) {
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

    /// Writes the pack and the CSV of the approved case studies beside the
    /// batch folder (or into the configured export folder).
    fn export(&mut self) {
        let dir = self
            .batch
            .dir
            .canonicalize()
            .unwrap_or_else(|_| self.batch.dir.clone());
        let stem = dir
            .file_name()
            .map_or_else(|| "batch".to_string(), |n| n.to_string_lossy().into_owned());
        let target = self
            .export_dir
            .clone()
            .or_else(|| dir.parent().map(PathBuf::from))
            .unwrap_or_else(|| dir.clone());
        match crate::export::export_for_ui(&self.batch, &self.taxonomy, &target, &stem) {
            Ok((paths, skipped)) => {
                let names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
                let mut text = format!("exported {}", names.join(" and "));
                if !skipped.is_empty() {
                    text.push_str(&format!(
                        "; {} skipped (invalid or changed: see casetag check)",
                        skipped.len()
                    ));
                }
                self.info(text);
            }
            Err(e) => self.error(format!("export failed: {} ({e})", target.display())),
        }
    }

    // ----- guided tagging -----

    fn start_guided(&mut self) {
        let Some(ix) = self.selected() else { return };
        if let Err(why) = self.can_tag(ix) {
            self.error(why);
            return;
        }
        self.guided = true;
        self.open_picker(Field::Categories);
    }

    fn guided_next(&mut self, done: Field) {
        match done {
            Field::Categories => self.open_picker(Field::Principles),
            Field::Principles => self.open_picker(Field::Values),
            Field::Values => {
                self.overlay = Overlay::Decide;
            }
        }
    }

    fn finish_guided(&mut self) {
        self.guided = false;
        self.overlay = Overlay::None;
        let msg = self.message.clone();
        self.next_undecided();
        if msg.is_some() && self.message.as_ref().is_none_or(|m| !m.error) {
            self.message = msg;
        }
    }

    fn stop_guided(&mut self, why: &str) {
        self.guided = false;
        if matches!(self.overlay, Overlay::Decide) {
            self.overlay = Overlay::None;
        }
        self.info(why);
    }

    // ----- undo -----

    fn undo(&mut self) {
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

    fn redo(&mut self) {
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
    fn restore(&mut self, file_name: &str, text: &str) -> bool {
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

    // ----- odds and ends -----

    fn request_quit(&mut self) {
        if !self.unsaved.is_empty() {
            if matches!(self.message, Some(Message { error: true, ref text }) if text.starts_with("unsaved"))
            {
                // second request: the officer has been told
                self.quit = true;
                return;
            }
            let n = self.unsaved.len();
            self.error(format!(
                "unsaved: {n} record{} could not be saved; {} to retry, quit again to leave anyway",
                if n == 1 { "" } else { "s" },
                self.keys_hint(&[Action::RetrySave])
            ));
            return;
        }
        self.quit = true;
    }

    /// Saves position and history; called after every change and on quit.
    pub fn persist_state(&mut self) {
        if let Some(store) = &self.store {
            // The state only holds conveniences; failing to keep it is not worth
            // interrupting the officer for.
            let _ = store.save(&self.history);
        }
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

    /// "w retry" style hint for the message line, from the active keymap.
    pub fn keys_hint(&self, actions: &[Action]) -> String {
        actions
            .iter()
            .filter_map(|a| self.keymap.hint(Mode::Batch, *a))
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

/// The least fuzzy score per query character that counts as a search match.
const SEARCH_MIN_PER_CHAR: i64 = 16;

/// Letters scattered over a long title and council list are noise, not a
/// match: a fair score per query character is asked for.
fn search_min_score(query: &str) -> i64 {
    SEARCH_MIN_PER_CHAR * query.chars().filter(|c| !c.is_whitespace()).count() as i64
}

/// Below this many candidates a search is scored on one thread.
const PARALLEL_SEARCH: usize = 8192;

/// Scores `candidates` against `query` (lower-case): fuzzy over their
/// search keys (title and councils), or, when `body` is set, score 0 for the
/// query found in the text. Large lists are scored on every core.
///
/// nucleo-matcher rather than the pickers' skim matcher: over 100,000 keys
/// skim took about 145 ms for a first letter, beyond a keystroke's budget.
fn score_candidates(
    candidates: &[usize],
    query: &str,
    keys: &[String],
    items: &[Item],
    body: bool,
) -> Vec<(i64, usize)> {
    use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
    use nucleo_matcher::{Config, Matcher, Utf32Str};
    let pattern = Pattern::parse(query, CaseMatching::Ignore, Normalization::Smart);
    let min = search_min_score(query);
    let work = |chunk: &[usize]| -> Vec<(i64, usize)> {
        let mut matcher = Matcher::new(Config::DEFAULT);
        let mut buf = Vec::new();
        chunk
            .iter()
            .filter_map(|&i| {
                let key = keys.get(i).map_or("", String::as_str);
                let fuzzy = pattern
                    .score(Utf32Str::new(key, &mut buf), &mut matcher)
                    .map(i64::from)
                    .filter(|&sc| sc >= min);
                if let Some(sc) = fuzzy {
                    return Some((sc, i));
                }
                let sub = items.get(i)?.submission.as_ref().ok()?;
                (body && contains_ignore_case(&sub.body, query)).then_some((0, i))
            })
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || candidates.len() < PARALLEL_SEARCH {
        return work(candidates);
    }
    let per = candidates.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = candidates
            .chunks(per)
            .map(|chunk| scope.spawn(move || work(chunk)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// The last search and its matches (score, item), best first.
#[derive(Debug, Default)]
struct SearchCache {
    query: String,
    body: bool,
    matches: Vec<(i64, usize)>,
}

/// What the live search matches: the title and the councils, lower-case.
fn search_key(item: &Item) -> String {
    let Ok(s) = &item.submission else {
        return item.file_name.to_lowercase();
    };
    let mut key = s.title.to_lowercase();
    for m in s.lead_member.iter().chain(s.participating_members.iter()) {
        // ASCII, so the matcher reads the key in place rather than converting it
        key.push_str(" / ");
        key.push_str(&m.to_lowercase());
    }
    key
}

/// Whether `hay` contains `needle` (already lower-case), ignoring case.
fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    if hay.is_ascii() && needle.is_ascii() {
        let (h, n) = (hay.as_bytes(), needle.as_bytes());
        return n.is_empty() || h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    hay.to_lowercase().contains(needle)
}

/// Formats seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn rfc3339(secs: u64) -> String {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (h, m, s) = (rem / 3600, rem / 60 % 60, rem % 60);
    // civil-from-days (Howard Hinnant)
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    format!("{y:04}-{mo:02}-{d:02}T{h:02}:{m:02}:{s:02}Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_formats_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_342_500), "2026-11-22T10:15:00Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }
}
