//! `casetag export`: the decided case studies for the website (CSV, JSON) and
//! for the printed Case Studies Pack (Markdown for pandoc).
//!
//! Tags are exported as labels, not ids. By default only approved case studies
//! are exported; a record that is invalid, a submission that changed since it
//! was reviewed, or one that cannot be read is skipped (and listed on stderr)
//! unless `--force` is given.
//!
//! # CSV
//!
//! RFC 4180 (CRLF line ends, fields quoted when needed), UTF-8 without a byte
//! order mark, one header row, then one row per case study:
//!
//! ```text
//! title,lead_member,participating_members,year,status,source,decision,
//! primary_category,categories,principles,value_1,value_2,value_3,[note,]
//! reviewer,reviewed_at,excerpt
//! ```
//!
//! Lists (`participating_members`, `categories`, `principles`) are joined with
//! `"; "`; `value_1` is the top-ranked value. `note` is there only with
//! `--note`. A missing field is an empty cell.
//!
//! # JSON
//!
//! One object, pretty-printed (two-space indent), keys in this order:
//!
//! ```text
//! {
//!   "generated_by": "casetag 0.1.0",       // the program and its version
//!   "count": 2,                            // the number of case studies
//!   "case_studies": [
//!     {
//!       "title": "Community food hubs",    // string
//!       "lead_member": "Oldham Council",   // string or null
//!       "participating_members": ["Rochdale Metropolitan Borough Council"],
//!       "year": 2020,                      // integer or null
//!       "status": "Policy Labs",           // the programme; string or null
//!       "source": "oldham-food-hubs.md",   // the submission's file name
//!       "decision": "approve",             // "approve" | "needs-info" | "decline"
//!       "primary_category": "Community",   // label; string or null
//!       "categories": ["Poverty"],         // secondary category labels, taxonomy order
//!       "principles": ["Co-production", "Innovation"],  // labels, taxonomy order
//!       "values": ["Solidarity", "Democracy", "Caring for others"],  // rank order, first is rank 1
//!       "note": "Ask for a photo.",        // only with --note; string or null
//!       "reviewer": "nhuckerby",           // string or null
//!       "reviewed_at": "2026-11-22T10:15:00Z",  // RFC 3339; string or null
//!       "excerpt": "Oldham Council opened five community food hubs …"  // plain text
//!     }
//!   ]
//! }
//! ```
//!
//! Case studies come in the order of their file names. Every string is plain
//! text: control, bidi and zero-width characters are removed, and the
//! excerpt (about the first 60 words of the body, cut at a sentence or word
//! end and marked `…` when cut) has its Markdown syntax stripped. With
//! `--force`, an id the taxonomy does not know is exported as the raw id.
//!
//! # Pack
//!
//! Markdown meant for `pandoc pack.md -o pack.pdf`: a `#` title, a line with
//! the count, then one `##` section per primary category in taxonomy order
//! (empty ones left out), each case study a `###` heading with a short field
//! list and its excerpt. Text from submissions is escaped so that it always
//! renders literally.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::batch::{Batch, Item};
use crate::problem::Problem;
use crate::record::{Decision, write_atomic};
use crate::sanitize::is_unsafe;
use crate::taxonomy::{Kind, Taxonomy};

/// About how many words of the body the excerpt keeps.
const EXCERPT_WORDS: usize = 60;
/// A sentence end this far into the excerpt is a better place to cut than a
/// word end; an earlier one would leave the excerpt too short.
const EXCERPT_MIN_SENTENCE_WORDS: usize = 30;
/// An upper bound whatever the words: a body may hold one enormous "word".
const EXCERPT_MAX_CHARS: usize = 600;

/// The endings of the file names [`export_for_ui`] writes.
pub const UI_PACK_FILE: &str = "pack.md";
pub const UI_CSV_FILE: &str = "case-studies.csv";

/// What to export as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A table for the website's import (one row per case study).
    Csv,
    /// The same data as JSON, for scripts.
    Json,
    /// The printed Case Studies Pack, in Markdown (for pandoc).
    Pack,
}

