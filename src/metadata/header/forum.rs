//! The forum a header names: OEWG, First Committee, General Debate, or another body's full line.

use super::*;

/// How a header line names the forum, strongest first.
pub(super) enum ForumLine {
    /// A forum with a short canonical name.
    Canonical(&'static str),
    /// Some other body, named by the whole line.
    Other,
    /// The General Assembly alone: true of almost every UN statement, so the weakest.
    GeneralAssembly,
}

pub(super) const BODY_WORDS: [&str; 9] = [
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

pub(super) fn find_forum(lines: &[String]) -> Option<String> {
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

pub(super) fn classify_forum(line: &str) -> Option<ForumLine> {
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
