//! Front matter: a `---` delimited block of `key: value` lines atop a statement file.
//!
//! Only the flat subset of YAML that metadata needs is read (no nesting, lists or multi-line
//! values), so a typo is reported with its line instead of silently becoming data.

use std::error::Error;
use std::fmt;

/// The fields of a front-matter block, in file order, and where the body starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    /// `(key, value)` pairs: keys lower-cased, values trimmed and unquoted.
    pub fields: Vec<(String, String)>,
    /// The 1-based line of each field, in the order of `fields`.
    pub lines: Vec<usize>,
    /// Byte offset in the input where the body starts (just past the closing line).
    pub body_offset: usize,
}

impl FrontMatter {
    /// The value of `key` (lower-case), if the block has it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// A malformed front-matter block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    /// 1-based line number in the input.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for FrontMatterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "front matter, line {}: {}", self.line, self.message)
    }
}

impl Error for FrontMatterError {}

/// Reads the front-matter block at the top of `text`.
///
/// The block must open with `---` on the very first line (a BOM before it is allowed; blank
/// lines before it are not, so prose that happens to contain a `---` rule is left alone) and
/// close with `---` or `...`. Inside, each line is `key: value`: keys are trimmed and
/// lower-cased and may hold letters, digits, `_`, `-` and spaces; values are trimmed and lose
/// one pair of matching surrounding quotes (`'` or `"`). Blank lines and `#` comments are skipped.
///
/// Returns `Ok(None)` when the text does not open with `---`, and an error naming the line for
/// an unclosed block, a line without `:`, an empty or malformed key, or a key given twice.
pub fn parse_front_matter(text: &str) -> Result<Option<FrontMatter>, FrontMatterError> {
    let bom_len = if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let mut lines = text[bom_len..].split_inclusive('\n');
    let mut offset = bom_len;
    match lines.next() {
        Some(first) if first.trim_end() == "---" => offset += first.len(),
        _ => return Ok(None),
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut key_lines: Vec<usize> = Vec::new();
    for (index, raw) in lines.enumerate() {
        // The opening `---` is line 1.
        let line_number = index + 2;
        offset += raw.len();
        let line = raw.trim();
        if line == "---" || line == "..." {
            return Ok(Some(FrontMatter {
                fields,
                lines: key_lines,
                body_offset: offset,
            }));
        }
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let error = |message: String| FrontMatterError {
            line: line_number,
            message,
        };
        let Some((key, value)) = line.split_once(':') else {
            return Err(error(format!("expected `key: value`, found `{line}`")));
        };
        let key = key.trim().to_lowercase();
        if key.is_empty() {
            return Err(error("empty key before `:`".to_string()));
        }
        if !key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == ' ')
        {
            return Err(error(format!(
                "key `{key}` may hold only letters, digits, `_`, `-` and spaces"
            )));
        }
        if let Some(first) = fields.iter().position(|(k, _)| *k == key) {
            return Err(error(format!(
                "duplicate key `{key}` (first given on line {})",
                key_lines[first]
            )));
        }
        fields.push((key, unquote(value.trim()).to_string()));
        key_lines.push(line_number);
    }
    Err(FrontMatterError {
        line: 1,
        message: "block opened here is never closed with `---` or `...`".to_string(),
    })
}

