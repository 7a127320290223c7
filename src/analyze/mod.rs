//! The analysis chain (tokenize, lowercase, filter, stopwords, stem), one per language, built once and shared.
//!
//! The same chain normalizes statements and dictionary patterns, so the two
//! can never disagree about what a word is.

pub mod chains;
pub mod language;
pub mod lowercase;
pub mod stem;
pub mod stopwords;
pub mod tokenize;
pub mod vocab;

use std::borrow::Cow;

pub use stem::Stemmer;
pub use stopwords::Stopwords;
pub use tokenize::{Span, Tokenizer, TokenizerOptions};
pub use vocab::{Vocab, WordInfo};

/// What the filters make of one lowercase word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WordKind {
    /// Fewer characters than the minimum: not a token.
    Short,
    /// Digits only (when numbers are dropped): not a token.
    Number,
    /// More characters than the maximum (a run of letters whose spaces were lost, encoded
    /// data, a rule of letters): not a token.
    Long,
    /// A token, dropped as a stopword.
    Stop,
    /// A token that is counted and matched.
    Kept,
}

/// Every setting that changes what the chain produces.
#[derive(Debug, Clone)]
pub struct AnalysisSettings {
    /// Clean the text first (line ends, ligatures, invisible characters, NFC).
    pub normalize: bool,
    pub tokenizer: TokenizerOptions,
    /// Tokens shorter than this many characters are dropped.
    pub min_chars: usize,
    /// Tokens longer than this many characters are dropped; 0 keeps every length.
    pub max_chars: usize,
    /// Keep tokens made only of digits ("2023").
    pub keep_numbers: bool,
    /// Lowercase a whole text before splitting it (`[analysis] lowercase = "text"`), statements
    /// and patterns alike; otherwise each word is lowercased after splitting.
    pub lowercase_text: bool,
    pub stopwords: Stopwords,
    pub stemmer: Stemmer,
    /// The language of the chain: its folding step and, for Chinese, its segmenter.
    pub language: language::Language,
    /// Chinese: words the segmenter keeps whole (the dictionary's Chinese pattern words).
    pub words: Vec<String>,
}

/// One analysed word, for callers off the hot path (patterns, contexts, tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub lower: String,
    pub kind: WordKind,
    /// The stem, for kept tokens.
    pub stem: Option<String>,
}

/// Lowercase word -> stem, as an earlier run with the same analysis settings stemmed it.
pub type KnownStems = rustc_hash::FxHashMap<Box<str>, Box<str>>;

/// The analysis chain.
#[derive(Debug)]
pub struct Analyzer {
    settings: AnalysisSettings,
    tokenizer: Tokenizer,
    folding: chains::Folding,
    /// Stems from the cache: looked up before running the stemmer (see `crate::read::cache`).
    known_stems: KnownStems,
}

impl Analyzer {
    /// The chain of `settings`; a Chinese chain counts one-character words whatever
    /// `min_chars` says (most Chinese words are one or two characters), as the default
    /// language or as another.
    pub fn new(mut settings: AnalysisSettings) -> Analyzer {
        if settings.language == language::Language::Zh {
            settings.min_chars = 1;
        }
        let tokenizer = if settings.language == language::Language::Zh {
            Tokenizer::with_segmenter(
                settings.tokenizer,
                chains::chinese::Segmenter::with_words(&settings.words),
            )
        } else {
            Tokenizer::new(settings.tokenizer)
        };
        Analyzer {
            tokenizer,
            folding: chains::Folding::of(settings.language),
            settings,
            known_stems: KnownStems::default(),
        }
    }

    /// Supplies stems computed earlier under the same analysis settings, so words seen
    /// before are not stemmed again. The caller guarantees they came from this chain.
    pub fn set_known_stems(&mut self, known: KnownStems) {
        self.known_stems = known;
    }

    /// The stems supplied by [`Analyzer::set_known_stems`].
    pub fn known_stems(&self) -> &KnownStems {
        &self.known_stems
    }

