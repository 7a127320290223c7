//! End-to-end: the binary on fixture folders in a temp dir, checked against counts worked out by hand.

mod common;

use common::*;

/// The hand-counted fixture (tests/fixtures/handcount):
/// a.txt "Cyber mercenaries threaten critical infrastructure. Mercenary groups sell spyware."
///   9 tokens, no stopwords: 9 kept. Mercenaries: mercenaries, Mercenary, spyware = 3 hits;
///   Critical infrastructure: 1 hit.
/// b.txt "The critical infrastructure of the State is critical. We build capacity, and capacity building matters."
///   15 tokens; the, of, the, is, we, and are stopwords: 9 kept.
///   Critical infrastructure: 1 hit (the second "critical" stands alone).
///   Capacity building: "capacity" (alone) + "capacity building" (longest match) = 2 hits.
#[test]
fn hand_counted_fixture() {
    let dir = workdir_with("handcount");
    let out = run_in(
        dir.path(),
        &["run", "--config", "config.toml", "--output", "out"],
    );
    assert_ok(&out);
    let o = dir.path().join("out");

    let docs = read_csv(&o.join("documents.csv"));
    assert_eq!(docs.len(), 2);
    let a = row(&docs, &[("file", "a.txt")]);
    assert_eq!(
        (a["tokens"].as_str(), a["kept_tokens"].as_str()),
        ("9", "9")
    );
    assert_eq!(a["session"], "1");
    assert_eq!(a["date"], "2024-01-10");
    assert_eq!(
        a["region"], "North",
        "extra manifest columns are carried through"
    );
    let b = row(&docs, &[("file", "b.txt")]);
    assert_eq!(
        (b["tokens"].as_str(), b["kept_tokens"].as_str()),
        ("15", "9")
    );

    let scores = read_csv(&o.join("theme_scores.csv"));
    assert_eq!(
        scores.len(),
        6,
        "every theme in every session, zeros included"
    );
    let expect = [
        ("Session 1", "Mercenaries", "3", "333.3333"),
        ("Session 1", "Critical infrastructure", "1", "111.1111"),
        ("Session 1", "Capacity building", "0", "0.0000"),
        ("Session 2", "Mercenaries", "0", "0.0000"),
        ("Session 2", "Critical infrastructure", "1", "111.1111"),
        ("Session 2", "Capacity building", "2", "222.2222"),
    ];
    for (i, (session, theme, hits, rate)) in expect.iter().enumerate() {
        let r = &scores[i];
        assert_eq!(
            (
                r["session"].as_str(),
                r["theme"].as_str(),
                r["hits"].as_str(),
                r["per_1000"].as_str()
            ),
            (*session, *theme, *hits, *rate),
            "row {i}"
        );
    }

    let terms = read_csv(&o.join("term_frequencies.csv"));
    let got: Vec<(&str, &str, &str, &str)> = terms
        .iter()
        .map(|r| {
            (
                r["session"].as_str(),
                r["term"].as_str(),
                r["display_term"].as_str(),
                r["count"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("Session 1", "mercenari", "mercenaries", "2"),
            ("Session 2", "build", "build", "2"),
            ("Session 2", "capac", "capacity", "2"),
            ("Session 2", "critic", "critical", "2"),
        ]
    );

    let matches = read_csv(&o.join("theme_matches.csv"));
    let texts: Vec<&str> = matches.iter().map(|r| r["matched_text"].as_str()).collect();
    assert_eq!(
        texts,
        [
            "mercenaries",
            "critical infrastructure",
            "Mercenary",
            "spyware",
            "critical infrastructure",
            "capacity",
            "capacity building"
        ]
    );
}

#[test]
fn csv_headers_are_the_contract() {
    let dir = workdir_with("handcount");
    assert_ok(&run_in(
        dir.path(),
        &["run", "--config", "config.toml", "--output", "out"],
    ));
    let o = dir.path().join("out");
    let starts = |file: &str, cols: &[&str]| {
        let h = csv_header(&o.join(file));
        assert_eq!(&h[..cols.len()], cols, "{file}");
    };
    starts(
        "documents.csv",
        &[
            "doc_id",
            "file",
            "session",
            "date",
            "speaker",
            "forum",
            "tokens",
            "kept_tokens",
        ],
    );
    starts(
        "term_frequencies.csv",
        &[
            "session",
            "term",
            "display_term",
            "count",
            "per_1000",
            "docs",
        ],
    );
    starts(
        "theme_scores.csv",
        &[
            "session",
            "theme",
            "hits",
            "per_1000",
            "docs_with_hits",
            "docs",
        ],
    );
    starts(
        "theme_matches.csv",
        &[
            "doc_id",
            "session",
            "theme",
            "pattern",
            "matched_text",
            "token_index",
        ],
    );
    starts("skipped.csv", &["file", "reason"]);
    let h = csv_header(&o.join("documents.csv"));
    for f in [
        "session_source",
        "date_source",
        "speaker_source",
        "forum_source",
    ] {
        assert!(h.iter().any(|c| c == f), "{f} in {h:?}");
    }
}

/// The audit trail: counting theme_matches.csv rows reproduces theme_scores.csv.
#[test]
fn theme_matches_reproduce_theme_scores_on_the_shipped_input() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let res = bin()
        .current_dir(repo())
        .args(["run", "--output"])
        .arg(&out)
        .output()
        .unwrap();
    assert_ok(&res);
    // The shipped input and dictionary run clean: a warning here would fail `--strict`.
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(err.contains(", 0 warnings;"), "{err}");
    let scores = read_csv(&out.join("theme_scores.csv"));
    let matches = read_csv(&out.join("theme_matches.csv"));
    for s in &scores {
        let n = matches
            .iter()
            .filter(|m| m["session"] == s["session"] && m["theme"] == s["theme"])
            .count();
        assert_eq!(
            n.to_string(),
            s["hits"],
            "{} / {}",
            s["session"],
            s["theme"]
        );
    }
}

/// The shipped input's theme scores are pinned (tests/golden/default_theme_scores.csv).
/// After a deliberate change to the analysis or the dictionary, regenerate with
/// `cargo run --release -- run --no-excel --output /tmp/o && cp /tmp/o/theme_scores.csv tests/golden/default_theme_scores.csv`.
#[test]
fn shipped_input_theme_scores_are_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    assert_ok(
        &bin()
            .current_dir(repo())
            .args(["run", "--no-excel", "--output"])
            .arg(&out)
            .output()
            .unwrap(),
    );
    let got = std::fs::read_to_string(out.join("theme_scores.csv")).unwrap();
    let want =
        std::fs::read_to_string(repo().join("tests/golden/default_theme_scores.csv")).unwrap();
    assert_eq!(got, want, "theme scores of the shipped input changed");
}

