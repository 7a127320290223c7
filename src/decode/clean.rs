//! Text cleaning stage: normalises line breaks, Unicode forms and PDF artefacts before tokenizing.
//!
//! Applied to every statement and to every dictionary pattern, so both sides agree. The result:
//!
//! - CRLF, lone CR, form feed, vertical tab, NEL (U+0085), U+2028 and U+2029 become LF;
//! - PDF ligatures U+FB00..=U+FB06 are expanded (`ff fi fl ffi ffl st st`);
//! - full-width Latin letters and digits (U+FF10..=U+FF5A, as Chinese and Japanese text types
//!   them: `２０２４年`, `ＩＣＴ`) become ASCII, as Unicode compatibility mapping (NFKC) does;
//!   full-width punctuation (`，` `：` `（`) is left alone;
//! - soft hyphen U+00AD, zero-width space/non-joiner/joiner U+200B..=U+200D, word joiner U+2060,
//!   BOM U+FEFF and the directional formatting characters (U+200E/U+200F LRM/RLM, U+061C ALM,
//!   U+202A..=U+202E, U+2066..=U+2069) are removed;
//! - every other Unicode space separator (Zs: no-break spaces, em/en/thin spaces, ...) becomes
//!   an ASCII space;
//! - U+02BC becomes `'`, and so do U+2019/U+2018 between two letters or digits (`don’t`,
//!   `l’Afrique`); quotation marks elsewhere are left alone;
//! - the text is in Unicode NFC;
//! - a hyphen (`-`, U+2010 or a soft hyphen) directly before a line break, with a letter before
//!   it and a lowercase letter after the break (optional spaces/tabs between): the line break
//!   and the indent go. The hyphen stays, as the compound's own (`self-\n  determination`
//!   becomes `self-determination`), unless it is a soft hyphen or the text writes the word
//!   whole, and never hyphenated, elsewhere (`develop-\nment` beside `development`): then the
//!   halves are joined. Before an uppercase letter or a digit (`Asia-\nPacific`,
//!   `1990-\n1995`) `-\n` is kept as it is.
//! - a line break between two Chinese or Japanese characters (Han ideographs, kana; spaces and
//!   tabs ending the line or starting the next go with it) is removed: those scripts put no space between
//!   words, so a hard-wrapped `关键基础\n设施` is the one word `关键基础设施` it was before the
//!   wrap. A blank line (a paragraph break) is kept.
//!
//! Paragraph numbers are left in place (the tokenizer drops pure numbers).
//!
//! It runs as three passes, each returning `None` when it has nothing to change, so untouched
//! text is never copied: (1) the context-free character mappings, (2) NFC, (3) the contextual
//! rules (apostrophes, hyphen joins). NFC runs after the removals because deleting e.g. a soft
//! hyphen between a letter and a combining accent creates a composable pair; the contextual
//! rules run last so they see the final characters. That order makes `clean` idempotent.
//! Contextual rules look through combining marks to the base letter, so `é` decomposed or
//! composed behaves the same.

use std::borrow::Cow;

/// The cleaning every text and pattern gets before analysis: [`clean`] when `normalize` is on
/// (`[analysis] normalize = "nfc"`), the text as it is otherwise.
pub fn prepare(text: &str, normalize: bool) -> Cow<'_, str> {
    if normalize {
        clean(text)
    } else {
        Cow::Borrowed(text)
    }
}

use rustc_hash::FxHashSet;
use unicode_normalization::char::is_combining_mark;
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};

/// Cleans `text` as described in the module docs; borrows when nothing changes.
pub fn clean(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    // The common case (plain ASCII prose) is decided with vectorised scans and no copy.
    if bytes.is_ascii()
        && memchr::memchr3(b'\r', 0x0B, 0x0C, bytes).is_none()
        && memchr::memmem::find(bytes, b"-\n").is_none()
    {
        return Cow::Borrowed(text);
    }
    let text = apply(Cow::Borrowed(text), map_context_free);
    let text = apply(text, normalize_nfc);
    apply(text, apply_contextual_rules)
}

