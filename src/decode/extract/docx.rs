//! DOCX reader: the body's paragraphs in document order, then footnotes and endnotes as text.
//!
//! A DOCX file is a zip archive; the text is in `word/document.xml` (runs `w:t` inside
//! paragraphs `w:p`), footnotes in `word/footnotes.xml`, endnotes in `word/endnotes.xml`.
//! Page headers and footers live in their own parts and are not read, so running heads never
//! reach the text. Deleted tracked changes (`w:delText`) and field codes (`w:instrText`) are not
//! text and are skipped; footnote reference marks leave no digits glued to words.

use std::io::{Cursor, Read};

use quick_xml::Reader as XmlReader;
use quick_xml::events::{BytesStart, Event};

use super::{ExtractError, Extracted, Format, Reader, TextBuilder};

/// Largest part (decompressed) read from the archive: a guard against zip bombs.
const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;

/// Reads `.docx` (Office Open XML word-processing) files.
#[derive(Debug, Clone, Copy, Default)]
pub struct DocxReader;

impl Reader for DocxReader {
    fn extract(&self, bytes: &[u8]) -> Result<Extracted, ExtractError> {
        if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return Err(ole_container_error(bytes));
        }
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| corrupt(format!("not a zip archive ({e})")))?;
        let body = read_part(&mut zip, "word/document.xml")?
            .ok_or_else(|| corrupt("no word/document.xml in the archive".into()))?;
        let mut b = TextBuilder::default();
        paragraphs(&body, &mut b)?;
        for part in ["word/footnotes.xml", "word/endnotes.xml"] {
            if let Some(xml) = read_part(&mut zip, part)? {
                paragraphs(&xml, &mut b)?;
            }
        }
        let pages = read_part(&mut zip, "docProps/app.xml")
            .ok()
            .flatten()
            .and_then(|xml| page_count(&xml));
        Ok(Extracted {
            text: b.finish(),
            pages,
            encoding: None,
            warnings: Vec::new(),
        })
    }
}

fn corrupt(reason: String) -> ExtractError {
    ExtractError::Corrupt {
        format: Format::Docx,
        reason,
    }
}

/// An OLE2 compound file named `.docx` is a password-protected DOCX (its package is stored
/// encrypted in a stream named `EncryptedPackage`) or an old binary `.doc` renamed.
fn ole_container_error(bytes: &[u8]) -> ExtractError {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    if bytes.windows(name.len()).any(|w| w == name.as_slice()) {
        ExtractError::Encrypted(Format::Docx)
    } else {
        corrupt("an OLE2 file, not a zip archive (an old binary .doc renamed?)".into())
    }
}

/// One part of the archive, `None` when absent; bounded by [`MAX_PART_BYTES`].
fn read_part(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<Vec<u8>>, ExtractError> {
    let entry = match zip.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(corrupt(format!("{name}: {e}"))),
    };
    let mut out = Vec::new();
    entry
        .take(MAX_PART_BYTES + 1)
        .read_to_end(&mut out)
        .map_err(|e| corrupt(format!("{name}: {e}")))?;
    if out.len() as u64 > MAX_PART_BYTES {
        return Err(corrupt(format!(
            "{name}: larger than {MAX_PART_BYTES} bytes"
        )));
    }
    Ok(Some(out))
}

