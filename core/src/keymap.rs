//! Key bindings: which key triggers which [`Action`] in which [`Mode`].
//!
//! The default keymap is `keymap.toml` at the repository root, compiled in. A user
//! file has the same shape and overrides the actions it names (see
//! [`Keymap::with_overrides`]). Parsing is strict: every mistake is a [`Problem`]
//! with the line and column of the offending key or action, because a silently
//! ignored binding is worse than a refused file.
//!
//! Keys are normalised ([`Key::new`]) so that what the file says and what the
//! terminal sends agree: `"G"` is the same key as `"shift-g"`, `"shift-tab"` the
//! same as `"backtab"`, and `"?"` is `"?"` whether or not the terminal reports SHIFT.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

pub use crate::key::{KeyCode, KeyModifiers};

use crate::problem::{Problem, line_col};

/// The default keymap, compiled in.
pub const DEFAULT_KEYMAP: &str = include_str!("../../keymap.toml");

// ---------------------------------------------------------------------------
// Actions and modes

/// Every action a key can trigger. serde/Display names are snake_case (e.g. "next_undecided").
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    // global
    Quit,
    Help,
    // batch view
    Next,
    Prev,
    First,
    Last,
    NextUndecided,
    PageDown,
    PageUp,
    ScrollBodyDown,
    ScrollBodyUp,
    PickCategories,
    PickPrinciples,
    PickValues,
    Approve,
    NeedsInfo,
    Decline,
    ClearDecision,
    EditNote,
    GuidedTagging,
    Undo,
    Redo,
    Search,
    CycleFilter,
    ClearFilter,
    Stats,
    Export,
    Reload,
    RetrySave,
    // picker
    Up,
    Down,
    Toggle,
    SetPrimary,
    RankUp,
    RankDown,
    Remove,
    Confirm,
    Cancel,
    ClearQuery,
    Backspace,
    // note editor (plus Up/Down/Confirm/Cancel/Backspace above)
    Left,
    Right,
    LineStart,
    LineEnd,
    DeleteChar,
    Newline,
}

impl Action {
    /// Every action, in declaration order.
    pub const ALL: [Action; 46] = [
        Action::Quit,
        Action::Help,
        Action::Next,
        Action::Prev,
        Action::First,
        Action::Last,
        Action::NextUndecided,
        Action::PageDown,
        Action::PageUp,
        Action::ScrollBodyDown,
        Action::ScrollBodyUp,
        Action::PickCategories,
        Action::PickPrinciples,
        Action::PickValues,
        Action::Approve,
        Action::NeedsInfo,
        Action::Decline,
        Action::ClearDecision,
        Action::EditNote,
        Action::GuidedTagging,
        Action::Undo,
        Action::Redo,
        Action::Search,
        Action::CycleFilter,
        Action::ClearFilter,
        Action::Stats,
        Action::Export,
        Action::Reload,
        Action::RetrySave,
        Action::Up,
        Action::Down,
        Action::Toggle,
        Action::SetPrimary,
        Action::RankUp,
        Action::RankDown,
        Action::Remove,
        Action::Confirm,
        Action::Cancel,
        Action::ClearQuery,
        Action::Backspace,
        Action::Left,
        Action::Right,
        Action::LineStart,
        Action::LineEnd,
        Action::DeleteChar,
        Action::Newline,
    ];

    /// The name used in keymap files (snake_case).
    pub fn name(self) -> &'static str {
        self.info().0
    }

    /// A short human phrase for the help overlay.
    pub fn description(self) -> &'static str {
        self.info().1
    }

    /// A word or two for footer hints ("approve", "undecided").
    pub fn label(self) -> &'static str {
        self.info().2
    }

    /// (name, description, label)
    fn info(self) -> (&'static str, &'static str, &'static str) {
        use Action::*;
        match self {
            Quit => ("quit", "quit casetag", "quit"),
            Help => ("help", "show or hide this help", "help"),
            Next => ("next", "next submission", "next"),
            Prev => ("prev", "previous submission", "prev"),
            First => ("first", "first submission", "first"),
            Last => ("last", "last submission", "last"),
            NextUndecided => ("next_undecided", "next undecided submission", "undecided"),
            PageDown => ("page_down", "one page down", "page down"),
            PageUp => ("page_up", "one page up", "page up"),
            ScrollBodyDown => (
                "scroll_body_down",
                "scroll the submission's text down",
                "scroll",
            ),
            ScrollBodyUp => (
                "scroll_body_up",
                "scroll the submission's text up",
                "scroll up",
            ),
            PickCategories => ("pick_categories", "choose the categories", "categories"),
            PickPrinciples => ("pick_principles", "choose the principles", "principles"),
            PickValues => ("pick_values", "choose and rank the values", "values"),
            Approve => ("approve", "approve the submission", "approve"),
            NeedsInfo => ("needs_info", "ask for more information", "needs info"),
            Decline => ("decline", "decline the submission", "decline"),
            ClearDecision => ("clear_decision", "clear the decision", "undecide"),
            EditNote => ("edit_note", "edit the note", "note"),
            GuidedTagging => (
                "guided_tagging",
                "guided tagging: category, principles, values, decision",
                "guided",
            ),
            Undo => ("undo", "undo the last change", "undo"),
            Redo => ("redo", "redo the last undone change", "redo"),
            Search => ("search", "search the submissions", "search"),
            CycleFilter => ("cycle_filter", "filter by status (next filter)", "filter"),
            ClearFilter => ("clear_filter", "show all submissions", "no filter"),
            Stats => ("stats", "statistics of the batch", "stats"),
            Export => ("export", "export the batch", "export"),
            Reload => ("reload", "reload the files from disk", "reload"),
            RetrySave => ("retry_save", "retry a failed save", "retry save"),
            Up => ("up", "move up", "up"),
            Down => ("down", "move down", "down"),
            Toggle => ("toggle", "select or deselect", "toggle"),
            SetPrimary => ("set_primary", "make it the primary category", "primary"),
            RankUp => ("rank_up", "move up in the ranking", "rank up"),
            RankDown => ("rank_down", "move down in the ranking", "rank down"),
            Remove => ("remove", "remove from the ranking", "remove"),
            Confirm => ("confirm", "confirm", "confirm"),
            Cancel => ("cancel", "cancel or close", "cancel"),
            ClearQuery => ("clear_query", "clear the typed text", "clear"),
            Backspace => (
                "backspace",
                "delete the character before the cursor",
                "backspace",
            ),
            Left => ("left", "cursor left", "left"),
            Right => ("right", "cursor right", "right"),
            LineStart => ("line_start", "start of the line", "line start"),
            LineEnd => ("line_end", "end of the line", "line end"),
            DeleteChar => (
                "delete_char",
                "delete the character under the cursor",
                "delete",
            ),
            Newline => ("newline", "new line", "new line"),
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An action name that names no action.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no action named {0:?}")]
pub struct UnknownAction(pub String);

impl FromStr for Action {
    type Err = UnknownAction;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Action::ALL
            .into_iter()
            .find(|a| a.name() == s)
            .ok_or_else(|| UnknownAction(s.to_string()))
    }
}

/// The contexts (tables) of the keymap.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    Global,
    Batch,
    Picker,
    Note,
    Search,
    Help,
    Stats,
}

