//! One run at a time: an advisory lock on `.<output-name>.lock` beside the output dir, freed by the kernel when its holder dies.

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::config::paths::{sibling_name, split_output_dir};

/// Exclusive right to publish into one output dir; released on drop (or by the kernel if the process dies,
/// so a lock left by a killed run is never stale).
#[derive(Debug)]
pub struct RunLock {
    file: File,
    path: PathBuf,
    /// Held with others of its kind (shard runs sharing the cache), not alone.
    shared: bool,
}

/// Why the run lock could not be taken.
#[derive(Debug)]
pub enum LockError {
    /// Another run (in this or another process) holds the lock. `holder` reads like
    /// `pid 1234 on host, started 2026-12-01T06:30:00Z`, from the lock file's contents.
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
        RunLock::take(output_dir, false)
    }

    /// Takes the lock for `output_dir` together with any other shared holder (shard runs, which
    /// share the output's cache but publish nothing): fails at once while a run, a merge or
    /// `clean` holds it alone, and keeps them out while held. Writes no identity (several hold
    /// it at once), so a run refused by shards is told "shard runs".
    pub fn acquire_shared(output_dir: &Path) -> Result<RunLock, LockError> {
        RunLock::take(output_dir, true)
    }

    fn take(output_dir: &Path, shared: bool) -> Result<RunLock, LockError> {
        check_place(output_dir)?;
        let path = lock_path(output_dir)?;
        let io_error = |source| LockError::Io {
            path: path.clone(),
            source,
        };
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io_error)?;
        }
        // No truncate on open: until we hold the lock, the contents name the current holder.
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        // A symbolic link planted at the lock's path is never followed: the lock file is written
        // and emptied, and through a link that would be done to whatever file it names.
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
        // Checked above, and again here: something may have been put there since.
        let mut file = (options.open(&path)).map_err(|e| {
            not_a_plain_file(&path).map_or_else(|| io_error(e), |what| in_the_way(&path, what))
        })?;
        if let Some(what) = not_a_plain_file(&path) {
            return Err(in_the_way(&path, what));
        }
        let taken = if shared {
            file.try_lock_shared()
        } else {
            file.try_lock()
        };
        match taken {
            Ok(()) if shared => return Ok(RunLock { file, path, shared }),
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
        Ok(RunLock { file, path, shared })
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
        if !self.shared {
            drop(self.file.set_len(0));
        }
        drop(self.file.unlock());
    }
}

/// Checks, creating nothing, that the lock of `output_dir` can be made: the nearest existing
/// folder above the lock is a folder (not a file someone gave as a folder in the path), and
/// nothing but a plain file stands where the lock goes.
pub fn check_place(output_dir: &Path) -> Result<(), LockError> {
    let path = lock_path(output_dir)?;
    let existing = path
        .ancestors()
        .skip(1)
        .find(|a| a.as_os_str().is_empty() || std::fs::symlink_metadata(a).is_ok());
    if let Some(above) = existing.filter(|a| !a.as_os_str().is_empty() && !a.is_dir()) {
        return Err(LockError::Io {
            path: path.clone(),
            source: io::Error::other(format!(
                "{} is a file, not a folder, so the output cannot be made under it",
                above.display()
            )),
        });
    }
    match not_a_plain_file(&path) {
        Some(what) => Err(in_the_way(&path, what)),
        None => Ok(()),
    }
}

/// The error for `what` (a folder, a link) standing where the lock file `path` goes.
fn in_the_way(path: &Path, what: &str) -> LockError {
    LockError::Io {
        path: path.to_path_buf(),
        source: io::Error::other(format!(
            "{what} where the run's lock file goes: remove it (a lock file is a plain file the run makes itself)"
        )),
    }
}

/// What stands at `path` when it is not a plain file (a symbolic link, a folder, a pipe).
fn not_a_plain_file(path: &Path) -> Option<&'static str> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let kind = meta.file_type();
    if kind.is_file() {
        None
    } else if kind.is_symlink() {
        Some("a symbolic link")
    } else if kind.is_dir() {
        Some("a folder")
    } else {
        Some("a special file")
    }
}

