//! Scenario tests: key presses into the application model, records asserted on
//! disk. No terminal is involved.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use std::path::Path;

use casetag::app::{App, Overlay};
use casetag::batch::Status;
use casetag::keymap::Action;
use common::{keys, message, record_on_disk, select};

fn open(dir: &Path, state: Option<&Path>) -> App {
    common::open_app(dir, state)
}

#[test]
fn guided_tagging_approves_in_five_keys_and_moves_on() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    select(&mut app, "cardiff-social-value-procurement.md");
    let presses = "<enter><enter><enter><enter>a";
    keys(&mut app, presses);
    assert!(common::parse_keys(presses).len() <= 6);
    let r = record_on_disk(batch.path(), "cardiff-social-value-procurement");
    assert_eq!(r.decision.as_deref(), Some("approve"));
    assert_eq!(r.tags.primary_category.as_deref(), Some("social-outcomes"));
    assert_eq!(r.tags.categories, ["community-wealth-building", "jobs"]);
    assert_eq!(
        r.tags.principles,
        ["social-partnership", "maximising-social-value"]
    );
    assert_eq!(
        r.tags.values,
        ["social-responsibility", "equity", "honesty"]
    );
    assert_eq!(r.reviewer.as_deref(), Some("officer"));
    assert!(
        r.submission_sha256
            .as_deref()
            .is_some_and(|s| s.len() == 64)
    );
    assert!(r.seconds_spent.is_some_and(|s| s > 0));
    // the selection moved to the next undecided submission
    let next = app.selected_item().expect("selected");
    assert_ne!(next.file_name, "cardiff-social-value-procurement.md");
    assert!(!next.status(&app.taxonomy).is_decided());
    assert!(matches!(app.overlay, Overlay::None));
}

#[test]
fn every_sample_submission_with_complete_proposals_is_approved_in_five_keys() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    for name in [
        "cardiff-social-value-procurement.md",
        "preston-anchor-procurement.md",
    ] {
        select(&mut app, name);
        keys(&mut app, "<enter><enter><enter><enter>a");
        let stem = name.trim_end_matches(".md");
        assert_eq!(
            record_on_disk(batch.path(), stem).decision.as_deref(),
            Some("approve"),
            "{name}: {}",
            message(&app)
        );
    }
}

#[test]
fn suggestions_are_not_written_until_confirmed() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    select(&mut app, "preston-anchor-procurement.md");
    keys(&mut app, "<enter>"); // opens the category picker with suggestions
    assert!(matches!(app.overlay, Overlay::Picker { .. }));
    assert!(
        !batch
            .path()
            .join("preston-anchor-procurement.review.toml")
            .exists()
    );
    keys(&mut app, "<esc>"); // cancel: nothing written, guided stops
    assert!(
        !batch
            .path()
            .join("preston-anchor-procurement.review.toml")
            .exists()
    );
    assert!(!app.guided);
    assert!(matches!(app.overlay, Overlay::None));
}

#[test]
fn approve_on_an_incomplete_tagging_is_refused_with_what_is_missing() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    select(&mut app, "lambeth-youth-services-cooperative.md");
    keys(&mut app, "a");
    let m = message(&app);
    assert!(m.contains("cannot approve"), "{m}");
    assert!(m.contains("primary category"), "{m}");
    assert!(app.message.as_ref().is_some_and(|m| m.error));
    assert!(
        !batch
            .path()
            .join("lambeth-youth-services-cooperative.review.toml")
            .exists()
    );
}

