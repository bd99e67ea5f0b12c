//! Loading and validating a batch: `Batch::load` (every submission parsed,
//! every record read) and every item's status (every record validated), at
//! 10,000 and 100,000 submissions. The batches are generated once into
//! `temp_dir()/casetag-bench-N` by `examples/gen_batch.rs` and reused.
//!
//! `cargo bench --bench load`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use casetag::batch::Batch;
use casetag::taxonomy::Taxonomy;
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};

#[allow(dead_code)]
#[path = "../examples/gen_batch.rs"]
mod gen_batch;

/// Loads the batch and computes every item's status; returns how many are
/// decided so that nothing is optimised away.
fn load_and_validate(dir: &Path, taxonomy: &Taxonomy) -> usize {
    let batch = match Batch::load(dir, taxonomy) {
        Ok(b) => b,
        Err(p) => panic!("cannot load {}: {p}", dir.display()),
    };
    batch
        .items
        .iter()
        .filter(|i| i.status(taxonomy).is_decided())
        .count()
}

fn bench_load(c: &mut Criterion) {
    let taxonomy = Taxonomy::builtin();
    let mut group = c.benchmark_group("load_and_validate");
    // One load of 100,000 takes seconds: ten single-iteration samples.
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(100));
    for n in [10_000usize, 100_000] {
        let dir = gen_batch::ensure_batch(n);
        group.throughput(Throughput::Elements(n as u64));
        group.measurement_time(Duration::from_secs(if n > 10_000 { 20 } else { 5 }));
        group.bench_with_input(BenchmarkId::from_parameter(n), &dir, |b, dir| {
            b.iter(|| black_box(load_and_validate(dir, &taxonomy)));
        });
    }
    group.finish();
}

criterion_group!(benches, bench_load);
criterion_main!(benches);
