//! One run at a time: an advisory lock on `.<output-name>.lock` beside the output dir, freed by the kernel when its holder dies.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::publish::{sibling_name, split_output_dir};

/// Exclusive right to publish into one output dir; released on drop (or by the kernel if the process dies,
/// so a lock left by a killed run is never stale).
#[derive(Debug)]
pub struct RunLock {
    file: File,
    path: PathBuf,
}

/// Why the run lock could not be taken.
#[derive(Debug)]
pub enum LockError {
    /// Another run (in this or another process) holds the lock. `holder` reads like
    /// `pid 1234 on host, started 1700000000` (unix seconds), from the lock file's contents.
    Held { path: PathBuf, holder: String },
    /// The lock file could not be created, opened or locked.
    Io { path: PathBuf, source: io::Error },
}

impl fmt::Display for LockError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LockError::Held { path, holder } => write!(
                f,
                "another run is already publishing this output: {holder} holds the lock {}",
                path.display()
            ),
            LockError::Io { path, source } => {
                write!(f, "cannot take the run lock {}: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for LockError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LockError::Held { .. } => None,
            LockError::Io { source, .. } => Some(source),
        }
    }
}

/// `<parent>/.<output-name>.lock`: beside the output dir, so swapping the output never removes it.
pub fn lock_path(output_dir: &Path) -> Result<PathBuf, LockError> {
    let (parent, name) = split_output_dir(output_dir).ok_or_else(|| LockError::Io {
        path: output_dir.to_path_buf(),
        source: io::Error::new(
            io::ErrorKind::InvalidInput,
            "the output directory has no name to put a lock file beside",
        ),
    })?;
    Ok(parent.join(sibling_name(&name, "lock")))
}

impl RunLock {
    /// Takes the lock for `output_dir` without waiting: fails at once with [`LockError::Held`] when any
    /// other open of the lock file (this process included) holds it. Creates the parent dir if needed.
    pub fn acquire(output_dir: &Path) -> Result<RunLock, LockError> {
        let path = lock_path(output_dir)?;
        let io_error = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io_error)?;
        }
        // No truncate on open: until we hold the lock, the contents name the current holder.
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_error)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let holder = read_holder(&mut file);
                return Err(LockError::Held { path, holder });
            }
            Err(std::fs::TryLockError::Error(source)) => return Err(io_error(source)),
        }
        let identity = holder_identity();
        file.set_len(0)
            .and_then(|()| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(identity.as_bytes()))
            .map_err(io_error)?;
        Ok(RunLock { file, path })
    }

    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for RunLock {
    fn drop(&mut self) {
        // Clear our identity so nobody mistakes it for a live holder, then unlock explicitly: closing
        // alone would keep the lock while any duplicate of the descriptor lives on. The file itself
        // stays: deleting it would let two runs lock two different files of the same name.
        drop(self.file.set_len(0));
        drop(self.file.unlock());
    }
}

/// `pid <pid> on <host>, started <unix seconds>`.
fn holder_identity() -> String {
    let started = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    format!(
        "pid {} on {}, started {started}\n",
        std::process::id(),
        host_name()
    )
}

/// The holder's identity as written in the lock file, or why it cannot be told.
fn read_holder(file: &mut File) -> String {
    let mut contents = String::new();
    match file
        .seek(SeekFrom::Start(0))
        .and_then(|_| Read::take(&*file, 4096).read_to_string(&mut contents))
    {
        Ok(_) if !contents.trim().is_empty() => contents.trim().to_string(),
        Ok(_) => "an unidentified run (it has not written its identity yet)".to_string(),
        // Windows locks are mandatory, so the holder's file cannot be read there.
        Err(e) => format!("an unidentified run (lock file unreadable: {e})"),
    }
}

#[cfg(unix)]
fn host_name() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its full length; gethostname writes at most that many bytes.
    let status = unsafe { libc::gethostname(buf.as_mut_ptr().cast::<libc::c_char>(), buf.len()) };
    if status != 0 {
        return "unknown host".to_string();
    }
    // POSIX does not promise a NUL when the name is truncated, so stop at the buffer's end too.
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

#[cfg(not(unix))]
fn host_name() -> String {
    std::env::var("COMPUTERNAME").unwrap_or_else(|_| "unknown host".to_string())
}
