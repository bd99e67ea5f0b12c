//! Reliability: a writer killed at random moments, two officers on one batch,
//! hostile input to every reader, a full or read-only disk during a save,
//! SIGHUP and a terminal that goes away.
//!
//! The crash test runs the writer of `examples/crash_writer.rs` (included
//! below) in a child process: this test binary run again with
//! [`WRITER_ENV`] set, so nothing but the test itself needs building.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

#[path = "../../examples/crash_writer.rs"]
mod crash_writer;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use casetag::app::App;
use casetag::batch::Status;
use casetag::keymap::{Action, Keymap};
use casetag::problem::Problem;
use casetag::record::{Record, RecordFile, TEMP_PREFIX, clean_temp_files, validate};
use casetag::submission::parse_submission;
use casetag::taxonomy::Taxonomy;
use common::pty::Session;
use common::{keys, message, record_on_disk};
use crash_writer::{RECORDS, Version};
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn dir_arg(dir: &Path) -> &str {
    dir.to_str().expect("utf-8 path")
}

fn temp_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(TEMP_PREFIX))
        .collect();
    v.sort();
    v
}

fn open_app(dir: &Path) -> App {
    common::open_app(dir, None)
}

// ---------------------------------------------------------------------------
// 1. A writer killed at random moments
// ---------------------------------------------------------------------------

/// Set to a folder, it turns [`WRITER_TEST`] into the crash writer.
const WRITER_ENV: &str = "CASETAG_RELIABILITY_CRASH_WRITER_DIR";
const WRITER_TEST: &str = "reliability::the_crash_writers_two_versions_are_distinct_valid_records";
const KILLS: usize = 50;

#[test]
fn the_crash_writers_two_versions_are_distinct_valid_records() {
    if let Some(dir) = std::env::var_os(WRITER_ENV) {
        // The child process of the crash test: save until killed.
        crash_writer::run(Path::new(&dir));
    }
    let taxonomy = Taxonomy::builtin();
    for i in 0..RECORDS {
        let a = crash_writer::version_text(i, Version::A);
        let b = crash_writer::version_text(i, Version::B);
        assert_ne!(a, b);
        // B spans several pages, so a torn write cannot look like either.
        assert!(b.len() > 2 * 4096, "{}", b.len());
        for text in [&a, &b] {
            let parsed = Record::parse(text, Path::new("r.review.toml")).expect("parses");
            assert!(parsed.problems.is_empty(), "{:?}", parsed.problems);
            assert_eq!(validate(&parsed.record, &taxonomy), []);
            assert_eq!(&parsed.record.to_toml(), text, "written as casetag writes");
        }
    }
}

#[test]
fn a_writer_killed_at_random_leaves_each_record_old_or_new_and_nothing_casetag_mistakes() {
    let exe = std::env::current_exe().expect("this test binary");
    let dir = tempfile::tempdir().expect("dir");
    crash_writer::setup(dir.path()).expect("setup");
    let taxonomy = Taxonomy::builtin();
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
        | 1;
    let mut rng = crash_writer::XorShift(seed);
    let (mut checked, mut saved_first, mut leftovers) = (0, 0, 0);
    for round in 1..=KILLS {
        let before = crash_writer::snapshot(dir.path());
        let mut child = Command::new(&exe)
            .args([WRITER_TEST, "--exact", "--test-threads=1", "--quiet"])
            .env(WRITER_ENV, dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the writer");
        // Odd kills count from the start; even ones from the writer's first
        // completed save, so that some land in every phase of a save.
        if round % 2 == 0
            && crash_writer::wait_for_a_save(dir.path(), &before, Duration::from_secs(5))
        {
            saved_first += 1;
        }
        std::thread::sleep(Duration::from_millis(rng.next_u64() % 31));
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the writer stopped by itself (seed {seed}, kill {round})"
        );
        child.kill().expect("SIGKILL");
        child.wait().expect("wait");

        let v = crash_writer::verify(dir.path(), &taxonomy);
        assert!(
            v.failures.is_empty(),
            "seed {seed}, kill {round}: {:#?}",
            v.failures
        );
        checked += v.a + v.b;
        // What `casetag DIR` does at its next start.
        leftovers += v.temp_files.len();
        assert_eq!(
            clean_temp_files(dir.path()).expect("clean"),
            v.temp_files.len()
        );
        assert_eq!(temp_files(dir.path()), Vec::<String>::new());
    }
    assert_eq!(checked, KILLS * RECORDS);
    // The writer really was saving (not a timed assertion: one save in 5 s
    // in any of 25 rounds is all it takes).
    assert!(saved_first > 0, "the writer never completed a save");
    println!(
        "crash test (seed {seed}): {KILLS} kills survived ({saved_first} after a completed save), \
         {checked} records checked, {leftovers} leftover temporary files found and cleaned"
    );
}

