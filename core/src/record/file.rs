//! A record as it is on disk: [`RecordFile`] loads, saves (never over someone
//! else's change) and reloads.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::{MAX_RECORD_BYTES, Record, validate};
use crate::fs::{self, ReadError, Swapped, write_atomic_if_unchanged};
use crate::problem::Problem;
use crate::taxonomy::Taxonomy;

/// The record path for a submission path: the same folder,
/// `NAME.review.toml` where NAME is the file name without its last extension.
pub fn record_path_for(submission_path: &Path) -> PathBuf {
    let mut name = submission_path
        .file_stem()
        .unwrap_or_default()
        .to_os_string();
    name.push(".review.toml");
    submission_path.with_file_name(name)
}

/// Lower-case hex sha256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Reads a record file through [`fs::read_in_folder`] (a link leading out of
/// the batch folder is never followed): `Ok(None)` when nothing exists at
/// `path`; `Err` holds the message.
fn read_regular(path: &Path) -> Result<Option<Vec<u8>>, String> {
    fs::read_in_folder(path, MAX_RECORD_BYTES).map_err(|e| match e {
        ReadError::Link(why) => why,
        ReadError::NotRegular(_) => "is not a regular file".to_owned(),
        ReadError::TooLarge { .. } => format!(
            "is larger than the {} KiB limit for a record",
            MAX_RECORD_BYTES / 1024
        ),
        ReadError::Io(e) => format!("cannot read: {e}"),
    })
}

/// A record as it is on disk, tracking the bytes read so that a write never
/// replaces someone else's change.
#[derive(Debug, Clone)]
pub struct RecordFile {
    pub path: PathBuf,
    pub record: Record,
    /// The bytes on disk when last read or written; `None`: no file existed.
    pub disk_bytes: Option<Vec<u8>>,
    /// The 1-based line and column of each top-level key in `disk_bytes`.
    pub positions: BTreeMap<String, (usize, usize)>,
    /// Wrong types etc. found by [`Record::parse`] in `disk_bytes`.
    pub load_problems: Vec<Problem>,
}

impl RecordFile {
    /// A fresh, unsaved record for a submission that has none.
    pub fn new(path: PathBuf, submission_file_name: &str) -> RecordFile {
        RecordFile {
            path,
            record: Record::new(submission_file_name),
            disk_bytes: None,
            positions: BTreeMap::new(),
            load_problems: Vec::new(),
        }
    }

