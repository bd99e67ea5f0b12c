//! The footers' key hints, one table per screen: each hint in the order
//! shown, with its rank. When not all fit, the hints of lowest rank stay
//! (help and the way out first), and the rest go.

use crate::keymap::Action;

/// A footer: its hints in the order shown, each with its rank.
pub type Footer = &'static [(Action, u8)];

/// The batch view: guided tagging does everything; help lists the rest.
pub const BATCH: Footer = &[
    (Action::GuidedTagging, 2),
    (Action::PickCategories, 7),
    (Action::PickPrinciples, 8),
    (Action::PickValues, 9),
    (Action::Approve, 3),
    (Action::NeedsInfo, 4),
    (Action::Decline, 5),
    (Action::Search, 6),
    (Action::Help, 0),
    (Action::Quit, 1),
];

/// The full-screen reader: paging and leaving first, then deciding.
pub const READER: Footer = &[
    (Action::PageDown, 1),
    (Action::PageUp, 2),
    (Action::Find, 6),
    (Action::FindNext, 8),
    (Action::PickCategories, 9),
    (Action::PickPrinciples, 10),
    (Action::PickValues, 11),
    (Action::Approve, 3),
    (Action::NeedsInfo, 4),
    (Action::Decline, 5),
    (Action::Cancel, 0),
    (Action::Help, 7),
];

/// The hints in the order shown, and in the order they stay.
pub fn orders(footer: Footer) -> (Vec<Action>, Vec<Action>) {
    let shown: Vec<Action> = footer.iter().map(|(a, _)| a.clone()).collect();
    let mut ranked = footer.to_vec();
    ranked.sort_by_key(|(_, rank)| *rank);
    (shown, ranked.into_iter().map(|(a, _)| a).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_keep_the_old_priorities_and_each_is_used_once() {
        let (shown, stays) = orders(BATCH);
        assert_eq!(shown.first(), Some(&Action::GuidedTagging));
        assert_eq!(
            stays[..3],
            [Action::Help, Action::Quit, Action::GuidedTagging]
        );
        for f in [BATCH, READER] {
            let mut ranks: Vec<u8> = f.iter().map(|(_, r)| *r).collect();
            ranks.sort_unstable();
            let expected: Vec<u8> = (0..).take(f.len()).collect();
            assert_eq!(ranks, expected, "each rank once");
        }
        let (_, stays) = orders(READER);
        assert_eq!(stays.first(), Some(&Action::Cancel));
    }
}
