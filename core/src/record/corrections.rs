//! The officer's corrections of what was read from a submission: its
//! title, lead member, participating members, year and programme, kept in
//! the record's `[corrections]` table and used wherever the submission's
//! fields are shown or exported. The submission file itself is never
//! changed.
//!
//! ```toml
//! [corrections]
//! title = "Community food hubs"
//! lead_member = "Oldham Council"
//! participating_members = ["Rochdale Borough Council", "Bury Council"]
//! year = 2020
//! programme = "Policy Labs"
//! ```
//!
//! Every key is optional; a key casetag does not know inside the table is
//! kept as it is. The table is stored with the record's preserved keys, so
//! every writer (the terminal program, the merge driver) keeps it.

use toml_edit::{Array, Item, Table, value};

use super::Record;
use crate::fields::Fields;

/// The key of the table.
pub const CORRECTIONS_KEY: &str = "corrections";

/// What the officer corrected; `None` (or an empty list) keeps what was
/// read. The contact is not corrected (it is never printed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Corrections {
    pub title: Option<String>,
    pub fields: Fields,
}

impl Corrections {
    pub fn is_empty(&self) -> bool {
        *self == Corrections::default()
    }

    /// The names of the fields corrected, as the details show them.
    pub fn names(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.title.is_some() {
            out.push("title");
        }
        out.extend(self.fields.names());
        out
    }

    /// The title and fields to show: these corrections over what was read.
    pub fn over(&self, title: &str, read: &Fields) -> (String, Fields) {
        let mut fields = read.clone();
        fields.overlay(self.fields.clone());
        let title = self.title.clone().unwrap_or_else(|| title.to_owned());
        (title, fields)
    }
}

impl Record {
    /// The corrections in the record's `[corrections]` table; a value of the
    /// wrong type is no correction (`check` reports it).
    pub fn corrections(&self) -> Corrections {
        let Some(t) = self
            .preserved
            .0
            .get(CORRECTIONS_KEY)
            .and_then(Item::as_table_like)
        else {
            return Corrections::default();
        };
        let text = |k: &str| {
            t.get(k)
                .and_then(Item::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        Corrections {
            title: text("title"),
            fields: Fields {
                lead_member: text("lead_member"),
                participating_members: t
                    .get("participating_members")
                    .and_then(Item::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str())
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default(),
                year: t.get("year").and_then(Item::as_integer),
                programme: text("programme"),
                contact: None,
            },
        }
    }

    /// Writes `c` as the record's `[corrections]` table, keeping keys of it
    /// casetag does not know; an empty `c` removes the table unless such
    /// keys remain.
    pub fn set_corrections(&mut self, c: &Corrections) {
        let doc = self.preserved.0.as_table_mut();
        let mut table = doc
            .get(CORRECTIONS_KEY)
            .and_then(Item::as_table)
            .cloned()
            .unwrap_or_else(Table::new);
        let mut put = |k: &str, v: Option<Item>| match v {
            Some(v) => {
                table.insert(k, v);
            }
            None => {
                table.remove(k);
            }
        };
        put("title", c.title.as_deref().map(value));
        let f = &c.fields;
        put("lead_member", f.lead_member.as_deref().map(value));
        let members = &f.participating_members;
        put(
            "participating_members",
            (!members.is_empty())
                .then(|| value(members.iter().map(String::as_str).collect::<Array>())),
        );
        put("year", f.year.map(value));
        put("programme", f.programme.as_deref().map(value));
        if table.is_empty() {
            doc.remove(CORRECTIONS_KEY);
        } else {
            doc.insert(CORRECTIONS_KEY, Item::Table(table));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn corrections_round_trip_and_keep_what_casetag_does_not_know() {
        let text = "submission = \"a.md\"\ndecision = \"approve\"\n\n[corrections]\nlead_member = \"Leeds City Council\"\nseen_by = \"editor\"\n";
        let mut r = Record::parse(text, Path::new("a.review.toml"))
            .expect("parses")
            .record;
        assert_eq!(
            r.corrections().fields.lead_member.as_deref(),
            Some("Leeds City Council")
        );
        let mut c = r.corrections();
        c.fields.year = Some(2024);
        c.fields.participating_members = vec!["Leeds Food Aid Network".into()];
        r.set_corrections(&c);
        let again = Record::parse(&r.to_toml(), Path::new("a.review.toml"))
            .expect("parses")
            .record;
        assert_eq!(again.corrections(), c);
        assert!(
            again.to_toml().contains("seen_by = \"editor\""),
            "{}",
            again.to_toml()
        );
        // cleared, the table keeps only the key casetag does not know
        r.set_corrections(&Corrections::default());
        let text = r.to_toml();
        assert!(!text.contains("lead_member"), "{text}");
        assert!(
            text.contains("[corrections]") && text.contains("seen_by"),
            "{text}"
        );
        assert_eq!(r.corrections(), Corrections::default());
    }

    #[test]
    fn no_table_no_corrections_and_an_empty_set_writes_none() {
        let mut r = Record::new("a.md");
        assert!(r.corrections().is_empty());
        r.set_corrections(&Corrections::default());
        assert!(!r.to_toml().contains("corrections"), "{}", r.to_toml());
    }
}
