//! PDF files written by the tests: pages of text set in Helvetica, each
//! paragraph wrapped into lines as a word processor would, one `Tj` a line.

/// One paragraph: type size, bold, text.
pub type Block<'a> = (f32, bool, &'a str);

/// Body text: 11 point, regular.
pub fn body(text: &str) -> Block<'_> {
    (11.0, false, text)
}

/// A heading: 11 point, bold.
pub fn heading(text: &str) -> Block<'_> {
    (11.0, true, text)
}

/// A title: 20 point, bold.
pub fn title(text: &str) -> Block<'_> {
    (20.0, true, text)
}

/// A PDF of `pages`, each a list of paragraphs laid out from the top.
pub fn pdf(pages: &[Vec<Block<'_>>]) -> Vec<u8> {
    pdf_with(pages, None)
}

/// [`pdf`] with a Title property.
pub fn pdf_with(pages: &[Vec<Block<'_>>], info_title: Option<&str>) -> Vec<u8> {
    let contents: Vec<Vec<u8>> = pages.iter().map(|p| page_content(p)).collect();
    let mut objects: Vec<Vec<u8>> = Vec::new();
    // 1 catalog, 2 pages, 3 regular font, 4 bold font, 5 info, then per
    // page: the page and its content
    let n = pages.len();
    let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
    objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    objects.push(
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    );
    let mut info = b"<< /Producer (casetag tests)".to_vec();
    if let Some(t) = info_title {
        info.extend_from_slice(b" /Title (");
        info.extend(escape(t));
        info.push(b')');
    }
    info.extend_from_slice(b" >>");
    objects.push(info);
    for (i, content) in contents.iter().enumerate() {
        objects.push(
            format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                7 + 2 * i
            )
            .into_bytes(),
        );
        objects.push(stream("", content));
    }
    assemble(&objects, "/Root 1 0 R /Info 5 0 R")
}

/// A PDF whose one page draws only a picture (a scan): no text.
pub fn scanned() -> Vec<u8> {
    let image = stream(
        "/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8",
        &[0, 255, 255, 0],
    );
    let c = stream("", b"q 595 0 0 842 0 0 cm /Im1 Do Q");
    let objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 5 0 R >> >> /Contents 4 0 R >>".to_vec(),
        c,
        image,
    ];
    assemble(&objects, "/Root 1 0 R")
}

/// A stream object: its dictionary's entries beside `/Length`, and its data.
pub fn stream(entries: &str, data: &[u8]) -> Vec<u8> {
    let mut s = format!("<< /Length {} {entries} >>\nstream\n", data.len()).into_bytes();
    s.extend_from_slice(data);
    s.extend_from_slice(b"\nendstream");
    s
}

/// `data` deflated (zlib).
pub fn deflated(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(data).expect("deflate");
    z.finish().expect("deflate")
}

/// One page in Helvetica whose content stream is `content`, stored as it is
/// or deflated: for pages drawn by hand, of a shape no [`pdf`] block gives.
pub fn one_page_of(content: &[u8], deflate: bool) -> Vec<u8> {
    let c = if deflate {
        stream("/Filter /FlateDecode", &deflated(content))
    } else {
        stream("", content)
    };
    page_with(c, "/Font << /F1 5 0 R >>", &[])
}

/// One page whose content stream object is `content` and whose resources
/// are `resources` (`/F1 5 0 R` is Helvetica), with more objects numbered
/// from 6: for fonts, forms and other shapes drawn by hand.
pub fn page_with(content: Vec<u8>, resources: &str, more: &[Vec<u8>]) -> Vec<u8> {
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << {resources} >> /Contents 4 0 R >>").into_bytes(),
        content,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
            .to_vec(),
    ];
    objects.extend(more.iter().cloned());
    assemble(&objects, "/Root 1 0 R")
}

/// Numbered objects, the cross-reference table and the trailer.
pub fn assemble(objects: &[Vec<u8>], trailer: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} {trailer} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// The text as a PDF string's bytes in WinAnsiEncoding, `(`, `)` and `\`
/// escaped.
fn escape(text: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for c in text.chars() {
        let b = match c {
            '’' => 0x92,
            '‘' => 0x91,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            c if (c as u32) < 256 => c as u8,
            _ => b'?',
        };
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out
}

/// Words of `text` in lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

fn page_content(blocks: &[Block<'_>]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut y = 780.0f32;
    for &(size, bold, text) in blocks {
        // Helvetica averages about half an em: a 451-point measure
        let width = (451.0 / (size * 0.5)) as usize;
        for line in wrap(text, width) {
            out.extend_from_slice(
                format!(
                    "BT /{} {size} Tf 72 {y:.1} Td (",
                    if bold { "F2" } else { "F1" }
                )
                .as_bytes(),
            );
            out.extend(escape(&line));
            out.extend_from_slice(b") Tj ET\n");
            y -= size * 1.2;
        }
        y -= size * 0.6;
    }
    out
}
