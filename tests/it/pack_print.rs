//! The Word and HTML packs opened by the programs an officer would use:
//! the `.docx` read back with python-docx and converted to PDF by
//! LibreOffice, the HTML page printed to PDF by headless Chromium, the PDFs'
//! pages counted and their text searched with poppler's `pdfinfo` and
//! `pdftotext`. A test whose program is not installed says so and passes
//! (on Debian: `apt-get install python3-docx libreoffice-writer-nogui
//! chromium poppler-utils`).
//!
//! `CASETAG_KEEP_PRINTS=DIR` keeps the files made (the packs, the PDFs, a
//! screenshot of the page) in DIR, to look at.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use casetag::export::{ExportOptions, Format};
use casetag::record::{Decision, sha256_hex};
use casetag::taxonomy::Taxonomy;
use common::run_within;

/// A case study with everything the pack turns into Word's own structures.
const STRUCTURED: &str = r#"+++
title = "Growing together on Hollinwood allotments"
lead_member = "Oldham Council"
participating_members = ["Rochdale Metropolitan Borough Council"]
year = 2021
status = "Policy Labs"
+++
Oldham Council turned three disused car parks into *community allotments*,
with the [Oldham Food Network](https://example.org/ofn).

## What we did

1. Asked residents which sites they wanted.
2. Offered plots first to households on the **waiting list**.
   - Saturday classes
   - Seed swaps
3. Handed the plots to a tenants' co-operative.

| Site | Plots | Opened |
|:--|--:|:-:|
| Hollinwood | 24 | 2020 |
| Failsworth | 31 | 2021 |

> We decide who joins. <script>alert(1)</script>
"#;

const STRUCTURED_RECORD: &str = r#"decision = "approve"
primary_category = "community"
principles = ["co-production", "innovation"]
values = ["solidarity", "democracy", "caring-for-others"]
reviewer = "officer"
"#;

/// The sample batch with one more approved case study; every decision is
/// exported, so that several categories and case studies are printed.
fn batch() -> tempfile::TempDir {
    let tmp = common::copy_sample();
    fs::write(tmp.path().join("hollinwood.md"), STRUCTURED).expect("write");
    fs::write(
        tmp.path().join("hollinwood.review.toml"),
        format!(
            "submission = \"hollinwood.md\"\nsubmission_sha256 = \"{}\"\n{STRUCTURED_RECORD}",
            sha256_hex(STRUCTURED.as_bytes())
        ),
    )
    .expect("write record");
    tmp
}

/// Exports the [`batch`] as `format` into `out/name`; returns the path and
/// the titles of the case studies exported (from the JSON export).
fn export(format: Format, out: &Path, name: &str) -> (PathBuf, Vec<String>) {
    let tmp = batch();
    let batch = tmp.path();
    let decisions = vec![Decision::Approve, Decision::NeedsInfo, Decision::Decline];
    let path = out.join(name);
    let opts = ExportOptions {
        format,
        decisions: decisions.clone(),
        output: Some(path.clone()),
        ..ExportOptions::default()
    };
    let (mut o, mut e) = (Vec::new(), Vec::new());
    let code = casetag::cli::export(batch, &Taxonomy::builtin(), &opts, &mut o, &mut e);
    assert!(code != 2, "{}", String::from_utf8_lossy(&e));
    let json = ExportOptions {
        format: Format::Json,
        decisions,
        ..ExportOptions::default()
    };
    let (mut o, mut e) = (Vec::new(), Vec::new());
    casetag::cli::export(batch, &Taxonomy::builtin(), &json, &mut o, &mut e);
    let v: serde_json::Value = serde_json::from_slice(&o).expect("json");
    let titles: Vec<String> = v["case_studies"]
        .as_array()
        .expect("case studies")
        .iter()
        .map(|c| c["title"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(titles.len() >= 4, "{titles:?}");
    (path, titles)
}

/// The first of `names` found on PATH (or as a path), if any.
fn program(names: &[&str]) -> Option<PathBuf> {
    names.iter().find_map(|n| {
        let p = Path::new(n);
        if p.is_absolute() {
            return p.is_file().then(|| p.to_path_buf());
        }
        std::env::var_os("PATH").and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|d| d.join(n))
                .find(|c| c.is_file())
        })
    })
}