#[test]
fn picking_categories_principles_and_ranked_values_by_hand() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    select(&mut app, "stevenage-housing-cooperative.md");
    // categories: filter to Housing, make it primary; add Community as secondary
    keys(&mut app, "c");
    keys(&mut app, "u"); // typed into the filter, not undo
    app.apply(Action::ClearQuery);
    keys(&mut app, "housing");
    app.apply(Action::SetPrimary);
    app.apply(Action::ClearQuery);
    keys(&mut app, "community");
    // the first match is "Community"; toggle it as a secondary
    app.apply(Action::Toggle);
    keys(&mut app, "<enter>");
    let r = record_on_disk(batch.path(), "stevenage-housing-cooperative");
    assert_eq!(
        r.tags.primary_category.as_deref(),
        Some("housing"),
        "{}",
        message(&app)
    );
    assert!(
        r.tags.categories.iter().any(|c| c.starts_with("community")),
        "{:?}",
        r.tags.categories
    );
    assert!(r.decision.is_none());

    // principles: innovation, which is not among those suggested (and
    // preselected) from the text's phrases
    keys(&mut app, "p");
    app.apply(Action::ClearQuery);
    keys(&mut app, "innovation");
    app.apply(Action::Toggle);
    keys(&mut app, "<enter>");
    let r = record_on_disk(batch.path(), "stevenage-housing-cooperative");
    assert!(
        r.tags.principles.contains(&"innovation".to_string()),
        "{:?}",
        r.tags.principles
    );

    // values: pick three in order, then move the third up to second
    keys(&mut app, "v");
    // the picker opens with the suggested values ranked: take them out first
    app.apply(Action::ClearQuery);
    for _ in 0..12 {
        app.apply(Action::Remove);
        app.apply(Action::Down);
    }
    for v in ["democracy", "self-help", "solidarity"] {
        app.apply(Action::ClearQuery);
        keys(&mut app, v);
        // toggle adds the highlighted value only if not already ranked
        app.apply(Action::Toggle);
    }
    app.apply(Action::RankUp);
    keys(&mut app, "<enter>");
    let r = record_on_disk(batch.path(), "stevenage-housing-cooperative");
    assert_eq!(
        r.tags.values.len(),
        3,
        "{:?} {}",
        r.tags.values,
        message(&app)
    );
    assert_eq!(
        r.tags.values.last().map(String::as_str),
        Some("self-help"),
        "{:?}",
        r.tags.values
    );
    assert_eq!(
        r.tags.values.get(1).map(String::as_str),
        Some("solidarity"),
        "{:?}",
        r.tags.values
    );

    // now approve is accepted, and the next undecided submission is selected
    let ix = app.selected().expect("sel");
    keys(&mut app, "a");
    let r = record_on_disk(batch.path(), "stevenage-housing-cooperative");
    assert_eq!(r.decision.as_deref(), Some("approve"), "{}", message(&app));
    assert_eq!(app.status(ix), Status::Approved);
    assert_ne!(app.selected(), Some(ix));
}

#[test]
fn cancelling_a_picker_restores_what_was_there() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    select(&mut app, "oldham-food-hubs.md");
    let before = std::fs::read(batch.path().join("oldham-food-hubs.review.toml")).expect("read");
    keys(&mut app, "v");
    app.apply(Action::Remove);
    app.apply(Action::Toggle);
    keys(&mut app, "<esc>");
    let after = std::fs::read(batch.path().join("oldham-food-hubs.review.toml")).expect("read");
    assert_eq!(before, after);
}

#[test]
fn needs_info_requires_a_note_and_saves_both() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    select(&mut app, "rochdale-credit-union-partnership.md");
    keys(&mut app, "i");
    assert!(matches!(app.overlay, Overlay::Note { .. }));
    app.apply(Action::Confirm); // empty note: refused
    assert!(message(&app).contains("needs a note"), "{}", message(&app));
    assert!(matches!(app.overlay, Overlay::Note { .. }));
    keys(&mut app, "Please send figures for 2023.");
    app.apply(Action::Newline);
    keys(&mut app, "And a photo?");
    app.apply(Action::Confirm);
    let r = record_on_disk(batch.path(), "rochdale-credit-union-partnership");
    assert_eq!(r.decision.as_deref(), Some("needs-info"));
    assert_eq!(
        r.note.as_deref(),
        Some("Please send figures for 2023.\nAnd a photo?")
    );
    // "?" was typed into the note, not taken as help
    assert!(matches!(app.overlay, Overlay::None));
}

#[test]
fn decline_and_clear_decision() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    select(&mut app, "glasgow-youth-climate-assembly.txt");
    keys(&mut app, "x");
    let r = record_on_disk(batch.path(), "glasgow-youth-climate-assembly");
    assert_eq!(r.decision.as_deref(), Some("decline"));
    select(&mut app, "glasgow-youth-climate-assembly.txt");
    keys(&mut app, "-");
    let r = record_on_disk(batch.path(), "glasgow-youth-climate-assembly");
    assert_eq!(r.decision, None);
}

