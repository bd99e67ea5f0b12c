//! The printed Case Studies Pack as a small document model, the one thing
//! the Markdown, HTML and Word packs are written from.
//!
//! [`walk`] makes the pack's outline (title, count, one section per primary
//! category in taxonomy order, the case studies in each) and hands a
//! [`PackSink`] each section and each case study in turn, a case study's
//! text read only when its turn comes. A case study's text becomes
//! [`Block`]s here ([`body_blocks`]): a Markdown body read with
//! `pulldown-cmark`, a plain-text body as paragraphs. Every decision about
//! what is safe to carry is taken here, once, for all three formats:
//!
//! - kept: paragraphs, headings (moved below the case study's own heading,
//!   never skipping a level), lists, quotes, emphasis, strong,
//!   strike-through, inline code, fenced code, rules, tables, and links to
//!   `http`, `https` and `mailto` addresses (percent-encoded);
//! - made text: raw HTML (blocks and inline), pandoc's raw blocks and
//!   attributes, images (their alt text, so that no renderer reads a file or
//!   address named by a submission), links of any other scheme (their text);
//! - removed: control, bidi and zero-width characters, throughout.
//!
//! The renderers only escape, each for its own format.

use std::borrow::Cow;
use std::collections::HashSet;
use std::io;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::plain::clean_line;
use super::{CaseStudy, PackText};
use crate::sanitize::is_unsafe;
use crate::taxonomy::{Kind, Taxonomy};

/// The pack's title (its one first-level heading).
pub(super) const PACK_TITLE: &str = "CCIN Case Studies Pack";

/// The deepest heading level the pack has (Markdown's and HTML's deepest).
pub(super) const MAX_LEVEL: usize = 6;

/// The level of a case study's heading (the title is 1, a primary category
/// 2); its text's headings come below.
pub(super) const CASE_LEVEL: usize = 3;

/// Text within a block. Text is plain (unescaped) and holds no unsafe
/// characters; each renderer escapes it for its format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Inline {
    Text(String),
    Emphasis(Vec<Inline>),
    Strong(Vec<Inline>),
    Strikethrough(Vec<Inline>),
    Code(String),
    /// A link to a safe address (`http`, `https`, `mailto`), percent-encoded.
    Link {
        url: String,
        content: Vec<Inline>,
    },
    /// A line break within a paragraph.
    Break,
}

/// One block of a case study's text.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Block {
    /// `level` is the heading's level in the whole pack (below
    /// [`CASE_LEVEL`], at most [`MAX_LEVEL`]).
    Heading {
        level: usize,
        content: Vec<Inline>,
    },
    Paragraph(Vec<Inline>),
    /// `start` is the first number of an ordered list (`None`: bullets);
    /// `loose` when its items' paragraphs stand apart (Markdown keeps the
    /// blank lines).
    List {
        start: Option<u64>,
        loose: bool,
        items: Vec<Vec<Block>>,
    },
    Quote(Vec<Block>),
    /// `lang` is a plain language name or empty.
    Code {
        lang: String,
        text: String,
    },
    Rule,
    /// The first row is the head.
    Table {
        aligns: Vec<Alignment>,
        rows: Vec<Vec<Vec<Inline>>>,
    },
}

/// What the pack holds, known before any text is read: the contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Outline {
    /// The number of case studies.
    pub count: usize,
    /// The line under the title.
    pub intro: String,
    pub sections: Vec<Section>,
}

/// A primary category and its case studies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Section {
    pub heading: String,
    /// Unique in the pack: ASCII letters, digits and `-` only.
    pub id: String,
    pub cases: Vec<CaseRef>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CaseRef {
    /// The entry's index in the exported entries.
    pub entry: usize,
    pub title: String,
    /// Unique in the pack: ASCII letters, digits and `-` only.
    pub id: String,
}

/// One case study as the pack prints it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct CaseDoc<'a> {
    pub title: &'a str,
    pub id: &'a str,
    /// Whether it opens its section (it shares a page with the section's
    /// heading).
    pub first_in_section: bool,
    /// The fields that have a value, named, in order; plain text.
    pub fields: Vec<(&'static str, String)>,
    pub text: Vec<Block>,
}

