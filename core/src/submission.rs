//! Reading submissions: the case studies in the input folder (DESIGN section 3).
//!
//! Two formats, chosen by extension:
//!
//! - **Markdown** (`*.md`): optional TOML front matter between a first line `+++`
//!   and the next line `+++` (see `front_matter`), then the body. A "Principles
//!   met" section in the body is recognised too, but the body is kept whole.
//! - **Plain text** (`*.txt`): a press release, or a case study pasted from the
//!   network's website in either of its layouts (see `text` and `section`).
//!
//! Reading never panics and never blocks: only regular files are opened, with
//! `O_NONBLOCK`, and at most [`MAX_SUBMISSION_BYTES`] + 1 bytes are read.
//! Problems that make a file unusable (not valid UTF-8, broken front matter, too
//! large, not a regular file) are errors; everything else (an unknown key, a
//! wrong type, an unknown proposed tag, an unrecognised principle statement) is a
//! warning with its position, and the file stays usable.

mod folder;
mod front_matter;
mod lines;
mod noise;
mod principles;
mod section;
mod text;
mod title;

use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use crate::record::sha256_hex;

pub use folder::{Listing, Skipped, is_submission_file_name, list_folder};

use crate::problem::{Problem, line_col};
use crate::taxonomy::{Kind, Taxonomy};
use lines::{Line, is_about_heading, is_principles_heading, markdown_heading, split_lines};
use principles::Recogniser;

/// The largest submission casetag reads (2 MiB).
pub const MAX_SUBMISSION_BYTES: u64 = 2 * 1024 * 1024;

/// The most warnings kept for one file; past it, one last warning says how
/// many more there were.
pub const MAX_WARNINGS: usize = 100;

/// The two submission formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Markdown,
    Text,
}

/// Tags the council itself proposed ([proposed] table of .md front matter), resolved to taxonomy ids
/// via Taxonomy::resolve (ids or labels, any case). Names that do not resolve become warnings.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Proposed {
    pub primary_category: Option<String>,
    /// Secondary, in the given order, without the primary, no repeats.
    pub categories: Vec<String>,
    /// In taxonomy order.
    pub principles: Vec<String>,
    /// In the given (rank) order, no repeats.
    pub values: Vec<String>,
}

/// What casetag read from one submission file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Submission {
    /// e.g. "oldham-food-hubs.md"
    pub file_name: String,
    pub path: PathBuf,
    pub format: Format,
    /// Lower-case hex sha256 of the file's bytes.
    pub sha256: String,
    pub title: String,
    pub lead_member: Option<String>,
    pub participating_members: Vec<String>,
    pub year: Option<i64>,
    /// The programme, e.g. "Policy Labs" ("Type" on newer pages).
    pub status: Option<String>,
    pub contact: Option<String>,
    pub proposed: Proposed,
    /// Principle ids recognised under "Principles met", in taxonomy order.
    pub principles_met: Vec<String>,
    /// The text after front matter / header fields / principles section.
    pub body: String,
    /// 1-based line of the file where `body` starts.
    pub body_line: usize,
    /// Non-fatal problems, each with its line and column, in file order.
    pub warnings: Vec<Problem>,
}

/// The candidate submission paths directly in `dir` (not sub-folders; a folder,
/// or a link to one, named x.md is not a candidate), sorted by file name.
/// FIFOs, sockets, devices and broken links with a submission name are included
/// so they can be listed as errors. [`list_folder`] also says what is skipped.
pub fn list_dir(dir: &Path) -> io::Result<Vec<PathBuf>> {
    list_folder(dir).map(|l| l.submissions)
}

/// Reads one submission.
///
/// Only regular files are read (a link to one is fine): a FIFO, socket or
/// device is refused from its metadata before opening, the file is opened with
/// `O_NONBLOCK` and its metadata checked again, so a race cannot hang. Files over
/// [`MAX_SUBMISSION_BYTES`] are refused (at most that many + 1 bytes are read).
pub fn read_submission(path: &Path, taxonomy: &Taxonomy) -> Result<Submission, Problem> {
    let bytes = read_limited(path)?;
    parse_submission(path, &bytes, taxonomy)
}

fn too_large(path: &Path, len: u64) -> Problem {
    Problem::file(
        path,
        format!(
            "is too large: {len} bytes, more than the {} MiB a submission may have",
            MAX_SUBMISSION_BYTES / (1024 * 1024)
        ),
    )
}

fn cannot_read(path: &Path, e: &io::Error) -> Problem {
    Problem::file(path, format!("cannot read: {e}"))
}

