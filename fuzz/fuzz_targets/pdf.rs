//! The PDF reader on any bytes (a damaged cross-reference table, broken
//! streams, a decompression bomb, fonts without a character map): never a
//! panic, and every promise of `broken_promise` kept.
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use casetag::submission::{broken_promise, parse_submission};
use casetag::taxonomy::Taxonomy;
use libfuzzer_sys::fuzz_target;

static TAXONOMY: LazyLock<Taxonomy> = LazyLock::new(Taxonomy::builtin);

fuzz_target!(|data: &[u8]| {
    let read = parse_submission(Path::new("f.pdf"), data, &TAXONOMY);
    assert_eq!(broken_promise(&read), None);
});
