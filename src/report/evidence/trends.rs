//! theme_trend_tests.csv: is a theme's rise or fall over the sessions more than noise?
//!
//! Per theme, over the dated sessions in time order that have words (`undated` and sessions
//! with no kept token left out, as on the trend charts): the Mann-Kendall test on per_1000 and
//! the Theil-Sen slope per step of the grouping's clock (year, quarter, month, session number).

use super::ThemeIntervals;
use crate::config::GroupBy;
use crate::count::results::{Results, Session};
use crate::report::table::{Cell, Table};
use crate::report::tables::per_1000;
use crate::stats::{MANN_KENDALL_MIN_POINTS, mann_kendall, theil_sen_slope_at};

/// Decimals of tau, z and the slope.
const DECIMALS: usize = 4;
const P_DECIMALS: usize = 6;

/// What the note column says when the test is not run.
pub const TOO_FEW: &str = "too few sessions";

/// One theme's trend test.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeTrend {
    pub theme: usize,
    /// Dated sessions used.
    pub sessions: usize,
    /// `(tau, z, p)`, `None` with fewer than 4 sessions.
    pub mann_kendall: Option<(f64, f64, f64)>,
    /// per_1000 change per step of the grouping's clock (see [`clock`]).
    pub slope: Option<f64>,
}

/// The sessions a trend is read over, in time order: dated, with at least one kept token (a
/// rate over no words is not a rate of 0).
pub fn trend_sessions(r: &Results) -> Vec<usize> {
    (0..r.sessions.len())
        .filter(|&i| r.sessions[i].dated && r.sessions[i].kept > 0)
        .collect()
}

/// Where each of `sessions` lies on the grouping's own clock: its year (`group_by = "year"`),
/// its quarter or month counted on from year 0, its session number; so that a year with no
/// session is a gap in the slope, not one step. When some session has no place on that clock
/// (a field grouping, a session without a number) or two share one, the series' own steps
/// (0, 1, 2, ...).
pub fn clock(r: &Results, by: &GroupBy, sessions: &[usize]) -> Vec<f64> {
    let place = |s: &Session| -> Option<f64> {
        let date = s.first_date;
        match by {
            GroupBy::Year => s.first_year.map(f64::from),
            GroupBy::Quarter => date.map(|d| f64::from(d.year) * 4.0 + f64::from(d.quarter() - 1)),
            GroupBy::Month => date.map(|d| f64::from(d.year) * 12.0 + f64::from(d.month - 1)),
            GroupBy::Session => s.first_session.map(f64::from),
            GroupBy::Field(_) => None,
        }
    };
    let places: Option<Vec<f64>> = sessions.iter().map(|&i| place(&r.sessions[i])).collect();
    match places {
        Some(p) if p.windows(2).all(|w| w[0] < w[1]) => p,
        _ => (0..sessions.len()).map(|i| i as f64).collect(),
    }
}

/// The per_1000 series of each theme over the sessions with words (see [`trend_sessions`]).
pub fn theme_trends(r: &Results, by: &GroupBy) -> Vec<ThemeTrend> {
    let dated = trend_sessions(r);
    let at = clock(r, by, &dated);
    (0..r.themes.len())
        .map(|t| {
            let series: Vec<f64> = dated
                .iter()
                .map(|&i| {
                    let s = &r.sessions[i];
                    per_1000(s.themes.get(t).map_or(0, |c| c.hits), s.kept)
                })
                .collect();
            let enough = series.len() >= MANN_KENDALL_MIN_POINTS;
            ThemeTrend {
                theme: t,
                sessions: series.len(),
                mann_kendall: mann_kendall(&series).map(|m| (m.tau, m.z, m.p_value)),
                slope: if enough {
                    theil_sen_slope_at(&at, &series)
                } else {
                    None
                },
            }
        })
        .collect()
}

