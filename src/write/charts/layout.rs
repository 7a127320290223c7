//! Shared chart scaffolding: title block, footer, y axis with nice ticks, category x labels, legend.

use plotters::style::RGBColor;

use super::ChartError;
use super::canvas::{Anchor, Canvas, Font};
use super::style::{AXIS, GRID, INK, MUTED, SMOOTH_DASH, SeriesStyle};
use super::time_axis::{self, PlacedTick};

/// Outer margin around everything, unscaled pixels.
pub(crate) const MARGIN: f64 = 24.0;
/// Gap between neighbouring blocks, unscaled pixels.
pub(crate) const GAP: f64 = 10.0;
/// Minimum room for y tick labels, unscaled pixels.
const TICK_LABEL_RESERVE: f64 = 44.0;

pub(crate) fn title_font() -> Font {
    Font::new(26.0, INK).bold()
}
pub(crate) fn subtitle_font() -> Font {
    Font::new(15.0, MUTED)
}
pub(crate) fn axis_title_font() -> Font {
    Font::new(15.0, INK)
}
pub(crate) fn tick_font() -> Font {
    Font::new(13.0, MUTED)
}
pub(crate) fn legend_font() -> Font {
    Font::new(14.0, INK)
}
fn footer_font() -> Font {
    Font::new(12.0, MUTED)
}

/// A pixel rectangle: left/top inclusive, right/bottom exclusive.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Rect {
    pub left: i32,
    pub top: i32,
    pub right: i32,
    pub bottom: i32,
}

impl Rect {
    pub fn width(&self) -> i32 {
        self.right - self.left
    }
    pub fn height(&self) -> i32 {
        self.bottom - self.top
    }
}

/// Draws title and subtitle lines at the top; returns the y below them.
pub(crate) fn draw_header(
    canvas: &Canvas<'_>,
    title: &str,
    subtitle: &[String],
) -> Result<i32, ChartError> {
    let left = canvas.px(MARGIN);
    let width = canvas.width - 2 * left;
    let mut y = canvas.px(MARGIN * 0.7);
    let title = canvas.truncate(title, title_font(), width);
    canvas.text(&title, (left, y), title_font(), Anchor::TopLeft)?;
    y += canvas.line_height(title_font()) + canvas.px(2.0);
    for paragraph in subtitle {
        let font = subtitle_font();
        let lines = canvas
            .wrap(paragraph, font, width, 2)
            .unwrap_or_else(|| vec![canvas.truncate(paragraph, font, width)]);
        for line in lines {
            canvas.text(&line, (left, y), font, Anchor::TopLeft)?;
            y += canvas.line_height(font);
        }
    }
    Ok(y + canvas.px(GAP))
}

/// Draws the footer (wrapped to two lines at most) at the bottom; returns the y above it.
pub(crate) fn draw_footer(canvas: &Canvas<'_>, footer: &str) -> Result<i32, ChartError> {
    let left = canvas.px(MARGIN);
    let width = canvas.width - 2 * left;
    let font = footer_font();
    let lines = canvas
        .wrap(footer, font, width, 2)
        .unwrap_or_else(|| vec![canvas.truncate(footer, font, width)]);
    let line_h = canvas.line_height(font);
    let bottom = canvas.height - canvas.px(MARGIN * 0.6);
    let top = bottom - line_h * lines.len() as i32;
    for (i, line) in lines.iter().enumerate() {
        canvas.text(line, (left, top + line_h * i as i32), font, Anchor::TopLeft)?;
    }
    // A hairline separates provenance from the chart.
    let rule_y = f64::from(top - canvas.px(6.0));
    canvas.line(
        &[
            (f64::from(left), rule_y),
            (f64::from(canvas.width - left), rule_y),
        ],
        GRID,
        1.0,
    )?;
    Ok(top - canvas.px(GAP + 6.0))
}

