//! The user's settings file, `config.toml` in the platform's config folder
//! (e.g. `~/.config/casetag/config.toml`):
//!
//! ```toml
//! reviewer = "nhuckerby"          # written to records as the reviewer
//! export_dir = "~/exports"        # where the export key writes (default: the batch)
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::problem::Problem;
use crate::taxonomy::toml_problem;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub reviewer: Option<String>,
    pub export_dir: Option<PathBuf>,
}

/// The platform's config folder for casetag.
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "casetag").map(|d| d.config_dir().to_path_buf())
}

impl Config {
    /// Reads `config.toml` from the config folder; a missing file is the default.
    pub fn load() -> Result<Config, Problem> {
        match config_dir() {
            Some(dir) => Config::load_from(&dir.join("config.toml")),
            None => Ok(Config::default()),
        }
    }

    pub fn load_from(path: &Path) -> Result<Config, Problem> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Config::default()),
            Err(e) => return Err(Problem::file(path, format!("cannot read: {e}"))),
        };
        toml::from_str(&text).map_err(|e| toml_problem(path, &text, &e))
    }

    /// The reviewer: `--reviewer`, else this file, else the login name.
    pub fn reviewer(&self, flag: Option<&str>) -> String {
        flag.map(str::to_string)
            .or_else(|| self.reviewer.clone())
            .or_else(|| std::env::var("USER").ok())
            .or_else(|| std::env::var("LOGNAME").ok())
            .or_else(|| whoami::username().ok())
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "unknown".to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_settings_and_refuses_unknown_keys() {
        let tmp = tempfile::tempdir().expect("tmp");
        let p = tmp.path().join("config.toml");
        assert_eq!(
            Config::load_from(&p).expect("missing is fine"),
            Config::default()
        );
        std::fs::write(&p, "reviewer = \"ann\"\n").expect("write");
        let c = Config::load_from(&p).expect("parse");
        assert_eq!(c.reviewer(None), "ann");
        assert_eq!(c.reviewer(Some("bob")), "bob");
        std::fs::write(&p, "reviewer = \"ann\"\ncolour = 1\n").expect("write");
        let e = Config::load_from(&p).expect_err("unknown key");
        assert_eq!(e.line, Some(2), "{e}");
    }
}
