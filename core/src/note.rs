//! A small multi-line text editor for the officer's note.

/// The text as lines, and a cursor at a character position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteEditor {
    lines: Vec<String>,
    row: usize,
    /// Character index within the row.
    col: usize,
}

impl NoteEditor {
    /// Carries out an editing action (a move, a deletion, a new line);
    /// false when `action` is not one, for the caller to handle.
    pub fn edit(&mut self, action: &crate::keymap::Action) -> bool {
        use crate::keymap::Action;
        match action {
            Action::Left => self.left(),
            Action::Right => self.right(),
            Action::Up => self.up(),
            Action::Down => self.down(),
            Action::LineStart => self.home(),
            Action::LineEnd => self.end(),
            Action::Backspace => self.backspace(),
            Action::DeleteChar => self.delete(),
            Action::Newline => self.newline(),
            _ => return false,
        }
        true
    }

    pub fn new(text: &str) -> NoteEditor {
        let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        if lines.is_empty() {
            lines.push(String::new());
        }
        let row = lines.len() - 1;
        let col = lines[row].chars().count();
        NoteEditor { lines, row, col }
    }

    /// The same text with the cursor at the end of its first line, where a
    /// form of labelled lines is filled in from the top.
    pub fn from_the_top(mut self) -> NoteEditor {
        self.row = 0;
        self.col = self.line_len();
        self
    }

    /// The note as saved: trailing blank lines and spaces removed.
    pub fn text(&self) -> String {
        self.lines.join("\n").trim_end().to_string()
    }

    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// (row, character column) of the cursor.
    pub fn cursor(&self) -> (usize, usize) {
        (self.row, self.col)
    }

    fn line(&self) -> &str {
        self.lines.get(self.row).map_or("", String::as_str)
    }

    fn line_len(&self) -> usize {
        self.line().chars().count()
    }

    fn byte_at(&self, col: usize) -> usize {
        self.line()
            .char_indices()
            .nth(col)
            .map_or(self.line().len(), |(i, _)| i)
    }

    pub fn insert(&mut self, c: char) {
        if c == '\n' {
            self.newline();
            return;
        }
        if c.is_control() {
            return;
        }
        let at = self.byte_at(self.col);
        if let Some(line) = self.lines.get_mut(self.row) {
            line.insert(at, c);
            self.col += 1;
        }
    }

    pub fn newline(&mut self) {
        let at = self.byte_at(self.col);
        let rest = self
            .lines
            .get_mut(self.row)
            .map(|l| l.split_off(at))
            .unwrap_or_default();
        self.row += 1;
        self.lines.insert(self.row, rest);
        self.col = 0;
    }

    pub fn backspace(&mut self) {
        if self.col > 0 {
            let from = self.byte_at(self.col - 1);
            let to = self.byte_at(self.col);
            if let Some(line) = self.lines.get_mut(self.row) {
                line.replace_range(from..to, "");
            }
            self.col -= 1;
        } else if self.row > 0 {
            let line = self.lines.remove(self.row);
            self.row -= 1;
            self.col = self.line_len();
            if let Some(prev) = self.lines.get_mut(self.row) {
                prev.push_str(&line);
            }
        }
    }

    pub fn delete(&mut self) {
        if self.col < self.line_len() {
            let from = self.byte_at(self.col);
            let to = self.byte_at(self.col + 1);
            if let Some(line) = self.lines.get_mut(self.row) {
                line.replace_range(from..to, "");
            }
        } else if self.row + 1 < self.lines.len() {
            let next = self.lines.remove(self.row + 1);
            if let Some(line) = self.lines.get_mut(self.row) {
                line.push_str(&next);
            }
        }
    }

    pub fn left(&mut self) {
        if self.col > 0 {
            self.col -= 1;
        } else if self.row > 0 {
            self.row -= 1;
            self.col = self.line_len();
        }
    }

    pub fn right(&mut self) {
        if self.col < self.line_len() {
            self.col += 1;
        } else if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = 0;
        }
    }

    pub fn up(&mut self) {
        if self.row > 0 {
            self.row -= 1;
            self.col = self.col.min(self.line_len());
        }
    }

    pub fn down(&mut self) {
        if self.row + 1 < self.lines.len() {
            self.row += 1;
            self.col = self.col.min(self.line_len());
        }
    }

    pub fn home(&mut self) {
        self.col = 0;
    }

    pub fn end(&mut self) {
        self.col = self.line_len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_is_filled_in_from_the_top() {
        let mut e = NoteEditor::new("Title: Hubs\nYear: 2022").from_the_top();
        assert_eq!(e.cursor(), (0, "Title: Hubs".chars().count()));
        e.insert('!');
        assert_eq!(e.text(), "Title: Hubs!\nYear: 2022");
        // a new note's cursor is at the end
        assert_eq!(NoteEditor::new("a\nbc").cursor(), (1, 2));
    }

    #[test]
    fn typing_editing_and_moving() {
        let mut e = NoteEditor::new("");
        for c in "Ask for photo".chars() {
            e.insert(c);
        }
        e.newline();
        e.insert('é');
        e.insert('x');
        e.backspace();
        assert_eq!(e.text(), "Ask for photo\né");
        e.up();
        e.home();
        e.delete();
        assert_eq!(e.text(), "sk for photo\né");
        e.end();
        e.right();
        assert_eq!(e.cursor(), (1, 0));
        e.backspace();
        assert_eq!(e.text(), "sk for photoé");
        e.left();
        e.insert('!');
        assert_eq!(e.text(), "sk for phot!oé");
    }

    #[test]
    fn control_characters_are_not_inserted_and_text_is_trimmed() {
        let mut e = NoteEditor::new("a");
        e.insert('\u{1b}');
        e.insert('\t');
        e.newline();
        e.insert(' ');
        assert_eq!(e.text(), "a");
        let e = NoteEditor::new("one\ntwo");
        assert_eq!(e.cursor(), (1, 3));
    }
}
