//! End-to-end: the evidence tables (contexts, keyness, tf-idf, collocations, intervals, trend tests) and `kwic`.

mod common;

use common::*;

/// Shows control characters as spaces, as the contexts do.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[test]
fn evidence_files_are_written_with_their_headers() {
    let dir = workdir_with("handcount");
    assert_ok(&run_in(
        dir.path(),
        &["run", "--config", "config.toml", "--output", "out"],
    ));
    let o = dir.path().join("out");
    let expect: &[(&str, &[&str])] = &[
        (
            "theme_contexts.csv",
            &[
                "doc_id", "session", "date", "speaker", "theme", "pattern", "left", "match",
                "right",
            ],
        ),
        (
            "keyness.csv",
            &[
                "session",
                "term",
                "display_term",
                "count_target",
                "count_reference",
                "total_target",
                "total_reference",
                "g2",
                "chi2",
                "chi2_correction",
                "p_value",
                "effect",
            ],
        ),
        (
            "top_terms.csv",
            &["session", "rank", "term", "display_term"],
        ),
        ("collocations.csv", &["phrase", "words", "count", "g2"]),
        (
            "theme_trend_tests.csv",
            &[
                "theme",
                "sessions",
                "mann_kendall_tau",
                "mann_kendall_z",
                "p_value",
                "theil_sen_slope",
            ],
        ),
    ];
    for (file, cols) in expect {
        let h = csv_header(&o.join(file));
        assert_eq!(&h[..cols.len()], *cols, "{file}");
    }
    let h = csv_header(&o.join("top_terms.csv"));
    assert!(h.iter().any(|c| c == "tfidf_prop_ln"), "{h:?}");
    let h = csv_header(&o.join("theme_scores.csv"));
    assert_eq!(&h[h.len() - 2..], ["ci_low", "ci_high"]);

    // Every hit has its context, and the context is the statement's own text.
    let matches = read_csv(&o.join("theme_matches.csv"));
    let contexts = read_csv(&o.join("theme_contexts.csv"));
    assert_eq!(contexts.len(), matches.len());
    for (m, c) in matches.iter().zip(&contexts) {
        assert_eq!((&m["doc_id"], &m["theme"]), (&c["doc_id"], &c["theme"]));
        let text = std::fs::read_to_string(
            dir.path()
                .join("input")
                .join(format!("{}.txt", c["doc_id"])),
        )
        .unwrap();
        let window = format!("{}{}{}", c["left"], c["match"], c["right"]);
        assert!(one_line(&text).contains(&window), "{window:?}");
    }
    let spyware = row(&contexts, &[("match", "spyware")]);
    assert_eq!(
        spyware["left"],
        "Cyber mercenaries threaten critical infrastructure. Mercenary groups sell "
    );
    assert_eq!(spyware["right"], ".");

    // Two sessions: the trend test says why it has no numbers; intervals contain the rate.
    for t in read_csv(&o.join("theme_trend_tests.csv")) {
        assert_eq!(t["mann_kendall_tau"], "");
        assert!(t["note"].starts_with("too few sessions"), "{t:?}");
    }
    for s in read_csv(&o.join("theme_scores.csv")) {
        let f = |k: &str| s[k].parse::<f64>().unwrap();
        assert!(
            f("ci_low") <= f("per_1000") && f("per_1000") <= f("ci_high"),
            "{s:?}"
        );
    }
    // Session 2 against session 1: "capacity" is new (4 kept tokens of 9 vs none of 9).
    let key = read_csv(&o.join("keyness.csv"));
    assert!(
        key.iter().all(|k| k["session"] == "Session 2"),
        "nothing before session 1"
    );
}

