//! Renders a run's results into output files (bytes only; the publish stage writes them).

use std::path::PathBuf;

use crate::config::Settings;
use crate::pipeline::Analysis;
use crate::publish::OutputFile;
use crate::table::{Cell, Table};
use crate::tables;

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
    let mut all = vec![
        tables::documents(r),
        tables::term_frequencies(r, settings.min_count),
        tables::theme_scores(r),
        tables::theme_matches(r),
        skipped(analysis),
    ];
    if settings.reference_tables {
        all.extend(crate::reference::tables(r));
    }
    all
}

/// The files of a run.
pub fn render(analysis: &Analysis, settings: &Settings) -> Vec<OutputFile> {
    all_tables(analysis, settings)
        .into_iter()
        .map(|t| OutputFile {
            path: PathBuf::from(&t.file),
            bytes: t.to_csv(settings.excel_compatible),
        })
        .collect()
}