#[test]
fn undo_and_redo_across_submissions_survive_a_restart() {
    let batch = common::copy_sample();
    let state = tempfile::tempdir().expect("state");
    let mut app = open(batch.path(), Some(state.path()));
    select(&mut app, "glasgow-youth-climate-assembly.txt");
    keys(&mut app, "x");
    select(&mut app, "knowsley-worker-cooperatives.txt");
    keys(&mut app, "x");
    assert!(
        batch
            .path()
            .join("knowsley-worker-cooperatives.review.toml")
            .exists()
    );
    keys(&mut app, "u");
    let r = record_on_disk(batch.path(), "knowsley-worker-cooperatives");
    assert_eq!(r.decision, None, "undo saved the old state");
    drop(app);

    // a new sitting: the history is still there
    let mut app = open(batch.path(), Some(state.path()));
    assert_eq!(
        app.selected_item().map(|i| i.file_name.as_str()),
        Some("knowsley-worker-cooperatives.txt")
    );
    keys(&mut app, "u");
    let r = record_on_disk(batch.path(), "glasgow-youth-climate-assembly");
    assert_eq!(r.decision, None);
    keys(&mut app, "r"); // plain r is not redo
    keys(&mut app, "<ctrl-r>");
    let r = record_on_disk(batch.path(), "glasgow-youth-climate-assembly");
    assert_eq!(r.decision.as_deref(), Some("decline"));
    keys(&mut app, "<ctrl-r>");
    let r = record_on_disk(batch.path(), "knowsley-worker-cooperatives");
    assert_eq!(r.decision.as_deref(), Some("decline"));
}

#[test]
fn undo_keeps_unknown_keys_of_a_hand_edited_record() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    select(&mut app, "sunderland-home-care-cooperative.md");
    keys(&mut app, "-"); // clear the (invalid) approval
    let text = std::fs::read_to_string(
        batch
            .path()
            .join("sunderland-home-care-cooperative.review.toml"),
    )
    .expect("read");
    assert!(text.contains("priority = \"high\""), "{text}");
    assert!(
        text.contains("generosity"),
        "unknown value kept until the field changes: {text}"
    );
    keys(&mut app, "u");
    let text = std::fs::read_to_string(
        batch
            .path()
            .join("sunderland-home-care-cooperative.review.toml"),
    )
    .expect("read");
    assert!(text.contains("decision = \"approve\""), "{text}");
    assert!(text.contains("priority = \"high\""), "{text}");
}

#[test]
fn a_record_changed_by_another_officer_is_not_overwritten() {
    let batch = common::copy_sample();
    let mut mine = open(batch.path(), None);
    let mut theirs = open(batch.path(), None);
    select(&mut mine, "kirklees-participatory-budgeting.md");
    select(&mut theirs, "kirklees-participatory-budgeting.md");
    keys(&mut theirs, "x");
    let after_theirs = std::fs::read(
        batch
            .path()
            .join("kirklees-participatory-budgeting.review.toml"),
    )
    .expect("read");
    keys(&mut mine, "e");
    keys(&mut mine, "my note");
    mine.apply(Action::Confirm);
    let m = message(&mine);
    assert!(m.contains("changed on disk"), "{m}");
    assert!(m.contains("reload"), "{m}");
    assert_eq!(
        std::fs::read(
            batch
                .path()
                .join("kirklees-participatory-budgeting.review.toml")
        )
        .expect("read"),
        after_theirs,
        "their change was overwritten"
    );
    // mine is kept in memory until reloaded
    let idx = mine.selected().expect("sel");
    assert!(mine.is_unsaved(idx));
    keys(&mut mine, "R");
    assert!(!mine.is_unsaved(idx));
    assert_eq!(mine.status(idx), Status::Declined);
    // after reloading, the note typed is offered back as a draft and my
    // next change goes through
    keys(&mut mine, "e");
    assert_eq!(mine.note_draft().as_deref(), Some("my note"));
    mine.apply(Action::Confirm);
    let r = record_on_disk(batch.path(), "kirklees-participatory-budgeting");
    assert_eq!(r.note.as_deref(), Some("my note"));
    assert_eq!(r.decision.as_deref(), Some("decline"));
}

