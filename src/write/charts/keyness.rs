//! Per-session diverging bars: the terms most rising and most falling against the reference sessions.

use super::canvas::{Anchor, Canvas, Font};
use super::layout::{
    GAP, MARGIN, axis_title_font, draw_footer, draw_header, draw_no_data, fmt_count, fmt_tick,
    nice_ticks, tick_font,
};
use super::style::{AXIS, GRID, INK, MUTED, PALETTE, tint};
use super::{ChartError, ChartInput, KeyBar, KeynessBars};

/// |G2| above this is significant at p < 0.05 (chi-square, 1 degree of freedom).
const SIGNIFICANT_G2: f64 = 3.84;
/// How much paler bars below `SIGNIFICANT_G2` are drawn.
const PALE: f64 = 0.6;
/// Tallest row, unscaled: a chart with three terms keeps bar-sized bars, not slabs.
const MAX_ROW: f64 = 34.0;
/// Share of the chart width a term label may take.
const LABEL_SHARE: f64 = 0.3;

pub(crate) const RISING: plotters::style::RGBColor = PALETTE[0];
pub(crate) const FALLING: plotters::style::RGBColor = PALETTE[1];

/// Which way a block of bars points.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Rising,
    Falling,
}

/// One drawn bar: the term label (with counts), the note at the bar's end, and |G2|.
struct Row {
    label: String,
    note: String,
    magnitude: f64,
}

