//! Chart data: the finished results reshaped into what the chart renderer draws.

use crate::analyze::language::Language;
use crate::analyze::{Analyzer, WordKind};
use crate::config::KeynessReference;
use crate::config::{GroupBy, Settings};
use crate::count::results::Results;
use crate::diagnostic::Warning;
use crate::report::evidence::intervals::ThemeIntervals;
use crate::report::evidence::keyness::KeyTerm;
use crate::report::tables::per_1000;
use crate::write::charts::{
    ChartInput, ChartSettings, KeyBar, KeynessBars, PatternSeries, SessionPoint, TermBar,
    TermSeries, ThemeSeries,
};

/// Builds the chart input; watch terms that are not one countable word come back as warnings.
pub fn chart_input(
    results: &Results,
    settings: &Settings,
    intervals: &ThemeIntervals,
    keyness: &[KeyTerm],
) -> (ChartInput, Vec<Warning>) {
    let c = &settings.charts;
    // Groups of a metadata field (speakers, forums) are categories: the first statement's
    // date says when a group began, not where it belongs on a time line.
    let in_time = !matches!(settings.group_by, GroupBy::Field(_));
    let sessions: Vec<SessionPoint> = results
        .sessions
        .iter()
        .map(|s| SessionPoint {
            label: s.label.clone(),
            docs: s.docs,
            kept_tokens: s.kept,
            dated: s.dated,
            day: in_time
                .then(|| crate::write::charts::time_axis::session_day(s.first_date, &s.start))
                .flatten(),
        })
        .collect();
    let themes = results
        .themes
        .iter()
        .enumerate()
        .map(|(t, name)| ThemeSeries {
            name: name.clone(),
            per_1000: results
                .sessions
                .iter()
                .map(|s| rate_or_gap(s.themes[t].hits, s.kept))
                .collect(),
            hits: results.sessions.iter().map(|s| s.themes[t].hits).collect(),
            ci: Some(
                (0..results.sessions.len())
                    .map(|si| {
                        intervals
                            .get(si, t)
                            .map_or((f64::NAN, f64::NAN), |c| (c.low, c.high))
                    })
                    .collect(),
            ),
            patterns: results
                .patterns
                .iter()
                .enumerate()
                .filter(|(_, p)| p.theme as usize == t)
                .map(|(i, p)| PatternSeries {
                    pattern: p.text.clone(),
                    hits: results.sessions.iter().map(|s| s.pattern_hits[i]).collect(),
                })
                .collect(),
        })
        .collect();
    let top_terms = results
        .sessions
        .iter()
        .map(|s| {
            let shown = &s.terms[..s.terms.len().min(c.top_n)];
            let labels = labels(shown.iter().map(|t| (&t.display, t.language)));
            (shown.iter().zip(labels))
                .map(|(t, term)| TermBar {
                    term,
                    count: t.count,
                    per_1000: per_1000(t.count, s.kept),
                })
                .collect()
        })
        .collect();
    let mut warnings = Vec::new();
    let analyzer = Analyzer::new(settings.analysis.clone());
    let language = settings.languages.policy.default;
    let config = settings.config_name();
    let mut watch_terms = Vec::new();
    for word in &c.watch_terms {
        let prepared = analyzer.prepare(word);
        let kept: Vec<String> = analyzer
            .analyze(&prepared)
            .into_iter()
            .filter(|t| t.kind == WordKind::Kept)
            .filter_map(|t| t.stem)
            .collect();
        let [stem] = kept.as_slice() else {
            warnings.push(Warning::new(
                &config,
                format!("[charts] watch_terms: {word:?} is not one countable word; left out"),
            ));
            continue;
        };
        let per_session = results
            .sessions
            .iter()
            .map(|s| {
                // A watch term is a word of the default language: its stem in that language
                // only (a French term spelt like it is another word).
                let n = s
                    .terms
                    .iter()
                    .find(|t| &t.term == stem && t.language == language)
                    .map_or(0, |t| t.count);
                rate_or_gap(n, s.kept)
            })
            .collect();
        watch_terms.push(TermSeries {
            term: word.trim().to_string(),
            per_1000: per_session,
        });
    }
    let group_label = group_label(&settings.group_by);
    let keyness = keyness_bars(results, settings, &group_label, keyness);
    let input = ChartInput {
        sessions,
        themes,
        top_terms,
        watch_terms,
        keyness,
        footer: format!("{} · config: {}", results.corpus_summary(), config),
        settings: ChartSettings {
            width: c.width,
            height: c.height,
            scale: c.scale,
            smoothing: (c.smoothing > 1).then_some(c.smoothing),
            session_charts: c.session_charts,
            theme_charts: c.theme_charts,
            top_n: c.top_n,
            group_label,
            dense_sessions: c.dense_sessions,
            rolling_mean: (c.rolling_mean > 1).then_some(c.rolling_mean),
            theme_layout: c.theme_layout,
        },
    };
    (input, warnings)
}

