//! Exact duplicate statements: files with identical bytes, found before analysis so that which
//! copy is kept never depends on how the parallel workers split the input.
//!
//! Only files that share their size with another file are read here (a cheap `stat` rules out
//! everything else), hashed in a streaming pass, and a hash match is confirmed byte for byte,
//! so a hash collision can never drop a statement. The first file in path order is the
//! original; every later copy names it. Empty files are never duplicates: each is reported on
//! its own as an empty statement.

use std::collections::BTreeMap;
use std::fs::File;
use std::hash::Hasher;
use std::io::{self, Read};
use std::path::Path;

use rayon::prelude::*;

use crate::config::DuplicatePolicy;
use crate::diagnostic::Warning;
use crate::read::discover::{InputFile, Skipped};

/// File `index` has the same bytes as the earlier file `original` (indexes into the input list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duplicate {
    pub index: usize,
    pub original: usize,
}

/// Finds every file whose bytes equal an earlier file's; `paths` in the order that decides
/// which copy is the original. Unreadable files are left out (reading them reports the error).
pub fn find_duplicates(paths: &[&Path]) -> Vec<Duplicate> {
    let mut by_size: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (index, path) in paths.iter().enumerate() {
        if let Ok(meta) = std::fs::metadata(path)
            && meta.is_file()
            && meta.len() > 0
        {
            by_size.entry(meta.len()).or_default().push(index);
        }
    }
    let candidates: Vec<usize> = by_size
        .into_values()
        .filter(|group| group.len() > 1)
        .flatten()
        .collect();
    // Hashing is I/O bound and independent per file; collected in input order, so deterministic.
    let hashes: Vec<(usize, u64, u64)> = candidates
        .par_iter()
        .filter_map(|&index| {
            let (len, hash) = hash_file(paths[index]).ok()?;
            Some((index, len, hash))
        })
        .collect();
    let mut by_content: BTreeMap<(u64, u64), Vec<usize>> = BTreeMap::new();
    for (index, len, hash) in hashes {
        by_content.entry((len, hash)).or_default().push(index);
    }
    let mut out = Vec::new();
    for mut group in by_content.into_values() {
        group.sort_unstable();
        // Each file joins the first earlier original it is byte-equal to (a hash collision
        // yields two originals rather than a wrong duplicate).
        let mut originals: Vec<usize> = Vec::new();
        for index in group {
            let same = originals
                .iter()
                .copied()
                .find(|&o| same_bytes(paths[o], paths[index]).unwrap_or(false));
            match same {
                Some(original) => out.push(Duplicate { index, original }),
                None => originals.push(index),
            }
        }
    }
    out.sort_unstable_by_key(|d| d.index);
    out
}

/// Splits the input into the files to read and the duplicates' skips and warnings.
pub fn apply(
    files: Vec<InputFile>,
    policy: DuplicatePolicy,
) -> (Vec<InputFile>, Vec<Skipped>, Vec<Warning>) {
    if policy == DuplicatePolicy::Ignore {
        return (files, Vec::new(), Vec::new());
    }
    let paths: Vec<&Path> = files.iter().map(|f| f.path.as_path()).collect();
    let duplicates = find_duplicates(&paths);
    let mut skipped = Vec::new();
    let mut warnings = Vec::new();
    let mut drop = vec![false; files.len()];
    for d in &duplicates {
        let (copy, original) = (&files[d.index].rel, &files[d.original].rel);
        match policy {
            DuplicatePolicy::Skip => {
                drop[d.index] = true;
                let reason = format!("duplicate of {original}");
                warnings.push(Warning::new(copy, format!("skipped: {reason}")));
                skipped.push(Skipped {
                    rel: copy.clone(),
                    reason,
                });
            }
            DuplicatePolicy::Ignore => {}
            DuplicatePolicy::Keep => warnings.push(Warning::new(
                copy,
                format!(
                    "same content as {original}; counted twice because [input] duplicates = \"keep\""
                ),
            )),
        }
    }
    let kept = files
        .into_iter()
        .zip(drop)
        .filter_map(|(f, dropped)| (!dropped).then_some(f))
        .collect();
    (kept, skipped, warnings)
}