impl Mode {
    /// Every mode, in the order of the help overlay.
    pub const ALL: [Mode; 7] = [
        Mode::Global,
        Mode::Batch,
        Mode::Picker,
        Mode::Note,
        Mode::Search,
        Mode::Help,
        Mode::Stats,
    ];

    /// The table name in keymap files.
    pub fn name(self) -> &'static str {
        match self {
            Mode::Global => "global",
            Mode::Batch => "batch",
            Mode::Picker => "picker",
            Mode::Note => "note",
            Mode::Search => "search",
            Mode::Help => "help",
            Mode::Stats => "stats",
        }
    }

    /// A heading for the help overlay.
    pub fn title(self) -> &'static str {
        match self {
            Mode::Global => "Everywhere",
            Mode::Batch => "Batch",
            Mode::Picker => "Pickers",
            Mode::Note => "Note editor",
            Mode::Search => "Search",
            Mode::Help => "Help",
            Mode::Stats => "Statistics",
        }
    }

    /// Whether plain characters typed in this mode go into text (a filter, the
    /// note, the search query) rather than to bindings.
    pub fn is_typing(self) -> bool {
        matches!(self, Mode::Picker | Mode::Note | Mode::Search)
    }

    /// The actions that may be bound in this mode's table.
    pub fn actions(self) -> &'static [Action] {
        use Action::*;
        match self {
            Mode::Global => &[Quit, Help],
            Mode::Batch => &[
                Quit,
                Help,
                Next,
                Prev,
                First,
                Last,
                NextUndecided,
                PageDown,
                PageUp,
                ScrollBodyDown,
                ScrollBodyUp,
                PickCategories,
                PickPrinciples,
                PickValues,
                Approve,
                NeedsInfo,
                Decline,
                ClearDecision,
                EditNote,
                GuidedTagging,
                Undo,
                Redo,
                Search,
                CycleFilter,
                ClearFilter,
                Stats,
                Export,
                Reload,
                RetrySave,
            ],
            Mode::Picker => &[
                Up, Down, PageDown, PageUp, Toggle, SetPrimary, RankUp, RankDown, Remove, Confirm,
                Cancel, ClearQuery, Backspace,
            ],
            Mode::Note => &[
                Left, Right, Up, Down, LineStart, LineEnd, Backspace, DeleteChar, Newline, Confirm,
                Cancel,
            ],
            Mode::Search => &[Confirm, Cancel, Backspace, ClearQuery, Up, Down],
            Mode::Help => &[Cancel, Up, Down, PageUp, PageDown],
            Mode::Stats => &[Cancel, Up, Down],
        }
    }

    /// Whether `action` may be bound in this mode's table.
    pub fn allows(self, action: Action) -> bool {
        self.actions().contains(&action)
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A table name that names no mode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("no mode named {0:?}")]
pub struct UnknownMode(pub String);

impl FromStr for Mode {
    type Err = UnknownMode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Mode::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .ok_or_else(|| UnknownMode(s.to_string()))
    }
}

// ---------------------------------------------------------------------------
// Keys

/// One key with its modifiers, normalised (see [`Key::new`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

/// A key name that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseKeyError(pub String);

/// Modifier prefixes, in the order [`Key`]'s `Display` writes them.
const MODIFIERS: [(&str, KeyModifiers); 6] = [
    ("ctrl", KeyModifiers::CONTROL),
    ("alt", KeyModifiers::ALT),
    ("shift", KeyModifiers::SHIFT),
    ("super", KeyModifiers::SUPER),
    ("hyper", KeyModifiers::HYPER),
    ("meta", KeyModifiers::META),
];

/// Named keys: (name, code). The first name of a code is its canonical spelling.
const NAMED: [(&str, KeyCode); 24] = [
    ("space", KeyCode::Char(' ')),
    ("minus", KeyCode::Char('-')),
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("ins", KeyCode::Insert),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pageup", KeyCode::PageUp),
    ("pgup", KeyCode::PageUp),
    ("pagedown", KeyCode::PageDown),
    ("pgdn", KeyCode::PageDown),
    ("pgdown", KeyCode::PageDown),
];

/// The highest function key a keymap file may name.
const MAX_F: u8 = 24;

/// Modifiers a key may carry; others (keypad, caps lock state) are dropped.
fn known_mods() -> KeyModifiers {
    MODIFIERS
        .iter()
        .fold(KeyModifiers::NONE, |all, (_, m)| all | *m)
}

/// The single-character upper and lower case of `c`, when it has both.
fn cases(c: char) -> Option<(char, char)> {
    fn single(mut it: impl Iterator<Item = char>) -> Option<char> {
        let first = it.next()?;
        it.next().is_none().then_some(first)
    }
    if !(c.is_lowercase() || c.is_uppercase()) {
        return None;
    }
    let upper = single(c.to_uppercase())?;
    let lower = single(c.to_lowercase())?;
    (upper != lower).then_some((upper, lower))
}

