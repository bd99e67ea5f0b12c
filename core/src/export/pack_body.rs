//! A case study's text ([`Block`]s) as Markdown for the printed pack.
//!
//! The blocks hold only what the pack carries ([`super::pack_doc`] decided
//! that); here the text is escaped so that it renders literally in pandoc
//! and CommonMark, and laid out: paragraphs (their line breaks as hard
//! breaks), headings, lists and quotes (nested by indent and `> `), fenced
//! code, rules and pipe tables.

use pulldown_cmark::Alignment;

use super::pack::{escape_block_start, escape_inline, md_inline};
use super::pack_doc::{Block, Inline};
#[cfg(test)]
use super::pack_doc::{CASE_LEVEL, body_blocks};

/// `body` as pack Markdown, its headings below the case study's own
/// (`###`), `title` left out when the body opens with it. Ends without a
/// trailing newline; empty when the body holds no text.
#[cfg(test)]
pub fn pack_body(body: &str, is_markdown: bool, below: usize, title: &str) -> String {
    debug_assert_eq!(below, CASE_LEVEL);
    blocks_markdown(&body_blocks(body, is_markdown, title))
}

/// Blocks as pack Markdown, without a trailing newline.
pub(super) fn blocks_markdown(blocks: &[Block]) -> String {
    let mut w = Writer::default();
    w.blocks(blocks, false);
    w.finish()
}

/// Inline text as escaped Markdown; breaks as `\n`.
fn inline_markdown(inline: &[Inline], out: &mut String) {
    for i in inline {
        match i {
            Inline::Text(t) => out.push_str(&escape_inline(t)),
            Inline::Emphasis(c) => {
                out.push('*');
                inline_markdown(c, out);
                out.push('*');
            }
            Inline::Strong(c) => {
                out.push_str("**");
                inline_markdown(c, out);
                out.push_str("**");
            }
            Inline::Strikethrough(c) => {
                out.push_str("~~");
                inline_markdown(c, out);
                out.push_str("~~");
            }
            Inline::Code(c) => out.push_str(&code_span(c)),
            Inline::Link { url, content } => {
                out.push('[');
                inline_markdown(content, out);
                out.push_str("](");
                out.push_str(url);
                out.push(')');
            }
            Inline::Break => out.push('\n'),
        }
    }
}

fn md(inline: &[Inline]) -> String {
    let mut s = String::new();
    inline_markdown(inline, &mut s);
    s
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

#[derive(Debug, Default)]
struct Writer {
    out: String,
    containers: Vec<Container>,
    /// One entry per open list: the next number (`None` for bullets) and
    /// how many items it has had.
    lists: Vec<(Option<u64>, usize)>,
    /// A quote has just opened: its first block needs no blank line.
    just_opened: bool,
}

impl Writer {
    /// `in_loose_item`: the blocks are an item of a loose list.
    fn blocks(&mut self, blocks: &[Block], in_loose_item: bool) {
        for b in blocks {
            match b {
                Block::Paragraph(inline) => {
                    if in_loose_item
                        && let Some(Container::Item { loose, .. }) = self.containers.last_mut()
                    {
                        *loose = true;
                    }
                    let text = md(inline);
                    let lines: Vec<String> = text.split('\n').map(str::to_string).collect();
                    self.paragraph(&lines);
                }
                Block::Heading { level, content } => {
                    let text = md(content);
                    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    self.block(&[format!("{} {text}", "#".repeat(*level))]);
                }
                Block::Quote(inner) => {
                    self.separate();
                    self.just_opened = !self.at_item_start();
                    self.containers.push(Container::Quote);
                    self.blocks(inner, false);
                    self.containers.pop();
                }
                Block::List {
                    start,
                    loose,
                    items,
                } => self.list(*start, *loose, items),
                Block::Code { lang, text } => self.fenced(lang, text),
                Block::Rule => self.block(&["* * *".to_string()]),
                Block::Table { aligns, rows } => self.table(aligns, rows),
            }
        }
    }

    fn list(&mut self, start: Option<u64>, loose: bool, items: &[Vec<Block>]) {
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
        for item in items {
            let marker = match self.lists.last_mut() {
                Some((Some(n), count)) => {
                    let m = format!("{n}. ");
                    *n += 1;
                    *count += 1;
                    m
                }
                Some((None, count)) => {
                    *count += 1;
                    "- ".to_string()
                }
                None => "- ".to_string(),
            };
            self.containers.push(Container::Item {
                marker,
                used: false,
                loose: false,
            });
            self.blocks(item, loose);
            self.containers.pop();
        }
        self.lists.pop();
    }

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

    /// A pipe table: the head, the alignment row, the body rows; the cells
    /// are escaped inline Markdown, so a `|` in one is `\|`.
    fn table(&mut self, aligns: &[Alignment], rows: &[Vec<Vec<Inline>>]) {
        let line = |cells: &[Vec<Inline>]| {
            let cells: Vec<String> = cells
                .iter()
                .map(|c| md(c).replace('\n', " ").trim().to_string())
                .collect();
            format!("| {} |", cells.join(" | "))
        };
        let mut rows = rows.iter();
        let Some(head) = rows.next() else {
            return;
        };
        let mut lines = vec![line(head)];
        let aligns: Vec<String> = aligns
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

    fn finish(self) -> String {
        self.out.trim_end().to_string()
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

#[cfg(test)]
mod tests {
    use super::super::pack_doc::safe_url;
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
        // heading attributes and trailing hashes are not carried over, and
        // a text opening at its second level moves up, skipping none
        assert_eq!(md("## Plain ##"), "#### Plain");
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
