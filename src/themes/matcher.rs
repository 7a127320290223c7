//! Theme matching: dictionary patterns compiled through the analysis chain, matched on stem ids.
//!
//! Counting rule: patterns match consecutive kept tokens (stopwords are
//! dropped from text and patterns alike, so "access as a service" matches
//! "access as a service" and "access-as-a-service"). With the default
//! `longest-match` rule, matching runs left to right per theme: at each
//! position the longest pattern of the theme that matches wins (the first
//! in the dictionary on a tie), and the positions it covers cannot start
//! another hit of the same theme, so a token counts at most once per theme.
//! `match-starts` counts every position where some pattern of the theme
//! starts a match (the reference job's rule).

use std::fmt;

use rustc_hash::FxHashMap;

use crate::analyze::{Analyzer, Vocab, WordKind};
use crate::config::HitRule;
use crate::themes::dictionary::Dictionary;

/// One word of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternWord {
    /// The stem must be exactly this.
    Exact(String),
    /// The stem must start with this (a trailing `*` in the dictionary).
    Prefix(String),
}

impl PatternWord {
    #[inline]
    pub fn matches(&self, stem: &str) -> bool {
        match self {
            PatternWord::Exact(s) => stem == s,
            PatternWord::Prefix(p) => stem.starts_with(p.as_str()),
        }
    }
}

/// A dictionary pattern after analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    pub theme: u32,
    /// The pattern as the analyst wrote it.
    pub text: String,
    pub words: Vec<PatternWord>,
}

/// A pattern that cannot be compiled, with the dictionary's other bad patterns (`more`), so
/// one pass names them all.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PatternError {
    /// Empty for a pattern of no theme (`kwic`'s).
    pub theme: String,
    pub pattern: String,
    pub message: String,
    pub more: Vec<PatternError>,
}

impl PatternError {
    /// This error and the others found with it, each on its own.
    pub fn all(&self) -> impl Iterator<Item = &PatternError> {
        std::iter::once(self).chain(&self.more)
    }

    /// `first`'s errors (if any), then `then`'s, as one error.
    pub fn joined(first: Option<PatternError>, then: PatternError) -> PatternError {
        match first {
            None => then,
            Some(mut e) => {
                let PatternError { more, .. } = &then;
                let more = more.clone();
                e.more.push(PatternError {
                    more: Vec::new(),
                    ..then
                });
                e.more.extend(more);
                e
            }
        }
    }

    /// The same errors, each message passed through `f`.
    pub fn map_messages(self, f: impl Fn(&str) -> String) -> PatternError {
        PatternError {
            message: f(&self.message),
            more: (self.more.into_iter())
                .map(|e| PatternError {
                    message: f(&e.message),
                    ..e
                })
                .collect(),
            ..self
        }
    }
}

/// The first error only; see [`PatternError::all`] for the rest.
impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.theme.is_empty() {
            write!(f, "pattern {:?}: {}", self.pattern, self.message)
        } else {
            write!(
                f,
                "theme {:?}, pattern {:?}: {}",
                self.theme, self.pattern, self.message
            )
        }
    }
}

impl std::error::Error for PatternError {}

/// One hit: pattern `pattern` of theme `theme` covers kept tokens `start..start + len`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub theme: u32,
    pub pattern: u32,
    pub start: usize,
    pub len: usize,
}

/// All themes' patterns, compiled once and shared by every worker.
#[derive(Debug, Clone)]
pub struct ThemeMatcher {
    themes: Vec<String>,
    patterns: Vec<Pattern>,
    exact_first: FxHashMap<String, Vec<u32>>,
    prefix_first: FxHashMap<String, Vec<u32>>,
    /// The longest key of `prefix_first`, in bytes: no longer start of a stem is looked up
    /// (a 600 KB "word" made the lookups quadratic in its length).
    prefix_max: usize,
    rule: HitRule,
    cross_sentences: bool,
}

