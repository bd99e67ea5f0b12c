//! The terminal program keeps the text of only the submissions used last
//! (a budget of bytes); the rest is read again from disk when needed, and
//! only as it was read: a file changed since is reported, never shown.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

#[allow(dead_code)]
#[path = "../../examples/gen_batch.rs"]
mod gen_batch;

use std::path::Path;

use casetag::app::App;
use casetag::batch::{Batch, load_items};
use casetag::export::{PackText, collect, export_for_ui, to_csv, to_json, to_pack};
use casetag::keymap::Action;
use casetag::record::Decision;
use casetag::stats::Acceptance;
use casetag::taxonomy::Taxonomy;

use common::{keys, message, select};

/// The model over `dir` read as the terminal program reads a large folder:
/// an empty batch, then the submissions in chunks as the background reader
/// sends them, with `budget` bytes of text kept (`None`: the default).
fn open(dir: &Path, budget: Option<usize>) -> App {
    let taxonomy = Taxonomy::builtin();
    let mut app = App::new(
        Batch::empty(dir),
        casetag::app::Options {
            taxonomy: taxonomy.clone(),
            keymap: casetag::keymap::Keymap::builtin(),
            reviewer: "officer".into(),
            state_dir: None,
            export_dir: None,
            clock: Box::new(common::Ticking(1_795_000_000)),
        },
    );
    if let Some(b) = budget {
        app.set_text_budget(b);
    }
    let paths = Batch::list(dir).expect("list");
    app.loading = Some((0, paths.len()));
    for chunk in paths.chunks(64) {
        app.push_items(load_items(chunk.to_vec(), &taxonomy));
    }
    app.finish_loading();
    app
}

fn generated(n: usize) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    gen_batch::generate(tmp.path(), n, 7).expect("generate");
    tmp
}

/// The file names listed, in order.
fn listed(app: &App) -> Vec<String> {
    app.view
        .iter()
        .map(|&i| app.batch.items[i].file_name.clone())
        .collect()
}

fn search_text(app: &mut App, query: &str) -> Vec<String> {
    app.apply(Action::ClearFilter);
    keys(app, &format!("/{query}<enter>"));
    while app.search_busy() {
        app.search_work(512);
    }
    listed(app)
}

#[test]
fn texts_beyond_the_budget_are_dropped_as_the_batch_is_read() {
    let tmp = generated(300);
    let all = open(tmp.path(), None);
    let readable = all
        .batch
        .items
        .iter()
        .filter(|it| it.submission.is_ok())
        .count();
    assert!(readable > 250, "{readable} readable");
    // the default budget holds a batch of this size whole: nothing dropped
    assert_eq!(all.batch.texts_held(), readable);
    assert!(all.batch.items.iter().all(|it| !it.text_dropped()));

    let budget = 16 * 1024;
    let small = open(tmp.path(), Some(budget));
    let held = small.batch.texts_held();
    assert!(
        (1..=16).contains(&held),
        "{held} texts held of {readable} within {budget} bytes"
    );
    // the selected one's text is always there, and no more than the budget
    // besides it
    let selected = small.selected_item().expect("a selection");
    assert!(selected.held_text().is_some_and(|b| !b.is_empty()));
    let largest = all
        .batch
        .items
        .iter()
        .filter_map(|it| it.held_text())
        .map(str::len)
        .max()
        .unwrap_or(0);
    assert!(small.batch.text_bytes_held() <= budget + largest);
    // what the list shows is all still there
    for (a, b) in all.batch.items.iter().zip(&small.batch.items) {
        assert_eq!(a.title(), b.title());
        assert_eq!(
            a.submission.as_ref().ok().map(|s| &s.sha256),
            b.submission.as_ref().ok().map(|s| &s.sha256)
        );
    }
    for ix in 0..all.batch.items.len() {
        assert_eq!(all.status(ix), small.status(ix));
    }
}

