//! What the Word (`.docx`) and OpenDocument (`.odt`) readers share: the
//! zip archive opened and its parts inflated through limits, the reasons a
//! document is not read ([`WordError`]), and the lines of text built from
//! paragraphs and table rows within the limit on the text kept.
//!
//! Both formats are zips of XML parts and both are untrusted: the archive
//! may be truncated, encrypted or a zip bomb, the XML broken or deep. A
//! part is inflated through a limit whatever its header claims, and the
//! archive's declared total is checked before anything is inflated.

use std::fmt;
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::lines::field;

/// The most one part (`word/document.xml`, `content.xml`) may hold once
/// inflated.
pub(crate) const MAX_XML_BYTES: u64 = 32 * 1024 * 1024;
/// The most all entries of the archive may declare together once inflated.
pub(crate) const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;
/// The most entries an archive may have (a Word file has a few dozen).
pub(crate) const MAX_ENTRIES: usize = 10_000;
/// The most text kept from a document.
pub(crate) const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

const MIB: u64 = 1024 * 1024;

/// The kind of document an archive should hold, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A Word document (`.docx`).
    Word,
    /// An OpenDocument text (`.odt`).
    OpenDocument,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Word => "Word document",
            Kind::OpenDocument => "OpenDocument text",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Kind::Word => ".docx",
            Kind::OpenDocument => ".odt",
        }
    }

    /// The part that holds the text when the package names no other.
    fn main_part(self) -> &'static str {
        match self {
            Kind::Word => "word/document.xml",
            Kind::OpenDocument => "content.xml",
        }
    }
}

/// Why a Word or OpenDocument file is not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum WordError {
    /// The bytes are no zip archive (truncated, another format).
    #[error("not a readable {} ({} is a zip archive): {reason}", .kind.name(), .kind.extension())]
    NotAnArchive { kind: Kind, reason: String },
    /// The document is encrypted: Word keeps a file saved with a password
    /// in a compound file, not a zip.
    #[error("not read: it is protected by a password: ask for a copy without one")]
    Encrypted,
    /// The archive has more entries than a document ever has.
    #[error("not a readable {}: the archive has {entries} entries", .kind.name())]
    TooManyEntries { kind: Kind, entries: usize },
    /// The archive's entries declare more than the limit once inflated.
    #[error("not read: the archive would inflate to {declared} bytes (a zip bomb?)")]
    TooLarge { declared: u64 },
    /// A part inflates past the limit on a part.
    #[error("not read: {part} inflates to more than {} MiB (a zip bomb?)", MAX_XML_BYTES / MIB)]
    PartTooLarge { part: String },
    /// The part that holds the text is not in the archive.
    #[error("{}", missing(*.kind, .part))]
    MissingPart { kind: Kind, part: String },
    /// A part is in the archive but cannot be inflated.
    #[error("cannot read {part}: {reason}")]
    BadPart { part: String, reason: String },
    /// The part that holds the text is not well-formed XML.
    #[error("{part} is not valid XML at byte {at}: {reason}")]
    BadXml {
        part: &'static str,
        at: u64,
        reason: String,
    },
}

fn missing(kind: Kind, part: &str) -> String {
    let what = match kind {
        Kind::Word => "not a Word document",
        Kind::OpenDocument => "not an OpenDocument text",
    };
    if part == kind.main_part() {
        format!("{what}: the archive has no {part}")
    } else {
        format!("{what}: the archive has no {part}, its main part")
    }
}

impl WordError {
    /// The XML of `part` broke where `reader` stands.
    pub(crate) fn bad_xml<R>(
        part: &'static str,
        reader: &Reader<R>,
        e: impl fmt::Display,
    ) -> WordError {
        WordError::BadXml {
            part,
            at: reader.error_position(),
            reason: e.to_string(),
        }
    }
}

/// The zip archive of a document, its entries counted and their declared
/// total checked.
pub(crate) struct Archive<'b> {
    zip: zip::ZipArchive<Cursor<&'b [u8]>>,
    kind: Kind,
}

impl<'b> Archive<'b> {
    /// Opens `bytes` as the archive of a document of `kind`.
    pub(crate) fn open(bytes: &'b [u8], kind: Kind) -> Result<Archive<'b>, WordError> {
        let mut zip = match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(z) => z,
            Err(_) if encrypted(bytes) => return Err(WordError::Encrypted),
            Err(e) => {
                return Err(WordError::NotAnArchive {
                    kind,
                    reason: e.to_string(),
                });
            }
        };
        if zip.len() > MAX_ENTRIES {
            return Err(WordError::TooManyEntries {
                kind,
                entries: zip.len(),
            });
        }
        let declared: u64 = (0..zip.len())
            .filter_map(|i| zip.by_index_raw(i).ok().map(|f| f.size()))
            .fold(0u64, u64::saturating_add);
        if declared > MAX_TOTAL_BYTES {
            return Err(WordError::TooLarge { declared });
        }
        Ok(Archive { zip, kind })
    }

