//! Records on disk: atomic saves, conflicts with other writers, reloads,
//! fault injection before the rename, leftover temporary files, and files that
//! are not regular files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use casetag::fs::{TEMP_PREFIX, clean_temp_files, write_atomic, write_atomic_with_hook};
use casetag::record::{Decision, Record, RecordFile, SaveError};
use casetag::taxonomy::Taxonomy;

fn tempdir() -> tempfile::TempDir {
    match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("cannot make a temporary folder: {e}"),
    }
}

fn read(path: &Path) -> Vec<u8> {
    match fs::read(path) {
        Ok(b) => b,
        Err(e) => panic!("cannot read {}: {e}", path.display()),
    }
}

fn write(path: &Path, bytes: &[u8]) {
    if let Err(e) = fs::write(path, bytes) {
        panic!("cannot write {}: {e}", path.display());
    }
}

/// The names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = match fs::read_dir(dir) {
        Ok(it) => it
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(e) => panic!("cannot list {}: {e}", dir.display()),
    };
    v.sort();
    v
}

fn load(path: &Path) -> RecordFile {
    match RecordFile::load(path) {
        Ok(Some(rf)) => rf,
        Ok(None) => panic!("{} does not exist", path.display()),
        Err(p) => panic!("cannot load: {p}"),
    }
}

fn save(rf: &mut RecordFile) {
    if let Err(e) = rf.save() {
        panic!("save failed: {e}");
    }
}

fn fresh(dir: &Path) -> (PathBuf, RecordFile) {
    let path = dir.join("oldham-food-hubs.review.toml");
    let mut rf = RecordFile::new(path.clone(), "oldham-food-hubs.md");
    rf.record.tags.primary_category = Some("community".into());
    rf.record.tags.values = vec!["solidarity".into()];
    (path, rf)
}

#[test]
fn save_creates_the_file() {
    let dir = tempdir();
    let (path, mut rf) = fresh(dir.path());
    assert!(!rf.changed_on_disk());
    save(&mut rf);
    let bytes = read(&path);
    assert_eq!(bytes, rf.record.to_toml().into_bytes());
    assert_eq!(rf.disk_bytes.as_deref(), Some(bytes.as_slice()));
    assert!(!rf.changed_on_disk());
    // Positions now describe the file written.
    assert_eq!(rf.positions.get("submission"), Some(&(1, 1)));
    assert_eq!(rf.positions.get("primary_category"), Some(&(2, 1)));

    let back = load(&path);
    assert_eq!(back.record, rf.record);
    assert_eq!(back.disk_bytes, rf.disk_bytes);
    assert_eq!(names(dir.path()), ["oldham-food-hubs.review.toml"]);

    // Saving again without a change leaves the file alone; with one, rewrites it.
    save(&mut rf);
    rf.record.set_decision(Some(Decision::Decline));
    save(&mut rf);
    assert_eq!(load(&path).record.decision_kind(), Some(Decision::Decline));
    assert_eq!(names(dir.path()), ["oldham-food-hubs.review.toml"]);
}

#[cfg(unix)]
#[test]
fn save_keeps_the_files_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempdir();
    let (path, mut rf) = fresh(dir.path());
    save(&mut rf);
    if let Err(e) = fs::set_permissions(&path, fs::Permissions::from_mode(0o640)) {
        panic!("chmod: {e}");
    }
    rf.record.note = Some("changed".into());
    save(&mut rf);
    let mode = fs::metadata(&path)
        .map(|m| m.permissions().mode() & 0o777)
        .ok();
    assert_eq!(mode, Some(0o640));
}

