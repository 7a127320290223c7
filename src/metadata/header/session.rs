//! The session a header names: "Seventh session", "4th (resumed) session", "session 5", "Session VII".

use super::*;

/// Words that may sit between the ordinal and "session": "Seventh Substantive Session".
pub(super) const SESSION_ADJECTIVES: [&str; 6] = [
    "substantive",
    "regular",
    "ordinary",
    "formal",
    "organizational",
    "organisational",
];

/// The session number and whether the session is a resumed one, in English or in another UN
/// language ([`find_session_translated`]).
pub(super) fn find_session(line: &str) -> Option<(u32, bool)> {
    // The line's lowercase words, cut once for both readings.
    let lower = line.to_lowercase();
    let tokens = words_of(&lower);
    find_session_english(&tokens).or_else(|| find_session_translated(line, &tokens))
}

/// The words of a lowercased line.
fn words_of(lower: &str) -> Vec<&str> {
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect()
}

/// A session line in another UN language than English ("Septième session de fond",
/// "第七届会议"): what makes a line a heading there, as "Fourth session" does in English.
pub(super) fn find_session_in_other_language(line: &str) -> Option<(u32, bool)> {
    let lower = line.to_lowercase();
    find_session_translated(line, &words_of(&lower))
}

/// `tokens`: the line's lowercase words.
fn find_session_english(tokens: &[&str]) -> Option<(u32, bool)> {
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
            // "Session 7", "Session VII"
            .or_else(|| {
                let after = tokens.get(at + 1)?;
                ordinal_number(after).or_else(|| roman_number(after))
            });
        if let Some(number) = number.filter(|n| *n <= MAX_SESSION_NUMBER) {
            return Some((number, resumed));
        }
    }
    None
}

/// Ordinal words in French, Spanish (masculine, as "período" takes), Russian (feminine, as
/// "сессия" takes) and Arabic (feminine with the article, as "الدورة" takes): the units, the
/// teens each language writes as one word, and the tens; compounds ("soixante-dix-neuvième",
/// "septuagésimo noveno", "семьдесят девятая", "التاسعة والسبعون") add the tens written
/// before or after ([`tens_before`], [`tens_after`]). Accents optional where keyboards drop
/// them.
const TRANSLATED_ORDINALS: &[(&str, u32)] = &[
    ("premiere", 1),
    ("unième", 1),
    ("unieme", 1),
    ("première", 1),
    ("deuxieme", 2),
    ("deuxième", 2),
    ("troisieme", 3),
    ("troisième", 3),
    ("quatrieme", 4),
    ("quatrième", 4),
    ("cinquieme", 5),
    ("cinquième", 5),
    ("sixieme", 6),
    ("sixième", 6),
    ("septieme", 7),
    ("septième", 7),
    ("huitieme", 8),
    ("huitième", 8),
    ("neuvieme", 9),
    ("neuvième", 9),
    ("dixieme", 10),
    ("dixième", 10),
    ("onzieme", 11),
    ("onzième", 11),
    ("douzieme", 12),
    ("douzième", 12),
    ("treizieme", 13),
    ("treizième", 13),
    ("quatorzieme", 14),
    ("quatorzième", 14),
    ("quinzieme", 15),
    ("quinzième", 15),
    ("seizieme", 16),
    ("seizième", 16),
    ("vingtieme", 20),
    ("vingtième", 20),
    ("primer", 1),
    ("primero", 1),
    ("segundo", 2),
    ("tercer", 3),
    ("tercero", 3),
    ("cuarto", 4),
    ("quinto", 5),
    ("sexto", 6),
    ("septimo", 7),
    ("séptimo", 7),
    ("octavo", 8),
    ("noveno", 9),
    ("decimo", 10),
    ("décimo", 10),
    ("undecimo", 11),
    ("undécimo", 11),
    ("duodecimo", 12),
    ("duodécimo", 12),
    ("vigesimo", 20),
    ("vigésimo", 20),
    ("первая", 1),
    ("первой", 1),
    ("вторая", 2),
    ("второй", 2),
    ("третья", 3),
    ("третьей", 3),
    ("четвертая", 4),
    ("четвёртая", 4),
    ("четвертой", 4),
    ("четвёртой", 4),
    ("пятая", 5),
    ("пятой", 5),
    ("шестая", 6),
    ("шестой", 6),
    ("седьмая", 7),
    ("седьмой", 7),
    ("восьмая", 8),
    ("восьмой", 8),
    ("девятая", 9),
    ("девятой", 9),
    ("десятая", 10),
    ("десятой", 10),
    ("الأولى", 1),
    ("الاولى", 1),
    ("الثانية", 2),
    ("الثالثة", 3),
    ("الرابعة", 4),
    ("الخامسة", 5),
    ("السادسة", 6),
    ("السابعة", 7),
    ("الثامنة", 8),
    ("التاسعة", 9),
    ("العاشرة", 10),
    ("الحادية", 1),
    // Tens on their own, and the Russian teens.
    ("trentième", 30),
    ("quarantième", 40),
    ("cinquantième", 50),
    ("soixantième", 60),
    ("trigésimo", 30),
    ("trigesimo", 30),
    ("cuadragésimo", 40),
    ("cuadragesimo", 40),
    ("quincuagésimo", 50),
    ("quincuagesimo", 50),
    ("sexagésimo", 60),
    ("sexagesimo", 60),
    ("septuagésimo", 70),
    ("septuagesimo", 70),
    ("octogésimo", 80),
    ("octogesimo", 80),
    ("nonagésimo", 90),
    ("nonagesimo", 90),
    ("одиннадцатая", 11),
    ("двенадцатая", 12),
    ("тринадцатая", 13),
    ("четырнадцатая", 14),
    ("пятнадцатая", 15),
    ("шестнадцатая", 16),
    ("семнадцатая", 17),
    ("восемнадцатая", 18),
    ("девятнадцатая", 19),
    ("двадцатая", 20),
    ("тридцатая", 30),
    ("сороковая", 40),
    ("пятидесятая", 50),
    ("шестидесятая", 60),
    ("семидесятая", 70),
    ("восьмидесятая", 80),
    ("девяностая", 90),
    ("العشرون", 20),
    ("الثلاثون", 30),
    ("الأربعون", 40),
    ("الخمسون", 50),
    ("الستون", 60),
    ("السبعون", 70),
    ("الثمانون", 80),
    ("التسعون", 90),
];

