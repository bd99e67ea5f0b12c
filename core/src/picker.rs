//! The one picker behind the category, principle and value pop-ups.
//!
//! A [`Picker`] is plain state: a list of [`PickItem`]s, a filter query, a cursor
//! and the [`Selection`] being built. Key presses arrive as [`PickerEvent`]s and
//! [`Picker::handle`] answers with an [`Outcome`]; the renderer reads the state
//! through the accessors. Nothing here touches the terminal.
//!
//! Three modes ([`PickMode`]) share the filter and the cursor and differ only in
//! what toggling means: a primary plus secondaries (categories), any number
//! (principles), or an ordered top `n` (values).
//!
//! The picker never changes anything outside itself: the caller gets the new
//! selection only from [`Outcome::Confirmed`] and keeps what it had on
//! [`Outcome::Cancelled`].

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::taxonomy::{Kind, Taxonomy};

/// How many rows PageUp and PageDown move.
pub const PAGE: usize = 10;

/// The longest filter query, in characters. Further typing is ignored: no entry
/// is matched by a longer one, and it bounds the matcher's work per key.
pub const MAX_QUERY_CHARS: usize = 100;

/// Weights of the three places a query can match: a match in the label counts
/// most, one in the (long, wordy) description least.
const LABEL_WEIGHT: i64 = 3;
const ALIAS_WEIGHT: i64 = 2;
const DESCRIPTION_WEIGHT: i64 = 1;

/// The least (unweighted) score per query character for a description match to
/// count: the matcher's base score for one matched character. Over a long text
/// almost any short query matches letter by letter, far apart ("pov" in
/// "**p**r**o**gressi**v**e"); such matches lose more to gaps than they gain in
/// bonuses and fall below this, while the query as a word or a run of words
/// stays above it. Labels and aliases are short and keep every fuzzy match
/// (initials such as "cwb" are the point of them).
const DESCRIPTION_MIN_PER_CHAR: i64 = 16;

/// What the picker builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickMode {
    /// Categories: exactly one primary plus up to `max_secondary` secondaries.
    PrimaryAndSecondary { max_secondary: usize },
    /// Principles: any number.
    Many,
    /// Values: an ordered list of at most `n`; order of picking is the rank.
    Ranked { n: usize },
}

impl PickMode {
    /// The mode of the picker for `kind`, from the taxonomy's rules.
    pub fn for_kind(taxonomy: &Taxonomy, kind: Kind) -> PickMode {
        match kind {
            Kind::Category => PickMode::PrimaryAndSecondary {
                max_secondary: taxonomy.rules.max_secondary_categories,
            },
            Kind::Principle => PickMode::Many,
            Kind::Value => PickMode::Ranked {
                n: taxonomy.rules.ranked_values,
            },
        }
    }
}

/// One entry the officer can pick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PickItem {
    /// What the selection holds. Ids should be unique; items sharing an id are
    /// chosen and unchosen together.
    pub id: String,
    pub label: String,
    /// Extra words the filter matches.
    pub aliases: Vec<String>,
    /// Shown in the preview pane; the filter matches it too.
    pub description: String,
    /// Marked by the renderer as suggested for this submission. Preselection is
    /// the caller's business (through the initial selection).
    pub suggested: bool,
}

/// What has been picked, by id.
///
/// - [`PickMode::PrimaryAndSecondary`]: `primary` plus `chosen` = the
///   secondaries, in item (taxonomy) order, never containing the primary.
/// - [`PickMode::Many`]: `chosen` in item order; `primary` is `None`.
/// - [`PickMode::Ranked`]: `chosen` in rank order (first is rank 1); `primary`
///   is `None`.
///
/// Ids unknown to the picker's items keep their place (see
/// [`Picker::unknown_chosen`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selection {
    pub primary: Option<String>,
    pub chosen: Vec<String>,
}

/// One line of the filtered list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Index into [`Picker::items`].
    pub item: usize,
    /// The weighted match score (0 for an empty query); higher is better.
    pub score: i64,
    /// Character (not byte) indices in the label to highlight; empty when the
    /// label itself did not match.
    pub label_matches: Vec<usize>,
    /// Where the best-scoring match was.
    pub matched_in: MatchedIn,
}

/// Where a row's query matched best.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchedIn {
    /// The query is empty: every item is listed.
    All,
    Label,
    Alias,
    Description,
}

/// What the officer asked the picker to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickerEvent {
    Up,
    Down,
    PageUp,
    PageDown,
    Toggle,
    SetPrimary,
    RankUp,
    RankDown,
    Remove,
    ClearQuery,
    Backspace,
    Type(char),
    Confirm,
    Cancel,
}

/// The picker's answer to an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Still open.
    Continue,
    /// Closed with this selection.
    Confirmed(Selection),
    /// Closed; the caller keeps what it had.
    Cancelled,
    /// Not done, with the reason to show; the picker stays open and unchanged.
    Refused(String),
}

/// An item's texts as the matcher sees them (see [`fold`]).
#[derive(Debug, Clone)]
struct Haystack {
    label: String,
    aliases: Vec<String>,
    description: String,
}

/// A fuzzy picker over a fixed list of items.
pub struct Picker {
    title: String,
    mode: PickMode,
    items: Vec<PickItem>,
    haystacks: Vec<Haystack>,
    /// Nouns for messages ("category"/"categories").
    singular: String,
    plural: String,
    selection: Selection,
    /// The selection as it was opened, normalised: to tell whether anything changed.
    initial: Selection,
    query: String,
    rows: Vec<Row>,
    cursor: usize,
    matcher: SkimMatcherV2,
}

impl std::fmt::Debug for Picker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Picker")
            .field("title", &self.title)
            .field("mode", &self.mode)
            .field("items", &self.items.len())
            .field("selection", &self.selection)
            .field("query", &self.query)
            .field("cursor", &self.cursor)
            .finish_non_exhaustive()
    }
}

impl Picker {
    /// A picker over `items` starting from `initial`.
    ///
    /// `initial` is normalised, never trimmed: repeated ids are dropped, a
    /// primary is removed from the secondaries, `Many` and the secondaries are put
    /// in item order, and in the modes without a primary an initial primary is
    /// folded into `chosen` (first, for `Ranked`). A selection over the mode's
    /// limits (a hand-edited record) is kept as it is: adding more is refused and
    /// Confirm asks for removals first. Ids not among `items` are kept (see
    /// [`Picker::unknown_chosen`]).
    pub fn new(title: &str, mode: PickMode, items: Vec<PickItem>, initial: Selection) -> Picker {
        let haystacks = items
            .iter()
            .map(|it| Haystack {
                label: fold(&it.label),
                aliases: it.aliases.iter().map(|a| fold(a)).collect(),
                description: fold(&it.description),
            })
            .collect();
        let mut picker = Picker {
            title: title.to_string(),
            mode,
            items,
            haystacks,
            singular: "entry".into(),
            plural: "entries".into(),
            selection: Selection::default(),
            initial: Selection::default(),
            query: String::new(),
            rows: Vec::new(),
            cursor: 0,
            matcher: SkimMatcherV2::default().ignore_case(),
        };
        let initial = picker.normalised_initial(initial);
        picker.selection = initial.clone();
        picker.initial = initial;
        picker.refilter();
        picker
    }

