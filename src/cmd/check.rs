//! `topictrends check`: validate config, dictionary and input without writing anything.

use crate::cli::CommonArgs;
use crate::error::{RunError, exit};
use crate::log::{Level, Log};
use crate::pipeline;

/// Runs every stage but publishing; returns the exit code a run would have.
pub fn run(args: &CommonArgs, log: &Log) -> Result<i32, RunError> {
    let settings = super::settings(args, None, None, true)?;
    let analysis = pipeline::analyze(&settings)?;
    for w in &analysis.warnings {
        log.warning(w);
    }
    let r = &analysis.results;
    log.log(
        Level::Info,
        &format!(
            "ok: {} statements, {} skipped, {} sessions, {} themes with {} patterns, {} warnings",
            r.docs.len(),
            analysis.skipped.len(),
            r.sessions.len(),
            r.themes.len(),
            r.patterns.len(),
            analysis.warnings.len()
        ),
    );
    Ok(if args.strict && !analysis.warnings.is_empty() {
        exit::WARNINGS_STRICT
    } else {
        exit::OK
    })
}
