//! Build script: records which commit the program is built from, for `--version` and run.json.
//!
//! Sets `TOPICTRENDS_COMMIT` (abbreviated hash, or empty when unknown), `TOPICTRENDS_DIRTY`
//! (`true`, `false`, or empty when unknown) and `TOPICTRENDS_VERSION` (the line `--version`
//! prints after the name). The commit comes from `TOPICTRENDS_BUILD_COMMIT` when set (builds
//! without `.git`, such as the container image: `abc1234` or `abc1234-dirty`), else from git when
//! the package root is the top of a git work tree, else it is unknown: a build from a tarball or
//! from crates.io never fails for want of git.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What the binary is built from; "dirty" means these differ from the commit (tests and docs
/// do not change the binary, so they do not count).
const BUILD_INPUTS: &[&str] = &[
    "src",
    "config",
    "input",
    "build.rs",
    "Cargo.toml",
    "Cargo.lock",
];

const ENV_OVERRIDE: &str = "TOPICTRENDS_BUILD_COMMIT";

fn main() {
    let root = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-env-changed={ENV_OVERRIDE}");
    for input in BUILD_INPUTS {
        if root.join(input).exists() {
            println!("cargo:rerun-if-changed={input}");
        }
    }
    let (commit, dirty) = match std::env::var(ENV_OVERRIDE) {
        Ok(value) if !value.trim().is_empty() => from_override(value.trim()),
        _ => from_git(&root),
    };
    let version = std::env::var("CARGO_PKG_VERSION").expect("set by cargo");
    let line = match (&commit, dirty) {
        (Some(c), Some(true)) => format!("{version} (commit {c}-dirty)"),
        (Some(c), _) => format!("{version} (commit {c})"),
        (None, _) => format!("{version} (unknown commit)"),
    };
    println!(
        "cargo:rustc-env=TOPICTRENDS_COMMIT={}",
        commit.unwrap_or_default()
    );
    println!(
        "cargo:rustc-env=TOPICTRENDS_DIRTY={}",
        dirty.map(|d| d.to_string()).unwrap_or_default()
    );
    println!("cargo:rustc-env=TOPICTRENDS_VERSION={line}");
}

/// `abc1234` or `abc1234-dirty`; anything else is ignored with a warning rather than printed
/// as if it were a commit.
fn from_override(value: &str) -> (Option<String>, Option<bool>) {
    let (hash, dirty) = match value.strip_suffix("-dirty") {
        Some(h) => (h, true),
        None => (value, false),
    };
    let is_hash = (4..=40).contains(&hash.len())
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
        && !hash.bytes().any(|b| b.is_ascii_uppercase());
    if !is_hash {
        println!(
            "cargo:warning={ENV_OVERRIDE}={value:?} is not a lowercase hex commit hash (optionally ending in -dirty); building with an unknown commit"
        );
        return (None, None);
    }
    // Without "-dirty" the override cannot say whether the tree was clean: unknown.
    (Some(hash.to_string()), dirty.then_some(true))
}

fn from_git(root: &Path) -> (Option<String>, Option<bool>) {
    // Only the package's own repository counts: a tarball unpacked inside some other
    // checkout must not report that checkout's commit.
    let Some(top) = git(root, &["rev-parse", "--show-toplevel"]) else {
        return (None, None);
    };
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if !same(Path::new(&top), root) {
        return (None, None);
    }
    let Some(commit) = git(root, &["rev-parse", "--short=12", "HEAD"]) else {
        return (None, None);
    };
    // Rebuild when HEAD moves (checkout, commit) or the index changes (add, reset). Paths come
    // from git so that worktrees, whose .git is a file, work too.
    let mut watched = vec![
        "HEAD".to_string(),
        "index".to_string(),
        "packed-refs".to_string(),
    ];
    if let Some(reference) = git(root, &["symbolic-ref", "-q", "HEAD"]) {
        watched.push(reference);
    }
    for name in watched {
        if let Some(path) = git(root, &["rev-parse", "--git-path", &name]) {
            let path = root.join(path);
            if path.exists() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
    let mut status = vec!["status", "--porcelain", "--untracked-files=normal", "--"];
    status.extend(BUILD_INPUTS);
    let dirty = git_output(root, &status).map(|out| !out.trim().is_empty());
    (Some(commit), dirty)
}

/// A git command's trimmed first line of output, or `None` when git is missing or fails.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = git_output(dir, args)?;
    let line = out.lines().next()?.trim().to_string();
    (!line.is_empty()).then_some(line)
}

fn git_output(dir: &Path, args: &[&str]) -> Option<String> {
    // --no-optional-locks: `status` must not rewrite the index, which is watched above (a
    // rewrite would make every build rerun this script and recompile the crate).
    let out = Command::new("git")
        .arg("--no-optional-locks")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}
