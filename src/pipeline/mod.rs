//! The conductor: load what a run needs, send every statement through the stages in parallel, finish.
//!
//! Reading a file is `read`'s job, metadata `metadata`'s, counting `count`'s; this module only
//! calls them in order and merges what the workers made.

mod per_thread;
mod setup;
pub mod shard;
mod statement;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use crate::analyze::{Analyzer, WordKind};
use crate::config::Settings;
use crate::count::analysis::{Analysis, RunStats};
use crate::count::{Accumulator, Engine};
use crate::diagnostic::Warning;
use crate::error::RunError;
use crate::metadata::statement::Sources;
use crate::read::cache::Cache;
use crate::read::discover::{InputFile, Skipped};
use crate::themes::dictionary::Dictionary;

use per_thread::PerThread;
pub use setup::{
    build_engine, check_input_folder, discover_input, load_dictionary, load_engine,
    load_file_pattern, load_manifest,
};
use statement::{Batch, Context};

/// How a run reads: with or without the cache, a progress bar, a stop flag.
#[derive(Default, Clone, Copy)]
pub struct Options<'a> {
    /// Reuse and store statements' readings and known stems.
    pub cache: Option<&'a Cache>,
    /// Advanced once per statement.
    pub progress: Option<&'a indicatif::ProgressBar>,
    /// Checked before each statement; once set the run ends with [`RunError::Interrupted`].
    pub stop: Option<&'a AtomicBool>,
    /// A folder for the hit spill files (a run's staging folder): with it, hit records go to
    /// disk as statements finish instead of staying in memory.
    pub spill_dir: Option<&'a std::path::Path>,
    /// Read and count only this shard's statements.
    pub shard: Option<shard::Shard>,
}

/// Runs the analysis over the input folder.
pub fn analyze(settings: &Settings) -> Result<Analysis, RunError> {
    let dict = load_dictionary(settings)?;
    analyze_with(settings, &dict)
}

/// Runs the analysis with a given dictionary (`kwic` passes its ad-hoc pattern as one).
pub fn analyze_with(settings: &Settings, dict: &Dictionary) -> Result<Analysis, RunError> {
    run_analysis(settings, dict, &Options::default()).map(|(a, _)| a)
}

/// Runs the analysis, reusing and refreshing the cache, reporting progress and stopping on
/// request as `options` say; returns what happened alongside the results.
pub fn run_analysis(
    settings: &Settings,
    dict: &Dictionary,
    options: &Options<'_>,
) -> Result<(Analysis, RunStats), RunError> {
    let mut engine = build_engine(settings, dict)?;
    run_with_engine(settings, &mut engine, options)
}

/// Runs the analysis with an engine built beforehand (a run builds it before it takes the
/// output's lock, so that a bad dictionary fails before anything is created).
pub fn run_with_engine(
    settings: &Settings,
    engine: &mut Engine,
    options: &Options<'_>,
) -> Result<(Analysis, RunStats), RunError> {
    let clock = Instant::now();
    let collected = collect(settings, engine, options)?;
    finish(collected, settings, engine, clock)
}

/// What the workers counted, before the finish: merged totals, and what the run met.
#[derive(Default)]
pub struct Collected {
    pub acc: Accumulator,
    /// Skips and warnings about the whole input, known before any statement is read (listing,
    /// manifest, duplicates): every shard finds the same ones.
    pub input_skipped: Vec<Skipped>,
    pub input_warnings: Vec<Warning>,
    /// Skips and warnings of the statements this run read.
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Warning>,
    pub stats: RunStats,
    /// What decided the statements' order and metadata (`shard::input_fingerprint`).
    pub input: crate::read::cache::Digest,
}

