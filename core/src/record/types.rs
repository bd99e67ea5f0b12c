//! [`Decision`] and [`Record`]: the field values as stored, and their TOML
//! form (known keys in a fixed order, everything else kept as written).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use toml_edit::{Array, DocumentMut, Item, value};

use super::KNOWN_KEYS;
use crate::problem::{LineIndex, Problem};
use crate::tags::Tags;

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
pub(super) struct Preserved(pub(super) DocumentMut);

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
/// ([`validate`](super::validate) reports them; they are never dropped silently).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Record {
    pub submission: String,
    pub submission_sha256: Option<String>,
    /// Raw; [`Record::decision_kind`] parses it.
    pub decision: Option<String>,
    /// The primary and secondary categories, principles and ranked values.
    pub tags: Tags,
    pub note: Option<String>,
    pub reviewer: Option<String>,
    pub reviewed_at: Option<String>,
    pub seconds_spent: Option<u64>,
    pub(super) preserved: Preserved,
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

pub(super) fn blank(s: &Option<String>) -> bool {
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
            && blank(&self.tags.primary_category)
            && self.tags.categories.is_empty()
            && self.tags.principles.is_empty()
            && self.tags.values.is_empty()
            && blank(&self.note)
    }

    /// Whether [`Record::to_toml`] writes the known key `key` from the struct
    /// (false for unknown keys).
    fn writes_key(&self, key: &str) -> bool {
        match key {
            "submission" => !self.submission.is_empty(),
            "submission_sha256" => self.submission_sha256.is_some(),
            "decision" => self.decision.is_some(),
            "primary_category" => self.tags.primary_category.is_some(),
            "categories" => !self.tags.categories.is_empty(),
            "principles" => !self.tags.principles.is_empty(),
            "values" => !self.tags.values.is_empty(),
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
        put_str(t, "primary_category", self.tags.primary_category.as_deref());
        put_list(t, "categories", &self.tags.categories);
        put_list(t, "principles", &self.tags.principles);
        put_list(t, "values", &self.tags.values);
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

        // One index for every key: placing each key by scanning from the
        // start made a record of many tables quadratic.
        let index = LineIndex::new(text);
        let mut positions = BTreeMap::new();
        for (k, item) in doc.iter() {
            let span = doc
                .key(k)
                .and_then(|key| key.span())
                .or_else(|| item.span());
            if let Some(span) = span {
                positions.insert(k.to_owned(), index.line_col(span.start));
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
                "primary_category" => {
                    get_string(item).map(|s| record.tags.primary_category = Some(s))
                }
                "categories" => get_list(item).map(|v| record.tags.categories = v),
                "principles" => get_list(item).map(|v| record.tags.principles = v),
                "values" => get_list(item).map(|v| record.tags.values = v),
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
        if preserved.as_table().is_empty() && preserved.to_string().is_empty() {
            // Nothing to write back (the usual record): an empty document,
            // not the parsed one's emptied table, which keeps its room for
            // every key (about 4 KB a record, held for the whole batch).
            preserved = DocumentMut::new();
        }
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