/// True when `text` has nothing but whitespace (Unicode White_Space) and invisible characters.
pub fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_invisible(c))
}

/// `text` without the invisible characters [`clean`] deletes (zero-width characters, soft
/// hyphens, direction marks), for values read outside a statement's text (manifest cells).
pub fn without_invisible(text: &str) -> Cow<'_, str> {
    if text.is_ascii() || !text.contains(is_invisible) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| !is_invisible(c)).collect())
    }
}

/// Characters that `clean` deletes outright: they have no width and carry no word content.
/// Besides the soft hyphen and zero-width characters, the directional formatting characters
/// (LRM, RLM, the Arabic letter mark, embeddings, overrides and isolates), which Arabic text
/// carries inside words as well as between them.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Runs one pass over a possibly already-owned text, keeping it when the pass changes nothing.
fn apply<'a>(text: Cow<'a, str>, pass: fn(&str) -> Option<String>) -> Cow<'a, str> {
    match pass(&text) {
        Some(changed) => Cow::Owned(changed),
        None => text,
    }
}

/// One local edit: replace `consumed` bytes at the current position by `replacement`.
struct Edit {
    replacement: &'static str,
    consumed: usize,
}

/// Scans `text`, asking `edit_at` about every byte that `is_candidate` flags, and builds the
/// edited copy lazily: returns `None` if no edit was made.
///
/// `is_candidate` must only flag ASCII bytes or UTF-8 lead bytes (>= 0xC0), so every position
/// handed to `edit_at` is a char boundary.
fn rewrite(
    text: &str,
    is_candidate: &[bool; 256],
    edit_at: impl Fn(&str, usize) -> Option<Edit>,
) -> Option<String> {
    let bytes = text.as_bytes();
    let mut edited: Option<String> = None;
    let mut copied_up_to = 0;
    let mut position = 0;
    while position < bytes.len() {
        if !is_candidate[usize::from(bytes[position])] {
            position += 1;
            continue;
        }
        match edit_at(text, position) {
            None => position += 1,
            Some(edit) => {
                let out = edited.get_or_insert_with(|| String::with_capacity(text.len()));
                out.push_str(&text[copied_up_to..position]);
                out.push_str(edit.replacement);
                position += edit.consumed;
                copied_up_to = position;
            }
        }
    }
    let mut out = edited?;
    out.push_str(&text[copied_up_to..]);
    Some(out)
}

/// Builds a 256-entry byte lookup table at compile time.
const fn byte_table(flagged: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut index = 0;
    while index < flagged.len() {
        table[flagged[index] as usize] = true;
        index += 1;
    }
    table
}

/// First bytes of everything pass 1 may change: CR, VT, FF and the UTF-8 lead bytes of
/// U+0085/U+00A0/U+00AD (C2), U+02BC (CA), U+061C (D8), U+1680 (E1), U+2000..U+206F (E2),
/// U+3000 (E3), U+FB00..U+FB06, U+FEFF and U+FF10..U+FF5A (EF).
const CONTEXT_FREE_CANDIDATES: [bool; 256] =
    byte_table(&[b'\r', 0x0B, 0x0C, 0xC2, 0xCA, 0xD8, 0xE1, 0xE2, 0xE3, 0xEF]);

