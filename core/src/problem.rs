//! Problems found in input files, reported as `path:line:col: message`.

use std::fmt;
use std::path::PathBuf;

/// One problem with one file, with a position where one is known.
///
/// Lines and columns count from 1; columns count characters, not bytes.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub col: Option<usize>,
    pub message: String,
}

impl Problem {
    /// A problem with the whole file.
    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Problem {
            path: path.into(),
            line: None,
            col: None,
            message: message.into(),
        }
    }

    /// A problem at a line and column.
    pub fn at(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            path: path.into(),
            line: Some(line),
            col: Some(col),
            message: message.into(),
        }
    }

    /// A problem at a byte offset of `text`, the file's contents.
    pub fn at_offset(
        path: impl Into<PathBuf>,
        text: &str,
        offset: usize,
        message: impl Into<String>,
    ) -> Self {
        let (line, col) = line_col(text, offset);
        Problem::at(path, line, col, message)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        match (self.line, self.col) {
            (Some(l), Some(c)) => write!(f, ":{l}:{c}")?,
            (Some(l), None) => write!(f, ":{l}")?,
            _ => {}
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for Problem {}

/// The 1-based line and character column of byte `offset` in `text`.
///
/// An offset past the end or inside a character is clamped to the nearest
/// character boundary before it. This reads `text` up to `offset`: to place
/// many offsets in one text, build a [`LineIndex`] once instead.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    // only the text before the offset is read: callers that place an offset
    // in the first line of a long rest (front matter) stay cheap
    LineIndex::new(text.get(..offset).unwrap_or_default()).line_col(offset)
}

/// Where each line of a text starts, found in one pass, so that placing an
/// offset costs a binary search plus the characters before it on its line,
/// not a scan from the start of the text (which made many positions in one
/// large file quadratic).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of each line's start; the first is 0.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0).chain(after_newlines(text)).collect();
        LineIndex { text, starts }
    }

    /// The 1-based line of byte `offset` (clamped to the text).
    pub fn line(&self, offset: usize) -> usize {
        self.line_index(self.clamp(offset)) + 1
    }

    /// The 1-based line and character column of byte `offset`, clamped as
    /// [`line_col`] does.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.clamp(offset);
        let index = self.line_index(offset);
        let start = self.starts.get(index).copied().unwrap_or(0);
        let col = self
            .text
            .get(start..offset)
            .map_or(0, |s| s.chars().count())
            + 1;
        (index + 1, col)
    }

    fn clamp(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    fn line_index(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}

/// The offsets just after each newline of `text`.
fn after_newlines(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_in_characters() {
        let text = "ab\nçd\nef";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // 'd' comes after the two-byte 'ç'
        assert_eq!(line_col(text, 5), (2, 2));
        assert_eq!(line_col(text, 999), (3, 3));
        // inside 'ç' clamps back to its start
        assert_eq!(line_col(text, 4), (2, 1));
    }

    #[test]
    fn line_index_agrees_with_a_scan_from_the_start() {
        let text = "ab\nçd\n\n\nef\n";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            let mut o = offset.min(text.len());
            while !text.is_char_boundary(o) {
                o -= 1;
            }
            let before = &text[..o];
            let line = before.matches('\n').count() + 1;
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            let col = before[start..].chars().count() + 1;
            assert_eq!(index.line_col(offset), (line, col), "offset {offset}");
            assert_eq!(index.line(offset), line, "offset {offset}");
        }
    }

    #[test]
    fn display_includes_the_position_when_known() {
        assert_eq!(
            Problem::at("a.md", 3, 7, "bad").to_string(),
            "a.md:3:7: bad"
        );
        assert_eq!(Problem::file("a.md", "bad").to_string(), "a.md: bad");
    }
}
