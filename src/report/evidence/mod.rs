//! Evidence and discovery: the contexts behind hits, keyness, tf-idf, collocations, intervals and trend tests.
//!
//! Counting happens in the fold (contexts captured at hits, per-document theme
//! hits, n-gram counts); every statistic here is computed once, after the
//! merge, from integers, so the outputs stay byte-identical whatever the
//! thread count.

pub mod collocations;
pub mod contexts;
pub mod intervals;
pub mod keyness;

pub mod tfidf;
pub mod trends;

use crate::count::results::Results;
use crate::report::table::Table;

use crate::config::EvidenceSettings;
pub use crate::count::ngram::{Collocations, NgramCounts};
pub use intervals::{ThemeIntervals, theme_intervals};

/// The evidence tables the run writes (`on` says which), in a fixed order (theme_scores'
/// interval columns are added separately); keyness.csv's rows come from `keyness`.
pub fn tables(
    r: &std::sync::Arc<Results>,
    collocations: &Collocations,
    settings: &EvidenceSettings,
    by: &crate::config::GroupBy,
    intervals: &ThemeIntervals,
    keyness: &keyness::ShownKeyness,
    on: &dyn Fn(&str) -> bool,
) -> Vec<Table> {
    let mut out = Vec::new();
    if on("theme_contexts.csv") {
        out.push(contexts::theme_contexts(r));
    }
    if on("keyness.csv") {
        out.push(keyness::keyness_table(r, settings, keyness.table.clone()));
    }
    if on("top_terms.csv") {
        out.push(tfidf::top_terms(r, settings.top_terms));
    }
    if settings.collocations && on("collocations.csv") {
        out.push(collocations::collocations_table(
            r,
            collocations,
            settings.collocations_top,
        ));
    }
    if on("theme_trend_tests.csv") {
        out.push(trends::theme_trend_tests(r, by, intervals));
    }
    out
}
