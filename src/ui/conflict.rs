//! The conflict pop-up: each field two versions hold differently, both
//! versions under it, the highlighted one to keep.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, big_size, hints, popup, text};
use crate::app::{App, ConflictResolver, field_label};
use crate::keymap::{Action, Mode};
use crate::record::{FieldValue, Pick, Side};
use crate::sanitize::clean;
use crate::taxonomy::Kind;

const HINTS: [Action; 4] = [Action::Up, Action::Down, Action::Confirm, Action::Cancel];

/// A field's value for people: labels for ids, the note's text on one line.
fn shown(app: &App, field: &str, v: &FieldValue) -> String {
    let kind = match field {
        "primary_category" | "categories" => Some(Kind::Category),
        "principles" => Some(Kind::Principle),
        "values" => Some(Kind::Value),
        _ => None,
    };
    let label = |id: &str| match kind {
        Some(k) => app.taxonomy.label(k, id).to_owned(),
        None => id.to_owned(),
    };
    let s = match v {
        FieldValue::Absent => "(none)".to_owned(),
        FieldValue::Text(t) => label(t),
        FieldValue::List(l) => l.iter().map(|id| label(id)).collect::<Vec<_>>().join(", "),
    };
    clean(&s.replace('\n', " "))
}

/// "jo, 2026-12-07T10:15:00Z".
fn who(side: &Side) -> String {
    let parts: Vec<&str> = [side.reviewer.as_deref(), side.reviewed_at.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    clean(&parts.join(", "))
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, r: &ConflictResolver, theme: Theme) {
    let title = app
        .batch
        .items
        .get(r.item())
        .map(|it| clean(it.title()))
        .unwrap_or_default();
    let (w, h) = big_size(area, 90, 24);
    let room = usize::from(w).saturating_sub(16);
    let heading = Line::from(format!(" Conflict: {} ", text::truncate(&title, room)));
    let (block, rect) = popup(frame, area, w, h, heading, theme);
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    let [explain, list, keys] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(inner);
    let width = usize::from(inner.width);
    let source = match r.copy() {
        Some(copy) => {
            let name = copy
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            format!("theirs: the conflict copy {}", clean(&name))
        }
        None => "theirs: the version merged in (ours is the one kept so far)".to_owned(),
    };
    let explain_lines = vec![
        Line::raw(text::truncate(
            "Keep one version of each field; each pick is saved and can be undone.",
            width,
        )),
        Line::styled(text::truncate(&source, width), theme.dim()),
    ];
    frame.render_widget(Paragraph::new(explain_lines), explain);

    let (at, pick) = r.highlighted();
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut highlighted_line = 0;
    for (i, c) in r.conflicts().iter().enumerate() {
        lines.push(Line::styled(field_label(&c.field).to_owned(), theme.bold()));
        for (p, name, side) in [
            (Pick::Ours, "ours  ", &c.ours),
            (Pick::Theirs, "theirs", &c.theirs),
        ] {
            let by = who(side);
            let by = if by.is_empty() {
                String::new()
            } else {
                format!("  ({by})")
            };
            let row = format!("  {name}  {}{by}", shown(app, &c.field, &side.value));
            let row = text::truncate(&row, width);
            if i == at && p == pick {
                highlighted_line = lines.len();
                lines.push(Line::from(Span::styled(row, theme.selected())));
            } else {
                lines.push(Line::raw(row));
            }
        }
    }
    let rows = usize::from(list.height).max(1);
    let skip = highlighted_line.saturating_sub(rows.saturating_sub(1));
    let shown_lines: Vec<Line<'static>> = lines.into_iter().skip(skip).take(rows).collect();
    frame.render_widget(Paragraph::new(shown_lines), list);
    frame.render_widget(
        Paragraph::new(hints(
            app,
            Mode::Picker,
            &HINTS,
            &HINTS,
            usize::from(keys.width),
            theme,
        )),
        keys,
    );
}