impl Key {
    /// A key, normalised so that the file and the terminal agree:
    ///
    /// - a shifted letter without CONTROL is its upper-case form without SHIFT
    ///   (`"G"` = `"shift-g"` = `Char('G')` + SHIFT from the terminal);
    /// - a letter with CONTROL is lower case, with SHIFT kept if it was shifted
    ///   (`"ctrl-shift-x"` = `"ctrl-X"`);
    /// - SHIFT is dropped on any other character (`"?"` arrives with SHIFT on many
    ///   terminals);
    /// - shift-tab is `BackTab` without SHIFT, however it arrives.
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        let mut mods = mods & known_mods();
        let code = match code {
            KeyCode::Char(c) => match cases(c) {
                Some((upper, lower)) => {
                    let shifted = mods.contains(KeyModifiers::SHIFT) || c == upper;
                    if mods.contains(KeyModifiers::CONTROL) {
                        mods.set(KeyModifiers::SHIFT, shifted);
                        KeyCode::Char(if shifted { lower } else { c })
                    } else {
                        mods.remove(KeyModifiers::SHIFT);
                        KeyCode::Char(if shifted { upper } else { c })
                    }
                }
                None => {
                    mods.remove(KeyModifiers::SHIFT);
                    code
                }
            },
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                code
            }
            _ => code,
        };
        Key { code, mods }
    }

    /// A plain character key.
    pub fn char(c: char) -> Key {
        Key::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    /// A character that would be typed as text: no ctrl, alt or other modifier
    /// (SHIFT is already folded into the character).
    pub fn is_plain_printable(&self) -> bool {
        match self.code {
            KeyCode::Char(c) => {
                !c.is_control() && self.mods.difference(KeyModifiers::SHIFT).is_empty()
            }
            _ => false,
        }
    }

    /// A short label for hints: arrows as symbols, otherwise as [`Display`](fmt::Display).
    pub fn label(&self) -> String {
        if self.mods.is_empty() {
            let symbol = match self.code {
                KeyCode::Up => Some("↑"),
                KeyCode::Down => Some("↓"),
                KeyCode::Left => Some("←"),
                KeyCode::Right => Some("→"),
                KeyCode::PageUp => Some("pgup"),
                KeyCode::PageDown => Some("pgdn"),
                _ => None,
            };
            if let Some(s) = symbol {
                return s.to_string();
            }
        }
        self.to_string()
    }
}

impl FromStr for Key {
    type Err = ParseKeyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        'prefixes: loop {
            for (name, m) in MODIFIERS {
                let Some(after) = strip_prefix_ci(rest, name).and_then(|r| r.strip_prefix('-'))
                else {
                    continue;
                };
                // "ctrl-" alone is not a key; "ctrl--" is ctrl and "-".
                if after.is_empty() {
                    continue;
                }
                if mods.contains(m) {
                    return Err(ParseKeyError(format!("{name}- is repeated in {s:?}")));
                }
                mods |= m;
                rest = after;
                continue 'prefixes;
            }
            break;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (None, _) => return Err(ParseKeyError("an empty key name".to_string())),
            (Some(c), None) => {
                if c.is_control() || c.is_whitespace() {
                    return Err(ParseKeyError(format!(
                        "{s:?} is not a key name; write \"space\" for the space bar"
                    )));
                }
                KeyCode::Char(c)
            }
            _ => named_code(rest).ok_or_else(|| unknown_key_name(s, rest))?,
        };
        Ok(Key::new(code, mods))
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

fn named_code(name: &str) -> Option<KeyCode> {
    let lower = name.to_ascii_lowercase();
    if let Some((_, code)) = NAMED.iter().find(|(n, _)| *n == lower) {
        return Some(*code);
    }
    let n: u8 = lower.strip_prefix('f')?.parse().ok()?;
    // "f01" would not round-trip through Display.
    let canonical = format!("f{n}");
    ((1..=MAX_F).contains(&n) && canonical == lower).then_some(KeyCode::F(n))
}

fn unknown_key_name(whole: &str, name: &str) -> ParseKeyError {
    let lower = name.to_ascii_lowercase();
    // "ctl-x": a misspelt modifier; "pagedwn": a misspelt name.
    let modifier = lower
        .split_once('-')
        .and_then(|(head, _)| suggest(head, MODIFIERS.map(|(n, _)| n)));
    let hint = match modifier {
        Some(m) => format!(" (did you mean the prefix \"{m}-\"?)"),
        None => suggest(&lower, NAMED.map(|(n, _)| n))
            .map(|s| format!(" (did you mean \"{s}\"?)"))
            .unwrap_or_default(),
    };
    ParseKeyError(format!(
        "unknown key name {whole:?}{hint}; a key is a single character or one of \
         space, enter, esc, tab, shift-tab, backspace, delete, insert, up, down, left, \
         right, home, end, pageup, pagedown, f1..f{MAX_F}, minus, \
         with optional ctrl-, alt-, shift- prefixes"
    ))
}

impl fmt::Display for Key {
    /// The canonical spelling: parses back to the same key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut mods = self.mods;
        if self.code == KeyCode::BackTab {
            mods |= KeyModifiers::SHIFT;
        }
        for (name, m) in MODIFIERS {
            if mods.contains(m) {
                write!(f, "{name}-")?;
            }
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("space"),
            KeyCode::Char('-') if !self.mods.is_empty() => f.write_str("minus"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::BackTab => f.write_str("tab"),
            KeyCode::F(n) => write!(f, "f{n}"),
            code => match NAMED.iter().find(|(_, c)| *c == code) {
                Some((name, _)) => f.write_str(name),
                // Keys no keymap file can name (media keys, lone modifiers): shown
                // for diagnostics only.
                None => write!(f, "<{code:?}>"),
            },
        }
    }
}

// ---------------------------------------------------------------------------
// The keymap

/// One mode's bindings for the help overlay: each action with its keys.
pub type ModeBindings = (Mode, Vec<(Action, Vec<Key>)>);

/// A table's bindings in file order.
type Bindings = Vec<(Key, Action)>;

/// One mode's bindings.
#[derive(Debug, Clone, Default)]
struct Table {
    /// In file order (an override's bindings after the defaults it left).
    order: Vec<(Key, Action)>,
    map: HashMap<Key, Action>,
}

impl Table {
    fn from_order(order: Vec<(Key, Action)>) -> Table {
        let map = order.iter().copied().collect();
        Table { order, map }
    }
}

/// The active key bindings.
#[derive(Debug, Clone, Default)]
pub struct Keymap {
    tables: BTreeMap<Mode, Table>,
}

impl Keymap {
    /// The compiled-in default keymap.
    ///
    /// # Panics
    ///
    /// Only if the shipped `keymap.toml` is broken, which a test rules out.
    #[allow(clippy::panic, reason = "compiled-in data, proven valid by a test")]
    pub fn builtin() -> Keymap {
        match Keymap::parse(DEFAULT_KEYMAP, Path::new("keymap.toml")) {
            Ok(k) => k,
            Err(p) => panic!("the built-in keymap is broken: {p}"),
        }
    }

    /// A complete keymap from `text`, the contents of `path`.
    pub fn parse(text: &str, path: &Path) -> Result<Keymap, Problem> {
        let tables = parse_tables(text, path)?
            .into_iter()
            .map(|(mode, order)| (mode, Table::from_order(order)))
            .collect();
        Ok(Keymap { tables })
    }