/// Pass 1: line breaks, ligatures, invisible characters, spaces, U+02BC.
fn map_context_free(text: &str) -> Option<String> {
    rewrite(text, &CONTEXT_FREE_CANDIDATES, |text, position| {
        let rest = &text[position..];
        let c = rest.chars().next()?;
        let replacement = match c {
            '\r' if rest.as_bytes().get(1) == Some(&b'\n') => "",
            '\r' | '\u{0B}' | '\u{0C}' | '\u{0085}' | '\u{2028}' | '\u{2029}' => "\n",
            // Kept before a line break so pass 3 can treat it as a hyphenation point.
            '\u{00AD}' if starts_with_line_break(&rest[c.len_utf8()..]) => return None,
            c if is_invisible(c) => "",
            '\u{00A0}'
            | '\u{1680}'
            | '\u{2000}'..='\u{200A}'
            | '\u{202F}'
            | '\u{205F}'
            | '\u{3000}' => " ",
            '\u{02BC}' => "'",
            '\u{FB00}' => "ff",
            '\u{FB01}' => "fi",
            '\u{FB02}' => "fl",
            '\u{FB03}' => "ffi",
            '\u{FB04}' => "ffl",
            '\u{FB05}' | '\u{FB06}' => "st",
            '\u{FF10}'..='\u{FF19}' | '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => {
                halfwidth(c)
            }
            _ => return None,
        };
        Some(Edit {
            replacement,
            consumed: c.len_utf8(),
        })
    })
}

/// The ASCII letters and digits, for [`halfwidth`].
const ASCII_ALPHANUMERIC: &str = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The ASCII letter or digit a full-width one (U+FF10..U+FF19, U+FF21..U+FF3A,
/// U+FF41..U+FF5A) stands for.
fn halfwidth(c: char) -> &'static str {
    let at = match c {
        '\u{FF10}'..='\u{FF19}' => c as usize - 0xFF10,
        '\u{FF21}'..='\u{FF3A}' => 10 + c as usize - 0xFF21,
        _ => 36 + c as usize - 0xFF41,
    };
    &ASCII_ALPHANUMERIC[at..at + 1]
}

/// True when `text` starts with something pass 1 turns into LF.
fn starts_with_line_break(text: &str) -> bool {
    matches!(
        text.chars().next(),
        Some('\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{0085}' | '\u{2028}' | '\u{2029}')
    )
}

/// Pass 2: NFC, skipped entirely for ASCII and when the quick check proves the text is NFC.
fn normalize_nfc(text: &str) -> Option<String> {
    let first_non_ascii = text.bytes().position(|b| !b.is_ascii())?;
    // ASCII characters are starters that are already NFC, so checking from the first
    // non-ASCII character on is enough (a following combining mark still yields Maybe).
    if is_nfc_quick(text[first_non_ascii..].chars()) == IsNormalized::Yes {
        return None;
    }
    let normalized: String = text.nfc().collect();
    (normalized != text).then_some(normalized)
}

/// First bytes of the contextual candidates: `-`, LF, space, tab, U+2010/U+2018/U+2019 (E2),
/// U+00AD (C2).
const CONTEXTUAL_CANDIDATES: [bool; 256] = byte_table(&[b'-', b'\n', b' ', b'\t', 0xC2, 0xE2]);

/// Pass 3: apostrophes between letters, words hyphenated across a line break, line breaks
/// inside Chinese and Japanese text.
fn apply_contextual_rules(text: &str) -> Option<String> {
    let written_whole = words_written_whole(text);
    rewrite(text, &CONTEXTUAL_CANDIDATES, |text, position| {
        let rest = &text[position..];
        let c = rest.chars().next()?;
        match c {
            '\n' | ' ' | '\t' => unspaced_script_join_length(text, position).map(|consumed| Edit {
                replacement: "",
                consumed,
            }),
            '\u{2019}' | '\u{2018}' => {
                let between_letters = base_char_before(text, position)
                    .is_some_and(char::is_alphanumeric)
                    && rest[c.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric);
                between_letters.then_some(Edit {
                    replacement: "'",
                    consumed: c.len_utf8(),
                })
            }
            '-' | '\u{2010}' | '\u{00AD}' => {
                let join = hyphenation_join_length(text, position, c.len_utf8());
                match join {
                    // A soft hyphen only ever marks where a word was broken; a hyphen joins the
                    // halves only when the statement writes the word whole elsewhere (and never
                    // hyphenated): `self-\ndetermination` is the compound self-determination.
                    Some(consumed)
                        if c == '\u{00AD}'
                            || written_whole.as_ref().is_some_and(|w| {
                                w.contains(&broken_word(text, position, consumed))
                            }) =>
                    {
                        Some(Edit {
                            replacement: "",
                            consumed,
                        })
                    }
                    Some(consumed) => Some(Edit {
                        replacement: if c == '-' { "-" } else { "\u{2010}" },
                        consumed,
                    }),
                    // A soft hyphen is invisible: if it does not join a word, it just goes.
                    None if c == '\u{00AD}' => Some(Edit {
                        replacement: "",
                        consumed: c.len_utf8(),
                    }),
                    None => None,
                }
            }
            _ => None,
        }
    })
}

