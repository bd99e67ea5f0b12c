//! The files councils actually send: what a batch reads, what it skips and
//! says so, and what each reader takes from a document.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use std::fs;
use std::path::Path;

use casetag::batch::Batch;
use casetag::taxonomy::Taxonomy;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use common::mime::base64;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    fs::write(dir.join(name), bytes).expect("write");
}

fn screen(terminal: &Terminal<TestBackend>) -> String {
    common::buffer_text(terminal.backend().buffer())
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
    assert!(
        text.contains("0 of 1 decided · 2 files skipped (? lists)"),
        "{text}"
    );

    fs::remove_file(d.join("budget.xlsx")).expect("rm");
    fs::remove_file(d.join("photo.jpg")).expect("rm");
    let app = common::open_app(d, None);
    terminal.draw(|f| casetag::ui::draw(f, &app)).expect("draw");
    assert!(!screen(&terminal).contains("skipped"));
}

#[test]
fn the_help_lists_the_skipped_files_with_their_reasons() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path();
    write(d, "hubs.md", b"# Hubs\n\nBody\n");
    write(d, "photo.jpg", b"\xFF\xD8\xFF\xE0");
    write(d, "notes.rtf", b"{\\rtf1}");
    write(d, "evil\x1b[31m.png", b"x");
    let mut app = common::open_app(d, None);
    common::keys(&mut app, "?");
    let mut terminal = Terminal::new(TestBackend::new(100, 40)).expect("terminal");
    terminal.draw(|f| casetag::ui::draw(f, &app)).expect("draw");
    let text = screen(&terminal);
    assert!(text.contains("Not read: 3 files in the folder"), "{text}");
    assert!(
        text.contains("photo.jpg: not a submission format "),
        "{text}"
    );
    assert!(
        text.contains("notes.rtf: not a submission format (save it as .docx)"),
        "{text}"
    );
    // the name is shown cleaned, its escape sequence made harmless
    assert!(text.contains("evil"), "{text}");
    assert!(!text.contains('\x1b'), "{text}");

    // nothing skipped: no such section
    for name in ["photo.jpg", "notes.rtf", "evil\x1b[31m.png"] {
        fs::remove_file(d.join(name)).expect("rm");
    }
    let mut app = common::open_app(d, None);
    common::keys(&mut app, "?");
    terminal.draw(|f| casetag::ui::draw(f, &app)).expect("draw");
    assert!(!screen(&terminal).contains("Not read"));
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
        err.ends_with("1 submission checked, no problems, 2 files skipped\n"),
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
        format!("{:?}", s.fields.lead_member),
        format!("{:?}", e.lead_member),
    );
    same(
        "participating members",
        format!("{:?}", s.fields.participating_members),
        format!("{:?}", e.participating_members),
    );
    same(
        "year",
        format!("{:?}", s.fields.year),
        format!("{:?}", e.year),
    );
    same(
        "status",
        format!("{:?}", s.fields.programme),
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

/// Whatever the bytes, a reading keeps every promise of `broken_promise`.
#[track_caller]
fn keeps_promises(read: Result<casetag::submission::Submission, casetag::problem::Problem>) {
    assert_eq!(casetag::submission::broken_promise(&read), None);
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
    assert_eq!(s.fields.lead_member.as_deref(), Some("Oxford City Council"));
    assert_eq!(
        s.fields.participating_members,
        ["Oxford City Council", "Oxfordshire Community Land Trust"]
    );
    assert_eq!(s.fields.year, Some(2019));
    assert_eq!(s.fields.programme.as_deref(), Some("Policy Labs"));
    assert_eq!(s.fields.contact.as_deref(), Some("housing@oxford.example"));
    assert_eq!(s.proposed.tags.primary_category.as_deref(), Some("housing"));
    assert_eq!(s.proposed.tags.categories, ["poverty", "community"]);
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
fn a_word_form_laid_out_with_tabs_gives_its_fields() {
    let tabbed = |label: &str, value: &str| {
        format!(
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"2880\"/></w:tabs></w:pPr><w:r><w:t>{label}</w:t><w:tab/><w:t>{value}</w:t></w:r></w:p>"
        )
    };
    let mut body = para("Title", &["Kirklees food hubs"]);
    body.push_str(&tabbed("Lead Member", "Kirklees Council"));
    body.push_str(&tabbed("Year", "2021"));
    body.push_str(&para(
        "",
        &["The hubs began in a church hall and now run in every ward."],
    ));
    let s = read_bytes("kirklees.docx", &docx(&body)).expect("reads");
    assert_eq!(s.title, "Kirklees food hubs");
    assert_eq!(s.fields.lead_member.as_deref(), Some("Kirklees Council"));
    assert_eq!(s.fields.year, Some(2021));
    assert!(s.body.contains("The hubs began"), "{}", s.body);
    assert!(!s.body.contains("Lead Member"), "{}", s.body);
}

#[test]
fn categories_typed_at_the_top_without_labels_are_proposed() {
    let bytes = docx(&filled_form(&["Housing", "Poverty, Community"]));
    let s = read_bytes("oxford.docx", &bytes).expect("reads");
    assert_eq!(s.proposed.tags.primary_category.as_deref(), Some("housing"));
    assert_eq!(s.proposed.tags.categories, ["poverty", "community"]);
    // an unknown name is a warning, the known ones stay
    let bytes = docx(&filled_form(&[
        "Primary category: Space travel",
        "Other categories: Jobs",
    ]));
    let s = read_bytes("oxford.docx", &bytes).expect("reads");
    assert_eq!(s.proposed.tags.primary_category.as_deref(), Some("jobs"));
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
        keeps_promises(read_bytes("junk.docx", &junk));
        let mut doc = docx(&filled_form(&["Housing"]));
        for (at, b) in flip {
            let n = doc.len();
            if let Some(x) = doc.get_mut(at % n) {
                *x ^= b;
            }
        }
        keeps_promises(read_bytes("flipped.docx", &doc));
        doc.truncate(cut % (doc.len() + 1));
        keeps_promises(read_bytes("cut.docx", &doc));
    }
}

// ---------------------------------------------------------------------------
// E-mails

/// A forwarded press release: the subject in RFC 2047 words, the body in
/// quoted-printable Latin-1, the forwarded message's headers in the body.
const FORWARDED: &str = "From: Jo Bloggs <jo@oldham.example>\r
To: comms@councils.coop\r
Date: Mon, 3 May 2021 09:30:00 +0100\r
Subject: =?UTF-8?Q?Fwd:_Oldham=E2=80=99s_food_hubs_open?=\r
MIME-Version: 1.0\r
Content-Type: text/plain; charset=iso-8859-1\r
Content-Transfer-Encoding: quoted-printable\r
\r
Hi, see our press release below.\r
\r
---------- Forwarded message ---------\r
From: Press Office <press@oldham.example>\r
Date: Fri, 30 Apr 2021 at 16:02\r
Subject: Oldham=92s food hubs open in five wards\r
To: Jo Bloggs <jo@oldham.example>\r
\r
Oldham Council has opened food hubs in five wards, with =A312,000 from its =\r
community fund.\r
";

#[test]
fn a_forwarded_press_release_is_titled_by_its_subject() {
    let s = read_bytes("hubs.eml", FORWARDED.as_bytes()).expect("reads");
    assert_eq!(serde_json::to_value(s.format).expect("json"), "eml");
    assert_eq!(s.title, "Oldham’s food hubs open in five wards");
    assert_eq!(
        s.sources.get("title").map(String::as_str),
        Some("the e-mail's subject")
    );
    assert!(
        s.body.contains("with £12,000 from its community fund."),
        "{}",
        s.body
    );
    assert!(!s.body.contains("press@oldham"), "{}", s.body);
    assert_eq!(
        s.fields.contact.as_deref(),
        Some("Jo Bloggs <jo@oldham.example>")
    );
    assert_eq!(
        s.sources.get("contact").map(String::as_str),
        Some("the e-mail's sender")
    );
    assert_eq!(s.fields.year, Some(2021));
    assert_eq!(s.fields.lead_member, None);
}

/// An e-mail with the given attachments (name, bytes).
pub fn mail_with(attachments: &[(&str, &[u8])]) -> Vec<u8> {
    let mut m = String::from(
        "From: Housing Team <housing@oxford.example>\r\nDate: Tue, 12 Mar 2019 10:00:00 +0000\r\nSubject: RE: Case study form\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nPlease find our form attached.\r\n",
    );
    for (name, bytes) in attachments {
        m.push_str(&format!(
            "--b1\r\nContent-Type: application/octet-stream; name=\"{name}\"\r\nContent-Disposition: attachment; filename=\"{name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
            base64(bytes)
        ));
    }
    m.push_str("--b1--\r\n");
    m.into_bytes()
}

#[test]
fn an_e_mail_with_a_form_attached_is_that_form_completed_by_the_e_mail() {
    let form = docx(&filled_form(&["Primary category: Housing"]));
    let s = read_bytes("oxford.eml", &mail_with(&[("form.docx", &form)])).expect("reads");
    assert_eq!(s.title, "Community-led housing in Oxford");
    assert_eq!(s.fields.lead_member.as_deref(), Some("Oxford City Council"));
    assert_eq!(s.fields.year, Some(2019));
    assert_eq!(s.fields.contact.as_deref(), Some("housing@oxford.example"));
    assert_eq!(s.proposed.tags.primary_category.as_deref(), Some("housing"));
    assert_eq!(
        s.principles_met,
        ["co-production", "enterprise-social-economy"]
    );
    assert_eq!(
        s.sources.get("text").map(String::as_str),
        Some("the attachment form.docx")
    );
    assert!(!s.sources.contains_key("contact"));
    assert!(
        s.warnings
            .iter()
            .any(|w| w.message.contains("read its attachment form.docx")),
        "{:?}",
        s.warnings
    );

    // A text attachment without a contact or year: the e-mail fills them.
    let note = b"Warm spaces in Hull\n\nHull opened 70 warm spaces in the winter of 2022.\n";
    let photo = [0xFFu8, 0xD8, 0xFF];
    let s = read_bytes(
        "hull.eml",
        &mail_with(&[
            ("case-study.txt", note),
            ("photo.jpg", &photo),
            ("second.md", b"# Two\n"),
        ]),
    )
    .expect("reads");
    assert_eq!(s.title, "Warm spaces in Hull");
    assert_eq!(
        s.fields.contact.as_deref(),
        Some("Housing Team <housing@oxford.example>")
    );
    assert_eq!(
        s.sources.get("contact").map(String::as_str),
        Some("the e-mail's sender")
    );
    assert_eq!(s.fields.year, Some(2019));
    assert!(
        s.warnings.iter().any(|w| w.message.contains(
            "2 submission attachments (case-study.txt, second.md); read the first, case-study.txt"
        )),
        "{:?}",
        s.warnings
    );
    // A broken attachment is a warning naming it; the e-mail's own text is
    // read.
    let s = read_bytes("bad.eml", &mail_with(&[("form.docx", b"not a zip")])).expect("reads");
    assert!(
        s.warnings.iter().any(|w| w
            .message
            .starts_with("its attachment form.docx is not read: ")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn broken_e_mails_are_errors_or_read_never_a_panic() {
    // multipart without a boundary: read as one part
    let no_boundary = b"Subject: Hubs\r\nContent-Type: multipart/mixed\r\n\r\nThe hubs opened.\r\n";
    keeps_promises(read_bytes("a.eml", no_boundary));
    let p = read_bytes("b.eml", b"").expect_err("empty is an error");
    assert!(p.message.contains("e-mail"), "{p}");
    let mut deep = String::from("Subject: Deep\r\n");
    for i in 0..200 {
        deep.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=\"b{i}\"\r\n\r\n--b{i}\r\n"
        ));
    }
    let p = read_bytes("deep.eml", deep.as_bytes()).expect_err("too deep");
    assert!(p.message.contains("nests"), "{p}");
}

// ---------------------------------------------------------------------------
// Saved web pages

const SAVED_PAGE: &str = r#"<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Participatory budgeting in Kirklees – Co-operative Councils Innovation Network</title>
<script>window.dataLayer = [];</script><style>body { color: #333 }</style></head>
<body>
<div id="cookie-law-info-bar">We use cookies on our website to give you the most relevant experience. <a>Cookie Settings</a> <a>Accept All</a></div>
<div class="cli-modal"><div>Privacy Overview</div><div>Necessary</div><div>Always Active</div></div>
<header class="site-header"><nav><ul><li><a href="/">Home</a></li><li><a href="/case-studies/">Case Studies</a></li></ul></nav></header>
<main id="content"><article>
<h1 class="entry-title">Participatory budgeting in Kirklees</h1>
<ul class="case-study-meta">
<li>Lead Member Kirklees Council</li>
<li>Participating Members Kirklees Council, Calderdale Council</li>
<li>Year 2021</li>
<li>Type Policy Prototypes</li>
</ul>
<h2>Principles met</h2>
<h3>Democratic Engagement</h3>
<p>We will support the active engagement of the full range of residents in decision making and priority setting.</p>
<h3>Innovation</h3>
<p>We will embrace innovation in how we work with local communities to drive positive change.</p>
<h2>About the project</h2>
<p>In 2021 Kirklees Council handed &pound;500,000 of its ward budgets to residents.</p>
</article></main>
<aside class="sidebar"><h3>Related posts</h3><a>Community energy in Plymouth</a> 12 March 2021</aside>
<footer>© 2021 Co-operative Councils Innovation Network</footer>
</body></html>"#;

#[test]
fn a_saved_page_reads_as_its_paste_does() {
    let s = read_bytes("kirklees.html", SAVED_PAGE.as_bytes()).expect("reads");
    assert_eq!(serde_json::to_value(s.format).expect("json"), "html");
    assert_eq!(s.title, "Participatory budgeting in Kirklees");
    assert_eq!(s.fields.lead_member.as_deref(), Some("Kirklees Council"));
    assert_eq!(
        s.fields.participating_members,
        ["Kirklees Council", "Calderdale Council"]
    );
    assert_eq!(s.fields.year, Some(2021));
    assert_eq!(s.fields.programme.as_deref(), Some("Policy Prototypes"));
    assert_eq!(s.principles_met, ["democratic-engagement", "innovation"]);
    assert!(
        s.body
            .starts_with("In 2021 Kirklees Council handed £500,000"),
        "{}",
        s.body
    );
    for noise in [
        "cookies",
        "Always Active",
        "Related posts",
        "Home",
        "©",
        "dataLayer",
    ] {
        assert!(!s.body.contains(noise), "{noise}: {}", s.body);
    }
}

#[test]
fn a_megabyte_of_nested_divs_is_read_quickly() {
    let n = 1024 * 1024 / 11;
    let html = format!("{}<p>Deep</p>{}", "<div>".repeat(n), "</div>".repeat(n / 2));
    let start = std::time::Instant::now();
    let s = read_bytes("deep.html", html.as_bytes()).expect("reads");
    assert_eq!(s.title, "Deep");
    assert!(start.elapsed().as_secs() < 10, "{:?}", start.elapsed());
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    #[test]
    fn no_bytes_make_the_mail_or_page_readers_panic(
        junk in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048),
        cut in 0usize..4096,
        flip in proptest::collection::vec((0usize..4096, proptest::prelude::any::<u8>()), 0..8),
    ) {
        keeps_promises(read_bytes("junk.eml", &junk));
        keeps_promises(read_bytes("junk.html", &junk));
        for (name, mut doc) in [
            ("m.eml", mail_with(&[("form.docx", &docx(&filled_form(&["Housing"])))])),
            ("f.eml", FORWARDED.as_bytes().to_vec()),
            ("p.html", SAVED_PAGE.as_bytes().to_vec()),
        ] {
            for (at, b) in &flip {
                let n = doc.len();
                if let Some(x) = doc.get_mut(at % n) {
                    *x ^= b;
                }
            }
            keeps_promises(read_bytes(name, &doc));
            doc.truncate(cut % (doc.len() + 1));
            keeps_promises(read_bytes(name, &doc));
        }
    }
}

#[test]
fn show_names_the_reader_and_where_fields_came_from() {
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("hubs.eml");
    fs::write(&path, FORWARDED).expect("write");
    let home = tempfile::tempdir().expect("home");
    let out = common::run_casetag(&["show", path.to_str().expect("utf8")], home.path());
    let text = common::stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("format:        eml\n"), "{text}");
    assert!(
        text.contains("  title: from the e-mail's subject\n"),
        "{text}"
    );
    assert!(
        text.contains("  contact: from the e-mail's sender\n"),
        "{text}"
    );
    let out = common::run_casetag(
        &["show", "--json", path.to_str().expect("utf8")],
        home.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["format"], "eml");
    assert_eq!(v["sources"]["year"], "the e-mail's date");
    assert_eq!(v["title"], "Oldham’s food hubs open in five wards");
}

// ---------------------------------------------------------------------------
// PDF

use common::pdf::{body, heading, pdf, pdf_with, scanned, title};

const PARTNERSHIP: &str = "We will strengthen the co-operative partnership between citizens, communities, enterprises and Councils, based on a shared sense of responsibility for wellbeing and mutual benefit.";

/// A case study as the website prints it to PDF: title, fields, the
/// principles quoted (each wrapped over lines), the story over two pages.
fn case_study_pdf() -> Vec<u8> {
    let story = "In the autumn of 2022, with energy bills at record levels, Hull City Council feared that many residents would face an impossible choice between heating and eating. Rather than open a handful of council-run centres, the council asked the city's communities what they could offer.";
    pdf_with(
        &[
            vec![
                title("Warm spaces across Hull"),
                body("Lead Member: Hull City Council"),
                body("Participating Members: Hull City Council, Kirklees Council"),
                body("Year: 2022"),
                body("Status: Innovation Fund"),
                heading("Principles met"),
                body(&format!("• {PARTNERSHIP}")),
                body(&format!("• {CO_PRODUCTION}")),
                heading("About the project"),
                body(story),
            ],
            vec![
                body("Over the winter the warm spaces recorded more than 40,000 visits."),
                body("2"),
            ],
        ],
        Some("Microsoft Word - warm-spaces.docx"),
    )
}

#[test]
fn a_pdf_gives_its_fields_principles_and_reflowed_text() {
    let s = read_bytes("hull.pdf", &case_study_pdf()).expect("reads");
    assert_eq!(serde_json::to_value(s.format).expect("json"), "pdf");
    assert_eq!(s.title, "Warm spaces across Hull");
    assert_eq!(s.fields.lead_member.as_deref(), Some("Hull City Council"));
    assert_eq!(
        s.fields.participating_members,
        ["Hull City Council", "Kirklees Council"]
    );
    assert_eq!(s.fields.year, Some(2022));
    assert_eq!(s.fields.programme.as_deref(), Some("Innovation Fund"));
    assert_eq!(s.principles_met, ["social-partnership", "co-production"]);
    // the story's wrapped lines are one paragraph again; the page number
    // is gone; the next page's text follows
    let first = s.body.lines().next().unwrap_or("");
    assert!(
        first.starts_with("In the autumn of 2022") && first.ends_with("what they could offer."),
        "{}",
        s.body
    );
    assert!(s.body.contains("\n40,000") || s.body.contains("more than 40,000 visits."));
    assert!(!s.body.lines().any(|l| l.trim() == "2"), "{}", s.body);
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // a printer's Title property ("Microsoft Word - x.docx") is not a title
    assert!(s.sources.is_empty(), "{:?}", s.sources);
}

#[test]
fn a_pdf_without_a_heading_is_titled_by_its_title_property() {
    let bytes = pdf_with(
        &[vec![body(
            "Preston City Council has moved a third of its spending to local firms.",
        )]],
        Some("Preston anchor procurement"),
    );
    let s = read_bytes("preston.pdf", &bytes).expect("reads");
    assert_eq!(s.title, "Preston anchor procurement");
    assert_eq!(
        s.sources.get("title").map(String::as_str),
        Some("the PDF's Title property")
    );
}

#[test]
fn a_pdf_over_the_page_limit_says_what_was_left_out() {
    let pages: Vec<Vec<_>> = (1..=501)
        .map(|_| vec![body("A page of the council's annual report.")])
        .collect();
    let s = read_bytes("report.pdf", &pdf(&pages)).expect("reads");
    assert!(
        s.warnings
            .iter()
            .any(|w| w.message == "only the first 500 of its 501 pages were read"),
        "{:?}",
        s.warnings
    );
    // within the limit, nothing is said
    let s = read_bytes("short.pdf", &pdf(&pages[..3])).expect("reads");
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
}

#[test]
fn a_pdf_attached_to_an_e_mail_is_read_as_a_pdf() {
    let s = read_bytes("hull.eml", &mail_with(&[("case.pdf", &case_study_pdf())])).expect("reads");
    assert_eq!(s.fields.lead_member.as_deref(), Some("Hull City Council"));
    assert_eq!(s.principles_met, ["social-partnership", "co-production"]);
}

#[test]
fn scanned_broken_and_cut_pdfs_are_errors_with_their_reason() {
    let good = pdf(&[vec![body("Hello")]]);
    let mut xref_gone = good.clone();
    if let Some(at) = xref_gone.windows(4).position(|w| w == b"xref") {
        xref_gone.truncate(at);
        xref_gone.extend_from_slice(b"%%EOF\n");
    }
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("scan", scanned(), "no text layer: a scanned PDF?"),
        ("cut", good[..good.len() / 2].to_vec(), "cut short"),
        ("not a pdf", b"%%EOF just text".to_vec(), "not a PDF"),
        (
            "no objects",
            b"%PDF-1.7\ntrailer\n<< >>\n%%EOF\n".to_vec(),
            "not a readable PDF",
        ),
        (
            "a bomb",
            {
                // a hundred streams of 1 MiB of zeros, deflated
                use std::io::Write;
                let mut z =
                    flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
                z.write_all(&vec![0u8; 1024 * 1024]).expect("deflate");
                let zeros = z.finish().expect("deflate");
                let mut objects = vec![b"<< /Type /Catalog >>".to_vec()];
                for _ in 0..100 {
                    let mut s = format!(
                        "<< /Length {} /Filter /FlateDecode >>\nstream\n",
                        zeros.len()
                    )
                    .into_bytes();
                    s.extend_from_slice(&zeros);
                    s.extend_from_slice(b"\nendstream");
                    objects.push(s);
                }
                common::pdf::assemble(&objects, "/Root 1 0 R")
            },
            "decompression bomb",
        ),
    ];
    for (what, bytes, reason) in cases {
        assert!(bytes.len() < 2 * 1024 * 1024, "{what}: {}", bytes.len());
        let p = read_bytes("x.pdf", &bytes)
            .err()
            .unwrap_or_else(|| panic!("{what} read"));
        assert!(p.message.contains(reason), "{what}: {p}");
        assert_eq!(p.path, Path::new("x.pdf"));
    }
    // without its cross-reference table the file is rebuilt from its objects
    let s = read_bytes("x.pdf", &xref_gone).expect("rebuilt");
    assert!(s.body.contains("Hello") || s.title == "Hello", "{s:?}");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    #[test]
    fn no_bytes_make_the_pdf_reader_panic(
        junk in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048),
        cut in 0usize..8192,
        flip in proptest::collection::vec((0usize..8192, proptest::prelude::any::<u8>()), 0..8),
    ) {
        let mut prefixed = b"%PDF-1.4\n".to_vec();
        prefixed.extend_from_slice(&junk);
        prefixed.extend_from_slice(b"\n%%EOF\n");
        let _ = read_bytes("junk.pdf", &junk);
        let _ = read_bytes("junk.pdf", &prefixed);
        let mut doc = case_study_pdf();
        for (at, b) in flip {
            let n = doc.len();
            if let Some(x) = doc.get_mut(at % n) {
                *x ^= b;
            }
        }
        let _ = read_bytes("flipped.pdf", &doc);
        doc.truncate(cut % (doc.len() + 1));
        let _ = read_bytes("cut.pdf", &doc);
    }
}

