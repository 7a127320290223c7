//! Chart text in the six UN languages: every character of the multilingual example is drawn from
//! an embedded glyph (never the missing-glyph box), and mixed-script labels are placed as one line.

use std::collections::BTreeSet;
use std::path::Path;

use super::canvas::{self, Anchor, Canvas, Font};
use super::shaping;
use super::style::{INK, WHITE};
use super::*;

const SIZE: (u32, u32) = (480, 160);
const ORIGIN: (i32, i32) = (240, 80);

/// The RGB pixels of `draw` on a blank canvas, and the characters it drew as boxes.
fn pixels(draw: impl FnOnce(&Canvas<'_>)) -> (Vec<u8>, Vec<char>) {
    let png = canvas::render_png("script test", SIZE, 1.0, |c| {
        draw(c);
        Ok(())
    })
    .unwrap();
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png.bytes));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buffer = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buffer).unwrap();
    buffer.truncate(info.buffer_size());
    (buffer, png.missing_glyphs)
}

fn font() -> Font {
    Font::new(28.0, INK)
}

/// `text` drawn once, left-anchored at the middle of the canvas.
fn drawn(text: &str) -> (Vec<u8>, Vec<char>) {
    pixels(|c| {
        c.text(text, ORIGIN, font(), Anchor::CenterLeft).unwrap();
    })
}

/// Bounding box (x0, y0, x1, y1) of the non-white pixels, None when nothing was drawn.
fn ink(rgb: &[u8]) -> Option<(u32, u32, u32, u32)> {
    let white = [WHITE.0, WHITE.1, WHITE.2];
    let mut bounds: Option<(u32, u32, u32, u32)> = None;
    for (i, px) in rgb.chunks(3).enumerate() {
        if px != white {
            let (x, y) = ((i as u32) % SIZE.0, (i as u32) / SIZE.0);
            let b = bounds.get_or_insert((x, y, x, y));
            *b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
        }
    }
    bounds
}

/// Every word of the statements and the theme dictionary of `examples/multilingual`.
fn example_words() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/multilingual");
    let mut texts = vec![std::fs::read_to_string(dir.join("themes.toml")).unwrap()];
    for code in ["ar", "en", "es", "fr", "ru", "zh"] {
        texts.push(std::fs::read_to_string(dir.join(format!("input/{code}.txt"))).unwrap());
    }
    let words: BTreeSet<String> = texts
        .iter()
        .flat_map(|t| t.split_whitespace())
        .map(str::to_string)
        .collect();
    words.into_iter().collect()
}

#[test]
fn the_missing_glyph_box_is_recognised() {
    // Runic is in no embedded face: drawn as the same box as an unassigned private-use code point.
    let (boxed, missing) = drawn("\u{E000}");
    assert_eq!(missing, vec!['\u{E000}']);
    assert!(ink(&boxed).is_some(), "the box itself is drawn");
    let (runic, missing) = drawn("ᚠ");
    assert_eq!(missing, vec!['ᚠ']);
    assert_eq!(runic, boxed);
    let (latin, missing) = drawn("a");
    assert!(missing.is_empty());
    assert_ne!(latin, boxed);
}

/// The check the issue asks for: a glyph that renders as the missing-glyph box fails the test.
#[test]
fn every_character_of_the_six_language_example_is_a_real_glyph() {
    let (boxed, _) = drawn("\u{E000}");
    let mut drawn_chars = BTreeSet::new();
    for word in example_words() {
        // Shaped as a chart shows it: Arabic letters become their joining forms.
        let shaped = shaping::shape(&word, false);
        assert!(
            shaped.missing.is_empty(),
            "{word:?}: no glyph for {:?}",
            shaped.missing
        );
        for run in shaped.runs {
            drawn_chars.extend(run.text.chars().filter(|c| !c.is_whitespace()));
        }
    }
    // Hundreds of ideographs and every Arabic joining form of the example, one at a time.
    assert!(drawn_chars.len() > 300, "{}", drawn_chars.len());
    for c in drawn_chars {
        let (rgb, missing) = drawn(&c.to_string());
        assert!(missing.is_empty(), "{c:?} reported missing");
        assert!(
            ink(&rgb).is_some(),
            "{c:?} (U+{:04X}) drew nothing",
            u32::from(c)
        );
        assert_ne!(rgb, boxed, "{c:?} (U+{:04X}) drew the box", u32::from(c));
    }
}