    /// Reads a record file: `Ok(None)` when it does not exist. Not a regular
    /// file, unreadable, over [`MAX_RECORD_BYTES`], bad UTF-8 or not TOML:
    /// `Err` naming the file (and line:col where known).
    pub fn load(path: &Path) -> Result<Option<RecordFile>, Problem> {
        let Some(bytes) = read_regular(path).map_err(|m| Problem::file(path, m))? else {
            return Ok(None);
        };
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            let lossy = String::from_utf8_lossy(&bytes);
            Problem::at_offset(path, &lossy, e.valid_up_to(), "not valid UTF-8")
        })?;
        let parsed = Record::parse(text, path)?;
        Ok(Some(RecordFile {
            path: path.to_path_buf(),
            record: parsed.record,
            disk_bytes: Some(bytes),
            positions: parsed.positions,
            load_problems: parsed.problems,
        }))
    }

    /// [`validate`] mapped to positioned problems (at the field's key when the
    /// file has it, else the path only), after the problems found on loading.
    pub fn problems(&self, taxonomy: &Taxonomy) -> Vec<Problem> {
        let mut out = self.load_problems.clone();
        for inv in validate(&self.record, taxonomy) {
            out.push(match self.positions.get(inv.field) {
                Some(&(line, col)) => Problem::at(&self.path, line, col, inv.message),
                None => Problem::file(&self.path, inv.message),
            });
        }
        out
    }

    /// Writes `self.record` atomically, refusing with [`SaveError::Conflict`]
    /// when the file's current bytes differ from `disk_bytes` (including when
    /// it appeared or vanished). On success `disk_bytes` holds the new bytes.
    pub fn save(&mut self) -> Result<(), SaveError> {
        self.save_with_hook(&mut |_| Ok(()))
    }

    /// [`RecordFile::save`] with a hook called after the temporary file is
    /// written and synced, before the rename (for fault-injection tests).
    pub fn save_with_hook(
        &mut self,
        before_rename: &mut dyn FnMut(&Path) -> io::Result<()>,
    ) -> Result<(), SaveError> {
        let text = self.record.to_toml();
        if self.disk_bytes.as_deref() == Some(text.as_bytes()) {
            return self.check_unchanged();
        }
        self.write_checked(&text, before_rename)?;
        self.record.forget_overridden();
        self.set_disk_text(text);
        Ok(())
    }

    /// Replaces the file with exactly `text` (an undo or redo), under the same
    /// check as [`RecordFile::save`]; the record becomes what `text` says.
    pub fn replace_text(&mut self, text: String) -> Result<(), SaveError> {
        let parsed = Record::parse(&text, &self.path).map_err(|p| SaveError::NotARecord {
            path: self.path.clone(),
            problem: Box::new(p),
        })?;
        self.write_checked(&text, &mut |_| Ok(()))?;
        self.record = parsed.record;
        self.set_disk_text(text);
        Ok(())
    }

    fn set_disk_text(&mut self, text: String) {
        match Record::parse(&text, &self.path) {
            Ok(parsed) => {
                self.positions = parsed.positions;
                self.load_problems = parsed.problems;
            }
            Err(p) => {
                self.positions.clear();
                self.load_problems = vec![p];
            }
        }
        self.disk_bytes = Some(text.into_bytes());
    }

    /// `Ok` when the file on disk is still `disk_bytes`, else why not.
    fn check_unchanged(&self) -> Result<(), SaveError> {
        match read_regular(&self.path) {
            Ok(current) if current == self.disk_bytes => Ok(()),
            Ok(Some(current)) => {
                let parses = std::str::from_utf8(&current)
                    .is_ok_and(|t| toml_edit::Document::parse(t).is_ok());
                Err(if parses {
                    SaveError::Conflict {
                        path: self.path.clone(),
                    }
                } else {
                    SaveError::Unparsable {
                        path: self.path.clone(),
                    }
                })
            }
            Ok(None) => Err(SaveError::Conflict {
                path: self.path.clone(),
            }),
            Err(message) => Err(SaveError::Unreadable {
                path: self.path.clone(),
                message: message.to_string(),
            }),
        }
    }

    /// Writes `text` over the file only if the file is still `disk_bytes`.
    fn write_checked(
        &self,
        text: &str,
        before_rename: &mut dyn FnMut(&Path) -> io::Result<()>,
    ) -> Result<(), SaveError> {
        // A rename over a link would replace it with a copy of what it led
        // to; writing through it would change a file that may lie outside
        // the batch. Neither is done.
        if fs::is_link(&self.path) {
            return Err(SaveError::Link {
                path: self.path.clone(),
            });
        }
        // casetag instances take turns (an advisory lock on the folder), so
        // none checks between another one's check and rename.
        let _turn = FolderLock::take(&self.path).map_err(|source| SaveError::Io {
            path: self.path.clone(),
            source,
        })?;
        self.check_unchanged()?;
        // Checked once more at the last moment, after the slow part (the
        // write and sync of the temporary file): a program that ignores the
        // lock can only slip in between this read and the rename.
        // Where the system can swap two names at once, the file displaced by
        // the new one is checked too, closing even that window.
        let mut last_check = None;
        let result = write_atomic_if_unchanged(
            &self.path,
            text.as_bytes(),
            self.disk_bytes.as_deref(),
            &mut |tmp| {
                before_rename(tmp)?;
                if let Err(e) = self.check_unchanged() {
                    last_check = Some(e);
                    return Err(io::Error::other("changed on disk"));
                }
                Ok(())
            },
        );
        match (result, last_check) {
            (_, Some(e)) => Err(e),
            (Ok(Swapped::Written), None) => Ok(()),
            (Ok(Swapped::Changed), None) => {
                Err(self.check_unchanged().err().unwrap_or(SaveError::Conflict {
                    path: self.path.clone(),
                }))
            }
            (Err(source), None) => Err(SaveError::Io {
                path: self.path.clone(),
                source,
            }),
        }
    }

    /// Re-reads the file, replacing the record and `disk_bytes`. `Ok(false)`
    /// when the file is gone (the record is reset to a new one for the same
    /// submission). On `Err` nothing changes.
    pub fn reload(&mut self) -> Result<bool, Problem> {
        match RecordFile::load(&self.path)? {
            Some(rf) => {
                self.record = rf.record;
                self.disk_bytes = rf.disk_bytes;
                self.positions = rf.positions;
                self.load_problems = rf.load_problems;
                Ok(true)
            }
            None => {
                self.record = Record::new(&self.record.submission);
                self.disk_bytes = None;
                self.positions.clear();
                self.load_problems.clear();
                Ok(false)
            }
        }
    }

    /// True when the file on disk now differs from `disk_bytes` (or cannot be
    /// read to tell).
    pub fn changed_on_disk(&self) -> bool {
        !matches!(read_regular(&self.path), Ok(current) if current == self.disk_bytes)
    }
}