/// The options of `casetag export`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    pub format: Format,
    /// Which decisions to export; empty means approved only.
    pub decisions: Vec<Decision>,
    /// Add the officer's note (CSV and JSON; the pack never shows it).
    pub include_note: bool,
    /// Export invalid and changed records too, as warnings.
    pub force: bool,
    /// The file to write; `None` or `-` is standard output.
    pub output: Option<PathBuf>,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            format: Format::Csv,
            decisions: vec![Decision::Approve],
            include_note: false,
            force: false,
            output: None,
        }
    }
}

/// Parses one `--decision` word (for clap's `value_parser`, with
/// `value_delimiter = ','`).
pub fn parse_decision(s: &str) -> Result<Decision, String> {
    Decision::parse(s.trim()).ok_or_else(|| {
        let all: Vec<&str> = Decision::ALL.iter().map(|d| d.as_str()).collect();
        format!("unknown decision {s:?}; expected one of {}", all.join(", "))
    })
}

/// One exported case study: the submission's metadata and the officer's tags,
/// as labels. Every string is plain text with control characters removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseStudy {
    pub title: String,
    pub lead_member: Option<String>,
    pub participating_members: Vec<String>,
    pub year: Option<i64>,
    /// The programme (Policy Labs, Policy Prototypes, ...).
    pub status: Option<String>,
    /// The submission's file name.
    pub source: String,
    /// `approve`, `needs-info` or `decline`.
    pub decision: String,
    /// The primary category's label.
    pub primary_category: Option<String>,
    /// Secondary category labels, in taxonomy order.
    pub categories: Vec<String>,
    /// Principle labels, in taxonomy order.
    pub principles: Vec<String>,
    /// Value labels, in rank order.
    pub values: Vec<String>,
    /// May span several lines.
    pub note: Option<String>,
    pub reviewer: Option<String>,
    pub reviewed_at: Option<String>,
    /// About the first 60 words of the body, Markdown stripped.
    pub excerpt: String,
}

/// The text of an export in `format`, from the selected entries.
pub fn render(
    format: Format,
    entries: &[CaseStudy],
    include_note: bool,
    taxonomy: &Taxonomy,
) -> String {
    match format {
        Format::Csv => to_csv(entries, include_note),
        Format::Json => to_json(entries, include_note),
        Format::Pack => to_pack(entries, taxonomy),
    }
}

/// The pure part: the entries to export and the ones skipped (with why), in
/// file-name order. With `force` the list also holds warnings for the
/// entries exported despite their problems.
pub fn collect(
    batch: &Batch,
    taxonomy: &Taxonomy,
    decisions: &[Decision],
    force: bool,
) -> (Vec<CaseStudy>, Vec<Problem>) {
    let s = select(batch, taxonomy, decisions, force);
    let mut problems = s.skipped;
    problems.extend(s.warnings);
    problems.sort_by(|a, b| a.path.cmp(&b.path));
    (s.entries, problems)
}

/// Writes `STEM-pack.md` and `STEM-case-studies.csv` of the approved entries
/// into `dir` (the TUI's export key); returns the two paths written and the
/// entries skipped. `dir` is created if missing. The batch folder itself is
/// refused: a pack there would be read as a submission.
pub fn export_for_ui(
    batch: &Batch,
    taxonomy: &Taxonomy,
    dir: &Path,
    stem: &str,
) -> Result<(Vec<PathBuf>, Vec<Problem>), std::io::Error> {
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    };
    if same(dir, &batch.dir) {
        return Err(std::io::Error::other(
            "the export folder is the batch itself; a pack there would be read as a submission",
        ));
    }
    let s = select(batch, taxonomy, &[Decision::Approve], false);
    std::fs::create_dir_all(dir)?;
    let pack = dir.join(format!("{stem}-{UI_PACK_FILE}"));
    let csv = dir.join(format!("{stem}-{UI_CSV_FILE}"));
    write_atomic(&pack, to_pack(&s.entries, taxonomy).as_bytes())?;
    write_atomic(&csv, to_csv(&s.entries, false).as_bytes())?;
    Ok((vec![pack, csv], s.skipped))
}

/// What [`collect`] found, with skips and warnings apart.
pub struct Selection {
    pub entries: Vec<CaseStudy>,
    /// Not exported: listed on stderr, exit code 1.
    pub skipped: Vec<Problem>,
    /// Exported despite their problems (`--force`).
    pub warnings: Vec<Problem>,
}

