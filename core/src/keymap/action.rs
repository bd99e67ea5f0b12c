//! The vocabulary: every [`Action`] that changes the model and the [`Mode`]s
//! (keymap tables) a key can bind it in.
//!
//! One table, [`actions!`] below, names every bindable action once with its
//! name in keymap files, its help text, its footer label and the tables it
//! may be bound in; the enum, [`Action::ALL`], the names and [`Mode::actions`]
//! are all generated from it; likewise [`modes!`] for the [`Mode`]s.

use std::fmt;
use std::str::FromStr;

/// What the table says about one action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionInfo {
    /// The name used in keymap files (snake_case).
    pub name: &'static str,
    /// A short human phrase for the help overlay.
    pub description: &'static str,
    /// A word or two for footer hints ("approve", "undecided").
    pub label: &'static str,
    /// The tables it may be bound in.
    pub modes: &'static [Mode],
}

/// `Display` and `FromStr` by a type's `name()` over its `ALL`, and the
/// error of a name that names none of them.
macro_rules! named {
    ($ty:ident, $err:ident, $what:literal) => {
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }

        #[doc = concat!("A name that names no ", $what, ".")]
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $err(pub String);

        impl fmt::Display for $err {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "no {} named {:?}", $what, self.0)
            }
        }

        impl std::error::Error for $err {}

        impl FromStr for $ty {
            type Err = $err;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $ty::ALL
                    .into_iter()
                    .find(|x| x.name() == s)
                    .ok_or_else(|| $err(s.to_string()))
            }
        }
    };
}

/// Generates [`Action`] from the table: the bindable variants, then the ones
/// the model receives without a binding (typed and pasted text), which have
/// no row.
macro_rules! actions {
    (
        $( $variant:ident = $name:literal, $description:literal, $label:literal, [$($mode:ident)+]; )+
    ) => {
        /// Everything the officer can ask of the model. Keys become actions
        /// through the keymap ([`super::Keymap::action`]); an unbound plain
        /// character becomes [`Action::Type`]. serde/Display names are
        /// snake_case (e.g. "next_undecided").
        #[derive(
            Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum Action {
            $( $variant, )+
            /// A character typed into the text being edited (a picker's
            /// filter, the note, the search query). Not nameable in keymap files.
            #[serde(skip)]
            Type(char),
            /// Text pasted in one piece (bracketed paste): typed where text
            /// is typed, never run as keys. Not nameable in keymap files.
            #[serde(skip)]
            Paste(String),
        }

        impl Action {
            /// Every action a keymap file can name, in table order.
            pub const ALL: [Action; [$($name),+].len()] = [$(Action::$variant),+];

            /// The action's row in the table; `None` for the actions no key
            /// is bound to. The match is exhaustive: a variant added outside
            /// the table does not compile without an answer here.
            pub const fn info(&self) -> Option<ActionInfo> {
                match self {
                    $( Action::$variant => Some(ActionInfo {
                        name: $name,
                        description: $description,
                        label: $label,
                        modes: &[$(Mode::$mode),+],
                    }), )+
                    Action::Type(_) | Action::Paste(_) => None,
                }
            }
        }
    };
}

