//! Text utilities shared by the core: the plain text of Markdown,
//! suggestions for misspelt names and counts with the right plural.

pub mod markdown;
pub mod typo;

/// "1 submission", "3 submissions": `n` with the singular or the plural noun.
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    if n == 1 {
        format!("1 {singular}")
    } else {
        format!("{n} {plural}")
    }
}

#[cfg(test)]
mod tests {
    use super::count;

    #[test]
    fn count_uses_the_singular_for_one_only() {
        assert_eq!(count(0, "line", "lines"), "0 lines");
        assert_eq!(count(1, "line", "lines"), "1 line");
        assert_eq!(count(2, "keyword hit", "keyword hits"), "2 keyword hits");
    }
}
