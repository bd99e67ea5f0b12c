use super::*;

fn item(id: &str, label: &str) -> PickItem {
    PickItem {
        id: id.into(),
        label: label.into(),
        aliases: Vec::new(),
        description: String::new(),
        suggested: false,
    }
}

fn items(n: usize) -> Vec<PickItem> {
    (0..n)
        .map(|i| item(&format!("id{i}"), &format!("Item {i}")))
        .collect()
}

fn sel(primary: Option<&str>, chosen: &[&str]) -> Selection {
    Selection {
        primary: primary.map(str::to_string),
        chosen: chosen.iter().map(|s| s.to_string()).collect(),
    }
}

fn typed(p: &mut Picker, s: &str) {
    for c in s.chars() {
        assert_eq!(p.handle(Action::Type(c)), Outcome::Continue);
    }
}

/// Puts the cursor on the item with `id` (empty query, item order).
fn go_to(p: &mut Picker, id: &str) {
    p.handle(Action::ClearQuery);
    for _ in 0..p.rows().len() {
        p.handle(Action::Up);
    }
    while p.highlighted().map(|it| it.id.as_str()) != Some(id) {
        let before = p.cursor();
        p.handle(Action::Down);
        assert_ne!(before, p.cursor(), "{id} not found");
    }
}

fn act(p: &mut Picker, id: &str, ev: Action) -> Outcome {
    go_to(p, id);
    p.handle(ev)
}

fn labels(p: &Picker) -> Vec<&str> {
    p.rows()
        .iter()
        .filter_map(|r| p.items().get(r.item))
        .map(|it| it.label.as_str())
        .collect()
}

fn builtin(kind: Kind) -> Picker {
    Picker::for_kind(&Taxonomy::builtin(), kind, Selection::default(), &[])
}

// ----- filtering -----

#[test]
fn empty_query_lists_everything_in_item_order() {
    let p = builtin(Kind::Category);
    assert_eq!(p.rows().len(), 12);
    assert!(
        p.rows()
            .iter()
            .enumerate()
            .all(|(i, r)| r.item == i && r.matched_in == MatchedIn::All)
    );
    assert_eq!(p.title(), "Categories");
    assert_eq!(p.mode(), PickMode::PrimaryAndSecondary { max_secondary: 3 });
}

#[test]
fn filters_by_label_best_first() {
    let mut p = builtin(Kind::Value);
    typed(&mut p, "equ");
    let got = labels(&p);
    assert!(got.len() >= 2, "{got:?}");
    let first_two: Vec<&str> = got.iter().take(2).copied().collect();
    assert!(first_two.contains(&"Equality"), "{got:?}");
    assert!(first_two.contains(&"Equity"), "{got:?}");
    assert_eq!(p.rows()[0].matched_in, MatchedIn::Label);
    assert_eq!(p.rows()[0].label_matches, vec![0, 1, 2]);
    // best first
    assert!(p.rows().windows(2).all(|w| w[0].score >= w[1].score));
}

#[test]
fn alias_finds_community_wealth_building() {
    let mut p = builtin(Kind::Category);
    typed(&mut p, "CWB");
    assert_eq!(
        p.highlighted().map(|it| it.id.as_str()),
        Some("community-wealth-building")
    );
    // lower case works as well
    p.handle(Action::ClearQuery);
    typed(&mut p, "preston");
    assert_eq!(
        p.highlighted().map(|it| it.id.as_str()),
        Some("community-wealth-building")
    );
    assert_eq!(p.rows()[0].matched_in, MatchedIn::Alias);
    assert!(p.rows()[0].label_matches.is_empty());
}

#[test]
fn description_matches_rank_below_labels() {
    let items = vec![
        PickItem {
            description: "all about gardens".into(),
            ..item("a", "Allotments")
        },
        item("b", "Gardens"),
        item("c", "Roads"),
    ];
    let mut p = Picker::new("t", PickMode::Many, items, Selection::default());
    typed(&mut p, "gardens");
    assert_eq!(labels(&p), ["Gardens", "Allotments"]);
    assert_eq!(p.rows()[1].matched_in, MatchedIn::Description);
    assert!(p.rows()[1].label_matches.is_empty());
    assert!(p.rows()[0].score > p.rows()[1].score);
}

#[test]
fn letters_scattered_over_a_description_do_not_match() {
    let mut p = builtin(Kind::Category);
    // "pov" occurs letter by letter in many descriptions ("progressive")
    typed(&mut p, "pov");
    assert_eq!(labels(&p), ["Poverty"]);
    // ...while a word of a description does match
    p.handle(Action::ClearQuery);
    typed(&mut p, "housing co-operatives");
    assert_eq!(labels(&p), ["Housing"]);
    assert_eq!(p.rows()[0].matched_in, MatchedIn::Description);
}

#[test]
fn description_of_builtin_principle_is_searchable() {
    let mut p = builtin(Kind::Principle);
    typed(&mut p, "councillors as community connectors");
    assert_eq!(
        p.highlighted().map(|it| it.id.as_str()),
        Some("community-leadership")
    );
    // the sub-points of "Walking the talk" are part of its description
    p.handle(Action::ClearQuery);
    typed(&mut p, "Affiliate Membership");
    assert_eq!(
        p.highlighted().map(|it| it.id.as_str()),
        Some("walking-the-talk")
    );
}

