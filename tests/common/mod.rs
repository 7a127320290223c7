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

/// Skips (returns None) with a message when ../shared is absent.
pub fn shared_or_skip(what: &str) -> Option<PathBuf> {
    let s = shared();
    if s.is_none() {
        eprintln!("skipping {what}: ../shared is not beside the repository");
    }
    s
}