/// A writer of the pack in one format, handed its parts in order.
pub(super) trait PackSink {
    fn begin(&mut self, outline: &Outline) -> io::Result<()>;
    fn section(&mut self, section: &Section) -> io::Result<()>;
    fn case(&mut self, case: &CaseDoc<'_>) -> io::Result<()>;
    fn end(&mut self) -> io::Result<()>;
}

/// The outline of the pack of `entries`: its sections are the taxonomy's
/// categories in order (empty ones left out), then labels it does not know
/// (exported with `--force`), then "Uncategorised".
pub(super) fn outline(entries: &[CaseStudy], taxonomy: &Taxonomy) -> Outline {
    let n = entries.len();
    let intro = if n == 0 {
        "No case studies to show.".to_string()
    } else {
        format!(
            "{n} case stud{} from members of the Co-operative Councils Innovation Network, \
             grouped by primary category.",
            if n == 1 { "y" } else { "ies" }
        )
    };
    let mut keys: Vec<Option<String>> = taxonomy
        .entries(Kind::Category)
        .iter()
        .map(|c| Some(clean_line(&c.label)))
        .collect();
    for e in entries {
        if !keys.contains(&e.primary_category) {
            keys.push(e.primary_category.clone());
        }
    }
    if let Some(pos) = keys.iter().position(Option::is_none) {
        let none = keys.remove(pos);
        keys.push(none);
    }
    let mut ids = Ids::default();
    let mut sections = Vec::new();
    for key in &keys {
        let cases: Vec<(usize, &CaseStudy)> = entries
            .iter()
            .enumerate()
            .filter(|(_, e)| &e.primary_category == key)
            .collect();
        if cases.is_empty() {
            continue;
        }
        let heading = key.clone().unwrap_or_else(|| "Uncategorised".to_string());
        let id = ids.make("category", &heading);
        let cases = cases
            .into_iter()
            .map(|(entry, e)| {
                let title = case_title(e).to_string();
                CaseRef {
                    entry,
                    id: ids.make("case", &title),
                    title,
                }
            })
            .collect();
        sections.push(Section { heading, id, cases });
    }
    Outline {
        count: n,
        intro,
        sections,
    }
}

/// The heading a case study is printed under: its title, else its file name.
pub(super) fn case_title(e: &CaseStudy) -> &str {
    if e.title.is_empty() {
        &e.source
    } else {
        &e.title
    }
}

/// Ids for the pack's headings, unique, from their text: `prefix-words`,
/// lower-case ASCII letters and digits joined by `-`, numbered when taken.
#[derive(Default)]
struct Ids {
    taken: HashSet<String>,
}

impl Ids {
    fn make(&mut self, prefix: &str, text: &str) -> String {
        let mut slug = String::new();
        for c in text.chars() {
            if c.is_ascii_alphanumeric() {
                if slug.len() >= 48 {
                    break;
                }
                slug.push(c.to_ascii_lowercase());
            } else if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-');
        let base = if slug.is_empty() {
            prefix.to_string()
        } else {
            format!("{prefix}-{slug}")
        };
        let mut id = base.clone();
        let mut n = 2;
        while self.taken.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.taken.insert(id.clone());
        id
    }
}

/// Entry `i`'s own `body`: the texts of a pack made from entries that hold
/// them.
pub(super) fn held_text<'e>(
    entries: &'e [CaseStudy],
) -> impl FnMut(usize) -> io::Result<Cow<'e, str>> {
    move |i| {
        Ok(Cow::Borrowed(
            entries.get(i).map_or("", |e| e.body.as_str()),
        ))
    }
}

/// The pieces a pack's writer gives `out`, gathered into one string (which
/// cannot fail to take them).
pub(super) fn gathered(
    write: impl FnOnce(&mut dyn FnMut(&str) -> io::Result<()>) -> io::Result<()>,
) -> String {
    let mut o = String::new();
    let _ = write(&mut |piece| {
        o.push_str(piece);
        Ok(())
    });
    o
}

