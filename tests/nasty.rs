//! Real-world bad input (issue 8): every encoding and malformation gets a clear answer, and
//! every file under the input folder ends up in documents.csv or skipped.csv, exactly once.
//!
//! The corpus is tests/fixtures/nasty; what cannot sensibly be committed (other encodings,
//! CR line ends, NUL bytes, a long line, symbolic links, a file without read permission,
//! editor swap files that .gitignore would drop) is added at run time by `nasty_workdir`.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::*;
use topictrends::config::{Overrides, Settings};
use topictrends::read::large::Chunking;

const HEADER: &str = "Session 5, 26 July 2023\n\n";

fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
    let mut out = if little_endian {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for unit in text.encode_utf16() {
        out.extend_from_slice(&if little_endian {
            unit.to_le_bytes()
        } else {
            unit.to_be_bytes()
        });
    }
    out
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

/// The fixture corpus plus the generated cases, handed over to the user that runs the binary
/// (see [`Unprivileged`]); returns the dir and that runner, None when an unreadable file
/// cannot be made (root without a way to drop privileges, outside CI).
fn nasty_workdir() -> (tempfile::TempDir, Option<Unprivileged>) {
    let dir = workdir_with("nasty");
    let input = dir.path().join("input");
    let text = format!("{HEADER}La sécurité du café, façade.\n");
    let enc = input.join("encodings");
    std::fs::create_dir(&enc).unwrap();
    let files: Vec<(&str, Vec<u8>)> = vec![
        ("utf8.txt", text.clone().into_bytes()),
        (
            "utf8-bom.txt",
            [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat(),
        ),
        ("utf16le.txt", utf16(&text, true)),
        ("utf16be.txt", utf16(&text, false)),
        (
            "windows-1252.txt",
            format!("{HEADER}La s\u{e9}curit\u{e9} du caf\u{e9}, fa\u{e7}ade.\n")
                .chars()
                .map(|c| c as u32 as u8)
                .collect(),
        ),
        (
            // One stray Latin-1 byte (0xE9) among valid UTF-8: replaced and reported at byte 43 (25 + 15 + 3).
            "bad-utf8.txt",
            [HEADER.as_bytes(), "La sécurité, ".as_bytes(), b"caf\xE9.\n"].concat(),
        ),
    ];
    for (name, bytes) in files {
        std::fs::write(enc.join(name), bytes).unwrap();
    }
    std::fs::write(
        input.join("cr-only.txt"),
        "Session 5, 26 July 2023\r\rFirst line\rsecond line on capacity\rbuilding.\r",
    )
    .unwrap();
    std::fs::write(input.join("binary.txt"), b"GIF89a\x01\x00\x00\x00text").unwrap();
    // One 2 MB line: 200,000 words without a line break.
    std::fs::write(
        input.join("long-line.txt"),
        format!("{HEADER}{}\n", "norms words ".repeat(100_000)),
    )
    .unwrap();
    std::fs::write(input.join("draft.swp"), "swap").unwrap();
    std::fs::write(input.join(".plain.txt.swp"), "swap").unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink("..", input.join("sub/loop")).unwrap();
        std::os::unix::fs::symlink("nowhere.txt", input.join("dangling.txt")).unwrap();
        // A pipe and a device are no statements (a FIFO with no writer would block the run).
        let fifo = std::process::Command::new("mkfifo")
            .arg(input.join("pipe.txt"))
            .status()
            .unwrap();
        assert!(fifo.success(), "mkfifo");
        std::os::unix::fs::symlink("/dev/null", input.join("device.txt")).unwrap();
    }
    let runner = Unprivileged::for_test("the unreadable-file case");
    if runner.is_some() {
        std::fs::write(input.join("unreadable.txt"), "secret").unwrap();
    }
    if let Some(r) = &runner {
        r.hand_over(dir.path());
        set_mode(&input.join("unreadable.txt"), 0o000);
    }
    (dir, runner)
}

/// Every non-folder entry under `dir` (symbolic links as entries, not followed).
fn all_entries(base: &Path, dir: &Path, out: &mut Vec<String>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let path = e.path();
        let rel = path
            .strip_prefix(base)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        if e.file_type().unwrap().is_dir() {
            all_entries(base, &path, out);
        } else {
            out.push(rel);
        }
    }
}

