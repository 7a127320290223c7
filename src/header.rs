//! Statement headers: forum, session, date and speaker read from the lines above the body.
//!
//! A UN statement opens with a few short lines (body, forum, session, speaker, date) before the
//! speech itself. [`parse_header`] reads only that region, so a date or a session quoted in the
//! speech is never mistaken for the statement's own.

use crate::date::Date;
use std::ops::Range;

/// What the header of one statement says about where, when and by whom it was delivered.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HeaderFields {
    /// Short canonical forum name ("OEWG", "First Committee", "General Debate", ...), or the
    /// full header line when it names some other body.
    pub forum: Option<String>,
    /// Session label: the session number as digits, "4 (resumed)" for a resumed session.
    pub session: Option<String>,
    /// The session number alone, to order sessions that carry no date.
    pub session_number: Option<u32>,
    pub date: Option<Date>,
    /// Who the statement is by: "Paris Peace Forum", "H.E. Ms. Jane Doe".
    pub speaker: Option<String>,
    /// The group a speaker represents: "Group of 77" from "on behalf of the Group of 77".
    pub on_behalf_of: Option<String>,
}

/// The header never runs longer than this many non-blank lines.
const MAX_HEADER_LINES: usize = 15;
/// A line longer than this is a body paragraph, never a header line.
const MAX_HEADER_LINE_WORDS: usize = 40;
/// Session numbers above this are years or other numbers, not sessions.
const MAX_SESSION_NUMBER: u32 = 200;

/// Reads forum, session, date, speaker and represented group from the header of a statement.
///
/// The header region is the run of non-blank lines at the top of the text (a BOM, blank lines,
/// form feeds and markdown emphasis or heading marks are ignored) that ends before the first of:
/// a salutation line ("Thank you", "Mr. President", "Madam Chair", "Excellencies", ...), a line of
/// more than 40 words, a prose line (8 words or more, over 60% of them starting lower-case,
/// unless it opens with "Statement by" or a similar phrase), or the 16th non-blank line.
/// Every field is taken from the first header line that yields it; fields not found are `None`.
pub fn parse_header(text: &str) -> HeaderFields {
    let lines = header_lines(text);
    let (session, session_number) = match lines.iter().find_map(|line| find_session(line)) {
        Some((number, true)) => (Some(format!("{number} (resumed)")), Some(number)),
        Some((number, false)) => (Some(number.to_string()), Some(number)),
        None => (None, None),
    };
    HeaderFields {
        forum: find_forum(&lines),
        session,
        session_number,
        date: lines.iter().find_map(|line| parse_date(line)),
        speaker: find_speaker(&lines),
        on_behalf_of: lines.iter().find_map(|line| find_on_behalf_of(line)),
    }
}

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

/// Reads an English ordinal ("first" to "twentieth", "twenty-first" to "ninety-ninth", hyphen
/// or space between the parts), a numeric ordinal with its correct suffix ("1st", "2nd",
/// "3rd", "11th", "21st"), or plain digits ("7"). Case-insensitive; zero is not an ordinal.
pub fn ordinal_number(word: &str) -> Option<u32> {
    let word = word.trim().to_lowercase();
    if word.is_empty() {
        return None;
    }
    let digits_end = word
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(word.len());
    if digits_end > 0 {
        // More than nine digits would overflow u32 and is no ordinal anyway.
        if digits_end > 9 {
            return None;
        }
        let number: u32 = word[..digits_end].parse().ok()?;
        let suffix = &word[digits_end..];
        let suffix_ok = suffix.is_empty() || suffix == ordinal_suffix(number);
        return (number > 0 && suffix_ok).then_some(number);
    }
    let parts: Vec<&str> = word
        .split(|c: char| c == '-' || c.is_whitespace())
        .filter(|part| !part.is_empty())
        .collect();
    match parts.as_slice() {
        [single] => ordinal_word(single),
        [tens, unit] => {
            let tens = tens_word(tens)?;
            let unit = ordinal_word(unit).filter(|unit| *unit < 10)?;
            Some(tens + unit)
        }
        _ => None,
    }
}

