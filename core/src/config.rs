//! The user's settings file, `config.toml` in the platform's config folder
//! (e.g. `~/.config/casetag/config.toml`):
//!
//! ```toml
//! reviewer = "nhuckerby"          # written to records as the reviewer
//! export_dir = "~/exports"        # where the export key writes (default: the batch)
//! after_decision = "next"         # "next": select the next undecided; "stay": stay on it
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::fs::read_regular;
use crate::problem::Problem;
use crate::taxonomy::toml_problem;

/// The largest settings file casetag reads.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub reviewer: Option<String>,
    pub export_dir: Option<PathBuf>,
    /// What follows a decision, in the batch view, the reader and guided
    /// tagging alike (default: the next undecided submission is selected).
    pub after_decision: Option<AfterDecision>,
}

/// Where the selection goes after a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AfterDecision {
    /// The next undecided submission.
    Next,
    /// The submission just decided.
    Stay,
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
        let bytes = match read_regular(path, MAX_CONFIG_BYTES) {
            Ok(Some(b)) => b,
            Ok(None) => return Ok(Config::default()),
            Err(e) => return Err(Problem::file(path, e.to_string())),
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            let lossy = String::from_utf8_lossy(e.as_bytes());
            Problem::at_offset(
                path,
                &lossy,
                e.utf8_error().valid_up_to(),
                "not valid UTF-8",
            )
        })?;
        let mut config: Config =
            toml::from_str(&text).map_err(|e| toml_problem(path, &text, &e))?;
        let home = directories::BaseDirs::new().map(|d| d.home_dir().to_path_buf());
        config.export_dir = config.export_dir.map(|p| expand_home(&p, home.as_deref()));
        Ok(config)
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

/// `~` or `~/...` at the start of a path is the home folder, as in a shell;
/// anything else (`~user`, a `~` further in) is left as written.
pub fn expand_home(path: &Path, home: Option<&Path>) -> PathBuf {
    let Some(home) = home else {
        return path.to_path_buf();
    };
    let mut parts = path.components();
    match parts.next() {
        Some(std::path::Component::Normal(first)) if first == "~" => home.join(parts.as_path()),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tilde_at_the_start_is_the_home_folder() {
        let home = Path::new("/home/ann");
        assert_eq!(
            expand_home(Path::new("~/exports"), Some(home)),
            Path::new("/home/ann/exports")
        );
        assert_eq!(expand_home(Path::new("~"), Some(home)), home);
        assert_eq!(
            expand_home(Path::new("~bob/x"), Some(home)),
            Path::new("~bob/x")
        );
        assert_eq!(
            expand_home(Path::new("/srv/~/x"), Some(home)),
            Path::new("/srv/~/x")
        );
        assert_eq!(expand_home(Path::new("~/x"), None), Path::new("~/x"));
    }

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
        std::fs::write(&p, "after_decision = \"stay\"\n").expect("write");
        let c = Config::load_from(&p).expect("parse");
        assert_eq!(c.after_decision, Some(AfterDecision::Stay));
        std::fs::write(&p, "reviewer = \"ann\"\ncolour = 1\n").expect("write");
        let e = Config::load_from(&p).expect_err("unknown key");
        assert_eq!(e.line, Some(2), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_or_a_folder_is_refused_without_hanging() {
        let tmp = tempfile::tempdir().expect("tmp");
        let p = tmp.path().join("config.toml");
        let status = std::process::Command::new("mkfifo").arg(&p).status();
        assert!(status.is_ok_and(|s| s.success()), "mkfifo failed");
        let (tx, rx) = std::sync::mpsc::channel();
        let q = p.clone();
        std::thread::spawn(move || {
            let _ = tx.send(Config::load_from(&q).map_err(|e| e.to_string()));
        });
        let got = rx.recv_timeout(std::time::Duration::from_secs(10));
        let Ok(Err(m)) = got else {
            panic!("a FIFO was read or hung: {got:?}")
        };
        assert!(m.contains("FIFO (named pipe), not a regular file"), "{m}");
        let d = tmp.path().join("dir.toml");
        std::fs::create_dir(&d).expect("mkdir");
        let e = Config::load_from(&d).expect_err("a folder");
        assert!(e.message.contains("a folder, not a regular file"), "{e}");
    }
}
