//! Decode stage: raw file bytes to text, detecting the encoding and refusing binary files.
//!
//! Detection, in order:
//!
//! 1. A byte-order mark decides: `EF BB BF` is UTF-8 (the BOM is stripped, [`Encoding::Utf8Bom`]),
//!    `FF FE` is UTF-16LE and `FE FF` is UTF-16BE. In UTF-16 NUL *bytes* are normal, but a NUL
//!    *code unit* (U+0000) still marks the file as binary.
//! 2. Without a BOM, any NUL byte marks the file as binary ([`DecodeError::Binary`]): no text
//!    format the pipeline accepts contains one, and decoding an image or archive as text would
//!    quietly feed garbage into the term counts.
//! 3. Valid UTF-8 is returned borrowed, without a copy (the common, fast case).
//! 4. Invalid UTF-8 is either a UTF-8 file with a few damaged sequences or a legacy single-byte
//!    file. The bytes are split into valid runs and maximal invalid sequences, and two counts are
//!    compared: *valid* multi-byte UTF-8 characters and *invalid* sequences. A legacy file has
//!    no (or only accidental) valid multi-byte sequences, while each of its accented letters is
//!    an invalid sequence; a damaged UTF-8 file is the reverse. So:
//!    - more invalid sequences than valid multi-byte characters (in particular: none valid at
//!      all) => a legacy encoding, guessed from the bytes by `LegacyDetector` (chardetng):
//!      Windows-1252 (a superset of printable Latin-1) for Western European text, windows-1251
//!      for Russian, GBK for Chinese, windows-1256 for Arabic, ..., with one warning saying
//!      the encoding was guessed;
//!    - otherwise => decoded as UTF-8, each invalid sequence replaced with U+FFFD and reported
//!      with its byte offset (the first [`MAX_OFFSET_WARNINGS`], then one summary warning).
//!
//! Byte offsets in warnings and errors count from the start of the file, BOM included, so they
//! can be checked with `xxd -s OFFSET`.

pub mod clean;
pub mod extract;
pub mod front_matter;

use std::borrow::Cow;
use std::fmt;

