//! A keymap keeps a way out: a batch view without a key to quit or to open
//! help, or a context without a way back, is refused with the file and the
//! reason; ctrl-c ends the program as a last resort.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use casetag::app::App;
use casetag::keymap::{Key, Keymap};
use common::{copy_sample, open_app, parse_keys};

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    fs::write(&p, text).unwrap();
    p
}

fn refused(config: Option<&Path>, user: Option<&Path>) -> casetag::problem::Problem {
    match Keymap::load_from(config, user) {
        Ok(_) => panic!("accepted a keymap without a way out"),
        Err(p) => p,
    }
}

#[test]
fn a_keymap_with_no_key_to_quit_the_batch_view_is_refused_naming_the_file() {
    let d = tempfile::tempdir().unwrap();
    let file = write(
        d.path(),
        "locked.toml",
        "[global]\n\"ctrl-c\" = \"help\"\n\n[batch]\nq = \"next\"\n",
    );
    let p = refused(None, Some(&file));
    assert_eq!(p.path, file);
    assert!(p.message.contains("quit"), "{p}");
    assert!(p.message.contains("[batch]"), "{p}");
}

#[test]
fn a_keymap_where_help_cannot_be_reached_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let file = write(
        d.path(),
        "nohelp.toml",
        "[global]\n\"?\" = \"quit\"\nf1 = \"quit\"\n",
    );
    let p = refused(None, Some(&file));
    assert_eq!(p.path, file);
    assert!(p.message.contains("help"), "{p}");
}

#[test]
fn a_context_without_a_way_back_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let file = write(d.path(), "stuck.toml", "[picker]\nesc = \"toggle\"\n");
    let p = refused(None, Some(&file));
    assert!(
        p.message.contains("[picker]") && p.message.contains("cancel"),
        "{p}"
    );
}

#[test]
fn the_config_file_is_blamed_when_it_alone_locks_the_officer_in() {
    let d = tempfile::tempdir().unwrap();
    let config = write(d.path(), "config.toml", "[batch]\nq = \"next\"\n");
    let more = write(d.path(), "more.toml", "[global]\n\"ctrl-c\" = \"help\"\n");
    // the config file alone still quits with ctrl-c
    assert!(Keymap::load_from(Some(&config), None).is_ok());
    // with --keymap laid over it, nothing quits: the last file is named
    let p = refused(Some(&config), Some(&more));
    assert_eq!(p.path, more);
    // a --keymap can also give the way out back
    let fix = write(d.path(), "fix.toml", "[batch]\nQ = \"quit\"\n");
    let locked = write(
        d.path(),
        "locked.toml",
        "[global]\n\"ctrl-c\" = \"help\"\n[batch]\nq = \"next\"\n",
    );
    assert!(Keymap::load_from(Some(&locked), Some(&fix)).is_ok());
}

#[test]
fn rebinding_keys_while_keeping_a_way_out_is_accepted() {
    let d = tempfile::tempdir().unwrap();
    let file = write(
        d.path(),
        "ok.toml",
        "[global]\n\"ctrl-c\" = \"help\"\n[batch]\nq = \"next\"\nZ = \"quit\"\n",
    );
    let km = Keymap::load_from(None, Some(&file)).unwrap();
    assert_eq!(
        km.keys_for(casetag::keymap::Mode::Batch, &casetag::keymap::Action::Quit)
            .len(),
        1
    );
}

fn ctrl_c() -> Key {
    "ctrl-c".parse().unwrap()
}

fn app_with_keymap(dir: &Path, keymap_text: &str) -> App {
    let mut app = open_app(dir, None);
    let km = Keymap::builtin()
        .with_overrides(keymap_text, Path::new("test.toml"))
        .unwrap();
    app.keymap = km;
    app
}

#[test]
fn ctrl_c_bound_in_a_context_acts_there_and_twice_within_a_second_quits() {
    let tmp = copy_sample();
    // ctrl-c taken from global and given to nothing else
    let mut app = app_with_keymap(
        tmp.path(),
        "[global]\n\"ctrl-q\" = \"quit\"\n\"ctrl-c\" = \"help\"\n[picker]\n\"ctrl-c\" = \"toggle\"\n",
    );
    // in the picker ctrl-c is bound: it toggles, it does not quit
    for k in parse_keys("c") {
        app.handle_key(k);
    }
    app.handle_key(ctrl_c());
    assert!(!app.quit);
    std::thread::sleep(Duration::from_millis(1100));
    // a second ctrl-c, but more than a second later: still bound
    app.handle_key(ctrl_c());
    assert!(!app.quit);
    // twice within a second quits however it is bound
    app.handle_key(ctrl_c());
    assert!(app.quit);
}

#[test]
fn ctrl_c_bound_to_nothing_still_quits() {
    let tmp = copy_sample();
    // quit moves to ctrl-q in [global]: ctrl-c is left bound to nothing
    let mut app = app_with_keymap(tmp.path(), "[global]\n\"ctrl-q\" = \"quit\"\n");
    assert_eq!(
        app.keymap.action(casetag::keymap::Mode::Batch, &ctrl_c()),
        None
    );
    app.handle_key(ctrl_c());
    assert!(app.quit);
}

#[test]
fn ctrl_c_bound_to_help_everywhere_quits_when_pressed_twice_within_a_second() {
    let tmp = copy_sample();
    let mut app = app_with_keymap(
        tmp.path(),
        "[global]\n\"ctrl-c\" = \"help\"\n[batch]\nQ = \"quit\"\n",
    );
    app.handle_key(ctrl_c());
    assert!(!app.quit);
    assert_eq!(app.mode(), casetag::keymap::Mode::Help);
    app.handle_key(ctrl_c());
    assert!(app.quit);
}
