//! The TOML front matter of a Markdown submission.
//!
//! Every key is optional. Broken TOML is an error positioned in the file; a
//! known key with the wrong type, an unknown key, or a proposed tag that is not
//! in the taxonomy is a warning at its position, and that value is ignored, so
//! the file stays usable.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use super::lines::split_list;
use super::{Fields, Proposed};
use crate::problem::line_col;
use crate::taxonomy::{Kind, Taxonomy};

/// The fields read from front matter.
#[derive(Debug, Default)]
pub(crate) struct FrontMatter {
    pub title: Option<String>,
    pub fields: Fields,
    pub proposed: Proposed,
    /// (line, column, message), positioned in the file.
    pub warnings: Vec<(usize, usize, String)>,
}

/// A front-matter problem: (line, column, message) in the file.
pub(crate) type Located = (usize, usize, String);

/// Where the front matter sits in the file: its text starts on `first_line`.
struct Place<'a> {
    text: &'a str,
    first_line: usize,
    /// Byte offset of each line's start in `text`.
    line_starts: Vec<usize>,
}

impl<'a> Place<'a> {
    fn new(text: &'a str, first_line: usize) -> Self {
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Place {
            text,
            first_line,
            line_starts,
        }
    }

    /// The file line and column of byte `span.start` (in time logarithmic in
    /// the number of lines, so many warnings stay cheap).
    fn at(&self, span: &Range<usize>) -> (usize, usize) {
        let offset = span.start.min(self.text.len());
        let index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(index).copied().unwrap_or(0);
        let line_text = self.text.get(start..).unwrap_or("");
        let (_, col) = line_col(line_text, offset - start.min(offset));
        (index + self.first_line, col)
    }
}

/// Parses the front matter `text`, which starts on line `first_line` of the file.
pub(crate) fn parse(
    text: &str,
    first_line: usize,
    taxonomy: &Taxonomy,
) -> Result<FrontMatter, Located> {
    let place = Place::new(text, first_line);
    let table = table(&place)?;
    let mut fm = FrontMatter::default();
    let mut w = Warnings {
        place: &place,
        list: Vec::new(),
    };
    for (key, value) in table.get_ref() {
        let name = key.get_ref().as_ref();
        match name {
            "title" => fm.title = w.string(name, value),
            "lead_member" => fm.fields.lead_member = w.string(name, value),
            "status" => fm.fields.programme = w.string(name, value),
            "contact" => fm.fields.contact = w.string(name, value),
            "participating_members" => fm.fields.participating_members = w.list(name, value),
            "year" => fm.fields.year = w.year(value),
            "proposed" => match value.get_ref() {
                DeValue::Table(t) => fm.proposed = proposed(t, taxonomy, &mut w),
                other => w.wrong_type(name, "a table", other, value.span()),
            },
            _ => w.unknown(key, "", hint(name)),
        }
    }
    fm.warnings = w.list;
    Ok(fm)
}

/// Whether the front matter `text` (starting on line `first_line` of the
/// file) would be read: the error [`parse`] gives, or none. What is wrong
/// inside valid TOML is only ever a warning, so only the TOML is read.
pub(crate) fn check(text: &str, first_line: usize) -> Result<(), Located> {
    table(&Place::new(text, first_line)).map(drop)
}

/// The TOML table of the front matter, or its error positioned in the file.
fn table<'a>(place: &Place<'a>) -> Result<toml::Spanned<DeTable<'a>>, Located> {
    DeTable::parse(place.text).map_err(|e| {
        let message = format!("front matter is not valid TOML: {}", e.message().trim());
        let (line, col) = match e.span() {
            Some(span) => place.at(&span),
            None => (place.first_line, 1),
        };
        (line, col, message)
    })
}

/// A likely meant key for a misspelt or foreign one.
fn hint(name: &str) -> Option<&'static str> {
    let known = [
        "title",
        "lead_member",
        "participating_members",
        "year",
        "status",
        "contact",
        "proposed",
    ];
    let lower = name.to_lowercase().replace(['-', ' '], "_");
    if let Some(k) = known.iter().find(|k| **k == lower) {
        return Some(k);
    }
    match lower.as_str() {
        "type" | "programme" | "program" => Some("status"),
        "lead" | "lead_council" | "lead_members" | "council" => Some("lead_member"),
        "members" | "participating_member" | "participants" => Some("participating_members"),
        "email" | "contact_email" => Some("contact"),
        "name" | "heading" => Some("title"),
        "proposal" | "tags" => Some("proposed"),
        _ => None,
    }
}

struct Warnings<'a> {
    place: &'a Place<'a>,
    list: Vec<Located>,
}