/// The shipped input gets its sessions and dates from the statements' headers when the manifest is gone.
#[test]
fn shipped_input_without_manifest_uses_headers() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    std::fs::create_dir(&input).unwrap();
    for e in std::fs::read_dir(repo().join("input")).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "txt") {
            std::fs::copy(&p, input.join(p.file_name().unwrap())).unwrap();
        }
    }
    let out = dir.path().join("out");
    let res = bin()
        .current_dir(repo())
        .args(["run", "--input"])
        .arg(&input)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert_ok(&res);
    let docs = read_csv(&out.join("documents.csv"));
    let got: Vec<(&str, &str, &str, &str, &str)> = docs
        .iter()
        .map(|d| {
            (
                d["session"].as_str(),
                d["date"].as_str(),
                d["speaker"].as_str(),
                d["forum"].as_str(),
                d["date_source"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("5", "2023-07-26", "Paris Peace Forum", "OEWG", "header"),
            ("7", "2024-03-06", "Paris Peace Forum", "OEWG", "header"),
        ]
    );
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let dir = workdir_with("handcount");
    let run = |threads: &str, out: &str| {
        let res = bin()
            .current_dir(dir.path())
            .env("RAYON_NUM_THREADS", threads)
            .args(["run", "--config", "config.toml", "--output", out])
            .output()
            .unwrap();
        assert_ok(&res);
        snapshot(&dir.path().join(out))
    };
    assert_eq!(run("1", "one"), run("4", "four"));
    // `--threads` (`-j`) says the same as the variable; `-v` reports the count and the stages.
    let res = bin()
        .current_dir(dir.path())
        .args([
            "-v",
            "-j",
            "3",
            "run",
            "--config",
            "config.toml",
            "--output",
            "three",
        ])
        .output()
        .unwrap();
    assert_ok(&res);
    let stderr = String::from_utf8_lossy(&res.stderr);
    assert!(
        stderr.contains("debug: stages: setup") && stderr.contains("(3 threads)"),
        "{stderr}"
    );
    assert!(stderr.contains("debug: cache: "), "{stderr}");
    assert_eq!(snapshot(&dir.path().join("three")), run("1", "one"));
    assert_eq!(
        run_in(dir.path(), &["-j", "0", "run"]).status.code(),
        Some(2)
    );
}

/// A run that fails on its input or dictionary leaves nothing behind: no output's parent
/// folders, lock or staging (with a shard's partial, the same).
#[test]
fn a_run_that_fails_before_reading_creates_nothing() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    std::fs::write(
        d.join("bad_themes.toml"),
        "[[theme]]\nname = \"A\"\npatterns = [\"cy*ber\"]\n",
    )
    .unwrap();
    std::fs::write(
        d.join("bad.toml"),
        std::fs::read_to_string(d.join("config.toml"))
            .unwrap()
            .replace("themes.toml", "bad_themes.toml"),
    )
    .unwrap();
    // A file where the output folder should be: refused before the lock is taken.
    std::fs::write(d.join("afile"), "x").unwrap();
    let before = snapshot(d);
    for (args, want) in [
        (
            &["run", "--config", "config.toml", "--output", "afile"][..],
            5,
        ),
        (
            &[
                "run",
                "--config",
                "config.toml",
                "--input",
                "nope",
                "--output",
                "new/deep/out",
            ][..],
            4,
        ),
        (
            &["run", "--config", "bad.toml", "--output", "new/deep/out"],
            3,
        ),
        (
            &[
                "run",
                "--config",
                "config.toml",
                "--input",
                "nope",
                "--output",
                "new/out",
                "--shard",
                "1/2",
                "--partial",
                "p.bin",
            ],
            4,
        ),
    ] {
        let out = run_in(d, args);
        assert_eq!(
            out.status.code(),
            Some(want),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(snapshot(d), before, "{args:?} left something behind");
        assert!(!d.join("new").exists(), "{args:?}");
    }
}

/// Statements found but none readable (a binary file, a scanned PDF) is exit 4, as an empty
/// folder is, and the last good output stays: empty tables must not replace it with exit 0.
#[test]
fn no_readable_statement_is_exit_4_and_keeps_the_output() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    assert_ok(&run_in(
        d,
        &["run", "--config", "config.toml", "--output", "out"],
    ));
    let before = snapshot(&d.join("out"));
    for f in std::fs::read_dir(d.join("input")).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "txt") {
            std::fs::write(&p, b"PK\0\0binary").unwrap();
        }
    }
    std::fs::write(d.join("input/scan.pdf"), b"%PDF-1.4\n%%EOF\n").unwrap();
    for args in [
        &["check", "--config", "config.toml"][..],
        &["run", "--config", "config.toml", "--output", "out"],
        &["kwic", "cyber", "--config", "config.toml"],
    ] {
        let command = args[0];
        let out = run_in(d, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(4), "{command}: {err}");
        assert!(
            err.contains("no statements found")
                && err.contains("a.txt (binary file")
                && err.contains("scan.pdf ("),
            "{command}: {err}"
        );
    }
    assert_eq!(snapshot(&d.join("out")), before);
}

