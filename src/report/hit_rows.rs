//! The rows of the hit tables (theme_matches.csv, theme_contexts.csv): held for hits in memory, streamed for spilled ones.

use std::sync::Arc;

use crate::count::hits::HitRecord;
use crate::count::hits::Hits;
use crate::count::results::Results;
use crate::report::table::{Cell, RowSource, Streamed, Table};

/// The name of a hit's theme, and of its pattern (empty when out of range).
fn theme(r: &Results, h: &HitRecord) -> Cell {
    Cell::Text(r.themes.get(h.theme as usize).cloned().unwrap_or_default())
}

fn pattern(r: &Results, h: &HitRecord) -> Cell {
    Cell::Text(
        r.patterns
            .get(h.pattern as usize)
            .map(|p| p.text.clone())
            .unwrap_or_default(),
    )
}

/// Builds one row of a hit table from the hit and its statement's labels (read from the
/// results as the row is made: nothing per statement is copied); `None` when the hit names
/// no statement.
pub type RowFn = fn(&Results, &HitRecord) -> Option<Vec<Cell>>;

/// A row of theme_matches.csv.
pub fn match_row(r: &Results, h: &HitRecord) -> Option<Vec<Cell>> {
    let d = r.docs.get(h.doc)?;
    Some(vec![
        Cell::Text(d.doc_id.clone()),
        Cell::Text(d.group.clone()),
        theme(r, h),
        pattern(r, h),
        Cell::Text(h.matched_text.clone()),
        Cell::Int(h.token_index),
        Cell::Int(h.start as u64),
        Cell::Int(h.end as u64),
        Cell::Text(d.file.clone()),
    ])
}

/// A row of theme_contexts.csv.
pub fn context_row(r: &Results, h: &HitRecord) -> Option<Vec<Cell>> {
    let d = r.docs.get(h.doc)?;
    let text = |v: Option<&str>| v.map_or(Cell::Empty, |v| Cell::Text(v.to_string()));
    Some(vec![
        Cell::Text(d.doc_id.clone()),
        Cell::Text(d.group.clone()),
        d.meta
            .get("date")
            .map_or(Cell::Empty, |v| Cell::Date(v.to_string())),
        text(d.meta.get("speaker")),
        theme(r, h),
        pattern(r, h),
        Cell::Text(h.context.left.clone()),
        Cell::Text(h.context.exact.clone()),
        Cell::Text(h.context.right.clone()),
        Cell::Int(h.token_index),
        Cell::Text(d.file.clone()),
    ])
}

/// Gives `t` a row per hit of `r`: held when the hits are in memory, streamed from the
/// spill otherwise.
pub fn fill(t: &mut Table, r: &Arc<Results>, row: RowFn) {
    match &r.hits {
        Hits::Memory(hits) => {
            t.rows = hits.iter().filter_map(|h| row(r, h)).collect();
        }
        Hits::Spilled(_) => {
            t.streamed = Some(Streamed::new(Arc::new(HitRows {
                results: r.clone(),
                row,
            })));
        }
    }
}

/// Rows built from spilled hits as they are read back.
struct HitRows {
    results: Arc<Results>,
    row: RowFn,
}

impl RowSource for HitRows {
    fn each_row(&self, f: &mut dyn FnMut(&[Cell]) -> std::io::Result<()>) -> std::io::Result<()> {
        let r = &*self.results;
        r.hits.try_for_each(|h| match (self.row)(r, h) {
            Some(cells) => f(&cells),
            None => Ok(()),
        })
    }

    fn len(&self) -> u64 {
        self.results.hits.len()
    }
}