#[test]
fn highlight_indices_are_characters_not_bytes() {
    let items = vec![item("cafe", "Café Culture"), item("x", "Other")];
    let mut p = Picker::new("t", PickMode::Many, items, Selection::default());
    typed(&mut p, "écu");
    assert_eq!(labels(&p), ["Café Culture"]);
    // 'é' is char 3 (byte 3..5); 'C' of Culture is char 5 (byte 6)
    assert_eq!(p.rows()[0].label_matches, vec![3, 5, 6]);
    let label: Vec<char> = "Café Culture".chars().collect();
    let hit: String = p.rows()[0]
        .label_matches
        .iter()
        .filter_map(|&i| label.get(i))
        .collect();
    assert_eq!(hit.to_lowercase(), "écu");
}

#[test]
fn non_ascii_case_is_ignored() {
    let items = vec![item("cafe", "CAFÉ"), item("x", "Other")];
    let mut p = Picker::new("t", PickMode::Many, items, Selection::default());
    typed(&mut p, "café");
    assert_eq!(labels(&p), ["CAFÉ"]);
    assert_eq!(p.rows()[0].label_matches, vec![0, 1, 2, 3]);
}

#[test]
fn ties_keep_item_order_and_nothing_matches_is_safe() {
    let items = vec![item("b", "Same"), item("a", "Same too"), item("c", "Same")];
    let mut p = Picker::new("t", PickMode::Many, items, Selection::default());
    typed(&mut p, "same");
    let order: Vec<usize> = p.rows().iter().map(|r| r.item).collect();
    assert_eq!(order[0], 0);
    assert!(order.iter().position(|&i| i == 2) > Some(0));
    typed(&mut p, "zzz");
    assert!(p.rows().is_empty());
    assert_eq!(p.cursor(), 0);
    assert_eq!(p.highlighted(), None);
    for ev in [
        Action::Toggle,
        Action::SetPrimary,
        Action::Remove,
        Action::RankUp,
        Action::Down,
        Action::PageDown,
    ] {
        assert_eq!(p.handle(ev), Outcome::Continue);
    }
    assert_eq!(p.selection(), &Selection::default());
}

#[test]
fn control_characters_are_not_typed_and_query_is_bounded() {
    let mut p = builtin(Kind::Value);
    p.handle(Action::Type('\u{1b}'));
    p.handle(Action::Type('\n'));
    assert_eq!(p.query(), "");
    for _ in 0..MAX_QUERY_CHARS + 20 {
        p.handle(Action::Type('é'));
    }
    assert_eq!(p.query().chars().count(), MAX_QUERY_CHARS);
    assert!(p.rows().is_empty());
}

#[test]
fn whitespace_query_lists_everything() {
    let mut p = builtin(Kind::Value);
    typed(&mut p, "  ");
    assert_eq!(p.rows().len(), 10);
    assert_eq!(p.query(), "  ");
}

// ----- cursor -----

#[test]
fn cursor_clamps_at_both_ends() {
    let mut p = Picker::new("t", PickMode::Many, items(25), Selection::default());
    p.handle(Action::Up);
    assert_eq!(p.cursor(), 0);
    p.handle(Action::PageDown);
    assert_eq!(p.cursor(), 10);
    p.handle(Action::PageDown);
    p.handle(Action::PageDown);
    assert_eq!(p.cursor(), 24);
    p.handle(Action::Down);
    assert_eq!(p.cursor(), 24);
    p.handle(Action::PageUp);
    assert_eq!(p.cursor(), 14);
    p.handle(Action::Up);
    assert_eq!(p.cursor(), 13);
    p.handle(Action::PageUp);
    p.handle(Action::PageUp);
    assert_eq!(p.cursor(), 0);
}

#[test]
fn typing_and_backspace_reset_the_cursor() {
    let mut p = Picker::new("t", PickMode::Many, items(25), Selection::default());
    p.handle(Action::PageDown);
    assert_eq!(p.cursor(), 10);
    typed(&mut p, "item");
    assert_eq!(p.cursor(), 0);
    p.handle(Action::Down);
    p.handle(Action::Backspace);
    assert_eq!(p.query(), "ite");
    assert_eq!(p.cursor(), 0);
    p.handle(Action::Down);
    p.handle(Action::ClearQuery);
    assert_eq!(p.query(), "");
    assert_eq!(p.cursor(), 0);
    assert_eq!(p.rows().len(), 25);
    // backspace on an empty query keeps the cursor
    p.handle(Action::Down);
    p.handle(Action::Backspace);
    assert_eq!(p.cursor(), 1);
}

#[test]
fn empty_item_list_is_safe() {
    let mut p = Picker::new(
        "t",
        PickMode::Ranked { n: 3 },
        Vec::new(),
        Selection::default(),
    );
    assert!(p.rows().is_empty());
    assert_eq!(p.highlighted(), None);
    assert_eq!(p.handle(Action::Down), Outcome::Continue);
    assert_eq!(p.handle(Action::Toggle), Outcome::Continue);
    assert_eq!(p.scroll_offset_for(5), 0);
    assert_eq!(p.summary(), "1. — 2. — 3. —");
    assert_eq!(
        p.handle(Action::Confirm),
        Outcome::Confirmed(Selection::default())
    );
}

