//! `topictrends.xlsx`: the run's tables as typed sheets, for spreadsheet users who should not need an import step.
//!
//! Cells keep their type: counts and rates are numbers with the column's
//! decimals as number format, dates are real dates shown `yyyy-mm-dd`, and
//! text (statements, file names, user labels) is written as a string cell,
//! which a spreadsheet never evaluates, so it is stored as is, without the
//! CSV's protective `'`. The header row is frozen and filtered. The bytes
//! depend only on the tables: the document's creation time is fixed.
//! Sheets are written in parallel, each streaming its rows through a
//! temporary file, so memory does not grow with the size of the tables.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use rayon::prelude::*;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::metadata::date::Date;
use crate::report::table::{Cell, Table, render_cell};

/// Rows of an Excel sheet, the header included.
pub const MAX_ROWS: usize = 1_048_576;
/// Columns of an Excel sheet.
pub const MAX_COLUMNS: usize = 16_384;
/// Longest sheet name, in UTF-16 code units.
const MAX_SHEET_NAME: usize = 31;
/// Column widths are measured on this many rows at most: the cost stays bounded on huge tables.
const WIDTH_SAMPLE_ROWS: usize = 2_000;
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;
/// The name of the sheet that lists the others.
const ABOUT_SHEET: &str = "about";
/// Most decimals a number format shows (an f64 holds about 15 significant digits).
const MAX_DECIMALS: usize = 15;
/// Deflate level of the xlsx container (1 fastest ... 9 smallest).
const ZIP_LEVEL: u8 = 3;

/// The workbook could not be built.
#[derive(Debug)]
pub struct WorkbookError {
    /// The sheet being written, or empty for the workbook as a whole.
    pub sheet: String,
    pub source: XlsxError,
}

impl fmt::Display for WorkbookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.sheet.is_empty() {
            write!(f, "cannot build topictrends.xlsx: {}", self.source)
        } else {
            write!(
                f,
                "cannot build sheet {:?} of topictrends.xlsx: {}",
                self.sheet, self.source
            )
        }
    }
}

impl std::error::Error for WorkbookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// One sheet to write: a slice of a table's rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetPlan {
    pub name: String,
    /// Index into the tables.
    pub table: usize,
    pub rows: std::ops::Range<usize>,
    /// Columns written (all of them unless the table is wider than Excel allows).
    pub columns: usize,
}

/// The tables a person reads in a spreadsheet: the workbook's sheets unless
/// `[output] workbook_sheets = "all"`. The long tables (every term of every session, every hit
/// and its context, collocations) stay in their CSV files, which the about sheet names.
pub const READING_SHEETS: &[&str] = &[
    "documents.csv",
    "theme_scores.csv",
    "theme_scores_by_language.csv",
    "theme_scores_wide.csv",
    "term_frequencies_wide.csv",
    "top_terms.csv",
    "keyness.csv",
    "theme_trend_tests.csv",
];

/// Renders every table as an xlsx workbook.
pub fn workbook(tables: &[Table]) -> Result<Vec<u8>, WorkbookError> {
    let all: Vec<&Table> = tables.iter().collect();
    build(&all, &[], MAX_ROWS - 1, None)
}

/// Renders the tables as an xlsx workbook: the reading set ([`READING_SHEETS`]) or, with
/// `all_sheets`, every table. Each sheet's rows stream through an unnamed temporary file in
/// `scratch` (a run passes its staging folder, on the output's file system, rather than a
/// possibly small `/tmp`).
pub fn workbook_in(
    tables: &[Table],
    all_sheets: bool,
    scratch: &Path,
) -> Result<Vec<u8>, WorkbookError> {
    // A table that streams its rows (documents, the hit tables) is read again for its
    // sheets, a row at a time, never held.
    let (sheets, left_out): (Vec<&Table>, Vec<&Table>) = tables
        .iter()
        .partition(|t| all_sheets || READING_SHEETS.contains(&t.file.as_str()));
    build(&sheets, &left_out, MAX_ROWS - 1, Some(scratch))
}