/// Reads and counts every statement (with `options.shard`, only that shard's), merging what
/// the workers made; `engine` learns the cached stems.
pub fn collect(
    settings: &Settings,
    engine: &mut Engine,
    options: &Options<'_>,
) -> Result<Collected, RunError> {
    let clock = Instant::now();
    let mut stats = RunStats::default();
    if let Some(cache) = options.cache {
        match cache.load_stems() {
            Ok(known) => {
                stats.stems_known = known.len();
                engine.analyzer.set_known_stems(known);
            }
            Err(e) => stats.cache_warnings.push(Warning::new(
                cache.dir().display().to_string(),
                e.to_string(),
            )),
        }
    }
    let engine = &*engine;
    let file_pattern = load_file_pattern(settings)?;
    // The input first: a missing input folder (or a file given as one) is the error to
    // report, not the manifest it would hold.
    let mut found = discover_input(settings)?;
    let (manifest, mut warnings) = load_manifest(settings)?;
    warnings.append(&mut found.warnings);
    let (files, duplicate_skips, duplicate_warnings) =
        crate::read::duplicates::apply(found.files, settings.duplicates);
    warnings.extend(duplicate_warnings);
    let mut input_skipped = found.skipped;
    input_skipped.extend(duplicate_skips);
    // After the duplicates are set aside: a row naming a copy that is not read says so.
    if let Some(m) = &manifest {
        let present: Vec<String> = files.iter().map(|f| f.rel.clone()).collect();
        let skipped: Vec<(&str, &str)> = (input_skipped.iter())
            .map(|s| (s.rel.as_str(), s.reason.as_str()))
            .collect();
        warnings.extend(m.missing(&present, &skipped));
    }
    let input = shard::input_fingerprint(settings, &files, &input_skipped);
    let ctx = Context {
        settings,
        engine,
        sources: Sources {
            manifest: manifest.as_ref(),
            file_pattern: file_pattern.as_ref(),
        },
        cache: options.cache,
        spill_dir: options.spill_dir.filter(|_| engine.capture.hits),
        chain_keys: Default::default(),
    };
    // Indexes stay those of the whole input, so a shard's statements keep their places.
    let mine: Vec<(usize, &InputFile)> = files
        .iter()
        .enumerate()
        .filter(|(_, f)| options.shard.is_none_or(|s| s.owns(&f.rel)))
        .collect();
    if let Some(p) = options.progress {
        p.set_length(mine.len() as u64);
    }
    let stop = || options.stop.is_some_and(|s| s.load(Ordering::Relaxed));
    stats.discover = clock.elapsed();
    // One batch per worker thread, not per rayon split: each batch has its own vocabulary, so
    // every extra batch re-stems the corpus's words and costs a merge. Results do not depend on
    // which worker read which file.
    let batches = PerThread::<Batch>::default();
    // Pieces of at most a few statements: a worker runs a piece to its end without letting
    // the other steal from it, so large pieces leave one worker idle at the end of the input.
    mine.par_iter().with_max_len(8).for_each(|&(i, f)| {
        // Checked per statement, so a stop request ends a long run within one statement.
        if !stop() {
            batches.with(|b| statement::process(&ctx, i, f, b));
        }
        if let Some(p) = options.progress {
            p.inc(1);
        }
    });
    if stop() {
        return Err(RunError::Interrupted);
    }
    let batch = batches
        .collect()
        .into_iter()
        .reduce(Batch::merge)
        .unwrap_or_default();
    stats.read_analyze = clock.elapsed() - stats.discover;
    let mut batch = batch;
    if let Err(message) = batch.acc.finish_spills() {
        return Err(RunError::Output {
            path: options
                .spill_dir
                .unwrap_or(&settings.output_dir)
                .to_path_buf(),
            message: format!("cannot spill theme hits: {message}"),
        });
    }
    stats.read = batch.stats.read;
    stats.reused = batch.stats.reused;
    stats.streamed = batch.stats.streamed;
    stats.records_reused = batch.stats.records_reused;
    stats.counted_from_cache = batch.stats.counted_from_cache;
    stats.inputs = batch.stats.inputs;
    stats.inputs.sort();
    stats.cache_warnings.extend(batch.stats.cache_warnings);
    stats.cache_warnings.sort();
    stats.cache_keys = batch.stats.cache_keys;
    stats.cache_keys.sort_unstable();
    stats.record_keys = batch.stats.record_keys;
    stats.record_keys.sort_unstable();
    if let Some(cache) = options.cache {
        let shard = options.shard.is_some();
        store_stems(cache, &batch.acc.vocab, &engine.analyzer, shard, &mut stats);
    }
    Ok(Collected {
        acc: batch.acc,
        input_skipped,
        input_warnings: warnings,
        skipped: batch.skipped,
        warnings: batch.warnings,
        stats,
        input,
    })
}

