//! The output tables, built from the results as typed cells (the column lists are a contract).

use crate::count::results::Results;
use crate::metadata::CORE_FIELDS;
use crate::report::table::{Cell, Table};

/// Decimals of rates per 1,000 kept tokens.
pub const RATE_DECIMALS: usize = 4;

/// Rate per 1,000: summed counts first, then divided once; 0 when there is nothing to divide by.
pub fn per_1000(count: u64, total: u64) -> f64 {
    if total == 0 {
        0.0
    } else {
        count as f64 * 1000.0 / total as f64
    }
}

/// A rate cell; empty over no words (a session whose statements are empty or all stopwords
/// has no rate, not a rate of 0).
pub fn rate_cell(count: u64, total: u64) -> Cell {
    if total == 0 {
        return Cell::Empty;
    }
    Cell::Float(per_1000(count, total), RATE_DECIMALS)
}

/// `documents.csv`: one row per statement, made from the results as the file is written
/// (a row per statement is never held: see `DocumentRows`).
pub fn documents(r: &std::sync::Arc<Results>) -> Table {
    let mut t = Table::new(
        "documents.csv",
        "One row per statement read, in input order.",
        &[
            (
                "doc_id",
                "Statement id: its path under the input folder without extension",
            ),
            ("file", "Path under the input folder"),
            ("session", "Session as given by the statement's metadata"),
            (
                "date",
                "Date of the statement (ISO 8601), empty when unknown",
            ),
            ("speaker", "Who delivered the statement"),
            ("forum", "Body the statement was made in (e.g. OEWG)"),
            (
                "tokens",
                "Words counted, before stopword removal (short words and bare numbers excluded)",
            ),
            (
                "kept_tokens",
                "Words left after stopword removal: the denominator of every rate",
            ),
        ],
    );
    for f in CORE_FIELDS {
        t.push_column(
            &format!("{f}_source"),
            "Where the value came from: manifest, front_matter, file_name, header or none",
        );
    }
    t.push_column(
        "group",
        "The group (the `session` column of the session tables) this statement counts in",
    );
    t.push_column("encoding", "Character encoding the file was decoded from");
    t.push_column("bytes", "File size in bytes");
    t.push_column(
        "format",
        "File format read: txt, md, html, pdf or docx (chosen by extension)",
    );
    t.push_column(
        "pages",
        "Number of pages (PDF; DOCX when the file records it), empty otherwise",
    );
    let extra: std::collections::BTreeSet<&str> = r
        .docs
        .iter()
        .flat_map(|d| d.meta.names())
        // `language` has columns of its own, at the end.
        .filter(|k| !CORE_FIELDS.contains(k) && *k != "language")
        .collect();
    for f in &extra {
        t.push_column(f, "Extra metadata field carried through from its source");
        t.push_column(&format!("{f}_source"), "Where the value came from");
    }
    t.push_column(
        "language",
        "Language the statement was analysed in (ISO 639-1: ar, en, es, fr, ru, zh)",
    );
    t.push_column(
        "language_source",
        "Where the language came from: manifest, front_matter, file_name (its metadata), detected, fallback (detection unsure: the default language) or default ([analysis] language)",
    );
    t.streamed = Some(crate::report::table::Streamed::new(std::sync::Arc::new(
        DocumentRows {
            results: r.clone(),
            extra: extra.into_iter().map(str::to_string).collect(),
        },
    )));
    t
}

/// The rows of documents.csv, made from the results on demand.
struct DocumentRows {
    results: std::sync::Arc<Results>,
    /// The extra metadata fields with columns, in column order.
    extra: Vec<String>,
}

impl crate::report::table::RowSource for DocumentRows {
    fn each_row(&self, f: &mut dyn FnMut(&[Cell]) -> std::io::Result<()>) -> std::io::Result<()> {
        for d in &self.results.docs {
            f(&document_row(d, &self.extra))?;
        }
        Ok(())
    }

    fn len(&self) -> u64 {
        self.results.docs.len() as u64
    }
}

/// One statement's row of documents.csv.
fn document_row(d: &crate::count::DocRecord, extra: &[String]) -> Vec<Cell> {
    let text = |f: &str| {
        d.meta
            .get(f)
            .map_or(Cell::Empty, |v| Cell::Text(v.to_string()))
    };
    let mut row = vec![
        Cell::Text(d.doc_id.clone()),
        Cell::Text(d.file.clone()),
        text("session"),
        d.meta
            .get("date")
            .map_or(Cell::Empty, |v| Cell::Date(v.to_string())),
        text("speaker"),
        text("forum"),
        Cell::Int(d.tokens),
        Cell::Int(d.kept_tokens),
    ];
    row.extend(
        CORE_FIELDS
            .iter()
            .map(|f| Cell::Text(d.meta.source(f).into())),
    );
    row.push(Cell::Text(d.group.clone()));
    row.push(Cell::Text(d.encoding.clone()));
    row.push(Cell::Int(d.bytes));
    row.push(Cell::Text(d.format.clone()));
    row.push(d.pages.map_or(Cell::Empty, |p| Cell::Int(u64::from(p))));
    for f in extra {
        row.push(text(f));
        row.push(Cell::Text(d.meta.source(f).into()));
    }
    row.push(Cell::Text(d.language.code().into()));
    row.push(Cell::Text(d.language_source.clone()));
    row
}

/// `term_frequencies.csv`: terms with at least `min_count` occurrences per session.
pub fn term_frequencies(r: &Results, min_count: u64) -> Table {
    let mut t = term_frequencies_header();
    for s in &r.sessions {
        for term in s.terms.iter().filter(|x| x.count >= min_count) {
            t.rows.push(term_row(s, term));
        }
    }
    t
}

