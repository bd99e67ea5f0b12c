//! Helpers shared by the integration tests.
#![allow(dead_code)]

pub mod food_hubs;
pub mod mime;
pub mod pdf;
pub mod pty;
pub mod race;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// The text of a drawn buffer, a line a row.
pub fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// The repository's sample batch.
pub fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample")
}

/// Copies the sample batch into a fresh temporary folder.
pub fn copy_sample() -> tempfile::TempDir {
    copy_sample_into(tempfile::tempdir().expect("tempdir"))
}

/// A temporary folder in memory (`/dev/shm`) where there is one, else in the
/// usual place: for tests that save very often and do not test durability
/// (a sync costs nothing there).
pub fn memory_tempdir() -> tempfile::TempDir {
    let shm = Path::new("/dev/shm");
    if shm.is_dir()
        && let Ok(d) = tempfile::tempdir_in(shm)
    {
        return d;
    }
    tempfile::tempdir().expect("tempdir")
}

/// Copies the sample batch into a fresh [`memory_tempdir`].
pub fn copy_sample_in_memory() -> tempfile::TempDir {
    copy_sample_into(memory_tempdir())
}

fn copy_sample_into(tmp: tempfile::TempDir) -> tempfile::TempDir {
    for entry in std::fs::read_dir(sample_dir()).expect("sample dir") {
        let entry = entry.expect("entry");
        if entry.file_type().expect("type").is_file() {
            std::fs::copy(entry.path(), tmp.path().join(entry.file_name())).expect("copy");
        }
    }
    tmp
}

/// Runs the casetag binary with a time limit, so a hang fails the test
/// instead of stalling the suite. HOME and XDG folders point into `home`.
pub fn run_casetag(args: &[&str], home: &Path) -> Output {
    run_casetag_with(args, home, &mut Command::new(env!("CARGO_BIN_EXE_casetag")))
}

/// [`run_casetag`] in the folder `cwd`.
pub fn run_casetag_in(args: &[&str], home: &Path, cwd: &Path) -> Output {
    run_casetag_with(
        args,
        home,
        Command::new(env!("CARGO_BIN_EXE_casetag")).current_dir(cwd),
    )
}

fn run_casetag_with(args: &[&str], home: &Path, command: &mut Command) -> Output {
    command
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"));
    run_within(command, Duration::from_secs(30))
}

/// Runs `command`, its input closed and its output kept, for at most
/// `limit`: a hung program fails the test rather than stalling the suite.
pub fn run_within(command: &mut Command, limit: Duration) -> Output {
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"));
    let start = Instant::now();
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{command:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Asserts that `list` holds `item`, showing the list when it does not.
#[track_caller]
pub fn assert_holds(list: &[String], item: &str) {
    assert!(list.iter().any(|x| x == item), "{item:?} not in {list:?}");
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A clock that moves on ten seconds each time it is read.
pub struct Ticking(pub u64);

impl casetag::app::Clock for Ticking {
    fn now(&mut self) -> u64 {
        self.0 += 10;
        self.0
    }
}

/// The application model over the batch in `dir`, as the officer "officer",
/// with the built-in taxonomy and keymap; `state` keeps positions and undo.
pub fn open_app(dir: &Path, state: Option<&Path>) -> casetag::app::App {
    let taxonomy = casetag::taxonomy::Taxonomy::builtin();
    let batch = casetag::batch::Batch::load(dir, &taxonomy).expect("load");
    casetag::app::App::new(
        batch,
        casetag::app::Options {
            taxonomy,
            keymap: casetag::keymap::Keymap::builtin(),
            reviewer: "officer".into(),
            state_dir: state.map(Path::to_path_buf),
            export_dir: None,
            clock: Box::new(Ticking(1_795_000_000)),
        },
    )
}

/// The keys of a key string, as helix's `test_key_sequence` reads them:
/// `<name>` is one key as keymap files spell it (`<enter>`, `<esc>`,
/// `<ctrl-r>`, `<space>`, `<shift-tab>`), any other character is typed as it
/// is. A `<` that opens no name is typed too.
pub fn parse_keys(seq: &str) -> Vec<casetag::keymap::Key> {
    let mut out = Vec::new();
    let mut rest = seq;
    while let Some(c) = rest.chars().next() {
        // "<>>" names the ">" key: a name is at least one character long.
        let named = (c == '<')
            .then(|| rest.get(2..)?.find('>').map(|end| &rest[1..end + 2]))
            .flatten();
        match named {
            Some(name) => {
                let key = name
                    .parse()
                    .unwrap_or_else(|e| panic!("<{name}> in {seq:?}: {e}"));
                out.push(key);
                rest = &rest[name.len() + 2..];
            }
            None => {
                out.push(casetag::keymap::Key::char(c));
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

/// Presses the keys of a key string (see [`parse_keys`]) into the model.
pub fn keys(app: &mut casetag::app::App, seq: &str) {
    for key in parse_keys(seq) {
        app.handle_key(key);
    }
}

/// The message line's text, or "" when there is none.
pub fn message(app: &casetag::app::App) -> String {
    app.message
        .as_ref()
        .map(|m| m.text.clone())
        .unwrap_or_default()
}

/// Selects the listed submission `file_name`, from the top of the list.
pub fn select(app: &mut casetag::app::App, file_name: &str) {
    use casetag::keymap::Action;
    app.apply(Action::First);
    for _ in 0..app.view.len() {
        if app
            .selected_item()
            .is_some_and(|i| i.file_name == file_name)
        {
            return;
        }
        app.apply(Action::Next);
    }
    panic!("{file_name} not in the list");
}

/// The record of `stem` as it is on disk.
pub fn record_on_disk(dir: &Path, stem: &str) -> casetag::record::Record {
    let path = dir.join(format!("{stem}.review.toml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    match casetag::record::Record::parse(&text, &path) {
        Ok(p) => p.record,
        Err(p) => panic!("{}: {p}", path.display()),
    }
}
