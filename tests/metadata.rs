//! End-to-end: metadata precedence, conflicts, undated statements, grouping and forum filter.

mod common;

use common::*;

fn run_fixture(extra: &[&str]) -> (tempfile::TempDir, std::process::Output) {
    let dir = workdir_with("metadata");
    let mut args = vec!["run", "--config", "config.toml", "--output", "out"];
    args.extend_from_slice(extra);
    let out = run_in(dir.path(), &args);
    (dir, out)
}

#[test]
fn every_source_fills_fields_in_precedence_order() {
    let (dir, out) = run_fixture(&[]);
    assert_ok(&out);
    let docs = read_csv(&dir.path().join("out/documents.csv"));
    assert_eq!(docs.len(), 4);

    let c = row(&docs, &[("file", "conflict.txt")]);
    assert_eq!(
        (c["session"].as_str(), c["session_source"].as_str()),
        ("5", "manifest")
    );
    assert_eq!(
        (c["date"].as_str(), c["date_source"].as_str()),
        ("2023-07-26", "manifest"),
        "manifest wins"
    );
    assert_eq!(
        (c["speaker"].as_str(), c["speaker_source"].as_str()),
        ("France", "header"),
        "empty manifest cells fall through"
    );
    assert_eq!(
        (c["forum"].as_str(), c["forum_source"].as_str()),
        ("OEWG", "header")
    );
    assert_eq!(c["delegation_type"], "State");

    let f = row(&docs, &[("file", "frontmatter.txt")]);
    assert_eq!(
        (f["date"].as_str(), f["date_source"].as_str()),
        ("2024-03-06", "front_matter")
    );
    assert_eq!(f["region"], "Africa");
    assert_eq!(
        (f["tokens"].as_str(), f["kept_tokens"].as_str()),
        ("14", "9"),
        "front matter is not counted as text"
    );

    let h = row(&docs, &[("file", "header.txt")]);
    assert_eq!(h["session"], "78");
    assert_eq!(
        h["date"], "2023-10-12",
        "the header's date, not the ones quoted in the body"
    );
    assert_eq!(h["forum"], "First Committee");
    assert_eq!(h["speaker"], "H.E. Ms. Jane Doe");
    assert_eq!(h["on_behalf_of"], "African Group");

    let b = row(&docs, &[("file", "baddate.txt")]);
    assert_eq!(
        (b["date"].as_str(), b["date_source"].as_str()),
        ("", "none")
    );
    assert_eq!(b["group"], "undated");
}

#[test]
fn problems_are_reported_with_file_and_line() {
    let (_dir, out) = run_fixture(&[]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("metadata.csv:2: conflict.txt: date: manifest says \"2023-07-26\", header says \"2024-07-26\""),
        "{err}"
    );
    assert!(
        err.contains("metadata.csv:3: names \"missing.txt\""),
        "{err}"
    );
    assert!(
        err.contains("metadata.csv:4: baddate.txt: manifest: date \"someday\" is not a date"),
        "{err}"
    );
    assert!(
        err.contains("baddate.txt: no date, year or session found"),
        "{err}"
    );
}

#[test]
fn strict_turns_warnings_into_exit_7_and_still_publishes() {
    let (dir, out) = run_fixture(&["--strict"]);
    assert_eq!(out.status.code(), Some(7));
    assert!(dir.path().join("out/documents.csv").exists());
}

#[test]
fn sessions_are_ordered_by_date_with_undated_last() {
    let (dir, out) = run_fixture(&[]);
    assert_ok(&out);
    let scores = read_csv(&dir.path().join("out/theme_scores.csv"));
    // No dictionary, so no theme rows; the sessions show in term_frequencies.csv.
    assert!(scores.is_empty());
    let terms = read_csv(&dir.path().join("out/term_frequencies.csv"));
    let mut order: Vec<(String, String)> = terms
        .iter()
        .map(|r| (r["session_order"].clone(), r["session"].clone()))
        .collect();
    order.dedup();
    let labels: Vec<&str> = order.iter().map(|(_, s)| s.as_str()).collect();
    // Session 5 (2023-07-26), Session 78 (2023-10-12), Session 7 (2024-03-06), then undated.
    assert_eq!(labels, ["Session 5", "Session 78", "Session 7", "undated"]);
}

