use super::key::{MAX_F, MODIFIERS, NAMED};
use super::*;
use proptest::prelude::*;

fn key(s: &str) -> Key {
    match s.parse() {
        Ok(k) => k,
        Err(e) => panic!("{s:?} does not parse: {e}"),
    }
}

fn parse(text: &str) -> Result<Keymap, Problem> {
    Keymap::parse(text, Path::new("k.toml"))
}

/// The problem a keymap text must cause, with its line asserted.
fn refused(text: &str, line: usize) -> Problem {
    match parse(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(p) => {
            assert_eq!(p.line, Some(line), "wrong line for {p}");
            assert!(p.col.is_some(), "no column in {p}");
            assert_eq!(p.path, Path::new("k.toml"));
            p
        }
    }
}

#[test]
fn the_shipped_keymap_parses_and_binds_every_action_where_it_belongs() {
    let km = match parse(DEFAULT_KEYMAP) {
        Ok(k) => k,
        Err(p) => panic!("{p}"),
    };
    for action in Action::ALL {
        let bound = Mode::ALL.into_iter().any(|m| {
            m.allows(&action)
                && km
                    .tables
                    .get(&m)
                    .is_some_and(|t| t.order.iter().any(|(_, a)| *a == action))
        });
        assert!(bound, "{action} is bound nowhere");
    }
    // Every mode has the actions it needs.
    for mode in Mode::ALL {
        for action in mode.actions() {
            if matches!(action, Action::Quit | Action::Help) {
                continue;
            }
            assert!(
                !km.keys_for(mode, &action).is_empty(),
                "{action} has no key in [{mode}]"
            );
        }
    }
    assert_eq!(km.action(Mode::Batch, &key("j")), Some(Action::Next));
    assert_eq!(km.action(Mode::Batch, &key("G")), Some(Action::Last));
    assert_eq!(km.action(Mode::Batch, &key("shift-g")), Some(Action::Last));
    assert_eq!(km.action(Mode::Batch, &key("ctrl-c")), Some(Action::Quit));
    assert_eq!(km.action(Mode::Picker, &key("space")), Some(Action::Toggle));
    // builtin() is the same file
    assert_eq!(Keymap::builtin().bindings(), km.bindings());
}

#[test]
fn every_key_in_the_shipped_file_round_trips() {
    let km = Keymap::builtin();
    let mut n = 0;
    for (_, actions) in km.bindings() {
        for (_, keys) in actions {
            for k in keys {
                let shown = k.to_string();
                assert_eq!(key(&shown), k, "{shown:?}");
                n += 1;
            }
        }
    }
    assert!(n > 60, "only {n} keys");
}

#[test]
fn canonical_spellings() {
    assert_eq!(key("G"), key("shift-g"));
    assert_eq!(key("G"), key("shift-G"));
    assert_ne!(key("G"), key("g"));
    assert_eq!(key("backtab"), key("shift-tab"));
    assert_eq!(key("Enter"), key("return"));
    assert_eq!(key("ctrl-X"), key("ctrl-shift-x"));
    assert_ne!(key("ctrl-x"), key("ctrl-shift-x"));
    assert_eq!(key("alt-shift-j"), key("alt-J"));
    assert_eq!(key("-"), key("minus"));
    assert_eq!(key("ctrl--"), key("ctrl-minus"));
    assert_eq!(key("shift-?"), key("?"));
    for (s, shown) in [
        ("ctrl-c", "ctrl-c"),
        ("shift-g", "G"),
        ("backtab", "shift-tab"),
        ("space", "space"),
        ("PageDown", "pagedown"),
        ("pgup", "pageup"),
        ("ctrl-shift-x", "ctrl-shift-x"),
        ("alt-shift-j", "alt-J"),
        ("ctrl--", "ctrl-minus"),
        ("-", "-"),
        ("F12", "f12"),
        ("escape", "esc"),
        ("shift-up", "shift-up"),
    ] {
        assert_eq!(key(s).to_string(), shown, "{s}");
    }
    for bad in [
        "",
        "ctrl-",
        "foo",
        "ctrl-ctrl-c",
        "f0",
        "f25",
        "f01",
        " ",
        "\t",
        "pagedwn",
        "ctl-c",
    ] {
        assert!(bad.parse::<Key>().is_err(), "{bad:?} parsed");
    }
    let e = match "pagedwn".parse::<Key>() {
        Err(e) => e.0,
        Ok(_) => panic!(),
    };
    assert!(e.contains("did you mean \"pagedown\""), "{e}");
}

