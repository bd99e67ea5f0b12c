use super::*;

use std::fs;

use proptest::prelude::*;

const SEED_004: &str = include_str!("../../../tests/data/seed-004.txt");
const SEED_000: &str = include_str!("../../../tests/data/seed-000.txt");

fn tax() -> Taxonomy {
    Taxonomy::builtin()
}

fn parse(name: &str, text: &str) -> Result<Submission, Problem> {
    parse_submission(Path::new(name), text.as_bytes(), &tax())
}

fn ok(name: &str, text: &str) -> Submission {
    match parse(name, text) {
        Ok(s) => s,
        Err(p) => panic!("{name} should parse: {p}"),
    }
}

fn err(name: &str, text: &[u8]) -> Problem {
    match parse_submission(Path::new(name), text, &tax()) {
        Ok(s) => panic!("{name} should not parse: {s:?}"),
        Err(p) => p,
    }
}

fn messages(s: &Submission) -> Vec<String> {
    s.warnings.iter().map(ToString::to_string).collect()
}

fn ids(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

const SEED_004_PRINCIPLES: [&str; 7] = [
    "co-production",
    "enterprise-social-economy",
    "community-leadership",
    "new-models",
    "innovation",
    "learning",
    "walking-the-talk",
];

fn check_seed_004(s: &Submission) {
    assert_eq!(s.format, Format::Text);
    assert_eq!(s.principles_met, ids(&SEED_004_PRINCIPLES));
    assert_eq!(
        s.fields.lead_member.as_deref(),
        Some("Co-operative Councils Innovation Network CCIN")
    );
    assert_eq!(
        s.fields.participating_members.len(),
        22,
        "{:?}",
        s.fields.participating_members
    );
    assert_eq!(
        s.fields.participating_members[0],
        "Bassetlaw District Council"
    );
    assert_eq!(
        s.fields.participating_members[21],
        "Telford and Wrekin Council"
    );
    assert!(
        s.fields
            .participating_members
            .contains(&"Hillingdon Labour and Co-op Group".to_string())
    );
    assert_eq!(s.fields.year, Some(2020));
    assert_eq!(s.fields.programme.as_deref(), Some("Policy Labs"));
    assert_eq!(s.fields.contact, None);
    // The copied page has no title line (its first line is a paragraph):
    // the title is the file's name, marked so, not a sentence cut at 70.
    assert_eq!(s.title, title::from_file_name(&s.path));
    assert!(s.title_is_made_up(), "{:?}", s.sources);
    assert!(s.body.starts_with("The unprecedented impact"), "{}", s.body);
    assert!(s.body.ends_with("emerging needs of our communities."));
    assert_eq!(s.body_line, 18);
    assert!(s.warnings.is_empty(), "{:?}", messages(s));
    assert_eq!(s.proposed, Proposed::default());
}

// ---------------------------------------------------------------------------
// Seed 004: the real pasted case study (older layout)

#[test]
fn seed_004_embedded() {
    check_seed_004(&ok("004_ab523b30d0a802b7.txt", SEED_004));
}

#[test]
fn seed_004_read_from_disk() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/seed-004.txt");
    let s = match read_submission(&path, &tax()) {
        Ok(s) => s,
        Err(p) => panic!("{p}"),
    };
    check_seed_004(&s);
    assert_eq!(s.file_name, "seed-004.txt");
    assert_eq!(s.sha256, sha256_hex(SEED_004.as_bytes()));
}

#[test]
fn seed_004_new_models_bullet_does_not_add_co_production() {
    // The bullet with the Co-production tail glued on gives only New models.
    let line = SEED_004
        .lines()
        .find(|l| l.contains("In exploring new ways"))
        .unwrap_or_default();
    assert!(line.contains("in determining the use of public resources"));
    assert_eq!(recognise_principles(line, &tax()), ["new-models"]);
}

// ---------------------------------------------------------------------------
// Principle recognition

#[test]
fn co_production_tail_alone_is_not_co_production() {
    let t = tax();
    let tail = "in designing and commissioning public services and in determining the use of public resources.";
    assert!(recognise_principles(tail, &t).is_empty());
    let s = ok(
        "tail.txt",
        &format!("• Lead Member X\n\nPrinciples met\n\n• {tail}\n\nAbout the project\n\nBody."),
    );
    assert!(s.principles_met.is_empty());
    assert_eq!(s.warnings.len(), 1, "{:?}", messages(&s));
    assert_eq!(s.warnings[0].line, Some(5));
    assert_eq!(s.warnings[0].col, Some(3));
    assert!(
        s.warnings[0]
            .message
            .starts_with("unrecognised principle statement")
    );
}

#[test]
fn text_without_statements_gives_none() {
    let t = tax();
    for text in [
        "",
        "   ",
        "Our council opened three food hubs with local volunteers in 2020.",
        "We will work with local communities.",
        "co-operative values and principles",
        &SEED_004[SEED_004.find("The unprecedented").unwrap_or(0)..],
    ] {
        assert!(recognise_principles(text, &t).is_empty(), "{text}");
    }
}

