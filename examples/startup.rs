//! Start-up time at scale: from process start to the first frame, and on
//! until the whole batch is listed.
//!
//! ```text
//! cargo run --release --example startup -- [DIR] [--sync]
//! ```
//!
//! Without DIR, the 100,000-submission batch of `examples/gen_batch.rs` in
//! `temp_dir()/casetag-bench-100000` (generated first if missing, which is not
//! timed: run it again). Does what `casetag DIR` does before its first frame
//! (src/main.rs `open` and src/tui.rs `run`): the taxonomy, config and keymap,
//! clearing temporary files, listing the folder, `App::new` on the empty batch,
//! starting the background reader, then the first frame, drawn into a 200x60
//! `TestBackend` instead of the terminal. It then goes on like the event loop
//! with no key pressed (take what was read, draw, wait 30 ms) until the reader
//! is done and `App::finish_loading` has run, and reports each step.
//!
//! The times start once the batch folder is found (checking the generated
//! batch is not casetag's work); the time from process start to `main` is
//! printed from /proc (10 ms resolution).
//!
//! `--sync` times the old path instead: `Batch::load` of everything, then
//! `App::new`, then the first frame.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use casetag::app::{App, Options, SystemClock};
use casetag::batch::{Batch, Item, load_items};
use casetag::config::Config;
use casetag::keymap::Keymap;
use casetag::session::default_state_dir;
use casetag::ui::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[allow(dead_code)]
#[path = "gen_batch.rs"]
mod gen_batch;

/// As in src/tui.rs.
const CHUNK: usize = 512;
const WAKE: Duration = Duration::from_millis(30);

/// The target for start-up to the first frame.
const TARGET_MS: f64 = 1500.0;

fn fail(what: impl std::fmt::Display) -> ! {
    eprintln!("startup: {what}");
    std::process::exit(2);
}

/// How long the process had been running when this was called, from
/// /proc (clock ticks of 10 ms), if it can be read.
fn process_age() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    // Field 22 of stat, the 20th after the command name.
    let start_ticks: f64 = after.split_whitespace().nth(19)?.parse().ok()?;
    let uptime: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()?;
    Some(uptime - start_ticks / 100.0)
}

struct Steps {
    t0: Instant,
    last: Instant,
}

impl Steps {
    fn step(&mut self, what: &str) -> f64 {
        let now = Instant::now();
        let total = (now - self.t0).as_secs_f64() * 1000.0;
        println!(
            "{what:<44} {:>9.1} ms   (at {total:>8.1} ms)",
            (now - self.last).as_secs_f64() * 1000.0
        );
        self.last = now;
        total
    }
}

fn main() {
    let t0 = Instant::now();
    let age_at_main = process_age();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sync = args.iter().any(|a| a == "--sync");
    let dir: Option<PathBuf> = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from);
    let dir = match dir {
        Some(d) => d,
        None => {
            let d = std::env::temp_dir().join("casetag-bench-100000");
            if !gen_batch::is_generated(&d, 100_000, gen_batch::DEFAULT_SEED) {
                gen_batch::ensure_batch(100_000);
                println!("(generated the batch first)");
            }
            d
        }
    };
    // The times start here: finding the batch above is not casetag's work.
    let harness = t0.elapsed();
    let t0 = Instant::now();
    let mut steps = Steps { t0, last: t0 };
    if let Some(age) = age_at_main {
        println!(
            "process start to main (from /proc, 10 ms ticks): {:.0} ms; not counted below: \
             finding the batch {:.0} ms",
            age * 1000.0,
            harness.as_secs_f64() * 1000.0
        );
    }
    let first_frame = if sync {
        run_sync(&dir, &mut steps)
    } else {
        run_background(&dir, &mut steps)
    };
    if sync {
        println!(
            "(--sync: the old way, every submission read before the first frame; the target is for the default way)"
        );
        return;
    }
    println!(
        "target: first frame under {TARGET_MS} ms: {}",
        if first_frame < TARGET_MS {
            "met".to_string()
        } else {
            format!("MISSED ({:.1}x)", first_frame / TARGET_MS)
        }
    );
}

