//! Tokenizer: splits cleaned text into word spans and marks where sentences start.
//!
//! Rules (the README's "How text is analysed", step 3, is the user-facing copy):
//! - A word is a maximal run of letters (Unicode general category L*) and
//!   decimal digits (Nd). Everything else separates words: punctuation,
//!   hyphens and dashes, symbols, other numbers (², ¼) and spaces.
//! - Combining marks (M*) continue a word they follow when `marks_in_words`
//!   is on (after NFC only marks with no precomposed form remain).
//! - An apostrophe (`'`, U+2019, U+02BC) between two letters stays inside the
//!   word when `apostrophes_in_words` is on ("don't", "world's"); elsewhere it
//!   separates.
//! - A sentence starts after `.`, `!`, `?` or `;`, except a period that does
//!   not end one: inside a number or a dotted abbreviation ("1.5", "56.183",
//!   "U.N"), after dotted or spaced initials ("U.N.", "e.g.", "H.E.", "H. E."),
//!   after a known abbreviation ("Mr.", "etc."), or after one that is followed
//!   by a number ("No. 5", "para. 3", "Art. 51"). A number or a lone letter
//!   before a period ends a sentence ("Article 5. Then", "plan B. The").
//!   Line breaks and blank lines never end a sentence: the statements we read
//!   are extracted from PDFs with page breaks in mid-sentence.

use unicode_general_category::{GeneralCategory, get_general_category};

use crate::analyze::chains::chinese::Segmenter;

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

/// Words that end in a period without ending a sentence (lowercase ASCII, sorted).
/// Dotted initials ("e.g.", "U.N.") need no entry: see [`Tokenizer::for_each`].
const ABBREVIATIONS: &[&str] = &[
    "amb", "cf", "co", "dr", "eg", "etc", "gen", "hon", "ie", "inc", "jr", "ltd", "messrs", "mme",
    "mr", "mrs", "ms", "prof", "rev", "sr", "st", "viz", "vs",
];

/// Abbreviations that end a sentence unless a number follows: "No. 5" but "we said no.".
const NUMBERED_ABBREVIATIONS: &[&str] = &[
    "art", "arts", "no", "nos", "op", "p", "para", "paras", "pp", "vol",
];

/// The longest word in either list.
const LONGEST_ABBREVIATION: usize = 6;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Word,
    Mark,
    Apostrophe,
    Terminator,
    Other,
}

/// Sentence ends beyond ASCII's `.` `!` `?` `;`: the ellipsis; the ideographic full stop and
/// the full-width `！` `？` `；` of Chinese and Japanese text (and the half-width `｡`); Arabic
/// `؟` `؛` and the Urdu full stop `۔`; the Devanagari dandas `।` `॥`; the Armenian and Ethiopic
/// full stops; the Greek question mark (`;` itself after NFC); double marks (`‼` `⁇` `⁈` `⁉`);
/// and the small forms `﹔` `﹖` `﹗`. Not the full-width and small periods (`．` `﹒`): they
/// also stand inside full-width numbers, which the rules for `.` are not there to tell apart.
/// Sorted, for the binary search.
const TERMINATORS: [char; 21] = [
    '\u{037E}', '\u{0589}', '\u{061B}', '\u{061F}', '\u{06D4}', '\u{0964}', '\u{0965}', '\u{1362}',
    '\u{2026}', '\u{203C}', '\u{2047}', '\u{2048}', '\u{2049}', '\u{3002}', '\u{FE54}', '\u{FE56}',
    '\u{FE57}', '\u{FF01}', '\u{FF1B}', '\u{FF1F}', '\u{FF61}',
];

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
        c if TERMINATORS.binary_search(&c).is_ok() => return Class::Terminator,
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
    /// Cuts runs of Chinese characters into words (the Chinese chain only).
    segmenter: Option<std::sync::Arc<Segmenter>>,
}

