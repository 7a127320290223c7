//! The session a header names: "Seventh session", "4th (resumed) session", "session 5", "Session VII".

use super::*;

/// Words that may sit between the ordinal and "session": "Seventh Substantive Session".
pub(super) const SESSION_ADJECTIVES: [&str; 6] = [
    "substantive",
    "regular",
    "ordinary",
    "formal",
    "organizational",
    "organisational",
];

/// The session number and whether the session is a resumed one.
pub(super) fn find_session(line: &str) -> Option<(u32, bool)> {
    let lower = line.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let resumed = tokens.iter().any(|t| *t == "resumed" || *t == "resumption");
    for (at, _) in tokens.iter().enumerate().filter(|(_, t)| **t == "session") {
        let mut before = at;
        while before > 0 && SESSION_ADJECTIVES.contains(&tokens[before - 1]) {
            before -= 1;
        }
        // "seventy-eighth" was split in two by the tokenizer; try the pair first.
        let two_words_before = (before >= 2)
            .then(|| ordinal_number(&format!("{} {}", tokens[before - 2], tokens[before - 1])))
            .flatten();
        let number = two_words_before
            .or_else(|| {
                before
                    .checked_sub(1)
                    .and_then(|b| ordinal_number(tokens[b]))
            })
            // "Session 7", "Session VII"
            .or_else(|| tokens.get(at + 1).and_then(|t| ordinal_number(t)))
            .or_else(|| tokens.get(at + 1).and_then(|t| roman_number(t)));
        if let Some(number) = number.filter(|n| *n <= MAX_SESSION_NUMBER) {
            return Some((number, resumed));
        }
    }
    None
}
