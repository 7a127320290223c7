//! Small multiples: one panel per watch term, all on the same y scale.

use super::canvas::Canvas;
use super::layout::{
    GAP, LegendEntry, LegendKey, MARGIN, PanelSpec, Rect, draw_footer, draw_header, draw_legend,
    draw_no_data, draw_panel, legend_width,
};
use super::style::{Marker, PALETTE, SMOOTH_DASH, SOLID, SeriesStyle};
use super::{
    ChartError, ChartInput, dated_indices, dated_max, moving_average, moving_average_label,
    session_labels, undated_note,
};

/// Columns for `count` panels that keep each panel closest to a 1.6:1 shape.
fn grid_columns(count: usize, width: f64, height: f64) -> usize {
    (1..=count.max(1))
        .max_by(|&a, &b| {
            let fit = |cols: usize| {
                let rows = count.div_ceil(cols).max(1);
                (width / cols as f64 / 1.6).min(height / rows as f64)
            };
            // Ties go to fewer columns, hence the reversed index comparison.
            fit(a).total_cmp(&fit(b)).then(b.cmp(&a))
        })
        .unwrap_or(1)
}

/// `charts/term_trends.png`.
pub(crate) fn term_trends(canvas: &Canvas<'_>, input: &ChartInput) -> Result<(), ChartError> {
    let title = format!(
        "Watch terms: occurrences per 1,000 words by {}",
        input.settings.group_one()
    );
    let title = title.as_str();
    let dated = dated_indices(input);
    let y_max = dated_max(
        input.watch_terms.iter().map(|t| t.per_1000.as_slice()),
        &dated,
    );
    if let Some(reason) = input.settings.nothing_to_draw(
        &dated,
        input.watch_terms.len(),
        y_max,
        "no watch terms configured",
        "no watch term occurs",
    ) {
        return draw_no_data(canvas, title, &reason, &input.footer);
    }
    let smoothing = input.settings.smoothing.filter(|w| *w > 1);
    let mut notes = vec![
        "One panel per term, all panels on the same y scale so heights compare directly."
            .to_string(),
    ];
    notes.extend(undated_note(input));
    let top = draw_header(canvas, title, &notes)?;
    let bottom = draw_footer(canvas, &input.footer)?;
    let style = SeriesStyle {
        color: PALETTE[0],
        marker: Marker::Circle,
        filled: true,
        dash: SOLID,
    };
    let mut entries = vec![LegendEntry {
        key: LegendKey::Series(style),
        label: format!("rate per {}", input.settings.group_one()),
    }];
    if let Some(w) = smoothing {
        entries.push(LegendEntry {
            key: LegendKey::Dashed(PALETTE[0]),
            label: moving_average_label(input, w),
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

    let count = input.watch_terms.len();
    let cols = grid_columns(count, f64::from(area.width()), f64::from(area.height()));
    let rows = count.div_ceil(cols);
    let gap = canvas.px(GAP * 2.0);
    let panel_w = (area.width() - gap * (cols as i32 - 1)) / cols as i32;
    let panel_h = (area.height() - gap * (rows as i32 - 1)) / rows as i32;
    let labels = session_labels(input, &dated);
    for (k, term) in input.watch_terms.iter().enumerate() {
        let (row, col) = (k / cols, k % cols);
        let left = area.left + col as i32 * (panel_w + gap);
        let top = area.top + row as i32 * (panel_h + gap);
        let outer = Rect {
            left,
            top,
            right: left + panel_w,
            bottom: top + panel_h,
        };
        // Only panels with nothing below them carry the session labels.
        let bottom_of_column = k + cols >= count;
        let spec = PanelSpec {
            labels: &labels,
            y_max,
            y_title: if col == 0 { "Per 1,000 words" } else { "" },
            x_title: bottom_of_column.then_some(input.settings.group_label()),
            heading: Some(&term.term),
            x_labels: bottom_of_column,
        };
        let frame = draw_panel(canvas, outer, &spec)?;
        let values: Vec<f64> = dated.iter().map(|&i| term.per_1000[i]).collect();
        let points: Vec<(f64, f64)> = values
            .iter()
            .enumerate()
            .filter(|(_, v)| v.is_finite())
            .map(|(j, v)| (frame.x(j), frame.y(*v)))
            .collect();
        canvas.line(&points, style.color, 1.8)?;
        if let Some(w) = smoothing {
            let smooth: Vec<(f64, f64)> = moving_average(&values, w)
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_finite())
                .map(|(j, v)| (frame.x(j), frame.y(*v)))
                .collect();
            canvas.dashed_line(&smooth, SMOOTH_DASH, style.color, 1.2)?;
        }
        let radius = (frame.slot() / canvas.scale / 4.0).clamp(1.5, 4.0);
        for &p in &points {
            canvas.marker(style.marker, style.filled, p, radius, style.color)?;
        }
    }
    let legend_area = Rect {
        left: legend_left,
        top,
        right: canvas.width - margin,
        bottom,
    };
    draw_legend(canvas, legend_area, legend_title, &entries)
}

#[cfg(test)]
mod tests {
    use super::grid_columns;

    #[test]
    fn grid_columns_keep_panels_wide() {
        for (count, cols) in [(1, 1), (2, 2), (4, 2), (6, 3), (12, 4)] {
            assert_eq!(grid_columns(count, 1200.0, 700.0), cols, "{count} panels");
        }
    }
}
