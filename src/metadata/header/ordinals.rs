//! Ordinals in headers: "seventh", "twenty-first", "7th", "7".

/// Reads an English ordinal ("first" to "twentieth", "twenty-first" to "ninety-ninth", hyphen
/// or space between the parts), a numeric ordinal with its correct suffix ("1st", "2nd",
/// "3rd", "11th", "21st"), or plain digits ("7"). Case-insensitive; zero is not an ordinal.
pub fn ordinal_number(word: &str) -> Option<u32> {
    let word = word.trim().to_lowercase();
    if word.is_empty() {
        return None;
    }
    let digits_end = word
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(word.len());
    if digits_end > 0 {
        // More than nine digits would overflow u32 and is no ordinal anyway.
        if digits_end > 9 {
            return None;
        }
        let number: u32 = word[..digits_end].parse().ok()?;
        let suffix = &word[digits_end..];
        let suffix_ok = suffix.is_empty() || suffix == ordinal_suffix(number);
        return (number > 0 && suffix_ok).then_some(number);
    }
    let parts: Vec<&str> = word
        .split(|c: char| c == '-' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .collect();
    match parts.as_slice() {
        [single] => ordinal_word(single),
        [tens, unit] => {
            let tens = tens_word(tens)?;
            let unit = ordinal_word(unit).filter(|unit| *unit < 10)?;
            Some(tens + unit)
        }
        _ => None,
    }
}

/// The suffix English writes after a numeric ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st.
pub(super) fn ordinal_suffix(number: u32) -> &'static str {
    match (number % 10, number % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

pub(super) const ORDINAL_WORDS: [(&str, u32); 27] = [
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
    ("eleventh", 11),
    ("twelfth", 12),
    ("thirteenth", 13),
    ("fourteenth", 14),
    ("fifteenth", 15),
    ("sixteenth", 16),
    ("seventeenth", 17),
    ("eighteenth", 18),
    ("nineteenth", 19),
    ("twentieth", 20),
    ("thirtieth", 30),
    ("fortieth", 40),
    ("fiftieth", 50),
    ("sixtieth", 60),
    ("seventieth", 70),
    ("eightieth", 80),
    ("ninetieth", 90),
];

pub(super) const TENS_WORDS: [(&str, u32); 8] = [
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

pub(super) fn ordinal_word(word: &str) -> Option<u32> {
    ORDINAL_WORDS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, n)| *n)
}

pub(super) fn tens_word(word: &str) -> Option<u32> {
    TENS_WORDS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, n)| *n)
}
