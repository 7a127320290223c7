//! Markdown reader: CommonMark rendered to plain text, front matter kept verbatim on top.
//!
//! Markup goes (`#`, `*`, backticks, link targets and image sources); link text, code spans,
//! footnote and table text stay. Source line breaks inside a paragraph are kept as line breaks,
//! so the clean stage still joins `multi-\nstakeholder`. A front-matter block (`---` lines) is
//! copied unchanged to the top of the text, where the metadata stage reads it.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::{ExtractError, Extracted, Reader, TextBuilder, decode_text};

/// Reads `.md` / `.markdown` files.
#[derive(Debug, Clone, Copy, Default)]
pub struct MarkdownReader;

impl Reader for MarkdownReader {
    fn extract(&self, bytes: &[u8]) -> Result<Extracted, ExtractError> {
        let (text, encoding, mut warnings) = decode_text(bytes)?;
        let (text, deep) = markdown_text(&text);
        warnings.extend(deep);
        Ok(Extracted {
            text,
            pages: None,
            encoding: Some(encoding),
            warnings,
        })
    }
}

/// Markdown source to plain text (front matter, if any, first and unchanged).
#[cfg(test)]
fn markdown_to_text(source: &str) -> String {
    markdown_text(source).0
}

/// Markdown source to plain text, with a warning when its raw HTML nests deeper than
/// browsers nest elements (their tags are dropped, see `nesting`).
fn markdown_text(source: &str) -> (String, Option<String>) {
    let split = front_matter_len(source);
    let (front, body) = source.split_at(split);
    let mut out = String::with_capacity(source.len());
    out.push_str(front);
    if !front.is_empty() && !front.ends_with('\n') {
        out.push('\n');
    }
    let (rendered, deep) = render(body);
    if !front.is_empty() && !rendered.is_empty() {
        out.push('\n');
    }
    out.push_str(&rendered);
    (out, deep)
}

/// Length of a front-matter block at the top: a first line `---`, through the next line that
/// is `---` or `...` (the shape `front_matter::parse_front_matter` reads); 0 when there is none.
fn front_matter_len(source: &str) -> usize {
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let mut offset = bom;
    let mut lines = source[bom..].split_inclusive('\n');
    match lines.next() {
        Some(first) if first.trim_end() == "---" => offset += first.len(),
        _ => return 0,
    }
    for line in lines {
        offset += line.len();
        if matches!(line.trim_end(), "---" | "...") {
            return offset;
        }
    }
    0
}

fn render(body: &str) -> (String, Option<String>) {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let mut b = TextBuilder::default();
    // Inside an image the text is its alt text: not part of the speech.
    let mut image_depth = 0usize;
    let mut in_code_block = false;
    // The deepest raw HTML, by the fragment that nested deepest and lost most tags.
    let mut deep: Option<String> = None;
    let mut most_dropped = 0;
    for event in Parser::new_ext(body, options) {
        match event {
            Event::Start(Tag::Image { .. }) => image_depth += 1,
            Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
            _ if image_depth > 0 => {}
            Event::Start(Tag::CodeBlock(_)) => {
                in_code_block = true;
                b.paragraph_break();
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                b.paragraph_break();
            }
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::BlockQuote(_)
                | Tag::Item
                | Tag::FootnoteDefinition(_)
                | Tag::Table(_)
                | Tag::TableRow
                | Tag::TableHead
                | Tag::HtmlBlock,
            ) => b.paragraph_break(),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::BlockQuote(_)
                | TagEnd::Item
                | TagEnd::FootnoteDefinition
                | TagEnd::Table
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::HtmlBlock,
            ) => b.paragraph_break(),
            Event::End(TagEnd::TableCell) => b.text(" "),
            Event::Text(t) if in_code_block => b.verbatim(&t),
            Event::Text(t) | Event::Code(t) => b.text(&t),
            Event::SoftBreak | Event::HardBreak => b.line_break(),
            Event::Html(h) | Event::InlineHtml(h) => {
                let capped = super::html::fragment_to(&h, &mut b);
                if capped.dropped > most_dropped {
                    most_dropped = capped.dropped;
                    deep = capped.warning();
                }
            }
            Event::Rule => b.paragraph_break(),
            _ => {}
        }
    }
    (b.finish(), deep)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn deeply_nested_raw_html_is_capped_with_a_warning() {
        let n = 5_000;
        let md = format!(
            "Intro.\n\n{}deep{}\n\nOutro.\n",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let got = MarkdownReader.extract(md.as_bytes()).unwrap();
        assert!(got.text.contains("deep"), "{}", got.text);
        assert!(got.text.starts_with("Intro."));
        assert!(got.text.trim_end().ends_with("Outro."));
        let warning = got.warnings.iter().find(|w| w.contains("nested")).unwrap();
        assert!(warning.contains("5000 deep"), "{warning}");
    }

    #[test]
    fn cases() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "headings, emphasis, links",
                "# United Nations\n\n## Seventh *Session*\n\nThe **Paris Peace Forum** and the \
                 [Paris Call](https://pariscall.international/) on `OEWG`.\n",
                "United Nations\n\nSeventh Session\n\nThe Paris Peace Forum and the Paris Call on OEWG.\n",
            ),
            (
                "line breaks inside a paragraph kept for hyphen joining",
                "a multi-\nstakeholder  \nformat\n",
                "a multi-\nstakeholder\nformat\n",
            ),
            (
                "images, raw html, lists",
                "![logo](logo.png) Intro<br>text\n\n- one\n- two\n\n<div>Block <b>html</b></div>\n",
                "Intro\ntext\n\none\n\ntwo\n\nBlock html\n",
            ),
            (
                "footnotes keep their text",
                "Text[^1].\n\n[^1]: The note.\n",
                "Text.\n\nThe note.\n",
            ),
            (
                "front matter kept verbatim",
                "---\ntitle: *not* markdown\ndate: 2024-03-06\n---\n# Heading\n",
                "---\ntitle: *not* markdown\ndate: 2024-03-06\n---\n\nHeading\n",
            ),
            (
                "unclosed front matter is markdown",
                "---\ntitle: x\n",
                "title: x\n",
            ),
            ("empty", "", ""),
        ];
        for (name, md, want) in cases {
            assert_eq!(markdown_to_text(md), *want, "{name}");
        }
    }

    #[test]
    fn front_matter_still_parses_after_extraction() {
        let text = markdown_to_text("---\nsession: 7\n---\n\n# Statement\n");
        let fm = crate::decode::front_matter::parse_front_matter(&text)
            .unwrap()
            .unwrap();
        assert_eq!(fm.get("session"), Some("7"));
        assert_eq!(&text[fm.body_offset..], "\nStatement\n");
    }

    proptest! {
        #[test]
        fn never_panics(md in "[-#*_`\\[\\]()<>!a-z \n|:^0-9]{0,300}") {
            let _ = markdown_to_text(&md);
        }
    }
}