/// A page of one `TJ` of `runs` letters, each followed by a lone `-` drawn
/// back to the left: every run a line of its own on one baseline, every
/// other one a bullet mark looking for its item.
fn pdf_of_lone_marks(runs: usize) -> Vec<u8> {
    let mut content = b"BT /F1 11 Tf 300 700 Td [".to_vec();
    for _ in 0..runs / 2 {
        content.extend_from_slice(b"(a)5000(-)5000");
    }
    content.extend_from_slice(b"] TJ ET");
    common::pdf::one_page_of(&content, false)
}

#[test]
fn a_page_of_many_lone_bullet_marks_is_read() {
    // (the joining of marks on many more is in the reader's unit tests)
    let runs = 20_000;
    let s = read_bytes("marks.pdf", &pdf_of_lone_marks(runs)).expect("reads");
    // every letter is read, none lost to a mark
    assert_eq!(
        s.body.split_whitespace().filter(|w| *w == "a").count(),
        runs / 2,
        "{}",
        &s.body[..s.body.len().min(300)]
    );
    assert_eq!(s.title, "a");
}

/// A page of `runs` one-letter runs, each placed on a line of its own, in
/// one deflated content stream: a few kilobytes that draw a great deal.
fn pdf_of_tiny_runs(runs: usize) -> Vec<u8> {
    let mut content = b"BT /F1 11 Tf 300 700 Td ".to_vec();
    for _ in 0..runs {
        content.extend_from_slice(b"(a)Tj 0 -1 Td ");
    }
    content.extend_from_slice(b"ET");
    common::pdf::one_page_of(&content, true)
}