fn options(steps: &mut Steps) -> Options {
    let taxonomy = casetag::cli::load_taxonomy(None).unwrap_or_else(|p| fail(p));
    steps.step("taxonomy");
    let config = Config::load().unwrap_or_else(|p| fail(p));
    let keymap = Keymap::load(None).unwrap_or_else(|p| fail(p));
    steps.step("config and keymap");
    Options {
        reviewer: config.reviewer(None),
        taxonomy,
        keymap,
        state_dir: default_state_dir(),
        export_dir: config.export_dir.clone(),
        clock: Box::new(SystemClock),
    }
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(200, 60)).unwrap_or_else(|e| fail(e))
}

fn draw(terminal: &mut Terminal<TestBackend>, app: &App) {
    if let Err(e) = terminal.draw(|f| ui::draw_with(f, app, &Theme::COLOUR)) {
        fail(e);
    }
}

fn run_sync(dir: &Path, steps: &mut Steps) -> f64 {
    let options = options(steps);
    let _ = casetag::record::clean_temp_files(dir);
    steps.step("clean temporary files");
    let batch = Batch::load(dir, &options.taxonomy).unwrap_or_else(|p| fail(p));
    let n = batch.items.len();
    steps.step(&format!("Batch::load ({n} submissions)"));
    let app = App::new(batch, options);
    steps.step("App::new");
    let mut terminal = terminal();
    draw(&mut terminal, &app);
    steps.step("first frame (200x60)")
}

fn run_background(dir: &Path, steps: &mut Steps) -> f64 {
    let options = options(steps);
    let _ = casetag::record::clean_temp_files(dir);
    steps.step("clean temporary files");
    let paths = Batch::list(dir).unwrap_or_else(|p| fail(p));
    let n = paths.len();
    steps.step(&format!("Batch::list ({n} submissions)"));
    let mut app = App::new(Batch::empty(dir), options);
    steps.step("App::new (empty batch)");
    // As tui::run's start_reading.
    app.loading = Some((0, n));
    let (tx, rx) = mpsc::channel::<Vec<Item>>();
    let taxonomy = app.taxonomy.clone();
    let reader = std::thread::spawn(move || {
        for chunk in paths.chunks(CHUNK) {
            let items = load_items(chunk.to_vec(), &taxonomy);
            if tx.send(items).is_err() {
                return;
            }
        }
    });
    steps.step("reader started");
    let mut terminal = terminal();
    draw(&mut terminal, &app);
    let first_frame = steps.step("first frame (200x60)");
    // As the event loop with no key pressed.
    let mut frames = 1usize;
    let mut first_items = false;
    let mut slowest_frame = Duration::ZERO;
    let mut slowest_take = Duration::ZERO;
    let mut finish = Duration::ZERO;
    loop {
        let t = Instant::now();
        let mut done = false;
        loop {
            match rx.try_recv() {
                Ok(items) => app.push_items(items),
                Err(mpsc::TryRecvError::Empty) => break,
                Err(mpsc::TryRecvError::Disconnected) => {
                    let f = Instant::now();
                    app.finish_loading();
                    finish = f.elapsed();
                    done = true;
                    break;
                }
            }
        }
        slowest_take = slowest_take.max(t.elapsed().saturating_sub(finish));
        let t = Instant::now();
        draw(&mut terminal, &app);
        slowest_frame = slowest_frame.max(t.elapsed());
        frames += 1;
        if !first_items && !app.batch.items.is_empty() {
            first_items = true;
            steps.step(&format!(
                "first frame with submissions ({} listed)",
                app.batch.items.len()
            ));
        }
        if done {
            break;
        }
        std::thread::sleep(WAKE);
    }
    let _ = reader.join();
    steps.step(&format!(
        "all {} listed, finish_loading, frame",
        app.batch.items.len()
    ));
    println!(
        "{frames} frames while reading; slowest frame {:.1} ms; slowest App::push_items \
         of what had arrived {:.1} ms; App::finish_loading {:.1} ms (keys wait meanwhile)",
        slowest_frame.as_secs_f64() * 1000.0,
        slowest_take.as_secs_f64() * 1000.0,
        finish.as_secs_f64() * 1000.0
    );
    first_frame
}