#[test]
fn group_by_a_field_and_forum_filter() {
    let dir = workdir_with("metadata");
    std::fs::write(
        dir.path().join("by_forum.toml"),
        "[input]\ndir = \"input\"\n[metadata]\ngroup_by = \"forum\"\n",
    )
    .unwrap();
    assert_ok(&run_in(
        dir.path(),
        &["run", "--config", "by_forum.toml", "--output", "o1"],
    ));
    let docs = read_csv(&dir.path().join("o1/documents.csv"));
    let groups: Vec<&str> = docs.iter().map(|d| d["group"].as_str()).collect();
    assert_eq!(groups, ["(no forum)", "OEWG", "OEWG", "First Committee"]);
    // A field some statements have is no typo: no warning about it.
    let o1 = String::from_utf8_lossy(&std::fs::read(dir.path().join("o1/run.json")).unwrap())
        .into_owned();
    assert!(!o1.contains("group_by"), "{o1}");

    // A field no statement has (a typo of `speaker`) puts all in one group: warned, and
    // `--strict` fails on it.
    std::fs::write(
        dir.path().join("typo.toml"),
        "[input]\ndir = \"input\"\n[metadata]\ngroup_by = \"speakr\"\n",
    )
    .unwrap();
    let res = run_in(
        dir.path(),
        &["run", "--config", "typo.toml", "--output", "o3", "--strict"],
    );
    let err = String::from_utf8_lossy(&res.stderr);
    assert_eq!(res.status.code(), Some(7), "{err}");
    assert!(
        err.contains(
            "typo.toml: [metadata] group_by = \"speakr\": no statement has a `speakr` field"
        ) && err.contains("`speaker`"),
        "{err}"
    );

    assert_ok(&run_in(
        dir.path(),
        &[
            "run",
            "--config",
            "config.toml",
            "--output",
            "o2",
            "--forum",
            "oewg",
        ],
    ));
    let docs = read_csv(&dir.path().join("o2/documents.csv"));
    let files: Vec<&str> = docs.iter().map(|d| d["file"].as_str()).collect();
    assert_eq!(files, ["conflict.txt", "frontmatter.txt"]);
    let skipped = read_csv(&dir.path().join("o2/skipped.csv"));
    assert!(skipped.iter().any(
        |s| s["file"] == "header.txt" && s["reason"] == "forum not selected (First Committee)"
    ));
    assert!(
        skipped
            .iter()
            .any(|s| s["file"] == "baddate.txt" && s["reason"] == "forum not selected (none)")
    );
}

#[test]
fn group_by_time_units() {
    let dir = workdir_with("metadata");
    for (unit, want) in [
        ("year", vec!["2023", "2024"]),
        ("quarter", vec!["2023-Q3", "2023-Q4", "2024-Q1"]),
        ("month", vec!["2023-M07", "2023-M10", "2024-M03"]),
    ] {
        let cfg = format!("by_{unit}.toml");
        std::fs::write(
            dir.path().join(&cfg),
            format!("[input]\ndir = \"input\"\n[metadata]\ngroup_by = \"{unit}\"\n"),
        )
        .unwrap();
        let out_dir = format!("out_{unit}");
        assert_ok(&run_in(
            dir.path(),
            &["run", "--config", &cfg, "--output", &out_dir],
        ));
        let docs = read_csv(&dir.path().join(&out_dir).join("documents.csv"));
        let mut groups: Vec<&str> = docs
            .iter()
            .map(|d| d["group"].as_str())
            .filter(|g| *g != "undated")
            .collect();
        groups.sort();
        groups.dedup();
        assert_eq!(groups, want, "{unit}");
    }
}

/// The UN General Debate slice grouped by year from the file-name pattern alone: 15 years in order.
#[test]
fn general_debate_slice_by_year_from_file_names() {
    let Some(shared) = shared_or_skip("general_debate_slice_by_year_from_file_names") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("c.toml"),
        "[input]\ninclude = [\"txt\"]\n[metadata]\nfile_name_pattern = \"{iso3}_{session}_{year}.txt\"\ngroup_by = \"year\"\nmanifest = \"\"\n[output]\nmin_count = 1000\n",
    )
    .unwrap();
    let out = bin()
        .current_dir(dir.path())
        .args(["run", "--config", "c.toml", "--output", "out", "--input"])
        .arg(shared.join("corpora/ungdc-1990-2004"))
        .output()
        .unwrap();
    assert_ok(&out);
    let terms = read_csv(&dir.path().join("out/term_frequencies.csv"));
    let mut years: Vec<(String, String)> = terms
        .iter()
        .map(|r| (r["session_order"].clone(), r["session"].clone()))
        .collect();
    years.dedup();
    let got: Vec<String> = years.into_iter().map(|(_, y)| y).collect();
    let want: Vec<String> = (1990..=2004).map(|y| y.to_string()).collect();
    assert_eq!(got, want);
    let docs = read_csv(&dir.path().join("out/documents.csv"));
    assert_eq!(docs.len(), 2665);
    assert!(
        docs.iter()
            .all(|d| d["year_source"] == "file_name" && d["session_source"] == "file_name")
    );
}

