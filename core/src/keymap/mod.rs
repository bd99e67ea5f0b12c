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
use std::path::Path;

mod action;
mod key;
mod load;

pub use load::MAX_KEYMAP_BYTES;

pub use action::{Action, Mode, UnknownAction, UnknownMode};
pub use key::{Key, KeyCode, KeyModifiers, ParseKeyError};

use crate::problem::Problem;

/// The default keymap, compiled in.
pub const DEFAULT_KEYMAP: &str = include_str!("../../../keymap.toml");

/// One mode's bindings for the help overlay: each action with its keys.
pub type ModeBindings = (Mode, Vec<(Action, Vec<Key>)>);

/// One mode's bindings.
#[derive(Debug, Clone, Default)]
struct Table {
    /// In file order (an override's bindings after the defaults it left).
    order: Vec<(Key, Action)>,
    map: HashMap<Key, Action>,
}

impl Table {
    fn from_order(order: Vec<(Key, Action)>) -> Table {
        let map = order.iter().cloned().collect();
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
        let tables = load::parse_tables(text, path)?
            .into_iter()
            .map(|(mode, order)| (mode, Table::from_order(order)))
            .collect();
        Ok(Keymap { tables })
    }

    /// The default with the user's file laid over it: for every action the override names in a
    /// table, that action's default keys in that table are replaced by the override's keys; a key
    /// the override binds is taken away from any other default action in that table.
    pub fn with_overrides(mut self, text: &str, path: &Path) -> Result<Keymap, Problem> {
        for (mode, order) in load::parse_tables(text, path)? {
            let table = self.tables.entry(mode).or_default();
            let actions: HashSet<Action> = order.iter().map(|(_, a)| a.clone()).collect();
            let keys: HashSet<Key> = order.iter().map(|(k, _)| *k).collect();
            // An overridden action's new keys take the place of its first
            // default key, so the help keeps the file's order.
            let mut merged = Vec::with_capacity(table.order.len() + order.len());
            let mut placed: HashSet<Action> = HashSet::new();
            for (k, a) in &table.order {
                if actions.contains(a) {
                    if placed.insert(a.clone()) {
                        merged.extend(order.iter().filter(|(_, oa)| oa == a).cloned());
                    }
                } else if !keys.contains(k) {
                    merged.push((*k, a.clone()));
                }
            }
            merged.extend(order.iter().filter(|(_, a)| !placed.contains(a)).cloned());
            *table = Table::from_order(merged);
        }
        Ok(self)
    }

    /// Why this keymap would lock the officer in, if it would: the batch
    /// view must have a key for `quit` and one for `help`, and every other
    /// context a key back out of it (`cancel`; help also closes with `help`).
    /// Checked on the keymap as finally laid together, since one file may
    /// take a key away that another gives back.
    pub fn way_out_problem(&self) -> Option<String> {
        for (action, example) in [(Action::Quit, "q"), (Action::Help, "\"?\"")] {
            if self.keys_for(Mode::Batch, &action).is_empty() {
                return Some(format!(
                    "with this keymap no key does \"{action}\" in the batch view, so the \
                     officer could not {}; bind one under [batch] or [global], e.g. \
                     {example} = \"{action}\"",
                    if action == Action::Quit {
                        "leave casetag"
                    } else {
                        "find the keys"
                    }
                ));
            }
        }
        // every context opened over the batch view
        for mode in Mode::ALL
            .into_iter()
            .filter(|m| !matches!(m, Mode::Global | Mode::Batch))
        {
            let closes = !self.keys_for(mode, &Action::Cancel).is_empty()
                || (mode == Mode::Help && !self.keys_for(mode, &Action::Help).is_empty());
            if !closes {
                return Some(format!(
                    "with this keymap no key does \"cancel\" in [{}], so it could not be \
                     left once open; bind one there, e.g. esc = \"cancel\"",
                    mode.name()
                ));
            }
        }
        None
    }

    fn own(&self, mode: Mode, key: &Key) -> Option<Action> {
        self.tables.get(&mode)?.map.get(key).cloned()
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
    pub fn keys_for(&self, mode: Mode, action: &Action) -> Vec<Key> {
        let mut keys: Vec<Key> = self
            .tables
            .get(&mode)
            .map(|t| {
                t.order
                    .iter()
                    .filter(|(_, a)| a == action)
                    .map(|(k, _)| *k)
                    .collect()
            })
            .unwrap_or_default();
        if mode != Mode::Global
            && let Some(global) = self.tables.get(&Mode::Global)
        {
            for (k, a) in &global.order {
                if a == action && !keys.contains(k) && self.action(mode, k).as_ref() == Some(action)
                {
                    keys.push(*k);
                }
            }
        }
        keys
    }

    /// A short hint like "a approve" or "j/↓ next" from the first one or two
    /// active keys, for footers; `None` when nothing triggers the action.
    pub fn hint(&self, mode: Mode, action: Action) -> Option<String> {
        let keys = self.keys_for(mode, &action);
        if keys.is_empty() {
            return None;
        }
        let labels: Vec<String> = keys.iter().take(2).map(Key::label).collect();
        Some(format!("{} {}", labels.join("/"), action.label()))
    }

    /// Every binding, grouped by mode in [`Mode::ALL`] order, actions in the
    /// order of their first key in the file (an override's in the place of the
    /// keys it replaced), keys in file order; modes without bindings left out.
    pub fn bindings(&self) -> Vec<ModeBindings> {
        Mode::ALL
            .into_iter()
            .filter_map(|mode| {
                let table = self.tables.get(&mode)?;
                let mut actions: Vec<(Action, Vec<Key>)> = Vec::new();
                for (key, action) in &table.order {
                    match actions.iter_mut().find(|(a, _)| a == action) {
                        Some((_, keys)) => keys.push(*key),
                        None => actions.push((action.clone(), vec![*key])),
                    }
                }
                (!actions.is_empty()).then_some((mode, actions))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
