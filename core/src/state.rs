//! What casetag remembers between sittings, kept in the platform's data folder
//! (never inside the batch): where the officer was in each batch, and the undo
//! history of each batch.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::record::write_atomic;

/// The undo history kept per batch is bounded to this many steps.
pub const HISTORY_LIMIT: usize = 200;

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

    /// The saved state; a missing or unreadable file gives an empty state (it
    /// only holds conveniences, never the officer's work).
    pub fn load(&self) -> BatchState {
        std::fs::read_to_string(&self.file)
            .ok()
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
        let text = toml::to_string(&state).map_err(std::io::Error::other)?;
        write_atomic(&self.file, text.as_bytes())
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
}
