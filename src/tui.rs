//! The terminal shell: sets the terminal up, feeds key presses to the model,
//! draws it, and restores the terminal however the program ends.

use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, TryRecvError};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event};
use ratatui::layout::Rect;
use ratatui::{TerminalOptions, Viewport};

use crate::app::App;
use crate::batch::{Item, load_items};
use crate::keymap::{Key, KeyCode, KeyModifiers};
use crate::ui;

/// The longest stretch of queued keys handled without drawing.
const DRAIN_FOR: Duration = Duration::from_millis(100);

/// How many submissions the reader sends at a time (read on every core).
const CHUNK: usize = 512;

/// How many submissions the search tries loosely between two looks at the
/// keyboard (a few milliseconds' work).
const SEARCH_SLICE: usize = 4096;

/// The signals that ask the program to stop, save and restore the terminal.
/// On unix a closed terminal sends SIGHUP. Windows has no hang-up: closing
/// the console ends the process, and since every change is written at once
/// by an atomic replace (std's `rename`, `MoveFileEx` with replace there)
/// nothing is lost; in raw mode `ctrl-c` is a key there as here.
#[cfg(unix)]
const STOP_SIGNALS: &[std::ffi::c_int] = &[
    signal_hook::consts::SIGTERM,
    signal_hook::consts::SIGHUP,
    signal_hook::consts::SIGINT,
];
#[cfg(not(unix))]
const STOP_SIGNALS: &[std::ffi::c_int] =
    &[signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT];

/// Runs the program until the officer quits or a signal (`STOP_SIGNALS`)
/// asks it to stop. The terminal is restored on every path; a panic
/// is restored by the hook `ratatui::try_init` installs.
///
/// `to_read` are submissions still to be read: a background thread reads
/// them while the list grows on screen and keys keep working.
pub fn run(app: &mut App, to_read: Vec<PathBuf>) -> io::Result<()> {
    let incoming = start_reading(app, to_read);
    let stop = Arc::new(AtomicBool::new(false));
    for &sig in STOP_SIGNALS {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    let mut terminal = init_terminal()?;
    paste_mode(true);
    let keys = read_input();
    let result = event_loop(&mut terminal, app, &stop, &keys, incoming.as_ref());
    // The officer's work first, the terminal after: when the terminal has
    // gone (its window closed) every write to it fails, and nothing that
    // happens there may cost the note being typed. A signal may come while a
    // failed save waits for its retry: one more try; a note being typed is
    // kept as a draft; then the position and history.
    app.save_pending();
    app.keep_unsaved_notes();
    app.stash_draft();
    app.persist_state();
    restore_terminal();
    result
}

/// Puts the terminal back, ignoring every error: a terminal that is gone
/// cannot be told anything, and an error printed to it would fail too
/// (`ratatui::restore` prints, and printing to a closed terminal panics).
fn restore_terminal() {
    paste_mode(false);
    let _ = ratatui::try_restore();
}

/// Replaces the panic hook `ratatui::try_init` installs (which restores with
/// `ratatui::restore`, printing its error, so a panic with the terminal gone
/// panicked again and aborted) by one that restores quietly, then runs the
/// hook that was there before `try_init`.
fn quiet_panic_hook(before_init: PanicHook) {
    drop(std::panic::take_hook());
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        before_init(info);
    }));
}

type PanicHook = Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Sync + Send + 'static>;

/// The largest area drawn: more columns and rows than any screen shows
/// readably. Past it the terminal stays blank, and memory follows what is
/// drawn rather than the size a terminal claims (a 9999x9999 terminal made
/// the two screen buffers grow to gigabytes).
pub const MAX_COLS: u16 = 1000;
pub const MAX_ROWS: u16 = 500;

/// The area drawn in a terminal of `cols` x `rows`.
pub fn drawing_area(cols: u16, rows: u16) -> Rect {
    Rect::new(0, 0, cols.min(MAX_COLS), rows.min(MAX_ROWS))
}

/// What `ratatui::try_init` does (panic hook, raw mode, alternate screen),
/// with a drawing area of a fixed size that follows the terminal's size up
/// to [`MAX_COLS`] x [`MAX_ROWS`] (see [`resize`]).
fn init_terminal() -> io::Result<ratatui::DefaultTerminal> {
    let (cols, rows) = ratatui::crossterm::terminal::size()?;
    let options = TerminalOptions {
        viewport: Viewport::Fixed(drawing_area(cols, rows)),
    };
    let before_init = std::panic::take_hook();
    let terminal = match ratatui::try_init_with_options(options) {
        Ok(t) => t,
        Err(e) => {
            std::panic::set_hook(before_init);
            return Err(e);
        }
    };
    quiet_panic_hook(before_init);
    // Cleared by hand: `Terminal::clear` asks the terminal where its cursor
    // is, a round trip that some terminals never answer.
    use ratatui::crossterm::terminal::{Clear, ClearType, EnterAlternateScreen};
    ratatui::crossterm::execute!(io::stdout(), EnterAlternateScreen, Clear(ClearType::All))?;
    Ok(terminal)
}

