//! The record reader on any text: never a panic; a refused file says where;
//! what it reads is written back in a form it reads the same.
#![no_main]

use std::path::Path;

use casetag::record::Record;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("f.review.toml");
    match Record::parse(text, path) {
        Ok(parsed) => {
            let once = parsed.record.to_toml();
            match Record::parse(&once, path) {
                Ok(again) => assert_eq!(again.record.to_toml(), once),
                Err(p) => panic!("casetag cannot read what it wrote: {p}\n{once}"),
            }
        }
        Err(p) => {
            assert!(p.line.is_some_and(|l| l >= 1), "{p}");
            assert!(p.col.is_some_and(|c| c >= 1), "{p}");
        }
    }
});
