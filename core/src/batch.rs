//! A batch: the submissions directly in one folder, each with its record.

mod duplicates;
mod texts;

pub use duplicates::{Duplicates, Sketch};

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::problem::Problem;
use crate::record::{Decision, RecordFile, record_path_for};
use crate::submission::{Listing, Skipped, Submission, list_folder, read_submission};
use crate::taxonomy::Taxonomy;

pub use texts::{DEFAULT_TEXT_BUDGET, Texts};

/// Where a submission stands, as shown by its status mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    NotStarted,
    InProgress,
    Approved,
    NeedsInfo,
    Declined,
    Invalid,
    Error,
    Changed,
    /// The record holds a merge's `[conflict]` table, or a synced folder
    /// left a conflict copy beside it.
    Conflict,
}

impl Status {
    pub const ALL: [Status; 9] = [
        Status::NotStarted,
        Status::InProgress,
        Status::Approved,
        Status::NeedsInfo,
        Status::Declined,
        Status::Invalid,
        Status::Error,
        Status::Changed,
        Status::Conflict,
    ];

    /// A glyph that tells the status without colour.
    pub fn mark(self) -> &'static str {
        match self {
            Status::NotStarted => "·",
            Status::InProgress => "…",
            Status::Approved => "✓",
            Status::NeedsInfo => "?",
            Status::Declined => "✗",
            Status::Invalid => "!",
            Status::Error => "E",
            Status::Changed => "Δ",
            Status::Conflict => "≠",
        }
    }

    /// The word for the status, as in messages and `casetag stats`.
    pub fn word(self) -> &'static str {
        match self {
            Status::NotStarted => "not started",
            Status::InProgress => "in progress",
            Status::Approved => "approved",
            Status::NeedsInfo => "needs-info",
            Status::Declined => "declined",
            Status::Invalid => "invalid",
            Status::Error => "error",
            Status::Changed => "changed since review",
            Status::Conflict => "conflict",
        }
    }

    /// Whether the officer has reached a decision.
    pub fn is_decided(self) -> bool {
        matches!(
            self,
            Status::Approved | Status::NeedsInfo | Status::Declined
        )
    }
}

/// One submission of the batch and what casetag knows of its record.
#[derive(Debug, Clone)]
pub struct Item {
    pub path: PathBuf,
    pub file_name: String,
    pub submission: Result<Submission, Problem>,
    /// The record as on disk (or a fresh one once the officer starts); `None`
    /// when there is no record file and nothing has been tagged. Boxed,
    /// as most submissions of a large batch have none: an item is listed
    /// by the hundred thousand.
    pub record: Option<Box<RecordFile>>,
    /// The record file exists but could not be read or parsed.
    pub record_error: Option<Box<Problem>>,
    /// Problems of the batch as a whole that concern this item (a record shared
    /// with another submission of the same name).
    pub batch_problems: Vec<Problem>,
    /// Conflict copies of its record that a synced folder left beside it.
    pub conflict_copies: Vec<PathBuf>,
    /// Its text's sketch, to find the same case study sent twice: made
    /// where the item is read, off the terminal program's main thread
    /// ([`Item::sketch_text`]), and handed to the app's index of them.
    pub sketch: Sketch,
    /// The submission's text was dropped from memory ([`Texts`]): its
    /// `body` is empty until it is read again.
    text_dropped: bool,
}

impl Item {
    /// Makes the sketch of its text (see [`Sketch`]) if it has none yet.
    pub fn sketch_text(&mut self) {
        if self.sketch.is_empty()
            && let Ok(s) = &self.submission
        {
            self.sketch = Sketch::of(&s.body);
        }
    }

    pub fn record_path(&self) -> PathBuf {
        record_path_for(&self.path)
    }

    /// The submission's text while it is held in memory (`None` when it
    /// could not be read, or when its text was dropped: see [`Item::text`]).
    /// An item's text is one word throughout: `held_text`, `text` (read
    /// again when dropped), `with_text` (the submission with it),
    /// `text_dropped`.
    pub fn held_text(&self) -> Option<&str> {
        match &self.submission {
            Ok(s) if !self.text_dropped => Some(&s.body),
            _ => None,
        }
    }