#[test]
fn official_statements_and_labels_are_recognised() {
    let t = tax();
    for p in &t.principles {
        let want = vec![p.id.clone()];
        assert_eq!(recognise_principles(&p.description, &t), want, "{}", p.id);
        assert_eq!(recognise_principles(&p.full_statement(), &t), want);
        assert_eq!(recognise_principles(&p.label, &t), want, "{}", p.label);
        let shouted = format!("  {}: ", p.label.to_uppercase());
        assert_eq!(recognise_principles(&shouted, &t), want);
        for sp in &p.sub_points {
            assert_eq!(recognise_principles(&sp.statement, &t), want);
        }
    }
    // A label inside other text is not a label match.
    assert!(recognise_principles("Innovation in housing", &t).is_empty());
}

#[test]
fn copy_differences_are_tolerated() {
    let t = tax();
    let cases = [
        (
            "We will strengthen the cooperative partnership between citizens, communities, enterprises and Councils, based on a shared sense of responsibility for well-being and mutual benefit",
            "social-partnership",
        ),
        (
            "We will capture and “expand” the experience and learning from individual projects and approaches in order to encourage broader application of cooperative principles within individual member Councils and across the Network.",
            "learning",
        ),
        (
            "WE WILL EMBRACE INNOVATION IN HOW WE WORK WITH LOCAL COMMUNITIES TO DRIVE POSITIVE CHANGE",
            "innovation",
        ),
    ];
    for (text, id) in cases {
        assert_eq!(recognise_principles(text, &t), [id], "{text}");
    }
}

#[test]
fn older_wording_of_seed_000_is_recognised() {
    let t = tax();
    // Each principle bullet of the 2014 paper, older wording and all.
    let start = SEED_000.find("· Social partnership").unwrap_or(0);
    let end = SEED_000
        .find("Membership of the Values")
        .unwrap_or(SEED_000.len());
    let mut found = Vec::new();
    for line in SEED_000[start..end].lines().filter(|l| l.starts_with('·')) {
        let got = recognise_principles(line, &t);
        assert_eq!(got.len(), 1, "{line}: {got:?}");
        found.extend(got);
    }
    t.sort_ids(Kind::Principle, &mut found);
    let all: Vec<String> = t.principles.iter().map(|p| p.id.clone()).collect();
    assert_eq!(found, all);
    // Statement only, older wording, no label.
    assert_eq!(
        recognise_principles(
            "Supporting the active engagement of the full range of residents in decision making and priority setting.",
            &t
        ),
        ["democratic-engagement"]
    );
}

#[test]
fn a_run_of_statements_gives_each() {
    let t = tax();
    let run = format!(
        "{} {} {}",
        t.principles[7].description, t.principles[2].description, t.principles[0].description
    );
    assert_eq!(
        recognise_principles(&run, &t),
        ["social-partnership", "co-production", "innovation"]
    );
}

// ---------------------------------------------------------------------------
// Plain text: the newer web layout

const NEWER: &str = "\
Community food hubs in Kirklees

- Lead member: Kirklees Council
- Participating Members Kirklees Council, Locality, , Calderdale Council
- Year 2021
- Type Policy Prototypes

Principles met

Co-production
Developing systems that enable citizens to be equal partners in designing and commissioning public services and in determining the use of public resources.
-
Democratic Engagement
Supporting the active engagement of the full range of residents in decision making and priority setting.
-
-
Walking the talk
As a membership organisation we will make this statement of our principles operational by:
Co-operation among members: Our members work together to help each other implement our values,
sharing experiences and learning.
Action-focused: The network is a vehicle for helping councils translate co-operative values and principles into policy and practice.
-
Innovation
We like new things.
-
Something we made up
-
The hubs opened in March 2021 and served 4,000 households.

They are run by volunteers.
";

#[test]
fn newer_layout_is_read() {
    let s = ok("kirklees.txt", NEWER);
    assert_eq!(s.title, "Community food hubs in Kirklees");
    assert_eq!(s.fields.lead_member.as_deref(), Some("Kirklees Council"));
    assert_eq!(
        s.fields.participating_members,
        ["Kirklees Council", "Locality", "Calderdale Council"]
    );
    assert_eq!(s.fields.year, Some(2021));
    assert_eq!(s.fields.programme.as_deref(), Some("Policy Prototypes"));
    assert_eq!(
        s.principles_met,
        ids(&[
            "democratic-engagement",
            "co-production",
            "innovation",
            "walking-the-talk"
        ])
    );
    // "Innovation" is named, so its odd statement is not reported; the made-up
    // name under no principle is.
    assert_eq!(
        messages(&s),
        ["kirklees.txt:26:1: unrecognised principle statement “Something we made up”"]
    );
    assert!(s.body.starts_with("The hubs opened"), "{}", s.body);
    assert!(s.body.ends_with("They are run by volunteers."));
    assert_eq!(s.body_line, 28);
}

#[test]
fn newer_layout_with_about_heading_and_walking_the_talk_split() {
    let text = "\
- Lead Member Kirklees Council
- Type Policy Labs
Principles met
Walking the talk
As a membership organisation we will make this
statement of our principles operational by:
-
Learning
We will capture and 'expand' the experience and learning from individual projects
and approaches in order to encourage broader application of co-operative principles
within individual member Councils and across the Network.
About the project
The project.
";
    let s = ok("k.txt", text);
    assert_eq!(s.principles_met, ids(&["learning", "walking-the-talk"]));
    assert!(s.warnings.is_empty(), "{:?}", messages(&s));
    assert_eq!(s.body, "The project.");
    assert_eq!(s.body_line, 13);
    // No title line, and the body's first line is short.
    assert_eq!(s.title, "The project");
}

