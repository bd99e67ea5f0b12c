//! Suggestions over the sample batch: a full top three of values wherever
//! there is evidence, principles from phrases for a text that quotes none,
//! and `stats` saying how often the officer kept each kind.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use casetag::batch::Batch;
use casetag::suggest::{Source, Suggestions, suggest};
use casetag::taxonomy::{Kind, Taxonomy};
use common::{keys, message, record_on_disk, select};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The screen as text, drawn at `w`x`h` without colour.
fn draw(app: &casetag::app::App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    t.draw(|f| casetag::ui::draw_with(f, app, &casetag::ui::Theme::MONOCHROME))
        .expect("draw");
    common::buffer_text(t.backend().buffer())
}

/// The model over `dir` with `file_name` selected, and what it suggests
/// for that submission.
fn selected(dir: &std::path::Path, file_name: &str) -> (casetag::app::App, Suggestions) {
    let mut app = common::open_app(dir, None);
    select(&mut app, file_name);
    let s = app.suggestions().expect("suggestions").clone();
    (app, s)
}

/// Every readable submission of the sample with its suggestions.
fn sample_suggestions() -> Vec<(String, casetag::submission::Submission, Suggestions)> {
    let tax = Taxonomy::builtin();
    let batch = Batch::load(&common::sample_dir(), &tax).expect("sample");
    batch
        .items
        .iter()
        .filter_map(|item| {
            let sub = item.submission.as_ref().ok()?;
            Some((item.file_name.clone(), sub.clone(), suggest(sub, &tax)))
        })
        .collect()
}

#[test]
fn every_sample_submission_gets_a_full_top_three() {
    let all = sample_suggestions();
    assert!(all.len() >= 20, "{} submissions", all.len());
    let mut without_proposal = 0;
    for (name, sub, s) in &all {
        assert_eq!(s.tags.values.len(), 3, "{name}: {:?}", s.tags.values);
        let mut distinct = s.tags.values.clone();
        distinct.dedup();
        assert_eq!(distinct.len(), 3, "{name}");
        if sub.proposed.tags.values.is_empty() {
            without_proposal += 1;
            // ranked by evidence, the weak ones marked so
            for v in &s.tags.values {
                assert!(
                    matches!(s.source_of(v), Some(Source::Evidence { .. })),
                    "{name}: {v} {:?}",
                    s.source_of(v)
                );
            }
        } else {
            // the council's ranking comes first
            let n = sub.proposed.tags.values.len().min(3);
            assert_eq!(s.tags.values[..n], sub.proposed.tags.values[..n], "{name}");
        }
    }
    assert!(without_proposal >= 10, "{without_proposal}");
}

#[test]
fn texts_without_quoted_statements_get_principles_from_phrases() {
    let all = sample_suggestions();
    let mut found = 0;
    for (name, sub, s) in &all {
        if !sub.proposed.tags.principles.is_empty() || !sub.principles_met.is_empty() {
            continue;
        }
        found += 1;
        assert!(!s.tags.principles.is_empty(), "{name} gets no principles");
        for p in &s.tags.principles {
            let source = s.source_of(p);
            assert!(
                matches!(source, Some(Source::Evidence { .. })),
                "{name}: {p} {source:?}"
            );
            // and says where it came from, weaker than "quoted"
            let said = source.map(Source::describe).unwrap_or_default();
            assert!(said.contains("keyword hit"), "{name}: {said}");
        }
    }
    assert!(found >= 4, "{found}");
}

#[test]
fn the_press_release_gets_principles_from_phrases() {
    let batch = common::copy_sample();
    let (mut app, s) = selected(batch.path(), "wigan-deal-press-release.eml");
    // "a citizens' panel chose", "co-production means in practice"
    common::assert_holds(&s.tags.principles, "democratic-engagement");
    common::assert_holds(&s.tags.principles, "co-production");
    // preselected: enter keeps them
    keys(&mut app, "p<enter>");
    let r = record_on_disk(batch.path(), "wigan-deal-press-release");
    assert_eq!(r.tags.principles, s.tags.principles, "{}", message(&app));
}

#[test]
fn a_submission_without_proposals_is_approved_in_five_keys() {
    let batch = common::copy_sample();
    let (mut app, s) = selected(batch.path(), "lambeth-youth-services-cooperative.md");
    assert_eq!(s.tags.values.len(), 3, "{:?}", s.tags.values);
    // guided: category, principles, values, then approve
    keys(&mut app, "<enter><enter><enter><enter>a");
    let r = record_on_disk(batch.path(), "lambeth-youth-services-cooperative");
    assert_eq!(r.decision.as_deref(), Some("approve"), "{}", message(&app));
    assert_eq!(r.tags.values, s.tags.values);
    assert_eq!(r.tags.primary_category.as_deref(), Some("young-people"));
    assert!(!r.tags.principles.is_empty());
}

