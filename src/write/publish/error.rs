//! Why publishing failed: every variant names the path involved.

use super::*;

/// Why publishing failed; each variant names the path involved.
#[derive(Debug)]
pub enum PublishError {
    /// The output dir path has no final name to build siblings from (e.g. `/`).
    InvalidOutputDir { path: PathBuf },
    /// Something other than a directory sits where the output dir should be.
    NotADirectory { path: PathBuf },
    /// A file or keep-list path that is absolute, contains `..`, or otherwise leaves the output dir.
    UnsafePath { path: PathBuf },
    /// Creating the staging dir (or its parent) failed.
    Staging { path: PathBuf, source: io::Error },
    /// Creating or writing one output file in staging failed.
    Write { path: PathBuf, source: io::Error },
    /// Flushing a file or directory to disk failed.
    Sync { path: PathBuf, source: io::Error },
    /// Carrying a keep-list entry of the old output into the new tree failed.
    Keep { path: PathBuf, source: io::Error },
    /// One of the renames that swap staging and output failed; the old output is still in place.
    Swap {
        from: PathBuf,
        to: PathBuf,
        source: io::Error,
    },
    /// Putting back an output parked by an interrupted run failed.
    Recover {
        from: PathBuf,
        to: PathBuf,
        source: io::Error,
    },
}

impl fmt::Display for PublishError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PublishError::InvalidOutputDir { path } => write!(
                f,
                "output directory {} does not resolve to a named directory (it is `/` or a dangling symlink)",
                path.display()
            ),
            PublishError::NotADirectory { path } => {
                write!(
                    f,
                    "output path {} exists but is not a directory",
                    path.display()
                )
            }
            PublishError::UnsafePath { path } => write!(
                f,
                "refusing output path {:?}: it is empty, absolute, contains `..`, or otherwise escapes the output directory",
                path
            ),
            PublishError::Staging { path, source } => {
                write!(
                    f,
                    "cannot create staging directory {}: {source}",
                    path.display()
                )
            }
            PublishError::Write { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
            PublishError::Sync { path, source } => {
                write!(f, "cannot flush {} to disk: {source}", path.display())
            }
            PublishError::Keep { path, source } => write!(
                f,
                "cannot carry {} over into the new output: {source}",
                path.display()
            ),
            PublishError::Swap { from, to, source } => write!(
                f,
                "cannot rename {} to {}: {source}",
                from.display(),
                to.display()
            ),
            PublishError::Recover { from, to, source } => write!(
                f,
                "cannot restore the output parked by an interrupted run from {} to {}: {source}",
                from.display(),
                to.display()
            ),
        }
    }
}

impl std::error::Error for PublishError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            PublishError::InvalidOutputDir { .. }
            | PublishError::NotADirectory { .. }
            | PublishError::UnsafePath { .. } => None,
            PublishError::Staging { source, .. }
            | PublishError::Write { source, .. }
            | PublishError::Sync { source, .. }
            | PublishError::Keep { source, .. }
            | PublishError::Swap { source, .. }
            | PublishError::Recover { source, .. } => Some(source),
        }
    }
}
