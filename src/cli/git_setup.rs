//! `casetag git-setup [DIR]`: the repository holding DIR merges records
//! with `casetag merge-record`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{CleanWriter, EXIT_ERROR, EXIT_OK, Outcome, exit_code, line, or_exit};
use crate::fs::write_atomic;

/// The line of `.gitattributes` that names the driver for records.
pub const ATTRIBUTES_LINE: &str = "*.review.toml merge=casetag";

/// `git config merge.casetag.name`.
const DRIVER_NAME: &str = "casetag record merge";

/// Sets up the git repository that holds `dir`: the `.gitattributes` line
/// and the repository's own merge driver settings, each only when missing.
pub fn git_setup(dir: &Path, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let (out, err) = (&mut CleanWriter::new(out), &mut CleanWriter::new(err));
    exit_code(run(dir, out, err))
}

/// Runs git in `dir`: its standard output, trimmed, or why it failed.
fn git(dir: &Path, args: &[&str]) -> Result<(bool, String), String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => {
                "git is not installed (no `git` on the PATH); install it first".to_owned()
            }
            _ => format!("cannot run git: {e}"),
        })?;
    let text = String::from_utf8_lossy(&output.stdout)
        .trim_end()
        .to_owned();
    Ok((output.status.success(), text))
}

/// The top of the repository holding `dir`.
fn toplevel(dir: &Path) -> Result<PathBuf, String> {
    if !dir.is_dir() {
        return Err(format!("{}: no such folder", dir.display()));
    }
    match git(dir, &["rev-parse", "--show-toplevel"])? {
        (true, top) if !top.is_empty() => Ok(PathBuf::from(top)),
        _ => Err(format!(
            "{} is not in a git repository (run `git init` there, or clone the team's repository)",
            dir.display()
        )),
    }
}

/// The command git runs: this very program, by its absolute path, so that
/// a merge works from any shell or git client whatever its PATH holds.
fn driver_command() -> String {
    let exe = std::env::current_exe().ok();
    let exe = if cfg!(windows) {
        // Git for Windows runs drivers with its own sh: forward slashes,
        // and no `\\?\` prefix from canonicalising
        exe.map(|p| p.to_string_lossy().replace('\\', "/"))
    } else {
        exe.map(|p| std::fs::canonicalize(&p).unwrap_or(p))
            .map(|p| p.to_string_lossy().into_owned())
    };
    let exe = exe.unwrap_or_else(|| "casetag".to_owned());
    format!("{} merge-record %O %A %B %P", shell_quote(&exe))
}

/// `s` as one word for the shell git runs the driver with.
fn shell_quote(s: &str) -> String {
    let plain = s
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+:@%".contains(c));
    if plain && !s.is_empty() {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// Whether `text` (a `.gitattributes`) already names the driver for records.
pub fn has_attributes_line(text: &str) -> bool {
    text.lines().any(|l| {
        let mut words = l.split_whitespace();
        words.next() == Some("*.review.toml") && words.any(|w| w == "merge=casetag")
    })
}

fn run(dir: &Path, out: &mut dyn Write, err: &mut dyn Write) -> Outcome {
    let top = or_exit(toplevel(dir), EXIT_ERROR, err)?;
    let mut did = Vec::new();

    let attributes = top.join(".gitattributes");
    let old = match std::fs::read_to_string(&attributes) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return or_exit(
                Err(format!("cannot read {}: {e}", attributes.display())),
                EXIT_ERROR,
                err,
            );
        }
    };
    if !has_attributes_line(&old) {
        let mut new = old.clone();
        if !new.is_empty() && !new.ends_with('\n') {
            new.push('\n');
        }
        new.push_str(ATTRIBUTES_LINE);
        new.push('\n');
        or_exit(
            write_atomic(&attributes, new.as_bytes())
                .map_err(|e| format!("cannot write {}: {e}", attributes.display())),
            EXIT_ERROR,
            err,
        )?;
        did.push(format!(
            "added `{ATTRIBUTES_LINE}` to {} (commit it, so every clone merges records the same way)",
            attributes.display()
        ));
    }

    let driver = driver_command();
    for (key, want) in [
        ("merge.casetag.name", DRIVER_NAME),
        ("merge.casetag.driver", driver.as_str()),
    ] {
        let (_, have) = or_exit(
            git(&top, &["config", "--local", "--get", key]),
            EXIT_ERROR,
            err,
        )?;
        if have == want {
            continue;
        }
        let (ok, _) = or_exit(
            git(&top, &["config", "--local", key, want]),
            EXIT_ERROR,
            err,
        )?;
        if !ok {
            return or_exit(
                Err(format!("git could not set {key} in {}", top.display())),
                EXIT_ERROR,
                err,
            );
        }
        did.push(format!("set git config {key} = {want}"));
    }

    if did.is_empty() {
        line(out, format_args!("{}: already set up", top.display()));
    } else {
        for d in did {
            line(out, d);
        }
        line(
            out,
            format_args!(
                "{}: records are merged field by field; each clone runs `casetag git-setup` once",
                top.display()
            ),
        );
    }
    Ok(EXIT_OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_attributes_line_is_found_among_others() {
        assert!(has_attributes_line(
            "*.pdf binary\n*.review.toml merge=casetag\n"
        ));
        assert!(has_attributes_line("*.review.toml   text merge=casetag"));
        assert!(!has_attributes_line("*.review.toml text\n"));
        assert!(!has_attributes_line("# *.review.toml merge=casetag\n"));
        assert!(!has_attributes_line(""));
    }

    #[test]
    fn odd_paths_are_quoted_for_the_shell() {
        assert_eq!(shell_quote("/usr/bin/casetag"), "/usr/bin/casetag");
        assert_eq!(shell_quote("/home/a b/casetag"), "'/home/a b/casetag'");
        assert_eq!(shell_quote("/x/it's"), r"'/x/it'\''s'");
    }
}
