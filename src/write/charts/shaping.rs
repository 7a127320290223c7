//! Chart text made drawable by a glyph-at-a-time renderer: Arabic letters in their joining forms,
//! right-to-left runs in visual order with mirrored brackets, and runs per embedded face.
//!
//! plotters draws a string one character after another from left to right, with no OpenType
//! shaping. So the shaping happens here, on the characters: each Arabic letter becomes the Arabic
//! Presentation Forms-B character of its position in the word (isolated, final, initial, medial;
//! lam-alef as its ligature), the Unicode Bidirectional Algorithm (unicode-bidi) orders the line
//! visually, and the result is cut into runs that one embedded face can draw.

use unicode_bidi::{BidiClass, BidiInfo, bidi_class};
use unicode_general_category::{GeneralCategory, get_general_category};
use unicode_normalization::UnicodeNormalization;

use super::font::{Face, has_glyph};

/// Visual-order text that one face draws.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Run {
    pub face: Face,
    pub text: String,
}

/// A line of chart text ready to draw: runs from left to right, and the characters no embedded
/// face has (they are drawn as the main face's missing-glyph box).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Shaped {
    pub runs: Vec<Run>,
    pub missing: Vec<char>,
}

/// Shapes `text` for drawing in regular or `bold` weight.
pub(crate) fn shape(text: &str, bold: bool) -> Shaped {
    if text.is_ascii() {
        // Every printable ASCII character is in the main face; nothing to join or reorder.
        let runs = if text.is_empty() {
            Vec::new()
        } else {
            vec![Run {
                face: Face::Main,
                text: text.to_string(),
            }]
        };
        return Shaped {
            runs,
            missing: text.chars().filter(char::is_ascii_control).collect(),
        };
    }
    let composed: String = text.nfc().collect();
    let joined = join_arabic(&composed);
    let visual = visual_order(&joined);
    split_faces(visual.chars().filter(|&c| !invisible(c)), bold)
}

/// Format characters (bidi controls, joiners, soft hyphen): they steer joining and ordering and
/// are not drawn.
fn invisible(c: char) -> bool {
    get_general_category(c) == GeneralCategory::Format
}

/// Cuts visual-order characters into runs per face: a character stays in the current run's face
/// when that face has it, else goes to the first face that does.
fn split_faces(chars: impl Iterator<Item = char>, bold: bool) -> Shaped {
    let mut runs: Vec<Run> = Vec::new();
    let mut missing = Vec::new();
    for c in chars {
        let current = runs.last().map(|run| run.face);
        let face = current
            .filter(|&face| has_glyph(face, c, bold))
            .or_else(|| Face::ALL.into_iter().find(|&face| has_glyph(face, c, bold)))
            .unwrap_or_else(|| {
                missing.push(c);
                Face::Main
            });
        match runs.last_mut() {
            Some(run) if run.face == face => run.text.push(c),
            _ => runs.push(Run {
                face,
                text: c.to_string(),
            }),
        }
    }
    Shaped { runs, missing }
}

/// How a character takes part in Arabic cursive joining (Unicode's Joining_Type, reduced).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Joining {
    /// Joins neither neighbour (hamza, spaces, Latin, letters without presentation forms here).
    Never,
    /// Joins the letter before it only (alef, dal, reh, waw, ...).
    Right,
    /// Joins both neighbours (beh, seen, lam, ...).
    Dual,
    /// Makes both neighbours join (tatweel, zero width joiner).
    Causing,
    /// Skipped when looking for neighbours (combining marks).
    Transparent,
}

