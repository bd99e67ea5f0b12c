//! `casetag check`, `stats` and `show` over the sample batch and a hostile folder.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::*;

#[test]
fn check_sample_names_exactly_the_one_invalid_record() {
    let home = tempfile::tempdir().expect("home");
    let dir = sample_dir();
    let out = run_casetag(&["check", dir.to_str().expect("utf8")], home.path());
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout: {text}\nstderr: {}",
        stderr(&out)
    );
    assert!(!lines.is_empty(), "no problem reported");
    let files: std::collections::BTreeSet<&str> = lines
        .iter()
        .map(|l| l.split(':').next().unwrap_or(""))
        .collect();
    assert_eq!(files.len(), 1, "more than one file named: {text}");
    let only = files.iter().next().copied().unwrap_or("");
    assert!(only.ends_with(".review.toml"), "{only}");
    assert!(text.contains("unknown value"), "{text}");
}

fn hostile_folder() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let w = |name: &str, bytes: &[u8]| fs::write(d.join(name), bytes).expect("write");
    w("good.md", b"+++\ntitle = \"Good\"\n+++\nBody.\n");
    w(
        "bom-crlf.md",
        b"\xEF\xBB\xBF+++\r\ntitle = \"Windows\"\r\nyear = 2019\r\n+++\r\nBody text.\r\n",
    );
    w("bad-utf8.md", b"Title\nsome text \xff\xfe here\n");
    w(
        "broken.md",
        b"+++\ntitle = \"Broken\"\nyear = = 2020\n+++\nBody\n",
    );
    w("unterminated.md", b"+++\ntitle = \"Never closed\"\nBody\n");
    w("big.txt", &vec![b'a'; 3 * 1024 * 1024]);
    w(
        "unknown-ids.md",
        b"+++\ntitle = \"Unknown ids\"\n+++\nBody\n",
    );
    w(
        "unknown-ids.review.toml",
        b"submission = \"unknown-ids.md\"\nprimary_category = \"space-travel\"\nvalues = [\"greed\"]\nflavour = \"mint\"\n",
    );
    w(
        "stale.md",
        b"+++\ntitle = \"Stale\"\n+++\nBody as it is now.\n",
    );
    w(
        "stale.review.toml",
        format!(
            "submission = \"stale.md\"\nsubmission_sha256 = \"{}\"\nprimary_category = \"community\"\n",
            "0".repeat(64)
        )
        .as_bytes(),
    );
    w("orphan.review.toml", b"submission = \"gone.md\"\n");
    w("notes.xlsx", b"not a submission");
    w("broken.docx", b"not a zip");
    fs::create_dir(d.join("folder.md")).expect("mkdir");
    let fifo = d.join("pipe.md");
    let ok = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(ok.success());
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.txt")).expect("symlink");
    std::os::unix::fs::symlink(d.join("nowhere.md"), d.join("dangling.md")).expect("symlink");
    tmp
}

fn problem_lines<'a>(text: &'a str, name: &str) -> Vec<&'a str> {
    text.lines()
        .filter(|l| {
            Path::new(l.split(':').next().unwrap_or(""))
                .file_name()
                .is_some_and(|n| n == name)
        })
        .collect()
}

#[test]
fn check_hostile_folder_names_every_problem_without_hanging() {
    let tmp = hostile_folder();
    let home = tempfile::tempdir().expect("home");
    let out = run_casetag(&["check", tmp.path().to_str().expect("utf8")], home.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}\n{}", stderr(&out));
    assert!(!stderr(&out).contains("panicked"), "{}", stderr(&out));

    for name in [
        "bad-utf8.md",
        "broken.md",
        "unterminated.md",
        "big.txt",
        "unknown-ids.review.toml",
        "stale.review.toml",
        "orphan.review.toml",
        "pipe.md",
        "zero.txt",
        "dangling.md",
        "broken.docx",
    ] {
        assert!(
            !problem_lines(&text, name).is_empty(),
            "{name} not reported:\n{text}"
        );
    }
    for name in ["good.md", "bom-crlf.md", "notes.xlsx", "folder.md"] {
        assert!(
            problem_lines(&text, name).is_empty(),
            "{name} wrongly reported:\n{text}"
        );
    }
    // positions: bad UTF-8 on line 2, broken TOML on line 3 of the file
    assert!(
        problem_lines(&text, "bad-utf8.md")[0].contains(":2:"),
        "{text}"
    );
    assert!(
        problem_lines(&text, "broken.md")[0].contains(":3:"),
        "{text}"
    );
    let unknown = problem_lines(&text, "unknown-ids.review.toml").join("\n");
    assert!(
        unknown.contains("space-travel") && unknown.contains("greed"),
        "{unknown}"
    );
    assert!(
        !unknown.contains("flavour"),
        "unknown keys are kept, not errors: {unknown}"
    );
    // the record with the unknown key is left as it was
    let kept = fs::read_to_string(tmp.path().join("unknown-ids.review.toml")).expect("read");
    assert!(kept.contains("flavour = \"mint\""));
}