/// The entries to export from `batch` for `decisions`, in file-name order.
pub fn select(
    batch: &Batch,
    taxonomy: &Taxonomy,
    decisions: &[Decision],
    force: bool,
) -> Selection {
    let mut sel = Selection {
        entries: Vec::new(),
        skipped: Vec::new(),
        warnings: Vec::new(),
    };
    let mut items: Vec<&Item> = batch.items.iter().collect();
    items.sort_by(|a, b| a.file_name.cmp(&b.file_name));
    for item in items {
        // A record that cannot be read may hold any decision: say so.
        if item.record_error.is_some() {
            sel.skipped.extend(
                item.problems(taxonomy)
                    .into_iter()
                    .map(|p| prefixed(p, "skipped")),
            );
            continue;
        }
        let Some(rf) = &item.record else { continue };
        let record = &rf.record;
        let decision = match record.decision_kind() {
            Some(d) => d,
            None => {
                // A decision word casetag does not know: the record is
                // invalid, and whether it was meant to be exported is unknown.
                if record
                    .decision
                    .as_deref()
                    .is_some_and(|d| !d.trim().is_empty())
                {
                    sel.skipped.extend(
                        item.problems(taxonomy)
                            .into_iter()
                            .map(|p| prefixed(p, "skipped")),
                    );
                }
                continue;
            }
        };
        if !decisions.contains(&decision) {
            continue;
        }
        let problems = item.problems(taxonomy);
        let submission = match &item.submission {
            Ok(s) => s,
            Err(_) => {
                // Nothing to export, even with --force.
                sel.skipped
                    .extend(problems.into_iter().map(|p| prefixed(p, "skipped")));
                continue;
            }
        };
        if !problems.is_empty() {
            if force {
                sel.warnings.extend(
                    problems
                        .into_iter()
                        .map(|p| prefixed(p, "exported anyway (--force)")),
                );
            } else {
                sel.skipped
                    .extend(problems.into_iter().map(|p| prefixed(p, "skipped")));
                continue;
            }
        }
        let label = |kind: Kind, id: &str| clean_line(taxonomy.label(kind, id.trim()));
        let primary = record
            .primary_category
            .as_deref()
            .filter(|id| !id.trim().is_empty());
        let mut categories = record.categories.clone();
        categories.retain(|c| Some(c.trim()) != primary.map(str::trim));
        let categories = in_taxonomy_order(taxonomy, Kind::Category, &categories);
        let principles = in_taxonomy_order(taxonomy, Kind::Principle, &record.principles);
        let mut values: Vec<String> = Vec::new();
        for v in &record.values {
            let l = label(Kind::Value, v);
            if !l.is_empty() && !values.contains(&l) {
                values.push(l);
            }
        }
        sel.entries.push(CaseStudy {
            title: clean_line(&submission.title),
            lead_member: opt_line(submission.lead_member.as_deref()),
            participating_members: submission
                .participating_members
                .iter()
                .map(|m| clean_line(m))
                .filter(|m| !m.is_empty())
                .collect(),
            year: submission.year,
            status: opt_line(submission.status.as_deref()),
            source: clean_line(&item.file_name),
            decision: decision.as_str().to_string(),
            primary_category: primary.map(|id| label(Kind::Category, id)),
            categories: categories
                .iter()
                .map(|id| label(Kind::Category, id))
                .collect(),
            principles: principles
                .iter()
                .map(|id| label(Kind::Principle, id))
                .collect(),
            values,
            note: record
                .note
                .as_deref()
                .map(clean_text)
                .filter(|n| !n.is_empty()),
            reviewer: opt_line(record.reviewer.as_deref()),
            reviewed_at: opt_line(record.reviewed_at.as_deref()),
            excerpt: excerpt(&submission.body),
        });
    }
    sel
}

/// The problem with `what: ` put before its message.
fn prefixed(mut p: Problem, what: &str) -> Problem {
    p.message = format!("{what}: {}", p.message);
    p
}