    /// Whether the archive has an entry `name`.
    pub(crate) fn has(&self, name: &str) -> bool {
        self.zip.index_for_name(name).is_some()
    }

    /// One part inflated (`None` when there is none), through the limit on
    /// a part's size whatever its header claims.
    pub(crate) fn part(&mut self, name: &str) -> Result<Option<Vec<u8>>, WordError> {
        let bad = |e: &dyn fmt::Display| WordError::BadPart {
            part: name.to_owned(),
            reason: e.to_string(),
        };
        let entry = match self.zip.by_name(name) {
            Ok(e) => e,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => return Err(bad(&e)),
        };
        let mut xml = Vec::new();
        entry
            .take(MAX_XML_BYTES + 1)
            .read_to_end(&mut xml)
            .map_err(|e| bad(&e))?;
        if u64::try_from(xml.len()).unwrap_or(u64::MAX) > MAX_XML_BYTES {
            return Err(WordError::PartTooLarge {
                part: name.to_owned(),
            });
        }
        Ok(Some(xml))
    }

    /// The part that holds the text, which must be there.
    pub(crate) fn main(&mut self, name: &str) -> Result<Vec<u8>, WordError> {
        self.part(name)?.ok_or_else(|| WordError::MissingPart {
            kind: self.kind,
            part: name.to_owned(),
        })
    }
}

/// Whether `bytes` are an encrypted Office document: a compound file (not
/// a zip) holding the encrypted package.
fn encrypted(bytes: &[u8]) -> bool {
    const MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.starts_with(&MAGIC)
        && cfb::CompoundFile::open(Cursor::new(bytes))
            .is_ok_and(|cf| cf.is_stream("/EncryptedPackage"))
}

/// The lines of a document's text as its paragraphs and table rows end:
/// spaces collapsed, within [`MAX_TEXT_BYTES`]; a table row of a field's
/// label and its value (`Lead Member | Kirklees Council`) as that field
/// (`Lead Member: Kirklees Council`), any other its cells joined by ` | `.
#[derive(Default)]
pub(crate) struct Lines {
    out: String,
    /// Whether text was left out for the limit on the text kept.
    cut: bool,
    /// Tables open, and the cells of each open table's current row.
    rows: Vec<Vec<String>>,
    /// Inside a cell of the outermost table: its paragraphs so far.
    cell: Option<String>,
}

impl Lines {
    /// The text so far.
    pub(crate) fn text(&self) -> &str {
        &self.out
    }

    /// Adds `line` as a line of its own while the text stays within the
    /// limit; past that, notes that text was left out.
    pub(crate) fn push_line(&mut self, line: &str) {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if self.out.len() + line.len() < MAX_TEXT_BYTES {
            self.out.push_str(&line);
            self.out.push('\n');
        } else if !line.is_empty() {
            self.cut = true;
        }
    }

    /// An empty line (an empty paragraph).
    pub(crate) fn blank(&mut self) {
        self.out.push('\n');
    }

