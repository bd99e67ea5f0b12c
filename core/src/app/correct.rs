//! Correcting what was read: the title, lead member, participating members,
//! year and programme of the selected submission, in a small form of one
//! labelled line each. What differs from what was read is saved in the
//! record's `[corrections]` table (an undo step like any change); the
//! submission file is never changed.

use super::{App, Overlay};
use crate::keymap::Action;
use crate::note::NoteEditor;
use crate::record::Corrections;
use crate::submission::Submission;

/// The form's labels, in order.
const LABELS: [&str; 5] = ["Title", "Lead member", "Members", "Year", "Programme"];

/// The form's text for what is shown now: the corrections over what was read.
pub fn form_text(sub: &Submission, c: &Corrections) -> String {
    let (title, shown) = c.over(&sub.title, &sub.fields);
    let values = [
        title,
        shown.lead_member.unwrap_or_default(),
        shown.participating_members.join("; "),
        shown.year.map(|y| y.to_string()).unwrap_or_default(),
        shown.programme.unwrap_or_default(),
    ];
    LABELS
        .iter()
        .zip(values)
        .map(|(l, v)| format!("{l}: {}", crate::sanitize::clean(&v)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The corrections a form's text asks for: each field that differs from
/// what was read. `Err` names the line that cannot be read.
pub fn parse_form(text: &str, sub: &Submission) -> Result<Corrections, String> {
    let mut c = Corrections::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let Some((label, value)) = line.split_once(':') else {
            return Err(format!(
                "line {}: expected \"Label: value\" ({})",
                n + 1,
                LABELS.join(", ")
            ));
        };
        let value = value.trim();
        // the form shows what was read cleaned for the terminal: compared so
        let differs =
            |read: Option<&str>| value != crate::sanitize::clean(read.unwrap_or("")).trim();
        match label.trim().to_ascii_lowercase().as_str() {
            "title" => {
                if differs(Some(&sub.title)) && !value.is_empty() {
                    c.title = Some(value.to_owned());
                }
            }
            "lead member" | "lead" => {
                if differs(sub.fields.lead_member.as_deref()) && !value.is_empty() {
                    c.fields.lead_member = Some(value.to_owned());
                }
            }
            "members" | "participating members" => {
                let names: Vec<String> = value
                    .split(';')
                    .map(str::trim)
                    .filter(|m| !m.is_empty())
                    .map(str::to_owned)
                    .collect();
                let read: Vec<String> = sub
                    .fields
                    .participating_members
                    .iter()
                    .map(|m| crate::sanitize::clean(m).trim().to_owned())
                    .collect();
                if names != read && !names.is_empty() {
                    c.fields.participating_members = names;
                }
            }
            "year" => {
                if value.is_empty() {
                    continue;
                }
                let year: i64 = value
                    .parse()
                    .ok()
                    .filter(|y| (1900..=2100).contains(y))
                    .ok_or_else(|| format!("line {}: the year must be a year, like 2024", n + 1))?;
                if Some(year) != sub.fields.year {
                    c.fields.year = Some(year);
                }
            }
            "programme" => {
                if differs(sub.fields.programme.as_deref()) && !value.is_empty() {
                    c.fields.programme = Some(value.to_owned());
                }
            }
            other => {
                return Err(format!(
                    "line {}: no field \"{}\" ({})",
                    n + 1,
                    crate::sanitize::clean(other),
                    LABELS.join(", ")
                ));
            }
        }
    }
    Ok(c)
}

impl App {
    pub(super) fn open_correct(&mut self) {
        let Some(ix) = self.selected() else { return };
        if let Err(why) = self.can_tag(ix) {
            self.error(why);
            return;
        }
        let Some(Ok(sub)) = self.batch.items.get(ix).map(|it| &it.submission) else {
            self.error("this file could not be read: there is nothing to correct");
            return;
        };
        let c = self
            .current_record(ix)
            .map(crate::record::Record::corrections)
            .unwrap_or_default();
        let text = form_text(sub, &c);
        self.overlay = Overlay::Correct {
            editor: NoteEditor::new(&text).from_the_top(),
            warned: false,
        };
    }

    pub(super) fn apply_correct(&mut self, action: Action) {
        let Overlay::Correct { editor, warned } = &mut self.overlay else {
            return;
        };
        if editor.edit(&action) {
            *warned = false;
            return;
        }
        let warned = *warned;
        match action {
            // what was typed is not thrown away by one key
            Action::Cancel | Action::Quit if self.correcting_unsaved() && !warned => {
                let save = self.key_label(crate::keymap::Mode::Note, Action::Confirm);
                let again = if action == Action::Quit {
                    "quit"
                } else {
                    "esc"
                };
                self.error(format!(
                    "the corrections are not saved: {save} saves them; {again} again drops them"
                ));
                if let Overlay::Correct { warned, .. } = &mut self.overlay {
                    *warned = true;
                }
            }
            Action::Cancel => {
                self.overlay = Overlay::None;
                self.info("nothing corrected");
            }
            Action::Quit => {
                self.overlay = Overlay::None;
                self.request_quit();
            }
            Action::Confirm => self.confirm_correct(),
            _ => {}
        }
    }

    /// Whether the form's text differs from what it opened with.
    fn correcting_unsaved(&self) -> bool {
        let Overlay::Correct { editor, .. } = &self.overlay else {
            return false;
        };
        let Some(ix) = self.selected() else {
            return false;
        };
        let Some(Ok(sub)) = self.batch.items.get(ix).map(|it| &it.submission) else {
            return false;
        };
        let c = self
            .current_record(ix)
            .map(crate::record::Record::corrections)
            .unwrap_or_default();
        editor.text() != form_text(sub, &c)
    }

    fn confirm_correct(&mut self) {
        let Overlay::Correct { editor, .. } = &self.overlay else {
            return;
        };
        let text = editor.text();
        let Some(ix) = self.selected() else { return };
        let Some(Ok(sub)) = self.batch.items.get(ix).map(|it| &it.submission) else {
            return;
        };
        let c = match parse_form(&text, sub) {
            Ok(c) => c,
            Err(why) => {
                self.error(format!("not saved: {why}"));
                return;
            }
        };
        let before = self
            .current_record(ix)
            .map(crate::record::Record::corrections)
            .unwrap_or_default();
        self.overlay = Overlay::None;
        if c == before {
            self.info("nothing corrected");
            return;
        }
        if self.change_selected(|r| r.set_corrections(&c)) {
            let fields = c.names();
            self.info(if fields.is_empty() {
                "corrections removed: what was read is shown again".to_owned()
            } else {
                format!("corrected: {} (the file is unchanged)", fields.join(", "))
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::submission::parse_submission;
    use crate::taxonomy::Taxonomy;
    use std::path::Path;

    fn sub() -> Submission {
        parse_submission(
            Path::new("leeds.txt"),
            b"Leeds food aid\n\nLead council: Leeds City Council\nYear: 2024\n\nText of the case study.\n",
            &Taxonomy::builtin(),
        )
        .expect("parses")
    }

    #[test]
    fn the_form_shows_what_was_read_and_saves_only_what_differs() {
        let s = sub();
        let text = form_text(&s, &Corrections::default());
        assert!(text.starts_with("Title: Leeds food aid\n"), "{text}");
        assert_eq!(parse_form(&text, &s), Ok(Corrections::default()));
        let edited = text.replace("Year: 2024", "Year: 2023").replace(
            "Members: ",
            "Members: Leeds Food Aid Network; Zero Waste Leeds",
        );
        let c = parse_form(&edited, &s).expect("reads");
        assert_eq!(c.fields.year, Some(2023));
        assert_eq!(
            c.fields.participating_members,
            ["Leeds Food Aid Network", "Zero Waste Leeds"]
        );
        assert_eq!(c.title, None);
        // the form of the corrections shows them, and reads back the same
        assert_eq!(parse_form(&form_text(&s, &c), &s), Ok(c));
    }

    #[test]
    fn a_bad_line_or_year_is_named() {
        let s = sub();
        let e = parse_form("Year: soon", &s).expect_err("refused");
        assert!(e.contains("line 1") && e.contains("year"), "{e}");
        let e = parse_form("Colour: blue", &s).expect_err("refused");
        assert!(e.contains("no field \"colour\""), "{e}");
    }
}
