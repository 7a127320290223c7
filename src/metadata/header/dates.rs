//! Calendar dates in headers, front matter and the manifest, in unambiguous forms of the six UN languages.

use super::*;

/// Finds the first unambiguous calendar date in `s`.
///
/// Accepted forms (month names full or abbreviated as "Mar", "Mar.", "Sept"; case-insensitive;
/// a leading weekday is simply skipped over):
/// - `6 March 2024`, `6 Mar. 2024`, `6th March, 2024`, `6th of March 2024`, `Wednesday, 6 March 2024`
/// - `March 6, 2024`, `March 6th 2024`
/// - ISO `2024-03-06`
/// - the day-month-year forms of the other UN languages: French `6 mars 2024`, `1er juin 2024`;
///   Spanish `6 de marzo de 2024`, `1º de junio del 2024`; Russian `6 марта 2024 г.`; Arabic
///   `6 مارس 2024`, and the UN's `6 آذار/مارس 2024` (the Levantine name, a slash, the other),
///   in Western or Arabic-Indic digits; Chinese `2024年3月6日`
///
/// Purely numeric day-month forms (`06.03.2024`, `6/3/2024`) are rejected on purpose: they read
/// as 6 March in Europe and 3 June in the United States, and a wrong date is worse than none.
/// A month and year without a day (`March 2024`) is not a date either. Impossible dates
/// (`31 April 2024`) are skipped.
pub fn parse_date(s: &str) -> Option<Date> {
    find_date(s).map(|(date, _)| date)
}

/// Month names, lowercase, with the month's number: English, French, Spanish and Russian
/// (the genitive a date uses, and the nominative), full and abbreviated (French and Spanish
/// also without their accents, as typed on keyboards without them); Arabic, the names UN
/// documents give after the slash (with their common spellings).
pub(super) const MONTHS: &[(&str, u8)] = &[
    // English.
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
    // French.
    ("janvier", 1),
    ("février", 2),
    ("fevrier", 2),
    ("mars", 3),
    ("avril", 4),
    ("mai", 5),
    ("juin", 6),
    ("juillet", 7),
    ("août", 8),
    ("aout", 8),
    ("septembre", 9),
    ("octobre", 10),
    ("novembre", 11),
    ("décembre", 12),
    ("decembre", 12),
    ("janv", 1),
    ("févr", 2),
    ("fevr", 2),
    ("avr", 4),
    ("juil", 7),
    ("déc", 12),
    // Spanish.
    ("enero", 1),
    ("febrero", 2),
    ("marzo", 3),
    ("abril", 4),
    ("mayo", 5),
    ("junio", 6),
    ("julio", 7),
    ("agosto", 8),
    ("septiembre", 9),
    ("setiembre", 9),
    ("octubre", 10),
    ("noviembre", 11),
    ("diciembre", 12),
    ("ene", 1),
    ("abr", 4),
    ("ago", 8),
    ("dic", 12),
    // Russian: genitive, then nominative.
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
    ("январь", 1),
    ("февраль", 2),
    ("март", 3),
    ("апрель", 4),
    ("май", 5),
    ("июнь", 6),
    ("июль", 7),
    ("август", 8),
    ("сентябрь", 9),
    ("октябрь", 10),
    ("ноябрь", 11),
    ("декабрь", 12),
    // Arabic.
    ("يناير", 1),
    ("فبراير", 2),
    ("مارس", 3),
    ("أبريل", 4),
    ("ابريل", 4),
    ("إبريل", 4),
    ("مايو", 5),
    ("يونيو", 6),
    ("يونية", 6),
    ("يوليو", 7),
    ("يولية", 7),
    ("أغسطس", 8),
    ("اغسطس", 8),
    ("سبتمبر", 9),
    ("أكتوبر", 10),
    ("اكتوبر", 10),
    ("نوفمبر", 11),
    ("ديسمبر", 12),
];

/// Words between a day and its month (`6th of March`, `6 de marzo`).
const BEFORE_MONTH: [&str; 2] = ["of", "de"];
/// Words between a month and its year (`marzo de 2024`, `junio del 2024`).
const BEFORE_YEAR: [&str; 2] = ["de", "del"];

/// The first date in `s` and the byte range it covers.
pub(super) fn find_date(s: &str) -> Option<(Date, Range<usize>)> {
    let tokens = word_spans(s);
    (0..tokens.len()).find_map(|at| {
        iso_date_at(s, &tokens, at)
            .or_else(|| day_month_year_at(s, &tokens, at))
            .or_else(|| month_day_year_at(s, &tokens, at))
            .or_else(|| cjk_date_at(s, &tokens, at))
            .or_else(|| numeric_date_at(s, &tokens, at))
    })
}

