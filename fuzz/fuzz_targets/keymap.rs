//! The keymap reader on any text, alone and laid over the default: never a
//! panic; a keymap it refuses says where (line and column, from 1).
#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use casetag::keymap::Keymap;
use libfuzzer_sys::fuzz_target;

static DEFAULT: LazyLock<Keymap> = LazyLock::new(Keymap::builtin);

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("k.toml");
    for result in [
        Keymap::parse(text, path),
        DEFAULT.clone().with_overrides(text, path),
    ] {
        if let Err(p) = result {
            assert!(p.line.is_some_and(|l| l >= 1), "{p}");
            assert!(p.col.is_some_and(|c| c >= 1), "{p}");
        }
    }
});
