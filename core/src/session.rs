//! What casetag remembers between sittings, kept in the platform's data folder
//! (never inside the batch): where the officer was in each batch, and the undo
//! history of each batch.
//!
//! An undo step stores what a change did to a record's bytes (the edits, and a
//! hash of the whole file before and after), not two whole records: undoing is
//! only possible while the file on disk is byte for byte what the step left,
//! and the history stays small however large the records are.
//!
//! A state file is handled like a record: read only when it is a regular file
//! within [`MAX_STATE_BYTES`], written atomically and never larger than that
//! limit (the oldest steps make room), and the temporary files a crash left
//! in its folder are removed when the history is claimed.

use std::collections::BTreeMap;
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::fs::{clean_temp_files_older_than, read_regular, write_atomic};
use crate::record::sha256_hex;

/// The undo history kept per batch is bounded to this many steps...
pub const HISTORY_LIMIT: usize = 200;
/// ...and to this many bytes of changed text (undo and redo together).
pub const HISTORY_BYTES: usize = 2 * 1024 * 1024;
/// At most this many note drafts are kept.
pub const MAX_DRAFTS: usize = 100;

/// The largest state file casetag reads or writes.
pub const MAX_STATE_BYTES: u64 = 64 * 1024 * 1024;

/// Temporary files in the state folder younger than this may be another
/// running instance's write in progress, and are left alone.
const STALE_TEMP_AGE: Duration = Duration::from_secs(60);

/// The folder casetag keeps its state in.
pub fn default_state_dir() -> Option<PathBuf> {
    // The XDG spec puts state (history, positions) in XDG_STATE_HOME; the
    // platforms without a state folder keep it with the data.
    directories::ProjectDirs::from("", "", "casetag")
        .map(|d| d.state_dir().unwrap_or(d.data_dir()).to_path_buf())
}

/// Where the state was kept before it moved to [`default_state_dir`].
pub fn old_state_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "casetag").map(|d| d.data_dir().to_path_buf())
}

/// Moves the state kept in `old` (the data folder, where earlier versions
/// kept it) to `new`, once: only when `new` holds none yet. Best effort: a
/// state that cannot be moved stays where it is and a new one starts.
pub fn move_old_state(old: &Path, new: &Path) -> bool {
    let (from, to) = (old.join("batches"), new.join("batches"));
    if old == new || to.exists() || !from.is_dir() {
        return false;
    }
    std::fs::create_dir_all(new).is_ok() && std::fs::rename(&from, &to).is_ok()
}

/// A file's name as raw bytes (on Unix, names need not be UTF-8): two names
/// that differ only in invalid bytes are two files.
/// The key of a file in the state (remembered position, drafts): its name
/// when that is UTF-8, otherwise a NUL (which no file name holds) and the
/// name's bytes in hex, so two names that differ only in invalid bytes never
/// share a key.
pub fn name_key(path: &Path) -> String {
    let raw = raw_name(path);
    match std::str::from_utf8(&raw) {
        Ok(name) => name.to_owned(),
        Err(_) => format!("\0{}", hex(&raw)),
    }
}

pub fn raw_name(path: &Path) -> Vec<u8> {
    let name = path.file_name().unwrap_or_default();
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        name.as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned().into_bytes()
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// One replacement in a text: after `keep` unchanged bytes (counted from the
/// end of the previous edit), `old` becomes `new`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edit {
    pub keep: usize,
    #[serde(default)]
    pub old: String,
    #[serde(default)]
    pub new: String,
}

/// One step of the undo history: what a change did to one record file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    /// The submission's file name, for messages (lossy when not UTF-8).
    pub file_name: String,
    /// The name's raw bytes in hex, when they are not the UTF-8 of `file_name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_name: Option<String>,
    /// sha256 of the record file's bytes before and after the change.
    pub before_sha256: String,
    pub after_sha256: String,
    pub edits: Vec<Edit>,
}

/// Why a step cannot be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepError {
    /// The file is not what the step expects: someone changed it since.
    Changed,
    /// The step does not fit the file it was made from (a damaged state file).
    Damaged,
}

