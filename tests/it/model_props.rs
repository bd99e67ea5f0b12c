//! Arbitrary key sequences into the application model, over a copy of the
//! sample batch with undo history kept: nothing panics, and afterwards every
//! record on disk parses, holds only ids the taxonomy knows (or ids that were
//! already in that record, which are kept, never dropped), agrees with what
//! the model holds, and no temporary file is left behind.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use casetag::app::{App, Clock, Options};
use casetag::batch::Batch;
use casetag::keymap::Keymap;
use casetag::record::{Record, TEMP_PREFIX};
use casetag::taxonomy::{Kind, Taxonomy};
use proptest::prelude::*;

/// A clock that moves on a few seconds each time it is read.
struct Ticking(u64);

impl Clock for Ticking {
    fn now(&mut self) -> u64 {
        self.0 += 7;
        self.0
    }
}

/// One key as a piece of a key string (see `common::parse_keys`), so a
/// failure prints a sequence that reads like the keymap file.
fn key_event() -> impl Strategy<Value = String> {
    let typed = |c: char| {
        if c == '<' {
            "<<>".to_string()
        } else {
            c.to_string()
        }
    };
    let named = [
        "enter",
        "esc",
        "tab",
        "shift-tab",
        "backspace",
        "delete",
        "up",
        "down",
        "left",
        "right",
        "home",
        "end",
        "pageup",
        "pagedown",
        "f1",
    ];
    prop_oneof![
        6 => proptest::char::range('a', 'z').prop_map(typed),
        2 => proptest::char::range('A', 'Z').prop_map(|c| format!("<shift-{c}>")),
        1 => proptest::char::range('A', 'Z').prop_map(typed),
        1 => proptest::char::range('0', '9').prop_map(typed),
        2 => proptest::sample::select(
            "-?/[]{}.,;:'\"#!@$%^&*()_+=<>|\\~` ".chars().collect::<Vec<_>>()
        )
        .prop_map(typed),
        4 => proptest::sample::select(named.to_vec()).prop_map(|n| format!("<{n}>")),
        1 => proptest::char::range('a', 'z').prop_map(|c| format!("<ctrl-{c}>")),
        1 => proptest::char::range('a', 'z').prop_map(|c| format!("<alt-{c}>")),
        1 => proptest::sample::select(vec!["<alt-up>", "<alt-down>"]).prop_map(String::from),
    ]
}

/// Every id a record names, by kind.
fn ids(r: &Record) -> Vec<(Kind, String)> {
    let mut out: Vec<(Kind, String)> = r
        .tags
        .primary_category
        .iter()
        .chain(&r.tags.categories)
        .map(|c| (Kind::Category, c.clone()))
        .collect();
    out.extend(
        r.tags
            .principles
            .iter()
            .map(|p| (Kind::Principle, p.clone())),
    );
    out.extend(r.tags.values.iter().map(|v| (Kind::Value, v.clone())));
    out
}

fn parse(path: &Path) -> Result<Record, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    Record::parse(&text, path)
        .map(|p| p.record)
        .map_err(|p| p.to_string())
}

/// The records in a folder by file name.
fn records(dir: &Path) -> BTreeMap<String, Result<Record, String>> {
    std::fs::read_dir(dir)
        .expect("list")
        .filter_map(Result::ok)
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.ends_with(".review.toml")
                .then(|| (name, parse(&e.path())))
        })
        .collect()
}

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|it| {
            it.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with(TEMP_PREFIX))
                .collect()
        })
        .unwrap_or_default()
}

