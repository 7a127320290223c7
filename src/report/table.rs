//! Typed tables and their CSV rendering: tables are built as cells (or stream their rows), then turned into bytes.
//!
//! A table whose rows would not fit in memory (every theme hit, with its context) carries
//! a [`RowSource`] instead of rows: its rows are produced one at a time while the file is
//! written, and never held together.
//!
//! Conventions: RFC 4180 (header row, quotes doubled, fields with commas,
//! quotes or line breaks quoted), UTF-8. `excel_compatible` adds a byte-order
//! mark and CRLF line ends. Every text cell and column name that begins with
//! `=`, `+`, `-`, `@`, tab or CR gets a leading `'` ([`needs_neutralizing`]) so no
//! spreadsheet runs it as a formula; numbers are never altered. Text is not
//! sorted into safe and unsafe kinds: session labels, theme names and pattern
//! text come from the manifest and the dictionary, files users edit and share,
//! so one rule covers every cell of every table. With `excel_compatible`, a cell longer
//! than Excel's 32,767 characters is cut, ending in `…` ([`excel_text`]): Excel would
//! spill the rest into the cells that follow.

use std::borrow::Cow;

/// One cell, typed so every writer renders it right.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Any text (statements, file names, manifest, dictionary, the tool's own words):
    /// neutralized against formula injection in CSV, stored as a string in the workbook.
    Text(String),
    Int(u64),
    /// A number printed with a fixed number of decimals.
    Float(f64, usize),
    /// An ISO 8601 date, or empty.
    Date(String),
    Empty,
}

/// A column: its name and what it means (written to output/README.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub meaning: String,
}

/// A named table of rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// File name, e.g. `theme_scores.csv`.
    pub file: String,
    pub about: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// Rows produced on demand, after `rows` (see the module docs).
    pub streamed: Option<Streamed>,
}

/// Produces a table's rows one at a time, in order.
pub trait RowSource: Send + Sync {
    /// Calls `row` with every row; stops at the first error.
    fn each_row(&self, row: &mut dyn FnMut(&[Cell]) -> std::io::Result<()>) -> std::io::Result<()>;
    /// How many rows `each_row` gives.
    fn len(&self) -> u64;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A table's streamed rows, with the column kinds seen the last time they were written.
#[derive(Clone)]
pub struct Streamed {
    pub source: std::sync::Arc<dyn RowSource>,
    kinds: std::sync::Arc<std::sync::OnceLock<Vec<ColumnKind>>>,
}

impl Streamed {
    pub fn new(source: std::sync::Arc<dyn RowSource>) -> Streamed {
        Streamed {
            source,
            kinds: Default::default(),
        }
    }
}

impl std::fmt::Debug for Streamed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Streamed({} rows)", self.source.len())
    }
}

impl PartialEq for Streamed {
    fn eq(&self, other: &Streamed) -> bool {
        std::sync::Arc::ptr_eq(&self.source, &other.source)
    }
}

impl Table {
    pub fn new(file: &str, about: &str, columns: &[(&str, &str)]) -> Table {
        Table {
            file: file.to_string(),
            about: about.to_string(),
            columns: columns
                .iter()
                .map(|(n, m)| Column {
                    name: n.to_string(),
                    meaning: m.to_string(),
                })
                .collect(),
            rows: Vec::new(),
            streamed: None,
        }
    }

    /// Number of data rows, streamed ones included.
    pub fn row_count(&self) -> u64 {
        self.rows.len() as u64 + self.streamed.as_ref().map_or(0, |s| s.source.len())
    }

    /// Calls `f` with every row in order: those held, then the streamed ones.
    pub fn for_each_row(
        &self,
        mut f: impl FnMut(&[Cell]) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        for row in &self.rows {
            f(row)?;
        }
        match &self.streamed {
            Some(s) => s.source.each_row(&mut f),
            None => Ok(()),
        }
    }

