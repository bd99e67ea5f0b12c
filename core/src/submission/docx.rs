//! Word documents (`.docx`): the text of `word/document.xml`, one line per
//! paragraph, for the text recogniser.
//!
//! Runs are joined as written (Word splits words across runs at will); a
//! list paragraph is a line with its number (`1.`, `b.`), through its own
//! numbering or its style's, or else `•`; a table row of two cells whose
//! first is a field's label (`Lead Member | Kirklees Council`) is the line
//! `Lead Member: Kirklees Council`, any other row its cells joined by ` | `.
//! The paragraph styled "Title" (else the first "Heading 1") is the title;
//! the details a document opens with (Title, Subtitle, Author, Date) are
//! the title and a note, not lines of the text.
//!
//! A `.docx` is untrusted: the archive may be truncated, encrypted or a zip
//! bomb, the XML broken or deep. Only the parts read (the main one, its
//! numbering and notes) are inflated, each through a limit whatever its
//! header claims (see [`super::word_xml`]). The XML is read as a stream of
//! events, never as a tree, so nesting costs no stack.

use std::collections::HashMap;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::word_xml::{
    Archive, Kind, Lines, WordError, WordText, attr, entity, events, local, tabbed_field,
};

/// Reads a `.docx` from its bytes; the error says why it cannot be read.
pub(crate) fn read(bytes: &[u8]) -> Result<WordText, WordError> {
    let mut archive = Archive::open(bytes, Kind::Word)?;
    let main = main_part(&mut archive);
    let xml = archive.main(&main)?;
    let dir = main.rfind('/').map_or("", |i| main.get(..=i).unwrap_or(""));
    let mut numbering = match archive.part(&format!("{dir}numbering.xml")) {
        Ok(Some(xml)) => Numbering::read(&xml),
        _ => Numbering::default(),
    };
    // a list style (Word's "List Number") numbers its paragraphs itself
    if let Ok(Some(xml)) = archive.part(&format!("{dir}styles.xml")) {
        numbering.read_styles(&xml);
    }
    let mut main = document_text_with(&xml, numbering, Vec::new())?;
    // Footnotes and endnotes, beside the main part, as a "Notes" section,
    // each numbered as its reference in the text is.
    let mut notes = Vec::new();
    for name in ["footnotes.xml", "endnotes.xml"] {
        let path = format!("{dir}{name}");
        if let Ok(Some(xml)) = archive.part(&path)
            && let Ok(part) =
                document_text_with(&xml, Numbering::default(), main.note_numbers.clone())
        {
            notes.extend(part.lines.text().lines().map(str::to_owned));
        }
    }
    main.lines.push_notes(notes.iter().map(String::as_str));
    Ok(main.finish())
}

/// The main part's name, from the package's relationships
/// (`_rels/.rels`): `word/document.xml` unless they name another.
fn main_part(archive: &mut Archive<'_>) -> String {
    const DEFAULT: &str = "word/document.xml";
    let Ok(Some(rels)) = archive.part("_rels/.rels") else {
        return DEFAULT.to_owned();
    };
    let mut reader = Reader::from_reader(rels.as_slice());
    let mut buf = Vec::new();
    while let Ok(event) = reader.read_event_into(&mut buf) {
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if local(&e) == "Relationship" => {
                if attr(&e, "Type").is_some_and(|t| t.ends_with("/officeDocument"))
                    && let Some(target) = attr(&e, "Target")
                {
                    let target = target.trim_start_matches('/');
                    if !target.is_empty() && archive.has(target) {
                        return target.to_owned();
                    }
                }
            }
            _ => {}
        }
        buf.clear();
    }
    DEFAULT.to_owned()
}

