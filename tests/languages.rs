//! The six UN languages end to end: the shipped parallel statements counted by hand, language
//! detection, English outputs unchanged, and one statement's language never touching another's
//! counts.

mod common;

use std::path::Path;

use common::{assert_ok, copy_dir, read_csv, repo, run_in};

const LANGUAGES: [&str; 6] = ["ar", "en", "es", "fr", "ru", "zh"];

/// Hits per theme in each of the six parallel statements of `examples/multilingual`, counted
/// by hand from the statements and `themes.toml`. The same in every language, since the
/// statements say the same thing:
/// - Cyber mercenaries, 2: mercenaries + spyware; cybermercenaires + logiciels espions;
///   cibermercenarios + programas espía; Кибернаёмники + шпионские программы;
///   雇佣军 (in 网络雇佣军) + 间谍软件 (in 商业间谍软件); المرتزقة + وبرامج التجسس.
/// - Critical infrastructure, 1: critical infrastructure; infrastructures critiques;
///   infraestructura crítica; критическую инфраструктуру; 关键基础设施; البنية التحتية الحيوية.
/// - Capacity building, 1: capacity building; renforcement des capacités; creación de
///   capacidad; Наращивание потенциала; 能力建设; بناء القدرات.
/// - Multistakeholder participation, 2: civil society + private sector; société civile +
///   secteur privé; sociedad civil + sector privado; гражданского общества + частного
///   сектора; 民间社会 + 私营部门; المجتمع المدني + والقطاع الخاص.
/// - Norms and international law, 2: international law + norms; droit international +
///   normes; derecho internacional + normas; Международное право + нормы; 国际法 + 规范;
///   القانونُ الدولي + المعايير.
/// - Supply chain, 1: supply chain; chaîne d'approvisionnement; cadena de suministro;
///   цепочки поставок; 供应链; سلسلة التوريد.
const HAND_COUNT: [(&str, u64); 6] = [
    ("Cyber mercenaries", 2),
    ("Critical infrastructure", 1),
    ("Capacity building", 1),
    ("Multistakeholder participation", 2),
    ("Norms and international law", 2),
    ("Supply chain", 1),
];

/// A copy of the example in a fresh folder (its config writes `output/` beside itself).
fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples/multilingual"), dir.path());
    dir
}

fn run_example(dir: &Path) {
    assert_ok(&run_in(
        dir,
        &["run", "--config", "topictrends.toml", "--no-charts"],
    ));
}

#[test]
fn parallel_statements_give_the_hand_counted_hits_in_every_language() {
    let dir = example();
    run_example(dir.path());
    let out = dir.path().join("output");
    let by_language = read_csv(&out.join("theme_scores_by_language.csv"));
    let docs = read_csv(&out.join("documents.csv"));
    // Six statements, each in its manifest's language.
    assert_eq!(docs.len(), 6);
    for d in &docs {
        assert_eq!(d["file"], format!("{}.txt", d["language"]));
        assert_eq!(d["language_source"], "manifest");
    }
    for language in LANGUAGES {
        let doc = docs.iter().find(|d| d["language"] == language).unwrap();
        let kept: f64 = doc["kept_tokens"].parse().unwrap();
        for (theme, hits) in HAND_COUNT {
            let row = by_language
                .iter()
                .find(|r| r["language"] == language && r["theme"] == theme)
                .unwrap_or_else(|| panic!("no row for {language} {theme}"));
            assert_eq!(row["hits"], hits.to_string(), "{language}: {theme}");
            assert_eq!(row["docs"], "1");
            assert_eq!(row["docs_with_hits"], "1");
            let rate = format!("{:.4}", hits as f64 * 1000.0 / kept);
            assert_eq!(row["per_1000"], rate, "{language}: {theme}");
        }
    }
    // theme_scores.csv: one row per session and theme over all languages, each the sum of its
    // languages (three statements per session).
    let scores = read_csv(&out.join("theme_scores.csv"));
    assert_eq!(scores.len(), 2 * HAND_COUNT.len());
    for (theme, hits) in HAND_COUNT {
        for session in ["Session 8", "Session 9"] {
            let row = scores
                .iter()
                .find(|r| r["session"] == session && r["theme"] == theme)
                .unwrap();
            assert_eq!(row["hits"], (3 * hits).to_string(), "{session}: {theme}");
            assert_eq!(row["docs_with_hits"], "3");
            let kept: u64 = docs
                .iter()
                .filter(|d| d["group"] == session)
                .map(|d| d["kept_tokens"].parse::<u64>().unwrap())
                .sum();
            assert_eq!(row["kept_tokens"], kept.to_string());
        }
    }
    // Every hit's pattern is one of its statement's language.
    let matches = read_csv(&out.join("theme_matches.csv"));
    assert_eq!(matches.len(), 6 * 9);
    // Terms are stems of one language, each row saying which.
    let terms = read_csv(&out.join("term_frequencies.csv"));
    for language in LANGUAGES {
        assert!(
            terms.iter().any(|t| t["language"] == language),
            "no {language} term"
        );
    }
    assert!(
        terms
            .iter()
            .any(|t| t["language"] == "zh" && t["term"] == "保护" && t["count"] == "2")
    );
    assert!(
        terms
            .iter()
            .any(|t| t["language"] == "ru" && t["display_term"] == "защищать")
    );
}

