//! Spreadsheet round trip: every CSV of a run opened by a real spreadsheet engine (headless LibreOffice)
//! and by plain readers (Python's csv module, pandas when importable), checked cell by cell against the file.
//!
//! LibreOffice imports with "detect special numbers" on, the setting closest
//! to Excel's eager conversion, so an identifier that looks like a date would
//! be caught. Without `soffice`/`libreoffice` on PATH (or python3, or pandas)
//! the tests print why they skip; `.ci/run` installs LibreOffice and pandas and
//! sets `TOPICTRENDS_REQUIRE_LIBREOFFICE` and `TOPICTRENDS_REQUIRE_PANDAS`, so
//! in CI a missing engine or reader fails instead.

mod common;

use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use calamine::{Data, Reader, Xlsx};
use common::*;

const HOSTILE_SPEAKER: &str = "=cmd|' /C calc'!A0";

/// The LibreOffice command for `test`, or `None` (with a message) to skip it. With
/// `TOPICTRENDS_REQUIRE_LIBREOFFICE` set (as `.ci/run` does) a missing engine fails instead.
fn libreoffice_for(test: &str) -> Option<&'static str> {
    let found = libreoffice();
    if found.is_none() {
        assert!(
            std::env::var_os("TOPICTRENDS_REQUIRE_LIBREOFFICE").is_none(),
            "TOPICTRENDS_REQUIRE_LIBREOFFICE is set (as .ci/run does) but neither soffice nor libreoffice is on PATH"
        );
        eprintln!(
            "skipping {test}: neither soffice nor libreoffice is on PATH \
             (Debian: apt-get install libreoffice-calc-nogui; .ci/run installs it)"
        );
    }
    found
}

