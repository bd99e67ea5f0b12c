//! The largest inputs casetag reads, parsed: a 1 MB record of 100,000
//! tables and 2 MiB submissions (one line of text, and many tiny lines).
//! README "Reliability" quotes these figures.
//!
//! `cargo bench --bench parse`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed bench may panic

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use casetag::app::{App, Options};
use casetag::batch::Batch;
use casetag::keymap::{Key, KeyCode, KeyModifiers};
use casetag::record::{MAX_RECORD_BYTES, Record};
use casetag::submission::{MAX_SUBMISSION_BYTES, parse_submission};
use casetag::taxonomy::Taxonomy;
use casetag::ui::{self, Theme};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A record of `n` tables after its known keys.
fn record_of_tables(n: usize) -> String {
    let mut s = String::from("submission = \"a.md\"\ndecision = \"decline\"\n");
    for i in 0..n {
        s.push_str(&format!("[t{i}]\n"));
    }
    s
}

fn bench_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(5));

    let record = record_of_tables(100_000);
    assert!(record.len() as u64 <= MAX_RECORD_BYTES);
    group.throughput(Throughput::Bytes(record.len() as u64));
    group.bench_function("record_100000_tables", |b| {
        b.iter(|| {
            let parsed = Record::parse(black_box(&record), Path::new("r.review.toml")).unwrap();
            black_box(parsed.positions.len())
        });
    });

    let taxonomy = Taxonomy::builtin();
    let limit = MAX_SUBMISSION_BYTES as usize;
    let mut one_line = String::from("+++\ntitle = \"One long line\"\n+++\n");
    while one_line.len() + 12 < limit {
        one_line.push_str("solidarity ");
    }
    one_line.push('\n');
    let tiny = "a\n".repeat(limit / 2 - 1);
    for (name, text) in [
        ("submission_2mib_one_line.md", &one_line),
        ("submission_2mib_tiny_lines.txt", &tiny),
    ] {
        assert!(text.len() as u64 <= MAX_SUBMISSION_BYTES);
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let s = parse_submission(Path::new(name), black_box(text.as_bytes()), &taxonomy)
                    .unwrap();
                black_box(s.body.len())
            });
        });
    }
    group.finish();

    // The reader opened on each of the 2 MiB submissions: the document built,
    // wrapped and drawn (the width changes each time, so nothing is reused).
    let mut group = c.benchmark_group("reader");
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(5));
    for (name, text) in [
        ("open_2mib_one_line", &one_line),
        ("open_2mib_tiny_lines", &tiny),
    ] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("big.md"), text).unwrap();
        let batch = Batch::load(dir.path(), &taxonomy).unwrap();
        let mut app = App::new(batch, Options::new(taxonomy.clone(), "bench"));
        app.handle_key(Key::new(KeyCode::Char('z'), KeyModifiers::NONE));
        let mut width = 80;
        group.bench_function(name, |b| {
            b.iter(|| {
                width = if width == 80 { 81 } else { 80 };
                let mut terminal = Terminal::new(TestBackend::new(width, 24)).unwrap();
                let drawn = terminal.draw(|f| ui::draw_with(f, &app, &Theme::COLOUR));
                black_box(drawn.is_ok())
            });
        });
        // a letter typed into the reader's find, and erased: marked and drawn
        // twice
        let key = |c: KeyCode| Key::new(c, KeyModifiers::NONE);
        app.handle_key(key(KeyCode::Char('/')));
        let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
        group.bench_function(format!("find_letter_and_back_{}", &name[5..]), |b| {
            b.iter(|| {
                app.handle_key(key(KeyCode::Char('q')));
                let _ = terminal.draw(|f| ui::draw_with(f, &app, &Theme::COLOUR));
                app.handle_key(key(KeyCode::Backspace));
                let drawn = terminal.draw(|f| ui::draw_with(f, &app, &Theme::COLOUR));
                black_box(drawn.is_ok())
            });
        });
    }
    group.finish();
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
