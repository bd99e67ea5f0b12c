//! A page's content read as a viewer draws it: runs of text placed on lines,
//! with its forms and annotations, against the file's budgets.

use super::*;

/// Whether a character is written right to left (Hebrew, Arabic).
pub(super) fn is_rtl(c: char) -> bool {
    matches!(c, '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// A line's text in the order it is read. A line is gathered in the order
/// its glyphs are drawn, left to right, so Hebrew or Arabic in it comes in
/// the reverse of its reading order: each stretch of right-to-left letters
/// (with the spaces and marks between them) is turned round.
pub(super) fn logical_order(text: String) -> String {
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
pub(super) fn is_rtl_neutral(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{200C}' | '\u{200D}')
}

pub(super) fn f32_from(n: usize) -> f32 {
    u16::try_from(n).map_or(f32::from(u16::MAX), f32::from)
}

/// A 2D affine matrix `[a b c d e f]` as PDF writes it.
pub(super) type Matrix = [f32; 6];
pub(super) const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n` (PDF's row-vector order).
pub(super) fn mul(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

pub(super) fn number(o: Option<&Object>) -> f32 {
    o.and_then(|o| o.as_float().ok())
        .filter(|f| f.is_finite())
        .unwrap_or(0.0)
}

pub(super) fn matrix(ops: &[Object]) -> Option<Matrix> {
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
pub(super) struct Line {
    pub(super) text: String,
    /// Baseline, in the page's space (up is larger).
    pub(super) y: f32,
    pub(super) x_start: f32,
    pub(super) x_end: f32,
    /// Type size on the page.
    pub(super) size: f32,
    pub(super) bold: bool,
}

/// The most Form XObjects drawn in a whole file (each is read again every
/// time it is drawn, against the same budgets as the pages).
pub(super) const MAX_FORMS: u64 = 10_000;
/// How deep one Form XObject may draw another.
pub(super) const MAX_FORM_DEPTH: usize = 12;

/// What is left of a file's budgets while its pages are read.
pub(super) struct Work {
    /// Bytes the pages' and forms' contents may still inflate to.
    pub(super) inflated: u64,
    /// Content operations still to be read.
    pub(super) ops: u64,
    /// Form XObjects still to be drawn.
    pub(super) forms: u64,
    pub(super) deadline: Deadline,
    /// Characters drawn in fonts whose codes cannot be decoded, and the
    /// character collection they belong to.
    pub(super) undecoded: usize,
    pub(super) collection: Option<String>,
    /// Whether a form was passed over at the depth or count limit.
    pub(super) forms_passed: bool,
}

/// A page's (or a form's) resources: its own dictionary, then those it
/// inherits, nearest first.
pub(super) type Resources<'a> = Vec<&'a Dictionary>;

/// The dictionary `o` is or refers to.
pub(super) fn dict_of<'a>(pdf: &'a Pdf, o: &'a Object) -> Option<&'a Dictionary> {
    match o {
        Object::Reference(id) => pdf.get_dictionary(*id).ok(),
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}

/// The object `o` is, or refers to (one reference deep).
pub(super) fn resolved<'a>(pdf: &'a Pdf, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => pdf.get_object(*id).unwrap_or(o),
        o => o,
    }
}

/// The resources of a page, its own first and then its ancestors'.
pub(super) fn page_resources(pdf: &Pdf, page_id: lopdf::ObjectId) -> Resources<'_> {
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
pub(super) fn inherited<'a>(
    pdf: &'a Pdf,
    page_id: lopdf::ObjectId,
    key: &[u8],
) -> Option<&'a Object> {
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
pub(super) fn visible_box(pdf: &Pdf, page_id: lopdf::ObjectId) -> Option<[f32; 4]> {
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
pub(super) fn fonts_of<'a>(
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
pub(super) fn stream_data(pdf: &Pdf, stream: &lopdf::Stream, limit: usize) -> Result<Vec<u8>, ()> {
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
pub(super) struct Reader<'p, 'a> {
    pub(super) pdf: &'a Pdf,
    pub(super) cache: &'p mut FontCache<'a>,
    pub(super) ctm: Matrix,
    pub(super) stack: Vec<Matrix>,
    pub(super) tm: Matrix,
    pub(super) tlm: Matrix,
    pub(super) leading: f32,
    pub(super) size: f32,
    /// Text rise (`Ts`), character and word spacing (`Tc`, `Tw`) and
    /// horizontal scaling (`Tz`, a fraction).
    pub(super) rise: f32,
    pub(super) char_spacing: f32,
    pub(super) word_spacing: f32,
    pub(super) scaling: f32,
    pub(super) font: Option<std::rc::Rc<Font<'a>>>,
    pub(super) fonts: HashMap<Vec<u8>, std::rc::Rc<Font<'a>>>,
    pub(super) resources: Resources<'a>,
    /// The part of the page shown, `[x0, y0, x1, y1]`: text drawn above or
    /// below it is not seen.
    pub(super) visible: Option<[f32; 4]>,
    /// The forms being drawn, outermost first (a form that draws itself
    /// is drawn once).
    pub(super) forms: Vec<lopdf::ObjectId>,
    pub(super) lines: Vec<Line>,
    /// Whether the next run continues the last one where it ended.
    pub(super) flowing: bool,
    pub(super) kept: usize,
    /// Marked content open (`BMC`/`BDC`), each with the text it stands for
    /// when it gives one (`/ActualText`, as writers give for a glyph shared
    /// by several characters); whether that text is shown yet.
    pub(super) marked: Vec<Option<(String, bool)>>,
    /// Whether the next run starts a line of its own (an annotation's
    /// text is not part of the page's line it lies on).
    pub(super) apart: bool,
}

impl Reader<'_, '_> {
    pub(super) fn next_line(&mut self, tx: f32, ty: f32) {
        self.tlm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &self.tlm);
        self.tm = self.tlm;
        self.flowing = false;
    }

    pub(super) fn show(&mut self, bytes: &[u8], work: &mut Work) {
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
    pub(super) fn adjust(&mut self, thousandths: f32) {
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
    pub(super) fn run(&mut self, content: &[u8], work: &mut Work) -> Result<(), PdfError> {
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
    pub(super) fn draw_form(&mut self, name: &[u8], work: &mut Work) -> Result<(), PdfError> {
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
    pub(super) fn draw_annotations(
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
    pub(super) fn field_line(&mut self, value: String, rect: [f32; 4]) {
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
    pub(super) fn draw_form_object(
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
pub(super) const MAX_ANNOTATIONS: usize = 1000;

/// The most characters of a field's value read.
pub(super) const MAX_FIELD_CHARS: usize = 10_000;

/// The value of a text or choice field, its own or inherited from the
/// field it belongs to.
pub(super) fn field_value(pdf: &Pdf, widget: &Dictionary) -> Option<String> {
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
pub(super) fn state_appearance(annot: &Dictionary, states: &Dictionary) -> Option<lopdf::ObjectId> {
    let state = annot.get(b"AS").and_then(Object::as_name).ok()?;
    states.get(state).ok()?.as_reference().ok()
}

/// Where an appearance goes: the matrix that takes its bounding box, as
/// its own matrix sets it, onto the annotation's rectangle.
pub(super) fn appearance_matrix(pdf: &Pdf, dict: &Dictionary, rect: [f32; 4]) -> Matrix {
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
pub(super) fn page_lines<'a>(
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