#[test]
fn scroll_offset_keeps_the_cursor_visible() {
    let mut p = Picker::new("t", PickMode::Many, items(30), Selection::default());
    assert_eq!(p.scroll_offset_for(10), 0);
    assert_eq!(p.scroll_offset_for(0), 0);
    for _ in 0..29 {
        p.handle(Action::Down);
        let c = p.cursor();
        for h in [1, 2, 5, 10, 29, 30, 40] {
            let off = p.scroll_offset_for(h);
            assert!(
                off <= c && c < off + h,
                "cursor {c} height {h} offset {off}"
            );
            assert!(off + h <= 30 || off == 0, "runs past the end");
        }
    }
    assert_eq!(p.scroll_offset_for(10), 20);
}

// ----- categories -----

fn cats() -> Picker {
    Picker::new(
        "Categories",
        PickMode::PrimaryAndSecondary { max_secondary: 2 },
        items(6),
        Selection::default(),
    )
    .with_nouns("category", "categories")
}

#[test]
fn first_toggle_sets_the_primary_then_secondaries() {
    let mut p = cats();
    act(&mut p, "id3", Action::Toggle);
    assert_eq!(p.selection(), &sel(Some("id3"), &[]));
    act(&mut p, "id4", Action::Toggle);
    act(&mut p, "id1", Action::Toggle);
    // secondaries in item order
    assert_eq!(p.selection(), &sel(Some("id3"), &["id1", "id4"]));
    assert!(p.is_primary(3) && !p.is_chosen(3));
    assert!(p.is_chosen(1) && p.is_chosen(4) && !p.is_primary(1));
    assert_eq!(p.summary(), "primary: Item 3; also: Item 1, Item 4");
    assert_eq!(
        act(&mut p, "id0", Action::Toggle),
        Outcome::Refused(
            "at most 2 secondary categories: remove one first, or make this one the primary".into()
        )
    );
    assert_eq!(p.selection(), &sel(Some("id3"), &["id1", "id4"]));
    // toggling a secondary removes it
    act(&mut p, "id4", Action::Toggle);
    assert_eq!(p.selection(), &sel(Some("id3"), &["id1"]));
    // toggling the primary removes it; secondaries stay
    act(&mut p, "id3", Action::Toggle);
    assert_eq!(p.selection(), &sel(None, &["id1"]));
    assert_eq!(p.summary(), "primary: —; also: Item 1");
    // ... and the next toggle of an unpicked item is the new primary
    act(&mut p, "id5", Action::Toggle);
    assert_eq!(p.selection(), &sel(Some("id5"), &["id1"]));
}

#[test]
fn set_primary_keeps_the_old_primary_as_a_secondary_while_there_is_room() {
    let mut p = cats();
    act(&mut p, "id0", Action::SetPrimary);
    act(&mut p, "id2", Action::Toggle);
    assert_eq!(p.selection(), &sel(Some("id0"), &["id2"]));
    // a secondary promoted stops being a secondary; the old primary takes its place
    act(&mut p, "id2", Action::SetPrimary);
    assert_eq!(p.selection(), &sel(Some("id2"), &["id0"]));
    act(&mut p, "id4", Action::SetPrimary);
    assert_eq!(p.selection(), &sel(Some("id4"), &["id0", "id2"]));
    // with the secondaries full the old primary is dropped
    act(&mut p, "id5", Action::SetPrimary);
    assert_eq!(p.selection(), &sel(Some("id5"), &["id0", "id2"]));
    // setting the same primary again changes nothing
    act(&mut p, "id5", Action::SetPrimary);
    assert_eq!(p.selection(), &sel(Some("id5"), &["id0", "id2"]));
    act(&mut p, "id0", Action::Remove);
    act(&mut p, "id2", Action::Remove);
    act(&mut p, "id4", Action::SetPrimary);
    assert_eq!(p.selection(), &sel(Some("id4"), &["id5"]));
    act(&mut p, "id5", Action::Remove);
    // remove takes the primary away
    act(&mut p, "id4", Action::Remove);
    assert_eq!(p.selection(), &sel(None, &[]));
}

#[test]
fn set_primary_is_allowed_when_secondaries_are_full() {
    let mut p = cats();
    act(&mut p, "id0", Action::Toggle);
    act(&mut p, "id1", Action::Toggle);
    act(&mut p, "id2", Action::Toggle);
    assert_eq!(act(&mut p, "id5", Action::SetPrimary), Outcome::Continue);
    assert_eq!(p.selection(), &sel(Some("id5"), &["id1", "id2"]));
}

