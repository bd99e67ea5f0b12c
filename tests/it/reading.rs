//! Scenario tests of reading: the reader's keys, paging the text pane, help
//! from every context, what follows a decision. Key presses go into the model;
//! where paging depends on the screen, the screen is drawn at 80x24 first.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use casetag::app::{App, Overlay};
use casetag::document::Mark;
use casetag::keymap::{Key, KeyCode, KeyModifiers, Mode};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn key(app: &mut App, code: KeyCode) {
    app.handle_key(Key::new(code, KeyModifiers::NONE));
}

fn ctrl(app: &mut App, c: char) {
    app.handle_key(Key::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

use common::{keys, select};

/// Draws the screen at 80x24, as the terminal would after each key.
fn draw(app: &App) -> String {
    let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    t.draw(|f| casetag::ui::draw_with(f, app, &casetag::ui::Theme::MONOCHROME))
        .expect("draw");
    common::buffer_text(t.backend().buffer())
}

fn scroll(app: &App) -> usize {
    app.reader.as_ref().expect("reader open").scroll()
}

#[test]
fn z_opens_the_reader_and_esc_q_z_close_it() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    select(&mut app, "oldham-food-hubs.md");
    for close in [KeyCode::Esc, KeyCode::Char('q'), KeyCode::Char('z')] {
        keys(&mut app, "z");
        assert_eq!(app.mode(), Mode::Reader);
        let screen = draw(&app);
        assert!(screen.contains("Reading"), "{screen}");
        key(&mut app, close);
        assert!(app.reader.is_none(), "{close:?} closes the reader");
        assert!(!app.quit);
    }
}

#[test]
fn the_reader_pages_by_its_height_less_one_and_stops_at_the_end() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    select(&mut app, "oxford-community-led-housing.txt");
    keys(&mut app, "z");
    draw(&app);
    let (rows, total) = app.reader.as_ref().expect("open").geometry();
    assert!(total > 2 * rows, "a long text: {total} lines, {rows} rows");
    keys(&mut app, " ");
    assert_eq!(scroll(&app), rows - 1);
    key(&mut app, KeyCode::PageDown);
    assert_eq!(scroll(&app), 2 * (rows - 1));
    keys(&mut app, "b");
    assert_eq!(scroll(&app), rows - 1);
    keys(&mut app, "j");
    assert_eq!(scroll(&app), rows);
    keys(&mut app, "k");
    assert_eq!(scroll(&app), rows - 1);
    keys(&mut app, "G");
    assert_eq!(scroll(&app), total - rows);
    keys(&mut app, "   j");
    assert_eq!(scroll(&app), total - rows, "never past the end");
    let screen = draw(&app);
    assert!(screen.contains("end"), "{screen}");
    keys(&mut app, "g");
    assert_eq!(scroll(&app), 0);
    keys(&mut app, "k");
    assert_eq!(scroll(&app), 0);
}

#[test]
fn every_line_of_a_long_text_is_shown_by_paging() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    select(&mut app, "oxford-community-led-housing.txt");
    keys(&mut app, "z");
    let doc = app.reader_document().expect("doc");
    let last = doc.lines.last().expect("a line").text();
    let mut seen = String::new();
    for _ in 0..20 {
        seen.push_str(&draw(&app));
        keys(&mut app, " ");
    }
    let last_word = last.split_whitespace().last().expect("word");
    assert!(seen.contains(last_word), "the end is reached: {last_word}");
    // nothing is skipped: every page starts on the last line of the one before
    let r = app.reader.as_ref().expect("open");
    let (rows, total) = r.geometry();
    assert_eq!(r.scroll(), total - rows);
}

#[test]
fn find_in_the_reader_moves_between_matches() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    select(&mut app, "oxford-community-led-housing.txt");
    keys(&mut app, "z");
    draw(&app);
    keys(&mut app, "/");
    assert_eq!(app.mode(), Mode::Search, "the find's text is typed");
    keys(&mut app, "garage");
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.mode(), Mode::Reader);
    let doc = app.reader_document().expect("doc");
    assert!(!doc.found.is_empty());
    let found = doc.found.clone();
    // the current match is drawn on the page
    draw(&app);
    let reader = app.reader.as_ref().expect("open");
    let cur = reader.current().expect("a current match");
    let line = found[cur];
    let start = reader.start_of(line);
    let (rows, _) = reader.geometry();
    assert!(start >= reader.scroll() && start < reader.scroll() + rows);
    assert!(
        doc.lines[line]
            .segments
            .iter()
            .any(|s| s.mark.contains(Mark::CURRENT) && s.text.eq_ignore_ascii_case("garage"))
    );
    keys(&mut app, "n");
    let next = app
        .reader
        .as_ref()
        .expect("open")
        .current()
        .expect("current");
    assert_eq!(next, (cur + 1) % found.len());
    keys(&mut app, "N");
    assert_eq!(app.reader.as_ref().expect("open").current(), Some(cur));
    // a find of nothing says so
    keys(&mut app, "/zzqx");
    key(&mut app, KeyCode::Enter);
    let msg = app
        .message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default();
    assert!(msg.contains("not in this submission"), "{msg}");
}

