//! Reading one statement file: bytes to cleaned text, front matter, header fields and format facts.
//!
//! A [`Reading`] is everything about a statement that depends only on its
//! bytes, its file name and the reading settings (normalization, program
//! build): what [`crate::read::cache`] stores, so a rerun skips decoding, PDF/DOCX/HTML
//! extraction, cleaning and header parsing. What depends on the run (the
//! manifest, the file-name pattern, grouping, forums, the dictionary and the
//! analysis chain) is applied afterwards, to cached and fresh readings alike.

use std::path::Path;

pub use crate::metadata::parts::TextParts;

/// What reading a statement's bytes produced.
#[derive(Debug, Clone, PartialEq, Eq)]
// One value per statement in flight, moved once: boxing the text would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum Reading {
    /// The file gave no text (corrupt PDF, encrypted, binary): the skip reason.
    Failed {
        reason: String,
    },
    Text(TextReading),
}

/// A statement's text and the facts read from it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TextReading {
    /// The prepared (cleaned) text, front matter included.
    pub text: String,
    /// Front matter, header fields and where the body starts.
    pub parts: TextParts,
    /// The character encoding's name, empty where the format has none.
    pub encoding: String,
    pub pages: Option<u32>,
    /// Problems that did not stop reading (undecodable bytes, unreadable PDF pages).
    pub warnings: Vec<String>,
    /// The body holds no text.
    pub blank: bool,
}

impl TextReading {
    /// The text after any front matter.
    pub fn body(&self) -> &str {
        self.text.get(self.parts.body_offset..).unwrap_or("")
    }
}

/// Reads a statement's bytes with the reader its file name calls for, then cleans the text and
/// parses its front matter and header.
pub fn read(path: &Path, bytes: &[u8], normalize: bool) -> Reading {
    let loaded = match crate::decode::extract::load(path, bytes) {
        Ok(l) => l,
        Err(e) => {
            return Reading::Failed {
                reason: e.to_string(),
            };
        }
    };
    let text = crate::decode::clean::prepare(&loaded.text, normalize).into_owned();
    let parts = TextParts::parse(&text);
    Reading::Text(TextReading {
        blank: crate::decode::clean::is_blank(&text[parts.body_offset..]),
        parts,
        encoding: loaded.encoding.map_or("", |e| e.name()).to_string(),
        pages: loaded.pages,
        warnings: loaded.warnings,
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_file_gives_cleaned_text_header_and_body() {
        let bytes = "---\ndate: 2023-03-07\nspeaker: Estonia\n---\nFifth session\r\n\r\nCyber \u{fb01}rms.\r\n";
        let Reading::Text(r) = read(Path::new("a.txt"), bytes.as_bytes(), true) else {
            panic!("not text")
        };
        assert_eq!(
            r.parts.front_matter.as_deref(),
            Some(
                &[
                    ("date".to_string(), "2023-03-07".to_string()),
                    ("speaker".to_string(), "Estonia".to_string())
                ][..]
            )
        );
        assert!(r.body().starts_with("Fifth session\n"), "{:?}", r.body());
        assert!(
            r.body().contains("firms"),
            "ligature cleaned: {:?}",
            r.body()
        );
        assert!(
            r.parts.header.iter().any(|(k, _)| k == "session"),
            "{:?}",
            r.parts.header
        );
        assert_eq!(r.encoding, "utf-8");
        assert!(!r.blank);
        assert_eq!(r.parts.front_matter_error, None);
    }

    #[test]
    fn blank_binary_and_broken_front_matter() {
        let Reading::Text(r) = read(Path::new("e.txt"), b"  \n\n", true) else {
            panic!("not text")
        };
        assert!(r.blank);
        let Reading::Failed { reason } = read(Path::new("b.pdf"), b"not a pdf", true) else {
            panic!("a corrupt PDF must fail")
        };
        assert!(reason.contains("PDF"), "{reason}");
        let Reading::Text(r) = read(Path::new("f.txt"), b"---\ndate 2020\n", true) else {
            panic!("not text")
        };
        assert!(r.parts.front_matter_error.is_some(), "{r:?}");
        assert_eq!(r.parts.body_offset, 0);
    }

    proptest::proptest! {
        #[test]
        fn reading_arbitrary_bytes_never_panics_and_body_is_a_suffix(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)
        ) {
            if let Reading::Text(r) = read(Path::new("x.txt"), &bytes, true) {
                proptest::prop_assert!(r.text.is_char_boundary(r.parts.body_offset));
                proptest::prop_assert!(r.text.ends_with(r.body()));
            }
        }
    }
}
