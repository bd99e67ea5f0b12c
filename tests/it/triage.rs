//! The whole sample batch triaged from the keyboard, keys counted.
//!
//! `tests/data/triage.toml` says what the officer means to record for each
//! submission of `data/sample`. A planner drives the model as an efficient
//! officer would at 80x24: it reads the screen's state (the picker's
//! selection, the highlighted row) and types the fewest keys it can find to
//! reach that record: guided tagging, `enter` on a picker that already holds
//! the intended selection, otherwise a few filter letters or arrow keys and
//! `tab`, `ctrl-t`, `delete` or a rank key, then the decision. A typed note
//! counts as one key (its length is the officer's prose, not casetag's cost).
//! The plan is then typed into the real binary in a pseudo-terminal and every
//! record on disk is compared with the fixture.
//!
//! `cargo test --test triage -- --nocapture` prints the keys per submission.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use std::collections::BTreeSet;
use std::path::Path;
use std::time::{Duration, Instant};

use casetag::app::{App, Field, Overlay};
use casetag::keymap::Action;
use casetag::picker::{Picker, Selection};
use casetag::record::Record;
use common::pty::Session;

/// What the officer means to record for one submission.
#[derive(Debug, Clone)]
struct Intent {
    file: String,
    decision: String,
    primary: Option<String>,
    categories: Vec<String>,
    principles: Vec<String>,
    values: Vec<String>,
    note: Option<String>,
}

fn strings(t: &toml::Table, key: &str) -> Vec<String> {
    t.get(key)
        .and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .map(|v| v.as_str().expect("a string").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn fixture() -> Vec<Intent> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/triage.toml");
    let text = std::fs::read_to_string(&path).expect("tests/data/triage.toml");
    let table: toml::Table = toml::from_str(&text).expect("triage.toml parses");
    table["submission"]
        .as_array()
        .expect("[[submission]] entries")
        .iter()
        .map(|v| {
            let t = v.as_table().expect("a table");
            let s = |k: &str| t.get(k).and_then(toml::Value::as_str).map(str::to_owned);
            Intent {
                file: s("file").expect("file"),
                decision: s("decision").expect("decision"),
                primary: s("primary"),
                categories: strings(t, "categories"),
                principles: strings(t, "principles"),
                values: strings(t, "values"),
                note: s("note"),
            }
        })
        .collect()
}

fn set(v: &[String]) -> BTreeSet<&str> {
    v.iter().map(String::as_str).collect()
}

/// Why `record` is not what `intent` says, or `None` when it is. A note is
/// checked when the fixture gives one.
fn mismatch(intent: &Intent, record: Option<&Record>) -> Option<String> {
    let Some(r) = record else {
        return Some("no record".into());
    };
    let mut why = Vec::new();
    if r.decision.as_deref() != Some(intent.decision.as_str()) {
        why.push(format!("decision {:?}", r.decision));
    }
    if r.tags.primary_category != intent.primary {
        why.push(format!("primary {:?}", r.tags.primary_category));
    }
    if set(&r.tags.categories) != set(&intent.categories) {
        why.push(format!("categories {:?}", r.tags.categories));
    }
    if set(&r.tags.principles) != set(&intent.principles) {
        why.push(format!("principles {:?}", r.tags.principles));
    }
    if r.tags.values != intent.values {
        why.push(format!("values {:?}", r.tags.values));
    }
    if let Some(note) = &intent.note
        && r.note.as_deref() != Some(note.as_str())
    {
        why.push(format!("note {:?}", r.note));
    }
    (!why.is_empty()).then(|| why.join(", "))
}

/// One press as the officer makes it: a key (as `common::keys` spells it), or
/// a whole note typed, counted as one.
#[derive(Debug, Clone)]
enum Press {
    Key(String),
    Note(String),
}

/// The presses spent on one submission.
#[derive(Debug)]
struct Step {
    file: String,
    presses: Vec<Press>,
}

impl Step {
    fn count(&self) -> usize {
        self.presses.len()
    }

    fn spelled(&self) -> String {
        self.presses
            .iter()
            .map(|p| match p {
                Press::Key(k) => k.clone(),
                Press::Note(_) => "«note»".into(),
            })
            .collect()
    }
}

/// The officer at the keyboard: every press goes into the model and is
/// written down.
struct Officer {
    app: App,
    presses: Vec<Press>,
}

impl Officer {
    fn press(&mut self, key: &str) {
        common::keys(&mut self.app, key);
        self.presses.push(Press::Key(key.to_owned()));
    }

    fn type_note(&mut self, text: &str) {
        assert!(!text.contains('<'), "a note is typed as it is: {text:?}");
        common::keys(&mut self.app, text);
        self.presses.push(Press::Note(text.to_owned()));
    }

    fn picker(&self) -> Option<(&Picker, Field)> {
        match &self.app.overlay {
            Overlay::Picker { picker, field } => Some((picker, *field)),
            _ => None,
        }
    }

    fn record(&self, ix: usize) -> Option<&Record> {
        self.app.batch.items[ix].record.as_ref().map(|r| &r.record)
    }
}

/// The selection `intent` wants in the picker for `field`.
fn wanted(intent: &Intent, field: Field) -> Selection {
    let tags = casetag::tags::Tags {
        primary_category: intent.primary.clone(),
        categories: intent.categories.clone(),
        principles: intent.principles.clone(),
        values: intent.values.clone(),
    };
    tags.selection(field.kind())
}

fn reached(have: &Selection, want: &Selection, field: Field) -> bool {
    match field {
        Field::Values => have.chosen == want.chosen,
        _ => have.primary == want.primary && set(&have.chosen) == set(&want.chosen),
    }
}

/// What to do to one entry once it is highlighted.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Toggle,
    Primary,
    Remove,
    /// A rank key, `1` to `3`; only with the filter empty.
    Rank(usize),
    /// `alt-1` to `alt-3`: the same whatever the filter holds, which it clears.
    AltRank(usize),
    RankUp,
    RankDown,
}

