//! The printed Case Studies Pack as an editable Word document (`.docx`).
//!
//! Written as Office Open XML parts in a zip, with Word's built-in style
//! names throughout so that a designer restyles the pack from the Styles
//! pane instead of paragraph by paragraph: `Title` and `Subtitle` on the
//! title page, `TOC Heading` and a real table-of-contents field (`TOC \o
//! "1-2"`, marked dirty and with `w:updateFields` in the settings, so that
//! Word offers to fill in its page numbers on opening; the headings are
//! written into it already, for programs that do not update fields),
//! `Heading 1` per primary category and `Heading 2` per case study (each on
//! a new page: the styles' "page break before", left off where a case study
//! opens its category), `No Spacing` for the fields, `Heading 3` to
//! `Heading 5` for the text's own headings, `List Bullet` and `List Number`
//! with real Word numbering (each numbered list restarting at its own
//! first number), `Quote`, `HTML Preformatted`, `Hyperlink`, and tables in
//! `Table Grid` with a repeated head row that never splits across pages.
//!
//! The parts are written by hand rather than through a docx crate:
//! docx-rs, the usual one, brings its own older zip and quick-xml beside
//! the ones casetag already has and cannot write `w:updateFields`; what the
//! pack needs is a few hundred lines of XML templates. Text is escaped by
//! quick-xml; control, bidi and zero-width characters are already removed
//! ([`super::pack_doc`]) and characters XML cannot hold are dropped here.
//! The zip's entries carry a fixed date, so the same pack gives the same
//! bytes.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write as _};

use pulldown_cmark::Alignment;

use super::pack_doc::{
    Block, CaseDoc, Inline, Outline, PACK_TITLE, PackSink, Section, held_text, walk,
};
use super::{CaseStudy, PackText};
use crate::sanitize::is_unsafe;
use crate::taxonomy::Taxonomy;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R_NS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Word's deepest list level.
const MAX_LIST_DEPTH: usize = 8;

/// The pack of `entries` as the bytes of a `.docx` file.
pub fn to_docx(entries: &[CaseStudy], taxonomy: &Taxonomy, text: PackText) -> io::Result<Vec<u8>> {
    docx_with(entries, taxonomy, text, &mut held_text(entries))
}

/// [`to_docx`] with each text read when its turn comes, as
/// [`super::pack_into`] does (the document itself is held in memory).
pub fn docx_with<'b>(
    entries: &[CaseStudy],
    taxonomy: &Taxonomy,
    text: PackText,
    body: &mut dyn FnMut(usize) -> io::Result<Cow<'b, str>>,
) -> io::Result<Vec<u8>> {
    let mut d = Docx::default();
    walk(entries, taxonomy, text, body, &mut d)?;
    d.package()
}

#[derive(Default)]
struct Docx {
    /// The body's paragraphs and tables, one a line.
    body: String,
    /// The hyperlinks' addresses; link `i` is relationship `rIdLink{i+1}`.
    links: Vec<String>,
    /// The first number of each numbered list; list `i` is numbering
    /// instance `i + 2` (1 is every bulleted list).
    numbered: Vec<(usize, u64)>,
}

/// Where a block is: in how many lists, in a quote.
#[derive(Clone, Copy, Default)]
struct Ctx {
    /// The depth of the list the block is an item of, `None` outside lists.
    list: Option<usize>,
    quote: bool,
}

impl PackSink for Docx {
    fn begin(&mut self, outline: &Outline) -> io::Result<()> {
        self.para("Title", "", &runs_text(PACK_TITLE));
        self.para("Subtitle", "", &runs_text(&outline.intro));
        if outline.sections.is_empty() {
            return Ok(());
        }
        self.para("TOCHeading", "", &runs_text("Contents"));
        // The contents field, with the headings written in as its result
        // (without page numbers, which only Word knows): Word fills it in
        // on opening (w:dirty and the settings' updateFields).
        let field_start = "<w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\"/></w:r>\
             <w:r><w:instrText xml:space=\"preserve\"> TOC \\o &quot;1-2&quot; \\h \\z \\u </w:instrText></w:r>\
             <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>";
        let entries: Vec<(&str, &str)> = outline
            .sections
            .iter()
            .flat_map(|s| {
                std::iter::once(("TOC1", s.heading.as_str()))
                    .chain(s.cases.iter().map(|c| ("TOC2", c.title.as_str())))
            })
            .collect();
        let last = entries.len().saturating_sub(1);
        for (i, (style, text)) in entries.into_iter().enumerate() {
            let mut runs = String::new();
            if i == 0 {
                runs.push_str(field_start);
            }
            runs.push_str(&runs_text(text));
            if i == last {
                runs.push_str("<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>");
            }
            self.para(style, "", &runs);
        }
        Ok(())
    }

