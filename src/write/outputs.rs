//! Renders a run's results into output files (bytes only; the publish stage writes them).

use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Settings;
use crate::count::analysis::Analysis;
use crate::diagnostic::Warning;
use crate::report::evidence::intervals::ThemeIntervals;
use crate::report::evidence::keyness::{KeyTerm, ShownKeyness};
use crate::report::table::{Cell, Table};
use crate::report::tables;
use crate::report::{catalog, wide};
use crate::write::publish::OutputFile;
use crate::write::workbook::{self, WorkbookError};
use crate::write::{html, run_record};

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

/// Every table the run writes (`[output] tables`), in a fixed order. A table that is not
/// written is not built.
pub fn all_tables(
    analysis: &Analysis,
    settings: &Settings,
    intervals: &ThemeIntervals,
    keyness: &ShownKeyness,
) -> Vec<Table> {
    let r = &analysis.results;
    let on = |t: &str| settings.writes(t);
    // The tables are independent: built in parallel, collected in this order.
    type Build<'a> = Box<dyn Fn() -> Vec<Table> + Sync + 'a>;
    let mut builders: Vec<Build<'_>> = Vec::new();
    if on("documents.csv") {
        builders.push(Box::new(|| vec![tables::documents(r)]));
    }
    if on("term_frequencies.csv") {
        builders.push(Box::new(|| {
            vec![tables::term_frequencies_streamed(
                &analysis.results,
                settings.min_count,
            )]
        }));
    }
    if on("theme_scores.csv") {
        builders.push(Box::new(|| {
            let mut scores = tables::theme_scores(r);
            crate::report::evidence::intervals::append_to_theme_scores(&mut scores, r, intervals);
            vec![scores]
        }));
    }
    if on("theme_matches.csv") {
        builders.push(Box::new(|| vec![tables::theme_matches(r)]));
    }
    if on("skipped.csv") {
        builders.push(Box::new(|| vec![skipped(analysis)]));
    }
    if on("theme_scores_wide.csv") {
        builders.push(Box::new(|| vec![wide::theme_scores_wide(r)]));
    }
    if on("term_frequencies_wide.csv") {
        builders.push(Box::new(|| {
            vec![wide::term_frequencies_wide(r, settings.wide_top_n)]
        }));
    }
    builders.push(Box::new(|| {
        crate::report::evidence::tables(
            r,
            &analysis.collocations,
            &settings.evidence,
            &settings.group_by,
            intervals,
            keyness,
            &on,
        )
    }));
    if on("theme_scores_by_language.csv") {
        builders.push(Box::new(|| {
            vec![crate::report::languages::theme_scores_by_language(r)]
        }));
    }
    if on("reference/term_counts.csv") || on("reference/theme_scores.csv") {
        builders.push(Box::new(|| {
            crate::report::reference::tables(r)
                .into_iter()
                .filter(|t| on(&t.file))
                .collect()
        }));
    }
    builders.par_iter().flat_map_iter(|build| build()).collect()
}

/// Keyness as this run's outputs show it: keyness.csv's rows when it is written, and each
/// session's most rising and falling terms when the charts or the report list them.
fn shown_keyness(analysis: &Analysis, settings: &Settings) -> ShownKeyness {
    let mut extremes = 0;
    if settings.charts.enabled {
        extremes = settings.charts.top_n.max(1);
    }
    if settings.report {
        extremes = extremes.max(html::KEYNESS_TERMS);
    }
    crate::report::evidence::keyness::shown_keyness(
        &analysis.results,
        &settings.evidence,
        settings.writes("keyness.csv"),
        extremes,
    )
}

/// Whether the run needs the bootstrap intervals (theme_scores.csv, the trend tests, charts).
fn needs_intervals(settings: &Settings) -> bool {
    settings.writes("theme_scores.csv")
        || settings.writes("theme_trend_tests.csv")
        || settings.charts.enabled
}

/// Why the output could not be rendered.
#[derive(Debug)]
pub enum RenderError {
    Workbook(WorkbookError),
    Chart(crate::write::charts::ChartError),
    /// A table written straight into staging could not be written (or its spilled rows read).
    Table(crate::write::publish::PublishError),
}

impl std::fmt::Display for RenderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RenderError::Workbook(e) => write!(f, "{e}"),
            RenderError::Chart(e) => write!(f, "chart {e}"),
            RenderError::Table(e) => write!(f, "{e}"),
        }
    }
}

/// A run's rendered output: files to write, and the tables already written into staging.
pub struct Rendered {
    pub files: Vec<OutputFile>,
    /// Tables written straight into staging as they were rendered.
    pub written: Vec<PathBuf>,
    /// What building the chart data warned about.
    pub warnings: Vec<Warning>,
}

impl std::error::Error for RenderError {}