    /// Calls `f` with the rows at positions `range` (among all rows, held then streamed), in
    /// order. A streamed source cannot skip: rows before the range are made and dropped, and
    /// the pass stops at the end of the range.
    pub fn for_each_row_in(
        &self,
        range: std::ops::Range<usize>,
        mut f: impl FnMut(&[Cell]) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let held = self.rows.len();
        for row in &self.rows[range.start.min(held)..range.end.min(held)] {
            f(row)?;
        }
        let Some(s) = &self.streamed else {
            return Ok(());
        };
        if range.end <= held {
            return Ok(());
        }
        let mut at = held;
        let pass = s.source.each_row(&mut |row| {
            let i = at;
            at += 1;
            if i >= range.end {
                Err(std::io::Error::other(PastTheRange))
            } else if i >= range.start {
                f(row)
            } else {
                Ok(())
            }
        });
        match pass {
            Err(e) if e.get_ref().is_some_and(|e| e.is::<PastTheRange>()) => Ok(()),
            other => other,
        }
    }

    /// A copy with every streamed row held (for writers that need all rows at once).
    pub fn materialized(&self) -> std::io::Result<Table> {
        let mut t = Table {
            streamed: None,
            rows: Vec::with_capacity(self.row_count() as usize),
            ..self.clone()
        };
        self.for_each_row(|row| {
            t.rows.push(row.to_vec());
            Ok(())
        })?;
        Ok(t)
    }

    pub fn push_column(&mut self, name: &str, meaning: &str) {
        self.columns.push(Column {
            name: name.to_string(),
            meaning: meaning.to_string(),
        });
    }

    /// Renders a table held in memory as CSV bytes (streamed rows: [`Table::write_csv`]).
    pub fn to_csv(&self, excel_compatible: bool) -> Vec<u8> {
        debug_assert!(self.streamed.is_none(), "{} streams its rows", self.file);
        let mut out = Vec::with_capacity(64 + self.rows.len() * 48);
        let mut field = String::new();
        self.csv_header(&mut out, excel_compatible);
        for row in &self.rows {
            csv_row(&mut out, row, &mut field, excel_compatible);
        }
        out
    }

    /// Writes the table as CSV to `w`, a row at a time (the bytes of `to_csv`); for streamed
    /// rows, also notes the column kinds they had ([`Table::column_kinds`]).
    pub fn write_csv(
        &self,
        w: &mut dyn std::io::Write,
        excel_compatible: bool,
    ) -> std::io::Result<()> {
        const FLUSH_AT: usize = 1 << 16;
        let mut out = Vec::with_capacity(FLUSH_AT + 4096);
        let mut field = String::new();
        self.csv_header(&mut out, excel_compatible);
        let mut kinds = vec![ColumnKind::Unknown; self.columns.len()];
        self.for_each_row(|row| {
            for (kind, cell) in kinds.iter_mut().zip(row) {
                *kind = kind.with(cell);
            }
            csv_row(&mut out, row, &mut field, excel_compatible);
            if out.len() >= FLUSH_AT {
                w.write_all(&out)?;
                out.clear();
            }
            Ok(())
        })?;
        w.write_all(&out)?;
        if let Some(s) = &self.streamed {
            let _ = s.kinds.set(kinds);
        }
        Ok(())
    }

    fn csv_header(&self, out: &mut Vec<u8>, excel_compatible: bool) {
        if excel_compatible {
            out.extend_from_slice(b"\xEF\xBB\xBF");
        }
        for (i, c) in self.columns.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            // Names can come from input too (group labels as wide-table headers).
            write_field(out, &neutralized(&c.name));
        }
        out.extend_from_slice(eol(excel_compatible));
    }
}

/// Ends a streamed pass early in [`Table::for_each_row_in`] (never leaves it).
#[derive(Debug)]
struct PastTheRange;

impl std::fmt::Display for PastTheRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("past the rows asked for")
    }
}

impl std::error::Error for PastTheRange {}

