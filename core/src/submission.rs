//! Reading submissions: the case studies in the input folder, in each format
//! councils send (Markdown, plain text, Word, e-mail, web page, PDF).
//!
//! Formats, chosen by extension:
//!
//! - **Markdown** (`*.md`): optional TOML front matter between a first line `+++`
//!   and the next line `+++` (see `front_matter`), then the body. A "Principles
//!   met" section in the body is recognised too, but the body is kept whole.
//! - **Plain text** (`*.txt`): a press release, or a case study pasted from the
//!   network's website in either of its layouts (see `text` and `section`).
//! - **Word** (`*.docx`), **e-mail** (`*.eml`), **saved web pages** (`*.html`,
//!   `*.htm`) and **PDF** (`*.pdf`): each reader (`docx`, `eml`, `html`, `pdf`)
//!   turns the document into text, one line per paragraph, which the same
//!   recogniser reads as the plain text's.
//!
//! Reading never panics and never blocks: only regular files are opened, with
//! `O_NONBLOCK`, and at most [`MAX_SUBMISSION_BYTES`] + 1 bytes are read.
//! Problems that make a file unusable (not valid UTF-8, broken front matter, too
//! large, not a regular file) are errors; everything else (an unknown key, a
//! wrong type, an unknown proposed tag, an unrecognised principle statement) is a
//! warning with its position, and the file stays usable.

mod docx;
mod eml;
mod folder;
mod form;
mod front_matter;
mod html;
mod lines;
mod msg;
mod noise;
mod odt;
mod pdf;
mod principles;
mod section;
mod text;
mod title;
mod word_xml;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::fs::ReadError;
use crate::record::sha256_hex;

pub use crate::fields::Fields;
pub use folder::{Listing, Skipped, is_submission_file_name, list_folder};

use crate::problem::{Problem, line_col};
use crate::tags::Tags;
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
    Docx,
    /// OpenDocument text (LibreOffice), read as a `.docx` is.
    Odt,
    Eml,
    /// Outlook's own message file, read as an `.eml` is.
    Msg,
    Html,
    Pdf,
}

impl Format {
    /// The name in `show --json`: docx, odt, eml, msg, html, pdf, markdown, text.
    pub fn name(self) -> &'static str {
        match self {
            Format::Markdown => "markdown",
            Format::Text => "text",
            Format::Docx => "docx",
            Format::Odt => "odt",
            Format::Eml => "eml",
            Format::Msg => "msg",
            Format::Html => "html",
            Format::Pdf => "pdf",
        }
    }
}

/// Tags the council itself proposed (the `[proposed]` table of .md front matter), resolved to taxonomy ids
/// via Taxonomy::resolve (ids or labels, any case). Names that do not resolve become warnings.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Proposed {
    /// Secondary categories in the given order, without the primary;
    /// principles in taxonomy order; values in the given (rank) order; no
    /// repeats.
    #[serde(flatten)]
    pub tags: Tags,
    /// What the council proposed that could not be taken as it was, and why
    /// (an unknown name, a repeat, a secondary that is the primary), in the
    /// order written.
    pub set_aside: Vec<SetAside>,
}

/// A proposed tag set aside, shown with its reason rather than dropped.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SetAside {
    pub kind: Kind,
    /// The entry's label, or the name as the council wrote it when the
    /// taxonomy does not know it.
    pub name: String,
    /// "not in the taxonomy", "named twice", ...
    pub reason: String,
}

impl SetAside {
    pub fn new(kind: Kind, name: impl Into<String>, reason: impl Into<String>) -> SetAside {
        SetAside {
            kind,
            name: name.into(),
            reason: reason.into(),
        }
    }

    /// "Generosity (value): not in the taxonomy".
    pub fn describe(&self) -> String {
        format!("{} ({}): {}", self.name, self.kind.singular(), self.reason)
    }
}

/// Why a proposed tag is set aside.
pub const NOT_IN_TAXONOMY: &str = "not in the taxonomy";
pub const NAMED_TWICE: &str = "named twice";
pub const SAME_AS_PRIMARY: &str = "the same as the primary category";

