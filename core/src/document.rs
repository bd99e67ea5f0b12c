//! The reader's document: a submission's fields and whole text as lines of
//! marked segments, ready to be wrapped and drawn. Markdown is rendered
//! (headings, lists, emphasis, links' text, quotes, code), plain text is
//! reflowed into paragraphs, and the evidence behind the suggestions and the
//! matches of a find are marked.
//!
//! Every segment's text is already clean (see [`crate::sanitize`]): no file
//! content reaches a terminal through here unescaped.

use pulldown_cmark::{Alignment, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use unicode_width::UnicodeWidthStr;

use crate::text::markdown::Table;

use crate::batch::{Item, Status};
use crate::details::Detail;
use crate::record::Record;
use crate::sanitize::{clean, clean_lines};
use crate::submission::{Format, Submission};
use crate::suggest::{Suggestions, word_ranges};
use crate::taxonomy::{Kind, Taxonomy};

bitflags::bitflags! {
    /// How a segment is to be shown.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub struct Mark: u16 {
        const BOLD = 1;
        const ITALIC = 1 << 1;
        const HEADING = 1 << 2;
        const CODE = 1 << 3;
        const QUOTE = 1 << 4;
        /// A field's label, or other secondary text.
        const LABEL = 1 << 5;
        /// Text behind a suggestion: a keyword hit, a quoted principle
        /// statement, a proposed tag.
        const EVIDENCE = 1 << 6;
        /// A match of the find.
        const FOUND = 1 << 7;
        /// The match the find is on.
        const CURRENT = 1 << 8;
        const LINK = 1 << 9;
    }
}

/// A run of text in one mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub text: String,
    pub mark: Mark,
}

/// One logical line: wrapped for display, its continuation lines indented by
/// `indent` columns (list items, fields).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocLine {
    pub segments: Vec<Segment>,
    pub indent: usize,
}

impl DocLine {
    fn push(&mut self, text: impl Into<String>, mark: Mark) {
        let text = text.into();
        if text.is_empty() {
            return;
        }
        match self.segments.last_mut() {
            Some(last) if last.mark == mark => last.text.push_str(&text),
            _ => self.segments.push(Segment { text, mark }),
        }
    }

    /// The line's text without marks.
    pub fn text(&self) -> String {
        self.segments.iter().map(|s| s.text.as_str()).collect()
    }

    fn is_blank(&self) -> bool {
        self.segments.iter().all(|s| s.text.trim().is_empty())
    }

    /// Adds `mark` to the bytes in `ranges` (of [`DocLine::text`]), splitting
    /// segments where a range starts or ends inside one. Linear in segments
    /// and ranges: a 2 MiB line can hold a hundred thousand hits.
    fn mark_ranges(&mut self, ranges: &[(usize, usize)], mark: Mark) {
        if ranges.is_empty() {
            return;
        }
        let mut sorted: Vec<(usize, usize)> =
            ranges.iter().copied().filter(|(s, e)| s < e).collect();
        sorted.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(sorted.len());
        for (s, e) in sorted {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        let mut out: Vec<Segment> = Vec::with_capacity(self.segments.len() + 2 * merged.len());
        let mut at = 0;
        let mut r = 0;
        for seg in std::mem::take(&mut self.segments) {
            let end = at + seg.text.len();
            let mut pos = at;
            while pos < end {
                while merged.get(r).is_some_and(|&(_, e)| e <= pos) {
                    r += 1;
                }
                let (inside, mut next) = match merged.get(r) {
                    Some(&(s, e)) if s <= pos => (true, e.min(end)),
                    Some(&(s, _)) => (false, s.min(end)),
                    None => (false, end),
                };
                while next < end && !seg.text.is_char_boundary(next - at) {
                    next += 1;
                }
                let m = if inside { seg.mark | mark } else { seg.mark };
                let piece = seg.text.get(pos - at..next - at).unwrap_or_default();
                match out.last_mut() {
                    Some(last) if last.mark == m => last.text.push_str(piece),
                    _ => out.push(Segment {
                        text: piece.to_string(),
                        mark: m,
                    }),
                }
                pos = next;
            }
            at = end;
        }
        self.segments = out;
    }
}

/// The reader's document and where its find matches are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    pub lines: Vec<DocLine>,
    /// The line of each match of the find, in order (a line with two
    /// matches is listed twice).
    pub found: Vec<usize>,
    /// The line where the submission's text starts (after the fields).
    pub text_start: usize,
}

