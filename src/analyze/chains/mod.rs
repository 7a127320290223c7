//! What each language's chain adds to the shared steps: a word folding step, a stopword list, a
//! stemmer, and for Chinese a word segmenter.
//!
//! The shared chain (clean, tokenize, lowercase, filter, stopwords, stem) stays as it is; a
//! language plugs in here. English adds nothing, so its chain is the one of earlier versions.
//!
//! | language | after lowercasing | stopwords | stemmer |
//! |---|---|---|---|
//! | ar | diacritics, tatweel removed; alef forms unified; presentation forms unfolded; `و ف ب ك`, two of them, and `لل` cut back to the article | stopwords-iso Arabic | Snowball Arabic |
//! | en | | Snowball English | Snowball English |
//! | es, fr | elided article or pronoun (`l'`, `d'`, `qu'`...) cut off | Snowball Spanish, French | Snowball Spanish, French |
//! | ru | `ё` folded to `е` | Snowball Russian | Snowball Russian |
//! | zh | (words cut by jieba first) | stopwords-iso Chinese | none |

pub mod arabic;
pub mod chinese;

use std::collections::HashSet;

use rust_stemmers::Algorithm;

use crate::analyze::language::Language;
use crate::analyze::{AnalysisSettings, Stemmer, Stopwords};

/// The list settings every chain shares, as configured (`[analysis]`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListEdits {
    /// Use each language's shipped stopword list (`stopwords = "snowball"`), or none.
    pub shipped: bool,
    pub stopwords_add: Vec<String>,
    pub stopwords_remove: Vec<String>,
    pub protected: Vec<String>,
}

/// A list word (stopword, protected word) as the chain of `language` reads a word of text:
/// cleaned as text is cleaned (`normalize`), curly apostrophes straightened, lowercased, folded.
pub fn list_word(word: &str, normalize: bool, language: Language) -> String {
    let w = if normalize {
        crate::decode::clean::clean(word).into_owned()
    } else {
        word.to_string()
    };
    let mut out: String = w
        .chars()
        .map(|c| {
            if matches!(c, '\u{2019}' | '\u{02BC}') {
                '\''
            } else {
                c
            }
        })
        .flat_map(char::to_lowercase)
        .collect();
    Folding::of(language).apply(&mut out);
    out
}

/// The chain of another language, from the default language's settings: the same cleaning,
/// tokenizer, lowercasing and filters (Chinese words may be one character long); the
/// language's shipped stopword list (or none) with the configured additions and removals; its
/// Snowball stemmer unless stemming is off, with the same protected words.
pub fn settings_for(
    language: Language,
    base: &AnalysisSettings,
    edits: &ListEdits,
) -> AnalysisSettings {
    let normalize = base.normalize;
    let word = |w: &str| list_word(w, normalize, language);
    let list = if edits.shipped {
        stopword_list(language)
    } else {
        ""
    };
    let stopwords = Stopwords::build(list, &edits.stopwords_add, &edits.stopwords_remove, word);
    let protected: HashSet<String> = edits.protected.iter().map(|w| word(w.trim())).collect();
    let algorithm = stemmer_algorithm(language).filter(|_| base.stemmer.enabled());
    AnalysisSettings {
        normalize,
        tokenizer: base.tokenizer,
        // (Chinese words may be one character long: `Analyzer::new` sees to it.)
        min_chars: base.min_chars,
        max_chars: base.max_chars,
        keep_numbers: base.keep_numbers,
        lowercase_text: base.lowercase_text,
        stopwords,
        stemmer: Stemmer::with_algorithm(algorithm, protected),
        language,
        words: Vec::new(),
    }
}

/// The folding step a language adds after lowercasing a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Folding {
    #[default]
    None,
    Arabic,
    /// French and Spanish: an elided article or pronoun before an apostrophe is cut off.
    Elision,
    /// Russian: `ё` is written `е` in most texts.
    Yo,
}

impl Folding {
    pub fn of(language: Language) -> Folding {
        match language {
            Language::Ar => Folding::Arabic,
            Language::Es | Language::Fr => Folding::Elision,
            Language::Ru => Folding::Yo,
            Language::En | Language::Zh => Folding::None,
        }
    }

    /// Folds a lowercase word in place.
    #[inline]
    pub fn apply(self, word: &mut String) {
        match self {
            Folding::None => {}
            Folding::Arabic => arabic::normalize(word),
            Folding::Elision => cut_elision(word),
            Folding::Yo => {
                if word.contains('ё') {
                    *word = word.replace('ё', "е");
                }
            }
        }
    }
}

/// What French (and, in loanwords, Spanish) elides before an apostrophe.
const ELIDED: &[&str] = &[
    "c", "d", "j", "jusqu", "l", "lorsqu", "m", "n", "puisqu", "qu", "quoiqu", "s", "t",
];

/// `l'état` -> `état`, `qu'il` -> `il`; `aujourd'hui` stays whole.
fn cut_elision(word: &mut String) {
    if let Some(at) = word.find('\'')
        && ELIDED.contains(&&word[..at])
        && at + 1 < word.len()
    {
        word.drain(..=at);
    }
}

/// The shipped stopword list of a language (one word a line, `#` comments).
pub fn stopword_list(language: Language) -> &'static str {
    match language {
        Language::Ar => include_str!("stopwords/ar.txt"),
        Language::En => crate::analyze::stopwords::SNOWBALL_ENGLISH,
        Language::Es => include_str!("stopwords/es.txt"),
        Language::Fr => include_str!("stopwords/fr.txt"),
        Language::Ru => include_str!("stopwords/ru.txt"),
        Language::Zh => include_str!("stopwords/zh.txt"),
    }
}

/// The Snowball stemmer of a language (Chinese words have no inflection to strip).
pub fn stemmer_algorithm(language: Language) -> Option<Algorithm> {
    match language {
        Language::Ar => Some(Algorithm::Arabic),
        Language::En => Some(Algorithm::English),
        Language::Es => Some(Algorithm::Spanish),
        Language::Fr => Some(Algorithm::French),
        Language::Ru => Some(Algorithm::Russian),
        Language::Zh => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(f: Folding, w: &str) -> String {
        let mut s = w.to_string();
        f.apply(&mut s);
        s
    }

    #[test]
    fn french_and_spanish_elision_is_cut_off() {
        assert_eq!(fold(Folding::Elision, "l'état"), "état");
        assert_eq!(
            fold(Folding::Elision, "d'infrastructures"),
            "infrastructures"
        );
        assert_eq!(fold(Folding::Elision, "qu'il"), "il");
        assert_eq!(fold(Folding::Elision, "jusqu'à"), "à");
        assert_eq!(fold(Folding::Elision, "aujourd'hui"), "aujourd'hui");
        assert_eq!(fold(Folding::Elision, "l'"), "l'");
        assert_eq!(fold(Folding::Elision, "menace"), "menace");
    }

    #[test]
    fn russian_yo_folds_to_ye() {
        assert_eq!(fold(Folding::Yo, "её"), "ее");
        assert_eq!(fold(Folding::Yo, "всё"), "все");
        assert_eq!(fold(Folding::Yo, "угроза"), "угроза");
    }

    #[test]
    fn every_shipped_list_is_there() {
        for l in Language::ALL {
            let words = stopword_list(l)
                .lines()
                .filter(|w| !w.starts_with('#') && !w.trim().is_empty())
                .count();
            assert!(words > 100, "{l}: {words} words");
        }
    }
}