/// What casetag read from one submission file.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Submission {
    /// e.g. "oldham-food-hubs.md"
    pub file_name: String,
    /// As JSON, lossily: a name need not be UTF-8 (the bytes that are not
    /// become U+FFFD), and a name never stops a report.
    #[serde(serialize_with = "path_lossy")]
    pub path: PathBuf,
    pub format: Format,
    /// Lower-case hex sha256 of the file's bytes.
    pub sha256: String,
    pub title: String,
    /// Lead and participating members, year, programme, contact (flat in
    /// `show --json`).
    #[serde(flatten)]
    pub fields: Fields,
    pub proposed: Proposed,
    /// Principle ids recognised under "Principles met", in taxonomy order.
    pub principles_met: Vec<String>,
    /// The text after front matter / header fields / principles section.
    pub body: String,
    /// An e-mail's covering note above the message it forwards ("Dear
    /// colleagues, please see our press release below ..."), and a press
    /// release's banner and what follows its "Ends": shown in the reader as
    /// the e-mail's note, never printed as the case study.
    pub covering_note: Option<String>,
    /// 1-based line of the file where `body` starts (for a Word document,
    /// an e-mail, a web page or a PDF: of the text read from it).
    pub body_line: usize,
    /// Where a field came from when not from the document's own text, by
    /// field name (`"title": "the e-mail's subject"`).
    pub sources: BTreeMap<String, String>,
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

/// Reads one submission of a batch folder.
///
/// Only regular files are read: a FIFO, socket or device is refused from its
/// metadata before opening, the file is opened with `O_NONBLOCK` and its
/// metadata checked again, so a race cannot hang. A symbolic link is followed
/// only to a regular file in the same folder: one leading out of it (as
/// archives unpacked from e-mail can hold) is an error naming its target and
/// is never read (nothing outside the batch is read through it). Files over [`MAX_SUBMISSION_BYTES`] are
/// refused (at most that many + 1 bytes are read).
pub fn read_submission(path: &Path, taxonomy: &Taxonomy) -> Result<Submission, Problem> {
    let bytes = read_limited(path, crate::fs::read_in_folder)?;
    parse_submission(path, &bytes, taxonomy)
}

/// Reads a submission of a batch again for its text, dropped from memory
/// since it was read (see [`crate::batch::Texts`]): the same reader and checks
/// as [`read_submission`], and the bytes must still be those read then (their
/// sha256 is `sha256`). When they are not, nothing of the new bytes is
/// parsed or given back: the file changed on disk since it was read.
pub fn reread_submission(
    path: &Path,
    sha256: &str,
    taxonomy: &Taxonomy,
) -> Result<Submission, Problem> {
    let bytes = read_limited(path, crate::fs::read_in_folder)?;
    if !sha256_hex(&bytes).eq_ignore_ascii_case(sha256) {
        return Err(Problem::file(path, CHANGED_SINCE_READ));
    }
    parse_submission(path, &bytes, taxonomy)
}

/// Why a submission's text held no longer is not read again.
pub const CHANGED_SINCE_READ: &str = "changed on disk since it was read";

/// [`read_submission`] for a file named explicitly (`casetag show FILE`): a
/// link is followed wherever it leads, as any program does with a path it is
/// given; the caller says that it is one ([`crate::fs::is_link`]).
pub fn read_submission_following_links(
    path: &Path,
    taxonomy: &Taxonomy,
) -> Result<Submission, Problem> {
    let bytes = read_limited(path, crate::fs::read_regular)?;
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

/// One of [`crate::fs`]'s readers.
type Reader = fn(&Path, u64) -> Result<Option<Vec<u8>>, ReadError>;

/// Reads with `read`, its refusals worded for a submission.
fn read_limited(path: &Path, read: Reader) -> Result<Vec<u8>, Problem> {
    match read(path, MAX_SUBMISSION_BYTES) {
        Ok(Some(bytes)) => Ok(bytes),
        Ok(None) => Err(Problem::file(path, "cannot read: no such file")),
        Err(ReadError::NotRegular(kind)) => Err(Problem::file(
            path,
            format!("cannot read: {kind}, not a regular file"),
        )),
        Err(ReadError::TooLarge { len, .. }) => Err(too_large(path, len)),
        Err(ReadError::Io(e)) => Err(Problem::file(path, format!("cannot read: {e}"))),
        Err(ReadError::Link(why)) => Err(Problem::file(path, format!("cannot read: {why}"))),
    }
}

/// Whether `path` ends in `.ext` (any letter case).
fn has_extension(path: &Path, ext: &str) -> bool {
    path.extension()
        .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case(ext))
}