impl Step {
    /// The step that turns `before` into `after` for the submission `path`.
    pub fn new(path: &Path, before: &str, after: &str) -> Step {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let raw = raw_name(path);
        Step {
            raw_name: (raw != file_name.as_bytes()).then(|| hex(&raw)),
            file_name,
            before_sha256: sha256_hex(before.as_bytes()),
            after_sha256: sha256_hex(after.as_bytes()),
            edits: diff(before, after),
        }
    }

    /// True when the step is about the submission with this raw name.
    pub fn is_for(&self, raw: &[u8]) -> bool {
        match &self.raw_name {
            Some(h) => *h == hex(raw),
            None => self.file_name.as_bytes() == raw,
        }
    }

    /// The bytes before the change, from `current` which must be exactly the
    /// bytes after it.
    pub fn undo(&self, current: &str) -> Result<String, StepError> {
        self.apply(current, &self.after_sha256, &self.before_sha256, true)
    }

    /// The bytes after the change, from `current` which must be exactly the
    /// bytes before it.
    pub fn redo(&self, current: &str) -> Result<String, StepError> {
        self.apply(current, &self.before_sha256, &self.after_sha256, false)
    }

    fn apply(
        &self,
        current: &str,
        expect: &str,
        result: &str,
        backwards: bool,
    ) -> Result<String, StepError> {
        if sha256_hex(current.as_bytes()) != expect {
            return Err(StepError::Changed);
        }
        let mut out = String::with_capacity(current.len());
        let mut pos = 0usize;
        for e in &self.edits {
            let (from, to) = if backwards {
                (&e.new, &e.old)
            } else {
                (&e.old, &e.new)
            };
            let keep_end = pos.checked_add(e.keep).ok_or(StepError::Damaged)?;
            let kept = current.get(pos..keep_end).ok_or(StepError::Damaged)?;
            out.push_str(kept);
            let end = keep_end.checked_add(from.len()).ok_or(StepError::Damaged)?;
            if current.get(keep_end..end) != Some(from.as_str()) {
                return Err(StepError::Damaged);
            }
            out.push_str(to);
            pos = end;
        }
        out.push_str(current.get(pos..).ok_or(StepError::Damaged)?);
        if sha256_hex(out.as_bytes()) != result {
            return Err(StepError::Damaged);
        }
        Ok(out)
    }

    /// Roughly what the step costs to keep, in bytes.
    pub fn size(&self) -> usize {
        self.file_name.len()
            + 200
            + self
                .edits
                .iter()
                .map(|e| e.old.len() + e.new.len() + 24)
                .sum::<usize>()
    }
}

/// The edits turning `before` into `after`: a line diff whose changed lines
/// are paired by their TOML key and trimmed to the characters that differ (a
/// one-letter change to a long note stores a letter, not the note).
pub fn diff(before: &str, after: &str) -> Vec<Edit> {
    use similar::DiffTag;
    let a: Vec<&str> = before.split_inclusive('\n').collect();
    let b: Vec<&str> = after.split_inclusive('\n').collect();
    let (oa, ob) = (offsets(&a), offsets(&b));
    // Changed pieces: (start in `before`, old text, new text), in order.
    let mut pieces: Vec<(usize, &str, &str)> = Vec::new();
    let span = |o: &[usize], text: &'_ str, r: std::ops::Range<usize>| -> (usize, usize) {
        let s = o.get(r.start).copied().unwrap_or(text.len());
        let e = o.get(r.end).copied().unwrap_or(text.len());
        (s, e)
    };
    for op in line_ops(&a, &b) {
        let (tag, ra, rb) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        // Within a changed stretch, lines of the same key are paired.
        let ka: Vec<&str> = a
            .get(ra.clone())
            .unwrap_or_default()
            .iter()
            .map(|l| key_of(l))
            .collect();
        let kb: Vec<&str> = b
            .get(rb.clone())
            .unwrap_or_default()
            .iter()
            .map(|l| key_of(l))
            .collect();
        for sub in line_ops(&ka, &kb) {
            let (_, sa, sb) = sub.as_tag_tuple();
            let sa = ra.start + sa.start..ra.start + sa.end;
            let sb = rb.start + sb.start..rb.start + sb.end;
            if sub.as_tag_tuple().0 == DiffTag::Equal {
                for (i, j) in sa.zip(sb) {
                    let (s1, e1) = span(&oa, before, i..i + 1);
                    let (s2, e2) = span(&ob, after, j..j + 1);
                    pieces.push((
                        s1,
                        before.get(s1..e1).unwrap_or_default(),
                        after.get(s2..e2).unwrap_or_default(),
                    ));
                }
            } else {
                let (s1, e1) = span(&oa, before, sa);
                let (s2, e2) = span(&ob, after, sb);
                pieces.push((
                    s1,
                    before.get(s1..e1).unwrap_or_default(),
                    after.get(s2..e2).unwrap_or_default(),
                ));
            }
        }
    }
    let mut edits = Vec::new();
    let mut done = 0usize; // bytes of `before` accounted for
    for (start, old, new) in pieces {
        if old == new {
            continue;
        }
        let (p, s) = common_ends(old, new);
        let at = start + p;
        edits.push(Edit {
            keep: at.saturating_sub(done),
            old: old.get(p..old.len() - s).unwrap_or_default().to_owned(),
            new: new.get(p..new.len() - s).unwrap_or_default().to_owned(),
        });
        done = start + old.len() - s;
    }
    edits
}

