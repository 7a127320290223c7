//! The run: discover, read, decode, clean, resolve metadata, count and match in parallel, then finish.
//!
//! Only `read_statement` touches the input files; writing is the publish stage's.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use rayon::prelude::*;

use crate::analyze::{Analyzer, WordKind};
use crate::config::Settings;
use crate::count::analysis::{Analysis, InputRecord, RunStats};
use crate::count::results::Results;
use crate::count::{Accumulator, DocRecord, Engine};
use crate::diagnostic::Warning;
use crate::error::RunError;
use crate::metadata::file_name_pattern::FileNamePattern;
use crate::metadata::group::group_label;
use crate::metadata::{Candidate, DocMeta, Manifest, Source, resolve};
use crate::read::cache::Cache;
use crate::read::discover::{InputFile, Skipped, discover};
use crate::read::large::LargeStatement;
use crate::read::reading::{Reading, TextParts};
use crate::themes::dictionary::Dictionary;
use crate::themes::matcher::ThemeMatcher;

/// Read-only context shared by the workers.
struct Context<'a> {
    settings: &'a Settings,
    engine: &'a Engine,
    manifest: Option<&'a Manifest>,
    file_pattern: Option<&'a FileNamePattern>,
    cache: Option<&'a Cache>,
}

/// A worker's fold state.
#[derive(Default)]
struct Batch {
    acc: Accumulator,
    skipped: Vec<Skipped>,
    warnings: Vec<Warning>,
    stats: RunStats,
}

impl Batch {
    fn merge(mut self, other: Batch) -> Batch {
        self.acc = self.acc.merge(other.acc);
        self.skipped.extend(other.skipped);
        self.warnings.extend(other.warnings);
        self.stats.read += other.stats.read;
        self.stats.reused += other.stats.reused;
        self.stats.streamed += other.stats.streamed;
        self.stats.inputs.extend(other.stats.inputs);
        self.stats.cache_warnings.extend(other.stats.cache_warnings);
        self.stats.cache_keys.extend(other.stats.cache_keys);
        self
    }

    /// Records a file that is not counted, with the warning that says why.
    fn skip(&mut self, file: &InputFile, reason: String) {
        self.warnings
            .push(Warning::new(&file.rel, format!("skipped: {reason}")));
        self.skipped.push(Skipped {
            rel: file.rel.clone(),
            reason,
        });
    }
}

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

/// Builds the analysis chain and compiles the dictionary (shared by `run`, `check` and `kwic`).
pub fn build_engine(settings: &Settings, dict: &Dictionary) -> Result<Engine, RunError> {
    let analyzer = Analyzer::new(settings.analysis.clone());
    let matcher =
        ThemeMatcher::compile(dict, &analyzer, settings.hit_rule, settings.cross_sentences)
            .map_err(|e| RunError::Pattern {
                path: settings.themes_path.clone().unwrap_or_default(),
                source: e,
            })?;
    Ok(Engine {
        analyzer,
        matcher,
        capture: crate::config::CaptureOptions::from(&settings.evidence),
    })
}

/// Loads the theme dictionary named by the settings (none: no themes).
pub fn load_dictionary(settings: &Settings) -> Result<Dictionary, RunError> {
    match &settings.themes_path {
        Some(p) => Dictionary::load(p).map_err(RunError::Dictionary),
        None => Ok(Dictionary::default()),
    }
}

/// Parses the configured file-name pattern, if any.
pub fn load_file_pattern(settings: &Settings) -> Result<Option<FileNamePattern>, RunError> {
    settings
        .file_name_pattern
        .as_deref()
        .map(FileNamePattern::parse)
        .transpose()
        .map_err(|e| {
            RunError::Config(crate::config::ConfigError::Invalid {
                path: settings.config_path.clone().unwrap_or_default(),
                message: format!("[metadata] file_name_pattern: {e}"),
            })
        })
}