/// A whole chart that only says why there is nothing to show.
pub(crate) fn draw_no_data(
    canvas: &Canvas<'_>,
    title: &str,
    reason: &str,
    footer: &str,
) -> Result<(), ChartError> {
    let top = draw_header(canvas, title, &[])?;
    let bottom = draw_footer(canvas, footer)?;
    let centre = (canvas.width / 2, (top + bottom) / 2);
    canvas.text(
        "No data",
        centre,
        Font::new(30.0, MUTED).bold(),
        Anchor::Center,
    )?;
    let reason = canvas.truncate(
        reason,
        subtitle_font(),
        canvas.width - 2 * canvas.px(MARGIN),
    );
    let below = (centre.0, centre.1 + canvas.px(30.0));
    canvas.text(&reason, below, subtitle_font(), Anchor::Center)
}

/// A 1-2-2.5-5 tick step giving about `target` intervals up to `max`, and the axis top it implies.
pub(crate) fn nice_ticks(max: f64, target: usize) -> (f64, f64) {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let raw = max / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    let top = (max / step - 1e-9).ceil().max(1.0) * step;
    (step, top)
}

/// Decimal places that show a tick step without noise.
fn decimals_for(step: f64) -> usize {
    if step >= 1.0 {
        if (step - step.round()).abs() < 1e-9 {
            0
        } else {
            1
        }
    } else {
        let d = (-step.log10()).ceil() as usize;
        // 0.25 needs one more place than its magnitude suggests.
        if ((step * 10f64.powi(d as i32)) - (step * 10f64.powi(d as i32)).round()).abs() > 1e-6 {
            d + 1
        } else {
            d
        }
    }
}

/// Formats an axis tick value with just the decimals its step needs.
pub(crate) fn fmt_tick(v: f64, step: f64) -> String {
    format!("{:.*}", decimals_for(step), v)
}

