//! An outside program rewriting a record every few milliseconds, ignoring
//! casetag's lock, while casetag reloads and saves the same record: how many
//! of the outside program's writes casetag replaced without having read them.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use casetag::app::App;
use casetag::keymap::Action;

/// What one run saw.
#[derive(Debug, Default, Clone, Copy)]
pub struct RaceReport {
    pub outside_writes: u64,
    pub casetag_saves: u64,
    pub casetag_refusals: u64,
    /// Outside writes casetag replaced without having read them.
    pub lost_by_casetag: u64,
}

/// The outside program's counter in the record (an unknown key casetag keeps).
fn seq_of(path: &Path) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    let t: toml::Table = toml::from_str(&text).ok()?;
    t.get("outside_seq")?
        .as_integer()
        .and_then(|i| u64::try_from(i).ok())
}

/// Runs the race for `duration` on `stem`'s record in the batch `dir`, with
/// `app` (a model open on `dir`, its selection on that submission).
pub fn run(
    app: &mut App,
    dir: &Path,
    stem: &str,
    duration: Duration,
    every: Duration,
) -> RaceReport {
    let record = dir.join(format!("{stem}.review.toml"));
    let submission = app
        .selected_item()
        .map(|i| i.file_name.clone())
        .expect("a selected submission");
    std::fs::write(
        &record,
        format!("submission = \"{submission}\"\noutside_seq = 0\n"),
    )
    .expect("seed the record");
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let stop = Arc::clone(&stop);
        let record = record.clone();
        let tmp = dir.join(".outside-writer-tmp");
        std::thread::spawn(move || {
            let (mut last, mut writes, mut lost) = (0u64, 0u64, 0u64);
            while !stop.load(Ordering::Relaxed) {
                let text = std::fs::read_to_string(&record).unwrap_or_default();
                let seen = seq_of(&record).unwrap_or(0);
                if seen < last {
                    lost += last - seen;
                }
                // The outside program keeps what it found and bumps its counter.
                let mut t: toml::Table = toml::from_str(&text).unwrap_or_default();
                last += 1;
                t.insert("outside_seq".into(), toml::Value::Integer(last as i64));
                std::fs::write(&tmp, toml::to_string(&t).expect("toml")).expect("write");
                std::fs::rename(&tmp, &record).expect("rename");
                writes += 1;
                std::thread::sleep(every);
            }
            let seen = seq_of(&record).unwrap_or(0);
            if seen < last {
                lost += last - seen;
            }
            (writes, lost)
        })
    };
    let mut report = RaceReport::default();
    let start = Instant::now();
    while start.elapsed() < duration {
        app.apply(Action::Reload);
        let decided = app.selected_item().and_then(|i| i.decision()).is_some();
        app.apply(if decided {
            Action::ClearDecision
        } else {
            Action::Decline
        });
        let m = app
            .message
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default();
        if m.contains("not saved") {
            report.casetag_refusals += 1;
        } else if m.starts_with("decline:") || m.starts_with("decision cleared") {
            report.casetag_saves += 1;
        }
    }
    stop.store(true, Ordering::Relaxed);
    let (writes, lost) = writer.join().expect("writer");
    report.outside_writes = writes;
    report.lost_by_casetag = lost;
    report
}
