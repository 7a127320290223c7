//! Theme lines over sessions: the overview of all themes and the per-theme chart with its patterns.

use plotters::style::RGBColor;

use super::canvas::Canvas;
use super::layout::{
    self, GAP, LegendEntry, LegendKey, MARGIN, PanelSpec, Rect, draw_footer, draw_header,
    draw_legend, draw_no_data, draw_panel, grid_cell, grid_columns, legend_width,
};
use super::lines::{self, SeriesLook, Timeline, draw_series};
use super::style::{INK, Marker, OTHER, PALETTE, SOLID, SeriesStyle, series_style, tint};
use super::{ChartError, ChartInput, ThemeSeries, moving_average_label, undated_note, x_title};
use crate::config::ThemeLayout;

const Y_TITLE: &str = "Hits per 1,000 words (kept tokens)";

/// The theme's 95% intervals at the dated sessions, when it has them.
fn dated_ci(theme: &ThemeSeries, timeline: &Timeline) -> Option<Vec<(f64, f64)>> {
    theme
        .ci
        .as_ref()
        .map(|ci| timeline.dated.iter().map(|&i| ci[i]).collect())
}

/// Highest value a theme reaches on the chart, its interval included.
fn theme_max(theme: &ThemeSeries, dated: &[usize]) -> f64 {
    dated
        .iter()
        .flat_map(|&i| {
            let ci_hi = theme.ci.as_ref().map_or(f64::NAN, |ci| ci[i].1);
            [theme.per_1000[i], ci_hi]
        })
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
}

/// How a theme's line looks: its series style, markers that stay inside their slot.
fn theme_look(style: SeriesStyle, band: bool) -> SeriesLook {
    SeriesLook {
        style,
        width: 2.0,
        radius: (2.5, 5.0),
        band,
    }
}

/// The legend key of a series: its line and marker, or on a dense chart its bold line.
fn series_key(timeline: &Timeline, style: SeriesStyle) -> LegendKey {
    if timeline.dense {
        LegendKey::Line(style, 2.4)
    } else {
        LegendKey::Series(style)
    }
}

/// Legend entries for the smoothing in force: the sparse chart's dashed companion, or on a
/// dense chart the pale raw line under the bold rolling mean (drawn in `color`).
fn smoothing_entries(input: &ChartInput, timeline: &Timeline, color: RGBColor) -> Vec<LegendEntry> {
    let Some(w) = timeline.window else {
        return Vec::new();
    };
    if !timeline.dense {
        return vec![LegendEntry {
            key: LegendKey::Dashed(color),
            label: moving_average_label(input, w),
        }];
    }
    let plain = |c: RGBColor, width: f64| {
        LegendKey::Line(
            SeriesStyle {
                color: c,
                marker: Marker::Circle,
                filled: true,
                dash: SOLID,
            },
            width,
        )
    };
    vec![
        LegendEntry {
            key: plain(tint(color, 0.55), 1.0),
            label: format!("each {}", input.settings.group_one()),
        },
        LegendEntry {
            key: plain(color, 2.4),
            label: format!("{w}-{} rolling mean", input.settings.group_one()),
        },
    ]
}

/// Whether theme_trends.png draws one panel per theme.
fn as_panels(input: &ChartInput, timeline: &Timeline) -> bool {
    input.themes.len() > 1
        && match input.settings.theme_layout {
            ThemeLayout::Overlay => false,
            ThemeLayout::Panels => true,
            ThemeLayout::Auto => timeline.dense,
        }
}