    /// The picker for one list of a taxonomy: its mode from the taxonomy's rules,
    /// titled with the list's name, items marked `suggested` when their id is in
    /// `suggested`. An item's description is the entry's full statement (with
    /// the sub-points of "Walking the talk"), for the preview and the filter.
    pub fn for_kind(
        taxonomy: &Taxonomy,
        kind: Kind,
        initial: Selection,
        suggested: &[String],
    ) -> Picker {
        let items = taxonomy
            .entries(kind)
            .iter()
            .map(|e| PickItem {
                id: e.id.clone(),
                label: e.label.clone(),
                aliases: e.aliases.clone(),
                description: e.full_statement(),
                suggested: suggested.contains(&e.id),
            })
            .collect();
        let title = match kind {
            Kind::Category => "Categories",
            Kind::Principle => "Principles",
            Kind::Value => "Values",
        };
        Picker::new(title, PickMode::for_kind(taxonomy, kind), items, initial)
            .with_nouns(kind.singular(), kind.plural())
    }

    /// Names the entries in messages ("at most 3 secondary categories"); the
    /// default is "entry"/"entries".
    pub fn with_nouns(mut self, singular: &str, plural: &str) -> Picker {
        self.singular = singular.to_string();
        self.plural = plural.to_string();
        self
    }

