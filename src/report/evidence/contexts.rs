//! Keyword in context as tables and lines: theme_contexts.csv and `topictrends kwic` (the windows are cut while counting).

use crate::count::contexts::Context;
use crate::count::results::Results;
use crate::report::table::Table;

/// `theme_contexts.csv`: every hit with the words around it.
pub fn theme_contexts(r: &std::sync::Arc<Results>) -> Table {
    let mut t = Table::new(
        "theme_contexts.csv",
        "Every theme hit with the original words around it (keyword in context); rows as in theme_matches.csv.",
        &[
            ("doc_id", "Statement id (documents.csv)"),
            ("session", "Session (group) label"),
            (
                "date",
                "Date of the statement (ISO 8601), empty when unknown",
            ),
            ("speaker", "Who delivered the statement"),
            ("theme", "Theme name"),
            ("pattern", "The dictionary pattern that matched"),
            (
                "left",
                "The original text before the match: [evidence] context_words words, spacing and punctuation kept, line breaks shown as spaces; at most 2,000 characters (a longer one starts with … where its start was cut)",
            ),
            (
                "match",
                "The original text from the first to the last matched word; at most 2,000 characters (a longer one has … where its middle was cut)",
            ),
            (
                "right",
                "The original text after the match, as `left` (a longer one ends with … where its end was cut)",
            ),
            (
                "token_index",
                "Position of the first matched word among the statement's tokens (as in theme_matches.csv)",
            ),
            (
                "file",
                "The statement's file, relative to the input folder (as in documents.csv and theme_matches.csv)",
            ),
        ],
    );
    crate::report::hit_rows::fill(&mut t, r, crate::report::hit_rows::context_row);
    t
}

/// One concordance line: `label  left [match] right`, the left side right-aligned to `width`
/// characters (cut at its start when longer), the right side cut at `width` characters.
pub fn kwic_line(label: &str, label_width: usize, c: &Context, width: usize) -> String {
    let left = c.left.trim_start();
    let left_chars = left.chars().count();
    let left: String = if left_chars > width {
        left.chars().skip(left_chars - width).collect()
    } else {
        left.to_string()
    };
    let right: String = c.right.trim_end().chars().take(width).collect();
    // Padded by hand: `format!` widths stop at 65,535.
    let pad = |n: usize| " ".repeat(n);
    let mut line = String::with_capacity(label.len() + width * 2 + c.exact.len() + 8);
    line.push_str(label);
    line.push_str(&pad(label_width.saturating_sub(label.chars().count()) + 2));
    line.push_str(&pad(width.saturating_sub(left.chars().count())));
    line.push_str(&left);
    line.push('[');
    line.push_str(&c.exact);
    line.push(']');
    line.push_str(&right);
    line.truncate(line.trim_end().len());
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kwic_lines_align_on_the_match() {
        let c = Context {
            left: "the fight against ".into(),
            exact: "terrorism".into(),
            right: " must go on".into(),
        };
        let a = kwic_line("USA_56_2001", 12, &c, 10);
        let b = kwic_line(
            "FRA",
            12,
            &Context {
                left: "on ".into(),
                exact: "terror".into(),
                right: "".into(),
            },
            10,
        );
        assert_eq!(a, "USA_56_2001   t against [terrorism] must go o");
        assert_eq!(a.find('['), b.find('['), "{a}\n{b}");
    }

    #[test]
    fn kwic_lines_take_any_width() {
        let c = Context {
            left: "the use of ".into(),
            exact: "cyber mercenaries".into(),
            right: " by states".into(),
        };
        // Beyond what `format!` widths allow (65,535).
        let line = kwic_line("A", 70_000, &c, 70_000);
        assert!(line.ends_with("the use of [cyber mercenaries] by states"));
        assert_eq!(line.chars().count(), 70_000 + 2 + 70_000 + 19 + 10);
        assert!(line.starts_with("A "));
    }
}
