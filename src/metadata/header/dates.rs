//! Calendar dates in headers, in the unambiguous English forms only.

use super::*;

/// Finds the first unambiguous calendar date in `s`.
///
/// Accepted forms (month names in English, full or abbreviated as "Mar", "Mar.", "Sept";
/// case-insensitive; a leading weekday is simply skipped over):
/// - `6 March 2024`, `6 Mar. 2024`, `6th March, 2024`, `6th of March 2024`, `Wednesday, 6 March 2024`
/// - `March 6, 2024`, `March 6th 2024`
/// - ISO `2024-03-06`
///
/// Purely numeric day-month forms (`06.03.2024`, `6/3/2024`) are rejected on purpose: they read
/// as 6 March in Europe and 3 June in the United States, and a wrong date is worse than none.
/// A month and year without a day (`March 2024`) is not a date either. Impossible dates
/// (`31 April 2024`) are skipped.
pub fn parse_date(s: &str) -> Option<Date> {
    find_date(s).map(|(date, _)| date)
}

pub(super) const MONTHS: [(&str, u8); 24] = [
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

/// The first date in `s` and the byte range it covers.
pub(super) fn find_date(s: &str) -> Option<(Date, Range<usize>)> {
    let tokens = word_spans(s);
    (0..tokens.len()).find_map(|at| {
        iso_date_at(s, &tokens, at)
            .or_else(|| day_month_year_at(s, &tokens, at))
            .or_else(|| month_day_year_at(s, &tokens, at))
    })
}

/// The first text in `s` written as a date but naming no day of the calendar ("30 February
/// 2023", "31 April 2024", "2023-13-01"): what a header meant as its date, with a typo.
pub fn find_impossible_date(s: &str) -> Option<&str> {
    let tokens = word_spans(s);
    (0..tokens.len()).find_map(|at| {
        let (ymd, span) = iso_shape_at(s, &tokens, at)
            .or_else(|| day_month_year_shape_at(s, &tokens, at))
            .or_else(|| month_day_year_shape_at(s, &tokens, at))?;
        checked(ymd).is_none().then(|| &s[span])
    })
}

/// Year, month and day as written.
type Ymd = (i32, u8, u8);

fn checked((year, month, day): Ymd) -> Option<Date> {
    Date::new(year, month, day)
}

/// Byte ranges of the maximal alphanumeric runs of `s`.
pub(super) fn word_spans(s: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut start = None;
    for (at, c) in s.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(at),
            (false, Some(from)) => {
                spans.push(from..at);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(from) = start {
        spans.push(from..s.len());
    }
    spans
}

pub(super) fn is_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

/// `2024-03-06`, the parts joined by single hyphens.
pub(super) fn iso_date_at(
    s: &str,
    tokens: &[Range<usize>],
    at: usize,
) -> Option<(Date, Range<usize>)> {
    let (ymd, span) = iso_shape_at(s, tokens, at)?;
    Some((checked(ymd)?, span))
}

/// A date's parts written as [`iso_date_at`] reads them, whether or not the day exists.
fn iso_shape_at(s: &str, tokens: &[Range<usize>], at: usize) -> Option<(Ymd, Range<usize>)> {
    let [year, month, day] = tokens.get(at..at + 3)? else {
        return None;
    };
    let joined_by_hyphen = |a: &Range<usize>, b: &Range<usize>| {
        b.start == a.end + 1 && s.as_bytes().get(a.end) == Some(&b'-')
    };
    if !(is_digits(&s[year.clone()], 4)
        && is_digits(&s[month.clone()], 2)
        && is_digits(&s[day.clone()], 2)
        && joined_by_hyphen(year, month)
        && joined_by_hyphen(month, day))
    {
        return None;
    }
    let ymd = (
        s[year.clone()].parse().ok()?,
        s[month.clone()].parse().ok()?,
        s[day.clone()].parse().ok()?,
    );
    Some((ymd, year.start..day.end))
}

/// `6 March 2024`, `6th of March, 2024`, `6 Mar. 2024`.
pub(super) fn day_month_year_at(
    s: &str,
    tokens: &[Range<usize>],
    at: usize,
) -> Option<(Date, Range<usize>)> {
    let (ymd, span) = day_month_year_shape_at(s, tokens, at)?;
    Some((checked(ymd)?, span))
}

/// A date's parts written as [`day_month_year_at`] reads them, whether or not the day exists.
fn day_month_year_shape_at(
    s: &str,
    tokens: &[Range<usize>],
    at: usize,
) -> Option<(Ymd, Range<usize>)> {
    let day_span = tokens.get(at)?;
    let day = day_number(&s[day_span.clone()])?;
    let mut next = at + 1;
    let mut previous = day_span;
    if let Some(of) = tokens.get(next)
        && s[of.clone()].eq_ignore_ascii_case("of")
        && is_date_gap(&s[previous.end..of.start])
    {
        previous = of;
        next += 1;
    }
    let month_span = tokens.get(next)?;
    let month = month_number(&s[month_span.clone()])?;
    let year_span = tokens.get(next + 1)?;
    if !is_date_gap(&s[previous.end..month_span.start])
        || !is_date_gap(&s[month_span.end..year_span.start])
    {
        return None;
    }
    let year = year_number(&s[year_span.clone()])?;
    Some(((year, month, day), day_span.start..year_span.end))
}

/// `March 6, 2024`, `March 6th 2024`.
pub(super) fn month_day_year_at(
    s: &str,
    tokens: &[Range<usize>],
    at: usize,
) -> Option<(Date, Range<usize>)> {
    let (ymd, span) = month_day_year_shape_at(s, tokens, at)?;
    Some((checked(ymd)?, span))
}

/// A date's parts written as [`month_day_year_at`] reads them, whether or not the day exists.
fn month_day_year_shape_at(
    s: &str,
    tokens: &[Range<usize>],
    at: usize,
) -> Option<(Ymd, Range<usize>)> {
    let [month_span, day_span, year_span] = tokens.get(at..at + 3)? else {
        return None;
    };
    let month = month_number(&s[month_span.clone()])?;
    let day = day_number(&s[day_span.clone()])?;
    let year = year_number(&s[year_span.clone()])?;
    if !is_date_gap(&s[month_span.end..day_span.start])
        || !is_date_gap(&s[day_span.end..year_span.start])
    {
        return None;
    }
    Some(((year, month, day), month_span.start..year_span.end))
}

/// Between the parts of a written date: spaces with at most one comma or full stop.
pub(super) fn is_date_gap(gap: &str) -> bool {
    let punctuation = gap.chars().filter(|c| *c == ',' || *c == '.').count();
    !gap.is_empty()
        && punctuation <= 1
        && gap
            .chars()
            .all(|c| c.is_whitespace() || c == ',' || c == '.')
}

/// "6", "06", "6th", "21st": a day of the month, 1 to 31.
pub(super) fn day_number(token: &str) -> Option<u8> {
    let digits_end = token
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(token.len());
    if !(1..=2).contains(&digits_end) {
        return None;
    }
    let suffix = token[digits_end..].to_ascii_lowercase();
    if !matches!(suffix.as_str(), "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    let day: u8 = token[..digits_end].parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

pub(super) fn month_number(token: &str) -> Option<u8> {
    let lower = token.to_lowercase();
    MONTHS
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, n)| *n)
}

/// A four-digit year from 1000 on.
pub(super) fn year_number(token: &str) -> Option<i32> {
    if !is_digits(token, 4) || token.starts_with('0') {
        return None;
    }
    token.parse().ok()
}
