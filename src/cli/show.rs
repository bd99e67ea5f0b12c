//! `casetag show FILE`: what casetag read from one submission.

use std::io::Write;
use std::path::Path;

use super::{CleanWriter, EXIT_ERROR, EXIT_OK, EXIT_PROBLEMS, Outcome, exit_code, or_exit};
use crate::sanitize::{clean, clean_lines, escape_json};
use crate::submission::{Submission, read_submission_following_links};
use crate::suggest::{Suggestions, suggest};
use crate::taxonomy::{Kind, Taxonomy};

/// What `casetag show --json` prints.
#[derive(serde::Serialize)]
struct ShowReport<'a> {
    #[serde(flatten)]
    submission: &'a Submission,
    principles_met_labels: Vec<&'a str>,
    suggestions: Suggestions,
    /// Where FILE leads when it is a symbolic link.
    #[serde(skip_serializing_if = "Option::is_none")]
    link_target: Option<String>,
}

impl<'a> ShowReport<'a> {
    fn new(s: &'a Submission, taxonomy: &'a Taxonomy) -> Self {
        ShowReport {
            submission: s,
            principles_met_labels: s
                .principles_met
                .iter()
                .map(|id| taxonomy.label(Kind::Principle, id))
                .collect(),
            suggestions: suggest(s, taxonomy),
            link_target: None,
        }
    }
}

/// What `casetag show` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowAs {
    /// The fields, the tags and the suggestions.
    Text,
    /// The same, then the submission's text (`--body`).
    TextWithBody,
    /// Everything read, as JSON (`--json`).
    Json,
}

/// `casetag show FILE [--json]`.
pub fn show(
    file: &Path,
    taxonomy: &Taxonomy,
    json: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let what = if json { ShowAs::Json } else { ShowAs::Text };
    show_as(file, taxonomy, what, out, err)
}

/// `casetag show FILE [--json | --body]`.
pub fn show_as(
    file: &Path,
    taxonomy: &Taxonomy,
    what: ShowAs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let (out, err) = (&mut CleanWriter::new(out), &mut CleanWriter::new(err));
    exit_code(run(file, taxonomy, what, out, err))
}