/// `theme_trend_tests.csv`.
pub fn theme_trend_tests(r: &Results, by: &GroupBy, ci: &ThemeIntervals) -> Table {
    let mut t = Table::new(
        "theme_trend_tests.csv",
        "Per theme, a trend test over the dated sessions in time order; fewer than 4 sessions gives no numbers and a note.",
        &[
            ("theme", "Theme name from the dictionary"),
            (
                "sessions",
                "Dated sessions in the series (undated statements, and sessions with no kept token, are left out)",
            ),
            (
                "mann_kendall_tau",
                "Kendall's tau between per_1000 and time: +1 rises every session, -1 falls every session, 0 no monotonic trend (4 decimals)",
            ),
            (
                "mann_kendall_z",
                "Normal score of the Mann-Kendall S, continuity-corrected (4 decimals)",
            ),
            (
                "p_value",
                "Two-sided p-value of no monotonic trend (6 decimals); small = a trend unlikely to be noise",
            ),
            (
                "theil_sen_slope",
                "Median change of per_1000 over all pairs of sessions, per year (group_by = year), quarter, month or session number, so a missing year is a gap; per session in time order when the groups have no such number (robust to outliers) (4 decimals)",
            ),
            ("first_per_1000", "per_1000 in the first dated session"),
            ("last_per_1000", "per_1000 in the last dated session"),
            (
                "last_ci_low",
                "Lower bound of the last session's bootstrap interval",
            ),
            (
                "last_ci_high",
                "Upper bound of the last session's bootstrap interval",
            ),
            (
                "note",
                "Empty, or why there are no numbers (too few sessions)",
            ),
        ],
    );
    let dated = trend_sessions(r);
    let rate = |i: usize, th: usize| {
        let s = &r.sessions[i];
        per_1000(s.themes.get(th).map_or(0, |c| c.hits), s.kept)
    };
    let float = |x: Option<f64>, d: usize| x.map_or(Cell::Empty, |x| Cell::Float(x, d));
    for tr in theme_trends(r, by) {
        let first = dated.first().map(|&i| rate(i, tr.theme));
        let last = dated.last().copied();
        let last_ci = last.and_then(|i| ci.get(i, tr.theme));
        let note = if tr.mann_kendall.is_none() {
            Cell::Text(format!("{TOO_FEW} (need {MANN_KENDALL_MIN_POINTS})"))
        } else {
            Cell::Empty
        };
        t.rows.push(vec![
            Cell::Text(r.themes[tr.theme].clone()),
            Cell::Int(tr.sessions as u64),
            float(tr.mann_kendall.map(|m| m.0), DECIMALS),
            float(tr.mann_kendall.map(|m| m.1), DECIMALS),
            float(tr.mann_kendall.map(|m| m.2), P_DECIMALS),
            float(tr.slope, DECIMALS),
            float(first, crate::report::tables::RATE_DECIMALS),
            float(
                last.map(|i| rate(i, tr.theme)),
                crate::report::tables::RATE_DECIMALS,
            ),
            float(last_ci.map(|c| c.low), crate::report::tables::RATE_DECIMALS),
            float(
                last_ci.map(|c| c.high),
                crate::report::tables::RATE_DECIMALS,
            ),
            note,
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::EvidenceSettings;
    use crate::report::evidence::keyness::tests::{results, session};
    use crate::report::evidence::theme_intervals;

    fn series(hits: &[u64]) -> Results {
        let sessions = hits
            .iter()
            .enumerate()
            .map(|(i, &h)| {
                let mut s = session(&format!("S{}", i + 1), i + 1, 1000, &[]);
                s.themes[0].hits = h;
                s
            })
            .collect();
        results(sessions)
    }

    #[test]
    fn strictly_increasing_series_has_tau_one_and_its_slope() {
        let r = series(&[1, 3, 5, 7, 9]);
        let t = &theme_trends(&r, &GroupBy::Session)[0];
        let (tau, _, p) = t.mann_kendall.unwrap();
        assert_eq!(tau, 1.0);
        assert!(p < 0.05, "{p}");
        assert_eq!(t.slope, Some(2.0), "2 hits per 1,000 more each session");
        assert_eq!(t.sessions, 5);
        let table = theme_trend_tests(
            &r,
            &GroupBy::Session,
            &theme_intervals(&r, &EvidenceSettings::default()),
        );
        assert_eq!(table.rows[0][2], Cell::Float(1.0, 4));
        assert_eq!(table.rows[0][10], Cell::Empty);
    }

    #[test]
    fn fewer_than_four_sessions_say_so_instead_of_a_number() {
        let r = series(&[1, 3, 5]);
        let table = theme_trend_tests(
            &r,
            &GroupBy::Session,
            &theme_intervals(&r, &EvidenceSettings::default()),
        );
        let row = &table.rows[0];
        assert_eq!(row[1], Cell::Int(3));
        assert!(row[2..6].iter().all(|c| *c == Cell::Empty), "{row:?}");
        assert_eq!(row[10], Cell::Text("too few sessions (need 4)".into()));
    }

    #[test]
    fn undated_sessions_are_not_part_of_the_series() {
        let mut r = series(&[1, 2, 3, 4]);
        let mut u = session(crate::count::results::UNDATED, 5, 1000, &[]);
        u.themes[0].hits = 0;
        r.sessions.push(u);
        let t = &theme_trends(&r, &GroupBy::Session)[0];
        assert_eq!(t.sessions, 4);
        assert_eq!(t.mann_kendall.unwrap().0, 1.0);
    }

    #[test]
    fn the_slope_is_per_year_across_a_missing_year() {
        // 10 more per 1,000 each year, 2003-2009 missing.
        let years = [2000, 2001, 2002, 2010, 2011];
        let mut r = series(&[10, 20, 30, 110, 120]);
        for (s, y) in r.sessions.iter_mut().zip(years) {
            s.first_year = Some(y);
        }
        let t = &theme_trends(&r, &GroupBy::Year)[0];
        assert_eq!(t.slope, Some(10.0));
        // A grouping with no clock of its own steps through the series: 30.4 per step.
        let t = &theme_trends(&r, &GroupBy::Field("country".into()))[0];
        assert!(
            (t.slope.unwrap() - 30.416_666).abs() < 1e-5,
            "{:?}",
            t.slope
        );
        // Two sessions in one year (no strict order on the clock): per step too.
        r.sessions[4].first_year = Some(2010);
        let t = &theme_trends(&r, &GroupBy::Year)[0];
        assert!(
            (t.slope.unwrap() - 30.416_666).abs() < 1e-5,
            "{:?}",
            t.slope
        );
    }

    #[test]
    fn a_session_without_words_is_not_a_point_of_the_series() {
        let mut r = series(&[1, 2, 0, 3, 4]);
        r.sessions[2].kept = 0;
        r.sessions[2].tokens = 0;
        let t = &theme_trends(&r, &GroupBy::Session)[0];
        assert_eq!(t.sessions, 4);
        assert_eq!(
            t.mann_kendall.unwrap().0,
            1.0,
            "rises at every session with words"
        );
        assert_eq!(t.slope, Some(1.0));
    }
}
