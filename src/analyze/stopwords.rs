//! Stopword lists: the shipped Snowball English list, edited by configuration.

use std::collections::HashSet;

/// The Snowball English stop list (174 words), as published with the Snowball stemmers.
pub const SNOWBALL_ENGLISH: &str = include_str!("stopwords_en.txt");

/// A set of lowercase words dropped before stemming.
#[derive(Debug, Clone, Default)]
pub struct Stopwords {
    words: HashSet<String>,
}

impl Stopwords {
    /// Builds the set from a newline-separated list (`#` starts a comment), then
    /// adds and removes words. Every word goes through `normalize` so that list
    /// entries compare equal to tokens ("Don’t" in a list matches "don't").
    pub fn build(
        list: &str,
        add: &[String],
        remove: &[String],
        normalize: impl Fn(&str) -> String,
    ) -> Stopwords {
        let mut words: HashSet<String> = list
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty())
            .map(&normalize)
            .collect();
        words.extend(add.iter().map(|w| normalize(w.trim())));
        for w in remove {
            words.remove(&normalize(w.trim()));
        }
        words.remove("");
        Stopwords { words }
    }

    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        self.words.contains(word)
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The words in sorted order (for hashing settings and for display).
    pub fn sorted(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.words.iter().map(String::as_str).collect();
        v.sort_unstable();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snowball_list_has_174_words() {
        let s = Stopwords::build(SNOWBALL_ENGLISH, &[], &[], |w| w.to_string());
        assert_eq!(s.len(), 174);
        assert!(s.contains("the") && s.contains("don't") && !s.contains("security"));
    }

    #[test]
    fn add_and_remove_edit_the_list() {
        let s = Stopwords::build(
            SNOWBALL_ENGLISH,
            &["Chair".into()],
            &["against".into()],
            |w| w.to_lowercase(),
        );
        assert!(s.contains("chair"));
        assert!(!s.contains("against"));
        assert_eq!(s.len(), 174);
    }
}