impl Op {
    fn key(self) -> String {
        match self {
            Op::Toggle => "<tab>".into(),
            Op::Primary => "<ctrl-t>".into(),
            Op::Remove => "<delete>".into(),
            Op::Rank(r) => r.to_string(),
            Op::AltRank(r) => format!("<alt-{r}>"),
            Op::RankUp => "<alt-up>".into(),
            Op::RankDown => "<alt-down>".into(),
        }
    }
}

thread_local! {
    /// The rows' ids for a (picker title, filter): the rows depend on the
    /// entries and the filter only, and the search asks again and again.
    static ROWS: std::cell::RefCell<std::collections::HashMap<(String, String), Vec<String>>> =
        std::cell::RefCell::default();
}

/// The row of entry `id` among the rows the filter `query` gives, in a
/// picker over the same entries, and how many rows there are.
fn row_for_query(picker: &Picker, query: &str, id: &str) -> Option<(usize, usize)> {
    // the rows depend on the items and their order (which may follow the
    // submission's evidence), and on the query
    let order: Vec<&str> = picker.items().iter().map(|it| it.id.as_str()).collect();
    let key = (order.join(" "), query.to_owned());
    let ids = ROWS.with(|cache| {
        cache
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| {
                let mut probe = Picker::new(
                    "probe",
                    picker.mode(),
                    picker.items().to_vec(),
                    Selection::default(),
                );
                for c in query.chars() {
                    probe.handle(Action::Type(c));
                }
                probe
                    .rows()
                    .iter()
                    .map(|r| probe.items()[r.item].id.clone())
                    .collect()
            })
            .clone()
    });
    ids.iter().position(|i| i == id).map(|at| (at, ids.len()))
}

