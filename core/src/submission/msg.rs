//! Outlook messages (`.msg`): an OLE compound file of MAPI properties, read
//! as an e-mail is (see [`super::eml`]): the subject, the sender, the date,
//! the text, and the attachments that are submissions.
//!
//! The properties read: subject (`0037`), sender name (`0C1A`) and address
//! (`0C1F`, else `5D01`), plain body (`1000`), else the compressed RTF body
//! (`1009`, MS-OXRTFCP's LZFu, then its text), else the HTML body (`1013`);
//! the date from `__properties_version1.0` (submit time `0039`, else
//! delivery time `0E06`); each `__attach_version1.0_#…` storage's long or
//! short file name (`3707`, `3704`) and data (`3701`). Strings are UTF-16
//! (`001F`) or 8-bit (`001E`, read as Windows-1252). A stream is read
//! through a limit; a file the compound-file reader refuses is an error
//! naming why.

use std::io::{Cursor, Read};

use super::eml::{Mail, MailError, SUBMISSION_ATTACHMENTS, clean_subject, extension, year_of};
use super::html;

/// The most one stream may give (the file itself is at most a few MiB).
const MAX_STREAM_BYTES: u64 = 32 * 1024 * 1024;
/// The most text an RTF body may decompress to.
const MAX_RTF_BYTES: usize = 16 * 1024 * 1024;
/// The most attachments looked at.
const MAX_ATTACHMENTS: usize = 256;

type Cfb<'b> = cfb::CompoundFile<Cursor<&'b [u8]>>;

/// Reads a `.msg` from its bytes; the error says why it cannot be read.
pub(crate) fn read(bytes: &[u8]) -> Result<Mail, MailError> {
    let mut cf = cfb::CompoundFile::open(Cursor::new(bytes))
        .map_err(|e| MailError::NotACompoundFile(e.to_string()))?;
    if !cf.exists("/__properties_version1.0") && string(&mut cf, "", "0037").is_none() {
        return Err(MailError::NoMessageProperties);
    }
    let subject = string(&mut cf, "", "0037")
        .map(|s| clean_subject(&s))
        .filter(|s| !s.is_empty());
    let name = string(&mut cf, "", "0C1A").filter(|s| !s.trim().is_empty());
    let address = string(&mut cf, "", "0C1F")
        .filter(|a| a.contains('@'))
        .or_else(|| string(&mut cf, "", "5D01"))
        .filter(|s| !s.trim().is_empty());
    let from = match (name, address) {
        (Some(n), Some(a)) if n.trim() != a.trim() => Some(format!("{} <{}>", n.trim(), a.trim())),
        (n, a) => a.or(n).map(|s| s.trim().to_string()),
    };
    let year = filetime(&mut cf, "/__properties_version1.0", 32, &[0x0039, 0x0E06])
        .map(|ft| ft / 10_000_000 - 11_644_473_600)
        .map(year_of);
    let body = string(&mut cf, "", "1000")
        .filter(|b| !b.trim().is_empty())
        .or_else(|| {
            let compressed = stream(&mut cf, "/__substg1.0_10090102")?;
            let rtf = decompress_rtf(&compressed).ok()?;
            let text = rtf_text(&rtf);
            (!text.trim().is_empty()).then_some(text)
        })
        .or_else(|| {
            let h = stream(&mut cf, "/__substg1.0_10130102")?;
            Some(html::read(&String::from_utf8_lossy(&h)).text)
        })
        .unwrap_or_default();
    let body = body.replace("\r\n", "\n").replace('\r', "\n");
    let storages: Vec<String> = cf
        .read_root_storage()
        .filter(|e| e.is_storage() && e.name().starts_with("__attach_version1.0_#"))
        .map(|e| e.name().to_string())
        .take(MAX_ATTACHMENTS)
        .collect();
    let mut attachments = Vec::new();
    for storage in storages {
        let Some(name) = string(&mut cf, &storage, "3707")
            .or_else(|| string(&mut cf, &storage, "3704"))
            .filter(|n| !n.trim().is_empty())
        else {
            continue;
        };
        if !SUBMISSION_ATTACHMENTS.contains(&extension(&name).as_str()) {
            continue;
        }
        if let Some(data) = stream(&mut cf, &format!("/{storage}/__substg1.0_37010102")) {
            attachments.push((name, data));
        }
    }
    Ok(Mail::new(subject, from, year, &body, attachments))
}

