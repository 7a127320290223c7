//! Caps how deep a page's elements nest before the HTML parser builds its tree.
//!
//! Building the tree costs the parser time in proportion to the depth for every element it
//! opens (it looks down the stack of open elements), so a page of 100,000 nested `<div>`s
//! took it most of a minute, and ten times as many would take hours. Browsers' parsers stop
//! nesting at a fixed depth (Chromium's at 512); so does this one: a quick linear scan of the
//! tags follows, roughly as the parser will, which elements are open, and removes the tags
//! of the elements that would open deeper than [`MAX_DEPTH`]. Their text stays, read as text
//! of the element above them, and a page that nests no deeper is passed on untouched.
//!
//! The scan knows what the parser's tree builder needs for the depth: void elements
//! (`<br>`), raw-text elements (`<script>`, `<style>`, ... whose content has no tags),
//! comments, quoted attribute values holding `>`, end tags that close every element above
//! their own, stray end tags (ignored), and the end tags a page may leave out (`<p>`, `<li>`,
//! `<td>`, ...: the next one closes the last), looked for near the top of the stack only, so
//! the scan stays linear however the page nests.

use std::borrow::Cow;
use std::collections::HashMap;

/// The deepest nesting of elements a page keeps, as in browsers' parsers.
pub const MAX_DEPTH: usize = 512;

/// How far down the stack an implied end tag (`<li>` closing the last `<li>`) is looked for.
const IMPLIED_REACH: usize = 32;

/// A page with the tags of its over-deep elements removed.
#[derive(Debug)]
pub struct Capped<'a> {
    pub html: Cow<'a, str>,
    /// Elements whose tags were removed (0: the page is as given).
    pub dropped: usize,
    /// The deepest nesting the scan found.
    pub deepest: usize,
}

impl Capped<'_> {
    /// The warning to give when tags were removed.
    pub fn warning(&self) -> Option<String> {
        (self.dropped > 0).then(|| {
            format!(
                "HTML elements nested {} deep: the tags of the {} elements deeper than {MAX_DEPTH} were dropped and their text kept, as browsers do",
                self.deepest, self.dropped
            )
        })
    }
}

/// Elements without content or end tag.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "param"
            | "keygen"
            | "basefont"
            | "bgsound"
            | "frame"
            | "image"
    )
}

/// Elements whose content is text up to their end tag.
fn is_raw_text(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "textarea" | "title" | "xmp" | "iframe" | "noembed" | "noframes"
    )
}

/// Start tags that close an open `<p>`.
fn closes_p(name: &str) -> bool {
    matches!(
        name,
        "p" | "address"
            | "article"
            | "aside"
            | "blockquote"
            | "details"
            | "div"
            | "dl"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hr"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "ul"
            | "li"
            | "dd"
            | "dt"
    )
}

/// For a start tag whose element ends the last one of its kind implicitly: the names it
/// closes and the names that stop the search (the list, table or row it belongs to).
fn implied(name: &str) -> Option<(&'static [&'static str], &'static [&'static str])> {
    Some(match name {
        "li" => (&["li"], &["ul", "ol", "menu"]),
        "dd" | "dt" => (&["dd", "dt"], &["dl"]),
        "tr" => (&["tr"], &["table", "thead", "tbody", "tfoot"]),
        "td" | "th" => (&["td", "th"], &["tr", "table"]),
        "thead" | "tbody" | "tfoot" => (&["thead", "tbody", "tfoot"], &["table"]),
        "option" => (&["option"], &["select", "datalist"]),
        "optgroup" => (&["option", "optgroup"], &["select"]),
        "rb" | "rt" | "rtc" | "rp" => (&["rb", "rt", "rtc", "rp"], &["ruby"]),
        _ => return None,
    })
}

/// The open elements as the scan follows them.
#[derive(Default)]
struct Open {
    /// Name and whether its tags are dropped.
    stack: Vec<(Box<str>, bool)>,
    /// Open elements by name.
    counts: HashMap<Box<str>, usize>,
}

impl Open {
    fn push(&mut self, name: &str, dropped: bool) {
        self.stack.push((name.into(), dropped));
        *self.counts.entry(name.into()).or_default() += 1;
    }

    fn is_open(&self, name: &str) -> bool {
        self.counts.get(name).is_some_and(|&n| n > 0)
    }

