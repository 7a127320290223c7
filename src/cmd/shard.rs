//! `topictrends run --shard K/N --partial FILE`: one shard's statements counted into a partial file.

use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::config::paths::is_within;
use crate::error::{RunError, exit};
use crate::log::{Level, Log, count};
use crate::pipeline::{self, shard};
use crate::read::cache::Cache;

use super::progress_bar;

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
    guard_partial_path(settings, partial)?;
    // A bad dictionary or a missing input folder fails before the lock beside the output.
    let (dict, mut engine) = pipeline::load_engine(settings)?;
    pipeline::check_input_folder(settings)?;
    // The cache is the output's: shards share it, `clean` and runs must wait.
    let _lock = match cache {
        Some(_) => Some(
            crate::write::lock::RunLock::acquire_shared(&settings.output_dir)
                .map_err(|e| super::lock_error(e, &settings.output_dir))?,
        ),
        None => None,
    };
    if let Err(e) = crate::interrupt::install() {
        log.log(
            Level::Warning,
            &format!("cannot handle SIGINT/SIGTERM ({e}); an interrupted shard writes nothing"),
        );
    }
    let progress = progress_bar(log);
    let options = pipeline::Options {
        cache,
        progress: progress.as_ref(),
        stop: Some(crate::interrupt::flag()),
        // A partial carries its shard's hit records itself, so they stay in memory here.
        spill_dir: None,
        shard: Some(which),
    };
    let collected = pipeline::collect(settings, &mut engine, &options);
    if let Some(p) = &progress {
        p.finish_and_clear();
    }
    let mut collected = collected?;
    // By file and line, as a run lists them (workers finish files in any order).
    (collected.warnings).sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    super::log_cache_warnings(log, &collected.stats.cache_warnings);
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
    let statements = collected.acc.doc_count() as u64;
    let p = shard::Partial {
        version: crate::version::LINE.to_string(),
        analysis: shard::analysis_fingerprint(settings, &engine, &dict),
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

/// The partial file may only be written where it harms nothing: not over a file that is not a
/// partial (a statement, the dictionary, a table: `--partial` names the file to write, and a
/// slip of the keyboard must not destroy one), not inside the input folder (the next run would
/// list it), not over anything the run reads, and not inside the output folder (publishing
/// replaces that folder whole, and `merge` refuses to read from it).
fn guard_partial_path(settings: &Settings, partial: &Path) -> Result<(), RunError> {
    let refuse = |message: String| RunError::Output {
        path: partial.to_path_buf(),
        message,
    };
    for (what, path) in settings.read_paths() {
        if is_within(partial, path) {
            let place = if is_within(path, partial) {
                "over"
            } else {
                "inside"
            };
            return Err(refuse(format!(
                "the partial file would be written {place} the {what} ({}): write it elsewhere",
                path.display()
            )));
        }
    }
    if is_within(partial, &settings.output_dir) {
        return Err(refuse(format!(
            "the partial file would be written inside the output folder {}, which a run replaces whole: write it elsewhere",
            settings.output_dir.display()
        )));
    }
    if partial.is_dir() {
        return Err(refuse(
            "is a folder: --partial names the file to write".into(),
        ));
    }
    if partial.exists() && !shard::is_partial_file(partial) {
        return Err(refuse(
            "exists and is not a partial file: refusing to overwrite it (a partial is only ever written over an earlier partial)".into(),
        ));
    }
    Ok(())
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