/// An output path that is a symbolic link to nothing is refused with what it points to, by
/// `run` and `check` alike, and nothing is created.
#[cfg(unix)]
#[test]
fn a_dangling_link_as_the_output_is_named_as_one() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    std::os::unix::fs::symlink(d.join("gone/out"), d.join("out")).unwrap();
    // (`snapshot` would follow the link.)
    let names = || {
        let mut n: Vec<_> = (std::fs::read_dir(d).unwrap())
            .map(|e| e.unwrap().file_name())
            .collect();
        n.sort();
        n
    };
    let before = names();
    for command in ["run", "check"] {
        let out = run_in(d, &[command, "--config", "config.toml", "--output", "out"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(5), "{command}: {err}");
        assert!(
            err.contains("out: cannot write output: the output path is a symbolic link to ")
                && err.contains("gone/out, which does not exist"),
            "{command}: {err}"
        );
        assert_eq!(names(), before, "{command}");
        assert!(!d.join("gone").exists(), "{command}");
    }
}

#[test]
fn exit_codes_for_bad_config_missing_input_and_foreign_output() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    let code = |args: &[&str]| run_in(d, args).status.code();

    std::fs::write(d.join("bad.toml"), "[output]\nmin_cont = 2\n").unwrap();
    let out = run_in(d, &["run", "--config", "bad.toml"]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml") && err.contains("line 2") && err.contains("min_count"),
        "{err}"
    );

    assert_eq!(
        code(&["run", "--config", "config.toml", "--input", "nope"]),
        Some(4)
    );
    std::fs::create_dir(d.join("empty")).unwrap();
    assert_eq!(
        code(&[
            "run",
            "--config",
            "config.toml",
            "--input",
            "empty",
            "--output",
            "o"
        ]),
        Some(4)
    );

    // Entries that match but cannot be read are named in the error, with why.
    #[cfg(unix)]
    {
        std::fs::create_dir(d.join("unreadable")).unwrap();
        std::os::unix::fs::symlink("/nonexistent/x", d.join("unreadable/gone.txt")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", d.join("unreadable/zero.txt")).unwrap();
        // Left out by choice, not unreadable: not listed.
        std::fs::write(d.join("unreadable/notes.doc"), "x").unwrap();
        std::fs::write(d.join("unreadable/.hidden.txt"), "x").unwrap();
        let out = run_in(
            d,
            &[
                "run",
                "--config",
                "config.toml",
                "--input",
                "unreadable",
                "--output",
                "o",
            ],
        );
        assert_eq!(out.status.code(), Some(4));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("2 entries match but cannot be read: gone.txt (")
                && err.contains("zero.txt (not a regular file")
                && !err.contains("notes.doc")
                && !err.contains(".hidden.txt"),
            "{err}"
        );
    }

    std::fs::create_dir(d.join("precious")).unwrap();
    std::fs::write(d.join("precious/thesis.docx"), "mine").unwrap();
    assert_eq!(
        code(&["run", "--config", "config.toml", "--output", "precious"]),
        Some(5)
    );
    assert!(
        d.join("precious/thesis.docx").exists(),
        "a foreign folder is never replaced"
    );
    // Another program's run.json does not make a folder ours.
    std::fs::write(
        d.join("precious/run.json"),
        r#"{"program": {"name": "other"}}"#,
    )
    .unwrap();
    assert_eq!(
        code(&["run", "--config", "config.toml", "--output", "precious"]),
        Some(5)
    );
    assert!(d.join("precious/thesis.docx").exists());
    // Nor does another tool's documents.csv: only one with our header.
    std::fs::write(d.join("precious/documents.csv"), "id,text\n1,x\n").unwrap();
    assert_eq!(
        code(&["run", "--config", "config.toml", "--output", "precious"]),
        Some(5)
    );
    assert!(d.join("precious/thesis.docx").exists());
    assert_ok(&run_in(
        d,
        &[
            "run",
            "--config",
            "config.toml",
            "--output",
            "ours",
            "--no-charts",
        ],
    ));
    std::fs::write(d.join("ours/run.json"), "{}").unwrap();
    std::fs::write(d.join("ours/notes.txt"), "added").unwrap();
    assert_eq!(
        code(&[
            "run",
            "--config",
            "config.toml",
            "--output",
            "ours",
            "--no-charts"
        ]),
        Some(0),
        "an earlier output, known by its documents.csv header"
    );

    assert_eq!(
        code(&["run", "--config", "config.toml", "--output", "input/out"]),
        Some(5)
    );
    assert_eq!(code(&["run", "--bogus"]), Some(2));
}

