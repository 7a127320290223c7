//! The benchmark's reference job: its two tables in the peers' format.
//!
//! `bench/reference-job.toml` makes a run compute exactly what
//! `../shared/bench/REFERENCE_JOB.md` asks; with `[output] reference_tables = true`
//! the run also writes `reference/term_counts.csv` and
//! `reference/theme_scores.csv`, laid out like the peer scripts' files so
//! `compare_outputs.py` (or `cmp`) can put them side by side.

use crate::count::results::Results;
use crate::report::table::{Cell, Table};

/// The reference job lists a term in a year when it occurs at least this often there.
pub const MIN_COUNT: u64 = 5;

/// Decimals of per_1000 in the reference tables (the peers print `%.6f`).
pub const DECIMALS: usize = 6;

/// `reference/term_counts.csv`: year, term, count, per_1000 for every term
/// with at least [`MIN_COUNT`] occurrences; years in time order, terms in
/// code-point order. The `undated` group is left out: the peers skip files
/// whose name carries no year.
pub fn term_counts(r: &Results) -> Table {
    let mut t = Table::new(
        "reference/term_counts.csv",
        "Reference job: per group (year), every stem occurring at least 5 times.",
        &[
            ("year", "Group label (the year under the reference job)"),
            ("term", "The stem"),
            ("count", "Occurrences in the group"),
            ("per_1000", "Occurrences per 1,000 kept tokens (6 decimals)"),
        ],
    );
    for s in r.sessions.iter().filter(|s| s.dated) {
        let mut terms: Vec<_> = s.terms.iter().filter(|x| x.count >= MIN_COUNT).collect();
        terms.sort_unstable_by(|a, b| a.term.cmp(&b.term));
        for term in terms {
            t.rows.push(vec![
                Cell::Text(s.label.clone()),
                Cell::Text(term.term.clone()),
                Cell::Int(term.count),
                Cell::Float(
                    crate::report::tables::per_1000(term.count, s.kept),
                    DECIMALS,
                ),
            ]);
        }
    }
    t
}

/// `reference/theme_scores.csv`: year, theme, hits, per_1000 for every theme
/// in every dated group (zeros included); themes by name in code-point order.
pub fn theme_scores(r: &Results) -> Table {
    let mut t = Table::new(
        "reference/theme_scores.csv",
        "Reference job: every theme in every group (year), zeros included.",
        &[
            ("year", "Group label (the year under the reference job)"),
            ("theme", "Theme name"),
            (
                "hits",
                "Kept-token positions where a pattern of the theme starts a match",
            ),
            ("per_1000", "Hits per 1,000 kept tokens (6 decimals)"),
        ],
    );
    let mut order: Vec<usize> = (0..r.themes.len()).collect();
    order.sort_by(|&a, &b| r.themes[a].cmp(&r.themes[b]));
    for s in r.sessions.iter().filter(|s| s.dated) {
        for &i in &order {
            let hits = s.themes.get(i).map_or(0, |c| c.hits);
            t.rows.push(vec![
                Cell::Text(s.label.clone()),
                Cell::Text(r.themes[i].clone()),
                Cell::Int(hits),
                Cell::Float(crate::report::tables::per_1000(hits, s.kept), DECIMALS),
            ]);
        }
    }
    t
}

/// Both reference tables, in a fixed order.
pub fn tables(r: &Results) -> Vec<Table> {
    vec![term_counts(r), theme_scores(r)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::count::results::Session;
    use crate::report::evidence::keyness::tests::{session as keyness_session, with_hits};

    fn session(
        label: &str,
        dated: bool,
        kept: u64,
        terms: &[(&str, u64)],
        hits: &[u64],
    ) -> Session {
        let mut s = with_hits(keyness_session(label, 0, kept, terms), hits);
        s.dated = dated;
        for t in &mut s.terms {
            t.display = t.term.clone();
        }
        s
    }

    fn results() -> Results {
        Results {
            themes: vec!["nuclear".into(), "cyber".into()],
            patterns: Vec::new(),
            sessions: vec![
                session(
                    "1990",
                    true,
                    3000,
                    &[("state", 9), ("nation", 5), ("rare", 4)],
                    &[3, 0],
                ),
                session("1991", true, 0, &[], &[0, 0]),
                session("undated", false, 100, &[("state", 50)], &[1, 1]),
            ],
            docs: Vec::new(),
            hits: Default::default(),
        }
    }

    #[test]
    fn term_counts_keep_frequent_terms_in_code_point_order() {
        let csv = String::from_utf8(term_counts(&results()).to_csv(false)).unwrap();
        assert_eq!(
            csv,
            "year,term,count,per_1000\n1990,nation,5,1.666667\n1990,state,9,3.000000\n"
        );
    }

    #[test]
    fn theme_scores_list_every_theme_by_name_zeros_included() {
        let csv = String::from_utf8(theme_scores(&results()).to_csv(false)).unwrap();
        assert_eq!(
            csv,
            "year,theme,hits,per_1000\n1990,cyber,0,0.000000\n1990,nuclear,3,1.000000\n\
             1991,cyber,0,0.000000\n1991,nuclear,0,0.000000\n"
        );
    }
}
