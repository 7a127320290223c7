//! `topictrends run`: analyse the input folder and publish every output atomically.

use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use crate::cli::RunArgs;
use crate::config::paths::is_within;
use crate::error::{RunError, exit};
use crate::log::{Level, Log, count};
use crate::pipeline;
use crate::read::cache::Cache;
use crate::write::lock::RunLock;
use crate::write::publish::{OutputFile, Staging};
use crate::write::run_record::{self, RunRecord};

/// Files in an output folder that a run keeps when it replaces the folder.
const KEEP: &[&str] = &[".gitkeep"];

/// Runs the job; returns the exit code.
pub fn run(args: &RunArgs, log: &Log) -> Result<i32, RunError> {
    let started = SystemTime::now();
    let clock = Instant::now();
    let excel = args.no_excel.then_some(false);
    let settings = super::settings(&args.common, args.output.clone(), excel, args.no_charts)?;
    super::note_defaults(&settings, log);
    let (cache, cache_unusable) = super::usable_cache(&settings, args.no_cache);
    if let (Some(spec), Some(partial)) = (&args.shard, &args.partial) {
        if let Some(w) = &cache_unusable {
            log.warning(w);
        }
        return super::shard::run_shard(
            &settings,
            spec,
            partial,
            cache.as_ref(),
            args.common.strict,
            log,
        );
    }
    // What can fail without touching the output fails first: a bad dictionary or a missing
    // input folder creates no lock, staging or parent folder.
    Target::check(&settings, &[])?;
    let (_, mut engine) = pipeline::load_engine(&settings)?;
    pipeline::check_input_folder(&settings)?;
    let target = Target::open(&settings, log)?;
    let setup = clock.elapsed();
    let progress = super::progress_bar(log);
    let options = pipeline::Options {
        cache: cache.as_ref(),
        progress: progress.as_ref(),
        stop: Some(crate::interrupt::flag()),
        spill_dir: Some(target.staging_path()),
        shard: None,
    };
    let analyzed = pipeline::run_with_engine(&settings, &mut engine, &options);
    if let Some(p) = &progress {
        p.finish_and_clear();
    }
    let (analysis, mut stats) = analyzed?;
    stats.cache_warnings.splice(0..0, cache_unusable);
    let timing = Timing {
        started,
        clock,
        setup,
        partials: 0,
    };
    let code = target.publish(
        &settings,
        analysis,
        &stats,
        timing,
        args.common.strict,
        cache.as_ref().map(Cache::dir),
        log,
    )?;
    if let Some(c) = &cache {
        let mut used = [stats.cache_keys.as_slice(), &stats.record_keys].concat();
        used.sort_unstable();
        c.prune(&used);
    }
    Ok(code)
}

/// When the job started, and how long its setup took (for run.json).
pub(super) struct Timing {
    pub started: SystemTime,
    pub clock: Instant,
    pub setup: std::time::Duration,
    /// The partial files a merge publishes from; 0 for a run.
    pub partials: usize,
}

/// The output folder, locked, with its staging folder: where a run or a merge publishes.
pub(super) struct Target {
    output: PathBuf,
    staging: Staging,
    _lock: RunLock,
}

