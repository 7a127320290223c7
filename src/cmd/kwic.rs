//! `topictrends kwic`: every occurrence of an ad-hoc term or pattern, in context, on stdout; writes nothing.

use std::io::Write;
use std::path::PathBuf;

use crate::analyze::language::Language;
use crate::cli::KwicArgs;
use crate::error::{RunError, exit};
use crate::log::{Level, Log};
use crate::pipeline;
use crate::report::evidence::contexts::kwic_line;
use crate::themes::dictionary::{Dictionary, ThemeDef};

/// Where messages about the pattern say they come from (in place of a dictionary file).
const PATTERN_PLACE: &str = "kwic pattern";

/// The pattern as a one-theme dictionary, matched exactly like a dictionary pattern: under
/// `patterns` when `language` is the default one, else under `patterns_<code>`.
pub fn pattern_dictionary(pattern: &str, language: Language, default: Language) -> Dictionary {
    let mut theme = ThemeDef {
        name: "kwic".into(),
        ..ThemeDef::default()
    };
    if language == default {
        theme.patterns = vec![pattern.to_string()];
    } else {
        *theme.translated_mut(language) = vec![pattern.to_string()];
    }
    Dictionary {
        themes: vec![theme],
    }
}

/// Characters of context on each side when `--width` is not given.
const DEFAULT_WIDTH: usize = 40;

/// Widest `doc_id` column before ids are left to overflow it.
const MAX_LABEL_WIDTH: usize = 32;

/// Runs the analysis with the pattern as the only theme and prints one line per hit.
pub fn run(args: &KwicArgs, log: &Log) -> Result<i32, RunError> {
    let mut settings = super::settings(&args.common, None, None, true)?;
    // Only the contexts are needed: n-gram counting would be wasted work.
    settings.evidence.collocations = false;
    // The concordance is made of hits and their contexts, whatever tables the config writes.
    settings.tables = None;
    // `[evidence] context_words` bounds the words on each side, `--width` the characters; a
    // `--width` asked for is filled (a quarter of it in words, at least).
    let width = args.width.unwrap_or(DEFAULT_WIDTH);
    if let Some(w) = args.width {
        settings.evidence.context_words = settings.evidence.context_words.max(w / 4);
    }
    // Errors in the pattern name it, not the dictionary file.
    settings.themes_path = Some(PathBuf::from(PATTERN_PLACE));
    let bad_pattern = |message: String| RunError::Pattern {
        path: PathBuf::from(PATTERN_PLACE),
        source: crate::themes::matcher::PatternError {
            pattern: args.pattern.clone(),
            message,
            ..Default::default()
        },
    };
    if args.pattern.trim().is_empty() {
        return Err(bad_pattern("the pattern is empty".into()));
    }
    let default = settings.languages.policy.default;
    // `--language` was checked when the command line was parsed (`cli::language_code`).
    let language = args
        .language
        .as_deref()
        .and_then(Language::parse)
        .unwrap_or(default);
    let dictionary = pattern_dictionary(&args.pattern, language, default);
    let mut analysis = pipeline::analyze_with(&settings, &dictionary).map_err(|e| match e {
        // The pattern's one-theme dictionary is ours, not the user's: name the pattern alone.
        RunError::Pattern { path, source } => RunError::Pattern {
            path,
            source: crate::themes::matcher::PatternError {
                theme: String::new(),
                ..source
            },
        },
        other => other,
    })?;
    // The pattern has no words in the other languages by design: the summary below says which
    // statements were searched, so no warning per language.
    analysis.warnings.retain(|w| w.file != PATTERN_PLACE);
    let r = &analysis.results;
    // `analyze_with` spills nothing: the hits are in memory.
    let hits = r.hits.in_memory();
    let label_width = hits
        .iter()
        .filter_map(|h| r.docs.get(h.doc))
        .map(|d| d.doc_id.chars().count())
        .max()
        .unwrap_or(0)
        .min(MAX_LABEL_WIDTH);
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for h in hits {
        let Some(d) = r.docs.get(h.doc) else { continue };
        let line = kwic_line(&d.doc_id, label_width, &h.context, width);
        // A closed pipe (`| head`) ends the listing quietly; a full disk is an error.
        if let Err(e) = writeln!(out, "{line}") {
            super::stdout_result(Err(e))?;
            return Ok(exit::OK);
        }
    }
    if let Err(e) = out.flush() {
        super::stdout_result(Err(e))?;
        return Ok(exit::OK);
    }
    let docs = {
        let mut ids: Vec<usize> = hits.iter().map(|h| h.doc).collect();
        ids.dedup();
        ids.len()
    };
    // What reading the statements met (undated or unreadable statements, ...), as `run` says it.
    for w in &analysis.warnings {
        log.warning(w);
    }
    // The pattern is matched in the statements of its language only: those are the ones
    // searched, and the others are named apart.
    let searched = r.docs.iter().filter(|d| d.language == language).count();
    let others = r.docs.len() - searched;
    let occurrences = if hits.len() == 1 {
        "occurrence"
    } else {
        "occurrences"
    };
    let mut summary = format!(
        "{} {occurrences} of {:?} in {docs} of {searched} statements",
        hits.len(),
        args.pattern,
    );
    if others > 0 {
        summary = format!(
            "{summary} in {} ({others} in other languages not searched)",
            language.name()
        );
    }
    log.log(Level::Info, &summary);
    Ok(if args.common.strict && !analysis.warnings.is_empty() {
        exit::WARNINGS_STRICT
    } else {
        exit::OK
    })
}