/// What one group is called on the charts: "Session", "Year", or the metadata field ("Speaker").
pub fn group_label(by: &GroupBy) -> String {
    match by {
        GroupBy::Session => "Session".to_string(),
        GroupBy::Year => "Year".to_string(),
        GroupBy::Quarter => "Quarter".to_string(),
        GroupBy::Month => "Month".to_string(),
        GroupBy::Field(field) => {
            let words = field.trim().replace('_', " ");
            let mut chars = words.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => "Session".to_string(),
            }
        }
    }
}

/// Per session, its most rising and most falling terms as in keyness.csv (`top_n` of each), or
/// `None` when the session has no reference; `rows` are the key terms with at least `top_n` of
/// each per session (`ShownKeyness::extremes`).
fn keyness_bars(
    results: &Results,
    settings: &Settings,
    group_label: &str,
    rows: &[KeyTerm],
) -> Vec<Option<KeynessBars>> {
    let ev = &settings.evidence;
    let keep = settings.charts.top_n.max(1);
    let many = crate::write::charts::plural(&group_label.to_lowercase());
    let reference = match ev.keyness_reference {
        KeynessReference::Earlier => format!("earlier {many}"),
        KeynessReference::Others => format!("the other {many}"),
    };
    let to_bar = |(r, term): (&KeyTerm, String)| KeyBar {
        term,
        count_target: r.count_target,
        count_reference: r.count_reference,
        g2: r.stats.g2,
        log_ratio: r.stats.log_ratio,
    };
    (0..results.sessions.len())
        .map(|i| {
            let (sessions, total) = reference_of(results, i, ev.keyness_reference)?;
            // key_terms lists a session's rows together, most rising first.
            let start = rows.partition_point(|r| r.session < i);
            let end = rows.partition_point(|r| r.session <= i);
            let own = &rows[start..end];
            let rising: Vec<&KeyTerm> = (own.iter())
                .filter(|r| r.stats.g2 > 0.0)
                .take(keep)
                .collect();
            let falling: Vec<&KeyTerm> = (own.iter().rev())
                .filter(|r| r.stats.g2 < 0.0)
                .take(keep)
                .collect();
            // One chart shows both sides: a word on both is told apart by its language too.
            let mut terms =
                labels((rising.iter().chain(&falling)).map(|r| (&r.display, r.language)));
            let falling_terms = terms.split_off(rising.len());
            Some(KeynessBars {
                reference: reference.clone(),
                reference_sessions: sessions,
                total_target: results.sessions[i].kept,
                total_reference: total,
                rising: rising.into_iter().zip(terms).map(to_bar).collect(),
                falling: falling.into_iter().zip(falling_terms).map(to_bar).collect(),
            })
        })
        .collect()
}

/// The labels of one chart's terms: their display forms, and where two terms of different
/// languages show the same word ("infrastructures", a French and an English stem), each of
/// those with its language ("infrastructures (fr)"), or the chart reads as one term twice.
fn labels<'a>(terms: impl Iterator<Item = (&'a String, Language)> + Clone) -> Vec<String> {
    terms
        .clone()
        .map(|(display, language)| {
            if terms
                .clone()
                .filter(|(d, _)| *d == display)
                .nth(1)
                .is_some()
            {
                format!("{display} ({})", language.code())
            } else {
                display.clone()
            }
        })
        .collect()
}

