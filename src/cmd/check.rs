//! `topictrends check`: validate config, dictionary, manifest and input without writing anything.
//!
//! Every independent check runs even when an earlier one failed, so one pass
//! lists every problem; the exit code is the one `run` would exit with (its
//! first failing stage's), 0 when a run would succeed.

use crate::cli::CommonArgs;
use crate::error::{RunError, exit};
use crate::log::{Level, Log, count};
use crate::pipeline;

/// Runs every check; returns the exit code a run would have.
pub fn run(args: &CommonArgs, log: &Log) -> Result<i32, RunError> {
    // Without settings nothing else can be checked: a config error ends here.
    let settings = super::settings(args, None, None, true)?;
    super::note_defaults(&settings, log);
    let mut problems: Vec<RunError> = Vec::new();
    match pipeline::load_dictionary(&settings) {
        Ok(dict) => {
            if let Err(e) = pipeline::build_engine(&settings, &dict) {
                problems.push(e);
            }
        }
        Err(e) => {
            // A dictionary with a nameless or pattern-less theme still has patterns to check.
            let invalid = matches!(
                e,
                RunError::Dictionary(crate::themes::dictionary::DictionaryError::Invalid { .. })
            );
            problems.push(e);
            let unchecked = (settings.themes_path.as_deref())
                .filter(|_| invalid)
                .and_then(crate::themes::dictionary::Dictionary::load_unchecked);
            if let Some(dict) = unchecked
                && let Err(e @ RunError::Pattern { .. }) = pipeline::build_engine(&settings, &dict)
            {
                problems.push(e);
            }
        }
    }
    if let Err(e) = pipeline::load_file_pattern(&settings) {
        problems.push(e);
    }
    let mut warnings = Vec::new();
    // As a run checks them: the input folder before the manifest it would hold.
    let input_ok = match pipeline::discover_input(&settings) {
        Ok(found) => {
            warnings.extend(found.warnings);
            true
        }
        Err(e) => {
            problems.push(e);
            false
        }
    };
    // A manifest inside a bad input folder would only repeat the input's error.
    let manifest_in_bad_input = !input_ok
        && (settings.manifest.as_ref()).is_some_and(|m| m.starts_with(&settings.input_dir));
    if !manifest_in_bad_input {
        match pipeline::load_manifest(&settings) {
            Ok((_, w)) => warnings.extend(w),
            Err(e) => problems.push(e),
        }
    }
    if let Err(e) = super::run::guard_placement(&settings, &[])
        .and_then(|()| super::run::guard_output_link(&settings.output_dir))
        .and_then(|()| super::run::guard_writable(&settings.output_dir))
        .and_then(|()| super::run::guard_foreign_output(&settings.output_dir))
    {
        problems.push(e);
    }
    if let Some(first) = problems.first() {
        let code = first.exit_code();
        // A dictionary's problems come as one error of several lines, one problem a line (a
        // TOML error's lines are one problem, pointing into the file).
        let lines: Vec<String> = (problems.iter())
            .flat_map(|p| {
                let text = p.to_string();
                let several = matches!(
                    p,
                    RunError::Pattern { .. }
                        | RunError::Dictionary(
                            crate::themes::dictionary::DictionaryError::Invalid { .. }
                        )
                );
                if several {
                    text.lines().map(str::to_string).collect()
                } else {
                    vec![text]
                }
            })
            .collect();
        for p in &lines {
            log.log(Level::Error, p);
        }
        for w in &warnings {
            log.warning(w);
        }
        log.log(
            Level::Error,
            &format!(
                "{} problem(s) found; a run would fail with exit code {code}",
                lines.len()
            ),
        );
        return Ok(code);
    }
    // Everything loads: read every statement (encodings, metadata) as a run would.
    let analysis = pipeline::analyze(&settings)?;
    for w in &analysis.warnings {
        log.warning(w);
    }
    let r = &analysis.results;
    log.log(
        Level::Info,
        &format!(
            "ok: {}, {} skipped, {}, {} with {}, {}",
            count(r.docs.len() as u64, "statement"),
            analysis.skipped.len(),
            count(r.sessions.len() as u64, "session"),
            count(r.themes.len() as u64, "theme"),
            patterns_by_language(&r.patterns),
            count(analysis.warnings.len() as u64, "warning")
        ),
    );
    Ok(if args.strict && !analysis.warnings.is_empty() {
        exit::WARNINGS_STRICT
    } else {
        exit::OK
    })
}

/// "1 pattern", or with statements in more than one language "12 patterns (6 English, 6
/// French)": what each language's statements are matched against.
fn patterns_by_language(patterns: &[crate::count::results::PatternInfo]) -> String {
    let mut per: std::collections::BTreeMap<&str, u64> = std::collections::BTreeMap::new();
    for p in patterns {
        *per.entry(p.language.name()).or_default() += 1;
    }
    let total = count(patterns.len() as u64, "pattern");
    if per.len() < 2 {
        return total;
    }
    let parts: Vec<String> = per.iter().map(|(l, n)| format!("{n} {l}")).collect();
    format!("{total} ({})", parts.join(", "))
}
