//! The fields of a case study in their documented order: the one list the
//! CSV columns and the JSON keys are both written from.

use serde::Serialize;

use super::CaseStudy;

/// A field's value as the formats see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Value<'a> {
    Text(&'a str),
    /// Text that may be missing (an empty cell, `null` in JSON).
    Opt(Option<&'a str>),
    Year(Option<i64>),
    /// A list (one cell joined with `"; "`, an array in JSON).
    List(&'a [String]),
    /// A ranked list: one CSV column per rank (`value_1`, ...), an array in
    /// JSON.
    Ranked(&'a [String]),
}

impl Serialize for Value<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Value::Text(t) => t.serialize(s),
            Value::Opt(t) => t.serialize(s),
            Value::Year(y) => y.serialize(s),
            Value::List(l) | Value::Ranked(l) => l.serialize(s),
        }
    }
}

impl CaseStudy {
    /// The fields by name, in the documented order; `note` only when asked.
    pub(super) fn fields(&self, include_note: bool) -> Vec<(&'static str, Value<'_>)> {
        let mut fields = vec![
            ("title", Value::Text(&self.title)),
            (
                "lead_member",
                Value::Opt(self.fields.lead_member.as_deref()),
            ),
            (
                "participating_members",
                Value::List(&self.fields.participating_members),
            ),
            ("year", Value::Year(self.fields.year)),
            ("status", Value::Opt(self.fields.programme.as_deref())),
            ("source", Value::Text(&self.source)),
            ("decision", Value::Text(&self.decision)),
            (
                "primary_category",
                Value::Opt(self.primary_category.as_deref()),
            ),
            ("categories", Value::List(&self.categories)),
            ("principles", Value::List(&self.principles)),
            ("values", Value::Ranked(&self.values)),
        ];
        if include_note {
            fields.push(("note", Value::Opt(self.note.as_deref())));
        }
        fields.extend([
            ("reviewer", Value::Opt(self.reviewer.as_deref())),
            ("reviewed_at", Value::Opt(self.reviewed_at.as_deref())),
            ("excerpt", Value::Text(&self.excerpt)),
            ("contact", Value::Opt(self.fields.contact.as_deref())),
        ]);
        fields
    }
}
