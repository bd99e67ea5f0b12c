//! Every document of the conformance corpus (`../shared/corpus` beside the
//! repository, when it is there) read through the reader `casetag show`
//! uses: none may panic, take over 10 s, or come back as an empty text with
//! nothing to say why. The corpus is not part of the repository (its files
//! have several licences); without it the test says so and passes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use casetag::submission::read_submission_following_links;
use casetag::taxonomy::Taxonomy;

/// The longest one file may take to read (in a debug build).
const LIMIT: Duration = Duration::from_secs(10);
/// Threads reading at once: the machines this runs on are small.
const THREADS: usize = 2;

fn corpus_files(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for format in ["html", "docx", "eml", "pdf", "odt", "msg", "txt"] {
        let Ok(entries) = std::fs::read_dir(root.join(format)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_file() {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_corpus_document_reads_in_time_without_a_panic_or_a_silent_empty_text() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let files = corpus_files(&root);
    if files.is_empty() {
        println!(
            "note: no corpus at {}; nothing to read (the test passes)",
            root.display()
        );
        return;
    }
    let taxonomy = Taxonomy::builtin();
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::<String>::new());
    let slowest = Mutex::new((Duration::ZERO, PathBuf::new()));
    let started = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..THREADS {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(path) = files.get(i) else { break };
                    let t0 = Instant::now();
                    let read = catch_unwind(AssertUnwindSafe(|| {
                        read_submission_following_links(path, &taxonomy)
                    }));
                    let took = t0.elapsed();
                    let name = path.strip_prefix(&root).unwrap_or(path).display();
                    let failure = match &read {
                        Err(_) => Some(format!("{name}: panicked")),
                        Ok(_) if took > LIMIT => Some(format!("{name}: took {took:?}")),
                        Ok(Ok(s)) if s.body.trim().is_empty() && s.warnings.is_empty() => {
                            Some(format!("{name}: read as an empty text with no warning"))
                        }
                        Ok(Err(p)) if p.message.trim().is_empty() => {
                            Some(format!("{name}: refused with no reason"))
                        }
                        Ok(_) => None,
                    };
                    if let Some(f) = failure {
                        failures.lock().unwrap().push(f);
                    }
                    let mut slow = slowest.lock().unwrap();
                    if took > slow.0 {
                        *slow = (took, path.clone());
                    }
                }
            });
        }
    });
    let (took, path) = slowest.into_inner().unwrap();
    println!(
        "read {} corpus files in {:?}; the slowest, {}, in {took:?}",
        files.len(),
        started.elapsed(),
        path.display()
    );
    let failures = failures.into_inner().unwrap();
    assert!(
        failures.is_empty(),
        "{} of {} files:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