/// The results from what was collected (one run's, or shards' merged): collocations,
/// sessions, rates, in a fixed order.
pub fn finish(
    c: Collected,
    settings: &Settings,
    engine: &Engine,
    clock: Instant,
) -> Result<(Analysis, RunStats), RunError> {
    let finish_start = clock.elapsed();
    let mut stats = c.stats;
    let mut skipped = c.input_skipped;
    skipped.extend(c.skipped);
    skipped.sort();
    // Statements were found but none could be read (binary files, scanned or encrypted PDFs):
    // publishing empty tables over the last good output, with exit 0, would hide it from
    // whoever schedules the run. Left out by the forum choice is a choice, warned about below.
    let forum_choice = (skipped.iter()).any(|s| {
        s.reason
            .starts_with(crate::metadata::statement::FORUM_NOT_SELECTED)
    });
    if c.acc.doc_count() == 0 && !forum_choice {
        return Err(RunError::NoStatements {
            path: settings.input_dir.clone(),
            include: settings.include.clone(),
            unreadable: (skipped.iter())
                .map(|s| format!("{} ({})", s.rel, s.reason))
                .collect(),
        });
    }
    let mut warnings = c.input_warnings;
    warnings.extend(c.warnings);
    // Among the statements counted (a skipped file has no row to tell apart), in input order;
    // here, so that a merge of shards finds the pairs that lie in different shards.
    let mut counted: Vec<(usize, &str)> = (c.acc.all_docs())
        .map(|d| (d.index, d.file.as_str()))
        .collect();
    counted.sort_unstable();
    warnings.extend(crate::metadata::statement::shared_doc_ids(
        counted.into_iter().map(|(_, file)| file),
    ));
    warnings.extend(group_field_unused(settings, &c.acc));
    warnings.extend(themes_without_patterns(settings, &c.acc, engine));
    warnings.extend(patterns_that_lost_words(settings, &c.acc, engine));
    if !settings.forums.is_empty() && c.acc.doc_count() == 0 && !skipped.is_empty() {
        warnings.push(Warning::new(
            settings.input_dir.display().to_string(),
            format!(
                "no statement is of the forum(s) {} chosen (`--forum`, `[metadata] forums`): every table is empty; skipped.csv says each statement's forum",
                settings.forums.join(", ")
            ),
        ));
    }
    // By file and line, each file's in the order they were found (a file is read by one
    // worker, so that order is the same on every run): "byte 29" before "byte 122", and a
    // summary after what it sums up.
    warnings.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    let acc = c.acc;
    let (results, collocations) = crate::count::languages::finish(
        acc,
        engine,
        settings.evidence.collocation_min_count,
        settings.evidence.collocations_top,
    )
    .map_err(|e| RunError::Output {
        path: settings.output_dir.clone(),
        message: format!("cannot read spilled theme hits back: {e}"),
    })?;
    let analysis = Analysis {
        results: std::sync::Arc::new(results),
        skipped,
        warnings,
        collocations,
    };
    stats.finish = clock.elapsed() - finish_start;
    Ok((analysis, stats))
}

