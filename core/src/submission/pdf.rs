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

/// What the reader needs of a font.
struct Font<'a> {
    encoding: Option<Encoding<'a>>,
    /// A Type0 font whose codes are a legacy CJK encoding's (a predefined
    /// CMap such as `90ms-RKSJ-H`), decoded as that encoding.
    legacy: Option<charset::Charset>,
    /// A font whose codes are glyph numbers (of a character collection
    /// such as Adobe-Japan1, or its own) and that has no Unicode map: its
    /// text cannot be read. What its codes are.
    glyph_codes: Option<String>,
    /// Glyph widths of a simple font, in thousandths of the type size, from
    /// its first character code.
    widths: Option<(i64, Vec<f32>)>,
    /// A standard face, for a simple font without widths of its own.
    standard: Option<Standard>,
    /// A font of two-byte codes (Type0).
    wide: bool,
    /// A Type0 font's glyph widths, from its descendant's `W` array: runs
    /// of codes (first, last) and their width, in thousandths; and its
    /// `DW` default. Known only for the Identity encodings (a code is the
    /// glyph's id, two bytes).
    cid_widths: Option<CidWidths>,
    bold: bool,
}

/// Runs of glyph codes (first, last) and their width, and the default
/// width, in thousandths of the type size.
type CidWidths = (Vec<(u32, u32, f32)>, f32);

/// The most runs of a `W` array kept.
const MAX_CID_RUNS: usize = 65_536;

/// A Type0 font's widths: its descendant's `W` and `DW`, when its
/// encoding is Identity-H or Identity-V.
fn cid_widths(pdf: &Pdf, dict: &Dictionary) -> Option<CidWidths> {
    let resolve = |o: &Object| -> Option<Object> {
        match o {
            Object::Reference(id) => pdf.get_object(*id).ok().cloned(),
            o => Some(o.clone()),
        }
    };
    let encoding = dict.get(b"Encoding").ok()?.as_name().ok()?;
    if !matches!(encoding, b"Identity-H" | b"Identity-V") {
        return None;
    }
    let descendants = resolve(dict.get(b"DescendantFonts").ok()?)?;
    let first = resolve(descendants.as_array().ok()?.first()?)?;
    let cid = first.as_dict().ok()?;
    let dw = cid
        .get(b"DW")
        .ok()
        .and_then(|o| o.as_float().ok())
        .filter(|w| w.is_finite() && *w > 0.0)
        .unwrap_or(1000.0);
    let mut runs = Vec::new();
    if let Some(w) = cid.get(b"W").ok().and_then(resolve) {
        let items = w.as_array().ok()?;
        let mut i = 0;
        while let Some(start) = items.get(i).and_then(|o| o.as_i64().ok()) {
            let start = u32::try_from(start).ok()?;
            match items.get(i + 1).and_then(resolve) {
                Some(Object::Array(ws)) => {
                    for (k, w) in ws.iter().enumerate() {
                        let code = start.saturating_add(u32::try_from(k).ok()?);
                        runs.push((code, code, w.as_float().unwrap_or(dw)));
                    }
                    i += 2;
                }
                Some(end) => {
                    let end = u32::try_from(end.as_i64().ok()?).ok()?;
                    let w = items.get(i + 2)?.as_float().unwrap_or(dw);
                    runs.push((start, end, w));
                    i += 3;
                }
                None => break,
            }
            if runs.len() > MAX_CID_RUNS {
                break;
            }
        }
    }
    runs.sort_by_key(|r| r.0);
    Some((runs, dw))
}

/// Fonts already resolved, by the address of their dictionary (shared by
/// the pages that use them, so a font's character map is decoded once).
#[derive(Default)]
struct FontCache<'a> {
    fonts: HashMap<usize, std::rc::Rc<Font<'a>>>,
}

impl<'a> FontCache<'a> {
    fn get(&mut self, pdf: &'a Pdf, dict: &'a Dictionary) -> std::rc::Rc<Font<'a>> {
        let key = std::ptr::from_ref(dict) as usize;
        self.fonts
            .entry(key)
            .or_insert_with(|| std::rc::Rc::new(font(pdf, dict)))
            .clone()
    }
}

fn font<'a>(pdf: &'a Pdf, dict: &'a Dictionary) -> Font<'a> {
    let name = |key: &[u8]| {
        dict.get(key)
            .and_then(Object::as_name)
            .map(|n| String::from_utf8_lossy(n).to_ascii_lowercase())
            .unwrap_or_default()
    };
    let base = name(b"BaseFont");
    let wide = name(b"Subtype") == "type0";
    let widths = (|| {
        let first = dict.get(b"FirstChar").ok()?.as_i64().ok()?;
        let list = match dict.get(b"Widths").ok()? {
            Object::Reference(id) => pdf.get_object(*id).ok()?,
            o => o,
        };
        let w = list
            .as_array()
            .ok()?
            .iter()
            .map(|o| o.as_float().unwrap_or(500.0))
            .collect();
        Some((first, w))
    })();
    let (encoding, legacy, glyph_codes) = if wide {
        type0_decoding(pdf, dict)
    } else {
        (
            dict.get_font_encoding_with_limit(pdf, MAX_STREAM_BYTES)
                .ok(),
            None,
            None,
        )
    };
    let standard = if widths.is_none() && !wide {
        Standard::of(&base)
    } else {
        None
    };
    Font {
        encoding,
        legacy,
        glyph_codes,
        widths,
        standard,
        wide,
        cid_widths: if wide { cid_widths(pdf, dict) } else { None },
        bold: base.contains("bold") || base.contains("black") || base.contains("heavy"),
    }
}

/// How a Type0 font's codes become text: its Unicode map; else, for a
/// predefined CMap of a legacy CJK encoding, that encoding; else, when its
/// codes are glyphs of a CJK character collection, nothing (the
/// collection is named); else what lopdf makes of it.
fn type0_decoding<'a>(
    pdf: &'a Pdf,
    dict: &'a Dictionary,
) -> (
    Option<Encoding<'a>>,
    Option<charset::Charset>,
    Option<String>,
) {
    let to_unicode = dict.get(b"ToUnicode").ok().map(|o| resolved(pdf, o));
    if let Some(Object::Name(n)) = to_unicode
        && matches!(n.as_slice(), b"Identity-H" | b"Identity-V")
    {
        // a "Unicode map" that is the identity: the codes are UTF-16
        return (None, charset::Charset::for_label(b"utf-16be"), None);
    }
    if to_unicode.is_some() {
        // the Unicode map first, whatever the Encoding entry names
        let mut own = dict.clone();
        own.remove(b"Encoding");
        if let Ok(Encoding::UnicodeMapEncoding(map)) =
            own.get_font_encoding_with_limit(pdf, MAX_STREAM_BYTES)
        {
            return (Some(Encoding::UnicodeMapEncoding(map)), None, None);
        }
    }
    let name = dict
        .get(b"Encoding")
        .ok()
        .map(|o| resolved(pdf, o))
        .and_then(|o| o.as_name().ok())
        .unwrap_or_default();
    if let Some(label) = legacy_cmap(name) {
        return (None, charset::Charset::for_label(label), None);
    }
    let collection = (|| {
        let descendants = resolved(pdf, dict.get(b"DescendantFonts").ok()?);
        let cid = dict_of(pdf, descendants.as_array().ok()?.first()?)?;
        let info = dict_of(pdf, cid.get(b"CIDSystemInfo").ok()?)?;
        let text = |k: &[u8]| match resolved(pdf, info.get(k).ok()?) {
            Object::String(s, _) => Some(String::from_utf8_lossy(s).into_owned()),
            _ => None,
        };
        let ordering = text(b"Ordering")?;
        matches!(ordering.as_str(), "Japan1" | "GB1" | "CNS1" | "Korea1").then(|| {
            format!(
                "glyphs of the {}-{ordering} character collection",
                text(b"Registry").unwrap_or_default()
            )
        })
    })();
    if matches!(name, b"Identity-H" | b"Identity-V") {
        // without a Unicode map the codes are glyph numbers: of a
        // collection, or the font's own
        let what = collection.unwrap_or_else(|| "the font's own glyph numbers".to_string());
        return (None, None, Some(what));
    }
    let encoding = dict
        .get_font_encoding_with_limit(pdf, MAX_STREAM_BYTES)
        .ok();
    match (&encoding, collection) {
        // a predefined CMap lopdf does not know maps codes to glyphs
        (Some(Encoding::SimpleEncoding(n)), Some(c))
            if !matches!(*n, b"UniGB-UCS2-H" | b"UniGB-UTF16-H") =>
        {
            (None, None, Some(c))
        }
        _ => (encoding, None, None),
    }
}

