//! File-name patterns: metadata read from names such as `USA_75_2020.txt` via `{iso3}_{session}_{year}.txt`.

use crate::date::Date;
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
