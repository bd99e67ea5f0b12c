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

use super::word_xml::{
    Archive, Kind, Lines, WordError, WordText, attr, entity, events, is_label, local,
};

/// Reads an `.odt` from its bytes; the error says why it cannot be read.
pub(crate) fn read(bytes: &[u8]) -> Result<WordText, WordError> {
    let mut archive = Archive::open(bytes, Kind::OpenDocument)?;
    let content = archive.main("content.xml")?;
    let mut doc = content_text(&content)?;
    if let Ok(Some(meta)) = archive.part("meta.xml")
        && let Some(t) = meta_title(&meta)
    {
        doc.title = Some(t);
    }
    Ok(doc)
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
    lines: Lines,
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
    /// Paragraphs nested past the limit (read as part of the one around).
    overflow: usize,
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
        if self.lines.in_cell() || text.is_empty() {
            self.lines.paragraph(&text);
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
            self.lines.set_apart();
            self.lines.push_line(&text);
        } else if self.lists > 0 {
            self.lines.push_line(&format!("• {text}"));
        } else if let Some((label, value)) = text.split_once('\t')
            && is_label(label)
            && !value.trim().is_empty()
            && !value.contains('\t')
        {
            self.lines.push_line(&format!(
                "{}: {}",
                label.trim_end_matches(':'),
                value.trim()
            ));
        } else {
            self.lines.push_line(&text);
        }
    }
}

/// The text of `content.xml`.
pub(crate) fn content_text(xml: &[u8]) -> Result<WordText, WordError> {
    let mut st = State::default();
    events(xml, "content.xml", |event| match event {
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
            "table" => st.lines.start_table(),
            "table-row" => st.lines.start_row(),
            "table-cell" => st.lines.start_cell(),
            "s" => push_spaces(&mut st, &e),
            _ => {}
        },
        Event::Empty(e) => match local(&e).as_str() {
            "s" => push_spaces(&mut st, &e),
            "tab" => st.push("\t"),
            "line-break" => st.push(" "),
            "p" | "h" if st.in_note == 0 && !st.lines.in_cell() && st.skip == 0 => {
                st.lines.blank();
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
            "table-cell" => st.lines.end_cell(),
            "table-row" => st.lines.end_row(),
            "table" => st.lines.end_table(),
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
    })?;
    let notes = std::mem::take(&mut st.notes);
    st.lines.push_notes(notes.iter().map(String::as_str));
    Ok(st.lines.finish(st.title.or(st.heading1)))
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
        assert!(e.is_some_and(|e| e.to_string().contains("not valid XML")));
    }
}
