//! Arabic that a PDF stores backwards (glyph by glyph as drawn) put back in reading order.
//!
//! Some PDF producers, LibreOffice's Writer and Calc among them, write each right-to-left run
//! of a line into the text layer in drawing order, left to right: the run's characters come
//! out backwards (`تاردقلا ءانب` for `بناء القدرات`), while the runs themselves, and the
//! numbers and Latin words between them (`2024`, `A/RES/76/19`), stay in reading order. No
//! word of such a statement matches a pattern, and nothing else says so.
//!
//! **Recognising it.** Two letters only ever end an Arabic word: ta marbuta `ة` and alef
//! maqsura `ى`; backwards, words start with them. And the article `ال` starts words; backwards
//! they end in `لا`. A document is taken as backwards when its words start with `ة`/`ى` more
//! than three times as often as they end with them (and at least once), and at least
//! [`MIN_EVIDENCE`] words end in `لا`, more than start with `ال`. Correct Arabic, however
//! short, has no word starting with `ة` or `ى`, so it is never turned round; a backwards text
//! too short to show both signs is left as it is.
//!
//! **Turning it round.** In each line, every stretch from an Arabic letter (or right-to-left
//! punctuation mark: `؛` `؟`) to another with only Arabic, spaces and punctuation between
//! (a run) is reversed in place; what lies outside the runs (digits, Latin words, the spaces
//! and punctuation at their edges) stays where it is, and a space is put between a run and a
//! number or Latin word it would touch.
//! Within a word, a letter keeps the marks drawn on it (stored before it, they come back
//! after it). The lam-alef ligature (`لا`, `لأ`, `لإ`, `لآ`) is one glyph for two letters:
//! the PDF reader hands it over as its one presentation-form character (U+FEF5..=U+FEFC), so
//! it turns as the one glyph it is, and gives the letters back after (see `super::pdf`).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Backward-looking words ending in `لا` needed before a document is turned (with at least
/// one starting with `ة` or `ى`, which no word in reading order does).
const MIN_EVIDENCE: usize = 2;

/// The text with its Arabic runs in reading order, and how many lines were turned, when the
/// text is Arabic stored backwards; `None` otherwise (nearly always: no copy is made).
pub fn to_reading_order(text: &str) -> Option<(String, usize)> {
    if !is_backwards(text) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut turned = 0;
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        if body.chars().any(is_arabic_letter) {
            turn_line(body, &mut out);
            turned += 1;
        } else {
            out.push_str(body);
        }
        out.push_str(end);
    }
    Some((out, turned))
}

/// Whether the Arabic words of `text` read backwards (see the module docs).
fn is_backwards(text: &str) -> bool {
    // Arabic letters are two or three bytes in UTF-8, none of them ASCII.
    if text.is_ascii() {
        return false;
    }
    let (mut ends_forwards, mut ends_backwards) = (0usize, 0usize);
    let (mut article_forwards, mut article_backwards) = (0usize, 0usize);
    for word in text.split(|c: char| !(is_arabic_letter(c) || is_combining_mark(c))) {
        if word.is_empty() {
            continue;
        }
        let letters = letters_of(word);
        if letters.len() < 2 {
            continue;
        }
        let is_final_only = |c: char| matches!(c, 'ة' | 'ى');
        ends_forwards += usize::from(is_final_only(letters[letters.len() - 1]));
        ends_backwards += usize::from(is_final_only(letters[0]));
        if letters.len() >= 3 {
            article_forwards += usize::from(matches!(
                letters[..],
                ['ا', 'ل', ..] | ['و' | 'ب' | 'ف' | 'ك', 'ا', 'ل', ..]
            ));
            article_backwards += usize::from(matches!(
                letters[..],
                [.., 'ل', 'ا'] | [.., 'ل', 'ا', 'و' | 'ب' | 'ف' | 'ك']
            ));
        }
    }
    ends_backwards > 3 * ends_forwards
        && article_backwards >= MIN_EVIDENCE
        && article_backwards > article_forwards
}

/// A word's letters: presentation forms (the shaped glyphs some PDFs store) unfolded, marks
/// and tatweel dropped.
fn letters_of(word: &str) -> Vec<char> {
    word.nfkc()
        .filter(|&c| !is_combining_mark(c) && c != '\u{0640}')
        .collect()
}

