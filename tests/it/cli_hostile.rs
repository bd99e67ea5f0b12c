//! Hostile file names and contents through every command: no byte of a file
//! may reach the terminal as a control (issue: terminal injection through the
//! commands). The batch is generated here, so the names need no checkout.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use std::ffi::OsStr;
use std::fs;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::Output;

use casetag::sanitize::{DEFAULT_IGNORABLE, is_unsafe, is_variation_selector};
use proptest::prelude::*;

/// Every trick of the report that started this: a title that retitles the
/// terminal, writes the clipboard, clears the screen, a one-byte CSI and a
/// right-to-left override.
const HOSTILE: &str = "\u{1b}]2;PWNED\u{1b}\\ \u{1b}]52;c;cHduZWQ=\u{7} \u{1b}[2J \u{9b}31m \u{202e}evil \u{7f}\u{200b}";

/// The same as a TOML basic string's escapes.
fn toml_escaped(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\\' => "\\\\".to_string(),
            '"' => "\\\"".to_string(),
            c if c.is_control() || is_unsafe(c) => format!("\\u{:04X}", u32::from(c)),
            c => c.to_string(),
        })
        .collect()
}

/// A name with a terminal title escape in it.
fn hostile_name(stem: &str, ext: &str) -> PathBuf {
    let mut bytes = stem.as_bytes().to_vec();
    bytes.extend_from_slice(b"\x1b]0;FNAME\x07\xe2\x80\xae");
    bytes.extend_from_slice(ext.as_bytes());
    PathBuf::from(OsStr::from_bytes(&bytes))
}

struct Hostile {
    tmp: tempfile::TempDir,
    /// A readable submission whose every field is hostile.
    md: PathBuf,
    /// A text submission with raw control bytes.
    txt: PathBuf,
}

fn hostile_batch() -> Hostile {
    let tmp = tempfile::tempdir().expect("tempdir");
    let d = tmp.path();
    let h = toml_escaped(HOSTILE);
    let md = d.join(hostile_name("n", ".md"));
    let front = format!(
        "+++\ntitle = \"{h}\"\nlead_member = \"{h}\"\nparticipating_members = [\"{h}\", \"Preston\"]\n\
         year = 2024\nstatus = \"{h}\"\ncontact = \"{h}\"\n\"k{h}\" = \"{h}\"\n\n[proposed]\n\
         primary_category = \"{h}\"\nvalues = [\"{h}\"]\n+++\nBody {h}\nwith a tab\there.\n"
    );
    fs::write(&md, front).expect("write md");
    // a record for it that is approved, with a hostile note and an unknown key
    let stem = md.file_stem().expect("stem").as_bytes().to_vec();
    let mut record_name = stem.clone();
    record_name.extend_from_slice(b".review.toml");
    let record = format!(
        "submission = \"{}\"\ndecision = \"approve\"\nprimary_category = \"community\"\n\
         categories = [\"poverty\"]\nprinciples = [\"co-production\"]\n\
         values = [\"solidarity\", \"democracy\", \"equity\"]\nnote = \"{h}\"\nreviewer = \"{h}\"\n\
         \"x{h}\" = 1\n",
        toml_escaped(&md.file_name().expect("name").to_string_lossy())
    );
    fs::write(d.join(OsStr::from_bytes(&record_name)), record).expect("write record");

    let txt = d.join(hostile_name("t", ".txt"));
    let mut raw = Vec::new();
    raw.extend_from_slice(HOSTILE.as_bytes());
    raw.extend_from_slice(
        b"\n\xe2\x80\xa2 Lead Member \x1b]0;LEAD\x07 Council\n\nSome text \x1b[2J\x9b\n",
    );
    fs::write(&txt, raw).expect("write txt");
    // a broken one and an orphan record, both with hostile names
    fs::write(
        d.join(hostile_name("broken", ".md")),
        format!("+++\ntitle = \"{h}\"\nyear = = 1\n+++\n"),
    )
    .expect("write broken");
    fs::write(
        d.join(hostile_name("orphan", ".review.toml")),
        format!("submission = \"{h}.md\"\n"),
    )
    .expect("write orphan");
    Hostile { tmp, md, txt }
}

