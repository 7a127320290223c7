//! Small multiples: one panel per watch term, all on the same y scale.

use super::canvas::Canvas;
use super::layout::{
    GAP, LegendEntry, LegendKey, MARGIN, PanelSpec, Rect, draw_footer, draw_header, draw_legend,
    draw_no_data, draw_panel, grid_cell, grid_columns, legend_width,
};
use super::lines::{SeriesLook, Timeline, draw_series};
use super::style::{Marker, PALETTE, SOLID, SeriesStyle, tint};
use super::{ChartError, ChartInput, dated_max, moving_average_label, undated_note};

/// `charts/term_trends.png`.
pub(crate) fn term_trends(canvas: &Canvas<'_>, input: &ChartInput) -> Result<(), ChartError> {
    let title = format!(
        "Watch terms: occurrences per 1,000 words by {}",
        input.settings.group_one()
    );
    let title = title.as_str();
    let timeline = Timeline::of(input);
    let y_max = dated_max(
        input.watch_terms.iter().map(|t| t.per_1000.as_slice()),
        &timeline.dated,
    );
    if let Some(reason) = input.settings.nothing_to_draw(
        &timeline.dated,
        input.watch_terms.len(),
        y_max,
        "no watch terms configured",
        "no watch term occurs",
    ) {
        return draw_no_data(canvas, title, &reason, &input.footer);
    }
    let mut notes = vec![format!(
        "One panel per term, all panels on the same y scale so heights compare directly.{}",
        if timeline.dense || timeline.days.is_some() {
            format!(" {}", timeline.notes(input, None))
        } else {
            String::new()
        }
    )];
    notes.extend(undated_note(input));
    let top = draw_header(canvas, title, &notes)?;
    let bottom = draw_footer(canvas, &input.footer)?;
    let style = SeriesStyle {
        color: PALETTE[0],
        marker: Marker::Circle,
        filled: true,
        dash: SOLID,
    };
    let mut entries = Vec::new();
    if !(timeline.dense && timeline.window.is_some()) {
        entries.push(LegendEntry {
            key: if timeline.dense {
                LegendKey::Line(style, 2.4)
            } else {
                LegendKey::Series(style)
            },
            label: format!("rate per {}", input.settings.group_one()),
        });
    }
    match (timeline.window, timeline.dense) {
        (Some(w), false) => entries.push(LegendEntry {
            key: LegendKey::Dashed(PALETTE[0]),
            label: moving_average_label(input, w),
        }),
        (Some(w), true) => {
            entries.push(LegendEntry {
                key: LegendKey::Line(
                    SeriesStyle {
                        color: tint(PALETTE[0], 0.55),
                        ..style
                    },
                    1.0,
                ),
                label: format!("each {}", input.settings.group_one()),
            });
            entries.push(LegendEntry {
                key: LegendKey::Line(style, 2.4),
                label: format!("{w}-{} rolling mean", input.settings.group_one()),
            });
        }
        (None, _) => {}
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
    for (k, term) in input.watch_terms.iter().enumerate() {
        let (outer, col, bottom_of_column) = grid_cell(canvas, area, count, cols, k);
        // Only panels with nothing below them carry the session labels.
        let spec = PanelSpec {
            labels: &timeline.labels,
            time: timeline.time_spec(),
            y_max,
            y_title: if col == 0 { "Per 1,000 words" } else { "" },
            x_title: bottom_of_column.then_some(input.settings.group_label()),
            heading: Some(&term.term),
            x_labels: bottom_of_column,
        };
        let frame = draw_panel(canvas, outer, &spec)?;
        let look = SeriesLook {
            style,
            width: 1.8,
            radius: (1.5, 4.0),
            band: false,
        };
        draw_series(
            canvas,
            &frame,
            &timeline,
            &timeline.pick(&term.per_1000),
            None,
            look,
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