/// Appends `line` with each Arabic run turned round (see the module docs).
fn turn_line(line: &str, out: &mut String) {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut i = 0;
    // Whether the last character written is one a run must not touch (a digit or Latin letter).
    let mut after_left_to_right = false;
    while i < chars.len() {
        let (at, c) = chars[i];
        // A run starts at an Arabic letter or at the marks stored before one.
        let starts_run = is_run_member(c)
            || (is_combining_mark(c)
                && chars[i..]
                    .iter()
                    .find(|(_, c)| !is_combining_mark(*c))
                    .is_some_and(|&(_, c)| is_arabic_letter(c)));
        if !starts_run {
            out.push(c);
            after_left_to_right = is_left_to_right(c);
            i += 1;
            continue;
        }
        // The run: up to the last Arabic letter (or its marks) before a digit, a Latin letter
        // or the end of the line.
        let mut end = i;
        let mut j = i;
        while j < chars.len() && !is_left_to_right(chars[j].1) {
            if is_run_member(chars[j].1) || is_combining_mark(chars[j].1) {
                end = j + 1;
            }
            j += 1;
        }
        let run_end = chars.get(end).map_or(line.len(), |&(b, _)| b);
        if after_left_to_right {
            out.push(' ');
        }
        turn_run(&line[at..run_end], out);
        if chars.get(end).is_some_and(|&(_, c)| is_left_to_right(c)) {
            out.push(' ');
        }
        after_left_to_right = false;
        i = end;
    }
}

/// Appends a backwards run in reading order: its words and what separates them in reverse
/// order, each word turned by [`turn_word`].
fn turn_run(run: &str, out: &mut String) {
    let mut pieces: Vec<&str> = Vec::new();
    let mut start = 0;
    let mut in_word = false;
    for (at, c) in run.char_indices() {
        let word_char = is_arabic_letter(c) || is_combining_mark(c);
        if word_char != in_word || !word_char {
            if at > start {
                pieces.push(&run[start..at]);
            }
            start = at;
        }
        in_word = word_char;
    }
    if start < run.len() {
        pieces.push(&run[start..]);
    }
    for piece in pieces.iter().rev() {
        if piece.starts_with(|c: char| is_arabic_letter(c) || is_combining_mark(c)) {
            turn_word(piece, out);
        } else {
            out.push_str(piece);
        }
    }
}

/// Appends a backwards word in reading order: its letters reversed, each keeping the marks
/// drawn on it (stored before it, they come back after it).
fn turn_word(word: &str, out: &mut String) {
    let mut clusters: Vec<&str> = Vec::new();
    let mut start = 0;
    for (at, c) in word.char_indices() {
        if !is_combining_mark(c) {
            clusters.push(&word[start..at + c.len_utf8()]);
            start = at + c.len_utf8();
        }
    }
    if start < word.len() {
        clusters.push(&word[start..]);
    }
    for cluster in clusters.iter().rev() {
        out.extend(cluster.chars().rev());
    }
}

/// What belongs to a right-to-left run however it stands: Arabic letters and the punctuation
/// that is right-to-left in its own right (bidi class AL: the Arabic semicolon, question mark
/// and full stop; a `؛` ending a line is stored at the run's backwards start, and goes back to
/// its end). The Arabic comma is neutral, like `.`: it joins the run only between its letters.
fn is_run_member(c: char) -> bool {
    is_arabic_letter(c) || matches!(c, '\u{061B}' | '\u{061F}' | '\u{06D4}')
}

