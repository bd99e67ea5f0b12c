//! The submission reader on any bytes, as `.md` and as `.txt`: never a panic;
//! an error or warning with a line has a column, both counted from 1.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use casetag::submission::parse_submission;
use casetag::taxonomy::Taxonomy;
use libfuzzer_sys::fuzz_target;

static TAXONOMY: LazyLock<Taxonomy> = LazyLock::new(Taxonomy::builtin);

fuzz_target!(|data: &[u8]| {
    for name in ["f.md", "f.txt"] {
        match parse_submission(Path::new(name), data, &TAXONOMY) {
            Ok(s) => {
                for w in &s.warnings {
                    assert!(w.line.is_some_and(|l| l >= 1), "{w}");
                    assert!(w.col.is_some_and(|c| c >= 1), "{w}");
                }
            }
            Err(p) => {
                if let Some(l) = p.line {
                    assert!(l >= 1, "{p}");
                    assert!(p.col.is_some_and(|c| c >= 1), "{p}");
                }
            }
        }
    }
});