#[test]
fn a_small_pdf_of_very_many_text_runs_is_refused_as_too_long_to_read() {
    let bytes = pdf_of_tiny_runs(200_000);
    assert!(bytes.len() < 64 * 1024, "{}", bytes.len());
    if std::env::var_os("CASETAG_WRITE_HOSTILE").is_some() {
        fs::write("/tmp/tiny-runs.pdf", &bytes).expect("write");
    }
    let e = read_bytes("runs.pdf", &bytes).expect_err("refused");
    // The count of pieces drawn stops it; on a loaded machine, an
    // unoptimised build can reach the time budget first, which refuses it
    // as well and names its own limit.
    let e = e.to_string();
    assert!(
        e.contains("would take too long") || e.contains("took longer than 5 s"),
        "{e}"
    );
}

#[test]
fn a_word_file_with_a_run_over_4_mib_says_its_text_was_cut() {
    let big = "word ".repeat(4 * 1024 * 1024 / 5 + 10);
    let tmp = tempfile::tempdir().expect("tmp");
    let path = tmp.path().join("big.docx");
    std::fs::write(
        &path,
        docx(&format!(
            "<w:p><w:r><w:t>Before</w:t></w:r></w:p><w:p><w:r><w:t>{big}</w:t></w:r></w:p>"
        )),
    )
    .expect("write");
    let taxonomy = casetag::taxonomy::Taxonomy::builtin();
    let s = casetag::submission::read_submission(&path, &taxonomy).expect("read");
    assert!(
        s.warnings
            .iter()
            .any(|w| w.to_string().contains("cut at 4 MiB")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn a_word_file_s_main_part_is_found_through_its_relationships_and_its_notes_read() {
    let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";
    let document = format!(
        "<w:document {w}><w:body><w:p><w:r><w:t>Food hubs in Oldham</w:t></w:r></w:p>\
         <w:p><w:r><w:t>The hubs opened in 2020.</w:t></w:r><w:r><w:footnoteReference w:id=\"2\"/></w:r></w:p></w:body></w:document>"
    );
    let footnotes = format!(
        "<w:footnotes {w}><w:footnote w:type=\"separator\" w:id=\"0\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>\
         <w:footnote w:id=\"2\"><w:p><w:r><w:t>Oldham Council, annual report.</w:t></w:r></w:p></w:footnote></w:footnotes>"
    );
    let rels = "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
        <Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"/word/document2.xml\"/></Relationships>";
    let bytes = zip_of(&[
        ("_rels/.rels", rels.as_bytes().to_vec()),
        ("word/document2.xml", document.into_bytes()),
        ("word/footnotes.xml", footnotes.into_bytes()),
    ]);
    let s = read_bytes("hubs.docx", &bytes).expect("reads");
    assert_eq!(s.title, "Food hubs in Oldham");
    assert!(s.body.contains("opened in 2020.[1]"), "{}", s.body);
    assert!(
        s.body
            .contains("Notes\n\n[1] Oldham Council, annual report."),
        "{}",
        s.body
    );
    // without the relationships, no word/document.xml is no Word document
    let e = read_bytes(
        "hubs.docx",
        &zip_of(&[("word/document2.xml", b"<w:document/>".to_vec())]),
    )
    .expect_err("refused");
    assert!(e.message.contains("no word/document.xml"), "{e}");
}

#[test]
fn an_e_mail_with_a_broken_attachment_is_read_as_its_own_text() {
    let mail = "From: Press Office <press@oldham.example>\r\nSubject: Food hubs open\r\n\
        Date: Mon, 3 May 2021 10:00:00 +0100\r\nMIME-Version: 1.0\r\n\
        Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\
        Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n\
        The hubs opened in 2020 at the caf=E9 on the square.\r\n--b\r\n\
        Content-Type: application/pdf; name=\"hubs.pdf\"\r\nContent-Disposition: attachment; filename=\"hubs.pdf\"\r\n\
        Content-Transfer-Encoding: base64\r\n\r\nbm90IGEgcGRm\r\n--b--\r\n";
    let s = read_bytes("hubs.eml", mail.as_bytes()).expect("reads");
    assert_eq!(s.title, "Food hubs open");
    assert!(s.body.contains("at the café on the square"), "{}", s.body);
    assert!(
        s.warnings
            .iter()
            .any(|w| w.message.contains("attachment hubs.pdf") && w.message.contains("not read")),
        "{:?}",
        s.warnings
    );
}

#[test]
fn an_e_mail_s_text_attachment_is_decoded_by_its_declared_charset() {
    let mail = b"From: a@oldham.example\r\nSubject: =?utf-8?Q?Caf\xc3\xa9_hubs?=\r\nMIME-Version: 1.0\r\n\
        Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\n\
        Content-Type: text/plain; charset=utf-8\r\n\r\nSee attached.\r\n--b\r\n\
        Content-Type: text/plain; charset=windows-1252; name=\"hubs.txt\"\r\n\
        Content-Disposition: attachment; filename=\"hubs.txt\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
        Hubs in N\xfcrnberg\r\n\r\nThe hubs \x93opened\x94 in 2020.\r\n--b--\r\n";
    let s = read_bytes("hubs.eml", mail).expect("reads");
    assert_eq!(s.title, "Hubs in Nürnberg");
    assert!(s.body.contains("The hubs “opened” in 2020."), "{}", s.body);
    // decoded by its charset: no Windows-1252 guess to warn of
    assert!(
        !s.warnings
            .iter()
            .any(|w| w.message.contains("Windows-1252")),
        "{:?}",
        s.warnings
    );
    let s = read_bytes(
        "only.eml",
        b"From: a@b.example\r\nSubject: =?utf-8?Q?Caf\xc3\xa9_hubs?=\r\n\r\nText.\r\n",
    )
    .expect("reads");
    assert_eq!(s.title, "Café hubs");
}

#[test]
fn a_pdf_padded_after_its_end_reads_and_one_needing_a_password_is_refused_as_such() {
    let mut padded = pdf(&[vec![title("Food hubs"), body("The hubs opened in 2020.")]]);
    padded.extend_from_slice(&[0u8; 4096]);
    padded.extend_from_slice(b"\r\n \n");
    let s = read_bytes("padded.pdf", &padded).expect("NUL padding is not a cut");
    assert!(s.body.contains("opened in 2020"), "{}", s.body);
    // An /Encrypt whose user password is not empty: the empty one fails.
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec(),
        format!(
            "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <{o}> /U <{u}> >>",
            o = "7a".repeat(32),
            u = "3c".repeat(32)
        )
        .into_bytes(),
    ];
    let locked = common::pdf::assemble(
        &objects,
        "/Root 1 0 R /Encrypt 4 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]",
    );
    let e = read_bytes("locked.pdf", &locked).expect_err("refused");
    assert!(
        e.message
            .contains("it is protected by a password: ask for a copy without one"),
        "{e}"
    );
}

/// An OpenDocument text (a zip of XML parts, as LibreOffice writes it).
fn odt(content: &str, title: Option<&str>) -> Vec<u8> {
    let ns = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" \
              xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" \
              xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\"";
    let mut entries = vec![
        ("mimetype", b"application/vnd.oasis.opendocument.text".to_vec()),
        (
            "content.xml",
            format!("<office:document-content {ns}><office:body><office:text>{content}</office:text></office:body></office:document-content>")
                .into_bytes(),
        ),
    ];
    if let Some(t) = title {
        entries.push((
            "meta.xml",
            format!("<office:document-meta xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><office:meta><dc:title>{t}</dc:title></office:meta></office:document-meta>")
                .into_bytes(),
        ));
    }
    zip_of(&entries)
}

#[test]
fn an_opendocument_text_reads_as_a_word_document_does() {
    let cell = |t: &str| format!("<table:table-cell><text:p>{t}</text:p></table:table-cell>");
    let row =
        |a: &str, b: &str| format!("<table:table-row>{}{}</table:table-row>", cell(a), cell(b));
    let content = format!(
        "<text:p>Primary category: Housing</text:p>\
         <text:h text:outline-level=\"1\">Community-led housing</text:h>\
         <table:table>{}{}</table:table>\
         <text:h text:outline-level=\"2\">Principles met</text:h><text:p>{CO_PRODUCTION}</text:p>\
         <text:h text:outline-level=\"2\">About the project</text:h>\
         <text:p>Oxford<text:s/>lent land<text:s text:c=\"2\"/>to three<text:line-break/>housing co-operatives.</text:p>\
         <text:list><text:list-item><text:p>Forty homes</text:p></text:list-item></text:list>",
        row("Lead Member", "Oxford City Council"),
        row("Year", "2023"),
    );
    let s = read_bytes(
        "housing.odt",
        &odt(&content, Some("Community-led housing in Oxford")),
    )
    .expect("reads");
    assert_eq!(s.title, "Community-led housing in Oxford");
    assert_eq!(s.fields.lead_member.as_deref(), Some("Oxford City Council"));
    assert_eq!(s.fields.year, Some(2023));
    assert_eq!(s.proposed.tags.primary_category.as_deref(), Some("housing"));
    assert_eq!(s.principles_met, ["co-production"]);
    assert!(
        s.body
            .contains("Oxford lent land to three housing co-operatives."),
        "{}",
        s.body
    );
    assert!(s.body.contains("• Forty homes"), "{}", s.body);
    // without meta.xml, the first heading is the title
    let s = read_bytes("housing.odt", &odt(&content, None)).expect("reads");
    assert_eq!(s.title, "Community-led housing");
    assert_eq!(serde_json::to_value(s.format).expect("json"), "odt");
    // not a zip, or no content.xml: an error naming the problem
    let e = read_bytes("bad.odt", b"PK not really").expect_err("refused");
    assert!(e.message.contains("OpenDocument text"), "{e}");
    let e = read_bytes("empty.odt", &zip_of(&[("mimetype", b"x".to_vec())])).expect_err("refused");
    assert!(e.message.contains("no content.xml"), "{e}");
}

/// An Outlook message: an OLE compound file of MAPI property streams, as
/// Outlook writes them (strings UTF-16, the date in the properties stream).
fn msg(props: &[(&str, &str)], rtf: Option<&[u8]>, attachment: Option<(&str, &[u8])>) -> Vec<u8> {
    use std::io::Write;
    let mut cf = cfb::CompoundFile::create(std::io::Cursor::new(Vec::new())).expect("cfb");
    let utf16 = |s: &str| {
        s.encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect::<Vec<u8>>()
    };
    for (id, value) in props {
        let mut s = cf
            .create_stream(format!("/__substg1.0_{id}001F"))
            .expect("stream");
        s.write_all(&utf16(value)).expect("write");
    }
    // 32 bytes of header, then PR_CLIENT_SUBMIT_TIME: 2021-05-03 as a FILETIME
    let mut properties = vec![0u8; 32];
    properties.extend_from_slice(&0x0039_0040u32.to_le_bytes());
    properties.extend_from_slice(&6u32.to_le_bytes());
    let unix: i64 = 1_620_036_000;
    properties.extend_from_slice(&((unix + 11_644_473_600) * 10_000_000).to_le_bytes());
    cf.create_stream("/__properties_version1.0")
        .expect("stream")
        .write_all(&properties)
        .expect("write");
    if let Some(rtf) = rtf {
        // stored uncompressed ("MELA")
        let mut data = Vec::new();
        data.extend_from_slice(&u32::try_from(rtf.len() + 12).expect("len").to_le_bytes());
        data.extend_from_slice(&u32::try_from(rtf.len()).expect("len").to_le_bytes());
        data.extend_from_slice(b"MELA");
        data.extend_from_slice(&[0; 4]);
        data.extend_from_slice(rtf);
        cf.create_stream("/__substg1.0_10090102")
            .expect("stream")
            .write_all(&data)
            .expect("write");
    }
    if let Some((name, data)) = attachment {
        cf.create_storage("/__attach_version1.0_#00000000")
            .expect("storage");
        cf.create_stream("/__attach_version1.0_#00000000/__substg1.0_3707001F")
            .expect("stream")
            .write_all(&utf16(name))
            .expect("write");
        cf.create_stream("/__attach_version1.0_#00000000/__substg1.0_37010102")
            .expect("stream")
            .write_all(data)
            .expect("write");
    }
    cf.flush().expect("flush");
    cf.into_inner().into_inner()
}

#[test]
fn an_outlook_message_reads_as_an_e_mail_does() {
    let props = [
        ("0037", "FW: Food hubs open"),
        ("0C1A", "Press Office"),
        ("0C1F", "press@oldham.example"),
        ("1000", "The hubs opened today in three church halls."),
    ];
    let s = read_bytes("hubs.msg", &msg(&props, None, None)).expect("reads");
    assert_eq!(serde_json::to_value(s.format).expect("json"), "msg");
    assert_eq!(s.title, "Food hubs open");
    assert_eq!(
        s.fields.contact.as_deref(),
        Some("Press Office <press@oldham.example>")
    );
    assert_eq!(s.fields.year, Some(2021));
    assert!(
        s.body.contains("opened today in three church halls"),
        "{}",
        s.body
    );
    // no plain body: the RTF one, as text
    let rtf = br"{\rtf1\ansi{\fonttbl{\f0 Arial;}}\f0 The hubs opened in the caf\'e9.\par Forty families a week.}";
    let s = read_bytes("rtf.msg", &msg(&props[..3], Some(rtf), None)).expect("reads");
    assert!(
        s.body.contains("The hubs opened in the café."),
        "{}",
        s.body
    );
    assert!(s.body.contains("Forty families a week."), "{}", s.body);
    // an attached submission is the submission, the message filling gaps
    let form = b"Food hubs in Oldham\n\n- Lead Member Oldham Council\n\nAbout the project\n\nThe hubs opened.\n";
    let s = read_bytes(
        "fwd.msg",
        &msg(&props, None, Some(("hubs.txt", form.as_slice()))),
    )
    .expect("reads");
    assert_eq!(s.fields.lead_member.as_deref(), Some("Oldham Council"));
    assert!(
        s.warnings
            .iter()
            .any(|w| w.message.contains("read its attachment hubs.txt")),
        "{:?}",
        s.warnings
    );
    // not a compound file: an error naming the format
    let e = read_bytes("bad.msg", b"not an OLE file").expect_err("refused");
    assert!(e.message.contains("Outlook message"), "{e}");
}

/// The sample's forwarded press release: Sam's covering note and the
/// release's "Ends" are the e-mail's note, not the case study; the raw
/// pound sign of its Latin-1 quoted-printable body is kept.
#[test]
fn a_forwarded_press_release_is_read_without_its_covering_note_and_keeps_its_pound_sign() {
    let path = common::sample_dir().join("wigan-deal-press-release.eml");
    let bytes = fs::read(&path).expect("the sample");
    let s = read_bytes("wigan-deal-press-release.eml", &bytes).expect("reads");
    assert!(
        s.body.starts_with("Wigan Council and its residents"),
        "{}",
        s.body
    );
    assert!(s.body.contains("£2 million"), "{}", s.body);
    assert!(
        !s.body.contains("Dear colleagues") && !s.body.contains("Ends"),
        "{}",
        s.body
    );
    let note = s.covering_note.as_deref().expect("a covering note");
    assert!(
        note.contains("Dear colleagues") && note.contains("Thanks, Sam"),
        "{note}"
    );
    // the pack's excerpt starts with the release
    let e = casetag::export::excerpt(&s.body);
    assert!(e.starts_with("Wigan Council"), "{e}");
}

/// A text whose first line is a paragraph has no title line: its title is
/// the file's name, marked as such, not its first sentence cut at 70.
#[test]
fn a_text_without_a_title_line_is_titled_by_its_file_name_and_says_so() {
    let para = "In the autumn of 2022, with energy bills at record levels, Hull City Council feared \
                that many residents would face an impossible choice between heating and eating.";
    let s = read_bytes(
        "hull-warm-spaces.txt",
        format!("{para}\n\nMore text.\n").as_bytes(),
    )
    .expect("reads");
    assert_eq!(s.title, "Hull warm spaces");
    assert!(s.title_is_made_up());
    assert!(
        s.sources["title"].contains("no title line"),
        "{:?}",
        s.sources
    );
    // the paragraph stays the text
    assert!(s.body.starts_with("In the autumn of 2022"), "{}", s.body);
    // a line that reads as a title is the title
    let s = read_bytes(
        "x.txt",
        format!("Warm spaces in Hull\n\n{para}\n").as_bytes(),
    )
    .expect("reads");
    assert_eq!(s.title, "Warm spaces in Hull");
    assert!(!s.title_is_made_up());
}

/// A Word document made from Markdown opens with its details, each in its
/// own style: the title is the title, the others a note, none repeated as
/// the first lines of its text.
#[test]
fn a_word_file_s_opening_details_are_its_title_and_a_note_not_its_text() {
    let body = format!(
        "{}{}{}{}{}",
        para("Title", &["Warm spaces in Hull"]),
        para("Author", &["Hull City Council"]),
        para("Date", &["March 2023"]),
        para("", &["Libraries opened as warm spaces all winter."]),
        para("", &["Volunteers served hot drinks."]),
    );
    let s = read_bytes("hull.docx", &docx(&body)).expect("reads");
    assert_eq!(s.title, "Warm spaces in Hull");
    assert!(s.body.starts_with("Libraries opened"), "{}", s.body);
    assert!(!s.body.contains("Hull City Council"), "{}", s.body);
    let note = s
        .warnings
        .iter()
        .find(|w| w.message.contains("details"))
        .unwrap_or_else(|| panic!("no note: {:?}", s.warnings));
    assert!(
        note.message
            .ends_with("author “Hull City Council”; date “March 2023”"),
        "{note}"
    );
}

/// A page of Helvetica drawn by `content`, with more resources and objects
/// numbered from 6.
fn pdf_page(content: &[u8], resources: &str, more: &[Vec<u8>]) -> Vec<u8> {
    common::pdf::page_with(common::pdf::stream("", content), resources, more)
}

#[test]
fn a_pdf_s_text_inside_a_form_is_read_and_a_form_that_draws_itself_is_drawn_once() {
    let form = common::pdf::stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F9 5 0 R >> /XObject << /Me 6 0 R >> >>",
        b"BT /F9 11 Tf 72 700 Td (Drawn by the form) Tj ET /Me Do",
    );
    let bytes = pdf_page(
        b"BT /F1 11 Tf 72 760 Td (On the page itself) Tj ET /X1 Do",
        "/Font << /F1 5 0 R >> /XObject << /X1 6 0 R >>",
        &[form],
    );
    let s = read_bytes("form.pdf", &bytes).expect("reads");
    assert!(s.body.contains("On the page itself"), "{}", s.body);
    assert_eq!(s.body.matches("Drawn by the form").count(), 1, "{}", s.body);
}

#[test]
fn a_pdf_page_whose_filter_is_named_by_reference_is_inflated() {
    let content = common::pdf::stream(
        "/Filter 6 0 R",
        &common::pdf::deflated(b"BT /F1 11 Tf 72 700 Td (Filtered by reference) Tj ET"),
    );
    let bytes = common::pdf::page_with(
        content,
        "/Font << /F1 5 0 R >>",
        &[b"/FlateDecode".to_vec()],
    );
    let s = read_bytes("filter.pdf", &bytes).expect("reads");
    assert!(s.body.contains("Filtered by reference"), "{}", s.body);
}

#[test]
fn pdf_text_raised_is_apart_and_text_off_the_page_is_not_read() {
    let bytes = pdf_page(
        b"BT /F1 20 Tf 72 700 Td (Hello) Tj 24 Ts (Hello) Tj 0 Ts ET \
          BT /F1 11 Tf 72 2000 Td (Drawn above the page) Tj ET",
        "/Font << /F1 5 0 R >>",
        &[],
    );
    let s = read_bytes("rise.pdf", &bytes).expect("reads");
    let all = format!("{}\n{}", s.title, s.body);
    assert!(!all.contains("HelloHello"), "{all}");
    assert_eq!(s.body.matches("Hello").count(), 2, "{}", s.body);
    assert!(!all.contains("above the page"), "{all}");
}

#[test]
fn a_pdf_page_of_figures_keeps_them_and_a_page_number_below_text_is_dropped() {
    let mut content = Vec::new();
    for (i, n) in ["1 4 7", "2 5 8", "3 6 9"].iter().enumerate() {
        content.extend_from_slice(
            format!("BT /F1 11 Tf 72 {} Td ({n}) Tj ET\n", 700 - 14 * i).as_bytes(),
        );
    }
    let s = read_bytes(
        "table.pdf",
        &pdf_page(&content, "/Font << /F1 5 0 R >>", &[]),
    )
    .expect("reads");
    for n in ["1 4 7", "2 5 8", "3 6 9"] {
        assert!(s.body.contains(n), "{n}: {}", s.body);
    }
    let s = read_bytes(
        "numbered.pdf",
        &pdf_page(
            b"BT /F1 11 Tf 72 700 Td (The hubs opened in 2020.) Tj ET \
              BT /F1 11 Tf 290 40 Td (2) Tj ET",
            "/Font << /F1 5 0 R >>",
            &[],
        ),
    )
    .expect("reads");
    assert!(s.body.contains("opened in 2020."), "{}", s.body);
    assert!(!s.body.lines().any(|l| l.trim() == "2"), "{}", s.body);
}

#[test]
fn a_pdf_glyph_marked_with_the_text_it_stands_for_reads_as_that_text() {
    // one glyph drawn twice, the second time standing for another word
    let bytes = pdf_page(
        b"BT /F1 11 Tf 72 700 Td (Hello ) Tj /Span << /ActualText <FEFF0057006F0072006C0064> >> BDC (Hello) Tj EMC ET",
        "/Font << /F1 5 0 R >>",
        &[],
    );
    let s = read_bytes("actual.pdf", &bytes).expect("reads");
    let all = format!("{}\n{}", s.title, s.body);
    assert!(all.contains("Hello World"), "{all}");
    assert!(
        !all.contains("HelloHello") && !all.contains("Hello Hello"),
        "{all}"
    );
}

/// A Japanese Type0 font (Adobe-Japan1) without a Unicode map, its codes
/// read through the CMap `encoding`.
fn japanese_font(encoding: &str) -> Vec<Vec<u8>> {
    vec![
        format!("<< /Type /Font /Subtype /Type0 /BaseFont /Ryumin-Light /Encoding /{encoding} /DescendantFonts [7 0 R] >>").into_bytes(),
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /Ryumin-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (Japan1) /Supplement 2 >> >>".to_vec(),
    ]
}

#[test]
fn a_pdf_in_a_cjk_cmap_is_decoded_and_one_of_bare_glyph_codes_is_refused_as_such() {
    // あい in Shift_JIS, and in JIS X 0208 rows and cells (the H CMap)
    for (cmap, codes) in [("90ms-RKSJ-H", "82A082A2"), ("H", "24222424")] {
        let content =
            format!("BT /F1 11 Tf 72 720 Td (Kana) Tj ET BT /J1 11 Tf 72 700 Td <{codes}> Tj ET");
        let bytes = pdf_page(
            content.as_bytes(),
            "/Font << /F1 5 0 R /J1 6 0 R >>",
            &japanese_font(cmap),
        );
        let s = read_bytes("kana.pdf", &bytes).expect("reads");
        assert!(s.body.contains("あい"), "{cmap}: {}", s.body);
    }
    // Identity-H: the codes are the collection's glyph numbers, not text
    let bytes = pdf_page(
        b"BT /J1 11 Tf 72 700 Td <0286028A> Tj ET",
        "/Font << /J1 6 0 R >>",
        &japanese_font("Identity-H"),
    );
    let e = read_bytes("glyphs.pdf", &bytes).expect_err("refused");
    assert!(
        e.message.contains(
            "its text cannot be decoded (its fonts carry no Unicode map: their codes are \
             glyphs of the Adobe-Japan1 character collection, not letters)"
        ),
        "{e}"
    );
}

#[test]
fn a_pdf_form_field_s_value_is_read_from_its_appearance() {
    // a text field's value, drawn by its appearance in the field's box;
    // a hidden annotation's is not shown
    let field = common::pdf::stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << /Font << /F1 5 0 R >> >>",
        b"BT /F1 11 Tf 2 6 Td (Oldham Council) Tj ET",
    );
    let hidden = common::pdf::stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 200 20] /Resources << /Font << /F1 5 0 R >> >>",
        b"BT /F1 11 Tf 2 6 Td (Never shown) Tj ET",
    );
    let content = common::pdf::stream("", b"BT /F1 11 Tf 72 700 Td (Lead Member:) Tj ET");
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots [6 0 R 8 0 R] >>".to_vec(),
        content,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /F 4 /Rect [150 694 350 714] /AP << /N 7 0 R >> >>".to_vec(),
        field,
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /F 2 /Rect [150 600 350 620] /AP << /N 9 0 R >> >>".to_vec(),
        hidden,
    ];
    let bytes = common::pdf::assemble(&objects, "/Root 1 0 R");
    let s = read_bytes("field.pdf", &bytes).expect("reads");
    // the label and the value it lies beside read as the field they are
    assert_eq!(
        s.fields.lead_member.as_deref(),
        Some("Oldham Council"),
        "{s:?}"
    );
    assert!(!format!("{s:?}").contains("Never shown"), "{s:?}");
}