/// Writes the example's manifest without its `language` column and sets `language`.
fn without_language_column(dir: &Path, language: &str) {
    let manifest = dir.join("input/metadata.csv");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let stripped: String = text
        .lines()
        .map(|l| format!("{}\n", l.rsplit_once(',').unwrap().0))
        .collect();
    std::fs::write(&manifest, stripped).unwrap();
    let config = dir.join("topictrends.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        text.replace("language = \"en\"", &format!("language = {language:?}")),
    )
    .unwrap();
}

#[test]
fn detection_names_the_language_of_each_parallel_statement() {
    let dir = example();
    without_language_column(dir.path(), "detect");
    run_example(dir.path());
    let out = dir.path().join("output");
    for d in read_csv(&out.join("documents.csv")) {
        assert_eq!(d["file"], format!("{}.txt", d["language"]), "{d:?}");
        assert_eq!(d["language_source"], "detected");
    }
    // Detected, they count exactly as when the manifest names their language.
    let rows = read_csv(&out.join("theme_scores_by_language.csv"));
    for (theme, hits) in HAND_COUNT {
        for language in LANGUAGES {
            let row = rows
                .iter()
                .find(|r| r["language"] == language && r["theme"] == theme)
                .unwrap();
            assert_eq!(row["hits"], hits.to_string(), "{language}: {theme}");
        }
    }
}

#[test]
fn grouped_by_language_each_statement_is_in_the_group_of_the_language_it_is_read_in() {
    // Detected (no metadata names a language) or named in a spelling the tool does not use
    // as a label ("French"): the group is the language the statement is analysed in.
    let dir = example();
    without_language_column(dir.path(), "detect");
    let config = dir.path().join("topictrends.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        format!("{text}\n[metadata]\ngroup_by = \"language\"\n"),
    )
    .unwrap();
    let manifest = dir.path().join("input/metadata.csv");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let text = text.replacen("file,session", "file,language,session", 1);
    let text = text.replace("\nfr.txt,", "\nfr.txt,French,");
    let text = (text.lines())
        .map(|l| match l.split_once(',') {
            Some((f, rest)) if !l.starts_with("file,") && !l.starts_with("fr.txt,") => {
                format!("{f},,{rest}\n")
            }
            _ => format!("{l}\n"),
        })
        .collect::<String>();
    std::fs::write(&manifest, text).unwrap();
    let out = run_in(
        dir.path(),
        &["run", "--config", "topictrends.toml", "--no-charts"],
    );
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("no statement has"), "{stderr}");
    let output = dir.path().join("output");
    for d in read_csv(&output.join("documents.csv")) {
        assert_eq!(d["group"], d["language"], "{d:?}");
        assert_eq!(d["file"], format!("{}.txt", d["language"]), "{d:?}");
    }
    let scores = read_csv(&output.join("theme_scores.csv"));
    for language in LANGUAGES {
        for (theme, hits) in HAND_COUNT {
            let row = (scores.iter())
                .find(|r| r["session"] == language && r["theme"] == theme)
                .unwrap_or_else(|| panic!("no row for {language}, {theme}: {scores:?}"));
            assert_eq!(row["hits"], hits.to_string(), "{language}: {theme}");
        }
    }
}

#[test]
fn without_a_language_every_statement_is_in_the_default_one() {
    let dir = example();
    without_language_column(dir.path(), "fr");
    // patterns are now French: the dictionary's English list moves to patterns_en.
    let themes = dir.path().join("themes.toml");
    let text = std::fs::read_to_string(&themes).unwrap();
    std::fs::write(
        &themes,
        text.replace("\npatterns = ", "\npatterns_en = ")
            .replace("\npatterns_fr = ", "\npatterns = "),
    )
    .unwrap();
    run_example(dir.path());
    let out = dir.path().join("output");
    for d in read_csv(&out.join("documents.csv")) {
        assert_eq!(
            (d["language"].as_str(), d["language_source"].as_str()),
            ("fr", "default")
        );
    }
    // The French statement, read as French, still has its hand-counted hits.
    let rows = read_csv(&out.join("theme_scores_by_language.csv"));
    let fr: u64 = rows
        .iter()
        .filter(|r| r["session"] == "Session 8")
        .map(|r| r["hits"].parse::<u64>().unwrap())
        .sum();
    assert!(fr >= 9, "{fr}");
}

