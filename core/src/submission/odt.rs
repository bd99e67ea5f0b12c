//! OpenDocument text (`.odt`, LibreOffice's and Google Docs' own format):
//! the text of `content.xml`, read as a Word document is (see
//! [`super::docx`]): one line per paragraph or heading, a list item as a
//! `•` line, a table row of a field's label and its value as that field,
//! notes at the end under "Notes". The title is `meta.xml`'s `dc:title`,
//! else the paragraph styled "Title", else the first level-1 heading.
//!
//! The archive and its parts are read through the same limits as a
//! `.docx`'s; the XML as a stream of events, never a tree.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::docx::{self, WordText, entity, is_label};

/// The most text kept from a document.
const MAX_TEXT_BYTES: usize = 4 * 1024 * 1024;

/// Reads an `.odt` from its bytes; the error says why it cannot be read.
pub(crate) fn read(bytes: &[u8]) -> Result<WordText, String> {
    let mut archive = docx::open(bytes, "OpenDocument text (.odt")?;
    let content = docx::part(&mut archive, "content.xml")?
        .ok_or_else(|| "not an OpenDocument text: the archive has no content.xml".to_string())?;
    let mut doc = content_text(&content)?;
    if let Ok(Some(meta)) = docx::part(&mut archive, "meta.xml")
        && let Some(t) = meta_title(&meta)
    {
        doc.title = Some(t);
    }
    Ok(doc)
}

fn local(e: &BytesStart<'_>) -> String {
    e.local_name().into_inner().to_string()
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().into_inner() == name)
        .map(|a| a.value.to_string())
}

/// `dc:title` of `meta.xml`.
fn meta_title(xml: &[u8]) -> Option<String> {
    let mut reader = Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut inside = false;
    let mut title = String::new();
    while let Ok(event) = reader.read_event_into(&mut buf) {
        match event {
            Event::Eof => break,
            Event::Start(e) if local(&e) == "title" => inside = true,
            Event::End(e) if e.local_name().into_inner() == "title" => break,
            Event::Text(t) if inside => title.push_str(&t),
            Event::GeneralRef(r) if inside => title.extend(entity(&r)),
            _ => {}
        }
        buf.clear();
    }
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

#[derive(Default)]
struct State {
    out: String,
    notes: Vec<String>,
    title: Option<String>,
    heading1: Option<String>,
    /// Paragraphs open (a note's paragraphs sit inside the paragraph
    /// citing it): text, style, heading level.
    paras: Vec<(String, String, Option<u8>)>,
    /// Lists open.
    lists: usize,
    /// Inside a note's body (its paragraphs are notes, not text).
    in_note: usize,
    /// The note's citation ("1").
    citation: Option<String>,
    in_citation: bool,
    /// Not content: deleted text (tracked changes), comments.
    skip: usize,
    /// Tables open, and the cells of each open table's current row.
    rows: Vec<Vec<String>>,
    cell: Option<String>,
    /// Paragraphs nested past the limit (read as part of the one around).
    overflow: usize,
    cut: bool,
}

impl State {
    fn push(&mut self, s: &str) {
        if self.skip > 0 {
            return;
        }
        if self.in_citation {
            self.citation.get_or_insert_default().push_str(s);
        }
        if let Some((text, _, _)) = self.paras.last_mut() {
            text.push_str(s);
        }
    }

    fn push_line(&mut self, line: &str) {
        docx::push_bounded(&mut self.out, &mut self.cut, line);
    }

    fn end_paragraph(&mut self) {
        let Some((text, style, level)) = self.paras.pop() else {
            return;
        };
        let text = text.trim().to_string();
        if self.in_note > 0 {
            if !text.is_empty() {
                let note = match self.citation.as_deref() {
                    Some(c) if self.notes.len() < 10_000 => format!("[{}] {text}", c.trim()),
                    _ => text,
                };
                self.citation = None;
                self.notes.push(note);
            }
            return;
        }
        if let Some(cell) = &mut self.cell {
            if !text.is_empty() {
                if !cell.is_empty() {
                    cell.push(' ');
                }
                cell.push_str(&text);
            }
            return;
        }
        if text.is_empty() {
            self.out.push('\n');
            return;
        }
        let style = style.to_ascii_lowercase();
        if style == "title" && self.title.is_none() {
            self.title = Some(text.clone());
        } else if level == Some(1) && self.heading1.is_none() {
            self.heading1 = Some(text.clone());
        }
        if level.is_some() {
            // a heading stands apart, as Word's do in their own lines
            if !self.out.is_empty() && !self.out.ends_with("\n\n") {
                self.out.push('\n');
            }
            self.push_line(&text);
        } else if self.lists > 0 {
            self.push_line(&format!("• {text}"));
        } else if let Some((label, value)) = text.split_once('\t')
            && is_label(label)
            && !value.trim().is_empty()
            && !value.contains('\t')
        {
            self.push_line(&format!(
                "{}: {}",
                label.trim_end_matches(':'),
                value.trim()
            ));
        } else {
            self.push_line(&text);
        }
    }

    fn end_row(&mut self) {
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
            if let Some(cell) = &mut self.cell {
                cell.push(' ');
                cell.push_str(&line);
            }
        } else {
            self.push_line(&line);
        }
    }
}

