//! End-to-end: statements as the unit of work. Reruns count unchanged statements from their
//! stored records yet equal clean runs; shards merged equal one run byte for byte; partials
//! that do not make one complete set are refused, naming the files; the deploy files parse and
//! run the same commands as N local processes.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

fn run_json(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap()
}

fn code(out: &Output) -> Option<i32> {
    out.status.code()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A clean run (no cache) of the same input into a folder of its own.
fn clean_run(dir: &Path, config: &str, extra: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let name = "clean-reference";
    let _ = std::fs::remove_dir_all(dir.join(name));
    let mut args = vec!["run", "--config", config, "--output", name, "--no-cache"];
    args.extend_from_slice(extra);
    assert_ok(&run_in(dir, &args));
    snapshot(&dir.join(name))
}

/// Runs shards 1..=n (each its own process, `extra` flags added) and merges them into `out`.
fn shard_and_merge(dir: &Path, config: &str, n: u32, extra: &[&str], out: &str) -> Output {
    let parts = format!("parts-{n}");
    let mut partials = Vec::new();
    for k in 1..=n {
        let partial = format!("{parts}/p{k}.bin");
        let shard = format!("{k}/{n}");
        let mut args = vec![
            "run",
            "--config",
            config,
            "--shard",
            &shard,
            "--partial",
            &partial,
        ];
        args.extend_from_slice(extra);
        assert_ok(&run_in(dir, &args));
        partials.push(partial);
    }
    let mut args = vec!["merge"];
    args.extend(partials.iter().map(String::as_str));
    args.extend(["--config", config, "--output", out]);
    run_in(dir, &args)
}

/// `run --config config.toml --shard SPEC --partial PATH` in `d`.
fn shard(d: &Path, spec: &str, partial: &str) -> Output {
    run_in(
        d,
        &[
            "run",
            "--config",
            "config.toml",
            "--shard",
            spec,
            "--partial",
            partial,
        ],
    )
}

/// Every `.rec` statement record in the cache beside `out`.
fn records(d: &Path) -> Vec<PathBuf> {
    cache_files(d, "rec")
}

#[test]
fn reruns_count_unchanged_statements_from_records_and_equal_clean_runs() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    let args = ["run", "--config", "config.toml", "--output", "out"];
    assert_ok(&run_in(d, &args));
    let first = run_json(&d.join("out"));
    assert_eq!(first["statements"]["counted_from_records"], 0);
    assert_eq!(records(d).len(), 2);

    // Added: only the new statement is analysed.
    std::fs::write(
        d.join("input/c.txt"),
        "Capacity building against spyware protects critical infrastructure. Rule of law.",
    )
    .unwrap();
    assert_ok(&run_in(d, &args));
    let rerun = run_json(&d.join("out"));
    assert_eq!(rerun["statements"]["counted"], 3);
    assert_eq!(rerun["statements"]["counted_from_records"], 2);
    assert_eq!(snapshot(&d.join("out")), clean_run(d, "config.toml", &[]));

    // Edited: the edited statement is analysed again, the others are not.
    let b = std::fs::read_to_string(d.join("input/b.txt")).unwrap();
    std::fs::write(
        d.join("input/b.txt"),
        format!("{b}\nSpyware, again spyware.\n"),
    )
    .unwrap();
    assert_ok(&run_in(d, &args));
    assert_eq!(
        run_json(&d.join("out"))["statements"]["counted_from_records"],
        2
    );
    assert_eq!(snapshot(&d.join("out")), clean_run(d, "config.toml", &[]));

    // Removed: what is left is summed from records; the pruned cache keeps only their records.
    std::fs::remove_file(d.join("input/c.txt")).unwrap();
    assert_ok(&run_in(d, &args));
    assert_eq!(
        run_json(&d.join("out"))["statements"]["counted_from_records"],
        2
    );
    assert_eq!(snapshot(&d.join("out")), clean_run(d, "config.toml", &[]));
    assert_eq!(records(d).len(), 2);

    // Dictionary edits, the hit rule and the context width are not in a record's key: every
    // statement is re-matched from its record (nothing read, nothing tokenized), the records
    // stay as they are, and the outputs equal a clean run's.
    let stored: Vec<Vec<u8>> = records(d)
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    let edits: [(&str, &str, &str); 5] = [
        (
            "edited theme",
            "themes.toml",
            "[[theme]]\nname = \"Spyware\"\npatterns = [\"spyware\", \"rule of law\"]\n",
        ),
        (
            "added theme",
            "themes.toml",
            "[[theme]]\nname = \"Spyware\"\npatterns = [\"spyware\", \"rule of law\"]\n\
             [[theme]]\nname = \"Infrastructure\"\npatterns = [\"critical infrastructure\", \"infra*\"]\n",
        ),
        (
            "removed pattern",
            "themes.toml",
            "[[theme]]\nname = \"Spyware\"\npatterns = [\"spyware\"]\n\
             [[theme]]\nname = \"Infrastructure\"\npatterns = [\"critical infrastructure\", \"infra*\"]\n",
        ),
        (
            "hit rule",
            "config.toml",
            "[input]\ndir = \"input\"\n[output]\nexcel_compatible = false\n\
             [themes]\nfile = \"themes.toml\"\nhit_rule = \"match-starts\"\n",
        ),
        (
            "context width and no collocations",
            "config.toml",
            "[input]\ndir = \"input\"\n[output]\nexcel_compatible = false\n\
             [themes]\nfile = \"themes.toml\"\n[evidence]\ncontext_words = 3\ncollocations = false\n",
        ),
    ];
    for (what, file, text) in edits {
        std::fs::write(d.join(file), text).unwrap();
        assert_ok(&run_in(d, &args));
        let edited = run_json(&d.join("out"));
        let statements = &edited["statements"];
        assert_eq!(statements["counted_from_records"], 2, "{what}");
        assert_eq!(
            statements["analysed"], 0,
            "{what}: nothing is tokenized again"
        );
        assert_eq!(statements["read"], 0, "{what}: readings are still reused");
        assert_eq!(
            snapshot(&d.join("out")),
            clean_run(d, "config.toml", &[]),
            "{what}"
        );
        let now: Vec<Vec<u8>> = records(d)
            .iter()
            .map(|p| std::fs::read(p).unwrap())
            .collect();
        assert_eq!(
            now, stored,
            "{what}: records are neither rewritten nor added"
        );
    }
    // Themes do hit in these texts (the comparisons above are not between empty tables).
    let scores = std::fs::read_to_string(d.join("out/theme_matches.csv")).unwrap();
    assert!(scores.lines().count() > 2, "{scores}");
    // An edit that changes how the text is cut (the stopwords) makes new records.
    let cfg = std::fs::read_to_string(d.join("config.toml")).unwrap();
    std::fs::write(
        d.join("config.toml"),
        format!("{cfg}[analysis]\nstopwords_add = [\"threaten\"]\n"),
    )
    .unwrap();
    assert_ok(&run_in(d, &args));
    let restopped = run_json(&d.join("out"));
    assert_eq!(restopped["statements"]["counted_from_records"], 0);
    assert_eq!(restopped["statements"]["analysed"], 2);
    assert_eq!(snapshot(&d.join("out")), clean_run(d, "config.toml", &[]));
}