#[test]
fn a_failed_save_keeps_the_change_and_retry_writes_it() {
    let parent = tempfile::tempdir().expect("parent");
    let dir = parent.path().join("batch");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("a.md"), "+++\ntitle = \"A\"\n+++\nBody\n").expect("write");
    let mut app = open(&dir, None);
    // take the folder away: the save cannot even create its temporary file
    let away = parent.path().join("away");
    std::fs::rename(&dir, &away).expect("rename");
    keys(&mut app, "x");
    let m = message(&app);
    assert!(m.contains("not saved"), "{m}");
    let idx = app.selected().expect("sel");
    assert!(app.is_unsaved(idx));
    assert_eq!(
        app.status(idx),
        Status::Declined,
        "the change is kept in memory"
    );
    // quitting with unsaved work asks first
    keys(&mut app, "q");
    assert!(!app.quit);
    std::fs::rename(&away, &dir).expect("rename back");
    keys(&mut app, "w");
    assert!(!app.is_unsaved(idx), "{}", message(&app));
    assert_eq!(
        record_on_disk(&dir, "a").decision.as_deref(),
        Some("decline")
    );
    keys(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn search_and_filters_combine_with_a_count() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    let total = app.view.len();
    keys(&mut app, "/");
    keys(&mut app, "youth");
    let found: Vec<String> = app
        .view
        .iter()
        .map(|&i| app.batch.items[i].file_name.clone())
        .collect();
    assert!(found.len() < total && !found.is_empty(), "{found:?}");
    assert!(found.iter().any(|f| f.contains("youth")), "{found:?}");
    keys(&mut app, "<enter>");
    // filter: undecided within the search
    keys(&mut app, "f");
    assert!(message(&app).contains("undecided"), "{}", message(&app));
    for &i in &app.view {
        assert!(!app.status(i).is_decided());
    }
    // cycle to approved: the sample's two approved ones, no search
    keys(&mut app, "F");
    assert_eq!(app.view.len(), total);
    keys(&mut app, "f");
    keys(&mut app, "f");
    keys(&mut app, "f");
    assert!(
        message(&app).contains("approved (2 shown)"),
        "{}",
        message(&app)
    );
    // search over the body finds text that is only in a body
    keys(&mut app, "F");
    keys(&mut app, "/");
    keys(&mut app, "link worker");
    // titles and councils match as you type; enter widens to the text
    assert!(
        !app.view
            .iter()
            .any(|&i| app.batch.items[i].file_name == "birmingham-social-prescribing.txt")
    );
    keys(&mut app, "<enter>");
    assert!(
        message(&app).contains("in titles, councils and text"),
        "{}",
        message(&app)
    );
    assert!(
        app.view
            .iter()
            .any(|&i| app.batch.items[i].file_name == "birmingham-social-prescribing.txt")
    );
}

#[test]
fn next_undecided_skips_decided_ones() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    select(&mut app, "north-herts-community-transport.txt");
    keys(&mut app, "n");
    // oldham (approved) and oxford (approved) and plymouth (needs-info) are skipped
    assert_eq!(
        app.selected_item().map(|i| i.file_name.as_str()),
        Some("preston-anchor-procurement.md")
    );
}

#[test]
fn the_export_key_writes_beside_the_batch() {
    let parent = tempfile::tempdir().expect("parent");
    let dir = parent.path().join("autumn");
    std::fs::create_dir(&dir).expect("mkdir");
    for e in std::fs::read_dir(common::sample_dir()).expect("sample") {
        let e = e.expect("entry");
        std::fs::copy(e.path(), dir.join(e.file_name())).expect("copy");
    }
    let mut app = open(&dir, None);
    keys(&mut app, "E");
    let m = message(&app);
    assert!(m.contains("exported"), "{m}");
    let pack = std::fs::read_to_string(parent.path().join("autumn-pack.md")).expect("pack");
    assert!(pack.contains("Neighbourhood food hubs"), "{pack}");
    assert!(parent.path().join("autumn-case-studies.csv").exists());
    // nothing new inside the batch
    assert!(!dir.join("autumn-pack.md").exists());
}

#[test]
fn a_changed_submission_is_reviewed_again_by_confirming_its_decision() {
    let batch = common::copy_sample();
    let path = batch.path().join("oldham-food-hubs.md");
    let mut text = std::fs::read_to_string(&path).expect("read");
    text.push_str("\nA paragraph the council added later.\n");
    std::fs::write(&path, text).expect("write");
    let mut app = open(batch.path(), None);
    select(&mut app, "oldham-food-hubs.md");
    let ix = app.selected().expect("sel");
    assert_eq!(app.status(ix), Status::Changed);
    keys(&mut app, "a"); // same decision, new text: stamped again
    assert_eq!(app.status(ix), Status::Approved, "{}", message(&app));
    let r = record_on_disk(batch.path(), "oldham-food-hubs");
    let sub = app.batch.items[ix].submission.as_ref().expect("sub");
    assert_eq!(r.submission_sha256.as_deref(), Some(sub.sha256.as_str()));
}