/// The output holds no control character but newline, nothing that reorders
/// or hides text.
fn assert_inert(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    if let Some(c) = text.chars().find(|&c| c != '\n' && is_unsafe(c)) {
        panic!("{what}: {c:?} reached the output:\n{text}");
    }
}

fn run(args: &[&OsStr], home: &Path) -> Output {
    let args: Vec<&str> = args
        .iter()
        .map(|a| a.to_str().expect("test arguments are UTF-8"))
        .collect();
    common::run_casetag(&args, home)
}

fn assert_run_inert(args: &[&OsStr], home: &Path) -> Output {
    let out = run(args, home);
    let what = format!("casetag {args:?} (exit {:?})", out.status.code());
    assert!(
        !common::stderr(&out).contains("panicked"),
        "{what}: {}",
        common::stderr(&out)
    );
    assert_inert(&format!("{what} stdout"), &out.stdout);
    assert_inert(&format!("{what} stderr"), &out.stderr);
    out
}

fn os(s: &str) -> &OsStr {
    OsStr::new(s)
}

#[test]
fn every_command_keeps_hostile_text_inert() {
    let b = hostile_batch();
    let home = tempfile::tempdir().expect("home");
    let dir = b.tmp.path().as_os_str();
    let (md, txt) = (b.md.as_os_str(), b.txt.as_os_str());

    let check = assert_run_inert(&[os("check"), dir], home.path());
    assert_eq!(check.status.code(), Some(1));
    let text = common::stdout(&check);
    assert!(
        text.contains("␛]0;FNAME␇"),
        "file names are shown, inert:\n{text}"
    );
    assert_run_inert(&[os("check"), os("-W"), dir], home.path());
    assert_run_inert(&[os("stats"), dir], home.path());
    assert_run_inert(&[os("stats"), os("--json"), dir], home.path());

    let show = assert_run_inert(&[os("show"), md], home.path());
    let text = common::stdout(&show);
    assert!(text.contains("␛]2;PWNED␛\\"), "{text}");
    assert!(text.contains("\\x9b31m"), "{text}");
    assert!(text.contains("<U+202E>"), "{text}");
    assert_run_inert(&[os("show"), txt], home.path());
    assert_run_inert(&[os("show"), os("--json"), txt], home.path());

    // JSON stays the exact data, only escaped
    let json = assert_run_inert(&[os("show"), os("--json"), md], home.path());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("show --json parses");
    assert_eq!(v["title"].as_str(), Some(HOSTILE), "{v}");

    let exported = assert_run_inert(
        &[
            os("export"),
            dir,
            os("--format"),
            os("json"),
            os("--note"),
            os("--force"),
        ],
        home.path(),
    );
    let v: serde_json::Value =
        serde_json::from_slice(&exported.stdout).expect("export json parses");
    assert!(v.to_string().contains("PWNED"), "{v}");
    let out_dir = tempfile::tempdir().expect("out");
    for format in ["csv", "pack"] {
        let target = out_dir.path().join(hostile_name("export", ".out"));
        assert_run_inert(
            &[
                os("export"),
                dir,
                os("--format"),
                os(format),
                os("--force"),
                os("-o"),
                target.as_os_str(),
            ],
            home.path(),
        );
        assert!(target.exists());
    }
    // error messages name the file inertly too
    let nowhere = b.tmp.path().join(hostile_name("missing", "")).join("x.csv");
    let out = assert_run_inert(
        &[
            os("export"),
            dir,
            os("--format"),
            os("csv"),
            os("-o"),
            nowhere.as_os_str(),
        ],
        home.path(),
    );
    assert_eq!(out.status.code(), Some(2));
    let missing = b.tmp.path().join(hostile_name("missing", ""));
    for cmd in ["check", "stats", "show"] {
        let out = assert_run_inert(&[os(cmd), missing.as_os_str()], home.path());
        assert_ne!(out.status.code(), Some(0));
        assert!(
            common::stderr(&out).contains("␛]0;FNAME␇"),
            "{}",
            common::stderr(&out)
        );
    }
    let out = assert_run_inert(&[missing.as_os_str()], home.path());
    assert_eq!(out.status.code(), Some(2));
}