#[test]
fn a_pdf_line_turned_up_the_page_is_one_line_and_text_drawn_twice_is_read_once() {
    let bytes = pdf_page(
        b"BT /F1 11 Tf 0 1 -1 0 90 400 Tm [(Te) -3 (st) -300 (axis)] TJ ET \
          BT /F1 11 Tf 72 700 Td (Saint-Sauveur) Tj ET BT /F1 11 Tf 72.2 700 Td (Saint-Sauveur) Tj ET",
        "/Font << /F1 5 0 R >>",
        &[],
    );
    let s = read_bytes("turned.pdf", &bytes).expect("reads");
    assert!(s.body.contains("Test axis"), "{}", s.body);
    assert_eq!(s.body.matches("Saint-Sauveur").count(), 1, "{}", s.body);
}

#[test]
fn pdf_forms_drawing_forms_are_drawn_twelve_deep_at_most() {
    // form k (object 5 + k) draws "Level k" and form k + 1
    let forms: Vec<Vec<u8>> = (1..=20)
        .map(|k| {
            common::pdf::stream(
                &format!(
                    "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> /XObject << /Next {} 0 R >> >>",
                    6 + k
                ),
                format!("BT /F1 11 Tf 72 {} Td (Level {k}) Tj ET /Next Do", 800 - 20 * k).as_bytes(),
            )
        })
        .collect();
    let bytes = pdf_page(
        b"/X1 Do",
        "/Font << /F1 5 0 R >> /XObject << /X1 6 0 R >>",
        &forms,
    );
    let s = read_bytes("deep.pdf", &bytes).expect("reads");
    let all = format!("{}\n{}", s.title, s.body);
    assert!(all.contains("Level 12"), "{all}");
    assert!(!all.contains("Level 13"), "{all}");
    let said = |s: &casetag::submission::Submission| {
        s.warnings.iter().any(|w| {
            w.message
                .contains("nest more than 12 deep or number more than 10000")
        })
    };
    assert!(said(&s), "{:?}", s.warnings);
    // a form drawn 30,000 times is drawn 10,000 times, said, and soon done
    let form = common::pdf::stream(
        "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>",
        b"BT /F1 11 Tf 72 700 Td (Stamped) Tj ET",
    );
    let content = b"/X1 Do ".repeat(30_000);
    let started = std::time::Instant::now();
    let s = read_bytes(
        "many.pdf",
        &pdf_page(
            &content,
            "/Font << /F1 5 0 R >> /XObject << /X1 6 0 R >>",
            &[form],
        ),
    )
    .expect("reads");
    assert!(started.elapsed() < std::time::Duration::from_secs(5));
    assert_eq!(s.body.matches("Stamped").count(), 1, "{}", s.body);
    assert!(said(&s), "{:?}", s.warnings);
}