    /// Closes the elements above the last `name` and it; returns whether its tags were
    /// dropped. `name` must be open.
    fn pop_to(&mut self, name: &str) -> bool {
        while let Some((top, dropped)) = self.stack.pop() {
            if let Some(n) = self.counts.get_mut(&top) {
                *n -= 1;
            }
            if &*top == name {
                return dropped;
            }
        }
        false
    }

    /// The implied end of the last of `names`, when it lies near the top and no `stops`
    /// element is above it.
    fn close_implied(&mut self, names: &[&str], stops: &[&str]) {
        let found = (self.stack.iter().rev().take(IMPLIED_REACH))
            .take_while(|(n, _)| !stops.contains(&&**n))
            .find(|(n, _)| names.contains(&&**n))
            .map(|(n, _)| n.clone());
        if let Some(n) = found {
            self.pop_to(&n);
        }
    }
}

/// The page with the tags of elements nested deeper than [`MAX_DEPTH`] removed (see the
/// module docs); the page itself, borrowed, when nothing nests that deep.
pub fn cap_nesting(html: &str) -> Capped<'_> {
    let b = html.as_bytes();
    let mut open = Open::default();
    let mut out: Option<String> = None;
    // Input copied to `out` so far.
    let mut copied = 0;
    let mut dropped = 0;
    let mut deepest = 0;
    let drop_span = |out: &mut Option<String>, copied: &mut usize, start: usize, end: usize| {
        let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
        o.push_str(&html[*copied..start]);
        *copied = end;
    };
    let mut i = 0;
    while let Some(off) = memchr(b'<', &b[i..]) {
        let start = i + off;
        let rest = &b[start..];
        if rest.starts_with(b"<!--") {
            i = find(b, start + 4, b"-->").map_or(b.len(), |p| p + 3);
            continue;
        }
        if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
            i = memchr(b'>', &b[start..]).map_or(b.len(), |p| start + p + 1);
            continue;
        }
        let end_tag = rest.starts_with(b"</");
        let name_at = start + if end_tag { 2 } else { 1 };
        if !b.get(name_at).is_some_and(u8::is_ascii_alphabetic) {
            i = start + 1;
            continue;
        }
        let name_end = name_at
            + b[name_at..]
                .iter()
                .position(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>'))
                .unwrap_or(b.len() - name_at);
        let name = html[name_at..name_end].to_ascii_lowercase();
        let Some(tag_end) = tag_end(b, name_end) else {
            // An unfinished tag runs to the end of the page: no element opens after it.
            break;
        };
        i = tag_end;
        if matches!(name.as_str(), "html" | "head" | "body") {
            continue;
        }
        if end_tag {
            if open.is_open(&name) && open.pop_to(&name) {
                drop_span(&mut out, &mut copied, start, tag_end);
            }
            continue;
        }
        if name == "plaintext" {
            // Everything after it is text.
            break;
        }
        if is_raw_text(&name) {
            i = find_end_tag(b, tag_end, &name).unwrap_or(b.len());
            continue;
        }
        if is_void(&name) {
            continue;
        }
        if closes_p(&name) && open.is_open("p") {
            open.close_implied(&["p"], &["button", "table", "td", "th", "caption"]);
        }
        if let Some((names, stops)) = implied(&name) {
            open.close_implied(names, stops);
        }
        let self_closing = b[..tag_end - 1].ends_with(b"/");
        if self_closing && (open.is_open("svg") || open.is_open("math")) {
            // Foreign content: `<path/>` opens nothing.
            continue;
        }
        let too_deep = open.stack.len() >= MAX_DEPTH;
        open.push(&name, too_deep);
        deepest = deepest.max(open.stack.len());
        if too_deep {
            dropped += 1;
            drop_span(&mut out, &mut copied, start, tag_end);
        }
    }
    let html = match out {
        Some(mut o) => {
            o.push_str(&html[copied..]);
            Cow::Owned(o)
        }
        None => Cow::Borrowed(html),
    };
    Capped {
        html,
        dropped,
        deepest,
    }
}

/// Just past the `>` that ends a tag whose name ends at `from`, skipping quoted attribute
/// values (which may hold `>`); `None` when the page ends first.
fn tag_end(b: &[u8], from: usize) -> Option<usize> {
    let mut j = from;
    while j < b.len() {
        match b[j] {
            b'>' => return Some(j + 1),
            b'=' => {
                j += 1;
                while b.get(j).is_some_and(u8::is_ascii_whitespace) {
                    j += 1;
                }
                if let Some(&q @ (b'"' | b'\'')) = b.get(j) {
                    j = j + 1 + memchr(q, &b[j + 1..])?;
                }
                j += 1;
            }
            _ => j += 1,
        }
    }
    None
}