/// The files of a run: the tables as CSV, the workbook and the charts
/// (rendered concurrently: all only read the results), then report.html (which embeds the
/// charts), then the output's own README.md and columns.csv, which describe every file before them. Also
/// returns the warnings building the chart data gave. `scratch` is a folder on the output's
/// file system for the workbook's temporary files (unnamed: they vanish with the process).
pub fn render(
    analysis: &Analysis,
    settings: &Settings,
    scratch: &std::path::Path,
) -> Result<(Vec<OutputFile>, Vec<Warning>), RenderError> {
    let r = render_with(analysis, settings, scratch, None)?;
    Ok((r.files, r.warnings))
}

/// Like [`render`], writing the CSV tables straight into `staging` (in parallel, a row at a
/// time) instead of returning their bytes: a run holds none of them whole.
pub fn render_into(
    analysis: &Analysis,
    settings: &Settings,
    staging: &crate::write::publish::Staging,
) -> Result<Rendered, RenderError> {
    render_with(analysis, settings, staging.path(), Some(staging))
}

fn render_with(
    analysis: &Analysis,
    settings: &Settings,
    scratch: &std::path::Path,
    staging: Option<&crate::write::publish::Staging>,
) -> Result<Rendered, RenderError> {
    // Bootstrap intervals: computed once, shown in theme_scores.csv and on the charts.
    let intervals = if needs_intervals(settings) {
        crate::report::evidence::theme_intervals(&analysis.results, &settings.evidence)
    } else {
        ThemeIntervals::default()
    };
    // Keyness: each session's terms tested once, for keyness.csv, the charts and the report.
    let keyness = shown_keyness(analysis, settings);
    let tables = all_tables(analysis, settings, &intervals, &keyness);
    let excel = settings.excel_compatible;
    // The workbook is the longest single task: it runs beside everything else, the report
    // included (which names the workbook but does not read it).
    let (book, (csvs, charts)) = rayon::join(
        || {
            settings
                .workbook
                .then(|| workbook::workbook_in(&tables, settings.workbook_all_sheets, scratch))
                .transpose()
        },
        || {
            rayon::join(
                || {
                    tables
                        .par_iter()
                        .map(|t| write_table(t, staging, excel))
                        .collect::<Result<Vec<_>, _>>()
                },
                || charts_and_report(analysis, settings, &intervals, &keyness, &tables),
            )
        },
    );
    let mut files = Vec::new();
    let mut written = Vec::new();
    for csv in csvs? {
        match csv {
            Csv::Bytes(f) => files.push(f),
            Csv::Written(p) => written.push(p),
        }
    }
    if let Some(bytes) = book.map_err(RenderError::Workbook)? {
        files.push(OutputFile {
            path: PathBuf::from(WORKBOOK),
            bytes,
        });
    }
    let ChartsAndReport {
        charts,
        report,
        warnings,
    } = charts?;
    files.extend(charts);
    files.extend(report);
    files.extend(catalog_files(&tables, &files, settings.excel_compatible));
    Ok(Rendered {
        files,
        written,
        warnings,
    })
}

/// The charts (with the benchmark peers' copy of the trend chart) and report.html, which
/// embeds them; also the warnings building the chart data gave.
fn charts_and_report(
    analysis: &Analysis,
    settings: &Settings,
    intervals: &ThemeIntervals,
    keyness: &ShownKeyness,
    tables: &[Table],
) -> Result<ChartsAndReport, RenderError> {
    let (charts, warnings) = render_charts(analysis, settings, intervals, &keyness.extremes)
        .map_err(RenderError::Chart)?;
    let mut files = Vec::new();
    if settings.writes("reference/theme_scores.csv") {
        // The benchmark peers' layout wants the trend chart as reference/themes.png.
        if let Some(trend) = charts
            .iter()
            .find(|c| c.path == std::path::Path::new("charts/theme_trends.png"))
        {
            files.push(OutputFile {
                path: PathBuf::from("reference/themes.png"),
                bytes: trend.bytes.clone(),
            });
        }
    }
    files.extend(charts);
    let report = settings.report.then(|| {
        let all_warnings: Vec<Warning> =
            analysis.warnings.iter().chain(&warnings).cloned().collect();
        let mut also_written: Vec<String> = [CATALOG_FILES[0], CATALOG_FILES[1], run_record::FILE]
            .map(String::from)
            .to_vec();
        if settings.workbook {
            also_written.push(WORKBOOK.to_string());
        }
        OutputFile {
            path: PathBuf::from(html::FILE),
            bytes: html::render(&html::ReportInput {
                analysis,
                settings,
                intervals,
                keyness: &keyness.extremes,
                warnings: &all_warnings,
                tables,
                files: &files,
                also_written: &also_written,
                themes_blake3: themes_blake3(settings),
            }),
        }
    });
    Ok(ChartsAndReport {
        charts: files,
        report,
        warnings,
    })
}

