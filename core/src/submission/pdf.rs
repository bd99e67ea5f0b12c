//! PDF documents (`.pdf`): the text layer, reflowed into one line per
//! paragraph for the text recogniser.
//!
//! A PDF places runs of text at positions on the page; it has no paragraphs.
//! The runs are read in the order the page draws them, gathered into lines by
//! their baseline, and lines into paragraphs: a paragraph ends at a gap wider
//! than the page's usual line spacing, a change of type size or weight (a
//! heading), a line ending well short of the margin, a bullet, or a field line
//! (`Year: 2021`). A line broken after a hyphen is joined without a space; a
//! paragraph that runs to the foot of a page goes on at the top of the next
//! when that starts in lower case. A bullet drawn apart from its item (as
//! some writers do) joins the item on its baseline; typeset ligatures (`ﬁ`)
//! are letters again. The largest type on the first page, when larger than
//! the text, is the title. A page number alone on the first or last line of
//! a page of other text is dropped.
//!
//! What the page shows is read as a viewer shows it: text inside Form
//! XObjects where they are drawn; annotations' appearances (a form field's
//! value, a stamp) in their rectangles, and a field left for the viewer to
//! draw by its value; marked content's `/ActualText` in place of its
//! glyphs; text drawn again where it already is, once; not text drawn above
//! or below the page. Hebrew and Arabic, drawn left to right, are turned
//! back into reading order. A Type0 font is read through its Unicode map,
//! else through the legacy encoding its predefined CMap is named for
//! (`90ms-RKSJ-H` is Shift_JIS); one whose codes are bare glyph numbers
//! cannot be read, and its characters are left out, said.
//!
//! A PDF is untrusted: it may be truncated, encrypted, deeply nested or a
//! decompression bomb. The parser (lopdf) bounds nesting and each stream's
//! inflated size; before it runs, every deflated stream in the file is
//! inflated once against a budget for the whole file, so many small bombs
//! cannot add up either. Page and form contents are read one operation at a
//! time, against budgets for the whole file (inflated bytes, operations,
//! forms drawn, and how deep forms nest). A document with pages but no text
//! is refused as a scan: casetag reads text, not pictures of it.

use std::collections::HashMap;
use std::io::Read;

use lopdf::{Dictionary, Document as Pdf, Encoding, LoadOptions, Object};

use super::lines::field;

mod fonts;
mod page;
mod reflow;

use fonts::*;
use page::*;
use reflow::*;

/// The most any one stream may inflate to.
pub(crate) const MAX_STREAM_BYTES: usize = 16 * 1024 * 1024;
/// The most all of a file's deflated streams may inflate to together.
pub(crate) const MAX_INFLATED_BYTES: u64 = 64 * 1024 * 1024;
/// The most pages read (a case study has a few).
const MAX_PAGES: usize = 500;
/// The most text kept from a document.
const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;
/// The most tokens (numbers, names, brackets...) all of a file's deflated
/// streams may hold together: each becomes an object in memory, some
/// 50-100 bytes, so 64 MiB of `0 0 0` would take gigabytes.
pub(crate) const MAX_STREAM_TOKENS: u64 = 2_000_000;
/// The most content operations read from a whole file: the reflow's work
/// grows with them, so this bounds the time a file takes.
pub(crate) const MAX_OPERATIONS: u64 = 300_000;
/// How deep `q` may nest the graphics state.
const MAX_STATE_DEPTH: usize = 64;
/// The longest one PDF may take to read, whatever its shape: the limits
/// above bound the work, and this bounds the time when the machine is slow
/// or a shape of file costs more than they foresee. Checked between pieces
/// of work, so a file ends within a fraction of a second past it.
pub(crate) const MAX_READ_TIME: std::time::Duration = std::time::Duration::from_secs(5);

