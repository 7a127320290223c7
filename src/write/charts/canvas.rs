//! Pixel-space drawing primitives over plotters' bitmap backend, plus deterministic PNG encoding.

use plotters::coord::Shift;
use plotters::prelude::{
    BitMapBackend, Circle, DrawingArea, IntoDrawingArea, PathElement, Polygon, Rectangle, Text,
};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{
    Color, FontDesc, FontFamily, FontStyle, FontTransform, RGBColor, ShapeStyle, TextStyle,
};

use std::cell::RefCell;
use std::collections::BTreeSet;

use super::ChartError;
use super::font::Face;
use super::shaping::{self, Run};
use super::style::{Marker, WHITE};

/// Where a text's anchor sits relative to the text.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Anchor {
    TopLeft,
    TopCenter,
    CenterLeft,
    Center,
    CenterRight,
}

/// For DejaVu Sans drawn at ab_glyph scale `size` (ascent-descent = size): how far capitals reach above
/// plotters' top anchor, and where their middle falls below it, as fractions of `size`.
const CAP_TOP: f64 = 0.13;
const CAP_MIDDLE: f64 = 0.19;

impl Anchor {
    /// Horizontal placement goes to plotters; vertical is always "top" and corrected in `Canvas::text`.
    fn pos(self) -> Pos {
        Pos::new(self.horizontal(), VPos::Top)
    }

    fn horizontal(self) -> HPos {
        match self {
            Anchor::TopLeft | Anchor::CenterLeft => HPos::Left,
            Anchor::TopCenter | Anchor::Center => HPos::Center,
            Anchor::CenterRight => HPos::Right,
        }
    }

    /// Text-frame offset from plotters' top anchor to where this anchor wants the text, in pixels.
    fn vertical_shift(self, size: f64) -> f64 {
        match self {
            Anchor::TopLeft | Anchor::TopCenter => CAP_TOP * size,
            Anchor::CenterLeft | Anchor::Center | Anchor::CenterRight => -CAP_MIDDLE * size,
        }
    }
}

/// A text request: size in unscaled points, colour, weight, and whether it reads bottom-to-top.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Font {
    pub size: f64,
    pub color: RGBColor,
    pub bold: bool,
    pub vertical: bool,
}

impl Font {
    pub fn new(size: f64, color: RGBColor) -> Self {
        Font {
            size,
            color,
            bold: false,
            vertical: false,
        }
    }
    pub fn bold(self) -> Self {
        Font { bold: true, ..self }
    }
    pub fn vertical(self) -> Self {
        Font {
            vertical: true,
            ..self
        }
    }
}

/// One chart being drawn: the drawing area, the high-DPI scale and the chart's name for errors.
pub(crate) struct Canvas<'a> {
    area: DrawingArea<BitMapBackend<'a>, Shift>,
    pub scale: f64,
    pub width: i32,
    pub height: i32,
    pub chart: &'a str,
    /// Characters of drawn text that no embedded face has (drawn as the missing-glyph box).
    missing: RefCell<BTreeSet<char>>,
}

/// Checked pixel size of a chart: settings times scale, rounded, within allocation limits.
pub(crate) fn pixel_size(
    chart: &str,
    width: u32,
    height: u32,
    scale: f64,
) -> Result<(u32, u32), ChartError> {
    let invalid = || ChartError::InvalidSize {
        chart: chart.to_string(),
        width,
        height,
        scale,
    };
    crate::config::chart_pixel_size(width, height, scale).ok_or_else(invalid)
}

/// A chart's PNG bytes and the characters of its text that were drawn as missing-glyph boxes.
pub(crate) struct Png {
    pub bytes: Vec<u8>,
    pub missing_glyphs: Vec<char>,
}