#[test]
fn a_bad_language_value_is_a_warning_where_it_is_written() {
    let dir = example();
    let manifest = dir.path().join("input/metadata.csv");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replace("Delegation A,OEWG,en", "Delegation A,OEWG,german"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("input/extra.md"),
        "---\ntitle: Extra\nlanguage: klingon\ndate: 2024-07-09\n---\nCapacity building matters.\n",
    )
    .unwrap();
    let out = run_in(
        dir.path(),
        &["run", "--config", "topictrends.toml", "--no-charts"],
    );
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // At the manifest's row, and at the front matter's line, that hold the value.
    assert!(
        stderr.contains("metadata.csv:2: en.txt: language \"german\" (manifest) is not one of"),
        "{stderr}"
    );
    assert!(
        stderr.contains("extra.md:3: language \"klingon\" (front_matter) is not one of"),
        "{stderr}"
    );
    let docs = read_csv(&dir.path().join("output/documents.csv"));
    let en = docs.iter().find(|d| d["file"] == "en.txt").unwrap();
    assert_eq!(
        (en["language"].as_str(), en["language_source"].as_str()),
        ("en", "default")
    );
}

#[test]
fn a_pattern_for_the_default_language_under_its_code_is_an_error() {
    let dir = example();
    let themes = dir.path().join("themes.toml");
    let text = std::fs::read_to_string(&themes).unwrap();
    std::fs::write(&themes, format!("{text}patterns_en = [\"x\"]\n")).unwrap();
    let out = run_in(dir.path(), &["check", "--config", "topictrends.toml"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("themes.toml")
            && stderr.contains("patterns_en repeats the default language"),
        "{stderr}"
    );
}

#[test]
fn detection_reads_the_english_seeds_as_english() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("input"), &dir.path().join("input"));
    std::fs::write(
        dir.path().join("c.toml"),
        "[analysis]\nlanguage = \"detect\"\n",
    )
    .unwrap();
    assert_ok(&run_in(
        dir.path(),
        &["run", "--config", "c.toml", "--no-charts"],
    ));
    let docs = read_csv(&dir.path().join("output/documents.csv"));
    assert_eq!(docs.len(), 2);
    for d in docs {
        assert_eq!(
            (d["language"].as_str(), d["language_source"].as_str()),
            ("en", "detected")
        );
    }
}

/// Files of today's English jobs whose columns are unchanged; and those that gained columns at
/// the end, with how many.
/// Columns added at the end since, with what every row ends with (`None`: it varies).
const APPENDED: [(&str, Option<&str>); 8] = [
    ("documents.csv", Some(",en,default")),
    ("term_frequencies.csv", Some(",en")),
    ("term_frequencies_wide.csv", Some(",en")),
    ("keyness.csv", Some(",en")),
    ("top_terms.csv", Some(",en")),
    ("collocations.csv", Some(",en")),
    ("theme_matches.csv", None),
    ("theme_contexts.csv", None),
];

