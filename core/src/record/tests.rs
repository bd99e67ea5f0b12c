use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::testing::{Tagging, ids, parse, strings, tagged, tax};
use super::types::blank;
use super::*;
use crate::problem::Problem;
use crate::taxonomy::Kind;

/// `text` without the lines that start with one of `starts`.
fn without_lines(text: &str, starts: &[&str]) -> String {
    text.lines()
        .filter(|l| !starts.iter().any(|s| l.starts_with(s)))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// A complete, valid approval.
fn approved() -> Record {
    let mut r = Record::new("oldham-food-hubs.md");
    r.tags.primary_category = Some("community-wealth-building".into());
    r.tags.categories = strings(&["health-social-care", "poverty"]);
    r.tags.principles = strings(&["co-production", "innovation"]);
    r.tags.values = strings(&["solidarity", "democracy", "caring-for-others"]);
    r.set_decision(Some(Decision::Approve));
    r
}

fn messages(r: &Record) -> Vec<String> {
    validate(r, &tax()).into_iter().map(|i| i.message).collect()
}

fn fields(r: &Record) -> Vec<&'static str> {
    validate(r, &tax()).into_iter().map(|i| i.field).collect()
}

// ----- Decision -----

#[test]
fn decision_round_trips_through_its_stored_form() {
    for d in Decision::ALL {
        assert_eq!(Decision::parse(d.as_str()), Some(d));
        assert_eq!(d.to_string(), d.as_str());
    }
    assert_eq!(Decision::NeedsInfo.as_str(), "needs-info");
    assert_eq!(Decision::parse("Approve"), None);
    assert_eq!(Decision::parse(" approve"), None);
    assert_eq!(Decision::parse("needs_info"), None);
    assert_eq!(Decision::parse(""), None);
    let mut r = Record::new("a.md");
    r.set_decision(Some(Decision::Decline));
    assert_eq!(r.decision.as_deref(), Some("decline"));
    assert_eq!(r.decision_kind(), Some(Decision::Decline));
    r.decision = Some("maybe".into());
    assert_eq!(r.decision_kind(), None);
    r.set_decision(None);
    assert_eq!(r.decision, None);
}

// ----- to_toml -----

#[test]
fn to_toml_writes_known_keys_in_fixed_order() {
    let mut r = Record::new("oldham-food-hubs.md");
    // Set in a scrambled order: the output order must not depend on it.
    r.seconds_spent = Some(95);
    r.reviewed_at = Some("2026-11-22T10:15:00Z".into());
    r.reviewer = Some("nhuckerby".into());
    r.note = Some("Ask for a photo of the hub.".into());
    r.tags.values = strings(&["solidarity", "democracy", "caring-for-others"]);
    r.tags.principles = strings(&["co-production", "innovation"]);
    r.tags.categories = strings(&["poverty", "health-social-care"]);
    r.tags.primary_category = Some("community-wealth-building".into());
    r.set_decision(Some(Decision::Approve));
    r.submission_sha256 = Some("9f2c".into());
    assert_eq!(
        r.to_toml(),
        r#"submission = "oldham-food-hubs.md"
submission_sha256 = "9f2c"
decision = "approve"
primary_category = "community-wealth-building"
categories = ["poverty", "health-social-care"]
principles = ["co-production", "innovation"]
values = ["solidarity", "democracy", "caring-for-others"]
note = "Ask for a photo of the hub."
reviewer = "nhuckerby"
reviewed_at = "2026-11-22T10:15:00Z"
seconds_spent = 95
"#
    );
}

#[test]
fn to_toml_omits_absent_and_empty_fields() {
    let r = Record::new("a.md");
    assert_eq!(r.to_toml(), "submission = \"a.md\"\n");
    let mut r = Record::new("a.md");
    r.tags.values = strings(&["equity"]);
    r.reviewer = Some("x".into());
    assert_eq!(
        r.to_toml(),
        "submission = \"a.md\"\nvalues = [\"equity\"]\nreviewer = \"x\"\n"
    );
    // An empty note is a value (Some), so it is written and reads back.
    r.note = Some(String::new());
    let text = r.to_toml();
    assert!(text.contains("note = \"\"\n"), "{text}");
    assert_eq!(parse(&text).record, r);
    assert_eq!(Record::default().to_toml(), "");
}