/// A Type0 font of two-byte codes without a character collection's
/// glyphs (Adobe-Identity), with the `ToUnicode` entry given.
fn identity_font(to_unicode: &str) -> Vec<Vec<u8>> {
    vec![
        format!("<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEE+Arial /Encoding /Identity-H /DescendantFonts [7 0 R] {to_unicode} >>").into_bytes(),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEE+Arial /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>".to_vec(),
    ]
}

#[test]
fn a_pdf_font_whose_unicode_map_is_the_identity_reads_and_one_with_none_is_left_out_said() {
    // "Łódź" as UTF-16 codes, the Unicode map named Identity-H
    let content =
        b"BT /F1 11 Tf 72 720 Td (City:) Tj ET BT /I1 11 Tf 72 700 Td <014100F30064017A> Tj ET";
    let s = read_bytes(
        "lodz.pdf",
        &pdf_page(
            content,
            "/Font << /F1 5 0 R /I1 6 0 R >>",
            &identity_font("/ToUnicode /Identity-H"),
        ),
    )
    .expect("reads");
    assert!(s.body.contains("Łódź"), "{}", s.body);
    // no Unicode map at all: the codes are glyph numbers, left out, said
    let s = read_bytes(
        "glyphs.pdf",
        &pdf_page(
            content,
            "/Font << /F1 5 0 R /I1 6 0 R >>",
            &identity_font(""),
        ),
    )
    .expect("reads the rest");
    assert!(s.body.contains("City:"), "{}", s.body);
    assert!(!s.body.contains('B'), "{}", s.body);
    assert!(
        s.warnings.iter().any(|w| w.message.contains(
            "4 of its characters, drawn in a font without a Unicode map (its codes are the \
             font's own glyph numbers), could not be decoded and were left out"
        )),
        "{:?}",
        s.warnings
    );
}

