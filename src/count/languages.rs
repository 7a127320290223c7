//! Statements in more than one language: a chain and matcher per language, counts kept apart
//! per language, and the per-language results folded into one.
//!
//! The default language's chain is the engine's own (`Engine::analyzer`, `Engine::matcher`),
//! so a run over statements in one language does exactly what it did before languages
//! existed. Each other language gets an engine of its own: its chain (see
//! `crate::analyze::chains`) and the dictionary's `patterns_<code>` compiled through it. A
//! statement is counted by its language's engine into an accumulator of that language, with
//! its own vocabulary: a term is a stem of one language. After the merge, each language's
//! counts are finished like a run of their own and the results are joined: sessions add their
//! counts (a theme's hits over every language), keep one share per language, and list the
//! terms of every language.

use crate::count::hits::Hits;
use std::collections::BTreeMap;

use crate::analyze::chains::{ListEdits, settings_for};
use crate::analyze::language::{Language, PerLanguage};
use crate::analyze::{AnalysisSettings, Analyzer};
use crate::config::{CaptureOptions, HitRule};
use crate::count::ngram::Collocations;
use crate::count::results::{Results, Session, order_sessions};
use crate::count::{Accumulator, Engine};
use crate::themes::dictionary::Dictionary;
use crate::themes::matcher::{PatternError, ThemeMatcher};

/// What the engines of the other languages are built from.
#[derive(Debug, Clone)]
pub struct LanguageRecipe {
    pub default: Language,
    pub base: AnalysisSettings,
    pub edits: ListEdits,
    pub dictionary: Dictionary,
    pub rule: HitRule,
    pub cross_sentences: bool,
    pub wildcard: crate::config::Wildcard,
    pub capture: CaptureOptions,
}

/// The engines of the languages other than the default, each built once: those the dictionary
/// has patterns for now (so a bad pattern stops the run before it starts), the others on their
/// first statement.
pub fn other_languages(recipe: LanguageRecipe) -> Result<PerLanguage<Engine>, PatternError> {
    let mut ready = Vec::new();
    // Every language's bad patterns, not only the first language's.
    let mut errors: Option<PatternError> = None;
    for l in Language::ALL {
        if l != recipe.default && recipe.dictionary.has_language(l, recipe.default) {
            match build(&recipe, l) {
                Ok(engine) => ready.push((l, engine)),
                Err(e) => errors = Some(PatternError::joined(errors, e)),
            }
        }
    }
    if let Some(e) = errors {
        return Err(e);
    }
    let default = recipe.default;
    let engines = PerLanguage::new(
        default,
        Box::new(move |language| {
            // Only languages without patterns are built here: compiling none cannot fail.
            build(&recipe, language).unwrap_or_else(|_| Engine {
                analyzer: Analyzer::new(settings_for(language, &recipe.base, &recipe.edits)),
                matcher: ThemeMatcher::without_patterns(
                    &recipe.dictionary,
                    recipe.rule,
                    recipe.cross_sentences,
                )
                .with_wildcard(recipe.wildcard),
                capture: recipe.capture,
                languages: PerLanguage::default(),
            })
        }),
    );
    for (l, e) in ready {
        engines.set(l, e);
    }
    Ok(engines)
}

/// One language's engine: its chain, and its patterns compiled through it.
fn build(r: &LanguageRecipe, language: Language) -> Result<Engine, PatternError> {
    let mut settings = settings_for(language, &r.base, &r.edits);
    if language == Language::Zh {
        settings.words = r.dictionary.pattern_words(language, r.default);
    }
    let analyzer = Analyzer::new(settings);
    let dict = r.dictionary.for_language(language, r.default);
    let matcher = ThemeMatcher::compile(&dict, &analyzer, r.rule, r.cross_sentences)
        .map_err(|e| e.map_messages(|m| format!("{m} (patterns_{language})")))?
        .with_wildcard(r.wildcard);
    Ok(Engine {
        analyzer,
        matcher,
        capture: r.capture,
        languages: PerLanguage::default(),
    })
}

impl Engine {
    /// The language of this engine's own chain.
    pub fn language(&self) -> Language {
        self.analyzer.settings().language
    }
}

/// Finishes a run's counts: each language's like a run of its own, then joined. Returns the
/// results and the collocations (every language's phrases, each found by its own chain).
pub fn finish(
    mut acc: Accumulator,
    engine: &Engine,
    min_count: u64,
    top: usize,
) -> std::io::Result<(Results, Collocations)> {
    let others = std::mem::take(&mut acc.others);
    let mut parts = vec![finish_one(acc, engine, min_count, top)];
    for (language, acc) in others {
        if let Some(e) = engine.languages.get(language) {
            parts.push(finish_one(acc, e, min_count, top));
        }
    }
    let mut colloc = Collocations::default();
    let mut results = Vec::with_capacity(parts.len());
    for (r, c) in parts {
        colloc.ngrams.extend(c.ngrams);
        colloc.positions2 += c.positions2;
        colloc.positions3 += c.positions3;
        results.push(r);
    }
    Ok((join(results)?, colloc))
}