/// Filter strings an officer might type to reach an entry: the starts of
/// its label and aliases, from any word, letters and hyphens only.
fn filter_candidates(picker: &Picker, id: &str) -> Vec<String> {
    let Some(item) = picker.items().iter().find(|i| i.id == id) else {
        return Vec::new();
    };
    let mut out = BTreeSet::new();
    for text in std::iter::once(&item.label).chain(&item.aliases) {
        let lower = text.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !(c.is_ascii_alphabetic() || c == '-'))
            .filter(|w| !w.is_empty())
            .collect();
        for w in words {
            for n in 1..=w.len().min(8) {
                out.insert(w[..n].to_owned());
            }
        }
    }
    out.into_iter().collect()
}

/// The fewest arrow and page keys from row `from` to row `to` of `rows`
/// rows (a page is [`casetag::picker::PAGE`] rows, stopping at the ends).
fn moves(from: usize, to: usize, rows: usize) -> Vec<String> {
    let page = casetag::picker::PAGE;
    let last = rows.saturating_sub(1);
    let mut best: Vec<String> = Vec::new();
    for pages in 0..=rows / page + 1 {
        for down in [true, false] {
            let at = if down {
                (from + pages * page).min(last)
            } else {
                from.saturating_sub(pages * page)
            };
            let page_key = if down { "<pagedown>" } else { "<pageup>" };
            let arrow = if to > at { "<down>" } else { "<up>" };
            let mut keys = vec![page_key.to_owned(); pages];
            keys.extend(vec![arrow.to_owned(); at.abs_diff(to)]);
            if (pages == 0 && down) || keys.len() < best.len() {
                best = keys;
            }
        }
    }
    best
}

/// The cheapest keys that highlight entry `id`: staying, arrow keys over the
/// rows shown, clearing the filter and moving, or typing a filter. With
/// `empty_filter`, only ways that leave the filter empty.
fn navigate(picker: &Picker, id: &str, empty_filter: bool) -> Option<Vec<String>> {
    let query_empty = picker.query().is_empty();
    // a filter that has done its work is replaced by the next letter typed,
    // and lets the digits rank
    let done = picker.query_done();
    let mut best: Option<Vec<String>> = None;
    let mut offer = |keys: Vec<String>| {
        if best.as_ref().is_none_or(|b| keys.len() < b.len()) {
            best = Some(keys);
        }
    };
    if (!empty_filter || query_empty || done)
        && let Some((at, n)) = row_for_query(picker, picker.query(), id)
    {
        offer(moves(picker.cursor(), at, n));
    }
    let clear_to_type: Vec<String> = if query_empty || done {
        Vec::new()
    } else {
        vec!["<ctrl-u>".to_owned()]
    };
    let clear: Vec<String> = if query_empty {
        Vec::new()
    } else {
        vec!["<ctrl-u>".to_owned()]
    };
    // clearing a filter puts the cursor on the first row
    if let Some((at, n)) = row_for_query(picker, "", id)
        && !query_empty
    {
        let mut keys = clear.clone();
        keys.extend(moves(0, at, n));
        offer(keys);
    }
    if !empty_filter {
        for q in filter_candidates(picker, id) {
            if let Some((at, n)) = row_for_query(picker, &q, id) {
                let mut keys = clear_to_type.clone();
                keys.extend(q.chars().map(String::from));
                keys.extend(moves(0, at, n));
                offer(keys);
            }
        }
    }
    best
}

