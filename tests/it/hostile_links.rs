//! Links in a batch folder: nothing outside the folder is
//! read, written or copied in through a symbolic link. The hostile batch is
//! made at test time, as an archive unpacked from an e-mail would leave it.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use casetag::batch::{Batch, Status};
use casetag::record::{Record, RecordFile};
use casetag::taxonomy::Taxonomy;
use common::{keys, message, open_app, run_casetag, stderr, stdout};

const OUTSIDE_RECORD: &str = "submission = \"linked.md\"\nnote = \"a file outside the batch\"\n";

/// A batch with links out of it and a folder outside it that they lead to.
struct Hostile {
    _root: tempfile::TempDir,
    dir: std::path::PathBuf,
    outside: std::path::PathBuf,
}

fn hostile_batch() -> Hostile {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("batch");
    let outside = root.path().join("outside");
    fs::create_dir(&dir).unwrap();
    fs::create_dir(&outside).unwrap();
    fs::write(dir.join("good.md"), "# A good submission\n\nText.\n").unwrap();
    // submissions leading out of the batch
    symlink("/etc/passwd", dir.join("pw.txt")).unwrap();
    symlink("/proc/self/environ", dir.join("x.txt")).unwrap();
    fs::write(
        outside.join("secret.md"),
        "# Outside secret\n\nTOP-SECRET-TEXT\n",
    )
    .unwrap();
    symlink(outside.join("secret.md"), dir.join("secret.md")).unwrap();
    // the same, through a relative link and a link to a link inside the batch
    symlink("../outside/secret.md", dir.join("relative.md")).unwrap();
    symlink("relative.md", dir.join("chain.md")).unwrap();
    // a link inside the batch to a regular file is fine
    symlink("good.md", dir.join("alias.md")).unwrap();
    // a record leading out of the batch, for a readable submission
    fs::write(dir.join("linked.md"), "# Linked record\n\nText.\n").unwrap();
    fs::write(outside.join("r.toml"), OUTSIDE_RECORD).unwrap();
    symlink(outside.join("r.toml"), dir.join("linked.review.toml")).unwrap();
    // a record linked inside the batch: read, but never replaced
    fs::write(dir.join("inner.md"), "# Inner record\n\nText.\n").unwrap();
    fs::write(
        dir.join("inner-record.toml"),
        "submission = \"inner.md\"\nprimary_category = \"community\"\n",
    )
    .unwrap();
    symlink("inner-record.toml", dir.join("inner.review.toml")).unwrap();
    Hostile {
        _root: root,
        dir,
        outside,
    }
}

fn item<'a>(batch: &'a Batch, name: &str) -> &'a casetag::batch::Item {
    batch
        .items
        .iter()
        .find(|i| i.file_name == name)
        .unwrap_or_else(|| panic!("{name} not listed"))
}

#[test]
fn submissions_linked_out_of_the_batch_are_errors_and_never_read() {
    let h = hostile_batch();
    let taxonomy = Taxonomy::builtin();
    let batch = Batch::load(&h.dir, &taxonomy).unwrap();
    for name in ["pw.txt", "x.txt", "secret.md", "relative.md", "chain.md"] {
        let it = item(&batch, name);
        let err = it.submission.as_ref().err().unwrap_or_else(|| {
            panic!(
                "{name} was read: {:?}",
                it.submission.as_ref().map(|s| &s.title)
            )
        });
        assert!(
            err.message.contains("symbolic link") && err.message.contains("out of"),
            "{name}: {}",
            err.message
        );
        assert_eq!(it.status(&taxonomy), Status::Error, "{name}");
    }
    let alias = item(&batch, "alias.md");
    assert_eq!(
        alias.submission.as_ref().map(|s| s.title.as_str()).ok(),
        Some("A good submission")
    );
}

#[test]
fn check_lists_each_link_out_of_the_batch_and_prints_none_of_its_contents() {
    let h = hostile_batch();
    let home = tempfile::tempdir().unwrap();
    let out = run_casetag(&["check", h.dir.to_str().unwrap()], home.path());
    let text = format!("{}{}", stdout(&out), stderr(&out));
    assert_eq!(out.status.code(), Some(1), "{text}");
    for name in [
        "pw.txt",
        "x.txt",
        "secret.md",
        "relative.md",
        "chain.md",
        "linked.review.toml",
    ] {
        assert!(
            text.lines()
                .any(|l| l.contains(name) && l.contains("symbolic link")),
            "{name} not listed as a link:\n{text}"
        );
    }
    assert!(!text.contains("root:"), "{text}");
    assert!(!text.contains("TOP-SECRET"), "{text}");
    assert!(!text.contains("Outside secret"), "{text}");
}

