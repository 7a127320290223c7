//! Option types of the stages, as plain data: what a config file resolves into.

use serde::Deserialize;

/// How hits are counted (see `themes::matcher`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HitRule {
    #[default]
    LongestMatch,
    MatchStarts,
}

/// What a trailing `*` compares with (`[themes] wildcard`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Wildcard {
    /// The word as written, or its stem (`negotiat*` meets negotiations, stem `negoti`).
    #[default]
    Word,
    /// The stem only: the stem of the word starts with the stem of the prefix (the
    /// reference job's rule; `negotiat*` misses negotiations).
    Stem,
}

impl Wildcard {
    /// The setting's value as written in the configuration.
    pub fn name(self) -> &'static str {
        match self {
            Wildcard::Word => "word",
            Wildcard::Stem => "stem",
        }
    }
}

/// How `charts/theme_trends.png` lays out the themes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeLayout {
    /// One set of axes for every theme, or one panel per theme when the chart is dense.
    #[default]
    Auto,
    /// Every theme on one set of axes.
    Overlay,
    /// Small multiples: one panel per theme, all on the same y scale.
    Panels,
}

/// `[evidence]` as written in the config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct EvidenceSection {
    /// Words of context kept on each side of a hit (theme_contexts.csv, `kwic`).
    pub context_words: usize,
    /// "earlier": each session against all earlier sessions; "others": against all other sessions.
    pub keyness_reference: String,
    /// keyness.csv leaves out terms seen fewer times than this in target and reference together.
    pub keyness_min_count: u64,
    /// "significant": keyness.csv keeps the terms whose Benjamini-Hochberg adjusted p-value is at
    /// most `keyness_alpha`; "all": every term tested.
    pub keyness_rows: String,
    /// False discovery rate of the significant rows of keyness.csv.
    pub keyness_alpha: f64,
    /// Terms per session in top_terms.csv.
    pub top_terms: usize,
    /// Count two- and three-word sequences for collocations.csv.
    pub collocations: bool,
    /// collocations.csv leaves out sequences seen fewer times than this in the whole corpus.
    pub collocation_min_count: u64,
    /// collocations.csv keeps the strongest this many phrases (0 = all).
    pub collocations_top: usize,
    /// Bootstrap resamples behind `ci_low`/`ci_high` (0: no interval, the bounds equal the rate).
    pub bootstrap_resamples: u32,
    /// Seed of the bootstrap: the same seed gives the same intervals, byte for byte.
    pub bootstrap_seed: u64,
    /// Coverage of the interval, e.g. 0.95.
    pub confidence_level: f64,
}

impl Default for EvidenceSection {
    fn default() -> Self {
        EvidenceSection {
            context_words: 10,
            keyness_reference: "earlier".into(),
            keyness_min_count: 5,
            keyness_rows: "significant".into(),
            keyness_alpha: 0.05,
            top_terms: 20,
            collocations: true,
            collocation_min_count: 5,
            collocations_top: 5000,
            bootstrap_resamples: 1000,
            bootstrap_seed: 42,
            confidence_level: 0.95,
        }
    }
}

/// What each session is compared with in keyness.csv.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeynessReference {
    /// All earlier (dated) sessions pooled; the first session has no rows.
    Earlier,
    /// All other sessions pooled.
    Others,
}

impl KeynessReference {
    pub fn as_str(self) -> &'static str {
        match self {
            KeynessReference::Earlier => "earlier",
            KeynessReference::Others => "others",
        }
    }
}

/// The `[evidence]` settings, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceSettings {
    pub context_words: usize,
    pub keyness_reference: KeynessReference,
    pub keyness_min_count: u64,
    /// keyness.csv keeps every tested term (`keyness_rows = "all"`) instead of the significant ones.
    pub keyness_all_rows: bool,
    pub keyness_alpha: f64,
    pub top_terms: usize,
    pub collocations: bool,
    pub collocation_min_count: u64,
    pub collocations_top: usize,
    pub bootstrap_resamples: u32,
    pub bootstrap_seed: u64,
    pub confidence_level: f64,
}