#[test]
fn category_confirm_rules() {
    let mut p = cats();
    // nothing at all is allowed: it clears the field
    assert_eq!(
        p.handle(Action::Confirm),
        Outcome::Confirmed(Selection::default())
    );
    act(&mut p, "id0", Action::Toggle);
    act(&mut p, "id1", Action::Toggle);
    act(&mut p, "id0", Action::Toggle);
    assert_eq!(
        p.handle(Action::Confirm),
        Outcome::Refused("choose a primary category first".into())
    );
    act(&mut p, "id2", Action::SetPrimary);
    assert_eq!(
        p.handle(Action::Confirm),
        Outcome::Confirmed(sel(Some("id2"), &["id1"]))
    );
}

#[test]
fn category_initial_is_normalised_but_not_trimmed() {
    let p = Picker::new(
        "t",
        PickMode::PrimaryAndSecondary { max_secondary: 2 },
        items(6),
        sel(Some("id2"), &["id4", "id2", "id1", "id4", "id0"]),
    );
    assert_eq!(p.selection(), &sel(Some("id2"), &["id0", "id1", "id4"]));
    assert!(!p.is_changed());
    let mut p = p;
    assert_eq!(
        act(&mut p, "id5", Action::Toggle),
        Outcome::Refused(
            "at most 2 secondary entries: remove one first, or make this one the primary".into()
        )
    );
    assert!(matches!(p.handle(Action::Confirm), Outcome::Refused(m) if m.contains("remove 1")));
    act(&mut p, "id0", Action::Remove);
    assert_eq!(
        p.handle(Action::Confirm),
        Outcome::Confirmed(sel(Some("id2"), &["id1", "id4"]))
    );
}

#[test]
fn builtin_categories_allow_three_secondaries() {
    let mut p = builtin(Kind::Category);
    let ids: Vec<String> = p.items().iter().map(|it| it.id.clone()).collect();
    for id in ids.iter().take(4) {
        assert_eq!(act(&mut p, id, Action::Toggle), Outcome::Continue);
    }
    assert_eq!(
        act(&mut p, &ids[4], Action::Toggle),
        Outcome::Refused(
            "at most 3 secondary categories: remove one first, or make this one the primary".into()
        )
    );
    assert_eq!(p.selection().chosen.len(), 3);
}

// ----- principles -----

#[test]
fn many_toggles_in_item_order() {
    let mut p = Picker::new("t", PickMode::Many, items(5), Selection::default());
    act(&mut p, "id3", Action::Toggle);
    act(&mut p, "id0", Action::Toggle);
    act(&mut p, "id4", Action::Toggle);
    assert_eq!(p.selection(), &sel(None, &["id0", "id3", "id4"]));
    act(&mut p, "id3", Action::Toggle);
    assert_eq!(p.selection(), &sel(None, &["id0", "id4"]));
    act(&mut p, "id4", Action::Remove);
    // removing an unpicked item does nothing
    act(&mut p, "id1", Action::Remove);
    assert_eq!(p.selection(), &sel(None, &["id0"]));
    assert_eq!(p.summary(), "Item 0");
    assert!(matches!(
        act(&mut p, "id1", Action::SetPrimary),
        Outcome::Refused(_)
    ));
    assert!(matches!(
        act(&mut p, "id0", Action::RankUp),
        Outcome::Refused(_)
    ));
    assert_eq!(p.selection(), &sel(None, &["id0"]));
    assert_eq!(p.rank_of(0), None);
}

#[test]
fn toggle_keeps_query_and_cursor() {
    let mut p = builtin(Kind::Principle);
    typed(&mut p, "inno");
    p.handle(Action::Toggle);
    assert_eq!(p.query(), "inno");
    assert_eq!(p.cursor(), 0);
    assert_eq!(p.selection().chosen, ["innovation"]);
}

// ----- values -----

fn values() -> Picker {
    Picker::for_kind(&Taxonomy::builtin(), Kind::Value, Selection::default(), &[])
}

#[test]
fn picking_order_is_the_rank() {
    let mut p = values();
    act(&mut p, "solidarity", Action::Toggle);
    act(&mut p, "democracy", Action::Toggle);
    assert_eq!(p.summary(), "1. Solidarity 2. Democracy 3. —");
    act(&mut p, "self-help", Action::Toggle);
    assert_eq!(
        p.selection().chosen,
        ["solidarity", "democracy", "self-help"]
    );
    let ix = |p: &Picker, id: &str| p.items().iter().position(|it| it.id == id).unwrap_or(99);
    assert_eq!(p.rank_of(ix(&p, "solidarity")), Some(1));
    assert_eq!(p.rank_of(ix(&p, "self-help")), Some(3));
    assert_eq!(p.rank_of(ix(&p, "equity")), None);
    assert_eq!(
        act(&mut p, "equity", Action::Toggle),
        Outcome::Refused("three values already: remove one or press 1-3 to replace".into())
    );
    // toggling a ranked value removes it; later ranks move up
    act(&mut p, "solidarity", Action::Toggle);
    assert_eq!(p.selection().chosen, ["democracy", "self-help"]);
    act(&mut p, "equity", Action::Toggle);
    assert_eq!(p.selection().chosen, ["democracy", "self-help", "equity"]);
    act(&mut p, "democracy", Action::Remove);
    assert_eq!(p.selection().chosen, ["self-help", "equity"]);
}

