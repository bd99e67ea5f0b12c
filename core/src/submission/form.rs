//! The network's submission form as a council fills it in (seed 002), and
//! documents written like it: the council types its primary category "at the
//! top" and keeps only the principles that relate, each as its name and
//! statement, with no "Principles met" heading; fields may stand anywhere as
//! `Label: value` lines (a Word table row reads as one).
//!
//! [`read`] takes what it recognises out of the text (those lines are
//! blanked, so line numbers stay) and leaves the rest, the case study itself,
//! to the text layouts.

use super::lines::{
    Field, content, field, is_blank, is_principles_heading, parse_year, split_lines, split_list,
};
use super::principles::Recogniser;
use super::text::excerpt;
use super::{Fields, Proposed};
use crate::taxonomy::{Kind, Taxonomy};

/// What the form held.
#[derive(Debug, Default)]
pub(crate) struct Form {
    pub proposed: Proposed,
    /// Principles whose name or statement the document keeps, in order found.
    pub principles: Vec<String>,
    pub fields: Fields,
    /// (line, column, message)
    pub warnings: Vec<(usize, usize, String)>,
}

/// The form's own guidance, not the council's text (compared in lower case
/// at the start of a line).
const GUIDANCE: [&str; 11] = [
    "co-operative councils innovation network",
    "please read",
    "these guidelines have been prepared",
    "please select the primary category",
    "please only icon",
    "please only tick",
    "please only select",
    "if you require any help",
    "<https://www.councils.coop",
    "https://www.councils.coop/about-us",
    "www.councils.coop/about-us",
];

/// Guidance lines that are the whole line.
const GUIDANCE_LINES: [&str; 4] = [
    "co-operative councils",
    "innovation network",
    "category",
    "categories",
];

/// A run of this many category names in a row is the form's list of
/// categories, left as it was, not a choice.
const CATEGORY_LIST_RUN: usize = 6;

/// How the label of a proposal line reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Label {
    Primary,
    Others,
    Principles,
    Values,
}

fn proposal_label(label: &str) -> Option<Label> {
    let l = label
        .trim()
        .trim_matches(|c: char| c == '*' || c == '_')
        .to_lowercase();
    match l.as_str() {
        "primary category" | "main category" | "category" | "primary" => Some(Label::Primary),
        "other categories"
        | "other category"
        | "secondary categories"
        | "secondary category"
        | "categories"
        | "additional categories" => Some(Label::Others),
        "principles" | "principles met" => Some(Label::Principles),
        "values" | "top three values" | "our top three values" | "top 3 values" => {
            Some(Label::Values)
        }
        _ => None,
    }
}

fn is_guidance(line: &str) -> bool {
    let t = content(line).text.to_lowercase();
    let t = t.trim().trim_end_matches(':').trim();
    GUIDANCE.iter().any(|g| t.starts_with(g)) || GUIDANCE_LINES.contains(&t)
}