impl ThemeMatcher {
    pub fn compile(
        dict: &Dictionary,
        analyzer: &Analyzer,
        rule: HitRule,
        cross_sentences: bool,
    ) -> Result<ThemeMatcher, PatternError> {
        let mut m = ThemeMatcher {
            themes: dict
                .themes
                .iter()
                .map(|t| t.name.trim().to_string())
                .collect(),
            patterns: Vec::new(),
            exact_first: FxHashMap::default(),
            prefix_first: FxHashMap::default(),
            prefix_max: 0,
            rule,
            cross_sentences,
        };
        let mut errors: Vec<PatternError> = Vec::new();
        for (ti, theme) in dict.themes.iter().enumerate() {
            for text in &theme.patterns {
                let words = match compile_pattern(text, analyzer) {
                    Ok(words) => words,
                    Err(message) => {
                        errors.push(PatternError {
                            theme: theme.name.clone(),
                            pattern: text.clone(),
                            message,
                            more: Vec::new(),
                        });
                        continue;
                    }
                };
                let id = m.patterns.len() as u32;
                match &words[0] {
                    PatternWord::Exact(s) => m.exact_first.entry(s.clone()).or_default().push(id),
                    PatternWord::Prefix(s) => {
                        m.prefix_max = m.prefix_max.max(s.len());
                        m.prefix_first.entry(s.clone()).or_default().push(id)
                    }
                }
                m.patterns.push(Pattern {
                    theme: ti as u32,
                    text: text.trim().to_string(),
                    words,
                });
            }
        }
        if !errors.is_empty() {
            let mut first = errors.remove(0);
            first.more = errors;
            return Err(first);
        }
        Ok(m)
    }

    /// The dictionary's themes with none of their patterns (a language nobody wrote any for).
    pub fn without_patterns(
        dict: &Dictionary,
        rule: HitRule,
        cross_sentences: bool,
    ) -> ThemeMatcher {
        ThemeMatcher {
            themes: dict
                .themes
                .iter()
                .map(|t| t.name.trim().to_string())
                .collect(),
            patterns: Vec::new(),
            exact_first: FxHashMap::default(),
            prefix_first: FxHashMap::default(),
            prefix_max: 0,
            rule,
            cross_sentences,
        }
    }

