//! `report.html`: one self-contained page that reads a run in the analyst's order, rendered as a
//! pure function from the run's data to bytes.
//!
//! The page loads nothing: its style is inline, its charts are PNG data URIs, it has no script,
//! and a Content-Security-Policy forbids every external load. Large tables stay in their CSV
//! files and are linked. Every piece of text that came from input goes through `escape::esc` (or
//! `escape::isolate`, which also keeps right-to-left text apart).

pub mod escape;
mod format;
mod method;
mod new_terms;
mod passages;
mod run;
mod themes;

use std::fmt::Write;

use crate::config::Settings;
use crate::count::analysis::Analysis;
use crate::diagnostic::Warning;
use crate::report::evidence::intervals::ThemeIntervals;
use crate::report::evidence::trends::{ThemeTrend, theme_trends};
use crate::report::table::Table;
use crate::write::publish::OutputFile;
use escape::{esc, isolate};

/// The file name inside the output folder.
pub const FILE: &str = "report.html";

/// How many of a session's most rising and most falling terms the report lists (at most).
pub const KEYNESS_TERMS: usize = if new_terms::RISING > new_terms::FALLING {
    new_terms::RISING
} else {
    new_terms::FALLING
};

/// The policy the page carries: nothing may load from anywhere; images only from data URIs,
/// style only from the page itself; no script at all.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/// The page's style sheet, inlined.
const STYLE: &str = include_str!("report.css");

/// Everything the page shows, gathered by `write::outputs`.
pub struct ReportInput<'a> {
    pub analysis: &'a Analysis,
    pub settings: &'a Settings,
    pub intervals: &'a ThemeIntervals,
    /// Each session's most rising and falling terms, at least [`KEYNESS_TERMS`] of each
    /// (`ShownKeyness::extremes`).
    pub keyness: &'a [crate::report::evidence::keyness::KeyTerm],
    /// Every warning of the run (the analysis's and the charts').
    pub warnings: &'a [Warning],
    /// The tables of the run (their files and descriptions are listed in the method section).
    pub tables: &'a [Table],
    /// The rendered files that are not tables (charts are embedded from here).
    pub files: &'a [OutputFile],
    /// Every other file the output folder will hold (README.md, columns.csv, run.json...).
    pub also_written: &'a [String],
    /// BLAKE3 of the dictionary file, hex, when it could be read.
    pub themes_blake3: Option<String>,
}

impl ReportInput<'_> {
    /// The bytes of a rendered file of the output, by its relative path.
    fn file(&self, path: &str) -> Option<&[u8]> {
        self.files
            .iter()
            .find(|f| f.path.to_string_lossy().replace('\\', "/") == path)
            .map(|f| f.bytes.as_slice())
    }
}

/// What the sections share: the input and the trend test of every theme.
struct Page<'a> {
    input: &'a ReportInput<'a>,
    trends: Vec<ThemeTrend>,
}

impl Page<'_> {
    /// A link to a table of the output folder, or, when this run did not write it (`[output]
    /// tables`), its name and a note saying so: the page never links to a missing file.
    fn table_link(&self, file: &str) -> String {
        if self.input.tables.iter().any(|t| t.file == file) {
            format!("<a href=\"{}\">{}</a>", escape::href(file), esc(file))
        } else {
            format!(
                "<code>{}</code> (not written by this run: <code>[output] tables</code>)",
                esc(file)
            )
        }
    }
}