#[test]
fn corrupt_and_truncated_records_are_reported_and_recomputed() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    let args = ["run", "--config", "config.toml", "--output", "out"];
    assert_ok(&run_in(d, &args));
    let reference = snapshot(&d.join("out"));
    let recs = records(d);
    assert_eq!(recs.len(), 2);
    let bytes = std::fs::read(&recs[0]).unwrap();
    std::fs::write(&recs[0], &bytes[..bytes.len() / 2]).unwrap();
    let mut bytes = std::fs::read(&recs[1]).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 0x20;
    std::fs::write(&recs[1], &bytes).unwrap();

    let out = run_in(d, &args);
    assert_ok(&out);
    let err = stderr(&out);
    assert_eq!(err.matches("is corrupt").count(), 2, "{err}");
    assert!(
        err.contains("truncated") && err.contains("checksum"),
        "{err}"
    );
    let record = run_json(&d.join("out"));
    assert_eq!(record["statements"]["counted_from_records"], 0);
    assert_eq!(record["cache"]["warnings"].as_array().unwrap().len(), 2);
    assert_eq!(snapshot(&d.join("out")), reference);
    // Stored again, sound.
    assert_ok(&run_in(d, &args));
    assert_eq!(
        run_json(&d.join("out"))["statements"]["counted_from_records"],
        2
    );
}