/// Arabic letters with their first Presentation Forms-B code point and number of forms, which come
/// in the order isolated, final, initial, medial (from the Unicode character names).
const FORMS: [(char, u32, u8); 36] = [
    ('\u{0621}', 0xFE80, 1), // hamza
    ('\u{0622}', 0xFE81, 2), // alef with madda above
    ('\u{0623}', 0xFE83, 2), // alef with hamza above
    ('\u{0624}', 0xFE85, 2), // waw with hamza above
    ('\u{0625}', 0xFE87, 2), // alef with hamza below
    ('\u{0626}', 0xFE89, 4), // yeh with hamza above
    ('\u{0627}', 0xFE8D, 2), // alef
    ('\u{0628}', 0xFE8F, 4), // beh
    ('\u{0629}', 0xFE93, 2), // teh marbuta
    ('\u{062A}', 0xFE95, 4), // teh
    ('\u{062B}', 0xFE99, 4), // theh
    ('\u{062C}', 0xFE9D, 4), // jeem
    ('\u{062D}', 0xFEA1, 4), // hah
    ('\u{062E}', 0xFEA5, 4), // khah
    ('\u{062F}', 0xFEA9, 2), // dal
    ('\u{0630}', 0xFEAB, 2), // thal
    ('\u{0631}', 0xFEAD, 2), // reh
    ('\u{0632}', 0xFEAF, 2), // zain
    ('\u{0633}', 0xFEB1, 4), // seen
    ('\u{0634}', 0xFEB5, 4), // sheen
    ('\u{0635}', 0xFEB9, 4), // sad
    ('\u{0636}', 0xFEBD, 4), // dad
    ('\u{0637}', 0xFEC1, 4), // tah
    ('\u{0638}', 0xFEC5, 4), // zah
    ('\u{0639}', 0xFEC9, 4), // ain
    ('\u{063A}', 0xFECD, 4), // ghain
    ('\u{0641}', 0xFED1, 4), // feh
    ('\u{0642}', 0xFED5, 4), // qaf
    ('\u{0643}', 0xFED9, 4), // kaf
    ('\u{0644}', 0xFEDD, 4), // lam
    ('\u{0645}', 0xFEE1, 4), // meem
    ('\u{0646}', 0xFEE5, 4), // noon
    ('\u{0647}', 0xFEE9, 4), // heh
    ('\u{0648}', 0xFEED, 2), // waw
    ('\u{0649}', 0xFEEF, 2), // alef maksura (joins both sides; only its isolated and final forms exist here)
    ('\u{064A}', 0xFEF1, 4), // yeh
];

const LAM: char = '\u{0644}';
const ALEF_MAKSURA: char = '\u{0649}';

/// Lam followed by these alefs is written as one ligature: its isolated form (the final one
/// follows it).
fn lam_alef(alef: char) -> Option<u32> {
    match alef {
        '\u{0622}' => Some(0xFEF5),
        '\u{0623}' => Some(0xFEF7),
        '\u{0625}' => Some(0xFEF9),
        '\u{0627}' => Some(0xFEFB),
        _ => None,
    }
}

fn forms(c: char) -> Option<(u32, u8)> {
    if !('\u{0621}'..='\u{064A}').contains(&c) {
        return None;
    }
    FORMS
        .binary_search_by_key(&c, |&(letter, _, _)| letter)
        .ok()
        .map(|i| (FORMS[i].1, FORMS[i].2))
}

fn joining(c: char) -> Joining {
    match forms(c) {
        Some((_, 4)) => Joining::Dual,
        Some(_) if c == ALEF_MAKSURA => Joining::Dual,
        Some((_, 2)) => Joining::Right,
        Some(_) => Joining::Never,
        None => match c {
            '\u{0640}' | '\u{200D}' => Joining::Causing,
            _ if get_general_category(c) == GeneralCategory::NonspacingMark => Joining::Transparent,
            _ => Joining::Never,
        },
    }
}

/// Replaces each Arabic letter with its contextual presentation form, in logical order.
fn join_arabic(text: &str) -> String {
    if !text.chars().any(|c| forms(c).is_some()) {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let kinds: Vec<Joining> = chars.iter().map(|&c| joining(c)).collect();
    // The nearest neighbour that is not a combining mark, before or after `i`.
    let before = |i: usize| (0..i).rev().find(|&j| kinds[j] != Joining::Transparent);
    let after = |i: usize| (i + 1..chars.len()).find(|&j| kinds[j] != Joining::Transparent);
    let mut out = String::with_capacity(text.len() * 2);
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let Some((first, count)) = forms(c) else {
            out.push(c);
            i += 1;
            continue;
        };
        let joins_before = kinds[i] != Joining::Never
            && before(i).is_some_and(|j| matches!(kinds[j], Joining::Dual | Joining::Causing));
        if c == LAM
            && let Some(ligature) = chars.get(i + 1).copied().and_then(lam_alef)
        {
            push_code(&mut out, ligature + u32::from(joins_before), c);
            i += 2;
            continue;
        }
        let joins_after = kinds[i] == Joining::Dual
            && after(i).is_some_and(|j| {
                matches!(kinds[j], Joining::Dual | Joining::Right | Joining::Causing)
            });
        // Offsets of the isolated, final, initial and medial forms.
        let wanted: u32 = match (joins_before, joins_after) {
            (false, false) => 0,
            (true, false) => 1,
            (false, true) => 2,
            (true, true) => 3,
        };
        // A letter with fewer forms (alef maksura) falls back to the one that joins the same way
        // before it: initial -> isolated, medial -> final.
        let offset = if wanted < u32::from(count) {
            wanted
        } else {
            wanted - 2
        };
        push_code(&mut out, first + offset.min(u32::from(count) - 1), c);
        i += 1;
    }
    out
}