#[test]
fn walking_the_talk_split_over_bullets_without_its_name() {
    let text = "\
• Lead Member Plymouth City Council
Principles met
• As a membership organisation, we will make this statement of our principles operational by:
• Co-operation among members: Our members work together to help each other implement our values, sharing experiences and learning.
• Membership-based: The network is majority funded by modest membership subscriptions from its member Councils, Associates and Affiliates.
• We will embrace innovation in how we work with local communities to drive positive change.
Plymouth's project began in 2017.
";
    let s = ok("p.txt", text);
    assert_eq!(s.principles_met, ids(&["innovation", "walking-the-talk"]));
    assert!(s.warnings.is_empty(), "{:?}", messages(&s));
    assert_eq!(s.body, "Plymouth's project began in 2017.");
    assert_eq!(s.title, "Plymouth's project began in 2017");
}

#[test]
fn unrecognised_statement_line_after_a_name_is_body_when_the_section_stops() {
    // "Innovation" with its statement missing, then the body: the body's first
    // line is not swallowed as a statement.
    let text =
        "- Lead Member K\nPrinciples met\nInnovation\nThe project started small.\n\nIt grew.\n";
    let s = ok("k.txt", text);
    assert_eq!(s.principles_met, ["innovation"]);
    assert_eq!(s.body, "The project started small.\n\nIt grew.");
    assert_eq!(s.body_line, 4);
}

// ---------------------------------------------------------------------------
// Plain text: other shapes

#[test]
fn press_release_is_all_body_titled_by_its_first_line() {
    let text = "\n\nCouncil backs new credit union\n\nLead member for finance, Cllr Ann Smith, said the year had been hard.\nYear 2020 was difficult.\n";
    let s = ok("press.txt", text);
    assert_eq!(s.title, "Council backs new credit union");
    assert_eq!(s.fields.lead_member, None);
    assert_eq!(s.fields.year, None);
    assert!(s.principles_met.is_empty());
    assert!(
        s.body
            .starts_with("Council backs new credit union\n\nLead member for finance")
    );
    assert_eq!(s.body_line, 3);
    assert!(s.warnings.is_empty());
}

#[test]
fn fields_without_bullets_are_read_when_they_come_together() {
    let text = "Lead member: Oldham Council\nYear 2019\nStatus Policy Labs\nContact: a@b.org\n\nBody text.";
    let s = ok("o.txt", text);
    assert_eq!(s.fields.lead_member.as_deref(), Some("Oldham Council"));
    assert_eq!(s.fields.year, Some(2019));
    assert_eq!(s.fields.programme.as_deref(), Some("Policy Labs"));
    assert_eq!(s.fields.contact.as_deref(), Some("a@b.org"));
    assert_eq!(s.body, "Body text.");
    assert_eq!(s.title, "Body text");
}

#[test]
fn wrapped_participating_members_line_is_joined() {
    let text = "• Participating Members A, B,\nC, D\n• Year 2020\n\nBody, with a comma.\nMore.";
    let s = ok("w.txt", text);
    assert_eq!(s.fields.participating_members, ["A", "B", "C", "D"]);
    assert_eq!(s.fields.year, Some(2020));
    assert_eq!(s.body, "Body, with a comma.\nMore.");
}

#[test]
fn field_problems_are_warnings() {
    let text = "• Lead Member A\n• Lead Member B\n• Year twenty twenty\n• Participating Members\nX, Y\n\nBody.";
    let s = ok("f.txt", text);
    assert_eq!(s.fields.lead_member.as_deref(), Some("A"));
    assert_eq!(s.fields.year, None);
    assert_eq!(s.fields.participating_members, ["X", "Y"]);
    assert_eq!(
        messages(&s),
        [
            "f.txt:2:15: “Lead Member” is given again; the first one is kept",
            "f.txt:3:8: year “twenty twenty” is not a number; ignored",
        ]
    );
}

#[test]
fn title_line_above_the_fields_and_long_titles() {
    let long = "A very long title line that goes on and on about the project and what it did for the people of the borough";
    let s = ok("t.txt", &format!("{long}\n• Year 2018\n\nBody"));
    assert_eq!(s.fields.year, Some(2018));
    assert_eq!(
        s.title,
        "A very long title line that goes on and on about the project and what…"
    );
    assert!(s.title.chars().count() <= title::CUT_CHARS + 1);
    // A paragraph is no title line, however short its first sentence: the
    // file's name stands in, and says so.
    let para = "Food hubs opened in 2020. They were run by volunteers from twelve local groups and served four thousand households.";
    let s = ok("food-hubs.txt", para);
    assert_eq!(s.title, "Food hubs");
    assert!(s.title_is_made_up());
}

#[test]
fn titles_fall_back_to_the_file_name() {
    assert_eq!(ok("oldham-food_hubs.txt", "").title, "Oldham food hubs");
    assert_eq!(ok("dir/x.md", "\n  \n---\n").title, "X");
    assert_eq!(ok("a.md", "+++\n+++\n").title, "A");
}

