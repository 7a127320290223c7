//! Whole-text lowercasing (`[analysis] lowercase = "text"`), the chain's step for the benchmark's reference job.

use std::borrow::Cow;

/// Lowercases a whole text (full Unicode lowercase, final sigma included)
/// before it is split, as the reference job reads its step 1. Text is
/// returned as is unless it holds one of the two characters for which the
/// readings differ: `İ` (U+0130) lowercases to `i` + a combining dot, which
/// then splits the word, and `Σ` (U+03A3) lowercases by context (final
/// sigma). For every other character, lowercasing each word after splitting
/// gives the same words (checked over all of Unicode), so the copy is only
/// paid where it can change a token.
pub fn lowercase_whole(text: &str) -> Cow<'_, str> {
    let differs = |c: &str| memchr::memmem::find(text.as_bytes(), c.as_bytes()).is_some();
    if text.is_ascii() || !(differs("\u{130}") || differs("\u{3A3}")) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_text_lowercasing_splits_dotted_capital_i_and_keeps_ascii_borrowed() {
        assert!(matches!(lowercase_whole("The UN"), Cow::Borrowed("The UN")));
        assert!(matches!(lowercase_whole("CÔTE"), Cow::Borrowed("CÔTE")));
        // U+0130 lowercases to i + U+0307 (a combining mark, so a split point).
        assert_eq!(lowercase_whole("İSTANBUL"), "i\u{307}stanbul");
        // Final sigma is contextual: only a whole-text lowercase gets it right.
        assert_eq!(lowercase_whole("ΟΔΟΣ ΣΑ"), "οδος σα");
    }
}