fn offsets(lines: &[&str]) -> Vec<usize> {
    let mut v = Vec::with_capacity(lines.len() + 1);
    let mut at = 0;
    v.push(0);
    for l in lines {
        at += l.len();
        v.push(at);
    }
    v
}

fn line_ops(a: &[&str], b: &[&str]) -> Vec<similar::DiffOp> {
    let deadline = std::time::Instant::now().checked_add(std::time::Duration::from_millis(200));
    similar::capture_diff_slices_deadline(similar::Algorithm::Myers, a, b, deadline)
}

/// What a line sets (`note` in `note = "..."`), or the line itself.
fn key_of(line: &str) -> &str {
    match line.split_once('=') {
        Some((k, _)) if k.len() < 100 => k.trim(),
        _ => line,
    }
}

/// Lengths in bytes of the common prefix and suffix of two texts, on
/// character boundaries and not overlapping.
fn common_ends(a: &str, b: &str) -> (usize, usize) {
    let p: usize = a
        .chars()
        .zip(b.chars())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    let (ra, rb) = (
        a.get(p..).unwrap_or_default(),
        b.get(p..).unwrap_or_default(),
    );
    let s: usize = ra
        .chars()
        .rev()
        .zip(rb.chars().rev())
        .take_while(|(x, y)| x == y)
        .map(|(x, _)| x.len_utf8())
        .sum();
    (p, s)
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchState {
    /// The submission the officer was on.
    #[serde(default)]
    pub position: Option<String>,
    #[serde(default)]
    pub undo: Vec<Step>,
    #[serde(default)]
    pub redo: Vec<Step>,
    /// Note text typed but not saved, by submission file name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub drafts: BTreeMap<String, String>,
}

impl BatchState {
    /// Drops the oldest steps beyond [`HISTORY_LIMIT`] and [`HISTORY_BYTES`]
    /// (redo steps first: they are the furthest from the present).
    pub fn bound(&mut self) {
        let excess = self.undo.len().saturating_sub(HISTORY_LIMIT);
        self.undo.drain(..excess);
        let excess = self.redo.len().saturating_sub(HISTORY_LIMIT);
        self.redo.drain(..excess);
        let mut total: usize = self.undo.iter().chain(&self.redo).map(Step::size).sum();
        // The redo stack's top is its last; its oldest-in-time is its last too
        // (the most recently undone is the next to redo): drop from the front.
        while total > HISTORY_BYTES && !self.redo.is_empty() {
            total -= self.redo.remove(0).size();
        }
        while total > HISTORY_BYTES && !self.undo.is_empty() {
            total -= self.undo.remove(0).size();
        }
        while self.drafts.len() > MAX_DRAFTS {
            self.drafts.pop_first();
        }
    }
}

/// Reads and writes the state of one batch.
#[derive(Debug)]
pub struct StateStore {
    file: PathBuf,
    /// Held while this instance owns the batch's history; another instance
    /// of casetag on the same batch keeps its history to itself.
    lock: Option<File>,
}

/// Whether this instance may keep the batch's state (history, drafts).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    Claimed,
    /// Another casetag has the batch open and keeps its state.
    Held,
    /// The state folder cannot be used; the reason.
    Unusable(String),
}