#[test]
fn to_toml_saturates_huge_seconds() {
    let mut r = Record::new("a.md");
    r.seconds_spent = Some(u64::MAX);
    let p = parse(&r.to_toml());
    assert_eq!(p.record.seconds_spent, Some(i64::MAX as u64));
    assert!(p.problems.is_empty());
}

#[test]
fn hostile_strings_round_trip() {
    let mut r = Record::new("we\"ird\\name'''.md");
    r.note = Some("line 1\n\"\"\"quoted\"\"\" and '''\r\n\ttab \u{0} \u{1b}[31m é🦀\n".into());
    r.reviewer = Some("\"".into());
    let p = parse(&r.to_toml());
    assert!(p.problems.is_empty());
    assert_eq!(p.record, r);
}

// ----- parse: preservation -----

const WITH_UNKNOWN: &str = r#"# Reviewed at the March meeting
submission = "a.md"
# who asked for this?
custom_flag = true    # keep me
decision = "decline"
tags = ["x", 1, { y = 2 }]
extra.dotted = "d"
values = ["equity"]

# a table of someone else's
[workflow]
stage = "printed"   # after the pack
owners = ["a", "b"]

[[history]]
at = 2025-01-01T00:00:00Z
# trailing comment
"#;

#[test]
fn a_record_of_known_keys_keeps_its_trailing_comment_and_nothing_else() {
    // Only known keys: nothing is left to write back after them.
    let plain = parse("submission = \"a.md\"\ndecision = \"decline\"\n").record;
    assert!(plain.preserved_keys().is_empty());
    assert_eq!(
        plain.to_toml(),
        "submission = \"a.md\"\ndecision = \"decline\"\n"
    );
    // A comment after the last key belongs to no key and is written back.
    let commented =
        parse("submission = \"a.md\"\ndecision = \"decline\"\n# see the minutes\n").record;
    assert!(commented.preserved_keys().is_empty());
    assert_eq!(
        commented.to_toml(),
        "submission = \"a.md\"\ndecision = \"decline\"\n# see the minutes\n"
    );
}

#[test]
fn parse_reads_known_keys_and_keeps_unknown_ones_with_comments() {
    let p = parse(WITH_UNKNOWN);
    assert!(p.problems.is_empty(), "{:?}", p.problems);
    let r = &p.record;
    assert_eq!(r.submission, "a.md");
    assert_eq!(r.decision_kind(), Some(Decision::Decline));
    assert_eq!(r.tags.values, strings(&["equity"]));
    assert_eq!(
        r.unknown_keys(),
        strings(&["custom_flag", "tags", "extra", "workflow", "history"])
    );
    assert_eq!(r.preserved_keys(), r.unknown_keys());
    let out = r.to_toml();
    // The known keys come first, in their fixed order; everything else stays
    // byte for byte, comments included (the file's first comment belonged
    // to `submission`, which moved).
    assert_eq!(
        out,
        format!(
            "submission = \"a.md\"\ndecision = \"decline\"\nvalues = [\"equity\"]\n{}",
            without_lines(
                WITH_UNKNOWN,
                &["# Reviewed", "submission", "decision", "values"]
            )
        )
    );
    // Stable from then on, and the record reads back equal.
    let again = parse(&out);
    assert_eq!(again.record, *r);
    assert_eq!(again.record.to_toml(), out);
}

#[test]
fn unknown_keys_survive_an_edit() {
    let mut r = parse(WITH_UNKNOWN).record;
    r.set_decision(None);
    r.tags.values.clear();
    r.tags.categories = strings(&["housing"]);
    let out = r.to_toml();
    assert!(
        out.starts_with("submission = \"a.md\"\ncategories = [\"housing\"]\n# who"),
        "{out}"
    );
    let back = parse(&out);
    assert_eq!(back.record, r);
    assert_eq!(
        back.record.unknown_keys(),
        strings(&["custom_flag", "tags", "extra", "workflow", "history"])
    );
}