use encoding_rs::{DecoderResult, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How many invalid sequences get a warning of their own before the rest are summarised.
pub const MAX_OFFSET_WARNINGS: usize = 10;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16BE_BOM: &[u8] = b"\xFE\xFF";

/// The encoding a file was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// UTF-8 without a byte-order mark.
    Utf8,
    /// UTF-8 with a leading byte-order mark (stripped from the text).
    Utf8Bom,
    /// UTF-16 little-endian, announced by a `FF FE` byte-order mark.
    Utf16Le,
    /// UTF-16 big-endian, announced by a `FE FF` byte-order mark.
    Utf16Be,
    /// Windows-1252 (guessed for files that are not UTF-8; see the module docs).
    Windows1252,
    /// Another legacy encoding guessed for a file that is not UTF-8 (`windows-1251`, `GBK`,
    /// `windows-1256`, `Shift_JIS`, ...; see the module docs).
    Legacy(&'static encoding_rs::Encoding),
}

impl Encoding {
    /// The stable name written to `documents.csv` (`encoding` column).
    pub fn name(&self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Utf8Bom => "utf-8-bom",
            Encoding::Utf16Le => "utf-16le",
            Encoding::Utf16Be => "utf-16be",
            Encoding::Windows1252 => "windows-1252",
            // WHATWG's names, as browsers and `iconv -l` know them.
            Encoding::Legacy(e) => e.name(),
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A file's text together with how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded<'a> {
    /// The decoded text, borrowed from the input when it was valid UTF-8.
    pub text: Cow<'a, str>,
    pub encoding: Encoding,
    /// Problems that did not stop decoding (replaced bytes, guessed encoding), in file order.
    pub warnings: Vec<DecodeWarning>,
}

/// A recoverable decoding problem at a byte offset of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeWarning {
    /// Offset from the start of the file (BOM included) of the first byte concerned.
    pub byte_offset: usize,
    /// A complete human-readable sentence, including the offset; this is what `Display` prints.
    pub message: String,
}

impl fmt::Display for DecodeWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Why a file could not be decoded as text at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The file contains a NUL byte (or, in UTF-16, a NUL code unit) at `byte_offset`.
    Binary { byte_offset: usize },
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Binary { byte_offset } => {
                write!(f, "binary file (NUL byte at offset {byte_offset})")
            }
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes a file's bytes to text; see the module docs for how the encoding is chosen.
pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, DecodeError> {
    if let Some(body) = bytes.strip_prefix(UTF8_BOM) {
        reject_nul_bytes(body, UTF8_BOM.len())?;
        let (text, warnings) = decode_utf8(body, UTF8_BOM.len());
        return Ok(Decoded {
            text,
            encoding: Encoding::Utf8Bom,
            warnings,
        });
    }
    if let Some(body) = bytes.strip_prefix(UTF16LE_BOM) {
        return decode_utf16(body, Encoding::Utf16Le);
    }
    if let Some(body) = bytes.strip_prefix(UTF16BE_BOM) {
        return decode_utf16(body, Encoding::Utf16Be);
    }
    reject_nul_bytes(bytes, 0)?;
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: Encoding::Utf8,
            warnings: Vec::new(),
        });
    }
    let evidence = Utf8Evidence::gather(bytes);
    if evidence.is_single_byte() {
        let mut detector = LegacyDetector::new();
        detector.feed(bytes, true);
        let encoding = detector.guess();
        let mut warnings = vec![evidence.guess_warning(encoding)];
        let text = match encoding {
            // WHATWG's windows-1252 maps every byte, so this decode never fails or replaces.
            Encoding::Windows1252 => WINDOWS_1252.decode_without_bom_handling(bytes).0,
            _ => {
                let mut text = String::with_capacity(bytes.len() * 3 / 2 + 8);
                let mut replacements = ReplacementWarnings::new(encoding.name());
                if let Some(mut decoder) = encoding.stream_decoder() {
                    decode_block(&mut decoder, bytes, 0, true, &mut text, &mut replacements);
                }
                warnings.extend(replacements.finish());
                Cow::Owned(text)
            }
        };
        return Ok(Decoded {
            text: Cow::Owned(text.into_owned()),
            encoding,
            warnings,
        });
    }
    let (text, warnings) = decode_utf8(bytes, 0);
    Ok(Decoded {
        text,
        encoding: Encoding::Utf8,
        warnings,
    })
}

/// Fails with the offset of the first NUL byte, scanning at memchr speed.
fn reject_nul_bytes(body: &[u8], base_offset: usize) -> Result<(), DecodeError> {
    match memchr::memchr(0, body) {
        Some(position) => Err(DecodeError::Binary {
            byte_offset: base_offset + position,
        }),
        None => Ok(()),
    }
}

/// Counts that tell a damaged UTF-8 file from a legacy single-byte one.
#[derive(Debug, Clone, Default)]
pub(crate) struct Utf8Evidence {
    valid_multibyte_chars: usize,
    invalid_sequences: usize,
    first_invalid_offset: usize,
}

impl Utf8Evidence {
    fn gather(bytes: &[u8]) -> Utf8Evidence {
        let mut evidence = Utf8Evidence::default();
        evidence.add(bytes, 0);
        evidence
    }

    /// Adds the counts of `bytes`, found at `base_offset` of the file. A file may be fed in
    /// parts if each part ends where a UTF-8 sequence may end (see `chunked::utf8_split`).
    pub(crate) fn add(&mut self, bytes: &[u8], base_offset: usize) {
        let mut offset = base_offset;
        for chunk in bytes.utf8_chunks() {
            let valid = chunk.valid();
            // In valid UTF-8 every non-ASCII character starts with exactly one byte >= 0xC0.
            self.valid_multibyte_chars += valid.bytes().filter(|&b| b >= 0xC0).count();
            offset += valid.len();
            if !chunk.invalid().is_empty() {
                if self.invalid_sequences == 0 {
                    self.first_invalid_offset = offset;
                }
                self.invalid_sequences += 1;
            }
            offset += chunk.invalid().len();
        }
    }

