//! The header region: which lines at the top of a statement are header, and where the body begins.

use super::*;

/// The cleaned, non-blank lines of the header region (see [`parse_header`]), with the 1-based
/// line of `text` each comes from.
pub(super) fn header_lines(text: &str) -> (Vec<String>, Vec<usize>) {
    let mut lines: Vec<String> = Vec::new();
    let mut numbers: Vec<usize> = Vec::new();
    // Index in `lines` where the current block of unbroken lines began.
    let mut block_start = 0;
    let mut previous_blank = true;
    for (number, line) in raw_lines(text).map(clean_line).enumerate() {
        let number = number + 1;
        if line.is_empty() {
            block_start = lines.len();
            previous_blank = true;
            continue;
        }
        if is_salutation(&line) {
            break;
        }
        // A short dated line is a header's date line, even when it opens in lower case as
        // French, Spanish and Russian write weekdays ("mercredi 6 mars 2024", "le 2 juin").
        let dated_line = line.split_whitespace().count() <= 8 && find_date(&line).is_some();
        let continues_sentence = !previous_blank
            && !dated_line
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
                numbers.pop();
            }
            break;
        }
        previous_blank = false;
        lines.push(line);
        numbers.push(number);
        if lines.len() == MAX_HEADER_LINES {
            break;
        }
    }
    (lines, numbers)
}

/// The lines of `text`: CR LF, LF and a lone CR (some corpora) all end a line.
pub fn raw_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split('\n')
        .flat_map(|line| line.strip_suffix('\r').unwrap_or(line).split('\r'))
}

/// Strips a BOM, markdown heading/quote/emphasis marks, and collapses whitespace.
pub(super) fn clean_line(raw: &str) -> String {
    let line = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let line = line.trim_start_matches(['#', '>']);
    let line = line.replace("**", "").replace("__", "");
    let line = line.trim_matches(|c: char| c == '*' || c == '_' || c.is_whitespace());
    // Tatweel (ـ) only stretches Arabic letters for display: "الســابعة" is "السابعة".
    let line = line.replace('\u{0640}', "");
    let line = spanish_ordinals(&line);
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The Spanish ordinal written with a full stop, "7.º" or "1.ª", as "7º" and "1ª".
fn spanish_ordinals(line: &str) -> std::borrow::Cow<'_, str> {
    if !line.contains(['º', 'ª']) {
        return std::borrow::Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    let mut previous = None;
    while let Some(c) = chars.next() {
        let ordinal_stop = c == '.'
            && previous.is_some_and(|p: char| p.is_ascii_digit())
            && chars.peek().is_some_and(|n| matches!(n, 'º' | 'ª'));
        if !ordinal_stop {
            out.push(c);
        }
        previous = Some(c);
    }
    std::borrow::Cow::Owned(out)
}

/// Whether `line` reads as a sentence of the body: see [`parse_header`] for the signs.
pub(super) fn is_prose_like(line: &str) -> bool {
    let words = line.split_whitespace().count();
    words > MAX_HEADER_LINE_WORDS
        || line.chars().count() > MAX_HEADER_LINE_CHARS
        || is_dated_sentence(line)
        || (!is_heading(line)
            && (is_prose(line, words) || is_wrapped_sentence(line) || speaks_in_first_person(line)))
}

/// "I wish", "my delegation", "we": headers name speakers in the third person.
pub(super) fn speaks_in_first_person(line: &str) -> bool {
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

pub(super) const FIRST_PERSON: [&str; 7] = ["me", "my", "we", "us", "our", "myself", "ourselves"];

/// Lines that open like a heading stay in the header even when sentence-cased or wrapped:
/// a forum name, "<ordinal> session", or "Statement by" after at most three capitalised
/// words ("Joint Statement by", "Closing remarks by"). "I begin my remarks by extending ..."
/// is the speech itself: words before the intro that start lower-case or speak in the first
/// person make it a sentence.
pub(super) fn is_heading(line: &str) -> bool {
    let intro_near_start = find_phrase_span(line, &SPEAKER_INTROS).is_some_and(|span| {
        let before: Vec<&str> = line[..span.start].split_whitespace().collect();
        before.len() <= 3
            && before.iter().all(|word| {
                !word.starts_with(char::is_lowercase)
                    && *word != "I"
                    && !FIRST_PERSON.contains(&word.to_lowercase().as_str())
            })
    });
    intro_near_start || starts_like_heading(line)
}

/// "On 21 September 1981 Belize joined ...": headers give a date bare, not after a preposition.
pub(super) fn is_dated_sentence(line: &str) -> bool {
    let Some((first, rest)) = line.split_once(' ') else {
        return false;
    };
    ["on", "in", "at", "since", "by", "from", "until"].contains(&first.to_lowercase().as_str())
        && find_date(rest).is_some_and(|(_, span)| span.start == 0)
}

/// Words a heading never ends on but a hard-wrapped sentence often does.
pub(super) const CONTINUING_WORDS: [&str; 22] = [
    "the", "a", "an", "of", "to", "and", "in", "for", "that", "is", "are", "was", "were", "has",
    "have", "with", "by", "at", "as", "from", "its", "which",
];

/// "On behalf of the" / "people and Government of ...": a sentence broken across lines.
pub(super) fn is_wrapped_sentence(line: &str) -> bool {
    let last = line.rsplit(' ').next().unwrap_or(line);
    (CONTINUING_WORDS.contains(&last) || last.ends_with('-')) && !is_heading(line)
}

pub(super) const SALUTATION_PREFIXES: [&str; 14] = [
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

pub(super) const ADDRESS_FORMS: [&str; 6] = ["mr", "madam", "madame", "mme", "ms", "mrs"];

pub(super) const PRESIDING_TITLES: [&str; 10] = [
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
pub(super) fn is_salutation(line: &str) -> bool {
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
pub(super) const HEADING_STARTS: [&str; 14] = [
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
pub(super) fn is_prose(line: &str, words: usize) -> bool {
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
pub(super) fn starts_like_heading(line: &str) -> bool {
    let lower = line.to_lowercase();
    if HEADING_STARTS.iter().any(|start| lower.starts_with(start)) {
        return true;
    }
    let mut words = lower.split_whitespace();
    (words.next().and_then(ordinal_number).is_some()
        && words.take(3).any(|w| w.starts_with("session")))
        // A short session line in another UN language ("Septième session de fond", "第七届会议").
        || (line.split_whitespace().count() <= 6
            && super::session::find_session_in_other_language(line).is_some())
}
