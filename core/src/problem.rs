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
/// character boundary before it.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
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
    fn display_includes_the_position_when_known() {
        assert_eq!(
            Problem::at("a.md", 3, 7, "bad").to_string(),
            "a.md:3:7: bad"
        );
        assert_eq!(Problem::file("a.md", "bad").to_string(), "a.md: bad");
    }
}
