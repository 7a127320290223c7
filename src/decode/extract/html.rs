//! HTML reader: the page's main content as paragraphs, without navigation, scripts or styles.
//!
//! The page is parsed as a browser would (html5ever, via scraper), so broken markup still
//! gives text. The content root is the first `<main>`, else the first `<article>`, else
//! `<body>`. Inside it, `nav`, `aside`, `script`, `style`, `noscript`, `template`, `form`,
//! `svg`, `iframe`, `button`, `select`, `textarea` and media fallbacks are dropped, and so is
//! any element a browser hides (`hidden`, `aria-hidden="true"`, `display: none`), and
//! `header` and `footer` when the root is `<body>` (site banners; inside `<main>`/`<article>` they hold the statement's own
//! title and date). Block elements (`p`, `div`, `h1`-`h6`, `li`, `tr`, ...) become paragraphs,
//! `<br>` a line break; white space is folded as a browser shows it. Elements nested deeper
//! than browsers nest them lose their tags first (`nesting`), so no page makes the parser slow.

use scraper::{ElementRef, Html, Node, Selector};

use super::{ExtractError, Extracted, Reader, TextBuilder, decode_text, nesting};

/// Reads `.html` / `.htm` web pages.
#[derive(Debug, Clone, Copy, Default)]
pub struct HtmlReader;

impl Reader for HtmlReader {
    fn extract(&self, bytes: &[u8]) -> Result<Extracted, ExtractError> {
        let (text, encoding, mut warnings) = decode_text(bytes)?;
        let (text, deep) = page_text(&text);
        warnings.extend(deep);
        Ok(Extracted {
            text,
            pages: None,
            encoding: Some(encoding),
            warnings,
        })
    }
}

/// The main content of an HTML document as plain text.
#[cfg(test)]
fn html_to_text(html: &str) -> String {
    page_text(html).0
}

/// The main content of an HTML document as plain text, with the warning of
/// [`nesting::cap_nesting`] when the page nests deeper than browsers do.
fn page_text(html: &str) -> (String, Option<String>) {
    let capped = nesting::cap_nesting(html);
    let doc = Html::parse_document(&capped.html);
    let mut b = TextBuilder::default();
    let root = ["main", "article", "body"]
        .iter()
        .find_map(|tag| first(&doc, tag).map(|e| (e, *tag == "body")));
    match root {
        Some((root, is_body)) => walk(root, is_body, &mut b),
        None => walk(doc.root_element(), true, &mut b),
    }
    (b.finish(), capped.warning())
}

/// Plain text of an HTML fragment (raw HTML inside Markdown), appended to `b`; returns how
/// many elements nested too deep lost their tags (see [`nesting::cap_nesting`]).
pub(super) fn fragment_to<'a>(html: &'a str, b: &mut TextBuilder) -> nesting::Capped<'a> {
    let capped = nesting::cap_nesting(html);
    let frag = Html::parse_fragment(&capped.html);
    walk(frag.root_element(), true, b);
    capped
}

fn first<'a>(doc: &'a Html, tag: &str) -> Option<ElementRef<'a>> {
    // Tag names are valid selectors; a failure can only mean a typo in the list above.
    let selector = Selector::parse(tag).ok()?;
    doc.select(&selector).next()
}

/// Elements whose content is never statement text.
fn is_dropped(name: &str, root_is_body: bool) -> bool {
    matches!(
        name,
        "nav"
            | "aside"
            | "script"
            | "style"
            | "noscript"
            | "template"
            | "form"
            | "svg"
            | "iframe"
            | "button"
            | "select"
            | "textarea"
            | "option"
            | "datalist"
            | "canvas"
            | "audio"
            | "video"
            | "object"
            | "embed"
            | "head"
            | "title"
    ) || (root_is_body && matches!(name, "header" | "footer"))
}

/// An element a browser does not show: the `hidden` attribute, `aria-hidden="true"`, or an
/// inline style with `display: none` or `visibility: hidden` (collapsed menus, screen-reader
/// duplicates, cookie banners).
fn is_hidden(e: &scraper::node::Element) -> bool {
    if e.attr("hidden").is_some()
        || e.attr("aria-hidden")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    e.attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        style.split(';').any(|d| {
            let d = d.trim_end_matches("!important");
            d == "display:none" || d == "visibility:hidden"
        })
    })
}

/// Elements that start and end a paragraph.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "tr"
            | "blockquote"
            | "section"
            | "article"
            | "main"
            | "header"
            | "footer"
            | "pre"
            | "figure"
            | "figcaption"
            | "address"
            | "hr"
            | "caption"
            | "center"
            | "details"
            | "summary"
    )
}