/// The word broken by the hyphen at `position` (the letters before it and after the line
/// break, `consumed` bytes from it), lowercased and without the hyphen.
fn broken_word(text: &str, position: usize, consumed: usize) -> String {
    let after = &text[position + consumed..];
    let end = after
        .find(|c: char| !(c.is_alphabetic() || is_combining_mark(c)))
        .unwrap_or(after.len());
    format!("{}{}", word_end_before(text, position), &after[..end]).to_lowercase()
}

/// The words (lowercased) that a hyphen at a line end may join: those the text writes whole
/// somewhere and never with a hyphen between the same halves. `None` when no hyphen ends a
/// line (nearly always: nothing is collected).
fn words_written_whole(text: &str) -> Option<FxHashSet<String>> {
    // A hyphen directly before a line break (soft hyphens aside) is what
    // `hyphenation_join_length` starts from: most texts have none.
    let hyphens = hyphens_before_breaks(text);
    if hyphens.is_empty() {
        return None;
    }
    let mut broken: Vec<(String, String)> = (hyphens.into_iter())
        .filter_map(|(position, hyphen_len)| {
            let consumed = hyphenation_join_length(text, position, hyphen_len)?;
            let whole = broken_word(text, position, consumed);
            let first = word_end_before(text, position).to_lowercase();
            let second = whole.strip_prefix(first.as_str())?.to_string();
            Some((first, second))
        })
        .collect();
    broken.sort_unstable();
    broken.dedup();
    // Each second half is looked for with a substring search (fast, no per-word work); a
    // text with very many broken words is not worth the evidence: its hyphens stay.
    const MAX_LOOKED_FOR: usize = 64;
    if broken.len() > MAX_LOOKED_FOR {
        return Some(FxHashSet::default());
    }
    let is_word_char = |c: char| c.is_alphabetic() || is_combining_mark(c);
    let mut out = FxHashSet::default();
    for (first, second) in broken {
        let (mut whole, mut hyphenated) = (false, false);
        for at in memchr::memmem::find_iter(text.as_bytes(), second.as_bytes()) {
            let Some(after) = text.get(at + second.len()..) else {
                continue;
            };
            if text.get(..at).is_none() || after.chars().next().is_some_and(is_word_char) {
                continue;
            }
            let before = &text[..at];
            let (before, joined_by_hyphen) = match before.strip_suffix(['-', '\u{2010}']) {
                Some(b) => (b, true),
                None => (before, false),
            };
            let Some(start) = before.len().checked_sub(first.len()) else {
                continue;
            };
            let starts_word = (before.get(start..))
                .is_some_and(|half| half.to_lowercase() == first)
                && !before[..start]
                    .chars()
                    .next_back()
                    .is_some_and(is_word_char);
            if starts_word {
                if joined_by_hyphen {
                    hyphenated = true;
                } else {
                    whole = true;
                }
            }
        }
        if whole && !hyphenated {
            out.insert(format!("{first}{second}"));
        }
    }
    Some(out)
}

