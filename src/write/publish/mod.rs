//! Atomic publication: a run writes into a hidden sibling staging dir, which then replaces the output dir in one swap.
//!
//! Layout beside `<parent>/<name>` (the output dir), all on the same filesystem so renames are atomic:
//! `.<name>.staging-<pid>` (the run being written), `.<name>.old-<pid>` (the previous output during the
//! two-rename fallback swap). A run killed at any moment leaves the previous output complete, or, in the
//! fallback's one gap between two renames, parked at `.old-<pid>` where [`recover`] puts it back.

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use crate::config::paths::{sibling_name, split_output_dir};

mod error;
mod recover;
mod tree;

pub use error::PublishError;

/// How many staging folders, and how many parked outputs, of dead runs lie beside `output_dir`
/// (what creating a [`Staging`] there removes or puts back); none when the path has no place
/// for them.
pub fn dead_leftover_counts(output_dir: &Path) -> (usize, usize) {
    let found =
        recover::Target::new(output_dir).map_or_else(|_| Vec::new(), |t| t.dead_leftovers());
    let parked = (found.iter())
        .filter(|(_, kind)| matches!(kind, Leftover::Old(_)))
        .count();
    (found.len() - parked, parked)
}
pub use recover::recover;
use recover::*;
#[cfg(all(test, unix))]
use std::time::UNIX_EPOCH;
use tree::*;

/// A file produced by a writer: relative path inside the output dir (may contain subdirs like
/// `charts/themes/x.png`) and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: PathBuf,
    pub bytes: Vec<u8>,
}

/// How `commit` swaps staging and output; tests force the fallback that other systems always use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SwapMethod {
    /// RENAME_EXCHANGE where the kernel offers it, else the two-rename fallback.
    Best,
    /// Always the two-rename fallback.
    #[cfg_attr(not(test), allow(dead_code))]
    Renames,
}

