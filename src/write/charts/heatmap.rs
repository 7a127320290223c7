//! Themes x sessions heatmap: colour = hits per 1,000 words, the value printed in each cell.

use super::canvas::{Anchor, Canvas, Font};
use super::layout::{
    GAP, MARGIN, Rect, axis_title_font, draw_footer, draw_header, draw_no_data, draw_x_labels,
    fmt_rate, fmt_tick, nice_ticks, plan_x_labels, tick_font,
};
use super::style::{AXIS, INK, MISSING, MUTED, text_on, viridis};
use super::{
    ChartError, ChartInput, dated_indices, dated_max, session_labels, undated_note, x_title,
};

/// Every how many rows of height `row_h` a label of height `label_h` fits without touching the
/// next one drawn (1: every row).
fn label_step(label_h: i32, row_h: f64) -> usize {
    // (A row of no height, which no grid has, would give one label only.)
    (f64::from(label_h) / row_h.max(1e-9)).ceil().max(1.0) as usize
}

/// `charts/theme_heatmap.png`.
pub(crate) fn theme_heatmap(canvas: &Canvas<'_>, input: &ChartInput) -> Result<(), ChartError> {
    let title = format!(
        "Theme intensity by {} (hits per 1,000 words)",
        input.settings.group_one()
    );
    let title = title.as_str();
    let dated = dated_indices(input);
    let v_max = dated_max(input.themes.iter().map(|t| t.per_1000.as_slice()), &dated);
    if let Some(reason) = input.settings.nothing_to_draw(
        &dated,
        input.themes.len(),
        v_max,
        "no themes in the dictionary",
        "no theme has a hit",
    ) {
        return draw_no_data(canvas, title, &reason, &input.footer);
    }
    let mut notes = vec![format!(
        "Rows: themes in dictionary order. Columns: {} in time order, n = statements. Grey: no words.",
        input.settings.group_many()
    )];
    notes.extend(undated_note(input));
    let top = draw_header(canvas, title, &notes)?;
    let bottom = draw_footer(canvas, &input.footer)?;
    let margin = canvas.px(MARGIN);
    let gap = canvas.px(GAP);
    let tick = tick_font();
    let axis = axis_title_font();

    // Colour scale on the right, with round ticks; the ramp runs to the top tick.
    let (step, scale_top) = nice_ticks(v_max, 5);
    let tick_labels: Vec<String> = (0..=(scale_top / step).round() as usize)
        .map(|k| fmt_tick(k as f64 * step, step))
        .collect();
    let tick_w = tick_labels
        .iter()
        .map(|t| canvas.text_width(t, tick))
        .max()
        .unwrap_or(0);
    let bar_w = canvas.px(22.0);
    let legend_w = bar_w + gap + tick_w + gap + canvas.line_height(axis);
    let legend_left = canvas.width - margin - legend_w;

    // Row labels, truncated to a quarter of the width.
    let row_font = Font::new(13.0, INK);
    let max_row_w = canvas.width / 4;
    let row_labels: Vec<String> = input
        .themes
        .iter()
        .map(|t| canvas.truncate(&t.name, row_font, max_row_w))
        .collect();
    let row_w = row_labels
        .iter()
        .map(|l| canvas.text_width(l, row_font))
        .max()
        .unwrap_or(0);
    let y_title_w = canvas.line_height(axis) + gap;
    let left = margin + y_title_w + row_w + gap;
    let right = legend_left - 2 * gap;
    let labels = session_labels(input, &dated);
    let x_title_h = canvas.line_height(axis) + gap;
    let plan = plan_x_labels(canvas, &labels, right - left, (bottom - top) / 3);
    let grid_bottom_limit = bottom - x_title_h - plan.height - gap;
    let rows = input.themes.len();
    let row_h = (f64::from(grid_bottom_limit - top) / rows as f64).min(f64::from(canvas.px(70.0)));
    let grid = Rect {
        left,
        top,
        right,
        bottom: top + (row_h * rows as f64).round() as i32,
    };
    let col_w = f64::from(grid.width()) / dated.len() as f64;

    let value_font = Font::new((row_h / canvas.scale * 0.45).clamp(9.0, 13.0), INK);
    // Rows thinner than a label: one label in `row_step` rows, so that labels never overlap
    // (a hundred themes would otherwise print as one smear of text).
    let row_step = label_step(canvas.line_height(row_font), row_h);
    let mut omitted = false;
    for (r, theme) in input.themes.iter().enumerate() {
        let y0 = f64::from(top) + r as f64 * row_h;
        let cy = (y0 + row_h / 2.0).round() as i32;
        if r % row_step == 0 {
            canvas.text(
                &row_labels[r],
                (left - gap, cy),
                row_font,
                Anchor::CenterRight,
            )?;
        }
        for (c, &i) in dated.iter().enumerate() {
            let x0 = f64::from(left) + c as f64 * col_w;
            let v = theme.per_1000[i];
            let words = input.sessions[i].kept_tokens;
            let missing = !v.is_finite() || words == 0;
            let fill = if missing {
                MISSING
            } else {
                viridis(v / scale_top)
            };
            // A one-pixel white seam keeps cells apart, unless the columns are too thin to spare it
            // (hundreds of sessions would turn into stripes).
            let seam = i32::from(col_w >= 5.0);
            let a = (x0.round() as i32, y0.round() as i32);
            let b = (
                (x0 + col_w).round() as i32 - seam,
                (y0 + row_h).round() as i32 - 1,
            );
            canvas.fill_rect(a, b, fill)?;
            let text = if missing {
                "–".to_string()
            } else {
                fmt_rate(v)
            };
            let fits = canvas.text_width(&text, value_font) + canvas.px(4.0) <= (col_w as i32)
                && canvas.line_height(value_font) <= row_h as i32;
            if fits {
                let color = if missing { MUTED } else { text_on(fill) };
                let centre = ((x0 + col_w / 2.0).round() as i32, cy);
                canvas.text(
                    &text,
                    centre,
                    Font {
                        color,
                        ..value_font
                    },
                    Anchor::Center,
                )?;
            } else {
                omitted = true;
            }
        }
    }
    draw_x_labels(
        canvas,
        &plan,
        &|c| f64::from(left) + (c as f64 + 0.5) * col_w,
        grid.bottom,
    )?;
    let mut x_title = x_title(input);
    if plan.step > 1 {
        x_title.push_str(&format!(", 1 label in {} shown", plan.step));
    }
    if omitted {
        x_title.push_str("; cells too small for values, see the CSV tables");
    }
    let x_title = canvas.truncate(&x_title, axis, right - left);
    canvas.text(
        &x_title,
        ((left + right) / 2, grid.bottom + gap + plan.height),
        axis,
        Anchor::TopCenter,
    )?;
    let y_title = if row_step > 1 {
        format!("Theme (1 label in {row_step} shown; every theme in theme_scores_wide.csv)")
    } else {
        "Theme".to_string()
    };
    let y_title = canvas.truncate(&y_title, axis, grid.bottom - top);
    canvas.text(
        &y_title,
        (margin, (top + grid.bottom) / 2),
        axis.vertical(),
        Anchor::TopCenter,
    )?;

    // Colour scale: a vertical ramp from 0 (bottom) to the top tick.
    let ramp = Rect {
        left: legend_left,
        top: top + canvas.line_height(tick),
        right: legend_left + bar_w,
        bottom: grid.bottom.max(top + canvas.px(120.0)).min(bottom),
    };
    let h = ramp.height().max(1);
    for k in 0..h {
        let t = 1.0 - f64::from(k) / f64::from(h);
        canvas.fill_rect(
            (ramp.left, ramp.top + k),
            (ramp.right, ramp.top + k + 1),
            viridis(t),
        )?;
    }
    canvas.stroke_rect((ramp.left, ramp.top), (ramp.right, ramp.bottom), AXIS)?;
    for (k, label) in tick_labels.iter().enumerate() {
        let t = k as f64 * step / scale_top;
        let y = (f64::from(ramp.bottom) - t * f64::from(h)).round() as i32;
        let (x0, x1) = (
            f64::from(ramp.right),
            f64::from(ramp.right + canvas.px(4.0)),
        );
        canvas.line(&[(x0, f64::from(y)), (x1, f64::from(y))], AXIS, 1.0)?;
        canvas.text(label, (ramp.right + gap, y), tick, Anchor::CenterLeft)?;
    }
    let title_x = ramp.right + gap + tick_w + gap;
    let scale_title = canvas.truncate("Hits per 1,000 words", axis, ramp.height());
    canvas.text(
        &scale_title,
        (title_x, (ramp.top + ramp.bottom) / 2),
        axis.vertical(),
        Anchor::TopCenter,
    )
}

#[cfg(test)]
mod tests {
    use super::label_step;

    #[test]
    fn row_labels_are_thinned_only_when_rows_are_thinner_than_a_label() {
        assert_eq!(label_step(18, 40.0), 1);
        assert_eq!(label_step(18, 18.0), 1);
        assert_eq!(label_step(18, 17.9), 2);
        assert_eq!(label_step(18, 6.0), 3);
        assert_eq!(label_step(18, 0.5), 36);
        // Labels `step` rows apart never overlap: step * row_h >= label_h.
        for rows in [1usize, 7, 50, 100, 300, 3_000] {
            let row_h = 900.0 / rows as f64;
            let step = label_step(18, row_h);
            assert!(step as f64 * row_h >= 18.0, "{rows} rows");
            assert!(
                step == 1 || (step - 1) as f64 * row_h < 18.0,
                "{rows} rows: no wider than needed"
            );
        }
    }
}