    /// True when the file reads better as a single-byte legacy encoding than as UTF-8.
    pub(crate) fn is_single_byte(&self) -> bool {
        self.invalid_sequences > self.valid_multibyte_chars
    }

    /// The warning that says the encoding was guessed.
    pub(crate) fn guess_warning(&self, guessed: Encoding) -> DecodeWarning {
        DecodeWarning {
            byte_offset: self.first_invalid_offset,
            message: format!(
                "not valid UTF-8 ({} invalid sequences, first at byte {}, {} valid multi-byte \
                 characters), decoded as {guessed} (guessed from its bytes)",
                self.invalid_sequences, self.first_invalid_offset, self.valid_multibyte_chars
            ),
        }
    }
}

/// Guesses the legacy encoding of a file that is not UTF-8 from its bytes (chardetng, the
/// detector Firefox uses): windows-1252 for Western European text, windows-1251 or KOI8-R for
/// Russian, GBK or Big5 for Chinese, windows-1256 or ISO-8859-6 for Arabic, and so on. Fed
/// the whole file, in as many parts as convenient, so large files guess as small ones do.
///
/// A short Chinese text in GBK can look like Japanese or Korean to the detector (`网络安全`
/// alone reads as EUC-JP), and Chinese is a UN language while Japanese and Korean are not: a
/// guess of EUC-JP, Shift_JIS or EUC-KR for a text of at most [`SHORT_LEGACY_TEXT`] non-ASCII
/// bytes that are valid GBK is taken as GBK. A longer text gives the detector enough to go on
/// (and Japanese or Korean bytes are nearly always valid GBK too).
pub(crate) struct LegacyDetector {
    detector: chardetng::EncodingDetector,
    /// Whether the bytes so far are valid GBK, checked alongside.
    gbk: encoding_rs::Decoder,
    gbk_valid: bool,
    scratch: String,
    /// Non-ASCII bytes fed so far.
    non_ascii: usize,
}

/// Up to this many non-ASCII bytes (some thirty Chinese characters), an East Asian guess for
/// bytes that are valid GBK is taken as GBK.
const SHORT_LEGACY_TEXT: usize = 64;

impl LegacyDetector {
    pub(crate) fn new() -> LegacyDetector {
        LegacyDetector {
            detector: chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny),
            gbk: encoding_rs::GBK.new_decoder_without_bom_handling(),
            gbk_valid: true,
            scratch: String::new(),
            non_ascii: 0,
        }
    }

    /// Feeds the next bytes of the file; `last` with its final bytes (possibly none).
    pub(crate) fn feed(&mut self, bytes: &[u8], last: bool) {
        self.detector.feed(bytes, last);
        self.non_ascii += bytes.iter().filter(|b| !b.is_ascii()).count();
        let mut read_total = 0;
        while self.gbk_valid && self.non_ascii <= SHORT_LEGACY_TEXT {
            self.scratch.clear();
            self.scratch.reserve(bytes.len() - read_total + 8);
            let (result, read) = self.gbk.decode_to_string_without_replacement(
                &bytes[read_total..],
                &mut self.scratch,
                last,
            );
            read_total += read;
            match result {
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(..) => self.gbk_valid = false,
            }
        }
    }

    pub(crate) fn guess(&self) -> Encoding {
        match self.detector.guess(None, chardetng::Utf8Detection::Deny) {
            e if e == WINDOWS_1252 => Encoding::Windows1252,
            e if self.gbk_valid
                && self.non_ascii <= SHORT_LEGACY_TEXT
                && [
                    encoding_rs::EUC_JP,
                    encoding_rs::SHIFT_JIS,
                    encoding_rs::EUC_KR,
                ]
                .contains(&e) =>
            {
                Encoding::Legacy(encoding_rs::GBK)
            }
            e => Encoding::Legacy(e),
        }
    }
}

