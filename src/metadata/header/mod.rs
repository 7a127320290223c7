//! Statement headers: forum, session, date and speaker read from the lines above the body.
//!
//! A UN statement opens with a few short lines (organ, forum, session, speaker, date) before
//! the speech itself. [`parse_header`] reads only that region, so a date or a session quoted in the
//! speech is never mistaken for the statement's own.

use crate::metadata::date::Date;
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
/// form feeds and markdown emphasis or heading marks are ignored), at most 15 of them, that
/// ends before the first body line. A body line is:
/// - a salutation ("Thank you", "Mr. President", "Madam Chair", "Excellencies", ...);
/// - a line of more than 40 words, or a sentence opening "On <date>";
/// - unless it opens like a heading ("Statement by", "Open-ended working group",
///   "Fourth session ..."): a prose line (8 words or more, over 60% of them starting
///   lower-case), a line ending on "the", "of", "to", ... or a hyphen (hard-wrapped prose),
///   a line in the first person ("I wish", "my delegation", "we"), or a line starting
///   lower-case right under a non-heading line.
///
/// A prose body line also takes the non-heading, undated lines just above it in the same
/// block with it, since those are the start of its sentence: UN General Debate speeches open
/// "On behalf of the Dominican / Republic and ... I offer".
///
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
    // CR LF, LF and a lone CR (some corpora) all end a line.
    let raw_lines = text
        .split('\n')
        .flat_map(|line| line.strip_suffix('\r').unwrap_or(line).split('\r'))
        .map(clean_line);
    let mut lines: Vec<String> = Vec::new();
    // Index in `lines` where the current block of unbroken lines began.
    let mut block_start = 0;
    let mut previous_blank = true;
    for line in raw_lines {
        if line.is_empty() {
            block_start = lines.len();
            previous_blank = true;
            continue;
        }
        if is_salutation(&line) {
            break;
        }
        let continues_sentence = !previous_blank
            && line.starts_with(char::is_lowercase)
            && lines.last().is_some_and(|previous| !is_heading(previous));
        if continues_sentence || is_prose_like(&line) {
            // The lines this sentence was wrapped from are body too: "On behalf of the" / "Dominican ...".
            while lines.len() > block_start
                && lines
                    .last()
                    .is_some_and(|last| !is_heading(last) && find_date(last).is_none())
            {
                lines.pop();
            }
            break;
        }
        previous_blank = false;
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

/// Whether `line` reads as a sentence of the body: see [`parse_header`] for the signs.
fn is_prose_like(line: &str) -> bool {
    let words = line.split_whitespace().count();
    words > MAX_HEADER_LINE_WORDS
        || is_dated_sentence(line)
        || (!is_heading(line)
            && (is_prose(line, words) || is_wrapped_sentence(line) || speaks_in_first_person(line)))
}

/// "I wish", "my delegation", "we": headers name speakers in the third person.
fn speaks_in_first_person(line: &str) -> bool {
    let words: Vec<&str> = line
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    words.iter().enumerate().any(|(at, word)| {
        // Capital "US" is the United States and a lone "I" may be a Roman numeral.
        FIRST_PERSON.contains(&word.to_lowercase().as_str()) && *word != "US"
            || *word == "I"
                && words
                    .get(at + 1)
                    .is_some_and(|next| next.starts_with(char::is_lowercase))
    })
}

const FIRST_PERSON: [&str; 7] = ["me", "my", "we", "us", "our", "myself", "ourselves"];

/// Lines that open like a heading stay in the header even when sentence-cased or wrapped:
/// a forum name, "<ordinal> session", or "Statement by" within the first few words.
fn is_heading(line: &str) -> bool {
    let intro_near_start = find_phrase_span(line, &SPEAKER_INTROS)
        .is_some_and(|span| line[..span.start].split_whitespace().count() <= 3);
    intro_near_start || starts_like_heading(line)
}

/// "On 21 September 1981 Belize joined ...": headers give a date bare, not after a preposition.
fn is_dated_sentence(line: &str) -> bool {
    let Some((first, rest)) = line.split_once(' ') else {
        return false;
    };
    ["on", "in", "at", "since", "by", "from", "until"].contains(&first.to_lowercase().as_str())
        && find_date(rest).is_some_and(|(_, span)| span.start == 0)
}

/// Words a heading never ends on but a hard-wrapped sentence often does.
const CONTINUING_WORDS: [&str; 22] = [
    "the", "a", "an", "of", "to", "and", "in", "for", "that", "is", "are", "was", "were", "has",
    "have", "with", "by", "at", "as", "from", "its", "which",
];

/// "On behalf of the" / "people and Government of ...": a sentence broken across lines.
fn is_wrapped_sentence(line: &str) -> bool {
    let last = line.rsplit(' ').next().unwrap_or(line);
    (CONTINUING_WORDS.contains(&last) || last.ends_with('-')) && !is_heading(line)
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

const PRESIDING_TITLES: [&str; 10] = [
    "president",
    "chair",
    "co-chair",
    "cochair",
    "vice-chair",
    "vice-president",
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
            ADDRESS_FORMS.contains(&form) && PRESIDING_TITLES.iter().any(|t| title.starts_with(t))
        }
        _ => false,
    }
}

