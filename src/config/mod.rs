//! Configuration: defaults, then the TOML file, then flags, resolved once into `Settings`.
//!
//! Relative paths in the file are relative to the file's own folder, so a
//! scheduled job finds its input whatever its working directory.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::DeserializeOwned;

pub mod options;
pub mod paths;
pub mod starter;

pub use options::{
    CaptureOptions, Chunking, DuplicatePolicy, EvidenceSection, EvidenceSettings, HitRule,
    KeynessReference, ThemeLayout, Wildcard,
};

use crate::analyze::chains::{self, ListEdits};
use crate::analyze::language::{Language, LanguagePolicy};
use crate::analyze::{AnalysisSettings, Stemmer, Stopwords, TokenizerOptions};

/// How statements get a language, and what the other languages' chains are built from.
#[derive(Debug, Clone, Default)]
pub struct LanguageSettings {
    pub policy: LanguagePolicy,
    pub edits: ListEdits,
}

/// The configuration file as written (every key optional).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ConfigFile {
    pub input: InputSection,
    pub output: OutputSection,
    pub analysis: AnalysisSection,
    pub themes: ThemesSection,
    pub metadata: MetadataSection,
    pub charts: ChartsSection,
    pub evidence: EvidenceSection,
}

#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct ChartsSection {
    /// Write PNG charts under `charts/` (`--no-charts` turns them off for one run).
    pub enabled: bool,
    /// Size in pixels before `scale`.
    pub width: u32,
    pub height: u32,
    /// High-DPI multiplier (2 = twice the pixels, same layout).
    pub scale: f64,
    /// Centred moving average of N sessions drawn beside the raw points (0 or 1 = off).
    pub smoothing: usize,
    /// Per-session charts for the most recent N sessions (0 = all).
    pub session_charts: usize,
    /// Per-theme charts for the N themes with the most hits (0 = every theme).
    pub theme_charts: usize,
    /// Bars per top-terms chart.
    pub top_n: usize,
    /// Words drawn as small multiples in term_trends.png.
    pub watch_terms: Vec<String>,
    /// Above this many dated sessions a chart over time is dense: lines lose their
    /// per-session markers, intervals become a band and `rolling_mean` is drawn over them.
    pub dense_sessions: usize,
    /// Centred rolling mean of N sessions drawn over the raw series of dense charts
    /// (0 or 1 = off; `smoothing`, when set, is used instead).
    pub rolling_mean: usize,
    /// theme_trends.png: all themes on one set of axes, one panel per theme, or panels when dense.
    pub theme_layout: ThemeLayout,
}

/// Largest side and pixel count of a chart we agree to allocate (about 150 MB of RGB at the
/// limit).
pub const CHART_MAX_SIDE: u32 = 16_384;
pub const CHART_MAX_PIXELS: u64 = 50_000_000;

/// A chart's pixel size: `width` x `height` times `scale`, rounded; `None` when it is not
/// drawable (scale outside 0.25..=8, narrower than 200 or lower than 150 pixels, a side over
/// [`CHART_MAX_SIDE`] or more than [`CHART_MAX_PIXELS`] in all). Checked when the config is
/// read, so a run never fails on it after reading its input.
pub fn chart_pixel_size(width: u32, height: u32, scale: f64) -> Option<(u32, u32)> {
    // Outside this range fonts and strokes stop being legible (or round to zero pixels).
    if !scale.is_finite() || !(0.25..=8.0).contains(&scale) {
        return None;
    }
    let w = (f64::from(width) * scale).round();
    let h = (f64::from(height) * scale).round();
    // Too small to hold a title, axes and footer legibly.
    let max = f64::from(CHART_MAX_SIDE);
    if w < 200.0 || h < 150.0 || w > max || h > max {
        return None;
    }
    let (w, h) = (w as u32, h as u32);
    (u64::from(w) * u64::from(h) <= CHART_MAX_PIXELS).then_some((w, h))
}