/// Plans the sheets: one per table, named after its file (without `.csv`,
/// at most 31 characters, unique ignoring case); a table with more data rows
/// than `rows_per_sheet` continues on sheets named `name (2)`, `name (3)`...
pub fn plan(tables: &[Table], rows_per_sheet: usize) -> Vec<SheetPlan> {
    plan_of(&tables.iter().collect::<Vec<_>>(), rows_per_sheet)
}

fn plan_of(tables: &[&Table], rows_per_sheet: usize) -> Vec<SheetPlan> {
    let rows_per_sheet = rows_per_sheet.max(1);
    let mut taken: HashSet<String> = HashSet::new();
    // Excel reserves this name for its change history.
    taken.insert("history".into());
    taken.insert(ABOUT_SHEET.into());
    let mut sheets = Vec::new();
    for (index, t) in tables.iter().enumerate() {
        let base = sheet_base(&t.file);
        let total = t.row_count() as usize;
        let parts = total.div_ceil(rows_per_sheet).max(1);
        for part in 0..parts {
            let suffix = if part == 0 {
                String::new()
            } else {
                format!(" ({})", part + 1)
            };
            let name = unique_name(&base, &suffix, &mut taken);
            let start = part * rows_per_sheet;
            sheets.push(SheetPlan {
                name,
                table: index,
                rows: start..total.min(start + rows_per_sheet),
                columns: t.columns.len().min(MAX_COLUMNS),
            });
        }
    }
    sheets
}

fn build(
    tables: &[&Table],
    left_out: &[&Table],
    rows_per_sheet: usize,
    scratch: Option<&Path>,
) -> Result<Vec<u8>, WorkbookError> {
    let whole = |source| WorkbookError {
        sheet: String::new(),
        source,
    };
    let mut book = Workbook::new();
    // A fixed creation time (the zip entries' own epoch) keeps the bytes reproducible.
    let created = ExcelDateTime::from_ymd(1980, 1, 1).map_err(whole)?;
    book.set_properties(
        &DocProperties::new()
            .set_title("topictrends output")
            .set_comment("The run's tables as sheets; the about sheet names the CSV file of each.")
            .set_creation_datetime(&created),
    );
    // Level 3 deflates the sheets' XML several times faster than the default 6, for a
    // somewhat larger file.
    book.set_zip_compression_level(ZIP_LEVEL);
    if let Some(dir) = scratch {
        book.set_tempdir(dir).map_err(whole)?;
    }
    let formats = Formats::new();
    // Sheets are filled in parallel and share the workbook's table of cell formats: every
    // format is registered here first, in a fixed order, so their numbering (and the file's
    // bytes) never depends on which sheet a thread reached first. (`register_format` is
    // left out of the crate's rendered docs, but public and meant for this: multi-threaded
    // constant-memory writing.)
    for f in formats.all() {
        book.register_format(f);
    }
    let plans = plan_of(tables, rows_per_sheet);
    // Constant-memory sheets stream their rows to a temporary file as they are written (no
    // cell map, no shared-string table), which is both faster and far smaller in memory.
    let mut sheets = plans
        .iter()
        .map(|_| book.new_worksheet_with_constant_memory())
        .collect::<Result<Vec<Worksheet>, XlsxError>>()
        .map_err(whole)?;
    sheets
        .par_iter_mut()
        .zip(plans.par_iter())
        .try_for_each(|(sheet, p)| {
            write_sheet(sheet, tables[p.table], p, &formats).map_err(|source| WorkbookError {
                sheet: p.name.clone(),
                source,
            })
        })?;
    for sheet in sheets {
        book.push_worksheet(sheet);
    }
    let sheet = book.add_worksheet();
    write_about(sheet, tables, left_out, &plans, &formats).map_err(|source| WorkbookError {
        sheet: ABOUT_SHEET.into(),
        source,
    })?;
    book.save_to_buffer().map_err(whole)
}

