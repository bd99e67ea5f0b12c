//! The writer of the crash test: saves records in a loop until it is killed.
//!
//! ```text
//! cargo run --example crash_writer -- DIR
//! ```
//!
//! DIR is set up with [`RECORDS`] submissions and their records (version A)
//! when it has none. Then, forever and printing nothing, each record in turn is
//! switched to its other version (A to B, B to A) with
//! [`RecordFile::save`], the way casetag saves every change; a save refused
//! as a conflict reloads the record and goes on.
//!
//! The contents are fixed, so whoever kills the writer knows the only two
//! versions each record may have afterwards: [`verify`] checks exactly that,
//! plus what a crash may leave behind. `examples/crash_test.rs` and
//! `tests/reliability.rs` include this file as a module to share both.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use casetag::fs::TEMP_PREFIX;
use casetag::record::{Decision, Record, RecordFile, SaveError, sha256_hex};
use casetag::taxonomy::Taxonomy;

/// How many records the writer keeps rewriting.
pub const RECORDS: usize = 4;

/// The two versions a record alternates between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    A,
    B,
}

impl Version {
    pub fn other(self) -> Version {
        match self {
            Version::A => Version::B,
            Version::B => Version::A,
        }
    }
}

pub fn submission_name(i: usize) -> String {
    format!("crash-{i}.md")
}

pub fn record_name(i: usize) -> String {
    format!("crash-{i}.review.toml")
}

pub fn submission_text(i: usize) -> String {
    format!(
        "+++\ntitle = \"Crash test submission {i}\"\nlead_member = \"Testshire\"\nyear = 2026\n+++\n\
         The record beside this file is rewritten by a writer that is killed at random moments.\n"
    )
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// Version A or B of record `i`: both valid. B holds a note of several pages,
/// so a torn write could not pass for either version.
pub fn version(i: usize, which: Version) -> Record {
    let mut r = Record::new(&submission_name(i));
    r.submission_sha256 = Some(sha256_hex(submission_text(i).as_bytes()));
    match which {
        Version::A => {
            r.set_decision(Some(Decision::Approve));
            r.tags.primary_category = Some("housing".into());
            r.tags.categories = strings(&["community", "poverty"]);
            r.tags.principles = strings(&["co-production", "innovation"]);
            r.tags.values = strings(&["solidarity", "democracy", "caring-for-others"]);
            r.note = Some(format!("Version A of record {i}."));
            r.reviewer = Some("writer-a".into());
            r.reviewed_at = Some("2026-11-22T10:15:00Z".into());
            r.seconds_spent = Some(60 + i as u64);
        }
        Version::B => {
            r.set_decision(Some(Decision::NeedsInfo));
            r.tags.primary_category = Some("jobs".into());
            r.tags.principles = strings(&["learning"]);
            r.tags.values = strings(&["equity"]);
            let mut note = String::new();
            for line in 0..120 {
                note.push_str(&format!(
                    "Version B of record {i}, line {line}: please send the figures, \"quoted\" and all.\n"
                ));
            }
            r.note = Some(note);
            r.reviewer = Some("writer-b".into());
            r.reviewed_at = Some("2026-11-23T16:45:30Z".into());
            r.seconds_spent = Some(900 + i as u64);
        }
    }
    r
}

/// The exact bytes casetag writes for version `which` of record `i`.
pub fn version_text(i: usize, which: Version) -> String {
    version(i, which).to_toml()
}

/// Writes the submissions, and version A of each record that does not exist.
pub fn setup(dir: &Path) -> std::io::Result<()> {
    for i in 0..RECORDS {
        std::fs::write(dir.join(submission_name(i)), submission_text(i))?;
        let record = dir.join(record_name(i));
        if !record.exists() {
            std::fs::write(record, version_text(i, Version::A))?;
        }
    }
    Ok(())
}

/// Which version a record's bytes are, if either.
pub fn which_version(i: usize, bytes: &[u8]) -> Option<Version> {
    [Version::A, Version::B]
        .into_iter()
        .find(|&v| version_text(i, v).as_bytes() == bytes)
}

/// Saves records in a loop and never returns. A folder without the
/// submissions is set up first (exit 2 if that fails); a folder set up before
/// is not written to except by saves.
pub fn run(dir: &Path) -> ! {
    let ready = (0..RECORDS).all(|i| dir.join(submission_name(i)).is_file());
    if !ready && setup(dir).is_err() {
        std::process::exit(2);
    }
    let mut files: Vec<RecordFile> = (0..RECORDS)
        .map(|i| {
            let path = dir.join(record_name(i));
            match RecordFile::load(&path) {
                Ok(Some(rf)) => rf,
                _ => RecordFile::new(path, &submission_name(i)),
            }
        })
        .collect();
    loop {
        for (i, rf) in files.iter_mut().enumerate() {
            let now = if version(i, Version::A) == rf.record {
                Version::A
            } else {
                Version::B
            };
            rf.record = version(i, now.other());
            match rf.save() {
                Ok(()) => {}
                Err(SaveError::Conflict { .. }) => {
                    let _ = rf.reload();
                }
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(1)),
            }
        }
    }
}