    /// Whether the submission's text was dropped from memory.
    pub fn text_dropped(&self) -> bool {
        self.text_dropped && self.submission.is_ok()
    }

    /// The submission's text: from memory, or read again from disk when it
    /// was dropped (and not kept). An error when the submission cannot be
    /// read, or its file changed on disk since it was read: its new text is
    /// never given in place of the one the rest of the item describes.
    pub fn text(&self, taxonomy: &Taxonomy) -> Result<Cow<'_, str>, Problem> {
        match &self.submission {
            Ok(s) if !self.text_dropped => Ok(Cow::Borrowed(&s.body)),
            Ok(s) => crate::submission::reread_submission(&s.path, &s.sha256, taxonomy)
                .map(|again| Cow::Owned(again.body)),
            Err(p) => Err(p.clone()),
        }
    }

    /// The submission with its text, read again when it was dropped (for
    /// what reads the whole submission: suggestions, an export). The same
    /// bytes read the same, so what is read again equals what was read.
    pub fn with_text(&self, taxonomy: &Taxonomy) -> Result<Cow<'_, Submission>, Problem> {
        match &self.submission {
            Ok(s) if !self.text_dropped => Ok(Cow::Borrowed(s)),
            Ok(s) => {
                crate::submission::reread_submission(&s.path, &s.sha256, taxonomy).map(Cow::Owned)
            }
            Err(p) => Err(p.clone()),
        }
    }

    /// The decision on record, if valid.
    pub fn decision(&self) -> Option<Decision> {
        self.record.as_ref().and_then(|r| r.record.decision_kind())
    }

    /// True when the record was reviewed against other bytes than the
    /// submission has now.
    pub fn is_changed(&self) -> bool {
        match (&self.submission, &self.record) {
            (Ok(s), Some(r)) => r
                .record
                .submission_sha256
                .as_deref()
                .is_some_and(|sha| !sha.eq_ignore_ascii_case(&s.sha256)),
            _ => false,
        }
    }

    /// The problems of this submission and its record, positioned.
    pub fn problems(&self, taxonomy: &Taxonomy) -> Vec<Problem> {
        let mut out = Vec::new();
        if let Err(p) = &self.submission {
            out.push(p.clone());
        }
        if let Some(p) = &self.record_error {
            out.push(Problem::clone(p));
        }
        out.extend(self.batch_problems.iter().cloned());
        if let Some(r) = &self.record
            && r.disk_bytes.is_some()
        {
            out.extend(r.problems(taxonomy));
            if r.record.submission != self.file_name {
                out.push(Problem::file(
                    &r.path,
                    format!(
                        "record names submission {:?} but belongs to {:?}",
                        r.record.submission, self.file_name
                    ),
                ));
            }
        }
        if self.is_changed() {
            out.push(Problem::file(
                self.record_path(),
                format!("{} changed since it was reviewed", self.file_name),
            ));
        }
        out.extend(self.conflict_problems());
        out.extend(self.conflict_copies.iter().map(|c| copy_problem(c)));
        out
    }

    /// What is unresolved in a record's `[conflict]` table, at its key.
    fn conflict_problems(&self) -> Option<Problem> {
        let r = self.record.as_ref().filter(|r| r.record.has_conflict())?;
        let message = match r.record.conflicts() {
            Ok(cs) => {
                let fields: Vec<&str> = cs.iter().map(|c| c.field.as_str()).collect();
                format!(
                    "unresolved conflict in {}: both versions are in its [conflict] table; \
                     resolve it in casetag (the submission is marked ≠), one field at a time",
                    fields.join(", ")
                )
            }
            Err(e) => format!("unreadable [conflict] table: {e}"),
        };
        Some(match r.positions.get(crate::record::CONFLICT_KEY) {
            Some(&(line, col)) => Problem::at(&r.path, line, col, message),
            None => Problem::file(&r.path, message),
        })
    }

    /// Whether the record holds a merge's conflict to resolve.
    pub fn has_conflict(&self) -> bool {
        self.record
            .as_ref()
            .is_some_and(|r| r.record.has_conflict())
    }

    /// Whether there is a conflict to resolve: in the record, or a copy
    /// beside it.
    pub fn in_conflict(&self) -> bool {
        self.has_conflict() || !self.conflict_copies.is_empty()
    }

    pub fn status(&self, taxonomy: &Taxonomy) -> Status {
        // A record shared with another submission cannot be tagged: an error
        // entry, whether or not the record exists yet.
        if self.submission.is_err()
            || self.record_error.is_some()
            || !self.batch_problems.is_empty()
        {
            return Status::Error;
        }
        if !self.conflict_copies.is_empty() {
            return Status::Conflict;
        }
        let Some(r) = &self.record else {
            return Status::NotStarted;
        };
        if self.has_conflict() {
            return Status::Conflict;
        }
        if !r.problems(taxonomy).is_empty() {
            return Status::Invalid;
        }
        if self.is_changed() {
            return Status::Changed;
        }
        match r.record.decision_kind() {
            Some(Decision::Approve) => Status::Approved,
            Some(Decision::NeedsInfo) => Status::NeedsInfo,
            Some(Decision::Decline) => Status::Declined,
            None if r.record.is_blank() => Status::NotStarted,
            None => Status::InProgress,
        }
    }

    /// The title to list: the submission's, or its file name when unreadable.
    pub fn title(&self) -> &str {
        match &self.submission {
            Ok(s) => &s.title,
            Err(_) => &self.file_name,
        }
    }
}

