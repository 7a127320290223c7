//! Keyword-in-context windows: the original text around a hit, cut while the statement is counted.

/// The text around one hit: `left + exact + right` is a verbatim slice of the statement
/// (line breaks, tabs and form feeds shown as spaces, one for one).
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
        left: piece(left_start, start),
        exact: piece(start, end),
        right: piece(end, right_end),
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