/// Formats a rate for in-chart labels: about three significant digits.
pub(crate) fn fmt_rate(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let a = v.abs();
    if a >= 100.0 {
        format!("{v:.0}")
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// Formats a count with thousands separators.
pub(crate) fn fmt_count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One category on the x axis: its label and the sample-size note printed under it.
#[derive(Clone, Debug)]
pub(crate) struct XLabel {
    pub text: String,
    pub note: String,
}

/// How the x labels of a panel are laid out.
pub(crate) struct XPlan {
    vertical: bool,
    /// Lines per label (horizontal) or the single rotated string (vertical).
    lines: Vec<Vec<String>>,
    /// Only every `step`-th label is drawn, counted back from the most recent.
    pub step: usize,
    pub height: i32,
    /// On a time axis whose points cannot each carry a label: calendar ticks instead.
    pub calendar: Vec<PlacedTick>,
}

impl XPlan {
    fn empty() -> Self {
        XPlan {
            vertical: false,
            lines: Vec::new(),
            step: 1,
            height: 0,
            calendar: Vec::new(),
        }
    }
}

/// Chooses horizontal (wrapped) labels when they fit their slots, else rotated and thinned ones.
pub(crate) fn plan_x_labels(
    canvas: &Canvas<'_>,
    labels: &[XLabel],
    plot_width: i32,
    max_height: i32,
) -> XPlan {
    let slot = f64::from(plot_width) / labels.len().max(1) as f64;
    plan_x_labels_in(canvas, labels, slot, max_height)
}

/// As `plan_x_labels`, for labels at least `slot` pixels apart.
fn plan_x_labels_in(canvas: &Canvas<'_>, labels: &[XLabel], slot: f64, max_height: i32) -> XPlan {
    let font = tick_font();
    let line_h = canvas.line_height(font);
    let fit = (slot * 0.92) as i32;
    let horizontal: Option<Vec<Vec<String>>> = labels
        .iter()
        .map(|l| {
            let mut lines = canvas.wrap(&l.text, font, fit, 2)?;
            if lines.iter().any(|s| s.ends_with('…')) || canvas.text_width(&l.note, font) > fit {
                return None;
            }
            lines.push(l.note.clone());
            Some(lines)
        })
        .collect();
    if let Some(lines) = horizontal {
        let rows = lines.iter().map(Vec::len).max().unwrap_or(1) as i32;
        return XPlan {
            vertical: false,
            lines,
            step: 1,
            height: rows * line_h + canvas.px(6.0),
            calendar: Vec::new(),
        };
    }
    let max_len = max_height.min(canvas.px(240.0)).max(canvas.px(40.0));
    let lines: Vec<Vec<String>> = labels
        .iter()
        .map(|l| {
            // Shorten the label, never the sample size.
            let note = format!(" · {}", l.note);
            let room = max_len - canvas.text_width(&note, font);
            vec![canvas.truncate_middle(&l.text, font, room) + &note]
        })
        .collect();
    let longest = lines
        .iter()
        .map(|l| canvas.text_width(&l[0], font))
        .max()
        .unwrap_or(0);
    let step = ((f64::from(line_h) * 1.1) / slot).ceil().max(1.0) as usize;
    XPlan {
        vertical: true,
        lines,
        step,
        height: longest + canvas.px(8.0),
        calendar: Vec::new(),
    }
}

/// Calendar ticks for a time axis from `left` to `right` pixels showing `span` (days): years or
/// months, as many as fit with room between their labels.
pub(crate) fn plan_time_ticks(
    canvas: &Canvas<'_>,
    span: (f64, f64),
    left: i32,
    right: i32,
) -> Vec<PlacedTick> {
    let font = tick_font();
    let width_of = |s: &str| canvas.text_width(s, font);
    // At least a label's height apart, and never closer than 12 unscaled pixels.
    let gap = f64::from(canvas.px(12.0).max(canvas.line_height(font)));
    time_axis::plan_calendar(
        span,
        (f64::from(left), f64::from(right)),
        &width_of,
        gap,
        f64::from(canvas.px(MARGIN * 0.75)),
    )
}

/// Labels for a time axis: one per point when they fit between the closest two points,
/// else calendar ticks.
fn plan_time_labels(
    canvas: &Canvas<'_>,
    labels: &[XLabel],
    days: &[f64],
    (left, right): (i32, i32),
    max_height: i32,
) -> XPlan {
    let span = time_axis::domain(days);
    let px_per_day = f64::from(right - left) / (span.1 - span.0);
    let closest = days
        .windows(2)
        .map(|w| (w[1] - w[0]) * px_per_day)
        .fold(f64::from(right - left), f64::min);
    let per_point = plan_x_labels_in(canvas, labels, closest, max_height);
    if !per_point.vertical {
        return per_point;
    }
    XPlan {
        vertical: false,
        lines: Vec::new(),
        step: 1,
        height: canvas.line_height(tick_font()) + canvas.px(6.0),
        calendar: plan_time_ticks(canvas, span, left, right),
    }
}

/// A plotting frame: pixel box of the data region, category count and the y scale.
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    pub plot: Rect,
    pub categories: usize,
    pub y_top: f64,
    /// On a time axis: each point's day and the span of days the plot shows.
    pub time: Option<(Vec<f64>, (f64, f64))>,
    /// Calendar ticks drawn under the plot (labelled when the panel has x labels).
    pub ticks: Vec<PlacedTick>,
}

impl Frame {
    /// Room per point: the category width, or on a time axis the distance between the two closest points.
    pub fn slot(&self) -> f64 {
        let width = f64::from(self.plot.width());
        match &self.time {
            None => width / self.categories.max(1) as f64,
            Some((days, _)) => days
                .windows(2)
                .map(|w| self.x_of_day(w[1]) - self.x_of_day(w[0]))
                .fold(width, f64::min),
        }
    }
    /// Centre x of category `i`, or of point `i` at its day on a time axis.
    pub fn x(&self, i: usize) -> f64 {
        match &self.time {
            Some((days, _)) => self.x_of_day(days[i]),
            None => f64::from(self.plot.left) + (i as f64 + 0.5) * self.slot(),
        }
    }
    /// Pixel x of a day on a time axis (the plot's left edge on a category axis).
    pub fn x_of_day(&self, day: f64) -> f64 {
        let Some((_, (lo, hi))) = &self.time else {
            return f64::from(self.plot.left);
        };
        f64::from(self.plot.left) + (day - lo) / (hi - lo) * f64::from(self.plot.width())
    }
    /// Pixel y of value `v` (clamped into the plot so stray values never draw over labels).
    pub fn y(&self, v: f64) -> f64 {
        let t = if self.y_top > 0.0 {
            v / self.y_top
        } else {
            0.0
        };
        let t = if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            0.0
        };
        f64::from(self.plot.bottom) - t * f64::from(self.plot.height())
    }
}

