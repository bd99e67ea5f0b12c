//! The smaller pop-ups: the note editor, the decision prompt, help and the
//! statistics view.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Gauge, Paragraph};

use super::{Theme, big_size, hints, key_label, popup, popup_at, scrolled, text};
use crate::app::App;
use crate::batch::Status;
use crate::keymap::{Action, Mode};
use crate::note::NoteEditor;
use crate::record::{Decision, missing_for_approval};
use crate::sanitize::clean;
use crate::stats::{Count, Stats, format_duration};

const NOTE_HINTS: [Action; 3] = [Action::Confirm, Action::Cancel, Action::Newline];

pub fn note(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    editor: &NoteEditor,
    then: Option<Decision>,
    theme: Theme,
) {
    let decided = app
        .selected_item()
        .and_then(|it| it.record.as_ref())
        .and_then(|rf| rf.record.decision_kind());
    let heading = match (then, decided) {
        (Some(d), _) => format!(" Note for {}: ", d.as_str()),
        (None, Some(d)) => format!(" Note ({}): ", d.as_str()),
        (None, None) => String::from(" Note: "),
    };
    let why = if then == Some(Decision::NeedsInfo) || decided == Some(Decision::NeedsInfo) {
        "Say what is missing (for you to ask the council; nothing is sent)."
    } else {
        "A note for the record (optional)."
    };
    editor_popup(frame, area, app, editor, (&heading, why), theme);
}

/// The form that corrects what was read: one field a line.
pub fn correct(frame: &mut Frame, area: Rect, app: &App, editor: &NoteEditor, theme: Theme) {
    let why = "Correct what was read, one field a line (the file is unchanged).";
    editor_popup(frame, area, app, editor, (" Correct: ", why), theme);
}

