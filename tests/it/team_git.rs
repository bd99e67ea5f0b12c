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
use common::{record_on_disk, run_casetag, stderr, stdout};

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

/// casetag run in `dir`.
fn casetag_in(dir: &Path, home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_casetag"))
        .args(args)
        .current_dir(dir)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run casetag")
}

const BASE_RECORD: &str = r#"submission = "food-hubs.md"
primary_category = "community"
principles = ["innovation"]
values = ["solidarity", "democracy", "caring-for-others"]
reviewer = "jo"
reviewed_at = "2026-12-01T09:00:00Z"
colour = "green"
"#;

/// Two clones of one shared repository, both set up with `casetag
/// git-setup`, holding a batch of two submissions in `batch/`.
struct Team {
    _tmp: tempfile::TempDir,
    home: PathBuf,
    jo: PathBuf,
    sam: PathBuf,
}

impl Team {
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
        std::fs::write(
            batch.join("food-hubs.md"),
            "+++\ntitle = \"Community food hubs\"\nlead_member = \"Oldham Council\"\n+++\nHubs.\n",
        )
        .unwrap();
        std::fs::write(batch.join("food-hubs.review.toml"), BASE_RECORD).unwrap();
        std::fs::write(jo.join(".gitattributes"), "*.pdf binary\n").unwrap();
        let out = casetag_in(&batch, &home, &["git-setup"]);
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
        let out = casetag_in(&sam, &home, &["git-setup", "batch"]);
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

    /// Jo approves and pushes; Sam, meanwhile, adds a principle and a note.
    fn approve_and_annotate(&self) {
        self.edit(&self.jo, |r| {
            r.decision = Some("approve".into());
            r.reviewed_at = Some("2026-12-07T10:00:00Z".into());
        });
        git_ok(&self.jo, &self.home, &["push", "-q", "origin", "main"]);
        self.edit(&self.sam, |r| {
            r.tags.principles.push("learning".into());
            r.note = Some("Ask for a photo of the hub.".into());
            r.reviewer = Some("sam".into());
            r.reviewed_at = Some("2026-12-07T11:00:00Z".into());
        });
    }

    /// Jo declines and pushes; Sam approves, and ranks the values otherwise.
    fn disagree(&self) {
        self.edit(&self.jo, |r| {
            r.decision = Some("decline".into());
            r.reviewed_at = Some("2026-12-07T10:00:00Z".into());
        });
        git_ok(&self.jo, &self.home, &["push", "-q", "origin", "main"]);
        self.edit(&self.sam, |r| {
            r.decision = Some("approve".into());
            r.tags.values = vec!["democracy".into(), "solidarity".into(), "equity".into()];
            r.reviewer = Some("sam".into());
            r.reviewed_at = Some("2026-12-07T11:00:00Z".into());
        });
    }
}

#[test]
fn git_setup_is_idempotent_and_keeps_other_attributes() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    let attributes = std::fs::read_to_string(team.jo.join(".gitattributes")).unwrap();
    assert_eq!(attributes, "*.pdf binary\n*.review.toml merge=casetag\n");
    let out = casetag_in(&team.jo, &team.home, &["git-setup"]);
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
    let out = Command::new(env!("CARGO_BIN_EXE_casetag"))
        .args(["git-setup", lone.to_str().unwrap()])
        .env("HOME", &home)
        .env("GIT_CEILING_DIRECTORIES", tmp.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("is not in a git repository"),
        "{}",
        stderr(&out)
    );
    assert!(!lone.join(".gitattributes").exists());
}

#[test]
fn changes_to_different_fields_merge_cleanly_in_a_pull() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    team.approve_and_annotate();
    git_ok(
        &team.sam,
        &team.home,
        &["pull", "-q", "--no-rebase", "--no-edit", "origin", "main"],
    );
    let r = team.record(&team.sam);
    assert_eq!(r.decision.as_deref(), Some("approve"));
    assert_eq!(r.tags.principles, ["innovation", "learning"]);
    assert_eq!(r.note.as_deref(), Some("Ask for a photo of the hub."));
    assert_eq!(r.reviewer.as_deref(), Some("sam"));
    assert!(team.text(&team.sam).contains("colour = \"green\""));
    assert!(!team.text(&team.sam).contains("<<<<<<<"));
    let out = team.check(&team.sam);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert!(casetag::record::validate(&r, &Taxonomy::builtin()).is_empty());
    // a merge commit holds both
    let log = git_ok(&team.sam, &team.home, &["log", "--format=%P", "-1"]);
    assert_eq!(log.split_whitespace().count(), 2, "{log}");
}

