//! The printed Case Studies Pack, in Markdown for pandoc.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

use super::pack_body::blocks_markdown;
use super::pack_doc::{CaseDoc, Outline, PACK_TITLE, PackSink, Section, gathered, held_text, walk};
use super::plain::clean_line;
use super::{CaseStudy, PackText};
use crate::taxonomy::Taxonomy;

/// The printed Case Studies Pack in Markdown: one `##` section per primary
/// category in taxonomy order (empty ones left out; unknown categories and
/// case studies without one come last), each case study a `###` heading, its
/// fields and its whole text (its headings below the `###`) or, with
/// [`PackText::Excerpt`], its excerpt.
pub fn to_pack(entries: &[CaseStudy], taxonomy: &Taxonomy, text: PackText) -> String {
    gathered(|out| pack_into(entries, taxonomy, text, &mut held_text(entries), out))
}

/// [`to_pack`] a case study at a time: `body` gives entry `i`'s whole text
/// (the entries' own `body` may be left empty and the text read when its
/// turn comes), and each piece goes to `out` as soon as it is made.
pub fn pack_into<'b>(
    entries: &[CaseStudy],
    taxonomy: &Taxonomy,
    text: PackText,
    body: &mut dyn FnMut(usize) -> io::Result<Cow<'b, str>>,
    out: &mut dyn FnMut(&str) -> io::Result<()>,
) -> io::Result<()> {
    walk(entries, taxonomy, text, body, &mut Markdown { out })
}

/// The Markdown pack's writer: each part goes out as it is made.
struct Markdown<'o> {
    out: &'o mut dyn FnMut(&str) -> io::Result<()>,
}

impl PackSink for Markdown<'_> {
    fn begin(&mut self, outline: &Outline) -> io::Result<()> {
        let mut o = format!("# {PACK_TITLE}\n\n");
        if outline.count == 0 {
            let _ = writeln!(o, "{}", md_paragraph(&outline.intro));
        } else {
            let _ = writeln!(o, "{}\n", md_paragraph(&outline.intro));
        }
        (self.out)(&o)
    }

    fn section(&mut self, section: &Section) -> io::Result<()> {
        (self.out)(&format!("## {}\n\n", md_inline(&section.heading)))
    }

    fn case(&mut self, case: &CaseDoc<'_>) -> io::Result<()> {
        let mut o = String::new();
        let _ = writeln!(o, "### {}\n", md_inline(case.title));
        for (name, value) in &case.fields {
            let _ = writeln!(o, "- **{name}:** {}", md_inline(value));
        }
        o.push('\n');
        let body = blocks_markdown(&case.text);
        if !body.is_empty() {
            let _ = writeln!(o, "{body}\n");
        }
        (self.out)(&o)
    }

    fn end(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Escapes text for use inside a line of Markdown (pandoc's and CommonMark's)
/// so that it renders literally: emphasis, links, headings, HTML, math,
/// citations, footnotes and attributes are all neutralised. Control
/// characters are dropped and line breaks become spaces.
pub fn md_inline(s: &str) -> String {
    escape_inline(&clean_line(s))
}

/// The escaping of [`md_inline`] alone: white space is kept as it is.
pub(super) fn escape_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '^' | '$' | '{'
            | '}' => true,
            // `@key` is a pandoc citation; `name@example.org` is not
            '@' => !prev.is_some_and(char::is_alphanumeric),
            // `&amp;` and `&#38;` are entities; "Health & Care" is not
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// Escapes text that starts a line of its own (a paragraph): as [`md_inline`],
/// and also what would start a list, a block quote, a rule or a definition.
pub fn md_paragraph(s: &str) -> String {
    escape_block_start(&md_inline(s))
}

/// Escapes the start of a line of Markdown whose inline text is already
/// escaped, so that it cannot start a list, a block quote, a rule, a
/// definition or a title block.
pub(super) fn escape_block_start(inline: &str) -> String {
    let inline = inline.to_string();
    if inline.starts_with(['-', '+', ':', '=', '%']) {
        return format!("\\{inline}");
    }
    // `1. `, `1) `, `a. `, `iv) `, `(a) `: ordered-list markers
    let token = inline.split(' ').next().unwrap_or("");
    let after = inline.get(token.len()..).unwrap_or("");
    let (open, inner) = match token.strip_prefix('(') {
        Some(r) => (true, r),
        None => (false, token),
    };
    let (body, close) = if let Some(b) = inner.strip_suffix('.') {
        (b, '.')
    } else if let Some(b) = inner.strip_suffix(')') {
        (b, ')')
    } else {
        return inline;
    };
    let is_marker = !body.is_empty()
        && (body.chars().all(|c| c.is_ascii_digit())
            || body.chars().count() == 1 && body.chars().all(|c| c.is_ascii_alphabetic())
            || body.chars().all(|c| "ivxlcdmIVXLCDM".contains(c)));
    if !is_marker || (open && close != ')') {
        return inline;
    }
    format!("{}{body}\\{close}{after}", if open { "\\(" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_specials_render_literally() {
        assert_eq!(
            md_inline("*Ouch* [link](x) # not a heading"),
            "\\*Ouch\\* \\[link\\](x) \\# not a heading"
        );
        assert_eq!(
            md_inline("a_b `c` <d> $e$ ~f~ ^g^ {h} |i| \\j"),
            "a\\_b \\`c\\` \\<d\\> \\$e\\$ \\~f\\~ \\^g\\^ \\{h\\} \\|i\\| \\\\j"
        );
        assert_eq!(md_inline("@cite me@example.org"), "\\@cite me@example.org");
        assert_eq!(md_inline("Health & Care &amp;"), "Health & Care \\&amp;");
    }

    #[test]
    fn paragraphs_never_start_a_block() {
        assert_eq!(md_paragraph("- not a list"), "\\- not a list");
        assert_eq!(md_paragraph("+ no"), "\\+ no");
        assert_eq!(md_paragraph("1. not a list"), "1\\. not a list");
        assert_eq!(md_paragraph("2020) no"), "2020\\) no");
        assert_eq!(md_paragraph("a) no"), "a\\) no");
        assert_eq!(md_paragraph("(iv) no"), "\\(iv\\) no");
        assert_eq!(md_paragraph("> no"), "\\> no");
        assert_eq!(md_paragraph("# no"), "\\# no");
        assert_eq!(md_paragraph(": no"), "\\: no");
        assert_eq!(md_paragraph("Plain text."), "Plain text.");
        assert_eq!(md_paragraph("Oldham. Council"), "Oldham. Council");
    }
}
