//! Rendering tests: the whole application drawn into ratatui's `TestBackend`
//! at 80x24 and 140x40, compared with insta snapshots, plus checks that no
//! untrusted character reaches a cell and that `NO_COLOR` means no colour.
//!
//! The batch is written by the tests themselves so that the snapshots do not
//! change when the sample batch does. No screen shows a path, so the temporary
//! folder never appears in a snapshot (a test checks that too).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use std::path::Path;

use casetag::app::{App, Clock, Options};
use casetag::batch::Batch;
use casetag::keymap::{Action, Keymap};
use casetag::sanitize::{is_bidi_control, is_invisible_format};
use casetag::taxonomy::Taxonomy;
use casetag::ui::{self, Theme};
use common::{keys, select};
use ratatui::Terminal;
use ratatui::backend::{Backend, TestBackend};
use ratatui::style::Color;

/// 2026-11-22T10:15:00Z, always.
struct FixedClock;

impl Clock for FixedClock {
    fn now(&mut self) -> u64 {
        1_795_342_500
    }
}

const FOOD_HUBS: &str = r#"+++
title = "Community food hubs: tackling food poverty together across two boroughs"
lead_member = "Oldham Council"
participating_members = ["Rochdale Borough Council", "Bury Council", "Wigan Council", "Salford City Council", "Tameside Council"]
year = 2020
status = "Policy Labs"
contact = "food@example.org"

[proposed]
primary_category = "Community"
categories = ["Poverty"]
principles = ["Co-production", "Innovation"]
values = ["Solidarity", "Caring for others", "Democracy"]
+++
# Community food hubs

When the first lockdown began, Oldham and its neighbours opened food hubs in
community centres, libraries and a former bus depot. Volunteers from mutual aid
groups, tenants' associations and faith groups ran them together with council
staff, and the hubs became a place where people could also get advice on debt,
energy bills and benefits.

The hubs were designed with the people who use them: a panel of residents with
lived experience of food poverty chose the opening hours, the mix of fresh and
tinned food and the "pay what you can" café that now funds a third of the costs.

## What changed

- 14 hubs open three days a week, 9,000 visits a month
- a shared stock system between the five boroughs
- a community pantry membership scheme run as a co-operative

## What we learned

Solidarity between neighbours was the strongest resource we had. Caring for
others came first; the council's role was to get out of the way and make the
building, the insurance and the food supply work.
"#;

const ENERGY: &str = "Plymouth Energy Community: a co-operative for warm homes
  • Lead Member Plymouth City Council
  • Participating Members Plymouth Energy Community, Devon County Council
  • Year 2017
  • Status Policy Prototypes

Principles met

  • We will embrace innovation in how we work with local communities to drive positive change.

About the project

Plymouth Energy Community is a community-owned energy co-operative that installs
solar panels on schools and helps tenants out of fuel poverty. The council lent
the start-up capital and its members now own 7 MW of solar generation.
";

const YOUTH: &str = "Young people design their own youth services

Lambeth's young people ran the commissioning of youth services themselves, with a
budget of £1.2m and a panel of 16 to 24 year olds.
";

const ENERGY_RECORD: &str = r#"submission = "plymouth-energy.txt"
decision = "approve"
primary_category = "climate-change-environment"
categories = ["housing", "poverty"]
principles = ["co-production", "enterprise-social-economy", "innovation"]
values = ["self-help", "solidarity", "social-responsibility"]
note = "Lovely photos; use the one of the school roof."
reviewer = "tester"
reviewed_at = "2026-11-20T09:00:00Z"
seconds_spent = 240
"#;

const YOUTH_RECORD: &str = r#"submission = "youth-services.txt"
primary_category = "young-people"
principles = ["democratic-engagement", "no-such-principle"]
reviewer = "tester"
reviewed_at = "2026-11-20T09:10:00Z"
"#;

/// A small batch: a Markdown submission with proposed tags, an approved
/// plain-text one, one with an invalid record, and one that cannot be parsed.
fn write_batch(dir: &Path) {
    let files = [
        ("community-food-hubs.md", FOOD_HUBS),
        ("plymouth-energy.txt", ENERGY),
        ("plymouth-energy.review.toml", ENERGY_RECORD),
        ("youth-services.txt", YOUTH),
        ("youth-services.review.toml", YOUTH_RECORD),
        ("unreadable.md", "+++\ntitle = \"unterminated\n+++\nbody\n"),
    ];
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write fixture");
    }
}

