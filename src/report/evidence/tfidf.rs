//! top_terms.csv: each session's most distinctive terms by tf-idf.
//!
//! Variant `tfidf_prop_ln`: (count / session kept tokens) x ln(sessions / sessions containing the term).
//! A term found in every session scores 0 and is never listed.

use rustc_hash::FxHashMap;

use crate::count::results::{Results, TermRow};
use crate::report::table::{Cell, Table};

/// Decimals of the tf-idf score (proportions are small: 8 keeps four significant digits).
pub const TFIDF_DECIMALS: usize = 8;

/// One listed term.
#[derive(Debug, Clone, PartialEq)]
pub struct TopTerm {
    pub session: usize,
    pub rank: usize,
    pub term: String,
    pub display: String,
    pub count: u64,
    pub sessions_with_term: usize,
    pub score: f64,
    /// The term's language, and the sessions with statements in it (the idf's count).
    pub language: crate::analyze::language::Language,
    pub sessions: usize,
}

/// The `n` best-scoring terms of each session (score > 0), by descending score, then count, then term.
///
/// With statements in several languages, each language's terms are scored within it (over
/// the kept tokens of the session's statements in it, across the sessions that have some),
/// and a session lists `n` terms per language, languages by code.
pub fn top_terms_by_session(r: &Results, n: usize) -> Vec<TopTerm> {
    let languages = crate::report::languages::languages(r);
    if languages.len() <= 1 {
        let language = languages.first().copied().unwrap_or_default();
        let mut rows = top_terms_in(r, n);
        for t in &mut rows {
            t.language = language;
        }
        return rows;
    }
    let mut out = Vec::new();
    for language in languages {
        let (view, index) = crate::report::languages::view(r, language);
        out.extend(top_terms_in(&view, n).into_iter().map(|t| TopTerm {
            session: index[t.session],
            language,
            ..t
        }));
    }
    out.sort_by_key(|t| (t.session, t.language));
    out
}

/// [`top_terms_by_session`] over sessions whose terms are all of one language.
fn top_terms_in(r: &Results, n: usize) -> Vec<TopTerm> {
    let sessions = r.sessions.len();
    // One session: every term is in every session and scores 0, so nothing is listed.
    if n == 0 || sessions < 2 {
        return Vec::new();
    }
    let mut df: FxHashMap<&str, usize> = FxHashMap::default();
    for s in &r.sessions {
        for t in &s.terms {
            *df.entry(&t.term).or_default() += 1;
        }
    }
    let mut out = Vec::new();
    for (i, s) in r.sessions.iter().enumerate() {
        if s.kept == 0 {
            continue;
        }
        // Scored by reference; only the `n` kept are copied out (a session can hold millions
        // of terms, most of them seen once).
        let mut scored: Vec<(f64, usize, &TermRow)> = s
            .terms
            .iter()
            .filter_map(|t| {
                let containing = df.get(t.term.as_str()).copied().unwrap_or(1).max(1);
                let score = tfidf_prop_ln(t.count, s.kept, sessions, containing);
                (score > 0.0).then_some((score, containing, t))
            })
            .collect();
        // Descending score, then count, then term: a total order (a session lists a term once).
        let order = |a: &(f64, usize, &TermRow), b: &(f64, usize, &TermRow)| {
            b.0.total_cmp(&a.0)
                .then_with(|| b.2.count.cmp(&a.2.count))
                .then_with(|| a.2.term.cmp(&b.2.term))
        };
        if scored.len() > n {
            scored.select_nth_unstable_by(n - 1, order);
            scored.truncate(n);
        }
        scored.sort_unstable_by(order);
        out.extend(
            scored
                .into_iter()
                .enumerate()
                .map(|(rank, (score, containing, t))| TopTerm {
                    session: i,
                    rank: rank + 1,
                    term: t.term.clone(),
                    display: t.display.clone(),
                    count: t.count,
                    sessions_with_term: containing,
                    score,
                    language: Default::default(),
                    sessions,
                }),
        );
    }
    out
}

/// `(count / total) x ln(sessions / containing)`; 0 when there is nothing to divide by.
pub fn tfidf_prop_ln(count: u64, total: u64, sessions: usize, containing: usize) -> f64 {
    if total == 0 || containing == 0 || sessions == 0 {
        return 0.0;
    }
    (count as f64 / total as f64) * (sessions as f64 / containing as f64).ln()
}

