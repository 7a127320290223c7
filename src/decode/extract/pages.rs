//! Pages to one text: running headers, footers and page numbers removed, pages joined.
//!
//! A line is page furniture when it sits in the top or bottom [`EDGE_LINES`] non-blank lines of
//! a page and either (a) the same line, digits ignored ("Page 2 of 5" = "Page 3 of 5"), sits in
//! that zone on at least half the pages (and at least two), or (b) it is only a page number
//! ("7", "- 7 -", "Page 7", "7/12", "Page 7 of 12"). Statement lines are long and vary, so they
//! do not repeat; a one-page document loses only a bare page number. Pages are joined with a
//! blank line, or with a line break when a sentence runs on to the next page (so a word
//! hyphenated across the page break is joined by the clean stage like any other).

use std::collections::{HashMap, HashSet};

/// How many non-blank lines at the top and at the bottom of a page may be furniture.
pub const EDGE_LINES: usize = 3;

/// The pages' text joined, without furniture; and how many lines were removed.
pub fn join_pages(pages: &[String]) -> (String, usize) {
    let pages: Vec<Vec<&str>> = pages.iter().map(|p| page_lines(p)).collect();
    let repeated = repeated_edge_lines(&pages);
    let mut removed = 0;
    let mut out = String::new();
    for lines in &pages {
        let edges = edge_indices(lines);
        let kept: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|&(i, line)| {
                let furniture = edges.contains(&i)
                    && (is_page_number(line) || repeated.contains(&line_key(line)));
                removed += usize::from(furniture);
                !furniture
            })
            .map(|(_, l)| *l)
            .collect();
        let body = trim_blank_lines(&kept);
        if body.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str(if runs_on(&out, body[0]) { "\n" } else { "\n\n" });
        }
        let mut blank_run = 0;
        for (i, line) in body.iter().enumerate() {
            if line.is_empty() {
                blank_run += 1;
                continue;
            }
            if i > 0 {
                // Paragraph gaps fold to one blank line.
                out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
            }
            blank_run = 0;
            out.push_str(line);
        }
    }
    if !out.is_empty() {
        out.push('\n');
    }
    (out, removed)
}

/// A page's lines, trailing white space trimmed (so a line-end hyphen is directly before the
/// break), control characters other than tab dropped.
fn page_lines(page: &str) -> Vec<&str> {
    page.split(['\n', '\r', '\x0c'])
        .map(|l| l.trim_end_matches(|c: char| c.is_whitespace() || c.is_control()))
        .collect()
}

/// Indices of the first and last [`EDGE_LINES`] non-blank lines.
fn edge_indices(lines: &[&str]) -> HashSet<usize> {
    let non_blank: Vec<usize> = (0..lines.len())
        .filter(|&i| !lines[i].trim().is_empty())
        .collect();
    let head = non_blank.iter().take(EDGE_LINES);
    let tail = non_blank.iter().rev().take(EDGE_LINES);
    head.chain(tail).copied().collect()
}

/// The comparison key of a line: lowercase, white space folded, digit runs as `#`.
fn line_key(line: &str) -> String {
    let mut key = String::with_capacity(line.len());
    let mut last = ' ';
    for c in line.trim().chars() {
        let c = if c.is_ascii_digit() {
            '#'
        } else if c.is_whitespace() {
            ' '
        } else {
            c
        };
        if (c == '#' || c == ' ') && last == c {
            continue;
        }
        key.extend(c.to_lowercase());
        last = c;
    }
    key
}

/// Keys of edge lines found on at least half of the pages (and at least two).
fn repeated_edge_lines(pages: &[Vec<&str>]) -> HashSet<String> {
    let mut pages_with: HashMap<String, usize> = HashMap::new();
    for lines in pages {
        let keys: HashSet<String> = edge_indices(lines)
            .into_iter()
            .map(|i| line_key(lines[i]))
            .filter(|k| !k.is_empty())
            .collect();
        for k in keys {
            *pages_with.entry(k).or_default() += 1;
        }
    }
    let needed = pages.len().div_ceil(2).max(2);
    pages_with
        .into_iter()
        .filter(|&(_, n)| n >= needed)
        .map(|(k, _)| k)
        .collect()
}

/// "7", "- 7 -", "(7)", "Page 7", "p. 7", "7/12", "7 of 12", "Page 7 of 12".
fn is_page_number(line: &str) -> bool {
    let lower = line.trim().to_lowercase();
    let core =
        lower.trim_matches(|c: char| matches!(c, '-' | '–' | '—' | '(' | ')' | '[' | ']' | ' '));
    let core = core
        .strip_prefix("page")
        .or_else(|| core.strip_prefix("p."))
        .unwrap_or(core)
        .trim_start();
    let mut parts = core.splitn(2, ['/', ' ']);
    let number = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    match (parts.next(), parts.next()) {
        (Some(n), None) => number(n),
        (Some(n), Some(rest)) => {
            let rest = rest.trim();
            let total = rest.strip_prefix("of").map_or(rest, str::trim_start);
            number(n) && number(total)
        }
        _ => false,
    }
}

