//! Extract stage: a statement file's bytes (text, Markdown, HTML, PDF or DOCX) to plain text.
//!
//! One [`Reader`] per format, chosen by file extension ([`Format::from_path`]); [`load`] is
//! what the pipeline calls. Every reader gives text shaped like the shipped `.txt` statements:
//! one-column reading order, a blank line between paragraphs, a line break where the source
//! broke a line (so the clean stage can join `multi-\nstakeholder`), and no page furniture
//! (running headers, footers and page numbers of PDFs; navigation, scripts and styles of web
//! pages). `.txt` and unknown extensions go through [`crate::decode`] unchanged and uncopied.

mod docx;
mod html;
mod markdown;
mod nesting;
mod pages;
mod pdf;
mod visual_order;

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

use crate::decode::clean::is_unspaced_script;
use crate::decode::{DecodeError, Encoding};

pub use docx::DocxReader;
pub use html::HtmlReader;
pub use markdown::MarkdownReader;
pub use pages::join_pages;
pub use pdf::PdfReader;

/// A file format the pipeline can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Text,
    Markdown,
    Html,
    Pdf,
    Docx,
}

/// Extensions (lowercase, no dot) of every readable format, for the default `[input] include`.
pub const SUPPORTED_EXTENSIONS: &[&str] = &["txt", "md", "html", "htm", "pdf", "docx"];

impl Format {
    /// The format a file's extension names (case-insensitive); anything else is read as text.
    pub fn from_path(path: &Path) -> Format {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("")
            .to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" => Format::Markdown,
            "html" | "htm" | "xhtml" => Format::Html,
            "pdf" => Format::Pdf,
            "docx" => Format::Docx,
            _ => Format::Text,
        }
    }

    /// The stable name written to `documents.csv` (`format` column).
    pub fn name(&self) -> &'static str {
        match self {
            Format::Text => "txt",
            Format::Markdown => "md",
            Format::Html => "html",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }

    /// The name used in error messages ("corrupt PDF: ...").
    fn label(&self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Markdown => "Markdown",
            Format::Html => "HTML",
            Format::Pdf => "PDF",
            Format::Docx => "DOCX",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a reader got out of a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// Plain text: paragraphs separated by a blank line.
    pub text: String,
    /// Number of pages, where the format has them (PDF; DOCX when the file records it).
    pub pages: Option<u32>,
    /// Character encoding, for the formats that are text files (Markdown, HTML).
    pub encoding: Option<Encoding>,
    /// Problems that did not stop extraction (pages that could not be read, guessed encoding).
    pub warnings: Vec<String>,
}

/// Why a file gave no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExtractError {
    /// A PDF whose pages carry no text, only images: a scan without OCR.
    NoTextLayer,
    /// A PDF or Word file that needs a password.
    Encrypted(Format),
    /// A PDF or Word file of zero bytes (an interrupted download or copy).
    Empty(Format),
    /// The file is not a valid file of its format.
    Corrupt { format: Format, reason: String },
    /// A text format (Markdown, HTML, text) holding binary data.
    Binary(DecodeError),
}

impl fmt::Display for ExtractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExtractError::NoTextLayer => f.write_str("no text layer (scanned PDF?)"),
            ExtractError::Encrypted(format) => {
                write!(f, "encrypted {} (needs a password)", format.label())
            }
            ExtractError::Empty(format) => {
                write!(
                    f,
                    "empty {} file (0 bytes: an interrupted download or copy?)",
                    format.label()
                )
            }
            ExtractError::Corrupt { format, reason } => {
                write!(f, "corrupt {}: {reason}", format.label())
            }
            ExtractError::Binary(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ExtractError {}

/// A format reader: bytes in, text plus warnings out. Must not panic on any input.
pub trait Reader: Sync {
    fn extract(&self, bytes: &[u8]) -> Result<Extracted, ExtractError>;
}

/// The reader for a format; `None` for plain text, which [`load`] decodes without copying.
pub fn reader(format: Format) -> Option<&'static dyn Reader> {
    match format {
        Format::Text => None,
        Format::Markdown => Some(&MarkdownReader),
        Format::Html => Some(&HtmlReader),
        Format::Pdf => Some(&PdfReader),
        Format::Docx => Some(&DocxReader),
    }
}