#[test]
fn positions_are_one_based_for_every_top_level_key() {
    let p = parse(WITH_UNKNOWN);
    assert_eq!(p.positions.get("submission"), Some(&(2, 1)));
    assert_eq!(p.positions.get("custom_flag"), Some(&(4, 1)));
    assert_eq!(p.positions.get("extra"), Some(&(7, 1)));
    assert_eq!(p.positions.get("values"), Some(&(8, 1)));
    assert_eq!(p.positions.get("workflow"), Some(&(11, 2)));
    assert_eq!(p.positions.get("history"), Some(&(15, 3)));
    let p = parse("  note = \"x\"\n");
    assert_eq!(p.positions.get("note"), Some(&(1, 3)));
}

#[test]
fn not_toml_is_a_positioned_error() {
    let e = match Record::parse(
        "submission = \"a.md\"\nvalues = [\"x\"\n",
        Path::new("r.toml"),
    ) {
        Ok(_) => panic!("accepted broken TOML"),
        Err(e) => e,
    };
    assert_eq!(e.path, PathBuf::from("r.toml"));
    assert!(e.line.is_some() && e.col.is_some(), "{e}");
    assert!(e.message.starts_with("not valid TOML"), "{e}");
    let e = match Record::parse("a = 1\na = 2\n", Path::new("r.toml")) {
        Ok(_) => panic!("accepted a duplicate key"),
        Err(e) => e,
    };
    assert_eq!(e.line, Some(2), "{e}");
}

// ----- parse: wrong types -----

