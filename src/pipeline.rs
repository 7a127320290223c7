//! The run: discover, read, decode, clean, resolve metadata, count and match in parallel, then finish.
//!
//! Only `read_statement` touches the input files; writing is the publish stage's.

use std::path::Path;
use std::sync::Mutex;

use rayon::prelude::*;

use crate::aggregate::{Accumulator, DocRecord, Engine};
use crate::analyze::Analyzer;
use crate::chunked::LargeStatement;
use crate::config::Settings;
use crate::diagnostic::Warning;
use crate::dictionary::Dictionary;
use crate::discover::{InputFile, Skipped, discover};
use crate::error::RunError;
use crate::file_name_pattern::FileNamePattern;
use crate::group::group_label;
use crate::matcher::ThemeMatcher;
use crate::metadata::{Candidate, Manifest, Source, resolve};
use crate::results::{PatternInfo, Results};

/// What a run produced before anything is written.
#[derive(Debug)]
pub struct Analysis {
    pub results: Results,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Warning>,
    /// Two- and three-word sequences for collocations.csv (empty when `[evidence] collocations` is off).
    pub collocations: crate::evidence::Collocations,
}

/// Read-only context shared by the workers.
struct Context<'a> {
    settings: &'a Settings,
    engine: &'a Engine,
    manifest: Option<&'a Manifest>,
    file_pattern: Option<&'a FileNamePattern>,
}

/// A worker's fold state.
#[derive(Default)]
struct Batch {
    acc: Accumulator,
    skipped: Vec<Skipped>,
    warnings: Vec<Warning>,
}

impl Batch {
    fn merge(mut self, other: Batch) -> Batch {
        self.acc = self.acc.merge(other.acc);
        self.skipped.extend(other.skipped);
        self.warnings.extend(other.warnings);
        self
    }
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
        capture: crate::evidence::CaptureOptions::from(&settings.evidence),
    })
}

/// Loads the theme dictionary named by the settings (none: no themes).
pub fn load_dictionary(settings: &Settings) -> Result<Dictionary, RunError> {
    match &settings.themes_path {
        Some(p) => Dictionary::load(p).map_err(RunError::Dictionary),
        None => Ok(Dictionary::default()),
    }
}

/// Runs the analysis over the input folder.
pub fn analyze(settings: &Settings) -> Result<Analysis, RunError> {
    let dict = load_dictionary(settings)?;
    analyze_with(settings, &dict)
}

/// Runs the analysis with a given dictionary (`kwic` passes its ad-hoc pattern as one).
pub fn analyze_with(settings: &Settings, dict: &Dictionary) -> Result<Analysis, RunError> {
    let engine = build_engine(settings, dict)?;
    let file_pattern = settings
        .file_name_pattern
        .as_deref()
        .map(FileNamePattern::parse)
        .transpose()
        .map_err(|e| {
            RunError::Config(crate::config::ConfigError::Invalid {
                path: settings.config_path.clone().unwrap_or_default(),
                message: format!("[metadata] file_name_pattern: {e}"),
            })
        })?;
    let mut warnings = Vec::new();
    let manifest = match &settings.manifest {
        Some(p) => match Manifest::load(p).map_err(RunError::Manifest)? {
            Some((m, w)) => {
                warnings.extend(w);
                Some(m)
            }
            None => None,
        },
        None => None,
    };
    let reserved: Vec<_> = settings.manifest.iter().cloned().collect();
    let found =
        discover(&settings.input_dir, &settings.include, &reserved).map_err(RunError::Input)?;
    if found.files.is_empty() {
        return Err(RunError::NoStatements {
            path: settings.input_dir.clone(),
            include: settings.include.clone(),
        });
    }
    if let Some(m) = &manifest {
        let present: Vec<String> = found.files.iter().map(|f| f.rel.clone()).collect();
        warnings.extend(m.missing(&present));
    }
    let (files, duplicate_skips, duplicate_warnings) =
        crate::duplicates::apply(found.files, settings.duplicates);
    warnings.extend(duplicate_warnings);
    let ctx = Context {
        settings,
        engine: &engine,
        manifest: manifest.as_ref(),
        file_pattern: file_pattern.as_ref(),
    };
    // One batch per worker thread, not per rayon split: each batch has its
    // own vocabulary, so every extra batch re-stems the corpus's words and
    // costs a merge. A worker only ever locks its own slot, so the locks are
    // uncontended; results do not depend on which worker read which file.
    let slots: Vec<Mutex<Batch>> = (0..rayon::current_num_threads().max(1))
        .map(|_| Mutex::new(Batch::default()))
        .collect();
    files.par_iter().enumerate().for_each(|(i, f)| {
        let slot = rayon::current_thread_index().unwrap_or(0) % slots.len();
        // A poisoned lock only means another statement panicked; its batch is still sound.
        let mut b = slots[slot].lock().unwrap_or_else(|e| e.into_inner());
        read_statement(&ctx, i, f, &mut b);
    });
    let batch = slots
        .into_iter()
        .map(|m| m.into_inner().unwrap_or_else(|e| e.into_inner()))
        .reduce(Batch::merge)
        .unwrap_or_default();
    let themes = engine.matcher.themes().to_vec();
    let patterns = engine
        .matcher
        .patterns()
        .iter()
        .map(|p| PatternInfo {
            theme: p.theme,
            text: p.text.clone(),
        })
        .collect();
    let mut skipped = found.skipped;
    skipped.extend(duplicate_skips);
    skipped.extend(batch.skipped);
    skipped.sort();
    warnings.extend(batch.warnings);
    warnings.sort();
    let mut acc = batch.acc;
    let collocations = std::mem::take(&mut acc.ngrams).resolve(
        &acc.vocab,
        settings.evidence.collocation_min_count,
        &engine.analyzer,
        &engine.matcher,
    );
    Ok(Analysis {
        results: Results::finish(acc, themes, patterns),
        skipped,
        warnings,
        collocations,
    })
}

