//! Text utilities shared by the core: suggestions for misspelt names.

pub mod typo;