/// A true time axis: the day of each point, and the x title used when calendar ticks
/// replace the per-point labels (which carry the sample sizes the usual title mentions).
#[derive(Clone, Copy)]
pub(crate) struct TimeSpec<'a> {
    pub days: &'a [f64],
    pub calendar_title: &'a str,
}

/// What a category panel shows around its data.
pub(crate) struct PanelSpec<'a> {
    pub labels: &'a [XLabel],
    /// Points at their days instead of evenly spaced categories.
    pub time: Option<TimeSpec<'a>>,
    pub y_max: f64,
    pub y_title: &'a str,
    pub x_title: Option<&'a str>,
    /// Panel heading drawn above the plot (small multiples).
    pub heading: Option<&'a str>,
    /// False for stacked panels that share the x labels of the panel below.
    pub x_labels: bool,
}

/// Draws the axes, grid and labels of a panel inside `outer` and returns its frame.
pub(crate) fn draw_panel(
    canvas: &Canvas<'_>,
    outer: Rect,
    spec: &PanelSpec<'_>,
) -> Result<Frame, ChartError> {
    let tick = tick_font();
    let axis = axis_title_font();
    let gap = canvas.px(GAP * 0.6);
    let mut top = outer.top;
    if let Some(heading) = spec.heading {
        let font = Font::new(14.0, INK).bold();
        let text = canvas.truncate(heading, font, outer.width());
        canvas.text(&text, (outer.left, top), font, Anchor::TopLeft)?;
        top += canvas.line_height(font) + gap;
    }
    // Leave half a tick label of room so the top tick label is not clipped.
    top += canvas.line_height(tick) / 2;
    let y_title_w = if spec.y_title.is_empty() {
        0
    } else {
        canvas.line_height(axis) + gap
    };
    let x_title_h = if spec.x_title.is_some() {
        canvas.line_height(axis) + gap
    } else {
        0
    };
    let rough_height = (outer.bottom - top - x_title_h).max(1);
    let target = (rough_height / canvas.px(70.0)).clamp(2, 10) as usize;
    let (step, y_top) = nice_ticks(spec.y_max, target);
    let decimals = decimals_for(step);
    let tick_count = (y_top / step).round() as usize;
    let tick_labels: Vec<String> = (0..=tick_count)
        .map(|k| format!("{:.*}", decimals, k as f64 * step))
        .collect();
    // A fixed minimum keeps stacked panels and small multiples aligned on the same x positions.
    let tick_w = tick_labels
        .iter()
        .map(|t| canvas.text_width(t, tick))
        .max()
        .unwrap_or(0)
        .max(canvas.px(TICK_LABEL_RESERVE));
    let left = outer.left + y_title_w + tick_w + gap;
    let right = outer.right;
    let plan = match (spec.x_labels, spec.time) {
        (true, Some(t)) => {
            plan_time_labels(canvas, spec.labels, t.days, (left, right), rough_height / 3)
        }
        (true, None) => plan_x_labels(canvas, spec.labels, right - left, rough_height / 3),
        (false, _) => XPlan::empty(),
    };
    let bottom = outer.bottom - x_title_h - plan.height - gap;
    let mut frame = Frame {
        plot: Rect {
            left,
            top,
            right,
            bottom: bottom.max(top + 1),
        },
        categories: spec.labels.len(),
        y_top,
        time: spec
            .time
            .map(|t| (t.days.to_vec(), time_axis::domain(t.days))),
        ticks: Vec::new(),
    };
    let (l, r) = (f64::from(left), f64::from(right));
    for (k, label) in tick_labels.iter().enumerate() {
        let y = frame.y(k as f64 * step);
        if k > 0 {
            canvas.line(&[(l, y), (r, y)], GRID, 1.0)?;
        }
        canvas.text(
            label,
            (left - gap, y.round() as i32),
            tick,
            Anchor::CenterRight,
        )?;
    }
    let b = f64::from(frame.plot.bottom);
    // Calendar ticks: faint vertical lines so a point's date can be read across the plot.
    let calendar = match &frame.time {
        Some((_, span)) if plan.calendar.is_empty() && !spec.x_labels => {
            plan_time_ticks(canvas, *span, left, right)
        }
        _ => plan.calendar.clone(),
    };
    for t in &calendar {
        canvas.line(&[(t.x, f64::from(top)), (t.x, b)], GRID, 1.0)?;
    }
    canvas.line(&[(l, f64::from(top)), (l, b), (r, b)], AXIS, 1.0)?;
    if !spec.y_title.is_empty() {
        let mid = (top + frame.plot.bottom) / 2;
        let (title, axis) = canvas.fit(spec.y_title, axis, frame.plot.height().max(1));
        canvas.text(
            &title,
            (outer.left, mid),
            axis.vertical(),
            Anchor::TopCenter,
        )?;
    }
    let tick_len = f64::from(canvas.px(4.0));
    if !calendar.is_empty() {
        for t in &calendar {
            canvas.line(&[(t.x, b), (t.x, b + tick_len)], AXIS, 1.0)?;
            if spec.x_labels {
                let at = (t.x.round() as i32, frame.plot.bottom + gap);
                canvas.text(&t.label, at, Font::new(tick.size, INK), Anchor::TopCenter)?;
            }
        }
    } else if spec.x_labels {
        draw_x_labels(canvas, &plan, &|i| frame.x(i), frame.plot.bottom)?;
    } else {
        for i in 0..frame.categories {
            let x = frame.x(i);
            canvas.line(&[(x, b), (x, b + tick_len)], AXIS, 1.0)?;
        }
    }
    frame.ticks = calendar;
    if let Some(x_title) = spec.x_title {
        let y = frame.plot.bottom + gap + plan.height + gap;
        let x_title = match spec.time {
            Some(t) if !plan.calendar.is_empty() => t.calendar_title,
            _ => x_title,
        };
        let title = if plan.step > 1 {
            format!("{x_title} (1 label in {} shown)", plan.step)
        } else {
            x_title.to_string()
        };
        let centre = (left + right) / 2;
        canvas.text(
            &canvas.truncate(&title, axis, right - left),
            (centre, y),
            axis,
            Anchor::TopCenter,
        )?;
    }
    Ok(frame)
}

