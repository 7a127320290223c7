//! Colours, markers and dashes: a colour-blind-safe palette paired with shapes that survive greyscale.

use plotters::style::RGBColor;

/// Near-black for titles and axis text.
pub(crate) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Secondary text (subtitles, footer, tick labels).
pub(crate) const MUTED: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// Grid lines: visible but behind the data.
pub(crate) const GRID: RGBColor = RGBColor(0xE3, 0xE3, 0xE3);
/// Axis lines.
pub(crate) const AXIS: RGBColor = RGBColor(0x88, 0x88, 0x88);
/// Cells or bars with no value.
pub(crate) const MISSING: RGBColor = RGBColor(0xF0, 0xF0, 0xF0);
/// "Everything else" bucket in stacked bars.
pub(crate) const OTHER: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);
pub(crate) const WHITE: RGBColor = RGBColor(0xFF, 0xFF, 0xFF);

/// Okabe-Ito, ordered so the first colours are the most distinct on white; yellow last (weak on white).
pub(crate) const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x00, 0x00, 0x00), // black
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];

/// Marker shapes; seven, so that with eight colours the pairs only repeat after 56 series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Marker {
    Circle,
    Square,
    TriangleUp,
    Diamond,
    TriangleDown,
    Cross,
    Plus,
}

const MARKERS: [Marker; 7] = [
    Marker::Circle,
    Marker::Square,
    Marker::TriangleUp,
    Marker::Diamond,
    Marker::TriangleDown,
    Marker::Cross,
    Marker::Plus,
];

/// Line dash patterns as on/off lengths in unscaled pixels; empty = solid.
pub(crate) const SOLID: &[f64] = &[];
const DASHES: [&[f64]; 3] = [SOLID, &[10.0, 5.0], &[2.0, 4.0]];
/// Dash used for the smoothed companion line.
pub(crate) const SMOOTH_DASH: &[f64] = &[7.0, 5.0];

/// How one series is drawn.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct SeriesStyle {
    pub color: RGBColor,
    pub marker: Marker,
    pub filled: bool,
    pub dash: &'static [f64],
}

/// Style for series `index`: (marker, fill, dash) is unique for the first 42 series, so 25 themes
/// stay distinguishable even when printed in greyscale.
pub(crate) fn series_style(index: usize) -> SeriesStyle {
    SeriesStyle {
        color: PALETTE[index % PALETTE.len()],
        marker: MARKERS[index % MARKERS.len()],
        filled: (index / MARKERS.len()).is_multiple_of(2),
        dash: DASHES[(index / (2 * MARKERS.len())) % DASHES.len()],
    }
}

/// `c` mixed with white: `amount` 0 keeps the colour, 1 gives white (pale bars for weak evidence).
pub(crate) fn tint(c: RGBColor, amount: f64) -> RGBColor {
    let t = if amount.is_nan() {
        0.0
    } else {
        amount.clamp(0.0, 1.0)
    };
    let mix = |v: u8| (f64::from(v) + (255.0 - f64::from(v)) * t).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// Viridis sampled at nine even stops; interpolated linearly in between (perceptually close enough).
const VIRIDIS: [(u8, u8, u8); 9] = [
    (0x44, 0x01, 0x54),
    (0x47, 0x2d, 0x7b),
    (0x3b, 0x52, 0x8b),
    (0x2c, 0x72, 0x8e),
    (0x21, 0x91, 0x8c),
    (0x28, 0xae, 0x80),
    (0x5e, 0xc9, 0x62),
    (0xad, 0xdc, 0x30),
    (0xfd, 0xe7, 0x25),
];

/// Sequential colour for `t` in [0, 1] (clamped; NaN maps to the low end).
pub(crate) fn viridis(t: f64) -> RGBColor {
    let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
    let pos = t * (VIRIDIS.len() - 1) as f64;
    let lower = (pos.floor() as usize).min(VIRIDIS.len() - 2);
    let frac = pos - lower as f64;
    let (a, b) = (VIRIDIS[lower], VIRIDIS[lower + 1]);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * frac).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// WCAG relative luminance in [0, 1].
pub(crate) fn luminance(c: RGBColor) -> f64 {
    let lin = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.039_28 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
}

/// Text colour with the higher contrast against `background`.
pub(crate) fn text_on(background: RGBColor) -> RGBColor {
    let l = luminance(background);
    // Contrast ratio against black vs white; pick the larger.
    if (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) {
        RGBColor(0, 0, 0)
    } else {
        WHITE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_42_series_styles_differ_without_colour() {
        let shapes: Vec<_> = (0..42)
            .map(|i| {
                let s = series_style(i);
                (
                    s.marker,
                    s.filled,
                    s.dash.len(),
                    s.dash.first().map(|d| *d as i64),
                )
            })
            .collect();
        for (i, a) in shapes.iter().enumerate() {
            for b in &shapes[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn viridis_ends_and_monotone_luminance() {
        assert_eq!(viridis(0.0), RGBColor(0x44, 0x01, 0x54));
        assert_eq!(viridis(1.0), RGBColor(0xfd, 0xe7, 0x25));
        assert_eq!(viridis(f64::NAN), viridis(0.0));
        let mut last = -1.0;
        for i in 0..=100 {
            let l = luminance(viridis(f64::from(i) / 100.0));
            assert!(l > last, "luminance must rise at {i}");
            last = l;
        }
    }

    #[test]
    fn tint_runs_from_the_colour_to_white() {
        let c = PALETTE[1];
        assert_eq!(tint(c, 0.0), c);
        assert_eq!(tint(c, 1.0), WHITE);
        assert_eq!(tint(c, f64::NAN), c);
        let half = tint(RGBColor(0, 100, 255), 0.5);
        assert_eq!(half, RGBColor(128, 178, 255));
    }

    #[test]
    fn text_contrast_picks_dark_on_light_and_light_on_dark() {
        assert_eq!(text_on(viridis(1.0)), RGBColor(0, 0, 0));
        assert_eq!(text_on(viridis(0.0)), WHITE);
    }
}