#[test]
fn undo_after_a_reload_never_writes_over_the_other_officers_change() {
    let batch = common::copy_sample();
    let mut mine = open(batch.path(), None);
    let mut theirs = open(batch.path(), None);
    select(&mut mine, "hull-warm-spaces.txt");
    select(&mut theirs, "hull-warm-spaces.txt");
    keys(&mut mine, "-"); // clear the decline: saved
    keys(&mut theirs, "R"); // they see it
    keys(&mut theirs, "x"); // and decline again
    let after_theirs =
        std::fs::read(batch.path().join("hull-warm-spaces.review.toml")).expect("read");
    keys(&mut mine, "u"); // my undo meets their change: refused
    assert!(
        message(&mine).contains("changed on disk"),
        "{}",
        message(&mine)
    );
    keys(&mut mine, "R");
    assert!(message(&mine).contains("undo step"), "{}", message(&mine));
    keys(&mut mine, "u");
    assert_eq!(
        std::fs::read(batch.path().join("hull-warm-spaces.review.toml")).expect("read"),
        after_theirs
    );
}

#[test]
fn key_strings_name_keys_as_keymap_files_do() {
    use casetag::keymap::{Key, KeyCode, KeyModifiers};
    let k = Key::new;
    let plain = |c| Key::new(KeyCode::Char(c), KeyModifiers::NONE);
    assert_eq!(
        common::parse_keys("<enter>é<ctrl-r><space>G<<>>a<b"),
        vec![
            k(KeyCode::Enter, KeyModifiers::NONE),
            plain('é'),
            k(KeyCode::Char('r'), KeyModifiers::CONTROL),
            plain(' '),
            plain('G'),
            plain('<'),
            plain('>'),
            plain('a'),
            plain('<'),
            plain('b'),
        ]
    );
    assert_eq!(common::parse_keys("<>>"), vec![plain('>')]);
    assert_eq!(
        common::parse_keys("<shift-tab>"),
        common::parse_keys("<backtab>")
    );
}

#[test]
fn the_decide_prompt_is_left_with_the_pickers_cancel_key() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    select(&mut app, "cardiff-social-value-procurement.md");
    keys(&mut app, "<enter><enter><enter><enter>");
    assert!(matches!(app.overlay, Overlay::Decide));
    // a plain character that is bound nowhere does nothing here
    keys(&mut app, "y");
    assert!(matches!(app.overlay, Overlay::Decide));
    keys(&mut app, "<esc>");
    assert!(matches!(app.overlay, Overlay::None));
    assert!(!app.guided);
    assert_eq!(message(&app), "guided tagging stopped");
    // the cancel key follows the picker table
    let keymap = casetag::keymap::Keymap::builtin()
        .with_overrides("[picker]\n\"ctrl-g\" = \"cancel\"\n", Path::new("u.toml"))
        .expect("keymap");
    app.keymap = keymap;
    keys(&mut app, "<enter><enter><enter><enter>");
    assert!(matches!(app.overlay, Overlay::Decide));
    keys(&mut app, "<esc>");
    assert!(
        matches!(app.overlay, Overlay::Decide),
        "esc is no longer cancel"
    );
    keys(&mut app, "<ctrl-g>");
    assert!(matches!(app.overlay, Overlay::None));
    // any other batch key stops it too, saying no decision was made
    keys(&mut app, "<enter><enter><enter><enter>j");
    assert_eq!(message(&app), "guided tagging stopped; no decision made");
}

#[test]
fn a_second_quit_leaves_only_right_after_the_warning() {
    let parent = tempfile::tempdir().expect("parent");
    let dir = parent.path().join("batch");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("a.md"), "+++\ntitle = \"A\"\n+++\nBody\n").expect("write");
    let mut app = open(&dir, None);
    std::fs::rename(&dir, parent.path().join("away")).expect("rename");
    keys(&mut app, "x");
    assert!(message(&app).contains("not saved"));
    keys(&mut app, "q");
    assert!(!app.quit);
    assert!(message(&app).starts_with("unsaved: 1 record"));
    // another action in between: the next quit warns again
    keys(&mut app, "jq");
    assert!(!app.quit);
    // typing nowhere is no action: the warning still holds
    keys(&mut app, "y");
    keys(&mut app, "<ctrl-c>");
    assert!(app.quit);
}

fn selected_name(app: &App) -> String {
    app.selected_item()
        .map(|i| i.file_name.clone())
        .unwrap_or_default()
}

fn listed(app: &App) -> Vec<String> {
    app.view
        .iter()
        .map(|&i| app.batch.items[i].file_name.clone())
        .collect()
}

