//! The output's own documentation, written by every run from the tables themselves: `README.md` and `columns.csv`.
//!
//! Built from each table's file name, description and column meanings, with
//! the unit read from the cells, so it can never fall behind the files.

use std::fmt::Write;

use rayon::prelude::*;

use crate::report::table::{Cell, ColumnKind, Table};

/// The kind of every column of every table (tables in parallel, each in one pass).
pub fn column_kinds(tables: &[Table]) -> Vec<Vec<ColumnKind>> {
    tables.par_iter().map(Table::column_kinds).collect()
}

/// `columns.csv`: one row per column of every table.
pub fn columns_table(tables: &[Table], kinds: &[Vec<ColumnKind>]) -> Table {
    let mut t = Table::new(
        "columns.csv",
        "Every column of every CSV table of this run: its type or unit and what it means.",
        &[
            ("file", "The table's file name"),
            ("column", "Column name, as in the file's header row"),
            ("position", "Position of the column in the file (1 = first)"),
            (
                "unit",
                "What the cells hold: text, integer, number with N decimals, date (YYYY-MM-DD), year (YYYY), or either of the last two",
            ),
            ("meaning", "What the column means"),
        ],
    );
    for (table, kinds) in tables.iter().zip(kinds) {
        let rows = table.row_count();
        for (i, c) in table.columns.iter().enumerate() {
            t.rows.push(vec![
                Cell::Text(table.file.clone()),
                // Column names can come from input (manifest columns, group labels).
                Cell::Text(c.name.clone()),
                Cell::Int(i as u64 + 1),
                Cell::Text(kinds[i].describe_in(rows)),
                Cell::Text(c.meaning.clone()),
            ]);
        }
    }
    t
}

/// What a file that is not a table is, for the README's file list.
fn describe_other(path: &str) -> &'static str {
    match path {
        "README.md" => "This file.",
        "columns.csv" => "The column tables below as CSV: file, column, position, unit, meaning.",
        "topictrends.xlsx" => {
            "The tables a person reads (`workbook_sheets = \"all\"`: every table) as sheets of one workbook, typed (numbers as numbers, dates as dates, text as text), header row frozen and filtered; the `about` sheet lists the sheets and names the CSV that holds each table in full."
        }
        "run.json" => {
            "The record of this run: version, configuration and inputs with their hashes, times per stage, statements read, reused from cache and skipped, warnings. The only file that differs between identical runs."
        }
        "charts/" => "Trend charts (PNG).",
        "report.html" => {
            "The run on one page, for reading in a browser (works offline): what was read, theme trends with intervals and tests, each theme with its patterns and strongest passages, what is new, candidate phrases, method, and links to every file."
        }
        _ => "",
    }
}

/// `README.md`: the files of the run and, per table, its columns with unit and meaning.
///
/// `other_files` are the paths of the run's files that are not tables (the
/// workbook, charts, this README...); files under a folder are listed once as the folder.
pub fn readme(
    tables: &[Table],
    kinds: &[Vec<ColumnKind>],
    other_files: &[String],
    excel_compatible: bool,
) -> String {
    let mut s = String::new();
    s.push_str("# topictrends output\n\n");
    s.push_str(
        "Written by `topictrends run` together with the files beside it, from the same tables, \
         so it always describes exactly this output.\n\n",
    );
    s.push_str("## CSV conventions\n\n");
    let encoding = if excel_compatible {
        "UTF-8 with a byte-order mark and CRLF line ends (`excel_compatible = true`), so Excel shows accents right; \
         Python: `encoding=\"utf-8-sig\"`"
    } else {
        "plain UTF-8 with LF line ends (`excel_compatible = false`)"
    };
    let _ = writeln!(
        s,
        "- RFC 4180: a header row; fields with commas, quotes or line breaks are quoted, quotes doubled. \
         Encoding: {encoding}."
    );
    s.push_str(
        "- Numbers use `.` as decimal separator, a fixed number of decimals per column \
         (see `unit`), no thousands separators, never scientific notation.\n\
         - Dates are ISO 8601 (`2024-03-06`); a session start known only by its year is the bare year.\n\
         - Text taken from statements, file names, the manifest or the theme dictionary that begins with \
         `=`, `+`, `-`, `@`, tab or carriage return has a `'` put in front, so no spreadsheet runs it \
         as a formula. Numeric columns are never changed.\n\
         - Labels the tool makes (\"Session 7\", \"2024\", \"2024-Q1\", \"2024-M03\") never look like dates. \
         Your own identifiers can: a file named `2024-03-06.txt` or a `group_by` field with the value `5-7` \
         may be turned into a date by a spreadsheet importing the CSV. The workbook keeps them as text.\n\n",
    );
    s.push_str("## Files\n\n| file | what it is |\n|---|---|\n");
    for t in tables {
        let _ = writeln!(
            s,
            "| [`{}`](#{}) | {} |",
            md(&t.file),
            anchor(&t.file),
            md(&t.about)
        );
    }
    let mut listed: Vec<String> = Vec::new();
    for path in other_files {
        let entry = match path.split_once('/') {
            Some((folder, _)) => format!("{folder}/"),
            None => path.clone(),
        };
        if listed.contains(&entry) {
            continue;
        }
        let about = if entry.ends_with('/') {
            let n = other_files
                .iter()
                .filter(|p| p.starts_with(entry.as_str()))
                .count();
            format!("{} {n} files.", describe_other(&entry))
                .trim()
                .to_string()
        } else {
            describe_other(&entry).to_string()
        };
        let _ = writeln!(s, "| `{}` | {} |", md(&entry), md(&about));
        listed.push(entry);
    }
    for (ti, t) in tables.iter().enumerate() {
        let _ = write!(
            s,
            "\n## {}\n\n{}\n\n| column | unit | meaning |\n|---|---|---|\n",
            md(&t.file),
            md(&t.about)
        );
        for (i, c) in t.columns.iter().enumerate() {
            let _ = writeln!(
                s,
                "| `{}` | {} | {} |",
                md(&c.name),
                kinds[ti][i].describe_in(t.row_count()),
                md(&c.meaning)
            );
        }
    }
    s
}

