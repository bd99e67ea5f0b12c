//! Markdown as plain text, from `pulldown-cmark`'s events.
//!
//! The prose of a body is what a reader would read aloud: the text of
//! paragraphs, list items, quotes, table cells, emphasis, links and images
//! (their alt text), inline code and HTML blocks (tags removed). Headings,
//! fenced code, footnote definitions and front-matter-like metadata are left
//! out; link definitions, rules and task-list boxes have no text.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

/// The prose of a Markdown or plain-text body as one line: every run of white
/// space (line breaks included) is one space, with none at either end.
///
/// Indented code blocks are kept as prose: in a submission they are nearly
/// always an indented paragraph, and plain-text bodies are read the same way.
pub fn plain_text(body: &str) -> String {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES;
    let mut raw = String::with_capacity(body.len());
    // The end of the block being left out, while inside one (these blocks
    // hold no block of their own kind, so one is enough).
    let mut skipping: Option<TagEnd> = None;
    for event in Parser::new_ext(body, options) {
        if let Some(end) = &skipping {
            if matches!(&event, Event::End(e) if e == end) {
                skipping = None;
                raw.push(' ');
            }
            continue;
        }
        match event {
            Event::Start(tag) => {
                skipping = match tag {
                    Tag::Heading { level, .. } => Some(TagEnd::Heading(level)),
                    Tag::CodeBlock(CodeBlockKind::Fenced(_)) => Some(TagEnd::CodeBlock),
                    Tag::FootnoteDefinition(_) => Some(TagEnd::FootnoteDefinition),
                    Tag::MetadataBlock(kind) => Some(TagEnd::MetadataBlock(kind)),
                    _ => None,
                };
            }
            Event::Text(t) | Event::Code(t) => raw.push_str(&t),
            Event::Html(t) | Event::InlineHtml(t) => {
                raw.push(' ');
                raw.push_str(&without_tags(&t));
                raw.push(' ');
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableCell
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::HtmlBlock,
            )
            | Event::SoftBreak
            | Event::HardBreak
            | Event::Rule => raw.push(' '),
            _ => {}
        }
    }
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of raw HTML: comments and tags (a `<` then a letter, `/`, `!` or
/// `?`, up to `>`) removed, each leaving a space. Any other `<` is text.
fn without_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start..).unwrap_or_default();
        let opens_tag = after
            .chars()
            .nth(1)
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        let end = if after.starts_with("<!--") {
            after.find("-->").map(|i| i + 3)
        } else if opens_tag {
            after.find('>').map(|i| i + 1)
        } else {
            None
        };
        match end {
            Some(end) => {
                out.push(' ');
                rest = after.get(end..).unwrap_or_default();
            }
            None => {
                out.push('<');
                rest = after.get(1..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_kept_and_syntax_goes() {
        let body = "# Heading\n\nSome *bold* and _emphasised_ text with a [link](https://x.org) \
                    and ![an image](i.png).\n\n- a bullet\n1. a number\n> quoted `code`\n\n\
                    ```\nfn hidden() {}\n```\n\nSetext\n------\n\nsnake_case <b>tag</b> \
                    <https://a.b> \\*lit\\* [^1]\n\n[1]: https://def";
        // `[^1]` has no definition, so it is not a footnote but text (as
        // CommonMark with GitHub's footnotes shows it).
        assert_eq!(
            plain_text(body),
            "Some bold and emphasised text with a link and an image. a bullet a number quoted \
             code snake_case tag https://a.b *lit* [^1]"
        );
    }

    #[test]
    fn tables_tasks_footnotes_and_rules() {
        let body = "| a | b |\n|---|:-:|\n| 1 | 2 |\n\n- [ ] todo\n- [x] done\n\n***\n\n\
                    text[^n] ~~gone~~ kept\n\n[^n]: the footnote itself\n";
        assert_eq!(plain_text(body), "a b 1 2 todo done text gone kept");
    }

    #[test]
    fn html_blocks_keep_their_text_without_tags_or_comments() {
        let body =
            "<div class=\"x\">\nInside <em>a</em> block\n</div>\n\n<!-- hidden -->\n\nAfter.";
        assert_eq!(plain_text(body), "Inside a block After.");
        assert_eq!(without_tags("a < b and <i>c"), "a < b and  c");
    }

    #[test]
    fn plain_text_bodies_keep_indented_lines_and_stray_marks() {
        let body = "    An indented paragraph.\n\n5 * 3 = 15, 2 < 3 and a_b_c.\nSecond line.";
        assert_eq!(
            plain_text(body),
            "An indented paragraph. 5 * 3 = 15, 2 < 3 and a_b_c. Second line."
        );
        assert_eq!(plain_text(""), "");
        assert_eq!(plain_text("  \n\n "), "");
    }
}

/// A Markdown table as it is read, for the writers that draw it again (the
/// reader, the printed pack): its columns' alignment and its rows of cell
/// text, the head first.
#[derive(Debug, Default)]
pub struct Table {
    pub aligns: Vec<pulldown_cmark::Alignment>,
    pub rows: Vec<Vec<String>>,
    row: Vec<String>,
}

impl Table {
    pub fn new(aligns: Vec<pulldown_cmark::Alignment>) -> Table {
        Table {
            aligns,
            ..Table::default()
        }
    }

    /// Takes the end of a cell (with its text, on one line and trimmed) or
    /// of the head or a row; other ends are not the table's.
    pub fn end(&mut self, tag: pulldown_cmark::TagEnd, cell: &str) {
        use pulldown_cmark::TagEnd;
        match tag {
            TagEnd::TableCell => self.row.push(cell.replace('\n', " ").trim().to_string()),
            TagEnd::TableHead | TagEnd::TableRow => self.rows.push(std::mem::take(&mut self.row)),
            _ => {}
        }
    }
}
