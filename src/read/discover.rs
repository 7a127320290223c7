//! Input discovery: which files under the input folder are statements, and why the others are not.

use std::collections::{HashMap, HashSet};
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

/// Whether `root` is a folder that can be looked at (it, or a link to one): the check a run
/// makes before it creates anything.
pub fn check_root(root: &Path) -> Result<(), DiscoverError> {
    let meta = std::fs::metadata(root).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => DiscoverError::Missing(root.to_path_buf()),
        _ => DiscoverError::Io {
            path: root.to_path_buf(),
            source: e,
        },
    })?;
    if meta.is_dir() {
        Ok(())
    } else {
        Err(DiscoverError::NotADirectory(root.to_path_buf()))
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
    check_root(root)?;
    let reserved: HashSet<PathBuf> = reserved
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let mut out = Discovery::default();
    let mut visited = HashMap::new();
    let root_real = root.canonicalize().ok();
    if let Some(c) = &root_real {
        visited.insert(c.clone(), String::new());
    }
    let walker = Walker {
        include,
        reserved: &reserved,
        root: root_real.as_deref(),
    };
    walker.walk(root, "", &mut visited, &mut out, true)?;
    out.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    out.skipped.sort();
    out.warnings.sort();
    Ok(out)
}

/// What the walk of one input folder checks entries against.
struct Walker<'a> {
    include: &'a [String],
    reserved: &'a HashSet<PathBuf>,
    /// The input folder's real path (links resolved), when it has one.
    root: Option<&'a Path>,
}

impl Walker<'_> {
    /// Where a symbolic link leads, as the path the walk lists it under, when that is inside
    /// the input folder and the walk lists it there (no hidden or backup name on the way): the
    /// link is then another name for something listed anyway. `Some("")` is the input folder.
    fn alias_of(&self, link: &Path) -> Option<String> {
        let target = link.canonicalize().ok()?;
        let inside = target.strip_prefix(self.root?).ok()?;
        let mut parts = Vec::new();
        for part in inside.components() {
            let name = part.as_os_str().to_str()?;
            if name.starts_with('.') || is_backup(name) {
                return None;
            }
            parts.push(name);
        }
        Some(parts.join("/"))
    }

    fn walk(
        &self,
        dir: &Path,
        prefix: &str,
        visited: &mut HashMap<PathBuf, String>,
        out: &mut Discovery,
        top: bool,
    ) -> Result<(), DiscoverError> {
        let (include, reserved) = (self.include, self.reserved);
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
        // In name order, whatever order the file system lists them in: which of two links to
        // one folder outside the input is followed must not depend on it.
        let mut listed = Vec::new();
        for entry in entries {
            match entry {
                Ok(e) => listed.push(e),
                Err(e) => out.skip_with_warning(
                    format!("{prefix}?"),
                    format!("unreadable folder entry: {e}"),
                ),
            }
        }
        listed.sort_by_key(|e| e.file_name());
        for entry in listed {
            let (name, readable_name) = listed_name(&entry.file_name());
            let rel = format!("{prefix}{name}");
            let path = entry.path();
            if !readable_name {
                out.warnings.push(crate::diagnostic::Warning::new(
                    &rel,
                    "the file name is not valid UTF-8: listed with each byte that is not as \\xNN (no manifest row can name it; renaming it in UTF-8 is safer)",
                ));
            }
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
            // A link to a file or folder that the walk lists under its own name is skipped, so
            // that the real name, which the manifest uses, is the one counted.
            if entry.file_type().is_ok_and(|t| t.is_symlink())
                && let Some(real) = self.alias_of(&path)
            {
                let reason = if real.is_empty() {
                    "symbolic link loop (a link to the input folder itself)".to_string()
                } else {
                    format!("symbolic link to {real}, which is read under that name")
                };
                out.skipped.push(Skipped { rel, reason });
                continue;
            }
            // Follows other symbolic links; a dangling link or a loop is reported, not fatal.
            let meta = match std::fs::metadata(&path) {
                Ok(m) => m,
                Err(e) => {
                    out.skip_with_warning(rel, format!("unreadable: {e}"));
                    continue;
                }
            };
            if meta.is_dir() {
                match path.canonicalize() {
                    Ok(real) => match visited.get(&real) {
                        // A folder that holds this link: following it would never end.
                        Some(seen) if seen.is_empty() || rel.starts_with(&format!("{seen}/")) => {
                            out.skipped.push(Skipped {
                                rel,
                                reason: "folder already visited (symbolic link loop)".into(),
                            });
                        }
                        Some(seen) => {
                            let reason = format!("folder already read as {seen}");
                            out.skipped.push(Skipped { rel, reason });
                        }
                        None => {
                            visited.insert(real, rel.clone());
                            self.walk(&path, &format!("{rel}/"), visited, out, false)?;
                        }
                    },
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
                    reason: if ext.is_empty() {
                        "no extension (`[input] include` lists the extensions read)".to_string()
                    } else {
                        format!("extension not included (.{ext})")
                    },
                });
                continue;
            }
            out.files.push(InputFile { path, rel });
        }
        Ok(())
    }
}

