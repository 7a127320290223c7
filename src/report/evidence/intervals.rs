//! Bootstrap intervals of each theme's per_1000 in each session (theme_scores.csv's `ci_low`, `ci_high`).
//!
//! The statement is the resampling unit: words within a speech are not
//! independent. Every (session, theme) cell has its own seed derived from
//! `[evidence] bootstrap_seed`, the session's label and the theme's position,
//! so a run is byte-identical whatever the thread count and adding a theme
//! does not change the other themes' intervals.

use rayon::prelude::*;

use crate::config::EvidenceSettings;
use crate::count::results::Results;
use crate::report::table::{Cell, Table};
use crate::report::tables::RATE_DECIMALS;
use crate::stats::{DocCounts, RateInterval, SplitMix64, bootstrap_rate_ci};

/// Intervals by session (as `Results::sessions`), then theme (as `Results::themes`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ThemeIntervals {
    /// Coverage, e.g. 0.95.
    pub level: f64,
    pub by_session: Vec<Vec<RateInterval>>,
}

impl ThemeIntervals {
    /// The interval of theme `theme` in session `session`, when both exist and the session has
    /// a kept token.
    pub fn get(&self, session: usize, theme: usize) -> Option<RateInterval> {
        self.by_session.get(session)?.get(theme).copied()
    }
}

/// Per-statement counts of each session: `[session][statement]`, each with hits per theme.
fn statements_by_session(r: &Results) -> Vec<Vec<(&[u64], u64)>> {
    let mut out: Vec<Vec<(&[u64], u64)>> = vec![Vec::new(); r.sessions.len()];
    let index: rustc_hash::FxHashMap<&str, usize> = r
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| (s.label.as_str(), i))
        .collect();
    for d in &r.docs {
        if let Some(&i) = index.get(d.group.as_str()) {
            out[i].push((&d.theme_hits, d.kept_tokens));
        }
    }
    out
}

/// A cell's seed: the run's seed mixed with the session label and theme position.
fn cell_seed(seed: u64, label: &str, theme: usize) -> u64 {
    // FNV-1a over the label: stable across platforms and Rust versions, unlike std's hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in label.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut mix = SplitMix64::new(seed ^ h ^ (theme as u64).rotate_left(32));
    mix.next_u64()
}

/// Bootstrap intervals of every theme's per_1000 in every session.
pub fn theme_intervals(r: &Results, settings: &EvidenceSettings) -> ThemeIntervals {
    let statements = statements_by_session(r);
    let themes = r.themes.len();
    let by_session = r
        .sessions
        .par_iter()
        .zip(statements.par_iter())
        .map(|(s, docs)| {
            // No words, no rate: and no interval around one.
            let themes = if s.kept == 0 { 0 } else { themes };
            (0..themes)
                .map(|t| {
                    let counts: Vec<DocCounts> = docs
                        .iter()
                        .map(|(hits, kept)| DocCounts {
                            hits: hits.get(t).copied().unwrap_or(0),
                            kept: *kept,
                        })
                        .collect();
                    bootstrap_rate_ci(
                        &counts,
                        settings.bootstrap_resamples,
                        cell_seed(settings.bootstrap_seed, &s.label, t),
                        settings.confidence_level,
                    )
                })
                .collect()
        })
        .collect();
    ThemeIntervals {
        level: settings.confidence_level,
        by_session,
    }
}

