//! Grouping: which group (the `session` column of every table) a statement counts in.
//!
//! Labels the tool makes never look like numbers or dates to a spreadsheet:
//! "Session 7", "2024", "2024-Q1", "2024-M03", "undated".

use crate::config::GroupBy;
use crate::metadata::DocMeta;

/// How the tables show the group of statements that have no time (no date, year or session).
pub const UNDATED: &str = "undated";

/// The group a statement counts in: a label, or no place in time at all. Undated is a state,
/// not a label: a session a manifest calls "undated" is an ordinary session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Group {
    Labelled(String),
    /// No date, year or session: shown as [`UNDATED`], left out of everything over time.
    Undated,
}

impl Group {
    /// The label in the tables.
    pub fn label(&self) -> &str {
        match self {
            Group::Labelled(label) => label,
            Group::Undated => UNDATED,
        }
    }

    pub fn is_undated(&self) -> bool {
        *self == Group::Undated
    }
}

/// The group of a statement.
pub fn group_of(meta: &DocMeta, by: &GroupBy) -> Group {
    let labelled = match by {
        GroupBy::Session => match meta.get("session") {
            Some(s) if s.starts_with(|c: char| c.is_ascii_digit()) => Some(format!("Session {s}")),
            Some(s) => Some(s.to_string()),
            // A dated statement with no session still has a place in time.
            None => meta.year().map(|y| format!("{y} (no session)")),
        },
        GroupBy::Year => meta.year().map(|y| y.to_string()),
        GroupBy::Quarter => meta.date().map(|d| format!("{}-Q{}", d.year, d.quarter())),
        GroupBy::Month => meta.date().map(|d| format!("{}-M{:02}", d.year, d.month)),
        GroupBy::Field(f) => Some(match meta.get(f) {
            Some(v) if !v.trim().is_empty() => v.trim().to_string(),
            _ => format!("(no {f})"),
        }),
    };
    labelled.map_or(Group::Undated, Group::Labelled)
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
        let label = |by: &GroupBy| group_of(&m, by).label().to_string();
        assert_eq!(label(&GroupBy::Session), "Session 7");
        assert_eq!(label(&GroupBy::Year), "2024");
        assert_eq!(label(&GroupBy::Quarter), "2024-Q1");
        assert_eq!(label(&GroupBy::Month), "2024-M03");
        assert_eq!(label(&GroupBy::Field("speaker".into())), "France");
        assert_eq!(label(&GroupBy::Field("region".into())), "(no region)");
    }

    #[test]
    fn statements_without_time_are_undated() {
        let m = meta(&[("speaker", "France")]);
        assert_eq!(group_of(&m, &GroupBy::Session), Group::Undated);
        assert_eq!(group_of(&m, &GroupBy::Year).label(), "undated");
        let m = meta(&[("year", "1990")]);
        assert_eq!(group_of(&m, &GroupBy::Year).label(), "1990");
        assert_eq!(group_of(&m, &GroupBy::Session).label(), "1990 (no session)");
        assert!(group_of(&m, &GroupBy::Month).is_undated());
    }

    #[test]
    fn a_session_named_undated_is_not_the_undated_state() {
        let m = meta(&[("session", "undated")]);
        let g = group_of(&m, &GroupBy::Session);
        assert_eq!(g, Group::Labelled("undated".into()));
        assert!(!g.is_undated());
        assert_eq!(g.label(), UNDATED);
    }
}
