//! Incremental cache: each statement's reading, and the stems of words seen before, checked on load.
//!
//! Lives in `<parent>/.<output-name>.cache/`, beside the output (publishing never
//! moves it). One entry per statement holds its [`Reading`] (cleaned text, front
//! matter, header fields, encoding, pages, read warnings), keyed by BLAKE3 over the
//! reading fingerprint (program build, normalization), the statement's path and the
//! hash of its bytes. Nothing the run applies afterwards is in the key or the entry
//! (manifest, file-name pattern, grouping, dictionary, tokenizer, stopwords, stemmer):
//! a cached statement is counted through exactly the same code as a fresh one. A
//! second file maps words to stems under the analysis fingerprint, so a rerun stems
//! no word it has stemmed before. Beside each reading sits the statement's record
//! (`count::record`, stored here as bytes), keyed by the reading's key and the analysis
//! fingerprint (not the dictionary's: records do not depend on it). Every file carries its
//! length and a checksum; a truncated, corrupt or mismatched one is reported and
//! recomputed, never trusted.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::config::Settings;
use crate::config::paths::{sibling_name, split_output_dir};
use crate::read::reading::{Reading, TextParts, TextReading};

/// Lowercase word -> stem, as stored in the cache (the analysis chain's `Stems`).
pub type Stems = rustc_hash::FxHashMap<Box<str>, Box<str>>;

/// First bytes of a reading entry; the digit is the format version.
const READING_MAGIC: &[u8; 8] = b"TTREAD03";
/// First bytes of a statement record; the digit is the format version.
const RECORD_MAGIC: &[u8; 8] = b"TTSTAT02";
/// First bytes of the stems file.
const STEMS_MAGIC: &[u8; 8] = b"TTSTEM01";
/// Magic, key, payload length, payload checksum.
pub const HEADER_LEN: usize = 8 + 32 + 8 + 32;
const ENTRY_EXT: &str = "bin";
/// Extension of a statement record (see `count::record`), beside the reading entries.
const RECORD_EXT: &str = "rec";
const STEMS_PREFIX: &str = "stems-";

/// A 32-byte BLAKE3 digest.
pub type Digest = [u8; 32];

/// The hash of a statement's bytes (also listed in run.json).
pub fn content_hash(bytes: &[u8]) -> Digest {
    *blake3::hash(bytes).as_bytes()
}

/// The hash of a file read as a stream (huge statements are never held whole).
pub fn file_hash(path: &Path) -> io::Result<Digest> {
    let mut h = blake3::Hasher::new();
    h.update_reader(fs::File::open(path)?)?;
    Ok(*h.finalize().as_bytes())
}

/// Lowercase hex of a digest.
pub fn hex(d: &Digest) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(64);
    for b in d {
        // Writing to a String cannot fail.
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// `<parent>/.<output-name>.cache`: beside the output, so publishing never moves it and a
/// spreadsheet user never sees it.
pub fn cache_dir(output_dir: &Path) -> Option<PathBuf> {
    let (parent, name) = split_output_dir(output_dir)?;
    Some(parent.join(sibling_name(&name, "cache")))
}

/// Why a cache file was not used.
#[derive(Debug)]
pub enum CacheError {
    Io { path: PathBuf, source: io::Error },
    Corrupt { path: PathBuf, reason: &'static str },
}

impl fmt::Display for CacheError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CacheError::Io { path, source } => {
                write!(f, "cache file {}: {source}", path.display())
            }
            CacheError::Corrupt { path, reason } => write!(
                f,
                "cache file {} is corrupt ({reason}); discarded and recomputed",
                path.display()
            ),
        }
    }
}

impl std::error::Error for CacheError {}

/// The cache of one output folder under one set of settings.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    reading: Digest,
    analysis: Digest,
}

impl Cache {
    /// The cache for `settings` (its folder beside the output dir); `None` when the output
    /// dir has no name to put a folder beside.
    pub fn for_settings(settings: &Settings) -> Option<Cache> {
        Some(Cache {
            dir: cache_dir(&settings.output_dir)?,
            reading: reading_fingerprint(settings),
            analysis: analysis_fingerprint(settings),
        })
    }

