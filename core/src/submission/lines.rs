//! Lines of a submission and the small shapes found on them: bullets,
//! separators, headings, header fields.

/// One line of the (newline-normalised) text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    /// 1-based line number in the file.
    pub no: usize,
    /// The line without its line ending.
    pub text: &'a str,
    /// Byte offset of the line's start in the normalised text.
    pub start: usize,
}

/// Text with a leading byte-order mark removed and CRLF or lone CR line endings
/// turned into LF, so line numbers match what an editor shows.
pub(crate) fn normalise_newlines(text: &str) -> String {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

/// The lines of normalised text (a final line ending gives a last, empty line).
pub(crate) fn split_lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, part) in text.split('\n').enumerate() {
        out.push(Line {
            no: i + 1,
            text: part,
            start,
        });
        start += part.len() + 1;
    }
    out
}

pub(crate) fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

/// True when the line holds at least one letter or digit.
pub(crate) fn is_meaningful(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// A line holding only a dash or bullet: the separator of the newer web layout.
pub(crate) fn is_separator(s: &str) -> bool {
    let t = s.trim();
    !t.is_empty() && t.chars().all(|c| is_bullet_char(c) || c.is_whitespace())
}

/// Characters that open a bullet line.
fn is_bullet_char(c: char) -> bool {
    matches!(
        c,
        '•' | '·'
            | '◦'
            | '▪'
            | '▫'
            | '‣'
            | '●'
            | '○'
            | '■'
            | '□'
            | '➢'
            | '►'
            | '▸'
            | '∙'
            | '-'
            | '*'
            | '+'
            | '–'
            | '—'
    )
}

/// Bullet characters that must be followed by a space to open a bullet line
/// (so "-5 degrees" or "*emphasis*" are not bullets).
fn needs_space(c: char) -> bool {
    matches!(c, '-' | '*' | '+' | '–' | '—')
}

/// A line split into its optional list marker and its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Content<'a> {
    /// The text after the marker, trimmed.
    pub text: &'a str,
    /// 1-based character column of `text` in the line.
    pub col: usize,
    /// Whether the line opened with a bullet or a number ("1." or "1)").
    pub bulleted: bool,
}

/// Splits off a bullet ("•", "·", "- ", "* ", ...) or a number ("1.", "2)").
pub(crate) fn content(line: &str) -> Content<'_> {
    let trimmed = line.trim_start();
    let mut rest = trimmed;
    let mut bulleted = false;
    let mut chars = trimmed.chars();
    if let Some(first) = chars.next() {
        let after = chars.as_str();
        if is_bullet_char(first) {
            if !needs_space(first) || after.starts_with(char::is_whitespace) {
                rest = after;
                bulleted = true;
            }
        } else if first.is_ascii_digit() {
            let digits = trimmed
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(trimmed.len());
            let tail = trimmed.get(digits..).unwrap_or("");
            if digits <= 3
                && let Some(t) = tail.strip_prefix(['.', ')'])
                && (t.is_empty() || t.starts_with(char::is_whitespace))
            {
                rest = t;
                bulleted = true;
            }
        }
    }
    let text = rest.trim();
    let lead = line.len() - rest.len() + (rest.len() - rest.trim_start().len());
    let col = line.get(..lead).map_or(1, |p| p.chars().count() + 1);
    Content {
        text,
        col,
        bulleted,
    }
}

/// A Markdown ATX heading's level and text ("## About" gives (2, "About")).
pub(crate) fn markdown_heading(line: &str) -> Option<(usize, &str)> {
    let t = line.trim_start();
    if line.len() - t.len() > 3 {
        return None;
    }
    let level = t.chars().take_while(|&c| c == '#').count();
    if level == 0 || level > 6 {
        return None;
    }
    let rest = t.get(level..)?;
    if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
        return None;
    }
    let text = rest.trim();
    // an optional closing sequence of '#'
    let text = match text.trim_end_matches('#') {
        s if s.is_empty() || s.ends_with(char::is_whitespace) => s.trim_end(),
        _ => text,
    };
    Some((level, text))
}