actions! {
    // name in keymap files, help text, footer label, [tables]
    Quit = "quit", "quit casetag", "quit", [Global Batch];
    Help = "help", "show or hide this help", "help", [Global Batch Reader];
    Next = "next", "next submission", "next", [Batch];
    Prev = "prev", "previous submission", "prev", [Batch];
    First = "first", "first submission", "first", [Batch];
    Last = "last", "last submission", "last", [Batch];
    Top = "top", "to the top", "top", [Picker Reader Help Stats];
    Bottom = "bottom", "to the end", "end", [Picker Reader Help Stats];
    NextUndecided = "next_undecided", "next undecided submission", "undecided", [Batch];
    PageDown = "page_down", "one page down", "page down", [Batch Picker Reader Help Stats];
    PageUp = "page_up", "one page up", "page up", [Batch Picker Reader Help Stats];
    PageBodyDown = "page_body_down", "the submission's text one page down", "text down", [Batch];
    PageBodyUp = "page_body_up", "the submission's text one page up", "text up", [Batch];
    ScrollBodyDown = "scroll_body_down", "the submission's text one line down", "line down",
        [Batch];
    ScrollBodyUp = "scroll_body_up", "the submission's text one line up", "line up", [Batch];
    Read = "read", "read the submission in full", "read", [Batch Reader];
    Find = "find", "find in the text", "find", [Reader];
    FindNext = "find_next", "next match of the find", "next match", [Reader];
    FindPrev = "find_prev", "previous match of the find", "prev match", [Reader];
    PickCategories = "pick_categories", "choose the categories", "categories", [Batch Reader];
    PickPrinciples = "pick_principles", "choose the principles", "principles", [Batch Reader];
    PickValues = "pick_values", "choose and rank the values", "values", [Batch Reader];
    Approve = "approve", "approve the submission", "approve", [Batch Reader];
    NeedsInfo = "needs_info", "ask for more information", "needs info", [Batch Reader];
    Decline = "decline", "decline the submission", "decline", [Batch Reader];
    ClearDecision = "clear_decision", "clear the decision", "undecide", [Batch Reader];
    EditNote = "edit_note", "edit the note", "note", [Batch Reader];
    CorrectFields = "correct_fields", "correct the title, lead, members, year or programme as read", "correct", [Batch Reader];
    GuidedTagging = "guided_tagging", "guided tagging: category, principles, values, decision",
        "guided", [Batch];
    Undo = "undo", "undo the last change", "undo", [Batch Reader];
    Redo = "redo", "redo the last undone change", "redo", [Batch Reader];
    Search = "search", "search the submissions", "search", [Batch];
    CycleFilter = "cycle_filter", "filter by status (next filter)", "filter", [Batch];
    ClearFilter = "clear_filter", "show all submissions", "no filter", [Batch];
    Stats = "stats", "statistics of the batch", "stats", [Batch];
    Export = "export", "export the batch", "export", [Batch];
    Reload = "reload", "reload the files from disk", "reload", [Batch];
    RetrySave = "retry_save", "retry a failed save", "retry save", [Batch];
    Up = "up", "move up", "up", [Picker Note Search Reader Help Stats];
    Down = "down", "move down", "down", [Picker Note Search Reader Help Stats];
    Toggle = "toggle", "select or deselect", "toggle", [Picker];
    SetPrimary = "set_primary", "make it the primary category", "primary", [Picker];
    RankUp = "rank_up", "move up in the ranking", "rank up", [Picker];
    RankDown = "rank_down", "move down in the ranking", "rank down", [Picker];
    Remove = "remove", "remove from the ranking", "remove", [Picker];
    RankFirst = "rank_first", "put at rank 1 (and clear the filter)", "rank 1", [Picker];
    RankSecond = "rank_second", "put at rank 2 (and clear the filter)", "rank 2", [Picker];
    RankThird = "rank_third", "put at rank 3 (and clear the filter)", "rank 3", [Picker];
    PreviewDown = "preview_down", "scroll the description down", "about ↓", [Picker];
    PreviewUp = "preview_up", "scroll the description up", "about ↑", [Picker];
    Confirm = "confirm", "confirm", "confirm", [Picker Note Search];
    Cancel = "cancel", "cancel or close", "cancel", [Picker Note Search Reader Help Stats];
    ClearQuery = "clear_query", "clear the typed text", "clear", [Picker Search];
    Backspace = "backspace", "delete the character before the cursor", "backspace",
        [Picker Note Search];
    Left = "left", "cursor left", "left", [Note];
    Right = "right", "cursor right", "right", [Note];
    LineStart = "line_start", "start of the line", "line start", [Note];
    LineEnd = "line_end", "end of the line", "line end", [Note];
    DeleteChar = "delete_char", "delete the character under the cursor", "delete", [Note];
    Newline = "newline", "new line", "new line", [Note];
}

impl Action {
    /// The name used in keymap files (snake_case); "type" for typed text.
    pub fn name(&self) -> &'static str {
        self.info().map_or("type", |i| i.name)
    }

    /// A short human phrase for the help overlay.
    pub fn description(&self) -> &'static str {
        self.info().map_or("type a character", |i| i.description)
    }

    /// A word or two for footer hints ("approve", "undecided").
    pub fn label(&self) -> &'static str {
        self.info().map_or("type", |i| i.label)
    }

    /// The tables the action may be bound in (none for typed text).
    pub fn modes(&self) -> &'static [Mode] {
        self.info().map_or(&[], |i| i.modes)
    }
}

named!(Action, UnknownAction, "action");

/// Generates [`Mode`] from its table: each mode's name in keymap files and
/// its heading in the help overlay, in the overlay's order.
macro_rules! modes {
    ( $( $variant:ident = $name:literal, $title:literal; )+ ) => {
        /// The contexts (tables) of the keymap.
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize,
            serde::Deserialize,
        )]
        pub enum Mode {
            $( #[serde(rename = $name)] $variant, )+
        }

        impl Mode {
            /// Every mode, in the order of the help overlay.
            pub const ALL: [Mode; [$($name),+].len()] = [$(Mode::$variant),+];

            /// The table name in keymap files.
            pub fn name(self) -> &'static str {
                match self {
                    $( Mode::$variant => $name, )+
                }
            }

            /// A heading for the help overlay.
            pub fn title(self) -> &'static str {
                match self {
                    $( Mode::$variant => $title, )+
                }
            }
        }
    };
}

modes! {
    // name in keymap files, heading in the help overlay
    Global = "global", "Everywhere";
    Batch = "batch", "Batch";
    Picker = "picker", "Pickers";
    Note = "note", "Note editor";
    Search = "search", "Search (also the reader's find)";
    Reader = "reader", "Reader";
    Help = "help", "Help";
    Stats = "stats", "Statistics";
}

impl Mode {
    /// Whether plain characters typed in this mode go into text (a filter, the
    /// note, the search query) rather than to bindings.
    pub fn is_typing(self) -> bool {
        matches!(self, Mode::Picker | Mode::Note | Mode::Search)
    }

    /// The actions that may be bound in this mode's table, in table order.
    pub fn actions(self) -> impl Iterator<Item = Action> {
        Action::ALL.into_iter().filter(move |a| self.allows(a))
    }

    /// Whether `action` may be bound in this mode's table.
    pub fn allows(self, action: &Action) -> bool {
        action.modes().contains(&self)
    }
}

named!(Mode, UnknownMode, "mode");