/// A search or filter that lists nothing has no selection; leaving it
/// comes back to the submission selected before, not to the first.
#[test]
fn a_search_that_matched_nothing_leaves_the_selection_where_it_was() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    select(&mut app, "brent-digital-inclusion.txt");
    keys(&mut app, "/zzzq");
    assert!(app.view.is_empty(), "{:?}", listed(&app));
    keys(&mut app, "<esc>");
    assert_eq!(selected_name(&app), "brent-digital-inclusion.txt");
    // typing on from nothing to a match follows the match
    keys(
        &mut app,
        "/zzzq<backspace><backspace><backspace><backspace>york",
    );
    assert_eq!(selected_name(&app), "york-library-mutual.pdf");
}

#[test]
fn search_puts_the_lead_council_before_a_partner() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    keys(&mut app, "/oldham");
    let found = listed(&app);
    assert_eq!(
        found.first().map(String::as_str),
        Some("oldham-food-hubs.md")
    );
    // Preston names Oldham as a partner: listed, but after the Oldham-led study
    assert!(
        found.iter().any(|f| f == "preston-anchor-procurement.md"),
        "{found:?}"
    );
    assert_eq!(selected_name(&app), "oldham-food-hubs.md");
}

#[test]
fn search_selects_the_best_match_as_you_type_and_enter_keeps_it() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    // the list starts on Birmingham, the first file
    assert_eq!(selected_name(&app), "birmingham-social-prescribing.txt");
    keys(&mut app, "/preston");
    assert_eq!(selected_name(&app), "preston-anchor-procurement.md");
    let found = listed(&app);
    // "pres…cribing … city council" is letters scattered over unrelated words
    assert!(
        !found
            .iter()
            .any(|f| f == "birmingham-social-prescribing.txt"),
        "{found:?}"
    );
    // Cardiff has Preston as a partner: second
    assert_eq!(
        found.get(1).map(String::as_str),
        Some("cardiff-social-value-procurement.md"),
        "{found:?}"
    );
    keys(&mut app, "<enter>");
    assert_eq!(selected_name(&app), "preston-anchor-procurement.md");
    // the decision goes to the submission the search found
    keys(&mut app, "x");
    assert_eq!(
        record_on_disk(batch.path(), "preston-anchor-procurement")
            .decision
            .as_deref(),
        Some("decline")
    );
}

#[test]
fn search_follows_the_best_match_letter_by_letter() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    keys(&mut app, "/sunder");
    // Sunderland leads one study and is a partner in Birmingham's
    assert_eq!(selected_name(&app), "sunderland-home-care-cooperative.md");
    // moving by hand then typing on: the best match again
    keys(&mut app, "<down>");
    assert_ne!(selected_name(&app), "sunderland-home-care-cooperative.md");
    keys(&mut app, "<backspace>");
    assert_eq!(selected_name(&app), "sunderland-home-care-cooperative.md");
    // text only in the submissions' bodies ranks below every title and council
    keys(&mut app, "<esc>/procurement");
    let by_fields = listed(&app);
    assert_eq!(
        by_fields.first().map(String::as_str),
        Some("preston-anchor-procurement.md")
    );
    keys(&mut app, "<enter>");
    let with_text = listed(&app);
    assert!(with_text.len() > by_fields.len(), "{with_text:?}");
    assert_eq!(with_text[..by_fields.len()], by_fields[..]);
    assert_eq!(selected_name(&app), "preston-anchor-procurement.md");
}

#[test]
fn a_note_refused_for_a_conflict_survives_the_reload_as_a_draft() {
    let batch = common::copy_sample();
    let mut mine = open(batch.path(), None);
    let mut theirs = open(batch.path(), None);
    select(&mut mine, "brent-digital-inclusion.txt");
    select(&mut theirs, "brent-digital-inclusion.txt");
    keys(&mut theirs, "x"); // they decline it
    keys(&mut mine, "eask for the figures<ctrl-s>");
    assert!(
        message(&mine).contains("changed on disk"),
        "{}",
        message(&mine)
    );
    keys(&mut mine, "R");
    assert!(message(&mine).contains("draft"), "{}", message(&mine));
    assert_eq!(mine.draft_of_selected(), Some("ask for the figures"));
    // their decline stands, and the note opens again with the typed text
    let r = record_on_disk(batch.path(), "brent-digital-inclusion");
    assert_eq!(r.note, None);
    keys(&mut mine, "e");
    assert_eq!(mine.note_draft().as_deref(), Some("ask for the figures"));
}

