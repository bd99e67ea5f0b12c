//! Records shared through git: `casetag git-setup` in two clones, edits of
//! one record on both, then `git merge` (through `git pull`) and `git pull
//! --rebase`, each result checked by `casetag check`. Skipped, with a note,
//! where git is not installed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use casetag::record::Record;
use casetag::taxonomy::Taxonomy;
use common::{food_hubs, record_on_disk, run_casetag, run_casetag_in, stderr, stdout};

fn have_git() -> bool {
    let ok = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("note: git is not installed; the git tests are skipped");
    }
    ok
}

/// git in `dir`, away from the user's and the system's settings.
fn git(dir: &Path, home: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", "2026-12-07T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-12-07T10:00:00Z")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .output()
        .expect("run git")
}

fn git_ok(dir: &Path, home: &Path, args: &[&str]) -> String {
    let out = git(dir, home, args);
    assert!(
        out.status.success(),
        "git {args:?} in {}: {}{}",
        dir.display(),
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

/// Two clones of one shared repository, both set up with `casetag
/// git-setup`, holding a batch of two submissions in `batch/`.
struct Team {
    _tmp: tempfile::TempDir,
    home: PathBuf,
    jo: PathBuf,
    sam: PathBuf,
}

impl Team {
    /// The team, where git is installed.
    fn with_git() -> Option<Team> {
        have_git().then(Team::new)
    }

    fn new() -> Team {
        let tmp = tempfile::tempdir().unwrap();
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let origin = tmp.path().join("origin.git");
        git_ok(
            tmp.path(),
            &home,
            &["init", "-q", "--bare", "-b", "main", "origin.git"],
        );
        let jo = tmp.path().join("jo");
        let sam = tmp.path().join("sam");
        git_ok(
            tmp.path(),
            &home,
            &["clone", "-q", origin.to_str().unwrap(), "jo"],
        );
        Team::identify(&jo, &home, "Jo");
        let batch = jo.join("batch");
        std::fs::create_dir_all(&batch).unwrap();
        std::fs::write(batch.join("food-hubs.md"), food_hubs::SUBMISSION).unwrap();
        std::fs::write(batch.join("food-hubs.review.toml"), food_hubs::RECORD).unwrap();
        std::fs::write(jo.join(".gitattributes"), "*.pdf binary\n").unwrap();
        let out = run_casetag_in(&["git-setup"], &home, &batch);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).contains("merge=casetag"), "{}", stdout(&out));
        git_ok(&jo, &home, &["checkout", "-q", "-b", "main"]);
        git_ok(&jo, &home, &["add", "-A"]);
        git_ok(&jo, &home, &["commit", "-q", "-m", "batch"]);
        git_ok(&jo, &home, &["push", "-q", "origin", "main"]);
        git_ok(
            tmp.path(),
            &home,
            &["clone", "-q", "-b", "main", origin.to_str().unwrap(), "sam"],
        );
        Team::identify(&sam, &home, "Sam");
        let out = run_casetag_in(&["git-setup", "batch"], &home, &sam);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        // the attributes came with the clone: only the settings were made
        assert!(!stdout(&out).contains(".gitattributes"), "{}", stdout(&out));
        Team {
            _tmp: tmp,
            home,
            jo,
            sam,
        }
    }

    fn identify(dir: &Path, home: &Path, name: &str) {
        git_ok(dir, home, &["config", "user.name", name]);
        git_ok(dir, home, &["config", "user.email", "officer@example.org"]);
    }

    fn record_path(clone: &Path) -> PathBuf {
        clone.join("batch/food-hubs.review.toml")
    }

    /// Rewrites the record in `clone` with `edit` (as casetag writes it) and
    /// commits it.
    fn edit(&self, clone: &Path, edit: impl FnOnce(&mut Record)) {
        let mut r = record_on_disk(&clone.join("batch"), "food-hubs");
        edit(&mut r);
        std::fs::write(Team::record_path(clone), r.to_toml()).unwrap();
        git_ok(clone, &self.home, &["commit", "-q", "-am", "tagged"]);
    }

    fn record(&self, clone: &Path) -> Record {
        record_on_disk(&clone.join("batch"), "food-hubs")
    }

    fn text(&self, clone: &Path) -> String {
        std::fs::read_to_string(Team::record_path(clone)).unwrap()
    }

    fn check(&self, clone: &Path) -> Output {
        run_casetag(
            &["check", clone.join("batch").to_str().unwrap()],
            &self.home,
        )
    }

    /// Jo makes `jo`'s change and pushes it; Sam, meanwhile, makes `sam`'s
    /// and reviews later.
    fn both_change(&self, jo: impl FnOnce(&mut Record), sam: impl FnOnce(&mut Record)) {
        self.edit(&self.jo, |r| {
            jo(r);
            r.reviewed_at = Some("2026-12-07T10:00:00Z".into());
        });
        git_ok(&self.jo, &self.home, &["push", "-q", "origin", "main"]);
        self.edit(&self.sam, |r| {
            sam(r);
            r.reviewer = Some("sam".into());
            r.reviewed_at = Some("2026-12-07T11:00:00Z".into());
        });
    }

    /// Jo approves and pushes; Sam, meanwhile, adds a principle and a note.
    fn approve_and_annotate(&self) {
        self.both_change(
            |r| r.decision = Some("approve".into()),
            |r| {
                r.tags.principles.push("learning".into());
                r.note = Some("Ask for a photo of the hub.".into());
            },
        );
    }

    /// Jo declines and pushes; Sam approves, and ranks the values otherwise.
    fn disagree(&self) {
        self.both_change(
            |r| r.decision = Some("decline".into()),
            |r| {
                r.decision = Some("approve".into());
                r.tags.values = vec!["democracy".into(), "solidarity".into(), "equity".into()];
            },
        );
    }

    /// Sam brings Jo's change in with `git args` and expects it to stop
    /// on the conflicting decisions.
    fn stopped_on_conflict(&self, args: &[&str]) -> Output {
        let out = git(&self.sam, &self.home, args);
        assert!(
            !out.status.success(),
            "git {args:?} should stop on the conflict"
        );
        out
    }
}