/// A file name as the tables list it, and whether it was valid UTF-8. A name that is not (a
/// Latin-1 name copied from an old system) keeps its valid parts and shows each byte of the
/// rest as `\xNN`: two such names never become one, as they would with U+FFFD.
fn listed_name(name: &std::ffi::OsStr) -> (String, bool) {
    if let Some(s) = name.to_str() {
        return (s.to_string(), true);
    }
    let bytes = name.as_encoded_bytes();
    let mut out = String::with_capacity(bytes.len() + 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    (out, false)
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
            "NOTES",
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
                (
                    "NOTES",
                    "no extension (`[input] include` lists the extensions read)"
                ),
                ("metadata.csv", "metadata manifest"),
                ("notes.txt~", "editor backup or temporary file"),
                ("x.pdf", "extension not included (.pdf)"),
                ("~$doc.txt", "editor backup or temporary file"),
            ]
        );
    }

    /// Every skip as (file, reason).
    #[cfg(unix)]
    fn skips(found: &Discovery) -> Vec<(&str, &str)> {
        (found.skipped.iter())
            .map(|s| (s.rel.as_str(), s.reason.as_str()))
            .collect()
    }

    #[cfg(unix)]
    fn rels(found: &Discovery) -> Vec<&str> {
        found.files.iter().map(|f| f.rel.as_str()).collect()
    }

    #[cfg(unix)]
    #[test]
    fn links_to_what_the_walk_lists_anyway_are_skipped_for_the_real_names() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("real/deeper")).unwrap();
        std::fs::write(d.join("real/a.txt"), "x").unwrap();
        std::fs::write(d.join("real/deeper/b.txt"), "y").unwrap();
        // Before and after "real" in name order: the real names win either way.
        symlink(d.join("real"), d.join("alias")).unwrap();
        symlink(d.join("real"), d.join("zlink")).unwrap();
        symlink(d.join("real/deeper/b.txt"), d.join("b-link.txt")).unwrap();
        // A loop back to the input folder.
        symlink(d, d.join("real/deeper/up")).unwrap();
        let found = discover(d, &["txt".into()], &[]).unwrap();
        assert_eq!(rels(&found), ["real/a.txt", "real/deeper/b.txt"]);
        assert_eq!(
            skips(&found),
            [
                (
                    "alias",
                    "symbolic link to real, which is read under that name"
                ),
                (
                    "b-link.txt",
                    "symbolic link to real/deeper/b.txt, which is read under that name"
                ),
                (
                    "real/deeper/up",
                    "symbolic link loop (a link to the input folder itself)"
                ),
                (
                    "zlink",
                    "symbolic link to real, which is read under that name"
                ),
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_input_or_to_hidden_folders_are_followed_once() {
        use std::os::unix::fs::symlink;
        let outside = tempfile::tempdir().unwrap();
        let o = outside.path();
        std::fs::write(o.join("o.txt"), "x").unwrap();
        // A loop inside the folder outside.
        symlink(o, o.join("again")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir(d.join(".hidden")).unwrap();
        std::fs::write(d.join(".hidden/h.txt"), "y").unwrap();
        symlink(d.join(".hidden"), d.join("shown")).unwrap();
        symlink(o, d.join("ext1")).unwrap();
        symlink(o, d.join("ext2")).unwrap();
        let found = discover(d, &["txt".into()], &[]).unwrap();
        assert_eq!(rels(&found), ["ext1/o.txt", "shown/h.txt"]);
        assert_eq!(
            skips(&found),
            [
                (".hidden", "hidden file"),
                ("ext1/again", "folder already visited (symbolic link loop)"),
                ("ext2", "folder already read as ext1"),
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_stay_apart() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        for name in [&b"caf\xe9.txt"[..], b"caf\xe8.txt", b"ok.txt"] {
            let path = d.join(std::ffi::OsStr::from_bytes(name));
            if std::fs::write(&path, "x").is_err() {
                // A file system that takes UTF-8 names only: nothing to list.
                eprintln!("skipped: this file system refuses names that are not UTF-8");
                return;
            }
        }
        let found = discover(d, &["txt".into()], &[]).unwrap();
        assert_eq!(rels(&found), ["caf\\xE8.txt", "caf\\xE9.txt", "ok.txt"]);
        // The file is still read from its real name.
        assert!(found.files[0].path.exists());
        let warned: Vec<&str> = found.warnings.iter().map(|w| w.file.as_str()).collect();
        assert_eq!(warned, ["caf\\xE8.txt", "caf\\xE9.txt"]);
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
