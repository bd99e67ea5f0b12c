//! `casetag demo`: the sample batch, compiled in, written to a folder of its own
//! so trying casetag never changes the repository's `data/sample`.

use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/sample_files.rs"));

/// Writes the sample batch into `dir` (created if needed; must not already
/// hold any of its files), or into a new temporary folder. Returns the folder.
pub fn write_sample(dir: Option<&Path>) -> std::io::Result<PathBuf> {
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
    for (name, _) in SAMPLE_FILES {
        if dir.join(name).exists() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                format!(
                    "{} already holds {name}; choose an empty folder",
                    dir.display()
                ),
            ));
        }
    }
    for (name, bytes) in SAMPLE_FILES {
        std::fs::write(dir.join(name), bytes)?;
    }
    Ok(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sample_is_embedded_and_written_whole() {
        assert!(SAMPLE_FILES.len() >= 16, "{}", SAMPLE_FILES.len());
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("demo");
        let out = write_sample(Some(&dir)).expect("write");
        for (name, bytes) in SAMPLE_FILES {
            assert_eq!(&std::fs::read(out.join(name)).expect("read"), bytes);
        }
        // a second time into the same folder is refused rather than overwriting
        assert!(write_sample(Some(&dir)).is_err());
    }
}