impl Default for EvidenceSettings {
    fn default() -> Self {
        // The defaults are valid by construction, so resolving them cannot fail.
        EvidenceSection::default()
            .resolve()
            .unwrap_or(EvidenceSettings {
                context_words: 10,
                keyness_reference: KeynessReference::Earlier,
                keyness_min_count: 5,
                keyness_all_rows: false,
                keyness_alpha: 0.05,
                top_terms: 20,
                collocations: true,
                collocation_min_count: 5,
                collocations_top: 5000,
                bootstrap_resamples: 1000,
                bootstrap_seed: 42,
                confidence_level: 0.95,
            })
    }
}

/// Longest context window a config may ask for: beyond it a "context" is a page.
const MAX_CONTEXT_WORDS: usize = 200;
/// More resamples than this change an interval's bounds by less than its rounding, and cost
/// time and memory in proportion (every session's and theme's replicates are held to sort).
const MAX_BOOTSTRAP_RESAMPLES: u32 = 100_000;

impl EvidenceSection {
    /// Validates the section; the error names the key.
    pub fn resolve(&self) -> Result<EvidenceSettings, String> {
        let keyness_reference = match self.keyness_reference.trim() {
            "earlier" => KeynessReference::Earlier,
            "others" => KeynessReference::Others,
            other => {
                return Err(format!(
                    "[evidence] keyness_reference = {other:?}: expected earlier or others"
                ));
            }
        };
        if self.context_words > MAX_CONTEXT_WORDS {
            return Err(format!(
                "[evidence] context_words = {}: at most {MAX_CONTEXT_WORDS}",
                self.context_words
            ));
        }
        let keyness_all_rows = match self.keyness_rows.trim() {
            "significant" => false,
            "all" => true,
            other => {
                return Err(format!(
                    "[evidence] keyness_rows = {other:?}: expected significant or all"
                ));
            }
        };
        if self.bootstrap_resamples > MAX_BOOTSTRAP_RESAMPLES {
            return Err(format!(
                "[evidence] bootstrap_resamples = {}: at most {MAX_BOOTSTRAP_RESAMPLES} (1000 to 10000 is usual)",
                self.bootstrap_resamples
            ));
        }
        let alpha = self.keyness_alpha;
        if !(alpha > 0.0 && alpha <= 1.0) {
            return Err(format!(
                "[evidence] keyness_alpha = {alpha}: expected a number above 0 and at most 1, e.g. 0.05"
            ));
        }
        let level = self.confidence_level;
        if !(level > 0.0 && level < 1.0) {
            return Err(format!(
                "[evidence] confidence_level = {level}: expected a number between 0 and 1, e.g. 0.95"
            ));
        }
        Ok(EvidenceSettings {
            context_words: self.context_words,
            keyness_reference,
            keyness_min_count: self.keyness_min_count,
            keyness_all_rows,
            keyness_alpha: alpha,
            top_terms: self.top_terms,
            collocations: self.collocations,
            collocation_min_count: self.collocation_min_count.max(1),
            collocations_top: self.collocations_top,
            bootstrap_resamples: self.bootstrap_resamples,
            bootstrap_seed: self.bootstrap_seed,
            confidence_level: level,
        })
    }
}

/// What the fold captures for the evidence tables (part of the shared `Engine`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaptureOptions {
    /// Words of context on each side of a hit.
    pub context_words: usize,
    /// Count n-grams for collocations.csv.
    pub collocations: bool,
    /// Keep each hit's record (theme_matches.csv, theme_contexts.csv); off, hits are only counted.
    pub hits: bool,
    /// Cut the words around each kept hit (theme_contexts.csv).
    pub contexts: bool,
}

