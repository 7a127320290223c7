//! One series over time, drawn alike on every line chart: sparse (a marker per session, error
//! bars) or dense (no markers, the interval as a band, a rolling mean over the pale raw line).

use super::canvas::Canvas;
use super::layout::{Frame, TimeSpec, XLabel};
use super::style::{SMOOTH_DASH, SOLID, SeriesStyle, tint};
use super::{ChartError, ChartInput, dated_indices, moving_average, session_labels, time_axis};

/// How the dated sessions of a chart are laid out along x; shared by all its panels.
pub(crate) struct Timeline {
    /// Indices of the dated sessions, in time order.
    pub dated: Vec<usize>,
    /// Per dated session: its label and sample size.
    pub labels: Vec<XLabel>,
    /// Per dated session, its day, when x is true time.
    pub days: Option<Vec<f64>>,
    /// More than `dense_sessions` dated sessions: no markers, bands, the rolling mean.
    pub dense: bool,
    /// The smoothing window drawn: `smoothing` whenever set, else `rolling_mean` on dense charts.
    pub window: Option<usize>,
    /// Positions after which a long gap in time breaks the line.
    breaks: Vec<usize>,
    /// X title when calendar ticks replace the per-session labels.
    pub calendar_title: String,
}

impl Timeline {
    pub fn of(input: &ChartInput) -> Timeline {
        let settings = &input.settings;
        let dated = dated_indices(input);
        let dense = dated.len() > settings.dense_sessions;
        let days = time_axis::time_positions(
            &dated
                .iter()
                .map(|&i| input.sessions[i].day)
                .collect::<Vec<_>>(),
            settings.dense_sessions,
        );
        let smoothing = settings.smoothing.filter(|w| *w > 1);
        let rolling = settings.rolling_mean.filter(|w| *w > 1 && dense);
        Timeline {
            labels: session_labels(input, &dated),
            breaks: days.as_deref().map(time_axis::breaks).unwrap_or_default(),
            dated,
            days,
            dense,
            window: smoothing.or(rolling),
            calendar_title: format!("Date (one point per {})", settings.group_one()),
        }
    }

    /// The time axis for a panel, when x is true time.
    pub fn time_spec(&self) -> Option<TimeSpec<'_>> {
        self.days.as_deref().map(|days| TimeSpec {
            days,
            calendar_title: &self.calendar_title,
        })
    }

    /// `values` (one per session) at the dated sessions.
    pub fn pick(&self, values: &[f64]) -> Vec<f64> {
        self.dated.iter().map(|&i| values[i]).collect()
    }

    /// Runs of consecutive finite values, also split where a long gap in time breaks the line.
    pub fn runs(&self, values: &[f64]) -> Vec<Vec<usize>> {
        let mut runs: Vec<Vec<usize>> = Vec::new();
        let mut current = Vec::new();
        for (k, v) in values.iter().enumerate() {
            if v.is_finite() {
                current.push(k);
            } else if !current.is_empty() {
                runs.push(std::mem::take(&mut current));
            }
            if self.breaks.contains(&k) && !current.is_empty() {
                runs.push(std::mem::take(&mut current));
            }
        }
        if !current.is_empty() {
            runs.push(current);
        }
        runs
    }

    /// Subtitle sentences on how the series are drawn: markers or not, the smoothing, intervals
    /// (`intervals`: "Error bars", "Shaded band", or `None` when they are not drawn).
    pub fn notes(&self, input: &ChartInput, intervals: Option<&str>) -> String {
        let s = &input.settings;
        let mut text = if self.dense {
            format!(
                "{} {}: no marker per {}.",
                self.dated.len(),
                s.group_many(),
                s.group_one()
            )
        } else {
            format!(
                "One marker per {}; read points from few statements (small n) with care.",
                s.group_one()
            )
        };
        match (self.window, self.dense) {
            (Some(w), true) => text.push_str(&format!(
                " Pale line: each {}; bold line: centred rolling mean over {w} {}.",
                s.group_one(),
                s.group_many()
            )),
            (Some(w), false) => text.push_str(&format!(
                " Thin dashed line: centred moving average over {w} {}.",
                s.group_many()
            )),
            (None, _) => {}
        }
        if let Some(what) = intervals {
            text.push_str(&format!(" {what}: 95% interval."));
        }
        if self.days.is_some() {
            text.push_str(" Points sit at their dates");
            if self.breaks.is_empty() {
                text.push('.');
            } else {
                text.push_str("; the line breaks across long gaps.");
            }
        }
        text
    }
}

/// How one series looks on its chart.
#[derive(Clone, Copy)]
pub(crate) struct SeriesLook {
    pub style: SeriesStyle,
    /// Raw line width on a sparse chart, unscaled pixels.
    pub width: f64,
    /// Marker radius bounds, unscaled pixels (the radius follows the room per point).
    pub radius: (f64, f64),
    /// On a dense chart, draw the interval as a band (overlays leave it out: bands would pile up).
    pub band: bool,
}