#[test]
fn output_tables_choose_what_is_written_and_nothing_else() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    let base = std::fs::read_to_string(d.join("config.toml")).unwrap();
    std::fs::write(
        d.join("some.toml"),
        base.replace(
            "[output]\n",
            "[output]\ntables = [\"theme_scores\", \"keyness.csv\", \"theme_scores\"]\n",
        ),
    )
    .unwrap();
    let some = [
        "run",
        "--config",
        "some.toml",
        "--output",
        "o",
        "--no-charts",
    ];
    assert_ok(&run_in(d, &some));
    // Without documents.csv the folder is still known as ours (by its run.json): a scheduled
    // job writing a few tables runs again into the same folder.
    assert_ok(&run_in(d, &some));
    let mut files: Vec<String> = snapshot(&d.join("o")).into_keys().collect();
    files.sort();
    assert_eq!(
        files,
        [
            "README.md",
            "columns.csv",
            "keyness.csv",
            "report.html",
            "theme_scores.csv",
            "topictrends.xlsx"
        ]
    );
    // The scores are those of a full run.
    let full = run_in(
        d,
        &[
            "run",
            "--config",
            "config.toml",
            "--output",
            "full",
            "--no-charts",
        ],
    );
    assert_ok(&full);
    assert_eq!(
        std::fs::read(d.join("o/theme_scores.csv")).unwrap(),
        std::fs::read(d.join("full/theme_scores.csv")).unwrap()
    );

    // A name that is no table is a configuration error naming the tables there are.
    std::fs::write(
        d.join("typo.toml"),
        base.replace("[output]\n", "[output]\ntables = [\"theme_score\"]\n"),
    )
    .unwrap();
    let out = run_in(d, &["run", "--config", "typo.toml", "--output", "t"]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("theme_score") && err.contains("theme_scores.csv, theme_matches.csv"),
        "{err}"
    );
}