/// Draws planned x labels under an axis at pixel row `axis_y`, category `i` centred at `x_of(i)`.
pub(crate) fn draw_x_labels(
    canvas: &Canvas<'_>,
    plan: &XPlan,
    x_of: &dyn Fn(usize) -> f64,
    axis_y: i32,
) -> Result<(), ChartError> {
    let tick = tick_font();
    let gap = canvas.px(GAP * 0.6);
    let label_top = axis_y + gap;
    let b = f64::from(axis_y);
    let n = plan.lines.len();
    for (i, lines) in plan.lines.iter().enumerate() {
        if !(n - 1 - i).is_multiple_of(plan.step) {
            continue;
        }
        let x = x_of(i);
        canvas.line(&[(x, b), (x, b + f64::from(canvas.px(4.0)))], AXIS, 1.0)?;
        if plan.vertical {
            canvas.text(
                &lines[0],
                (x.round() as i32, label_top),
                tick.vertical(),
                Anchor::CenterRight,
            )?;
        } else {
            let line_h = canvas.line_height(tick);
            for (row, line) in lines.iter().enumerate() {
                // The sample-size note is always the last line; keep it muted, the label in ink.
                let font = if row + 1 == lines.len() {
                    tick
                } else {
                    Font::new(tick.size, INK)
                };
                let y = label_top + line_h * row as i32;
                canvas.text(line, (x.round() as i32, y), font, Anchor::TopCenter)?;
            }
        }
    }
    Ok(())
}