fn push_code(out: &mut String, code: u32, fallback: char) {
    out.push(char::from_u32(code).unwrap_or(fallback));
}

/// Whether anything in `text` can start a right-to-left run.
fn has_rtl(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(
            bidi_class(c),
            BidiClass::R | BidiClass::AL | BidiClass::RLE | BidiClass::RLO | BidiClass::RLI
        )
    })
}

/// The text in visual (left-to-right drawing) order, brackets mirrored in right-to-left runs.
fn visual_order(text: &str) -> String {
    if !has_rtl(text) {
        return text.to_string();
    }
    let info = BidiInfo::new(text, None);
    let mut out = String::with_capacity(text.len());
    for para in &info.paragraphs {
        let (levels, runs) = info.visual_runs(para, para.range.clone());
        for run in runs {
            let piece = &text[run.clone()];
            if levels[run.start].is_rtl() {
                push_reversed(&mut out, piece);
            } else {
                out.push_str(piece);
            }
        }
    }
    out
}

/// Appends a right-to-left run reversed for drawing: clusters (a character and the combining marks
/// after it) in reverse order, each still base first, so a mark is drawn over its own letter;
/// paired punctuation mirrored.
fn push_reversed(out: &mut String, piece: &str) {
    let mut clusters: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, c) in piece.char_indices().skip(1) {
        if get_general_category(c) != GeneralCategory::NonspacingMark {
            clusters.push(&piece[start..i]);
            start = i;
        }
    }
    if !piece.is_empty() {
        clusters.push(&piece[start..]);
    }
    for cluster in clusters.into_iter().rev() {
        out.extend(cluster.chars().map(mirror));
    }
}

