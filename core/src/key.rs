//! casetag's own keys: what the keymap binds and what the model receives.
//!
//! The shell converts the terminal library's key events into these, so the
//! core never depends on a terminal crate.

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