/// `show` and `check` over any bytes and any name, run in-process.
fn in_process(name: &[u8], bytes: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join(OsStr::from_bytes(name));
    fs::write(&file, bytes).expect("write");
    let taxonomy = casetag::taxonomy::Taxonomy::builtin();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    for json in [false, true] {
        casetag::cli::show(&file, &taxonomy, json, &mut out, &mut err);
    }
    casetag::cli::check(tmp.path(), &taxonomy, true, &mut out, &mut err);
    (out, err)
}

/// Any default-ignorable character (Unicode's own table, the one the
/// sanitiser uses), as UTF-8: tag characters, Hangul fillers, variation
/// selectors and the rest, which a terminal draws as nothing.
fn any_default_ignorable() -> impl Strategy<Value = Vec<u8>> {
    prop::sample::select(DEFAULT_IGNORABLE.to_vec())
        .prop_flat_map(|(lo, hi)| lo..=hi)
        .prop_map(|c| char::from_u32(c).unwrap_or('a').to_string().into_bytes())
}

/// Whether `text` holds nothing that may not reach the terminal: no unsafe
/// character but newline, and no variation selector but one right after a
/// visible character.
fn is_inert(text: &str) -> bool {
    let mut prev: Option<char> = None;
    text.chars().all(|c| {
        let base =
            prev.is_some_and(|p| !is_unsafe(p) && !is_variation_selector(p) && !p.is_whitespace());
        prev = Some(c);
        c == '\n' || !(is_unsafe(c) || (is_variation_selector(c) && !base))
    })
}

fn any_name() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        any::<u8>()
            .prop_filter("not a separator or NUL", |b| *b != b'/' && *b != 0)
            .prop_map(|b| vec![b]),
        prop::sample::select(vec![0x1b, 0x07, 0x9b, b']', b';', b'\n', b'\r', b'\t'])
            .prop_map(|b| vec![b]),
        any_default_ignorable(),
    ];
    (
        prop::collection::vec(byte, 1..24).prop_map(|v| v.concat()),
        prop::sample::select(vec![".md", ".txt"]),
    )
        .prop_map(|(mut v, ext)| {
            v.truncate(200);
            v.extend_from_slice(ext.as_bytes());
            v
        })
}

fn any_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        prop::collection::vec(any::<u8>(), 0..16),
        prop::sample::select(vec![
            b"+++\n".to_vec(),
            b"title = \"".to_vec(),
            b"\"\n".to_vec(),
            b"\\u001b]0;x\\u0007".to_vec(),
            b"\\u009b\\u202e".to_vec(),
            b"\x1b]52;c;eA==\x07".to_vec(),
            "\u{9b}\u{202e}\u{2066}".as_bytes().to_vec(),
            b"\xe2\x80\xa2 Lead Member ".to_vec(),
            b"Principles met\n".to_vec(),
            b"\n".to_vec(),
        ]),
        any_default_ignorable(),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn show_and_check_output_is_inert_for_any_file(name in any_name(), bytes in any_bytes()) {
        let (out, err) = in_process(&name, &bytes);
        let (out, err) = (String::from_utf8_lossy(&out), String::from_utf8_lossy(&err));
        prop_assert!(is_inert(&out), "stdout: {out:?}");
        prop_assert!(is_inert(&err), "stderr: {err:?}");
    }
}

#[test]
fn show_json_reads_a_file_whose_name_is_not_utf8() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join(OsStr::from_bytes(b"caf\xe9 hubs.txt"));
    fs::write(&file, "Community food hubs\n\nA text.\n").expect("write");
    let taxonomy = casetag::taxonomy::Taxonomy::builtin();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let rc = casetag::cli::show(&file, &taxonomy, true, &mut out, &mut err);
    assert_eq!(rc, 0, "{}", String::from_utf8_lossy(&err));
    let v: serde_json::Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(v["title"].as_str(), Some("Community food hubs"), "{v}");
    assert!(
        v["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("caf\u{fffd} hubs.txt")),
        "{v}"
    );
}
