//! A pseudo-terminal harness: the real binary in a pseudo-terminal, driven
//! by keys, with the screen read through a terminal emulator.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// One run of casetag in a pseudo-terminal.
pub struct Session {
    pub parser: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
    pub child: Box<dyn Child + Send + Sync>,
    /// The terminal's side of the pty; `None` once [`Session::hang_up`] closed it.
    terminal: Option<(Box<dyn Write + Send>, Box<dyn MasterPty + Send>)>,
    /// Tells the reader thread to stop (it polls, so it notices).
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
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
        let stop = Arc::new(AtomicBool::new(false));
        let fd = pair.master.as_raw_fd().expect("the pty's file descriptor");
        let stopping = Arc::clone(&stop);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while !stopping.load(Ordering::Relaxed) {
                // Wait for output a little at a time, so that a hang-up can
                // stop this thread and close every handle on the terminal.
                let mut pfd = libc::pollfd {
                    fd,
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd; `fd` stays open until this thread
                // has been joined (see `hang_up`).
                #[allow(unsafe_code)]
                let ready = unsafe { libc::poll(&mut pfd, 1, 50) };
                if ready == 0
                    || (ready < 0
                        && std::io::Error::last_os_error().kind()
                            == std::io::ErrorKind::Interrupted)
                {
                    continue;
                }
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
            child,
            terminal: Some((writer, pair.master)),
            stop,
            reader: Some(reader),
        }
    }

    /// Closes the terminal under the program, as closing its window or losing
    /// the connection does: the kernel hangs up (SIGHUP) and input ends.
    pub fn hang_up(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.reader.take() {
            let _ = t.join();
        }
        self.terminal = None;
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
        let (writer, _) = self.terminal.as_mut().expect("the terminal is open");
        writer.write_all(bytes.as_bytes()).expect("write");
        writer.flush().expect("flush");
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

impl Drop for Session {
    /// A test that fails half-way, or leaves a program running, must not leave
    /// it behind: hang up (SIGHUP, then SIGKILL after a grace period).
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.reader.take() {
            let _ = t.join();
        }
    }
}