/// A statement's text and how it was obtained, as the pipeline records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loaded<'a> {
    /// Borrowed from the file's bytes for UTF-8 text files.
    pub text: Cow<'a, str>,
    pub format: Format,
    /// The character encoding, for text formats.
    pub encoding: Option<Encoding>,
    pub pages: Option<u32>,
    pub warnings: Vec<String>,
}

/// Reads a statement's bytes with the reader its file name calls for.
pub fn load<'a>(path: &Path, bytes: &'a [u8]) -> Result<Loaded<'a>, ExtractError> {
    let format = Format::from_path(path);
    match reader(format) {
        None => {
            let decoded = crate::decode::decode(bytes).map_err(ExtractError::Binary)?;
            Ok(Loaded {
                text: decoded.text,
                format,
                encoding: Some(decoded.encoding),
                pages: None,
                warnings: decoded.warnings.iter().map(ToString::to_string).collect(),
            })
        }
        // A container format has no empty form: say so rather than pass on its parser's
        // complaint about a missing header.
        Some(_) if bytes.is_empty() && matches!(format, Format::Pdf | Format::Docx) => {
            Err(ExtractError::Empty(format))
        }
        Some(r) => {
            let e = r.extract(bytes)?;
            Ok(Loaded {
                text: Cow::Owned(e.text),
                format,
                encoding: e.encoding,
                pages: e.pages,
                warnings: e.warnings,
            })
        }
    }
}

/// Decodes a text format (Markdown, HTML) the way `.txt` files are decoded.
fn decode_text(bytes: &[u8]) -> Result<(Cow<'_, str>, Encoding, Vec<String>), ExtractError> {
    let decoded = crate::decode::decode(bytes).map_err(ExtractError::Binary)?;
    let warnings = decoded.warnings.iter().map(ToString::to_string).collect();
    Ok((decoded.text, decoded.encoding, warnings))
}

/// Builds plain text block by block: paragraphs separated by one blank line, white space inside
/// a paragraph folded (as a browser shows it), explicit line breaks kept.
#[derive(Debug, Default)]
struct TextBuilder {
    out: String,
    /// Line breaks owed before the next text: 0, 1 (line break) or 2 (paragraph break).
    pending: u8,
    /// A space is owed before the next text of this line.
    space: bool,
    /// The white space owed holds a source line break.
    space_breaks_line: bool,
}

impl TextBuilder {
    /// Appends inline text, folding runs of white space into one space. A run holding a source
    /// line break between two Chinese or Japanese characters goes entirely, as browsers show it
    /// (CSS Text: segment breaks between East Asian wide characters are removed), so a
    /// hard-wrapped `私营部\n门` reads `私营部门`.
    fn text(&mut self, s: &str) {
        let mut rest = s;
        loop {
            let word_start = rest.len() - rest.trim_start_matches(is_fold_space).len();
            if word_start > 0 {
                self.space = true;
                self.space_breaks_line |= rest[..word_start].contains(['\n', '\r']);
                rest = &rest[word_start..];
            }
            if rest.is_empty() {
                break;
            }
            let word_end = rest.find(is_fold_space).unwrap_or(rest.len());
            let word = &rest[..word_end];
            self.flush_breaks();
            let wrapped_unspaced = self.space_breaks_line
                && self.out.chars().next_back().is_some_and(is_unspaced_script)
                && word.chars().next().is_some_and(is_unspaced_script);
            if self.space && !self.out.is_empty() && !self.out.ends_with('\n') && !wrapped_unspaced
            {
                self.out.push(' ');
            }
            self.space = false;
            self.space_breaks_line = false;
            self.out.push_str(word);
            rest = &rest[word_end..];
        }
    }