/// One language's counts finished, every row marked with the language.
fn finish_one(
    mut acc: Accumulator,
    engine: &Engine,
    min_count: u64,
    top: usize,
) -> (Results, Collocations) {
    let language = engine.language();
    let mut colloc = std::mem::take(&mut acc.ngrams).resolve_top(
        &acc.vocab,
        min_count,
        top,
        &engine.analyzer,
        &engine.matcher,
    );
    for n in &mut colloc.ngrams {
        n.language = language;
    }
    let mut r = Results::finish_with(acc, &engine.matcher);
    for p in &mut r.patterns {
        p.language = language;
    }
    for s in &mut r.sessions {
        for t in &mut s.terms {
            t.language = language;
        }
        for share in &mut s.languages {
            share.language = language;
        }
    }
    for d in &mut r.docs {
        d.language = language;
    }
    (r, colloc)
}

/// Joins per-language results (the default language's first). One part is returned as is.
pub fn join(mut parts: Vec<Results>) -> std::io::Result<Results> {
    if parts.len() <= 1 {
        return Ok(parts.pop().unwrap_or_else(|| Results {
            themes: Vec::new(),
            patterns: Vec::new(),
            sessions: Vec::new(),
            docs: Vec::new(),
            hits: Default::default(),
        }));
    }
    let themes = parts[0].themes.clone();
    let total_patterns: usize = parts.iter().map(|p| p.patterns.len()).sum();
    let mut patterns = Vec::with_capacity(total_patterns);
    let mut docs = Vec::new();
    let mut hits = Vec::new();
    let mut sessions: BTreeMap<String, Session> = BTreeMap::new();
    for part in parts {
        let offset = patterns.len();
        patterns.extend(part.patterns);
        let width = patterns.len() - offset;
        for mut h in part.hits.into_memory()? {
            // From a position in this part's statements to the statement's input index.
            h.doc = part.docs[h.doc].index;
            h.pattern += offset as u32;
            hits.push(h);
        }
        for s in part.sessions {
            let mut spread = vec![0u64; total_patterns];
            spread[offset..offset + width].copy_from_slice(&s.pattern_hits);
            match sessions.get_mut(&s.label) {
                None => {
                    let label = s.label.clone();
                    sessions.insert(
                        label,
                        Session {
                            pattern_hits: spread,
                            ..s
                        },
                    );
                }
                Some(m) => {
                    m.docs += s.docs;
                    m.tokens += s.tokens;
                    m.kept += s.kept;
                    m.dated |= s.dated;
                    m.terms.extend(s.terms);
                    for (a, b) in m.themes.iter_mut().zip(&s.themes) {
                        a.hits += b.hits;
                        a.docs_with_hits += b.docs_with_hits;
                    }
                    for (a, b) in m.pattern_hits.iter_mut().zip(&spread) {
                        *a += b;
                    }
                    m.first_date = min(m.first_date, s.first_date);
                    m.first_year = min(m.first_year, s.first_year);
                    m.first_session = min(m.first_session, s.first_session);
                    m.languages.extend(s.languages);
                }
            }
        }
        docs.extend(part.docs);
    }
    let mut sessions: Vec<Session> = sessions.into_values().collect();
    for s in &mut sessions {
        s.terms.sort_unstable_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.term.cmp(&b.term))
                .then_with(|| a.language.cmp(&b.language))
        });
        s.languages.sort_by_key(|l| l.language);
        s.start = match (s.first_date, s.first_year) {
            (Some(d), _) => d.to_string(),
            (None, Some(y)) => y.to_string(),
            _ => String::new(),
        };
    }
    order_sessions(&mut sessions);
    docs.sort_unstable_by_key(|d| d.index);
    let position: rustc_hash::FxHashMap<usize, usize> =
        docs.iter().enumerate().map(|(i, d)| (d.index, i)).collect();
    for h in &mut hits {
        h.doc = position[&h.doc];
    }
    hits.sort_by_key(|h| (h.doc, h.token_index, h.theme));
    Ok(Results {
        themes,
        patterns,
        sessions,
        docs,
        hits: Hits::Memory(hits),
    })
}

