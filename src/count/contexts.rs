//! Keyword-in-context windows: the original text around a hit, cut while the statement is counted.

/// The text around one hit: `left + exact + right` is a verbatim slice of the statement
/// (line breaks, tabs and form feeds shown as spaces, one for one), except that a part of more
/// than [`MAX_PART_CHARS`] characters is cut ([`cut`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Context {
    /// From the start of the `n`-th word before the match up to the match.
    pub left: String,
    /// From the first to the last matched word.
    pub exact: String,
    /// From the end of the match to the end of the `n`-th word after it.
    pub right: String,
}

/// Most bytes of non-word text a window takes before the first or after the last word.
const EDGE_BYTES: usize = 40;

/// Most characters of each part of a context (and of a hit's matched text). Ten words a side
/// take about 70; a part this long has crossed a page of dashes, a table or letters whose
/// spaces were lost, and cut it stays a cell a spreadsheet can show (Excel holds 32,767).
pub const MAX_PART_CHARS: usize = 2_000;

/// Where a part over [`MAX_PART_CHARS`] loses its excess, marked by `…` in its place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Keep the end (a left context: the text next to the match).
    Start,
    /// Keep both ends (the match itself).
    Middle,
    /// Keep the start (a right context).
    End,
}

/// `s` itself when it has at most [`MAX_PART_CHARS`] characters; else that many, `…` included.
pub fn cut(s: String, how: Cut) -> String {
    // A character takes at least one byte.
    if s.len() <= MAX_PART_CHARS {
        return s;
    }
    let chars = s.chars().count();
    if chars <= MAX_PART_CHARS {
        return s;
    }
    let keep = MAX_PART_CHARS - 1;
    let byte_at = |n: usize| s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    match how {
        Cut::Start => format!("…{}", &s[byte_at(chars - keep)..]),
        Cut::End => format!("{}…", &s[..byte_at(keep)]),
        Cut::Middle => {
            let head = keep / 2;
            let tail = keep - head;
            format!("{}…{}", &s[..byte_at(head)], &s[byte_at(chars - tail)..])
        }
    }
}

/// Cuts the context of the words `first..=last` (indices into `words`, the byte spans of
/// every word of `text`) with `n` words on each side.
///
/// Out-of-range indices give an empty context rather than a panic.
pub fn window(
    text: &str,
    words: &[(usize, usize)],
    first: usize,
    last: usize,
    n: usize,
) -> Context {
    let (Some(&(start, _)), Some(&(_, end))) = (words.get(first), words.get(last)) else {
        return Context::default();
    };
    if start > end || end > text.len() {
        return Context::default();
    }
    // Where fewer than `n` words remain, the window runs to the text's edge (a closing
    // quote or period belongs to the context), at most EDGE_BYTES past the last word.
    let left_start = if n == 0 {
        start
    } else if first >= n {
        words[first - n].0
    } else {
        let edge = words[0].0;
        let mut from = edge.saturating_sub(EDGE_BYTES);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        edge - text[from..edge].trim_start().len()
    };
    let right_end = if n == 0 {
        end
    } else if last + n < words.len() {
        words[last + n].1
    } else {
        let edge = words[words.len() - 1].1.max(end);
        let mut to = (edge + EDGE_BYTES).min(text.len());
        while !text.is_char_boundary(to) {
            to -= 1;
        }
        edge + text[edge..to].trim_end().len()
    };
    let (left_start, right_end) = (left_start.min(start), right_end.max(end));
    let piece = |a: usize, b: usize| text.get(a..b).map(one_line).unwrap_or_default();
    Context {
        left: cut(piece(left_start, start), Cut::Start),
        exact: cut(piece(start, end), Cut::Middle),
        right: cut(piece(end, right_end), Cut::End),
    }
}