fn eol(excel_compatible: bool) -> &'static [u8] {
    if excel_compatible { b"\r\n" } else { b"\n" }
}

/// Appends one CSV row.
fn csv_row(out: &mut Vec<u8>, row: &[Cell], field: &mut String, excel_compatible: bool) {
    for (i, cell) in row.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        field.clear();
        render_cell(cell, field);
        if excel_compatible {
            // A longer cell spills into the next ones when Excel opens the file.
            write_field(out, &excel_text(field));
        } else {
            write_field(out, field);
        }
    }
    out.extend_from_slice(eol(excel_compatible));
}

/// The text of a cell as it appears in a CSV file.
pub fn render_cell(cell: &Cell, out: &mut String) {
    use std::fmt::Write;
    match cell {
        Cell::Text(s) => {
            if needs_neutralizing(s) {
                out.push('\'');
            }
            out.push_str(s);
        }
        Cell::Date(s) => out.push_str(s),
        Cell::Int(n) => {
            let _ = write!(out, "{n}");
        }
        Cell::Float(x, d) if x.is_finite() => {
            // `{:.N}` never uses exponent notation; -0 prints as 0.
            let x = if *x == 0.0 { 0.0 } else { *x };
            let _ = write!(out, "{x:.d$}");
        }
        Cell::Float(..) | Cell::Empty => {}
    }
}

/// What a column holds, read from its cells (for the workbook's formats and the column catalog).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Text,
    Integer,
    /// Numbers with this many decimals.
    Decimal(usize),
    /// ISO 8601 dates, every one a full day.
    Date,
    /// Bare years (`2001`): a time column where only years are known.
    Year,
    /// Full dates in some rows, bare years in others.
    DateOrYear,
    /// Different kinds of cells in one column.
    Mixed,
    /// No non-empty cell to tell from.
    Unknown,
}

impl ColumnKind {
    /// The unit column of the catalog: how to read the cells.
    pub fn describe(self) -> String {
        match self {
            ColumnKind::Text => "text".into(),
            ColumnKind::Integer => "integer".into(),
            ColumnKind::Decimal(d) => format!("number, {d} decimals"),
            ColumnKind::Date => "date (YYYY-MM-DD)".into(),
            ColumnKind::Year => "year (YYYY)".into(),
            ColumnKind::DateOrYear => {
                "date (YYYY-MM-DD, or YYYY where only the year is known)".into()
            }
            ColumnKind::Mixed => "mixed".into(),
            ColumnKind::Unknown => "(no rows)".into(),
        }
    }

    /// [`describe`](Self::describe) for a column of a table with `rows` rows: a column empty
    /// in every row of a table that has rows says so, not "(no rows)".
    pub fn describe_in(self, rows: u64) -> String {
        match self {
            ColumnKind::Unknown if rows > 0 => "(empty in every row)".into(),
            k => k.describe(),
        }
    }

    fn of(cell: &Cell) -> Option<ColumnKind> {
        match cell {
            // An empty cell tells nothing, whatever its type.
            Cell::Text(s) | Cell::Date(s) if s.is_empty() => None,
            Cell::Text(_) => Some(ColumnKind::Text),
            Cell::Int(_) => Some(ColumnKind::Integer),
            Cell::Float(_, d) => Some(ColumnKind::Decimal(*d)),
            Cell::Date(s) if s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()) => {
                Some(ColumnKind::Year)
            }
            Cell::Date(_) => Some(ColumnKind::Date),
            Cell::Empty => None,
        }
    }
}

impl ColumnKind {
    /// The kind of a column made of one column of kind `self` and one of kind `other`.
    fn merge(self, other: ColumnKind) -> ColumnKind {
        use ColumnKind::{Date, DateOrYear, Mixed, Unknown, Year};
        match (self, other) {
            (Unknown, k) | (k, Unknown) => k,
            (a, b) if a == b => a,
            (Date | Year | DateOrYear, Date | Year | DateOrYear) => DateOrYear,
            _ => Mixed,
        }
    }