impl StateStore {
    /// The store for the batch in `batch_dir`, under `state_dir`.
    pub fn new(state_dir: &Path, batch_dir: &Path) -> StateStore {
        let canonical = batch_dir
            .canonicalize()
            .unwrap_or_else(|_| batch_dir.to_path_buf());
        let key = sha256_hex(canonical.as_os_str().as_encoded_bytes());
        let short = key.get(..16).unwrap_or(&key);
        StateStore {
            file: state_dir.join("batches").join(format!("{short}.toml")),
            lock: None,
        }
    }

    pub fn path(&self) -> &Path {
        &self.file
    }

    /// Takes the batch's history for this instance. [`Claim::Held`] when
    /// another casetag holds it (that one's history is then neither read nor
    /// written here), [`Claim::Unusable`] with the reason when the state
    /// folder cannot be used. Also removes temporary files a crashed run left.
    pub fn claim(&mut self) -> Claim {
        let Some(dir) = self.file.parent() else {
            return Claim::Unusable(format!("{} has no folder", self.file.display()));
        };
        if let Err(e) = std::fs::create_dir_all(dir) {
            return Claim::Unusable(format!("the state folder {}: {e}", dir.display()));
        }
        let _ = clean_temp_files_older_than(dir, STALE_TEMP_AGE);
        let lock_path = self.file.with_extension("lock");
        let file = match open_regular(&lock_path, true) {
            Ok(f) => f,
            Err(e) => {
                return Claim::Unusable(format!("{}: {e}", lock_path.display()));
            }
        };
        match file.try_lock() {
            Ok(()) => {
                self.lock = Some(file);
                Claim::Claimed
            }
            Err(std::fs::TryLockError::WouldBlock) => Claim::Held,
            Err(std::fs::TryLockError::Error(e)) => {
                Claim::Unusable(format!("{}: {e}", lock_path.display()))
            }
        }
    }

    /// The saved state. A missing file gives an empty state; an unreadable,
    /// damaged, oversized or non-regular one too, with a message saying so (it
    /// only holds conveniences, never the officer's work).
    pub fn load(&self) -> (BatchState, Option<String>) {
        let bytes = match read_regular(&self.file, MAX_STATE_BYTES) {
            Ok(Some(b)) => b,
            Ok(None) => return (BatchState::default(), None),
            Err(why) => return (BatchState::default(), Some(self.warning(&why.to_string()))),
        };
        let parsed = std::str::from_utf8(&bytes)
            .map_err(|e| e.to_string())
            .and_then(|t| toml::from_str::<BatchState>(t).map_err(|e| e.message().to_owned()));
        match parsed {
            Ok(mut state) => {
                state.bound();
                (state, None)
            }
            Err(why) => (BatchState::default(), Some(self.warning(&why))),
        }
    }

    fn warning(&self, why: &str) -> String {
        format!(
            "undo history not read ({}: {why}); starting without it",
            self.file.display()
        )
    }

    /// Writes the state atomically, bounded; only while [`StateStore::claim`]ed.
    pub fn save(&self, state: &BatchState) -> io::Result<()> {
        if self.lock.is_none() {
            return Ok(());
        }
        let mut state = state.clone();
        state.bound();
        let text = bounded_text(&mut state, MAX_STATE_BYTES)?;
        write_atomic(&self.file, text.as_bytes())
    }
}