/// The changes still to make: (entry, what to do with it).
fn needed(picker: &Picker, field: Field, want: &Selection) -> Vec<(String, Op)> {
    let have = picker.selection();
    let mut out = Vec::new();
    match field {
        Field::Categories => {
            if let Some(p) = &want.primary
                && have.primary.as_ref() != Some(p)
            {
                out.push((p.clone(), Op::Primary));
            }
            for c in &have.chosen {
                if !want.chosen.contains(c) && want.primary.as_ref() != Some(c) {
                    out.push((c.clone(), Op::Remove));
                }
            }
            if let Some(p) = &have.primary
                && want.primary.as_ref() != Some(p)
                && !want.chosen.contains(p)
            {
                out.push((p.clone(), Op::Remove));
            }
            for c in &want.chosen {
                if !have.chosen.contains(c) {
                    out.push((c.clone(), Op::Toggle));
                }
            }
        }
        Field::Principles => {
            for c in &have.chosen {
                if !want.chosen.contains(c) {
                    out.push((c.clone(), Op::Toggle));
                }
            }
            for c in &want.chosen {
                if !have.chosen.contains(c) {
                    out.push((c.clone(), Op::Toggle));
                }
            }
        }
        Field::Values => {
            let mut all_right = true;
            for (k, x) in want.chosen.iter().enumerate() {
                if have.chosen.get(k) == Some(x) {
                    continue;
                }
                all_right = false;
                let ranked = have.chosen.len();
                // a rank key puts an entry there, replacing or swapping with
                // the one there; past the last rank it only appends
                if k < ranked || (k == ranked && !have.chosen.contains(x)) {
                    out.push((x.clone(), Op::Rank(k + 1)));
                    out.push((x.clone(), Op::AltRank(k + 1)));
                }
                match have.chosen.iter().position(|c| c == x) {
                    // toggling an unranked entry ranks it next
                    None if ranked == k => out.push((x.clone(), Op::Toggle)),
                    Some(j) if j == k + 1 => out.push((x.clone(), Op::RankUp)),
                    Some(j) if j + 1 == k && k < ranked => out.push((x.clone(), Op::RankDown)),
                    _ => {}
                }
            }
            // a ranked entry in the wrong place: its rank key swaps it there
            for (j, y) in have.chosen.iter().enumerate() {
                if let Some(k) = want.chosen.iter().position(|c| c == y)
                    && k != j
                    && k < have.chosen.len()
                {
                    out.push((y.clone(), Op::Rank(k + 1)));
                    out.push((y.clone(), Op::AltRank(k + 1)));
                }
            }
            if all_right {
                for c in have.chosen.iter().skip(want.chosen.len()) {
                    out.push((c.clone(), Op::Remove));
                }
            }
        }
    }
    out
}

/// The picker's action for a key as the planner spells it.
fn action_of(key: &str) -> Action {
    match key {
        "<down>" => Action::Down,
        "<up>" => Action::Up,
        "<pagedown>" => Action::PageDown,
        "<pageup>" => Action::PageUp,
        "<tab>" => Action::Toggle,
        "<ctrl-t>" => Action::SetPrimary,
        "<delete>" => Action::Remove,
        "<ctrl-u>" => Action::ClearQuery,
        "<alt-up>" => Action::RankUp,
        "<alt-down>" => Action::RankDown,
        "<alt-1>" => Action::RankFirst,
        "<alt-2>" => Action::RankSecond,
        "<alt-3>" => Action::RankThird,
        k => {
            let mut chars = k.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Action::Type(c),
                _ => panic!("no picker action known for {k}"),
            }
        }
    }
}

/// A picker like `template` in the state (selection, filter, cursor).
fn rebuild(template: &Picker, sel: &Selection, query: &str, cursor: usize) -> Picker {
    let mut p = Picker::new(
        template.title(),
        template.mode(),
        template.items().to_vec(),
        sel.clone(),
    );
    for c in query.chars() {
        p.handle(Action::Type(c));
    }
    for _ in 0..cursor {
        p.handle(Action::Down);
    }
    p
}