    /// The default with the user's file laid over it: for every action the override names in a
    /// table, that action's default keys in that table are replaced by the override's keys; a key
    /// the override binds is taken away from any other default action in that table.
    pub fn with_overrides(mut self, text: &str, path: &Path) -> Result<Keymap, Problem> {
        for (mode, order) in parse_tables(text, path)? {
            let table = self.tables.entry(mode).or_default();
            let actions: HashSet<Action> = order.iter().map(|(_, a)| *a).collect();
            let keys: HashSet<Key> = order.iter().map(|(k, _)| *k).collect();
            let mut merged = std::mem::take(&mut table.order);
            merged.retain(|(k, a)| !actions.contains(a) && !keys.contains(k));
            merged.extend(order);
            *table = Table::from_order(merged);
        }
        Ok(self)
    }

    /// Default + the user's config file (`config_dir()/keymap.toml` of
    /// `directories::ProjectDirs::from("", "", "casetag")`, if it exists) +
    /// `--keymap FILE` (if given), in that order.
    pub fn load(user_file: Option<&Path>) -> Result<Keymap, Problem> {
        Keymap::load_from(Keymap::config_file().as_deref(), user_file)
    }

    /// Where the user's keymap file lives, whether or not it exists.
    pub fn config_file() -> Option<PathBuf> {
        directories::ProjectDirs::from("", "", "casetag")
            .map(|dirs| dirs.config_dir().join("keymap.toml"))
    }

