//! The JSON export (the schema is in the module docs of [`super`]).

use serde::Serialize;
use serde::ser::SerializeMap;

use super::CaseStudy;

#[derive(Serialize)]
struct JsonExport<'a> {
    generated_by: String,
    count: usize,
    case_studies: Vec<JsonCaseStudy<'a>>,
}

/// A case study as a JSON object: its [fields](CaseStudy::fields) in order.
struct JsonCaseStudy<'a> {
    entry: &'a CaseStudy,
    include_note: bool,
}

impl Serialize for JsonCaseStudy<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fields = self.entry.fields(self.include_note);
        let mut map = s.serialize_map(Some(fields.len()))?;
        for (name, value) in &fields {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// The case studies as pretty JSON (the schema is in the module docs).
pub fn to_json(entries: &[CaseStudy], include_note: bool) -> String {
    let doc = JsonExport {
        generated_by: format!("casetag {}", env!("CARGO_PKG_VERSION")),
        count: entries.len(),
        case_studies: entries
            .iter()
            .map(|entry| JsonCaseStudy {
                entry,
                include_note,
            })
            .collect(),
    };
    // Serialising plain strings and numbers cannot fail.
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