    /// The kind of a column that was `self` once `cell` is added to it.
    fn with(self, cell: &Cell) -> ColumnKind {
        ColumnKind::of(cell).map_or(self, |c| self.merge(c))
    }
}

impl Table {
    /// The kind of column `index`, from all its non-empty cells.
    pub fn column_kind(&self, index: usize) -> ColumnKind {
        if self.streamed.is_some() {
            return self
                .column_kinds()
                .get(index)
                .copied()
                .unwrap_or(ColumnKind::Unknown);
        }
        let mut kind = ColumnKind::Unknown;
        for cell in self.rows.iter().filter_map(|r| r.get(index)) {
            kind = kind.with(cell);
            if kind == ColumnKind::Mixed {
                break;
            }
        }
        kind
    }

    /// The kind of every column, in one pass over the rows (what `column_kind` gives for each).
    /// Streamed rows count with the kinds noted when they were written, or are read once more.
    pub fn column_kinds(&self) -> Vec<ColumnKind> {
        let mut kinds = vec![ColumnKind::Unknown; self.columns.len()];
        let mut add = |row: &[Cell]| {
            for (kind, cell) in kinds.iter_mut().zip(row) {
                *kind = kind.with(cell);
            }
        };
        match &self.streamed {
            None => self.rows.iter().for_each(|r| add(r)),
            Some(s) => match s.kinds.get() {
                Some(seen) => {
                    self.rows.iter().for_each(|r| add(r));
                    for (kind, &k) in kinds.iter_mut().zip(seen) {
                        *kind = kind.merge(k);
                    }
                }
                None => {
                    let _ = self.for_each_row(|r| {
                        add(r);
                        Ok(())
                    });
                }
            },
        }
        kinds
    }
}

/// The cell's text with OWASP's leading `'` when it needs one.
pub fn neutralized(s: &str) -> std::borrow::Cow<'_, str> {
    if needs_neutralizing(s) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// OWASP's rule for CSV injection: a cell starting with one of these is a formula to a spreadsheet.