#[test]
fn save_after_an_external_change_is_refused_and_keeps_their_bytes() {
    let dir = tempdir();
    let (path, mut rf) = fresh(dir.path());
    save(&mut rf);

    let theirs = b"submission = \"oldham-food-hubs.md\"\nnote = \"theirs\"\n";
    write(&path, theirs);
    assert!(rf.changed_on_disk());
    rf.record.note = Some("mine".into());
    match rf.save() {
        Err(SaveError::Conflict { path: p }) => assert_eq!(p, path),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(read(&path), theirs);
    assert_eq!(names(dir.path()), ["oldham-food-hubs.review.toml"]);
    // The message says what to do.
    let msg = match rf.save() {
        Err(e) => e.to_string(),
        Ok(()) => panic!("second attempt saved over their change"),
    };
    assert!(
        msg.contains("changed on disk") && msg.contains("reload"),
        "{msg}"
    );
    assert_eq!(read(&path), theirs);
}

#[test]
fn a_file_that_appeared_or_vanished_is_a_conflict() {
    let dir = tempdir();
    // Appeared: someone else created the record after we looked.
    let (path, mut rf) = fresh(dir.path());
    let theirs = b"submission = \"oldham-food-hubs.md\"\ndecision = \"decline\"\n";
    write(&path, theirs);
    assert!(rf.changed_on_disk());
    assert!(matches!(rf.save(), Err(SaveError::Conflict { .. })));
    assert_eq!(read(&path), theirs);

    // Vanished: someone removed the record we read.
    let mut rf = load(&path);
    if let Err(e) = fs::remove_file(&path) {
        panic!("rm: {e}");
    }
    assert!(rf.changed_on_disk());
    rf.record.note = Some("mine".into());
    assert!(matches!(rf.save(), Err(SaveError::Conflict { .. })));
    assert!(!path.exists());
}

#[test]
fn an_unparsable_file_in_the_way_is_never_overwritten() {
    let dir = tempdir();
    let (path, mut rf) = fresh(dir.path());
    write(&path, b"this is = = not toml\n");
    assert!(matches!(rf.save(), Err(SaveError::Unparsable { .. })));
    assert_eq!(read(&path), b"this is = = not toml\n");
    assert!(rf.reload().is_err());
}

#[test]
fn reload_then_save_works() {
    let dir = tempdir();
    let (path, mut rf) = fresh(dir.path());
    save(&mut rf);
    let theirs =
        "submission = \"oldham-food-hubs.md\"\nnote = \"theirs\"\nassigned_to = \"kim\" # theirs\n";
    write(&path, theirs.as_bytes());
    rf.record.note = Some("mine".into());
    assert!(rf.save().is_err());

    assert_eq!(rf.reload().ok(), Some(true));
    assert_eq!(rf.record.note.as_deref(), Some("theirs"));
    assert_eq!(rf.record.tags.primary_category, None);
    assert!(!rf.changed_on_disk());
    rf.record.note = Some("theirs, and mine".into());
    save(&mut rf);
    let text = String::from_utf8_lossy(&read(&path)).into_owned();
    assert_eq!(
        text,
        "submission = \"oldham-food-hubs.md\"\nnote = \"theirs, and mine\"\nassigned_to = \"kim\" # theirs\n"
    );

    // Reloading a record that is gone resets it to a new one.
    if let Err(e) = fs::remove_file(&path) {
        panic!("rm: {e}");
    }
    assert_eq!(rf.reload().ok(), Some(false));
    assert_eq!(rf.record, Record::new("oldham-food-hubs.md"));
    assert_eq!(rf.disk_bytes, None);
    assert!(!rf.changed_on_disk());
    save(&mut rf);
    assert_eq!(read(&path), b"submission = \"oldham-food-hubs.md\"\n");
}

#[test]
fn a_failed_write_leaves_the_old_record_and_no_temporary_file() {
    let dir = tempdir();
    let (path, mut rf) = fresh(dir.path());
    save(&mut rf);
    let old = read(&path);

    rf.record.set_decision(Some(Decision::Decline));
    rf.record.note = Some("new".into());
    let new_text = rf.record.to_toml();
    let mut seen_temp = None;
    let result = rf.save_with_hook(&mut |tmp: &Path| {
        // The temporary file is complete and beside the record.
        seen_temp = Some((tmp.to_path_buf(), fs::read(tmp).ok()));
        Err(io::Error::other("injected failure"))
    });
    match result {
        Err(SaveError::Io { path: p, source }) => {
            assert_eq!(p, path);
            assert_eq!(source.to_string(), "injected failure");
        }
        other => panic!("expected an I/O error, got {other:?}"),
    }
    let Some((tmp, tmp_bytes)) = seen_temp else {
        panic!("the hook was not called");
    };
    assert_eq!(tmp.parent(), Some(dir.path()));
    let tmp_name = tmp.file_name().map(|n| n.to_string_lossy().into_owned());
    assert!(tmp_name.is_some_and(|n| n.starts_with(TEMP_PREFIX)));
    assert_eq!(tmp_bytes, Some(new_text.clone().into_bytes()));

    assert_eq!(read(&path), old, "the old record must be intact");
    assert_eq!(names(dir.path()), ["oldham-food-hubs.review.toml"]);
    assert_eq!(rf.disk_bytes.as_deref(), Some(old.as_slice()));
    assert!(!rf.changed_on_disk());

    // The change is still in memory; a retry saves it.
    save(&mut rf);
    assert_eq!(read(&path), new_text.into_bytes());
    assert_eq!(names(dir.path()), ["oldham-food-hubs.review.toml"]);
}

#[test]
fn write_atomic_replaces_whole_files_and_cleans_up_on_failure() {
    let dir = tempdir();
    let path = dir.path().join("out.csv");
    if let Err(e) = write_atomic(&path, b"first") {
        panic!("write: {e}");
    }
    assert_eq!(read(&path), b"first");
    if let Err(e) = write_atomic(&path, b"second, longer") {
        panic!("write: {e}");
    }
    assert_eq!(read(&path), b"second, longer");
    let r = write_atomic_with_hook(&path, b"third", &mut |_| {
        Err(io::Error::other("disk on fire"))
    });
    assert!(r.is_err());
    assert_eq!(read(&path), b"second, longer");
    assert_eq!(names(dir.path()), ["out.csv"]);
    // A folder that does not exist is an error, not a panic.
    assert!(write_atomic(&dir.path().join("nope/x.toml"), b"x").is_err());
}

#[test]
fn clean_temp_files_removes_leftovers_and_nothing_else() {
    let dir = tempdir();
    let d = dir.path();
    write(&d.join(format!("{TEMP_PREFIX}a1B2c3")), b"half a record");
    write(&d.join(format!("{TEMP_PREFIX}zz")), b"");
    write(&d.join("a.md"), b"# A");
    write(&d.join("a.review.toml"), b"submission = \"a.md\"\n");
    write(&d.join(".casetag-state"), b"x");
    write(
        &d.join("x.casetag-tmp-1"),
        b"not ours: prefix not at the start",
    );
    if let Err(e) = fs::create_dir(d.join(format!("{TEMP_PREFIX}dir"))) {
        panic!("mkdir: {e}");
    }
    match clean_temp_files(d) {
        Ok(n) => assert_eq!(n, 2),
        Err(e) => panic!("clean: {e}"),
    }
    assert_eq!(
        names(d),
        [
            ".casetag-state",
            &format!("{TEMP_PREFIX}dir"),
            "a.md",
            "a.review.toml",
            "x.casetag-tmp-1"
        ]
    );
    assert_eq!(clean_temp_files(d).ok(), Some(0));
    assert!(clean_temp_files(&d.join("missing")).is_err());
}

#[test]
fn load_reads_records_and_refuses_bad_files() {
    let dir = tempdir();
    let d = dir.path();
    assert!(matches!(
        RecordFile::load(&d.join("none.review.toml")),
        Ok(None)
    ));

    let path = d.join("a.review.toml");
    write(
        &path,
        b"submission = \"a.md\"\ndecision = \"approve\"\nvalues = \"equity\"\nmine = 1\n",
    );
    let rf = load(&path);
    assert_eq!(rf.record.submission, "a.md");
    assert_eq!(rf.record.unknown_keys(), ["mine"]);
    assert_eq!(rf.load_problems.len(), 1);
    let shown: Vec<String> = rf
        .problems(&Taxonomy::builtin())
        .iter()
        .map(ToString::to_string)
        .collect();
    let p = path.display();
    assert!(
        shown[0].starts_with(&format!("{p}:3:1: values must be")),
        "{shown:?}"
    );
    assert!(
        shown.contains(&format!("{p}: approve needs a primary category")),
        "{shown:?}"
    );

    write(&path, b"note = \"ok\"\nbad = \"\xff\"\n");
    let e = RecordFile::load(&path).err().map(|e| e.to_string());
    assert_eq!(e, Some(format!("{p}:2:8: not valid UTF-8")));

    write(&path, b"submission = \"a.md\"\n\nnote = \n");
    let e = RecordFile::load(&path).err();
    assert_eq!(e.as_ref().and_then(|e| e.line), Some(3), "{e:?}");

    write(&path, &vec![b'#'; 1024 * 1024 + 1]);
    let e = RecordFile::load(&path).err().map(|e| e.to_string());
    assert!(
        e.as_deref().is_some_and(|m| m.contains("larger than")),
        "{e:?}"
    );

    let sub = d.join("dir.review.toml");
    if let Err(e) = fs::create_dir(&sub) {
        panic!("mkdir: {e}");
    }
    let e = RecordFile::load(&sub).err().map(|e| e.to_string());
    assert!(
        e.as_deref()
            .is_some_and(|m| m.contains("not a regular file")),
        "{e:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_is_refused_without_hanging() {
    let dir = tempdir();
    let fifo = dir.path().join("x.review.toml");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(status.is_ok_and(|s| s.success()), "mkfifo failed");

    let (tx, rx) = mpsc::channel();
    let f = fifo.clone();
    std::thread::spawn(move || {
        let loaded = RecordFile::load(&f).map(|o| o.is_some());
        let mut rf = RecordFile::new(f.clone(), "x.md");
        let changed = rf.changed_on_disk();
        let saved = rf.save().map_err(|e| e.to_string());
        let _ = tx.send((loaded, changed, saved));
    });
    let Ok((loaded, changed, saved)) = rx.recv_timeout(Duration::from_secs(10)) else {
        panic!("reading a FIFO hung");
    };
    match loaded {
        Err(p) => {
            assert_eq!(p.path, fifo);
            assert!(p.message.contains("not a regular file"), "{p}");
        }
        Ok(_) => panic!("a FIFO was read as a record"),
    }
    assert!(changed);
    assert!(saved.is_err_and(|m| m.contains("not a regular file")));
    // The FIFO is still there, not replaced.
    assert!(fs::symlink_metadata(&fifo).is_ok_and(|m| !m.is_file()));
}

/// A failure that is not the disk's is not reported as an I/O error: text
/// to write back that is not a record, and a record that is a link.
#[test]
fn save_errors_say_what_failed_not_io() {
    let dir = tempdir();
    let (path, mut rf) = fresh(dir.path());
    save(&mut rf);
    let before = read(&path);
    match rf.replace_text("decision = [unclosed".to_owned()) {
        Err(SaveError::NotARecord { path: p, .. }) => assert_eq!(p, path),
        other => panic!("expected NotARecord, got {other:?}"),
    }
    assert_eq!(read(&path), before, "nothing was written");
    #[cfg(unix)]
    {
        let target = dir.path().join("elsewhere.toml");
        fs::rename(&path, &target).expect("move");
        std::os::unix::fs::symlink(&target, &path).expect("link");
        let mut rf = load(&path);
        rf.record.note = Some("x".into());
        let e = rf.save().expect_err("refused");
        assert!(matches!(e, SaveError::Link { .. }), "{e:?}");
        assert!(e.to_string().contains("symbolic link"), "{e}");
    }
}