/// Drops one pair of matching surrounding quotes.
fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if let Some(inner) = value
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return inner;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Expected `(key, value)` pairs.
    type Pairs = &'static [(&'static str, &'static str)];

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn reads_fields_and_body_offset() {
        let cases: &[(&str, Pairs, &str)] = &[
            (
                "---\ndate: 2024-03-06\nSession: 7\nspeaker: Paris Peace Forum\n---\nThank you.",
                &[
                    ("date", "2024-03-06"),
                    ("session", "7"),
                    ("speaker", "Paris Peace Forum"),
                ],
                "Thank you.",
            ),
            (
                "\u{feff}---\r\nForum : \"OEWG\"\r\n\r\n# a comment\r\nspeaker: 'H.E. Ms. Jane Doe'\r\n...\r\nBody\r\n",
                &[("forum", "OEWG"), ("speaker", "H.E. Ms. Jane Doe")],
                "Body\r\n",
            ),
            ("---\ntitle: A: B\n---", &[("title", "A: B")], ""),
            ("---\n---\nbody", &[], "body"),
            (
                "---\nnote: \"unbalanced'\nempty:\n---\n",
                &[("note", "\"unbalanced'"), ("empty", "")],
                "",
            ),
            (
                "---  \nspeaker name: X\n  ---  \n\nbody",
                &[("speaker name", "X")],
                "\nbody",
            ),
        ];
        for (text, expected, body) in cases {
            let parsed = parse_front_matter(text)
                .unwrap_or_else(|e| panic!("{text:?}: {e}"))
                .unwrap_or_else(|| panic!("{text:?}: no block found"));
            assert_eq!(parsed.fields, fields(expected), "{text:?}");
            assert_eq!(&text[parsed.body_offset..], *body, "{text:?}");
        }
    }

    #[test]
    fn text_without_a_block_is_none() {
        for text in [
            "",
            "Statement by X\n---\n",
            "\n---\ndate: 2024-03-06\n---\n",
            "----\na: b\n----",
            "--- a: b",
        ] {
            assert_eq!(parse_front_matter(text), Ok(None), "{text:?}");
        }
    }

    #[test]
    fn malformed_blocks_name_their_line() {
        let cases: &[(&str, usize, &str)] = &[
            ("---\ndate: 2024-03-06\n", 1, "never closed"),
            ("---", 1, "never closed"),
            (
                "---\ndate: 2024-03-06\nThank you Mr. Chair\n---\n",
                3,
                "expected `key: value`",
            ),
            ("---\n: value\n---\n", 2, "empty key"),
            (
                "---\ndate: 1\n\nDate: 2\n---\n",
                4,
                "duplicate key `date` (first given on line 2)",
            ),
            (
                "---\nThank you, Mr. Chair: hello\n---\n",
                2,
                "may hold only",
            ),
        ];
        for (text, line, message) in cases {
            let error = parse_front_matter(text).expect_err(text);
            assert_eq!(error.line, *line, "{text:?}");
            assert!(error.message.contains(message), "{text:?}: {error}");
            assert!(
                error
                    .to_string()
                    .starts_with(&format!("front matter, line {line}: "))
            );
        }
    }

    #[test]
    fn get_finds_a_field() {
        let parsed = parse_front_matter("---\nDate: 2024-03-06\n---\n")
            .unwrap()
            .unwrap();
        assert_eq!(parsed.get("date"), Some("2024-03-06"));
        assert_eq!(parsed.get("speaker"), None);
    }

    proptest! {
        #[test]
        fn never_panics(text in any::<String>()) {
            let _ = parse_front_matter(&text);
        }

        #[test]
        fn never_panics_on_block_like_text(body in "(---|\\.\\.\\.|[a-z]{1,5}|: |\"|'|#|\n|\r\n|\u{feff}| ){0,30}") {
            let text = format!("---\n{body}");
            if let Ok(Some(parsed)) = parse_front_matter(&text) {
                prop_assert!(text.is_char_boundary(parsed.body_offset));
            }
        }

        #[test]
        fn written_fields_read_back(
            pairs in proptest::collection::btree_map("[a-z][a-z0-9_]{0,8}", "[A-Za-z0-9][A-Za-z0-9 .,:-]{0,20}[A-Za-z0-9]", 0..6),
            body in "[^\u{0}]{0,40}",
        ) {
            let mut text = String::from("---\n");
            for (key, value) in &pairs {
                text.push_str(&format!("{key}: {value}\n"));
            }
            text.push_str("---\n");
            text.push_str(&body);
            let parsed = parse_front_matter(&text).unwrap().unwrap();
            let expected: Vec<(String, String)> = pairs.into_iter().collect();
            prop_assert_eq!(parsed.fields, expected);
            prop_assert_eq!(&text[parsed.body_offset..], body.as_str());
        }
    }
}