#[test]
fn git_setup_is_idempotent_and_keeps_other_attributes() {
    let Some(team) = Team::with_git() else {
        return;
    };
    let attributes = std::fs::read_to_string(team.jo.join(".gitattributes")).unwrap();
    assert_eq!(attributes, "*.pdf binary\n*.review.toml merge=casetag\n");
    let out = run_casetag_in(&["git-setup"], &team.home, &team.jo);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("already set up"), "{}", stdout(&out));
    let again = std::fs::read_to_string(team.jo.join(".gitattributes")).unwrap();
    assert_eq!(again, attributes);
    let driver = git_ok(
        &team.sam,
        &team.home,
        &["config", "--get", "merge.casetag.driver"],
    );
    assert!(
        driver.trim_end().ends_with("merge-record %O %A %B %P"),
        "{driver}"
    );
    let exe = std::fs::canonicalize(env!("CARGO_BIN_EXE_casetag")).unwrap();
    assert!(driver.starts_with(exe.to_str().unwrap()), "{driver}");
}

/// `casetag git-setup DIR` with `env` set, which must refuse: exit code 2,
/// `says` in its message, no `.gitattributes` written.
fn git_setup_refuses(dir: &Path, env: &[(&str, &std::ffi::OsStr)], says: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_casetag"))
        .args(["git-setup".as_ref(), dir.as_os_str()])
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(says), "{}", stderr(&out));
    assert!(!dir.join(".gitattributes").exists());
}

#[test]
fn git_setup_outside_a_repository_says_so() {
    if !have_git() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let lone = tmp.path().join("lone");
    std::fs::create_dir_all(&lone).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    // no repository above the temporary folder may be found
    git_setup_refuses(
        &lone,
        &[
            ("HOME", home.as_os_str()),
            ("GIT_CEILING_DIRECTORIES", tmp.path().as_os_str()),
        ],
        "is not in a git repository",
    );
}

/// Jo's and Sam's changes to different fields, Sam bringing Jo's in with
/// `git pull`: Sam's record then holds both and checks clean.
fn pull_changes_to_different_fields(pull: &[&str]) -> Option<(Team, Record)> {
    let team = Team::with_git()?;
    team.approve_and_annotate();
    git_ok(&team.sam, &team.home, pull);
    let r = team.record(&team.sam);
    assert_eq!(r.decision.as_deref(), Some("approve"));
    assert_eq!(r.tags.principles, ["innovation", "learning"]);
    assert_eq!(r.note.as_deref(), Some("Ask for a photo of the hub."));
    let out = team.check(&team.sam);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    Some((team, r))
}

#[test]
fn changes_to_different_fields_merge_cleanly_in_a_pull() {
    let Some((team, r)) = pull_changes_to_different_fields(&[
        "pull",
        "-q",
        "--no-rebase",
        "--no-edit",
        "origin",
        "main",
    ]) else {
        return;
    };
    assert_eq!(r.reviewer.as_deref(), Some("sam"));
    assert!(team.text(&team.sam).contains("colour = \"green\""));
    assert!(!team.text(&team.sam).contains("<<<<<<<"));
    assert!(casetag::record::validate(&r, &Taxonomy::builtin()).is_empty());
    // a merge commit holds both
    let log = git_ok(&team.sam, &team.home, &["log", "--format=%P", "-1"]);
    assert_eq!(log.split_whitespace().count(), 2, "{log}");
}

