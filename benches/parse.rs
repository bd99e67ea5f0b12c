//! The largest inputs casetag reads, parsed: a 1 MB record of 100,000
//! tables and 2 MiB submissions (one line of text, and many tiny lines).
//! README "Reliability" quotes these figures.
//!
//! `cargo bench --bench parse`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed bench may panic

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use casetag::record::{MAX_RECORD_BYTES, Record};
use casetag::submission::{MAX_SUBMISSION_BYTES, parse_submission};
use casetag::taxonomy::Taxonomy;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

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
}

criterion_group!(benches, bench_parse);
criterion_main!(benches);
