//! The category, principle and value pickers.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Borders, Paragraph};

use super::{Theme, big_size, hint_lines, pane, popup, text};
use crate::app::{App, Field};
use crate::keymap::{Action, Mode};
use crate::picker::{MatchedIn, PickItem, PickMode, Picker, Row};
use crate::sanitize::{clean, clean_lines};
use crate::suggest::Source;

/// The picker's key hints, in the order shown.
const HINTS: [Action; 11] = [
    Action::Toggle,
    Action::SetPrimary,
    Action::RankUp,
    Action::RankDown,
    Action::RankFirst,
    Action::RankSecond,
    Action::RankThird,
    Action::Remove,
    Action::Confirm,
    Action::Cancel,
    Action::ClearQuery,
];

/// From this inner width the preview sits beside the list.
const SIDE_BY_SIDE: u16 = 70;

pub fn draw(frame: &mut Frame, area: Rect, app: &App, picker: &Picker, field: Field, theme: Theme) {
    let (width, _) = big_size(area, 100, area.height);
    let height = fitting_height(app, picker, field, area, width);
    let what = app
        .selected_item()
        .map(|it| clean(it.title()))
        .unwrap_or_default();
    let head = format!(" {} ", clean(picker.title()));
    let room = usize::from(width).saturating_sub(text::width(&head) + 6);
    let title = Line::from(format!("{head}· {} ", text::truncate(&what, room)));
    let (block, r) = popup(frame, area, width, height, title, theme);
    let inner = block.inner(r);
    frame.render_widget(block, r);

    let w = usize::from(inner.width);
    let summary = text::wrap(
        &Line::from(vec![
            Span::styled("Selection: ", theme.dim()),
            Span::styled(clean(&picker.summary()), theme.bold()),
        ]),
        w,
        2,
    );
    let mut summary: Vec<Line<'static>> = summary.into_iter().take(2).collect();
    // a refusal or a notice ("filter cleared") is said here, where the
    // officer is looking
    if let Some(m) = app.message.as_ref() {
        let line = if m.error {
            Line::styled(format!("✗ {}", clean(&m.text)), theme.error())
        } else {
            Line::styled(clean(&m.text), theme.bold())
        };
        summary = text::wrap(&line, w, 2).into_iter().take(2).collect();
    }
    let keys = hint_lines(app, Mode::Picker, &HINTS, &priority(field), w, 2, theme);
    let [query, middle, summary_area, keys_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(u16::try_from(summary.len()).unwrap_or(1)),
        Constraint::Length(u16::try_from(keys.len()).unwrap_or(1)),
    ])
    .areas(inner);

    query_line(frame, query, picker, theme);
    let (list_area, preview_area) = if inner.width >= SIDE_BY_SIDE {
        let [l, p] = Layout::horizontal([list_share(picker, inner.width), Constraint::Fill(1)])
            .areas(middle);
        (l, p)
    } else {
        let preview_h = (middle.height / 3).max(3);
        let [l, p] =
            Layout::vertical([Constraint::Min(2), Constraint::Length(preview_h)]).areas(middle);
        (l, p)
    };
    rows(frame, list_area, app, picker, theme);
    preview(
        frame,
        preview_area,
        app,
        picker,
        field,
        inner.width >= SIDE_BY_SIDE,
        theme,
    );
    frame.render_widget(Paragraph::new(summary), summary_area);
    frame.render_widget(Paragraph::new(keys), keys_area);
}

/// The list's part of the width when the preview is beside it: what its
/// labels need, between a third and a little over half, leaving the rest to
/// the preview.
fn list_share(picker: &Picker, width: u16) -> Constraint {
    let longest = picker
        .items()
        .iter()
        .map(|it| text::width(&clean(&it.label)))
        .max()
        .unwrap_or(0);
    // "▶ [x] ★ " before the label, a space after it
    let want = u16::try_from(longest + 9).unwrap_or(u16::MAX);
    Constraint::Length(want.clamp(width / 3, width * 11 / 20))
}

/// How tall the picker is: the whole screen on a narrow terminal; otherwise
/// tall enough for every entry and the longest preview, so it does not change
/// size as the cursor moves.
fn fitting_height(app: &App, picker: &Picker, field: Field, area: Rect, width: u16) -> u16 {
    let (_, full) = big_size(area, width, area.height);
    if area.width < super::WIDE {
        return full;
    }
    let inner_w = width.saturating_sub(2);
    let preview_w = if inner_w >= SIDE_BY_SIDE {
        let [_, p] = Layout::horizontal([list_share(picker, inner_w), Constraint::Fill(1)])
            .areas(Rect::new(0, 0, inner_w, 1));
        usize::from(p.width.saturating_sub(1))
    } else {
        usize::from(inner_w)
    };
    let longest = picker
        .items()
        .iter()
        .map(|item| preview_lines(app, item, field, preview_w, Theme::MONOCHROME).len())
        .max()
        .unwrap_or(0);
    let middle = picker.items().len().max(longest + 1);
    // borders, query, summary and two lines of hints
    let want = middle + 2 + 1 + 1 + 2;
    u16::try_from(want).unwrap_or(u16::MAX).min(full)
}

