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