    fn section(&mut self, section: &Section) -> io::Result<()> {
        self.para("Heading1", "", &runs_text(&section.heading));
        Ok(())
    }

    fn case(&mut self, case: &CaseDoc<'_>) -> io::Result<()> {
        // a category's first case study shares the category's page
        let props = if case.first_in_section {
            "<w:pageBreakBefore w:val=\"0\"/>"
        } else {
            ""
        };
        self.para("Heading2", props, &runs_text(case.title));
        let last = case.fields.len().saturating_sub(1);
        for (i, (name, value)) in case.fields.iter().enumerate() {
            let runs = format!(
                "<w:r><w:rPr><w:b/></w:rPr><w:t xml:space=\"preserve\">{}: </w:t></w:r>{}",
                xml(name),
                runs_text(value)
            );
            // the text stands apart from the fields
            let props = if i == last {
                "<w:spacing w:after=\"240\"/>"
            } else {
                ""
            };
            self.para("NoSpacing", props, &runs);
        }
        self.blocks(&case.text, Ctx::default());
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Docx {
    /// One paragraph: its style (empty: Normal), more paragraph properties
    /// (in schema order after the style), its runs.
    fn para(&mut self, style: &str, props: &str, runs: &str) {
        self.body.push_str("<w:p>");
        if !style.is_empty() || !props.is_empty() {
            self.body.push_str("<w:pPr>");
            if !style.is_empty() {
                let _ = write!(self.body, "<w:pStyle w:val=\"{style}\"/>");
            }
            self.body.push_str(props);
            self.body.push_str("</w:pPr>");
        }
        self.body.push_str(runs);
        self.body.push_str("</w:p>\n");
    }

    fn blocks(&mut self, blocks: &[Block], ctx: Ctx) {
        for b in blocks {
            self.block(b, ctx);
        }
    }

    /// The style of a paragraph of text where `ctx` says.
    fn text_style(ctx: Ctx) -> String {
        match ctx.list {
            Some(d) => numbered_style("ListContinue", d),
            None if ctx.quote => "Quote".to_string(),
            None => String::new(),
        }
    }

    fn block(&mut self, b: &Block, ctx: Ctx) {
        match b {
            Block::Heading { level, content } => {
                let style = format!("Heading{}", level.saturating_sub(1).clamp(3, 9));
                let runs = self.runs(content, Marks::default());
                self.para(&style, "", &runs);
            }
            Block::Paragraph(content) => {
                let runs = self.runs(content, Marks::default());
                self.para(&Self::text_style(ctx), "", &runs);
            }
            Block::List { start, items, .. } => {
                let depth = ctx.list.map_or(0, |d| (d + 1).min(MAX_LIST_DEPTH));
                let (style, num) = match start {
                    None => ("ListBullet", 1),
                    Some(n) => {
                        self.numbered.push((depth, *n));
                        ("ListNumber", self.numbered.len() + 1)
                    }
                };
                let style = numbered_style(style, depth);
                let num_pr =
                    format!("<w:numPr><w:ilvl w:val=\"{depth}\"/><w:numId w:val=\"{num}\"/></w:numPr>");
                let inner = Ctx {
                    list: Some(depth),
                    quote: ctx.quote,
                };
                for item in items {
                    let mut rest = item.as_slice();
                    // the item's number goes on its first paragraph
                    match rest.first() {
                        Some(Block::Paragraph(content)) => {
                            let runs = self.runs(content, Marks::default());
                            self.para(&style, &num_pr, &runs);
                            rest = rest.get(1..).unwrap_or_default();
                        }
                        _ => self.para(&style, &num_pr, ""),
                    }
                    self.blocks(rest, inner);
                }
            }
            Block::Quote(inner) => self.blocks(
                inner,
                Ctx {
                    list: ctx.list,
                    quote: true,
                },
            ),
            Block::Code { text, .. } => {
                let mut runs = String::new();
                for (i, line) in text.split('\n').enumerate() {
                    if i > 0 {
                        runs.push_str("<w:r><w:br/></w:r>");
                    }
                    runs.push_str(&runs_text(line));
                }
                self.para("HTMLPreformatted", "", &runs);
            }
            Block::Rule => self.para(
                "",
                "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"6\" w:space=\"1\" w:color=\"auto\"/></w:pBdr>",
                "",
            ),
            Block::Table { aligns, rows } => self.table(aligns, rows),
        }
    }

    fn table(&mut self, aligns: &[Alignment], rows: &[Vec<Vec<Inline>>]) {
        let cols = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
        // the text width of an A4 page with 2 cm margins, in twentieths of
        // a point, shared out
        let width = 9638 / cols;
        let mut o = String::from(
            "<w:tbl><w:tblPr><w:tblStyle w:val=\"TableGrid\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/>\
             <w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"1\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/>\
             </w:tblPr><w:tblGrid>",
        );
        for _ in 0..cols {
            let _ = write!(o, "<w:gridCol w:w=\"{width}\"/>");
        }
        o.push_str("</w:tblGrid>\n");
        for (r, row) in rows.iter().enumerate() {
            let head = r == 0;
            o.push_str("<w:tr><w:trPr><w:cantSplit/>");
            if head {
                o.push_str("<w:tblHeader/>");
            }
            o.push_str("</w:trPr>");
            for c in 0..cols {
                let jc = match aligns.get(c) {
                    Some(Alignment::Center) => "<w:jc w:val=\"center\"/>",
                    Some(Alignment::Right) => "<w:jc w:val=\"right\"/>",
                    _ => "",
                };
                let marks = Marks {
                    strong: head,
                    ..Marks::default()
                };
                let runs = match row.get(c) {
                    Some(cell) => self.runs(cell, marks),
                    None => String::new(),
                };
                let _ = write!(
                    o,
                    "<w:tc><w:tcPr><w:tcW w:w=\"{width}\" w:type=\"dxa\"/></w:tcPr><w:p>"
                );
                if !jc.is_empty() {
                    let _ = write!(o, "<w:pPr>{jc}</w:pPr>");
                }
                let _ = write!(o, "{runs}</w:p></w:tc>");
            }
            o.push_str("</w:tr>\n");
        }
        o.push_str("</w:tbl>\n");
        self.body.push_str(&o);
        // Word wants a paragraph between a table and what follows
        self.para("", "", "");
    }

    /// Inline text as runs, each with its marks.
    fn runs(&mut self, content: &[Inline], marks: Marks) -> String {
        let mut o = String::new();
        for i in content {
            match i {
                Inline::Text(t) => o.push_str(&run(t, marks)),
                Inline::Emphasis(c) => {
                    let r = self.runs(c, Marks { em: true, ..marks });
                    o.push_str(&r);
                }
                Inline::Strong(c) => {
                    let r = self.runs(
                        c,
                        Marks {
                            strong: true,
                            ..marks
                        },
                    );
                    o.push_str(&r);
                }
                Inline::Strikethrough(c) => {
                    let r = self.runs(
                        c,
                        Marks {
                            strike: true,
                            ..marks
                        },
                    );
                    o.push_str(&r);
                }
                Inline::Code(t) => o.push_str(&run(
                    t,
                    Marks {
                        style: Some("HTMLCode"),
                        ..marks
                    },
                )),
                Inline::Link { url, content } => {
                    self.links.push(url.clone());
                    let id = self.links.len();
                    let r = self.runs(
                        content,
                        Marks {
                            style: Some("Hyperlink"),
                            ..marks
                        },
                    );
                    let _ = write!(
                        o,
                        "<w:hyperlink r:id=\"rIdLink{id}\" w:history=\"1\">{r}</w:hyperlink>"
                    );
                }
                Inline::Break => o.push_str("<w:r><w:br/></w:r>"),
            }
        }
        o
    }

    fn document_xml(&self) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <w:document xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\">\n<w:body>\n{}\
             <w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>\
             <w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
             <w:pgMar w:top=\"1134\" w:right=\"1134\" w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>\
             </w:sectPr>\n</w:body>\n</w:document>\n",
            self.body
        )
    }

