//! Records: the officer's work on one submission, `NAME.review.toml` beside
//! `NAME.md` or `NAME.txt` (DESIGN section 4).
//!
//! A [`Record`] holds the field values exactly as stored (ids are never dropped,
//! even unknown ones); [`validate`] says what is wrong with them against the
//! taxonomy. [`RecordFile`] is a record as it is on disk: it remembers the bytes
//! it read so that a save never replaces someone else's change, and it writes
//! atomically (temporary file in the same folder, sync, rename).

use std::collections::BTreeMap;
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use toml_edit::{Array, DocumentMut, Item, value};

use crate::problem::{Problem, line_col};
use crate::taxonomy::{Kind, Taxonomy};

/// Prefix of casetag's temporary files. The names that follow it have no
/// extension, so no reader takes them for a record or a submission.
pub const TEMP_PREFIX: &str = ".casetag-tmp-";

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

// ---------------------------------------------------------------------------
// Decision
// ---------------------------------------------------------------------------

/// The officer's decision on a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    Approve,
    NeedsInfo,
    Decline,
}

impl Decision {
    pub const ALL: [Decision; 3] = [Decision::Approve, Decision::NeedsInfo, Decision::Decline];

    /// The form stored in records: "approve", "needs-info" or "decline".
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::NeedsInfo => "needs-info",
            Decision::Decline => "decline",
        }
    }

    /// Parses the exact lower-case stored form.
    pub fn parse(s: &str) -> Option<Decision> {
        Decision::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

// ---------------------------------------------------------------------------
// Record
// ---------------------------------------------------------------------------

/// The parts of a record file casetag does not interpret, kept with their
/// formatting and comments (as far as `toml_edit` keeps them): unknown keys,
/// and known keys whose value had the wrong type.
#[derive(Clone, Default)]
struct Preserved(DocumentMut);

impl Preserved {
    fn text(&self) -> String {
        self.0.to_string()
    }
}

impl PartialEq for Preserved {
    fn eq(&self, other: &Self) -> bool {
        self.text() == other.text()
    }
}

impl Eq for Preserved {}

impl fmt::Debug for Preserved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Preserved").field(&self.text()).finish()
    }
}

/// Field values as stored. Ids are kept as written, even unknown ones
/// ([`validate`] reports them; they are never dropped silently).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Record {
    pub submission: String,
    pub submission_sha256: Option<String>,
    /// Raw; [`Record::decision_kind`] parses it.
    pub decision: Option<String>,
    pub primary_category: Option<String>,
    pub categories: Vec<String>,
    pub principles: Vec<String>,
    pub values: Vec<String>,
    pub note: Option<String>,
    pub reviewer: Option<String>,
    pub reviewed_at: Option<String>,
    pub seconds_spent: Option<u64>,
    preserved: Preserved,
}

/// What [`Record::parse`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedRecord {
    pub record: Record,
    /// Known keys whose value has the wrong type (positioned).
    pub problems: Vec<Problem>,
    /// The 1-based line and column of each top-level key.
    pub positions: BTreeMap<String, (usize, usize)>,
}

fn blank(s: &Option<String>) -> bool {
    s.as_deref().is_none_or(|s| s.trim().is_empty())
}

impl Record {
    /// An empty record for the submission file named `submission_file_name`.
    pub fn new(submission_file_name: &str) -> Record {
        Record {
            submission: submission_file_name.to_owned(),
            ..Record::default()
        }
    }

    /// The decision, when it is one of the three.
    pub fn decision_kind(&self) -> Option<Decision> {
        self.decision.as_deref().and_then(Decision::parse)
    }

    pub fn set_decision(&mut self, d: Option<Decision>) {
        self.decision = d.map(|d| d.as_str().to_owned());
    }

    /// True when no field other than submission, sha, reviewer, reviewed_at
    /// and seconds_spent holds anything.
    pub fn is_blank(&self) -> bool {
        blank(&self.decision)
            && blank(&self.primary_category)
            && self.categories.is_empty()
            && self.principles.is_empty()
            && self.values.is_empty()
            && blank(&self.note)
    }

    /// Whether [`Record::to_toml`] writes the known key `key` from the struct
    /// (false for unknown keys).
    fn writes_key(&self, key: &str) -> bool {
        match key {
            "submission" => !self.submission.is_empty(),
            "submission_sha256" => self.submission_sha256.is_some(),
            "decision" => self.decision.is_some(),
            "primary_category" => self.primary_category.is_some(),
            "categories" => !self.categories.is_empty(),
            "principles" => !self.principles.is_empty(),
            "values" => !self.values.is_empty(),
            "note" => self.note.is_some(),
            "reviewer" => self.reviewer.is_some(),
            "reviewed_at" => self.reviewed_at.is_some(),
            "seconds_spent" => self.seconds_spent.is_some(),
            _ => false,
        }
    }

    /// Deterministic TOML text: the known keys in the fixed order of
    /// [`KNOWN_KEYS`] (`None` and empty lists are not written), then the
    /// preserved keys in their original order. A preserved known key (one whose
    /// value had the wrong type) is written back only while its field is unset.
    pub fn to_toml(&self) -> String {
        let mut known = DocumentMut::new();
        let t = known.as_table_mut();
        let put_str = |t: &mut toml_edit::Table, key: &str, v: Option<&str>| {
            if let Some(v) = v {
                t.insert(key, value(v));
            }
        };
        let put_list = |t: &mut toml_edit::Table, key: &str, v: &[String]| {
            if !v.is_empty() {
                t.insert(key, value(v.iter().map(String::as_str).collect::<Array>()));
            }
        };
        if !self.submission.is_empty() {
            put_str(t, "submission", Some(&self.submission));
        }
        put_str(t, "submission_sha256", self.submission_sha256.as_deref());
        put_str(t, "decision", self.decision.as_deref());
        put_str(t, "primary_category", self.primary_category.as_deref());
        put_list(t, "categories", &self.categories);
        put_list(t, "principles", &self.principles);
        put_list(t, "values", &self.values);
        put_str(t, "note", self.note.as_deref());
        put_str(t, "reviewer", self.reviewer.as_deref());
        put_str(t, "reviewed_at", self.reviewed_at.as_deref());
        if let Some(s) = self.seconds_spent {
            // TOML integers are 64-bit signed: saturate (136 billion years).
            t.insert("seconds_spent", value(i64::try_from(s).unwrap_or(i64::MAX)));
        }
        let mut out = known.to_string();
        let mut rest = self.preserved.0.clone();
        rest.as_table_mut().retain(|k, _| !self.writes_key(k));
        out.push_str(&rest.to_string());
        out
    }

