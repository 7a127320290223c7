//! `topictrends init [DIR]`: write a starter project (config, theme dictionary, an input folder
//! with a manifest header), never overwriting anything.
//!
//! Every file is checked before any is written; a write that fails removes what this run had
//! created, so the folder is left as it was found.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cli::InitArgs;
use crate::config::starter;
use crate::error::{RunError, exit};
use crate::log::{Level, Log};

/// Writes the starter files into `args.dir`; returns 0, or an error naming every file that
/// already exists (exit 5) before writing any.
pub fn run(args: &InitArgs, log: &Log) -> Result<i32, RunError> {
    let files = starter::files(args.example);
    let targets: Vec<(PathBuf, &str)> = files
        .iter()
        .map(|f| (args.dir.join(&f.path), f.contents.as_str()))
        .collect();
    // symlink_metadata: a dangling link counts as existing, since writing through it would
    // create a file somewhere else.
    let existing: Vec<PathBuf> = targets
        .iter()
        .filter(|(p, _)| p.symlink_metadata().is_ok())
        .map(|(p, _)| p.clone())
        .collect();
    if !existing.is_empty() {
        return Err(RunError::WouldOverwrite { paths: existing });
    }
    let mut created = Created::default();
    for (path, contents) in &targets {
        if let Err(e) = created.write(path, contents.as_bytes()) {
            created.undo();
            return Err(RunError::Init {
                path: path.clone(),
                message: e.to_string(),
            });
        }
    }
    let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let dir = args.dir.display();
    // In the working directory already: no `cd` to suggest, nor a `./` before the folders.
    let here = args.dir.as_os_str().is_empty() || args.dir == std::path::Path::new(".");
    let (cd, at) = if here {
        (String::new(), String::new())
    } else {
        (format!("cd {dir} && "), format!("{dir}/"))
    };
    let next = if args.example {
        format!("next: {cd}topictrends run")
    } else {
        format!(
            "next: put statements in {at}{input}/ (a row each in {at}{manifest}, or dates in their headers), then {cd}topictrends run",
            input = starter::INPUT_DIR,
            manifest = starter::MANIFEST_PATH,
        )
    };
    log.log(
        Level::Info,
        &format!("wrote {} in {dir}; {next}", names.join(", ")),
    );
    Ok(exit::OK)
}

/// What this run created, newest last, so a failure can remove it again.
#[derive(Debug, Default)]
struct Created {
    dirs: Vec<PathBuf>,
    files: Vec<PathBuf>,
}

impl Created {
    /// Creates `path` (and missing parent folders) with `contents`; never replaces a file.
    fn write(&mut self, path: &Path, contents: &[u8]) -> std::io::Result<()> {
        if let Some(parent) = path.parent() {
            self.create_dirs(parent)?;
        }
        // create_new: a file that appeared since the check is still not overwritten.
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)?;
        self.files.push(path.to_path_buf());
        file.write_all(contents)?;
        file.sync_all()
    }

    fn create_dirs(&mut self, dir: &Path) -> std::io::Result<()> {
        let mut missing = Vec::new();
        let mut d = dir;
        while !d.as_os_str().is_empty() && d.symlink_metadata().is_err() {
            missing.push(d.to_path_buf());
            match d.parent() {
                Some(p) => d = p,
                None => break,
            }
        }
        for m in missing.into_iter().rev() {
            fs::create_dir(&m)?;
            self.dirs.push(m);
        }
        Ok(())
    }

    /// Removes the files, then the folders, this run created (best effort: the first error
    /// is the one reported).
    fn undo(&self) {
        for f in self.files.iter().rev() {
            let _ = fs::remove_file(f);
        }
        for d in self.dirs.iter().rev() {
            let _ = fs::remove_dir(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_removes_what_was_created() {
        let dir = tempfile::tempdir().unwrap();
        let mut created = Created::default();
        let a = dir.path().join("new/deeper/a.txt");
        created.write(&a, b"a").unwrap();
        assert_eq!(fs::read(&a).unwrap(), b"a");
        // A file in the way of a folder makes the next write fail.
        fs::write(dir.path().join("blocker"), "x").unwrap();
        assert!(
            created
                .write(&dir.path().join("blocker/b.txt"), b"b")
                .is_err()
        );
        assert!(created.write(&a, b"again").is_err(), "never overwrites");
        created.undo();
        assert!(!dir.path().join("new").exists(), "created folders removed");
        assert_eq!(fs::read(dir.path().join("blocker")).unwrap(), b"x");
    }
}