/// The fewest keys that take the open picker to `want`: a cheapest-first
/// search over its states (selection, filter, cursor), each step being the
/// cheapest way to highlight an entry followed by one change to it.
fn search_picker(picker: &Picker, field: Field, want: &Selection) -> Option<Vec<String>> {
    use std::cmp::Reverse;
    use std::collections::{BinaryHeap, HashMap};

    // (selection, filter, whether the filter is done, cursor)
    type State = (Selection, String, bool, usize);
    let key_of = |st: &State| format!("{:?}|{}|{}|{}", st.0, st.1, st.2, st.3);
    let start: State = (
        picker.selection().clone(),
        picker.query().to_owned(),
        picker.query_done(),
        picker.cursor(),
    );
    // a state is rebuilt by replaying its keys, which brings back what the
    // keys did to the filter too
    let replay = |path: &[String]| {
        let mut p = rebuild(picker, &start.0, &start.1, start.3);
        for k in path {
            p.handle(action_of(k));
        }
        p
    };
    let mut best: HashMap<String, usize> = HashMap::new();
    let mut paths: Vec<(State, Vec<String>)> = vec![(start.clone(), Vec::new())];
    let mut queue = BinaryHeap::new();
    best.insert(key_of(&start), 0);
    queue.push(Reverse((0usize, 0usize)));
    let mut expanded = 0;
    while let Some(Reverse((cost, at))) = queue.pop() {
        let (state, path) = paths[at].clone();
        if best.get(&key_of(&state)).is_some_and(|&c| c < cost) {
            continue;
        }
        if reached(&state.0, want, field) {
            return Some(path);
        }
        expanded += 1;
        if expanded > 20_000 {
            return None;
        }
        let here = replay(&path);
        for (id, op) in needed(&here, field, want) {
            let Some(mut keys) = navigate(&here, &id, matches!(op, Op::Rank(_))) else {
                continue;
            };
            keys.push(op.key());
            let mut next = replay(&path);
            for k in &keys {
                next.handle(action_of(k));
            }
            let st: State = (
                next.selection().clone(),
                next.query().to_owned(),
                next.query_done(),
                next.cursor(),
            );
            let c = cost + keys.len();
            let k = key_of(&st);
            if best.get(&k).is_none_or(|&b| c < b) {
                best.insert(k, c);
                let mut p = path.clone();
                p.extend(keys);
                paths.push((st, p));
                queue.push(Reverse((c, paths.len() - 1)));
            }
        }
    }
    None
}

/// The keys an officer working by hand presses to take the open picker to
/// `want`: for each change, the first three to six letters of the entry's
/// label typed into the filter (as few as bring it to the top), then the
/// change's key, the filter cleared before the next; arrow keys for an
/// entry two rows or fewer from the cursor, or one no such letters reach.
/// Not the cheapest plan: the usual one.
fn by_hand_plan(picker: &Picker, field: Field, want: &Selection) -> Option<Vec<String>> {
    let mut here = rebuild(picker, picker.selection(), picker.query(), picker.cursor());
    let mut keys: Vec<String> = Vec::new();
    for _ in 0..12 {
        if reached(here.selection(), want, field) {
            return Some(keys);
        }
        let changes = needed(&here, field, want);
        // a digit ranks only with the filter empty: by hand, alt-1..3
        let (id, op) = changes
            .iter()
            .find(|(_, op)| !matches!(op, Op::Rank(_) | Op::RankUp | Op::RankDown))
            .or_else(|| changes.first())
            .cloned()?;
        let mut step: Vec<String> = Vec::new();
        // a filter that has done its work is replaced by typing
        if !here.query().is_empty() && !here.query_done() {
            step.push("<ctrl-u>".into());
        }
        let label = here
            .items()
            .iter()
            .find(|it| it.id == id)
            .map(|it| it.label.to_lowercase())?;
        let letters: String = label
            .chars()
            .filter(|c| c.is_alphanumeric() || *c == ' ')
            .collect();
        let typed = (3..=6).find_map(|n| {
            let q: String = letters.chars().take(n).collect();
            (row_for_query(&here, &q, &id).map(|(at, _)| at) == Some(0)).then_some(q)
        });
        // an entry in sight, two rows or fewer from the cursor, is reached
        // with the arrows, as anyone would
        let near = row_for_query(&here, here.query(), &id)
            .is_some_and(|(at, _)| at.abs_diff(here.cursor()) <= 2);
        match (typed, op) {
            (Some(q), op) if !near && !matches!(op, Op::Rank(_)) => {
                step.extend(q.chars().map(String::from));
            }
            _ => {
                step.clear();
                step.extend(navigate(&here, &id, matches!(op, Op::Rank(_)))?);
            }
        }
        step.push(op.key());
        for k in &step {
            here.handle(action_of(k));
        }
        keys.extend(step);
    }
    reached(here.selection(), want, field).then_some(keys)
}