    /// A cache in `dir` with explicit fingerprints (tests, tools).
    pub fn at(dir: PathBuf, reading: Digest, analysis: Digest) -> Cache {
        Cache {
            dir,
            reading,
            analysis,
        }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Why this cache cannot be used, if it cannot: its folder is not a folder, or no file
    /// can be made in it (or, when it does not exist yet, in the folder that would hold it).
    /// Checked once before a run, so a broken cache is one warning, not one per statement.
    /// Nothing is created.
    pub fn unusable(&self) -> Option<String> {
        let existing = self
            .dir
            .ancestors()
            .find(|a| a.as_os_str().is_empty() || fs::symlink_metadata(a).is_ok())?;
        let existing = if existing.as_os_str().is_empty() {
            Path::new(".")
        } else {
            existing
        };
        if !existing.is_dir() {
            return Some(if existing == self.dir {
                "it exists but is not a folder".to_string()
            } else {
                format!("{} is not a folder", existing.display())
            });
        }
        tempfile::Builder::new()
            .prefix(".topictrends-probe")
            .tempfile_in(existing)
            .map(drop)
            .err()
            .map(|e| format!("cannot create a file in {}: {e}", existing.display()))
    }

    /// The key of one statement's reading: reading settings, path and bytes all change it.
    pub fn key(&self, rel: &str, content: &Digest) -> Digest {
        let mut h = blake3::Hasher::new();
        h.update(b"topictrends reading v1\0");
        h.update(&self.reading);
        put_str(&mut h, rel);
        h.update(content);
        *h.finalize().as_bytes()
    }

    /// Where the entry for `key` lives.
    pub fn entry_path(&self, key: &Digest) -> PathBuf {
        let name = hex(key);
        self.dir
            .join(&name[..2])
            .join(format!("{name}.{ENTRY_EXT}"))
    }

    /// The key of one statement's record: its reading's key, the analysis settings and
    /// `chain` (what else changes how the text is cut, `record::chain_fingerprint`). The
    /// dictionary, hit rule and tables are not in it: records do not depend on them.
    pub fn record_key(&self, reading_key: &Digest, chain: &Digest) -> Digest {
        let mut h = blake3::Hasher::new();
        h.update(b"topictrends record v2\0");
        h.update(reading_key);
        h.update(&self.analysis);
        h.update(chain);
        *h.finalize().as_bytes()
    }

    /// Where the record for `key` lives.
    pub fn record_path(&self, key: &Digest) -> PathBuf {
        let name = hex(key);
        self.dir
            .join(&name[..2])
            .join(format!("{name}.{RECORD_EXT}"))
    }

    /// A statement record stored under `key`, decoded by `decode`: `Ok(None)` when there is
    /// none, `Err` when one exists but cannot be trusted (the bad file is removed).
    pub fn load_record<T>(
        &self,
        key: &Digest,
        decode: impl FnOnce(&mut Reader<'_>) -> Result<T, &'static str>,
    ) -> Result<Option<T>, CacheError> {
        load_framed(&self.record_path(key), RECORD_MAGIC, key, decode)
    }

    /// Stores an encoded statement record under `key`.
    pub fn store_record(&self, key: &Digest, payload: &[u8]) -> Result<(), CacheError> {
        store_framed(&self.record_path(key), RECORD_MAGIC, key, payload)
    }

    /// Where the stems of this analysis fingerprint live.
    pub fn stems_path(&self) -> PathBuf {
        self.dir
            .join(format!("{STEMS_PREFIX}{}.{ENTRY_EXT}", hex(&self.analysis)))
    }

    /// The cached reading for `key`: `Ok(None)` when there is none, `Err` when one exists
    /// but cannot be trusted (the caller warns and recomputes; the bad file is removed).
    pub fn load(&self, key: &Digest) -> Result<Option<Reading>, CacheError> {
        let path = self.entry_path(key);
        load_framed(&path, READING_MAGIC, key, decode_reading)
    }

    /// Stores a reading under `key`.
    pub fn store(&self, key: &Digest, reading: &Reading) -> Result<(), CacheError> {
        let mut payload = Vec::new();
        encode_reading(&mut payload, reading);
        store_framed(&self.entry_path(key), READING_MAGIC, key, &payload)
    }

    /// The stems known from earlier runs with the same analysis settings (none yet: empty).
    pub fn load_stems(&self) -> Result<Stems, CacheError> {
        let path = self.stems_path();
        Ok(load_framed(&path, STEMS_MAGIC, &self.analysis, decode_stems)?.unwrap_or_default())
    }

    /// Stores word -> stem pairs (written sorted by word, so the file is deterministic).
    pub fn store_stems(&self, pairs: &mut [(&str, &str)]) -> Result<(), CacheError> {
        pairs.sort_unstable();
        let mut payload = Vec::new();
        put_varint(&mut payload, pairs.len() as u64);
        for (word, stem) in pairs.iter() {
            put_string(&mut payload, word);
            put_string(&mut payload, stem);
        }
        store_framed(&self.stems_path(), STEMS_MAGIC, &self.analysis, &payload)
    }

    /// Removes every reading entry and record not in `used` (sorted), stems files of other
    /// settings and temporary files: after a complete run, what is left is exactly what the
    /// next run can use. Returns how many files were removed.
    pub fn prune(&self, used: &[Digest]) -> usize {
        let mut removed = 0;
        let Ok(top) = fs::read_dir(&self.dir) else {
            return 0;
        };
        let stems = self.stems_path();
        for item in top.flatten() {
            let path = item.path();
            if path.is_file() {
                if path != stems && fs::remove_file(&path).is_ok() {
                    removed += 1;
                }
                continue;
            }
            let Ok(entries) = fs::read_dir(&path) else {
                continue;
            };
            for e in entries.flatten() {
                let name = e.file_name();
                let name = name.to_string_lossy();
                let keep = name
                    .strip_suffix(&format!(".{ENTRY_EXT}"))
                    .or_else(|| name.strip_suffix(&format!(".{RECORD_EXT}")))
                    .and_then(parse_hex)
                    .is_some_and(|k| used.binary_search(&k).is_ok());
                if !keep && fs::remove_file(e.path()).is_ok() {
                    removed += 1;
                }
            }
            // Only succeeds when the shard is empty.
            let _ = fs::remove_dir(&path);
        }
        removed
    }
}

fn put_str(h: &mut blake3::Hasher, s: &str) {
    h.update(&(s.len() as u64).to_le_bytes());
    h.update(s.as_bytes());
}

fn parse_hex(s: &str) -> Option<Digest> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// What changes a reading besides the file's path and bytes: the program (version and build)
/// and text normalization. Extraction and header parsing have no settings.
pub fn reading_fingerprint(settings: &Settings) -> Digest {
    let mut h = blake3::Hasher::new();
    h.update(b"topictrends reading settings v1\0");
    put_str(&mut h, env!("CARGO_PKG_VERSION"));
    h.update(&program_build_hash());
    h.update(&[u8::from(settings.analysis.normalize)]);
    *h.finalize().as_bytes()
}

/// What changes the analysis of a word: the program, tokenizer options, lowercasing, token
/// filters, the default language, stopwords, the stemmer and its protected words.
pub fn analysis_fingerprint(settings: &Settings) -> Digest {
    analysis_digest(settings, &program_build_hash())
}

/// The analysis fingerprint without the build's identity (size and time of the executable):
/// the same on every machine that runs this version, for shards' partial files.
pub fn portable_analysis_fingerprint(settings: &Settings) -> Digest {
    analysis_digest(settings, &[0; 32])
}

fn analysis_digest(settings: &Settings, build: &Digest) -> Digest {
    let mut h = blake3::Hasher::new();
    h.update(b"topictrends analysis settings v1\0");
    put_str(&mut h, env!("CARGO_PKG_VERSION"));
    h.update(build);
    let a = &settings.analysis;
    h.update(&[
        u8::from(a.normalize),
        u8::from(a.tokenizer.apostrophes_in_words),
        u8::from(a.tokenizer.marks_in_words),
        u8::from(a.keep_numbers),
        u8::from(a.stemmer.enabled()),
    ]);
    h.update(&(a.min_chars as u64).to_le_bytes());
    h.update(&(a.max_chars as u64).to_le_bytes());
    h.update(&[u8::from(a.lowercase_text)]);
    // The stems file holds the default language's words: another language stems them apart.
    put_str(&mut h, a.language.code());
    let stop = a.stopwords.sorted();
    h.update(&(stop.len() as u64).to_le_bytes());
    for w in stop {
        put_str(&mut h, w);
    }
    let protected = a.stemmer.protected_sorted();
    h.update(&(protected.len() as u64).to_le_bytes());
    for w in protected {
        put_str(&mut h, w);
    }
    *h.finalize().as_bytes()
}

/// Identifies the running executable's build (size and modification time), so a rebuilt
/// program with the same version number never trusts entries made by another build. Reading
/// the metadata instead of hashing the bytes keeps start-up instant. Zeros when unknown.
fn program_build_hash() -> Digest {
    static HASH: std::sync::OnceLock<Digest> = std::sync::OnceLock::new();
    *HASH.get_or_init(|| {
        let Some(meta) = std::env::current_exe().and_then(fs::metadata).ok() else {
            return [0; 32];
        };
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let mut h = blake3::Hasher::new();
        h.update(&meta.len().to_le_bytes());
        h.update(&modified.to_le_bytes());
        *h.finalize().as_bytes()
    })
}

// ---- file format ---------------------------------------------------------------------------
// Header: magic (8), key (32), payload length (u64 LE), BLAKE3 of payload (32). Payload: LEB128
// varints and length-prefixed UTF-8 strings, in the order the encoders write them.

/// Reads and checks a framed file; a bad one is removed (it would fail the same way next time).
fn load_framed<T>(
    path: &Path,
    magic: &[u8; 8],
    key: &Digest,
    decode: impl FnOnce(&mut Reader<'_>) -> Result<T, &'static str>,
) -> Result<Option<T>, CacheError> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(CacheError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    match unframe(&bytes, magic, key).and_then(|payload| {
        let mut r = Reader { bytes: payload };
        let value = decode(&mut r)?;
        if r.bytes.is_empty() {
            Ok(value)
        } else {
            Err("trailing bytes")
        }
    }) {
        Ok(v) => Ok(Some(v)),
        Err(reason) => {
            let _ = fs::remove_file(path);
            Err(CacheError::Corrupt {
                path: path.to_path_buf(),
                reason,
            })
        }
    }
}

/// Writes a framed file under a temporary name, then renames it: a reader never sees half a file.
fn store_framed(
    path: &Path,
    magic: &[u8; 8],
    key: &Digest,
    payload: &[u8],
) -> Result<(), CacheError> {
    let io_err = |source| CacheError::Io {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(io_err)?;
    }
    let out = frame(magic, key, payload);
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    fs::write(&tmp, out).map_err(io_err)?;
    fs::rename(&tmp, path).map_err(|e| {
        let _ = fs::remove_file(&tmp);
        io_err(e)
    })
}

/// A framed file's bytes: header (magic, key, payload length, payload checksum), then payload.
pub fn frame(magic: &[u8; 8], key: &Digest, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(magic);
    out.extend_from_slice(key);
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(blake3::hash(payload).as_bytes());
    out.extend_from_slice(payload);
    out
}

/// The payload of a framed file, once magic, key, length and checksum all agree.
pub fn unframe<'a>(
    bytes: &'a [u8],
    magic: &[u8; 8],
    key: &Digest,
) -> Result<&'a [u8], &'static str> {
    if bytes.len() < HEADER_LEN {
        return Err("truncated header");
    }
    let (header, payload) = bytes.split_at(HEADER_LEN);
    if &header[..8] != magic {
        return Err("unknown format");
    }
    if &header[8..40] != key {
        return Err("key mismatch");
    }
    let mut len = [0u8; 8];
    len.copy_from_slice(&header[40..48]);
    if u64::from_le_bytes(len) != payload.len() as u64 {
        return Err("length mismatch: truncated or extended");
    }
    if &header[48..80] != blake3::hash(payload).as_bytes() {
        return Err("checksum mismatch");
    }
    Ok(payload)
}

pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub fn put_string(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

fn put_pairs(out: &mut Vec<u8>, pairs: &[(String, String)]) {
    put_varint(out, pairs.len() as u64);
    for (k, v) in pairs {
        put_string(out, k);
        put_string(out, v);
    }
}

fn encode_reading(out: &mut Vec<u8>, reading: &Reading) {
    match reading {
        Reading::Failed { reason } => {
            put_varint(out, 0);
            put_string(out, reason);
        }
        Reading::Text(t) => {
            put_varint(out, 1);
            put_string(out, &t.text);
            put_varint(out, t.parts.body_offset as u64);
            match &t.parts.front_matter {
                None => put_varint(out, 0),
                Some(fields) => {
                    put_varint(out, 1);
                    put_pairs(out, fields);
                    put_varint(out, t.parts.front_matter_lines.len() as u64);
                    for &line in &t.parts.front_matter_lines {
                        put_varint(out, line as u64);
                    }
                }
            }
            match &t.parts.front_matter_error {
                None => put_varint(out, 0),
                Some((line, message)) => {
                    put_varint(out, *line as u64 + 1);
                    put_string(out, message);
                }
            }
            put_pairs(out, &t.parts.header);
            match &t.parts.unread_date {
                None => put_varint(out, 0),
                Some((line, written)) => {
                    put_varint(out, 1);
                    put_varint(out, *line as u64);
                    put_string(out, written);
                }
            }
            put_string(out, &t.encoding);
            put_varint(out, t.pages.map_or(0, |p| u64::from(p) + 1));
            put_varint(out, t.warnings.len() as u64);
            for w in &t.warnings {
                put_string(out, w);
            }
            put_varint(out, u64::from(t.blank));
        }
    }
}

/// A cursor over a payload; every read is bounds-checked.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A length-prefixed string, borrowed from the bytes.
    pub fn str(&mut self) -> Result<&'a str, &'static str> {
        let n = self.len()?;
        let (s, rest) = self.bytes.split_at(n);
        self.bytes = rest;
        std::str::from_utf8(s).map_err(|_| "invalid UTF-8")
    }
}

impl Reader<'_> {
    /// A cursor over `bytes`.
    pub fn new(bytes: &[u8]) -> Reader<'_> {
        Reader { bytes }
    }

