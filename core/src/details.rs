//! What is shown about one submission above its text: the batch view's
//! details pane and the reader's header are both drawn from this one list,
//! so they never disagree about what a field says.
//!
//! Every string here is cleaned for the terminal ([`crate::sanitize::clean`]):
//! titles, names and notes come from the batch folder.

use crate::batch::{Item, Status};
use crate::problem::Problem;
use crate::record::Record;
use crate::sanitize::clean;
use crate::taxonomy::{Kind, Taxonomy};

/// One line of the details, in the order shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detail {
    Title(String),
    /// The review status; whether the submission changed since it was
    /// reviewed (when the status does not say so already) and whether its
    /// record could not be saved.
    Status {
        status: Status,
        changed_since_review: bool,
        unsaved: bool,
    },
    /// A problem with the submission or its record, the file named.
    Problem(String),
    /// A remark on what was read that is no problem ("no title line").
    Remark(String),
    /// Likely the same case study as another submission: its title and
    /// file name.
    Duplicate {
        title: String,
        file: String,
    },
    /// The officer's note (whole; the batch view folds it).
    Note(String),
    /// No tag of any kind yet.
    NoTags,
    /// The primary category and the secondary ones, as labels.
    Category {
        primary: Option<String>,
        secondary: Vec<String>,
    },
    Principles(Vec<String>),
    /// The values, as labels, in rank order.
    Values(Vec<String>),
    /// "by nhuckerby, 2026-11-22".
    Reviewed(String),
    Lead(Option<String>),
    Members(Vec<String>),
    /// The council's programme and year: "Policy Labs, 2020".
    Programme(Option<String>),
    Contact(String),
    /// The submission's file name.
    File(String),
    /// The fields the officer corrected (title, lead, ...): the values
    /// above are the corrected ones.
    Corrected(Vec<&'static str>),
}

/// How much a line matters when room is short: the least important go
/// first. Suggestions (what the officer acts on) outrank who reviewed it
/// and the council's lead, members, programme and contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Weight {
    File,
    Programme,
    Members,
    Contact,
    Lead,
    Reviewed,
    Suggested,
    Tags,
    Note,
    Problem,
    Essential,
}

impl Detail {
    /// The field's label ("" for the title, a problem and "no tags").
    pub fn label(&self) -> &'static str {
        match self {
            Detail::Title(_) | Detail::Problem(_) | Detail::Duplicate { .. } => "",
            Detail::Remark(_) => "",
            Detail::Status { .. } => "Status",
            Detail::Note(_) => "Note",
            Detail::NoTags => "Tags",
            Detail::Category { .. } => "Category",
            Detail::Principles(_) => "Principles",
            Detail::Values(_) => "Values",
            Detail::Reviewed(_) => "Reviewed",
            Detail::Lead(_) => "Lead",
            Detail::Members(_) => "Members",
            Detail::Programme(_) => "Programme",
            Detail::Contact(_) => "Contact",
            Detail::File(_) => "File",
            Detail::Corrected(_) => "Corrected",
        }
    }

    pub fn weight(&self) -> Weight {
        match self {
            Detail::Title(_) | Detail::Status { .. } => Weight::Essential,
            Detail::Problem(_) | Detail::Duplicate { .. } => Weight::Problem,
            Detail::Note(_) => Weight::Note,
            Detail::NoTags
            | Detail::Category { .. }
            | Detail::Principles(_)
            | Detail::Values(_) => Weight::Tags,
            Detail::Reviewed(_) | Detail::Remark(_) => Weight::Reviewed,
            Detail::Lead(_) => Weight::Lead,
            Detail::Members(_) => Weight::Members,
            Detail::Programme(_) => Weight::Programme,
            Detail::Contact(_) => Weight::Contact,
            Detail::File(_) => Weight::File,
            Detail::Corrected(_) => Weight::Reviewed,
        }
    }

    /// Whether the line says nothing but that a field is empty (the reader
    /// leaves such lines out; the details pane shows "–").
    pub fn is_empty(&self) -> bool {
        match self {
            Detail::Category { primary, secondary } => primary.is_none() && secondary.is_empty(),
            Detail::Principles(v) | Detail::Values(v) | Detail::Members(v) => v.is_empty(),
            Detail::Lead(v) | Detail::Programme(v) => v.is_none(),
            _ => false,
        }
    }
}

/// What the details are built from beyond the item itself.
pub struct Context<'a> {
    pub taxonomy: &'a Taxonomy,
    pub status: Status,
    /// The record as the officer has it (it may be newer than disk).
    pub record: Option<&'a Record>,
    pub unsaved: bool,
    /// The submission this one is likely a second copy of.
    pub duplicate_of: Option<&'a Item>,
}

