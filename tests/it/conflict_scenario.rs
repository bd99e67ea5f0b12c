//! Resolving conflicts from the keyboard: a record that git's merge driver
//! left with a `[conflict]` table, and a conflict copy left by a synced
//! folder, each resolved field by field, every pick saved and undoable.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use std::path::Path;

use casetag::app::Overlay;
use casetag::batch::Status;
use common::{food_hubs, keys, message, open_app, record_on_disk, run_casetag, stdout};

/// The record, approved by Jo with a note.
fn tagging() -> String {
    format!(
        "{}decision = \"approve\"\nnote = \"Ask for a photo.\"\n",
        food_hubs::RECORD
    )
}

const CONFLICT: &str = r#"
[conflict.decision]
ours = "approve"
theirs = "decline"
ours_reviewer = "jo"
theirs_reviewer = "sam"

[conflict.note]
ours = "Ask for a photo."
theirs = "Out of scope."
"#;

fn batch_with(record: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("food-hubs.md"), food_hubs::SUBMISSION).unwrap();
    std::fs::write(dir.path().join("food-hubs.review.toml"), record).unwrap();
    dir
}

fn fields(dir: &Path) -> Vec<String> {
    record_on_disk(dir, "food-hubs")
        .conflicts()
        .unwrap()
        .into_iter()
        .map(|c| c.field)
        .collect()
}

#[test]
fn a_merge_conflict_is_resolved_per_field_and_undone_per_pick() {
    let dir = batch_with(&format!("{}{CONFLICT}", tagging()));
    let state = tempfile::tempdir().unwrap();
    let mut app = open_app(dir.path(), Some(state.path()));
    assert_eq!(app.status(0), Status::Conflict);
    assert_eq!(Status::Conflict.mark(), "≠");
    // the status filter finds the submissions in conflict
    for _ in 0..20 {
        if app.filter.map(|f| f.name()) == Some("conflict") {
            break;
        }
        keys(&mut app, "f");
    }
    assert_eq!(app.filter.map(|f| f.name()), Some("conflict"));
    assert_eq!(app.view, [0]);
    keys(&mut app, "F");

    // tagging waits for the conflict
    keys(&mut app, "x");
    assert!(
        message(&app).contains("resolve its conflict first"),
        "{}",
        message(&app)
    );
    assert_eq!(
        record_on_disk(dir.path(), "food-hubs").decision.as_deref(),
        Some("approve")
    );

    keys(&mut app, "<enter>");
    let Overlay::Conflict(r) = &app.overlay else {
        panic!("no conflict pop-up: {}", message(&app));
    };
    assert_eq!(r.conflicts().len(), 2);

    // decision: theirs
    keys(&mut app, "<down><enter>");
    let r = record_on_disk(dir.path(), "food-hubs");
    assert_eq!(r.decision.as_deref(), Some("decline"));
    assert_eq!(r.reviewer.as_deref(), Some("officer"));
    assert_eq!(fields(dir.path()), ["note"]);
    assert!(matches!(app.overlay, Overlay::Conflict(_)));
    assert!(message(&app).contains("1 to go"), "{}", message(&app));

    // note: ours; the last pick removes the table and closes the pop-up
    keys(&mut app, "<enter>");
    assert!(matches!(app.overlay, Overlay::None));
    let text = std::fs::read_to_string(dir.path().join("food-hubs.review.toml")).unwrap();
    assert!(!text.contains("conflict"), "{text}");
    assert!(text.contains("colour = \"green\""), "{text}");
    let r = record_on_disk(dir.path(), "food-hubs");
    assert_eq!(r.note.as_deref(), Some("Ask for a photo."));
    assert_eq!(app.status(0), Status::Declined);
    let out = run_casetag(&["check", dir.path().to_str().unwrap()], state.path());
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));

    // each pick is one undo step
    keys(&mut app, "u");
    assert_eq!(fields(dir.path()), ["note"]);
    assert_eq!(app.status(0), Status::Conflict);
    keys(&mut app, "u");
    assert_eq!(fields(dir.path()), ["decision", "note"]);
    assert_eq!(
        record_on_disk(dir.path(), "food-hubs").decision.as_deref(),
        Some("approve")
    );
    keys(&mut app, "<ctrl-r>");
    assert_eq!(fields(dir.path()), ["note"]);
    assert_eq!(
        record_on_disk(dir.path(), "food-hubs").decision.as_deref(),
        Some("decline")
    );

    // leaving the pop-up keeps what is left to resolve
    keys(&mut app, "<enter><esc>");
    assert!(matches!(app.overlay, Overlay::None));
    assert_eq!(fields(dir.path()), ["note"]);
}