    /// Applies one event.
    ///
    /// - Up/Down move one row and PageUp/PageDown [`PAGE`] rows, stopping at the
    ///   ends (no wrap-around).
    /// - Typing, Backspace and ClearQuery change the filter and put the cursor on
    ///   the first (best) row. Control characters are not typed, and the query
    ///   stops growing at [`MAX_QUERY_CHARS`].
    /// - Toggle, SetPrimary, Remove, RankUp and RankDown act on the highlighted
    ///   item, as described on [`PickMode`]'s modes below; with no highlighted
    ///   item (an empty list, or a filter matching nothing) they do nothing. The
    ///   cursor and query stay where they are.
    ///
    /// Categories (`PrimaryAndSecondary`):
    /// - SetPrimary makes the highlighted item the primary; if it was a
    ///   secondary it stops being one; the old primary is dropped, not demoted.
    /// - Toggle on the primary removes the primary; on a secondary removes it;
    ///   otherwise, with no primary yet, makes the item the primary (one key does
    ///   the common thing), else adds it as a secondary, refused beyond
    ///   `max_secondary`.
    /// - Remove un-picks the highlighted item, primary or secondary.
    /// - Confirm is refused while there are secondaries but no primary, or more
    ///   secondaries than allowed; nothing at all is fine (it clears the field).
    ///
    /// Principles (`Many`): Toggle adds or removes; Remove removes.
    ///
    /// Values (`Ranked { n }`): Toggle on an unranked item gives it the next rank,
    /// refused when `n` are ranked; on a ranked item it removes it (later ranks
    /// move up), as does Remove. RankUp/RankDown swap the highlighted item with
    /// its neighbour in the ranking (nothing at the ends, or when unranked).
    /// Confirm accepts fewer than `n` (a tagging in progress), not more.
    ///
    /// SetPrimary outside categories and RankUp/RankDown outside values are
    /// refused with a reason, so a mistaken key is not silent.
    ///
    /// Ids unknown to the items (a record from an older taxonomy) stay in the
    /// selection until the officer changes it: the first change made here drops
    /// them, as a record keeps unknown values "until the officer changes that
    /// field" (DESIGN §4). Confirming without a change returns them as they were.
    pub fn handle(&mut self, ev: PickerEvent) -> Outcome {
        match ev {
            PickerEvent::Up => self.move_cursor(-1),
            PickerEvent::Down => self.move_cursor(1),
            PickerEvent::PageUp => self.move_cursor(-(PAGE as isize)),
            PickerEvent::PageDown => self.move_cursor(PAGE as isize),
            PickerEvent::Type(c) => {
                if !c.is_control() && self.query.chars().count() < MAX_QUERY_CHARS {
                    self.query.push(c);
                    self.refilter();
                }
                Outcome::Continue
            }
            PickerEvent::Backspace => {
                if self.query.pop().is_some() {
                    self.refilter();
                }
                Outcome::Continue
            }
            PickerEvent::ClearQuery => {
                if !self.query.is_empty() {
                    self.query.clear();
                    self.refilter();
                }
                Outcome::Continue
            }
            PickerEvent::Toggle => self.toggle(),
            PickerEvent::SetPrimary => self.set_primary(),
            PickerEvent::Remove => self.remove(),
            PickerEvent::RankUp => self.move_rank(-1),
            PickerEvent::RankDown => self.move_rank(1),
            PickerEvent::Confirm => match self.confirm_refusal() {
                Some(why) => Outcome::Refused(why),
                None => Outcome::Confirmed(self.selection.clone()),
            },
            PickerEvent::Cancel => Outcome::Cancelled,
        }
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    /// The items the query matches, best first; ties (and an empty query) keep
    /// item order.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Index into [`Picker::rows`]; 0 when there are no rows.
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// The item under the cursor, for the preview pane.
    pub fn highlighted(&self) -> Option<&PickItem> {
        self.highlighted_index().and_then(|i| self.items.get(i))
    }

    /// The index (into [`Picker::items`]) of the item under the cursor.
    pub fn highlighted_index(&self) -> Option<usize> {
        self.rows.get(self.cursor).map(|r| r.item)
    }

    pub fn items(&self) -> &[PickItem] {
        &self.items
    }

    /// The selection as it stands (what Confirm would return).
    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    /// Whether the selection differs from the one the picker was opened with.
    pub fn is_changed(&self) -> bool {
        self.selection != self.initial
    }

    /// Whether the item is in `selection().chosen`: picked (`Many`), ranked
    /// (`Ranked`) or a secondary (`PrimaryAndSecondary`; the primary is reported
    /// by [`Picker::is_primary`], not here).
    pub fn is_chosen(&self, item: usize) -> bool {
        self.items
            .get(item)
            .is_some_and(|it| self.selection.chosen.contains(&it.id))
    }

    /// The item's 1-based rank in `Ranked` mode.
    pub fn rank_of(&self, item: usize) -> Option<usize> {
        if !matches!(self.mode, PickMode::Ranked { .. }) {
            return None;
        }
        let id = &self.items.get(item)?.id;
        self.selection
            .chosen
            .iter()
            .position(|c| c == id)
            .map(|p| p + 1)
    }

    pub fn is_primary(&self, item: usize) -> bool {
        self.items
            .get(item)
            .is_some_and(|it| self.selection.primary.as_ref() == Some(&it.id))
    }

    pub fn mode(&self) -> PickMode {
        self.mode
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    /// Ids in the selection that are not among the items (primary first), not
    /// listed as rows. They stay until the selection is first changed.
    pub fn unknown_chosen(&self) -> Vec<&str> {
        self.selection
            .primary
            .iter()
            .chain(&self.selection.chosen)
            .filter(|id| self.index_of(id).is_none())
            .map(String::as_str)
            .collect()
    }

    /// A one-line summary of the selection in labels, e.g.
    /// "primary: Community; also: Poverty, Housing", "Innovation, Learning" or
    /// "1. Solidarity 2. Democracy 3. —". An unknown id shows as
    /// "id (unknown)"; nothing picked shows as "—".
    pub fn summary(&self) -> String {
        let chosen: Vec<String> = self
            .selection
            .chosen
            .iter()
            .map(|id| self.label_of(id))
            .collect();
        match self.mode {
            PickMode::PrimaryAndSecondary { .. } => {
                let primary = self
                    .selection
                    .primary
                    .as_deref()
                    .map_or_else(|| "—".to_string(), |id| self.label_of(id));
                if chosen.is_empty() {
                    format!("primary: {primary}")
                } else {
                    format!("primary: {primary}; also: {}", chosen.join(", "))
                }
            }
            PickMode::Many => {
                if chosen.is_empty() {
                    "—".to_string()
                } else {
                    chosen.join(", ")
                }
            }
            PickMode::Ranked { n } => {
                let slots = n.max(chosen.len());
                if slots == 0 {
                    return "—".to_string();
                }
                (0..slots)
                    .map(|i| {
                        let label = chosen.get(i).map_or("—", String::as_str);
                        format!("{}. {label}", i + 1)
                    })
                    .collect::<Vec<_>>()
                    .join(" ")
            }
        }
    }

    /// The first row to draw in a list `height` rows tall so that the cursor is
    /// visible. Stateless: the cursor moves freely on the first screen, then
    /// stays in the middle while the list scrolls, and moves down again near the
    /// end; the window never runs past the last row.
    pub fn scroll_offset_for(&self, height: usize) -> usize {
        let len = self.rows.len();
        if height == 0 || len <= height {
            return 0;
        }
        let max_offset = len - height;
        self.cursor.saturating_sub(height / 2).min(max_offset)
    }

    // ----- filtering -----

    /// Recomputes the rows for the query and puts the cursor on the first row.
    fn refilter(&mut self) {
        self.cursor = 0;
        let pattern = fold(self.query.trim());
        if pattern.is_empty() {
            self.rows = (0..self.items.len())
                .map(|item| Row {
                    item,
                    score: 0,
                    label_matches: Vec::new(),
                    matched_in: MatchedIn::All,
                })
                .collect();
            return;
        }
        let mut rows: Vec<Row> = self
            .haystacks
            .iter()
            .enumerate()
            .filter_map(|(item, hay)| self.score(item, hay, &pattern))
            .collect();
        // Stable: equal scores keep item order.
        rows.sort_by_key(|r| std::cmp::Reverse(r.score));
        self.rows = rows;
    }

    /// The row for one item, if the (folded) pattern matches it anywhere. The
    /// score is the best of the weighted label, alias and description scores;
    /// on equal scores the label wins over an alias, an alias over the
    /// description.
    fn score(&self, item: usize, hay: &Haystack, pattern: &str) -> Option<Row> {
        let label = self.matcher.fuzzy_indices(&hay.label, pattern);
        let alias = hay
            .aliases
            .iter()
            .filter_map(|a| self.matcher.fuzzy_match(a, pattern))
            .max();
        let min_description = DESCRIPTION_MIN_PER_CHAR
            .saturating_mul(i64::try_from(pattern.chars().count()).unwrap_or(i64::MAX));
        let description = self
            .matcher
            .fuzzy_match(&hay.description, pattern)
            .filter(|&s| s >= min_description);

        let mut best: Option<(i64, MatchedIn)> = None;
        let candidates = [
            (
                label.as_ref().map(|(s, _)| *s * LABEL_WEIGHT),
                MatchedIn::Label,
            ),
            (alias.map(|s| s * ALIAS_WEIGHT), MatchedIn::Alias),
            (
                description.map(|s| s * DESCRIPTION_WEIGHT),
                MatchedIn::Description,
            ),
        ];
        for (score, place) in candidates {
            if let Some(score) = score
                && best.is_none_or(|(b, _)| score > b)
            {
                best = Some((score, place));
            }
        }
        let (score, matched_in) = best?;
        Some(Row {
            item,
            score,
            label_matches: label.map(|(_, idx)| idx).unwrap_or_default(),
            matched_in,
        })
    }

    fn move_cursor(&mut self, delta: isize) -> Outcome {
        let last = self.rows.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        Outcome::Continue
    }

    // ----- picking -----

    fn index_of(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|it| it.id == id)
    }

    fn label_of(&self, id: &str) -> String {
        match self.index_of(id).and_then(|i| self.items.get(i)) {
            Some(it) => it.label.clone(),
            None => format!("{id} (unknown)"),
        }
    }

    /// Applies `change` to the selection, with unknown ids dropped, and keeps the
    /// result if it differs. A refusal leaves everything as it was, unknown ids
    /// included; so does a change that changes nothing.
    fn edit(
        &mut self,
        change: impl FnOnce(&Picker, &mut Selection) -> Result<(), String>,
    ) -> Outcome {
        let mut base = self.selection.clone();
        base.primary = base.primary.filter(|p| self.index_of(p).is_some());
        base.chosen.retain(|c| self.index_of(c).is_some());
        let mut next = base.clone();
        if let Err(why) = change(self, &mut next) {
            return Outcome::Refused(why);
        }
        self.sort_chosen(&mut next.chosen);
        if next != base {
            self.selection = next;
        }
        Outcome::Continue
    }

    /// Puts `chosen` in item order (unknown ids last, as they were) unless the
    /// order is the ranking.
    fn sort_chosen(&self, chosen: &mut [String]) {
        if !matches!(self.mode, PickMode::Ranked { .. }) {
            chosen.sort_by_key(|id| self.index_of(id).unwrap_or(usize::MAX));
        }
    }

    fn highlighted_id(&self) -> Option<String> {
        self.highlighted().map(|it| it.id.clone())
    }

    fn toggle(&mut self) -> Outcome {
        let Some(id) = self.highlighted_id() else {
            return Outcome::Continue;
        };
        match self.mode {
            PickMode::PrimaryAndSecondary { max_secondary } => self.edit(|p, sel| {
                if sel.primary.as_ref() == Some(&id) {
                    sel.primary = None;
                } else if sel.chosen.contains(&id) {
                    sel.chosen.retain(|c| *c != id);
                } else if sel.primary.is_none() {
                    sel.primary = Some(id);
                } else if sel.chosen.len() >= max_secondary {
                    return Err(p.too_many_secondaries(max_secondary));
                } else {
                    sel.chosen.push(id);
                }
                Ok(())
            }),
            PickMode::Many => self.edit(|_, sel| {
                if sel.chosen.contains(&id) {
                    sel.chosen.retain(|c| *c != id);
                } else {
                    sel.chosen.push(id);
                }
                Ok(())
            }),
            PickMode::Ranked { n } => self.edit(|p, sel| {
                if sel.chosen.contains(&id) {
                    sel.chosen.retain(|c| *c != id);
                } else if sel.chosen.len() >= n {
                    return Err(if n == 0 {
                        format!("no {} can be ranked here", p.plural)
                    } else {
                        format!("already {n} {}: remove one first", p.plural)
                    });
                } else {
                    sel.chosen.push(id);
                }
                Ok(())
            }),
        }
    }

    fn set_primary(&mut self) -> Outcome {
        let Some(id) = self.highlighted_id() else {
            return Outcome::Continue;
        };
        if !matches!(self.mode, PickMode::PrimaryAndSecondary { .. }) {
            return Outcome::Refused(format!("{} have no primary: toggle to pick", self.plural));
        }
        self.edit(|_, sel| {
            sel.chosen.retain(|c| *c != id);
            sel.primary = Some(id);
            Ok(())
        })
    }

    fn remove(&mut self) -> Outcome {
        let Some(id) = self.highlighted_id() else {
            return Outcome::Continue;
        };
        let picked =
            self.selection.primary.as_ref() == Some(&id) || self.selection.chosen.contains(&id);
        if !picked {
            return Outcome::Continue;
        }
        self.edit(|_, sel| {
            if sel.primary.as_ref() == Some(&id) {
                sel.primary = None;
            }
            sel.chosen.retain(|c| *c != id);
            Ok(())
        })
    }

    fn move_rank(&mut self, delta: isize) -> Outcome {
        let Some(id) = self.highlighted_id() else {
            return Outcome::Continue;
        };
        if !matches!(self.mode, PickMode::Ranked { .. }) {
            return Outcome::Refused(format!("{} are not ranked", self.plural));
        }
        if !self.selection.chosen.contains(&id) {
            return Outcome::Continue;
        }
        self.edit(|_, sel| {
            if let Some(from) = sel.chosen.iter().position(|c| *c == id)
                && let Some(to) = from.checked_add_signed(delta)
                && to < sel.chosen.len()
            {
                sel.chosen.swap(from, to);
            }
            Ok(())
        })
    }

    fn too_many_secondaries(&self, max: usize) -> String {
        if max == 0 {
            format!("no secondary {} are allowed", self.plural)
        } else {
            format!("at most {max} secondary {}", self.plural)
        }
    }

    /// Why the selection cannot be confirmed as it is, if it cannot.
    fn confirm_refusal(&self) -> Option<String> {
        let sel = &self.selection;
        match self.mode {
            PickMode::PrimaryAndSecondary { max_secondary } => {
                if sel.primary.is_none() && !sel.chosen.is_empty() {
                    Some(format!("choose a primary {} first", self.singular))
                } else if sel.chosen.len() > max_secondary {
                    Some(format!(
                        "{}: remove {}",
                        self.too_many_secondaries(max_secondary),
                        sel.chosen.len() - max_secondary
                    ))
                } else {
                    None
                }
            }
            PickMode::Many => None,
            PickMode::Ranked { n } => (sel.chosen.len() > n).then(|| {
                format!(
                    "at most {n} {}: remove {}",
                    self.plural,
                    sel.chosen.len() - n
                )
            }),
        }
    }

    /// The initial selection in this picker's shape (see [`Picker::new`]).
    fn normalised_initial(&self, initial: Selection) -> Selection {
        let Selection { primary, chosen } = initial;
        let mut out = Vec::with_capacity(chosen.len() + 1);
        let primary = match self.mode {
            PickMode::PrimaryAndSecondary { .. } => primary,
            PickMode::Many | PickMode::Ranked { .. } => {
                out.extend(primary);
                None
            }
        };
        for id in chosen {
            if !out.contains(&id) && primary.as_ref() != Some(&id) {
                out.push(id);
            }
        }
        self.sort_chosen(&mut out);
        Selection {
            primary,
            chosen: out,
        }
    }
}

/// Lower-cases the non-ASCII letters whose lower case is one character, so the
/// matcher (whose case folding is ASCII only) finds "é" with "É" while every
/// character keeps its index. ASCII is left to the matcher, which then still
/// sees camel case.
fn fold(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii() {
                return c;
            }
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) => l,
                _ => c,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, label: &str) -> PickItem {
        PickItem {
            id: id.into(),
            label: label.into(),
            aliases: Vec::new(),
            description: String::new(),
            suggested: false,
        }
    }

    fn items(n: usize) -> Vec<PickItem> {
        (0..n)
            .map(|i| item(&format!("id{i}"), &format!("Item {i}")))
            .collect()
    }

    fn sel(primary: Option<&str>, chosen: &[&str]) -> Selection {
        Selection {
            primary: primary.map(str::to_string),
            chosen: chosen.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn typed(p: &mut Picker, s: &str) {
        for c in s.chars() {
            assert_eq!(p.handle(PickerEvent::Type(c)), Outcome::Continue);
        }
    }

    /// Puts the cursor on the item with `id` (empty query, item order).
    fn go_to(p: &mut Picker, id: &str) {
        p.handle(PickerEvent::ClearQuery);
        for _ in 0..p.rows().len() {
            p.handle(PickerEvent::Up);
        }
        while p.highlighted().map(|it| it.id.as_str()) != Some(id) {
            let before = p.cursor();
            p.handle(PickerEvent::Down);
            assert_ne!(before, p.cursor(), "{id} not found");
        }
    }

    fn act(p: &mut Picker, id: &str, ev: PickerEvent) -> Outcome {
        go_to(p, id);
        p.handle(ev)
    }

    fn labels(p: &Picker) -> Vec<&str> {
        p.rows()
            .iter()
            .filter_map(|r| p.items().get(r.item))
            .map(|it| it.label.as_str())
            .collect()
    }

    fn builtin(kind: Kind) -> Picker {
        Picker::for_kind(&Taxonomy::builtin(), kind, Selection::default(), &[])
    }

    // ----- filtering -----

    #[test]
    fn empty_query_lists_everything_in_item_order() {
        let p = builtin(Kind::Category);
        assert_eq!(p.rows().len(), 12);
        assert!(
            p.rows()
                .iter()
                .enumerate()
                .all(|(i, r)| r.item == i && r.matched_in == MatchedIn::All)
        );
        assert_eq!(p.title(), "Categories");
        assert_eq!(p.mode(), PickMode::PrimaryAndSecondary { max_secondary: 3 });
    }

    #[test]
    fn filters_by_label_best_first() {
        let mut p = builtin(Kind::Value);
        typed(&mut p, "equ");
        let got = labels(&p);
        assert!(got.len() >= 2, "{got:?}");
        let first_two: Vec<&str> = got.iter().take(2).copied().collect();
        assert!(first_two.contains(&"Equality"), "{got:?}");
        assert!(first_two.contains(&"Equity"), "{got:?}");
        assert_eq!(p.rows()[0].matched_in, MatchedIn::Label);
        assert_eq!(p.rows()[0].label_matches, vec![0, 1, 2]);
        // best first
        assert!(p.rows().windows(2).all(|w| w[0].score >= w[1].score));
    }

    #[test]
    fn alias_finds_community_wealth_building() {
        let mut p = builtin(Kind::Category);
        typed(&mut p, "CWB");
        assert_eq!(
            p.highlighted().map(|it| it.id.as_str()),
            Some("community-wealth-building")
        );
        // lower case works as well
        p.handle(PickerEvent::ClearQuery);
        typed(&mut p, "preston");
        assert_eq!(
            p.highlighted().map(|it| it.id.as_str()),
            Some("community-wealth-building")
        );
        assert_eq!(p.rows()[0].matched_in, MatchedIn::Alias);
        assert!(p.rows()[0].label_matches.is_empty());
    }

    #[test]
    fn description_matches_rank_below_labels() {
        let items = vec![
            PickItem {
                description: "all about gardens".into(),
                ..item("a", "Allotments")
            },
            item("b", "Gardens"),
            item("c", "Roads"),
        ];
        let mut p = Picker::new("t", PickMode::Many, items, Selection::default());
        typed(&mut p, "gardens");
        assert_eq!(labels(&p), ["Gardens", "Allotments"]);
        assert_eq!(p.rows()[1].matched_in, MatchedIn::Description);
        assert!(p.rows()[1].label_matches.is_empty());
        assert!(p.rows()[0].score > p.rows()[1].score);
    }

    #[test]
    fn letters_scattered_over_a_description_do_not_match() {
        let mut p = builtin(Kind::Category);
        // "pov" occurs letter by letter in many descriptions ("progressive")
        typed(&mut p, "pov");
        assert_eq!(labels(&p), ["Poverty"]);
        // ...while a word of a description does match
        p.handle(PickerEvent::ClearQuery);
        typed(&mut p, "housing co-operatives");
        assert_eq!(labels(&p), ["Housing"]);
        assert_eq!(p.rows()[0].matched_in, MatchedIn::Description);
    }

    #[test]
    fn description_of_builtin_principle_is_searchable() {
        let mut p = builtin(Kind::Principle);
        typed(&mut p, "councillors as community connectors");
        assert_eq!(
            p.highlighted().map(|it| it.id.as_str()),
            Some("community-leadership")
        );
        // the sub-points of "Walking the talk" are part of its description
        p.handle(PickerEvent::ClearQuery);
        typed(&mut p, "Affiliate Membership");
        assert_eq!(
            p.highlighted().map(|it| it.id.as_str()),
            Some("walking-the-talk")
        );
    }

    #[test]
    fn highlight_indices_are_characters_not_bytes() {
        let items = vec![item("cafe", "Café Culture"), item("x", "Other")];
        let mut p = Picker::new("t", PickMode::Many, items, Selection::default());
        typed(&mut p, "écu");
        assert_eq!(labels(&p), ["Café Culture"]);
        // 'é' is char 3 (byte 3..5); 'C' of Culture is char 5 (byte 6)
        assert_eq!(p.rows()[0].label_matches, vec![3, 5, 6]);
        let label: Vec<char> = "Café Culture".chars().collect();
        let hit: String = p.rows()[0]
            .label_matches
            .iter()
            .filter_map(|&i| label.get(i))
            .collect();
        assert_eq!(hit.to_lowercase(), "écu");
    }

    #[test]
    fn non_ascii_case_is_ignored() {
        let items = vec![item("cafe", "CAFÉ"), item("x", "Other")];
        let mut p = Picker::new("t", PickMode::Many, items, Selection::default());
        typed(&mut p, "café");
        assert_eq!(labels(&p), ["CAFÉ"]);
        assert_eq!(p.rows()[0].label_matches, vec![0, 1, 2, 3]);
    }

    #[test]
    fn ties_keep_item_order_and_nothing_matches_is_safe() {
        let items = vec![item("b", "Same"), item("a", "Same too"), item("c", "Same")];
        let mut p = Picker::new("t", PickMode::Many, items, Selection::default());
        typed(&mut p, "same");
        let order: Vec<usize> = p.rows().iter().map(|r| r.item).collect();
        assert_eq!(order[0], 0);
        assert!(order.iter().position(|&i| i == 2) > Some(0));
        typed(&mut p, "zzz");
        assert!(p.rows().is_empty());
        assert_eq!(p.cursor(), 0);
        assert_eq!(p.highlighted(), None);
        for ev in [
            PickerEvent::Toggle,
            PickerEvent::SetPrimary,
            PickerEvent::Remove,
            PickerEvent::RankUp,
            PickerEvent::Down,
            PickerEvent::PageDown,
        ] {
            assert_eq!(p.handle(ev), Outcome::Continue);
        }
        assert_eq!(p.selection(), &Selection::default());
    }

    #[test]
    fn control_characters_are_not_typed_and_query_is_bounded() {
        let mut p = builtin(Kind::Value);
        p.handle(PickerEvent::Type('\u{1b}'));
        p.handle(PickerEvent::Type('\n'));
        assert_eq!(p.query(), "");
        for _ in 0..MAX_QUERY_CHARS + 20 {
            p.handle(PickerEvent::Type('é'));
        }
        assert_eq!(p.query().chars().count(), MAX_QUERY_CHARS);
        assert!(p.rows().is_empty());
    }

    #[test]
    fn whitespace_query_lists_everything() {
        let mut p = builtin(Kind::Value);
        typed(&mut p, "  ");
        assert_eq!(p.rows().len(), 10);
        assert_eq!(p.query(), "  ");
    }

    // ----- cursor -----

    #[test]
    fn cursor_clamps_at_both_ends() {
        let mut p = Picker::new("t", PickMode::Many, items(25), Selection::default());
        p.handle(PickerEvent::Up);
        assert_eq!(p.cursor(), 0);
        p.handle(PickerEvent::PageDown);
        assert_eq!(p.cursor(), 10);
        p.handle(PickerEvent::PageDown);
        p.handle(PickerEvent::PageDown);
        assert_eq!(p.cursor(), 24);
        p.handle(PickerEvent::Down);
        assert_eq!(p.cursor(), 24);
        p.handle(PickerEvent::PageUp);
        assert_eq!(p.cursor(), 14);
        p.handle(PickerEvent::Up);
        assert_eq!(p.cursor(), 13);
        p.handle(PickerEvent::PageUp);
        p.handle(PickerEvent::PageUp);
        assert_eq!(p.cursor(), 0);
    }

    #[test]
    fn typing_and_backspace_reset_the_cursor() {
        let mut p = Picker::new("t", PickMode::Many, items(25), Selection::default());
        p.handle(PickerEvent::PageDown);
        assert_eq!(p.cursor(), 10);
        typed(&mut p, "item");
        assert_eq!(p.cursor(), 0);
        p.handle(PickerEvent::Down);
        p.handle(PickerEvent::Backspace);
        assert_eq!(p.query(), "ite");
        assert_eq!(p.cursor(), 0);
        p.handle(PickerEvent::Down);
        p.handle(PickerEvent::ClearQuery);
        assert_eq!(p.query(), "");
        assert_eq!(p.cursor(), 0);
        assert_eq!(p.rows().len(), 25);
        // backspace on an empty query keeps the cursor
        p.handle(PickerEvent::Down);
        p.handle(PickerEvent::Backspace);
        assert_eq!(p.cursor(), 1);
    }

    #[test]
    fn empty_item_list_is_safe() {
        let mut p = Picker::new(
            "t",
            PickMode::Ranked { n: 3 },
            Vec::new(),
            Selection::default(),
        );
        assert!(p.rows().is_empty());
        assert_eq!(p.highlighted(), None);
        assert_eq!(p.handle(PickerEvent::Down), Outcome::Continue);
        assert_eq!(p.handle(PickerEvent::Toggle), Outcome::Continue);
        assert_eq!(p.scroll_offset_for(5), 0);
        assert_eq!(p.summary(), "1. — 2. — 3. —");
        assert_eq!(
            p.handle(PickerEvent::Confirm),
            Outcome::Confirmed(Selection::default())
        );
    }

    #[test]
    fn scroll_offset_keeps_the_cursor_visible() {
        let mut p = Picker::new("t", PickMode::Many, items(30), Selection::default());
        assert_eq!(p.scroll_offset_for(10), 0);
        assert_eq!(p.scroll_offset_for(0), 0);
        for _ in 0..29 {
            p.handle(PickerEvent::Down);
            let c = p.cursor();
            for h in [1, 2, 5, 10, 29, 30, 40] {
                let off = p.scroll_offset_for(h);
                assert!(
                    off <= c && c < off + h,
                    "cursor {c} height {h} offset {off}"
                );
                assert!(off + h <= 30 || off == 0, "runs past the end");
            }
        }
        assert_eq!(p.scroll_offset_for(10), 20);
    }

    // ----- categories -----

    fn cats() -> Picker {
        Picker::new(
            "Categories",
            PickMode::PrimaryAndSecondary { max_secondary: 2 },
            items(6),
            Selection::default(),
        )
        .with_nouns("category", "categories")
    }

    #[test]
    fn first_toggle_sets_the_primary_then_secondaries() {
        let mut p = cats();
        act(&mut p, "id3", PickerEvent::Toggle);
        assert_eq!(p.selection(), &sel(Some("id3"), &[]));
        act(&mut p, "id4", PickerEvent::Toggle);
        act(&mut p, "id1", PickerEvent::Toggle);
        // secondaries in item order
        assert_eq!(p.selection(), &sel(Some("id3"), &["id1", "id4"]));
        assert!(p.is_primary(3) && !p.is_chosen(3));
        assert!(p.is_chosen(1) && p.is_chosen(4) && !p.is_primary(1));
        assert_eq!(p.summary(), "primary: Item 3; also: Item 1, Item 4");
        assert_eq!(
            act(&mut p, "id0", PickerEvent::Toggle),
            Outcome::Refused("at most 2 secondary categories".into())
        );
        assert_eq!(p.selection(), &sel(Some("id3"), &["id1", "id4"]));
        // toggling a secondary removes it
        act(&mut p, "id4", PickerEvent::Toggle);
        assert_eq!(p.selection(), &sel(Some("id3"), &["id1"]));
        // toggling the primary removes it; secondaries stay
        act(&mut p, "id3", PickerEvent::Toggle);
        assert_eq!(p.selection(), &sel(None, &["id1"]));
        assert_eq!(p.summary(), "primary: —; also: Item 1");
        // ... and the next toggle of an unpicked item is the new primary
        act(&mut p, "id5", PickerEvent::Toggle);
        assert_eq!(p.selection(), &sel(Some("id5"), &["id1"]));
    }

    #[test]
    fn set_primary_replaces_without_demoting() {
        let mut p = cats();
        act(&mut p, "id0", PickerEvent::SetPrimary);
        act(&mut p, "id2", PickerEvent::Toggle);
        assert_eq!(p.selection(), &sel(Some("id0"), &["id2"]));
        // a secondary promoted stops being a secondary; the old primary is dropped
        act(&mut p, "id2", PickerEvent::SetPrimary);
        assert_eq!(p.selection(), &sel(Some("id2"), &[]));
        act(&mut p, "id4", PickerEvent::SetPrimary);
        assert_eq!(p.selection(), &sel(Some("id4"), &[]));
        // setting the same primary again changes nothing
        act(&mut p, "id4", PickerEvent::SetPrimary);
        assert_eq!(p.selection(), &sel(Some("id4"), &[]));
        // remove takes the primary away
        act(&mut p, "id4", PickerEvent::Remove);
        assert_eq!(p.selection(), &sel(None, &[]));
    }

    #[test]
    fn set_primary_is_allowed_when_secondaries_are_full() {
        let mut p = cats();
        act(&mut p, "id0", PickerEvent::Toggle);
        act(&mut p, "id1", PickerEvent::Toggle);
        act(&mut p, "id2", PickerEvent::Toggle);
        assert_eq!(
            act(&mut p, "id5", PickerEvent::SetPrimary),
            Outcome::Continue
        );
        assert_eq!(p.selection(), &sel(Some("id5"), &["id1", "id2"]));
    }

    #[test]
    fn category_confirm_rules() {
        let mut p = cats();
        // nothing at all is allowed: it clears the field
        assert_eq!(
            p.handle(PickerEvent::Confirm),
            Outcome::Confirmed(Selection::default())
        );
        act(&mut p, "id0", PickerEvent::Toggle);
        act(&mut p, "id1", PickerEvent::Toggle);
        act(&mut p, "id0", PickerEvent::Toggle);
        assert_eq!(
            p.handle(PickerEvent::Confirm),
            Outcome::Refused("choose a primary category first".into())
        );
        act(&mut p, "id2", PickerEvent::SetPrimary);
        assert_eq!(
            p.handle(PickerEvent::Confirm),
            Outcome::Confirmed(sel(Some("id2"), &["id1"]))
        );
    }

    #[test]
    fn category_initial_is_normalised_but_not_trimmed() {
        let p = Picker::new(
            "t",
            PickMode::PrimaryAndSecondary { max_secondary: 2 },
            items(6),
            sel(Some("id2"), &["id4", "id2", "id1", "id4", "id0"]),
        );
        assert_eq!(p.selection(), &sel(Some("id2"), &["id0", "id1", "id4"]));
        assert!(!p.is_changed());
        let mut p = p;
        assert_eq!(
            act(&mut p, "id5", PickerEvent::Toggle),
            Outcome::Refused("at most 2 secondary entries".into())
        );
        assert!(
            matches!(p.handle(PickerEvent::Confirm), Outcome::Refused(m) if m.contains("remove 1"))
        );
        act(&mut p, "id0", PickerEvent::Remove);
        assert_eq!(
            p.handle(PickerEvent::Confirm),
            Outcome::Confirmed(sel(Some("id2"), &["id1", "id4"]))
        );
    }

    #[test]
    fn builtin_categories_allow_three_secondaries() {
        let mut p = builtin(Kind::Category);
        let ids: Vec<String> = p.items().iter().map(|it| it.id.clone()).collect();
        for id in ids.iter().take(4) {
            assert_eq!(act(&mut p, id, PickerEvent::Toggle), Outcome::Continue);
        }
        assert_eq!(
            act(&mut p, &ids[4], PickerEvent::Toggle),
            Outcome::Refused("at most 3 secondary categories".into())
        );
        assert_eq!(p.selection().chosen.len(), 3);
    }

    // ----- principles -----

    #[test]
    fn many_toggles_in_item_order() {
        let mut p = Picker::new("t", PickMode::Many, items(5), Selection::default());
        act(&mut p, "id3", PickerEvent::Toggle);
        act(&mut p, "id0", PickerEvent::Toggle);
        act(&mut p, "id4", PickerEvent::Toggle);
        assert_eq!(p.selection(), &sel(None, &["id0", "id3", "id4"]));
        act(&mut p, "id3", PickerEvent::Toggle);
        assert_eq!(p.selection(), &sel(None, &["id0", "id4"]));
        act(&mut p, "id4", PickerEvent::Remove);
        // removing an unpicked item does nothing
        act(&mut p, "id1", PickerEvent::Remove);
        assert_eq!(p.selection(), &sel(None, &["id0"]));
        assert_eq!(p.summary(), "Item 0");
        assert!(matches!(
            act(&mut p, "id1", PickerEvent::SetPrimary),
            Outcome::Refused(_)
        ));
        assert!(matches!(
            act(&mut p, "id0", PickerEvent::RankUp),
            Outcome::Refused(_)
        ));
        assert_eq!(p.selection(), &sel(None, &["id0"]));
        assert_eq!(p.rank_of(0), None);
    }

    #[test]
    fn toggle_keeps_query_and_cursor() {
        let mut p = builtin(Kind::Principle);
        typed(&mut p, "inno");
        p.handle(PickerEvent::Toggle);
        assert_eq!(p.query(), "inno");
        assert_eq!(p.cursor(), 0);
        assert_eq!(p.selection().chosen, ["innovation"]);
    }

    // ----- values -----

    fn values() -> Picker {
        Picker::for_kind(&Taxonomy::builtin(), Kind::Value, Selection::default(), &[])
    }

    #[test]
    fn picking_order_is_the_rank() {
        let mut p = values();
        act(&mut p, "solidarity", PickerEvent::Toggle);
        act(&mut p, "democracy", PickerEvent::Toggle);
        assert_eq!(p.summary(), "1. Solidarity 2. Democracy 3. —");
        act(&mut p, "self-help", PickerEvent::Toggle);
        assert_eq!(
            p.selection().chosen,
            ["solidarity", "democracy", "self-help"]
        );
        let ix = |p: &Picker, id: &str| p.items().iter().position(|it| it.id == id).unwrap_or(99);
        assert_eq!(p.rank_of(ix(&p, "solidarity")), Some(1));
        assert_eq!(p.rank_of(ix(&p, "self-help")), Some(3));
        assert_eq!(p.rank_of(ix(&p, "equity")), None);
        assert_eq!(
            act(&mut p, "equity", PickerEvent::Toggle),
            Outcome::Refused("already 3 values: remove one first".into())
        );
        // toggling a ranked value removes it; later ranks move up
        act(&mut p, "solidarity", PickerEvent::Toggle);
        assert_eq!(p.selection().chosen, ["democracy", "self-help"]);
        act(&mut p, "equity", PickerEvent::Toggle);
        assert_eq!(p.selection().chosen, ["democracy", "self-help", "equity"]);
        act(&mut p, "democracy", PickerEvent::Remove);
        assert_eq!(p.selection().chosen, ["self-help", "equity"]);
    }

    #[test]
    fn ranks_move_up_and_down() {
        let mut p = values();
        for id in ["equality", "honesty", "openness"] {
            act(&mut p, id, PickerEvent::Toggle);
        }
        act(&mut p, "openness", PickerEvent::RankUp);
        assert_eq!(p.selection().chosen, ["equality", "openness", "honesty"]);
        act(&mut p, "openness", PickerEvent::RankUp);
        assert_eq!(p.selection().chosen, ["openness", "equality", "honesty"]);
        // at the top: nothing
        assert_eq!(
            act(&mut p, "openness", PickerEvent::RankUp),
            Outcome::Continue
        );
        assert_eq!(p.selection().chosen, ["openness", "equality", "honesty"]);
        act(&mut p, "equality", PickerEvent::RankDown);
        assert_eq!(p.selection().chosen, ["openness", "honesty", "equality"]);
        act(&mut p, "equality", PickerEvent::RankDown);
        assert_eq!(p.selection().chosen, ["openness", "honesty", "equality"]);
        // an unranked item: nothing
        act(&mut p, "equity", PickerEvent::RankUp);
        assert_eq!(p.selection().chosen, ["openness", "honesty", "equality"]);
        assert!(matches!(
            act(&mut p, "equity", PickerEvent::SetPrimary),
            Outcome::Refused(_)
        ));
        assert_eq!(
            p.handle(PickerEvent::Confirm),
            Outcome::Confirmed(sel(None, &["openness", "honesty", "equality"]))
        );
    }

    #[test]
    fn ranked_initial_keeps_its_order_and_over_limit_needs_removal() {
        let mut p = Picker::new(
            "t",
            PickMode::Ranked { n: 2 },
            items(5),
            sel(None, &["id3", "id1", "id3", "id4"]),
        );
        assert_eq!(p.selection().chosen, ["id3", "id1", "id4"]);
        assert_eq!(p.summary(), "1. Item 3 2. Item 1 3. Item 4");
        assert!(
            matches!(p.handle(PickerEvent::Confirm), Outcome::Refused(m) if m.contains("at most 2"))
        );
        act(&mut p, "id1", PickerEvent::Remove);
        assert_eq!(
            p.handle(PickerEvent::Confirm),
            Outcome::Confirmed(sel(None, &["id3", "id4"]))
        );
    }

    #[test]
    fn fewer_than_n_values_can_be_confirmed() {
        let mut p = values();
        act(&mut p, "equity", PickerEvent::Toggle);
        assert_eq!(
            p.handle(PickerEvent::Confirm),
            Outcome::Confirmed(sel(None, &["equity"]))
        );
    }

    // ----- confirm, cancel, unknown ids -----

    #[test]
    fn cancel_returns_nothing_and_confirm_returns_the_selection() {
        let initial = sel(None, &["innovation"]);
        let mut p = Picker::for_kind(&Taxonomy::builtin(), Kind::Principle, initial.clone(), &[]);
        assert!(!p.is_changed());
        act(&mut p, "learning", PickerEvent::Toggle);
        act(&mut p, "social-partnership", PickerEvent::Toggle);
        assert!(p.is_changed());
        assert_eq!(p.handle(PickerEvent::Cancel), Outcome::Cancelled);
        let mut p = Picker::for_kind(&Taxonomy::builtin(), Kind::Principle, initial, &[]);
        act(&mut p, "learning", PickerEvent::Toggle);
        act(&mut p, "social-partnership", PickerEvent::Toggle);
        assert_eq!(
            p.handle(PickerEvent::Confirm),
            Outcome::Confirmed(sel(None, &["social-partnership", "innovation", "learning"]))
        );
    }

    #[test]
    fn suggested_items_are_marked() {
        let p = Picker::for_kind(
            &Taxonomy::builtin(),
            Kind::Value,
            Selection::default(),
            &["equity".to_string()],
        );
        let marked: Vec<&str> = p
            .items()
            .iter()
            .filter(|it| it.suggested)
            .map(|it| it.id.as_str())
            .collect();
        assert_eq!(marked, ["equity"]);
        assert!(
            p.selection().chosen.is_empty(),
            "suggestions are not preselected here"
        );
    }

    #[test]
    fn unknown_ids_are_kept_until_the_selection_changes() {
        let initial = sel(None, &["solidarity", "thrift", "democracy"]);
        let mut p = Picker::for_kind(&Taxonomy::builtin(), Kind::Value, initial.clone(), &[]);
        assert_eq!(p.unknown_chosen(), ["thrift"]);
        assert_eq!(
            p.summary(),
            "1. Solidarity 2. thrift (unknown) 3. Democracy"
        );
        assert!(p.rows().iter().all(|r| p.items()[r.item].id != "thrift"));
        // moving and refused or empty actions keep them
        p.handle(PickerEvent::Down);
        typed(&mut p, "zzz");
        p.handle(PickerEvent::Toggle);
        assert_eq!(
            act(&mut p, "solidarity", PickerEvent::RankUp),
            Outcome::Continue
        );
        assert!(matches!(
            act(&mut p, "equity", PickerEvent::SetPrimary),
            Outcome::Refused(_)
        ));
        assert_eq!(
            act(&mut p, "equity", PickerEvent::Remove),
            Outcome::Continue
        );
        assert_eq!(p.unknown_chosen(), ["thrift"]);
        assert!(!p.is_changed());
        assert_eq!(
            p.handle(PickerEvent::Confirm),
            Outcome::Confirmed(initial.clone())
        );
        // the first real change drops them
        let mut p = Picker::for_kind(&Taxonomy::builtin(), Kind::Value, initial.clone(), &[]);
        act(&mut p, "democracy", PickerEvent::RankUp);
        assert!(p.unknown_chosen().is_empty());
        assert_eq!(p.selection().chosen, ["democracy", "solidarity"]);
        // so an unknown id never blocks a full ranking: its slot is free
        let mut p = Picker::for_kind(&Taxonomy::builtin(), Kind::Value, initial, &[]);
        assert_eq!(
            act(&mut p, "equity", PickerEvent::Toggle),
            Outcome::Continue
        );
        assert_eq!(p.selection().chosen, ["solidarity", "democracy", "equity"]);
        assert!(p.is_changed());
    }

    #[test]
    fn unknown_primary_and_secondaries_are_kept_on_confirm() {
        let initial = sel(Some("old-cat"), &["poverty", "older-cat"]);
        let mut p = Picker::for_kind(&Taxonomy::builtin(), Kind::Category, initial.clone(), &[]);
        assert_eq!(p.unknown_chosen(), ["old-cat", "older-cat"]);
        assert_eq!(
            p.summary(),
            "primary: old-cat (unknown); also: Poverty, older-cat (unknown)"
        );
        assert_eq!(p.handle(PickerEvent::Confirm), Outcome::Confirmed(initial));
        act(&mut p, "housing", PickerEvent::SetPrimary);
        assert!(p.unknown_chosen().is_empty());
        assert_eq!(p.selection(), &sel(Some("housing"), &["poverty"]));
    }

    #[test]
    fn modes_without_primary_fold_an_initial_primary_in() {
        let p = Picker::new(
            "t",
            PickMode::Ranked { n: 3 },
            items(4),
            sel(Some("id2"), &["id0", "id2"]),
        );
        assert_eq!(p.selection(), &sel(None, &["id2", "id0"]));
        let p = Picker::new("t", PickMode::Many, items(4), sel(Some("id2"), &["id0"]));
        assert_eq!(p.selection(), &sel(None, &["id0", "id2"]));
    }

    // ----- any sequence of events -----

    mod props {
        use super::*;
        use proptest::prelude::*;

        fn event() -> impl Strategy<Value = PickerEvent> {
            prop_oneof![
                Just(PickerEvent::Up),
                Just(PickerEvent::Down),
                Just(PickerEvent::PageUp),
                Just(PickerEvent::PageDown),
                Just(PickerEvent::Toggle),
                Just(PickerEvent::Toggle),
                Just(PickerEvent::SetPrimary),
                Just(PickerEvent::RankUp),
                Just(PickerEvent::RankDown),
                Just(PickerEvent::Remove),
                Just(PickerEvent::ClearQuery),
                Just(PickerEvent::Backspace),
                Just(PickerEvent::Backspace),
                any::<char>().prop_map(PickerEvent::Type),
                prop::sample::select(vec!['c', 'o', 'e', 'a', ' ', 'É', 'é'])
                    .prop_map(PickerEvent::Type),
                Just(PickerEvent::Confirm),
                Just(PickerEvent::Cancel),
            ]
        }

        fn mode() -> impl Strategy<Value = PickMode> {
            prop_oneof![
                (0usize..4)
                    .prop_map(|max_secondary| PickMode::PrimaryAndSecondary { max_secondary }),
                Just(PickMode::Many),
                (0usize..4).prop_map(|n| PickMode::Ranked { n }),
            ]
        }

        fn distinct(v: &[String]) -> bool {
            v.iter()
                .enumerate()
                .all(|(i, a)| !v.iter().skip(i + 1).any(|b| a == b))
        }

        fn check(p: &Picker) -> Result<(), TestCaseError> {
            prop_assert!(p.cursor() < p.rows().len() || (p.rows().is_empty() && p.cursor() == 0));
            prop_assert_eq!(p.highlighted().is_some(), !p.rows().is_empty());
            prop_assert!(p.rows().iter().all(|r| r.item < p.items().len()));
            let sel = p.selection();
            prop_assert!(distinct(&sel.chosen));
            match p.mode() {
                PickMode::PrimaryAndSecondary { max_secondary } => {
                    prop_assert!(sel.chosen.len() <= max_secondary);
                    if let Some(primary) = &sel.primary {
                        prop_assert!(!sel.chosen.contains(primary));
                    }
                }
                PickMode::Many => prop_assert!(sel.primary.is_none()),
                PickMode::Ranked { n } => {
                    prop_assert!(sel.chosen.len() <= n);
                    prop_assert!(sel.primary.is_none());
                }
            }
            let order: Vec<usize> = sel
                .chosen
                .iter()
                .map(|id| {
                    p.items()
                        .iter()
                        .position(|it| it.id == *id)
                        .unwrap_or(usize::MAX)
                })
                .collect();
            if !matches!(p.mode(), PickMode::Ranked { .. }) {
                prop_assert!(order.windows(2).all(|w| w[0] <= w[1]), "{:?}", order);
            }
            let _ = p.summary();
            let _ = p.scroll_offset_for(3);
            Ok(())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(300))]
            #[test]
            fn no_event_sequence_breaks_the_picker(
                mode in mode(),
                use_builtin in any::<bool>(),
                n_items in 0usize..15,
                with_unknown in any::<bool>(),
                events in prop::collection::vec(event(), 0..80),
            ) {
                let items = if use_builtin {
                    let t = Taxonomy::builtin();
                    Picker::for_kind(&t, Kind::Principle, Selection::default(), &[]).items().to_vec()
                } else {
                    let mut v = items(n_items);
                    if let Some(first) = v.first_mut() {
                        first.label = "Café Ünïcode".into();
                        first.aliases = vec!["ÀLIAS".into()];
                    }
                    v
                };
                // a valid initial selection, with an unknown id if asked
                let mut initial = Selection::default();
                if let PickMode::PrimaryAndSecondary { .. } = mode {
                    initial.primary = items.first().map(|it| it.id.clone());
                }
                if with_unknown {
                    let room = match mode {
                        PickMode::PrimaryAndSecondary { max_secondary } => max_secondary,
                        PickMode::Many => 1,
                        PickMode::Ranked { n } => n,
                    };
                    if room > 0 {
                        initial.chosen.push("no-such-id".into());
                    }
                }
                let mut p = Picker::new("t", mode, items, initial.clone());
                check(&p)?;
                for ev in events {
                    let before = p.selection().clone();
                    let out = p.handle(ev.clone());
                    check(&p)?;
                    match out {
                        Outcome::Confirmed(s) => prop_assert_eq!(&s, p.selection()),
                        Outcome::Refused(_) | Outcome::Cancelled => {
                            prop_assert_eq!(&before, p.selection())
                        }
                        Outcome::Continue => {}
                    }
                    if p.is_changed() {
                        prop_assert!(p.unknown_chosen().is_empty());
                    }
                }
            }
        }
    }
}
