//! Chart renderer: aggregated tables in, PNG bytes out (theme trends, heatmap, per-theme, top terms, keyness, watch terms).
//!
//! Text uses a typeface compiled into the binary (no system fonts); pixels are encoded with fixed PNG
//! settings so identical input gives byte-identical files. Nothing here touches the file system.

mod canvas;
pub mod data;
mod font;
mod heatmap;
mod keyness;
mod layout;
mod lines;
mod shaping;
mod style;
mod term_trends;
pub(crate) mod time_axis;
mod top_terms;
mod trends;

use std::fmt;
use std::path::PathBuf;

use rayon::prelude::*;

/// Everything the charts show; built by the pipeline from its aggregated tables.
#[derive(Clone, Debug, Default)]
pub struct ChartInput {
    /// Sessions in time order.
    pub sessions: Vec<SessionPoint>,
    /// Themes in dictionary order; every vector has one entry per session.
    pub themes: Vec<ThemeSeries>,
    /// Per session (same index as `sessions`), most frequent first, display forms.
    pub top_terms: Vec<Vec<TermBar>>,
    /// Watch terms for the small-multiples chart.
    pub watch_terms: Vec<TermSeries>,
    /// Per session (same index as `sessions`), or empty for no keyness charts; `None` for a
    /// session with nothing to compare with (the first one when compared with earlier sessions).
    pub keyness: Vec<Option<KeynessBars>>,
    /// Provenance line printed under every chart.
    pub footer: String,
    pub settings: ChartSettings,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SessionPoint {
    pub label: String,
    /// Number of statements in the session.
    pub docs: u32,
    pub kept_tokens: u64,
    /// False for the "undated" group, which is left out of charts over time.
    pub dated: bool,
    /// Where the session sits in time, in days since 1970-01-01 (its first statement's date, or
    /// the middle of its year); `None` when unknown. Unknown days keep evenly spaced categories.
    pub day: Option<i64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ThemeSeries {
    pub name: String,
    pub per_1000: Vec<f64>,
    pub hits: Vec<u64>,
    /// 95% interval per session, drawn as error bars when present.
    pub ci: Option<Vec<(f64, f64)>>,
    pub patterns: Vec<PatternSeries>,
}

/// Hits per session produced by one dictionary pattern of a theme.
#[derive(Clone, Debug, PartialEq)]
pub struct PatternSeries {
    pub pattern: String,
    pub hits: Vec<u64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TermBar {
    pub term: String,
    pub count: u64,
    pub per_1000: f64,
}

/// One session's most rising and most falling terms against its reference sessions.
#[derive(Clone, Debug, PartialEq)]
pub struct KeynessBars {
    /// What the session is compared with, for titles: "earlier sessions", "the other years".
    pub reference: String,
    /// Number of sessions pooled in the reference.
    pub reference_sessions: usize,
    /// Kept tokens of the session and of the reference.
    pub total_target: u64,
    pub total_reference: u64,
    /// Signed G2 > 0, most rising first.
    pub rising: Vec<KeyBar>,
    /// Signed G2 < 0, most falling first.
    pub falling: Vec<KeyBar>,
}

/// One term's keyness: display form, raw counts and statistics (as in keyness.csv).
#[derive(Clone, Debug, PartialEq)]
pub struct KeyBar {
    pub term: String,
    pub count_target: u64,
    pub count_reference: u64,
    /// Signed log-likelihood G2: + more frequent in the session than in the reference.
    pub g2: f64,
    /// log2 of the session's rate over the reference's (a zero count counts as 0.5).
    pub log_ratio: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TermSeries {
    pub term: String,
    pub per_1000: Vec<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChartSettings {
    pub width: u32,
    pub height: u32,
    /// High-DPI multiplier applied to size, fonts and strokes.
    pub scale: f64,
    /// Centred moving-average window drawn beside the raw points; `None` or 1 = off.
    pub smoothing: Option<usize>,
    /// The most recent N dated sessions get a top-terms chart; 0 = every session.
    pub session_charts: usize,
    /// The N themes with the most hits get a chart of their own; 0 = every theme.
    pub theme_charts: usize,
    /// Bars per top-terms chart; a keyness chart shows half as many rising and half falling.
    pub top_n: usize,
    /// What one x category is, capitalized and singular: "Session", "Year", "Speaker".
    pub group_label: String,
    /// Above this many dated sessions, charts over time are dense: no markers, interval bands,
    /// the rolling mean drawn over the raw series.
    pub dense_sessions: usize,
    /// Rolling mean window of dense charts (`None` or 1 = off); `smoothing` wins when set.
    pub rolling_mean: Option<usize>,
    /// theme_trends.png: one set of axes, one panel per theme, or panels when dense.
    pub theme_layout: crate::config::ThemeLayout,
}

impl Default for ChartSettings {
    fn default() -> Self {
        ChartSettings {
            width: 1600,
            height: 900,
            scale: 1.0,
            smoothing: None,
            session_charts: 0,
            theme_charts: 0,
            top_n: 20,
            group_label: "Session".to_string(),
            dense_sessions: 40,
            rolling_mean: Some(9),
            theme_layout: crate::config::ThemeLayout::Auto,
        }
    }
}

impl ChartSettings {
    /// The group in running text, singular: "session", "year".
    pub(crate) fn group_one(&self) -> String {
        lower_first(self.group_label())
    }
    /// Why a chart over dated sessions has nothing to draw (`None` when it has
    /// something): no dated session, no series (`no_series`), or every value
    /// zero (`none_above_zero`, completed with "in any dated session").
    pub(crate) fn nothing_to_draw(
        &self,
        dated: &[usize],
        series: usize,
        max: f64,
        no_series: &str,
        none_above_zero: &str,
    ) -> Option<String> {
        if dated.is_empty() {
            Some(format!("no dated {}", self.group_many()))
        } else if series == 0 {
            Some(no_series.to_string())
        } else if max <= 0.0 {
            Some(format!(
                "{none_above_zero} in any dated {}",
                self.group_one()
            ))
        } else {
            None
        }
    }

    /// The group in running text, plural: "sessions", "years", "countries".
    pub(crate) fn group_many(&self) -> String {
        plural(&self.group_one())
    }
    /// The group as an axis title: "Session", "Year" (never empty).
    pub(crate) fn group_label(&self) -> &str {
        let label = self.group_label.trim();
        if label.is_empty() { "Session" } else { label }
    }
}

/// `word` with its first letter in lower case, unless the word looks like an acronym ("ISO3").
fn lower_first(word: &str) -> String {
    let mut chars = word.chars();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let second_upper = word.chars().nth(1).is_some_and(char::is_uppercase);
    if second_upper {
        return word.to_string();
    }
    first.to_lowercase().chain(chars).collect()
}

/// English plural of a group noun, good enough for axis text: session(s), country/countries, class(es).
pub(crate) fn plural(word: &str) -> String {
    let lower = word.to_lowercase();
    let before_y = lower.chars().rev().nth(1);
    if let Some(stem) = word.strip_suffix(['y', 'Y'])
        && before_y.is_some_and(|c| !"aeiou".contains(c))
    {
        format!("{stem}ies")
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// One encoded chart and where the publish stage should put it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedChart {
    /// Relative path, e.g. `charts/theme_trends.png`.
    pub path: PathBuf,
    pub png: Vec<u8>,
    /// Characters of the chart's text that no embedded font has: drawn as boxes (ascending).
    pub missing_glyphs: Vec<char>,
}

/// Why a chart could not be rendered; every variant names the chart.
#[derive(Clone, Debug, PartialEq)]
pub enum ChartError {
    /// Width/height times scale is not a drawable, allocatable size.
    InvalidSize {
        chart: String,
        width: u32,
        height: u32,
        scale: f64,
    },
    /// The embedded font could not be loaded.
    Font { chart: String, message: String },
    /// The input tables disagree on their lengths.
    Inconsistent { chart: String, message: String },
    /// plotters reported a drawing failure.
    Draw { chart: String, message: String },
    /// PNG encoding failed.
    Encode { chart: String, message: String },
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::InvalidSize {
                chart,
                width,
                height,
                scale,
            } => write!(
                f,
                "{chart}: size {width}x{height} at scale {scale} is not drawable (each side 200..16384 px after scaling, at most 50 Mpx)"
            ),
            ChartError::Font { chart, message } => write!(f, "{chart}: font: {message}"),
            ChartError::Inconsistent { chart, message } => {
                write!(f, "{chart}: inconsistent input: {message}")
            }
            ChartError::Draw { chart, message } => write!(f, "{chart}: drawing failed: {message}"),
            ChartError::Encode { chart, message } => {
                write!(f, "{chart}: PNG encoding failed: {message}")
            }
        }
    }
}

impl std::error::Error for ChartError {}

/// One chart to render.
enum Job {
    ThemeTrends,
    ThemeHeatmap,
    Theme(usize),
    TopTerms(usize),
    Keyness(usize),
    TermTrends,
}

const THEME_TRENDS: &str = "charts/theme_trends.png";
const THEME_HEATMAP: &str = "charts/theme_heatmap.png";
const TERM_TRENDS: &str = "charts/term_trends.png";

/// Renders every chart, in a fixed order: theme trends, heatmap, per-theme charts (dictionary order),
/// top-terms charts (time order), keyness charts (time order), watch-term small multiples. Charts render in parallel; the output
/// order and bytes do not depend on scheduling.
pub fn render_all(input: &ChartInput) -> Result<Vec<RenderedChart>, ChartError> {
    validate(input)?;
    let size = canvas::pixel_size(
        THEME_TRENDS,
        input.settings.width,
        input.settings.height,
        input.settings.scale,
    )?;

    let mut jobs: Vec<(PathBuf, Job)> = vec![
        (PathBuf::from(THEME_TRENDS), Job::ThemeTrends),
        (PathBuf::from(THEME_HEATMAP), Job::ThemeHeatmap),
    ];
    let names: Vec<String> = input.themes.iter().map(|t| t.name.clone()).collect();
    let totals: Vec<u64> = (input.themes.iter()).map(|t| t.hits.iter().sum()).collect();
    let charted = charted_themes(&totals, input.settings.theme_charts);
    for (i, path) in theme_chart_paths(&names).into_iter().enumerate() {
        if charted[i] {
            jobs.push((PathBuf::from(path), Job::Theme(i)));
        }
    }
    let chosen = top_terms_sessions(input);
    let session_stems = unique_stems(chosen.iter().map(|&i| input.sessions[i].label.as_str()));
    for (&i, stem) in chosen.iter().zip(&session_stems) {
        jobs.push((
            PathBuf::from(format!("charts/top_terms/{stem}.png")),
            Job::TopTerms(i),
        ));
    }
    // The same sessions and file names as top_terms/, less those with nothing to compare with.
    for (&i, stem) in chosen.iter().zip(&session_stems) {
        if matches!(input.keyness.get(i), Some(Some(_))) {
            jobs.push((
                PathBuf::from(format!("charts/keyness/{stem}.png")),
                Job::Keyness(i),
            ));
        }
    }
    jobs.push((PathBuf::from(TERM_TRENDS), Job::TermTrends));

    jobs.into_par_iter()
        .map(|(path, job)| {
            let name = path.to_string_lossy().into_owned();
            let scale = input.settings.scale;
            let png = match job {
                Job::ThemeTrends => {
                    canvas::render_png(&name, size, scale, |c| trends::theme_trends(c, input))
                }
                Job::ThemeHeatmap => {
                    canvas::render_png(&name, size, scale, |c| heatmap::theme_heatmap(c, input))
                }
                Job::Theme(t) => {
                    canvas::render_png(&name, size, scale, |c| trends::theme_detail(c, input, t))
                }
                Job::TopTerms(s) => {
                    canvas::render_png(&name, size, scale, |c| top_terms::top_terms(c, input, s))
                }
                Job::Keyness(s) => {
                    canvas::render_png(&name, size, scale, |c| keyness::keyness(c, input, s))
                }
                Job::TermTrends => {
                    canvas::render_png(&name, size, scale, |c| term_trends::term_trends(c, input))
                }
            }?;
            Ok(RenderedChart {
                path,
                png: png.bytes,
                missing_glyphs: png.missing_glyphs,
            })
        })
        .collect()
}

/// Where each theme's chart goes, in dictionary order: `charts/themes/<stem>.png`.
pub fn theme_chart_paths(names: &[String]) -> Vec<String> {
    unique_stems(names.iter().map(String::as_str))
        .into_iter()
        .map(|stem| format!("charts/themes/{stem}.png"))
        .collect()
}

/// Which themes get a chart of their own (by dictionary order): all of them when `cap` is 0
/// or at least their number, else the `cap` themes with the most hits over the run (`totals`),
/// the earlier in the dictionary first among equals. The report says which were left out.
pub fn charted_themes(totals: &[u64], cap: usize) -> Vec<bool> {
    if cap == 0 || totals.len() <= cap {
        return vec![true; totals.len()];
    }
    let mut order: Vec<usize> = (0..totals.len()).collect();
    order.sort_by(|&a, &b| totals[b].cmp(&totals[a]).then(a.cmp(&b)));
    let mut charted = vec![false; totals.len()];
    for &t in &order[..cap] {
        charted[t] = true;
    }
    charted
}

/// Sessions that get per-session charts: the most recent `session_charts` dated ones, or all with 0.
fn top_terms_sessions(input: &ChartInput) -> Vec<usize> {
    let n = input.settings.session_charts;
    if n == 0 {
        return (0..input.sessions.len()).collect();
    }
    let dated: Vec<usize> = (0..input.sessions.len())
        .filter(|&i| input.sessions[i].dated)
        .collect();
    dated[dated.len().saturating_sub(n)..].to_vec()
}

/// File stems for a family of names, made unique also on case-insensitive file systems.
fn unique_stems<'a>(names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    names
        .enumerate()
        .map(|(i, name)| {
            let mut stem = safe_file_stem(name);
            if !seen.insert(stem.to_lowercase()) {
                stem = format!("{stem}-{}", i + 1);
                seen.insert(stem.to_lowercase());
            }
            stem
        })
        .collect()
}

/// Checks that every per-session vector has one entry per session.
fn validate(input: &ChartInput) -> Result<(), ChartError> {
    let n = input.sessions.len();
    let bad = |chart: &str, message: String| {
        Err(ChartError::Inconsistent {
            chart: chart.to_string(),
            message,
        })
    };
    for theme in &input.themes {
        let chart = format!("charts/themes/{}.png", safe_file_stem(&theme.name));
        if theme.per_1000.len() != n || theme.hits.len() != n {
            return bad(
                &chart,
                format!(
                    "theme {:?} has {} rates and {} hit counts for {n} sessions",
                    theme.name,
                    theme.per_1000.len(),
                    theme.hits.len()
                ),
            );
        }
        if let Some(ci) = &theme.ci
            && ci.len() != n
        {
            return bad(
                &chart,
                format!(
                    "theme {:?} has {} intervals for {n} sessions",
                    theme.name,
                    ci.len()
                ),
            );
        }
        for pattern in &theme.patterns {
            if pattern.hits.len() != n {
                return bad(
                    &chart,
                    format!(
                        "pattern {:?} of theme {:?} has {} hit counts for {n} sessions",
                        pattern.pattern,
                        theme.name,
                        pattern.hits.len()
                    ),
                );
            }
        }
    }
    if !input.top_terms.is_empty() && input.top_terms.len() != n {
        return bad(
            "charts/top_terms",
            format!("{} top-term lists for {n} sessions", input.top_terms.len()),
        );
    }
    if !input.keyness.is_empty() && input.keyness.len() != n {
        return bad(
            "charts/keyness",
            format!("{} keyness lists for {n} sessions", input.keyness.len()),
        );
    }
    for term in &input.watch_terms {
        if term.per_1000.len() != n {
            return bad(
                TERM_TRENDS,
                format!(
                    "watch term {:?} has {} rates for {n} sessions",
                    term.term,
                    term.per_1000.len()
                ),
            );
        }
    }
    Ok(())
}

/// Longest stem kept before the hash suffix.
const MAX_STEM: usize = 64;

/// A file-name stem for a theme or session name: ASCII letters, digits, `-` and `_` only, never empty,
/// never a leading dot or a Windows device name, at most 73 bytes. Accents are folded ("Sécurité" ->
/// "Securite"); when the name had to change, a stable 8-hex-digit hash of the original is appended so
/// that different names stay apart.
pub fn safe_file_stem(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;

    let mut stem = String::with_capacity(name.len());
    // NFKD splits "é" into "e" + a combining accent, which the ASCII filter then drops.
    for c in name.nfkd() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            stem.push(c);
        } else if c.is_ascii() && !stem.ends_with('_') {
            stem.push('_');
        }
    }
    let trimmed = stem.trim_matches(|c| c == '_' || c == '-');
    let mut stem: String = trimmed.chars().take(MAX_STEM).collect();
    if stem.is_empty() {
        stem = "unnamed".to_string();
    }
    // Spaces alone become underscores without a hash: "Capacity building"
    // stays readable as Capacity_building.png.
    if stem != name.replace(' ', "_") || is_windows_device(&stem) {
        stem = format!("{stem}-{:08x}", fnv1a(name.as_bytes()) as u32);
    }
    stem
}

/// Device names Windows refuses as file names, whatever the extension or case.
fn is_windows_device(stem: &str) -> bool {
    let upper = stem.to_ascii_uppercase();
    matches!(upper.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((upper.starts_with("COM") || upper.starts_with("LPT"))
            && upper.len() == 4
            && upper.as_bytes()[3].is_ascii_digit())
}

/// FNV-1a, 64-bit: tiny, stable across platforms and releases (unlike std's hasher).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Indices of dated sessions, in time order: the x axis of every chart over time.
fn dated_indices(input: &ChartInput) -> Vec<usize> {
    (0..input.sessions.len())
        .filter(|&i| input.sessions[i].dated)
        .collect()
}

/// The largest finite value of `series` at the sessions `dated` (0 when there is none):
/// the top of a chart's scale.
fn dated_max<'a>(series: impl IntoIterator<Item = &'a [f64]>, dated: &[usize]) -> f64 {
    series
        .into_iter()
        .flat_map(|values| dated.iter().map(move |&i| values[i]))
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max)
}

