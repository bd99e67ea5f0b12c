//! No work without a reason: the real program, idle with a 2 MiB one-line
//! submission selected, uses next to no CPU and shows a key at once; a
//! terminal claiming 9999x9999 cells does not make it grow to gigabytes.
#![cfg(target_os = "linux")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use std::io::Read;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::pty::Session;
use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// Clock ticks of CPU (user + system) a process has used, from /proc.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // the fields after the command name, which is in parentheses
    let rest = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = rest.split(' ').collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 here
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn ticks_per_second() -> u64 {
    let out = std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .unwrap_or(100)
}

/// Resident memory of a process in KiB.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap()
}

/// A batch of one 2 MiB submission whose text is a single line.
fn one_huge_line(dir: &Path) {
    let mut text = String::from("+++\ntitle = \"One long line\"\n+++\n");
    let word = "solidarity ";
    while text.len() + word.len() < 2 * 1024 * 1024 - 1 {
        text.push_str(word);
    }
    text.push('\n');
    assert!(text.len() <= 2 * 1024 * 1024);
    std::fs::write(dir.join("huge.md"), text).unwrap();
}

#[test]
fn idle_with_a_2_mib_line_selected_uses_next_to_no_cpu_and_a_key_shows_promptly() {
    let batch = tempfile::tempdir().unwrap();
    let home = tempfile::tempdir().unwrap();
    one_huge_line(batch.path());
    let mut s = Session::start(&[batch.path().to_str().unwrap()], 30, 100, &[], home.path());
    s.wait_for("One long line");
    s.wait_for("lines 1–");
    let pid = s.child.process_id().unwrap();
    // let the first frame settle, then measure three idle seconds
    std::thread::sleep(Duration::from_millis(500));
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(3));
    let used = cpu_ticks(pid) - before;
    let percent = used * 100 / (3 * ticks_per_second());
    assert!(percent <= 5, "idle casetag used {percent}% of a core");

    // a key that keeps the same submission selected (a page of its text) shows at once
    let start = Instant::now();
    s.keys("]");
    s.wait_for("lines 20–");
    let took = start.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "the key took {took:?} to show"
    );
    s.keys("q");
    s.wait_exit();
}

#[test]
fn a_9999_by_9999_terminal_does_not_make_casetag_grow() {
    let batch = common::copy_sample();
    let home = tempfile::tempdir().unwrap();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 9999,
            cols: 9999,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_casetag"));
    cmd.arg(batch.path());
    cmd.env("TERM", "xterm-256color");
    cmd.env("HOME", home.path());
    cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
    cmd.env("XDG_DATA_HOME", home.path().join("data"));
    cmd.env("XDG_STATE_HOME", home.path().join("state"));
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    // Drain what it draws without emulating a screen of that size here.
    let mut reader = pair.master.try_clone_reader().unwrap();
    let seen = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&seen);
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            counter.fetch_add(n, Ordering::Relaxed);
        }
    });
    let pid = child.process_id().unwrap();
    // wait until the first frame has been written and the output settles
    let start = Instant::now();
    let mut last = 0;
    loop {
        std::thread::sleep(Duration::from_millis(300));
        let now = seen.load(Ordering::Relaxed);
        if (now > 1000 && now == last) || start.elapsed() > Duration::from_secs(20) {
            break;
        }
        last = now;
    }
    let rss = rss_kib(pid);
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen.load(Ordering::Relaxed) > 1000, "nothing was drawn");
    assert!(
        rss < 200 * 1024,
        "casetag in a 9999x9999 terminal holds {} MiB",
        rss / 1024
    );
}
