//! What the officer waits for in the batch view, at 100,000 submissions:
//!
//! - `search_keystroke/first`: the first letter typed into an empty search;
//! - `search_keystroke/second`: the second letter ("o" + "l");
//! - `search_keystroke/next`: one more letter of a longer search ("oldh" + "a");
//! - `frame/200x60`: drawing the batch view into a 200x60 `TestBackend`.
//!
//! `cargo bench --bench view`. The batch is generated once into
//! `temp_dir()/casetag-bench-100000` by `examples/gen_batch.rs` and reused.
//! Criterion reports means; the 99th percentile of a search keystroke is
//! measured by `examples/search_latency.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use std::hint::black_box;
use std::time::{Duration, Instant};

use casetag::app::{App, Clock, Options};
use casetag::batch::Batch;
use casetag::keymap::{Key, KeyCode, KeyModifiers};
use casetag::taxonomy::Taxonomy;
use casetag::ui::{self, Theme};
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

#[allow(dead_code)]
#[path = "../examples/gen_batch.rs"]
mod gen_batch;

/// The size of the batch the interactive benchmarks run on.
const N: usize = 100_000;

struct FixedClock;

impl Clock for FixedClock {
    fn now(&mut self) -> u64 {
        1_795_342_500
    }
}

fn app_for(n: usize) -> App {
    let taxonomy = Taxonomy::builtin();
    let dir = gen_batch::ensure_batch(n);
    let batch = match Batch::load(&dir, &taxonomy) {
        Ok(b) => b,
        Err(p) => panic!("cannot load {}: {p}", dir.display()),
    };
    let clock = Box::new(FixedClock);
    App::new(
        batch,
        Options {
            clock,
            ..Options::new(taxonomy, "bench")
        },
    )
}

fn key(code: KeyCode) -> Key {
    Key::new(code, KeyModifiers::NONE)
}

fn type_str(app: &mut App, s: &str) {
    for c in s.chars() {
        app.handle_key(key(KeyCode::Char(c)));
    }
}

/// Times `timed` alone, `iters` times, pressing the `untimed` keys after
/// each to put the model back as it was.
fn keystrokes(app: &mut App, iters: u64, timed: Key, untimed: &[Key]) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let t = Instant::now();
        app.handle_key(timed);
        total += t.elapsed();
        black_box(app.view.len());
        for &k in untimed {
            app.handle_key(k);
        }
    }
    total
}

fn bench_app(c: &mut Criterion) {
    let mut app = app_for(N);
    let mut group = c.benchmark_group("search_keystroke");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    let backspace = key(KeyCode::Backspace);
    app.handle_key(key(KeyCode::Char('/')));
    // "" + "o". The search keeps its last matches to narrow a longer query,
    // so a "~" typed and erased in between makes every "o" a first letter.
    group.bench_function("first", |b| {
        b.iter_custom(|iters| {
            keystrokes(
                &mut app,
                iters,
                key(KeyCode::Char('o')),
                &[backspace, key(KeyCode::Char('~')), backspace],
            )
        });
    });
    // "o" + "l": the second letter narrows the first one's matches (erasing
    // it searches for "o" afresh).
    type_str(&mut app, "o");
    group.bench_function("second", |b| {
        b.iter_custom(|iters| keystrokes(&mut app, iters, key(KeyCode::Char('l')), &[backspace]));
    });
    // "oldh" + "a".
    type_str(&mut app, "ldh");
    group.bench_function("next", |b| {
        b.iter_custom(|iters| keystrokes(&mut app, iters, key(KeyCode::Char('a')), &[backspace]));
    });
    group.finish();
    // Leave the search: the whole list again.
    app.handle_key(key(KeyCode::Esc));

    let mut group = c.benchmark_group("frame");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(20);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
    let mut terminal = match Terminal::new(TestBackend::new(200, 60)) {
        Ok(t) => t,
        Err(e) => panic!("test backend: {e}"),
    };
    group.bench_function("200x60", |b| {
        b.iter(|| {
            let drawn = terminal.draw(|f| ui::draw_with(f, &app, &Theme::COLOUR));
            black_box(drawn.is_ok())
        });
    });
    group.finish();
}

criterion_group!(benches, bench_app);
criterion_main!(benches);
