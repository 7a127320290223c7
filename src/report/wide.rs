//! Wide tables for spreadsheet users: one row per theme or term, one column per session in time order.
//!
//! The tidy long tables stay the canonical output; these are the same rates
//! pivoted so a spreadsheet can chart a row without a pivot table.

use rustc_hash::FxHashMap;

use crate::analyze::language::Language;
use crate::count::results::Results;
use crate::report::table::{Cell, Table};
use crate::report::tables::{RATE_DECIMALS, rate_cell};

/// `theme_scores_wide.csv`: rows = themes (dictionary order), one `per_1000` column per session.
pub fn theme_scores_wide(r: &Results) -> Table {
    let mut t = Table::new(
        "theme_scores_wide.csv",
        "theme_scores.csv pivoted: one row per theme (dictionary order), one column per session in time order, values per_1000.",
        &[("theme", "Theme name from the dictionary")],
    );
    for (s, name) in r.sessions.iter().zip(session_columns(&t, r, &[])) {
        t.push_column(
            &name,
            &format!(
                "Hits per 1,000 kept tokens of session \"{}\" ({RATE_DECIMALS} decimals; per_1000 in theme_scores.csv)",
                s.label
            ),
        );
    }
    for (i, name) in r.themes.iter().enumerate() {
        let mut row = Vec::with_capacity(1 + r.sessions.len());
        row.push(Cell::Text(name.clone()));
        row.extend(r.sessions.iter().map(|s| {
            let hits = s.themes.get(i).map_or(0, |c| c.hits);
            rate_cell(hits, s.kept)
        }));
        t.rows.push(row);
    }
    t
}

/// The session columns' names: each session's label, unless it would read the same as a column
/// before it or after the sessions (a session labelled `theme`, `count` or `language`, or `=x`
/// beside `'=x`, which the formula guard writes alike): then with ` (2)`, ` (3)`, ... so that
/// no two columns of the file share a name (pandas and spreadsheets key columns by name).
/// `after` names the table's columns that follow the sessions'.
fn session_columns(t: &Table, r: &Results, after: &[&str]) -> Vec<String> {
    use crate::report::table::neutralized;
    let mut taken: std::collections::HashSet<String> = (t.columns.iter())
        .map(|c| neutralized(&c.name).into_owned())
        .chain(after.iter().map(|c| c.to_string()))
        .collect();
    let mut names = Vec::with_capacity(r.sessions.len());
    for s in &r.sessions {
        let mut name = s.label.clone();
        let mut n = 1;
        while !taken.insert(neutralized(&name).into_owned()) {
            n += 1;
            name = format!("{} ({n})", s.label);
        }
        names.push(name);
    }
    names
}

