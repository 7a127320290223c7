//! `topictrends run`: analyse the input folder and publish every output atomically.

use crate::cli::RunArgs;
use crate::error::{RunError, exit};
use crate::lock::RunLock;
use crate::log::{Level, Log};
use crate::pipeline::{self, is_within};
use crate::publish::Staging;

/// Files in an output folder that a run keeps when it replaces the folder.
const KEEP: &[&str] = &[".gitkeep"];

/// Runs the job; returns the exit code.
pub fn run(args: &RunArgs, log: &Log) -> Result<i32, RunError> {
    let excel = args.no_excel.then_some(false);
    let mut settings = super::settings(&args.common, args.output.clone(), excel)?;
    settings.charts = !args.no_charts;
    let output = settings.output_dir.clone();
    if is_within(&output, &settings.input_dir) {
        return Err(RunError::OutputInsideInput {
            output,
            input: settings.input_dir.clone(),
        });
    }
    guard_foreign_output(&output)?;
    let _lock = RunLock::acquire(&output).map_err(|e| match e {
        crate::lock::LockError::Held { .. } => RunError::Locked {
            message: e.to_string(),
        },
        other => RunError::Output {
            path: output.clone(),
            message: other.to_string(),
        },
    })?;
    let analysis = pipeline::analyze(&settings)?;
    for w in &analysis.warnings {
        log.warning(w);
    }
    let files = crate::outputs::render(&analysis, &settings);
    let write_err = |e: crate::publish::PublishError| RunError::Output {
        path: output.clone(),
        message: e.to_string(),
    };
    let staging = Staging::create(&output).map_err(write_err)?;
    for f in &files {
        staging.write(f).map_err(write_err)?;
    }
    staging.commit(KEEP).map_err(write_err)?;
    let r = &analysis.results;
    log.log(
        Level::Info,
        &format!(
            "{} statements read, {} files skipped, {} sessions, {} themes, {} warnings; wrote {} files to {}",
            r.docs.len(),
            analysis.skipped.len(),
            r.sessions.len(),
            r.themes.len(),
            analysis.warnings.len(),
            files.len(),
            output.display()
        ),
    );
    Ok(if args.common.strict && !analysis.warnings.is_empty() {
        exit::WARNINGS_STRICT
    } else {
        exit::OK
    })
}

/// Refuses to replace a folder that does not look like a topictrends output:
/// a mistyped `--output ~` must never wipe a home directory.
fn guard_foreign_output(output: &std::path::Path) -> Result<(), RunError> {
    let Ok(entries) = std::fs::read_dir(output) else {
        return Ok(());
    };
    let names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    let ours = names.iter().any(|n| n == "documents.csv");
    let empty = names.iter().all(|n| KEEP.contains(&n.as_str()));
    if ours || empty {
        Ok(())
    } else {
        Err(RunError::Output {
            path: output.to_path_buf(),
            message: "the folder holds files that topictrends did not write (no documents.csv); \
                      refusing to replace it. Point --output at an empty or earlier output folder"
                .into(),
        })
    }
}