    fn document_rels(&self) -> String {
        let mut o = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
             <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\n",
        );
        for (id, kind, target) in [
            ("rIdStyles", "styles", "styles.xml"),
            ("rIdNumbering", "numbering", "numbering.xml"),
            ("rIdSettings", "settings", "settings.xml"),
            ("rIdFooter", "footer", "footer1.xml"),
        ] {
            let _ = writeln!(
                o,
                "<Relationship Id=\"{id}\" Type=\"{REL}/{kind}\" Target=\"{target}\"/>"
            );
        }
        for (i, url) in self.links.iter().enumerate() {
            let _ = writeln!(
                o,
                "<Relationship Id=\"rIdLink{}\" Type=\"{REL}/hyperlink\" Target=\"{}\" TargetMode=\"External\"/>",
                i + 1,
                xml(url)
            );
        }
        o.push_str("</Relationships>\n");
        o
    }

    fn numbering_xml(&self) -> String {
        let mut o = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering xmlns:w=\"{W_NS}\">\n"
        );
        for (id, bullets) in [(0, true), (1, false)] {
            let _ = write!(
                o,
                "<w:abstractNum w:abstractNumId=\"{id}\"><w:multiLevelType w:val=\"hybridMultilevel\"/>"
            );
            for lvl in 0..=MAX_LIST_DEPTH {
                let (fmt, text) = if bullets {
                    ("bullet", ["•", "◦", "▪"][lvl % 3].to_string())
                } else {
                    (
                        ["decimal", "lowerLetter", "lowerRoman"][lvl % 3],
                        format!("%{}.", lvl + 1),
                    )
                };
                let _ = write!(
                    o,
                    "<w:lvl w:ilvl=\"{lvl}\"><w:start w:val=\"1\"/><w:numFmt w:val=\"{fmt}\"/>\
                     <w:lvlText w:val=\"{text}\"/><w:lvlJc w:val=\"left\"/>\
                     <w:pPr><w:ind w:left=\"{}\" w:hanging=\"360\"/></w:pPr></w:lvl>",
                    360 * (lvl + 2)
                );
            }
            o.push_str("</w:abstractNum>\n");
        }
        o.push_str("<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>\n");
        for (i, (depth, start)) in self.numbered.iter().enumerate() {
            let _ = writeln!(
                o,
                "<w:num w:numId=\"{}\"><w:abstractNumId w:val=\"1\"/>\
                 <w:lvlOverride w:ilvl=\"{depth}\"><w:startOverride w:val=\"{start}\"/></w:lvlOverride></w:num>",
                i + 2
            );
        }
        o.push_str("</w:numbering>\n");
        o
    }

    /// The zip of all the parts.
    fn package(&self) -> io::Result<Vec<u8>> {
        let parts: [(&str, Cow<'_, str>); 10] = [
            ("[Content_Types].xml", Cow::Borrowed(CONTENT_TYPES)),
            ("_rels/.rels", Cow::Borrowed(PACKAGE_RELS)),
            ("docProps/core.xml", Cow::Owned(core_xml())),
            ("docProps/app.xml", Cow::Owned(app_xml())),
            ("word/document.xml", Cow::Owned(self.document_xml())),
            (
                "word/_rels/document.xml.rels",
                Cow::Owned(self.document_rels()),
            ),
            ("word/styles.xml", Cow::Owned(styles_xml())),
            ("word/numbering.xml", Cow::Owned(self.numbering_xml())),
            ("word/settings.xml", Cow::Owned(settings_xml())),
            ("word/footer1.xml", Cow::Owned(footer_xml())),
        ];
        let mut w = zip::ZipWriter::new(io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .last_modified_time(zip::DateTime::default());
        for (name, text) in parts {
            w.start_file(name, options).map_err(io::Error::other)?;
            w.write_all(text.as_bytes())?;
        }
        Ok(w.finish().map_err(io::Error::other)?.into_inner())
    }
}

/// A run's character formatting.
#[derive(Clone, Copy, Default)]
struct Marks {
    /// A character style: `Hyperlink`, `HTMLCode`.
    style: Option<&'static str>,
    strong: bool,
    em: bool,
    strike: bool,
}

/// One run of text, its properties in the schema's order.
fn run(text: &str, m: Marks) -> String {
    if text.is_empty() {
        return String::new();
    }
    let mut props = String::new();
    if let Some(s) = m.style {
        let _ = write!(props, "<w:rStyle w:val=\"{s}\"/>");
    }
    if m.strong {
        props.push_str("<w:b/>");
    }
    if m.em {
        props.push_str("<w:i/>");
    }
    if m.strike {
        props.push_str("<w:strike/>");
    }
    let props = if props.is_empty() {
        props
    } else {
        format!("<w:rPr>{props}</w:rPr>")
    };
    format!(
        "<w:r>{props}<w:t xml:space=\"preserve\">{}</w:t></w:r>",
        xml(text)
    )
}

fn runs_text(text: &str) -> String {
    run(text, Marks::default())
}

/// `ListBullet`, `ListBullet2` ... `ListBullet5`: Word's built-in list
/// styles by depth (deeper lists keep the fifth).
fn numbered_style(base: &str, depth: usize) -> String {
    match depth {
        0 => base.to_string(),
        d => format!("{base}{}", (d + 1).min(5)),
    }
}

/// Text for XML: escaped, and without the characters XML 1.0 cannot hold
/// (controls, the non-characters U+FFFE and U+FFFF) or the sanitiser
/// removes.
fn xml(s: &str) -> Cow<'_, str> {
    let bad = |c: char| (is_unsafe(c) && c != '\t') || matches!(c, '\u{FFFE}' | '\u{FFFF}');
    if s.chars().any(bad) {
        let kept: String = s.chars().filter(|&c| !bad(c)).collect();
        Cow::Owned(quick_xml::escape::escape(kept.as_str()).into_owned())
    } else {
        quick_xml::escape::escape(s)
    }
}

