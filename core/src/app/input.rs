//! One line of typed text: the list's search and the reader's find.
//!
//! Both keep what was left with `esc` as a draft that the next opening
//! brings back, shown as a selected field is: the first letter typed
//! replaces it, `backspace` clears it, `enter` keeps it.

/// A line being typed, with the draft it was left as.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LineInput {
    text: String,
    /// What was left with `esc`, brought back by the next opening.
    draft: Option<String>,
    /// The text shown is a brought-back one: the first letter replaces it.
    recalled: bool,
}

impl LineInput {
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// Whether nothing but spaces is typed.
    pub fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }

    /// Whether the text shown was brought back (and is replaced by typing).
    pub fn recalled(&self) -> bool {
        self.recalled
    }

    /// Shows the text as brought back: the next letter replaces it.
    pub fn mark_recalled(&mut self) {
        self.recalled = !self.text.is_empty();
    }

    /// Brings back the draft left last, when the line is empty; true when
    /// there was one.
    pub fn recall(&mut self) -> bool {
        if !self.text.is_empty() {
            return false;
        }
        match self.draft.take() {
            Some(d) if !d.is_empty() => {
                self.text = d;
                self.recalled = true;
                true
            }
            _ => false,
        }
    }

    pub fn push(&mut self, c: char) {
        self.replace_recalled();
        self.text.push(c);
    }

    /// Adds pasted text, on one line.
    pub fn paste(&mut self, text: &str) {
        self.replace_recalled();
        self.text.push_str(&super::paste::one_line(text));
    }

    /// Deletes the last letter, or the whole of a brought-back text.
    pub fn backspace(&mut self) {
        if std::mem::take(&mut self.recalled) {
            self.text.clear();
        } else {
            self.text.pop();
        }
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.recalled = false;
    }

    /// Any key but typing keeps a brought-back text as it is.
    pub fn keep(&mut self) {
        self.recalled = false;
    }

    /// Leaves the line: a text that is not blank becomes the draft and is
    /// returned; the line is then empty.
    pub fn leave(&mut self) -> Option<String> {
        self.recalled = false;
        let text = std::mem::take(&mut self.text);
        if text.trim().is_empty() {
            return None;
        }
        self.draft = Some(text.clone());
        Some(text)
    }

    fn replace_recalled(&mut self) {
        if std::mem::take(&mut self.recalled) {
            self.text.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_left_line_comes_back_and_the_first_letter_replaces_it() {
        let mut line = LineInput::default();
        line.push('a');
        line.push('b');
        assert_eq!(line.leave().as_deref(), Some("ab"));
        assert!(line.is_empty());
        assert!(line.recall());
        assert_eq!(line.text(), "ab");
        assert!(line.recalled());
        line.push('c');
        assert_eq!(line.text(), "c");
        assert!(!line.recalled());
    }

    #[test]
    fn backspace_clears_a_recalled_line_and_blank_lines_leave_no_draft() {
        let mut line = LineInput::default();
        line.paste("one\ntwo");
        assert_eq!(line.text(), "one two");
        line.leave();
        line.recall();
        line.backspace();
        assert_eq!(line.text(), "");
        line.push(' ');
        assert_eq!(line.leave(), None);
        assert!(!line.recall());
    }

    #[test]
    fn kept_text_is_edited_letter_by_letter() {
        let mut line = LineInput::default();
        line.paste("york");
        line.mark_recalled();
        line.keep();
        line.backspace();
        assert_eq!(line.text(), "yor");
    }
}
