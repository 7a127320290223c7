//! Very large statements, read in pieces so memory stays bounded whatever the file size.
//!
//! A file above [`Chunking::threshold`] bytes is read twice, block by block:
//!
//! 1. a scan chooses the encoding exactly as [`crate::decode::decode`] would on the whole file
//!    (BOM, NUL bytes meaning binary, UTF-8 evidence against a legacy encoding, which a second
//!    scan then guesses) without keeping it;
//! 2. the file is decoded again block by block (UTF-8 split only where a sequence may end;
//!    encoding_rs's streaming decoder for UTF-16), the text is cut into pieces of about
//!    [`Chunking::chunk_bytes`] at a [`find_safe_cut`] boundary, and each piece is cleaned and
//!    handed to [`crate::count::Accumulator::add_pieces`], which carries the state that
//!    crosses a cut (token index, byte offset, open sentence, unsettled phrase matches).
//!
//! Cleaning and tokenizing a piece give the same result as doing so on the whole text because
//! a safe cut lies between two words separated by one space or line break: no cleaning rule
//! (CRLF, hyphenation joins, apostrophes, NFC) looks across it and no sentence starts there.
//! Metadata (front matter, the header) is read from the head, the first pieces up to
//! [`Chunking::head_bytes`]. So the counts, hits and offsets equal those of a single pass;
//! the tests force tiny pieces on ordinary statements and compare.

use std::borrow::Cow;
use std::fmt;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use encoding_rs::WINDOWS_1252;
use unicode_normalization::char::canonical_combining_class;
use unicode_normalization::{IsNormalized, is_nfc_quick};

pub use crate::config::Chunking;
use crate::decode::clean::is_unspaced_script;
use crate::decode::{
    DecodeError, DecodeWarning, Encoding, LegacyDetector, ReplacementWarnings, Utf8Evidence,
    decode_block,
};

