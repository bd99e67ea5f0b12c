//! One submission and its record, for the tests of versions of a record
//! that meet: git's merges, a synced folder's conflict copies.

/// The submission, `food-hubs.md`.
pub const SUBMISSION: &str =
    "+++\ntitle = \"Community food hubs\"\nlead_member = \"Oldham Council\"\n+++\nHubs.\n";

/// Its record as Jo left it: tagged, not yet decided, with a key casetag
/// does not know (`colour`), which every version must keep.
pub const RECORD: &str = r#"submission = "food-hubs.md"
primary_category = "community"
principles = ["innovation"]
values = ["solidarity", "democracy", "caring-for-others"]
reviewer = "jo"
reviewed_at = "2026-12-01T09:00:00Z"
colour = "green"
"#;