#[test]
fn the_reader_marks_the_evidence_behind_suggestions() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    select(&mut app, "oxford-community-led-housing.txt");
    keys(&mut app, "z");
    let doc = app.reader_document().expect("doc");
    let evidence: Vec<String> = doc
        .lines
        .iter()
        .flat_map(|l| l.segments.iter())
        .filter(|s| s.mark.contains(Mark::EVIDENCE))
        .map(|s| s.text.to_lowercase())
        .collect();
    assert!(
        evidence.iter().any(|t| t.contains("housing")),
        "keyword hits: {evidence:?}"
    );
    assert!(
        evidence.iter().any(|t| t.contains("we will")),
        "quoted statements: {evidence:?}"
    );
}

#[test]
fn decisions_and_pickers_work_from_the_reader() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    select(&mut app, "glasgow-youth-climate-assembly.txt");
    let ix = app.selected().expect("sel");
    keys(&mut app, "z");
    keys(&mut app, "c");
    assert!(matches!(app.overlay, Overlay::Picker { .. }));
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        app.mode(),
        Mode::Reader,
        "the picker closes back into the reader"
    );
    keys(&mut app, "x");
    assert_eq!(
        app.batch.items[ix]
            .record
            .as_ref()
            .and_then(|r| r.record.decision.clone())
            .as_deref(),
        Some("decline")
    );
    assert!(app.reader.is_none(), "a decision closes the reader");
    assert_ne!(app.selected(), Some(ix), "and moves to the next undecided");
}

#[test]
fn text_pane_pages_by_its_height_less_one_and_ctrl_e_moves_a_line() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    select(&mut app, "oxford-community-led-housing.txt");
    draw(&app);
    let (rows, total) = app.text_view.get();
    assert!(rows >= 2 && total > rows);
    keys(&mut app, "]");
    assert_eq!(app.body_scroll, rows - 1);
    ctrl(&mut app, 'e');
    assert_eq!(app.body_scroll, rows);
    ctrl(&mut app, 'y');
    assert_eq!(app.body_scroll, rows - 1);
    keys(&mut app, "[");
    assert_eq!(app.body_scroll, 0);
    for _ in 0..total {
        keys(&mut app, "]");
    }
    assert_eq!(app.body_scroll, total - rows, "stops at the end");
    keys(&mut app, "[");
    assert_eq!(app.body_scroll, total - rows - (rows - 1));
}

#[test]
fn f1_opens_help_from_every_context_and_closing_it_goes_back() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    select(&mut app, "oldham-food-hubs.md");
    let f1 = |app: &mut App| key(app, KeyCode::F(1));
    // batch, picker, note, search, reader, stats
    let openers: [(&str, Mode); 6] = [
        ("", Mode::Batch),
        ("c", Mode::Picker),
        ("e", Mode::Note),
        ("/", Mode::Search),
        ("z", Mode::Reader),
        ("s", Mode::Stats),
    ];
    for (open, mode) in openers {
        keys(&mut app, open);
        assert_eq!(app.mode(), mode, "after {open:?}");
        f1(&mut app);
        assert_eq!(app.mode(), Mode::Help, "F1 in {mode:?}");
        key(&mut app, KeyCode::Esc);
        assert_eq!(app.mode(), mode, "help closes back to {mode:?}");
        // leave the context
        match mode {
            Mode::Batch => {}
            Mode::Search => key(&mut app, KeyCode::Esc),
            _ => key(&mut app, KeyCode::Esc),
        }
        assert_eq!(app.mode(), Mode::Batch, "{mode:?} closed");
    }
    // "?" too, where it is not typed
    keys(&mut app, "z?");
    assert_eq!(app.mode(), Mode::Help);
}