/// The suffix English writes after a numeric ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st.
fn ordinal_suffix(number: u32) -> &'static str {
    match (number % 10, number % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

const ORDINAL_WORDS: [(&str, u32); 27] = [
    ("first", 1),
    ("second", 2),
    ("third", 3),
    ("fourth", 4),
    ("fifth", 5),
    ("sixth", 6),
    ("seventh", 7),
    ("eighth", 8),
    ("ninth", 9),
    ("tenth", 10),
    ("eleventh", 11),
    ("twelfth", 12),
    ("thirteenth", 13),
    ("fourteenth", 14),
    ("fifteenth", 15),
    ("sixteenth", 16),
    ("seventeenth", 17),
    ("eighteenth", 18),
    ("nineteenth", 19),
    ("twentieth", 20),
    ("thirtieth", 30),
    ("fortieth", 40),
    ("fiftieth", 50),
    ("sixtieth", 60),
    ("seventieth", 70),
    ("eightieth", 80),
    ("ninetieth", 90),
];

const TENS_WORDS: [(&str, u32); 8] = [
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
];

fn ordinal_word(word: &str) -> Option<u32> {
    ORDINAL_WORDS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, n)| *n)
}

fn tens_word(word: &str) -> Option<u32> {
    TENS_WORDS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|(_, n)| *n)
}

// ---------------------------------------------------------------------------------------------
// Header region

/// The cleaned, non-blank lines of the header region (see [`parse_header`]).
fn header_lines(text: &str) -> Vec<String> {
    let mut lines = Vec::new();
    // CR alone ends lines in some corpora; CR LF then yields an extra blank line, which is skipped.
    for raw in text.split(['\n', '\r']) {
        let line = clean_line(raw);
        if line.is_empty() {
            continue;
        }
        if is_body_start(&line) {
            break;
        }
        lines.push(line);
        if lines.len() == MAX_HEADER_LINES {
            break;
        }
    }
    lines
}

