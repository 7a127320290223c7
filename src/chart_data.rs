//! Chart data: the finished results reshaped into what the chart renderer draws.

use crate::analyze::{Analyzer, WordKind};
use crate::charts::{
    ChartInput, ChartSettings, PatternSeries, SessionPoint, TermBar, TermSeries, ThemeSeries,
};
use crate::config::Settings;
use crate::diagnostic::Warning;
use crate::results::Results;
use crate::tables::per_1000;

/// Builds the chart input; watch terms that are not one countable word come back as warnings.
pub fn chart_input(results: &Results, settings: &Settings) -> (ChartInput, Vec<Warning>) {
    let c = &settings.charts;
    let sessions: Vec<SessionPoint> = results
        .sessions
        .iter()
        .map(|s| SessionPoint {
            label: s.label.clone(),
            docs: s.docs,
            kept_tokens: s.kept,
            dated: s.dated,
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
                .map(|s| per_1000(s.themes[t].hits, s.kept))
                .collect(),
            hits: results.sessions.iter().map(|s| s.themes[t].hits).collect(),
            ci: None,
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
            s.terms
                .iter()
                .take(c.top_n)
                .map(|t| TermBar {
                    term: t.display.clone(),
                    count: t.count,
                    per_1000: per_1000(t.count, s.kept),
                })
                .collect()
        })
        .collect();
    let mut warnings = Vec::new();
    let analyzer = Analyzer::new(settings.analysis.clone());
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
                let n = s
                    .terms
                    .iter()
                    .find(|t| &t.term == stem)
                    .map_or(0, |t| t.count);
                per_1000(n, s.kept)
            })
            .collect();
        watch_terms.push(TermSeries {
            term: word.trim().to_string(),
            per_1000: per_session,
        });
    }
    let input = ChartInput {
        sessions,
        themes,
        top_terms,
        watch_terms,
        footer: format!("{} · config: {}", results.corpus_summary(), config),
        settings: ChartSettings {
            width: c.width,
            height: c.height,
            scale: c.scale,
            smoothing: (c.smoothing > 1).then_some(c.smoothing),
            session_charts: c.session_charts,
            top_n: c.top_n,
        },
    };
    (input, warnings)
}
