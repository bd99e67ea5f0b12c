//! The batch view: the list of submissions, the selected one's details and
//! text, and the footer.

use std::cell::RefCell;
use std::rc::Rc;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Borders, Paragraph};

use super::{Theme, WIDE, hints, pane, text};
use crate::app::{App, Overlay};
use crate::batch::{Item, Status};
use crate::details::{Context, Detail, Weight, details, ranked};
use crate::keymap::{Action, Mode};
use crate::sanitize::clean;
use crate::submission::Format;
use crate::submission::Submission;
use crate::suggest::Suggestions;
use crate::taxonomy::{Kind, Taxonomy};

/// The width of the field labels in the details ("Principles ").
const LABEL: usize = 11;

/// The most participating members named before "+N more".
const MEMBERS_SHOWN: usize = 3;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let status = status_lines(app, usize::from(area.width), theme);
    let footer_h = line_count(status.len()).saturating_add(1);
    let [main, footer] =
        Layout::vertical([Constraint::Min(1), Constraint::Length(footer_h)]).areas(area);
    let item = app
        .selected()
        .and_then(|ix| app.batch.items.get(ix).map(|it| (ix, it)));
    // the details in `room` rows at most, and the rows they take
    let details_for = |width: u16, room: u16| {
        let lines = details_lines(
            app,
            item,
            usize::from(width),
            usize::from(room.saturating_sub(1)),
            theme,
        );
        let height = line_count(lines.len()).saturating_add(1).min(room);
        (lines, height)
    };
    if area.width >= WIDE {
        let list_w = area.width * 9 / 20;
        let [list_area, right] =
            Layout::horizontal([Constraint::Length(list_w), Constraint::Min(1)]).areas(main);
        let max_details = right.height.saturating_mul(3) / 5;
        let (details, details_h) = details_for(right.width, max_details);
        let [details_area, body_area] =
            Layout::vertical([Constraint::Length(details_h), Constraint::Min(1)]).areas(right);
        list(frame, list_area, app, true, theme);
        details_pane(frame, details_area, app, details, theme);
        body(frame, body_area, app, item.map(|(_, it)| it), theme);
    } else {
        let list_h = line_count(app.view.len())
            .saturating_add(1)
            .clamp(4, 8)
            .min((main.height / 3).max(3));
        let body_min = 5;
        let room = main.height.saturating_sub(list_h + body_min);
        let (details, details_h) = details_for(main.width, room);
        let [list_area, details_area, body_area] = Layout::vertical([
            Constraint::Length(list_h),
            Constraint::Length(details_h),
            Constraint::Min(1),
        ])
        .areas(main);
        list(frame, list_area, app, false, theme);
        details_pane(frame, details_area, app, details, theme);
        body(frame, body_area, app, item.map(|(_, it)| it), theme);
    }
    footer_lines(frame, footer, app, status, theme);
}

