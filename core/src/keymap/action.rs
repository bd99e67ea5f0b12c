//! The vocabulary: every [`Action`] a key can trigger and the [`Mode`]s
//! (keymap tables) they can be bound in.

use std::fmt;
use std::str::FromStr;

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