/// The first of `soffice`/`libreoffice` that runs.
fn libreoffice() -> Option<&'static str> {
    ["soffice", "libreoffice"].into_iter().find(|name| {
        Command::new(name)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// Runs the fixture (grouped by session and by month) and the shipped input;
/// returns the temp dir and the output folders.
fn runs() -> (tempfile::TempDir, Vec<PathBuf>) {
    let dir = workdir_with("spreadsheet");
    // A hostile file name, made here so the repository never holds one.
    std::fs::copy(
        dir.path().join("hostile.txt"),
        dir.path().join("input/@SUM(1,2).txt"),
    )
    .unwrap();
    let mut outs = Vec::new();
    for (config, out) in [("config.toml", "out"), ("month.toml", "out-month")] {
        assert_ok(&run_in(
            dir.path(),
            &["run", "--config", config, "--output", out],
        ));
        outs.push(dir.path().join(out));
    }
    let shipped = dir.path().join("out-shipped");
    assert_ok(
        &bin()
            .current_dir(repo())
            .args(["run", "--output"])
            .arg(&shipped)
            .output()
            .unwrap(),
    );
    outs.push(shipped);
    (dir, outs)
}

fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .collect();
    v.sort();
    v
}

/// A CSV as header and rows of strings, read with the csv crate (the reference).
fn read_all(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let bytes = std::fs::read(path).unwrap();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let mut r = csv::Reader::from_reader(bytes);
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// Units from the run's own columns.csv: (file, column position) -> unit.
fn units(out: &Path) -> BTreeMap<(String, usize), String> {
    let (_, rows) = read_all(&out.join("columns.csv"));
    rows.into_iter()
        .map(|r| ((r[0].clone(), r[2].parse().unwrap()), r[3].clone()))
        .collect()
}

/// Converts every CSV of `out` to xlsx with LibreOffice into `conv`.
fn convert(soffice: &str, out: &Path, conv: &Path, profile: &Path) {
    // Comma, double quote, UTF-8, from line 1, standard columns, English (USA),
    // quoted fields not forced to text, detect special numbers (dates!) on.
    let infilter = "--infilter=CSV:44,34,76,1,,1033,false,true";
    run_soffice(soffice, profile, &[infilter], "xlsx", conv, &csv_files(out));
}

/// Runs headless LibreOffice with a private profile (another soffice on the machine
/// cannot interfere): `--convert-to to` of `files` into `outdir`, at most 300 s.
fn run_soffice(
    soffice: &str,
    profile: &Path,
    args: &[&str],
    to: &str,
    outdir: &Path,
    files: &[PathBuf],
) {
    std::fs::create_dir_all(outdir).unwrap();
    let mut child = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--norestore", "--nolockcheck"])
        .args(args)
        .args(["--convert-to", to, "--outdir"])
        .arg(outdir)
        .args(files)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{soffice} failed: {status}");
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{soffice} did not finish in 300 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Day number of an ISO date in Excel's (and LibreOffice's) 1900 calendar.
fn serial(iso: &str) -> f64 {
    let y: i64 = iso[0..4].parse().unwrap();
    let m: i64 = iso[5..7].parse().unwrap();
    let d: i64 = iso[8..10].parse().unwrap();
    // Days from 1970-01-01 (civil calendar), then shift: 1970-01-01 is day 25569.
    let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
    let days = 365 * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 719469;
    (days + 25569) as f64
}

fn as_number(d: &Data) -> Option<f64> {
    match d {
        Data::Float(x) => Some(*x),
        Data::Int(n) => Some(*n as f64),
        _ => None,
    }
}

/// Compares one converted CSV with the file; returns a list of problems.
fn compare(
    file: &str,
    csv_path: &Path,
    xlsx: &Path,
    units: &BTreeMap<(String, usize), String>,
) -> Vec<String> {
    let mut problems = Vec::new();
    let (header, rows) = read_all(csv_path);
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(std::fs::read(xlsx).unwrap())).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let formulas = book.worksheet_formula(&sheet).unwrap();
    if let Some((r, c, f)) = formulas.used_cells().find(|(_, _, f)| !f.is_empty()) {
        problems.push(format!("{file}: cell ({r},{c}) became the formula {f:?}"));
    }
    let cell = |r: usize, c: usize| range.get((r, c)).cloned().unwrap_or(Data::Empty);
    let width = (0..range.width())
        .filter(|&c| cell(0, c) != Data::Empty)
        .count();
    if width != header.len() {
        problems.push(format!(
            "{file}: {width} columns, the file has {}",
            header.len()
        ));
    }
    for (c, name) in header.iter().enumerate() {
        if cell(0, c) != Data::String(name.clone()) {
            problems.push(format!(
                "{file}: header {c} is {:?}, not {name:?}",
                cell(0, c)
            ));
        }
    }
    if range.height() != rows.len() + 1 {
        problems.push(format!(
            "{file}: {} rows, the file has {}",
            range.height(),
            rows.len() + 1
        ));
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let unit = units
                .get(&(file.to_string(), c + 1))
                .map_or("", String::as_str);
            let got = cell(r + 1, c);
            let at = format!("{file} row {} column {}", r + 2, header[c]);
            if text.is_empty() {
                if !matches!(&got, Data::Empty) && got != Data::String(String::new()) {
                    problems.push(format!("{at}: empty in the file, {got:?} in LibreOffice"));
                }
                continue;
            }
            let ok = if unit == "integer" || unit.starts_with("number") {
                // Numbers are numbers, and the same numbers.
                as_number(&got) == Some(text.parse::<f64>().unwrap())
            } else if unit.starts_with("date") {
                match &got {
                    Data::DateTime(d) => text.len() == 10 && d.as_f64() == serial(text),
                    // A session start known only by its year.
                    other => text.len() == 4 && as_number(other) == text.parse().ok(),
                }
            } else {
                match &got {
                    // Text survives exactly: accents, and the neutralized `'` shown literally.
                    Data::String(s) => s == text,
                    // A manifest value of plain digits ("5") may be read as that number; nothing else may change.
                    other => {
                        text.bytes().all(|b| b.is_ascii_digit())
                            && as_number(other) == text.parse().ok()
                    }
                }
            };
            if !ok {
                problems.push(format!("{at} ({unit}): file {text:?}, LibreOffice {got:?}"));
            }
        }
    }
    problems
}