/// A temporary file as a crash leaves it: half of a record.
fn leave_a_torn_temporary_file(dir: &Path, suffix: &str) -> PathBuf {
    let text = crash_writer::version_text(0, Version::B);
    let path = dir.join(format!("{TEMP_PREFIX}{suffix}"));
    std::fs::write(&path, &text.as_bytes()[..text.len() / 2]).expect("write");
    path
}

#[test]
fn leftover_temporary_files_are_no_problem_for_check_and_the_next_start_removes_them() {
    let dir = tempfile::tempdir().expect("dir");
    let home = tempfile::tempdir().expect("home");
    crash_writer::setup(dir.path()).expect("setup");
    let torn = [
        leave_a_torn_temporary_file(dir.path(), "aB3xYz"),
        leave_a_torn_temporary_file(dir.path(), "Q9wErT"),
    ];
    let out = common::run_casetag(&["check", dir_arg(dir.path())], home.path());
    assert_eq!(out.status.code(), Some(0), "{}", common::stderr(&out));
    assert_eq!(common::stdout(&out), "", "check reports no problem");
    assert!(
        common::stderr(&out).contains(&format!("{RECORDS} submissions checked, no problems")),
        "{}",
        common::stderr(&out)
    );
    // The leftovers are still there: check only reads.
    assert!(torn.iter().all(|p| p.exists()));

    let mut s = Session::start(&[dir_arg(dir.path())], 24, 80, &[], home.path());
    s.wait_for("decided");
    s.keys("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
    assert_eq!(temp_files(dir.path()), Vec::<String>::new());
    let v = crash_writer::verify(dir.path(), &Taxonomy::builtin());
    assert!(v.failures.is_empty(), "{:?}", v.failures);
    assert_eq!(v.a, RECORDS, "the records are untouched");
}

// ---------------------------------------------------------------------------
// 2. Two officers in two terminals on one batch
// ---------------------------------------------------------------------------

#[test]
fn two_officers_on_one_batch_never_overwrite_each_other() {
    let batch = common::copy_sample();
    let (home1, home2) = (
        tempfile::tempdir().expect("home"),
        tempfile::tempdir().expect("home"),
    );
    let dir = dir_arg(batch.path());
    // Wide enough for the whole message, path and all, on one line.
    let mut first = Session::start(&["--reviewer", "first", dir], 24, 220, &[], home1.path());
    let mut second = Session::start(&["--reviewer", "second", dir], 24, 220, &[], home2.path());
    // The whole list is read (it is read in the background) before keys.
    first.wait_for("Submissions 1 of 25");
    second.wait_for("Submissions 1 of 25");
    for s in [&mut first, &mut second] {
        s.keys("j");
        s.wait_for("Submissions 2 of 25");
    }
    first.keys("x");
    first.wait_for("decline: Digital inclusion");
    let theirs = std::fs::read(batch.path().join("brent-digital-inclusion.review.toml"))
        .expect("the first officer's record");

    second.keys("e");
    second.keys("from the second officer");
    second.keys("\x13"); // ctrl-s
    second.wait_for("changed on disk");
    let screen = second.screen();
    assert!(screen.contains("not saved"), "{screen}");
    assert!(
        screen.contains("reload to see the other change (R)"),
        "offers to reload:\n{screen}"
    );
    assert_eq!(
        std::fs::read(batch.path().join("brent-digital-inclusion.review.toml")).expect("read"),
        theirs,
        "the first officer's change was overwritten"
    );

    second.keys("R");
    second.wait_for("reloaded Digital inclusion");
    // The second now sees the first's decision, in the list and the details.
    let screen = second.screen();
    assert!(
        screen.contains("▶ ✗ Digital inclusion"),
        "declined mark expected:\n{screen}"
    );
    assert!(screen.contains("✗ declined"), "{screen}");

    for s in [&mut first, &mut second] {
        s.keys("q");
        assert_eq!(s.wait_exit(), 0);
        s.assert_restored();
    }
    let r = record_on_disk(batch.path(), "brent-digital-inclusion");
    assert_eq!(r.decision.as_deref(), Some("decline"));
    assert_eq!(r.reviewer.as_deref(), Some("first"));
    assert_eq!(r.note, None, "{r:?}");
}

// ---------------------------------------------------------------------------
// 3. Hostile input to the readers
// ---------------------------------------------------------------------------

/// Line breaks as the readers count them (`\n`, `\r\n`, a lone `\r`).
fn line_count(bytes: &[u8]) -> usize {
    let mut n = 1;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')) {
            n += 1;
        }
        i += 1;
    }
    n
}