#[test]
fn a_synced_folders_conflict_copy_is_merged_then_removed() {
    let dir = batch_with(&tagging());
    let copy_name = "food-hubs.review (Jo's conflicted copy 2026-12-07).toml";
    let copy = tagging()
        .replace("\"innovation\"", "\"innovation\", \"learning\"")
        .replace("Ask for a photo.", "Photo received.")
        .replace("\"jo\"", "\"sam\"");
    std::fs::write(dir.path().join(copy_name), copy).unwrap();
    let home = tempfile::tempdir().unwrap();

    // check names the copy, rather than skipping it
    let out = run_casetag(&["check", dir.path().to_str().unwrap()], home.path());
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    assert!(report.contains(copy_name), "{report}");
    assert!(report.contains("left by Dropbox"), "{report}");
    assert!(!common::stderr(&out).contains("not a submission format"));

    let mut app = open_app(dir.path(), None);
    assert_eq!(app.status(0), Status::Conflict);
    keys(&mut app, "<enter>");
    let Overlay::Conflict(r) = &app.overlay else {
        panic!("no conflict pop-up: {}", message(&app));
    };
    let differ: Vec<&str> = r.conflicts().iter().map(|c| c.field.as_str()).collect();
    // no base: both versions of every field they hold differently
    assert_eq!(differ, ["principles", "note"]);
    assert!(r.copy().is_some());

    // principles: theirs; the copy stays until the last pick is saved
    keys(&mut app, "<down><enter>");
    assert!(dir.path().join(copy_name).exists());
    assert_eq!(
        record_on_disk(dir.path(), "food-hubs").tags.principles,
        ["innovation", "learning"]
    );
    // note: theirs
    keys(&mut app, "<down><enter>");
    assert!(matches!(app.overlay, Overlay::None));
    assert!(
        !dir.path().join(copy_name).exists(),
        "the copy is merged and removed"
    );
    let r = record_on_disk(dir.path(), "food-hubs");
    assert_eq!(r.note.as_deref(), Some("Photo received."));
    assert_eq!(app.status(0), Status::Approved);
    assert!(message(&app).contains("removed"), "{}", message(&app));
    let out = run_casetag(&["check", dir.path().to_str().unwrap()], home.path());
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
}

#[test]
fn each_services_copy_is_listed_as_a_conflict() {
    for name in [
        "food-hubs.review-LAPTOP-7QX2.toml",
        "food-hubs.review-LAPTOP-7QX2-2.toml",
        "food-hubs.review.sync-conflict-20261207-101500-ABCDEFG.toml",
    ] {
        let dir = batch_with(&tagging());
        std::fs::write(
            dir.path().join(name),
            tagging().replace("approve", "decline"),
        )
        .unwrap();
        let app = open_app(dir.path(), None);
        assert_eq!(app.status(0), Status::Conflict, "{name}");
        assert!(
            app.batch.skipped.is_empty(),
            "{name}: {:?}",
            app.batch.skipped
        );
    }
}

#[test]
fn the_conflict_pop_up_shows_both_versions_inert_at_80x24() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    // TOML's escapes: an escape sequence and a right-to-left override
    let hostile = CONFLICT.replace("Out of scope.", "Out\\u001b[31m of \\u202Escope.");
    let dir = batch_with(&format!("{}{hostile}", tagging()));
    let mut app = open_app(dir.path(), None);
    keys(&mut app, "<enter><down>");
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| casetag::ui::draw_with(f, &app, &casetag::ui::Theme::MONOCHROME))
        .unwrap();
    let screen = common::buffer_text(terminal.backend().buffer());
    for want in [
        "Conflict: Community food hubs",
        "Decision",
        "ours    approve  (jo)",
        "theirs  decline  (sam)",
        "Note",
        "Ask for a photo.",
        "confirm",
    ] {
        assert!(screen.contains(want), "{want:?} not on screen:\n{screen}");
    }
    assert!(
        !screen.contains('\u{1b}') && !screen.contains('\u{202e}'),
        "{screen}"
    );
    assert!(screen.contains("<U+202E>"), "{screen}");
}

/// The real program in a pseudo-terminal: a conflict copy found when the
/// folder is read in the background is listed as a conflict and merged.
#[test]
fn the_terminal_program_merges_a_conflict_copy() {
    let dir = batch_with(&tagging());
    let copy_name = "food-hubs.review-LAPTOP-7QX2.toml";
    std::fs::write(
        dir.path().join(copy_name),
        tagging().replace("\"approve\"", "\"decline\""),
    )
    .unwrap();
    let home = tempfile::tempdir().unwrap();
    let mut s =
        common::pty::Session::start(&[dir.path().to_str().unwrap()], 24, 80, &[], home.path());
    s.wait_for("≠ Community food hubs");
    s.keys("\r");
    s.wait_for("Conflict: Community food hubs");
    s.wait_for("food-hubs.review-LAPTOP-7QX2.toml");
    // down to the copy's "decline", keep it
    s.keys("\x1b[B");
    s.keys("\r");
    s.wait_for("merged and removed");
    s.keys("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
    assert!(!dir.path().join(copy_name).exists());
    let r = record_on_disk(dir.path(), "food-hubs");
    assert_eq!(r.decision.as_deref(), Some("decline"));
}

#[test]
fn a_copy_that_appears_while_open_is_found_on_reload() {
    let dir = batch_with(&tagging());
    let mut app = open_app(dir.path(), None);
    assert_eq!(app.status(0), Status::Approved);
    let copy = dir
        .path()
        .join("food-hubs.review.sync-conflict-20261207-101500-ABCDEFG.toml");
    std::fs::write(&copy, tagging().replace("\"approve\"", "\"decline\"")).unwrap();
    keys(&mut app, "R");
    assert_eq!(app.status(0), Status::Conflict);
    std::fs::remove_file(&copy).unwrap();
    keys(&mut app, "R");
    assert_eq!(app.status(0), Status::Approved);
}