/// What kind of file `t` is, for messages.
fn kind_of(t: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

fn read_limited(path: &Path) -> Result<Vec<u8>, Problem> {
    let meta = match fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            let is_link = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
            if is_link && e.kind() == io::ErrorKind::NotFound {
                return Err(Problem::file(
                    path,
                    "cannot read: a broken symbolic link (its target does not exist)",
                ));
            }
            return Err(cannot_read(path, &e));
        }
    };
    let not_regular = |t: &fs::FileType| {
        Problem::file(
            path,
            format!("cannot read: {}, not a regular file", kind_of(t)),
        )
    };
    if !meta.is_file() {
        return Err(not_regular(&meta.file_type()));
    }
    if meta.len() > MAX_SUBMISSION_BYTES {
        return Err(too_large(path, meta.len()));
    }
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path).map_err(|e| cannot_read(path, &e))?;
    let meta = file.metadata().map_err(|e| cannot_read(path, &e))?;
    if !meta.is_file() {
        return Err(not_regular(&meta.file_type()));
    }
    let mut bytes = Vec::new();
    file.take(MAX_SUBMISSION_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| cannot_read(path, &e))?;
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > MAX_SUBMISSION_BYTES {
        return Err(too_large(path, len));
    }
    Ok(bytes)
}

/// Whether `path` ends in `.ext` (any letter case).
fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case(ext))
}

/// The format a file name asks for: Markdown for `.md`, text otherwise.
fn format_of(path: &Path) -> Format {
    if has_extension(path, "md") {
        Format::Markdown
    } else {
        Format::Text
    }
}

/// Parses bytes already read (`path` is for messages and `file_name`).
pub fn parse_submission(
    path: &Path,
    bytes: &[u8],
    taxonomy: &Taxonomy,
) -> Result<Submission, Problem> {
    let len = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if len > MAX_SUBMISSION_BYTES {
        return Err(too_large(path, len));
    }
    if has_extension(path, "doc") {
        return Err(Problem::file(
            path,
            "an older Word document (.doc), which casetag does not read: \
             open it in Word and save it as .docx",
        ));
    }
    let raw = std::str::from_utf8(bytes).map_err(|e| {
        let valid = bytes
            .get(..e.valid_up_to())
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("");
        let before = lines::normalise_newlines(valid);
        let (line, col) = line_col(&before, before.len());
        let byte = bytes.get(e.valid_up_to()).copied().unwrap_or(0);
        Problem::at(
            path,
            line,
            col,
            format!("not valid UTF-8 (byte 0x{byte:02X})"),
        )
    })?;
    let format = format_of(path);
    let text = lines::normalise_newlines(raw);
    let text = match format {
        Format::Text => noise::strip(&text),
        Format::Markdown => text,
    };
    let lines = split_lines(&text);
    let rec = Recogniser::for_taxonomy(taxonomy);
    let parsed = match format {
        Format::Markdown => parse_markdown(path, &text, &lines, taxonomy, &rec)?,
        Format::Text => parse_text(&text, &lines, &rec),
    };
    let mut warnings: Vec<Problem> = parsed
        .warnings
        .into_iter()
        .map(|(line, col, message)| Problem::at(path, line, col, message))
        .collect();
    warnings.sort_by_key(|p| (p.line, p.col));
    if warnings.len() > MAX_WARNINGS {
        let more = warnings.split_off(MAX_WARNINGS);
        if let Some(first) = more.first() {
            warnings.push(Problem {
                message: format!("{} more warnings not shown", more.len()),
                ..first.clone()
            });
        }
    }
    let mut principles_met = parsed.principles_met;
    taxonomy.sort_ids(Kind::Principle, &mut principles_met);
    Ok(Submission {
        file_name: path.file_name().map_or_else(
            || path.to_string_lossy().into_owned(),
            |n| n.to_string_lossy().into_owned(),
        ),
        path: path.to_path_buf(),
        format,
        sha256: sha256_hex(bytes),
        title: parsed.title.unwrap_or_else(|| title::from_file_name(path)),
        lead_member: parsed.lead_member,
        participating_members: parsed.participating_members,
        year: parsed.year,
        status: parsed.status,
        contact: parsed.contact,
        proposed: parsed.proposed,
        principles_met,
        body: parsed.body,
        body_line: parsed.body_line,
        warnings,
    })
}

/// Recognises principle statements quoted in `text` (one statement or a run of
/// them, in any wording close to the official one), or a principle's label
/// when `text` is exactly that label. Returns principle ids in taxonomy order.
pub fn recognise_principles(text: &str, taxonomy: &Taxonomy) -> Vec<String> {
    Recogniser::for_taxonomy(taxonomy).recognise(text)
}