/// Shows control white space (line breaks, tabs, form feeds) as spaces, one for one,
/// so a context stays on one line and keeps its width and spacing.
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::tests::default_analyzer;

    fn spans(text: &str) -> Vec<(usize, usize)> {
        default_analyzer()
            .tokenizer()
            .spans(text)
            .iter()
            .map(|s| (s.start, s.end))
            .collect()
    }

    #[test]
    fn contexts_keep_spacing_and_punctuation() {
        let text = "First,  the  \"cyber-mercenaries\" (so-called)\nthreaten us;  all of us!";
        let words = spans(text);
        // words: First the cyber mercenaries so called threaten us all of us
        let c = window(text, &words, 3, 3, 2);
        assert_eq!(c.left, "the  \"cyber-");
        assert_eq!(c.exact, "mercenaries");
        assert_eq!(c.right, "\" (so-called");
        let c = window(text, &words, 6, 7, 3);
        assert_eq!(c.left, "mercenaries\" (so-called) ");
        assert_eq!(c.exact, "threaten us");
        assert_eq!(c.right, ";  all of us");
        // left + exact + right is the original slice, line break shown as a space.
        let whole = format!("{}{}{}", c.left, c.exact, c.right);
        assert_eq!(
            whole,
            one_line(&text[text.find("mercenaries").unwrap()..]).trim_end_matches('!')
        );
    }

    #[test]
    fn overlong_parts_are_cut_where_they_are_far_from_the_match() {
        let dashes = "-".repeat(50_000);
        let text = format!("capacity {dashes} building and more {dashes} words");
        let c = window(&text, &spans(&text), 0, 1, 3);
        assert_eq!(c.left, "");
        assert!(c.exact.starts_with("capacity ---") && c.exact.ends_with("--- building"));
        assert!(c.right.starts_with(" and more ---") && c.right.ends_with("---…"));
        for part in [&c.exact, &c.right] {
            assert_eq!(part.chars().count(), MAX_PART_CHARS);
            assert_eq!(part.matches('…').count(), 1);
        }
        let c = window(&text, &spans(&text), 4, 4, 2);
        assert!(
            c.left.starts_with("…---") && c.left.ends_with("--- "),
            "{}",
            &c.left[..9]
        );
        assert_eq!(c.left.chars().count(), MAX_PART_CHARS);
        // Multi-byte characters are cut on their boundaries; short parts are left alone.
        let long = "é".repeat(3_000);
        assert_eq!(
            cut(long.clone(), Cut::Middle).chars().count(),
            MAX_PART_CHARS
        );
        assert!(cut(long.clone(), Cut::Start).starts_with("…é"));
        assert_eq!(cut("é".repeat(2_000), Cut::End), "é".repeat(2_000));
    }

    #[test]
    fn windows_stop_at_the_edges_and_never_panic() {
        let text = "alpha beta gamma";
        let words = spans(text);
        let c = window(text, &words, 0, 0, 10);
        assert_eq!(
            (c.left.as_str(), c.exact.as_str(), c.right.as_str()),
            ("", "alpha", " beta gamma")
        );
        let c = window(text, &words, 2, 2, 0);
        assert_eq!(
            (c.left.as_str(), c.exact.as_str(), c.right.as_str()),
            ("", "gamma", "")
        );
        assert_eq!(window(text, &words, 5, 7, 3), Context::default());
        assert_eq!(window("", &[], 0, 0, 3), Context::default());
    }

    proptest::proptest! {
        #[test]
        fn window_is_a_verbatim_slice(text in "\\PC{0,80}", n in 0usize..5, i in 0usize..20, len in 0usize..3) {
            let words = spans(&text);
            let c = window(&text, &words, i, i + len, n);
            if i + len < words.len() {
                let whole = format!("{}{}{}", c.left, c.exact, c.right);
                proptest::prop_assert!(one_line(&text).contains(&whole));
                proptest::prop_assert_eq!(c.exact, one_line(&text[words[i].0..words[i + len].1]));
            }
        }
    }
}