#[test]
fn help_and_stats_page_with_the_usual_keys() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    keys(&mut app, "?");
    draw(&app);
    let (rows, total) = app.overlay_view.get();
    assert!(total > rows);
    keys(&mut app, " ");
    assert!(matches!(app.overlay, Overlay::Help { scroll } if scroll == rows - 1));
    keys(&mut app, "G");
    assert!(matches!(app.overlay, Overlay::Help { scroll } if scroll == total - rows));
    keys(&mut app, "j");
    assert!(matches!(app.overlay, Overlay::Help { scroll } if scroll == total - rows));
    keys(&mut app, "g");
    assert!(matches!(app.overlay, Overlay::Help { scroll: 0 }));
    keys(&mut app, "?s");
    assert_eq!(app.mode(), Mode::Stats);
    draw(&app);
    keys(&mut app, "G");
    let (rows, total) = app.overlay_view.get();
    assert!(
        matches!(app.overlay, Overlay::Stats { scroll, .. } if scroll == total.saturating_sub(rows))
    );
}

#[test]
fn after_a_decision_the_batch_view_can_stay() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    app.next_after_decision = false;
    select(&mut app, "glasgow-youth-climate-assembly.txt");
    let ix = app.selected();
    keys(&mut app, "x");
    assert_eq!(app.selected(), ix);
}

fn msg(app: &App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

fn picker_selection(app: &App) -> casetag::picker::Selection {
    match &app.overlay {
        Overlay::Picker { picker, .. } => picker.selection().clone(),
        _ => panic!("no picker open"),
    }
}

fn picker_query(app: &App) -> String {
    match &app.overlay {
        Overlay::Picker { picker, .. } => picker.query().to_string(),
        _ => panic!("no picker open"),
    }
}

#[test]
fn space_types_once_the_filter_holds_text() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    select(&mut app, "glasgow-youth-climate-assembly.txt");
    keys(&mut app, "c");
    let before = picker_selection(&app);
    keys(&mut app, "social value");
    assert_eq!(picker_query(&app), "social value");
    assert_eq!(
        picker_selection(&app),
        before,
        "nothing toggled while typing"
    );
    // on an empty filter space still toggles
    ctrl(&mut app, 'u');
    keys(&mut app, " ");
    assert_ne!(picker_selection(&app), before);
}

#[test]
fn digits_put_the_highlighted_value_at_that_rank_or_are_typed() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    select(&mut app, "oldham-food-hubs.md");
    keys(&mut app, "v");
    let before = picker_selection(&app).chosen;
    assert_eq!(before.len(), 3, "{before:?}");
    // highlight an unranked value and put it first: it replaces rank 1
    keys(&mut app, "honesty");
    let hl = match &app.overlay {
        Overlay::Picker { picker, .. } => picker.highlighted().expect("hl").id.clone(),
        _ => panic!(),
    };
    keys(&mut app, "1");
    assert_eq!(
        picker_query(&app),
        "honesty1",
        "typed while the filter holds text"
    );
    ctrl(&mut app, 'u');
    // find the highlighted one again with the arrows: the filter is empty now
    loop {
        let now = match &app.overlay {
            Overlay::Picker { picker, .. } => picker.highlighted().expect("hl").id.clone(),
            _ => panic!(),
        };
        if now == hl {
            break;
        }
        key(&mut app, KeyCode::Down);
    }
    keys(&mut app, "1");
    let after = picker_selection(&app).chosen;
    assert_eq!(after[0], hl);
    assert_eq!(after[1..], before[1..], "ranks 2 and 3 stay");
    // a fourth by toggling is refused, saying why and what to do
    key(&mut app, KeyCode::Down);
    keys(&mut app, " ");
    let m = msg(&app);
    assert!(
        m.contains("three values already") && m.contains("1-3"),
        "{m}"
    );
    assert!(app.message.as_ref().is_some_and(|m| m.error));
}

#[test]
fn ctrl_t_keeps_the_old_primary_as_a_secondary_when_there_is_room() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    select(&mut app, "oldham-food-hubs.md");
    keys(&mut app, "c");
    let before = picker_selection(&app);
    let old = before.primary.clone().expect("a primary");
    // a category that is not chosen yet
    let target = loop {
        let (id, chosen) = match &app.overlay {
            Overlay::Picker { picker, .. } => {
                let it = picker.highlighted().expect("hl");
                (
                    it.id.clone(),
                    picker.selection().chosen.contains(&it.id)
                        || picker.selection().primary.as_ref() == Some(&it.id),
                )
            }
            _ => panic!(),
        };
        if !chosen {
            break id;
        }
        key(&mut app, KeyCode::Down);
    };
    ctrl(&mut app, 't');
    let after = picker_selection(&app);
    assert_eq!(after.primary.as_deref(), Some(target.as_str()));
    assert!(after.chosen.contains(&old), "{after:?}");
}

