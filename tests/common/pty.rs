//! A pseudo-terminal harness: the real binary in a pseudo-terminal, driven
//! by keys, with the screen read through a terminal emulator.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// One run of casetag in a pseudo-terminal.
pub struct Session {
    pub parser: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
    pub writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    _master: Box<dyn MasterPty + Send>,
}

impl Session {
    pub fn start(
        args: &[&str],
        rows: u16,
        cols: u16,
        env: &[(&str, &str)],
        home: &Path,
    ) -> Session {
        let pty = native_pty_system();
        let pair = pty
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_casetag"));
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("HOME", home);
        cmd.env("USER", "tester");
        cmd.env("XDG_CONFIG_HOME", home.join("config"));
        cmd.env("XDG_DATA_HOME", home.join("data"));
        cmd.env("XDG_STATE_HOME", home.join("state"));
        cmd.env_remove("NO_COLOR");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        let size = |n: u16| std::num::NonZeroU16::new(n).expect("non-zero size");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(size(rows), size(cols), 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (Arc::clone(&parser), Arc::clone(&raw));
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            loop {
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let chunk = buf.get(..n).unwrap_or_default();
                        if let Ok(mut p) = p.lock() {
                            p.process(chunk);
                        }
                        if let Ok(mut r) = r.lock() {
                            r.extend_from_slice(chunk);
                        }
                    }
                }
            }
        });
        Session {
            parser,
            raw,
            writer,
            child,
            _master: pair.master,
        }
    }

    pub fn screen(&self) -> String {
        self.parser.lock().expect("lock").screen().contents()
    }

    /// Waits until the screen shows `text`; fails the test with the screen if not.
    pub fn wait_for(&self, text: &str) {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if self.screen().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        panic!("screen never showed {text:?}:\n{}", self.screen());
    }

    pub fn keys(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
        // let the program draw before the next key, as a person would
        std::thread::sleep(Duration::from_millis(150));
    }

    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(20) {
            if let Some(status) = self.child.try_wait().expect("wait") {
                // give the reader thread a moment to take the last bytes
                std::thread::sleep(Duration::from_millis(200));
                return status.exit_code();
            }
            std::thread::sleep(Duration::from_millis(30));
        }
        let _ = self.child.kill();
        panic!("casetag did not exit:\n{}", self.screen());
    }

    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().expect("lock").clone()
    }

    /// The terminal was put back: alternate screen left, cursor shown.
    pub fn assert_restored(&self) {
        let parser = self.parser.lock().expect("lock");
        let screen = parser.screen();
        assert!(!screen.alternate_screen(), "still in the alternate screen");
        assert!(!screen.hide_cursor(), "cursor left hidden");
        let raw = self.raw();
        let leave = b"\x1b[?1049l";
        assert!(
            raw.windows(leave.len()).any(|w| w == leave),
            "never left the alternate screen"
        );
    }

    /// Sends a signal (`TERM`, `HUP`, ...) to the program with `kill`.
    pub fn signal(&self, name: &str) {
        let pid = self.child.process_id().expect("pid");
        let ok = std::process::Command::new("kill")
            .arg(format!("-{name}"))
            .arg(pid.to_string())
            .status()
            .expect("kill");
        assert!(ok.success(), "kill -{name} {pid} failed");
    }
}