/// Draws with `draw` on a white canvas of `width` x `height` pixels and returns the PNG.
pub(crate) fn render_png(
    chart: &str,
    (width, height): (u32, u32),
    scale: f64,
    draw: impl FnOnce(&Canvas<'_>) -> Result<(), ChartError>,
) -> Result<Png, ChartError> {
    super::font::ensure_registered().map_err(|message| ChartError::Font {
        chart: chart.to_string(),
        message,
    })?;
    // Both factors were bounded by pixel_size, so the product fits in usize on every target we build.
    let mut buffer = vec![0xFF_u8; width as usize * height as usize * 3];
    let missing_glyphs = {
        let area = BitMapBackend::with_buffer(&mut buffer, (width, height)).into_drawing_area();
        let canvas = Canvas {
            area,
            scale,
            width: width as i32,
            height: height as i32,
            chart,
            missing: RefCell::new(BTreeSet::new()),
        };
        canvas
            .area
            .fill(&WHITE)
            .map_err(|e| canvas.draw_error(&e))?;
        draw(&canvas)?;
        canvas.area.present().map_err(|e| canvas.draw_error(&e))?;
        canvas.missing.into_inner().into_iter().collect()
    };
    Ok(Png {
        bytes: encode_png(chart, &buffer, width, height)?,
        missing_glyphs,
    })
}

/// Encodes an RGB8 buffer with fixed settings so identical pixels give identical bytes.
fn encode_png(chart: &str, rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let fail = |e: png::EncodingError| ChartError::Encode {
        chart: chart.to_string(),
        message: e.to_string(),
    };
    let mut out = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Balanced);
        let mut writer = encoder.write_header().map_err(fail)?;
        writer.write_image_data(rgb).map_err(fail)?;
        writer.finish().map_err(fail)?;
    }
    Ok(out)
}

