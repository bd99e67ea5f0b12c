//! The JSON export (the schema is in the module docs of [`super`]).

use serde::Serialize;

use super::CaseStudy;

#[derive(Serialize)]
struct JsonExport<'a> {
    generated_by: String,
    count: usize,
    case_studies: Vec<JsonCaseStudy<'a>>,
}

#[derive(Serialize)]
struct JsonCaseStudy<'a> {
    title: &'a str,
    lead_member: &'a Option<String>,
    participating_members: &'a [String],
    year: Option<i64>,
    status: &'a Option<String>,
    source: &'a str,
    decision: &'a str,
    primary_category: &'a Option<String>,
    categories: &'a [String],
    principles: &'a [String],
    values: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a Option<String>>,
    reviewer: &'a Option<String>,
    reviewed_at: &'a Option<String>,
    excerpt: &'a str,
}

/// The case studies as pretty JSON (the schema is in the module docs).
pub fn to_json(entries: &[CaseStudy], include_note: bool) -> String {
    let doc = JsonExport {
        generated_by: format!("casetag {}", env!("CARGO_PKG_VERSION")),
        count: entries.len(),
        case_studies: entries
            .iter()
            .map(|e| JsonCaseStudy {
                title: &e.title,
                lead_member: &e.lead_member,
                participating_members: &e.participating_members,
                year: e.year,
                status: &e.status,
                source: &e.source,
                decision: &e.decision,
                primary_category: &e.primary_category,
                categories: &e.categories,
                principles: &e.principles,
                values: &e.values,
                note: include_note.then_some(&e.note),
                reviewer: &e.reviewer,
                reviewed_at: &e.reviewed_at,
                excerpt: &e.excerpt,
            })
            .collect(),
    };
    // Serialising plain strings and numbers cannot fail.
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
