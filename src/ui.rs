//! Rendering: a pure function of the application model. Nothing here changes
//! the model or touches the terminal beyond the frame it is given.
//!
//! All text read from files reaches the screen through [`crate::sanitize`].

mod batch;
mod conflict;
mod footer;
mod overlay;
mod picker;
mod reader;
mod text;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::{App, Overlay};
use crate::batch::Status;
use crate::keymap::{Action, Mode};

/// The smallest terminal the program draws in.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// From this width the list sits beside the details instead of above them.
pub const WIDE: u16 = 100;

/// Colours, or none: with `NO_COLOR` set only bold, reverse and underline are
/// used, and every status still has its glyph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    color: bool,
}

impl Theme {
    pub const COLOUR: Theme = Theme { color: true };
    pub const MONOCHROME: Theme = Theme { color: false };

    /// Monochrome when `NO_COLOR` is set to anything but the empty string
    /// (<https://no-color.org>).
    pub fn from_env() -> Theme {
        Theme::for_no_color(std::env::var_os("NO_COLOR").as_deref())
    }

    /// The theme for a value of `NO_COLOR` (`None` when it is not set).
    pub fn for_no_color(value: Option<&std::ffi::OsStr>) -> Theme {
        if value.is_some_and(|v| !v.is_empty()) {
            Theme::MONOCHROME
        } else {
            Theme::COLOUR
        }
    }

    pub fn has_colour(self) -> bool {
        self.color
    }

    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// Secondary text: labels, counts, hints' descriptions.
    fn dim(self) -> Style {
        self.fg(Color::DarkGray)
    }

    fn bold(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    fn error(self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// The selected row of a list.
    fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    /// Letters the filter matched.
    fn matched(self) -> Style {
        self.fg(Color::Yellow)
            .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
    }

    fn key(self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }

    fn suggested(self) -> Style {
        self.fg(Color::Magenta)
    }

    fn border(self) -> Style {
        self.dim()
    }

    fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    fn status(self, s: Status) -> Style {
        match s {
            Status::NotStarted => Style::new(),
            Status::InProgress => self.fg(Color::Cyan),
            Status::Approved => self.fg(Color::Green),
            Status::NeedsInfo => self.fg(Color::Yellow),
            Status::Declined => self.fg(Color::Magenta),
            Status::Invalid | Status::Error => self.error(),
            Status::Changed | Status::Conflict => {
                self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
            }
        }
    }
}

/// Draws the whole screen, coloured unless `NO_COLOR` says otherwise.
pub fn draw(frame: &mut Frame, app: &App) {
    draw_with(frame, app, &Theme::from_env());
}

/// Draws the whole screen with a given theme.
pub fn draw_with(frame: &mut Frame, app: &App, theme: &Theme) {
    let theme = *theme;
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, app, theme);
        return;
    }
    match &app.reader {
        Some(r) => reader::draw(frame, area, app, r, theme),
        None => batch::draw(frame, area, app, theme),
    }
    match &app.overlay {
        Overlay::None | Overlay::Search => {}
        Overlay::Picker { picker, field } => picker::draw(frame, area, app, picker, *field, theme),
        Overlay::Note {
            editor,
            then_decide,
        } => overlay::note(frame, area, app, editor, *then_decide, theme),
        Overlay::Correct { editor, .. } => overlay::correct(frame, area, app, editor, theme),
        Overlay::Decide => overlay::decide(frame, area, app, theme),
        Overlay::Help { scroll } => overlay::help(frame, area, app, *scroll, theme),
        Overlay::Stats { stats, scroll } => overlay::stats(frame, area, app, stats, *scroll, theme),
        Overlay::Conflict(r) => conflict::draw(frame, area, app, r, theme),
    }
}