fn skip(what: &str) {
    eprintln!("note: {what} is not installed; this check was skipped");
}

/// The number of pages and the text of a PDF, through poppler; `None`
/// when poppler's tools are not installed.
fn pdf_pages_and_text(pdf: &Path) -> Option<(usize, String)> {
    let (Some(info), Some(to_text)) = (program(&["pdfinfo"]), program(&["pdftotext"])) else {
        skip("poppler-utils (pdfinfo, pdftotext)");
        return None;
    };
    let out = run_within(Command::new(info).arg(pdf), Duration::from_secs(30));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info = String::from_utf8_lossy(&out.stdout).into_owned();
    let pages = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in\n{info}"));
    let out = run_within(
        Command::new(to_text).arg(pdf).arg("-"),
        Duration::from_secs(30),
    );
    assert!(out.status.success());
    Some((pages, String::from_utf8_lossy(&out.stdout).into_owned()))
}

/// The words of a printed pack, `pdf`, made by the run `made`: after
/// checking that it has more pages than case studies (the title page, then
/// a page at least per case study) and holds every one of `titles`; `None`
/// when poppler's tools are not installed.
fn printed_words(pdf: &Path, made: &Output, titles: &[String]) -> Option<String> {
    assert!(
        pdf.is_file(),
        "no PDF: {}{}",
        String::from_utf8_lossy(&made.stdout),
        String::from_utf8_lossy(&made.stderr)
    );
    let (pages, text) = pdf_pages_and_text(pdf)?;
    assert!(
        pages > titles.len(),
        "{pages} pages for {} case studies",
        titles.len()
    );
    let text = words(&text);
    for t in titles {
        assert!(text.contains(&words(t)), "{t:?} not in the PDF");
    }
    Some(text)
}

/// Text as a PDF's text layer gives it back: words only, in one line.
fn words(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['“', '”'], "\"")
}

fn keep(files: &[&Path]) {
    if let Some(dir) = std::env::var_os("CASETAG_KEEP_PRINTS") {
        let dir = PathBuf::from(dir);
        fs::create_dir_all(&dir).expect("keep dir");
        for f in files {
            if let Some(name) = f.file_name() {
                let _ = fs::copy(f, dir.join(name));
            }
        }
    }
}