/// A problem in a file of `bytes` has a line and column within the file.
fn positioned(p: &Problem, path: &Path, bytes: &[u8]) -> Result<(), TestCaseError> {
    prop_assert_eq!(&p.path, path, "{}", p);
    let (Some(line), Some(col)) = (p.line, p.col) else {
        return Err(TestCaseError::fail(format!("no position: {p}")));
    };
    prop_assert!(
        line >= 1 && line <= line_count(bytes),
        "line {} of {}",
        line,
        p
    );
    prop_assert!(
        col >= 1 && col <= bytes.len() + 1,
        "column {} of {}",
        col,
        p
    );
    Ok(())
}

/// Pieces of TOML that trouble a parser.
fn toml_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just(" = ".to_owned()),
        Just("\"".to_owned()),
        Just("'''".to_owned()),
        Just("\"\"\"".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just("[[x]]\n".to_owned()),
        Just("{ a = 1 }".to_owned()),
        Just("#".to_owned()),
        Just("\\u{0}".to_owned()),
        Just("\u{0}\u{1b}\u{7f}\u{202e}".to_owned()),
        Just("\u{feff}".to_owned()),
        Just("é🦀".to_owned()),
        Just("decision = \"approve\"\n".to_owned()),
        Just("values = [\"equity\", 1, [\"x\"]]\n".to_owned()),
        Just("seconds_spent = -3\n".to_owned()),
        Just("note = 1979-05-27T07:32:00Z\n".to_owned()),
        Just("categories = \"housing\"\n".to_owned()),
        Just("submission = \"a.md\"\nsubmission = \"b.md\"\n".to_owned()),
        Just("[batch]\n".to_owned()),
        Just("next = [\"j\", \"down\"]\n".to_owned()),
        Just("quit = \"ctrl-alt-shift-q\"\n".to_owned()),
        Just("toggle = \"space\"\n".to_owned()),
        Just("\"?\" = \"help\"\n".to_owned()),
        "[a-z_-]{1,12}",
        "[0-9.+-]{1,6}",
        any::<String>().prop_map(|s| s.chars().take(12).collect()),
    ]
}