/// Text safe inside a Markdown table cell: one line, pipes escaped.
fn md(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\r', '\n'], " ")
}

/// The anchor GitHub-style renderers give a heading made of the file name.
fn anchor(file: &str) -> String {
    file.chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_ascii_lowercase())
            } else if c == ' ' {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tables() -> Vec<Table> {
        let mut a = Table::new(
            "theme_scores.csv",
            "Scores.",
            &[("theme", "Theme name"), ("per_1000", "Rate | per 1,000")],
        );
        a.rows
            .push(vec![Cell::Text("Norms".into()), Cell::Float(1.5, 4)]);
        let mut b = Table::new("skipped.csv", "Skipped files.", &[("file", "Path")]);
        b.push_column("=odd", "A manifest column");
        vec![a, b]
    }

    #[test]
    fn columns_csv_lists_every_column_with_its_unit() {
        let t = columns_table(&tables(), &column_kinds(&tables()));
        let csv = String::from_utf8(t.to_csv(false)).unwrap();
        assert_eq!(
            csv,
            "file,column,position,unit,meaning\n\
             theme_scores.csv,theme,1,text,Theme name\n\
             theme_scores.csv,per_1000,2,\"number, 4 decimals\",\"Rate | per 1,000\"\n\
             skipped.csv,file,1,(no rows),Path\n\
             skipped.csv,'=odd,2,(no rows),A manifest column\n"
        );
    }

    #[test]
    fn readme_lists_tables_other_files_and_columns() {
        let others: Vec<String> = [
            "topictrends.xlsx",
            "charts/themes/a.png",
            "charts/themes/b.png",
            "README.md",
            "mystery.bin",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let s = readme(&tables(), &column_kinds(&tables()), &others, true);
        assert!(
            s.contains("| [`theme_scores.csv`](#theme_scorescsv) | Scores. |"),
            "{s}"
        );
        assert!(
            s.contains("| `topictrends.xlsx` | The tables a person reads"),
            "{s}"
        );
        assert!(
            s.contains("| `charts/` | Trend charts (PNG). 2 files. |"),
            "{s}"
        );
        assert_eq!(s.matches("`charts/`").count(), 1, "a folder is listed once");
        assert!(s.contains("| `mystery.bin` |  |"), "{s}");
        assert!(
            s.contains("| `per_1000` | number, 4 decimals | Rate \\| per 1,000 |"),
            "{s}"
        );
        assert!(s.contains("## skipped.csv"), "{s}");
        assert!(
            s.contains("| `=odd` | (no rows) | A manifest column |"),
            "{s}"
        );
        assert!(s.contains("byte-order mark"));
        assert!(readme(&tables(), &column_kinds(&tables()), &[], false).contains("plain UTF-8"));
    }
}