/// How a picker is taken from where it is to a selection: the keys.
type Planner = fn(&Picker, Field, &Selection) -> Option<Vec<String>>;

/// Edits the open picker as `planner` says until it holds what `intent`
/// wants, then confirms it.
fn edit_picker(officer: &mut Officer, intent: &Intent, planner: Planner) {
    let (picker, field) = officer.picker().expect("a picker is open");
    let want = wanted(intent, field);
    let plan = planner(picker, field, &want).unwrap_or_else(|| {
        panic!(
            "{}: no way found from {:?} to {want:?} in the {field:?} picker",
            intent.file,
            picker.selection()
        )
    });
    for k in &plan {
        officer.press(k);
    }
    let (picker, _) = officer.picker().expect("the picker stays open");
    assert!(
        reached(picker.selection(), &want, field),
        "{}: {plan:?} left the {field:?} picker at {:?}, not {want:?}: {}",
        intent.file,
        picker.selection(),
        common::message(&officer.app)
    );
    officer.press("<enter>");
}

/// Puts the selection on batch item `ix` with `j`/`k`.
fn go_to(officer: &mut Officer, ix: usize) {
    let pos = |app: &App, i: usize| app.view.iter().position(|&v| v == i);
    let target = pos(&officer.app, ix).expect("in the view");
    while let Some(here) = officer.app.selected().and_then(|s| pos(&officer.app, s))
        && here != target
    {
        officer.press(if here < target { "j" } else { "k" });
    }
}

/// Plans the whole batch in `dir` (a copy of the sample, changed as the plan
/// goes): the presses per submission, in list order, kept submissions with
/// none.
fn plan_batch(dir: &Path, planner: Planner) -> Vec<Step> {
    let intents = fixture();
    let mut officer = Officer {
        app: common::open_app(dir, None),
        presses: Vec::new(),
    };
    let listed: Vec<(usize, String)> = officer
        .app
        .view
        .iter()
        .map(|&ix| (ix, officer.app.batch.items[ix].file_name.clone()))
        .collect();
    for i in &intents {
        assert!(
            listed.iter().any(|(_, f)| *f == i.file),
            "tests/data/triage.toml names {} which is not in data/sample",
            i.file
        );
    }
    let mut steps = Vec::new();
    for (ix, file) in listed {
        let intent = intents
            .iter()
            .find(|i| i.file == file)
            .unwrap_or_else(|| {
                panic!(
                    "data/sample/{file} has no entry in tests/data/triage.toml: add one \
                     saying what the officer records for it"
                )
            })
            .clone();
        if mismatch(&intent, officer.record(ix)).is_none() {
            steps.push(Step {
                file,
                presses: Vec::new(),
            });
            continue;
        }
        officer.presses.clear();
        go_to(&mut officer, ix);
        let already = officer.record(ix).and_then(|r| r.decision.clone());
        match intent.decision.as_str() {
            "approve" if already.as_deref() == Some("approve") => {
                // a decided record with a wrong field: mend that field only
                for (field, key) in [
                    (Field::Categories, "c"),
                    (Field::Principles, "p"),
                    (Field::Values, "v"),
                ] {
                    let r = officer.record(ix).expect("a record");
                    let have = Selection {
                        primary: (field == Field::Categories)
                            .then(|| r.tags.primary_category.clone())
                            .flatten(),
                        chosen: match field {
                            Field::Categories => r.tags.categories.clone(),
                            Field::Principles => r.tags.principles.clone(),
                            Field::Values => r.tags.values.clone(),
                        },
                    };
                    if !reached(&have, &wanted(&intent, field), field) {
                        officer.press(key);
                        edit_picker(&mut officer, &intent, planner);
                    }
                }
            }
            "approve" => {
                officer.press("<enter>");
                for _ in 0..4 {
                    match &officer.app.overlay {
                        Overlay::Picker { .. } => edit_picker(&mut officer, &intent, planner),
                        Overlay::Decide => {
                            officer.press("a");
                            break;
                        }
                        _ => panic!(
                            "{file}: guided tagging stopped early: {}",
                            common::message(&officer.app)
                        ),
                    }
                }
            }
            "needs-info" => {
                officer.press("i");
                assert!(
                    matches!(officer.app.overlay, Overlay::Note { .. }),
                    "{file}: i did not open the note: {}",
                    common::message(&officer.app)
                );
                officer.type_note(intent.note.as_deref().expect("needs-info has a note"));
                officer.press("<ctrl-s>");
            }
            "decline" => {
                if let Some(note) = &intent.note {
                    officer.press("e");
                    officer.type_note(note);
                    officer.press("<ctrl-s>");
                }
                officer.press("x");
            }
            other => panic!("{file}: unknown decision {other:?} in triage.toml"),
        }
        if let Some(why) = mismatch(&intent, officer.record(ix)) {
            panic!(
                "{file}: the plan {:?} ends with {why}: {}",
                officer.presses,
                common::message(&officer.app)
            );
        }
        steps.push(Step {
            file,
            presses: std::mem::take(&mut officer.presses),
        });
    }
    steps
}

