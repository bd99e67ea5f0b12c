//! The command line as a newcomer meets it: typos, missing options, help
//! texts, `stats --json`, `demo` twice and `show --body`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a failed test may panic

use crate::common;

use common::{run_casetag, run_casetag_in, sample_dir, stderr, stdout};

fn sample() -> String {
    sample_dir().to_str().expect("utf-8").to_string()
}

#[test]
fn a_mistyped_command_gets_did_you_mean() {
    let home = tempfile::tempdir().expect("home");
    let here = tempfile::tempdir().expect("cwd");
    for (args, meant) in [
        (vec!["chek", "b"], "check"),
        (vec!["chek"], "check"),
        (vec!["exprot", "x", "--format", "csv"], "export"),
        (vec!["stat", "."], "stats"),
        (vec!["--taxonomy", "t.toml", "shwo", "f.md"], "show"),
    ] {
        let out = run_casetag_in(&args, home.path(), here.path());
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = stderr(&out);
        assert!(
            err.contains(&format!("did you mean `casetag {meant}`?")),
            "{args:?}: {err}"
        );
        assert!(!err.contains("cannot be used with"), "{err}");
    }
    // a folder that exists is a folder, whatever its name
    std::fs::create_dir(here.path().join("chek")).expect("mkdir");
    let out = run_casetag_in(&["chek"], home.path(), here.path());
    assert!(!stderr(&out).contains("did you mean"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("needs a terminal"),
        "{}",
        stderr(&out)
    );
    // and a word like no command is not guessed at
    let out = run_casetag_in(&["batch", "b"], home.path(), here.path());
    assert!(!stderr(&out).contains("did you mean"), "{}", stderr(&out));
}

#[test]
fn export_without_a_format_lists_the_formats() {
    let home = tempfile::tempdir().expect("home");
    let out = run_casetag(&["export", &sample()], home.path());
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    for (format, what) in [
        ("csv", "website's import"),
        ("json", "JSON"),
        ("pack", "Case Studies Pack"),
    ] {
        assert!(
            err.lines()
                .any(|l| l.trim_start().starts_with(format) && l.contains(what)),
            "{format} not listed:\n{err}"
        );
    }
    assert!(stdout(&out).is_empty());
}

/// The `Options:` and `Arguments:` lines of a help text.
fn section<'a>(help: &'a str, title: &str) -> Vec<&'a str> {
    help.lines()
        .skip_while(|l| *l != title)
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect()
}