/// The pack of `entries` into `sink`: the outline, then each section and its
/// case studies; `body` gives entry `i`'s whole text when its turn comes.
pub(super) fn walk<'b>(
    entries: &[CaseStudy],
    taxonomy: &Taxonomy,
    text: PackText,
    body: &mut dyn FnMut(usize) -> io::Result<Cow<'b, str>>,
    sink: &mut dyn PackSink,
) -> io::Result<()> {
    let outline = outline(entries, taxonomy);
    sink.begin(&outline)?;
    for section in &outline.sections {
        sink.section(section)?;
        for (k, c) in section.cases.iter().enumerate() {
            let Some(e) = entries.get(c.entry) else {
                continue;
            };
            let blocks = match text {
                PackText::Full => {
                    let whole = body(c.entry)?;
                    body_blocks(&whole, e.body_is_markdown, &c.title)
                }
                PackText::Excerpt if e.excerpt.is_empty() => Vec::new(),
                PackText::Excerpt => vec![Block::Paragraph(vec![Inline::Text(e.excerpt.clone())])],
            };
            sink.case(&CaseDoc {
                title: &c.title,
                id: &c.id,
                first_in_section: k == 0,
                fields: fields(e),
                text: blocks,
            })?;
        }
    }
    sink.end()
}

/// A case study's fields as the pack names them, those without a value
/// left out.
fn fields(e: &CaseStudy) -> Vec<(&'static str, String)> {
    let lead = e.fields.lead_member.as_deref().map(str::to_lowercase);
    // The lead is often listed among the participants too.
    let others: Vec<&str> = e
        .fields
        .participating_members
        .iter()
        .filter(|m| Some(m.to_lowercase()) != lead)
        .map(String::as_str)
        .collect();
    let values: Vec<String> = e
        .values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{}. {v}", i + 1))
        .collect();
    let all = [
        (
            "Lead member",
            e.fields.lead_member.clone().unwrap_or_default(),
        ),
        ("Participating members", others.join(", ")),
        (
            "Year",
            e.fields.year.map(|y| y.to_string()).unwrap_or_default(),
        ),
        ("Programme", e.fields.programme.clone().unwrap_or_default()),
        ("Other categories", e.categories.join(", ")),
        ("Principles met", e.principles.join(", ")),
        // "Values: 1. Solidarity 2. Democracy 3. Caring for others"
        ("Values", values.join(" ")),
    ];
    all.into_iter()
        .map(|(name, v)| (name, clean_line(&v)))
        .filter(|(_, v)| !v.is_empty())
        .collect()
}

/// A case study's whole text as blocks, its headings below [`CASE_LEVEL`]
/// (a first-level heading of the body becomes the next level, no level
/// skipped), an opening heading that repeats `title` left out.
pub(super) fn body_blocks(body: &str, is_markdown: bool, title: &str) -> Vec<Block> {
    let body = without_unsafe(body);
    let mut b = if is_markdown {
        markdown(&body)
    } else {
        plain(&body)
    };
    b.flush();
    let opening_title = b.first_heading.take();
    let mut blocks = b.finish();
    if let (Some(text), Some(Block::Heading { .. })) = (opening_title, blocks.first()) {
        let same = |a: &str| {
            a.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        if !title.trim().is_empty() && same(&text) == same(title) {
            blocks.remove(0);
        }
    }
    let mut last = CASE_LEVEL;
    levels_in_order(&mut blocks, &mut last);
    blocks
}

/// Moves headings up so that none is more than one level below the heading
/// before it (the case study's own at first): HTML's outline and Word's
/// navigation want no skipped levels.
fn levels_in_order(blocks: &mut [Block], last: &mut usize) {
    for b in blocks {
        match b {
            Block::Heading { level, .. } => {
                *level = (*level).min(*last + 1).min(MAX_LEVEL);
                *last = *level;
            }
            Block::List { items, .. } => {
                for item in items {
                    levels_in_order(item, last);
                }
            }
            Block::Quote(inner) => levels_in_order(inner, last),
            _ => {}
        }
    }
}

/// `s` with control, bidi and zero-width characters removed, tabs as
/// spaces and line ends as `\n`.
fn without_unsafe(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' | '\r' => Some(' '),
            c if is_unsafe(c) => None,
            c => Some(c),
        })
        .collect()
}