/// Follows a change of the terminal's size (a fixed drawing area is not
/// resized by ratatui itself).
fn resize(terminal: &mut ratatui::DefaultTerminal, cols: u16, rows: u16) -> io::Result<()> {
    terminal.resize(drawing_area(cols, rows))
}

/// Turns bracketed paste on or off: with it on, the terminal sends a paste
/// as one event of text, so a pasted newline or `x` is never a key. Turning
/// it on and off is best effort.
fn paste_mode(on: bool) {
    use ratatui::crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
    // Best effort: a terminal without it sends pastes as keys, as before.
    if on {
        // A panic turns it off again: the panic hook restores the terminal
        // with `restore_terminal` (see `quiet_panic_hook`).
        let _ = ratatui::crossterm::execute!(io::stdout(), EnableBracketedPaste);
    } else {
        let _ = ratatui::crossterm::execute!(io::stdout(), DisableBracketedPaste);
    }
}

/// Starts reading `paths` in the background; `None` when there is nothing
/// to read.
fn start_reading(app: &mut App, paths: Vec<PathBuf>) -> Option<Receiver<Vec<Item>>> {
    if paths.is_empty() {
        app.finish_loading();
        return None;
    }
    app.loading = Some((app.batch.items.len(), paths.len()));
    let (tx, rx) = mpsc::channel();
    let taxonomy = app.taxonomy.clone();
    std::thread::spawn(move || {
        for chunk in paths.chunks(CHUNK) {
            let mut items = load_items(chunk.to_vec(), &taxonomy);
            // here, not on the thread that draws
            items.iter_mut().for_each(Item::sketch_text);
            if tx.send(items).is_err() {
                return;
            }
        }
    });
    Some(rx)
}

/// Takes whatever the reader has sent so far; true when anything came (or
/// the reading ended), so the screen needs drawing.
fn receive(app: &mut App, incoming: Option<&Receiver<Vec<Item>>>) -> bool {
    let Some(rx) = incoming else { return false };
    if app.loading.is_none() {
        return false;
    }
    let mut changed = false;
    loop {
        match rx.try_recv() {
            Ok(items) => {
                app.push_items(items);
                changed = true;
            }
            Err(TryRecvError::Empty) => return changed,
            Err(TryRecvError::Disconnected) => {
                app.finish_loading();
                return true;
            }
        }
    }
}