/// The width of a field's label ("Principles ").
pub const LABEL: usize = 12;

/// What the reader shows about the officer's work on the submission.
pub struct Review<'a> {
    pub status: Status,
    pub record: Option<&'a Record>,
    /// The submission this one is likely a second copy of.
    pub duplicate_of: Option<&'a Item>,
}

/// Builds the document of one submission. `query` (case-insensitive) is
/// marked as found, its `current`-th match as current.
pub fn document(
    item: &Item,
    review: &Review<'_>,
    taxonomy: &Taxonomy,
    suggestions: Option<&Suggestions>,
    query: &str,
    current: Option<usize>,
) -> Document {
    let mut doc = Document::default();
    let title = DocLine {
        segments: vec![Segment {
            text: clean(item.title()),
            mark: Mark::HEADING | Mark::BOLD,
        }],
        indent: 0,
    };
    doc.lines.push(title);
    let plain = |s: &str| vec![(clean(s), Mark::empty())];

    let cx = crate::details::Context {
        taxonomy,
        status: review.status,
        record: review.record,
        unsaved: false,
        duplicate_of: review.duplicate_of,
    };
    for d in crate::details::details(item, &cx) {
        if d.is_empty() {
            continue;
        }
        let label = d.label();
        match &d {
            // the title is drawn above; problems are the list's and check's
            Detail::Title(_) | Detail::Problem(_) | Detail::NoTags => {}
            Detail::Remark(t) => doc.lines.push(field("Title", plain(t))),
            Detail::Duplicate { title, file } => {
                let text = format!("likely the same as “{title}” ({file})");
                doc.lines.push(field("Twice?", plain(&text)));
            }
            Detail::Status { status, .. } => {
                let text = format!("{} {}", status.mark(), status.word());
                doc.lines.push(field(label, plain(&text)));
            }
            Detail::Note(note) => {
                for (i, l) in clean_lines(note).iter().enumerate() {
                    let label = if i == 0 { label } else { "" };
                    doc.lines.push(field(label, plain(l)));
                }
            }
            Detail::Category { primary, secondary } => {
                let mut cats: Vec<String> = primary.iter().cloned().collect();
                if !secondary.is_empty() {
                    cats.push(secondary.join(", "));
                }
                doc.lines.push(field(label, plain(&cats.join(" + "))));
            }
            Detail::Principles(v) | Detail::Members(v) => {
                doc.lines.push(field(label, plain(&v.join(", "))));
            }
            Detail::Values(v) => doc
                .lines
                .push(field(label, plain(&crate::details::ranked(v)))),
            Detail::Lead(Some(t)) | Detail::Programme(Some(t)) => {
                doc.lines.push(field(label, plain(t)));
            }
            Detail::Lead(None) | Detail::Programme(None) => {}
            Detail::Corrected(fields) => {
                let text = format!(
                    "{} (by the officer; the file is unchanged)",
                    fields.join(", ")
                );
                doc.lines.push(field(label, plain(&text)));
            }
            Detail::Reviewed(t) | Detail::Contact(t) | Detail::File(t) => {
                doc.lines.push(field(label, plain(t)));
            }
        }
    }

    let Ok(sub) = &item.submission else {
        doc.lines.push(DocLine::default());
        let mut line = DocLine::default();
        line.push("This file could not be read.", Mark::LABEL);
        doc.lines.push(line);
        doc.text_start = doc.lines.len();
        mark_found(&mut doc, query, current);
        return doc;
    };
    proposed_lines(&mut doc, sub, taxonomy);
    if let Some(note) = &sub.covering_note {
        doc.lines.push(DocLine::default());
        let mut head = DocLine::default();
        head.push(
            "The e-mail's covering note (not part of the case study, never printed)",
            Mark::BOLD,
        );
        doc.lines.push(head);
        for l in clean_lines(note) {
            let mut line = DocLine {
                segments: Vec::new(),
                indent: 2,
            };
            line.push(format!("  {l}"), Mark::LABEL);
            doc.lines.push(line);
        }
        doc.lines.push(DocLine::default());
    }
    if let Some(s) = suggestions.filter(|s| !s.is_empty() || !s.set_aside.is_empty()) {
        suggestion_lines(&mut doc, s, taxonomy);
    }
    if !sub.principles_met.is_empty() {
        doc.lines.push(DocLine::default());
        let mut head = DocLine::default();
        head.push("Principles met, as the council states them", Mark::BOLD);
        doc.lines.push(head);
        for id in &sub.principles_met {
            let Some(e) = taxonomy.get(Kind::Principle, id) else {
                continue;
            };
            let mut line = DocLine {
                segments: Vec::new(),
                indent: 2,
            };
            line.push("• ", Mark::empty());
            line.push(clean(&e.label), Mark::EVIDENCE | Mark::BOLD);
            line.push(": ", Mark::empty());
            line.push(clean(&e.description), Mark::EVIDENCE | Mark::QUOTE);
            doc.lines.push(line);
        }
    }
    doc.lines.push(DocLine::default());
    let mut rule = DocLine::default();
    rule.push("── Text ──", Mark::LABEL);
    doc.lines.push(rule);
    doc.text_start = doc.lines.len();
    if item.text_dropped() {
        // not in memory, and not read again as it was (the reader opens on
        // a text held; this is what it shows if the file changed under it)
        let mut line = DocLine::default();
        line.push(
            "The text is not shown: the file changed on disk since it was read. Reload it to see it.",
            Mark::LABEL,
        );
        doc.lines.push(line);
    } else {
        doc.lines.extend(body_lines(sub));
    }
    if let Some(s) = suggestions {
        mark_evidence(&mut doc, s, taxonomy);
    }
    mark_found(&mut doc, query, current);
    doc
}

