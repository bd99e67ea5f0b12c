//! The "Principles met" section of a pasted case study.
//!
//! Older web pages list one bullet per principle holding only its statement;
//! newer ones put the principle's name on one line and its statement on the next,
//! sometimes with lines holding only `-` between. Each bullet or line is a
//! candidate for [`Recogniser::recognise`]; a name line is matched to a label.
//! An unrecognised line is merged with the next one when together they make a
//! statement, and a plain line that reads as a piece of a statement belongs to
//! the item before it (a statement wrapped or split over lines).
//!
//! Where the section ends: at `bound` when given (the "About the project"
//! heading, or the next Markdown heading), every line before it belongs to the
//! section and unrecognised ones are reported. Without a bound the section ends
//! at the first line that is not a name, a bullet, a recognised statement, a
//! piece of a statement, a line followed by a `-` separator, or the statement
//! line right after a name while the section visibly goes on after it: the
//! body starts there.

use super::lines::{Line, content, is_blank, is_principles_heading, is_separator};
use super::principles::Recogniser;

/// What the section held.
#[derive(Debug, Default)]
pub(crate) struct Section {
    /// Recognised principle ids, in the order found (may repeat).
    pub principles: Vec<String>,
    /// Unrecognised statements: (line, column, text).
    pub unrecognised: Vec<(usize, usize, String)>,
    /// Index of the line where the body starts when the section ended at a
    /// line that is not part of it (only without a bound).
    pub body_start: Option<usize>,
}

/// The most lines merged into one candidate, and the longest candidate text,
/// so a long run of unrecognised lines costs linear time.
const MAX_MERGED_LINES: usize = 12;
const MAX_MERGED_BYTES: usize = 4000;

struct Pending {
    text: String,
    line: usize,
    col: usize,
    lines: usize,
    /// The statement under a recognised name line: not reported.
    named: bool,
}

/// Scans `lines[start..end]`; `bounded` says whether `end` is a heading that
/// closes the section (otherwise it is the end of the text).
pub(crate) fn scan(
    lines: &[Line<'_>],
    start: usize,
    end: usize,
    bounded: bool,
    rec: &Recogniser,
) -> Section {
    let mut out = Section::default();
    let mut pending: Option<Pending> = None;
    // Set after a name line: whether that line was a bullet.
    let mut after_name: Option<bool> = None;
    let end = end.min(lines.len());
    let mut j = start;
    while j < end {
        let Some(line) = lines.get(j) else { break };
        j += 1;
        if is_blank(line.text) || is_separator(line.text) || is_principles_heading(line.text) {
            continue;
        }
        let c = content(line.text);
        if let Some(id) = rec.named(c.text) {
            finish(&mut out, pending.take());
            out.principles.push(id.to_string());
            after_name = Some(c.bulleted);
            continue;
        }
        let ids = rec.recognise(c.text);
        if !ids.is_empty() {
            finish(&mut out, pending.take());
            out.principles.extend(ids);
            after_name = None;
            continue;
        }
        // Not a statement on its own: perhaps the rest of the previous line's.
        if let Some(p) = &pending
            && p.lines < MAX_MERGED_LINES
            && p.text.len() + c.text.len() < MAX_MERGED_BYTES
        {
            let merged = format!("{} {}", p.text, c.text);
            let ids = rec.recognise(&merged);
            if !ids.is_empty() {
                pending = None;
                out.principles.extend(ids);
                after_name = None;
                continue;
            }
        }
        let under_name = after_name.is_some_and(|name_bulleted| !(name_bulleted && c.bulleted));
        if !c.bulleted && !under_name && rec.is_fragment(c.text) {
            // The rest of a statement split over lines: part of the item before.
            if let Some(p) = &mut pending
                && p.lines < MAX_MERGED_LINES
                && p.text.len() < MAX_MERGED_BYTES
            {
                p.text.push(' ');
                p.text.push_str(c.text);
                p.lines += 1;
            }
            continue;
        }
        let is_statement = bounded
            || c.bulleted
            || next_is_separator(lines, j, end)
            || (under_name && section_goes_on(lines, j, end, rec));
        if !is_statement {
            out.body_start = Some(j - 1);
            break;
        }
        let continues = bounded && !c.bulleted && !under_name;
        match &mut pending {
            Some(p)
                if continues && p.lines < MAX_MERGED_LINES && p.text.len() < MAX_MERGED_BYTES =>
            {
                p.text.push(' ');
                p.text.push_str(c.text);
                p.lines += 1;
            }
            _ => {
                finish(&mut out, pending.take());
                pending = Some(Pending {
                    text: c.text.to_string(),
                    line: line.no,
                    col: c.col,
                    lines: 1,
                    named: under_name,
                });
            }
        }
        after_name = None;
    }
    finish(&mut out, pending);
    out
}

fn finish(out: &mut Section, pending: Option<Pending>) {
    if let Some(p) = pending
        && !p.named
    {
        out.unrecognised.push((p.line, p.col, p.text));
    }
}

/// Whether the first non-blank line from `from` is a separator (`-`): the newer
/// layout's items are separated by them, body paragraphs are not.
fn next_is_separator(lines: &[Line<'_>], from: usize, end: usize) -> bool {
    lines
        .iter()
        .take(end)
        .skip(from)
        .find(|l| !is_blank(l.text))
        .is_some_and(|l| is_separator(l.text))
}

/// Whether the first line from `from` that is not blank or a separator still
/// belongs to the section (a bullet, a name or a statement), or there is none.
fn section_goes_on(lines: &[Line<'_>], from: usize, end: usize, rec: &Recogniser) -> bool {
    let next = lines
        .iter()
        .take(end)
        .skip(from)
        .find(|l| !is_blank(l.text) && !is_separator(l.text));
    match next {
        None => true,
        Some(l) => {
            let c = content(l.text);
            c.bulleted
                || rec.named(c.text).is_some()
                || rec.is_fragment(c.text)
                || !rec.recognise(c.text).is_empty()
        }
    }
}