#[test]
fn changes_to_different_fields_rebase_cleanly() {
    if !have_git() {
        return;
    }
    let team = Team::new();
    team.approve_and_annotate();
    git_ok(
        &team.sam,
        &team.home,
        &["pull", "-q", "--rebase", "origin", "main"],
    );
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
    if !have_git() {
        return;
    }
    let team = Team::new();
    team.disagree();
    git_ok(&team.sam, &team.home, &["fetch", "-q", "origin"]);
    let out = git(
        &team.sam,
        &team.home,
        &["merge", "--no-edit", "origin/main"],
    );
    assert!(
        !out.status.success(),
        "the merge should stop on the conflict"
    );
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
    if !have_git() {
        return;
    }
    let team = Team::new();
    team.disagree();
    let out = git(
        &team.sam,
        &team.home,
        &["pull", "--rebase", "origin", "main"],
    );
    assert!(
        !out.status.success(),
        "the rebase should stop on the conflict"
    );
    // replaying Sam's commit onto Jo's: "ours" is Jo's upstream version
    assert_conflict(&team, &team.sam, "decline", "approve");
}

#[test]
fn merge_record_refuses_a_broken_version_naming_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let (base, ours, theirs) = (
        tmp.path().join("base"),
        tmp.path().join("ours"),
        tmp.path().join("theirs"),
    );
    std::fs::write(&base, BASE_RECORD).unwrap();
    std::fs::write(&ours, BASE_RECORD).unwrap();
    std::fs::write(
        &theirs,
        "submission = \"food-hubs.md\"\ndecision = approve\n",
    )
    .unwrap();
    let out = run_casetag(
        &[
            "merge-record",
            base.to_str().unwrap(),
            ours.to_str().unwrap(),
            theirs.to_str().unwrap(),
            "batch/food-hubs.review.toml",
        ],
        tmp.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("batch/food-hubs.review.toml"), "{err}");
    assert!(err.contains(&format!("{}:2:", theirs.display())), "{err}");
    assert_eq!(std::fs::read_to_string(&ours).unwrap(), BASE_RECORD);
}

#[test]
fn merge_record_with_an_empty_base_merges_two_additions() {
    let tmp = tempfile::tempdir().unwrap();
    let (base, ours, theirs) = (
        tmp.path().join("base"),
        tmp.path().join("ours"),
        tmp.path().join("theirs"),
    );
    std::fs::write(&base, "").unwrap();
    std::fs::write(
        &ours,
        "submission = \"a.md\"\nprinciples = [\"innovation\"]\n",
    )
    .unwrap();
    std::fs::write(
        &theirs,
        "submission = \"a.md\"\nprinciples = [\"learning\"]\nnote = \"n\"\n",
    )
    .unwrap();
    let args = [
        "merge-record",
        base.to_str().unwrap(),
        ours.to_str().unwrap(),
        theirs.to_str().unwrap(),
        "a.review.toml",
    ];
    let out = run_casetag(&args, tmp.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = std::fs::read_to_string(&ours).unwrap();
    let r = Record::parse(&text, &ours).unwrap().record;
    assert_eq!(r.tags.principles, ["innovation", "learning"]);
    assert_eq!(r.note.as_deref(), Some("n"));
}

#[test]
fn git_setup_without_git_says_git_is_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_casetag"))
        .args(["git-setup", tmp.path().to_str().unwrap()])
        .env("HOME", tmp.path())
        .env("PATH", tmp.path().join("no-programs-here"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("git is not installed"),
        "{}",
        stderr(&out)
    );
    assert!(!tmp.path().join(".gitattributes").exists());
}
