//! Statement metadata: each field from the first source that has it, with where it came from.
//!
//! Precedence: manifest CSV, front matter, file-name pattern, the statement's
//! own header. A later source that disagrees is reported, never silently merged.

pub mod date;
pub mod file_name_pattern;

pub mod group;
pub mod header;
pub mod parts;
pub mod statement;

use std::fmt;
use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use crate::diagnostic::Warning;
use crate::metadata::date::Date;
use crate::metadata::header::parse_date;

/// Where a metadata value came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Source {
    Manifest,
    FrontMatter,
    FileName,
    Header,
}

impl Source {
    pub fn as_str(&self) -> &'static str {
        match self {
            Source::Manifest => "manifest",
            Source::FrontMatter => "front_matter",
            Source::FileName => "file_name",
            Source::Header => "header",
        }
    }
}

/// The fields every statement has a column for.
pub const CORE_FIELDS: [&str; 4] = ["session", "date", "speaker", "forum"];

/// One resolved value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub value: String,
    pub source: Source,
}

/// A statement's metadata. Field names are lowercase; `date` is ISO 8601.
///
/// Every statement's metadata stays in memory until the tables are written, so it is kept
/// compact: all names and values in one string, and per field (sorted by name) where its
/// name and value end, and its source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocMeta {
    text: Box<str>,
    fields: Box<[FieldSpan]>,
}

/// Field `i`'s name runs from the previous field's `value_end` (0 for the first) to
/// `name_end`, its value from there to `value_end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FieldSpan {
    name_end: u32,
    value_end: u32,
    source: Source,
}

impl DocMeta {
    /// Field `i`: name, value and source.
    fn at(&self, i: usize) -> (&str, &str, Source) {
        let start = if i == 0 {
            0
        } else {
            self.fields[i - 1].value_end as usize
        };
        let f = self.fields[i];
        (
            &self.text[start..f.name_end as usize],
            &self.text[f.name_end as usize..f.value_end as usize],
            f.source,
        )
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        let mut lo = 0;
        let mut hi = self.fields.len();
        while lo < hi {
            let mid = (lo + hi) / 2;
            match self.at(mid).0.cmp(name) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Ok(mid),
            }
        }
        Err(lo)
    }

    /// The value of a field and where it came from.
    pub fn field(&self, name: &str) -> Option<(&str, Source)> {
        let i = self.find(name).ok()?;
        let (_, value, source) = self.at(i);
        Some((value, source))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.field(name).map(|(value, _)| value)
    }

    pub fn source(&self, name: &str) -> &'static str {
        self.field(name)
            .map_or("none", |(_, source)| source.as_str())
    }

    /// Every field as (name, value, source), by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str, Source)> {
        (0..self.fields.len()).map(|i| self.at(i))
    }

    /// The field names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.iter().map(|(name, _, _)| name)
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Sets a field (replacing its value when it is there already).
    pub fn insert(&mut self, name: &str, field: Field) {
        let mut all: Vec<(&str, &str, Source)> = self.iter().collect();
        match self.find(name) {
            Ok(i) => all[i] = (name, &field.value, field.source),
            Err(i) => all.insert(i, (name, &field.value, field.source)),
        }
        *self = DocMeta::pack(all);
    }

    /// The fields of a map, packed.
    pub fn from_sorted(fields: &std::collections::BTreeMap<String, Field>) -> DocMeta {
        DocMeta::pack(
            fields
                .iter()
                .map(|(n, f)| (n.as_str(), f.value.as_str(), f.source))
                .collect(),
        )
    }

    /// Packs fields sorted by name.
    fn pack(all: Vec<(&str, &str, Source)>) -> DocMeta {
        let mut text = String::with_capacity(all.iter().map(|(n, v, _)| n.len() + v.len()).sum());
        let mut fields = Vec::with_capacity(all.len());
        for (n, v, source) in all {
            text.push_str(n);
            let name_end = text.len() as u32;
            text.push_str(v);
            fields.push(FieldSpan {
                name_end,
                value_end: text.len() as u32,
                source,
            });
        }
        DocMeta {
            text: text.into_boxed_str(),
            fields: fields.into_boxed_slice(),
        }
    }

    pub fn date(&self) -> Option<Date> {
        self.get("date").and_then(Date::parse_iso)
    }

    /// The year: from the date, else from a `year` field.
    pub fn year(&self) -> Option<i32> {
        self.date().map(|d| d.year).or_else(|| {
            self.get("year")
                .and_then(|y| y.trim().parse().ok())
                .filter(|y| (1000..=9999).contains(y))
        })
    }

    /// The session as a number, for ordering sessions that have no date.
    pub fn session_number(&self) -> Option<u32> {
        let s = self.get("session")?;
        let digits: String = s
            .chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take_while(char::is_ascii_digit)
            .collect();
        digits.parse().ok().or_else(|| {
            s.split_whitespace()
                .find_map(crate::metadata::header::ordinal_number)
        })
    }
}

/// Normalizes a raw value of a field; `Err` when it cannot be understood.
fn normalize_value(field: &str, raw: &str) -> Result<String, String> {
    let v = raw.trim();
    match field {
        "date" => parse_date_value(v)
            .map(|d| d.to_string())
            .ok_or_else(|| {
                if crate::metadata::header::find_ambiguous_date(v).is_some() {
                    format!("date {v:?} could be read with the day and month either way round (expected e.g. 2024-03-06 or 6 March 2024)")
                } else {
                    format!("date {v:?} is not a date (expected e.g. 2024-03-06 or 6 March 2024)")
                }
            }),
        "session" => Ok(crate::metadata::header::session_value(v)),
        "year" => year_value(v)
            .map(|y| y.to_string())
            .ok_or_else(|| format!("year {v:?} is not a year (expected four digits, e.g. 2024)")),
        _ => Ok(v.to_string()),
    }
}

