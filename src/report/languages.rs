//! Tables by language: `theme_scores_by_language.csv`, and the one-language views that keyness
//! and tf-idf compare within (a term is a stem of one language; its rate is taken over the kept
//! tokens of that language).

use crate::analyze::language::Language;
use crate::count::results::{Results, Session};
use crate::report::table::{Cell, Table};
use crate::report::tables::rate_cell;

/// The languages of the run's statements, by code (the default language alone when there are
/// none).
pub fn languages(r: &Results) -> Vec<Language> {
    let mut out: Vec<Language> = r
        .sessions
        .iter()
        .flat_map(|s| {
            s.languages
                .iter()
                .filter(|l| l.docs > 0)
                .map(|l| l.language)
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The run as if it held only the statements in `language`: the sessions that have some, with
/// that language's counts and terms. Returns the view and, per view session, its index in `r`.
/// Only sessions and themes are filled: the views feed the per-session comparisons.
pub fn view(r: &Results, language: Language) -> (Results, Vec<usize>) {
    let mut sessions = Vec::new();
    let mut index = Vec::new();
    for (i, s) in r.sessions.iter().enumerate() {
        let Some(share) = s.languages.iter().find(|l| l.language == language) else {
            continue;
        };
        sessions.push(Session {
            docs: share.docs,
            tokens: share.tokens,
            kept: share.kept,
            terms: s
                .terms
                .iter()
                .filter(|t| t.language == language)
                .cloned()
                .collect(),
            themes: share.themes.clone(),
            pattern_hits: Vec::new(),
            languages: vec![share.clone()],
            ..s.clone()
        });
        index.push(i);
    }
    (
        Results {
            themes: r.themes.clone(),
            patterns: Vec::new(),
            sessions,
            docs: Vec::new(),
            hits: Default::default(),
        },
        index,
    )
}

/// `theme_scores_by_language.csv`: every theme in every session, per language of its statements.
pub fn theme_scores_by_language(r: &Results) -> Table {
    let mut t = Table::new(
        "theme_scores_by_language.csv",
        "Every theme in every session, per language of the session's statements (zeros included): the rows of theme_scores.csv split by language. Rates are per 1,000 kept tokens of that language; compare a language's rates over time, not one language's with another's (words differ in length and in how many a text needs).",
        &[
            ("session", "Session (group) label"),
            ("theme", "Theme name from the dictionary"),
            (
                "language",
                "Language of the statements counted (ISO 639-1: ar, en, es, fr, ru, zh)",
            ),
            (
                "hits",
                "Theme hits in the session's statements in this language",
            ),
            (
                "per_1000",
                "Hits per 1,000 kept tokens of the session's statements in this language (4 decimals)",
            ),
            (
                "docs_with_hits",
                "Statements of the session in this language with at least one hit",
            ),
            ("docs", "Statements of the session in this language"),
            (
                "session_order",
                "Position of the session in time order (1 = first)",
            ),
            (
                "session_start",
                "Earliest date (or year) among the session's statements",
            ),
        ],
    );
    for s in &r.sessions {
        for (i, name) in r.themes.iter().enumerate() {
            for share in &s.languages {
                let c = share.themes[i];
                t.rows.push(vec![
                    Cell::Text(s.label.clone()),
                    Cell::Text(name.clone()),
                    Cell::Text(share.language.code().into()),
                    Cell::Int(c.hits),
                    rate_cell(c.hits, share.kept),
                    Cell::Int(u64::from(c.docs_with_hits)),
                    Cell::Int(u64::from(share.docs)),
                    Cell::Int(s.order as u64),
                    Cell::Date(s.start.clone()),
                ]);
            }
        }
    }
    t
}