/// Columns for `count` panels that keep each panel closest to a 1.6:1 shape.
pub(crate) fn grid_columns(count: usize, width: f64, height: f64) -> usize {
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

/// Panel `k` of a grid of `cols` columns filling `area`: its box, its column, and whether no
/// panel sits below it (only those carry x labels).
pub(crate) fn grid_cell(
    canvas: &Canvas<'_>,
    area: Rect,
    count: usize,
    cols: usize,
    k: usize,
) -> (Rect, usize, bool) {
    let rows = count.div_ceil(cols.max(1));
    let gap = canvas.px(GAP * 2.0);
    let panel_w = (area.width() - gap * (cols as i32 - 1)) / cols as i32;
    let panel_h = (area.height() - gap * (rows as i32 - 1)) / rows as i32;
    let (row, col) = (k / cols, k % cols);
    let left = area.left + col as i32 * (panel_w + gap);
    let top = area.top + row as i32 * (panel_h + gap);
    let outer = Rect {
        left,
        top,
        right: left + panel_w,
        bottom: top + panel_h,
    };
    (outer, col, k + cols >= count)
}

/// What a legend entry's key looks like.
#[derive(Clone, Copy, Debug)]
pub(crate) enum LegendKey {
    Series(SeriesStyle),
    Swatch(RGBColor),
    /// A dashed line in the given colour (smoothed series).
    Dashed(RGBColor),
    /// A series drawn without markers (dense charts): its line, `width` unscaled pixels.
    Line(SeriesStyle, f64),
}

#[derive(Clone, Debug)]
pub(crate) struct LegendEntry {
    pub key: LegendKey,
    pub label: String,
}

/// Width the legend needs for `entries`, bounded to a share of the chart width.
pub(crate) fn legend_width(canvas: &Canvas<'_>, title: &str, entries: &[LegendEntry]) -> i32 {
    if entries.is_empty() {
        return 0;
    }
    let font = legend_font();
    let key_w = canvas.px(46.0);
    let widest = entries
        .iter()
        .map(|e| canvas.text_width(&e.label, font))
        .max()
        .unwrap_or(0);
    let title_w = canvas.text_width(title, Font::new(font.size, INK).bold());
    let wanted = (key_w + widest).max(title_w) + canvas.px(GAP);
    // Never more than a quarter of the chart, even when that is below the usual minimum.
    wanted
        .max(canvas.px(140.0))
        .min((f64::from(canvas.width) * 0.26) as i32)
}

/// Draws the legend in `area` (outside the plot); entries that do not fit are summarised.
pub(crate) fn draw_legend(
    canvas: &Canvas<'_>,
    area: Rect,
    title: &str,
    entries: &[LegendEntry],
) -> Result<(), ChartError> {
    if entries.is_empty() {
        return Ok(());
    }
    let mut font = legend_font();
    let key_w = canvas.px(46.0);
    let title_font = Font::new(font.size, INK).bold();
    let mut y = area.top;
    canvas.text(
        &canvas.truncate(title, title_font, area.width()),
        (area.left, y),
        title_font,
        Anchor::TopLeft,
    )?;
    y += canvas.line_height(title_font) + canvas.px(4.0);
    let available = area.bottom - y;
    // Shrink the text before dropping entries; 10 points stays legible.
    while font.size > 10.0 && canvas.line_height(font) * entries.len() as i32 > available {
        font.size -= 1.0;
    }
    let row_h = canvas.line_height(font).max(canvas.px(14.0));
    let text_w = area.width() - key_w;
    let spacing = canvas.px(3.0);
    let wrapped: Vec<Vec<String>> = entries
        .iter()
        .map(|e| {
            canvas
                .wrap(&e.label, font, text_w, 2)
                .unwrap_or_else(|| vec![canvas.truncate(&e.label, font, text_w)])
        })
        .collect();
    let wrapped_height: i32 = wrapped
        .iter()
        .map(|l| row_h * l.len() as i32 + spacing)
        .sum();
    // Wrap long names when everything still fits; otherwise one truncated line each.
    let labels: Vec<Vec<String>> = if wrapped_height <= available {
        wrapped
    } else {
        entries
            .iter()
            .map(|e| vec![canvas.truncate(&e.label, font, text_w)])
            .collect()
    };
    let capacity = (available / (row_h + spacing)).max(1) as usize;
    let shown = if entries.len() > capacity {
        capacity.saturating_sub(1)
    } else {
        entries.len()
    };
    for (entry, lines) in entries[..shown].iter().zip(&labels) {
        let cy = f64::from(y + row_h / 2);
        let (x0, x1) = (
            f64::from(area.left),
            f64::from(area.left + key_w - canvas.px(8.0)),
        );
        match entry.key {
            LegendKey::Series(style) => {
                canvas.dashed_line(&[(x0, cy), (x1, cy)], style.dash, style.color, 2.0)?;
                canvas.marker(
                    style.marker,
                    style.filled,
                    ((x0 + x1) / 2.0, cy),
                    5.0,
                    style.color,
                )?;
            }
            LegendKey::Swatch(color) => {
                let h = canvas.px(6.0);
                let a = ((x0 + 6.0) as i32, cy as i32 - h);
                let b = ((x1 - 6.0) as i32, cy as i32 + h);
                canvas.fill_rect(a, b, color)?;
            }
            LegendKey::Dashed(color) => {
                canvas.dashed_line(&[(x0, cy), (x1, cy)], SMOOTH_DASH, color, 1.5)?;
            }
            LegendKey::Line(style, width) => {
                canvas.dashed_line(&[(x0, cy), (x1, cy)], style.dash, style.color, width)?;
            }
        }
        for (row, line) in lines.iter().enumerate() {
            canvas.text(
                line,
                (area.left + key_w, y + row_h * row as i32 + row_h / 2),
                font,
                Anchor::CenterLeft,
            )?;
        }
        y += row_h * lines.len() as i32 + spacing;
    }
    if shown < entries.len() {
        let more = format!("+ {} more", entries.len() - shown);
        let more = canvas.truncate(&more, Font::new(font.size, MUTED), area.width());
        canvas.text(
            &more,
            (area.left, y + row_h / 2),
            Font::new(font.size, MUTED),
            Anchor::CenterLeft,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_columns_keep_panels_wide() {
        for (count, cols) in [(1, 1), (2, 2), (4, 2), (6, 3), (12, 4)] {
            assert_eq!(grid_columns(count, 1200.0, 700.0), cols, "{count} panels");
        }
    }

    #[test]
    fn nice_ticks_cover_the_maximum_with_round_steps() {
        for (max, target, step, top) in [
            (7.3, 5, 2.0, 8.0),
            (0.42, 4, 0.2, 0.6),
            (100.0, 5, 20.0, 100.0),
            (0.0, 5, 0.2, 1.0),
            (f64::NAN, 5, 0.2, 1.0),
            (1234.0, 6, 250.0, 1250.0),
        ] {
            let (s, t) = nice_ticks(max, target);
            assert!((s - step).abs() < 1e-9, "{max}: step {s}");
            assert!((t - top).abs() < 1e-9, "{max}: top {t}");
        }
    }

    #[test]
    fn counts_get_thousands_separators() {
        for (n, s) in [
            (0, "0"),
            (999, "999"),
            (1000, "1,000"),
            (1234567, "1,234,567"),
        ] {
            assert_eq!(fmt_count(n), s);
        }
    }

    #[test]
    fn tick_decimals_match_step() {
        for (step, d) in [
            (1.0, 0),
            (20.0, 0),
            (2.5, 1),
            (0.5, 1),
            (0.25, 2),
            (0.02, 2),
        ] {
            assert_eq!(decimals_for(step), d, "{step}");
        }
    }
}