/// Asserts that each file under `input` is a documents.csv row or a skipped.csv line, once.
fn assert_nothing_lost(input: &Path, documents: &[String], skipped: &[String]) {
    let mut entries = Vec::new();
    all_entries(input, input, &mut entries);
    let mut listed: Vec<&String> = documents.iter().chain(skipped).collect();
    listed.sort();
    let unique: BTreeSet<&String> = listed.iter().copied().collect();
    assert_eq!(listed.len(), unique.len(), "listed twice: {listed:?}");
    let entries: BTreeSet<&String> = entries.iter().collect();
    assert_eq!(unique, entries, "documents.csv + skipped.csv = every file");
}

fn column(rows: &[BTreeMap<String, String>], name: &str) -> Vec<String> {
    rows.iter().map(|r| r[name].clone()).collect()
}

#[test]
fn nasty_corpus_end_to_end() {
    let (dir, runner) = nasty_workdir();
    let d = dir.path();
    let args = ["run", "--config", "config.toml", "--output", "out"];
    let out = match &runner {
        Some(r) => r.run_in(d, &args),
        None => run_in(d, &args),
    };
    assert_ok(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let o = d.join("out");

    let docs = read_csv(&o.join("documents.csv"));
    let skipped = read_csv(&o.join("skipped.csv"));
    assert_nothing_lost(
        &d.join("input"),
        &column(&docs, "file"),
        &column(&skipped, "file"),
    );

    // Encodings: each decoded and named; the text is the same word in all of them.
    for (file, encoding) in [
        ("encodings/utf8.txt", "utf-8"),
        ("encodings/utf8-bom.txt", "utf-8-bom"),
        ("encodings/utf16le.txt", "utf-16le"),
        ("encodings/utf16be.txt", "utf-16be"),
        ("encodings/windows-1252.txt", "windows-1252"),
        ("encodings/bad-utf8.txt", "utf-8"),
    ] {
        let r = row(&docs, &[("file", file)]);
        assert_eq!(r["encoding"], encoding, "{file}");
        assert_eq!(r["session"], "5", "{file}: header read after decoding");
    }
    let matches = read_csv(&o.join("theme_matches.csv"));
    let hits = |doc: &str, theme: &str| -> Vec<String> {
        matches
            .iter()
            .filter(|m| m["doc_id"] == doc && m["theme"] == theme)
            .map(|m| m["matched_text"].clone())
            .collect()
    };
    for doc in [
        "utf8",
        "utf8-bom",
        "utf16le",
        "utf16be",
        "windows-1252",
        "bad-utf8",
    ] {
        assert_eq!(
            hits(&format!("encodings/{doc}"), "Security"),
            ["sécurité"],
            "{doc}"
        );
    }

    // Text: one assertion per cleaning rule.
    assert_eq!(
        hits("nfc-nfd", "Security").len(),
        2,
        "NFC and NFD are one term"
    );
    // A hyphen at a line end is the compound's own (the statement never writes the word
    // whole): the line break goes, the hyphen stays, and "multi stakeholder" matches.
    assert_eq!(
        hits("hyphenation", "Multistakeholder"),
        ["multi-stakeholder"]
    );
    assert_eq!(hits("invisible-characters", "Security"), ["cybersecurity"]);
    assert_eq!(
        hits("invisible-characters", "Capacity building"),
        ["capacity building"],
        "soft hyphen removed"
    );
    assert_eq!(
        hits("cr-only", "Capacity building"),
        ["capacity building"],
        "a CR is a line break, and a phrase matches across it"
    );
    let tokens = |file: &str| {
        let r = row(&docs, &[("file", file)]);
        (r["tokens"].clone(), r["kept_tokens"].clone())
    };
    // session, july, paragraph words; 1. 2. (3) and 26 2023 are numbers, not tokens.
    assert_eq!(tokens("paragraph-numbers.txt"), ("11".into(), "10".into()));
    // "don't" is one token (a stopword); "world's" and "States'" keep their words.
    assert_eq!(tokens("curly-quotes.txt"), ("12".into(), "7".into()));
    assert_eq!(tokens("form-feed.txt"), ("10".into(), "8".into()));
    // session july first line second line on capacity building: "on" is a stopword.
    assert_eq!(tokens("cr-only.txt"), ("9".into(), "8".into()));
    assert_eq!(tokens("long-line.txt").0, "200002");
    assert_eq!(tokens("empty.txt"), ("0".into(), "0".into()));
    assert_eq!(tokens("whitespace-only.txt"), ("0".into(), "0".into()));

    let terms = read_csv(&o.join("term_frequencies.csv"));
    let term_set: BTreeSet<&str> = terms.iter().map(|t| t["term"].as_str()).collect();
    for t in [
        "effect",
        "offic",
        "financ",
        "flow",
        "multi",
        "stakehold",
        "asia",
        "pacif",
    ] {
        assert!(term_set.contains(t), "term {t} (ligatures, joins)");
    }
    for t in ["multistakehold", "asiapacif", "ﬁnanc", "1", "2023"] {
        assert!(!term_set.contains(t), "no term {t}");
    }
    let world = terms.iter().find(|t| t["term"] == "world").unwrap();
    assert_eq!(
        world["display_term"], "world's",
        "curly apostrophe becomes '"
    );
    let page = terms.iter().find(|t| t["term"] == "page").unwrap();
    assert_eq!(page["count"], "2", "a form feed separates words");

    // Files that are not read: each with its reason.
    let reason = |file: &str| row(&skipped, &[("file", file)])["reason"].clone();
    assert!(reason("binary.txt").starts_with("binary file (NUL byte at offset 7)"));
    assert_eq!(reason("sub/plain-again.txt"), "duplicate of plain.txt");
    assert_eq!(reason(".hidden.txt"), "hidden file");
    assert_eq!(reason(".plain.txt.swp"), "hidden file");
    assert_eq!(reason("plain.txt~"), "editor backup or temporary file");
    assert_eq!(reason("draft.swp"), "editor backup or temporary file");
    assert_eq!(reason("README.md"), "extension not included (.md)");
    #[cfg(unix)]
    {
        assert!(reason("sub/loop").contains("symbolic link loop"));
        assert!(reason("dangling.txt").starts_with("unreadable"));
        for file in ["pipe.txt", "device.txt"] {
            assert_eq!(reason(file), topictrends::read::discover::NOT_A_FILE);
        }
    }
    if runner.is_some() {
        assert!(
            reason("unreadable.txt").contains("ermission denied"),
            "{}",
            reason("unreadable.txt")
        );
    }

    // Warnings: each names its file.
    let warnings: Vec<&str> = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("topictrends: warning: "))
        .collect();
    for expected in [
        "encodings/bad-utf8.txt: invalid UTF-8 at byte 43, replaced with U+FFFD",
        "encodings/windows-1252.txt: not valid UTF-8",
        "binary.txt: skipped: binary file (NUL byte at offset 7)",
        "sub/plain-again.txt: skipped: duplicate of plain.txt",
        "empty.txt: empty statement",
        "whitespace-only.txt: empty statement",
        // Unix only in fact (links and pipes are made there): a problem skip warns.
        "dangling.txt: skipped: unreadable: ",
        "pipe.txt: skipped: not a regular file",
        "device.txt: skipped: not a regular file",
    ]
    .into_iter()
    .filter(|e| {
        cfg!(unix)
            || !["dangling", "pipe", "device"]
                .iter()
                .any(|f| e.starts_with(f))
    }) {
        assert!(
            warnings.iter().any(|w| w.starts_with(expected)),
            "missing warning {expected:?} in\n{stderr}"
        );
    }
    let mut entries = Vec::new();
    all_entries(&d.join("input"), &d.join("input"), &mut entries);
    for w in &warnings {
        assert!(
            entries.iter().any(|e| w.starts_with(&format!("{e}:"))),
            "warning without a file: {w}"
        );
    }
}