/// Why a PDF is not read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum PdfError {
    #[error("not a PDF: the file does not start with %PDF-")]
    NotPdf,
    #[error(
        "not a readable PDF: it is cut short (it does not end in %%EOF): ask for the file again"
    )]
    CutShort,
    /// The parser gave up on it.
    #[error("not a readable PDF (damaged or cut short?): {0}")]
    Unparsable(String),
    #[error("not a readable PDF: it has no pages (damaged or cut short?)")]
    NoPages,
    /// No page's content could be read.
    #[error("not a readable PDF: {0}")]
    Damaged(String),
    #[error("not read: it is protected by a password: ask for a copy without one")]
    Password,
    #[error(
        "no text layer: a scanned PDF? casetag reads a PDF's text, not pictures of it: \
         ask for the Word form, or a PDF saved from Word"
    )]
    NoTextLayer,
    /// Its text is drawn in fonts whose codes are not characters.
    #[error("its text cannot be decoded ({0}): ask for the Word form, or a PDF saved from Word")]
    Undecodable(Undecodable),
    /// Its deflated streams, checked before parsing, inflate past the limit.
    #[error(
        "not read: its streams would inflate to more than {limit_mib} MiB (a decompression bomb?)"
    )]
    StreamsTooLarge { limit_mib: u64 },
    /// Its streams hold more tokens than would fit in the memory allowed.
    #[error(
        "not read: the PDF needs more than {limit_mib} MiB to read (its streams hold more \
         than {tokens} numbers, names and other objects)"
    )]
    TooManyTokens { limit_mib: u64, tokens: u64 },
    /// Its pages' contents inflate past the limit.
    #[error("not read: its pages inflate to more than {limit_mib} MiB (a decompression bomb?)")]
    PagesTooLarge { limit_mib: u64 },
    #[error(
        "not read: reading it would take too long (its pages draw more than {limit} pieces \
         of text and graphics)"
    )]
    TooManyOperations { limit: u64 },
    #[error(
        "not read: it took longer than {secs} s to read, the most casetag gives a PDF \
         (a damaged or hostile file?)"
    )]
    TimeLimit { secs: f32 },
}

/// Why a text layer cannot be decoded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum Undecodable {
    /// Codes mapped to nothing, or to private-use code points.
    #[error("the fonts carry no character map")]
    NoCharacterMap,
    /// A subset font's glyph ids read as letters 29 places down.
    #[error("its fonts carry no Unicode map; the letters come out shifted")]
    Shifted,
    /// Codes that are glyph numbers (of a CJK character collection, or
    /// the font's own), with no Unicode map beside them: what they are.
    #[error("its fonts carry no Unicode map: their codes are {0}, not letters")]
    GlyphCodes(String),
}

/// When a read must end.
#[derive(Clone, Copy)]
pub(crate) struct Deadline {
    at: std::time::Instant,
    limit: std::time::Duration,
}

impl Deadline {
    pub(crate) fn after(limit: std::time::Duration) -> Self {
        Deadline {
            at: std::time::Instant::now() + limit,
            limit,
        }
    }

    /// An error naming the limit once it has passed.
    fn check(self) -> Result<(), PdfError> {
        if std::time::Instant::now() < self.at {
            return Ok(());
        }
        Err(PdfError::TimeLimit {
            secs: self.limit.as_secs_f32(),
        })
    }
}

/// The text of a PDF.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct PdfText {
    /// One line per paragraph.
    pub text: String,
    /// The largest type on the first page, when larger than the text.
    pub title: Option<String>,
    /// The document's Title property, when it is more than a file name.
    pub info_title: Option<String>,
    /// What was left out, said (pages over the limit, text over the limit).
    pub notes: Vec<String>,
}

/// Reads a `.pdf` from its bytes; the error says why it cannot be read.
pub(crate) fn read(bytes: &[u8]) -> Result<PdfText, PdfError> {
    read_within(bytes, Deadline::after(MAX_READ_TIME))
}

