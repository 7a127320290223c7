//! collocations.csv: candidate phrases for the dictionary, two- and three-word sequences ranked by G2.

use rustc_hash::FxHashMap;

use crate::count::ngram::Collocations;
use crate::count::results::Results;
use crate::report::table::{Cell, Table};
use crate::stats::{bigram_g2, chi2_sf_1df, trigram_g2};

/// One ranked phrase.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    pub text: String,
    pub words: usize,
    pub count: u64,
    pub g2: f64,
    /// Session positions (in `Results::sessions`) with their counts, in time order.
    pub sessions: Vec<(usize, u64)>,
    pub themes: Vec<u32>,
    /// The language of the statements it was counted in.
    pub language: crate::analyze::language::Language,
}

/// Phrases that occur more often than their words predict (G2 > 0), strongest first
/// (descending G2, then count, then text).
pub fn ranked(r: &Results, c: &Collocations) -> Vec<Phrase> {
    let position: FxHashMap<&str, usize> = r
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| (s.label.as_str(), i))
        .collect();
    let mut out: Vec<Phrase> = c
        .ngrams
        .iter()
        .filter_map(|n| {
            let [joint, first, last, positions] = n.table;
            let g2 = if n.words.len() == 2 {
                bigram_g2(joint, first, last, positions)
            } else {
                trigram_g2(joint, first, last, positions)
            };
            if g2 <= 0.0 {
                return None;
            }
            let mut sessions: Vec<(usize, u64)> = n
                .sessions
                .iter()
                .filter_map(|(label, k)| position.get(label.as_str()).map(|&i| (i, *k)))
                .collect();
            sessions.sort_unstable();
            Some(Phrase {
                text: n.words.join(" "),
                words: n.words.len(),
                count: n.count,
                g2,
                sessions,
                themes: n.themes.clone(),
                language: n.language,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        b.g2.total_cmp(&a.g2)
            .then_with(|| b.count.cmp(&a.count))
            .then_with(|| a.text.cmp(&b.text))
            .then_with(|| a.language.cmp(&b.language))
    });
    out
}

/// `collocations.csv`.
/// `top` keeps the strongest phrases only (0 = all): a large corpus has
/// millions of sequences above any fixed minimum count, and nobody reads
/// past the first few thousand.
pub fn collocations_table(r: &Results, c: &Collocations, top: usize) -> Table {
    let mut t = Table::new(
        "collocations.csv",
        "Two- and three-word sequences seen at least [evidence] collocation_min_count times, strongest association first (the first [evidence] collocations_top of them): candidate dictionary phrases.",
        &[
            (
                "phrase",
                "The words, lowercase, as they appear in the text (a stopword may sit in the middle of three)",
            ),
            ("words", "2 or 3"),
            ("count", "Occurrences in the whole corpus"),
            (
                "g2",
                "Log-likelihood G2 of the words occurring together more than their own frequencies predict (first word or pair vs last word); larger = more phrase-like (4 decimals)",
            ),
            ("p_value", "P(chi-square, 1 df > g2) (6 decimals)"),
            (
                "sessions",
                "Number of sessions (groups) the phrase appears in",
            ),
            ("first_session", "Earliest session it appears in"),
            ("last_session", "Latest session it appears in"),
            (
                "session_counts",
                "Each session it appears in with its count, in time order: \"label: count; ...\"",
            ),
            (
                "covered_by_theme",
                "yes when a theme pattern already matches within the phrase, no for a phrase no theme catches yet",
            ),
            (
                "themes",
                "The themes whose patterns match within the phrase",
            ),
            (
                "language",
                "Language of the statements the phrase was counted in (ISO 639-1); its association is measured among them",
            ),
        ],
    );
    let mut phrases = ranked(r, c);
    if top > 0 {
        phrases.truncate(top);
    }
    for p in phrases {
        let label = |i: usize| r.sessions[i].label.clone();
        let list = p
            .sessions
            .iter()
            .map(|&(i, k)| format!("{}: {k}", r.sessions[i].label))
            .collect::<Vec<_>>()
            .join("; ");
        let themes = p
            .themes
            .iter()
            .filter_map(|&th| r.themes.get(th as usize).cloned())
            .collect::<Vec<_>>()
            .join("; ");
        t.rows.push(vec![
            Cell::Text(p.text),
            Cell::Int(p.words as u64),
            Cell::Int(p.count),
            Cell::Float(p.g2, super::keyness::STAT_DECIMALS),
            Cell::Float(chi2_sf_1df(p.g2), super::keyness::P_DECIMALS),
            Cell::Int(p.sessions.len() as u64),
            p.sessions
                .first()
                .map_or(Cell::Empty, |&(i, _)| Cell::Text(label(i))),
            p.sessions
                .last()
                .map_or(Cell::Empty, |&(i, _)| Cell::Text(label(i))),
            Cell::Text(list),
            Cell::Text(if p.themes.is_empty() { "no" } else { "yes" }.into()),
            Cell::Text(themes),
            Cell::Text(p.language.code().into()),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::count::ngram::Ngram;
    use crate::report::evidence::keyness::tests::{results, session};

    /// Textbook G2 of `[[a, b], [c, d]]` with plain loops.
    fn g2_by_hand(o: [[f64; 2]; 2]) -> f64 {
        let n: f64 = o.iter().flatten().sum();
        let mut sum = 0.0;
        for i in 0..2 {
            for j in 0..2 {
                let e = (o[i][0] + o[i][1]) * (o[0][j] + o[1][j]) / n;
                if o[i][j] > 0.0 {
                    sum += o[i][j] * (o[i][j] / e).ln();
                }
            }
        }
        2.0 * sum
    }

    fn ngram(words: &[&str], table: [u64; 4], sessions: &[(&str, u64)], themes: &[u32]) -> Ngram {
        Ngram {
            words: words.iter().map(|w| w.to_string()).collect(),
            count: table[0],
            table,
            sessions: sessions.iter().map(|(l, n)| (l.to_string(), *n)).collect(),
            themes: themes.to_vec(),
            language: Default::default(),
        }
    }

    #[test]
    fn ranks_by_g2_and_lists_sessions_in_time_order() {
        let r = results(vec![session("S1", 1, 10, &[]), session("S2", 2, 10, &[])]);
        let c = Collocations {
            ngrams: vec![
                // 8 of 1000 positions; "security" first 10 times, "council" second 9 times.
                ngram(
                    &["security", "council"],
                    [8, 10, 9, 1000],
                    &[("S2", 5), ("S1", 3)],
                    &[],
                ),
                // Words that avoid each other (fewer than expected): left out.
                ngram(&["the", "states"], [1, 500, 500, 1000], &[("S1", 1)], &[]),
                ngram(&["rule", "of", "law"], [6, 6, 30, 900], &[("S1", 6)], &[0]),
            ],
            positions2: 1000,
            positions3: 900,
        };
        let rows = ranked(&r, &c);
        assert_eq!(rows.len(), 2);
        let sc = rows.iter().find(|p| p.text == "security council").unwrap();
        let by_hand = g2_by_hand([[8.0, 2.0], [1.0, 989.0]]);
        assert!((sc.g2 - by_hand).abs() < 1e-9, "{} vs {by_hand}", sc.g2);
        assert_eq!(sc.sessions, [(0, 3), (1, 5)]);
        let rl = rows.iter().find(|p| p.text == "rule of law").unwrap();
        assert!((rl.g2 - g2_by_hand([[6.0, 0.0], [24.0, 870.0]])).abs() < 1e-9);
        assert!(rows[0].g2 >= rows[1].g2);
        // `collocations_top` keeps the strongest phrases only.
        let top = collocations_table(&r, &c, 1);
        assert_eq!(top.rows.len(), 1);
        assert_eq!(top.rows[0][0], Cell::Text(rows[0].text.clone()));
        let t = collocations_table(&r, &c, 0);
        assert_eq!(t.rows.len(), 2);
        let sc_row = t
            .rows
            .iter()
            .find(|row| row[0] == Cell::Text("security council".into()))
            .unwrap();
        assert_eq!(sc_row[8], Cell::Text("S1: 3; S2: 5".into()));
        assert_eq!(sc_row[9], Cell::Text("no".into()));
        let rl_row = t
            .rows
            .iter()
            .find(|row| row[0] == Cell::Text("rule of law".into()))
            .unwrap();
        assert_eq!(
            (&rl_row[9], &rl_row[10]),
            (&Cell::Text("yes".into()), &Cell::Text("T".into()))
        );
    }
}