/// All submissions of one folder, in file-name order.
#[derive(Debug, Clone)]
pub struct Batch {
    pub dir: PathBuf,
    pub items: Vec<Item>,
    /// Records with no submission beside them.
    pub orphans: Vec<Problem>,
    /// Everything else in the folder that is not read, with the reason, in
    /// file-name order (photos, spreadsheets, sub-folders, ...).
    pub skipped: Vec<Skipped>,
    /// The conflict copies of records in the folder (from the listing),
    /// given to their submissions by [`Batch::finish`].
    pub conflict_copies: Vec<PathBuf>,
    /// Whose text is held in memory ([`Batch::set_text_budget`]); every
    /// text, unless a budget is set.
    texts: Texts,
}

impl Batch {
    /// Reads every submission and record directly in `dir`. Only a folder that
    /// cannot be listed is an error; every file's own problem stays with it.
    pub fn load(dir: &Path, taxonomy: &Taxonomy) -> Result<Batch, Problem> {
        let listing = Batch::listing(dir)?;
        let mut batch = Batch::empty(dir);
        batch.skipped = listing.skipped;
        batch.conflict_copies = listing.conflict_copies;
        batch.items = load_items(listing.submissions, taxonomy);
        batch.finish();
        batch.find_orphans();
        Ok(batch)
    }

    /// A batch with nothing read yet, to be filled by [`load_item`] (the
    /// terminal program reads a large folder in the background).
    pub fn empty(dir: &Path) -> Batch {
        Batch {
            dir: dir.to_path_buf(),
            items: Vec::new(),
            orphans: Vec::new(),
            skipped: Vec::new(),
            conflict_copies: Vec::new(),
            texts: Texts::default(),
        }
    }

    /// The submission paths of a folder, in file-name order.
    pub fn list(dir: &Path) -> Result<Vec<PathBuf>, Problem> {
        Batch::listing(dir).map(|l| l.submissions)
    }

    /// The submission paths of a folder and what in it is skipped (for a
    /// batch filled later, set [`Batch::skipped`] from it).
    pub fn listing(dir: &Path) -> Result<Listing, Problem> {
        list_folder(dir).map_err(|e| Problem::file(dir, format!("cannot read folder: {e}")))
    }

    /// The skipped entries as lines for `check`: `path: skipped: reason`.
    pub fn skipped_problems(&self) -> Vec<Problem> {
        self.skipped.iter().map(Skipped::to_problem).collect()
    }

    /// The check that needs every item: records shared by two submissions.
    pub fn finish(&mut self) {
        for item in &mut self.items {
            item.batch_problems.clear();
        }
        self.find_shared_records();
        self.attach_conflict_copies();
    }