#[test]
fn duplicates_can_be_kept() {
    let (dir, _) = nasty_workdir();
    let d = dir.path();
    let config = std::fs::read_to_string(d.join("config.toml")).unwrap();
    std::fs::write(
        d.join("keep.toml"),
        config.replace("[input]\n", "[input]\nduplicates = \"keep\"\n"),
    )
    .unwrap();
    let out = run_in(d, &["run", "--config", "keep.toml", "--output", "out"]);
    assert_ok(&out);
    let docs = read_csv(&d.join("out/documents.csv"));
    row(&docs, &[("file", "plain.txt")]);
    row(&docs, &[("file", "sub/plain-again.txt")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("sub/plain-again.txt: same content as plain.txt"),
        "{stderr}"
    );

    std::fs::write(
        d.join("bad.toml"),
        config.replace("[input]\n", "[input]\nduplicates = \"drop\"\n"),
    )
    .unwrap();
    let out = run_in(d, &["run", "--config", "bad.toml", "--output", "out2"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("[input] duplicates"));
}

/// Runs the library pipeline and renders every output file.
fn render(settings: &Settings) -> (Vec<(String, Vec<u8>)>, Vec<String>) {
    let analysis = topictrends::pipeline::analyze(settings).unwrap();
    let (files, _) =
        topictrends::write::outputs::render(&analysis, settings, &std::env::temp_dir()).unwrap();
    let files = files
        .into_iter()
        .map(|f| (f.path.display().to_string(), f.bytes))
        .collect();
    let warnings = analysis.warnings.iter().map(|w| w.to_string()).collect();
    (files, warnings)
}

fn settings(config: &Path) -> Settings {
    Settings::resolve(Some(config), &Overrides::default()).unwrap()
}

/// Reading every statement in tiny pieces gives byte-identical outputs and the same warnings.
#[test]
fn chunked_reading_equals_whole_reading() {
    let tiny = Chunking {
        threshold: 0,
        chunk_bytes: 64,
        head_bytes: 64 << 10,
    };
    let (nasty, _) = nasty_workdir();
    let handcount = workdir_with("handcount");
    for config in [
        nasty.path().join("config.toml"),
        handcount.path().join("config.toml"),
        repo().join("config/topictrends.toml"),
    ] {
        let whole = settings(&config);
        let mut pieces = settings(&config);
        pieces.chunking = tiny;
        assert_eq!(render(&whole), render(&pieces), "{}", config.display());
    }
}

/// Extracted statements (PDF, Word, HTML, Markdown) over the threshold are counted in pieces
/// of their text: the same outputs and warnings as counting each whole.
#[test]
fn extracted_statements_counted_in_pieces_equal_whole_ones() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &repo().join("tests/fixtures/formats"),
        &dir.path().join("in"),
    );
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[input]\ndir = {:?}\n[output]\nmin_count = 1\n[themes]\nfile = {:?}\n[metadata]\nmanifest = \"\"\n[charts]\nenabled = false\n",
            dir.path().join("in"),
            repo().join("config/themes.toml"),
        ),
    )
    .unwrap();
    let whole = settings(&config);
    // Pieces large enough that every one ends at a safe cut (a forced one is warned about).
    for chunk_bytes in [256, 1024, 4096] {
        let mut pieces = settings(&config);
        pieces.chunking = Chunking {
            threshold: 0,
            chunk_bytes,
            head_bytes: 64 << 10,
        };
        assert_eq!(
            render(&whole),
            render(&pieces),
            "pieces of {chunk_bytes} bytes"
        );
    }
}

