//! Input discovery: which files under the input folder are statements, and why the others are not.

use std::collections::HashSet;
use std::fmt;
use std::path::{Path, PathBuf};

/// A statement file to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub path: PathBuf,
    /// Path relative to the input folder, `/`-separated: the `file` column.
    pub rel: String,
}

/// A file that is not read, and why: one line of skipped.csv.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    pub rel: String,
    pub reason: String,
}

/// The input folder cannot be listed at all.
#[derive(Debug)]
pub enum DiscoverError {
    Missing(PathBuf),
    NotADirectory(PathBuf),
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl fmt::Display for DiscoverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiscoverError::Missing(p) => write!(f, "{}: input folder does not exist", p.display()),
            DiscoverError::NotADirectory(p) => write!(f, "{}: input is not a folder", p.display()),
            DiscoverError::Io { path, source } => {
                write!(f, "{}: cannot list input: {source}", path.display())
            }
        }
    }
}

impl std::error::Error for DiscoverError {}

/// What discovery found, sorted by relative path.
#[derive(Debug, Default)]
pub struct Discovery {
    pub files: Vec<InputFile>,
    pub skipped: Vec<Skipped>,
    /// The skips that are problems (a file or folder that cannot be read, a pipe or device),
    /// as warnings; a hidden file or another extension is a choice, not a problem.
    pub warnings: Vec<crate::diagnostic::Warning>,
}

impl Discovery {
    /// Skips `rel` for `reason`, a problem the run warns about.
    fn skip_with_warning(&mut self, rel: String, reason: String) {
        self.warnings.push(crate::diagnostic::Warning::new(
            &rel,
            format!("skipped: {reason}"),
        ));
        self.skipped.push(Skipped { rel, reason });
    }
}

/// Lists statements under `root` (recursively, links followed once). Hidden
/// files, editor backups and extensions not in `include` are skipped with a
/// reason; `reserved` names (the manifest) are skipped as such.
pub fn discover(
    root: &Path,
    include: &[String],
    reserved: &[PathBuf],
) -> Result<Discovery, DiscoverError> {
    let meta = std::fs::metadata(root).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => DiscoverError::Missing(root.to_path_buf()),
        _ => DiscoverError::Io {
            path: root.to_path_buf(),
            source: e,
        },
    })?;
    if !meta.is_dir() {
        return Err(DiscoverError::NotADirectory(root.to_path_buf()));
    }
    let reserved: HashSet<PathBuf> = reserved
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut out = Discovery::default();
    let mut visited = HashSet::new();
    if let Ok(c) = root.canonicalize() {
        visited.insert(c);
    }
    walk(root, "", include, &reserved, &mut visited, &mut out, true)?;
    out.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    out.skipped.sort();
    out.warnings.sort();
    Ok(out)
}

fn walk(
    dir: &Path,
    prefix: &str,
    include: &[String],
    reserved: &HashSet<PathBuf>,
    visited: &mut HashSet<PathBuf>,
    out: &mut Discovery,
    top: bool,
) -> Result<(), DiscoverError> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(source) if top => {
            return Err(DiscoverError::Io {
                path: dir.to_path_buf(),
                source,
            });
        }
        Err(e) => {
            out.skip_with_warning(
                prefix.trim_end_matches('/').to_string(),
                format!("unreadable folder: {e}"),
            );
            return Ok(());
        }
    };
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.skip_with_warning(
                    format!("{prefix}?"),
                    format!("unreadable folder entry: {e}"),
                );
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = format!("{prefix}{name}");
        let path = entry.path();
        if name.starts_with('.') {
            out.skipped.push(Skipped {
                rel,
                reason: "hidden file".into(),
            });
            continue;
        }
        if is_backup(&name) {
            out.skipped.push(Skipped {
                rel,
                reason: "editor backup or temporary file".into(),
            });
            continue;
        }
        // Follows symbolic links; a dangling link or a loop is reported, not fatal.
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                out.skip_with_warning(rel, format!("unreadable: {e}"));
                continue;
            }
        };
        if meta.is_dir() {
            match path.canonicalize().map(|c| visited.insert(c)) {
                Ok(false) => {
                    out.skipped.push(Skipped {
                        rel,
                        reason: "folder already visited (symbolic link loop)".into(),
                    });
                }
                Ok(true) => walk(
                    &path,
                    &format!("{rel}/"),
                    include,
                    reserved,
                    visited,
                    out,
                    false,
                )?,
                Err(e) => out.skip_with_warning(rel, format!("unreadable: {e}")),
            }
            continue;
        }
        // A pipe, socket or device (directly or through a link) is no statement: reading one
        // could block forever (a FIFO with no writer) or never end (/dev/zero).
        if !meta.is_file() {
            out.skip_with_warning(rel, NOT_A_FILE.into());
            continue;
        }
        if path.canonicalize().is_ok_and(|c| reserved.contains(&c)) {
            out.skipped.push(Skipped {
                rel,
                reason: "metadata manifest".into(),
            });
            continue;
        }
        let ext = name
            .rsplit_once('.')
            .map(|(_, e)| e.to_lowercase())
            .unwrap_or_default();
        if !include.contains(&ext) {
            out.skipped.push(Skipped {
                rel,
                reason: format!("extension not included (.{ext})"),
            });
            continue;
        }
        out.files.push(InputFile { path, rel });
    }
    Ok(())
}

/// The skip reason of an entry that is neither a folder nor a regular file.
pub const NOT_A_FILE: &str = "not a regular file (a pipe, socket or device)";

fn is_backup(name: &str) -> bool {
    name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swo", ".bak", ".tmp", ".orig"]
            .iter()
            .any(|e| name.to_lowercase().ends_with(e))
        || name.starts_with("~$")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_statements_and_accounts_for_everything_else() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("sub")).unwrap();
        for f in [
            "b.txt",
            "a.TXT",
            "sub/c.txt",
            ".hidden.txt",
            "notes.txt~",
            "x.pdf",
            "metadata.csv",
            "~$doc.txt",
        ] {
            std::fs::write(d.join(f), "x").unwrap();
        }
        let found = discover(d, &["txt".into()], &[d.join("metadata.csv")]).unwrap();
        let files: Vec<&str> = found.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(files, ["a.TXT", "b.txt", "sub/c.txt"]);
        let skipped: Vec<(&str, &str)> = found
            .skipped
            .iter()
            .map(|s| (s.rel.as_str(), s.reason.as_str()))
            .collect();
        assert_eq!(
            skipped,
            [
                (".hidden.txt", "hidden file"),
                ("metadata.csv", "metadata manifest"),
                ("notes.txt~", "editor backup or temporary file"),
                ("x.pdf", "extension not included (.pdf)"),
                ("~$doc.txt", "editor backup or temporary file"),
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_reported_once() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join("sub")).unwrap();
        std::fs::write(d.join("sub/a.txt"), "x").unwrap();
        std::os::unix::fs::symlink(d, d.join("sub/loop")).unwrap();
        let found = discover(d, &["txt".into()], &[]).unwrap();
        assert_eq!(found.files.len(), 1);
        assert!(
            found
                .skipped
                .iter()
                .any(|s| s.rel == "sub/loop" && s.reason.contains("loop"))
        );
    }

    #[test]
    fn missing_input_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            discover(&dir.path().join("nope"), &[], &[]),
            Err(DiscoverError::Missing(_))
        ));
    }
}
