//! Arabic that a PDF stores in visual order (as drawn, left to right) put back in reading order.
//!
//! Some PDF producers write right-to-left text glyph by glyph from the left edge of the line,
//! so the text layer holds every Arabic line backwards: `تاردقلا ءانب` for `بناء القدرات`.
//! No word of such a statement matches a pattern, and nothing else says so. It is recognised
//! by the definite article: in reading order a large share of Arabic words start with `ال`
//! (alone or after `و ب ف ك`) and few end with `لا`; backwards it is the other way round. When
//! a document's Arabic words end in `لا` more than three times as often as they start with
//! `ال` (and at least [`MIN_EVIDENCE`] times), each line holding Arabic is turned round:
//! its characters reversed (a letter keeps the marks that follow it), runs of digits and of
//! other scripts (`2024`, `ICT`, `A/RES/76/19`) kept in their own left-to-right order, and
//! sentence punctuation and spaces at either end of the line left where they were.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Backward-looking words needed before a document is turned round: a sentence or two.
const MIN_EVIDENCE: usize = 3;

/// The text with its Arabic lines in reading order, and how many lines were turned, when the
/// text is Arabic stored in visual order; `None` otherwise (nearly always: no copy is made).
pub fn to_reading_order(text: &str) -> Option<(String, usize)> {
    if !is_backwards(text) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
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
    let (mut forwards, mut backwards) = (0usize, 0usize);
    for word in text.split(|c: char| !(is_arabic_letter(c) || is_combining_mark(c))) {
        if word.is_empty() {
            continue;
        }
        // Presentation forms (the shaped glyphs some PDFs store) unfolded, marks and tatweel
        // dropped, so only the letters are compared.
        let letters: Vec<char> = word
            .nfkc()
            .filter(|&c| !is_combining_mark(c) && c != '\u{0640}')
            .collect();
        if letters.len() < 3 {
            continue;
        }
        let starts_with_article = matches!(
            letters[..],
            ['ا', 'ل', ..] | ['و' | 'ب' | 'ف' | 'ك', 'ا', 'ل', ..]
        );
        let ends_with_reversed_article = matches!(
            letters[..],
            [.., 'ل', 'ا'] | [.., 'ل', 'ا', 'و' | 'ب' | 'ف' | 'ك']
        );
        forwards += usize::from(starts_with_article);
        backwards += usize::from(ends_with_reversed_article);
    }
    backwards >= MIN_EVIDENCE && backwards > 3 * forwards
}

/// Appends `line` turned round: see the module docs.
fn turn_line(line: &str, out: &mut String) {
    let is_edge = |c: char| {
        c.is_whitespace() || matches!(c, '.' | ',' | '،' | '؛' | ';' | ':' | '!' | '?' | '؟')
    };
    let core_start = line.find(|c: char| !is_edge(c)).unwrap_or(line.len());
    let core_end = line.rfind(|c: char| !is_edge(c)).map_or(core_start, |i| {
        i + line[i..].chars().next().map_or(0, char::len_utf8)
    });
    out.push_str(&line[..core_start]);
    let core = &line[core_start..core_end.max(core_start)];

    // Clusters: a character with the combining marks that follow it.
    let mut clusters: Vec<&str> = Vec::new();
    let mut start = 0;
    for (i, c) in core.char_indices() {
        if i > start && !is_combining_mark(c) {
            clusters.push(&core[start..i]);
            start = i;
        }
    }
    if start < core.len() {
        clusters.push(&core[start..]);
    }
    clusters.reverse();

    // Runs that read left to right go back to their own order: letters of other scripts with
    // what lies between them (`United Nations`), and digits with the separators between them
    // (`2024`, `1.5`), each on its own, as the bidirectional algorithm lays them out.
    #[derive(PartialEq, Clone, Copy)]
    enum Kind {
        Letter,
        Digit,
        Arabic,
        Other,
    }
    let kind = |cluster: &str| match cluster.chars().next() {
        Some(c) if is_arabic_letter(c) => Kind::Arabic,
        Some(c) if c.is_numeric() => Kind::Digit,
        Some(c) if c.is_alphabetic() => Kind::Letter,
        _ => Kind::Other,
    };
    let mut i = 0;
    while i < clusters.len() {
        let run = kind(clusters[i]);
        if !matches!(run, Kind::Letter | Kind::Digit) {
            i += 1;
            continue;
        }
        // Letters reach over any neutrals to the next letter; digits over one separator.
        let mut end = i + 1;
        let mut j = i + 1;
        while j < clusters.len() {
            match kind(clusters[j]) {
                k if k == run => end = j + 1,
                Kind::Other if run == Kind::Letter => {}
                Kind::Other if j == end && !clusters[j].starts_with(char::is_whitespace) => {}
                _ => break,
            }
            j += 1;
        }
        clusters[i..end].reverse();
        i = end;
    }
    for c in clusters {
        out.push_str(c);
    }
    out.push_str(&line[core_end.max(core_start)..]);
}

