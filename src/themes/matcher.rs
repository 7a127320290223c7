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
//!
//! Wildcards: `negotiat*` matches a word that starts with `negotiat` as written (after the
//! same lowercasing and normalisation as the text), or whose stem starts with the stem of
//! `negotiat` (so `colonial*` also meets `colonies`, stem `coloni`). Under
//! [`Wildcard::Stem`] (the reference job's rule) only the second holds.

use std::fmt;

use rustc_hash::FxHashMap;

use crate::analyze::{Analyzer, Vocab, WordKind};
use crate::config::{HitRule, Wildcard};
use crate::themes::dictionary::Dictionary;

/// One word of a compiled pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternWord {
    /// The stem must be exactly this.
    Exact(String),
    /// A trailing `*` in the dictionary: the stem must start with `stem` (the stem of what
    /// precedes the `*`), or, unless wildcards are stem-only, the word must start with
    /// `word` (what precedes the `*`, lowercased as the text is).
    Prefix { stem: String, word: String },
}

impl PatternWord {
    /// Whether a token with this stem and word (lowercased) matches, under `wildcard`.
    #[inline]
    pub fn matches(&self, stem: &str, word: &str, wildcard: Wildcard) -> bool {
        match self {
            PatternWord::Exact(s) => stem == s,
            PatternWord::Prefix { stem: p, word: w } => {
                stem.starts_with(p.as_str())
                    || (wildcard == Wildcard::Word && word.starts_with(w.as_str()))
            }
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
    /// Words of the pattern that are not tokens at all (bare numbers, one-letter words,
    /// as in the text), so the pattern matches without them: `77` of "Group of 77".
    pub dropped: Vec<String>,
    /// Stopwords of the pattern (longer than one letter), which the analysis drops from the
    /// pattern as from the text: "Estados" of "Estados Unidos" in a Spanish dictionary.
    pub stopped: Vec<String>,
}

/// What the analysis chain makes of one pattern.
type Compiled = (Vec<PatternWord>, Vec<String>, Vec<String>);

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
    /// Patterns whose first word is a wildcard, by what precedes its `*` as written.
    word_prefix_first: FxHashMap<String, Vec<u32>>,
    /// The longest key of `word_prefix_first`, in bytes.
    word_prefix_max: usize,
    rule: HitRule,
    cross_sentences: bool,
    wildcard: Wildcard,
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
            word_prefix_first: FxHashMap::default(),
            word_prefix_max: 0,
            rule,
            cross_sentences,
            wildcard: Wildcard::default(),
        };
        let mut errors: Vec<PatternError> = Vec::new();
        for (ti, theme) in dict.themes.iter().enumerate() {
            for text in &theme.patterns {
                let (words, dropped, stopped) = match compile_pattern(text, analyzer) {
                    Ok(compiled) => compiled,
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
                    PatternWord::Prefix { stem, word } => {
                        m.prefix_max = m.prefix_max.max(stem.len());
                        m.prefix_first.entry(stem.clone()).or_default().push(id);
                        m.word_prefix_max = m.word_prefix_max.max(word.len());
                        m.word_prefix_first
                            .entry(word.clone())
                            .or_default()
                            .push(id);
                    }
                }
                m.patterns.push(Pattern {
                    theme: ti as u32,
                    text: text.trim().to_string(),
                    words,
                    dropped,
                    stopped,
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
            word_prefix_first: FxHashMap::default(),
            word_prefix_max: 0,
            rule,
            cross_sentences,
            wildcard: Wildcard::default(),
        }
    }

    /// The same matcher with `wildcard` as the rule for a trailing `*`.
    pub fn with_wildcard(mut self, wildcard: Wildcard) -> ThemeMatcher {
        self.wildcard = wildcard;
        self
    }

    pub fn wildcard(&self) -> Wildcard {
        self.wildcard
    }

    pub fn themes(&self) -> &[String] {
        &self.themes
    }

    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Ids of the patterns whose first word matches a token with this stem and word
    /// (lowercased), ascending.
    pub fn first_word_candidates(&self, stem: &str, word: &str) -> Vec<u32> {
        let mut out = Vec::new();
        if let Some(ids) = self.exact_first.get(stem) {
            out.extend_from_slice(ids);
        }
        let mut add_starts = |text: &str, map: &FxHashMap<String, Vec<u32>>, max: usize| {
            if map.is_empty() {
                return;
            }
            let starts = (text.char_indices().skip(1))
                .map(|(i, _)| i)
                .chain([text.len()])
                .take_while(|&i| i <= max);
            for i in starts {
                if let Some(ids) = map.get(&text[..i]) {
                    out.extend_from_slice(ids);
                }
            }
        };
        add_starts(stem, &self.prefix_first, self.prefix_max);
        if self.wildcard == Wildcard::Word {
            add_starts(word, &self.word_prefix_first, self.word_prefix_max);
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Whether pattern word `pw` matches a token with this stem and word.
    #[inline]
    pub fn word_matches(&self, pw: &PatternWord, stem: &str, word: &str) -> bool {
        pw.matches(stem, word, self.wildcard)
    }

    /// Finds the hits in one document's kept tokens (`stems`, their word ids in `words`,
    /// with a flag per token for "a sentence starts here"). `cache` is the worker's memo of
    /// first-word candidates per word id of `vocab`.
    pub fn find(
        &self,
        stems: &[u32],
        words: &[u32],
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
            let cands = cache.candidates(self, vocab, stems[i], words[i]);
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
                    let pattern = &self.patterns[pid as usize].words;
                    let len = pattern.len();
                    if i + len > stems.len() || best.is_some_and(|(_, l)| l >= len) {
                        continue;
                    }
                    let rest_matches = (1..len).all(|j| {
                        (self.cross_sentences || !sentence_starts[i + j])
                            && self.word_matches(
                                &pattern[j],
                                vocab.stem_text(stems[i + j]),
                                vocab.word_text(words[i + j]),
                            )
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

/// Per-worker memo: first-word candidate patterns for each word id of one vocabulary (a
/// word has one stem, and wildcards may look at the word).
#[derive(Debug, Default, Clone)]
pub struct MatchCache {
    first: Vec<Option<Box<[u32]>>>,
}

impl MatchCache {
    #[inline]
    fn candidates(&mut self, m: &ThemeMatcher, vocab: &Vocab, stem: u32, word: u32) -> &[u32] {
        let idx = word as usize;
        if idx >= self.first.len() {
            self.first.resize(vocab.word_count().max(idx + 1), None);
        }
        self.first[idx].get_or_insert_with(|| {
            m.first_word_candidates(vocab.stem_text(stem), vocab.word_text(word))
                .into()
        })
    }
}

/// Runs one pattern through the analysis chain: its words, those it lost for not being
/// tokens (numbers, one-letter words) and the stopwords it lost (dropped by design, listed
/// for the warning about a phrase left with one word).
fn compile_pattern(text: &str, analyzer: &Analyzer) -> Result<Compiled, String> {
    let mut words = Vec::new();
    let mut dropped = Vec::new();
    let mut stopped = Vec::new();
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
            match analyzer.kind(&lower) {
                WordKind::Kept => {
                    words.push(PatternWord::Exact(analyzer.stem(&lower).into_owned()))
                }
                WordKind::Stop => stopped.push(prepared[span.start..span.end].to_string()),
                // A one-letter stopword ("a" of "access as a service") is dropped by design.
                WordKind::Short if analyzer.settings().stopwords.contains(&lower) => {}
                WordKind::Short | WordKind::Number | WordKind::Long => {
                    dropped.push(prepared[span.start..span.end].to_string())
                }
            }
        }
        if let Some(span) = last {
            analyzer.lowercase_into(&prepared[span.start..span.end], &mut lower);
            // The stem prefix is the stem of the word, so "mercenar*" and
            // "colonial*" meet the stems of their inflections.
            let stem = match analyzer.kind(&lower) {
                WordKind::Kept => analyzer.stem(&lower).into_owned(),
                _ => lower.clone(),
            };
            if stem.chars().count() < 2 || lower.chars().count() < 2 {
                return Err(format!(
                    "{raw:?} is too short a wildcard (at least 2 letters before '*')"
                ));
            }
            words.push(PatternWord::Prefix {
                stem,
                word: lower.clone(),
            });
        }
    }
    if words.is_empty() {
        return Err(
            "the pattern has no word left after analysis (only stopwords, numbers or one-letter words?)"
                .into(),
        );
    }
    Ok((words, dropped, stopped))
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
        run_with(themes, rule, Wildcard::default(), text)
    }

    fn run_with(
        themes: &[(&str, &[&str])],
        rule: HitRule,
        wildcard: Wildcard,
        text: &str,
    ) -> Vec<(String, String, String)> {
        run_on(&default_analyzer(), themes, rule, wildcard, text)
    }

    fn run_on(
        a: &Analyzer,
        themes: &[(&str, &[&str])],
        rule: HitRule,
        wildcard: Wildcard,
        text: &str,
    ) -> Vec<(String, String, String)> {
        let m = ThemeMatcher::compile(&dict(themes), a, rule, false)
            .unwrap()
            .with_wildcard(wildcard);
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
        let words: Vec<u32> = (toks.iter().zip(&stems))
            .map(|(t, &stem)| vocab.import_word(&t.lower, t.kind, stem))
            .collect();
        let starts: Vec<bool> = toks.iter().map(|t| t.span.sentence_start).collect();
        let mut hits = Vec::new();
        m.find(
            &stems,
            &words,
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
    fn wildcards_match_the_words_that_start_with_them_whatever_their_stems() {
        // Stems are shorter than the prefixes here: negotiations -> negoti, organization ->
        // organ, terrorism -> terror. The word as written starts with the prefix all the same.
        let text = "Negotiations and negotiating continue. The organization was organized. \
                    Terrorism and terrorists. Sustainable development. Colonies. Organs.";
        let themes: &[(&str, &[&str])] = &[(
            "w",
            &[
                "negotiat*",
                "organiz*",
                "terroris*",
                "sustainab*",
                "colonial*",
            ],
        )];
        let words = |wildcard| -> Vec<String> {
            run_with(themes, HitRule::LongestMatch, wildcard, text)
                .into_iter()
                .map(|h| h.2)
                .collect()
        };
        assert_eq!(
            words(Wildcard::Word),
            [
                "Negotiations",
                "negotiating",
                "organization",
                "organized",
                "Terrorism",
                "terrorists",
                "Sustainable",
                // The stem rule still holds: colonial -> coloni, as colonies.
                "Colonies",
            ]
        );
        // The reference job's rule: stems only.
        assert_eq!(words(Wildcard::Stem), ["terrorists", "Colonies"]);
    }

    #[test]
    fn a_wildcard_last_in_a_phrase_compares_words_too() {
        let hits = run(
            &[("n", &["arms negotiat*"])],
            HitRule::LongestMatch,
            "arms negotiations; arms negotiators; arms control",
        );
        let got: Vec<&str> = hits.iter().map(|h| h.2.as_str()).collect();
        assert_eq!(got, ["arms negotiations", "arms negotiators"]);
    }

    #[test]
    fn a_stem_far_longer_than_any_wildcard_still_matches_its_start() {
        // Only starts up to the longest wildcard are looked up (a 600 KB word once made the
        // lookups quadratic); what they find is unchanged.
        let long = format!("mercenar{}", "x".repeat(100_000));
        // Words of any length are tokens here (`max_token_chars = 0`).
        let a = Analyzer::new(crate::analyze::AnalysisSettings {
            max_chars: 0,
            ..default_analyzer().settings().clone()
        });
        let hits = run_on(
            &a,
            &[("m", &["mercenar*"]), ("s", &["sé*"])],
            HitRule::LongestMatch,
            Wildcard::default(),
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
                Ok((words, ..)) => {
                    proptest::prop_assert!(!words.is_empty());
                    for w in &words[..words.len() - 1] {
                        let is_prefix = matches!(w, PatternWord::Prefix { .. });
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