/// The legacy encoding whose byte codes a predefined CJK CMap reads (the
/// CMaps of Adobe's collections that are named for an encoding), by its
/// WHATWG label: the codes decoded as that encoding are the text.
fn legacy_cmap(name: &[u8]) -> Option<&'static [u8]> {
    let name = name
        .strip_suffix(b"-H")
        .or_else(|| name.strip_suffix(b"-V"))
        .unwrap_or(name);
    Some(match name {
        // JIS X 0208 rows and cells as two 7-bit bytes: EUC-JP less 0x80
        b"H" | b"V" => b"iso-2022-jp",
        b"EUC" => b"euc-jp",
        b"90ms-RKSJ" | b"90msp-RKSJ" | b"83pv-RKSJ" | b"90pv-RKSJ" | b"Add-RKSJ" | b"Ext-RKSJ" => {
            b"shift_jis"
        }
        b"UniJIS-UCS2" | b"UniJIS-UCS2-HW" | b"UniJIS-UTF16" | b"UniGB-UCS2" | b"UniGB-UTF16"
        | b"UniCNS-UCS2" | b"UniCNS-UTF16" | b"UniKS-UCS2" | b"UniKS-UTF16" => b"utf-16be",
        b"UniJIS-UTF8" | b"UniGB-UTF8" | b"UniCNS-UTF8" | b"UniKS-UTF8" => b"utf-8",
        b"GB-EUC" | b"GBpc-EUC" | b"GBK-EUC" | b"GBKp-EUC" | b"GBK2K" => b"gb18030",
        b"B5pc" | b"ETen-B5" | b"ETenms-B5" | b"HKscs-B5" | b"CNS-EUC" => b"big5",
        b"KSC-EUC" | b"KSCms-UHC" | b"KSCpc-EUC" | b"KSCms-UHC-HW" => b"euc-kr",
        _ => return None,
    })
}

impl Font<'_> {
    /// The text of a string operand, without control characters.
    fn text(&self, bytes: &[u8]) -> String {
        let decoded = if self.glyph_codes.is_some() {
            String::new()
        } else if let Some(c) = self.legacy {
            if c.name().eq_ignore_ascii_case("iso-2022-jp") {
                // two 7-bit bytes a character, without the escapes
                let euc: Vec<u8> = bytes.iter().map(|b| b | 0x80).collect();
                charset::Charset::for_label(b"euc-jp")
                    .map(|e| e.decode_without_bom_handling(&euc).0.into_owned())
                    .unwrap_or_default()
            } else {
                c.decode_without_bom_handling(bytes).0.into_owned()
            }
        } else {
            match &self.encoding {
                Some(e) => Pdf::decode_text(e, bytes).unwrap_or_default(),
                None => String::from_utf8_lossy(bytes).into_owned(),
            }
        };
        let mut out = String::with_capacity(decoded.len());
        for c in decoded.chars() {
            match c {
                // typeset ligatures, so that "benefit" reads as written
                'ﬀ' => out.push_str("ff"),
                'ﬁ' => out.push_str("fi"),
                'ﬂ' => out.push_str("fl"),
                'ﬃ' => out.push_str("ffi"),
                'ﬄ' => out.push_str("ffl"),
                'ﬅ' | 'ﬆ' => out.push_str("st"),
                c if c.is_whitespace() => out.push(' '),
                c if c.is_control() || c == '\u{FEFF}' => {}
                c => out.push(c),
            }
        }
        out
    }

    /// The width of `bytes` in text space units of type size 1.
    fn width(&self, bytes: &[u8], text: &str) -> f32 {
        if let (Some((first, widths)), false) = (&self.widths, self.wide) {
            bytes
                .iter()
                .map(|&b| {
                    usize::try_from(i64::from(b) - first)
                        .ok()
                        .and_then(|i| widths.get(i))
                        .copied()
                        .unwrap_or(500.0)
                        / 1000.0
                })
                .sum()
        } else if let Some((runs, dw)) = &self.cid_widths {
            bytes
                .chunks(2)
                .map(|pair| {
                    let code = pair.iter().fold(0u32, |c, &b| c << 8 | u32::from(b));
                    let at = runs.partition_point(|r| r.0 <= code);
                    at.checked_sub(1)
                        .and_then(|i| runs.get(i))
                        .filter(|r| code <= r.1)
                        .map_or(*dw, |r| r.2)
                        / 1000.0
                })
                .sum()
        } else if let Some(face) = self.standard {
            text.chars().map(|c| face.width(c)).sum::<f32>() / 1000.0
        } else {
            // a fair average for proportional type
            f32_from(text.chars().count()) * 0.5
        }
    }
}

/// A standard face whose widths a font may leave out (the PDF's standard
/// fonts need no `Widths`; Arial is drawn to Helvetica's widths).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Standard {
    Helvetica,
    HelveticaBold,
    Courier,
}

/// Helvetica's widths from the space to the tilde, in thousandths (from
/// its AFM), and Helvetica Bold's.
const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0..?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P.._
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `..o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p..~
];
const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 0..?
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // P.._
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // `..o
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, // p..~
];

impl Standard {
    /// The face a font's name says, when it is one of these.
    fn of(base: &str) -> Option<Standard> {
        // a subset's name starts with six capitals and a plus
        let name = base.split_once('+').map_or(base, |(_, n)| n);
        let bold = name.contains("bold") || name.contains("black") || name.contains("heavy");
        if name.starts_with("helvetica") || name.starts_with("arial") {
            Some(if bold {
                Standard::HelveticaBold
            } else {
                Standard::Helvetica
            })
        } else if name.starts_with("courier") {
            Some(Standard::Courier)
        } else {
            None
        }
    }