    /// Drops preserved known keys that the struct now sets: they are not
    /// written any more, and must not come back if the field is later cleared.
    pub fn forget_overridden(&mut self) {
        let set: Vec<&str> = KNOWN_KEYS
            .into_iter()
            .filter(|k| self.writes_key(k))
            .collect();
        self.preserved
            .0
            .as_table_mut()
            .retain(|k, _| !set.contains(&k));
    }

    /// The top-level keys casetag does not know, in their original order.
    pub fn unknown_keys(&self) -> Vec<String> {
        self.preserved
            .0
            .iter()
            .map(|(k, _)| k)
            .filter(|k| !KNOWN_KEYS.contains(k))
            .map(str::to_owned)
            .collect()
    }

    /// Every key kept verbatim: the unknown keys and the known keys whose value
    /// had the wrong type, in their original order.
    pub fn preserved_keys(&self) -> Vec<String> {
        self.preserved.0.iter().map(|(k, _)| k.to_owned()).collect()
    }

    /// Parses record text; `path` is only used in messages.
    ///
    /// `Err` only when the text is not TOML. A known key with a value of the
    /// wrong type is reported (positioned) and kept verbatim among the
    /// preserved keys, written back unchanged until its field is set.
    pub fn parse(text: &str, path: &Path) -> Result<ParsedRecord, Problem> {
        let doc = toml_edit::Document::parse(text.to_owned()).map_err(|e| {
            let msg = format!("not valid TOML: {}", e.message().trim());
            match e.span() {
                Some(span) => Problem::at_offset(path, text, span.start, msg),
                None => Problem::file(path, msg),
            }
        })?;

        let mut positions = BTreeMap::new();
        for (k, item) in doc.iter() {
            let span = doc
                .key(k)
                .and_then(|key| key.span())
                .or_else(|| item.span());
            if let Some(span) = span {
                positions.insert(k.to_owned(), line_col(text, span.start));
            }
        }

        let mut record = Record::default();
        let mut problems = Vec::new();
        let mut taken: Vec<&str> = Vec::new();
        for key in KNOWN_KEYS {
            let Some(item) = doc.get(key) else { continue };
            let result = match key {
                "submission" => get_string(item).map(|s| record.submission = s),
                "submission_sha256" => get_string(item).map(|s| record.submission_sha256 = Some(s)),
                "decision" => get_string(item).map(|s| record.decision = Some(s)),
                "primary_category" => get_string(item).map(|s| record.primary_category = Some(s)),
                "categories" => get_list(item).map(|v| record.categories = v),
                "principles" => get_list(item).map(|v| record.principles = v),
                "values" => get_list(item).map(|v| record.values = v),
                "note" => get_string(item).map(|s| record.note = Some(s)),
                "reviewer" => get_string(item).map(|s| record.reviewer = Some(s)),
                "reviewed_at" => get_string(item).map(|s| record.reviewed_at = Some(s)),
                _ => get_seconds(item).map(|n| record.seconds_spent = Some(n)),
            };
            match result {
                Ok(()) => taken.push(key),
                Err(found) => {
                    let expected = match key {
                        "categories" | "principles" | "values" => "an array of strings (ids)",
                        "seconds_spent" => "a whole number of seconds, 0 or more",
                        _ => "a string",
                    };
                    let msg = format!(
                        "{key} must be {expected}, not {found}; \
                         it is kept as written until the field is changed"
                    );
                    problems.push(match positions.get(key) {
                        Some(&(line, col)) => Problem::at(path, line, col, msg),
                        None => Problem::file(path, msg),
                    });
                }
            }
        }

        let mut preserved = doc.into_mut();
        preserved.as_table_mut().retain(|k, _| !taken.contains(&k));
        record.preserved = Preserved(preserved);
        Ok(ParsedRecord {
            record,
            problems,
            positions,
        })
    }
}

/// "a string", "an integer", ...
fn a_type(name: &str) -> String {
    let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

fn get_string(item: &Item) -> Result<String, String> {
    item.as_str()
        .map(str::to_owned)
        .ok_or_else(|| a_type(item.type_name()))
}

fn get_list(item: &Item) -> Result<Vec<String>, String> {
    let Some(array) = item.as_array() else {
        return Err(a_type(item.type_name()));
    };
    array
        .iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("an array holding {}", a_type(v.type_name())))
        })
        .collect()
}

fn get_seconds(item: &Item) -> Result<u64, String> {
    match item.as_integer() {
        Some(n) => u64::try_from(n).map_err(|_| "a negative integer".to_owned()),
        None => Err(a_type(item.type_name())),
    }
}

// ---------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------

/// What validation found wrong, by field (a key of [`KNOWN_KEYS`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

fn invalid(field: &'static str, message: impl Into<String>) -> Invalid {
    Invalid {
        field,
        message: message.into(),
    }
}

/// `n` followed by the singular or plural word.
fn count(n: usize, singular: &str, plural: &str) -> String {
    format!("{n} {}", if n == 1 { singular } else { plural })
}

fn distinct(ids: &[String]) -> usize {
    let set: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    set.len()
}

/// Unknown and repeated ids of one list.
fn check_ids(
    out: &mut Vec<Invalid>,
    field: &'static str,
    kind: Kind,
    ids: &[String],
    taxonomy: &Taxonomy,
) {
    let mut seen = std::collections::HashSet::new();
    let mut repeated = std::collections::HashSet::new();
    for id in ids {
        if !seen.insert(id.as_str()) {
            if repeated.insert(id.as_str()) {
                out.push(invalid(
                    field,
                    format!("{} {id:?} is listed more than once", kind.singular()),
                ));
            }
            continue;
        }
        if taxonomy.get(kind, id).is_none() {
            out.push(invalid(
                field,
                format!("unknown {} {id:?}", kind.singular()),
            ));
        }
    }
}