impl Default for ChartsSection {
    fn default() -> Self {
        ChartsSection {
            enabled: true,
            width: 1600,
            height: 900,
            scale: 1.0,
            smoothing: 0,
            session_charts: 12,
            theme_charts: 50,
            top_n: 20,
            watch_terms: [
                "stakeholders",
                "capacity",
                "norms",
                "infrastructure",
                "proliferation",
                "mercenaries",
            ]
            .map(String::from)
            .to_vec(),
            dense_sessions: 40,
            rolling_mean: 9,
            theme_layout: ThemeLayout::Auto,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct InputSection {
    /// Folder of statements.
    pub dir: Option<String>,
    /// File extensions read as statements (lowercase, without the dot).
    pub include: Vec<String>,
    /// Exact duplicate statements: "skip" (count the first copy in path order) or "keep".
    pub duplicates: String,
}

impl Default for InputSection {
    fn default() -> Self {
        InputSection {
            dir: None,
            include: crate::decode::extract::SUPPORTED_EXTENSIONS
                .iter()
                .map(|e| e.to_string())
                .collect(),
            duplicates: "skip".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OutputSection {
    pub dir: Option<String>,
    /// Terms with fewer occurrences in a session are left out of term_frequencies.csv.
    pub min_count: u64,
    /// CSV with a UTF-8 byte-order mark and CRLF line ends (what Excel expects).
    pub excel_compatible: bool,
    /// Terms (by total count) in term_frequencies_wide.csv.
    pub wide_top_n: usize,
    /// Write output/topictrends.xlsx.
    pub workbook: bool,
    /// Also write `reference/term_counts.csv` and `reference/theme_scores.csv`
    /// in the benchmark peers' format (bench/reference-job.toml).
    pub reference_tables: bool,
    /// "reading": the workbook holds the tables a person reads; "all": every table.
    pub workbook_sheets: String,
    /// The tables to write (file names, `.csv` optional); absent: every table.
    pub tables: Option<Vec<String>>,
    /// Write report.html: the run on one self-contained page.
    pub report: bool,
}

impl Default for OutputSection {
    fn default() -> Self {
        OutputSection {
            dir: None,
            min_count: 2,
            excel_compatible: true,
            wide_top_n: 50,
            workbook: true,
            reference_tables: false,
            workbook_sheets: "reading".into(),
            tables: None,
            report: true,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnalysisSection {
    /// "nfc" (clean the text and NFC-normalize) or "none" (take it as it is).
    pub normalize: String,
    /// "word" (lowercase each word after splitting) or "text" (lowercase the
    /// whole statement, then split: the reference job's reading).
    pub lowercase: String,
    /// "keep" (don't, world's are one word) or "split".
    pub apostrophes: String,
    /// Combining marks continue a word ("join") or split it ("split").
    pub combining_marks: String,
    pub min_token_chars: usize,
    /// Tokens longer than this are not counted (0: no limit).
    pub max_token_chars: usize,
    /// "drop" tokens made only of digits, or "keep" them.
    pub numbers: String,
    /// "snowball" (the shipped Snowball English list), "none", or a file path.
    pub stopwords: String,
    pub stopwords_add: Vec<String>,
    pub stopwords_remove: Vec<String>,
    /// "english" (Snowball) or "none".
    pub stemmer: String,
    /// Words never stemmed.
    pub protected: Vec<String>,
    /// The language of statements whose metadata gives none, and of the dictionary's
    /// `patterns`: `ar`, `en`, `es`, `fr`, `ru`, `zh`, or `detect`.
    pub language: String,
    /// With `language = "detect"`: the language of `patterns` and of statements the detector
    /// is unsure of.
    pub detect_fallback: String,
}

impl Default for AnalysisSection {
    fn default() -> Self {
        AnalysisSection {
            normalize: "nfc".into(),
            lowercase: "word".into(),
            apostrophes: "keep".into(),
            combining_marks: "join".into(),
            min_token_chars: 2,
            max_token_chars: 100,
            numbers: "drop".into(),
            stopwords: "snowball".into(),
            stopwords_add: Vec::new(),
            stopwords_remove: Vec::new(),
            stemmer: "english".into(),
            protected: Vec::new(),
            language: "en".into(),
            detect_fallback: "en".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ThemesSection {
    /// The theme dictionary (TOML).
    pub file: Option<String>,
    /// "longest-match" or "match-starts".
    pub hit_rule: String,
    /// Whether a multi-word pattern may match across a sentence end.
    pub cross_sentences: bool,
    /// What a trailing `*` compares with: "word" (the word as written, or its stem) or "stem".
    pub wildcard: String,
}

impl Default for ThemesSection {
    fn default() -> Self {
        ThemesSection {
            file: None,
            hit_rule: "longest-match".into(),
            cross_sentences: false,
            wildcard: "word".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct MetadataSection {
    /// Manifest CSV, relative to the input folder ("" = none).
    pub manifest: String,
    /// File-name pattern such as "{iso3}_{session}_{year}.txt" ("" = none).
    pub file_name_pattern: String,
    /// "session", "year", "quarter", "month" or any metadata field.
    pub group_by: String,
    /// Only statements of these forums (empty = all).
    pub forums: Vec<String>,
}

impl Default for MetadataSection {
    fn default() -> Self {
        MetadataSection {
            manifest: "metadata.csv".into(),
            file_name_pattern: String::new(),
            group_by: "session".into(),
            forums: Vec::new(),
        }
    }
}

/// A configuration that cannot be used.
#[derive(Debug)]
pub enum ConfigError {
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Syntax or schema error; the message carries line and column.
    Parse {
        path: PathBuf,
        message: String,
    },
    Invalid {
        path: PathBuf,
        message: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Read { path, source } => {
                write!(f, "{}: cannot read config: {source}", path.display())
            }
            ConfigError::Parse { path, message } | ConfigError::Invalid { path, message } => {
                write!(f, "{}: {message}", path.display())
            }
        }
    }
}

impl std::error::Error for ConfigError {}

/// Parses TOML into `T`; errors say where (line, column) and suggest the
/// closest known key for an unknown one.
pub fn from_toml<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    toml::from_str(text).map_err(|e| {
        let mut msg = e.to_string().trim_end().to_string();
        if let Some(hint) = did_you_mean(e.message()) {
            msg.push_str(&format!("\nhelp: did you mean `{hint}`?"));
        }
        msg
    })
}

/// From serde's "unknown field `x`, expected one of `a`, `b`" message, the closest expected name.
fn did_you_mean(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    // A typo is a few edits away; a longer or shorter spelling (`include_ext`) contains the key.
    expected
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(unknown, c), c))
        .filter(|(d, c)| *d <= 3.max(c.len() / 3) || unknown.contains(c) || c.contains(unknown))
        .min()
        .map(|(_, c)| c.to_string())
}

/// Values given on the command line; they override the file.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub input: Option<PathBuf>,
    pub output: Option<PathBuf>,
    pub forums: Vec<String>,
    pub excel_compatible: Option<bool>,
    /// `--no-charts`.
    pub no_charts: bool,
}

/// Group statements by a time unit or a metadata field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupBy {
    Session,
    Year,
    Quarter,
    Month,
    Field(String),
}

/// Everything a run needs, resolved once and handed down by reference.
#[derive(Debug)]
pub struct Settings {
    pub config_path: Option<PathBuf>,
    pub config_text: String,
    pub input_dir: PathBuf,
    pub output_dir: PathBuf,
    pub include: Vec<String>,
    pub duplicates: DuplicatePolicy,
    /// When and how big statements are read in pieces (not a config key; tests shrink it).
    pub chunking: Chunking,
    pub min_count: u64,
    pub excel_compatible: bool,
    pub wide_top_n: usize,
    pub workbook: bool,
    /// The default language's analysis chain.
    pub analysis: AnalysisSettings,
    /// How statements get a language, and the list settings the other languages' chains share.
    pub languages: LanguageSettings,
    pub themes_path: Option<PathBuf>,
    pub hit_rule: HitRule,
    pub cross_sentences: bool,
    /// What a trailing `*` in a pattern compares with (`[themes] wildcard`).
    pub wildcard: Wildcard,
    pub manifest: Option<PathBuf>,
    /// The config names a manifest other than the default `metadata.csv`: its absence is an
    /// error, not "no manifest".
    pub manifest_required: bool,
    pub file_name_pattern: Option<String>,
    pub group_by: GroupBy,
    pub forums: Vec<String>,
    pub charts: ChartsSection,
    pub evidence: EvidenceSettings,
    /// Write the benchmark peers' tables under `reference/` (`[output] reference_tables`).
    pub reference_tables: bool,
    /// The workbook holds every table (`[output] workbook_sheets = "all"`), not only the reading set.
    pub workbook_all_sheets: bool,
    /// The tables to write, by file name (`[output] tables`); `None`: every table.
    pub tables: Option<Vec<String>>,
    /// Write `report.html` (`[output] report`).
    pub report: bool,
}

impl Settings {
    /// The files and folders a run reads, named for messages: the input folder, the config
    /// file, the theme dictionary and the manifest (those that are set).
    pub fn read_paths(&self) -> Vec<(&'static str, &std::path::Path)> {
        let mut out = vec![("input folder", self.input_dir.as_path())];
        out.extend(self.config_path.as_deref().map(|p| ("config file", p)));
        out.extend(self.themes_path.as_deref().map(|p| ("theme dictionary", p)));
        out.extend(self.manifest.as_deref().map(|p| ("manifest", p)));
        out
    }
}

/// Every table a run can write, by file name (`[output] tables` chooses among them).
pub const TABLES: &[&str] = &[
    "documents.csv",
    "term_frequencies.csv",
    "theme_scores.csv",
    "theme_matches.csv",
    "skipped.csv",
    "theme_scores_wide.csv",
    "term_frequencies_wide.csv",
    "theme_contexts.csv",
    "keyness.csv",
    "top_terms.csv",
    "collocations.csv",
    "theme_trend_tests.csv",
    "theme_scores_by_language.csv",
    "reference/term_counts.csv",
    "reference/theme_scores.csv",
];

/// The config file used when none is named and it exists.
pub const DEFAULT_CONFIG: &str = "config/topictrends.toml";

impl Settings {
    /// Whether the run writes this table (a file name from [`TABLES`]).
    pub fn writes(&self, table: &str) -> bool {
        match &self.tables {
            None => !table.starts_with("reference/") || self.reference_tables,
            Some(chosen) => chosen.iter().any(|t| t == table),
        }
    }

    /// Whether the run needs each hit's record (the audit trail, its contexts, the report's passages).
    pub fn keeps_hits(&self) -> bool {
        self.writes("theme_matches.csv") || self.keeps_contexts()
    }

    /// Whether the run cuts the words around each hit (theme_contexts.csv, the report's passages).
    pub fn keeps_contexts(&self) -> bool {
        self.writes("theme_contexts.csv") || self.report
    }

    /// Resolves settings from an optional config file and the flags.
    pub fn resolve(config: Option<&Path>, flags: &Overrides) -> Result<Settings, ConfigError> {
        let (path, text) = match config {
            Some(p) => (Some(p.to_path_buf()), read(p)?),
            None if Path::new(DEFAULT_CONFIG).is_file() => {
                let p = PathBuf::from(DEFAULT_CONFIG);
                let t = read(&p)?;
                (Some(p), t)
            }
            None => (None, String::new()),
        };
        let file: ConfigFile = from_toml(&text).map_err(|message| ConfigError::Parse {
            path: path.clone().unwrap_or_default(),
            message,
        })?;
        let base = path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        // Joined to the config file's folder, then tidied: messages and run.json show
        // `output`, not `config/../output`.
        let rel = |s: &str| -> PathBuf {
            let p = Path::new(s);
            if p.is_absolute() {
                paths::tidy(p)
            } else {
                paths::tidy(&base.join(p))
            }
        };
        // `config.toml:12: [evidence] keyness_rows = ...`: the line of the key the message names.
        let invalid = |message: String| ConfigError::Invalid {
            path: path.clone().map_or_else(
                || PathBuf::from("(defaults)"),
                |p| match named_key_line(&text, &message) {
                    Some(line) => PathBuf::from(format!("{}:{line}", p.display())),
                    None => p,
                },
            ),
            message,
        };
        let a = &file.analysis;
        let choice = |key: &str, value: &str, options: &[&str]| -> Result<usize, ConfigError> {
            options.iter().position(|o| o == &value).ok_or_else(|| {
                invalid(format!(
                    "[analysis] {key} = {value:?}: expected one of {}",
                    options.join(", ")
                ))
            })
        };
        let normalize = choice("normalize", &a.normalize, &["nfc", "none"])? == 0;
        let lowercase_text = choice("lowercase", &a.lowercase, &["word", "text"])? == 1;
        let apostrophes = choice("apostrophes", &a.apostrophes, &["keep", "split"])? == 0;
        let marks = choice("combining_marks", &a.combining_marks, &["join", "split"])? == 0;
        let keep_numbers = choice("numbers", &a.numbers, &["drop", "keep"])? == 1;
        let stem = choice("stemmer", &a.stemmer, &["english", "snowball", "none"])? != 2;
        let code = |key: &str, value: &str| {
            Language::parse(value)
                .filter(|l| l.code() == value.trim().to_ascii_lowercase())
                .ok_or_else(|| {
                    invalid(format!(
                        "[analysis] {key} = {value:?}: expected one of ar, en, es, fr, ru, zh{}",
                        if key == "language" { " or detect" } else { "" }
                    ))
                })
        };
        let policy = if a.language.trim() == "detect" {
            LanguagePolicy {
                default: code("detect_fallback", &a.detect_fallback)?,
                detect: true,
            }
        } else {
            LanguagePolicy {
                default: code("language", &a.language)?,
                detect: false,
            }
        };
        if a.min_token_chars == 0 {
            return Err(invalid(
                "[analysis] min_token_chars must be at least 1".into(),
            ));
        }
        if a.max_token_chars != 0 && a.max_token_chars < a.min_token_chars {
            return Err(invalid(format!(
                "[analysis] max_token_chars = {} is below min_token_chars = {}: no token would be counted (0 sets no limit)",
                a.max_token_chars, a.min_token_chars
            )));
        }
        let list = match a.stopwords.as_str() {
            "snowball" => chains::stopword_list(policy.default).to_string(),
            "none" => String::new(),
            file => {
                let p = rel(file);
                std::fs::read_to_string(&p).map_err(|e| {
                    invalid(format!(
                        "[analysis] stopwords: cannot read {}: {e}",
                        p.display()
                    ))
                })?
            }
        };
        let tokenizer = TokenizerOptions {
            apostrophes_in_words: apostrophes,
            marks_in_words: marks,
        };
        // Stopwords and protected words go through the same cleaning, lowercasing and folding
        // as the text, so curly apostrophes or NFD in a list still match.
        let lowercase = |w: &str| chains::list_word(w, normalize, policy.default);
        let stopwords = Stopwords::build(&list, &a.stopwords_add, &a.stopwords_remove, lowercase);
        let protected: HashSet<String> = a.protected.iter().map(|w| lowercase(w.trim())).collect();
        let hit_rule = match file.themes.hit_rule.as_str() {
            "longest-match" => HitRule::LongestMatch,
            "match-starts" => HitRule::MatchStarts,
            other => {
                return Err(invalid(format!(
                    "[themes] hit_rule = {other:?}: expected longest-match or match-starts"
                )));
            }
        };
        let wildcard = match file.themes.wildcard.as_str() {
            "word" => Wildcard::Word,
            "stem" => Wildcard::Stem,
            other => {
                return Err(invalid(format!(
                    "[themes] wildcard = {other:?}: expected word or stem"
                )));
            }
        };
        let group_by = match file.metadata.group_by.trim() {
            "" | "session" => GroupBy::Session,
            "year" => GroupBy::Year,
            "quarter" => GroupBy::Quarter,
            "month" => GroupBy::Month,
            field => GroupBy::Field(field.to_lowercase()),
        };
        let input_dir = match (&flags.input, &file.input.dir) {
            (Some(p), _) => p.clone(),
            (None, Some(d)) => rel(d),
            (None, None) => PathBuf::from("input"),
        };
        let output_dir = match (&flags.output, &file.output.dir) {
            (Some(p), _) => p.clone(),
            (None, Some(d)) => rel(d),
            (None, None) => PathBuf::from("output"),
        };
        let manifest = match file.metadata.manifest.trim() {
            "" => None,
            m if Path::new(m).is_absolute() => Some(PathBuf::from(m)),
            m => Some(paths::tidy(&input_dir.join(m))),
        };
        let ch = &file.charts;
        if !(200..=16384).contains(&ch.width) || !(200..=16384).contains(&ch.height) {
            return Err(invalid(format!(
                "[charts] width and height must be 200 to 16384 pixels (got {}x{})",
                ch.width, ch.height
            )));
        }
        if !(0.25..=8.0).contains(&ch.scale) {
            return Err(invalid(format!(
                "[charts] scale must be 0.25 to 8 (got {})",
                ch.scale
            )));
        }
        if chart_pixel_size(ch.width, ch.height, ch.scale).is_none() {
            return Err(invalid(format!(
                "[charts] {}x{} pixels at scale {} makes charts of {:.0}x{:.0} pixels: each \
                 side must come to 200 (height 150) to {CHART_MAX_SIDE} pixels after scaling, \
                 at most {} million pixels in all",
                ch.width,
                ch.height,
                ch.scale,
                f64::from(ch.width) * ch.scale,
                f64::from(ch.height) * ch.scale,
                CHART_MAX_PIXELS / 1_000_000
            )));
        }
        if ch.top_n == 0 {
            return Err(invalid("[charts] top_n must be at least 1".into()));
        }
        if ch.dense_sessions < 2 {
            return Err(invalid(format!(
                "[charts] dense_sessions must be at least 2 (got {})",
                ch.dense_sessions
            )));
        }
        let pattern = file.metadata.file_name_pattern.trim();
        let evidence = file.evidence.resolve().map_err(invalid)?;
        let duplicates = DuplicatePolicy::parse(file.input.duplicates.trim()).ok_or_else(|| {
            invalid(format!(
                "[input] duplicates = {:?}: expected skip, keep or ignore",
                file.input.duplicates
            ))
        })?;
        let workbook_all_sheets = match file.output.workbook_sheets.trim() {
            "reading" => false,
            "all" => true,
            other => {
                return Err(invalid(format!(
                    "[output] workbook_sheets = {other:?}: expected reading or all"
                )));
            }
        };
        let tables = match &file.output.tables {
            None => None,
            Some(names) => {
                let mut chosen = Vec::with_capacity(names.len());
                for name in names {
                    let name = name.trim();
                    let file_name = if name.ends_with(".csv") {
                        name.to_string()
                    } else {
                        format!("{name}.csv")
                    };
                    if !TABLES.contains(&file_name.as_str()) {
                        return Err(invalid(format!(
                            "[output] tables: no table {name:?}; the tables are {}",
                            TABLES.join(", ")
                        )));
                    }
                    chosen.push(file_name);
                }
                chosen.sort();
                chosen.dedup();
                Some(chosen)
            }
        };
        // A table that is not written is not computed: its counting is switched off here.
        let writes = |t: &str| {
            tables
                .as_ref()
                .is_none_or(|c: &Vec<String>| c.iter().any(|n| n == t))
        };
        let mut evidence = evidence;
        // Asked for by name and switched off: one of the two is a mistake, and a run that
        // quietly leaves the table out would hide it.
        if !evidence.collocations
            && tables
                .as_ref()
                .is_some_and(|c| c.iter().any(|n| n == "collocations.csv"))
        {
            return Err(invalid(
                "[evidence] collocations = false, but [output] tables names collocations.csv, which needs them: remove one of the two".into(),
            ));
        }
        evidence.collocations &= writes("collocations.csv");
        let include = include_extensions(&file.input.include).map_err(invalid)?;
        Ok(Settings {
            input_dir,
            output_dir,
            include,
            duplicates,
            chunking: Chunking::default(),
            min_count: file.output.min_count,
            excel_compatible: flags
                .excel_compatible
                .unwrap_or(file.output.excel_compatible),
            wide_top_n: file.output.wide_top_n,
            workbook: file.output.workbook,
            analysis: AnalysisSettings {
                normalize,
                tokenizer,
                min_chars: a.min_token_chars,
                max_chars: a.max_token_chars,
                keep_numbers,
                lowercase_text,
                stopwords,
                stemmer: Stemmer::with_algorithm(
                    chains::stemmer_algorithm(policy.default).filter(|_| stem),
                    protected,
                ),
                language: policy.default,
                words: Vec::new(),
            },
            languages: LanguageSettings {
                policy,
                edits: ListEdits {
                    shipped: a.stopwords != "none",
                    stopwords_add: a.stopwords_add.clone(),
                    stopwords_remove: a.stopwords_remove.clone(),
                    protected: a.protected.clone(),
                },
            },
            themes_path: file.themes.file.as_deref().map(rel),
            hit_rule,
            cross_sentences: file.themes.cross_sentences,
            wildcard,
            manifest_required: manifest.is_some()
                && file.metadata.manifest.trim() != MetadataSection::default().manifest,
            manifest,
            file_name_pattern: (!pattern.is_empty()).then(|| pattern.to_string()),
            group_by,
            forums: if flags.forums.is_empty() {
                file.metadata.forums.clone()
            } else {
                flags.forums.clone()
            },
            charts: ChartsSection {
                enabled: file.charts.enabled && !flags.no_charts,
                ..file.charts.clone()
            },
            evidence,
            reference_tables: file.output.reference_tables,
            workbook_all_sheets,
            tables,
            report: file.output.report,
            config_path: path,
            config_text: text,
        })
    }

    /// The config file's name for chart footers and run records.
    pub fn config_name(&self) -> String {
        self.config_path
            .as_deref()
            .and_then(Path::file_name)
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "built-in defaults".into())
    }
}

/// `[input] include` as the extensions discovery compares with (lowercase, no dot): `txt`,
/// `.txt` and `*.txt` all name one. An empty list, or an entry that can never be a file's last
/// extension (`tar.gz`, `*`, `docs/*.txt`), is an error rather than a run that reads nothing.
fn include_extensions(list: &[String]) -> Result<Vec<String>, String> {
    const HINT: &str = "list extensions such as [\"txt\", \"md\", \"html\", \"htm\", \"pdf\", \"docx\"] (the default)";
    if list.is_empty() {
        return Err(format!(
            "[input] include = []: no file would be read; {HINT}"
        ));
    }
    list.iter()
        .map(|entry| {
            let ext = entry.trim().trim_start_matches('*').trim_start_matches('.');
            let bad = ext.is_empty()
                || ext.chars().any(|c| {
                    matches!(c, '.' | '/' | '\\' | '*' | '?' | '[' | ']') || c.is_whitespace()
                });
            if bad {
                Err(format!(
                    "[input] include: {entry:?} is not a file extension (what follows a file name's last dot); {HINT}"
                ))
            } else {
                Ok(ext.to_lowercase())
            }
        })
        .collect()
}

impl Settings {
    /// Where the configuration file sets `setting` (`"[themes] file"`): `path:line`, or
    /// `None` without a config file or when the file does not set it.
    pub fn place_of(&self, setting: &str) -> Option<String> {
        let path = self.config_path.as_deref()?;
        let line = named_key_line(&self.config_text, setting)?;
        Some(format!("{}:{line}", path.display()))
    }
}

/// The line of the config file `text` where the setting a validation `message` starts with
/// (`[section] key ...`) is written, else the line of its `[section]` header; `None` when the
/// message names no section, or the setting is not in the file (a default).
fn named_key_line(text: &str, message: &str) -> Option<usize> {
    use toml::de::{DeTable, DeValue};
    let rest = message.strip_prefix('[')?;
    let (section, after) = rest.split_once(']')?;
    let key = after
        .trim_start()
        .split(|c: char| c.is_whitespace() || matches!(c, ':' | '='))
        .next()
        .unwrap_or("");
    let doc = DeTable::parse(text).ok()?;
    // A dotted section (`[a.b]`) is a table inside a table.
    let mut table = doc.get_ref();
    let mut header = None;
    for part in section.split('.') {
        let value = table.get(part.trim())?;
        header = Some(value.span().start);
        match value.get_ref() {
            DeValue::Table(t) => table = t,
            _ => return None,
        }
    }
    let at = table.get(key).map(|v| v.span().start).or(header)?;
    // A table's span can start at its header's `[`; count the lines before the offset.
    let at = at.min(text.len());
    Some(text[..at].matches('\n').count() + 1)
}

fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Settings resolved from `text`, written as `c.toml` in `dir`.
    fn from_text(dir: &tempfile::TempDir, text: &str) -> Result<Settings, ConfigError> {
        let path = dir.path().join("c.toml");
        std::fs::write(&path, text).unwrap();
        Settings::resolve(Some(&path), &Overrides::default())
    }

    #[test]
    fn collocations_switched_off_and_asked_for_by_name_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let resolve = |text: &str| from_text(&dir, text);
        let err = resolve("[evidence]\ncollocations = false\n[output]\ntables = [\"keyness\", \"collocations\"]\n")
            .unwrap_err();
        assert!(
            err.to_string().contains(
                ":2: [evidence] collocations = false, but [output] tables names collocations.csv"
            ),
            "{err}"
        );
        // Either alone is fine: off without the table, or the table (and so the counting).
        let off = resolve("[evidence]\ncollocations = false\n").unwrap();
        assert!(!off.evidence.collocations);
        let named = resolve("[output]\ntables = [\"collocations\"]\n").unwrap();
        assert!(named.evidence.collocations);
        let other = resolve("[output]\ntables = [\"keyness\"]\n").unwrap();
        assert!(!other.evidence.collocations, "not written, not counted");
    }

    #[test]
    fn a_bad_value_is_placed_at_the_line_of_its_key() {
        let text = "# comment\n[analysis]\nstemmer = \"english\"\nlanguage = \"xx\"\n\n[charts]\nwidth = 100\n[output]\ntables = [\n  \"nope\",\n]\n";
        let line = |m: &str| named_key_line(text, m);
        assert_eq!(line("[analysis] language = \"xx\": expected"), Some(4));
        assert_eq!(line("[charts] width and height must be"), Some(7));
        assert_eq!(line("[output] tables: no table \"nope\""), Some(9));
        // A key the file does not set (a default that another value makes wrong): its section.
        assert_eq!(line("[charts] 900x600 pixels at scale 8"), Some(6));
        // Nothing named, or not in the file.
        assert_eq!(line("[evidence] keyness_rows = \"x\""), None);
        assert_eq!(line("no section"), None);
        assert_eq!(
            named_key_line("analysis.language = \"xx\"\n", "[analysis] language = "),
            Some(1)
        );
        assert_eq!(named_key_line("not [ toml", "[analysis] language"), None);

        let dir = tempfile::tempdir().unwrap();
        let err = from_text(&dir, &text.replace("width = 100", "width = 900")).unwrap_err();
        let path = dir.path().join("c.toml");
        assert!(
            err.to_string()
                .starts_with(&format!("{}:4: [analysis] language", path.display())),
            "{err}"
        );
    }

    #[test]
    fn include_takes_extensions_as_people_write_them() {
        let list =
            |l: &[&str]| include_extensions(&l.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            list(&["txt", ".MD", "*.html", " pdf "]).unwrap(),
            ["txt", "md", "html", "pdf"]
        );
        assert!(list(&[]).unwrap_err().contains("no file would be read"));
        for bad in ["", ".", "*", "tar.gz", "docs/*.txt", "t?t", "t xt"] {
            let err = list(&["txt", bad]).unwrap_err();
            assert!(
                err.contains(&format!("{bad:?} is not a file extension")),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn unknown_keys_name_line_column_and_suggest() {
        let err = from_toml::<ConfigFile>("[output]\nmin_cont = 3\n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
        assert!(err.contains("column 1"), "{err}");
        assert!(err.contains("did you mean `min_count`?"), "{err}");
        let err = from_toml::<ConfigFile>("[analysys]\n").unwrap_err();
        assert!(err.contains("did you mean `analysis`?"), "{err}");
        let err = from_toml::<ConfigFile>("[input]\ninclude_extensions = []\n").unwrap_err();
        assert!(err.contains("did you mean `include`?"), "{err}");
        let err = from_toml::<ConfigFile>("[input]\nzzzzzzzzzzzz = 1\n").unwrap_err();
        assert!(!err.contains("did you mean"), "{err}");
    }

    #[test]
    fn defaults_resolve_without_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = dir.path().join("c.toml");
        std::fs::write(
            &cfg,
            "[input]\ndir = \"in\"\n[metadata]\ngroup_by = \"year\"\n",
        )
        .unwrap();
        let s = Settings::resolve(Some(&cfg), &Overrides::default()).unwrap();
        assert_eq!(
            s.input_dir,
            dir.path().join("in"),
            "relative to the config file"
        );
        assert_eq!(s.group_by, GroupBy::Year);
        assert_eq!(s.min_count, 2);
        assert_eq!((s.wide_top_n, s.workbook), (50, true));
        assert_eq!(s.analysis.stopwords.len(), 174);
        let flags = Overrides {
            input: Some("elsewhere".into()),
            ..Overrides::default()
        };
        let s = Settings::resolve(Some(&cfg), &flags).unwrap();
        assert_eq!(s.input_dir, PathBuf::from("elsewhere"), "flags win");
    }

    #[test]
    fn bad_choices_are_rejected_with_the_key() {
        let dir = tempfile::tempdir().unwrap();
        let err = from_text(&dir, "[analysis]\nnumbers = \"sometimes\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("numbers") && err.contains("c.toml"), "{err}");
    }

    #[test]
    fn the_language_is_a_code_or_detect() {
        let dir = tempfile::tempdir().unwrap();
        let resolve = |text: &str| from_text(&dir, text);
        let s = resolve("").unwrap();
        assert_eq!(s.languages.policy, LanguagePolicy::default());
        let s = resolve("[analysis]\nlanguage = \"fr\"\n").unwrap();
        assert_eq!(
            (s.analysis.language, s.languages.policy.detect),
            (Language::Fr, false)
        );
        // The default language's list is that language's: "les" is French, "the" is not.
        assert!(s.analysis.stopwords.contains("les") && !s.analysis.stopwords.contains("the"));
        let s = resolve("[analysis]\nlanguage = \"detect\"\ndetect_fallback = \"ru\"\n").unwrap();
        assert_eq!(
            (s.analysis.language, s.languages.policy.detect),
            (Language::Ru, true)
        );
        for bad in [
            "language = \"de\"",
            "language = \"french\"",
            "language = \"detect\"\ndetect_fallback = \"x\"",
        ] {
            let err = resolve(&format!("[analysis]\n{bad}\n"))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("expected one of ar, en, es, fr, ru, zh"),
                "{bad}: {err}"
            );
        }
    }
}
