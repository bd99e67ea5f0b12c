//! Parsers fed the worst shapes: every reader of casetag's input files takes
//! time linear in its size and refuses what is over its limit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use std::path::Path;
use std::time::{Duration, Instant};

use casetag::record::{MAX_RECORD_BYTES, Record};

/// A record of `n` tables after the known keys: about 10 bytes a table.
fn record_of_tables(n: usize) -> String {
    let mut s = String::from("submission = \"a.md\"\ndecision = \"decline\"\n");
    for i in 0..n {
        s.push_str(&format!("[t{i}]\n"));
    }
    s
}

/// Times `f`, generous enough for a debug build on a busy machine, tight
/// enough that quadratic work (seconds to minutes at these sizes) fails.
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
    let parsed = within(Duration::from_secs(10), "parsing", || {
        Record::parse(&text, Path::new("big.review.toml")).unwrap()
    });
    assert_eq!(parsed.positions.len(), 100_002);
    assert_eq!(parsed.positions["decision"], (2, 1));
    assert_eq!(parsed.positions["t99999"], (100_002, 2));
    assert_eq!(parsed.record.decision.as_deref(), Some("decline"));
}