#[test]
fn weak_suggestions_are_marked_in_the_details() {
    let tax = Taxonomy::builtin();
    let all = sample_suggestions();
    let (name, _, s) = all
        .iter()
        .find(|(_, _, s)| s.tags.values.iter().any(|v| s.is_weak(v)))
        .expect("a weak value somewhere in the sample");
    let weak = s.tags.values.iter().find(|v| s.is_weak(v)).expect("weak");
    let batch = common::copy_sample();
    let mut app = common::open_app(batch.path(), None);
    select(&mut app, name);
    let screen = draw(&app, 220, 50);
    let label = tax.label(Kind::Value, weak);
    assert!(
        screen.contains(&format!("{label} (weak)")),
        "{name}: {label}\n{screen}"
    );
    // the values picker marks it with a hollow star
    keys(&mut app, "v");
    let picker = draw(&app, 220, 50);
    assert!(
        picker.lines().any(|l| l.contains(&format!("☆ {label}"))),
        "{name}: {label}\n{picker}"
    );
}

#[test]
fn stats_report_how_often_each_kind_of_suggestion_was_kept() {
    let home = tempfile::tempdir().expect("home");
    let dir = common::sample_dir();
    let out = common::run_casetag(
        &["stats", "--json", dir.to_str().expect("utf8")],
        home.path(),
    );
    assert!(out.status.success(), "{}", common::stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let kept = &v["suggestions_kept"];
    let decided = v["decided"].as_u64().expect("decided");
    let records = kept["records"].as_u64().expect("records");
    assert!(records >= 1 && records <= decided, "{kept}");
    for field in ["category", "secondary", "principles", "values"] {
        let f = &kept["by_field"][field];
        let (offered, k) = (f["offered"].as_u64(), f["kept"].as_u64());
        assert!(offered.is_some() && k <= offered, "{field}: {f}");
    }
    for source in ["proposed", "quoted", "evidence", "weak_evidence"] {
        assert!(kept["by_source"][source]["offered"].is_u64(), "{source}");
    }
    // the sample's records took the council's proposals as they were
    let proposed = &kept["by_source"]["proposed"];
    assert!(proposed["offered"].as_u64() > Some(0), "{proposed}");
    assert_eq!(proposed["offered"], proposed["kept"], "{proposed}");
    let text = common::stdout(&common::run_casetag(
        &["stats", dir.to_str().expect("utf8")],
        home.path(),
    ));
    assert!(
        text.contains(&format!("Suggestions kept, over {records} decided record")),
        "{text}"
    );
    assert!(text.contains("proposed by the council"), "{text}");
}

const RULE_BREAKER: &str = r#"+++
title = "Rule breakers"
lead_member = "Test Council"
[proposed]
primary_category = "Housing"
categories = ["Housing", "Poverty", "Jobs", "Finance", "Strategy"]
values = ["Democracy", "Generosity", "Equity", "Openness", "Honesty"]
+++
Tenants run the estate.
"#;

#[test]
fn proposals_that_break_the_rules_are_shown_with_the_reason() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::write(tmp.path().join("rules.md"), RULE_BREAKER).expect("write");
    let (mut app, s) = selected(tmp.path(), "rules.md");
    assert_eq!(s.tags.categories, ["poverty", "jobs", "finance"]);
    assert_eq!(s.tags.values, ["democracy", "equity", "openness"]);
    // the details say what was set aside and why
    let screen = draw(&app, 220, 50);
    let details: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    for said in [
        "✗ proposed, set aside:",
        "Generosity (value): not in the taxonomy",
        "Housing (category): the same as the primary category",
        "Strategy (category): at most 3 secondary categories besides the primary",
        "Honesty (value): only 3 values are ranked",
    ] {
        assert!(details.contains(said), "{said}\n{screen}");
    }
    // so does the reader
    keys(&mut app, "z");
    let doc = app.reader_document().expect("reader");
    let text: Vec<String> = doc.lines.iter().map(|l| l.text()).collect();
    assert!(
        text.iter()
            .any(|l| l.contains("Set aside") && l.contains("Generosity (value)")),
        "{text:#?}"
    );
    // and `casetag show`
    let home = tempfile::tempdir().expect("home");
    let file = tmp.path().join("rules.md");
    let out = common::run_casetag(&["show", file.to_str().expect("utf8")], home.path());
    let shown = common::stdout(&out);
    assert!(
        shown.contains("proposed, set aside:\n  - Generosity (value): not in the taxonomy\n"),
        "{shown}"
    );
}