/// Where the end tag `</name` (any case) starts, at or after `from`.
fn find_end_tag(b: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut j = from;
    while let Some(off) = find(b, j, b"</") {
        let at = off + 2;
        if b.len() >= at + name.len()
            && b[at..at + name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return Some(off);
        }
        j = off + 2;
    }
    None
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    hay.iter().position(|&c| c == needle)
}

/// The first `needle` in `b` at or after `from`.
fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deep(n: usize, open: &str, close: &str) -> String {
        format!("<body>{}text{}</body>", open.repeat(n), close.repeat(n))
    }

    #[test]
    fn shallow_pages_pass_untouched() {
        for page in [
            "<html><body><div><p>One<p>Two</div></body></html>",
            "<ul><li>a<li>b<li>c</ul>",
            "<p>no <b>end tags<p>here",
            "",
            "a < b > c",
        ] {
            let c = cap_nesting(page);
            assert!(matches!(c.html, Cow::Borrowed(_)), "{page}");
            assert_eq!(c.dropped, 0);
            assert!(c.warning().is_none());
        }
    }

    #[test]
    fn elements_past_the_cap_lose_their_tags_not_their_text() {
        let page = deep(MAX_DEPTH + 100, "<div>", "</div>");
        let c = cap_nesting(&page);
        assert_eq!(c.dropped, 100);
        assert_eq!(c.deepest, MAX_DEPTH + 100);
        let kept = &*c.html;
        assert_eq!(kept.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(kept.matches("</div>").count(), MAX_DEPTH);
        assert!(kept.contains(">text<"));
        assert!(c.warning().unwrap().contains("612 deep"));
        // Capped once, a page passes the cap untouched.
        assert_eq!(cap_nesting(kept).dropped, 0);
    }

    #[test]
    fn unclosed_and_self_closed_elements_count_as_the_parser_counts_them() {
        // A thousand paragraphs, list items and cells without end tags nest nothing.
        for (open, close) in [("<p>x", ""), ("<li>x", ""), ("<tr><td>x", "")] {
            let page = format!("<ul><table>{}{close}</table></ul>", open.repeat(1000));
            assert_eq!(cap_nesting(&page).dropped, 0, "{open}");
        }
        // `<div/>` opens a div in HTML (the parser ignores the slash)...
        assert!(cap_nesting(&"<div/>".repeat(MAX_DEPTH + 1)).dropped > 0);
        // ...but not inside SVG.
        let svg = format!("<svg>{}</svg>", "<path/>".repeat(2000));
        assert_eq!(cap_nesting(&svg).dropped, 0);
        // Unclosed divs nest.
        assert_eq!(cap_nesting(&"<div>x".repeat(MAX_DEPTH + 5)).dropped, 5);
    }

    #[test]
    fn raw_text_comments_and_attributes_hide_no_tags() {
        let inside = "<div>".repeat(MAX_DEPTH + 10);
        for page in [
            format!("<script>{inside}</script>"),
            format!("<style>{inside}</STYLE>"),
            format!("<!-- {inside} -->"),
            format!("<a title=\"{inside}\">x</a>"),
            format!("<textarea>{inside}</textarea>"),
        ] {
            assert_eq!(cap_nesting(&page).dropped, 0, "{}", &page[..20]);
        }
    }

    #[test]
    fn an_end_tag_closes_what_was_left_open_above_it() {
        // Each section's unclosed spans end with it: the depth never builds up.
        let page = "<section><span><span><span>x</section>".repeat(1000);
        assert_eq!(cap_nesting(&page).dropped, 0);
        // Stray end tags close nothing.
        let stray = "<div></i></b>".repeat(MAX_DEPTH + 3);
        assert_eq!(cap_nesting(&stray).dropped, 3);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_keeps_the_text(page in "[<>/a-z =\"'!\n-]{0,300}") {
            let c = cap_nesting(&page);
            let strip = |s: &str| s.chars().filter(|c| !matches!(c, '<' | '>')).count();
            // Only whole tags are taken out: without any, the page is unchanged.
            if c.dropped == 0 {
                proptest::prop_assert_eq!(&*c.html, page.as_str());
            }
            proptest::prop_assert!(strip(&c.html) <= strip(&page));
        }
    }
}