impl Canvas<'_> {
    /// Scales an unscaled length to pixels.
    pub fn px(&self, v: f64) -> i32 {
        (v * self.scale).round() as i32
    }

    fn draw_error(&self, e: &dyn std::fmt::Display) -> ChartError {
        ChartError::Draw {
            chart: self.chart.to_string(),
            message: e.to_string(),
        }
    }

    /// The style of `font` drawn in `face`, at the face's size for the font's em.
    fn text_style(&self, font: Font, face: Face, pos: Pos) -> TextStyle<'static> {
        let style = if font.bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        let size = font.size * self.scale * face.size_factor();
        let mut desc = FontDesc::new(FontFamily::Name(face.family()), size, style);
        if font.vertical {
            desc = desc.transform(FontTransform::Rotate270);
        }
        TextStyle {
            font: desc,
            color: font.color.to_backend_color(),
            pos,
        }
    }

    /// Shapes `text` and remembers the characters no face can draw.
    fn shape(&self, text: &str, font: Font) -> Vec<Run> {
        let shaped = shaping::shape(text, font.bold);
        if !shaped.missing.is_empty() {
            self.missing.borrow_mut().extend(shaped.missing);
        }
        shaped.runs
    }

    /// Advance width of one run in pixels.
    fn run_width(&self, run: &Run, font: Font) -> i32 {
        let style = self.text_style(
            Font {
                vertical: false,
                ..font
            },
            run.face,
            Pos::new(HPos::Left, VPos::Top),
        );
        // A measuring failure only means the font lacks data; fall back to a generous estimate.
        match self.area.estimate_text_size(&run.text, &style) {
            Ok((w, _)) => w as i32,
            Err(_) => (run.text.chars().count() as f64 * font.size * self.scale * 0.65) as i32,
        }
    }

    /// Advance width of `text` in pixels (the along-the-text length, also for vertical text).
    pub fn text_width(&self, text: &str, font: Font) -> i32 {
        self.shape(text, font)
            .iter()
            .map(|run| self.run_width(run, font))
            .sum()
    }

    /// Line height for `font` in pixels.
    pub fn line_height(&self, font: Font) -> i32 {
        (font.size * self.scale * 1.3).ceil() as i32
    }

    /// Draws `text` (any script: shaped, in visual order, each run in the face that has its glyphs).
    pub fn text(
        &self,
        text: &str,
        at: (i32, i32),
        font: Font,
        anchor: Anchor,
    ) -> Result<(), ChartError> {
        let runs = self.shape(text, font);
        // plotters boxes ab_glyph text at size/1.24 while glyphs hang size/2 above the baseline, so
        // its vertical anchoring is off; shift ourselves. Rotate270 maps the text's y onto screen x.
        let shift = anchor.vertical_shift(font.size * self.scale).round() as i32;
        let place = |along: i32, across: i32| {
            if font.vertical {
                (at.0 + across, at.1 - along)
            } else {
                (at.0 + along, at.1 + across)
            }
        };
        if let [run] = runs.as_slice()
            && run.face == Face::Main
        {
            // One run in the main face: plotters anchors it itself.
            let style = self.text_style(font, Face::Main, anchor.pos());
            return self
                .area
                .draw(&Text::new(run.text.as_str(), place(0, shift), style))
                .map_err(|e| self.draw_error(&e));
        }
        // Several runs: laid end to end from the anchor, each on the main face's baseline (plotters
        // puts a run's baseline half its size below the top anchor).
        let widths: Vec<i32> = runs.iter().map(|run| self.run_width(run, font)).collect();
        let total: i32 = widths.iter().sum();
        let mut along = match anchor.horizontal() {
            HPos::Left => 0,
            HPos::Center => -total / 2,
            HPos::Right => -total,
        };
        let size = font.size * self.scale;
        for (run, width) in runs.iter().zip(widths) {
            let baseline = ((size - size * run.face.size_factor()) / 2.0).round() as i32;
            let style = self.text_style(font, run.face, Pos::new(HPos::Left, VPos::Top));
            self.area
                .draw(&Text::new(
                    run.text.as_str(),
                    place(along, shift + baseline),
                    style,
                ))
                .map_err(|e| self.draw_error(&e))?;
            along += width;
        }
        Ok(())
    }

    pub fn fill_rect(
        &self,
        a: (i32, i32),
        b: (i32, i32),
        color: RGBColor,
    ) -> Result<(), ChartError> {
        let style = ShapeStyle {
            color: color.to_rgba(),
            filled: true,
            stroke_width: 0,
        };
        self.area
            .draw(&Rectangle::new([a, b], style))
            .map_err(|e| self.draw_error(&e))
    }

    pub fn stroke_rect(
        &self,
        a: (i32, i32),
        b: (i32, i32),
        color: RGBColor,
    ) -> Result<(), ChartError> {
        let style = ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: 1,
        };
        self.area
            .draw(&Rectangle::new([a, b], style))
            .map_err(|e| self.draw_error(&e))
    }

    /// A solid polyline of `width` unscaled pixels.
    pub fn line(
        &self,
        points: &[(f64, f64)],
        color: RGBColor,
        width: f64,
    ) -> Result<(), ChartError> {
        if points.len() < 2 {
            return Ok(());
        }
        let pts: Vec<(i32, i32)> = points
            .iter()
            .map(|&(x, y)| (x.round() as i32, y.round() as i32))
            .collect();
        let style = ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: self.stroke(width),
        };
        self.area
            .draw(&PathElement::new(pts, style))
            .map_err(|e| self.draw_error(&e))
    }

    /// A filled polygon (interval bands).
    pub fn fill_polygon(&self, points: &[(f64, f64)], color: RGBColor) -> Result<(), ChartError> {
        if points.len() < 3 {
            return Ok(());
        }
        let pts: Vec<(i32, i32)> = points
            .iter()
            .map(|&(x, y)| (x.round() as i32, y.round() as i32))
            .collect();
        let style = ShapeStyle {
            color: color.to_rgba(),
            filled: true,
            stroke_width: 0,
        };
        self.area
            .draw(&Polygon::new(pts, style))
            .map_err(|e| self.draw_error(&e))
    }

    fn stroke(&self, width: f64) -> u32 {
        (width * self.scale).round().max(1.0) as u32
    }

    /// A polyline with a dash pattern (on/off lengths, unscaled); an empty pattern draws it solid.
    pub fn dashed_line(
        &self,
        points: &[(f64, f64)],
        pattern: &[f64],
        color: RGBColor,
        width: f64,
    ) -> Result<(), ChartError> {
        if pattern.is_empty() {
            return self.line(points, color, width);
        }
        for piece in dash_pieces(points, pattern, self.scale) {
            self.line(&piece, color, width)?;
        }
        Ok(())
    }

    /// A data marker of `radius` unscaled pixels; hollow ones get a white inside so lines do not show through.
    pub fn marker(
        &self,
        kind: Marker,
        filled: bool,
        (cx, cy): (f64, f64),
        radius: f64,
        color: RGBColor,
    ) -> Result<(), ChartError> {
        let r = radius * self.scale;
        let stroke = self.stroke(1.6);
        let fill = ShapeStyle {
            color: color.to_rgba(),
            filled: true,
            stroke_width: 0,
        };
        let inside = ShapeStyle {
            color: WHITE.to_rgba(),
            filled: true,
            stroke_width: 0,
        };
        let outline = ShapeStyle {
            color: color.to_rgba(),
            filled: false,
            stroke_width: stroke,
        };
        let at = |dx: f64, dy: f64| ((cx + dx * r).round() as i32, (cy + dy * r).round() as i32);
        let err = |e: &dyn std::fmt::Display| self.draw_error(e);
        let polygon = |pts: Vec<(i32, i32)>| -> Result<(), ChartError> {
            self.area
                .draw(&Polygon::new(
                    pts.clone(),
                    if filled { fill } else { inside },
                ))
                .map_err(|e| err(&e))?;
            let mut closed = pts.clone();
            closed.push(pts[0]);
            self.area
                .draw(&PathElement::new(closed, outline))
                .map_err(|e| err(&e))
        };
        match kind {
            Marker::Circle => {
                let c = (cx.round() as i32, cy.round() as i32);
                let radius_px = r.round().max(1.0) as i32;
                self.area
                    .draw(&Circle::new(
                        c,
                        radius_px,
                        if filled { fill } else { inside },
                    ))
                    .map_err(|e| err(&e))?;
                self.area
                    .draw(&Circle::new(c, radius_px, outline))
                    .map_err(|e| err(&e))
            }
            Marker::Square => polygon(vec![
                at(-0.85, -0.85),
                at(0.85, -0.85),
                at(0.85, 0.85),
                at(-0.85, 0.85),
            ]),
            Marker::TriangleUp => polygon(vec![at(0.0, -1.15), at(1.05, 0.75), at(-1.05, 0.75)]),
            Marker::TriangleDown => polygon(vec![at(0.0, 1.15), at(1.05, -0.75), at(-1.05, -0.75)]),
            Marker::Diamond => polygon(vec![
                at(0.0, -1.2),
                at(1.0, 0.0),
                at(0.0, 1.2),
                at(-1.0, 0.0),
            ]),
            Marker::Cross | Marker::Plus => {
                // Open glyphs: thicker strokes so "filled" and "hollow" variants still differ.
                let style = ShapeStyle {
                    color: color.to_rgba(),
                    filled: false,
                    stroke_width: if filled {
                        self.stroke(3.0)
                    } else {
                        self.stroke(1.5)
                    },
                };
                let (a, b, c, d) = if kind == Marker::Cross {
                    (at(-0.9, -0.9), at(0.9, 0.9), at(-0.9, 0.9), at(0.9, -0.9))
                } else {
                    (at(-1.1, 0.0), at(1.1, 0.0), at(0.0, -1.1), at(0.0, 1.1))
                };
                self.area
                    .draw(&PathElement::new(vec![a, b], style))
                    .map_err(|e| err(&e))?;
                self.area
                    .draw(&PathElement::new(vec![c, d], style))
                    .map_err(|e| err(&e))
            }
        }
    }

    /// Longest prefix of `text` (plus an ellipsis) that fits in `max_width` pixels.
    pub fn truncate(&self, text: &str, font: Font, max_width: i32) -> String {
        if self.text_width(text, font) <= max_width {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        // Binary search on the number of kept characters.
        let (mut lo, mut hi) = (0usize, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let candidate: String = chars[..mid].iter().collect::<String>() + "…";
            if self.text_width(&candidate, font) <= max_width {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        if lo == 0 {
            return "…".to_string();
        }
        chars[..lo]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string()
            + "…"
    }

    /// Like `truncate` but keeps both ends ("Open-…ion 2023-07"), where labels usually differ.
    pub fn truncate_middle(&self, text: &str, font: Font, max_width: i32) -> String {
        if self.text_width(text, font) <= max_width {
            return text.to_string();
        }
        let chars: Vec<char> = text.chars().collect();
        let candidate = |keep: usize| -> String {
            // Favour the end: session labels usually differ in their trailing date or number.
            let head = keep / 3;
            let tail = keep - head;
            let mut s: String = chars[..head].iter().collect();
            s.push('…');
            s.extend(&chars[chars.len() - tail..]);
            s
        };
        let (mut lo, mut hi) = (0usize, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if self.text_width(&candidate(mid), font) <= max_width {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        candidate(lo)
    }

    /// Shrinks `font` (down to 10 points) until `text` fits, then truncates if it still does not.
    pub fn fit(&self, text: &str, font: Font, max_width: i32) -> (String, Font) {
        let mut font = font;
        while font.size > 10.0 && self.text_width(text, font) > max_width {
            font.size -= 1.0;
        }
        (self.truncate(text, font, max_width), font)
    }

    /// Greedy word wrap into at most `max_lines` lines of `max_width` pixels; the last line is
    /// truncated with an ellipsis. `None` when a single word is wider than a line.
    pub fn wrap(
        &self,
        text: &str,
        font: Font,
        max_width: i32,
        max_lines: usize,
    ) -> Option<Vec<String>> {
        let mut lines: Vec<String> = Vec::new();
        let mut current = String::new();
        for word in text.split_whitespace() {
            if self.text_width(word, font) > max_width {
                return None;
            }
            let candidate = if current.is_empty() {
                word.to_string()
            } else {
                format!("{current} {word}")
            };
            if self.text_width(&candidate, font) <= max_width {
                current = candidate;
            } else {
                lines.push(std::mem::take(&mut current));
                current = word.to_string();
            }
        }
        if !current.is_empty() || lines.is_empty() {
            lines.push(current);
        }
        if lines.len() > max_lines {
            let rest = lines[max_lines - 1..].join(" ");
            lines.truncate(max_lines - 1);
            lines.push(self.truncate(&rest, font, max_width));
        }
        Some(lines)
    }
}

/// Splits a polyline into the "on" pieces of a dash pattern, carrying the phase across vertices.
fn dash_pieces(points: &[(f64, f64)], pattern: &[f64], scale: f64) -> Vec<Vec<(f64, f64)>> {
    let pattern: Vec<f64> = pattern.iter().map(|p| (p * scale).max(1.0)).collect();
    let mut pieces = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let (mut index, mut left) = (0usize, pattern[0]);
    for pair in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let length = ((x1 - x0).powi(2) + (y1 - y0).powi(2)).sqrt();
        if !length.is_finite() {
            continue;
        }
        let mut done = 0.0;
        while done < length {
            let step = left.min(length - done);
            let at = |d: f64| (x0 + (x1 - x0) * d / length, y0 + (y1 - y0) * d / length);
            if index % 2 == 0 {
                if current.is_empty() {
                    current.push(at(done));
                }
                current.push(at(done + step));
            }
            done += step;
            left -= step;
            if left <= 1e-9 {
                if index % 2 == 0 {
                    pieces.push(std::mem::take(&mut current));
                }
                index = (index + 1) % pattern.len();
                left = pattern[index];
            }
        }
    }
    if current.len() >= 2 {
        pieces.push(current);
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_cover_half_of_a_straight_line_with_equal_on_off() {
        let pieces = dash_pieces(&[(0.0, 0.0), (100.0, 0.0)], &[10.0, 10.0], 1.0);
        assert_eq!(pieces.len(), 5);
        let on: f64 = pieces.iter().map(|p| p.last().unwrap().0 - p[0].0).sum();
        assert!((on - 50.0).abs() < 1e-6);
    }

    #[test]
    fn dash_phase_carries_over_vertices() {
        let pieces = dash_pieces(&[(0.0, 0.0), (5.0, 0.0), (5.0, 10.0)], &[10.0, 10.0], 1.0);
        assert_eq!(pieces.len(), 1);
        assert_eq!(pieces[0], vec![(0.0, 0.0), (5.0, 0.0), (5.0, 5.0)]);
    }

    #[test]
    fn pixel_size_rejects_bad_settings() {
        assert!(pixel_size("t", 1600, 900, 0.0).is_err());
        assert!(pixel_size("t", 1600, 900, f64::NAN).is_err());
        assert!(pixel_size("t", 10, 900, 1.0).is_err());
        assert!(pixel_size("t", 100_000, 900, 1.0).is_err());
        assert!(pixel_size("t", 10_000, 10_000, 1.0).is_err());
        assert_eq!(pixel_size("t", 1600, 900, 1.5).unwrap(), (2400, 1350));
    }
}
