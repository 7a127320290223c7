//! "Theme trends" and one section per theme: the chart, the rates with their intervals, the trend
//! test, the patterns behind the hits and the passages where the theme is strongest.

use std::fmt::Write;

use super::escape::{dir_of, esc, isolate};
use super::format::{self, count, plural, rate, verdict, verdict_with_test};
use super::{Page, figure, open_section, passages, theme_id};
use crate::config::ThemeLayout;
use crate::count::hits::HitRecord;
use crate::report::evidence::trends::ThemeTrend;
use crate::report::tables::per_1000;

/// Sessions shown in the rates table; a longer record is in theme_scores.csv.
const RATE_ROWS: usize = 40;
/// Passages shown per theme; every one is in theme_contexts.csv.
const PASSAGES: usize = 8;
/// Theme names an alt text lists per direction before summarising the rest.
const ALT_NAMES: usize = 8;

/// Indices of the dated sessions, in time order.
fn dated(page: &Page<'_>) -> Vec<usize> {
    let r = &page.input.analysis.results;
    (0..r.sessions.len())
        .filter(|&i| r.sessions[i].dated)
        .collect()
}

/// The dated sessions with a kept token, in time order: the trend's points (see
/// `report::evidence::trends::trend_sessions`).
fn with_words(page: &Page<'_>) -> Vec<usize> {
    crate::report::evidence::trends::trend_sessions(&page.input.analysis.results)
}

/// Theme `t`'s rate in session `i`.
fn rate_at(page: &Page<'_>, i: usize, t: usize) -> f64 {
    let s = &page.input.analysis.results.sessions[i];
    per_1000(s.themes.get(t).map_or(0, |c| c.hits), s.kept)
}

/// "year", "years" for the run's grouping.
fn group_words(page: &Page<'_>) -> (String, String) {
    let one = crate::write::charts::data::group_label(&page.input.settings.group_by).to_lowercase();
    let many = crate::write::charts::plural(&one);
    (one, many)
}

/// Whether theme_trends.png was drawn as one panel per theme (as `write::charts` decides).
fn drawn_as_panels(page: &Page<'_>) -> bool {
    let c = &page.input.settings.charts;
    page.input.analysis.results.themes.len() > 1
        && match c.theme_layout {
            ThemeLayout::Overlay => false,
            ThemeLayout::Panels => true,
            ThemeLayout::Auto => dated(page).len() > c.dense_sessions,
        }
}