/// Ids sorted as the taxonomy lists them, duplicates and blanks removed;
/// unknown ids (only exported with `--force`) follow in their own order.
fn in_taxonomy_order(taxonomy: &Taxonomy, kind: Kind, ids: &[String]) -> Vec<String> {
    let mut seen: Vec<&str> = Vec::new();
    for id in ids {
        let id = id.trim();
        if !id.is_empty() && !seen.contains(&id) {
            seen.push(id);
        }
    }
    let mut keyed: Vec<(usize, usize, &str)> = seen
        .iter()
        .enumerate()
        .map(|(i, id)| (taxonomy.index_of(kind, id).unwrap_or(usize::MAX), i, *id))
        .collect();
    keyed.sort();
    keyed.into_iter().map(|(_, _, id)| id.to_string()).collect()
}

/// The closing line of an export: what was written where, and what was skipped.
pub fn summary(sel: &Selection, target: Option<&Path>) -> String {
    let n = sel.entries.len();
    let mut s = format!(
        "casetag: {n} case stud{} exported",
        if n == 1 { "y" } else { "ies" }
    );
    if let Some(path) = target {
        let _ = write!(s, " to {}", path.display());
    }
    let skipped: std::collections::BTreeSet<&Path> =
        sel.skipped.iter().map(|p| p.path.as_path()).collect();
    if !skipped.is_empty() {
        let _ = write!(
            s,
            "; {} file{} skipped (use --force to export them anyway)",
            skipped.len(),
            if skipped.len() == 1 { "" } else { "s" }
        );
    }
    s
}