/// Letters of the Arabic script, presentation forms included; its digits read left to right.
fn is_arabic_letter(c: char) -> bool {
    matches!(c,
        '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06D5}' | '\u{06EE}'..='\u{06EF}'
        | '\u{06FA}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08C9}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
        && !is_combining_mark(c)
}

/// Digits (Arabic-Indic too: numbers are drawn left to right) and letters of other scripts
/// (not the marks, which Unicode counts as alphabetic too).
fn is_left_to_right(c: char) -> bool {
    c.is_alphanumeric() && !is_arabic_letter(c) && !is_combining_mark(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Turns `stored` (written with `ﻻ` for each ligature glyph, as the PDF reader hands
    /// it over) and gives the ligatures' letters back, as the PDF reader does.
    fn turned(stored: &str) -> String {
        let text = to_reading_order(stored).expect("recognised as backwards").0;
        text.replace('\u{FEFB}', "لا")
            .replace('\u{FEF7}', "لأ")
            .replace('\u{FEF9}', "لإ")
    }

    /// Lines as LibreOffice (Writer and Calc) stores them, extracted with pdf-extract, and
    /// the statement as it was typed (the helper tests' `.txt`).
    #[test]
    fn libreoffice_lines_come_back_as_typed() {
        let cases = [
            (
                " ماع يف لودلا تررق2024 ةيويحلا ةيتحتلا ةينبلا ةيامح 24مويلا يف ةعاس  .",
                " قررت الدول في عام 2024 حماية البنية التحتية الحيوية 24 ساعة في اليوم  .",
            ),
            (
                "رارقلا ةماعلا ةيعمجلا تدمتعا A/RES/76/19   ماع يف2024ت\u{FEFB}اصت\u{FEFB}او تامولعملا \
                 ايجولونكت نمأ نأشب   (ICT) تاردقلا ءانبو.",
                "اعتمدت الجمعية العامة القرار A/RES/76/19   في عام 2024 بشأن أمن تكنولوجيا \
                 المعلومات والاتصالات   (ICT) وبناء القدرات.",
            ),
            (
                " مادختس\u{FEFB}او ينورتكلإلا ءاضفلا يف ت\u{FEFB}اصت\u{FEFB}او تامولعملا ايجولونكت نمأ ةيمهأ دكؤن",
                " نؤكد أهمية أمن تكنولوجيا المعلومات والاتصالات في الفضاء الإلكتروني والاستخدام",
            ),
            (
                "رارقلا ةماعلا ةيعمجلا تدمتعا A/RES/76/19   ماع يف2024يناربيسلا نم\u{FEF7}ا نأشب  .",
                "اعتمدت الجمعية العامة القرار A/RES/76/19   في عام 2024 بشأن الأمن السيبراني  .",
            ),
            // The hamza ligature made (ﻹ as لإ) in one producer's text, not in another's.
            (
                "ينورتكل\u{FEF9}ا ءاضفلا ىلع يلودلا ُنوناقلا قبطني.",
                "ينطبق القانونُ الدولي على الفضاء الإلكتروني.",
            ),
            (
                "مارتحا لودلا ىلع بجيو ،ينورتكلإلا ءاضفلا ىلع",
                "على الفضاء الإلكتروني، ويجب على الدول احترام",
            ),
            (
                "نم\u{FEF7}ل ةيمهأ \u{FEFB}و ةيلودلا",
                "الدولية ولا أهمية للأمن",
            ),
            ("\u{FEFB}إ ةيمهأ \u{FEFB}ثم ةيلودلا", "الدولية مثلا أهمية إلا"),
            // Arabic punctuation belongs to its run wherever the backwards text put it.
            ("- ؛لودلا نيب ةقثلا زيزعت", "- تعزيز الثقة بين الدول؛"),
            // The comma is neutral: at the end of a line it stays there.
            ("سيئرلا ديسلا،", "السيد الرئيس،"),
            // An alef and a lam side by side are no ligature: الأعمال, إجمالي.
            (
                "يلامجإ لامع\u{FEF7}ا لودج يد\u{FEFB}ب دفو",
                "وفد بلادي جدول الأعمال إجمالي",
            ),
        ];
        for (stored, typed) in cases {
            // Each case alone may be too short to recognise: turned with the evidence of a
            // backwards sentence before it.
            let text = format!("ةيويحلا ةيتحتلا ةينبلا ةيامح\n{stored}\n");
            let want = format!("حماية البنية التحتية الحيوية\n{typed}\n");
            assert_eq!(turned(&text), want, "{stored}");
        }
    }

    #[test]
    fn one_backwards_sentence_is_enough() {
        let stored = " مادختس\u{FEFB}او ينورتكلإلا ءاضفلا يف ت\u{FEFB}اصت\u{FEFB}او تامولعملا ايجولونكت نمأ ةيمهأ دكؤن\n\
                      يملسلا.\n";
        assert_eq!(
            turned(stored),
            " نؤكد أهمية أمن تكنولوجيا المعلومات والاتصالات في الفضاء الإلكتروني والاستخدام\n\
             السلمي.\n"
        );
    }

    #[test]
    fn arabic_in_reading_order_is_never_turned() {
        for text in [
            "بناء القدرات",
            "شكرا سيدي الرئيس.\nنريد حلا شاملا وكاملا وعاجلا.\nلقد انتظرنا طويلا.",
            "أولا، لا بد من حماية البنية التحتية الحيوية، إلا أن بناء القدرات مثلا يتطلب \
             التعاون الدولي",
            "نحن نعمل فعلا، ونريد حلا شاملا وكاملا وعاجلا، وتعاونا طويلا وفعالا.",
            "Capacity building and 2024.",
            "",
        ] {
            assert_eq!(to_reading_order(text), None, "{text}");
        }
    }

    #[test]
    fn marks_stay_after_their_letter_and_lines_without_arabic_are_kept() {
        let stored = "Statement\nيلودلا ُنوناقلا ةيلودلا ةكراشملاو\n";
        let (text, lines) = to_reading_order(stored).expect("backwards");
        assert_eq!(lines, 1);
        assert_eq!(text, "Statement\nوالمشاركة الدولية القانونُ الدولي\n");
    }
}