/// What [`charts_and_report`] makes.
struct ChartsAndReport {
    /// The charts, the benchmark peers' copy of the trend chart first when asked for.
    charts: Vec<OutputFile>,
    report: Option<OutputFile>,
    /// What building the chart data warned about.
    warnings: Vec<Warning>,
}

/// A rendered CSV table: its bytes, or where it was written.
enum Csv {
    Bytes(OutputFile),
    Written(PathBuf),
}

/// Renders one table: into staging when there is one, else to bytes.
fn write_table(
    t: &Table,
    staging: Option<&crate::write::publish::Staging>,
    excel: bool,
) -> Result<Csv, RenderError> {
    let path = PathBuf::from(&t.file);
    match staging {
        Some(staging) => {
            staging
                .write_streamed(&path, |w| t.write_csv(w, excel))
                .map_err(RenderError::Table)?;
            Ok(Csv::Written(path))
        }
        None => {
            let mut bytes = Vec::new();
            t.write_csv(&mut bytes, excel).map_err(|source| {
                RenderError::Table(crate::write::publish::PublishError::Write {
                    path: path.clone(),
                    source,
                })
            })?;
            Ok(Csv::Bytes(OutputFile { path, bytes }))
        }
    }
}

/// The files `catalog_files` writes.
const CATALOG_FILES: [&str; 2] = ["columns.csv", "README.md"];

/// BLAKE3 of the theme dictionary, for the report (as run.json records it); `None` when unreadable.
fn themes_blake3(settings: &Settings) -> Option<String> {
    // The one read of this stage: the dictionary was loaded earlier, but only its themes were kept.
    let bytes = std::fs::read(settings.themes_path.as_ref()?).ok()?;
    Some(crate::read::cache::hex(&crate::read::cache::content_hash(
        &bytes,
    )))
}

/// The run's charts (none when charts are off), with the warnings building their data gave;
/// `keyness` holds each session's most rising and falling terms (`ShownKeyness::extremes`,
/// at least `[charts] top_n` of each).
pub fn render_charts(
    analysis: &Analysis,
    settings: &Settings,
    intervals: &ThemeIntervals,
    keyness: &[KeyTerm],
) -> Result<(Vec<OutputFile>, Vec<Warning>), crate::write::charts::ChartError> {
    if !settings.charts.enabled {
        return Ok((Vec::new(), Vec::new()));
    }
    let (input, mut warnings) =
        crate::write::charts::data::chart_input(&analysis.results, settings, intervals, keyness);
    let charts = crate::write::charts::render_all(&input)?;
    warnings.extend(
        charts
            .iter()
            .filter(|c| !c.missing_glyphs.is_empty())
            .map(|c| missing_glyphs_warning(&c.path, &c.missing_glyphs)),
    );
    let files = charts
        .into_iter()
        .map(|c| OutputFile {
            path: c.path,
            bytes: c.png,
        })
        .collect();
    Ok((files, warnings))
}

/// A chart drew characters no embedded font has: say which (at most ten), as code points.
fn missing_glyphs_warning(path: &std::path::Path, missing: &[char]) -> Warning {
    let listed: Vec<String> = missing
        .iter()
        .take(10)
        .map(|&c| format!("U+{:04X} ({c})", u32::from(c)))
        .collect();
    let more = missing.len().saturating_sub(listed.len());
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    Warning::new(
        path.to_string_lossy().replace('\\', "/"),
        format!(
            "{} character(s) have no glyph in the embedded fonts and show as boxes: {}{more}",
            missing.len(),
            listed.join(", ")
        ),
    )
}

/// The workbook's file name.
pub const WORKBOOK: &str = "topictrends.xlsx";

/// `columns.csv` and `README.md`, describing `tables` and every other file in `files`.
pub fn catalog_files(
    tables: &[Table],
    files: &[OutputFile],
    excel_compatible: bool,
) -> Vec<OutputFile> {
    let kinds = catalog::column_kinds(tables);
    let columns = catalog::columns_table(tables, &kinds);
    let mut others: Vec<String> = files
        .iter()
        .map(|f| f.path.to_string_lossy().replace('\\', "/"))
        .filter(|p| !tables.iter().any(|t| &t.file == p))
        .collect();
    others.push(columns.file.clone());
    others.push("README.md".into());
    // Written by `cmd::run` after rendering, with the run's times.
    others.push(crate::write::run_record::FILE.into());
    vec![
        OutputFile {
            path: PathBuf::from(&columns.file),
            bytes: columns.to_csv(excel_compatible),
        },
        OutputFile {
            path: PathBuf::from("README.md"),
            bytes: catalog::readme(tables, &kinds, &others, excel_compatible).into_bytes(),
        },
    ]
}
