//! The embedded typeface (DejaVu Sans, see fonts/LICENSE-DejaVu.txt), registered once for plotters.

use std::sync::OnceLock;

use plotters::style::{FontStyle, register_font};

/// Family name every chart asks plotters for; no system font is ever looked up.
pub(crate) const FAMILY: &str = "topictrends-sans";

static REGULAR: &[u8] = include_bytes!("fonts/DejaVuSans.ttf");
static BOLD: &[u8] = include_bytes!("fonts/DejaVuSans-Bold.ttf");

/// Registers the embedded fonts on first call; later calls return the first outcome.
pub(crate) fn ensure_registered() -> Result<(), String> {
    static OUTCOME: OnceLock<Result<(), String>> = OnceLock::new();
    OUTCOME
        .get_or_init(|| {
            register_font(FAMILY, FontStyle::Normal, REGULAR)
                .map_err(|_| "embedded DejaVuSans.ttf could not be parsed".to_string())?;
            register_font(FAMILY, FontStyle::Bold, BOLD)
                .map_err(|_| "embedded DejaVuSans-Bold.ttf could not be parsed".to_string())
        })
        .clone()
}