/// Every CSV of an English job, as written before languages existed (`tests/golden/english`,
/// written by the binary of the commit before them), is what the job writes now, byte for
/// byte, once the columns added at the end are removed.
fn assert_english_outputs_unchanged(job: &str, config: &str) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let config = repo().join(config);
    let run = run_in(
        &repo(),
        &[
            "run",
            "--no-cache",
            "--config",
            config.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert_ok(&run);
    let golden = repo().join("tests/golden/english").join(job);
    let mut compared = 0;
    for entry in std::fs::read_dir(&golden).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let old = std::fs::read(&path).unwrap();
        let new = std::fs::read(out.join(&name)).unwrap();
        match APPENDED.iter().find(|(f, _)| *f == name) {
            None => assert!(old == new, "{job}/{name} differs"),
            Some(_) => {
                let old = String::from_utf8(old).unwrap();
                let new = String::from_utf8(new).unwrap();
                let (old_lines, new_lines): (Vec<&str>, Vec<&str>) =
                    (old.split('\n').collect(), new.split('\n').collect());
                assert_eq!(old_lines.len(), new_lines.len(), "{job}/{name}: rows");
                for (i, (a, b)) in old_lines.iter().zip(&new_lines).enumerate() {
                    let (a, b) = (a.trim_end_matches('\r'), b.trim_end_matches('\r'));
                    let rest = b
                        .strip_prefix(a)
                        .unwrap_or_else(|| panic!("{job}/{name} line {}: {a:?} -> {b:?}", i + 1));
                    assert!(
                        a.is_empty() && rest.is_empty() || rest.starts_with(','),
                        "{job}/{name} line {}: {rest:?}",
                        i + 1
                    );
                }
            }
        }
        compared += 1;
    }
    assert!(compared >= 10, "{compared} files compared");
    // The added columns say English throughout.
    for (name, tail) in APPENDED.iter().filter_map(|(n, t)| Some((n, (*t)?))) {
        let text = std::fs::read_to_string(out.join(name)).unwrap();
        for line in text.lines().skip(1) {
            assert!(line.ends_with(tail), "{name}: {line}");
        }
    }
    // And the by-language table is theme_scores.csv again, with `en` in every row.
    let scores = read_csv(&out.join("theme_scores.csv"));
    let by_language = read_csv(&out.join("theme_scores_by_language.csv"));
    assert_eq!(scores.len(), by_language.len());
    for (a, b) in scores.iter().zip(&by_language) {
        for key in [
            "session",
            "theme",
            "hits",
            "per_1000",
            "docs_with_hits",
            "docs",
        ] {
            assert_eq!(a[key], b[key], "{key}");
        }
        assert_eq!(b["language"], "en");
    }
}

#[test]
fn english_outputs_of_the_shipped_input_are_unchanged() {
    assert_english_outputs_unchanged("shipped", "config/topictrends.toml");
}

#[test]
fn english_outputs_of_the_hand_counted_fixture_are_unchanged() {
    assert_english_outputs_unchanged("handcount", "tests/fixtures/handcount/config.toml");
}

mod property {
    use super::*;
    use proptest::prelude::*;
    use topictrends::analyze::language::Language;
    use topictrends::config::{Overrides, Settings};
    use topictrends::count::{Accumulator, DocRecord, Engine};
    use topictrends::pipeline::{build_engine, load_dictionary};

    /// The example's engine, built once for every case.
    fn engine() -> &'static Engine {
        static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
        ENGINE.get_or_init(|| {
            let config = repo().join("examples/multilingual/topictrends.toml");
            let settings = Settings::resolve(Some(&config), &Overrides::default()).unwrap();
            let dict = load_dictionary(&settings).unwrap();
            build_engine(&settings, &dict).unwrap()
        })
    }

    /// Words of every language's statement and patterns, and words of no language in particular.
    fn word() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "mercenaries",
            "spyware",
            "critical",
            "infrastructure",
            "the",
            "of",
            "l'infrastructure",
            "critiques",
            "mercenaires",
            "normes",
            "los",
            "normas",
            "cibermercenarios",
            "нормы",
            "Кибернаёмники",
            "частного",
            "сектора",
            "网络雇佣军",
            "规范",
            "供应链",
            "的",
            "المرتزقة",
            "والقطاع",
            "الخاص",
            "القانونُ",
            "الدولي",
            "2024",
            "G20",
            ".",
            "a",
        ])
    }

    fn statement() -> impl Strategy<Value = String> {
        prop::collection::vec(word(), 0..14).prop_map(|w| w.join(" "))
    }

    /// Per statement: tokens, kept tokens, hits per theme.
    fn counts(
        engine: &Engine,
        texts: &[String],
        languages: &[Language],
    ) -> Vec<(u64, u64, Vec<u64>)> {
        let mut acc = Accumulator::default();
        for (i, (text, &language)) in texts.iter().zip(languages).enumerate() {
            let doc = DocRecord {
                index: i,
                group: format!("S{}", i % 2),
                language,
                ..DocRecord::default()
            };
            acc.add(engine, doc, text);
        }
        let (r, _) = topictrends::count::languages::finish(acc, engine, 1, 0).unwrap();
        r.docs
            .iter()
            .map(|d| (d.tokens, d.kept_tokens, d.theme_hits.clone()))
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Changing one statement's language changes no other statement's counts.
        #[test]
        fn a_statements_language_never_changes_another_statements_counts(
            texts in prop::collection::vec(statement(), 2..6),
            picks in prop::collection::vec(0..6usize, 6),
            which in 0..6usize,
            to in 0..6usize,
        ) {
            let engine = engine();
            let languages: Vec<Language> =
                picks.iter().take(texts.len()).map(|&i| Language::ALL[i]).collect();
            let which = which % texts.len();
            let mut changed = languages.clone();
            changed[which] = Language::ALL[to];
            let before = counts(engine, &texts, &languages);
            let after = counts(engine, &texts, &changed);
            for (i, (a, b)) in before.iter().zip(&after).enumerate() {
                if i != which {
                    prop_assert_eq!(a, b, "statement {}", i);
                }
            }
        }
    }
}