fn trim_blank_lines<'a>(lines: &'a [&'a str]) -> &'a [&'a str] {
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let end = lines.iter().rposition(|l| !l.trim().is_empty());
    match (start, end) {
        (Some(s), Some(e)) => &lines[s..=e],
        _ => &[],
    }
}

/// True when the text so far ends mid-sentence and the next page goes on in lowercase.
fn runs_on(before: &str, next_line: &str) -> bool {
    let ends_open = before
        .trim_end()
        .chars()
        .last()
        .is_some_and(|c| !matches!(c, '.' | '!' | '?' | ':' | ';' | '"' | '”' | ')' | ']'));
    let starts_lower = next_line
        .trim_start()
        .chars()
        .next()
        .is_some_and(char::is_lowercase);
    ends_open && starts_lower
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pages(p: &[&str]) -> Vec<String> {
        p.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn running_header_footer_and_numbers_are_removed() {
        let got = join_pages(&pages(&[
            "\nParis Peace Forum - OEWG\n\nFirst paragraph ends.\n\nSecond goes on and on \nPage 1 of 3\n1",
            "\nParis Peace Forum - OEWG\n\nto the next page.\n\nThird par-\nPage 2 of 3\n2",
            "\nParis Peace Forum - OEWG\n\nagraph here.\nPage 3 of 3\n3\n",
        ]));
        assert_eq!(
            got.0,
            "First paragraph ends.\n\nSecond goes on and on\nto the next page.\n\nThird par-\nagraph here.\n"
        );
        assert_eq!(got.1, 9);
    }

    #[test]
    fn body_lines_that_look_alike_but_are_not_at_the_edges_stay() {
        // "I thank you." repeats but sits mid-page: only edge lines can be furniture.
        let body = "a\nb\nc\nd\nI thank you.\ne\nf\ng\nh";
        let got = join_pages(&pages(&[body, body]));
        // Edge lines repeated on both pages go, as furniture would.
        assert_eq!(got.0, "d\nI thank you.\ne\nd\nI thank you.\ne\n");
    }

    #[test]
    fn single_page_keeps_everything_but_a_bare_number() {
        let got = join_pages(&pages(&[
            "Statement by X\n\n26 July 2023\n\nText.\n\n- 1 -",
        ]));
        assert_eq!(got.0, "Statement by X\n\n26 July 2023\n\nText.\n");
        assert_eq!(got.1, 1);
    }

    #[test]
    fn line_end_hyphens_reach_the_clean_stage_in_its_shape() {
        // pdf-extract ends lines with a space; the hyphen must sit right before the break.
        let (text, _) = join_pages(&pages(&["a multi- \n  stakeholder format \n"]));
        assert_eq!(text, "a multi-\n  stakeholder format\n");
        assert_eq!(
            crate::decode::clean::clean(&text),
            "a multi-stakeholder format\n"
        );
    }

    #[test]
    fn page_numbers() {
        let yes = [
            "7",
            " - 7 - ",
            "(7)",
            "Page 7",
            "page 7 of 12",
            "7/12",
            "7 of 12",
            "p. 3",
            "– 12 –",
        ];
        let no = [
            "2023 session",
            "Page",
            "",
            "Resolution 75/240 adopted",
            "12345",
            "I",
        ];
        for s in yes {
            assert!(is_page_number(s), "{s:?}");
        }
        for s in no {
            assert!(!is_page_number(s), "{s:?}");
        }
    }

    #[test]
    fn keys_ignore_digits_case_and_spacing() {
        assert_eq!(line_key("Page 1  of 3"), line_key("page 12 of 3"));
        assert_ne!(line_key("Session five"), line_key("Session six"));
    }

    #[test]
    fn empty_and_blank_pages() {
        assert_eq!(join_pages(&[]), (String::new(), 0));
        assert_eq!(join_pages(&pages(&["", "  \n ", ""])).0, "");
        assert_eq!(join_pages(&pages(&["", "Text."])).0, "Text.\n");
    }

    proptest! {
        #[test]
        fn never_panics_and_never_adds_text(p in proptest::collection::vec("[a-c1 \n.-]{0,60}", 0..6)) {
            let (text, _) = join_pages(&p);
            let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).count();
            prop_assert!(letters(&text) <= p.iter().map(|s| letters(s)).sum::<usize>());
        }
    }
}
