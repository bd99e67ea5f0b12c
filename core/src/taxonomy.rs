//! The approved vocabulary: categories, principles, values and the rules of a
//! complete tagging (`data/taxonomy.toml`, compiled in as the default).

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::problem::Problem;

/// The taxonomy shipped with casetag.
pub const BUILTIN_TAXONOMY: &str = include_str!("../../data/taxonomy.toml");

/// The largest taxonomy file read (the network's is about 20 KiB).
pub const MAX_TAXONOMY_BYTES: u64 = 1024 * 1024;

/// The three lists of the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Category,
    Principle,
    Value,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Category, Kind::Principle, Kind::Value];

    /// The plural word used in the file and in messages.
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Category => "categories",
            Kind::Principle => "principles",
            Kind::Value => "values",
        }
    }

    pub fn singular(self) -> &'static str {
        match self {
            Kind::Category => "category",
            Kind::Principle => "principle",
            Kind::Value => "value",
        }
    }
}

/// One point of a principle that has several (the "Walking the talk" list).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubPoint {
    pub label: String,
    pub statement: String,
}

/// One category, principle or value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Stable slug stored in records.
    pub id: String,
    /// What people read.
    pub label: String,
    /// For principles, the official statement.
    pub description: String,
    /// Extra words the pickers' filter matches.
    pub aliases: Vec<String>,
    /// Words in a submission's text that suggest this entry.
    pub keywords: Vec<String>,
    /// Sub-points of the statement, in order (only "Walking the talk" has them).
    pub sub_points: Vec<SubPoint>,
    /// For a category or principle: the value ids it speaks for (democratic
    /// engagement for democracy), evidence when values are suggested.
    pub speaks_for: Vec<String>,
}

impl Entry {
    /// The full statement: the description followed by any sub-points.
    pub fn full_statement(&self) -> String {
        let mut s = self.description.clone();
        for p in &self.sub_points {
            s.push_str("\n- ");
            s.push_str(&p.label);
            s.push_str(": ");
            s.push_str(&p.statement);
        }
        s
    }
}

/// The rules of a complete tagging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub max_secondary_categories: usize,
    pub min_principles_for_approval: usize,
    pub ranked_values: usize,
}

/// The whole vocabulary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Taxonomy {
    pub categories: Vec<Entry>,
    pub principles: Vec<Entry>,
    pub values: Vec<Entry>,
    pub rules: Rules,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTaxonomy {
    rules: Spanned<Rules>,
    categories: Option<Spanned<Vec<RawEntry>>>,
    principles: Option<Spanned<Vec<RawEntry>>>,
    values: Option<Spanned<Vec<RawEntry>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: Spanned<String>,
    label: Spanned<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    keywords: Vec<String>,
    #[serde(default)]
    sub_points: Vec<SubPoint>,
    #[serde(default)]
    speaks_for: Vec<Spanned<String>>,
}

impl Default for Taxonomy {
    fn default() -> Self {
        Taxonomy::builtin()
    }
}

impl Taxonomy {
    /// The compiled-in taxonomy. A test proves it parses.
    #[allow(clippy::panic, reason = "compiled-in data, proven valid by a test")]
    pub fn builtin() -> Taxonomy {
        match Taxonomy::parse(BUILTIN_TAXONOMY, Path::new("data/taxonomy.toml")) {
            Ok(t) => t,
            Err(p) => panic!("the built-in taxonomy is invalid: {p}"),
        }
    }

    /// Reads and checks a taxonomy file: a regular file of at most
    /// [`MAX_TAXONOMY_BYTES`].
    pub fn load(path: &Path) -> Result<Taxonomy, Problem> {
        let bytes = match crate::fs::read_regular(path, MAX_TAXONOMY_BYTES) {
            Ok(Some(b)) => b,
            Ok(None) => return Err(Problem::file(path, "cannot read: no such file")),
            Err(e) => return Err(Problem::file(path, e.to_string())),
        };
        let text = String::from_utf8(bytes).map_err(|e| {
            let offset = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Problem::at_offset(path, &text, offset, "not valid UTF-8")
        })?;
        Taxonomy::parse(&text, path)
    }