/// The format-independent result of parsing.
#[derive(Default)]
struct Parsed {
    title: Option<String>,
    lead_member: Option<String>,
    participating_members: Vec<String>,
    year: Option<i64>,
    status: Option<String>,
    contact: Option<String>,
    proposed: Proposed,
    principles_met: Vec<String>,
    body: String,
    body_line: usize,
    warnings: Vec<(usize, usize, String)>,
}

/// The body from line index `from` on, leading blank lines skipped, trailing
/// whitespace trimmed; and the line it starts on.
fn body_from(text: &str, lines: &[Line<'_>], from: usize) -> (String, usize) {
    match text::next_non_blank(lines, from).and_then(|k| lines.get(k)) {
        Some(l) => (
            text.get(l.start..).unwrap_or("").trim_end().to_string(),
            l.no,
        ),
        None => {
            let line = lines
                .get(from)
                .map_or_else(|| lines.last().map_or(1, |l| l.no + 1), |l| l.no);
            (String::new(), line)
        }
    }
}

fn parse_markdown(
    path: &Path,
    text: &str,
    lines: &[Line<'_>],
    taxonomy: &Taxonomy,
    rec: &Recogniser,
) -> Result<Parsed, Problem> {
    let mut p = Parsed::default();
    let opens = lines.first().is_some_and(|l| l.text.trim_end() == "+++");
    let mut body_from_line = 0;
    if opens {
        let close = lines
            .iter()
            .enumerate()
            .skip(1)
            .find(|(_, l)| l.text.trim() == "+++")
            .map(|(k, _)| k);
        let Some(close) = close else {
            return Err(Problem::at(
                path,
                1,
                1,
                "front matter opened here with `+++` is never closed (no later line `+++`)",
            ));
        };
        let start = lines.get(1).map_or(text.len(), |l| l.start);
        let end = lines.get(close).map_or(text.len(), |l| l.start);
        let toml_text = text.get(start..end).unwrap_or("");
        let fm = front_matter::parse(toml_text, 2, taxonomy)
            .map_err(|(line, col, message)| Problem::at(path, line, col, message))?;
        p.title = fm.title;
        p.lead_member = fm.lead_member;
        p.participating_members = fm.participating_members;
        p.year = fm.year;
        p.status = fm.status;
        p.contact = fm.contact;
        p.proposed = fm.proposed;
        p.warnings = fm.warnings;
        body_from_line = close + 1;
    } else if looks_like_yaml_front_matter(lines) {
        p.warnings.push((
            1,
            1,
            "YAML front matter (`---`) is not read: casetag reads TOML front matter between \
             `+++` lines; the text is shown as body"
                .to_string(),
        ));
    }
    // A "Principles met" section in the body (up to the next heading).
    if let Some(start) = lines
        .iter()
        .enumerate()
        .skip(body_from_line)
        .find(|(_, l)| is_principles_heading(l.text))
        .map(|(k, _)| k)
    {
        let bound = lines
            .iter()
            .enumerate()
            .skip(start + 1)
            .find(|(_, l)| markdown_heading(l.text).is_some() || is_about_heading(l.text))
            .map(|(k, _)| k);
        let s = section::scan(
            lines,
            start + 1,
            bound.unwrap_or(lines.len()),
            bound.is_some(),
            rec,
        );
        p.principles_met = s.principles;
        p.warnings.extend(
            s.unrecognised
                .into_iter()
                .map(|(l, c, t)| (l, c, text::unrecognised_message(&t))),
        );
    }
    if p.title.is_none() {
        p.title = title::from_lines(lines, body_from_line, true, rec);
    }
    (p.body, p.body_line) = body_from(text, lines, body_from_line);
    Ok(p)
}

/// A first line `---` followed by a `key:` line.
fn looks_like_yaml_front_matter(lines: &[Line<'_>]) -> bool {
    let mut it = lines.iter();
    let first = it.next().is_some_and(|l| l.text.trim_end() == "---");
    first
        && it.next().is_some_and(|l| {
            l.text.split_once(':').is_some_and(|(k, _)| {
                !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
            })
        })
}

fn parse_text(text: &str, lines: &[Line<'_>], rec: &Recogniser) -> Parsed {
    let h = text::parse(lines, rec);
    let (body, body_line) = body_from(text, lines, h.body_start);
    let title = h
        .title
        .map(|t| title::shorten(&t))
        .or_else(|| title::from_lines(lines, h.body_start, false, rec));
    Parsed {
        title,
        lead_member: h.lead_member,
        participating_members: h.participating_members,
        year: h.year,
        status: h.status,
        contact: h.contact,
        proposed: Proposed::default(),
        principles_met: h.principles,
        body,
        body_line,
        warnings: h.warnings,
    }
}

#[cfg(test)]
mod tests;