/// A text editor in a pop-up: the heading before the title, a line saying
/// what it is for, the text, and the editor's keys.
fn editor_popup(
    frame: &mut Frame,
    area: Rect,
    app: &App,
    editor: &NoteEditor,
    (heading, why): (&str, &str),
    theme: Theme,
) {
    let title = app
        .selected_item()
        .map(|it| clean(it.title()))
        .unwrap_or_default();
    let width = area.width.saturating_sub(4).min(76);
    let room = usize::from(width).saturating_sub(text::width(heading) + 3);
    let title = Line::from(format!("{heading}{} ", text::truncate(&title, room)));
    let (block, r) = popup(frame, area, width, 14, title, theme);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let [explain, edit, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    frame.render_widget(
        Paragraph::new(text::truncate(why, usize::from(explain.width))).style(theme.dim()),
        explain,
    );
    let (rows, (cy, cx)) = note_layout(editor.lines(), editor.cursor(), usize::from(edit.width));
    let h = usize::from(edit.height);
    let offset = if cy >= h { cy + 1 - h } else { 0 };
    let shown: Vec<Line<'static>> = rows
        .into_iter()
        .skip(offset)
        .take(h)
        .map(Line::raw)
        .collect();
    frame.render_widget(Paragraph::new(shown), edit);
    let x = edit.x
        + u16::try_from(cx)
            .unwrap_or(0)
            .min(edit.width.saturating_sub(1));
    let y = edit.y
        + u16::try_from(cy - offset)
            .unwrap_or(0)
            .min(edit.height.saturating_sub(1));
    frame.set_cursor_position((x, y));
    let acts = NOTE_HINTS;
    frame.render_widget(
        Paragraph::new(hints(
            app,
            Mode::Note,
            &acts,
            &acts,
            usize::from(keys.width),
            theme,
        )),
        keys,
    );
}

/// The note's lines broken to `width` columns (by character: a note is short
/// and the cursor must land exactly), each character cleaned; and the row and
/// column of the cursor among them.
fn note_layout(
    lines: &[String],
    cursor: (usize, usize),
    width: usize,
) -> (Vec<String>, (usize, usize)) {
    let width = width.max(1);
    let mut rows: Vec<String> = Vec::new();
    let mut at = (0, 0);
    let mut buf = [0u8; 4];
    for (r, line) in lines.iter().enumerate() {
        let mut row = String::new();
        let mut w = 0;
        let mut n = 0;
        for c in line.chars() {
            let piece = clean(c.encode_utf8(&mut buf));
            let pw = text::width(&piece);
            if w + pw > width && w > 0 {
                rows.push(std::mem::take(&mut row));
                w = 0;
            }
            if (r, n) == cursor {
                at = (rows.len(), w);
            }
            row.push_str(&piece);
            w += pw;
            n += 1;
        }
        if cursor == (r, n) {
            if w >= width {
                rows.push(std::mem::take(&mut row));
                w = 0;
            }
            at = (rows.len(), w);
        }
        rows.push(row);
    }
    if rows.is_empty() {
        rows.push(String::new());
    }
    (rows, at)
}

pub fn decide(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let Some(item) = app.selected_item() else {
        return;
    };
    let width = area.width.saturating_sub(4).min(72);
    let inner_w = usize::from(width.saturating_sub(2));
    let k = |a| key_label(app, Mode::Batch, a);
    let spans = vec![
        Span::raw(format!("Decide on {}: ", clean(item.title()))),
        Span::styled(k(Action::Approve), theme.key()),
        Span::raw(" approve · "),
        Span::styled(k(Action::NeedsInfo), theme.key()),
        Span::raw(" needs-info · "),
        Span::styled(k(Action::Decline), theme.key()),
        Span::raw(" decline · "),
        Span::styled("esc", theme.key()),
        Span::raw(" stop"),
    ];
    let mut lines = text::wrap(&Line::from(spans), inner_w, 0);
    if let Some(rf) = &item.record {
        let missing = missing_for_approval(&rf.record, &app.taxonomy);
        if !missing.is_empty() {
            let l = Line::styled(
                format!("not ready to approve: {}", clean(&missing.join("; "))),
                theme.dim(),
            );
            lines.extend(text::wrap(&l, inner_w, 0));
        }
    }
    // at the bottom, over the text, so the tags chosen stay in sight above it
    let h = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(2));
    let x = area.x + (area.width.saturating_sub(width)) / 2;
    let y = area.bottom().saturating_sub(2 + h).max(area.y);
    let r = Rect::new(x, y, width.min(area.width), h);
    let (block, r) = popup_at(frame, r, Line::from(" Decision "), theme);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    frame.render_widget(Paragraph::new(lines), inner);
}

pub fn help(frame: &mut Frame, area: Rect, app: &App, scroll: usize, theme: Theme) {
    let (width, height) = big_size(area, 96, area.height);
    let (block, r) = popup(frame, area, width, height, Line::from(" Keys "), theme);
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let [body, keys] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(inner);
    let w = usize::from(body.width);
    let bindings = app.keymap.bindings();
    let key_text = |ks: &[crate::keymap::Key]| {
        clean(
            &ks.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        )
    };
    let col = bindings
        .iter()
        .flat_map(|(_, acts)| acts.iter().map(|(_, ks)| text::width(&key_text(ks))))
        .max()
        .unwrap_or(0)
        .min(w / 3)
        + 4;
    let intro = Line::styled(
        "Every key of the active keymap. In pickers, the note and search, plain letters type.",
        theme.dim(),
    );
    let mut lines: Vec<Line<'static>> = text::wrap(&intro, w, 0);
    let folder = Line::from(vec![
        Span::styled("Batch folder: ", theme.dim()),
        Span::raw(clean(&app.batch.dir.display().to_string())),
    ]);
    lines.extend(text::wrap(&folder, w, 2));
    lines.extend(list_marks(w, theme));
    lines.extend(skipped_files(app, w, theme));
    for (mode, actions) in &bindings {
        lines.push(Line::default());
        lines.push(Line::styled(mode.title().to_string(), theme.title()));
        for (action, ks) in actions {
            let k = text::truncate(&key_text(ks), col - 4);
            let pad = col.saturating_sub(2 + text::width(&k));
            let line = Line::from(vec![
                Span::raw("  "),
                Span::styled(k, theme.key()),
                Span::raw(" ".repeat(pad)),
                Span::raw(action.description().to_string()),
            ]);
            lines.extend(text::wrap(&line, w, col));
        }
    }
    scrolled_with_footer(frame, app, Mode::Help, [body, keys], lines, scroll, theme);
}

