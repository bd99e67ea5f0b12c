//! The reader: one submission full-screen, its fields and whole text.

use std::cell::RefCell;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{Theme, hints, text};
use crate::app::{App, Reader};
use crate::document::{DocLine, Mark};
use crate::keymap::{Action, Mode};
use crate::sanitize::clean;

/// The reader's document as last drawn: building and wrapping a long text
/// on every key (or every frame) made each key wait, so it is kept until
/// something it is built from changes.
struct Drawn {
    key: u64,
    lines: Vec<Line<'static>>,
    starts: Vec<usize>,
    found: usize,
}

thread_local! {
    static CACHE: RefCell<Option<Drawn>> = const { RefCell::new(None) };
}

/// Everything the drawn document depends on: the submission (by its bytes'
/// hash), its record and status, the find, the width and the theme.
fn cache_key(app: &App, reader: &Reader, width: usize, theme: Theme) -> u64 {
    let mut h = DefaultHasher::new();
    if let Some(ix) = app.selected() {
        ix.hash(&mut h);
        app.status(ix).hash(&mut h);
        if let Some(item) = app.batch.items.get(ix) {
            item.file_name.hash(&mut h);
            item.path.hash(&mut h);
            match &item.submission {
                Ok(s) => s.sha256.hash(&mut h),
                Err(p) => p.to_string().hash(&mut h),
            }
            if let Some(r) = &item.record {
                r.record.to_toml().hash(&mut h);
            }
        }
    }
    reader.query().hash(&mut h);
    reader.current().hash(&mut h);
    width.hash(&mut h);
    (theme == Theme::COLOUR).hash(&mut h);
    h.finish()
}

fn build(app: &App, width: usize, theme: Theme, key: u64) -> Drawn {
    let doc = app.reader_document().unwrap_or_default();
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut starts: Vec<usize> = Vec::with_capacity(doc.lines.len());
    for line in &doc.lines {
        starts.push(lines.len());
        lines.extend(text::wrap(&styled(line, theme), width, line.indent));
    }
    Drawn {
        key,
        lines,
        starts,
        found: doc.found.len(),
    }
}

pub fn draw(frame: &mut Frame, area: Rect, app: &App, reader: &Reader, theme: Theme) {
    let [top, body, status, keys] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let width = usize::from(body.width.saturating_sub(2)).max(1);
    let key = cache_key(app, reader, width, theme);
    let rows = usize::from(body.height);
    let (shown, total, found) = CACHE.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.as_ref().is_none_or(|c| c.key != key) {
            *cache = Some(build(app, width, theme, key));
        }
        let Some(c) = cache.as_ref() else {
            return (Vec::new(), 0, 0);
        };
        let total = c.lines.len();
        reader.drawn(rows, total, &c.starts);
        let from = reader.scroll().min(total.saturating_sub(rows));
        let shown: Vec<Line<'static>> = c.lines.iter().skip(from).take(rows).cloned().collect();
        (shown, total, c.found)
    });
    let from = reader.scroll().min(total.saturating_sub(rows));
    let inner = Rect::new(
        body.x + 1,
        body.y,
        body.width.saturating_sub(2),
        body.height,
    );
    frame.render_widget(Paragraph::new(shown), inner);

    // the top line: what is being read and where
    let to = (from + rows).min(total);
    let place = if total <= rows {
        String::from("all shown")
    } else if to >= total {
        format!("lines {}–{to} of {total} · end", from + 1)
    } else {
        format!("lines {}–{to} of {total}", from + 1)
    };
    let title_room = usize::from(top.width).saturating_sub(text::width(&place) + 12);
    let title = app
        .selected_item()
        .map(|it| text::truncate(&clean(it.title()), title_room))
        .unwrap_or_default();
    let pad =
        usize::from(top.width).saturating_sub(9 + text::width(&title) + text::width(&place) + 1);
    let head = Line::from(vec![
        Span::styled(" Reading ", theme.selected()),
        Span::raw(" "),
        Span::styled(title, theme.title()),
        Span::raw(" ".repeat(pad)),
        Span::styled(place, theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(head), top);

    let status_line = if reader.finding() {
        let n = found;
        let count = casetag_core::text::count(n, "match", "matches");
        super::typed_query("find: ", reader.query(), reader.recalled(), &count, theme)
    } else if let Some(m) = &app.message {
        let style = if m.error { theme.error() } else { Style::new() };
        let lead = if m.error { "error: " } else { "" };
        Line::styled(format!("{lead}{}", clean(&m.text)), style)
    } else {
        Line::styled(
            format!("{} of {} decided", app.progress().0, app.progress().1),
            theme.dim(),
        )
    };
    frame.render_widget(
        Paragraph::new(text::wrap(&status_line, usize::from(status.width), 0)),
        status,
    );
    let hint_line = if reader.finding() {
        let acts = [Action::Confirm, Action::Cancel, Action::ClearQuery];
        hints(
            app,
            Mode::Search,
            &acts,
            &acts,
            usize::from(keys.width),
            theme,
        )
    } else {
        let (shown, stays) = super::footer::orders(super::footer::READER);
        hints(
            app,
            Mode::Reader,
            &shown,
            &stays,
            usize::from(keys.width),
            theme,
        )
    };
    frame.render_widget(Paragraph::new(hint_line), keys);
}

/// A document line in the theme's styles.
fn styled(line: &DocLine, theme: Theme) -> Line<'static> {
    Line::from(
        line.segments
            .iter()
            .map(|s| Span::styled(s.text.clone(), style_of(s.mark, theme)))
            .collect::<Vec<_>>(),
    )
}

fn style_of(mark: Mark, theme: Theme) -> Style {
    let mut style = Style::new();
    if mark.contains(Mark::LABEL) || mark.contains(Mark::QUOTE) && !mark.contains(Mark::EVIDENCE) {
        style = style.patch(theme.dim());
    }
    if mark.contains(Mark::CODE) {
        style = style.patch(theme.key()).remove_modifier(Modifier::BOLD);
    }
    if mark.contains(Mark::EVIDENCE) {
        style = style
            .patch(theme.suggested())
            .add_modifier(Modifier::UNDERLINED);
    }
    if mark.intersects(Mark::BOLD | Mark::HEADING) {
        style = style.add_modifier(Modifier::BOLD);
    }
    if mark.contains(Mark::HEADING) {
        style = style.add_modifier(Modifier::UNDERLINED);
    }
    if mark.contains(Mark::ITALIC) {
        style = style.add_modifier(Modifier::ITALIC);
    }
    if mark.contains(Mark::LINK) {
        style = style.add_modifier(Modifier::UNDERLINED);
    }
    if mark.contains(Mark::FOUND) {
        style = style.patch(theme.matched());
    }
    if mark.contains(Mark::CURRENT) {
        style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
    }
    style
}