    pub fn settings(&self) -> &AnalysisSettings {
        &self.settings
    }

    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// What the chain does to a whole text before splitting it, statements (cleaned when
    /// read) and patterns alike: lowercasing when `lowercase_text` is on, else nothing.
    pub fn before_split<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.settings.lowercase_text {
            lowercase::lowercase_whole(text)
        } else {
            Cow::Borrowed(text)
        }
    }

    /// Text cleaning and [`Analyzer::before_split`], for text that was not read as a statement
    /// (dictionary patterns, chart words).
    pub fn prepare<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match crate::decode::clean::prepare(text, self.settings.normalize) {
            Cow::Borrowed(clean) => self.before_split(clean),
            Cow::Owned(clean) => Cow::Owned(self.before_split(&clean).into_owned()),
        }
    }

    /// Lowercases one word into `out` (cleared first); apostrophe variants become `'`; the
    /// dotted capital `İ` (Turkish, in names such as İstanbul or İzmir) becomes `i`, not
    /// Unicode's `i` + combining dot, so the word matches as it is spelled without the dot;
    /// then the language's folding step (none for English) applies.
    #[inline]
    pub fn lowercase_into(&self, word: &str, out: &mut String) {
        out.clear();
        if word.is_ascii() {
            out.push_str(word);
            out.make_ascii_lowercase();
        } else {
            for c in word.chars() {
                match c {
                    '\u{2019}' | '\u{02BC}' => out.push('\''),
                    '\u{0130}' => out.push('i'),
                    c => out.extend(c.to_lowercase()),
                }
            }
        }
        self.folding.apply(out);
    }

    /// Classifies a lowercase word.
    #[inline]
    pub fn kind(&self, lower: &str) -> WordKind {
        let s = &self.settings;
        let chars = if lower.is_ascii() {
            lower.len()
        } else {
            lower.chars().count()
        };
        if chars < s.min_chars {
            WordKind::Short
        } else if s.max_chars > 0 && chars > s.max_chars {
            WordKind::Long
        } else if !s.keep_numbers && lower.chars().all(|c| c.is_numeric()) {
            WordKind::Number
        } else if s.stopwords.contains(lower) {
            WordKind::Stop
        } else {
            WordKind::Kept
        }
    }

    #[inline]
    pub fn stem<'a>(&'a self, lower: &'a str) -> Cow<'a, str> {
        match self.known_stems.get(lower) {
            Some(stem) => Cow::Borrowed(stem),
            None => self.settings.stemmer.stem(lower),
        }
    }

    /// Analyses prepared text word by word (short words and numbers included,
    /// marked by their kind).
    pub fn analyze(&self, prepared: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut lower = String::new();
        self.tokenizer.for_each(prepared, |span| {
            self.lowercase_into(&prepared[span.start..span.end], &mut lower);
            let kind = self.kind(&lower);
            let stem = (kind == WordKind::Kept).then(|| self.stem(&lower).into_owned());
            out.push(Token {
                span,
                lower: lower.clone(),
                kind,
                stem,
            });
        });
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::collections::HashSet;

    pub(crate) fn default_analyzer() -> Analyzer {
        Analyzer::new(AnalysisSettings {
            normalize: true,
            tokenizer: TokenizerOptions::default(),
            min_chars: 2,
            max_chars: 100,
            keep_numbers: false,
            lowercase_text: false,
            stopwords: Stopwords::build(stopwords::SNOWBALL_ENGLISH, &[], &[], |w| w.to_string()),
            stemmer: Stemmer::new(true, HashSet::new()),
            language: language::Language::En,
            words: Vec::new(),
        })
    }

    fn kept_stems(a: &Analyzer, text: &str) -> Vec<String> {
        let p = a.prepare(text);
        a.analyze(&p).into_iter().filter_map(|t| t.stem).collect()
    }

    #[test]
    fn chain_drops_short_words_numbers_and_stopwords() {
        let a = default_analyzer();
        let toks = a.analyze("In 2023 a G7 of the States met");
        let kinds: Vec<WordKind> = toks.iter().map(|t| t.kind).collect();
        use WordKind::*;
        assert_eq!(kinds, [Stop, Number, Short, Kept, Stop, Stop, Kept, Kept]);
        assert_eq!(
            kept_stems(&a, "In 2023 a G7 of the States met"),
            ["g7", "state", "met"]
        );
    }

    #[test]
    fn words_over_the_length_limit_are_not_tokens() {
        let mut a = default_analyzer();
        let long = "é".repeat(101);
        assert_eq!(a.kind(&"x".repeat(100)), WordKind::Kept);
        assert_eq!(a.kind(&"x".repeat(101)), WordKind::Long);
        // Characters, not bytes: 100 `é` are 200 bytes.
        assert_eq!(a.kind(&long[2..]), WordKind::Kept);
        assert_eq!(a.kind(&long), WordKind::Long);
        a.settings.max_chars = 0;
        assert_eq!(a.kind(&"x".repeat(100_000)), WordKind::Kept);
    }

    #[test]
    fn curly_and_straight_apostrophes_agree() {
        let a = default_analyzer();
        assert_eq!(kept_stems(&a, "world’s world's"), ["world", "world"]);
        // Contractions are whole words, so the stop list catches them.
        assert!(kept_stems(&a, "don’t isn't").is_empty());
    }

    #[test]
    fn nfc_and_nfd_give_one_term() {
        let a = default_analyzer();
        assert_eq!(
            kept_stems(&a, "s\u{e9}curit\u{e9}"),
            kept_stems(&a, "se\u{301}curite\u{301}")
        );
    }

    #[test]
    fn uppercase_and_accented_words_lowercase_fully() {
        let a = default_analyzer();
        let mut s = String::new();
        a.lowercase_into("CÔTE", &mut s);
        assert_eq!(s, "côte");
        a.lowercase_into("World’S", &mut s);
        assert_eq!(s, "world's");
        // Not i + U+0307, which would never equal the pattern `istanbul`.
        a.lowercase_into("İSTANBUL", &mut s);
        assert_eq!(s, "istanbul");
        a.lowercase_into("İzmir", &mut s);
        assert_eq!(s, "izmir");
    }
}
