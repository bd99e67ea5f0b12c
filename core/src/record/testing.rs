//! What the record tests share: the taxonomy, its ids, records parsed from
//! text and tagged in one step.

use std::path::Path;

use super::{ParsedRecord, Record};
use crate::taxonomy::{Kind, Taxonomy};

pub(super) fn tax() -> Taxonomy {
    Taxonomy::builtin()
}

/// The taxonomy's ids of one kind, in its order.
pub(super) fn ids(kind: Kind) -> Vec<String> {
    tax().entries(kind).iter().map(|e| e.id.clone()).collect()
}

pub(super) fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

/// What `text` holds, which must parse.
pub(super) fn parse(text: &str) -> ParsedRecord {
    match Record::parse(text, Path::new("r.review.toml")) {
        Ok(p) => p,
        Err(e) => panic!("parse failed: {e}"),
    }
}

/// A primary category, secondary categories, principles and values, as a
/// strategy gives them.
pub(super) type Tagging = (Option<String>, Vec<String>, Vec<String>, Vec<String>);

/// `r` with `tagging`'s fields.
pub(super) fn tagged(mut r: Record, tagging: Tagging) -> Record {
    (
        r.tags.primary_category,
        r.tags.categories,
        r.tags.principles,
        r.tags.values,
    ) = tagging;
    r
}