#[test]
fn a_pdf_form_field_left_for_the_viewer_to_draw_is_read_by_its_value() {
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [6 0 R] /NeedAppearances true >> >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R /Annots [7 0 R] >>".to_vec(),
        common::pdf::stream("", b"BT /F1 11 Tf 72 700 Td (The hubs opened in 2020.) Tj ET"),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
        // the field, and its widget on the page inheriting type and value
        b"<< /FT /Tx /T (council) /V <FEFF00480075006C006C00200043006F0075006E00630069006C> /Kids [7 0 R] >>".to_vec(),
        b"<< /Type /Annot /Subtype /Widget /Parent 6 0 R /F 4 /Rect [72 640 300 660] >>".to_vec(),
    ];
    let s = read_bytes(
        "viewer.pdf",
        &common::pdf::assemble(&objects, "/Root 1 0 R"),
    )
    .expect("reads");
    assert!(s.body.contains("Hull Council"), "{}", s.body);
}

#[test]
fn a_pdf_line_of_arabic_drawn_in_parts_reads_in_its_order() {
    let cmap = b"/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
/CMapName /Arabic def\n/CMapType 2 def\n\
1 begincodespacerange\n<00> <FF>\nendcodespacerange\n\
5 beginbfchar\n<01> <0627>\n<02> <0628>\n<03> <062D>\n<04> <0631>\n<05> <0645>\nendbfchar\n\
endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    let bytes = pdf_page(
        // "مرحبا" as it is drawn, left to right, in two parts
        b"BT /F1 11 Tf 72 720 Td (Arabic:) Tj ET BT /A1 11 Tf 72 700 Td [<0102> 10 <030405>] TJ ET",
        "/Font << /F1 5 0 R /A1 6 0 R >>",
        &[
            b"<< /Type /Font /Subtype /TrueType /BaseFont /Arial /ToUnicode 7 0 R >>".to_vec(),
            common::pdf::stream("", cmap),
        ],
    );
    let s = read_bytes("arabic.pdf", &bytes).expect("reads");
    assert!(s.body.contains("مرحبا"), "{}", s.body);
}