fn run(keys: &[String]) -> Result<(), TestCaseError> {
    // In memory where possible: hundreds of saves, each synced; durability
    // is what tests/reliability.rs tests, on the real disk.
    let batch_dir = common::copy_sample_in_memory();
    let state = common::memory_tempdir();
    let exports = common::memory_tempdir();
    let dir = batch_dir.path();
    let taxonomy = Taxonomy::builtin();
    let before = records(dir);
    let known_before: BTreeMap<String, BTreeSet<(&str, String)>> = before
        .iter()
        .map(|(name, r)| {
            let set = r
                .as_ref()
                .map(|r| {
                    ids(r)
                        .into_iter()
                        .map(|(k, id)| (k.singular(), id))
                        .collect()
                })
                .unwrap_or_default();
            (name.clone(), set)
        })
        .collect();
    let submissions: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".review.toml"))
        .map(|n| {
            let bytes = std::fs::read(dir.join(&n)).expect("read");
            (n, bytes)
        })
        .collect();

    let batch = Batch::load(dir, &taxonomy).expect("load");
    let mut app = App::new(
        batch,
        Options {
            taxonomy: taxonomy.clone(),
            keymap: Keymap::builtin(),
            reviewer: "officer".into(),
            state_dir: Some(state.path().to_path_buf()),
            export_dir: Some(exports.path().to_path_buf()),
            clock: Box::new(Ticking(1_795_000_000)),
        },
    );
    common::keys(&mut app, &keys.concat());
    app.persist_state();

    for (name, r) in records(dir) {
        let r = match r {
            Ok(r) => r,
            Err(e) => return Err(TestCaseError::fail(format!("{name} does not parse: {e}"))),
        };
        let kept = known_before.get(&name).cloned().unwrap_or_default();
        for (kind, id) in ids(&r) {
            prop_assert!(
                taxonomy.get(kind, &id).is_some() || kept.contains(&(kind.singular(), id.clone())),
                "{} holds the unknown {} {:?}",
                name,
                kind.singular(),
                id
            );
        }
        if let Some(d) = r.decision.as_deref() {
            prop_assert!(
                ["approve", "needs-info", "decline"].contains(&d),
                "{name}: {d}"
            );
        }
    }
    // Nothing failed to save, and what the model holds is what is on disk.
    for (ix, item) in app.batch.items.iter().enumerate() {
        prop_assert!(
            !app.is_unsaved(ix),
            "{} unsaved: {:?}",
            item.file_name,
            app.message
        );
        let path = item.record_path();
        match (&item.record, path.exists()) {
            (Some(rf), true) => {
                let on_disk = parse(&path).map_err(TestCaseError::fail)?;
                prop_assert_eq!(&on_disk, &rf.record, "{}", item.file_name);
            }
            (Some(rf), false) => prop_assert!(
                rf.record.is_blank(),
                "{}: a change in memory only: {:?}",
                item.file_name,
                rf.record
            ),
            (None, exists) => prop_assert!(!exists, "{}: a record the model lost", item.file_name),
        }
    }
    for (name, bytes) in &submissions {
        prop_assert_eq!(
            &std::fs::read(dir.join(name)).expect("read"),
            bytes,
            "{} was modified",
            name
        );
    }
    prop_assert_eq!(temp_files(dir), Vec::<String>::new());
    prop_assert_eq!(temp_files(state.path()), Vec::<String>::new());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        // Integration tests have no source folder for proptest to keep
        // regressions in; a failure prints its minimal key sequence.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn any_key_sequence_leaves_valid_records_and_nothing_lost(
        keys in proptest::collection::vec(key_event(), 0..200)
    ) {
        run(&keys)?;
    }
}

/// The sample holds a record with an unknown value ("generosity", in
/// sunderland's): the property above allows it because it was there before,
/// not because the check is lax.
#[test]
fn the_sample_has_an_unknown_id_to_preserve() {
    let batch = common::copy_sample();
    let r = parse(
        &batch
            .path()
            .join("sunderland-home-care-cooperative.review.toml"),
    )
    .expect("parses");
    let taxonomy = Taxonomy::builtin();
    assert!(
        ids(&r).iter().any(|(k, id)| taxonomy.get(*k, id).is_none()),
        "{r:?}"
    );
}