impl Tokenizer {
    pub fn new(options: TokenizerOptions) -> Tokenizer {
        Tokenizer {
            options,
            segmenter: None,
        }
    }

    /// A tokenizer that also cuts each run of Chinese characters into words.
    pub fn with_segmenter(
        options: TokenizerOptions,
        segmenter: std::sync::Arc<Segmenter>,
    ) -> Tokenizer {
        Tokenizer {
            options,
            segmenter: Some(segmenter),
        }
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
        let mut prev: Option<Word> = None;
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
                        let keeps_sentence = c == '.'
                            && prev.is_some_and(|w| w.end == i && w.period_continues(text));
                        if !keeps_sentence {
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
            match &self.segmenter {
                Some(seg) if Segmenter::needed(&text[start..end]) => {
                    // The run's sentence state goes to its first word.
                    let mut first = true;
                    seg.split(&text[start..end], |a, b| {
                        let word = &text[start + a..start + b];
                        if word.chars().any(|c| classify(c) == Class::Word) {
                            f(Span {
                                start: start + a,
                                end: start + b,
                                sentence_start: pending_break && first,
                            });
                            first = false;
                        }
                    });
                }
                _ => f(Span {
                    start,
                    end,
                    sentence_start: pending_break,
                }),
            }
            pending_break = false;
            prev = Some(Word::after(prev, text, start, end));
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

/// The word before a period, and what is needed to tell whether the period ends a sentence.
#[derive(Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    /// A single letter directly after an initial and its period ("U.N", "e.g", "H. E"):
    /// part of a run of initials.
    follows_initial: bool,
}

impl Word {
    /// The word at `start..end`, given the word before it.
    fn after(prev: Option<Word>, text: &str, start: usize, end: usize) -> Word {
        // Only a one-character word can be an initial: a cheap test on the hot path.
        let follows_initial = end - start <= 4
            && is_single_letter(&text[start..end])
            && prev.is_some_and(|p| {
                let gap = &text[p.end..start];
                is_single_letter(&text[p.start..p.end])
                    && gap.starts_with('.')
                    && gap[1..].bytes().all(|b| b == b' ')
            });
        Word {
            start,
            end,
            follows_initial,
        }
    }

    /// Whether the period right after this word leaves the sentence going on.
    fn period_continues(self, text: &str) -> bool {
        let word = &text[self.start..self.end];
        let after = &text[self.end + 1..];
        let next = after.chars().next();
        if next.is_some_and(|c| classify(c) == Class::Word) {
            // No space: inside a number ("1.5"), a dotted abbreviation ("U.N"), or "Mr.Smith".
            return is_digits(word) && next.is_some_and(|c| c.is_ascii_digit())
                || is_single_letter(word)
                || in_list(ABBREVIATIONS, word);
        }
        let following = after.trim_start_matches(' ');
        let next_is_number = following.starts_with(|c: char| c.is_ascii_digit());
        if next_is_number && in_list(NUMBERED_ABBREVIATIONS, word) {
            return true;
        }
        if is_single_letter(word) {
            // "U.N." or "H. E. Mr.": a run of initials, not "plan B." ending a sentence.
            return self.follows_initial || starts_with_initial(following);
        }
        !is_digits(word) && in_list(ABBREVIATIONS, word)
    }
}

fn is_single_letter(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none()
}

fn is_digits(word: &str) -> bool {
    word.bytes().all(|b| b.is_ascii_digit())
}

/// "E. Mr": a single letter and a period.
fn starts_with_initial(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(char::is_alphabetic) && chars.next() == Some('.')
}

/// Whether `word`, lowercased, is in `list` (sorted lowercase ASCII); no allocation.
fn in_list(list: &[&str], word: &str) -> bool {
    if word.len() > LONGEST_ABBREVIATION || !word.is_ascii() {
        return false;
    }
    let mut buf = [0u8; LONGEST_ABBREVIATION];
    let lower = &mut buf[..word.len()];
    lower.copy_from_slice(word.as_bytes());
    lower.make_ascii_lowercase();
    list.binary_search_by(|entry| entry.as_bytes().cmp(lower))
        .is_ok()
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
    fn abbreviation_tables_are_sorted_lowercase_and_short() {
        for list in [ABBREVIATIONS, NUMBERED_ABBREVIATIONS] {
            assert!(list.windows(2).all(|w| w[0] < w[1]));
            assert!(
                list.iter().all(|w| w.len() <= LONGEST_ABBREVIATION
                    && w.bytes().all(|b| b.is_ascii_lowercase()))
            );
        }
        assert!(in_list(ABBREVIATIONS, "Mr") && in_list(ABBREVIATIONS, "ETC"));
        assert!(!in_list(ABBREVIATIONS, "Mrs.") && !in_list(ABBREVIATIONS, "Chairman"));
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

    /// The words that start a sentence.
    fn sentence_starts(text: &str) -> Vec<&str> {
        Tokenizer::default()
            .spans(text)
            .iter()
            .filter(|s| s.sentence_start)
            .map(|s| &text[s.start..s.end])
            .collect()
    }

    #[test]
    fn other_scripts_end_sentences_at_their_own_marks() {
        assert!(
            TERMINATORS.windows(2).all(|w| w[0] < w[1]),
            "sorted, for the search"
        );
        // Arabic question mark and semicolon, Urdu full stop.
        assert_eq!(
            sentence_starts("هل ندعم بناء؟ القدرات مهمة؛ نعم۔ شكرا"),
            ["هل", "القدرات", "نعم", "شكرا"]
        );
        // Full-width semicolon and the half-width ideographic stop; the full-width period
        // stays inside a number.
        assert_eq!(sentence_starts("安全；能力｡建设"), ["安全", "能力", "建设"]);
        assert_eq!(sentence_starts("ａ１．５ｂ"), ["ａ１"]);
        // Devanagari danda, Armenian and Ethiopic full stops, a double mark.
        assert_eq!(sentence_starts("क। ख"), ["क", "ख"]);
        assert_eq!(sentence_starts("Բ։ Գ"), ["Բ", "Գ"]);
        assert_eq!(sentence_starts("ሀ። ለ"), ["ሀ", "ለ"]);
        assert_eq!(sentence_starts("Now‼ Then"), ["Now", "Then"]);
    }

    #[test]
    fn numbers_and_single_letters_end_sentences() {
        assert_eq!(
            sentence_starts("as set out in Article 5. Infrastructure owners must report"),
            ["as", "Infrastructure"]
        );
        assert_eq!(sentence_starts("in 2001. Then"), ["in", "Then"]);
        assert_eq!(sentence_starts("we need a plan B. The plan"), ["we", "The"]);
        assert_eq!(sentence_starts("Annex I. Annex II."), ["Annex", "Annex"]);
        assert_eq!(sentence_starts("we say no. Peace"), ["we", "Peace"]);
        assert_eq!(
            sentence_starts("the state of the art. Art matters"),
            ["the", "Art"]
        );
    }

    #[test]
    fn abbreviations_before_numbers_and_dotted_initials_do_not_end_sentences() {
        for text in [
            "rules, e.g. norms",
            "rules, i.e. norms",
            "the U.N. system",
            "the U.S. delegation",
            "resolution No. 5 of the Assembly",
            "see para. 3 above",
            "Art. 51 of the Charter",
            "pp. 12 to 14",
            "a rate of 1.5 per cent",
            "document A/56.183 says",
            "H.E. Mr. Smith and Ms. Jones, etc. spoke",
            "H. E. Mr. Smith spoke",
        ] {
            assert_eq!(
                sentence_starts(text).len(),
                1,
                "{text:?}: {:?}",
                sentence_starts(text)
            );
        }
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