/// A work dir with `config.toml` (input `input/`, dictionary `themes.toml`), the statements
/// and a manifest; `config` is appended to the config file.
fn small_job(statements: &[(&str, &str)], manifest: &str, config: &str) -> tempfile::TempDir {
    small_job_with(
        statements,
        manifest,
        "[[theme]]\nname = \"Mercenaries\"\npatterns = [\"mercenar*\"]\n\
         [[theme]]\nname = \"Infrastructure\"\npatterns = [\"article infrastructure\"]\n",
        config,
    )
}

/// Issue 17, item 2: a number or a single letter ends a sentence, so a phrase does not match
/// across "Article 5. Infrastructure"; abbreviations before numbers do not end one.
#[test]
fn phrases_do_not_match_across_a_sentence_ending_in_a_number() {
    let dir = small_job(
        &[(
            "a.txt",
            "Session 1, 26 July 2023\n\nAs set out in Article 5. Infrastructure owners must report. \
             See Article No. 5 infrastructure and article infrastructure.\n",
        )],
        "",
        "[metadata]\nmanifest = \"\"\n",
    );
    let d = dir.path();
    assert_ok(&run_in(
        d,
        &["run", "--config", "config.toml", "--output", "out"],
    ));
    let matches = read_csv(&d.join("out/theme_matches.csv"));
    let found: Vec<&str> = matches
        .iter()
        .filter(|r| r["theme"] == "Infrastructure")
        .map(|r| r["matched_text"].as_str())
        .collect();
    assert_eq!(
        found,
        ["Article No. 5 infrastructure", "article infrastructure"],
        "{matches:?}"
    );
}

/// Issue 17, item 3: `lowercase = "text"` is part of the analysis chain, so a dictionary
/// pattern is lowercased like the text: a capital final sigma matches in both.
#[test]
fn text_lowercasing_applies_to_patterns_too() {
    let dir = small_job(
        &[("a.txt", "Session 1, 26 July 2023\n\nΟΔΟΣ and ΟΔΟΣ again.\n")],
        "",
        "[metadata]\nmanifest = \"\"\n[analysis]\nlowercase = \"text\"\n",
    );
    let d = dir.path();
    std::fs::write(
        d.join("themes.toml"),
        "[[theme]]\nname = \"Road\"\npatterns = [\"ΟΔΟΣ\"]\n",
    )
    .unwrap();
    assert_ok(&run_in(
        d,
        &["run", "--config", "config.toml", "--output", "out"],
    ));
    let scores = read_csv(&d.join("out/theme_scores.csv"));
    assert_eq!(row(&scores, &[("theme", "Road")])["hits"], "2");
}

/// Issue 17, item 5: a session literally named "undated" is an ordinary session (in the
/// trend series, no "undated" warning); only statements with no time are undated.
#[test]
fn a_session_named_undated_is_an_ordinary_session() {
    // Different texts: identical files would be set aside as duplicates.
    let dir = small_job(
        &[
            ("a.txt", "Mercenaries again. Mercenary groups.\n"),
            ("b.txt", "Mercenaries again and again.\n"),
            ("c.txt", "Mercenaries, groups and mercenaries.\n"),
            ("d.txt", "Mercenary groups.\n"),
        ],
        "file,session,date\na.txt,S1,2020-01-01\nb.txt,S2,2021-01-01\nc.txt,S3,2022-01-01\nd.txt,undated,2023-01-01\n",
        "[charts]\nenabled = false\n",
    );
    let d = dir.path();
    let out = run_in(d, &["run", "--config", "config.toml", "--output", "out"]);
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("no date, year or session"), "{stderr}");
    let trends = read_csv(&d.join("out/theme_trend_tests.csv"));
    assert_eq!(row(&trends, &[("theme", "Mercenaries")])["sessions"], "4");
    let scores = read_csv(&d.join("out/theme_scores.csv"));
    // Labelled apart from the undated group (see tests/metadata.rs).
    assert_eq!(
        row(
            &scores,
            &[("session", "undated (named)"), ("theme", "Mercenaries")]
        )["session_order"],
        "4"
    );

    // A statement with no time at all is still undated, shown as "undated", and left out.
    std::fs::write(d.join("input/e.txt"), "Mercenaries of no date.\n").unwrap();
    let out = run_in(d, &["run", "--config", "config.toml", "--output", "out2"]);
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("e.txt: no date, year or session found"),
        "{stderr}"
    );
    let trends = read_csv(&d.join("out2/theme_trend_tests.csv"));
    assert_eq!(row(&trends, &[("theme", "Mercenaries")])["sessions"], "4");
    let docs = read_csv(&d.join("out2/documents.csv"));
    assert_eq!(row(&docs, &[("file", "e.txt")])["group"], "undated");
}