#[test]
fn ranks_move_up_and_down() {
    let mut p = values();
    for id in ["equality", "honesty", "openness"] {
        act(&mut p, id, Action::Toggle);
    }
    act(&mut p, "openness", Action::RankUp);
    assert_eq!(p.selection().chosen, ["equality", "openness", "honesty"]);
    act(&mut p, "openness", Action::RankUp);
    assert_eq!(p.selection().chosen, ["openness", "equality", "honesty"]);
    // at the top: nothing
    assert_eq!(act(&mut p, "openness", Action::RankUp), Outcome::Continue);
    assert_eq!(p.selection().chosen, ["openness", "equality", "honesty"]);
    act(&mut p, "equality", Action::RankDown);
    assert_eq!(p.selection().chosen, ["openness", "honesty", "equality"]);
    act(&mut p, "equality", Action::RankDown);
    assert_eq!(p.selection().chosen, ["openness", "honesty", "equality"]);
    // an unranked item: nothing
    act(&mut p, "equity", Action::RankUp);
    assert_eq!(p.selection().chosen, ["openness", "honesty", "equality"]);
    assert!(matches!(
        act(&mut p, "equity", Action::SetPrimary),
        Outcome::Refused(_)
    ));
    assert_eq!(
        p.handle(Action::Confirm),
        Outcome::Confirmed(sel(None, &["openness", "honesty", "equality"]))
    );
}

#[test]
fn ranked_initial_keeps_its_order_and_over_limit_needs_removal() {
    let mut p = Picker::new(
        "t",
        PickMode::Ranked { n: 2 },
        items(5),
        sel(None, &["id3", "id1", "id3", "id4"]),
    );
    assert_eq!(p.selection().chosen, ["id3", "id1", "id4"]);
    assert_eq!(p.summary(), "1. Item 3 2. Item 1 3. Item 4");
    assert!(matches!(p.handle(Action::Confirm), Outcome::Refused(m) if m.contains("at most 2")));
    act(&mut p, "id1", Action::Remove);
    assert_eq!(
        p.handle(Action::Confirm),
        Outcome::Confirmed(sel(None, &["id3", "id4"]))
    );
}

#[test]
fn fewer_than_n_values_can_be_confirmed() {
    let mut p = values();
    act(&mut p, "equity", Action::Toggle);
    assert_eq!(
        p.handle(Action::Confirm),
        Outcome::Confirmed(sel(None, &["equity"]))
    );
}

// ----- confirm, cancel, unknown ids -----

#[test]
fn esc_clears_a_typed_filter_before_it_closes_the_picker() {
    let mut p = Picker::for_kind(
        &Taxonomy::builtin(),
        Kind::Category,
        Selection::default(),
        &[],
    );
    for c in "hous".chars() {
        p.handle(Action::Type(c));
    }
    let narrowed = p.rows().len();
    assert!(matches!(p.handle(Action::Cancel), Outcome::Notice(m) if m.contains("filter cleared")));
    assert_eq!(p.query(), "");
    assert!(p.rows().len() > narrowed);
    // nothing changed: the next esc closes at once
    assert_eq!(p.handle(Action::Cancel), Outcome::Cancelled);
}

#[test]
fn a_warning_about_changes_is_forgotten_after_another_key() {
    let mut p = Picker::for_kind(
        &Taxonomy::builtin(),
        Kind::Principle,
        Selection::default(),
        &[],
    );
    act(&mut p, "learning", Action::Toggle);
    assert!(matches!(p.handle(Action::Cancel), Outcome::Notice(_)));
    p.handle(Action::Down);
    // a new esc after other keys warns again instead of discarding
    assert!(matches!(p.handle(Action::Cancel), Outcome::Notice(_)));
    assert_eq!(p.handle(Action::Cancel), Outcome::Cancelled);
}

#[test]
fn cancel_returns_nothing_and_confirm_returns_the_selection() {
    let initial = sel(None, &["innovation"]);
    let mut p = Picker::for_kind(&Taxonomy::builtin(), Kind::Principle, initial.clone(), &[]);
    assert!(!p.is_changed());
    act(&mut p, "learning", Action::Toggle);
    act(&mut p, "social-partnership", Action::Toggle);
    assert!(p.is_changed());
    // changes are discarded by a second esc only
    assert!(
        matches!(p.handle(Action::Cancel), Outcome::Notice(m) if m.contains("esc again discards"))
    );
    assert_eq!(p.handle(Action::Cancel), Outcome::Cancelled);
    let mut p = Picker::for_kind(&Taxonomy::builtin(), Kind::Principle, initial, &[]);
    act(&mut p, "learning", Action::Toggle);
    act(&mut p, "social-partnership", Action::Toggle);
    assert_eq!(
        p.handle(Action::Confirm),
        Outcome::Confirmed(sel(None, &["social-partnership", "innovation", "learning"]))
    );
}

#[test]
fn suggested_items_are_marked() {
    let p = Picker::for_kind(
        &Taxonomy::builtin(),
        Kind::Value,
        Selection::default(),
        &["equity".to_string()],
    );
    let marked: Vec<&str> = p
        .items()
        .iter()
        .filter(|it| it.suggested)
        .map(|it| it.id.as_str())
        .collect();
    assert_eq!(marked, ["equity"]);
    assert!(
        p.selection().chosen.is_empty(),
        "suggestions are not preselected here"
    );
}

