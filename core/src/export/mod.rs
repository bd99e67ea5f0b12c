//! `casetag export`: the decided case studies for the website (CSV, JSON) and
//! for the printed Case Studies Pack (Markdown for pandoc, an editable Word
//! document, or one HTML page to print from a browser).
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
//! reviewer,reviewed_at,excerpt,contact
//! ```
//!
//! Lists (`participating_members`, `categories`, `principles`) are joined with
//! `"; "`; `value_1` is the top-ranked value. `note` is there only with
//! `--note`. A missing field is an empty cell.
//!
//! A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
//! ([`FORMULA_STARTS`]) gets a `'` in front (OWASP's advice against CSV
//! injection), so that a spreadsheet shows it as text instead of running it;
//! `--raw-cells` ([`ExportOptions::raw_cells`]) writes every cell exactly.
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
//!       "excerpt": "Oldham Council opened five community food hubs …",  // plain text
//!       "contact": "food@oldham.gov.uk"    // the council's contact; string or null
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
//! list and its whole text: the Markdown of a `.md` submission kept (its
//! headings moved below the case study's `###`, a first heading repeating the
//! title left out), a plain-text body as paragraphs. Raw HTML, pandoc's raw
//! blocks, images and links to anything but `http`, `https` or `mailto`
//! become escaped text. `--excerpt` prints the excerpt instead. Fields and
//! text from submissions are otherwise escaped so that they render literally.
//!
//! # Word and HTML
//!
//! The same pack without pandoc, from the same selection and the same
//! document model (`pack_doc`) as the Markdown: the same case studies in
//! the same order, the same fields, headings (never skipping a level),
//! lists, tables, quotes, code and links, and the same text made safe.
//! `--excerpt` works as for the Markdown; no pack shows the note.
//!
//! - `docx` ([`to_docx`]): Word's built-in styles (Title, Subtitle, TOC
//!   Heading, heading 1 per category, heading 2 per case study, heading 3
//!   to 5 within a text, No Spacing for the fields, List Bullet, List
//!   Number, Quote, HTML Preformatted, Hyperlink, Table Grid), a real
//!   contents field that Word fills in on opening (`w:updateFields`), real
//!   numbering and tables, each case study on a page of its own. Binary:
//!   the command writes it only with `-o`.
//! - `html` ([`to_html`]): one self-contained HTML5 page, `lang="en-GB"`,
//!   one `h1`, a contents list of links, print CSS (`@page` margins, a page
//!   break before each category and case study, rows never split), every
//!   string escaped (`& < > " '`).
//!
//! # Layout
//!
//! `select` picks the case studies from a batch; `csv` and `json` write
//! them; `pack_doc` makes the pack's outline and each case study's text as
//! blocks, which `pack` (with `pack_body`, Markdown), `pack_docx` and
//! `pack_html` write; `plain` turns untrusted text into the plain text they
//! hold.

mod csv;
mod fields;
mod json;
mod pack;
mod pack_body;
mod pack_doc;
mod pack_docx;
mod pack_html;
#[cfg(test)]
mod pack_props;
mod plain;
mod select;

use std::path::{Path, PathBuf};

use crate::batch::Batch;
use crate::fields::Fields;
use crate::fs::{write_atomic, write_atomic_streaming};
use crate::problem::Problem;
use crate::record::Decision;
use crate::taxonomy::Taxonomy;

pub use self::csv::{FORMULA_STARTS, defuse, to_csv};
pub use self::json::to_json;
pub use self::pack::{md_inline, md_paragraph, pack_into, to_pack};
pub use self::pack_docx::{docx_with, to_docx};
pub use self::pack_html::{PACK_STYLE, to_html};
pub use self::plain::excerpt;
pub use self::select::{
    Selection, collect, select, select_without_text, summary, would_be_read_as_submission,
};

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
    /// The printed pack as an editable Word document (`.docx`).
    Docx,
    /// The printed pack as one self-contained HTML page, to print or save
    /// as PDF from a browser.
    Html,
}

impl Format {
    /// Whether the format is a binary file, never to be written to a
    /// terminal unasked.
    pub fn is_binary(self) -> bool {
        self == Format::Docx
    }
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
    /// CSV: write every cell exactly, even one a spreadsheet would run as a
    /// formula (for an importer that wants the exact text).
    pub raw_cells: bool,
    /// Pack: each case study's whole text or only its excerpt.
    pub pack_text: PackText,
}