fn min<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::count::DocRecord;

    /// An engine with English as the default language and one theme in several languages.
    fn engine(toml: &str) -> Engine {
        let dictionary = Dictionary::parse(toml).unwrap();
        let base = crate::analyze::tests::default_analyzer().settings().clone();
        let edits = ListEdits {
            shipped: true,
            ..ListEdits::default()
        };
        let recipe = LanguageRecipe {
            default: Language::En,
            base: base.clone(),
            edits,
            dictionary: dictionary.clone(),
            rule: HitRule::LongestMatch,
            cross_sentences: false,
            wildcard: Default::default(),
            capture: CaptureOptions::default(),
        };
        let analyzer = Analyzer::new(base);
        let matcher = ThemeMatcher::compile(
            &dictionary.for_language(Language::En, Language::En),
            &analyzer,
            HitRule::LongestMatch,
            false,
        )
        .unwrap();
        Engine {
            analyzer,
            matcher,
            capture: CaptureOptions::default(),
            languages: other_languages(recipe).unwrap(),
        }
    }

    /// Hits (matched text) of one statement in `language`.
    fn hits(engine: &Engine, language: Language, text: &str) -> Vec<String> {
        let mut acc = Accumulator::default();
        let doc = DocRecord {
            group: "S".into(),
            language,
            ..DocRecord::default()
        };
        acc.add(engine, doc, text);
        let (r, _) = finish(acc, engine, 1, 0).unwrap();
        r.hits
            .in_memory()
            .iter()
            .map(|h| h.matched_text.clone())
            .collect()
    }

    #[test]
    fn chinese_text_and_patterns_are_cut_alike() {
        let e = engine("[[theme]]\nname = \"m\"\npatterns_zh = [\"雇佣军\", \"间谍软件\"]\n");
        assert_eq!(
            hits(&e, Language::Zh, "网络雇佣军和商业间谍软件。"),
            ["雇佣军", "间谍软件"]
        );
        // The same words in an English statement are not Chinese patterns' business.
        assert!(hits(&e, Language::En, "网络雇佣军").is_empty());
    }

    #[test]
    fn french_elision_applies_to_text_and_patterns() {
        let e = engine(
            "[[theme]]\nname = \"s\"\npatterns_fr = [\"chaîne d'approvisionnement\", \"infrastructure critique\"]\n",
        );
        assert_eq!(
            hits(
                &e,
                Language::Fr,
                "L'infrastructure critique et les chaînes d’approvisionnement."
            ),
            ["L'infrastructure critique", "chaînes d’approvisionnement"]
        );
    }

    #[test]
    fn russian_yo_and_arabic_marks_fold_in_text_and_patterns() {
        let e = engine(
            "[[theme]]\nname = \"m\"\npatterns_ru = [\"кибернаемник*\"]\npatterns_ar = [\"القانونُ الدولي\"]\n",
        );
        assert_eq!(
            hits(&e, Language::Ru, "Кибернаёмники и кибернаемник."),
            ["Кибернаёмники", "кибернаемник"]
        );
        assert_eq!(
            hits(&e, Language::Ar, "القانون الدولي والقانونُ الدولـي"),
            ["القانون الدولي", "والقانونُ الدولـي"]
        );
    }

    #[test]
    fn statements_in_several_languages_join_into_one_session() {
        let e = engine(
            "[[theme]]\nname = \"m\"\npatterns = [\"mercenar*\"]\npatterns_fr = [\"mercenaire*\"]\n",
        );
        let mut acc = Accumulator::default();
        for (i, (language, text)) in [
            (Language::Fr, "Les mercenaires, les mercenaires."),
            (Language::En, "Mercenaries."),
            (Language::Es, "Los mercenarios."),
        ]
        .into_iter()
        .enumerate()
        {
            let doc = DocRecord {
                index: i,
                group: "S".into(),
                language,
                ..DocRecord::default()
            };
            acc.add(&e, doc, text);
        }
        let (r, _) = finish(acc, &e, 1, 0).unwrap();
        let s = &r.sessions[0];
        assert_eq!(
            (s.docs, s.themes[0].hits, s.themes[0].docs_with_hits),
            (3, 3, 2)
        );
        let shares: Vec<(Language, u32, u64)> = s
            .languages
            .iter()
            .map(|l| (l.language, l.docs, l.themes[0].hits))
            .collect();
        assert_eq!(
            shares,
            [
                (Language::En, 1, 1),
                (Language::Es, 1, 0),
                (Language::Fr, 1, 2)
            ]
        );
        // Terms are stems of one language: "mercenari" (en) and "mercenair" (fr) stay apart.
        let terms: Vec<(Language, &str, u64)> = s
            .terms
            .iter()
            .map(|t| (t.language, t.term.as_str(), t.count))
            .collect();
        assert!(terms.contains(&(Language::Fr, "mercenair", 2)), "{terms:?}");
        assert!(terms.contains(&(Language::En, "mercenari", 1)), "{terms:?}");
        // Hits point at their statements in input order, patterns at their language's list.
        let docs: Vec<usize> = r.hits.in_memory().iter().map(|h| h.doc).collect();
        assert_eq!(docs, [0, 0, 1]);
        let pattern_languages: Vec<Language> = r
            .hits
            .in_memory()
            .iter()
            .map(|h| r.patterns[h.pattern as usize].language)
            .collect();
        assert_eq!(
            pattern_languages,
            [Language::Fr, Language::Fr, Language::En]
        );
    }
}
