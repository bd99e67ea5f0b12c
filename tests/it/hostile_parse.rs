//! Parsers fed the worst shapes: every reader of casetag's input files takes
//! time linear in its size and refuses what is over its limit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use std::path::Path;
use std::time::{Duration, Instant};

use casetag::keymap::{Keymap, MAX_KEYMAP_BYTES};
use casetag::problem::Problem;
use casetag::record::{MAX_RECORD_BYTES, Record};
use casetag::submission::{MAX_SUBMISSION_BYTES, parse_submission};
use casetag::taxonomy::{MAX_TAXONOMY_BYTES, Taxonomy};
use proptest::prelude::*;

/// A record of `n` tables after the known keys: about 10 bytes a table.
fn record_of_tables(n: usize) -> String {
    let mut s = String::from("submission = \"a.md\"\ndecision = \"decline\"\n");
    for i in 0..n {
        s.push_str(&format!("[t{i}]\n"));
    }
    s
}

/// Times `f`. Not a speed target (benches/parse.rs measures that): the
/// limit is two minutes, far above what a debug build on a busy 2-core
/// machine needs (under 20 s), and far below quadratic work at these sizes
/// (hours: a million lines each scanning two megabytes).
fn within<T>(limit: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < limit, "{what} took {took:?}, more than {limit:?}");
    out
}

#[test]
fn a_record_of_100_000_tables_parses_in_linear_time_with_every_position() {
    let text = record_of_tables(100_000);
    assert!(text.len() as u64 <= MAX_RECORD_BYTES, "{}", text.len());
    let parsed = within(Duration::from_secs(120), "parsing", || {
        Record::parse(&text, Path::new("big.review.toml")).unwrap()
    });
    assert_eq!(parsed.positions.len(), 100_002);
    assert_eq!(parsed.positions["decision"], (2, 1));
    assert_eq!(parsed.positions["t99999"], (100_002, 2));
    assert_eq!(parsed.record.decision.as_deref(), Some("decline"));
}

// ---------------------------------------------------------------------------
// Every parser, fed the worst shapes
// ---------------------------------------------------------------------------

/// The shapes that make parsers slow or deep.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// `a = [[[[...]]]]` or `{ a = { a = ...}}`: nesting as deep as the size allows.
    DeepArrays,
    DeepTables,
    /// One key per line (`kN = "v"`) or one table per line (`[tN]`).
    ManyKeys,
    ManyTables,
    /// One line holding the whole size, in a string or a comment.
    HugeString,
    HugeComment,
    /// Nothing but newlines, or one-character lines.
    TinyLines,
    /// Many keys in one inline table on one line.
    WideInline,
}

const SHAPES: [Shape; 8] = [
    Shape::DeepArrays,
    Shape::DeepTables,
    Shape::ManyKeys,
    Shape::ManyTables,
    Shape::HugeString,
    Shape::HugeComment,
    Shape::TinyLines,
    Shape::WideInline,
];

/// TOML text of the shape, about `size` bytes long.
fn toml_of(shape: Shape, size: usize) -> String {
    let mut s = String::with_capacity(size + 64);
    match shape {
        Shape::DeepArrays => {
            let depth = size / 2;
            s.push_str("a = ");
            s.push_str(&"[".repeat(depth));
            s.push_str(&"]".repeat(depth));
            s.push('\n');
        }
        Shape::DeepTables => {
            let depth = size / 10;
            s.push_str("a = ");
            s.push_str(&"{ a = ".repeat(depth));
            s.push('1');
            s.push_str(&" }".repeat(depth));
            s.push('\n');
        }
        Shape::ManyKeys => {
            let mut i = 0;
            while s.len() < size {
                s.push_str(&format!("k{i} = \"v\"\n"));
                i += 1;
            }
        }
        Shape::ManyTables => {
            let mut i = 0;
            while s.len() < size {
                s.push_str(&format!("[t{i}]\n"));
                i += 1;
            }
        }
        Shape::HugeString => {
            s.push_str("note = \"");
            s.push_str(&"x".repeat(size));
            s.push_str("\"\n");
        }
        Shape::HugeComment => {
            s.push('#');
            s.push_str(&"x".repeat(size));
            s.push('\n');
        }
        Shape::TinyLines => {
            for i in 0..size / 2 {
                s.push_str(if i % 2 == 0 { "\n" } else { "#\n" });
            }
        }
        Shape::WideInline => {
            s.push_str("t = { ");
            let mut i = 0;
            while s.len() < size {
                s.push_str(&format!("k{i} = 1, "));
                i += 1;
            }
            s.push_str("z = 1 }\n");
        }
    }
    s
}

/// A refused file's problem is placed inside it.
fn placed_inside(p: &Problem, text: &str) -> Result<(), TestCaseError> {
    let lines = text.lines().count().max(1) + 1;
    if let Some(line) = p.line {
        prop_assert!(line >= 1 && line <= lines, "line {line} of {lines}: {p}");
    }
    Ok(())
}

/// Far above what a debug build on a busy machine needs (seconds), far below
/// quadratic work at these sizes; speed itself is measured by the benches.
const PER_PARSE: Duration = Duration::from_secs(120);