/// The page, as UTF-8 bytes.
pub fn render(input: &ReportInput<'_>) -> Vec<u8> {
    let page = Page {
        input,
        trends: theme_trends(&input.analysis.results, &input.settings.group_by),
    };
    let r = &input.analysis.results;
    let mut s = String::with_capacity(1 << 20);
    let title = format!("topictrends report: {}", r.corpus_summary());
    let _ = write!(
        s,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"topictrends {version}\">\n\
         <title>{title}</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n\
         <a class=\"skip\" href=\"#main\">Skip to the report</a>\n\
         <header>\n<h1>topictrends report</h1>\n<p class=\"lede\">{summary} · configuration {config}</p>\n</header>\n",
        csp = CONTENT_SECURITY_POLICY,
        version = env!("CARGO_PKG_VERSION"),
        title = esc(&title),
        summary = esc(&r.corpus_summary()),
        config = esc(&input.settings.config_name()),
    );
    contents(&mut s, &page);
    s.push_str("<main id=\"main\" tabindex=\"-1\">\n");
    run::section(&mut s, &page);
    themes::trends_section(&mut s, &page);
    themes::theme_sections(&mut s, &page);
    new_terms::section(&mut s, &page);
    method::section(&mut s, &page);
    s.push_str("</main>\n<footer>\n<p>Written by topictrends ");
    s.push_str(env!("CARGO_PKG_VERSION"));
    s.push_str(
        " from the files beside this page; open them for every number. \
         <a href=\"#top-of-contents\">Back to the contents</a></p>\n</footer>\n</body>\n</html>\n",
    );
    s.into_bytes()
}

/// Section ids and titles, in reading order (the per-theme sections sit under "themes").
const SECTIONS: [(&str, &str); 5] = [
    ("run", "The run"),
    ("trends", "Theme trends"),
    ("themes", "Each theme and its evidence"),
    ("new", "What is new, top terms, candidate phrases"),
    ("method", "Method and files"),
];

/// The id of theme `t`'s section (never built from its name, which is input).
fn theme_id(t: usize) -> String {
    format!("theme-{}", t + 1)
}

/// The table of contents.
fn contents(s: &mut String, page: &Page<'_>) {
    s.push_str(
        "<nav aria-labelledby=\"top-of-contents\">\n<h2 id=\"top-of-contents\">Contents</h2>\n<ol>\n",
    );
    for (id, title) in SECTIONS {
        let _ = write!(s, "<li><a href=\"#{id}\">{title}</a>");
        if id == "themes" && !page.input.analysis.results.themes.is_empty() {
            s.push_str("\n<ol>\n");
            for (t, name) in page.input.analysis.results.themes.iter().enumerate() {
                let _ = writeln!(
                    s,
                    "<li><a href=\"#{}\">{}</a></li>",
                    theme_id(t),
                    isolate(name)
                );
            }
            s.push_str("</ol>\n");
        }
        s.push_str("</li>\n");
    }
    s.push_str("</ol>\n</nav>\n");
}

/// Opens a top-level section with its heading and a one-line statement of what it answers.
fn open_section(s: &mut String, id: &str, answers: &str) {
    let title = SECTIONS
        .iter()
        .find(|(i, _)| *i == id)
        .map_or(id, |(_, t)| t);
    let _ = write!(
        s,
        "<section id=\"{id}\" aria-labelledby=\"{id}-h\">\n<h2 id=\"{id}-h\">{title}</h2>\n<p class=\"answers\">{answers}</p>\n"
    );
}

/// An embedded chart with its text alternative and caption, or a note when the run drew none.
fn figure(s: &mut String, page: &Page<'_>, path: &str, alt: &str, caption: &str) {
    match page.input.file(path) {
        Some(png) => {
            let _ = write!(
                s,
                "<figure>\n<img src=\"{}\" alt=\"{}\" width=\"{}\" height=\"{}\">\n<figcaption>{} <a href=\"{}\">{}</a></figcaption>\n</figure>\n",
                escape::png_data_uri(png),
                esc(alt),
                page.input.settings.charts.width,
                page.input.settings.charts.height,
                caption,
                escape::href(path),
                esc(path),
            );
        }
        None => {
            let why = if page.input.settings.charts.enabled {
                "This chart was not drawn."
            } else {
                "Charts are off for this run (<code>[charts] enabled = false</code> or <code>--no-charts</code>); the tables carry the same numbers."
            };
            let _ = writeln!(s, "<p class=\"note\">{why}</p>");
        }
    }
}