/// `check` reads the submissions only as far as an error can be (the
/// layouts and fields give warnings, never errors); `check -W` reads them in
/// full. Both must find the same problems, in the same order.
#[test]
fn check_without_warnings_finds_what_the_full_reading_finds() {
    let tmp = hostile_folder();
    let d = tmp.path();
    let w = |name: &str, bytes: &[u8]| fs::write(d.join(name), bytes).expect("write");
    w(
        "warned.md",
        b"+++\ntitle = \"Warned\"\nyear = \"soon\"\nflavour = 1\n+++\n## Principles met\n- Not a principle at all\n",
    );
    w("yaml.md", b"---\ntitle: x\n---\nBody\n");
    w("cr.md", b"+++\rtitle = \"x\r+++\rbody");
    w("old.doc", b"anything");
    // enough files that the reading is shared between threads
    for i in 0..150 {
        let name = format!("case-{i:03}.{}", if i % 2 == 0 { "md" } else { "txt" });
        let text = match i % 5 {
            0 => "+++\ntitle = = \"broken\"\n+++\n".to_string(),
            1 => format!("Case {i}\nLead Member Oldham Council\nYear 2019\n\nText.\n"),
            2 => format!("+++\ntitle = \"Case {i}\"\n+++\nText.\n"),
            3 => "Title\n\u{FEFF}text \u{202E}\n".to_string(),
            _ => format!("+++\ntitle = \"Case {i}\"\nyear = {i}\n"),
        };
        w(&name, text.as_bytes());
        if i % 3 == 0 {
            let record = format!(
                "submission = \"{name}\"\nsubmission_sha256 = \"{}\"\ndecision = \"approve\"\n",
                "0".repeat(64)
            );
            w(&format!("case-{i:03}.review.toml"), record.as_bytes());
        }
    }
    let home = tempfile::tempdir().expect("home");
    let dir = d.to_str().expect("utf8");
    let plain = run_casetag(&["check", dir], home.path());
    let full = run_casetag(&["check", "-W", dir], home.path());
    assert_eq!(plain.status.code(), Some(1), "{}", stderr(&plain));
    assert_eq!(full.status.code(), Some(1), "{}", stderr(&full));
    let full_text = stdout(&full);
    let problems: Vec<&str> = full_text
        .lines()
        .filter(|l| !l.ends_with("(warning)"))
        .collect();
    let plain_text = stdout(&plain);
    assert_eq!(plain_text.lines().collect::<Vec<_>>(), problems);
    assert_eq!(stderr(&plain), stderr(&full));
    // the full reading did find warnings, and both found problems of every kind
    assert!(full_text.contains("warned.md:3:8: `year`"), "{full_text}");
    assert!(full_text.contains("yaml.md:1:1: YAML"), "{full_text}");
    for needle in [
        "case-000.md:2:9: front matter is not valid TOML",
        "case-004.md:1:1: front matter opened here",
        "case-003.review.toml: case-003.txt changed since it was reviewed",
        "cr.md:2:",
        "old.doc: an older Word document",
    ] {
        assert!(
            plain_text.contains(needle),
            "{needle} not in:\n{plain_text}"
        );
    }
}

#[test]
fn show_seed_004_prints_its_seven_principles() {
    let home = tempfile::tempdir().expect("home");
    // a copy of the published case study (shared/seeds/004), kept with the tests
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/seed-004.txt");
    let out = run_casetag(&["show", seed.to_str().expect("utf8")], home.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}{}", stderr(&out));
    for label in [
        "Co-production",
        "Community leadership and a new role for councillors",
        "Enterprise and social economy",
        "Innovation",
        "Learning",
        "New models of meeting priority needs",
        "Walking the talk",
    ] {
        assert!(
            text.contains(&format!("  - {label}\n")),
            "{label} missing:\n{text}"
        );
    }
    assert!(text.contains("principles met (7):"), "{text}");
    assert!(text.contains("participating: 22 members"), "{text}");
    assert!(text.contains("year:          2020"), "{text}");

    let out = run_casetag(
        &["show", "--json", seed.to_str().expect("utf8")],
        home.path(),
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["principles_met"].as_array().map(Vec::len), Some(7));
    assert_eq!(v["year"], 2020);
    assert_eq!(v["status"], "Policy Labs");
}

