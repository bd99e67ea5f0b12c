//! The plain-text layouts of a case study pasted from the network's website.
//!
//! ```text
//! Community food hubs                          <- optional title line(s)
//!   • Lead Member Plymouth City Council        <- header fields ("- " on newer pages,
//!   • Participating Members A, B, C               "Type" for "Status"; "Label: value" too)
//!   • Year 2017
//!   • Status Policy Labs
//! Principles met
//!   • We will develop systems that ...         <- see `section`
//! About the project                            <- optional
//! The body ...
//! ```
//!
//! The header is recognised only at the top of the file: its first field (or the
//! "Principles met" / "About the project" heading) must come within the first
//! four non-blank lines, after at most three short plain lines (the first of
//! which is the title; the others, such as a breadcrumb, are dropped). A file
//! without such a header, a press release for instance, is all body.

use super::Fields;
use super::lines::{
    Field, Line, content, field, inline_principles, is_about_heading, is_blank, is_meaningful,
    is_principles_heading, is_separator, parse_year, split_list,
};
use super::principles::Recogniser;
use super::section;

/// The most plain lines before the header, and the longest of them.
const MAX_PREAMBLE_LINES: usize = 3;
const MAX_PREAMBLE_CHARS: usize = 200;

/// What the header of a plain-text submission held.
#[derive(Debug, Default)]
pub(crate) struct Header {
    /// The title line above the fields, as written.
    pub title: Option<String>,
    pub fields: Fields,
    /// Principles recognised under "Principles met" (may repeat).
    pub principles: Vec<String>,
    /// (line, column, message)
    pub warnings: Vec<(usize, usize, String)>,
    /// Index of the line where the body search starts (blank lines are skipped
    /// by the caller).
    pub body_start: usize,
}

