//! `topictrends check`: validate config, dictionary, manifest and input without writing anything.
//!
//! Every independent check runs even when an earlier one failed, so one pass
//! lists every problem; the exit code is the one `run` would exit with (its
//! first failing stage's), 0 when a run would succeed.

use crate::cli::CheckArgs;
use crate::error::{RunError, exit};
use crate::log::{Level, Log, count};
use crate::pipeline;

/// Runs every check; returns the exit code a run would have.
pub fn run(args: &CheckArgs, log: &Log) -> Result<i32, RunError> {
    // Without settings nothing else can be checked: a config error ends here.
    let settings = super::settings(&args.common, args.output.clone(), None, true)?;
    super::note_defaults(&settings, log);
    // Each problem with the step of a run that would meet it (`cmd::run::run`, then
    // `pipeline::collect`): a run stops at its first, so that one gives the exit code.
    const OUTPUT_PLACE: u8 = 0;
    const DICTIONARY: u8 = 1;
    const INPUT_FOLDER: u8 = 2;
    const OUTPUT_WRITABLE: u8 = 3;
    const FILE_PATTERN: u8 = 4;
    const STATEMENTS: u8 = 5;
    const MANIFEST: u8 = 6;
    let mut problems: Vec<(u8, RunError)> = Vec::new();
    if let Err(e) = super::run::Target::check(&settings, &[]) {
        problems.push((OUTPUT_PLACE, e));
    }
    if let Err(e) = pipeline::load_engine(&settings) {
        problems.push((DICTIONARY, e));
    }
    if let Err(e) = pipeline::load_file_pattern(&settings) {
        problems.push((FILE_PATTERN, e));
    }
    let mut warnings = Vec::new();
    // As a run checks them: the input folder before the manifest it would hold.
    let input_ok = match pipeline::discover_input(&settings) {
        Ok(found) => {
            warnings.extend(found.warnings);
            true
        }
        Err(e) => {
            let step = match e {
                RunError::Input(_) => INPUT_FOLDER,
                _ => STATEMENTS,
            };
            problems.push((step, e));
            false
        }
    };
    // A manifest inside a bad input folder would only repeat the input's error.
    let manifest_in_bad_input = !input_ok
        && (settings.manifest.as_ref()).is_some_and(|m| m.starts_with(&settings.input_dir));
    if !manifest_in_bad_input {
        match pipeline::load_manifest(&settings) {
            Ok((_, w)) => warnings.extend(w),
            Err(e) => problems.push((MANIFEST, e)),
        }
    }
    if let Err(e) = super::run::guard_writable(&settings.output_dir) {
        problems.push((OUTPUT_WRITABLE, e));
    }
    // Stable: one step's problems keep the order they were found in.
    problems.sort_by_key(|(step, _)| *step);
    let problems: Vec<RunError> = problems.into_iter().map(|(_, e)| e).collect();
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
    Ok(if args.common.strict && !analysis.warnings.is_empty() {
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