/// Words that name a session: French "session", Spanish "sesiones" ("período de sesiones") and
/// "sesión", Russian "сессия" and its cases, Arabic "الدورة".
const SESSION_WORDS: &[&str] = &[
    "session",
    "sesiones",
    "sesión",
    "sesion",
    "сессия",
    "сессии",
    "сессию",
    "الدورة",
    "دورة",
];

/// Words that may stand between the ordinal and the session word, or after it: "de fond",
/// "período de", "основная", "الموضوعية".
const BETWEEN_WORDS: &[&str] = &[
    "periodo",
    "período",
    "de",
    "основная",
    "основной",
    "очередная",
    "очередной",
    "الموضوعية",
    "العادية",
];

/// Words that say a session is a resumed one.
const RESUMED_WORDS: &[&str] = &[
    "reprise",
    "continuación",
    "continuacion",
    "возобновленная",
    "возобновлённая",
    "возобновленной",
    "المستأنفة",
];

/// A session line in French, Spanish, Russian, Arabic or Chinese: "Septième session de fond",
/// "7e session", "Séptimo período de sesiones", "79º período de sesiones", "Седьмая основная
/// сессия", "79-я сессия", "الدورة السابعة", "الدورة الموضوعية السابعة", "第七届会议",
/// "第79届会议", "第七次实质性会议".
/// `tokens`: the line's lowercase words.
fn find_session_translated(line: &str, tokens: &[&str]) -> Option<(u32, bool)> {
    if let Some(n) = chinese_session(line) {
        return Some((n, line.contains("续会")));
    }
    let resumed = tokens.iter().any(|t| RESUMED_WORDS.contains(t));
    let ordinal = translated_ordinal;
    for at in (0..tokens.len()).filter(|&at| SESSION_WORDS.contains(&tokens[at])) {
        // Before the session word, past "período de" and adjectives: "Séptimo período de
        // sesiones", "седьмая основная сессия"; a Russian "7-я" is split into "7" and "я".
        let mut before = at;
        while before > 0 && BETWEEN_WORDS.contains(&tokens[before - 1]) {
            before -= 1;
        }
        if before > 0 && matches!(tokens[before - 1], "я" | "й") {
            before -= 1;
        }
        let found = before
            .checked_sub(1)
            .and_then(|b| Some(ordinal(tokens[b])? + tens_before(&tokens[..b])))
            // After it, past adjectives: "الدورة الموضوعية السابعة", "الدورة السابعة عشرة".
            .or_else(|| {
                let from =
                    at + 1 + (tokens[at + 1..].iter()).position(|t| !BETWEEN_WORDS.contains(t))?;
                Some(ordinal_word_translated(tokens[from])? + tens_after(&tokens[from + 1..]))
            });
        if let Some(n) = found.filter(|n| *n <= MAX_SESSION_NUMBER) {
            return Some((n, resumed));
        }
    }
    None
}