#[test]
fn terminal_events_are_normalised() {
    let k = Key::new;
    assert_eq!(k(KeyCode::Char('G'), KeyModifiers::SHIFT), key("G"));
    assert_eq!(k(KeyCode::Char('G'), KeyModifiers::NONE), key("G"));
    assert_eq!(k(KeyCode::Char('g'), KeyModifiers::SHIFT), key("G"));
    assert_eq!(k(KeyCode::Char('?'), KeyModifiers::SHIFT), key("?"));
    assert_eq!(k(KeyCode::BackTab, KeyModifiers::SHIFT), key("shift-tab"));
    assert_eq!(k(KeyCode::BackTab, KeyModifiers::NONE), key("shift-tab"));
    assert_eq!(k(KeyCode::Tab, KeyModifiers::SHIFT), key("shift-tab"));
    assert_eq!(k(KeyCode::Char('c'), KeyModifiers::CONTROL), key("ctrl-c"));
    assert_eq!(
        k(
            KeyCode::Char('C'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT
        ),
        key("ctrl-shift-c")
    );
    assert_ne!(
        k(
            KeyCode::Char('C'),
            KeyModifiers::CONTROL | KeyModifiers::SHIFT
        ),
        key("ctrl-c")
    );
    assert_eq!(
        k(KeyCode::Char('J'), KeyModifiers::ALT | KeyModifiers::SHIFT),
        key("alt-J")
    );
    assert_eq!(k(KeyCode::Down, KeyModifiers::NONE), key("down"));
    let km = Keymap::builtin();
    assert_eq!(
        km.action(Mode::Batch, &k(KeyCode::Char('?'), KeyModifiers::SHIFT)),
        Some(Action::Help)
    );
}

#[test]
fn unknown_mode_is_refused() {
    let p = refused("[global]\n\"?\" = \"help\"\n\n[bach]\nj = \"next\"\n", 4);
    assert!(p.message.contains("unknown mode [bach]"), "{p}");
    assert!(p.message.contains("did you mean [batch]"), "{p}");
    assert!(p.message.contains("global, batch, picker"), "{p}");
    let p = refused("j = \"next\"\n", 1);
    assert!(p.message.contains("outside any table"), "{p}");
}

#[test]
fn unknown_action_is_refused_with_a_suggestion() {
    let p = refused("[batch]\nj = \"next\"\nk = \"nxt\"\n", 3);
    assert_eq!(p.col, Some(5));
    assert!(
        p.message
            .contains("no action named \"nxt\" (did you mean \"next\"?)"),
        "{p}"
    );
}

#[test]
fn action_outside_its_mode_is_refused() {
    let p = refused(
        "[picker]\nenter = \"confirm\"\n\"ctrl-a\" = \"approve\"\n",
        3,
    );
    assert!(
        p.message
            .contains("\"approve\" is not an action of [picker]"),
        "{p}"
    );
    refused("[global]\nq = \"next\"\n", 2);
    refused("[stats]\nesc = \"cancel\"\nx = \"approve\"\n", 3);
}

#[test]
fn unparsable_key_is_refused() {
    let p = refused("[batch]\nj = \"next\"\n\n\"ctl-x\" = \"decline\"\n", 4);
    assert_eq!(p.col, Some(1));
    assert!(p.message.contains("unknown key name \"ctl-x\""), "{p}");
    assert!(
        p.message.contains("did you mean the prefix \"ctrl-\""),
        "{p}"
    );
}

#[test]
fn two_actions_on_one_key_are_refused() {
    let p = refused(
        "[batch]\nJ = \"next\"\nx = \"decline\"\n\"shift-j\" = \"prev\"\n",
        4,
    );
    assert!(p.message.contains("same key as \"J\" on line 2"), "{p}");
    assert!(p.message.contains("\"next\""), "{p}");
    // Plain TOML duplicates are caught by the TOML parser, still positioned.
    refused("[batch]\nj = \"next\"\nj = \"prev\"\n", 3);
}

#[test]
fn two_spellings_of_one_key_are_refused_even_for_one_action() {
    let p = refused("[batch]\nJ = \"next\"\n\"shift-j\" = \"next\"\n", 3);
    assert_eq!(
        p.message,
        "\"shift-j\" is the same key as \"J\" on line 2 in [batch]"
    );
    let p = refused("[picker]\n\"shift-tab\" = \"up\"\n\n backtab = \"up\"\n", 4);
    assert_eq!(p.col, Some(2));
    assert!(
        p.message.contains("same key as \"shift-tab\" on line 2"),
        "{p}"
    );
    refused("[batch]\ndown = \"next\"\nDown = \"next\"\n", 3);
}

#[test]
fn non_string_values_are_refused() {
    let p = refused("[batch]\nj = 1\n", 2);
    assert_eq!(p.col, Some(5));
    assert!(p.message.contains("must be a string"), "{p}");
    refused("[batch]\nj = [\"next\"]\n", 2);
    let p = refused("[batch]\nj = \"next\"\nctrl.x = \"prev\"\n", 3);
    assert!(p.message.contains("quote key names"), "{p}");
    let p = refused("batch = 3\n", 1);
    assert!(p.message.contains("must be a table"), "{p}");
}

#[test]
fn plain_characters_are_refused_where_typing_goes_to_text() {
    let p = refused("[picker]\nenter = \"confirm\"\nj = \"down\"\n", 3);
    assert!(p.message.contains("typing goes into the filter"), "{p}");
    refused("[note]\nq = \"cancel\"\n", 2);
    refused("[search]\n\n\"?\" = \"cancel\"\n", 3);
    refused("[search]\nG = \"down\"\n", 2);
    // space is the picker's one exception, not the note's
    assert!(parse("[picker]\nspace = \"toggle\"\n").is_ok());
    refused("[note]\nspace = \"newline\"\n", 2);
    // ctrl- and alt- keys are fine
    assert!(parse("[note]\n\"ctrl-j\" = \"down\"\n\"alt-x\" = \"cancel\"\n").is_ok());
    // and plain characters are fine where nothing is typed
    assert!(parse("[help]\nq = \"cancel\"\n").is_ok());
}

#[test]
fn toml_syntax_errors_are_positioned() {
    let p = refused("[batch]\nj = \"next\"\nk = \"prev\n", 3);
    assert!(!p.message.is_empty());
}

#[test]
fn inline_and_dotted_tables_are_accepted() {
    let km = match parse("batch = { j = \"next\" }\nglobal.\"ctrl-q\" = \"quit\"\n") {
        Ok(k) => k,
        Err(p) => panic!("{p}"),
    };
    assert_eq!(km.action(Mode::Batch, &key("j")), Some(Action::Next));
    assert_eq!(km.action(Mode::Batch, &key("ctrl-q")), Some(Action::Quit));
}

#[test]
fn overrides_replace_an_actions_keys_and_steal_keys() {
    let km = Keymap::builtin();
    assert_eq!(
        km.keys_for(Mode::Batch, &Action::Next),
        vec![key("j"), key("down")]
    );
    let km = match km.with_overrides(
        "[batch]\nl = \"next\"\n# steal k from prev\nk = \"approve\"\n",
        Path::new("user.toml"),
    ) {
        Ok(k) => k,
        Err(p) => panic!("{p}"),
    };
    // next: its default keys are gone, l is new
    assert_eq!(km.keys_for(Mode::Batch, &Action::Next), vec![key("l")]);
    assert_eq!(km.action(Mode::Batch, &key("j")), None);
    assert_eq!(km.action(Mode::Batch, &key("down")), None);
    // approve: replaced by k (a is free now)
    assert_eq!(km.keys_for(Mode::Batch, &Action::Approve), vec![key("k")]);
    assert_eq!(km.action(Mode::Batch, &key("a")), None);
    // prev keeps its other key
    assert_eq!(km.keys_for(Mode::Batch, &Action::Prev), vec![key("up")]);
    // other tables untouched
    assert_eq!(km.action(Mode::Help, &key("k")), Some(Action::Up));
    assert_eq!(
        km.hint(Mode::Batch, Action::Next).as_deref(),
        Some("l next")
    );
}

#[test]
fn overrides_are_checked_as_strictly_as_the_default() {
    let p =
        match Keymap::builtin().with_overrides("[batch]\nj = \"nxet\"\n", Path::new("user.toml")) {
            Ok(_) => panic!("accepted"),
            Err(p) => p,
        };
    assert_eq!(p.path, Path::new("user.toml"));
    assert_eq!(p.line, Some(2));
    assert!(p.message.contains("did you mean \"next\""), "{p}");
}

#[test]
fn load_lays_the_config_file_then_the_given_file_over_the_default() {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    };
    let config = dir.path().join("config.toml");
    let user = dir.path().join("user.toml");
    let missing = dir.path().join("missing.toml");
    let write = |p: &Path, t: &str| {
        if let Err(e) = std::fs::write(p, t) {
            panic!("{e}")
        }
    };
    write(&config, "[batch]\nl = \"next\"\nm = \"prev\"\n");
    write(&user, "[batch]\n\"ctrl-n\" = \"next\"\n");
    let km = match Keymap::load_from(Some(&config), Some(&user)) {
        Ok(k) => k,
        Err(p) => panic!("{p}"),
    };
    assert_eq!(km.keys_for(Mode::Batch, &Action::Next), vec![key("ctrl-n")]);
    assert_eq!(km.keys_for(Mode::Batch, &Action::Prev), vec![key("m")]);
    // a missing config file is fine, a missing --keymap file is not
    assert!(Keymap::load_from(Some(&missing), None).is_ok());
    let p = match Keymap::load_from(None, Some(&missing)) {
        Ok(_) => panic!("accepted a missing file"),
        Err(p) => p,
    };
    assert_eq!(p.path, missing);
    // errors name the file they are in
    write(&config, "[batch]\n\nl = \"nope\"\n");
    let p = match Keymap::load_from(Some(&config), Some(&user)) {
        Ok(_) => panic!("accepted"),
        Err(p) => p,
    };
    assert_eq!((p.path.as_path(), p.line), (config.as_path(), Some(3)));
}