// ---------------------------------------------------------------------------
// Markdown

const FORMAT_EXAMPLE: &str = r#"+++
title = "Community food hubs"
lead_member = "Oldham Council"
participating_members = ["Rochdale Metropolitan Borough Council"]
year = 2020
status = "Policy Labs"          # the programme: Policy Labs, Policy Prototypes, ...
contact = "someone@example.org"

[proposed]                     # what the council itself chose (optional)
primary_category = "Community"
categories = ["Poverty"]
principles = ["Co-production", "Innovation"]
values = ["Solidarity", "Caring for others", "Democracy"]
+++
Body text in Markdown ...
"#;

#[test]
fn markdown_front_matter_is_read() {
    let s = ok("oldham-food-hubs.md", FORMAT_EXAMPLE);
    assert_eq!(s.format, Format::Markdown);
    assert_eq!(s.file_name, "oldham-food-hubs.md");
    assert_eq!(s.title, "Community food hubs");
    assert_eq!(s.fields.lead_member.as_deref(), Some("Oldham Council"));
    assert_eq!(
        s.fields.participating_members,
        ["Rochdale Metropolitan Borough Council"]
    );
    assert_eq!(s.fields.year, Some(2020));
    assert_eq!(s.fields.programme.as_deref(), Some("Policy Labs"));
    assert_eq!(s.fields.contact.as_deref(), Some("someone@example.org"));
    assert_eq!(
        s.proposed,
        Proposed {
            tags: Tags {
                primary_category: Some("community".into()),
                categories: ids(&["poverty"]),
                principles: ids(&["co-production", "innovation"]),
                values: ids(&["solidarity", "caring-for-others", "democracy"]),
            },
            set_aside: vec![],
        }
    );
    assert_eq!(s.body, "Body text in Markdown ...");
    assert_eq!(s.body_line, 15);
    assert!(s.warnings.is_empty(), "{:?}", messages(&s));
}

#[test]
fn proposed_names_resolve_and_unknown_ones_warn() {
    let text = r#"+++
[proposed]
primary_category = "HOUSING"
categories = ["housing", "Health and social care", "poverty", "Poverty", "Space travel"]
principles = ["walking the talk", "co-production", "Co-Production", "Telepathy"]
values = ["caring for others", "Democracy", "caring-for-others", "greed"]
+++
"#;
    let s = ok("p.md", text);
    assert_eq!(
        s.proposed,
        Proposed {
            tags: Tags {
                primary_category: Some("housing".into()),
                categories: ids(&["health-social-care", "poverty"]),
                principles: ids(&["co-production", "walking-the-talk"]),
                values: ids(&["caring-for-others", "democracy"]),
            },
            set_aside: vec![
                SetAside::new(Kind::Category, "Space travel", "not in the taxonomy"),
                SetAside::new(Kind::Principle, "Telepathy", "not in the taxonomy"),
                SetAside::new(Kind::Value, "greed", "not in the taxonomy"),
                SetAside::new(
                    Kind::Category,
                    "Housing",
                    "the same as the primary category"
                ),
                SetAside::new(Kind::Category, "Poverty", "named twice"),
                SetAside::new(Kind::Principle, "Co-production", "named twice"),
                SetAside::new(Kind::Value, "Caring for others", "named twice"),
            ],
        }
    );
    assert_eq!(
        messages(&s),
        [
            "p.md:4:74: proposed category “Space travel” is not in the taxonomy; ignored",
            "p.md:5:69: proposed principle “Telepathy” is not in the taxonomy; ignored",
            "p.md:6:66: proposed value “greed” is not in the taxonomy; ignored",
        ]
    );
}

#[test]
fn wrong_types_and_unknown_keys_are_warnings_and_ignored() {
    let text = "+++\ntitle = 5\nyear = \"twenty\"\ntype = \"Policy Labs\"\nparticipating_members = [\"A\", 3, \"B\"]\n[proposed]\nvalues = \"Democracy, Equity\"\ncolour = \"red\"\n+++\n# Heading title\n";
    let s = ok("w.md", text);
    assert_eq!(s.title, "Heading title");
    assert_eq!(s.fields.year, None);
    assert_eq!(s.fields.programme, None);
    assert_eq!(s.fields.participating_members, ["A", "B"]);
    assert_eq!(s.proposed.tags.values, ids(&["democracy", "equity"]));
    assert_eq!(
        messages(&s),
        [
            "w.md:2:9: `title` should be a string, not an integer; ignored",
            "w.md:3:8: `year` should be a whole number such as 2020, not “twenty”; ignored",
            "w.md:4:1: unknown front-matter key `type` (did you mean `status`?); ignored",
            "w.md:5:31: `participating_members` should hold strings, not an integer; ignored",
            "w.md:8:1: unknown front-matter key `proposed.colour`; ignored",
        ]
    );
    // A year written as a string of digits is fine.
    assert_eq!(
        ok("y.md", "+++\nyear = \"2017\"\n+++\n").fields.year,
        Some(2017)
    );
}

