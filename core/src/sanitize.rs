//! The one place where untrusted text (anything read from submission files or
//! records: titles, members, bodies, notes, file names, problem messages)
//! becomes text the terminal may show.
//!
//! The drawing library drops C0 control characters from spans but lets bidi overrides and
//! zero-width characters through, and raw cells pass anything; so nothing read
//! from a file reaches a span without going through [`clean`] or
//! [`clean_lines`]. Every replacement is visible, so the officer sees that the
//! file holds something odd instead of having it silently vanish.

use std::fmt::Write as _;

mod ignorable;

pub use ignorable::DEFAULT_IGNORABLE;

/// Columns between tab stops when a body's tabs are expanded.
const TAB_WIDTH: usize = 4;

/// Bidirectional formatting characters: they reorder the text around them
/// (the "Trojan Source" trick), so they are shown, never applied.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
    )
}

/// Whether `c` is a Default_Ignorable_Code_Point (Unicode's own list, see
/// [`DEFAULT_IGNORABLE`]): characters a renderer draws as nothing, among them
/// the tag characters (U+E0000..U+E0FFF), the Hangul fillers and the
/// combining grapheme joiner.
pub fn is_default_ignorable(c: char) -> bool {
    let code = u32::from(c);
    // nothing below the soft hyphen is default-ignorable: ASCII and Latin-1
    // never reach the search
    if code < 0xAD {
        return false;
    }
    DEFAULT_IGNORABLE
        .binary_search_by(|&(lo, hi)| {
            if hi < code {
                std::cmp::Ordering::Less
            } else if lo > code {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Variation selectors (Unicode's Variation_Selector property: the Mongolian
/// free variation selectors, VS1..VS16 and VS17..VS256). Default-ignorable,
/// but ordinary after a visible character: U+FE0F asks for the emoji form of
/// "❤", and U+E0100.. pick an ideograph's variant. So one directly after a
/// visible character is kept; any other (a run of them, or one at the start
/// or after a space or a control, the way data is smuggled in them) is shown.
pub fn is_variation_selector(c: char) -> bool {
    matches!(
        c,
        '\u{180B}'..='\u{180D}' | '\u{180F}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}'
    )
}

/// Zero-width and other invisible formatting characters that hide text or
/// change how the line around them is laid out: every default-ignorable code
/// point (variation selectors aside, see [`is_variation_selector`]), the line
/// and paragraph separators and the interlinear annotation characters. The
/// soft hyphen (U+00AD) is deliberately not among them, though
/// default-ignorable: it is common in pasted text and harmless.
pub fn is_invisible_format(c: char) -> bool {
    match c {
        '\u{00AD}' => false,
        '\u{2028}' | '\u{2029}' | '\u{FFF9}'..='\u{FFFB}' => true,
        _ => is_default_ignorable(c) && !is_variation_selector(c),
    }
}

/// Whether `c` may not reach the terminal as it is. A variation selector is
/// not unsafe by itself; whether it may stay depends on the character before
/// it (see [`is_variation_selector`]), which the cleaning functions check.
pub fn is_unsafe(c: char) -> bool {
    let code = u32::from(c);
    if code < 0x80 {
        return c.is_ascii_control();
    }
    // below U+034F (the first default-ignorable code point after the soft
    // hyphen, which is kept) only the C1 controls are unsafe
    if code < 0x34F {
        return c.is_control();
    }
    c.is_control() || is_bidi_control(c) || is_invisible_format(c)
}

/// Whether `c`, coming after `prev` (the character before it in the input,
/// if any), must be shown instead of passed: an unsafe character, or a
/// variation selector that does not directly follow a visible character.
fn must_show(prev: Option<char>, c: char) -> bool {
    is_unsafe(c) || (is_variation_selector(c) && !prev.is_some_and(takes_variation))
}

/// Whether a variation selector right after `c` is ordinary text.
fn takes_variation(c: char) -> bool {
    !is_unsafe(c) && !is_variation_selector(c) && !c.is_whitespace()
}

/// Whether `s` may hold something [`must_show`] catches; a quick test so that
/// ordinary text is returned without being rebuilt.
fn needs_cleaning(s: &str) -> bool {
    if s.is_ascii() {
        return s.bytes().any(|b| b < 0x20 || b == 0x7F);
    }
    s.chars().any(|c| is_unsafe(c) || is_variation_selector(c))
}

/// One line of untrusted text, made displayable: newlines and tabs become
/// spaces, control characters become visible stand-ins (`␛`, `␇`, `\x9b`,
/// `<U+202E>`). Text that needs nothing is returned as it is.
pub fn clean(s: &str) -> String {
    if !needs_cleaning(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(' '),
            // a Windows line end is one break, not a break and a stray CR
            '\r' if chars.peek() == Some(&'\n') => {}
            _ => push_visible(&mut out, prev, c),
        }
        prev = Some(c);
    }
    out
}

/// A multi-line text (a submission's body, a note), made displayable line by
/// line: tabs are expanded to spaces and each line is cleaned as by [`clean`].
pub fn clean_lines(s: &str) -> Vec<String> {
    s.split('\n')
        .map(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if !needs_cleaning(line) {
                return line.to_string();
            }
            let mut out = String::with_capacity(line.len() + 8);
            // counted in characters: close enough for aligning pasted text
            let mut col = 0;
            let mut prev = None;
            for c in line.chars() {
                if c == '\t' {
                    let n = TAB_WIDTH - col % TAB_WIDTH;
                    out.extend(std::iter::repeat_n(' ', n));
                    col += n;
                } else {
                    let before = out.len();
                    push_visible(&mut out, prev, c);
                    col += out[before..].chars().count();
                }
                prev = Some(c);
            }
            out
        })
        .collect()
}

/// Text of several lines (a command's report), made displayable: newlines are
/// kept, a CR before a newline is dropped, and every other character that may
/// not reach the terminal (tabs included) becomes its visible stand-in, as by
/// [`clean`]. Text that needs nothing is returned as it is.
pub fn clean_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_clean_text(&mut out, s, None);
    out
}

/// Pushes `s` as by [`clean_text`]; `prev` is the character just before `s`
/// (when `s` continues earlier text), and the last character of `s` is
/// returned for the text that follows.
fn push_clean_text(out: &mut String, s: &str, mut prev: Option<char>) -> Option<char> {
    let mut rest = s;
    loop {
        let mut found = None;
        for (i, c) in rest.char_indices() {
            if c != '\n' && must_show(prev, c) {
                found = Some(i);
                break;
            }
            prev = Some(c);
        }
        let Some(i) = found else { break };
        let (safe, tail) = rest.split_at(i);
        out.push_str(safe);
        let mut chars = tail.chars();
        if let Some(c) = chars.next() {
            if !(c == '\r' && chars.as_str().starts_with('\n')) {
                push_visible(out, prev, c);
            }
            prev = Some(c);
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
    prev
}

/// JSON text (as serde_json writes it) made safe to print, still the same
/// data: every character that may not reach the terminal and that serde_json
/// leaves raw inside strings (DEL, C1 controls, bidi and invisible format
/// characters) becomes its `\uXXXX` escape. Outside strings, serde_json
/// writes only printable text, spaces and newlines, which are kept.
pub fn escape_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut prev = None;
    for c in json.chars() {
        if c != '\n' && must_show(prev, c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{u:04x}");
            }
        } else {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}

/// A writer for reports meant for people: everything written through it
/// reaches the inner writer as by [`clean_text`], so no byte of a file's
/// contents or name can act on the terminal. Bytes that are not UTF-8 are
/// shown as `\xNN`; a character split across two writes is joined first.
pub struct CleanWriter<W: std::io::Write> {
    inner: W,
    /// The start of a character whose remaining bytes have not come yet.
    pending: Vec<u8>,
    /// The last character written, which decides whether a variation
    /// selector at the start of the next write may stay.
    last: Option<char>,
}

impl<W: std::io::Write> CleanWriter<W> {
    pub fn new(inner: W) -> Self {
        CleanWriter {
            inner,
            pending: Vec::new(),
            last: None,
        }
    }

    fn write_pending_as_bytes(&mut self) -> std::io::Result<()> {
        let mut shown = String::new();
        for b in self.pending.drain(..) {
            let _ = write!(shown, "\\x{b:02x}");
        }
        self.inner.write_all(shown.as_bytes())
    }
}

impl<W: std::io::Write> std::io::Write for CleanWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut bytes = std::mem::take(&mut self.pending);
        bytes.extend_from_slice(buf);
        let mut out = String::with_capacity(bytes.len());
        let mut rest = bytes.as_slice();
        loop {
            match std::str::from_utf8(rest) {
                Ok(s) => {
                    self.last = push_clean_text(&mut out, s, self.last);
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    let good = std::str::from_utf8(good).unwrap_or_default();
                    self.last = push_clean_text(&mut out, good, self.last);
                    match e.error_len() {
                        Some(n) => {
                            for b in bad.iter().take(n) {
                                let _ = write!(out, "\\x{b:02x}");
                            }
                            // shown bytes are no base for a variation selector
                            self.last = None;
                            rest = bad.get(n..).unwrap_or_default();
                        }
                        // an incomplete character at the end: wait for the rest
                        None => {
                            self.pending = bad.to_vec();
                            break;
                        }
                    }
                }
            }
        }
        self.inner.write_all(out.as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

impl<W: std::io::Write> Drop for CleanWriter<W> {
    /// A character still incomplete at the end is shown as its bytes.
    fn drop(&mut self) {
        if !self.pending.is_empty() {
            let _ = self.write_pending_as_bytes();
            let _ = self.inner.flush();
        }
    }
}

/// Pushes `c`, or its visible stand-in when it may not reach the terminal
/// after `prev` (see [`must_show`]).
fn push_visible(out: &mut String, prev: Option<char>, c: char) {
    let code = u32::from(c);
    match code {
        // C0 controls: their Control Pictures (U+2400 + code); ESC is '␛'
        0x00..=0x1F => out.push(char::from_u32(0x2400 + code).unwrap_or('\u{FFFD}')),
        0x7F => out.push('\u{2421}'),
        // C1 controls (0x9b is a one-byte CSI on some terminals)
        0x80..=0x9F => {
            let _ = write!(out, "\\x{code:02x}");
        }
        _ if must_show(prev, c) => {
            let _ = write!(out, "<U+{code:04X}>");
        }
        _ => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn plain_text_is_unchanged() {
        for s in [
            "",
            "Community food hubs",
            "Café · 2020 – “quoted” 東京 🚀",
            "soft\u{AD}hyphen",
        ] {
            assert_eq!(clean(s), s);
            assert_eq!(clean_lines(s), vec![s.to_string()]);
        }
    }

    #[test]
    fn escape_sequences_become_inert() {
        assert_eq!(clean("\x1b]0;PWNED\x07title"), "␛]0;PWNED␇title");
        assert_eq!(clean("\x1b[31mred"), "␛[31mred");
        assert_eq!(clean("a\u{7f}b"), "a␡b");
        assert_eq!(clean("\0"), "␀");
    }

    #[test]
    fn c1_controls_are_spelled_out() {
        assert_eq!(clean("a\u{9b}31mb"), "a\\x9b31mb");
        assert_eq!(clean("\u{80}\u{9f}"), "\\x80\\x9f");
    }

    #[test]
    fn bidi_and_zero_width_are_shown() {
        assert_eq!(clean("abc\u{202e}def"), "abc<U+202E>def");
        assert_eq!(clean("a\u{200b}b"), "a<U+200B>b");
        assert_eq!(clean("\u{feff}x"), "<U+FEFF>x");
        assert_eq!(clean("\u{2066}\u{2069}"), "<U+2066><U+2069>");
        assert_eq!(clean("\u{61c}"), "<U+061C>");
    }

    #[test]
    fn single_line_flattens_breaks_and_tabs() {
        assert_eq!(clean("one\ntwo\tthree"), "one two three");
        assert_eq!(clean("one\r\ntwo"), "one two");
        assert_eq!(clean("over\rwrite"), "over␍write");
    }

    #[test]
    fn lines_expand_tabs_and_split() {
        assert_eq!(clean_lines("a\tb\r\n\tc\n"), vec!["a   b", "    c", ""]);
        assert_eq!(clean_lines("\x1b\tx"), vec!["␛   x"]);
        assert_eq!(clean_lines("\u{9b}\tx"), vec!["\\x9b    x"]);
    }

    #[test]
    fn text_keeps_its_lines_and_nothing_else() {
        assert_eq!(clean_text("a\nb\r\nc\n"), "a\nb\nc\n");
        assert_eq!(clean_text("t\tx\ry"), "t␉x␍y");
        assert_eq!(clean_text("\x1b]2;PWNED\x1b\\"), "␛]2;PWNED␛\\");
        assert_eq!(clean_text("\u{9b}2J \u{202e}"), "\\x9b2J <U+202E>");
        assert_eq!(clean_text("plain"), "plain");
    }

    #[test]
    fn json_escapes_what_serde_leaves_raw() {
        let json = serde_json::to_string_pretty(&["\u{1b}]0;x\u{7}", "\u{9b}\u{202e}\u{7f}"])
            .unwrap_or_default();
        let escaped = escape_json(&json);
        assert!(
            !escaped.chars().any(|c| c != '\n' && is_unsafe(c)),
            "{escaped}"
        );
        assert!(escaped.contains("\\u009b\\u202e\\u007f"), "{escaped}");
        let back: Vec<String> = serde_json::from_str(&escaped).unwrap_or_default();
        assert_eq!(back, ["\u{1b}]0;x\u{7}", "\u{9b}\u{202e}\u{7f}"]);
    }

    #[test]
    fn the_writer_cleans_across_writes_and_shows_bad_bytes() {
        use std::io::Write as _;
        let mut got = Vec::new();
        {
            let mut w = CleanWriter::new(&mut got);
            let esc_in_utf8 = "é\u{202e}".as_bytes();
            let _ = w.write_all(&esc_in_utf8[..1]);
            let _ = w.write_all(&esc_in_utf8[1..3]);
            let _ = w.write_all(&esc_in_utf8[3..]);
            let _ = w.write_all(b"\x1b[2J\xff\n\xc3");
        }
        assert_eq!(String::from_utf8_lossy(&got), "é<U+202E>␛[2J\\xff\n\\xc3");
    }

    #[test]
    fn default_ignorable_characters_are_shown() {
        // tag characters hide a whole message in what looks like nothing
        assert_eq!(clean("a\u{E0041}\u{E007F}b"), "a<U+E0041><U+E007F>b");
        assert_eq!(clean("\u{E0000}"), "<U+E0000>");
        assert_eq!(clean("x\u{034F}y"), "x<U+034F>y");
        assert_eq!(
            clean("\u{115F}\u{1160}\u{3164}\u{FFA0}"),
            "<U+115F><U+1160><U+3164><U+FFA0>"
        );
        assert_eq!(clean_text("\u{E0020}\n"), "<U+E0020>\n");
        assert_eq!(clean_lines("\u{3164}"), vec!["<U+3164>"]);
    }

    #[test]
    fn the_table_is_sorted_and_covers_the_reported_characters() {
        assert!(DEFAULT_IGNORABLE.iter().all(|&(lo, hi)| lo <= hi));
        assert!(DEFAULT_IGNORABLE.windows(2).all(|w| w[0].1 + 1 < w[1].0));
        for (lo, hi) in DEFAULT_IGNORABLE.iter().copied() {
            for code in [lo, hi] {
                let c = char::from_u32(code).unwrap_or('a');
                assert!(is_default_ignorable(c), "{code:04X}");
            }
            for code in [lo - 1, hi + 1] {
                let c = char::from_u32(code).unwrap_or('a');
                assert!(!is_default_ignorable(c), "{code:04X}");
            }
        }
        for c in [
            '\u{E0000}',
            '\u{E0041}',
            '\u{E007F}',
            '\u{034F}',
            '\u{115F}',
            '\u{1160}',
        ] {
            assert!(is_unsafe(c), "{c:?}");
        }
        for c in ['\u{3164}', '\u{FFA0}', '\u{17B4}', '\u{1D173}', '\u{FFF0}'] {
            assert!(is_unsafe(c), "{c:?}");
        }
        for c in ['a', '\u{AD}', 'é', '東', '🚀', '\u{FE0F}', '\u{E0100}'] {
            assert!(!is_unsafe(c), "{c:?}");
        }
    }

    #[test]
    fn variation_selectors_stay_only_after_a_visible_character() {
        for s in [
            "\u{2764}\u{FE0F}",
            "葛\u{E0100}",
            "1\u{FE0F}\u{20E3} ok",
            "ᠠ\u{180B}",
        ] {
            assert_eq!(clean(s), s);
            assert_eq!(clean_lines(s), vec![s.to_string()]);
            assert_eq!(clean_text(s), s);
        }
        assert_eq!(clean("\u{FE0F}x"), "<U+FE0F>x");
        assert_eq!(clean("a\u{FE0F}\u{FE0E}"), "a\u{FE0F}<U+FE0E>");
        assert_eq!(clean("a \u{E0100}"), "a <U+E0100>");
        assert_eq!(clean("\u{200B}\u{FE0F}"), "<U+200B><U+FE0F>");
        assert_eq!(clean_lines("\t\u{FE0F}"), vec!["    <U+FE0F>"]);
        assert_eq!(clean_text("a\n\u{FE0F}"), "a\n<U+FE0F>");
        assert_eq!(clean_text("a\u{FE0F}\u{FE0F}"), "a\u{FE0F}<U+FE0F>");
        let json = escape_json("[\"\u{FE0F}\u{FE0F}\"]");
        assert_eq!(json, "[\"\u{FE0F}\\ufe0f\"]");
    }

    #[test]
    fn the_writer_keeps_a_variation_selector_across_writes() {
        use std::io::Write as _;
        let mut got = Vec::new();
        {
            let mut w = CleanWriter::new(&mut got);
            let _ = w.write_all("\u{2764}".as_bytes());
            let _ = w.write_all("\u{FE0F}\u{FE0F}".as_bytes());
            let _ = w.write_all(b"\xff");
            let _ = w.write_all("\u{FE0F}".as_bytes());
        }
        assert_eq!(
            String::from_utf8_lossy(&got),
            "\u{2764}\u{FE0F}<U+FE0F>\\xff<U+FE0F>"
        );
    }

    /// Whether `s` holds nothing that may not reach the terminal: no unsafe
    /// character (newlines aside when `lines`), and every variation selector
    /// right after a visible character.
    fn is_inert(s: &str, lines: bool) -> bool {
        let mut prev = None;
        s.chars().all(|c| {
            let ok = (lines && c == '\n') || !must_show(prev, c);
            prev = Some(c);
            ok
        })
    }

    /// Any default-ignorable character, drawn from Unicode's table.
    fn any_default_ignorable() -> impl Strategy<Value = char> {
        prop::sample::select(DEFAULT_IGNORABLE.to_vec())
            .prop_flat_map(|(lo, hi)| lo..=hi)
            .prop_map(|c| char::from_u32(c).unwrap_or('a'))
    }

    fn any_text() -> impl Strategy<Value = String> {
        let interesting = prop_oneof![
            any::<char>(),
            any_default_ignorable(),
            any_default_ignorable(),
            prop::sample::select(vec!['a', '\u{2764}', '葛', ' ']),
            (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap_or('a')),
            (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).unwrap_or('a')),
            prop::sample::select(vec![
                '\u{061C}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}', '\u{202A}',
                '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2060}', '\u{2066}', '\u{2067}',
                '\u{2068}', '\u{2069}', '\u{FEFF}', '\u{2028}',
            ]),
        ];
        prop::collection::vec(interesting, 0..64).prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #[test]
        fn clean_output_is_always_safe(s in any_text()) {
            let out = clean(&s);
            prop_assert!(is_inert(&out, false), "{out:?}");
            for line in clean_lines(&s) {
                prop_assert!(is_inert(&line, false), "{line:?}");
            }
        }

        #[test]
        fn text_and_json_are_always_safe(s in any_text()) {
            let text = clean_text(&s);
            prop_assert!(is_inert(&text, true), "{text:?}");
            let json = escape_json(&serde_json::to_string(&s).unwrap_or_default());
            prop_assert!(is_inert(&json, false), "{json:?}");
            let back: String = serde_json::from_str(&json).unwrap_or_default();
            prop_assert_eq!(back, s);
        }

        #[test]
        fn safe_text_passes_through(
            s in "[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Default_Ignorable_Code_Point}]*"
        ) {
            prop_assert_eq!(clean(&s), s);
        }
    }
}