/// Where the reader is in the document.
#[derive(Default)]
struct State {
    lines: Lines,
    title: Option<String>,
    heading1: Option<String>,
    /// The paragraph being read.
    para: String,
    /// Its style id (`Title`, `Heading1`, `ListParagraph`, ...).
    style: String,
    /// Whether it is numbered or bulleted.
    listed: bool,
    /// Inside `w:t` (text to keep).
    in_text: bool,
    /// Inside deleted or moved-away text or a field's instructions (not
    /// content).
    skip: usize,
    /// Inside a paragraph's tab stops (`w:tabs`): their `w:tab`s are no
    /// text.
    tab_stops: usize,
    /// Paragraphs open around the one being read (a text box's paragraphs
    /// sit in a run of the paragraph anchoring it): their text, style and
    /// whether listed.
    outer: Vec<(String, String, bool)>,
    /// Inside `w:p` elements.
    depth: usize,
    /// Notes numbered in the order they are referred to, by kind
    /// (`footnote`, `endnote`) and id.
    note_numbers: NoteNumbers,
    /// The note being read (in footnotes.xml or endnotes.xml) whose number
    /// is still to be written before its first paragraph.
    note_pending: Option<usize>,
    /// Word's numbering: for each list and level, its format and where its
    /// count is.
    numbering: Numbering,
    /// The list paragraph's list (`w:numId`) and level (`w:ilvl`), as far
    /// as it gives them.
    num: (Option<String>, Option<usize>),
    /// Whether the paragraph is a drop cap (`w:framePr w:dropCap`): the
    /// first letter of the next, set large beside it.
    drop_cap: bool,
    /// A drop cap's letter, still to be put before its paragraph's text.
    cap: String,
    /// Still in the document's opening, where paragraphs styled as its
    /// details (title, subtitle, author, date) stand before its text.
    opening: bool,
    /// Those details but the title (which is the title): their kind and
    /// text, said in a note rather than repeated in the text.
    details: Vec<(&'static str, String)>,
}

/// The styles of the paragraphs that give a document's details when they
/// open it, as Word's Title and Subtitle and the Author and Date styles of
/// documents made from Markdown (by pandoc) do; the kind each is named by.
const DETAIL_STYLES: [(&str, &str); 4] = [
    ("title", "title"),
    ("subtitle", "subtitle"),
    ("author", "author"),
    ("date", "date"),
];
/// The most details an opening has, and the longest one: past them a
/// paragraph is text whatever its style.
const MAX_DETAILS: usize = 16;
const MAX_DETAIL_BYTES: usize = 500;

/// What one part gives: its lines, its title, the details its opening
/// gives, and the numbers of the notes it refers to.
struct Part {
    lines: Lines,
    title: Option<String>,
    details: Vec<(&'static str, String)>,
    note_numbers: NoteNumbers,
}

impl Part {
    /// The document's text, its title, and its details in a note.
    fn finish(self) -> WordText {
        let mut doc = self.lines.finish(self.title);
        if !self.details.is_empty() {
            let said: Vec<String> = self
                .details
                .iter()
                .map(|(kind, text)| format!("{kind} “{text}”"))
                .collect();
            doc.notes.push(format!(
                "its opening paragraphs give the document's details, not repeated in its text: {}",
                said.join("; ")
            ));
        }
        doc
    }
}

/// Notes by kind (`footnote`, `endnote`) and id, with the number the
/// order of their references gives them.
type NoteNumbers = Vec<(String, String, usize)>;

/// Word's numbering part (`numbering.xml`), as far as the numbers of list
/// items need: each list's level formats, and the counts so far.
#[derive(Default)]
pub(crate) struct Numbering {
    /// `w:num` id to `w:abstractNum` id.
    nums: Vec<(String, String)>,
    /// `w:abstractNum` id and level to its format (`decimal`, `bullet`,
    /// `lowerLetter`, ...).
    formats: Vec<(String, usize, String)>,
    /// The counts of each abstract list's levels.
    counts: Vec<(String, [usize; 9])>,
    /// Where an abstract list's level starts counting (`w:start`).
    starts: Vec<(String, usize, usize)>,
    /// Where a list restarts a level (`w:lvlOverride`'s `w:startOverride`),
    /// and the lists and levels already begun.
    overrides: Vec<(String, usize, usize)>,
    begun: Vec<(String, usize)>,
    /// An abstract list's level's text (`w:lvlText`: `%1.`, `%1)`,
    /// `(%1)`, `%1.%2.`).
    texts: Vec<(String, usize, String)>,
    /// The paragraph style (its id in lower case) an abstract list's level
    /// is for (`w:lvl`'s `w:pStyle`).
    level_styles: Vec<(String, usize, String)>,
    /// Paragraph styles (`styles.xml`) by their id in lower case: the list
    /// and level each gives (if any) and the style it is based on. (Looked
    /// up for every paragraph, hence a map.)
    styles: HashMap<String, StyleNumbering>,
}

/// What a paragraph style says of numbering: its list (`w:numId`) and
/// level (`w:ilvl`) if it gives them, and the style it is based on.
#[derive(Default)]
struct StyleNumbering {
    num: Option<String>,
    level: Option<usize>,
    based_on: Option<String>,
}

impl Numbering {
    /// Reads `numbering.xml`; what cannot be read is no numbering.
    pub(crate) fn read(xml: &[u8]) -> Numbering {
        let mut n = Numbering::default();
        let mut reader = Reader::from_reader(xml);
        let mut buf = Vec::new();
        let (mut abs, mut num, mut lvl) = (None::<String>, None::<String>, 0usize);
        while let Ok(event) = reader.read_event_into(&mut buf) {
            match event {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => {
                    let attr = |k: &str| {
                        e.attributes()
                            .flatten()
                            .find(|a| a.key.local_name().into_inner() == k)
                            .map(|a| a.value.to_string())
                    };
                    match local(&e).as_str() {
                        "abstractNum" => abs = attr("abstractNumId"),
                        "num" => num = attr("numId"),
                        "lvl" => lvl = attr("ilvl").and_then(|l| l.parse().ok()).unwrap_or(0),
                        "numFmt" => {
                            if let (Some(a), Some(f)) = (&abs, attr("val"))
                                && n.formats.len() < 10_000
                            {
                                n.formats.push((a.clone(), lvl, f));
                            }
                        }
                        "start" => {
                            if let (Some(a), None, Some(v)) =
                                (&abs, &num, attr("val").and_then(|v| v.parse().ok()))
                                && n.starts.len() < 10_000
                            {
                                n.starts.push((a.clone(), lvl, v));
                            }
                        }
                        "lvlOverride" => {
                            lvl = attr("ilvl").and_then(|l| l.parse().ok()).unwrap_or(0);
                        }
                        "startOverride" => {
                            if let (Some(id), Some(v)) =
                                (&num, attr("val").and_then(|v| v.parse().ok()))
                                && n.overrides.len() < 10_000
                            {
                                n.overrides.push((id.clone(), lvl, v));
                            }
                        }
                        "abstractNumId" => {
                            if let (Some(id), Some(a)) = (&num, attr("val"))
                                && n.nums.len() < 10_000
                            {
                                n.nums.push((id.clone(), a));
                            }
                        }
                        "lvlText" => {
                            if let (Some(a), None, Some(t)) = (&abs, &num, attr("val"))
                                && n.texts.len() < 10_000
                                && t.len() <= 64
                            {
                                n.texts.push((a.clone(), lvl, t));
                            }
                        }
                        "pStyle" => {
                            if let (Some(a), None, Some(style)) = (&abs, &num, attr("val"))
                                && n.level_styles.len() < 10_000
                            {
                                n.level_styles
                                    .push((a.clone(), lvl, style.to_ascii_lowercase()));
                            }
                        }
                        _ => {}
                    }
                }
                Event::End(e) => match e.local_name().into_inner() {
                    "abstractNum" => abs = None,
                    "num" => num = None,
                    _ => {}
                },
                _ => {}
            }
            buf.clear();
        }
        n
    }