/// The bytes of every record (empty where unreadable).
pub fn snapshot(dir: &Path) -> Vec<Vec<u8>> {
    (0..RECORDS)
        .map(|i| std::fs::read(dir.join(record_name(i))).unwrap_or_default())
        .collect()
}

/// Waits until a record differs from `before` (the writer has completed a
/// save) or `limit` has passed; returns whether one did.
pub fn wait_for_a_save(dir: &Path, before: &[Vec<u8>], limit: std::time::Duration) -> bool {
    let start = std::time::Instant::now();
    while start.elapsed() < limit {
        if snapshot(dir) != before {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_micros(500));
    }
    false
}

/// What [`verify`] found in the folder after a kill.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Records that were version A, version B.
    pub a: usize,
    pub b: usize,
    /// Temporary files left by the killed writer (not yet removed).
    pub temp_files: Vec<PathBuf>,
    /// Everything wrong, one line each.
    pub failures: Vec<String>,
}

/// Checks the folder after the writer was killed: every record parses and is
/// exactly version A or B; besides the submissions and records there are only
/// casetag's temporary files; casetag's own reading of the folder (what
/// `casetag check` prints) finds every submission and no problem.
pub fn verify(dir: &Path, taxonomy: &Taxonomy) -> Verdict {
    let mut v = Verdict::default();
    let expected: BTreeSet<String> = (0..RECORDS)
        .flat_map(|i| [submission_name(i), record_name(i)])
        .collect();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            v.failures
                .push(format!("cannot list {}: {e}", dir.display()));
            return v;
        }
    };
    let mut seen = BTreeSet::new();
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if expected.contains(&name) {
            seen.insert(name);
        } else if name.starts_with(TEMP_PREFIX) {
            v.temp_files.push(entry.path());
        } else {
            v.failures.push(format!("unexpected file {name}"));
        }
    }
    for name in expected.difference(&seen) {
        v.failures.push(format!("{name} is missing"));
    }
    for i in 0..RECORDS {
        let path = dir.join(record_name(i));
        let Ok(bytes) = std::fs::read(&path) else {
            continue; // reported as missing
        };
        match std::str::from_utf8(&bytes).map(|t| Record::parse(t, &path)) {
            Ok(Ok(_)) => {}
            Ok(Err(p)) => v.failures.push(format!("does not parse: {p}")),
            Err(_) => v.failures.push(format!("{}: not UTF-8", path.display())),
        }
        match which_version(i, &bytes) {
            Some(Version::A) => v.a += 1,
            Some(Version::B) => v.b += 1,
            None => v.failures.push(format!(
                "{}: neither version A nor B ({} bytes)",
                path.display(),
                bytes.len()
            )),
        }
        if std::fs::read(dir.join(submission_name(i))).ok() != Some(submission_text(i).into_bytes())
        {
            v.failures
                .push(format!("{} was modified", submission_name(i)));
        }
    }
    // What casetag itself makes of the folder, temporary files and all.
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let rc = casetag::cli::check(dir, taxonomy, false, &mut out, &mut err);
    if rc != casetag::cli::EXIT_OK || !out.is_empty() {
        v.failures.push(format!(
            "casetag check exits {rc}: {}{}",
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(&err)
        ));
    }
    match casetag::batch::Batch::load(dir, taxonomy) {
        Ok(batch) => {
            let names: Vec<&str> = batch.items.iter().map(|i| i.file_name.as_str()).collect();
            let want: Vec<String> = (0..RECORDS).map(submission_name).collect();
            if names != want {
                v.failures.push(format!("casetag lists {names:?}"));
            }
        }
        Err(p) => v.failures.push(format!("casetag cannot load: {p}")),
    }
    v
}

fn main() {
    let Some(dir) = std::env::args_os().nth(1) else {
        eprintln!("usage: crash_writer DIR");
        std::process::exit(2);
    };
    run(Path::new(&dir));
}

/// A tiny xorshift64 generator: enough to spread the kills, without a
/// random-number crate.
#[allow(dead_code)]
pub struct XorShift(pub u64);

#[allow(dead_code)]
impl XorShift {
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}