#[test]
fn global_keys_apply_after_the_modes_own() {
    let km = Keymap::builtin();
    let ctrl_c = key("ctrl-c");
    for mode in Mode::ALL {
        assert_eq!(km.action(mode, &ctrl_c), Some(Action::Quit), "{mode}");
    }
    // "?" is help in the batch view, closes the help overlay (its own table)...
    assert_eq!(km.action(Mode::Batch, &key("?")), Some(Action::Help));
    assert_eq!(km.action(Mode::Help, &key("?")), Some(Action::Cancel));
    assert_eq!(km.action(Mode::Stats, &key("?")), Some(Action::Help));
    // ...and is typed in the note, the search query and the picker filter.
    for mode in [Mode::Note, Mode::Search, Mode::Picker] {
        assert_eq!(km.action(mode, &key("?")), None, "{mode}");
        assert_eq!(km.action(mode, &key("f1")), Some(Action::Help), "{mode}");
    }
    // a mode's own binding shadows the global one
    let km = match parse("[global]\n\"ctrl-x\" = \"quit\"\n[picker]\n\"ctrl-x\" = \"remove\"\n") {
        Ok(k) => k,
        Err(p) => panic!("{p}"),
    };
    assert_eq!(
        km.action(Mode::Picker, &key("ctrl-x")),
        Some(Action::Remove)
    );
    assert_eq!(km.action(Mode::Note, &key("ctrl-x")), Some(Action::Quit));
    assert_eq!(km.keys_for(Mode::Picker, &Action::Quit), vec![]);
    assert_eq!(km.keys_for(Mode::Note, &Action::Quit), vec![key("ctrl-x")]);
    // a global plain key is not typed-through where nothing is typed
    let km = match parse("[global]\nz = \"quit\"\n") {
        Ok(k) => k,
        Err(p) => panic!("{p}"),
    };
    assert_eq!(km.action(Mode::Batch, &key("z")), Some(Action::Quit));
    assert_eq!(km.action(Mode::Search, &key("z")), None);
}