/// A `year` value: four digits, or four digits written as a decimal by a spreadsheet or
/// pandas (`2024.0`).
fn year_value(v: &str) -> Option<i32> {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    let year: i32 = (int.len() == 4 && int.bytes().all(|b| b.is_ascii_digit()))
        .then(|| int.parse().ok())
        .flatten()?;
    (frac.bytes().all(|b| b == b'0') && (1000..=9999).contains(&year)).then_some(year)
}

/// A `date` value: ISO (`2024-03-06`), written out in any UN language (`6 March 2024`,
/// `6 марта 2024 г.`), ISO with a time of day (`2024-03-06T10:00:00Z`: the day is kept), or
/// as spreadsheets export it (`6-Mar-2024`).
fn parse_date_value(v: &str) -> Option<Date> {
    Date::parse_iso(v)
        .or_else(|| parse_date(v))
        .or_else(|| {
            // A time after the ISO date: `T` or a space, then hh:mm.
            let (day, time) = (v.get(..10)?, v.get(10..)?);
            let t = time.as_bytes();
            let timed = t.len() >= 6
                && matches!(t[0], b'T' | b't' | b' ')
                && t[1..3].iter().all(u8::is_ascii_digit)
                && t[3] == b':';
            timed.then(|| Date::parse_iso(day)).flatten()
        })
        .or_else(|| {
            // `6-Mar-2024`: a month name between hyphens; `6-Mar-24`, Excel's d-mmm-yy.
            (v.contains(char::is_alphabetic) && v.contains('-'))
                .then(|| parse_date(&v.replace('-', " ")).or_else(|| month_name_short_year(v)))
                .flatten()
        })
        .or_else(|| year_first_unpadded(v))
        .or_else(|| compact_or_serial(v))
}

/// `2024-3-6`, `2024-03-6`: year first with `-`, month and day of one or two digits (only
/// one reading).
fn year_first_unpadded(v: &str) -> Option<Date> {
    let mut parts = v.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if parts.next().is_some() || !digits(y, 4..=4) || !digits(m, 1..=2) || !digits(d, 1..=2) {
        return None;
    }
    Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// `6-Mar-24`: a day, a month name and a two-digit year, as Excel writes dates by default.
/// The century is Excel's: 00-29 are 2000-2029, 30-99 are 1930-1999.
fn month_name_short_year(v: &str) -> Option<Date> {
    let (rest, yy) = v.rsplit_once('-')?;
    if yy.len() != 2 || !yy.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let yy: i32 = yy.parse().ok()?;
    let year = if yy < 30 { 2000 + yy } else { 1900 + yy };
    parse_date(&format!("{} {year}", rest.replace('-', " ")))
}

/// `20240306` (YYYYMMDD, as in file names), or an Excel date serial of five digits (`45357`
/// is 2024-03-06: a date column exported as numbers).
fn compact_or_serial(v: &str) -> Option<Date> {
    if !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match v.len() {
        8 => Date::new(
            v[..4].parse().ok()?,
            v[4..6].parse().ok()?,
            v[6..].parse().ok()?,
        ),
        5 => {
            // Excel counts days from 1899-12-30 (its serial 60 is a 29 February 1900 that
            // never was; five-digit serials are all after it).
            use crate::metadata::date::days_from_civil;
            let serial: i64 = v.parse().ok()?;
            let (year, month, day) =
                crate::clock::civil_from_days(serial + days_from_civil(1899, 12, 30));
            Date::new(i32::try_from(year).ok()?, month as u8, day as u8)
        }
        _ => None,
    }
}

/// The year of a `date` value that names no day: a bare year (`2024`), a month and year
/// (`March 2024`, `mars 2024`, `2024-03`). With the flag: whether a month was given too.
fn year_of_dayless_date(v: &str) -> Option<(i32, bool)> {
    let v = v.trim();
    if v.len() == 4
        && let Ok(year) = v.parse::<i32>()
    {
        return (1000..=9999).contains(&year).then_some((year, false));
    }
    Date::parse_iso(&format!("{v}-01"))
        .or_else(|| parse_date(&format!("1 {v}")))
        .map(|d| (d.year, true))
}

/// Values compare equal for conflict reports when they mean the same.
fn same_value(field: &str, a: &str, b: &str) -> bool {
    match field {
        "session" => {
            let num = |s: &str| {
                let mut m = DocMeta::default();
                m.insert(
                    "session",
                    Field {
                        value: s.to_string(),
                        source: Source::Header,
                    },
                );
                m.session_number()
            };
            a.eq_ignore_ascii_case(b) || (num(a).is_some() && num(a) == num(b))
        }
        "forum" | "speaker" => a.trim().eq_ignore_ascii_case(b.trim()),
        // `fr-CA` and `fr`, `zh_Hans` and `ZH` name one language (its first subtag).
        "language" => {
            let primary = |s: &str| {
                let s = s.trim();
                s[..s.find(['-', '_']).unwrap_or(s.len())].to_ascii_lowercase()
            };
            primary(a) == primary(b)
        }
        _ => a == b,
    }
}

/// Candidate values from one source; `line` locates them for messages.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub source: Source,
    /// The file `line` refers to when it is not the statement (the manifest).
    pub origin: Option<String>,
    pub line: Option<usize>,
    pub fields: Vec<(String, String)>,
}