/// The TOML text of `state`, at most `limit` bytes: the oldest undo steps,
/// then the furthest redo steps, are dropped until it fits.
fn bounded_text(state: &mut BatchState, limit: u64) -> io::Result<String> {
    loop {
        let text = toml::to_string(&*state).map_err(io::Error::other)?;
        let len = u64::try_from(text.len()).unwrap_or(u64::MAX);
        if len <= limit {
            return Ok(text);
        }
        // Drop at least the excess in step text (escaping only adds to it).
        let mut excess = len - limit;
        while excess > 0 {
            let step = if state.undo.is_empty() {
                if state.redo.is_empty() {
                    return Err(io::Error::other(
                        "the state is too large even without its history",
                    ));
                }
                state.redo.remove(0)
            } else {
                state.undo.remove(0)
            };
            excess = excess.saturating_sub(u64::try_from(step.size()).unwrap_or(u64::MAX).max(1));
        }
    }
}

/// Opens `path` without following a final link and without blocking on a
/// FIFO; refuses anything but a regular file.
fn open_regular(path: &Path, create: bool) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    if create {
        options.write(true).create(true).truncate(false);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::other("is not a regular file"));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_old_state_folder_is_moved_once() {
        let home = tempfile::tempdir().expect("home");
        let (old, new) = (home.path().join("data"), home.path().join("state"));
        std::fs::create_dir_all(old.join("batches")).expect("mkdir");
        std::fs::write(old.join("batches/abc.toml"), "x = 1").expect("write");
        assert!(move_old_state(&old, &new));
        assert_eq!(
            std::fs::read_to_string(new.join("batches/abc.toml")).expect("moved"),
            "x = 1"
        );
        // once: a state in the new place is never replaced
        std::fs::create_dir_all(old.join("batches")).expect("mkdir");
        assert!(!move_old_state(&old, &new));
    }

    #[test]
    fn a_state_folder_that_is_a_file_is_unusable_not_held() {
        let home = tempfile::tempdir().expect("home");
        let state = home.path().join("state");
        std::fs::write(&state, "x").expect("write");
        let mut store = StateStore::new(&state, home.path());
        match store.claim() {
            Claim::Unusable(why) => assert!(why.contains("state"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    fn step(i: usize) -> Step {
        Step::new(
            Path::new(&format!("f{i}.md")),
            "",
            &format!("submission = \"f{i}.md\"\n"),
        )
    }

    #[test]
    fn state_round_trips_and_is_bounded() {
        let tmp = tempfile::tempdir().expect("tmp");
        let batch = tmp.path().join("batch");
        std::fs::create_dir(&batch).expect("mkdir");
        let mut store = StateStore::new(&tmp.path().join("state"), &batch);
        assert_eq!(store.claim(), Claim::Claimed);
        assert_eq!(store.load(), (BatchState::default(), None));
        let state = BatchState {
            position: Some("b.md".into()),
            undo: (0..HISTORY_LIMIT + 5).map(step).collect(),
            redo: vec![step(1)],
            ..BatchState::default()
        };
        store.save(&state).expect("save");
        let (back, warning) = store.load();
        assert_eq!(warning, None);
        assert_eq!(back.position.as_deref(), Some("b.md"));
        assert_eq!(back.undo.len(), HISTORY_LIMIT);
        // the oldest steps are dropped
        assert_eq!(back.undo[0].file_name, "f5.md");
        assert_eq!(back.redo, vec![step(1)]);
        assert!(store.path().starts_with(tmp.path().join("state")));
    }

    #[test]
    fn a_step_undoes_and_redoes_exact_bytes_only() {
        let before = "submission = \"a.md\"\n# a comment\nnote = \"x\"\nextra = 1\n";
        let after =
            "submission = \"a.md\"\ndecision = \"decline\"\n# a comment\nnote = \"y\"\nextra = 1\n";
        let s = Step::new(Path::new("a.md"), before, after);
        assert_eq!(s.undo(after).as_deref(), Ok(before));
        assert_eq!(s.redo(before).as_deref(), Ok(after));
        // anything else on disk: refused, whatever it is
        assert_eq!(s.undo(before), Err(StepError::Changed));
        assert_eq!(s.undo(&format!("{after} ")), Err(StepError::Changed));
        assert_eq!(s.redo(after), Err(StepError::Changed));
        // a damaged step is caught, never half applied
        let mut bad = s.clone();
        bad.edits[0].keep += 3;
        assert_eq!(bad.undo(after), Err(StepError::Damaged));
        bad.edits[0].keep = usize::MAX;
        assert_eq!(bad.undo(after), Err(StepError::Damaged));
    }

    #[test]
    fn a_small_change_to_a_large_record_stores_a_small_step() {
        let note = "word ".repeat(200_000); // 1 MB
        let before = format!("submission = \"a.md\"\nnote = \"{note}\"\nreviewed_at = \"1\"\n");
        let after = format!(
            "submission = \"a.md\"\ndecision = \"approve\"\nnote = \"{note}!\"\nreviewed_at = \"2\"\n"
        );
        let s = Step::new(Path::new("a.md"), &before, &after);
        assert!(s.size() < 1000, "{}", s.size());
        assert_eq!(s.undo(&after).as_deref(), Ok(before.as_str()));
        assert_eq!(s.redo(&before).as_deref(), Ok(after.as_str()));
    }

    #[test]
    fn history_is_bounded_in_bytes() {
        let big = "x".repeat(HISTORY_BYTES / 4);
        let mut state = BatchState::default();
        for i in 0..10 {
            state
                .undo
                .push(Step::new(Path::new("a.md"), "", &format!("{i}{big}")));
        }
        state.bound();
        let total: usize = state.undo.iter().map(Step::size).sum();
        assert!(total <= HISTORY_BYTES, "{total}");
        assert!(state.undo.len() >= 3);
        // the newest is kept
        assert!(
            state
                .undo
                .last()
                .is_some_and(|s| s.edits[0].new.starts_with('9'))
        );
    }

    #[test]
    fn names_differing_in_invalid_bytes_are_two_files() {
        #[cfg(unix)]
        {
            use std::ffi::OsStr;
            use std::os::unix::ffi::OsStrExt;
            let a = Path::new(OsStr::from_bytes(b"a\xff.md"));
            let b = Path::new(OsStr::from_bytes(b"a\xfe.md"));
            let s = Step::new(a, "", "x\n");
            assert!(s.is_for(&raw_name(a)));
            assert!(!s.is_for(&raw_name(b)));
            let text = toml::to_string(&s).expect("toml");
            let back: Step = toml::from_str(&text).expect("parse");
            assert!(back.is_for(&raw_name(a)) && !back.is_for(&raw_name(b)));
        }
        let s = step(1);
        assert!(s.raw_name.is_none());
        assert!(s.is_for(b"f1.md"));
    }

    #[test]
    fn a_damaged_or_strange_state_file_starts_empty_and_says_so() {
        let tmp = tempfile::tempdir().expect("tmp");
        let batch = tmp.path().join("batch");
        std::fs::create_dir(&batch).expect("mkdir");
        let mut store = StateStore::new(&tmp.path().join("state"), &batch);
        assert_eq!(store.claim(), Claim::Claimed);
        std::fs::write(store.path(), "undo = [{ file_name = 3 }]\n\u{0}").expect("write");
        let (state, warning) = store.load();
        assert_eq!(state, BatchState::default());
        assert!(warning.is_some_and(|w| w.contains("undo history not read")));
    }

    #[test]
    fn a_second_instance_neither_reads_nor_writes_the_history() {
        let tmp = tempfile::tempdir().expect("tmp");
        let batch = tmp.path().join("batch");
        std::fs::create_dir(&batch).expect("mkdir");
        let mut first = StateStore::new(&tmp.path().join("state"), &batch);
        let mut second = StateStore::new(&tmp.path().join("state"), &batch);
        assert_eq!(first.claim(), Claim::Claimed);
        assert_eq!(second.claim(), Claim::Held);
        let state = BatchState {
            position: None,
            undo: vec![step(1)],
            ..BatchState::default()
        };
        first.save(&state).expect("save");
        second.save(&BatchState::default()).expect("save");
        assert_eq!(first.load().0, state);
        // temporary leftovers are cleaned when the history is claimed
        let dir = first.path().parent().expect("dir").to_path_buf();
        let leftover = std::fs::File::create(dir.join(".casetag-tmp-x")).expect("create");
        let an_hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
        leftover.set_modified(an_hour_ago).expect("age it");
        drop(leftover);
        drop(first);
        // (a process spawned by a test running beside this one may hold the
        // lock for the instant between its fork and its exec)
        let start = std::time::Instant::now();
        while second.claim() != Claim::Claimed {
            assert!(start.elapsed().as_secs() < 5, "never released");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(!dir.join(".casetag-tmp-x").exists());
    }

    fn sized_step(name: &str, size: usize) -> Step {
        Step::new(Path::new(name), "", &"x".repeat(size))
    }

    #[test]
    fn the_state_text_is_bounded_in_bytes_dropping_the_oldest_steps() {
        let mut state = BatchState {
            position: Some("a.md".into()),
            undo: (0..10)
                .map(|i| sized_step(&format!("u{i}"), 1000))
                .collect(),
            redo: vec![sized_step("r", 1000)],
            ..BatchState::default()
        };
        let text = bounded_text(&mut state, 4000).expect("fits");
        assert!(text.len() <= 4000, "{}", text.len());
        // The newest steps are kept: the oldest went first, redo stays.
        assert_eq!(state.redo.len(), 1);
        let kept: Vec<&str> = state.undo.iter().map(|s| s.file_name.as_str()).collect();
        assert_eq!(kept, ["u8", "u9"]);
        assert_eq!(
            toml::from_str::<BatchState>(&text).ok(),
            Some(state.clone())
        );
        // Small enough already: nothing is dropped.
        let before = state.clone();
        let again = bounded_text(&mut state, 4000).expect("fits");
        assert_eq!((state, again), (before, text));
        // A position alone longer than the limit cannot be made to fit.
        let mut huge = BatchState {
            position: Some("p".repeat(100)),
            ..BatchState::default()
        };
        assert!(bounded_text(&mut huge, 50).is_err());
    }

    #[test]
    fn loading_removes_stale_temporary_files_and_spares_recent_ones() {
        let tmp = tempfile::tempdir().expect("tmp");
        let batch = tmp.path().join("batch");
        std::fs::create_dir(&batch).expect("mkdir");
        let mut store = StateStore::new(&tmp.path().join("state"), &batch);
        assert_eq!(store.claim(), Claim::Claimed);
        store.save(&BatchState::default()).expect("save");
        let dir = store.path().parent().expect("folder").to_path_buf();
        let stale = dir.join(format!("{}old", crate::fs::TEMP_PREFIX));
        let recent = dir.join(format!("{}new", crate::fs::TEMP_PREFIX));
        std::fs::write(&recent, "half").expect("write");
        let f = std::fs::File::create(&stale).expect("create");
        let an_hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
        f.set_modified(an_hour_ago).expect("age it");
        drop(f);
        drop(store);
        let mut store = StateStore::new(&tmp.path().join("state"), &batch);
        assert_eq!(store.claim(), Claim::Claimed);
        assert_eq!(store.load(), (BatchState::default(), None));
        assert!(!stale.exists(), "a crashed run's leftover is removed");
        assert!(recent.exists(), "a write in progress is left alone");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_at_the_state_path_is_not_opened() {
        let tmp = tempfile::tempdir().expect("tmp");
        let batch = tmp.path().join("batch");
        std::fs::create_dir(&batch).expect("mkdir");
        let store = StateStore::new(&tmp.path().join("state"), &batch);
        let dir = store.path().parent().expect("folder");
        std::fs::create_dir_all(dir).expect("mkdir");
        let status = std::process::Command::new("mkfifo")
            .arg(store.path())
            .status();
        assert!(status.is_ok_and(|s| s.success()), "mkfifo failed");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(store.load().0);
        });
        let loaded = rx.recv_timeout(Duration::from_secs(10));
        assert_eq!(loaded.ok(), Some(BatchState::default()), "load hung");
    }
}
