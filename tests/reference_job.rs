//! End to end: the shipped reference-job config writes the peers' tables, counted by hand here.

mod common;

use common::{assert_ok, bin, repo};

/// Runs `bench/reference-job.toml` over `files`; returns the output folder's parent (kept alive).
fn run_reference(files: &[(&str, &str)], extra: &[&str]) -> tempfile::TempDir {
    run_reference_env(files, extra, None)
}

fn run_reference_env(
    files: &[(&str, &str)],
    extra: &[&str],
    threads: Option<&str>,
) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    std::fs::create_dir_all(&input).unwrap();
    for (name, text) in files {
        std::fs::write(input.join(name), text).unwrap();
    }
    let config = repo().join("bench/reference-job.toml");
    let mut cmd = bin();
    if let Some(t) = threads {
        cmd.env("RAYON_NUM_THREADS", t);
    }
    cmd.args(["-q", "run", "--config"])
        .arg(&config)
        .arg("--input")
        .arg(&input)
        .arg("--output")
        .arg(dir.path().join("out"))
        .args(extra);
    assert_ok(&cmd.output().expect("run"));
    dir
}

fn read(dir: &tempfile::TempDir, file: &str) -> String {
    std::fs::read_to_string(dir.path().join("out").join(file)).expect(file)
}

// 1990: kept tokens nuclear x5, weapon x5, self, determin, stanbul, internet = 14.
// "İT" lowercases (whole text) to i + U+0307 + t: a combining mark splits, and
// "i", "t" are too short, so it adds nothing; lowercased word by word it would
// be one 3-character kept token. "the" is a stopword; "notes.txt" has no year.
const FILES: &[(&str, &str)] = &[
    (
        "AAA_45_1990.txt",
        "\u{feff}Nuclear weapons nuclear weapons nuclear weapons nuclear weapons nuclear weapons.\n\
         Self-determination, the \u{130}stanbul \u{130}T Internet.",
    ),
    (
        "BBB_46_1991.txt",
        "Mercenaries mercenary mercenaries, mercenaries; mercenary.",
    ),
    (
        "notes.txt",
        "Nuclear weapons nuclear weapons nuclear weapons.",
    ),
];

#[test]
fn reference_tables_match_the_hand_count() {
    let dir = run_reference(FILES, &["--no-charts"]);
    assert_eq!(
        read(&dir, "reference/term_counts.csv"),
        "year,term,count,per_1000\n\
         1990,nuclear,5,357.142857\n\
         1990,weapon,5,357.142857\n\
         1991,mercenari,5,1000.000000\n"
    );
    assert_eq!(
        read(&dir, "reference/theme_scores.csv"),
        "year,theme,hits,per_1000\n\
         1990,climate,0,0.000000\n\
         1990,cyber,1,71.428571\n\
         1990,decolonization,1,71.428571\n\
         1990,development,0,0.000000\n\
         1990,mercenaries,0,0.000000\n\
         1990,nuclear,5,357.142857\n\
         1990,terrorism,0,0.000000\n\
         1991,climate,0,0.000000\n\
         1991,cyber,0,0.000000\n\
         1991,decolonization,0,0.000000\n\
         1991,development,0,0.000000\n\
         1991,mercenaries,5,1000.000000\n\
         1991,nuclear,0,0.000000\n\
         1991,terrorism,0,0.000000\n"
    );
    // Only what the peers write: the contract tables are neither computed nor written.
    let out = dir.path().join("out");
    for table in [
        "theme_scores.csv",
        "documents.csv",
        "keyness.csv",
        "theme_matches.csv",
    ] {
        assert!(!out.join(table).exists(), "{table} written");
    }
}

#[test]
fn reference_tables_do_not_depend_on_the_thread_count() {
    let one = run_reference(FILES, &["--no-charts"]);
    let mut files = FILES.to_vec();
    // More statements than threads, so the workers really split them.
    let copies: Vec<(String, &str)> = (0..40)
        .map(|i| (format!("C{i:02}_50_{}.txt", 1990 + i % 3), FILES[i % 2].1))
        .collect();
    files.extend(copies.iter().map(|(n, t)| (n.as_str(), *t)));
    let a = run_reference_threads(&files, "1");
    let b = run_reference_threads(&files, "2");
    for f in ["reference/term_counts.csv", "reference/theme_scores.csv"] {
        assert_eq!(read(&a, f), read(&b, f), "{f}");
    }
    assert_ne!(
        read(&one, "reference/term_counts.csv"),
        read(&a, "reference/term_counts.csv")
    );
}

fn run_reference_threads(files: &[(&str, &str)], threads: &str) -> tempfile::TempDir {
    run_reference_env(files, &["--no-charts"], Some(threads))
}
