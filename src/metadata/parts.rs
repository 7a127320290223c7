//! The parts of a statement's text that carry metadata: front matter, header fields, where the body starts.

/// The front matter and header of a prepared text (also used for the head of a huge statement).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextParts {
    /// Where the body starts (just past any front matter); a char boundary.
    pub body_offset: usize,
    /// Front matter fields, when the text opens with a front matter block.
    pub front_matter: Option<Vec<(String, String)>>,
    /// The line of each front matter field in the text (1-based), in the order of its fields.
    pub front_matter_lines: Vec<usize>,
    /// A malformed front matter block: its line and the problem.
    pub front_matter_error: Option<(usize, String)>,
    /// Fields found in the header region of the body (session, date, speaker, ...).
    pub header: Vec<(String, String)>,
    /// Text in the header written as a date that is not read, when the header has no date
    /// ("30 February 2023", the ambiguous "05/03/2024"), with its line in the text: reported,
    /// never used.
    pub unread_date: Option<(usize, String)>,
}

impl TextParts {
    /// Parses the front matter and the header region of `text`.
    pub fn parse(text: &str) -> TextParts {
        let mut parts = TextParts::default();
        match crate::decode::front_matter::parse_front_matter(text) {
            Ok(Some(fm)) => {
                let mut at = fm.body_offset.min(text.len());
                // The parser reports line ends; never cut inside a character whatever it says.
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                parts.body_offset = at;
                parts.front_matter = Some(fm.fields);
                parts.front_matter_lines = fm.lines;
            }
            Ok(None) => {}
            Err(e) => parts.front_matter_error = Some((e.line, e.message)),
        }
        let h = crate::metadata::header::parse_header(&text[parts.body_offset..]);
        let mut put = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                parts.header.push((k.to_string(), v));
            }
        };
        put("session", h.session);
        put("date", h.date.map(|d| d.to_string()));
        put("speaker", h.speaker);
        put("forum", h.forum);
        put("on_behalf_of", h.on_behalf_of);
        // The header's lines count from the body's start: past the front matter's lines.
        parts.unread_date = h.unread_date.map(|(line, written)| {
            let before_body = crate::metadata::header::raw_lines(&text[..parts.body_offset]);
            (line + before_body.count() - 1, written)
        });
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_impossible_header_date_is_placed_at_its_line_of_the_whole_text() {
        let body = "Statement by Chile\n30 February 2023\n\nThank you, Chair.\n";
        let parts = TextParts::parse(body);
        assert_eq!(parts.unread_date, Some((2, "30 February 2023".into())));
        // Past a front matter block (and a blank line), with CR LF line ends.
        let text = format!(
            "---\r\ntitle: x\r\n---\r\n\r\n{}",
            body.replace('\n', "\r\n")
        );
        let parts = TextParts::parse(&text);
        assert_eq!(parts.front_matter.as_ref().map(Vec::len), Some(1));
        assert_eq!(parts.unread_date, Some((6, "30 February 2023".into())));
        // A date in digits that reads both ways: reported too; one that reads one way: used.
        let parts = TextParts::parse("Statement by Chile\n05/03/2024\n\nThank you.\n");
        assert_eq!(parts.unread_date, Some((2, "05/03/2024".into())));
        let parts = TextParts::parse("Statement by Chile\n25/03/2024\n\nThank you.\n");
        assert_eq!(parts.unread_date, None);
        assert!(
            parts
                .header
                .contains(&("date".to_string(), "2024-03-25".to_string()))
        );
    }
}