#[test]
fn stats_counts_the_sample() {
    let home = tempfile::tempdir().expect("home");
    let dir = sample_dir();
    let out = run_casetag(
        &["stats", "--json", dir.to_str().expect("utf8")],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let total = v["total"].as_u64().expect("total");
    assert!(total >= 16, "{total}");
    // approved + needs-info + declined in the sample
    assert_eq!(v["decided"], 4, "{v}");
    let text = stdout(&run_casetag(
        &["stats", dir.to_str().expect("utf8")],
        home.path(),
    ));
    assert!(
        text.starts_with(&format!("4 of {total} decided\n")),
        "{text}"
    );
    assert!(text.contains("Primary categories"), "{text}");
}

#[test]
fn usage_errors_exit_2() {
    let home = tempfile::tempdir().expect("home");
    let out = run_casetag(&["check"], home.path());
    assert_eq!(out.status.code(), Some(2));
    let out = run_casetag(&["check", "/definitely/not/here"], home.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("/definitely/not/here"),
        "{}",
        stderr(&out)
    );
    let out = run_casetag(&["--version"], home.path());
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).starts_with("casetag "));
    let bad_tax = home.path().join("tax.toml");
    fs::write(&bad_tax, "[rules]\nmax_secondary_categories = 1\n").expect("write");
    let out = run_casetag(
        &["check", "--taxonomy", bad_tax.to_str().expect("utf8"), "."],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("tax.toml"), "{}", stderr(&out));
}

#[test]
fn without_a_terminal_the_program_points_to_check() {
    let home = tempfile::tempdir().expect("home");
    let dir = sample_dir();
    let out = run_casetag(&[dir.to_str().expect("utf8")], home.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("casetag check"), "{}", stderr(&out));
}

#[test]
fn two_submissions_sharing_one_record_are_both_named() {
    let tmp = tempfile::tempdir().expect("tmp");
    fs::write(
        tmp.path().join("hubs.md"),
        "+++\ntitle = \"Hubs\"\n+++\nBody\n",
    )
    .expect("write");
    fs::write(
        tmp.path().join("hubs.txt"),
        "Hubs, the press release\n\nBody\n",
    )
    .expect("write");
    fs::write(tmp.path().join("other.md"), "# Other\n\nBody\n").expect("write");
    let home = tempfile::tempdir().expect("home");
    let out = run_casetag(&["check", tmp.path().to_str().expect("utf8")], home.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    for name in ["hubs.md", "hubs.txt"] {
        let lines = problem_lines(&text, name);
        assert!(
            lines
                .iter()
                .any(|l| l.contains("hubs.md and hubs.txt share hubs.review.toml; rename one")),
            "{name}: {text}"
        );
    }
    assert!(problem_lines(&text, "other.md").is_empty(), "{text}");
}

#[test]
fn check_reads_a_window_at_a_time_and_reports_in_file_order() {
    // more submissions than one window of reading (256), with problems in
    // the first, a middle and the last window, a shared record across a
    // window's edge and a record without its submission
    let tmp = tempfile::tempdir().expect("tmp");
    for i in 0..700 {
        fs::write(
            tmp.path().join(format!("s{i:04}.md")),
            format!("+++\ntitle = \"Study {i}\"\n+++\nBody {i}\n"),
        )
        .expect("write");
    }
    for i in [3, 300, 699] {
        fs::write(
            tmp.path().join(format!("s{i:04}.review.toml")),
            "this is not toml = = =\n",
        )
        .expect("write");
    }
    fs::write(tmp.path().join("s0255.txt"), "Study 255 again\n\nBody\n").expect("write");
    fs::write(
        tmp.path().join("zz-gone.review.toml"),
        "submission = \"zz-gone.md\"\n",
    )
    .expect("write");
    let home = tempfile::tempdir().expect("home");
    let out = run_casetag(&["check", tmp.path().to_str().expect("utf8")], home.path());
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let named: Vec<&str> = text
        .lines()
        .filter_map(|l| {
            ["s0003.", "s0255.", "s0300.", "s0699.", "zz-gone."]
                .into_iter()
                .find(|n| l.contains(n))
        })
        .collect();
    assert_eq!(
        named,
        ["s0003.", "s0255.", "s0255.", "s0300.", "s0699.", "zz-gone."],
        "{text}"
    );
    assert!(
        stderr(&out).contains("701 submissions checked, 6 problems"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_submission_whose_record_name_would_be_too_long_is_reported() {
    let tmp = tempfile::tempdir().expect("tmp");
    let name = format!("{}.txt", "a".repeat(251));
    std::fs::write(tmp.path().join(&name), "Title here\n\nSome text.\n").expect("write");
    let home = tempfile::tempdir().expect("home");
    let out = common::run_casetag(&["check", tmp.path().to_str().expect("utf-8")], home.path());
    let text = common::stdout(&out);
    assert!(
        text.contains("cannot be tagged") && text.contains("263 bytes"),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn check_w_with_only_warnings_counts_them_in_its_summary() {
    let tmp = tempfile::tempdir().expect("tmp");
    fs::write(
        tmp.path().join("warned.md"),
        b"+++\ntitle = \"Warned\"\nyear = \"soon\"\n+++\nBody.\n",
    )
    .expect("write");
    let home = tempfile::tempdir().expect("home");
    let out = run_casetag(
        &["check", "-W", tmp.path().to_str().expect("utf8")],
        home.path(),
    );
    assert!(stdout(&out).contains("(warning)"), "{}", stdout(&out));
    let summary = stderr(&out);
    assert!(
        summary.contains("1 submission checked, no problems, 1 warning"),
        "{summary}"
    );
}
