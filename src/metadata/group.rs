//! Grouping: which group (the `session` column of every table) a statement counts in.
//!
//! Labels the tool makes never look like numbers or dates to a spreadsheet:
//! "Session 7", "2024", "2024-Q1", "2024-M03", "undated". A label is also what the tables join
//! a group's rows on, so no group but the undated one is ever labelled "undated".

use crate::config::GroupBy;
use crate::metadata::DocMeta;

/// How the tables show the group of statements that have no time (no date, year or session).
pub const UNDATED: &str = "undated";

/// What a group's own label gets when it reads as [`UNDATED`]: "undated" becomes
/// "undated (named)", so a session a manifest calls "undated" keeps a row of its own beside the
/// undated group.
const NAMED_SUFFIX: &str = " (named)";

/// The group a statement counts in: a label, or no place in time at all. Undated is a state,
/// not a label: a session a manifest calls "undated" is an ordinary session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Group {
    /// A label that is never [`UNDATED`] (see [`group_of`]).
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
    labelled
        .map(distinct_from_undated)
        .map_or(Group::Undated, Group::Labelled)
}

/// Why a statement with metadata `meta` has no group under `by` (for the warning that it counts
/// as undated): what `by` needs and, when it has some time but not enough, what it has.
pub fn undated_reason(meta: &DocMeta, by: &GroupBy) -> String {
    let (needs, name) = match by {
        GroupBy::Session | GroupBy::Field(_) => return "no date, year or session found".into(),
        GroupBy::Year => ("a date or a year", "year"),
        GroupBy::Quarter => ("a full date", "quarter"),
        GroupBy::Month => ("a full date", "month"),
    };
    let mut found = Vec::new();
    if let Some(y) = meta.year() {
        found.push(format!("a year ({y})"));
    }
    // Resolved fields are never blank (a blank value is no value).
    if meta.get("session").is_some() {
        found.push("a session".to_string());
    }
    if found.is_empty() {
        format!("no date found (group_by = \"{name}\" needs {needs})")
    } else {
        format!(
            "{} but no date (group_by = \"{name}\" needs {needs})",
            found.join(" and ")
        )
    }
}

/// `label`, or one more [`NAMED_SUFFIX`] when it is "undated" followed by any number of them.
/// Groups are counted, merged and joined by label, so a dated group labelled "undated" would
/// swallow the undated statements; suffixing the whole family (not only "undated") keeps the
/// mapping one-to-one: "undated (named)" from a manifest becomes "undated (named) (named)".
fn distinct_from_undated(label: String) -> String {
    let mut stem = label.as_str();
    while let Some(shorter) = stem.strip_suffix(NAMED_SUFFIX) {
        stem = shorter;
    }
    if stem == UNDATED {
        label + NAMED_SUFFIX
    } else {
        label
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
    fn undated_reasons_say_what_the_grouping_needs() {
        let reason = |fields: &[(&str, &str)], by: GroupBy| undated_reason(&meta(fields), &by);
        assert_eq!(
            reason(&[], GroupBy::Session),
            "no date, year or session found"
        );
        assert_eq!(
            reason(&[("speaker", "France")], GroupBy::Year),
            "no date found (group_by = \"year\" needs a date or a year)"
        );
        assert_eq!(
            reason(&[("session", "7")], GroupBy::Quarter),
            "a session but no date (group_by = \"quarter\" needs a full date)"
        );
        assert_eq!(
            reason(&[("session", "45"), ("year", "1990")], GroupBy::Month),
            "a year (1990) and a session but no date (group_by = \"month\" needs a full date)"
        );
        // Each reason is given only where the grouping left the statement undated.
        for by in [
            GroupBy::Session,
            GroupBy::Year,
            GroupBy::Quarter,
            GroupBy::Month,
        ] {
            assert!(group_of(&meta(&[("speaker", "France")]), &by).is_undated());
        }
        assert!(group_of(&meta(&[("session", "7")]), &GroupBy::Quarter).is_undated());
    }

    #[test]
    fn a_session_named_undated_is_not_the_undated_state() {
        let m = meta(&[("session", "undated"), ("date", "2024-03-06")]);
        let g = group_of(&m, &GroupBy::Session);
        assert!(!g.is_undated());
        // Its own label, not the undated group's: the two are counted apart.
        assert_eq!(g.label(), "undated (named)");
        assert_ne!(g.label(), group_of(&meta(&[]), &GroupBy::Session).label());
    }

    #[test]
    fn labels_stay_one_to_one_around_undated() {
        let label = |session: &str| {
            group_of(&meta(&[("session", session)]), &GroupBy::Session)
                .label()
                .to_string()
        };
        assert_eq!(label("undated (named)"), "undated (named) (named)");
        // Only exact "undated" is the undated group's label; other spellings and any other
        // label are left as they are.
        for kept in [
            "Undated",
            "undated session",
            "(named)",
            "undatedx (named)",
            "S1",
        ] {
            assert_eq!(label(kept), kept);
        }
        let speaker = meta(&[("speaker", "undated")]);
        let by_speaker = group_of(&speaker, &GroupBy::Field("speaker".into()));
        assert_eq!(by_speaker.label(), "undated (named)");
    }
}