#[test]
fn unknown_ids_are_kept_until_the_selection_changes() {
    let initial = sel(None, &["solidarity", "thrift", "democracy"]);
    let mut p = Picker::for_kind(&Taxonomy::builtin(), Kind::Value, initial.clone(), &[]);
    assert_eq!(p.unknown_chosen(), ["thrift"]);
    assert_eq!(
        p.summary(),
        "1. Solidarity 2. thrift (unknown) 3. Democracy"
    );
    assert!(p.rows().iter().all(|r| p.items()[r.item].id != "thrift"));
    // moving and refused or empty actions keep them
    p.handle(Action::Down);
    typed(&mut p, "zzz");
    p.handle(Action::Toggle);
    assert_eq!(act(&mut p, "solidarity", Action::RankUp), Outcome::Continue);
    assert!(matches!(
        act(&mut p, "equity", Action::SetPrimary),
        Outcome::Refused(_)
    ));
    assert_eq!(act(&mut p, "equity", Action::Remove), Outcome::Continue);
    assert_eq!(p.unknown_chosen(), ["thrift"]);
    assert!(!p.is_changed());
    assert_eq!(
        p.handle(Action::Confirm),
        Outcome::Confirmed(initial.clone())
    );
    // the first real change drops them
    let mut p = Picker::for_kind(&Taxonomy::builtin(), Kind::Value, initial.clone(), &[]);
    act(&mut p, "democracy", Action::RankUp);
    assert!(p.unknown_chosen().is_empty());
    assert_eq!(p.selection().chosen, ["democracy", "solidarity"]);
    // so an unknown id never blocks a full ranking: its slot is free
    let mut p = Picker::for_kind(&Taxonomy::builtin(), Kind::Value, initial, &[]);
    assert_eq!(act(&mut p, "equity", Action::Toggle), Outcome::Continue);
    assert_eq!(p.selection().chosen, ["solidarity", "democracy", "equity"]);
    assert!(p.is_changed());
}

#[test]
fn a_rank_key_replaces_what_is_shown_at_that_rank_even_an_unknown_id() {
    // "1. Caring for others 2. generosity (unknown) 3. Democracy": 2 on
    // Solidarity puts it where generosity is shown, Democracy stays third
    let initial = sel(None, &["caring-for-others", "generosity", "democracy"]);
    let mut p = Picker::for_kind(&Taxonomy::builtin(), Kind::Value, initial, &[]);
    assert_eq!(
        act(&mut p, "solidarity", Action::Type('2')),
        Outcome::Continue
    );
    assert_eq!(
        p.selection().chosen,
        ["caring-for-others", "solidarity", "democracy"]
    );
    assert!(p.unknown_chosen().is_empty());
}

#[test]
fn unknown_primary_and_secondaries_are_kept_on_confirm() {
    let initial = sel(Some("old-cat"), &["poverty", "older-cat"]);
    let mut p = Picker::for_kind(&Taxonomy::builtin(), Kind::Category, initial.clone(), &[]);
    assert_eq!(p.unknown_chosen(), ["old-cat", "older-cat"]);
    assert_eq!(
        p.summary(),
        "primary: old-cat (unknown); also: Poverty, older-cat (unknown)"
    );
    assert_eq!(p.handle(Action::Confirm), Outcome::Confirmed(initial));
    act(&mut p, "housing", Action::SetPrimary);
    assert!(p.unknown_chosen().is_empty());
    assert_eq!(p.selection(), &sel(Some("housing"), &["poverty"]));
}

#[test]
fn modes_without_primary_fold_an_initial_primary_in() {
    let p = Picker::new(
        "t",
        PickMode::Ranked { n: 3 },
        items(4),
        sel(Some("id2"), &["id0", "id2"]),
    );
    assert_eq!(p.selection(), &sel(None, &["id2", "id0"]));
    let p = Picker::new("t", PickMode::Many, items(4), sel(Some("id2"), &["id0"]));
    assert_eq!(p.selection(), &sel(None, &["id0", "id2"]));
}

// ----- any sequence of events -----

mod props {
    use super::*;
    use proptest::prelude::*;

    fn event() -> impl Strategy<Value = Action> {
        prop_oneof![
            Just(Action::Up),
            Just(Action::Down),
            Just(Action::PageUp),
            Just(Action::PageDown),
            Just(Action::Toggle),
            Just(Action::Toggle),
            Just(Action::SetPrimary),
            Just(Action::RankUp),
            Just(Action::RankDown),
            Just(Action::Remove),
            Just(Action::ClearQuery),
            Just(Action::Backspace),
            Just(Action::Backspace),
            any::<char>().prop_map(Action::Type),
            prop::sample::select(vec!['c', 'o', 'e', 'a', ' ', 'É', 'é']).prop_map(Action::Type),
            Just(Action::Confirm),
            Just(Action::Cancel),
            // not the picker's: changes nothing
            Just(Action::Approve),
        ]
    }