    /// Adds what the paragraph styles of `styles.xml` say of numbering; what
    /// cannot be read says nothing.
    pub(crate) fn read_styles(&mut self, xml: &[u8]) {
        let mut style: Option<(String, StyleNumbering)> = None;
        let _ = events(xml, "styles.xml", |event| match event {
            Event::Start(e) | Event::Empty(e) => match local(&e).as_str() {
                "style" => {
                    style = (attr(&e, "type").as_deref() == Some("paragraph"))
                        .then(|| attr(&e, "styleId"))
                        .flatten()
                        .map(|id| (id.to_ascii_lowercase(), StyleNumbering::default()));
                }
                "basedOn" => {
                    if let Some((_, s)) = &mut style {
                        s.based_on = attr(&e, "val").map(|v| v.to_ascii_lowercase());
                    }
                }
                "numId" => {
                    if let Some((_, s)) = &mut style {
                        s.num = attr(&e, "val");
                    }
                }
                "ilvl" => {
                    if let Some((_, s)) = &mut style {
                        s.level = attr(&e, "val").and_then(|v| v.parse().ok());
                    }
                }
                _ => {}
            },
            Event::End(e) if e.local_name().into_inner() == "style" => {
                if let Some((id, s)) = style.take()
                    && (s.num.is_some() || s.based_on.is_some())
                    && self.styles.len() < 10_000
                {
                    self.styles.entry(id).or_insert(s);
                }
            }
            _ => {}
        });
    }

    /// The list and level a paragraph of `style` (in lower case) is an item
    /// of through its style (or the styles it is based on), if any.
    fn of_style(&self, style: &str) -> Option<(String, Option<usize>)> {
        let mut id = style;
        for _ in 0..16 {
            let s = self.styles.get(id)?;
            if let Some(num) = &s.num {
                return Some((num.clone(), s.level));
            }
            id = s.based_on.as_deref()?;
        }
        None
    }

    /// The level of list `num` whose items are paragraphs of `style`.
    fn level_of_style(&self, num: &str, style: &str) -> Option<usize> {
        let abs = &self.nums.iter().find(|(n, _)| n == num)?.1;
        self.level_styles
            .iter()
            .find(|(a, _, s)| a == abs && s == style)
            .map(|(_, l, _)| *l)
    }

    /// The list and level of a paragraph of `style` whose own numbering
    /// (`w:numPr`) gives `num`: its own, else its style's; `None` for a
    /// paragraph in no list (list `0` takes it out of its style's).
    fn list_of(
        &self,
        style: &str,
        num: (Option<String>, Option<usize>),
    ) -> Option<(String, usize)> {
        let (id, level) = match num {
            (Some(id), level) => (id, level),
            (None, level) => {
                let (id, style_level) = self.of_style(style)?;
                (id, level.or(style_level))
            }
        };
        if id == "0" {
            return None;
        }
        let level = level
            .or_else(|| self.level_of_style(&id, style))
            .unwrap_or(0);
        Some((id, level))
    }

