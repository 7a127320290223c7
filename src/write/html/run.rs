//! "The run": what was read, over what time, from which forums, what was left out and why,
//! and which configuration and dictionary (by hash) produced the numbers.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::escape::{esc, href};
use super::format::{count, plural};
use super::{Page, open_section};
use crate::analyze::language::Language;

/// Skipped files and warnings listed on the page; the rest are in skipped.csv and run.json.
const LIST_AT_MOST: usize = 25;

/// Distinct values of a metadata field over the statements, with how many statements have each.
fn field_values<'a>(page: &'a Page<'_>, names: &[&str]) -> BTreeMap<&'a str, u64> {
    let mut out = BTreeMap::new();
    for d in &page.input.analysis.results.docs {
        if let Some(v) = names.iter().find_map(|n| d.meta.get(n)) {
            let v = v.trim();
            if !v.is_empty() {
                *out.entry(v).or_insert(0) += 1;
            }
        }
    }
    out
}

/// "UNGA (2,665 statements), OEWG (12)".
fn value_list(values: &BTreeMap<&str, u64>) -> String {
    values
        .iter()
        .enumerate()
        .map(|(i, (v, n))| {
            let n = if i == 0 {
                plural(*n, "statement", "statements")
            } else {
                count(*n)
            };
            format!("{} ({n})", esc(v))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// ", not recorded for 12 statements" when some statements lack the field.
fn not_recorded(page: &Page<'_>, values: &BTreeMap<&str, u64>) -> String {
    let total = page.input.analysis.results.docs.len() as u64;
    let known: u64 = values.values().sum();
    if known < total {
        format!(
            "; not recorded for {}",
            plural(total - known, "statement", "statements")
        )
    } else {
        String::new()
    }
}

/// The earliest and latest date (or year) of the statements, when known.
fn date_range(page: &Page<'_>) -> Option<(String, String)> {
    use crate::metadata::date::Date;
    let docs = &page.input.analysis.results.docs;
    // Each statement's place in time: its date, or its year alone (which spans the year: it
    // comes before any date of that year at the start of the range and after them at the end).
    let mut first: Option<(Date, String)> = None;
    let mut last: Option<(Date, String)> = None;
    for d in docs {
        let (start, end, label) = match (d.meta.date(), d.meta.year()) {
            (Some(date), _) => (date, date, date.to_string()),
            (None, Some(year)) => (
                Date {
                    year,
                    month: 1,
                    day: 1,
                },
                Date {
                    year,
                    month: 12,
                    day: 31,
                },
                year.to_string(),
            ),
            (None, None) => continue,
        };
        if first.as_ref().is_none_or(|(f, _)| start < *f) {
            first = Some((start, label.clone()));
        }
        if last.as_ref().is_none_or(|(l, _)| end > *l) {
            last = Some((end, label));
        }
    }
    Some((first?.1, last?.1))
}

/// A file name with its BLAKE3 hash, or a note that there was none.
fn named_hash(name: &str, hash: Option<&str>) -> String {
    match hash {
        Some(h) => format!(
            "<code>{}</code> (BLAKE3 <code class=\"hash\">{}</code>)",
            esc(name),
            esc(h)
        ),
        None => format!("<code>{}</code>", esc(name)),
    }
}

pub(super) fn section(s: &mut String, page: &Page<'_>) {
    let input = page.input;
    let r = &input.analysis.results;
    let settings = input.settings;
    open_section(
        s,
        "run",
        "What was read, over what time, from where; what was left out and why; which settings produced the numbers.",
    );
    let group = crate::write::charts::data::group_label(&settings.group_by).to_lowercase();
    let groups = crate::write::charts::plural(&group);
    let dated = r.sessions.iter().filter(|x| x.dated).count() as u64;
    let undated: u64 = r
        .sessions
        .iter()
        .filter(|x| !x.dated)
        .map(|x| u64::from(x.docs))
        .sum();
    let _ = write!(
        s,
        "<p>This run counted <strong>{}</strong> in <strong>{} {}</strong>",
        plural(r.docs.len() as u64, "statement", "statements"),
        count(r.sessions.len() as u64),
        esc(if r.sessions.len() == 1 {
            &group
        } else {
            &groups
        }),
    );
    match date_range(page) {
        Some((a, b)) if a == b => {
            let _ = write!(s, ", all from {}", esc(&a));
        }
        Some((a, b)) => {
            let _ = write!(s, ", from {} to {}", esc(&a), esc(&b));
        }
        None => s.push_str(", with no dates known"),
    }
    s.push('.');
    if undated > 0 {
        let _ = write!(
            s,
            " {} without a date form the <em>undated</em> group, which charts and trend tests over time leave out ({} dated {}).",
            plural(undated, "statement", "statements"),
            count(dated),
            esc(&groups),
        );
    }
    let forums = field_values(page, &["forum"]);
    if forums.is_empty() {
        s.push_str(" Forum: not recorded in the metadata.");
    } else {
        let _ = write!(
            s,
            " Forums: {}{}.",
            value_list(&forums),
            not_recorded(page, &forums)
        );
    }
    if !settings.forums.is_empty() {
        let only: Vec<String> = settings.forums.iter().map(|f| esc(f)).collect();
        let _ = write!(s, " Only these forums were read: {}.", only.join(", "));
    }
    // As the analysis reads them: `Russian`, `ru` and `ru-RU` are one language, named.
    let mut named: BTreeMap<String, u64> = BTreeMap::new();
    for (v, n) in field_values(page, &["language", "lang"]) {
        let name = Language::parse(v).map_or_else(|| v.to_string(), |l| l.name().to_string());
        *named.entry(name).or_insert(0) += n;
    }
    let languages: BTreeMap<&str, u64> = named.iter().map(|(k, n)| (k.as_str(), *n)).collect();
    let analysed = crate::report::languages::languages(&input.analysis.results);
    let reads = if analysed != [Language::En] && !analysed.is_empty()
        || settings.languages.policy.default != Language::En
    {
        // Statements in other languages than English, or not only English.
        let list: Vec<String> = analysed
            .iter()
            .map(|l| {
                let n = input
                    .analysis
                    .results
                    .docs
                    .iter()
                    .filter(|d| d.language == *l)
                    .count() as u64;
                format!("{} ({})", l.name(), plural(n, "statement", "statements"))
            })
            .collect();
        format!(
            "the analysis reads {}, each language with its own chain (see Method); rates per 1,000 kept tokens compare a language with itself over time, not one language with another, whose words differ in length and number (theme_scores_by_language.csv splits each theme's rate by language)",
            list.join(", ")
        )
    } else if settings.analysis.stemmer.enabled() {
        "the analysis reads English (Snowball English stemmer)".to_string()
    } else {
        "the analysis does not stem words".to_string()
    };
    if languages.is_empty() {
        let _ = write!(s, " Languages: not recorded in the metadata; {reads}.");
    } else {
        let _ = write!(
            s,
            " Languages in the metadata: {}{}; {reads}.",
            value_list(&languages),
            not_recorded(page, &languages)
        );
    }
    let skipped = &input.analysis.skipped;
    let _ = write!(
        s,
        " {} skipped and the run gave {}.",
        if skipped.len() == 1 {
            "1 file was".to_string()
        } else {
            format!("{} files were", count(skipped.len() as u64))
        },
        plural(input.warnings.len() as u64, "warning", "warnings"),
    );
    let config_hash = settings.config_path.as_ref().map(|_| {
        crate::read::cache::hex(&crate::read::cache::content_hash(
            settings.config_text.as_bytes(),
        ))
    });
    let _ = write!(
        s,
        " Configuration {}; ",
        named_hash(&settings.config_name(), config_hash.as_deref())
    );
    match &settings.themes_path {
        Some(p) => {
            let name = p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            let _ = write!(
                s,
                "dictionary {}",
                named_hash(&name, input.themes_blake3.as_deref())
            );
        }
        None => s.push_str("no dictionary file"),
    }
    let _ = writeln!(
        s,
        " with {} and {}.</p>",
        plural(r.themes.len() as u64, "theme", "themes"),
        plural(r.patterns.len() as u64, "pattern", "patterns"),
    );
    skipped_list(s, page);
    warning_list(s, page);
    s.push_str("</section>\n");
}

/// The skipped files with their reasons (the first few; all in skipped.csv).
fn skipped_list(s: &mut String, page: &Page<'_>) {
    let skipped = &page.input.analysis.skipped;
    if skipped.is_empty() {
        return;
    }
    s.push_str("<h3 id=\"skipped\">Skipped files</h3>\n<table>\n<caption>Files under the input folder not read as statements");
    if skipped.len() > LIST_AT_MOST {
        let _ = write!(
            s,
            " (the first {LIST_AT_MOST} of {}; all in {})",
            count(skipped.len() as u64),
            page.table_link("skipped.csv")
        );
    }
    s.push_str("</caption>\n<thead><tr><th scope=\"col\">File</th><th scope=\"col\">Why it was not read</th></tr></thead>\n<tbody>\n");
    for k in skipped.iter().take(LIST_AT_MOST) {
        let _ = writeln!(
            s,
            "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td></tr>",
            esc(&k.rel),
            esc(&k.reason)
        );
    }
    s.push_str("</tbody>\n</table>\n");
}

/// A warning's file as the page shows it: a statement's is relative to the input folder
/// already; a manifest's, a dictionary's or a stopword list's (named as the run was given
/// them, from the working directory) are shown relative to the input folder or to the
/// configuration file's, so the page reads the same wherever the run was started from.
fn shown_file(file: &str, settings: &crate::config::Settings) -> String {
    let path = std::path::Path::new(file);
    let config_dir = (settings.config_path.as_deref()).and_then(std::path::Path::parent);
    [Some(settings.input_dir.as_path()), config_dir]
        .into_iter()
        .flatten()
        .filter(|dir| !dir.as_os_str().is_empty())
        .find_map(|dir| path.strip_prefix(dir).ok())
        .filter(|rel| !rel.as_os_str().is_empty())
        .map_or_else(|| file.to_string(), |rel| rel.display().to_string())
}

/// The warnings, each with its file and line (the first few; all in run.json).
fn warning_list(s: &mut String, page: &Page<'_>) {
    let warnings = page.input.warnings;
    if warnings.is_empty() {
        return;
    }
    s.push_str("<h3 id=\"warnings\">Warnings</h3>\n");
    if warnings.len() > LIST_AT_MOST {
        let _ = writeln!(
            s,
            "<p>The first {LIST_AT_MOST} of {}; all are in <a href=\"{}\">run.json</a>.</p>",
            count(warnings.len() as u64),
            href(crate::write::run_record::FILE)
        );
    }
    s.push_str("<ul class=\"warnings\">\n");
    for w in warnings.iter().take(LIST_AT_MOST) {
        let file = shown_file(&w.file, page.input.settings);
        let place = match w.line {
            Some(line) => format!("{file}:{line}"),
            None => file,
        };
        let _ = writeln!(
            s,
            "<li><code>{}</code>: {}</li>",
            esc(&place),
            esc(&w.message)
        );
    }
    s.push_str("</ul>\n");
}