/// Strips a BOM, markdown heading/quote/emphasis marks, and collapses whitespace.
fn clean_line(raw: &str) -> String {
    let line = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let line = line.trim_start_matches(['#', '>']);
    let line = line.replace("**", "").replace("__", "");
    let line = line.trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_body_start(line: &str) -> bool {
    let words = line.split_whitespace().count();
    words > MAX_HEADER_LINE_WORDS || is_salutation(line) || is_prose(line, words)
}

const SALUTATION_PREFIXES: [&str; 14] = [
    "thank you",
    "thanks",
    "excellenc",
    "your excellenc",
    "distinguished",
    "dear ",
    "ladies and gentlemen",
    "allow me",
    "at the outset",
    "good morning",
    "good afternoon",
    "good evening",
    "chair,",
    "president,",
];

const ADDRESS_FORMS: [&str; 6] = ["mr", "madam", "madame", "mme", "ms", "mrs"];

const PRESIDING_TITLES: [&str; 9] = [
    "president",
    "chair",
    "co-chair",
    "cochair",
    "vice-chair",
    "moderator",
    "facilitator",
    "secretary-general",
    "co-facilitator",
];

/// "Thank you, Mr. Chair", "Mr. President,", "Madam Chair", "Excellencies": the body has begun.
fn is_salutation(line: &str) -> bool {
    let lower = line.to_lowercase();
    if SALUTATION_PREFIXES.iter().any(|p| lower.starts_with(p)) {
        return true;
    }
    let mut words = lower
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-'));
    match (words.next(), words.next()) {
        (Some(form), Some(title)) => {
            ADDRESS_FORMS.contains(&form)
                && PRESIDING_TITLES.iter().any(|t| title.starts_with(t))
        }
        _ => false,
    }
}

/// A sentence of running text: most words start lower-case, as headers' title-cased lines don't.
fn is_prose(line: &str, words: usize) -> bool {
    if words < 8 || find_phrase(line, &SPEAKER_INTROS).is_some() {
        return false;
    }
    let initials = line.split_whitespace().filter_map(|w| w.chars().next());
    let (mut alphabetic, mut lower) = (0usize, 0usize);
    for c in initials.filter(|c| c.is_alphabetic()) {
        alphabetic += 1;
        if c.is_lowercase() {
            lower += 1;
        }
    }
    lower * 10 > alphabetic * 6
}

// ---------------------------------------------------------------------------------------------
// Forum

/// How a header line names the forum, strongest first.
enum ForumLine {
    /// A forum with a short canonical name.
    Canonical(&'static str),
    /// Some other body, named by the whole line.
    Other,
    /// The General Assembly alone: true of almost every UN statement, so the weakest.
    GeneralAssembly,
}

const BODY_WORDS: [&str; 9] = [
    " committee ",
    " council ",
    " commission ",
    " conference ",
    " working group ",
    " group of governmental experts ",
    " summit ",
    " meeting of ",
    " board ",
];

fn find_forum(lines: &[String]) -> Option<String> {
    let mut other: Option<&String> = None;
    let mut general_assembly = false;
    for line in lines {
        match classify_forum(line) {
            Some(ForumLine::Canonical(name)) => return Some(name.to_string()),
            Some(ForumLine::Other) => {
                other.get_or_insert(line);
            }
            Some(ForumLine::GeneralAssembly) => general_assembly = true,
            None => {}
        }
    }
    other
        .cloned()
        .or_else(|| general_assembly.then(|| "General Assembly".to_string()))
}

fn classify_forum(line: &str) -> Option<ForumLine> {
    // Lower-case words between single spaces, padded, so " word " tests whole words.
    let words: Vec<String> = line
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let padded = format!(" {} ", words.join(" "));
    let open_ended = padded.contains(" open ended working group ")
        || padded.contains(" openended working group ");
    let on_ict = padded.contains(" information and communication")
        || padded.contains(" information and telecommunication")
        || padded.contains(" ict ")
        || padded.contains(" icts ");
    if (open_ended && on_ict) || padded.contains(" oewg ") {
        return Some(ForumLine::Canonical("OEWG"));
    }
    const CANONICAL: [(&str, &str); 4] = [
        (" first committee ", "First Committee"),
        (" general debate ", "General Debate"),
        (" human rights council ", "Human Rights Council"),
        (" security council ", "Security Council"),
    ];
    if let Some((_, name)) = CANONICAL.iter().find(|(key, _)| padded.contains(key)) {
        return Some(ForumLine::Canonical(name));
    }
    let is_about_speaker = find_phrase(line, &SPEAKER_INTROS).is_some()
        || find_phrase(line, &["delivered by", "on behalf of"]).is_some();
    if !is_about_speaker
        && find_date(line).is_none()
        && BODY_WORDS.iter().any(|word| padded.contains(word))
    {
        return Some(ForumLine::Other);
    }
    padded
        .contains(" general assembly ")
        .then_some(ForumLine::GeneralAssembly)
}

// ---------------------------------------------------------------------------------------------
// Session

/// Words that may sit between the ordinal and "session": "Seventh Substantive Session".
const SESSION_ADJECTIVES: [&str; 6] = [
    "substantive",
    "regular",
    "ordinary",
    "formal",
    "organizational",
    "organisational",
];

/// The session number and whether the session is a resumed one.
fn find_session(line: &str) -> Option<(u32, bool)> {
    let lower = line.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let resumed = tokens.iter().any(|t| *t == "resumed" || *t == "resumption");
    for (at, _) in tokens.iter().enumerate().filter(|(_, t)| **t == "session") {
        let mut before = at;
        while before > 0 && SESSION_ADJECTIVES.contains(&tokens[before - 1]) {
            before -= 1;
        }
        // "seventy-eighth" was split in two by the tokenizer; try the pair first.
        let two_words_before = (before >= 2)
            .then(|| ordinal_number(&format!("{} {}", tokens[before - 2], tokens[before - 1])))
            .flatten();
        let number = two_words_before
            .or_else(|| before.checked_sub(1).and_then(|b| ordinal_number(tokens[b])))
            // "Session 7"
            .or_else(|| tokens.get(at + 1).and_then(|t| ordinal_number(t)));
        if let Some(number) = number.filter(|n| *n <= MAX_SESSION_NUMBER) {
            return Some((number, resumed));
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// Speaker and represented group

/// Phrases that introduce who a statement is by.
const SPEAKER_INTROS: [&str; 9] = [
    "statement by",
    "statement of",
    "statement delivered by",
    "remarks by",
    "intervention by",
    "address by",
    "speech by",
    "presentation by",
    "contribution by",
];

/// Where a name stops: the deliverer, the group, an apposition, a venue.
const NAME_STOPS: [&str; 14] = [
    " delivered by",
    " on behalf of",
    " at the ",
    " during the ",
    " to the ",
    ",",
    ";",
    ":",
    "(",
    " - ",
    " \u{2013} ",
    " \u{2014} ",
    " | ",
    " / ",
];

/// Words left dangling before a date that was cut off: "France on 6 March 2024".
const DANGLING_WORDS: [&str; 4] = ["on", "of", "dated", "delivered"];

fn find_speaker(lines: &[String]) -> Option<String> {
    for (index, line) in lines.iter().enumerate() {
        let Some(rest) = find_phrase(line, &SPEAKER_INTROS).map(|at| &line[at..]) else {
            continue;
        };
        if let Some(name) = name_at_start(rest) {
            return Some(name);
        }
        // "Statement by" alone on its line: the name follows on the next one.
        if rest.trim_matches(|c: char| c == ':' || c.is_whitespace()).is_empty() {
            return lines.get(index + 1).and_then(|next| name_at_start(next));
        }
    }
    // No "Statement by": the one delivering it is the best we have.
    lines.iter().find_map(|line| {
        find_phrase(line, &["delivered by"]).and_then(|at| name_at_start(&line[at..]))
    })
}

fn find_on_behalf_of(line: &str) -> Option<String> {
    find_phrase(line, &["on behalf of"]).and_then(|at| name_at_start(&line[at..]))
}

/// The name at the start of `text`: a leading "the" dropped, cut at the first stop or date.
fn name_at_start(text: &str) -> Option<String> {
    let text = text.trim_start_matches(|c: char| c == ':' || c.is_whitespace());
    let text = match text.get(..4) {
        Some(article) if article.eq_ignore_ascii_case("the ") => &text[4..],
        _ => text,
    };
    let lower = text.to_ascii_lowercase();
    let mut end = NAME_STOPS
        .iter()
        .filter_map(|stop| lower.find(stop))
        .min()
        .unwrap_or(text.len());
    if let Some((_, span)) = find_date(text) {
        end = end.min(span.start);
    }
    let mut name = text[..end].trim();
    while let Some((head, last)) = name.rsplit_once(' ') {
        if !DANGLING_WORDS.contains(&last.to_ascii_lowercase().as_str()) {
            break;
        }
        name = head.trim_end();
    }
    // "France." loses its full stop; "H.E." and "Jr." keep theirs.
    if let Some(stem) = name.strip_suffix('.') {
        let last_word = stem.rsplit(' ').next().unwrap_or(stem);
        if last_word.chars().count() > 3 && !last_word.contains('.') {
            name = stem;
        }
    }
    name.chars()
        .any(char::is_alphabetic)
        .then(|| name.to_string())
}

/// Byte offset just past the earliest whole-phrase, case-insensitive match of any of `phrases`.
fn find_phrase(line: &str, phrases: &[&str]) -> Option<usize> {
    // ASCII lower-casing keeps byte offsets, so they index `line` as well.
    let lower = line.to_ascii_lowercase();
    phrases
        .iter()
        .filter_map(|phrase| {
            lower.match_indices(phrase).find_map(|(start, _)| {
                let end = start + phrase.len();
                let starts_word = lower[..start]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let ends_word = lower[end..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                (starts_word && ends_word).then_some((start, end))
            })
        })
        .min()
        .map(|(_, end)| end)
}

// ---------------------------------------------------------------------------------------------
// Dates

const MONTHS: [(&str, u8); 24] = [
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
fn find_date(s: &str) -> Option<(Date, Range<usize>)> {
    let tokens = word_spans(s);
    (0..tokens.len()).find_map(|at| {
        iso_date_at(s, &tokens, at)
            .or_else(|| day_month_year_at(s, &tokens, at))
            .or_else(|| month_day_year_at(s, &tokens, at))
    })
}

/// Byte ranges of the maximal alphanumeric runs of `s`.
fn word_spans(s: &str) -> Vec<Range<usize>> {
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

fn is_digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

/// `2024-03-06`, the parts joined by single hyphens.
fn iso_date_at(s: &str, tokens: &[Range<usize>], at: usize) -> Option<(Date, Range<usize>)> {
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
    let date = Date::parse_iso(&s[year.start..day.end])?;
    Some((date, year.start..day.end))
}

/// `6 March 2024`, `6th of March, 2024`, `6 Mar. 2024`.
fn day_month_year_at(s: &str, tokens: &[Range<usize>], at: usize) -> Option<(Date, Range<usize>)> {
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
    let date = Date::new(year, month, day)?;
    Some((date, day_span.start..year_span.end))
}

/// `March 6, 2024`, `March 6th 2024`.
fn month_day_year_at(s: &str, tokens: &[Range<usize>], at: usize) -> Option<(Date, Range<usize>)> {
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
    let date = Date::new(year, month, day)?;
    Some((date, month_span.start..year_span.end))
}

/// Between the parts of a written date: spaces with at most one comma or full stop.
fn is_date_gap(gap: &str) -> bool {
    let punctuation = gap.chars().filter(|c| *c == ',' || *c == '.').count();
    !gap.is_empty()
        && punctuation <= 1
        && gap
            .chars()
            .all(|c| c.is_whitespace() || c == ',' || c == '.')
}

/// "6", "06", "6th", "21st": a day of the month, 1 to 31.
fn day_number(token: &str) -> Option<u8> {
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

fn month_number(token: &str) -> Option<u8> {
    let lower = token.to_lowercase();
    MONTHS
        .iter()
        .find(|(name, _)| *name == lower)
        .map(|(_, n)| *n)
}

/// A four-digit year from 1000 on.
fn year_number(token: &str) -> Option<i32> {
    if !is_digits(token, 4) || token.starts_with('0') {
        return None;
    }
    token.parse().ok()
}