/// An ordinal in another UN language: a word ([`ordinal_word_translated`]) or digits with a
/// written ending ("7e", "7ème", "7eme", "7º", "7o", the superscript "7ᵉ"; a header line's
/// "7.º" is read as "7º"), or plain digits.
fn translated_ordinal(t: &str) -> Option<u32> {
    if let Some(n) = ordinal_word_translated(t) {
        return Some(n);
    }
    let digits = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let suffix = &t[digits..];
    let number: u32 = t[..digits].parse().ok()?;
    matches!(
        suffix,
        "" | "e" | "ème" | "eme" | "er" | "re" | "º" | "o" | "a" | "ª" | "ᵉ" | "ᵉʳ" | "ʳᵉ" | "ᵉᵐᵉ"
    )
    .then_some(number)
    .filter(|n| *n > 0)
}

/// Words besides the session, between and resumed words that a session's name may hold in
/// another UN language: "de fond", "ordinaire", "ordinario", the Russian "-я" ending cut off,
/// the articles.
const OTHER_SESSION_NAME_WORDS: &[&str] = &[
    "fond",
    "ordinaire",
    "ordinario",
    "la",
    "el",
    "я",
    "й",
    "quatre",
];

/// Every word of `v` is part of naming a session in French, Spanish, Russian or Arabic
/// ("7e session", "Septième session de fond", "79º período de sesiones", "79-я сессия",
/// "الدورة التاسعة والسبعون"), or `v` is only a Chinese session's name ("第七届会议"): a value
/// [`find_session`] reads and nothing else besides.
pub(super) fn is_only_a_translated_session(v: &str) -> bool {
    if chinese_session(v).is_some() {
        return v.chars().all(|c| {
            c.is_ascii_digit()
                || c.is_whitespace()
                || "第零一二三四五六七八九十百两届次实质性会议续（）()".contains(c)
        });
    }
    let lower = v.to_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    tokens.iter().any(|t| SESSION_WORDS.contains(t))
        && tokens.iter().all(|t| {
            SESSION_WORDS.contains(t)
                || BETWEEN_WORDS.contains(t)
                || RESUMED_WORDS.contains(t)
                || OTHER_SESSION_NAME_WORDS.contains(t)
                || translated_ordinal(t).is_some()
                || TENS_BEFORE.iter().any(|(w, _)| w == t)
                || TENS_AFTER.iter().any(|(w, _)| w == t)
        })
}

/// A translated ordinal word: one of [`TRANSLATED_ORDINALS`], or a Spanish "decimo-" compound
/// written as one word ("decimoséptimo" is 17).
fn ordinal_word_translated(t: &str) -> Option<u32> {
    let known = |t: &str| {
        TRANSLATED_ORDINALS
            .iter()
            .find(|(w, _)| *w == t)
            .map(|(_, n)| *n)
    };
    known(t).or_else(|| {
        let unit = t
            .strip_prefix("decimo")
            .or_else(|| t.strip_prefix("décimo"))?;
        // "decimoctavo": the two o's written once.
        let unit = known(unit).or_else(|| known(&format!("o{unit}")))?;
        (unit < 10).then_some(10 + unit)
    })
}

/// The tens words of [`tens_before`].
const TENS_BEFORE: &[(&str, u32)] = &[
    ("dix", 10),
    ("vingt", 20),
    ("trente", 30),
    ("quarante", 40),
    ("cinquante", 50),
    ("soixante", 60),
    ("et", 0),
    ("decimo", 10),
    ("décimo", 10),
    ("vigesimo", 20),
    ("vigésimo", 20),
    ("trigesimo", 30),
    ("trigésimo", 30),
    ("cuadragesimo", 40),
    ("cuadragésimo", 40),
    ("quincuagesimo", 50),
    ("quincuagésimo", 50),
    ("sexagesimo", 60),
    ("sexagésimo", 60),
    ("septuagesimo", 70),
    ("septuagésimo", 70),
    ("octogesimo", 80),
    ("octogésimo", 80),
    ("nonagesimo", 90),
    ("nonagésimo", 90),
    ("двадцать", 20),
    ("тридцать", 30),
    ("сорок", 40),
    ("пятьдесят", 50),
    ("шестьдесят", 60),
    ("семьдесят", 70),
    ("восемьдесят", 80),
    ("девяносто", 90),
];

