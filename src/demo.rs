//! `casetag demo`: the sample batch, compiled in, written to a folder of its own
//! so trying casetag never changes the repository's `data/sample`.

use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/sample_files.rs"));

/// Where the sample batch is, and whether it was there already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Demo {
    pub dir: PathBuf,
    /// `dir` already held the sample (from an earlier `casetag demo DIR`),
    /// so nothing was written and the officer's records there are kept.
    pub existing: bool,
}

/// Writes the sample batch into `dir` (created if needed), or into a new
/// temporary folder. A folder that already holds every sample submission as
/// written is an earlier demo: it is left as it is, records included. A folder
/// holding only some of them, or changed ones, is refused rather than mixed.
pub fn write_sample(dir: Option<&Path>) -> std::io::Result<Demo> {
    let dir = match dir {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            d.to_path_buf()
        }
        None => tempfile::Builder::new()
            .prefix("casetag-demo-")
            .tempdir()?
            .keep(),
    };
    if holds_the_sample(&dir) {
        return Ok(Demo {
            dir,
            existing: true,
        });
    }
    for (name, _) in SAMPLE_FILES {
        // symlink_metadata: a dangling link is something there too.
        if std::fs::symlink_metadata(dir.join(name)).is_ok() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!(
                    "{} already holds {name} but not the whole sample; choose an empty folder",
                    dir.display()
                ),
            ));
        }
    }
    for (name, bytes) in SAMPLE_FILES {
        // create_new never follows a link put there since the check above.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(dir.join(name))?;
        std::io::Write::write_all(&mut f, bytes)?;
    }
    Ok(Demo {
        dir,
        existing: false,
    })
}

/// Whether every sample submission is in `dir` with its bytes unchanged
/// (records may differ: they hold the officer's work).
fn holds_the_sample(dir: &Path) -> bool {
    SAMPLE_FILES
        .iter()
        .filter(|(name, _)| !name.ends_with(".review.toml"))
        .all(|(name, bytes)| std::fs::read(dir.join(name)).is_ok_and(|b| b == *bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_is_embedded_and_written_whole() {
        assert!(SAMPLE_FILES.len() >= 16, "{}", SAMPLE_FILES.len());
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("demo");
        let demo = write_sample(Some(&dir)).expect("write");
        assert!(!demo.existing);
        for (name, bytes) in SAMPLE_FILES {
            assert_eq!(&std::fs::read(demo.dir.join(name)).expect("read"), bytes);
        }
        // a second time into the same folder opens it as it is, work kept
        let record = SAMPLE_FILES
            .iter()
            .map(|(name, _)| *name)
            .find(|n| n.ends_with(".review.toml"))
            .expect("the sample has records");
        std::fs::write(dir.join(record), "decision = \"decline\"\n").expect("work");
        let again = write_sample(Some(&dir)).expect("reopen");
        assert!(again.existing);
        assert_eq!(
            std::fs::read_to_string(dir.join(record)).expect("read"),
            "decision = \"decline\"\n"
        );
        // a folder with a changed submission is refused, not mixed
        let (name, _) = SAMPLE_FILES
            .iter()
            .find(|(n, _)| !n.ends_with(".review.toml"))
            .expect("a submission");
        std::fs::write(dir.join(name), "changed").expect("change");
        assert!(write_sample(Some(&dir)).is_err());
        assert_eq!(std::fs::read(dir.join(name)).expect("read"), b"changed");
    }

    #[cfg(unix)]
    #[test]
    fn a_dangling_link_in_the_folder_is_never_written_through() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("demo");
        std::fs::create_dir(&dir).expect("mkdir");
        let (name, _) = SAMPLE_FILES[0];
        let outside = tmp.path().join("outside");
        std::os::unix::fs::symlink(&outside, dir.join(name)).expect("link");
        assert!(write_sample(Some(&dir)).is_err());
        assert!(!outside.exists(), "written through the link");
    }
}