/// `pid <pid> on <host>, started <UTC time, RFC 3339>`: read by the person a refused run
/// sends to the lock.
fn holder_identity() -> String {
    let started = crate::clock::rfc3339(SystemTime::now());
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
        Ok(_) => "an unidentified run (a shard run, `run --shard`, using the cache; or a run that has not written its identity yet)".to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufRead;
    use std::process::{Command, Stdio};

    fn held_by(err: &LockError) -> &str {
        match err {
            LockError::Held { holder, .. } => holder,
            LockError::Io { .. } => panic!("expected Held, got {err}"),
        }
    }

    /// Windows locks are mandatory, so there the holder's identity is unreadable by design.
    fn assert_names_pid(holder: &str, pid: u32) {
        if cfg!(unix) {
            assert!(holder.starts_with(&format!("pid {pid} on ")), "{holder}");
            assert!(holder.contains(", started "), "{holder}");
        }
    }

    /// The identity written into a held lock file (unreadable on Windows, where locks are mandatory).
    fn assert_file_names_pid(path: &Path, pid: u32) {
        if cfg!(unix) {
            let written = std::fs::read_to_string(path).unwrap();
            assert_names_pid(written.trim(), pid);
        }
    }

    #[test]
    fn lock_file_sits_beside_the_output_dir() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let lock = RunLock::acquire(&out).unwrap();
        assert_eq!(lock.path(), tmp.path().join(".out.lock"));
        assert!(!out.exists(), "taking the lock does not create the output");
        assert_file_names_pid(lock.path(), std::process::id());
    }

    #[test]
    fn second_acquire_fails_with_held_naming_the_holder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let _first = RunLock::acquire(&out).unwrap();
        let err = RunLock::acquire(&out).unwrap_err();
        assert_names_pid(held_by(&err), std::process::id());
        let message = err.to_string();
        assert!(message.contains(".out.lock"), "{message}");
        // Spelled differently, the same output dir is the same lock.
        let err = RunLock::acquire(&tmp.path().join("out/")).unwrap_err();
        assert!(matches!(err, LockError::Held { .. }), "{err}");
    }

    #[test]
    fn acquire_from_another_thread_fails_while_held() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let first = RunLock::acquire(&out).unwrap();
        let from_thread = {
            let out = out.clone();
            std::thread::spawn(move || RunLock::acquire(&out).map(drop))
        };
        let err = from_thread.join().unwrap().unwrap_err();
        assert_names_pid(held_by(&err), std::process::id());
        drop(first);
        let again = std::thread::spawn(move || RunLock::acquire(&out).map(drop));
        again.join().unwrap().unwrap();
    }

    #[test]
    fn lock_released_on_drop_can_be_reacquired() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let first = RunLock::acquire(&out).unwrap();
        drop(first);
        let second = RunLock::acquire(&out).unwrap();
        assert!(second.path().exists(), "the lock file is never deleted");
        assert_file_names_pid(second.path(), std::process::id());
    }

    #[test]
    fn locks_of_different_outputs_are_independent() {
        let tmp = tempfile::tempdir().unwrap();
        let _a = RunLock::acquire(&tmp.path().join("a")).unwrap();
        let _b = RunLock::acquire(&tmp.path().join("b")).unwrap();
    }

    #[test]
    fn empty_lock_file_of_a_holder_reads_as_unidentified() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let first = RunLock::acquire(&out).unwrap();
        first.file.set_len(0).unwrap();
        let err = RunLock::acquire(&out).unwrap_err();
        assert!(held_by(&err).starts_with("an unidentified run"), "{err}");
    }

    #[cfg(unix)]
    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_at_the_lock_path_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let precious = dir.path().join("notes.txt");
        std::fs::write(&precious, "precious").unwrap();
        std::os::unix::fs::symlink(&precious, lock_path(&out).unwrap()).unwrap();
        let err = RunLock::acquire(&out).unwrap_err();
        assert!(matches!(err, LockError::Io { .. }), "{err:?}");
        assert!(
            err.to_string()
                .contains("a symbolic link where the run's lock file goes"),
            "{err}"
        );
        assert_eq!(std::fs::read_to_string(&precious).unwrap(), "precious");
        // A folder there is refused as well.
        let out2 = dir.path().join("out2");
        std::fs::create_dir(lock_path(&out2).unwrap()).unwrap();
        let err = RunLock::acquire(&out2).unwrap_err();
        assert!(err.to_string().contains("a folder where"), "{err}");
    }

    #[test]
    fn shared_holders_share_and_keep_an_exclusive_holder_out() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let a = RunLock::acquire_shared(&out).unwrap();
        let b = RunLock::acquire_shared(&out).unwrap();
        let err = RunLock::acquire(&out).unwrap_err();
        assert!(held_by(&err).contains("shard run"), "{err}");
        drop(a);
        assert!(
            RunLock::acquire(&out).is_err(),
            "one shared holder is enough"
        );
        drop(b);
        let alone = RunLock::acquire(&out).unwrap();
        assert!(RunLock::acquire_shared(&out).is_err());
        drop(alone);
    }

    #[test]
    fn output_dir_without_a_name_is_an_io_error() {
        let err = RunLock::acquire(Path::new("/")).unwrap_err();
        assert!(
            matches!(&err, LockError::Io { source, .. }
            if source.kind() == io::ErrorKind::InvalidInput),
            "{err}"
        );
    }

    const CHILD_DIR: &str = "TOPICTRENDS_LOCK_TEST_DIR";
    const CHILD_READY: &str = "CHILD-HOLDS-LOCK";

    /// Run in a child process by `lock_is_exclusive_across_processes_and_freed_when_holder_is_killed`.
    #[test]
    #[ignore = "helper: runs only as a child process of another test"]
    fn child_holds_lock_until_killed() {
        let dir = std::env::var_os(CHILD_DIR).expect("parent sets the output dir");
        let _lock = RunLock::acquire(Path::new(&dir)).unwrap();
        println!("{CHILD_READY}");
        io::stdout().flush().unwrap();
        // Bounded, so a parent that died before killing us leaves no process behind for long.
        std::thread::sleep(std::time::Duration::from_secs(60));
    }

    #[test]
    fn lock_is_exclusive_across_processes_and_freed_when_holder_is_killed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "write::lock::tests::child_holds_lock_until_killed",
                "--exact",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_DIR, &out)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let ready = io::BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .any(|line| line.contains(CHILD_READY));
        assert!(ready, "child never took the lock");

        let err = RunLock::acquire(&out).unwrap_err();
        assert_names_pid(held_by(&err), child.id());

        // SIGKILL on Unix: no destructor runs, the kernel alone frees the lock.
        child.kill().unwrap();
        child.wait().unwrap();
        let lock = RunLock::acquire(&out).unwrap();
        assert_file_names_pid(lock.path(), std::process::id());
    }
}
