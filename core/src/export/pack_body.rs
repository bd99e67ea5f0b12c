//! A case study's whole text as Markdown for the printed pack.
//!
//! A Markdown body is read with `pulldown-cmark` and written out again from
//! its events, so that only the Markdown casetag understands reaches pandoc:
//! paragraphs, headings (moved below the case study's own heading), lists,
//! quotes, emphasis, strong, strike-through, inline code, fenced code, rules
//! and links to `http`, `https` and `mailto` addresses. Everything else is
//! written as escaped text that renders literally: raw HTML (blocks and
//! inline), pandoc's raw blocks and attributes, images (their alt text, so
//! pandoc never reads a file named by a submission), link targets of any
//! other scheme. A plain-text body (a press release, a pasted page, a Word
//! document, an e-mail) is written as escaped paragraphs, its line breaks
//! within a paragraph kept.
//!
//! Control, bidi and zero-width characters are removed throughout.

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::pack::{escape_block_start, escape_inline, md_inline};
use crate::sanitize::is_unsafe;

/// The deepest heading level Markdown has.
const MAX_LEVEL: usize = 6;

/// `body` as pack Markdown, its headings at `below + 1` and deeper (a
/// first-level heading of the body becomes `below + 1`), `title` (the case
/// study's own heading) left out when the body opens with it. Ends without a
/// trailing newline; empty when the body holds no text.
pub fn pack_body(body: &str, is_markdown: bool, below: usize, title: &str) -> String {
    let body = without_unsafe(body);
    let mut w = if is_markdown {
        markdown(&body, below)
    } else {
        plain(&body)
    };
    w.drop_opening_title(title);
    w.finish()
}

/// `s` with control, bidi and zero-width characters removed, tabs as
/// spaces and line ends as `\n`.
fn without_unsafe(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' | '\r' => Some(' '),
            c if is_unsafe(c) => None,
            c => Some(c),
        })
        .collect()
}

/// A plain-text body: paragraphs as the reader makes them (lines broken by
/// hand joined again, list-like and indented lines kept on lines of their
/// own), each line escaped.
fn plain(body: &str) -> Writer {
    let mut w = Writer::default();
    let mut para: Vec<String> = Vec::new();
    for line in crate::reader::plain_text(body) {
        let text = line.text();
        let text = text.trim();
        if text.is_empty() {
            w.paragraph(&para);
            para.clear();
        } else {
            para.push(md_inline(text));
        }
    }
    w.paragraph(&para);
    w
}

fn markdown(body: &str, below: usize) -> Writer {
    let mut w = Writer {
        below,
        ..Writer::default()
    };
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    for event in Parser::new_ext(body, options) {
        w.event(event);
    }
    w.flush();
    w
}

/// One open container: a block quote, or a list item (its marker, written on
/// its first line, and the indent of its later lines).
#[derive(Debug)]
enum Container {
    Quote,
    /// `loose` once a paragraph opened in it: its blocks are apart by blank
    /// lines; a tight item's inner list follows its text directly.
    Item {
        marker: String,
        used: bool,
        loose: bool,
    },
}

use crate::text::markdown::Table;

/// What a link or image is waiting for at its end.
#[derive(Debug)]
enum Span {
    /// A link to a safe address, its text starting at this byte of the
    /// inline buffer.
    Link {
        at: usize,
        url: String,
    },
    /// A link whose address is not written (its text is).
    Text,
    Image,
}

#[derive(Debug, Default)]
struct Writer {
    out: String,
    below: usize,
    containers: Vec<Container>,
    /// One entry per open list: the next number (`None` for bullets) and
    /// how many items it has had.
    lists: Vec<(Option<u64>, usize)>,
    /// The text of the block being read, already Markdown; hard breaks as `\n`.
    inline: String,
    heading: Option<usize>,
    /// The text of a code or HTML block being read, as it is.
    raw: Option<Raw>,
    spans: Vec<Span>,
    /// The plain text of the opening heading, when the text opens with one
    /// (to leave it out when it repeats the title).
    first_heading: Option<String>,
    heading_text: String,
    /// A quote has just opened: its first block needs no blank line.
    just_opened: bool,
    table: Option<Table>,
}