/// Loads the manifest named by the settings, if it exists, with its warnings.
pub fn load_manifest(settings: &Settings) -> Result<(Option<Manifest>, Vec<Warning>), RunError> {
    match &settings.manifest {
        Some(p) => match Manifest::load(p).map_err(RunError::Manifest)? {
            Some((m, w)) => Ok((Some(m), w)),
            None => Ok((None, Vec::new())),
        },
        None => Ok((None, Vec::new())),
    }
}

/// Lists the statements under the input folder; none at all is an error.
pub fn discover_input(settings: &Settings) -> Result<crate::read::discover::Discovery, RunError> {
    let reserved: Vec<_> = settings.manifest.iter().cloned().collect();
    let found =
        discover(&settings.input_dir, &settings.include, &reserved).map_err(RunError::Input)?;
    if found.files.is_empty() {
        return Err(RunError::NoStatements {
            path: settings.input_dir.clone(),
            include: settings.include.clone(),
        });
    }
    Ok(found)
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
        manifest: manifest.as_ref(),
        file_pattern: file_pattern.as_ref(),
        cache: options.cache,
    };
    if let Some(p) = options.progress {
        p.set_length(files.len() as u64);
    }
    let stop = || options.stop.is_some_and(|s| s.load(Ordering::Relaxed));
    stats.discover = clock.elapsed();
    // One batch per worker thread, not per rayon split: each batch has its
    // own vocabulary, so every extra batch re-stems the corpus's words and
    // costs a merge. A worker only ever locks its own slot, so the locks are
    // uncontended; results do not depend on which worker read which file.
    let slots: Vec<Mutex<Batch>> = (0..rayon::current_num_threads().max(1))
        .map(|_| Mutex::new(Batch::default()))
        .collect();
    files.par_iter().enumerate().for_each(|(i, f)| {
        // Checked per statement, so a stop request ends a long run within one statement.
        if !stop() {
            let slot = rayon::current_thread_index().unwrap_or(0) % slots.len();
            // A poisoned lock only means another statement panicked; its batch is still sound.
            let mut b = slots[slot].lock().unwrap_or_else(|e| e.into_inner());
            read_statement(&ctx, i, f, &mut b);
        }
        if let Some(p) = options.progress {
            p.inc(1);
        }
    });
    if stop() {
        return Err(RunError::Interrupted);
    }
    let batch = slots
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .reduce(Batch::merge)
        .unwrap_or_default();
    stats.read_analyze = clock.elapsed() - stats.discover;
    let mut skipped = found.skipped;
    skipped.extend(duplicate_skips);
    skipped.extend(batch.skipped);
    skipped.sort();
    warnings.extend(batch.warnings);
    warnings.sort();
    let mut acc = batch.acc;
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
    let collocations = std::mem::take(&mut acc.ngrams).resolve_top(
        &acc.vocab,
        settings.evidence.collocation_min_count,
        settings.evidence.collocations_top,
        &engine.analyzer,
        &engine.matcher,
    );
    let analysis = Analysis {
        results: Results::finish_with(acc, &engine.matcher),
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

/// Reads one statement (from the cache when its entry is there and sound) and counts it;
/// failures become skips and warnings.
fn read_statement(ctx: &Context<'_>, index: usize, file: &InputFile, b: &mut Batch) {
    let format = crate::decode::extract::Format::from_path(&file.path);
    let size = std::fs::metadata(&file.path).map_or(0, |m| m.len());
    // Very large plain-text files are read in pieces (bounded memory) and never cached.
    if format == crate::decode::extract::Format::Text && size > ctx.settings.chunking.threshold {
        return read_large(ctx, index, file, b);
    }
    let bytes = match std::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(e) => {
            b.stats.inputs.push(InputRecord {
                rel: file.rel.clone(),
                bytes: size,
                blake3: None,
            });
            return b.skip(file, format!("unreadable: {e}"));
        }
    };
    let content = crate::read::cache::content_hash(&bytes);
    b.stats.inputs.push(InputRecord {
        rel: file.rel.clone(),
        bytes: bytes.len() as u64,
        blake3: Some(crate::read::cache::hex(&content)),
    });
    let read_fresh = |b: &mut Batch| {
        b.stats.read += 1;
        crate::read::reading::read(&file.path, &bytes, ctx.settings.analysis.normalize)
    };
    let reading = match ctx.cache {
        None => read_fresh(b),
        Some(cache) => {
            let key = cache.key(&file.rel, &content);
            b.stats.cache_keys.push(key);
            match cache.load(&key) {
                Ok(Some(reading)) => {
                    b.stats.reused += 1;
                    reading
                }
                found => {
                    if let Err(e) = found {
                        b.stats
                            .cache_warnings
                            .push(Warning::new(&file.rel, e.to_string()));
                    }
                    let reading = read_fresh(b);
                    if let Err(e) = cache.store(&key, &reading) {
                        b.stats
                            .cache_warnings
                            .push(Warning::new(&file.rel, e.to_string()));
                    }
                    reading
                }
            }
        }
    };
    let file_bytes = bytes.len() as u64;
    drop(bytes);
    let text = match reading {
        Reading::Failed { reason } => return b.skip(file, reason),
        Reading::Text(t) => t,
    };
    // From here on a cached reading and a fresh one take the same path.
    for w in &text.warnings {
        b.warnings.push(Warning::new(&file.rel, w.as_str()));
    }
    let Some((meta, group)) = admit(ctx, file, &text.parts, b) else {
        return;
    };
    if text.blank {
        b.warnings.push(Warning::new(&file.rel, EMPTY_STATEMENT));
    }
    let doc = DocRecord {
        index,
        doc_id: doc_id(&file.rel),
        file: file.rel.clone(),
        meta,
        group,
        encoding: text.encoding.clone(),
        bytes: file_bytes,
        format: format.name().to_string(),
        pages: text.pages,
        ..DocRecord::default()
    };
    if ctx.settings.lowercase_text {
        // The reference job lowercases whole statements before splitting.
        let lowered = crate::report::reference::lowercase_whole(text.body());
        b.acc.add(ctx.engine, doc, &lowered);
    } else {
        b.acc.add(ctx.engine, doc, text.body());
    }
}