/// Resolves the fields of one statement from its sources, in precedence order.
pub fn resolve(file: &str, candidates: &[Candidate]) -> (DocMeta, Vec<Warning>) {
    // Gathered in a map, packed once at the end (see `DocMeta`).
    let mut fields: std::collections::BTreeMap<String, Field> = Default::default();
    let mut warnings = Vec::new();
    let mut origin: FxHashMap<String, (Source, Option<&str>, Option<usize>)> = FxHashMap::default();
    for cand in candidates {
        for (key, raw) in &cand.fields {
            let key = key.trim().to_lowercase();
            if raw.trim().is_empty() || key.is_empty() {
                continue;
            }
            let normalized = normalize_value(&key, raw);
            // A date without a day still gives the year (when no year is given).
            let dayless = (normalized.is_err() && key == "date")
                .then(|| year_of_dayless_date(raw))
                .flatten();
            let (key, value) = match (normalized, dayless) {
                (Ok(v), _) => (key, v),
                (Err(_), Some((year, month))) => {
                    if month {
                        warnings.push(locate(
                            file,
                            cand.origin.as_deref(),
                            cand.line,
                            format!(
                                "{}: date {:?} has no day: taken as the year {year} (grouping by month or quarter needs a full date)",
                                cand.source.as_str(),
                                raw.trim()
                            ),
                        ));
                    }
                    if cand
                        .fields
                        .iter()
                        .any(|(k, v)| k.trim().eq_ignore_ascii_case("year") && !v.trim().is_empty())
                    {
                        continue;
                    }
                    ("year".to_string(), year.to_string())
                }
                (Err(message), None) => {
                    warnings.push(locate(
                        file,
                        cand.origin.as_deref(),
                        cand.line,
                        format!("{}: {message}", cand.source.as_str()),
                    ));
                    continue;
                }
            };
            match fields.get(&key) {
                None => {
                    origin.insert(
                        key.clone(),
                        (cand.source, cand.origin.as_deref(), cand.line),
                    );
                    fields.insert(
                        key,
                        Field {
                            value,
                            source: cand.source,
                        },
                    );
                }
                Some(kept)
                    if kept.source != cand.source && !same_value(&key, &kept.value, &value) =>
                {
                    let (src, src_origin, line) = origin[&key];
                    let (at, line) = if line.is_some() {
                        (src_origin, line)
                    } else {
                        (cand.origin.as_deref(), cand.line)
                    };
                    // A language that names none of the six gives way to the next source's
                    // (the analysis decides, `pipeline::statement::with_language`).
                    let proviso = if key == "language" {
                        " if it names a language"
                    } else {
                        ""
                    };
                    warnings.push(locate(
                        file,
                        at,
                        line,
                        format!(
                            "{key}: {} says {:?}, {} says {:?}; the {} value is used{proviso}",
                            src.as_str(),
                            kept.value,
                            cand.source.as_str(),
                            value,
                            src.as_str()
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
    }
    (DocMeta::from_sorted(&fields), warnings)
}

/// A warning about statement `file`, placed at `line` of `origin` when the line is in another file.
pub(crate) fn locate(
    file: &str,
    origin: Option<&str>,
    line: Option<usize>,
    message: String,
) -> Warning {
    match origin {
        Some(o) => Warning {
            file: o.to_string(),
            line,
            message: format!("{file}: {message}"),
        },
        None => Warning {
            file: file.to_string(),
            line,
            message,
        },
    }
}

/// The manifest: one row of metadata per file name.
#[derive(Debug, Clone, Default)]
pub struct Manifest {
    pub path: PathBuf,
    rows: FxHashMap<String, (usize, Vec<(String, String)>)>,
}

/// A manifest that cannot be read at all (individual bad rows are warnings).
#[derive(Debug)]
pub struct ManifestError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ManifestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for ManifestError {}

/// A manifest's `file` cell as the relative path discovery gives statements: `/` separators,
/// no leading `./` (`.\\speeches\\a.txt` is `speeches/a.txt`).
fn manifest_path(cell: &str) -> String {
    let mut file = cell.trim().replace('\\', "/");
    while let Some(rest) = file.strip_prefix("./") {
        file = rest.trim_start_matches('/').to_string();
    }
    file
}

/// Line numbers of a CSV's records, whatever ends the lines (LF, CRLF as Excel saves, or a
/// lone CR). The csv crate's own line numbers fall one short after CRLF ends: it counts the
/// LF when the next record begins, and may place the record at that LF. Records are asked
/// for in file order, so the bytes are counted once.
struct Lines<'a> {
    bytes: &'a [u8],
    /// Bytes counted so far, and the line the next one is on.
    at: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn new(bytes: &'a [u8]) -> Lines<'a> {
        Lines {
            bytes,
            at: 0,
            line: 1,
        }
    }

    /// The 1-based line of the record at byte `at` (past any line ends there).
    fn line_of(&mut self, at: usize) -> usize {
        let b = self.bytes;
        let mut start = at.min(b.len());
        while b.get(start).is_some_and(|c| matches!(c, b'\r' | b'\n')) {
            start += 1;
        }
        if start < self.at {
            (self.at, self.line) = (0, 1);
        }
        for i in self.at..start {
            match b[i] {
                b'\n' => self.line += 1,
                b'\r' if b.get(i + 1) != Some(&b'\n') => self.line += 1,
                _ => {}
            }
        }
        self.at = start;
        self.line
    }
}

impl Manifest {
    /// Loads a manifest CSV with a `file` column; `Ok(None)` when it does not exist.
    pub fn load(path: &Path) -> Result<Option<(Manifest, Vec<Warning>)>, ManifestError> {
        let bytes = match std::fs::read(path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(ManifestError {
                    path: path.to_path_buf(),
                    line: None,
                    message: e.to_string(),
                });
            }
        };
        let err = |line: Option<usize>, message: String| ManifestError {
            path: path.to_path_buf(),
            line,
            message,
        };
        let name = path.display().to_string();
        // Decoded as statements are: a spreadsheet on Windows saves "CSV" in Windows-1252,
        // "Unicode text" in UTF-16 with a byte-order mark.
        let decoded = crate::decode::decode(&bytes).map_err(|e| err(None, e.to_string()))?;
        let mut warnings: Vec<Warning> = (decoded.warnings.iter())
            .map(|w| Warning::new(&name, w.message.clone()))
            .collect();
        let all_bytes = decoded.text.as_bytes();
        // Excel's `sep=;` first line names the delimiter; the rows start after it.
        let sep = all_bytes
            .strip_prefix(b"sep=")
            .and_then(|rest| match rest {
                [d, b'\r', b'\n', ..] => Some((*d, 7)),
                [d, b'\n', ..] | [d, b'\r', ..] => Some((*d, 6)),
                [d] => Some((*d, 5)),
                _ => None,
            })
            .filter(|(d, _)| d.is_ascii_punctuation() || *d == b'\t' || *d == b' ');
        let skip = sep.map_or(0, |(_, n)| n);
        let header_line = 1 + usize::from(skip > 0);
        let bytes = &all_bytes[skip..];
        let reader_with = |delimiter: u8| {
            csv::ReaderBuilder::new()
                // A row with more or fewer cells than the header is a warning for that row,
                // not the end of the run (see below).
                .flexible(true)
                .delimiter(delimiter)
                .from_reader(bytes)
        };
        let headers_of = |reader: &mut csv::Reader<&[u8]>| -> Result<Vec<String>, ManifestError> {
            Ok(reader
                .headers()
                .map_err(|e| err(Some(header_line), e.to_string()))?
                .iter()
                .map(|h| h.trim().to_lowercase())
                .collect())
        };
        // Commas, or the semicolons of spreadsheets in locales with a decimal comma, or tabs:
        // whichever makes a header row with a `file` column.
        let mut found = None;
        let delimiters = match sep {
            Some((d, _)) => vec![d],
            None => vec![b',', b';', b'\t'],
        };
        for delimiter in delimiters {
            let mut reader = reader_with(delimiter);
            let headers = headers_of(&mut reader)?;
            if let Some(file_col) = headers.iter().position(|h| h == "file") {
                found = Some((reader, headers, file_col));
                break;
            }
        }
        let (mut reader, headers, file_col) = found.ok_or_else(|| {
            err(
                Some(header_line),
                "the manifest has no `file` column (its first row names the columns, separated by commas, semicolons or tabs)".into(),
            )
        })?;
        // A column named twice (two "session" columns after a spreadsheet merge): the first
        // is read, and the later ones are said to be ignored.
        let mut read_column = vec![true; headers.len()];
        for (i, h) in headers.iter().enumerate() {
            if h.is_empty() || h == "file" && i == file_col {
                continue;
            }
            if let Some(first) = headers[..i].iter().position(|earlier| earlier == h) {
                read_column[i] = false;
                warnings.push(Warning {
                    file: name.clone(),
                    line: Some(header_line),
                    message: format!(
                        "the column `{h}` is named twice (columns {} and {}): only the first is read",
                        first + 1,
                        i + 1
                    ),
                });
            }
        }
        let mut manifest = Manifest {
            path: path.to_path_buf(),
            rows: FxHashMap::default(),
        };
        let mut lines = Lines::new(all_bytes);
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e
                    .position()
                    .map(|p| lines.line_of(skip + p.byte() as usize));
                let message = match e.kind() {
                    // The line is in the error's place already.
                    csv::ErrorKind::Utf8 { err, .. } => format!("not UTF-8 text: {err}"),
                    _ => e.to_string(),
                };
                err(line, message)
            })?;
            let line = record
                .position()
                .map_or(0, |p| lines.line_of(skip + p.byte() as usize));
            if record.len() != headers.len() {
                let (n, m) = (record.len(), headers.len());
                warnings.push(Warning {
                    file: name.clone(),
                    line: Some(line),
                    message: if n > m {
                        format!(
                            "row has {n} cells but the header names {m} columns: the last {} (no column) are ignored",
                            n - m
                        )
                    } else {
                        format!(
                            "row has {n} cells but the header names {m} columns: the missing ones are read as empty"
                        )
                    },
                });
            }
            // Keys in NFC: macOS writes file names decomposed (NFD), spreadsheets compose them.
            // Direction marks and other invisible characters, which a spreadsheet typed in
            // Arabic leaves around values, are dropped: `\u{200F}8\u{200F}` is session 8.
            let cell = |v: &str| crate::decode::clean::without_invisible(v).into_owned();
            let file = nfc(&manifest_path(&cell(record.get(file_col).unwrap_or("")))).into_owned();
            if file.is_empty() {
                warnings.push(Warning {
                    file: name.clone(),
                    line: Some(line),
                    message: "row has an empty `file`".into(),
                });
                continue;
            }
            let fields: Vec<(String, String)> = (headers.iter().zip(&read_column))
                .zip(record.iter())
                .filter(|((h, read), _)| **read && h.as_str() != "file" && !h.is_empty())
                .map(|((h, _), v)| (h.clone(), cell(v)))
                .collect();
            if manifest.rows.insert(file.clone(), (line, fields)).is_some() {
                warnings.push(Warning {
                    file: name.clone(),
                    line: Some(line),
                    message: format!("{file:?} is listed twice; the later row is used"),
                });
            }
        }
        Ok(Some((manifest, warnings)))
    }

    /// The row for a statement, by relative path or by bare file name (compared in NFC, so
    /// a name stored decomposed matches the same name typed composed).
    pub fn row(&self, rel_path: &str) -> Option<(usize, &[(String, String)])> {
        let rel_path = nfc(rel_path);
        let rel_path = rel_path.as_ref();
        let base = rel_path.rsplit('/').next().unwrap_or(rel_path);
        self.rows
            .get(rel_path)
            .or_else(|| self.rows.get(base))
            .map(|(l, f)| (*l, f.as_slice()))
    }

    /// Rows that name no file among `present` (relative paths), or that name by its bare
    /// name a file found in several folders, as warnings. A row naming a file of `skipped`
    /// (relative path, reason) says why that file was not read.
    pub fn missing(&self, present: &[String], skipped: &[(&str, &str)]) -> Vec<Warning> {
        let base = |p: &str| p.rsplit('/').next().unwrap_or(p).to_string();
        let present: Vec<std::borrow::Cow<'_, str>> = present.iter().map(|p| nfc(p)).collect();
        let known: std::collections::HashSet<&str> = present
            .iter()
            .flat_map(|p| [p.as_ref(), p.rsplit('/').next().unwrap_or(p)])
            .collect();
        // Files that take a row by their bare name (no row names their path), by that name.
        let mut by_base: FxHashMap<String, Vec<&str>> = FxHashMap::default();
        for p in present
            .iter()
            .filter(|p| !self.rows.contains_key(p.as_ref()))
        {
            by_base.entry(base(p)).or_default().push(p);
        }
        let warning = |line: usize, message: String| Warning {
            file: self.path.display().to_string(),
            line: Some(line),
            message,
        };
        let mut out: Vec<Warning> = Vec::new();
        for (f, (line, _)) in &self.rows {
            if !known.contains(f.as_str()) {
                let skip = (skipped.iter())
                    .find(|(rel, _)| nfc(rel) == f.as_str() || base(&nfc(rel)) == *f);
                out.push(warning(
                    *line,
                    match skip {
                        Some((rel, reason)) => {
                            format!(
                                "names {f:?}, which was not read: {rel} ({reason}; see skipped.csv)"
                            )
                        }
                        None => format!("names {f:?}, which is not in the input folder"),
                    },
                ));
            } else if !f.contains('/')
                && let Some(files) = by_base.get(f.as_str())
                && files.len() > 1
            {
                let mut files = files.clone();
                files.sort_unstable();
                const SHOWN: usize = 3;
                let mut shown = files
                    .iter()
                    .take(SHOWN)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ");
                if files.len() > SHOWN {
                    shown.push_str(&format!(" and {} more", files.len() - SHOWN));
                }
                out.push(warning(
                    *line,
                    format!(
                        "names {f:?}, which is the name of {} files ({shown}): each takes this row; name a file by its path under the input folder (e.g. {:?}) to give it a row of its own",
                        files.len(),
                        files[0]
                    ),
                ));
            }
        }
        out.sort_by_key(|w| w.line);
        out
    }
}

/// `s` in Unicode normalization form C (borrowed when it is already).
pub(crate) fn nfc(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    match is_nfc_quick(s.chars()) {
        IsNormalized::Yes => std::borrow::Cow::Borrowed(s),
        _ => std::borrow::Cow::Owned(s.nfc().collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_rows_match_file_names_whatever_their_unicode_normalization() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("metadata.csv");
        // The manifest typed composed (NFC), one row decomposed (NFD).
        std::fs::write(
            &path,
            "file,session\nS\u{e9}curit\u{e9}.txt,5\nsub/Cafe\u{301}.txt,6\n",
        )
        .unwrap();
        let (m, warnings) = Manifest::load(&path).unwrap().unwrap();
        assert!(warnings.is_empty());
        let decomposed = "Se\u{301}curite\u{301}.txt";
        let (line, fields) = m.row(decomposed).expect("NFD name matches its NFC row");
        assert_eq!((line, fields[0].1.as_str()), (2, "5"));
        assert_eq!(m.row("sub/Caf\u{e9}.txt").unwrap().0, 3);
        let present = [decomposed.to_string(), "sub/Caf\u{e9}.txt".to_string()];
        assert!(m.missing(&present, &[]).is_empty());
    }

    #[test]
    fn direction_marks_around_manifest_values_are_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("metadata.csv");
        std::fs::write(
            &path,
            "file,session,speaker\n\u{200F}c.txt\u{200F},\u{200F}8\u{200F},\u{200E}H.E. Smith\u{200E}\n",
        )
        .unwrap();
        let (m, _) = Manifest::load(&path).unwrap().unwrap();
        let (_, fields) = m
            .row("c.txt")
            .expect("the file name is read without its marks");
        assert_eq!(fields[0].1, "8");
        assert_eq!(fields[1].1, "H.E. Smith");
    }

    #[test]
    fn manifest_paths_read_as_discovery_writes_them() {
        for (cell, rel) in [
            ("a.txt", "a.txt"),
            (" ./a.txt ", "a.txt"),
            (".\\speeches\\a.txt", "speeches/a.txt"),
            ("././/b/c.txt", "b/c.txt"),
            (".hidden.txt", ".hidden.txt"),
            ("../x.txt", "../x.txt"),
        ] {
            assert_eq!(manifest_path(cell), rel, "{cell:?}");
        }
    }

    fn cand(source: Source, fields: &[(&str, &str)]) -> Candidate {
        Candidate {
            source,
            origin: None,
            line: None,
            fields: fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    #[test]
    fn dates_with_a_time_or_a_spreadsheet_s_month_name_are_dates() {
        for (v, want) in [
            ("2024-03-06T10:00:00Z", "2024-03-06"),
            ("2024-03-06 10:00", "2024-03-06"),
            ("2024-03-06t10:00:00+02:00", "2024-03-06"),
            ("6-Mar-2024", "2024-03-06"),
            ("06-March-2024", "2024-03-06"),
        ] {
            assert_eq!(
                parse_date_value(v).map(|d| d.to_string()).as_deref(),
                Some(want),
                "{v}"
            );
        }
        for v in ["2024-03-06Tfoo", "six-Mar-2024", "2024"] {
            assert_eq!(parse_date_value(v), None, "{v}");
        }
    }

    #[test]
    fn language_tags_of_one_language_do_not_conflict() {
        for (a, b, conflict) in [
            ("fr-CA", "fr", false),
            ("zh_Hans", "ZH", false),
            ("en", "EN", false),
            ("fr", "es", true),
            ("French", "fr", true),
        ] {
            let (_, warnings) = resolve(
                "a.txt",
                &[
                    cand(Source::Manifest, &[("language", a)]),
                    cand(Source::FrontMatter, &[("language", b)]),
                ],
            );
            assert_eq!(!warnings.is_empty(), conflict, "{a} / {b}: {warnings:?}");
        }
    }

    #[test]
    fn a_date_without_a_day_gives_the_year() {
        assert_eq!(year_of_dayless_date("2024"), Some((2024, false)));
        assert_eq!(year_of_dayless_date(" 1990 "), Some((1990, false)));
        assert_eq!(year_of_dayless_date("March 2024"), Some((2024, true)));
        assert_eq!(year_of_dayless_date("2024-03"), Some((2024, true)));
        for v in ["24", "12345", "0999", "hello", "2024-13", ""] {
            assert_eq!(year_of_dayless_date(v), None, "{v:?}");
        }
        // A bare year is the year, quietly; a month and year warns that the month is lost.
        let (meta, warnings) = resolve("a.txt", &[cand(Source::Manifest, &[("date", "2024")])]);
        assert_eq!((meta.year(), meta.date()), (Some(2024), None));
        assert!(warnings.is_empty(), "{warnings:?}");
        let (meta, warnings) = resolve(
            "a.txt",
            &[cand(Source::Manifest, &[("date", "March 2024")])],
        );
        assert_eq!(meta.year(), Some(2024));
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0]
                .message
                .contains("has no day: taken as the year 2024")
        );
        // A year given beside it wins.
        let (meta, _) = resolve(
            "a.txt",
            &[cand(
                Source::Manifest,
                &[("date", "2024"), ("year", "2023")],
            )],
        );
        assert_eq!(meta.year(), Some(2023));
        // Not a date at all: still the warning it was.
        let (meta, warnings) = resolve("a.txt", &[cand(Source::Manifest, &[("date", "soon")])]);
        assert_eq!(meta.year(), None);
        assert!(warnings[0].message.contains("is not a date"));
    }

    #[test]
    fn compact_fields_behave_like_a_sorted_map() {
        let mut m = DocMeta::default();
        assert!(m.is_empty() && m.get("date").is_none());
        assert_eq!(m.source("date"), "none");
        let field = |value: &str, source| Field {
            value: value.to_string(),
            source,
        };
        let mut map = std::collections::BTreeMap::new();
        for (name, value, source) in [
            ("year", "1990", Source::FileName),
            ("date", "1990-09-24", Source::Header),
            ("speaker", "", Source::Manifest),
            ("iso3", "AFG", Source::FileName),
            ("session", "45", Source::FileName),
            ("date", "1990-09-25", Source::FrontMatter),
            ("zz", "ü ⁂", Source::Header),
        ] {
            m.insert(name, field(value, source));
            map.insert(name, (value, source));
            let want: Vec<(&str, &str, Source)> =
                map.iter().map(|(n, (v, s))| (*n, *v, *s)).collect();
            assert_eq!(m.iter().collect::<Vec<_>>(), want);
        }
        assert_eq!(m.len(), 6);
        assert_eq!(m.get("date"), Some("1990-09-25"));
        assert_eq!(m.source("date"), "front_matter");
        assert_eq!(m.get("speaker"), Some(""));
        assert_eq!(m.get("zz"), Some("ü ⁂"));
        assert_eq!(m.get("z"), None);
        assert_eq!(m.year(), Some(1990));
        assert_eq!(m.session_number(), Some(45));
        assert_eq!(
            m.names().collect::<Vec<_>>(),
            ["date", "iso3", "session", "speaker", "year", "zz"]
        );
    }

    #[test]
    fn first_source_wins_and_disagreement_is_reported() {
        let (m, w) = resolve(
            "a.txt",
            &[
                cand(Source::Manifest, &[("date", "2023-07-26"), ("speaker", "")]),
                cand(
                    Source::Header,
                    &[
                        ("date", "26 July 2024"),
                        ("speaker", "France"),
                        ("session", "5"),
                    ],
                ),
            ],
        );
        assert_eq!(m.get("date"), Some("2023-07-26"));
        assert_eq!(m.source("date"), "manifest");
        assert_eq!(m.get("speaker"), Some("France"));
        assert_eq!(m.source("speaker"), "header");
        assert_eq!(m.source("forum"), "none");
        assert_eq!(w.len(), 1);
        assert!(
            w[0].message
                .contains("manifest says \"2023-07-26\", header says \"2024-07-26\""),
            "{w:?}"
        );
    }

    #[test]
    fn bad_manifest_dates_are_warnings_and_the_next_source_fills_in() {
        let (m, w) = resolve(
            "a.txt",
            &[
                Candidate {
                    line: Some(3),
                    origin: Some("metadata.csv".into()),
                    ..cand(Source::Manifest, &[("date", "soon")])
                },
                cand(Source::Header, &[("date", "2024-03-06")]),
            ],
        );
        assert_eq!(m.get("date"), Some("2024-03-06"));
        assert_eq!((w[0].file.as_str(), w[0].line), ("metadata.csv", Some(3)));
        assert!(
            w[0].message.starts_with("a.txt: manifest: date"),
            "{}",
            w[0].message
        );
    }

    #[test]
    fn session_numbers_come_from_digits_or_words() {
        let (m, _) = resolve("a", &[cand(Source::Header, &[("session", "Seventh")])]);
        assert_eq!(m.session_number(), Some(7));
        let (m, _) = resolve("a", &[cand(Source::Header, &[("session", "4 (resumed)")])]);
        assert_eq!(m.session_number(), Some(4));
        assert!(same_value("session", "5", "Fifth"));
    }

    #[test]
    fn manifest_rows_by_file_name_and_missing_files() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("metadata.csv");
        std::fs::write(
            &p,
            "\u{feff}file,session,date,region\na.txt,5,2023-07-26,Europe\nb.txt,7,2024-03-06,\n",
        )
        .unwrap();
        let (m, w) = Manifest::load(&p).unwrap().unwrap();
        assert!(w.is_empty());
        let (line, row) = m.row("sub/a.txt").unwrap();
        assert_eq!(line, 2);
        assert!(row.contains(&("region".to_string(), "Europe".to_string())));
        let missing = m.missing(&["a.txt".to_string()], &[]);
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].line, Some(3));
        assert!(
            Manifest::load(&dir.path().join("none.csv"))
                .unwrap()
                .is_none()
        );
        std::fs::write(&p, "name,date\n").unwrap();
        assert!(
            Manifest::load(&p)
                .unwrap_err()
                .to_string()
                .contains("no `file` column")
        );
    }

    #[test]
    fn a_date_value_in_digits_is_read_when_it_reads_one_way_only() {
        assert_eq!(
            normalize_value("date", "25/03/2024").as_deref(),
            Ok("2024-03-25")
        );
        let e = normalize_value("date", "05/03/2024").unwrap_err();
        assert!(e.contains("day and month either way round"), "{e}");
        let e = normalize_value("date", "the day after").unwrap_err();
        assert!(e.contains("is not a date"), "{e}");
    }

    #[test]
    fn rows_by_bare_name_for_several_files_and_rows_for_skipped_files_are_warned() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("metadata.csv");
        std::fs::write(
            &p,
            "file,session\nUSA.txt,59\n2022/FRA.txt,57\nFRA.txt,58\n.h.txt,3\nGBR.txt,1\n",
        )
        .unwrap();
        let (m, _) = Manifest::load(&p).unwrap().unwrap();
        let present: Vec<String> = [
            "2023/USA.txt",
            "2024/USA.txt",
            "2022/FRA.txt",
            "2023/FRA.txt",
        ]
        .map(String::from)
        .to_vec();
        let w = m.missing(&present, &[(".h.txt", "hidden file")]);
        let said: Vec<(Option<usize>, &str)> =
            w.iter().map(|w| (w.line, w.message.as_str())).collect();
        assert_eq!(said.len(), 3, "{said:?}");
        // USA.txt fits two files; FRA.txt fits one only (2022/FRA.txt has its own row).
        assert_eq!(said[0].0, Some(2));
        assert!(
            said[0]
                .1
                .contains("is the name of 2 files (2023/USA.txt, 2024/USA.txt)"),
            "{said:?}"
        );
        assert_eq!(said[1].0, Some(5));
        assert!(
            said[1]
                .1
                .contains("which was not read: .h.txt (hidden file"),
            "{said:?}"
        );
        assert_eq!(said[2].0, Some(6));
        assert!(said[2].1.contains("not in the input folder"), "{said:?}");
    }

    #[test]
    fn excel_s_sep_line_names_the_delimiter_and_lines_still_count_from_the_file_s_top() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("metadata.csv");
        std::fs::write(&p, "sep=;\r\nfile;session\r\na.txt;5\r\nb.txt;6;extra\r\n").unwrap();
        let (m, w) = Manifest::load(&p).unwrap().unwrap();
        let (line, row) = m.row("a.txt").unwrap();
        assert_eq!(line, 3);
        assert!(
            row.contains(&("session".to_string(), "5".to_string())),
            "{row:?}"
        );
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].line, Some(4));
        std::fs::write(&p, "sep=;\nname;session\n").unwrap();
        let e = Manifest::load(&p).unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
    }

    #[test]
    fn dates_as_spreadsheets_and_scripts_write_them_are_read() {
        for (raw, want) in [
            ("2024-3-6", "2024-03-06"),
            ("2024-03-6", "2024-03-06"),
            ("20240306", "2024-03-06"),
            // Excel's default d-mmm-yy, with its century rule.
            ("6-Mar-24", "2024-03-06"),
            ("21-Sep-95", "1995-09-21"),
            // Excel serials (days after 1899-12-30 from March 1900 on).
            ("45357", "2024-03-06"),
            ("32772", "1989-09-21"),
            ("6-Mar-2024", "2024-03-06"),
        ] {
            assert_eq!(normalize_value("date", raw).as_deref(), Ok(want), "{raw}");
        }
        for bad in [
            "2024-13-6",
            "2024-2-30",
            "20241306",
            "6-Mar-5",
            "123456",
            "2024-3-6-1",
        ] {
            assert!(normalize_value("date", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_year_value_is_four_digits_and_anything_else_is_a_warning() {
        assert_eq!(normalize_value("year", " 2024 ").as_deref(), Ok("2024"));
        assert_eq!(normalize_value("year", "2024.0").as_deref(), Ok("2024"));
        for bad in ["abc", "24", "2024/25", "2024.5", "0999"] {
            let e = normalize_value("year", bad).unwrap_err();
            assert!(e.contains("is not a year"), "{bad}: {e}");
        }
    }

    #[test]
    fn session_spellings_meet_on_one_number() {
        for raw in [
            "7", "07", "VII", "vii", "Vii", "7.0", "7.", "seventh", "7th",
        ] {
            assert_eq!(normalize_value("session", raw).as_deref(), Ok("7"), "{raw}");
        }
        // Words that are not numerals stay as written.
        for raw in ["mix", "Plenary", "7.5", "civil", "v"] {
            assert_eq!(normalize_value("session", raw).as_deref(), Ok(raw), "{raw}");
        }
    }

    #[test]
    fn manifests_as_spreadsheets_save_them_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("metadata.csv");
        let fields = |bytes: &[u8]| {
            std::fs::write(&p, bytes).unwrap();
            let (m, w) = Manifest::load(&p).unwrap().unwrap();
            let (line, row) = m.row("b.txt").expect("the row of b.txt");
            (line, row.to_vec(), w)
        };
        let want = |country: &str| {
            vec![
                ("session".to_string(), "7".to_string()),
                ("country".to_string(), country.to_string()),
            ]
        };
        // Semicolons (a spreadsheet in a locale with a decimal comma), with a comma in a value.
        let (line, row, w) =
            fields(b"file;session;country\na.txt;6;x\nb.txt;7;Korea, Republic of\n");
        assert_eq!((line, row), (3, want("Korea, Republic of")));
        assert!(w.is_empty(), "{w:?}");
        // Tabs.
        let (_, row, _) = fields(b"File\tSession\tCountry\nb.txt\t7\tChad\n");
        assert_eq!(row, want("Chad"));
        // Windows-1252, as "CSV" is saved on Windows: decoded, with the guess said.
        let (_, row, w) = fields(b"file,session,country\nb.txt,7,C\xf4te d\x92Ivoire\n");
        assert_eq!(row, want("C\u{f4}te d\u{2019}Ivoire"));
        assert_eq!(w.len(), 1);
        assert!(w[0].message.contains("decoded as windows-1252"), "{w:?}");
        assert_eq!(w[0].file, p.display().to_string());
        // UTF-16 with a byte-order mark ("Unicode text"), tab-separated.
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "file\tsession\tcountry\r\nb.txt\t7\tT\u{fc}rkiye\r\n".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        let (line, row, w) = fields(&utf16);
        assert_eq!((line, row, w.len()), (2, want("T\u{fc}rkiye"), 0));
        // A column named twice: the first is read, with a warning.
        let (_, row, w) = fields(b"file,session,country,Session\nb.txt,7,Chad,8\n");
        assert_eq!(row, want("Chad"));
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].line, Some(1));
        assert!(
            w[0].message
                .contains("`session` is named twice (columns 2 and 4)"),
            "{w:?}"
        );
        // No separator makes a `file` column: the error says what the first row must hold.
        std::fs::write(&p, "name;date\n").unwrap();
        let e = Manifest::load(&p).unwrap_err().to_string();
        assert!(
            e.contains("no `file` column") && e.contains("semicolons"),
            "{e}"
        );
    }

    #[test]
    fn manifest_lines_are_right_whatever_ends_the_lines() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("metadata.csv");
        // b.txt's row is line 3 and c.txt's line 5 (a quoted note spans lines 3 and 4).
        let rows = [
            "file,session,note",
            "a.txt,1,x",
            "b.txt,2,\"two\nlines\"",
            "c.txt,3,y",
            "",
        ];
        for end in ["\n", "\r\n", "\r"] {
            std::fs::write(&p, format!("\u{feff}{}", rows.join(end))).unwrap();
            let (m, _) = Manifest::load(&p).unwrap().unwrap();
            let line = |f: &str| m.row(f).unwrap().0;
            assert_eq!(
                (line("a.txt"), line("b.txt"), line("c.txt")),
                (2, 3, 5),
                "line ends {end:?}"
            );
        }
        // A row with a cell too many or too few is a warning naming its line; the row is read.
        std::fs::write(
            &p,
            "file,session,date\r\na.txt,1,2024-03-06\r\nb.txt,2,2024-03-07,extra\r\nc.txt,3\r\n",
        )
        .unwrap();
        let (m, warnings) = Manifest::load(&p).unwrap().unwrap();
        let lines: Vec<Option<usize>> = warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [Some(3), Some(4)], "{warnings:?}");
        assert!(warnings[0].message.contains(
            "row has 4 cells but the header names 3 columns: the last 1 (no column) are ignored"
        ));
        assert!(
            warnings[1]
                .message
                .contains("the missing ones are read as empty")
        );
        let fields = |f: &str| m.row(f).unwrap().1.to_vec();
        assert_eq!(
            fields("b.txt"),
            [
                ("session".to_string(), "2".to_string()),
                ("date".to_string(), "2024-03-07".to_string())
            ]
        );
        assert_eq!(fields("c.txt"), [("session".to_string(), "3".to_string())]);
    }
}
