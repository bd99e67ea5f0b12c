//! Crash test: kills a process that is saving records, at random moments, and
//! checks what it leaves behind.
//!
//! ```text
//! cargo run --release --example crash_test -- [KILLS [SEED]]
//! ```
//!
//! KILLS (default 1000) times: start the writer of `examples/crash_writer.rs`
//! (this program run again as `crash_test --writer DIR`, so nothing else needs
//! building), kill it with SIGKILL 0-30 ms after it started (odd kills) or
//! after its first completed save (even kills), then check that
//! every record parses and is exactly its old or its new version, that only
//! casetag's temporary files were left besides them, that casetag's check
//! reports no problem, and that `clean_temp_files` (what `casetag DIR` runs at
//! start) removes the leftovers. Prints the figures; exits 1 on any failure.
//! The delays come from a xorshift generator seeded with SEED (default: the
//! clock), printed so a run can be repeated.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

#[path = "crash_writer.rs"]
mod crash_writer;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use casetag::fs::clean_temp_files;
use casetag::taxonomy::Taxonomy;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--writer") {
        let Some(dir) = args.get(1) else {
            std::process::exit(2);
        };
        crash_writer::run(Path::new(dir));
    }
    let kills: usize = match args.first().map(|a| a.parse()) {
        None => 1000,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            eprintln!("usage: crash_test [KILLS [SEED]]");
            std::process::exit(2);
        }
    };
    let seed = args
        .get(1)
        .and_then(|s| s.parse::<u64>().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
        })
        .max(1);
    let exe = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("crash_test: cannot find this program: {e}");
            std::process::exit(2);
        }
    };
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("crash_test: cannot make a folder: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = crash_writer::setup(dir.path()) {
        eprintln!("crash_test: cannot set up {}: {e}", dir.path().display());
        std::process::exit(2);
    }
    let taxonomy = Taxonomy::builtin();
    let mut rng = crash_writer::XorShift(seed);
    let started = Instant::now();
    let (mut records, mut temp_found, mut temp_cleaned) = (0, 0, 0);
    let (mut after_a_save, mut no_save) = (0, 0);
    let (mut seen_a, mut seen_b) = (0, 0);
    let mut failed_kills = 0;
    println!(
        "crash_test: {kills} kills, seed {seed}, folder {}",
        dir.path().display()
    );
    for round in 1..=kills {
        let before = crash_writer::snapshot(dir.path());
        let mut child = match Command::new(&exe)
            .arg("--writer")
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
        {
            Ok(c) => c,
            Err(e) => {
                eprintln!("crash_test: cannot start the writer: {e}");
                std::process::exit(2);
            }
        };
        // Odd kills count from the start; even ones from the writer's first
        // completed save, so that some land in every phase of a save.
        if round % 2 == 0 {
            if crash_writer::wait_for_a_save(dir.path(), &before, Duration::from_secs(5)) {
                after_a_save += 1;
            } else {
                no_save += 1;
            }
        }
        std::thread::sleep(Duration::from_millis(rng.next_u64() % 31));
        let mut failures = Vec::new();
        if let Ok(Some(status)) = child.try_wait() {
            failures.push(format!("the writer stopped by itself: {status}"));
        }
        // SIGKILL on Unix: no destructor, no clean-up in the writer runs.
        let _ = child.kill();
        let _ = child.wait();

        let verdict = crash_writer::verify(dir.path(), &taxonomy);
        failures.extend(verdict.failures.iter().cloned());
        records += verdict.a + verdict.b;
        seen_a += verdict.a;
        seen_b += verdict.b;
        temp_found += verdict.temp_files.len();
        // The next start of casetag cleans up.
        match clean_temp_files(dir.path()) {
            Ok(n) => {
                temp_cleaned += n;
                if n != verdict.temp_files.len() {
                    failures.push(format!(
                        "clean_temp_files removed {n} of {} leftovers",
                        verdict.temp_files.len()
                    ));
                }
            }
            Err(e) => failures.push(format!("clean_temp_files failed: {e}")),
        }
        let after = crash_writer::verify(dir.path(), &taxonomy);
        if !after.temp_files.is_empty() {
            failures.push(format!("left after cleaning: {:?}", after.temp_files));
        }
        if !failures.is_empty() {
            failed_kills += 1;
            for f in &failures {
                eprintln!("kill {round}: {f}");
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!("kills:                      {kills}");
    println!("kills survived:             {}", kills - failed_kills);
    println!("records checked:            {records} ({seen_a} version A, {seen_b} version B)");
    println!(
        "kills after a completed save: {after_a_save} (the rest 0-30 ms after the start{})",
        if no_save > 0 {
            format!("; {no_save} waited 5 s for a save in vain")
        } else {
            String::new()
        }
    );
    println!("leftover temp files found:  {temp_found}");
    println!("leftover temp files cleaned: {temp_cleaned}");
    println!("failures:                   {failed_kills}");
    println!("time:                       {secs:.1} s");
    if failed_kills > 0 {
        std::process::exit(1);
    }
}