impl Target {
    /// Checks, creating nothing, that the output folder is one topictrends may replace and
    /// holds nothing the command reads. `also_read` names more files the command reads (a
    /// merge's partials), which must not lie in the output either. Call before [`Target::open`].
    pub(super) fn check(
        settings: &crate::config::Settings,
        also_read: &[(&'static str, &Path)],
    ) -> Result<(), RunError> {
        guard_placement(settings, also_read)?;
        guard_output_link(&settings.output_dir)?;
        guard_not_a_file(&settings.output_dir)?;
        crate::write::lock::check_place(&settings.output_dir)
            .map_err(|e| super::lock_error(e, &settings.output_dir))?;
        guard_foreign_output(&settings.output_dir)
    }

    /// Takes the output folder's lock and creates the staging folder (after [`Target::check`]).
    pub(super) fn open(settings: &crate::config::Settings, log: &Log) -> Result<Target, RunError> {
        let output = settings.output_dir.clone();
        let _lock = RunLock::acquire(&output).map_err(|e| super::lock_error(e, &output))?;
        if let Err(e) = crate::interrupt::install() {
            log.log(
            Level::Warning,
            &format!(
                "cannot handle SIGINT/SIGTERM ({e}); an interrupted run leaves staging for the next run to remove"
            ),
        );
        }
        let write_err = |e: crate::write::publish::PublishError| RunError::Output {
            path: output.clone(),
            message: e.to_string(),
        };
        // Staging exists for the whole run: an interrupted or failed run drops it (removing it),
        // a killed one leaves it for the next run to remove; the output is untouched either way.
        let staging = Staging::create(&output).map_err(write_err)?;
        Ok(Target {
            output,
            staging,
            _lock,
        })
    }

    /// The staging folder (where a run spills its hit records while it counts).
    pub(super) fn staging_path(&self) -> &std::path::Path {
        self.staging.path()
    }

    /// Renders every output of `analysis` and publishes them with run.json; returns the exit code.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn publish(
        self,
        settings: &crate::config::Settings,
        mut analysis: crate::count::analysis::Analysis,
        stats: &crate::count::analysis::RunStats,
        timing: Timing,
        strict: bool,
        cache_dir: Option<&std::path::Path>,
        log: &Log,
    ) -> Result<i32, RunError> {
        // Bindings drop in reverse order: an unpublished staging is removed before the lock
        // is released.
        let Target {
            _lock,
            staging,
            output,
        } = self;
        let Timing {
            started,
            clock,
            setup,
            partials,
        } = timing;
        let write_err = |e: crate::write::publish::PublishError| RunError::Output {
            path: output.clone(),
            message: e.to_string(),
        };
        let analyzed_at = clock.elapsed();
        let rendered = crate::write::outputs::render_into(&analysis, settings, &staging).map_err(
            |e| match e {
                crate::write::outputs::RenderError::Workbook(e) => RunError::Output {
                    path: output.clone(),
                    message: e.to_string(),
                },
                crate::write::outputs::RenderError::Table(e) => RunError::Output {
                    path: output.clone(),
                    message: e.to_string(),
                },
                e @ crate::write::outputs::RenderError::Chart(_) => {
                    RunError::Internal(e.to_string())
                }
            },
        )?;
        let (mut files, chart_warnings) = (rendered.files, rendered.warnings);
        analysis.warnings.extend(chart_warnings);
        let render = clock.elapsed() - analyzed_at;
        if crate::interrupt::requested() {
            return Err(RunError::Interrupted);
        }
        super::log_cache_warnings(log, &stats.cache_warnings);
        for w in &analysis.warnings {
            log.warning(w);
        }
        let publish_start = clock.elapsed();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        for f in &files {
            staging.write(f).map_err(write_err)?;
        }
        // Written: their bytes (the workbook's among them) need not stay while run.json is made.
        let files_written = files.len();
        drop(files);
        let publish = clock.elapsed() - publish_start;
        let code = if strict && !analysis.warnings.is_empty() {
            exit::WARNINGS_STRICT
        } else {
            exit::OK
        };
        let r = &analysis.results;
        if log.enabled(Level::Debug) {
            let ms = |d: std::time::Duration| format!("{:.0} ms", d.as_secs_f64() * 1000.0);
            log.log(
                Level::Debug,
                &format!(
                    "stages: setup {}, discover {}, read and analyse {}, finish {}, render {}, publish {} ({})",
                    ms(setup),
                    ms(stats.discover),
                    ms(stats.read_analyze),
                    ms(stats.finish),
                    ms(render),
                    ms(publish),
                    count(rayon::current_num_threads() as u64, "thread")
                ),
            );
            log.log(
                Level::Debug,
                &format!(
                    "cache: {} readings reused, {} files read, {} streamed, {} statements counted from records, {} stems known, {} new",
                    stats.reused,
                    stats.read,
                    stats.streamed,
                    stats.records_reused,
                    stats.stems_known,
                    stats.stems_new
                ),
            );
        }
        let record = RunRecord {
            settings,
            started,
            finished: SystemTime::now(),
            stages: vec![
                ("setup", setup),
                ("discover", stats.discover),
                ("read_analyze", stats.read_analyze),
                ("finish", stats.finish),
                ("render", render),
                ("publish", publish),
            ],
            stats,
            statements: r.docs.len(),
            skipped: &analysis.skipped,
            warnings: &analysis.warnings,
            cache_dir,
            // A merge read no folder: its shards did, wherever they ran.
            input_dir: (partials == 0).then_some(settings.input_dir.as_path()),
            exit_code: code,
        };
        staging
            .write(&OutputFile {
                path: PathBuf::from(run_record::FILE),
                bytes: record.to_json(),
            })
            .map_err(write_err)?;
        // Last chance to stop without publishing; after the swap the new output is complete.
        if crate::interrupt::requested() {
            return Err(RunError::Interrupted);
        }
        staging.commit(KEEP).map_err(write_err)?;
        // Counted = read now + reused; the files that were read but failed are among the skipped.
        let counted = r.docs.len() as u64;
        let from_cache = stats.counted_from_cache.min(counted);
        let by = if partials > 0 {
            format!(
                "by the shards of {}: ",
                count(partials as u64, "partial file")
            )
        } else {
            String::new()
        };
        log.log(
        Level::Info,
        &format!(
            "{} counted ({by}{} read, {} reused from cache), {} skipped, {}, {}, {}; wrote {} to {}",
            count(counted, "statement"),
            counted - from_cache,
            from_cache,
            count(analysis.skipped.len() as u64, "file"),
            count(r.sessions.len() as u64, "session"),
            count(r.themes.len() as u64, "theme"),
            count(analysis.warnings.len() as u64, "warning"),
            count((files_written + rendered.written.len()) as u64 + 1, "file"),
            output.display()
        ),
    );
        Ok(code)
    }
}

/// The output folder must not lie in the input folder (the run would read its own output),
/// and nothing the run reads may lie in the output folder (publishing replaces the folder
/// whole: it would be deleted).
pub(super) fn guard_placement(
    settings: &crate::config::Settings,
    also_read: &[(&'static str, &Path)],
) -> Result<(), RunError> {
    let output = &settings.output_dir;
    if is_within(output, &settings.input_dir) {
        return Err(RunError::OutputInsideInput {
            output: output.clone(),
            input: settings.input_dir.clone(),
        });
    }
    let reads = settings
        .read_paths()
        .into_iter()
        .chain(also_read.iter().copied());
    for (what, path) in reads {
        if is_within(path, output) {
            return Err(RunError::ReadsFromOutput {
                path: path.to_path_buf(),
                what,
                output: output.clone(),
            });
        }
    }
    Ok(())
}

/// Whether `output/run.json` is a run record topictrends wrote (`"program": {"name":
/// "topictrends"}`). A record larger than any run writes is not read.
fn has_our_run_record(output: &std::path::Path) -> bool {
    let path = output.join(crate::write::run_record::FILE);
    let small = std::fs::metadata(&path).is_ok_and(|m| m.is_file() && m.len() < 256 << 20);
    small
        && std::fs::read(&path)
            .ok()
            .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
            .is_some_and(|v| v["program"]["name"] == "topictrends")
}

/// Whether `output/documents.csv` begins with the header topictrends writes (columns are only
/// ever added at the end, so every version's header starts so; with or without the BOM).
fn has_our_documents_table(output: &std::path::Path) -> bool {
    use std::io::Read;
    const HEADER: &[u8] = b"doc_id,file,session,date,speaker,forum,tokens,kept_tokens";
    let mut start = Vec::with_capacity(3 + HEADER.len());
    let read = std::fs::File::open(output.join("documents.csv"))
        .and_then(|f| f.take(3 + HEADER.len() as u64).read_to_end(&mut start));
    if read.is_err() {
        return false;
    }
    let start = start
        .strip_prefix(b"\xef\xbb\xbf".as_slice())
        .unwrap_or(&start);
    start.starts_with(HEADER)
}

/// The output path, if it exists, must be a folder (a file there is never replaced).
fn guard_not_a_file(output: &std::path::Path) -> Result<(), RunError> {
    if std::fs::metadata(output).is_ok_and(|m| !m.is_dir()) {
        return Err(RunError::Output {
            path: output.to_path_buf(),
            message: format!(
                "output path {} exists but is not a directory",
                output.display()
            ),
        });
    }
    Ok(())
}

/// What `check` can tell of the output without taking the lock or writing it: that the output
/// path, if it exists, is a folder, and that a file can be made where the run makes its lock
/// and staging (the output's parent, or the nearest existing folder above it: a run creates
/// the rest). A read-only file system fails here as it would fail the run.
pub(super) fn guard_writable(output: &std::path::Path) -> Result<(), RunError> {
    let refuse = |message: String| RunError::Output {
        path: output.to_path_buf(),
        message,
    };
    guard_not_a_file(output)?;
    let parent = match output.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let Some(existing) = parent
        .ancestors()
        .find(|a| a.as_os_str().is_empty() || a.is_dir())
    else {
        return Ok(());
    };
    let existing = if existing.as_os_str().is_empty() {
        std::path::Path::new(".")
    } else {
        existing
    };
    tempfile::Builder::new()
        .prefix(".topictrends-check")
        .tempfile_in(existing)
        .map(drop)
        .map_err(|e| {
            refuse(format!(
                "cannot create a file in {}, where the run makes its lock and staging: {e}",
                existing.display()
            ))
        })
}

/// Refuses an output path that is a symbolic link to nothing: a run publishes at the link's
/// target, which is not there (and guessing which folder to create would be a guess).
pub(super) fn guard_output_link(output: &std::path::Path) -> Result<(), RunError> {
    let is_link = std::fs::symlink_metadata(output).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link || std::fs::metadata(output).is_ok() {
        return Ok(());
    }
    let target = std::fs::read_link(output)
        .map(|t| format!(" to {}", t.display()))
        .unwrap_or_default();
    Err(RunError::Output {
        path: output.to_path_buf(),
        message: format!(
            "the output path is a symbolic link{target}, which does not exist: create the folder it points to, or give --output a folder"
        ),
    })
}

/// Refuses to replace a folder that does not look like a topictrends output:
/// a mistyped `--output ~` must never wipe a home directory.
pub(super) fn guard_foreign_output(output: &std::path::Path) -> Result<(), RunError> {
    let Ok(entries) = std::fs::read_dir(output) else {
        return Ok(());
    };
    let names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    // A documents.csv of ours (by its header: a file of that name from another tool is not
    // enough), or the run record naming us (`[output] tables` may leave documents.csv out).
    let ours = has_our_documents_table(output) || has_our_run_record(output);
    let empty = names.iter().all(|n| KEEP.contains(&n.as_str()));
    if ours || empty {
        Ok(())
    } else {
        Err(RunError::Output {
            path: output.to_path_buf(),
            message: "the folder holds files that topictrends did not write (no documents.csv, \
                      no run.json of topictrends); refusing to replace it. Point --output at an \
                      empty or earlier output folder"
                .into(),
        })
    }
}