/// A plain-text body: paragraphs as the reader makes them (lines broken by
/// hand joined again, list-like and indented lines kept on lines of their
/// own).
fn plain(body: &str) -> Builder {
    let mut b = Builder::default();
    let mut para: Vec<String> = Vec::new();
    for line in crate::document::plain_text(body) {
        let text = clean_line(&line.text());
        if text.is_empty() {
            b.lines(&para);
            para.clear();
        } else {
            para.push(text);
        }
    }
    b.lines(&para);
    b
}

fn markdown(body: &str) -> Builder {
    let mut b = Builder::default();
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    for event in Parser::new_ext(body, options) {
        b.event(event);
    }
    b
}

/// An open container, collecting its blocks.
#[derive(Debug)]
enum Open {
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        loose: bool,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>),
}

/// An open span of inline text, collecting its content.
#[derive(Debug)]
enum Span {
    Emphasis,
    Strong,
    Strikethrough,
    Link(String),
    /// A link whose address is not kept: its text is.
    Text,
    /// An image: its alt text, marked.
    Image,
}

#[derive(Debug)]
enum Raw {
    Fenced { lang: String, text: String },
    Indented(String),
    Html(String),
}

/// The cells of a table being read.
#[derive(Debug)]
struct TableBuild {
    aligns: Vec<Alignment>,
    rows: Vec<Vec<Vec<Inline>>>,
    row: Vec<Vec<Inline>>,
}

#[derive(Debug, Default)]
struct Builder {
    top: Vec<Block>,
    open: Vec<Open>,
    /// The inline text of the block being read.
    inline: Vec<Inline>,
    /// Open spans, each with the text before it.
    spans: Vec<(Span, Vec<Inline>)>,
    /// A heading is being read: its level in the body (1 to 6).
    heading: Option<usize>,
    raw: Option<Raw>,
    table: Option<TableBuild>,
    /// The plain text of the opening heading, when the text opens with one.
    first_heading: Option<String>,
}

impl Builder {
    /// Where the next block goes.
    fn blocks(&mut self) -> &mut Vec<Block> {
        match self.open.last_mut() {
            Some(Open::Quote(b) | Open::Item(b)) => b,
            // a list holds only items; a block there belongs to its last
            Some(Open::List { items, .. }) => {
                if items.is_empty() {
                    items.push(Vec::new());
                }
                match items.last_mut() {
                    Some(b) => b,
                    None => &mut self.top,
                }
            }
            None => &mut self.top,
        }
    }

    fn push(&mut self, block: Block) {
        self.blocks().push(block);
    }

    /// Closes the open spans (the text ends), keeping their text.
    fn close_spans(&mut self) {
        while !self.spans.is_empty() {
            self.end_span();
        }
    }

    fn take_inline(&mut self) -> Vec<Inline> {
        self.close_spans();
        std::mem::take(&mut self.inline)
    }

    /// Writes the inline text read so far as a paragraph.
    fn flush(&mut self) {
        let inline = self.take_inline();
        if !is_blank(&inline) {
            self.push(Block::Paragraph(trim_breaks(inline)));
        }
    }

