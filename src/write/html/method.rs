//! "Method and files": how the text was read and counted, which statistics stand behind the
//! numbers, the program version, and a link to every file of the output.

use std::fmt::Write;

use super::escape::{esc, href};
use super::format::count;
use super::{FILE, Page, open_section};
use crate::config::{ConfigFile, GroupBy, HitRule, KeynessReference, from_toml};

/// One definition: a term and its (already escaped) description.
fn item(s: &mut String, term: &str, description: &str) {
    let _ = writeln!(s, "<dt>{term}</dt><dd>{description}</dd>");
}

/// Words as a comma-separated list of `<code>` items, or "none".
fn codes(words: &[String]) -> String {
    if words.is_empty() {
        "none".to_string()
    } else {
        words
            .iter()
            .map(|w| format!("<code>{}</code>", esc(w)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

pub(super) fn section(s: &mut String, page: &Page<'_>) {
    let settings = page.input.settings;
    // The analysis keys as written (defaults where absent); the config parsed when the run began.
    let file: ConfigFile = from_toml(&settings.config_text).unwrap_or_default();
    let a = &file.analysis;
    let ev = &settings.evidence;
    open_section(
        s,
        "method",
        "How the text was read and counted, which statistics stand behind each number, and where every file of this run is.",
    );
    s.push_str("<dl class=\"method\">\n");
    item(
        s,
        "Program",
        &format!("topictrends {}", esc(env!("CARGO_PKG_VERSION"))),
    );
    item(
        s,
        "Text",
        &format!(
            "Normalization <code>{}</code>; lowercase by <code>{}</code>; apostrophes <code>{}</code>; combining marks <code>{}</code>; \
             tokens shorter than {} characters dropped{}; numbers <code>{}</code>.",
            esc(&a.normalize),
            esc(&a.lowercase),
            esc(&a.apostrophes),
            esc(&a.combining_marks),
            settings.analysis.min_chars,
            match settings.analysis.max_chars {
                0 => String::new(),
                n => format!(", and longer than {n}"),
            },
            if settings.analysis.keep_numbers {
                "kept"
            } else {
                "dropped"
            },
        ),
    );
    item(
        s,
        "Stopwords",
        &format!(
            "<code>{}</code>: {} words in force; added {}; removed {}.",
            esc(&a.stopwords),
            count(settings.analysis.stopwords.len() as u64),
            codes(&a.stopwords_add),
            codes(&a.stopwords_remove),
        ),
    );
    let protected: Vec<String> = settings
        .analysis
        .stemmer
        .protected_sorted()
        .into_iter()
        .map(str::to_string)
        .collect();
    item(
        s,
        "Stemmer",
        &if settings.analysis.stemmer.enabled()
            && (crate::report::languages::languages(&page.input.analysis.results)
                .iter()
                .any(|l| *l != crate::analyze::language::Language::En)
                || settings.languages.policy.default != crate::analyze::language::Language::En)
        {
            format!(
                "Snowball (rust-stemmers) in each statement's language: Arabic (after normalization: diacritics, tatweel, alef forms), English, French and Spanish (after elision), Russian (ё read as е); Chinese words are cut by jieba and not stemmed; never stemmed: {}. \
                 Stopwords: each language's shipped list. Rates per 1,000 kept tokens compare a language with itself, not with another.",
                codes(&protected)
            )
        } else if settings.analysis.stemmer.enabled() {
            format!(
                "Snowball English (rust-stemmers); never stemmed: {}.",
                codes(&protected)
            )
        } else {
            "none: words are counted as written (lowercased).".to_string()
        },
    );
    let rule = match settings.hit_rule {
        HitRule::LongestMatch => {
            "<code>longest-match</code>: per theme, the longest pattern starting at a word wins, and the words it covers start no other hit of that theme"
        }
        HitRule::MatchStarts => {
            "<code>match-starts</code>: every word where some pattern of the theme starts counts"
        }
    };
    let group = match &settings.group_by {
        GroupBy::Session => "session".to_string(),
        GroupBy::Year => "year".to_string(),
        GroupBy::Quarter => "quarter".to_string(),
        GroupBy::Month => "month".to_string(),
        GroupBy::Field(f) => format!("the metadata field <code>{}</code>", esc(f)),
    };
    item(
        s,
        "Counting rule",
        &format!(
            "Patterns go through the same analysis as the text. {rule}; a multi-word pattern {} match across a sentence end. \
             Statements are grouped by {group}. A theme's rate is its hits per 1,000 kept tokens (words left after stopwords, \
             numbers and short tokens are dropped) of the group.",
            if settings.cross_sentences {
                "may"
            } else {
                "does not"
            },
        ),
    );
    let reference = match ev.keyness_reference {
        KeynessReference::Earlier => "all earlier sessions pooled",
        KeynessReference::Others => "all other sessions pooled",
    };
    item(
        s,
        "Statistics",
        &format!(
            "Intervals: {}% percentile bootstrap over the group's statements, {} resamples, seed {}. \
             Trends: Mann-Kendall test on the rates in time order (4 sessions or more) and Theil-Sen slope. \
             Keyness: signed log-likelihood G2 of each term against {reference} (terms seen {} times or more). \
             Top terms: tf-idf within the run. Collocations: G2 of two- and three-word sequences seen {} times or more{}.",
            ev.confidence_level * 100.0,
            count(u64::from(ev.bootstrap_resamples)),
            ev.bootstrap_seed,
            ev.keyness_min_count,
            ev.collocation_min_count,
            if ev.collocations {
                ""
            } else {
                " (off for this run)"
            },
        ),
    );
    s.push_str("</dl>\n<p>The README of the program explains each statistic; <a href=\"./README.md\">README.md</a> in this folder explains every column.</p>\n");
    files(s, page);
    s.push_str("</section>\n");
}

/// What a file that is not a table holds.
fn describe(path: &str) -> &'static str {
    match path {
        FILE => "This page.",
        "README.md" => "Every file and column of this output, explained.",
        "columns.csv" => "Every column of every table: unit and meaning.",
        "topictrends.xlsx" => {
            "The tables a person reads as sheets of one workbook; its about sheet lists them."
        }
        "run.json" => {
            "The run record: version, configuration and inputs with their hashes, times, warnings."
        }
        p if p.starts_with("charts/themes/") => {
            "Chart: one theme and the patterns behind its hits."
        }
        p if p.starts_with("charts/top_terms/") => "Chart: a session's most frequent terms.",
        p if p.starts_with("charts/keyness/") => "Chart: a session's rising and falling terms.",
        "charts/theme_trends.png" => "Chart: every theme over time.",
        "charts/theme_heatmap.png" => "Chart: themes by session as colours.",
        "charts/term_trends.png" => "Chart: the watch terms over time.",
        p if p.starts_with("reference/") => "The benchmark peers' format.",
        _ => "",
    }
}

/// A link to every file of the output, tables first (with their descriptions), then the rest.
fn files(s: &mut String, page: &Page<'_>) {
    let input = page.input;
    let mut others: Vec<String> = input
        .files
        .iter()
        .map(|f| f.path.to_string_lossy().replace('\\', "/"))
        .chain(input.also_written.iter().cloned())
        .chain(std::iter::once(FILE.to_string()))
        .filter(|p| !input.tables.iter().any(|t| &t.file == p))
        .collect();
    others.sort();
    others.dedup();
    s.push_str(
        "<h3 id=\"files\">Files</h3>\n<table>\n<caption>Every file of this run, beside this page</caption>\n\
         <thead><tr><th scope=\"col\">File</th><th scope=\"col\">What it holds</th></tr></thead>\n<tbody>\n",
    );
    for t in input.tables {
        let _ = writeln!(
            s,
            "<tr><th scope=\"row\"><a href=\"{}\">{}</a></th><td>{} ({} rows)</td></tr>",
            href(&t.file),
            esc(&t.file),
            esc(&t.about),
            count(t.row_count()),
        );
    }
    for p in &others {
        let _ = writeln!(
            s,
            "<tr><th scope=\"row\"><a href=\"{}\">{}</a></th><td>{}</td></tr>",
            href(p),
            esc(p),
            describe(p),
        );
    }
    s.push_str("</tbody>\n</table>\n");
}