/// A field: its label in a fixed column, then the value.
fn field(label: &str, value: Vec<(String, Mark)>) -> DocLine {
    let mut line = DocLine {
        segments: Vec::new(),
        indent: LABEL,
    };
    line.push(format!("{label:<LABEL$}"), Mark::LABEL);
    for (text, mark) in value {
        line.push(text, mark);
    }
    line
}

/// The council's `[proposed]` tags, marked as evidence.
fn proposed_lines(doc: &mut Document, sub: &Submission, taxonomy: &Taxonomy) {
    let p = &sub.proposed;
    let label = |kind: Kind, id: &str| clean(taxonomy.label(kind, id));
    let parts = p.tags.summary(" + ", label);
    if !parts.is_empty() {
        doc.lines
            .push(field("Proposed", vec![(parts.join(" | "), Mark::EVIDENCE)]));
    }
}

/// The suggestions with where each came from, and the proposed tags set
/// aside with why.
fn suggestion_lines(doc: &mut Document, s: &Suggestions, taxonomy: &Taxonomy) {
    let mut first = true;
    for kind in [Kind::Category, Kind::Principle, Kind::Value] {
        let ids = s.ids(kind);
        if ids.is_empty() {
            continue;
        }
        let shown: Vec<String> = ids
            .iter()
            .map(|id| {
                let label = clean(taxonomy.label(kind, id));
                match s.source_of(id) {
                    Some(src) => format!("{label} ({})", src.describe()),
                    None => label,
                }
            })
            .collect();
        let label = if first { "Suggested" } else { "" };
        first = false;
        doc.lines.push(field(
            label,
            vec![
                (format!("{}: ", kind.plural()), Mark::LABEL),
                (shown.join(", "), Mark::empty()),
            ],
        ));
    }
    for (i, a) in s.set_aside.iter().enumerate() {
        let label = if i == 0 { "Set aside" } else { "" };
        doc.lines
            .push(field(label, vec![(clean(&a.describe()), Mark::empty())]));
    }
}