/// Reads a `.pdf`, refusing it once `deadline` has passed.
pub(crate) fn read_within(bytes: &[u8], deadline: Deadline) -> Result<PdfText, PdfError> {
    let head = bytes.get(..1024).unwrap_or(bytes);
    if memchr::memmem::find(head, b"%PDF-").is_none() {
        return Err(PdfError::NotPdf);
    }
    // NUL padding or whitespace after %%EOF (as some servers and scanners
    // write) is not the file cut short.
    let end = bytes
        .iter()
        .rposition(|&b| b != 0 && !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    let trimmed = bytes.get(..end).unwrap_or(bytes);
    let tail = trimmed
        .get(trimmed.len().saturating_sub(1024)..)
        .unwrap_or(trimmed);
    if memchr::memmem::find(tail, b"%%EOF").is_none() {
        return Err(PdfError::CutShort);
    }
    check_inflated_size(bytes, deadline)?;
    deadline.check()?;
    // An encrypted PDF whose user password is empty (only printing or
    // copying restricted) opens without asking anyone: it is read. One
    // that needs a password is refused as such.
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_STREAM_BYTES),
        password: Some(String::new()),
        ..LoadOptions::default()
    };
    let pdf = Pdf::load_mem_with_options(bytes, options).map_err(|e| match e {
        lopdf::Error::InvalidPassword | lopdf::Error::Decryption(_) => PdfError::Password,
        e => PdfError::Unparsable(e.to_string()),
    })?;
    let pages = pdf.get_pages();
    if pages.is_empty() {
        if pdf.trailer.get(b"Encrypt").is_ok() || pdf.was_encrypted() {
            return Err(PdfError::Password);
        }
        return Err(PdfError::NoPages);
    }
    deadline.check()?;
    let mut fonts = FontCache::default();
    let mut all: Vec<Vec<Line>> = Vec::new();
    let mut first_error = None;
    let mut work = Work {
        inflated: MAX_INFLATED_BYTES,
        ops: MAX_OPERATIONS,
        forms: MAX_FORMS,
        deadline,
        undecoded: 0,
        collection: None,
        forms_passed: false,
    };
    for (_, &page_id) in pages.iter().take(MAX_PAGES) {
        deadline.check()?;
        match page_lines(&pdf, page_id, &mut fonts, &mut work) {
            Ok(lines) => all.push(lines),
            Err(PdfError::Damaged(e)) => {
                first_error.get_or_insert(e);
            }
            Err(e) => return Err(e),
        }
        if work.inflated == 0 {
            return Err(PdfError::PagesTooLarge {
                limit_mib: MAX_INFLATED_BYTES / (1024 * 1024),
            });
        }
        if work.ops == 0 {
            return Err(PdfError::TooManyOperations {
                limit: MAX_OPERATIONS,
            });
        }
    }
    let chars: usize = all.iter().flatten().map(|l| l.text.trim().len()).sum();
    if chars == 0 {
        return Err(match (first_error, work.collection.take()) {
            (_, Some(collection)) => PdfError::Undecodable(Undecodable::GlyphCodes(collection)),
            (Some(e), None) => PdfError::Damaged(e),
            (None, None) => PdfError::NoTextLayer,
        });
    }
    // A subset font without a Unicode map whose codes are its glyph ids
    // reads as letters shifted by 29 ("3HQQ" for "Penn"): such lines are
    // not text, and are left out, said.
    let mut shifted = 0usize;
    for page in &mut all {
        let before = page.len();
        page.retain(|l| !is_shifted_garbage(&l.text));
        shifted += before - page.len();
    }
    if shifted > 0 && all.iter().all(Vec::is_empty) {
        return Err(PdfError::Undecodable(Undecodable::Shifted));
    }
    if undecodable(&all) {
        return Err(PdfError::Undecodable(Undecodable::NoCharacterMap));
    }
    deadline.check()?;
    let (text, title, cut) = reflow(&all);
    deadline.check()?;
    let mut notes = Vec::new();
    if pages.len() > MAX_PAGES {
        notes.push(format!(
            "only the first {MAX_PAGES} of its {} pages were read",
            pages.len()
        ));
    }
    if let (Some(collection), n) = (&work.collection, work.undecoded) {
        notes.push(format!(
            "{n} of its characters, drawn in a font without a Unicode map (its codes are \
             {collection}), could not be decoded and were left out"
        ));
    }
    if work.forms_passed {
        notes.push(format!(
            "some of its drawings (forms) nest more than {MAX_FORM_DEPTH} deep or number more \
             than {MAX_FORMS}: those past the limit were not read"
        ));
    }
    if shifted > 0 {
        notes.push(format!(
            "{shifted} of its lines, drawn in a font without a Unicode map, came out as \
             shifted letters (\"3HQQ\" for \"Penn\") and were left out"
        ));
    }
    if cut {
        notes.push(format!(
            "its text was cut at {} MiB",
            MAX_TEXT_BYTES / (1024 * 1024)
        ));
    }
    Ok(PdfText {
        text,
        title,
        info_title: info_title(&pdf),
        notes,
    })
}