#[test]
fn kwic_prints_aligned_contexts_and_writes_nothing() {
    let dir = workdir_with("handcount");
    let out = run_in(
        dir.path(),
        &[
            "kwic",
            "critical infrastructure",
            "--config",
            "config.toml",
            "--width",
            "30",
        ],
    );
    assert_ok(&out);
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].starts_with("a  ") && lines[1].starts_with("b  "),
        "{stdout}"
    );
    assert!(
        lines[0].contains("Cyber mercenaries threaten [critical infrastructure]. Mercenary groups")
    );
    assert_eq!(
        lines[0].find('['),
        lines[1].find('['),
        "aligned on the match:\n{stdout}"
    );
    let entries: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !entries.iter().any(|e| e == "output" || e == "out"),
        "{entries:?}"
    );

    // `[evidence] context_words` bounds the words on each side; `--width` given widens them.
    let config = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
    std::fs::write(
        dir.path().join("two.toml"),
        format!("{config}[evidence]\ncontext_words = 2\n"),
    )
    .unwrap();
    let line = |args: &[&str]| {
        let out = run_in(dir.path(), args);
        assert_ok(&out);
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .to_string()
    };
    let pattern = "critical infrastructure";
    let two = line(&["kwic", pattern, "--config", "two.toml"]);
    assert!(
        two.ends_with("mercenaries threaten [critical infrastructure]. Mercenary groups"),
        "{two}"
    );
    let wide = line(&["kwic", pattern, "--config", "two.toml", "--width", "30"]);
    assert_eq!(wide, lines[0]);

    let bad = run_in(
        dir.path(),
        &["kwic", "cyber*mercenaries", "--config", "config.toml"],
    );
    assert_eq!(bad.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("kwic pattern"));
}