#[test]
fn the_reader_search_exports_and_stats_read_dropped_texts_as_they_were() {
    let tmp = generated(200);
    let mut all = open(tmp.path(), None);
    let mut small = open(tmp.path(), Some(4096));
    let taxonomy = Taxonomy::builtin();

    // the text pane and the reader with its find, on submissions all over
    // the batch (each was dropped before it was selected)
    for step in [0usize, 37, 91, 150, 199] {
        for app in [&mut all, &mut small] {
            app.apply(Action::First);
            for _ in 0..step {
                app.apply(Action::Next);
            }
        }
        assert!(small.selected_item().unwrap().held_text().is_some());
        assert_eq!(
            all.selected_item().unwrap().held_text(),
            small.selected_item().unwrap().held_text()
        );
        assert_eq!(
            all.suggestions().map(|s| format!("{s:?}")),
            small.suggestions().map(|s| format!("{s:?}"))
        );
        for app in [&mut all, &mut small] {
            keys(app, "z/council<enter>");
        }
        let (a, b) = (all.reader_document(), small.reader_document());
        assert!(a.as_ref().is_some_and(|d| !d.found.is_empty()));
        assert_eq!(a, b);
        for app in [&mut all, &mut small] {
            keys(app, "<esc><esc>");
            assert!(app.reader.is_none());
        }
    }

    // the search after enter, which reads every text
    for query in ["credit union", "volunteers", "tenants"] {
        let a = search_text(&mut all, query);
        let b = search_text(&mut small, query);
        assert!(!a.is_empty(), "{query}");
        assert_eq!(a, b, "{query}");
    }
    assert!(small.batch.texts_held() <= 8, "the search keeps no text");

    // exports, with the whole text, and the kept suggestions of `stats`
    let approve = [Decision::Approve, Decision::NeedsInfo, Decision::Decline];
    let (ea, pa) = collect(&all.batch, &taxonomy, &approve, false);
    let (eb, pb) = collect(&small.batch, &taxonomy, &approve, false);
    assert!(ea.len() > 20, "{} exported", ea.len());
    assert!(ea.iter().all(|e| !e.body.is_empty()));
    assert_eq!(ea, eb);
    assert_eq!(pa, pb);
    assert_eq!(
        to_pack(&ea, &taxonomy, PackText::Full),
        to_pack(&eb, &taxonomy, PackText::Full)
    );
    assert_eq!(to_csv(&ea, true, false), to_csv(&eb, true, false));
    assert_eq!(to_json(&ea, true), to_json(&eb, true));
    // the export key writes the pack reading each text as it goes
    let (da, db) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (fa, sa) = export_for_ui(&all.batch, &taxonomy, da.path(), "b").expect("export");
    let (fb, sb) = export_for_ui(&small.batch, &taxonomy, db.path(), "b").expect("export");
    assert_eq!(sa, sb);
    for (a, b) in fa.iter().zip(&fb) {
        let (a, b) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
        assert!(a.len() > 10_000);
        assert_eq!(a, b);
    }
    let approved: Vec<_> = ea
        .iter()
        .filter(|e| e.decision == "approve")
        .cloned()
        .collect();
    assert_eq!(
        std::fs::read_to_string(&fb[0]).unwrap(),
        to_pack(&approved, &taxonomy, PackText::Full)
    );
    let kept = Acceptance::compute(&all.batch, &taxonomy);
    assert!(kept.records > 20);
    assert_eq!(kept, Acceptance::compute(&small.batch, &taxonomy));
    assert!(small.batch.texts_held() <= 8, "exports keep no text");
}