/// A stream's bytes, through the limit.
fn stream(cf: &mut Cfb<'_>, path: &str) -> Option<Vec<u8>> {
    let s = cf.open_stream(path).ok()?;
    let mut out = Vec::new();
    s.take(MAX_STREAM_BYTES).read_to_end(&mut out).ok()?;
    Some(out)
}

/// A string property of the storage `dir` (`""` for the message): UTF-16
/// (`001F`), else 8-bit (`001E`).
fn string(cf: &mut Cfb<'_>, dir: &str, id: &str) -> Option<String> {
    let at = |kind: &str| format!("{dir}/__substg1.0_{id}{kind}");
    if let Some(b) = stream(cf, &at("001F")) {
        let units: Vec<u16> = b
            .chunks_exact(2)
            .map(|p| u16::from_le_bytes([p[0], p[1]]))
            .collect();
        let s = String::from_utf16_lossy(&units);
        return Some(s.trim_end_matches('\0').to_string());
    }
    let b = stream(cf, &at("001E"))?;
    let b = b.strip_suffix(&[0]).unwrap_or(&b);
    Some(match std::str::from_utf8(b) {
        Ok(s) => s.to_string(),
        Err(_) => super::windows_1252(b),
    })
}

/// The first of `ids` set as a time (`PT_SYSTIME`) in a properties stream
/// whose entries start at `header`: a FILETIME (100 ns since 1601).
fn filetime(cf: &mut Cfb<'_>, path: &str, header: usize, ids: &[u32]) -> Option<i64> {
    let b = stream(cf, path)?;
    let entries = b.get(header..)?;
    ids.iter().find_map(|&id| {
        entries.chunks_exact(16).find_map(|e| {
            let tag = u32::from_le_bytes(e.get(..4)?.try_into().ok()?);
            if tag != (id << 16 | 0x0040) {
                return None;
            }
            let ft = i64::from_le_bytes(e.get(8..16)?.try_into().ok()?);
            (ft > 0).then_some(ft)
        })
    })
}

/// The dictionary MS-OXRTFCP starts LZFu with.
const RTF_PREFIX: &[u8] = b"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx";

/// Why a compressed RTF body cannot be decompressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub(crate) enum RtfError {
    #[error("the RTF body is cut short")]
    CutShort,
    #[error("the RTF body is in an unknown compression")]
    UnknownCompression,
}

/// A compressed RTF stream (MS-OXRTFCP) decompressed: `LZFu` (compressed)
/// or `MELA` (stored).
pub(crate) fn decompress_rtf(data: &[u8]) -> Result<Vec<u8>, RtfError> {
    let word = |i: usize| {
        data.get(i..i + 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_le_bytes)
    };
    let (Some(comp_size), Some(raw_size), Some(kind)) = (word(0), word(4), word(8)) else {
        return Err(RtfError::CutShort);
    };
    let body = data.get(16..).unwrap_or(&[]);
    let end = usize::try_from(comp_size)
        .unwrap_or(usize::MAX)
        .saturating_sub(12)
        .min(body.len());
    let body = body.get(..end).unwrap_or(body);
    let raw = usize::try_from(raw_size)
        .unwrap_or(usize::MAX)
        .min(MAX_RTF_BYTES);
    match kind {
        0x414C_454D => Ok(body.get(..raw.min(body.len())).unwrap_or(body).to_vec()),
        0x7546_5A4C => {
            let mut dict = [0u8; 4096];
            dict.get_mut(..RTF_PREFIX.len())
                .ok_or(RtfError::CutShort)?
                .copy_from_slice(RTF_PREFIX);
            let mut write = RTF_PREFIX.len();
            let mut out = Vec::with_capacity(raw.min(1 << 20));
            let mut i = 0;
            'outer: while let Some(&control) = body.get(i) {
                i += 1;
                for bit in 0..8 {
                    if out.len() >= raw {
                        break 'outer;
                    }
                    if control >> bit & 1 == 0 {
                        let Some(&b) = body.get(i) else {
                            break 'outer;
                        };
                        i += 1;
                        out.push(b);
                        dict[write % 4096] = b;
                        write = (write + 1) % 4096;
                    } else {
                        let (Some(&hi), Some(&lo)) = (body.get(i), body.get(i + 1)) else {
                            break 'outer;
                        };
                        i += 2;
                        let reference = u16::from_be_bytes([hi, lo]);
                        let offset = usize::from(reference >> 4);
                        let length = usize::from(reference & 0xF) + 2;
                        if offset == write {
                            break 'outer;
                        }
                        for k in 0..length {
                            let b = dict[(offset + k) % 4096];
                            out.push(b);
                            dict[write % 4096] = b;
                            write = (write + 1) % 4096;
                        }
                    }
                }
            }
            Ok(out)
        }
        _ => Err(RtfError::UnknownCompression),
    }
}