    pub fn themes(&self) -> &[String] {
        &self.themes
    }

    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Ids of the patterns whose first word matches `stem`, ascending.
    pub fn first_word_candidates(&self, stem: &str) -> Vec<u32> {
        let mut out = Vec::new();
        if let Some(ids) = self.exact_first.get(stem) {
            out.extend_from_slice(ids);
        }
        if !self.prefix_first.is_empty() {
            let starts = (stem.char_indices().skip(1))
                .map(|(i, _)| i)
                .chain([stem.len()])
                .take_while(|&i| i <= self.prefix_max);
            for i in starts {
                if let Some(ids) = self.prefix_first.get(&stem[..i]) {
                    out.extend_from_slice(ids);
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// Finds the hits in one document's kept tokens (`stems`, with a flag per
    /// token for "a sentence starts here"). `cache` is the worker's memo of
    /// first-word candidates per stem id of `vocab`.
    pub fn find(
        &self,
        stems: &[u32],
        sentence_starts: &[bool],
        vocab: &Vocab,
        cache: &mut MatchCache,
        hits: &mut Vec<Hit>,
    ) {
        if self.patterns.is_empty() {
            return;
        }
        let mut next_free = vec![0usize; self.themes.len()];
        for i in 0..stems.len() {
            let cands = cache.candidates(self, vocab, stems[i]);
            if cands.is_empty() {
                continue;
            }
            let mut k = 0;
            while k < cands.len() {
                let theme = self.patterns[cands[k] as usize].theme;
                let mut best: Option<(u32, usize)> = None;
                while k < cands.len() && self.patterns[cands[k] as usize].theme == theme {
                    let pid = cands[k];
                    k += 1;
                    if i < next_free[theme as usize] {
                        continue;
                    }
                    let words = &self.patterns[pid as usize].words;
                    let len = words.len();
                    if i + len > stems.len() || best.is_some_and(|(_, l)| l >= len) {
                        continue;
                    }
                    let rest_matches = (1..len).all(|j| {
                        (self.cross_sentences || !sentence_starts[i + j])
                            && words[j].matches(vocab.stem_text(stems[i + j]))
                    });
                    if rest_matches {
                        best = Some((pid, len));
                    }
                }
                if let Some((pattern, len)) = best {
                    hits.push(Hit {
                        theme,
                        pattern,
                        start: i,
                        len,
                    });
                    if self.rule == HitRule::LongestMatch {
                        next_free[theme as usize] = i + len;
                    }
                }
            }
        }
    }
}

/// Per-worker memo: first-word candidate patterns for each stem id of one vocabulary.
#[derive(Debug, Default, Clone)]
pub struct MatchCache {
    first: Vec<Option<Box<[u32]>>>,
}

impl MatchCache {
    #[inline]
    fn candidates(&mut self, m: &ThemeMatcher, vocab: &Vocab, stem: u32) -> &[u32] {
        let idx = stem as usize;
        if idx >= self.first.len() {
            self.first.resize(vocab.stem_count().max(idx + 1), None);
        }
        self.first[idx].get_or_insert_with(|| m.first_word_candidates(vocab.stem_text(stem)).into())
    }
}

/// Runs one pattern through the analysis chain.
fn compile_pattern(text: &str, analyzer: &Analyzer) -> Result<Vec<PatternWord>, String> {
    let mut words = Vec::new();
    let mut lower = String::new();
    for raw in text.split_whitespace() {
        let glob = raw.ends_with('*');
        let body = raw.trim_end_matches('*');
        if body.contains('*') {
            return Err(format!(
                "'*' is only allowed at the end of a word (in {raw:?})"
            ));
        }
        if glob && raw.len() - body.len() > 1 {
            return Err(format!("write one '*', not several (in {raw:?})"));
        }
        let prepared = analyzer.prepare(body);
        let mut spans = analyzer.tokenizer().spans(&prepared);
        if glob && spans.is_empty() {
            return Err(format!("{raw:?} is a wildcard with no letters before it"));
        }
        let last = if glob { spans.pop() } else { None };
        for span in spans {
            analyzer.lowercase_into(&prepared[span.start..span.end], &mut lower);
            if analyzer.kind(&lower) == WordKind::Kept {
                words.push(PatternWord::Exact(analyzer.stem(&lower).into_owned()));
            }
        }
        if let Some(span) = last {
            analyzer.lowercase_into(&prepared[span.start..span.end], &mut lower);
            // The prefix is the stem of the word, so "mercenar*" and
            // "colonial*" meet the stems of their inflections.
            let prefix = match analyzer.kind(&lower) {
                WordKind::Kept => analyzer.stem(&lower).into_owned(),
                _ => lower.clone(),
            };
            if prefix.chars().count() < 2 {
                return Err(format!(
                    "{raw:?} is too short a wildcard (at least 2 letters before '*')"
                ));
            }
            words.push(PatternWord::Prefix(prefix));
        }
    }
    if words.is_empty() {
        return Err(
            "the pattern has no word left after analysis (only stopwords, numbers or one-letter words?)"
                .into(),
        );
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::tests::default_analyzer;
    use crate::themes::dictionary::ThemeDef;

    fn dict(themes: &[(&str, &[&str])]) -> Dictionary {
        Dictionary {
            themes: themes
                .iter()
                .map(|(n, ps)| ThemeDef {
                    name: n.to_string(),
                    patterns: ps.iter().map(|p| p.to_string()).collect(),
                    ..ThemeDef::default()
                })
                .collect(),
        }
    }

    /// Runs the matcher over a text; returns (theme, pattern text, matched words).
    fn run(themes: &[(&str, &[&str])], rule: HitRule, text: &str) -> Vec<(String, String, String)> {
        let a = default_analyzer();
        let m = ThemeMatcher::compile(&dict(themes), &a, rule, false).unwrap();
        let toks: Vec<_> = a
            .analyze(text)
            .into_iter()
            .filter(|t| t.stem.is_some())
            .collect();
        let mut vocab = Vocab::default();
        let stems: Vec<u32> = toks
            .iter()
            .map(|t| vocab.intern_stem(t.stem.as_deref().unwrap()))
            .collect();
        let starts: Vec<bool> = toks.iter().map(|t| t.span.sentence_start).collect();
        let mut hits = Vec::new();
        m.find(
            &stems,
            &starts,
            &vocab,
            &mut MatchCache::default(),
            &mut hits,
        );
        hits.iter()
            .map(|h| {
                let first = toks[h.start].span.start;
                let last = toks[h.start + h.len - 1].span.end;
                (
                    m.themes()[h.theme as usize].clone(),
                    m.patterns()[h.pattern as usize].text.clone(),
                    text[first..last].to_string(),
                )
            })
            .collect()
    }

    #[test]
    fn phrases_with_stopwords_match_the_text() {
        let hits = run(
            &[("merc", &["access as a service"])],
            HitRule::LongestMatch,
            "the growth of “access as a service” markets",
        );
        assert_eq!(
            hits,
            [(
                "merc".into(),
                "access as a service".into(),
                "access as a service".into()
            )]
        );
    }

    #[test]
    fn globs_match_stem_prefixes_and_literals_do_not() {
        let hits = run(
            &[("m", &["mercenar*"]), ("c", &["cyber"])],
            HitRule::LongestMatch,
            "Cyber mercenaries and a mercenary; cyberspace",
        );
        let got: Vec<&str> = hits.iter().map(|h| h.2.as_str()).collect();
        assert_eq!(got, ["Cyber", "mercenaries", "mercenary"]);
    }

    #[test]
    fn a_stem_far_longer_than_any_wildcard_still_matches_its_start() {
        // Only starts up to the longest wildcard are looked up (a 600 KB word once made the
        // lookups quadratic); what they find is unchanged.
        let long = format!("mercenar{}", "x".repeat(100_000));
        let hits = run(
            &[("m", &["mercenar*"]), ("s", &["sé*"])],
            HitRule::LongestMatch,
            &format!("{long} mercenary sécurité {}", "é".repeat(50_000)),
        );
        let got: Vec<&str> = hits.iter().map(|h| h.1.as_str()).collect();
        assert_eq!(got, ["mercenar*", "mercenar*", "sé*"]);
    }

    #[test]
    fn longest_match_wins_and_positions_count_once_per_theme() {
        let themes: &[(&str, &[&str])] = &[(
            "ci",
            &["infrastructure", "critical infrastructure", "critical"],
        )];
        let hits = run(
            themes,
            HitRule::LongestMatch,
            "critical infrastructure and infrastructure",
        );
        let got: Vec<(&str, &str)> = hits.iter().map(|h| (h.1.as_str(), h.2.as_str())).collect();
        assert_eq!(
            got,
            [
                ("critical infrastructure", "critical infrastructure"),
                ("infrastructure", "infrastructure")
            ]
        );
    }

    #[test]
    fn overlapping_patterns_in_one_theme_do_not_double_count() {
        // "cyber*" and "cybersecurity" both match "cybersecurity": one hit.
        let hits = run(
            &[("c", &["cyber*", "cybersecurity"])],
            HitRule::LongestMatch,
            "cybersecurity",
        );
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].1, "cyber*", "a tie goes to the first pattern");
        // A covered position cannot start a second hit of the same theme...
        let themes: &[(&str, &[&str])] = &[("t", &["supply chain", "chain security"])];
        assert_eq!(
            run(themes, HitRule::LongestMatch, "supply chain security").len(),
            1
        );
        // ...but under match-starts every start counts.
        assert_eq!(
            run(themes, HitRule::MatchStarts, "supply chain security").len(),
            2
        );
    }

    #[test]
    fn themes_count_independently() {
        let hits = run(
            &[("a", &["capacity building"]), ("b", &["capacity"])],
            HitRule::LongestMatch,
            "capacity building",
        );
        assert_eq!(hits.len(), 2);
    }

    #[test]
    fn phrases_cross_page_breaks_but_not_sentences() {
        let t: &[(&str, &[&str])] = &[("s", &["supply chain"])];
        assert_eq!(
            run(t, HitRule::LongestMatch, "the supply\n\nchain").len(),
            1
        );
        assert_eq!(run(t, HitRule::LongestMatch, "we supply. Chain").len(), 0);
    }

    #[test]
    fn bad_patterns_are_errors() {
        let a = default_analyzer();
        for (p, needle) in [
            ("the of", "no word left"),
            ("cy*ber", "only allowed at the end"),
            ("a*", "too short"),
            ("*", "no letters"),
            ("cyber**", "one '*'"),
        ] {
            let err =
                ThemeMatcher::compile(&dict(&[("t", &[p])]), &a, HitRule::LongestMatch, false)
                    .unwrap_err();
            assert!(err.to_string().contains(needle), "{p}: {err}");
        }
    }

    proptest::proptest! {
        /// Any pattern text compiles or is rejected with a message; it never panics, and a
        /// compiled pattern has at least one word and a wildcard only at its end.
        #[test]
        fn pattern_compiler_is_total(
            raw in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just('*'), proptest::strategy::Just(' '),
                    proptest::strategy::Just('a'), proptest::strategy::Just('-'),
                    proptest::strategy::Just('\u{301}'), proptest::strategy::Just('\u{fb01}'),
                    proptest::strategy::Just('\''), proptest::strategy::Just('1'),
                    proptest::prelude::any::<char>(),
                ],
                0..24,
            )
        ) {
            let text: String = raw.into_iter().collect();
            let a = default_analyzer();
            match compile_pattern(&text, &a) {
                Ok(words) => {
                    proptest::prop_assert!(!words.is_empty());
                    for w in &words[..words.len() - 1] {
                        let is_prefix = matches!(w, PatternWord::Prefix(_));
                        let glued = text.split_whitespace().count() > 1;
                        // Only the last word of each space-separated part may be a wildcard.
                        proptest::prop_assert!(!is_prefix || glued, "{text:?}: {words:?}");
                    }
                }
                Err(message) => proptest::prop_assert!(!message.is_empty()),
            }
        }
    }
}