/// Where warnings about the theme dictionary point: its path, or "theme dictionary".
fn dictionary_place(settings: &Settings) -> String {
    (settings.themes_path.as_deref()).map_or_else(
        || "theme dictionary".to_string(),
        |p| p.display().to_string(),
    )
}

/// Each language that statements were counted in (the default language's first), with the
/// number of its statements and its matcher.
fn matchers_in_use<'a>(
    acc: &'a crate::count::Accumulator,
    engine: &'a Engine,
) -> Vec<(
    crate::analyze::language::Language,
    usize,
    &'a crate::themes::matcher::ThemeMatcher,
)> {
    let default = (engine.language(), acc.docs.len(), &engine.matcher);
    let others = (acc.others.iter()).filter_map(|(l, a)| {
        let e = engine.languages.get(*l)?;
        Some((*l, a.docs.len(), &e.matcher))
    });
    std::iter::once(default)
        .chain(others)
        .filter(|(_, docs, _)| *docs > 0)
        .collect()
}

/// One warning per pattern that lost a word for not being a token (a bare number, a one-letter
/// word), in the languages of the statements counted: `Group of 77` then matches every
/// "group", which is seldom what the analyst meant; and one per phrase that stopwords leave
/// with a single word.
fn patterns_that_lost_words(
    settings: &Settings,
    acc: &crate::count::Accumulator,
    engine: &Engine,
) -> Vec<Warning> {
    let place = dictionary_place(settings);
    let mut out: Vec<Warning> = Vec::new();
    let quoted = |words: &[String]| {
        (words.iter())
            .map(|w| format!("{w:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (_, _, matcher) in matchers_in_use(acc, engine) {
        for p in matcher.patterns() {
            let theme = &matcher.themes()[p.theme as usize];
            let mut messages = Vec::new();
            if !p.dropped.is_empty() {
                let one = p.dropped.len() == 1;
                messages.push(format!(
                    "theme {theme:?}, pattern {:?}: {} {} the analysis counts (bare numbers and one-letter words never are), so the pattern matches without {it}; check theme_matches.csv, or write the pattern without {it}",
                    p.text,
                    quoted(&p.dropped),
                    if one { "is not a word" } else { "are not words" },
                    it = if one { "it" } else { "them" },
                ));
            }
            // A phrase left with one word matches that word anywhere: "Estados Unidos" (whose
            // "estados" the Spanish list has, as a form of "estar") would count "Naciones Unidas".
            if p.words.len() == 1 && !p.stopped.is_empty() {
                let one = p.stopped.len() == 1;
                messages.push(format!(
                    "theme {theme:?}, pattern {:?}: {} {} in the stopword list, so the pattern is one word and matches it wherever it stands, in other phrases too; check theme_matches.csv, or keep {} with [analysis] stopwords_remove",
                    p.text,
                    quoted(&p.stopped),
                    if one { "is" } else { "are" },
                    if one { "it" } else { "them" },
                ));
            }
            for message in messages {
                if !out.iter().any(|w| w.message == message) {
                    out.push(Warning::new(place.clone(), message));
                }
            }
        }
    }
    out
}

/// One warning per language of the statements counted in which some themes have no pattern
/// (a dictionary with `patterns_fr` only, read against English statements): those themes
/// score 0 in that language's statements by construction, not because nobody spoke of them.
fn themes_without_patterns(
    settings: &Settings,
    acc: &crate::count::Accumulator,
    engine: &Engine,
) -> Vec<Warning> {
    let place = dictionary_place(settings);
    let mut out = Vec::new();
    for (language, docs, matcher) in matchers_in_use(acc, engine) {
        let mut has = vec![false; matcher.themes().len()];
        for p in matcher.patterns() {
            has[p.theme as usize] = true;
        }
        let missing: Vec<&str> = (matcher.themes().iter().zip(&has))
            .filter(|(_, h)| !**h)
            .map(|(t, _)| t.as_str())
            .collect();
        if missing.is_empty() {
            continue;
        }
        const SHOWN: usize = 5;
        let mut names: Vec<String> = missing
            .iter()
            .take(SHOWN)
            .map(|t| format!("{t:?}"))
            .collect();
        if missing.len() > SHOWN {
            names.push(format!("and {} more", missing.len() - SHOWN));
        }
        let key = if language == engine.language() {
            "patterns".to_string()
        } else {
            format!("patterns_{language}")
        };
        out.push(Warning::new(
            place.clone(),
            format!(
                "{} of {} {} no pattern in {} (`{key}`), the language of {}: {} 0 there whatever was said: {}",
                missing.len(),
                crate::log::count(matcher.themes().len() as u64, "theme"),
                if missing.len() == 1 { "has" } else { "have" },
                language.name(),
                crate::log::count(docs as u64, "statement"),
                if missing.len() == 1 { "it scores" } else { "they score" },
                names.join(", ")
            ),
        ));
    }
    out
}

/// A warning when `group_by` names a field that no counted statement has (a typo such as
/// `"speakr"` puts every statement in one group `(no speakr)`), listing the fields they have.
fn group_field_unused(settings: &Settings, acc: &crate::count::Accumulator) -> Option<Warning> {
    let crate::config::GroupBy::Field(field) = &settings.group_by else {
        return None;
    };
    if field == "language" {
        // Every statement has a language (given, detected or the default).
        return None;
    }
    let mut any = false;
    let mut names = std::collections::BTreeSet::new();
    for d in acc.all_docs() {
        any = true;
        if d.meta.get(field).is_some_and(|v| !v.trim().is_empty()) {
            return None;
        }
        names.extend(d.meta.names().map(str::to_string));
    }
    if !any {
        return None;
    }
    let place = (settings.config_path.as_deref())
        .map_or_else(|| "config".to_string(), |p| p.display().to_string());
    let known: Vec<String> = names.into_iter().map(|n| format!("`{n}`")).collect();
    Some(Warning::new(
        place,
        format!(
            "[metadata] group_by = {field:?}: no statement has a `{field}` field, so every one is in the group `(no {field})`; the statements' fields are {} (or session, year, quarter, month)",
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            }
        ),
    ))
}

/// Saves the stems of every kept word of this run, when some were not known before. A whole
/// run's file then lists exactly its input's words, so it never grows beyond the corpus. A
/// shard sees only its share: it adds its words to those the file holds when it writes (other
/// shards may have written since it started), so shards sharing a cache keep each other's.
fn store_stems(
    cache: &Cache,
    vocab: &crate::analyze::Vocab,
    analyzer: &Analyzer,
    shard: bool,
    stats: &mut RunStats,
) {
    let mut pairs: Vec<(&str, &str)> = (0..vocab.word_count() as u32)
        .filter_map(|id| {
            let info = vocab.word_info(id);
            (info.kind == WordKind::Kept).then(|| (vocab.word_text(id), vocab.stem_text(info.stem)))
        })
        .collect();
    let known = analyzer.known_stems();
    stats.stems_new = pairs
        .iter()
        .filter(|(w, _)| !known.contains_key(*w))
        .count();
    if stats.stems_new == 0 && (shard || pairs.len() == known.len()) {
        return;
    }
    // A file that cannot be read now is replaced, as at the start of a run.
    let current = if shard {
        cache.load_stems().unwrap_or_default()
    } else {
        Default::default()
    };
    pairs.extend(current.iter().map(|(w, s)| (&**w, &**s)));
    // The same analysis stems a word the same way: one pair per word.
    pairs.sort_unstable();
    pairs.dedup_by(|a, b| a.0 == b.0);
    if let Err(e) = cache.store_stems(&mut pairs) {
        stats.cache_warnings.push(Warning::new(
            cache.dir().display().to_string(),
            e.to_string(),
        ));
    }
}