/// Streams a file through a 64-bit hash; returns its length too.
fn hash_file(path: &Path) -> io::Result<(u64, u64)> {
    let mut file = File::open(path)?;
    let mut hasher = std::hash::DefaultHasher::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut len = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.write(&buf[..n]);
        len += n as u64;
    }
    Ok((len, hasher.finish()))
}

/// Compares two files byte for byte without loading either whole.
fn same_bytes(a: &Path, b: &Path) -> io::Result<bool> {
    let (mut fa, mut fb) = (File::open(a)?, File::open(b)?);
    let (mut ba, mut bb) = (vec![0u8; 64 * 1024], vec![0u8; 64 * 1024]);
    loop {
        let na = read_full(&mut fa, &mut ba)?;
        let nb = read_full(&mut fb, &mut bb)?;
        if na != nb || ba[..na] != bb[..nb] {
            return Ok(false);
        }
        if na == 0 {
            return Ok(true);
        }
    }
}

/// Fills `buf` as far as the file allows (a short `read` is not the end of the file).
fn read_full(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(dir: &Path, contents: &[(&str, &[u8])]) -> Vec<InputFile> {
        contents
            .iter()
            .map(|(name, bytes)| {
                let path = dir.join(name);
                std::fs::write(&path, bytes).unwrap();
                InputFile {
                    path,
                    rel: name.to_string(),
                }
            })
            .collect()
    }

    #[test]
    fn later_copies_name_the_first_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let input = files(
            dir.path(),
            &[
                ("a.txt", b"same words"),
                ("b.txt", b"other text"), // same size, different bytes
                ("c.txt", b"same words"),
                ("d.txt", b""),
                ("e.txt", b""), // empty files are never duplicates
                ("f.txt", b"same words"),
                ("g.txt", b"short"),
            ],
        );
        let paths: Vec<&Path> = input.iter().map(|f| f.path.as_path()).collect();
        assert_eq!(
            find_duplicates(&paths),
            [
                Duplicate {
                    index: 2,
                    original: 0
                },
                Duplicate {
                    index: 5,
                    original: 0
                },
            ]
        );
    }

    #[test]
    fn skip_drops_copies_and_keep_only_warns() {
        let dir = tempfile::tempdir().unwrap();
        let input = files(dir.path(), &[("a.txt", b"x y z"), ("b.txt", b"x y z")]);
        let (kept, skipped, warnings) = apply(input.clone(), DuplicatePolicy::Skip);
        assert_eq!(kept, input[..1]);
        assert_eq!(
            skipped,
            [Skipped {
                rel: "b.txt".into(),
                reason: "duplicate of a.txt".into()
            }]
        );
        assert_eq!(
            warnings[0].to_string(),
            "b.txt: skipped: duplicate of a.txt"
        );

        let (kept, skipped, warnings) = apply(input.clone(), DuplicatePolicy::Keep);
        assert_eq!(kept, input);
        assert!(skipped.is_empty());
        assert!(
            warnings[0]
                .to_string()
                .starts_with("b.txt: same content as a.txt")
        );
    }

    #[test]
    fn large_files_differing_only_at_the_end_are_not_duplicates() {
        let dir = tempfile::tempdir().unwrap();
        let mut a = vec![b'a'; 200_000];
        let b = a.clone();
        *a.last_mut().unwrap() = b'b';
        let input = files(dir.path(), &[("a.txt", &a), ("b.txt", &b)]);
        let paths: Vec<&Path> = input.iter().map(|f| f.path.as_path()).collect();
        assert!(find_duplicates(&paths).is_empty());
        assert!(!same_bytes(paths[0], paths[1]).unwrap());
        assert!(same_bytes(paths[0], paths[0]).unwrap());
    }

    #[test]
    fn policy_parses_the_two_values_only() {
        assert_eq!(DuplicatePolicy::parse("skip"), Some(DuplicatePolicy::Skip));
        assert_eq!(DuplicatePolicy::parse("keep"), Some(DuplicatePolicy::Keep));
        assert_eq!(DuplicatePolicy::parse("Skip"), None);
    }
}