fn median(sorted: &[usize]) -> f64 {
    let n = sorted.len();
    if n == 0 {
        return 0.0;
    }
    if n % 2 == 1 {
        sorted[n / 2] as f64
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) as f64 / 2.0
    }
}

/// Keys per submission acted on (kept ones left out): sorted counts.
fn report(steps: &[Step]) -> Vec<usize> {
    for s in steps {
        if s.presses.is_empty() {
            eprintln!("{:>3}  {:<40} kept as decided", 0, s.file);
        } else {
            eprintln!("{:>3}  {:<40} {}", s.count(), s.file, s.spelled());
        }
    }
    let mut counts: Vec<usize> = steps
        .iter()
        .filter(|s| !s.presses.is_empty())
        .map(Step::count)
        .collect();
    counts.sort_unstable();
    eprintln!(
        "keys per submission over {} submissions acted on: median {}, maximum {}, total {}",
        counts.len(),
        median(&counts),
        counts.last().copied().unwrap_or(0),
        counts.iter().sum::<usize>()
    );
    counts
}

#[test]
fn the_sample_batch_is_triaged_from_the_keyboard_as_intended() {
    let batch = common::copy_sample_in_memory();
    let steps = plan_batch(batch.path(), search_picker);
    let counts = report(&steps);
    // every submission the officer acts on took keys, and every record on
    // disk is the intended one
    assert!(counts.iter().all(|&c| c > 0));
    // the officer's target: a median of at most 8 keys, never more than 20
    assert!(median(&counts) <= 8.0, "median keys {counts:?}");
    assert!(counts.iter().all(|&c| c <= 20), "keys {counts:?}");
    every_record_is_the_intended_one(batch.path());
    // a submission whose proposals are right is five keys
    let cardiff = steps
        .iter()
        .find(|s| s.file == "cardiff-social-value-procurement.md")
        .expect("cardiff");
    assert_eq!(cardiff.spelled(), "<enter><enter><enter><enter>a");
}

/// Every record on disk in `dir` is what tests/data/triage.toml intends.
fn every_record_is_the_intended_one(dir: &Path) {
    for intent in fixture() {
        let stem = Path::new(&intent.file)
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("a stem");
        let record = common::record_on_disk(dir, stem);
        assert_eq!(mismatch(&intent, Some(&record)), None, "{}", intent.file);
    }
}

