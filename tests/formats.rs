//! Statements in every format: the shipped .txt statements as PDF, DOCX, HTML and Markdown
//! (tests/fixtures/formats, made by make.sh there) must give the .txt tokens, header metadata
//! and theme scores; page furniture, scans, encryption and damage are handled.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::*;
use topictrends::analyze::{Analyzer, WordKind};
use topictrends::config::{Overrides, Settings};
use topictrends::decode::extract::{ExtractError, Format, load};
use topictrends::metadata::header::{HeaderFields, parse_header};

const STATEMENTS: [&str; 2] = [
    "2023-07-26_oewg-session-5_paris-peace-forum",
    "2024-03-06_oewg-session-7_paris-peace-forum",
];
const FORMATS: [&str; 4] = ["pdf", "docx", "html", "md"];

fn formats_dir() -> PathBuf {
    repo().join("tests/fixtures/formats")
}

fn analyzer() -> Analyzer {
    let config = repo().join("config/topictrends.toml");
    let settings = Settings::resolve(Some(&config), &Overrides::default()).expect("config");
    Analyzer::new(settings.analysis.clone())
}

/// What the pipeline analyses of a file: cleaned text after any front matter.
fn body_of(path: &Path, analyzer: &Analyzer) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let loaded = load(path, &bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let text = analyzer.prepare(&loaded.text).into_owned();
    match topictrends::decode::front_matter::parse_front_matter(&text).unwrap() {
        Some(fm) => text[fm.body_offset..].to_string(),
        None => text,
    }
}

/// The kept tokens (lowercase words after stopword removal), in order.
fn kept_tokens(text: &str, analyzer: &Analyzer) -> Vec<String> {
    analyzer
        .analyze(text)
        .into_iter()
        .filter(|t| t.kind == WordKind::Kept)
        .map(|t| t.lower)
        .collect()
}

fn original(stem: &str) -> PathBuf {
    repo().join("input").join(format!("{stem}.txt"))
}

fn header_fields(h: &HeaderFields) -> [Option<String>; 5] {
    [
        h.session.clone(),
        h.date.map(|d| d.to_string()),
        h.speaker.clone(),
        h.forum.clone(),
        h.on_behalf_of.clone(),
    ]
}

/// First position where two token streams part, with some context, for a readable failure.
fn first_difference(a: &[String], b: &[String]) -> Option<String> {
    let i = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .or_else(|| (a.len() != b.len()).then(|| a.len().min(b.len())))?;
    let window = |v: &[String]| v[i.saturating_sub(3)..(i + 4).min(v.len())].join(" ");
    Some(format!(
        "token {i}: txt [{}] vs [{}] (lengths {} and {})",
        window(a),
        window(b),
        a.len(),
        b.len()
    ))
}

#[test]
fn every_format_gives_the_tokens_and_header_of_the_txt() {
    let analyzer = analyzer();
    for stem in STATEMENTS {
        let txt = body_of(&original(stem), &analyzer);
        let want = kept_tokens(&txt, &analyzer);
        assert!(want.len() > 200, "{stem}: {} kept tokens", want.len());
        let want_header = header_fields(&parse_header(&txt));
        assert!(
            want_header.iter().take(4).all(Option::is_some),
            "{want_header:?}"
        );
        for format in FORMATS {
            let path = formats_dir().join(format!("{stem}.{format}"));
            let body = body_of(&path, &analyzer);
            let got = kept_tokens(&body, &analyzer);
            // No difference is expected in any format: a PDF line never breaks here after a
            // hyphen that belongs to a compound (the one place extraction could change words).
            assert!(
                got == want,
                "{stem}.{format}: {}",
                first_difference(&want, &got).unwrap_or_default()
            );
            assert_eq!(
                header_fields(&parse_header(&body)),
                want_header,
                "{stem}.{format}: header metadata"
            );
        }
    }
}

#[test]
fn a_pdf_with_only_an_owner_password_is_read() {
    let analyzer = analyzer();
    let path = formats_dir().join("owner-password.pdf");
    assert!(
        std::fs::read(&path)
            .unwrap()
            .windows(8)
            .any(|w| w == b"/Encrypt"),
        "the fixture is encrypted"
    );
    let want = kept_tokens(&body_of(&original(STATEMENTS[1]), &analyzer), &analyzer);
    assert_eq!(kept_tokens(&body_of(&path, &analyzer), &analyzer), want);
}