fn line_count(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// The first row shown so that the cursor is visible: the list scrolls to keep
/// the selection in the middle, except near its ends. Only these rows are
/// built, so a batch of any size costs the same to draw.
pub fn list_offset(cursor: usize, len: usize, height: usize) -> usize {
    if len <= height || height == 0 {
        return 0;
    }
    cursor.saturating_sub(height / 2).min(len - height)
}

fn list(frame: &mut Frame, area: Rect, app: &App, wide: bool, theme: Theme) {
    let total = app.batch.items.len();
    let shown = app.view.len();
    let mut title = vec![Span::styled(" Submissions ", theme.title())];
    let position = if shown == 0 {
        String::from("none")
    } else if shown == total {
        format!("{} of {total}", app.cursor + 1)
    } else {
        format!("{} of {shown} shown, {total} in all", app.cursor + 1)
    };
    title.push(Span::styled(format!("{position} "), theme.dim()));
    let mut block = pane(Line::from(title), theme);
    if wide {
        block = block.borders(Borders::TOP | Borders::RIGHT);
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = usize::from(inner.width);
    let height = usize::from(inner.height);
    if shown == 0 {
        let why = if total == 0 {
            "No submissions (.md, .txt, .docx, .eml, .html or .pdf files) in this folder."
        } else {
            "No submissions match the search or filter."
        };
        let lines = text::wrap(&Line::styled(why, theme.dim()), width, 0);
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }
    let offset = list_offset(app.cursor, shown, height);
    let rows: Vec<Line<'static>> = app
        .view
        .iter()
        .enumerate()
        .skip(offset)
        .take(height)
        .map(|(vi, &ix)| list_row(app, ix, vi == app.cursor, width, theme))
        .collect();
    frame.render_widget(Paragraph::new(rows), inner);
}

fn list_row(app: &App, ix: usize, selected: bool, width: usize, theme: Theme) -> Line<'static> {
    let status = app.status(ix);
    // the officer's correction of the title, where there is one
    let title = app
        .batch
        .items
        .get(ix)
        .map(|it| {
            let fixed = it
                .record
                .as_ref()
                .and_then(|r| r.record.corrections().title);
            clean(fixed.as_deref().unwrap_or(it.title()))
        })
        .unwrap_or_default();
    let unsaved = if app.is_unsaved(ix) { " *" } else { "" };
    // likely the same case study as another in the batch
    let twice = if app.duplicate_of(ix).is_some() {
        " ≈"
    } else {
        ""
    };
    // what the council sent when it is not a text: the same form as a Word
    // file and as an e-mail reads the same in the list otherwise
    let kind = match app.batch.items.get(ix).map(|it| &it.submission) {
        Some(Ok(sub)) => match sub.format {
            Format::Docx => " Word",
            Format::Odt => " OpenDocument",
            Format::Eml => " e-mail",
            Format::Msg => " Outlook",
            Format::Html => " web page",
            Format::Pdf => " PDF",
            Format::Markdown | Format::Text => "",
        },
        _ => "",
    };
    // a narrow list keeps the title
    let kind = if width >= 40 { kind } else { "" };
    // "▶ ✓ " before the title, the unsaved mark after it, the kind last
    let room = width.saturating_sub(4 + unsaved.len() + text::width(twice) + text::width(kind));
    let title = text::truncate(&title, room);
    let pad = room.saturating_sub(text::width(&title));
    let marker = if selected { "▶ " } else { "  " };
    let line = Line::from(vec![
        Span::raw(marker),
        Span::styled(status.mark(), theme.status(status)),
        Span::raw(" "),
        Span::raw(title),
        Span::styled(unsaved, theme.error()),
        Span::styled(twice, theme.error()),
        Span::raw(" ".repeat(pad)),
        Span::styled(kind, theme.dim()),
    ]);
    if selected {
        line.style(theme.selected())
    } else {
        line
    }
}

/// A details line: a dim label in a fixed column, then the value.
fn field(label: &str, theme: Theme, value: Vec<Span<'static>>) -> Line<'static> {
    let mut spans = vec![Span::styled(format!("{label:<LABEL$}"), theme.dim())];
    spans.extend(value);
    Line::from(spans)
}

/// The most lines of the note the details show; the reader shows it all.
const NOTE_LINES: usize = 3;

/// The details of the selected submission, wrapped to `width`, in at most
/// `max_h` lines; what does not fit is named by a last line "… more (z)".
fn details_lines(
    app: &App,
    item: Option<(usize, &Item)>,
    width: usize,
    max_h: usize,
    theme: Theme,
) -> Vec<Line<'static>> {
    let Some((ix, item)) = item else {
        return vec![Line::styled("Nothing selected.", theme.dim())];
    };
    let tax = &app.taxonomy;
    let status = app.status(ix);
    let cx = Context {
        taxonomy: tax,
        status,
        record: item.record.as_ref().map(|rf| &rf.record),
        unsaved: app.is_unsaved(ix),
        duplicate_of: app.duplicate_of(ix).and_then(|o| app.batch.items.get(o)),
    };
    let none = || Span::styled("–", theme.dim());
    let or_none = |text: String| {
        if text.is_empty() {
            vec![none()]
        } else {
            vec![Span::raw(text)]
        }
    };
    let mut logical: Vec<(Line<'static>, usize, Weight)> = Vec::new();
    for d in details(item, &cx) {
        let weight = d.weight();
        let line = match &d {
            Detail::Title(t) => Line::styled(t.clone(), theme.title()),
            Detail::Status {
                status,
                changed_since_review,
                unsaved,
            } => {
                let mut value = vec![Span::styled(
                    format!("{} {}", status.mark(), status.word()),
                    theme.status(*status),
                )];
                if *changed_since_review {
                    value.push(Span::styled(
                        ", changed since review",
                        theme.status(Status::Changed),
                    ));
                }
                if *unsaved {
                    value.push(Span::styled(" * not saved", theme.error()));
                }
                field(d.label(), theme, value)
            }
            Detail::Duplicate { title, file } => {
                let x = super::key_label(app, Mode::Batch, Action::Decline);
                let line = Line::from(vec![
                    Span::styled("≈ likely sent twice: ", theme.error()),
                    Span::raw(format!(
                        "the same as “{title}” ({file}); {x} declines it as a duplicate"
                    )),
                ]);
                logical.push((line, 2, weight));
                continue;
            }
            Detail::Remark(r) => {
                logical.push((Line::styled(format!("· {r}"), theme.dim()), 2, weight));
                continue;
            }
            Detail::Problem(p) => {
                logical.push((Line::styled(format!("! {p}"), theme.error()), 2, weight));
                continue;
            }
            Detail::Note(n) => field(d.label(), theme, vec![Span::raw(clean(n))]),
            Detail::NoTags => field(
                d.label(),
                theme,
                vec![Span::styled("none yet", theme.dim())],
            ),
            Detail::Category { primary, secondary } => {
                let mut cats: Vec<Span<'static>> = Vec::new();
                if let Some(p) = primary {
                    cats.push(Span::styled(p.clone(), theme.bold()));
                }
                if !secondary.is_empty() {
                    let lead_in = if cats.is_empty() {
                        "(no primary) "
                    } else {
                        " + "
                    };
                    cats.push(Span::styled(lead_in, theme.dim()));
                    cats.push(Span::raw(secondary.join(", ")));
                }
                if cats.is_empty() {
                    cats.push(none());
                }
                field(d.label(), theme, cats)
            }
            Detail::Principles(v) => field(d.label(), theme, or_none(v.join(", "))),
            Detail::Values(v) => field(d.label(), theme, or_none(ranked(v))),
            Detail::Reviewed(t) | Detail::Contact(t) => {
                field(d.label(), theme, vec![Span::raw(t.clone())])
            }
            Detail::Lead(v) | Detail::Programme(v) => {
                field(d.label(), theme, or_none(v.clone().unwrap_or_default()))
            }
            Detail::Members(v) if v.is_empty() => continue,
            Detail::Members(v) => {
                let value = members(v, width.saturating_sub(LABEL), theme);
                field(d.label(), theme, value)
            }
            // the text pane's title names the file
            Detail::File(_) => continue,
            Detail::Corrected(fields) => field(
                d.label(),
                theme,
                vec![Span::styled(
                    format!("{} (the file is unchanged)", fields.join(", ")),
                    theme.dim(),
                )],
            ),
        };
        // what the officer acts on comes before what the council wrote
        if matches!(d, Detail::Lead(_))
            && let Some(s) = app.suggestions()
        {
            if !s.is_empty() {
                logical.push((suggestion_line(tax, s, theme), 2, Weight::Suggested));
            }
            if !s.set_aside.is_empty() {
                logical.push((set_aside_line(s, theme), 2, Weight::Suggested));
            }
        }
        let indent = if matches!(d, Detail::Title(_)) {
            0
        } else {
            LABEL
        };
        logical.push((line, indent, weight));
    }

    let more = Line::styled(
        format!(
            "… more ({})",
            super::key_label(app, Mode::Batch, Action::Read)
        ),
        theme.dim(),
    );
    let mut cut = false;
    let mut wrapped: Vec<(Vec<Line<'static>>, Weight)> = logical
        .iter()
        .map(|(line, indent, weight)| {
            let mut lines = text::wrap(line, width, *indent);
            // a long note, and the suggestions once decided, are folded
            let keep = match weight {
                Weight::Note => NOTE_LINES,
                Weight::Suggested if status.is_decided() => 1,
                _ => usize::MAX,
            };
            if lines.len() > keep {
                lines.truncate(keep);
                if let Some(last) = lines.pop() {
                    lines.push(fold(last, width));
                }
                cut = true;
            }
            (lines, *weight)
        })
        .collect();
    // drop the least important lines, last first, until the rest fit with
    // a line saying there is more
    let total = |w: &[(Vec<Line<'static>>, Weight)]| w.iter().map(|(l, _)| l.len()).sum::<usize>();
    let room = |cut: bool| if cut { max_h.saturating_sub(1) } else { max_h };
    while total(&wrapped) > room(cut) {
        let Some(drop) = wrapped
            .iter()
            .enumerate()
            .filter(|(_, (_, weight))| *weight != Weight::Essential)
            .min_by_key(|(i, (_, weight))| (*weight, std::cmp::Reverse(*i)))
            .map(|(i, _)| i)
        else {
            break;
        };
        wrapped.remove(drop);
        cut = true;
    }
    let mut out: Vec<Line<'static>> = wrapped.into_iter().flat_map(|(l, _)| l).collect();
    if cut && out.len() < max_h {
        out.push(more);
    }
    out
}

/// A wrapped line cut to end in "…", saying that it goes on.
fn fold(line: Line<'static>, width: usize) -> Line<'static> {
    let mut spans = line.spans;
    spans.push(Span::raw(" ".repeat(width)));
    fit(Line::from(spans), width)
}

/// "5: Rochdale Borough Council, Bury Council, +3 more", on one line of
/// `width`: as many names as fit, and how many more there are.
fn members(all: &[String], width: usize, theme: Theme) -> Vec<Span<'static>> {
    let n = all.len();
    let count = format!("{n}: ");
    let mut shown: Vec<String> = Vec::new();
    let mut used = text::width(&count);
    for (i, m) in all.iter().enumerate() {
        let name = clean(m);
        let rest = n - i - 1;
        let more = if rest > 0 {
            format!(", +{rest} more")
        } else {
            String::new()
        };
        let sep = if shown.is_empty() { 0 } else { 2 };
        let fits = used + sep + text::width(&name) + text::width(&more) <= width;
        // the first name is shown even when it has to wrap
        if shown.len() == MEMBERS_SHOWN || (!fits && !shown.is_empty()) {
            break;
        }
        used += sep + text::width(&name);
        shown.push(name);
    }
    let rest = n - shown.len();
    let mut names = shown.join(", ");
    if rest > 0 {
        names.push_str(&format!(", +{rest} more"));
    }
    vec![Span::styled(count, theme.dim()), Span::raw(names)]
}

/// "suggested: Community · Poverty | principles: … | values: 1. … 2. …",
/// a suggestion on weak evidence followed by "(weak)".
fn suggestion_line(tax: &Taxonomy, s: &Suggestions, theme: Theme) -> Line<'static> {
    let mut spans = vec![Span::styled("★ suggested: ", theme.suggested())];
    let label = |kind: Kind, id: &str| {
        let l = clean(tax.label(kind, id));
        if s.is_weak(id) {
            format!("{l} (weak)")
        } else {
            l
        }
    };
    let parts = s.tags.summary(" · ", label);
    spans.push(Span::raw(parts.join(" | ")));
    Line::from(spans)
}

/// "✗ proposed, set aside: Generosity (value): not in the taxonomy; ...".
fn set_aside_line(s: &Suggestions, theme: Theme) -> Line<'static> {
    let reasons: Vec<String> = s.set_aside.iter().map(|a| clean(&a.describe())).collect();
    Line::from(vec![
        Span::styled("✗ proposed, set aside: ", theme.error()),
        Span::raw(reasons.join("; ")),
    ])
}

fn details_pane(frame: &mut Frame, area: Rect, app: &App, lines: Vec<Line<'static>>, theme: Theme) {
    let block = pane(Line::styled(" Details ", theme.title()), theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let h = usize::from(inner.height);
    let cut = lines.len() > h;
    let mut shown: Vec<Line<'static>> = lines.into_iter().take(h).collect();
    if cut && let Some(last) = shown.last_mut() {
        // say that there is more rather than cut a line silently
        let read = super::key_label(app, Mode::Batch, Action::Read);
        *last = Line::styled(format!("… more ({read})"), theme.dim());
    }
    frame.render_widget(Paragraph::new(shown), inner);
}

fn body(frame: &mut Frame, area: Rect, app: &App, item: Option<&Item>, theme: Theme) {
    let block_for = |title: Line<'static>| pane(title, theme);
    let inner = block_for(Line::default()).inner(area);
    let width = usize::from(inner.width);
    let lines: Rc<Vec<Line<'static>>> = match item.map(|it| (&it.submission, it.held_text())) {
        Some((Ok(s), Some(_))) => cached_body_lines(s, width, theme),
        // dropped from memory and not read again as it was
        Some((Ok(_), None)) => {
            let reload = super::key_label(app, Mode::Batch, Action::Reload);
            let line = Line::styled(
                format!(
                    "The text is not shown: this file changed on disk since it was read. \
                     Reload ({reload}) to see it."
                ),
                theme.dim(),
            );
            Rc::new(text::wrap(&line, width, 0))
        }
        Some((Err(_), _)) => Rc::new(vec![Line::styled(
            "This file could not be read; the problem is shown above.",
            theme.dim(),
        )]),
        None => Rc::new(Vec::new()),
    };
    let h = usize::from(inner.height);
    let total = lines.len();
    app.text_view.set((h, total));
    let from = app.body_scroll.min(total.saturating_sub(h));
    let mut title = vec![Span::styled(" Text ", theme.title())];
    if total > h {
        let to = (from + h).min(total);
        let down = super::key_label(app, Mode::Batch, Action::PageBodyDown);
        let up = super::key_label(app, Mode::Batch, Action::PageBodyUp);
        title.push(Span::styled(
            format!("lines {}–{to} of {total} · ", from + 1),
            theme.dim(),
        ));
        title.push(Span::styled(down, theme.key()));
        title.push(Span::styled(" down ", theme.dim()));
        title.push(Span::styled(up, theme.key()));
        title.push(Span::styled(" up ", theme.dim()));
    }
    frame.render_widget(block_for(Line::from(title)), area);
    // only the lines on screen are copied out of the cache
    let shown: Vec<Line<'static>> = lines.iter().skip(from).take(h).cloned().collect();
    frame.render_widget(Paragraph::new(shown), inner);
}

/// What a submission's wrapped text was made from: the same file bytes at
/// the same width and theme give the same lines.
#[derive(Debug, Clone, PartialEq)]
struct BodyKey {
    path: std::path::PathBuf,
    sha256: String,
    width: usize,
    theme: Theme,
}

thread_local! {
    /// The selected submission's text as last wrapped. Wrapping a 2 MiB
    /// text takes a large part of a second: it is done once per width, not
    /// on every frame or key.
    static BODY: RefCell<Option<(BodyKey, Rc<Vec<Line<'static>>>)>> = const { RefCell::new(None) };
}

/// [`body_lines`] for `s`, from the cache when it was wrapped at this width.
fn cached_body_lines(s: &Submission, width: usize, theme: Theme) -> Rc<Vec<Line<'static>>> {
    let key = BodyKey {
        path: s.path.clone(),
        sha256: s.sha256.clone(),
        width,
        theme,
    };
    BODY.with(|cache| {
        let mut cache = cache.borrow_mut();
        if let Some((k, lines)) = cache.as_ref()
            && *k == key
        {
            return Rc::clone(lines);
        }
        let lines = Rc::new(body_lines(&s.body, width, theme));
        *cache = Some((key, Rc::clone(&lines)));
        lines
    })
}

/// A submission's text for reading: cleaned, lines of a paragraph that were
/// broken by hand joined again (pasted text breaks at odd places), list items,
/// headings and indented lines kept as they are, and wrapped to `width`.
pub fn body_lines(body: &str, width: usize, theme: Theme) -> Vec<Line<'static>> {
    let paragraphs = crate::document::paragraphs(body);
    let mut out: Vec<Line<'static>> = Vec::new();
    for p in paragraphs {
        let heading = p.trim_start().starts_with('#');
        let indent = crate::document::list_indent(&p);
        let line = if heading {
            Line::styled(p, theme.bold())
        } else {
            Line::raw(p)
        };
        out.extend(text::wrap(&line, width, indent));
    }
    out
}

/// The most lines a message may take above the key hints.
const MESSAGE_LINES: usize = 3;

/// The footer's first line(s): the search being typed, the message (wrapped,
/// so an error is read whole), or progress.
fn status_lines(app: &App, width: usize, theme: Theme) -> Vec<Line<'static>> {
    if matches!(app.overlay, Overlay::Search) {
        let n = app.view.len();
        let count = format!("{n} match{}", if n == 1 { "" } else { "es" });
        let line = super::typed_query("/", app.search.text(), app.search.recalled(), &count, theme);
        return vec![fit(line, width)];
    }
    if let Some(m) = &app.message {
        // "error:" says it without colour
        let (line, indent) = if m.error {
            let line = Line::from(vec![
                Span::styled("error: ", theme.error()),
                Span::styled(clean(&m.text), theme.error()),
            ]);
            (line, 7)
        } else {
            (Line::raw(clean(&m.text)), 0)
        };
        let mut lines = text::wrap(&line, width, indent);
        if lines.len() > MESSAGE_LINES {
            lines.truncate(MESSAGE_LINES);
            if let Some(last) = lines.pop() {
                let mut spans = last.spans;
                spans.push(Span::raw(" ".repeat(width)));
                lines.push(fit(Line::from(spans), width));
            }
        }
        return lines;
    }
    vec![fit(progress_line(app, theme), width)]
}

fn footer_lines(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    status: Vec<Line<'static>>,
    theme: Theme,
) {
    let width = usize::from(area.width);
    let n = line_count(status.len());
    let [top, bottom] =
        Layout::vertical([Constraint::Length(n), Constraint::Length(1)]).areas(area);
    frame.render_widget(Paragraph::new(status), top);
    let hint_line = if matches!(app.overlay, Overlay::Search) {
        let acts = [
            Action::Confirm,
            Action::Cancel,
            Action::Down,
            Action::Up,
            Action::ClearQuery,
        ];
        hints(app, Mode::Search, &acts, &acts, width, theme)
    } else {
        let (shown, stays) = super::footer::orders(super::footer::BATCH);
        hints(app, Mode::Batch, &shown, &stays, width, theme)
    };
    frame.render_widget(Paragraph::new(hint_line), bottom);
}

/// "5 of 16 decided · filter: undecided · /food (3 shown)".
fn progress_line(app: &App, theme: Theme) -> Line<'static> {
    let (decided, total) = app.progress();
    let mut spans = vec![Span::styled(
        format!("{decided} of {total} decided"),
        theme.bold(),
    )];
    let mut state: Vec<String> = Vec::new();
    if let Some(f) = app.filter {
        state.push(format!("filter: {}", f.name()));
    }
    if !app.search.text().is_empty() {
        state.push(format!("/{}", clean(app.search.text())));
    }
    if !state.is_empty() {
        spans.push(Span::styled(
            format!(" · {} ({} shown)", state.join(" · "), app.view.len()),
            Style::new(),
        ));
    }
    let skipped = app.batch.skipped.len();
    if skipped > 0 {
        spans.push(Span::styled(
            format!(
                " · {skipped} file{} skipped ({} lists)",
                if skipped == 1 { "" } else { "s" },
                super::key_label(app, Mode::Batch, Action::Help)
            ),
            theme.dim(),
        ));
    }
    if let Some((done, all)) = app.loading {
        let pct = (done * 100).checked_div(all).unwrap_or(0);
        spans.push(Span::styled(
            format!(" · reading {done} of {all} ({pct}%)…"),
            theme.bold(),
        ));
    }
    Line::from(spans)
}