/// Draws one series: `values` and `ci` are per dated session (as `Timeline::dated`).
pub(crate) fn draw_series(
    canvas: &Canvas<'_>,
    frame: &Frame,
    timeline: &Timeline,
    values: &[f64],
    ci: Option<&[(f64, f64)]>,
    look: SeriesLook,
) -> Result<(), ChartError> {
    let color = look.style.color;
    let points = |series: &[f64], run: &[usize]| -> Vec<(f64, f64)> {
        run.iter()
            .map(|&k| (frame.x(k), frame.y(series[k])))
            .collect()
    };
    if timeline.dense {
        if let (Some(ci), true) = (ci, look.band) {
            let lows: Vec<f64> = ci.iter().map(|c| c.0).collect();
            let highs: Vec<f64> = ci.iter().map(|c| c.1).collect();
            let both: Vec<f64> = lows
                .iter()
                .zip(&highs)
                .map(|(a, b)| if b.is_finite() { *a } else { f64::NAN })
                .collect();
            for run in timeline.runs(&both) {
                let mut outline = points(&highs, &run);
                outline.extend(points(&lows, &run).into_iter().rev());
                canvas.fill_polygon(&outline, tint(color, 0.78))?;
            }
        }
        let (raw_color, raw_width) = if timeline.window.is_some() {
            (tint(color, 0.55), 1.0)
        } else {
            (color, 1.4)
        };
        for run in timeline.runs(values) {
            canvas.line(&points(values, &run), raw_color, raw_width)?;
        }
        if let Some(w) = timeline.window {
            let smooth = moving_average(values, w);
            for run in timeline.runs(&smooth) {
                canvas.dashed_line(&points(&smooth, &run), look.style.dash, color, 2.4)?;
            }
        }
        return Ok(());
    }
    let radius = (frame.slot() / canvas.scale / 4.0).clamp(look.radius.0, look.radius.1);
    if let Some(ci) = ci {
        let cap = (radius * 0.9 * canvas.scale).max(2.0);
        for (k, &(lo, hi)) in ci.iter().enumerate() {
            if !(lo.is_finite() && hi.is_finite()) {
                continue;
            }
            let x = frame.x(k);
            let (ylo, yhi) = (frame.y(lo), frame.y(hi));
            canvas.line(&[(x, ylo), (x, yhi)], color, 1.0)?;
            canvas.line(&[(x - cap, ylo), (x + cap, ylo)], color, 1.0)?;
            canvas.line(&[(x - cap, yhi), (x + cap, yhi)], color, 1.0)?;
        }
    }
    // Missing values split the line instead of being drawn as zero.
    for run in timeline.runs(values) {
        canvas.dashed_line(&points(values, &run), look.style.dash, color, look.width)?;
    }
    if let Some(w) = timeline.window {
        let smooth = moving_average(values, w);
        for run in timeline.runs(&smooth) {
            canvas.dashed_line(&points(&smooth, &run), SMOOTH_DASH, color, 1.2)?;
        }
    }
    for (k, v) in values.iter().enumerate() {
        if v.is_finite() {
            let at = (frame.x(k), frame.y(*v));
            canvas.marker(look.style.marker, look.style.filled, at, radius, color)?;
        }
    }
    Ok(())
}