#[test]
fn formats_pages_and_encodings_are_reported() {
    let cases = [
        ("pdf", Format::Pdf, Some(2), None),
        // LibreOffice records no page count in DOCX files made from text (docProps/app.xml).
        ("docx", Format::Docx, None, None),
        ("html", Format::Html, None, Some("utf-8")),
        ("md", Format::Markdown, None, Some("utf-8")),
    ];
    let stem = STATEMENTS[0];
    for (ext, format, pages, encoding) in cases {
        let path = formats_dir().join(format!("{stem}.{ext}"));
        let bytes = std::fs::read(&path).unwrap();
        let loaded = load(&path, &bytes).unwrap();
        assert_eq!(loaded.format, format, "{ext}");
        assert_eq!(loaded.pages, pages, "{ext}");
        assert_eq!(loaded.encoding.map(|e| e.name()), encoding, "{ext}");
        assert!(loaded.warnings.is_empty(), "{ext}: {:?}", loaded.warnings);
    }
}

#[test]
fn running_header_and_page_numbers_are_removed() {
    let analyzer = analyzer();
    let path = formats_dir().join("running-header.pdf");
    let bytes = std::fs::read(&path).unwrap();
    let loaded = load(&path, &bytes).unwrap();
    assert_eq!(loaded.pages, Some(4), "the fixture spans several pages");
    let text = &loaded.text;
    assert!(!text.contains("Statement to the OEWG, July 2023"), "{text}");
    assert!(!text.contains("Page "), "{text}");
    assert!(
        text.lines()
            .all(|l| !l.trim().chars().all(|c| c.is_ascii_digit()) || l.trim().is_empty()),
        "a bare page number is left:\n{text}"
    );
    // Paragraphs are kept: a blank line before each of the statement's paragraphs.
    assert!(text.contains("\n\nThank you, Mr. Chairman"), "{text}");
    // What is left is the statement, word for word.
    let want = kept_tokens(&body_of(&original(STATEMENTS[0]), &analyzer), &analyzer);
    let got = kept_tokens(&analyzer.prepare(text), &analyzer);
    assert!(
        got == want,
        "{}",
        first_difference(&want, &got).unwrap_or_default()
    );
}

#[test]
fn footnotes_follow_the_body() {
    let path = formats_dir().join("footnote.docx");
    let bytes = std::fs::read(&path).unwrap();
    let text = load(&path, &bytes).unwrap().text.into_owned();
    assert_eq!(
        text,
        "Statement by the Paris Peace Forum\n\n\
         We welcome the Pall Mall process and the work on critical infrastructure.\n\n\
         I thank you.\n\n\
         Launched in February 2024 on commercial cyber intrusion capabilities.\n\n\
         See the Paris Call, principle 5.\n"
    );
}

#[test]
fn unreadable_files_say_why() {
    let cases = [
        ("scanned.pdf", "no text layer (scanned PDF?)"),
        ("encrypted.pdf", "encrypted PDF (needs a password)"),
        ("corrupt.pdf", "corrupt PDF: "),
        ("corrupt.docx", "corrupt DOCX: "),
    ];
    for (name, reason) in cases {
        let path = formats_dir().join(name);
        let bytes = std::fs::read(&path).unwrap();
        let e: ExtractError = load(&path, &bytes).unwrap_err();
        assert!(e.to_string().starts_with(reason), "{name}: {e}");
    }
}

#[test]
fn extract_command_prints_the_cleaned_text() {
    let path = formats_dir().join(format!("{}.pdf", STATEMENTS[1]));
    let out = bin().arg("extract").arg(&path).output().unwrap();
    assert_ok(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("United Nations General Assembly\n\n"),
        "{text}"
    );
    assert!(text.contains("Pall Mall process"));

    let scanned = formats_dir().join("scanned.pdf");
    let out = bin().arg("extract").arg(&scanned).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no text layer (scanned PDF?)"), "{err}");

    // A device behind a statement's name is refused, never read (/dev/zero never ends), and
    // so is a folder.
    #[cfg(unix)]
    {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("x.txt");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let out = bin().arg("extract").arg(&link).output().unwrap();
        assert_eq!(out.status.code(), Some(4));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("not a regular file"), "{err}");
        let out = bin().arg("extract").arg(dir.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(4));
        assert!(String::from_utf8_lossy(&out.stderr).contains("a folder"));
    }
}

