//! Records: the officer's work on one submission, `NAME.review.toml` beside
//! `NAME.md` or `NAME.txt` (or any other submission format).
//!
//! A [`Record`] holds the field values exactly as stored (ids are never dropped,
//! even unknown ones); [`validate`] says what is wrong with them against the
//! taxonomy. [`RecordFile`] is a record as it is on disk: it remembers the bytes
//! it read so that a save never replaces someone else's change, and it writes
//! atomically (see [`crate::fs`]).
//!
//! - `types`: [`Decision`], [`Record`] and its TOML form (unknown keys kept);
//! - `validate`: the rules a record must keep (approve needs a complete tagging, needs-info a note);
//! - `merge`: [`merge`], records merged field by field, and their `[conflict]` table;
//! - `copies`: [`conflict_copy_of`], the conflict copies cloud-synced folders leave;
//! - `file`: [`RecordFile`] (load, save without overwriting a change, reload).

mod copies;
mod corrections;
mod file;
mod merge;
mod types;
mod validate;

#[cfg(test)]
mod testing;
#[cfg(test)]
mod tests;

pub use crate::fs::{TEMP_PREFIX, clean_temp_files, write_atomic, write_atomic_with_hook};
pub use copies::{ConflictCopy, SyncService, conflict_copy_of};
pub use corrections::{CORRECTIONS_KEY, Corrections};
pub use file::{RecordFile, SaveError, record_path_for, sha256_hex};
pub use merge::{
    CONFLICT_FIELDS, CONFLICT_KEY, FieldConflict, FieldValue, Merged, Pick, Side, merge,
};
pub use types::{Decision, ParsedRecord, Record};
pub use validate::{Invalid, missing_for_approval, validate};

/// The largest record file casetag reads.
pub const MAX_RECORD_BYTES: u64 = 1024 * 1024;

/// The keys casetag knows, in the order it writes them.
pub const KNOWN_KEYS: [&str; 11] = [
    "submission",
    "submission_sha256",
    "decision",
    "primary_category",
    "categories",
    "principles",
    "values",
    "note",
    "reviewer",
    "reviewed_at",
    "seconds_spent",
];