#[test]
fn quitting_with_a_refused_note_keeps_the_note_as_a_draft() {
    let batch = common::copy_sample();
    let mut mine = open(batch.path(), None);
    let mut theirs = open(batch.path(), None);
    select(&mut mine, "brent-digital-inclusion.txt");
    select(&mut theirs, "brent-digital-inclusion.txt");
    keys(&mut theirs, "x");
    keys(&mut mine, "ephone the council<ctrl-s>");
    assert!(mine.is_unsaved(mine.selected().expect("selected")));
    // what the shell does on its way out, after the last retry failed
    mine.save_pending();
    mine.keep_unsaved_notes();
    assert_eq!(mine.draft_of_selected(), Some("phone the council"));
}

#[test]
fn a_draft_that_cannot_be_kept_on_disk_is_not_called_kept() {
    let batch = common::copy_sample();
    let home = tempfile::tempdir().expect("home");
    // the state folder replaced by a file
    let state = home.path().join("state");
    std::fs::write(&state, "not a folder").expect("write");
    let mut app = open(batch.path(), Some(&state));
    select(&mut app, "brent-digital-inclusion.txt");
    keys(&mut app, "eask for photos<esc>");
    let m = message(&app);
    assert!(!m.contains("kept as a draft"), "{m}");
    assert!(m.contains("not on disk") && m.contains("state"), "{m}");
    keys(&mut app, "q");
    assert!(!app.quit, "quitting asks first: {}", message(&app));
    assert!(
        message(&app).contains("cannot be kept on disk"),
        "{}",
        message(&app)
    );
    keys(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn a_second_casetag_on_the_folder_says_its_drafts_last_this_sitting() {
    let batch = common::copy_sample();
    let home = tempfile::tempdir().expect("home");
    let _first = open(batch.path(), Some(home.path()));
    let mut second = open(batch.path(), Some(home.path()));
    select(&mut second, "brent-digital-inclusion.txt");
    keys(&mut second, "eask for photos<esc>");
    let m = message(&second);
    assert!(m.contains("another casetag"), "{m}");
    assert!(!m.contains("kept as a draft"), "{m}");
}

#[test]
fn approving_an_untagged_submission_points_to_guided_tagging() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    select(&mut app, "brent-digital-inclusion.txt");
    keys(&mut app, "a");
    let m = message(&app);
    assert!(m.starts_with("cannot approve"), "{m}");
    assert!(m.contains("enter tags it step by step"), "{m}");
}

#[test]
fn a_search_kept_with_enter_is_replaced_by_the_first_letter_typed_after_slash() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    keys(&mut app, "/york<enter>");
    assert_eq!(app.search.text(), "york");
    // `/` shows the kept search; typing starts a new one, as after esc
    keys(&mut app, "/");
    assert_eq!(app.search.text(), "york");
    keys(&mut app, "sal");
    assert_eq!(app.search.text(), "sal");
    // once typing has begun, letters go on the end
    keys(&mut app, "<enter>/");
    keys(&mut app, "<backspace>");
    assert_eq!(
        app.search.text(),
        "",
        "backspace on a brought-back search clears it"
    );
    keys(&mut app, "ol<enter>/<down>");
    keys(&mut app, "dham");
    assert_eq!(
        app.search.text(),
        "oldham",
        "after moving in the list, letters are added"
    );
}

fn picker_cursor(app: &App) -> (usize, usize) {
    match &app.overlay {
        Overlay::Picker { picker, .. } => (picker.cursor(), picker.rows().len()),
        _ => panic!("no picker open"),
    }
}

#[test]
fn end_and_home_go_to_the_last_and_first_entry_of_a_picker() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    keys(&mut app, "p");
    let (at, rows) = picker_cursor(&app);
    assert_eq!(at, 0);
    assert!(rows > 2);
    keys(&mut app, "<end>");
    assert_eq!(picker_cursor(&app), (rows - 1, rows));
    keys(&mut app, "<home>");
    assert_eq!(picker_cursor(&app), (0, rows));
}