impl Default for CaptureOptions {
    fn default() -> Self {
        CaptureOptions {
            context_words: 10,
            collocations: false,
            hits: true,
            contexts: true,
        }
    }
}

impl From<&EvidenceSettings> for CaptureOptions {
    fn from(s: &EvidenceSettings) -> Self {
        CaptureOptions {
            context_words: s.context_words,
            collocations: s.collocations,
            ..CaptureOptions::default()
        }
    }
}

/// What to do with a statement whose bytes equal an earlier one's (`[input] duplicates`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DuplicatePolicy {
    /// Count the first copy only; list the others in skipped.csv.
    #[default]
    Skip,
    /// Count every copy (each still gets a warning).
    Keep,
    /// Do not look for duplicates at all: every file counts, silently (the
    /// benchmark's reference job, whose peers do not check either).
    Ignore,
}

impl DuplicatePolicy {
    /// Parses the config value; `None` for anything but `skip`, `keep` and `ignore`.
    pub fn parse(value: &str) -> Option<DuplicatePolicy> {
        match value {
            "skip" => Some(DuplicatePolicy::Skip),
            "keep" => Some(DuplicatePolicy::Keep),
            "ignore" => Some(DuplicatePolicy::Ignore),
            _ => None,
        }
    }
}

/// When a statement is read in pieces, and how big they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunking {
    /// Files larger than this many bytes are read in pieces.
    pub threshold: u64,
    /// Bytes read and decoded at a time, and the target size of a piece of text.
    pub chunk_bytes: usize,
    /// Text kept from the start of the statement for its metadata (front matter, header).
    pub head_bytes: usize,
}

impl Default for Chunking {
    fn default() -> Self {
        Chunking {
            threshold: 4 << 20,
            chunk_bytes: 1 << 20,
            head_bytes: 64 << 10,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_resolve_and_bad_values_name_the_key() {
        let s = EvidenceSettings::default();
        assert_eq!(s.context_words, 10);
        assert_eq!(s.keyness_reference, KeynessReference::Earlier);
        let bad = EvidenceSection {
            keyness_reference: "later".into(),
            ..EvidenceSection::default()
        };
        assert!(bad.resolve().unwrap_err().contains("keyness_reference"));
        let bad = EvidenceSection {
            confidence_level: 95.0,
            ..EvidenceSection::default()
        };
        assert!(bad.resolve().unwrap_err().contains("confidence_level"));
        let bad = EvidenceSection {
            context_words: 10_000,
            ..EvidenceSection::default()
        };
        assert!(bad.resolve().unwrap_err().contains("context_words"));
        let bad = EvidenceSection {
            keyness_rows: "some".into(),
            ..EvidenceSection::default()
        };
        assert!(bad.resolve().unwrap_err().contains("keyness_rows"));
        let bad = EvidenceSection {
            keyness_alpha: 0.0,
            ..EvidenceSection::default()
        };
        assert!(bad.resolve().unwrap_err().contains("keyness_alpha"));
        let bad = EvidenceSection {
            bootstrap_resamples: 100_001,
            ..EvidenceSection::default()
        };
        assert!(bad.resolve().unwrap_err().contains("bootstrap_resamples"));
        let most = EvidenceSection {
            bootstrap_resamples: 100_000,
            ..EvidenceSection::default()
        };
        assert_eq!(most.resolve().unwrap().bootstrap_resamples, 100_000);
        assert!(!EvidenceSettings::default().keyness_all_rows);
    }

    #[test]
    fn section_parses_from_toml() {
        let s: EvidenceSection = crate::config::from_toml(
            "context_words = 3\nkeyness_reference = \"others\"\ncollocations = false\n",
        )
        .unwrap();
        let r = s.resolve().unwrap();
        assert_eq!(r.context_words, 3);
        assert_eq!(r.keyness_reference, KeynessReference::Others);
        assert!(!r.collocations);
        assert!(crate::config::from_toml::<EvidenceSection>("context_word = 3\n").is_err());
    }
}