struct Formats {
    header: Format,
    integer: Format,
    /// Index = decimals.
    decimals: Vec<Format>,
    date: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold(),
            integer: Format::new().set_num_format("0"),
            decimals: (0..=MAX_DECIMALS).map(decimal_format).collect(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        }
    }

    /// Every format a sheet may use, in a fixed order.
    fn all(&self) -> impl Iterator<Item = &Format> {
        [&self.header, &self.integer, &self.date]
            .into_iter()
            .chain(self.decimals.iter())
    }

    fn decimal(&self, d: usize) -> &Format {
        // Past what an f64 holds, more zeros would only be noise.
        &self.decimals[d.min(MAX_DECIMALS)]
    }
}

fn decimal_format(d: usize) -> Format {
    if d == 0 {
        Format::new().set_num_format("0")
    } else {
        Format::new().set_num_format(format!("0.{}", "0".repeat(d)))
    }
}

fn write_sheet(
    sheet: &mut Worksheet,
    t: &Table,
    p: &SheetPlan,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(&p.name)?;
    for (c, col) in t.columns.iter().take(p.columns).enumerate() {
        sheet.write_string_with_format(
            0,
            c as u16,
            crate::report::table::excel_text(&col.name),
            &formats.header,
        )?;
    }
    // Column widths come from the header and the first rows of the sheet, measured as the
    // rows are written (streamed tables are read once).
    let mut widths: Vec<usize> = t
        .columns
        .iter()
        .take(p.columns)
        .map(|col| col.name.chars().count() + 3)
        .collect();
    let mut text = String::new();
    let mut failed: Option<XlsxError> = None;
    let mut r = 0u32;
    let pass = t.for_each_row_in(p.rows.clone(), |row| {
        // Fits: a plan never holds more than MAX_ROWS - 1 data rows.
        let sampled = (r as usize) < WIDTH_SAMPLE_ROWS;
        r += 1;
        for (c, cell) in row.iter().take(p.columns).enumerate() {
            if sampled {
                widths[c] = widths[c].max(cell_width(cell, &mut text) + 1);
            }
            if let Err(e) = write_cell(sheet, r, c as u16, cell, formats) {
                failed = Some(e);
                return Err(std::io::Error::other("cell not written"));
            }
        }
        Ok(())
    });
    if let Some(e) = failed {
        return Err(e);
    }
    pass.map_err(XlsxError::IoError)?;
    let last_col = p.columns.saturating_sub(1) as u16;
    sheet.set_freeze_panes(1, 0)?;
    if p.columns > 0 {
        sheet.autofilter(0, 0, p.rows.len() as u32, last_col)?;
    }
    for (c, width) in widths.into_iter().enumerate() {
        let width = width.clamp(MIN_WIDTH, MAX_WIDTH);
        sheet.set_column_width(c as u16, width as f64)?;
    }
    Ok(())
}

/// Writes one data cell (empty cells and non-finite numbers are left blank).
fn write_cell(
    sheet: &mut Worksheet,
    r: u32,
    c: u16,
    cell: &Cell,
    formats: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(s) => {
            if !s.is_empty() {
                sheet.write_string(r, c, crate::report::table::excel_text(s))?;
            }
        }
        Cell::Int(n) => {
            sheet.write_number_with_format(r, c, *n as f64, &formats.integer)?;
        }
        Cell::Float(x, d) if x.is_finite() => {
            sheet.write_number_with_format(r, c, *x, formats.decimal(*d))?;
        }
        Cell::Date(s) => match excel_date(s) {
            Some(d) => {
                sheet.write_datetime_with_format(r, c, d, &formats.date)?;
            }
            // A bare year (or anything else) stays what the CSV says, as text.
            None if !s.is_empty() => {
                sheet.write_string(r, c, crate::report::table::excel_text(s))?;
            }
            None => {}
        },
        Cell::Float(..) | Cell::Empty => {}
    }
    Ok(())
}