    /// Appends text verbatim (preformatted blocks): line breaks kept, spaces kept.
    fn verbatim(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.flush_breaks();
        if self.space && !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push(' ');
        }
        self.space = false;
        self.space_breaks_line = false;
        self.out.push_str(s);
    }

    fn line_break(&mut self) {
        if !self.out.is_empty() {
            self.pending = self.pending.max(1);
        }
        self.space = false;
        self.space_breaks_line = false;
    }

    fn paragraph_break(&mut self) {
        if !self.out.is_empty() {
            self.pending = 2;
        }
        self.space = false;
        self.space_breaks_line = false;
    }

    fn flush_breaks(&mut self) {
        for _ in 0..self.pending {
            self.out.push('\n');
        }
        self.pending = 0;
    }

    /// The text, ending with one line break when not empty.
    fn finish(mut self) -> String {
        while self.out.ends_with([' ', '\n']) {
            self.out.pop();
        }
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }
}

/// White space that HTML and Markdown fold: ASCII white space (not U+00A0, which is meant).
fn is_fold_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn formats_by_extension() {
        let cases = [
            ("a.txt", Format::Text),
            ("a.TXT", Format::Text),
            ("a.md", Format::Markdown),
            ("dir/a.Markdown", Format::Markdown),
            ("a.html", Format::Html),
            ("a.HTM", Format::Html),
            ("a.pdf", Format::Pdf),
            ("a.PDF", Format::Pdf),
            ("a.docx", Format::Docx),
            ("a.text", Format::Text),
            ("noext", Format::Text),
        ];
        for (name, format) in cases {
            assert_eq!(Format::from_path(&PathBuf::from(name)), format, "{name}");
        }
    }

    #[test]
    fn every_supported_extension_has_its_reader() {
        for ext in SUPPORTED_EXTENSIONS {
            let f = Format::from_path(&PathBuf::from(format!("x.{ext}")));
            assert_eq!(reader(f).is_none(), *ext == "txt", "{ext}");
        }
    }

    #[test]
    fn text_is_decoded_and_borrowed() {
        let bytes = b"Statement by the Paris Peace Forum\n";
        let loaded = load(Path::new("a.txt"), bytes).unwrap();
        assert!(matches!(loaded.text, Cow::Borrowed(_)));
        assert_eq!(loaded.format, Format::Text);
        assert_eq!(loaded.encoding, Some(Encoding::Utf8));
        assert_eq!(loaded.pages, None);
        let err = load(Path::new("a.txt"), b"a\0b").unwrap_err();
        assert_eq!(err.to_string(), "binary file (NUL byte at offset 1)");
    }

    #[test]
    fn error_messages() {
        let cases = [
            (ExtractError::NoTextLayer, "no text layer (scanned PDF?)"),
            (
                ExtractError::Encrypted(Format::Pdf),
                "encrypted PDF (needs a password)",
            ),
            (
                ExtractError::Corrupt {
                    format: Format::Docx,
                    reason: "no word/document.xml".into(),
                },
                "corrupt DOCX: no word/document.xml",
            ),
        ];
        for (e, text) in cases {
            assert_eq!(e.to_string(), text);
        }
    }

    #[test]
    fn empty_containers_are_named_empty_and_empty_text_is_a_blank_statement() {
        for (name, label) in [("a.pdf", "PDF"), ("a.DOCX", "DOCX")] {
            let err = load(Path::new(name), b"").unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("empty {label} file (0 bytes: an interrupted download or copy?)")
            );
        }
        for name in ["a.txt", "a.md", "a.html"] {
            assert_eq!(load(Path::new(name), b"").unwrap().text, "", "{name}");
        }
    }

    #[test]
    fn builder_folds_space_and_keeps_paragraphs() {
        let mut b = TextBuilder::default();
        b.paragraph_break();
        b.text("  Thank you,\n   Mr. ");
        b.text("Chair");
        b.text("man.  ");
        b.paragraph_break();
        b.paragraph_break();
        b.text("Second");
        b.line_break();
        b.text(" line");
        b.paragraph_break();
        assert_eq!(b.finish(), "Thank you, Mr. Chairman.\n\nSecond\nline\n");
    }

    #[test]
    fn a_source_line_break_inside_chinese_folds_to_nothing() {
        let mut b = TextBuilder::default();
        b.text("我们欢迎私营部\n  门和民间");
        b.text("\r\n");
        b.text("社会的参与 ICT\n安全。两 国");
        assert_eq!(
            b.finish(),
            "我们欢迎私营部门和民间社会的参与 ICT 安全。两 国\n"
        );
    }
}