/// Fixtures with a config of their own, plus the formats folder (PDF, DOCX, HTML, Markdown,
/// failed extractions) with one written for it.
fn fixture_dirs() -> Vec<(&'static str, tempfile::TempDir)> {
    let mut out = Vec::new();
    for name in ["nasty", "handcount", "metadata"] {
        out.push((name, workdir_with(name)));
    }
    let formats = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("tests/fixtures/formats"),
        &formats.path().join("in"),
    );
    std::fs::write(
        formats.path().join("config.toml"),
        "[input]\ndir = \"in\"\n[output]\nexcel_compatible = false\nmin_count = 1\n\
         [themes]\nfile = \"themes.toml\"\n[metadata]\nmanifest = \"\"\n",
    )
    .unwrap();
    std::fs::write(
        formats.path().join("themes.toml"),
        "[[theme]]\nname = \"Capacity\"\npatterns = [\"capacity\", \"multi-stakeholder\"]\n",
    )
    .unwrap();
    out.push(("formats", formats));
    // Six statements in six languages: each shard carries every language's counts it met.
    let multilingual = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples/multilingual"), multilingual.path());
    std::fs::copy(
        multilingual.path().join("topictrends.toml"),
        multilingual.path().join("config.toml"),
    )
    .unwrap();
    out.push(("multilingual", multilingual));
    out
}

#[test]
fn merged_shards_equal_one_run_for_1_3_and_7_shards_on_the_fixtures() {
    for (name, dir) in fixture_dirs() {
        let d = dir.path();
        let one = clean_run(d, "config.toml", &[]);
        for n in [1, 3, 7] {
            // Odd shard counts with the cache, even without: records and fresh analysis mix.
            let extra: &[&str] = if n == 3 { &["--no-cache"] } else { &[] };
            let out = format!("merged-{n}");
            let merged = shard_and_merge(d, "config.toml", n, extra, &out);
            assert_ok(&merged);
            assert_eq!(
                snapshot(&d.join(&out)),
                one,
                "{name}: {n} shards merged differ from one run"
            );
            // The merge's record: no input folder of its own, its own stage times.
            let record = run_json(&d.join(&out));
            assert_eq!(record["input"]["dir"], serde_json::Value::Null);
            let stages = &record["stages"];
            assert_eq!(stages["discover_ms"], 0.0);
            assert_ne!(stages["setup_ms"], stages["read_analyze_ms"], "{stages}");
            assert!(
                stderr(&merged).contains(&format!("by the shards of {n} partial file")),
                "{}",
                stderr(&merged)
            );
        }
    }
}

/// Shards run with `--forum` merge with the same `--forum`, equal to one run with it; without
/// it the merge is refused, and the message names `--forum`.
#[test]
fn shards_of_one_forum_merge_with_that_forum() {
    let statements: Vec<(String, String)> = (1..=6)
        .map(|i| {
            (
                format!("s{i}.md"),
                format!(
                    "---\ndate: 2024-0{i}-01\nforum: F{}\n---\nWe discuss capacity building and norms {i}.\n",
                    i % 2
                ),
            )
        })
        .collect();
    let statements: Vec<(&str, &str)> = (statements.iter())
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let dir = small_job_with(
        &statements,
        "",
        "[[theme]]\nname = \"Capacity\"\npatterns = [\"capacity building\"]\n",
        "[charts]\nenabled = false\n",
    );
    let d = dir.path();
    let one = clean_run(d, "config.toml", &["--forum", "F1"]);
    let refused = shard_and_merge(d, "config.toml", 2, &["--forum", "F1"], "merged");
    assert_eq!(code(&refused), Some(3), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("--forum"), "{}", stderr(&refused));
    let merged = run_in(
        d,
        &[
            "merge",
            "parts-2/p1.bin",
            "parts-2/p2.bin",
            "--config",
            "config.toml",
            "--forum",
            "F1",
            "--output",
            "merged",
        ],
    );
    assert_ok(&merged);
    assert_eq!(snapshot(&d.join("merged")), one);
    let docs = read_csv(&d.join("merged/documents.csv"));
    assert_eq!(docs.len(), 3, "{docs:?}");
    assert!(docs.iter().all(|r| r["forum"] == "F1"), "{docs:?}");
}