    /// A paragraph of lines of plain text, each on a line of its own.
    fn lines(&mut self, lines: &[String]) {
        let mut inline = Vec::new();
        for l in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
            if !inline.is_empty() {
                inline.push(Inline::Break);
            }
            inline.push(Inline::Text(l.to_string()));
        }
        if !inline.is_empty() {
            self.push(Block::Paragraph(inline));
        }
    }

    fn text(&mut self, s: &str) {
        if let Some(Inline::Text(t)) = self.inline.last_mut() {
            t.push_str(s);
        } else {
            self.inline.push(Inline::Text(s.to_string()));
        }
    }

    fn start_span(&mut self, span: Span) {
        let before = std::mem::take(&mut self.inline);
        self.spans.push((span, before));
    }

    fn end_span(&mut self) {
        let Some((span, before)) = self.spans.pop() else {
            return;
        };
        let content = std::mem::replace(&mut self.inline, before);
        match span {
            Span::Emphasis => self.inline.push(Inline::Emphasis(content)),
            Span::Strong => self.inline.push(Inline::Strong(content)),
            Span::Strikethrough => self.inline.push(Inline::Strikethrough(content)),
            Span::Link(url) => {
                let content = if is_blank(&content) {
                    // no text: the address is the text
                    vec![Inline::Text(url.clone())]
                } else {
                    content
                };
                self.inline.push(Inline::Link { url, content });
            }
            Span::Text => {
                for i in content {
                    self.push_inline(i);
                }
            }
            Span::Image => {
                self.text("[image: ");
                for i in content {
                    self.push_inline(i);
                }
                self.text("]");
            }
        }
    }

    fn push_inline(&mut self, i: Inline) {
        match i {
            Inline::Text(t) => self.text(&t),
            other => self.inline.push(other),
        }
    }

    fn event(&mut self, event: Event<'_>) {
        if self.raw.is_some() {
            match &event {
                Event::Text(t) | Event::Html(t) => {
                    if let Some(Raw::Fenced { text, .. } | Raw::Indented(text) | Raw::Html(text)) =
                        &mut self.raw
                    {
                        text.push_str(t);
                    }
                    return;
                }
                Event::End(TagEnd::CodeBlock | TagEnd::HtmlBlock) => {}
                _ => return,
            }
        }
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            // a heading's or a table cell's code is kept as code
            Event::Code(t) if self.table.is_some() => self.text(&t),
            Event::Code(t) => {
                let code: String = t.chars().map(|c| if c == '\n' { ' ' } else { c }).collect();
                if code.trim().is_empty() {
                    self.text(&code);
                } else {
                    self.inline.push(Inline::Code(code));
                }
            }
            // raw HTML is text, shown as written
            Event::InlineHtml(t) | Event::Html(t) => self.text(&t),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.text(&t),
            Event::FootnoteReference(t) => self.text(&format!("[{t}]")),
            Event::SoftBreak => self.text(" "),
            Event::HardBreak => {
                if self.heading.is_some() || self.table.is_some() {
                    self.text(" ");
                } else {
                    self.inline.push(Inline::Break);
                }
            }
            Event::Rule => {
                self.flush();
                self.push(Block::Rule);
            }
            Event::TaskListMarker(done) => self.text(if done { "[x] " } else { "[ ] " }),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                self.flush();
                // a paragraph of its own in an item: the list is loose
                if matches!(self.open.last(), Some(Open::Item(_)))
                    && let Some(Open::List { loose, .. }) = self
                        .open
                        .len()
                        .checked_sub(2)
                        .and_then(|i| self.open.get_mut(i))
                {
                    *loose = true;
                }
            }
            Tag::Table(aligns) => {
                self.flush();
                self.table = Some(TableBuild {
                    aligns,
                    rows: Vec::new(),
                    row: Vec::new(),
                });
            }
            Tag::TableCell => {
                self.take_inline();
            }
            Tag::Heading { level, .. } => {
                self.flush();
                self.heading = Some(heading_number(level));
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.open.push(Open::Quote(Vec::new()));
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                self.raw = Some(match kind {
                    CodeBlockKind::Fenced(info) => Raw::Fenced {
                        lang: safe_language(&info),
                        text: String::new(),
                    },
                    CodeBlockKind::Indented => Raw::Indented(String::new()),
                });
            }
            Tag::HtmlBlock => {
                self.flush();
                self.raw = Some(Raw::Html(String::new()));
            }
            Tag::List(start) => {
                self.flush();
                self.open.push(Open::List {
                    start,
                    loose: false,
                    items: Vec::new(),
                });
            }
            Tag::Item => {
                self.flush();
                self.open.push(Open::Item(Vec::new()));
            }
            Tag::Emphasis => self.start_span(Span::Emphasis),
            Tag::Strong => self.start_span(Span::Strong),
            Tag::Strikethrough => self.start_span(Span::Strikethrough),
            Tag::Link { dest_url, .. } => {
                let span = match safe_url(&dest_url) {
                    Some(url) if self.heading.is_none() => Span::Link(url),
                    _ => Span::Text,
                };
                self.start_span(span);
            }
            Tag::Image { .. } => self.start_span(Span::Image),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.flush(),
            TagEnd::TableCell => {
                let cell = self.take_inline();
                if let Some(t) = &mut self.table {
                    t.row.push(cell);
                }
            }
            TagEnd::TableHead | TagEnd::TableRow => {
                self.take_inline();
                if let Some(t) = &mut self.table {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take()
                    && !t.rows.is_empty()
                {
                    self.push(Block::Table {
                        aligns: t.aligns,
                        rows: t.rows,
                    });
                }
            }
            TagEnd::Heading(_) => {
                let level = self.heading.take().unwrap_or(1);
                let content = self.take_inline();
                if is_blank(&content) {
                    return;
                }
                if self.top.is_empty() && self.open.is_empty() {
                    self.first_heading = Some(plain_text(&content));
                }
                self.push(Block::Heading {
                    level: (CASE_LEVEL + level).min(MAX_LEVEL),
                    content,
                });
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                if let Some(Open::Quote(blocks)) = self.open.pop() {
                    self.push(Block::Quote(blocks));
                }
            }
            TagEnd::CodeBlock | TagEnd::HtmlBlock => match self.raw.take() {
                Some(Raw::Fenced { lang, text }) => {
                    let text = text.trim_end_matches('\n').to_string();
                    self.push(Block::Code { lang, text });
                }
                Some(Raw::Indented(text)) => {
                    // in a submission, nearly always an indented paragraph
                    for para in text.split("\n\n") {
                        self.text(&para.split_whitespace().collect::<Vec<_>>().join(" "));
                        self.flush();
                    }
                }
                Some(Raw::Html(text)) => {
                    let lines: Vec<String> = text.lines().map(clean_line).collect();
                    self.lines(&lines);
                }
                None => {}
            },
            TagEnd::List(_) => {
                self.flush();
                if let Some(Open::List {
                    start,
                    loose,
                    items,
                }) = self.open.pop()
                {
                    self.push(Block::List {
                        start,
                        loose,
                        items,
                    });
                }
            }
            TagEnd::Item => {
                self.flush();
                if let Some(Open::Item(blocks)) = self.open.pop()
                    && let Some(Open::List { items, .. }) = self.open.last_mut()
                {
                    items.push(blocks);
                }
            }
            TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image => self.end_span(),
            _ => {}
        }
    }

    /// The blocks read, any container left open closed.
    fn finish(mut self) -> Vec<Block> {
        self.flush();
        while let Some(open) = self.open.pop() {
            let block = match open {
                Open::Quote(blocks) => Block::Quote(blocks),
                Open::List {
                    start,
                    loose,
                    items,
                } => Block::List {
                    start,
                    loose,
                    items,
                },
                Open::Item(blocks) => Block::List {
                    start: None,
                    loose: false,
                    items: vec![blocks],
                },
            };
            self.push(block);
        }
        self.top
    }
}