/// How much of each case study's text the pack carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PackText {
    /// The whole text, its Markdown kept (`export --format pack`).
    #[default]
    Full,
    /// About the first 60 words, as plain text (`--excerpt`).
    Excerpt,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            format: Format::Csv,
            decisions: vec![Decision::Approve],
            include_note: false,
            force: false,
            output: None,
            raw_cells: false,
            pack_text: PackText::Full,
        }
    }
}

/// Parses one `--decision` word (for the command line's value parser, with
/// `value_delimiter = ','`).
pub fn parse_decision(s: &str) -> Result<Decision, String> {
    Decision::parse(s.trim()).ok_or_else(|| {
        let all: Vec<&str> = Decision::ALL.iter().map(|d| d.as_str()).collect();
        format!("unknown decision {s:?}; expected one of {}", all.join(", "))
    })
}

/// One exported case study: the submission's metadata and the officer's tags,
/// as labels. Every string is plain text with control characters removed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CaseStudy {
    pub title: String,
    /// The lead and participating members, year, programme (Policy Labs,
    /// Policy Prototypes, ...) and the council's contact (a needs-info goes
    /// there), the officer's corrections applied.
    pub fields: Fields,
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
    /// The whole body as the submission holds it (the pack's text; not in
    /// the CSV or JSON).
    pub body: String,
    /// Whether `body` is Markdown (else plain text).
    pub body_is_markdown: bool,
}

/// The bytes of an export as `opts` ask (format, note, raw cells, the
/// pack's text), from the selected entries. Only a Word document can fail
/// to be made (its zip), and then says why.
pub fn render(
    opts: &ExportOptions,
    entries: &[CaseStudy],
    taxonomy: &Taxonomy,
) -> std::io::Result<Vec<u8>> {
    Ok(match opts.format {
        Format::Csv => to_csv(entries, opts.include_note, opts.raw_cells).into_bytes(),
        Format::Json => to_json(entries, opts.include_note).into_bytes(),
        Format::Pack => to_pack(entries, taxonomy, opts.pack_text).into_bytes(),
        Format::Html => to_html(entries, taxonomy, opts.pack_text).into_bytes(),
        Format::Docx => to_docx(entries, taxonomy, opts.pack_text)?,
    })
}

/// Writes `STEM-pack.md` and `STEM-case-studies.csv` of the approved entries
/// into `dir` (the TUI's export key); returns the two paths written and the
/// entries skipped. `dir` is created if missing. The batch folder itself is
/// refused: a pack there would be read as a submission.
/// `dir` with links resolved, also when its last parts do not exist yet.
fn resolve_ancestors(dir: &Path) -> Option<PathBuf> {
    let abs = std::path::absolute(dir).ok()?;
    let mut rest = Vec::new();
    let mut at = abs.as_path();
    loop {
        if let Ok(c) = at.canonicalize() {
            return Some(rest.iter().rev().fold(c, |p, n| p.join(n)));
        }
        rest.push(at.file_name()?.to_os_string());
        at = at.parent()?;
    }
}

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
    let inside = match (resolve_ancestors(dir), batch.dir.canonicalize()) {
        (Some(d), Ok(b)) => d.starts_with(b),
        _ => false,
    };
    if same(dir, &batch.dir) || inside {
        return Err(std::io::Error::other(
            "the export folder is inside the batch; casetag never writes there",
        ));
    }
    // The texts are read one at a time as the pack is written (the terminal
    // program holds only some in memory): a large batch's approved texts
    // are never all in memory at once.
    let s = select_without_text(batch, taxonomy, &[Decision::Approve], false);
    std::fs::create_dir_all(dir)?;
    let pack = dir.join(format!("{stem}-{UI_PACK_FILE}"));
    let csv = dir.join(format!("{stem}-{UI_CSV_FILE}"));
    write_atomic_streaming(&pack, &mut |w| {
        pack_into(
            &s.entries,
            taxonomy,
            PackText::Full,
            &mut |i| {
                let item = s.items.get(i).and_then(|&ix| batch.items.get(ix));
                match item.map(|it| it.text(taxonomy)) {
                    Some(Ok(text)) => Ok(text),
                    // it changed on disk since it was selected a moment ago
                    Some(Err(p)) => Err(std::io::Error::other(p.to_string())),
                    None => Ok(std::borrow::Cow::Borrowed("")),
                }
            },
            &mut |piece| w.write_all(piece.as_bytes()),
        )
    })?;
    write_atomic(&csv, to_csv(&s.entries, false, false).as_bytes())?;
    Ok((vec![pack, csv], s.skipped))
}
