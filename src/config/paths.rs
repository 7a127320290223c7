//! Where a run's files live beside the output folder: the hidden siblings that staging, the lock and the cache share.

use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Splits an output dir into (parent, final name), resolving `.`/`..` endings and a symlinked output
/// dir so siblings land beside the real directory (on its filesystem, and the symlink survives the
/// swap). `None` for `/` or a dangling symlink. Shared with the run lock so both agree on where
/// `.<name>.*` files live.
pub fn split_output_dir(output_dir: &Path) -> Option<(PathBuf, OsString)> {
    let resolved;
    let is_symlink = fs::symlink_metadata(output_dir).is_ok_and(|m| m.file_type().is_symlink());
    let dir = match output_dir.components().next_back() {
        Some(Component::Normal(_)) if !is_symlink => output_dir,
        // `.`, `..`, `/`, a symlink: only the real path has a usable name.
        _ => {
            resolved = fs::canonicalize(output_dir).ok()?;
            &resolved
        }
    };
    let name = dir.file_name()?.to_os_string();
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Some((parent, name))
}

/// `.<name>.<tag>`: a hidden sibling of the output dir.
pub fn sibling_name(name: &OsStr, tag: &str) -> OsString {
    let mut sibling = OsString::from(".");
    sibling.push(name);
    sibling.push(".");
    sibling.push(tag);
    sibling
}

/// `path` as a person would write it: `.` components dropped and `name/..` folded
/// (`config/../output` is `output`), without resolving symbolic links, so it names the same
/// file as written: a `..` after a symbolic link (or at the start) is kept.
pub fn tidy(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    // How many components at the end of `out` a `..` may fold.
    let mut foldable = 0;
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let is_link = fs::symlink_metadata(&out).is_ok_and(|m| m.file_type().is_symlink());
                if foldable > 0 && !is_link {
                    out.pop();
                    foldable -= 1;
                } else {
                    out.push("..");
                    foldable = 0;
                }
            }
            Component::Normal(name) => {
                out.push(name);
                foldable += 1;
            }
            other => {
                out.push(other.as_os_str());
                foldable = 0;
            }
        }
    }
    if out.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        out
    }
}

/// True when `inner` is `outer` or lies inside it (both made absolute first).
pub fn is_within(inner: &Path, outer: &Path) -> bool {
    let abs = |p: &Path| -> std::path::PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Canonicalize what exists; the rest of the path is kept as written.
        let mut existing = p.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut out = existing
            .canonicalize()
            .unwrap_or_else(|_| existing.to_path_buf());
        for r in rest.iter().rev() {
            out.push(r);
        }
        out
    };
    abs(inner).starts_with(abs(outer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_folds_dot_and_dot_dot_as_written() {
        for (written, tidy_form) in [
            ("config/../output", "output"),
            ("config/./../output/", "output"),
            ("./input", "input"),
            ("a/b/../../c", "c"),
            ("../shared/x", "../shared/x"),
            ("a/../../x", "../x"),
            ("/srv/jobs/../out", "/srv/out"),
            ("config/..", "."),
            ("", "."),
        ] {
            assert_eq!(
                tidy(Path::new(written)),
                PathBuf::from(tidy_form),
                "{written}"
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn tidy_keeps_dot_dot_after_a_symbolic_link() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real/deep");
        std::fs::create_dir_all(&real).unwrap();
        std::os::unix::fs::symlink(&real, dir.path().join("link")).unwrap();
        // link/.. is real/, not dir: folding it would name another folder.
        let written = dir.path().join("link/../x");
        assert_eq!(tidy(&written), written);
        assert_eq!(
            tidy(&dir.path().join("real/deep/../x")),
            dir.path().join("real/x")
        );
    }
}