/// The index of the first non-blank line at or after `i`, if any.
pub(crate) fn next_non_blank(lines: &[Line<'_>], i: usize) -> Option<usize> {
    lines
        .iter()
        .enumerate()
        .skip(i)
        .find(|(_, l)| !is_blank(l.text))
        .map(|(k, _)| k)
}

fn is_header_start(line: &str) -> bool {
    field(line, false).is_some()
        || is_principles_heading(line)
        || is_about_heading(line)
        || inline_principles(line).is_some()
}

/// Reads "Principles met: A; B and C" into `h`: the principles named, a
/// warning for each part that names none.
fn record_inline_principles(
    h: &mut Header,
    list: &str,
    (line, col): (usize, usize),
    rec: &Recogniser,
) {
    let (ids, unknown) = rec.named_list(list);
    h.principles.extend(ids);
    for u in unknown {
        h.warnings.push((line, col, unrecognised_message(&u)));
    }
}

/// Fields written in a Markdown body (`**Lead member:** X`, `Year: 2019`),
/// from line index `from` on: only labels followed by a colon are read, the
/// first of each kind, and an inline "Principles met: ..." list. The lines
/// stay in the body. The Markdown reader (in the parent module) fills from
/// it what front matter did not give.
pub(crate) fn body_fields(lines: &[Line<'_>], from: usize, rec: &Recogniser) -> Header {
    let mut h = Header::default();
    let mut seen = Vec::new();
    for line in lines.iter().skip(from) {
        if let Some((list, col)) = inline_principles(line.text) {
            record_inline_principles(&mut h, list, (line.no, col), rec);
            continue;
        }
        let Some(f) = field(line.text, false).filter(|f| f.colon && !f.value.is_empty()) else {
            continue;
        };
        if seen.contains(&f.field) {
            continue;
        }
        seen.push(f.field);
        record_field(&mut h, f.field, f.value, (line.no, f.col));
    }
    h.body_start = from;
    h
}

/// The index of the first line at or after `i` that is neither blank nor a
/// lone `-` separator.
fn next_content(lines: &[Line<'_>], i: usize) -> Option<usize> {
    lines
        .iter()
        .enumerate()
        .skip(i)
        .find(|(_, l)| !is_blank(l.text) && !is_separator(l.text))
        .map(|(k, _)| k)
}

/// A header start, or a field without bullet or colon directly followed by
/// another field or heading (a paste that lost its bullets, perhaps with
/// lone `-` lines between), or a label alone on its line followed by its
/// value and then another field.
fn opens_header(lines: &[Line<'_>], k: usize) -> bool {
    let Some(line) = lines.get(k) else {
        return false;
    };
    if is_header_start(line.text) {
        return true;
    }
    let Some(f) = field(line.text, true) else {
        return false;
    };
    let starts = |n: usize| {
        lines
            .get(n)
            .is_some_and(|n| is_header_start(n.text) || field(n.text, true).is_some())
    };
    let Some(next) = next_content(lines, k + 1) else {
        return false;
    };
    if starts(next) {
        return true;
    }
    f.value.is_empty() && next_content(lines, next + 1).is_some_and(starts)
}

pub(crate) fn parse(lines: &[Line<'_>], rec: &Recogniser) -> Header {
    let mut h = Header::default();
    let Some(first) = next_non_blank(lines, 0) else {
        h.body_start = lines.len();
        return h;
    };
    // Find the header among the first lines.
    let mut preamble = Vec::new();
    let mut header_at = None;
    let mut i = first;
    while let Some(k) = next_non_blank(lines, i) {
        let Some(line) = lines.get(k) else { break };
        if opens_header(lines, k) {
            header_at = Some(k);
            break;
        }
        if is_separator(line.text) {
            i = k + 1;
            continue;
        }
        // A related post's title and date (`- Other post – Video`, `- March
        // 2023`) may stand above a newer layout's fields: bulleted lines
        // count as preamble too, but only a plain one can be the title.
        if preamble.len() >= MAX_PREAMBLE_LINES || line.text.chars().count() > MAX_PREAMBLE_CHARS {
            break;
        }
        preamble.push(k);
        i = k + 1;
    }
    let Some(mut i) = header_at else {
        h.body_start = first;
        return h;
    };
    h.title = preamble
        .iter()
        .filter_map(|&k| lines.get(k))
        .filter(|l| !content(l.text).bulleted)
        .map(|l| l.text.trim())
        .find(|t| is_meaningful(t) && rec.recognise(t).is_empty())
        .map(str::to_string);
    // Lines above the header that are not its title (a breadcrumb, a related
    // post) are not part of the body: say so rather than lose them silently.
    for &k in &preamble {
        let Some(l) = lines.get(k) else { continue };
        let t = l.text.trim();
        if is_meaningful(t) && h.title.as_deref() != Some(t) {
            h.warnings.push((
                l.no,
                content(l.text).col,
                format!("“{}” above the fields is left out of the text", excerpt(t)),
            ));
        }
    }

    // Inside the header, fields need no bullet.
    let mut last = None;
    loop {
        let Some(line) = lines.get(i) else {
            h.body_start = i;
            return h;
        };
        if is_blank(line.text) || is_separator(line.text) {
            i += 1;
            continue;
        }
        if is_principles_heading(line.text) {
            let about = lines
                .iter()
                .enumerate()
                .skip(i + 1)
                .find(|(_, l)| is_about_heading(l.text))
                .map(|(k, _)| k);
            let end = about.unwrap_or(lines.len());
            let s = section::scan(lines, i + 1, end, about.is_some(), rec);
            h.principles = s.principles;
            for (line, col, text) in s.unrecognised {
                h.warnings.push((line, col, unrecognised_message(&text)));
            }
            h.body_start = match about {
                Some(a) => a + 1,
                None => s.body_start.unwrap_or(lines.len()),
            };
            return h;
        }
        if is_about_heading(line.text) {
            h.body_start = i + 1;
            return h;
        }
        if let Some((list, col)) = inline_principles(line.text) {
            record_inline_principles(&mut h, list, (line.no, col), rec);
            i += 1;
            continue;
        }
        let Some(f) = field(line.text, true) else {
            // A long "Participating Members" list wrapped onto a plain line,
            // with the header going on after it.
            let wrapped = last == Some(Field::ParticipatingMembers)
                && !content(line.text).bulleted
                && next_non_blank(lines, i + 1)
                    .and_then(|k| lines.get(k))
                    .is_some_and(|n| is_header_start(n.text) || field(n.text, true).is_some());
            if wrapped {
                h.fields.participating_members.extend(split_list(line.text));
                i += 1;
                continue;
            }
            h.body_start = i;
            return h;
        };
        last = Some(f.field);
        let mut value = f.value.to_string();
        let mut at = (line.no, f.col);
        i += 1;
        if value.is_empty() {
            // The value may sit on the next line on its own.
            if let Some(k) = next_non_blank(lines, i)
                && let Some(next) = lines.get(k)
                && !content(next.text).bulleted
                && !is_separator(next.text)
                && !is_header_start(next.text)
                && field(next.text, true).is_none()
            {
                value = next.text.trim().to_string();
                at = (next.no, content(next.text).col);
                i = k + 1;
            }
        }
        record_field(&mut h, f.field, &value, at);
    }
}

fn record_field(h: &mut Header, f: Field, value: &str, (line, col): (usize, usize)) {
    let single = value.split_whitespace().collect::<Vec<_>>().join(" ");
    let repeated = match f {
        Field::LeadMember => h.fields.lead_member.is_some(),
        Field::ParticipatingMembers => !h.fields.participating_members.is_empty(),
        Field::Year => h.fields.year.is_some(),
        Field::Programme => h.fields.programme.is_some(),
        Field::Contact => h.fields.contact.is_some(),
    };
    if repeated {
        h.warnings.push((
            line,
            col,
            format!("“{}” is given again; the first one is kept", f.name()),
        ));
        return;
    }
    if single.is_empty() {
        return;
    }
    match f {
        Field::LeadMember => h.fields.lead_member = Some(single),
        Field::ParticipatingMembers => h.fields.participating_members = split_list(value),
        Field::Year => match parse_year(&single) {
            Some(y) => h.fields.year = Some(y),
            None => h.warnings.push((
                line,
                col,
                format!("year “{}” is not a number; ignored", excerpt(&single)),
            )),
        },
        Field::Programme => h.fields.programme = Some(single),
        Field::Contact => h.fields.contact = Some(single),
    }
}

pub(crate) fn unrecognised_message(text: &str) -> String {
    format!("unrecognised principle statement “{}”", excerpt(text))
}

/// At most about 60 characters of `text`, on one line.
pub(crate) fn excerpt(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= 60 {
        return one_line;
    }
    let mut s: String = one_line.chars().take(57).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod label_tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use crate::submission::lines::split_lines;
    use crate::submission::{Submission, parse_submission};
    use crate::taxonomy::Taxonomy;
    use std::path::Path;

    fn read(name: &str, text: &str) -> Submission {
        match parse_submission(Path::new(name), text.as_bytes(), &Taxonomy::builtin()) {
            Ok(s) => s,
            Err(p) => panic!("{name}: {p}"),
        }
    }

    #[test]
    fn council_synonyms_become_fields() {
        let s = read(
            "leeds.txt",
            "Lead council: Leeds City Council\nPartners: Leeds Food Aid Network, Leeds City Council\nYear: 2024\n\nThe network fed 4,000 families.\n",
        );
        assert_eq!(s.fields.lead_member.as_deref(), Some("Leeds City Council"));
        assert_eq!(
            s.fields.participating_members,
            ["Leeds Food Aid Network", "Leeds City Council"]
        );
        assert_eq!(s.fields.year, Some(2024));
        assert_eq!(s.body, "The network fed 4,000 families.");
    }

    #[test]
    fn bold_bulleted_and_bare_labels() {
        for (line, want) in [
            (
                "**Lead member:** London Borough of Camden",
                "London Borough of Camden",
            ),
            (
                "**Lead member**: London Borough of Camden",
                "London Borough of Camden",
            ),
            ("- Lead authority: Camden", "Camden"),
            ("• lead organisation Camden", "Camden"),
            ("* LEAD COUNCIL: Camden", "Camden"),
        ] {
            let f = field(line, false).unwrap_or_else(|| panic!("{line}"));
            assert_eq!((f.field, f.value), (Field::LeadMember, want), "{line}");
        }
        let f = field("**Year:** 2019", false).unwrap();
        assert_eq!((f.field, f.value, f.col), (Field::Year, "2019", 11));
        let f = field("Programme: Policy Labs", false).unwrap();
        assert_eq!(f.field, Field::Programme);
        assert!(field("Lead member for finance, Cllr Ann Smith, said", false).is_none());
        let s = read(
            "brent.txt",
            "Lead Member Brent Council\n\nBrent opened hubs.\n",
        );
        assert_eq!(s.fields.lead_member.as_deref(), Some("Brent Council"));
        assert_eq!(s.body, "Brent opened hubs.");
    }

    #[test]
    fn inline_principles_are_named() {
        let s = read(
            "p.txt",
            "- Lead Member Oldham Council\nPrinciples met: Social Partnership; Co-production; Learning\n\nBody.\n",
        );
        assert_eq!(
            s.principles_met,
            ["social-partnership", "co-production", "learning"]
        );
        assert_eq!(s.fields.lead_member.as_deref(), Some("Oldham Council"));
        assert_eq!(s.body, "Body.");
        let rec = Recogniser::new(&Taxonomy::builtin());
        let (ids, unknown) = rec.named_list("innovation and enterprise and social economy, Zebras");
        assert_eq!(ids, ["innovation", "enterprise-social-economy"]);
        assert_eq!(unknown, ["Zebras"]);
    }

    #[test]
    fn related_post_above_newer_layout() {
        let s = read(
            "n.txt",
            "- Some other post – Video\n- March 2023\n- Lead Member\nKirklees Council\n- Year\n2021\nPrinciples met\nInnovation\n\nAbout the project\nThe project.\n",
        );
        assert_eq!(s.fields.lead_member.as_deref(), Some("Kirklees Council"));
        assert_eq!(s.fields.year, Some(2021));
        assert_eq!(s.principles_met, ["innovation"]);
        assert_eq!(s.body, "The project.");
        assert_eq!(s.warnings.len(), 2, "{:?}", s.warnings);
    }

    #[test]
    fn markdown_body_fields() {
        let text = "# Camden\n\n**Lead member:** London Borough of Camden\n**Participating members:** A, B\n**Year:** 2019\nPrinciples met: Learning\n";
        let lines = split_lines(text);
        let h = body_fields(&lines, 0, &Recogniser::new(&Taxonomy::builtin()));
        assert_eq!(
            h.fields.lead_member.as_deref(),
            Some("London Borough of Camden")
        );
        assert_eq!(h.fields.participating_members, ["A", "B"]);
        assert_eq!(h.fields.year, Some(2019));
        assert_eq!(h.principles, ["learning"]);
    }
}
