//! File-name patterns: metadata read from names such as `USA_75_2020.txt` via `{iso3}_{session}_{year}.txt`.

use crate::metadata::date::Date;
use std::error::Error;
use std::fmt;

/// A parsed pattern of literal text and `{field}` placeholders, for file names only.
///
/// Placeholders:
/// - `{year}`: exactly four ASCII digits.
/// - `{date}`: `YYYY-MM-DD` or `YYYYMMDD`, a real calendar day; returned as `YYYY-MM-DD`.
/// - `{_}` or `{*}`: any non-empty text, matched but not returned (may repeat).
/// - any other `{name}` (letters, digits, `_`): any non-empty text, returned as is.
///
/// Literal text matches exactly, case-sensitively. Each placeholder but the last takes the
/// shortest run that still lets the rest of the name match, so with `{date}_{forum}_{speaker}.txt`
/// any `_` beyond the first two belongs to `speaker`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileNamePattern {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Field { name: String, kind: FieldKind },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldKind {
    Year,
    Date,
    Text,
    Ignored,
}

/// A pattern that cannot be used, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError(pub String);

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid file-name pattern: {}", self.0)
    }
}

impl Error for PatternError {}

impl FileNamePattern {
    /// Parses a pattern such as `{iso3}_{session}_{year}.txt`.
    ///
    /// Errors: an empty pattern, a path separator, unbalanced or nested braces, an empty or
    /// malformed field name, a field named twice, or two placeholders with no literal between
    /// them (their boundary would be a guess).
    pub fn parse(pattern: &str) -> Result<FileNamePattern, PatternError> {
        let fail = |message: String| Err(PatternError(format!("`{pattern}`: {message}")));
        if pattern.is_empty() {
            return fail("the pattern is empty".to_string());
        }
        if pattern.contains(['/', '\\']) {
            return fail("a pattern matches file names only, without `/` or `\\`".to_string());
        }
        let mut segments: Vec<Segment> = Vec::new();
        let mut rest = pattern;
        while !rest.is_empty() {
            let brace = rest.find(['{', '}']).unwrap_or(rest.len());
            if brace > 0 {
                segments.push(Segment::Literal(rest[..brace].to_string()));
                rest = &rest[brace..];
                continue;
            }
            if rest.starts_with('}') {
                return fail("`}` without a matching `{`".to_string());
            }
            // `rest` starts with `{`, one byte long.
            let inner = &rest[1..];
            let Some(close) = inner.find(['{', '}']) else {
                return fail("`{` is never closed".to_string());
            };
            if inner[close..].starts_with('{') {
                return fail("`{` inside a placeholder".to_string());
            }
            let name = &inner[..close];
            rest = &inner[close + 1..];
            if name.is_empty() {
                return fail("empty placeholder `{}`".to_string());
            }
            let kind = match name {
                "_" | "*" => FieldKind::Ignored,
                "year" => FieldKind::Year,
                "date" => FieldKind::Date,
                _ if name.chars().all(|c| c.is_alphanumeric() || c == '_') => FieldKind::Text,
                _ => {
                    return fail(format!(
                        "field name `{name}` may hold only letters, digits and `_`"
                    ));
                }
            };
            if matches!(segments.last(), Some(Segment::Field { .. })) {
                return fail(format!(
                    "`{{{name}}}` follows another placeholder with no text between them"
                ));
            }
            let named_before = segments
                .iter()
                .any(|s| matches!(s, Segment::Field { name: n, .. } if n == name));
            if kind != FieldKind::Ignored && named_before {
                return fail(format!("field `{name}` appears twice"));
            }
            segments.push(Segment::Field {
                name: name.to_string(),
                kind,
            });
        }
        Ok(FileNamePattern { segments })
    }

