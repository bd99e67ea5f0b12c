use proptest::prelude::*;

use super::*;
use crate::record::Decision;
use crate::record::testing::{ids, parse, strings, tagged, tax};
use crate::taxonomy::Kind;

/// A record in progress, reviewed by `who`.
fn base() -> Record {
    let mut r = Record::new("oldham.md");
    r.tags.primary_category = Some("community".into());
    r.tags.categories = strings(&["poverty"]);
    r.tags.principles = strings(&["co-production", "innovation"]);
    r.tags.values = strings(&["solidarity", "democracy", "caring-for-others"]);
    r.reviewer = Some("jo".into());
    r.reviewed_at = Some("2026-12-01T09:00:00Z".into());
    r.seconds_spent = Some(60);
    r
}

fn by(mut r: Record, who: &str, at: &str) -> Record {
    r.reviewer = Some(who.into());
    r.reviewed_at = Some(at.into());
    r
}

#[test]
fn a_field_changed_on_one_side_takes_that_side() {
    let b = base();
    let mut ours = b.clone();
    ours.set_decision(Some(Decision::Approve));
    let ours = by(ours, "jo", "2026-12-02T10:00:00Z");
    let mut theirs = b.clone();
    theirs.note = Some("Ask for a photo.".into());
    let theirs = by(theirs, "sam", "2026-12-03T10:00:00Z");
    let m = merge(Some(&b), &ours, &theirs, &tax());
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    assert_eq!(m.record.decision.as_deref(), Some("approve"));
    assert_eq!(m.record.note.as_deref(), Some("Ask for a photo."));
    // the later review names who and when
    assert_eq!(m.record.reviewer.as_deref(), Some("sam"));
    assert_eq!(
        m.record.reviewed_at.as_deref(),
        Some("2026-12-03T10:00:00Z")
    );
    assert!(!m.record.has_conflict());
}

#[test]
fn the_same_change_on_both_sides_is_clean() {
    let b = base();
    let mut x = b.clone();
    x.set_decision(Some(Decision::Decline));
    x.tags.primary_category = Some("housing".into());
    let m = merge(
        Some(&b),
        &x,
        &by(x.clone(), "sam", "2026-12-05T00:00:00Z"),
        &tax(),
    );
    assert!(m.conflicts.is_empty());
    assert_eq!(m.record.decision.as_deref(), Some("decline"));
    assert_eq!(m.record.tags.primary_category.as_deref(), Some("housing"));
}

#[test]
fn sets_keep_additions_and_removals_of_both_sides() {
    let b = base();
    let mut ours = b.clone();
    ours.tags.categories = strings(&["poverty", "young-people"]); // added
    ours.tags.principles = strings(&["innovation"]); // removed co-production
    let mut theirs = b.clone();
    theirs.tags.categories = strings(&["housing"]); // removed poverty, added housing
    theirs.tags.principles = strings(&["co-production", "innovation", "learning"]);
    let m = merge(Some(&b), &ours, &theirs, &tax());
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    assert_eq!(
        m.record.tags.categories,
        strings(&["housing", "young-people"])
    );
    assert_eq!(
        m.record.tags.principles,
        strings(&["innovation", "learning"])
    );
}

#[test]
fn scalars_changed_differently_conflict_and_keep_ours() {
    let b = base();
    let mut ours = b.clone();
    ours.set_decision(Some(Decision::Approve));
    ours.tags.values = strings(&["democracy", "solidarity", "caring-for-others"]);
    let ours = by(ours, "jo", "2026-12-02T10:00:00Z");
    let mut theirs = b.clone();
    theirs.set_decision(Some(Decision::Decline));
    theirs.tags.values = strings(&["equity", "democracy", "caring-for-others"]);
    let theirs = by(theirs, "sam", "2026-12-03T10:00:00Z");
    let m = merge(Some(&b), &ours, &theirs, &tax());
    let fields: Vec<&str> = m.conflicts.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["decision", "values"]);
    assert_eq!(m.record.decision.as_deref(), Some("approve"));
    assert_eq!(m.record.tags.values, ours.tags.values);
    let d = &m.conflicts[0];
    assert_eq!(d.ours.value, FieldValue::Text("approve".into()));
    assert_eq!(d.theirs.value, FieldValue::Text("decline".into()));
    assert_eq!(d.base, None);
    assert_eq!(d.theirs.reviewer.as_deref(), Some("sam"));
    assert_eq!(d.ours.reviewed_at.as_deref(), Some("2026-12-02T10:00:00Z"));

    // written and read back through the TOML text
    let text = m.record.to_toml();
    assert!(text.contains("[conflict.decision]"), "{text}");
    let again = parse(&text).record;
    assert!(again.has_conflict());
    assert_eq!(again.conflicts(), Ok(m.conflicts.clone()));
}