/// Where a hyphen (`-` or U+2010, with its length) stands directly before a line break, soft
/// hyphens between them aside: found from the line breaks (a fast byte search).
fn hyphens_before_breaks(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    for newline in memchr::memchr_iter(b'\n', bytes) {
        let mut end = newline;
        // Soft hyphens (C2 AD) between the hyphen and the break.
        while end >= 2 && bytes[end - 2..end] == [0xC2, 0xAD] {
            end -= 2;
        }
        if end >= 1 && bytes[end - 1] == b'-' {
            out.push((end - 1, 1));
        } else if end >= 3 && bytes[end - 3..end] == [0xE2, 0x80, 0x90] {
            out.push((end - 3, 3));
        }
    }
    out
}

/// The letters (with their marks) that end `text` before `position`.
fn word_end_before(text: &str, position: usize) -> &str {
    let before = &text[..position];
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic() || is_combining_mark(*c))
        .last()
        .map_or(position, |(i, _)| i);
    &before[start..]
}

/// If the hyphen at `position` ends a line in the middle of a word, the number of bytes to
/// delete (hyphen, LF, leading spaces/tabs of the next line).
fn hyphenation_join_length(text: &str, position: usize, hyphen_len: usize) -> Option<usize> {
    // Soft hyphens between the hyphen and the break vanish anyway; skipping them here keeps
    // `clean` idempotent (removing them later would create a new `-\n`).
    let after_hyphen = text[position + hyphen_len..].trim_start_matches('\u{AD}');
    let next_line = after_hyphen.strip_prefix('\n')?;
    let next_word = next_line.trim_start_matches([' ', '\t']);
    let follows_lowercase = next_word.chars().next().is_some_and(char::is_lowercase);
    let precedes_letter = base_char_before(text, position).is_some_and(char::is_alphabetic);
    (follows_lowercase && precedes_letter).then_some(text.len() - position - next_word.len())
}

/// If a line break at `position` (or after the spaces/tabs that end a line there) falls
/// between two characters of a script written without spaces between words, the number of
/// bytes to delete: the line's trailing spaces, the LF and the spaces/tabs that start the next
/// line.
fn unspaced_script_join_length(text: &str, position: usize) -> Option<usize> {
    // Every space is asked: after an ASCII byte (most of them) the answer is quick.
    if position == 0 || text.as_bytes()[position - 1].is_ascii() {
        return None;
    }
    let before = text[..position].chars().next_back()?;
    if !is_unspaced_script(before) {
        return None;
    }
    let rest = &text[position..];
    let next_line = rest.trim_start_matches([' ', '\t']).strip_prefix('\n')?;
    let next_word = next_line.trim_start_matches([' ', '\t']);
    let after = next_word.chars().next()?;
    is_unspaced_script(after).then_some(rest.len() - next_word.len())
}