#[test]
fn merged_shards_equal_one_run_on_the_general_debate_slice() {
    let Some(shared) = shared_or_skip("merged_shards_equal_one_run_on_the_general_debate_slice")
    else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("config/examples")).unwrap();
    std::fs::copy(
        repo().join("config/examples/ungd-by-year.toml"),
        d.join("config/examples/ungd-by-year.toml"),
    )
    .unwrap();
    std::fs::copy(
        repo().join("config/themes.toml"),
        d.join("config/themes.toml"),
    )
    .unwrap();
    let corpus = shared.join("corpora/ungdc-1990-2004");
    let corpus = corpus.to_str().unwrap();
    let config = "config/examples/ungd-by-year.toml";
    let input = ["--input", corpus, "--no-excel"];
    let one = clean_run(d, config, &input);
    assert!(one.contains_key("documents.csv"));
    for n in [1, 3, 7] {
        let out = format!("merged-{n}");
        let mut args = vec!["--no-cache"];
        args.extend_from_slice(&input[..2]);
        let parts = format!("parts-{n}");
        let mut partials = Vec::new();
        for k in 1..=n {
            let partial = format!("{parts}/p{k}.bin");
            let shard = format!("{k}/{n}");
            let mut a = vec!["run", "--config", config, "--shard", &shard];
            a.extend(["--partial", &partial]);
            a.extend_from_slice(&args);
            assert_ok(&run_in(d, &a));
            partials.push(partial);
        }
        let mut a = vec!["merge"];
        a.extend(partials.iter().map(String::as_str));
        a.extend(["--config", config, "--output", &out, "--no-excel"]);
        assert_ok(&run_in(d, &a));
        assert!(
            snapshot(&d.join(&out)) == one,
            "{n} shards merged differ from one run on the General Debate slice"
        );
    }
}

