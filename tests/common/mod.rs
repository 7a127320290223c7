//! Shared helpers for end-to-end tests: run the real binary in a fresh directory.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The built binary.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_topictrends"))
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the repository, when present.
pub fn shared() -> Option<PathBuf> {
    let p = repo().join("../shared");
    p.is_dir().then_some(p)
}

/// A work dir for a small job: `input/` with the statements (and `metadata.csv` when
/// `manifest` is not empty), `themes.toml` as given, and `config.toml` reading them with
/// plain-UTF-8 CSV, no workbook, and `config` appended.
pub fn small_job_with(
    statements: &[(&str, &str)],
    manifest: &str,
    themes: &str,
    config: &str,
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path();
    std::fs::create_dir_all(d.join("input")).unwrap();
    for (name, text) in statements {
        std::fs::write(d.join("input").join(name), text).unwrap();
    }
    if !manifest.is_empty() {
        std::fs::write(d.join("input/metadata.csv"), manifest).unwrap();
    }
    std::fs::write(d.join("themes.toml"), themes).unwrap();
    std::fs::write(
        d.join("config.toml"),
        format!(
            "[input]\ndir = \"input\"\n[output]\nexcel_compatible = false\nworkbook = false\n\
             [themes]\nfile = \"themes.toml\"\n{config}"
        ),
    )
    .unwrap();
    dir
}

/// A fresh working directory with a copy of a fixture folder in it.
pub fn workdir_with(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&repo().join("tests/fixtures").join(fixture), dir.path());
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// Runs the binary in `dir` with `args`; panics with its stderr when it could not start.
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run topictrends")
}

/// Asserts a successful exit, printing stderr otherwise.
pub fn assert_ok(out: &Output) {
    assert!(
        out.status.success(),
        "exit {:?}\nstderr:\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CSV file as rows of column -> value (BOM tolerated).
pub fn read_csv(path: &Path) -> Vec<BTreeMap<String, String>> {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&bytes)
        .to_vec();
    let mut r = csv::Reader::from_reader(&bytes[..]);
    let headers = r.headers().unwrap().clone();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            headers
                .iter()
                .zip(rec.iter())
                .map(|(h, v)| (h.to_string(), v.to_string()))
                .collect()
        })
        .collect()
}

/// The header row of a CSV file.
pub fn csv_header(path: &Path) -> Vec<String> {
    let bytes = std::fs::read(path).unwrap();
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(&bytes)
        .to_vec();
    let mut r = csv::Reader::from_reader(&bytes[..]);
    r.headers().unwrap().iter().map(str::to_string).collect()
}

/// Finds the row whose columns equal the given values.
pub fn row<'a>(
    rows: &'a [BTreeMap<String, String>],
    keys: &[(&str, &str)],
) -> &'a BTreeMap<String, String> {
    rows.iter()
        .find(|r| {
            keys.iter()
                .all(|(k, v)| r.get(*k).map(String::as_str) == Some(*v))
        })
        .unwrap_or_else(|| panic!("no row with {keys:?}"))
}

/// Every file under `dir` with its bytes, by relative path; `run.json` (the one file
/// that carries times) is left out.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else if p.file_name().is_some_and(|n| n == "run.json") {
                continue;
            } else {
                out.insert(
                    p.strip_prefix(base).unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                );
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}

/// Set (as `.ci/run` does) to make a missing `../shared` a test failure instead of a skip.
pub const REQUIRE_SHARED: &str = "TOPICTRENDS_REQUIRE_SHARED";

/// `../shared` when present. Otherwise the test `what` skips (returns None) with one line
/// saying so, or fails when [`REQUIRE_SHARED`] is set.
pub fn shared_or_skip(what: &str) -> Option<PathBuf> {
    let s = shared();
    if s.is_none() {
        assert!(
            std::env::var_os(REQUIRE_SHARED).is_none(),
            "{what}: ../shared is not beside the repository but {REQUIRE_SHARED} is set (as .ci/run does)"
        );
        eprintln!(
            "skipping {what}: ../shared is not beside the repository \
             (clone it there to run this test)"
        );
    }
    s
}

/// Runs the binary where file permissions must hold (unreadable input, read-only output).
/// Not root: as this user. Root (as CI runs): under `setpriv` as the unprivileged user and
/// group 65534 (nobody), after [`Unprivileged::hand_over`] gives it the work folder.
pub struct Unprivileged {
    as_nobody: bool,
}

/// The unprivileged user and group id root runs the binary as.
pub const NOBODY: u32 = 65534;

#[cfg(unix)]
impl Unprivileged {
    /// How to run `what` with permissions enforced, or None (the test part skips, saying why)
    /// when this process is root and cannot drop privileges; with `CI=true` that fails instead.
    pub fn for_test(what: &str) -> Option<Unprivileged> {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return Some(Unprivileged { as_nobody: false });
        }
        let works = Command::new("setpriv")
            .args(Unprivileged::SETPRIV)
            .arg("true")
            .output()
            .is_ok_and(|o| o.status.success());
        if works {
            return Some(Unprivileged { as_nobody: true });
        }
        let why = format!(
            "{what}: running as root, where permissions are not enforced, and `setpriv` (util-linux) \
             cannot run a command as user {NOBODY}"
        );
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{why}; in CI (CI=true) this part must run"
        );
        eprintln!("skipping {why}");
        None
    }

    const SETPRIV: &'static [&'static str] =
        &["--reuid=65534", "--regid=65534", "--clear-groups", "--"];

    /// Gives `dir` and everything under it (links themselves, not their targets) to the
    /// unprivileged user, so it can read the input and write the output there.
    pub fn hand_over(&self, dir: &Path) {
        if !self.as_nobody {
            return;
        }
        fn walk(p: &Path) {
            std::os::unix::fs::lchown(p, Some(NOBODY), Some(NOBODY))
                .unwrap_or_else(|e| panic!("chown {}: {e}", p.display()));
            let is_dir = std::fs::symlink_metadata(p).is_ok_and(|m| m.is_dir());
            if is_dir {
                for e in std::fs::read_dir(p).unwrap() {
                    walk(&e.unwrap().path());
                }
            }
        }
        walk(dir);
    }

    /// The binary, run in `dir` with `args`, unprivileged.
    pub fn run_in(&self, dir: &Path, args: &[&str]) -> Output {
        let mut cmd = if self.as_nobody {
            let mut c = Command::new("setpriv");
            c.args(Unprivileged::SETPRIV)
                .arg(env!("CARGO_BIN_EXE_topictrends"));
            c
        } else {
            bin()
        };
        cmd.current_dir(dir)
            .args(args)
            .output()
            .expect("run topictrends")
    }
}

/// Files with `extension` in the cache beside the output folder `out` of `dir` (readings are
/// `bin`, statement records `rec`), sorted.
pub fn cache_files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for item in std::fs::read_dir(dir.join(".out.cache")).unwrap() {
        let path = item.unwrap().path();
        if path.is_dir() {
            for e in std::fs::read_dir(&path).unwrap() {
                let e = e.unwrap().path();
                if e.extension().is_some_and(|x| x == extension) {
                    found.push(e);
                }
            }
        }
    }
    found.sort();
    found
}