/// A work dir with `config.toml` (input `input/`, one theme, no charts), the statements and a
/// manifest.
fn small_job(statements: &[(&str, &str)], manifest: &str) -> tempfile::TempDir {
    small_job_with(
        statements,
        manifest,
        "[[theme]]\nname = \"Capacity\"\npatterns = [\"capacity building\"]\n",
        "[charts]\nenabled = false\n",
    )
}

/// A language the manifest misspells does not hide the one the front matter gives; with no
/// other source, the default is used, and either way the warning says which.
#[test]
fn a_misspelt_language_falls_back_to_the_next_source_that_names_one() {
    let dir = small_job(
        &[
            (
                "a.txt",
                "---\nlanguage: fr\ndate: 2024-03-06\n---\nLe renforcement des capacités.\n",
            ),
            ("b.txt", "Capacity building.\n"),
        ],
        "file,language,date\na.txt,Englsh,2024-03-06\nb.txt,Englsh,2024-03-06\n",
    );
    let d = dir.path();
    let out = run_in(d, &["run", "--config", "config.toml", "--output", "out"]);
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let docs = read_csv(&d.join("out/documents.csv"));
    assert_eq!(
        (
            docs[0]["language"].as_str(),
            docs[0]["language_source"].as_str()
        ),
        ("fr", "front_matter")
    );
    assert_eq!(docs[1]["language"], "en");
    assert!(
        stderr.contains("a.txt: language: manifest says \"Englsh\", front_matter says \"fr\"; the manifest value is used if it names a language"),
        "{stderr}"
    );
    assert!(
        stderr.contains("a.txt: language \"Englsh\" (manifest) is not one of ar, en, es, fr, ru, zh; the front matter's \"fr\" is used"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "b.txt: language \"Englsh\" (manifest) is not one of ar, en, es, fr, ru, zh: ignored"
        ),
        "{stderr}"
    );
}

/// One session written in six languages, in the manifest and in front matter, is one group.
#[test]
fn a_session_written_in_other_un_languages_is_one_group() {
    let dir = small_job(
        &[
            ("en.txt", "Capacity building one.\n"),
            (
                "fr.txt",
                "---\nsession: 79e session\ndate: 2024-09-25\n---\nLe renforcement des capacités.\n",
            ),
            ("ru.txt", "Наращивание потенциала.\n"),
            ("es.txt", "Creación de capacidad.\n"),
            ("ar.txt", "بناء القدرات.\n"),
            ("zh.txt", "能力建设。\n"),
        ],
        "file,session,date\nen.txt,79th session,2024-09-24\nru.txt,79-я сессия,2024-09-26\nes.txt,79º período de sesiones,2024-09-26\nar.txt,الدورة التاسعة والسبعون,2024-09-27\nzh.txt,第七十九届会议,2024-09-27\n",
    );
    let d = dir.path();
    let out = run_in(d, &["run", "--config", "config.toml", "--output", "out"]);
    assert_ok(&out);
    let docs = read_csv(&d.join("out/documents.csv"));
    assert_eq!(docs.len(), 6);
    for doc in &docs {
        assert_eq!(doc["session"], "79", "{doc:?}");
    }
    let scores = read_csv(&d.join("out/theme_scores.csv"));
    assert_eq!(scores.len(), 1, "one session: {scores:?}");
    assert_eq!(scores[0]["docs"], "6");
}