#[test]
fn broken_front_matter_is_an_error_positioned_in_the_file() {
    let p = err("b.md", b"+++\ntitle = \"ok\"\nyear = = 2020\n+++\nbody\n");
    assert_eq!((p.line, p.col), (Some(3), Some(8)), "{p}");
    assert!(
        p.message.starts_with("front matter is not valid TOML"),
        "{p}"
    );
    assert!(p.to_string().starts_with("b.md:3:8: "));
    // An unclosed string on line 2.
    let p = err("b.md", b"+++\ntitle = \"never closed\n+++\n");
    assert_eq!(p.line, Some(2), "{p}");
    // Duplicate keys.
    let p = err("b.md", b"+++\nyear = 1\n\nyear = 2\n+++\n");
    assert_eq!(p.line, Some(4), "{p}");
}

#[test]
fn unterminated_front_matter_is_an_error_at_its_start() {
    let p = err("u.md", b"+++\ntitle = \"x\"\n\nBody without end\n");
    assert_eq!((p.line, p.col), (Some(1), Some(1)));
    assert!(p.message.contains("never closed"), "{p}");
    // A lone "+++" is not closed either.
    assert_eq!(err("u.md", b"+++").line, Some(1));
}

#[test]
fn markdown_without_front_matter_is_all_body() {
    let s = ok("m.md", "Intro line\n\n# Real title\n\nText.\n");
    assert_eq!(s.title, "Real title");
    assert_eq!(s.body, "Intro line\n\n# Real title\n\nText.");
    assert_eq!(s.body_line, 1);
    // No level-1 heading: the first meaningful line, heading marks and emphasis removed.
    assert_eq!(
        ok("m.md", "\n---\n## **Our hubs** ##\n\nText").title,
        "Our hubs"
    );
    assert_eq!(
        ok("m.md", "```\n# not a heading\n```\nFirst line\n").title,
        "First line"
    );
    // Front matter without a title: the same rule on the body.
    let s = ok("m.md", "+++\nyear = 2020\n+++\n\n\n# Hubs\nText\n");
    assert_eq!(s.title, "Hubs");
    assert_eq!(s.body_line, 6);
    assert_eq!(s.body, "# Hubs\nText");
}

#[test]
fn markdown_principles_met_section_is_recognised_and_body_kept() {
    let text = "+++\ntitle = \"T\"\n+++\nIntro.\n\n## Principles met\n\n- We will embrace innovation in how we work with local communities to drive positive change.\n- Learning\n- Something else\n\n## About the project\n\nText.\n";
    let s = ok("m.md", text);
    assert_eq!(s.principles_met, ids(&["innovation", "learning"]));
    assert_eq!(
        messages(&s),
        ["m.md:10:3: unrecognised principle statement “Something else”"]
    );
    assert!(s.body.starts_with("Intro.\n\n## Principles met"));
    assert_eq!(s.body_line, 4);
}

#[test]
fn yaml_front_matter_is_reported() {
    let s = ok("y.md", "---\ntitle: Hubs\n---\nText\n");
    assert_eq!(s.warnings.len(), 1);
    assert_eq!(s.warnings[0].line, Some(1));
    assert!(s.warnings[0].message.contains("YAML"));
}

// ---------------------------------------------------------------------------
// Bytes: encoding, BOM, line endings

#[test]
fn invalid_utf8_is_an_error_at_the_first_bad_byte() {
    let p = err("bad.md", b"fine\nab\xffcd\n");
    assert_eq!((p.line, p.col), (Some(2), Some(3)));
    assert!(p.message.starts_with("not valid UTF-8"), "{p}");
    // Columns count characters; a BOM and CRLF do not shift the position.
    let p = err("bad.md", b"\xEF\xBB\xBFfirst\r\n\xC3\xA7a\xC3\n");
    assert_eq!((p.line, p.col), (Some(2), Some(3)), "{p}");
    let p = err("bad.md", b"\xff");
    assert_eq!((p.line, p.col), (Some(1), Some(1)));
}

#[test]
fn a_text_file_not_in_utf8_is_read_as_windows_1252_with_a_warning() {
    // é, curly quotes, an en dash and the euro sign as Windows-1252 bytes
    let bytes = b"Caf\xe9 hubs\n\nThe hubs \x93opened\x94 in 2020 \x96 at \x805.\n";
    let s = parse_submission(Path::new("hubs.txt"), bytes, &tax()).unwrap();
    assert_eq!(s.title, "Café hubs");
    assert!(
        s.body.contains("The hubs “opened” in 2020 – at €5."),
        "{}",
        s.body
    );
    assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
    let w = &s.warnings[0];
    assert_eq!((w.line, w.col), (Some(1), Some(4)));
    assert!(w.message.contains("read as Windows-1252"), "{w}");
    // Markdown is still UTF-8 only
    assert!(parse_submission(Path::new("hubs.md"), bytes, &tax()).is_err());
}

