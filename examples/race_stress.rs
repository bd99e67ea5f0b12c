//! The lost-update stress test at its full length: an outside program
//! rewrites a record every 4 ms, ignoring casetag's lock, while casetag
//! reloads and saves the same record; prints how many of the outside
//! program's writes casetag replaced without having read them (target 0).
//!
//! ```text
//! cargo run --release --example race_stress -- [SECONDS] [FOLDER]
//! ```
//!
//! SECONDS defaults to 15. FOLDER (default: a new temporary folder) is where
//! the sample batch is copied; put it on the disk you want to measure. The
//! same race runs for 5 s in `cargo test` (tests/safety.rs).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed run may panic

#[path = "../tests/it/common/race.rs"]
mod race;

use std::path::Path;
use std::time::Duration;

fn main() {
    let mut args = std::env::args().skip(1);
    let secs: u64 = args.next().map_or(15, |s| s.parse().expect("SECONDS"));
    let parent = match args.next() {
        Some(d) => tempfile::tempdir_in(d).expect("folder"),
        None => tempfile::tempdir().expect("folder"),
    };
    let dir = parent.path();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample");
    for entry in std::fs::read_dir(sample).expect("sample") {
        let entry = entry.expect("entry");
        std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy");
    }
    let taxonomy = casetag::taxonomy::Taxonomy::builtin();
    let batch = casetag::batch::Batch::load(dir, &taxonomy).expect("load");
    let mut app = casetag::app::App::new(
        batch,
        casetag::app::Options {
            taxonomy,
            keymap: casetag::keymap::Keymap::builtin(),
            reviewer: "officer".into(),
            state_dir: None,
            export_dir: None,
            clock: Box::new(casetag::app::SystemClock),
        },
    );
    while app
        .selected_item()
        .is_some_and(|i| i.file_name != "brent-digital-inclusion.txt")
    {
        app.apply(casetag::keymap::Action::Next);
    }
    let r = race::run(
        &mut app,
        dir,
        "brent-digital-inclusion",
        Duration::from_secs(secs),
        Duration::from_millis(4),
    );
    println!(
        "{secs} s: {} outside writes, {} casetag saves, {} refused as changed on disk, {} outside writes lost by casetag",
        r.outside_writes, r.casetag_saves, r.casetag_refusals, r.lost_by_casetag
    );
    if r.lost_by_casetag > 0 {
        std::process::exit(1);
    }
}