/// A manifest session literally called "undated" is a dated session of its own: the statements
/// with no time at all are not counted in it, and it does not take them into the trends.
#[test]
fn a_session_named_undated_does_not_swallow_undated_statements() {
    let dir = small_job(
        &[
            ("a.txt", "Capacity building one.\n"),
            ("b.txt", "Capacity building two two.\n"),
            ("c.txt", "Capacity building three three three.\n"),
            ("d.txt", "Capacity building four.\n"),
        ],
        "file,session,date\na.txt,undated,2024-03-06\nc.txt,S1,2023-01-01\nd.txt,S2,2023-06-01\n",
    );
    let d = dir.path();
    let out = run_in(d, &["run", "--config", "config.toml", "--output", "out"]);
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("b.txt: no date, year or session found"),
        "{stderr}"
    );
    assert!(!stderr.contains("a.txt: no date"), "{stderr}");

    let scores = read_csv(&d.join("out/theme_scores.csv"));
    let named = row(&scores, &[("session", "undated (named)")]);
    assert_eq!(
        (named["docs"].as_str(), named["session_start"].as_str()),
        ("1", "2024-03-06")
    );
    assert_eq!(named["session_order"], "3");
    let undated = row(&scores, &[("session", "undated")]);
    assert_eq!(
        (undated["docs"].as_str(), undated["session_start"].as_str()),
        ("1", "")
    );
    assert_eq!(undated["session_order"], "4");

    // The manifest's value is kept as the statement's session; only the group label differs.
    let docs = read_csv(&d.join("out/documents.csv"));
    let a = row(&docs, &[("file", "a.txt")]);
    assert_eq!(
        (a["session"].as_str(), a["group"].as_str()),
        ("undated", "undated (named)")
    );
    assert_eq!(row(&docs, &[("file", "b.txt")])["group"], "undated");

    // Three dated sessions in the trend series: S1, S2 and the one named "undated".
    let trends = read_csv(&d.join("out/theme_trend_tests.csv"));
    assert_eq!(row(&trends, &[("theme", "Capacity")])["sessions"], "3");
}

/// A "Statement by X." line names X, not the sentence after it; a line too long for a header
/// is body text and gives no speaker.
#[test]
fn the_speaker_ends_at_the_sentence_and_long_lines_are_not_header() {
    let long_line = format!("Statement by Chile. {}\n", "a".repeat(100_000));
    let dir = small_job(
        &[
            (
                "de.txt",
                "Statement by Germany. Germany supports capacity building and the protection of critical infrastructure in all regions.\n\nSecond paragraph.\n",
            ),
            ("cl.txt", long_line.as_str()),
            (
                "it.txt",
                "Statement by H.E. Ms. Maria Rossi, Ambassador\n\nThank you, Chair. Capacity building.\n",
            ),
        ],
        "file\n",
    );
    let d = dir.path();
    assert_ok(&run_in(
        d,
        &["run", "--config", "config.toml", "--output", "out"],
    ));
    let docs = read_csv(&d.join("out/documents.csv"));
    let speaker = |file: &str| {
        let r = row(&docs, &[("file", file)]);
        (r["speaker"].clone(), r["speaker_source"].clone())
    };
    assert_eq!(speaker("de.txt"), ("Germany".into(), "header".into()));
    assert_eq!(speaker("cl.txt"), (String::new(), "none".into()));
    assert_eq!(
        speaker("it.txt"),
        ("H.E. Ms. Maria Rossi".into(), "header".into())
    );
}

/// A manifest row naming a copy that is set aside as a duplicate says so, at its line: its
/// metadata goes nowhere (the original is counted with its own row).
#[test]
fn a_manifest_row_naming_a_skipped_duplicate_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("input")).unwrap();
    std::fs::write(d.join("input/a.txt"), "Capacity building matters.\n").unwrap();
    std::fs::write(d.join("input/b.txt"), "Capacity building matters.\n").unwrap();
    std::fs::write(
        d.join("input/metadata.csv"),
        "file,session\na.txt,S1\nb.txt,S2\n",
    )
    .unwrap();
    std::fs::write(d.join("c.toml"), "[input]\ndir = \"input\"\n").unwrap();
    let out = run_in(
        d,
        &["run", "--config", "c.toml", "--no-charts", "--output", "o"],
    );
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "metadata.csv:3: names \"b.txt\", which was not read: b.txt (duplicate of a.txt; see skipped.csv)"
        ),
        "{stderr}"
    );
    let docs = read_csv(&d.join("o/documents.csv"));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["session"], "S1");
}