/// Which hints stay when not all fit: those of this picker's mode first.
fn priority(field: Field) -> Vec<Action> {
    let own: &[Action] = match field {
        Field::Categories => &[Action::Toggle, Action::SetPrimary],
        Field::Principles => &[Action::Toggle],
        Field::Values => &[
            Action::Toggle,
            Action::RankUp,
            Action::RankDown,
            Action::Remove,
            Action::RankFirst,
            Action::RankSecond,
            Action::RankThird,
        ],
    };
    let mut out = vec![Action::Confirm, Action::Cancel];
    out.extend_from_slice(own);
    out.push(Action::ClearQuery);
    out
}

fn query_line(frame: &mut Frame, area: Rect, picker: &Picker, theme: Theme) {
    let count = format!(" {} of {}", picker.rows().len(), picker.items().len());
    let room = usize::from(area.width).saturating_sub(text::width(&count) + 4);
    let q = clean(picker.query());
    // the end of a long query is where the typing happens
    let q = if text::width(&q) > room {
        let tail: String = q.chars().rev().take(room.saturating_sub(1)).collect();
        format!("…{}", tail.chars().rev().collect::<String>())
    } else {
        q
    };
    let done = picker.query_done() && !q.is_empty();
    // a filter that has done its work is shown as a selected field is: the
    // next letter typed replaces it
    let mut spans = vec![
        Span::styled("> ", theme.key()),
        if done {
            Span::styled(q.clone(), theme.selected())
        } else {
            Span::raw(q.clone())
        },
        Span::styled("█", Style::new()),
    ];
    if done && text::width(&q) + 17 <= room {
        spans.push(Span::styled(" type to replace", theme.dim()));
    }
    if q.is_empty() {
        // the digits rank only while the filter is empty, so they are named
        // only then
        let placeholder = match picker.mode() {
            PickMode::Ranked { n } if n > 1 => format!(" type to filter, 1–{n} rank"),
            _ => " type to filter".to_owned(),
        };
        spans.push(Span::styled(placeholder, theme.dim()));
    }
    let used: usize = spans.iter().map(Span::width).sum();
    let pad = usize::from(area.width).saturating_sub(used + text::width(&count));
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(count, theme.dim()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The check mark of an entry: "[P]" primary, "[x]" chosen, "[1]" ranked.
fn check(picker: &Picker, i: usize) -> String {
    match picker.mode() {
        PickMode::Ranked { .. } => match picker.rank_of(i) {
            Some(r) => format!("[{r}]"),
            None => String::from("[ ]"),
        },
        PickMode::PrimaryAndSecondary { .. } if picker.is_primary(i) => String::from("[P]"),
        _ if picker.is_chosen(i) => String::from("[x]"),
        _ => String::from("[ ]"),
    }
}

/// Where a row's label starts ("▶ [x] ★ "), and its wrapped lines.
const LABEL_AT: usize = 8;

fn rows(frame: &mut Frame, area: Rect, app: &App, picker: &Picker, theme: Theme) {
    let h = usize::from(area.height);
    let w = usize::from(area.width);
    let rows = picker.rows();
    if rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                "Nothing matches; backspace to widen.",
                theme.dim(),
            )),
            area,
        );
        return;
    }
    // Labels too long for the column wrap under themselves when every row
    // still fits; a longer list keeps a row a line and cuts them.
    let wrapped_height: usize = rows
        .iter()
        .filter_map(|row| picker.items().get(row.item))
        .map(|item| text::wrap(&Line::raw(format!("▶ [x] ★ {}", item.label)), w, LABEL_AT).len())
        .sum();
    let wrap = wrapped_height <= h;
    let offset = if wrap { 0 } else { picker.scroll_offset_for(h) };
    let lines: Vec<Line<'static>> = rows
        .iter()
        .enumerate()
        .skip(offset)
        .take(if wrap { rows.len() } else { h })
        .flat_map(|(ri, row)| {
            let item = picker.items().get(row.item)?;
            let selected = ri == picker.cursor();
            let mut spans = vec![
                Span::raw(if selected { "▶ " } else { "  " }),
                Span::styled(check(picker, row.item), theme.bold()),
                Span::raw(" "),
                Span::styled(suggested_mark(app, item), theme.suggested()),
            ];
            let room = w.saturating_sub(9);
            let label = if wrap {
                item.label.clone()
            } else {
                text::truncate(&item.label, room)
            };
            spans.extend(text::highlighted(
                &label,
                &row.label_matches,
                Style::new(),
                theme.matched(),
            ));
            let used: usize = spans.iter().map(Span::width).sum();
            if let Some(why) = matched_elsewhere(row, item) {
                let why = format!(" ({why})");
                if used + text::width(&why) <= w {
                    spans.push(Span::styled(why, theme.dim()));
                }
            }
            let line = Line::from(spans);
            let line = if selected {
                line.style(theme.selected())
            } else {
                line
            };
            let lines = if wrap {
                text::wrap(&line, w, LABEL_AT)
            } else {
                vec![line]
            };
            // each line filled to the width, so the highlight spans the row
            Some(lines.into_iter().map(move |mut l| {
                let used = l.width();
                l.spans.push(Span::raw(" ".repeat(w.saturating_sub(used))));
                l
            }))
        })
        .flatten()
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// A note when the filter matched something other than the label.
fn matched_elsewhere(row: &Row, item: &PickItem) -> Option<String> {
    match row.matched_in {
        MatchedIn::All | MatchedIn::Label => None,
        MatchedIn::Alias => Some(format!(
            "also: {}",
            item.aliases
                .iter()
                .map(|a| clean(a))
                .collect::<Vec<_>>()
                .join(", ")
        )),
        MatchedIn::Description => Some(String::from("in description")),
    }
}