/// Longer lines are not the headings below.
const MAX_HEADING_BYTES: usize = 80;

/// The words of a heading-like line, lower case, without a trailing colon or
/// Markdown heading marks and emphasis.
fn heading_key(line: &str) -> String {
    if line.trim().len() > MAX_HEADING_BYTES {
        return String::new();
    }
    let t = markdown_heading(line).map_or(line.trim(), |(_, t)| t);
    let t = t.trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    let t = t.trim_end_matches(':').trim();
    t.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The "Principles met" heading.
pub(crate) fn is_principles_heading(line: &str) -> bool {
    heading_key(line) == "principles met"
}

/// The "About the project" heading.
pub(crate) fn is_about_heading(line: &str) -> bool {
    matches!(
        heading_key(line).as_str(),
        "about the project" | "about this project" | "about the case study"
    )
}

/// The header fields of a pasted web page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    LeadMember,
    ParticipatingMembers,
    Year,
    Programme,
    Contact,
}

impl Field {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Field::LeadMember => "Lead Member",
            Field::ParticipatingMembers => "Participating Members",
            Field::Year => "Year",
            Field::Programme => "Status",
            Field::Contact => "Contact",
        }
    }
}

/// Labels, longest first where one starts another: the website's and the
/// synonyms councils write.
const LABELS: [(&str, Field); 22] = [
    ("lead members", Field::LeadMember),
    ("lead member", Field::LeadMember),
    ("lead councils", Field::LeadMember),
    ("lead council", Field::LeadMember),
    ("lead authority", Field::LeadMember),
    ("lead organisation", Field::LeadMember),
    ("lead organization", Field::LeadMember),
    ("participating members", Field::ParticipatingMembers),
    ("participating member", Field::ParticipatingMembers),
    ("participating councils", Field::ParticipatingMembers),
    ("participating council", Field::ParticipatingMembers),
    ("participating authorities", Field::ParticipatingMembers),
    ("partner councils", Field::ParticipatingMembers),
    ("partners", Field::ParticipatingMembers),
    ("year", Field::Year),
    ("status", Field::Programme),
    ("type", Field::Programme),
    ("programme", Field::Programme),
    ("program", Field::Programme),
    ("contacts", Field::Contact),
    ("contact", Field::Contact),
    ("partner", Field::ParticipatingMembers),
];

/// The website's own labels, read at a line's start without bullet or
/// colon when a value follows that starts with a capital ("Lead Member
/// Brent Council"; not "Lead member for housing").
fn bare_label_admitted(label: &str, value: &str) -> bool {
    (label.starts_with("lead member") || label.starts_with("participating member"))
        && value.chars().next().is_some_and(char::is_uppercase)
        && value.chars().count() <= MAX_BARE_VALUE_CHARS
        && !value.contains(". ")
}

/// A bare label's value longer than this is a sentence, not a field.
const MAX_BARE_VALUE_CHARS: usize = 300;

/// The text after Markdown bold or emphasis opening a line (`**Year:**`).
fn strip_emphasis_open(text: &str) -> &str {
    text.strip_prefix("**")
        .or_else(|| text.strip_prefix("__"))
        .unwrap_or(text)
}