/// Marks the keyword hits of every suggested entry in the text.
fn mark_evidence(doc: &mut Document, s: &Suggestions, taxonomy: &Taxonomy) {
    let mut words: Vec<String> = Vec::new();
    for kind in [Kind::Category, Kind::Principle, Kind::Value] {
        for id in s.ids(kind) {
            if let Some(e) = taxonomy.get(kind, &id) {
                words.extend(e.keywords.iter().map(|k| k.to_ascii_lowercase()));
            }
        }
    }
    words.sort();
    words.dedup();
    if words.is_empty() {
        return;
    }
    let start = doc.text_start;
    for line in doc.lines.iter_mut().skip(start) {
        let lower = line.text().to_ascii_lowercase();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        for w in &words {
            ranges.extend(word_ranges(&lower, w));
        }
        line.mark_ranges(&ranges, Mark::EVIDENCE);
    }
}

/// Marks every match of `query` (ASCII case-insensitive) and lists where they are.
pub fn mark_found(doc: &mut Document, query: &str, current: Option<usize>) {
    doc.found.clear();
    let q = clean(query).to_ascii_lowercase();
    if q.trim().is_empty() {
        return;
    }
    let mut n = 0;
    for (ix, line) in doc.lines.iter_mut().enumerate() {
        let lower = line.text().to_ascii_lowercase();
        let mut ranges: Vec<(usize, usize)> = Vec::new();
        let mut cur: Vec<(usize, usize)> = Vec::new();
        for (at, m) in lower.match_indices(&q) {
            let r = (at, at + m.len());
            if Some(n) == current {
                cur.push(r);
            }
            ranges.push(r);
            doc.found.push(ix);
            n += 1;
        }
        line.mark_ranges(&ranges, Mark::FOUND);
        line.mark_ranges(&cur, Mark::CURRENT);
    }
}

/// The submission's text as document lines: Markdown rendered, plain text
/// reflowed into paragraphs.
pub fn body_lines(sub: &Submission) -> Vec<DocLine> {
    let mut lines = match sub.format {
        Format::Markdown => markdown(&sub.body),
        // every other reader gives text, one paragraph a line
        _ => plain_text(&sub.body),
    };
    while lines.last().is_some_and(DocLine::is_blank) {
        lines.pop();
    }
    lines
}

/// Renders Markdown: headings in bold (level shown by the underline of a
/// first-level one), lists with bullets or numbers and a hanging indent,
/// emphasis, code, quotes, tables in aligned columns, links by their text.
/// HTML and anything raw is shown as text, never interpreted.
pub fn markdown(src: &str) -> Vec<DocLine> {
    let mut r = Renderer::default();
    let parser = Parser::new_ext(src, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES);
    for ev in parser {
        r.event(ev);
    }
    r.finish()
}

#[derive(Default)]
struct Renderer {
    out: Vec<DocLine>,
    line: Option<DocLine>,
    marks: Vec<Mark>,
    /// One entry per open list: the next number, or `None` for bullets.
    lists: Vec<Option<u64>>,
    /// Per open list: its items so far and the width of the last marker.
    items: Vec<(usize, usize)>,
    quote: usize,
    /// A list item whose first paragraph has not started yet.
    item_prefix: Option<(String, usize)>,
    /// The open line is an item's marker with no text yet.
    item_fresh: bool,
    table: Option<Table>,
    /// The text of the table cell being read.
    cell: String,
    in_code_block: bool,
    heading: Option<HeadingLevel>,
}