fn app_for(dir: &Path) -> App {
    let taxonomy = Taxonomy::builtin();
    let batch = Batch::load(dir, &taxonomy).expect("load batch");
    App::new(
        batch,
        Options {
            taxonomy,
            keymap: Keymap::builtin(),
            reviewer: "tester".into(),
            state_dir: None,
            export_dir: None,
            clock: Box::new(FixedClock),
        },
    )
}

/// A fresh batch in a temporary folder and an app over it, on the first item.
fn fixture() -> (tempfile::TempDir, App) {
    let tmp = tempfile::tempdir().expect("tempdir");
    write_batch(tmp.path());
    let app = app_for(tmp.path());
    (tmp, app)
}

fn render(app: &App, w: u16, h: u16, theme: Theme) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    terminal
        .draw(|f| ui::draw_with(f, app, &theme))
        .expect("draw");
    terminal
}

fn screen(terminal: &Terminal<TestBackend>) -> String {
    terminal.backend().to_string()
}

/// Snapshots the app at both sizes; `name` names the snapshot files.
fn snap_both(name: &str, app: &App, dir: &Path) {
    for (w, h) in [(80, 24), (140, 40)] {
        let terminal = render(app, w, h, Theme::COLOUR);
        let text = screen(&terminal);
        assert!(
            !text.contains(&*dir.to_string_lossy()),
            "{name} {w}x{h} shows the temporary path"
        );
        insta::assert_snapshot!(format!("{name}_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn batch_view() {
    let (tmp, app) = fixture();
    snap_both("batch", &app, tmp.path());
}

#[test]
fn batch_view_of_an_approved_submission() {
    let (tmp, mut app) = fixture();
    let i = app
        .view
        .iter()
        .position(|&ix| app.batch.items[ix].file_name == "plymouth-energy.txt")
        .expect("listed");
    for _ in 0..i {
        app.apply(Action::Next);
    }
    snap_both("batch_approved", &app, tmp.path());
}

#[test]
fn batch_view_of_an_invalid_record_and_an_unreadable_file() {
    let (tmp, mut app) = fixture();
    let find = |app: &App, name: &str| {
        app.view
            .iter()
            .position(|&ix| app.batch.items[ix].file_name == name)
            .expect("listed")
    };
    app.apply(Action::First);
    for _ in 0..find(&app, "youth-services.txt") {
        app.apply(Action::Next);
    }
    snap_both("batch_invalid", &app, tmp.path());
    app.apply(Action::First);
    for _ in 0..find(&app, "unreadable.md") {
        app.apply(Action::Next);
    }
    snap_both("batch_error", &app, tmp.path());
}

#[test]
fn category_picker() {
    let (tmp, mut app) = fixture();
    select(&mut app, "community-food-hubs.md");
    app.apply(Action::PickCategories);
    keys(&mut app, "<down>");
    keys(&mut app, "<down>");
    snap_both("picker_categories", &app, tmp.path());
}

#[test]
fn principle_picker_with_a_query() {
    let (tmp, mut app) = fixture();
    select(&mut app, "community-food-hubs.md");
    app.apply(Action::PickPrinciples);
    keys(&mut app, "walk");
    snap_both("picker_principles", &app, tmp.path());
}

#[test]
fn a_filter_that_picked_an_entry_shows_that_typing_replaces_it() {
    let (_tmp, mut app) = fixture();
    select(&mut app, "community-food-hubs.md");
    app.apply(Action::PickPrinciples);
    keys(&mut app, "walk<tab>");
    let shot = screen(&render(&app, 80, 24, Theme::COLOUR));
    assert!(
        shot.contains("> walk█ type to replace"),
        "the done filter says typing replaces it:\n{shot}"
    );
    keys(&mut app, "d");
    let shot = screen(&render(&app, 80, 24, Theme::COLOUR));
    assert!(
        shot.contains("> d█"),
        "the next letter starts anew:\n{shot}"
    );
    assert!(!shot.contains("type to replace"), "{shot}");
}

#[test]
fn value_picker_with_ranks_and_a_query() {
    let (tmp, mut app) = fixture();
    select(&mut app, "community-food-hubs.md");
    app.apply(Action::PickValues);
    keys(&mut app, "so");
    snap_both("picker_values", &app, tmp.path());
}

#[test]
fn help_overlay() {
    let (tmp, mut app) = fixture();
    app.apply(Action::Help);
    // help names the batch folder: shown here as one that is the same on
    // every machine
    let real = std::mem::replace(&mut app.batch.dir, "/home/officer/batch".into());
    assert_eq!(real, tmp.path());
    snap_both("help", &app, tmp.path());
    app.apply(Action::PageDown);
    snap_both("help_scrolled", &app, tmp.path());
}

#[test]
fn error_message() {
    let (tmp, mut app) = fixture();
    select(&mut app, "community-food-hubs.md");
    app.apply(Action::Approve);
    assert!(app.message.as_ref().is_some_and(|m| m.error));
    snap_both("error_message", &app, tmp.path());
}

#[test]
fn stats_view() {
    let (tmp, mut app) = fixture();
    app.apply(Action::Stats);
    snap_both("stats", &app, tmp.path());
}

#[test]
fn note_editor() {
    let (tmp, mut app) = fixture();
    select(&mut app, "community-food-hubs.md");
    app.apply(Action::NeedsInfo);
    keys(&mut app, "Please send the number of volunteers");
    keys(&mut app, "<enter>");
    keys(&mut app, "and a photo of a hub.");
    snap_both("note", &app, tmp.path());
    let mut terminal = render(&app, 80, 24, Theme::COLOUR);
    let pos = terminal
        .backend_mut()
        .get_cursor_position()
        .expect("cursor position");
    // the cursor sits just after the last character typed
    let row: String = (0..80)
        .map(|x| terminal.backend().buffer()[(x, pos.y)].symbol().to_string())
        .collect();
    assert!(row.contains("a photo of a hub."), "{row:?}");
    let before = terminal.backend().buffer()[(pos.x - 1, pos.y)]
        .symbol()
        .to_string();
    assert_eq!(before, ".");
}

#[test]
fn guided_tagging_decision_prompt() {
    let (tmp, mut app) = fixture();
    select(&mut app, "community-food-hubs.md");
    app.apply(Action::GuidedTagging);
    app.apply(Action::Confirm);
    app.apply(Action::Confirm);
    app.apply(Action::Confirm);
    snap_both("decide", &app, tmp.path());
}

#[test]
fn search() {
    let (tmp, mut app) = fixture();
    app.apply(Action::Search);
    keys(&mut app, "food");
    snap_both("search", &app, tmp.path());
}

#[test]
fn too_small() {
    let (_tmp, app) = fixture();
    let terminal = render(&app, 50, 10, Theme::COLOUR);
    insta::assert_snapshot!("too_small_50x10", terminal.backend());
    let text = screen(&terminal);
    assert!(text.contains("60×16"), "{text}");
    // tiny terminals must not panic either
    for (w, h) in [(0, 0), (1, 1), (59, 40), (200, 15), (3, 30)] {
        render(&app, w, h, Theme::COLOUR);
    }
}

/// Every size from the minimum up draws without panicking, with every overlay.
#[test]
fn every_screen_draws_at_many_sizes() {
    let (_tmp, mut app) = fixture();
    select(&mut app, "community-food-hubs.md");
    let setups: [&dyn Fn(&mut App); 7] = [
        &|_| {},
        &|a| a.apply(Action::PickCategories),
        &|a| a.apply(Action::PickValues),
        &|a| a.apply(Action::Help),
        &|a| a.apply(Action::Stats),
        &|a| a.apply(Action::EditNote),
        &|a| a.apply(Action::Search),
    ];
    for setup in setups {
        setup(&mut app);
        for w in (55..=150).step_by(11) {
            for h in (12..=45).step_by(6) {
                render(&app, w, h, Theme::COLOUR);
            }
        }
        app.apply(Action::Cancel);
        app.overlay = casetag::app::Overlay::None;
    }
}

fn is_forbidden(c: char) -> bool {
    c.is_control() || is_bidi_control(c) || is_invisible_format(c)
}

#[test]
fn hostile_text_is_shown_inert() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let hostile = "+++\n\
        title = \"Pwn\\u001b]0;PWNED\\u0007 \\u001b[31mred\\u009b31m \\u202eevil\\u200bhidden\"\n\
        lead_member = \"Evil\\u001b[2J Council\\u202e\"\n\
        participating_members = [\"A\\u2066B\\u2069\", \"\\ufeffC\"]\n\
        +++\n\
        Body \u{1b}]0;PWNED\u{7} and \u{1b}[31mred\u{1b}[0m and \u{9b}31m and \u{202e}drowkcab \
        and zero\u{200b}width and \u{200f}rtl\u{200e} and tab\there\r\n\
        second line \u{7f} end\n";
    std::fs::write(tmp.path().join("hostile.md"), hostile).expect("write");
    std::fs::write(
        tmp.path().join("hostile.review.toml"),
        "submission = \"hostile.md\"\nnote = \"note \\u001b[5m blink \\u202e\"\n",
    )
    .expect("write");
    std::fs::write(
        tmp.path().join("name\u{1b}[31m\u{202e}.md"),
        "+++\ntitle = \"unterminated\n",
    )
    .expect("write");
    let mut app = app_for(tmp.path());
    let mut screens = Vec::new();
    for step in 0..4 {
        match step {
            1 => app.apply(Action::Next),
            2 => {
                app.apply(Action::First);
                app.apply(Action::EditNote);
            }
            3 => {
                app.apply(Action::Cancel);
                app.apply(Action::Stats);
            }
            _ => {}
        }
        for (w, h) in [(80, 24), (140, 40)] {
            screens.push(render(&app, w, h, Theme::COLOUR));
        }
    }
    let mut seen_escape = false;
    for terminal in &screens {
        for cell in terminal.backend().buffer().content() {
            let sym = cell.symbol();
            assert!(
                !sym.chars().any(is_forbidden),
                "cell {sym:?} holds an untrusted character"
            );
            seen_escape |= sym.contains('␛');
        }
    }
    assert!(seen_escape, "the ESC stand-in is visible");
    let first = screen(&screens[0]);
    assert!(first.contains("<U+202E>"), "{first}");
}

#[test]
fn no_color_means_no_colour() {
    let (_tmp, mut app) = fixture();
    select(&mut app, "community-food-hubs.md");
    let setups: [&dyn Fn(&mut App); 6] = [
        &|_| {},
        &|a| a.apply(Action::Approve),
        &|a| a.apply(Action::PickCategories),
        &|a| {
            a.apply(Action::PickValues);
            keys(a, "so");
        },
        &|a| a.apply(Action::Help),
        &|a| a.apply(Action::Stats),
    ];
    for setup in setups {
        setup(&mut app);
        for (w, h) in [(80, 24), (140, 40)] {
            let terminal = render(&app, w, h, Theme::MONOCHROME);
            for cell in terminal.backend().buffer().content() {
                assert_eq!(cell.fg, Color::Reset, "{:?} has a colour", cell.symbol());
                assert_eq!(cell.bg, Color::Reset, "{:?} has a colour", cell.symbol());
            }
        }
        app.apply(Action::Cancel);
        app.overlay = casetag::app::Overlay::None;
    }
}

#[test]
fn the_colour_theme_uses_colour() {
    let (_tmp, app) = fixture();
    let terminal = render(&app, 80, 24, Theme::COLOUR);
    assert!(
        terminal
            .backend()
            .buffer()
            .content()
            .iter()
            .any(|c| c.fg != Color::Reset)
    );
    assert!(Theme::COLOUR.has_colour());
    assert!(!Theme::MONOCHROME.has_colour());
}

/// A batch of 100,000 submissions draws, with the selection at its end in view.
/// (Its speed is measured by the benchmarks, not here.)
#[test]
fn a_large_batch_draws_with_the_last_entry_selected() {
    let (_tmp, mut app) = fixture();
    // submissions without records: what is measured here is the drawing, not
    // the validation of 100,000 records behind the progress count
    let one: Vec<_> = app
        .batch
        .items
        .iter()
        .filter(|it| it.record.is_none())
        .cloned()
        .collect();
    let mut items = Vec::with_capacity(100_000);
    for i in 0..100_000 {
        let mut item = one[i % one.len()].clone();
        item.file_name = format!("{i:06}-{}", item.file_name);
        items.push(item);
    }
    app.batch.items = items;
    app.refresh_view();
    app.apply(Action::Last);
    let text = screen(&render(&app, 140, 40, Theme::COLOUR));
    assert!(text.contains("100000 of 100000"), "{text}");
    assert!(text.contains("▶"), "the selected row is drawn: {text}");
}

/// Snapshots the app at 80x24 only.
fn snap_80x24(name: &str, app: &App, dir: &Path) {
    let terminal = render(app, 80, 24, Theme::COLOUR);
    assert!(!screen(&terminal).contains(&*dir.to_string_lossy()));
    insta::assert_snapshot!(name, terminal.backend());
}

#[test]
fn details_of_a_declined_submission_show_its_note() {
    let (tmp, mut app) = fixture();
    app.next_after_decision = false;
    select(&mut app, "community-food-hubs.md");
    app.apply(Action::EditNote);
    keys(
        &mut app,
        "Declined: the figures do not add up; ask for the 2021 report.",
    );
    app.apply(Action::Confirm);
    app.apply(Action::Decline);
    let text = screen(&render(&app, 80, 24, Theme::MONOCHROME));
    assert!(text.contains("Note       Declined: the figures"), "{text}");
    assert!(text.contains("✗ declined"), "{text}");
    snap_80x24("details_declined_80x24", &app, tmp.path());
}

#[test]
fn the_reader_at_80x24() {
    let (tmp, mut app) = fixture();
    select(&mut app, "community-food-hubs.md");
    app.apply(Action::Read);
    snap_80x24("reader_80x24", &app, tmp.path());
    app.apply(Action::PageDown);
    snap_80x24("reader_paged_80x24", &app, tmp.path());
    app.apply(Action::Find);
    keys(&mut app, "hub");
    app.apply(Action::Confirm);
    app.apply(Action::FindNext);
    snap_80x24("reader_find_80x24", &app, tmp.path());
}

#[test]
fn the_list_says_which_submissions_came_as_word_e_mail_web_page_or_pdf() {
    let batch = common::copy_sample();
    let mut app = app_for(batch.path());
    keys(&mut app, "g");
    let row_of = |text: &str, name: &str| -> String {
        let title = app
            .batch
            .items
            .iter()
            .find(|it| it.file_name == name)
            .map(|it| it.title().to_owned())
            .expect("in the sample");
        text.lines()
            .filter(|l| l.contains(&title))
            .map(str::to_owned)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let text = screen(&render(&app, 80, 24, Theme::COLOUR));
    // the Calderdale form came twice, as a Word file and inside an e-mail
    let rows = row_of(&text, "calderdale-community-hubs.docx");
    assert!(rows.contains("Word") && rows.contains("e-mail"), "{rows}");
    assert!(!row_of(&text, "birmingham-social-prescribing.txt").contains("Word"));
    // LibreOffice's and Outlook's own files say so
    for (file, kind) in [
        ("leeds-community-energy.odt", "OpenDocument"),
        ("sheffield-community-shops.msg", "Outlook"),
    ] {
        let mut app = app_for(batch.path());
        select(&mut app, file);
        let text = screen(&render(&app, 80, 24, Theme::COLOUR));
        let row = text.lines().find(|l| l.contains('▶')).unwrap_or_default();
        assert!(row.contains(kind), "{text}");
    }
    // too narrow a list keeps its room for the title
    let narrow = screen(&render(&app, 36, 24, Theme::COLOUR));
    assert!(!narrow.contains("e-mail"), "{narrow}");
}

#[test]
/// The suggestions are what the officer acts on: at 80x24 they come before
/// the reviewer and the council's lead, members and contact.
fn at_80x24_every_sample_submission_shows_its_suggestions() {
    let batch = common::copy_sample();
    let mut app = app_for(batch.path());
    keys(&mut app, "g");
    let mut missing = Vec::new();
    for i in 0..app.view.len() {
        app.cursor = i;
        app.apply(Action::First);
        for _ in 0..i {
            app.apply(Action::Next);
        }
        // an invalid record's problem is what the officer acts on there
        let has = app.suggestions().is_some_and(|s| !s.is_empty());
        let ix = app.selected().expect("selected");
        if !has || app.status(ix) == casetag::batch::Status::Invalid {
            continue;
        }
        let text = screen(&render(&app, 80, 24, Theme::COLOUR));
        if !text.contains("★ suggested") {
            missing.push(app.selected_item().map(|it| it.file_name.clone()));
        }
    }
    assert!(
        missing.is_empty(),
        "no suggestions shown at 80x24 for {missing:?}"
    );
}

/// At 80x24 a principle's long name wraps under itself rather than being
/// cut, and `home` and `end` move to the first and last entry.
#[test]
fn the_principle_picker_at_80x24_shows_whole_names_and_takes_home_and_end() {
    let (_tmp, mut app) = fixture();
    select(&mut app, "community-food-hubs.md");
    app.apply(Action::PickPrinciples);
    let text = screen(&render(&app, 80, 24, Theme::COLOUR));
    assert!(!text.contains("new r…"), "{text}");
    let flat: String = text
        .lines()
        .map(|l| l.split('│').nth(1).unwrap_or("").trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        flat.contains("Community leadership and a new role for councillors"),
        "{text}"
    );
    let cursor_row = |app: &App| {
        screen(&render(app, 80, 24, Theme::COLOUR))
            .lines()
            .find(|l| l.contains('▶'))
            .map(str::to_owned)
            .unwrap_or_default()
    };
    keys(&mut app, "<end>");
    assert!(
        cursor_row(&app).contains("Walking the talk"),
        "{}",
        cursor_row(&app)
    );
    keys(&mut app, "<home>");
    assert!(
        cursor_row(&app).contains("Social Partnership"),
        "{}",
        cursor_row(&app)
    );
}
