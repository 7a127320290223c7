//! `topictrends clean`: remove the cache and what killed runs left behind; the output only on request.

use crate::cli::{CleanArgs, CommonArgs};
use crate::config::paths::split_output_dir;
use crate::error::{RunError, exit};
use crate::log::{Level, Log};
use crate::read::cache::cache_dir;
use crate::write::lock::RunLock;
use crate::write::publish::Staging;

/// Cleans under the lock, so it never pulls the cache from under a running job.
pub fn run(args: &CleanArgs, log: &Log) -> Result<i32, RunError> {
    let common = CommonArgs {
        config: args.config.clone(),
        ..CommonArgs::default()
    };
    let settings = super::settings(&common, args.output.clone(), None, true)?;
    let output = settings.output_dir.clone();
    let err = |message: String| RunError::Output {
        path: output.clone(),
        message,
    };
    // Nothing of a run can lie under a folder that does not exist: say so, and create nothing
    // (no lock, no parent folders) for a mistyped path.
    if let Some((parent, _)) = split_output_dir(&output)
        && !parent.is_dir()
    {
        log.log(
            Level::Info,
            &format!("nothing to clean: {} does not exist", parent.display()),
        );
        return Ok(exit::OK);
    }
    // What `--all` would refuse is refused before anything is touched.
    if args.all && output.exists() {
        if !output.is_dir() {
            return Err(err(
                "the output path is not a folder: nothing of a run to remove".into(),
            ));
        }
        super::run::guard_foreign_output(&output)?;
    }
    let _lock = RunLock::acquire(&output).map_err(|e| super::lock_error(e, &output))?;
    let (staging, parked) = crate::write::publish::dead_leftover_counts(&output);
    // Creating a staging dir restores an output parked by a run killed mid-swap and removes
    // dead runs' staging and parked trees; dropping it removes the staging dir itself.
    drop(Staging::create(&output).map_err(|e| err(e.to_string()))?);
    let mut removed = Vec::new();
    if let Some(cache) = cache_dir(&output)
        && cache.exists()
    {
        std::fs::remove_dir_all(&cache).map_err(|e| err(format!("{}: {e}", cache.display())))?;
        removed.push(cache.display().to_string());
    }
    if args.all && output.exists() {
        std::fs::remove_dir_all(&output).map_err(|e| err(e.to_string()))?;
        removed.push(output.display().to_string());
    }
    if staging > 0 {
        removed.push(crate::log::count(staging as u64, "staging folder") + " of killed runs");
    }
    if parked > 0 {
        removed.push(format!(
            "{} of killed runs put back",
            crate::log::count(parked as u64, "parked output")
        ));
    }
    log.log(
        Level::Info,
        &if removed.is_empty() {
            "nothing to clean".to_string()
        } else {
            format!("removed {}", removed.join(", "))
        },
    );
    Ok(exit::OK)
}
