//! What a run loads before its first statement: the analysis chain and matcher, the manifest, the file-name pattern, the input listing.

use crate::analyze::Analyzer;
use crate::config::Settings;
use crate::count::Engine;
use crate::count::languages::{LanguageRecipe, other_languages};
use crate::diagnostic::Warning;
use crate::error::RunError;
use crate::metadata::Manifest;
use crate::metadata::file_name_pattern::FileNamePattern;
use crate::read::discover::{Discovery, discover};
use crate::themes::dictionary::Dictionary;
use crate::themes::matcher::{PatternError, ThemeMatcher};

/// Builds the analysis chain and compiles the dictionary (shared by `run`, `check` and `kwic`).
pub fn build_engine(settings: &Settings, dict: &Dictionary) -> Result<Engine, RunError> {
    let pattern_error = |e| RunError::Pattern {
        path: settings.themes_path.clone().unwrap_or_default(),
        source: e,
    };
    let default = settings.languages.policy.default;
    // Every problem of the dictionary at once: the default language's patterns written
    // twice, and every bad pattern of every language.
    let written_twice = dict.check_default(default).err();
    let mut chain = settings.analysis.clone();
    if default == crate::analyze::language::Language::Zh {
        chain.words = dict.pattern_words(default, default);
    }
    let analyzer = Analyzer::new(chain);
    let matcher = ThemeMatcher::compile(
        &dict.for_language(default, default),
        &analyzer,
        settings.hit_rule,
        settings.cross_sentences,
    )
    .map(|m| m.with_wildcard(settings.wildcard));
    // A table that is not written is not computed: no hit records or contexts without them.
    let capture = crate::config::CaptureOptions {
        hits: settings.keeps_hits(),
        contexts: settings.keeps_contexts(),
        ..crate::config::CaptureOptions::from(&settings.evidence)
    };
    let languages = other_languages(LanguageRecipe {
        default,
        base: settings.analysis.clone(),
        edits: settings.languages.edits.clone(),
        dictionary: dict.clone(),
        rule: settings.hit_rule,
        cross_sentences: settings.cross_sentences,
        wildcard: settings.wildcard,
        capture,
    });
    let bad_patterns = match (matcher.as_ref().err(), languages.as_ref().err()) {
        (None, None) => None,
        (first, then) => {
            let first = first.cloned();
            Some(match then {
                Some(then) => PatternError::joined(first, then.clone()),
                None => first.unwrap_or_default(),
            })
        }
    };
    if let Some(twice) = written_twice {
        // One dictionary error listing both kinds, a line each (as `check` shows them).
        let mut lines = vec![twice];
        lines.extend(
            bad_patterns
                .iter()
                .flat_map(|e| e.all())
                .map(|e| e.to_string()),
        );
        return Err(RunError::Dictionary(
            crate::themes::dictionary::DictionaryError::Invalid {
                path: settings.themes_path.clone().unwrap_or_default(),
                message: lines.join("\n"),
            },
        ));
    }
    if let Some(e) = bad_patterns {
        return Err(pattern_error(e));
    }
    let (matcher, languages) = (
        matcher.map_err(pattern_error)?,
        languages.map_err(pattern_error)?,
    );
    Ok(Engine {
        analyzer,
        matcher,
        capture,
        languages,
    })
}

/// Loads the theme dictionary and builds the engine from it, naming every problem of the
/// dictionary at once: when the dictionary itself is invalid (a theme without patterns, a
/// name given twice), its patterns are still compiled, so that their problems are in the same
/// error rather than in the next run's.
pub fn load_engine(settings: &Settings) -> Result<(Dictionary, Engine), RunError> {
    use crate::themes::dictionary::DictionaryError;
    let (path, message) = match load_dictionary(settings) {
        Ok(dict) => {
            let engine = build_engine(settings, &dict)?;
            return Ok((dict, engine));
        }
        Err(RunError::Dictionary(DictionaryError::Invalid { path, message })) => (path, message),
        Err(e) => return Err(e),
    };
    let mut lines = vec![message];
    let unchecked = (settings.themes_path.as_deref()).and_then(Dictionary::load_unchecked);
    match unchecked.map(|dict| build_engine(settings, &dict)) {
        Some(Err(RunError::Pattern { source, .. })) => {
            lines.extend(source.all().map(|e| e.to_string()));
        }
        Some(Err(RunError::Dictionary(DictionaryError::Invalid { message, .. }))) => {
            lines.push(message);
        }
        _ => {}
    }
    Err(RunError::Dictionary(DictionaryError::Invalid {
        path,
        message: lines.join("\n"),
    }))
}

/// Loads the theme dictionary named by the settings (none: no themes).
pub fn load_dictionary(settings: &Settings) -> Result<Dictionary, RunError> {
    match &settings.themes_path {
        Some(p) => Dictionary::load(p).map_err(|e| match e {
            crate::themes::dictionary::DictionaryError::Read { path, source, .. } => {
                RunError::Dictionary(crate::themes::dictionary::DictionaryError::Read {
                    path,
                    source,
                    named_at: settings.place_of("[themes] file"),
                })
            }
            other => RunError::Dictionary(other),
        }),
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
            // The default metadata.csv is optional; a manifest the config names is not (a
            // typo would otherwise change every statement's metadata without a word).
            None if settings.manifest_required => {
                Err(RunError::Manifest(crate::metadata::ManifestError {
                    path: p.clone(),
                    line: None,
                    message: "the manifest `[metadata] manifest` names does not exist (\"\" runs without one)".into(),
                }))
            }
            None => Ok((None, Vec::new())),
        },
        None => Ok((None, Vec::new())),
    }
}

/// Whether the input folder exists and is a folder: checked before a run creates anything
/// (its lock, staging, the output's parent folders), as listing it comes later.
pub fn check_input_folder(settings: &Settings) -> Result<(), RunError> {
    crate::read::discover::check_root(&settings.input_dir).map_err(RunError::Input)
}

/// Lists the statements under the input folder; none at all is an error.
pub fn discover_input(settings: &Settings) -> Result<Discovery, RunError> {
    let reserved: Vec<_> = settings.manifest.iter().cloned().collect();
    let found =
        discover(&settings.input_dir, &settings.include, &reserved).map_err(RunError::Input)?;
    if found.files.is_empty() {
        // The entries that match but cannot be read (they have a warning), not what was
        // left out by choice: the manifest, hidden files, other extensions.
        let problems: std::collections::HashSet<&str> =
            found.warnings.iter().map(|w| w.file.as_str()).collect();
        return Err(RunError::NoStatements {
            path: settings.input_dir.clone(),
            include: settings.include.clone(),
            unreadable: (found.skipped.iter())
                .filter(|s| problems.contains(s.rel.as_str()))
                .map(|s| format!("{} ({})", s.rel, s.reason))
                .collect(),
        });
    }
    Ok(found)
}
