//! `topictrends merge`: every output from the shards' partial files, as one run would write it.

use std::time::{Instant, SystemTime};

use crate::cli::{CommonArgs, MergeArgs};
use crate::config::{ConfigError, Settings};
use crate::error::RunError;
use crate::log::{Level, Log, count};
use crate::pipeline::{self, shard};

use super::run::{Target, Timing};

/// Merges the partial files into the output folder; returns the exit code.
pub fn run(args: &MergeArgs, log: &Log) -> Result<i32, RunError> {
    let started = SystemTime::now();
    let clock = Instant::now();
    let common = CommonArgs {
        config: args.config.clone(),
        forum: args.forum.clone(),
        strict: args.strict,
        ..CommonArgs::default()
    };
    let excel = args.no_excel.then_some(false);
    let settings = super::settings(&common, args.output.clone(), excel, args.no_charts)?;
    super::note_defaults(&settings, log);
    let (dict, engine) = pipeline::load_engine(&settings)?;
    let analysis_key = shard::analysis_fingerprint(&settings, &engine, &dict);
    let loaded = clock.elapsed();
    let mut partials = Vec::with_capacity(args.partials.len());
    for path in &args.partials {
        let p = shard::load(path).map_err(|e| merge_error(e, &settings))?;
        partials.push((path.clone(), p));
    }
    let collected = shard::merge(partials, &analysis_key).map_err(|e| merge_error(e, &settings))?;
    let partial_paths: Vec<(&'static str, &std::path::Path)> = (args.partials.iter())
        .map(|p| ("partial file", p.as_path()))
        .collect();
    // Reading and merging the partials is this job's "read and analyse"; the rest is setup.
    let merging = clock.elapsed() - loaded;
    Target::check(&settings, &partial_paths)?;
    let target = Target::open(&settings, log)?;
    let setup = clock.elapsed() - merging;
    let (analysis, mut stats) = pipeline::finish(collected, &settings, &engine, Instant::now())?;
    stats.read_analyze = merging;
    stats.discover = std::time::Duration::ZERO;
    let partials = args.partials.len();
    let timing = Timing {
        started,
        clock,
        setup,
        partials,
    };
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
            // Without `--config` (and no config/topictrends.toml), the defaults were compared.
            path: (settings.config_path.clone())
                .unwrap_or_else(|| "built-in defaults (no --config given)".into()),
            message,
        }),
        other => RunError::Partials {
            message: other.to_string(),
        },
    }
}
