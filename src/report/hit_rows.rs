//! The rows of the hit tables (theme_matches.csv, theme_contexts.csv): held for hits in memory, streamed for spilled ones.

use std::sync::Arc;

use crate::count::hits::HitRecord;
use crate::count::hits::Hits;
use crate::count::results::Results;
use crate::report::table::{Cell, RowSource, Streamed, Table};

/// What a hit's row names besides the hit: its statement's labels, theme and pattern names.
#[derive(Debug, Default)]
pub struct Labels {
    docs: Vec<DocLabels>,
    themes: Vec<String>,
    patterns: Vec<String>,
}

#[derive(Debug)]
struct DocLabels {
    doc_id: String,
    group: String,
    date: Option<String>,
    speaker: Option<String>,
}

impl Labels {
    pub fn of(r: &Results) -> Labels {
        Labels {
            docs: r
                .docs
                .iter()
                .map(|d| DocLabels {
                    doc_id: d.doc_id.clone(),
                    group: d.group.clone(),
                    date: d.meta.get("date").map(str::to_string),
                    speaker: d.meta.get("speaker").map(str::to_string),
                })
                .collect(),
            themes: r.themes.clone(),
            patterns: r.patterns.iter().map(|p| p.text.clone()).collect(),
        }
    }

    fn theme(&self, h: &HitRecord) -> Cell {
        Cell::Text(
            self.themes
                .get(h.theme as usize)
                .cloned()
                .unwrap_or_default(),
        )
    }

    fn pattern(&self, h: &HitRecord) -> Cell {
        Cell::Text(
            self.patterns
                .get(h.pattern as usize)
                .cloned()
                .unwrap_or_default(),
        )
    }
}

/// Builds one row of a hit table; `None` when the hit names no statement.
pub type RowFn = fn(&Labels, &HitRecord) -> Option<Vec<Cell>>;

/// A row of theme_matches.csv.
pub fn match_row(l: &Labels, h: &HitRecord) -> Option<Vec<Cell>> {
    let d = l.docs.get(h.doc)?;
    Some(vec![
        Cell::Text(d.doc_id.clone()),
        Cell::Text(d.group.clone()),
        l.theme(h),
        l.pattern(h),
        Cell::Text(h.matched_text.clone()),
        Cell::Int(h.token_index),
        Cell::Int(h.start as u64),
        Cell::Int(h.end as u64),
    ])
}

/// A row of theme_contexts.csv.
pub fn context_row(l: &Labels, h: &HitRecord) -> Option<Vec<Cell>> {
    let d = l.docs.get(h.doc)?;
    let text = |v: &Option<String>| v.as_ref().map_or(Cell::Empty, |v| Cell::Text(v.clone()));
    Some(vec![
        Cell::Text(d.doc_id.clone()),
        Cell::Text(d.group.clone()),
        d.date
            .as_ref()
            .map_or(Cell::Empty, |v| Cell::Date(v.clone())),
        text(&d.speaker),
        l.theme(h),
        l.pattern(h),
        Cell::Text(h.context.left.clone()),
        Cell::Text(h.context.exact.clone()),
        Cell::Text(h.context.right.clone()),
        Cell::Int(h.token_index),
    ])
}

/// Gives `t` a row per hit of `r`: held when the hits are in memory, streamed from the
/// spill otherwise.
pub fn fill(t: &mut Table, r: &Results, row: RowFn) {
    let labels = Labels::of(r);
    match &r.hits {
        Hits::Memory(hits) => {
            t.rows = hits.iter().filter_map(|h| row(&labels, h)).collect();
        }
        Hits::Spilled(_) => {
            t.streamed = Some(Streamed::new(Arc::new(HitRows {
                hits: r.hits.clone(),
                labels,
                row,
            })));
        }
    }
}

/// Rows built from spilled hits as they are read back.
struct HitRows {
    hits: Hits,
    labels: Labels,
    row: RowFn,
}

impl RowSource for HitRows {
    fn each_row(&self, f: &mut dyn FnMut(&[Cell]) -> std::io::Result<()>) -> std::io::Result<()> {
        self.hits
            .try_for_each(|h| match (self.row)(&self.labels, h) {
                Some(cells) => f(&cells),
                None => Ok(()),
            })
    }

    fn len(&self) -> u64 {
        self.hits.len()
    }
}