fn timed<T>(what: &str, shape: Shape, f: impl FnOnce() -> T) -> Result<T, TestCaseError> {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    prop_assert!(took < PER_PARSE, "{what} {shape:?}: {took:?}");
    Ok(out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_record_parser_takes_the_worst_shapes_in_its_stride(
        shape in proptest::sample::select(SHAPES.to_vec()),
        size in 1usize..(MAX_RECORD_BYTES as usize / 4),
    ) {
        let text = toml_of(shape, size);
        let r = timed("record", shape, || Record::parse(&text, Path::new("r.review.toml")))?;
        match r {
            Ok(parsed) => {
                for &(line, col) in parsed.positions.values() {
                    prop_assert!(line >= 1 && col >= 1);
                }
            }
            Err(p) => placed_inside(&p, &text)?,
        }
    }

    #[test]
    fn the_keymap_parser_takes_the_worst_shapes_in_its_stride(
        shape in proptest::sample::select(SHAPES.to_vec()),
        size in 1usize..(MAX_KEYMAP_BYTES as usize),
    ) {
        // as a table of bindings, and at the top
        for text in [format!("[batch]\n{}", toml_of(shape, size)), toml_of(shape, size)] {
            let r = timed("keymap", shape, || {
                Keymap::builtin().with_overrides(&text, Path::new("keymap.toml"))
            })?;
            if let Err(p) = r {
                placed_inside(&p, &text)?;
            }
        }
    }

    #[test]
    fn the_front_matter_parser_takes_the_worst_shapes_in_its_stride(
        shape in proptest::sample::select(SHAPES.to_vec()),
        size in 1usize..(MAX_SUBMISSION_BYTES as usize / 4),
    ) {
        let taxonomy = Taxonomy::builtin();
        let text = format!("+++\n{}+++\n# Title\n", toml_of(shape, size));
        let r = timed("front matter", shape, || {
            parse_submission(Path::new("s.md"), text.as_bytes(), &taxonomy)
        })?;
        match r {
            Ok(s) => {
                for w in &s.warnings {
                    placed_inside(w, &text)?;
                }
            }
            Err(p) => placed_inside(&p, &text)?,
        }
        // the same bytes as a plain-text submission
        let r = timed("text", shape, || {
            parse_submission(Path::new("s.txt"), text.as_bytes(), &taxonomy)
        })?;
        prop_assert!(r.is_ok(), "{:?}", r.err());
    }

    #[test]
    fn the_taxonomy_parser_takes_the_worst_shapes_in_its_stride(
        shape in proptest::sample::select(SHAPES.to_vec()),
        size in 1usize..(MAX_TAXONOMY_BYTES as usize / 4),
    ) {
        let text = toml_of(shape, size);
        let r = timed("taxonomy", shape, || Taxonomy::parse(&text, Path::new("t.toml")))?;
        if let Err(p) = r {
            placed_inside(&p, &text)?;
        }
    }
}

#[test]
fn a_2_mib_submission_of_each_worst_shape_parses_in_linear_time() {
    let taxonomy = Taxonomy::builtin();
    let limit = MAX_SUBMISSION_BYTES as usize;
    let mut one_line = "solidarity ".repeat(limit / 11 - 1);
    one_line.push('\n');
    let tiny = "a\n".repeat(limit / 2 - 1);
    let blank = "\n".repeat(limit - 1);
    let mut many_keys = String::from("+++\n");
    let mut i = 0;
    while many_keys.len() < limit - 64 {
        many_keys.push_str(&format!("k{i} = 1\n"));
        i += 1;
    }
    many_keys.push_str("+++\n# T\n");
    for (name, text) in [
        ("one.txt", &one_line),
        ("one.md", &one_line),
        ("tiny.txt", &tiny),
        ("tiny.md", &tiny),
        ("blank.txt", &blank),
        ("keys.md", &many_keys),
    ] {
        assert!(text.len() as u64 <= MAX_SUBMISSION_BYTES, "{name}");
        let r = within(Duration::from_secs(120), name, || {
            parse_submission(Path::new(name), text.as_bytes(), &taxonomy)
        });
        assert!(r.is_ok(), "{name}: {:?}", r.err());
    }
}

#[test]
fn a_taxonomy_of_many_entries_is_checked_in_linear_time() {
    let mut text = String::from(
        "[rules]\nmax_secondary_categories = 2\nmin_principles_for_approval = 1\nranked_values = 3\n",
    );
    let mut i = 0;
    while text.len() < MAX_TAXONOMY_BYTES as usize - 200 {
        let kind = ["categories", "principles", "values"][i % 3];
        text.push_str(&format!("[[{kind}]]\nid = \"e{i}\"\nlabel = \"E {i}\"\n"));
        i += 1;
    }
    let t = within(Duration::from_secs(120), "taxonomy", || {
        Taxonomy::parse(&text, Path::new("t.toml"))
    });
    assert!(t.is_ok(), "{:?}", t.err());
}

#[test]
fn files_over_a_parsers_limit_are_refused_unread() {
    let d = tempfile::tempdir().unwrap();
    let big = d.path().join("big.toml");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(MAX_TAXONOMY_BYTES + 1).unwrap();
    let p = Taxonomy::load(&big).unwrap_err();
    assert!(p.message.contains("too large"), "{p}");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(MAX_KEYMAP_BYTES + 1).unwrap();
    let p = Keymap::load_from(None, Some(&big)).unwrap_err();
    assert!(p.message.contains("too large"), "{p}");
    #[cfg(unix)]
    {
        let p = Keymap::load_from(None, Some(Path::new("/dev/zero"))).unwrap_err();
        assert!(p.message.contains("not a regular file"), "{p}");
        let p = Taxonomy::load(Path::new("/dev/zero")).unwrap_err();
        assert!(p.message.contains("not a regular file"), "{p}");
    }
}