#[test]
fn hints_and_help_come_from_the_active_keys() {
    let km = Keymap::builtin();
    assert_eq!(
        km.hint(Mode::Batch, Action::Approve).as_deref(),
        Some("a approve")
    );
    assert_eq!(
        km.hint(Mode::Batch, Action::Next).as_deref(),
        Some("j/↓ next")
    );
    assert_eq!(
        km.hint(Mode::Batch, Action::Help).as_deref(),
        Some("?/f1 help")
    );
    assert_eq!(km.hint(Mode::Picker, Action::Approve), None);
    assert_eq!(
        km.keys_for(Mode::Batch, &Action::Quit),
        vec![key("q"), key("ctrl-c")]
    );
    let help = km.bindings();
    let modes: Vec<Mode> = help.iter().map(|(m, _)| *m).collect();
    assert_eq!(modes, Mode::ALL.to_vec());
    let batch = help
        .iter()
        .find(|(m, _)| *m == Mode::Batch)
        .map(|(_, b)| b.clone())
        .unwrap_or_default();
    assert_eq!(batch.first().map(|(a, _)| a.clone()), Some(Action::Quit));
    assert!(batch.contains(&(Action::Last, vec![key("G"), key("end")])));
}

#[test]
fn action_and_mode_names_round_trip() {
    for a in Action::ALL {
        assert_eq!(a.name().parse::<Action>(), Ok(a.clone()));
        assert_eq!(a.to_string(), a.name());
        assert!(!a.description().is_empty() && !a.label().is_empty());
        let json = serde_json::to_string(&a).unwrap_or_default();
        assert_eq!(json, format!("\"{}\"", a.name()));
    }
    assert_eq!(Action::NextUndecided.name(), "next_undecided");
    assert_eq!(
        Action::NextUndecided.description(),
        "next undecided submission"
    );
    assert!("nope".parse::<Action>().is_err());
    for m in Mode::ALL {
        assert_eq!(m.name().parse::<Mode>(), Ok(m));
    }
    // Typed text has no row: no name a keymap file could use.
    assert_eq!(Action::Type('x').info(), None);
    assert!("type".parse::<Action>().is_err());
    assert!(serde_json::to_string(&Action::Type('x')).is_err());
}