/// The format a file name asks for: by extension, text when unknown.
fn format_of(path: &Path) -> Format {
    if has_extension(path, "md") {
        Format::Markdown
    } else if has_extension(path, "docx") {
        Format::Docx
    } else if has_extension(path, "odt") {
        Format::Odt
    } else if has_extension(path, "eml") {
        Format::Eml
    } else if has_extension(path, "msg") {
        Format::Msg
    } else if has_extension(path, "html") || has_extension(path, "htm") {
        Format::Html
    } else if has_extension(path, "pdf") {
        Format::Pdf
    } else {
        Format::Text
    }
}

/// The text of a document of another format than Markdown or plain text, and
/// what the document says beside it.
#[derive(Debug, Default)]
pub(crate) struct Extracted {
    /// One line per paragraph.
    pub text: String,
    /// The title its structure gives (Word's "Title" style, HTML's `<h1>`).
    pub title: Option<String>,
    /// A title to use when the text has none, and where it comes from.
    pub fallback_title: Option<(String, &'static str)>,
    /// A contact to use when the text names none, and where it comes from.
    pub contact: Option<(String, &'static str)>,
    /// A year to use when the text gives none, and where it comes from.
    pub year: Option<(i64, &'static str)>,
    /// Whether the text is a web page's (its noise is stripped).
    pub web: bool,
    /// Remarks on the file as a whole (which attachment was read, ...).
    pub notes: Vec<String>,
}

/// Bytes in Windows-1252 (a superset of ISO 8859-1 as e-mail and the web
/// read it), as text: the five bytes it leaves undefined stand for the C1
/// controls of the same number, as WHATWG's decoder has them.
pub(crate) fn windows_1252(bytes: &[u8]) -> String {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F => HIGH
                .get(usize::from(b - 0x80))
                .copied()
                .unwrap_or('\u{FFFD}'),
            _ => char::from(b),
        })
        .collect()
}

/// The UTF-8 text of a Markdown or plain-text file.
fn utf8_text<'a>(path: &Path, bytes: &'a [u8]) -> Result<&'a str, Problem> {
    std::str::from_utf8(bytes).map_err(|e| {
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
    })
}

/// Parses bytes already read (`path` is for messages and `file_name`).
/// What every reading promises, whatever the bytes: a title of one line, a
/// body without carriage returns whose first line is counted from 1, and a
/// position (of a warning or of the error) that has a line has a column, both
/// counted from 1. The first promise broken, if any; the tests and the fuzz
/// targets hold every reader to it.
pub fn broken_promise(read: &Result<Submission, Problem>) -> Option<String> {
    let misplaced = |p: &Problem| p.line.is_some_and(|l| l < 1 || p.col.is_none_or(|c| c < 1));
    match read {
        Ok(s) if s.body_line < 1 => Some(format!("body starts on line {}", s.body_line)),
        Ok(s) if s.title.is_empty() => Some("empty title".to_owned()),
        Ok(s) if s.title.contains(['\n', '\r']) => {
            Some(format!("title of several lines: {:?}", s.title))
        }
        Ok(s) if s.body.contains('\r') => Some("a carriage return in the body".to_owned()),
        Ok(s) => s
            .warnings
            .iter()
            .find(|w| misplaced(w))
            .map(|w| format!("warning misplaced: {w:?}")),
        Err(p) => misplaced(p).then(|| format!("error misplaced: {p:?}")),
    }
}

