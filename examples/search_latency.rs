//! The latency of search keystrokes at scale, as percentiles (criterion
//! reports means; the target is the 99th percentile).
//!
//! ```text
//! cargo run --release --example search_latency -- [DIR] [--reps R] [--trace]
//! ```
//!
//! `--trace` prints every keystroke of the first round: the query so far, the
//! wall and CPU time, and how many submissions it lists.
//!
//! Without DIR, the 100,000-submission batch of `examples/gen_batch.rs` in
//! `temp_dir()/casetag-bench-100000` (generated if missing). Opens the search
//! with `/`, types realistic queries letter by letter, times each keystroke
//! (`App::handle_key`) and the frame drawn after it (200x60 `TestBackend`),
//! leaves with `esc`, R times over. After each keystroke and frame, the
//! looser matches are looked for in slices as the terminal program does
//! between keys (timed apart: a key that comes meanwhile is not delayed by
//! more than a slice). Prints p50/p90/p99/max in milliseconds,
//! of wall time (the target) and of the thread's CPU time, which hardly
//! changes when other processes compete for the cores.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use std::path::PathBuf;
use std::time::{Duration, Instant};

use casetag::app::{App, Clock, Options};
use casetag::batch::Batch;
use casetag::keymap::{Key, KeyCode, KeyModifiers};
use casetag::taxonomy::Taxonomy;
use casetag::ui::{self, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[allow(dead_code)]
#[path = "gen_batch.rs"]
mod gen_batch;

/// What an officer looks for: a council, a topic, a phrase of a title.
const QUERIES: &[&str] = &[
    "oldham",
    "food hubs",
    "credit union",
    "sunderland care",
    "energy co-op",
    "youth council",
];

/// The target for the 99th percentile of a keystroke.
const TARGET_MS: f64 = 16.0;

struct FixedClock;

impl Clock for FixedClock {
    fn now(&mut self) -> u64 {
        1_795_342_500
    }
}

/// The CPU time this thread has used.
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes one timespec through the pointer,
    // which points to a live, writable timespec.
    #[allow(unsafe_code)]
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if rc != 0 {
        return Duration::ZERO;
    }
    Duration::new(
        u64::try_from(ts.tv_sec).unwrap_or(0),
        u32::try_from(ts.tv_nsec).unwrap_or(0),
    )
}

fn key(code: KeyCode) -> Key {
    Key::new(code, KeyModifiers::NONE)
}

/// Nearest-rank percentile of sorted samples, in milliseconds.
fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    let i = rank.clamp(1, sorted.len()) - 1;
    sorted[i].as_secs_f64() * 1000.0
}

fn report(what: &str, samples: &mut [Duration]) -> f64 {
    samples.sort_unstable();
    let p99 = percentile(samples, 99.0);
    println!(
        "{what:<28} n={:<5} p50 {:>8.3} ms   p90 {:>8.3} ms   p99 {:>8.3} ms   max {:>8.3} ms",
        samples.len(),
        percentile(samples, 50.0),
        percentile(samples, 90.0),
        p99,
        percentile(samples, 100.0),
    );
    p99
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut dir: Option<PathBuf> = None;
    let mut reps = 5usize;
    let mut trace = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--reps" => match it.next().and_then(|s| s.parse().ok()) {
                Some(r) => reps = r,
                None => {
                    eprintln!("search_latency: --reps needs a number");
                    std::process::exit(2);
                }
            },
            "--trace" => trace = true,
            _ => dir = Some(PathBuf::from(a)),
        }
    }
    let dir = dir.unwrap_or_else(|| gen_batch::ensure_batch(100_000));
    let taxonomy = Taxonomy::builtin();
    let started = Instant::now();
    let batch = match Batch::load(&dir, &taxonomy) {
        Ok(b) => b,
        Err(p) => {
            eprintln!("search_latency: {p}");
            std::process::exit(2);
        }
    };
    let n = batch.items.len();
    let clock = Box::new(FixedClock);
    let mut app = App::new(
        batch,
        Options {
            clock,
            ..Options::new(taxonomy, "bench")
        },
    );
    println!(
        "{n} submissions in {} loaded in {:.2} s; {reps} rounds of {} queries",
        dir.display(),
        started.elapsed().as_secs_f64(),
        QUERIES.len()
    );
    let mut terminal = match Terminal::new(TestBackend::new(200, 60)) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("search_latency: {e}");
            std::process::exit(2);
        }
    };
    let mut draw = |app: &App| {
        let t = Instant::now();
        if let Err(e) = terminal.draw(|f| ui::draw_with(f, app, &Theme::COLOUR)) {
            eprintln!("search_latency: {e}");
            std::process::exit(2);
        }
        t.elapsed()
    };
    let mut first = Vec::new();
    let mut next = Vec::new();
    let mut with_frame = Vec::new();
    let mut cpu = Vec::new();
    let mut frames = Vec::new();
    let mut slices = Vec::new();
    let mut between = Vec::new();
    let mut matches = 0usize;
    for rep in 0..reps {
        for q in QUERIES {
            app.handle_key(key(KeyCode::Char('/')));
            draw(&app);
            for (k, c) in q.chars().enumerate() {
                let c0 = thread_cpu();
                let t = Instant::now();
                app.handle_key(key(KeyCode::Char(c)));
                let keystroke = t.elapsed();
                let keystroke_cpu = thread_cpu().saturating_sub(c0);
                cpu.push(keystroke_cpu);
                let frame = draw(&app);
                // The looser matches, looked for between keys as the terminal
                // program does (src/tui.rs), in slices of 4096 submissions.
                let t = Instant::now();
                while app.search_busy() {
                    let s = Instant::now();
                    app.search_work(4096);
                    slices.push(s.elapsed());
                }
                between.push(t.elapsed());
                if k == 0 {
                    first.push(keystroke);
                } else {
                    next.push(keystroke);
                }
                with_frame.push(keystroke + frame);
                frames.push(frame);
                if trace && rep == 0 {
                    println!(
                        "  {:<18} {:>8.3} ms  (CPU {:>7.3} ms) {:>6} listed",
                        format!("{:?}", app.search.text()),
                        keystroke.as_secs_f64() * 1000.0,
                        keystroke_cpu.as_secs_f64() * 1000.0,
                        app.view.len()
                    );
                }
            }
            matches += app.view.len();
            app.handle_key(key(KeyCode::Esc));
            draw(&app);
        }
    }
    let mut all: Vec<Duration> = first.iter().chain(next.iter()).copied().collect();
    println!(
        "({} matches in all for the full queries, {:.0} per query)",
        matches,
        matches as f64 / (reps * QUERIES.len()).max(1) as f64
    );
    let p99 = report("keystroke (all)", &mut all);
    report("  first letter", &mut first);
    report("  later letters", &mut next);
    report("keystroke + frame", &mut with_frame);
    report("keystroke, CPU time", &mut cpu);
    report("frame alone (200x60)", &mut frames);
    report("looser matches, per key", &mut between);
    report("  one slice of them", &mut slices);
    println!(
        "target: keystroke p99 under {TARGET_MS} ms: {}",
        if p99 < TARGET_MS {
            "met".to_string()
        } else {
            format!("MISSED ({:.1}x)", p99 / TARGET_MS)
        }
    );
}