    /// An empty line before what stands apart (a heading, the notes),
    /// unless the text is empty or already ends with one.
    pub(crate) fn set_apart(&mut self) {
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    /// Whether a paragraph ending now belongs to a table's cell.
    pub(crate) fn in_cell(&self) -> bool {
        self.cell.is_some()
    }

    /// A paragraph's text: into the cell being read, else a line of its
    /// own (an empty paragraph an empty line).
    pub(crate) fn paragraph(&mut self, text: &str) {
        if let Some(cell) = &mut self.cell {
            if !text.is_empty() {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(text);
            }
        } else if text.is_empty() {
            self.blank();
        } else {
            self.push_line(text);
        }
    }

    pub(crate) fn start_table(&mut self) {
        self.rows.push(Vec::new());
    }

    pub(crate) fn end_table(&mut self) {
        self.rows.pop();
    }

    pub(crate) fn start_row(&mut self) {
        if let Some(r) = self.rows.last_mut() {
            r.clear();
        }
    }

    /// A cell starts: only the outermost table's cells are read as cells
    /// (an inner table's rows are its cell's text).
    pub(crate) fn start_cell(&mut self) {
        if self.rows.len() == 1 {
            self.cell = Some(String::new());
        }
    }

    pub(crate) fn end_cell(&mut self) {
        if self.rows.len() == 1
            && let (Some(cell), Some(row)) = (self.cell.take(), self.rows.last_mut())
        {
            row.push(cell);
        }
    }

    pub(crate) fn end_row(&mut self) {
        let Some(cells) = self.rows.last_mut() else {
            return;
        };
        let cells: Vec<String> = std::mem::take(cells)
            .into_iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        let line = match cells.as_slice() {
            [] => return,
            [label, value] if is_label(label) => {
                format!("{}: {value}", label.trim_end_matches(':'))
            }
            _ => cells.join(" | "),
        };
        if self.rows.len() > 1 {
            // a table inside a cell: its rows are that cell's text
            if let Some(cell) = &mut self.cell {
                cell.push(' ');
                cell.push_str(&line);
            }
        } else {
            self.push_line(&line);
        }
    }

    /// The notes (footnotes, endnotes), one a line, under "Notes" at the
    /// end of the text.
    pub(crate) fn push_notes<'a>(&mut self, notes: impl IntoIterator<Item = &'a str>) {
        let mut notes = notes
            .into_iter()
            .filter(|n| !n.trim().is_empty())
            .peekable();
        if notes.peek().is_none() {
            return;
        }
        self.set_apart();
        self.out.push_str("Notes\n\n");
        for n in notes {
            self.push_line(n);
        }
    }

    /// The document's text, its title and what was left out.
    pub(crate) fn finish(self, title: Option<String>) -> WordText {
        let notes = if self.cut {
            vec![format!(
                "its text was cut at {} MiB: a paragraph or what followed it was left out",
                MAX_TEXT_BYTES / (1024 * 1024)
            )]
        } else {
            Vec::new()
        };
        WordText {
            text: self.out,
            title,
            notes,
        }
    }
}

/// The text of a Word or OpenDocument document.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct WordText {
    /// One line per paragraph or table row.
    pub text: String,
    /// The "Title" paragraph, else the first level-1 heading.
    pub title: Option<String>,
    /// What was left out, said (text over the limit).
    pub notes: Vec<String>,
}

/// A paragraph laid out label, tab, value (`Lead Member<tab>Kirklees
/// Council`) as the field line a table row of the two would be.
pub(crate) fn tabbed_field(text: &str) -> Option<String> {
    let parts: Vec<&str> = text
        .split('\t')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    match parts.as_slice() {
        [label, value] if is_label(label) => {
            Some(format!("{}: {value}", label.trim_end_matches(':')))
        }
        _ => None,
    }
}

/// A cell that names a field: "Lead Member", "Year:", ...
pub(crate) fn is_label(cell: &str) -> bool {
    let label = cell.trim().trim_end_matches(':').trim();
    field(label, true).is_some_and(|f| f.value.is_empty())
        || matches!(
            label.to_ascii_lowercase().as_str(),
            "primary category" | "other categories" | "secondary categories" | "title"
        )
}

/// The local name of an element (`w:p` gives `p`).
pub(crate) fn local(e: &BytesStart<'_>) -> String {
    e.local_name().into_inner().to_string()
}

/// An attribute of an element by its local name (`w:val` by `val`).
pub(crate) fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().into_inner() == name)
        .map(|a| a.value.to_string())
}

