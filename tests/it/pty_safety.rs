//! The real binary in a pseudo-terminal: pasted text is text, never keys;
//! typed text is not thrown away by one key; a signal ends the program at
//! once whatever input is queued.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::pty::Session;

fn dir_arg(dir: &Path) -> &str {
    dir.to_str().expect("utf-8 path")
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// What a terminal sends for a paste when bracketed paste is on.
fn paste(text: &str) -> String {
    format!("\x1b[200~{text}\x1b[201~")
}

/// The names of the record files in `dir`, with their bytes.
fn records(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".review.toml"))
        .map(|n| {
            let b = std::fs::read(dir.join(&n)).expect("read");
            (n, b)
        })
        .collect();
    out.sort();
    out
}

fn start(batch: &Path, home: &Path) -> Session {
    let s = Session::start(&[dir_arg(batch)], 24, 100, &[], home);
    s.wait_for("Submissions 1 of 25");
    s
}

#[test]
fn a_paste_into_the_search_confirms_nothing_and_runs_no_key() {
    let batch = common::copy_sample();
    let home = tempfile::tempdir().expect("home");
    let before = records(batch.path());
    let mut s = start(batch.path(), home.path());
    assert!(
        contains(&s.raw(), b"\x1b[?2004h"),
        "bracketed paste is turned on"
    );
    s.keys("/");
    s.keys(&paste("preston\rx"));
    // the query holds the whole paste on one line, and the search is still open
    s.wait_for("preston x");
    assert_eq!(records(batch.path()), before, "a pasted key acted");
    s.keys("\x1b"); // leave the search
    s.keys(&paste("x")); // the batch view takes no paste
    s.wait_for("paste ignored");
    assert_eq!(
        records(batch.path()),
        before,
        "a paste declined a submission"
    );
    s.keys("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
    assert!(
        contains(&s.raw(), b"\x1b[?2004l"),
        "bracketed paste is turned off on the way out"
    );
}

#[test]
fn a_paste_into_the_note_keeps_lines_and_tabs_and_no_escape_acts() {
    let batch = common::copy_sample();
    let home = tempfile::tempdir().expect("home");
    let mut s = start(batch.path(), home.path());
    s.keys("j");
    s.wait_for("Submissions 2 of 25");
    s.keys("e");
    s.wait_for("Note");
    s.keys(&paste("text\rx\tafter\x1b[31m\x1b"));
    s.keys("\x13"); // ctrl-s saves the note
    s.wait_for("Submissions 2 of 25");
    let text = std::fs::read_to_string(batch.path().join("brent-digital-inclusion.review.toml"))
        .expect("record written");
    let v: toml::Table = toml::from_str(&text).expect("record parses");
    assert_eq!(v["note"].as_str(), Some("text\nx    after[31m"), "{text}");
    assert!(v.get("decision").is_none(), "the pasted x declined: {text}");
    s.keys("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

/// Queues thousands of keys (each pair declines and clears a decision: a
/// save each), then `stop`s the program: it must end within a second, its
/// terminal restored where there still is one, every completed change on
/// disk whole and no temporary file left.
fn ends_at_once_with_thousands_of_keys_queued(
    stop: impl FnOnce(&mut Session),
    how: &str,
    terminal_left: bool,
) {
    let batch = common::copy_sample();
    let home = tempfile::tempdir().expect("home");
    let mut s = start(batch.path(), home.path());
    s.keys("j");
    s.wait_for("Submissions 2 of 25");
    s.keys(&"x-".repeat(3000));
    let stopped = Instant::now();
    stop(&mut s);
    s.wait_exit();
    let took = stopped.elapsed();
    eprintln!("ended {took:?} after {how} with keys queued");
    assert!(took < Duration::from_secs(1), "took {took:?}");
    if terminal_left {
        s.assert_restored();
    }
    let text = std::fs::read_to_string(batch.path().join("brent-digital-inclusion.review.toml"))
        .expect("record written");
    let v: toml::Table = toml::from_str(&text).expect("record parses");
    assert!(
        v.get("decision")
            .is_none_or(|d| d.as_str() == Some("decline")),
        "{text}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(batch.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(".casetag-tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn sigterm_ends_at_once_with_thousands_of_keys_queued() {
    ends_at_once_with_thousands_of_keys_queued(|s| s.signal("TERM"), "SIGTERM", true);
}

#[test]
fn losing_the_terminal_ends_at_once_with_thousands_of_keys_queued() {
    ends_at_once_with_thousands_of_keys_queued(Session::hang_up, "the terminal went away", false);
}