    /// Lists the folder again for conflict copies (a synced folder may
    /// leave one at any moment) and gives them to their submissions.
    /// Returns the items whose copies changed; none when the folder cannot
    /// be listed.
    pub fn rescan_conflict_copies(&mut self) -> Vec<usize> {
        let Ok(listing) = list_folder(&self.dir) else {
            return Vec::new();
        };
        let before: Vec<Vec<PathBuf>> = self
            .items
            .iter()
            .map(|i| i.conflict_copies.clone())
            .collect();
        self.conflict_copies = listing.conflict_copies;
        self.attach_conflict_copies();
        self.items
            .iter()
            .zip(before)
            .enumerate()
            .filter(|(_, (item, was))| item.conflict_copies != *was)
            .map(|(i, _)| i)
            .collect()
    }

    /// Gives each conflict copy of the listing to the submission whose
    /// record it copies; a copy of no submission's record stays unattached
    /// (`check` reports every copy).
    fn attach_conflict_copies(&mut self) {
        if self.conflict_copies.is_empty()
            && self.items.iter().all(|i| i.conflict_copies.is_empty())
        {
            return;
        }
        let mut by_record: HashMap<PathBuf, usize> = HashMap::new();
        for (i, item) in self.items.iter_mut().enumerate() {
            item.conflict_copies.clear();
            by_record.insert(item.record_path(), i);
        }
        for copy in &self.conflict_copies {
            let record = copy
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(crate::record::conflict_copy_of)
                .map(|c| copy.with_file_name(c.record));
            if let Some(item) = record
                .and_then(|r| by_record.get(&r))
                .and_then(|&i| self.items.get_mut(i))
            {
                item.conflict_copies.push(copy.clone());
            }
        }
    }

    /// Records without a submission (for `check`; the terminal program does
    /// not list them, and finding them reads the folder again).
    pub fn find_orphans(&mut self) {
        self.orphans = orphan_records(&self.dir, self.items.iter().map(|i| i.path.as_path()));
    }

    /// Every problem in the batch, in file order.
    pub fn problems(&self, taxonomy: &Taxonomy) -> Vec<Problem> {
        let mut out: Vec<Problem> = self
            .items
            .iter()
            .flat_map(|i| i.problems(taxonomy))
            .collect();
        out.extend(self.orphans.iter().cloned());
        out
    }

    /// How many submissions have a decision.
    pub fn decided(&self, taxonomy: &Taxonomy) -> usize {
        self.items
            .iter()
            .filter(|i| i.status(taxonomy).is_decided())
            .count()
    }

    /// Two submissions named `x.md` and `x.txt` would share `x.review.toml`:
    /// the one the record does not name is flagged.
    fn find_shared_records(&mut self) {
        let found = shared_records(self.items.iter().map(|it| it.path.as_path()));
        for (i, problem) in found {
            if let Some(item) = self.items.get_mut(i) {
                item.batch_problems.push(problem);
            }
        }
    }
}

