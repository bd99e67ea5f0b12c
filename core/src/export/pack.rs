//! The printed Case Studies Pack, in Markdown for pandoc.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io;

use super::pack_body::pack_body;
use super::plain::clean_line;
use super::{CaseStudy, PackText};
use crate::taxonomy::{Kind, Taxonomy};

/// The printed Case Studies Pack in Markdown: one `##` section per primary
/// category in taxonomy order (empty ones left out; unknown categories and
/// case studies without one come last), each case study a `###` heading, its
/// fields and its whole text (its headings below the `###`) or, with
/// [`PackText::Excerpt`], its excerpt.
pub fn to_pack(entries: &[CaseStudy], taxonomy: &Taxonomy, text: PackText) -> String {
    let mut o = String::new();
    let _ = pack_into(
        entries,
        taxonomy,
        text,
        &mut |i| {
            Ok(Cow::Borrowed(
                entries.get(i).map_or("", |e| e.body.as_str()),
            ))
        },
        &mut |piece| {
            o.push_str(piece);
            Ok(())
        },
    );
    o
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
    let mut o = String::new();
    o.push_str("# CCIN Case Studies Pack\n\n");
    let n = entries.len();
    if n == 0 {
        o.push_str("No case studies to show.\n");
        return out(&o);
    }
    let _ = writeln!(
        o,
        "{n} case stud{} from members of the Co-operative Councils Innovation Network, \
         grouped by primary category.\n",
        if n == 1 { "y" } else { "ies" }
    );

    // Sections: the taxonomy's categories, then labels it does not know
    // (exported with --force), then the case studies without a category.
    let mut sections: Vec<Option<String>> = taxonomy
        .entries(Kind::Category)
        .iter()
        .map(|c| Some(clean_line(&c.label)))
        .collect();
    for e in entries {
        if !sections.contains(&e.primary_category) {
            sections.push(e.primary_category.clone());
        }
    }
    if let Some(pos) = sections.iter().position(Option::is_none) {
        let none = sections.remove(pos);
        sections.push(none);
    }

    for section in &sections {
        let members: Vec<(usize, &CaseStudy)> = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| &e.primary_category == section)
            .collect();
        if members.is_empty() {
            continue;
        }
        let heading = section
            .as_deref()
            .map_or_else(|| "Uncategorised".to_string(), md_inline);
        let _ = writeln!(o, "## {heading}\n");
        for (i, e) in members {
            let whole = match text {
                PackText::Full => body(i)?,
                PackText::Excerpt => Cow::Borrowed(""),
            };
            pack_entry(&mut o, e, text, &whole);
            out(&o)?;
            o.clear();
        }
    }
    out(&o)
}

fn pack_entry(o: &mut String, e: &CaseStudy, text: PackText, whole: &str) {
    let title = if e.title.is_empty() {
        &e.source
    } else {
        &e.title
    };
    let _ = writeln!(o, "### {}\n", md_inline(title));
    let mut field = |name: &str, value: String| {
        if !value.is_empty() {
            let _ = writeln!(o, "- **{name}:** {value}");
        }
    };
    field(
        "Lead member",
        e.lead_member.as_deref().map(md_inline).unwrap_or_default(),
    );
    // The lead is often listed among the participants too.
    let lead = e.lead_member.as_deref().map(str::to_lowercase);
    let others: Vec<String> = e
        .participating_members
        .iter()
        .filter(|m| Some(m.to_lowercase()) != lead)
        .map(|m| md_inline(m))
        .collect();
    field("Participating members", others.join(", "));
    field("Year", e.year.map(|y| y.to_string()).unwrap_or_default());
    field(
        "Programme",
        e.status.as_deref().map(md_inline).unwrap_or_default(),
    );
    field("Other categories", md_list(&e.categories));
    field("Principles", md_list(&e.principles));
    let values: Vec<String> = e
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{}. {}", i + 1, md_inline(v)))
        .collect();
    field(
        if values.len() == 3 {
            "Top three values"
        } else {
            "Values"
        },
        values.join(" "),
    );
    o.push('\n');
    match text {
        PackText::Full => {
            let body = pack_body(whole, e.body_is_markdown, 3, title);
            if !body.is_empty() {
                let _ = writeln!(o, "{body}\n");
            }
        }
        PackText::Excerpt => {
            if !e.excerpt.is_empty() {
                let _ = writeln!(o, "{}\n", md_paragraph(&e.excerpt));
            }
        }
    }
}

fn md_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| md_inline(s))
        .collect::<Vec<_>>()
        .join(", ")
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