/// What each mark before a title in the list means.
fn list_marks(w: usize, theme: Theme) -> Vec<Line<'static>> {
    let mut lines = vec![
        Line::default(),
        Line::styled("Marks in the list", theme.title()),
    ];
    let mut row: Vec<Span<'static>> = vec![Span::raw("  ")];
    for status in Status::ALL {
        row.push(Span::styled(status.mark(), theme.status(status)));
        row.push(Span::raw(format!(" {}   ", status.word())));
    }
    row.push(Span::styled("*", theme.error()));
    row.push(Span::raw(" after a title: not saved   "));
    row.push(Span::styled("≈", theme.error()));
    row.push(Span::raw(" likely sent twice"));
    lines.extend(text::wrap(&Line::from(row), w, 2));
    lines
}

/// The folder's files that are not read, each with why (the footer counts
/// them): names cleaned, as every name from the folder.
fn skipped_files(app: &App, w: usize, theme: Theme) -> Vec<Line<'static>> {
    let skipped = &app.batch.skipped;
    if skipped.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![
        Line::default(),
        Line::styled(
            format!(
                "Not read: {} in the folder",
                casetag_core::text::count(skipped.len(), "file", "files")
            ),
            theme.title(),
        ),
    ];
    for s in skipped {
        let line = Line::from(vec![
            Span::raw("  "),
            Span::styled(clean(&s.file_name), theme.bold()),
            Span::styled(format!(": {}", clean(&s.reason)), theme.dim()),
        ]);
        lines.extend(text::wrap(&line, w, 4));
    }
    lines
}