/// The rules of any record's tagging fields: known ids, no repeats, within the
/// limits, the primary not among the secondaries.
fn check_tagging(record: &Record, taxonomy: &Taxonomy, out: &mut Vec<Invalid>) {
    let rules = taxonomy.rules;
    if let Some(p) = record.primary_category.as_deref()
        && !p.trim().is_empty()
        && taxonomy.get(Kind::Category, p).is_none()
    {
        out.push(invalid(
            "primary_category",
            format!("unknown category {p:?}"),
        ));
    }

    check_ids(
        out,
        "categories",
        Kind::Category,
        &record.categories,
        taxonomy,
    );
    let n = distinct(&record.categories);
    if n > rules.max_secondary_categories {
        out.push(invalid(
            "categories",
            format!(
                "at most {} allowed (has {n})",
                count(
                    rules.max_secondary_categories,
                    "secondary category",
                    "secondary categories"
                )
            ),
        ));
    }
    if let Some(p) = record.primary_category.as_deref()
        && record.categories.iter().any(|c| c == p)
    {
        out.push(invalid(
            "categories",
            format!("primary category {p:?} is also listed as a secondary category"),
        ));
    }

    check_ids(
        out,
        "principles",
        Kind::Principle,
        &record.principles,
        taxonomy,
    );

    check_ids(out, "values", Kind::Value, &record.values, taxonomy);
    let n = distinct(&record.values);
    if n > rules.ranked_values {
        out.push(invalid(
            "values",
            format!(
                "at most {} allowed (has {n})",
                count(rules.ranked_values, "ranked value", "ranked values")
            ),
        ));
    }
}

/// What the approve rules still need, as "needs ..." phrases by field.
fn approve_gaps(record: &Record, taxonomy: &Taxonomy) -> Vec<Invalid> {
    let rules = taxonomy.rules;
    let mut out = Vec::new();
    if blank(&record.primary_category) {
        out.push(invalid("primary_category", "needs a primary category"));
    }
    let n = distinct(&record.principles);
    if n < rules.min_principles_for_approval {
        out.push(invalid(
            "principles",
            format!(
                "needs at least {} (has {n})",
                count(rules.min_principles_for_approval, "principle", "principles")
            ),
        ));
    }
    let n = distinct(&record.values);
    if n < rules.ranked_values {
        out.push(invalid(
            "values",
            format!(
                "needs {} (has {n})",
                count(rules.ranked_values, "ranked value", "ranked values")
            ),
        ));
    }
    out
}

/// Validates a record against the taxonomy and its rules (DESIGN section 4).
///
/// - Any record: every id known for its kind, the decision one of the three,
///   no repeated ids, at most `max_secondary_categories` secondaries, at most
///   `ranked_values` values, the primary not repeated among the secondaries.
/// - approve: a primary category, at least `min_principles_for_approval`
///   principles and exactly `ranked_values` distinct values.
/// - needs-info: a non-empty note.
pub fn validate(record: &Record, taxonomy: &Taxonomy) -> Vec<Invalid> {
    let mut out = Vec::new();
    if let Some(d) = record.decision.as_deref()
        && Decision::parse(d).is_none()
    {
        out.push(invalid(
            "decision",
            format!("unknown decision {d:?} (expected approve, needs-info or decline)"),
        ));
    }
    check_tagging(record, taxonomy, &mut out);
    match record.decision_kind() {
        Some(Decision::Approve) => {
            out.extend(approve_gaps(record, taxonomy).into_iter().map(|g| Invalid {
                field: g.field,
                message: format!("approve {}", g.message),
            }));
        }
        Some(Decision::NeedsInfo) if blank(&record.note) => {
            out.push(invalid(
                "note",
                "needs-info needs a note saying what is missing",
            ));
        }
        _ => {}
    }
    out
}

/// What approving would still need, for the UI: empty when the tagging is
/// complete and valid. The approve rules ("needs a primary category",
/// "needs 3 ranked values (has 1)", ...) come first, then anything invalid in
/// the tagging fields (an approval requires a valid tagging).
pub fn missing_for_approval(record: &Record, taxonomy: &Taxonomy) -> Vec<String> {
    let mut out: Vec<String> = approve_gaps(record, taxonomy)
        .into_iter()
        .map(|g| g.message)
        .collect();
    let mut tagging = Vec::new();
    check_tagging(record, taxonomy, &mut tagging);
    out.extend(tagging.into_iter().map(|i| i.message));
    out
}

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

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

/// Reads a file when it is a regular file within the size limit. `Ok(None)`
/// when nothing exists at `path`; `Err` holds a message. Never blocks on a
/// FIFO or device, even one swapped in after the first check.
fn read_regular(path: &Path) -> Result<Option<Vec<u8>>, String> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read: {e}")),
    };
    check_meta(&meta)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read: {e}")),
    };
    let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    check_meta(&meta)?;
    let mut bytes = Vec::new();
    file.take(MAX_RECORD_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_RECORD_BYTES {
        return Err(too_large());
    }
    Ok(Some(bytes))
}

fn check_meta(meta: &std::fs::Metadata) -> Result<(), String> {
    if !meta.is_file() {
        return Err("is not a regular file".to_owned());
    }
    if meta.len() > MAX_RECORD_BYTES {
        return Err(too_large());
    }
    Ok(())
}

