//! What is in the input folder: the submissions to read, the records beside
//! them, and every other entry, which is skipped with a reason so that nothing
//! in the folder goes unmentioned.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::problem::Problem;
use crate::record::TEMP_PREFIX;

/// An entry of the folder that is not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    pub path: PathBuf,
    /// e.g. "photo.jpg"
    pub file_name: String,
    /// e.g. "not a submission format"
    pub reason: String,
}

impl Skipped {
    /// The line `check` prints: `path: skipped: reason`.
    pub fn to_problem(&self) -> Problem {
        Problem::file(&self.path, format!("skipped: {}", self.reason))
    }
}

/// The folder sorted out: submission candidates and skipped entries, each in
/// file-name order. Records (`*.review.toml`) are in neither.
#[derive(Debug, Clone, Default)]
pub struct Listing {
    pub submissions: Vec<PathBuf>,
    pub skipped: Vec<Skipped>,
    /// Conflict copies of records left by a synced folder, in name order.
    pub conflict_copies: Vec<PathBuf>,
}

/// Extensions read as submissions (lower case). `doc` is listed so that an
/// older Word file is shown as an error saying what to do, not skipped.
const SUBMISSION_EXTENSIONS: [&str; 10] = [
    "md", "txt", "doc", "docx", "odt", "eml", "msg", "html", "htm", "pdf",
];

/// Documents casetag cannot read but Word can turn into a `.docx`.
const SAVE_AS_DOCX: [&str; 4] = ["rtf", "pages", "wpd", "docm"];

/// True for names casetag treats as submissions: a known extension
/// (case-insensitive) on a name not starting with '.'.
pub fn is_submission_file_name(name: &str) -> bool {
    if name.starts_with('.') {
        return false;
    }
    match name.rsplit_once('.') {
        Some((stem, ext)) => {
            !stem.is_empty()
                && SUBMISSION_EXTENSIONS
                    .iter()
                    .any(|known| ext.eq_ignore_ascii_case(known))
        }
        None => false,
    }
}

/// A record casetag writes beside a submission.
fn is_record_name(name: &str) -> bool {
    !name.starts_with('.') && name.ends_with(".review.toml")
}

/// Why a file that is not a submission is skipped.
fn reason_for_file(name: &str) -> String {
    if name.starts_with('.') {
        return "a hidden file".to_string();
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    if SAVE_AS_DOCX.contains(&ext.as_str()) {
        return "not a submission format (save it as .docx)".to_string();
    }
    "not a submission format".to_string()
}

/// Sorts out the entries directly in `dir` (never sub-folders).
///
/// A folder, or a link to one, is skipped whatever its name. FIFOs, sockets,
/// devices and broken links with a submission's name are candidates so that
/// reading them lists them as errors. casetag's own temporary files (a save in
/// flight) are neither.
pub fn list_folder(dir: &Path) -> io::Result<Listing> {
    let mut out = Listing::default();
    // the submissions with their raw names, to sort by without taking each
    // path apart again at every comparison
    let mut submissions: Vec<(std::ffi::OsString, PathBuf)> = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let raw = entry.file_name();
        let name = raw.to_string_lossy().into_owned();
        let path = entry.path();
        let (is_dir, is_link) = match entry.file_type() {
            Ok(t) if t.is_dir() => (true, false),
            Ok(t) if t.is_symlink() => (fs::metadata(&path).is_ok_and(|m| m.is_dir()), true),
            _ => (false, false),
        };
        if is_dir {
            let reason = if is_link {
                "a link to a folder (sub-folders are not read)"
            } else {
                "a folder (sub-folders are not read)"
            };
            out.skipped.push(Skipped {
                path,
                file_name: name,
                reason: reason.to_string(),
            });
        } else if is_submission_file_name(&name) {
            submissions.push((raw, path));
        } else if crate::record::conflict_copy_of(&name).is_some() {
            out.conflict_copies.push(path);
        } else if is_record_name(&name) || name.starts_with(TEMP_PREFIX) {
            // records are read with their submission; orphans are reported
            // by the batch
        } else {
            let reason = reason_for_file(&name);
            out.skipped.push(Skipped {
                path,
                file_name: name,
                reason,
            });
        }
    }
    // by file name (all in one folder, so no two are the same)
    submissions.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    out.submissions = submissions.into_iter().map(|(_, p)| p).collect();
    out.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    out.conflict_copies.sort();
    Ok(out)
}