    /// [`Keymap::load`] with the config file's location given: the default, then
    /// `config_file` if it exists, then `user_file`, which must exist.
    pub fn load_from(
        config_file: Option<&Path>,
        user_file: Option<&Path>,
    ) -> Result<Keymap, Problem> {
        let mut keymap = Keymap::parse(DEFAULT_KEYMAP, Path::new("keymap.toml (built in)"))?;
        if let Some(path) = config_file {
            match std::fs::read_to_string(path) {
                Ok(text) => keymap = keymap.with_overrides(&text, path)?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Problem::file(path, format!("cannot read the keymap: {e}"))),
            }
        }
        if let Some(path) = user_file {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Problem::file(path, format!("cannot read the keymap: {e}")))?;
            keymap = keymap.with_overrides(&text, path)?;
        }
        Ok(keymap)
    }

    fn own(&self, mode: Mode, key: &Key) -> Option<Action> {
        self.tables.get(&mode)?.map.get(key).copied()
    }

    /// The action for a key in a mode. Global is consulted after the mode's own
    /// table, except that in the typing modes (picker, note, search) a plain
    /// character never reaches a global binding, so "?" is typed, not help.
    pub fn action(&self, mode: Mode, key: &Key) -> Option<Action> {
        if let Some(a) = self.own(mode, key) {
            return Some(a);
        }
        if mode == Mode::Global || (mode.is_typing() && key.is_plain_printable()) {
            return None;
        }
        self.own(Mode::Global, key)
    }

    /// Keys that trigger an action in a mode: the mode's own keys in file order,
    /// then global keys for it that are not shadowed there.
    pub fn keys_for(&self, mode: Mode, action: Action) -> Vec<Key> {
        let mut keys: Vec<Key> = self
            .tables
            .get(&mode)
            .map(|t| {
                t.order
                    .iter()
                    .filter(|(_, a)| *a == action)
                    .map(|(k, _)| *k)
                    .collect()
            })
            .unwrap_or_default();
        if mode != Mode::Global
            && let Some(global) = self.tables.get(&Mode::Global)
        {
            for (k, a) in &global.order {
                if *a == action && !keys.contains(k) && self.action(mode, k) == Some(action) {
                    keys.push(*k);
                }
            }
        }
        keys
    }

    /// A short hint like "a approve" or "j/↓ next" from the first one or two
    /// active keys, for footers; `None` when nothing triggers the action.
    pub fn hint(&self, mode: Mode, action: Action) -> Option<String> {
        let keys = self.keys_for(mode, action);
        if keys.is_empty() {
            return None;
        }
        let labels: Vec<String> = keys.iter().take(2).map(Key::label).collect();
        Some(format!("{} {}", labels.join("/"), action.label()))
    }

    /// Every binding, grouped by mode in [`Mode::ALL`] order, actions in the
    /// order of [`Mode::actions`], keys in file order; modes without bindings left out.
    pub fn bindings(&self) -> Vec<ModeBindings> {
        Mode::ALL
            .into_iter()
            .filter_map(|mode| {
                let table = self.tables.get(&mode)?;
                let actions: Vec<(Action, Vec<Key>)> = mode
                    .actions()
                    .iter()
                    .filter_map(|&action| {
                        let keys: Vec<Key> = table
                            .order
                            .iter()
                            .filter(|(_, a)| *a == action)
                            .map(|(k, _)| *k)
                            .collect();
                        (!keys.is_empty()).then_some((action, keys))
                    })
                    .collect();
                (!actions.is_empty()).then_some((mode, actions))
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------
// Parsing keymap files

/// Positions problems in one file.
struct Source<'a> {
    path: &'a Path,
    text: &'a str,
}

impl Source<'_> {
    fn at(&self, span: Option<Range<usize>>, msg: impl Into<String>) -> Problem {
        match span {
            Some(span) => Problem::at_offset(self.path, self.text, span.start, msg),
            None => Problem::file(self.path, msg),
        }
    }
}

/// Where a key was first seen in a table, for conflict messages.
struct Seen {
    spelling: String,
    line: usize,
    action: Action,
}

/// Every table of a keymap file with its bindings in file order, checked.
fn parse_tables(text: &str, path: &Path) -> Result<Vec<(Mode, Bindings)>, Problem> {
    let src = Source { path, text };
    let doc = toml_edit::Document::parse(text)
        .map_err(|e| src.at(e.span(), e.message().trim().to_string()))?;
    let root = doc.as_table();
    let mode_list = Mode::ALL.map(Mode::name).join(", ");
    let mut out = Vec::new();
    for (name, item) in root.iter() {
        let key_span = root.key(name).and_then(toml_edit::Key::span);
        let Some(table) = item.as_table_like() else {
            let msg = match name.parse::<Mode>() {
                Ok(_) => format!(
                    "[{name}] must be a table of key = \"action\" lines, not {}",
                    item.type_name()
                ),
                Err(_) => format!(
                    "the binding {name:?} is outside any table; put it under one of \
                     [{}]",
                    Mode::ALL.map(Mode::name).join("], [")
                ),
            };
            return Err(src.at(key_span.or_else(|| item.span()), msg));
        };
        let mode: Mode = name.parse().map_err(|_| {
            let hint = match suggest(name, Mode::ALL.map(Mode::name)) {
                Some(s) => format!(" (did you mean [{s}]?)"),
                None => String::new(),
            };
            src.at(
                key_span.clone().or_else(|| item.span()),
                format!("unknown mode [{name}]{hint}; expected one of {mode_list}"),
            )
        })?;
        out.push((mode, parse_table(&src, mode, table)?));
    }
    Ok(out)
}

fn parse_table(
    src: &Source<'_>,
    mode: Mode,
    table: &dyn toml_edit::TableLike,
) -> Result<Vec<(Key, Action)>, Problem> {
    let table_name = mode.name();
    let mut order = Vec::new();
    let mut seen: HashMap<Key, Seen> = HashMap::new();
    for (spelling, item) in table.iter() {
        let key_span = table.key(spelling).and_then(toml_edit::Key::span);
        let value_span = item.span().or_else(|| key_span.clone());

        let Some(action_name) = item.as_str() else {
            let msg = if item.is_table_like() {
                format!(
                    "{spelling:?} in [{table_name}] holds a table, not an action name \
                     (quote key names that contain a dot, e.g. \"ctrl-.\")"
                )
            } else {
                format!(
                    "the action for {spelling:?} must be a string naming an action, not {}",
                    item.type_name()
                )
            };
            return Err(src.at(value_span, msg));
        };

        let key: Key = spelling.parse().map_err(|e: ParseKeyError| {
            src.at(key_span.clone(), format!("in [{table_name}]: {e}"))
        })?;

        let action: Action = action_name.parse().map_err(|_| {
            let allowed = mode.actions().iter().map(|a| a.name());
            let hint = suggest(action_name, allowed)
                .or_else(|| suggest(action_name, Action::ALL.map(Action::name)))
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default();
            src.at(
                value_span.clone(),
                format!("no action named {action_name:?}{hint}"),
            )
        })?;

        if !mode.allows(action) {
            let allowed: Vec<&str> = mode.actions().iter().map(|a| a.name()).collect();
            return Err(src.at(
                value_span,
                format!(
                    "\"{action}\" is not an action of [{table_name}]; its actions are {}",
                    allowed.join(", ")
                ),
            ));
        }

        // Space toggles in the picker: a space in a filter is rarely wanted.
        let space_in_picker = mode == Mode::Picker && key.code == KeyCode::Char(' ');
        if mode.is_typing() && key.is_plain_printable() && !space_in_picker {
            let into = match mode {
                Mode::Picker => "the filter",
                Mode::Note => "the note",
                _ => "the search query",
            };
            return Err(src.at(
                key_span,
                format!(
                    "{spelling:?} is a plain character, and in [{table_name}] typing goes into \
                     {into}; bind a named key or a ctrl- or alt- key instead"
                ),
            ));
        }

        let line = key_span
            .as_ref()
            .map_or(0, |s| line_col(src.text, s.start).0);
        if let Some(first) = seen.get(&key) {
            let msg = if first.action == action {
                format!(
                    "{spelling:?} is the same key as {:?} on line {} in [{table_name}]",
                    first.spelling, first.line
                )
            } else {
                format!(
                    "{spelling:?} is the same key as {:?} on line {}, which is bound to \
                     \"{}\": one key can trigger only one action in [{table_name}]",
                    first.spelling, first.line, first.action
                )
            };
            return Err(src.at(key_span, msg));
        }
        seen.insert(
            key,
            Seen {
                spelling: spelling.to_string(),
                line,
                action,
            },
        );
        order.push((key, action));
    }
    Ok(order)
}

/// The candidate closest to `word` by edit distance, if close enough to be a
/// plausible typo.
fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(2, 3);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev.get(j).copied().unwrap_or(usize::MAX) + usize::from(ca != *cb);
            let delete = prev
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let insert = cur.get(j).copied().unwrap_or(usize::MAX).saturating_add(1);
            cur.push(substitute.min(delete).min(insert));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(s: &str) -> Key {
        match s.parse() {
            Ok(k) => k,
            Err(e) => panic!("{s:?} does not parse: {e}"),
        }
    }

    fn parse(text: &str) -> Result<Keymap, Problem> {
        Keymap::parse(text, Path::new("k.toml"))
    }

    /// The problem a keymap text must cause, with its line asserted.
    fn refused(text: &str, line: usize) -> Problem {
        match parse(text) {
            Ok(_) => panic!("accepted:\n{text}"),
            Err(p) => {
                assert_eq!(p.line, Some(line), "wrong line for {p}");
                assert!(p.col.is_some(), "no column in {p}");
                assert_eq!(p.path, Path::new("k.toml"));
                p
            }
        }
    }

    #[test]
    fn the_shipped_keymap_parses_and_binds_every_action_where_it_belongs() {
        let km = match parse(DEFAULT_KEYMAP) {
            Ok(k) => k,
            Err(p) => panic!("{p}"),
        };
        for action in Action::ALL {
            let bound = Mode::ALL.into_iter().any(|m| {
                m.allows(action)
                    && km
                        .tables
                        .get(&m)
                        .is_some_and(|t| t.order.iter().any(|(_, a)| *a == action))
            });
            assert!(bound, "{action} is bound nowhere");
        }
        // Every mode has the actions it needs.
        for mode in Mode::ALL {
            for &action in mode.actions() {
                if matches!(action, Action::Quit | Action::Help) {
                    continue;
                }
                assert!(
                    !km.keys_for(mode, action).is_empty(),
                    "{action} has no key in [{mode}]"
                );
            }
        }
        assert_eq!(km.action(Mode::Batch, &key("j")), Some(Action::Next));
        assert_eq!(km.action(Mode::Batch, &key("G")), Some(Action::Last));
        assert_eq!(km.action(Mode::Batch, &key("shift-g")), Some(Action::Last));
        assert_eq!(km.action(Mode::Batch, &key("ctrl-c")), Some(Action::Quit));
        assert_eq!(km.action(Mode::Picker, &key("space")), Some(Action::Toggle));
        // builtin() is the same file
        assert_eq!(Keymap::builtin().bindings(), km.bindings());
    }

    #[test]
    fn every_key_in_the_shipped_file_round_trips() {
        let km = Keymap::builtin();
        let mut n = 0;
        for (_, actions) in km.bindings() {
            for (_, keys) in actions {
                for k in keys {
                    let shown = k.to_string();
                    assert_eq!(key(&shown), k, "{shown:?}");
                    n += 1;
                }
            }
        }
        assert!(n > 60, "only {n} keys");
    }

    #[test]
    fn canonical_spellings() {
        assert_eq!(key("G"), key("shift-g"));
        assert_eq!(key("G"), key("shift-G"));
        assert_ne!(key("G"), key("g"));
        assert_eq!(key("backtab"), key("shift-tab"));
        assert_eq!(key("Enter"), key("return"));
        assert_eq!(key("ctrl-X"), key("ctrl-shift-x"));
        assert_ne!(key("ctrl-x"), key("ctrl-shift-x"));
        assert_eq!(key("alt-shift-j"), key("alt-J"));
        assert_eq!(key("-"), key("minus"));
        assert_eq!(key("ctrl--"), key("ctrl-minus"));
        assert_eq!(key("shift-?"), key("?"));
        for (s, shown) in [
            ("ctrl-c", "ctrl-c"),
            ("shift-g", "G"),
            ("backtab", "shift-tab"),
            ("space", "space"),
            ("PageDown", "pagedown"),
            ("pgup", "pageup"),
            ("ctrl-shift-x", "ctrl-shift-x"),
            ("alt-shift-j", "alt-J"),
            ("ctrl--", "ctrl-minus"),
            ("-", "-"),
            ("F12", "f12"),
            ("escape", "esc"),
            ("shift-up", "shift-up"),
        ] {
            assert_eq!(key(s).to_string(), shown, "{s}");
        }
        for bad in [
            "",
            "ctrl-",
            "foo",
            "ctrl-ctrl-c",
            "f0",
            "f25",
            "f01",
            " ",
            "\t",
            "pagedwn",
            "ctl-c",
        ] {
            assert!(bad.parse::<Key>().is_err(), "{bad:?} parsed");
        }
        let e = match "pagedwn".parse::<Key>() {
            Err(e) => e.0,
            Ok(_) => panic!(),
        };
        assert!(e.contains("did you mean \"pagedown\""), "{e}");
    }

    #[test]
    fn terminal_events_are_normalised() {
        let k = Key::new;
        assert_eq!(k(KeyCode::Char('G'), KeyModifiers::SHIFT), key("G"));
        assert_eq!(k(KeyCode::Char('G'), KeyModifiers::NONE), key("G"));
        assert_eq!(k(KeyCode::Char('g'), KeyModifiers::SHIFT), key("G"));
        assert_eq!(k(KeyCode::Char('?'), KeyModifiers::SHIFT), key("?"));
        assert_eq!(k(KeyCode::BackTab, KeyModifiers::SHIFT), key("shift-tab"));
        assert_eq!(k(KeyCode::BackTab, KeyModifiers::NONE), key("shift-tab"));
        assert_eq!(k(KeyCode::Tab, KeyModifiers::SHIFT), key("shift-tab"));
        assert_eq!(k(KeyCode::Char('c'), KeyModifiers::CONTROL), key("ctrl-c"));
        assert_eq!(
            k(
                KeyCode::Char('C'),
                KeyModifiers::CONTROL | KeyModifiers::SHIFT
            ),
            key("ctrl-shift-c")
        );
        assert_ne!(
            k(
                KeyCode::Char('C'),
                KeyModifiers::CONTROL | KeyModifiers::SHIFT
            ),
            key("ctrl-c")
        );
        assert_eq!(
            k(KeyCode::Char('J'), KeyModifiers::ALT | KeyModifiers::SHIFT),
            key("alt-J")
        );
        assert_eq!(k(KeyCode::Down, KeyModifiers::NONE), key("down"));
        let km = Keymap::builtin();
        assert_eq!(
            km.action(Mode::Batch, &k(KeyCode::Char('?'), KeyModifiers::SHIFT)),
            Some(Action::Help)
        );
    }

    #[test]
    fn unknown_mode_is_refused() {
        let p = refused("[global]\n\"?\" = \"help\"\n\n[bach]\nj = \"next\"\n", 4);
        assert!(p.message.contains("unknown mode [bach]"), "{p}");
        assert!(p.message.contains("did you mean [batch]"), "{p}");
        assert!(p.message.contains("global, batch, picker"), "{p}");
        let p = refused("j = \"next\"\n", 1);
        assert!(p.message.contains("outside any table"), "{p}");
    }

    #[test]
    fn unknown_action_is_refused_with_a_suggestion() {
        let p = refused("[batch]\nj = \"next\"\nk = \"nxt\"\n", 3);
        assert_eq!(p.col, Some(5));
        assert!(
            p.message
                .contains("no action named \"nxt\" (did you mean \"next\"?)"),
            "{p}"
        );
    }

    #[test]
    fn action_outside_its_mode_is_refused() {
        let p = refused(
            "[picker]\nenter = \"confirm\"\n\"ctrl-a\" = \"approve\"\n",
            3,
        );
        assert!(
            p.message
                .contains("\"approve\" is not an action of [picker]"),
            "{p}"
        );
        refused("[global]\nq = \"next\"\n", 2);
        refused("[stats]\nesc = \"cancel\"\npagedown = \"page_down\"\n", 3);
    }

    #[test]
    fn unparsable_key_is_refused() {
        let p = refused("[batch]\nj = \"next\"\n\n\"ctl-x\" = \"decline\"\n", 4);
        assert_eq!(p.col, Some(1));
        assert!(p.message.contains("unknown key name \"ctl-x\""), "{p}");
        assert!(
            p.message.contains("did you mean the prefix \"ctrl-\""),
            "{p}"
        );
    }

    #[test]
    fn two_actions_on_one_key_are_refused() {
        let p = refused(
            "[batch]\nJ = \"next\"\nx = \"decline\"\n\"shift-j\" = \"prev\"\n",
            4,
        );
        assert!(p.message.contains("same key as \"J\" on line 2"), "{p}");
        assert!(p.message.contains("\"next\""), "{p}");
        // Plain TOML duplicates are caught by the TOML parser, still positioned.
        refused("[batch]\nj = \"next\"\nj = \"prev\"\n", 3);
    }

    #[test]
    fn two_spellings_of_one_key_are_refused_even_for_one_action() {
        let p = refused("[batch]\nJ = \"next\"\n\"shift-j\" = \"next\"\n", 3);
        assert_eq!(
            p.message,
            "\"shift-j\" is the same key as \"J\" on line 2 in [batch]"
        );
        let p = refused("[picker]\n\"shift-tab\" = \"up\"\n\n backtab = \"up\"\n", 4);
        assert_eq!(p.col, Some(2));
        assert!(
            p.message.contains("same key as \"shift-tab\" on line 2"),
            "{p}"
        );
        refused("[batch]\ndown = \"next\"\nDown = \"next\"\n", 3);
    }

    #[test]
    fn non_string_values_are_refused() {
        let p = refused("[batch]\nj = 1\n", 2);
        assert_eq!(p.col, Some(5));
        assert!(p.message.contains("must be a string"), "{p}");
        refused("[batch]\nj = [\"next\"]\n", 2);
        let p = refused("[batch]\nj = \"next\"\nctrl.x = \"prev\"\n", 3);
        assert!(p.message.contains("quote key names"), "{p}");
        let p = refused("batch = 3\n", 1);
        assert!(p.message.contains("must be a table"), "{p}");
    }

    #[test]
    fn plain_characters_are_refused_where_typing_goes_to_text() {
        let p = refused("[picker]\nenter = \"confirm\"\nj = \"down\"\n", 3);
        assert!(p.message.contains("typing goes into the filter"), "{p}");
        refused("[note]\nq = \"cancel\"\n", 2);
        refused("[search]\n\n\"?\" = \"cancel\"\n", 3);
        refused("[search]\nG = \"down\"\n", 2);
        // space is the picker's one exception, not the note's
        assert!(parse("[picker]\nspace = \"toggle\"\n").is_ok());
        refused("[note]\nspace = \"newline\"\n", 2);
        // ctrl- and alt- keys are fine
        assert!(parse("[note]\n\"ctrl-j\" = \"down\"\n\"alt-x\" = \"cancel\"\n").is_ok());
        // and plain characters are fine where nothing is typed
        assert!(parse("[help]\nq = \"cancel\"\n").is_ok());
    }

    #[test]
    fn toml_syntax_errors_are_positioned() {
        let p = refused("[batch]\nj = \"next\"\nk = \"prev\n", 3);
        assert!(!p.message.is_empty());
    }

    #[test]
    fn inline_and_dotted_tables_are_accepted() {
        let km = match parse("batch = { j = \"next\" }\nglobal.\"ctrl-q\" = \"quit\"\n") {
            Ok(k) => k,
            Err(p) => panic!("{p}"),
        };
        assert_eq!(km.action(Mode::Batch, &key("j")), Some(Action::Next));
        assert_eq!(km.action(Mode::Batch, &key("ctrl-q")), Some(Action::Quit));
    }

    #[test]
    fn overrides_replace_an_actions_keys_and_steal_keys() {
        let km = Keymap::builtin();
        assert_eq!(
            km.keys_for(Mode::Batch, Action::Next),
            vec![key("j"), key("down")]
        );
        let km = match km.with_overrides(
            "[batch]\nl = \"next\"\n# steal k from prev\nk = \"approve\"\n",
            Path::new("user.toml"),
        ) {
            Ok(k) => k,
            Err(p) => panic!("{p}"),
        };
        // next: its default keys are gone, l is new
        assert_eq!(km.keys_for(Mode::Batch, Action::Next), vec![key("l")]);
        assert_eq!(km.action(Mode::Batch, &key("j")), None);
        assert_eq!(km.action(Mode::Batch, &key("down")), None);
        // approve: replaced by k (a is free now)
        assert_eq!(km.keys_for(Mode::Batch, Action::Approve), vec![key("k")]);
        assert_eq!(km.action(Mode::Batch, &key("a")), None);
        // prev keeps its other key
        assert_eq!(km.keys_for(Mode::Batch, Action::Prev), vec![key("up")]);
        // other tables untouched
        assert_eq!(km.action(Mode::Help, &key("k")), Some(Action::Up));
        assert_eq!(
            km.hint(Mode::Batch, Action::Next).as_deref(),
            Some("l next")
        );
    }

    #[test]
    fn overrides_are_checked_as_strictly_as_the_default() {
        let p = match Keymap::builtin()
            .with_overrides("[batch]\nj = \"nxet\"\n", Path::new("user.toml"))
        {
            Ok(_) => panic!("accepted"),
            Err(p) => p,
        };
        assert_eq!(p.path, Path::new("user.toml"));
        assert_eq!(p.line, Some(2));
        assert!(p.message.contains("did you mean \"next\""), "{p}");
    }

    #[test]
    fn load_lays_the_config_file_then_the_given_file_over_the_default() {
        let dir = match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let config = dir.path().join("config.toml");
        let user = dir.path().join("user.toml");
        let missing = dir.path().join("missing.toml");
        let write = |p: &Path, t: &str| {
            if let Err(e) = std::fs::write(p, t) {
                panic!("{e}")
            }
        };
        write(&config, "[batch]\nl = \"next\"\nm = \"prev\"\n");
        write(&user, "[batch]\n\"ctrl-n\" = \"next\"\n");
        let km = match Keymap::load_from(Some(&config), Some(&user)) {
            Ok(k) => k,
            Err(p) => panic!("{p}"),
        };
        assert_eq!(km.keys_for(Mode::Batch, Action::Next), vec![key("ctrl-n")]);
        assert_eq!(km.keys_for(Mode::Batch, Action::Prev), vec![key("m")]);
        // a missing config file is fine, a missing --keymap file is not
        assert!(Keymap::load_from(Some(&missing), None).is_ok());
        let p = match Keymap::load_from(None, Some(&missing)) {
            Ok(_) => panic!("accepted a missing file"),
            Err(p) => p,
        };
        assert_eq!(p.path, missing);
        // errors name the file they are in
        write(&config, "[batch]\n\nl = \"nope\"\n");
        let p = match Keymap::load_from(Some(&config), Some(&user)) {
            Ok(_) => panic!("accepted"),
            Err(p) => p,
        };
        assert_eq!((p.path.as_path(), p.line), (config.as_path(), Some(3)));
    }

    #[test]
    fn global_keys_apply_after_the_modes_own() {
        let km = Keymap::builtin();
        let ctrl_c = key("ctrl-c");
        for mode in Mode::ALL {
            assert_eq!(km.action(mode, &ctrl_c), Some(Action::Quit), "{mode}");
        }
        // "?" is help in the batch view, closes the help overlay (its own table)...
        assert_eq!(km.action(Mode::Batch, &key("?")), Some(Action::Help));
        assert_eq!(km.action(Mode::Help, &key("?")), Some(Action::Cancel));
        assert_eq!(km.action(Mode::Stats, &key("?")), Some(Action::Help));
        // ...and is typed in the note, the search query and the picker filter.
        for mode in [Mode::Note, Mode::Search, Mode::Picker] {
            assert_eq!(km.action(mode, &key("?")), None, "{mode}");
            assert_eq!(km.action(mode, &key("f1")), Some(Action::Help), "{mode}");
        }
        // a mode's own binding shadows the global one
        let km = match parse("[global]\n\"ctrl-x\" = \"quit\"\n[picker]\n\"ctrl-x\" = \"remove\"\n")
        {
            Ok(k) => k,
            Err(p) => panic!("{p}"),
        };
        assert_eq!(
            km.action(Mode::Picker, &key("ctrl-x")),
            Some(Action::Remove)
        );
        assert_eq!(km.action(Mode::Note, &key("ctrl-x")), Some(Action::Quit));
        assert_eq!(km.keys_for(Mode::Picker, Action::Quit), vec![]);
        assert_eq!(km.keys_for(Mode::Note, Action::Quit), vec![key("ctrl-x")]);
        // a global plain key is not typed-through where nothing is typed
        let km = match parse("[global]\nz = \"quit\"\n") {
            Ok(k) => k,
            Err(p) => panic!("{p}"),
        };
        assert_eq!(km.action(Mode::Batch, &key("z")), Some(Action::Quit));
        assert_eq!(km.action(Mode::Search, &key("z")), None);
    }

    #[test]
    fn hints_and_help_come_from_the_active_keys() {
        let km = Keymap::builtin();
        assert_eq!(
            km.hint(Mode::Batch, Action::Approve).as_deref(),
            Some("a approve")
        );
        assert_eq!(
            km.hint(Mode::Batch, Action::Next).as_deref(),
            Some("j/↓ next")
        );
        assert_eq!(
            km.hint(Mode::Batch, Action::Help).as_deref(),
            Some("?/f1 help")
        );
        assert_eq!(km.hint(Mode::Picker, Action::Approve), None);
        assert_eq!(
            km.keys_for(Mode::Batch, Action::Quit),
            vec![key("q"), key("ctrl-c")]
        );
        let help = km.bindings();
        let modes: Vec<Mode> = help.iter().map(|(m, _)| *m).collect();
        assert_eq!(modes, Mode::ALL.to_vec());
        let batch = help
            .iter()
            .find(|(m, _)| *m == Mode::Batch)
            .map(|(_, b)| b.clone())
            .unwrap_or_default();
        assert_eq!(batch.first().map(|(a, _)| *a), Some(Action::Quit));
        assert!(batch.contains(&(Action::Last, vec![key("G"), key("end")])));
    }

    #[test]
    fn action_and_mode_names_round_trip() {
        for a in Action::ALL {
            assert_eq!(a.name().parse::<Action>(), Ok(a));
            assert_eq!(a.to_string(), a.name());
            assert!(!a.description().is_empty() && !a.label().is_empty());
            let json = serde_json::to_string(&a).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", a.name()));
        }
        assert_eq!(Action::NextUndecided.name(), "next_undecided");
        assert_eq!(
            Action::NextUndecided.description(),
            "next undecided submission"
        );
        assert!("nope".parse::<Action>().is_err());
        for m in Mode::ALL {
            assert_eq!(m.name().parse::<Mode>(), Ok(m));
        }
        // ALL really is all: names are distinct
        let names: HashSet<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        assert_eq!(names.len(), Action::ALL.len());
    }

    #[test]
    fn edit_distance_works() {
        assert_eq!(edit_distance("nxt", "next"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            suggest("aprove", Action::ALL.map(Action::name)),
            Some("approve")
        );
        assert_eq!(suggest("zzzzzz", Action::ALL.map(Action::name)), None);
    }

    fn any_code() -> impl Strategy<Value = KeyCode> {
        prop_oneof![
            any::<char>()
                .prop_filter("nameable", |c| !c.is_control()
                    && (!c.is_whitespace() || *c == ' '))
                .prop_map(KeyCode::Char),
            proptest::char::range('a', 'z').prop_map(KeyCode::Char),
            proptest::char::range('A', 'Z').prop_map(KeyCode::Char),
            proptest::sample::select(vec!['-', '?', '/', '[', ']', ' ', '.', '"', '#'])
                .prop_map(KeyCode::Char),
            (1..=MAX_F).prop_map(KeyCode::F),
            proptest::sample::select(NAMED.iter().map(|(_, c)| *c).collect::<Vec<_>>()),
        ]
    }

    proptest! {
        #[test]
        fn display_parses_back_to_the_same_key(code in any_code(), bits in 0u8..64) {
            let mods = MODIFIERS
                .iter()
                .enumerate()
                .filter(|(i, _)| bits & (1 << i) != 0)
                .fold(KeyModifiers::NONE, |all, (_, (_, m))| all | *m);
            let k = Key::new(code, mods);
            let shown = k.to_string();
            let back: Result<Key, _> = shown.parse();
            prop_assert_eq!(back, Ok(k), "{}", shown);
            // normalising is idempotent
            prop_assert_eq!(Key::new(k.code, k.mods), k);
        }

        #[test]
        fn parse_never_panics_on_arbitrary_text(text in any::<String>()) {
            let _ = parse(&text);
            let _ = text.parse::<Key>();
        }

        #[test]
        fn parse_never_panics_on_keymap_like_text(
            lines in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["[global]", "[batch]", "[picker]", "[note]", "[x]", ""]),
                    "[a-zA-Z?/ -]{0,12}",
                    proptest::sample::select(vec!["\"next\"", "\"toggle\"", "1", "\"cancel\"", "{}", "\"nxt\""]),
                ),
                0..12,
            )
        ) {
            let text: String = lines
                .iter()
                .map(|(t, k, v)| format!("{t}\n{k:?} = {v}\n"))
                .collect();
            if let Ok(km) = parse(&text) {
                // whatever parsed is consistent
                for (mode, actions) in km.bindings() {
                    for (action, keys) in actions {
                        prop_assert!(mode.allows(action));
                        for k in keys {
                            prop_assert_eq!(km.action(mode, &k), Some(action));
                        }
                    }
                }
            }
            let _ = Keymap::builtin().with_overrides(&text, Path::new("u.toml"));
        }
    }
}