fn tomlish() -> impl Strategy<Value = String> {
    proptest::collection::vec(toml_piece(), 0..30).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        // Integration tests have no source folder for proptest to keep
        // regressions in; a failure prints its minimal input.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// The submission reader: an error always says where (the size limit, a
    /// whole-file problem, cannot be reached by these inputs).
    #[test]
    fn submission_errors_and_warnings_carry_positions_inside_the_file(
        bytes in prop_oneof![
            proptest::collection::vec(any::<u8>(), 0..600),
            tomlish().prop_map(|t| format!("+++\n{t}\n+++\nbody").into_bytes()),
            (tomlish(), proptest::collection::vec(any::<u8>(), 0..8))
                .prop_map(|(t, b)| [t.as_bytes(), &b].concat()),
        ]
    ) {
        let taxonomy = Taxonomy::builtin();
        for name in ["s.md", "s.txt"] {
            let path = Path::new(name);
            match parse_submission(path, &bytes, &taxonomy) {
                Ok(s) => {
                    for w in &s.warnings {
                        positioned(w, path, &bytes)?;
                    }
                }
                Err(p) => positioned(&p, path, &bytes)?,
            }
        }
    }

    /// The record reader: a file it refuses says where; wrong types are
    /// positioned at their key; whatever it reads it writes back readably.
    #[test]
    fn record_errors_carry_positions_and_what_is_read_is_written_back(text in prop_oneof![
        tomlish(),
        any::<String>(),
    ]) {
        let path = Path::new("r.review.toml");
        match Record::parse(&text, path) {
            Err(p) => positioned(&p, path, text.as_bytes())?,
            Ok(parsed) => {
                for p in &parsed.problems {
                    positioned(p, path, text.as_bytes())?;
                }
                let once = parsed.record.to_toml();
                match Record::parse(&once, path) {
                    Ok(again) => prop_assert_eq!(again.record.to_toml(), once),
                    Err(p) => return Err(TestCaseError::fail(format!("unreadable rewrite: {p}\n{once}"))),
                }
            }
        }
    }

    /// The record reader on files of any bytes (bad UTF-8 included).
    #[test]
    fn record_files_of_any_bytes_load_or_say_where(bytes in prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..400),
        (tomlish(), proptest::collection::vec(any::<u8>(), 0..4))
            .prop_map(|(t, b)| [t.as_bytes(), &b].concat()),
    ]) {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("r.review.toml");
        std::fs::write(&path, &bytes).expect("write");
        match RecordFile::load(&path) {
            Ok(Some(rf)) => {
                prop_assert_eq!(rf.disk_bytes.as_deref(), Some(bytes.as_slice()));
                for p in rf.problems(&Taxonomy::builtin()) {
                    prop_assert_eq!(&p.path, &path);
                }
            }
            Ok(None) => return Err(TestCaseError::fail("the file exists")),
            Err(p) => positioned(&p, &path, &bytes)?,
        }
    }

    /// The keymap reader, alone and laid over the default: a keymap it
    /// refuses says where.
    #[test]
    fn keymap_errors_carry_positions(text in prop_oneof![tomlish(), any::<String>()]) {
        let path = Path::new("k.toml");
        if let Err(p) = Keymap::parse(&text, path) {
            positioned(&p, path, text.as_bytes())?;
        }
        if let Err(p) = Keymap::builtin().with_overrides(&text, path) {
            positioned(&p, path, text.as_bytes())?;
        }
    }

    /// The taxonomy reader never panics; a position, when given, is whole.
    #[test]
    fn taxonomy_text_never_panics(text in prop_oneof![tomlish(), any::<String>()]) {
        if let Err(p) = Taxonomy::parse(&text, Path::new("t.toml")) {
            prop_assert_eq!(p.line.is_some(), p.col.is_some(), "{}", p);
        }
    }
}

// ---------------------------------------------------------------------------
// 4. A full or read-only disk during a save
// ---------------------------------------------------------------------------

/// A tmpfs mounted for one test, unmounted (lazily) when dropped.
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(&self.0)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