const WRONG_TYPES: &str = "submission = \"a.md\"
seconds_spent = \"95\"   # a string!
values = [\"equity\", 3]
zzz = 1
note = 42
decision = \"approve\"
[categories]
poverty = true
";

#[test]
fn wrong_types_are_reported_with_their_position() {
    let p = parse(WRONG_TYPES);
    let found: Vec<(Option<usize>, Option<usize>, &str)> = p
        .problems
        .iter()
        .map(|p| (p.line, p.col, p.message.as_str()))
        .collect();
    let expected = [
        (
            7,
            2,
            "categories must be an array of strings (ids), not a table",
        ),
        (
            3,
            1,
            "values must be an array of strings (ids), not an array holding an integer",
        ),
        (5, 1, "note must be a string, not an integer"),
        (2, 1, "seconds_spent must be a whole number"),
    ];
    assert_eq!(found.len(), expected.len(), "{found:?}");
    for ((line, col, message), (l, c, start)) in found.iter().zip(expected) {
        assert_eq!((*line, *col), (Some(l), Some(c)), "{message}");
        assert!(message.starts_with(start), "{message}");
    }
    assert!(
        p.problems
            .iter()
            .all(|p| p.path == Path::new("r.review.toml"))
    );
    let r = &p.record;
    assert!(r.tags.values.is_empty() && r.tags.categories.is_empty());
    assert_eq!((r.note.as_deref(), r.seconds_spent), (None, None));
    assert_eq!(r.unknown_keys(), strings(&["zzz"]));
    assert_eq!(
        r.preserved_keys(),
        strings(&["seconds_spent", "values", "zzz", "note", "categories"])
    );
    let p = parse("seconds_spent = -1\n");
    assert!(
        p.problems[0].message.contains("not a negative integer"),
        "{:?}",
        p.problems
    );
}

#[test]
fn wrong_typed_keys_are_written_back_unchanged_until_set() {
    let r = parse(WRONG_TYPES).record;
    let out = r.to_toml();
    assert_eq!(
        out,
        format!(
            "submission = \"a.md\"\ndecision = \"approve\"\n{}",
            without_lines(WRONG_TYPES, &["submission", "decision"])
        )
    );
    // Reading that back reports the same problems and keeps the same text.
    let again = parse(&out);
    assert_eq!(again.problems.len(), 4);
    assert_eq!(again.record.to_toml(), out);

    // Setting a field replaces the preserved raw value.
    let mut r = r;
    r.tags.values = strings(&["solidarity"]);
    r.tags.categories = strings(&["poverty"]);
    r.seconds_spent = Some(7);
    let out = r.to_toml();
    assert_eq!(
        out,
        "submission = \"a.md\"
decision = \"approve\"
categories = [\"poverty\"]
values = [\"solidarity\"]
seconds_spent = 7
zzz = 1
note = 42
"
    );
    let back = parse(&out);
    assert_eq!(back.problems.len(), 1, "{:?}", back.problems);
    assert_eq!(back.record.tags.values, strings(&["solidarity"]));
    assert_eq!(back.record.tags.categories, strings(&["poverty"]));
    assert_eq!(back.record.seconds_spent, Some(7));
}

#[test]
fn forget_overridden_drops_only_the_set_fields_raw_values() {
    let mut r = parse(WRONG_TYPES).record;
    r.tags.values = strings(&["solidarity"]);
    r.forget_overridden();
    assert_eq!(
        r.preserved_keys(),
        strings(&["seconds_spent", "zzz", "note", "categories"])
    );
    // Clearing the field again does not bring the old raw value back.
    r.tags.values.clear();
    assert!(!r.to_toml().contains("values"));
}

// ----- is_blank -----

#[test]
fn is_blank_ignores_bookkeeping_fields() {
    let mut r = Record::new("a.md");
    r.submission_sha256 = Some("00".into());
    r.reviewer = Some("me".into());
    r.reviewed_at = Some("now".into());
    r.seconds_spent = Some(3);
    r.note = Some("  ".into());
    assert!(r.is_blank());
    let setters: [fn(&mut Record); 6] = [
        |r| r.set_decision(Some(Decision::Decline)),
        |r| r.tags.primary_category = Some("housing".into()),
        |r| r.tags.categories = vec!["housing".into()],
        |r| r.tags.principles = vec!["learning".into()],
        |r| r.tags.values = vec!["equity".into()],
        |r| r.note = Some("hi".into()),
    ];
    for set in setters {
        let mut r2 = r.clone();
        set(&mut r2);
        assert!(!r2.is_blank(), "{r2:?}");
    }
}

// ----- validate -----

#[test]
fn a_complete_approval_and_an_empty_record_are_valid() {
    assert_eq!(messages(&approved()), Vec::<String>::new());
    assert_eq!(messages(&Record::new("a.md")), Vec::<String>::new());
    assert!(missing_for_approval(&approved(), &tax()).is_empty());
}

#[test]
fn unknown_ids_are_reported_by_name() {
    let mut r = Record::new("a.md");
    r.tags.primary_category = Some("foo".into());
    r.tags.categories = strings(&["housing", "bar"]);
    r.tags.principles = strings(&["co-production", "baz"]);
    r.tags.values = strings(&["equity", "qux"]);
    assert_eq!(
        messages(&r),
        [
            r#"unknown category "foo""#,
            r#"unknown category "bar""#,
            r#"unknown principle "baz""#,
            r#"unknown value "qux""#
        ]
    );
    assert_eq!(
        fields(&r),
        ["primary_category", "categories", "principles", "values"]
    );
    // Kept as written, not dropped.
    assert_eq!(parse(&r.to_toml()).record, r);
}

#[test]
fn decision_must_be_one_of_the_three() {
    let mut r = Record::new("a.md");
    r.decision = Some("Approve".into());
    assert_eq!(
        messages(&r),
        [r#"unknown decision "Approve" (expected approve, needs-info or decline)"#]
    );
    assert_eq!(fields(&r), ["decision"]);
    r.set_decision(Some(Decision::Decline));
    assert!(messages(&r).is_empty());
}

#[test]
fn repeated_ids_are_reported_once() {
    let mut r = Record::new("a.md");
    r.tags.categories = strings(&["housing", "housing", "housing"]);
    r.tags.principles = strings(&["learning", "learning"]);
    r.tags.values = strings(&["equity", "equity"]);
    assert_eq!(
        messages(&r),
        [
            r#"category "housing" is listed more than once"#,
            r#"principle "learning" is listed more than once"#,
            r#"value "equity" is listed more than once"#
        ]
    );
    r.tags.categories = strings(&["housing"]);
    r.tags.principles = strings(&["learning"]);
    r.tags.values = strings(&["equity"]);
    assert!(messages(&r).is_empty());
}

#[test]
fn secondary_categories_are_limited() {
    let mut r = Record::new("a.md");
    r.tags.categories = tax()
        .categories
        .iter()
        .take(4)
        .map(|e| e.id.clone())
        .collect();
    assert_eq!(
        messages(&r),
        ["at most 3 secondary categories allowed (has 4)"]
    );
    assert_eq!(fields(&r), ["categories"]);
    r.tags.categories.pop();
    assert!(messages(&r).is_empty());
}

#[test]
fn ranked_values_are_limited() {
    let mut r = Record::new("a.md");
    r.tags.values = strings(&["equity", "honesty", "openness", "democracy"]);
    assert_eq!(messages(&r), ["at most 3 ranked values allowed (has 4)"]);
    r.tags.values.pop();
    assert!(messages(&r).is_empty());
}

#[test]
fn primary_must_not_be_repeated_as_secondary() {
    let mut r = Record::new("a.md");
    r.tags.primary_category = Some("housing".into());
    r.tags.categories = strings(&["poverty", "housing"]);
    assert_eq!(
        messages(&r),
        [r#"primary category "housing" is also listed as a secondary category"#]
    );
    r.tags.categories = strings(&["poverty"]);
    assert!(messages(&r).is_empty());
}

#[test]
fn approve_needs_a_primary_category() {
    let mut r = approved();
    r.tags.primary_category = None;
    assert_eq!(messages(&r), ["approve needs a primary category"]);
    assert_eq!(fields(&r), ["primary_category"]);
    r.tags.primary_category = Some(" ".into());
    assert_eq!(messages(&r), ["approve needs a primary category"]);
}

#[test]
fn approve_needs_principles() {
    let mut r = approved();
    r.tags.principles.clear();
    assert_eq!(messages(&r), ["approve needs at least 1 principle (has 0)"]);
    r.tags.principles = strings(&["learning"]);
    assert!(messages(&r).is_empty());
}

#[test]
fn approve_needs_exactly_the_ranked_values() {
    let mut r = approved();
    r.tags.values = strings(&["solidarity"]);
    assert_eq!(messages(&r), ["approve needs 3 ranked values (has 1)"]);
    assert_eq!(fields(&r), ["values"]);
    r.tags.values = strings(&["solidarity", "solidarity", "equity"]);
    assert_eq!(
        messages(&r),
        [
            r#"value "solidarity" is listed more than once"#,
            "approve needs 3 ranked values (has 2)"
        ]
    );
    r.tags.values = strings(&["solidarity", "equity", "honesty", "openness"]);
    assert_eq!(messages(&r), ["at most 3 ranked values allowed (has 4)"]);
    r.tags.values = strings(&["openness", "equity", "honesty"]);
    assert!(messages(&r).is_empty());
}

#[test]
fn needs_info_needs_a_note() {
    let mut r = Record::new("a.md");
    r.set_decision(Some(Decision::NeedsInfo));
    assert_eq!(
        messages(&r),
        ["needs-info needs a note saying what is missing"]
    );
    assert_eq!(fields(&r), ["note"]);
    r.note = Some(" \n ".into());
    assert_eq!(
        messages(&r),
        ["needs-info needs a note saying what is missing"]
    );
    r.note = Some("Send the budget figures.".into());
    assert!(messages(&r).is_empty());
    // Decline and an undecided record need nothing.
    r.note = None;
    r.set_decision(Some(Decision::Decline));
    assert!(messages(&r).is_empty());
}

#[test]
fn rules_come_from_the_taxonomy() {
    let mut t = tax();
    t.rules.ranked_values = 1;
    t.rules.min_principles_for_approval = 2;
    t.rules.max_secondary_categories = 1;
    let mut r = approved();
    r.tags.values = strings(&["equity"]);
    r.tags.principles = strings(&["learning"]);
    r.tags.categories = strings(&["housing"]);
    let got: Vec<String> = validate(&r, &t).into_iter().map(|i| i.message).collect();
    assert_eq!(got, ["approve needs at least 2 principles (has 1)"]);
    r.tags.values = strings(&["equity", "honesty"]);
    r.tags.categories = strings(&["housing", "poverty"]);
    let got: Vec<String> = validate(&r, &t).into_iter().map(|i| i.message).collect();
    assert_eq!(
        got,
        [
            "at most 1 secondary category allowed (has 2)",
            "at most 1 ranked value allowed (has 2)",
            "approve needs at least 2 principles (has 1)"
        ]
    );
}

#[test]
fn missing_for_approval_lists_what_is_still_needed() {
    let r = Record::new("a.md");
    assert_eq!(
        missing_for_approval(&r, &tax()),
        [
            "needs a primary category",
            "needs at least 1 principle (has 0)",
            "needs 3 ranked values (has 0)"
        ]
    );
    let mut r = approved();
    r.set_decision(None);
    assert!(missing_for_approval(&r, &tax()).is_empty());
    r.tags.values.pop();
    assert_eq!(
        missing_for_approval(&r, &tax()),
        ["needs 3 ranked values (has 2)"]
    );
    // An invalid tagging cannot be approved either.
    let mut r = approved();
    r.tags.categories.push("bogus".into());
    assert_eq!(
        missing_for_approval(&r, &tax()),
        [r#"unknown category "bogus""#]
    );
    // The needs-info rule is not an approval rule.
    let mut r = approved();
    r.set_decision(Some(Decision::NeedsInfo));
    assert!(missing_for_approval(&r, &tax()).is_empty());
}

#[test]
fn record_file_problems_are_positioned_at_the_key() {
    let text = "submission = \"a.md\"\ndecision = \"approve\"\n\nvalues = [\"equity\", \"nope\"]\nnote = 1\n";
    let p = parse(text);
    let rf = RecordFile {
        path: PathBuf::from("r.review.toml"),
        record: p.record,
        disk_bytes: Some(text.as_bytes().to_vec()),
        positions: p.positions,
        load_problems: p.problems,
    };
    let shown: Vec<String> = rf.problems(&tax()).iter().map(Problem::to_string).collect();
    assert_eq!(shown.len(), 5, "{shown:?}");
    assert!(
        shown[0].starts_with("r.review.toml:5:1: note must be a string"),
        "{shown:?}"
    );
    assert_eq!(
        shown[1..],
        [
            r#"r.review.toml:4:1: unknown value "nope""#,
            "r.review.toml: approve needs a primary category",
            "r.review.toml: approve needs at least 1 principle (has 0)",
            "r.review.toml:4:1: approve needs 3 ranked values (has 2)",
        ]
    );
}

// ----- paths, hashes -----

#[test]
fn record_path_sits_beside_the_submission() {
    assert_eq!(
        record_path_for(Path::new("batch/oldham-food-hubs.md")),
        PathBuf::from("batch/oldham-food-hubs.review.toml")
    );
    assert_eq!(
        record_path_for(Path::new("/x/y/press.release.txt")),
        PathBuf::from("/x/y/press.release.review.toml")
    );
    assert_eq!(
        record_path_for(Path::new("a.txt")),
        PathBuf::from("a.review.toml")
    );
    assert_eq!(
        record_path_for(Path::new("noext")),
        PathBuf::from("noext.review.toml")
    );
}

#[test]
fn sha256_is_lower_case_hex() {
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(sha256_hex(b"").len(), 64);
}

// ----- properties -----

/// Text meant to trouble a TOML writer.
fn awkward_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\"".to_owned()),
        Just("\"\"\"".to_owned()),
        Just("'".to_owned()),
        Just("'''".to_owned()),
        Just("\\".to_owned()),
        Just("\n".to_owned()),
        Just("\r\n".to_owned()),
        Just("\r".to_owned()),
        Just("\t".to_owned()),
        Just("\u{0}\u{1b}[0m\u{7f}".to_owned()),
        Just("é ü 🦀 漢字".to_owned()),
        Just(" ".to_owned()),
        Just("#".to_owned()),
        "[a-zA-Z0-9 ]{1,8}",
    ];
    prop_oneof![
        proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat()),
        any::<String>(),
    ]
}

prop_compose! {
    fn tagging()(
        primary in proptest::option::of(proptest::sample::select(ids(Kind::Category))),
        secondary in proptest::sample::subsequence(ids(Kind::Category), 0..=3),
        principles in proptest::sample::subsequence(ids(Kind::Principle), 0..=10),
        values in proptest::sample::subsequence(ids(Kind::Value), 0..=3).prop_shuffle(),
    ) -> Tagging {
        let secondary = secondary.into_iter().filter(|c| Some(c) != primary.as_ref()).collect();
        (primary, secondary, principles, values)
    }
}

prop_compose! {
    fn valid_record()(
        tagging in tagging(),
        submission in any::<String>(),
        sha in proptest::option::of("[0-9a-f]{64}"),
        note in proptest::option::of(awkward_text()),
        reviewer in proptest::option::of(awkward_text()),
        reviewed_at in proptest::option::of("20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z"),
        seconds in proptest::option::of(0..=i64::MAX),
        decision in proptest::option::of(proptest::sample::select(Decision::ALL.to_vec())),
        extra in any::<bool>(),
    ) -> Record {
        let mut r = tagged(
            if extra {
                parse("zeta = 1 # z\n[extra]\nk = \"v\"\n").record
            } else {
                Record::default()
            },
            tagging,
        );
        r.submission = submission;
        r.submission_sha256 = sha;
        r.note = note;
        r.reviewer = reviewer;
        r.reviewed_at = reviewed_at;
        r.seconds_spent = seconds.map(|s| s.unsigned_abs());
        r.set_decision(decision);
        let allowed = match r.decision_kind() {
            Some(Decision::Approve) => missing_for_approval(&r, &tax()).is_empty(),
            Some(Decision::NeedsInfo) => !blank(&r.note),
            _ => true,
        };
        if !allowed {
            r.set_decision(None);
        }
        r
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn writing_then_reading_a_valid_record_returns_it(r in valid_record()) {
        prop_assert_eq!(validate(&r, &tax()), Vec::<Invalid>::new());
        let text = r.to_toml();
        let p = parse(&text);
        prop_assert!(p.problems.is_empty(), "{:?}", p.problems);
        prop_assert_eq!(&p.record, &r);
        prop_assert_eq!(p.record.to_toml(), text);
    }

    #[test]
    fn to_toml_is_deterministic(r in valid_record()) {
        let a = r.to_toml();
        prop_assert_eq!(&a, &r.to_toml());
        prop_assert_eq!(&a, &r.clone().to_toml());
        // Setting the fields in another order gives the same bytes.
        let mut other = Record::new(&r.submission);
        other.preserved = r.preserved.clone();
        other.seconds_spent = r.seconds_spent;
        other.tags.values = r.tags.values.clone();
        other.note = r.note.clone();
        other.reviewed_at = r.reviewed_at.clone();
        other.decision = r.decision.clone();
        other.reviewer = r.reviewer.clone();
        other.tags.categories = r.tags.categories.clone();
        other.tags.principles = r.tags.principles.clone();
        other.tags.primary_category = r.tags.primary_category.clone();
        other.submission_sha256 = r.submission_sha256.clone();
        prop_assert_eq!(&other, &r);
        prop_assert_eq!(other.to_toml(), a);
    }

    #[test]
    fn parse_never_panics_and_rewrites_stably(text in "[a-z_=\\[\\]\"' 0-9,\n#.{}-]{0,80}") {
        if let Ok(p) = Record::parse(&text, Path::new("r.toml")) {
            let once = p.record.to_toml();
            let q = parse(&once);
            prop_assert_eq!(q.record.to_toml(), once);
        }
    }
}