/// The same batch tagged the way an officer does by hand, typing a few
/// letters of each entry into the filter rather than the cheapest key.
#[test]
fn the_sample_batch_tagged_by_hand_takes_a_median_of_8_keys_and_never_more_than_20() {
    let batch = common::copy_sample_in_memory();
    let steps = plan_batch(batch.path(), by_hand_plan);
    let counts = report(&steps);
    assert!(median(&counts) <= 8.0, "median keys {counts:?}");
    // and never more than 20
    assert!(counts.iter().all(|&c| c <= 20), "keys {counts:?}");
    every_record_is_the_intended_one(batch.path());
}

/// The bytes a terminal sends for a key as `common::keys` spells it.
fn bytes_of(key: &str) -> String {
    match key {
        "<enter>" => "\r".into(),
        "<tab>" => "\t".into(),
        "<down>" => "\x1b[B".into(),
        "<up>" => "\x1b[A".into(),
        "<pagedown>" => "\x1b[6~".into(),
        "<pageup>" => "\x1b[5~".into(),
        "<alt-up>" => "\x1b[1;3A".into(),
        "<alt-down>" => "\x1b[1;3B".into(),
        "<alt-1>" => "\x1b1".into(),
        "<alt-2>" => "\x1b2".into(),
        "<alt-3>" => "\x1b3".into(),
        "<delete>" => "\x1b[3~".into(),
        "<ctrl-t>" => "\x14".into(),
        "<ctrl-u>" => "\x15".into(),
        "<ctrl-s>" => "\x13".into(),
        k if k.chars().count() == 1 => k.into(),
        k => panic!("no bytes known for {k}"),
    }
}

#[test]
fn the_plan_triages_the_sample_in_the_real_program_at_80x24() {
    // plan on one copy, type it into the program over another
    let planned = common::copy_sample_in_memory();
    let steps = plan_batch(planned.path(), search_picker);
    let batch = common::copy_sample_in_memory();
    let home = tempfile::tempdir().expect("home");
    let dir = batch.path().to_str().expect("utf-8 path");
    let mut s = Session::start(&[dir], 24, 80, &[], home.path());
    // keys wait for the whole batch to be read
    s.wait_for(&format!("Submissions 1 of {}", steps.len()));
    s.wait_for(&format!(" of {} decided", steps.len()));
    let intents = fixture();
    for step in &steps {
        if step.presses.is_empty() {
            continue;
        }
        let bytes: String = step
            .presses
            .iter()
            .map(|p| match p {
                Press::Key(k) => bytes_of(k),
                Press::Note(text) => text.clone(),
            })
            .collect();
        s.keys(&bytes);
        // wait for the record to be written, not a fixed time
        let intent = intents
            .iter()
            .find(|i| i.file == step.file)
            .expect("planned from the fixture");
        let stem = Path::new(&intent.file)
            .file_stem()
            .and_then(|x| x.to_str())
            .expect("a stem");
        let path = batch.path().join(format!("{stem}.review.toml"));
        let start = Instant::now();
        loop {
            let record = std::fs::read_to_string(&path)
                .ok()
                .and_then(|t| Record::parse(&t, &path).ok())
                .map(|p| p.record);
            match mismatch(intent, record.as_ref()) {
                None => break,
                Some(why) if start.elapsed() > Duration::from_secs(10) => panic!(
                    "{}: after {} the record has {why}:\n{}",
                    step.file,
                    step.spelled(),
                    s.screen()
                ),
                Some(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }
    s.keys("q");
    assert_eq!(s.wait_exit(), 0);
    s.assert_restored();
    for intent in &intents {
        let stem = Path::new(&intent.file)
            .file_stem()
            .and_then(|x| x.to_str())
            .expect("a stem");
        let record = common::record_on_disk(batch.path(), stem);
        assert_eq!(mismatch(intent, Some(&record)), None, "{}", intent.file);
    }
    let counts = report(&steps);
    assert!(!counts.is_empty());
}
