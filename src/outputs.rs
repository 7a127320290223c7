//! Renders a run's results into output files (bytes only; the publish stage writes them).

use std::path::PathBuf;

use crate::config::Settings;
use crate::pipeline::Analysis;
use crate::publish::OutputFile;
use crate::table::{Cell, Table};
use crate::tables;
use crate::workbook::{self, WorkbookError};
use crate::{catalog, wide};

/// `skipped.csv`: every input file that is not a row of documents.csv, and why.
pub fn skipped(analysis: &Analysis) -> Table {
    let mut t = Table::new(
        "skipped.csv",
        "Files under the input folder that were not read as statements, and why.",
        &[
            ("file", "Path under the input folder"),
            ("reason", "Why it was not read"),
        ],
    );
    for s in &analysis.skipped {
        t.rows.push(vec![
            Cell::Text(s.rel.clone()),
            Cell::Text(s.reason.clone()),
        ]);
    }
    t
}

/// Every table of a run, in a fixed order.
pub fn all_tables(analysis: &Analysis, settings: &Settings) -> Vec<Table> {
    let r = &analysis.results;
    vec![
        tables::documents(r),
        tables::term_frequencies(r, settings.min_count),
        tables::theme_scores(r),
        tables::theme_matches(r),
        skipped(analysis),
        wide::theme_scores_wide(r),
        wide::term_frequencies_wide(r, settings.wide_top_n),
    ]
}

/// The files of a run: the tables as CSV, the workbook, then the output's
/// own README.md and columns.csv, which describe every file before them.
pub fn render(analysis: &Analysis, settings: &Settings) -> Result<Vec<OutputFile>, WorkbookError> {
    let tables = all_tables(analysis, settings);
    let mut files: Vec<OutputFile> = tables
        .iter()
        .map(|t| OutputFile {
            path: PathBuf::from(&t.file),
            bytes: t.to_csv(settings.excel_compatible),
        })
        .collect();
    if settings.workbook {
        files.push(OutputFile {
            path: PathBuf::from(WORKBOOK),
            bytes: workbook::workbook(&tables)?,
        });
    }
    files.extend(catalog_files(&tables, &files, settings.excel_compatible));
    Ok(files)
}

/// The workbook's file name.
pub const WORKBOOK: &str = "topictrends.xlsx";

/// `columns.csv` and `README.md`, describing `tables` and every other file in `files`.
pub fn catalog_files(
    tables: &[Table],
    files: &[OutputFile],
    excel_compatible: bool,
) -> Vec<OutputFile> {
    let columns = catalog::columns_table(tables);
    let mut others: Vec<String> = files
        .iter()
        .map(|f| f.path.to_string_lossy().replace('\\', "/"))
        .filter(|p| !tables.iter().any(|t| &t.file == p))
        .collect();
    others.push(columns.file.clone());
    others.push("README.md".into());
    vec![
        OutputFile {
            path: PathBuf::from(&columns.file),
            bytes: columns.to_csv(excel_compatible),
        },
        OutputFile {
            path: PathBuf::from("README.md"),
            bytes: catalog::readme(tables, &others, excel_compatible).into_bytes(),
        },
    ]
}
