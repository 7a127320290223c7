//! File-system steps of publishing: safe names, hard-linked copies, fsyncs and the atomic exchange.

use super::*;

/// The path's normal components, or `None` when it is empty, absolute, or contains `..` (or a prefix
/// such as `C:`): anything that could name a file outside the directory it is joined to.
pub(super) fn safe_relative(path: &Path) -> Option<PathBuf> {
    let mut relative = PathBuf::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => relative.push(part),
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    (!relative.as_os_str().is_empty()).then_some(relative)
}

/// A keep-list entry must be one plain name directly inside the output dir.
pub(super) fn safe_keep_name(name: &str) -> Result<&OsStr, PublishError> {
    let mut components = Path::new(name).components();
    match (components.next(), components.next()) {
        (Some(Component::Normal(part)), None) => Ok(part),
        _ => Err(PublishError::UnsafePath {
            path: PathBuf::from(name),
        }),
    }
}

/// Recreates `from` at `to` with hard links for files (same filesystem, so no bytes are copied and the
/// original stays untouched), fresh dirs, and re-created symlinks (never followed).
pub(super) fn link_tree(from: &Path, to: &Path) -> io::Result<()> {
    let meta = fs::symlink_metadata(from)?;
    let kind = meta.file_type();
    if kind.is_symlink() {
        copy_symlink(from, to)
    } else if kind.is_dir() {
        fs::create_dir(to)?;
        for entry in fs::read_dir(from)? {
            let entry = entry?;
            link_tree(&entry.path(), &to.join(entry.file_name()))?;
        }
        // Set last, so a read-only source dir does not stop us filling its copy.
        fs::set_permissions(to, meta.permissions())
    } else {
        fs::hard_link(from, to).or_else(|_| fs::copy(from, to).map(drop))
    }
}

#[cfg(unix)]
pub(super) fn copy_symlink(from: &Path, to: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(fs::read_link(from)?, to)
}

#[cfg(windows)]
pub(super) fn copy_symlink(from: &Path, to: &Path) -> io::Result<()> {
    let target = fs::read_link(from)?;
    if fs::metadata(from).map(|m| m.is_dir()).unwrap_or(false) {
        std::os::windows::fs::symlink_dir(target, to)
    } else {
        std::os::windows::fs::symlink_file(target, to)
    }
}

#[cfg(not(any(unix, windows)))]
pub(super) fn copy_symlink(from: &Path, _to: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        format!(
            "cannot re-create symlink {} on this platform",
            from.display()
        ),
    ))
}

/// Fsyncs every directory of the tree, deepest first, so all entries are durable before the swap.
/// Files were already synced as they were written.
pub(super) fn sync_tree(root: &Path) -> Result<(), PublishError> {
    let entries = fs::read_dir(root).map_err(|source| PublishError::Sync {
        path: root.to_path_buf(),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| PublishError::Sync {
            path: root.to_path_buf(),
            source,
        })?;
        if entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            sync_tree(&entry.path())?;
        }
    }
    sync_dir(root)
}

/// Fsyncs a directory so renames and new entries in it survive a crash.
#[cfg(unix)]
pub(super) fn sync_dir(dir: &Path) -> Result<(), PublishError> {
    let sync_error = |source| PublishError::Sync {
        path: dir.to_path_buf(),
        source,
    };
    match File::open(dir).and_then(|d| d.sync_all()) {
        Ok(()) => Ok(()),
        // Some filesystems (certain FUSE and network mounts) cannot fsync a directory; nothing more to do.
        Err(e) if matches!(e.raw_os_error(), Some(libc::EINVAL) | Some(libc::ENOTSUP)) => Ok(()),
        Err(e) => Err(sync_error(e)),
    }
}

/// Windows cannot open a directory as a `File` through std; NTFS journals renames itself.
#[cfg(not(unix))]
pub(super) fn sync_dir(_dir: &Path) -> Result<(), PublishError> {
    Ok(())
}

/// Atomically exchanges two existing paths: at no instant is either name missing.
#[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
pub(super) fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;

    let a = CString::new(a.as_os_str().as_bytes())?;
    let b = CString::new(b.as_os_str().as_bytes())?;
    // The raw syscall, not glibc's wrapper: the wrapper only exists from glibc 2.28.
    // SAFETY: both pointers are valid NUL-terminated strings that outlive the call.
    let status = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::c_long::from(libc::AT_FDCWD),
            a.as_ptr(),
            libc::c_long::from(libc::AT_FDCWD),
            b.as_ptr(),
            // A small flag constant (2): the cast cannot truncate.
            libc::RENAME_EXCHANGE as libc::c_long,
        )
    };
    if status == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

#[cfg(not(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))]
pub(super) fn exchange(_a: &Path, _b: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "atomic exchange is not available on this platform",
    ))
}

/// Errors meaning "this kernel or filesystem cannot exchange", as opposed to a real failure.
pub(super) fn exchange_unsupported(error: &io::Error) -> bool {
    #[cfg(unix)]
    if matches!(
        error.raw_os_error(),
        Some(libc::EINVAL) | Some(libc::ENOSYS)
    ) {
        return true;
    }
    error.kind() == io::ErrorKind::Unsupported
}
