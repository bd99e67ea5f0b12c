//! The files councils actually send: what a batch reads, what it skips and
//! says so, and what each reader takes from a document (DESIGN section 3).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

mod common;

use std::fs;
use std::path::Path;

use casetag::batch::Batch;
use casetag::taxonomy::Taxonomy;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    fs::write(dir.join(name), bytes).expect("write");
}

fn screen(terminal: &Terminal<TestBackend>) -> String {
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn a_batch_names_every_file_it_does_not_read() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    write(d, "hubs.md", b"# Hubs\n\nBody\n");
    write(d, "photo.jpg", b"\xFF\xD8\xFF\xE0");
    write(d, "old-form.doc", b"\xD0\xCF\x11\xE0");
    fs::create_dir(d.join("attachments")).expect("mkdir");
    let taxonomy = Taxonomy::builtin();
    let batch = Batch::load(d, &taxonomy).expect("load");
    let items: Vec<&str> = batch.items.iter().map(|i| i.file_name.as_str()).collect();
    assert_eq!(items, ["hubs.md", "old-form.doc"]);
    let lines: Vec<String> = batch
        .skipped_problems()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lines,
        [
            format!(
                "{}: skipped: a folder (sub-folders are not read)",
                d.join("attachments").display()
            ),
            format!(
                "{}: skipped: not a submission format",
                d.join("photo.jpg").display()
            ),
        ]
    );
    // the .doc is an error of the batch, not a skipped file
    let problems = batch.problems(&taxonomy);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].message.contains("save it as .docx"));
}

#[test]
fn the_footer_counts_skipped_files() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    write(d, "hubs.md", b"# Hubs\n\nBody\n");
    write(d, "photo.jpg", b"\xFF\xD8\xFF\xE0");
    write(d, "budget.xlsx", b"PK");
    let app = common::open_app(d, None);
    let mut terminal = Terminal::new(TestBackend::new(100, 24)).expect("terminal");
    terminal.draw(|f| casetag::ui::draw(f, &app)).expect("draw");
    let text = screen(&terminal);
    assert!(text.contains("0 of 1 decided · 2 files skipped"), "{text}");

    fs::remove_file(d.join("budget.xlsx")).expect("rm");
    fs::remove_file(d.join("photo.jpg")).expect("rm");
    let app = common::open_app(d, None);
    terminal.draw(|f| casetag::ui::draw(f, &app)).expect("draw");
    assert!(!screen(&terminal).contains("skipped"));
}

#[test]
fn check_prints_a_line_per_skipped_file_and_counts_them() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    write(d, "hubs.md", b"# Hubs\n\nBody\n");
    write(d, "photo.jpg", b"\xFF\xD8\xFF\xE0");
    write(d, "evil\x1b[31m.png", b"x");
    let home = tempfile::tempdir().expect("home");
    let out = common::run_casetag(&["check", d.to_str().expect("utf8")], home.path());
    let err = common::stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(common::stdout(&out), "");
    assert!(
        err.contains(&format!(
            "{}: skipped: not a submission format\n",
            d.join("photo.jpg").display()
        )),
        "{err}"
    );
    assert!(!err.contains('\x1b'), "{err}");
    assert!(
        err.ends_with("1 submissions checked, no problems, 2 files skipped\n"),
        "{err}"
    );
}

/// What `tests/data/pastes/NAME.expected.toml` says must be read from NAME.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    title: String,
    lead_member: Option<String>,
    #[serde(default)]
    participating_members: Vec<String>,
    year: Option<i64>,
    status: Option<String>,
    principles: Vec<String>,
    body_starts: String,
    #[serde(default)]
    body_has: Vec<String>,
    #[serde(default)]
    body_lacks: Vec<String>,
}

/// Every difference between what was read and what was expected.
fn differences(
    s: &casetag::submission::Submission,
    e: &Expected,
    taxonomy: &Taxonomy,
) -> Vec<String> {
    let mut out = Vec::new();
    let mut same = |what: &str, got: String, want: String| {
        if got != want {
            out.push(format!("{what}: got {got}, want {want}"));
        }
    };
    same("title", format!("{:?}", s.title), format!("{:?}", e.title));
    same(
        "lead member",
        format!("{:?}", s.lead_member),
        format!("{:?}", e.lead_member),
    );
    same(
        "participating members",
        format!("{:?}", s.participating_members),
        format!("{:?}", e.participating_members),
    );
    same("year", format!("{:?}", s.year), format!("{:?}", e.year));
    same(
        "status",
        format!("{:?}", s.status),
        format!("{:?}", e.status),
    );
    let mut want = e.principles.clone();
    taxonomy.sort_ids(casetag::taxonomy::Kind::Principle, &mut want);
    same(
        "principles",
        format!("{:?}", s.principles_met),
        format!("{want:?}"),
    );
    if !s.body.starts_with(&e.body_starts) {
        out.push(format!(
            "body starts {:?}, want {:?}",
            s.body.chars().take(60).collect::<String>(),
            e.body_starts
        ));
    }
    for has in &e.body_has {
        if !s.body.contains(has.as_str()) {
            out.push(format!("body lacks {has:?}"));
        }
    }
    for lacks in &e.body_lacks {
        if s.body.contains(lacks.as_str()) {
            out.push(format!("body has noise {lacks:?}"));
        }
    }
    out
}