/// The first text in `s` written as a date but naming no day of the calendar ("30 February
/// 2023", "31 April 2024", "2023-13-01"): what a header meant as its date, with a typo.
pub fn find_impossible_date(s: &str) -> Option<&str> {
    let tokens = word_spans(s);
    (0..tokens.len()).find_map(|at| {
        let (ymd, span) = iso_shape_at(s, &tokens, at)
            .or_else(|| day_month_year_shape_at(s, &tokens, at))
            .or_else(|| month_day_year_shape_at(s, &tokens, at))
            .or_else(|| cjk_shape_at(s, &tokens, at))
            .or_else(|| numeric_shape_at(s, &tokens, at).map(|(ymd, span, _)| (ymd, span)))?;
        checked(ymd).is_none().then(|| &s[span])
    })
}

/// The first all-numeric date in `s` whose day and month could be either way round
/// (`05/03/2024`: 5 March in Europe, May 3 in the United States), which is not read.
pub fn find_ambiguous_date(s: &str) -> Option<&str> {
    let tokens = word_spans(s);
    (0..tokens.len()).find_map(|at| {
        let (_, span, ambiguous) = numeric_shape_at(s, &tokens, at)?;
        ambiguous.then(|| &s[span])
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
    if let Some(word) = tokens.get(next)
        && BEFORE_MONTH
            .iter()
            .any(|w| s[word.clone()].eq_ignore_ascii_case(w))
        && is_date_gap(&s[previous.end..word.start])
    {
        previous = word;
        next += 1;
    }
    let month_start = tokens.get(next)?.start;
    let (month, month_span) = month_at(s, tokens, &mut next)?;
    if !is_date_gap(&s[previous.end..month_start]) {
        return None;
    }
    let mut previous = month_span;
    if let Some(word) = tokens.get(next + 1)
        && BEFORE_YEAR
            .iter()
            .any(|w| s[word.clone()].eq_ignore_ascii_case(w))
        && is_date_gap(&s[previous.end..word.start])
    {
        previous = word;
        next += 1;
    }
    let year_span = tokens.get(next + 1)?;
    if !is_date_gap(&s[previous.end..year_span.start]) {
        return None;
    }
    let year = year_number(&s[year_span.clone()])?;
    Some(((year, month, day), day_span.start..year_span.end))
}

/// The month written from token `*next` on, with its last token, leaving `*next` there: a month name, or
/// the UN Arabic form of one or two words (the Levantine name), a slash and a month name
/// (`آذار/مارس`, `كانون الثاني/يناير`).
fn month_at<'t>(
    s: &str,
    tokens: &'t [Range<usize>],
    next: &mut usize,
) -> Option<(u8, &'t Range<usize>)> {
    let first = tokens.get(*next)?;
    if let Some(month) = month_number(&s[first.clone()]) {
        return Some((month, first));
    }
    for skip in 1..=2 {
        let (Some(before), Some(name)) = (tokens.get(*next + skip - 1), tokens.get(*next + skip))
        else {
            return None;
        };
        let arabic = |c: char| ('\u{0600}'..='\u{06FF}').contains(&c);
        if !s[before.clone()].chars().all(arabic) {
            return None;
        }
        let month = month_number(&s[name.clone()]);
        if s[before.end..name.start].trim() == "/"
            && let Some(month) = month
        {
            *next += skip;
            return Some((month, name));
        }
        if !s[before.end..name.start].trim().is_empty() {
            return None;
        }
    }
    None
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

/// `2024年3月6日` (or `日` written `号`), spaces allowed between the parts.
pub(super) fn cjk_date_at(
    s: &str,
    tokens: &[Range<usize>],
    at: usize,
) -> Option<(Date, Range<usize>)> {
    let (ymd, span) = cjk_shape_at(s, tokens, at)?;
    Some((checked(ymd)?, span))
}

/// A date's parts written as [`cjk_date_at`] reads them, whether or not the day exists.
fn cjk_shape_at(s: &str, tokens: &[Range<usize>], at: usize) -> Option<(Ymd, Range<usize>)> {
    let start = tokens.get(at)?.start;
    let mut rest = &s[start..];
    // Digits, then (after any spaces) one of `marks`; the number and what is left after it.
    let mut part = |max_digits: usize, marks: &[char]| -> Option<u32> {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 || digits > max_digits {
            return None;
        }
        let number = rest[..digits].parse().ok()?;
        let after = rest[digits..].trim_start();
        let mark = after.chars().next().filter(|c| marks.contains(c))?;
        rest = after[mark.len_utf8()..].trim_start();
        Some(number)
    };
    let year = part(4, &['年'])?;
    let month = part(2, &['月'])?;
    let day = part(2, &['日', '号'])?;
    if year < 1000 {
        return None;
    }
    let end = s.len() - rest.len();
    let end = s[..end].trim_end().len();
    Some((
        (
            year as i32,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        ),
        start..end,
    ))
}

/// An all-numeric date that can be read one way only: `25/03/2024` (no 25th month: day
/// first), `03/25/2024` (month first), `05/05/2024`, or year first (`2024/03/25`,
/// `2024.03.25`). The parts are joined by one `/`, `.` or `-` each, the same twice.
pub(super) fn numeric_date_at(
    s: &str,
    tokens: &[Range<usize>],
    at: usize,
) -> Option<(Date, Range<usize>)> {
    let (ymd, span, ambiguous) = numeric_shape_at(s, tokens, at)?;
    if ambiguous {
        return None;
    }
    Some((checked(ymd)?, span))
}

/// A date written in digits as [`numeric_date_at`] reads it, with whether its day and month
/// could be either way round (then the day and month given are only one reading).
fn numeric_shape_at(
    s: &str,
    tokens: &[Range<usize>],
    at: usize,
) -> Option<(Ymd, Range<usize>, bool)> {
    let [first, second, third] = tokens.get(at..at + 3)? else {
        return None;
    };
    let separator = |a: &Range<usize>, b: &Range<usize>| {
        (b.start == a.end + 1)
            .then(|| s.as_bytes()[a.end])
            .filter(|c| matches!(c, b'/' | b'.' | b'-'))
    };
    let (one, two) = (separator(first, second)?, separator(second, third)?);
    // One separator throughout; an ISO date with hyphens is `iso_date_at`'s.
    if one != two || s.as_bytes().get(third.end) == Some(&one) {
        return None;
    }
    let number = |r: &Range<usize>, digits: std::ops::RangeInclusive<usize>| {
        let t = &s[r.clone()];
        (digits.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<u32>().ok())
            .flatten()
    };
    if let (Some(year), Some(month), Some(day)) = (
        number(first, 4..=4),
        number(second, 1..=2),
        number(third, 1..=2),
    ) {
        if one == b'-' {
            return None;
        }
        let ymd = (
            year as i32,
            u8::try_from(month).ok()?,
            u8::try_from(day).ok()?,
        );
        return (year >= 1000).then_some((ymd, first.start..third.end, false));
    }
    let (a, b, year) = (
        number(first, 1..=2)?,
        number(second, 1..=2)?,
        number(third, 4..=4)?,
    );
    if year < 1000 || a == 0 || b == 0 {
        return None;
    }
    let (day, month, ambiguous) = match (a > 12, b > 12) {
        (true, false) => (a, b, false),
        (false, true) => (b, a, false),
        (false, false) => (a, b, a != b),
        (true, true) => return None,
    };
    let ymd = (
        year as i32,
        u8::try_from(month).ok()?,
        u8::try_from(day).ok()?,
    );
    Some((ymd, first.start..third.end, ambiguous))
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
    let token = western_digits(token);
    let digits_end = token
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(token.len());
    if !(1..=2).contains(&digits_end) {
        return None;
    }
    // English ordinals, the French `1er` (or with a superscript, `1ᵉʳ`) and the Spanish `1º`
    // (a header line's `1.º` is read as `1º`).
    let suffix = token[digits_end..].to_lowercase();
    if !matches!(
        suffix.as_str(),
        "" | "st" | "nd" | "rd" | "th" | "er" | "ᵉʳ" | "º"
    ) {
        return None;
    }
    let day: u8 = token[..digits_end].parse().ok()?;
    (1..=31).contains(&day).then_some(day)
}

/// `token` with Arabic-Indic digits (`٦`, and the Persian forms `۶`) as ASCII digits.
fn western_digits(token: &str) -> std::borrow::Cow<'_, str> {
    let western = |c: char| match c {
        '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10),
        '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10),
        _ => None,
    };
    if token.chars().any(|c| western(c).is_some()) {
        std::borrow::Cow::Owned(token.chars().map(|c| western(c).unwrap_or(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(token)
    }
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
    let token = western_digits(token);
    if !is_digits(&token, 4) || token.starts_with('0') {
        return None;
    }
    token.parse().ok()
}