impl Encoding {
    /// A streaming decoder for the encodings that need one (UTF-16 and the legacy encodings
    /// other than windows-1252); `None` for UTF-8 and windows-1252, which are decoded directly.
    pub(crate) fn stream_decoder(self) -> Option<encoding_rs::Decoder> {
        match self {
            Encoding::Utf16Le => Some(UTF_16LE.new_decoder_without_bom_handling()),
            Encoding::Utf16Be => Some(UTF_16BE.new_decoder_without_bom_handling()),
            Encoding::Legacy(e) => Some(e.new_decoder_without_bom_handling()),
            Encoding::Utf8 | Encoding::Utf8Bom | Encoding::Windows1252 => None,
        }
    }
}

/// Decodes one block of a file (found at byte `base`) with a streaming decoder, appending to
/// `out`; each malformed sequence becomes U+FFFD and a warning with its file offset. `last`
/// says the block ends the file (a sequence left open there is malformed).
pub(crate) fn decode_block(
    decoder: &mut encoding_rs::Decoder,
    data: &[u8],
    base: usize,
    last: bool,
    out: &mut String,
    replacements: &mut ReplacementWarnings,
) {
    let mut read_total = 0;
    loop {
        let remaining = data.len() - read_total;
        out.reserve(
            decoder
                .max_utf8_buffer_length_without_replacement(remaining)
                .unwrap_or(remaining * 3)
                + 8,
        );
        let (result, read) =
            decoder.decode_to_string_without_replacement(&data[read_total..], out, last);
        read_total += read;
        match result {
            DecoderResult::InputEmpty => break,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad_len, consumed_after) => {
                let bad_start = (base + read_total)
                    .saturating_sub(consumed_after as usize)
                    .saturating_sub(bad_len as usize);
                out.push(char::REPLACEMENT_CHARACTER);
                replacements.record(bad_start);
            }
        }
    }
}

/// Decodes UTF-8, borrowing when valid, else replacing each maximal invalid sequence with
/// U+FFFD and warning about it. `base_offset` is where `body` starts in the file.
fn decode_utf8(body: &[u8], base_offset: usize) -> (Cow<'_, str>, Vec<DecodeWarning>) {
    if let Ok(text) = std::str::from_utf8(body) {
        return (Cow::Borrowed(text), Vec::new());
    }
    let mut text = String::with_capacity(body.len() + 16);
    let mut warnings = ReplacementWarnings::new("UTF-8");
    let mut offset = base_offset;
    for chunk in body.utf8_chunks() {
        text.push_str(chunk.valid());
        offset += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            text.push(char::REPLACEMENT_CHARACTER);
            warnings.record(offset);
            offset += chunk.invalid().len();
        }
    }
    (Cow::Owned(text), warnings.finish())
}

/// Decodes a UTF-16 body (after its BOM), replacing malformed code units with U+FFFD.
fn decode_utf16(body: &[u8], encoding: Encoding) -> Result<Decoded<'_>, DecodeError> {
    let (codec, little_endian) = match encoding {
        Encoding::Utf16Be => (UTF_16BE, false),
        _ => (UTF_16LE, true),
    };
    let bom_len = 2;
    // A NUL code unit means binary data behind a BOM-looking prefix, not text.
    for (index, pair) in body.chunks_exact(2).enumerate() {
        let unit = if little_endian {
            u16::from_le_bytes([pair[0], pair[1]])
        } else {
            u16::from_be_bytes([pair[0], pair[1]])
        };
        if unit == 0 {
            return Err(DecodeError::Binary {
                byte_offset: bom_len + 2 * index,
            });
        }
    }

    let mut decoder = codec.new_decoder_without_bom_handling();
    // Every two input bytes yield at most three UTF-8 bytes, plus slack for a trailing odd byte.
    let mut text = String::with_capacity(body.len() / 2 * 3 + 8);
    let mut warnings = ReplacementWarnings::new(encoding.name());
    decode_block(&mut decoder, body, bom_len, true, &mut text, &mut warnings);
    Ok(Decoded {
        text: Cow::Owned(text),
        encoding,
        warnings: warnings.finish(),
    })
}

/// Collects one warning per replaced sequence up to a cap, then a single summary.
pub(crate) struct ReplacementWarnings {
    encoding_label: &'static str,
    warnings: Vec<DecodeWarning>,
    suppressed: usize,
    first_suppressed_offset: usize,
}