/// Whether a file written at `path` would become part of the batch in `dir`.
pub fn would_be_read_as_submission(path: &Path, dir: &Path) -> bool {
    let is_submission_ext = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("txt"));
    if !is_submission_ext {
        return false;
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    match (parent.canonicalize(), dir.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

// ---------------------------------------------------------------------------
// CSV
// ---------------------------------------------------------------------------

/// The case studies as RFC 4180 CSV with a header row (see the module docs).
pub fn to_csv(entries: &[CaseStudy], include_note: bool) -> String {
    let value_columns = entries
        .iter()
        .map(|e| e.values.len())
        .max()
        .unwrap_or(0)
        .max(3);
    let mut header: Vec<String> = [
        "title",
        "lead_member",
        "participating_members",
        "year",
        "status",
        "source",
        "decision",
        "primary_category",
        "categories",
        "principles",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    header.extend((1..=value_columns).map(|i| format!("value_{i}")));
    if include_note {
        header.push("note".into());
    }
    header.extend(["reviewer", "reviewed_at", "excerpt"].map(String::from));

    let mut rows = vec![header];
    for e in entries {
        let opt = |v: &Option<String>| v.clone().unwrap_or_default();
        let mut row = vec![
            e.title.clone(),
            opt(&e.lead_member),
            e.participating_members.join("; "),
            e.year.map(|y| y.to_string()).unwrap_or_default(),
            opt(&e.status),
            e.source.clone(),
            e.decision.clone(),
            opt(&e.primary_category),
            e.categories.join("; "),
            e.principles.join("; "),
        ];
        row.extend((0..value_columns).map(|i| e.values.get(i).cloned().unwrap_or_default()));
        if include_note {
            row.push(opt(&e.note));
        }
        row.extend([opt(&e.reviewer), opt(&e.reviewed_at), e.excerpt.clone()]);
        rows.push(row);
    }

    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for row in &rows {
        // Writing to memory cannot fail.
        let _ = w.write_record(row);
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

// ---------------------------------------------------------------------------
// JSON
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// The printed pack
// ---------------------------------------------------------------------------

/// The printed Case Studies Pack in Markdown: one `##` section per primary
/// category in taxonomy order (empty ones left out; unknown categories and
/// case studies without one come last), each case study a `###` heading, its
/// fields and its excerpt.
pub fn to_pack(entries: &[CaseStudy], taxonomy: &Taxonomy) -> String {
    let mut o = String::new();
    o.push_str("# CCIN Case Studies Pack\n\n");
    let n = entries.len();
    if n == 0 {
        o.push_str("No case studies to show.\n");
        return o;
    }
    let _ = writeln!(
        o,
        "{n} case stud{} from members of the Co-operative Councils Innovation Network, \
         grouped by primary category.\n",
        if n == 1 { "y" } else { "ies" }
    );

    // Sections: the taxonomy's categories, then labels it does not know
    // (exported with --force), then the case studies without a category.
    let mut sections: Vec<Option<String>> = taxonomy
        .entries(Kind::Category)
        .iter()
        .map(|c| Some(clean_line(&c.label)))
        .collect();
    for e in entries {
        if !sections.contains(&e.primary_category) {
            sections.push(e.primary_category.clone());
        }
    }
    if let Some(pos) = sections.iter().position(Option::is_none) {
        let none = sections.remove(pos);
        sections.push(none);
    }

    for section in &sections {
        let members: Vec<&CaseStudy> = entries
            .iter()
            .filter(|e| &e.primary_category == section)
            .collect();
        if members.is_empty() {
            continue;
        }
        let heading = section
            .as_deref()
            .map_or_else(|| "Uncategorised".to_string(), md_inline);
        let _ = writeln!(o, "## {heading}\n");
        for e in members {
            pack_entry(&mut o, e);
        }
    }
    o
}

fn pack_entry(o: &mut String, e: &CaseStudy) {
    let title = if e.title.is_empty() {
        &e.source
    } else {
        &e.title
    };
    let _ = writeln!(o, "### {}\n", md_inline(title));
    let mut field = |name: &str, value: String| {
        if !value.is_empty() {
            let _ = writeln!(o, "- **{name}:** {value}");
        }
    };
    field(
        "Lead member",
        e.lead_member.as_deref().map(md_inline).unwrap_or_default(),
    );
    // The lead is often listed among the participants too.
    let lead = e.lead_member.as_deref().map(str::to_lowercase);
    let others: Vec<String> = e
        .participating_members
        .iter()
        .filter(|m| Some(m.to_lowercase()) != lead)
        .map(|m| md_inline(m))
        .collect();
    field("Participating members", others.join(", "));
    field("Year", e.year.map(|y| y.to_string()).unwrap_or_default());
    field(
        "Programme",
        e.status.as_deref().map(md_inline).unwrap_or_default(),
    );
    field("Other categories", md_list(&e.categories));
    field("Principles", md_list(&e.principles));
    let values: Vec<String> = e
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{}. {}", i + 1, md_inline(v)))
        .collect();
    field(
        if values.len() == 3 {
            "Top three values"
        } else {
            "Values"
        },
        values.join(" "),
    );
    o.push('\n');
    if !e.excerpt.is_empty() {
        let _ = writeln!(o, "{}\n", md_paragraph(&e.excerpt));
    }
}

fn md_list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| md_inline(s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Escapes text for use inside a line of Markdown (pandoc's and CommonMark's)
/// so that it renders literally: emphasis, links, headings, HTML, math,
/// citations, footnotes and attributes are all neutralised. Control
/// characters are dropped and line breaks become spaces.
pub fn md_inline(s: &str) -> String {
    let s = clean_line(s);
    let mut out = String::with_capacity(s.len() + 8);
    let mut prev: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '^' | '$' | '{'
            | '}' => true,
            // `@key` is a pandoc citation; `name@example.org` is not
            '@' => !prev.is_some_and(char::is_alphanumeric),
            // `&amp;` and `&#38;` are entities; "Health & Care" is not
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// Escapes text that starts a line of its own (a paragraph): as [`md_inline`],
/// and also what would start a list, a block quote, a rule or a definition.
pub fn md_paragraph(s: &str) -> String {
    let inline = md_inline(s);
    if inline.starts_with(['-', '+', ':', '=', '%']) {
        return format!("\\{inline}");
    }
    // `1. `, `1) `, `a. `, `iv) `, `(a) `: ordered-list markers
    let token = inline.split(' ').next().unwrap_or("");
    let after = inline.get(token.len()..).unwrap_or("");
    let (open, inner) = match token.strip_prefix('(') {
        Some(r) => (true, r),
        None => (false, token),
    };
    let (body, close) = if let Some(b) = inner.strip_suffix('.') {
        (b, '.')
    } else if let Some(b) = inner.strip_suffix(')') {
        (b, ')')
    } else {
        return inline;
    };
    let is_marker = !body.is_empty()
        && (body.chars().all(|c| c.is_ascii_digit())
            || body.chars().count() == 1 && body.chars().all(|c| c.is_ascii_alphabetic())
            || body.chars().all(|c| "ivxlcdmIVXLCDM".contains(c)));
    if !is_marker || (open && close != ')') {
        return inline;
    }
    format!("{}{body}\\{close}{after}", if open { "\\(" } else { "" })
}

// ---------------------------------------------------------------------------
// Plain text
// ---------------------------------------------------------------------------

/// One line of untrusted text as plain text: control, bidi and zero-width
/// characters dropped, runs of white space (line breaks too) made one space.
fn clean_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        let word: String = word.chars().filter(|c| !is_unsafe(*c)).collect();
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word);
    }
    out
}

fn opt_line(s: Option<&str>) -> Option<String> {
    s.map(clean_line).filter(|s| !s.is_empty())
}

/// A multi-line text (a note): line breaks kept (as `\n`), each line cleaned
/// as by [`clean_line`] but keeping its inner spacing, blank lines at either
/// end dropped.
fn clean_text(s: &str) -> String {
    let lines: Vec<String> = s
        .split('\n')
        .map(|l| {
            l.chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .filter(|c| !is_unsafe(*c))
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect();
    lines.join("\n").trim_matches('\n').trim().to_string()
}

/// About the first [`EXCERPT_WORDS`] words of a body as plain text: cut at the
/// last sentence end if that keeps enough, else at a word end; `…` marks a cut.
pub fn excerpt(body: &str) -> String {
    let text = plain_text(body);
    let words: Vec<&str> = text.split_whitespace().collect();
    let head: Vec<&str> = words.iter().take(EXCERPT_WORDS).copied().collect();
    let cut_words = words.len() > head.len();
    let mut out = if cut_words {
        let sentence_end = (EXCERPT_MIN_SENTENCE_WORDS.saturating_sub(1)..head.len())
            .rev()
            .find(|&i| {
                head.get(i).is_some_and(|w| ends_sentence(w))
                    && words.get(i + 1).is_some_and(|n| starts_sentence(n))
            });
        match sentence_end {
            Some(i) => format!(
                "{} …",
                head.iter()
                    .take(i + 1)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            None => format!("{}…", trim_trailing_punctuation(&head.join(" "))),
        }
    } else {
        head.join(" ")
    };
    if out.chars().count() > EXCERPT_MAX_CHARS {
        let limit: String = out.chars().take(EXCERPT_MAX_CHARS).collect();
        let cut = match limit.rfind(' ') {
            Some(i) if i > EXCERPT_MAX_CHARS / 2 => limit.get(..i).unwrap_or(&limit).to_string(),
            _ => limit,
        };
        out = format!("{}…", trim_trailing_punctuation(&cut));
    }
    out
}

fn ends_sentence(word: &str) -> bool {
    let w = word.trim_end_matches(['"', '\'', '”', '’', ')', ']']);
    w.ends_with(['.', '!', '?']) && !w.ends_with("...") && w.chars().count() > 1
}

fn starts_sentence(word: &str) -> bool {
    word.trim_start_matches(['"', '\'', '“', '‘', '('])
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
}

fn trim_trailing_punctuation(s: &str) -> &str {
    s.trim_end_matches([
        ',', ';', ':', '-', '–', '—', ' ', '(', '"', '“', '\'', '‘', '…',
    ])
}

/// The prose of a Markdown or plain-text body: headings, rules, code blocks,
/// tables' rules and link definitions left out; list and quote markers,
/// emphasis, links (their text kept) and HTML tags stripped.
fn plain_text(body: &str) -> String {
    let mut kept: Vec<String> = Vec::new();
    let mut fence: Option<&str> = None;
    let mut prev_blank = true;
    for raw in body.lines() {
        let line = raw.trim();
        if let Some(f) = fence {
            if line.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if line.starts_with("```") {
            fence = Some("```");
            continue;
        }
        if line.starts_with("~~~") {
            fence = Some("~~~");
            continue;
        }
        if line.is_empty() {
            prev_blank = true;
            continue;
        }
        // setext heading: the line above was its text
        if !prev_blank
            && line.len() >= 2
            && (line.chars().all(|c| c == '=') || line.chars().all(|c| c == '-'))
        {
            kept.pop();
            prev_blank = true;
            continue;
        }
        prev_blank = false;
        if line.starts_with('#') || is_rule(line) || is_link_definition(line) {
            continue;
        }
        if line.starts_with("<!--") {
            continue;
        }
        let mut line = strip_block_markers(line);
        if line.starts_with('|') {
            if line.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')) {
                continue;
            }
            line = line.replace('|', " ");
        }
        let text = strip_inline(&line);
        if !text.trim().is_empty() {
            kept.push(text);
        }
    }
    clean_line(&kept.join(" "))
}

fn is_rule(line: &str) -> bool {
    let compact: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 3
        && ["*", "-", "_"]
            .iter()
            .any(|m| compact.chars().all(|c| c.to_string() == *m))
}

/// `[id]: https://...`
fn is_link_definition(line: &str) -> bool {
    line.starts_with('[')
        && line
            .find("]:")
            .and_then(|i| line.get(1..i))
            .is_some_and(|id| !id.contains(']'))
}

/// Strips quote markers and list bullets (`-`, `*`, `+`, `•`, `1.`, `1)`,
/// `[ ]`) from the start of a line.
fn strip_block_markers(line: &str) -> String {
    let mut s = line.trim_start();
    loop {
        let before = s.len();
        if let Some(r) = s.strip_prefix('>') {
            s = r.trim_start();
        }
        for bullet in ["- ", "* ", "+ ", "• ", "◦ ", "▪ ", "– "] {
            if let Some(r) = s.strip_prefix(bullet) {
                s = r.trim_start();
            }
        }
        let digits = s.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && digits < 10 {
            let rest = s.get(digits..).unwrap_or("");
            if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
                s = r.trim_start();
            }
        }
        for task in ["[ ] ", "[x] ", "[X] "] {
            if let Some(r) = s.strip_prefix(task) {
                s = r.trim_start();
            }
        }
        if s.len() == before {
            return s.to_string();
        }
    }
}

/// Strips inline Markdown: `[text](url)` and `![alt](url)` keep their text,
/// `<https://...>` its address; tags, footnote marks, `*`, `` ` ``, `~~` and
/// emphasis underscores go; `\*` becomes `*`.
fn strip_inline(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let next = chars.get(i + 1).copied();
        match c {
            '\\' if next.is_some_and(|n| n.is_ascii_punctuation()) => {
                if let Some(n) = next {
                    out.push(n);
                }
                i += 2;
            }
            '!' if next == Some('[') => match link_at(&chars, i + 1) {
                Some((text, end)) => {
                    out.push_str(&strip_inline(&text));
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            '[' => match link_at(&chars, i) {
                Some((text, end)) => {
                    if !text.starts_with('^') {
                        out.push_str(&strip_inline(&text));
                    }
                    i = end;
                }
                None => {
                    out.push(c);
                    i += 1;
                }
            },
            '<' => {
                let close = chars
                    .iter()
                    .skip(i + 1)
                    .position(|&x| x == '>')
                    .map(|p| p + i + 1);
                match close {
                    Some(end) => {
                        let inner: String =
                            chars.get(i + 1..end).unwrap_or_default().iter().collect();
                        let is_address =
                            !inner.contains(' ') && (inner.contains("://") || inner.contains('@'));
                        let is_tag = inner
                            .chars()
                            .next()
                            .is_some_and(|f| f.is_ascii_alphabetic() || f == '/' || f == '!');
                        if is_address {
                            out.push_str(inner.trim_start_matches("mailto:"));
                            i = end + 1;
                        } else if is_tag {
                            out.push(' ');
                            i = end + 1;
                        } else {
                            out.push(c);
                            i += 1;
                        }
                    }
                    None => {
                        out.push(c);
                        i += 1;
                    }
                }
            }
            '*' | '`' => i += 1,
            '~' if next == Some('~') => i += 2,
            '_' => {
                let prev_word = i > 0 && chars.get(i - 1).is_some_and(|p| p.is_alphanumeric());
                let next_word = next.is_some_and(char::is_alphanumeric);
                if prev_word && next_word {
                    out.push(c);
                }
                i += 1;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// A link or image starting at `chars[start] == '['`: `[text](url)`,
/// `[text][ref]`, `[text][]` or a footnote mark `[^1]`. Returns its text and
/// the index after it.
fn link_at(chars: &[char], start: usize) -> Option<(String, usize)> {
    let close = chars
        .iter()
        .skip(start + 1)
        .position(|&c| c == ']' || c == '[')
        .map(|p| p + start + 1)?;
    if chars.get(close) != Some(&']') {
        return None;
    }
    let text: String = chars.get(start + 1..close)?.iter().collect();
    if text.starts_with('^') {
        return Some((text, close + 1));
    }
    let shut = match chars.get(close + 1) {
        Some('(') => ')',
        Some('[') => ']',
        _ => return None,
    };
    let end = chars
        .iter()
        .skip(close + 2)
        .position(|&c| c == shut)
        .map(|p| p + close + 2)?;
    Some((text, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_bodies_are_whole() {
        assert_eq!(
            excerpt("One short paragraph.\n\nAnd another."),
            "One short paragraph. And another."
        );
        assert_eq!(excerpt(""), "");
    }

    #[test]
    fn long_bodies_cut_at_a_sentence_end() {
        let first: String = (1..=40)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        let body = format!(
            "{first}. Then the second sentence goes on and on {}",
            "and on ".repeat(30)
        );
        let e = excerpt(&body);
        assert_eq!(e, format!("{first}. …"));
    }

    #[test]
    fn long_bodies_without_an_early_sentence_end_cut_at_a_word() {
        let body = format!("Short. {}", "word, ".repeat(100));
        let e = excerpt(&body);
        assert!(e.ends_with("word…"), "{e}");
        assert_eq!(e.split_whitespace().count(), EXCERPT_WORDS);
    }

    #[test]
    fn one_enormous_word_is_bounded() {
        let e = excerpt(&"x".repeat(100_000));
        assert_eq!(e.chars().count(), EXCERPT_MAX_CHARS + 1);
        assert!(e.ends_with('…'));
    }

    #[test]
    fn markdown_is_stripped_from_the_excerpt() {
        let body = "# Heading\n\nSome *bold* and _emphasised_ text with a [link](https://x.org) \
                    and ![an image](i.png).\n\n- a bullet\n1. a number\n> quoted `code`\n\n\
                    ```\nfn hidden() {}\n```\n\nSetext\n------\n\nsnake_case <b>tag</b> <https://a.b> \\*lit\\* [^1]\n\n[1]: https://def";
        assert_eq!(
            excerpt(body),
            "Some bold and emphasised text with a link and an image. a bullet a number quoted code \
             snake_case tag https://a.b *lit*"
        );
    }

    #[test]
    fn control_characters_are_removed() {
        assert_eq!(clean_line("a\x1b[31mb\u{202e}c\n d\t"), "a[31mbc d");
        assert_eq!(
            clean_text("line one\r\n\x07line two\n\n"),
            "line one\nline two"
        );
        assert_eq!(excerpt("evil\x1b]0;x\x07 text"), "evil]0;x text");
    }

    #[test]
    fn markdown_specials_render_literally() {
        assert_eq!(
            md_inline("*Ouch* [link](x) # not a heading"),
            "\\*Ouch\\* \\[link\\](x) \\# not a heading"
        );
        assert_eq!(
            md_inline("a_b `c` <d> $e$ ~f~ ^g^ {h} |i| \\j"),
            "a\\_b \\`c\\` \\<d\\> \\$e\\$ \\~f\\~ \\^g\\^ \\{h\\} \\|i\\| \\\\j"
        );
        assert_eq!(md_inline("@cite me@example.org"), "\\@cite me@example.org");
        assert_eq!(md_inline("Health & Care &amp;"), "Health & Care \\&amp;");
    }

    #[test]
    fn paragraphs_never_start_a_block() {
        assert_eq!(md_paragraph("- not a list"), "\\- not a list");
        assert_eq!(md_paragraph("+ no"), "\\+ no");
        assert_eq!(md_paragraph("1. not a list"), "1\\. not a list");
        assert_eq!(md_paragraph("2020) no"), "2020\\) no");
        assert_eq!(md_paragraph("a) no"), "a\\) no");
        assert_eq!(md_paragraph("(iv) no"), "\\(iv\\) no");
        assert_eq!(md_paragraph("> no"), "\\> no");
        assert_eq!(md_paragraph("# no"), "\\# no");
        assert_eq!(md_paragraph(": no"), "\\: no");
        assert_eq!(md_paragraph("Plain text."), "Plain text.");
        assert_eq!(md_paragraph("Oldham. Council"), "Oldham. Council");
    }
}