#[test]
fn nothing_acts_behind_the_too_small_screen_but_quit() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    select(&mut app, "glasgow-youth-climate-assembly.txt");
    let ix = app.selected().expect("sel");
    app.screen_too_small = true;
    keys(&mut app, "xjz?");
    assert!(app.batch.items[ix].record.is_none(), "x declined nothing");
    assert_eq!(app.selected(), Some(ix));
    assert_eq!(app.mode(), Mode::Batch);
    keys(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn reload_rereads_every_file_changed_on_disk_and_counts_them() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    let first = app.selected_item().expect("sel").title().to_string();
    keys(&mut app, "R");
    assert_eq!(
        msg(&app),
        format!("reloaded {first}"),
        "the selected one is read again"
    );
    for name in [
        "glasgow-youth-climate-assembly.txt",
        "brent-digital-inclusion.txt",
    ] {
        let p = batch.path().join(name);
        let mut text = std::fs::read_to_string(&p).expect("read");
        text.push_str("\nA line added later.\n");
        std::fs::write(&p, text).expect("write");
    }
    keys(&mut app, "R");
    assert_eq!(msg(&app), "reloaded 2 submissions changed on disk");
    let changed = app
        .batch
        .items
        .iter()
        .filter(|it| {
            it.submission
                .as_ref()
                .is_ok_and(|s| s.body.contains("A line added later."))
        })
        .count();
    assert_eq!(changed, 2);
}

#[test]
fn undo_and_redo_say_what_changed() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    app.next_after_decision = false;
    select(&mut app, "glasgow-youth-climate-assembly.txt");
    let title = app.selected_item().expect("sel").title().to_string();
    keys(&mut app, "x");
    keys(&mut app, "u");
    assert_eq!(msg(&app), format!("undone: decline of {title}"));
    app.handle_key(Key::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    assert_eq!(msg(&app), format!("redone: decline of {title}"));
}

#[test]
fn the_readme_lists_every_action_of_every_table_as_the_keymap_binds_them() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .expect("README");
    let keymap = casetag::keymap::Keymap::builtin();
    for (mode, actions) in keymap.bindings() {
        let prefix = format!("- `[{}]`: ", mode.name());
        let line = readme
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap_or_else(|| panic!("README lists no [{}] table", mode.name()));
        let listed: Vec<&str> = line[prefix.len()..]
            .split(", ")
            .map(|a| a.trim_matches('`'))
            .collect();
        let bound: Vec<&str> = actions.iter().map(|(a, _)| a.name()).collect();
        assert_eq!(listed, bound, "README's [{}] line", mode.name());
    }
    // the user keymap example is a keymap casetag accepts
    let start = readme.find("```toml\n[batch]").expect("an example keymap");
    let body = &readme[start + "```toml\n".len()..];
    let example = &body[..body.find("```").expect("end of the example")];
    casetag::keymap::Keymap::builtin()
        .with_overrides(example, std::path::Path::new("README.md"))
        .expect("the README's example keymap loads");
}

#[test]
fn the_reader_shows_a_change_made_while_it_is_open() {
    // The reader keeps its drawn document between keys; a change to the
    // record must still show at once.
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    select(&mut app, "brent-digital-inclusion.txt");
    keys(&mut app, "z");
    let before = draw(&app);
    assert!(!before.contains("Ask for a photo"), "{before}");
    keys(&mut app, "eAsk for a photo");
    ctrl(&mut app, 's');
    assert!(app.reader.is_some(), "the note closed the reader");
    let after = draw(&app);
    assert!(after.contains("Ask for a photo"), "{after}");
}

#[test]
fn esc_in_the_readers_find_keeps_the_text_and_a_paste_is_typed_into_it() {
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    select(&mut app, "oxford-community-led-housing.txt");
    keys(&mut app, "z");
    draw(&app);
    keys(&mut app, "/gara<esc>");
    assert_eq!(app.mode(), Mode::Reader);
    assert!(msg(&app).contains("find “gara” left"), "{}", msg(&app));
    // `/` brings it back, with its matches; typing replaces it
    keys(&mut app, "/");
    assert_eq!(app.reader.as_ref().map(|r| r.query()), Some("gara"));
    assert!(app.reader.as_ref().is_some_and(|r| r.current().is_some()));
    assert!(msg(&app).contains("last find is back"), "{}", msg(&app));
    app.apply(casetag::keymap::Action::Paste("garage\nx".into()));
    assert_eq!(app.reader.as_ref().map(|r| r.query()), Some("garage x"));
    assert_eq!(app.mode(), Mode::Search, "the paste confirmed the find");
}