impl ReplacementWarnings {
    pub(crate) fn new(encoding_label: &'static str) -> ReplacementWarnings {
        ReplacementWarnings {
            encoding_label,
            warnings: Vec::new(),
            suppressed: 0,
            first_suppressed_offset: 0,
        }
    }

    pub(crate) fn record(&mut self, byte_offset: usize) {
        if self.warnings.len() < MAX_OFFSET_WARNINGS {
            self.warnings.push(DecodeWarning {
                byte_offset,
                message: format!(
                    "invalid {} at byte {byte_offset}, replaced with U+FFFD",
                    self.encoding_label
                ),
            });
        } else {
            if self.suppressed == 0 {
                self.first_suppressed_offset = byte_offset;
            }
            self.suppressed += 1;
        }
    }

    pub(crate) fn finish(mut self) -> Vec<DecodeWarning> {
        if self.suppressed > 0 {
            self.warnings.push(DecodeWarning {
                byte_offset: self.first_suppressed_offset,
                message: format!(
                    "{} more invalid {} sequences from byte {} on, replaced with U+FFFD",
                    self.suppressed, self.encoding_label, self.first_suppressed_offset
                ),
            });
        }
        self.warnings
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn utf16(text: &str, little_endian: bool) -> Vec<u8> {
        let mut bytes = if little_endian {
            UTF16LE_BOM.to_vec()
        } else {
            UTF16BE_BOM.to_vec()
        };
        for unit in text.encode_utf16() {
            let pair = if little_endian {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            };
            bytes.extend_from_slice(&pair);
        }
        bytes
    }

    #[test]
    fn encodings_table() {
        let text = "C\u{F4}te d\u{2019}Ivoire \u{1F30D}\r\n";
        let cases: Vec<(&str, Vec<u8>, Encoding)> = vec![
            ("utf-8", text.as_bytes().to_vec(), Encoding::Utf8),
            (
                "utf-8 bom",
                [UTF8_BOM, text.as_bytes()].concat(),
                Encoding::Utf8Bom,
            ),
            ("utf-16le", utf16(text, true), Encoding::Utf16Le),
            ("utf-16be", utf16(text, false), Encoding::Utf16Be),
        ];
        for (name, bytes, encoding) in cases {
            let decoded = decode(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(decoded.text, text, "{name}");
            assert_eq!(decoded.encoding, encoding, "{name}");
            assert!(decoded.warnings.is_empty(), "{name}");
        }
    }

    #[test]
    fn valid_utf8_is_borrowed() {
        let decoded = decode(b"plain text").unwrap();
        assert!(matches!(decoded.text, Cow::Borrowed("plain text")));
        let decoded = decode(b"\xEF\xBB\xBFwith bom").unwrap();
        assert!(matches!(decoded.text, Cow::Borrowed("with bom")));
    }

    #[test]
    fn windows_1252_is_detected() {
        // "Côte d’Ivoire – 1990" in windows-1252: ô = F4, ’ = 92, – = 96.
        let bytes = b"C\xF4te d\x92Ivoire \x96 1990";
        let decoded = decode(bytes).unwrap();
        assert_eq!(decoded.encoding, Encoding::Windows1252);
        assert_eq!(decoded.text, "C\u{F4}te d\u{2019}Ivoire \u{2013} 1990");
        assert_eq!(decoded.warnings.len(), 1);
        assert_eq!(decoded.warnings[0].byte_offset, 1);
        assert!(
            decoded.warnings[0].to_string().contains("windows-1252"),
            "{}",
            decoded.warnings[0]
        );
    }

    #[test]
    fn legacy_encodings_of_the_un_languages_are_guessed() {
        let cases: [(&str, &'static encoding_rs::Encoding, &str); 8] = [
            (
                "Кибернаёмники угрожают безопасности всех государств. Мы должны защищать \
                 критическую инфраструктуру.",
                encoding_rs::WINDOWS_1251,
                "windows-1251",
            ),
            (
                "网络雇佣军和商业间谍软件威胁所有国家的安全。我们必须保护关键基础设施。",
                encoding_rs::GBK,
                "GBK",
            ),
            // Alone, this reads as Japanese (EUC-JP) to the detector.
            ("网络安全", encoding_rs::GBK, "GBK"),
            // Long Japanese and Korean texts stay Japanese and Korean.
            (
                &"日本政府の声明です。議長、私たちは能力構築を支持します。".repeat(10),
                encoding_rs::SHIFT_JIS,
                "Shift_JIS",
            ),
            (
                &"대한민국 정부의 성명입니다. 의장님, 우리는 역량 강화를 지지합니다.".repeat(10),
                encoding_rs::EUC_KR,
                "EUC-KR",
            ),
            (
                "يجب علينا حماية البنية التحتية الحيوية وتعزيز بناء القدرات في جميع البلدان.",
                encoding_rs::WINDOWS_1256,
                "windows-1256",
            ),
            (
                "La protection des infrastructures critiques est une priorité pour la sécurité \
                 de l'État.",
                WINDOWS_1252,
                "windows-1252",
            ),
            (
                "La creación de capacidad es esencial para la seguridad de los países en \
                 desarrollo y la protección de la infraestructura crítica.",
                WINDOWS_1252,
                "windows-1252",
            ),
        ];
        for (text, legacy, name) in cases {
            let (bytes, _, unmappable) = legacy.encode(text);
            assert!(!unmappable, "{name}: the test text is all {name}");
            let decoded = decode(&bytes).unwrap();
            assert_eq!(decoded.encoding.name(), name, "{text}");
            assert_eq!(decoded.text, text);
            assert_eq!(decoded.warnings.len(), 1, "{:?}", decoded.warnings);
            assert!(
                decoded.warnings[0]
                    .to_string()
                    .ends_with(&format!("decoded as {name} (guessed from its bytes)")),
                "{}",
                decoded.warnings[0]
            );
        }
    }

    #[test]
    fn encoding_vote_table() {
        let cases: &[(&str, &[u8], Encoding)] = &[
            (
                "only latin-1 bytes",
                b"caf\xE9 na\xEFve",
                Encoding::Windows1252,
            ),
            // "Ã©" (C3 A9) happens to be valid UTF-8 but is outvoted by three lone bytes.
            (
                "accidental pair",
                b"\xC3\xA9t\xE9 \xE0 \xE9",
                Encoding::Windows1252,
            ),
            (
                "one bad byte among many good",
                "\u{2019}\u{2014}x\u{E9}".as_bytes(),
                Encoding::Utf8,
            ),
            ("tie goes to utf-8", b"\xE2\x80\x99 \xFF", Encoding::Utf8),
        ];
        for (name, bytes, expected) in cases {
            let mut bytes = bytes.to_vec();
            if *expected == Encoding::Utf8 && std::str::from_utf8(&bytes).is_ok() {
                bytes.push(0xFF);
            }
            let decoded = decode(&bytes).unwrap();
            assert_eq!(decoded.encoding, *expected, "{name}");
            assert!(!decoded.warnings.is_empty(), "{name}");
        }
    }

    #[test]
    fn mostly_utf8_gets_replacements_with_offsets() {
        // Two valid multi-byte characters, one stray 0xE9 (a Latin-1 é) at byte 14.
        let mut bytes = "d\u{E9}j\u{E0} vu: ".as_bytes().to_vec();
        assert_eq!(bytes.len(), 11);
        bytes.extend_from_slice(b"caf\xE9!");
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.encoding, Encoding::Utf8);
        assert_eq!(decoded.text, "d\u{E9}j\u{E0} vu: caf\u{FFFD}!");
        assert_eq!(decoded.warnings.len(), 1);
        assert_eq!(decoded.warnings[0].byte_offset, 14);
        assert_eq!(
            decoded.warnings[0].to_string(),
            "invalid UTF-8 at byte 14, replaced with U+FFFD"
        );
    }

    #[test]
    fn offsets_after_bom_count_the_bom() {
        let decoded = decode(b"\xEF\xBB\xBFab\xFFc").unwrap();
        assert_eq!(decoded.encoding, Encoding::Utf8Bom);
        assert_eq!(decoded.text, "ab\u{FFFD}c");
        assert_eq!(decoded.warnings[0].byte_offset, 5);
    }

    #[test]
    fn many_bad_sequences_are_capped_with_a_summary() {
        let mut bytes = Vec::new();
        for _ in 0..40 {
            bytes.extend_from_slice("\u{2014}\u{2019}".as_bytes());
        }
        let first_bad = bytes.len();
        for _ in 0..15 {
            bytes.extend_from_slice(b"x\xFF");
        }
        let decoded = decode(&bytes).unwrap();
        assert_eq!(decoded.encoding, Encoding::Utf8);
        assert_eq!(decoded.warnings.len(), MAX_OFFSET_WARNINGS + 1);
        assert_eq!(decoded.warnings[0].byte_offset, first_bad + 1);
        let summary = &decoded.warnings[MAX_OFFSET_WARNINGS];
        assert_eq!(summary.byte_offset, first_bad + 1 + 2 * MAX_OFFSET_WARNINGS);
        assert!(
            summary
                .message
                .starts_with("5 more invalid UTF-8 sequences")
        );
        assert_eq!(decoded.text.matches('\u{FFFD}').count(), 15);
    }

    #[test]
    fn nul_means_binary() {
        let cases: &[(&[u8], usize)] = &[
            (b"abc\0def", 3),
            (b"\0", 0),
            (b"\xEF\xBB\xBFab\0", 5),
            (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 8),
            // UTF-16LE with a U+0000 code unit after "A".
            (b"\xFF\xFEA\0\0\0", 4),
        ];
        for (bytes, offset) in cases {
            let error = decode(bytes).unwrap_err();
            assert_eq!(
                error,
                DecodeError::Binary {
                    byte_offset: *offset
                }
            );
            assert_eq!(
                error.to_string(),
                format!("binary file (NUL byte at offset {offset})")
            );
        }
    }

    #[test]
    fn utf16_nul_bytes_are_not_binary_but_bad_surrogates_warn() {
        // "A", lone high surrogate D800, "B", then a dangling odd byte.
        let bytes = b"\xFF\xFEA\0\x00\xD8B\0x";
        let decoded = decode(bytes).unwrap();
        assert_eq!(decoded.encoding, Encoding::Utf16Le);
        assert_eq!(decoded.text, "A\u{FFFD}B\u{FFFD}");
        let offsets: Vec<usize> = decoded.warnings.iter().map(|w| w.byte_offset).collect();
        assert_eq!(offsets, vec![4, 8]);
        assert!(decoded.warnings[0].message.contains("utf-16le"));
    }

    #[test]
    fn names_are_stable() {
        let names: Vec<&str> = [
            Encoding::Utf8,
            Encoding::Utf8Bom,
            Encoding::Utf16Le,
            Encoding::Utf16Be,
            Encoding::Windows1252,
        ]
        .iter()
        .map(Encoding::name)
        .collect();
        assert_eq!(
            names,
            ["utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252"]
        );
    }

    proptest! {
        #[test]
        fn decode_is_total(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            match decode(&bytes) {
                Ok(decoded) => prop_assert!(!decoded.text.contains('\0')),
                Err(DecodeError::Binary { byte_offset }) => {
                    prop_assert!(byte_offset < bytes.len());
                }
            }
        }

        #[test]
        fn decode_is_total_after_a_bom(
            bom in prop_oneof![Just(UTF8_BOM), Just(UTF16LE_BOM), Just(UTF16BE_BOM)],
            body in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            let bytes = [bom, &body].concat();
            if let Ok(decoded) = decode(&bytes) {
                prop_assert!(!decoded.text.contains('\0'));
                for warning in &decoded.warnings {
                    prop_assert!(warning.byte_offset < bytes.len());
                }
            }
        }

        #[test]
        fn valid_utf8_round_trips(text in "[^\u{0}\u{FEFF}]*") {
            let decoded = decode(text.as_bytes()).unwrap();
            prop_assert_eq!(decoded.text.as_ref(), text.as_str());
            prop_assert_eq!(decoded.encoding, Encoding::Utf8);
        }
    }
}
