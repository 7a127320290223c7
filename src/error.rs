//! Run errors and the exit codes a scheduler sees.

use std::fmt;
use std::path::PathBuf;

use crate::config::ConfigError;
use crate::metadata::ManifestError;
use crate::read::discover::DiscoverError;
use crate::themes::dictionary::DictionaryError;
use crate::themes::matcher::PatternError;

/// Exit codes (documented in the README; clap's usage errors exit with 2).
pub mod exit {
    pub const OK: i32 = 0;
    /// An unexpected internal failure.
    pub const INTERNAL: i32 = 1;
    pub const USAGE: i32 = 2;
    /// Configuration, theme dictionary or manifest cannot be used.
    pub const BAD_CONFIG: i32 = 3;
    /// Input folder missing, unreadable or without statements.
    pub const NO_INPUT: i32 = 4;
    /// Output cannot be written.
    pub const CANNOT_WRITE: i32 = 5;
    /// Another run holds the lock on the output folder.
    pub const LOCKED: i32 = 6;
    /// The run finished and published, but with warnings, and `--strict` was given.
    pub const WARNINGS_STRICT: i32 = 7;
    /// Stopped by SIGINT or SIGTERM; the previous output is untouched.
    pub const INTERRUPTED: i32 = 130;

    /// Every exit code with its meaning, as the README's table and the man page give them.
    pub const DOCUMENTED: &[(i32, &str)] = &[
        (OK, "success"),
        (INTERNAL, "internal error (a bug; a panic exits with 1 too)"),
        (USAGE, "usage error (unknown flag, bad value)"),
        (
            BAD_CONFIG,
            "bad configuration, theme dictionary or manifest; for `merge`: a config that analyses differently from the shards'; for `kwic`: a pattern the dictionary would refuse (`cy*ber`, or only stopwords)",
        ),
        (
            NO_INPUT,
            "input folder missing, unreadable, not a folder, or without statements, or none of its statements could be read (binary files, scanned or encrypted PDFs: the last output stays; the message lists each file and why); for `merge`: a partial file unreadable, truncated or corrupt, or partials that are not one complete set from the same program, settings and input",
        ),
        (
            CANNOT_WRITE,
            "cannot write the output (unwritable, inside the input folder, a symbolic link to a folder that does not exist, a folder topictrends did not write, or holding something the run reads: the input folder, config file, theme dictionary, manifest or, for `merge`, a partial file); for `run --shard`: a `--partial` path over a file that is not a partial, or inside the input or output folder, or over what the run reads; for `init`: a file it would write exists, or cannot be written; for `kwic`, `extract`, `man`, `completions`: standard output cannot be written (a full disk under `> file`; a reader that stops early, `| head`, is not an error)",
        ),
        (LOCKED, "another run holds the lock on the output folder"),
        (
            WARNINGS_STRICT,
            "finished with warnings, and `--strict` was given",
        ),
        (
            INTERRUPTED,
            "interrupted (SIGINT/SIGTERM); the previous output is untouched",
        ),
    ];
}

/// Why a run could not finish.
#[derive(Debug)]
pub enum RunError {
    Config(ConfigError),
    Dictionary(DictionaryError),
    Pattern {
        path: PathBuf,
        source: PatternError,
    },
    Manifest(ManifestError),
    Input(DiscoverError),
    NoStatements {
        path: PathBuf,
        include: Vec<String>,
        /// Entries that matched but could not be read, as `name (reason)`.
        unreadable: Vec<String>,
    },
    OutputInsideInput {
        output: PathBuf,
        input: PathBuf,
    },
    /// Something the run reads (`what`: input folder, config file...) lies inside the output
    /// folder, which publishing replaces whole.
    ReadsFromOutput {
        path: PathBuf,
        what: &'static str,
        output: PathBuf,
    },
    Output {
        path: PathBuf,
        message: String,
    },
    Locked {
        message: String,
    },
    Interrupted,
    /// `init` found files it would overwrite, so it wrote nothing.
    WouldOverwrite {
        paths: Vec<PathBuf>,
    },
    /// `init` could not write a file; what it had written is removed again.
    Init {
        path: PathBuf,
        message: String,
    },
    /// `merge`: a partial file is unreadable, truncated or corrupt, or the partials are not
    /// one complete set from the same program, settings and input.
    Partials {
        message: String,
    },
    /// A bug or an unexpected failure inside the program.
    Internal(String),
}