/// Whether inline text shows nothing (white space and breaks only).
fn is_blank(inline: &[Inline]) -> bool {
    inline.iter().all(|i| match i {
        Inline::Text(t) => t.trim().is_empty(),
        Inline::Break => true,
        Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => is_blank(c),
        Inline::Code(_) | Inline::Link { .. } => false,
    })
}

/// Inline text without breaks at its ends.
fn trim_breaks(mut inline: Vec<Inline>) -> Vec<Inline> {
    while matches!(inline.last(), Some(Inline::Break)) {
        inline.pop();
    }
    while matches!(inline.first(), Some(Inline::Break)) {
        inline.remove(0);
    }
    inline
}

/// The text inline content shows, without its marks.
pub(super) fn plain_text(inline: &[Inline]) -> String {
    let mut s = String::new();
    for i in inline {
        match i {
            Inline::Text(t) | Inline::Code(t) => s.push_str(t),
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strikethrough(c) => {
                s.push_str(&plain_text(c));
            }
            Inline::Link { content, .. } => s.push_str(&plain_text(content)),
            Inline::Break => s.push(' '),
        }
    }
    s
}

fn heading_number(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The first word of a fenced block's info string when it is a plain
/// language name; anything else (pandoc's `{=html}` raw blocks, attributes)
/// is dropped.
fn safe_language(info: &str) -> String {
    let word = info.split_whitespace().next().unwrap_or("");
    let plain = word.len() <= 30
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '+'))
        && word.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
    if plain {
        word.to_string()
    } else {
        String::new()
    }
}