/// Inflates every deflated stream of the file once, against one budget, so
/// that a file of many small bombs is refused before it is parsed.
fn check_inflated_size(bytes: &[u8], deadline: Deadline) -> Result<(), PdfError> {
    let mut total: u64 = 0;
    let mut tokens: u64 = 0;
    let mut sink = [0u8; 16 * 1024];
    for at in memchr::memmem::find_iter(bytes, b"stream") {
        // the keyword, then CRLF or LF, then the data
        let rest = bytes.get(at + 6..).unwrap_or(&[]);
        let data = match rest {
            [b'\r', b'\n', d @ ..] | [b'\n', d @ ..] => d,
            _ => continue,
        };
        // zlib's header, whatever its window size (0x78, 0x68, 0x58...):
        // the parser inflates all of them
        let is_zlib = matches!(data, [cmf, flg, ..]
            if cmf & 0x0f == 8 && (u16::from(*cmf) << 8 | u16::from(*flg)) % 31 == 0);
        if !is_zlib {
            continue;
        }
        let mut z = flate2::read::ZlibDecoder::new(data);
        // a token starts after whitespace or at a delimiter
        let mut after_space = true;
        loop {
            match z.read(&mut sink) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    deadline.check()?;
                    for &b in sink.get(..n).unwrap_or(&[]) {
                        let space = matches!(b, b' ' | b'\n' | b'\r' | b'\t' | 0 | 0x0c);
                        let delimiter = matches!(b, b'[' | b']' | b'<' | b'>' | b'(' | b'/');
                        if delimiter || (!space && after_space) {
                            tokens += 1;
                        }
                        after_space = space || delimiter;
                    }
                    if tokens > MAX_STREAM_TOKENS {
                        return Err(PdfError::TooManyTokens {
                            limit_mib: MAX_INFLATED_BYTES / (1024 * 1024),
                            tokens: MAX_STREAM_TOKENS,
                        });
                    }
                    total = total.saturating_add(u64::try_from(n).unwrap_or(u64::MAX));
                    if total > MAX_INFLATED_BYTES {
                        return Err(PdfError::StreamsTooLarge {
                            limit_mib: MAX_INFLATED_BYTES / (1024 * 1024),
                        });
                    }
                }
            }
        }
    }
    Ok(())
}