#[test]
fn changes_to_different_fields_rebase_cleanly() {
    let Some((team, _)) =
        pull_changes_to_different_fields(&["pull", "-q", "--rebase", "origin", "main"])
    else {
        return;
    };
    // no merge commit: Sam's commit sits on top of Jo's
    let log = git_ok(&team.sam, &team.home, &["log", "--format=%P"]);
    assert!(
        log.lines().all(|l| l.split_whitespace().count() <= 1),
        "{log}"
    );
    let status = git_ok(&team.sam, &team.home, &["status", "--porcelain"]);
    assert_eq!(status, "");
}

/// The conflicting record: both versions in its table, ours kept.
fn assert_conflict(team: &Team, clone: &Path, ours: &str, theirs: &str) {
    let text = team.text(clone);
    assert!(!text.contains("<<<<<<<"), "{text}");
    let r = team.record(clone);
    assert!(r.has_conflict(), "{text}");
    let conflicts = r.conflicts().unwrap();
    let fields: Vec<&str> = conflicts.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["decision"], "{text}");
    // a change on one side only is taken
    assert_eq!(r.tags.values, ["democracy", "solidarity", "equity"]);
    assert_eq!(r.decision.as_deref(), Some(ours));
    let d = &conflicts[0];
    assert_eq!(d.ours.value, casetag::record::FieldValue::Text(ours.into()));
    assert_eq!(
        d.theirs.value,
        casetag::record::FieldValue::Text(theirs.into())
    );
    assert!(text.contains("colour = \"green\""), "{text}");
    // the checker reports it, naming the fields
    let out = team.check(clone);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert!(stdout(&out).contains("conflict"), "{}", stdout(&out));
}

#[test]
fn a_real_conflict_in_a_merge_is_kept_in_the_record() {
    let Some(team) = Team::with_git() else {
        return;
    };
    team.disagree();
    git_ok(&team.sam, &team.home, &["fetch", "-q", "origin"]);
    let out = team.stopped_on_conflict(&["merge", "--no-edit", "origin/main"]);
    assert!(stdout(&out).contains("CONFLICT"), "{}", stdout(&out));
    assert_conflict(&team, &team.sam, "approve", "decline");
    let unmerged = git_ok(
        &team.sam,
        &team.home,
        &["diff", "--name-only", "--diff-filter=U"],
    );
    assert_eq!(unmerged.trim(), "batch/food-hubs.review.toml");
}

#[test]
fn a_real_conflict_in_a_rebase_is_kept_in_the_record() {
    let Some(team) = Team::with_git() else {
        return;
    };
    team.disagree();
    team.stopped_on_conflict(&["pull", "--rebase", "origin", "main"]);
    // replaying Sam's commit onto Jo's: "ours" is Jo's upstream version
    assert_conflict(&team, &team.sam, "decline", "approve");
}

/// `casetag merge-record BASE OURS THEIRS PATH` as git's merge driver runs
/// it, the three versions written into `dir`; the merge is written over
/// OURS. Returns the run and the three versions' paths.
fn merge_record(dir: &Path, versions: [&str; 3], path: &str) -> (Output, [PathBuf; 3]) {
    let files = ["base", "ours", "theirs"].map(|name| dir.join(name));
    for (file, text) in files.iter().zip(versions) {
        std::fs::write(file, text).unwrap();
    }
    let [base, ours, theirs] = files.each_ref().map(|f| f.to_str().unwrap());
    let out = run_casetag(&["merge-record", base, ours, theirs, path], dir);
    (out, files)
}

#[test]
fn merge_record_refuses_a_broken_version_naming_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let broken = "submission = \"food-hubs.md\"\ndecision = approve\n";
    let (out, [_, ours, theirs]) = merge_record(
        tmp.path(),
        [food_hubs::RECORD, food_hubs::RECORD, broken],
        "batch/food-hubs.review.toml",
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("batch/food-hubs.review.toml"), "{err}");
    assert!(err.contains(&format!("{}:2:", theirs.display())), "{err}");
    assert_eq!(std::fs::read_to_string(&ours).unwrap(), food_hubs::RECORD);
}

#[test]
fn merge_record_with_an_empty_base_merges_two_additions() {
    let tmp = tempfile::tempdir().unwrap();
    let (out, [_, ours, _]) = merge_record(
        tmp.path(),
        [
            "",
            "submission = \"a.md\"\nprinciples = [\"innovation\"]\n",
            "submission = \"a.md\"\nprinciples = [\"learning\"]\nnote = \"n\"\n",
        ],
        "a.review.toml",
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&ours).unwrap();
    let r = Record::parse(&text, &ours).unwrap().record;
    assert_eq!(r.tags.principles, ["innovation", "learning"]);
    assert_eq!(r.note.as_deref(), Some("n"));
}

#[test]
fn git_setup_without_git_says_git_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let nowhere = tmp.path().join("no-programs-here");
    git_setup_refuses(
        tmp.path(),
        &[
            ("HOME", tmp.path().as_os_str()),
            ("PATH", nowhere.as_os_str()),
        ],
        "git is not installed",
    );
}