/// `charts/keyness/<session>.png` for session `index`.
pub(crate) fn keyness(
    canvas: &Canvas<'_>,
    input: &ChartInput,
    index: usize,
) -> Result<(), ChartError> {
    let session = &input.sessions[index];
    let settings = &input.settings;
    let group = settings.group_one();
    let Some(Some(data)) = input.keyness.get(index) else {
        let title = format!("Rising and falling terms: {}", session.label);
        let reason = format!("no data: this {group} has nothing earlier to compare with");
        return draw_no_data(canvas, &title, &reason, &input.footer);
    };
    let title = format!(
        "Rising and falling terms: {} vs {}",
        session.label, data.reference
    );
    let per_side = settings.top_n.div_ceil(2).max(1);
    let rising = pick(&data.rising, per_side, |g| g > 0.0);
    let falling = pick(&data.falling, per_side, |g| g < 0.0);
    if rising.is_empty() && falling.is_empty() {
        let reason = format!(
            "no term occurs often enough in this {group} and the {} together ([evidence] keyness_min_count)",
            data.reference
        );
        return draw_no_data(canvas, &title, &reason, &input.footer);
    }
    let notes = header_notes(input, index, data);
    let top = draw_header(canvas, &title, &notes)?;
    let bottom = draw_footer(canvas, &input.footer)?;
    let margin = canvas.px(MARGIN);
    let gap = canvas.px(GAP);
    let axis = axis_title_font();
    let tick = tick_font();
    let heading_font = Font::new(14.0, INK).bold();

    // Rows: a heading per block, its bars, and a spacer between the blocks.
    let units = 2.0 + 0.6 + (rising.len() + falling.len()) as f64;
    let x_title_h = canvas.line_height(axis) + gap;
    let tick_h = canvas.line_height(tick) + gap;
    let available = f64::from(bottom - top - x_title_h - tick_h);
    let row_h = (available / units).min(f64::from(canvas.px(MAX_ROW)));
    // Shrink label text when many bars share little height.
    let label_font = Font::new((row_h / canvas.scale * 0.62).clamp(8.0, 14.0), INK);
    let note_font = Font::new(label_font.size, MUTED);

    let (left, right) = (margin, canvas.width - margin);
    let label_room = (f64::from(right - left) * LABEL_SHARE) as i32;
    let rows = |bars: &[&KeyBar]| -> Vec<Row> {
        bars.iter()
            .map(|b| Row {
                label: bar_label(canvas, b, label_font, label_room),
                note: ratio_note(b),
                magnitude: b.g2.abs(),
            })
            .collect()
    };
    let (rising, falling) = (rows(&rising), rows(&falling));
    let widest = |rows: &[Row], font: Font, text: fn(&Row) -> &str| {
        rows.iter()
            .map(|r| canvas.text_width(text(r), font))
            .max()
            .unwrap_or(0)
    };
    let scale = Scale::fit(
        f64::from(left),
        f64::from(right),
        f64::from(gap),
        Extent {
            magnitude: rising.iter().map(|r| r.magnitude).fold(0.0, f64::max),
            label: widest(&rising, label_font, |r| &r.label),
            note: widest(&rising, note_font, |r| &r.note),
        },
        Extent {
            magnitude: falling.iter().map(|r| r.magnitude).fold(0.0, f64::max),
            label: widest(&falling, label_font, |r| &r.label),
            note: widest(&falling, note_font, |r| &r.note),
        },
    );
    let plot_bottom = top + (units * row_h).round() as i32;
    let row_top = |unit: f64| f64::from(top) + unit * row_h;
    // Vertical extent of each block's bars (below its heading); grid and zero line stay inside.
    let rising_bars = (row_top(1.0), row_top(1.0 + rising.len() as f64));
    let falling_start = 1.0 + rising.len() as f64 + 0.6 + 1.0;
    let falling_bars = (
        row_top(falling_start),
        row_top(falling_start + falling.len() as f64),
    );
    let blocks = [rising_bars, falling_bars];

    // Grid and ticks first, so bars and text sit on top of them.
    let target = ((right - left) / canvas.px(110.0)).clamp(4, 12) as usize;
    let (step, _) = nice_ticks(
        scale.value(f64::from(right)) - scale.value(f64::from(left)),
        target,
    );
    let first = (scale.value(f64::from(left)) / step).ceil() as i64;
    let last = (scale.value(f64::from(right)) / step).floor() as i64;
    for k in first..=last {
        let v = k as f64 * step;
        let x = scale.x(v);
        let text = signed_tick(v, step);
        let half = canvas.text_width(&text, tick) / 2;
        // Skip a tick whose label would run off the canvas.
        if (x as i32) - half < 0 || (x as i32) + half > canvas.width {
            continue;
        }
        if k != 0 {
            for &(y0, y1) in blocks.iter().filter(|(y0, y1)| y1 > y0) {
                canvas.line(&[(x, y0), (x, y1)], GRID, 1.0)?;
            }
        }
        canvas.text(
            &text,
            (x.round() as i32, plot_bottom + gap / 2),
            tick,
            Anchor::TopCenter,
        )?;
    }
    let b = f64::from(plot_bottom);
    canvas.line(&[(f64::from(left), b), (f64::from(right), b)], AXIS, 1.0)?;
    let x_title = format!(
        "Keyness (signed G2): + more frequent than in {}, − less frequent",
        data.reference
    );
    let x_title = canvas.truncate(&x_title, axis, right - left);
    canvas.text(
        &x_title,
        ((left + right) / 2, plot_bottom + tick_h),
        axis,
        Anchor::TopCenter,
    )?;

    let mut unit = 0.0;
    let headings = [
        (
            Side::Rising,
            &rising,
            format!(
                "Rising: more frequent in {} than in {}",
                session.label, data.reference
            ),
        ),
        (
            Side::Falling,
            &falling,
            format!(
                "Falling: less frequent in {} than in {}",
                session.label, data.reference
            ),
        ),
    ];
    let x0 = scale.x(0.0);
    for (side, rows, heading) in headings {
        let color = match side {
            Side::Rising => RISING,
            Side::Falling => FALLING,
        };
        let cy = (row_top(unit) + row_h / 2.0).round() as i32;
        // A colour key before the heading, only when the block has bars to key.
        let mut text_left = left;
        if rows.is_empty() {
            let font = Font::new(heading_font.size, MUTED).bold();
            let text = canvas.truncate(&format!("{heading}: none"), font, right - left);
            canvas.text(&text, (left, cy), font, Anchor::CenterLeft)?;
        } else {
            let half = canvas.px(6.0);
            canvas.fill_rect((left, cy - half), (left + 2 * half, cy + half), color)?;
            text_left += 2 * half + gap / 2;
            let text = canvas.truncate(&heading, heading_font, right - text_left);
            canvas.text(&text, (text_left, cy), heading_font, Anchor::CenterLeft)?;
        }
        unit += 1.0;
        for row in rows.iter() {
            draw_bar(canvas, &scale, side, row, row_top(unit), row_h, label_font)?;
            unit += 1.0;
        }
        unit += 0.6;
    }
    // Drawn after the bars so both blocks visibly start from zero.
    for (y0, y1) in blocks.into_iter().filter(|(y0, y1)| y1 > y0) {
        canvas.line(&[(x0, y0), (x0, y1)], INK, 1.5)?;
    }
    Ok(())
}