/// Letters of the Arabic script, presentation forms included; its digits are left to right.
fn is_arabic_letter(c: char) -> bool {
    matches!(c,
        '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06D5}' | '\u{06EE}'..='\u{06EF}'
        | '\u{06FA}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08C9}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFC}')
        && !is_combining_mark(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    const READING: &str = "بيان الوفد\n\
        يجب علينا حماية البنية التحتية الحيوية وتعزيز بناء القدرات.\n\
        ودعم المجتمع المدني والقطاع الخاص في عام 2024 (ICT).\n";

    /// `READING` as a visual-order PDF stores it: each line's characters reversed, digits and
    /// Latin letters still left to right, the final full stop where the extractor put it.
    fn backwards(text: &str) -> String {
        text.split_inclusive('\n')
            .map(|line| {
                let (body, end) = line.strip_suffix('\n').map_or((line, ""), |b| (b, "\n"));
                let (body, stop) = body.strip_suffix('.').map_or((body, ""), |b| (b, "."));
                let mut reversed: String = body.chars().rev().collect();
                reversed = reversed.replace("4202", "2024").replace(")TCI(", ")ICT(");
                format!("{reversed}{stop}{end}")
            })
            .collect()
    }

    #[test]
    fn a_document_in_reading_order_is_left_alone() {
        assert_eq!(to_reading_order(READING), None);
        assert_eq!(to_reading_order("Capacity building and 2024."), None);
        // Words that really end in لا (إلا، مثلا، أولا) do not turn a document round.
        let text = "أولا، لا بد من حماية البنية التحتية الحيوية، إلا أن بناء القدرات مثلا \
                    يتطلب التعاون الدولي";
        assert_eq!(to_reading_order(text), None);
    }

    #[test]
    fn a_backwards_document_is_turned_into_reading_order() {
        let stored = backwards(READING);
        assert!(stored.contains("تاردقلا ءانب"), "{stored}");
        let (turned, lines) = to_reading_order(&stored).expect("recognised as backwards");
        assert_eq!(lines, 3);
        assert_eq!(turned, READING);
    }

    #[test]
    fn marks_stay_after_their_letter() {
        // القانونُ الدولي (with a damma) backwards, with enough articles to be recognised.
        let logical = "القانونُ الدولي والمجتمع المدني والقطاع الخاص";
        let mut clusters: Vec<String> = Vec::new();
        for c in logical.chars() {
            if is_combining_mark(c) {
                clusters.last_mut().unwrap().push(c);
            } else {
                clusters.push(c.to_string());
            }
        }
        let stored: String = clusters.iter().rev().map(String::as_str).collect();
        let (turned, _) = to_reading_order(&stored).expect("backwards");
        assert_eq!(turned, logical);
    }

    #[test]
    fn lines_without_arabic_are_kept() {
        let stored = format!("Statement\n{}", backwards(READING));
        let (turned, lines) = to_reading_order(&stored).unwrap();
        assert_eq!(lines, 3);
        assert!(turned.starts_with("Statement\nبيان الوفد\n"), "{turned}");
    }
}