    /// Parses and checks a taxonomy; `path` is only used in messages.
    pub fn parse(text: &str, path: &Path) -> Result<Taxonomy, Problem> {
        let raw: RawTaxonomy = toml::from_str(text).map_err(|e| toml_problem(path, text, &e))?;
        let at = |span: Range<usize>, msg: String| Problem::at_offset(path, text, span.start, msg);

        let rules_span = raw.rules.span();
        let rules = raw.rules.into_inner();
        let mut lists = Vec::new();
        // every `speaks_for` id, checked once the values are known
        let mut speaks_for: Vec<(Range<usize>, String)> = Vec::new();
        for (kind, list) in [
            (Kind::Category, raw.categories),
            (Kind::Principle, raw.principles),
            (Kind::Value, raw.values),
        ] {
            let Some(list) = list else {
                return Err(Problem::file(path, format!("no {} defined", kind.plural())));
            };
            let span = list.span();
            let list = list.into_inner();
            if list.is_empty() {
                return Err(at(span, format!("the list of {} is empty", kind.plural())));
            }
            let mut entries: Vec<Entry> = Vec::with_capacity(list.len());
            // ids and lower-case labels seen so far, so that a long list is
            // checked for repeats in linear time
            let mut ids: HashSet<String> = HashSet::with_capacity(list.len());
            let mut labels: HashMap<String, String> = HashMap::with_capacity(list.len());
            for e in list {
                let id = e.id.get_ref();
                if !is_slug(id) {
                    return Err(at(
                        e.id.span(),
                        format!(
                            "{} id {id:?} must be lower-case letters, digits and single hyphens",
                            kind.singular()
                        ),
                    ));
                }
                if !ids.insert(id.clone()) {
                    return Err(at(
                        e.id.span(),
                        format!("duplicate {} id {id:?}", kind.singular()),
                    ));
                }
                if e.label.get_ref().trim().is_empty() {
                    return Err(at(
                        e.label.span(),
                        format!("{} {id:?} has an empty label", kind.singular()),
                    ));
                }
                let lower = e.label.get_ref().to_lowercase();
                if let Some(dup) = labels.get(&lower) {
                    return Err(at(
                        e.label.span(),
                        format!(
                            "{} label {:?} is already used by {:?}",
                            kind.singular(),
                            e.label.get_ref(),
                            dup
                        ),
                    ));
                }
                labels.insert(lower, id.clone());
                if kind == Kind::Value
                    && let Some(first) = e.speaks_for.first()
                {
                    return Err(at(
                        first.span(),
                        format!(
                            "value {id:?} cannot speak for values; speaks_for belongs to categories and principles"
                        ),
                    ));
                }
                speaks_for.extend(e.speaks_for.iter().map(|v| (v.span(), v.get_ref().clone())));
                entries.push(Entry {
                    id: e.id.into_inner(),
                    label: e.label.into_inner(),
                    description: e.description,
                    aliases: e.aliases,
                    keywords: e.keywords,
                    sub_points: e.sub_points,
                    speaks_for: e.speaks_for.into_iter().map(Spanned::into_inner).collect(),
                });
            }
            lists.push(entries);
        }
        let values = lists.pop().unwrap_or_default();
        let principles = lists.pop().unwrap_or_default();
        let categories = lists.pop().unwrap_or_default();

        for (span, id) in speaks_for {
            if !values.iter().any(|v| v.id == id) {
                return Err(at(
                    span,
                    format!("speaks_for names {id:?}, which is not a value id"),
                ));
            }
        }

        let rule_err = |msg: String| at(rules_span.clone(), msg);
        if rules.max_secondary_categories >= categories.len() {
            return Err(rule_err(format!(
                "max_secondary_categories = {} is impossible with {} categories (at most {})",
                rules.max_secondary_categories,
                categories.len(),
                categories.len() - 1
            )));
        }
        if rules.min_principles_for_approval > principles.len() {
            return Err(rule_err(format!(
                "min_principles_for_approval = {} is more than the {} principles defined",
                rules.min_principles_for_approval,
                principles.len()
            )));
        }
        if rules.ranked_values == 0 || rules.ranked_values > values.len() {
            return Err(rule_err(format!(
                "ranked_values = {} must be between 1 and the {} values defined",
                rules.ranked_values,
                values.len()
            )));
        }
        Ok(Taxonomy {
            categories,
            principles,
            values,
            rules,
        })
    }

    pub fn entries(&self, kind: Kind) -> &[Entry] {
        match kind {
            Kind::Category => &self.categories,
            Kind::Principle => &self.principles,
            Kind::Value => &self.values,
        }
    }

    /// The position of `id` in its list.
    pub fn index_of(&self, kind: Kind, id: &str) -> Option<usize> {
        self.entries(kind).iter().position(|e| e.id == id)
    }

    pub fn get(&self, kind: Kind, id: &str) -> Option<&Entry> {
        self.entries(kind).iter().find(|e| e.id == id)
    }