/// `term_frequencies_wide.csv`: the `top_n` terms by total count over all
/// sessions (ties by term), one `per_1000` column per session (0 where a
/// session never uses the term; `min_count` does not apply here).
pub fn term_frequencies_wide(r: &Results, top_n: usize) -> Table {
    let mut t = Table::new(
        "term_frequencies_wide.csv",
        "The most frequent terms over all sessions (`[output] wide_top_n`), one column per session in time order, values per_1000.",
        &[
            ("term", "The stem"),
            (
                "display_term",
                "The stem's most frequent word in the corpus",
            ),
            ("count", "Occurrences over all sessions"),
            (
                "per_1000",
                "Occurrences per 1,000 kept tokens over all sessions (4 decimals)",
            ),
        ],
    );
    // After the sessions' columns (added later than they were: columns are only appended).
    const LANGUAGE: &str = "language";
    for (s, name) in r.sessions.iter().zip(session_columns(&t, r, &[LANGUAGE])) {
        t.push_column(
            &name,
            &format!(
                "Occurrences per 1,000 kept tokens of session \"{}\" ({RATE_DECIMALS} decimals; per_1000 in term_frequencies.csv)",
                s.label
            ),
        );
    }
    t.push_column(
        LANGUAGE,
        "Language of the term: a term is a stem of one language (ISO 639-1), so languages that spell a stem alike have a row each",
    );
    // Totals per term of a language (English "capac" and French "capac" are two terms); a
    // session lists each term once, so the display form is the same everywhere.
    type Key<'a> = (&'a str, Language);
    let mut totals: FxHashMap<Key<'_>, (u64, &str)> = FxHashMap::default();
    for s in &r.sessions {
        for term in &s.terms {
            let e = totals
                .entry((term.term.as_str(), term.language))
                .or_insert((0, term.display.as_str()));
            e.0 += term.count;
        }
    }
    let mut top: Vec<(Key<'_>, u64, &str)> = totals
        .into_iter()
        .map(|(key, (count, display))| (key, count, display))
        .collect();
    // Descending count, then term, then language (each once): the `top_n` are selected before
    // they are sorted, as a corpus can hold millions of terms.
    let order = |a: &(Key<'_>, u64, &str), b: &(Key<'_>, u64, &str)| {
        b.1.cmp(&a.1)
            .then_with(|| a.0.0.cmp(b.0.0))
            .then_with(|| a.0.1.code().cmp(b.0.1.code()))
    };
    if top_n == 0 {
        top.clear();
    } else if top.len() > top_n {
        top.select_nth_unstable_by(top_n - 1, order);
        top.truncate(top_n);
    }
    top.sort_unstable_by(order);
    let column: FxHashMap<Key<'_>, usize> = top.iter().enumerate().map(|(i, t)| (t.0, i)).collect();
    // counts[term][session], filled in one pass over each session's terms.
    let mut counts = vec![vec![0u64; r.sessions.len()]; top.len()];
    for (j, s) in r.sessions.iter().enumerate() {
        for term in &s.terms {
            if let Some(&i) = column.get(&(term.term.as_str(), term.language)) {
                counts[i][j] = term.count;
            }
        }
    }
    let kept_total: u64 = r.sessions.iter().map(|s| s.kept).sum();
    for (((term, language), count, display), per_session) in top.iter().zip(&counts) {
        let mut row = Vec::with_capacity(5 + r.sessions.len());
        row.push(Cell::Text(term.to_string()));
        row.push(Cell::Text(display.to_string()));
        row.push(Cell::Int(*count));
        row.push(rate_cell(*count, kept_total));
        row.extend(
            r.sessions
                .iter()
                .zip(per_session)
                .map(|(s, &c)| rate_cell(c, s.kept)),
        );
        row.push(Cell::Text(language.code().to_string()));
        t.rows.push(row);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::count::results::Session;
    use crate::report::evidence::keyness::tests::{session as keyness_session, with_hits};

    fn session(
        label: &str,
        order: usize,
        kept: u64,
        terms: &[(&str, u64)],
        hits: &[u64],
    ) -> Session {
        let mut s = with_hits(keyness_session(label, order, kept, terms), hits);
        s.dated = true;
        for t in &mut s.terms {
            t.display = format!("{}s", t.term);
        }
        s
    }

    fn results() -> Results {
        Results {
            themes: vec!["Norms".into(), "=Spyware".into()],
            patterns: Vec::new(),
            sessions: vec![
                session(
                    "Session 5",
                    1,
                    400,
                    &[("cyber", 6), ("norm", 4), ("state", 1)],
                    &[2, 0],
                ),
                session(
                    "2024-M03",
                    2,
                    200,
                    &[("norm", 5), ("state", 5), ("zeta", 1)],
                    &[1, 3],
                ),
            ],
            docs: Vec::new(),
            hits: Default::default(),
        }
    }

    fn texts(t: &Table, row: usize) -> Vec<String> {
        t.rows[row]
            .iter()
            .map(|c| {
                let mut s = String::new();
                crate::report::table::render_cell(c, &mut s);
                s
            })
            .collect()
    }

    #[test]
    fn theme_scores_wide_has_a_column_per_session_in_time_order() {
        let t = theme_scores_wide(&results());
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["theme", "Session 5", "2024-M03"]);
        assert_eq!(texts(&t, 0), ["Norms", "5.0000", "5.0000"]);
        assert_eq!(texts(&t, 1), ["'=Spyware", "0.0000", "15.0000"]);
    }

    #[test]
    fn no_two_columns_share_a_name_whatever_the_session_labels() {
        let mut r = results();
        let labels = [
            "theme",
            "=x",
            "'=x",
            "count",
            "count (2)",
            "per_1000",
            "language",
        ];
        r.sessions = (labels.iter().enumerate())
            .map(|(i, l)| session(l, i + 1, 100, &[("norm", 1)], &[0, 0]))
            .collect();
        let rendered = |t: &Table| -> Vec<String> {
            (t.columns.iter())
                .map(|c| crate::report::table::neutralized(&c.name).into_owned())
                .collect()
        };
        let t = theme_scores_wide(&r);
        assert_eq!(
            rendered(&t),
            [
                "theme",
                "theme (2)",
                "'=x",
                "'=x (2)",
                "count",
                "count (2)",
                "per_1000",
                "language"
            ]
        );
        let t = term_frequencies_wide(&r, 3);
        assert_eq!(
            rendered(&t)[4..],
            [
                "theme",
                "'=x",
                "'=x (2)",
                "count (2)",
                "count (2) (2)",
                "per_1000 (2)",
                "language (2)",
                "language"
            ]
        );
        // Ordinary labels are the column names as they are.
        let names: Vec<String> = rendered(&theme_scores_wide(&results()));
        assert_eq!(names, ["theme", "Session 5", "2024-M03"]);
    }

    #[test]
    fn term_frequencies_wide_takes_the_top_terms_overall() {
        let t = term_frequencies_wide(&results(), 3);
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "term",
                "display_term",
                "count",
                "per_1000",
                "Session 5",
                "2024-M03",
                "language"
            ]
        );
        // norm 9, cyber 6, state 6 (tie: by term), zeta 1 left out.
        assert_eq!(t.rows.len(), 3);
        assert_eq!(
            texts(&t, 0),
            ["norm", "norms", "9", "15.0000", "10.0000", "25.0000", "en"]
        );
        assert_eq!(
            texts(&t, 1),
            ["cyber", "cybers", "6", "10.0000", "15.0000", "0.0000", "en"]
        );
        assert_eq!(
            texts(&t, 2),
            ["state", "states", "6", "10.0000", "2.5000", "25.0000", "en"]
        );
        assert!(term_frequencies_wide(&results(), 0).rows.is_empty());
        assert_eq!(term_frequencies_wide(&results(), 100).rows.len(), 4);
    }

    #[test]
    fn a_stem_two_languages_spell_alike_is_a_row_per_language() {
        let mut r = results();
        // The second session's "norm" is French ("norme"): a term of its own.
        let fr = r.sessions[1]
            .terms
            .iter_mut()
            .find(|t| t.term == "norm")
            .unwrap();
        fr.language = Language::Fr;
        fr.display = "normes".into();
        let t = term_frequencies_wide(&r, 10);
        let rows: Vec<Vec<String>> = (0..t.rows.len()).map(|i| texts(&t, i)).collect();
        let norm: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "norm").collect();
        assert_eq!(norm.len(), 2, "{rows:?}");
        assert_eq!(
            *norm[0],
            ["norm", "normes", "5", "8.3333", "0.0000", "25.0000", "fr"]
        );
        assert_eq!(
            *norm[1],
            ["norm", "norms", "4", "6.6667", "10.0000", "0.0000", "en"]
        );
    }

    #[test]
    fn empty_results_give_header_only_tables() {
        let r = Results {
            themes: Vec::new(),
            patterns: Vec::new(),
            sessions: Vec::new(),
            docs: Vec::new(),
            hits: Default::default(),
        };
        assert_eq!(theme_scores_wide(&r).to_csv(false), b"theme\n");
        assert_eq!(
            term_frequencies_wide(&r, 50).to_csv(false),
            b"term,display_term,count,per_1000,language\n"
        );
    }
}
