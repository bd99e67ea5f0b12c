//! What the app remembers of this batch between sittings, under one owner:
//! the undo history, the note drafts and the position, the store they are
//! kept in, and why they are not kept when they cannot be.

use std::path::Path;

use crate::session::{BatchState, Claim, StateStore, Step, name_key};

/// The sitting's remembered state and where it goes.
#[derive(Debug, Default)]
pub struct Session {
    state: BatchState,
    store: Option<StateStore>,
    /// Why the state is not kept on disk, when it is not: drafts then last
    /// this sitting only, and quitting with one asks.
    unkept: Option<String>,
}

impl Session {
    /// Opens the state of the batch in `batch_dir`, kept in `state_dir`
    /// (`None` keeps nothing, by design). The warning says why what is read
    /// is not all there is or will not be kept.
    pub fn open(state_dir: Option<&Path>, batch_dir: &Path) -> (Session, Option<String>) {
        let mut store = state_dir.map(|d| StateStore::new(d, batch_dir));
        let claim = store.as_mut().map_or(Claim::Claimed, StateStore::claim);
        let (state, warning) = match (&store, &claim) {
            (Some(s), Claim::Claimed) => s.load(),
            // Another casetag has this batch open: its history stays its own,
            // so neither undoes the other's steps nor overwrites its state.
            (Some(_), Claim::Held) => (
                BatchState::default(),
                Some(
                    "another casetag has this folder open: undo and note drafts here last this sitting only"
                        .to_owned(),
                ),
            ),
            (Some(_), Claim::Unusable(why)) => (
                BatchState::default(),
                Some(format!(
                    "state cannot be kept ({why}): undo and note drafts last this sitting only"
                )),
            ),
            (None, _) => (BatchState::default(), None),
        };
        let unkept = match claim {
            Claim::Claimed => None,
            Claim::Held => Some("another casetag has this folder open".to_owned()),
            Claim::Unusable(why) => Some(why),
        };
        (
            Session {
                state,
                store,
                unkept,
            },
            warning,
        )
    }

    /// Why drafts and history are not kept on disk, when they are not.
    pub fn unkept(&self) -> Option<&str> {
        self.unkept.as_deref()
    }

    /// Where the officer was when the batch was last left.
    pub fn position(&self) -> Option<&str> {
        self.state.position.as_deref()
    }

    pub fn set_position(&mut self, position: Option<String>) {
        self.state.position = position;
    }

    /// The kept draft of the note of the submission at `path`.
    pub fn draft(&self, path: &Path) -> Option<&str> {
        self.state.drafts.get(&name_key(path)).map(String::as_str)
    }

    pub fn set_draft(&mut self, path: &Path, text: String) {
        self.state.drafts.insert(name_key(path), text);
    }

    pub fn take_draft(&mut self, path: &Path) -> Option<String> {
        self.state.drafts.remove(&name_key(path))
    }

    /// How many note drafts are kept.
    pub fn drafts(&self) -> usize {
        self.state.drafts.len()
    }

    pub fn can_undo(&self) -> bool {
        !self.state.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.state.redo.is_empty()
    }

    /// A new change: its step is undoable, and what was undone is no longer
    /// redoable.
    pub fn record(&mut self, step: Step) {
        self.state.undo.push(step);
        self.state.redo.clear();
        self.state.bound();
    }

    /// The last undo (or redo) step, taken off its stack.
    pub fn pop(&mut self, undo: bool) -> Option<Step> {
        if undo {
            self.state.undo.pop()
        } else {
            self.state.redo.pop()
        }
    }

    /// Puts a step on the undo (or redo) stack.
    pub fn push(&mut self, undo: bool, step: Step) {
        if undo {
            self.state.undo.push(step);
        } else {
            self.state.redo.push(step);
        }
    }

    /// Drops every step of the record whose submission's raw name is `raw`;
    /// returns how many were dropped.
    pub fn forget_steps_for(&mut self, raw: &[u8]) -> usize {
        let before = self.state.undo.len() + self.state.redo.len();
        self.state.undo.retain(|st| !st.is_for(raw));
        self.state.redo.retain(|st| !st.is_for(raw));
        before - self.state.undo.len() - self.state.redo.len()
    }

    /// Saves position, drafts and history. Failing to keep them interrupts
    /// nothing, but what is said of drafts from then on follows it.
    pub fn persist(&mut self) {
        if let Some(store) = &self.store
            && let Err(e) = store.save(&self.state)
        {
            self.unkept = Some(format!("{}: {e}", store.path().display()));
        }
    }
}