/// A config using the shipped theme dictionary and no manifest (the shipped manifest names the
/// .txt files only), so metadata comes from each statement's own header.
fn write_config(dir: &Path) -> PathBuf {
    let themes = repo().join("config/themes.toml");
    let config = dir.join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[themes]\nfile = {:?}\n[metadata]\nmanifest = \"\"\n",
            themes.display().to_string()
        ),
    )
    .unwrap();
    config
}

/// Copies each statement in the given formats into `input/<format>/`.
fn fill_input(input: &Path, formats: &[&str]) {
    for format in formats {
        let dir = input.join(format);
        std::fs::create_dir_all(&dir).unwrap();
        for stem in STATEMENTS {
            let from = if *format == "txt" {
                original(stem)
            } else {
                formats_dir().join(format!("{stem}.{format}"))
            };
            std::fs::copy(&from, dir.join(format!("{stem}.{format}"))).unwrap();
        }
    }
}

fn run_job(dir: &Path, input: &str, output: &str) -> PathBuf {
    let out = run_in(
        dir,
        &[
            "run",
            "--config",
            "config.toml",
            "--input",
            input,
            "--output",
            output,
            "--no-excel",
        ],
    );
    assert_ok(&out);
    dir.join(output)
}

#[test]
fn a_mixed_folder_runs_in_one_job_with_the_same_scores_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    write_config(dir.path());
    let all = ["txt", "pdf", "docx", "html", "md"];
    let mixed = dir.path().join("mixed");
    fill_input(&mixed, &all);
    for bad in ["scanned.pdf", "encrypted.pdf", "corrupt.docx"] {
        std::fs::copy(formats_dir().join(bad), mixed.join(bad)).unwrap();
    }
    let out = run_job(dir.path(), "mixed", "out-mixed");

    let docs = read_csv(&out.join("documents.csv"));
    assert_eq!(docs.len(), 10, "two statements in five formats");
    let mut by_stem: BTreeMap<String, Vec<&BTreeMap<String, String>>> = BTreeMap::new();
    for d in &docs {
        let (format, stem) = d["doc_id"].split_once('/').unwrap();
        assert_eq!(d["format"], format, "{}", d["file"]);
        let pages = if format == "pdf" { "non-empty" } else { "" };
        assert_eq!(
            if d["pages"].is_empty() {
                ""
            } else {
                "non-empty"
            },
            pages,
            "{}",
            d["file"]
        );
        by_stem.entry(stem.to_string()).or_default().push(d);
    }
    for (stem, rows) in &by_stem {
        for field in [
            "tokens",
            "kept_tokens",
            "session",
            "date",
            "speaker",
            "forum",
            "group",
        ] {
            let values: Vec<&str> = rows.iter().map(|r| r[field].as_str()).collect();
            assert!(
                values.iter().all(|v| *v == values[0]),
                "{stem}: {field} differs by format: {values:?}"
            );
        }
    }

    let skipped = read_csv(&out.join("skipped.csv"));
    let reason = |file: &str| {
        skipped
            .iter()
            .find(|r| r["file"] == file)
            .map(|r| r["reason"].clone())
            .unwrap_or_else(|| panic!("{file} not in skipped.csv: {skipped:?}"))
    };
    assert_eq!(reason("scanned.pdf"), "no text layer (scanned PDF?)");
    assert_eq!(reason("encrypted.pdf"), "encrypted PDF (needs a password)");
    assert!(reason("corrupt.docx").starts_with("corrupt DOCX: "));

    // Every theme hit of a statement is found in every format, at the same token.
    let matches = read_csv(&out.join("theme_matches.csv"));
    assert!(!matches.is_empty());
    let mut hits: BTreeMap<(String, String), BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for m in &matches {
        let (format, stem) = m["doc_id"].split_once('/').unwrap();
        hits.entry((stem.to_string(), format.to_string()))
            .or_default()
            .entry(m["theme"].clone())
            .or_default()
            .push(format!("{} {}", m["token_index"], m["pattern"]));
    }
    for stem in STATEMENTS {
        let want = &hits[&(stem.to_string(), "txt".to_string())];
        for format in &all[1..] {
            assert_eq!(
                &hits[&(stem.to_string(), format.to_string())],
                want,
                "{stem}.{format}"
            );
        }
    }

    // A job over one format alone scores exactly as the .txt job: byte-identical tables.
    let txt_only = dir.path().join("only-txt");
    fill_input(&txt_only, &["txt"]);
    let want = run_job(dir.path(), "only-txt", "out-txt");
    let want_scores = std::fs::read_to_string(want.join("theme_scores.csv")).unwrap();
    assert!(want_scores.lines().count() > 1);
    for format in &all[1..] {
        let input = format!("only-{format}");
        fill_input(&dir.path().join(&input), &[format]);
        let got = run_job(dir.path(), &input, &format!("out-{format}"));
        assert_eq!(
            std::fs::read_to_string(got.join("theme_scores.csv")).unwrap(),
            want_scores,
            "{format}: theme_scores.csv"
        );
        assert_eq!(
            std::fs::read_to_string(got.join("term_frequencies.csv")).unwrap(),
            std::fs::read_to_string(want.join("term_frequencies.csv")).unwrap(),
            "{format}: term_frequencies.csv"
        );
    }
}

