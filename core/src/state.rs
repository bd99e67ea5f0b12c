//! What casetag remembers between sittings, kept in the platform's data folder
//! (never inside the batch): where the officer was in each batch, and the undo
//! history of each batch.
//!
//! A state file is handled like a record: read only when it is a regular file
//! within [`MAX_STATE_BYTES`], written atomically and never larger than that
//! limit (the oldest steps make room), and the temporary files a crash left
//! in its folder are removed when it is read.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::fs::{clean_temp_files_older_than, read_regular, write_atomic};

/// The undo history kept per batch is bounded to this many steps.
pub const HISTORY_LIMIT: usize = 200;

/// The largest state file casetag reads or writes.
pub const MAX_STATE_BYTES: u64 = 64 * 1024 * 1024;

/// Temporary files in the state folder younger than this may be another
/// running instance's write in progress, and are left alone.
const STALE_TEMP_AGE: Duration = Duration::from_secs(60);

/// The folder casetag keeps its state in.
pub fn default_state_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "casetag").map(|d| d.data_dir().to_path_buf())
}

/// One step of the undo history: a record before and after a change, as TOML
/// text so that unknown keys survive an undo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub file_name: String,
    pub before: String,
    pub after: String,
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
}

/// Reads and writes the state of one batch.
#[derive(Debug, Clone)]
pub struct StateStore {
    file: PathBuf,
}

impl StateStore {
    /// The store for the batch in `batch_dir`, under `state_dir`.
    pub fn new(state_dir: &Path, batch_dir: &Path) -> StateStore {
        let canonical = batch_dir
            .canonicalize()
            .unwrap_or_else(|_| batch_dir.to_path_buf());
        let key = crate::record::sha256_hex(canonical.to_string_lossy().as_bytes());
        let short = key.get(..16).unwrap_or(&key);
        StateStore {
            file: state_dir.join("batches").join(format!("{short}.toml")),
        }
    }

    pub fn path(&self) -> &Path {
        &self.file
    }

    /// The saved state; a missing or unreadable file, or one that is not a
    /// regular file or is too large, gives an empty state (it only holds
    /// conveniences, never the officer's work). Stale temporary files of
    /// earlier runs are removed from the folder first.
    pub fn load(&self) -> BatchState {
        if let Some(dir) = self.file.parent() {
            let _ = clean_temp_files_older_than(dir, STALE_TEMP_AGE);
        }
        read_regular(&self.file, MAX_STATE_BYTES)
            .ok()
            .flatten()
            .and_then(|b| String::from_utf8(b).ok())
            .and_then(|t| toml::from_str(&t).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, state: &BatchState) -> std::io::Result<()> {
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut state = state.clone();
        let excess = state.undo.len().saturating_sub(HISTORY_LIMIT);
        state.undo.drain(..excess);
        let excess = state.redo.len().saturating_sub(HISTORY_LIMIT);
        state.redo.drain(..excess);
        let text = bounded_text(&mut state, MAX_STATE_BYTES)?;
        write_atomic(&self.file, text.as_bytes())
    }
}

/// The TOML text of `state`, at most `limit` bytes: the oldest undo steps,
/// then the furthest redo steps, are dropped until it fits.
fn bounded_text(state: &mut BatchState, limit: u64) -> std::io::Result<String> {
    loop {
        let text = toml::to_string(&*state).map_err(std::io::Error::other)?;
        let len = u64::try_from(text.len()).unwrap_or(u64::MAX);
        if len <= limit {
            return Ok(text);
        }
        // Drop at least the excess in step text (escaping only adds to it).
        let mut excess = len - limit;
        while excess > 0 {
            let step = if state.undo.is_empty() {
                if state.redo.is_empty() {
                    return Err(std::io::Error::other(
                        "the state is too large even without its history",
                    ));
                }
                state.redo.remove(0)
            } else {
                state.undo.remove(0)
            };
            let size = step.file_name.len() + step.before.len() + step.after.len();
            excess = excess.saturating_sub(u64::try_from(size).unwrap_or(u64::MAX).max(1));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_and_is_bounded() {
        let tmp = tempfile::tempdir().expect("tmp");
        let batch = tmp.path().join("batch");
        std::fs::create_dir(&batch).expect("mkdir");
        let store = StateStore::new(&tmp.path().join("state"), &batch);
        assert_eq!(store.load(), BatchState::default());
        let step = |i: usize| Step {
            file_name: format!("f{i}.md"),
            before: String::new(),
            after: format!("submission = \"f{i}.md\"\n"),
        };
        let state = BatchState {
            position: Some("b.md".into()),
            undo: (0..HISTORY_LIMIT + 5).map(step).collect(),
            redo: vec![step(1)],
        };
        store.save(&state).expect("save");
        let back = store.load();
        assert_eq!(back.position.as_deref(), Some("b.md"));
        assert_eq!(back.undo.len(), HISTORY_LIMIT);
        // the oldest steps are dropped
        assert_eq!(back.undo[0].file_name, "f5.md");
        assert_eq!(back.redo, vec![step(1)]);
        assert!(store.path().starts_with(tmp.path().join("state")));
    }

    fn step(name: &str, size: usize) -> Step {
        Step {
            file_name: name.to_owned(),
            before: String::new(),
            after: "x".repeat(size),
        }
    }

    #[test]
    fn the_state_text_is_bounded_in_bytes_dropping_the_oldest_steps() {
        let mut state = BatchState {
            position: Some("a.md".into()),
            undo: (0..10).map(|i| step(&format!("u{i}"), 1000)).collect(),
            redo: vec![step("r", 1000)],
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
        let store = StateStore::new(&tmp.path().join("state"), &batch);
        store.save(&BatchState::default()).expect("save");
        let dir = store.path().parent().expect("folder").to_path_buf();
        let stale = dir.join(format!("{}old", crate::fs::TEMP_PREFIX));
        let recent = dir.join(format!("{}new", crate::fs::TEMP_PREFIX));
        std::fs::write(&recent, "half").expect("write");
        let f = std::fs::File::create(&stale).expect("create");
        let an_hour_ago = std::time::SystemTime::now() - Duration::from_secs(3600);
        f.set_modified(an_hour_ago).expect("age it");
        drop(f);
        assert_eq!(store.load(), BatchState::default());
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
        let s = store.clone();
        std::thread::spawn(move || {
            let _ = tx.send(s.load());
        });
        let loaded = rx.recv_timeout(Duration::from_secs(10));
        assert_eq!(loaded.ok(), Some(BatchState::default()), "load hung");
    }
}