/// The Calderdale form came twice, as a Word file and attached to an
/// e-mail: both are marked, nothing else in the sample is, and `x` on the
/// second declines it as a duplicate of the first, named in the note.
#[test]
fn the_same_case_study_sent_twice_is_marked_and_declined_as_a_duplicate() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    let name_of = |app: &App, ix: usize| app.batch.items[ix].file_name.clone();
    let mut pairs: Vec<(String, String)> = (0..app.batch.items.len())
        .filter_map(|ix| {
            app.duplicate_of(ix)
                .map(|o| (name_of(&app, ix), name_of(&app, o)))
        })
        .collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            (
                "calderdale-community-hubs.docx".to_owned(),
                "calderdale-form-by-email.eml".to_owned()
            ),
            (
                "calderdale-form-by-email.eml".to_owned(),
                "calderdale-community-hubs.docx".to_owned()
            ),
        ]
    );
    select(&mut app, "calderdale-form-by-email.eml");
    keys(&mut app, "x");
    assert!(
        message(&app).contains("declined as a duplicate of calderdale-community-hubs.docx"),
        "{}",
        message(&app)
    );
    let r = record_on_disk(batch.path(), "calderdale-form-by-email");
    assert_eq!(r.decision.as_deref(), Some("decline"));
    assert_eq!(
        r.note.as_deref(),
        Some("Duplicate of calderdale-community-hubs.docx.")
    );
    // a note of the officer's own is never replaced
    select(&mut app, "calderdale-community-hubs.docx");
    app.apply(Action::EditNote);
    keys(&mut app, "Keep this one<ctrl-s>");
    keys(&mut app, "x");
    let r = record_on_disk(batch.path(), "calderdale-community-hubs");
    assert_eq!(r.note.as_deref(), Some("Keep this one"));
}

/// The officer corrects what was read (here the year and the lead member)
/// from a small form: the record keeps the corrections, the details and
/// every export show them, the submission file is untouched, and one undo
/// takes them back.
#[test]
fn corrections_of_what_was_read_are_kept_shown_and_exported_not_written_to_the_file() {
    let batch = common::copy_sample();
    let file = batch.path().join("oldham-food-hubs.md");
    let before = std::fs::read(&file).expect("read");
    let mut app = open(batch.path(), None);
    select(&mut app, "oldham-food-hubs.md");
    keys(&mut app, "C");
    assert!(
        matches!(app.overlay, Overlay::Correct { .. }),
        "{}",
        message(&app)
    );
    // lines: Title, Lead member, Members, Year, Programme; the cursor
    // starts at the end of the title
    keys(
        &mut app,
        "<down><down><down><end><backspace><backspace><backspace><backspace>2019",
    );
    keys(&mut app, "<up><up><end>");
    for _ in 0.."Oldham Council".len() {
        keys(&mut app, "<backspace>");
    }
    keys(&mut app, "Oldham Metropolitan Borough Council<ctrl-s>");
    assert!(
        message(&app).contains("corrected: lead, year"),
        "{}",
        message(&app)
    );
    let r = record_on_disk(batch.path(), "oldham-food-hubs");
    let c = r.corrections();
    assert_eq!(c.fields.year, Some(2019));
    assert_eq!(
        c.fields.lead_member.as_deref(),
        Some("Oldham Metropolitan Borough Council")
    );
    assert_eq!(c.title, None, "an unchanged field is no correction");
    assert_eq!(
        std::fs::read(&file).expect("read"),
        before,
        "the file is never changed"
    );
    let csv = common::run_casetag(
        &[
            "export",
            batch.path().to_str().expect("utf-8"),
            "--format",
            "csv",
        ],
        batch.path(),
    );
    let csv = String::from_utf8_lossy(&csv.stdout);
    let row = csv
        .lines()
        .find(|l| l.contains("oldham-food-hubs.md"))
        .unwrap_or_else(|| panic!("{csv}"));
    assert!(
        row.contains("Oldham Metropolitan Borough Council") && row.contains(",2019,"),
        "{row}"
    );
    app.apply(Action::Undo);
    assert!(
        record_on_disk(batch.path(), "oldham-food-hubs")
            .corrections()
            .is_empty()
    );
}

/// What was typed into the corrections form is not dropped by one key:
/// `esc` warns first, a second `esc` leaves, and nothing is saved.
#[test]
fn leaving_the_corrections_form_changed_asks_first() {
    let batch = common::copy_sample();
    let mut app = open(batch.path(), None);
    select(&mut app, "oldham-food-hubs.md");
    // unchanged, esc leaves at once
    keys(&mut app, "C<esc>");
    assert!(matches!(app.overlay, Overlay::None), "{}", message(&app));
    keys(&mut app, "Cx<esc>");
    assert!(
        matches!(app.overlay, Overlay::Correct { .. }),
        "{}",
        message(&app)
    );
    assert!(message(&app).contains("not saved"), "{}", message(&app));
    keys(&mut app, "<esc>");
    assert!(matches!(app.overlay, Overlay::None));
    let r = record_on_disk(batch.path(), "oldham-food-hubs");
    assert!(r.corrections().is_empty(), "{:?}", r.corrections());
}