pub fn parse_submission(
    path: &Path,
    bytes: &[u8],
    taxonomy: &Taxonomy,
) -> Result<Submission, Problem> {
    let format = refusal(path, bytes)?;
    let rec = Recogniser::for_taxonomy(taxonomy);
    let parsed = parse_format(path, format, bytes, taxonomy, &rec)?;
    let mut warnings: Vec<Problem> = parsed
        .warnings
        .into_iter()
        .map(|(line, col, message)| Problem::at(path, line, col, message))
        .collect();
    warnings.sort_by_key(|p| (p.line, p.col));
    warnings.splice(
        0..0,
        parsed
            .notes
            .iter()
            .map(|note| Problem::file(path, note.clone())),
    );
    // A document read as no text is never silent: the list would show an
    // empty submission with nothing to say why. (A Markdown or text file is
    // its own text: an empty one is what was written.)
    if parsed.body.trim().is_empty()
        && !parsed.notes.iter().any(|n| n.starts_with("no text read"))
        && let Some(why) = empty_text_reason(format)
    {
        warnings.insert(0, Problem::file(path, why));
    }
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
        file_name: file_name_of(path),
        path: path.to_path_buf(),
        format,
        sha256: sha256_hex(bytes),
        title: parsed.title.unwrap_or_else(|| title::from_file_name(path)),
        fields: parsed.fields,
        proposed: parsed.proposed,
        principles_met,
        body: parsed.body,
        covering_note: parsed.covering_note,
        body_line: parsed.body_line,
        sources: parsed.sources,
        warnings,
    })
}

/// Why a document of `format` read as no text at all.
fn empty_text_reason(format: Format) -> Option<&'static str> {
    Some(match format {
        Format::Markdown | Format::Text => return None,
        Format::Docx | Format::Odt => {
            "no text read: the document has no paragraph of words beside its title and \
             fields (pictures and drawings are not read)"
        }
        Format::Eml | Format::Msg => {
            "no text read: the e-mail has no text of its own beside its headers, \
             and no submission attached"
        }
        Format::Html => "no text read: the page has no text beside its title and furniture",
        Format::Pdf => {
            "no text read: its pages draw no text beside the title (a drawing, or a \
             picture of text?)"
        }
    })
}

/// The format to read `bytes` as, or why they are not read at all (too
/// large, an older Word document).
fn refusal(path: &Path, bytes: &[u8]) -> Result<Format, Problem> {
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
    Ok(format_of(path))
}

