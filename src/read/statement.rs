//! Reading one input file: its bytes (or its cached reading), or a reader for a statement too large to hold.
//!
//! The only place the run opens a statement. What it returns depends on the file alone (and the
//! reading settings); metadata, grouping and counting are later stages' work.

use crate::config::Settings;
use crate::decode::extract::Format;
use crate::read::cache::{self, Cache, Digest};
use crate::read::discover::InputFile;
use crate::read::large::LargeStatement;
use crate::read::reading::{Reading, TextReading};

/// One input file as the run record lists it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct InputRecord {
    pub rel: String,
    pub bytes: u64,
    /// BLAKE3 of the file's bytes, hex; `None` when the file could not be read.
    pub blake3: Option<String>,
}

/// What reading one file gave.
pub struct Statement {
    /// The file as the run record lists it.
    pub input: InputRecord,
    pub content: Content,
    /// How the text was obtained, for the run record's counts.
    pub how: How,
    /// The cache entry this statement used, when the cache is on.
    pub cache_key: Option<Digest>,
    /// Cache problems met on the way (a corrupt entry, an unwritable cache): reported, recovered.
    pub cache_warnings: Vec<String>,
}

/// The text of a statement, or why there is none.
// One value per statement in flight, moved once: boxing the text would only add an allocation.
#[allow(clippy::large_enum_variant)]
pub enum Content {
    /// Read whole (fresh or from the cache).
    Text(TextReading),
    /// Too large to hold: read in pieces by the caller.
    Large(Box<LargeStatement>),
    /// Unreadable, or no text in it: the skip reason.
    Failed(String),
}

/// How a statement's text was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// Decoded, extracted, cleaned and parsed by this run.
    Read,
    /// Its cached reading was used.
    Reused,
    /// Opened for reading in pieces (never cached).
    Streamed,
    /// Could not be opened.
    Unopened,
}

/// Reads `file`, from the cache when its entry is there and sound (and storing a fresh reading
/// there otherwise). Very large plain-text files are opened for reading in pieces.
pub fn read(file: &InputFile, settings: &Settings, cache: Option<&Cache>) -> Statement {
    let format = Format::from_path(&file.path);
    let size = std::fs::metadata(&file.path).map_or(0, |m| m.len());
    if format == Format::Text && size > settings.chunking.threshold {
        return open_large(file, settings);
    }
    let bytes = match std::fs::read(&file.path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return Statement {
                input: InputRecord {
                    rel: file.rel.clone(),
                    bytes: size,
                    blake3: None,
                },
                content: Content::Failed(format!("unreadable: {e}")),
                how: How::Unopened,
                cache_key: None,
                cache_warnings: Vec::new(),
            };
        }
    };
    let content_hash = cache::content_hash(&bytes);
    let input = InputRecord {
        rel: file.rel.clone(),
        bytes: bytes.len() as u64,
        blake3: Some(cache::hex(&content_hash)),
    };
    let normalize = settings.analysis.normalize;
    let fresh = || crate::read::reading::read(&file.path, &bytes, normalize);
    let mut cache_warnings = Vec::new();
    let (reading, how, cache_key) = match cache {
        None => (fresh(), How::Read, None),
        Some(cache) => {
            let key = cache.key(&file.rel, &content_hash);
            match cache.load(&key) {
                Ok(Some(reading)) => (reading, How::Reused, Some(key)),
                found => {
                    if let Err(e) = found {
                        cache_warnings.push(e.to_string());
                    }
                    let reading = fresh();
                    if let Err(e) = cache.store(&key, &reading) {
                        cache_warnings.push(e.to_string());
                    }
                    (reading, How::Read, Some(key))
                }
            }
        }
    };
    Statement {
        input,
        content: match reading {
            Reading::Failed { reason } => Content::Failed(reason),
            Reading::Text(t) => Content::Text(t),
        },
        how,
        cache_key,
        cache_warnings,
    }
}

/// Opens a statement too large to hold whole; it is read piece by piece by the caller.
fn open_large(file: &InputFile, settings: &Settings) -> Statement {
    let hash = cache::file_hash(&file.path).ok();
    let blake3 = hash.as_ref().map(cache::hex);
    let (bytes, content) =
        match LargeStatement::open(&file.path, &settings.chunking, settings.analysis.normalize) {
            Ok(large) => (large.bytes, Content::Large(Box::new(large))),
            Err(e) => (
                std::fs::metadata(&file.path).map_or(0, |m| m.len()),
                Content::Failed(e.to_string()),
            ),
        };
    Statement {
        input: InputRecord {
            rel: file.rel.clone(),
            bytes,
            blake3,
        },
        content,
        how: How::Streamed,
        cache_key: None,
        cache_warnings: Vec::new(),
    }
}
