//! What the officer waits for while tagging:
//!
//! - `picker_keystroke`: a letter typed into the categories picker (12
//!   entries), then backspace;
//! - `save_record/changed`: saving a changed record (atomic write: temporary
//!   file, sync, rename, sync of the folder).
//!
//! `cargo bench --bench edit`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use std::hint::black_box;
use std::time::Duration;

use casetag::keymap::Action;
use casetag::picker::{Picker, Selection};
use casetag::record::RecordFile;
use casetag::taxonomy::{Kind, Taxonomy};
use criterion::{Criterion, criterion_group, criterion_main};

fn bench_picker(c: &mut Criterion) {
    let taxonomy = Taxonomy::builtin();
    let mut picker = Picker::for_kind(&taxonomy, Kind::Category, Selection::default(), &[]);
    c.bench_function("picker_keystroke", |b| {
        b.iter(|| {
            black_box(picker.handle(Action::Type('h')));
            black_box(picker.handle(Action::Backspace))
        });
    });
}

fn bench_save(c: &mut Criterion) {
    let tmp = match tempfile::tempdir() {
        Ok(t) => t,
        Err(e) => panic!("temp folder: {e}"),
    };
    let path = tmp.path().join("oldham-food-hubs.review.toml");
    let mut rf = RecordFile::new(path, "oldham-food-hubs.md");
    rf.record.tags.primary_category = Some("community".to_string());
    rf.record.tags.principles = vec!["co-production".to_string()];
    rf.record.reviewer = Some("bench".to_string());
    if let Err(e) = rf.save() {
        panic!("first save: {e}");
    }
    let mut flip = false;
    let mut group = c.benchmark_group("save_record");
    // Each save syncs twice: fewer samples than the default 100.
    group.sample_size(50);
    group.measurement_time(Duration::from_secs(3));
    group.bench_function("changed", |b| {
        b.iter(|| {
            flip = !flip;
            rf.record.note = Some(
                if flip {
                    "Ask for a photo."
                } else {
                    "Ask for figures."
                }
                .to_string(),
            );
            if let Err(e) = rf.save() {
                panic!("save: {e}");
            }
        });
    });
    group.finish();
}

criterion_group!(benches, bench_picker, bench_save);
criterion_main!(benches);