fn too_small(frame: &mut Frame, area: Rect, app: &App, theme: Theme) {
    let w = usize::from(area.width.max(1));
    let mut lines = text::wrap(
        &Line::raw(format!(
            "casetag needs a terminal of at least {MIN_WIDTH}×{MIN_HEIGHT}"
        )),
        w,
        0,
    );
    lines.extend(text::wrap(
        &Line::raw(format!("(this one is {}×{})", area.width, area.height)),
        w,
        0,
    ));
    let quit = key_label(app, Mode::Batch, Action::Quit);
    lines.extend(text::wrap(
        &Line::raw(format!("enlarge it, or press {quit} to quit")),
        w,
        0,
    ));
    let h = u16::try_from(lines.len())
        .unwrap_or(u16::MAX)
        .min(area.height);
    let y = area.y + (area.height - h) / 2;
    let at = Rect::new(area.x, y, area.width, h);
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .style(theme.bold()),
        at,
    );
}

/// A pane: a top rule carrying the title, so panes cost one line each.
fn pane<'a>(title: Line<'a>, theme: Theme) -> Block<'a> {
    Block::new()
        .borders(Borders::TOP)
        .border_style(theme.border())
        .title(title)
}

/// A pop-up over the batch view: `width`×`height` (at most the area), centred,
/// with its background cleared.
fn popup<'a>(
    frame: &mut Frame,
    area: Rect,
    width: u16,
    height: u16,
    title: Line<'a>,
    theme: Theme,
) -> (Block<'a>, Rect) {
    let w = width.min(area.width).max(1);
    let h = height.min(area.height).max(1);
    let x = area.x + area.width.saturating_sub(w) / 2;
    let y = area.y + area.height.saturating_sub(h) / 2;
    popup_at(
        frame,
        Rect::new(x, y, w, h).intersection(area),
        title,
        theme,
    )
}

/// A pop-up in a given place, its background cleared.
fn popup_at<'a>(frame: &mut Frame, r: Rect, title: Line<'a>, theme: Theme) -> (Block<'a>, Rect) {
    frame.render_widget(Clear, r);
    let block = Block::bordered()
        .border_style(theme.border())
        .title(title.style(theme.title()));
    (block, r)
}

/// The size of a large pop-up (picker, help, statistics): the whole screen on
/// a narrow terminal, where a margin would only show fragments of the panes
/// below; otherwise at most `max_w`×`max_h` with a margin.
fn big_size(area: Rect, max_w: u16, max_h: u16) -> (u16, u16) {
    if area.width < WIDE {
        (area.width, area.height)
    } else {
        (
            area.width.saturating_sub(4).min(max_w),
            area.height.saturating_sub(2).min(max_h),
        )
    }
}

/// Hints shown all or none: one picker key without the others, or "rank up"
/// without "rank down", would suggest the rest is missing.
const TOGETHER: [&[Action]; 3] = [
    &[
        Action::PickCategories,
        Action::PickPrinciples,
        Action::PickValues,
    ],
    &[Action::RankUp, Action::RankDown],
    &[Action::RankFirst, Action::RankSecond, Action::RankThird],
];

/// Key hints ("a approve  x decline") from the active keymap on one line of
/// `width` columns: as many as fit, chosen in `priority` order, shown in
/// `display` order.
fn hints(
    app: &App,
    mode: Mode,
    display: &[Action],
    priority: &[Action],
    width: usize,
    theme: Theme,
) -> Line<'static> {
    hint_lines(app, mode, display, priority, width, 1, theme)
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// Key hints flowed over at most `max_lines` lines.
fn hint_lines(
    app: &App,
    mode: Mode,
    display: &[Action],
    priority: &[Action],
    width: usize,
    max_lines: usize,
    theme: Theme,
) -> Vec<Line<'static>> {
    // "tab/space toggle" where there is room, "tab toggle" where there is not
    let full: Vec<(Action, String, String)> = display
        .iter()
        .filter_map(|action| {
            let hint = app.keymap.hint(mode, action.clone())?;
            let (keys, label) = hint.split_once(' ').unwrap_or((hint.as_str(), ""));
            // keymap names are checked on load, but a user file is still a file
            Some((
                action.clone(),
                crate::sanitize::clean(keys),
                label.to_string(),
            ))
        })
        .collect();
    let short: Vec<(Action, String, String)> = full
        .iter()
        .map(|(action, keys, label)| {
            let first = app
                .keymap
                .keys_for(mode, action)
                .first()
                .map_or_else(|| keys.clone(), |k| crate::sanitize::clean(&k.label()));
            (action.clone(), first, label.clone())
        })
        .collect();
    let fitted = |parts: &[(Action, String, String)]| {
        let mut chosen: Vec<Action> = priority
            .iter()
            .filter(|a| parts.iter().any(|p| p.0 == **a))
            .cloned()
            .collect();
        loop {
            if flow(parts, &chosen, width, theme).len() <= max_lines || chosen.is_empty() {
                break;
            }
            chosen.pop();
        }
        // hints that make sense only together are shown together or not at all
        for group in TOGETHER {
            if group.iter().any(|a| !chosen.contains(a)) {
                chosen.retain(|a| !group.contains(a));
            }
        }
        (chosen.len(), flow(parts, &chosen, width, theme))
    };
    let (n_full, lines_full) = fitted(&full);
    if n_full == full.len() {
        return lines_full;
    }
    let (n_short, lines_short) = fitted(&short);
    if n_short > n_full {
        lines_short
    } else {
        lines_full
    }
}

