//! Who a header says delivered the statement, and the group they speak for.

use super::*;

/// Phrases that introduce who a statement is by.
pub(super) const SPEAKER_INTROS: [&str; 9] = [
    "statement by",
    "statement of",
    "statement delivered by",
    "remarks by",
    "intervention by",
    "address by",
    "speech by",
    "presentation by",
    "contribution by",
];

/// Where a name stops: the deliverer, the group, an apposition, a venue.
pub(super) const NAME_STOPS: [&str; 14] = [
    " delivered by",
    " on behalf of",
    " at the ",
    " during the ",
    " to the ",
    ",",
    ";",
    ":",
    "(",
    " - ",
    " \u{2013} ",
    " \u{2014} ",
    " | ",
    " / ",
];

/// Words left dangling before a date that was cut off: "France on 6 March 2024".
pub(super) const DANGLING_WORDS: [&str; 4] = ["on", "of", "dated", "delivered"];

pub(super) fn find_speaker(lines: &[String]) -> Option<String> {
    for (index, line) in lines.iter().enumerate() {
        let Some(rest) = find_phrase(line, &SPEAKER_INTROS).map(|at| &line[at..]) else {
            continue;
        };
        if let Some(name) = name_at_start(rest) {
            return Some(name);
        }
        // "Statement by" alone on its line: the name follows on the next one.
        if rest
            .trim_matches(|c: char| c == ':' || c.is_whitespace())
            .is_empty()
        {
            return lines.get(index + 1).and_then(|next| name_at_start(next));
        }
    }
    // No "Statement by": the one delivering it is the best we have.
    lines.iter().find_map(|line| {
        find_phrase(line, &["delivered by"]).and_then(|at| name_at_start(&line[at..]))
    })
}

pub(super) fn find_on_behalf_of(line: &str) -> Option<String> {
    find_phrase(line, &["on behalf of"]).and_then(|at| name_at_start(&line[at..]))
}

/// The name at the start of `text`: a leading "the" dropped, cut at the first stop or date.
pub(super) fn name_at_start(text: &str) -> Option<String> {
    let text = text.trim_start_matches(|c: char| c == ':' || c.is_whitespace());
    let text = match text.get(..4) {
        Some(article) if article.eq_ignore_ascii_case("the ") => &text[4..],
        _ if text.eq_ignore_ascii_case("the") => "",
        _ => text,
    };
    let lower = text.to_ascii_lowercase();
    let mut end = NAME_STOPS
        .iter()
        .filter_map(|stop| lower.find(stop))
        .chain(sentence_end(text))
        .min()
        .unwrap_or(text.len());
    if let Some((_, span)) = find_date(text) {
        end = end.min(span.start);
    }
    let mut name = text[..end].trim();
    while let Some((head, last)) = name.rsplit_once(' ') {
        if !DANGLING_WORDS.contains(&last.to_ascii_lowercase().as_str()) {
            break;
        }
        name = head.trim_end();
    }
    name.chars()
        .any(char::is_alphabetic)
        .then(|| name.to_string())
}

/// Titles and name parts written with a full stop that does not end a sentence ("Mr.",
/// "Amb."); dotted abbreviations ("H.E.") and initials ("J.") are known by their shape.
pub(super) const ABBREVIATIONS: [&str; 30] = [
    "mr", "mrs", "ms", "mme", "mlle", "messrs", "dr", "prof", "amb", "hon", "rt", "rev", "mgr",
    "st", "sr", "sra", "jr", "esq", "gen", "lt", "col", "capt", "cdr", "adm", "maj", "sen", "rep",
    "gov", "pres", "no",
];

/// Byte offset of the full stop that ends the first sentence of `text`: one followed by a space
/// or the end of the text, after a word that is not an abbreviation. "Statement by Germany.
/// Germany supports ..." names Germany; "H.E. Ms. Jane Doe" is one name.
pub(super) fn sentence_end(text: &str) -> Option<usize> {
    text.match_indices('.').map(|(at, _)| at).find(|&at| {
        let ends_word = text[at + 1..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace);
        let word = text[..at].rsplit(char::is_whitespace).next().unwrap_or("");
        ends_word && !is_abbreviation(word)
    })
}

/// Whether a full stop after `word` abbreviates it: "Mr", "H.E" or the ".." of an ellipsis (a
/// full stop inside), "J".
pub(super) fn is_abbreviation(word: &str) -> bool {
    if word.contains('.') {
        return true;
    }
    let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    let mut chars = word.chars();
    let initial = chars.next().is_some_and(char::is_alphabetic) && chars.next().is_none();
    initial || ABBREVIATIONS.contains(&word.to_ascii_lowercase().as_str())
}

/// Byte offset just past the earliest whole-phrase, case-insensitive match of any of `phrases`.
pub(super) fn find_phrase(line: &str, phrases: &[&str]) -> Option<usize> {
    find_phrase_span(line, phrases).map(|span| span.end)
}

/// Byte range of the earliest whole-phrase, case-insensitive match of any of `phrases`.
pub(super) fn find_phrase_span(line: &str, phrases: &[&str]) -> Option<Range<usize>> {
    // ASCII lower-casing keeps byte offsets, so they index `line` as well.
    let lower = line.to_ascii_lowercase();
    phrases
        .iter()
        .filter_map(|phrase| {
            lower.match_indices(phrase).find_map(|(start, _)| {
                let end = start + phrase.len();
                let starts_word = lower[..start]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let ends_word = lower[end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                (starts_word && ends_word).then_some((start, end))
            })
        })
        .min()
        .map(|(start, end)| start..end)
}