impl RunError {
    pub fn exit_code(&self) -> i32 {
        match self {
            RunError::Config(_)
            | RunError::Dictionary(_)
            | RunError::Pattern { .. }
            | RunError::Manifest(_) => exit::BAD_CONFIG,
            RunError::Input(_) | RunError::NoStatements { .. } | RunError::Partials { .. } => {
                exit::NO_INPUT
            }
            RunError::OutputInsideInput { .. }
            | RunError::ReadsFromOutput { .. }
            | RunError::Output { .. }
            | RunError::WouldOverwrite { .. }
            | RunError::Init { .. } => exit::CANNOT_WRITE,
            RunError::Locked { .. } => exit::LOCKED,
            RunError::Interrupted => exit::INTERRUPTED,
            RunError::Internal(_) => exit::INTERNAL,
        }
    }
}

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RunError::Config(e) => write!(f, "{e}"),
            RunError::Dictionary(e) => write!(f, "{e}"),
            // Every bad pattern on a line of its own, each naming the dictionary.
            RunError::Pattern { path, source } => crate::diagnostic::each_at(f, path, source.all()),
            RunError::Manifest(e) => write!(f, "{e}"),
            RunError::Input(e) => write!(f, "{e}"),
            RunError::NoStatements {
                path,
                include,
                unreadable,
            } => {
                write!(
                    f,
                    "{}: no statements found (looked for files ending in {})",
                    path.display(),
                    include
                        .iter()
                        .map(|e| format!(".{e}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )?;
                // What matched but could not be read is why, and where to look.
                const SHOWN: usize = 5;
                if !unreadable.is_empty() {
                    let mut shown: Vec<&str> =
                        unreadable.iter().take(SHOWN).map(String::as_str).collect();
                    let more = format!("and {} more", unreadable.len().saturating_sub(SHOWN));
                    if unreadable.len() > SHOWN {
                        shown.push(&more);
                    }
                    write!(
                        f,
                        "; {} {} but cannot be read: {}",
                        unreadable.len(),
                        if unreadable.len() == 1 {
                            "entry matches"
                        } else {
                            "entries match"
                        },
                        shown.join("; ")
                    )?;
                }
                Ok(())
            }
            RunError::OutputInsideInput { output, input } => write!(
                f,
                "{}: the output folder lies inside the input folder {}; choose another output",
                output.display(),
                input.display()
            ),
            RunError::ReadsFromOutput { path, what, output } => write!(
                f,
                "{}: the {what} lies inside the output folder {}, which a run replaces whole (it would be deleted); move it out or choose another output",
                path.display(),
                output.display()
            ),
            RunError::Output { path, message } => {
                write!(f, "{}: cannot write output: {message}", path.display())
            }
            RunError::Locked { message } => write!(f, "{message}"),
            RunError::Interrupted => write!(f, "interrupted; the previous output is untouched"),
            RunError::WouldOverwrite { paths } => write!(
                f,
                "{}: already exist{}; init never overwrites, so it wrote nothing",
                paths
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                if paths.len() == 1 { "s" } else { "" }
            ),
            RunError::Init { path, message } => write!(
                f,
                "{}: cannot write: {message}; init removed what it had written",
                path.display()
            ),
            RunError::Partials { message } => write!(f, "{message}"),
            RunError::Internal(m) => write!(f, "internal error: {m}"),
        }
    }
}

impl std::error::Error for RunError {}