#[test]
fn the_table_holds_every_bindable_action_once() {
    // Action::info matches every variant without a wildcard, so a variant
    // outside the table does not compile; ALL is the table in enum order.
    assert_eq!(Action::ALL.len(), 60);
    assert!(Action::ALL.windows(2).all(|w| w[0] < w[1]));
    let names: HashSet<&str> = Action::ALL.iter().map(|a| a.name()).collect();
    assert_eq!(names.len(), Action::ALL.len());
    for a in Action::ALL {
        let info = a.info().unwrap_or_else(|| panic!("{a:?} has no row"));
        assert!(!info.modes.is_empty(), "{a} is bindable nowhere");
        for m in Mode::ALL {
            assert_eq!(m.allows(&a), info.modes.contains(&m));
            assert_eq!(m.actions().any(|x| x == a), m.allows(&a));
        }
    }
    let of = |m: Mode| m.actions().collect::<Vec<_>>();
    assert_eq!(of(Mode::Global), vec![Action::Quit, Action::Help]);
    assert_eq!(
        of(Mode::Stats),
        vec![
            Action::Top,
            Action::Bottom,
            Action::PageDown,
            Action::PageUp,
            Action::Up,
            Action::Down,
            Action::Cancel
        ]
    );
    assert_eq!(of(Mode::Batch).len(), 33);
}