/// A link's address when it is one the pack may print as a link (`http`,
/// `https`, `mailto`), with every character that could end or change a
/// Markdown link or an HTML attribute percent-encoded.
pub(super) fn safe_url(url: &str) -> Option<String> {
    let url = url.trim();
    let scheme = url.split_once(':')?.0.to_ascii_lowercase();
    if !matches!(scheme.as_str(), "http" | "https" | "mailto") {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_alphanumeric() || "-._~:/?#@!$&*+,;=%_".contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(md: &str) -> Vec<Block> {
        body_blocks(md, true, "")
    }

    fn text(s: &str) -> Inline {
        Inline::Text(s.to_string())
    }

    #[test]
    fn headings_never_skip_a_level() {
        let levels: Vec<usize> = blocks("### Deep\n\n##### Deeper\n\n# Top\n\n## Next")
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, .. } => Some(*level),
                _ => None,
            })
            .collect();
        assert_eq!(levels, [4, 5, 4, 5]);
    }

    #[test]
    fn the_opening_title_is_left_out_and_the_next_heading_moves_up() {
        let b = body_blocks(
            "# Growing together\n\n### Later\n\nText.",
            true,
            "Growing  together",
        );
        assert_eq!(
            b,
            [
                Block::Heading {
                    level: 4,
                    content: vec![text("Later")]
                },
                Block::Paragraph(vec![text("Text.")])
            ]
        );
    }

    #[test]
    fn lists_know_whether_they_are_loose() {
        let tight = blocks("- a\n- b");
        let loose = blocks("- a\n\n- b");
        assert!(matches!(
            tight.first(),
            Some(Block::List { loose: false, .. })
        ));
        assert!(matches!(
            loose.first(),
            Some(Block::List { loose: true, .. })
        ));
    }

    #[test]
    fn unsafe_things_become_text() {
        assert_eq!(
            blocks("[x](javascript:alert(1)) ![m](/etc/passwd) <b>b</b>"),
            [Block::Paragraph(vec![text("x [image: m] <b>b</b>")])]
        );
        assert_eq!(
            blocks("[a](https://x.org/a b)"),
            [Block::Paragraph(vec![text("[a](https://x.org/a b)")])]
        );
        assert_eq!(
            blocks("[a](<https://x.org/a b>)"),
            [Block::Paragraph(vec![Inline::Link {
                url: "https://x.org/a%20b".into(),
                content: vec![text("a")]
            }])]
        );
    }

    #[test]
    fn ids_are_safe_and_unique() {
        let mut ids = Ids::default();
        assert_eq!(
            ids.make("case", "Growing together: \"Allotments\""),
            "case-growing-together-allotments"
        );
        assert_eq!(
            ids.make("case", "Growing together — allotments"),
            "case-growing-together-allotments-2"
        );
        assert_eq!(ids.make("case", "<script>\"'&"), "case-script");
        assert_eq!(
            ids.make("case", "Ysgolion Cymraeg ŵ"),
            "case-ysgolion-cymraeg"
        );
        assert_eq!(ids.make("case", "ŵŵ"), "case");
        assert_eq!(ids.make("case", "ŵ"), "case-2");
    }
}
