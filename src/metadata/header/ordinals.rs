//! Ordinals in headers: "seventh", "twenty-first", "7th", "7", and Roman numerals ("VII").

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

/// A Roman numeral in its standard form ("VII", "XLIX", "lxxix"), 1 to 3999; `None` for
/// anything else, including non-standard spellings ("IIII", "IC", "VX").
pub fn roman_number(word: &str) -> Option<u32> {
    let upper = word.trim().to_ascii_uppercase();
    if upper.is_empty() || upper.len() > 15 {
        return None;
    }
    let value = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    let values: Vec<i64> = upper.chars().map(value).collect::<Option<_>>()?;
    let mut total = 0i64;
    for (i, v) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|next| next > v) {
            total -= v;
        } else {
            total += v;
        }
    }
    // Standard form only: the number written back must be what was read.
    let total = u32::try_from(total)
        .ok()
        .filter(|t| (1..4000).contains(t))?;
    (to_roman(total) == upper).then_some(total)
}

fn to_roman(mut n: u32) -> String {
    const PARTS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut out = String::new();
    for (value, letters) in PARTS {
        while n >= value {
            out.push_str(letters);
            n -= value;
        }
    }
    out
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