#[test]
fn resolving_every_field_removes_the_table() {
    let b = base();
    let mut ours = b.clone();
    ours.note = Some("ours".into());
    ours.tags.primary_category = Some("housing".into());
    let mut theirs = b.clone();
    theirs.note = Some("theirs".into());
    theirs.tags.primary_category = Some("jobs".into());
    let m = merge(Some(&b), &ours, &theirs, &tax());
    assert_eq!(m.conflicts.len(), 2);
    let mut r = parse(&m.record.to_toml()).record;
    let cs = r.conflicts().unwrap_or_default();
    r.resolve(&cs[0], Pick::Theirs);
    assert_eq!(r.tags.primary_category.as_deref(), Some("jobs"));
    assert!(r.has_conflict());
    assert_eq!(r.conflicts().map(|c| c.len()), Ok(1));
    r.resolve(&cs[1], Pick::Ours);
    assert_eq!(r.note.as_deref(), Some("ours"));
    assert!(!r.has_conflict());
    assert!(!r.to_toml().contains("conflict"), "{}", r.to_toml());
}

#[test]
fn without_a_base_every_differing_field_conflicts() {
    let mut ours = base();
    ours.tags.categories = strings(&["poverty", "jobs"]);
    let mut theirs = base();
    theirs.tags.categories = strings(&["poverty", "housing"]);
    theirs.note = Some("n".into());
    let m = merge(None, &ours, &theirs, &tax());
    let fields: Vec<&str> = m.conflicts.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["categories", "note"]);
    assert_eq!(m.conflicts[0].base, None);
    assert_eq!(m.record.tags.categories, ours.tags.categories);
    assert_eq!(m.record.note, None);
}

#[test]
fn seconds_spent_on_both_sides_add_up() {
    let b = base();
    let mut ours = b.clone();
    ours.seconds_spent = Some(100);
    let mut theirs = b.clone();
    theirs.seconds_spent = Some(90);
    let m = merge(Some(&b), &ours, &theirs, &tax());
    assert_eq!(m.record.seconds_spent, Some(130));
}

#[test]
fn a_clean_merge_that_breaks_the_rules_conflicts() {
    // ours approves with one principle; theirs removes it
    let mut b = base();
    b.tags.principles = strings(&["innovation"]);
    let mut ours = b.clone();
    ours.set_decision(Some(Decision::Approve));
    let mut theirs = b.clone();
    theirs.tags.principles = Vec::new();
    assert!(validate(&ours, &tax()).is_empty());
    assert!(validate(&theirs, &tax()).is_empty());
    let m = merge(Some(&b), &ours, &theirs, &tax());
    let fields: Vec<&str> = m.conflicts.iter().map(|c| c.field.as_str()).collect();
    assert_eq!(fields, ["principles"]);
    assert_eq!(m.record.tags.principles, strings(&["innovation"]));
    assert!(validate(&m.record, &tax()).is_empty());
}

#[test]
fn a_secondary_made_primary_leaves_the_secondaries() {
    let b = base();
    let mut ours = b.clone();
    ours.tags.primary_category = Some("poverty".into());
    ours.tags.categories = strings(&["community"]);
    let mut theirs = b.clone();
    theirs.tags.categories = strings(&["poverty", "jobs"]);
    let m = merge(Some(&b), &ours, &theirs, &tax());
    assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
    assert_eq!(m.record.tags.primary_category.as_deref(), Some("poverty"));
    assert_eq!(m.record.tags.categories, strings(&["community", "jobs"]));
}