    fn mode() -> impl Strategy<Value = PickMode> {
        prop_oneof![
            (0usize..4).prop_map(|max_secondary| PickMode::PrimaryAndSecondary { max_secondary }),
            Just(PickMode::Many),
            (0usize..4).prop_map(|n| PickMode::Ranked { n }),
        ]
    }

    fn distinct(v: &[String]) -> bool {
        v.iter()
            .enumerate()
            .all(|(i, a)| !v.iter().skip(i + 1).any(|b| a == b))
    }

    fn check(p: &Picker) -> Result<(), TestCaseError> {
        prop_assert!(p.cursor() < p.rows().len() || (p.rows().is_empty() && p.cursor() == 0));
        prop_assert_eq!(p.highlighted().is_some(), !p.rows().is_empty());
        prop_assert!(p.rows().iter().all(|r| r.item < p.items().len()));
        let sel = p.selection();
        prop_assert!(distinct(&sel.chosen));
        match p.mode() {
            PickMode::PrimaryAndSecondary { max_secondary } => {
                prop_assert!(sel.chosen.len() <= max_secondary);
                if let Some(primary) = &sel.primary {
                    prop_assert!(!sel.chosen.contains(primary));
                }
            }
            PickMode::Many => prop_assert!(sel.primary.is_none()),
            PickMode::Ranked { n } => {
                prop_assert!(sel.chosen.len() <= n);
                prop_assert!(sel.primary.is_none());
            }
        }
        let order: Vec<usize> = sel
            .chosen
            .iter()
            .map(|id| {
                p.items()
                    .iter()
                    .position(|it| it.id == *id)
                    .unwrap_or(usize::MAX)
            })
            .collect();
        if !matches!(p.mode(), PickMode::Ranked { .. }) {
            prop_assert!(order.windows(2).all(|w| w[0] <= w[1]), "{:?}", order);
        }
        let _ = p.summary();
        let _ = p.scroll_offset_for(3);
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn no_event_sequence_breaks_the_picker(
            mode in mode(),
            use_builtin in any::<bool>(),
            n_items in 0usize..15,
            with_unknown in any::<bool>(),
            events in prop::collection::vec(event(), 0..80),
        ) {
            let items = if use_builtin {
                let t = Taxonomy::builtin();
                Picker::for_kind(&t, Kind::Principle, Selection::default(), &[]).items().to_vec()
            } else {
                let mut v = items(n_items);
                if let Some(first) = v.first_mut() {
                    first.label = "Café Ünïcode".into();
                    first.aliases = vec!["ÀLIAS".into()];
                }
                v
            };
            // a valid initial selection, with an unknown id if asked
            let mut initial = Selection::default();
            if let PickMode::PrimaryAndSecondary { .. } = mode {
                initial.primary = items.first().map(|it| it.id.clone());
            }
            if with_unknown {
                let room = match mode {
                    PickMode::PrimaryAndSecondary { max_secondary } => max_secondary,
                    PickMode::Many => 1,
                    PickMode::Ranked { n } => n,
                };
                if room > 0 {
                    initial.chosen.push("no-such-id".into());
                }
            }
            let mut p = Picker::new("t", mode, items, initial.clone());
            check(&p)?;
            for ev in events {
                let before = p.selection().clone();
                let out = p.handle(ev);
                check(&p)?;
                match out {
                    Outcome::Confirmed(s) => prop_assert_eq!(&s, p.selection()),
                    Outcome::Refused(_) | Outcome::Notice(_) | Outcome::Cancelled => {
                        prop_assert_eq!(&before, p.selection())
                    }
                    Outcome::Continue => {}
                }
                if p.is_changed() {
                    prop_assert!(p.unknown_chosen().is_empty());
                }
            }
        }
    }
}

#[test]
fn alt_rank_keys_rank_through_the_filter_and_clear_it() {
    let mut p = values();
    // the digits are typed while the filter holds text...
    typed(&mut p, "dem");
    p.handle(Action::Type('1'));
    assert_eq!(p.query(), "dem1");
    assert!(p.selection().chosen.is_empty());
    p.handle(Action::ClearQuery);
    // ...the alt- rank keys rank the highlighted value and clear the filter
    typed(&mut p, "dem");
    assert_eq!(p.highlighted().map(|i| i.id.as_str()), Some("democracy"));
    p.handle(Action::RankFirst);
    assert_eq!(p.query(), "");
    assert_eq!(p.rows().len(), p.items().len());
    // the cursor stays on the value just ranked
    assert_eq!(p.highlighted().map(|i| i.id.as_str()), Some("democracy"));
    typed(&mut p, "solid");
    p.handle(Action::RankSecond);
    typed(&mut p, "equi");
    p.handle(Action::RankThird);
    assert_eq!(p.selection().chosen, ["democracy", "solidarity", "equity"]);
    // replacing what is at a rank, and swapping a ranked value there
    typed(&mut p, "self-h");
    p.handle(Action::RankSecond);
    assert_eq!(p.selection().chosen, ["democracy", "self-help", "equity"]);
    typed(&mut p, "equi");
    p.handle(Action::RankFirst);
    assert_eq!(p.selection().chosen, ["equity", "self-help", "democracy"]);
    // with the filter empty they act like the digits
    go_to(&mut p, "openness");
    p.handle(Action::RankThird);
    assert_eq!(p.selection().chosen, ["equity", "self-help", "openness"]);
    // a filter that matches nothing: nothing happens, the filter stays
    typed(&mut p, "zzzz");
    assert_eq!(p.handle(Action::RankFirst), Outcome::Continue);
    assert_eq!(p.query(), "zzzz");
    assert_eq!(p.selection().chosen, ["equity", "self-help", "openness"]);
}

