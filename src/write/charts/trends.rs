//! Theme lines over sessions: the overview of all themes and the per-theme chart with its patterns.

use super::canvas::Canvas;
use super::layout::{
    self, GAP, LegendEntry, LegendKey, MARGIN, PanelSpec, Rect, draw_footer, draw_header,
    draw_legend, draw_no_data, draw_panel, legend_width,
};
use super::style::{INK, OTHER, PALETTE, SMOOTH_DASH, SeriesStyle, series_style};
use super::{
    ChartError, ChartInput, ThemeSeries, dated_indices, moving_average, moving_average_label,
    session_labels, undated_note, x_title,
};

const Y_TITLE: &str = "Hits per 1,000 words (kept tokens)";

/// Smoothing window in force, if any (a window of 0 or 1 is no smoothing).
fn smoothing_window(input: &ChartInput) -> Option<usize> {
    input.settings.smoothing.filter(|w| *w > 1)
}

/// The theme's rates at the dated sessions.
fn dated_values(theme: &ThemeSeries, dated: &[usize]) -> Vec<f64> {
    dated.iter().map(|&i| theme.per_1000[i]).collect()
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

/// Marker radius that stays inside a category slot.
fn marker_radius(canvas: &Canvas<'_>, slot: f64) -> f64 {
    (slot / canvas.scale / 4.0).clamp(2.5, 5.0)
}

/// Draws one theme: interval bars, the raw line, the smoothed companion and a marker per point.
fn draw_theme_line(
    canvas: &Canvas<'_>,
    frame: &layout::Frame,
    theme: &ThemeSeries,
    dated: &[usize],
    style: SeriesStyle,
    smoothing: Option<usize>,
) -> Result<(), ChartError> {
    let values = dated_values(theme, dated);
    let radius = marker_radius(canvas, frame.slot());
    if let Some(ci) = &theme.ci {
        let cap = (radius * 0.9 * canvas.scale).max(2.0);
        for (k, &i) in dated.iter().enumerate() {
            let (lo, hi) = ci[i];
            if !(lo.is_finite() && hi.is_finite()) {
                continue;
            }
            let x = frame.x(k);
            let (ylo, yhi) = (frame.y(lo), frame.y(hi));
            canvas.line(&[(x, ylo), (x, yhi)], style.color, 1.0)?;
            canvas.line(&[(x - cap, ylo), (x + cap, ylo)], style.color, 1.0)?;
            canvas.line(&[(x - cap, yhi), (x + cap, yhi)], style.color, 1.0)?;
        }
    }
    // Missing values split the line instead of being drawn as zero.
    for run in finite_runs(&values) {
        let points: Vec<(f64, f64)> = run
            .iter()
            .map(|&k| (frame.x(k), frame.y(values[k])))
            .collect();
        canvas.dashed_line(&points, style.dash, style.color, 2.0)?;
    }
    if let Some(window) = smoothing {
        let smooth = moving_average(&values, window);
        for run in finite_runs(&smooth) {
            let points: Vec<(f64, f64)> = run
                .iter()
                .map(|&k| (frame.x(k), frame.y(smooth[k])))
                .collect();
            canvas.dashed_line(&points, SMOOTH_DASH, style.color, 1.2)?;
        }
    }
    for (k, v) in values.iter().enumerate() {
        if v.is_finite() {
            canvas.marker(
                style.marker,
                style.filled,
                (frame.x(k), frame.y(*v)),
                radius,
                style.color,
            )?;
        }
    }
    Ok(())
}

/// Consecutive index runs of finite values.
fn finite_runs(values: &[f64]) -> Vec<Vec<usize>> {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    let mut current = Vec::new();
    for (k, v) in values.iter().enumerate() {
        if v.is_finite() {
            current.push(k);
        } else if !current.is_empty() {
            runs.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// Subtitle lines shared by the trend charts.
fn trend_notes(input: &ChartInput, with_ci: bool) -> Vec<String> {
    let settings = &input.settings;
    let mut first = format!(
        "One marker per {}; read points from few statements (small n) with care.",
        settings.group_one()
    );
    if let Some(w) = smoothing_window(input) {
        first.push_str(&format!(
            " Thin dashed line: centred moving average over {w} {}.",
            settings.group_many()
        ));
    }
    if with_ci {
        first.push_str(" Error bars: 95% interval.");
    }
    let mut lines = vec![first];
    lines.extend(undated_note(input));
    lines
}

/// `charts/theme_trends.png`: one line per theme over the dated sessions.
pub(crate) fn theme_trends(canvas: &Canvas<'_>, input: &ChartInput) -> Result<(), ChartError> {
    let title = format!(
        "Theme trends: hits per 1,000 words by {}",
        input.settings.group_one()
    );
    let title = title.as_str();
    let dated = dated_indices(input);
    let y_max = input
        .themes
        .iter()
        .map(|t| theme_max(t, &dated))
        .fold(0.0, f64::max);
    if let Some(reason) = input.settings.nothing_to_draw(
        &dated,
        input.themes.len(),
        y_max,
        "no themes in the dictionary",
        "no theme has a hit",
    ) {
        return draw_no_data(canvas, title, &reason, &input.footer);
    }
    let with_ci = input.themes.iter().any(|t| t.ci.is_some());
    let top = draw_header(canvas, title, &trend_notes(input, with_ci))?;
    let bottom = draw_footer(canvas, &input.footer)?;
    let mut entries: Vec<LegendEntry> = input
        .themes
        .iter()
        .enumerate()
        .map(|(i, t)| LegendEntry {
            key: LegendKey::Series(series_style(i)),
            label: t.name.clone(),
        })
        .collect();
    if let Some(w) = smoothing_window(input) {
        entries.push(LegendEntry {
            key: LegendKey::Dashed(INK),
            label: moving_average_label(input, w),
        });
    }
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
    let labels = session_labels(input, &dated);
    let x_title = x_title(input);
    let spec = PanelSpec {
        labels: &labels,
        y_max,
        y_title: Y_TITLE,
        x_title: Some(&x_title),
        heading: None,
        x_labels: true,
    };
    let frame = draw_panel(canvas, outer, &spec)?;
    for (i, theme) in input.themes.iter().enumerate() {
        draw_theme_line(
            canvas,
            &frame,
            theme,
            &dated,
            series_style(i),
            smoothing_window(input),
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
    let dated = dated_indices(input);
    let y_max = theme_max(theme, &dated);
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
    let mut notes = trend_notes(input, theme.ci.is_some());
    notes.insert(
        0,
        "Top: the theme's rate. Bottom: the dictionary patterns that produced its hits, stacked."
            .to_string(),
    );
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
    let mut entries = vec![LegendEntry {
        key: LegendKey::Series(style),
        label: "theme rate (top panel)".to_string(),
    }];
    if let Some(w) = smoothing_window(input) {
        entries.push(LegendEntry {
            key: LegendKey::Dashed(style.color),
            label: moving_average_label(input, w),
        });
    }
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
    let labels = session_labels(input, &dated);

    let upper = Rect {
        left: margin,
        top,
        right,
        bottom: split,
    };
    let spec = PanelSpec {
        labels: &labels,
        y_max,
        y_title: "Hits per 1,000 words",
        x_title: None,
        heading: None,
        x_labels: false,
    };
    let frame = draw_panel(canvas, upper, &spec)?;
    draw_theme_line(
        canvas,
        &frame,
        theme,
        &dated,
        style,
        smoothing_window(input),
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
        labels: &labels,
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
