//! Tokenizer: splits cleaned text into word spans and marks where sentences start.
//!
//! Rules (the README's "Tokenization" section is the user-facing copy):
//! - A word is a maximal run of letters (Unicode general category L*) and
//!   decimal digits (Nd). Everything else separates words: punctuation,
//!   hyphens and dashes, symbols, other numbers (², ¼) and spaces.
//! - Combining marks (M*) continue a word they follow when `marks_in_words`
//!   is on (after NFC only marks with no precomposed form remain).
//! - An apostrophe (`'`, U+2019, U+02BC) between two letters stays inside the
//!   word when `apostrophes_in_words` is on ("don't", "world's"); elsewhere it
//!   separates.
//! - A sentence starts after `.`, `!`, `?` or `;`, except a period that closes
//!   a known abbreviation ("Mr.", "H.E.", "e.g.") or a single letter. Line
//!   breaks and blank lines never end a sentence: the statements we read are
//!   extracted from PDFs with page breaks in mid-sentence.

use unicode_general_category::{GeneralCategory, get_general_category};

/// How words are delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenizerOptions {
    pub apostrophes_in_words: bool,
    pub marks_in_words: bool,
}

impl Default for TokenizerOptions {
    fn default() -> Self {
        TokenizerOptions {
            apostrophes_in_words: true,
            marks_in_words: true,
        }
    }
}

/// One word occurrence: a byte span of the text it was cut from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    /// A sentence boundary lies between the previous word and this one.
    pub sentence_start: bool,
}

/// Words that end in a period without ending a sentence.
const ABBREVIATIONS: &[&str] = &[
    "amb", "art", "arts", "cf", "co", "dr", "e.g", "eg", "etc", "gen", "h.e", "hon", "i.e", "ie",
    "inc", "jr", "ltd", "messrs", "mme", "mr", "mrs", "ms", "no", "nos", "op", "para", "paras",
    "pp", "prof", "rev", "sr", "st", "u.n", "u.s", "viz", "vol", "vs",
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Mark,
    Apostrophe,
    Terminator,
    Other,
}

#[inline]
fn classify(c: char) -> Class {
    if c.is_ascii() {
        return match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' => Class::Word,
            '\'' => Class::Apostrophe,
            '.' | '!' | '?' | ';' => Class::Terminator,
            _ => Class::Other,
        };
    }
    match c {
        '\u{2019}' | '\u{02BC}' => return Class::Apostrophe,
        '\u{2026}' | '\u{3002}' | '\u{FF01}' | '\u{FF1F}' => return Class::Terminator,
        _ => {}
    }
    use GeneralCategory::*;
    match get_general_category(c) {
        UppercaseLetter | LowercaseLetter | TitlecaseLetter | ModifierLetter | OtherLetter
        | DecimalNumber => Class::Word,
        NonspacingMark | SpacingMark | EnclosingMark => Class::Mark,
        _ => Class::Other,
    }
}

#[inline]
fn is_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || (!c.is_ascii() && classify(c) == Class::Word && !c.is_numeric())
}

/// Splits text into word spans. Built once, shared by every worker.
#[derive(Debug, Clone, Default)]
pub struct Tokenizer {
    options: TokenizerOptions,
}

impl Tokenizer {
    pub fn new(options: TokenizerOptions) -> Tokenizer {
        Tokenizer { options }
    }

    pub fn options(&self) -> TokenizerOptions {
        self.options
    }

    /// Calls `f` for every word of `text`, in order.
    pub fn for_each(&self, text: &str, mut f: impl FnMut(Span)) {
        let bytes = text.as_bytes();
        let mut i = 0;
        // Sentence state carried across the gap between two words.
        let mut pending_break = true;
        let mut prev: Option<(usize, usize)> = None;
        while i < bytes.len() {
            // Skip the gap, noting sentence terminators.
            let mut word_start = None;
            while i < bytes.len() {
                let b = bytes[i];
                let (c, len) = if b < 0x80 {
                    (b as char, 1)
                } else {
                    let c = text[i..].chars().next().unwrap_or(' ');
                    (c, c.len_utf8())
                };
                match classify(c) {
                    Class::Word => {
                        word_start = Some(i);
                        break;
                    }
                    Class::Terminator => {
                        let closes_abbreviation = c == '.'
                            && prev.is_some_and(|(s, e)| e == i && is_abbreviation(&text[s..e]));
                        if !closes_abbreviation {
                            pending_break = true;
                        }
                    }
                    _ => {}
                }
                i += len;
            }
            let Some(start) = word_start else { break };
            // Scan the word.
            let mut end = start;
            let mut last_char = ' ';
            while end < bytes.len() {
                let b = bytes[end];
                if b.is_ascii_alphanumeric() {
                    last_char = b as char;
                    end += 1;
                    continue;
                }
                let c = if b < 0x80 {
                    b as char
                } else {
                    text[end..].chars().next().unwrap_or(' ')
                };
                match classify(c) {
                    Class::Word => {}
                    Class::Mark if self.options.marks_in_words => {}
                    Class::Apostrophe
                        if self.options.apostrophes_in_words && is_letter(last_char) =>
                    {
                        let next = text[end + c.len_utf8()..].chars().next();
                        if !next.is_some_and(is_letter) {
                            break;
                        }
                    }
                    _ => break,
                }
                last_char = c;
                end += c.len_utf8();
            }
            f(Span {
                start,
                end,
                sentence_start: pending_break,
            });
            pending_break = false;
            prev = Some((start, end));
            i = end;
        }
    }