/// The text of `content.xml`.
pub(crate) fn content_text(xml: &[u8]) -> Result<WordText, String> {
    let mut reader = Reader::from_reader(xml);
    let mut st = State::default();
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            format!(
                "content.xml is not valid XML at byte {}: {e}",
                reader.error_position()
            )
        })?;
        match event {
            Event::Eof => break,
            Event::Start(e) => match local(&e).as_str() {
                "p" | "h" if st.paras.len() >= 64 => st.overflow += 1,
                "p" | "h" => {
                    let level = (local(&e) == "h").then(|| {
                        attr(&e, "outline-level")
                            .and_then(|l| l.parse().ok())
                            .unwrap_or(1)
                    });
                    st.paras.push((
                        String::new(),
                        attr(&e, "style-name").unwrap_or_default(),
                        level,
                    ));
                }
                "list" => st.lists += 1,
                "note-body" => st.in_note += 1,
                "note-citation" => {
                    st.push("[");
                    st.in_citation = true;
                    st.citation = None;
                }
                "tracked-changes" | "annotation" => st.skip += 1,
                "table" => st.rows.push(Vec::new()),
                "table-row" => {
                    if let Some(r) = st.rows.last_mut() {
                        r.clear();
                    }
                }
                "table-cell" if st.rows.len() == 1 => st.cell = Some(String::new()),
                "s" => push_spaces(&mut st, &e),
                _ => {}
            },
            Event::Empty(e) => match local(&e).as_str() {
                "s" => push_spaces(&mut st, &e),
                "tab" => st.push("\t"),
                "line-break" => st.push(" "),
                "p" | "h" if st.in_note == 0 && st.cell.is_none() && st.skip == 0 => {
                    st.out.push('\n');
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().into_inner() {
                "p" | "h" if st.overflow > 0 => st.overflow -= 1,
                "p" | "h" => {
                    if st.skip == 0 {
                        st.end_paragraph();
                    } else {
                        st.paras.pop();
                    }
                }
                "list" => st.lists = st.lists.saturating_sub(1),
                "note-body" => st.in_note = st.in_note.saturating_sub(1),
                "note-citation" => {
                    st.in_citation = false;
                    st.push("]");
                }
                "tracked-changes" | "annotation" => st.skip = st.skip.saturating_sub(1),
                "table-cell" if st.rows.len() == 1 => {
                    if let (Some(cell), Some(row)) = (st.cell.take(), st.rows.last_mut()) {
                        row.push(cell);
                    }
                }
                "table-row" => st.end_row(),
                "table" => {
                    st.rows.pop();
                }
                _ => {}
            },
            Event::Text(t) => {
                let t = t.to_string();
                st.push(&t);
            }
            Event::GeneralRef(r) => {
                if let Some(c) = entity(&r) {
                    st.push(c.encode_utf8(&mut [0; 4]));
                }
            }
            _ => {}
        }
        buf.clear();
    }
    if !st.notes.is_empty() {
        if !st.out.is_empty() && !st.out.ends_with("\n\n") {
            st.out.push('\n');
        }
        st.out.push_str("Notes\n\n");
        for n in std::mem::take(&mut st.notes) {
            st.push_line(&n);
        }
    }
    let notes = if st.cut {
        vec![format!(
            "its text was cut at {} MiB: a paragraph or what followed it was left out",
            MAX_TEXT_BYTES / (1024 * 1024)
        )]
    } else {
        Vec::new()
    };
    Ok(WordText {
        title: st.title.or(st.heading1),
        text: st.out,
        notes,
    })
}

/// `text:s`: `text:c` spaces (one when it does not say).
fn push_spaces(st: &mut State, e: &BytesStart<'_>) {
    let n: usize = attr(e, "c")
        .and_then(|c| c.parse().ok())
        .unwrap_or(1)
        .min(1000);
    st.push(&" ".repeat(n));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(inner: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:text>{inner}</office:text></office:body></office:document-content>"#
        )
    }

    #[test]
    fn headings_paragraphs_lists_tables_spaces_and_notes() {
        let xml = content(
            r#"<text:h text:outline-level="1">Food hubs</text:h>
<text:p>The hubs<text:s text:c="3"/>opened<text:tab/>in<text:line-break/>2020&amp;after.<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Oldham annual report.</text:p></text:note-body></text:note></text:p>
<text:list><text:list-item><text:p>First point</text:p></text:list-item><text:list-item><text:p>Second</text:p></text:list-item></text:list>
<table:table><table:table-row><table:table-cell><text:p>Lead Member</text:p></table:table-cell><table:table-cell><text:p>Oldham Council</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell><text:p>Budget</text:p></table:table-cell><table:table-cell><text:p>£5</text:p></table:table-cell></table:table-row></table:table>
<text:tracked-changes><text:changed-region><text:deletion><text:p>Deleted</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:p/>"#,
        );
        let d = content_text(xml.as_bytes()).expect("reads");
        assert_eq!(d.title.as_deref(), Some("Food hubs"));
        assert_eq!(
            d.text,
            "Food hubs\nThe hubs opened in 2020&after.[1]\n• First point\n• Second\n\
             Lead Member: Oldham Council\nBudget | £5\n\nNotes\n\n[1] Oldham annual report.\n"
        );
    }

    #[test]
    fn the_title_of_meta_xml() {
        let meta = br#"<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><office:meta><dc:title>Food  hubs in Oldham</dc:title></office:meta></office:document-meta>"#;
        assert_eq!(meta_title(meta).as_deref(), Some("Food hubs in Oldham"));
        assert_eq!(meta_title(b"<x/>"), None);
    }

    #[test]
    fn broken_xml_is_an_error() {
        let e = content_text(b"<office:document-content><text:p></office:body>").err();
        assert!(e.is_some_and(|e| e.contains("not valid XML")));
    }
}