#[test]
fn libreoffice_reads_every_csv_as_written() {
    let Some(soffice) = libreoffice_for("the LibreOffice round trip") else {
        return;
    };
    let (dir, outs) = runs();
    let profile = dir.path().join("lo-profile");
    let mut problems = Vec::new();
    let mut checked = 0;
    for out in &outs {
        let conv = out.with_extension("lo");
        convert(soffice, out, &conv, &profile);
        let units = units(out);
        for csv in csv_files(out) {
            let file = csv.file_name().unwrap().to_string_lossy().into_owned();
            let xlsx = conv.join(file.replace(".csv", ".xlsx"));
            problems.extend(compare(&file, &csv, &xlsx, &units));
            checked += 1;
        }
    }
    assert!(checked >= 3 * 8, "only {checked} CSVs checked");
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The cells this test is about, named explicitly so a fixture change cannot hollow it out.
    let docs = dir.path().join("out.lo/documents.xlsx");
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(std::fs::read(docs).unwrap())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let strings: Vec<String> = range
        .used_cells()
        .filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        })
        .collect();
    for expect in [
        format!("'{HOSTILE_SPEAKER}"),
        "'@SUM(1,2)".to_string(),
        "'-Europe".to_string(),
        "Côte d'Ivoire".to_string(),
        "Türkiye".to_string(),
        "2023-07-26_oewg-session-5_cote-divoire".to_string(),
        "Session 7".to_string(),
    ] {
        assert!(
            strings.contains(&expect),
            "{expect:?} not among {strings:?}"
        );
    }
    let wide = dir.path().join("out-month.lo/theme_scores_wide.xlsx");
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(std::fs::read(wide).unwrap())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(
        range.rows().next().unwrap(),
        [
            Data::String("theme".into()),
            Data::String("2023-M07".into()),
            Data::String("2024-M03".into())
        ],
        "month labels stay labels"
    );
}

/// Python's csv module and pandas read every CSV, with and without the BOM. Without python3
/// the test skips, and without pandas it checks with the csv module only, saying so; with
/// `TOPICTRENDS_REQUIRE_PANDAS` set (as `.ci/run` does) either is a failure instead.
#[test]
fn plain_readers_accept_the_bom_choice() {
    let require_pandas = std::env::var_os("TOPICTRENDS_REQUIRE_PANDAS").is_some();
    if !Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        assert!(
            !require_pandas,
            "TOPICTRENDS_REQUIRE_PANDAS is set (as .ci/run does) but python3 is not on PATH"
        );
        eprintln!("skipping the Python readers test: python3 is not on PATH");
        return;
    }
    let dir = workdir_with("spreadsheet");
    for (out, extra) in [("bom", None), ("plain", Some("--no-excel"))] {
        let mut args = vec!["run", "--config", "config.toml", "--output", out];
        args.extend(extra);
        assert_ok(&run_in(dir.path(), &args));
        let out = dir.path().join(out);
        let files = csv_files(&out);
        let script = r#"
import csv, json, sys
try:
    import pandas
except ImportError:
    pandas = None
for path in sys.argv[1:]:
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    numeric = None
    if pandas is not None:
        frame = pandas.read_csv(path, keep_default_na=False)
        numeric = [str(c) for c in frame.columns if frame[c].dtype.kind in "iuf"]
    print(json.dumps({"path": path, "header": rows[0], "rows": rows[1:], "numeric": numeric}))
"#;
        let res = Command::new("python3")
            .arg("-c")
            .arg(script)
            .args(&files)
            .output()
            .unwrap();
        assert!(
            res.status.success(),
            "python3: {}",
            String::from_utf8_lossy(&res.stderr)
        );
        let units = units(&out);
        let mut pandas_seen = false;
        for line in String::from_utf8(res.stdout).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let path = PathBuf::from(v["path"].as_str().unwrap());
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let (header, rows) = read_all(&path);
            let py_header: Vec<String> = serde_json::from_value(v["header"].clone()).unwrap();
            let py_rows: Vec<Vec<String>> = serde_json::from_value(v["rows"].clone()).unwrap();
            assert_eq!(
                py_header, header,
                "{file}: the BOM is not part of the first name"
            );
            assert_eq!(py_rows, rows, "{file}");
            if let Some(numeric) = v["numeric"].as_array() {
                pandas_seen = true;
                for (i, name) in header.iter().enumerate() {
                    let unit = match units.get(&(file.clone(), i + 1)) {
                        Some(unit) => unit.as_str(),
                        // columns.csv describes every other table, not itself.
                        None if file == "columns.csv" && name == "position" => "integer",
                        None if file == "columns.csv" => "text",
                        None => panic!("{file}: column {name} is not described in columns.csv"),
                    };
                    if unit == "integer" || unit.starts_with("number") {
                        assert!(
                            numeric.iter().any(|n| n == name.as_str()),
                            "{file}: pandas reads {name} as text"
                        );
                    }
                }
            }
        }
        if !pandas_seen {
            assert!(
                !require_pandas,
                "TOPICTRENDS_REQUIRE_PANDAS is set (as .ci/run does) but python3 cannot import pandas"
            );
            eprintln!(
                "pandas is not importable: checked with Python's csv module only \
                 (pip install pandas, or Debian python3-pandas; .ci/run installs it)"
            );
        }
    }
}

