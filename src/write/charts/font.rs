//! The embedded typefaces (DejaVu Sans for Latin, Greek, Cyrillic and Arabic; a Noto Sans CJK SC
//! subset for Chinese; licences in fonts/), registered once for plotters, and which face draws a
//! character.

use std::sync::OnceLock;

use ab_glyph::{Font as _, FontRef};
use plotters::style::{FontStyle, register_font};

/// Family name plotters is asked for text in the main face; no system font is ever looked up.
pub(crate) const FAMILY: &str = "topictrends-sans";
/// Family name of the CJK face (one weight: bold CJK text is drawn regular).
pub(crate) const FAMILY_CJK: &str = "topictrends-cjk";

static REGULAR: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");
static CJK: &[u8] = include_bytes!("fonts/NotoSansCJKsc-Regular-subset.otf");

/// An embedded typeface a run of text is drawn in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Face {
    /// DejaVu Sans (regular or bold): Latin, Greek, Cyrillic, Arabic and its presentation forms.
    Main,
    /// The Noto Sans CJK SC subset: CJK ideographs, CJK punctuation, full-width forms.
    Cjk,
}

impl Face {
    /// Every face, in the order a character is looked up.
    pub(crate) const ALL: [Face; 2] = [Face::Main, Face::Cjk];

    /// The plotters family that draws this face.
    pub(crate) fn family(self) -> &'static str {
        match self {
            Face::Main => FAMILY,
            Face::Cjk => FAMILY_CJK,
        }
    }

    /// Factor on the requested size that gives this face the main face's em size.
    ///
    /// ab_glyph scales a font so that ascent minus descent fills the size; DejaVu's em is 0.86 of
    /// that height and Noto CJK's 1.0, so CJK text drawn at the same size would look 16% larger.
    pub(crate) fn size_factor(self) -> f64 {
        match self {
            Face::Main => 1.0,
            Face::Cjk => faces().map_or(1.0, |faces| faces.cjk_factor),
        }
    }
}

/// Parsed faces for glyph lookups (plotters keeps its own copies for drawing).
struct Faces {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
    cjk: FontRef<'static>,
    cjk_factor: f64,
}

fn parse(name: &str, bytes: &'static [u8]) -> Result<FontRef<'static>, String> {
    FontRef::try_from_slice(bytes).map_err(|_| format!("embedded {name} could not be parsed"))
}

/// Em size per unit of ab_glyph scale.
fn em_per_scale(font: &FontRef<'_>) -> f64 {
    let upm = f64::from(font.units_per_em().unwrap_or(1000.0));
    upm / f64::from(font.height_unscaled())
}

fn load() -> Result<Faces, String> {
    let regular = parse("DejaVuSans.ttf", REGULAR)?;
    let bold = parse("DejaVuSans-Bold.ttf", BOLD)?;
    let cjk = parse("NotoSansCJKsc-Regular-subset.otf", CJK)?;
    let cjk_factor = em_per_scale(&regular) / em_per_scale(&cjk);
    Ok(Faces {
        regular,
        bold,
        cjk,
        cjk_factor,
    })
}

fn loaded() -> &'static Result<Faces, String> {
    static FACES: OnceLock<Result<Faces, String>> = OnceLock::new();
    FACES.get_or_init(load)
}

/// The parsed faces, None when they failed to load (then `ensure_registered` fails and no chart
/// draws).
fn faces() -> Option<&'static Faces> {
    loaded().as_ref().ok()
}

/// Whether `face` (in `bold` or regular weight) has a glyph for `c`.
pub(crate) fn has_glyph(face: Face, c: char, bold: bool) -> bool {
    let Some(faces) = faces() else {
        return face == Face::Main;
    };
    let font = match face {
        Face::Main if bold => &faces.bold,
        Face::Main => &faces.regular,
        Face::Cjk => &faces.cjk,
    };
    font.glyph_id(c).0 != 0
}

/// Parses and registers the embedded fonts on first call; later calls return the first outcome.
pub(crate) fn ensure_registered() -> Result<(), String> {
    static OUTCOME: OnceLock<Result<(), String>> = OnceLock::new();
    OUTCOME
        .get_or_init(|| {
            loaded().as_ref().map_err(Clone::clone)?;
            let failed = |name: &str| format!("embedded {name} could not be registered");
            register_font(FAMILY, FontStyle::Normal, REGULAR)
                .map_err(|_| failed("DejaVuSans.ttf"))?;
            register_font(FAMILY, FontStyle::Bold, BOLD)
                .map_err(|_| failed("DejaVuSans-Bold.ttf"))?;
            for style in [FontStyle::Normal, FontStyle::Bold] {
                register_font(FAMILY_CJK, style, CJK)
                    .map_err(|_| failed("NotoSansCJKsc-Regular-subset.otf"))?;
            }
            Ok(())
        })
        .clone()
}