/// The text of an RTF document: paragraphs and line breaks as new lines,
/// `\'hh` as Windows-1252, `\uN` as its character; font tables, colour
/// tables, pictures and `\*` destinations (an HTML body's tags among them)
/// left out.
pub(crate) fn rtf_text(rtf: &[u8]) -> String {
    const SKIPPED: [&str; 12] = [
        "fonttbl",
        "colortbl",
        "stylesheet",
        "info",
        "pict",
        "header",
        "footer",
        "object",
        "listtable",
        "listoverridetable",
        "rsidtbl",
        "generator",
    ];
    let mut out = String::new();
    // for each open group: whether it is skipped
    let mut groups: Vec<bool> = Vec::new();
    let skipping = |g: &[bool]| g.last().copied().unwrap_or(false);
    let mut bytes: Vec<u8> = Vec::new(); // \'hh run
    let flush = |bytes: &mut Vec<u8>, out: &mut String| {
        if !bytes.is_empty() {
            out.push_str(&super::windows_1252(bytes));
            bytes.clear();
        }
    };
    let mut uc_skip = 0usize;
    let mut i = 0;
    while let Some(&c) = rtf.get(i) {
        match c {
            b'{' => {
                flush(&mut bytes, &mut out);
                let inherited = skipping(&groups);
                let star = rtf.get(i + 1..i + 3) == Some(b"\\*");
                if groups.len() < 1000 {
                    groups.push(inherited || star);
                }
                i += 1;
            }
            b'}' => {
                flush(&mut bytes, &mut out);
                groups.pop();
                i += 1;
            }
            b'\\' => {
                let next = rtf.get(i + 1).copied().unwrap_or(b' ');
                if next.is_ascii_alphabetic() {
                    let start = i + 1;
                    let mut j = start;
                    while rtf.get(j).is_some_and(u8::is_ascii_alphabetic) {
                        j += 1;
                    }
                    let word =
                        String::from_utf8_lossy(rtf.get(start..j).unwrap_or(&[])).to_string();
                    let num_start = j;
                    if rtf.get(j) == Some(&b'-') {
                        j += 1;
                    }
                    while rtf.get(j).is_some_and(u8::is_ascii_digit) {
                        j += 1;
                    }
                    let num: Option<i64> =
                        std::str::from_utf8(rtf.get(num_start..j).unwrap_or(&[]))
                            .ok()
                            .and_then(|n| n.parse().ok());
                    if rtf.get(j) == Some(&b' ') {
                        j += 1;
                    }
                    i = j;
                    if SKIPPED.contains(&word.as_str()) {
                        if let Some(g) = groups.last_mut() {
                            *g = true;
                        }
                        continue;
                    }
                    if skipping(&groups) {
                        continue;
                    }
                    flush(&mut bytes, &mut out);
                    match word.as_str() {
                        "par" | "line" | "sect" | "page" | "row" => out.push('\n'),
                        "tab" | "cell" => out.push('\t'),
                        "uc" => uc_skip = usize::try_from(num.unwrap_or(1)).unwrap_or(1),
                        "u" => {
                            let n = num.unwrap_or(0);
                            let n = if n < 0 { n + 65_536 } else { n };
                            if let Some(ch) = u32::try_from(n).ok().and_then(char::from_u32) {
                                out.push(ch);
                            }
                            // the stand-in characters after it
                            let mut left = if uc_skip == 0 { 1 } else { uc_skip };
                            while left > 0 {
                                match rtf.get(i) {
                                    Some(b'\\') if rtf.get(i + 1) == Some(&b'\'') => i += 4,
                                    Some(b'{' | b'}') | None => break,
                                    Some(_) => i += 1,
                                }
                                left -= 1;
                            }
                        }
                        "emdash" => out.push('—'),
                        "endash" => out.push('–'),
                        "lquote" => out.push('‘'),
                        "rquote" => out.push('’'),
                        "ldblquote" => out.push('“'),
                        "rdblquote" => out.push('”'),
                        "bullet" => out.push('•'),
                        _ => {}
                    }
                } else {
                    match next {
                        b'\'' => {
                            let hex = rtf.get(i + 2..i + 4).unwrap_or(&[]);
                            if !skipping(&groups)
                                && let Some(b) = std::str::from_utf8(hex)
                                    .ok()
                                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                            {
                                bytes.push(b);
                            }
                            i += 4;
                            continue;
                        }
                        b'~' if !skipping(&groups) => out.push('\u{a0}'),
                        b'\\' | b'{' | b'}' if !skipping(&groups) => out.push(char::from(next)),
                        b'\n' | b'\r' if !skipping(&groups) => out.push('\n'),
                        _ => {}
                    }
                    i += 2;
                }
            }
            b'\r' | b'\n' => i += 1,
            _ => {
                if !skipping(&groups) {
                    flush(&mut bytes, &mut out);
                    // plain text is 7-bit; a stray 8-bit byte as Windows-1252
                    if c.is_ascii() {
                        out.push(char::from(c));
                    } else {
                        bytes.push(c);
                    }
                }
                i += 1;
            }
        }
    }
    flush(&mut bytes, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_not_an_outlook_message_is_refused_with_the_reason() {
        let err = read(b"not a compound file").map(|_| ()).unwrap_err();
        assert!(matches!(err, MailError::NotACompoundFile(_)), "{err:?}");
        assert!(
            err.to_string()
                .starts_with("not a readable Outlook message (.msg): "),
            "{err}"
        );
        assert_eq!(decompress_rtf(b"short"), Err(RtfError::CutShort));
        let unknown = [16u8, 0, 0, 0, 4, 0, 0, 0, 1, 2, 3, 4, 0, 0, 0, 0];
        assert_eq!(decompress_rtf(&unknown), Err(RtfError::UnknownCompression));
    }

    #[test]
    fn rtf_s_text_without_its_tables_and_controls() {
        let rtf = br"{\rtf1\ansi{\fonttbl{\f0 Arial;}}{\colortbl;\red0\green0\blue0;}{\*\generator Word;}\f0 Caf\'e9 hubs\par The hubs \ldblquote opened\rdblquote  in 2020 \u8212? today.\line Next}";
        assert_eq!(
            rtf_text(rtf),
            "Café hubs\nThe hubs “opened” in 2020 — today.\nNext"
        );
    }

    #[test]
    fn lzfu_decompresses_the_specification_s_example() {
        // MS-OXRTFCP 3.1.1: "{\rtf1\ansi\ansicpg1252\pard hello world}\r\n"
        let data: [u8; 45] = [
            0x2d, 0x00, 0x00, 0x00, 0x2b, 0x00, 0x00, 0x00, 0x4c, 0x5a, 0x46, 0x75, 0xf1, 0xc5,
            0xc7, 0xa7, 0x03, 0x00, 0x0a, 0x00, 0x72, 0x63, 0x70, 0x67, 0x31, 0x32, 0x35, 0x42,
            0x32, 0x0a, 0xf3, 0x20, 0x68, 0x65, 0x6c, 0x09, 0x00, 0x20, 0x62, 0x77, 0x05, 0xb0,
            0x6c, 0x64, 0x7d,
        ];
        let mut with_end = data.to_vec();
        with_end.extend_from_slice(&[0x0a, 0x80, 0x0f, 0xa0]);
        with_end[0] = u8::try_from(with_end.len() - 4).unwrap_or(0);
        let out = decompress_rtf(&with_end).unwrap_or_default();
        assert_eq!(
            String::from_utf8_lossy(&out),
            "{\\rtf1\\ansi\\ansicpg1252\\pard hello world}\r\n"
        );
        // stored, not compressed
        let mut stored = vec![0u8; 16];
        stored[0] = 17;
        stored[4] = 5;
        stored[8..12].copy_from_slice(b"MELA");
        stored.extend_from_slice(b"{\\rtf}");
        assert_eq!(decompress_rtf(&stored).unwrap_or_default(), b"{\\rtf");
        assert!(decompress_rtf(b"short").is_err());
    }
}