    /// All spans of `text`, for callers that are not on a hot path.
    pub fn spans(&self, text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        self.for_each(text, |s| out.push(s));
        out
    }
}

fn is_abbreviation(word: &str) -> bool {
    if word.chars().count() == 1 {
        // Initials: "H. E.", "J. Smith", "U.N."
        return true;
    }
    if word.len() > 6 {
        return false;
    }
    let lower = word.to_lowercase();
    ABBREVIATIONS.binary_search(&lower.as_str()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        Tokenizer::default()
            .spans(text)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    fn words_with(text: &str, options: TokenizerOptions) -> Vec<&str> {
        Tokenizer::new(options)
            .spans(text)
            .into_iter()
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn abbreviation_table_is_sorted_for_binary_search() {
        assert!(ABBREVIATIONS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn splits_on_punctuation_hyphens_and_spaces() {
        assert_eq!(
            words("Multi-stakeholder, action-oriented (proposals)!"),
            ["Multi", "stakeholder", "action", "oriented", "proposals"]
        );
        assert_eq!(words("  "), Vec::<&str>::new());
        assert_eq!(words(""), Vec::<&str>::new());
    }

    #[test]
    fn apostrophes_inside_words_are_kept_between_letters_only() {
        assert_eq!(
            words("don't world’s States' 'quoted'"),
            ["don't", "world’s", "States", "quoted"]
        );
        let split = TokenizerOptions {
            apostrophes_in_words: false,
            marks_in_words: false,
        };
        assert_eq!(
            words_with("don't world’s", split),
            ["don", "t", "world", "s"]
        );
    }

    #[test]
    fn numbers_and_letters_mix_but_other_numbers_split() {
        assert_eq!(
            words("G20 2021-2025 1.5 km² ¼"),
            ["G20", "2021", "2025", "1", "5", "km"]
        );
    }

    #[test]
    fn accented_and_non_latin_letters_are_word_characters() {
        assert_eq!(
            words("Côte d'Ivoire sécurité Türkiye кибер 网络"),
            ["Côte", "d'Ivoire", "sécurité", "Türkiye", "кибер", "网络"]
        );
    }

    #[test]
    fn combining_marks_continue_words_unless_disabled() {
        let nfd = "se\u{301}curite\u{301}";
        assert_eq!(words(nfd), [nfd]);
        let split = TokenizerOptions {
            apostrophes_in_words: true,
            marks_in_words: false,
        };
        assert_eq!(words_with(nfd, split), ["se", "curite"]);
    }

    #[test]
    fn page_breaks_do_not_end_sentences_but_periods_do() {
        let t = Tokenizer::default();
        let text = "will require to better coordinate efforts, especially as to articulate\n\nexisting frameworks. New norms";
        let spans = t.spans(text);
        let starts: Vec<&str> = spans
            .iter()
            .filter(|s| s.sentence_start)
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(starts, ["will", "New"]);
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        let t = Tokenizer::default();
        let text = "Thank you, Mr. Chair. H.E. Ms. Smith spoke; then e.g. others";
        let starts: Vec<&str> = t
            .spans(text)
            .iter()
            .filter(|s| s.sentence_start)
            .map(|s| &text[s.start..s.end])
            .collect();
        assert_eq!(starts, ["Thank", "H", "then"]);
    }

    /// Text drawn from the characters the tokenizer treats specially, plus anything at all.
    fn tricky_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let special = prop_oneof![
            Just('a'),
            Just('Z'),
            Just('7'),
            Just('.'),
            Just('\''),
            Just('\u{2019}'),
            Just('\u{2BC}'),
            Just('\u{301}'),
            Just(' '),
            Just('\n'),
            Just('-'),
            Just('é'),
            Just('网'),
            Just('²'),
            Just(';'),
            Just('\u{2026}'),
            any::<char>(),
        ];
        proptest::collection::vec(special, 0..80).prop_map(|cs| cs.into_iter().collect())
    }

    proptest::proptest! {
        /// Spans lie inside the text on char boundaries, in order, without overlap, and cover
        /// word characters only at their ends.
        #[test]
        fn spans_are_ordered_disjoint_and_on_char_boundaries(
            text in tricky_text(),
            apostrophes in proptest::bool::ANY,
            marks in proptest::bool::ANY,
        ) {
            let t = Tokenizer::new(TokenizerOptions {
                apostrophes_in_words: apostrophes,
                marks_in_words: marks,
            });
            let mut previous_end = 0;
            for (i, span) in t.spans(&text).into_iter().enumerate() {
                proptest::prop_assert!(span.start < span.end && span.end <= text.len());
                proptest::prop_assert!(span.start >= previous_end);
                proptest::prop_assert!(text.is_char_boundary(span.start));
                proptest::prop_assert!(text.is_char_boundary(span.end));
                let first = text[span.start..].chars().next().unwrap();
                proptest::prop_assert!(classify(first) == Class::Word, "{first:?}");
                proptest::prop_assert!(i > 0 || span.sentence_start, "the first word starts a sentence");
                previous_end = span.end;
            }
        }
    }
}