#[derive(Debug)]
enum Raw {
    Fenced { lang: String, text: String },
    Indented(String),
    Html(String),
}

impl Writer {
    /// The prefix of the next line written: `> ` for each quote, the marker
    /// of an item on its first line and spaces as wide on the others.
    fn prefix(&mut self, blank: bool) -> String {
        let mut p = String::new();
        for c in &mut self.containers {
            match c {
                Container::Quote => p.push_str("> "),
                Container::Item { marker, used, .. } => {
                    if *used || blank {
                        p.push_str(&" ".repeat(marker.chars().count()));
                    } else {
                        p.push_str(marker);
                        *used = true;
                    }
                }
            }
        }
        if blank {
            p.truncate(p.trim_end().len());
        }
        p
    }

    /// Whether the next block is the first of a list item (it goes on the
    /// marker's line, with no blank line before it).
    fn at_item_start(&self) -> bool {
        matches!(
            self.containers.last(),
            Some(Container::Item { used: false, .. })
        )
    }

    /// Writes one block of lines, a blank line before it unless it opens the
    /// text or a list item.
    fn block(&mut self, lines: &[String]) {
        if lines.is_empty() {
            return;
        }
        if !self.just_opened {
            self.separate();
        }
        self.just_opened = false;
        for line in lines {
            let p = self.prefix(false);
            self.out.push_str(&p);
            self.out.push_str(line);
            self.out.push('\n');
        }
    }

    /// A blank line before what comes next, unless it opens the text or a
    /// list item.
    fn separate(&mut self) {
        // the items of a loose list are apart too
        let loose_next_item = matches!(
            self.containers.last(),
            Some(Container::Item {
                used: false,
                loose: true,
                ..
            })
        ) && self.lists.last().is_some_and(|(_, items)| *items > 1);
        if !self.out.is_empty() && (!self.at_item_start() || loose_next_item) {
            let p = self.prefix(true);
            self.out.push_str(&p);
            self.out.push('\n');
        }
    }

    /// A paragraph of escaped lines: each line's start escaped, the lines
    /// joined by hard breaks.
    fn paragraph(&mut self, lines: &[String]) {
        let lines: Vec<String> = lines
            .iter()
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .map(escape_block_start)
            .collect();
        let n = lines.len();
        let lines: Vec<String> = lines
            .into_iter()
            .enumerate()
            .map(|(i, l)| if i + 1 < n { format!("{l}\\") } else { l })
            .collect();
        self.block(&lines);
    }

    /// Writes the inline text read so far as a paragraph.
    fn flush(&mut self) {
        if self.inline.trim().is_empty() {
            self.inline.clear();
            return;
        }
        let text = std::mem::take(&mut self.inline);
        let lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        self.paragraph(&lines);
    }

    fn push_text(&mut self, s: &str) {
        if self.heading.is_some() {
            self.heading_text.push_str(s);
        }
        self.inline.push_str(&escape_inline(s));
    }