/// The workbook of a run: a typed sheet per CSV table, hostile text stored as plain strings, same bytes every run.
#[test]
fn workbook_has_a_typed_sheet_per_table() {
    let (dir, outs) = runs();
    let out = &outs[0];
    let bytes = std::fs::read(out.join("topictrends.xlsx")).unwrap();
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    let tables: Vec<String> = csv_files(out)
        .iter()
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|n| n != "columns")
        .collect();
    let mut sheets = book.sheet_names();
    assert_eq!(sheets.pop().as_deref(), Some("about"));
    sheets.sort();
    assert_eq!(sheets, tables);
    let docs = book.worksheet_range("documents").unwrap();
    let (header, rows) = read_all(&out.join("documents.csv"));
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let hostile = rows
        .iter()
        .position(|r| r[col("speaker")] == format!("'{HOSTILE_SPEAKER}"))
        .unwrap()
        + 1;
    assert_eq!(
        docs.get((hostile, col("speaker"))),
        Some(&Data::String(HOSTILE_SPEAKER.into())),
        "a string cell is never a formula, so the workbook keeps the text as written"
    );
    assert!(matches!(
        docs.get((1, col("date"))),
        Some(Data::DateTime(_))
    ));
    assert_eq!(docs.get((1, col("tokens"))), Some(&Data::Float(32.0)));
    assert_eq!(
        docs.get((1, col("session"))),
        Some(&Data::String("5".into())),
        "a user's label stays text in the workbook"
    );
    assert!(
        book.worksheet_formula("documents")
            .unwrap()
            .used_cells()
            .all(|(_, _, f)| f.is_empty())
    );
    // Another run, later: the same bytes.
    std::thread::sleep(Duration::from_millis(1100));
    assert_ok(&run_in(
        dir.path(),
        &["run", "--config", "config.toml", "--output", "again"],
    ));
    assert!(bytes == std::fs::read(dir.path().join("again/topictrends.xlsx")).unwrap());
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    for t in &tables {
        assert!(readme.contains(&format!("## {t}.csv")), "{t} in README.md");
    }
}

/// `workbook = false` leaves the workbook out, and the output README no longer lists it.
#[test]
fn workbook_can_be_turned_off() {
    let dir = workdir_with("spreadsheet");
    let config = std::fs::read_to_string(dir.path().join("config.toml")).unwrap();
    let config = config.replace("[output]\n", "[output]\nworkbook = false\n");
    std::fs::write(dir.path().join("off.toml"), config).unwrap();
    assert_ok(&run_in(
        dir.path(),
        &["run", "--config", "off.toml", "--output", "out"],
    ));
    let out = dir.path().join("out");
    assert!(!out.join("topictrends.xlsx").exists());
    let readme = std::fs::read_to_string(out.join("README.md")).unwrap();
    assert!(!readme.contains("topictrends.xlsx"), "{readme}");
    assert!(readme.contains("`columns.csv`"));
}

/// LibreOffice opens the workbook (sheets streamed, text stored in the cells) and
/// reads its first sheet back as documents.csv's rows, accents and hostile text included.
#[test]
fn libreoffice_opens_the_workbook() {
    let Some(soffice) = libreoffice_for("the workbook in LibreOffice") else {
        return;
    };
    let (dir, outs) = runs();
    let out = &outs[0];
    let conv = dir.path().join("book.lo");
    run_soffice(
        soffice,
        &dir.path().join("lo-profile"),
        &[],
        // The first sheet as CSV: comma, double quote, UTF-8.
        "csv:Text - txt - csv (StarCalc):44,34,76",
        &conv,
        &[out.join("topictrends.xlsx")],
    );
    let (header, rows) = read_all(&conv.join("topictrends.csv"));
    let (want_header, want_rows) = read_all(&out.join("documents.csv"));
    assert_eq!(header, want_header, "the first sheet is documents");
    assert_eq!(rows.len(), want_rows.len());
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    // The CSV guards hostile text with a leading ' that the workbook does not need.
    let unguarded = |s: &str| match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest.to_string(),
        _ => s.to_string(),
    };
    let mut hostile = 0;
    for (got, want) in rows.iter().zip(&want_rows) {
        for name in ["file", "speaker"] {
            assert_eq!(got[col(name)], unguarded(&want[col(name)]), "{name}");
            hostile += usize::from(got[col(name)] != want[col(name)]);
        }
        assert_eq!(got[col("tokens")], want[col("tokens")]);
    }
    assert!(
        hostile >= 2,
        "the fixture's hostile file name and speaker were compared"
    );
}