#[test]
fn alt_rank_keys_outside_values_say_why() {
    let mut p = builtin(Kind::Principle);
    assert_eq!(
        p.handle(Action::RankFirst),
        Outcome::Refused("principles are not ranked".into())
    );
    let mut p = cats();
    assert!(matches!(p.handle(Action::RankThird), Outcome::Refused(_)));
    assert!(p.selection().chosen.is_empty());
}

#[test]
fn alt_rank_keys_beyond_the_ranked_count_are_refused() {
    let mut p = Picker::new(
        "two",
        PickMode::Ranked { n: 2 },
        items(4),
        Selection::default(),
    );
    assert_eq!(
        p.handle(Action::RankThird),
        Outcome::Refused("only 2 entries are ranked".into())
    );
}

#[test]
fn top_goes_to_the_first_row_of_the_filtered_list() {
    let mut p = builtin(Kind::Principle);
    typed(&mut p, "s");
    assert!(p.rows().len() > 2);
    p.handle(Action::Down);
    p.handle(Action::Down);
    assert_eq!(p.handle(Action::Top), Outcome::Continue);
    assert_eq!(p.cursor(), 0);
    // the filter is kept
    assert_eq!(p.query(), "s");
}

#[test]
fn bottom_goes_to_the_last_row_and_stays_on_an_empty_list() {
    let mut p = Picker::new("Things", PickMode::Many, items(30), Selection::default());
    assert_eq!(p.handle(Action::Bottom), Outcome::Continue);
    assert_eq!(p.cursor(), 29);
    assert_eq!(p.highlighted().map(|it| it.id.as_str()), Some("id29"));
    p.handle(Action::Top);
    assert_eq!(p.cursor(), 0);
    typed(&mut p, "zzzzqq");
    assert!(p.rows().is_empty());
    p.handle(Action::Bottom);
    assert_eq!(p.cursor(), 0);
}

#[test]
fn a_filter_that_picked_an_entry_is_replaced_by_the_next_letter() {
    let list = vec![
        item("alpha", "Alpha"),
        item("beta", "Beta"),
        item("gamma", "Gamma"),
    ];
    let mut p = Picker::new("t", PickMode::Many, list, Selection::default());
    typed(&mut p, "bet");
    assert!(!p.query_done());
    p.handle(Action::Toggle);
    assert_eq!(p.selection().chosen, vec!["beta".to_string()]);
    // the filter stays in sight with the cursor on what was picked ...
    assert_eq!(p.query(), "bet");
    assert!(p.query_done());
    p.handle(Action::Down);
    assert!(p.query_done(), "moving keeps it done");
    // ... and the next letter starts a new one
    typed(&mut p, "g");
    assert_eq!(p.query(), "g");
    assert!(!p.query_done());
    assert_eq!(p.highlighted().map(|it| it.id.as_str()), Some("gamma"));
    // a filter is not done when nothing changed through it
    p.handle(Action::Remove);
    assert!(!p.query_done());
    typed(&mut p, "am");
    assert_eq!(p.query(), "gam");
}

#[test]
fn backspace_edits_a_done_filter_and_digits_rank_through_it() {
    let list = vec![
        item("one", "One"),
        item("two", "Two"),
        item("three", "Three"),
    ];
    let mut p = Picker::new("t", PickMode::Ranked { n: 3 }, list, sel(None, &["one"]));
    typed(&mut p, "thr");
    p.handle(Action::Toggle);
    assert!(p.query_done());
    assert_eq!(
        p.selection().chosen,
        vec!["one".to_string(), "three".into()]
    );
    // a digit ranks the highlighted entry, as with an empty filter
    p.handle(Action::Type('1'));
    assert_eq!(p.query(), "thr");
    assert_eq!(
        p.selection().chosen,
        vec!["three".to_string(), "one".into()]
    );
    p.handle(Action::Backspace);
    assert_eq!(p.query(), "th");
    assert!(!p.query_done());
    // with a live filter the digits are typed
    p.handle(Action::Type('2'));
    assert_eq!(p.query(), "th2");
}

#[test]
fn equal_matches_put_the_shorter_label_first() {
    let list = vec![item("equality", "Equality"), item("equity", "Equity")];
    let mut p = Picker::new("t", PickMode::Many, list, Selection::default());
    typed(&mut p, "equ");
    assert_eq!(p.highlighted().map(|it| it.id.as_str()), Some("equity"));
    // an empty filter keeps item order
    p.handle(Action::ClearQuery);
    assert_eq!(p.highlighted().map(|it| it.id.as_str()), Some("equality"));
}