/// Appends `ci_low` and `ci_high` to theme_scores.csv, each row's from its own session and
/// theme: rows are joined on (`session_order`, `theme`), whatever their order or number
/// (`session_order` rather than the label: a session a manifest calls "undated" and the
/// undated statements would share one).
pub fn append_to_theme_scores(t: &mut Table, r: &Results, ci: &ThemeIntervals) {
    let column = |name: &str| t.columns.iter().position(|c| c.name == name);
    let (Some(order_at), Some(theme_at)) = (column("session_order"), column("theme")) else {
        return;
    };
    let pct = format!("{:.0}%", ci.level * 100.0);
    t.push_column(
        "ci_low",
        &format!(
            "Lower bound of a {pct} bootstrap interval of per_1000, resampling the session's statements ([evidence] bootstrap_seed makes it reproducible) (4 decimals)"
        ),
    );
    t.push_column(
        "ci_high",
        &format!("Upper bound of the {pct} interval (4 decimals)"),
    );
    let session_at: rustc_hash::FxHashMap<u64, usize> = r
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| (s.order as u64, i))
        .collect();
    let theme_at_name: rustc_hash::FxHashMap<&str, usize> = r
        .themes
        .iter()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    for row in &mut t.rows {
        let session = match row.get(order_at) {
            Some(Cell::Int(order)) => session_at.get(order),
            _ => None,
        };
        let theme = match row.get(theme_at) {
            Some(Cell::Text(name)) => theme_at_name.get(name.as_str()),
            _ => None,
        };
        let interval = session.zip(theme).and_then(|(&s, &th)| ci.get(s, th));
        match interval {
            Some(iv) => {
                row.push(Cell::Float(iv.low, RATE_DECIMALS));
                row.push(Cell::Float(iv.high, RATE_DECIMALS));
            }
            None => {
                row.push(Cell::Empty);
                row.push(Cell::Empty);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::count::DocRecord;
    use crate::report::evidence::keyness::tests::{results, session};

    fn doc(group: &str, hits: u64, kept: u64) -> DocRecord {
        DocRecord {
            group: group.into(),
            tokens: kept,
            kept_tokens: kept,
            theme_hits: vec![hits],
            ..DocRecord::default()
        }
    }

    fn with_docs(docs: Vec<DocRecord>) -> Results {
        let mut r = results(vec![session("S1", 1, 0, &[])]);
        r.sessions[0].kept = docs.iter().map(|d| d.kept_tokens).sum();
        r.sessions[0].themes[0].hits = docs.iter().map(|d| d.theme_hits[0]).sum();
        r.docs = docs;
        r
    }

    #[test]
    fn intervals_contain_the_rate_and_shrink_with_more_statements() {
        let settings = EvidenceSettings::default();
        let pattern = [(3, 1000), (0, 800), (7, 1200), (1, 900), (4, 1100)];
        let few: Vec<DocRecord> = pattern.iter().map(|&(h, k)| doc("S1", h, k)).collect();
        let many: Vec<DocRecord> = (0..8)
            .flat_map(|_| pattern.iter().map(|&(h, k)| doc("S1", h, k)))
            .collect();
        let (a, b) = (with_docs(few), with_docs(many));
        let (ia, ib) = (
            theme_intervals(&a, &settings),
            theme_intervals(&b, &settings),
        );
        let (x, y) = (ia.get(0, 0).unwrap(), ib.get(0, 0).unwrap());
        let rate = 1000.0 * 15.0 / 5000.0;
        for iv in [x, y] {
            assert!((iv.point - rate).abs() < 1e-12);
            assert!(iv.low <= iv.point && iv.point <= iv.high, "{iv:?}");
        }
        assert!(y.high - y.low < x.high - x.low, "{x:?} vs {y:?}");
        assert_eq!(theme_intervals(&b, &settings), ib, "seeded: identical");
    }

    /// Rows in another order (or fewer of them) still get their own (session, theme)'s interval.
    #[test]
    fn intervals_join_rows_by_session_and_theme_not_by_position() {
        let mut r = results(vec![session("S1", 1, 0, &[]), session("S2", 2, 0, &[])]);
        r.themes = vec!["A".into(), "B".into()];
        for s in &mut r.sessions {
            s.themes = vec![Default::default(); 2];
        }
        let doc = |group: &str, hits: Vec<u64>, kept: u64| DocRecord {
            group: group.into(),
            tokens: kept,
            kept_tokens: kept,
            theme_hits: hits,
            ..DocRecord::default()
        };
        r.docs = vec![
            doc("S1", vec![1, 9], 100),
            doc("S1", vec![3, 0], 200),
            doc("S2", vec![5, 2], 100),
            doc("S2", vec![0, 7], 50),
        ];
        for (i, s) in r.sessions.iter_mut().enumerate() {
            let mine: Vec<&DocRecord> = r.docs.iter().skip(2 * i).take(2).collect();
            s.kept = mine.iter().map(|d| d.kept_tokens).sum();
            for t in 0..2 {
                s.themes[t].hits = mine.iter().map(|d| d.theme_hits[t]).sum();
            }
        }
        let ci = theme_intervals(&r, &EvidenceSettings::default());
        let mut t = crate::report::tables::theme_scores(&r);
        let width = t.columns.len();
        t.rows.reverse();
        t.rows.remove(1);
        append_to_theme_scores(&mut t, &r, &ci);
        for row in &t.rows {
            let (Cell::Text(label), Cell::Text(theme)) = (&row[0], &row[1]) else {
                panic!("{row:?}")
            };
            let s = r.sessions.iter().position(|s| &s.label == label).unwrap();
            let th = r.themes.iter().position(|n| n == theme).unwrap();
            let iv = ci.get(s, th).unwrap();
            assert_eq!(
                (&row[width], &row[width + 1]),
                (
                    &Cell::Float(iv.low, RATE_DECIMALS),
                    &Cell::Float(iv.high, RATE_DECIMALS)
                ),
                "{label} {theme}"
            );
        }
    }

    #[test]
    fn columns_are_appended_to_every_row() {
        let r = with_docs(vec![doc("S1", 2, 100), doc("S1", 0, 100)]);
        let ci = theme_intervals(&r, &EvidenceSettings::default());
        let mut t = crate::report::tables::theme_scores(&r);
        let width = t.columns.len();
        append_to_theme_scores(&mut t, &r, &ci);
        assert_eq!(t.columns[width].name, "ci_low");
        assert_eq!(t.columns[width + 1].name, "ci_high");
        assert!(t.rows.iter().all(|row| row.len() == width + 2));
        let Cell::Float(low, 4) = t.rows[0][width] else {
            panic!("{:?}", t.rows[0])
        };
        let Cell::Float(high, 4) = t.rows[0][width + 1] else {
            panic!()
        };
        assert!(low <= 10.0 && 10.0 <= high);
    }
}