/// Why a large statement cannot be read at all (reported like the same error on a small one).
#[derive(Debug)]
pub enum OpenError {
    Unreadable(io::Error),
    Binary(DecodeError),
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Unreadable(e) => write!(f, "unreadable: {e}"),
            OpenError::Binary(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for OpenError {}

impl From<io::Error> for OpenError {
    fn from(e: io::Error) -> Self {
        OpenError::Unreadable(e)
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Where a UTF-8 byte stream may be split without cutting a sequence: before the last byte
/// among the final four that is not a continuation byte (a sequence never continues across
/// such a byte), or at the end when all four are continuation bytes (then none is pending).
pub fn utf8_split(bytes: &[u8]) -> usize {
    let from = bytes.len().saturating_sub(4);
    bytes[from..]
        .iter()
        .rposition(|&b| b & 0xC0 != 0x80)
        .map_or(bytes.len(), |i| from + i)
}

/// Finds the last position `p` in `text` where it may be cut into pieces that are cleaned and
/// tokenized separately: `text[p - 1]` is a space or line feed, the character before it is a
/// letter or digit, and `text[p]` is a letter or digit that starts a normalization segment
/// (combining class 0, NFC quick check Yes); not a line feed between two Chinese or Japanese
/// characters, which cleaning removes. `None` when there is no such place.
pub fn find_safe_cut(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    while let Some(gap) = memchr::memrchr2(b' ', b'\n', &bytes[..end]) {
        let before = text[..gap].chars().next_back();
        let after = text[gap + 1..].chars().next();
        if before.is_some_and(ends_word)
            && after.is_some_and(starts_stable_word)
            && !(bytes[gap] == b'\n'
                && before.is_some_and(is_unspaced_script)
                && after.is_some_and(is_unspaced_script))
        {
            return Some(gap + 1);
        }
        end = gap;
    }
    None
}

/// A text already in memory (a large extracted PDF, Word, HTML or Markdown statement) cut as
/// a large file's pieces are: about `chunk_bytes` each, at a [`find_safe_cut`] boundary
/// (looking up to four pieces ahead for one, then forcing a cut with a warning), so counting
/// the pieces one after another equals counting the whole text, holding one piece's tokens
/// at a time. Borrowed slices: nothing is copied.
pub fn text_pieces(text: &str, chunk_bytes: usize) -> (Vec<&str>, Vec<String>) {
    let chunk_bytes = chunk_bytes.max(1);
    let (mut pieces, mut warnings) = (Vec::new(), Vec::new());
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let mut want = chunk_bytes;
        let cut = loop {
            if rest.len() <= want {
                break rest.len();
            }
            let mut end = want;
            while !rest.is_char_boundary(end) {
                end -= 1;
            }
            match find_safe_cut(&rest[..end]) {
                Some(p) => break p,
                None if want < 4 * chunk_bytes => want += chunk_bytes,
                None => {
                    let p = forced_cut(&rest[..end]).max(
                        // A forced cut is never empty: the first character at least.
                        rest.chars().next().map_or(1, char::len_utf8),
                    );
                    warnings.push(format!(
                        "no break between words in {end} bytes of text; split at text byte {} \
                         (a word or phrase there may be counted differently)",
                        at + p
                    ));
                    break p;
                }
            }
        };
        pieces.push(&rest[..cut]);
        at += cut;
    }
    (pieces, warnings)
}

/// A letter or digit that no cleaning rule rewrites into punctuation.
fn ends_word(c: char) -> bool {
    c.is_alphanumeric() && c != '\u{02BC}'
}

/// A letter or digit that cannot compose with or reorder around what precedes it.
fn starts_stable_word(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (ends_word(c)
            && canonical_combining_class(c) == 0
            && is_nfc_quick(std::iter::once(c)) == IsNormalized::Yes)
}

/// A fallback cut for text with no safe one: the last character boundary before a
/// character of combining class 0, at or before `len / 2` (so progress is guaranteed).
fn forced_cut(text: &str) -> usize {
    let mut p = text.len() / 2;
    while p > 0
        && !(text.is_char_boundary(p)
            && text[p..]
                .chars()
                .next()
                .is_some_and(|c| canonical_combining_class(c) == 0))
    {
        p -= 1;
    }
    if p == 0 {
        // Only combining marks: any boundary will do.
        p = (1..text.len())
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(text.len());
    }
    p
}

/// Fills `buf` as far as the file allows (a short `read` is not the end of the file).
fn read_full(file: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Block size for reading: even, so UTF-16 code units never straddle two blocks.
fn block_size(chunking: &Chunking) -> usize {
    (chunking.chunk_bytes.max(64) + 1) & !1
}

/// The encoding of a file and the warning that it was guessed, decided as `decode` would.
fn scan(path: &Path, block: usize) -> Result<(Encoding, Option<DecodeWarning>), OpenError> {
    let mut file = File::open(path)?;
    let mut buf = vec![0u8; block];
    let n = read_full(&mut file, &mut buf)?;
    let (encoding, bom_len) = if buf[..n].starts_with(UTF8_BOM) {
        (Encoding::Utf8Bom, 3)
    } else if buf[..n].starts_with(b"\xFF\xFE") {
        (Encoding::Utf16Le, 2)
    } else if buf[..n].starts_with(b"\xFE\xFF") {
        (Encoding::Utf16Be, 2)
    } else {
        (Encoding::Utf8, 0)
    };
    let mut evidence = Utf8Evidence::default();
    let mut carry: Vec<u8> = Vec::new();
    let (mut data_start, mut len, mut base) = (bom_len, n, 0usize);
    loop {
        let data = &buf[data_start..len];
        let data_base = base + data_start;
        match encoding {
            Encoding::Utf16Le | Encoding::Utf16Be => {
                let little_endian = encoding == Encoding::Utf16Le;
                for (i, pair) in data.chunks_exact(2).enumerate() {
                    let unit = if little_endian {
                        u16::from_le_bytes([pair[0], pair[1]])
                    } else {
                        u16::from_be_bytes([pair[0], pair[1]])
                    };
                    if unit == 0 {
                        return Err(OpenError::Binary(DecodeError::Binary {
                            byte_offset: data_base + 2 * i,
                        }));
                    }
                }
            }
            _ => {
                if let Some(i) = memchr::memchr(0, data) {
                    return Err(OpenError::Binary(DecodeError::Binary {
                        byte_offset: data_base + i,
                    }));
                }
                let carried = carry.len();
                carry.extend_from_slice(data);
                let split = if len < buf.len() {
                    carry.len()
                } else {
                    utf8_split(&carry)
                };
                evidence.add(&carry[..split], data_base - carried);
                carry.drain(..split);
            }
        }
        if len < buf.len() {
            break;
        }
        base += len;
        data_start = 0;
        len = read_full(&mut file, &mut buf)?;
    }
    Ok(match encoding {
        Encoding::Utf8 if evidence.is_single_byte() => {
            let guessed = guess_legacy(path, &mut buf)?;
            (guessed, Some(evidence.guess_warning(guessed)))
        }
        other => (other, None),
    })
}

/// The legacy encoding of a file that is not UTF-8, guessed from all its bytes as `decode`
/// guesses a small file's (a second pass, made only for such files).
fn guess_legacy(path: &Path, buf: &mut [u8]) -> io::Result<Encoding> {
    let mut file = File::open(path)?;
    let mut detector = LegacyDetector::new();
    loop {
        let n = read_full(&mut file, buf)?;
        let last = n < buf.len();
        detector.feed(&buf[..n], last);
        if last {
            return Ok(detector.guess());
        }
    }
}

/// Decodes a file block by block (the second pass), replacing malformed input like `decode`.
struct BlockDecoder {
    file: File,
    encoding: Encoding,
    buf: Vec<u8>,
    /// Bytes of a UTF-8 sequence that the previous block cut.
    carry: Vec<u8>,
    /// File offset of the next byte to read.
    offset: usize,
    /// The streaming decoder of UTF-16 and the legacy encodings but windows-1252.
    stream: Option<encoding_rs::Decoder>,
    replacements: ReplacementWarnings,
    done: bool,
}

impl BlockDecoder {
    fn open(path: &Path, encoding: Encoding, block: usize) -> io::Result<BlockDecoder> {
        let mut file = File::open(path)?;
        let bom_len = match encoding {
            Encoding::Utf8Bom => 3,
            Encoding::Utf16Le | Encoding::Utf16Be => 2,
            Encoding::Utf8 | Encoding::Windows1252 | Encoding::Legacy(_) => 0,
        };
        file.seek(SeekFrom::Start(bom_len as u64))?;
        Ok(BlockDecoder {
            file,
            encoding,
            buf: vec![0u8; block],
            carry: Vec::new(),
            offset: bom_len,
            stream: encoding.stream_decoder(),
            // The labels `decode` uses, so warnings read the same for small and large files.
            replacements: ReplacementWarnings::new(match encoding {
                Encoding::Utf8 | Encoding::Utf8Bom => "UTF-8",
                other => other.name(),
            }),
            done: false,
        })
    }

    /// Appends the text of the next block to `out`.
    fn next_into(&mut self, out: &mut String) -> io::Result<()> {
        let n = read_full(&mut self.file, &mut self.buf)?;
        let last = n < self.buf.len();
        let base = self.offset;
        self.offset += n;
        let data = &self.buf[..n];
        match self.encoding {
            Encoding::Windows1252 => {
                // WHATWG's windows-1252 maps every byte: nothing to carry or replace.
                out.push_str(&WINDOWS_1252.decode_without_bom_handling(data).0);
            }
            Encoding::Utf16Le | Encoding::Utf16Be | Encoding::Legacy(_) => {
                if let Some(decoder) = self.stream.as_mut() {
                    decode_block(decoder, data, base, last, out, &mut self.replacements);
                }
            }
            Encoding::Utf8 | Encoding::Utf8Bom => {
                let carried = self.carry.len();
                self.carry.extend_from_slice(data);
                let split = if last {
                    self.carry.len()
                } else {
                    utf8_split(&self.carry)
                };
                let mut offset = base - carried;
                for chunk in self.carry[..split].utf8_chunks() {
                    out.push_str(chunk.valid());
                    offset += chunk.valid().len();
                    if !chunk.invalid().is_empty() {
                        out.push(char::REPLACEMENT_CHARACTER);
                        self.replacements.record(offset);
                        offset += chunk.invalid().len();
                    }
                }
                self.carry.drain(..split);
            }
        }
        self.done = last;
        Ok(())
    }
}

/// Decoded text cut at safe places and cleaned, one piece at a time.
struct PieceReader {
    decoder: BlockDecoder,
    /// Clean each piece as the analysis chain cleans text (`[analysis] normalize`).
    normalize: bool,
    chunk_bytes: usize,
    /// Decoded text not yet handed out.
    pending: String,
    /// Decoded bytes already handed out (for the forced-cut warning).
    handed_out: usize,
    warnings: Vec<String>,
}

impl PieceReader {
    /// The next cleaned piece, `None` at the end of the file.
    fn next_piece(&mut self) -> io::Result<Option<String>> {
        let mut want = self.chunk_bytes;
        let raw = loop {
            while self.pending.len() < want && !self.decoder.done {
                self.decoder.next_into(&mut self.pending)?;
            }
            if self.decoder.done {
                if self.pending.is_empty() {
                    return Ok(None);
                }
                break std::mem::take(&mut self.pending);
            }
            let cut = match find_safe_cut(&self.pending) {
                Some(p) => p,
                // Read further for a safe cut, but not without limit.
                None if self.pending.len() < 4 * self.chunk_bytes => {
                    want = self.pending.len() + self.chunk_bytes;
                    continue;
                }
                None => {
                    let p = forced_cut(&self.pending);
                    self.warnings.push(format!(
                        "no break between words in {} bytes of text; split at text byte {} \
                         (a word or phrase there may be counted differently)",
                        self.pending.len(),
                        self.handed_out + p
                    ));
                    p
                }
            };
            let rest = self.pending.split_off(cut);
            break std::mem::replace(&mut self.pending, rest);
        };
        self.handed_out += raw.len();
        let cleaned = match crate::decode::clean::prepare(&raw, self.normalize) {
            Cow::Owned(s) => Some(s),
            Cow::Borrowed(_) => None,
        };
        Ok(Some(cleaned.unwrap_or(raw)))
    }
}

/// A statement read in pieces: its head (for metadata) now, its body piece by piece later.
pub struct LargeStatement {
    reader: PieceReader,
    /// The first pieces, concatenated, and where each of them ends.
    head: String,
    head_ends: Vec<usize>,
    guess: Option<DecodeWarning>,
    pub encoding: Encoding,
    /// The file size.
    pub bytes: u64,
    blank: bool,
    read_error: Option<String>,
}

/// What is left to report once a large statement has been read.
#[derive(Debug, Default)]
pub struct Finished {
    /// Decoding and reading problems, in file order (the caller adds the file name).
    pub warnings: Vec<String>,
    /// Nothing but white space and invisible characters in the pieces read.
    pub blank: bool,
}

impl LargeStatement {
    /// Scans the file, then reads and cleans its head.
    pub fn open(
        path: &Path,
        chunking: &Chunking,
        normalize: bool,
    ) -> Result<LargeStatement, OpenError> {
        let block = block_size(chunking);
        let bytes = std::fs::metadata(path)?.len();
        let (encoding, guess) = scan(path, block)?;
        let mut reader = PieceReader {
            decoder: BlockDecoder::open(path, encoding, block)?,
            normalize,
            chunk_bytes: block,
            pending: String::new(),
            handed_out: 0,
            warnings: Vec::new(),
        };
        let mut head = String::new();
        let mut head_ends = Vec::new();
        while head.len() < chunking.head_bytes {
            match reader.next_piece()? {
                Some(piece) => {
                    head.push_str(&piece);
                    head_ends.push(head.len());
                }
                None => break,
            }
        }
        Ok(LargeStatement {
            reader,
            head,
            head_ends,
            guess,
            encoding,
            bytes,
            blank: true,
            read_error: None,
        })
    }

    /// The cleaned text of the first pieces: where front matter and header are read.
    pub fn head(&self) -> &str {
        &self.head
    }

    /// The cleaned text from `body_offset` of the head on, piece by piece.
    pub fn body_pieces(&mut self, body_offset: usize) -> BodyPieces<'_> {
        BodyPieces {
            head: &self.head,
            head_ends: &self.head_ends,
            next_head: 0,
            body_offset,
            reader: &mut self.reader,
            blank: &mut self.blank,
            read_error: &mut self.read_error,
        }
    }

    /// The warnings gathered while reading, and whether the body was blank.
    pub fn finish(self) -> Finished {
        let mut warnings: Vec<String> = self.guess.iter().map(|w| w.to_string()).collect();
        warnings.extend(
            self.reader
                .decoder
                .replacements
                .finish()
                .iter()
                .map(|w| w.to_string()),
        );
        warnings.extend(self.reader.warnings);
        warnings.extend(self.read_error);
        Finished {
            warnings,
            blank: self.blank,
        }
    }
}

/// The body's pieces: the rest of the head, then what the reader still has.
pub struct BodyPieces<'s> {
    head: &'s str,
    head_ends: &'s [usize],
    next_head: usize,
    body_offset: usize,
    reader: &'s mut PieceReader,
    blank: &'s mut bool,
    read_error: &'s mut Option<String>,
}

impl<'s> Iterator for BodyPieces<'s> {
    type Item = Cow<'s, str>;

    fn next(&mut self) -> Option<Cow<'s, str>> {
        while self.next_head < self.head_ends.len() {
            let start = match self.next_head {
                0 => 0,
                i => self.head_ends[i - 1],
            };
            let end = self.head_ends[self.next_head];
            self.next_head += 1;
            if end > self.body_offset {
                let piece = &self.head[start.max(self.body_offset)..end];
                *self.blank &= crate::decode::clean::is_blank(piece);
                return Some(Cow::Borrowed(piece));
            }
        }
        if self.read_error.is_some() {
            return None;
        }
        match self.reader.next_piece() {
            Ok(Some(piece)) => {
                *self.blank &= crate::decode::clean::is_blank(&piece);
                Some(Cow::Owned(piece))
            }
            Ok(None) => None,
            Err(e) => {
                *self.read_error = Some(format!(
                    "read error after {} bytes of text: {e}; the rest of the statement is not counted",
                    self.reader.handed_out
                ));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::tests::default_analyzer;
    use crate::config::HitRule;
    use crate::count::{Accumulator, DocRecord, Engine};
    use crate::themes::dictionary::Dictionary;
    use crate::themes::matcher::ThemeMatcher;
    use proptest::prelude::*;

    /// Both passes over a whole file, as `decode` reports it: encoding, text, warnings.
    fn decode_streamed(
        path: &Path,
        block: usize,
    ) -> Result<(Encoding, String, Vec<String>), String> {
        let (encoding, guess) = scan(path, block).map_err(|e| e.to_string())?;
        let mut d = BlockDecoder::open(path, encoding, block).map_err(|e| e.to_string())?;
        let mut text = String::new();
        while !d.done {
            d.next_into(&mut text).map_err(|e| e.to_string())?;
        }
        let mut warnings: Vec<String> = guess.iter().map(|w| w.to_string()).collect();
        warnings.extend(d.replacements.finish().iter().map(|w| w.to_string()));
        Ok((encoding, text, warnings))
    }

    fn decode_whole(bytes: &[u8]) -> Result<(Encoding, String, Vec<String>), String> {
        crate::decode::decode(bytes)
            .map(|d| {
                let w = d.warnings.iter().map(|w| w.to_string()).collect();
                (d.encoding, d.text.into_owned(), w)
            })
            .map_err(|e| e.to_string())
    }

    fn engine(patterns: &[&[&str]]) -> Engine {
        let mut toml = String::new();
        for (i, ps) in patterns.iter().enumerate() {
            let list: Vec<String> = ps.iter().map(|p| format!("{p:?}")).collect();
            toml.push_str(&format!(
                "[[theme]]\nname = \"t{i}\"\npatterns = [{}]\n",
                list.join(", ")
            ));
        }
        let dict = Dictionary::parse(&toml).unwrap();
        let analyzer = default_analyzer();
        let matcher =
            ThemeMatcher::compile(&dict, &analyzer, HitRule::LongestMatch, false).unwrap();
        // Contexts and n-grams on, so the piece-by-piece tests cover them too.
        let capture = crate::config::CaptureOptions {
            context_words: 3,
            collocations: true,
            ..crate::config::CaptureOptions::default()
        };
        Engine {
            analyzer,
            matcher,
            capture,
            languages: Default::default(),
        }
    }

    fn doc() -> DocRecord {
        DocRecord {
            index: 0,
            doc_id: "d".into(),
            file: "d.txt".into(),
            meta: Default::default(),
            group: "g".into(),
            encoding: "utf-8".into(),
            ..DocRecord::default()
        }
    }

    /// Cuts raw text at the safe cut at or before each position, like the reader does.
    fn cut_raw(raw: &str, positions: &[usize]) -> Vec<String> {
        let mut pieces = Vec::new();
        let mut rest = raw;
        for &pos in positions {
            let mut pos = pos.min(rest.len());
            while !rest.is_char_boundary(pos) {
                pos -= 1;
            }
            if let Some(cut) = find_safe_cut(&rest[..pos]) {
                pieces.push(rest[..cut].to_string());
                rest = &rest[cut..];
            }
        }
        pieces.push(rest.to_string());
        pieces
    }

    /// Counts `raw` in one go and in pieces cut near `positions`; both must agree exactly.
    fn assert_pieces_agree(e: &Engine, raw: &str, positions: &[usize]) {
        let whole = e.analyzer.prepare(raw).into_owned();
        let mut one = Accumulator::default();
        one.add(e, doc(), &whole);
        let pieces: Vec<String> = cut_raw(raw, positions)
            .iter()
            .map(|p| e.analyzer.prepare(p).into_owned())
            .collect();
        assert_eq!(
            pieces.concat(),
            whole,
            "cleaning pieces = cleaning the whole"
        );
        let mut many = Accumulator::default();
        many.add_pieces(e, doc(), &pieces);
        assert_eq!(one.hits, many.hits, "{raw:?} cut into {pieces:?}");
        assert_eq!(
            (one.docs[0].tokens, one.docs[0].kept_tokens),
            (many.docs[0].tokens, many.docs[0].kept_tokens)
        );
        let (g1, g2) = (&one.groups["g"], &many.groups["g"]);
        assert_eq!(g1.terms, g2.terms);
        assert_eq!(g1.themes, g2.themes);
        assert_eq!(g1.pattern_hits, g2.pattern_hits);
    }

    #[test]
    fn utf8_split_never_cuts_a_sequence() {
        let cases: &[(&[u8], usize)] = &[
            (b"", 0),
            (b"abc", 2),
            ("a\u{e9}".as_bytes(), 1),
            ("a\u{2019}".as_bytes(), 1),
            (b"ab\xE2\x80", 2),
            (b"\x80\x80\x80\x80", 4),
        ];
        for (bytes, split) in cases {
            assert_eq!(utf8_split(bytes), *split, "{bytes:?}");
        }
    }

    #[test]
    fn safe_cuts_lie_between_plain_words() {
        let cases: &[(&str, Option<usize>)] = &[
            ("one two", Some(4)),
            ("one\ntwo", Some(4)),
            ("multi-\nstakeholder", None),
            ("end. Next", None),
            ("a  b", None),
            ("x \u{301}y", None),
            ("word \u{2019}s", None),
            ("r\u{e9}sum\u{e9} \u{e9}t\u{e9}", Some(9)),
            ("one two three", Some(8)),
            ("安全\n设施", None),
            ("安全 设施", Some(7)),
            ("", None),
        ];
        for (text, cut) in cases {
            assert_eq!(find_safe_cut(text), *cut, "{text:?}");
        }
    }

    #[test]
    fn forced_cuts_make_progress_on_a_char_boundary() {
        for text in [
            "abcdef",
            "\u{e9}\u{e9}\u{e9}",
            "a\u{301}\u{301}\u{301}",
            "\u{301}\u{301}",
        ] {
            let p = forced_cut(text);
            assert!(
                p > 0 && p <= text.len() && text.is_char_boundary(p),
                "{text:?}"
            );
        }
    }

    #[test]
    fn phrases_across_a_cut_match_as_in_one_pass() {
        let e = engine(&[
            &["critical infrastructure", "critical"],
            &["capacity building", "building"],
            &["access as a service", "service"],
        ]);
        let raw = "We protect critical infrastructure. Capacity\nbuilding and access as a service, \
                   critical services; critical infrastructure again";
        for pos in 0..raw.len() {
            assert_pieces_agree(&e, raw, &[pos]);
        }
        assert_pieces_agree(&e, raw, &(0..raw.len()).step_by(3).collect::<Vec<_>>());
    }

    #[test]
    fn large_files_decode_in_blocks_like_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.txt");
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in "caf\u{e9} \u{1F600} text ".repeat(20).encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        let cases: Vec<Vec<u8>> = vec![
            "plain ascii ".repeat(30).into_bytes(),
            format!("\u{feff}{}", "d\u{e9}j\u{e0} vu \u{2019} ".repeat(30)).into_bytes(),
            b"caf\xE9 na\xEFve ".repeat(30),
            [
                &"\u{2019}\u{2014}".repeat(40).into_bytes()[..],
                b"\xFF tail",
            ]
            .concat(),
            utf16,
            b"text then \0 binary".to_vec(),
            // Legacy encodings guessed from the whole file; GBK's two-byte characters are cut
            // by the odd block sizes.
            encoding_rs::WINDOWS_1251
                .encode(&"Кибернаёмники угрожают безопасности всех государств. ".repeat(8))
                .0
                .into_owned(),
            encoding_rs::GBK
                .encode(&"网络雇佣军和商业间谍软件威胁所有国家的安全。".repeat(8))
                .0
                .into_owned(),
        ];
        for bytes in cases {
            std::fs::write(&path, &bytes).unwrap();
            for block in [64, 66, 1000] {
                assert_eq!(
                    decode_streamed(&path, block),
                    decode_whole(&bytes),
                    "block {block}"
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn streamed_decoding_equals_decode(
            body in proptest::collection::vec(
                prop_oneof![any::<u8>(), Just(b' '), Just(0xC3), Just(0xA9), Just(b'a')],
                0..400,
            ),
            bom in 0usize..4,
            block in prop_oneof![Just(64usize), Just(66), Just(130)],
        ) {
            let prefix: &[u8] = [&b""[..], b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xFE\xFF"][bom];
            let bytes = [prefix, &body[..]].concat();
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("f.txt");
            std::fs::write(&path, &bytes).unwrap();
            prop_assert_eq!(decode_streamed(&path, block), decode_whole(&bytes));
        }

        #[test]
        fn counting_in_pieces_equals_one_pass(
            words in proptest::collection::vec(
                prop_oneof![
                    Just("critical"), Just("infrastructure"), Just("capacity"), Just("building"),
                    Just("the"), Just("a"), Just("2024"), Just("multi-\nstakeholder"),
                    Just("se\u{301}curite\u{301}"), Just("o\u{fb03}ce"), Just("don\u{2019}t"),
                    Just("Mr."), Just("end."), Just("\r\n"), Just("\u{ad}"), Just("-"),
                ],
                0..60,
            ),
            separators in proptest::collection::vec(
                prop_oneof![Just(" "), Just("\n"), Just("  "), Just("\r\n"), Just("\u{a0}")],
                60,
            ),
            positions in proptest::collection::vec(0usize..600, 0..8),
        ) {
            let e = engine(&[
                &["critical infrastructure", "critical"],
                &["capacity building", "multistakeholder"],
                &["infrastructure capacity building", "s\u{e9}curit\u{e9}"],
            ]);
            let mut raw = String::new();
            for (w, sep) in words.iter().zip(&separators) {
                raw.push_str(w);
                raw.push_str(sep);
            }
            let mut positions = positions;
            positions.sort_unstable();
            assert_pieces_agree(&e, &raw, &positions);
        }
    }
}
