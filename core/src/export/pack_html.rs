//! The printed Case Studies Pack as one self-contained HTML5 page.
//!
//! No outside assets (no scripts, fonts, images or style sheets to fetch):
//! the page opens from a USB stick or an e-mail and prints the same. It is
//! written for screen readers as much as for paper: `lang="en-GB"`, one
//! `h1`, headings in order without skipped levels, a contents list linking
//! to each category and case study, fields as a description list, tables
//! with a head row and `scope="col"`. The print style sheet sets `@page`
//! margins and starts each category and each case study on a new page, so
//! that a browser's Print, then Save as PDF, gives the printed pack.
//!
//! Every string from a submission or a record reaches the page through
//! [`escape`] (`& < > " '`), control, bidi and zero-width characters
//! already removed ([`super::pack_doc`]); ids are made from the headings'
//! ASCII letters and digits only.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

use pulldown_cmark::Alignment;

use super::pack_doc::{
    Block, CaseDoc, Inline, Outline, PACK_TITLE, PackSink, Section, gathered, held_text, walk,
};
use super::{CaseStudy, PackText};
use crate::sanitize::is_unsafe;
use crate::taxonomy::Taxonomy;

/// The page's style sheet: readable on screen, and the pack's pages in
/// print.
pub const PACK_STYLE: &str = r#"
:root { color-scheme: light; }
body { font-family: Georgia, "Times New Roman", serif; font-size: 11pt; line-height: 1.45;
  color: #111; background: #fff; max-width: 44em; margin: 0 auto; padding: 1.5em; }
h1, h2, h3, h4, h5, h6 { font-family: "Helvetica Neue", Arial, sans-serif; line-height: 1.2;
  break-after: avoid; page-break-after: avoid; }
h1 { font-size: 2.2em; margin: 2em 0 0.5em; }
h2 { font-size: 1.6em; border-bottom: 2px solid #2a5d34; padding-bottom: 0.2em; }
h3 { font-size: 1.3em; color: #2a5d34; }
nav ol { list-style: none; padding-left: 0; }
nav ol ol { padding-left: 1.5em; }
nav a { color: inherit; }
dl.fields { display: grid; grid-template-columns: max-content 1fr; gap: 0.15em 1em;
  margin: 0 0 1em; padding: 0.6em 0.8em; background: #f3f6f3; }
dl.fields dt { font-weight: bold; }
dl.fields dd { margin: 0; }
blockquote { margin: 1em 0; padding-left: 1em; border-left: 3px solid #999; color: #333; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: #f5f5f5; padding: 0.5em; }
code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 0.92em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border: 1px solid #888; padding: 0.2em 0.5em; vertical-align: top; }
th { background: #e8ede8; }
tr { break-inside: avoid; page-break-inside: avoid; }
thead { display: table-header-group; }
a { color: #1a4d8c; }
@page { size: A4; margin: 20mm 18mm 22mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  nav { break-before: page; page-break-before: always; }
  section.category { break-before: page; page-break-before: always; }
  article.case { break-before: page; page-break-before: always; }
  section.category > h2 + article.case { break-before: avoid; page-break-before: avoid; }
  a { color: inherit; text-decoration: none; }
  article.case a[href]::after { content: " (" attr(href) ")"; font-size: 0.85em; }
  p, li, dd { orphans: 3; widows: 3; }
}
"#;

/// The pack of `entries` as one HTML page.
pub fn to_html(entries: &[CaseStudy], taxonomy: &Taxonomy, text: PackText) -> String {
    gathered(|out| {
        walk(
            entries,
            taxonomy,
            text,
            &mut held_text(entries),
            &mut Html {
                out,
                in_section: false,
            },
        )
    })
}

struct Html<'o> {
    out: &'o mut dyn FnMut(&str) -> io::Result<()>,
    in_section: bool,
}

impl PackSink for Html<'_> {
    fn begin(&mut self, outline: &Outline) -> io::Result<()> {
        let mut o = String::new();
        o.push_str("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n");
        o.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        let _ = writeln!(
            o,
            "<meta name=\"generator\" content=\"casetag {}\">",
            env!("CARGO_PKG_VERSION")
        );
        let _ = writeln!(o, "<title>{}</title>", escape(PACK_TITLE));
        let _ = writeln!(o, "<style>{PACK_STYLE}</style>\n</head>\n<body>");
        let _ = writeln!(
            o,
            "<header>\n<h1>{}</h1>\n<p>{}</p>\n</header>",
            escape(PACK_TITLE),
            escape(&outline.intro)
        );
        if !outline.sections.is_empty() {
            o.push_str(
                "<nav aria-labelledby=\"contents\">\n<h2 id=\"contents\">Contents</h2>\n<ol>\n",
            );
            for s in &outline.sections {
                let _ = writeln!(
                    o,
                    "<li><a href=\"#{}\">{}</a>\n<ol>",
                    s.id,
                    escape(&s.heading)
                );
                for c in &s.cases {
                    let _ = writeln!(o, "<li><a href=\"#{}\">{}</a></li>", c.id, escape(&c.title));
                }
                o.push_str("</ol>\n</li>\n");
            }
            o.push_str("</ol>\n</nav>\n");
        }
        o.push_str("<main>\n");
        (self.out)(&o)
    }

    fn section(&mut self, section: &Section) -> io::Result<()> {
        let mut o = String::new();
        if self.in_section {
            o.push_str("</section>\n");
        }
        self.in_section = true;
        let _ = writeln!(
            o,
            "<section class=\"category\" aria-labelledby=\"{id}\">\n<h2 id=\"{id}\">{}</h2>",
            escape(&section.heading),
            id = section.id
        );
        (self.out)(&o)
    }

    fn case(&mut self, case: &CaseDoc<'_>) -> io::Result<()> {
        let mut o = String::new();
        let _ = writeln!(
            o,
            "<article class=\"case\" aria-labelledby=\"{id}\">\n<h3 id=\"{id}\">{}</h3>",
            escape(case.title),
            id = case.id
        );
        if !case.fields.is_empty() {
            o.push_str("<dl class=\"fields\">\n");
            for (name, value) in &case.fields {
                let _ = writeln!(o, "<dt>{}</dt><dd>{}</dd>", escape(name), escape(value));
            }
            o.push_str("</dl>\n");
        }
        blocks(&mut o, &case.text);
        o.push_str("</article>\n");
        (self.out)(&o)
    }

    fn end(&mut self) -> io::Result<()> {
        let mut o = String::new();
        if self.in_section {
            o.push_str("</section>\n");
        }
        o.push_str("</main>\n</body>\n</html>\n");
        (self.out)(&o)
    }
}

fn blocks(o: &mut String, blocks_: &[Block]) {
    for b in blocks_ {
        match b {
            Block::Heading { level, content } => {
                let _ = writeln!(o, "<h{level}>{}</h{level}>", inline(content));
            }
            Block::Paragraph(content) => {
                let _ = writeln!(o, "<p>{}</p>", inline(content));
            }
            Block::List {
                start,
                items,
                loose,
            } => {
                match start {
                    None => o.push_str("<ul>\n"),
                    Some(1) => o.push_str("<ol>\n"),
                    Some(n) => {
                        let _ = writeln!(o, "<ol start=\"{n}\">");
                    }
                }
                for item in items {
                    // an item of one paragraph needs no <p> of its own
                    match item.as_slice() {
                        [Block::Paragraph(content)] => {
                            let _ = writeln!(o, "<li>{}</li>", inline(content));
                        }
                        _ => {
                            o.push_str("<li>\n");
                            for b in item {
                                match b {
                                    // a tight item's text is not a paragraph
                                    Block::Paragraph(content) if !loose => {
                                        let _ = writeln!(o, "{}", inline(content));
                                    }
                                    b => blocks(o, std::slice::from_ref(b)),
                                }
                            }
                            o.push_str("</li>\n");
                        }
                    }
                }
                o.push_str(if start.is_some() {
                    "</ol>\n"
                } else {
                    "</ul>\n"
                });
            }
            Block::Quote(inner) => {
                o.push_str("<blockquote>\n");
                blocks(o, inner);
                o.push_str("</blockquote>\n");
            }
            Block::Code { text, .. } => {
                let _ = writeln!(o, "<pre><code>{}</code></pre>", escape(text));
            }
            Block::Rule => o.push_str("<hr>\n"),
            Block::Table { aligns, rows } => table(o, aligns, rows),
        }
    }
}

fn table(o: &mut String, aligns: &[Alignment], rows: &[Vec<Vec<Inline>>]) {
    let mut rows = rows.iter();
    let Some(head) = rows.next() else {
        return;
    };
    let align = |i: usize| match aligns.get(i) {
        Some(Alignment::Left) => " style=\"text-align: left\"",
        Some(Alignment::Center) => " style=\"text-align: center\"",
        Some(Alignment::Right) => " style=\"text-align: right\"",
        Some(Alignment::None) | None => "",
    };
    o.push_str("<table>\n<thead>\n<tr>");
    for (i, cell) in head.iter().enumerate() {
        let _ = write!(o, "<th scope=\"col\"{}>{}</th>", align(i), inline(cell));
    }
    o.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in rows {
        o.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let _ = write!(o, "<td{}>{}</td>", align(i), inline(cell));
        }
        o.push_str("</tr>\n");
    }
    o.push_str("</tbody>\n</table>\n");
}

fn inline(content: &[Inline]) -> String {
    let mut o = String::new();
    inline_into(&mut o, content);
    o
}

fn inline_into(o: &mut String, content: &[Inline]) {
    for i in content {
        match i {
            Inline::Text(t) => o.push_str(&escape(t)),
            Inline::Emphasis(c) => wrap(o, "em", c),
            Inline::Strong(c) => wrap(o, "strong", c),
            Inline::Strikethrough(c) => wrap(o, "s", c),
            Inline::Code(t) => {
                let _ = write!(o, "<code>{}</code>", escape(t));
            }
            Inline::Link { url, content } => {
                let _ = write!(o, "<a href=\"{}\">", escape(url));
                inline_into(o, content);
                o.push_str("</a>");
            }
            Inline::Break => o.push_str("<br>\n"),
        }
    }
}

fn wrap(o: &mut String, tag: &str, content: &[Inline]) {
    let _ = write!(o, "<{tag}>");
    inline_into(o, content);
    let _ = write!(o, "</{tag}>");
}

/// Text for an HTML element or a quoted attribute: `& < > " '` escaped,
/// control, bidi and zero-width characters removed (line breaks kept).
pub(super) fn escape(s: &str) -> Cow<'_, str> {
    let special =
        |c: char| matches!(c, '&' | '<' | '>' | '"' | '\'') || (is_unsafe(c) && c != '\n');
    if !s.chars().any(special) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' => out.push('\n'),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_covers_the_five_and_drops_unsafe_characters() {
        assert_eq!(
            escape("<a href=\"x\" title='y'>&amp;</a>"),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;"
        );
        assert_eq!(escape("evil\u{1b}]0;x\u{7}\u{202e}\u{200b}!"), "evil]0;x!");
        assert!(matches!(escape("plain text"), Cow::Borrowed(_)));
    }

    #[test]
    fn lists_tables_and_links_are_html() {
        let mut o = String::new();
        blocks(
            &mut o,
            &[
                Block::List {
                    start: Some(3),
                    loose: false,
                    items: vec![vec![Block::Paragraph(vec![Inline::Link {
                        url: "https://x.org/?a=1&b=\"2\"".into(),
                        content: vec![Inline::Text("a <b>".into())],
                    }])]],
                },
                Block::Table {
                    aligns: vec![Alignment::Right],
                    rows: vec![
                        vec![vec![Inline::Text("Ward".into())]],
                        vec![vec![Inline::Text("£1 & 2".into())]],
                    ],
                },
            ],
        );
        assert_eq!(
            o,
            "<ol start=\"3\">\n<li><a href=\"https://x.org/?a=1&amp;b=&quot;2&quot;\">a &lt;b&gt;</a></li>\n</ol>\n\
             <table>\n<thead>\n<tr><th scope=\"col\" style=\"text-align: right\">Ward</th></tr>\n</thead>\n\
             <tbody>\n<tr><td style=\"text-align: right\">£1 &amp; 2</td></tr>\n</tbody>\n</table>\n"
        );
    }
}