#[test]
fn partials_that_do_not_make_one_complete_set_are_refused() {
    let dir = workdir_with("nasty");
    let d = dir.path();
    assert_ok(&shard_and_merge(d, "config.toml", 3, &[], "merged"));
    let p = |k: u32| format!("parts-3/p{k}.bin");
    let merge = |parts: &[&str], config: &str| {
        let mut args = vec!["merge"];
        args.extend_from_slice(parts);
        args.extend(["--config", config, "--output", "refused"]);
        run_in(d, &args)
    };
    let refused = |out: &Output, code_wanted: i32, names: &[&str], what: &str| {
        assert_eq!(code(out), Some(code_wanted), "{}", stderr(out));
        let err = stderr(out);
        for n in names {
            assert!(err.contains(n), "{what}: {n} not named in: {err}");
        }
        assert!(!d.join("refused").exists(), "{what}: an output was written");
    };
    let (p1, p2, p3) = (p(1), p(2), p(3));

    // A shard missing, and one given twice.
    let out = merge(&[&p1, &p2], "config.toml");
    refused(&out, 4, &["3/3 missing", &p1, &p2], "missing shard");
    let out = merge(&[&p1, &p2, &p2, &p3], "config.toml");
    refused(&out, 4, &["given twice", &p2], "duplicate shard");

    // A partial of another split.
    assert_ok(&shard(d, "1/2", "other/q1.bin"));
    let out = merge(&[&p1, "other/q1.bin", &p3], "config.toml");
    refused(&out, 4, &[&p1, "other/q1.bin", "parts"], "another split");

    // Truncated and corrupt partials.
    let bytes = std::fs::read(d.join(&p2)).unwrap();
    std::fs::write(d.join("truncated.bin"), &bytes[..bytes.len() - 5]).unwrap();
    let out = merge(&[&p1, "truncated.bin", &p3], "config.toml");
    refused(
        &out,
        4,
        &["truncated.bin", "truncated"],
        "truncated partial",
    );
    let mut bad = bytes.clone();
    let mid = bad.len() / 2 + 40;
    bad[mid] ^= 0x01;
    std::fs::write(d.join("corrupt.bin"), &bad).unwrap();
    let out = merge(&[&p1, "corrupt.bin", &p3], "config.toml");
    refused(&out, 4, &["corrupt.bin", "checksum"], "corrupt partial");
    // Damage to the analysis fingerprint in the header (outside the payload's checksum) is
    // damage, not "made with other settings": exit 4 alone or with the others.
    let mut bad_key = bytes.clone();
    bad_key[20] ^= 0xFF;
    std::fs::write(d.join("bad-key.bin"), &bad_key).unwrap();
    let out = merge(&[&p1, "bad-key.bin", &p3], "config.toml");
    refused(&out, 4, &["bad-key.bin", "checksum"], "damaged header key");
    let out = merge(&["bad-key.bin"], "config.toml");
    refused(
        &out,
        4,
        &["bad-key.bin", "checksum"],
        "damaged header key alone",
    );
    std::fs::write(d.join("notes.bin"), "not a partial at all, just text").unwrap();
    let out = merge(&[&p1, &p2, "notes.bin"], "config.toml");
    refused(&out, 4, &["notes.bin"], "foreign file");

    // Another theme dictionary: shards that disagree, and a merge config that disagrees.
    let themes = std::fs::read_to_string(d.join("themes.toml")).unwrap();
    std::fs::write(
        d.join("themes.toml"),
        format!("{themes}\n[[theme]]\nname = \"Extra\"\npatterns = [\"extra\"]\n"),
    )
    .unwrap();
    assert_ok(&shard(d, "3/3", "new/p3.bin"));
    let out = merge(&[&p1, &p2, "new/p3.bin"], "config.toml");
    refused(
        &out,
        4,
        &[&p1, "new/p3.bin", "analysis settings"],
        "mixed dictionaries",
    );
    let out = merge(&[&p1, &p2, &p3], "config.toml");
    refused(&out, 3, &["config.toml", "theme"], "merge config differs");
    std::fs::write(d.join("themes.toml"), themes).unwrap();

    // Metadata settings the shards applied cannot be changed at the merge: another grouping.
    let config = std::fs::read_to_string(d.join("config.toml")).unwrap();
    std::fs::write(
        d.join("by-year.toml"),
        config.replace("[metadata]\n", "[metadata]\ngroup_by = \"year\"\n"),
    )
    .unwrap();
    let out = merge(&[&p1, &p2, &p3], "by-year.toml");
    refused(
        &out,
        3,
        &["group_by", "another config"],
        "merge grouping differs",
    );

    // Another input: a statement added after some shards ran.
    std::fs::write(d.join("input/late.txt"), "Session 9\n\nA late statement.").unwrap();
    assert_ok(&shard(d, "2/3", "late/p2.bin"));
    let out = merge(&[&p1, "late/p2.bin", &p3], "config.toml");
    refused(
        &out,
        4,
        &["late/p2.bin", "different input"],
        "changed input",
    );
    // The original set still merges.
    std::fs::remove_file(d.join("input/late.txt")).unwrap();
    assert_ok(&merge(&[&p3, &p1, &p2], "config.toml"));

    // A partial inside the output folder would be deleted by publishing: refused (exit 5).
    std::fs::copy(d.join(&p1), d.join("merged/p1.bin")).unwrap();
    let out = run_in(
        d,
        &[
            "merge",
            &p2,
            &p3,
            "merged/p1.bin",
            "--config",
            "config.toml",
            "--output",
            "merged",
        ],
    );
    assert_eq!(code(&out), Some(5), "{}", stderr(&out));
    assert!(stderr(&out).contains("merged/p1.bin: the partial file lies inside the output folder"));
    assert!(d.join("merged/p1.bin").exists(), "the partial is kept");
}

#[test]
fn a_shard_lists_its_warnings_by_file_as_a_run_does() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    for i in 0..40 {
        std::fs::write(d.join(format!("input/empty{i:02}.txt")), "").unwrap();
    }
    let out = run_in(
        d,
        &[
            "-j",
            "4",
            "run",
            "--config",
            "config.toml",
            "--shard",
            "1/1",
            "--partial",
            "p.part",
            "--no-cache",
        ],
    );
    assert_eq!(code(&out), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    let files: Vec<&str> = (err.lines())
        .filter(|l| l.contains("empty statement"))
        .filter_map(|l| l.split(": ").nth(2))
        .collect();
    assert_eq!(files.len(), 40, "{err}");
    let mut sorted = files.clone();
    sorted.sort_unstable();
    assert_eq!(files, sorted, "warnings in file order");
}

#[test]
fn shard_flags_are_checked() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    for bad in ["0/3", "4/3", "3", "x/y"] {
        let out = run_in(
            d,
            &[
                "run",
                "--config",
                "config.toml",
                "--shard",
                bad,
                "--partial",
                "p.bin",
            ],
        );
        assert_eq!(code(&out), Some(2), "{bad}: {}", stderr(&out));
    }
    let out = run_in(d, &["run", "--config", "config.toml", "--shard", "1/2"]);
    assert_eq!(code(&out), Some(2), "--shard without --partial");
}