/// A statement of a few MB read in 64 KiB pieces: same outputs as one read.
#[test]
fn a_large_statement_in_pieces_counts_the_same() {
    let dir = workdir_with("handcount");
    let input = dir.path().join("input");
    let seeds: Vec<String> = ["a.txt", "b.txt"]
        .iter()
        .map(|f| std::fs::read_to_string(input.join(f)).unwrap())
        .collect();
    let mut big = String::from("Session 3, 1 March 2024\n\n");
    while big.len() < 3 << 20 {
        big.push_str(&seeds.concat());
        big.push_str("Capacity\n\nbuilding across a page break. ");
    }
    std::fs::write(input.join("big.txt"), &big).unwrap();
    let config = dir.path().join("config.toml");
    let whole = settings(&config);
    let mut pieces = settings(&config);
    pieces.chunking = Chunking {
        threshold: 1 << 20,
        chunk_bytes: 64 << 10,
        head_bytes: 64 << 10,
    };
    let (a, b) = (render(&whole), render(&pieces));
    assert_eq!(a, b);
    let docs = String::from_utf8(a.0[0].1.clone()).unwrap();
    assert!(docs.contains("big,big.txt"), "{docs}");
}

mod nothing_lost {
    use super::*;
    use proptest::prelude::*;

    /// Kinds of file a random corpus is made of.
    fn file_kind() -> impl Strategy<Value = (u8, u8)> {
        (0u8..9, 0u8..4)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]