/// The "Done when" on the UN General Debate slice grouped by year
/// (config/examples/ungd-by-year.toml).
#[test]
fn general_debate_by_year_surfaces_terrorism_and_diplomatic_phrases() {
    let Some(shared) = shared_or_skip("the General Debate evidence check") else {
        return;
    };
    let corpus = shared.join("corpora/ungdc-1990-2004");
    if !corpus.is_dir() {
        eprintln!("skipping: {} is absent", corpus.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let res = bin()
        .current_dir(repo())
        .args([
            "run",
            "-q",
            "--config",
            "config/examples/ungd-by-year.toml",
            "--input",
        ])
        .arg(&corpus)
        .arg("--output")
        .arg(&out)
        .output()
        .unwrap();
    assert_ok(&res);

    let key = read_csv(&out.join("keyness.csv"));
    for year in ["2001", "2002"] {
        let top: Vec<&str> = key
            .iter()
            .filter(|k| k["session"] == year)
            .take(10)
            .map(|k| k["term"].as_str())
            .collect();
        assert!(
            top.iter().any(|t| t.starts_with("terror")),
            "{year}: top rising terms {top:?}"
        );
        let first = key.iter().find(|k| k["session"] == year).unwrap();
        assert!(first["g2"].parse::<f64>().unwrap() > 0.0);
    }
    assert!(
        key.iter().all(|k| k["session"] != "1990"),
        "1990 has no earlier years"
    );

    let phrases = read_csv(&out.join("collocations.csv"));
    let top: Vec<&str> = phrases
        .iter()
        .take(50)
        .map(|p| p["phrase"].as_str())
        .collect();
    for p in [
        "united nations",
        "international community",
        "human rights",
        "security council",
    ] {
        assert!(top.contains(&p), "{p} not in the top 50: {top:?}");
    }
    assert!(
        phrases.iter().any(|p| p["phrase"] == "weapons of mass"),
        "three words, stopword inside"
    );

    // The sentence behind a hit: its context is in the statement's own text.
    let contexts = read_csv(&out.join("theme_contexts.csv"));
    assert!(!contexts.is_empty());
    for c in contexts.iter().step_by(contexts.len() / 20 + 1) {
        let raw = std::fs::read(corpus.join(format!("{}.txt", c["doc_id"]))).unwrap();
        let text = one_line(&String::from_utf8_lossy(&raw));
        let probe = format!("{}{}", c["match"], c["right"]);
        // Cleaning turns curly apostrophes straight and joins or keeps line-end hyphens:
        // compared without spaces, hyphens and apostrophe shapes.
        let squeeze = |s: &str| -> String {
            s.chars()
                .filter(|c| !c.is_whitespace() && *c != '-')
                .map(|c| {
                    if matches!(c, '\u{2018}' | '\u{2019}') {
                        '\''
                    } else {
                        c
                    }
                })
                .collect()
        };
        assert!(
            squeeze(&text).contains(&squeeze(&probe)),
            "{probe:?} in {}",
            c["doc_id"]
        );
    }

    let trends = read_csv(&out.join("theme_trend_tests.csv"));
    assert!(
        trends
            .iter()
            .all(|t| t["sessions"] == "15" && !t["mann_kendall_tau"].is_empty())
    );
}

#[test]
fn kwic_reports_what_reading_met_and_strict_makes_it_exit_7() {
    let dir = workdir_with("handcount");
    let undated = dir.path().join("undated-input");
    std::fs::create_dir(&undated).unwrap();
    std::fs::write(
        undated.join("x.txt"),
        "No date here, only critical infrastructure.\n",
    )
    .unwrap();
    let args = |strict: bool| {
        let mut a = vec![
            "kwic",
            "critical infrastructure",
            "--config",
            "config.toml",
            "--input",
            "undated-input",
        ];
        if strict {
            a.push("--strict");
        }
        run_in(dir.path(), &a)
    };
    let plain = args(false);
    assert_ok(&plain);
    let stderr = String::from_utf8_lossy(&plain.stderr);
    assert!(stderr.contains("warning: x.txt: no date"), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&plain.stdout).lines().count(), 1);
    assert_eq!(args(true).status.code(), Some(7));
}

/// Five yearly statements, 2000-2002 and 2010-2011 (seven years missing), 10 more hits per
/// 1,000 words each year; then a year whose statement is all stopwords.
fn yearly_job(extra: &[(&str, &str)]) -> tempfile::TempDir {
    let mut statements: Vec<(String, String)> = Vec::new();
    let mut manifest = String::from("file,date\n");
    for year in [2000u32, 2001, 2002, 2010, 2011] {
        let hits = (year - 1999) as usize;
        let mut words = vec!["terrorism"; hits];
        words.extend(std::iter::repeat_n("peace", 100 - hits));
        statements.push((format!("s{year}.txt"), format!("{}.\n", words.join(" "))));
        manifest.push_str(&format!("s{year}.txt,{year}-06-01\n"));
    }
    for (name, date) in extra {
        statements.push((name.to_string(), "The and of it is.\n".into()));
        manifest.push_str(&format!("{name},{date}\n"));
    }
    let borrowed: Vec<(&str, &str)> = (statements.iter())
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    small_job_with(
        &borrowed,
        &manifest,
        "[[theme]]\nname = \"T\"\npatterns = [\"terrorism\"]\n",
        "[metadata]\ngroup_by = \"year\"\n[evidence]\nkeyness_rows = \"all\"\nkeyness_min_count = 1\n",
    )
}

#[test]
fn the_theil_sen_slope_is_per_year_across_missing_years() {
    let dir = yearly_job(&[]);
    assert_ok(&run_in(
        dir.path(),
        &["run", "--config", "config.toml", "--no-charts"],
    ));
    let trends = read_csv(&dir.path().join("output/theme_trend_tests.csv"));
    assert_eq!(trends[0]["sessions"], "5");
    assert_eq!(trends[0]["theil_sen_slope"], "10.0000", "{trends:?}");
    let html = std::fs::read_to_string(dir.path().join("output/report.html")).unwrap();
    assert!(html.contains("Theil-Sen slope 10.0 per year"), "{html}");
}

#[test]
fn a_session_without_words_has_no_rate_and_is_not_a_point_of_the_trend() {
    let dir = yearly_job(&[("stop.txt", "2005-06-01")]);
    let out = run_in(
        dir.path(),
        &["run", "--config", "config.toml", "--no-charts"],
    );
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("stop.txt: every token is a stopword (5 tokens)"),
        "{stderr}"
    );
    let o = dir.path().join("output");
    let scores = read_csv(&o.join("theme_scores.csv"));
    let empty = scores.iter().find(|r| r["session"] == "2005").unwrap();
    assert_eq!(
        (
            empty["kept_tokens"].as_str(),
            empty["per_1000"].as_str(),
            empty["ci_low"].as_str(),
            empty["ci_high"].as_str()
        ),
        ("0", "", "", "")
    );
    let wide = read_csv(&o.join("theme_scores_wide.csv"));
    assert_eq!(wide[0]["2005"], "");
    assert_eq!(wide[0]["2010"], "110.0000");
    // Left out of the trend (still 5 points, still 10 per year) and of keyness.
    let trends = read_csv(&o.join("theme_trend_tests.csv"));
    assert_eq!(
        (
            trends[0]["sessions"].as_str(),
            trends[0]["theil_sen_slope"].as_str()
        ),
        ("5", "10.0000")
    );
    let keyness = read_csv(&o.join("keyness.csv"));
    assert!(keyness.iter().any(|r| r["session"] == "2010"));
    assert!(
        keyness.iter().all(|r| r["session"] != "2005"),
        "{keyness:?}"
    );
    let html = std::fs::read_to_string(o.join("report.html")).unwrap();
    assert!(html.contains("no words"));
}

