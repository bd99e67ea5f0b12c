//! Choosing a submission's title when it does not state one.

use std::path::Path;

use super::lines::{
    Line, content, field, is_about_heading, is_meaningful, is_principles_heading, markdown_heading,
};
use super::principles::Recogniser;

/// A line longer than this is a paragraph, not a title.
pub(crate) const MAX_TITLE_CHARS: usize = 90;
/// A paragraph's first sentence shorter than this is too short to be a title
/// ("Dr." or "Covid-19.").
const MIN_SENTENCE_CHARS: usize = 15;
/// Where a paragraph is cut when its first sentence is too long.
pub(crate) const CUT_CHARS: usize = 70;

/// The title found in `lines[start..]`: for Markdown, the first level-1
/// heading; otherwise the first meaningful line that is not a bullet, a header
/// field, a "Principles met"/"About the project" heading or a principle
/// statement (a bullet when there is nothing else), shortened by [`shorten`].
pub(crate) fn from_lines(
    lines: &[Line<'_>],
    start: usize,
    markdown: bool,
    rec: &Recogniser,
) -> Option<String> {
    found_in_lines(lines, start, markdown, rec).map(|(t, _)| t)
}

/// As [`from_lines`], with whether the title is made up: taken from a
/// paragraph (its first sentence, or its start cut short) rather than a
/// line that reads as a title.
pub(crate) fn found_in_lines(
    lines: &[Line<'_>],
    start: usize,
    markdown: bool,
    rec: &Recogniser,
) -> Option<(String, bool)> {
    let made_up = |t: &str| {
        t.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .count()
            > MAX_TITLE_CHARS
    };
    let visible = || {
        let mut in_fence = false;
        lines.iter().skip(start).filter(move |l| {
            let t = l.text.trim_start();
            if markdown && (t.starts_with("```") || t.starts_with("~~~")) {
                in_fence = !in_fence;
                return false;
            }
            !(markdown && in_fence)
        })
    };
    if markdown
        && let Some(t) = visible()
            .filter_map(|l| markdown_heading(l.text))
            .filter(|(level, t)| *level == 1 && is_meaningful(t))
            .map(|(_, t)| clean(t))
            .find(|t| !t.is_empty())
    {
        return Some((shorten(&t), made_up(&t)));
    }
    let mut first_bullet = None;
    for l in visible() {
        if !is_meaningful(l.text)
            || field(l.text, false).is_some()
            || is_principles_heading(l.text)
            || is_about_heading(l.text)
        {
            continue;
        }
        let text = match markdown_heading(l.text) {
            Some((_, t)) if markdown => t,
            _ => {
                let c = content(l.text);
                if c.bulleted {
                    if first_bullet.is_none() && is_meaningful(c.text) {
                        first_bullet = Some(c.text);
                    }
                    continue;
                }
                c.text
            }
        };
        if markdown && (text.starts_with('<') || text.starts_with('|') || text.starts_with("![")) {
            continue;
        }
        let text = clean(text);
        if !is_meaningful(&text) || !rec.recognise(&text).is_empty() {
            continue;
        }
        return Some((shorten(&text), made_up(&text)));
    }
    first_bullet.map(|t| {
        let t = clean(t);
        (shorten(&t), made_up(&t))
    })
}

/// One line of text without surrounding emphasis marks.
fn clean(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let stripped = one_line.trim_matches(|c: char| c == '*' || c == '_').trim();
    if is_meaningful(stripped) {
        stripped.to_string()
    } else {
        one_line
    }
}

/// The most characters of a title a document names as such (a headline,
/// a subject, a page's title) kept whole: longer, it is [`shorten`]ed.
pub(crate) const MAX_HEADLINE_CHARS: usize = 200;

/// A title the document names as one (its headline, subject or `<title>`):
/// whole, on one line, unless it is longer than [`MAX_HEADLINE_CHARS`],
/// when it is [`shorten`]ed as a paragraph would be.
pub(crate) fn headline(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= MAX_HEADLINE_CHARS {
        text
    } else {
        shorten(&text)
    }
}

/// A title from a line: the line itself when short; for a paragraph, its first
/// sentence when short enough, else its start cut at a word boundary near
/// [`CUT_CHARS`] characters, with "…".
pub(crate) fn shorten(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= MAX_TITLE_CHARS {
        return without_full_stop(&text).to_string();
    }
    if let Some(sentence) = first_sentence(&text) {
        let n = sentence.chars().count();
        if (MIN_SENTENCE_CHARS..=MAX_TITLE_CHARS).contains(&n) {
            return without_full_stop(sentence).to_string();
        }
    }
    let head: String = text.chars().take(CUT_CHARS + 1).collect();
    let cut = match head.rfind(char::is_whitespace) {
        Some(i)
            if head
                .get(..i)
                .is_some_and(|h| h.chars().count() >= CUT_CHARS / 2) =>
        {
            head.get(..i).unwrap_or(&head).to_string()
        }
        _ => text.chars().take(CUT_CHARS).collect(),
    };
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:-–—(/&".contains(c));
    format!("{cut}…")
}

/// `text` without one final full stop ("Hubs." gives "Hubs", "Hubs..." stays).
fn without_full_stop(text: &str) -> &str {
    match text.strip_suffix('.') {
        Some(t) if !t.ends_with('.') && is_meaningful(t) => t,
        _ => text,
    }
}

/// The text up to and including the first ".", "!" or "?" followed by a space.
fn first_sentence(text: &str) -> Option<&str> {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if matches!(c, '.' | '!' | '?') && chars.peek().is_some_and(|(_, n)| n.is_whitespace()) {
            return text.get(..i + c.len_utf8());
        }
    }
    None
}

/// A title from the file name: its stem, hyphens and underscores as spaces,
/// first letter capitalised ("oldham-food_hubs.md" gives "Oldham food hubs").
pub(crate) fn from_file_name(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let spaced = stem.replace(['-', '_'], " ");
    let words = spaced.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => "Untitled".to_string(),
    }
}
