//! Reading what councils send, 1,000 files of each format, one after the
//! other on one thread (`read_submission`: open, read, parse, recognise):
//! `.md` and `.txt` from the generated batch, and the same case studies as
//! `.docx` (a paragraph a line, deflated), `.eml` (half forwarded as
//! quoted-printable text, half with the `.docx` attached in base64) and
//! `.pdf` (a line of text a line, wrapped paragraphs). README "Benchmarks"
//! quotes these figures.
//!
//! The files are generated once into `temp_dir()/casetag-bench-read` (from
//! the batch `examples/gen_batch.rs` writes to `temp_dir()/casetag-bench-2500`)
//! and reused.
//!
//! `cargo bench --bench read`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed bench may panic

use std::fmt::Write as _;
use std::hint::black_box;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use casetag::submission::{list_dir, read_submission};
use casetag::taxonomy::Taxonomy;
use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
#[path = "../tests/it/common/mime.rs"]
mod mime;
use mime::base64;

#[allow(dead_code)]
#[path = "../examples/gen_batch.rs"]
mod gen_batch;

#[allow(dead_code)]
#[path = "../tests/it/common/pdf.rs"]
mod pdf;

/// Files of each format.
const N: usize = 1000;
/// What the folder of converted files says it holds.
const MARKER: &str = "casetag bench read n=1000 version=1\n";

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in entries {
        w.start_file(*name, options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The text as a Word document, a paragraph a line, the first a Title.
fn docx(text: &str) -> Vec<u8> {
    let mut body = String::new();
    for (i, line) in text.lines().enumerate() {
        let style = if i == 0 {
            "<w:pPr><w:pStyle w:val=\"Title\"/></w:pPr>"
        } else {
            ""
        };
        let _ = write!(
            body,
            "<w:p>{style}<w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
            xml_escape(line)
        );
    }
    let document = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
    );
    zip_of(&[
        ("[Content_Types].xml", b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
        ("word/document.xml", document.as_bytes()),
    ])
}

/// Quoted-printable, lines of at most 76 characters.
fn quoted_printable(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let mut width = 0;
        for &b in line.as_bytes() {
            let piece = if b == b'=' || b >= 0x80 {
                format!("={b:02X}")
            } else {
                (b as char).to_string()
            };
            if width + piece.len() > 75 {
                out.push_str("=\r\n");
                width = 0;
            }
            width += piece.len();
            out.push_str(&piece);
        }
        out.push_str("\r\n");
    }
    out
}

/// The text forwarded by e-mail: as its body, or (`attach`) as a `.docx`.
fn eml(text: &str, attach: bool) -> Vec<u8> {
    let subject = text.lines().next().unwrap_or("Case study");
    let mut m = format!(
        "From: Press Office <press@council.example>\r\nTo: comms@councils.coop\r\nDate: Mon, 3 May 2021 09:30:00 +0100\r\nSubject: Fwd: {}\r\nMIME-Version: 1.0\r\n",
        subject.replace(|c: char| !c.is_ascii(), "?")
    );
    if attach {
        m.push_str("Content-Type: multipart/mixed; boundary=\"=_b\"\r\n\r\n--=_b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nOur case study is attached.\r\n--=_b\r\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document; name=\"case-study.docx\"\r\nContent-Disposition: attachment; filename=\"case-study.docx\"\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        m.push_str(&base64(&docx(text)));
        m.push_str("\r\n--=_b--\r\n");
    } else {
        m.push_str("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nHi, see our press release below.\r\n\r\n---------- Forwarded message ---------\r\nFrom: Press Office <press@council.example>\r\n\r\n");
        m.push_str(&quoted_printable(text));
    }
    m.into_bytes()
}

/// The text as a PDF: the first line as a title, each other line a
/// paragraph wrapped over the page's lines, about 50 lines a page.
fn pdf_of(text: &str) -> Vec<u8> {
    let mut pages: Vec<Vec<pdf::Block<'_>>> = vec![Vec::new()];
    let mut lines_on_page = 0;
    for (i, line) in text.lines().enumerate() {
        let block = if i == 0 {
            pdf::title(line)
        } else {
            pdf::body(line)
        };
        let lines = line.len() / 80 + 2;
        if lines_on_page + lines > 50 {
            pages.push(Vec::new());
            lines_on_page = 0;
        }
        lines_on_page += lines;
        if let Some(p) = pages.last_mut() {
            p.push(block);
        }
    }
    pdf::pdf(&pages)
}

/// The 1,000 files of each format: md, txt, docx, eml, pdf.
fn ensure_files() -> Vec<(&'static str, Vec<PathBuf>)> {
    let batch = gen_batch::ensure_batch(2500);
    let sources = list_dir(&batch).unwrap();
    let of = |ext: &str| -> Vec<PathBuf> {
        sources
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .take(N)
            .cloned()
            .collect()
    };
    let md = of("md");
    let txt = of("txt");
    assert_eq!((md.len(), txt.len()), (N, N), "the batch holds too few");
    let dir = std::env::temp_dir().join("casetag-bench-read");
    let ready = std::fs::read_to_string(dir.join(".marker")).is_ok_and(|m| m == MARKER);
    if !ready {
        let _ = std::fs::remove_dir_all(&dir);
        for f in ["docx", "eml", "pdf"] {
            std::fs::create_dir_all(dir.join(f)).unwrap();
        }
        for (i, p) in txt.iter().enumerate() {
            let text = std::fs::read_to_string(p).unwrap();
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let w = |f: &str, bytes: &[u8]| {
                std::fs::write(dir.join(f).join(format!("{stem}.{f}")), bytes).unwrap();
            };
            w("docx", &docx(&text));
            w("eml", &eml(&text, i % 2 == 1));
            w("pdf", &pdf_of(&text));
        }
        std::fs::write(dir.join(".marker"), MARKER).unwrap();
    }
    let listed = |f: &str| {
        let paths = list_dir(&dir.join(f)).unwrap();
        assert_eq!(paths.len(), N, "{f}");
        paths
    };
    vec![
        ("md", md),
        ("txt", txt),
        ("docx", listed("docx")),
        ("eml", listed("eml")),
        ("pdf", listed("pdf")),
    ]
}

/// Reads every file; returns how many lead members and principles were
/// found, so that nothing is optimised away (and a reader that reads
/// nothing shows).
fn read_all(paths: &[PathBuf], taxonomy: &Taxonomy) -> usize {
    paths
        .iter()
        .map(|p| match read_submission(Path::new(p), taxonomy) {
            Ok(s) => {
                usize::from(s.fields.lead_member.is_some())
                    + s.principles_met.len()
                    + s.proposed.tags.principles.len()
            }
            Err(e) => panic!("{e}"),
        })
        .sum()
}

fn bench_read(c: &mut Criterion) {
    let taxonomy = Taxonomy::builtin();
    let files = ensure_files();
    let mut group = c.benchmark_group("read_1000");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(300));
    // ten reads of 1,000 files: 0.6 to 6 s a format
    group.measurement_time(Duration::from_secs(4));
    group.throughput(Throughput::Elements(N as u64));
    for (format, paths) in &files {
        // fields and principles are found in every format: the readers work
        let found = read_all(paths, &taxonomy);
        eprintln!("{format}: {found} lead members and principles found");
        assert!(found > N, "{format}: {found}");
        group.bench_with_input(BenchmarkId::from_parameter(format), paths, |b, paths| {
            b.iter(|| black_box(read_all(paths, &taxonomy)));
        });
    }
    group.finish();
}

criterion_group!(benches, bench_read);
criterion_main!(benches);