/// The mirrored glyph a right-to-left run shows for a paired punctuation mark.
fn mirror(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        '‹' => '›',
        '›' => '‹',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(s: &str) -> Vec<u32> {
        s.chars().map(u32::from).collect()
    }

    #[test]
    fn ascii_is_one_main_run_untouched() {
        let shaped = shape("Capacity building (2021)", false);
        assert_eq!(
            shaped.runs,
            vec![Run {
                face: Face::Main,
                text: "Capacity building (2021)".into()
            }]
        );
        assert!(shaped.missing.is_empty());
        assert!(shape("", true).runs.is_empty());
    }

    #[test]
    fn arabic_letters_take_their_position_forms() {
        // beh (initial) + teh (medial) + beh (final): "ببب" spelled with different letters.
        assert_eq!(codes(&join_arabic("بتب")), vec![0xFE91, 0xFE98, 0xFE90]);
        // A lone letter is isolated; alef never joins what follows it.
        assert_eq!(codes(&join_arabic("ب")), vec![0xFE8F]);
        assert_eq!(codes(&join_arabic("اب")), vec![0xFE8D, 0xFE8F]);
        // Dal after beh: beh initial, dal final.
        assert_eq!(codes(&join_arabic("بد")), vec![0xFE91, 0xFEAA]);
        // Hamza joins nothing: the letters around it stay apart.
        assert_eq!(codes(&join_arabic("بءب")), vec![0xFE8F, 0xFE80, 0xFE8F]);
    }

    #[test]
    fn words_join_inside_and_not_across_spaces() {
        // "سيبراني" (cyber): seen initial, yeh medial, beh medial, reh final, alef isolated,
        // noon initial, yeh final.
        assert_eq!(
            codes(&join_arabic("سيبراني")),
            vec![0xFEB3, 0xFEF4, 0xFE92, 0xFEAE, 0xFE8D, 0xFEE7, 0xFEF2]
        );
        assert_eq!(codes(&join_arabic("ب ب")), vec![0xFE8F, 0x20, 0xFE8F]);
    }

    #[test]
    fn lam_alef_is_one_ligature() {
        // "لا" alone: isolated ligature; after a joining letter ("بلا"): final ligature.
        assert_eq!(codes(&join_arabic("لا")), vec![0xFEFB]);
        assert_eq!(codes(&join_arabic("بلا")), vec![0xFE91, 0xFEFC]);
        assert_eq!(codes(&join_arabic("لأ")), vec![0xFEF7]);
        // "الأمن" (security): alef, lam-alef-hamza isolated, meem initial, noon final.
        assert_eq!(
            codes(&join_arabic("الأمن")),
            vec![0xFE8D, 0xFEF7, 0xFEE3, 0xFEE6]
        );
    }

    #[test]
    fn marks_are_transparent_and_tatweel_joins() {
        // beh, fatha, teh: the mark does not break the join.
        assert_eq!(codes(&join_arabic("بَت")), vec![0xFE91, 0x064E, 0xFE96]);
        // Tatweel makes the beh before it initial and the one after it final.
        assert_eq!(codes(&join_arabic("بـب")), vec![0xFE91, 0x0640, 0xFE90]);
        // A zero width non-joiner keeps two letters apart.
        assert_eq!(
            codes(&join_arabic("ب\u{200C}ب")),
            vec![0xFE8F, 0x200C, 0xFE8F]
        );
    }

    #[test]
    fn alef_maksura_in_the_middle_falls_back_to_forms_it_has() {
        // beh + alef maksura + beh: alef maksura would be medial; Forms-B has final only.
        assert_eq!(codes(&join_arabic("بىب")), vec![0xFE91, 0xFEF0, 0xFE90]);
        // At the start of a word it would be initial; isolated is drawn.
        assert_eq!(codes(&join_arabic("ىب")), vec![0xFEEF, 0xFE90]);
    }

    #[test]
    fn right_to_left_runs_are_reversed_and_mirrored() {
        // Logical "ab (جد) cd": the Arabic run reads right to left inside the English line.
        let visual = visual_order("ab (جد) cd");
        assert_eq!(visual, "ab (دج) cd");
        // An Arabic line: the whole line reverses; brackets around Arabic are mirrored.
        assert_eq!(visual_order("جد (هو)"), "(وه) دج");
        // Digits keep their left-to-right order inside Arabic.
        assert_eq!(visual_order("جد 2021"), "2021 دج");
        assert_eq!(visual_order("plain text"), "plain text");
        // A combining mark stays after its letter, where a glyph-at-a-time renderer puts it
        // over that letter: "بَد" (beh, fatha, dal) is drawn dal, beh, fatha.
        assert_eq!(codes(&visual_order("بَد")), vec![0x062F, 0x0628, 0x064E]);
    }

    #[test]
    fn arabic_words_are_drawn_by_the_main_face_in_visual_order() {
        let shaped = shape("الأمن", false);
        assert!(shaped.missing.is_empty(), "{:?}", shaped.missing);
        assert_eq!(shaped.runs.len(), 1);
        assert_eq!(shaped.runs[0].face, Face::Main);
        assert_eq!(
            codes(&shaped.runs[0].text),
            vec![0xFEE6, 0xFEE3, 0xFEF7, 0xFE8D]
        );
    }

    #[test]
    fn chinese_goes_to_the_cjk_face_and_latin_stays_main() {
        let shaped = shape("网络雇佣军 (zh)", true);
        assert!(shaped.missing.is_empty(), "{:?}", shaped.missing);
        assert_eq!(
            shaped.runs,
            vec![
                Run {
                    face: Face::Cjk,
                    text: "网络雇佣军".into()
                },
                Run {
                    face: Face::Main,
                    text: " (zh)".into()
                },
            ]
        );
        // CJK punctuation stays in the CJK run.
        let shaped = shape("网络，安全。", false);
        assert_eq!(shaped.runs.len(), 1);
        assert_eq!(shaped.runs[0].face, Face::Cjk);
    }

    #[test]
    fn characters_without_a_glyph_are_reported() {
        // Runic and a private-use code point are in no embedded face.
        let shaped = shape("ᚠ term \u{E000}", false);
        assert_eq!(shaped.missing, vec!['ᚠ', '\u{E000}']);
        // Format characters are not drawn and not missing.
        let shaped = shape("a\u{200B}b\u{200F}", false);
        assert!(shaped.missing.is_empty());
        assert_eq!(shaped.runs[0].text, "ab");
    }

    #[test]
    fn decomposed_accents_are_composed_first() {
        let shaped = shape("se\u{301}curite\u{301}", false);
        assert_eq!(shaped.runs[0].text, "sécurité");
        assert!(shaped.missing.is_empty());
    }
}
