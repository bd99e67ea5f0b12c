//! [`Fields`]: what a submission says about its case study besides its
//! title and text: the lead and participating members, the year, the
//! programme and a contact. Every reader fills one (front matter, a pasted
//! header, a Word form, an e-mail), the officer's corrections are one, and
//! the details and exports read one; the two ways one is laid over another
//! are here, once.

/// A submission's fields. `None` (or an empty list) is "not given".
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Fields {
    pub lead_member: Option<String>,
    pub participating_members: Vec<String>,
    pub year: Option<i64>,
    /// The programme, e.g. "Policy Labs" ("Type" on newer pages; `status`
    /// in front matter and in `show --json`, as the website calls it).
    #[serde(rename = "status")]
    pub programme: Option<String>,
    pub contact: Option<String>,
}

impl Fields {
    /// Whether no field is given.
    pub fn is_empty(&self) -> bool {
        *self == Fields::default()
    }

    /// Fills each field not given here from `other` (what a less certain
    /// source says: the text's own lines after the front matter, an
    /// e-mail's sender after the form it carries).
    pub fn fill_gaps(&mut self, other: Fields) {
        let Fields {
            lead_member,
            participating_members,
            year,
            programme,
            contact,
        } = other;
        self.lead_member = self.lead_member.take().or(lead_member);
        if self.participating_members.is_empty() {
            self.participating_members = participating_members;
        }
        self.year = self.year.or(year);
        self.programme = self.programme.take().or(programme);
        self.contact = self.contact.take().or(contact);
    }

    /// Lays `over` on these fields: each field `over` gives replaces this
    /// one (the officer's corrections over what was read, a Word form over
    /// the text around it).
    pub fn overlay(&mut self, over: Fields) {
        let mut out = over;
        out.fill_gaps(std::mem::take(self));
        *self = out;
    }

    /// The names of the fields given, as the details show them ("lead",
    /// "members", "year", "programme", "contact").
    pub fn names(&self) -> Vec<&'static str> {
        let given = [
            ("lead", self.lead_member.is_some()),
            ("members", !self.participating_members.is_empty()),
            ("year", self.year.is_some()),
            ("programme", self.programme.is_some()),
            ("contact", self.contact.is_some()),
        ];
        given
            .into_iter()
            .filter_map(|(name, is)| is.then_some(name))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(lead: Option<&str>, members: &[&str], year: Option<i64>) -> Fields {
        Fields {
            lead_member: lead.map(str::to_owned),
            participating_members: members.iter().map(|m| m.to_string()).collect(),
            year,
            ..Fields::default()
        }
    }

    #[test]
    fn gaps_are_filled_and_given_fields_kept() {
        let mut f = fields(Some("Oldham Council"), &[], None);
        f.fill_gaps(fields(Some("Bury Council"), &["Rochdale"], Some(2020)));
        assert_eq!(f, fields(Some("Oldham Council"), &["Rochdale"], Some(2020)));
    }

    #[test]
    fn an_overlay_replaces_what_it_gives_and_keeps_the_rest() {
        let mut f = fields(Some("Oldham Council"), &["Rochdale"], Some(2019));
        f.contact = Some("hubs@example.org".into());
        f.overlay(fields(None, &["Bury", "Wigan"], Some(2020)));
        assert_eq!(f.lead_member.as_deref(), Some("Oldham Council"));
        assert_eq!(f.participating_members, ["Bury", "Wigan"]);
        assert_eq!(f.year, Some(2020));
        assert_eq!(f.contact.as_deref(), Some("hubs@example.org"));
        assert_eq!(f.names(), ["lead", "members", "year", "contact"]);
        assert!(!f.is_empty());
        assert!(Fields::default().is_empty());
    }
}
