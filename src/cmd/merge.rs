//! `topictrends merge` (every output from shards' partial files) and `run --shard K/N --partial FILE`.

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use crate::cli::{CommonArgs, MergeArgs};
use crate::config::{ConfigError, Settings};
use crate::error::{RunError, exit};
use crate::log::{Level, Log, count};
use crate::pipeline::{self, shard};
use crate::read::cache::Cache;

use super::run::{Target, Timing, progress_bar};

/// Merges the partial files into the output folder; returns the exit code.
pub fn run(args: &MergeArgs, log: &Log) -> Result<i32, RunError> {
    let started = SystemTime::now();
    let clock = Instant::now();
    let common = CommonArgs {
        config: args.config.clone(),
        strict: args.strict,
        ..CommonArgs::default()
    };
    let excel = args.no_excel.then_some(false);
    let settings = super::settings(&common, args.output.clone(), excel, args.no_charts)?;
    super::note_defaults(&settings, log);
    let dict = pipeline::load_dictionary(&settings)?;
    let engine = pipeline::build_engine(&settings, &dict)?;
    let analysis_key = shard::analysis_fingerprint(&settings, &engine);
    let mut partials = Vec::with_capacity(args.partials.len());
    for path in &args.partials {
        let p = shard::load(path).map_err(|e| merge_error(e, &settings))?;
        partials.push((path.clone(), p));
    }
    let collected = shard::merge(partials, &analysis_key).map_err(|e| merge_error(e, &settings))?;
    let target = Target::open(&settings, log)?;
    let setup = clock.elapsed();
    let (analysis, mut stats) = pipeline::finish(collected, &settings, &engine, Instant::now());
    stats.read_analyze = setup;
    let timing = Timing {
        started,
        clock,
        setup,
    };
    let partials = args.partials.len();
    let code = target.publish(&settings, analysis, &stats, timing, args.strict, None, log)?;
    log.log(
        Level::Info,
        &format!("merged {}", count(partials as u64, "partial file")),
    );
    Ok(code)
}

/// A merge refusal as the error the exit codes table knows: a bad or mismatched partial is
/// bad input (4), a config that analyses differently is a bad configuration (3).
fn merge_error(e: shard::MergeError, settings: &Settings) -> RunError {
    match e {
        shard::MergeError::Config(message) => RunError::Config(ConfigError::Invalid {
            path: settings.config_path.clone().unwrap_or_default(),
            message,
        }),
        other => RunError::Partials {
            message: other.to_string(),
        },
    }
}

/// `run --shard K/N --partial FILE`: reads and counts this shard's statements and writes the
/// partial file (atomically) instead of the output; returns the exit code.
pub fn run_shard(
    settings: &Settings,
    spec: &str,
    partial: &Path,
    cache: Option<&Cache>,
    strict: bool,
    log: &Log,
) -> Result<i32, RunError> {
    let which: shard::Shard = spec
        .parse()
        .map_err(|e: String| RunError::Internal(format!("--shard {e}")))?;
    if let Err(e) = crate::interrupt::install() {
        log.log(
            Level::Warning,
            &format!("cannot handle SIGINT/SIGTERM ({e}); an interrupted shard writes nothing"),
        );
    }
    let dict = pipeline::load_dictionary(settings)?;
    let mut engine = pipeline::build_engine(settings, &dict)?;
    let progress = progress_bar(log);
    let options = pipeline::Options {
        cache,
        progress: progress.as_ref(),
        stop: Some(crate::interrupt::flag()),
        shard: Some(which),
    };
    let collected = pipeline::collect(settings, &mut engine, &options);
    if let Some(p) = &progress {
        p.finish_and_clear();
    }
    let collected = collected?;
    for w in &collected.stats.cache_warnings {
        log.warning(w);
    }
    // Input-wide warnings are every shard's: shard 1 reports them, the merge lists them once.
    let shown = (collected.warnings.iter()).chain(
        (which.k == 1)
            .then_some(&collected.input_warnings)
            .into_iter()
            .flatten(),
    );
    let mut warned = 0u64;
    for w in shown {
        log.warning(w);
        warned += 1;
    }
    let statements = collected.acc.docs.len() as u64;
    let p = shard::Partial {
        version: crate::version::LINE.to_string(),
        analysis: shard::analysis_fingerprint(settings, &engine),
        shard: which,
        collected,
    };
    if crate::interrupt::requested() {
        return Err(RunError::Interrupted);
    }
    write_atomically(partial, &shard::encode(&p)).map_err(|e| RunError::Output {
        path: partial.to_path_buf(),
        message: e.to_string(),
    })?;
    log.log(
        Level::Info,
        &format!(
            "shard {which}: {} counted, {}; wrote {}",
            count(statements, "statement"),
            count(warned, "warning"),
            partial.display()
        ),
    );
    Ok(if strict && warned > 0 {
        exit::WARNINGS_STRICT
    } else {
        exit::OK
    })
}

/// Writes `bytes` under a temporary name beside `path`, then renames it over `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = PathBuf::from(path);
    tmp.as_mut_os_string()
        .push(format!(".tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
