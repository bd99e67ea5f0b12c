//! End-to-end tests: the real binary in a pseudo-terminal, driven by keys,
//! with the screen read through a terminal emulator.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

struct Session {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl Session {
    fn start(args: &[&str], rows: u16, cols: u16, env: &[(&str, &str)], home: &Path) -> Session {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_casetag"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", home);
        cmd.env("USER", "tester");
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        cmd.env("XDG_STATE_HOME", home.join("state"));
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let size = |n: u16| std::num::NonZeroU16::new(n).expect("non-zero size");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(size(rows), size(cols), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (Arc::clone(&parser), Arc::clone(&raw));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let chunk = buf.get(..n).unwrap_or_default();
                        if let Ok(mut p) = p.lock() {
                            p.process(chunk);
                        }
                        if let Ok(mut r) = r.lock() {
                            r.extend_from_slice(chunk);
                        }
                    }
                }
            }
        });
        Session {
            parser,
            raw,
            writer,
            child,
            _master: pair.master,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().expect("lock").screen().contents()
    }

    /// Waits until the screen shows `text`; fails the test with the screen if not.
    fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!("screen never showed {text:?}:\n{}", self.screen());
    }

    fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
        // let the program draw before the next key, as a person would
        std::thread::sleep(Duration::from_millis(150));
    }

    fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Some(status) = self.child.try_wait().expect("wait") {
                // give the reader thread a moment to take the last bytes
                std::thread::sleep(Duration::from_millis(200));
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        let _ = self.child.kill();
        panic!("casetag did not exit:\n{}", self.screen());
    }

    fn raw(&self) -> Vec<u8> {
        self.raw.lock().expect("lock").clone()
    }

    /// The terminal was put back: alternate screen left, cursor shown.
    fn assert_restored(&self) {
        let parser = self.parser.lock().expect("lock");
        let screen = parser.screen();
        assert!(!screen.alternate_screen(), "still in the alternate screen");
        assert!(!screen.hide_cursor(), "cursor left hidden");
        let raw = self.raw();
        let leave = b"\x1b[?1049l";
        assert!(
            raw.windows(leave.len()).any(|w| w == leave),
            "never left the alternate screen"
        );
    }
}

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
    s.wait_for("decided");
    // the third submission: the council proposed a complete tagging
    s.keys("jj");
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
    s.wait_for("decided");
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
    s.wait_for("decided");
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
    s.wait_for("decided");
    s.keys("jjj");
    s.wait_for("Submissions 4 of 18");
    s.keys("q");
    assert_eq!(s.wait_exit(), 0);
    let s2 = Session::start(&[dir_arg(batch.path())], 24, 80, &[], home.path());
    s2.wait_for("Submissions 4 of 18");
    // nothing was written inside the batch
    let extra: Vec<_> = std::fs::read_dir(batch.path())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| !common::sample_dir().join(e.file_name()).exists())
        .collect();
    assert!(extra.is_empty(), "{extra:?}");
}
