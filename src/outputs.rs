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
    vec![
        tables::documents(r),
        tables::term_frequencies(r, settings.min_count),
        tables::theme_scores(r),
        tables::theme_matches(r),
        skipped(analysis),
    ]
}

/// Rendered charts plus the warnings building their data gave.
pub struct RenderedCharts {
    pub files: Vec<OutputFile>,
    pub warnings: Vec<crate::diagnostic::Warning>,
}

impl RenderedCharts {
    /// Appends the chart files to the table files.
    pub fn combine(
        self,
        mut tables: Vec<OutputFile>,
    ) -> (Vec<OutputFile>, Vec<crate::diagnostic::Warning>) {
        tables.extend(self.files);
        (tables, self.warnings)
    }
}

/// The run's charts (none when charts are off).
pub fn render_charts(
    analysis: &Analysis,
    settings: &Settings,
) -> Result<RenderedCharts, crate::charts::ChartError> {
    if !settings.charts.enabled {
        return Ok(RenderedCharts {
            files: Vec::new(),
            warnings: Vec::new(),
        });
    }
    let (input, warnings) = crate::chart_data::chart_input(&analysis.results, settings);
    let files = crate::charts::render_all(&input)?
        .into_iter()
        .map(|c| OutputFile {
            path: c.path,
            bytes: c.png,
        })
        .collect();
    Ok(RenderedCharts { files, warnings })
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
