//! Grouping: which group (the `session` column of every table) a statement counts in.
//!
//! Labels the tool makes never look like numbers or dates to a spreadsheet:
//! "Session 7", "2024", "2024-Q1", "2024-M03", "undated".

use crate::config::GroupBy;
use crate::metadata::DocMeta;

/// The label of statements that have no time (no date, year or session).
pub const UNDATED: &str = "undated";

/// The group label of a statement.
pub fn group_label(meta: &DocMeta, by: &GroupBy) -> String {
    match by {
        GroupBy::Session => match meta.get("session") {
            Some(s) if s.starts_with(|c: char| c.is_ascii_digit()) => format!("Session {s}"),
            Some(s) => s.to_string(),
            None => match meta.year() {
                // A dated statement with no session still has a place in time.
                Some(y) => format!("{y} (no session)"),
                None => UNDATED.to_string(),
            },
        },
        GroupBy::Year => meta
            .year()
            .map_or_else(|| UNDATED.to_string(), |y| y.to_string()),
        GroupBy::Quarter => meta.date().map_or_else(
            || UNDATED.to_string(),
            |d| format!("{}-Q{}", d.year, d.quarter()),
        ),
        GroupBy::Month => meta.date().map_or_else(
            || UNDATED.to_string(),
            |d| format!("{}-M{:02}", d.year, d.month),
        ),
        GroupBy::Field(f) => match meta.get(f) {
            Some(v) if !v.trim().is_empty() => v.trim().to_string(),
            _ => format!("(no {f})"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metadata::{Candidate, Source, resolve};

    fn meta(fields: &[(&str, &str)]) -> DocMeta {
        resolve(
            "f",
            &[Candidate {
                source: Source::Manifest,
                origin: None,
                line: None,
                fields: fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            }],
        )
        .0
    }

    #[test]
    fn labels_by_each_grouping() {
        let m = meta(&[
            ("session", "7"),
            ("date", "2024-03-06"),
            ("speaker", "France"),
        ]);
        assert_eq!(group_label(&m, &GroupBy::Session), "Session 7");
        assert_eq!(group_label(&m, &GroupBy::Year), "2024");
        assert_eq!(group_label(&m, &GroupBy::Quarter), "2024-Q1");
        assert_eq!(group_label(&m, &GroupBy::Month), "2024-M03");
        assert_eq!(group_label(&m, &GroupBy::Field("speaker".into())), "France");
        assert_eq!(
            group_label(&m, &GroupBy::Field("region".into())),
            "(no region)"
        );
    }

    #[test]
    fn statements_without_time_are_undated() {
        let m = meta(&[("speaker", "France")]);
        assert_eq!(group_label(&m, &GroupBy::Session), "undated");
        assert_eq!(group_label(&m, &GroupBy::Year), "undated");
        let m = meta(&[("year", "1990")]);
        assert_eq!(group_label(&m, &GroupBy::Year), "1990");
        assert_eq!(group_label(&m, &GroupBy::Session), "1990 (no session)");
        assert_eq!(group_label(&m, &GroupBy::Month), "undated");
    }
}