/// Number of sessions and kept tokens pooled in session `i`'s reference, as
/// `keyness::key_terms` pools them; `None` when it compares the session with nothing.
fn reference_of(results: &Results, i: usize, reference: KeynessReference) -> Option<(usize, u64)> {
    let sessions = &results.sessions;
    let pooled: Vec<&crate::count::results::Session> = match reference {
        KeynessReference::Earlier if sessions[i].dated => {
            sessions[..i].iter().filter(|s| s.dated).collect()
        }
        KeynessReference::Earlier => Vec::new(),
        KeynessReference::Others => sessions
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, s)| s)
            .collect(),
    };
    let total: u64 = pooled.iter().map(|s| s.kept).sum();
    let compared = match reference {
        KeynessReference::Earlier => total > 0,
        KeynessReference::Others => !pooled.is_empty(),
    };
    compared.then_some((pooled.len(), total))
}

/// A session's rate, or NaN (a gap in the line, no marker) when it has no kept token.
fn rate_or_gap(count: u64, kept: u64) -> f64 {
    if kept == 0 {
        f64::NAN
    } else {
        per_1000(count, kept)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::EvidenceSettings;
    use crate::config::Overrides;
    use crate::report::evidence::keyness::tests::{results, session};
    use crate::report::evidence::keyness::{KeepRows, key_terms, shown_keyness};

    fn settings(reference: KeynessReference, top_n: usize) -> Settings {
        let mut s = Settings::resolve(None, &Overrides::default()).unwrap();
        s.evidence = EvidenceSettings {
            keyness_reference: reference,
            keyness_min_count: 1,
            ..EvidenceSettings::default()
        };
        s.charts.top_n = top_n;
        s
    }

    /// The key terms a run with charts and the report gives the charts (more than `top_n`
    /// of each side when the report lists more).
    fn extremes(r: &Results, s: &Settings) -> Vec<KeyTerm> {
        let n = s.charts.top_n.max(1).max(crate::write::html::KEYNESS_TERMS);
        shown_keyness(r, &s.evidence, false, n).extremes
    }

    #[test]
    fn a_watch_term_counts_the_default_language_s_stem_only() {
        // "capacity" (English) and "capacités" (French) are both `capac`.
        let mut r = results(vec![session("S1", 1, 100, &[("capac", 2), ("norm", 3)])]);
        let mut fr = r.sessions[0].terms[0].clone();
        fr.language = crate::analyze::language::Language::Fr;
        fr.count = 5;
        r.sessions[0].terms.insert(0, fr);
        let mut s = settings(KeynessReference::Earlier, 5);
        s.charts.watch_terms = vec!["capacity".into()];
        let (input, warnings) = chart_input(&r, &s, &ThemeIntervals::default(), &[]);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(input.watch_terms.len(), 1);
        assert_eq!(input.watch_terms[0].per_1000, [20.0]);
    }

    #[test]
    fn bars_of_two_languages_showing_one_word_carry_their_language() {
        let mut r = results(vec![session("S1", 1, 100, &[("capac", 2), ("norm", 3)])]);
        let mut fr = r.sessions[0].terms[0].clone();
        fr.language = crate::analyze::language::Language::Fr;
        r.sessions[0].terms.insert(0, fr);
        for t in &mut r.sessions[0].terms[..2] {
            t.display = "capacités".into();
        }
        let s = settings(KeynessReference::Earlier, 5);
        let (input, _) = chart_input(&r, &s, &ThemeIntervals::default(), &[]);
        let labels: Vec<&str> = input.top_terms[0].iter().map(|b| b.term.as_str()).collect();
        assert_eq!(labels, ["capacités (fr)", "capacités (en)", "NORM"]);
    }

    #[test]
    fn only_groups_in_time_are_placed_in_time() {
        let date = |y, m, d| crate::metadata::date::Date::new(y, m, d);
        let mut r = results(vec![
            session("A", 1, 100, &[("norm", 1)]),
            session("B", 2, 100, &[("norm", 1)]),
            session("C", 3, 100, &[("norm", 1)]),
        ]);
        for (s, d) in r
            .sessions
            .iter_mut()
            .zip([(2020, 1, 5), (2020, 2, 1), (2024, 6, 1)])
        {
            s.first_date = date(d.0, d.1, d.2);
        }
        let mut s = settings(KeynessReference::Earlier, 5);
        let (input, _) = chart_input(&r, &s, &ThemeIntervals::default(), &[]);
        assert!(input.sessions.iter().all(|p| p.day.is_some()));
        for field in ["speaker", "language", "forum"] {
            s.group_by = GroupBy::Field(field.into());
            let (input, _) = chart_input(&r, &s, &ThemeIntervals::default(), &[]);
            assert!(input.sessions.iter().all(|p| p.day.is_none()), "{field}");
        }
    }

    #[test]
    fn group_labels_name_the_grouping() {
        for (by, label) in [
            (GroupBy::Session, "Session"),
            (GroupBy::Year, "Year"),
            (GroupBy::Quarter, "Quarter"),
            (GroupBy::Month, "Month"),
            (GroupBy::Field("speaker".into()), "Speaker"),
            (GroupBy::Field("delegation_type".into()), "Delegation type"),
            (GroupBy::Field("élan".into()), "Élan"),
            (GroupBy::Field(" ".into()), "Session"),
        ] {
            assert_eq!(group_label(&by), label, "{by:?}");
        }
    }

    #[test]
    fn keyness_bars_mirror_keyness_csv_per_session() {
        let r = results(vec![
            session("S1", 1, 100, &[("norm", 10), ("cyber", 5)]),
            session("S2", 2, 100, &[("norm", 10), ("terror", 1)]),
            session("S3", 3, 200, &[("terror", 30), ("norm", 10), ("cyber", 1)]),
            session(crate::count::results::UNDATED, 4, 50, &[("norm", 5)]),
        ]);
        let s = settings(KeynessReference::Earlier, 20);
        let bars = keyness_bars(&r, &s, "Session", &extremes(&r, &s));
        assert_eq!(bars.len(), 4);
        // Nothing earlier than S1; undated has no place in time.
        assert!(bars[0].is_none() && bars[3].is_none());
        let s3 = bars[2].as_ref().unwrap();
        assert_eq!(s3.reference, "earlier sessions");
        assert_eq!((s3.reference_sessions, s3.total_reference), (2, 200));
        assert_eq!(s3.total_target, 200);
        let rows = key_terms(&r, KeynessReference::Earlier, 1, KeepRows::All);
        let csv_rising: Vec<&str> = rows
            .iter()
            .filter(|k| k.session == 2 && k.stats.g2 > 0.0)
            .map(|k| k.display.as_str())
            .collect();
        let chart_rising: Vec<&str> = s3.rising.iter().map(|b| b.term.as_str()).collect();
        assert_eq!(chart_rising, csv_rising);
        assert_eq!(chart_rising[0], "TERROR");
        let terror = &s3.rising[0];
        assert_eq!((terror.count_target, terror.count_reference), (30, 1));
        // Falling: most falling first, all negative.
        assert!(s3.falling.iter().all(|b| b.g2 < 0.0));
        assert!(s3.falling.windows(2).all(|w| w[0].g2 <= w[1].g2));
        assert_eq!(s3.falling[0].term, "NORM");

        // "others": every session (undated included) is compared with the rest.
        let s = settings(KeynessReference::Others, 2);
        let bars = keyness_bars(&r, &s, "Year", &extremes(&r, &s));
        assert!(bars.iter().all(Option::is_some));
        let s1 = bars[0].as_ref().unwrap();
        assert_eq!(s1.reference, "the other years");
        assert_eq!((s1.reference_sessions, s1.total_reference), (3, 350));
        // top_n bounds each side.
        assert!(
            bars.iter()
                .flatten()
                .all(|b| b.rising.len() <= 2 && b.falling.len() <= 2)
        );
    }

    #[test]
    fn a_session_with_a_reference_but_no_term_at_the_minimum_still_gets_an_entry() {
        let r = results(vec![
            session("S1", 1, 100, &[("norm", 1)]),
            session("S2", 2, 100, &[("cyber", 1)]),
        ]);
        let mut s = settings(KeynessReference::Earlier, 20);
        s.evidence.keyness_min_count = 50;
        let bars = keyness_bars(&r, &s, "Session", &extremes(&r, &s));
        assert!(bars[0].is_none());
        let s2 = bars[1].as_ref().unwrap();
        assert!(s2.rising.is_empty() && s2.falling.is_empty());
        assert_eq!(s2.total_reference, 100);
    }
}