    fn event(&mut self, event: Event<'_>) {
        if self.raw.is_some() {
            match &event {
                Event::Text(t) | Event::Html(t) => {
                    if let Some(Raw::Fenced { text, .. } | Raw::Indented(text) | Raw::Html(text)) =
                        &mut self.raw
                    {
                        text.push_str(t);
                    }
                    return;
                }
                Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) => {}
                _ => return,
            }
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.push_text(&t),
            // in a table cell a code span's `|` would end the cell: text
            Event::Code(t) if self.table.is_some() => self.push_text(&t),
            Event::Code(t) => {
                if self.heading.is_some() {
                    self.heading_text.push_str(&t);
                }
                self.inline.push_str(&code_span(&t));
            }
            // raw HTML is text, shown as written
            Event::InlineHtml(t) | Event::Html(t) => self.push_text(&t),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.push_text(&t),
            Event::FootnoteReference(t) => self.push_text(&format!("[{t}]")),
            Event::SoftBreak => self.push_text(" "),
            Event::HardBreak => {
                if self.heading.is_some() {
                    self.push_text(" ");
                } else {
                    self.inline.push('\n');
                }
            }
            Event::Rule => {
                self.flush();
                self.block(&["* * *".to_string()]);
            }
            Event::TaskListMarker(done) => self.push_text(if done { "[x] " } else { "[ ] " }),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                self.flush();
                if let Some(Container::Item { loose, .. }) = self.containers.last_mut() {
                    *loose = true;
                }
            }
            Tag::Table(aligns) => {
                self.flush();
                self.table = Some(Table::new(aligns));
            }
            Tag::TableCell => self.inline.clear(),
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(heading_number(level));
                self.heading_text.clear();
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.separate();
                self.just_opened = !self.at_item_start();
                self.containers.push(Container::Quote);
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                self.raw = Some(match kind {
                    CodeBlockKind::Fenced(info) => Raw::Fenced {
                        lang: safe_language(&info),
                        text: String::new(),
                    },
                    CodeBlockKind::Indented => Raw::Indented(String::new()),
                });
            }
            Tag::HtmlBlock => {
                self.flush();
                self.raw = Some(Raw::Html(String::new()));
            }
            Tag::List(start) => {
                self.flush();
                // a tight item's inner list goes on the line after its text
                let tight_inner = matches!(
                    self.containers.last(),
                    Some(Container::Item {
                        used: true,
                        loose: false,
                        ..
                    })
                );
                if !tight_inner {
                    self.separate();
                }
                self.just_opened = !self.at_item_start();
                self.lists.push((start, 0));
            }
            Tag::Item => {
                self.flush();
                let marker = match self.lists.last_mut() {
                    Some((Some(n), items)) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        *items += 1;
                        m
                    }
                    Some((None, items)) => {
                        *items += 1;
                        "- ".to_string()
                    }
                    None => "- ".to_string(),
                };
                self.containers.push(Container::Item {
                    marker,
                    used: false,
                    loose: false,
                });
            }
            Tag::Emphasis => self.inline.push('*'),
            Tag::Strong => self.inline.push_str("**"),
            Tag::Strikethrough => self.inline.push_str("~~"),
            Tag::Link { dest_url, .. } => {
                let span = match safe_url(&dest_url) {
                    Some(url) if self.heading.is_none() => {
                        self.inline.push('[');
                        Span::Link {
                            at: self.inline.len(),
                            url,
                        }
                    }
                    _ => Span::Text,
                };
                self.spans.push(span);
            }
            Tag::Image { .. } => {
                self.push_text("[image: ");
                self.spans.push(Span::Image);
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.flush(),
            TagEnd::TableCell | TagEnd::TableHead | TagEnd::TableRow => {
                let cell = std::mem::take(&mut self.inline);
                if let Some(t) = &mut self.table {
                    t.end(tag, &cell);
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.write_table(&t);
                }
            }
            TagEnd::Heading(_) => {
                let level = self.heading.take().unwrap_or(1);
                let text = std::mem::take(&mut self.inline);
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                if text.is_empty() {
                    return;
                }
                let depth = (self.below + level).min(MAX_LEVEL);
                if self.out.is_empty() && self.containers.is_empty() {
                    let plain = std::mem::take(&mut self.heading_text);
                    self.first_heading = Some(plain);
                }
                self.block(&[format!("{} {text}", "#".repeat(depth))]);
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.containers.pop();
            }
            TagEnd::CodeBlock | TagEnd::HtmlBlock => match self.raw.take() {
                Some(Raw::Fenced { lang, text }) => self.fenced(&lang, &text),
                Some(Raw::Indented(text)) => {
                    // in a submission, nearly always an indented paragraph
                    for para in text.split("\n\n") {
                        self.push_text(&para.split_whitespace().collect::<Vec<_>>().join(" "));
                        self.flush();
                    }
                }
                Some(Raw::Html(text)) => {
                    let lines: Vec<String> = text.lines().map(md_inline).collect();
                    self.paragraph(&lines);
                }
                None => {}
            },
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::Item => {
                self.flush();
                self.containers.pop();
            }
            TagEnd::Emphasis => self.inline.push('*'),
            TagEnd::Strong => self.inline.push_str("**"),
            TagEnd::Strikethrough => self.inline.push_str("~~"),
            TagEnd::Link => match self.spans.pop() {
                Some(Span::Link { at, url }) => {
                    if self.inline.len() == at {
                        // no text: the address is the text
                        self.inline.push_str(&md_inline(&url));
                    }
                    self.inline.push_str(&format!("]({url})"));
                }
                Some(Span::Text | Span::Image) | None => {}
            },
            TagEnd::Image => {
                self.spans.pop();
                self.push_text("]");
            }
            _ => {}
        }
    }

    /// A pipe table: the head, the alignment row, the body rows; the cells
    /// are escaped inline Markdown, so a `|` in one is `\|`.
    fn write_table(&mut self, t: &Table) {
        let line = |cells: &[String]| format!("| {} |", cells.join(" | "));
        let mut rows = t.rows.iter();
        let Some(head) = rows.next() else {
            return;
        };
        let mut lines = vec![line(head)];
        let aligns: Vec<String> = t
            .aligns
            .iter()
            .map(|a| {
                match a {
                    Alignment::None => "---",
                    Alignment::Left => ":--",
                    Alignment::Right => "--:",
                    Alignment::Center => ":-:",
                }
                .to_string()
            })
            .collect();
        lines.push(format!("|{}|", aligns.join("|")));
        lines.extend(rows.map(|r| line(r)));
        self.block(&lines);
    }

    /// A fenced code block, its fence longer than any run of backticks in it.
    fn fenced(&mut self, lang: &str, text: &str) {
        let fence = "`".repeat(longest_run(text, '`').max(2) + 1);
        let mut lines = vec![format!("{fence}{lang}")];
        lines.extend(text.trim_end_matches('\n').split('\n').map(str::to_string));
        lines.push(fence);
        self.block(&lines);
    }

    /// Leaves out an opening heading that only repeats the case study's title.
    fn drop_opening_title(&mut self, title: &str) {
        let Some(text) = &self.first_heading else {
            return;
        };
        let same = |a: &str| {
            a.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        if !title.trim().is_empty() && same(text) == same(title) {
            let rest = match self.out.split_once('\n') {
                Some((_, rest)) => rest.trim_start_matches('\n').to_string(),
                None => String::new(),
            };
            self.out = rest;
        }
    }

    fn finish(self) -> String {
        self.out.trim_end().to_string()
    }
}