#[test]
fn help_lists_actions_in_file_order_and_overrides_keep_their_place() {
    let actions = |km: &Keymap, mode: Mode| -> Vec<Action> {
        km.bindings()
            .into_iter()
            .find(|(m, _)| *m == mode)
            .map(|(_, b)| b.into_iter().map(|(a, _)| a).collect())
            .unwrap_or_default()
    };
    let km = Keymap::builtin();
    use Action::*;
    let picker = vec![
        Up,
        Down,
        PageDown,
        PageUp,
        Top,
        Bottom,
        Toggle,
        SetPrimary,
        RankUp,
        RankDown,
        RankFirst,
        RankSecond,
        RankThird,
        PreviewDown,
        PreviewUp,
        Remove,
        Confirm,
        Cancel,
        ClearQuery,
        Backspace,
    ];
    assert_eq!(actions(&km, Mode::Picker), picker);
    let km = match km.with_overrides(
        "[picker]\n\"ctrl-j\" = \"page_down\"\n\"ctrl-k\" = \"up\"\n",
        Path::new("u.toml"),
    ) {
        Ok(k) => k,
        Err(p) => panic!("{p}"),
    };
    assert_eq!(actions(&km, Mode::Picker), picker);
    assert_eq!(km.keys_for(Mode::Picker, &PageDown), vec![key("ctrl-j")]);
    assert_eq!(km.keys_for(Mode::Picker, &Up), vec![key("ctrl-k")]);
}

fn any_code() -> impl Strategy<Value = KeyCode> {
    prop_oneof![
        any::<char>()
            .prop_filter("nameable", |c| !c.is_control()
                && (!c.is_whitespace() || *c == ' '))
            .prop_map(KeyCode::Char),
        proptest::char::range('a', 'z').prop_map(KeyCode::Char),
        proptest::char::range('A', 'Z').prop_map(KeyCode::Char),
        proptest::sample::select(vec!['-', '?', '/', '[', ']', ' ', '.', '"', '#'])
            .prop_map(KeyCode::Char),
        (1..=MAX_F).prop_map(KeyCode::F),
        proptest::sample::select(NAMED.iter().map(|(_, c)| *c).collect::<Vec<_>>()),
    ]
}

proptest! {
    #[test]
    fn display_parses_back_to_the_same_key(code in any_code(), bits in 0u8..64) {
        let mods = MODIFIERS
            .iter()
            .enumerate()
            .filter(|(i, _)| bits & (1 << i) != 0)
            .fold(KeyModifiers::NONE, |all, (_, (_, m))| all | *m);
        let k = Key::new(code, mods);
        let shown = k.to_string();
        let back: Result<Key, _> = shown.parse();
        prop_assert_eq!(back, Ok(k), "{}", shown);
        // normalising is idempotent
        prop_assert_eq!(Key::new(k.code, k.mods), k);
    }

    #[test]
    fn parse_never_panics_on_arbitrary_text(text in any::<String>()) {
        let _ = parse(&text);
        let _ = text.parse::<Key>();
    }

    #[test]
    fn parse_never_panics_on_keymap_like_text(
        lines in proptest::collection::vec(
            (
                proptest::sample::select(vec!["[global]", "[batch]", "[picker]", "[note]", "[x]", ""]),
                "[a-zA-Z?/ -]{0,12}",
                proptest::sample::select(vec!["\"next\"", "\"toggle\"", "1", "\"cancel\"", "{}", "\"nxt\""]),
            ),
            0..12,
        )
    ) {
        let text: String = lines
            .iter()
            .map(|(t, k, v)| format!("{t}\n{k:?} = {v}\n"))
            .collect();
        if let Ok(km) = parse(&text) {
            // whatever parsed is consistent
            for (mode, actions) in km.bindings() {
                for (action, keys) in actions {
                    prop_assert!(mode.allows(&action));
                    for k in keys {
                        prop_assert_eq!(km.action(mode, &k), Some(action.clone()));
                    }
                }
            }
        }
        let _ = Keymap::builtin().with_overrides(&text, Path::new("u.toml"));
    }
}