        /// Any mix of statements, copies, empty, binary, hidden, backup and other files, in
        /// nested folders: each file is in documents.csv or skipped.csv, exactly once.
        #[test]
        fn every_file_is_accounted_for_once(kinds in proptest::collection::vec(file_kind(), 1..14)) {
            let dir = tempfile::tempdir().unwrap();
            let input = dir.path().join("input");
            std::fs::create_dir_all(input.join("a/b")).unwrap();
            for (i, (kind, folder)) in kinds.iter().enumerate() {
                let folder = ["", "a/", "a/b/", "a/"][*folder as usize];
                let (name, bytes): (String, Vec<u8>) = match kind {
                    0 => (format!("s{i}.txt"), format!("Statement {i} on norms.").into_bytes()),
                    1 => (format!("copy{i}.txt"), b"The same statement.".to_vec()),
                    2 => (format!("empty{i}.txt"), Vec::new()),
                    3 => (format!("bin{i}.txt"), vec![0, 1, 2, 3]),
                    4 => (format!(".hidden{i}.txt"), b"x".to_vec()),
                    5 => (format!("backup{i}.txt~"), b"x".to_vec()),
                    6 => (format!("other{i}.pdf"), b"%PDF".to_vec()),
                    7 => (format!("latin{i}.txt"), b"caf\xE9 na\xEFve".to_vec()),
                    _ => (format!("UPPER{i}.TXT"), b"\xEF\xBB\xBFShouting.".to_vec()),
                };
                std::fs::write(input.join(folder).join(name), bytes).unwrap();
            }
            let config = dir.path().join("c.toml");
            std::fs::write(&config, "[input]\ndir = \"input\"\n[metadata]\nmanifest = \"\"\n").unwrap();
            let settings = settings(&config);
            match topictrends::pipeline::analyze(&settings) {
                Ok(analysis) => {
                    let documents: Vec<String> =
                        analysis.results.docs.iter().map(|d| d.file.clone()).collect();
                    let skipped: Vec<String> =
                        analysis.skipped.iter().map(|s| s.rel.clone()).collect();
                    assert_nothing_lost(&input, &documents, &skipped);
                }
                // No statement at all is an error of its own, and then nothing is written.
                Err(e) => prop_assert!(e.to_string().contains("no statements"), "{e}"),
            }
        }
    }
}