/// Issue 17, item 7: paths relative to a config file in a subfolder are shown normalized
/// (`out`, not `config/../out`) in messages and run.json.
#[test]
fn config_relative_paths_are_shown_normalized() {
    let dir = small_job(&[("a.txt", "Mercenaries.\n")], "", "");
    let d = dir.path();
    std::fs::create_dir(d.join("config")).unwrap();
    std::fs::write(
        d.join("config/job.toml"),
        "[input]\ndir = \"../input\"\n[output]\ndir = \"./../out\"\n[themes]\nfile = \"../themes.toml\"\n",
    )
    .unwrap();
    let out = run_in(d, &["run", "--config", "config/job.toml"]);
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains(".."), "{stderr}");
    assert!(
        stderr.contains(" to out\n") || stderr.trim_end().ends_with(" to out"),
        "{stderr}"
    );
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("out/run.json")).unwrap()).unwrap();
    assert_eq!(record["input"]["dir"], "input");
    assert_eq!(record["themes"]["path"], "themes.toml");
    // A missing input folder is named as normalized too.
    std::fs::write(
        d.join("config/missing.toml"),
        "[input]\ndir = \"../nowhere\"\n[output]\ndir = \"../out\"\n",
    )
    .unwrap();
    let out = run_in(d, &["run", "--config", "config/missing.toml"]);
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("nowhere") && !stderr.contains(".."),
        "{stderr}"
    );
}

/// Issue 17, item 8: with a corrupt DOCX skipped beside one good statement, the summary's
/// counts add up and its nouns agree with them.
#[test]
fn summary_counts_add_up_and_plurals_agree() {
    let dir = small_job(
        &[("good.txt", "Session 1, 26 July 2023\n\nMercenaries.\n")],
        "",
        "[metadata]\nmanifest = \"\"\n",
    );
    let d = dir.path();
    std::fs::copy(
        repo().join("tests/fixtures/formats/corrupt.docx"),
        d.join("input/bad.docx"),
    )
    .unwrap();
    let out = run_in(d, &["run", "--config", "config.toml", "--output", "out"]);
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary = stderr
        .lines()
        .find(|l| l.contains("counted"))
        .unwrap_or_else(|| panic!("no summary in {stderr}"));
    assert!(
        summary.contains("1 statement counted (1 read, 0 reused from cache), 1 file skipped, 1 session, 2 themes, 1 warning;"),
        "{summary}"
    );
}

#[test]
fn nothing_the_run_reads_may_lie_in_the_output_folder() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    // The default output folder, `output`.
    assert_ok(&run_in(d, &["run", "--config", "config.toml"]));
    // Publishing replaces the output folder whole: an input folder inside it would go too.
    copy_dir(&d.join("input"), &d.join("output/in"));
    let args = ["--config", "config.toml", "--input", "output/in"];
    let out = run_in(d, &[&["run"][..], &args].concat());
    assert_eq!(out.status.code(), Some(5));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("output/in: the input folder lies inside the output folder"),
        "{err}"
    );
    assert!(d.join("output/in").is_dir(), "the input is kept");
    let check = run_in(d, &[&["check"][..], &args].concat());
    assert_eq!(check.status.code(), Some(5), "check says what run would");
    // The config file (and so a dictionary or manifest) likewise.
    std::fs::copy(d.join("config.toml"), d.join("output/config.toml")).unwrap();
    let moved = [
        "--config",
        "output/config.toml",
        "--input",
        "input",
        "--output",
        "output",
    ];
    let out = run_in(d, &[&["run"][..], &moved].concat());
    assert_eq!(out.status.code(), Some(5));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("config.toml: the config file lies inside"),
        "{err}"
    );
    assert!(d.join("output/config.toml").exists());
    // A file given as the input folder is an input error (4), not a manifest error.
    let out = run_in(
        d,
        &[
            "run",
            "--config",
            "config.toml",
            "--input",
            "config.toml",
            "--output",
            "o2",
        ],
    );
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("config.toml: input is not a folder"), "{err}");
}