#[test]
fn a_file_rewritten_after_its_text_was_dropped_is_reported_not_shown() {
    let tmp = generated(40);
    let dir = tmp.path();
    let mut app = open(dir, Some(1));
    let taxonomy = Taxonomy::builtin();
    // an approved submission, not selected, its text dropped
    let victim = app
        .batch
        .items
        .iter()
        .skip(1)
        .find(|it| it.decision() == Some(Decision::Approve) && it.status(&taxonomy).is_decided())
        .expect("an approved submission")
        .clone();
    assert!(victim.text_dropped());
    let name = victim.file_name.clone();
    let front = std::fs::read_to_string(&victim.path).expect("read");
    std::fs::write(
        &victim.path,
        format!("{front}\nA line about zanzibarian lighthouses added later.\n"),
    )
    .expect("rewrite");

    // the search does not match the new text, and says why
    let found = search_text(&mut app, "zanzibarian");
    assert!(found.is_empty(), "{found:?}");
    let said = message(&app);
    assert!(said.contains("changed on disk"), "{said}");
    app.apply(Action::ClearFilter);

    // selected: its text is not shown, and the officer is told
    select(&mut app, &name);
    let said = message(&app);
    assert!(
        said.contains(&name) && said.contains("changed on disk"),
        "{said}"
    );
    assert!(app.text_problem().is_some());
    assert!(app.selected_item().unwrap().held_text().is_none());
    assert!(app.suggestions().is_none());
    keys(&mut app, "z");
    assert!(app.reader.is_none(), "the reader does not open on it");
    assert!(message(&app).contains("changed on disk"));
    let doc = format!("{:?}", app.reader_document());
    assert!(!doc.contains("zanzibarian"));

    // the export skips it and says why; stats leave it out
    let (entries, problems) = collect(&app.batch, &taxonomy, &[Decision::Approve], false);
    assert!(entries.iter().all(|e| e.source != name));
    assert!(
        problems
            .iter()
            .any(|p| p.path == victim.path && p.message.contains("changed on disk")),
        "{problems:?}"
    );
    assert!(
        entries
            .iter()
            .all(|e| !e.body.contains("zanzibarian") && !e.body.is_empty())
    );

    // reload reads it as it is now
    app.apply(Action::Reload);
    assert!(app.text_problem().is_none());
    let body = app.selected_item().unwrap().held_text().expect("held");
    assert!(body.contains("zanzibarian lighthouses"));
    assert_eq!(search_text(&mut app, "zanzibarian"), vec![name]);
}

#[test]
fn a_file_swapped_for_a_link_out_of_the_folder_is_not_read_again() {
    let tmp = generated(20);
    let dir = tmp.path();
    let mut app = open(dir, Some(1));
    let victim = app.batch.items[7].clone();
    assert!(victim.text_dropped());
    let outside = tempfile::tempdir().expect("tmp");
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "the password is swordfish\n").expect("write");
    std::fs::remove_file(&victim.path).expect("remove");
    std::os::unix::fs::symlink(&secret, &victim.path).expect("link");

    select(&mut app, &victim.file_name);
    let said = message(&app);
    assert!(said.contains(&victim.file_name), "{said}");
    assert!(app.text_problem().is_some());
    assert!(app.selected_item().unwrap().held_text().is_none());
    assert!(!format!("{:?}", app.reader_document()).contains("swordfish"));
    assert!(search_text(&mut app, "swordfish").is_empty());
    let taxonomy = Taxonomy::builtin();
    assert!(app.batch.items[7].text(&taxonomy).is_err());
}

/// A batch whose texts fit the budget is never read twice: with every file
/// gone after the reading, the text pane, the reader, the search of the text
/// and the exports still have every text.
#[test]
fn a_batch_within_the_budget_is_read_once() {
    let tmp = generated(60);
    let mut app = open(tmp.path(), None);
    for entry in std::fs::read_dir(tmp.path()).expect("dir") {
        let path = entry.expect("entry").path();
        if !path.to_string_lossy().ends_with(".review.toml") {
            std::fs::remove_file(&path).expect("remove");
        }
    }
    let taxonomy = Taxonomy::builtin();
    for _ in 0..app.view.len() {
        assert!(app.text_problem().is_none(), "{}", message(&app));
        assert!(app.selected_item().unwrap().held_text().is_some());
        app.apply(Action::Next);
    }
    assert!(!search_text(&mut app, "volunteers").is_empty());
    assert!(!message(&app).contains("changed on disk"));
    let (entries, problems) = collect(&app.batch, &taxonomy, &[Decision::Approve], false);
    assert!(!entries.is_empty() && entries.iter().all(|e| !e.body.is_empty()));
    assert!(
        problems.iter().all(|p| !p.message.contains("cannot read")),
        "{problems:?}"
    );
    assert!(app.batch.items.iter().all(|it| it.text(&taxonomy).is_ok()));
}
