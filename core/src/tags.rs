//! [`Tags`]: one tagging of a submission by the taxonomy's ids, whoever
//! made it: the officer's record, the council's proposal, casetag's
//! suggestions. A picker edits one kind of it at a time as a
//! [`Selection`].

use crate::picker::Selection;
use crate::taxonomy::Kind;

/// A primary category, secondary categories, principles and ranked values,
/// by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Tags {
    pub primary_category: Option<String>,
    /// Secondary categories (never the primary).
    pub categories: Vec<String>,
    pub principles: Vec<String>,
    /// In rank order.
    pub values: Vec<String>,
}

impl Tags {
    /// Whether nothing is tagged.
    pub fn is_empty(&self) -> bool {
        *self == Tags::default()
    }

    /// The ids of one kind (for categories, the primary first).
    pub fn ids(&self, kind: Kind) -> Vec<String> {
        match kind {
            Kind::Category => self
                .primary_category
                .iter()
                .chain(&self.categories)
                .cloned()
                .collect(),
            Kind::Principle => self.principles.clone(),
            Kind::Value => self.values.clone(),
        }
    }

    /// The tags in one line's parts, each id shown by `label`: the
    /// categories (primary first) joined by `joiner`, "principles: a, b",
    /// "values: 1. x  2. y"; a kind with none is left out.
    pub fn summary(&self, joiner: &str, label: impl Fn(Kind, &str) -> String) -> Vec<String> {
        let mut parts = Vec::new();
        let cats = self.ids(Kind::Category);
        if !cats.is_empty() {
            let shown: Vec<String> = cats.iter().map(|id| label(Kind::Category, id)).collect();
            parts.push(shown.join(joiner));
        }
        if !self.principles.is_empty() {
            let shown: Vec<String> = self
                .principles
                .iter()
                .map(|id| label(Kind::Principle, id))
                .collect();
            parts.push(format!("principles: {}", shown.join(", ")));
        }
        if !self.values.is_empty() {
            let shown: Vec<String> = self
                .values
                .iter()
                .enumerate()
                .map(|(i, id)| format!("{}. {}", i + 1, label(Kind::Value, id)))
                .collect();
            parts.push(format!("values: {}", shown.join("  ")));
        }
        parts
    }

    /// One kind as a picker holds it: the primary (categories only) and the
    /// rest.
    pub fn selection(&self, kind: Kind) -> Selection {
        match kind {
            Kind::Category => Selection {
                primary: self.primary_category.clone(),
                chosen: self.categories.clone(),
            },
            Kind::Principle => Selection {
                primary: None,
                chosen: self.principles.clone(),
            },
            Kind::Value => Selection {
                primary: None,
                chosen: self.values.clone(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_is_a_selection_and_the_primary_comes_first() {
        let t = Tags {
            primary_category: Some("housing".into()),
            categories: vec!["community".into()],
            principles: vec!["co-production".into()],
            values: vec!["democracy".into(), "equity".into()],
        };
        assert_eq!(t.ids(Kind::Category), ["housing", "community"]);
        assert_eq!(
            t.selection(Kind::Category).primary.as_deref(),
            Some("housing")
        );
        assert_eq!(t.selection(Kind::Value).chosen, ["democracy", "equity"]);
        assert_eq!(t.selection(Kind::Principle).primary, None);
        assert_eq!(
            t.summary(" + ", |_, id| id.to_uppercase()),
            [
                "HOUSING + COMMUNITY",
                "principles: CO-PRODUCTION",
                "values: 1. DEMOCRACY  2. EQUITY"
            ]
        );
        assert!(Tags::default().summary(" + ", |_, id| id.into()).is_empty());
        assert!(!t.is_empty());
        assert!(Tags::default().is_empty());
    }
}
