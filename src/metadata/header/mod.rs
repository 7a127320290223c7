//! Statement headers: forum, session, date and speaker read from the lines above the body.
//!
//! A UN statement opens with a few short lines (organ, forum, session, speaker, date) before
//! the speech itself. [`parse_header`] reads only that region, so a date or a session quoted in the
//! speech is never mistaken for the statement's own.

mod dates;
mod forum;
mod ordinals;
mod region;
mod session;
mod speaker;

use dates::*;
use forum::*;
use ordinals::*;
use region::*;
use session::*;
use speaker::*;

pub use dates::{find_ambiguous_date, parse_date};
pub use ordinals::{ordinal_number, roman_number};
pub use region::raw_lines;

use crate::metadata::date::Date;
use std::ops::Range;

/// A session as a manifest or front matter writes it, as the header's number when it is only
/// a number written some other way: "07", "7th", "Seventh", "VII", "Session 7", "Seventh
/// substantive session" are all "7", a resumed one "4 (resumed)". Anything else ("Special
/// session", "2024 OEWG", "4 (resumed)") is kept as written.
pub fn session_value(value: &str) -> String {
    let v = value.trim();
    // A whole value in Roman numerals (`VII`; in lower case from two letters on, `vii`): in a
    // session field it can only be one.
    let upper = v.chars().all(|c| c.is_ascii_uppercase());
    let lower = v.len() >= 2 && v.chars().all(|c| c.is_ascii_alphabetic());
    let roman = (!v.is_empty() && (upper || lower))
        .then(|| roman_number(v))
        .flatten();
    // `7.0` or `7.`: a number a spreadsheet or pandas wrote as a decimal.
    let decimal = v
        .split_once('.')
        .filter(|(int, frac)| {
            !int.is_empty()
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b == b'0')
        })
        .and_then(|(int, _)| int.parse().ok());
    let number = ordinal_number(v)
        .or(roman)
        .or(decimal)
        .filter(|n| *n <= MAX_SESSION_NUMBER);
    if let Some(n) = number {
        return n.to_string();
    }
    // A short phrase that is nothing but a session's name.
    if v.split_whitespace().count() <= 5
        && let Some((n, resumed)) = find_session(v)
        && (is_only_a_session(v) || is_only_a_translated_session(v))
    {
        return if resumed {
            format!("{n} (resumed)")
        } else {
            n.to_string()
        };
    }
    v.to_string()
}

/// Every word of `v` is part of naming a session: "session", an ordinal or number, a session
/// adjective, "resumed", "the".
fn is_only_a_session(v: &str) -> bool {
    v.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .all(|t| {
            t == "session"
                || t == "resumed"
                || t == "the"
                || ordinal_number(t).is_some()
                || roman_number(t).is_some()
                || SESSION_ADJECTIVES.contains(&t)
                || TENS_WORDS.iter().any(|(w, _)| *w == t)
        })
}

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
    /// When the header has no date: text in it written as a date that is not read, with its
    /// line in the text (1-based), for a warning: a date naming no day of the calendar ("30
    /// February 2023"), or an all-numeric one whose day and month could be either way round
    /// ("05/03/2024").
    pub unread_date: Option<(usize, String)>,
}

/// The header never runs longer than this many non-blank lines.
const MAX_HEADER_LINES: usize = 15;
/// A line longer than this is a body paragraph, never a header line.
const MAX_HEADER_LINE_WORDS: usize = 40;
/// Nor is a line of more characters than this (spaces collapsed), whatever its words: real
/// header lines stay well under it, and one long run-on line must not become a speaker.
const MAX_HEADER_LINE_CHARS: usize = 300;
/// Session numbers above this are years or other numbers, not sessions.
const MAX_SESSION_NUMBER: u32 = 200;