#[test]
fn a_partial_is_never_written_over_or_into_what_it_must_not() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    let shard_to = |partial: &str| shard(d, "1/2", partial);
    let statement = std::fs::read_dir(d.join("input"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .find(|n| n.ends_with(".txt"))
        .unwrap();
    std::fs::create_dir_all(d.join("output")).unwrap();
    std::fs::write(d.join("output/documents.csv"), "doc_id\n").unwrap();
    std::fs::write(d.join("notes.txt"), "my notes").unwrap();
    let cases = [
        (
            format!("input/{statement}"),
            "over or inside",
            "inside the input folder",
        ),
        (
            "input/p.bin".to_string(),
            "inside the input folder",
            "inside the input folder",
        ),
        (
            "themes.toml".to_string(),
            "the theme dictionary",
            "over the theme dictionary",
        ),
        (
            "config.toml".to_string(),
            "the config file",
            "over the config file",
        ),
        (
            "output/documents.csv".to_string(),
            "the output folder",
            "inside the output folder",
        ),
        (
            "notes.txt".to_string(),
            "not a partial file",
            "not a partial file",
        ),
        (
            "input".to_string(),
            "the input folder",
            "over the input folder",
        ),
    ];
    for (path, _, said) in &cases {
        let before = std::fs::read(d.join(path)).ok();
        let out = shard_to(path);
        assert_eq!(code(&out), Some(5), "{path}: {}", stderr(&out));
        let err = stderr(&out);
        assert!(
            err.contains(path.as_str()) && err.contains(said),
            "{path}: {err}"
        );
        assert_eq!(
            std::fs::read(d.join(path)).ok(),
            before,
            "{path} was changed"
        );
    }
    // An earlier partial is replaced; a new file is written.
    assert_ok(&shard_to("parts/p1.bin"));
    assert_ok(&shard_to("parts/p1.bin"));
}

// ---- deploy files --------------------------------------------------------------------------

fn deploy() -> PathBuf {
    repo().join("docs/deploy")
}

/// A project folder laid out as the deploy files expect (`init --example`, plus the nasty
/// fixture's statements for more than two).
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    assert_ok(&run_in(d, &["init", ".", "--example"]));
    for f in [
        "plain.txt",
        "curly-quotes.txt",
        "ligatures.txt",
        "hyphenation.txt",
    ] {
        std::fs::copy(
            repo().join("tests/fixtures/nasty/input").join(f),
            d.join("input").join(f),
        )
        .unwrap();
    }
    dir
}

/// PATH with the built binary first, as `topictrends` is on PATH in the image.
fn path_with_binary() -> std::ffi::OsString {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_topictrends"));
    let mut paths = vec![bin.parent().unwrap().to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).unwrap()
}

fn yaml_docs(file: &str) -> Vec<yaml_rust2::Yaml> {
    let text = std::fs::read_to_string(deploy().join(file)).unwrap();
    yaml_rust2::YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"))
}

/// The Job in a YAML file, and its container's shell command line.
fn job_command(docs: &[yaml_rust2::Yaml]) -> (&yaml_rust2::Yaml, String) {
    let job = docs
        .iter()
        .find(|d| d["kind"].as_str() == Some("Job"))
        .expect("a Job");
    let c = &job["spec"]["template"]["spec"]["containers"][0];
    let command: Vec<&str> = c["command"]
        .as_vec()
        .unwrap()
        .iter()
        .map(|y| y.as_str().unwrap())
        .collect();
    assert_eq!(command, ["/bin/sh", "-c"]);
    assert_eq!(c["workingDir"].as_str(), Some("/data"));
    (job, c["args"][0].as_str().unwrap().to_string())
}

fn sh(dir: &Path, script: &str, env: &[(&str, String)]) -> std::process::Child {
    let mut cmd = Command::new("sh");
    cmd.current_dir(dir)
        .args(["-c", script])
        .env("PATH", path_with_binary());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().unwrap()
}