#[test]
fn unknown_keys_are_merged_and_kept() {
    let b = parse("submission = \"a.md\"\nlabel = \"x\"\nkeep = 1\n").record;
    let ours = parse("submission = \"a.md\"\nlabel = \"x\"\nkeep = 1\nmine = true\n").record;
    let theirs = parse("submission = \"a.md\"\nlabel = \"y\"\nkeep = 1\n[extra]\nz = 2\n").record;
    let m = merge(Some(&b), &ours, &theirs, &tax());
    let text = m.record.to_toml();
    assert!(text.contains("label = \"y\""), "{text}");
    assert!(text.contains("mine = true"), "{text}");
    assert!(text.contains("[extra]"), "{text}");
    assert!(m.kept_ours.is_empty());

    let theirs2 = parse("submission = \"a.md\"\nlabel = \"x\"\nkeep = 2\n").record;
    let ours2 = parse("submission = \"a.md\"\nlabel = \"x\"\nkeep = 3\n").record;
    let m = merge(Some(&b), &ours2, &theirs2, &tax());
    assert_eq!(m.kept_ours, ["keep"]);
    assert!(m.record.to_toml().contains("keep = 3"));
}

#[test]
fn a_conflict_table_casetag_did_not_write_is_refused() {
    let r = parse("submission = \"a.md\"\nconflict = 3\n").record;
    assert!(r.has_conflict());
    assert!(r.conflicts().is_err());
    let r = parse("submission = \"a.md\"\n[conflict.colour]\nours = \"red\"\n").record;
    assert!(r.conflicts().unwrap_err().contains("colour"));
}

fn any_record() -> impl Strategy<Value = Record> {
    (
        (
            proptest::option::of(proptest::sample::select(ids(Kind::Category))),
            proptest::sample::subsequence(ids(Kind::Category), 0..=3),
            proptest::sample::subsequence(ids(Kind::Principle), 0..=4),
            proptest::sample::subsequence(ids(Kind::Value), 0..=3),
        ),
        proptest::option::of(proptest::sample::select(vec![
            "approve".to_owned(),
            "needs-info".into(),
            "decline".into(),
        ])),
        proptest::option::of("[a-z ]{0,12}"),
        proptest::option::of(0u64..1000),
    )
        .prop_map(|(tagging, d, n, s)| {
            let mut r = tagged(Record::new("a.md"), tagging);
            r.decision = d;
            r.note = n;
            r.seconds_spent = s;
            r
        })
}

proptest! {
    #[test]
    fn merging_the_same_change_gives_it(b in any_record(), x in any_record()) {
        let m = merge(Some(&b), &x, &x, &tax());
        prop_assert!(m.conflicts.is_empty());
        prop_assert_eq!(m.record, x);
    }

    #[test]
    fn merging_with_an_unchanged_side_gives_the_other(b in any_record(), y in any_record()) {
        let m = merge(Some(&b), &b, &y, &tax());
        prop_assert!(m.conflicts.is_empty(), "{:?}", m.conflicts);
        prop_assert_eq!(&m.record, &y);
        let m = merge(Some(&b), &y, &b, &tax());
        prop_assert!(m.conflicts.is_empty());
        prop_assert_eq!(m.record, y);
    }

    #[test]
    fn principles_keep_what_either_side_added_and_lose_what_either_removed(
        b in any_record(), o in any_record(), t in any_record()
    ) {
        let m = merge(Some(&b), &o, &t, &tax());
        if !m.conflicts.iter().any(|c| c.field == "principles") {
            let got = &m.record.tags.principles;
            for id in o.tags.principles.iter().chain(&t.tags.principles) {
                if !b.tags.principles.contains(id) {
                    prop_assert!(got.contains(id), "added {id} lost: {got:?}");
                }
            }
            for id in &b.tags.principles {
                if !o.tags.principles.contains(id) || !t.tags.principles.contains(id) {
                    prop_assert!(!got.contains(id), "removed {id} kept: {got:?}");
                }
            }
        }
    }

    #[test]
    fn a_merge_conflicts_only_where_both_sides_changed(
        b in any_record(), o in any_record(), t in any_record()
    ) {
        let m = merge(Some(&b), &o, &t, &tax());
        for c in &m.conflicts {
            prop_assert_ne!(&c.ours.value, &c.theirs.value);
            prop_assert_eq!(m.record.field_value(&c.field), c.ours.value.clone());
        }
        let back = parse(&m.record.to_toml()).record;
        prop_assert_eq!(back.conflicts(), Ok(m.conflicts.clone()));
    }
}

#[test]
fn the_fields_that_conflict_end_with_the_note() {
    assert_eq!(CONFLICT_FIELDS.last(), Some(&"note"));
    for merged in ["reviewer", "reviewed_at", "seconds_spent"] {
        assert!(!CONFLICT_FIELDS.contains(&merged), "{merged}");
    }
}
