//! `casetag completions SHELL` and `casetag man`: generated from the same
//! definitions as `--help`, so each names every command.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use common::{run_casetag, stderr, stdout};

/// The commands `casetag --help` lists.
fn commands(home: &std::path::Path) -> Vec<String> {
    let out = run_casetag(&["--help"], home);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    let names: Vec<String> = text
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_string)
        .collect();
    for expected in [
        "check",
        "stats",
        "show",
        "export",
        "demo",
        "completions",
        "man",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} not in\n{text}"
        );
    }
    names
}

#[test]
fn completions_name_every_command_for_every_shell() {
    let home = tempfile::tempdir().expect("home");
    let commands = commands(home.path());
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let out = run_casetag(&["completions", shell], home.path());
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        assert!(script.len() > 500, "{shell}: {script}");
        for c in &commands {
            assert!(script.contains(c.as_str()), "{shell} completion lacks {c}");
        }
        // options of the commands are completed too
        assert!(script.contains("warnings"), "{shell} lacks check's options");
    }
    let out = run_casetag(&["completions", "tcsh"], home.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_manual_names_every_command_and_each_has_a_page() {
    let home = tempfile::tempdir().expect("home");
    let out = run_casetag(&["man"], home.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let page = stdout(&out);
    assert!(
        page.starts_with(".ie") || page.contains(".TH casetag 1"),
        "{page}"
    );
    for c in commands(home.path()) {
        // roff escapes the hyphen
        assert!(
            page.contains(&format!("casetag\\-{}(1)", c.replace('-', "\\-"))),
            "man lacks {c}:\n{page}"
        );
        let out = run_casetag(&["man", &c], home.path());
        assert_eq!(out.status.code(), Some(0), "man {c}: {}", stderr(&out));
        let sub = stdout(&out);
        assert!(sub.contains(&format!(".TH casetag-{c} 1")), "{sub}");
        assert!(
            sub.contains(&format!("casetag {}", c.replace('-', "\\-"))),
            "{sub}"
        );
    }
    let out = run_casetag(&["man", "chek"], home.path());
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("check"), "{}", stderr(&out));
}