impl Warnings<'_> {
    fn push(&mut self, span: Range<usize>, message: String) {
        let (line, col) = self.place.at(&span);
        self.list.push((line, col, message));
    }

    fn unknown(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        table: &str,
        hint: Option<&str>,
    ) {
        let mut message = format!("unknown front-matter key `{}{}`", table, key.get_ref());
        if let Some(h) = hint {
            message.push_str(&format!(" (did you mean `{table}{h}`?)"));
        }
        message.push_str("; ignored");
        self.push(key.span(), message);
    }

    fn wrong_type(&mut self, name: &str, expected: &str, got: &DeValue<'_>, span: Range<usize>) {
        self.push(
            span,
            format!(
                "`{name}` should be {expected}, not {} {}; ignored",
                article(got.type_str()),
                got.type_str()
            ),
        );
    }

    /// A string, trimmed to one line; an empty one is absent.
    fn string(&mut self, name: &str, value: &Spanned<DeValue<'_>>) -> Option<String> {
        match value.get_ref() {
            DeValue::String(s) => {
                let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
                (!one_line.is_empty()).then_some(one_line)
            }
            other => {
                self.wrong_type(name, "a string", other, value.span());
                None
            }
        }
    }

    /// An array of strings, or one comma-separated string.
    fn list(&mut self, name: &str, value: &Spanned<DeValue<'_>>) -> Vec<String> {
        self.list_spanned(name, value)
            .into_iter()
            .map(|(s, _)| s)
            .collect()
    }

    /// Like [`Self::list`], with each item's span.
    fn list_spanned(
        &mut self,
        name: &str,
        value: &Spanned<DeValue<'_>>,
    ) -> Vec<(String, Range<usize>)> {
        match value.get_ref() {
            DeValue::String(s) => split_list(s)
                .into_iter()
                .map(|s| (s, value.span()))
                .collect(),
            DeValue::Array(items) => self.strings_of(name, items),
            other => {
                self.wrong_type(name, "a list of strings", other, value.span());
                Vec::new()
            }
        }
    }

    fn strings_of(&mut self, name: &str, items: &DeArray<'_>) -> Vec<(String, Range<usize>)> {
        let mut out = Vec::new();
        for item in items.iter() {
            match item.get_ref() {
                DeValue::String(s) => {
                    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !one_line.is_empty() {
                        out.push((one_line, item.span()));
                    }
                }
                other => self.push(
                    item.span(),
                    format!(
                        "`{name}` should hold strings, not {} {}; ignored",
                        article(other.type_str()),
                        other.type_str()
                    ),
                ),
            }
        }
        out
    }

    /// A whole number, or a string holding one.
    fn year(&mut self, value: &Spanned<DeValue<'_>>) -> Option<i64> {
        let parsed = match value.get_ref() {
            DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix()).ok(),
            DeValue::String(s) => super::lines::parse_year(s),
            _ => None,
        };
        if parsed.is_none() {
            let shown = match value.get_ref() {
                DeValue::String(s) => format!("“{}”", super::text::excerpt(s)),
                other => format!("{} {}", article(other.type_str()), other.type_str()),
            };
            self.push(
                value.span(),
                format!("`year` should be a whole number such as 2020, not {shown}; ignored"),
            );
        }
        parsed
    }
}

fn article(type_name: &str) -> &'static str {
    if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The `[proposed]` table: names resolved to taxonomy ids.
fn proposed(table: &DeTable<'_>, taxonomy: &Taxonomy, w: &mut Warnings<'_>) -> Proposed {
    use super::{NAMED_TWICE, NOT_IN_TAXONOMY, SAME_AS_PRIMARY, SetAside};
    let mut p = Proposed::default();
    let mut set_aside: Vec<SetAside> = Vec::new();
    let mut resolve = |w: &mut Warnings<'_>, kind: Kind, name: &str, span: Range<usize>| {
        let id = taxonomy.resolve(kind, name).map(|e| e.id.clone());
        if id.is_none() {
            w.push(
                span,
                format!(
                    "proposed {} “{}” is not in the taxonomy; ignored",
                    kind.singular(),
                    super::text::excerpt(name)
                ),
            );
            set_aside.push(SetAside::new(
                kind,
                super::text::excerpt(name),
                NOT_IN_TAXONOMY,
            ));
        }
        id
    };
    let mut categories = Vec::new();
    let mut principles = Vec::new();
    let mut values = Vec::new();
    for (key, value) in table {
        let name = key.get_ref().as_ref();
        let full = format!("proposed.{name}");
        match name {
            "primary_category" => {
                if let Some(s) = w.string(&full, value) {
                    p.tags.primary_category = resolve(w, Kind::Category, &s, value.span());
                }
            }
            "categories" => {
                for (s, span) in w.list_spanned(&full, value) {
                    categories.extend(resolve(w, Kind::Category, &s, span));
                }
            }
            "principles" => {
                for (s, span) in w.list_spanned(&full, value) {
                    principles.extend(resolve(w, Kind::Principle, &s, span));
                }
            }
            "values" => {
                for (s, span) in w.list_spanned(&full, value) {
                    values.extend(resolve(w, Kind::Value, &s, span));
                }
            }
            _ => {
                let hint = match name.to_lowercase().replace(['-', ' '], "_").as_str() {
                    "primary_category" | "primary" | "category" => Some("primary_category"),
                    "categories" | "secondary_categories" | "secondary" => Some("categories"),
                    "principles" | "principle" => Some("principles"),
                    "values" | "value" | "top_values" => Some("values"),
                    _ => None,
                };
                w.unknown(key, "proposed.", hint);
            }
        }
    }
    let label = |kind: Kind, id: &str| taxonomy.label(kind, id).to_string();
    let mut seen = std::collections::HashSet::new();
    for c in categories {
        if p.tags.primary_category.as_ref() == Some(&c) {
            set_aside.push(SetAside::new(
                Kind::Category,
                label(Kind::Category, &c),
                SAME_AS_PRIMARY,
            ));
        } else if !seen.insert(c.clone()) {
            set_aside.push(SetAside::new(
                Kind::Category,
                label(Kind::Category, &c),
                NAMED_TWICE,
            ));
        } else {
            p.tags.categories.push(c);
        }
    }
    for (kind, list, out) in [
        (Kind::Principle, principles, &mut p.tags.principles),
        (Kind::Value, values, &mut p.tags.values),
    ] {
        for id in list {
            if out.contains(&id) {
                set_aside.push(SetAside::new(kind, label(kind, &id), NAMED_TWICE));
            } else {
                out.push(id);
            }
        }
    }
    taxonomy.sort_ids(Kind::Principle, &mut p.tags.principles);
    p.set_aside = set_aside;
    p
}