/// `term_frequencies.csv` with its rows made as the file is written, never held.
pub fn term_frequencies_streamed(r: &std::sync::Arc<Results>, min_count: u64) -> Table {
    let mut t = term_frequencies_header();
    let rows = r
        .sessions
        .iter()
        .map(|s| s.terms.iter().filter(|x| x.count >= min_count).count() as u64)
        .sum();
    t.streamed = Some(crate::report::table::Streamed::new(std::sync::Arc::new(
        TermRows {
            results: r.clone(),
            min_count,
            rows,
        },
    )));
    t
}

/// The rows of term_frequencies.csv, made from the results on demand.
struct TermRows {
    results: std::sync::Arc<Results>,
    min_count: u64,
    rows: u64,
}

impl crate::report::table::RowSource for TermRows {
    fn each_row(&self, f: &mut dyn FnMut(&[Cell]) -> std::io::Result<()>) -> std::io::Result<()> {
        for s in &self.results.sessions {
            for term in s.terms.iter().filter(|x| x.count >= self.min_count) {
                f(&term_row(s, term))?;
            }
        }
        Ok(())
    }

    fn len(&self) -> u64 {
        self.rows
    }
}

fn term_row(
    s: &crate::count::results::Session,
    term: &crate::count::results::TermRow,
) -> Vec<Cell> {
    vec![
        Cell::Text(s.label.clone()),
        Cell::Text(term.term.clone()),
        Cell::Text(term.display.clone()),
        Cell::Int(term.count),
        rate_cell(term.count, s.kept),
        Cell::Int(term.docs as u64),
        Cell::Int(s.order as u64),
        Cell::Date(s.start.clone()),
        Cell::Text(term.language.code().into()),
    ]
}

fn term_frequencies_header() -> Table {
    Table::new(
        "term_frequencies.csv",
        "Per session, every term (stem) occurring at least `min_count` times; sessions in time order, terms by descending count.",
        &[
            ("session", "Session (group) label"),
            ("term", "The stem"),
            (
                "display_term",
                "The stem's most frequent word in the corpus",
            ),
            ("count", "Occurrences in the session"),
            (
                "per_1000",
                "Occurrences per 1,000 kept tokens of the session (4 decimals)",
            ),
            ("docs", "Statements of the session containing the term"),
            (
                "session_order",
                "Position of the session in time order (1 = first)",
            ),
            (
                "session_start",
                "Earliest date (or year) among the session's statements",
            ),
            (
                "language",
                "Language of the term: a term is a stem of one language (ISO 639-1)",
            ),
        ],
    )
}

/// `theme_scores.csv`: every theme in every session, zeros included.
pub fn theme_scores(r: &Results) -> Table {
    let mut t = Table::new(
        "theme_scores.csv",
        "Every theme in every session (zeros included), sessions in time order, themes in dictionary order.",
        &[
            ("session", "Session (group) label"),
            ("theme", "Theme name from the dictionary"),
            (
                "hits",
                "Theme hits in the session (see theme_matches.csv for each one)",
            ),
            (
                "per_1000",
                "Hits per 1,000 kept tokens of the session: 1000 x hits / kept tokens (4 decimals)",
            ),
            (
                "docs_with_hits",
                "Statements of the session with at least one hit",
            ),
            ("docs", "Statements in the session"),
            (
                "session_order",
                "Position of the session in time order (1 = first)",
            ),
            (
                "session_start",
                "Earliest date (or year) among the session's statements",
            ),
            (
                "kept_tokens",
                "Kept tokens of the session: the denominator of per_1000",
            ),
        ],
    );
    for s in &r.sessions {
        for (i, name) in r.themes.iter().enumerate() {
            let c = s.themes[i];
            t.rows.push(vec![
                Cell::Text(s.label.clone()),
                // The dictionary is a file users edit and share: its names are input too.
                Cell::Text(name.clone()),
                Cell::Int(c.hits),
                rate_cell(c.hits, s.kept),
                Cell::Int(c.docs_with_hits as u64),
                Cell::Int(s.docs as u64),
                Cell::Int(s.order as u64),
                Cell::Date(s.start.clone()),
                Cell::Int(s.kept),
            ]);
        }
    }
    t
}

/// `theme_matches.csv`: every hit, the audit trail of theme_scores.csv. Spilled hits stream
/// their rows (see `report::hit_rows`).
pub fn theme_matches(r: &std::sync::Arc<Results>) -> Table {
    let mut t = Table::new(
        "theme_matches.csv",
        "Every theme hit; filtering by session and theme and counting rows gives theme_scores.csv's hits.",
        &[
            ("doc_id", "Statement id (documents.csv)"),
            ("session", "Session (group) label"),
            ("theme", "Theme name"),
            ("pattern", "The dictionary pattern that matched"),
            (
                "matched_text",
                "The statement's text from the first to the last matched word (white space folded); at most 2,000 characters (a longer one has … where its middle was cut)",
            ),
            (
                "token_index",
                "Position of the first matched word among the statement's tokens (0-based)",
            ),
            (
                "byte_start",
                "Byte offset of the match in the statement's cleaned text",
            ),
            ("byte_end", "Byte offset just past the match"),
            (
                "file",
                "The statement's file, relative to the input folder (as in documents.csv; tells apart statements with the same doc_id, such as x.md and x.html)",
            ),
        ],
    );
    crate::report::hit_rows::fill(&mut t, r, crate::report::hit_rows::match_row);
    t
}