/// A table's lines: cells padded to their column's width and aligned as the
/// table says, `│` between columns, a rule under the head.
fn table_lines(t: &Table) -> Vec<String> {
    let columns = t.rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            t.rows
                .iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.width())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = Vec::new();
    for (i, row) in t.rows.iter().enumerate() {
        let cells: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(c, &w)| {
                let cell = row.get(c).map_or("", String::as_str);
                let pad = w.saturating_sub(cell.width());
                match t.aligns.get(c) {
                    Some(Alignment::Right) => format!("{}{cell}", " ".repeat(pad)),
                    Some(Alignment::Center) => {
                        format!("{}{cell}{}", " ".repeat(pad / 2), " ".repeat(pad - pad / 2))
                    }
                    _ => format!("{cell}{}", " ".repeat(pad)),
                }
            })
            .collect();
        out.push(cells.join(" │ ").trim_end().to_string());
        if i == 0 {
            let rule: Vec<String> = widths
                .iter()
                .enumerate()
                // under the cell and the spaces beside it
                .map(|(c, &w)| "─".repeat(w + usize::from(c > 0) + usize::from(c + 1 < columns)))
                .collect();
            out.push(rule.join("┼"));
        }
    }
    out
}

impl Renderer {
    fn mark(&self) -> Mark {
        self.marks.iter().fold(Mark::empty(), |a, m| a | *m)
    }

    fn base_indent(&self) -> usize {
        self.lists.len().saturating_sub(1) * 2 + self.quote * 2
    }

    /// Starts a new logical line (closing any open one).
    fn open(&mut self) {
        self.close();
        let mut line = DocLine::default();
        if self.quote > 0 {
            line.push("│ ".repeat(self.quote), Mark::QUOTE | Mark::LABEL);
        }
        let base = self.base_indent();
        if let Some((prefix, width)) = self.item_prefix.take() {
            line.push(
                " ".repeat(base.saturating_sub(self.quote * 2)),
                Mark::empty(),
            );
            line.push(prefix, Mark::empty());
            line.indent = base + width;
        } else if !self.lists.is_empty() {
            // a later paragraph of an item lines up under its text
            let marker = self.items.last().map_or(2, |(_, w)| *w);
            let indent = base + marker;
            line.push(
                " ".repeat(indent.saturating_sub(self.quote * 2)),
                Mark::empty(),
            );
            line.indent = indent;
        } else {
            line.indent = self.quote * 2;
        }
        self.line = Some(line);
    }

    fn close(&mut self) {
        if let Some(line) = self.line.take() {
            self.out.push(line);
        }
    }

    fn blank(&mut self) {
        self.close();
        if self.out.last().is_some_and(|l| !l.is_blank()) {
            self.out.push(DocLine::default());
        }
    }

    fn text(&mut self, s: &str) {
        if self.table.is_some() {
            self.cell.push_str(&clean(s));
            return;
        }
        self.item_fresh = false;
        if self.line.is_none() {
            self.open();
        }
        let mark = self.mark();
        if let Some(line) = self.line.as_mut() {
            line.push(clean(s), mark);
        }
    }