#[test]
fn a_file_s_warnings_keep_the_order_they_were_found_in() {
    let dir = small_job(
        &[("a.txt", "Session 5, 26 July 2023\n\nMercenaries.\n")],
        "",
        "",
    );
    let d = dir.path();
    // Thirteen invalid bytes, at offsets of two and three digits: ten warnings, then a summary.
    let mut bytes = b"Session 5, 26 July 2023\n\n".to_vec();
    for _ in 0..13 {
        // Mostly valid UTF-8 (é, û), so the file is read as UTF-8 with replacements.
        bytes.extend_from_slice("Sécurité et sûreté, mercenaries ".as_bytes());
        bytes.extend_from_slice(b"\xff ");
    }
    std::fs::write(d.join("input/bad.txt"), bytes).unwrap();
    let out = run_in(d, &["run", "--config", "config.toml"]);
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let bad: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("topictrends: warning: bad.txt: "))
        .collect();
    let offsets: Vec<usize> = bad
        .iter()
        .filter_map(|w| w.strip_prefix("invalid UTF-8 at byte "))
        .map(|w| w.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(offsets.len(), 10, "{stderr}");
    assert!(offsets.windows(2).all(|w| w[0] < w[1]), "{offsets:?}");
    assert!(offsets[0] < 100 && offsets[9] >= 100, "{offsets:?}");
    assert!(bad[10].starts_with("3 more invalid UTF-8"), "{stderr}");
}