/// Reads and counts a statement too large to hold whole, piece by piece.
fn read_large(ctx: &Context<'_>, index: usize, file: &InputFile, b: &mut Batch) {
    b.stats.streamed += 1;
    let hash = crate::read::cache::file_hash(&file.path).ok();
    let mut large = match LargeStatement::open(
        &file.path,
        &ctx.settings.chunking,
        ctx.settings.analysis.normalize,
    ) {
        Ok(l) => l,
        Err(e) => {
            b.stats.inputs.push(InputRecord {
                rel: file.rel.clone(),
                bytes: std::fs::metadata(&file.path).map_or(0, |m| m.len()),
                blake3: hash.as_ref().map(crate::read::cache::hex),
            });
            return b.skip(file, e.to_string());
        }
    };
    b.stats.inputs.push(InputRecord {
        rel: file.rel.clone(),
        bytes: large.bytes,
        blake3: hash.as_ref().map(crate::read::cache::hex),
    });
    let parts = TextParts::parse(large.head());
    let Some((meta, group)) = admit(ctx, file, &parts, b) else {
        return;
    };
    let doc = DocRecord {
        index,
        doc_id: doc_id(&file.rel),
        file: file.rel.clone(),
        meta,
        group,
        encoding: large.encoding.name().to_string(),
        bytes: large.bytes,
        format: crate::decode::extract::Format::Text.name().to_string(),
        pages: None,
        ..DocRecord::default()
    };
    let lowercase = ctx.settings.lowercase_text;
    let pieces = large.body_pieces(parts.body_offset).map(|p| {
        if lowercase {
            crate::report::reference::lowercase_whole(&p).into_owned()
        } else {
            p.into_owned()
        }
    });
    b.acc.add_pieces(ctx.engine, doc, pieces);
    let finished = large.finish();
    for w in finished.warnings {
        b.warnings.push(Warning::new(&file.rel, w));
    }
    if finished.blank {
        b.warnings.push(Warning::new(&file.rel, EMPTY_STATEMENT));
    }
}