#[test]
fn each_command_helps_with_only_its_own_options() {
    let home = tempfile::tempdir().expect("home");
    let opening = ["--keymap", "--reviewer", "--taxonomy"];
    for (cmd, has, lacks) in [
        (
            "check",
            vec!["--warnings", "--taxonomy"],
            opening[..2].to_vec(),
        ),
        ("stats", vec!["--json", "--taxonomy"], opening[..2].to_vec()),
        (
            "show",
            vec!["--json", "--body", "--taxonomy"],
            opening[..2].to_vec(),
        ),
        (
            "export",
            vec!["--format", "--output", "--taxonomy"],
            opening[..2].to_vec(),
        ),
        ("demo", opening.to_vec(), vec!["--json"]),
        ("completions", vec![], opening.to_vec()),
        ("man", vec![], opening.to_vec()),
    ] {
        let out = run_casetag(&[cmd, "--help"], home.path());
        assert_eq!(out.status.code(), Some(0), "{cmd}: {}", stderr(&out));
        let help = stdout(&out);
        for o in has {
            assert!(help.contains(o), "{cmd} --help lacks {o}:\n{help}");
        }
        for o in lacks {
            assert!(!help.contains(o), "{cmd} --help lists {o}:\n{help}");
        }
        // every argument is described, on its line or the next one
        let args = section(&help, "Arguments:");
        for (i, line) in args.iter().enumerate() {
            if line.starts_with("      ") {
                continue; // a description
            }
            let same_line = line.trim_start().split_once("  ").map(|(_, d)| d.trim());
            let next_line = args.get(i + 1).filter(|l| l.starts_with("      "));
            assert!(
                same_line.is_some_and(|d| d.len() > 5) || next_line.is_some(),
                "{cmd}: argument without a description: {line:?}\n{help}"
            );
        }
    }
    let out = run_casetag(&["--help"], home.path());
    let help = stdout(&out);
    for o in opening {
        assert!(help.contains(o), "casetag --help lacks {o}");
    }
    assert!(help.contains("The folder of submissions to open"), "{help}");
    // the opening options no longer reach the commands that ignore them
    let out = run_casetag(&["check", "--reviewer", "x", &sample()], home.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn stats_json_gives_objects_keyed_by_status_and_by_id() {
    let home = tempfile::tempdir().expect("home");
    let out = run_casetag(&["stats", "--json", &sample()], home.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let by = v["by_status"].as_object().expect("by_status is an object");
    let total: u64 = by.values().map(|n| n.as_u64().expect("a count")).sum();
    assert_eq!(Some(total), v["total"].as_u64());
    // the sample: two approved, one declined, seventeen not started
    assert_eq!(by["approved"], 2, "{by:?}");
    assert_eq!(by["declined"], 1, "{by:?}");
    assert_eq!(by["not-started"], 19, "{by:?}");
    // every list of counts is keyed by id too
    for list in [
        "primary",
        "secondary",
        "principles",
        "values_first",
        "values_weighted",
    ] {
        assert!(v[list].is_object(), "{list}: {}", v[list]);
    }
    assert_eq!(v["primary"]["housing"]["label"], "Housing");
    assert_eq!(
        v["values_first"]["solidarity"]["count"], 1,
        "{}",
        v["values_first"]
    );
}

#[test]
fn demo_on_a_folder_that_holds_the_demo_opens_it() {
    let home = tempfile::tempdir().expect("home");
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = tmp.path().join("demo");
    let d = dir.to_str().expect("utf-8");
    // no terminal here: the sample is written, then opening it is refused
    let first = run_casetag(&["demo", d], home.path());
    assert!(
        stderr(&first).contains("the sample batch is in"),
        "{}",
        stderr(&first)
    );
    assert!(dir.join("oldham-food-hubs.md").exists());
    std::fs::write(
        dir.join("oldham-food-hubs.review.toml"),
        "decision = \"decline\"\n",
    )
    .expect("work");
    let again = run_casetag(&["demo", d], home.path());
    let err = stderr(&again);
    assert!(err.contains("opening the sample batch already in"), "{err}");
    assert!(!err.contains("choose an empty folder"), "{err}");
    assert!(err.contains("needs a terminal"), "{err}");
    // the work done there is kept
    assert_eq!(
        std::fs::read_to_string(dir.join("oldham-food-hubs.review.toml")).expect("read"),
        "decision = \"decline\"\n"
    );
}

#[test]
fn show_body_prints_the_text() {
    let home = tempfile::tempdir().expect("home");
    let file = sample_dir().join("oldham-food-hubs.md");
    let f = file.to_str().expect("utf-8");
    let plain = stdout(&run_casetag(&["show", f], home.path()));
    let out = run_casetag(&["show", "--body", f], home.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let with_body = stdout(&out);
    assert!(with_body.starts_with(&plain), "the report comes first");
    let text = std::fs::read_to_string(&file).expect("read");
    let body = text.split("+++").nth(2).expect("front matter").trim();
    for line in body.lines().filter(|l| !l.trim().is_empty()) {
        assert!(with_body.contains(line), "{line:?} missing:\n{with_body}");
    }
    assert!(!plain.contains("When the first lockdown began"), "{plain}");
    let out = run_casetag(&["show", "--body", "--json", f], home.path());
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_markdown_body_with_bold_labels_gives_its_fields() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(
        tmp.path().join("camden.md"),
        "# Camden energy co-op\n\n**Lead member:** London Borough of Camden\n\
         **Participating members:** Islington Council, Hackney Council\n**Year:** 2019\n\n\
         Principles met: Social Partnership; Co-production\n\nResidents own the panels.\n",
    )
    .expect("write");
    let taxonomy = casetag::taxonomy::Taxonomy::builtin();
    let s = casetag::submission::read_submission(&tmp.path().join("camden.md"), &taxonomy)
        .expect("read");
    assert_eq!(
        s.fields.lead_member.as_deref(),
        Some("London Borough of Camden")
    );
    assert_eq!(s.fields.year, Some(2019));
    assert_eq!(
        s.fields.participating_members.len(),
        2,
        "{:?}",
        s.fields.participating_members
    );
    common::assert_holds(&s.principles_met, "co-production");
    // the lines stay in the text too
    assert!(s.body.contains("London Borough of Camden"), "{}", s.body);
}

#[test]
fn stats_compare_gives_agreement_kappa_and_where_officers_differ() {
    let home = tempfile::tempdir().expect("home");
    let (a, b) = (
        tempfile::tempdir().expect("a"),
        tempfile::tempdir().expect("b"),
    );
    let record = |decision: &str, principles: &str| {
        format!(
            "decision = \"{decision}\"\nprimary_category = \"jobs\"\nprinciples = [{principles}]\n\
             values = [\"equity\", \"solidarity\", \"democracy\"]\n"
        )
    };
    // a: both approve; b: approve and decline; c: both decline; d: only in the first folder
    for (dir, side) in [(a.path(), 0), (b.path(), 1)] {
        for (name, decisions, principles) in [
            (
                "a",
                ["approve", "approve"],
                ["\"learning\"", "\"learning\", \"innovation\""],
            ),
            (
                "b",
                ["approve", "decline"],
                ["\"learning\"", "\"learning\""],
            ),
            (
                "c",
                ["decline", "decline"],
                ["\"learning\"", "\"learning\""],
            ),
        ] {
            std::fs::write(dir.join(format!("{name}.md")), format!("# {name}\n")).expect("write");
            let text = format!(
                "submission = \"{name}.md\"\n{}",
                record(decisions[side], principles[side])
            );
            std::fs::write(dir.join(format!("{name}.review.toml")), text).expect("write");
        }
    }
    std::fs::write(a.path().join("d.md"), "# d\n").expect("write");
    std::fs::write(
        a.path().join("d.review.toml"),
        format!(
            "submission = \"d.md\"\n{}",
            record("decline", "\"learning\"")
        ),
    )
    .expect("write");
    let (pa, pb) = (
        a.path().to_str().expect("utf-8"),
        b.path().to_str().expect("utf-8"),
    );
    let out = run_casetag(&["stats", pa, "--compare", pb, "--json"], home.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(v["n"], 3);
    assert_eq!(v["only_first"], serde_json::json!(["d.md"]));
    let field = |key: &str| {
        v["fields"]
            .as_array()
            .and_then(|fs| fs.iter().find(|f| f["field"] == key))
            .cloned()
            .unwrap_or_else(|| panic!("no field {key}"))
    };
    let d = field("decision");
    assert_eq!(d["agreed"], 2);
    assert_eq!(d["differ"], serde_json::json!(["b.md"]));
    // observed 2/3, chance 4/9: kappa (2/3 - 4/9) / (1 - 4/9) = 0.4
    assert!(
        (d["kappa"].as_f64().expect("kappa") - 0.4).abs() < 1e-9,
        "{d}"
    );
    let p = field("principle:innovation");
    assert_eq!(p["differ"], serde_json::json!(["a.md"]));
    // one answer throughout: kappa is not defined
    assert_eq!(field("primary_category")["kappa"], serde_json::Value::Null);
    let out = run_casetag(&["stats", pa, "--compare", pb], home.path());
    let text = stdout(&out);
    assert!(text.contains("3 submissions tagged in both"), "{text}");
    assert!(text.contains("Decision: b.md"), "{text}");
}