    /// The names of the returned fields, in pattern order (ignored parts left out).
    pub fn fields(&self) -> Vec<&str> {
        self.segments
            .iter()
            .filter_map(|s| match s {
                Segment::Field { name, kind } if *kind != FieldKind::Ignored => Some(name.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The field values read from `file_name`, in pattern order, or `None` when it does not fit.
    pub fn match_name(&self, file_name: &str) -> Option<Vec<(String, String)>> {
        let mut matcher = Matcher {
            segments: &self.segments,
            name: file_name,
            // Dead ends already explored, by (segment, byte position): keeps matching polynomial.
            failed: vec![false; (self.segments.len() + 1) * (file_name.len() + 1)],
            values: Vec::new(),
        };
        matcher.match_from(0, 0).then_some(matcher.values)
    }
}

struct Matcher<'a> {
    segments: &'a [Segment],
    name: &'a str,
    failed: Vec<bool>,
    values: Vec<(String, String)>,
}

impl Matcher<'_> {
    /// Whether `segments[segment..]` matches `name[position..]`; on success `values` holds the fields.
    fn match_from(&mut self, segment: usize, position: usize) -> bool {
        let memo = segment * (self.name.len() + 1) + position;
        if self.failed[memo] {
            return false;
        }
        let matched = self.try_match(segment, position);
        if !matched {
            self.failed[memo] = true;
        }
        matched
    }

    fn try_match(&mut self, segment: usize, position: usize) -> bool {
        let rest = &self.name[position..];
        let Some(current) = self.segments.get(segment) else {
            return rest.is_empty();
        };
        match current {
            Segment::Literal(text) => {
                rest.starts_with(text.as_str())
                    && self.match_from(segment + 1, position + text.len())
            }
            Segment::Field { name, kind } => {
                // Parsing forbids adjacent placeholders, so the next segment is a literal or nothing.
                let ends: Vec<usize> = match self.segments.get(segment + 1) {
                    Some(Segment::Literal(next)) => rest
                        .match_indices(next.as_str())
                        .map(|(at, _)| at)
                        .filter(|at| *at > 0)
                        .collect(),
                    _ => vec![rest.len()],
                };
                for end in ends {
                    let Some(value) = field_value(*kind, &rest[..end]) else {
                        continue;
                    };
                    let mark = self.values.len();
                    if *kind != FieldKind::Ignored {
                        self.values.push((name.clone(), value));
                    }
                    if self.match_from(segment + 1, position + end) {
                        return true;
                    }
                    self.values.truncate(mark);
                }
                false
            }
        }
    }
}

/// The value a placeholder of `kind` reads from `text`, or `None` when `text` does not fit it.
fn field_value(kind: FieldKind, text: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    match kind {
        FieldKind::Year => {
            (text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.to_string())
        }
        FieldKind::Date => parse_file_date(text).map(|date| date.to_string()),
        FieldKind::Text | FieldKind::Ignored => Some(text.to_string()),
    }
}

/// `YYYY-MM-DD` or `YYYYMMDD`.
fn parse_file_date(text: &str) -> Option<Date> {
    let b = text.as_bytes();
    if b.len() == 8 && b.iter().all(u8::is_ascii_digit) {
        return Date::new(
            text[0..4].parse().ok()?,
            text[4..6].parse().ok()?,
            text[6..8].parse().ok()?,
        );
    }
    // Checked here because `Date::parse_iso` trims spaces and `str::parse` accepts a `+` sign.
    let iso_shaped = b.len() == 10
        && b.iter().enumerate().all(|(at, c)| {
            if at == 4 || at == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !iso_shaped {
        return None;
    }
    Date::parse_iso(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Expected `(field, value)` pairs.
    type Values = &'static [(&'static str, &'static str)];

    fn pattern(p: &str) -> FileNamePattern {
        FileNamePattern::parse(p).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn matching_names() {
        let cases: &[(&str, &str, Values)] = &[
            (
                "{iso3}_{session}_{year}.txt",
                "USA_75_2020.txt",
                &[("iso3", "USA"), ("session", "75"), ("year", "2020")],
            ),
            (
                "{iso3}_{session}_{year}.txt",
                "EU_70_2015.txt",
                &[("iso3", "EU"), ("session", "70"), ("year", "2015")],
            ),
            (
                "{iso3}_{session}_{year}.txt",
                "AFG_45_1990.txt",
                &[("iso3", "AFG"), ("session", "45"), ("year", "1990")],
            ),
            (
                "{date}_{forum}_{speaker}.txt",
                "2023-07-26_oewg-session-5_paris-peace-forum.txt",
                &[
                    ("date", "2023-07-26"),
                    ("forum", "oewg-session-5"),
                    ("speaker", "paris-peace-forum"),
                ],
            ),
            (
                "{date}_{forum}_{speaker}.txt",
                "2024-03-06_oewg-session-7_paris-peace-forum.txt",
                &[
                    ("date", "2024-03-06"),
                    ("forum", "oewg-session-7"),
                    ("speaker", "paris-peace-forum"),
                ],
            ),
            // Underscores beyond the literal ones belong to the last placeholder.
            (
                "{date}_{forum}_{speaker}.txt",
                "2024-03-06_oewg_paris_peace_forum.txt",
                &[
                    ("date", "2024-03-06"),
                    ("forum", "oewg"),
                    ("speaker", "paris_peace_forum"),
                ],
            ),
            // Compact dates are normalised to ISO.
            (
                "{date}_{speaker}.txt",
                "20240306_kenya.txt",
                &[("date", "2024-03-06"), ("speaker", "kenya")],
            ),
            // A date with dashes before a dash literal: the shortest valid date wins.
            (
                "{date}-{speaker}.md",
                "2024-03-06-paris-peace-forum.md",
                &[("date", "2024-03-06"), ("speaker", "paris-peace-forum")],
            ),
            // `{year}` skips a shorter run that is not four digits.
            (
                "{speaker}_{year}.txt",
                "new_zealand_1999.txt",
                &[("speaker", "new_zealand"), ("year", "1999")],
            ),
            (
                "{_}_{session}_{*}.txt",
                "USA_75_2020.txt",
                &[("session", "75")],
            ),
            (
                "statement-{session}.txt",
                "statement-7.txt",
                &[("session", "7")],
            ),
            ("{name}", "anything.at all", &[("name", "anything.at all")]),
            ("fixed.txt", "fixed.txt", &[]),
            ("{a}.{b}", "x.y.z", &[("a", "x"), ("b", "y.z")]),
        ];
        for (pattern_text, name, expected) in cases {
            let expected: Vec<(String, String)> = expected
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            assert_eq!(
                pattern(pattern_text).match_name(name),
                Some(expected),
                "{pattern_text} on {name}"
            );
        }
    }

    #[test]
    fn names_that_do_not_fit() {
        let cases: &[(&str, &str)] = &[
            ("{iso3}_{session}_{year}.txt", "USA_75_20.txt"),
            ("{iso3}_{session}_{year}.txt", "USA_75_2020.TXT"),
            ("{iso3}_{session}_{year}.txt", "USA_75_2020.txt.bak"),
            ("{iso3}_{session}_{year}.txt", "_75_2020.txt"),
            ("{iso3}_{session}_{year}.txt", "USA__2020.txt"),
            ("{iso3}_{session}_{year}.txt", "SOURCE.md"),
            ("{iso3}_{session}_{year}.txt", "metadata.csv"),
            ("{date}_{forum}_{speaker}.txt", "2023-02-29_oewg_x.txt"),
            ("{date}_{forum}_{speaker}.txt", "2023-7-26_oewg_x.txt"),
            ("{date}_{forum}_{speaker}.txt", "+202-07-26_oewg_x.txt"),
            ("{date}_{forum}_{speaker}.txt", "20231301_oewg_x.txt"),
            ("{date}_{forum}_{speaker}.txt", "2023-07-26_oewg.txt"),
            ("{year}.txt", "２０２４.txt"),
            ("fixed.txt", "Fixed.txt"),
            ("{a}", ""),
        ];
        for (pattern_text, name) in cases {
            assert_eq!(
                pattern(pattern_text).match_name(name),
                None,
                "{pattern_text} on {name}"
            );
        }
    }

    #[test]
    fn fields_in_pattern_order() {
        assert_eq!(
            pattern("{iso3}_{session}_{year}.txt").fields(),
            ["iso3", "session", "year"]
        );
        assert_eq!(pattern("{_}-{date}-{*}").fields(), ["date"]);
        assert!(pattern("plain.txt").fields().is_empty());
    }

    #[test]
    fn malformed_patterns() {
        let cases: &[(&str, &str)] = &[
            ("", "empty"),
            ("{iso3", "never closed"),
            ("iso3}.txt", "without a matching"),
            ("{a{b}}", "inside a placeholder"),
            ("{}.txt", "empty placeholder"),
            ("{date}{speaker}.txt", "no text between"),
            ("{_}{*}", "no text between"),
            ("{year}_{year}.txt", "appears twice"),
            ("{my field}.txt", "may hold only"),
            ("{year}/{speaker}.txt", "file names only"),
        ];
        for (text, message) in cases {
            let error = FileNamePattern::parse(text).expect_err(text);
            assert!(error.to_string().contains(message), "{text:?}: {error}");
        }
        // Ignored parts may repeat: they return nothing to collide.
        assert!(FileNamePattern::parse("{_}_{_}.txt").is_ok());
    }

    #[test]
    fn adversarial_names_finish_quickly() {
        let pattern = pattern("{a}x{b}x{c}x{d}x{e}x{f}x{g}x{h}y");
        let name = "x".repeat(2_000);
        assert_eq!(pattern.match_name(&name), None);
    }

    /// Every file of the shipped General Debate slice fits the layout and agrees with its metadata.csv.
    #[test]
    fn general_debate_corpus_names_match_metadata() {
        let Some(dir) = crate::testing::shared_or_skip(
            "general_debate_corpus_names_match_metadata",
            "corpora/ungdc-1990-2004",
        ) else {
            return;
        };
        let metadata =
            std::fs::read_to_string(dir.join("metadata.csv")).expect("the corpus has metadata.csv");
        let layout = pattern("{iso3}_{session}_{year}.txt");
        let mut rows = 0;
        for row in metadata.lines().skip(1) {
            let columns: Vec<&str> = row.split(',').collect();
            let [file, iso3, session, year, ..] = columns.as_slice() else {
                panic!("short metadata row {row:?}");
            };
            let values = layout.match_name(file);
            let expected = [("iso3", *iso3), ("session", *session), ("year", *year)]
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .to_vec();
            assert_eq!(values, Some(expected), "{file}");
            rows += 1;
        }
        assert!(rows > 2_000, "only {rows} metadata rows");
    }

    proptest! {
        #[test]
        fn parse_and_match_never_panic(pattern_text in any::<String>(), name in any::<String>()) {
            if let Ok(pattern) = FileNamePattern::parse(&pattern_text) {
                let _ = pattern.match_name(&name);
            }
        }

        #[test]
        fn placeholder_heavy_patterns_never_panic(
            pattern_text in "(\\{(year|date|_|\\*|a|b|c)\\}|[_.x-]|é){0,10}",
            name in "[0-9_.x-]{0,30}|é",
        ) {
            if let Ok(pattern) = FileNamePattern::parse(&pattern_text)
                && let Some(values) = pattern.match_name(&name)
            {
                prop_assert_eq!(values.len(), pattern.fields().len());
            }
        }

        #[test]
        fn general_debate_names_round_trip(iso3 in "[A-Z]{2,3}", session in 1u32..100, year in 1946u32..2100) {
            let name = format!("{iso3}_{session}_{year}.txt");
            let values = pattern("{iso3}_{session}_{year}.txt").match_name(&name);
            let expected = vec![
                ("iso3".to_string(), iso3),
                ("session".to_string(), session.to_string()),
                ("year".to_string(), year.to_string()),
            ];
            prop_assert_eq!(values, Some(expected));
        }
    }
}
