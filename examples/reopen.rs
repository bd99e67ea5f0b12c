//! What keeping only some texts in memory costs: the time to select a
//! submission whose text was dropped (read again from disk, with its
//! suggestions and a frame), to open the reader on one, and to search every
//! text after `enter`.
//!
//! ```text
//! cargo run --release --example reopen -- [DIR] [--budget BYTES]
//! ```
//!
//! Without DIR, the 100,000-submission batch of `examples/gen_batch.rs` in
//! `temp_dir()/casetag-bench-100000` (generated first if missing). The batch
//! is read as the terminal program reads it (in chunks, in the background
//! order, the text budget applied as it comes), then:
//!
//! - the resident memory (VmRSS, VmHWM) and the texts held;
//! - 200 page-downs from the top of the list, each selecting a submission
//!   whose text was dropped: the key (reading the text again, suggestions)
//!   and the key with a frame of 200x60, p50 / p90 / max;
//! - the same 200 back up, now held: the same without reading;
//! - selecting a dropped one, `z` and its first frame;
//! - `/credit union` and `enter`, then the slices between keys until every
//!   text is searched: the total, and the slowest slice;
//! - the export key (into `temp_dir()/casetag-reopen-export`): its time and
//!   the memory after it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed run may panic

use std::path::PathBuf;
use std::time::{Duration, Instant};

use casetag::app::{App, Options, SystemClock};
use casetag::batch::{Batch, load_items};
use casetag::keymap::{Action, Key, Keymap};
use casetag::taxonomy::Taxonomy;
use casetag::ui::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[allow(dead_code)]
#[path = "gen_batch.rs"]
mod gen_batch;

/// As src/tui.rs: the chunks the reader sends, and an idle slice of the search.
const CHUNK: usize = 512;
const SEARCH_SLICE: usize = 4096;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// p50, p90 and the maximum, in ms.
fn spread(mut v: Vec<Duration>) -> String {
    v.sort();
    let at = |p: f64| {
        v.get(((v.len() as f64 - 1.0) * p).round() as usize)
            .copied()
    };
    format!(
        "p50 {:.2} ms, p90 {:.2} ms, max {:.2} ms",
        ms(at(0.5).unwrap_or_default()),
        ms(at(0.9).unwrap_or_default()),
        ms(v.last().copied().unwrap_or_default())
    )
}

/// VmRSS and VmHWM from /proc, in MB.
fn memory() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    format!(
        "VmRSS {:.1} MB, VmHWM (peak) {:.1} MB",
        kb("VmRSS:") * 1024.0 / 1e6,
        kb("VmHWM:") * 1024.0 / 1e6
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let budget = args
        .iter()
        .position(|a| a == "--budget")
        .and_then(|i| args.get(i + 1))
        .map(|b| b.parse::<usize>().expect("--budget BYTES"));
    let dir = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--budget"))
        .map(|(_, a)| PathBuf::from(a))
        .unwrap_or_else(|| gen_batch::ensure_batch(100_000));

    let taxonomy = Taxonomy::builtin();
    let mut app = App::new(
        Batch::empty(&dir),
        Options {
            taxonomy: taxonomy.clone(),
            keymap: Keymap::builtin(),
            reviewer: "bench".into(),
            state_dir: None,
            export_dir: Some(std::env::temp_dir().join("casetag-reopen-export")),
            clock: Box::new(SystemClock),
        },
    );
    if let Some(b) = budget {
        app.set_text_budget(b);
    }
    let t = Instant::now();
    let paths = Batch::list(&dir).expect("list");
    let n = paths.len();
    app.loading = Some((0, n));
    for chunk in paths.chunks(CHUNK) {
        app.push_items(load_items(chunk.to_vec(), &taxonomy));
    }
    app.finish_loading();
    println!("{n} submissions read in {:.1} s", t.elapsed().as_secs_f64());
    println!(
        "texts held: {} ({:.1} MB); {}",
        app.batch.texts_held(),
        app.batch.text_bytes_held() as f64 / 1e6,
        memory()
    );

    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("terminal");
    let mut draw = |app: &App| {
        terminal
            .draw(|f| ui::draw_with(f, app, &Theme::COLOUR))
            .expect("draw");
    };
    draw(&app);

    // page down from the top: every submission reached had its text dropped
    // (the last ones read are those held)
    app.apply(Action::First);
    let (mut keys, mut framed, mut dropped) = (Vec::new(), Vec::new(), 0usize);
    for _ in 0..200 {
        dropped += usize::from(next_page_is_dropped(&app));
        let t = Instant::now();
        app.apply(Action::PageDown);
        keys.push(t.elapsed());
        draw(&app);
        framed.push(t.elapsed());
    }
    println!(
        "select a submission whose text was dropped ({dropped} of 200): key {}; key and frame {}",
        spread(keys),
        spread(framed)
    );
    let (mut keys, mut framed) = (Vec::new(), Vec::new());
    for _ in 0..200 {
        let t = Instant::now();
        app.apply(Action::PageUp);
        keys.push(t.elapsed());
        draw(&app);
        framed.push(t.elapsed());
    }
    println!(
        "the same, their text now held: key {}; key and frame {}",
        spread(keys),
        spread(framed)
    );

    // the reader on a dropped one: selecting it reads the text again
    app.apply(Action::First);
    for _ in 0..300 {
        app.apply(Action::PageDown);
    }
    let (mut opened, mut dropped) = (Vec::new(), 0usize);
    for _ in 0..20 {
        dropped += usize::from(next_page_is_dropped(&app));
        let t = Instant::now();
        app.apply(Action::PageDown);
        app.handle_key(Key::char('z'));
        draw(&app);
        opened.push(t.elapsed());
        assert!(app.reader.is_some());
        app.apply(Action::Cancel);
    }
    println!(
        "select a dropped one ({dropped} of 20), `z` and its first frame: {}",
        spread(opened)
    );

    // the search of every text
    app.apply(Action::First);
    app.apply(Action::Search);
    for c in "credit union".chars() {
        app.handle_key(Key::char(c));
    }
    let t = Instant::now();
    app.apply(Action::Confirm);
    let enter = t.elapsed();
    let (mut slices, mut n_slices) = (Duration::ZERO, 0usize);
    while app.search_busy() {
        let s = Instant::now();
        app.search_work(SEARCH_SLICE);
        slices = slices.max(s.elapsed());
        n_slices += 1;
    }
    println!(
        "`/credit union` enter: {:.1} ms; every text searched after {:.1} s in {n_slices} slices, \
         the slowest {:.1} ms; {} matches; texts held {}; {}",
        ms(enter),
        t.elapsed().as_secs_f64(),
        ms(slices),
        app.view.len(),
        app.batch.texts_held(),
        memory()
    );

    // the export key: the pack with every approved text, and the CSV
    app.apply(Action::ClearFilter);
    let t = Instant::now();
    app.apply(Action::Export);
    println!(
        "export: {:.1} s; {}; {}",
        t.elapsed().as_secs_f64(),
        app.message.as_ref().map_or("", |m| m.text.as_str()),
        memory()
    );
}

/// Whether the submission a page down (10 rows) from the selection has had
/// its text dropped.
fn next_page_is_dropped(app: &App) -> bool {
    let next = app.selected().map_or(0, |i| i + 10);
    app.batch
        .items
        .get(next)
        .is_some_and(|it| it.text_dropped())
}