    /// The label of `id`, or the id itself when unknown.
    pub fn label<'a>(&'a self, kind: Kind, id: &'a str) -> &'a str {
        self.get(kind, id).map_or(id, |e| e.label.as_str())
    }

    /// Finds an entry named by its id or label, in any letter case, ignoring
    /// punctuation and "&" versus "and" ("Health and social care").
    pub fn resolve(&self, kind: Kind, name: &str) -> Option<&Entry> {
        let key = slugify(name);
        if key.is_empty() {
            return None;
        }
        let entries = self.entries(kind);
        entries
            .iter()
            .find(|e| e.id == key)
            .or_else(|| entries.iter().find(|e| slugify(&e.label) == key))
            .or_else(|| {
                entries
                    .iter()
                    .find(|e| e.aliases.iter().any(|a| slugify(a) == key))
            })
    }

    /// Sorts ids into taxonomy order (unknown ids last, in their given order) and
    /// drops repeats.
    pub fn sort_ids(&self, kind: Kind, ids: &mut Vec<String>) {
        let mut seen = std::collections::HashSet::new();
        ids.retain(|id| seen.insert(id.clone()));
        ids.sort_by_key(|id| self.index_of(kind, id).unwrap_or(usize::MAX));
    }
}

/// Where a taxonomy comes from, for messages.
pub fn source_name(path: Option<&Path>) -> PathBuf {
    path.map_or_else(|| PathBuf::from("data/taxonomy.toml"), Path::to_path_buf)
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Lower-case words joined by hyphens; "&" reads as "and".
pub fn slugify(s: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    let s = s.replace('&', " and ");
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else if c != '\'' && c != '\u{2019}' {
            pending_dash = true;
        }
    }
    out
}