#[test]
fn the_paste_corpus_reads_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pastes");
    let taxonomy = Taxonomy::builtin();
    let mut names: Vec<_> = fs::read_dir(&dir)
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    assert!(names.len() >= 6, "{names:?}");
    let mut failures = Vec::new();
    for path in &names {
        let expected_path = path.with_extension("expected.toml");
        let expected: Expected =
            toml::from_str(&fs::read_to_string(&expected_path).expect("expected"))
                .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        let s =
            casetag::submission::read_submission(path, &taxonomy).unwrap_or_else(|p| panic!("{p}"));
        for d in differences(&s, &expected, &taxonomy) {
            failures.push(format!(
                "{}: {d}",
                path.file_name().unwrap_or_default().to_string_lossy()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

// ---------------------------------------------------------------------------
// Word documents

/// A paragraph of `word/document.xml`: its style and its runs.
fn para(style: &str, runs: &[&str]) -> String {
    let ppr = if style.is_empty() {
        String::new()
    } else if style == "bullet" {
        "<w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>".into()
    } else {
        format!("<w:pPr><w:pStyle w:val=\"{style}\"/></w:pPr>")
    };
    let runs: String = runs
        .iter()
        .map(|r| {
            format!(
                "<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r>",
                xml_escape(r)
            )
        })
        .collect();
    format!("<w:p>{ppr}{runs}</w:p>")
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A table of two-cell rows.
fn table(rows: &[(&str, &str)]) -> String {
    let cell = |t: &str| {
        format!(
            "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>",
            xml_escape(t)
        )
    };
    let rows: String = rows
        .iter()
        .map(|(a, b)| format!("<w:tr>{}{}</w:tr>", cell(a), cell(b)))
        .collect();
    format!("<w:tbl>{rows}</w:tbl>")
}

/// A .docx holding `body` (paragraphs and tables) as its document.
pub fn docx(body: &str) -> Vec<u8> {
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    zip_of(&[
        ("[Content_Types].xml", b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>".to_vec()),
        ("word/document.xml", document.into_bytes()),
    ])
}

fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, options).expect("entry");
        w.write_all(bytes).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

const CO_PRODUCTION: &str = "We will develop systems that enable citizens to be equal partners in designing and commissioning public services and in determining the use of public resources.";
const ENTERPRISE: &str = "We will promote community-based approaches to economic development that focus on supporting the creation of jobs, social enterprises and other businesses and providing an environment for co-operative and mutual enterprises to thrive.";

/// The network's form as a council fills it in: categories typed at the
/// top, the guidance left in, fields in a table, two principles kept.
fn filled_form(top: &[&str]) -> String {
    let mut body: String = top.iter().map(|t| para("", &[t])).collect();
    body.push_str(&para("", &["Co-operative Councils"]));
    body.push_str(&para("", &["Innovation Network"]));
    body.push_str(&para("", &["Please read:"]));
    body.push_str(&para("", &["These guidelines have been prepared to help you select the appropriate categories and principles for your Case Study before publishing it on the CCIN website or in the printed Case Studies Pack."]));
    body.push_str(&para("", &["Category:"]));
    for c in [
        "Climate Change and Environment",
        "Community",
        "Community Wealth Building",
        "Education & Training",
        "Finance",
        "Health & Social Care",
        "Housing",
        "Jobs",
        "Poverty",
        "Social Outcomes",
        "Strategy",
        "Young People",
    ] {
        body.push_str(&para("bullet", &[c]));
    }
    body.push_str(&para("Title", &["Community-led ", "hou", "sing in Oxford"]));
    body.push_str(&table(&[
        ("Lead Member", "Oxford City Council"),
        (
            "Participating Members",
            "Oxford City Council, Oxfordshire Community Land Trust",
        ),
        ("Year", "2019"),
        ("Status", "Policy Labs"),
        ("Contact", "housing@oxford.example"),
    ]));
    body.push_str(&para(
        "",
        &["Please only icon(s) for principle(s) that relate to this Case Study."],
    ));
    body.push_str(&para("Heading2", &["Co-production"]));
    body.push_str(&para("", &[CO_PRODUCTION]));
    body.push_str(&para("Heading2", &["Enterprise and social economy"]));
    let (a, b) = ENTERPRISE.split_at(40);
    body.push_str(&para("", &[a, b]));
    body.push_str(&para("Heading1", &["About the project"]));
    body.push_str(&para(
        "",
        &["Oxford's community land trust builds homes that stay affordable for ever."],
    ));
    body.push_str(&para(
        "",
        &["If you require any help, please contact: comms@councils.coop"],
    ));
    body
}

fn read_bytes(
    name: &str,
    bytes: &[u8],
) -> Result<casetag::submission::Submission, casetag::problem::Problem> {
    casetag::submission::parse_submission(Path::new(name), bytes, &Taxonomy::builtin())
}

#[test]
fn a_filled_word_form_gives_its_fields_categories_and_principles() {
    let bytes = docx(&filled_form(&[
        "Primary category: Housing",
        "Other categories: Poverty; Community",
    ]));
    let s = read_bytes("oxford.docx", &bytes).expect("reads");
    assert_eq!(serde_json::to_value(s.format).expect("json"), "docx");
    assert_eq!(s.title, "Community-led housing in Oxford");
    assert_eq!(s.lead_member.as_deref(), Some("Oxford City Council"));
    assert_eq!(
        s.participating_members,
        ["Oxford City Council", "Oxfordshire Community Land Trust"]
    );
    assert_eq!(s.year, Some(2019));
    assert_eq!(s.status.as_deref(), Some("Policy Labs"));
    assert_eq!(s.contact.as_deref(), Some("housing@oxford.example"));
    assert_eq!(s.proposed.primary_category.as_deref(), Some("housing"));
    assert_eq!(s.proposed.categories, ["poverty", "community"]);
    assert_eq!(
        s.principles_met,
        ["co-production", "enterprise-social-economy"]
    );
    assert!(
        s.body.starts_with("Oxford's community land trust"),
        "{}",
        s.body
    );
    assert!(!s.body.contains("Please read"), "{}", s.body);
    assert!(!s.body.contains("require any help"), "{}", s.body);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    assert!(s.sources.is_empty());
}

#[test]
fn categories_typed_at_the_top_without_labels_are_proposed() {
    let bytes = docx(&filled_form(&["Housing", "Poverty, Community"]));
    let s = read_bytes("oxford.docx", &bytes).expect("reads");
    assert_eq!(s.proposed.primary_category.as_deref(), Some("housing"));
    assert_eq!(s.proposed.categories, ["poverty", "community"]);
    // an unknown name is a warning, the known ones stay
    let bytes = docx(&filled_form(&[
        "Primary category: Space travel",
        "Other categories: Jobs",
    ]));
    let s = read_bytes("oxford.docx", &bytes).expect("reads");
    assert_eq!(s.proposed.primary_category.as_deref(), Some("jobs"));
    assert!(
        s.warnings
            .iter()
            .any(|w| w.message.contains("Space travel")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn broken_word_documents_are_errors_with_their_reason() {
    let good = docx(&para("", &["Hello"]));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated",
            good[..good.len() / 2].to_vec(),
            "not a readable Word document",
        ),
        (
            "not a zip",
            b"just text".to_vec(),
            "not a readable Word document",
        ),
        (
            "no document",
            zip_of(&[("word/other.xml", b"<x/>".to_vec())]),
            "no word/document.xml",
        ),
        (
            "zip bomb",
            zip_of(&[("word/document.xml", vec![b' '; 33 * 1024 * 1024])]),
            "zip bomb",
        ),
        (
            "broken xml",
            zip_of(&[(
                "word/document.xml",
                b"<w:document><w:body><w:p></w:body>".to_vec(),
            )]),
            "not valid XML",
        ),
    ];
    for (what, bytes, reason) in cases {
        assert!(bytes.len() < 2 * 1024 * 1024, "{what}: {}", bytes.len());
        let p = read_bytes("x.docx", &bytes)
            .err()
            .unwrap_or_else(|| panic!("{what} read"));
        assert!(p.message.contains(reason), "{what}: {p}");
        assert_eq!(p.path, Path::new("x.docx"));
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    #[test]
    fn no_bytes_make_the_word_reader_panic(
        junk in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048),
        cut in 0usize..4096,
        flip in proptest::collection::vec((0usize..4096, proptest::prelude::any::<u8>()), 0..8),
    ) {
        let _ = read_bytes("junk.docx", &junk);
        let mut doc = docx(&filled_form(&["Housing"]));
        for (at, b) in flip {
            let n = doc.len();
            if let Some(x) = doc.get_mut(at % n) {
                *x ^= b;
            }
        }
        let _ = read_bytes("flipped.docx", &doc);
        doc.truncate(cut % (doc.len() + 1));
        let _ = read_bytes("cut.docx", &doc);
    }
}