#[test]
fn bad_config_and_dictionary_are_clear_errors_with_exit_3() {
    let dir = workdir_with("nasty");
    let d = dir.path();
    let theme =
        |body: &str| format!("[[theme]]\nname = \"Good\"\npatterns = [\"norms\"]\n\n{body}");
    let cases: Vec<(&str, String, &[&str])> = vec![
        (
            "no patterns",
            theme("[[theme]]\nname = \"Empty\"\npatterns = []\n"),
            &["\"Empty\" has no patterns"],
        ),
        (
            "duplicate theme",
            theme("[[theme]]\nname = \"good\"\npatterns = [\"x y\"]\n"),
            &["\"good\" is defined twice"],
        ),
        (
            "empty pattern",
            theme("[[theme]]\nname = \"Blank\"\npatterns = [\"  \"]\n"),
            &["\"Blank\" has an empty pattern"],
        ),
        (
            "star inside a word",
            theme("[[theme]]\nname = \"Glob\"\npatterns = [\"cy*ber\"]\n"),
            &["\"Glob\"", "\"cy*ber\"", "only allowed at the end"],
        ),
        (
            "only stopwords",
            theme("[[theme]]\nname = \"Stop\"\npatterns = [\"of the\"]\n"),
            &["\"Stop\"", "\"of the\"", "no word left after analysis"],
        ),
        (
            "unknown key",
            theme("[[theme]]\nname = \"Typo\"\npattern = [\"x\"]\n"),
            &["line 7", "column 1", "did you mean `patterns`?"],
        ),
    ];
    for (what, text, expected) in cases {
        std::fs::write(d.join("themes.toml"), &text).unwrap();
        let out = run_in(d, &["run", "--config", "config.toml", "--output", "out"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{what}: {stderr}");
        assert!(
            stderr.contains("themes.toml"),
            "{what}: names the file: {stderr}"
        );
        for e in expected {
            assert!(stderr.contains(e), "{what}: expected {e:?} in {stderr}");
        }
        assert!(!d.join("out").exists(), "{what}: no partial output");
    }
    std::fs::write(
        d.join("bad.toml"),
        "[input]\ndir = \"input\"\ninclude_ext = [\"txt\"]\n",
    )
    .unwrap();
    let out = run_in(d, &["run", "--config", "bad.toml", "--output", "out"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    for e in ["bad.toml", "line 3", "column 1", "did you mean `include`?"] {
        assert!(stderr.contains(e), "expected {e:?} in {stderr}");
    }
    // A dictionary file that is not there: the error names it and the config line naming it.
    std::fs::write(
        d.join("missing.toml"),
        "[input]\ndir = \"input\"\n\n[themes]\nfile = \"nope.toml\"\n",
    )
    .unwrap();
    let out = run_in(d, &["run", "--config", "missing.toml", "--output", "out"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("nope.toml: cannot read theme dictionary")
            && stderr.contains("(named by missing.toml:5: [themes] file)"),
        "{stderr}"
    );
}

#[test]
fn unwritable_output_is_a_clear_error_with_exit_5_and_no_partial_output() {
    let dir = workdir_with("nasty");
    let d = dir.path();
    // A regular file where a folder is needed blocks writing even for root.
    std::fs::write(d.join("blocker"), "a file").unwrap();
    let out = run_in(
        d,
        &["run", "--config", "config.toml", "--output", "blocker/out"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("blocker/out"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(d.join("blocker")).unwrap(),
        "a file"
    );

    let Some(runner) = Unprivileged::for_test("the read-only output folder case") else {
        return;
    };
    std::fs::create_dir(d.join("locked")).unwrap();
    runner.hand_over(d);
    set_mode(&d.join("locked"), 0o500);
    let out = runner.run_in(
        d,
        &["run", "--config", "config.toml", "--output", "locked/out"],
    );
    set_mode(&d.join("locked"), 0o700);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{stderr}");
    assert!(stderr.contains("locked/out"), "{stderr}");
    assert_eq!(std::fs::read_dir(d.join("locked")).unwrap().count(), 0);
}

#[test]
fn unsafe_theme_names_give_safe_chart_files_inside_the_output() {
    let dir = workdir_with("nasty");
    let d = dir.path();
    let long = "L".repeat(300);
    let names = [
        "../x",
        "a/b",
        "CON",
        long.as_str(),
        "Sécurité 网络",
        "..",
        "x\\\\y",
    ];
    let mut themes = String::new();
    for n in names {
        themes.push_str(&format!(
            "[[theme]]\nname = \"{n}\"\npatterns = [\"capacity\"]\n\n"
        ));
    }
    std::fs::write(d.join("themes.toml"), themes).unwrap();
    let before = snapshot(d);
    let out = run_in(d, &["run", "--config", "config.toml", "--output", "out"]);
    assert_ok(&out);
    let charts: Vec<String> = std::fs::read_dir(d.join("out/charts/themes"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(charts.len(), names.len(), "one chart per theme: {charts:?}");
    for c in &charts {
        let stem = c.strip_suffix(".png").unwrap();
        assert!(
            !stem.is_empty()
                && stem.len() <= 80
                && !stem.starts_with('.')
                && stem
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'),
            "unsafe chart name {c:?}"
        );
    }
    // Nothing was written outside the output folder (the run lock and the cache sit beside it).
    let after = snapshot(d);
    let new: Vec<&String> = after
        .keys()
        .filter(|k| {
            !before.contains_key(*k)
                && !k.starts_with("out/")
                && !k.starts_with(".out.cache/")
                && !k.ends_with(".lock")
        })
        .collect();
    assert!(new.is_empty(), "written outside out/: {new:?}");
}

/// Every CSV file under `dir` (reference/ included), by path under `dir`.
fn csv_files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut entries = Vec::new();
    all_entries(dir, dir, &mut entries);
    let mut files: Vec<std::path::PathBuf> = entries
        .iter()
        .filter(|e| e.ends_with(".csv"))
        .map(|e| dir.join(e))
        .collect();
    files.sort();
    files
}

/// Issue 17, item 1: a theme name from the dictionary and a session from the manifest that
/// read as formulas are guarded in every CSV (contexts, trend tests and the reference tables
/// included) and stored as text in the workbook.
#[test]
fn formula_like_names_are_guarded_in_every_csv_and_the_workbook() {
    const THEME: &str = "=SUM(1)+1";
    const SESSION: &str = "=1+2";
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = d.join("input");
    std::fs::create_dir_all(&input).unwrap();
    let sessions = [SESSION, "-Plenary", "@Closing", "+Extra"];
    let mut manifest = String::from("file,session,date,speaker\n");
    for (i, session) in sessions.iter().enumerate() {
        let file = format!("s{i}.txt");
        // Each text its own (identical files would be set aside as duplicates).
        std::fs::write(
            input.join(&file),
            format!(
                "Cyber mercenaries threaten critical infrastructure in region {i}. Mercenaries \
                 sell spyware; mercenaries mercenaries again and again mercenaries.\n"
            ),
        )
        .unwrap();
        manifest.push_str(&format!("{file},{session},2024-0{}-01,-Speaker\n", i + 1));
    }
    std::fs::write(input.join("metadata.csv"), manifest).unwrap();
    std::fs::write(
        d.join("themes.toml"),
        format!("[[theme]]\nname = \"{THEME}\"\npatterns = [\"mercenar*\"]\n"),
    )
    .unwrap();
    std::fs::write(
        d.join("config.toml"),
        "[input]\ndir = \"input\"\n[output]\nexcel_compatible = false\nreference_tables = true\n\
         [themes]\nfile = \"themes.toml\"\n[evidence]\ncollocation_min_count = 1\nkeyness_min_count = 1\n",
    )
    .unwrap();
    let out = run_in(d, &["run", "--config", "config.toml", "--output", "out"]);
    assert_ok(&out);
    let o = d.join("out");
    let files = csv_files_under(&o);
    assert!(
        files
            .iter()
            .any(|f| f.ends_with("reference/theme_scores.csv")),
        "{files:?}"
    );
    let mut unguarded = Vec::new();
    for f in &files {
        let bytes = std::fs::read(f).unwrap();
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[..]);
        for rec in r.records() {
            for cell in rec.unwrap().iter() {
                let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
                // A negative number is a number, not a formula.
                if risky && cell.parse::<f64>().is_err() {
                    unguarded.push(format!(
                        "{}: {cell:?}",
                        f.strip_prefix(&o).unwrap().display()
                    ));
                }
            }
        }
    }
    assert!(
        unguarded.is_empty(),
        "unguarded cells:\n{}",
        unguarded.join("\n")
    );
    // The guarded values are there, so the check above did look at them.
    for (file, column, value) in [
        ("theme_scores.csv", "theme", THEME),
        ("theme_contexts.csv", "theme", THEME),
        ("theme_trend_tests.csv", "theme", THEME),
        ("reference/theme_scores.csv", "theme", THEME),
        ("reference/theme_scores.csv", "year", SESSION),
        ("reference/term_counts.csv", "year", SESSION),
        ("theme_scores.csv", "session", SESSION),
        ("theme_contexts.csv", "session", SESSION),
    ] {
        let rows = read_csv(&o.join(file));
        let guarded = format!("'{value}");
        assert!(
            rows.iter().any(|r| r[column] == guarded),
            "{file}: no {column} {guarded:?}"
        );
    }
    // The workbook stores the text as written, as text: no cell is a formula.
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(
        std::fs::read(o.join("topictrends.xlsx")).unwrap(),
    ))
    .unwrap();
    for sheet in book.sheet_names() {
        let formulas = book.worksheet_formula(&sheet).unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "{sheet}: a formula"
        );
    }
    let scores = book.worksheet_range("theme_scores").unwrap();
    assert!(
        scores
            .used_cells()
            .any(|(_, _, c)| *c == Data::String(THEME.into())),
        "the workbook keeps the theme name as text"
    );
}

/// A run of letters with no spaces (100,000 `x`), and pages of dashes and equals signs
/// inside matches and contexts: no cell of any table grows with them, the long "word" is not
/// counted and is warned about, and a rerun from the cache says the same.
#[test]
fn overlong_words_and_gaps_keep_every_cell_bounded() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = d.join("input");
    std::fs::create_dir_all(&input).unwrap();
    let hostile = format!(
        "We discuss capacity building today. {} more words about capacity {} building and \
         critical infrastructure protection {} the end of the capacity building statement.\n",
        "x".repeat(100_000),
        "-".repeat(50_000),
        "=".repeat(60_000)
    );
    std::fs::write(input.join("AAA_1_2000.txt"), hostile).unwrap();
    std::fs::write(
        input.join("BBB_1_2000.txt"),
        "Capacity building matters for critical infrastructure.\n",
    )
    .unwrap();
    std::fs::write(
        d.join("themes.toml"),
        "[[theme]]\nname = \"Capacity\"\npatterns = [\"capacity building\"]\n\
         [[theme]]\nname = \"Infrastructure\"\npatterns = [\"critical infrastructure\"]\n",
    )
    .unwrap();
    std::fs::write(
        d.join("config.toml"),
        "[input]\ndir = \"input\"\n[themes]\nfile = \"themes.toml\"\n[metadata]\nfile_name_pattern = \"{iso3}_{session}_{year}.txt\"\n\
         group_by = \"session\"\n[evidence]\ncollocation_min_count = 1\nkeyness_min_count = 1\n",
    )
    .unwrap();
    let warnings_of = |out: &Path| -> Vec<String> {
        let run: serde_json::Value =
            serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap();
        run["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| format!("{}: {}", w["file"], w["message"]))
            .collect()
    };
    let mut seen = Vec::new();
    for pass in ["first", "cached"] {
        let out = run_in(
            d,
            &[
                "run",
                "--config",
                "config.toml",
                "--output",
                "out",
                "--no-charts",
            ],
        );
        assert_ok(&out);
        let o = d.join("out");
        let warnings = warnings_of(&o);
        assert!(
            warnings.iter().any(|w| w.contains("AAA_1_2000.txt")
                && w.contains("1 word longer than 100 characters not counted")
                && w.contains("100000 characters")),
            "{pass}: {warnings:?}"
        );
        seen.push(warnings);
        let mut longest = 0;
        for f in csv_files_under(&o) {
            let bytes = std::fs::read(&f).unwrap();
            let mut r = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(&bytes[..]);
            for rec in r.records() {
                for cell in rec.unwrap().iter() {
                    longest = longest.max(cell.chars().count());
                }
            }
        }
        assert!(longest <= 2_000, "{pass}: a cell of {longest} characters");
        // The cut parts are marked, and the hits are all there.
        let contexts = read_csv(&o.join("theme_contexts.csv"));
        let aaa: Vec<_> = contexts
            .iter()
            .filter(|r| r["doc_id"] == "AAA_1_2000")
            .collect();
        assert_eq!(aaa.len(), 4, "{pass}");
        assert!(aaa.iter().any(|r| r["match"].contains('…')), "{pass}");
        assert!(aaa.iter().any(|r| r["left"].starts_with('…')), "{pass}");
        let terms = read_csv(&o.join("term_frequencies.csv"));
        assert!(terms.iter().all(|r| r["term"].len() <= 100), "{pass}");
        let docs = read_csv(&o.join("documents.csv"));
        let a = row(&docs, &[("doc_id", "AAA_1_2000")]);
        // 21 words, the 100,000 x's not among them.
        assert_eq!(a["tokens"], "21", "{pass}");
    }
    assert_eq!(seen[0], seen[1]);
    // The limit is a setting: 0 counts the long word (as the peers' reference job does).
    std::fs::write(
        d.join("nolimit.toml"),
        "[input]\ndir = \"input\"\n[analysis]\nmax_token_chars = 0\n",
    )
    .unwrap();
    let out = run_in(
        d,
        &[
            "run",
            "--config",
            "nolimit.toml",
            "--output",
            "out2",
            "--no-charts",
        ],
    );
    assert_ok(&out);
    assert!(
        !warnings_of(&d.join("out2"))
            .iter()
            .any(|w| w.contains("not counted")),
    );
    let docs = read_csv(&d.join("out2").join("documents.csv"));
    assert_eq!(row(&docs, &[("doc_id", "AAA_1_2000")])["tokens"], "22");
    // A limit below the minimum would count nothing: a configuration error.
    std::fs::write(
        d.join("below.toml"),
        "[input]\ndir = \"input\"\n[analysis]\nmin_token_chars = 3\nmax_token_chars = 2\n",
    )
    .unwrap();
    let out = run_in(d, &["run", "--config", "below.toml", "--output", "out3"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("max_token_chars = 2 is below min_token_chars = 3"),
        "{stderr}"
    );
}
