//! The PDF reader on any bytes (a damaged cross-reference table, broken
//! streams, a decompression bomb, fonts without a character map): never a
//! panic; a warning with a line has a column, both counted from 1.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use casetag::submission::parse_submission;
use casetag::taxonomy::Taxonomy;
use libfuzzer_sys::fuzz_target;

static TAXONOMY: LazyLock<Taxonomy> = LazyLock::new(Taxonomy::builtin);

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = parse_submission(Path::new("f.pdf"), data, &TAXONOMY) {
        for w in &s.warnings {
            if let Some(l) = w.line {
                assert!(l >= 1 && w.col.is_some_and(|c| c >= 1), "{w}");
            }
        }
    }
});