/// An advisory lock on the folder of a record, held while it is checked and
/// replaced; released when dropped.
struct FolderLock(Option<std::fs::File>);

impl FolderLock {
    /// How long a save waits for another instance's save to finish.
    const PATIENCE: std::time::Duration = std::time::Duration::from_secs(3);

    fn take(record: &Path) -> io::Result<FolderLock> {
        let dir = match record.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        // Where a folder cannot be opened or locked (some file systems),
        // saves go on without taking turns, as before there was a lock.
        let Ok(file) = std::fs::File::open(dir) else {
            return Ok(FolderLock(None));
        };
        let start = std::time::Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(FolderLock(Some(file))),
                Err(std::fs::TryLockError::WouldBlock) => {
                    if start.elapsed() > Self::PATIENCE {
                        return Err(io::Error::other(
                            "another casetag has been saving in this folder for seconds; try again",
                        ));
                    }
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                Err(std::fs::TryLockError::Error(_)) => return Ok(FolderLock(None)),
            }
        }
    }
}

impl Drop for FolderLock {
    fn drop(&mut self) {
        if let Some(f) = &self.0 {
            let _ = f.unlock();
        }
    }
}

/// Why a record was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{path}: changed on disk since it was read; reload it before saving")]
    Conflict { path: PathBuf },
    #[error("{path}: cannot save: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}: is not valid TOML; fix or remove it before casetag can save it")]
    Unparsable { path: PathBuf },
    /// What was to be written is not a record (an undo step's text that
    /// does not parse): nothing is written.
    #[error("{path}: not saved: the text to write is not a record ({problem})")]
    NotARecord {
        path: PathBuf,
        problem: Box<Problem>,
    },
    #[error("{path}: is a symbolic link; casetag neither writes through a link nor replaces it")]
    Link { path: PathBuf },
    /// The file on disk could not be read to check it is unchanged.
    #[error("{path}: cannot save: the file cannot be read to check it ({message})")]
    Unreadable { path: PathBuf, message: String },
}

impl SaveError {
    pub fn path(&self) -> &Path {
        match self {
            SaveError::Conflict { path }
            | SaveError::Io { path, .. }
            | SaveError::Unparsable { path }
            | SaveError::NotARecord { path, .. }
            | SaveError::Link { path }
            | SaveError::Unreadable { path, .. } => path,
        }
    }
}