/// Two counted statements sharing a doc_id are named in a warning; two skipped ones are not
/// (neither has a row to tell apart).
#[test]
fn a_shared_doc_id_is_warned_about_only_among_counted_statements() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("in")).unwrap();
    std::fs::write(d.join("in/a.md"), "Capacity building matters.\n").unwrap();
    std::fs::write(d.join("in/a.txt"), "Capacity building matters too.\n").unwrap();
    std::fs::write(d.join("in/b.pdf"), "not a PDF at all").unwrap();
    std::fs::write(d.join("in/b.docx"), "not a DOCX either").unwrap();
    let res = run_in(d, &["run", "--input", "in", "--output", "out"]);
    assert_ok(&res);
    let run: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.join("out/run.json")).unwrap()).unwrap();
    let shared: Vec<&str> = run["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["message"].as_str().unwrap().starts_with("doc_id"))
        .map(|w| w["file"].as_str().unwrap())
        .collect();
    assert_eq!(shared, ["a.txt"]);
}

#[test]
fn arabic_a_pdf_stores_backwards_is_read_in_reading_order() {
    let path = formats_dir().join("arabic-visual-order.pdf");
    let bytes = std::fs::read(&path).unwrap();
    let loaded = load(&path, &bytes).unwrap();
    // The PDF holds each Arabic line drawn left to right (تاردقلا ءانب); read back in reading
    // order, word for word as the statement was typed, and said so.
    assert_eq!(
        loaded.text,
        "arpdf\n\nبيان الوفد\n\
         يجب علينا حماية البنية التحتية الحيوية وتعزيز بناء القدرات.\n\
         ودعم المجتمع المدني والقطاع الخاص.\n"
    );
    assert_eq!(
        loaded.warnings,
        ["Arabic stored in visual order (drawn left to right); 3 lines put back in reading order"]
    );
}

#[test]
fn arabic_runs_libreoffice_writer_stores_backwards_are_read_word_for_word() {
    let path = formats_dir().join("arabic-writer.pdf");
    let bytes = std::fs::read(&path).unwrap();
    let loaded = load(&path, &bytes).unwrap();
    // Each right-to-left run backwards, with numbers, a document symbol, an acronym, the
    // lam-alef ligature (والاتصالات) and a damma (القانونُ): read back as typed, word for word.
    let typed = "اعتمدت الجمعية العامة القرار A/RES/76/19 في عام 2024 بشأن أمن تكنولوجيا المعلومات والاتصالات (ICT) وبناء القدرات.\n\
\n\
إن المرتزقة السيبرانيين وبرامج التجسس التجارية يهددون أمن جميع الدول. يجب علينا حماية البنية التحتية الحيوية، مثل المستشفيات وشبكات الكهرباء. ويساعد بناء القدرات البلدان النامية على الدفاع عن شبكاتها. ونرحب بمشاركة المجتمع المدني والقطاع الخاص. ينطبق القانونُ الدولي على الفضاء الإلكتروني، ويجب على الدول احترام المعايير المتفق عليها. إن أمن سلسلة التوريد يهم الجميع.";
    let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    assert_eq!(words(&loaded.text), words(typed));
    assert_eq!(
        loaded.warnings,
        ["Arabic stored in visual order (drawn left to right); 7 lines put back in reading order"]
    );
}