#[test]
fn the_kubernetes_jobs_run_as_local_processes_equal_one_run() {
    let shards_docs = yaml_docs("kubernetes/topictrends-shards.yaml");
    let merge_docs = yaml_docs("kubernetes/topictrends-merge.yaml");
    let (job, shard_cmd) = job_command(&shards_docs);
    assert_eq!(job["spec"]["completionMode"].as_str(), Some("Indexed"));
    let n = job["spec"]["completions"].as_i64().unwrap();
    assert!(shard_cmd.contains(&format!("/{n}\"")), "{shard_cmd}");
    assert!(shard_cmd.contains("JOB_COMPLETION_INDEX"), "{shard_cmd}");
    let (_, merge_cmd) = job_command(&merge_docs);
    let claim = |docs: &[yaml_rust2::Yaml]| {
        let (job, _) = job_command(docs);
        job["spec"]["template"]["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"]
            .as_str()
            .map(str::to_string)
    };
    assert_eq!(claim(&shards_docs), claim(&merge_docs), "one shared volume");

    let dir = project();
    let d = dir.path();
    // The N pods at once, each with its completion index.
    let pods: Vec<_> = (0..n)
        .map(|i| sh(d, &shard_cmd, &[("JOB_COMPLETION_INDEX", i.to_string())]))
        .collect();
    for mut p in pods {
        assert!(p.wait().unwrap().success());
    }
    assert!(sh(d, &merge_cmd, &[]).wait().unwrap().success());
    assert_eq!(
        snapshot(&d.join("output")),
        clean_run(d, "config/topictrends.toml", &[])
    );
}

