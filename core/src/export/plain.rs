//! Untrusted text as plain text: one-line fields, notes, and the excerpt of
//! a Markdown or plain-text body.

use crate::sanitize::is_unsafe;
use crate::text::markdown;

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

/// About the first `EXCERPT_WORDS` words of a body as plain text: cut at the
/// last sentence end if that keeps enough, else at a word end; `…` marks a cut.
pub fn excerpt(body: &str) -> String {
    let text = clean_line(&markdown::plain_text(body));
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
        let body = "# Heading\n\nSome *bold* text with a [link](https://x.org).\n\n\
                    ```\nfn hidden() {}\n```\n\n- a bullet \u{202e}here";
        assert_eq!(excerpt(body), "Some bold text with a link. a bullet here");
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