    fn event(&mut self, ev: Event<'_>) {
        match ev {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => {
                if self.in_code_block {
                    for (i, l) in t.split('\n').enumerate() {
                        if i > 0 {
                            self.open();
                        }
                        self.text(l);
                    }
                } else {
                    self.text(&t);
                }
            }
            Event::Code(t) => {
                self.marks.push(Mark::CODE);
                self.text(&t);
                self.marks.pop();
            }
            // shown as the text it is, never interpreted
            Event::Html(t) | Event::InlineHtml(t) => {
                for (i, l) in t.trim_end_matches('\n').split('\n').enumerate() {
                    if i > 0 {
                        self.open();
                    }
                    self.text(l);
                }
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
            Event::FootnoteReference(t) => self.text(&format!("[{t}]")),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => self.open(),
            Event::Rule => {
                self.blank();
                let mut line = DocLine::default();
                line.push("─".repeat(20), Mark::LABEL);
                self.out.push(line);
                self.blank();
            }
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                if self.item_fresh {
                    // a loose item: its first paragraph goes on the marker's
                    // line, a blank line apart from the item before
                    if self.items.last().is_some_and(|(n, _)| *n > 1) {
                        let line = self.line.take();
                        self.blank();
                        self.line = line;
                    }
                    return;
                }
                if !self.lists.is_empty() {
                    // a later paragraph of an item
                    self.blank();
                }
                self.open();
            }
            Tag::Heading { level, .. } => {
                self.blank();
                self.heading = Some(level);
                self.marks.push(Mark::HEADING | Mark::BOLD);
                self.open();
            }
            Tag::BlockQuote(_) => {
                self.blank();
                self.quote += 1;
                self.marks.push(Mark::QUOTE);
            }
            Tag::CodeBlock(_) => {
                self.blank();
                self.in_code_block = true;
                self.marks.push(Mark::CODE);
                self.open();
            }
            Tag::List(start) => {
                if self.lists.is_empty() {
                    self.blank();
                } else {
                    self.close();
                }
                self.lists.push(start);
                self.items.push((0, 0));
            }
            Tag::Item => {
                self.close();
                let prefix = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let p = format!("{n}. ");
                        *n += 1;
                        p
                    }
                    _ => "• ".to_string(),
                };
                let width = prefix.chars().count();
                if let Some(last) = self.items.last_mut() {
                    *last = (last.0 + 1, width);
                }
                self.item_prefix = Some((prefix, width));
                // an item's text may come without a paragraph (a tight list)
                self.open();
                self.item_fresh = true;
            }
            Tag::Emphasis => self.marks.push(Mark::ITALIC),
            Tag::Strong => self.marks.push(Mark::BOLD),
            Tag::Strikethrough => self.marks.push(Mark::LABEL),
            Tag::Link { .. } => self.marks.push(Mark::LINK),
            Tag::Image { .. } => {
                self.text("[image: ");
                self.marks.push(Mark::LABEL);
            }
            Tag::HtmlBlock => self.blank(),
            Tag::Table(aligns) => {
                self.blank();
                self.table = Some(Table::new(aligns));
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                if self.lists.is_empty() {
                    self.blank();
                } else {
                    self.close();
                }
            }
            TagEnd::Heading(_) => {
                self.marks.pop();
                self.heading = None;
                self.blank();
            }
            TagEnd::BlockQuote(_) => {
                self.marks.pop();
                self.close();
                self.quote = self.quote.saturating_sub(1);
                self.blank();
            }
            TagEnd::CodeBlock => {
                self.marks.pop();
                self.in_code_block = false;
                // the block's text ends in a newline, which opened an empty line
                if self.line.as_ref().is_some_and(DocLine::is_blank) {
                    self.line = None;
                }
                self.blank();
            }
            TagEnd::List(_) => {
                self.close();
                self.lists.pop();
                self.items.pop();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::Item => self.close(),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough | TagEnd::Link => {
                self.marks.pop();
            }
            TagEnd::Image => {
                self.marks.pop();
                self.text("]");
            }
            TagEnd::HtmlBlock => self.blank(),
            TagEnd::TableCell | TagEnd::TableHead | TagEnd::TableRow => {
                let cell = std::mem::take(&mut self.cell);
                if let Some(t) = &mut self.table {
                    t.end(tag, &cell);
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    for (i, text) in table_lines(&t).into_iter().enumerate() {
                        self.open();
                        let mark = match i {
                            0 => Mark::BOLD,
                            1 => Mark::LABEL,
                            _ => Mark::empty(),
                        };
                        if let Some(line) = self.line.as_mut() {
                            line.push(text, mark);
                        }
                    }
                }
                self.blank();
            }
            _ => {}
        }
    }

    fn finish(mut self) -> Vec<DocLine> {
        self.close();
        while self.out.first().is_some_and(DocLine::is_blank) {
            self.out.remove(0);
        }
        while self.out.last().is_some_and(DocLine::is_blank) {
            self.out.pop();
        }
        self.out
    }
}

