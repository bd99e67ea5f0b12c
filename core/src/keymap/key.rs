//! casetag's own keys: what the keymap binds and what the model receives,
//! their names in keymap files (parsing and `Display`) and their normalisation.
//!
//! The shell converts the terminal library's key events into these, so the
//! core never depends on a terminal crate.

use std::fmt;
use std::str::FromStr;

use crate::text::typo::suggest;

/// A key on the keyboard, without its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCode {
    Backspace,
    Enter,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    PageUp,
    PageDown,
    Tab,
    BackTab,
    Delete,
    Insert,
    /// A function key, `F(1)` to `F(24)` in keymap files.
    F(u8),
    Char(char),
    Esc,
    /// A key casetag has no name for (media keys, lone modifiers, ...): never
    /// bound, shown for diagnostics only.
    Other,
}

bitflags::bitflags! {
    /// The modifiers held with a key.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
    pub struct KeyModifiers: u8 {
        const SHIFT = 0b0000_0001;
        const CONTROL = 0b0000_0010;
        const ALT = 0b0000_0100;
        const SUPER = 0b0000_1000;
        const HYPER = 0b0001_0000;
        const META = 0b0010_0000;
    }
}

impl KeyModifiers {
    /// No modifier.
    pub const NONE: KeyModifiers = KeyModifiers::empty();
}

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
pub(super) const MODIFIERS: [(&str, KeyModifiers); 6] = [
    ("ctrl", KeyModifiers::CONTROL),
    ("alt", KeyModifiers::ALT),
    ("shift", KeyModifiers::SHIFT),
    ("super", KeyModifiers::SUPER),
    ("hyper", KeyModifiers::HYPER),
    ("meta", KeyModifiers::META),
];

/// Named keys: (name, code). The first name of a code is its canonical spelling.
pub(super) const NAMED: [(&str, KeyCode); 24] = [
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
pub(super) const MAX_F: u8 = 24;

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