pub fn needs_neutralizing(s: &str) -> bool {
    matches!(
        s.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// Longest text an Excel cell holds, in UTF-16 code units.
pub const MAX_CELL_UNITS: usize = 32_767;

/// Text cut to what an Excel cell holds; a cut text ends with `…` so it is visibly incomplete.
pub fn excel_text(s: &str) -> Cow<'_, str> {
    // UTF-16 never needs more units than UTF-8 needs bytes.
    if s.len() <= MAX_CELL_UNITS || s.encode_utf16().count() <= MAX_CELL_UNITS {
        return Cow::Borrowed(s);
    }
    let mut units = 0;
    let mut end = 0;
    for (i, ch) in s.char_indices() {
        units += ch.len_utf16();
        // One unit stays free for the ellipsis.
        if units > MAX_CELL_UNITS - 1 {
            break;
        }
        end = i + ch.len_utf8();
    }
    Cow::Owned(format!("{}…", &s[..end]))
}

fn write_field(out: &mut Vec<u8>, s: &str) {
    if s.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
        || s.starts_with(' ')
        || s.ends_with(' ')
    {
        out.push(b'"');
        for b in s.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(s.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::new("t.csv", "test", &[("text", ""), ("n", ""), ("x", "")]);
        t.rows.push(vec![
            Cell::Text("=HYPERLINK(\"x\")".into()),
            Cell::Int(3),
            Cell::Float(-0.0, 2),
        ]);
        t.rows.push(vec![
            Cell::Text("a,b\nc".into()),
            Cell::Int(0),
            Cell::Float(1234567.891, 4),
        ]);
        t.rows.push(vec![
            Cell::Text("-label".into()),
            Cell::Empty,
            Cell::Float(f64::NAN, 1),
        ]);
        t
    }

    #[test]
    fn rfc4180_quoting_and_neutralizing() {
        let csv = String::from_utf8(table().to_csv(false)).unwrap();
        assert_eq!(
            csv,
            "text,n,x\n\"'=HYPERLINK(\"\"x\"\")\",3,0.00\n\"a,b\nc\",0,1234567.8910\n'-label,,\n"
        );
    }

    #[test]
    fn excel_mode_has_bom_and_crlf() {
        let csv = table().to_csv(true);
        assert!(csv.starts_with(b"\xEF\xBB\xBFtext,n,x\r\n"));
        // The line break inside a quoted field is the cell's own text.
        assert!(String::from_utf8_lossy(&csv).contains("\"a,b\nc\""));
    }

    #[test]
    fn csv_reader_round_trips_the_cells() {
        let bytes = table().to_csv(false);
        let mut r = csv::Reader::from_reader(&bytes[..]);
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert_eq!(&rows[0][0], "'=HYPERLINK(\"x\")");
        assert_eq!(&rows[1][0], "a,b\nc");
    }

    #[test]
    fn header_names_from_input_are_neutralized() {
        let t = Table::new("t.csv", "", &[("=cmd|' /C calc'!A0", ""), ("plain", "")]);
        let csv = String::from_utf8(t.to_csv(false)).unwrap();
        assert_eq!(csv, "'=cmd|' /C calc'!A0,plain\n");
    }

    #[test]
    fn excel_compatible_csv_cuts_cells_excel_cannot_hold() {
        let mut t = Table::new("t.csv", "test", &[("text", ""), ("n", "")]);
        t.rows
            .push(vec![Cell::Text("ü".repeat(40_000)), Cell::Int(7)]);
        let read = |bytes: Vec<u8>| -> Vec<String> {
            let mut r = csv::ReaderBuilder::new().from_reader(&bytes[..]);
            r.records()
                .next()
                .unwrap()
                .unwrap()
                .iter()
                .map(String::from)
                .collect()
        };
        let cells = read(t.to_csv(true));
        assert_eq!(cells[0].encode_utf16().count(), MAX_CELL_UNITS);
        assert!(cells[0].ends_with('…'));
        assert_eq!(cells[1], "7");
        // Other readers take any length: plain CSV keeps the text whole.
        assert_eq!(read(t.to_csv(false))[0], "ü".repeat(40_000));
    }

    #[test]
    fn neutralizing_table() {
        for (input, expect) in [
            ("=1+2", "'=1+2"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(1,2)", "'@SUM(1,2)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("a=1", "a=1"),
            (" =1", " =1"),
            ("", ""),
            ("Côte d'Ivoire", "Côte d'Ivoire"),
        ] {
            assert_eq!(neutralized(input), expect, "{input:?}");
            let mut s = String::new();
            render_cell(&Cell::Text(input.into()), &mut s);
            assert_eq!(s, expect, "{input:?}");
            s.clear();
            render_cell(&Cell::Date(input.into()), &mut s);
            assert_eq!(s, input, "dates are the tool's own ISO text");
        }
    }

    #[test]
    fn column_kinds_come_from_the_cells() {
        let mut t = Table::new("t.csv", "", &[("a", ""), ("b", ""), ("c", ""), ("d", "")]);
        assert_eq!(t.column_kind(0), ColumnKind::Unknown);
        t.rows.push(vec![
            Cell::Int(1),
            Cell::Float(1.0, 4),
            Cell::Date(String::new()),
            Cell::Text("x".into()),
        ]);
        t.rows.push(vec![
            Cell::Empty,
            Cell::Float(2.0, 4),
            Cell::Date("2024-03-06".into()),
            Cell::Int(3),
        ]);
        assert_eq!(t.column_kind(0), ColumnKind::Integer);
        assert_eq!(t.column_kind(1), ColumnKind::Decimal(4));
        assert_eq!(t.column_kind(2), ColumnKind::Date);
        assert_eq!(t.column_kind(3), ColumnKind::Mixed);
        assert_eq!(t.column_kind(9), ColumnKind::Unknown);
        // Bare years are years; years and days together say both; empty text tells nothing.
        let mut y = Table::new("y.csv", "", &[("a", ""), ("b", ""), ("c", "")]);
        y.rows.push(vec![
            Cell::Date("2001".into()),
            Cell::Date("2001".into()),
            Cell::Text(String::new()),
        ]);
        y.rows.push(vec![
            Cell::Date("2002".into()),
            Cell::Date("2002-03-06".into()),
            Cell::Text(String::new()),
        ]);
        assert_eq!(y.column_kind(0), ColumnKind::Year);
        assert_eq!(y.column_kind(1), ColumnKind::DateOrYear);
        assert_eq!(y.column_kind(2), ColumnKind::Unknown);
        assert_eq!(
            y.column_kinds(),
            [
                ColumnKind::Year,
                ColumnKind::DateOrYear,
                ColumnKind::Unknown
            ]
        );
        assert_eq!(ColumnKind::Year.describe(), "year (YYYY)");
        assert_eq!(ColumnKind::Unknown.describe_in(2), "(empty in every row)");
        assert_eq!(
            ColumnKind::Date.merge(ColumnKind::Year),
            ColumnKind::DateOrYear
        );
        assert_eq!(
            ColumnKind::DateOrYear.merge(ColumnKind::Text),
            ColumnKind::Mixed
        );
        assert_eq!(ColumnKind::Decimal(4).describe(), "number, 4 decimals");
        assert_eq!(ColumnKind::Unknown.describe_in(0), "(no rows)");
        assert_eq!(ColumnKind::Unknown.describe_in(3), "(empty in every row)");
        assert_eq!(ColumnKind::Integer.describe_in(3), "integer");
        // Once mixed, a column stays mixed; the one-pass version agrees column by column.
        t.rows.push(vec![
            Cell::Int(2),
            Cell::Empty,
            Cell::Empty,
            Cell::Text("y".into()),
        ]);
        t.rows.push(vec![Cell::Int(4)]);
        assert_eq!(t.column_kind(3), ColumnKind::Mixed);
        let each: Vec<ColumnKind> = (0..4).map(|i| t.column_kind(i)).collect();
        assert_eq!(t.column_kinds(), each);
    }

    #[test]
    fn floats_never_use_exponents() {
        let mut s = String::new();
        render_cell(&Cell::Float(1e-9, 4), &mut s);
        assert_eq!(s, "0.0000");
        s.clear();
        render_cell(&Cell::Float(1e21, 1), &mut s);
        assert!(!s.contains('e'), "{s}");
    }

    struct Counting(u64);

    impl RowSource for Counting {
        fn each_row(
            &self,
            f: &mut dyn FnMut(&[Cell]) -> std::io::Result<()>,
        ) -> std::io::Result<()> {
            (0..self.0).try_for_each(|i| f(&[Cell::Int(i)]))
        }

        fn len(&self) -> u64 {
            self.0
        }
    }

    #[test]
    fn row_ranges_over_held_and_streamed_rows() {
        // Rows 0..3 held, 3..8 streamed.
        let mut t = Table::new("t.csv", "", &[("n", "")]);
        t.rows = (0..3).map(|i| vec![Cell::Int(i)]).collect();
        t.streamed = Some(Streamed::new(std::sync::Arc::new(Counting(5))));
        let all: Vec<Cell> = t.materialized().unwrap().rows.concat();
        assert_eq!(all.len(), 8);
        for start in 0..=8 {
            for end in start..=9 {
                let mut got = Vec::new();
                t.for_each_row_in(start..end, |r| {
                    got.extend_from_slice(r);
                    Ok(())
                })
                .unwrap();
                assert_eq!(got, all[start..end.min(8)], "{start}..{end}");
            }
        }
        // An error of the caller's still ends the pass as an error.
        let failed = t.for_each_row_in(0..8, |_| Err(std::io::Error::other("full")));
        assert!(failed.is_err());
    }
}