/// The first `n` bars with a finite G2 of the wanted sign.
fn pick(bars: &[KeyBar], n: usize, wanted: impl Fn(f64) -> bool) -> Vec<&KeyBar> {
    bars.iter()
        .filter(|b| b.g2.is_finite() && wanted(b.g2))
        .take(n)
        .collect()
}

/// Subtitle: the two sides of the comparison and how to read a bar.
fn header_notes(input: &ChartInput, index: usize, data: &KeynessBars) -> Vec<String> {
    let session = &input.sessions[index];
    let settings = &input.settings;
    let pooled = if data.reference_sessions == 1 {
        format!("1 {}", settings.group_one())
    } else {
        format!(
            "{} {} pooled",
            data.reference_sessions,
            settings.group_many()
        )
    };
    vec![
        format!(
            "{}: {} statement(s), {} words kept. Reference: {}, {} words.",
            session.label,
            session.docs,
            fmt_count(data.total_target),
            pooled,
            fmt_count(data.total_reference)
        ),
        format!(
            "Label: term (count in {} vs count in the reference). At the bar end: its rate here ÷ its rate in the reference (new: not in the reference). Pale bars: |G2| < 3.84, p ≥ 0.05, may be chance.",
            session.label
        ),
    ]
}

/// "terrorism (412 vs 95)": the term shortened if needed, never the counts.
fn bar_label(canvas: &Canvas<'_>, bar: &KeyBar, font: Font, room: i32) -> String {
    let counts = format!(
        " ({} vs {})",
        fmt_count(bar.count_target),
        fmt_count(bar.count_reference)
    );
    let term_room = room - canvas.text_width(&counts, font);
    canvas.truncate(bar.term.trim(), font, term_room) + &counts
}

/// Ratio of the term's rate in the session to its rate in the reference: "×8.3", "×0.31", "new".
fn ratio_note(bar: &KeyBar) -> String {
    if bar.count_reference == 0 && bar.count_target > 0 {
        return "new".to_string();
    }
    if bar.count_target == 0 {
        return "×0".to_string();
    }
    let r = bar.log_ratio.exp2();
    if !r.is_finite() {
        return String::new();
    }
    if r >= 10.0 {
        format!("×{r:.0}")
    } else if r >= 1.0 {
        format!("×{r:.1}")
    } else {
        format!("×{r:.2}")
    }
}

/// Tick text with an explicit sign, a true minus and thousands kept readable.
fn signed_tick(v: f64, step: f64) -> String {
    let text = fmt_tick(v.abs(), step);
    if v > step * 1e-9 {
        format!("+{text}")
    } else if v < -step * 1e-9 {
        format!("−{text}")
    } else {
        "0".to_string()
    }
}

/// What one side of the zero line needs: its longest bar (|G2|) and its widest label and note.
#[derive(Clone, Copy)]
struct Extent {
    magnitude: f64,
    label: i32,
    note: i32,
}

/// Pixels per unit of G2 and where zero sits.
struct Scale {
    zero: f64,
    per_unit: f64,
}

impl Scale {
    /// The largest scale at which, between `left` and `right`, rising bars (labels left of zero,
    /// notes beyond the bar end) and falling bars (mirrored) all fit; zero goes midway in the slack.
    fn fit(left: f64, right: f64, gap: f64, rising: Extent, falling: Extent) -> Scale {
        let width = right - left;
        let (lr, nr) = (f64::from(rising.label), f64::from(rising.note));
        let (lf, nf) = (f64::from(falling.label), f64::from(falling.note));
        let mut per_unit = f64::INFINITY;
        if rising.magnitude > 0.0 {
            per_unit = per_unit.min((width - 2.0 * gap - lr - nr) / rising.magnitude);
        }
        if falling.magnitude > 0.0 {
            per_unit = per_unit.min((width - 2.0 * gap - lf - nf) / falling.magnitude);
        }
        if rising.magnitude > 0.0 && falling.magnitude > 0.0 {
            per_unit = per_unit
                .min((width - 2.0 * gap - nr - nf) / (rising.magnitude + falling.magnitude));
        }
        // No bars at all, or labels wider than the chart: keep a drawable, finite scale.
        if !per_unit.is_finite() || per_unit <= 0.0 {
            per_unit = 1.0;
        }
        let lowest = (left + gap + lr).max(left + gap + nf + per_unit * falling.magnitude);
        let highest = (right - gap - lf).min(right - gap - nr - per_unit * rising.magnitude);
        let zero = if lowest <= highest {
            (lowest + highest) / 2.0
        } else {
            lowest.min(right)
        };
        Scale { zero, per_unit }
    }