/// Reads forum, session, date, speaker and represented group from the header of a statement.
///
/// The header region is the run of non-blank lines at the top of the text (a BOM, blank lines,
/// form feeds and markdown emphasis or heading marks are ignored), at most 15 of them, that
/// ends before the first body line. A body line is:
/// - a salutation ("Thank you", "Mr. President", "Madam Chair", "Excellencies", ...);
/// - a line of more than 40 words or 300 characters, or a sentence opening "On `<date>`";
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
    let (lines, numbers) = header_lines(text);
    let (session, session_number) = match lines.iter().find_map(|line| find_session(line)) {
        Some((number, true)) => (Some(format!("{number} (resumed)")), Some(number)),
        Some((number, false)) => (Some(number.to_string()), Some(number)),
        None => (None, None),
    };
    let date = lines.iter().find_map(|line| parse_date(line));
    HeaderFields {
        forum: find_forum(&lines),
        session,
        session_number,
        date,
        speaker: find_speaker(&lines),
        on_behalf_of: lines.iter().find_map(|line| find_on_behalf_of(line)),
        unread_date: match date {
            Some(_) => None,
            None => (lines.iter().zip(&numbers)).find_map(|(line, &n)| {
                let written = find_impossible_date(line).or_else(|| find_ambiguous_date(line))?;
                Some((n, written.to_string()))
            }),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
        // General Debate speeches that open straight into a sentence: no field comes from it.
        (
            "I begin my remarks by extending, on behalf of the people of Mozambique, our heartfelt condolences to the Government and people of the United States.",
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "I begin my remarks by extending,\non behalf of the people of Mozambique,\nour heartfelt condolences to the Government",
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "It is with great pleasure that I extend to you, Sir, on behalf of the delegation of Ghana, warm congratulations on your election.",
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "Let me begin by associating my delegation with the statement made by the representative of Guyana on behalf of the Group of 77.",
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "At the outset, I should like to convey, on behalf of the delegation of Nepal, our warmest congratulations.",
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "Speaking on behalf of the European Union, I wish to thank the Secretary-General.",
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "Allow me to extend, on behalf of Malta,\nwarm congratulations to you, Sir.",
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "Permit me, Sir, to congratulate you\non your election to the presidency of the fifty-sixth session.",
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "The delegation of Malta joins previous speakers in congratulating you on your election.",
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "Excellencies,\nLadies and gentlemen,\nI have the honour to speak on behalf of the Group of 77 and China.",
            None,
            None,
            None,
            None,
            None,
            None,
        ),
        (
            "Extending our condolences to the people of Haiti,\nwe address this Assembly.",
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
                unread_date: None,
            };
            let mut got = parse_header(text);
            // "06.03.2024", "6/3/2024": not read (day and month either way round), but reported.
            if let Some((line, written)) = got.unread_date.take() {
                assert!(
                    find_ambiguous_date(&written).is_some(),
                    "{text:?}: {written}"
                );
                assert_eq!(line, 2, "{text:?}");
            }
            assert_eq!(got, expected, "header {text:?}");
        }
    }

    #[test]
    fn a_date_that_names_no_day_is_reported_not_used() {
        for (text, line, written) in [
            (
                "Statement by Chile\n30 February 2023\n\nThank you, Chair.\n",
                2,
                "30 February 2023",
            ),
            (
                "Statement by Chile, April 31, 2024\n\nThank you.\n",
                1,
                "April 31, 2024",
            ),
            (
                "\r\n\nStatement\r\n2023-13-01\n\nThank you.\n",
                4,
                "2023-13-01",
            ),
            (
                "Statement\r29 February 2023\n\nThank you.\n",
                2,
                "29 February 2023",
            ),
        ] {
            let h = parse_header(text);
            assert_eq!(h.date, None, "{text:?}");
            assert_eq!(h.unread_date, Some((line, written.to_string())), "{text:?}");
        }
        // A real date (also a leap day) is used, and then nothing is reported.
        let h = parse_header("Statement\n29 February 2024\n\nThank you.\n");
        assert_eq!(h.date, Some(iso("2024-02-29")));
        assert_eq!(h.unread_date, None);
        let h = parse_header("Statement\n30 February 2023, delivered 1 March 2023\n\nThanks.\n");
        assert_eq!(h.date, Some(iso("2023-03-01")));
        assert_eq!(h.unread_date, None);
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

    fn speaker(text: &str) -> Option<String> {
        parse_header(text).speaker
    }

    #[test]
    fn a_sentence_after_the_name_is_not_part_of_it() {
        assert_eq!(
            speaker(
                "Statement by Germany. Germany supports capacity building and the protection of critical infrastructure in all regions.\n\nSecond paragraph.\n"
            )
            .as_deref(),
            Some("Germany")
        );
        assert_eq!(
            speaker("Statement by the Republic of Korea. We support capacity building.").as_deref(),
            Some("Republic of Korea")
        );
        assert_eq!(
            parse_header("Statement by Peru on behalf of the Group of 77. We stand together.")
                .on_behalf_of
                .as_deref(),
            Some("Group of 77")
        );
    }

    #[test]
    fn a_full_stop_after_a_title_or_initial_is_not_a_sentence_end() {
        for (line, name) in [
            (
                "Statement by H.E. Ms. Maria Rossi, Ambassador",
                "H.E. Ms. Maria Rossi",
            ),
            (
                "Statement by H.E. Ms. Jane Doe. She spoke.",
                "H.E. Ms. Jane Doe",
            ),
            (
                "Statement by Mr. John F. Kennedy. Thanks.",
                "Mr. John F. Kennedy",
            ),
            ("Statement by Amb. Lee Min", "Amb. Lee Min"),
            ("Statement by Dr. A. Smith Jr.", "Dr. A. Smith Jr."),
            ("Statement by the UK.", "UK"),
        ] {
            assert_eq!(speaker(line).as_deref(), Some(name), "{line:?}");
        }
        assert!(is_abbreviation("Mr") && is_abbreviation("H.E") && is_abbreviation("(J"));
        assert!(!is_abbreviation("Germany") && !is_abbreviation("UK") && !is_abbreviation("7"));
        assert_eq!(sentence_end("Ms. Doe. Next"), Some(7));
        assert_eq!(sentence_end("H.E. ..."), None);
    }

    #[test]
    fn a_line_too_long_for_a_header_is_body_text() {
        // One word of 100,000 letters: few words, but no header line.
        let long = format!(
            "Statement by the Republic. Capacity building. {} end\n6 March 2024\n",
            "a".repeat(100_000)
        );
        assert_eq!(parse_header(&long), HeaderFields::default());
        let name = "Statement by Chile, ";
        let at_limit = format!("{name}{}", "x".repeat(MAX_HEADER_LINE_CHARS - name.len()));
        assert_eq!(speaker(&at_limit).as_deref(), Some("Chile"));
        assert_eq!(speaker(&format!("{at_limit}x")), None);
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
    fn roman_numerals_in_standard_form_only() {
        for (text, n) in [
            ("I", 1),
            ("VII", 7),
            ("xlix", 49),
            ("LXXIX", 79),
            ("MMXXIV", 2024),
        ] {
            assert_eq!(roman_number(text), Some(n), "{text}");
        }
        for text in ["", "IIII", "IC", "VX", "IIV", "ABC", "7", "MMMM"] {
            assert_eq!(roman_number(text), None, "{text}");
        }
        let fields = parse_header("OEWG\nSession VII\nStatement by Kenya");
        assert_eq!(fields.session.as_deref(), Some("7"));
    }

    #[test]
    fn tatweel_does_not_hide_an_arabic_session() {
        let h = parse_header(
            "الدورة الســابعة\n٦ آذار/مارس ٢٠٢٤\n\nيجب علينا حماية البنية التحتية الحيوية وبناء \
             القدرات في جميع البلدان وفي كل مكان من العالم.\n",
        );
        assert_eq!(h.session.as_deref(), Some("7"));
        assert_eq!(h.date, Some(iso("2024-03-06")));
    }

    #[test]
    fn a_chinese_committee_line_above_the_session_keeps_the_session() {
        for text in [
            "第一委员会\n第七十九届会议\n\n主席先生，\n",
            "联合国大会第一委员会\n第七十九届会议\n\n主席先生，\n",
            "第三委员会\n第79届会议\n2024年10月8日\n\n主席先生，\n",
        ] {
            // What the header parser reads: the text as cleaning leaves it.
            let cleaned = crate::decode::clean::clean(text);
            let h = parse_header(&cleaned);
            assert_eq!(h.session_number, Some(79), "{text}");
        }
    }

    #[test]
    fn a_weekday_date_line_in_lower_case_is_a_header_line() {
        for (text, session, date) in [
            (
                "Septième session de fond\nmercredi 6 mars 2024\n\nMonsieur le Président,\n",
                7,
                "2024-03-06",
            ),
            (
                "Séptimo período de sesiones\nmiércoles, 6 de marzo de 2024\n\nSeñor Presidente:\n",
                7,
                "2024-03-06",
            ),
            (
                "Седьмая основная сессия\nсреда, 6 марта 2024 года\n\nГосподин Председатель,\n",
                7,
                "2024-03-06",
            ),
            (
                "Septième session\nle 1ᵉʳ juin 2024\n\nMonsieur le Président,\n",
                7,
                "2024-06-01",
            ),
        ] {
            let h = parse_header(text);
            assert_eq!(h.session_number, Some(session), "{text}");
            assert_eq!(h.date, Some(iso(date)), "{text}");
        }
    }

    #[test]
    fn spanish_ordinals_with_a_full_stop_are_read() {
        let h =
            parse_header("7.º período de sesiones\n1.º de junio de 2024\n\nSeñor Presidente:\n");
        assert_eq!(h.session.as_deref(), Some("7"));
        assert_eq!(h.date, Some(iso("2024-06-01")));
    }

    #[test]
    fn session_lines_in_the_other_un_languages() {
        for (line, want) in [
            ("Septième session de fond", Some((7, false))),
            ("7e session", Some((7, false))),
            ("79ème session de l'Assemblée générale", Some((79, false))),
            ("Reprise de la quatrième session", Some((4, true))),
            ("Séptimo período de sesiones", Some((7, false))),
            ("79º período de sesiones", Some((79, false))),
            ("7ᵉ session", Some((7, false))),
            ("Седьмая основная сессия", Some((7, false))),
            ("79-я сессия Генеральной Ассамблеи", Some((79, false))),
            ("الدورة السابعة", Some((7, false))),
            ("الدورة الموضوعية السابعة", Some((7, false))),
            ("第七届会议", Some((7, false))),
            ("第七十九届会议", Some((79, false))),
            ("第79届会议", Some((79, false))),
            ("第七次实质性会议", Some((7, false))),
            ("第一百零五届会议续会", Some((105, true))),
            ("Dix-septième session", Some((17, false))),
            ("Soixante-dix-neuvième session", Some((79, false))),
            ("Quatre-vingt-unième session", Some((81, false))),
            ("Vingt et unième session", Some((21, false))),
            ("Septuagésimo noveno período de sesiones", Some((79, false))),
            ("Decimoséptimo período de sesiones", Some((17, false))),
            ("Decimoctavo período de sesiones", Some((18, false))),
            ("Семьдесят девятая сессия", Some((79, false))),
            ("الدورة السابعة عشرة", Some((17, false))),
            ("الدورة التاسعة والسبعون", Some((79, false))),
            ("الدورة الحادية عشرة", Some((11, false))),
            ("Семнадцатая сессия", Some((17, false))),
            ("Trigésimo período de sesiones", Some((30, false))),
            ("Soixantième session", Some((60, false))),
            // Not a session line.
            ("第七条", None),
            ("Session de questions", None),
            ("2024 période de sesiones", None),
        ] {
            assert_eq!(find_session(line), want, "{line:?}");
        }
        let fields = parse_header(
            "Déclaration de la France\nSeptième session de fond\nGenève, le 5 mars 2024\n\nMonsieur le Président,",
        );
        assert_eq!(fields.session.as_deref(), Some("7"));
        assert_eq!(
            fields.date.map(|d| d.to_string()).as_deref(),
            Some("2024-03-05")
        );
    }

    #[test]
    fn session_values_that_are_only_a_number_are_that_number() {
        for (value, want) in [
            ("7", "7"),
            ("07", "7"),
            (" 7th ", "7"),
            ("Seventh", "7"),
            ("seventy-ninth", "79"),
            ("VII", "7"),
            ("Session 7", "7"),
            ("Session VII", "7"),
            ("Seventh Substantive Session", "7"),
            ("Resumed fourth session", "4 (resumed)"),
            // The other UN languages, as a manifest or front matter in them writes it.
            ("7e session", "7"),
            ("Septième session de fond", "7"),
            ("Reprise de la septième session", "7 (resumed)"),
            ("79º período de sesiones", "79"),
            ("Séptimo período de sesiones", "7"),
            ("79-я сессия", "79"),
            ("Седьмая основная сессия", "7"),
            ("الدورة السابعة", "7"),
            ("الدورة التاسعة والسبعون", "79"),
            ("第七届会议", "7"),
            ("第79届会议", "79"),
            // Kept as written: not only a number, or not one at all.
            ("4 (resumed)", "4 (resumed)"),
            ("Special session", "Special session"),
            ("2024 OEWG", "2024 OEWG"),
            ("Seventh session of the OEWG", "Seventh session of the OEWG"),
            ("Session 7 (informal)", "Session 7 (informal)"),
            ("7e session du Conseil", "7e session du Conseil"),
            ("第七届会议开幕式", "第七届会议开幕式"),
            (
                "Сессия Генеральной Ассамблеи",
                "Сессия Генеральной Ассамблеи",
            ),
        ] {
            assert_eq!(session_value(value), want, "{value:?}");
        }
    }

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
            // All digits, but one reading only.
            ("25/03/2024", Some("2024-03-25")),
            ("03/25/2024", Some("2024-03-25")),
            ("25.03.2024", Some("2024-03-25")),
            ("25-03-2024", Some("2024-03-25")),
            ("05/05/2024", Some("2024-05-05")),
            ("2024/03/25", Some("2024-03-25")),
            ("2024.3.5", Some("2024-03-05")),
            ("25/13/2024", None),
            ("31/04/2024", None),
            ("25/03-2024", None),
            ("1.2.3.2024", None),
            ("A/78/2024", None),
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
            // The other UN languages.
            ("Genève, le 5 mars 2024", Some("2024-03-05")),
            ("1er juin 2024", Some("2024-06-01")),
            ("12 Décembre 2023", Some("2023-12-12")),
            ("12 decembre 2023", Some("2023-12-12")),
            ("lundi 5 févr. 2024", Some("2024-02-05")),
            ("Nueva York, 6 de marzo de 2024", Some("2024-03-06")),
            ("1º de junio del 2024", Some("2024-06-01")),
            ("1ᵉʳ juin 2024", Some("2024-06-01")),
            ("6 de setiembre 2024", Some("2024-09-06")),
            ("Нью-Йорк, 6 марта 2024 года", Some("2024-03-06")),
            ("1 Января 2025 г.", Some("2025-01-01")),
            ("6 مارس 2024", Some("2024-03-06")),
            ("٦ آذار/مارس ٢٠٢٤", Some("2024-03-06")),
            ("نيويورك، 15 كانون الثاني/يناير 2024", Some("2024-01-15")),
            ("1 تشرين الأول / أكتوبر 2024", Some("2024-10-01")),
            ("2024年3月6日", Some("2024-03-06")),
            ("纽约，2024 年 12 月 1 日星期一", Some("2024-12-01")),
            ("2024年3月6号", Some("2024-03-06")),
            ("2024年2月30日", None),
            ("24年3月6日", None),
            ("6 foo bar/March 2024", None),
            ("31 de abril de 2024", None),
            ("6 de de marzo 2024", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_date(text), expected.map(iso), "{text:?}");
        }
    }

    #[test]
    fn real_seed_headers() {
        let Some(dir) = crate::testing::shared_or_skip("real_seed_headers", "seeds") else {
            return;
        };
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
        let Some(dir) = crate::testing::shared_or_skip(
            "general_debate_speeches_yield_no_header_fields",
            "corpora/ungdc-1990-2004",
        ) else {
            return;
        };
        let entries = std::fs::read_dir(&dir).expect("the corpus folder is readable");
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
