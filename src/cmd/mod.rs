//! Subcommands: one file each, with its `run` function.

pub mod check;
pub mod clean;
pub mod completions;
pub mod extract;
pub mod init;
pub mod kwic;
pub mod man;
pub mod merge;
pub mod run;
pub mod shard;

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{Command, CommonArgs};
use crate::config::{Overrides, Settings};
use crate::diagnostic::Warning;
use crate::error::RunError;
use crate::log::{Level, Log};
use crate::read::cache::Cache;

/// Runs the subcommand; returns its exit code.
pub fn dispatch(command: &Command, log: &Log) -> Result<i32, RunError> {
    match command {
        Command::Run(args) => run::run(args, log),
        Command::Check(args) => check::run(args, log),
        Command::Extract(args) => extract::run(args, log),
        Command::Kwic(args) => kwic::run(args, log),
        Command::Merge(args) => merge::run(args, log),
        Command::Clean(args) => clean::run(args, log),
        Command::Init(args) => init::run(args, log),
        Command::Completions(args) => completions::run(args),
        Command::Man => man::run(),
    }
}

/// A lock that could not be taken, as the exit codes table knows it: held is 6, the rest 5.
pub fn lock_error(e: crate::write::lock::LockError, output: &std::path::Path) -> RunError {
    match e {
        crate::write::lock::LockError::Held { .. } => RunError::Locked {
            message: e.to_string(),
        },
        other => RunError::Output {
            path: output.to_path_buf(),
            message: other.to_string(),
        },
    }
}

/// Writes `bytes` to stdout. A closed pipe (`| head`) is not an error worth reporting; any
/// other failure (a full disk under `> lines.txt`) is, since what was written is cut short.
pub fn write_stdout(bytes: &[u8]) -> Result<(), RunError> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    stdout_result(out.write_all(bytes).and_then(|()| out.flush()))
}

/// A write to stdout as the commands report it: `Ok` when it went through or the reader went
/// away (broken pipe), else an output error (exit 5) naming stdout.
pub fn stdout_result(result: std::io::Result<()>) -> Result<(), RunError> {
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(RunError::Output {
            path: "standard output".into(),
            message: format!("{e}; what was written is incomplete"),
        }),
        _ => Ok(()),
    }
}

/// Says, once, that no config file was found and what that means, so a run without themes
/// is never a surprise (the defaults have no theme dictionary).
pub fn note_defaults(settings: &Settings, log: &Log) {
    if settings.config_path.is_none() {
        log.log(
            crate::log::Level::Info,
            &format!(
                "no config file ({} not found in the working directory): built-in defaults, without a theme dictionary; `topictrends init` writes a starter config and dictionary",
                crate::config::DEFAULT_CONFIG
            ),
        );
    }
}

/// Resolves settings from the shared flags.
pub fn settings(
    common: &CommonArgs,
    output: Option<std::path::PathBuf>,
    excel: Option<bool>,
    no_charts: bool,
) -> Result<Settings, RunError> {
    let flags = Overrides {
        input: common.input.clone(),
        output,
        forums: common.forum.clone(),
        excel_compatible: excel,
        no_charts,
    };
    Settings::resolve(common.config.as_deref(), &flags).map_err(RunError::Config)
}

/// A progress bar on stderr, only for a person watching: stderr a terminal, not quiet, text logs.
pub(crate) fn progress_bar(log: &Log) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal()
        || !log.enabled(Level::Info)
        || log.format != crate::log::LogFormat::Text
    {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{bar:30} {pos}/{len} statements  {per_sec}  ETA {eta}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

/// The output's cache for `run` (and its shards), unless `--no-cache` or the cache cannot be
/// used; then the run goes on without it, and the warning says why (once, rather than once
/// per statement).
pub(crate) fn usable_cache(
    settings: &Settings,
    no_cache: bool,
) -> (Option<Cache>, Option<Warning>) {
    let cache = if no_cache {
        None
    } else {
        Cache::for_settings(settings)
    };
    match cache
        .as_ref()
        .and_then(|c| c.unusable().map(|why| (c, why)))
    {
        Some((c, why)) => {
            let warning = Warning::new(
                c.dir().display().to_string(),
                format!(
                    "the cache cannot be used ({why}): this run reads every statement afresh and stores nothing; remove or fix it, or pass --no-cache"
                ),
            );
            (None, Some(warning))
        }
        None => (cache, None),
    }
}

/// How many cache warnings the log shows before it sums up the rest (run.json lists them all).
const CACHE_WARNINGS_SHOWN: usize = 10;

/// Logs cache warnings: the first few, then how many more there were, so a cache that fails
/// midway (a full disk) does not bury the log under one warning per statement.
pub(crate) fn log_cache_warnings(log: &Log, warnings: &[Warning]) {
    for w in warnings.iter().take(CACHE_WARNINGS_SHOWN) {
        log.warning(w);
    }
    if warnings.len() > CACHE_WARNINGS_SHOWN {
        log.log(
            Level::Warning,
            &format!(
                "and {} more cache warnings (run.json's `cache.warnings` lists every one)",
                warnings.len() - CACHE_WARNINGS_SHOWN
            ),
        );
    }
}