fn heading_number(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// An inline code span: fenced by more backticks than any run inside it,
/// padded when it starts or ends with one.
fn code_span(code: &str) -> String {
    let code: String = code
        .chars()
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    if code.trim().is_empty() {
        return md_inline(&code);
    }
    let ticks = "`".repeat(longest_run(&code, '`') + 1);
    let pad = if code.starts_with('`') || code.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{ticks}{pad}{code}{pad}{ticks}")
}

fn longest_run(s: &str, c: char) -> usize {
    let mut best = 0;
    let mut run = 0;
    for ch in s.chars() {
        if ch == c {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

/// The first word of a fenced block's info string when it is a plain
/// language name; anything else (pandoc's `{=html}` raw blocks, attributes)
/// is dropped.
fn safe_language(info: &str) -> String {
    let word = info.split_whitespace().next().unwrap_or("");
    let plain = word.len() <= 30
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
        && word.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if plain {
        word.to_string()
    } else {
        String::new()
    }
}

/// A link's address when it is one the pack may print as a link (`http`,
/// `https`, `mailto`), with every character that could end or change the
/// Markdown link percent-encoded.
fn safe_url(url: &str) -> Option<String> {
    let url = url.trim();
    let scheme = url.split_once(':')?.0.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https" | "mailto") {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_alphanumeric() || "-._~:/?#@!$&*+,;=%_".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(body: &str) -> String {
        pack_body(body, true, 3, "")
    }

    #[test]
    fn headings_move_below_the_case_study() {
        assert_eq!(
            md("# One\n\n## Two\n\n### Three\n\n###### Six"),
            "#### One\n\n##### Two\n\n###### Three\n\n###### Six"
        );
        assert_eq!(md("Setext\n======\n\ntext"), "#### Setext\n\ntext");
        // heading attributes and trailing hashes are not carried over
        assert_eq!(md("## Plain ##"), "##### Plain");
    }

    #[test]
    fn an_opening_heading_repeating_the_title_is_left_out() {
        assert_eq!(
            pack_body("# Growing  together\n\nText.", true, 3, "Growing together"),
            "Text."
        );
        assert_eq!(
            pack_body("# Other\n\nText.", true, 3, "Growing together"),
            "#### Other\n\nText."
        );
    }

    #[test]
    fn inline_markdown_is_kept() {
        assert_eq!(
            md("Some *em*, **strong**, ~~gone~~, ``co`de`` and [a link](<https://x.org/a b>)."),
            "Some *em*, **strong**, ~~gone~~, ``co`de`` and [a link](https://x.org/a%20b)."
        );
        // the same word written twice reads back as the same text
        assert_eq!(md("<https://x.org>"), "[https://x.org](https://x.org)");
    }

    #[test]
    fn unsafe_links_and_images_are_text() {
        assert_eq!(md("[click](javascript:alert(1))"), "click");
        assert_eq!(
            md("![a map](/etc/passwd) and [f](file:///x)"),
            "\\[image: a map\\] and f"
        );
        assert_eq!(
            safe_url("https://x.org/)(\"<>"),
            Some("https://x.org/%29%28%22%3C%3E".into())
        );
    }

    #[test]
    fn html_and_raw_blocks_are_escaped_text() {
        assert_eq!(
            md("<div class=\"x\">\n<script>alert(1)</script>\n</div>\n\nAfter <b>bold</b>."),
            "\\<div class=\"x\"\\>\\\n\\<script\\>alert(1)\\</script\\>\\\n\\</div\\>\n\n\
             After \\<b\\>bold\\</b\\>."
        );
        assert_eq!(md("```{=latex}\n\\input{x}\n```"), "```\n\\input{x}\n```");
        assert_eq!(md("```rust\nfn x() {}\n```"), "```rust\nfn x() {}\n```");
        assert_eq!(md("````\n```\n````"), "````\n```\n````");
    }

    #[test]
    fn lists_and_quotes_nest() {
        assert_eq!(
            md("- one\n- two\n  - inner\n\n3. three\n4. four\n\n> quoted\n>\n> - item"),
            "- one\n- two\n  - inner\n\n3. three\n4. four\n\n> quoted\n>\n> - item"
        );
        // a loose item keeps its blank line before the inner list
        assert_eq!(
            md("- one\n\n  - inner\n\n- two"),
            "- one\n\n  - inner\n\n- two"
        );
    }

    #[test]
    fn tables_are_kept_as_pipe_tables() {
        assert_eq!(
            md(
                "| Ward | Budget | Note |\n|:--|--:|:-:|\n| North | £1,000 | *new* |\n| a \\| b | <b>x</b> | |"
            ),
            "| Ward | Budget | Note |\n|:--|--:|:-:|\n| North | £1,000 | *new* |\n\
             | a \\| b | \\<b\\>x\\</b\\> |  |"
        );
        // inside a list item, and a code span holding a pipe
        assert_eq!(
            md("- costs:\n\n  | a | b |\n  |---|---|\n  | `x\\|y` | 2 |"),
            "- costs:\n\n  | a | b |\n  |---|---|\n  | x\\|y | 2 |"
        );
    }

    #[test]
    fn paragraph_starts_never_open_a_block() {
        // a hard break's next line starts a line of its own
        assert_eq!(md("a  \n\\- b"), "a\\\n\\- b");
        assert_eq!(md("1\\. not a list"), "1\\. not a list");
        assert_eq!(md("    indented\n    lines"), "indented lines");
    }

    #[test]
    fn plain_text_is_escaped_paragraphs() {
        assert_eq!(
            pack_body(
                "First line\ncontinued *here*.\n\n- a\n- b\n\n1. x\n# y",
                false,
                3,
                ""
            ),
            "First line continued \\*here\\*.\n\n\\- a\\\n\\- b\n\n1\\. x\\\n\\# y"
        );
        assert_eq!(
            pack_body("evil\x1b]0;x\x07 text\u{202e}", false, 3, ""),
            "evil\\]0;x text"
        );
        assert_eq!(pack_body("", true, 3, ""), "");
    }
}
