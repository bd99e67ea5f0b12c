//! Reading keymap files: the TOML checker that positions every mistake.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use super::{Action, DEFAULT_KEYMAP, Key, KeyCode, Keymap, Mode, ParseKeyError};
use crate::problem::{LineIndex, Problem};
use crate::text::typo::suggest;

/// A table's bindings in file order.
pub(super) type Bindings = Vec<(Key, Action)>;

impl Keymap {
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
        let builtin = Path::new("keymap.toml (built in)");
        let mut keymap = Keymap::parse(DEFAULT_KEYMAP, builtin)?;
        // the file blamed if the result locks the officer in: the last laid
        let mut last = builtin;
        if let Some(path) = config_file
            && let Some(text) = read_keymap(path)?
        {
            keymap = keymap.with_overrides(&text, path)?;
            last = path;
        }
        if let Some(path) = user_file {
            let text = read_keymap(path)?
                .ok_or_else(|| Problem::file(path, "cannot read the keymap: no such file"))?;
            keymap = keymap.with_overrides(&text, path)?;
            last = path;
        }
        match keymap.way_out_problem() {
            Some(why) => Err(Problem::file(last, why)),
            None => Ok(keymap),
        }
    }
}

/// The largest keymap file read: far more than every binding of every
/// context needs, small enough that no file can make loading slow.
pub const MAX_KEYMAP_BYTES: u64 = 256 * 1024;

/// A keymap file's text: `None` when it does not exist. Only a regular file
/// of at most [`MAX_KEYMAP_BYTES`] is read (`--keymap /dev/zero` is refused,
/// not read forever).
fn read_keymap(path: &Path) -> Result<Option<String>, Problem> {
    let bytes = crate::fs::read_regular(path, MAX_KEYMAP_BYTES)
        .map_err(|e| Problem::file(path, format!("cannot read the keymap: {e}")))?;
    bytes
        .map(|b| {
            String::from_utf8(b).map_err(|e| {
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                Problem::at_offset(path, &text, e.utf8_error().valid_up_to(), "not valid UTF-8")
            })
        })
        .transpose()
}

/// Positions problems in one file.
struct Source<'a> {
    path: &'a Path,
    /// Built once: every binding's line is looked up for conflict messages.
    lines: LineIndex<'a>,
}

impl Source<'_> {
    fn at(&self, span: Option<Range<usize>>, msg: impl Into<String>) -> Problem {
        match span {
            Some(span) => {
                let (line, col) = self.lines.line_col(span.start);
                Problem::at(self.path, line, col, msg)
            }
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
pub(super) fn parse_tables(text: &str, path: &Path) -> Result<Vec<(Mode, Bindings)>, Problem> {
    let src = Source {
        path,
        lines: LineIndex::new(text),
    };
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
            let allowed = mode.actions().map(|a| a.name());
            let hint = suggest(action_name, allowed)
                .or_else(|| suggest(action_name, Action::ALL.map(|a| a.name())))
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default();
            src.at(
                value_span.clone(),
                format!("no action named {action_name:?}{hint}"),
            )
        })?;

        if !mode.allows(&action) {
            let allowed: Vec<&str> = mode.actions().map(|a| a.name()).collect();
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

        let line = key_span.as_ref().map_or(0, |s| src.lines.line(s.start));
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
                action: action.clone(),
            },
        );
        order.push((key, action));
    }
    Ok(order)
}
