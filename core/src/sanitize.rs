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

/// Zero-width and other invisible formatting characters that hide text or
/// change how the line around them is laid out. The soft hyphen (U+00AD) is
/// deliberately not among them: it is common in pasted text and harmless.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{180E}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{2060}'..='\u{2064}'
            | '\u{206A}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

/// Whether `c` may not reach the terminal as it is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_invisible_format(c)
}

/// One line of untrusted text, made displayable: newlines and tabs become
/// spaces, control characters become visible stand-ins (`␛`, `␇`, `\x9b`,
/// `<U+202E>`). Text that needs nothing is returned as it is.
pub fn clean(s: &str) -> String {
    if !s.chars().any(is_unsafe) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' | '\t' => out.push(' '),
            // a Windows line end is one break, not a break and a stray CR
            '\r' if chars.peek() == Some(&'\n') => {}
            _ => push_visible(&mut out, c),
        }
    }
    out
}

/// A multi-line text (a submission's body, a note), made displayable line by
/// line: tabs are expanded to spaces and each line is cleaned as by [`clean`].
pub fn clean_lines(s: &str) -> Vec<String> {
    s.split('\n')
        .map(|line| {
            let line = line.strip_suffix('\r').unwrap_or(line);
            if !line.chars().any(is_unsafe) {
                return line.to_string();
            }
            let mut out = String::with_capacity(line.len() + 8);
            // counted in characters: close enough for aligning pasted text
            let mut col = 0;
            for c in line.chars() {
                if c == '\t' {
                    let n = TAB_WIDTH - col % TAB_WIDTH;
                    out.extend(std::iter::repeat_n(' ', n));
                    col += n;
                } else {
                    let before = out.len();
                    push_visible(&mut out, c);
                    col += out[before..].chars().count();
                }
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
    push_clean_text(&mut out, s);
    out
}

fn push_clean_text(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.find(|c: char| c != '\n' && is_unsafe(c)) {
        let (safe, tail) = rest.split_at(i);
        out.push_str(safe);
        let mut chars = tail.chars();
        if let Some(c) = chars.next()
            && !(c == '\r' && chars.as_str().starts_with('\n'))
        {
            push_visible(out, c);
        }
        rest = chars.as_str();
    }
    out.push_str(rest);
}

/// JSON text (as serde_json writes it) made safe to print, still the same
/// data: every character that may not reach the terminal and that serde_json
/// leaves raw inside strings (DEL, C1 controls, bidi and invisible format
/// characters) becomes its `\uXXXX` escape. Outside strings, serde_json
/// writes only printable text, spaces and newlines, which are kept.
pub fn escape_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if c != '\n' && is_unsafe(c) {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{u:04x}");
            }
        } else {
            out.push(c);
        }
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
}

impl<W: std::io::Write> CleanWriter<W> {
    pub fn new(inner: W) -> Self {
        CleanWriter {
            inner,
            pending: Vec::new(),
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
                    push_clean_text(&mut out, s);
                    break;
                }
                Err(e) => {
                    let (good, bad) = rest.split_at(e.valid_up_to());
                    push_clean_text(&mut out, std::str::from_utf8(good).unwrap_or_default());
                    match e.error_len() {
                        Some(n) => {
                            for b in bad.iter().take(n) {
                                let _ = write!(out, "\\x{b:02x}");
                            }
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

/// Pushes `c`, or its visible stand-in when it may not reach the terminal.
fn push_visible(out: &mut String, c: char) {
    let code = u32::from(c);
    match code {
        // C0 controls: their Control Pictures (U+2400 + code); ESC is '␛'
        0x00..=0x1F => out.push(char::from_u32(0x2400 + code).unwrap_or('\u{FFFD}')),
        0x7F => out.push('\u{2421}'),
        // C1 controls (0x9b is a one-byte CSI on some terminals)
        0x80..=0x9F => {
            let _ = write!(out, "\\x{code:02x}");
        }
        _ if is_bidi_control(c) || is_invisible_format(c) => {
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

    fn any_text() -> impl Strategy<Value = String> {
        let interesting = prop_oneof![
            any::<char>(),
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
            prop_assert!(!out.chars().any(is_unsafe), "{out:?}");
            for line in clean_lines(&s) {
                prop_assert!(!line.chars().any(is_unsafe), "{line:?}");
            }
        }

        #[test]
        fn text_and_json_are_always_safe(s in any_text()) {
            let text = clean_text(&s);
            prop_assert!(!text.chars().any(|c| c != '\n' && is_unsafe(c)), "{text:?}");
            let json = escape_json(&serde_json::to_string(&s).unwrap_or_default());
            prop_assert!(!json.chars().any(is_unsafe), "{json:?}");
            let back: String = serde_json::from_str(&json).unwrap_or_default();
            prop_assert_eq!(back, s);
        }

        #[test]
        fn safe_text_passes_through(s in "[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]*") {
            prop_assert_eq!(clean(&s), s);
        }
    }
}
