//! Untrusted text as plain text: one-line fields, notes, and the excerpt of
//! a Markdown or plain-text body.

use crate::sanitize::is_unsafe;

/// About how many words of the body the excerpt keeps.
const EXCERPT_WORDS: usize = 60;
/// A sentence end this far into the excerpt is a better place to cut than a
/// word end; an earlier one would leave the excerpt too short.
const EXCERPT_MIN_SENTENCE_WORDS: usize = 30;
/// An upper bound whatever the words: a body may hold one enormous "word".
const EXCERPT_MAX_CHARS: usize = 600;

/// One line of untrusted text as plain text: control, bidi and zero-width
/// characters dropped, runs of white space (line breaks too) made one space.
pub(super) fn clean_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        let word: String = word.chars().filter(|c| !is_unsafe(*c)).collect();
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
    }
    out
}

pub(super) fn opt_line(s: Option<&str>) -> Option<String> {
    s.map(clean_line).filter(|s| !s.is_empty())
}

/// A multi-line text (a note): line breaks kept (as `\n`), each line cleaned
/// as by [`clean_line`] but keeping its inner spacing, blank lines at either
/// end dropped.
pub(super) fn clean_text(s: &str) -> String {
    let lines: Vec<String> = s
        .split('\n')
        .map(|l| {
            l.chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .filter(|c| !is_unsafe(*c))
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect();
    lines.join("\n").trim_matches('\n').trim().to_string()
}

/// About the first [`EXCERPT_WORDS`] words of a body as plain text: cut at the
/// last sentence end if that keeps enough, else at a word end; `…` marks a cut.
pub fn excerpt(body: &str) -> String {
    let text = plain_text(body);
    let words: Vec<&str> = text.split_whitespace().collect();
    let head: Vec<&str> = words.iter().take(EXCERPT_WORDS).copied().collect();
    let cut_words = words.len() > head.len();
    let mut out = if cut_words {
        let sentence_end = (EXCERPT_MIN_SENTENCE_WORDS.saturating_sub(1)..head.len())
            .rev()
            .find(|&i| {
                head.get(i).is_some_and(|w| ends_sentence(w))
                    && words.get(i + 1).is_some_and(|n| starts_sentence(n))
            });
        match sentence_end {
            Some(i) => format!(
                "{} …",
                head.iter()
                    .take(i + 1)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            None => format!("{}…", trim_trailing_punctuation(&head.join(" "))),
        }
    } else {
        head.join(" ")
    };
    if out.chars().count() > EXCERPT_MAX_CHARS {
        let limit: String = out.chars().take(EXCERPT_MAX_CHARS).collect();
        let cut = match limit.rfind(' ') {
            Some(i) if i > EXCERPT_MAX_CHARS / 2 => limit.get(..i).unwrap_or(&limit).to_string(),
            _ => limit,
        };
        out = format!("{}…", trim_trailing_punctuation(&cut));
    }
    out
}

fn ends_sentence(word: &str) -> bool {
    let w = word.trim_end_matches(['"', '\'', '”', '’', ')', ']']);
    w.ends_with(['.', '!', '?']) && !w.ends_with("...") && w.chars().count() > 1
}

fn starts_sentence(word: &str) -> bool {
    word.trim_start_matches(['"', '\'', '“', '‘', '('])
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

fn trim_trailing_punctuation(s: &str) -> &str {
    s.trim_end_matches([
        ',', ';', ':', '-', '–', '—', ' ', '(', '"', '“', '\'', '‘', '…',
    ])
}

/// The prose of a Markdown or plain-text body: headings, rules, code blocks,
/// tables' rules and link definitions left out; list and quote markers,
/// emphasis, links (their text kept) and HTML tags stripped.
fn plain_text(body: &str) -> String {
    let mut kept: Vec<String> = Vec::new();
    let mut fence: Option<&str> = None;
    let mut prev_blank = true;
    for raw in body.lines() {
        let line = raw.trim();
        if let Some(f) = fence {
            if line.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if line.starts_with("```") {
            fence = Some("```");
            continue;
        }
        if line.starts_with("~~~") {
            fence = Some("~~~");
            continue;
        }
        if line.is_empty() {
            prev_blank = true;
            continue;
        }
        // setext heading: the line above was its text
        if !prev_blank
            && line.len() >= 2
            && (line.chars().all(|c| c == '=') || line.chars().all(|c| c == '-'))
        {
            kept.pop();
            prev_blank = true;
            continue;
        }
        prev_blank = false;
        if line.starts_with('#') || is_rule(line) || is_link_definition(line) {
            continue;
        }
        if line.starts_with("<!--") {
            continue;
        }
        let mut line = strip_block_markers(line);
        if line.starts_with('|') {
            if line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
                continue;
            }
            line = line.replace('|', " ");
        }
        let text = strip_inline(&line);
        if !text.trim().is_empty() {
            kept.push(text);
        }
    }
    clean_line(&kept.join(" "))
}

fn is_rule(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && ["*", "-", "_"]
            .iter()
            .any(|m| compact.chars().all(|c| c.to_string() == *m))
}

/// `[id]: https://...`
fn is_link_definition(line: &str) -> bool {
    line.starts_with('[')
        && line
            .find("]:")
            .and_then(|i| line.get(1..i))
            .is_some_and(|id| !id.contains(']'))
}

/// Strips quote markers and list bullets (`-`, `*`, `+`, `•`, `1.`, `1)`,
/// `[ ]`) from the start of a line.
fn strip_block_markers(line: &str) -> String {
    let mut s = line.trim_start();
    loop {
        let before = s.len();
        if let Some(r) = s.strip_prefix('>') {
            s = r.trim_start();
        }
        for bullet in ["- ", "* ", "+ ", "• ", "◦ ", "▪ ", "– "] {
            if let Some(r) = s.strip_prefix(bullet) {
                s = r.trim_start();
            }
        }
        let digits = s.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && digits < 10 {
            let rest = s.get(digits..).unwrap_or("");
            if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
                s = r.trim_start();
            }
        }
        for task in ["[ ] ", "[x] ", "[X] "] {
            if let Some(r) = s.strip_prefix(task) {
                s = r.trim_start();
            }
        }
        if s.len() == before {
            return s.to_string();
        }
    }
}

/// Strips inline Markdown: `[text](url)` and `![alt](url)` keep their text,
/// `<https://...>` its address; tags, footnote marks, `*`, `` ` ``, `~~` and
/// emphasis underscores go; `\*` becomes `*`.
fn strip_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let next = chars.get(i + 1).copied();
        match c {
            '\\' if next.is_some_and(|n| n.is_ascii_punctuation()) => {
                if let Some(n) = next {
                    out.push(n);
                }
                i += 2;
            }
            '!' if next == Some('[') => match link_at(&chars, i + 1) {
                Some((text, end)) => {
                    out.push_str(&strip_inline(&text));
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            '[' => match link_at(&chars, i) {
                Some((text, end)) => {
                    if !text.starts_with('^') {
                        out.push_str(&strip_inline(&text));
                    }
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            '<' => {
                let close = chars
                    .iter()
                    .skip(i + 1)
                    .position(|&x| x == '>')
                    .map(|p| p + i + 1);
                match close {
                    Some(end) => {
                        let inner: String =
                            chars.get(i + 1..end).unwrap_or_default().iter().collect();
                        let is_address =
                            !inner.contains(' ') && (inner.contains("://") || inner.contains('@'));
                        let is_tag = inner
                            .chars()
                            .next()
                            .is_some_and(|f| f.is_ascii_alphabetic() || f == '/' || f == '!');
                        if is_address {
                            out.push_str(inner.trim_start_matches("mailto:"));
                            i = end + 1;
                        } else if is_tag {
                            out.push(' ');
                            i = end + 1;
                        } else {
                            out.push(c);
                            i += 1;
                        }
                    }
                    None => {
                        out.push(c);
                        i += 1;
                    }
                }
            }
            '*' | '`' => i += 1,
            '~' if next == Some('~') => i += 2,
            '_' => {
                let prev_word = i > 0 && chars.get(i - 1).is_some_and(|p| p.is_alphanumeric());
                let next_word = next.is_some_and(char::is_alphanumeric);
                if prev_word && next_word {
                    out.push(c);
                }
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// A link or image starting at `chars[start] == '['`: `[text](url)`,
/// `[text][ref]`, `[text][]` or a footnote mark `[^1]`. Returns its text and
/// the index after it.
fn link_at(chars: &[char], start: usize) -> Option<(String, usize)> {
    let close = chars
        .iter()
        .skip(start + 1)
        .position(|&c| c == ']' || c == '[')
        .map(|p| p + start + 1)?;
    if chars.get(close) != Some(&']') {
        return None;
    }
    let text: String = chars.get(start + 1..close)?.iter().collect();
    if text.starts_with('^') {
        return Some((text, close + 1));
    }
    let shut = match chars.get(close + 1) {
        Some('(') => ')',
        Some('[') => ']',
        _ => return None,
    };
    let end = chars
        .iter()
        .skip(close + 2)
        .position(|&c| c == shut)
        .map(|p| p + close + 2)?;
    Some((text, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_bodies_are_whole() {
        assert_eq!(
            excerpt("One short paragraph.\n\nAnd another."),
            "One short paragraph. And another."
        );
        assert_eq!(excerpt(""), "");
    }

    #[test]
    fn long_bodies_cut_at_a_sentence_end() {
        let first: String = (1..=40)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let body = format!(
            "{first}. Then the second sentence goes on and on {}",
            "and on ".repeat(30)
        );
        let e = excerpt(&body);
        assert_eq!(e, format!("{first}. …"));
    }

    #[test]
    fn long_bodies_without_an_early_sentence_end_cut_at_a_word() {
        let body = format!("Short. {}", "word, ".repeat(100));
        let e = excerpt(&body);
        assert!(e.ends_with("word…"), "{e}");
        assert_eq!(e.split_whitespace().count(), EXCERPT_WORDS);
    }

    #[test]
    fn one_enormous_word_is_bounded() {
        let e = excerpt(&"x".repeat(100_000));
        assert_eq!(e.chars().count(), EXCERPT_MAX_CHARS + 1);
        assert!(e.ends_with('…'));
    }

    #[test]
    fn markdown_is_stripped_from_the_excerpt() {
        let body = "# Heading\n\nSome *bold* and _emphasised_ text with a [link](https://x.org) \
                    and ![an image](i.png).\n\n- a bullet\n1. a number\n> quoted `code`\n\n\
                    ```\nfn hidden() {}\n```\n\nSetext\n------\n\nsnake_case <b>tag</b> <https://a.b> \\*lit\\* [^1]\n\n[1]: https://def";
        assert_eq!(
            excerpt(body),
            "Some bold and emphasised text with a link and an image. a bullet a number quoted code \
             snake_case tag https://a.b *lit*"
        );
    }

    #[test]
    fn control_characters_are_removed() {
        assert_eq!(clean_line("a\x1b[31mb\u{202e}c\n d\t"), "a[31mbc d");
        assert_eq!(
            clean_text("line one\r\n\x07line two\n\n"),
            "line one\nline two"
        );
        assert_eq!(excerpt("evil\x1b]0;x\x07 text"), "evil]0;x text");
    }
}