fn too_large() -> String {
    format!(
        "is larger than the {} KiB limit for a record",
        MAX_RECORD_BYTES / 1024
    )
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
        match read_regular(&self.path) {
            Ok(current) if current == self.disk_bytes => {}
            Ok(Some(current)) => {
                let parses = std::str::from_utf8(&current)
                    .is_ok_and(|t| toml_edit::Document::parse(t).is_ok());
                return Err(if parses {
                    SaveError::Conflict {
                        path: self.path.clone(),
                    }
                } else {
                    SaveError::Unparsable {
                        path: self.path.clone(),
                    }
                });
            }
            Ok(None) => {
                return Err(SaveError::Conflict {
                    path: self.path.clone(),
                });
            }
            Err(message) => {
                return Err(SaveError::Io {
                    path: self.path.clone(),
                    source: io::Error::other(message),
                });
            }
        }
        let text = self.record.to_toml();
        if self.disk_bytes.as_deref() == Some(text.as_bytes()) {
            return Ok(());
        }
        write_atomic_with_hook(&self.path, text.as_bytes(), before_rename).map_err(|source| {
            SaveError::Io {
                path: self.path.clone(),
                source,
            }
        })?;
        self.record.forget_overridden();
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
        Ok(())
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
}

impl SaveError {
    pub fn path(&self) -> &Path {
        match self {
            SaveError::Conflict { path }
            | SaveError::Io { path, .. }
            | SaveError::Unparsable { path } => path,
        }
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder
/// ([`TEMP_PREFIX`]), write, `sync_all`, rename over `path`, then sync the
/// folder. On any error the temporary file is removed and the old file is
/// untouched. An existing file's permissions are kept.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with_hook(path, bytes, &mut |_| Ok(()))
}

/// [`write_atomic`] with a hook called after the temporary file is written and
/// synced, before the rename; an `Err` from it aborts the write.
pub fn write_atomic_with_hook(
    path: &Path,
    bytes: &[u8],
    before_rename: &mut dyn FnMut(&Path) -> io::Result<()>,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let old_permissions = std::fs::metadata(path)
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.permissions());
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // What a plain create gives (the umask applies), not tempfile's 0600.
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    // The temporary file is removed when `tmp` is dropped on any error below.
    let mut tmp = builder.tempfile_in(dir)?;
    if let Some(p) = old_permissions {
        tmp.as_file().set_permissions(p)?;
    }
    tmp.write_all(bytes)?;
    tmp.flush()?;
    tmp.as_file().sync_all()?;
    before_rename(tmp.path())?;
    tmp.persist(path).map_err(|e| e.error)?;
    sync_dir(dir);
    Ok(())
}