const CONTENT_TYPES: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>\n";

const PACKAGE_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>\n";

fn core_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
         <dc:title>{}</dc:title><dc:creator>casetag</dc:creator><dc:language>en-GB</dc:language>\
         </cp:coreProperties>\n",
        xml(PACK_TITLE)
    )
}

fn app_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\">\
         <Application>casetag {}</Application></Properties>\n",
        env!("CARGO_PKG_VERSION")
    )
}

fn settings_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:settings xmlns:w=\"{W_NS}\">\
         <w:defaultTabStop w:val=\"720\"/>\
         <w:characterSpacingControl w:val=\"doNotCompress\"/>\
         <w:updateFields w:val=\"true\"/>\
         <w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
         </w:settings>\n"
    )
}

fn footer_xml() -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
         <w:ftr xmlns:w=\"{W_NS}\" xmlns:r=\"{R_NS}\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"center\"/></w:pPr>\
         <w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
         <w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType=\"end\"/></w:r>\
         </w:p></w:ftr>\n"
    )
}

/// Word's built-in styles the pack uses, with their built-in names (so
/// Word treats them as its own) and a plain look to start from.
fn styles_xml() -> String {
    let mut o = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"{W_NS}\">\n\
         <w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Calibri\" w:hAnsi=\"Calibri\" w:eastAsia=\"Calibri\" w:cs=\"Calibri\"/>\
         <w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/><w:lang w:val=\"en-GB\"/></w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:spacing w:after=\"160\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>\n"
    );
    let mut style = |kind: &str, id: &str, name: &str, extra: &str, ppr: &str, rpr: &str| {
        let default = if matches!(id, "Normal" | "DefaultParagraphFont" | "TableNormal") {
            " w:default=\"1\""
        } else {
            ""
        };
        let _ = write!(
            o,
            "<w:style w:type=\"{kind}\"{default} w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>{extra}"
        );
        if !ppr.is_empty() {
            let _ = write!(o, "<w:pPr>{ppr}</w:pPr>");
        }
        if !rpr.is_empty() {
            let _ = write!(o, "<w:rPr>{rpr}</w:rPr>");
        }
        o.push_str("</w:style>\n");
    };
    const GREEN: &str = "2A5D34";
    style("paragraph", "Normal", "Normal", "<w:qFormat/>", "", "");
    style(
        "character",
        "DefaultParagraphFont",
        "Default Paragraph Font",
        "<w:uiPriority w:val=\"1\"/><w:semiHidden/>",
        "",
        "",
    );
    style(
        "table",
        "TableNormal",
        "Normal Table",
        "<w:uiPriority w:val=\"99\"/><w:semiHidden/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>\
         <w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>",
        "",
        "",
    );
    style(
        "paragraph",
        "Title",
        "Title",
        "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Subtitle\"/><w:qFormat/>",
        "<w:spacing w:before=\"2400\" w:after=\"240\"/><w:contextualSpacing/>",
        &format!("<w:color w:val=\"{GREEN}\"/><w:sz w:val=\"56\"/><w:szCs w:val=\"56\"/>"),
    );
    style(
        "paragraph",
        "Subtitle",
        "Subtitle",
        "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>",
        "",
        "<w:color w:val=\"595959\"/><w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/>",
    );
    let sizes = [36, 30, 26, 24, 22, 22, 22, 22, 22];
    for (i, size) in sizes.iter().enumerate() {
        let n = i + 1;
        let page = if n <= 2 { "<w:pageBreakBefore/>" } else { "" };
        style(
            "paragraph",
            &format!("Heading{n}"),
            &format!("heading {n}"),
            "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"9\"/><w:qFormat/>",
            &format!(
                "<w:keepNext/><w:keepLines/>{page}<w:spacing w:before=\"240\" w:after=\"120\"/><w:outlineLvl w:val=\"{i}\"/>"
            ),
            &format!(
                "<w:b/><w:color w:val=\"{GREEN}\"/><w:sz w:val=\"{size}\"/><w:szCs w:val=\"{size}\"/>"
            ),
        );
    }
    style(
        "paragraph",
        "TOCHeading",
        "TOC Heading",
        "<w:basedOn w:val=\"Heading1\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"39\"/><w:qFormat/>",
        "<w:outlineLvl w:val=\"9\"/>",
        "",
    );
    style(
        "paragraph",
        "TOC1",
        "toc 1",
        "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"39\"/>",
        "<w:spacing w:before=\"120\" w:after=\"60\"/>",
        "<w:b/>",
    );
    style(
        "paragraph",
        "TOC2",
        "toc 2",
        "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"39\"/>",
        "<w:spacing w:after=\"60\"/><w:ind w:left=\"220\"/>",
        "",
    );
    style(
        "paragraph",
        "NoSpacing",
        "No Spacing",
        "<w:uiPriority w:val=\"1\"/><w:qFormat/>",
        "<w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>",
        "",
    );
    for base in ["ListBullet", "ListNumber", "ListContinue"] {
        let name = match base {
            "ListBullet" => "List Bullet",
            "ListNumber" => "List Number",
            _ => "List Continue",
        };
        for n in 1..=5 {
            let (id, nm) = if n == 1 {
                (base.to_string(), name.to_string())
            } else {
                (format!("{base}{n}"), format!("{name} {n}"))
            };
            let ind = if base == "ListContinue" {
                format!("<w:ind w:left=\"{}\"/>", 360 * (n + 1))
            } else {
                String::new()
            };
            style(
                "paragraph",
                &id,
                &nm,
                "<w:basedOn w:val=\"Normal\"/><w:uiPriority w:val=\"99\"/>",
                &format!("<w:spacing w:after=\"80\"/>{ind}"),
                "",
            );
        }
    }
    style(
        "paragraph",
        "Quote",
        "Quote",
        "<w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:uiPriority w:val=\"29\"/><w:qFormat/>",
        "<w:ind w:left=\"720\" w:right=\"720\"/>",
        "<w:i/><w:color w:val=\"404040\"/>",
    );
    style(
        "paragraph",
        "HTMLPreformatted",
        "HTML Preformatted",
        "<w:basedOn w:val=\"Normal\"/><w:uiPriority w:val=\"99\"/>",
        "<w:spacing w:after=\"160\" w:line=\"240\" w:lineRule=\"auto\"/>",
        "<w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\" w:cs=\"Courier New\"/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>",
    );
    style(
        "character",
        "HTMLCode",
        "HTML Code",
        "<w:basedOn w:val=\"DefaultParagraphFont\"/><w:uiPriority w:val=\"99\"/>",
        "",
        "<w:rFonts w:ascii=\"Courier New\" w:hAnsi=\"Courier New\" w:cs=\"Courier New\"/><w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>",
    );
    style(
        "character",
        "Hyperlink",
        "Hyperlink",
        "<w:basedOn w:val=\"DefaultParagraphFont\"/><w:uiPriority w:val=\"99\"/>",
        "",
        "<w:color w:val=\"0563C1\"/><w:u w:val=\"single\"/>",
    );
    style(
        "paragraph",
        "Footer",
        "footer",
        "<w:basedOn w:val=\"Normal\"/><w:uiPriority w:val=\"99\"/>",
        "<w:spacing w:after=\"0\"/>",
        "<w:sz w:val=\"18\"/>",
    );
    style(
        "table",
        "TableGrid",
        "Table Grid",
        // a table style's paragraph properties come before its table's
        "<w:basedOn w:val=\"TableNormal\"/><w:uiPriority w:val=\"39\"/>\
         <w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr><w:tblPr><w:tblBorders>\
         <w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>\
         <w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>\
         <w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>\
         <w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>\
         <w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>\
         <w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>\
         </w:tblBorders></w:tblPr>",
        "",
        "",
    );
    o.push_str("</w:styles>\n");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_text_is_escaped_and_holds_only_what_xml_may() {
        assert_eq!(xml("<w:t>&\"'"), "&lt;w:t&gt;&amp;&quot;&apos;");
        assert_eq!(xml("a\u{1}b\u{FFFF}c\u{202e}d"), "abcd");
    }

    #[test]
    fn every_part_is_well_formed_xml_in_a_zip_word_opens() {
        let mut d = Docx::default();
        d.blocks(
            &[
                Block::Paragraph(vec![Inline::Link {
                    url: "https://x.org/?a=1&b=2".into(),
                    content: vec![Inline::Text("<x>".into())],
                }]),
                Block::Table {
                    aligns: vec![Alignment::Center],
                    rows: vec![vec![vec![Inline::Text("a".into())]], vec![]],
                },
            ],
            Ctx::default(),
        );
        let bytes = d.package().expect("zip");
        let mut zip = zip::ZipArchive::new(io::Cursor::new(bytes)).expect("a zip");
        let mut names: Vec<String> = (0..zip.len())
            .map(|i| {
                zip.by_index(i)
                    .expect("entry")
                    .name()
                    .expect("name")
                    .to_string()
            })
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "[Content_Types].xml",
                "_rels/.rels",
                "docProps/app.xml",
                "docProps/core.xml",
                "word/_rels/document.xml.rels",
                "word/document.xml",
                "word/footer1.xml",
                "word/numbering.xml",
                "word/settings.xml",
                "word/styles.xml"
            ]
        );
        for name in &names {
            let mut text = String::new();
            io::Read::read_to_string(&mut zip.by_name(name).expect("part"), &mut text)
                .expect("UTF-8");
            let mut reader = quick_xml::Reader::from_str(&text);
            let mut depth = 0i32;
            loop {
                match reader.read_event() {
                    Ok(quick_xml::events::Event::Start(_)) => depth += 1,
                    Ok(quick_xml::events::Event::End(_)) => depth -= 1,
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{name}: {e}"),
                }
            }
            assert_eq!(depth, 0, "{name}: every element closed");
        }
    }

    #[test]
    fn list_styles_follow_word_names_by_depth() {
        assert_eq!(numbered_style("ListBullet", 0), "ListBullet");
        assert_eq!(numbered_style("ListBullet", 1), "ListBullet2");
        assert_eq!(numbered_style("ListNumber", 7), "ListNumber5");
    }

    #[test]
    fn each_numbered_list_restarts_at_its_own_number() {
        let mut d = Docx::default();
        let list = |start| Block::List {
            start: Some(start),
            loose: false,
            items: vec![vec![Block::Paragraph(vec![Inline::Text("x".into())])]],
        };
        d.blocks(&[list(1), list(4)], Ctx::default());
        let numbering = d.numbering_xml();
        assert!(numbering.contains("<w:num w:numId=\"2\"><w:abstractNumId w:val=\"1\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"1\"/>"), "{numbering}");
        assert!(numbering.contains("<w:num w:numId=\"3\"><w:abstractNumId w:val=\"1\"/><w:lvlOverride w:ilvl=\"0\"><w:startOverride w:val=\"4\"/>"), "{numbering}");
        assert!(d.body.contains("<w:numId w:val=\"3\"/>"));
    }
}