    /// Pixel x of a signed G2.
    fn x(&self, g2: f64) -> f64 {
        self.zero + g2 * self.per_unit
    }

    /// Signed G2 at pixel x.
    fn value(&self, x: f64) -> f64 {
        (x - self.zero) / self.per_unit
    }
}

/// One bar with its term label on the other side of zero and its ratio note beyond its end.
fn draw_bar(
    canvas: &Canvas<'_>,
    scale: &Scale,
    side: Side,
    row: &Row,
    y0: f64,
    row_h: f64,
    font: Font,
) -> Result<(), ChartError> {
    let gap = canvas.px(GAP);
    let cy = (y0 + row_h / 2.0).round() as i32;
    let thickness = (row_h * 0.68).max(1.0);
    let yb = y0 + (row_h - thickness) / 2.0;
    let (color, signed, label_anchor, note_anchor, dir) = match side {
        Side::Rising => (
            RISING,
            row.magnitude,
            Anchor::CenterRight,
            Anchor::CenterLeft,
            1,
        ),
        Side::Falling => (
            FALLING,
            -row.magnitude,
            Anchor::CenterLeft,
            Anchor::CenterRight,
            -1,
        ),
    };
    let color = if row.magnitude < SIGNIFICANT_G2 {
        tint(color, PALE)
    } else {
        color
    };
    let (x0, x1) = (scale.x(0.0), scale.x(signed));
    let (a, b) = (x0.min(x1).round() as i32, x0.max(x1).round() as i32);
    if b > a {
        canvas.fill_rect(
            (a, yb.round() as i32),
            (b, (yb + thickness).round() as i32),
            color,
        )?;
    }
    canvas.text(
        &row.label,
        (x0.round() as i32 - dir * gap, cy),
        font,
        label_anchor,
    )?;
    canvas.text(
        &row.note,
        (x1.round() as i32 + dir * gap / 2, cy),
        Font::new(font.size, MUTED),
        note_anchor,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(term: &str, a: u64, b: u64, g2: f64, log_ratio: f64) -> KeyBar {
        KeyBar {
            term: term.to_string(),
            count_target: a,
            count_reference: b,
            g2,
            log_ratio,
        }
    }

    #[test]
    fn ratio_notes_read_as_multiples() {
        for (b, note) in [
            (bar("t", 10, 0, 5.0, 4.3), "new"),
            (bar("t", 0, 10, -5.0, -4.3), "×0"),
            (bar("t", 8, 1, 5.0, 3.0), "×8.0"),
            (bar("t", 8, 1, 5.0, 4.0), "×16"),
            (bar("t", 1, 8, -5.0, -2.0), "×0.25"),
            (bar("t", 1, 8, -5.0, f64::NAN), ""),
        ] {
            assert_eq!(ratio_note(&b), note, "{b:?}");
        }
    }

    #[test]
    fn signed_ticks_carry_their_sign() {
        assert_eq!(signed_tick(20.0, 10.0), "+20");
        assert_eq!(signed_tick(-2.5, 2.5), "−2.5");
        assert_eq!(signed_tick(1e-12, 0.5), "0");
    }

    #[test]
    fn scale_fits_both_sides_inside_the_plot() {
        let rising = Extent {
            magnitude: 100.0,
            label: 150,
            note: 40,
        };
        let falling = Extent {
            magnitude: 30.0,
            label: 120,
            note: 40,
        };
        for (r, f) in [
            (rising, falling),
            (
                rising,
                Extent {
                    magnitude: 0.0,
                    label: 0,
                    note: 0,
                },
            ),
            (
                Extent {
                    magnitude: 0.0,
                    label: 0,
                    note: 0,
                },
                falling,
            ),
        ] {
            let s = Scale::fit(0.0, 1000.0, 10.0, r, f);
            assert!(s.per_unit > 0.0 && s.per_unit.is_finite());
            // Rising: label left of zero, bar and note to its right.
            assert!(s.zero - 10.0 - f64::from(r.label) >= -1e-6);
            assert!(s.x(r.magnitude) + 10.0 + f64::from(r.note) <= 1000.0 + 1e-6);
            // Falling: mirrored.
            assert!(s.zero + 10.0 + f64::from(f.label) <= 1000.0 + 1e-6);
            assert!(s.x(-f.magnitude) - 10.0 - f64::from(f.note) >= -1e-6);
            assert!((s.value(s.x(42.0)) - 42.0).abs() < 1e-9);
        }
    }
}