fn file_name_of(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.to_string_lossy().into_owned(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// What `casetag check` reports of a submission, read at the least cost: the
/// error [`read_submission`] would give (the same message at the same
/// position), or the submission with its sha256.
///
/// Markdown and plain text are read only as far as something can make them
/// unreadable (UTF-8, and a Markdown file's front matter as TOML): the
/// layouts, fields, principles and warnings are not looked for, so the
/// submission returned has its file name, format and sha256, a title from
/// the file name, and nothing else. The other formats, whose readers can
/// fail anywhere in the file, are read in full.
pub fn read_submission_unparsed(path: &Path, taxonomy: &Taxonomy) -> Result<Submission, Problem> {
    let bytes = read_limited(path, crate::fs::read_in_folder)?;
    check_submission(path, &bytes, taxonomy)
}

/// [`read_submission_unparsed`] of bytes already read.
fn check_submission(path: &Path, bytes: &[u8], taxonomy: &Taxonomy) -> Result<Submission, Problem> {
    let format = refusal(path, bytes)?;
    match format {
        Format::Text => {}
        Format::Markdown => check_markdown(path, utf8_text(path, bytes)?)?,
        Format::Docx | Format::Odt | Format::Eml | Format::Msg | Format::Html | Format::Pdf => {
            return parse_submission(path, bytes, taxonomy);
        }
    }
    Ok(Submission {
        file_name: file_name_of(path),
        path: path.to_path_buf(),
        format,
        sha256: sha256_hex(bytes),
        title: title::from_file_name(path),
        fields: Fields::default(),
        proposed: Proposed::default(),
        principles_met: Vec::new(),
        body: String::new(),
        covering_note: None,
        body_line: 1,
        sources: BTreeMap::new(),
        warnings: Vec::new(),
    })
}

/// The error [`parse_markdown`] would give for the UTF-8 `text`: only front
/// matter can make a Markdown file unreadable.
fn check_markdown(path: &Path, text: &str) -> Result<(), Problem> {
    // Normalising the newlines only takes out a byte-order mark and turns
    // carriage returns into newlines, so a first line `+++` starts the text.
    if !text
        .strip_prefix('\u{FEFF}')
        .unwrap_or(text)
        .starts_with("+++")
    {
        return Ok(());
    }
    let text = lines::normalise_newlines(text);
    let lines = split_lines(&text);
    if let Some((toml_text, _)) = front_matter_text(path, &text, &lines)? {
        front_matter::check(toml_text, 2)
            .map_err(|(line, col, message)| Problem::at(path, line, col, message))?;
    }
    Ok(())
}

/// The front matter of normalised Markdown `text` if its first line is
/// `+++`: its TOML text and the index of its closing line; an error when it
/// is never closed.
fn front_matter_text<'t>(
    path: &Path,
    text: &'t str,
    lines: &[Line<'_>],
) -> Result<Option<(&'t str, usize)>, Problem> {
    if lines.first().is_none_or(|l| l.text.trim_end() != "+++") {
        return Ok(None);
    }
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
    Ok(Some((text.get(start..end).unwrap_or(""), close)))
}

/// Reads `bytes` as `format` (`path` is for messages).
fn parse_format(
    path: &Path,
    format: Format,
    bytes: &[u8],
    taxonomy: &Taxonomy,
    rec: &Recogniser,
) -> Result<Parsed, Problem> {
    Ok(match format {
        Format::Markdown => {
            let text = lines::normalise_newlines(utf8_text(path, bytes)?);
            parse_markdown(path, &text, &split_lines(&text), taxonomy, rec)?
        }
        Format::Text => {
            // A bare .txt saved by Windows' Notepad of old, or pasted into
            // one, is in Windows-1252: read as that, and said.
            let (text, cp1252) = match utf8_text(path, bytes) {
                Ok(t) => (lines::normalise_newlines(t), None),
                Err(e) => (
                    lines::normalise_newlines(&windows_1252(bytes)),
                    Some((e.line.unwrap_or(1), e.col.unwrap_or(1), e.message)),
                ),
            };
            let text = noise::strip(&text);
            let mut p = parse_text(&text, &split_lines(&text), rec);
            if let Some((line, col, why)) = cp1252 {
                p.warnings.push((
                    line,
                    col,
                    format!("{why}: read as Windows-1252; check its accented letters and quotes"),
                ));
            }
            p
        }
        Format::Docx | Format::Odt => {
            let doc = if format == Format::Odt {
                odt::read(bytes)
            } else {
                docx::read(bytes)
            }
            .map_err(|e| Problem::file(path, e.to_string()))?;
            parse_extracted(
                Extracted {
                    text: doc.text,
                    title: doc.title,
                    notes: doc.notes,
                    ..Extracted::default()
                },
                taxonomy,
                rec,
            )
        }
        Format::Html => {
            let page = html::read(&String::from_utf8_lossy(bytes));
            parse_extracted(
                Extracted {
                    text: page.text,
                    title: page.heading,
                    fallback_title: page.title.map(|t| (t, "the page's <title>")),
                    web: true,
                    notes: page
                        .why_empty
                        .map(|why| format!("no text read: {why}"))
                        .into_iter()
                        .collect(),
                    ..Extracted::default()
                },
                taxonomy,
                rec,
            )
        }
        Format::Pdf => {
            let doc = pdf::read(bytes).map_err(|e| Problem::file(path, e.to_string()))?;
            parse_extracted(
                Extracted {
                    text: doc.text,
                    title: doc.title,
                    fallback_title: doc.info_title.map(|t| (t, "the PDF's Title property")),
                    notes: doc.notes,
                    ..Extracted::default()
                },
                taxonomy,
                rec,
            )
        }
        Format::Eml | Format::Msg => parse_mail(path, bytes, taxonomy, rec)?,
    })
}

/// An e-mail: its one submission attachment completed from the e-mail, or
/// its own text.
fn parse_mail(
    path: &Path,
    bytes: &[u8],
    taxonomy: &Taxonomy,
    rec: &Recogniser,
) -> Result<Parsed, Problem> {
    let mut mail = if has_extension(path, "msg") {
        msg::read(bytes)
    } else {
        eml::read(bytes)
    }
    .map_err(|e| Problem::file(path, e.to_string()))?;
    let note = mail.note.take();
    let mut p = parse_mail_parts(path, mail, taxonomy, rec)?;
    p.covering_note = note;
    Ok(p)
}

/// An e-mail read: its attachment when it has one, else its own text.
fn parse_mail_parts(
    path: &Path,
    mail: eml::Mail,
    taxonomy: &Taxonomy,
    rec: &Recogniser,
) -> Result<Parsed, Problem> {
    const SUBJECT: &str = "the e-mail's subject";
    const SENDER: &str = "the e-mail's sender";
    const DATE: &str = "the e-mail's date";
    // the e-mail's own text, its subject, sender and date filling gaps
    let own_text =
        |text: String, subject: Option<String>, from: Option<String>, year: Option<i64>| {
            parse_extracted(
                Extracted {
                    text,
                    fallback_title: subject.map(|s| (s, SUBJECT)),
                    contact: from.map(|f| (f, SENDER)),
                    year: year.map(|y| (y, DATE)),
                    web: true,
                    ..Extracted::default()
                },
                taxonomy,
                rec,
            )
        };
    let Some((name, data)) = mail.attachments.first() else {
        return Ok(own_text(mail.body, mail.subject, mail.from, mail.year));
    };
    let inner = format_of(Path::new(name));
    let mut p = match parse_format(path, inner, data, taxonomy, rec) {
        Ok(p) => p,
        Err(e) => {
            let at = match (e.line, e.col) {
                (Some(l), Some(c)) => format!(":{l}:{c}"),
                _ => String::new(),
            };
            // The e-mail's own text is still read: a broken attachment
            // does not make the message unreadable.
            let mut p = own_text(mail.body, mail.subject, mail.from, mail.year);
            p.notes.push(format!(
                "its attachment {name}{at} is not read: {}; this is the e-mail's own text",
                e.message
            ));
            return Ok(p);
        }
    };
    // Positions are in the attachment, not in the e-mail: say so.
    p.notes.push(if mail.attachments.len() == 1 {
        format!("read its attachment {name}; lines are the attachment's")
    } else {
        let names: Vec<&str> = mail.attachments.iter().map(|(n, _)| n.as_str()).collect();
        format!(
            "has {} submission attachments ({}); read the first, {name}; lines are its",
            names.len(),
            names.join(", ")
        )
    });
    p.sources
        .insert("text".into(), format!("the attachment {name}"));
    if p.title.is_none()
        && let Some(s) = mail.subject
    {
        p.title = Some(title::headline(&s));
        p.sources.insert("title".into(), SUBJECT.into());
    }
    if p.fields.contact.is_none()
        && let Some(f) = mail.from
    {
        p.fields.contact = Some(f);
        p.sources.insert("contact".into(), SENDER.into());
    }
    if p.fields.year.is_none()
        && let Some(y) = mail.year
    {
        p.fields.year = Some(y);
        p.sources.insert("year".into(), DATE.into());
    }
    Ok(p)
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
    fields: Fields,
    proposed: Proposed,
    principles_met: Vec<String>,
    body: String,
    body_line: usize,
    warnings: Vec<(usize, usize, String)>,
    /// Remarks on the whole file.
    notes: Vec<String>,
    /// Whether the title stands above the header fields (not merely the
    /// first line of the text).
    title_from_header: bool,
    sources: BTreeMap<String, String>,
    /// An e-mail's covering note (see [`Submission::covering_note`]).
    covering_note: Option<String>,
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
    let mut body_from_line = 0;
    if let Some((toml_text, close)) = front_matter_text(path, text, lines)? {
        let fm = front_matter::parse(toml_text, 2, taxonomy)
            .map_err(|(line, col, message)| Problem::at(path, line, col, message))?;
        p.title = fm.title;
        p.fields = fm.fields;
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
    // Fields written in the body as councils type them (`**Year:** 2019`,
    // `Lead council: ...`, `Principles met: A; B`) fill what the front
    // matter did not give; the lines stay in the text.
    let b = text::body_fields(lines, body_from_line, rec);
    p.fields.fill_gaps(b.fields);
    for id in b.principles {
        if !p.principles_met.contains(&id) {
            p.principles_met.push(id);
        }
    }
    p.warnings.extend(b.warnings);
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

impl Submission {
    /// Whether the title is the file's name, the text having no line that
    /// reads as a title.
    pub fn title_is_made_up(&self) -> bool {
        self.sources.get("title").map(String::as_str) == Some(NO_TITLE_LINE)
    }
}

/// Where a title comes from when the text has no line that reads as one.
const NO_TITLE_LINE: &str = "the file's name: the text has no title line (C corrects it)";

fn parse_text(text: &str, lines: &[Line<'_>], rec: &Recogniser) -> Parsed {
    let h = text::parse(lines, rec);
    let (body, body_line) = body_from(text, lines, h.body_start);
    let headed = h.title.is_some();
    // A text with no line that reads as a title gets none made from its
    // first paragraph: the file's name stands in, and says so.
    let mut sources = BTreeMap::new();
    let title = match h.title {
        Some(t) => Some(title::shorten(&t)),
        None => match title::found_in_lines(lines, h.body_start, false, rec) {
            Some((_, true)) => {
                sources.insert("title".to_owned(), NO_TITLE_LINE.to_owned());
                None
            }
            found => found.map(|(t, _)| t),
        },
    };
    Parsed {
        title,
        sources,
        title_from_header: headed,
        fields: h.fields,
        proposed: Proposed::default(),
        principles_met: h.principles,
        body,
        body_line,
        warnings: h.warnings,
        ..Parsed::default()
    }
}

/// A document of another format: its form parts (proposed tags, fields
/// anywhere, the principles it keeps) first, then the text layouts over the
/// rest; what the document says beside its text fills the gaps.
fn parse_extracted(doc: Extracted, taxonomy: &Taxonomy, rec: &Recogniser) -> Parsed {
    let text = lines::normalise_newlines(&doc.text);
    let text = if doc.web { noise::strip(&text) } else { text };
    let (rest, form) = form::read(&text, taxonomy, rec);
    let mut p = parse_text(&rest, &split_lines(&rest), rec);
    p.proposed = form.proposed;
    p.principles_met.extend(form.principles);
    p.warnings.extend(form.warnings);
    // a Word form's own fields say more than the text around them
    p.fields.overlay(form.fields);
    let structured = doc.title.filter(|t| lines::is_meaningful(t));
    if let Some(t) = &structured {
        p.title = Some(title::headline(t));
    }
    // The subject of an e-mail or a page's <title> says more than the first
    // line of a press release (often a greeting or "PRESS RELEASE").
    if !p.title_from_header
        && structured.is_none()
        && let Some((t, from)) = doc.fallback_title.filter(|(t, _)| lines::is_meaningful(t))
    {
        p.title = Some(title::headline(&t));
        p.sources.insert("title".into(), from.into());
    }
    if p.fields.contact.is_none()
        && let Some((c, from)) = doc.contact
    {
        p.fields.contact = Some(c);
        p.sources.insert("contact".into(), from.into());
    }
    if p.fields.year.is_none()
        && let Some((y, from)) = doc.year
    {
        p.fields.year = Some(y);
        p.sources.insert("year".into(), from.into());
    }
    p.notes = doc.notes;
    p
}

#[cfg(test)]
mod tests;

fn path_lossy<S: serde::Serializer>(path: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&path.to_string_lossy())
}