/// Reads terminal events on a thread of its own. When the terminal goes away
/// (the window closed, the connection dropped) crossterm can keep reading an
/// empty input without returning; on its own thread that cannot stop the
/// program, which sees the hang-up signal and ends.
fn read_input() -> Receiver<io::Result<Event>> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        loop {
            let ev = event::read();
            let failed = ev.is_err();
            if tx.send(ev).is_err() || failed {
                return;
            }
        }
    });
    rx
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    stop: &AtomicBool,
    keys: &Receiver<io::Result<Event>>,
    incoming: Option<&Receiver<Vec<Item>>>,
) -> io::Result<()> {
    // Drawn only when something changed: a key, a paste, a resize, more of
    // the batch read, or more matches of the search found. Idle, the loop
    // only wakes to see a signal.
    let mut dirty = true;
    loop {
        dirty |= receive(app, incoming);
        if dirty {
            terminal.draw(|f| ui::draw(f, app))?;
            dirty = false;
        }
        if app.quit || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        // While the search looks for looser matches, take a key as soon as
        // one comes and work in slices between; while reading, wake often so
        // the list grows smoothly.
        let wait = if app.search_busy() {
            0
        } else if app.loading.is_some() {
            30
        } else {
            200
        };
        let first = match keys.recv_timeout(Duration::from_millis(wait)) {
            Ok(ev) => ev?,
            Err(RecvTimeoutError::Timeout) => {
                if app.search_busy() {
                    dirty |= app.search_work(SEARCH_SLICE);
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        };
        dirty = true;
        // Handle what is pending, then draw once. A signal is seen between
        // any two keys, however many are queued, and the screen is drawn
        // now and then during a long queue (a lost terminal fails the draw).
        handle(terminal, app, first)?;
        let draining = Instant::now();
        while !app.quit && !stop.load(Ordering::Relaxed) && draining.elapsed() < DRAIN_FOR {
            match keys.try_recv() {
                Ok(ev) => handle(terminal, app, ev?)?,
                Err(_) => break,
            }
        }
    }
}

fn handle(terminal: &mut ratatui::DefaultTerminal, app: &mut App, ev: Event) -> io::Result<()> {
    match ev {
        Event::Key(key) => {
            if let Some(key) = key_of(&key) {
                app.screen_too_small = ratatui::crossterm::terminal::size()
                    .is_ok_and(|(w, h)| w < crate::ui::MIN_WIDTH || h < crate::ui::MIN_HEIGHT);
                app.handle_key(key);
            }
        }
        Event::Paste(text) => app.apply(crate::keymap::Action::Paste(text)),
        Event::Resize(cols, rows) => resize(terminal, cols, rows)?,
        _ => {}
    }
    Ok(())
}

/// casetag's key for a terminal key event: presses only (releases and
/// repeats reported by some terminals are not keys), normalised as the
/// keymap's keys are.
pub fn key_of(ev: &event::KeyEvent) -> Option<Key> {
    use event::KeyCode as C;
    if ev.kind != event::KeyEventKind::Press {
        return None;
    }
    let code = match ev.code {
        C::Backspace => KeyCode::Backspace,
        C::Enter => KeyCode::Enter,
        C::Left => KeyCode::Left,
        C::Right => KeyCode::Right,
        C::Up => KeyCode::Up,
        C::Down => KeyCode::Down,
        C::Home => KeyCode::Home,
        C::End => KeyCode::End,
        C::PageUp => KeyCode::PageUp,
        C::PageDown => KeyCode::PageDown,
        C::Tab => KeyCode::Tab,
        C::BackTab => KeyCode::BackTab,
        C::Delete => KeyCode::Delete,
        C::Insert => KeyCode::Insert,
        C::F(n) => KeyCode::F(n),
        C::Char(c) => KeyCode::Char(c),
        C::Esc => KeyCode::Esc,
        _ => KeyCode::Other,
    };
    let m = ev.modifiers;
    let mut mods = KeyModifiers::NONE;
    for (theirs, ours) in [
        (event::KeyModifiers::SHIFT, KeyModifiers::SHIFT),
        (event::KeyModifiers::CONTROL, KeyModifiers::CONTROL),
        (event::KeyModifiers::ALT, KeyModifiers::ALT),
        (event::KeyModifiers::SUPER, KeyModifiers::SUPER),
        (event::KeyModifiers::HYPER, KeyModifiers::HYPER),
        (event::KeyModifiers::META, KeyModifiers::META),
    ] {
        mods.set(ours, m.contains(theirs));
    }
    Some(Key::new(code, mods))
}

#[cfg(test)]
mod tests {
    use super::*;
    use event::{KeyEvent, KeyEventKind, KeyEventState};

    fn ev(code: event::KeyCode, mods: event::KeyModifiers, kind: KeyEventKind) -> KeyEvent {
        KeyEvent {
            code,
            modifiers: mods,
            kind,
            state: KeyEventState::NONE,
        }
    }

    fn key(s: &str) -> Option<Key> {
        s.parse().ok()
    }

    #[test]
    fn terminal_events_become_normalised_keys() {
        use event::KeyCode as C;
        use event::KeyModifiers as M;
        let k = |c, m| key_of(&ev(c, m, KeyEventKind::Press));
        assert_eq!(k(C::Char('G'), M::SHIFT), key("G"));
        assert_eq!(k(C::Char('g'), M::SHIFT), key("G"));
        assert_eq!(k(C::Char('?'), M::SHIFT), key("?"));
        assert_eq!(k(C::BackTab, M::SHIFT), key("shift-tab"));
        assert_eq!(k(C::Tab, M::SHIFT), key("shift-tab"));
        assert_eq!(k(C::Char('c'), M::CONTROL), key("ctrl-c"));
        assert_eq!(k(C::Char('j'), M::ALT), key("alt-j"));
        assert_eq!(k(C::F(1), M::NONE), key("f1"));
        assert_eq!(k(C::PageDown, M::NONE), key("pagedown"));
        assert_eq!(
            k(C::CapsLock, M::NONE).map(|k| k.code),
            Some(KeyCode::Other)
        );
    }

    #[test]
    fn the_drawing_area_follows_the_terminal_up_to_a_limit() {
        assert_eq!(drawing_area(80, 24), Rect::new(0, 0, 80, 24));
        assert_eq!(
            drawing_area(9999, 9999),
            Rect::new(0, 0, MAX_COLS, MAX_ROWS)
        );
        assert_eq!(drawing_area(0, 0), Rect::new(0, 0, 0, 0));
    }

    #[test]
    fn releases_and_repeats_are_not_keys() {
        let c = event::KeyCode::Char('x');
        let none = event::KeyModifiers::NONE;
        assert_eq!(key_of(&ev(c, none, KeyEventKind::Release)), None);
        assert_eq!(key_of(&ev(c, none, KeyEventKind::Repeat)), None);
        assert_eq!(key_of(&ev(c, none, KeyEventKind::Press)), key("x"));
    }
}
