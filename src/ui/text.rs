//! Measuring, cutting and wrapping text that is already clean (see
//! [`crate::sanitize`]); styled lines are wrapped here rather than by
//! `Paragraph` so that pane heights and scroll limits are known exactly.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::sanitize;

/// Display width of a string in terminal columns.
pub fn width(s: &str) -> usize {
    Span::raw(s).width()
}

fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    width(c.encode_utf8(&mut buf))
}

/// `s` cut to at most `max` columns, ending in "…" when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if w + cw > max - 1 {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// Spans of untrusted `text` with the characters at `matches` (character
/// indices into `text`) in `hl`. Each character is cleaned on its own so the
/// indices still line up with what the matcher saw.
pub fn highlighted(text: &str, matches: &[usize], base: Style, hl: Style) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut run = String::new();
    let mut run_hl = false;
    let mut buf = [0u8; 4];
    for (i, c) in text.chars().enumerate() {
        let is_hl = matches.contains(&i);
        if is_hl != run_hl && !run.is_empty() {
            let style = if run_hl { hl } else { base };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_hl = is_hl;
        run.push_str(&sanitize::clean(c.encode_utf8(&mut buf)));
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_hl { hl } else { base }));
    }
    spans
}

/// One piece of a line being wrapped: a word or a run of spaces, in one style.
struct Atom<'a> {
    text: &'a str,
    width: usize,
    style: Style,
    space: bool,
}

/// Word-wraps a styled line to `width` columns. Continuation lines start with
/// `indent` spaces (a hanging indent under a field's label); words longer
/// than a line are broken. Adjacent text in one style shares a span, so a
/// long paragraph costs a few allocations a line, not one a word.
pub fn wrap(line: &Line<'_>, width: usize, indent: usize) -> Vec<Line<'static>> {
    let width = width.max(1);
    let indent = if indent * 2 > width { 0 } else { indent };
    let base = line.style;
    let atoms = atoms(line);
    let mut out: Vec<Line<'static>> = Vec::new();
    let mut cur: Vec<Span<'static>> = Vec::new();
    let mut cur_w = 0;
    // where text starts on the line being built: 0, then `indent`
    let mut start_w = 0;
    let mut i = 0;
    while let Some(atom) = atoms.get(i) {
        if atom.space {
            // spaces at the start of a continuation line are dropped
            if cur_w != start_w || out.is_empty() {
                push(&mut cur, atom.text, atom.style);
                cur_w += atom.width;
            }
            i += 1;
            continue;
        }
        // a word is every adjacent non-space atom, whatever their styles
        let mut j = i;
        let mut word_w = 0;
        while let Some(a) = atoms.get(j).filter(|a| !a.space) {
            word_w += a.width;
            j += 1;
        }
        if cur_w + word_w > width && cur_w > start_w {
            finish(&mut out, &mut cur, base);
            cur.push(Span::raw(" ".repeat(indent)));
            cur_w = indent;
            start_w = indent;
        }
        for a in atoms.get(i..j).unwrap_or_default() {
            if cur_w + a.width <= width {
                push(&mut cur, a.text, a.style);
                cur_w += a.width;
                continue;
            }
            // longer than a whole line: break it wherever it runs out
            let mut piece = String::new();
            for c in a.text.chars() {
                let cw = char_width(c);
                if cur_w + cw > width && cur_w > start_w {
                    if !piece.is_empty() {
                        push(&mut cur, &std::mem::take(&mut piece), a.style);
                    }
                    finish(&mut out, &mut cur, base);
                    cur.push(Span::raw(" ".repeat(indent)));
                    cur_w = indent;
                    start_w = indent;
                }
                piece.push(c);
                cur_w += cw;
            }
            if !piece.is_empty() {
                push(&mut cur, &piece, a.style);
            }
        }
        i = j;
    }
    if !cur.is_empty() || out.is_empty() {
        finish(&mut out, &mut cur, base);
    }
    out
}

/// Adds `text` to the line being built, to its last span when the style is
/// the same.
fn push(cur: &mut Vec<Span<'static>>, text: &str, style: Style) {
    match cur.last_mut() {
        Some(last) if last.style == style => last.content.to_mut().push_str(text),
        _ => cur.push(Span::styled(text.to_owned(), style)),
    }
}

/// Ends the line being built, without its trailing spaces.
fn finish(out: &mut Vec<Line<'static>>, cur: &mut Vec<Span<'static>>, base: Style) {
    while let Some(last) = cur.last_mut() {
        let kept = last.content.trim_end().len();
        if kept == last.content.len() {
            break;
        }
        if kept == 0 {
            if cur.len() > 1 {
                cur.pop();
                continue;
            }
            break;
        }
        last.content.to_mut().truncate(kept);
        break;
    }
    out.push(Line::from(std::mem::take(cur)).style(base));
}

fn atoms<'a>(line: &'a Line<'_>) -> Vec<Atom<'a>> {
    let mut out = Vec::new();
    for span in &line.spans {
        let style = span.style;
        let text: &str = &span.content;
        let mut start = 0;
        let mut run_space = false;
        for (at, c) in text.char_indices() {
            let space = c == ' ';
            if space != run_space && at > start {
                out.push(atom(&text[start..at], style, run_space));
                start = at;
            }
            run_space = space;
        }
        if start < text.len() {
            out.push(atom(&text[start..], style, run_space));
        }
    }
    out
}

fn atom(text: &str, style: Style, space: bool) -> Atom<'_> {
    let width = if text.is_ascii() {
        text.len()
    } else {
        width(text)
    };
    Atom {
        text,
        width,
        style,
        space,
    }
}

/// The plain text of a line, for tests.
#[cfg(test)]
fn plain(line: &Line<'_>) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(s: &str, w: usize, indent: usize) -> Vec<String> {
        wrap(&Line::raw(s), w, indent).iter().map(plain).collect()
    }

    #[test]
    fn truncates_with_ellipsis() {
        assert_eq!(truncate("Community food hubs", 9), "Communit…");
        assert_eq!(truncate("short", 9), "short");
        assert_eq!(truncate("東京東京", 5), "東京…");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn wraps_words_with_hanging_indent() {
        assert_eq!(
            wrapped(
                "Principles Co-production, Innovation, Walking the talk",
                30,
                11
            ),
            vec![
                "Principles Co-production,",
                "           Innovation, Walking",
                "           the talk",
            ]
        );
        assert_eq!(wrapped("one two three", 7, 0), vec!["one two", "three"]);
        assert_eq!(wrapped("abcdefghij", 4, 0), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrapped("", 4, 0), vec![""]);
        assert_eq!(wrapped("  indented text", 40, 0), vec!["  indented text"]);
    }

    #[test]
    fn wrapped_lines_fit() {
        let text = "Label      a fairly long value that will need wrapping over several lines, \
                    with a veryveryverylongwordthatdoesnotfit in it";
        for w in [10, 17, 23, 40] {
            for l in wrap(&Line::raw(text), w, 11) {
                assert!(l.width() <= w, "{w}: {:?}", plain(&l));
            }
        }
    }

    #[test]
    fn highlights_keep_char_indices() {
        let spans = highlighted("a\u{1b}bc", &[2], Style::new(), Style::new().bold());
        let texts: Vec<&str> = spans.iter().map(|s| s.content.as_ref()).collect();
        assert_eq!(texts, vec!["a␛", "b", "c"]);
    }
}