/// The names on a line ("Housing, Poverty; Community"), each resolved to a
/// category when every one resolves.
fn all_categories(text: &str, taxonomy: &Taxonomy) -> Option<Vec<String>> {
    let names: Vec<String> = text
        .split([',', ';', '/'])
        .map(|s| s.trim().trim_end_matches('.').trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if names.is_empty() || text.split_whitespace().count() > 12 {
        return None;
    }
    names
        .iter()
        .map(|n| taxonomy.resolve(Kind::Category, n).map(|e| e.id.clone()))
        .collect()
}

/// Takes the form's parts out of `text`; returns the rest (same lines) and
/// what was found.
pub(crate) fn read(text: &str, taxonomy: &Taxonomy, rec: &Recogniser) -> (String, Form) {
    let lines = split_lines(text);
    let mut keep: Vec<bool> = vec![true; lines.len()];
    let mut form = Form::default();
    let has_principles_heading = lines.iter().any(|l| is_principles_heading(l.text));

    // The form's guidance and its list of categories.
    let mut run: Vec<usize> = Vec::new();
    let close_run = |run: &mut Vec<usize>, keep: &mut Vec<bool>| {
        if run.len() >= CATEGORY_LIST_RUN {
            for &k in run.iter() {
                if let Some(x) = keep.get_mut(k) {
                    *x = false;
                }
            }
        }
        run.clear();
    };
    for (k, l) in lines.iter().enumerate() {
        if is_blank(l.text) {
            continue;
        }
        if is_guidance(l.text) {
            if let Some(x) = keep.get_mut(k) {
                *x = false;
            }
            continue;
        }
        let c = content(l.text);
        if c.bulleted && taxonomy.resolve(Kind::Category, c.text).is_some() {
            run.push(k);
        } else {
            close_run(&mut run, &mut keep);
        }
    }
    close_run(&mut run, &mut keep);

    // Labelled proposals and fields, anywhere.
    let mut primary_given = false;
    for (k, l) in lines.iter().enumerate() {
        if !keep.get(k).copied().unwrap_or(false) {
            continue;
        }
        let c = content(l.text);
        let Some((label, value)) = c.text.split_once([':', '–', '—']) else {
            continue;
        };
        let col = c.col + label.chars().count() + 1;
        if let Some(which) = proposal_label(label) {
            // "Principles met:" is the heading of a list, not a proposal.
            if value.trim().is_empty() {
                continue;
            }
            propose(
                &mut form,
                which,
                value,
                (l.no, col),
                taxonomy,
                &mut primary_given,
            );
            if let Some(x) = keep.get_mut(k) {
                *x = false;
            }
            continue;
        }
        if let Some(f) = field(l.text, false)
            && !f.value.is_empty()
            && l.text.contains(':')
        {
            let v = f.value.split_whitespace().collect::<Vec<_>>().join(" ");
            let slot = match f.field {
                Field::LeadMember => &mut form.fields.lead_member,
                Field::Programme => &mut form.fields.programme,
                Field::Contact => &mut form.fields.contact,
                Field::Year => {
                    if form.fields.year.is_none() {
                        match parse_year(&v) {
                            Some(y) => form.fields.year = Some(y),
                            None => form.warnings.push((
                                l.no,
                                f.col,
                                format!("year “{}” is not a number; ignored", excerpt(&v)),
                            )),
                        }
                    }
                    if let Some(x) = keep.get_mut(k) {
                        *x = false;
                    }
                    continue;
                }
                Field::ParticipatingMembers => {
                    if form.fields.participating_members.is_empty() {
                        form.fields.participating_members = split_list(f.value);
                    }
                    if let Some(x) = keep.get_mut(k) {
                        *x = false;
                    }
                    continue;
                }
            };
            if slot.is_none() {
                *slot = Some(v);
            }
            if let Some(x) = keep.get_mut(k) {
                *x = false;
            }
        }
    }

    // Categories typed at the top without a label: the first lines that are
    // nothing but category names.
    if !primary_given {
        for (k, l) in lines.iter().enumerate() {
            if is_blank(l.text) || !keep.get(k).copied().unwrap_or(false) {
                continue;
            }
            let Some(ids) = all_categories(content(l.text).text, taxonomy) else {
                break;
            };
            for id in ids {
                add_category(&mut form.proposed, id, taxonomy);
            }
            if let Some(x) = keep.get_mut(k) {
                *x = false;
            }
        }
    }

    // The principles kept: names and statements, wherever they stand.
    if !has_principles_heading {
        let mut after_principle = false;
        for (k, l) in lines.iter().enumerate() {
            if is_blank(l.text) || !keep.get(k).copied().unwrap_or(false) {
                continue;
            }
            let c = content(l.text);
            let ids: Vec<String> = match rec.named(c.text) {
                Some(id) => vec![id.to_string()],
                None => rec.recognise(c.text),
            };
            if !ids.is_empty() {
                form.principles.extend(ids);
                after_principle = true;
            } else if after_principle && rec.is_fragment(c.text) {
                // the rest of a statement wrapped onto the next paragraph
            } else {
                after_principle = false;
                continue;
            }
            if let Some(x) = keep.get_mut(k) {
                *x = false;
            }
        }
    }

    let rest = lines
        .iter()
        .zip(&keep)
        .map(|(l, &k)| if k { l.text } else { "" })
        .collect::<Vec<_>>()
        .join("\n");
    (rest, form)
}

fn add_category(p: &mut Proposed, id: String, taxonomy: &Taxonomy) {
    use super::{NAMED_TWICE, SAME_AS_PRIMARY, SetAside};
    let label = || taxonomy.label(Kind::Category, &id).to_string();
    if p.tags.primary_category.is_none() {
        p.tags.primary_category = Some(id);
    } else if p.tags.primary_category.as_ref() == Some(&id) {
        p.set_aside
            .push(SetAside::new(Kind::Category, label(), SAME_AS_PRIMARY));
    } else if p.tags.categories.contains(&id) {
        p.set_aside
            .push(SetAside::new(Kind::Category, label(), NAMED_TWICE));
    } else {
        p.tags.categories.push(id);
    }
}

fn propose(
    form: &mut Form,
    which: Label,
    value: &str,
    (line, col): (usize, usize),
    taxonomy: &Taxonomy,
    primary_given: &mut bool,
) {
    let kind = match which {
        Label::Primary | Label::Others => Kind::Category,
        Label::Principles => Kind::Principle,
        Label::Values => Kind::Value,
    };
    for name in split_list(&value.replace(';', ",")) {
        let name = name.trim_end_matches('.').trim().to_string();
        let Some(entry) = taxonomy.resolve(kind, &name) else {
            form.warnings.push((
                line,
                col,
                format!(
                    "unknown {} “{}”; ignored",
                    kind.singular(),
                    super::text::excerpt(&name)
                ),
            ));
            form.proposed.set_aside.push(super::SetAside::new(
                kind,
                super::text::excerpt(&name),
                super::NOT_IN_TAXONOMY,
            ));
            continue;
        };
        let id = entry.id.clone();
        let p = &mut form.proposed;
        match which {
            Label::Primary if p.tags.primary_category.is_none() || !*primary_given => {
                if let Some(old) = p.tags.primary_category.replace(id.clone()) {
                    add_category(p, old, taxonomy);
                }
                p.tags.categories.retain(|c| *c != id);
                *primary_given = true;
            }
            Label::Primary | Label::Others => add_category(p, id, taxonomy),
            Label::Principles | Label::Values => {
                let list = if which == Label::Principles {
                    &mut p.tags.principles
                } else {
                    &mut p.tags.values
                };
                if list.contains(&id) {
                    let label = taxonomy.label(kind, &id).to_string();
                    p.set_aside
                        .push(super::SetAside::new(kind, label, super::NAMED_TWICE));
                } else {
                    list.push(id);
                }
            }
        }
    }
}