/// Han ideographs (the unified blocks, their extensions and the compatibility ideographs).
pub fn is_han(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

/// Letters of the scripts that put no space between words: Han, hiragana and katakana
/// (with the prolonged sound mark and iteration marks that sit inside their words).
pub fn is_unspaced_script(c: char) -> bool {
    is_han(c) || matches!(c, '\u{3005}' | '\u{3041}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}')
}

/// The last character before `position` that is not a combining mark (the letter an accent
/// belongs to), so decomposed and precomposed text are treated alike.
fn base_char_before(text: &str, position: usize) -> Option<char> {
    text[..position]
        .chars()
        .rev()
        .find(|&c| !is_combining_mark(c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rules_table() {
        let cases: &[(&str, &str, &str)] = &[
            ("crlf", "a\r\nb\r\n", "a\nb\n"),
            ("lone cr", "a\rb\r", "a\nb\n"),
            ("cr cr lf", "a\r\r\nb", "a\n\nb"),
            ("form feed", "page one\x0cpage two", "page one\npage two"),
            ("vertical tab", "a\x0bb", "a\nb"),
            (
                "line/paragraph separators",
                "a\u{2028}b\u{2029}c",
                "a\nb\nc",
            ),
            ("nel", "a\u{85}b", "a\nb"),
            ("ligature ff", "e\u{FB00}ort", "effort"),
            ("ligature fi", "\u{FB01}nance", "finance"),
            ("ligature fl", "\u{FB02}ow", "flow"),
            ("ligature ffi", "o\u{FB03}ce", "office"),
            ("ligature ffl", "ba\u{FB04}e", "baffle"),
            ("ligature long s t", "\u{FB05}ate", "state"),
            ("ligature st", "\u{FB06}ate", "state"),
            ("soft hyphen", "cyber\u{AD}security", "cybersecurity"),
            ("zero width space", "cyber\u{200B}space", "cyberspace"),
            ("zwnj zwj", "a\u{200C}b\u{200D}c", "abc"),
            ("word joiner", "a\u{2060}b", "ab"),
            ("rlm inside an arabic word", "البن\u{200F}ية", "البنية"),
            (
                "alm and isolates",
                "\u{2067}ال\u{61C}أمن\u{2069} \u{202B}x\u{202C}",
                "الأمن x",
            ),
            ("bom mid text", "\u{FEFF}Mr. Chair\u{FEFF}", "Mr. Chair"),
            ("nbsp", "10\u{A0}000", "10 000"),
            ("narrow nbsp", "Article\u{202F}2", "Article 2"),
            ("figure space", "1\u{2007}2", "1 2"),
            ("em space", "a\u{2003}b", "a b"),
            ("ideographic space", "a\u{3000}b", "a b"),
            ("curly apostrophe", "don\u{2019}t", "don't"),
            ("left quote as apostrophe", "l\u{2018}Afrique", "l'Afrique"),
            ("modifier apostrophe", "Hawai\u{2BC}i", "Hawai'i"),
            (
                "closing quote kept",
                "\u{2018}peace\u{2019} and",
                "\u{2018}peace\u{2019} and",
            ),
            (
                "possessive after space kept",
                "States\u{2019} views",
                "States\u{2019} views",
            ),
            (
                "compound hyphen at a line end kept",
                "multi-\nstakeholder",
                "multi-stakeholder",
            ),
            (
                "hyphenation joins a word written whole elsewhere",
                "development and develop-\nment",
                "development and development",
            ),
            (
                "a word written both ways keeps its hyphen",
                "peacekeeping, peace-keeping and peace-\nkeeping",
                "peacekeeping, peace-keeping and peace-keeping",
            ),
            (
                "hyphenation with indent",
                "multi-\n  stakeholder",
                "multi-stakeholder",
            ),
            (
                "hyphenation tab",
                "multi-\n\tstakeholder",
                "multi-stakeholder",
            ),
            (
                "hyphenation crlf",
                "multi-\r\nstakeholder",
                "multi-stakeholder",
            ),
            (
                "hyphenation u+2010",
                "multi\u{2010}\nstakeholder",
                "multi\u{2010}stakeholder",
            ),
            (
                "hyphenation u+2010 of a word written whole",
                "Multistakeholder: multi\u{2010}\nstakeholder",
                "Multistakeholder: multistakeholder",
            ),
            (
                "soft hyphen at break",
                "multi\u{AD}\nstakeholder",
                "multistakeholder",
            ),
            (
                "soft hyphen before uppercase",
                "Asia\u{AD}\nPacific",
                "Asia\nPacific",
            ),
            (
                "uppercase after break kept",
                "Asia-\nPacific",
                "Asia-\nPacific",
            ),
            ("digit after break kept", "1990-\n1995", "1990-\n1995"),
            ("dash after space kept", "words -\nmore", "words -\nmore"),
            (
                "blank line not joined",
                "multi-\n\nstakeholder",
                "multi-\n\nstakeholder",
            ),
            (
                "space before break not joined",
                "multi- \nstakeholder",
                "multi- \nstakeholder",
            ),
            ("chained compounds", "a-\nb-\nc", "a-b-c"),
            ("hyphen then soft hyphen", "fi-\u{AD}\nfi", "fi-fi"),
            (
                "hyphen then soft hyphen, uppercase",
                "Fi-\u{AD}\nFi",
                "Fi-\nFi",
            ),
            (
                "nbsp after break",
                "multi-\n\u{A0}stakeholder",
                "multi-stakeholder",
            ),
            (
                "hyphen mid-line untouched",
                "multi-stakeholder",
                "multi-stakeholder",
            ),
            (
                "paragraph numbers kept",
                "12. The Assembly",
                "12. The Assembly",
            ),
            ("full-width digits", "２０２４年３月６日", "2024年3月6日"),
            ("full-width letters", "ＩＣＴ与５Ｇ，ａｂｃ", "ICT与5G，abc"),
            ("han wrapped", "关键基础\n设施", "关键基础设施"),
            (
                "han wrapped after spaces",
                "关键基础 \t\n设施",
                "关键基础设施",
            ),
            (
                "han wrapped after an ideographic space",
                "关键基础\u{3000}\n设施",
                "关键基础设施",
            ),
            (
                "han spaced on one line kept",
                "关键基础 设施",
                "关键基础 设施",
            ),
            (
                "han wrapped, crlf, indent",
                "关键基础\r\n  设施",
                "关键基础设施",
            ),
            (
                "kana wrapped",
                "サイバー\nセキュリティ",
                "サイバーセキュリティ",
            ),
            ("han paragraph break kept", "安全\n\n设施", "安全\n\n设施"),
            ("han after punctuation kept", "安全。\n设施", "安全。\n设施"),
            ("han then latin kept", "安全\nICT", "安全\nICT"),
            ("latin then han kept", "ICT\n安全", "ICT\n安全"),
            ("hangul kept (spaced)", "사이버\n안보", "사이버\n안보"),
        ];
        for (name, input, expected) in cases {
            assert_eq!(clean(input), *expected, "rule: {name}");
        }
    }

    #[test]
    fn nfc_and_nfd_agree() {
        let composed = "s\u{E9}curit\u{E9}";
        let decomposed = "se\u{301}curite\u{301}";
        assert_ne!(composed, decomposed);
        assert_eq!(clean(composed), clean(decomposed));
        assert_eq!(clean(decomposed), composed);
        assert!(matches!(clean(composed), Cow::Borrowed(_)));
    }

    #[test]
    fn removal_inside_combining_sequence_renormalises() {
        // Deleting the soft hyphen leaves e + U+0301, which must compose.
        assert_eq!(clean("caf e\u{AD}\u{301}"), "caf \u{E9}");
    }

    #[test]
    fn decomposed_letter_before_hyphen_and_apostrophe() {
        assert_eq!(clean("ide\u{301}e-\nforce"), "id\u{E9}e-force");
        assert_eq!(
            clean("Force: idéeforce, ide\u{301}e-\nforce"),
            "Force: idéeforce, id\u{E9}eforce"
        );
        assert_eq!(clean("ide\u{301}e\u{2019}s"), "id\u{E9}e's");
    }

    #[test]
    fn every_space_separator_becomes_ascii_space() {
        use unicode_general_category::{GeneralCategory, get_general_category};
        let spaces: Vec<char> = (0..=0x10FFFF_u32)
            .filter_map(char::from_u32)
            .filter(|&c| get_general_category(c) == GeneralCategory::SpaceSeparator)
            .collect();
        assert!(spaces.len() > 10);
        for space in spaces {
            let input = format!("a{space}b");
            assert_eq!(clean(&input), "a b", "U+{:04X}", u32::from(space));
        }
    }

    #[test]
    fn untouched_text_is_borrowed() {
        let inputs = [
            "",
            "Plain ASCII statement, with 12. paragraph numbers\nand lines.",
            "Asia-\nPacific",
            "C\u{F4}te d'Ivoire \u{2014} \u{201C}quoted\u{201D}",
            "States\u{2019} views",
        ];
        for input in inputs {
            assert!(matches!(clean(input), Cow::Borrowed(_)), "{input:?}");
        }
        assert!(matches!(clean("a\r\nb"), Cow::Owned(_)));
    }

    #[test]
    fn blank_detection() {
        let cases: &[(&str, bool)] = &[
            ("", true),
            (" \t\n\r\x0b\x0c", true),
            ("\u{A0}\u{2003}\u{3000}\u{2028}", true),
            ("\u{200B}\u{FEFF}\u{AD}\u{2060}", true),
            (" a ", false),
            ("\u{2014}", false),
            (".", false),
        ];
        for (input, expected) in cases {
            assert_eq!(is_blank(input), *expected, "{input:?}");
        }
    }

    #[test]
    fn real_corpus_files_clean_without_cr() {
        let Some(dir) = crate::testing::shared_or_skip(
            "real_corpus_files_clean_without_cr",
            "corpora/ungdc-1990-2004",
        ) else {
            return;
        };
        // BOM + CRLF, no BOM + CR, BOM without CR.
        let files = [
            ("AFG_46_1991.txt", crate::decode::Encoding::Utf8Bom),
            ("IRN_45_1990.txt", crate::decode::Encoding::Utf8),
            ("AFG_45_1990.txt", crate::decode::Encoding::Utf8Bom),
        ];
        for (name, expected_encoding) in files {
            let path = dir.join(name);
            let bytes = std::fs::read(&path).expect("the corpus holds the file");
            let decoded = crate::decode::decode(&bytes).expect("corpus file is text");
            assert_eq!(decoded.encoding, expected_encoding, "{name}");
            assert!(decoded.warnings.is_empty(), "{name}");
            let cleaned = clean(&decoded.text);
            assert!(!cleaned.contains('\r'), "{name}");
            assert!(!cleaned.contains('\u{FEFF}'), "{name}");
            assert!(!cleaned.contains('\x0c'), "{name}");
            assert_eq!(clean(&cleaned), cleaned, "{name} idempotent");
        }
    }

    /// Strings biased towards the characters the rules act on, mixed with arbitrary ones.
    fn tricky_text() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            Just("-".to_string()),
            Just("\u{2010}".to_string()),
            Just("\n".to_string()),
            Just("\r".to_string()),
            Just(" ".to_string()),
            Just("\t".to_string()),
            Just("\u{AD}".to_string()),
            Just("\u{200B}".to_string()),
            Just("\u{200F}".to_string()),
            Just("\u{FEFF}".to_string()),
            Just("\u{A0}".to_string()),
            Just("\u{2019}".to_string()),
            Just("\u{2018}".to_string()),
            Just("\u{2BC}".to_string()),
            Just("\u{301}".to_string()),
            Just("\u{327}".to_string()),
            Just("\u{FB01}".to_string()),
            Just("\u{2028}".to_string()),
            Just("\x0c".to_string()),
            "[a-eA-E0-9\u{E9}\u{1100}\u{1161}\u{11A8}\u{57FA}\u{7840}\u{30AB}\u{FF12}\u{FF41}]",
            any::<char>().prop_map(String::from),
        ];
        proptest::collection::vec(pieces, 0..40).prop_map(|pieces| pieces.concat())
    }

    proptest! {
        #[test]
        fn clean_is_idempotent_and_removes_cr(text in tricky_text()) {
            let once = clean(&text);
            prop_assert!(!once.contains('\r'));
            let twice = clean(&once);
            prop_assert_eq!(twice.as_ref(), once.as_ref());
        }

        #[test]
        fn clean_never_panics_on_arbitrary_strings(text in any::<String>()) {
            let once = clean(&text);
            prop_assert!(!once.contains('\r'));
            let twice = clean(&once);
            prop_assert_eq!(twice.as_ref(), once.as_ref());
            let _ = is_blank(&text);
        }
    }
}