    /// The number of the next item of list `num` at `level` ("3.", "b."),
    /// or `None` for a bullet or a list it does not know.
    fn next(&mut self, num: &str, level: usize) -> Option<String> {
        let abs = self.nums.iter().find(|(n, _)| n == num)?.1.clone();
        let format = self
            .formats
            .iter()
            .find(|(a, l, _)| *a == abs && *l == level)?
            .2
            .clone();
        let level = level.min(8);
        let at = match self.counts.iter().position(|(a, _)| *a == abs) {
            Some(i) => i,
            None => {
                self.counts.push((abs.clone(), [0; 9]));
                self.counts.len() - 1
            }
        };
        let start = self
            .starts
            .iter()
            .find(|(a, l, _)| *a == abs && *l == level)
            .map_or(1, |s| s.2);
        let first_use = !self.begun.iter().any(|(n, l)| n == num && *l == level);
        let restart = self
            .overrides
            .iter()
            .find(|(n, l, _)| n == num && *l == level)
            .map(|o| o.2)
            .filter(|_| first_use);
        if first_use && self.begun.len() < 10_000 {
            self.begun.push((num.to_owned(), level));
        }
        let counts = &mut self.counts.get_mut(at)?.1;
        let count = counts.get_mut(level)?;
        if let Some(r) = restart {
            *count = r.saturating_sub(1);
        } else if *count == 0 {
            *count = start.saturating_sub(1);
        }
        *count = count.saturating_add(1);
        let n = *count;
        for deeper in counts.iter_mut().skip(level + 1) {
            *deeper = 0;
        }
        let own = counter(&format, n)?;
        // the level's own number with the marks around it in its text, as
        // pandoc writes it: "%1." is "3.", "%1)" is "3)", "(%1)" is "(3)"
        // (a level above, "%1.%2", is left to the item above)
        let text = self
            .texts
            .iter()
            .find(|(a, l, _)| *a == abs && *l == level)
            .map_or("", |t| t.2.as_str());
        let mark = format!("%{}", level + 1);
        Some(match text.find(&mark) {
            Some(at) => {
                let before = text.get(..at).unwrap_or("");
                let after = text.get(at + mark.len()..).unwrap_or("");
                if after.starts_with(')') && before.ends_with('(') {
                    format!("({own})")
                } else if after.starts_with(')') {
                    format!("{own})")
                } else {
                    format!("{own}.")
                }
            }
            None => format!("{own}."),
        })
    }
}

/// A list's count `n` (from 1) in Word's number format: `3`, `c`, `iii`;
/// `None` for a bullet or a format not read.
fn counter(format: &str, n: usize) -> Option<String> {
    let letter = |base: u8| {
        let k = u8::try_from(n.saturating_sub(1) % 26).unwrap_or(0);
        char::from(base + k).to_string()
    };
    Some(match format {
        "decimal" | "decimalZero" => n.to_string(),
        "lowerLetter" => letter(b'a'),
        "upperLetter" => letter(b'A'),
        "lowerRoman" => roman(n).to_lowercase(),
        "upperRoman" => roman(n),
        _ => return None,
    })
}

fn roman(mut n: usize) -> String {
    const R: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in R {
        while n >= v && s.len() < 32 {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

impl State {
    fn end_paragraph(&mut self) {
        let text = std::mem::take(&mut self.para);
        let text = text.trim();
        let style = std::mem::take(&mut self.style).to_ascii_lowercase();
        let listed = std::mem::replace(&mut self.listed, false);
        if std::mem::take(&mut self.drop_cap) && !self.lines.in_cell() {
            // Word sets a drop cap as a paragraph of its own
            if self.cap.len() < 64 {
                self.cap.push_str(text);
            }
            return;
        }
        let text = if self.cap.is_empty() || text.is_empty() {
            text.to_string()
        } else {
            format!("{}{text}", std::mem::take(&mut self.cap))
        };
        let text = text.as_str();
        if text.is_empty() {
            self.lines.paragraph(text);
            return;
        }
        // a numbered heading is a heading, as pandoc reads it: its number
        // is counted, not written
        let heading = style.starts_with("heading");
        let num = std::mem::take(&mut self.num);
        // list 0 takes a paragraph out of the list its style would put it in
        let unlisted = num.0.as_deref() == Some("0");
        let list = self.numbering.list_of(&style, num);
        let bullet = !heading && !unlisted && (list.is_some() || listed || style.contains("list"));
        let number = list
            .and_then(|(id, level)| self.numbering.next(&id, level))
            .filter(|_| !heading);
        if self.lines.in_cell() {
            // a cell's numbered items keep their numbers, run together
            match number {
                Some(n) => self.lines.paragraph(&format!("{n} {text}")),
                None => self.lines.paragraph(text),
            }
            return;
        }
        let text = &match self.note_pending.take() {
            Some(k) => format!("[{k}] {text}"),
            None => text.to_string(),
        };
        if self.opening_detail(&style, text) {
            return;
        }
        if style == "title" && self.title.is_none() {
            self.title = Some(text.to_string());
        } else if (style == "heading1" || style == "heading 1") && self.heading1.is_none() {
            self.heading1 = Some(text.to_string());
        }
        if let Some(number) = number {
            self.lines.push_line(&format!("{number} {text}"));
        } else if bullet {
            self.lines.push_line(&format!("• {text}"));
        } else if let Some(line) = tabbed_field(text) {
            self.lines.push_line(&line);
        } else {
            self.lines.push_line(text);
        }
    }

    /// Whether the paragraph of `style` is one of the details the
    /// document opens with (kept as the title, or for a note); the first
    /// paragraph that is not one ends the opening.
    fn opening_detail(&mut self, style: &str, text: &str) -> bool {
        if !self.opening {
            return false;
        }
        let kind = DETAIL_STYLES
            .iter()
            .find(|(s, _)| *s == style)
            .map(|(_, kind)| *kind)
            .filter(|_| {
                self.depth <= 1
                    && self.details.len() < MAX_DETAILS
                    && text.len() <= MAX_DETAIL_BYTES
            });
        match kind {
            Some("title") if self.title.is_none() => self.title = Some(text.to_owned()),
            Some(kind) => self.details.push((kind, text.to_owned())),
            None => self.opening = false,
        }
        self.opening
    }

    /// The part read: a drop cap with no paragraph after it is text too.
    fn finish(mut self) -> Part {
        let cap = std::mem::take(&mut self.cap);
        if !cap.is_empty() {
            self.lines.push_line(&cap);
        }
        Part {
            lines: self.lines,
            title: self.title.or(self.heading1),
            details: self.details,
            note_numbers: self.note_numbers,
        }
    }
}

/// The text of `word/document.xml`.
#[cfg(test)]
pub(crate) fn document_text(xml: &[u8]) -> Result<WordText, WordError> {
    document_text_with(xml, Numbering::default(), Vec::new()).map(Part::finish)
}

/// The text of a part: the main one with the document's numbering, or the
/// footnotes' or endnotes' with the numbers the main part gave its notes.
fn document_text_with(
    xml: &[u8],
    numbering: Numbering,
    note_numbers: NoteNumbers,
) -> Result<Part, WordError> {
    let mut st = State {
        numbering,
        note_numbers,
        opening: true,
        ..State::default()
    };
    events(xml, "word/document.xml", |event| {
        match event {
            Event::Start(e) => match local(&e).as_str() {
                "p" => {
                    if st.depth > 0 && st.outer.len() < 64 {
                        st.outer.push((
                            std::mem::take(&mut st.para),
                            std::mem::take(&mut st.style),
                            st.listed,
                        ));
                    }
                    st.depth += 1;
                    st.para.clear();
                    st.style.clear();
                    st.listed = false;
                    st.num = (None, None);
                    st.drop_cap = false;
                }
                "t" => st.in_text = true,
                // an alternative's fallback repeats its choice (a text box
                // as DrawingML, then as VML)
                "del" | "moveFrom" | "instrText" | "delText" | "Fallback" => st.skip += 1,
                "tabs" => st.tab_stops += 1,
                "tab" | "ptab" if st.skip == 0 && st.tab_stops == 0 => st.para.push('\t'),
                "tbl" => {
                    st.opening = false;
                    st.lines.start_table();
                }
                "framePr" => st.drop_cap = is_drop_cap(&e),
                "tr" => st.lines.start_row(),
                "tc" => st.lines.start_cell(),
                "numPr" => st.listed = true,
                "pStyle" => st.style = attr(&e, "val").unwrap_or_default(),
                "footnote" | "endnote" => note_event(&mut st, &e, true),
                "docPr" if st.skip == 0 => picture_description(&mut st, &e),
                _ => {}
            },
            Event::Empty(e) => match local(&e).as_str() {
                "docPr" if st.skip == 0 => picture_description(&mut st, &e),
                "footnoteReference" | "endnoteReference" => note_event(&mut st, &e, true),
                "numId" => st.num.0 = attr(&e, "val"),
                "ilvl" => st.num.1 = attr(&e, "val").and_then(|v| v.parse().ok()),
                "pStyle" => st.style = attr(&e, "val").unwrap_or_default(),
                "numPr" => st.listed = true,
                "framePr" => st.drop_cap = is_drop_cap(&e),
                // a tab in a run; a tab stop (in `w:tabs`) is no text
                "tab" | "ptab" if st.skip == 0 && st.tab_stops == 0 => st.para.push('\t'),
                "br" | "cr" if st.skip == 0 => st.para.push(' '),
                "p" => st.end_paragraph(),
                _ => {}
            },
            Event::End(e) => match e.local_name().into_inner() {
                "p" => {
                    if st.skip == 0 {
                        st.end_paragraph();
                    } else {
                        st.para.clear();
                        st.style.clear();
                        st.listed = false;
                    }
                    st.depth = st.depth.saturating_sub(1);
                    if st.depth > 0
                        && let Some((para, style, listed)) = st.outer.pop()
                    {
                        st.para = para;
                        st.style = style;
                        st.listed = listed;
                    }
                }
                "t" => st.in_text = false,
                "del" | "moveFrom" | "instrText" | "delText" | "Fallback" => {
                    st.skip = st.skip.saturating_sub(1);
                }
                "tabs" => st.tab_stops = st.tab_stops.saturating_sub(1),
                "tc" => st.lines.end_cell(),
                "tr" => st.lines.end_row(),
                "tbl" => st.lines.end_table(),
                _ => {}
            },
            Event::Text(t) if st.in_text && st.skip == 0 => st.para.push_str(&t),
            Event::GeneralRef(r) if st.in_text && st.skip == 0 => {
                if let Some(c) = entity(&r) {
                    st.para.push(c);
                }
            }
            _ => {}
        }
    })?;
    Ok(st.finish())
}

/// Whether a paragraph's frame (`w:framePr`) makes it a drop cap.
fn is_drop_cap(e: &BytesStart<'_>) -> bool {
    attr(e, "dropCap").is_some_and(|d| d == "drop" || d == "margin")
}

/// A picture's description (its alternative text, `wp:docPr`'s `descr`)
/// as `[text]`, as pandoc writes it; not the description Word makes up
/// ("... Description automatically generated").
fn picture_description(st: &mut State, e: &BytesStart<'_>) {
    let descr = attr(e, "descr");
    if let Some(d) = descr.map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
        && !d.is_empty()
        && !d.to_ascii_lowercase().contains("automatically generated")
    {
        st.para.push_str(&format!(" [{d}] "));
    }
}

/// A note's reference (`w:footnoteReference`), numbered in the order
/// referred to; or the start of a note in its own part (`w:footnote`).
fn note_event(st: &mut State, e: &BytesStart<'_>, start: bool) {
    let name = local(e);
    let id = attr(e, "id");
    let Some(id) = id else { return };
    match name.as_str() {
        "footnoteReference" | "endnoteReference" if st.skip == 0 => {
            let kind = name.trim_end_matches("Reference").to_owned();
            let k = st.note_numbers.len() + 1;
            if st.note_numbers.len() < 10_000 {
                st.note_numbers.push((kind, id, k));
            }
            st.para.push_str(&format!("[{k}]"));
        }
        "footnote" | "endnote" if start => {
            st.note_pending = st
                .note_numbers
                .iter()
                .find(|(kind, i, _)| *kind == name && *i == id)
                .map(|(_, _, k)| *k);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::submission::word_xml::MAX_TEXT_BYTES;

    fn body(inner: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{inner}</w:body></w:document>"#
        )
    }

    fn with_numbering(
        xml: &[u8],
        numbering: Numbering,
        notes: NoteNumbers,
    ) -> (WordText, NoteNumbers) {
        let part = document_text_with(xml, numbering, notes).expect("reads");
        let notes = part.note_numbers.clone();
        (part.finish(), notes)
    }

    #[test]
    fn runs_join_and_paragraphs_become_lines() {
        let xml = body(
            r#"<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Food hu</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>bs &amp; more</w:t></w:r></w:p>
<w:p/><w:p><w:pPr><w:numPr><w:ilvl w:val="0"/></w:numPr></w:pPr><w:r><w:t>first point</w:t></w:r></w:p>
<w:p><w:r><w:t xml:space="preserve">Kept </w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del><w:r><w:t>text&#x2019;s</w:t></w:r></w:p>"#,
        );
        let d = document_text(xml.as_bytes()).expect("reads");
        assert_eq!(d.title.as_deref(), Some("Food hubs & more"));
        // the title opening the document is its title, not a line of its text
        assert_eq!(d.text, "\n• first point\nKept text’s\n");
    }

    fn styled(style: &str, text: &str) -> String {
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    }

    #[test]
    fn the_details_opening_a_document_are_its_title_and_a_note_not_its_text() {
        let xml = body(&format!(
            "{}{}{}{}<w:p/>{}{}{}{}",
            styled("Title", "Food hubs"),
            styled("Subtitle", "in Oldham"),
            styled("Author", "A. Clerk"),
            styled("Date", "May 2024"),
            styled("Abstract", "Hubs fed 300 families."),
            styled("Normal", "Text."),
            styled("Author", "Quoted author"),
            styled("Title", "A second title"),
        ));
        let d = document_text(xml.as_bytes()).expect("reads");
        assert_eq!(d.title.as_deref(), Some("Food hubs"));
        // an abstract is the document's own summary: text, as is any
        // detail after the opening
        assert_eq!(
            d.text,
            "\nHubs fed 300 families.\nText.\nQuoted author\nA second title\n"
        );
        assert_eq!(
            d.notes,
            [
                "its opening paragraphs give the document's details, not repeated in its text: \
              subtitle “in Oldham”; author “A. Clerk”; date “May 2024”"
            ]
        );
        // text before them ends the opening: they are text, the title the
        // first Title paragraph as before
        let later = body(&format!(
            "{}{}{}",
            styled("Normal", "First."),
            styled("Title", "Food hubs"),
            styled("Author", "A. Clerk")
        ));
        let d = document_text(later.as_bytes()).expect("reads");
        assert_eq!(d.title.as_deref(), Some("Food hubs"));
        assert_eq!(d.text, "First.\nFood hubs\nA. Clerk\n");
        assert!(d.notes.is_empty(), "{:?}", d.notes);
        // so does a table, and an opening too long to be details
        let table = body(&format!(
            "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Cell</w:t></w:r></w:p></w:tc></w:tr></w:tbl>{}",
            styled("Author", "A. Clerk")
        ));
        let d = document_text(table.as_bytes()).expect("reads");
        assert_eq!(d.text, "Cell\nA. Clerk\n");
        let long = "word ".repeat(200);
        let d = document_text(body(&styled("Subtitle", &long)).as_bytes()).expect("reads");
        assert_eq!(d.text.split_whitespace().count(), 200);
        assert!(d.notes.is_empty(), "{:?}", d.notes);
    }

    #[test]
    fn a_drop_cap_joins_its_paragraph_and_a_numbered_heading_has_no_number() {
        let cap = |how: &str| {
            format!(
                r#"<w:p><w:pPr><w:framePr w:dropCap="{how}" w:lines="3"/></w:pPr><w:r><w:t>D</w:t></w:r></w:p>"#
            )
        };
        let xml = body(&format!(
            "{}<w:p><w:r><w:t>rop cap.</w:t></w:r></w:p><w:p/>{}<w:p><w:r><w:t>rop in the margin.</w:t></w:r></w:p>\
             <w:p><w:pPr><w:framePr w:wrap=\"around\"/></w:pPr><w:r><w:t>Framed</w:t></w:r></w:p>{}",
            cap("drop"),
            cap("margin"),
            cap("drop"),
        ));
        let d = document_text(xml.as_bytes()).expect("reads");
        // a frame that is no drop cap is a paragraph; a drop cap ending the
        // document is kept
        assert_eq!(d.text, "Drop cap.\n\nDrop in the margin.\nFramed\nD\n");
        let numbering = br#"<w:numbering><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
        let numbered = |style: &str, text: &str| {
            format!(
                r#"<w:p><w:pPr><w:pStyle w:val="{style}"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
            )
        };
        let xml = body(&format!(
            "{}{}{}",
            numbered("Heading1", "A numbered heading"),
            numbered("ListParagraph", "An item"),
            numbered("Heading2", "Another heading"),
        ));
        let (d, _) = with_numbering(xml.as_bytes(), Numbering::read(numbering), Vec::new());
        assert_eq!(d.text, "A numbered heading\n2. An item\nAnother heading\n");
        assert_eq!(d.title.as_deref(), Some("A numbered heading"));
    }

    #[test]
    fn table_rows_with_a_label_are_fields() {
        let row = |a: &str, b: &str| {
            format!(
                "<w:tr><w:tc><w:p><w:r><w:t>{a}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>{b}</w:t></w:r></w:p></w:tc></w:tr>"
            )
        };
        let xml = body(&format!(
            "<w:tbl>{}{}{}</w:tbl>",
            row("Lead Member", "Kirklees Council"),
            row("Year:", "2021"),
            row("Budget", "£500,000")
        ));
        let d = document_text(xml.as_bytes()).expect("reads");
        assert_eq!(
            d.text,
            "Lead Member: Kirklees Council\nYear: 2021\nBudget | £500,000\n"
        );
    }

    #[test]
    fn tabs_separate_words_and_a_label_tab_value_paragraph_is_a_field() {
        let run = |inner: &str| format!("<w:r>{inner}</w:r>");
        let t = |s: &str| format!("<w:t xml:space=\"preserve\">{s}</w:t>");
        // the paragraph's tab stops are no text
        let tabs = r#"<w:pPr><w:tabs><w:tab w:val="left" w:pos="2880"/><w:tab w:val="right" w:pos="9000"/></w:tabs></w:pPr>"#;
        let xml = body(&format!(
            "<w:p>{tabs}{}{}</w:p><w:p>{tabs}{}</w:p><w:p>{}</w:p><w:p>{}{}</w:p><w:p>{}</w:p>",
            run(&format!("{}<w:tab/>", t("Lead Member"))),
            run(&t("Kirklees Council")),
            run(&format!("<w:tab/>{}<w:tab/>{}", t("Year:"), t("2021"))),
            run(&format!("{}<w:tab/>{}", t("Default"), t("tab stops"))),
            run(&t("Section")),
            run(&format!(
                r#"<w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/>{}"#,
                t("Page")
            )),
            run(&format!(
                "{}<w:tab/>{}<w:tab/>{}",
                t("Budget"),
                t("£500"),
                t("a year")
            )),
        ));
        let d = document_text(xml.as_bytes()).expect("reads");
        assert_eq!(
            d.text,
            "Lead Member: Kirklees Council\nYear: 2021\nDefault tab stops\nSection Page\n\
             Budget £500 a year\n"
        );
    }

    #[test]
    fn text_moved_away_is_not_read_where_it_was() {
        let xml = body(
            r#"<w:p><w:moveFrom w:id="1" w:author="A"><w:r><w:t>Moved </w:t></w:r></w:moveFrom><w:r><w:t xml:space="preserve">Stays </w:t></w:r><w:moveTo w:id="2" w:author="A"><w:r><w:t>Moved</w:t></w:r></w:moveTo></w:p>"#,
        );
        let d = document_text(xml.as_bytes()).expect("reads");
        assert_eq!(d.text, "Stays Moved\n");
    }

    #[test]
    fn a_text_box_is_read_once_and_its_anchoring_paragraph_kept() {
        let box_text = |p: &str| {
            format!("<w:txbxContent><w:p><w:r><w:t>{p}</w:t></w:r></w:p></w:txbxContent>")
        };
        let xml = body(&format!(
            r#"<w:p><w:r><w:t xml:space="preserve">Before the box </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx>{}</wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox>{}</v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>and after.</w:t></w:r></w:p>"#,
            box_text("In the box"),
            box_text("In the box")
        ));
        let d = document_text(xml.as_bytes()).expect("reads");
        assert_eq!(d.text, "In the box\nBefore the box and after.\n");
    }

    #[test]
    fn numbered_items_have_their_numbers_and_notes_theirs() {
        let numbering = br#"<w:numbering><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="lowerLetter"/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num></w:numbering>"#;
        let item = |num: u8, level: u8, text: &str| {
            format!(
                r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
            )
        };
        let xml = body(&format!(
            "{}{}{}{}{}<w:p><w:r><w:t>Said</w:t></w:r><w:r><w:footnoteReference w:id=\"5\"/></w:r></w:p>",
            item(1, 0, "One"),
            item(1, 1, "Sub"),
            item(1, 1, "Sub two"),
            item(1, 0, "Two"),
            item(2, 0, "Dot"),
        ));
        let (d, notes) = with_numbering(xml.as_bytes(), Numbering::read(numbering), Vec::new());
        assert_eq!(
            d.text,
            "1. One\na. Sub\nb. Sub two\n2. Two\n• Dot\nSaid[1]\n"
        );
        // a list that starts at 4, and one restarting it at 1
        let restarts = br#"<w:numbering><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="4"/><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num></w:numbering>"#;
        let list = body(&format!(
            "{}{}{}{}",
            item(1, 0, "Four"),
            item(1, 0, "Five"),
            item(2, 0, "Again"),
            item(2, 0, "Two")
        ));
        let (l, _) = with_numbering(list.as_bytes(), Numbering::read(restarts), Vec::new());
        assert_eq!(l.text, "4. Four\n5. Five\n1. Again\n2. Two\n");
        // a picture's own description, not Word's made-up one
        let pictures = body(
            r#"<w:p><w:r><w:t>See</w:t></w:r><w:r><w:drawing><wp:inline><wp:docPr id="1" name="P" descr="The hub on opening day"/></wp:inline></w:drawing></w:r></w:p><w:p><w:r><w:drawing><wp:docPr id="2" name="Q" descr="A group of people. Description automatically generated"/></w:drawing></w:r><w:r><w:t>Next</w:t></w:r></w:p>"#,
        );
        let p = document_text(pictures.as_bytes()).expect("reads");
        assert_eq!(p.text, "See [The hub on opening day]\nNext\n");
        let footnotes = br#"<w:footnotes><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote><w:footnote w:id="5"><w:p><w:r><w:t>A source.</w:t></w:r></w:p></w:footnote></w:footnotes>"#;
        let (n, _) = with_numbering(footnotes, Numbering::default(), notes);
        assert_eq!(n.text.trim(), "[1] A source.");
    }

    #[test]
    fn a_list_style_numbers_its_paragraphs_in_a_cell_too_and_list_0_numbers_none() {
        let numbering = br#"<w:numbering><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/><w:pStyle w:val="ListNumber"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="lowerLetter"/><w:pStyle w:val="ListNumber2"/></w:lvl></w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
        // Word's "List Number" styles give their list in styles.xml, the
        // level by the list's own levels; a style based on one is one too
        let styles = br#"<w:styles><w:style w:type="paragraph" w:styleId="ListNumber"><w:name w:val="List Number"/><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="ListNumber2"><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Steps"><w:basedOn w:val="ListNumber"/></w:style><w:style w:type="character" w:styleId="Strong"><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style></w:styles>"#;
        let mut n = Numbering::read(numbering);
        n.read_styles(styles);
        let cell = |inner: &str| format!("<w:tc>{inner}</w:tc>");
        let xml = body(&format!(
            "{}{}{}{}{}<w:tbl><w:tr>{}{}</w:tr></w:tbl>",
            styled("ListNumber", "One"),
            styled("ListNumber2", "Sub"),
            styled("Steps", "Two"),
            r#"<w:p><w:pPr><w:pStyle w:val="ListNumber"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr></w:pPr><w:r><w:t>Said of two</w:t></w:r></w:p>"#,
            styled("Strong", "Not a list"),
            cell(&styled("Normal", "Steps")),
            cell(&format!(
                "{}{}",
                styled("ListNumber", "Three"),
                styled("ListNumber", "Four")
            )),
        ));
        let (d, _) = with_numbering(xml.as_bytes(), n, Vec::new());
        assert_eq!(
            d.text,
            "1. One\na. Sub\n2. Two\nSaid of two\nNot a list\nSteps | 3. Three 4. Four\n"
        );
    }

    #[test]
    fn a_list_number_has_the_marks_its_level_gives_it() {
        let level = |l: u8, format: &str, text: &str| {
            format!(
                r#"<w:lvl w:ilvl="{l}"><w:numFmt w:val="{format}"/><w:lvlText w:val="{text}"/></w:lvl>"#
            )
        };
        let numbering = format!(
            r#"<w:numbering><w:abstractNum w:abstractNumId="0">{}{}{}{}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#,
            level(0, "decimal", "%1)"),
            level(1, "lowerLetter", "(%2)"),
            level(2, "lowerRoman", "%1.%2.%3"),
            level(3, "upperLetter", "Step"),
        );
        let item = |level: u8, text: &str| {
            format!(
                r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
            )
        };
        let xml = body(&format!(
            "{}{}{}{}{}",
            item(0, "One"),
            item(1, "Sub"),
            item(2, "Deep"),
            item(3, "Odd"),
            item(0, "Two")
        ));
        let (d, _) = with_numbering(
            xml.as_bytes(),
            Numbering::read(numbering.as_bytes()),
            Vec::new(),
        );
        assert_eq!(d.text, "1) One\n(a) Sub\ni. Deep\nA. Odd\n2) Two\n");
        // a count from a huge start does not overflow
        let huge = br#"<w:numbering><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="18446744073709551615"/><w:numFmt w:val="lowerLetter"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
        let xml = body(&format!("{}{}", item(0, "A"), item(0, "B")));
        let (d, _) = with_numbering(xml.as_bytes(), Numbering::read(huge), Vec::new());
        assert_eq!(d.text.lines().count(), 2, "{}", d.text);
    }

    #[test]
    fn broken_xml_is_an_error_not_a_panic() {
        let e = document_text(b"<w:document><w:body><w:p></w:body>").err();
        assert!(e.is_some_and(|e| e.to_string().contains("not valid XML")));
    }

    #[test]
    fn a_run_over_the_text_limit_is_left_out_with_a_note() {
        let big = "word ".repeat(MAX_TEXT_BYTES / 5 + 10);
        let xml = body(&format!(
            "<w:p><w:r><w:t>Before</w:t></w:r></w:p><w:p><w:r><w:t>{big}</w:t></w:r></w:p>"
        ));
        let doc = document_text(xml.as_bytes()).unwrap_or_default();
        assert_eq!(doc.text, "Before\n");
        assert_eq!(doc.notes.len(), 1, "{:?}", doc.notes);
        assert!(
            doc.notes.iter().any(|n| n.contains("cut at 4 MiB")),
            "{:?}",
            doc.notes
        );
        let small = document_text(body("<w:p><w:r><w:t>Hi</w:t></w:r></w:p>").as_bytes());
        assert_eq!(small.map(|d| d.notes), Ok(Vec::new()));
    }
}