    /// Whether every byte has been read.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub fn varint(&mut self) -> Result<u64, &'static str> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.bytes.split_first().ok_or("truncated number")?;
            self.bytes = rest;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("number too long")
    }

    /// A count or length: never more than the bytes left, so absurd values fail before allocating.
    pub fn len(&mut self) -> Result<usize, &'static str> {
        let n = self.varint()?;
        if n > self.bytes.len() as u64 {
            return Err("length past the end");
        }
        Ok(n as usize)
    }

    pub fn string(&mut self) -> Result<String, &'static str> {
        self.str().map(str::to_string)
    }

    pub fn pairs(&mut self) -> Result<Vec<(String, String)>, &'static str> {
        let n = self.len()?;
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            out.push((self.string()?, self.string()?));
        }
        Ok(out)
    }

    pub fn flag(&mut self) -> Result<bool, &'static str> {
        match self.varint()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err("bad flag"),
        }
    }
}

fn decode_reading(r: &mut Reader<'_>) -> Result<Reading, &'static str> {
    match r.varint()? {
        0 => Ok(Reading::Failed {
            reason: r.string()?,
        }),
        1 => {
            let text = r.string()?;
            let body_offset = usize::try_from(r.varint()?).map_err(|_| "offset out of range")?;
            // The body is sliced from the text later: the offset must lie on a character boundary.
            if !text.is_char_boundary(body_offset) {
                return Err("body offset outside the text");
            }
            let (front_matter, front_matter_lines) = if r.flag()? {
                let pairs = r.pairs()?;
                let n = r.len()?;
                let mut lines = Vec::with_capacity(n);
                for _ in 0..n {
                    lines.push(usize::try_from(r.varint()?).map_err(|_| "line out of range")?);
                }
                (Some(pairs), lines)
            } else {
                (None, Vec::new())
            };
            let front_matter_error = match r.varint()? {
                0 => None,
                line => Some((
                    usize::try_from(line - 1).map_err(|_| "line out of range")?,
                    r.string()?,
                )),
            };
            let header = r.pairs()?;
            let unread_date = if r.flag()? {
                Some((r.varint()? as usize, r.string()?))
            } else {
                None
            };
            let encoding = r.string()?;
            let pages = match r.varint()? {
                0 => None,
                p => Some(u32::try_from(p - 1).map_err(|_| "page count out of range")?),
            };
            let n = r.len()?;
            let mut warnings = Vec::with_capacity(n);
            for _ in 0..n {
                warnings.push(r.string()?);
            }
            let blank = r.flag()?;
            Ok(Reading::Text(TextReading {
                text,
                parts: TextParts {
                    body_offset,
                    front_matter,
                    front_matter_lines,
                    front_matter_error,
                    header,
                    unread_date,
                },
                encoding,
                pages,
                warnings,
                blank,
            }))
        }
        _ => Err("unknown reading kind"),
    }
}

fn decode_stems(r: &mut Reader<'_>) -> Result<Stems, &'static str> {
    let n = r.len()?;
    let mut out = Stems::default();
    out.reserve(n);
    for _ in 0..n {
        let word = r.string()?;
        let stem = r.string()?;
        out.insert(word.into_boxed_str(), stem.into_boxed_str());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Reading {
        Reading::Text(TextReading {
            text: "---\ndate: 2023-03-07\n---\nMr. Chair, cyber security matters. Café.".into(),
            parts: TextParts {
                body_offset: 24,
                front_matter: Some(vec![("date".into(), "2023-03-07".into())]),
                front_matter_lines: vec![2],
                front_matter_error: Some((3, "odd".into())),
                header: vec![
                    ("session".into(), "5".into()),
                    ("speaker".into(), "Chile".into()),
                ],
                unread_date: Some((3, "30 February 2023".into())),
            },
            encoding: "utf-8".into(),
            pages: Some(4),
            warnings: vec!["page 2: no text".into()],
            blank: false,
        })
    }

    fn cache() -> (tempfile::TempDir, Cache) {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::at(dir.path().join("c"), [7; 32], [9; 32]);
        (dir, c)
    }

    fn entry_bytes(c: &Cache, key: &Digest, r: &Reading) -> Vec<u8> {
        c.store(key, r).unwrap();
        fs::read(c.entry_path(key)).unwrap()
    }

    fn decode(bytes: &[u8], key: &Digest) -> Result<Reading, &'static str> {
        let payload = unframe(bytes, READING_MAGIC, key)?;
        let mut r = Reader { bytes: payload };
        let v = decode_reading(&mut r)?;
        if r.bytes.is_empty() {
            Ok(v)
        } else {
            Err("trailing bytes")
        }
    }

    #[test]
    fn readings_round_trip() {
        let (_d, c) = cache();
        let key = c.key("a.txt", &content_hash(b"x"));
        assert_eq!(c.load(&key).unwrap(), None);
        let cases = [
            sample(),
            Reading::Text(TextReading::default()),
            Reading::Failed {
                reason: "corrupt PDF: no trailer".into(),
            },
        ];
        for r in cases {
            c.store(&key, &r).unwrap();
            assert_eq!(c.load(&key).unwrap(), Some(r));
        }
    }

    #[test]
    fn stems_round_trip_and_follow_the_analysis_fingerprint() {
        let (_d, c) = cache();
        assert!(c.load_stems().unwrap().is_empty());
        c.store_stems(&mut [("states", "state"), ("cyber", "cyber")])
            .unwrap();
        let known = c.load_stems().unwrap();
        assert_eq!(known.get("states").map(|s| &**s), Some("state"));
        assert_eq!(known.len(), 2);
        let other = Cache::at(c.dir().to_path_buf(), [7; 32], [10; 32]);
        assert!(other.load_stems().unwrap().is_empty());
    }

    #[test]
    fn keys_change_with_every_input() {
        let (_d, c) = cache();
        let h = content_hash(b"text");
        let base = c.key("a.txt", &h);
        let other_reading = Cache::at(c.dir().to_path_buf(), [8; 32], [9; 32]);
        let other_analysis = Cache::at(c.dir().to_path_buf(), [7; 32], [1; 32]);
        for k in [
            c.key("b.txt", &h),
            c.key("a.txt", &content_hash(b"text2")),
            other_reading.key("a.txt", &h),
        ] {
            assert_ne!(k, base);
        }
        assert_eq!(c.key("a.txt", &h), base);
        // Tokenizer, stopword and stemmer settings do not touch readings.
        assert_eq!(other_analysis.key("a.txt", &h), base);
    }

    #[test]
    fn every_truncation_and_bit_flip_is_detected() {
        let (_d, c) = cache();
        let key = c.key("a.txt", &content_hash(b"x"));
        let bytes = entry_bytes(&c, &key, &sample());
        assert!(decode(&bytes, &key).is_ok());
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut], &key).is_err(), "cut at {cut}");
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x10;
            assert!(decode(&b, &key).is_err(), "flip at {i}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode(&longer, &key).is_err());
    }

    #[test]
    fn a_corrupt_file_is_reported_and_removed() {
        let (_d, c) = cache();
        let key = c.key("a.txt", &content_hash(b"x"));
        c.store(&key, &sample()).unwrap();
        let path = c.entry_path(&key);
        let bytes = fs::read(&path).unwrap();
        fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let err = c.load(&key).unwrap_err();
        assert!(err.to_string().contains("corrupt"), "{err}");
        assert!(!path.exists());
        assert_eq!(c.load(&key).unwrap(), None);
        // The same for the stems file.
        c.store_stems(&mut [("a", "b")]).unwrap();
        fs::write(c.stems_path(), b"TTSTEM01 but not really").unwrap();
        assert!(c.load_stems().is_err());
        assert!(!c.stems_path().exists());
    }

    #[test]
    fn prune_keeps_only_used_entries_and_current_stems() {
        let (_d, c) = cache();
        let keys: Vec<Digest> = (0..4u8)
            .map(|i| c.key(&format!("{i}.txt"), &content_hash(&[i])))
            .collect();
        for k in &keys {
            c.store(k, &sample()).unwrap();
        }
        c.store_stems(&mut [("a", "a")]).unwrap();
        let old = Cache::at(c.dir().to_path_buf(), [7; 32], [1; 32]);
        old.store_stems(&mut [("a", "a")]).unwrap();
        let mut used = vec![keys[0], keys[2]];
        used.sort();
        assert_eq!(c.prune(&used), 3);
        assert!(c.entry_path(&keys[0]).exists() && c.entry_path(&keys[2]).exists());
        assert!(!c.entry_path(&keys[1]).exists() && !c.entry_path(&keys[3]).exists());
        assert!(c.stems_path().exists() && !old.stems_path().exists());
    }

    #[test]
    fn cache_dir_sits_beside_the_output() {
        assert_eq!(
            cache_dir(Path::new("/srv/tt/output")),
            Some(PathBuf::from("/srv/tt/.output.cache"))
        );
    }

    proptest! {
        #[test]
        fn any_reading_round_trips(
            bytes in proptest::collection::vec(any::<u8>(), 0..300),
            ext in prop_oneof![Just("txt"), Just("md"), Just("html")],
        ) {
            let analyzer = crate::analyze::tests::default_analyzer();
            let reading = crate::read::reading::read(Path::new(&format!("s.{ext}")), &bytes, analyzer.settings().normalize);
            let (_d, c) = cache();
            let key = c.key("s", &content_hash(&bytes));
            c.store(&key, &reading).unwrap();
            prop_assert_eq!(c.load(&key).unwrap(), Some(reading));
        }

        #[test]
        fn decoding_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let key = [1u8; 32];
            let _ = decode(&bytes, &key);
            // Also behind a valid header, so the payload parsers themselves are exercised.
            let mut r = Reader { bytes: &bytes };
            let _ = decode_reading(&mut r);
            let mut r = Reader { bytes: &bytes };
            let _ = decode_stems(&mut r);
        }
    }
}