/// A plain solid style in `color` (legend keys of dense charts, watch terms).
pub(crate) fn solid(style: SeriesStyle) -> SeriesStyle {
    SeriesStyle {
        dash: SOLID,
        ..style
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::charts::layout::{PanelSpec, Rect, draw_panel, tick_font};
    use crate::write::charts::time_axis::{days_from_civil, fits};
    use crate::write::charts::{
        ChartSettings, PatternSeries, SessionPoint, ThemeSeries, canvas, render_all,
    };

    /// One session per year in `years` (at mid-year), two themes with intervals.
    fn yearly(years: &[i32]) -> ChartInput {
        let n = years.len();
        let sessions = years
            .iter()
            .map(|&y| SessionPoint {
                label: y.to_string(),
                docs: 12,
                kept_tokens: 20_000,
                dated: true,
                day: Some(days_from_civil(y, 7, 2)),
            })
            .collect();
        let themes = (0..2)
            .map(|t| {
                let per_1000: Vec<f64> = (0..n)
                    .map(|k| 1.0 + t as f64 + (k as f64 * 0.3).sin())
                    .collect();
                let hits: Vec<u64> = per_1000.iter().map(|v| (v * 20.0) as u64).collect();
                ThemeSeries {
                    name: format!("Theme {t}"),
                    ci: Some(per_1000.iter().map(|v| (v * 0.8, v * 1.2)).collect()),
                    patterns: vec![PatternSeries {
                        pattern: "p".into(),
                        hits: hits.clone(),
                    }],
                    per_1000,
                    hits,
                }
            })
            .collect();
        ChartInput {
            sessions,
            themes,
            footer: "test".into(),
            settings: ChartSettings {
                group_label: "Year".into(),
                session_charts: 1,
                ..ChartSettings::default()
            },
            ..ChartInput::default()
        }
    }

    /// Draws the panel the trend chart draws for `input` inside `outer` and returns its frame.
    fn panel(input: &ChartInput, outer: Rect) -> Frame {
        let timeline = Timeline::of(input);
        let mut frame = None;
        canvas::render_png("test", (1600, 900), 1.0, |c| {
            let spec = PanelSpec {
                labels: &timeline.labels,
                time: timeline.time_spec(),
                y_max: 3.0,
                y_title: "Per 1,000 words",
                x_title: Some("Year"),
                heading: None,
                x_labels: true,
            };
            frame = Some(draw_panel(c, outer, &spec)?);
            Ok(())
        })
        .unwrap();
        frame.unwrap()
    }

    const WIDE: Rect = Rect {
        left: 24,
        top: 120,
        right: 1350,
        bottom: 820,
    };

    #[test]
    fn dated_sessions_land_at_their_dates() {
        let years = [1990, 1991, 1992, 2002, 2003];
        let input = yearly(&years);
        let frame = panel(&input, WIDE);
        let days: Vec<f64> = years
            .iter()
            .map(|&y| days_from_civil(y, 7, 2) as f64)
            .collect();
        let xs: Vec<f64> = (0..years.len()).map(|k| frame.x(k)).collect();
        let per_day = (xs[1] - xs[0]) / (days[1] - days[0]);
        for k in 1..years.len() {
            let want = per_day * (days[k] - days[k - 1]);
            assert!((xs[k] - xs[k - 1] - want).abs() < 1e-6, "{xs:?}");
        }
        // The ten-year gap is ten one-year gaps wide, and every point is inside the plot.
        assert!(
            ((xs[3] - xs[2]) / (xs[1] - xs[0]) - 10.0).abs() < 0.03,
            "{xs:?}"
        );
        let plot = frame.plot;
        assert!(
            xs.iter()
                .all(|&x| x > f64::from(plot.left) && x < f64::from(plot.right))
        );
        // Five points with room for their labels keep them, at their dates.
        assert!(frame.ticks.is_empty());

        // Evenly spaced years keep the evenly spaced categories of old.
        let even = yearly(&(1990..2005).collect::<Vec<_>>());
        assert!(Timeline::of(&even).days.is_none());
        let frame = panel(&even, WIDE);
        let slot = frame.slot();
        assert!((frame.x(1) - frame.x(0) - slot).abs() < 1e-9);
    }

    /// 1780 to 2018 without the 1860s: 229 yearly sessions, one ten-year gap.
    fn two_centuries() -> ChartInput {
        let years: Vec<i32> = (1780..=2018)
            .filter(|y| !(1861..=1870).contains(y))
            .collect();
        assert_eq!(years.len(), 229);
        yearly(&years)
    }

    #[test]
    fn two_hundred_twenty_nine_years_get_calendar_labels_that_never_overlap() {
        let input = two_centuries();
        let timeline = Timeline::of(&input);
        assert!(timeline.dense && timeline.days.is_some());
        assert_eq!(
            timeline.window,
            Some(9),
            "the rolling mean comes with density"
        );
        assert_eq!(
            timeline.runs(&vec![1.0; 229]).len(),
            2,
            "the 1860s gap breaks the line"
        );
        // The overlay's plot and a narrow small-multiples panel (three columns).
        for outer in [
            WIDE,
            Rect {
                left: 24,
                top: 500,
                right: 440,
                bottom: 820,
            },
        ] {
            let frame = panel(&input, outer);
            let ticks = &frame.ticks;
            assert!(ticks.len() >= 3, "{ticks:?}");
            let gap = f64::from(canvas_tick_height());
            let (l, r) = (f64::from(frame.plot.left), f64::from(frame.plot.right));
            assert!(fits(ticks, gap, l - 18.0, r + 18.0), "{ticks:?}");
            let years: Vec<i32> = ticks.iter().map(|t| t.label.parse().unwrap()).collect();
            assert!(years.windows(2).all(|w| w[1] > w[0]), "{years:?}");
            // Ticks sit at the first of January of their year.
            for t in ticks {
                let y: i32 = t.label.parse().unwrap();
                assert!((t.x - frame.x_of_day(days_from_civil(y, 1, 1) as f64)).abs() < 1e-9);
            }
        }
    }

    /// The tick label height: the least room between two tick labels.
    fn canvas_tick_height() -> i32 {
        let mut h = 0;
        canvas::render_png("test", (200, 200), 1.0, |c| {
            h = c.line_height(tick_font());
            Ok(())
        })
        .unwrap();
        h
    }

    #[test]
    fn dense_charts_render_as_panels_and_sparse_ones_as_before() {
        let input = two_centuries();
        let charts = render_all(&input).unwrap();
        assert!(charts.iter().all(|c| c.png.starts_with(b"\x89PNG")));
        assert!(
            Timeline::of(&input)
                .notes(&input, Some("Shaded band"))
                .contains("229 years: no marker per year")
        );
        let sparse = yearly(&[2001, 2002, 2003]);
        let timeline = Timeline::of(&sparse);
        assert!(!timeline.dense && timeline.window.is_none() && timeline.days.is_none());
        assert_eq!(
            timeline.notes(&sparse, Some("Error bars")),
            "One marker per year; read points from few statements (small n) with care. Error bars: 95% interval."
        );
    }
}