/// The submissions (by their position in `paths`) that share a record with
/// another: `x.md` and `x.txt` would both be reviewed in `x.review.toml`. Only
/// the names are needed, so `check` finds these before reading anything.
pub fn shared_records<'a>(paths: impl Iterator<Item = &'a Path>) -> Vec<(usize, Problem)> {
    let paths: Vec<&Path> = paths.collect();
    let names: Vec<String> = paths
        .iter()
        .map(|p| {
            p.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    // Grouped by the raw name before the extension (two names that differ
    // only in invalid UTF-8 are two records), borrowed: this runs once over
    // the whole batch when a large folder has been read.
    let raw: Vec<Vec<u8>> = paths.iter().map(|p| crate::session::raw_name(p)).collect();
    let mut by_stem: HashMap<&[u8], Vec<usize>> = HashMap::new();
    for (i, name) in raw.iter().enumerate() {
        let stem = name
            .iter()
            .rposition(|&b| b == b'.')
            .map_or(name.as_slice(), |dot| name.get(..dot).unwrap_or_default());
        by_stem.entry(stem).or_default().push(i);
    }
    let mut out = Vec::new();
    for idxs in by_stem.into_values().filter(|v| v.len() > 1) {
        let Some(record_path) = idxs
            .first()
            .and_then(|&i| paths.get(i))
            .map(|p| record_path_for(p))
        else {
            continue;
        };
        let record_name = record_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let all: Vec<&str> = idxs
            .iter()
            .filter_map(|&j| names.get(j))
            .map(String::as_str)
            .collect();
        let sharing = match all.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
            _ => all.join(""),
        };
        for &i in &idxs {
            let Some(path) = paths.get(i) else {
                continue;
            };
            out.push((
                i,
                Problem::file(path, format!("{sharing} share {record_name}; rename one")),
            ));
        }
    }
    out.sort_by_key(|(i, _)| *i);
    out
}

/// Reads submissions and their records, in order, on every core: reading is
/// mostly parsing, and a large batch takes seconds on one.
pub fn load_items(paths: Vec<PathBuf>, taxonomy: &Taxonomy) -> Vec<Item> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || paths.len() < 64 {
        return paths.into_iter().map(|p| load_item(p, taxonomy)).collect();
    }
    let per = paths.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = paths
            .chunks(per)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|p| load_item(p.clone(), taxonomy))
                        .collect::<Vec<Item>>()
                })
            })
            .collect();
        let mut items = Vec::with_capacity(paths.len());
        for h in handles {
            // the readers do not panic on any input; if one did, it is a bug
            // and goes on as the panic it was
            items.extend(h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        items
    })
}

/// Reads one submission and its record.
pub fn load_item(path: PathBuf, taxonomy: &Taxonomy) -> Item {
    load_item_with(path, |p| read_submission(p, taxonomy))
}

/// Reads one submission with `read` (a reader that parses less, for a
/// command that reports less) and its record.
pub fn load_item_with(
    path: PathBuf,
    read: impl FnOnce(&Path) -> Result<Submission, Problem>,
) -> Item {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let submission = read(&path);
    let record_path = record_path_for(&path);
    let (record, record_error) = match record_name_too_long(&record_path) {
        Some(p) => (None, Some(Box::new(p))),
        None => match RecordFile::load(&record_path) {
            Ok(r) => (r.map(Box::new), None),
            Err(p) => (None, Some(Box::new(p))),
        },
    };
    Item {
        path,
        file_name,
        submission,
        record,
        record_error,
        batch_problems: Vec::new(),
        conflict_copies: Vec::new(),
        sketch: Sketch::default(),
        text_dropped: false,
    }
}

/// `*.review.toml` files in `dir` whose submission is not among
/// `submissions`.
pub fn orphan_records<'a>(dir: &Path, submissions: impl Iterator<Item = &'a Path>) -> Vec<Problem> {
    // by the records' paths, hashed: comparing paths in a tree takes them
    // apart at every step, 17 times over for each of 100,000
    let known: HashSet<PathBuf> = submissions.map(record_path_for).collect();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<Problem> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.ends_with(".review.toml") && !n.starts_with('.'))
        })
        .filter(|p| !known.contains(p))
        .map(|p| {
            Problem::file(
                p,
                "record has no submission beside it (no submission of that name)",
            )
        })
        .collect();
    out.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The problem a conflict copy is: which service left it, of what.
pub fn copy_problem(copy: &Path) -> Problem {
    let name = copy
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let message = match crate::record::conflict_copy_of(name) {
        Some(c) => format!(
            "a conflict copy of {} left by {}: merge it in casetag (the submission is \
             marked ≠), one field at a time",
            c.record,
            c.service.name()
        ),
        None => "a conflict copy of a record".to_owned(),
    };
    Problem::file(copy, message)
}

/// The longest file name most file systems allow, in bytes.
pub const MAX_NAME_BYTES: usize = 255;

/// A record whose name would be longer than a file system allows can never
/// be written: the submission cannot be tagged until it is renamed.
fn record_name_too_long(record_path: &Path) -> Option<Problem> {
    let len = record_path.file_name()?.as_encoded_bytes().len();
    (len > MAX_NAME_BYTES).then(|| {
        Problem::file(
            record_path,
            format!(
                "cannot be tagged: its record's name would be {len} bytes, over the \
                 {MAX_NAME_BYTES} a file system allows; shorten the submission's name"
            ),
        )
    })
}
