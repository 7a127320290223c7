//! PDF reader: the text layer page by page (pdf-extract on lopdf), page furniture removed.
//!
//! Each page's text comes out in content order with line breaks where the text moves down a
//! line and blank lines at paragraph gaps; [`super::join_pages`] then drops running headers,
//! footers and page numbers and joins the pages. A PDF that opens without a password (an empty
//! user password, "owner-only" protection) is read; one that needs a password is
//! [`ExtractError::Encrypted`]. A PDF whose pages hold no letters at all is a scan without OCR:
//! [`ExtractError::NoTextLayer`]. A page that cannot be read is a warning, not the end. Arabic
//! that the PDF stores backwards (in visual order) is put back in reading order, with a warning
//! (see [`super::visual_order`]).
//!
//! The PDF libraries can panic on malformed files; a panic is caught and reported as a corrupt
//! PDF (see [`catch_quietly`]), so one bad file never stops the batch.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use pdf_extract::{Document, PlainTextOutput};

use super::{ExtractError, Extracted, Format, Reader};

/// Reads `.pdf` files that have a text layer.
#[derive(Debug, Clone, Copy, Default)]
pub struct PdfReader;

impl Reader for PdfReader {
    fn extract(&self, bytes: &[u8]) -> Result<Extracted, ExtractError> {
        match catch_quietly(|| read_pdf(bytes)) {
            Ok(result) => result,
            Err(message) => Err(corrupt(format!("the PDF reader failed ({message})"))),
        }
    }
}

fn corrupt(reason: String) -> ExtractError {
    ExtractError::Corrupt {
        format: Format::Pdf,
        reason,
    }
}

fn pdf_error(e: pdf_extract::Error) -> ExtractError {
    match e {
        pdf_extract::Error::Decryption(_) => ExtractError::Encrypted(Format::Pdf),
        other => corrupt(other.to_string()),
    }
}

fn read_pdf(bytes: &[u8]) -> Result<Extracted, ExtractError> {
    let mut doc = Document::load_mem(bytes).map_err(pdf_error)?;
    if doc.is_encrypted() && doc.decrypt("").is_err() {
        return Err(ExtractError::Encrypted(Format::Pdf));
    }
    let numbers: Vec<u32> = doc.get_pages().keys().copied().collect();
    if numbers.is_empty() {
        return Err(corrupt("no pages".into()));
    }
    let mut pages = Vec::with_capacity(numbers.len());
    let mut warnings = Vec::new();
    let mut failed = 0;
    for &n in &numbers {
        match page_text(&doc, n) {
            Ok(text) => pages.push(text),
            Err(e) => {
                failed += 1;
                warnings.push(format!("PDF page {n} could not be read ({e}); skipped"));
                pages.push(String::new());
            }
        }
    }
    if failed == numbers.len() {
        return Err(corrupt(format!("none of its {failed} pages could be read")));
    }
    let (mut text, _removed) = super::join_pages(&pages);
    if !text.chars().any(char::is_alphabetic) {
        return Err(ExtractError::NoTextLayer);
    }
    if let Some((reading, lines)) = super::visual_order::to_reading_order(&text) {
        text = reading;
        warnings.push(format!(
            "Arabic stored in visual order (drawn left to right); {lines} lines put back in \
             reading order"
        ));
    }
    let text = letters_of_ligatures(text);
    Ok(Extracted {
        text,
        pages: u32::try_from(numbers.len()).ok(),
        encoding: None,
        warnings,
    })
}

fn page_text(doc: &Document, page: u32) -> Result<String, pdf_extract::OutputError> {
    let mut text = String::new();
    {
        let mut plain = PlainTextOutput::new(&mut text);
        let mut out = LigaturesWhole(&mut plain);
        pdf_extract::output_doc_page(doc, &mut out, page)?;
    }
    Ok(text)
}

/// The plain-text output, given each Arabic lam-alef ligature glyph (`لا`, `لأ`, `لإ`, `لآ`:
/// one glyph, two letters) as its one presentation-form character, so that a line stored
/// backwards can be turned round glyph by glyph without telling the ligature from an alef and
/// a lam that happen to stand side by side (`الأعمال`, `بلادي`); [`letters_of_ligatures`] gives
/// the letters back afterwards.
struct LigaturesWhole<'a>(&'a mut dyn pdf_extract::OutputDev);

impl pdf_extract::OutputDev for LigaturesWhole<'_> {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &pdf_extract::MediaBox,
        art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), pdf_extract::OutputError> {
        self.0.begin_page(page_num, media_box, art_box)
    }

    fn end_page(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.0.end_page()
    }

    fn output_character(
        &mut self,
        trm: &pdf_extract::Transform,
        width: f64,
        spacing: f64,
        font_size: f64,
        char: &str,
    ) -> Result<(), pdf_extract::OutputError> {
        let glyph = match char {
            "\u{644}\u{627}" => "\u{FEFB}",
            "\u{644}\u{623}" => "\u{FEF7}",
            "\u{644}\u{625}" => "\u{FEF9}",
            "\u{644}\u{622}" => "\u{FEF5}",
            other => other,
        };
        self.0
            .output_character(trm, width, spacing, font_size, glyph)
    }

    fn begin_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.0.begin_word()
    }

    fn end_word(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.0.end_word()
    }

    fn end_line(&mut self) -> Result<(), pdf_extract::OutputError> {
        self.0.end_line()
    }
}

/// The text with the lam-alef presentation forms (U+FEF5..=U+FEFC, which [`LigaturesWhole`]
/// writes and some PDFs store) as the two letters each stands for.
fn letters_of_ligatures(text: String) -> String {
    if !text.contains(|c| matches!(c, '\u{FEF5}'..='\u{FEFC}')) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '\u{FEF5}' | '\u{FEF6}' => out.push_str("\u{644}\u{622}"),
            '\u{FEF7}' | '\u{FEF8}' => out.push_str("\u{644}\u{623}"),
            '\u{FEF9}' | '\u{FEFA}' => out.push_str("\u{644}\u{625}"),
            '\u{FEFB}' | '\u{FEFC}' => out.push_str("\u{644}\u{627}"),
            c => out.push(c),
        }
    }
    out
}

thread_local! {
    /// Set while this thread runs code whose panics are caught and reported as errors.
    static CATCHING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`, turning a panic into `Err(message)` without the panic message on stderr.
///
/// The process-wide panic hook is wrapped once: it stays silent on a thread inside
/// `catch_quietly` and defers to the previous hook everywhere else, so real bugs elsewhere
/// still print.
fn catch_quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !CATCHING.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = CATCHING.with(|c| c.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    CATCHING.with(|c| c.set(was));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panic".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn panics_become_errors() {
        let r: Result<(), String> = catch_quietly(|| panic!("bad xref"));
        assert_eq!(r, Err("bad xref".to_string()));
        assert_eq!(catch_quietly(|| 5), Ok(5));
        assert!(!CATCHING.with(Cell::get));
    }

    #[test]
    fn not_a_pdf_is_corrupt() {
        for bytes in [&b""[..], b"%PDF-1.4\n", b"hello world"] {
            let e = PdfReader.extract(bytes).unwrap_err();
            assert!(e.to_string().starts_with("corrupt PDF: "), "{e}");
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn never_panics(tail in proptest::collection::vec(any::<u8>(), 0..300)) {
            let bytes = [&b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"[..], &tail].concat();
            let _ = PdfReader.extract(&bytes);
        }
    }
}