fn run(
    file: &Path,
    taxonomy: &Taxonomy,
    what: ShowAs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    // A file named on the command line is read even through a link (unlike
    // a batch's files), but the output says so: the text may come from
    // anywhere the link leads.
    let s = or_exit(
        read_submission_following_links(file, taxonomy),
        EXIT_PROBLEMS,
        err,
    )?;
    let link = link_note(file);
    let text_with_link = || {
        let mut text = show_text(&s, taxonomy);
        if let Some((target, where_)) = &link {
            // after the "file:" line
            let at = text.find('\n').map_or(text.len(), |i| i + 1);
            text.insert_str(
                at,
                &format!(
                    "link:          a symbolic link to {} ({where_})\n",
                    clean(target)
                ),
            );
        }
        text
    };
    match what {
        ShowAs::Json => {
            let mut report = ShowReport::new(&s, taxonomy);
            report.link_target = link.as_ref().map(|(target, _)| target.clone());
            let text = or_exit(serde_json::to_string_pretty(&report), EXIT_ERROR, err)?;
            let _ = writeln!(out, "{}", escape_json(&text));
        }
        ShowAs::Text => {
            let _ = write!(out, "{}", text_with_link());
        }
        ShowAs::TextWithBody => {
            let _ = write!(out, "{}", text_with_link());
            let _ = writeln!(out, "\n--- text (line {}) ---", s.body_line);
            // the text as written, tabs expanded, every line made inert
            for line in clean_lines(s.body.trim_end_matches(['\n', '\r'])) {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    Ok(EXIT_OK)
}

/// When `file` is a symbolic link: its final target, and whether that lies
/// in the file's own folder.
fn link_note(file: &Path) -> Option<(String, &'static str)> {
    if !crate::fs::is_link(file) {
        return None;
    }
    let target = std::fs::canonicalize(file).ok()?;
    let folder = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let inside = std::fs::canonicalize(folder).is_ok_and(|f| target.starts_with(f));
    let where_ = if inside {
        "in the same folder"
    } else {
        "outside its folder: a batch would not read it"
    };
    Some((target.display().to_string(), where_))
}

/// The human-readable form of `casetag show`: every field read from the file
/// is cleaned to one inert line.
pub fn show_text(s: &Submission, taxonomy: &Taxonomy) -> String {
    use std::fmt::Write as _;
    let mut o = String::new();
    let opt = |v: &Option<String>| v.as_deref().map_or_else(|| "-".into(), clean);
    let _ = writeln!(o, "file:          {}", clean(&s.path.display().to_string()));
    let _ = writeln!(o, "format:        {}", s.format.name());
    // Where a field came from when not the document's own text.
    for (field, from) in &s.sources {
        let _ = writeln!(o, "  {}: from {}", clean(field), clean(from));
    }
    let _ = writeln!(o, "title:         {}", clean(&s.title));
    let _ = writeln!(o, "lead member:   {}", opt(&s.fields.lead_member));
    let _ = writeln!(
        o,
        "participating: {} member{}",
        s.fields.participating_members.len(),
        if s.fields.participating_members.len() == 1 {
            ""
        } else {
            "s"
        }
    );
    for m in &s.fields.participating_members {
        let _ = writeln!(o, "  - {}", clean(m));
    }
    let _ = writeln!(
        o,
        "year:          {}",
        s.fields
            .year
            .map_or_else(|| "-".to_string(), |y| y.to_string())
    );
    let _ = writeln!(o, "status:        {}", opt(&s.fields.programme));
    let _ = writeln!(o, "contact:       {}", opt(&s.fields.contact));
    let labels = |kind: Kind, ids: &[String]| -> String {
        if ids.is_empty() {
            "-".into()
        } else {
            ids.iter()
                .map(|id| clean(taxonomy.label(kind, id)))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    let tags = |o: &mut String, title: &str, primary: &Option<String>, t: [&[String]; 3]| {
        let _ = writeln!(o, "{title}:");
        let primary = primary.as_deref().map_or_else(
            || "-".into(),
            |id| clean(taxonomy.label(Kind::Category, id)),
        );
        let _ = writeln!(o, "  primary category: {primary}");
        let _ = writeln!(o, "  categories:       {}", labels(Kind::Category, t[0]));
        let _ = writeln!(o, "  principles:       {}", labels(Kind::Principle, t[1]));
        let _ = writeln!(o, "  values:           {}", labels(Kind::Value, t[2]));
    };
    let p = &s.proposed;
    tags(
        &mut o,
        "proposed",
        &p.tags.primary_category,
        [&p.tags.categories, &p.tags.principles, &p.tags.values],
    );
    let _ = writeln!(o, "principles met ({}):", s.principles_met.len());
    for id in &s.principles_met {
        let _ = writeln!(o, "  - {}", clean(taxonomy.label(Kind::Principle, id)));
    }
    let sg = suggest(s, taxonomy);
    if !sg.set_aside.is_empty() {
        let _ = writeln!(o, "proposed, set aside:");
        for a in &sg.set_aside {
            let _ = writeln!(o, "  - {}", clean(&a.describe()));
        }
    }
    tags(
        &mut o,
        "suggested",
        &sg.tags.primary_category,
        [&sg.tags.categories, &sg.tags.principles, &sg.tags.values],
    );
    let _ = writeln!(
        o,
        "body:          {} from line {}",
        casetag_core::text::count(s.body.lines().count(), "line", "lines"),
        s.body_line
    );
    if let Some(note) = &s.covering_note {
        // the e-mail's own words around the case study, not printed
        let first = note.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        let _ = writeln!(
            o,
            "covering note: {} (not part of the text: \"{}\"…)",
            casetag_core::text::count(note.lines().count(), "line", "lines"),
            crate::sanitize::clean(first)
        );
    }
    if s.warnings.is_empty() {
        let _ = writeln!(o, "warnings:      none");
    } else {
        let _ = writeln!(o, "warnings:");
        for w in &s.warnings {
            let _ = writeln!(o, "  {}", clean(&w.to_string()));
        }
    }
    o
}