#[test]
fn python_docx_reads_the_styles_lists_tables_and_settings_back() {
    let Some(python) = ["python3", "/usr/bin/python3", "python"]
        .iter()
        .filter_map(|p| program(&[p]))
        .find(|p| {
            Command::new(p)
                .args(["-c", "import docx"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        })
    else {
        skip("python3 with python-docx");
        return;
    };
    let out = tempfile::tempdir().expect("tempdir");
    let (docx, titles) = export(Format::Docx, out.path(), "pack.docx");
    let script = r#"
import sys, docx
d = docx.Document(sys.argv[1])
for p in d.paragraphs:
    print("P\t" + p.style.name + "\t" + p.text.replace("\n", " "))
for t in d.tables:
    print("T\t" + t.style.name + "\t" + " | ".join(c.text for c in t.rows[0].cells))
s = d.settings.element
ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
u = s.find(ns + "updateFields")
print("S\tupdateFields\t" + ("" if u is None else u.get(ns + "val")))
"#;
    let o = run_within(
        Command::new(python).args(["-c", script]).arg(&docx),
        Duration::from_secs(60),
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let rows: Vec<Vec<&str>> = stdout.lines().map(|l| l.split('\t').collect()).collect();
    let styled = |style: &str| -> Vec<&str> {
        rows.iter()
            .filter(|r| r.first() == Some(&"P") && r.get(1) == Some(&style))
            .filter_map(|r| r.get(2).copied())
            .collect()
    };
    assert_eq!(styled("Title"), ["CCIN Case Studies Pack"]);
    // every case study is a Heading 2, in the order of the contents
    let h2 = styled("Heading 2");
    let mut sorted_titles = titles.clone();
    sorted_titles.sort();
    let mut sorted_h2: Vec<String> = h2.iter().map(|s| s.to_string()).collect();
    sorted_h2.sort();
    assert_eq!(sorted_h2, sorted_titles);
    assert_eq!(styled("toc 2"), h2, "the contents lists the case studies");
    assert!(!styled("Heading 1").is_empty());
    assert_eq!(styled("TOC Heading"), ["Contents"]);
    // real lists and a real table in Word's own styles
    assert!(
        styled("List Number").contains(&"Asked residents which sites they wanted."),
        "{stdout}"
    );
    assert!(styled("List Bullet 2").contains(&"Seed swaps"), "{stdout}");
    assert!(
        styled("Quote").iter().any(|q| q.contains("<script>")),
        "{stdout}"
    );
    let tables: Vec<&Vec<&str>> = rows.iter().filter(|r| r.first() == Some(&"T")).collect();
    assert!(
        tables
            .iter()
            .any(|t| t.get(1) == Some(&"Table Grid") && t.get(2) == Some(&"Site | Plots | Opened")),
        "{stdout}"
    );
    assert!(stdout.contains("S\tupdateFields\ttrue"), "{stdout}");
    keep(&[&docx]);
}

#[test]
fn libreoffice_converts_the_word_pack_to_a_pdf_with_every_case_study() {
    let Some(office) = program(&["soffice", "libreoffice"]) else {
        skip("LibreOffice (soffice)");
        return;
    };
    let out = tempfile::tempdir().expect("tempdir");
    let (docx, titles) = export(Format::Docx, out.path(), "pack.docx");
    let profile = out.path().join("profile");
    let o = run_within(
        Command::new(office)
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile.display()
            ))
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
            ])
            .arg(out.path())
            .arg(&docx)
            .env("HOME", out.path()),
        Duration::from_secs(180),
    );
    let pdf = out.path().join("pack.pdf");
    let Some(text) = printed_words(&pdf, &o, &titles) else {
        return;
    };
    assert!(text.contains("Failsworth"), "the table's text is printed");
    keep(&[&pdf]);
}

#[test]
fn chromium_prints_the_html_pack_a_page_per_case_study() {
    let Some(browser) = program(&["chromium", "chromium-browser", "google-chrome"]) else {
        skip("Chromium");
        return;
    };
    let out = tempfile::tempdir().expect("tempdir");
    let (html, titles) = export(Format::Html, out.path(), "pack.html");
    let pdf = out.path().join("pack-html.pdf");
    let png = out.path().join("pack-html.png");
    let chromium = |extra: &[String]| {
        let profile = tempfile::tempdir().expect("profile");
        let mut c = Command::new(&browser);
        c.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", html.display()))
        .env("HOME", profile.path());
        run_within(&mut c, Duration::from_secs(120))
    };
    let printed = chromium(&[
        "--no-pdf-header-footer".to_string(),
        format!("--print-to-pdf={}", pdf.display()),
    ]);
    let o = chromium(&[
        "--window-size=900,1400".to_string(),
        format!("--screenshot={}", png.display()),
    ]);
    assert!(
        fs::metadata(&png).is_ok_and(|m| m.len() > 10_000),
        "no screenshot: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    // each case study starts a page of its own, after the title page
    let Some(text) = printed_words(&pdf, &printed, &titles) else {
        return;
    };
    // the script in the text is printed as text, not run
    assert!(text.contains("<script>alert(1)</script>"), "{text}");
    keep(&[&html, &pdf, &png]);
}