/// Cleaned text as paragraphs: the lines of a paragraph that were broken by
/// hand (pasted text breaks at odd places) joined again; list items,
/// headings and indented lines kept as they are.
pub fn paragraphs(body: &str) -> Vec<String> {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut open = false;
    for line in clean_lines(body.trim_end()) {
        let blank = line.trim().is_empty();
        let joins = open && !blank && !starts_block(&line);
        match paragraphs.last_mut() {
            Some(last) if joins => {
                last.push(' ');
                last.push_str(line.trim_start());
            }
            _ => paragraphs.push(line.clone()),
        }
        // a Markdown hard break (two trailing spaces), a heading or an
        // indented (preformatted) line ends the line
        open = !blank
            && !line.ends_with("  ")
            && !line.starts_with(' ')
            && !line.trim_start().starts_with('#');
    }
    paragraphs
}

/// Plain text (a pasted page, a press release) as document lines, one a
/// paragraph (see [`paragraphs`]).
pub fn plain_text(body: &str) -> Vec<DocLine> {
    paragraphs(body)
        .into_iter()
        .map(|p| {
            let heading = p.trim_start().starts_with('#');
            let indent = list_indent(&p);
            let mark = if heading { Mark::BOLD } else { Mark::empty() };
            let mut line = DocLine {
                segments: Vec::new(),
                indent,
            };
            line.push(p, mark);
            line
        })
        .collect()
}

