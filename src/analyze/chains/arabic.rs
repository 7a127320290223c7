//! Arabic normalization, before stopwords and stemming: one spelling per word.
//!
//! Short vowels and other diacritics (harakat, U+064B..U+065F, and the superscript alef
//! U+0670) and the tatweel (U+0640, a stretching stroke) are removed; the alef forms with
//! hamza or madda (أ إ آ) and alef wasla (ٱ) become a bare alef (ا); presentation forms
//! (U+FB50..U+FDFF, U+FE70..U+FEFC: the shaped glyphs some PDFs store) become the letters
//! they show. A conjunction or preposition written onto the article (وال, فال, بال, كال:
//! "and the", "so the", "with the", "like the"; two of them, وبال, فكال; and لل, "for the",
//! where the article's alef is not written) is cut back to the article, as light Arabic
//! stemmers do: the Snowball stemmer removes the article but not what is written before it, so
//! "والقطاع" (and the sector) would otherwise never meet "القطاع". The country names that
//! begin with ل (لبنان, ليبيا...) take no article, so "للبنان" is "for Lebanon", never "for the
//! ..."; such a name, and a number, keeps its own letters when one or two of و ف ب ك ل are
//! written before it ("وللبنان", "و٢٠٢٤"), so "and 2025" is a number like "2025".
//! Right-to-left order needs nothing here: text is stored in logical order.

use unicode_normalization::char::decompose_compatible;

/// Whether `c` is something the normalization changes.
#[inline]
fn changes(c: char) -> bool {
    matches!(c,
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}'
        | '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
}

fn push_plain(c: char, out: &mut String) {
    match c {
        '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => {}
        '\u{0622}' | '\u{0623}' | '\u{0625}' | '\u{0671}' => out.push('\u{0627}'),
        c => out.push(c),
    }
}

/// What is cut back to the article (ال) when it starts a word, longest first:
/// - two letters written onto the article, و or ف then ب or ك ("وبال", "and with the";
///   "فكال", "so like the");
/// - one of و ف ب ك onto the article ("وال", "and the");
/// - the preposition ل ("for", "to"), which swallows the article's alef: "للبنية" is
///   ل + البنية; also after و or ف ("وللبنية").
const TO_ARTICLE: [&str; 11] = [
    "\u{0648}\u{0628}\u{0627}\u{0644}",
    "\u{0641}\u{0628}\u{0627}\u{0644}",
    "\u{0648}\u{0643}\u{0627}\u{0644}",
    "\u{0641}\u{0643}\u{0627}\u{0644}",
    "\u{0648}\u{0627}\u{0644}",
    "\u{0641}\u{0627}\u{0644}",
    "\u{0628}\u{0627}\u{0644}",
    "\u{0643}\u{0627}\u{0644}",
    "\u{0648}\u{0644}\u{0644}",
    "\u{0641}\u{0644}\u{0644}",
    "\u{0644}\u{0644}",
];

/// The article every prefix above is cut back to.
const ARTICLE: &str = "\u{0627}\u{0644}";

/// Letters that must follow such a prefix for it to be cut (so والد, a word of its own, stays).
const MIN_AFTER_ARTICLE: usize = 3;

/// Country names that begin with ل and never take the article (after normalization): Lebanon,
/// Libya, Liberia, Latvia, Lithuania, Luxembourg (two spellings), Lesotho, Liechtenstein (two
/// spellings).
const L_NAMES: [&str; 10] = [
    "لبنان",
    "ليبيا",
    "ليبيريا",
    "لاتفيا",
    "ليتوانيا",
    "لكسمبرغ",
    "لكسمبورغ",
    "ليسوتو",
    "ليختنشتاين",
    "لختنشتاين",
];

/// The one-letter conjunctions and prepositions written onto a word (و ف ب ك ل).
fn is_prefix_letter(c: char) -> bool {
    matches!(
        c,
        '\u{0648}' | '\u{0641}' | '\u{0628}' | '\u{0643}' | '\u{0644}'
    )
}

/// Digits of any of the scripts Arabic text writes numbers in.
fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '\u{0660}'..='\u{0669}' | '\u{06F0}'..='\u{06F9}')
}

/// The bytes of one or two prefix letters before a number or an ل country name, if `word` is
/// such a prefixed word.
fn prefix_before_name_or_number(word: &str) -> Option<usize> {
    let mut chars = word.char_indices();
    let mut cut = None;
    for _ in 0..2 {
        let (i, c) = chars.next()?;
        if !is_prefix_letter(c) {
            break;
        }
        let rest = &word[i + c.len_utf8()..];
        if (!rest.is_empty() && rest.chars().all(is_digit)) || L_NAMES.contains(&rest) {
            cut = Some(i + c.len_utf8());
        }
    }
    cut
}