#[test]
fn the_slurm_scripts_parse_and_run_as_local_processes_equal_one_run() {
    let slurm = deploy().join("slurm");
    for f in ["shards.sbatch", "merge.sbatch", "submit.sh"] {
        let out = Command::new("bash")
            .arg("-n")
            .arg(slurm.join(f))
            .output()
            .unwrap();
        assert!(out.status.success(), "{f}: {}", stderr(&out));
    }
    let shards = std::fs::read_to_string(slurm.join("shards.sbatch")).unwrap();
    let array = shards
        .lines()
        .find_map(|l| l.strip_prefix("#SBATCH --array=0-"))
        .expect("an --array line");
    let n: u32 = array.trim().parse::<u32>().unwrap() + 1;
    assert!(
        shards.contains(&format!("/{n}")),
        "array and shard count agree"
    );

    let dir = project();
    let d = dir.path();
    let bash = |script: &str, env: &[(&str, String)]| {
        let mut cmd = Command::new("bash");
        cmd.current_dir(d)
            .arg(slurm.join(script))
            .env("PATH", path_with_binary());
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.spawn().unwrap()
    };
    let tasks: Vec<_> = (0..n)
        .map(|i| bash("shards.sbatch", &[("SLURM_ARRAY_TASK_ID", i.to_string())]))
        .collect();
    for mut t in tasks {
        assert!(t.wait().unwrap().success());
    }
    assert!(bash("merge.sbatch", &[]).wait().unwrap().success());
    assert_eq!(
        snapshot(&d.join("output")),
        clean_run(d, "config/topictrends.toml", &[])
    );

    // submit.sh queues the merge after the whole array (a stand-in sbatch records the calls).
    let fake = tempfile::tempdir().unwrap();
    let log = fake.path().join("calls");
    std::fs::write(
        fake.path().join("sbatch"),
        format!(
            "#!/bin/sh\necho \"$@\" >> '{}'\necho '4242;cluster'\n",
            log.display()
        ),
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            fake.path().join("sbatch"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
    let mut paths = vec![fake.path().to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let out = Command::new("bash")
        .current_dir(d)
        .arg(slurm.join("submit.sh"))
        .env("PATH", std::env::join_paths(paths).unwrap())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let calls = std::fs::read_to_string(&log).unwrap();
    let calls: Vec<&str> = calls.lines().collect();
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(calls[0].contains("--parsable") && calls[0].ends_with("shards.sbatch"));
    assert!(calls[1].contains("--dependency=afterok:4242") && calls[1].ends_with("merge.sbatch"));
}

/// With Chinese as the default language the dictionary's pattern words join the segmenter's
/// word list, so they are part of a record's key: a theme renamed (same pattern words) reuses
/// every record; a pattern with a new word re-cuts the statements into new records. Either way
/// the outputs equal a clean run.
#[test]
fn chinese_records_follow_the_pattern_words_that_cut_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("input")).unwrap();
    std::fs::write(
        d.join("input/2024-07-08_a.txt"),
        "网络雇佣军和商业间谍软件威胁所有国家的安全。我们必须保护关键基础设施。\n",
    )
    .unwrap();
    std::fs::write(
        d.join("input/2024-12-02_b.txt"),
        "能力建设和技术援助对发展中国家很重要。商业间谍活动破坏信任。\n",
    )
    .unwrap();
    std::fs::write(
        d.join("config.toml"),
        "[input]\ndir = \"input\"\n[output]\nexcel_compatible = false\n\
         [analysis]\nlanguage = \"zh\"\n[themes]\nfile = \"themes.toml\"\n",
    )
    .unwrap();
    let themes = |name: &str, patterns: &str| {
        std::fs::write(
            d.join("themes.toml"),
            format!("[[theme]]\nname = \"{name}\"\npatterns = [{patterns}]\n"),
        )
        .unwrap();
    };
    let args = ["run", "--config", "config.toml", "--output", "out"];
    themes("雇佣军", "\"雇佣军\", \"间谍软件\"");
    assert_ok(&run_in(d, &args));
    assert_eq!(run_json(&d.join("out"))["statements"]["analysed"], 2);
    let stored: Vec<Vec<u8>> = records(d)
        .iter()
        .map(|p| std::fs::read(p).unwrap())
        .collect();
    assert_eq!(stored.len(), 2);

    // Renamed, same pattern words: counted from the records, which stay as they were.
    themes("Cyber mercenaries", "\"雇佣军\", \"间谍软件\"");
    assert_ok(&run_in(d, &args));
    let renamed = run_json(&d.join("out"));
    assert_eq!(renamed["statements"]["counted_from_records"], 2);
    assert_eq!(renamed["statements"]["analysed"], 0);
    assert_eq!(snapshot(&d.join("out")), clean_run(d, "config.toml", &[]));
    let matches = std::fs::read_to_string(d.join("out/theme_matches.csv")).unwrap();
    assert!(matches.contains("雇佣军"), "{matches}");

    // A pattern with a word the segmenter did not know (商业间谍, commercial espionage): the
    // text is cut again, so every statement is analysed into a new record.
    themes(
        "Cyber mercenaries",
        "\"雇佣军\", \"间谍软件\", \"商业间谍\"",
    );
    assert_ok(&run_in(d, &args));
    let recut = run_json(&d.join("out"));
    assert_eq!(recut["statements"]["counted_from_records"], 0);
    assert_eq!(recut["statements"]["analysed"], 2);
    assert_eq!(snapshot(&d.join("out")), clean_run(d, "config.toml", &[]));
    let matches = std::fs::read_to_string(d.join("out/theme_matches.csv")).unwrap();
    assert!(matches.contains("商业间谍"), "{matches}");
}

#[test]
fn shards_share_the_cache_and_keep_clean_and_runs_out() {
    use topictrends::write::lock::RunLock;
    let dir = workdir_with("handcount");
    let d = dir.path();
    let out = d.join("output");
    // While a shard (a shared holder) uses the cache, clean and a run wait: exit 6.
    let shard_like = RunLock::acquire_shared(&out).unwrap();
    let clean = run_in(d, &["clean", "--config", "config.toml"]);
    assert_eq!(code(&clean), Some(6), "{}", stderr(&clean));
    assert!(stderr(&clean).contains("shard run"), "{}", stderr(&clean));
    let run = run_in(d, &["run", "--config", "config.toml", "--no-charts"]);
    assert_eq!(code(&run), Some(6), "{}", stderr(&run));
    // Other shards share it.
    assert_ok(&shard(d, "1/2", "p1.part"));
    drop(shard_like);
    // While a run (the one holder) has it, a shard with the cache waits; without, it need not.
    let run_like = RunLock::acquire(&out).unwrap();
    assert_eq!(code(&shard(d, "2/2", "p2.part")), Some(6));
    let uncached = run_in(
        d,
        &[
            "run",
            "--config",
            "config.toml",
            "--shard",
            "2/2",
            "--partial",
            "p2.part",
            "--no-cache",
        ],
    );
    assert_ok(&uncached);
    drop(run_like);
}

/// Shards sharing the output's cache add their words to its stems file instead of replacing
/// it: after every shard has run, a whole run stems no word again.
#[test]
fn shards_sharing_a_cache_keep_each_others_stems() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    for k in 1..=2 {
        assert_ok(&shard(d, &format!("{k}/2"), &format!("parts/p{k}.bin")));
    }
    assert_ok(&run_in(d, &["run", "--config", "config.toml"]));
    let cache = &run_json(&d.join("output"))["cache"];
    assert!(cache["stems_known"].as_u64().unwrap() > 0, "{cache}");
    assert_eq!(cache["stems_new"], 0, "{cache}");
}