/// `--log-format json`: one object a line, each with its UTC time, level and message, and a
/// warning's file and line as fields of their own.
#[test]
fn the_json_log_is_one_timestamped_object_a_line() {
    let dir = small_job(
        &[("a.txt", "Session 5, 26 July 2023\n\nMercenaries.\n")],
        "",
        "",
    );
    let d = dir.path();
    std::fs::write(d.join("input/b.txt"), "Mercenaries, no date.\n").unwrap();
    let out = run_in(
        d,
        &["--log-format", "json", "run", "--config", "config.toml"],
    );
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<serde_json::Value> = (stderr.lines())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    assert!(!lines.is_empty());
    for l in &lines {
        let time = l["time"].as_str().unwrap_or_else(|| panic!("{l}"));
        // 2026-12-03T07:15:00.123Z
        let b = time.as_bytes();
        assert_eq!(b.len(), 24, "{time}");
        assert!(
            b[4] == b'-' && b[10] == b'T' && b[19] == b'.' && b[23] == b'Z',
            "{time}"
        );
        assert!(time[..4].parse::<u32>().unwrap() >= 2024, "{time}");
        assert!(l["level"].is_string() && l["message"].is_string(), "{l}");
    }
    let warning = (lines.iter())
        .find(|l| l["file"] == "b.txt")
        .unwrap_or_else(|| panic!("{stderr}"));
    assert_eq!(warning["level"], "warning");
    assert!(
        warning["message"].as_str().unwrap().contains("no date"),
        "{warning}"
    );
    let times: Vec<&str> = lines.iter().map(|l| l["time"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
    // A command line that does not parse is a JSON error line too (exit 2).
    let out = run_in(d, &["--log-format", "json", "run", "--bogus"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line: serde_json::Value =
        serde_json::from_str(stderr.trim_end()).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    assert_eq!(line["level"], "error");
    assert!(
        line["message"]
            .as_str()
            .unwrap()
            .starts_with("unexpected argument '--bogus'"),
        "{line}"
    );
}

#[test]
fn a_manifest_the_config_names_must_exist() {
    let text = "Session 5, 26 July 2023\n\nMercenaries.\n";
    // The default metadata.csv is optional.
    let dir = small_job(&[("a.txt", text)], "", "");
    assert_ok(&run_in(dir.path(), &["run", "--config", "config.toml"]));
    // A named one is not: a typo must not silently drop every statement's metadata.
    let dir = small_job(
        &[("a.txt", text)],
        "",
        "[metadata]\nmanifest = \"meta.csv\"\n",
    );
    let out = run_in(dir.path(), &["run", "--config", "config.toml"]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("meta.csv") && err.contains("does not exist"),
        "{err}"
    );
    let check = run_in(dir.path(), &["check", "--config", "config.toml"]);
    assert_eq!(check.status.code(), Some(3));
}

#[test]
fn a_forum_choice_that_selects_nothing_warns() {
    let dir = small_job(
        &[("a.txt", "Session 5, 26 July 2023\n\nMercenaries.\n")],
        "",
        "",
    );
    let out = run_in(
        dir.path(),
        &[
            "run",
            "--config",
            "config.toml",
            "--forum",
            "Nowhere",
            "--strict",
        ],
    );
    assert_eq!(out.status.code(), Some(7), "a warning, so --strict says so");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no statement is of the forum(s) Nowhere"),
        "{err}"
    );
}

/// What a command prints on stdout is its output: a full disk under `> file` cuts it short and
/// is an error (exit 5); a reader that goes away (`| head`) is not.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_to_stdout_is_exit_5_and_a_closed_pipe_is_not() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    let statement = std::fs::read_dir(d.join("input"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "txt"))
        .unwrap();
    let statement = statement.to_str().unwrap();
    for args in [
        vec!["man"],
        vec!["completions", "bash"],
        vec!["extract", statement],
        vec!["kwic", "critical", "--config", "config.toml"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = bin()
            .current_dir(d)
            .args(&args)
            .stdout(full)
            .stderr(std::process::Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(5), "{args:?}: {stderr}");
        assert!(
            stderr.contains("standard output: cannot write output: No space left on device"),
            "{args:?}: {stderr}"
        );
        let mut child = bin()
            .current_dir(d)
            .args(&args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        assert_eq!(
            child.wait().unwrap().code(),
            Some(0),
            "{args:?} into a closed pipe"
        );
    }
}

/// A trailing `*` meets the words that start with it as written, whose stems can be shorter
/// than the prefix (negotiations -> negoti); `wildcard = "stem"` keeps the stem-only rule.
/// A rerun that changes the setting, from the cache, equals a clean run.
#[test]
fn wildcards_compare_words_unless_set_to_stems() {
    let dir = small_job_with(
        &[(
            "a.txt",
            "Session 1, 26 July 2023\n\nNegotiations continue: we are negotiating, and \
             we will negotiate. The organization was organized.\n",
        )],
        "",
        "[[theme]]\nname = \"Talks\"\npatterns = [\"negotiat*\", \"organiz*\"]\n",
        "[metadata]\nmanifest = \"\"\n",
    );
    let d = dir.path();
    let hits = |out: &str| {
        let scores = read_csv(&d.join(out).join("theme_scores.csv"));
        row(&scores, &[("theme", "Talks")])["hits"].clone()
    };
    assert_ok(&run_in(
        d,
        &["run", "--config", "config.toml", "--output", "out"],
    ));
    assert_eq!(hits("out"), "5");
    let matched: Vec<String> = read_csv(&d.join("out/theme_matches.csv"))
        .iter()
        .map(|r| r["matched_text"].clone())
        .collect();
    assert_eq!(
        matched,
        [
            "Negotiations",
            "negotiating",
            "negotiate",
            "organization",
            "organized"
        ]
    );

    let mut config = std::fs::read_to_string(d.join("config.toml")).unwrap();
    config = config.replace("[themes]\n", "[themes]\nwildcard = \"stem\"\n");
    std::fs::write(d.join("config.toml"), config).unwrap();
    assert_ok(&run_in(
        d,
        &["run", "--config", "config.toml", "--output", "out"],
    ));
    assert_ok(&run_in(
        d,
        &[
            "run",
            "--config",
            "config.toml",
            "--output",
            "clean",
            "--no-cache",
        ],
    ));
    // Stem-only: negotiat* meets none of them, organiz* none (organization -> organ).
    assert_eq!(hits("out"), "0");
    assert_eq!(snapshot(&d.join("out")), snapshot(&d.join("clean")));
}

/// A pattern word that is not a token (a bare number, a one-letter word) is lost from the
/// pattern as from the text: the run says so, naming the theme and the pattern, since
/// "Group of 77" then matches every "group".
#[test]
fn a_pattern_that_loses_a_number_is_warned_about() {
    let dir = small_job_with(
        &[(
            "a.txt",
            "Session 1, 26 July 2023\n\nThe Group of 77 and the working group met on the 2030 Agenda.\n",
        )],
        "",
        "[[theme]]\nname = \"G77\"\npatterns = [\"Group of 77\", \"2030 Agenda\", \"capacity building\", \"access as a service\"]\n",
        "[metadata]\nmanifest = \"\"\n",
    );
    let d = dir.path();
    let out = run_in(d, &["run", "--config", "config.toml", "--output", "out"]);
    assert_ok(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    for pattern in ["Group of 77", "2030 Agenda"] {
        assert!(
            err.lines().any(|l| l.contains("themes.toml")
                && l.contains(&format!("pattern \"{pattern}\""))
                && l.contains("the analysis counts")),
            "{pattern}: {err}"
        );
    }
    // Stopwords, one-letter ones included ("a"), are dropped by design: no warning.
    assert!(!err.contains("\"capacity building\""), "{err}");
    assert!(!err.contains("\"access as a service\""), "{err}");
    // What the warning says is what happens: "group" twice, "agenda" once.
    let scores = read_csv(&d.join("out/theme_scores.csv"));
    assert_eq!(row(&scores, &[("theme", "G77")])["hits"], "3");
    // `check` says it too.
    let check = run_in(d, &["check", "--config", "config.toml"]);
    assert!(
        String::from_utf8_lossy(&check.stderr).contains("the analysis counts"),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}