/// Normalizes one word in place (a word with nothing to change is left untouched).
pub fn normalize(word: &mut String) {
    if word.chars().any(changes) {
        fold_letters(word);
    }
    if let Some(cut) = prefix_before_name_or_number(word) {
        word.replace_range(..cut, "");
        return;
    }
    let prefix = TO_ARTICLE.iter().find(|p| {
        word.strip_prefix(*p)
            .is_some_and(|rest| rest.chars().count() >= MIN_AFTER_ARTICLE)
    });
    if let Some(p) = prefix {
        word.replace_range(..p.len(), ARTICLE);
    }
}

fn fold_letters(word: &mut String) {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(c, '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}') {
            decompose_compatible(c, |d| push_plain(d, &mut out));
        } else {
            push_plain(c, &mut out);
        }
    }
    *word = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norm(w: &str) -> String {
        let mut s = w.to_string();
        normalize(&mut s);
        s
    }

    #[test]
    fn diacritics_and_tatweel_are_removed() {
        // al-amn (security) with full vowels, and stretched with tatweel.
        assert_eq!(norm("الأَمْنُ"), "الامن");
        assert_eq!(norm("الامـــن"), "الامن");
        assert_eq!(norm("هٰذا"), "هذا");
    }

    #[test]
    fn alef_forms_are_unified() {
        assert_eq!(norm("أمن"), "امن");
        assert_eq!(norm("إنترنت"), "انترنت");
        assert_eq!(norm("آلية"), "الية");
        assert_eq!(norm("ٱلسلام"), "السلام");
    }

    #[test]
    fn presentation_forms_become_letters() {
        // Isolated/initial/medial/final forms of "salam", and the lam-alef ligature.
        assert_eq!(norm("\u{FEB3}\u{FEFC}\u{FEE1}"), "سلام");
    }

    /// Asserts each word normalizes to what it is paired with.
    fn assert_norms(cases: &[(&str, &str)]) {
        for (word, want) in cases {
            assert_eq!(norm(word), *want, "{word}");
        }
    }

    #[test]
    fn a_conjunction_or_preposition_before_the_article_is_cut() {
        assert_norms(&[
            ("والقطاع", "القطاع"),
            ("بالأمن", "الامن"),
            ("فالدول", "الدول"),
            ("كالسلاح", "السلاح"),
            // Too short to be prefix + article + word.
            ("والد", "والد"),
            ("والي", "والي"),
        ]);
    }

    #[test]
    fn two_prefixes_and_the_lam_that_swallows_the_alef_are_cut_back_to_the_article() {
        // "critical infrastructure" as UN Arabic writes it after "and with", "so with",
        // "and like", "for", "and for" and "so for".
        assert_norms(&[
            ("وبالبنية", "البنية"),
            ("فبالبنية", "البنية"),
            ("وكالبنية", "البنية"),
            ("للبنية", "البنية"),
            ("وللبنية", "البنية"),
            ("فللبنية", "البنية"),
            ("للأمن", "الامن"),
            // Too short to be a prefix and a word.
            ("لله", "لله"),
            ("للي", "للي"),
        ]);
    }

    #[test]
    fn countries_that_begin_with_lam_and_numbers_keep_their_letters() {
        assert_norms(&[
            // "for Lebanon", "and for Lebanon", "and Lebanon", "and Libya": never the article.
            ("للبنان", "لبنان"),
            ("وللبنان", "لبنان"),
            ("ولبنان", "لبنان"),
            ("وليبيا", "ليبيا"),
            ("لبنان", "لبنان"),
            // "and 2025" in Arabic-Indic, Persian and European digits.
            ("و٢٠٢٥", "٢٠٢٥"),
            ("و۲۰۲۴", "۲۰۲۴"),
            ("و2026", "2026"),
            ("وب2026", "2026"),
            // Not a name or a number after the prefix: the article rules apply as before.
            ("للبنية", "البنية"),
            ("و٢٠٢٥م", "و٢٠٢٥م"),
            ("و", "و"),
        ]);
    }

    #[test]
    fn plain_words_are_untouched() {
        assert_eq!(norm("السيبراني"), "السيبراني");
        assert_eq!(norm("cyber"), "cyber");
    }
}