/// The warning for a statement with no text.
const EMPTY_STATEMENT: &str = "empty statement: no text (counted with zero tokens)";

/// Resolves a statement's metadata and group; `None` (with the skip recorded) when its forum
/// is not selected.
fn admit(
    ctx: &Context<'_>,
    file: &InputFile,
    parts: &TextParts,
    b: &mut Batch,
) -> Option<(DocMeta, String)> {
    let meta = statement_metadata(ctx, file, parts, &mut b.warnings);
    let forums = &ctx.settings.forums;
    if !forums.is_empty() {
        let forum = meta.get("forum").unwrap_or("");
        if !forums.iter().any(|f| f.eq_ignore_ascii_case(forum)) {
            let shown = if forum.is_empty() { "none" } else { forum };
            b.skipped.push(Skipped {
                rel: file.rel.clone(),
                reason: format!("forum not selected ({shown})"),
            });
            return None;
        }
    }
    let group = group_label(&meta, &ctx.settings.group_by);
    if group == crate::count::results::UNDATED {
        b.warnings.push(Warning::new(
            &file.rel,
            "no date, year or session found: counted in the group `undated`, left out of trend charts",
        ));
    }
    Some((meta, group))
}

/// Resolves a statement's metadata from the manifest, its front matter, its file name and its
/// header (in that order of precedence).
fn statement_metadata(
    ctx: &Context<'_>,
    file: &InputFile,
    parts: &TextParts,
    warnings: &mut Vec<Warning>,
) -> DocMeta {
    let mut candidates = Vec::with_capacity(4);
    if let Some(m) = ctx.manifest
        && let Some((line, fields)) = m.row(&file.rel)
    {
        candidates.push(Candidate {
            source: Source::Manifest,
            origin: Some(m.path.display().to_string()),
            line: Some(line),
            fields: fields.to_vec(),
        });
    }
    if let Some(fields) = &parts.front_matter {
        candidates.push(Candidate {
            source: Source::FrontMatter,
            origin: None,
            line: Some(1),
            fields: fields.clone(),
        });
    }
    if let Some((line, message)) = &parts.front_matter_error {
        warnings.push(Warning::at_line(
            &file.rel,
            *line,
            format!("front matter: {message}"),
        ));
    }
    if let Some(p) = ctx.file_pattern {
        let name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
        if let Some(fields) = p.match_name(name) {
            candidates.push(Candidate {
                source: Source::FileName,
                origin: None,
                line: None,
                fields,
            });
        }
    }
    candidates.push(Candidate {
        source: Source::Header,
        origin: None,
        line: None,
        fields: parts.header.clone(),
    });
    let (meta, w) = resolve(&file.rel, &candidates);
    warnings.extend(w);
    meta
}

/// A statement's id: its relative path without the extension.
pub fn doc_id(rel: &str) -> String {
    match rel.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() && !stem.ends_with('/') => stem.to_string(),
        _ => rel.to_string(),
    }
}

/// True when `inner` is `outer` or lies inside it (both made absolute first).
pub fn is_within(inner: &Path, outer: &Path) -> bool {
    let abs = |p: &Path| -> std::path::PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Canonicalize what exists; the rest of the path is kept as written.
        let mut existing = p.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut out = existing
            .canonicalize()
            .unwrap_or_else(|_| existing.to_path_buf());
        for r in rest.iter().rev() {
            out.push(r);
        }
        out
    };
    abs(inner).starts_with(abs(outer))
}