/// A run's output under construction, beside the output dir it will replace.
#[derive(Debug)]
pub struct Staging {
    target: Target,
    path: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates `<parent>/.<output-name>.staging-<pid>` beside `output_dir` (same filesystem, so rename is
    /// atomic). First restores an output parked by a run killed mid-swap, then removes leftover
    /// staging/parked trees of dead runs. Expects the caller to hold the [`crate::write::lock::RunLock`].
    pub fn create(output_dir: &Path) -> Result<Staging, PublishError> {
        let target = Target::new(output_dir)?;
        let output = target.output();
        if let Ok(meta) = fs::metadata(&output)
            && !meta.is_dir()
        {
            return Err(PublishError::NotADirectory { path: output });
        }
        fs::create_dir_all(&target.parent).map_err(|source| PublishError::Staging {
            path: target.parent.clone(),
            source,
        })?;
        // Recover before cleaning up: a parked output is a dead run's leftover too, and must not be deleted.
        recover_target(&target)?;
        remove_dead_leftovers(&target);
        let path = target.staging(std::process::id());
        fs::create_dir(&path).map_err(|source| PublishError::Staging {
            path: path.clone(),
            source,
        })?;
        Ok(Staging {
            target,
            path,
            committed: false,
        })
    }

    /// The staging directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes one file into staging (creating parent dirs) and fsyncs it. Rejects paths that are empty,
    /// absolute, contain `..`, or otherwise escape the staging dir with [`PublishError::UnsafePath`].
    /// Writing the same path twice keeps the last bytes.
    pub fn write(&self, file: &OutputFile) -> Result<(), PublishError> {
        self.write_streamed(&file.path, |w| w.write_all(&file.bytes))
    }

    /// Writes one file into staging through `fill`, which writes its bytes in pieces (a table
    /// too large to hold whole); buffered, then flushed to disk like `write`.
    pub fn write_streamed(
        &self,
        path: &Path,
        fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    ) -> Result<(), PublishError> {
        let relative = safe_relative(path).ok_or_else(|| PublishError::UnsafePath {
            path: path.to_path_buf(),
        })?;
        let dest = self.path.join(relative);
        let write_error = |source| PublishError::Write {
            path: dest.clone(),
            source,
        };
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir).map_err(write_error)?;
        }
        let mut out =
            std::io::BufWriter::with_capacity(1 << 16, File::create(&dest).map_err(write_error)?);
        fill(&mut out).map_err(write_error)?;
        let out = out.into_inner().map_err(|e| write_error(e.into_error()))?;
        out.sync_all().map_err(|source| PublishError::Sync {
            path: dest.clone(),
            source,
        })
    }

    /// Makes staging the new output dir. The output becomes exactly the run's files, plus the entries of
    /// the old output named in `keep` (single names such as `.gitkeep` or `cache`) that the run did not
    /// produce itself; those are hard-linked (copied where links fail) into staging before the swap, so the
    /// old output stays intact until the swap itself. Then fsyncs the staging tree, swaps atomically
    /// (Linux: `renameat2(RENAME_EXCHANGE)`; elsewhere two renames via `.<name>.old-<pid>`), fsyncs the
    /// parent and removes the old tree. A failure before the swap leaves the old output untouched.
    pub fn commit(self, keep: &[&str]) -> Result<(), PublishError> {
        self.finish(keep, SwapMethod::Best)
    }

    fn finish(mut self, keep: &[&str], method: SwapMethod) -> Result<(), PublishError> {
        let keep = keep
            .iter()
            .map(|name| safe_keep_name(name))
            .collect::<Result<Vec<_>, _>>()?;
        let output = self.target.output();
        let output_exists = match fs::metadata(&output) {
            Ok(meta) if meta.is_dir() => true,
            Ok(_) => return Err(PublishError::NotADirectory { path: output }),
            Err(_) => false,
        };
        if output_exists {
            self.carry_over(&output, &keep)?;
            // The new dir inherits the old one's mode, so group-shared outputs stay shared.
            if let Ok(meta) = fs::metadata(&output) {
                fs::set_permissions(&self.path, meta.permissions()).map_err(|source| {
                    PublishError::Staging {
                        path: self.path.clone(),
                        source,
                    }
                })?;
            }
        }
        sync_tree(&self.path)?;
        if output_exists {
            self.swap_into_existing(&output, method)?;
        } else {
            fs::rename(&self.path, &output).map_err(|source| PublishError::Swap {
                from: self.path.clone(),
                to: output.clone(),
                source,
            })?;
            self.committed = true;
            sync_dir(&self.target.parent)?;
        }
        Ok(())
    }

    /// Links each kept entry of the old output into staging unless the run produced one of that name.
    fn carry_over(&self, output: &Path, keep: &[&OsStr]) -> Result<(), PublishError> {
        for name in keep {
            let from = output.join(name);
            let to = self.path.join(name);
            match fs::symlink_metadata(&from) {
                Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
                // Anything else (e.g. permissions) must not silently drop the entry from the new output.
                Err(source) => return Err(PublishError::Keep { path: from, source }),
                Ok(_) if fs::symlink_metadata(&to).is_ok() => continue,
                Ok(_) => {}
            }
            link_tree(&from, &to).map_err(|source| PublishError::Keep { path: from, source })?;
        }
        Ok(())
    }

    fn swap_into_existing(
        &mut self,
        output: &Path,
        method: SwapMethod,
    ) -> Result<(), PublishError> {
        if method == SwapMethod::Best {
            match exchange(&self.path, output) {
                Ok(()) => {
                    // The old output now sits at the staging path; it is ours to delete.
                    self.committed = true;
                    sync_dir(&self.target.parent)?;
                    // A tree we fail to delete is removed by the next run's cleanup.
                    drop(fs::remove_dir_all(&self.path));
                    return Ok(());
                }
                Err(source) if !exchange_unsupported(&source) => {
                    return Err(PublishError::Swap {
                        from: self.path.clone(),
                        to: output.to_path_buf(),
                        source,
                    });
                }
                Err(_) => {}
            }
        }
        let parked = self.target.old(std::process::id());
        fs::rename(output, &parked).map_err(|source| PublishError::Swap {
            from: output.to_path_buf(),
            to: parked.clone(),
            source,
        })?;
        if let Err(source) = fs::rename(&self.path, output) {
            // Put the previous output back; if even that fails, `recover` does it on the next run.
            drop(fs::rename(&parked, output));
            return Err(PublishError::Swap {
                from: self.path.clone(),
                to: output.to_path_buf(),
                source,
            });
        }
        self.committed = true;
        sync_dir(&self.target.parent)?;
        drop(fs::remove_dir_all(&parked));
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // Nothing useful to do with an error while dropping; the next run's cleanup retries.
            drop(fs::remove_dir_all(&self.path));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Every file under `root` as relative path (with `/`) -> bytes.
    fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
        fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(root, &path, out);
                } else {
                    let relative = path.strip_prefix(root).unwrap();
                    let key = relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect::<Vec<_>>()
                        .join("/");
                    out.insert(key, fs::read(&path).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(root, root, &mut out);
        out
    }

    fn names_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    fn file(path: &str, bytes: &str) -> OutputFile {
        OutputFile {
            path: PathBuf::from(path),
            bytes: bytes.as_bytes().to_vec(),
        }
    }

    fn expected(files: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        files
            .iter()
            .map(|(p, b)| (p.to_string(), b.as_bytes().to_vec()))
            .collect()
    }

    /// Writes a tree of files directly (a previous run's output, or a parked leftover).
    fn plant(root: &Path, files: &[(&str, &str)]) {
        for (path, bytes) in files {
            let dest = root.join(path);
            fs::create_dir_all(dest.parent().unwrap()).unwrap();
            fs::write(dest, bytes).unwrap();
        }
    }

    /// A pid no live process can have on Linux (pid_max is at most 2^22).
    const DEAD_PID: u32 = 999_999_999;

    #[test]
    fn write_then_commit_produces_exactly_the_files() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let staging = Staging::create(&out).unwrap();
        assert_eq!(
            staging.path(),
            tmp.path()
                .join(format!(".out.staging-{}", std::process::id()))
        );
        staging.write(&file("terms.csv", "term,count\n")).unwrap();
        staging
            .write(&file("charts/themes/x.png", "png-bytes"))
            .unwrap();
        staging.write(&file("empty.csv", "")).unwrap();
        staging.commit(&[".gitkeep"]).unwrap();
        assert_eq!(
            tree(&out),
            expected(&[
                ("charts/themes/x.png", "png-bytes"),
                ("empty.csv", ""),
                ("terms.csv", "term,count\n"),
            ])
        );
        assert_eq!(names_in(tmp.path()), vec!["out"], "no staging left beside");
    }

    #[test]
    fn existing_output_is_replaced_and_only_keep_list_survives() {
        for method in [SwapMethod::Best, SwapMethod::Renames] {
            let tmp = tempfile::tempdir().unwrap();
            let out = tmp.path().join("out");
            plant(
                &out,
                &[
                    ("terms.csv", "old terms"),
                    ("stale.csv", "from a dropped writer"),
                    ("charts/stale.png", "old chart"),
                    (".gitkeep", ""),
                    ("cache/ab/cd.bin", "cached"),
                    ("cache/index", "idx"),
                ],
            );
            let staging = Staging::create(&out).unwrap();
            staging.write(&file("terms.csv", "new terms")).unwrap();
            staging.write(&file("charts/new.png", "new chart")).unwrap();
            staging
                .finish(&[".gitkeep", "cache", "not-there"], method)
                .unwrap();
            assert_eq!(
                tree(&out),
                expected(&[
                    (".gitkeep", ""),
                    ("cache/ab/cd.bin", "cached"),
                    ("cache/index", "idx"),
                    ("charts/new.png", "new chart"),
                    ("terms.csv", "new terms"),
                ]),
                "{method:?}"
            );
            assert_eq!(names_in(tmp.path()), vec!["out"], "{method:?}");
        }
    }

    #[test]
    fn keep_entry_produced_by_the_run_is_not_overwritten_by_the_old_one() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        plant(&out, &[("cache/a", "old"), ("cache/b", "old only")]);
        let staging = Staging::create(&out).unwrap();
        staging.write(&file("cache/a", "new")).unwrap();
        staging.commit(&["cache"]).unwrap();
        assert_eq!(tree(&out), expected(&[("cache/a", "new")]));
    }

    #[cfg(unix)]
    #[test]
    fn kept_symlinks_are_recreated_not_followed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        plant(&out, &[("x", "")]);
        std::os::unix::fs::symlink("/nonexistent/target", out.join("link")).unwrap();
        let staging = Staging::create(&out).unwrap();
        staging.commit(&["link"]).unwrap();
        assert_eq!(
            fs::read_link(out.join("link")).unwrap(),
            PathBuf::from("/nonexistent/target")
        );
    }

    #[test]
    fn drop_without_commit_leaves_old_output_and_removes_staging() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let old = [("terms.csv", "yesterday"), ("charts/a.png", "chart")];
        plant(&out, &old);
        {
            let staging = Staging::create(&out).unwrap();
            staging.write(&file("terms.csv", "half of today")).unwrap();
            assert!(staging.path().exists());
        }
        assert_eq!(tree(&out), expected(&old));
        assert_eq!(names_in(tmp.path()), vec!["out"]);
    }

    #[test]
    fn failed_commit_leaves_old_output_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let old = [("terms.csv", "yesterday")];
        plant(&out, &old);
        let staging = Staging::create(&out).unwrap();
        staging.write(&file("terms.csv", "today")).unwrap();
        let err = staging.commit(&["../escape"]).unwrap_err();
        assert!(matches!(err, PublishError::UnsafePath { .. }), "{err}");
        assert_eq!(tree(&out), expected(&old));
        assert_eq!(names_in(tmp.path()), vec!["out"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_reader_holding_an_old_file_open_keeps_reading_it() {
        use std::io::Read;
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        plant(&out, &[("terms.csv", "yesterday")]);
        let mut open_by_analyst = File::open(out.join("terms.csv")).unwrap();
        let staging = Staging::create(&out).unwrap();
        staging.write(&file("terms.csv", "today")).unwrap();
        staging.commit(&[]).unwrap();
        let mut seen = String::new();
        open_by_analyst.read_to_string(&mut seen).unwrap();
        assert_eq!(seen, "yesterday");
        assert_eq!(fs::read_to_string(out.join("terms.csv")).unwrap(), "today");
    }

    #[test]
    fn unsafe_paths_are_rejected() {
        let tmp = tempfile::tempdir().unwrap();
        let staging = Staging::create(&tmp.path().join("out")).unwrap();
        let mut rejected = vec!["", ".", "./", "..", "../x.csv", "a/../b.csv", "a/../../x"];
        if cfg!(windows) {
            rejected.extend(["C:\\x.csv", "C:x.csv", "\\x.csv", "\\\\server\\share\\x"]);
        } else {
            rejected.extend(["/etc/passwd", "/x.csv"]);
        }
        for path in rejected {
            let err = staging.write(&file(path, "x")).unwrap_err();
            assert!(
                matches!(&err, PublishError::UnsafePath { path: p } if p == Path::new(path)),
                "{path:?}: {err}"
            );
            assert!(err.to_string().contains(&format!("{path:?}")), "{err}");
        }
        assert!(names_in(staging.path()).is_empty(), "nothing was written");
        for (path, lands_at) in [
            ("a.csv", "a.csv"),
            ("./b.csv", "b.csv"),
            ("c/./d.csv", "c/d.csv"),
            ("e//f.csv", "e/f.csv"),
            ("..g.csv", "..g.csv"),
        ] {
            staging.write(&file(path, path)).unwrap();
            assert_eq!(
                fs::read_to_string(staging.path().join(lands_at)).unwrap(),
                path
            );
        }
    }

    #[test]
    fn unsafe_keep_names_are_rejected() {
        for name in ["", "..", "../x", "a/b", "/abs", "."] {
            let tmp = tempfile::tempdir().unwrap();
            let out = tmp.path().join("out");
            plant(&out, &[("a", "old")]);
            let staging = Staging::create(&out).unwrap();
            let err = staging.commit(&[name]).unwrap_err();
            assert!(
                matches!(err, PublishError::UnsafePath { .. }),
                "{name:?}: {err}"
            );
            assert_eq!(tree(&out), expected(&[("a", "old")]));
        }
    }

    #[test]
    fn recovery_restores_parked_output_when_output_is_missing() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let parked = tmp.path().join(format!(".out.old-{DEAD_PID}"));
        let dead_staging = tmp.path().join(format!(".out.staging-{DEAD_PID}"));
        plant(&parked, &[("terms.csv", "complete"), ("charts/a.png", "a")]);
        plant(&dead_staging, &[("terms.csv", "killed mid-swap")]);
        let staging = Staging::create(&out).unwrap();
        assert_eq!(
            tree(&out),
            expected(&[("charts/a.png", "a"), ("terms.csv", "complete")])
        );
        let own_staging = format!(".out.staging-{}", std::process::id());
        assert_eq!(names_in(tmp.path()), vec![own_staging, "out".to_string()]);
        drop(staging);
    }

    // Setting a directory's mtime needs it opened as a file, which Windows std cannot do.
    #[cfg(unix)]
    #[test]
    fn recover_prefers_the_newest_parked_output_and_ignores_other_names() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let older = tmp.path().join(format!(".out.old-{}", DEAD_PID - 1));
        let newer = tmp.path().join(format!(".out.old-{DEAD_PID}"));
        plant(&older, &[("v", "1")]);
        plant(&newer, &[("v", "2")]);
        let stamp = |dir: &Path, secs| {
            let when = UNIX_EPOCH + std::time::Duration::from_secs(secs);
            File::open(dir).unwrap().set_modified(when).unwrap();
        };
        stamp(&older, 1_000_000);
        stamp(&newer, 2_000_000);
        // Look-alikes of other outputs or without a pid are never touched.
        for other in [".outx.old-1", ".out.old-", ".out.old-12a", ".out.staging-x"] {
            plant(&tmp.path().join(other), &[("keep", "me")]);
        }
        assert_eq!(recover(&out).unwrap(), Some(newer.clone()));
        assert_eq!(tree(&out), expected(&[("v", "2")]));
        assert_eq!(
            recover(&out).unwrap(),
            None,
            "output present: nothing to do"
        );
        drop(Staging::create(&out).unwrap());
        assert_eq!(
            names_in(tmp.path()),
            vec![
                ".out.old-",
                ".out.old-12a",
                ".out.staging-x",
                ".outx.old-1",
                "out"
            ]
        );
    }

    #[test]
    fn leftovers_of_own_pid_are_stale() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let pid = std::process::id();
        plant(
            &tmp.path().join(format!(".out.old-{pid}")),
            &[("v", "parked")],
        );
        plant(
            &tmp.path().join(format!(".out.staging-{pid}")),
            &[("v", "half")],
        );
        let staging = Staging::create(&out).unwrap();
        assert_eq!(tree(&out), expected(&[("v", "parked")]));
        assert!(names_in(staging.path()).is_empty(), "fresh staging");
    }

    #[cfg(unix)]
    #[test]
    fn leftovers_of_live_runs_are_left_alone() {
        // pid 1 (init) is alive on every Unix system.
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        plant(&out, &[("v", "current")]);
        plant(&tmp.path().join(".out.staging-1"), &[("v", "live run")]);
        drop(Staging::create(&out).unwrap());
        assert_eq!(names_in(tmp.path()), vec![".out.staging-1", "out"]);
    }

    #[test]
    fn output_that_is_a_file_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        fs::write(&out, "not a dir").unwrap();
        let err = Staging::create(&out).unwrap_err();
        assert!(matches!(err, PublishError::NotADirectory { .. }), "{err}");
        assert!(err.to_string().contains(&out.display().to_string()));
        assert_eq!(fs::read_to_string(&out).unwrap(), "not a dir");
    }

    #[test]
    fn output_dir_spellings_resolve_to_the_same_siblings() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        fs::create_dir(&out).unwrap();
        let name = |p: &Path| split_output_dir(p).map(|(_, n)| n);
        assert_eq!(name(&out), Some(OsString::from("out")));
        assert_eq!(name(&tmp.path().join("out/")), Some(OsString::from("out")));
        assert_eq!(name(&out.join(".")), Some(OsString::from("out")));
        assert_eq!(
            name(&out.join("sub").join("..")),
            None,
            "`sub` does not exist, so there is nothing to resolve"
        );
        fs::create_dir(out.join("sub")).unwrap();
        assert_eq!(name(&out.join("sub/..")), Some(OsString::from("out")));
        assert_eq!(
            split_output_dir(Path::new("out")),
            Some((PathBuf::from("."), OsString::from("out")))
        );
        #[cfg(unix)]
        assert!(matches!(
            Staging::create(Path::new("/")),
            Err(PublishError::InvalidOutputDir { .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn symlinked_output_is_published_into_its_target_and_stays_a_symlink() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("volumes/real-out");
        plant(&real, &[("terms.csv", "old")]);
        let link = tmp.path().join("out");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let staging = Staging::create(&link).unwrap();
        assert_eq!(
            staging.path().parent(),
            real.canonicalize().unwrap().parent()
        );
        staging.write(&file("terms.csv", "new")).unwrap();
        staging.commit(&[]).unwrap();
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(tree(&link), expected(&[("terms.csv", "new")]));
        assert_eq!(names_in(&tmp.path().join("volumes")), vec!["real-out"]);

        fs::remove_dir_all(&real).unwrap();
        let err = Staging::create(&link).unwrap_err();
        assert!(
            matches!(err, PublishError::InvalidOutputDir { .. }),
            "{err}"
        );
    }

    #[test]
    fn missing_parent_is_created() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("a/b/out");
        let staging = Staging::create(&out).unwrap();
        staging.write(&file("x", "1")).unwrap();
        staging.commit(&[]).unwrap();
        assert_eq!(tree(&out), expected(&[("x", "1")]));
    }

    #[test]
    fn exchange_swaps_both_names_or_reports_unsupported() {
        let tmp = tempfile::tempdir().unwrap();
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        plant(&a, &[("from", "a")]);
        plant(&b, &[("from", "b")]);
        match exchange(&a, &b) {
            Ok(()) => {
                assert_eq!(tree(&a), expected(&[("from", "b")]));
                assert_eq!(tree(&b), expected(&[("from", "a")]));
            }
            Err(e) => {
                assert!(exchange_unsupported(&e), "{e}");
                assert_eq!(tree(&a), expected(&[("from", "a")]));
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn safe_relative_never_escapes(path in "[a-z./\\\\:]{0,12}") {
            if let Some(relative) = safe_relative(Path::new(&path)) {
                let base = Path::new("base");
                let joined = base.join(&relative);
                proptest::prop_assert!(joined.starts_with(base));
                proptest::prop_assert!(relative
                    .components()
                    .all(|c| matches!(c, Component::Normal(_))));
                proptest::prop_assert!(relative.components().count() > 0);
            } else {
                let p = Path::new(&path);
                proptest::prop_assert!(
                    p.components().all(|c| c == Component::CurDir)
                        || p.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
                );
            }
        }
    }
}
