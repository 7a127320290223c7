//! Renders a run's results into output files (bytes only; the publish stage writes them).

use std::path::PathBuf;

use rayon::prelude::*;

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
    // The tables are independent: built in parallel, collected in this order.
    type Build<'a> = Box<dyn Fn() -> Table + Sync + 'a>;
    let mut builders: Vec<Build<'_>> = vec![
        Box::new(|| tables::documents(r)),
        Box::new(|| tables::term_frequencies(r, settings.min_count)),
        Box::new(|| tables::theme_scores(r)),
        Box::new(|| tables::theme_matches(r)),
        Box::new(|| skipped(analysis)),
    ];
    if settings.reference_tables {
        builders.push(Box::new(|| crate::reference::term_counts(r)));
        builders.push(Box::new(|| crate::reference::theme_scores(r)));
    }
    builders.par_iter().map(|build| build()).collect()
}

/// The files of a run.
pub fn render(analysis: &Analysis, settings: &Settings) -> Vec<OutputFile> {
    all_tables(analysis, settings)
        .into_par_iter()
        .map(|t| OutputFile {
            path: PathBuf::from(&t.file),
            bytes: t.to_csv(settings.excel_compatible),
        })
        .collect()
}