/// `charts/theme_trends.png`: one line per theme over the dated sessions, on one set of axes
/// or as small multiples.
pub(crate) fn theme_trends(canvas: &Canvas<'_>, input: &ChartInput) -> Result<(), ChartError> {
    let title = format!(
        "Theme trends: hits per 1,000 words by {}",
        input.settings.group_one()
    );
    let title = title.as_str();
    let timeline = Timeline::of(input);
    let dated = &timeline.dated;
    let y_max = input
        .themes
        .iter()
        .map(|t| theme_max(t, dated))
        .fold(0.0, f64::max);
    if let Some(reason) = input.settings.nothing_to_draw(
        dated,
        input.themes.len(),
        y_max,
        "no themes in the dictionary",
        "no theme has a hit",
    ) {
        return draw_no_data(canvas, title, &reason, &input.footer);
    }
    if as_panels(input, &timeline) {
        return theme_panels(canvas, input, &timeline, title, y_max);
    }
    let with_ci = input.themes.iter().any(|t| t.ci.is_some());
    let intervals = match (with_ci, timeline.dense) {
        (false, _) => None,
        (true, false) => Some("Error bars"),
        // Overlaid bands would bury each other; the per-theme charts and panels show them.
        (true, true) => None,
    };
    let mut notes = vec![timeline.notes(input, intervals)];
    notes.extend(undated_note(input));
    let top = draw_header(canvas, title, &notes)?;
    let bottom = draw_footer(canvas, &input.footer)?;
    let mut entries: Vec<LegendEntry> = input
        .themes
        .iter()
        .enumerate()
        .map(|(i, t)| LegendEntry {
            key: series_key(&timeline, series_style(i)),
            label: t.name.clone(),
        })
        .collect();
    entries.extend(smoothing_entries(input, &timeline, INK));
    let legend_title = "Themes";
    let legend_w = legend_width(canvas, legend_title, &entries);
    let margin = canvas.px(MARGIN);
    let legend_left = canvas.width - margin - legend_w;
    let outer = Rect {
        left: margin,
        top,
        right: legend_left - canvas.px(GAP * 2.0),
        bottom,
    };
    let x_title = x_title(input);
    let spec = PanelSpec {
        labels: &timeline.labels,
        time: timeline.time_spec(),
        y_max,
        y_title: Y_TITLE,
        x_title: Some(&x_title),
        heading: None,
        x_labels: true,
    };
    let frame = draw_panel(canvas, outer, &spec)?;
    for (i, theme) in input.themes.iter().enumerate() {
        draw_series(
            canvas,
            &frame,
            &timeline,
            &timeline.pick(&theme.per_1000),
            dated_ci(theme, &timeline).as_deref(),
            theme_look(series_style(i), false),
        )?;
    }
    let legend_area = Rect {
        left: legend_left,
        top,
        right: canvas.width - margin,
        bottom,
    };
    draw_legend(canvas, legend_area, legend_title, &entries)
}

/// theme_trends.png as small multiples: one panel per theme, every panel on the same y scale.
fn theme_panels(
    canvas: &Canvas<'_>,
    input: &ChartInput,
    timeline: &Timeline,
    title: &str,
    y_max: f64,
) -> Result<(), ChartError> {
    let with_ci = input.themes.iter().any(|t| t.ci.is_some());
    let intervals = with_ci.then_some(if timeline.dense {
        "Shaded band"
    } else {
        "Error bars"
    });
    let mut notes = vec![format!(
        "One panel per theme, all on the same y scale so heights compare directly. {}",
        timeline.notes(input, intervals)
    )];
    notes.extend(undated_note(input));
    let top = draw_header(canvas, title, &notes)?;
    let bottom = draw_footer(canvas, &input.footer)?;
    let key_style = lines::solid(series_style(0));
    let mut entries = if timeline.dense && timeline.window.is_some() {
        Vec::new()
    } else {
        vec![LegendEntry {
            key: series_key(timeline, key_style),
            label: format!("rate per {}", input.settings.group_one()),
        }]
    };
    entries.extend(smoothing_entries(input, timeline, key_style.color));
    if intervals.is_some() && timeline.dense {
        entries.push(LegendEntry {
            key: LegendKey::Swatch(tint(key_style.color, 0.78)),
            label: "95% interval".to_string(),
        });
    }
    let legend_title = "Legend";
    let margin = canvas.px(MARGIN);
    let legend_left = canvas.width - margin - legend_width(canvas, legend_title, &entries);
    let area = Rect {
        left: margin,
        top,
        right: legend_left - canvas.px(GAP * 2.0),
        bottom,
    };
    let count = input.themes.len();
    let cols = grid_columns(count, f64::from(area.width()), f64::from(area.height()));
    let x_title = x_title(input);
    for (k, theme) in input.themes.iter().enumerate() {
        let (outer, col, bottom_of_column) = grid_cell(canvas, area, count, cols, k);
        let spec = PanelSpec {
            labels: &timeline.labels,
            time: timeline.time_spec(),
            y_max,
            y_title: if col == 0 { "Per 1,000 words" } else { "" },
            x_title: bottom_of_column.then_some(x_title.as_str()),
            heading: Some(&theme.name),
            x_labels: bottom_of_column,
        };
        let frame = draw_panel(canvas, outer, &spec)?;
        draw_series(
            canvas,
            &frame,
            timeline,
            &timeline.pick(&theme.per_1000),
            dated_ci(theme, timeline).as_deref(),
            theme_look(lines::solid(series_style(k)), true),
        )?;
    }
    let legend_area = Rect {
        left: legend_left,
        top,
        right: canvas.width - margin,
        bottom,
    };
    draw_legend(canvas, legend_area, legend_title, &entries)
}

