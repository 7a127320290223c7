//! Per-session horizontal bars of the most frequent terms.

use super::canvas::{Anchor, Canvas, Font};
use super::layout::{
    GAP, LegendEntry, LegendKey, MARGIN, Rect, axis_title_font, draw_footer, draw_header,
    draw_legend, draw_no_data, fmt_count, fmt_rate, fmt_tick, legend_width, nice_ticks, tick_font,
};
use super::style::{AXIS, GRID, INK, PALETTE};
use super::{ChartError, ChartInput, TermBar};

/// `charts/top_terms/<session>.png` for session `index`.
pub(crate) fn top_terms(
    canvas: &Canvas<'_>,
    input: &ChartInput,
    index: usize,
) -> Result<(), ChartError> {
    let session = &input.sessions[index];
    let wanted = input.settings.top_n.max(1);
    let bars: Vec<&TermBar> = input
        .top_terms
        .get(index)
        .map(|terms| {
            terms
                .iter()
                .filter(|t| t.per_1000.is_finite() && t.per_1000 >= 0.0)
                .take(wanted)
                .collect()
        })
        .unwrap_or_default();
    let shown = if bars.is_empty() { wanted } else { bars.len() };
    let title = format!("Top {shown} terms: {}", session.label);
    let x_max = bars.iter().map(|b| b.per_1000).fold(0.0, f64::max);
    if bars.is_empty() || x_max <= 0.0 {
        return draw_no_data(
            canvas,
            &title,
            &format!("no counted terms in this {}", input.settings.group_one()),
            &input.footer,
        );
    }
    let notes = vec![format!(
        "{} statement(s), {} words kept after stop-word removal. Most frequent first; at each bar: raw count (per 1,000 words).",
        session.docs,
        fmt_count(session.kept_tokens)
    )];
    let top = draw_header(canvas, &title, &notes)?;
    let bottom = draw_footer(canvas, &input.footer)?;
    let margin = canvas.px(MARGIN);
    let gap = canvas.px(GAP);
    let axis = axis_title_font();
    let tick = tick_font();

    let entries = vec![LegendEntry {
        key: LegendKey::Swatch(PALETTE[0]),
        label: "occurrences per 1,000 words (bar length)".to_string(),
    }];
    let legend_title = "Reading the bars";
    let legend_w = legend_width(canvas, legend_title, &entries);
    let legend_left = canvas.width - margin - legend_w;

    let x_title_h = canvas.line_height(axis) + gap;
    let tick_h = canvas.line_height(tick) + gap;
    let plot_bottom = bottom - x_title_h - tick_h;
    let row_h = f64::from(plot_bottom - top) / bars.len() as f64;
    // Shrink label text when many bars share little height.
    let label_font = Font::new((row_h / canvas.scale * 0.62).clamp(8.0, 14.0), INK);
    let labels: Vec<String> = bars
        .iter()
        .map(|b| canvas.truncate(&b.term, label_font, canvas.width * 3 / 10))
        .collect();
    let label_w = labels
        .iter()
        .map(|l| canvas.text_width(l, label_font))
        .max()
        .unwrap_or(0);
    let notes_text: Vec<String> = bars
        .iter()
        .map(|b| format!("{} ({})", fmt_count(b.count), fmt_rate(b.per_1000)))
        .collect();
    let note_w = notes_text
        .iter()
        .map(|n| canvas.text_width(n, label_font))
        .max()
        .unwrap_or(0);
    let plot = Rect {
        left: margin + label_w + gap,
        top,
        right: legend_left - 2 * gap - note_w - gap,
        bottom: plot_bottom,
    };
    let (step, x_top) = nice_ticks(
        x_max,
        ((plot.width() / canvas.px(90.0)).clamp(4, 10)) as usize,
    );
    let x_of =
        |v: f64| f64::from(plot.left) + (v / x_top).clamp(0.0, 1.0) * f64::from(plot.width());

    let tick_count = (x_top / step).round() as usize;
    for k in 0..=tick_count {
        let v = k as f64 * step;
        let x = x_of(v);
        if k > 0 {
            canvas.line(
                &[(x, f64::from(plot.top)), (x, f64::from(plot.bottom))],
                GRID,
                1.0,
            )?;
        }
        canvas.text(
            &fmt_tick(v, step),
            (x.round() as i32, plot.bottom + gap / 2),
            tick,
            Anchor::TopCenter,
        )?;
    }
    let (l, b) = (f64::from(plot.left), f64::from(plot.bottom));
    canvas.line(
        &[(l, f64::from(plot.top)), (l, b), (f64::from(plot.right), b)],
        AXIS,
        1.0,
    )?;
    let x_title = "Occurrences per 1,000 words (kept tokens)";
    canvas.text(
        x_title,
        ((plot.left + plot.right) / 2, plot.bottom + tick_h),
        axis,
        Anchor::TopCenter,
    )?;

    for (k, bar) in bars.iter().enumerate() {
        let y0 = f64::from(top) + k as f64 * row_h;
        let cy = (y0 + row_h / 2.0).round() as i32;
        let thickness = (row_h * 0.68).max(1.0);
        let yb = y0 + (row_h - thickness) / 2.0;
        let x1 = x_of(bar.per_1000);
        if x1 > l {
            canvas.fill_rect(
                (plot.left + 1, yb.round() as i32),
                (x1.round() as i32, (yb + thickness).round() as i32),
                PALETTE[0],
            )?;
        }
        canvas.text(
            &labels[k],
            (plot.left - gap, cy),
            label_font,
            Anchor::CenterRight,
        )?;
        canvas.text(
            &notes_text[k],
            (x1.round() as i32 + gap / 2, cy),
            label_font,
            Anchor::CenterLeft,
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