/// Tens written as words right before an ordinal: French "soixante-dix" (70), "quatre-vingt"
/// (80), "vingt et" (20), "dix" (10); Spanish "septuagésimo" (70), "décimo" (10); Russian
/// "семьдесят" (70). Hyphens are already gone; 0 when there are none.
fn tens_before(tokens: &[&str]) -> u32 {
    let value = |t: &str| TENS_BEFORE.iter().find(|(w, _)| *w == t).map(|(_, n)| *n);
    // The run of tens words that ends right before the ordinal.
    let start = tokens.len()
        - tokens
            .iter()
            .rev()
            .take_while(|t| value(t).is_some() || **t == "quatre")
            .count();
    let run = &tokens[start..];
    let mut total = 0;
    let mut i = 0;
    while i < run.len() {
        if run[i] == "quatre" {
            // "quatre-vingt" is 80; a lone "quatre" is no tens word.
            if run.get(i + 1) == Some(&"vingt") {
                total += 80;
                i += 2;
                continue;
            }
            return 0;
        }
        total += value(run[i]).unwrap_or(0);
        i += 1;
    }
    total
}

/// The tens words of [`tens_after`].
const TENS_AFTER: &[(&str, u32)] = &[
    ("عشرة", 10),
    ("عشر", 10),
    ("والعشرون", 20),
    ("والعشرين", 20),
    ("والثلاثون", 30),
    ("والثلاثين", 30),
    ("والأربعون", 40),
    ("والاربعون", 40),
    ("والأربعين", 40),
    ("والخمسون", 50),
    ("والخمسين", 50),
    ("والستون", 60),
    ("والستين", 60),
    ("والسبعون", 70),
    ("والسبعين", 70),
    ("والثمانون", 80),
    ("والثمانين", 80),
    ("والتسعون", 90),
    ("والتسعين", 90),
];

/// Tens written as words right after an Arabic ordinal: "عشرة" (the teens: "السابعة عشرة" is
/// 17) or "و" and a tens word ("التاسعة والسبعون" is 79); 0 when there are none.
fn tens_after(tokens: &[&str]) -> u32 {
    (tokens.first())
        .and_then(|t| TENS_AFTER.iter().find(|(w, _)| w == t))
        .map_or(0, |(_, n)| *n)
}

/// "第七届会议", "第79届会议", "第七十九届会议", "第七次实质性会议": 第, a number in digits or
/// Chinese numerals, then 届 or 次 and, somewhere after, 会 (会议, 届会). Any 第 of the line
/// may start it: "第一委员会第七十九届会议" (First Committee, seventy-ninth session) is the
/// 79th session, as is a committee line joined to the session line by a line break between
/// two Chinese characters (see `crate::decode::clean`).
fn chinese_session(line: &str) -> Option<u32> {
    line.match_indices('第').find_map(|(at, _)| {
        let rest = &line[at + '第'.len_utf8()..];
        let end = rest.find(['届', '次'])?;
        let after = &rest[end..];
        if !after.chars().take(8).any(|c| c == '会') {
            return None;
        }
        let number = chinese_number(&rest[..end])?;
        (1..=MAX_SESSION_NUMBER).contains(&number).then_some(number)
    })
}

/// ASCII digits, or Chinese numerals below a thousand ("七", "十二", "七十九", "一百零五").
fn chinese_number(s: &str) -> Option<u32> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|d| d as u32)
    };
    let (mut total, mut current) = (0u32, None::<u32>);
    for c in s.chars() {
        match c {
            '十' => {
                total += current.take().unwrap_or(1) * 10;
            }
            '百' => {
                total += current.take()? * 100;
            }
            '两' => current = Some(2),
            c => current = Some(digit(c)?),
        }
    }
    let total = total + current.unwrap_or(0);
    (!s.is_empty() && total > 0).then_some(total)
}