/// The last sheet: what each sheet holds, and where a table did not fit.
fn write_about(
    sheet: &mut Worksheet,
    tables: &[&Table],
    left_out: &[&Table],
    plans: &[SheetPlan],
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(ABOUT_SHEET)?;
    for (c, h) in ["sheet", "file", "rows", "about"].iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *h, &formats.header)?;
    }
    for (i, p) in plans.iter().enumerate() {
        let t = &tables[p.table];
        let r = (i + 1) as u32;
        let mut about = t.about.clone();
        if p.rows.start > 0 || p.rows.end < t.row_count() as usize {
            about.push_str(&format!(
                " Rows {}-{} of {}: Excel holds {} rows per sheet.",
                p.rows.start + 1,
                p.rows.end,
                t.row_count(),
                MAX_ROWS
            ));
        }
        if p.columns < t.columns.len() {
            about.push_str(&format!(
                " Only the first {} of {} columns fit in a sheet; the CSV has them all.",
                p.columns,
                t.columns.len()
            ));
        }
        about.push_str(&format!(" The full table is {}.", t.file));
        sheet.write_string(r, 0, &p.name)?;
        sheet.write_string(r, 1, crate::report::table::excel_text(&t.file))?;
        sheet.write_number_with_format(r, 2, p.rows.len() as f64, &formats.integer)?;
        sheet.write_string(r, 3, crate::report::table::excel_text(&about))?;
    }
    // The tables kept out of the workbook: where to find them.
    for (i, t) in left_out.iter().enumerate() {
        let r = (plans.len() + i + 1) as u32;
        let about = format!(
            "Not in the workbook ([output] workbook_sheets = \"all\" adds it): open {} ({} rows). {}",
            t.file,
            t.row_count(),
            t.about
        );
        sheet.write_string(r, 1, crate::report::table::excel_text(&t.file))?;
        sheet.write_number_with_format(r, 2, t.row_count() as f64, &formats.integer)?;
        sheet.write_string(r, 3, crate::report::table::excel_text(&about))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_column_width(0, 24)?;
    sheet.set_column_width(1, 28)?;
    sheet.set_column_width(2, 10)?;
    sheet.set_column_width(3, 100)?;
    Ok(())
}

/// A cell's width in characters, as the CSV shows it (header text is bold and gets the
/// filter button beside it: the caller gives it a little more room).
fn cell_width(cell: &Cell, text: &mut String) -> usize {
    match cell {
        Cell::Text(s) => s.chars().count(),
        _ => {
            text.clear();
            render_cell(cell, text);
            text.chars().count()
        }
    }
}

/// A date cell's value as an Excel date, when it is a full ISO date from 1900-03-01 on. Earlier
/// days stay text: Excel's serials start at 1900-01-01 (1899-12-31 would be serial 0, shown
/// as "1900-01-00"), and before March 1900 Excel (which counts a 29 February 1900) and
/// LibreOffice read the same serial as different days.
fn excel_date(s: &str) -> Option<ExcelDateTime> {
    let d = Date::parse_iso(s)?;
    if (d.year, d.month, d.day) < (1900, 3, 1) {
        return None;
    }
    let year = u16::try_from(d.year).ok()?;
    ExcelDateTime::from_ymd(year, d.month, d.day).ok()
}

/// The sheet name for a table file: its stem, with the characters Excel forbids replaced.
fn sheet_base(file: &str) -> String {
    let stem = file.strip_suffix(".csv").unwrap_or(file);
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if matches!(c, '*' | '?' | ':' | '[' | ']' | '\\' | '/') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    // Excel refuses a name that starts or ends with an apostrophe, also under spaces (" ' ").
    let cleaned = cleaned.trim_matches(|c: char| c == '\'' || c.is_whitespace());
    if cleaned.is_empty() {
        "table".into()
    } else {
        cleaned.to_string()
    }
}