/// How sentence-case header lines begin: "Open-ended working group on ...", "Statement by ...".
const HEADING_STARTS: [&str; 14] = [
    "open-ended",
    "open ended",
    "openended",
    "oewg",
    "united nations",
    "general assembly",
    "general debate",
    "first committee",
    "human rights council",
    "security council",
    "conference on",
    "working group",
    "resumed",
    "delivered by",
];

/// A sentence of running text: most words start lower-case, as headers' title-cased lines don't.
/// Sentence-case heading lines ("Open-ended working group on ...") are recognised by how they begin.
fn is_prose(line: &str, words: usize) -> bool {
    if words < 8 || is_heading(line) {
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

/// Opens with a forum name, a speaker phrase, or "<ordinal> [substantive] session".
fn starts_like_heading(line: &str) -> bool {
    let lower = line.to_lowercase();
    if HEADING_STARTS.iter().any(|start| lower.starts_with(start)) {
        return true;
    }
    let mut words = lower.split_whitespace();
    words.next().and_then(ordinal_number).is_some()
        && words.take(3).any(|w| w.starts_with("session"))
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
    let mut other: Option<String> = None;
    let mut general_assembly = false;
    for (index, line) in lines.iter().enumerate() {
        // A forum name wrapped onto a second line: "... in the use of" / "information and ...".
        let wrapped = line
            .rsplit(' ')
            .next()
            .is_some_and(|last| CONTINUING_WORDS.contains(&last));
        let line = match lines.get(index + 1) {
            Some(next) if wrapped || next.starts_with(char::is_lowercase) => {
                format!("{line} {next}")
            }
            _ => line.clone(),
        };
        match classify_forum(&line) {
            Some(ForumLine::Canonical(name)) => return Some(name.to_string()),
            Some(ForumLine::Other) => {
                other.get_or_insert(line);
            }
            Some(ForumLine::GeneralAssembly) => general_assembly = true,
            None => {}
        }
    }
    other.or_else(|| general_assembly.then(|| "General Assembly".to_string()))
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
            .or_else(|| {
                before
                    .checked_sub(1)
                    .and_then(|b| ordinal_number(tokens[b]))
            })
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
        if rest
            .trim_matches(|c: char| c == ':' || c.is_whitespace())
            .is_empty()
        {
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
        _ if text.eq_ignore_ascii_case("the") => "",
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
    find_phrase_span(line, phrases).map(|span| span.end)
}

/// Byte range of the earliest whole-phrase, case-insensitive match of any of `phrases`.
fn find_phrase_span(line: &str, phrases: &[&str]) -> Option<Range<usize>> {
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
        .map(|(start, end)| start..end)
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::path::PathBuf;

    fn iso(s: &str) -> Date {
        Date::parse_iso(s).expect("test dates are valid ISO dates")
    }

    /// text, forum, session label, session number, date, speaker, on behalf of.
    type Case = (
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<u32>,
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    );

    const HEADER_CASES: &[Case] = &[
        // The 2024 seed's shape: speaker and date on one line, date in the body too.
        (
            "\n\n\n\nUnited Nations General Assembly\n\nOpen-Ended Working Group on Security of and in the Use of Information and Communications Technologies 2021-2025\n\nSeventh Substantive Session\n\nStatement by the Paris Peace Forum Delivered by Jerome Barbier, Head of Outer Space, Digital and Economic Issues 6 March 2024\n\nThank you, Mr. Chair, on 7 March 2024 we met.\n",
            Some("OEWG"),
            Some("7"),
            Some(7),
            Some("2024-03-06"),
            Some("Paris Peace Forum"),
            None,
        ),
        // The 2023 seed's shape: BOM, markdown bold across two lines, date on its own line.
        (
            "\u{feff}\n\nUnited Nations General Assembly\n\nOpen-ended working group on information and communications technologies\n\n5th Substantive Session - Dedicated stakeholder segment\n\n**Statement by the Paris Peace Forum\nDelivered by Jerome Barbier, Head of Outer Space**\n\n26 July 2023\n\nThank you, Mr. Chairman,\n",
            Some("OEWG"),
            Some("5"),
            Some(5),
            Some("2023-07-26"),
            Some("Paris Peace Forum"),
            None,
        ),
        (
            "OEWG\nEighth session\nStatement by Japan",
            Some("OEWG"),
            Some("8"),
            Some(8),
            None,
            Some("Japan"),
            None,
        ),
        (
            "OEWG\nResumed fourth session\nStatement by Japan",
            Some("OEWG"),
            Some("4 (resumed)"),
            Some(4),
            None,
            Some("Japan"),
            None,
        ),
        (
            "OEWG\nFourth substantive session (resumed)\n",
            Some("OEWG"),
            Some("4 (resumed)"),
            Some(4),
            None,
            None,
            None,
        ),
        (
            "78th session of the General Assembly\nStatement by Chile",
            Some("General Assembly"),
            Some("78"),
            Some(78),
            None,
            Some("Chile"),
            None,
        ),
        (
            "Open-Ended Working Group on ICTs\nSession 7\n",
            Some("OEWG"),
            Some("7"),
            Some(7),
            None,
            None,
            None,
        ),
        (
            "General Assembly\nseventy-eighth session\n",
            Some("General Assembly"),
            Some("78"),
            Some(78),
            None,
            None,
            None,
        ),
        (
            "General Assembly\nSeventy eighth session\n",
            Some("General Assembly"),
            Some("78"),
            Some(78),
            None,
            None,
            None,
        ),
        (
            "OEWG\nTwenty-first session\n",
            Some("OEWG"),
            Some("21"),
            Some(21),
            None,
            None,
            None,
        ),
        (
            "OEWG on ICTs \u{2013} 6th substantive session",
            Some("OEWG"),
            Some("6"),
            Some(6),
            None,
            None,
            None,
        ),
        (
            "General Debate of the 79th session\nStatement by H.E. Mr. John Smith, Prime Minister of Ruritania\n24 September 2024\n",
            Some("General Debate"),
            Some("79"),
            Some(79),
            Some("2024-09-24"),
            Some("H.E. Mr. John Smith"),
            None,
        ),
        (
            "First Committee\nSeventy-ninth session\nThematic discussion: cyber\nStatement by Ms. Ana Lopez, on behalf of the European Union\n14 October 2024\n",
            Some("First Committee"),
            Some("79"),
            Some(79),
            Some("2024-10-14"),
            Some("Ms. Ana Lopez"),
            Some("European Union"),
        ),
        (
            "United Nations General Assembly\nStatement by H.E. Ms. Jane Doe, Permanent Representative of X, on behalf of the Group of 77\nNew York, 3 October 2023\n",
            Some("General Assembly"),
            None,
            None,
            Some("2023-10-03"),
            Some("H.E. Ms. Jane Doe"),
            Some("Group of 77"),
        ),
        (
            "Statement by Cuba on behalf of the Group of 77 and China",
            None,
            None,
            None,
            None,
            Some("Cuba"),
            Some("Group of 77 and China"),
        ),
        (
            "Statement by Indonesia on behalf of ASEAN",
            None,
            None,
            None,
            None,
            Some("Indonesia"),
            Some("ASEAN"),
        ),
        (
            "Statement on behalf of the Nordic countries\n",
            None,
            None,
            None,
            None,
            None,
            Some("Nordic countries"),
        ),
        (
            "Human Rights Council\n55th session\nStatement by Amnesty International\n6 March 2024\n",
            Some("Human Rights Council"),
            Some("55"),
            Some(55),
            Some("2024-03-06"),
            Some("Amnesty International"),
            None,
        ),
        (
            "Security Council\nOpen debate on cyber security\nStatement delivered by France\n",
            Some("Security Council"),
            None,
            None,
            None,
            Some("France"),
            None,
        ),
        (
            "Statement by Peru\nMarch 6, 2024",
            None,
            None,
            None,
            Some("2024-03-06"),
            Some("Peru"),
            None,
        ),
        (
            "Statement by Peru\n2024-03-06",
            None,
            None,
            None,
            Some("2024-03-06"),
            Some("Peru"),
            None,
        ),
        (
            "Statement by Peru\n6th of March 2024",
            None,
            None,
            None,
            Some("2024-03-06"),
            Some("Peru"),
            None,
        ),
        (
            "Statement by Peru\n6th March, 2024",
            None,
            None,
            None,
            Some("2024-03-06"),
            Some("Peru"),
            None,
        ),
        (
            "Statement by Peru\nWednesday, 6 March 2024",
            None,
            None,
            None,
            Some("2024-03-06"),
            Some("Peru"),
            None,
        ),
        (
            "Statement by Peru\nGeneva, 6 Mar. 2024",
            None,
            None,
            None,
            Some("2024-03-06"),
            Some("Peru"),
            None,
        ),
        // Numeric day-month dates are ambiguous and are not guessed.
        (
            "Statement by Peru\n06.03.2024",
            None,
            None,
            None,
            None,
            Some("Peru"),
            None,
        ),
        (
            "Statement by Peru\n6/3/2024",
            None,
            None,
            None,
            None,
            Some("Peru"),
            None,
        ),
        (
            "Statement by Mexico on 6 March 2024",
            None,
            None,
            None,
            Some("2024-03-06"),
            Some("Mexico"),
            None,
        ),
        // A date in the body is not the statement's date.
        (
            "Statement by Chile\n\nThank you, Madam Chair. On 6 March 2024 we agreed.\n",
            None,
            None,
            None,
            None,
            Some("Chile"),
            None,
        ),
        (
            "Statement by Chile\n\nWe met here on 6 March 2024 to discuss the future of our common work in this group.\n",
            None,
            None,
            None,
            None,
            Some("Chile"),
            None,
        ),
        (
            "OEWG\nMadam Chair,\nEighth session\n6 March 2024",
            Some("OEWG"),
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "OEWG\nMr. President, the eighth session\n",
            Some("OEWG"),
            None,
            None,
            None,
            None,
            None,
        ),
        // UN General Debate files have no header at all.
        (
            "\u{feff}Allow me, first of all, Sir, to congratulate you on your election at the forty-fifth session on 6 March 1990.",
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "May I also take this opportunity to extend to\nthe Secretary-General our thanks for the forty-fifth session of the\nAssembly on behalf of the people of Ruritania",
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "On behalf of the Dominican\nRepublic and its Constitutional President, Mr. Joaquin\nBalaguer, I offer to the President of the General Assembly\nat its forty-ninth session, on 6 March 1994",
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "Statement by Ms. Eva Berg\nOn behalf of the Nordic-Baltic Eight\n6 March 2024\nWe welcome the report.",
            None,
            None,
            None,
            Some("2024-03-06"),
            Some("Ms. Eva Berg"),
            Some("Nordic-Baltic Eight"),
        ),
        (
            "Open-ended working group on security of and in the use of\ninformation and communications technologies\nEighth substantive session\nStatement by Canada",
            Some("OEWG"),
            Some("8"),
            Some(8),
            None,
            Some("Canada"),
            None,
        ),
        (
            "# Statement by Brazil\n## Eighth session\n",
            None,
            Some("8"),
            Some(8),
            None,
            Some("Brazil"),
            None,
        ),
        (
            "Statement by\nH.E. Ambassador Maria Santos\n",
            None,
            None,
            None,
            None,
            Some("H.E. Ambassador Maria Santos"),
            None,
        ),
        (
            "Open-ended Working Group on Reducing Space Threats\nSecond session\n",
            Some("Open-ended Working Group on Reducing Space Threats"),
            Some("2"),
            Some(2),
            None,
            None,
            None,
        ),
        (
            "Conference on Disarmament\nStatement by Egypt",
            Some("Conference on Disarmament"),
            None,
            None,
            None,
            Some("Egypt"),
            None,
        ),
        (
            "United Nations General Assembly\nSixth Committee\n",
            Some("Sixth Committee"),
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "Open-Ended Working Group on Security of and in the Use of Information and Communications Technologies 2021-2025\nStatement by Estonia",
            Some("OEWG"),
            None,
            None,
            None,
            Some("Estonia"),
            None,
        ),
        (
            "OEWG\r\rEighth session\r\n\r\nStatement by Japan\r",
            Some("OEWG"),
            Some("8"),
            Some(8),
            None,
            Some("Japan"),
            None,
        ),
        (
            "Remarks by the Secretary-General",
            None,
            None,
            None,
            None,
            Some("Secretary-General"),
            None,
        ),
        (
            "Statement by France.",
            None,
            None,
            None,
            None,
            Some("France"),
            None,
        ),
        (
            "Statement by the Kingdom of the Netherlands at the eighth session of the open-ended working group on security of and in the use of ICTs",
            Some("OEWG"),
            Some("8"),
            Some(8),
            None,
            Some("Kingdom of the Netherlands"),
            None,
        ),
        (
            "OEWG\nDelivered by Ambassador Lee Min, Deputy Permanent Representative",
            Some("OEWG"),
            None,
            None,
            None,
            Some("Ambassador Lee Min"),
            None,
        ),
        (
            "Fourth substantive session of the open-ended working group on security of and in the use of ICTs\nStatement by Kenya",
            Some("OEWG"),
            Some("4"),
            Some(4),
            None,
            Some("Kenya"),
            None,
        ),
        (
            "OEWG\nThe 2024 session\n",
            Some("OEWG"),
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "Statement by Ghana\n\u{c}\n31 April 2024\n1 May 2024",
            None,
            None,
            None,
            Some("2024-05-01"),
            Some("Ghana"),
            None,
        ),
    ];

    #[test]
    fn header_shapes() {
        assert!(HEADER_CASES.len() >= 35);
        for (text, forum, session, number, date, speaker, behalf) in HEADER_CASES {
            let expected = HeaderFields {
                forum: forum.map(str::to_string),
                session: session.map(str::to_string),
                session_number: *number,
                date: date.map(iso),
                speaker: speaker.map(str::to_string),
                on_behalf_of: behalf.map(str::to_string),
            };
            assert_eq!(parse_header(text), expected, "header {text:?}");
        }
    }

    #[test]
    fn header_too_long_is_cut() {
        let filler = "Some short line\n".repeat(MAX_HEADER_LINES);
        let text = format!("{filler}Eighth session\n");
        assert_eq!(parse_header(&text).session, None);
        let text = format!(
            "{}Eighth session\n",
            "Some short line\n".repeat(MAX_HEADER_LINES - 1)
        );
        assert_eq!(parse_header(&text).session.as_deref(), Some("8"));
    }

    const ORDINAL_WORDS_IN_ORDER: [&str; 20] = [
        "First",
        "Second",
        "Third",
        "Fourth",
        "Fifth",
        "Sixth",
        "Seventh",
        "Eighth",
        "Ninth",
        "Tenth",
        "Eleventh",
        "Twelfth",
        "Thirteenth",
        "Fourteenth",
        "Fifteenth",
        "Sixteenth",
        "Seventeenth",
        "Eighteenth",
        "Nineteenth",
        "Twentieth",
    ];

    #[test]
    fn session_ordinal_words_first_to_twentieth() {
        for (word, number) in ORDINAL_WORDS_IN_ORDER.iter().zip(1u32..) {
            let fields = parse_header(&format!(
                "OEWG\n{word} Substantive Session\nStatement by Kenya"
            ));
            assert_eq!(fields.session_number, Some(number), "{word}");
            assert_eq!(fields.session, Some(number.to_string()), "{word}");
        }
    }

    #[test]
    fn ordinal_numbers() {
        let cases: &[(&str, Option<u32>)] = &[
            ("first", Some(1)),
            ("TWENTIETH", Some(20)),
            ("twenty-first", Some(21)),
            ("twenty first", Some(21)),
            ("Seventy-Eighth", Some(78)),
            ("ninety-ninth", Some(99)),
            ("thirtieth", Some(30)),
            ("1st", Some(1)),
            ("2nd", Some(2)),
            ("3rd", Some(3)),
            ("5th", Some(5)),
            ("11th", Some(11)),
            ("12th", Some(12)),
            ("21st", Some(21)),
            ("78TH", Some(78)),
            ("7", Some(7)),
            (" 7 ", Some(7)),
            ("0", None),
            ("0th", None),
            ("21th", None),
            ("11st", None),
            ("twenty", None),
            ("twenty-tenth", None),
            ("first-twenty", None),
            ("seventh,", None),
            ("", None),
            ("99999999999", None),
            ("session", None),
        ];
        for (word, expected) in cases {
            assert_eq!(ordinal_number(word), *expected, "{word:?}");
        }
    }

    #[test]
    fn date_forms() {
        let cases: &[(&str, Option<&str>)] = &[
            ("6 March 2024", Some("2024-03-06")),
            ("26 July 2023", Some("2023-07-26")),
            ("March 6, 2024", Some("2024-03-06")),
            ("march 6th 2024", Some("2024-03-06")),
            ("2024-03-06", Some("2024-03-06")),
            ("6th of March 2024", Some("2024-03-06")),
            ("6th March, 2024", Some("2024-03-06")),
            ("Wednesday, 6 March 2024", Some("2024-03-06")),
            ("6 Mar. 2024", Some("2024-03-06")),
            ("6 Sept 2024", Some("2024-09-06")),
            ("29 February 2024", Some("2024-02-29")),
            ("Issues 6 March 2024", Some("2024-03-06")),
            ("from 1 May 2024 to 6 May 2024", Some("2024-05-01")),
            ("06.03.2024", None),
            ("6/3/2024", None),
            ("March 2024", None),
            ("29 February 2023", None),
            ("32 March 2024", None),
            ("6 Marc 2024", None),
            ("6 March 24", None),
            ("6-March-2024", None),
            ("6 March, , 2024", None),
            ("2021-2025", None),
            ("2024-3-6", None),
            ("2024-13-06", None),
            ("", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_date(text), expected.map(iso), "{text:?}");
        }
    }

    fn seeds_dir() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds")
    }

    #[test]
    fn real_seed_headers() {
        let dir = seeds_dir();
        if !dir.is_dir() {
            eprintln!("skipping real_seed_headers: {} is absent", dir.display());
            return;
        }
        let cases = [
            (
                "2023-07-26_oewg-session-5_paris-peace-forum.txt",
                "5",
                5,
                "2023-07-26",
            ),
            (
                "2024-03-06_oewg-session-7_paris-peace-forum.txt",
                "7",
                7,
                "2024-03-06",
            ),
        ];
        for (file, session, number, date) in cases {
            let text =
                std::fs::read_to_string(dir.join(file)).expect("seed file is readable UTF-8");
            let fields = parse_header(&text);
            assert_eq!(fields.forum.as_deref(), Some("OEWG"), "{file}");
            assert_eq!(fields.session.as_deref(), Some(session), "{file}");
            assert_eq!(fields.session_number, Some(number), "{file}");
            assert_eq!(fields.date, Some(iso(date)), "{file}");
            assert_eq!(
                fields.speaker.as_deref(),
                Some("Paris Peace Forum"),
                "{file}"
            );
            assert_eq!(fields.on_behalf_of, None, "{file}");
        }
    }

    /// UN General Debate speeches open straight into the speech: nothing in them is a header.
    #[test]
    fn general_debate_speeches_yield_no_header_fields() {
        let dir =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora/ungdc-1990-2004");
        let Ok(entries) = std::fs::read_dir(&dir) else {
            eprintln!(
                "skipping general_debate_speeches_yield_no_header_fields: {} is absent",
                dir.display()
            );
            return;
        };
        let mut checked = 0;
        let mut misread = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "txt") {
                continue;
            }
            let bytes = std::fs::read(&path).expect("corpus file is readable");
            let fields = parse_header(&String::from_utf8_lossy(&bytes));
            let found = (
                fields.session.clone(),
                fields.date,
                fields.speaker.clone(),
                fields.on_behalf_of.clone(),
            );
            if found != (None, None, None, None) {
                misread.push(format!("{}: {found:?}", path.display()));
            }
            checked += 1;
        }
        assert!(checked > 0, "no .txt files in {}", dir.display());
        assert!(
            misread.is_empty(),
            "{} files misread:\n{}",
            misread.len(),
            misread.join("\n")
        );
    }

    const MONTH_NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];

    proptest! {
        #[test]
        fn parse_header_never_panics(text in any::<String>()) {
            let _ = parse_header(&text);
        }

        #[test]
        fn parse_header_never_panics_on_header_like_text(
            text in "(\u{feff}|\\*\\*|Statement by |on behalf of |the |[0-9]{1,4}(st|th)? |session |[A-Za-z]{1,9}|[ ,.:\n\r-]|\u{2013}|é){0,40}"
        ) {
            let _ = parse_header(&text);
        }

        #[test]
        fn parse_date_never_panics(text in any::<String>()) {
            let _ = parse_date(&text);
        }

        #[test]
        fn written_dates_round_trip(year in 1000i32..=9999, month in 1u8..=12, day in 1u8..=31, prefix in "[A-Za-z ,]{0,12}") {
            if let Some(date) = Date::new(year, month, day) {
                let name = MONTH_NAMES[usize::from(month - 1)];
                prop_assert_eq!(parse_date(&format!("{prefix} {day} {name} {year}")), Some(date));
                prop_assert_eq!(parse_date(&format!("{name} {day}, {year}")), Some(date));
                prop_assert_eq!(parse_date(&date.to_string()), Some(date));
            }
        }
    }
}
