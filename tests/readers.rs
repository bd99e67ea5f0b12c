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