/// Reads, decodes and counts one statement; failures become skips and warnings.
fn read_statement(ctx: &Context<'_>, index: usize, file: &InputFile, b: &mut Batch) {
    let mut skip = |reason: String| {
        b.warnings
            .push(Warning::new(&file.rel, format!("skipped: {reason}")));
        b.skipped.push(Skipped {
            rel: file.rel.clone(),
            reason,
        });
    };
    // Very large plain-text files are read in pieces (bounded memory); the rest in one go,
    // through the reader their extension chooses.
    let format = crate::extract::Format::from_path(&file.path);
    let size = std::fs::metadata(&file.path).map_or(0, |m| m.len());
    let (bytes, loaded, cleaned, large);
    let (text, encoding, file_bytes, pages): (&str, &str, u64, Option<u32>) = if format
        == crate::extract::Format::Text
        && size > ctx.settings.chunking.threshold
    {
        large = match LargeStatement::open(&file.path, &ctx.settings.chunking, &ctx.engine.analyzer)
        {
            Ok(l) => Some(l),
            Err(e) => return skip(e.to_string()),
        };
        let Some(l) = large.as_ref() else { return };
        (l.head(), l.encoding.name(), l.bytes, None)
    } else {
        large = None;
        bytes = match std::fs::read(&file.path) {
            Ok(bytes) => bytes,
            Err(e) => return skip(format!("unreadable: {e}")),
        };
        loaded = match crate::extract::load(&file.path, &bytes) {
            Ok(l) => l,
            Err(e) => return skip(e.to_string()),
        };
        for w in &loaded.warnings {
            b.warnings.push(Warning::new(&file.rel, w.as_str()));
        }
        cleaned = ctx.engine.analyzer.prepare(&loaded.text);
        (
            &cleaned,
            loaded.encoding.map_or("", |e| e.name()),
            bytes.len() as u64,
            loaded.pages,
        )
    };
    let (meta, body) = statement_metadata(ctx, file, text, &mut b.warnings);
    let forums = &ctx.settings.forums;
    if !forums.is_empty() {
        let forum = meta.get("forum").unwrap_or("");
        if !forums.iter().any(|f| f.eq_ignore_ascii_case(forum)) {
            let shown = if forum.is_empty() { "none" } else { forum };
            b.skipped.push(Skipped {
                rel: file.rel.clone(),
                reason: format!("forum not selected ({shown})"),
            });
            return;
        }
    }
    if large.is_none() && crate::clean::is_blank(body) {
        b.warnings.push(Warning::new(&file.rel, EMPTY_STATEMENT));
    }
    let group = group_label(&meta, &ctx.settings.group_by);
    if group == crate::results::UNDATED {
        b.warnings.push(Warning::new(
            &file.rel,
            "no date, year or session found: counted in the group `undated`, left out of trend charts",
        ));
    }
    let doc = DocRecord {
        index,
        doc_id: doc_id(&file.rel),
        file: file.rel.clone(),
        meta,
        group,
        encoding: encoding.to_string(),
        bytes: file_bytes,
        format: format.name().to_string(),
        pages,
        ..DocRecord::default()
    };
    let body_offset = text.len() - body.len();
    match large {
        // The reference job lowercases whole statements before splitting.
        None if ctx.settings.lowercase_text => {
            let lowered = crate::reference::lowercase_whole(body);
            b.acc.add(ctx.engine, doc, &lowered);
        }
        None => b.acc.add(ctx.engine, doc, body),
        Some(mut l) => {
            let lowercase = ctx.settings.lowercase_text;
            let pieces = l.body_pieces(body_offset).map(|p| {
                if lowercase {
                    crate::reference::lowercase_whole(&p).into_owned()
                } else {
                    p.into_owned()
                }
            });
            b.acc.add_pieces(ctx.engine, doc, pieces);
            let finished = l.finish();
            for w in finished.warnings {
                b.warnings.push(Warning::new(&file.rel, w));
            }
            if finished.blank {
                b.warnings.push(Warning::new(&file.rel, EMPTY_STATEMENT));
            }
        }
    }
}

/// The warning for a statement with no text.
const EMPTY_STATEMENT: &str = "empty statement: no text (counted with zero tokens)";

/// Resolves a statement's metadata; returns it with the body (text after any front matter).
fn statement_metadata<'t>(
    ctx: &Context<'_>,
    file: &InputFile,
    text: &'t str,
    warnings: &mut Vec<Warning>,
) -> (crate::metadata::DocMeta, &'t str) {
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
    let mut body = text;
    match crate::front_matter::parse_front_matter(text) {
        Ok(Some(fm)) => {
            body = &text[fm.body_offset.min(text.len())..];
            candidates.push(Candidate {
                source: Source::FrontMatter,
                origin: None,
                line: Some(1),
                fields: fm.fields,
            });
        }
        Ok(None) => {}
        Err(e) => warnings.push(Warning::at_line(
            &file.rel,
            e.line,
            format!("front matter: {}", e.message),
        )),
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
    let h = crate::header::parse_header(body);
    let mut fields = Vec::new();
    let mut put = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            fields.push((k.to_string(), v));
        }
    };
    put("session", h.session);
    put("date", h.date.map(|d| d.to_string()));
    put("speaker", h.speaker);
    put("forum", h.forum);
    put("on_behalf_of", h.on_behalf_of);
    candidates.push(Candidate {
        source: Source::Header,
        origin: None,
        line: None,
        fields,
    });
    let (meta, w) = resolve(&file.rel, &candidates);
    warnings.extend(w);
    (meta, body)
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
