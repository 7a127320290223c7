//! Stemming: Snowball (English, or another chain's language) through rust-stemmers, with words kept whole on request.

use std::borrow::Cow;
use std::collections::HashSet;

use rust_stemmers::{Algorithm, Stemmer as Snowball};

/// Reduces a lowercase word to its stem.
pub struct Stemmer {
    algorithm: Algorithm,
    snowball: Option<Snowball>,
    protected: HashSet<String>,
}

impl std::fmt::Debug for Stemmer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Stemmer")
            .field("enabled", &self.snowball.is_some())
            .field("protected", &self.protected.len())
            .finish()
    }
}

impl Clone for Stemmer {
    fn clone(&self) -> Stemmer {
        // rust-stemmers' stemmer holds no state beyond its algorithm.
        Stemmer {
            snowball: self
                .snowball
                .as_ref()
                .map(|_| Snowball::create(self.algorithm)),
            algorithm: self.algorithm,
            protected: self.protected.clone(),
        }
    }
}

impl Stemmer {
    /// `enabled = false` makes every word its own stem. `protected` words are
    /// never stemmed: rust-stemmers implements pre-3.0 Snowball, which merges
    /// university/universe/universal and emergency/emerge.
    pub fn new(enabled: bool, protected: HashSet<String>) -> Stemmer {
        Stemmer::with_algorithm(Some(Algorithm::English).filter(|_| enabled), protected)
    }

    /// A Snowball stemmer for another language (`None`: every word is its own stem).
    pub fn with_algorithm(algorithm: Option<Algorithm>, protected: HashSet<String>) -> Stemmer {
        Stemmer {
            algorithm: algorithm.unwrap_or(Algorithm::English),
            snowball: algorithm.map(Snowball::create),
            protected,
        }
    }

    /// Whether words are stemmed at all.
    pub fn enabled(&self) -> bool {
        self.snowball.is_some()
    }

    /// The protected words in sorted order (for the cache's settings fingerprint).
    pub fn protected_sorted(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.protected.iter().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    #[inline]
    pub fn stem<'a>(&self, word: &'a str) -> Cow<'a, str> {
        match &self.snowball {
            Some(s) if !self.protected.contains(word) => s.stem(word),
            _ => Cow::Borrowed(word),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_like_snowball_english() {
        let s = Stemmer::new(true, HashSet::new());
        assert_eq!(s.stem("mercenaries"), "mercenari");
        assert_eq!(s.stem("mercenary"), "mercenari");
        assert_eq!(s.stem("capacities"), "capac");
        assert_eq!(s.stem("university"), s.stem("universe"));
    }

    #[test]
    fn protected_words_stay_whole() {
        let s = Stemmer::new(true, ["university".to_string()].into_iter().collect());
        assert_eq!(s.stem("university"), "university");
        assert_eq!(s.stem("universe"), "univers");
    }

    #[test]
    fn disabled_stemmer_is_identity() {
        let s = Stemmer::new(false, HashSet::new());
        assert_eq!(s.stem("mercenaries"), "mercenaries");
    }
}