#[test]
fn front_matter_gives_a_statements_language() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(
        input.join("fr.txt"),
        "---\ndate: 2024-03-06\nlanguage: fr\n---\nLes cybermercenaires menacent l'infrastructure critique.\n",
    )
    .unwrap();
    std::fs::write(
        input.join("en.txt"),
        "---\ndate: 2024-03-06\n---\nMercenaries threaten critical infrastructure.\n",
    )
    .unwrap();
    assert_ok(&run_in(dir.path(), &["run", "--no-charts"]));
    let docs = read_csv(&dir.path().join("output/documents.csv"));
    let got: Vec<(&str, &str, &str)> = docs
        .iter()
        .map(|d| {
            (
                d["file"].as_str(),
                d["language"].as_str(),
                d["language_source"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("en.txt", "en", "default"),
            ("fr.txt", "fr", "front_matter")
        ]
    );
    // The French statement's words are French stems (elision cut, Snowball French).
    let terms = read_csv(&dir.path().join("output/term_frequencies.csv"));
    assert!(terms.is_empty() || terms.iter().all(|t| t["language"] == "en"));
    let header = common::csv_header(&dir.path().join("output/documents.csv"));
    assert_eq!(&header[header.len() - 2..], ["language", "language_source"]);
}

/// report.html keeps Arabic in its direction: an Arabic term or name is isolated in `<bdi>` (so
/// the counts the page writes after it stay after it), and an Arabic passage reads from the right.
#[test]
fn the_report_keeps_arabic_text_in_its_direction() {
    let dir = example();
    run_example(dir.path());
    let html = std::fs::read_to_string(dir.path().join("output/report.html")).unwrap();
    assert!(html.contains("<bdi>"), "no isolated right-to-left text");
    assert!(
        html.contains("<td class=\"passage\" dir=\"rtl\">"),
        "no right-to-left passage"
    );
    // English passages are written as before, without a direction.
    assert!(html.contains("<td class=\"passage\">"));
    // Every isolate is closed.
    assert_eq!(
        html.matches("<bdi>").count(),
        html.matches("</bdi>").count()
    );
}

/// `kwic --language` reads the pattern with that language's chain and searches that language's
/// statements only; an unknown code is a usage error (exit 2).
#[test]
fn kwic_searches_the_statements_of_the_pattern_language() {
    let dir = example();
    let kwic = |args: &[&str]| {
        let mut all = vec!["kwic"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--config", "topictrends.toml", "--width", "20"]);
        run_in(dir.path(), &all)
    };
    let zh = kwic(&["雇佣军", "--language", "zh"]);
    assert_ok(&zh);
    let out = String::from_utf8(zh.stdout).unwrap();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(
        out.starts_with("zh ") && out.contains("网络[雇佣军]"),
        "{out}"
    );
    // The summary counts the statements searched: the Chinese one, the five others apart.
    let stderr = String::from_utf8_lossy(&zh.stderr);
    assert!(
        stderr.contains(
            "1 occurrence of \"雇佣军\" in 1 of 1 statements in Chinese (5 in other languages not searched)"
        ),
        "{stderr}"
    );
    let fr = kwic(&["cybermercenaire*", "--language", "fr"]);
    assert_ok(&fr);
    let out = String::from_utf8(fr.stdout).unwrap();
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.starts_with("fr "), "{out}");
    // The same pattern in the default language (English) finds nothing in French.
    let en = kwic(&["cybermercenaire*"]);
    assert_ok(&en);
    assert!(en.stdout.is_empty());
    let bad = kwic(&["x", "--language", "de"]);
    assert_eq!(bad.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(
        stderr.contains("--language") && stderr.contains("'de'"),
        "{stderr}"
    );
}

#[test]
fn a_theme_without_patterns_in_a_statements_language_is_a_warning_per_language() {
    let dir = example();
    let themes = dir.path().join("themes.toml");
    let text = std::fs::read_to_string(&themes).unwrap();
    std::fs::write(
        &themes,
        format!("{text}\n[[theme]]\nname = \"Paix\"\npatterns_fr = [\"paix\"]\n"),
    )
    .unwrap();
    let out = run_in(
        dir.path(),
        &["run", "--config", "topictrends.toml", "--no-charts"],
    );
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    // Once for each language with statements but no pattern of the theme, naming the key.
    assert!(
        stderr.contains(
            "themes.toml: 1 of 7 themes has no pattern in English (`patterns`), the language of 1 statement: it scores 0 there whatever was said: \"Paix\""
        ),
        "{stderr}"
    );
    for code in ["ar", "es", "ru", "zh"] {
        assert!(
            stderr.contains(&format!("(`patterns_{code}`)")),
            "{code}: {stderr}"
        );
    }
    assert!(!stderr.contains("patterns_fr`"), "{stderr}");
    // `check` says how many patterns each language's statements are matched against.
    let out = run_in(dir.path(), &["check", "--config", "topictrends.toml"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no pattern in Russian"), "{stderr}");
}

#[test]
fn a_rerun_counts_every_language_from_its_record_as_a_clean_run_does() {
    let dir = example();
    let d = dir.path();
    let args = ["run", "--config", "topictrends.toml", "--no-charts"];
    let statements = |d: &Path| {
        let json = std::fs::read(d.join("output/run.json")).unwrap();
        serde_json::from_slice::<serde_json::Value>(&json).unwrap()["statements"].clone()
    };
    let clean = |d: &Path| {
        let name = "clean-reference";
        let _ = std::fs::remove_dir_all(d.join(name));
        let mut clean = args.to_vec();
        clean.extend(["--output", name, "--no-cache"]);
        assert_ok(&run_in(d, &clean));
        common::snapshot(&d.join(name))
    };
    assert_ok(&run_in(d, &args));
    assert_eq!(statements(d)["analysed"], 6);
    assert_ok(&run_in(d, &args));
    let rerun = statements(d);
    assert_eq!(rerun["counted_from_records"], 6, "{rerun}");
    assert_eq!(rerun["analysed"], 0, "{rerun}");
    assert_eq!(common::snapshot(&d.join("output")), clean(d));

    // A new Chinese pattern is a word the Chinese segmenter keeps whole: the Chinese
    // statement is cut again, the other five are matched from their records.
    let themes = std::fs::read_to_string(d.join("themes.toml")).unwrap();
    std::fs::write(
        d.join("themes.toml"),
        themes
            + "\n[[theme]]\nname = \"Grids\"\npatterns = [\"grid*\"]\n\
                  patterns_fr = [\"réseau*\"]\npatterns_zh = [\"电网\"]\n",
    )
    .unwrap();
    assert_ok(&run_in(d, &args));
    let edited = statements(d);
    assert_eq!(edited["counted_from_records"], 5, "{edited}");
    assert_eq!(edited["analysed"], 1, "{edited}");
    assert_eq!(common::snapshot(&d.join("output")), clean(d));
}

/// Runs the example as shipped and after `change` (made to its copy's folder), and checks the
/// counts agree: every language's theme scores and term frequencies, and the hits at the same
/// tokens (byte offsets may move with the text). Returns the changed copy.
fn assert_counts_unchanged_by(change: impl FnOnce(&Path)) -> tempfile::TempDir {
    let plain = example();
    run_example(plain.path());
    let changed = example();
    change(changed.path());
    run_example(changed.path());
    for table in ["theme_scores_by_language.csv", "term_frequencies.csv"] {
        let a = std::fs::read_to_string(plain.path().join("output").join(table)).unwrap();
        let b = std::fs::read_to_string(changed.path().join("output").join(table)).unwrap();
        assert_eq!(a, b, "{table}");
    }
    let hits = |dir: &Path| {
        read_csv(&dir.join("output/theme_matches.csv"))
            .into_iter()
            .map(|mut r| {
                r.remove("byte_start");
                r.remove("byte_end");
                r
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(hits(plain.path()), hits(changed.path()));
    changed
}

#[test]
fn chinese_hard_wrapped_mid_word_counts_as_the_unwrapped_statement() {
    assert_counts_unchanged_by(|dir| {
        let zh = dir.join("input/zh.txt");
        let text = std::fs::read_to_string(&zh).unwrap();
        // Wrapped every five characters, as a PDF's lines or a hard-wrapped file break
        // Chinese: the breaks fall inside words (间谍|软件, 安|全), some lines are indented.
        let chars: Vec<char> = text.trim_end().chars().collect();
        let lines: Vec<String> = chars.chunks(5).map(|c| c.iter().collect()).collect();
        let wrapped = lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                if i % 3 == 1 {
                    format!("  {l}")
                } else {
                    l.clone()
                }
            })
            .collect::<Vec<_>>()
            .join("\r\n");
        assert!(wrapped.contains("间谍\r\n软件") && wrapped.contains("安\r\n  全"));
        std::fs::write(&zh, wrapped + "\n").unwrap();
    });
}

#[test]
fn statements_in_legacy_encodings_count_as_in_utf8() {
    // Russian in windows-1251, Chinese in GBK, Arabic in windows-1256: how older archives
    // and word processors saved them.
    let legacy = [
        ("ru", encoding_rs::WINDOWS_1251),
        ("zh", encoding_rs::GBK),
        ("ar", encoding_rs::WINDOWS_1256),
    ];
    let changed = assert_counts_unchanged_by(|dir| {
        for (language, encoding) in legacy {
            let path = dir.join(format!("input/{language}.txt"));
            let text = std::fs::read_to_string(&path).unwrap();
            let (bytes, _, unmappable) = encoding.encode(&text);
            assert!(!unmappable, "{language}");
            std::fs::write(&path, bytes).unwrap();
        }
    });
    let docs = read_csv(&changed.path().join("output/documents.csv"));
    for (language, encoding) in legacy {
        let doc = docs.iter().find(|d| d["language"] == language).unwrap();
        assert_eq!(doc["encoding"], encoding.name(), "{language}");
    }
}

#[test]
fn a_chinese_pattern_inside_another_themes_pattern_counts_as_it_does_alone() {
    // 安全 (security) lies inside 网络安全 (cyber security), 国家安全 and 安全理事会: four
    // times in this statement, whether or not another theme looks for 网络安全.
    let statement = "网络安全是国家安全的一部分。安全理事会讨论了网络安全。\n";
    let security =
        "[[theme]]\nname = \"Security\"\npatterns = [\"security\"]\npatterns_zh = [\"安全\"]\n";
    let cyber = "[[theme]]\nname = \"Cyber security\"\npatterns = [\"cybersecurity\"]\npatterns_zh = [\"网络安全\"]\n";
    let run = |themes: &str| {
        let dir = example();
        std::fs::write(dir.path().join("input/zh.txt"), statement).unwrap();
        std::fs::write(dir.path().join("themes.toml"), themes).unwrap();
        run_example(dir.path());
        let out = dir.path().join("output");
        let hits: Vec<(String, String)> = read_csv(&out.join("theme_scores_by_language.csv"))
            .into_iter()
            .filter(|r| r["language"] == "zh")
            .map(|r| (r["theme"].clone(), r["hits"].clone()))
            .collect();
        let tokens = read_csv(&out.join("documents.csv"))
            .into_iter()
            .find(|d| d["language"] == "zh")
            .map(|d| (d["tokens"].clone(), d["kept_tokens"].clone()))
            .unwrap();
        (hits, tokens)
    };
    let (alone, alone_tokens) = run(security);
    let (both, both_tokens) = run(&format!("{security}\n{cyber}"));
    assert_eq!(alone, [("Security".to_string(), "4".to_string())]);
    assert_eq!(
        both,
        [
            ("Security".to_string(), "4".to_string()),
            ("Cyber security".to_string(), "2".to_string())
        ]
    );
    // The statement's words are cut alike either way: its totals do not depend on the themes.
    assert_eq!(alone_tokens, both_tokens);
}

/// A Chinese statement counts its one-character words (人, 车, 山...) whether Chinese is
/// the default language or another one: the same statement, the same tokens.
#[test]
fn chinese_one_character_words_count_as_default_language_too() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("input")).unwrap();
    std::fs::write(
        d.join("input/z.txt"),
        "我们的国家是和平的。人、车、山、水、网。他说。\n",
    )
    .unwrap();
    std::fs::write(d.join("input/e.txt"), "The network and the mountain.\n").unwrap();
    std::fs::write(d.join("input/m.csv"), "file,language\ne.txt,en\nz.txt,zh\n").unwrap();
    let mut counts = Vec::new();
    for default in ["en", "zh"] {
        let patterns = if default == "zh" {
            // Under the default language's own key the Chinese pattern is `patterns`.
            "[[theme]]\nname = \"Net\"\npatterns = [\"网\"]\npatterns_en = [\"network\"]\n"
        } else {
            "[[theme]]\nname = \"Net\"\npatterns = [\"network\"]\npatterns_zh = [\"网\"]\n"
        };
        std::fs::write(d.join("themes.toml"), patterns).unwrap();
        std::fs::write(
            d.join("c.toml"),
            format!(
                "[input]\ndir = \"input\"\n[metadata]\nmanifest = \"m.csv\"\n\
                 [themes]\nfile = \"themes.toml\"\n[analysis]\nlanguage = \"{default}\"\n"
            ),
        )
        .unwrap();
        let out = format!("out-{default}");
        assert_ok(&run_in(
            d,
            &["run", "--config", "c.toml", "--no-charts", "--output", &out],
        ));
        let docs = read_csv(&d.join(&out).join("documents.csv"));
        let z = docs.iter().find(|r| r["doc_id"] == "z").unwrap();
        let scores = read_csv(&d.join(&out).join("theme_scores_by_language.csv"));
        let zh_hits: Vec<String> = (scores.iter())
            .filter(|r| r["language"] == "zh")
            .map(|r| r["hits"].clone())
            .collect();
        counts.push((z["tokens"].clone(), z["kept_tokens"].clone(), zh_hits));
    }
    assert_eq!(counts[0], counts[1]);
    assert_eq!(counts[0].2, ["1"], "网 is found: {counts:?}");
}

/// A phrase that stopwords leave with one word is warned about (the Spanish list holds
/// "estados", a form of "estar"), and `stopwords_remove` gives the phrase back.
#[test]
fn a_phrase_left_with_one_word_by_stopwords_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("input")).unwrap();
    std::fs::write(
        d.join("input/s.txt"),
        "Las Naciones Unidas y los Estados Unidos.\n",
    )
    .unwrap();
    std::fs::write(
        d.join("themes.toml"),
        "[[theme]]\nname = \"US\"\npatterns = [\"Estados Unidos\", \"rule of law\"]\n",
    )
    .unwrap();
    let config = |extra: &str| {
        format!(
            "[input]\ndir = \"input\"\n[themes]\nfile = \"themes.toml\"\n\
             [analysis]\nlanguage = \"es\"\n{extra}"
        )
    };
    std::fs::write(d.join("c.toml"), config("")).unwrap();
    let out = run_in(d, &["check", "--config", "c.toml"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "theme \"US\", pattern \"Estados Unidos\": \"Estados\" is in the stopword list"
        ),
        "{stderr}"
    );
    // "rule of law" keeps two words: no warning for it.
    assert!(!stderr.contains("\"rule of law\""), "{stderr}");
    assert_ok(&run_in(
        d,
        &["run", "--config", "c.toml", "--no-charts", "--output", "o1"],
    ));
    let hits = read_csv(&d.join("o1/theme_matches.csv"));
    assert_eq!(hits.len(), 2, "Unidas and Unidos both count: {hits:?}");
    std::fs::write(
        d.join("c.toml"),
        config("stopwords_remove = [\"estados\"]\n"),
    )
    .unwrap();
    let out = run_in(
        d,
        &["run", "--config", "c.toml", "--no-charts", "--output", "o2"],
    );
    assert_ok(&out);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("stopword list"));
    let hits = read_csv(&d.join("o2/theme_matches.csv"));
    let matched: Vec<&str> = hits.iter().map(|r| r["matched_text"].as_str()).collect();
    assert_eq!(matched, ["Estados Unidos"]);
}