/// Whether a line starts a block of its own rather than continuing the
/// paragraph above: a heading, list item, quote, table row or indented line.
pub fn starts_block(line: &str) -> bool {
    let t = line.trim_start();
    if t.len() != line.len() {
        return true;
    }
    if t.starts_with(['#', '-', '*', '+', '•', '>', '|', '–']) {
        return true;
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    digits > 0 && t.get(digits..).is_some_and(|r| r.starts_with(['.', ')']))
}

/// The hanging indent of a list item ("- ", "  • ", "12. "), so its wrapped
/// lines line up under its text.
pub fn list_indent(line: &str) -> usize {
    let t = line.trim_start();
    let lead = line.chars().count() - t.chars().count();
    let marker = if t.starts_with(['-', '*', '+', '•', '–']) {
        1
    } else {
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && t.get(digits..).is_some_and(|r| r.starts_with(['.', ')'])) {
            digits + 1
        } else {
            0
        }
    };
    if marker == 0 {
        return 0;
    }
    let after: String = t.chars().skip(marker).collect();
    let spaces = after.chars().count() - after.trim_start().chars().count();
    if spaces == 0 {
        0
    } else {
        lead + marker + spaces
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(lines: &[DocLine]) -> Vec<String> {
        lines.iter().map(DocLine::text).collect()
    }

    #[test]
    fn markdown_renders_headings_lists_emphasis_and_links() {
        let src = "# Title\n\nSome *emphasis* and a [link](http://x.example).\n\n## Part\n\n- one\n- two\n  continues\n\n1. first\n2. second\n\n> quoted\n\n<script>alert(1)</script>\n";
        let lines = markdown(src);
        assert_eq!(
            texts(&lines),
            vec![
                "Title",
                "",
                "Some emphasis and a link.",
                "",
                "Part",
                "",
                "• one",
                "• two continues",
                "",
                "1. first",
                "2. second",
                "",
                "│ quoted",
                "",
                "<script>alert(1)</script>",
            ]
        );
        assert!(lines[0].segments[0].mark.contains(Mark::HEADING));
        let em = &lines[2].segments[1];
        assert_eq!(em.text, "emphasis");
        assert!(em.mark.contains(Mark::ITALIC));
        assert!(
            lines[2]
                .segments
                .iter()
                .any(|s| s.text == "link" && s.mark.contains(Mark::LINK))
        );
        assert_eq!(lines[6].indent, 2);
        assert_eq!(lines[9].indent, 3);
    }

    #[test]
    fn a_loose_list_item_keeps_its_text_on_the_marker_line() {
        let lines = markdown("1. loose one\n\n2. loose two\n\n   more of two\n");
        assert_eq!(
            texts(&lines),
            vec!["1. loose one", "", "2. loose two", "", "   more of two"]
        );
        assert_eq!(lines[2].indent, 3);
    }

    #[test]
    fn tables_are_drawn_in_aligned_columns() {
        let src =
            "| Ward | Budget |\n|:--|--:|\n| North | £100,000 |\n| South \\| East | 80 |\n\nAfter.";
        let lines = markdown(src);
        assert_eq!(
            texts(&lines),
            vec![
                "Ward         │   Budget",
                "─────────────┼─────────",
                "North        │ £100,000",
                "South | East │       80",
                "",
                "After.",
            ]
        );
        assert!(
            lines[0]
                .segments
                .iter()
                .any(|s| s.mark.contains(Mark::BOLD))
        );
        // hostile cells are cleaned like any text
        let lines = markdown("| a |\n|---|\n| x\u{1b}[31m |");
        assert!(!lines.iter().any(|l| l.text().contains('\u{1b}')));
    }

    #[test]
    fn markdown_text_is_cleaned() {
        let lines = markdown("a \u{1b}[31m red\n");
        assert!(!lines[0].text().contains('\u{1b}'));
    }

    #[test]
    fn plain_text_paragraphs_are_reflowed_and_lists_kept() {
        let lines = plain_text("A paragraph broken\nby hand.\n\n- item one\n  continues\n");
        assert_eq!(
            texts(&lines),
            vec![
                "A paragraph broken by hand.",
                "",
                "- item one",
                "  continues"
            ]
        );
        assert_eq!(lines[2].indent, 2);
    }

    #[test]
    fn ranges_are_marked_across_segments() {
        let mut line = DocLine::default();
        line.push("food ", Mark::empty());
        line.push("bank here", Mark::BOLD);
        line.mark_ranges(&[(0, 9)], Mark::FOUND);
        let parts: Vec<(&str, Mark)> = line
            .segments
            .iter()
            .map(|s| (s.text.as_str(), s.mark))
            .collect();
        assert_eq!(
            parts,
            vec![
                ("food ", Mark::FOUND),
                ("bank", Mark::BOLD | Mark::FOUND),
                (" here", Mark::BOLD),
            ]
        );
    }
    /// The first, quadratic way of marking ranges, kept as the oracle.
    fn mark_ranges_by_cuts(line: &mut DocLine, ranges: &[(usize, usize)], mark: Mark) {
        let mut out: Vec<Segment> = Vec::new();
        let mut at = 0;
        for seg in std::mem::take(&mut line.segments) {
            let end = at + seg.text.len();
            let mut cuts: Vec<usize> = vec![at, end];
            for &(s, e) in ranges {
                for p in [s, e] {
                    if p > at && p < end {
                        cuts.push(p);
                    }
                }
            }
            cuts.sort_unstable();
            cuts.dedup();
            for w in cuts.windows(2) {
                let (s, e) = (w[0], w[1]);
                let inside = ranges.iter().any(|&(rs, re)| s >= rs && e <= re);
                let m = if inside { seg.mark | mark } else { seg.mark };
                let piece = &seg.text[s - at..e - at];
                match out.last_mut() {
                    Some(last) if last.mark == m => last.text.push_str(piece),
                    _ => out.push(Segment {
                        text: piece.to_string(),
                        mark: m,
                    }),
                }
            }
            at = end;
        }
        line.segments = out;
    }

    proptest::proptest! {
        #[test]
        fn marking_ranges_in_one_pass_marks_what_the_cuts_did(
            parts in proptest::collection::vec(("[a-z ]{0,12}", 0u16..4), 0..6),
            ranges in proptest::collection::vec((0usize..80, 0usize..20), 0..8),
        ) {
            let mut line = DocLine::default();
            for (text, m) in &parts {
                line.push(text.as_str(), Mark::from_bits_truncate(*m));
            }
            let ranges: Vec<(usize, usize)> = ranges.iter().map(|&(s, l)| (s, s + l)).collect();
            let mut oracle = line.clone();
            mark_ranges_by_cuts(&mut oracle, &ranges, Mark::FOUND);
            line.mark_ranges(&ranges, Mark::FOUND);
            proptest::prop_assert_eq!(line.segments, oracle.segments);
        }
    }
}
