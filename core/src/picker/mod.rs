//! The one picker behind the category, principle and value pop-ups.
//!
//! A [`Picker`] is plain state: a list of [`PickItem`]s, a filter query, a cursor
//! and the [`Selection`] being built. The [`Action`]s of the picker table and typed
//! text arrive at [`Picker::handle`], which answers with an [`Outcome`]; the renderer reads the state
//! through the accessors. Nothing here touches the terminal.
//!
//! Three modes ([`PickMode`]) share the filter and the cursor and differ only in
//! what toggling means: a primary plus secondaries (categories), any number
//! (principles), or an ordered top `n` (values).
//!
//! The picker never changes anything outside itself: the caller gets the new
//! selection only from [`Outcome::Confirmed`] and keeps what it had on
//! [`Outcome::Cancelled`].

use crate::keymap::Action;
use crate::matching::{ShortList, fold};
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

/// The picker's answer to an action.
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
    /// Still open, with something to tell the officer (not an error).
    Notice(String),
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
    /// The filter has done its work: an entry was picked or removed through
    /// it. It stays in sight (the cursor on that entry), but the next letter
    /// typed starts a new filter, as a brought-back search does.
    query_done: bool,
    rows: Vec<Row>,
    cursor: usize,
    /// Lines of the highlighted entry's preview scrolled past.
    preview_scroll: usize,
    matcher: ShortList,
    /// `esc` was pressed once with changes in the selection: the next one
    /// discards them.
    cancel_warned: bool,
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
            query_done: false,
            rows: Vec::new(),
            cursor: 0,
            preview_scroll: 0,
            matcher: ShortList::default(),
            cancel_warned: false,
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

    /// Applies one action; actions that are not the picker's change nothing.
    ///
    /// - Up/Down move one row and PageUp/PageDown [`PAGE`] rows, stopping at the
    ///   ends (no wrap-around).
    /// - Typing, Backspace and ClearQuery change the filter and put the cursor on
    ///   the first (best) row. Control characters are not typed, and the query
    ///   stops growing at [`MAX_QUERY_CHARS`]. Once a change has been made
    ///   through the filter (Toggle, SetPrimary or Remove with text in it), the
    ///   filter is done: it stays as it is while the cursor moves, but the next
    ///   letter typed starts a new one (no `ctrl-u` between entries), and the
    ///   digits rank as with an empty filter; Backspace edits it again.
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
    /// Confirm accepts fewer than `n` (a tagging in progress), not more. The
    /// digits `1` to `n` put the highlighted item at that rank while the
    /// filter is empty (they are typed otherwise); RankFirst, RankSecond and
    /// RankThird do so whatever the filter holds, then clear it.
    ///
    /// SetPrimary outside categories and RankUp/RankDown outside values are
    /// refused with a reason, so a mistaken key is not silent.
    ///
    /// Ids unknown to the items (a record from an older taxonomy) stay in the
    /// selection until the officer changes it: the first change made here drops
    /// them, as a record keeps unknown values "until the officer changes that
    /// field" (see `record::validate`). Confirming without a change returns them as they were.
    pub fn handle(&mut self, action: Action) -> Outcome {
        if action != Action::Cancel {
            self.cancel_warned = false;
        }
        match action {
            Action::Up => self.move_cursor(-1),
            Action::Down => self.move_cursor(1),
            Action::PreviewDown => {
                self.preview_scroll = self.preview_scroll.saturating_add(1);
                Outcome::Continue
            }
            Action::PreviewUp => {
                self.preview_scroll = self.preview_scroll.saturating_sub(1);
                Outcome::Continue
            }
            Action::PageUp => self.move_cursor(-(PAGE as isize)),
            Action::PageDown => self.move_cursor(PAGE as isize),
            Action::Top => self.move_cursor(isize::MIN),
            Action::Bottom => self.move_cursor(isize::MAX),
            Action::Type(c)
                if (self.query.is_empty() || self.query_done) && self.rank_key(c).is_some() =>
            {
                // 1, 2, 3 put the highlighted value at that rank while the
                // filter is empty (or done); with text in the filter they are
                // typed
                self.rank_key(c)
                    .map_or(Outcome::Continue, |r| self.put_at_rank(r))
            }
            Action::Type(c) => {
                if !c.is_control() {
                    if std::mem::take(&mut self.query_done) {
                        self.query.clear();
                    }
                    if self.query.chars().count() < MAX_QUERY_CHARS {
                        self.query.push(c);
                    }
                    self.refilter();
                }
                Outcome::Continue
            }
            Action::Backspace => {
                self.query_done = false;
                if self.query.pop().is_some() {
                    self.refilter();
                }
                Outcome::Continue
            }
            Action::ClearQuery => {
                self.query_done = false;
                if !self.query.is_empty() {
                    self.query.clear();
                    self.refilter();
                }
                Outcome::Continue
            }
            Action::Toggle => self.changing(Picker::toggle),
            Action::SetPrimary => self.changing(Picker::set_primary),
            Action::Remove => self.changing(Picker::remove),
            Action::RankUp => self.move_rank(-1),
            Action::RankDown => self.move_rank(1),
            Action::RankFirst => self.rank_and_clear(1),
            Action::RankSecond => self.rank_and_clear(2),
            Action::RankThird => self.rank_and_clear(3),
            Action::Confirm => match self.confirm_refusal() {
                Some(why) => Outcome::Refused(why),
                None => Outcome::Confirmed(self.selection.clone()),
            },
            Action::Cancel => self.cancel(),
            _ => Outcome::Continue,
        }
    }

    /// Makes a change to the selection; one made through a filter marks the
    /// filter done (see [`Picker::handle`]).
    fn changing(&mut self, change: fn(&mut Picker) -> Outcome) -> Outcome {
        let before = self.selection.clone();
        let outcome = change(self);
        if self.selection != before && !self.query.is_empty() {
            self.query_done = true;
        }
        outcome
    }

    /// Whether the filter has done its work (the next letter starts a new
    /// one).
    pub fn query_done(&self) -> bool {
        self.query_done
    }

    /// `esc`: typed filter text is cleared first, and changes to the
    /// selection are discarded only by a second `esc`, so one stray key never
    /// throws away what the officer typed or picked.
    fn cancel(&mut self) -> Outcome {
        if !self.query.is_empty() {
            self.query_done = false;
            self.query.clear();
            self.refilter();
            return Outcome::Notice("filter cleared; esc again closes the picker".to_owned());
        }
        if self.is_changed() && !self.cancel_warned {
            self.cancel_warned = true;
            return Outcome::Notice(format!(
                "your changes to the {} are not kept yet: enter keeps them, esc again discards them",
                self.plural
            ));
        }
        Outcome::Cancelled
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
        // Equal scores: the shorter label first, as fzf breaks ties (the
        // query is more of it: "equ" finds Equity before Equality), then
        // item order (the sort is stable).
        let labels: Vec<usize> = self
            .items
            .iter()
            .map(|it| it.label.chars().count())
            .collect();
        rows.sort_by_key(|r| {
            (
                std::cmp::Reverse(r.score),
                labels.get(r.item).copied().unwrap_or(usize::MAX),
            )
        });
        self.rows = rows;
    }

    /// The row for one item, if the (folded) pattern matches it anywhere. The
    /// score is the best of the weighted label, alias and description scores;
    /// on equal scores the label wins over an alias, an alias over the
    /// description.
    fn score(&self, item: usize, hay: &Haystack, pattern: &str) -> Option<Row> {
        let label = self.matcher.find(&hay.label, pattern);
        let alias = hay
            .aliases
            .iter()
            .filter_map(|a| self.matcher.score(a, pattern))
            .max();
        // Over a long description almost any short query matches letter by
        // letter, far apart ("pov" in "progressive"); labels and aliases are
        // short and keep every fuzzy match (initials such as "cwb" are the
        // point of them).
        let description = self.matcher.score_in_text(&hay.description, pattern);

        let mut best: Option<(i64, MatchedIn)> = None;
        let candidates = [
            (
                label.as_ref().map(|m| m.score * LABEL_WEIGHT),
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
            label_matches: label.map(|m| m.indices).unwrap_or_default(),
            matched_in,
        })
    }

    fn move_cursor(&mut self, delta: isize) -> Outcome {
        let last = self.rows.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.preview_scroll = 0;
        Outcome::Continue
    }

    /// The rank a digit key stands for in a ranked picker ('1' is rank 1).
    fn rank_key(&self, c: char) -> Option<usize> {
        let PickMode::Ranked { n } = self.mode else {
            return None;
        };
        let r = usize::try_from(c.to_digit(10)?).ok()?;
        (1..=n).contains(&r).then_some(r)
    }

    /// Puts the highlighted entry at `rank` (1-based), replacing what was
    /// there; an entry already ranked moves there.
    fn put_at_rank(&mut self, rank: usize) -> Outcome {
        let Some(id) = self.highlighted_id() else {
            return Outcome::Continue;
        };
        // Ranks as shown, unknown ids included: `2` replaces what is shown at
        // rank 2 even when an unknown id before it is about to be dropped.
        let mut ranked = self.selection.chosen.clone();
        let at = rank - 1;
        match ranked.iter().position(|c| *c == id) {
            // ranked already: it trades places with the one at that rank
            Some(from) if at < ranked.len() => ranked.swap(from, at),
            Some(_) => {}
            // the one at that rank is replaced
            None if at < ranked.len() => ranked[at] = id,
            None => ranked.push(id),
        }
        self.edit(move |picker, sel| {
            ranked.retain(|c| picker.index_of(c).is_some());
            sel.chosen = ranked;
            Ok(())
        })
    }

    /// `alt-1` to `alt-3`: the highlighted value goes to `rank` as with the
    /// digit keys, whatever the filter holds, and the filter is then cleared
    /// with the cursor kept on that value, ready for the next one.
    fn rank_and_clear(&mut self, rank: usize) -> Outcome {
        let PickMode::Ranked { n } = self.mode else {
            return Outcome::Refused(format!("{} are not ranked", self.plural));
        };
        if rank > n {
            return Outcome::Refused(format!(
                "only {} are ranked",
                crate::text::count(n, &self.singular, &self.plural)
            ));
        }
        let Some(item) = self.highlighted_index() else {
            return Outcome::Continue;
        };
        let outcome = self.put_at_rank(rank);
        if !self.query.is_empty() {
            self.query_done = false;
            self.query.clear();
            self.refilter();
            if let Some(row) = self.rows.iter().position(|r| r.item == item) {
                self.cursor = row;
            }
        }
        outcome
    }

    /// How far the preview of the highlighted entry is scrolled.
    pub fn preview_scroll(&self) -> usize {
        self.preview_scroll
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
                    return Err(format!(
                        "{}: remove one first, or make this one the primary",
                        p.too_many_secondaries(max_secondary)
                    ));
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
                        format!(
                            "{} {} already: remove one or press 1-{n} to replace",
                            number_word(n),
                            p.plural
                        )
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
        let PickMode::PrimaryAndSecondary { max_secondary } = self.mode else {
            return Outcome::Continue;
        };
        self.edit(|_, sel| {
            sel.chosen.retain(|c| *c != id);
            // the old primary stays, as a secondary, while there is room
            if let Some(old) = sel.primary.take()
                && old != id
                && sel.chosen.len() < max_secondary
            {
                sel.chosen.push(old);
            }
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

#[cfg(test)]
mod tests;

/// "three", for messages; digits past ten.
fn number_word(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| (*w).to_string())
}
