//! Properties of the printed pack over any text: whatever a submission
//! holds, the HTML page holds only the pack's own elements, the Word
//! document is well-formed XML, no unsafe character gets through, and the
//! three packs have the same headings, none skipping a level.

use proptest::prelude::*;

use super::{CaseStudy, PackText, to_docx, to_html, to_pack};
use crate::sanitize::is_unsafe;
use crate::taxonomy::Taxonomy;

/// The elements the HTML pack writes, headings aside ([`heading_level`]);
/// anything else would have come from a submission.
const OWN_TAGS: &[&str] = &[
    "a",
    "article",
    "blockquote",
    "br",
    "code",
    "dd",
    "dl",
    "dt",
    "em",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "s",
    "section",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
    "header",
    "head",
    "body",
    "html",
];

/// Markdown-ish text: the characters that make structure and trouble.
fn body() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("# ".to_string()),
            Just("### ".to_string()),
            Just("\n".to_string()),
            Just("\n\n".to_string()),
            Just("- ".to_string()),
            Just("1. ".to_string()),
            Just("> ".to_string()),
            Just("| a | b |\n|---|---|\n| c | d |\n".to_string()),
            Just("```\n".to_string()),
            Just("<script>".to_string()),
            Just("\"'&<>".to_string()),
            Just("[x](javascript:y)".to_string()),
            Just("[x](https://e.org/\"><b>)".to_string()),
            Just("![i](/etc/passwd)".to_string()),
            Just("*em* **st** `co`".to_string()),
            Just("\u{202e}\u{200b}\u{1b}[31m\u{7}\u{ffff}".to_string()),
            "[a-zA-Z ]{1,8}",
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

fn entry(body: String, is_markdown: bool) -> CaseStudy {
    CaseStudy {
        title: "A <title> & \"more\"".into(),
        source: "a.md".into(),
        decision: "approve".into(),
        primary_category: Some("Community".into()),
        excerpt: super::excerpt(&body),
        body,
        body_is_markdown: is_markdown,
        ..CaseStudy::default()
    }
}

fn document_xml(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("word/document.xml").expect("part"),
        &mut xml,
    )
    .expect("UTF-8");
    xml
}

/// The heading levels of the Markdown pack as a Markdown reader finds
/// them (so the Markdown reads back with the headings it was written with).
fn md_levels(md: &str) -> Vec<usize> {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES)
        .filter_map(|e| match e {
            Event::Start(Tag::Heading { level, .. }) => Some(level as usize),
            _ => None,
        })
        .collect()
}

/// The name of the element whose tag `tag` starts (after its `<` or `</`).
fn tag_name(tag: &str) -> &str {
    let end = tag
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(tag.len());
    &tag[..end]
}

/// The level of a heading element, `h1` to `h6`, by its name.
fn heading_level(name: &str) -> Option<usize> {
    let level = name.strip_prefix('h')?.parse().ok()?;
    (1..=6).contains(&level).then_some(level)
}

/// The title's level, then the levels in `<main>` (the contents list's own
/// heading is the page's, not the pack's).
fn html_levels(html: &str) -> Vec<usize> {
    let main = html.split("<main>").nth(1).unwrap_or("");
    std::iter::once(1)
        .chain(
            main.split('<')
                .skip(1)
                .filter_map(|tag| heading_level(tag_name(tag))),
        )
        .collect()
}

fn docx_levels(xml: &str) -> Vec<usize> {
    xml.split("<w:pStyle w:val=\"")
        .skip(1)
        .filter_map(|p| {
            let style = p.split('"').next()?;
            match style {
                "Title" => Some(1),
                s => Some(s.strip_prefix("Heading")?.parse::<usize>().ok()? + 1),
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_text_makes_safe_and_matching_packs(body in body(), is_markdown in any::<bool>()) {
        let tax = Taxonomy::builtin();
        let entries = [entry(body, is_markdown)];
        let html = to_html(&entries, &tax, PackText::Full);
        let page = html.split("</style>").nth(1).unwrap_or("");
        for tag in page.split('<').skip(1) {
            let name = tag_name(tag.trim_start_matches('/'));
            prop_assert!(
                OWN_TAGS.contains(&name) || heading_level(name).is_some(),
                "<{name} in {page}"
            );
        }
        for h in page.split("href=\"").skip(1) {
            prop_assert!(h.starts_with('#') || h.starts_with("https://"), "{h}");
            let url = h.split('"').next().unwrap_or("");
            prop_assert!(!url.contains(['<', '>', '\'']), "{url}");
        }
        prop_assert!(
            !html.chars().any(|c| is_unsafe(c) && c != '\n'),
            "an unsafe character in the page"
        );

        let docx = to_docx(&entries, &tax, PackText::Full).expect("docx");
        let xml = document_xml(&docx);
        let mut reader = quick_xml::Reader::from_str(&xml);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => prop_assert!(false, "{e} in {xml}"),
            }
        }
        let bad = |c: char| (is_unsafe(c) && c != '\n') || c == '\u{ffff}';
        prop_assert!(!xml.chars().any(bad), "an unsafe character in the document");

        let md = to_pack(&entries, &tax, PackText::Full);
        let levels = md_levels(&md);
        prop_assert_eq!(&html_levels(page), &levels, "{}\n{}", md, page);
        prop_assert_eq!(&docx_levels(&xml), &levels);
        for pair in levels.windows(2) {
            prop_assert!(pair[1] <= pair[0] + 1, "{levels:?}");
        }
    }
}