#[test]
fn byte_order_mark_is_stripped() {
    let s = ok("b.md", "\u{FEFF}# Title\nBody");
    assert_eq!(s.title, "Title");
    assert!(!s.body.contains('\u{FEFF}'));
    let s = ok("b.md", "\u{FEFF}+++\nyear = \"x\"\n+++\n");
    assert_eq!(s.warnings[0].line, Some(2));
    assert_eq!(s.warnings[0].col, Some(8));
    let s = ok("b.txt", "\u{FEFF}• Lead Member A\n• Year soon\n");
    assert_eq!(s.fields.lead_member.as_deref(), Some("A"));
    assert_eq!(
        messages(&s),
        ["b.txt:2:8: year “soon” is not a number; ignored"]
    );
}

#[test]
fn crlf_and_lone_cr_are_line_endings() {
    let md = FORMAT_EXAMPLE.replace('\n', "\r\n");
    let s = ok("c.md", &md);
    assert_eq!(s.title, "Community food hubs");
    assert_eq!(s.body, "Body text in Markdown ...");
    assert_eq!(s.body_line, 15);
    let txt = SEED_004.replace('\n', "\r\n");
    let s = ok("004.txt", &txt);
    check_seed_004(&s);
    assert!(!s.body.contains('\r'));
    let lone = SEED_004.replace('\n', "\r");
    let s = ok("004.txt", &lone);
    check_seed_004(&s);
    let s = ok(
        "x.txt",
        "• Lead Member A\r\n• Year x\r\n\r\nBody\r\nmore\r\n",
    );
    assert_eq!(s.fields.lead_member.as_deref(), Some("A"));
    assert_eq!(s.body, "Body\nmore");
    assert_eq!(s.body_line, 4);
    assert_eq!(s.warnings[0].line, Some(2));
}