/// After a label: whether a colon follows (inside or outside closing
/// emphasis: `:**`, `**:`, `:`), and the rest after it and the emphasis.
fn after_label(rest: &str, emphasised: bool) -> Option<(bool, &str)> {
    let closes = |t: &str| -> Option<usize> {
        if t.starts_with("**") || t.starts_with("__") {
            Some(2)
        } else {
            None
        }
    };
    let mut t = rest;
    let mut colon = false;
    if emphasised {
        let u = t.trim_start();
        if let Some(n) = u.strip_prefix(':').and_then(closes) {
            colon = true;
            t = u.get(1 + n..).unwrap_or("");
        } else if let Some(n) = closes(u) {
            t = u.get(n..).unwrap_or("");
            if let Some(v) = t.trim_start().strip_prefix(':') {
                colon = true;
                t = v;
            }
        } else {
            // The emphasis does not close after the label: not a field.
            return None;
        }
        return Some((colon, t));
    }
    if !(t.is_empty() || t.trim_start().starts_with(':') || t.starts_with(char::is_whitespace)) {
        return None;
    }
    if let Some(v) = t.trim_start().strip_prefix(':') {
        colon = true;
        t = v;
    }
    Some((colon, t))
}

/// "Principles met: Social Partnership; Co-production; Learning" (with or
/// without bullet or bold): the list after the label and its 1-based column.
pub(crate) fn inline_principles(line: &str) -> Option<(&str, usize)> {
    let c = content(line);
    let text = strip_emphasis_open(c.text);
    let emphasised = text.len() != c.text.len();
    let label = "principles met";
    let head = text.get(..label.len())?;
    if !head.eq_ignore_ascii_case(label) {
        return None;
    }
    let (colon, rest) = after_label(text.get(label.len()..).unwrap_or(""), emphasised)?;
    let value = rest.trim();
    if !colon || value.is_empty() {
        return None;
    }
    let offset = c.text.len() - value.len();
    let col = c.col + c.text.get(..offset).map_or(0, |p| p.chars().count());
    Some((value, col))
}

/// A header field found on a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FieldLine<'a> {
    pub field: Field,
    /// The value, trimmed (may be empty: the value is then on the next line).
    pub value: &'a str,
    /// 1-based column of the value (or of the label when the value is empty).
    pub col: usize,
    /// Whether a colon follows the label ("Year: 2019").
    pub colon: bool,
}

/// Reads `• Lead Member Plymouth City Council`, `- Type Policy Labs` or
/// `Lead member: Plymouth City Council`.
///
/// A label followed by a space (no colon) is a field on a bullet line; without a
/// bullet only `in_header`, that is among other fields ("Lead member for
/// housing, Cllr ..." opening a press release is not a field). A bare "Year"
/// also needs a number.
pub(crate) fn field(line: &str, in_header: bool) -> Option<FieldLine<'_>> {
    let c = content(line);
    let text = strip_emphasis_open(c.text);
    let emphasised = text.len() != c.text.len();
    for (label, field) in LABELS {
        let Some(head) = text.get(..label.len()) else {
            continue;
        };
        if !head.eq_ignore_ascii_case(label) {
            continue;
        }
        let Some((colon, rest)) = after_label(text.get(label.len()..).unwrap_or(""), emphasised)
        else {
            continue;
        };
        let value = rest.trim();
        // A label alone on its line has its value on the next (a paste of
        // the newer layout); a bare "Year" otherwise needs its number.
        let admitted = colon
            || (!emphasised
                && (c.bulleted
                    || (in_header
                        && (field != Field::Year
                            || value.is_empty()
                            || parse_year(value).is_some()))
                    || bare_label_admitted(label, value)));
        if !admitted {
            return None;
        }
        let offset = c.text.len() - value.len();
        let col = if value.is_empty() {
            c.col
        } else {
            c.col + c.text.get(..offset).map_or(0, |p| p.chars().count())
        };
        return Some(FieldLine {
            field,
            value,
            col,
            colon,
        });
    }
    None
}

/// A year written as a whole number ("2020", "2020.").
pub(crate) fn parse_year(value: &str) -> Option<i64> {
    let v = value.trim().trim_end_matches('.');
    if v.is_empty() || v.len() > 6 || !v.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    v.parse().ok()
}

/// Splits "A, B, , C" into ["A", "B", "C"].
pub(crate) fn split_list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
        .collect()
}
