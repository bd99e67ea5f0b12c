//! End-to-end tests: the real binary in a pseudo-terminal, driven by keys,
//! with the screen read through a terminal emulator.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use std::path::Path;

use common::pty::Session;

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

fn read_record(dir: &Path, stem: &str) -> String {
    std::fs::read_to_string(dir.join(format!("{stem}.review.toml"))).unwrap_or_default()
}

fn dir_arg(dir: &Path) -> &str {
    dir.to_str().expect("utf-8 path")
}

#[test]
fn tag_and_approve_a_submission_with_keys_only() {
    let batch = common::copy_sample();
    let home = tempfile::tempdir().expect("home");
    let mut s = Session::start(&[dir_arg(batch.path())], 24, 80, &[], home.path());
    s.wait_for("Submissions 1 of 25");
    // the fifth submission: the council proposed a complete tagging
    s.keys("jjjj");
    s.wait_for("Social value in every contract");
    s.keys("\r"); // guided: categories, suggestions preselected
    s.wait_for("Categories");
    s.keys("\r"); // principles
    s.wait_for("Principles");
    s.keys("\r"); // values
    s.wait_for("Values");
    s.keys("\r"); // decision prompt
    s.wait_for("Decide on");
    s.keys("a");
    s.wait_for("approve: Social value in every contract");
    s.keys("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();

    let record = read_record(batch.path(), "cardiff-social-value-procurement");
    let v: toml::Table = toml::from_str(&record).expect("record parses");
    assert_eq!(v["decision"].as_str(), Some("approve"), "{record}");
    assert_eq!(v["primary_category"].as_str(), Some("social-outcomes"));
    assert_eq!(v["values"].as_array().map(Vec::len), Some(3), "{record}");
    assert_eq!(v["reviewer"].as_str(), Some("tester"));
    // and casetag itself finds the record valid
    let out = common::run_casetag(&["check", dir_arg(batch.path())], home.path());
    let text = common::stdout(&out);
    assert!(!text.contains("cardiff"), "{text}");
}

#[test]
fn no_color_shows_no_colour_and_still_works() {
    let batch = common::copy_sample();
    let home = tempfile::tempdir().expect("home");
    let mut s = Session::start(
        &[dir_arg(batch.path())],
        24,
        80,
        &[("NO_COLOR", "1")],
        home.path(),
    );
    s.wait_for("Submissions 1 of 25");
    s.keys("j");
    s.wait_for("Digital inclusion");
    s.keys("x");
    s.wait_for("decline: Digital inclusion");
    {
        let parser = s.parser.lock().expect("lock");
        let screen = parser.screen();
        for row in 0..24 {
            for col in 0..80 {
                if let Some(cell) = screen.cell(row, col) {
                    assert_eq!(
                        cell.fgcolor(),
                        vt100::Color::Default,
                        "colour at {row},{col}"
                    );
                    assert_eq!(
                        cell.bgcolor(),
                        vt100::Color::Default,
                        "colour at {row},{col}"
                    );
                }
            }
        }
    }
    s.keys("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
    let record = read_record(batch.path(), "brent-digital-inclusion");
    assert!(record.contains("decision = \"decline\""), "{record}");
}

#[test]
fn a_too_small_terminal_gets_a_clear_message() {
    let batch = common::copy_sample();
    let home = tempfile::tempdir().expect("home");
    let mut s = Session::start(&[dir_arg(batch.path())], 10, 40, &[], home.path());
    s.wait_for("at least");
    s.keys("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

#[test]
fn escape_sequences_in_a_file_never_reach_the_terminal() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(
        dir.path().join("evil.md"),
        "+++\ntitle = \"Evil \\u001b]0;PWNED\\u0007 title\"\nlead_member = \"\\u001b[31mRed Council\"\n+++\nBody \u{1b}[2J\u{1b}]0;PWNED2\u{7} text \u{9b}31m and \u{202e}reversed\n",
    )
    .expect("write");
    let home = tempfile::tempdir().expect("home");
    let mut s = Session::start(&[dir_arg(dir.path())], 24, 80, &[], home.path());
    s.wait_for("Evil");
    s.wait_for("␛");
    let raw = s.raw();
    for bad in [
        &b"\x1b]0;PWNED"[..],
        b"\x1b]0;PWNED2",
        b"\x1b[31mRed",
        b"\x1b[2J\x1b]",
    ] {
        assert!(
            !contains(&raw, bad),
            "{:?} reached the terminal",
            String::from_utf8_lossy(bad)
        );
    }
    assert!(
        !contains(&raw, "\u{202e}".as_bytes()),
        "a bidi override reached the terminal"
    );
    assert!(
        !contains(&raw, "\u{9b}".as_bytes()),
        "a C1 control reached the terminal"
    );
    s.keys("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal_and_keeps_the_work() {
    let batch = common::copy_sample();
    let home = tempfile::tempdir().expect("home");
    let mut s = Session::start(&[dir_arg(batch.path())], 24, 80, &[], home.path());
    s.wait_for("Submissions 1 of 25");
    s.keys("j");
    s.wait_for("Digital inclusion");
    s.keys("x");
    s.wait_for("decline:");
    let pid = s.child.process_id().expect("pid");
    let ok = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(ok.success());
    s.wait_exit();
    s.assert_restored();
    let record = read_record(batch.path(), "brent-digital-inclusion");
    assert!(record.contains("decision = \"decline\""), "{record}");
}

#[test]
fn reopening_returns_to_the_same_submission() {
    let batch = common::copy_sample();
    let home = tempfile::tempdir().expect("home");
    let mut s = Session::start(&[dir_arg(batch.path())], 24, 80, &[], home.path());
    s.wait_for("Submissions 1 of 25");
    s.keys("jjj");
    s.wait_for("Submissions 4 of 25");
    s.keys("q");
    assert_eq!(s.wait_exit(), 0);
    let s2 = Session::start(&[dir_arg(batch.path())], 24, 80, &[], home.path());
    s2.wait_for("Submissions 4 of 25");
    // nothing was written inside the batch
    let extra: Vec<_> = std::fs::read_dir(batch.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| !common::sample_dir().join(e.file_name()).exists())
        .collect();
    assert!(extra.is_empty(), "{extra:?}");
}

/// What a terminal was asked to do besides showing text.
#[derive(Default)]
struct Requests {
    titles: Vec<Vec<u8>>,
    clipboard: Vec<Vec<u8>>,
    other_osc: usize,
}

impl vt100::Callbacks for Requests {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8], data: &[u8]) {
        self.clipboard.push(data.to_vec());
    }
    fn unhandled_osc(&mut self, _: &mut vt100::Screen, _params: &[&[u8]]) {
        self.other_osc += 1;
    }
}

#[cfg(unix)]
#[test]
fn show_and_check_leave_the_title_and_clipboard_alone() {
    use std::os::unix::ffi::OsStrExt;
    let tmp = tempfile::tempdir().expect("tmp");
    let home = tempfile::tempdir().expect("home");
    let name = std::ffi::OsStr::from_bytes(b"n\x1b]0;FNAME\x07.md");
    let file = tmp.path().join(name);
    std::fs::write(
        &file,
        "+++\ntitle = \"\\u001b]2;PWNED\\u001b\\\\ \\u001b]52;c;cHduZWQ=\\u0007 \\u001b[2J \\u009b31m\"\n\
         lead_member = \"\\u001b]0;LEAD\\u0007\"\n\"k\\u001b]2;KEY\\u0007\" = 1\n+++\nBody\n",
    )
    .expect("write");
    // a broken one, so that check names a hostile file
    std::fs::write(
        tmp.path()
            .join(std::ffi::OsStr::from_bytes(b"b\x1b]2;B\x07.md")),
        "+++\nyear = = 1\n+++\n",
    )
    .expect("write");
    let size = |n: u16| std::num::NonZeroU16::new(n).expect("non-zero");
    // the harness itself sees the requests when they are sent raw
    let mut control = vt100::Parser::new_with_callbacks(size(24), size(80), 0, Requests::default());
    control.process(b"\x1b]2;PWNED\x1b\\\x1b]52;c;cHduZWQ=\x07");
    assert_eq!(control.callbacks().titles, [b"PWNED".to_vec()]);
    assert_eq!(control.callbacks().clipboard.len(), 1);

    let file_arg = file.to_str().expect("utf-8");
    for args in [
        vec!["show", file_arg],
        vec!["check", "-W", dir_arg(tmp.path())],
    ] {
        let mut s = Session::start(&args, 24, 200, &[], home.path());
        s.wait_exit();
        let raw = s.raw();
        let mut terminal =
            vt100::Parser::new_with_callbacks(size(24), size(200), 0, Requests::default());
        terminal.process(&raw);
        let requests = terminal.callbacks();
        assert!(
            requests.titles.is_empty(),
            "{args:?} set the title: {:?}",
            requests.titles
        );
        assert!(
            requests.clipboard.is_empty(),
            "{args:?} wrote the clipboard"
        );
        assert_eq!(requests.other_osc, 0, "{args:?} sent an OSC");
        assert!(!contains(&raw, b"\x1b"), "{args:?} sent an escape");
        let screen = terminal.screen().contents();
        assert!(
            screen.contains("␛]"),
            "{args:?} shows the escapes inertly:\n{screen}"
        );
    }
}

/// Closing the terminal window with a note being typed: the kernel hangs up,
/// every write to the terminal fails, and the program must still keep the
/// note as a draft (and the position) before it ends, without aborting.
#[test]
fn closing_the_terminal_with_a_note_open_keeps_the_draft() {
    let batch = common::copy_sample();
    let home = tempfile::tempdir().expect("home");
    let mut s = Session::start(&[dir_arg(batch.path())], 24, 80, &[], home.path());
    s.wait_for("Submissions 1 of 25");
    s.keys("jj");
    s.wait_for("Submissions 3 of 25");
    s.keys("e");
    s.wait_for("Note");
    s.keys("typed before the window closed");
    s.wait_for("typed before the window closed");
    s.hang_up();
    let code = s.wait_exit();
    // one of casetag's own exit codes (2: the terminal failed), not an
    // abort from a panic while restoring a terminal that is gone
    assert!(code <= 2, "exit code {code}");
    let mut again = Session::start(&[dir_arg(batch.path())], 24, 80, &[], home.path());
    again.wait_for("Submissions 3 of 25");
    again.keys("e");
    again.wait_for("typed before the window closed");
    again.keys("\x1b");
    again.keys("q");
    again.keys("q");
    again.wait_exit();
}