/// "United Nations" in Arabic keeps both its words: the shipped Arabic list no longer holds
/// للامم, which the article rule made الامم ("the nations"); so "the United Kingdom" (المملكة
/// المتحدة) is not counted as the UN.
#[test]
fn the_united_nations_in_arabic_is_two_words() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir_all(d.join("input")).unwrap();
    std::fs::write(
        d.join("input/s.txt"),
        "الأمم المتحدة والولايات المتحدة والمملكة المتحدة وللأمم المتحدة.\n",
    )
    .unwrap();
    std::fs::write(
        d.join("themes.toml"),
        "[[theme]]\nname = \"UN\"\npatterns = [\"الأمم المتحدة\"]\n",
    )
    .unwrap();
    std::fs::write(
        d.join("c.toml"),
        "[input]\ndir = \"input\"\n[themes]\nfile = \"themes.toml\"\n[analysis]\nlanguage = \"ar\"\n",
    )
    .unwrap();
    let out = run_in(
        d,
        &["run", "--config", "c.toml", "--no-charts", "--output", "o"],
    );
    assert_ok(&out);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("stopword list"));
    let hits = read_csv(&d.join("o/theme_matches.csv"));
    let matched: Vec<&str> = hits.iter().map(|r| r["matched_text"].as_str()).collect();
    assert_eq!(matched, ["الأمم المتحدة", "وللأمم المتحدة"]);
}
