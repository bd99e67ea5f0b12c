//! Text utilities shared by the core: the plain text of Markdown, and
//! suggestions for misspelt names.

pub mod markdown;
pub mod typo;