/// Turns a TOML parse error into a positioned problem.
pub fn toml_problem(path: &Path, text: &str, e: &toml::de::Error) -> Problem {
    let msg = e.message().trim().to_string();
    match e.span() {
        Some(span) => Problem::at_offset(path, text, span.start, msg),
        None => Problem::file(path, msg),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Taxonomy, Problem> {
        Taxonomy::parse(text, Path::new("t.toml"))
    }

    const MINI: &str = r#"
[rules]
max_secondary_categories = 1
min_principles_for_approval = 1
ranked_values = 2

[[categories]]
id = "a"
label = "A"
[[categories]]
id = "b"
label = "B & C"

[[principles]]
id = "p"
label = "P"

[[values]]
id = "x"
label = "X"
[[values]]
id = "y"
label = "Y"
"#;

    #[test]
    fn builtin_has_the_approved_vocabulary() {
        let t = Taxonomy::builtin();
        assert_eq!(t.categories.len(), 12);
        assert_eq!(t.principles.len(), 10);
        assert_eq!(t.values.len(), 10);
        assert_eq!(t.categories[0].label, "Climate Change and Environment");
        assert_eq!(t.categories[11].label, "Young People");
        assert_eq!(
            t.get(Kind::Principle, "walking-the-talk")
                .map(|e| e.sub_points.len()),
            Some(6)
        );
        assert_eq!(t.rules.max_secondary_categories, 3);
        assert_eq!(t.rules.min_principles_for_approval, 1);
        assert_eq!(t.rules.ranked_values, 3);
        let values: Vec<&str> = t.values.iter().map(|v| v.id.as_str()).collect();
        assert_eq!(
            values,
            [
                "self-help",
                "self-responsibility",
                "democracy",
                "equality",
                "equity",
                "solidarity",
                "honesty",
                "openness",
                "social-responsibility",
                "caring-for-others"
            ]
        );
        for kind in Kind::ALL {
            for e in t.entries(kind) {
                assert!(!e.description.is_empty(), "{} has no description", e.id);
                assert!(!e.keywords.is_empty(), "{} has no keywords", e.id);
            }
        }
    }

    #[test]
    fn resolve_accepts_ids_labels_and_case() {
        let t = Taxonomy::builtin();
        for name in [
            "health-social-care",
            "Health & Social Care",
            "HEALTH AND SOCIAL CARE",
        ] {
            assert_eq!(
                t.resolve(Kind::Category, name).map(|e| e.id.as_str()),
                Some("health-social-care"),
                "{name}"
            );
        }
        assert_eq!(
            t.resolve(Kind::Value, "caring for others")
                .map(|e| e.id.as_str()),
            Some("caring-for-others")
        );
        assert!(t.resolve(Kind::Value, "greed").is_none());
        assert!(t.resolve(Kind::Value, "  ").is_none());
    }

    #[test]
    fn sort_ids_uses_taxonomy_order_and_drops_repeats() {
        let t = Taxonomy::builtin();
        let mut ids = vec![
            "poverty".to_string(),
            "zzz".into(),
            "community".into(),
            "poverty".into(),
        ];
        t.sort_ids(Kind::Category, &mut ids);
        assert_eq!(ids, ["community", "poverty", "zzz"]);
    }

    #[test]
    fn speaks_for_names_values_only() {
        let t = parse(&MINI.replace("label = \"P\"", "label = \"P\"\nspeaks_for = [\"y\"]"))
            .expect("parses");
        assert_eq!(
            t.get(Kind::Principle, "p").map(|e| e.speaks_for.clone()),
            Some(vec!["y".to_string()])
        );
        let p = parse(&MINI.replace("label = \"P\"", "label = \"P\"\nspeaks_for = [\"z\"]"))
            .unwrap_err();
        assert!(p.message.contains("\"z\", which is not a value id"), "{p}");
        assert_eq!(p.line, Some(17));
        let p = parse(&MINI.replace("label = \"X\"", "label = \"X\"\nspeaks_for = [\"y\"]"))
            .unwrap_err();
        assert!(p.message.contains("cannot speak for values"), "{p}");
        // every principle of the built-in taxonomy but innovation speaks for a value
        let b = Taxonomy::builtin();
        for e in &b.principles {
            assert_eq!(e.speaks_for.is_empty(), e.id == "innovation", "{}", e.id);
        }
    }

    #[test]
    fn minimal_taxonomy_parses() {
        let t = parse(MINI).expect("parses");
        assert_eq!(t.rules.ranked_values, 2);
        assert_eq!(
            t.resolve(Kind::Category, "b and c").map(|e| e.id.as_str()),
            Some("b")
        );
    }

    #[test]
    fn duplicate_id_names_its_line() {
        let text = MINI.replace("id = \"b\"", "id = \"a\"");
        let p = parse(&text).unwrap_err();
        assert_eq!(p.line, Some(11), "{p}");
        assert!(p.message.contains("duplicate category id \"a\""), "{p}");
        assert!(p.to_string().starts_with("t.toml:11:"), "{p}");
    }

    #[test]
    fn impossible_rules_are_refused() {
        let p = parse(&MINI.replace("ranked_values = 2", "ranked_values = 3")).unwrap_err();
        assert!(p.message.contains("ranked_values = 3"), "{p}");
        assert_eq!(p.line, Some(2), "{p}");
        let p = parse(&MINI.replace(
            "max_secondary_categories = 1",
            "max_secondary_categories = 2",
        ))
        .unwrap_err();
        assert!(p.message.contains("impossible"), "{p}");
        let p = parse(&MINI.replace(
            "min_principles_for_approval = 1",
            "min_principles_for_approval = 5",
        ))
        .unwrap_err();
        assert!(p.message.contains("min_principles_for_approval"), "{p}");
    }

    #[test]
    fn empty_or_missing_lists_are_refused() {
        let no_values = MINI
            .split("[[values]]")
            .next()
            .unwrap_or_default()
            .to_string();
        let p = parse(&no_values).unwrap_err();
        assert!(p.message.contains("no values"), "{p}");
        let p = parse(&format!("{MINI}\n")).map(|_| ()).and_then(|_| {
            parse(&MINI.replace(
                "[[principles]]\nid = \"p\"\nlabel = \"P\"\n",
                "principles = []\n",
            ))
            .map(|_| ())
        });
        let p = p.unwrap_err();
        assert!(p.message.contains("principles"), "{p}");
    }

    #[test]
    fn bad_ids_unknown_keys_and_syntax_are_positioned() {
        let p = parse(&MINI.replace("id = \"p\"", "id = \"Bad Id\"")).unwrap_err();
        assert!(p.message.contains("lower-case"), "{p}");
        assert_eq!(p.line, Some(15));
        let p = parse(&MINI.replace("label = \"P\"", "label = \"P\"\ncolour = 3")).unwrap_err();
        assert!(p.message.contains("colour"), "{p}");
        assert!(p.line.is_some(), "{p}");
        let p = parse("[rules\n").unwrap_err();
        assert_eq!(p.line, Some(1), "{p}");
        let p = parse(&MINI.replace("label = \"B & C\"", "label = \"a\"")).unwrap_err();
        assert!(p.message.contains("already used"), "{p}");
    }

    #[test]
    fn slugify_folds_punctuation() {
        assert_eq!(slugify("Health & Social Care"), "health-and-social-care");
        assert_eq!(
            slugify("  Co-operation among members "),
            "co-operation-among-members"
        );
        assert_eq!(slugify("Network's work"), "networks-work");
    }
}