/// Walks a WordprocessingML part and appends its paragraphs to `b`. Footnote and endnote
/// separators (notes with a `w:type`) are skipped.
fn paragraphs(xml: &[u8], b: &mut TextBuilder) -> Result<(), ExtractError> {
    let mut reader = XmlReader::from_reader(xml);
    let mut buf = Vec::new();
    let mut para = String::new();
    // Depth of the text element we are in (w:t), and of a skipped note, if any.
    let mut in_text = false;
    let mut skip_depth: Option<usize> = None;
    let mut depth = 0usize;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| corrupt(format!("XML at byte {}: {e}", reader.buffer_position())))?;
        match event {
            Event::Start(e) => {
                depth += 1;
                let name = e.local_name();
                let name = name.as_ref();
                if skip_depth.is_none()
                    && matches!(name, "footnote" | "endnote")
                    && is_separator(&e)
                {
                    skip_depth = Some(depth);
                }
                if skip_depth.is_none() {
                    match name {
                        "t" => in_text = true,
                        _ => empty_element(name, &mut para),
                    }
                }
            }
            Event::Empty(e) if skip_depth.is_none() => {
                empty_element(e.local_name().as_ref(), &mut para);
            }
            Event::End(e) => {
                let name = e.local_name();
                if skip_depth == Some(depth) {
                    skip_depth = None;
                } else if skip_depth.is_none() {
                    match name.as_ref() {
                        "t" => in_text = false,
                        "p" => {
                            push_paragraph(&para, b);
                            para.clear();
                        }
                        _ => {}
                    }
                }
                depth = depth.saturating_sub(1);
            }
            Event::Text(t) if in_text && skip_depth.is_none() => {
                para.push_str(&t.xml10_content());
            }
            Event::GeneralRef(r) if in_text && skip_depth.is_none() => {
                if let Some(c) = resolve_entity(&r) {
                    para.push(c);
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    push_paragraph(&para, b);
    Ok(())
}

/// Elements that stand for characters inside a paragraph.
fn empty_element(name: &str, para: &mut String) {
    match name {
        "tab" => para.push('\t'),
        "br" | "cr" => para.push('\n'),
        "noBreakHyphen" => para.push('-'),
        "softHyphen" => para.push('\u{AD}'),
        _ => {}
    }
}

/// A footnote or endnote that only draws the separator line above the notes.
fn is_separator(e: &BytesStart<'_>) -> bool {
    e.attributes().flatten().any(|a| {
        a.key.local_name().as_ref() == "type"
            && matches!(
                a.value.as_ref(),
                "separator" | "continuationSeparator" | "continuationNotice"
            )
    })
}

/// The character an entity reference (`&amp;`, `&#233;`) stands for.
fn resolve_entity(r: &str) -> Option<char> {
    match r {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => {
            let num = r.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

/// Appends one paragraph: white space folded, manual line breaks kept.
fn push_paragraph(para: &str, b: &mut TextBuilder) {
    if para.trim().is_empty() {
        return;
    }
    for (i, line) in para.split('\n').enumerate() {
        if i > 0 {
            b.line_break();
        }
        b.text(line);
    }
    b.paragraph_break();
}

/// `<Pages>N</Pages>` from `docProps/app.xml`, as the writing application last counted them.
fn page_count(xml: &[u8]) -> Option<u32> {
    let mut reader = XmlReader::from_reader(xml);
    let mut buf = Vec::new();
    let mut in_pages = false;
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) => in_pages = e.local_name().as_ref() == "Pages",
            Event::Text(t) if in_pages => return t.xml10_content().trim().parse().ok(),
            Event::End(_) => in_pages = false,
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::io::Write;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    fn docx(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut out);
            for (name, body) in parts {
                z.start_file(*name, zip::write::SimpleFileOptions::default())
                    .unwrap();
                z.write_all(body.as_bytes()).unwrap();
            }
            z.finish().unwrap();
        }
        out.into_inner()
    }

    fn body(paras: &str) -> String {
        format!(r#"<?xml version="1.0"?><w:document {W}><w:body>{paras}</w:body></w:document>"#)
    }

    #[test]
    fn runs_paragraphs_breaks_and_entities() {
        let xml = body(concat!(
            r#"<w:p><w:r><w:t>Thank you, Mr.</w:t></w:r><w:r><w:t xml:space="preserve"> Chair</w:t></w:r>"#,
            r#"<w:r><w:t>man &amp; delegates</w:t></w:r></w:p>"#,
            r#"<w:p/><w:p><w:r><w:t>multi-</w:t><w:br/><w:t>stakeholder</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:delText>deleted</w:delText><w:instrText>PAGE</w:instrText>"#,
            r#"<w:t>non</w:t><w:noBreakHyphen/><w:t>State&#160;actors</w:t></w:r></w:p>"#
        ));
        let got = DocxReader
            .extract(&docx(&[("word/document.xml", &xml)]))
            .unwrap();
        assert_eq!(
            got.text,
            "Thank you, Mr. Chairman & delegates\n\nmulti-\nstakeholder\n\nnon-State\u{a0}actors\n"
        );
        assert_eq!(got.pages, None);
    }

    #[test]
    fn footnotes_follow_the_body_and_separators_are_dropped() {
        let doc = body(
            r#"<w:p><w:r><w:t>We welcome it</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t>.</w:t></w:r></w:p>"#,
        );
        let notes = format!(
            r#"<w:footnotes {W}><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/><w:t>SEP</w:t></w:r></w:p></w:footnote><w:footnote w:id="1"><w:p><w:r><w:t>Launched in 2024.</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        let app = r#"<Properties><Pages>3</Pages><Words>9</Words></Properties>"#;
        let got = DocxReader
            .extract(&docx(&[
                ("word/document.xml", &doc),
                ("word/footnotes.xml", &notes),
                ("docProps/app.xml", app),
            ]))
            .unwrap();
        assert_eq!(got.text, "We welcome it.\n\nLaunched in 2024.\n");
        assert_eq!(got.pages, Some(3));
    }

    #[test]
    fn broken_files_are_reported() {
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            (
                "not zip",
                b"hello".to_vec(),
                "corrupt DOCX: not a zip archive",
            ),
            (
                "no body",
                docx(&[("word/other.xml", "<x/>")]),
                "corrupt DOCX: no word/document.xml",
            ),
            (
                "bad xml",
                docx(&[("word/document.xml", "<w:p><w:t>a</w:p>")]),
                "corrupt DOCX: XML",
            ),
            (
                "old doc",
                [&[0xD0, 0xCF, 0x11, 0xE0][..], b"rest"].concat(),
                "corrupt DOCX: an OLE2 file",
            ),
        ];
        for (name, bytes, prefix) in cases {
            let e = DocxReader.extract(&bytes).unwrap_err();
            assert!(e.to_string().starts_with(prefix), "{name}: {e}");
        }
        let mut encrypted = vec![0xD0, 0xCF, 0x11, 0xE0, 0, 0];
        encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(
            DocxReader.extract(&encrypted).unwrap_err(),
            ExtractError::Encrypted(Format::Docx)
        );
    }

    proptest! {
        #[test]
        fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = DocxReader.extract(&bytes);
        }

        #[test]
        fn never_panics_on_arbitrary_xml(xml in "[<>/a-z:=\" &#;0-9wtp]{0,200}") {
            let _ = DocxReader.extract(&docx(&[("word/document.xml", &xml)]));
        }
    }
}