/// X axis title of charts over the groups: "Session (n = number of statements)", "Year (...)".
fn x_title(input: &ChartInput) -> String {
    format!(
        "{} (n = number of statements)",
        input.settings.group_label()
    )
}

/// "N-session moving average", "N-year moving average".
fn moving_average_label(input: &ChartInput, window: usize) -> String {
    format!("{window}-{} moving average", input.settings.group_one())
}

/// Subtitle note about statements left out of charts over time, if any.
fn undated_note(input: &ChartInput) -> Option<String> {
    let undated: u32 = input
        .sessions
        .iter()
        .filter(|s| !s.dated)
        .map(|s| s.docs)
        .sum();
    (undated > 0)
        .then(|| format!("{undated} undated statement(s) are left out of charts over time."))
}

/// X labels for the given sessions: the label and "n=<statements>".
fn session_labels(input: &ChartInput, indices: &[usize]) -> Vec<layout::XLabel> {
    indices
        .iter()
        .map(|&i| layout::XLabel {
            text: input.sessions[i].label.clone(),
            note: format!("n={}", input.sessions[i].docs),
        })
        .collect()
}

/// Centred moving average over `window` points (odd windows are symmetric; even ones use window+1),
/// shrinking at the ends and skipping missing values.
fn moving_average(values: &[f64], window: usize) -> Vec<f64> {
    let half = window / 2;
    (0..values.len())
        .map(|i| {
            let lo = i.saturating_sub(half);
            let hi = (i + half + 1).min(values.len());
            let finite: Vec<f64> = values[lo..hi]
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .collect();
            if finite.is_empty() {
                f64::NAN
            } else {
                finite.iter().sum::<f64>() / finite.len() as f64
            }
        })
        .collect()
}

#[cfg(test)]
mod script_tests;
#[cfg(test)]
mod tests;