/// Lays the chosen hints out in lines of `width`, in display order.
fn flow(
    parts: &[(Action, String, String)],
    chosen: &[Action],
    width: usize,
    theme: Theme,
) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for (action, keys, label) in parts {
        if !chosen.contains(action) {
            continue;
        }
        let w = text::width(keys) + 1 + text::width(label);
        if !spans.is_empty() && used + 2 + w > width {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        if !spans.is_empty() {
            spans.push(Span::raw("  "));
            used += 2;
        }
        spans.push(Span::styled(keys.clone(), theme.key()));
        spans.push(Span::raw(format!(" {label}")));
        used += w;
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}

/// The keys for an action as the footer shows them ("a"), or the action's name
/// when nothing is bound.
fn key_label(app: &App, mode: Mode, action: Action) -> String {
    app.keymap.keys_for(mode, &action).first().map_or_else(
        || action.name().to_string(),
        |k| crate::sanitize::clean(&k.label()),
    )
}

/// Renders lines in `area` from line `scroll` (clamped so the last page stays
/// full); returns the scroll actually used.
fn scrolled(frame: &mut Frame, area: Rect, lines: Vec<Line<'static>>, scroll: usize) -> usize {
    let h = usize::from(area.height);
    let max = lines.len().saturating_sub(h);
    let from = scroll.min(max);
    let shown: Vec<Line<'static>> = lines.into_iter().skip(from).take(h).collect();
    frame.render_widget(Paragraph::new(shown), area);
    from
}

/// The line of a query being typed (the search, the reader's find): the
/// prompt, the text and a cursor, then the count of matches. A query brought
/// back by its key is drawn selected, since the first letter typed replaces it.
fn typed_query(
    prompt: &'static str,
    query: &str,
    recalled: bool,
    count: &str,
    theme: Theme,
) -> Line<'static> {
    let (style, hint) = if recalled {
        (theme.selected(), "; type to replace")
    } else {
        (Style::new(), "")
    };
    Line::from(vec![
        Span::styled(prompt, theme.key()),
        Span::styled(crate::sanitize::clean(query), style),
        Span::styled("█", Style::new()),
        Span::styled(format!("  ({count}{hint})"), theme.dim()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn no_color_set_and_not_empty_means_monochrome() {
        assert_eq!(Theme::for_no_color(None), Theme::COLOUR);
        assert_eq!(Theme::for_no_color(Some(OsStr::new(""))), Theme::COLOUR);
        assert_eq!(
            Theme::for_no_color(Some(OsStr::new("1"))),
            Theme::MONOCHROME
        );
        assert_eq!(
            Theme::for_no_color(Some(OsStr::new("0"))),
            Theme::MONOCHROME
        );
    }

    #[test]
    fn monochrome_styles_carry_no_colour() {
        let t = Theme::MONOCHROME;
        for style in [
            t.dim(),
            t.error(),
            t.matched(),
            t.key(),
            t.suggested(),
            t.border(),
        ]
        .into_iter()
        .chain(Status::ALL.iter().map(|s| t.status(*s)))
        {
            assert_eq!(style.fg, None);
            assert_eq!(style.bg, None);
        }
    }
}
