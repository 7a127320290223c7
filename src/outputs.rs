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

/// Builds one table on demand.
type Build<'a> = Box<dyn Fn() -> Table + Sync + 'a>;

/// Position of `theme_matches.csv` among the tables.
const THEME_MATCHES: usize = 3;

/// Hits rendered per slice of `theme_matches.csv`.
const MATCHES_PER_SLICE: usize = 16_384;

/// The builders of every table of a run, in a fixed order.
fn builders<'a>(analysis: &'a Analysis, settings: &'a Settings) -> Vec<Build<'a>> {
    let r = &analysis.results;
    let mut builders: Vec<Build<'a>> = vec![
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
    builders
}

/// Every table of a run, in a fixed order.
pub fn all_tables(analysis: &Analysis, settings: &Settings) -> Vec<Table> {
    // The tables are independent: built in parallel, collected in this order.
    builders(analysis, settings)
        .par_iter()
        .map(|build| build())
        .collect()
}

/// The files of a run.
pub fn render(analysis: &Analysis, settings: &Settings) -> Vec<OutputFile> {
    // Each table is rendered as soon as it is built and its cells dropped:
    // cells take several times the memory of the CSV bytes. theme_matches.csv
    // (a row per hit, so it grows with the corpus) is rendered slice by slice.
    builders(analysis, settings)
        .par_iter()
        .enumerate()
        .map(|(i, build)| {
            if i == THEME_MATCHES {
                return theme_matches_file(analysis, settings.excel_compatible);
            }
            let t = build();
            OutputFile {
                path: PathBuf::from(&t.file),
                bytes: t.to_csv(settings.excel_compatible),
            }
        })
        .collect()
}

/// `theme_matches.csv` rendered in slices of hits; the same bytes as rendering it whole.
fn theme_matches_file(analysis: &Analysis, excel: bool) -> OutputFile {
    let r = &analysis.results;
    let first = tables::theme_matches_part(r, 0..r.hits.len().min(MATCHES_PER_SLICE));
    let path = PathBuf::from(&first.file);
    let mut bytes = first.to_csv(excel);
    drop(first);
    let mut start = MATCHES_PER_SLICE;
    while start < r.hits.len() {
        let end = (start + MATCHES_PER_SLICE).min(r.hits.len());
        let csv = tables::theme_matches_part(r, start..end).to_csv(excel);
        // Later slices repeat the BOM and header line (column names hold no line break).
        let rows = csv
            .iter()
            .position(|&b| b == b'\n')
            .map_or(&csv[..0], |eol| &csv[eol + 1..]);
        bytes.extend_from_slice(rows);
        start = end;
    }
    OutputFile { path, bytes }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aggregate::{DocRecord, HitRecord};
    use crate::metadata::DocMeta;
    use crate::results::{PatternInfo, Results};

    #[test]
    fn theme_matches_in_slices_is_byte_identical_to_whole() {
        let doc = DocRecord {
            index: 0,
            doc_id: "d".into(),
            file: "d.txt".into(),
            meta: DocMeta::default(),
            group: "g".into(),
            encoding: "UTF-8".into(),
            bytes: 0,
            tokens: 0,
            kept_tokens: 0,
        };
        let hits: Vec<HitRecord> = (0..MATCHES_PER_SLICE * 2 + 7)
            .map(|i| HitRecord {
                doc: 0,
                theme: 0,
                pattern: 0,
                matched_text: format!("word, \"{i}\""),
                token_index: i as u64,
                start: i,
                end: i + 1,
            })
            .collect();
        let analysis = Analysis {
            results: Results {
                themes: vec!["t".into()],
                patterns: vec![PatternInfo {
                    theme: 0,
                    text: "p".into(),
                }],
                sessions: Vec::new(),
                docs: vec![doc],
                hits,
            },
            skipped: Vec::new(),
            warnings: Vec::new(),
        };
        for excel in [false, true] {
            let whole = tables::theme_matches(&analysis.results).to_csv(excel);
            assert_eq!(theme_matches_file(&analysis, excel).bytes, whole);
        }
    }
}