/// Depth-first walk with an explicit stack, so deeply nested markup cannot overflow the stack.
fn walk(root: ElementRef<'_>, root_is_body: bool, b: &mut TextBuilder) {
    enum Step<'a> {
        Enter(ego_tree::NodeRef<'a, Node>, bool),
        Leave(bool),
    }
    let mut stack = vec![Step::Enter(*root, false)];
    while let Some(step) = stack.pop() {
        match step {
            Step::Leave(block) => {
                if block {
                    b.paragraph_break();
                }
            }
            Step::Enter(node, in_pre) => match node.value() {
                Node::Text(t) => {
                    if in_pre {
                        b.verbatim(t);
                    } else {
                        b.text(t);
                    }
                }
                Node::Element(e) => {
                    let name = e.name();
                    if is_dropped(name, root_is_body) || is_hidden(e) {
                        continue;
                    }
                    if name == "br" {
                        b.line_break();
                        continue;
                    }
                    let block = is_block(name);
                    if block {
                        b.paragraph_break();
                    } else if matches!(name, "td" | "th") {
                        b.text(" ");
                    }
                    let pre = in_pre || name == "pre";
                    stack.push(Step::Leave(block));
                    let children: Vec<_> = node.children().collect();
                    for child in children.into_iter().rev() {
                        stack.push(Step::Enter(child, pre));
                    }
                }
                Node::Document | Node::Fragment => {
                    let children: Vec<_> = node.children().collect();
                    for child in children.into_iter().rev() {
                        stack.push(Step::Enter(child, in_pre));
                    }
                }
                _ => {}
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn cases() {
        let cases: &[(&str, &str, &str)] = &[
            (
                "main preferred, chrome dropped",
                "<html><head><title>T</title><style>p{}</style></head><body><nav>Home</nav>\
                 <main><h1>Statement</h1><p>Thank you,\n   Mr. <em>Chair</em>man.</p></main>\
                 <footer>Copyright</footer></body></html>",
                "Statement\n\nThank you, Mr. Chairman.\n",
            ),
            (
                "article when no main; its own header kept",
                "<body><header>Site</header><article><header><h1>Session 7</h1></header>\
                 <p>Text</p><aside>Related</aside></article></body>",
                "Session 7\n\nText\n",
            ),
            (
                "body fallback drops header, footer, script, noscript",
                "<body><header><nav>a</nav>Banner</header><script>var x = 1;</script>\
                 <noscript>Enable</noscript><div>One<br>two</div><p>Three &amp; four&nbsp;five</p>\
                 <footer>Foot</footer></body>",
                "One\ntwo\n\nThree & four\u{a0}five\n",
            ),
            (
                "hidden elements and form fields are not text",
                "<body><p hidden>Hidden.</p><p aria-hidden=\"true\">Icon</p>\
                 <div style=\"color: red; DISPLAY : none !important\">Menu</div>\
                 <span style=\"visibility:hidden\">Ghost</span><textarea>Draft</textarea>\
                 <video>Your browser cannot play this.</video>\
                 <p aria-hidden=\"false\">Shown</p><p style=\"display: block\">Said.</p></body>",
                "Shown\n\nSaid.\n",
            ),
            (
                "lists and tables",
                "<ul><li>first</li><li>second</li></ul><table><tr><td>a</td><td>b</td></tr></table>",
                "first\n\nsecond\n\na b\n",
            ),
            (
                "preformatted text kept",
                "<pre>multi-\nstakeholder</pre>",
                "multi-\nstakeholder\n",
            ),
            (
                "broken markup",
                "<p>open <b>bold <i>both</p>after",
                "open bold both\n\nafter\n",
            ),
            ("empty", "", ""),
        ];
        for (name, html, want) in cases {
            assert_eq!(html_to_text(html), *want, "{name}");
        }
    }

    #[test]
    fn encoding_is_reported() {
        let got = HtmlReader.extract(b"<p>C\xF4te d'Ivoire</p>").unwrap();
        assert_eq!(got.text, "C\u{F4}te d'Ivoire\n");
        assert_eq!(got.encoding, Some(crate::decode::Encoding::Windows1252));
        assert_eq!(got.warnings.len(), 1);
    }

    #[test]
    fn nesting_past_browsers_depth_is_capped_with_a_warning() {
        // 20,000 nested divs took the parser 1.7 s (quadratic: 100,000 took 34 s).
        let n = 20_000;
        let html = format!(
            "<p>before</p>{}deep{}<p>after</p>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        );
        let got = HtmlReader.extract(html.as_bytes()).unwrap();
        assert_eq!(got.text, "before\n\ndeep\n\nafter\n");
        let warning = got.warnings.iter().find(|w| w.contains("nested")).unwrap();
        assert!(warning.contains("20000 deep"), "{warning}");
        assert!(
            warning.contains(&format!("{} elements", n - nesting::MAX_DEPTH)),
            "{warning}"
        );
        // A page within the depth gives no warning.
        let ok = HtmlReader
            .extract(b"<div><div><p>fine</p></div></div>")
            .unwrap();
        assert!(ok.warnings.is_empty());
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = format!("{}deep{}", "<div>".repeat(4_000), "</div>".repeat(4_000));
        assert_eq!(html_to_text(&html), "deep\n");
    }

    proptest! {
        #[test]
        fn never_panics(html in "[<>/a-z =\"&;!\n-]{0,300}") {
            let _ = html_to_text(&html);
        }
    }
}
