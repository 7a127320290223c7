//! What earlier runs left beside the output folder: parked outputs put back, dead staging removed.

use super::*;

/// Where the output dir and its siblings live.
#[derive(Debug, Clone)]
pub(super) struct Target {
    pub(super) parent: PathBuf,
    pub(super) name: OsString,
}

/// The kind of sibling a previous run may have left behind, with that run's pid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Leftover {
    Staging(u32),
    Old(u32),
}

impl Target {
    pub(super) fn new(output_dir: &Path) -> Result<Target, PublishError> {
        let (parent, name) =
            split_output_dir(output_dir).ok_or_else(|| PublishError::InvalidOutputDir {
                path: output_dir.to_path_buf(),
            })?;
        Ok(Target { parent, name })
    }

    pub(super) fn output(&self) -> PathBuf {
        self.parent.join(&self.name)
    }

    pub(super) fn staging(&self, pid: u32) -> PathBuf {
        self.parent
            .join(sibling_name(&self.name, &format!("staging-{pid}")))
    }

    pub(super) fn old(&self, pid: u32) -> PathBuf {
        self.parent
            .join(sibling_name(&self.name, &format!("old-{pid}")))
    }

    /// Recognises `.<name>.staging-<digits>` and `.<name>.old-<digits>` exactly, nothing looser.
    pub(super) fn classify(&self, entry: &OsStr) -> Option<Leftover> {
        let entry = entry.as_encoded_bytes();
        let prefix = sibling_name(&self.name, "");
        let rest = entry.strip_prefix(prefix.as_encoded_bytes())?;
        if let Some(pid) = rest.strip_prefix(b"staging-") {
            parse_pid(pid).map(Leftover::Staging)
        } else if let Some(pid) = rest.strip_prefix(b"old-") {
            parse_pid(pid).map(Leftover::Old)
        } else {
            None
        }
    }

    /// Siblings left by runs that are no longer alive, sorted by name for a deterministic order.
    pub(super) fn dead_leftovers(&self) -> Vec<(PathBuf, Leftover)> {
        // An unreadable parent simply has no leftovers we can act on; creating staging will report it.
        let Ok(entries) = fs::read_dir(&self.parent) else {
            return Vec::new();
        };
        let mut found: Vec<(PathBuf, Leftover)> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let kind = self.classify(&entry.file_name())?;
                let pid = match kind {
                    Leftover::Staging(pid) | Leftover::Old(pid) => pid,
                };
                (!run_is_alive(pid)).then(|| (entry.path(), kind))
            })
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0));
        found
    }
}

pub(super) fn parse_pid(digits: &[u8]) -> Option<u32> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// Whether the run with this pid may still be working on its siblings. Our own pid counts as dead:
/// a sibling carrying it was left by an earlier process that had the same pid (common in containers).
pub(super) fn run_is_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return false;
    }
    process_exists(pid)
}

#[cfg(unix)]
pub(super) fn process_exists(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    if pid <= 0 {
        return false;
    }
    // SAFETY: kill with signal 0 sends nothing; it only checks that the pid exists.
    let status = unsafe { libc::kill(pid, 0) };
    // EPERM: the process exists but belongs to someone else.
    status == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
pub(super) fn process_exists(_pid: u32) -> bool {
    // No cheap liveness probe without extra crates; callers hold the RunLock, so no other run is live.
    false
}

/// Startup recovery: when a previous run died between the two renames of the fallback swap (output
/// missing, `.<name>.old-<pid>` present), moves that parked output back. Returns where it came from.
/// When several are parked (repeated crashes), the most recently modified one wins.
pub fn recover(output_dir: &Path) -> Result<Option<PathBuf>, PublishError> {
    recover_target(&Target::new(output_dir)?)
}

pub(super) fn recover_target(target: &Target) -> Result<Option<PathBuf>, PublishError> {
    let output = target.output();
    if fs::symlink_metadata(&output).is_ok() {
        return Ok(None);
    }
    let parked = target
        .dead_leftovers()
        .into_iter()
        .filter(|(_, kind)| matches!(kind, Leftover::Old(_)))
        .filter_map(|(path, _)| {
            let modified = fs::symlink_metadata(&path).ok()?.modified().ok()?;
            Some((modified, path))
        })
        .max();
    let Some((_, parked)) = parked else {
        return Ok(None);
    };
    fs::rename(&parked, &output).map_err(|source| PublishError::Recover {
        from: parked.clone(),
        to: output.clone(),
        source,
    })?;
    sync_dir(&target.parent)?;
    Ok(Some(parked))
}

/// Removes staging and parked trees of dead runs. Best effort: a tree we cannot remove only costs disk
/// space, and must not stop today's run from publishing.
pub(super) fn remove_dead_leftovers(target: &Target) {
    for (path, _) in target.dead_leftovers() {
        let removed = match fs::symlink_metadata(&path) {
            Ok(meta) if meta.is_dir() => fs::remove_dir_all(&path),
            Ok(_) => fs::remove_file(&path),
            Err(e) => Err(e),
        };
        drop(removed);
    }
}
