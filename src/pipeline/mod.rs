//! The conductor: load what a run needs, send every statement through the stages in parallel, finish.
//!
//! Reading a file is `read`'s job, metadata `metadata`'s, counting `count`'s; this module only
//! calls them in order and merges what the workers made.

mod per_thread;
mod setup;
mod statement;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use crate::analyze::{Analyzer, WordKind};
use crate::config::Settings;
use crate::count::analysis::{Analysis, RunStats};
use crate::diagnostic::Warning;
use crate::error::RunError;
use crate::metadata::statement::Sources;
use crate::read::cache::Cache;
use crate::themes::dictionary::Dictionary;

use per_thread::PerThread;
pub use setup::{build_engine, discover_input, load_dictionary, load_file_pattern, load_manifest};
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
    let clock = Instant::now();
    let mut stats = RunStats::default();
    let mut engine = build_engine(settings, dict)?;
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
    let file_pattern = load_file_pattern(settings)?;
    let (manifest, mut warnings) = load_manifest(settings)?;
    let found = discover_input(settings)?;
    if let Some(m) = &manifest {
        let present: Vec<String> = found.files.iter().map(|f| f.rel.clone()).collect();
        warnings.extend(m.missing(&present));
    }
    let (files, duplicate_skips, duplicate_warnings) =
        crate::read::duplicates::apply(found.files, settings.duplicates);
    warnings.extend(duplicate_warnings);
    let ctx = Context {
        settings,
        engine: &engine,
        sources: Sources {
            manifest: manifest.as_ref(),
            file_pattern: file_pattern.as_ref(),
        },
        cache: options.cache,
    };
    if let Some(p) = options.progress {
        p.set_length(files.len() as u64);
    }
    let stop = || options.stop.is_some_and(|s| s.load(Ordering::Relaxed));
    stats.discover = clock.elapsed();
    // One batch per worker thread, not per rayon split: each batch has its own vocabulary, so
    // every extra batch re-stems the corpus's words and costs a merge. Results do not depend on
    // which worker read which file.
    let batches = PerThread::<Batch>::default();
    files.par_iter().enumerate().for_each(|(i, f)| {
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
    let mut skipped = found.skipped;
    skipped.extend(duplicate_skips);
    skipped.extend(batch.skipped);
    skipped.sort();
    warnings.extend(batch.warnings);
    warnings.sort();
    let acc = batch.acc;
    stats.read = batch.stats.read;
    stats.reused = batch.stats.reused;
    stats.streamed = batch.stats.streamed;
    stats.inputs = batch.stats.inputs;
    stats.inputs.sort();
    stats.cache_warnings.extend(batch.stats.cache_warnings);
    stats.cache_warnings.sort();
    stats.cache_keys = batch.stats.cache_keys;
    stats.cache_keys.sort_unstable();
    if let Some(cache) = options.cache {
        store_stems(cache, &acc.vocab, &engine.analyzer, &mut stats);
    }
    let (results, collocations) = crate::count::languages::finish(
        acc,
        &engine,
        settings.evidence.collocation_min_count,
        settings.evidence.collocations_top,
    );
    let analysis = Analysis {
        results,
        skipped,
        warnings,
        collocations,
    };
    stats.finish = clock.elapsed() - stats.discover - stats.read_analyze;
    Ok((analysis, stats))
}

/// Saves the stems of every kept word of this run, when some were not known before (the file
/// then lists exactly this input's words, so it never grows beyond the corpus).
fn store_stems(
    cache: &Cache,
    vocab: &crate::analyze::Vocab,
    analyzer: &Analyzer,
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
    if stats.stems_new == 0 && pairs.len() == known.len() {
        return;
    }
    if let Err(e) = cache.store_stems(&mut pairs) {
        stats.cache_warnings.push(Warning::new(
            cache.dir().display().to_string(),
            e.to_string(),
        ));
    }
}