#[test]
fn a_record_linked_out_of_the_batch_is_never_read_written_or_copied_in() {
    let h = hostile_batch();
    let taxonomy = Taxonomy::builtin();
    let link = h.dir.join("linked.review.toml");
    let err = RecordFile::load(&link).expect_err("refused");
    assert!(err.message.contains("out of"), "{}", err.message);

    let mut app = open_app(&h.dir, None);
    let ix = app
        .batch
        .items
        .iter()
        .position(|i| i.file_name == "linked.md")
        .unwrap();
    assert_eq!(app.status(ix), Status::Error);
    assert!(app.batch.items[ix].record.is_none());
    // try to tag and decide it: refused, nothing written anywhere
    keys(&mut app, "g");
    while app.selected() != Some(ix) {
        keys(&mut app, "j");
    }
    keys(&mut app, "x");
    assert!(message(&app).contains("record"), "{}", message(&app));
    app.save_pending();
    assert_untouched(&link, &h.outside.join("r.toml"), OUTSIDE_RECORD);
    let _ = taxonomy;
}

#[test]
fn a_record_linked_inside_the_batch_is_read_but_never_replaced_or_written_through() {
    let h = hostile_batch();
    let link = h.dir.join("inner.review.toml");
    let before = fs::read_to_string(h.dir.join("inner-record.toml")).unwrap();
    let mut rf = RecordFile::load(&link)
        .unwrap()
        .expect("read through the link");
    assert_eq!(
        rf.record.tags.primary_category.as_deref(),
        Some("community")
    );
    rf.record.note = Some("changed".into());
    let err = rf.save().expect_err("a link is not saved over");
    assert!(err.to_string().contains("symbolic link"), "{err}");
    assert_untouched(&link, &h.dir.join("inner-record.toml"), &before);
    let parsed = Record::parse(&before, Path::new("x")).unwrap();
    assert_eq!(parsed.record.note, None);
}

#[test]
fn show_reads_a_link_named_on_the_command_line_and_says_it_is_one() {
    let h = hostile_batch();
    let home = tempfile::tempdir().unwrap();
    let path = h.dir.join("secret.md");
    let out = run_casetag(&["show", path.to_str().unwrap()], home.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    assert!(text.contains("Outside secret"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("link:") && l.contains("outside")),
        "{text}"
    );
    let out = run_casetag(&["show", "--json", path.to_str().unwrap()], home.path());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["link_target"].as_str(),
        Some(h.outside.join("secret.md").to_str().unwrap())
    );
    // a plain file says nothing of links
    let out = run_casetag(
        &["show", h.dir.join("good.md").to_str().unwrap()],
        home.path(),
    );
    assert!(!stdout(&out).contains("link:"), "{}", stdout(&out));
}

/// `link` is still a link, and its target still holds `text`.
fn assert_untouched(link: &Path, target: &Path, text: &str) {
    assert!(
        fs::symlink_metadata(link).unwrap().file_type().is_symlink(),
        "{} was replaced",
        link.display()
    );
    assert_eq!(fs::read_to_string(target).unwrap(), text);
}

/// `R` after files were swapped, once the batch was read, for a FIFO with no
/// writer and for links to an endless device: reload asks of every file
/// whether it changed, and must never open the FIFO (which would wait for a
/// writer for ever) or read the device (which never ends).
#[test]
fn reload_after_files_become_a_fifo_or_a_link_to_a_device_returns_at_once() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("batch");
    fs::create_dir(&dir).unwrap();
    for name in ["a.md", "b.md", "c.md", "d.md"] {
        fs::write(dir.join(name), format!("# {name}\n\nText.\n")).unwrap();
    }
    fs::write(dir.join("d.review.toml"), "submission = \"d.md\"\n").unwrap();
    // the app lives on a thread of its own, so that a hang fails the test
    let (loaded, swapped) = (std::sync::mpsc::channel(), std::sync::mpsc::channel::<()>());
    let (done, rx) = std::sync::mpsc::channel();
    let batch = dir.clone();
    std::thread::spawn(move || {
        let mut app = open_app(&batch, None);
        let _ = loaded.0.send(());
        let _ = swapped.1.recv();
        keys(&mut app, "R");
        let unread: Vec<bool> = ["a.md", "b.md"]
            .iter()
            .map(|name| {
                app.batch
                    .items
                    .iter()
                    .any(|it| it.file_name == *name && it.submission.is_err())
            })
            .collect();
        let _ = done.send((message(&app), unread));
    });
    loaded.1.recv().unwrap();
    fs::remove_file(dir.join("a.md")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(dir.join("a.md"))
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo");
    fs::remove_file(dir.join("b.md")).unwrap();
    symlink("/dev/zero", dir.join("b.md")).unwrap();
    // a record swapped for a link to a device too
    fs::remove_file(dir.join("d.review.toml")).unwrap();
    symlink("/dev/zero", dir.join("d.review.toml")).unwrap();
    swapped.0.send(()).unwrap();
    let (msg, unread) = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("R hung on a FIFO or an endless device");
    assert!(msg.contains("reloaded"), "{msg}");
    assert_eq!(
        unread,
        [true, true],
        "a FIFO or a device read as a submission"
    );
}