#[test]
fn sha256_is_of_the_bytes() {
    let s = ok("e.txt", "");
    assert_eq!(
        s.sha256,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert_eq!(
        ok("a.txt", "abc").sha256,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn too_large_is_an_error() {
    let big = vec![b'a'; usize::try_from(MAX_SUBMISSION_BYTES).unwrap_or(0) + 1];
    let p = err("big.txt", &big);
    assert!(p.message.contains("too large"), "{p}");
    assert_eq!(p.line, None);
}

#[test]
fn deeply_nested_front_matter_does_not_crash() {
    let mut text = String::from("+++\n");
    text.push_str(&"a.".repeat(5000));
    text.push_str("b = 1\nx = ");
    text.push_str(&"[".repeat(5000));
    text.push_str("\n+++\n");
    // Either result is fine; it must return.
    let _ = parse("deep.md", &text);
    // Nesting past the TOML parser's limit is an error, not a crash.
    let mut text = String::from("+++\n");
    text.push_str(&"a.".repeat(2000));
    text.push_str("b = 1\n+++\n");
    let p = err("deep.md", text.as_bytes());
    assert_eq!(p.line, Some(2), "{p}");
    let s = ok("deep.md", "+++\na.b.c.d = 1\n+++\n");
    assert_eq!(
        messages(&s),
        ["deep.md:2:1: unknown front-matter key `a`; ignored"]
    );
}

#[test]
fn warnings_are_capped() {
    let mut text = String::from("+++\n");
    for i in 0..150 {
        text.push_str(&format!("k{i} = 1\n"));
    }
    text.push_str("+++\n");
    let s = ok("many.md", &text);
    assert_eq!(s.warnings.len(), MAX_WARNINGS + 1);
    let last = &s.warnings[MAX_WARNINGS];
    assert_eq!(last.message, "50 more warnings not shown");
    assert_eq!(last.line, Some(MAX_WARNINGS + 2));
}

// ---------------------------------------------------------------------------
// Files and folders

#[test]
fn submission_file_names() {
    for yes in [
        "a.md",
        "A.MD",
        "x.Txt",
        "oldham-food-hubs.md",
        "a.b.txt",
        "notes.review.md",
        "a.doc",
        "form.ODT",
    ] {
        assert!(is_submission_file_name(yes), "{yes}");
    }
    for no in [
        ".a.md",
        ".md",
        "a.review.toml",
        "a.markdown",
        "a.rtf",
        "md",
        "a.md~",
        "a.txt.bak",
        "",
    ] {
        assert!(!is_submission_file_name(no), "{no}");
    }
}

#[cfg(unix)]
fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

#[cfg(unix)]
#[test]
fn list_dir_lists_candidates_sorted() -> io::Result<()> {
    let dir = tempfile::tempdir()?;
    let d = dir.path();
    for name in [
        "b.txt",
        "a.md",
        "C.MD",
        ".hidden.md",
        "notes.doc",
        "a.review.toml",
    ] {
        fs::write(d.join(name), "x")?;
    }
    fs::create_dir(d.join("folder.md"))?;
    fs::create_dir(d.join("sub"))?;
    fs::write(d.join("sub").join("inner.md"), "x")?;
    let fifo = mkfifo(&d.join("pipe.md"));
    let _socket = std::os::unix::net::UnixListener::bind(d.join("sock.txt"))?;
    std::os::unix::fs::symlink(d.join("missing"), d.join("broken.md"))?;
    std::os::unix::fs::symlink(d.join("sub"), d.join("linkdir.md"))?;
    std::os::unix::fs::symlink(d.join("a.md"), d.join("link.md"))?;
    let names: Vec<String> = list_dir(d)?
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    let mut expected = vec![
        "C.MD",
        "a.md",
        "b.txt",
        "broken.md",
        "link.md",
        "notes.doc",
        "sock.txt",
    ];
    if fifo {
        expected.insert(6, "pipe.md");
    }
    assert_eq!(names, expected);
    Ok(())
}

#[cfg(unix)]
#[test]
fn list_folder_says_why_everything_else_is_skipped() -> io::Result<()> {
    let dir = tempfile::tempdir()?;
    let d = dir.path();
    for name in [
        "a.md",
        "photo.jpg",
        "budget.xlsx",
        "form.rtf",
        ".DS_Store",
        "a.review.toml",
        "orphan.review.toml",
        "README",
    ] {
        fs::write(d.join(name), "x")?;
    }
    fs::write(d.join(format!("{}abc", crate::record::TEMP_PREFIX)), "x")?;
    fs::create_dir(d.join("attachments"))?;
    std::os::unix::fs::symlink(d.join("attachments"), d.join("linked.md"))?;
    let listing = list_folder(d)?;
    let names: Vec<&str> = listing
        .submissions
        .iter()
        .filter_map(|p| p.file_name().and_then(|n| n.to_str()))
        .collect();
    assert_eq!(names, ["a.md"]);
    let skipped: Vec<(String, String)> = listing
        .skipped
        .iter()
        .map(|s| (s.file_name.clone(), s.reason.clone()))
        .collect();
    let expect = |n: &str, r: &str| (n.to_string(), r.to_string());
    assert_eq!(
        skipped,
        [
            expect(".DS_Store", "a hidden file"),
            expect("README", "not a submission format"),
            expect("attachments", "a folder (sub-folders are not read)"),
            expect("budget.xlsx", "not a submission format"),
            expect("form.rtf", "not a submission format (save it as .docx)"),
            expect("linked.md", "a link to a folder (sub-folders are not read)"),
            expect("photo.jpg", "not a submission format"),
        ]
    );
    let line = listing.skipped[6].to_problem().to_string();
    assert_eq!(
        line,
        format!(
            "{}: skipped: not a submission format",
            d.join("photo.jpg").display()
        )
    );
    Ok(())
}

#[test]
fn an_older_word_document_is_an_error_saying_what_to_do() {
    let p = err("form.doc", b"\xD0\xCF\x11\xE0 binary");
    assert!(p.message.contains("save it as .docx"), "{p}");
    assert_eq!(p.line, None);
}

#[cfg(unix)]
#[test]
fn read_submission_refuses_special_files_without_hanging() -> io::Result<()> {
    let dir = tempfile::tempdir()?;
    let d = dir.path();
    let t = tax();
    fs::write(d.join("ok.md"), "# Hello\n")?;
    std::os::unix::fs::symlink(d.join("ok.md"), d.join("link.md"))?;
    let s = read_submission(&d.join("link.md"), &t).map_err(io::Error::other)?;
    assert_eq!(s.title, "Hello");
    assert_eq!(s.file_name, "link.md");

    let _socket = std::os::unix::net::UnixListener::bind(d.join("sock.md"))?;
    let p = read_submission(&d.join("sock.md"), &t).err();
    assert!(p.is_some_and(|p| p.message.contains("socket") && p.path == d.join("sock.md")));

    if mkfifo(&d.join("pipe.md")) {
        std::os::unix::fs::symlink(d.join("pipe.md"), d.join("to-pipe.md"))?;
        for name in ["pipe.md", "to-pipe.md"] {
            let p = read_submission(&d.join(name), &t).err();
            assert!(p.is_some_and(|p| p.message.contains("FIFO")), "{name}");
        }
    }
    std::os::unix::fs::symlink("/dev/null", d.join("null.txt"))?;
    let p = read_submission(&d.join("null.txt"), &t).err();
    assert!(p.is_some_and(|p| p.message.contains("device")));

    std::os::unix::fs::symlink(d.join("gone"), d.join("broken.md"))?;
    let p = read_submission(&d.join("broken.md"), &t).err();
    assert!(p.is_some_and(|p| p.message.contains("broken symbolic link")));

    fs::create_dir(d.join("dir.md"))?;
    let p = read_submission(&d.join("dir.md"), &t).err();
    assert!(p.is_some_and(|p| p.message.contains("folder")));

    let p = read_submission(&d.join("absent.md"), &t).err();
    assert!(p.is_some_and(|p| p.message.starts_with("cannot read")));

    let big = fs::File::create(d.join("big.txt"))?;
    big.set_len(MAX_SUBMISSION_BYTES + 1)?;
    let p = read_submission(&d.join("big.txt"), &t).err();
    assert!(p.is_some_and(|p| p.message.contains("too large")));
    let exact = fs::File::create(d.join("exact.txt"))?;
    exact.set_len(MAX_SUBMISSION_BYTES)?;
    assert!(read_submission(&d.join("exact.txt"), &t).is_ok());
    Ok(())
}

// ---------------------------------------------------------------------------
// Robustness

fn check_result(r: &Result<Submission, Problem>) {
    assert_eq!(broken_promise(r), None);
    // Markdown and text warnings always have a position
    if let Ok(s) = r {
        assert!(
            s.warnings.iter().all(|w| w.line.is_some()),
            "{:?}",
            s.warnings
        );
    }
}

fn pieces() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("+++\n".to_string()),
        Just("+++".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just("• ".to_string()),
        Just("  • ".to_string()),
        Just("- ".to_string()),
        Just("-\n".to_string()),
        Just("# ".to_string()),
        Just("Principles met\n".to_string()),
        Just("About the project\n".to_string()),
        Just("Lead Member ".to_string()),
        Just("Participating Members a, ,b,".to_string()),
        Just("Year ".to_string()),
        Just("Type ".to_string()),
        Just("Walking the talk\n".to_string()),
        Just("title = ".to_string()),
        Just("[proposed]\n".to_string()),
        Just("values = [\"x\", 1]\n".to_string()),
        Just("\u{FEFF}".to_string()),
        Just("We will embrace innovation in how we work".to_string()),
        Just(" with local communities to drive positive change.".to_string()),
        "[a-zA-Z0-9 .,:'\"\\[\\]=]{0,30}",
        any::<String>().prop_map(|s| s.chars().take(20).collect()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn never_panics_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        for name in ["p.md", "p.txt"] {
            check_result(&parse_submission(Path::new(name), &bytes, &tax()));
        }
    }

    #[test]
    fn never_panics_on_structured_text(parts in proptest::collection::vec(pieces(), 0..40)) {
        let text: String = parts.concat();
        for name in ["p.md", "p.txt"] {
            check_result(&parse_submission(Path::new(name), text.as_bytes(), &tax()));
        }
        let _ = recognise_principles(&text, &tax());
    }
}

// ---------------------------------------------------------------------------
// `check`'s reading: the errors of the full reading, no more

/// What `check` reports of a reading: its error, or the sha256.
fn check_view(r: Result<Submission, Problem>) -> Result<String, Problem> {
    r.map(|s| s.sha256)
}

#[test]
fn unparsed_reading_gives_the_errors_of_the_full_one() {
    let cases: [(&str, &[u8]); 9] = [
        ("a.md", b"+++\ntitle = \"x\"\n"),
        ("a.md", b"\xEF\xBB\xBF+++\r\ntitle = = 1\r\n+++\r\nbody"),
        ("a.md", b"+++\rtitle = 'x'\r+++\rbody"),
        (
            "a.md",
            b"+++ \ntitle = \"x\"\nyear = \"soon\"\nnope = 1\n  +++\nbody",
        ),
        ("a.md", b"---\ntitle: x\n---\n"),
        ("a.txt", b"caf\xC3 au lait"),
        ("a.md", b"ok\n\xFF"),
        ("a.doc", b"anything"),
        ("a.docx", b"not a zip"),
    ];
    for (name, bytes) in cases {
        let path = Path::new(name);
        assert_eq!(
            check_view(check_submission(path, bytes, &tax())),
            check_view(parse_submission(path, bytes, &tax())),
            "{name} {:?}",
            String::from_utf8_lossy(bytes)
        );
    }
    // and each of those errors is one
    assert!(check_submission(Path::new("a.md"), b"+++\nx = \n+++\n", &tax()).is_err());
}

#[test]
fn unparsed_reading_of_a_file_on_disk() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let good = dir.path().join("good.md");
    let bad = dir.path().join("bad.md");
    fs::write(&good, "+++\ntitle = \"Food hubs\"\n+++\nBody.\n").unwrap_or_else(|e| panic!("{e}"));
    fs::write(&bad, "+++\ntitle = \n+++\n").unwrap_or_else(|e| panic!("{e}"));
    let read = read_submission_unparsed(&good, &tax()).unwrap_or_else(|e| panic!("{e}"));
    let full = read_submission(&good, &tax()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(read.sha256, full.sha256);
    assert_eq!(read.file_name, "good.md");
    assert_eq!(read.format, Format::Markdown);
    assert_eq!(broken_promise(&Ok(read)), None);
    assert_eq!(
        read_submission_unparsed(&bad, &tax()).err(),
        read_submission(&bad, &tax()).err()
    );
    assert_eq!(
        read_submission_unparsed(&dir.path().join("gone.txt"), &tax()).err(),
        read_submission(&dir.path().join("gone.txt"), &tax()).err()
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn unparsed_reading_agrees_on_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        for name in ["p.md", "p.txt", "p.MD"] {
            let path = Path::new(name);
            prop_assert_eq!(
                check_view(check_submission(path, &bytes, &tax())),
                check_view(parse_submission(path, &bytes, &tax()))
            );
        }
    }

    #[test]
    fn unparsed_reading_agrees_on_structured_text(parts in proptest::collection::vec(pieces(), 0..40)) {
        let text: String = parts.concat();
        for name in ["p.md", "p.txt"] {
            let path = Path::new(name);
            prop_assert_eq!(
                check_view(check_submission(path, text.as_bytes(), &tax())),
                check_view(parse_submission(path, text.as_bytes(), &tax()))
            );
        }
        // front matter first, as most Markdown submissions have it
        let text = format!("+++\n{text}");
        prop_assert_eq!(
            check_view(check_submission(Path::new("p.md"), text.as_bytes(), &tax())),
            check_view(parse_submission(Path::new("p.md"), text.as_bytes(), &tax()))
        );
    }
}