#[test]
fn a_pdf_word_in_a_standard_font_without_widths_set_in_pieces_is_one_word() {
    // "BUTTO" is 40.668 points wide in 12-point Helvetica: the "N" set
    // where it ends is the same word, and a space drawn flat is not seen
    let bytes = pdf_page(
        b"BT /F1 12 Tf 1 0 0 1 72 700 Tm (BUTTO) Tj 0 0 0 1 112.668 700 Tm ( ) Tj \
          1 0 0 1 112.668 700 Tm (N) Tj ET",
        "/Font << /F1 5 0 R >>",
        &[],
    );
    let s = read_bytes("button.pdf", &bytes).expect("reads");
    let all = format!("{}\n{}", s.title, s.body);
    assert!(all.contains("BUTTON"), "{all}");
}

#[test]
fn a_pdf_form_of_very_many_fonts_drawn_very_many_times_is_refused_as_too_long() {
    let fonts: String = (0..50_000).map(|i| format!("/F{i} 5 0 R ")).collect();
    let form = common::pdf::stream(
        &format!(
            "/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << {fonts} >> >>"
        ),
        b"BT /F1 11 Tf 72 700 Td (Stamped) Tj ET",
    );
    let content = b"/X1 Do ".repeat(10_000);
    let started = std::time::Instant::now();
    let e = read_bytes(
        "fonts.pdf",
        &pdf_page(
            &content,
            "/Font << /F1 5 0 R >> /XObject << /X1 6 0 R >>",
            &[form],
        ),
    )
    .expect_err("refused");
    assert!(e.message.contains("reading it would take too long"), "{e}");
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}