fn preview(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    picker: &Picker,
    field: Field,
    beside: bool,
    theme: Theme,
) {
    let block = if beside {
        pane(Line::styled(" About ", theme.title()), theme).borders(Borders::LEFT)
    } else {
        pane(Line::styled(" About ", theme.title()), theme)
    };
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let Some(item) = picker.highlighted() else {
        return;
    };
    let all = preview_lines(app, item, field, usize::from(inner.width), theme);
    let h = usize::from(inner.height);
    let from = picker.preview_scroll().min(all.len().saturating_sub(h));
    let more = all.len() > from + h;
    let mut lines: Vec<Line<'static>> = all.into_iter().skip(from).take(h).collect();
    if more && let Some(last) = lines.last_mut() {
        let down = super::key_label(app, Mode::Picker, Action::PreviewDown);
        *last = Line::styled(format!("… more ({down})"), theme.dim());
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The mark before a suggested entry: `★` for a suggestion, `☆` for one on
/// weak evidence.
fn suggested_mark(app: &App, item: &PickItem) -> &'static str {
    if !item.suggested {
        "  "
    } else if app.suggestions().is_some_and(|s| s.is_weak(&item.id)) {
        "☆ "
    } else {
        "★ "
    }
}

/// What the preview shows of an entry: its label, whether and why it is
/// suggested, its aliases and its description (a principle's full statement).
fn preview_lines(
    app: &App,
    item: &PickItem,
    field: Field,
    w: usize,
    theme: Theme,
) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    lines.extend(text::wrap(
        &Line::styled(clean(&item.label), theme.title()),
        w,
        0,
    ));
    if item.suggested {
        let source = app.suggestions().and_then(|s| s.source_of(&item.id));
        let why = match source {
            Some(Source::Proposed) => " (the council proposed it)".to_string(),
            Some(Source::Quoted) => " (quoted under \"Principles met\")".to_string(),
            Some(Source::Evidence { hits, weak }) => {
                let what = if hits == 0 {
                    "the tags that speak for it".to_string()
                } else {
                    format!(
                        "{} in the text",
                        casetag_core::text::count(hits, "keyword hit", "keyword hits")
                    )
                };
                if weak {
                    format!(" (weak evidence: {what})")
                } else {
                    format!(" ({what})")
                }
            }
            None => String::new(),
        };
        lines.extend(text::wrap(
            &Line::styled(
                format!("{}suggested{why}", suggested_mark(app, item)),
                theme.suggested(),
            ),
            w,
            2,
        ));
    }
    if !item.aliases.is_empty() {
        let also = item
            .aliases
            .iter()
            .map(|a| clean(a))
            .collect::<Vec<_>>()
            .join(", ");
        lines.extend(text::wrap(
            &Line::styled(format!("also: {also}"), theme.dim()),
            w,
            6,
        ));
    }
    lines.push(Line::default());
    // principles show their full official statement, sub-points and all
    let statement = app
        .taxonomy
        .get(field.kind(), &item.id)
        .map_or_else(|| item.description.clone(), |e| e.full_statement());
    for l in clean_lines(&statement) {
        let indent = if l.starts_with("- ") { 2 } else { 0 };
        lines.extend(text::wrap(&Line::raw(l), w, indent));
    }
    lines
}