/// "A, B and 3 more".
fn name_list(names: &[&str]) -> String {
    let shown: Vec<&str> = names.iter().take(ALT_NAMES).copied().collect();
    let rest = names.len() - shown.len();
    if rest > 0 {
        format!("{} and {rest} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

/// The theme trend chart's text alternative: what it plots, over what, and which themes rise or fall.
fn trends_alt(page: &Page<'_>) -> String {
    let r = &page.input.analysis.results;
    let (one, many) = group_words(page);
    let dated = with_words(page);
    let span = match (dated.first(), dated.last()) {
        (Some(&a), Some(&b)) if a != b => {
            format!(", {} to {}", r.sessions[a].label, r.sessions[b].label)
        }
        (Some(&a), _) => format!(", {}", r.sessions[a].label),
        _ => String::new(),
    };
    let shape = if drawn_as_panels(page) {
        "Line charts, one panel per theme on a shared scale,"
    } else {
        "Line chart"
    };
    let mut alt = format!(
        "{shape} of hits per 1,000 words for {} over {} {}{span}.",
        plural(r.themes.len() as u64, "theme", "themes"),
        count(dated.len() as u64),
        if dated.len() == 1 { &one } else { &many },
    );
    for (word, label) in [("rises", "Rising"), ("falls", "Falling")] {
        let names: Vec<&str> = page
            .trends
            .iter()
            .filter(|t| verdict(t) == word)
            .map(|t| r.themes[t.theme].as_str())
            .collect();
        if !names.is_empty() {
            let _ = write!(alt, " {label}: {}.", name_list(&names));
        }
    }
    let flat = page
        .trends
        .iter()
        .filter(|t| verdict(t) == "no clear trend")
        .count();
    if flat > 0 {
        let _ = write!(
            alt,
            " {} with no clear trend.",
            plural(flat as u64, "theme", "themes")
        );
    }
    if page.trends.iter().all(|t| t.mann_kendall.is_none()) {
        alt.push_str(" Too few sessions to test for trends.");
    }
    alt.push_str(" The tables below give every number.");
    alt
}

/// First and last dated rate of a theme: "0.47 in 1990 to 1.02 in 2004".
fn first_to_last(page: &Page<'_>, t: usize) -> Option<String> {
    let r = &page.input.analysis.results;
    let dated = with_words(page);
    let (&a, &b) = (dated.first()?, dated.last()?);
    let at = |i: usize| format!("{} in {}", rate(rate_at(page, i, t)), r.sessions[i].label);
    Some(if a == b {
        at(a)
    } else {
        format!("from {} to {}", at(a), at(b))
    })
}

pub(super) fn trends_section(s: &mut String, page: &Page<'_>) {
    let (one, many) = group_words(page);
    open_section(
        s,
        "trends",
        "Which themes rise or fall over time, by how much, and how sure the numbers are.",
    );
    figure(
        s,
        page,
        "charts/theme_trends.png",
        &trends_alt(page),
        &format!(
            "Hits per 1,000 words (kept tokens) per {}; intervals are 95% bootstrap intervals over the {}'s statements.",
            esc(&one),
            esc(&one)
        ),
    );
    trend_table(s, page, &one, &many);
    rates_table(s, page, &one, &many);
    s.push_str("</section>\n");
}

/// One row per theme: first and last rate, the last interval, the test and the slope.
fn trend_table(s: &mut String, page: &Page<'_>, one: &str, many: &str) {
    let r = &page.input.analysis.results;
    let dated = with_words(page);
    let _ = write!(
        s,
        "<table>\n<caption>Trend of each theme over the {} dated {}: Mann-Kendall test and Theil-Sen slope \
         ({}). A trend \"rises\" or \"falls\" when p &lt; {}.</caption>\n\
         <thead><tr><th scope=\"col\">Theme</th><th scope=\"col\" class=\"num\">First</th><th scope=\"col\" class=\"num\">Last (95% interval)</th>\
         <th scope=\"col\">Trend</th><th scope=\"col\" class=\"num\">Slope per {}</th></tr></thead>\n<tbody>\n",
        count(dated.len() as u64),
        esc(many),
        page.table_link("theme_trend_tests.csv"),
        format::ALPHA,
        esc(one),
    );
    for tr in &page.trends {
        let t = tr.theme;
        let first = dated
            .first()
            .map_or("–".to_string(), |&i| rate(rate_at(page, i, t)));
        let last = dated.last().map_or("–".to_string(), |&i| {
            let ci = page
                .input
                .intervals
                .get(i, t)
                .map(|c| {
                    format!(
                        " <span class=\"ci\">({}–{})</span>",
                        rate(c.low),
                        rate(c.high)
                    )
                })
                .unwrap_or_default();
            format!("{}{ci}", rate(rate_at(page, i, t)))
        });
        let slope = tr.slope.map_or("–".to_string(), |v| {
            format!("{}{}", if v > 0.0 { "+" } else { "" }, rate(v))
        });
        let _ = writeln!(
            s,
            "<tr><th scope=\"row\"><a href=\"#{}\">{}</a></th><td class=\"num\">{first}</td><td class=\"num\">{last}</td><td>{}</td><td class=\"num\">{slope}</td></tr>",
            theme_id(t),
            isolate(&r.themes[t]),
            esc(&verdict_with_test(tr)),
        );
    }
    s.push_str("</tbody>\n</table>\n");
}

/// Sessions by themes: the rate and its interval in every cell (the most recent sessions only
/// when there are many).
fn rates_table(s: &mut String, page: &Page<'_>, one: &str, many: &str) {
    let r = &page.input.analysis.results;
    if r.themes.is_empty() || r.sessions.is_empty() {
        return;
    }
    let from = r.sessions.len().saturating_sub(RATE_ROWS);
    let shown = if from > 0 {
        format!(
            "the most recent {RATE_ROWS} of {} {}",
            count(r.sessions.len() as u64),
            esc(many)
        )
    } else {
        format!("every {}", esc(one))
    };
    // The long note sits above the scrolling table, where a wide table cannot cut it off.
    let _ = write!(
        s,
        "<h3 id=\"rates\">Rates by {one}</h3>\n<p class=\"note\">Every {one} is in {} \
         (one row per {one} and theme, with the counts behind each rate) and {} (one column per {one}).</p>\n\
         <div class=\"scroll\" role=\"region\" aria-labelledby=\"rates\" tabindex=\"0\">\n<table class=\"rates\">\n\
         <caption>Hits per 1,000 words, 95% interval below each rate: {shown}</caption>\n\
         <thead><tr><th scope=\"col\">{}</th><th scope=\"col\" class=\"num\">Statements</th>",
        page.table_link("theme_scores.csv"),
        page.table_link("theme_scores_wide.csv"),
        esc(&crate::write::charts::data::group_label(
            &page.input.settings.group_by
        )),
        one = esc(one),
    );
    for (t, name) in r.themes.iter().enumerate() {
        let _ = write!(
            s,
            "<th scope=\"col\" class=\"num\"><a href=\"#{}\">{}</a></th>",
            theme_id(t),
            isolate(name)
        );
    }
    s.push_str("</tr></thead>\n<tbody>\n");
    for (i, session) in r.sessions.iter().enumerate().skip(from) {
        let _ = write!(
            s,
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td>",
            esc(&session.label),
            count(u64::from(session.docs))
        );
        for t in 0..r.themes.len() {
            let ci = page
                .input
                .intervals
                .get(i, t)
                .map(|c| {
                    format!(
                        "<br><span class=\"ci\">{}–{}</span>",
                        rate(c.low),
                        rate(c.high)
                    )
                })
                .unwrap_or_default();
            let value = if session.kept == 0 {
                "<span class=\"ci\">no words</span>".to_string()
            } else {
                rate(rate_at(page, i, t))
            };
            let _ = write!(s, "<td class=\"num\">{value}{ci}</td>");
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n</div>\n");
}

pub(super) fn theme_sections(s: &mut String, page: &Page<'_>) {
    let r = &page.input.analysis.results;
    open_section(
        s,
        "themes",
        "For each theme: its trend, the dictionary patterns that produced its hits, and the passages where it is strongest, so every number is one click from the sentences behind it.",
    );
    if r.themes.is_empty() {
        s.push_str("<p class=\"note\">The dictionary has no themes.</p>\n");
    }
    let chart_paths = crate::write::charts::theme_chart_paths(&r.themes);
    let totals: Vec<u64> = (0..r.themes.len())
        .map(|t| r.sessions.iter().map(|x| x.themes[t].hits).sum())
        .collect();
    let words = page.input.settings.evidence.context_words as u64;
    let passages = passages::strongest_each(r, words, PASSAGES).map_err(|e| e.to_string());
    let cap = page.input.settings.charts.theme_charts;
    let charted = crate::write::charts::charted_themes(&totals, cap);
    if charted.contains(&false) && page.input.settings.charts.enabled {
        let _ = writeln!(
            s,
            "<p class=\"note\">Charts of their own are drawn for the {cap} themes with the most hits (<code>[charts] theme_charts</code>; 0 draws one for every theme); the others' numbers are in {}.</p>",
            page.table_link("theme_scores.csv")
        );
    }
    for tr in &page.trends {
        let chart = charted[tr.theme].then_some(chart_paths[tr.theme].as_str());
        let chosen = match &passages {
            Ok(each) => Ok(each[tr.theme].as_slice()),
            Err(e) => Err(e.as_str()),
        };
        theme_section(s, page, tr, chart, chosen);
    }
    s.push_str("</section>\n");
}

/// One theme's section.
/// `chart` is `None` for a theme left out by `[charts] theme_charts`.
/// `passages` are the theme's strongest (`passages::strongest_each`), or why they could not
/// be read back.
fn theme_section(
    s: &mut String,
    page: &Page<'_>,
    tr: &ThemeTrend,
    chart: Option<&str>,
    passages: Result<&[HitRecord], &str>,
) {
    let r = &page.input.analysis.results;
    let t = tr.theme;
    let name = &r.themes[t];
    let id = theme_id(t);
    let (one, _) = group_words(page);
    let hits: u64 = r.sessions.iter().map(|x| x.themes[t].hits).sum();
    let docs: u64 = r
        .sessions
        .iter()
        .map(|x| u64::from(x.themes[t].docs_with_hits))
        .sum();
    let _ = write!(
        s,
        "<section id=\"{id}\" aria-labelledby=\"{id}-h\" class=\"theme\">\n<h3 id=\"{id}-h\">{}</h3>\n<p>{} in {} of {}.",
        isolate(name),
        plural(hits, "hit", "hits"),
        count(docs),
        plural(r.docs.len() as u64, "statement", "statements"),
    );
    if let Some(span) = first_to_last(page, t) {
        let _ = write!(
            s,
            " Per 1,000 words: {}; {}",
            esc(&span),
            esc(&verdict_with_test(tr))
        );
        if let Some(slope) = tr.slope {
            let _ = write!(s, ", Theil-Sen slope {} per {}", rate(slope), esc(&one));
        }
        s.push('.');
    }
    s.push_str("</p>\n");
    let patterns = pattern_totals(page, t);
    let mut alt = format!(
        "{name}: hits per 1,000 words over time{}; {}.",
        first_to_last(page, t).map_or(String::new(), |x| format!(", {x}")),
        verdict_with_test(tr)
    );
    if let Some((p, n)) = patterns.first().filter(|(_, n)| *n > 0) {
        let _ = write!(
            alt,
            " Below, the patterns behind the hits, stacked; the most hits come from \"{p}\" ({}% of the theme's hits).",
            (*n as f64 * 100.0 / hits.max(1) as f64).round()
        );
    }
    match chart {
        Some(chart) => figure(
            s,
            page,
            chart,
            &alt,
            "Top: the theme's rate. Bottom: the dictionary patterns that produced its hits.",
        ),
        None if page.input.settings.charts.enabled => s.push_str(
            "<p class=\"note\">No chart of its own: it is not among the themes with the most hits (<code>[charts] theme_charts</code>).</p>\n",
        ),
        // Says that charts are off.
        None => figure(s, page, "", &alt, ""),
    }
    pattern_table(
        s,
        &id,
        &patterns,
        hits,
        &page.table_link("theme_matches.csv"),
    );
    passage_table(s, page, passages, &id, hits);
    s.push_str("</section>\n");
}

/// The theme's patterns with their total hits, most productive first (ties by pattern text).
fn pattern_totals(page: &Page<'_>, t: usize) -> Vec<(String, u64)> {
    let r = &page.input.analysis.results;
    let mut out: Vec<(String, u64)> = r
        .patterns
        .iter()
        .enumerate()
        .filter(|(_, p)| p.theme as usize == t)
        .map(|(i, p)| {
            let n = r.sessions.iter().map(|x| x.pattern_hits[i]).sum();
            (p.text.clone(), n)
        })
        .collect();
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    out
}

fn pattern_table(
    s: &mut String,
    id: &str,
    patterns: &[(String, u64)],
    hits: u64,
    matches_link: &str,
) {
    let used: Vec<&(String, u64)> = patterns.iter().filter(|(_, n)| *n > 0).collect();
    let _ = writeln!(s, "<h4 id=\"{id}-patterns\">Patterns behind the hits</h4>");
    if used.is_empty() {
        s.push_str("<p class=\"note\">No pattern of this theme matched.</p>\n");
    } else {
        let _ = write!(
            s,
            "<table>\n<caption>Hits per dictionary pattern (every hit in {})</caption>\n\
             <thead><tr><th scope=\"col\">Pattern</th><th scope=\"col\" class=\"num\">Hits</th><th scope=\"col\" class=\"num\">Share</th></tr></thead>\n<tbody>\n",
            matches_link
        );
        for (p, n) in &used {
            let _ = writeln!(
                s,
                "<tr><th scope=\"row\"><code>{}</code></th><td class=\"num\">{}</td><td class=\"num\">{:.1}%</td></tr>",
                isolate(p),
                count(*n),
                *n as f64 * 100.0 / hits.max(1) as f64
            );
        }
        s.push_str("</tbody>\n</table>\n");
    }
    let unused: Vec<String> = patterns
        .iter()
        .filter(|(_, n)| *n == 0)
        .map(|(p, _)| format!("<code>{}</code>", isolate(p)))
        .collect();
    if !unused.is_empty() {
        let _ = writeln!(
            s,
            "<p class=\"note\">No hits for {}.</p>",
            unused.join(", ")
        );
    }
}

fn passage_table(
    s: &mut String,
    page: &Page<'_>,
    passages: Result<&[HitRecord], &str>,
    id: &str,
    hits: u64,
) {
    let r = &page.input.analysis.results;
    let words = page.input.settings.evidence.context_words;
    let _ = writeln!(s, "<h4 id=\"{id}-passages\">Strongest passages</h4>");
    let chosen = match passages {
        Ok(chosen) => chosen,
        Err(e) => {
            let _ = writeln!(
                s,
                "<p class=\"note\">The passages could not be read back: {}.</p>",
                esc(e)
            );
            return;
        }
    };
    if chosen.is_empty() {
        s.push_str("<p class=\"note\">No passage: the theme has no hit.</p>\n");
        return;
    }
    let group = crate::write::charts::data::group_label(&page.input.settings.group_by);
    let _ = write!(
        s,
        "<table class=\"passages\">\n<caption>The {} with the most hits of this theme, each at its densest passage \
         ({words} words either side of the match); all {} passages are in {}.</caption>\n\
         <thead><tr><th scope=\"col\">Passage</th><th scope=\"col\">Statement</th><th scope=\"col\">Speaker</th>\
         <th scope=\"col\">Date</th><th scope=\"col\">{}</th></tr></thead>\n<tbody>\n",
        plural(chosen.len() as u64, "statement", "statements"),
        count(hits),
        page.table_link("theme_contexts.csv"),
        esc(&group),
    );
    for h in chosen {
        let d = &r.docs[h.doc];
        let date = d
            .meta
            .get("date")
            .map(str::to_string)
            .or_else(|| d.meta.year().map(|y| y.to_string()))
            .unwrap_or_default();
        let _ = writeln!(
            s,
            "<tr><td class=\"passage\"{}>…{}<mark>{}</mark>{}…</td><td><code>{}</code> <span class=\"hits\">({} here)</span></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            dir_of(&format!("{}{}", h.context.left, h.context.exact)),
            esc(&h.context.left),
            esc(&h.context.exact),
            esc(&h.context.right),
            isolate(&d.file),
            plural(
                d.theme_hits.get(h.theme as usize).copied().unwrap_or(0),
                "hit",
                "hits"
            ),
            isolate(
                d.meta
                    .get("speaker")
                    .filter(|v| !v.trim().is_empty())
                    .unwrap_or("–")
            ),
            esc(&date),
            esc(&d.group),
        );
    }
    s.push_str("</tbody>\n</table>\n");
}