#[test]
fn bold_text_has_the_same_coverage() {
    for word in ["网络雇佣军", "الأمن السيبراني", "кибернаёмники", "société"]
    {
        assert!(shaping::shape(word, true).missing.is_empty(), "{word}");
    }
}

#[test]
fn a_mixed_line_is_as_wide_as_its_parts() {
    let mut widths = (0, 0, 0);
    pixels(|c| {
        widths = (
            c.text_width("网络安全 cyber", font()),
            c.text_width("网络安全", font()),
            c.text_width(" cyber", font()),
        );
    });
    assert_eq!(widths.0, widths.1 + widths.2);
    assert!(widths.1 > 0 && widths.2 > 0);
}

#[test]
fn mixed_runs_follow_the_anchor() {
    let text = "网络 cyber الأمن";
    let mut width = 0;
    let (left, _) = pixels(|c| {
        width = c.text_width(text, font());
        c.text(text, ORIGIN, font(), Anchor::CenterLeft).unwrap();
    });
    let (right, _) = pixels(|c| {
        c.text(text, ORIGIN, font(), Anchor::CenterRight).unwrap();
    });
    let (centre, _) = pixels(|c| {
        c.text(text, ORIGIN, font(), Anchor::Center).unwrap();
    });
    let (l, r, m) = (
        ink(&left).unwrap(),
        ink(&right).unwrap(),
        ink(&centre).unwrap(),
    );
    let x = ORIGIN.0 as u32;
    // Left-anchored ink starts at the anchor; right-anchored ink ends there (within a quarter em
    // of side bearing and rounding); centred straddles it.
    assert!(l.0 >= x && l.0 <= x + 7, "{l:?}");
    assert!(r.2 <= x && r.2 + 7 >= x, "{r:?}");
    assert!(m.0 < x && m.2 > x, "{m:?}");
    // The same line, shifted by its width: one baseline, no run drawn apart from the others.
    assert!((l.2 - l.0).abs_diff(r.2 - r.0) <= 1);
    assert!((l.2 - l.0) as i32 <= width && (l.2 - l.0) as i32 + 8 >= width);
    assert!(l.3 - l.1 < 50, "one line high: {l:?}");
}

#[test]
fn vertical_mixed_text_reads_upwards_from_its_anchor() {
    let text = "每千词 per 1,000";
    let (rgb, missing) = pixels(|c| {
        c.text(text, ORIGIN, font().vertical(), Anchor::CenterLeft)
            .unwrap();
    });
    assert!(missing.is_empty());
    let (x0, y0, x1, y1) = ink(&rgb).unwrap();
    // Rotated: tall and narrow, starting at the anchor and going up.
    assert!(y1 - y0 > 3 * (x1 - x0), "{:?}", (x0, y0, x1, y1));
    assert!(
        y1 <= ORIGIN.1 as u32 + 2 && y1 + 6 >= ORIGIN.1 as u32,
        "{y1}"
    );
}

#[test]
fn charts_report_the_characters_they_could_not_draw() {
    let mut input = fixture_with_names(["网络雇佣军", "الأمن السيبراني", "ᚠ runes"]);
    input.settings.session_charts = 1;
    let charts = render_all(&input).unwrap();
    let trends = charts
        .iter()
        .find(|c| c.path.ends_with("theme_trends.png"))
        .unwrap();
    assert_eq!(trends.missing_glyphs, vec!['ᚠ']);
    let chinese = charts
        .iter()
        .find(|c| c.path.to_string_lossy().contains("themes/"))
        .unwrap();
    assert!(chinese.missing_glyphs.is_empty(), "{:?}", chinese.path);
}

/// A small dated input whose themes carry `names`.
fn fixture_with_names(names: [&str; 3]) -> ChartInput {
    let sessions: Vec<SessionPoint> = (0..4)
        .map(|s| SessionPoint {
            label: format!("202{s}"),
            docs: 3,
            kept_tokens: 5_000,
            dated: true,
            day: None,
        })
        .collect();
    let themes = names
        .iter()
        .enumerate()
        .map(|(t, name)| ThemeSeries {
            name: name.to_string(),
            per_1000: (0..4).map(|s| 1.0 + (t + s) as f64 / 2.0).collect(),
            hits: (0..4).map(|s| 5 + (t + s) as u64).collect(),
            ci: None,
            patterns: Vec::new(),
        })
        .collect();
    ChartInput {
        top_terms: vec![Vec::new(); sessions.len()],
        keyness: vec![None; sessions.len()],
        sessions,
        themes,
        watch_terms: Vec::new(),
        footer: "test".into(),
        settings: ChartSettings::default(),
    }
}