/// The character an XML reference stands for (`amp`, `#x2019`, `#8217`).
pub(crate) fn entity(name: &str) -> Option<char> {
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => {
            let n = name.strip_prefix('#')?;
            let code = match n.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => n.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Calls `f` with each event of `xml` up to its end; the error says where
/// the XML of `part` broke. Events, never a tree: nesting costs no stack.
pub(crate) fn events(
    xml: &[u8],
    part: &'static str,
    mut f: impl FnMut(Event<'_>),
) -> Result<(), WordError> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| WordError::bad_xml(part, &reader, e))?;
        if matches!(event, Event::Eof) {
            return Ok(());
        }
        f(event);
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reason_says_what_it_always_said() {
        let not_zip = Archive::open(b"just text", Kind::Word).err();
        assert!(
            matches!(
                &not_zip,
                Some(WordError::NotAnArchive {
                    kind: Kind::Word,
                    ..
                })
            ),
            "{not_zip:?}"
        );
        assert!(not_zip.map(|e| e.to_string()).is_some_and(|m| {
            m.starts_with("not a readable Word document (.docx is a zip archive): ")
        }),);
        let odt = Archive::open(b"", Kind::OpenDocument)
            .err()
            .map(|e| e.to_string());
        assert!(
            odt.as_deref().is_some_and(
                |m| m.starts_with("not a readable OpenDocument text (.odt is a zip archive): ")
            ),
            "{odt:?}"
        );
        let cases = [
            (
                WordError::TooManyEntries {
                    kind: Kind::OpenDocument,
                    entries: 10_001,
                },
                "not a readable OpenDocument text: the archive has 10001 entries",
            ),
            (
                WordError::TooLarge { declared: 300 },
                "not read: the archive would inflate to 300 bytes (a zip bomb?)",
            ),
            (
                WordError::PartTooLarge {
                    part: "content.xml".into(),
                },
                "not read: content.xml inflates to more than 32 MiB (a zip bomb?)",
            ),
            (
                WordError::MissingPart {
                    kind: Kind::Word,
                    part: "word/document.xml".into(),
                },
                "not a Word document: the archive has no word/document.xml",
            ),
            (
                WordError::MissingPart {
                    kind: Kind::Word,
                    part: "word/document2.xml".into(),
                },
                "not a Word document: the archive has no word/document2.xml, its main part",
            ),
            (
                WordError::MissingPart {
                    kind: Kind::OpenDocument,
                    part: "content.xml".into(),
                },
                "not an OpenDocument text: the archive has no content.xml",
            ),
        ];
        for (e, message) in cases {
            assert_eq!(e.to_string(), message);
        }
    }

    #[test]
    fn parts_are_read_through_their_limit_and_a_missing_one_is_named() {
        // a small part, and one past the limit (deflated, a few kB)
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let deflated = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in [
            ("content.xml", b"<x/>".to_vec()),
            ("big.xml", vec![b' '; 33 << 20]),
        ] {
            w.start_file(name, deflated).expect("entry");
            std::io::Write::write_all(&mut w, &bytes).expect("write");
        }
        let bytes = w.finish().expect("finish").into_inner();
        let mut archive = Archive::open(&bytes, Kind::OpenDocument).expect("opens");
        assert!(archive.has("content.xml") && !archive.has("meta.xml"));
        assert_eq!(
            archive.main("content.xml").ok().as_deref(),
            Some(&b"<x/>"[..])
        );
        assert_eq!(archive.part("meta.xml"), Ok(None));
        assert_eq!(
            archive.part("big.xml"),
            Err(WordError::PartTooLarge {
                part: "big.xml".into()
            })
        );
        assert_eq!(
            archive.main("meta.xml").map_err(|e| e.to_string()),
            Err("not an OpenDocument text: the archive has no meta.xml, its main part".into())
        );
    }

    #[test]
    fn a_document_saved_with_a_password_is_said_to_be_one() {
        // Word keeps an encrypted document in a compound file holding the
        // encrypted package (and how it was encrypted)
        let mut cf = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("creates");
        for stream in ["/EncryptionInfo", "/EncryptedPackage"] {
            let mut s = cf.create_stream(stream).expect("stream");
            std::io::Write::write_all(&mut s, &[1, 2, 3, 4]).expect("writes");
        }
        cf.flush().expect("flushes");
        let bytes = cf.into_inner().into_inner();
        let e = Archive::open(&bytes, Kind::Word).err();
        assert_eq!(e, Some(WordError::Encrypted));
        assert_eq!(
            e.map(|e| e.to_string()).as_deref(),
            Some("not read: it is protected by a password: ask for a copy without one")
        );
        // another compound file (an old .doc renamed) is no zip, as before
        let mut other = cfb::CompoundFile::create(Cursor::new(Vec::new())).expect("creates");
        drop(other.create_stream("/WordDocument").expect("stream"));
        other.flush().expect("flushes");
        let doc = other.into_inner().into_inner();
        assert!(matches!(
            Archive::open(&doc, Kind::Word).err(),
            Some(WordError::NotAnArchive { .. })
        ));
    }

    #[test]
    fn a_broken_part_is_bad_xml_where_it_broke() {
        let e = events(b"<a><b></a>", "content.xml", |_| {}).err();
        assert!(
            matches!(&e, Some(WordError::BadXml { part: "content.xml", at, .. }) if *at > 0),
            "{e:?}"
        );
        assert!(
            e.map(|e| e.to_string())
                .is_some_and(|m| m.starts_with("content.xml is not valid XML at byte "))
        );
    }
}