    /// A character's width in thousandths: the face's for ASCII, a
    /// letter's usual width for the rest.
    fn width(self, c: char) -> f32 {
        let table = match self {
            Standard::Courier => return 600.0,
            Standard::Helvetica => &HELVETICA,
            Standard::HelveticaBold => &HELVETICA_BOLD,
        };
        let at = u32::from(c)
            .checked_sub(32)
            .and_then(|i| usize::try_from(i).ok());
        at.and_then(|i| table.get(i))
            .map_or(556.0, |&w| f32::from(w))
    }
}

/// Whether a character is written right to left (Hebrew, Arabic).
fn is_rtl(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// A line's text in the order it is read. A line is gathered in the order
/// its glyphs are drawn, left to right, so Hebrew or Arabic in it comes in
/// the reverse of its reading order: each stretch of right-to-left letters
/// (with the spaces and marks between them) is turned round.
fn logical_order(text: String) -> String {
    if !text.chars().any(is_rtl) {
        return text;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if !is_rtl(c) {
            out.push(c);
            i += 1;
            continue;
        }
        // the stretch: right-to-left letters and what lies between them
        let mut end = i + 1;
        let mut last_rtl = i;
        while let Some(&d) = chars.get(end) {
            if is_rtl(d) {
                last_rtl = end;
            } else if !(d == ' ' || is_rtl_neutral(d)) {
                break;
            }
            end += 1;
        }
        if let Some(stretch) = chars.get(i..=last_rtl) {
            out.extend(stretch.iter().rev());
        }
        i = last_rtl + 1;
    }
    out
}

/// Marks that take the direction of the letters around them.
fn is_rtl_neutral(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{200C}' | '\u{200D}')
}

fn f32_from(n: usize) -> f32 {
    u16::try_from(n).map_or(f32::from(u16::MAX), f32::from)
}

/// A 2D affine matrix `[a b c d e f]` as PDF writes it.
type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n` (PDF's row-vector order).
fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn number(o: Option<&Object>) -> f32 {
    o.and_then(|o| o.as_float().ok())
        .filter(|f| f.is_finite())
        .unwrap_or(0.0)
}

fn matrix(ops: &[Object]) -> Option<Matrix> {
    if ops.len() != 6 {
        return None;
    }
    let mut m = IDENTITY;
    for (slot, o) in m.iter_mut().zip(ops) {
        *slot = number(Some(o));
    }
    Some(m)
}

/// One line of a page as drawn.
#[derive(Debug, Clone, Default)]
struct Line {
    text: String,
    /// Baseline, in the page's space (up is larger).
    y: f32,
    x_start: f32,
    x_end: f32,
    /// Type size on the page.
    size: f32,
    bold: bool,
}

/// The most Form XObjects drawn in a whole file (each is read again every
/// time it is drawn, against the same budgets as the pages).
const MAX_FORMS: u64 = 10_000;
/// How deep one Form XObject may draw another.
const MAX_FORM_DEPTH: usize = 12;

/// What is left of a file's budgets while its pages are read.
struct Work {
    /// Bytes the pages' and forms' contents may still inflate to.
    inflated: u64,
    /// Content operations still to be read.
    ops: u64,
    /// Form XObjects still to be drawn.
    forms: u64,
    deadline: Deadline,
    /// Characters drawn in fonts whose codes cannot be decoded, and the
    /// character collection they belong to.
    undecoded: usize,
    collection: Option<String>,
    /// Whether a form was passed over at the depth or count limit.
    forms_passed: bool,
}

/// A page's (or a form's) resources: its own dictionary, then those it
/// inherits, nearest first.
type Resources<'a> = Vec<&'a Dictionary>;

/// The dictionary `o` is or refers to.
fn dict_of<'a>(pdf: &'a Pdf, o: &'a Object) -> Option<&'a Dictionary> {
    match o {
        Object::Reference(id) => pdf.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

/// The object `o` is, or refers to (one reference deep).
fn resolved<'a>(pdf: &'a Pdf, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => pdf.get_object(*id).unwrap_or(o),
        o => o,
    }
}

/// The resources of a page, its own first and then its ancestors'.
fn page_resources(pdf: &Pdf, page_id: lopdf::ObjectId) -> Resources<'_> {
    let mut out = Vec::new();
    let mut node = pdf.get_dictionary(page_id).ok();
    // a page tree is shallow; a cycle of parents ends here
    for _ in 0..64 {
        let Some(d) = node else { break };
        if let Some(r) = d.get(b"Resources").ok().and_then(|o| dict_of(pdf, o)) {
            out.push(r);
        }
        node = d.get(b"Parent").ok().and_then(|o| dict_of(pdf, o));
    }
    out
}

/// An attribute of a page, or of the nearest ancestor that has it.
fn inherited<'a>(pdf: &'a Pdf, page_id: lopdf::ObjectId, key: &[u8]) -> Option<&'a Object> {
    let mut node = pdf.get_dictionary(page_id).ok();
    for _ in 0..64 {
        let d = node?;
        if let Ok(o) = d.get(key) {
            return Some(resolved(pdf, o));
        }
        node = d.get(b"Parent").ok().and_then(|o| dict_of(pdf, o));
    }
    None
}

/// The part of the page that is shown (its crop box, else its media
/// box): `[x0, y0, x1, y1]`.
fn visible_box(pdf: &Pdf, page_id: lopdf::ObjectId) -> Option<[f32; 4]> {
    let rect = |key: &[u8]| -> Option<[f32; 4]> {
        let a = inherited(pdf, page_id, key)?.as_array().ok()?;
        let n: Vec<f32> = a.iter().map(|o| number(Some(resolved(pdf, o)))).collect();
        match n.as_slice() {
            &[a, b, c, d] => Some([a.min(c), b.min(d), a.max(c), b.max(d)]),
            _ => None,
        }
    };
    let media = rect(b"MediaBox")?;
    let crop = rect(b"CropBox").unwrap_or(media);
    let b = [
        media[0].max(crop[0]),
        media[1].max(crop[1]),
        media[2].min(crop[2]),
        media[3].min(crop[3]),
    ];
    // a box of no area is a mistake of the writer, not a hidden page
    (b[2] - b[0] > 1.0 && b[3] - b[1] > 1.0).then_some(b)
}

/// The fonts named in resources, nearest first. Each name looked at is an
/// operation of the file's budget: a form of many fonts drawn many times
/// costs what it takes.
fn fonts_of<'a>(
    pdf: &'a Pdf,
    resources: &Resources<'a>,
    cache: &mut FontCache<'a>,
    work: &mut Work,
) -> HashMap<Vec<u8>, std::rc::Rc<Font<'a>>> {
    let mut out = HashMap::new();
    for r in resources {
        let Some(fonts) = r.get(b"Font").ok().and_then(|o| dict_of(pdf, o)) else {
            continue;
        };
        for (name, o) in fonts {
            if work.ops == 0 {
                return out;
            }
            work.ops -= 1;
            if out.contains_key(name) {
                continue;
            }
            if let Some(d) = dict_of(pdf, o) {
                out.insert(name.clone(), cache.get(pdf, d));
            }
        }
    }
    out
}

/// The data of a stream, its filters applied, at most `limit` bytes. A
/// filter or its parameters given by reference are looked up first; a
/// stream whose filter cannot be applied gives its bytes as they are (as
/// readers do).
fn stream_data(pdf: &Pdf, stream: &lopdf::Stream, limit: usize) -> Result<Vec<u8>, ()> {
    let indirect = |k: &[u8]| matches!(stream.dict.get(k), Ok(Object::Reference(_)));
    let result = if indirect(b"Filter") || indirect(b"DecodeParms") {
        let mut dict = stream.dict.clone();
        for key in [b"Filter".as_slice(), b"DecodeParms"] {
            if let Ok(o) = stream.dict.get(key) {
                dict.set(key, resolved(pdf, o).clone());
            }
        }
        let mut copy = stream.clone();
        copy.dict = dict;
        copy.decompressed_content_with_limit(limit)
    } else if stream.dict.get(b"Filter").is_ok() {
        stream.decompressed_content_with_limit(limit)
    } else {
        Ok(stream.content.clone())
    };
    match result {
        Ok(data) if data.len() <= limit => Ok(data),
        Err(lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded { .. }))
        | Ok(_) => Err(()),
        Err(_) if stream.content.len() <= limit => Ok(stream.content.clone()),
        Err(_) => Err(()),
    }
}

/// The page's text state while its content is read.
struct Reader<'p, 'a> {
    pdf: &'a Pdf,
    cache: &'p mut FontCache<'a>,
    ctm: Matrix,
    stack: Vec<Matrix>,
    tm: Matrix,
    tlm: Matrix,
    leading: f32,
    size: f32,
    /// Text rise (`Ts`), character and word spacing (`Tc`, `Tw`) and
    /// horizontal scaling (`Tz`, a fraction).
    rise: f32,
    char_spacing: f32,
    word_spacing: f32,
    scaling: f32,
    font: Option<std::rc::Rc<Font<'a>>>,
    fonts: HashMap<Vec<u8>, std::rc::Rc<Font<'a>>>,
    resources: Resources<'a>,
    /// The part of the page shown, `[x0, y0, x1, y1]`: text drawn above or
    /// below it is not seen.
    visible: Option<[f32; 4]>,
    /// The forms being drawn, outermost first (a form that draws itself
    /// is drawn once).
    forms: Vec<lopdf::ObjectId>,
    lines: Vec<Line>,
    /// Whether the next run continues the last one where it ended.
    flowing: bool,
    kept: usize,
    /// Marked content open (`BMC`/`BDC`), each with the text it stands for
    /// when it gives one (`/ActualText`, as writers give for a glyph shared
    /// by several characters); whether that text is shown yet.
    marked: Vec<Option<(String, bool)>>,
    /// Whether the next run starts a line of its own (an annotation's
    /// text is not part of the page's line it lies on).
    apart: bool,
}

impl Reader<'_, '_> {
    fn next_line(&mut self, tx: f32, ty: f32) {
        self.tlm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &self.tlm);
        self.tm = self.tlm;
        self.flowing = false;
    }

    fn show(&mut self, bytes: &[u8], work: &mut Work) {
        let Some(font) = self.font.clone() else {
            return;
        };
        if let Some(collection) = &font.glyph_codes {
            work.undecoded += bytes.len() / 2;
            work.collection.get_or_insert_with(|| collection.clone());
        }
        let mut text = font.text(bytes);
        let advance = font.width(bytes, &text);
        // within marked content that says what it stands for, that text
        // once, at the first glyph, in place of the glyphs'
        if let Some((actual, shown)) = self.marked.iter_mut().rev().find_map(Option::as_mut) {
            text = if *shown {
                String::new()
            } else {
                *shown = true;
                std::mem::take(actual)
            };
        }
        let m = mul(
            &mul(&[1.0, 0.0, 0.0, 1.0, 0.0, self.rise], &self.tm),
            &self.ctm,
        );
        let scale = m[2].hypot(m[3]);
        let size = (self.size * scale).abs();
        let (x, y) = (m[4], m[5]);
        let spaces = if font.wide {
            0
        } else {
            bytes.iter().filter(|&&b| b == b' ').count()
        };
        let codes = if font.wide {
            bytes.len() / 2
        } else {
            bytes.len()
        };
        let width = (advance * self.size
            + self.char_spacing * f32_from(codes)
            + self.word_spacing * f32_from(spaces))
            * self.scaling;
        self.tm = mul(&[1.0, 0.0, 0.0, 1.0, width, 0.0], &self.tm);
        let x_end = mul(&self.tm, &self.ctm)[4];
        // a matrix that flattens the glyphs to nothing draws nothing seen
        let flat = (m[0] * m[3] - m[1] * m[2]).abs() < f32::EPSILON;
        if text.is_empty() || flat || self.kept > MAX_TEXT_BYTES {
            return;
        }
        // text drawn above or below the page is not seen (a run drawn
        // across its side is, in part)
        if let Some([_, y0, _, y1]) = self.visible
            && (y + size * 0.8 < y0 || y - size * 0.2 > y1)
        {
            return;
        }
        self.kept += text.len();
        let tolerance = (size * 0.5).max(1.0);
        // a line set at an angle (up a chart's axis) moves along both
        // axes: what follows in the same text line is the same line
        let turned = m[1].abs() > m[0].abs() * 0.05 + f32::EPSILON;
        // the same text drawn again where it was (a halo, bold made by
        // drawing twice, a field's label under its appearance) is read once
        let redrawn = !self.flowing
            && self.lines.iter().rev().take(64).any(|l| {
                l.text == text && (l.y - y).abs() < tolerance && (l.x_start - x).abs() < size * 0.3
            });
        match self.lines.last_mut() {
            Some(l) if turned && self.flowing => {
                l.text.push_str(&text);
                return;
            }
            _ if redrawn => return,
            Some(l) if !self.apart && (l.y - y).abs() < tolerance && x + size >= l.x_start => {
                let gap = x - l.x_end;
                if !self.flowing
                    && gap > size * 0.15
                    && !l.text.ends_with(' ')
                    && !text.starts_with(' ')
                {
                    l.text.push(' ');
                }
                l.text.push_str(&text);
                l.x_end = l.x_end.max(x_end);
                l.size = l.size.max(size);
                l.bold &= font.bold || text.trim().is_empty();
            }
            _ => {
                self.apart = false;
                self.lines.push(Line {
                    text,
                    y,
                    x_start: x,
                    x_end,
                    size,
                    bold: font.bold,
                });
            }
        }
        self.flowing = true;
    }

    /// A `TJ` adjustment: a wide gap is a space between words.
    fn adjust(&mut self, thousandths: f32) {
        let shift = -thousandths / 1000.0 * self.size * self.scaling;
        self.tm = mul(&[1.0, 0.0, 0.0, 1.0, shift, 0.0], &self.tm);
        if thousandths < -180.0
            && let Some(l) = self.lines.last_mut()
            && !l.text.ends_with(' ')
        {
            l.text.push(' ');
        }
    }

    /// Reads a content stream (a page's, or a form's), one operation at a
    /// time, against the file's budgets.
    fn run(&mut self, content: &[u8], work: &mut Work) -> Result<(), PdfError> {
        for op in lopdf::content::Content::decode_iter(content) {
            // a damaged stream: keep what was read before the damage
            let Ok(op) = op else { break };
            if work.ops == 0 {
                break;
            }
            work.ops -= 1;
            if work.ops.is_multiple_of(4096) {
                work.deadline.check()?;
            }
            let o = &op.operands;
            match op.operator.as_str() {
                "q" if self.stack.len() < MAX_STATE_DEPTH => self.stack.push(self.ctm),
                "Q" => self.ctm = self.stack.pop().unwrap_or(IDENTITY),
                "cm" => {
                    if let Some(m) = matrix(o) {
                        self.ctm = mul(&m, &self.ctm);
                    }
                }
                "BT" => {
                    self.tm = IDENTITY;
                    self.tlm = IDENTITY;
                    self.flowing = false;
                }
                "Tf" => {
                    self.font = o
                        .first()
                        .and_then(|n| n.as_name().ok())
                        .and_then(|n| self.fonts.get(n))
                        .cloned();
                    self.size = number(o.get(1));
                }
                "TL" => self.leading = number(o.first()),
                "Ts" => self.rise = number(o.first()),
                "Tc" => self.char_spacing = number(o.first()),
                "Tw" => self.word_spacing = number(o.first()),
                "Tz" => self.scaling = number(o.first()) / 100.0,
                "Td" => self.next_line(number(o.first()), number(o.get(1))),
                "TD" => {
                    self.leading = -number(o.get(1));
                    self.next_line(number(o.first()), number(o.get(1)));
                }
                "Tm" => {
                    if let Some(m) = matrix(o) {
                        self.tm = m;
                        self.tlm = m;
                        self.flowing = false;
                    }
                }
                "T*" => self.next_line(0.0, -self.leading),
                "Tj" => {
                    if let Some(Object::String(s, _)) = o.first() {
                        self.show(s, work);
                    }
                }
                "'" => {
                    self.next_line(0.0, -self.leading);
                    if let Some(Object::String(s, _)) = o.last() {
                        self.show(s, work);
                    }
                }
                "\"" => {
                    self.word_spacing = number(o.first());
                    self.char_spacing = number(o.get(1));
                    self.next_line(0.0, -self.leading);
                    if let Some(Object::String(s, _)) = o.last() {
                        self.show(s, work);
                    }
                }
                "TJ" => {
                    if let Some(Object::Array(parts)) = o.first() {
                        for part in parts {
                            match part {
                                Object::String(s, _) => self.show(s, work),
                                other => self.adjust(number(Some(other))),
                            }
                        }
                    }
                }
                "Do" => {
                    if let Some(name) = o.first().and_then(|n| n.as_name().ok()) {
                        self.draw_form(name, work)?;
                    }
                }
                "BMC" | "BDC" if self.marked.len() < MAX_STATE_DEPTH => {
                    let actual = match o.get(1) {
                        Some(Object::Dictionary(d)) => d
                            .get(b"ActualText")
                            .ok()
                            .and_then(|t| lopdf::decode_text_string(t).ok()),
                        _ => None,
                    };
                    self.marked.push(actual.map(|t| (t, false)));
                }
                "EMC" => {
                    self.marked.pop();
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The Form XObject `name` of the current resources, drawn in place:
    /// its text is the page's (a header, a stamp, a chart's labels). An
    /// image, a form past the depth or count limits, or one already being
    /// drawn is passed over.
    fn draw_form(&mut self, name: &[u8], work: &mut Work) -> Result<(), PdfError> {
        let pdf = self.pdf;
        let Some(id) = self.resources.iter().find_map(|r| {
            let x = dict_of(pdf, r.get(b"XObject").ok()?)?;
            x.get(name).ok()?.as_reference().ok()
        }) else {
            return Ok(());
        };
        let is_form = pdf
            .get_object(id)
            .and_then(Object::as_stream)
            .is_ok_and(|s| {
                s.dict
                    .get(b"Subtype")
                    .and_then(Object::as_name)
                    .is_ok_and(|n| n == b"Form")
            });
        if is_form {
            self.draw_form_object(id, None, work)?;
        }
        Ok(())
    }

    /// The page's annotations that show something (a form field's value,
    /// a stamp, a note set on the page), each drawn from its appearance
    /// in its rectangle, as viewers show them.
    fn draw_annotations(
        &mut self,
        page_id: lopdf::ObjectId,
        work: &mut Work,
    ) -> Result<(), PdfError> {
        let pdf = self.pdf;
        let Some(page) = pdf.get_dictionary(page_id).ok() else {
            return Ok(());
        };
        let Some(annots) = page
            .get(b"Annots")
            .ok()
            .map(|o| resolved(pdf, o))
            .and_then(|o| o.as_array().ok())
        else {
            return Ok(());
        };
        for a in annots.iter().take(MAX_ANNOTATIONS) {
            let Some(annot) = dict_of(pdf, a) else {
                continue;
            };
            // hidden (2) or never shown (32, NoView)
            let flags = annot
                .get(b"F")
                .ok()
                .and_then(|f| resolved(pdf, f).as_i64().ok())
                .unwrap_or(0);
            let subtype = annot
                .get(b"Subtype")
                .and_then(Object::as_name)
                .unwrap_or_default();
            if flags & (2 | 32) != 0 || matches!(subtype, b"Popup" | b"Link") {
                continue;
            }
            let rect: Vec<f32> = annot
                .get(b"Rect")
                .ok()
                .map(|o| resolved(pdf, o))
                .and_then(|o| o.as_array().ok())
                .map(|a| a.iter().map(|n| number(Some(resolved(pdf, n)))).collect())
                .unwrap_or_default();
            let &[x0, y0, x1, y1] = rect.as_slice() else {
                continue;
            };
            let rect = [x0.min(x1), y0.min(y1), x0.max(x1), y0.max(y1)];
            let Some(normal) = annot
                .get(b"AP")
                .ok()
                .and_then(|o| dict_of(pdf, o))
                .and_then(|ap| ap.get(b"N").ok())
            else {
                // a field left for the viewer to draw (NeedAppearances)
                // shows its value
                if subtype == b"Widget"
                    && let Some(value) = field_value(pdf, annot)
                {
                    self.field_line(value, rect);
                }
                continue;
            };
            // one appearance, or one per state (a check box's on and off)
            let id = match normal {
                Object::Reference(id) => match pdf.get_object(*id) {
                    Ok(Object::Stream(_)) => Some(*id),
                    Ok(Object::Dictionary(states)) => state_appearance(annot, states),
                    _ => None,
                },
                Object::Dictionary(states) => state_appearance(annot, states),
                _ => None,
            };
            let Some(id) = id else { continue };
            let Ok(stream) = pdf.get_object(id).and_then(Object::as_stream) else {
                continue;
            };
            let place = appearance_matrix(pdf, &stream.dict, rect);
            self.flowing = false;
            self.apart = true;
            self.draw_form_object(id, Some(place), work)?;
        }
        Ok(())
    }

    /// A field's value as a line in its rectangle, as a viewer draws it.
    fn field_line(&mut self, value: String, rect: [f32; 4]) {
        let text: String = value
            .chars()
            .take(MAX_FIELD_CHARS)
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        if text.trim().is_empty() || self.kept > MAX_TEXT_BYTES {
            return;
        }
        self.kept += text.len();
        let height = rect[3] - rect[1];
        let size = (height * 0.6).clamp(4.0, 12.0);
        self.lines.push(Line {
            text,
            y: rect[1] + (height - size) / 2.0,
            x_start: rect[0] + 2.0,
            x_end: rect[2],
            size,
            bold: false,
        });
    }

    /// The form `id` drawn, with `place` (an annotation's) after its own
    /// matrix, unless past the depth or count limits or already being
    /// drawn.
    fn draw_form_object(
        &mut self,
        id: lopdf::ObjectId,
        place: Option<Matrix>,
        work: &mut Work,
    ) -> Result<(), PdfError> {
        if self.forms.contains(&id) {
            return Ok(());
        }
        if self.forms.len() >= MAX_FORM_DEPTH || work.forms == 0 {
            work.forms_passed = true;
            return Ok(());
        }
        let pdf = self.pdf;
        let Ok(stream) = pdf.get_object(id).and_then(Object::as_stream) else {
            return Ok(());
        };
        work.forms -= 1;
        let limit = usize::try_from(work.inflated)
            .unwrap_or(usize::MAX)
            .min(MAX_STREAM_BYTES);
        let Ok(content) = stream_data(pdf, stream, limit) else {
            // over the limit or not to be inflated: the budget is spent
            work.inflated = 0;
            return Ok(());
        };
        work.inflated = work
            .inflated
            .saturating_sub(u64::try_from(content.len()).unwrap_or(u64::MAX));
        let own = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|o| dict_of(pdf, o));
        let saved = (
            self.ctm,
            self.stack.len(),
            self.font.clone(),
            (self.size, self.leading, self.rise),
            (self.char_spacing, self.word_spacing, self.scaling),
        );
        let outer = own.map(|r| {
            let mut inner = vec![r];
            inner.extend(self.resources.iter().copied());
            let fonts = fonts_of(pdf, &inner, self.cache, work);
            (
                std::mem::replace(&mut self.resources, inner),
                std::mem::replace(&mut self.fonts, fonts),
            )
        });
        if let Some(place) = place {
            // an annotation's appearance is placed on the page itself
            self.ctm = mul(&place, &IDENTITY);
        }
        if let Some(m) = stream
            .dict
            .get(b"Matrix")
            .ok()
            .and_then(|o| o.as_array().ok())
            .and_then(|a| matrix(a))
        {
            self.ctm = mul(&m, &self.ctm);
        }
        self.forms.push(id);
        let result = self.run(&content, work);
        self.forms.pop();
        let (ctm, depth, font, (size, leading, rise), (cs, ws, sc)) = saved;
        self.ctm = ctm;
        self.stack.truncate(depth);
        self.font = font;
        (self.size, self.leading, self.rise) = (size, leading, rise);
        (self.char_spacing, self.word_spacing, self.scaling) = (cs, ws, sc);
        if let Some((resources, fonts)) = outer {
            self.resources = resources;
            self.fonts = fonts;
        }
        self.flowing = false;
        result
    }
}

/// The most annotations of a page drawn.
const MAX_ANNOTATIONS: usize = 1000;

/// The most characters of a field's value read.
const MAX_FIELD_CHARS: usize = 10_000;

/// The value of a text or choice field, its own or inherited from the
/// field it belongs to.
fn field_value(pdf: &Pdf, widget: &Dictionary) -> Option<String> {
    let mut kind = None;
    let mut value = None;
    let mut node = Some(widget);
    // fields nest a few deep; a cycle of parents ends here
    for _ in 0..16 {
        let Some(d) = node else { break };
        if kind.is_none() {
            kind = d.get(b"FT").and_then(Object::as_name).ok();
        }
        if value.is_none() {
            value = d.get(b"V").ok().map(|v| resolved(pdf, v));
        }
        node = d.get(b"Parent").ok().and_then(|o| dict_of(pdf, o));
    }
    if !matches!(kind?, b"Tx" | b"Ch") {
        return None;
    }
    match value? {
        v @ Object::String(..) => lopdf::decode_text_string(v).ok(),
        _ => None,
    }
}

/// The appearance for an annotation's state (`/AS`) among `states`.
fn state_appearance(annot: &Dictionary, states: &Dictionary) -> Option<lopdf::ObjectId> {
    let state = annot.get(b"AS").and_then(Object::as_name).ok()?;
    states.get(state).ok()?.as_reference().ok()
}

/// Where an appearance goes: the matrix that takes its bounding box, as
/// its own matrix sets it, onto the annotation's rectangle.
fn appearance_matrix(pdf: &Pdf, dict: &Dictionary, rect: [f32; 4]) -> Matrix {
    let own = dict
        .get(b"Matrix")
        .ok()
        .and_then(|o| o.as_array().ok())
        .and_then(|a| matrix(a))
        .unwrap_or(IDENTITY);
    let bbox: Vec<f32> = dict
        .get(b"BBox")
        .ok()
        .map(|o| resolved(pdf, o))
        .and_then(|o| o.as_array().ok())
        .map(|a| a.iter().map(|n| number(Some(resolved(pdf, n)))).collect())
        .unwrap_or_default();
    let &[bx0, by0, bx1, by1] = bbox.as_slice() else {
        return [1.0, 0.0, 0.0, 1.0, rect[0], rect[1]];
    };
    // the box's corners through its matrix, and the box they span
    let corners = [(bx0, by0), (bx1, by0), (bx0, by1), (bx1, by1)].map(|(x, y)| {
        (
            x * own[0] + y * own[2] + own[4],
            x * own[1] + y * own[3] + own[5],
        )
    });
    let (mut lx, mut ly, mut hx, mut hy) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for (x, y) in corners {
        (lx, ly, hx, hy) = (lx.min(x), ly.min(y), hx.max(x), hy.max(y));
    }
    let sx = if hx - lx > f32::EPSILON {
        (rect[2] - rect[0]) / (hx - lx)
    } else {
        1.0
    };
    let sy = if hy - ly > f32::EPSILON {
        (rect[3] - rect[1]) / (hy - ly)
    } else {
        1.0
    };
    [sx, 0.0, 0.0, sy, rect[0] - lx * sx, rect[1] - ly * sy]
}

/// The lines a page draws, in the order it draws them.
fn page_lines<'a>(
    pdf: &'a Pdf,
    page_id: lopdf::ObjectId,
    cache: &mut FontCache<'a>,
    work: &mut Work,
) -> Result<Vec<Line>, PdfError> {
    let resources = page_resources(pdf, page_id);
    let fonts = fonts_of(pdf, &resources, cache, work);
    let mut content = Vec::new();
    for id in pdf.get_page_contents(page_id) {
        let Ok(stream) = pdf.get_object(id).and_then(Object::as_stream) else {
            continue;
        };
        let limit = MAX_STREAM_BYTES.saturating_sub(content.len());
        let data = stream_data(pdf, stream, limit).map_err(|()| {
            PdfError::Damaged(format!(
                "a page's content cannot be read: {}",
                lopdf::Error::Decompress(lopdf::DecompressError::MemoryLimitExceeded {
                    limit: MAX_STREAM_BYTES
                })
            ))
        })?;
        content.extend_from_slice(&data);
        content.push(b'\n');
    }
    work.inflated = work
        .inflated
        .saturating_sub(u64::try_from(content.len()).unwrap_or(u64::MAX));
    let mut r = Reader {
        pdf,
        cache,
        ctm: IDENTITY,
        stack: Vec::new(),
        tm: IDENTITY,
        tlm: IDENTITY,
        leading: 0.0,
        size: 0.0,
        rise: 0.0,
        char_spacing: 0.0,
        word_spacing: 0.0,
        scaling: 1.0,
        font: None,
        fonts,
        resources,
        visible: visible_box(pdf, page_id),
        forms: Vec::new(),
        lines: Vec::new(),
        flowing: false,
        kept: 0,
        marked: Vec::new(),
        apart: false,
    };
    r.run(&content, work)?;
    r.draw_annotations(page_id, work)?;
    let mut lines = r.lines;
    for l in &mut lines {
        l.text = logical_order(std::mem::take(&mut l.text));
    }
    Ok(attach_bullets(lines))
}

/// Joins a bullet drawn on its own (some writers draw a list's markers after
/// its text) to the item on its baseline, to its right: the nearest one
/// within four type sizes that has no bullet yet.
///
/// The items of each baseline are sorted by where they start once, and an
/// item is taken out when it gets its bullet, so each mark finds its item
/// by a binary search: a page of many marks on one baseline is read in
/// n log n, not in a scan of the baseline for every mark.
fn attach_bullets(mut lines: Vec<Line>) -> Vec<Line> {
    let is_mark = |l: &Line| {
        let t = l.text.trim();
        t.chars().count() == 1 && is_bullet(t)
    };
    let mut by_baseline: HashMap<i32, Baseline> = HashMap::new();
    for (i, l) in lines.iter().enumerate() {
        // a line that cannot be to a mark's right is no item
        if !is_mark(l) && !l.text.starts_with('•') && !l.x_start.is_nan() {
            by_baseline
                .entry(rounded(l.y))
                .or_default()
                .items
                .push((l.x_start, i));
        }
    }
    for b in by_baseline.values_mut() {
        b.items
            .sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        b.next = (0..=b.items.len()).collect();
    }
    let mut gone = vec![false; lines.len()];
    for m in 0..lines.len() {
        let Some((x, y, size)) = lines
            .get(m)
            .filter(|l| is_mark(l))
            .map(|l| (l.x_start, l.y, l.size))
        else {
            continue;
        };
        let key = rounded(y);
        let item = [key, key - 1, key + 1].iter().find_map(|k| {
            let b = by_baseline.get_mut(k)?;
            let at = b.first_from(b.items.partition_point(|&(start, _)| start <= x));
            let &(start, i) = b.items.get(at)?;
            (start > x && start < x + size * 4.0).then(|| {
                b.take(at);
                i
            })
        });
        if let Some(l) = item.and_then(|i| lines.get_mut(i)) {
            l.text = format!("• {}", l.text.trim_start());
            l.x_start = x;
            if let Some(g) = gone.get_mut(m) {
                *g = true;
            }
        }
    }
    let mut keep = gone.into_iter().map(|g| !g);
    lines.retain(|_| keep.next().unwrap_or(true));
    lines
}

/// The items on one baseline that may still take a bullet, by where they
/// start.
#[derive(Default)]
struct Baseline {
    /// Start and index in the page's lines, sorted by start.
    items: Vec<(f32, usize)>,
    /// For each place in `items`, a place at or before the first item from
    /// there on not yet taken (`items.len()` past the last).
    next: Vec<usize>,
}

impl Baseline {
    /// The first place from `at` on whose item is not taken.
    fn first_from(&mut self, mut at: usize) -> usize {
        let end = self.items.len();
        while at < end {
            let Some(&n) = self.next.get(at) else { break };
            if n == at {
                break;
            }
            // path halving: later searches skip what this one walked
            let nn = self.next.get(n).copied().unwrap_or(end);
            if let Some(slot) = self.next.get_mut(at) {
                *slot = nn;
            }
            at = n;
        }
        at.min(end)
    }

    fn take(&mut self, at: usize) {
        if let Some(slot) = self.next.get_mut(at) {
            *slot = at + 1;
        }
    }
}

/// Whether the text is mostly characters no font mapped (the replacement
/// character, private-use code points): a text layer that cannot be read.
fn undecodable(pages: &[Vec<Line>]) -> bool {
    let (mut bad, mut all) = (0usize, 0usize);
    for c in pages.iter().flatten().flat_map(|l| l.text.chars()) {
        if c.is_whitespace() {
            continue;
        }
        all += 1;
        if c == '\u{FFFD}' || ('\u{E000}'..='\u{F8FF}').contains(&c) {
            bad += 1;
        }
    }
    bad * 2 > all
}

/// A line of letters shifted down by 29 code points, as a subset TrueType
/// font's glyph ids read when the font has no Unicode map: its words mix
/// digits and punctuation into capitals, and shifted back they are
/// lower-case words.
fn is_shifted_garbage(text: &str) -> bool {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.len() < 8 {
        return false;
    }
    let lower = |c: char| c.is_ascii_lowercase();
    let shifted_lower = chars
        .iter()
        .filter(|&&c| char::from_u32(u32::from(c) + 29).is_some_and(lower))
        .count();
    let own_lower = chars.iter().filter(|&&c| lower(c)).count();
    let vowels = |cs: &mut dyn Iterator<Item = char>| {
        let (mut v, mut n) = (0usize, 0usize);
        for c in cs {
            n += 1;
            v += usize::from("aeiouAEIOU".contains(c));
        }
        (v, n)
    };
    let (v_own, n_own) = vowels(&mut chars.iter().copied().filter(char::is_ascii_alphabetic));
    let (v_shift, n_shift) = vowels(
        &mut chars
            .iter()
            .filter_map(|&c| char::from_u32(u32::from(c) + 29))
            .filter(char::is_ascii_lowercase),
    );
    shifted_lower * 10 > chars.len() * 7
        && own_lower * 4 < chars.len()
        && v_own * 5 < n_own
        && v_shift * 4 >= n_shift
}

/// What a page number alone on its line reads: "3", "Page 3", "Page 3 of
/// 4", "3 / 4" (it is one when it heads or foots a page of other text).
fn is_page_number(text: &str) -> bool {
    let t = text.trim().to_ascii_lowercase();
    let t = t.strip_prefix("page").unwrap_or(&t).trim();
    !t.is_empty()
        && t.len() <= 12
        && t.chars().any(|c| c.is_ascii_digit())
        && t.split(|c: char| c.is_whitespace() || c == '/')
            .filter(|w| !w.is_empty())
            .all(|w| w == "of" || w.chars().all(|c| c.is_ascii_digit()))
}

/// A line that starts a list item.
fn is_bullet(text: &str) -> bool {
    let t = text.trim_start();
    if t.starts_with(['•', '▪', '◦', '○', '●', '■', '–', '-', '*', '·', '➢', '✓'])
    {
        return true;
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    (1..=2).contains(&digits)
        && t[digits..].starts_with(['.', ')'])
        && t[digits + 1..].starts_with(' ')
}

fn rounded(x: f32) -> i32 {
    // sizes and gaps on a page are well within i32
    let x = (x * 2.0).round().clamp(-1.0e6, 1.0e6);
    #[allow(clippy::cast_possible_truncation)]
    let n = x as i32;
    n
}

/// The size most of the text is set in.
fn body_size(pages: &[Vec<Line>]) -> f32 {
    let mut by_size: HashMap<i32, usize> = HashMap::new();
    for l in pages.iter().flatten() {
        *by_size.entry(rounded(l.size)).or_default() += l.text.len();
    }
    by_size
        .into_iter()
        .max_by_key(|&(s, n)| (n, -s))
        .map_or(0.0, |(s, _)| {
            #[allow(clippy::cast_precision_loss)]
            let s = s as f32 / 2.0;
            s
        })
}

/// The usual distance between the baselines of a paragraph's lines.
fn line_spacing(pages: &[Vec<Line>], body: f32) -> Option<f32> {
    let mut by_gap: HashMap<i32, usize> = HashMap::new();
    for page in pages {
        for pair in page.windows(2) {
            if let [a, b] = pair {
                let gap = a.y - b.y;
                if similar(a.size, body) && similar(b.size, body) && gap > 0.0 && gap < body * 3.0 {
                    *by_gap.entry(rounded(gap)).or_default() += 1;
                }
            }
        }
    }
    by_gap
        .into_iter()
        .max_by_key(|&(g, n)| (n, -g))
        .map(|(g, _)| {
            #[allow(clippy::cast_precision_loss)]
            let g = g as f32 / 2.0;
            g
        })
}

fn similar(a: f32, b: f32) -> bool {
    (a - b).abs() <= b.abs() * 0.1 + 0.25
}

/// The lines of every page as paragraphs, one per line, a blank line at a
/// wide gap or a new page; and the first page's title.
/// The pages' lines as paragraphs, the title, and whether text was left out
/// at the limit.
fn reflow(pages: &[Vec<Line>]) -> (String, Option<String>, bool) {
    let mut cut = false;
    let body = body_size(pages);
    let spacing = line_spacing(pages, body).unwrap_or(body * 1.2);
    let title = pages.first().and_then(|page| {
        let biggest = page.iter().map(|l| l.size).fold(0.0f32, f32::max);
        if biggest <= body * 1.15 {
            return None;
        }
        // the first line in the largest type, and the lines that continue it
        let start = page
            .iter()
            .position(|l| similar(l.size, biggest) && !l.text.trim().is_empty())?;
        let mut parts = vec![page.get(start)?.text.trim()];
        for pair in page.get(start..)?.windows(2).take(2) {
            match pair {
                [a, b]
                    if similar(b.size, biggest)
                        && (a.y - b.y) > 0.0
                        && (a.y - b.y) < biggest * 1.6 =>
                {
                    parts.push(b.text.trim())
                }
                _ => break,
            }
        }
        Some(parts.join(" "))
    });
    // the text's margins over the whole document (a page of short lines
    // does not move them); a line over the margin does not either
    let mut ends: Vec<f32> = pages
        .iter()
        .flatten()
        .filter(|l| similar(l.size, body))
        .map(|l| l.x_end)
        .collect();
    let mut starts: Vec<f32> = pages
        .iter()
        .flatten()
        .filter(|l| similar(l.size, body))
        .map(|l| l.x_start)
        .collect();
    ends.sort_by(f32::total_cmp);
    starts.sort_by(f32::total_cmp);
    let right = ends.get(ends.len() * 19 / 20).copied().unwrap_or(0.0);
    let left = starts.get(starts.len() / 20).copied().unwrap_or(0.0);
    let measure = (right - left).max(body * 10.0);
    let mut out = String::new();
    let mut para = String::new();
    // the last line of the page before, when it ran to the margin: its
    // paragraph may go on at the top of the next page
    let mut carried: Option<&Line> = None;
    for page in pages {
        let lines: Vec<&Line> = page.iter().filter(|l| !l.text.trim().is_empty()).collect();
        // a page number heads or foots a page of other text; numbers
        // elsewhere (a table's, a chart's) are text
        let words = lines.iter().any(|l| !is_page_number(&l.text));
        let top = lines.iter().map(|l| l.y).fold(f32::MIN, f32::max);
        let foot = lines.iter().map(|l| l.y).fold(f32::MAX, f32::min);
        let lines: Vec<&Line> = lines
            .into_iter()
            .filter(|l| {
                !(words && is_page_number(&l.text) && (l.y >= top - 0.5 || l.y <= foot + 0.5))
            })
            .collect();
        let short = |p: &Line| {
            similar(p.size, body)
                && (p.x_end < right - measure * 0.2
                    || (p.x_end < right - measure * 0.08
                        && p.text.trim_end().ends_with(['.', '!', '?', ':'])))
        };
        let mut prev: Option<&Line> = None;
        for l in lines {
            let text = l.text.split_whitespace().collect::<Vec<_>>().join(" ");
            let (breaks, blank) = match (prev, carried.take()) {
                (None, Some(p)) => {
                    let goes_on = similar(p.size, l.size)
                        && p.bold == l.bold
                        && text.starts_with(char::is_lowercase);
                    (!goes_on, !goes_on)
                }
                (None, None) => (true, !out.is_empty() || !para.is_empty()),
                (Some(p), _) => {
                    let gap = p.y - l.y;
                    let wide = gap > spacing * 1.3 + 0.5 || gap < -0.5;
                    (
                        wide || short(p)
                            || !similar(p.size, l.size)
                            || p.bold != l.bold
                            || is_bullet(&text)
                            || field(&text, false).is_some(),
                        gap > spacing * 2.2 && gap > 0.0,
                    )
                }
            };
            if breaks {
                cut |= end_paragraph(&mut out, &mut para);
                if blank {
                    out.push('\n');
                }
                para = text;
            } else if para.ends_with('\u{AD}') {
                // in place: a copy of the paragraph for each of its lines
                // would be quadratic in a long one
                para.pop();
                para.push_str(&text);
            } else if para.ends_with('-')
                && para.chars().rev().nth(1).is_some_and(char::is_alphabetic)
                && text.starts_with(char::is_lowercase)
            {
                para.push_str(&text);
            } else {
                para.push(' ');
                para.push_str(&text);
            }
            prev = Some(l);
        }
        carried = prev.filter(|p| !short(p));
        if carried.is_none() {
            cut |= end_paragraph(&mut out, &mut para);
        }
    }
    cut |= end_paragraph(&mut out, &mut para);
    let title = title.filter(|t| !t.is_empty());
    (out.trim_end().to_string() + "\n", title, cut)
}

/// Ends a paragraph: kept while the text is under its limit; `true` when
/// it was left out for that.
fn end_paragraph(out: &mut String, para: &mut String) -> bool {
    let p = std::mem::take(para);
    let p = p.replace('\u{AD}', "");
    if p.is_empty() {
        return false;
    }
    if out.len() + p.len() < MAX_TEXT_BYTES {
        out.push_str(&p);
        out.push('\n');
        return false;
    }
    true
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
            encoding: None,
            legacy: None,
            glyph_codes: None,
            widths: None,
            standard: None,
            wide: true,
            bold: false,
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
            cid_widths: None,
            encoding: None,
            legacy: None,
            glyph_codes: None,
            widths: None,
            standard: Some(Standard::Helvetica),
            wide: false,
            bold: false,
        };
        // B U T T O: 667 + 722 + 611 + 611 + 778
        assert!((font.width(b"BUTTO", "BUTTO") - 3.389).abs() < 1e-4);
        assert!((font.width(b"", "\u{e9}") - 0.556).abs() < 1e-4);
    }

    #[test]
    fn ligatures_are_letters() {
        let font = Font {
            cid_widths: None,
            encoding: None,
            legacy: None,
            glyph_codes: None,
            widths: None,
            standard: None,
            wide: false,
            bold: false,
        };
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