/// `base` cut so that `base + suffix` fits in a sheet name, made unique (ignoring case) with `~2`, `~3`...
fn unique_name(base: &str, suffix: &str, taken: &mut HashSet<String>) -> String {
    let mut n = 1usize;
    loop {
        let tail = if n == 1 {
            suffix.to_string()
        } else {
            format!("{suffix}~{n}")
        };
        let room = MAX_SHEET_NAME.saturating_sub(tail.encode_utf16().count());
        let mut head = String::new();
        let mut units = 0;
        for ch in base.chars() {
            units += ch.len_utf16();
            if units > room {
                break;
            }
            head.push(ch);
        }
        // A name may not end with an apostrophe either, also under spaces (a cut can leave "' ").
        let name = format!(
            "{}{tail}",
            head.trim_end_matches(|c: char| c == '\'' || c.is_whitespace())
        );
        if taken.insert(name.to_lowercase()) {
            return name;
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xlsx};
    use std::io::{Cursor, Read};

    const HOSTILE: &str = "=cmd|' /C calc'!A0";

    fn sample() -> Table {
        let mut t = Table::new(
            "theme_scores.csv",
            "Scores.",
            &[
                ("speaker", ""),
                ("source", ""),
                ("hits", ""),
                ("per_1000", ""),
                ("start", ""),
            ],
        );
        t.rows.push(vec![
            Cell::Text(HOSTILE.into()),
            Cell::Text("manifest".into()),
            Cell::Int(3),
            Cell::Float(333.33333, 4),
            Cell::Date("2024-03-06".into()),
        ]);
        t.rows.push(vec![
            Cell::Text("Côte d'Ivoire".into()),
            Cell::Empty,
            Cell::Int(0),
            Cell::Float(f64::NAN, 4),
            Cell::Date("2024".into()),
        ]);
        t.rows.push(vec![
            Cell::Text("2024-03-06".into()),
            Cell::Text("5-7".into()),
            Cell::Int(12),
            Cell::Float(0.5, 2),
            Cell::Date(String::new()),
        ]);
        t
    }

    fn open(bytes: &[u8]) -> Xlsx<Cursor<Vec<u8>>> {
        Xlsx::new(Cursor::new(bytes.to_vec())).unwrap()
    }

    fn part(bytes: &[u8], name: &str) -> String {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    }

    #[test]
    fn days_before_march_1900_stay_text() {
        for early in ["1899-12-31", "1900-01-01", "1900-02-28", "1815-06-18"] {
            assert!(excel_date(early).is_none(), "{early}");
        }
        // 1900-03-01 is serial 61 in Excel's calendar (which counts a 29 February 1900).
        let first = excel_date("1900-03-01").unwrap();
        assert_eq!(first.to_excel(), 61.0);
        assert!(excel_date("1946-10-24").is_some());
    }

    #[test]
    fn cells_keep_their_types() {
        let bytes = workbook(&[sample()]).unwrap();
        let mut book = open(&bytes);
        assert_eq!(book.sheet_names(), ["theme_scores", "about"]);
        let range = book.worksheet_range("theme_scores").unwrap();
        let cell = |r: usize, c: usize| range.get((r, c)).cloned().unwrap_or(Data::Empty);
        assert_eq!(cell(0, 0), Data::String("speaker".into()));
        // A string cell is never evaluated: the text is stored as is, without the CSV's `'`.
        assert_eq!(cell(1, 0), Data::String(HOSTILE.into()));
        assert_eq!(cell(1, 1), Data::String("manifest".into()));
        assert_eq!(cell(1, 2), Data::Float(3.0));
        assert_eq!(cell(1, 3), Data::Float(333.33333));
        match cell(1, 4) {
            // 2024-03-06 is day 45357 of Excel's calendar.
            Data::DateTime(d) => assert_eq!(d.as_f64(), 45357.0),
            other => panic!("date cell read as {other:?}"),
        }
        assert_eq!(cell(2, 0), Data::String("Côte d'Ivoire".into()));
        assert_eq!(cell(2, 1), Data::Empty);
        assert_eq!(cell(2, 3), Data::Empty, "NaN is left blank, as in the CSV");
        assert_eq!(
            cell(2, 4),
            Data::String("2024".into()),
            "a bare year stays text"
        );
        assert_eq!(
            cell(3, 0),
            Data::String("2024-03-06".into()),
            "text never becomes a date"
        );
        assert_eq!(cell(3, 1), Data::String("5-7".into()));
        assert_eq!(cell(3, 4), Data::Empty);
        let formulas = book.worksheet_formula("theme_scores").unwrap();
        assert!(
            formulas.used_cells().all(|(_, _, f)| f.is_empty()),
            "no formulas"
        );
    }

    #[test]
    fn formats_frozen_header_filter_and_widths() {
        let bytes = workbook(&[sample()]).unwrap();
        let styles = part(&bytes, "xl/styles.xml");
        for code in [
            "formatCode=\"0.0000\"",
            "formatCode=\"0.00\"",
            "formatCode=\"yyyy-mm-dd\"",
        ] {
            assert!(styles.contains(code), "{code} in {styles}");
        }
        let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
        assert!(
            sheet.contains("<pane ySplit=\"1\" topLeftCell=\"A2\""),
            "{sheet}"
        );
        assert!(sheet.contains("<autoFilter ref=\"A1:E4\"/>"), "{sheet}");
        // The longest speaker (18 characters) plus a margin; "hits" gets the minimum width.
        assert!(
            sheet.contains("<col min=\"1\" max=\"1\" width=\"19.7"),
            "{sheet}"
        );
        assert!(
            sheet.contains("<col min=\"3\" max=\"3\" width=\"8.7"),
            "{sheet}"
        );
    }

    #[test]
    fn bytes_are_reproducible() {
        let a = workbook(&[sample()]).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1100));
        let b = workbook(&[sample()]).unwrap();
        assert!(a == b, "two builds differ");
        let core = part(&a, "docProps/core.xml");
        assert!(core.contains("1980-01-01T00:00:00Z"), "{core}");
    }

    #[test]
    fn bytes_do_not_depend_on_the_thread_count() {
        // Sheets are filled in parallel and each meets its formats in a different order
        // (the last sheet uses the most decimals first): the style table must not care.
        let tables: Vec<Table> = (0..6)
            .map(|i| {
                let mut t =
                    Table::new(&format!("t{i}.csv"), "", &[("a", ""), ("b", ""), ("c", "")]);
                for r in 0..300 {
                    t.rows.push(vec![
                        Cell::Float(r as f64 / 7.0, (i * 2 + r) % 12),
                        Cell::Int(r as u64),
                        Cell::Date(format!("2024-03-{:02}", 1 + r % 28)),
                    ]);
                }
                t.rows.reverse();
                t
            })
            .collect();
        let with = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| workbook(&tables).unwrap())
        };
        let one = with(1);
        for threads in [2, 4, 8] {
            assert!(one == with(threads), "{threads} threads differ from 1");
        }
        // The numbers keep their decimals whichever sheet registered the format first.
        let sheet = part(&one, "xl/worksheets/sheet6.xml");
        assert!(
            sheet.contains(" s=\""),
            "{}",
            &sheet[..400.min(sheet.len())]
        );
        let styles = part(&one, "xl/styles.xml");
        assert!(styles.contains("0.00000000000"), "{styles}");
    }

    /// Rows made on demand, as documents.csv and the hit tables give theirs.
    struct Made(Vec<Vec<Cell>>);

    impl crate::report::table::RowSource for Made {
        fn each_row(
            &self,
            f: &mut dyn FnMut(&[Cell]) -> std::io::Result<()>,
        ) -> std::io::Result<()> {
            self.0.iter().try_for_each(|r| f(r))
        }

        fn len(&self) -> u64 {
            self.0.len() as u64
        }
    }

    #[test]
    fn streamed_rows_make_the_same_sheets_as_held_ones() {
        let mut held = Table::new("theme_matches.csv", "Hits.", &[("doc", ""), ("n", "")]);
        for i in 0..7u64 {
            held.rows.push(vec![
                Cell::Text(format!("statement with a longer name {i}")),
                Cell::Int(i * 1000),
            ]);
        }
        let mut streamed = held.clone();
        streamed.streamed = Some(crate::report::table::Streamed::new(std::sync::Arc::new(
            Made(std::mem::take(&mut streamed.rows)),
        )));
        // Three sheets of at most 3 rows: the streamed table is read past rows it skips.
        for rows_per_sheet in [3, 100] {
            assert_eq!(
                build(&[&held], &[], rows_per_sheet, None).unwrap(),
                build(&[&streamed], &[], rows_per_sheet, None).unwrap(),
                "{rows_per_sheet} rows per sheet"
            );
        }
    }

    #[test]
    fn big_tables_continue_on_more_sheets() {
        let mut t = Table::new("theme_matches.csv", "Hits.", &[("n", "")]);
        for i in 0..5 {
            t.rows.push(vec![Cell::Int(i)]);
        }
        let plans = plan(std::slice::from_ref(&t), 2);
        let got: Vec<(&str, std::ops::Range<usize>)> = plans
            .iter()
            .map(|p| (p.name.as_str(), p.rows.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("theme_matches", 0..2),
                ("theme_matches (2)", 2..4),
                ("theme_matches (3)", 4..5)
            ]
        );
        let bytes = build(&[&t], &[], 2, None).unwrap();
        let mut book = open(&bytes);
        let mut seen = Vec::new();
        for name in ["theme_matches", "theme_matches (2)", "theme_matches (3)"] {
            let r = book.worksheet_range(name).unwrap();
            assert_eq!(
                r.get((0, 0)),
                Some(&Data::String("n".into())),
                "header on every part"
            );
            seen.extend(r.rows().skip(1).map(|row| row[0].clone()));
        }
        assert_eq!(
            seen,
            (0..5).map(|i| Data::Float(i as f64)).collect::<Vec<_>>()
        );
        let about = book.worksheet_range("about").unwrap();
        let note = about.get((2, 3)).unwrap().to_string();
        assert!(note.contains("Rows 3-4 of 5"), "{note}");
    }

    #[test]
    fn sheet_names_fit_and_are_unique() {
        let files = [
            "term_frequencies_by_speaker_and_session.csv",
            "term_frequencies_by_speaker_and_session_2.csv",
            "About.csv",
            "what?[x]:y/z.csv",
            "'quoted'.csv",
            "History.csv",
            "THEME_SCORES.csv",
            "theme_scores.csv",
        ];
        let tables: Vec<Table> = files
            .iter()
            .map(|f| Table::new(f, "", &[("a", "")]))
            .collect();
        let names: Vec<String> = plan(&tables, 10).into_iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            [
                "term_frequencies_by_speaker_and",
                "term_frequencies_by_speaker_a~2",
                "About~2",
                "what__x__y_z",
                "quoted",
                "History~2",
                "THEME_SCORES",
                "theme_scores~2",
            ]
        );
        // And Excel's rules hold: the library validates every name while building.
        build(&tables.iter().collect::<Vec<_>>(), &[], 10, None).unwrap();
    }

    #[test]
    fn a_cut_name_never_ends_with_an_apostrophe() {
        // Cut at 31 characters, this name would end "a' " (the case proptest found).
        let file = format!("{}a' !.csv", "x".repeat(28));
        let name = unique_name(&sheet_base(&file), "", &mut HashSet::new());
        assert_eq!(name, format!("{}a", "x".repeat(28)));
        let t = Table::new(&file, "", &[("n", "")]);
        workbook(&[t]).unwrap();
    }

    #[test]
    fn overlong_text_is_cut_visibly() {
        let long = "é".repeat(40_000);
        let cut = crate::report::table::excel_text(&long);
        assert_eq!(cut.encode_utf16().count(), 32_767);
        assert!(cut.ends_with('…'));
        assert_eq!(crate::report::table::excel_text("short"), "short");
        let mut t = Table::new("t.csv", "", &[("text", "")]);
        t.rows.push(vec![Cell::Text(long)]);
        workbook(&[t]).unwrap();
    }

    proptest::proptest! {
        #[test]
        fn any_table_makes_a_workbook(
            file in "\\PC{0,40}",
            texts in proptest::collection::vec("\\PC{0,20}", 0..6),
            numbers in proptest::collection::vec(proptest::num::f64::ANY, 0..6),
            dates in proptest::collection::vec("[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}|", 0..6),
        ) {
            let mut t = Table::new(&file, "", &[("text", ""), ("x", ""), ("date", "")]);
            let n = texts.len().max(numbers.len()).max(dates.len());
            for i in 0..n {
                t.rows.push(vec![
                    texts.get(i).map_or(Cell::Empty, |s| Cell::Text(s.clone())),
                    numbers.get(i).map_or(Cell::Empty, |&x| Cell::Float(x, i % 12)),
                    dates.get(i).map_or(Cell::Empty, |s| Cell::Date(s.clone())),
                ]);
            }
            let other = Table::new(&file, "", &[(file.as_str(), "")]);
            let made = workbook(&[t, other]);
            proptest::prop_assert!(made.is_ok(), "{:?}", made.err());
        }
    }

    #[test]
    fn the_reading_set_keeps_long_tables_in_their_csv_and_says_where() {
        let named = |file: &str| {
            let mut t = Table::new(file, "About it.", &[("n", "")]);
            t.rows.push(vec![Cell::Int(1)]);
            t
        };
        let tables = vec![
            named("documents.csv"),
            named("term_frequencies.csv"),
            named("theme_scores.csv"),
            named("theme_matches.csv"),
            named("keyness.csv"),
        ];
        let dir = tempfile::tempdir().unwrap();
        let bytes = workbook_in(&tables, false, dir.path()).unwrap();
        let mut book = open(&bytes);
        assert_eq!(
            book.sheet_names(),
            ["documents", "theme_scores", "keyness", "about"]
        );
        let about = book.worksheet_range("about").unwrap();
        let text: Vec<String> = about
            .rows()
            .map(|r| {
                r.iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join("|")
            })
            .collect();
        for file in ["term_frequencies.csv", "theme_matches.csv"] {
            assert!(
                text.iter()
                    .any(|l| l.contains(file) && l.contains("Not in the workbook")),
                "{file} not named: {text:#?}"
            );
        }
        assert!(
            text.iter()
                .any(|l| l.starts_with("keyness|") && l.contains("The full table is keyness.csv")),
            "{text:#?}"
        );
        // Every table, with workbook_sheets = "all".
        let all = workbook_in(&tables, true, dir.path()).unwrap();
        assert_eq!(open(&all).sheet_names().len(), tables.len() + 1);
    }

    #[test]
    fn a_table_past_excel_s_row_limit_continues_on_a_second_sheet() {
        // One column of MAX_ROWS + 2 data rows: it cannot fit one sheet (MAX_ROWS counts the
        // header), so it is split, and no sheet holds more rows than Excel can open.
        let mut t = Table::new("documents.csv", "", &[("n", "")]);
        t.rows = (0..MAX_ROWS as u64 + 2)
            .map(|i| vec![Cell::Int(i)])
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let bytes = workbook_in(std::slice::from_ref(&t), false, dir.path()).unwrap();
        drop(t);
        let mut book = open(&bytes);
        assert_eq!(book.sheet_names(), ["documents", "documents (2)", "about"]);
        let first = book.worksheet_range("documents").unwrap();
        let second = book.worksheet_range("documents (2)").unwrap();
        assert_eq!(first.height(), MAX_ROWS, "header plus MAX_ROWS - 1 rows");
        assert_eq!(second.height(), 1 + 3, "header plus the 3 rows left over");
        assert_eq!(
            second.get((3, 0)).map(|c| c.to_string()),
            Some((MAX_ROWS as u64 + 1).to_string())
        );
    }
}
