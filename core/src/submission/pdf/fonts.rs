//! A PDF's fonts: how their codes become text, and how wide their glyphs are.

use super::*;

/// What the reader needs of a font.
#[derive(Default)]
pub(super) struct Font<'a> {
    pub(super) encoding: Option<Encoding<'a>>,
    /// A Type0 font whose codes are a legacy CJK encoding's (a predefined
    /// CMap such as `90ms-RKSJ-H`), decoded as that encoding.
    pub(super) legacy: Option<charset::Charset>,
    /// A font whose codes are glyph numbers (of a character collection
    /// such as Adobe-Japan1, or its own) and that has no Unicode map: its
    /// text cannot be read. What its codes are.
    pub(super) glyph_codes: Option<String>,
    /// Glyph widths of a simple font, in thousandths of the type size, from
    /// its first character code.
    pub(super) widths: Option<(i64, Vec<f32>)>,
    /// A standard face, for a simple font without widths of its own.
    pub(super) standard: Option<Standard>,
    /// A font of two-byte codes (Type0).
    pub(super) wide: bool,
    /// A Type0 font's glyph widths, from its descendant's `W` array: runs
    /// of codes (first, last) and their width, in thousandths; and its
    /// `DW` default. Known only for the Identity encodings (a code is the
    /// glyph's id, two bytes).
    pub(super) cid_widths: Option<CidWidths>,
    pub(super) bold: bool,
}

/// Runs of glyph codes (first, last) and their width, and the default
/// width, in thousandths of the type size.
pub(super) type CidWidths = (Vec<(u32, u32, f32)>, f32);

/// The most runs of a `W` array kept.
pub(super) const MAX_CID_RUNS: usize = 65_536;

/// A Type0 font's widths: its descendant's `W` and `DW`, when its
/// encoding is Identity-H or Identity-V.
pub(super) fn cid_widths(pdf: &Pdf, dict: &Dictionary) -> Option<CidWidths> {
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
pub(super) struct FontCache<'a> {
    pub(super) fonts: HashMap<usize, std::rc::Rc<Font<'a>>>,
}

impl<'a> FontCache<'a> {
    pub(super) fn get(&mut self, pdf: &'a Pdf, dict: &'a Dictionary) -> std::rc::Rc<Font<'a>> {
        let key = std::ptr::from_ref(dict) as usize;
        self.fonts
            .entry(key)
            .or_insert_with(|| std::rc::Rc::new(font(pdf, dict)))
            .clone()
    }
}

pub(super) fn font<'a>(pdf: &'a Pdf, dict: &'a Dictionary) -> Font<'a> {
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
pub(super) fn type0_decoding<'a>(
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
pub(super) fn legacy_cmap(name: &[u8]) -> Option<&'static [u8]> {
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
    pub(super) fn text(&self, bytes: &[u8]) -> String {
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
    pub(super) fn width(&self, bytes: &[u8], text: &str) -> f32 {
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
pub(super) enum Standard {
    Helvetica,
    HelveticaBold,
    Courier,
}

/// Helvetica's widths from the space to the tilde, in thousandths (from
/// its AFM), and Helvetica Bold's.
pub(super) const HELVETICA: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0..?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P.._
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // `..o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p..~
];
pub(super) const HELVETICA_BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // ' '../
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 0..?
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // @..O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // P.._
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // `..o
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, // p..~
];

impl Standard {
    /// The face a font's name says, when it is one of these.
    pub(super) fn of(base: &str) -> Option<Standard> {
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
    pub(super) fn width(self, c: char) -> f32 {
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