/// The Title property of the document information, unless it is a file name
/// or what a printer driver puts there ("Microsoft Word - form.docx").
fn info_title(pdf: &Pdf) -> Option<String> {
    let info = match pdf.trailer.get(b"Info").ok()? {
        Object::Reference(id) => pdf.get_dictionary(*id).ok()?,
        Object::Dictionary(d) => d,
        _ => return None,
    };
    let title = lopdf::decode_text_string(info.get(b"Title").ok()?).ok()?;
    let title = title.trim();
    let title = title.strip_prefix("Microsoft Word - ").unwrap_or(title);
    let lower = title.to_ascii_lowercase();
    let is_file = [".doc", ".docx", ".pdf", ".odt", ".rtf", ".txt"]
        .iter()
        .any(|e| lower.ends_with(e));
    let clean: String = title.chars().filter(|c| !c.is_control()).collect();
    (!is_file && clean.split_whitespace().count() >= 2).then_some(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, y: f32, x_end: f32, size: f32) -> Line {
        Line {
            text: text.to_string(),
            y,
            x_start: 72.0,
            x_end,
            size,
            bold: false,
        }
    }

    #[test]
    fn lines_reflow_into_paragraphs_and_fields_stay_lines() {
        let page = vec![
            line("Food hubs", 760.0, 200.0, 20.0),
            line("Lead Member: Oldham Council", 730.0, 250.0, 11.0),
            line("Year: 2021", 716.0, 150.0, 11.0),
            line(
                "The hubs began in a church hall and now run",
                690.0,
                520.0,
                11.0,
            ),
            line("in every ward of the bor-", 676.0, 520.0, 11.0),
            line("ough, with volunteers.", 662.0, 300.0, 11.0),
            line("A second paragraph.", 648.0, 250.0, 11.0),
            line("• first point", 634.0, 200.0, 11.0),
            line("2", 40.0, 80.0, 11.0),
        ];
        let (text, title, _) = reflow(&[page]);
        assert_eq!(title.as_deref(), Some("Food hubs"));
        assert_eq!(
            text,
            "Food hubs\nLead Member: Oldham Council\nYear: 2021\n\
             The hubs began in a church hall and now run in every ward of the bor-ough, with volunteers.\n\
             A second paragraph.\n• first point\n"
        );
    }

    #[test]
    fn a_paragraph_goes_on_over_a_page_and_bullets_drawn_apart_join_their_item() {
        let mark = Line {
            x_start: 60.0,
            x_end: 66.0,
            ..line("•", 700.0, 66.0, 11.0)
        };
        let page1 = attach_bullets(vec![
            line("Lead Member: Hull City Council", 700.0, 300.0, 11.0),
            line(
                "Warm spaces opened in libraries, churches and community",
                680.0,
                520.0,
                11.0,
            ),
            line(
                "centres across the city, each run in its own way, and",
                666.0,
                520.0,
                11.0,
            ),
            mark,
        ]);
        let page2 = vec![
            line(
                "more than 70 registered within a month.",
                760.0,
                300.0,
                11.0,
            ),
            line("Next", 746.0, 100.0, 11.0),
        ];
        let (text, _, _) = reflow(&[page1, page2]);
        assert_eq!(
            text,
            "• Lead Member: Hull City Council\n\
             Warm spaces opened in libraries, churches and community centres across the city, \
             each run in its own way, and more than 70 registered within a month.\nNext\n"
        );
    }

    #[test]
    fn each_lone_mark_joins_the_nearest_free_item_and_many_marks_are_no_hang() {
        // 60,000 items on one baseline, each with a mark just to its left
        // drawn after all of them, and as many marks with no item in reach:
        // a scan of the baseline for each mark would be billions of steps
        let n = 60_000;
        let mut lines: Vec<Line> = (0..n)
            .map(|i| Line {
                x_start: 100.0 + 100.0 * i as f32,
                ..line(&format!("w{i}"), 700.0, 0.0, 11.0)
            })
            .collect();
        for i in 0..n {
            let x = 95.0 + 100.0 * i as f32;
            lines.push(Line {
                x_start: x,
                x_end: x + 4.0,
                ..line("•", 700.0, 0.0, 11.0)
            });
            lines.push(Line {
                x_start: -1.0e5 - i as f32,
                x_end: 0.0,
                ..line("-", 700.3, 0.0, 11.0)
            });
        }
        let out = attach_bullets(lines);
        assert_eq!(out.len(), 2 * n);
        for (i, l) in out.iter().take(n).enumerate() {
            assert_eq!(l.text, format!("• w{i}"));
            assert_eq!(l.x_start, 95.0 + 100.0 * i as f32);
        }
        assert!(out.iter().skip(n).all(|l| l.text == "-"));

        // of two items in reach the nearer takes the mark; a second mark
        // takes the other; an item with a bullet takes none
        let at = |text: &str, x: f32| Line {
            x_start: x,
            ..line(text, 500.0, 0.0, 11.0)
        };
        let out = attach_bullets(vec![
            at("far", 90.0),
            at("near", 70.0),
            at("• has one", 62.0),
            at("•", 60.0),
            at("•", 61.0),
            at("•", 61.5),
        ]);
        let texts: Vec<&str> = out.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["• far", "• near", "• has one", "•"]);
    }

    #[test]
    fn a_cid_font_s_glyphs_are_as_wide_as_its_w_array_says() {
        let font = Font {
            cid_widths: Some((vec![(0x24, 0x24, 722.0), (0x30, 0x39, 556.0)], 1000.0)),
            wide: true,
            ..Font::default()
        };
        // "M" 722, a digit 556, a glyph the array does not name DW = 1000
        let w = font.width(&[0x00, 0x24, 0x00, 0x33, 0x01, 0x00], "M3x");
        assert!((w - 2.278).abs() < 1e-4, "{w}");
        let average = Font {
            cid_widths: None,
            ..font
        };
        assert!((average.width(&[0, 0x24, 0, 0x33], "M3") - 1.0).abs() < 1e-4);
    }

    #[test]
    fn right_to_left_letters_drawn_in_a_run_read_in_their_order() {
        // "مرحبا بالعالم" as a run draws it, left to right
        assert_eq!(logical_order("ملاعلاب ابحرم".to_string()), "مرحبا بالعالم");
        assert_eq!(
            logical_order("Hello ابحرم 2023".to_string()),
            "Hello مرحبا 2023"
        );
        assert_eq!(logical_order("Hello".to_string()), "Hello");
    }

    #[test]
    fn a_standard_font_without_widths_has_its_face_s() {
        assert_eq!(
            Standard::of("abcdef+arial-boldmt"),
            Some(Standard::HelveticaBold)
        );
        assert_eq!(Standard::of("helvetica"), Some(Standard::Helvetica));
        assert_eq!(Standard::of("times-roman"), None);
        let font = Font {
            standard: Some(Standard::Helvetica),
            ..Font::default()
        };
        // B U T T O: 667 + 722 + 611 + 611 + 778
        assert!((font.width(b"BUTTO", "BUTTO") - 3.389).abs() < 1e-4);
        assert!((font.width(b"", "\u{e9}") - 0.556).abs() < 1e-4);
    }

    #[test]
    fn ligatures_are_letters() {
        let font = Font { ..Font::default() };
        assert_eq!(
            font.text("bene\u{FB01}t\tof \u{FB02}ats".as_bytes()),
            "benefit of flats"
        );
    }

    #[test]
    fn letters_shifted_by_a_font_without_a_unicode_map_are_not_text() {
        // "Pennstrvestedky" read through glyph ids
        assert!(is_shifted_garbage("3HQQtSURVWHGN\\QD~WHFK"));
        assert!(is_shifted_garbage(
            "7KH KXEV RSHQHG LQ 2020 ZLWK 3 YROXQWHHUV"
        ));
        for text in [
            "OSX STYLES AND FONTS",
            "Hello World, again",
            "10.5 12 14 16",
            "A4 B2 C3",
        ] {
            assert!(!is_shifted_garbage(text), "{text}");
        }
    }

    #[test]
    fn page_numbers_and_bullets() {
        assert!(is_page_number("Page 2 of 3"));
        assert!(is_page_number(" 12 "));
        assert!(is_page_number("2 / 3"));
        assert!(!is_page_number("2021 budget"));
        assert!(is_bullet("• item"));
        assert!(is_bullet("3. item"));
        assert!(!is_bullet("2021. A year"));
    }

    #[test]
    fn not_a_pdf_and_a_scan_are_errors() {
        assert_eq!(read(b"hello"), Err(PdfError::NotPdf));
        assert_eq!(read(b"%PDF-1.4\n"), Err(PdfError::CutShort));
        assert!(
            read(b"%PDF-1.4\n%%EOF\n").is_err_and(|e| e.to_string().contains("not a readable PDF"))
        );
    }

    #[test]
    fn a_file_past_its_time_is_refused_naming_the_limit() {
        let file = pdf_with_stream([0x78, 0x9c], b"BT (a) Tj ET");
        let late = Deadline::after(std::time::Duration::ZERO);
        let err = read_within(&file, late)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("longer than 0 s"), "{err}");
        let fine = Deadline::after(MAX_READ_TIME);
        let err = read_within(&file, fine)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(!err.contains("longer than"), "{err}");
    }

    /// A file of one deflated stream, zlib-wrapped with the header given.
    fn pdf_with_stream(header: [u8; 2], inflated: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        let _ = e.write_all(inflated);
        let raw = e.finish().unwrap_or_default();
        let (mut a, mut b) = (1u32, 0u32);
        for &x in inflated {
            a = (a + u32::from(x)) % 65521;
            b = (b + a) % 65521;
        }
        let mut out =
            b"%PDF-1.5\n1 0 obj <</Type/ObjStm/N 1/First 4/Filter/FlateDecode>>\nstream\n".to_vec();
        out.extend_from_slice(&header);
        out.extend_from_slice(&raw);
        out.extend_from_slice(&((b << 16) | a).to_be_bytes());
        out.extend_from_slice(b"\nendstream\nendobj\n%%EOF\n");
        out
    }

    #[test]
    fn an_object_stream_of_many_zeros_is_refused_whatever_its_window() {
        let zeros = b"0 ".repeat(3_000_000);
        let zeros = [b"[".as_slice(), &zeros, b"]"].concat();
        for header in [[0x78, 0xda], [0x68, 0x81], [0x58, 0x09]] {
            let file = pdf_with_stream(header, &zeros);
            assert!(file.len() < 64 * 1024, "{} bytes", file.len());
            let e = read(&file).err().map(|e| e.to_string()).unwrap_or_default();
            assert!(e.contains("needs more than 64 MiB"), "{header:x?}: {e}");
        }
    }

    #[test]
    fn a_bomb_with_another_zlib_window_is_refused() {
        let big = vec![b'a'; 70 * 1024 * 1024];
        for header in [[0x68, 0x81], [0x58, 0x09]] {
            let e = read(&pdf_with_stream(header, &big))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                e.contains("inflate to more than 64 MiB"),
                "{header:x?}: {e}"
            );
        }
    }
}