/// Makes a rename in `dir` durable. Best effort: the new file is already in
/// place, and some file systems cannot sync a folder.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Removes leftover temporary files ([`TEMP_PREFIX`], regular files only) of a
/// crashed run from `dir`; returns how many.
pub fn clean_temp_files(dir: &Path) -> io::Result<usize> {
    let mut removed = 0;
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        if !name.to_str().is_some_and(|n| n.starts_with(TEMP_PREFIX)) {
            continue;
        }
        // file_type does not follow symbolic links.
        if !entry.file_type()?.is_file() {
            continue;
        }
        match std::fs::remove_file(entry.path()) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tax() -> Taxonomy {
        Taxonomy::builtin()
    }

    fn parse(text: &str) -> ParsedRecord {
        match Record::parse(text, Path::new("r.review.toml")) {
            Ok(p) => p,
            Err(e) => panic!("parse failed: {e}"),
        }
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    /// A complete, valid approval.
    fn approved() -> Record {
        let mut r = Record::new("oldham-food-hubs.md");
        r.primary_category = Some("community-wealth-building".into());
        r.categories = strings(&["health-social-care", "poverty"]);
        r.principles = strings(&["co-production", "innovation"]);
        r.values = strings(&["solidarity", "democracy", "caring-for-others"]);
        r.set_decision(Some(Decision::Approve));
        r
    }

    fn messages(r: &Record) -> Vec<String> {
        validate(r, &tax()).into_iter().map(|i| i.message).collect()
    }

    fn fields(r: &Record) -> Vec<&'static str> {
        validate(r, &tax()).into_iter().map(|i| i.field).collect()
    }

    // ----- Decision -----

    #[test]
    fn decision_round_trips_through_its_stored_form() {
        for d in Decision::ALL {
            assert_eq!(Decision::parse(d.as_str()), Some(d));
            assert_eq!(d.to_string(), d.as_str());
        }
        assert_eq!(Decision::NeedsInfo.as_str(), "needs-info");
        assert_eq!(Decision::parse("Approve"), None);
        assert_eq!(Decision::parse(" approve"), None);
        assert_eq!(Decision::parse("needs_info"), None);
        assert_eq!(Decision::parse(""), None);
        let mut r = Record::new("a.md");
        r.set_decision(Some(Decision::Decline));
        assert_eq!(r.decision.as_deref(), Some("decline"));
        assert_eq!(r.decision_kind(), Some(Decision::Decline));
        r.decision = Some("maybe".into());
        assert_eq!(r.decision_kind(), None);
        r.set_decision(None);
        assert_eq!(r.decision, None);
    }

    // ----- to_toml -----

    #[test]
    fn to_toml_writes_known_keys_in_fixed_order() {
        let mut r = Record::new("oldham-food-hubs.md");
        // Set in a scrambled order: the output order must not depend on it.
        r.seconds_spent = Some(95);
        r.reviewed_at = Some("2026-11-22T10:15:00Z".into());
        r.reviewer = Some("nhuckerby".into());
        r.note = Some("Ask for a photo of the hub.".into());
        r.values = strings(&["solidarity", "democracy", "caring-for-others"]);
        r.principles = strings(&["co-production", "innovation"]);
        r.categories = strings(&["poverty", "health-social-care"]);
        r.primary_category = Some("community-wealth-building".into());
        r.set_decision(Some(Decision::Approve));
        r.submission_sha256 = Some("9f2c".into());
        assert_eq!(
            r.to_toml(),
            r#"submission = "oldham-food-hubs.md"
submission_sha256 = "9f2c"
decision = "approve"
primary_category = "community-wealth-building"
categories = ["poverty", "health-social-care"]
principles = ["co-production", "innovation"]
values = ["solidarity", "democracy", "caring-for-others"]
note = "Ask for a photo of the hub."
reviewer = "nhuckerby"
reviewed_at = "2026-11-22T10:15:00Z"
seconds_spent = 95
"#
        );
    }

    #[test]
    fn to_toml_omits_absent_and_empty_fields() {
        let r = Record::new("a.md");
        assert_eq!(r.to_toml(), "submission = \"a.md\"\n");
        let mut r = Record::new("a.md");
        r.values = strings(&["equity"]);
        r.reviewer = Some("x".into());
        assert_eq!(
            r.to_toml(),
            "submission = \"a.md\"\nvalues = [\"equity\"]\nreviewer = \"x\"\n"
        );
        // An empty note is a value (Some), so it is written and reads back.
        r.note = Some(String::new());
        let text = r.to_toml();
        assert!(text.contains("note = \"\"\n"), "{text}");
        assert_eq!(parse(&text).record, r);
        assert_eq!(Record::default().to_toml(), "");
    }

    #[test]
    fn to_toml_saturates_huge_seconds() {
        let mut r = Record::new("a.md");
        r.seconds_spent = Some(u64::MAX);
        let p = parse(&r.to_toml());
        assert_eq!(p.record.seconds_spent, Some(i64::MAX as u64));
        assert!(p.problems.is_empty());
    }

    #[test]
    fn hostile_strings_round_trip() {
        let mut r = Record::new("we\"ird\\name'''.md");
        r.note = Some("line 1\n\"\"\"quoted\"\"\" and '''\r\n\ttab \u{0} \u{1b}[31m é🦀\n".into());
        r.reviewer = Some("\"".into());
        let p = parse(&r.to_toml());
        assert!(p.problems.is_empty());
        assert_eq!(p.record, r);
    }

    // ----- parse: preservation -----

    const WITH_UNKNOWN: &str = r#"# Reviewed at the March meeting
submission = "a.md"
# who asked for this?
custom_flag = true    # keep me
decision = "decline"
tags = ["x", 1, { y = 2 }]
extra.dotted = "d"
values = ["equity"]

# a table of someone else's
[workflow]
stage = "printed"   # after the pack
owners = ["a", "b"]

[[history]]
at = 2025-01-01T00:00:00Z
# trailing comment
"#;

    #[test]
    fn parse_reads_known_keys_and_keeps_unknown_ones_with_comments() {
        let p = parse(WITH_UNKNOWN);
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let r = &p.record;
        assert_eq!(r.submission, "a.md");
        assert_eq!(r.decision_kind(), Some(Decision::Decline));
        assert_eq!(r.values, strings(&["equity"]));
        assert_eq!(
            r.unknown_keys(),
            strings(&["custom_flag", "tags", "extra", "workflow", "history"])
        );
        assert_eq!(r.preserved_keys(), r.unknown_keys());
        let out = r.to_toml();
        assert_eq!(
            out,
            r#"submission = "a.md"
decision = "decline"
values = ["equity"]
# who asked for this?
custom_flag = true    # keep me
tags = ["x", 1, { y = 2 }]
extra.dotted = "d"

# a table of someone else's
[workflow]
stage = "printed"   # after the pack
owners = ["a", "b"]

[[history]]
at = 2025-01-01T00:00:00Z
# trailing comment
"#
        );
        // Stable from then on, and the record reads back equal.
        let again = parse(&out);
        assert_eq!(again.record, *r);
        assert_eq!(again.record.to_toml(), out);
    }

    #[test]
    fn unknown_keys_survive_an_edit() {
        let mut r = parse(WITH_UNKNOWN).record;
        r.set_decision(None);
        r.values.clear();
        r.categories = strings(&["housing"]);
        let out = r.to_toml();
        assert!(
            out.starts_with("submission = \"a.md\"\ncategories = [\"housing\"]\n# who"),
            "{out}"
        );
        let back = parse(&out);
        assert_eq!(back.record, r);
        assert_eq!(
            back.record.unknown_keys(),
            strings(&["custom_flag", "tags", "extra", "workflow", "history"])
        );
    }

    #[test]
    fn positions_are_one_based_for_every_top_level_key() {
        let p = parse(WITH_UNKNOWN);
        assert_eq!(p.positions.get("submission"), Some(&(2, 1)));
        assert_eq!(p.positions.get("custom_flag"), Some(&(4, 1)));
        assert_eq!(p.positions.get("extra"), Some(&(7, 1)));
        assert_eq!(p.positions.get("values"), Some(&(8, 1)));
        assert_eq!(p.positions.get("workflow"), Some(&(11, 2)));
        assert_eq!(p.positions.get("history"), Some(&(15, 3)));
        let p = parse("  note = \"x\"\n");
        assert_eq!(p.positions.get("note"), Some(&(1, 3)));
    }

    #[test]
    fn not_toml_is_a_positioned_error() {
        let e = match Record::parse(
            "submission = \"a.md\"\nvalues = [\"x\"\n",
            Path::new("r.toml"),
        ) {
            Ok(_) => panic!("accepted broken TOML"),
            Err(e) => e,
        };
        assert_eq!(e.path, PathBuf::from("r.toml"));
        assert!(e.line.is_some() && e.col.is_some(), "{e}");
        assert!(e.message.starts_with("not valid TOML"), "{e}");
        let e = match Record::parse("a = 1\na = 2\n", Path::new("r.toml")) {
            Ok(_) => panic!("accepted a duplicate key"),
            Err(e) => e,
        };
        assert_eq!(e.line, Some(2), "{e}");
    }

    // ----- parse: wrong types -----

    const WRONG_TYPES: &str = "submission = \"a.md\"
seconds_spent = \"95\"   # a string!
values = [\"equity\", 3]
zzz = 1
note = 42
decision = \"approve\"
[categories]
poverty = true
";

    #[test]
    fn wrong_types_are_reported_with_their_position() {
        let p = parse(WRONG_TYPES);
        let found: Vec<(Option<usize>, Option<usize>, &str)> = p
            .problems
            .iter()
            .map(|p| (p.line, p.col, p.message.as_str()))
            .collect();
        assert_eq!(found.len(), 4, "{found:?}");
        assert_eq!(found[0].0, Some(7));
        assert_eq!(found[0].1, Some(2));
        assert!(
            found[0]
                .2
                .starts_with("categories must be an array of strings (ids), not a table"),
            "{}",
            found[0].2
        );
        assert_eq!((found[1].0, found[1].1), (Some(3), Some(1)));
        assert!(
            found[1].2.starts_with(
                "values must be an array of strings (ids), not an array holding an integer"
            ),
            "{}",
            found[1].2
        );
        assert_eq!((found[2].0, found[2].1), (Some(5), Some(1)));
        assert!(
            found[2]
                .2
                .starts_with("note must be a string, not an integer"),
            "{}",
            found[2].2
        );
        assert_eq!((found[3].0, found[3].1), (Some(2), Some(1)));
        assert!(
            found[3]
                .2
                .starts_with("seconds_spent must be a whole number"),
            "{}",
            found[3].2
        );
        assert!(
            p.problems
                .iter()
                .all(|p| p.path == Path::new("r.review.toml"))
        );
        let r = &p.record;
        assert!(r.values.is_empty() && r.categories.is_empty());
        assert_eq!((r.note.as_deref(), r.seconds_spent), (None, None));
        assert_eq!(r.unknown_keys(), strings(&["zzz"]));
        assert_eq!(
            r.preserved_keys(),
            strings(&["seconds_spent", "values", "zzz", "note", "categories"])
        );
        let p = parse("seconds_spent = -1\n");
        assert!(
            p.problems[0].message.contains("not a negative integer"),
            "{:?}",
            p.problems
        );
    }

    #[test]
    fn wrong_typed_keys_are_written_back_unchanged_until_set() {
        let r = parse(WRONG_TYPES).record;
        let out = r.to_toml();
        assert_eq!(
            out,
            "submission = \"a.md\"
decision = \"approve\"
seconds_spent = \"95\"   # a string!
values = [\"equity\", 3]
zzz = 1
note = 42
[categories]
poverty = true
"
        );
        // Reading that back reports the same problems and keeps the same text.
        let again = parse(&out);
        assert_eq!(again.problems.len(), 4);
        assert_eq!(again.record.to_toml(), out);

        // Setting a field replaces the preserved raw value.
        let mut r = r;
        r.values = strings(&["solidarity"]);
        r.categories = strings(&["poverty"]);
        r.seconds_spent = Some(7);
        let out = r.to_toml();
        assert_eq!(
            out,
            "submission = \"a.md\"
decision = \"approve\"
categories = [\"poverty\"]
values = [\"solidarity\"]
seconds_spent = 7
zzz = 1
note = 42
"
        );
        let back = parse(&out);
        assert_eq!(back.problems.len(), 1, "{:?}", back.problems);
        assert_eq!(back.record.values, strings(&["solidarity"]));
        assert_eq!(back.record.categories, strings(&["poverty"]));
        assert_eq!(back.record.seconds_spent, Some(7));
    }

    #[test]
    fn forget_overridden_drops_only_the_set_fields_raw_values() {
        let mut r = parse(WRONG_TYPES).record;
        r.values = strings(&["solidarity"]);
        r.forget_overridden();
        assert_eq!(
            r.preserved_keys(),
            strings(&["seconds_spent", "zzz", "note", "categories"])
        );
        // Clearing the field again does not bring the old raw value back.
        r.values.clear();
        assert!(!r.to_toml().contains("values"));
    }

    // ----- is_blank -----

    #[test]
    fn is_blank_ignores_bookkeeping_fields() {
        let mut r = Record::new("a.md");
        r.submission_sha256 = Some("00".into());
        r.reviewer = Some("me".into());
        r.reviewed_at = Some("now".into());
        r.seconds_spent = Some(3);
        r.note = Some("  ".into());
        assert!(r.is_blank());
        let setters: [fn(&mut Record); 6] = [
            |r| r.set_decision(Some(Decision::Decline)),
            |r| r.primary_category = Some("housing".into()),
            |r| r.categories = vec!["housing".into()],
            |r| r.principles = vec!["learning".into()],
            |r| r.values = vec!["equity".into()],
            |r| r.note = Some("hi".into()),
        ];
        for set in setters {
            let mut r2 = r.clone();
            set(&mut r2);
            assert!(!r2.is_blank(), "{r2:?}");
        }
    }

    // ----- validate -----

    #[test]
    fn a_complete_approval_and_an_empty_record_are_valid() {
        assert_eq!(messages(&approved()), Vec::<String>::new());
        assert_eq!(messages(&Record::new("a.md")), Vec::<String>::new());
        assert!(missing_for_approval(&approved(), &tax()).is_empty());
    }

    #[test]
    fn unknown_ids_are_reported_by_name() {
        let mut r = Record::new("a.md");
        r.primary_category = Some("foo".into());
        r.categories = strings(&["housing", "bar"]);
        r.principles = strings(&["co-production", "baz"]);
        r.values = strings(&["equity", "qux"]);
        assert_eq!(
            messages(&r),
            [
                r#"unknown category "foo""#,
                r#"unknown category "bar""#,
                r#"unknown principle "baz""#,
                r#"unknown value "qux""#
            ]
        );
        assert_eq!(
            fields(&r),
            ["primary_category", "categories", "principles", "values"]
        );
        // Kept as written, not dropped.
        assert_eq!(parse(&r.to_toml()).record, r);
    }

    #[test]
    fn decision_must_be_one_of_the_three() {
        let mut r = Record::new("a.md");
        r.decision = Some("Approve".into());
        assert_eq!(
            messages(&r),
            [r#"unknown decision "Approve" (expected approve, needs-info or decline)"#]
        );
        assert_eq!(fields(&r), ["decision"]);
        r.set_decision(Some(Decision::Decline));
        assert!(messages(&r).is_empty());
    }

    #[test]
    fn repeated_ids_are_reported_once() {
        let mut r = Record::new("a.md");
        r.categories = strings(&["housing", "housing", "housing"]);
        r.principles = strings(&["learning", "learning"]);
        r.values = strings(&["equity", "equity"]);
        assert_eq!(
            messages(&r),
            [
                r#"category "housing" is listed more than once"#,
                r#"principle "learning" is listed more than once"#,
                r#"value "equity" is listed more than once"#
            ]
        );
        r.categories = strings(&["housing"]);
        r.principles = strings(&["learning"]);
        r.values = strings(&["equity"]);
        assert!(messages(&r).is_empty());
    }

    #[test]
    fn secondary_categories_are_limited() {
        let mut r = Record::new("a.md");
        r.categories = tax()
            .categories
            .iter()
            .take(4)
            .map(|e| e.id.clone())
            .collect();
        assert_eq!(
            messages(&r),
            ["at most 3 secondary categories allowed (has 4)"]
        );
        assert_eq!(fields(&r), ["categories"]);
        r.categories.pop();
        assert!(messages(&r).is_empty());
    }

    #[test]
    fn ranked_values_are_limited() {
        let mut r = Record::new("a.md");
        r.values = strings(&["equity", "honesty", "openness", "democracy"]);
        assert_eq!(messages(&r), ["at most 3 ranked values allowed (has 4)"]);
        r.values.pop();
        assert!(messages(&r).is_empty());
    }

    #[test]
    fn primary_must_not_be_repeated_as_secondary() {
        let mut r = Record::new("a.md");
        r.primary_category = Some("housing".into());
        r.categories = strings(&["poverty", "housing"]);
        assert_eq!(
            messages(&r),
            [r#"primary category "housing" is also listed as a secondary category"#]
        );
        r.categories = strings(&["poverty"]);
        assert!(messages(&r).is_empty());
    }

    #[test]
    fn approve_needs_a_primary_category() {
        let mut r = approved();
        r.primary_category = None;
        assert_eq!(messages(&r), ["approve needs a primary category"]);
        assert_eq!(fields(&r), ["primary_category"]);
        r.primary_category = Some(" ".into());
        assert_eq!(messages(&r), ["approve needs a primary category"]);
    }

    #[test]
    fn approve_needs_principles() {
        let mut r = approved();
        r.principles.clear();
        assert_eq!(messages(&r), ["approve needs at least 1 principle (has 0)"]);
        r.principles = strings(&["learning"]);
        assert!(messages(&r).is_empty());
    }

    #[test]
    fn approve_needs_exactly_the_ranked_values() {
        let mut r = approved();
        r.values = strings(&["solidarity"]);
        assert_eq!(messages(&r), ["approve needs 3 ranked values (has 1)"]);
        assert_eq!(fields(&r), ["values"]);
        r.values = strings(&["solidarity", "solidarity", "equity"]);
        assert_eq!(
            messages(&r),
            [
                r#"value "solidarity" is listed more than once"#,
                "approve needs 3 ranked values (has 2)"
            ]
        );
        r.values = strings(&["solidarity", "equity", "honesty", "openness"]);
        assert_eq!(messages(&r), ["at most 3 ranked values allowed (has 4)"]);
        r.values = strings(&["openness", "equity", "honesty"]);
        assert!(messages(&r).is_empty());
    }

    #[test]
    fn needs_info_needs_a_note() {
        let mut r = Record::new("a.md");
        r.set_decision(Some(Decision::NeedsInfo));
        assert_eq!(
            messages(&r),
            ["needs-info needs a note saying what is missing"]
        );
        assert_eq!(fields(&r), ["note"]);
        r.note = Some(" \n ".into());
        assert_eq!(
            messages(&r),
            ["needs-info needs a note saying what is missing"]
        );
        r.note = Some("Send the budget figures.".into());
        assert!(messages(&r).is_empty());
        // Decline and an undecided record need nothing.
        r.note = None;
        r.set_decision(Some(Decision::Decline));
        assert!(messages(&r).is_empty());
    }

    #[test]
    fn rules_come_from_the_taxonomy() {
        let mut t = tax();
        t.rules.ranked_values = 1;
        t.rules.min_principles_for_approval = 2;
        t.rules.max_secondary_categories = 1;
        let mut r = approved();
        r.values = strings(&["equity"]);
        r.principles = strings(&["learning"]);
        r.categories = strings(&["housing"]);
        let got: Vec<String> = validate(&r, &t).into_iter().map(|i| i.message).collect();
        assert_eq!(got, ["approve needs at least 2 principles (has 1)"]);
        r.values = strings(&["equity", "honesty"]);
        r.categories = strings(&["housing", "poverty"]);
        let got: Vec<String> = validate(&r, &t).into_iter().map(|i| i.message).collect();
        assert_eq!(
            got,
            [
                "at most 1 secondary category allowed (has 2)",
                "at most 1 ranked value allowed (has 2)",
                "approve needs at least 2 principles (has 1)"
            ]
        );
    }

    #[test]
    fn missing_for_approval_lists_what_is_still_needed() {
        let r = Record::new("a.md");
        assert_eq!(
            missing_for_approval(&r, &tax()),
            [
                "needs a primary category",
                "needs at least 1 principle (has 0)",
                "needs 3 ranked values (has 0)"
            ]
        );
        let mut r = approved();
        r.set_decision(None);
        assert!(missing_for_approval(&r, &tax()).is_empty());
        r.values.pop();
        assert_eq!(
            missing_for_approval(&r, &tax()),
            ["needs 3 ranked values (has 2)"]
        );
        // An invalid tagging cannot be approved either.
        let mut r = approved();
        r.categories.push("bogus".into());
        assert_eq!(
            missing_for_approval(&r, &tax()),
            [r#"unknown category "bogus""#]
        );
        // The needs-info rule is not an approval rule.
        let mut r = approved();
        r.set_decision(Some(Decision::NeedsInfo));
        assert!(missing_for_approval(&r, &tax()).is_empty());
    }

    #[test]
    fn record_file_problems_are_positioned_at_the_key() {
        let text = "submission = \"a.md\"\ndecision = \"approve\"\n\nvalues = [\"equity\", \"nope\"]\nnote = 1\n";
        let p = parse(text);
        let rf = RecordFile {
            path: PathBuf::from("r.review.toml"),
            record: p.record,
            disk_bytes: Some(text.as_bytes().to_vec()),
            positions: p.positions,
            load_problems: p.problems,
        };
        let shown: Vec<String> = rf.problems(&tax()).iter().map(Problem::to_string).collect();
        assert_eq!(shown.len(), 5, "{shown:?}");
        assert!(
            shown[0].starts_with("r.review.toml:5:1: note must be a string"),
            "{shown:?}"
        );
        assert_eq!(
            shown[1..],
            [
                r#"r.review.toml:4:1: unknown value "nope""#,
                "r.review.toml: approve needs a primary category",
                "r.review.toml: approve needs at least 1 principle (has 0)",
                "r.review.toml:4:1: approve needs 3 ranked values (has 2)",
            ]
        );
    }

    // ----- paths, hashes -----

    #[test]
    fn record_path_sits_beside_the_submission() {
        assert_eq!(
            record_path_for(Path::new("batch/oldham-food-hubs.md")),
            PathBuf::from("batch/oldham-food-hubs.review.toml")
        );
        assert_eq!(
            record_path_for(Path::new("/x/y/press.release.txt")),
            PathBuf::from("/x/y/press.release.review.toml")
        );
        assert_eq!(
            record_path_for(Path::new("a.txt")),
            PathBuf::from("a.review.toml")
        );
        assert_eq!(
            record_path_for(Path::new("noext")),
            PathBuf::from("noext.review.toml")
        );
    }

    #[test]
    fn sha256_is_lower_case_hex() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(sha256_hex(b"").len(), 64);
    }

    // ----- properties -----

    fn ids(kind: Kind) -> Vec<String> {
        tax().entries(kind).iter().map(|e| e.id.clone()).collect()
    }

    /// Text meant to trouble a TOML writer.
    fn awkward_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just("\"".to_owned()),
            Just("\"\"\"".to_owned()),
            Just("'".to_owned()),
            Just("'''".to_owned()),
            Just("\\".to_owned()),
            Just("\n".to_owned()),
            Just("\r\n".to_owned()),
            Just("\r".to_owned()),
            Just("\t".to_owned()),
            Just("\u{0}\u{1b}[0m\u{7f}".to_owned()),
            Just("é ü 🦀 漢字".to_owned()),
            Just(" ".to_owned()),
            Just("#".to_owned()),
            "[a-zA-Z0-9 ]{1,8}",
        ];
        prop_oneof![
            proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat()),
            any::<String>(),
        ]
    }

    prop_compose! {
        fn tagging()(
            primary in proptest::option::of(proptest::sample::select(ids(Kind::Category))),
            secondary in proptest::sample::subsequence(ids(Kind::Category), 0..=3),
            principles in proptest::sample::subsequence(ids(Kind::Principle), 0..=10),
            values in proptest::sample::subsequence(ids(Kind::Value), 0..=3).prop_shuffle(),
        ) -> (Option<String>, Vec<String>, Vec<String>, Vec<String>) {
            let secondary = secondary.into_iter().filter(|c| Some(c) != primary.as_ref()).collect();
            (primary, secondary, principles, values)
        }
    }

    prop_compose! {
        fn valid_record()(
            (primary, categories, principles, values) in tagging(),
            submission in any::<String>(),
            sha in proptest::option::of("[0-9a-f]{64}"),
            note in proptest::option::of(awkward_text()),
            reviewer in proptest::option::of(awkward_text()),
            reviewed_at in proptest::option::of("20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z"),
            seconds in proptest::option::of(0..=i64::MAX),
            decision in proptest::option::of(proptest::sample::select(Decision::ALL.to_vec())),
            extra in any::<bool>(),
        ) -> Record {
            let mut r = if extra {
                parse("zeta = 1 # z\n[extra]\nk = \"v\"\n").record
            } else {
                Record::default()
            };
            r.submission = submission;
            r.submission_sha256 = sha;
            r.primary_category = primary;
            r.categories = categories;
            r.principles = principles;
            r.values = values;
            r.note = note;
            r.reviewer = reviewer;
            r.reviewed_at = reviewed_at;
            r.seconds_spent = seconds.map(|s| s.unsigned_abs());
            r.set_decision(decision);
            let allowed = match r.decision_kind() {
                Some(Decision::Approve) => missing_for_approval(&r, &tax()).is_empty(),
                Some(Decision::NeedsInfo) => !blank(&r.note),
                _ => true,
            };
            if !allowed {
                r.set_decision(None);
            }
            r
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn writing_then_reading_a_valid_record_returns_it(r in valid_record()) {
            prop_assert_eq!(validate(&r, &tax()), Vec::<Invalid>::new());
            let text = r.to_toml();
            let p = parse(&text);
            prop_assert!(p.problems.is_empty(), "{:?}", p.problems);
            prop_assert_eq!(&p.record, &r);
            prop_assert_eq!(p.record.to_toml(), text);
        }

        #[test]
        fn to_toml_is_deterministic(r in valid_record()) {
            let a = r.to_toml();
            prop_assert_eq!(&a, &r.to_toml());
            prop_assert_eq!(&a, &r.clone().to_toml());
            // Setting the fields in another order gives the same bytes.
            let mut other = Record::new(&r.submission);
            other.preserved = r.preserved.clone();
            other.seconds_spent = r.seconds_spent;
            other.values = r.values.clone();
            other.note = r.note.clone();
            other.reviewed_at = r.reviewed_at.clone();
            other.decision = r.decision.clone();
            other.reviewer = r.reviewer.clone();
            other.categories = r.categories.clone();
            other.principles = r.principles.clone();
            other.primary_category = r.primary_category.clone();
            other.submission_sha256 = r.submission_sha256.clone();
            prop_assert_eq!(&other, &r);
            prop_assert_eq!(other.to_toml(), a);
        }

        #[test]
        fn parse_never_panics_and_rewrites_stably(text in "[a-z_=\\[\\]\"' 0-9,\n#.{}-]{0,80}") {
            if let Ok(p) = Record::parse(&text, Path::new("r.toml")) {
                let once = p.record.to_toml();
                let q = parse(&once);
                prop_assert_eq!(q.record.to_toml(), once);
            }
        }
    }
}