/// `top_terms.csv`.
pub fn top_terms(r: &Results, n: usize) -> Table {
    let mut t = Table::new(
        "top_terms.csv",
        "Per session, the most distinctive terms by tf-idf ([evidence] top_terms per session); terms found in every session score 0 and are not listed.",
        &[
            ("session", "Session (group) label"),
            ("rank", "1 = most distinctive in the session"),
            ("term", "The stem"),
            (
                "display_term",
                "The stem's most frequent word in the corpus",
            ),
            ("count", "Occurrences in the session"),
            (
                "sessions_with_term",
                "Sessions (groups) in which the term occurs",
            ),
            (
                "sessions",
                "Sessions (groups) in the run (with statements in the term's language)",
            ),
            (
                "tfidf_prop_ln",
                "(count / kept tokens of the session) x ln(sessions / sessions_with_term) (8 decimals)",
            ),
            (
                "session_order",
                "Position of the session in time order (1 = first)",
            ),
            (
                "language",
                "Language of the term, scored among that language's statements (ISO 639-1)",
            ),
        ],
    );
    for x in top_terms_by_session(r, n) {
        let s = &r.sessions[x.session];
        t.rows.push(vec![
            Cell::Text(s.label.clone()),
            Cell::Int(x.rank as u64),
            Cell::Text(x.term),
            Cell::Text(x.display),
            Cell::Int(x.count),
            Cell::Int(x.sessions_with_term as u64),
            Cell::Int(x.sessions as u64),
            Cell::Float(x.score, TFIDF_DECIMALS),
            Cell::Int(s.order as u64),
            Cell::Text(x.language.code().into()),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::count::results::Session;
    use crate::report::evidence::keyness::tests::{results, session};

    #[test]
    fn distinctive_terms_rank_first_and_common_ones_are_left_out() {
        let r = results(vec![
            session(
                "S1",
                1,
                100,
                &[("norm", 20), ("cyber", 5), ("mercenari", 2)],
            ),
            session("S2", 2, 50, &[("norm", 10), ("cyber", 1)]),
            session("S3", 3, 10, &[("norm", 1), ("terror", 3)]),
        ]);
        let rows = top_terms_by_session(&r, 10);
        assert!(
            rows.iter().all(|t| t.term != "norm"),
            "in every session: idf 0"
        );
        let s1: Vec<&TopTerm> = rows.iter().filter(|t| t.session == 0).collect();
        assert_eq!(s1.len(), 2);
        // cyber: 5/100 x ln(3/2) = 0.020273; mercenari: 2/100 x ln 3 = 0.021972.
        assert_eq!((s1[0].term.as_str(), s1[0].rank), ("mercenari", 1));
        assert!((s1[0].score - 0.02 * 3f64.ln()).abs() < 1e-15);
        assert!((s1[1].score - 0.05 * 1.5f64.ln()).abs() < 1e-15);
        let s3 = rows.iter().find(|t| t.session == 2).unwrap();
        assert!((s3.score - 0.3 * 3f64.ln()).abs() < 1e-15);
        assert_eq!(top_terms_by_session(&r, 1).len(), 3, "n per session");
        let t = top_terms(&r, 10);
        assert_eq!(t.columns[7].name, "tfidf_prop_ln");
    }

    proptest::proptest! {
        /// Selecting the `n` best before sorting lists exactly what sorting every term did.
        #[test]
        fn selection_lists_what_a_full_sort_lists(
            counts in proptest::collection::vec(proptest::collection::vec(0u64..6, 1..40), 2..5),
            n in 0usize..12,
        ) {
            let names: Vec<String> = (0..40).map(|i| format!("t{i:02}")).collect();
            let sessions: Vec<Session> = counts
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let terms: Vec<(&str, u64)> = c
                        .iter()
                        .enumerate()
                        .filter(|(_, n)| **n > 0)
                        .map(|(j, n)| (names[j].as_str(), *n))
                        .collect();
                    let kept = terms.iter().map(|t| t.1).sum::<u64>().max(1);
                    session(&format!("S{i}"), i + 1, kept, &terms)
                })
                .collect();
            let r = results(sessions);
            let got = top_terms_in(&r, n);
            // The reference: every positive score, fully sorted, cut at n.
            let k = r.sessions.len();
            let mut want = Vec::new();
            for (i, s) in r.sessions.iter().enumerate() {
                let mut all: Vec<(f64, u64, String)> = s
                    .terms
                    .iter()
                    .map(|t| {
                        let df = r.sessions.iter().filter(|o| o.terms.iter().any(|u| u.term == t.term)).count();
                        (tfidf_prop_ln(t.count, s.kept, k, df), t.count, t.term.clone())
                    })
                    .filter(|t| t.0 > 0.0)
                    .collect();
                all.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
                want.extend(all.into_iter().take(n).enumerate().map(|(rank, t)| (i, rank + 1, t.2)));
            }
            let got: Vec<(usize, usize, String)> =
                got.into_iter().map(|t| (t.session, t.rank, t.term)).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn one_session_lists_nothing_and_never_divides_by_zero() {
        let r = results(vec![session("S1", 1, 10, &[("norm", 3)])]);
        assert!(top_terms_by_session(&r, 5).is_empty());
        assert_eq!(tfidf_prop_ln(3, 0, 2, 1), 0.0);
        assert_eq!(tfidf_prop_ln(3, 10, 2, 0), 0.0);
    }
}