/// `byte_start`/`byte_end` of every hit locate its words in the cleaned text as `extract`
/// prints it, front matter included: for plain text and Markdown, from the cache and
/// without it, and for a statement large enough to be read in pieces.
#[test]
fn hit_offsets_locate_the_match_in_the_text_extract_prints() {
    let front = "---\nsession: 7\ndate: 2024-03-06\nspeaker: Ruritania\n---\n";
    // Past the 4 MB at which a statement is read in pieces, with hits at both ends.
    let filler = "The delegation spoke of many other matters at some length today.\n";
    let mut large = format!("{front}We support capacity building.\n");
    while large.len() < (4 << 20) + 1000 {
        large.push_str(filler);
    }
    large.push_str("Capacity building, again, at the very end.\n");
    let dir = small_job_with(
        &[
            (
                "a.txt",
                &format!("{front}We support capacity building for all.\n"),
            ),
            (
                "b.md",
                &format!("{front}# Title\n\nWe support *capacity building* here.\n"),
            ),
            ("c.txt", "No front matter: capacity building.\n"),
            ("large.txt", &large),
        ],
        "",
        "[[theme]]\nname = \"Cap\"\npatterns = [\"capacity building\"]\n",
        "[charts]\nenabled = false\n",
    );
    let d = dir.path();
    let extracted = |file: &str| {
        let out = bin()
            .current_dir(d)
            .args(["extract", &format!("input/{file}")])
            .output()
            .unwrap();
        assert_ok(&out);
        String::from_utf8(out.stdout).unwrap()
    };
    for (output, extra) in [
        ("cold", &[][..]),
        ("warm", &[][..]),
        ("plain", &["--no-cache"][..]),
    ] {
        let mut args = vec!["run", "--config", "config.toml", "--output", "out"];
        args.extend(extra);
        assert_ok(&run_in(d, &args));
        let matches = read_csv(&d.join("out/theme_matches.csv"));
        assert_eq!(matches.len(), 5, "{output}: {matches:?}");
        for m in &matches {
            let text = extracted(&m["file"]);
            let (start, end): (usize, usize) = (
                m["byte_start"].parse().unwrap(),
                m["byte_end"].parse().unwrap(),
            );
            assert_eq!(
                text[start..end].to_lowercase(),
                "capacity building",
                "{output}: {m:?}"
            );
        }
    }
}

/// A statement whose text holds no word the analysis counts (numbers, one-letter words) is
/// warned about as the empty and the all-stopword ones are, once each.
#[test]
fn a_statement_of_numbers_only_is_warned_about() {
    let dir = small_job_with(
        &[
            ("n.txt", "1. 2. 2024 (3) 45 - a b c\n"),
            ("empty.txt", ""),
            ("ok.txt", "Peace and terrorism.\n"),
        ],
        "file,date\nn.txt,2024-06-01\nempty.txt,2024-06-01\nok.txt,2024-06-01\n",
        "[[theme]]\nname = \"T\"\npatterns = [\"terrorism\"]\n",
        "",
    );
    let out = run_in(
        dir.path(),
        &["run", "--config", "config.toml", "--no-charts"],
    );
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("n.txt: no words").count(), 1, "{stderr}");
    assert_eq!(
        stderr.matches("empty.txt: empty statement").count(),
        1,
        "{stderr}"
    );
    assert!(!stderr.contains("empty.txt: no words"), "{stderr}");
    assert!(!stderr.contains("ok.txt"), "{stderr}");
}