/// Most productive patterns shown by name in the stacked bars; the rest are pooled.
const MAX_PATTERNS: usize = 9;

/// `charts/themes/<theme>.png`: the theme's line on top, the patterns behind its hits below.
pub(crate) fn theme_detail(
    canvas: &Canvas<'_>,
    input: &ChartInput,
    index: usize,
) -> Result<(), ChartError> {
    let theme = &input.themes[index];
    let title = format!("Theme: {}", theme.name);
    let timeline = Timeline::of(input);
    let dated = &timeline.dated;
    let y_max = theme_max(theme, dated);
    if dated.is_empty() || y_max <= 0.0 {
        let reason = if dated.is_empty() {
            format!("no dated {}", input.settings.group_many())
        } else {
            format!(
                "this theme has no hit in any dated {}",
                input.settings.group_one()
            )
        };
        return draw_no_data(canvas, &title, &reason, &input.footer);
    }
    let intervals = theme.ci.is_some().then_some(if timeline.dense {
        "Shaded band"
    } else {
        "Error bars"
    });
    let mut notes = vec![
        "Top: the theme's rate. Bottom: the dictionary patterns that produced its hits, stacked."
            .to_string(),
        timeline.notes(input, intervals),
    ];
    notes.extend(undated_note(input));
    let top = draw_header(canvas, &title, &notes)?;
    let bottom = draw_footer(canvas, &input.footer)?;

    // Patterns by total hits over the dated sessions, ties by pattern text for a stable order.
    let mut order: Vec<(u64, usize)> = theme
        .patterns
        .iter()
        .enumerate()
        .map(|(p, series)| (dated.iter().map(|&i| series.hits[i]).sum(), p))
        .filter(|(total, _)| *total > 0)
        .collect();
    order.sort_by(|a, b| {
        b.0.cmp(&a.0).then_with(|| {
            theme.patterns[a.1]
                .pattern
                .cmp(&theme.patterns[b.1].pattern)
        })
    });
    let named: Vec<usize> = order.iter().take(MAX_PATTERNS).map(|&(_, p)| p).collect();
    let pooled: Vec<usize> = order.iter().skip(MAX_PATTERNS).map(|&(_, p)| p).collect();

    let style = series_style(index);
    let mut entries = if timeline.dense && timeline.window.is_some() {
        Vec::new()
    } else {
        vec![LegendEntry {
            key: series_key(&timeline, style),
            label: "theme rate (top panel)".to_string(),
        }]
    };
    entries.extend(smoothing_entries(input, &timeline, style.color));
    for (k, &p) in named.iter().enumerate() {
        entries.push(LegendEntry {
            key: LegendKey::Swatch(PALETTE[k % PALETTE.len()]),
            label: theme.patterns[p].pattern.clone(),
        });
    }
    if !pooled.is_empty() {
        entries.push(LegendEntry {
            key: LegendKey::Swatch(OTHER),
            label: format!("{} other patterns", pooled.len()),
        });
    }
    let legend_title = "Theme and patterns";
    let legend_w = legend_width(canvas, legend_title, &entries);
    let margin = canvas.px(MARGIN);
    let legend_left = canvas.width - margin - legend_w;
    let right = legend_left - canvas.px(GAP * 2.0);
    let split = top + (bottom - top) * 45 / 100;

    let upper = Rect {
        left: margin,
        top,
        right,
        bottom: split,
    };
    let spec = PanelSpec {
        labels: &timeline.labels,
        time: timeline.time_spec(),
        y_max,
        y_title: "Hits per 1,000 words",
        x_title: None,
        heading: None,
        x_labels: false,
    };
    let frame = draw_panel(canvas, upper, &spec)?;
    draw_series(
        canvas,
        &frame,
        &timeline,
        &timeline.pick(&theme.per_1000),
        dated_ci(theme, &timeline).as_deref(),
        theme_look(style, true),
    )?;

    // Bars in the same unit as the line, so their heights add up to the hits behind it.
    let rate = |hits: u64, session: usize| {
        let tokens = input.sessions[session].kept_tokens;
        if tokens == 0 {
            0.0
        } else {
            hits as f64 * 1000.0 / tokens as f64
        }
    };
    let stacks: Vec<Vec<(f64, plotters::style::RGBColor)>> = dated
        .iter()
        .map(|&i| {
            let mut stack: Vec<(f64, plotters::style::RGBColor)> = named
                .iter()
                .enumerate()
                .map(|(k, &p)| {
                    (
                        rate(theme.patterns[p].hits[i], i),
                        PALETTE[k % PALETTE.len()],
                    )
                })
                .collect();
            let rest: u64 = pooled.iter().map(|&p| theme.patterns[p].hits[i]).sum();
            stack.push((rate(rest, i), OTHER));
            stack
        })
        .collect();
    let bar_max = stacks
        .iter()
        .map(|s| s.iter().map(|(v, _)| v).sum::<f64>())
        .fold(0.0, f64::max);
    let lower = Rect {
        left: margin,
        top: split + canvas.px(GAP * 2.0),
        right,
        bottom,
    };
    let spec = PanelSpec {
        labels: &timeline.labels,
        time: timeline.time_spec(),
        y_max: if bar_max > 0.0 { bar_max } else { 1.0 },
        y_title: "Pattern hits per 1,000 words",
        x_title: Some(&x_title(input)),
        heading: None,
        x_labels: true,
    };
    let frame = draw_panel(canvas, lower, &spec)?;
    let half = (frame.slot() * 0.36).max(1.0);
    for (k, stack) in stacks.iter().enumerate() {
        let x = frame.x(k);
        let mut base = 0.0;
        for &(v, color) in stack {
            if v <= 0.0 {
                continue;
            }
            let (y0, y1) = (frame.y(base), frame.y(base + v));
            canvas.fill_rect(
                ((x - half).round() as i32, y1.round() as i32),
                ((x + half).round() as i32, y0.round() as i32),
                color,
            )?;
            base += v;
        }
    }
    if named.is_empty() && pooled.is_empty() {
        let centre = (
            (frame.plot.left + frame.plot.right) / 2,
            (frame.plot.top + frame.plot.bottom) / 2,
        );
        canvas.text(
            "no pattern breakdown supplied",
            centre,
            layout::subtitle_font(),
            super::canvas::Anchor::Center,
        )?;
    }
    let legend_area = Rect {
        left: legend_left,
        top,
        right: canvas.width - margin,
        bottom,
    };
    draw_legend(canvas, legend_area, legend_title, &entries)
}