fn run_quietly(cmd: &mut Command) -> Result<(), String> {
    match cmd.stdin(Stdio::null()).output() {
        Ok(o) if o.status.success() => Ok(()),
        Ok(o) => Err(format!(
            "{}: {}",
            o.status,
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => Err(e.to_string()),
    }
}

/// Mounts a tmpfs of `size` on `dir`; `Err` says why not (not root, no
/// `mount`, a container that forbids it).
fn mount_tmpfs(dir: &Path, size: &str) -> Result<Mounted, String> {
    run_quietly(
        Command::new("mount")
            .args(["-t", "tmpfs", "-o"])
            .arg(format!("size={size}"))
            .arg("tmpfs")
            .arg(dir),
    )?;
    Ok(Mounted(dir.to_path_buf()))
}

fn remount(dir: &Path, how: &str) {
    if let Err(e) = run_quietly(
        Command::new("mount")
            .args(["-o", &format!("remount,{how}")])
            .arg(dir),
    ) {
        panic!("remount,{how} {}: {e}", dir.display());
    }
}

/// Writes `dir/filler` until the file system is full.
fn fill(dir: &Path) {
    let path = dir.join("filler");
    let mut f = std::fs::File::create(&path).expect("filler");
    let chunk = [0x55u8; 4096];
    for _ in 0..100_000 {
        if let Err(e) = f.write_all(&chunk).and_then(|()| f.sync_all()) {
            assert_eq!(e.kind(), io::ErrorKind::StorageFull, "{e}");
            return;
        }
    }
    panic!("{} never filled up", dir.display());
}

/// A way to take the disk away from a batch folder and give it back.
struct Fault {
    /// What the error message must name.
    reason: &'static str,
    /// Where the folder's files are while the disk is away.
    away: PathBuf,
    take: Box<dyn FnOnce()>,
    give_back: Box<dyn FnOnce()>,
}

/// A batch folder `parent/batch` with one submission, on a tmpfs of `size`
/// where mounting is allowed.
fn faulty_batch(parent: &Path, size: &str) -> (PathBuf, Option<Mounted>) {
    let dir = parent.join("batch");
    std::fs::create_dir(&dir).expect("mkdir");
    let mounted = match mount_tmpfs(&dir, size) {
        Ok(m) => Some(m),
        Err(why) => {
            println!("cannot mount a tmpfs ({why})");
            None
        }
    };
    std::fs::write(
        dir.join("a.md"),
        "+++\ntitle = \"Alpha\"\nlead_member = \"Testshire\"\n+++\nBody\n",
    )
    .expect("write");
    (dir, mounted)
}

/// Where no tmpfs can be mounted (not root, a container that forbids it):
/// the folder is renamed away, so not even a temporary file can be created.
fn renamed_away(dir: &Path) -> Fault {
    let away = dir.with_file_name("away");
    let (d1, a1, d2, a2) = (
        dir.to_path_buf(),
        away.clone(),
        dir.to_path_buf(),
        away.clone(),
    );
    Fault {
        reason: "No such file or directory",
        away,
        take: Box::new(move || std::fs::rename(&d1, &a1).expect("rename away")),
        give_back: Box::new(move || std::fs::rename(&a2, &d2).expect("rename back")),
    }
}

/// Saves a first record, then makes changes while the disk is away: each is
/// refused with the reason, kept in memory, and the old record stays whole;
/// quitting asks first. With the disk back, `w` writes them all.
fn a_fault_keeps_the_change_until_retry(dir: &Path, fault: Fault) {
    let mut app = open_app(dir);
    let idx = app.selected().expect("selected");
    keys(&mut app, "c");
    app.apply(Action::ClearQuery);
    keys(&mut app, "housing");
    app.apply(Action::SetPrimary);
    app.apply(Action::Confirm);
    assert_eq!(
        record_on_disk(dir, "a").tags.primary_category.as_deref(),
        Some("housing"),
        "{}",
        message(&app)
    );
    let before = std::fs::read(dir.join("a.review.toml")).expect("the old record");

    (fault.take)();
    keys(&mut app, "x");
    let m = message(&app);
    assert!(m.contains("not saved"), "{m}");
    assert!(m.contains(fault.reason), "{m}");
    assert!(m.contains("retry (w)"), "{m}");
    assert!(!m.contains(".casetag-tmp"), "no temporary file names: {m}");
    assert!(app.is_unsaved(idx));
    assert_eq!(app.status(idx), Status::Declined, "the change is kept");
    // A second change while the disk is still away joins the first.
    keys(&mut app, "e");
    keys(&mut app, "kept");
    app.apply(Action::Confirm);
    assert!(message(&app).contains(fault.reason), "{}", message(&app));
    assert!(app.is_unsaved(idx));
    assert_eq!(
        std::fs::read(fault.away.join("a.review.toml")).expect("read"),
        before,
        "the old record is whole"
    );
    assert_eq!(temp_files(&fault.away), Vec::<String>::new());
    keys(&mut app, "q");
    assert!(!app.quit, "quitting with unsaved work asks first");

    (fault.give_back)();
    keys(&mut app, "w");
    assert!(!app.is_unsaved(idx), "{}", message(&app));
    assert!(
        message(&app).contains("saved 1 record"),
        "{}",
        message(&app)
    );
    let r = record_on_disk(dir, "a");
    assert_eq!(r.decision.as_deref(), Some("decline"));
    assert_eq!(r.note.as_deref(), Some("kept"));
    assert_eq!(r.tags.primary_category.as_deref(), Some("housing"));
    assert_eq!(temp_files(dir), Vec::<String>::new());
    keys(&mut app, "q");
    assert!(app.quit);
}

#[test]
fn a_full_disk_keeps_the_change_in_memory_and_retry_writes_it() {
    let parent = tempfile::tempdir().expect("parent");
    let (dir, mounted) = faulty_batch(parent.path(), "64k");
    let fault = if mounted.is_some() {
        println!("full disk: a 64 KiB tmpfs filled to ENOSPC");
        let (d, filler) = (dir.clone(), dir.join("filler"));
        Fault {
            reason: "No space left on device",
            away: dir.clone(),
            take: Box::new(move || fill(&d)),
            give_back: Box::new(move || std::fs::remove_file(&filler).expect("free the space")),
        }
    } else {
        println!("full disk: fallback, the folder renamed away");
        renamed_away(&dir)
    };
    a_fault_keeps_the_change_until_retry(&dir, fault);
    drop(mounted);
}

#[test]
fn a_read_only_disk_keeps_the_change_in_memory_and_retry_writes_it() {
    let parent = tempfile::tempdir().expect("parent");
    let (dir, mounted) = faulty_batch(parent.path(), "1m");
    let fault = if mounted.is_some() {
        println!("read-only disk: a tmpfs remounted read-only (EROFS, even for root)");
        let (d1, d2) = (dir.clone(), dir.clone());
        Fault {
            reason: "Read-only file system",
            away: dir.clone(),
            take: Box::new(move || remount(&d1, "ro")),
            give_back: Box::new(move || remount(&d2, "rw")),
        }
    } else {
        println!("read-only disk: fallback, the folder renamed away");
        renamed_away(&dir)
    };
    a_fault_keeps_the_change_until_retry(&dir, fault);
    drop(mounted);
}

// ---------------------------------------------------------------------------
// 5. SIGHUP, and the terminal going away
// ---------------------------------------------------------------------------

/// The real binary on a copy of the sample, with brent declined on screen.
fn decline_brent() -> (tempfile::TempDir, tempfile::TempDir, Session) {
    let batch = common::copy_sample();
    let home = tempfile::tempdir().expect("home");
    let mut s = Session::start(&[dir_arg(batch.path())], 24, 80, &[], home.path());
    s.wait_for("Submissions 1 of 25");
    s.keys("j");
    s.wait_for("Submissions 2 of 25");
    s.keys("x");
    s.wait_for("decline: Digital inclusion");
    (batch, home, s)
}

#[test]
fn sighup_restores_the_terminal_and_keeps_the_work() {
    let (batch, _home, mut s) = decline_brent();
    s.signal("HUP");
    s.wait_exit();
    s.assert_restored();
    let r = record_on_disk(batch.path(), "brent-digital-inclusion");
    assert_eq!(r.decision.as_deref(), Some("decline"));
}

#[test]
fn a_terminal_that_goes_away_ends_casetag_and_keeps_the_work() {
    let (batch, _home, mut s) = decline_brent();
    // The window is closed or the connection drops: casetag must end, not
    // spin on an input that has ended.
    s.hang_up();
    s.wait_exit();
    let r = record_on_disk(batch.path(), "brent-digital-inclusion");
    assert_eq!(r.decision.as_deref(), Some("decline"));
}
