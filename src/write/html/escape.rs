//! Untrusted text stays text: the one HTML escaping function, link targets and data URIs.

/// `text` safe in HTML content and in quoted attribute values: `& < > " '` become entities and
/// control characters (which HTML forbids) become U+FFFD, so statement text, file names,
/// speakers and theme names can only ever show as the words they are.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if c.is_control() => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// `text` escaped and, when it holds right-to-left letters (Arabic, Hebrew), isolated in `<bdi>`
/// so that the punctuation and numbers the page puts around it ("الدول (+12.3)") keep their
/// places; other text is returned as `esc` gives it.
pub fn isolate(text: &str) -> String {
    if text.chars().any(is_rtl_letter) {
        format!("<bdi>{}</bdi>", esc(text))
    } else {
        esc(text)
    }
}

/// ` dir="rtl"` for an element whose text starts (first letter with a direction) right-to-left,
/// so a passage in Arabic reads from the right with its ellipses at the right ends; else nothing.
pub fn dir_of(text: &str) -> &'static str {
    use unicode_bidi::BidiClass::{AL, L, R};
    match text
        .chars()
        .map(unicode_bidi::bidi_class)
        .find(|class| matches!(class, L | R | AL))
    {
        Some(R | AL) => " dir=\"rtl\"",
        _ => "",
    }
}

fn is_rtl_letter(c: char) -> bool {
    matches!(
        unicode_bidi::bidi_class(c),
        unicode_bidi::BidiClass::R | unicode_bidi::BidiClass::AL
    )
}

/// A link to a file of the output, relative to report.html: every byte outside an unreserved
/// set is percent-encoded (so no name can become a scheme, a query or an attribute), then escaped.
pub fn href(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    // "./" keeps a name such as "javascript:x" (encoded ':' aside) from ever reading as a scheme.
    esc(&format!("./{}", out.trim_start_matches('/')))
}

/// `data:image/png;base64,...` for PNG bytes.
pub fn png_data_uri(png: &[u8]) -> String {
    format!("data:image/png;base64,{}", base64(png))
}

/// Standard base64 with padding (RFC 4648, section 4).
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for k in 0..4 {
            if k <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * k)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_to_left_text_is_isolated_and_other_text_untouched() {
        assert_eq!(isolate("الدول"), "<bdi>الدول</bdi>");
        assert_eq!(isolate("a<b الدول"), "<bdi>a&lt;b الدول</bdi>");
        assert_eq!(isolate("state & law"), "state &amp; law");
        assert_eq!(isolate("网络"), "网络");
        assert_eq!(dir_of("… الأمن السيبراني مهم"), " dir=\"rtl\"");
        assert_eq!(dir_of("2021: الأمن"), " dir=\"rtl\"");
        assert_eq!(dir_of("Security (الأمن)"), "");
        assert_eq!(dir_of("…"), "");
    }

    #[test]
    fn markup_in_text_becomes_entities() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert_eq!(
            esc("<img src=x onerror=alert(1)></table>"),
            "&lt;img src=x onerror=alert(1)&gt;&lt;/table&gt;"
        );
        assert_eq!(
            esc("a\u{0}b\u{1b}c\td\u{7f}"),
            "a\u{FFFD}b\u{FFFD}c\td\u{FFFD}"
        );
        assert_eq!(esc("Sécurité — 安全"), "Sécurité — 安全");
    }

    #[test]
    fn links_stay_relative_and_inert() {
        assert_eq!(
            href("charts/themes/Supply_chain.png"),
            "./charts/themes/Supply_chain.png"
        );
        assert_eq!(href("javascript:alert(1)"), "./javascript%3Aalert%281%29");
        assert_eq!(href("/etc/passwd"), "./etc/passwd");
        assert_eq!(href("a b\"<c>.csv"), "./a%20b%22%3Cc%3E.csv");
        assert_eq!(href("é.png"), "./%C3%A9.png");
    }

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (raw, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(raw.as_bytes()), enc, "{raw:?}");
        }
        assert_eq!(base64(&[0xFF, 0xFE, 0x00]), "//4A");
        assert!(png_data_uri(b"\x89PNG").starts_with("data:image/png;base64,iVBORw"));
    }
}