pub fn stats(frame: &mut Frame, area: Rect, app: &App, stats: &Stats, scroll: usize, theme: Theme) {
    let (width, height) = big_size(area, 100, area.height);
    let (block, r) = popup(
        frame,
        area,
        width,
        height,
        Line::from(" Statistics "),
        theme,
    );
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let [gauge, body, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let ratio = if stats.total == 0 {
        0.0
    } else {
        (stats.decided as f64 / stats.total as f64).clamp(0.0, 1.0)
    };
    let label = format!("{} ({:.0}%)", stats.progress_line(), ratio * 100.0);
    frame.render_widget(
        Gauge::default()
            .ratio(ratio)
            .label(Span::styled(label, theme.bold()))
            .gauge_style(theme.fg(ratatui::style::Color::Green))
            .use_unicode(true),
        gauge,
    );
    let w = usize::from(body.width);
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut status: Vec<Span<'static>> = Vec::new();
    for (st, n) in &stats.by_status {
        if *n == 0 {
            continue;
        }
        if !status.is_empty() {
            status.push(Span::raw(" · "));
        }
        // no-break spaces keep "✗ declined 1" together when the line wraps
        let item = format!("{} {} {n}", st.mark(), st.word()).replace(' ', "\u{a0}");
        status.push(Span::styled(item, theme.status(*st)));
    }
    if !status.is_empty() {
        lines.extend(text::wrap(&Line::from(status), w, 0));
    }
    let pace = match stats.items_per_hour() {
        Some(rate) => format!(
            "Pace: {rate:.1} per hour ({} decided in {} of recorded work)",
            stats.timed_decided,
            format_duration(stats.seconds_decided)
        ),
        None => String::from("Pace: – (no tagging time recorded yet)"),
    };
    lines.extend(text::wrap(&Line::raw(pace), w, 0));
    for (title, counts) in [
        ("Primary categories", &stats.primary),
        ("Secondary categories", &stats.secondary),
        ("Principles", &stats.principles),
        ("Values ranked first", &stats.values_first),
        (
            "Values, rank-weighted (first 3, second 2, third 1)",
            &stats.values_weighted,
        ),
    ] {
        lines.push(Line::default());
        lines.push(Line::styled(title, theme.title()));
        lines.extend(bars(counts, w, theme));
    }
    scrolled_with_footer(frame, app, Mode::Stats, [body, keys], lines, scroll, theme);
}

/// Draws `lines` scrolled into the body and, under it, the scrolling keys
/// of `mode`, with "11–45 of 83" when the text is longer than the body.
fn scrolled_with_footer(
    frame: &mut Frame,
    app: &App,
    mode: Mode,
    [body, keys]: [Rect; 2],
    lines: Vec<Line<'static>>,
    scroll: usize,
    theme: Theme,
) {
    let total = lines.len();
    app.overlay_view.set((usize::from(body.height), total));
    let from = scrolled(frame, body, lines, scroll);
    let acts = [Action::Down, Action::Up, Action::PageDown, Action::Cancel];
    let mut hint = hints(
        app,
        mode,
        &acts,
        &acts,
        usize::from(keys.width).saturating_sub(16),
        theme,
    );
    if total > usize::from(body.height) {
        hint.spans.push(Span::styled(
            format!(
                "  {}–{} of {total}",
                from + 1,
                (from + usize::from(body.height)).min(total)
            ),
            theme.dim(),
        ));
    }
    frame.render_widget(Paragraph::new(hint), keys);
}

/// Horizontal bars: "  Community        ██████▍ 5".
fn bars(counts: &[Count], width: usize, theme: Theme) -> Vec<Line<'static>> {
    let label_w = counts
        .iter()
        .map(|c| text::width(&clean(&c.label)))
        .max()
        .unwrap_or(0)
        .min(width / 2);
    let max = counts.iter().map(|c| c.count).max().unwrap_or(0);
    let num_w = max.to_string().len();
    let bar_w = width.saturating_sub(2 + label_w + 1 + 1 + num_w);
    counts
        .iter()
        .map(|c| {
            let label = text::truncate(&clean(&c.label), label_w);
            let pad = label_w.saturating_sub(text::width(&label));
            let bar = bar(c.count, max, bar_w);
            let num_style = if c.count == 0 {
                theme.dim()
            } else {
                theme.bold()
            };
            Line::from(vec![
                Span::raw(format!("  {label}{} ", " ".repeat(pad))),
                Span::styled(bar.clone(), theme.fg(ratatui::style::Color::Blue)),
                Span::raw(if bar.is_empty() { "" } else { " " }),
                Span::styled(format!("{:>num_w$}", c.count), num_style),
            ])
        })
        .collect()
}

/// A bar of `count` out of `max` in `width` columns, to an eighth of a column.
fn bar(count: usize, max: usize, width: usize) -> String {
    if max == 0 || count == 0 || width == 0 {
        return String::new();
    }
    let eighths = (count * width * 8).div_ceil(max);
    let full = eighths / 8;
    let part = eighths % 8;
    let mut s = "█".repeat(full);
    if let Some(p) = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        .get(part)
        .filter(|p| !p.is_empty())
    {
        s.push_str(p);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest() {
        assert_eq!(bar(4, 4, 5), "█████");
        assert_eq!(bar(2, 4, 5), "██▌");
        assert_eq!(bar(0, 4, 5), "");
        assert_eq!(bar(1, 0, 5), "");
    }

    #[test]
    fn note_layout_places_the_cursor() {
        let lines = vec!["abcdef".to_string(), "x\u{1b}y".to_string()];
        let (rows, at) = note_layout(&lines, (0, 6), 4);
        assert_eq!(rows, vec!["abcd", "ef", "x␛y"]);
        assert_eq!(at, (1, 2));
        let (_, at) = note_layout(&lines, (1, 2), 4);
        assert_eq!(at, (2, 2));
        let (rows, at) = note_layout(&["abcd".to_string()], (0, 4), 4);
        assert_eq!(rows, vec!["abcd", ""]);
        assert_eq!(at, (1, 0));
        let (rows, at) = note_layout(&[String::new()], (0, 0), 4);
        assert_eq!(rows, vec![""]);
        assert_eq!(at, (0, 0));
    }
}
