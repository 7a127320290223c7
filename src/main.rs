//! The `topictrends` binary: parse flags, run the subcommand, exit with its code.

use std::panic::{AssertUnwindSafe, catch_unwind};

use clap::Parser;

use topictrends::cli::Cli;
use topictrends::cmd;
use topictrends::error::RunError;
use topictrends::log::{Level, Log, LogFormat};

fn main() {
    return_freed_memory_promptly();
    let cli = Cli::try_parse().unwrap_or_else(|e| {
        // A usage error is logged as every other error is, so that a scheduler reading JSON
        // lines gets one; help and version are output, printed as they are.
        if e.use_stderr() && topictrends::cli::asks_for_json_log(std::env::args_os().skip(1)) {
            let log = Log::new(false, 0, LogFormat::Json);
            let text = e.render().to_string();
            log.log(Level::Error, text.trim_start_matches("error: ").trim_end());
            std::process::exit(e.exit_code());
        }
        e.exit()
    });
    let log = Log::new(cli.quiet, cli.verbose, cli.log_format);
    // RAYON_NUM_THREADS says what -j says (which wins), and is checked as -j is: rayon itself
    // would quietly ignore a bad value, or start thousands of threads.
    let threads = match cli.threads {
        Some(n) => Some(n),
        None => {
            topictrends::cli::threads_from_env(std::env::var_os("RAYON_NUM_THREADS").as_deref())
                .unwrap_or_else(|message| {
                    log.log(Level::Error, &message);
                    std::process::exit(topictrends::error::exit::USAGE)
                })
        }
    };
    if let Some(n) = threads {
        // Before any parallel work, so it is the only pool; it cannot already exist here.
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(usize::from(n))
            .build_global()
        {
            log.log(Level::Warning, &format!("--threads {n}: {e}"));
        }
    }
    // A panic is a bug: it exits 1 like any internal error (not Rust's 101), after its message.
    let result = catch_unwind(AssertUnwindSafe(|| cmd::dispatch(&cli.command, &log)))
        .unwrap_or_else(|_| Err(RunError::Internal("panicked (see above)".into())));
    let code = result.unwrap_or_else(|e| {
        log.log(Level::Error, &e.to_string());
        e.exit_code()
    });
    if code == topictrends::error::exit::WARNINGS_STRICT {
        // An error line, so that even `-q` (which hides the warnings) says why the exit is 7.
        log.log(
            Level::Error,
            "--strict: there were warnings (listed above unless -q), so the exit code is 7",
        );
    }
    std::process::exit(code);
}

/// Makes the C allocator give large freed blocks back to the system at once.
///
/// glibc serves blocks of 128 KiB and more with their own mappings, returned when freed, but
/// raises that threshold (up to 32 MiB) each time such a block is freed. A run frees many
/// (per-session n-gram tables as collocations are resolved, per-worker tables as workers
/// merge), after which blocks of that size come from the heap, where freed space stays in the
/// process: on the 5x benchmark slice the peak grew by a quarter that way. A fixed threshold
/// keeps the peak near what is live. Other platforms' allocators are left as they are.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn return_freed_memory_promptly() {
    // SAFETY: mallopt only sets a tuning parameter; it is called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn return_freed_memory_promptly() {}