/// The details of `item`, in the order shown: title, status, problems,
/// note, tags, reviewer, then what the council wrote (lead, members,
/// programme, contact) and the file's name. Suggestions are not among them:
/// each view places its own.
pub fn details(item: &Item, cx: &Context) -> Vec<Detail> {
    let tax = cx.taxonomy;
    let mut out = vec![
        Detail::Title(clean(item.title())),
        Detail::Status {
            status: cx.status,
            changed_since_review: item.is_changed() && cx.status != Status::Changed,
            unsaved: cx.unsaved,
        },
    ];
    out.extend(
        item.problems(tax)
            .iter()
            .map(|p| Detail::Problem(problem_text(p))),
    );
    if let Some(other) = cx.duplicate_of {
        out.push(Detail::Duplicate {
            title: clean(other.title()),
            file: clean(&other.file_name),
        });
    }
    let record = cx.record;
    let sub = item.submission.as_ref().ok();
    let fixed = record.map(Record::corrections).unwrap_or_default();
    if let Some(first) = out.first_mut()
        && let Some(t) = &fixed.title
    {
        *first = Detail::Title(clean(t));
    } else if sub.is_some_and(crate::submission::Submission::title_is_made_up) {
        out.push(Detail::Remark(
            "no title line: the title is the file's name (C corrects it)".to_owned(),
        ));
    }
    if let Some(note) = record
        .and_then(|r| r.note.as_deref())
        .filter(|n| !n.trim().is_empty())
    {
        out.push(Detail::Note(note.to_owned()));
    }
    if sub.is_some() || record.is_some() {
        out.extend(tags(record, tax));
    }
    if let Some(r) = record
        && let Some(text) = reviewed(r)
    {
        out.push(Detail::Reviewed(text));
    }
    if let Some(s) = sub {
        let (_, shown) = fixed.over(&s.title, &s.fields);
        out.push(Detail::Lead(shown.lead_member.as_deref().map(clean)));
        let members = &shown.participating_members;
        out.push(Detail::Members(members.iter().map(|m| clean(m)).collect()));
        let programme = shown.programme.as_deref().map(clean);
        out.push(Detail::Programme(match (programme, shown.year) {
            (Some(p), Some(y)) => Some(format!("{p}, {y}")),
            (Some(p), None) => Some(p),
            (None, Some(y)) => Some(y.to_string()),
            (None, None) => None,
        }));
        if let Some(c) = shown.contact.as_deref() {
            out.push(Detail::Contact(clean(c)));
        }
        out.push(Detail::File(clean(&s.file_name)));
    }
    if !fixed.is_empty() {
        out.push(Detail::Corrected(fixed.names()));
    }
    out
}

/// The tag lines of a record: "no tags" when it has none.
fn tags(record: Option<&Record>, tax: &Taxonomy) -> Vec<Detail> {
    let labels = |kind: Kind, ids: &[String]| -> Vec<String> {
        ids.iter().map(|id| clean(tax.label(kind, id))).collect()
    };
    let Some(r) = record.filter(|r| {
        r.tags.primary_category.is_some()
            || !r.tags.categories.is_empty()
            || !r.tags.principles.is_empty()
            || !r.tags.values.is_empty()
    }) else {
        return vec![Detail::NoTags];
    };
    vec![
        Detail::Category {
            primary: r
                .tags
                .primary_category
                .as_deref()
                .map(|p| clean(tax.label(Kind::Category, p))),
            secondary: labels(Kind::Category, &r.tags.categories),
        },
        Detail::Principles(labels(Kind::Principle, &r.tags.principles)),
        Detail::Values(labels(Kind::Value, &r.tags.values)),
    ]
}

/// "by nhuckerby, 2026-11-22", or what of it the record has.
fn reviewed(r: &Record) -> Option<String> {
    let date = r.reviewed_at.as_deref().map(|d| d.get(..10).unwrap_or(d));
    match (r.reviewer.as_deref(), date) {
        (Some(who), Some(at)) => Some(format!("by {}, {}", clean(who), clean(at))),
        (Some(who), None) => Some(format!("by {}", clean(who))),
        (None, Some(at)) => Some(clean(at)),
        (None, None) => None,
    }
}

/// A problem as the details show it: the file's name rather than its path.
fn problem_text(p: &Problem) -> String {
    let name = p
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let at = match (p.line, p.col) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    };
    clean(&format!("{name}{at}: {}", p.message))
}

/// "1. Solidarity  2. Democracy  3. Caring for others".
pub fn ranked(values: &[String]) -> String {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{}. {v}", i + 1))
        .collect::<Vec<_>>()
        .join("  ")
}
