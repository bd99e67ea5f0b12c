//! The terminal shell: sets the terminal up, feeds key presses to the model,
//! draws it, and restores the terminal however the program ends.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::crossterm::event::{self, Event};

use crate::app::App;
use crate::ui;

/// Runs the program until the officer quits or a signal (SIGTERM, SIGHUP,
/// SIGINT) asks it to stop. The terminal is restored on every path; a panic
/// is restored by the hook `ratatui::try_init` installs.
pub fn run(app: &mut App) -> io::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
    ] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, app, &stop);
    ratatui::restore();
    app.persist_state();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    stop: &AtomicBool,
) -> io::Result<()> {
    loop {
        terminal.draw(|f| ui::draw(f, app))?;
        if app.quit || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        if !event::poll(Duration::from_millis(200))? {
            continue;
        }
        // Drain everything pending, then draw once.
        loop {
            match event::read()? {
                Event::Key(key) => app.handle_key(key),
                Event::Resize(..) => {}
                _ => {}
            }
            if app.quit || !event::poll(Duration::ZERO)? {
                break;
            }
        }
    }
}
