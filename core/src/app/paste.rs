//! Pasted text: one event carrying text, never a stream of keys. A newline in
//! a paste confirms nothing and an escape byte in it is no key.

use super::{App, Overlay};
use crate::keymap::Action;

/// The most characters one paste inserts; the rest is left out, and said so.
pub const MAX_PASTE_CHARS: usize = 100_000;

/// Tabs become this many spaces in the note (the screen cannot show a tab).
const TAB: &str = "    ";

impl App {
    /// Inserts pasted text where the officer is typing: into the note (lines
    /// and tabs kept, tabs as spaces), the search or a picker's filter (on one
    /// line). In the batch view and elsewhere a paste does nothing but say so.
    /// Control characters never act: line breaks and tabs are kept as above,
    /// every other one is dropped.
    /// What [`Action::Paste`] does.
    pub(super) fn paste(&mut self, text: &str) {
        let total = text.chars().count();
        let text: String = text.chars().take(MAX_PASTE_CHARS).collect();
        let cut = total > MAX_PASTE_CHARS;
        match &mut self.overlay {
            Overlay::Note { editor, .. } | Overlay::Correct { editor, .. } => {
                for c in for_note(&text).chars() {
                    if c == '\n' {
                        editor.newline();
                    } else {
                        editor.insert(c);
                    }
                }
            }
            Overlay::Search => {
                let outcome = self.search.paste(&text);
                self.after_search(outcome);
            }
            Overlay::Picker { .. } => {
                for c in one_line(&text).chars() {
                    self.apply_picker(Action::Type(c));
                }
            }
            _ => {
                self.info(
                    "paste ignored: pasted text goes into the note, the search or a picker's filter",
                );
                return;
            }
        }
        if cut {
            self.error(format!(
                "paste cut to its first {MAX_PASTE_CHARS} characters (it had {total})"
            ));
        }
    }
}

/// Line breaks (`\r\n`, `\r`, `\n`) as `\n`, tabs as spaces, every other
/// control character (an escape byte, a bell, C1 controls) removed.
fn for_note(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\n' => out.push('\n'),
            '\t' => out.push_str(TAB),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// The text on one line: line breaks and tabs as single spaces (a run of
/// them as one), other control characters removed.
pub(super) fn one_line(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' | '\n' | '\t' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_keeps_lines_and_tabs_and_drops_other_controls() {
        assert_eq!(for_note("a\r\nb\rc\nd"), "a\nb\nc\nd");
        assert_eq!(for_note("a\tb"), "a    b");
        assert_eq!(for_note("x\u{1b}[2Jy\u{7}\u{9b}z"), "x[2Jyz");
    }

    #[test]
    fn a_filter_gets_one_line() {
        assert_eq!(one_line("preston\nx"), "preston x");
        assert_eq!(one_line("a\r\n\tb\u{1b}"), "a b");
    }
}