/// Cuts a one-line footer to the width, ending in "…".
fn fit(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let style = line.style;
    let mut out: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let w = span.width();
        if used + w < width {
            used += w;
            out.push(span);
        } else {
            let rest = width.saturating_sub(used);
            out.push(Span::styled(
                text::truncate(&span.content, rest),
                span.style,
            ));
            break;
        }
    }
    Line::from(out).style(style)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect())
            .collect()
    }

    #[test]
    fn body_paragraphs_are_reflowed_and_lists_kept() {
        let body = "# Heading\nA paragraph broken\nby hand.\n\n- item one\n  continues\n- item two\n1. first\n    code\nhard  \nbreak";
        let lines = body_lines(body, 40, Theme::MONOCHROME);
        assert_eq!(
            plain(&lines),
            vec![
                "# Heading",
                "A paragraph broken by hand.",
                "",
                "- item one",
                "  continues",
                "- item two",
                "1. first",
                "    code",
                "hard",
                "break",
            ]
        );
        let lines = body_lines(
            "- a list item that is long enough to wrap",
            20,
            Theme::MONOCHROME,
        );
        assert_eq!(
            plain(&lines),
            vec!["- a list item that", "  is long enough to", "  wrap"]
        );
    }

    #[test]
    fn a_text_is_wrapped_once_per_width() {
        let taxonomy = crate::taxonomy::Taxonomy::builtin();
        let text = format!("{}\n", "word ".repeat(10_000));
        let s = crate::submission::parse_submission(
            std::path::Path::new("a.txt"),
            text.as_bytes(),
            &taxonomy,
        )
        .expect("parses");
        let first = cached_body_lines(&s, 40, Theme::MONOCHROME);
        let again = cached_body_lines(&s, 40, Theme::MONOCHROME);
        assert!(
            Rc::ptr_eq(&first, &again),
            "wrapped again at the same width"
        );
        let narrower = cached_body_lines(&s, 30, Theme::MONOCHROME);
        assert!(!Rc::ptr_eq(&first, &narrower));
        assert_eq!(
            plain(&narrower),
            plain(&body_lines(&s.body, 30, Theme::MONOCHROME))
        );
        // other bytes under the same name are wrapped anew
        let other = crate::submission::parse_submission(
            std::path::Path::new("a.txt"),
            b"other words\n",
            &taxonomy,
        )
        .expect("parses");
        assert_eq!(
            plain(&cached_body_lines(&other, 30, Theme::MONOCHROME)),
            vec!["other words"]
        );
    }

    #[test]
    fn list_offset_keeps_the_cursor_visible() {
        assert_eq!(list_offset(0, 5, 10), 0);
        assert_eq!(list_offset(3, 100, 10), 0);
        assert_eq!(list_offset(50, 100, 10), 45);
        assert_eq!(list_offset(99, 100, 10), 90);
        assert_eq!(list_offset(99_999, 100_000, 7), 99_993);
        for c in 0..100 {
            let o = list_offset(c, 100, 9);
            assert!(o <= c && c < o + 9);
        }
    }
}
