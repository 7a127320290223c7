//! Shards: which statements shard K of N reads, the partial file it writes, and merging partials.
//!
//! A statement belongs to shard `1 + blake3(relative path) mod N`: the same on every machine,
//! whatever the order of the listing. Every shard lists and checks the whole input (duplicates
//! are found across all of it), so statements keep their places in the whole input and each
//! shard finds the same input-wide skips and warnings. A partial holds the shard's merged
//! totals (vocabulary, session counts, documents, hit rows, n-grams), not its records, so a
//! merge costs the vocabulary and the rows, not the corpus.
//!
//! File: magic `TTPART03` (the digits are the format version), the analysis fingerprint, the
//! payload's length and BLAKE3, then the payload: program version, the analysis fingerprint
//! again (the checksum covers the payload only: a damaged header fingerprint would otherwise
//! pass for a partial made with other settings), input fingerprint, K, N, and the collected
//! counts, in the cache's encoding (LEB128 varints, length-prefixed strings).

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use crate::analyze::WordKind;
use crate::analyze::language::Language;
use crate::analyze::vocab::NO_STEM;
use crate::config::Settings;
use crate::count::ngram::NgramTable;
use crate::count::record::{get_hit, get_u32, get_u64s, put_hit, put_u64s};
use crate::count::{Accumulator, DocRecord, Engine, GroupCounts, TermCount, ThemeCount};
use crate::diagnostic::Warning;
use crate::metadata::date::Date;
use crate::metadata::{DocMeta, Field, Source};
use crate::read::cache::{self, Digest, HEADER_LEN, Reader, put_string, put_varint};
use crate::read::discover::{InputFile, Skipped};
use crate::read::statement::InputRecord;
use crate::themes::dictionary::Dictionary;

use super::Collected;

const PARTIAL_MAGIC: &[u8; 8] = b"TTPART03";

/// Shard `k` of `n` (1-based), as `--shard K/N` gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Shard {
    pub k: u32,
    pub n: u32,
}

impl Shard {
    /// Whether the statement at `rel` (relative path, `/`-separated) is this shard's.
    pub fn owns(&self, rel: &str) -> bool {
        let h = blake3::hash(rel.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&h.as_bytes()[..8]);
        u64::from_le_bytes(first) % u64::from(self.n) == u64::from(self.k - 1)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("`{s}`: expected K/N with 1 <= K <= N, e.g. 2/8");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k: u32 = k.trim().parse().map_err(|_| bad())?;
        let n: u32 = n.trim().parse().map_err(|_| bad())?;
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }
}

/// What decided the statements' places and metadata: the listing after duplicates, the
/// input-wide skips, the manifest's bytes and the settings that resolve metadata and groups.
/// Shards that disagree on it read different inputs and cannot be merged.
pub fn input_fingerprint(settings: &Settings, files: &[InputFile], skipped: &[Skipped]) -> Digest {
    let mut h = blake3::Hasher::new();
    h.update(b"topictrends input v1\0");
    let put = |h: &mut blake3::Hasher, s: &str| {
        h.update(&(s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    for f in files {
        put(&mut h, &f.rel);
    }
    h.update(&[0xff]);
    for s in skipped {
        put(&mut h, &s.rel);
        put(&mut h, &s.reason);
    }
    let shaping = format!(
        "{:?} {:?} {:?} {:?} {:?}",
        settings.include,
        settings.duplicates,
        settings.file_name_pattern,
        settings.group_by,
        settings.forums
    );
    put(&mut h, &shaping);
    let manifest = (settings.manifest.as_ref()).and_then(|p| std::fs::read(p).ok());
    h.update(&[u8::from(manifest.is_some())]);
    h.update(blake3::hash(manifest.as_deref().unwrap_or_default()).as_bytes());
    *h.finalize().as_bytes()
}

/// What a partial must agree on with the merge's config: the analysis settings, the compiled
/// dictionary and what the fold captures (no build identity: shards run on many machines).
pub fn analysis_fingerprint(settings: &Settings, engine: &Engine, dict: &Dictionary) -> Digest {
    let mut h = blake3::Hasher::new();
    h.update(b"topictrends partial analysis v3\0");
    h.update(&cache::portable_analysis_fingerprint(settings));
    h.update(&engine_fingerprint(engine, settings));
    // The other languages' engines are built from the whole dictionary (its `patterns_<code>`)
    // and the language settings: partials of different translations must not merge.
    h.update(format!("{dict:?}").as_bytes());
    h.update(format!("{:?}", settings.languages).as_bytes());
    // What decided which statements were counted, their metadata and their groups: a merge
    // cannot apply another grouping, forum selection or file-name pattern to counts made
    // under one (the manifest's content is the input's, checked across partials).
    h.update(
        format!(
            "{:?} {:?} {:?} {:?} {:?} {:?}",
            settings.include,
            settings.duplicates,
            settings.file_name_pattern,
            settings.group_by,
            settings.forums,
            settings.manifest.as_ref().and_then(|p| p.file_name()),
        )
        .as_bytes(),
    );
    *h.finalize().as_bytes()
}

/// The compiled dictionary (themes, patterns as analysed, hit rule) and what the fold captures.
fn engine_fingerprint(engine: &Engine, settings: &crate::config::Settings) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(b"topictrends engine v1\0");
    h.update(format!("{:?}", engine.matcher.themes()).as_bytes());
    h.update(format!("{:?}", engine.matcher.patterns()).as_bytes());
    h.update(format!("{:?} {}", settings.hit_rule, settings.cross_sentences).as_bytes());
    if settings.wildcard != crate::config::Wildcard::default() {
        // Only when set: partials written before the setting existed keep their fingerprint.
        h.update(format!(" wildcard {}", settings.wildcard.name()).as_bytes());
    }
    let c = &engine.capture;
    h.update(
        format!(
            "{} {} {} {}",
            c.context_words, c.collocations, c.hits, c.contexts
        )
        .as_bytes(),
    );
    *h.finalize().as_bytes()
}

/// One shard's result, as stored in its partial file.
pub struct Partial {
    pub version: String,
    pub analysis: Digest,
    pub shard: Shard,
    pub collected: Collected,
}

/// The bytes of a partial file.
pub fn encode(p: &Partial) -> Vec<u8> {
    let mut out = Vec::new();
    put_string(&mut out, &p.version);
    for &b in &p.analysis {
        put_varint(&mut out, u64::from(b));
    }
    for &b in &p.collected.input {
        put_varint(&mut out, u64::from(b));
    }
    put_varint(&mut out, u64::from(p.shard.k));
    put_varint(&mut out, u64::from(p.shard.n));
    let c = &p.collected;
    put_skipped(&mut out, &c.input_skipped);
    put_warnings(&mut out, &c.input_warnings);
    put_skipped(&mut out, &c.skipped);
    put_warnings(&mut out, &c.warnings);
    put_varint(&mut out, c.stats.read);
    put_varint(&mut out, c.stats.reused);
    put_varint(&mut out, c.stats.streamed);
    put_varint(&mut out, c.stats.records_reused);
    put_varint(&mut out, c.stats.counted_from_cache);
    put_varint(&mut out, c.stats.inputs.len() as u64);
    for i in &c.stats.inputs {
        put_string(&mut out, &i.rel);
        put_varint(&mut out, i.bytes);
        put_opt_string(&mut out, i.blake3.as_deref());
    }
    put_accumulator(&mut out, &c.acc);
    cache::frame(PARTIAL_MAGIC, &p.analysis, &out)
}

/// Whether the file at `path` starts as a partial file does (any version of the format): what
/// `run --shard` may write over.
pub fn is_partial_file(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 6];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| head == PARTIAL_MAGIC[..6])
}

/// Reads a partial file's bytes; the error says what is wrong with them.
pub fn decode(bytes: &[u8]) -> Result<Partial, &'static str> {
    if bytes.len() < HEADER_LEN {
        return Err("truncated header");
    }
    if &bytes[..8] != PARTIAL_MAGIC {
        return Err("not a topictrends partial file (or a format this version cannot read)");
    }
    let mut analysis = [0u8; 32];
    analysis.copy_from_slice(&bytes[8..40]);
    let payload = cache::unframe(bytes, PARTIAL_MAGIC, &analysis)?;
    let mut r = Reader::new(payload);
    let version = r.string()?;
    if digest(&mut r)? != analysis {
        return Err("checksum mismatch: the analysis fingerprint in its header is damaged");
    }
    let input = digest(&mut r)?;
    let k = get_u32(&mut r)?;
    let n = get_u32(&mut r)?;
    if k == 0 || k > n {
        return Err("shard number out of range");
    }
    let mut c = Collected {
        input,
        input_skipped: get_skipped(&mut r)?,
        input_warnings: get_warnings(&mut r)?,
        skipped: get_skipped(&mut r)?,
        warnings: get_warnings(&mut r)?,
        ..Collected::default()
    };
    c.stats.read = r.varint()?;
    c.stats.reused = r.varint()?;
    c.stats.streamed = r.varint()?;
    c.stats.records_reused = r.varint()?;
    c.stats.counted_from_cache = r.varint()?;
    let n_inputs = r.len()?;
    for _ in 0..n_inputs {
        c.stats.inputs.push(InputRecord {
            rel: r.string()?,
            bytes: r.varint()?,
            blake3: get_opt_string(&mut r)?,
        });
    }
    c.acc = get_accumulator(&mut r)?;
    if !r.is_empty() {
        return Err("trailing bytes");
    }
    Ok(Partial {
        version,
        analysis,
        shard: Shard { k, n },
        collected: c,
    })
}

/// Why partials cannot be merged; every message names the files.
#[derive(Debug)]
pub enum MergeError {
    /// A partial is unreadable, truncated or corrupt.
    Unreadable { path: PathBuf, reason: String },
    /// The partials were not made by the same program, settings and input, or do not make up
    /// exactly one complete set of shards.
    Mismatch(String),
    /// The merge's own config analyses differently from the shards'.
    Config(String),
}

impl fmt::Display for MergeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeError::Unreadable { path, reason } => {
                write!(f, "partial file {}: {reason}", path.display())
            }
            MergeError::Mismatch(m) | MergeError::Config(m) => f.write_str(m),
        }
    }
}

/// Reads one partial file.
pub fn load(path: &Path) -> Result<Partial, MergeError> {
    let bytes = std::fs::read(path).map_err(|e| MergeError::Unreadable {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    decode(&bytes).map_err(|reason| MergeError::Unreadable {
        path: path.to_path_buf(),
        reason: format!("{reason}; write it again with `topictrends run --shard K/N --partial`"),
    })
}

/// Checks that `partials` are one complete set from the same program, analysis and input
/// (and the analysis the merge's config asks for), then adds them up.
pub fn merge(
    partials: Vec<(PathBuf, Partial)>,
    analysis: &Digest,
) -> Result<Collected, MergeError> {
    let Some((first_path, first)) = partials.first() else {
        return Err(MergeError::Mismatch("no partial files to merge".into()));
    };
    let name = |p: &Path| p.display().to_string();
    for (path, p) in &partials {
        let differs = if p.version != first.version {
            Some(format!(
                "made by topictrends {} and {}",
                first.version, p.version
            ))
        } else if p.analysis != first.analysis {
            Some(
                "made with different analysis settings, metadata settings (or --forum), \
                 [evidence] context_words or collocations, tables, or theme dictionaries"
                    .into(),
            )
        } else if p.collected.input != first.collected.input {
            Some("made from different input (files, manifest or metadata settings)".into())
        } else if p.shard.n != first.shard.n {
            Some(format!(
                "shards of {} and of {} parts",
                first.shard.n, p.shard.n
            ))
        } else {
            None
        };
        if let Some(why) = differs {
            return Err(MergeError::Mismatch(format!(
                "cannot merge {} and {}: {why}",
                name(first_path),
                name(path)
            )));
        }
    }
    if first.analysis != *analysis {
        return Err(MergeError::Config(format!(
            "{}: the partials were made with another config than this one: other analysis \
             settings ([analysis], [themes] hit_rule, cross_sentences), another theme dictionary, \
             other metadata settings ([metadata] group_by, forums or --forum, file_name_pattern, \
             manifest; [input] include, duplicates), another [evidence] context_words or \
             collocations, or other tables needing hits, contexts or collocations; merge with \
             the config (and --forum) the shards ran with",
            name(first_path)
        )));
    }
    let n = first.shard.n;
    let mut seen: Vec<Option<&Path>> = vec![None; n as usize];
    for (path, p) in &partials {
        let slot = &mut seen[(p.shard.k - 1) as usize];
        if let Some(other) = slot {
            return Err(MergeError::Mismatch(format!(
                "shard {} given twice: {} and {}",
                p.shard,
                name(other),
                name(path)
            )));
        }
        *slot = Some(path);
    }
    let missing: Vec<String> = (seen.iter().enumerate())
        .filter(|(_, s)| s.is_none())
        .map(|(k, _)| format!("{}/{n}", k + 1))
        .collect();
    if !missing.is_empty() {
        let given: Vec<String> = partials.iter().map(|(p, _)| name(p)).collect();
        return Err(MergeError::Mismatch(format!(
            "incomplete set of shards: {} missing (given: {})",
            missing.join(", "),
            given.join(", ")
        )));
    }
    let mut out: Option<Collected> = None;
    for (_, p) in partials {
        let c = p.collected;
        out = Some(match out {
            None => c,
            Some(mut m) => {
                m.acc = m.acc.merge(c.acc);
                m.skipped.extend(c.skipped);
                m.warnings.extend(c.warnings);
                m.stats.read += c.stats.read;
                m.stats.reused += c.stats.reused;
                m.stats.streamed += c.stats.streamed;
                m.stats.records_reused += c.stats.records_reused;
                m.stats.counted_from_cache += c.stats.counted_from_cache;
                m.stats.inputs.extend(c.stats.inputs);
                m
            }
        });
    }
    let mut out = out.unwrap_or_default();
    out.stats.inputs.sort();
    Ok(out)
}

// ---- encoding of the collected counts --------------------------------------------------------

fn digest(r: &mut Reader<'_>) -> Result<Digest, &'static str> {
    let mut d = [0u8; 32];
    for b in &mut d {
        *b = u8::try_from(r.varint()?).map_err(|_| "bad digest")?;
    }
    Ok(d)
}

fn put_opt_string(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        None => put_varint(out, 0),
        Some(s) => {
            put_varint(out, 1);
            put_string(out, s);
        }
    }
}

fn get_opt_string(r: &mut Reader<'_>) -> Result<Option<String>, &'static str> {
    Ok(if r.flag()? { Some(r.string()?) } else { None })
}

/// An optional number, stored as 0 (none) or the value + 1.
fn put_opt(out: &mut Vec<u8>, v: Option<u64>) {
    put_varint(out, v.map_or(0, |v| v + 1));
}

fn get_opt(r: &mut Reader<'_>) -> Result<Option<u64>, &'static str> {
    Ok(r.varint()?.checked_sub(1))
}

fn put_skipped(out: &mut Vec<u8>, skipped: &[Skipped]) {
    put_varint(out, skipped.len() as u64);
    for s in skipped {
        put_string(out, &s.rel);
        put_string(out, &s.reason);
    }
}

fn get_skipped(r: &mut Reader<'_>) -> Result<Vec<Skipped>, &'static str> {
    let n = r.len()?;
    (0..n)
        .map(|_| {
            Ok(Skipped {
                rel: r.string()?,
                reason: r.string()?,
            })
        })
        .collect()
}

fn put_warnings(out: &mut Vec<u8>, warnings: &[Warning]) {
    put_varint(out, warnings.len() as u64);
    for w in warnings {
        put_string(out, &w.file);
        put_opt(out, w.line.map(|l| l as u64));
        put_string(out, &w.message);
    }
}

fn get_warnings(r: &mut Reader<'_>) -> Result<Vec<Warning>, &'static str> {
    let n = r.len()?;
    (0..n)
        .map(|_| {
            Ok(Warning {
                file: r.string()?,
                line: get_opt(r)?
                    .map(usize::try_from)
                    .transpose()
                    .map_err(|_| "line out of range")?,
                message: r.string()?,
            })
        })
        .collect()
}

fn source_code(s: &Source) -> u64 {
    match s {
        Source::Manifest => 0,
        Source::FrontMatter => 1,
        Source::FileName => 2,
        Source::Header => 3,
    }
}

fn get_source(r: &mut Reader<'_>) -> Result<Source, &'static str> {
    Ok(match r.varint()? {
        0 => Source::Manifest,
        1 => Source::FrontMatter,
        2 => Source::FileName,
        3 => Source::Header,
        _ => return Err("unknown metadata source"),
    })
}

/// Zigzag, for the signed years.
fn put_i64(out: &mut Vec<u8>, v: i64) {
    put_varint(out, ((v << 1) ^ (v >> 63)) as u64);
}

fn get_i64(r: &mut Reader<'_>) -> Result<i64, &'static str> {
    let v = r.varint()?;
    Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
}

fn put_ngrams(out: &mut Vec<u8>, t: &NgramTable) {
    put_varint(out, t.labels.len() as u64);
    for l in &t.labels {
        put_string(out, l);
    }
    put_varint(out, t.positions2);
    put_varint(out, t.positions3);
    put_varint(out, t.slots.len() as u64);
    for s in &t.slots {
        s.iter().for_each(|&x| put_varint(out, x));
    }
    put_varint(out, t.prefixes.len() as u64);
    for p in &t.prefixes {
        p.iter().for_each(|&x| put_varint(out, u64::from(x)));
    }
    put_varint(out, t.bigrams.len() as u64);
    for b in &t.bigrams {
        b.iter().for_each(|&x| put_varint(out, u64::from(x)));
    }
    put_varint(out, t.trigrams.len() as u64);
    for t in &t.trigrams {
        t.iter().for_each(|&x| put_varint(out, u64::from(x)));
    }
}

/// Decodes an n-gram table whose word ids must be below `words`.
fn get_ngrams(r: &mut Reader<'_>, words: u64) -> Result<NgramTable, &'static str> {
    let n = r.len()?;
    let mut labels = Vec::with_capacity(n);
    for _ in 0..n {
        labels.push(r.string()?);
    }
    let groups = labels.len() as u32;
    let word = |r: &mut Reader<'_>| -> Result<u32, &'static str> {
        let w = get_u32(r)?;
        if u64::from(w) < words {
            Ok(w)
        } else {
            Err("word number out of range")
        }
    };
    let group = |r: &mut Reader<'_>| -> Result<u32, &'static str> {
        let g = get_u32(r)?;
        if g < groups {
            Ok(g)
        } else {
            Err("group number out of range")
        }
    };
    let positions2 = r.varint()?;
    let positions3 = r.varint()?;
    let n = r.len()?;
    let mut slots = Vec::with_capacity(n);
    for _ in 0..n {
        slots.push([u64::from(word(r)?), r.varint()?, r.varint()?, r.varint()?]);
    }
    let n = r.len()?;
    let mut prefixes = Vec::with_capacity(n);
    for _ in 0..n {
        prefixes.push([word(r)?, word(r)?, get_u32(r)?]);
    }
    let n = r.len()?;
    let mut bigrams = Vec::with_capacity(n);
    for _ in 0..n {
        bigrams.push([group(r)?, word(r)?, word(r)?, get_u32(r)?]);
    }
    let n = r.len()?;
    let mut trigrams = Vec::with_capacity(n);
    for _ in 0..n {
        trigrams.push([group(r)?, word(r)?, word(r)?, word(r)?, get_u32(r)?]);
    }
    Ok(NgramTable {
        labels,
        positions2,
        positions3,
        slots,
        prefixes,
        bigrams,
        trigrams,
    })
}

fn put_doc(out: &mut Vec<u8>, d: &DocRecord) {
    put_varint(out, d.index as u64);
    put_string(out, &d.doc_id);
    put_string(out, &d.file);
    put_varint(out, d.meta.len() as u64);
    for (name, value, source) in d.meta.iter() {
        put_string(out, name);
        put_string(out, value);
        put_varint(out, source_code(&source));
    }
    put_string(out, &d.group);
    put_varint(out, u64::from(d.undated));
    put_string(out, &d.encoding);
    put_varint(out, d.bytes);
    put_varint(out, d.tokens);
    put_varint(out, d.kept_tokens);
    put_string(out, &d.format);
    put_opt(out, d.pages.map(u64::from));
    put_u64s(out, &d.theme_hits);
    put_string(out, d.language.code());
    put_string(out, &d.language_source);
}

fn get_doc(r: &mut Reader<'_>) -> Result<DocRecord, &'static str> {
    let index = usize::try_from(r.varint()?).map_err(|_| "index out of range")?;
    let doc_id = r.string()?;
    let file = r.string()?;
    let mut meta = DocMeta::default();
    let n = r.len()?;
    for _ in 0..n {
        let name = r.string()?;
        let value = r.string()?;
        let source = get_source(r)?;
        meta.insert(&name, Field { value, source });
    }
    Ok(DocRecord {
        index,
        doc_id,
        file,
        meta,
        group: r.string()?,
        undated: r.flag()?,
        encoding: r.string()?,
        bytes: r.varint()?,
        tokens: r.varint()?,
        kept_tokens: r.varint()?,
        format: r.string()?,
        pages: get_opt(r)?
            .map(u32::try_from)
            .transpose()
            .map_err(|_| "page count out of range")?,
        theme_hits: get_u64s(r)?,
        language: crate::analyze::language::Language::parse(&r.string()?)
            .ok_or("unknown language code")?,
        language_source: r.string()?,
        // Only needed while the statement is counted, which the shard did (and warned).
        text_base: 0,
        long_words: Default::default(),
    })
}

fn put_group(out: &mut Vec<u8>, g: &GroupCounts, stem_number: &[u32]) {
    put_varint(out, u64::from(g.docs));
    put_varint(out, g.tokens);
    put_varint(out, g.kept);
    let mut terms: Vec<(u32, TermCount)> = g
        .terms
        .iter()
        .map(|(&s, &t)| (stem_number[s as usize], t))
        .collect();
    terms.sort_unstable_by_key(|t| t.0);
    put_varint(out, terms.len() as u64);
    for (s, t) in terms {
        put_varint(out, u64::from(s));
        put_varint(out, t.count);
        put_varint(out, u64::from(t.docs));
    }
    put_varint(out, g.themes.len() as u64);
    for t in &g.themes {
        put_varint(out, t.hits);
        put_varint(out, u64::from(t.docs_with_hits));
    }
    put_u64s(out, &g.pattern_hits);
    match g.first_date {
        None => put_varint(out, 0),
        Some(d) => {
            put_varint(out, 1);
            put_i64(out, i64::from(d.year));
            put_varint(out, u64::from(d.month));
            put_varint(out, u64::from(d.day));
        }
    }
    match g.first_year {
        None => put_varint(out, 0),
        Some(y) => {
            put_varint(out, 1);
            put_i64(out, i64::from(y));
        }
    }
    put_opt(out, g.first_session.map(u64::from));
    put_varint(out, u64::from(g.dated));
}

fn get_group(r: &mut Reader<'_>, stems: u32) -> Result<GroupCounts, &'static str> {
    let small = |v: u64| u32::try_from(v).map_err(|_| "count out of range");
    let year = |v: i64| i32::try_from(v).map_err(|_| "year out of range");
    let mut g = GroupCounts {
        docs: small(r.varint()?)?,
        tokens: r.varint()?,
        kept: r.varint()?,
        ..GroupCounts::default()
    };
    let n = r.len()?;
    for _ in 0..n {
        let stem = get_u32(r)?;
        if stem >= stems {
            return Err("stem number out of range");
        }
        let count = r.varint()?;
        let docs = small(r.varint()?)?;
        g.terms.insert(stem, TermCount { count, docs });
    }
    let n = r.len()?;
    for _ in 0..n {
        g.themes.push(ThemeCount {
            hits: r.varint()?,
            docs_with_hits: small(r.varint()?)?,
        });
    }
    g.pattern_hits = get_u64s(r)?;
    if r.flag()? {
        g.first_date = Some(Date {
            year: year(get_i64(r)?)?,
            month: u8::try_from(r.varint()?).map_err(|_| "month out of range")?,
            day: u8::try_from(r.varint()?).map_err(|_| "day out of range")?,
        });
    }
    if r.flag()? {
        g.first_year = Some(year(get_i64(r)?)?);
    }
    g.first_session = get_opt(r)?.map(small).transpose()?;
    g.dated = r.flag()?;
    Ok(g)
}

/// The accumulator with its vocabulary renumbered in text order (stems, then the kept words
/// and stopwords: the only words any count refers to), documents in input order, hits in
/// document order: the same counts give the same bytes, whichever worker read what.
fn put_accumulator(out: &mut Vec<u8>, acc: &Accumulator) {
    let v = &acc.vocab;
    let mut stems: Vec<u32> = (0..v.stem_count() as u32).collect();
    stems.sort_unstable_by(|&a, &b| v.stem_text(a).cmp(v.stem_text(b)));
    let mut stem_number = vec![0u32; stems.len()];
    put_varint(out, stems.len() as u64);
    for (i, &s) in stems.iter().enumerate() {
        stem_number[s as usize] = i as u32;
        put_string(out, v.stem_text(s));
    }
    let mut words: Vec<u32> = (0..v.word_count() as u32)
        .filter(|&w| matches!(v.word_info(w).kind, WordKind::Kept | WordKind::Stop))
        .collect();
    words.sort_unstable_by(|&a, &b| v.word_text(a).cmp(v.word_text(b)));
    let mut word_number = vec![u32::MAX; v.word_count()];
    put_varint(out, words.len() as u64);
    for (i, &w) in words.iter().enumerate() {
        word_number[w as usize] = i as u32;
        let info = v.word_info(w);
        put_string(out, v.word_text(w));
        let stem = if info.kind == WordKind::Kept && info.stem != NO_STEM {
            u64::from(stem_number[info.stem as usize]) + 1
        } else {
            0
        };
        put_varint(out, stem);
        put_varint(out, acc.surface.get(w as usize).copied().unwrap_or(0));
    }
    let mut labels: Vec<&String> = acc.groups.keys().collect();
    labels.sort();
    put_varint(out, labels.len() as u64);
    for label in labels {
        put_string(out, label);
        put_group(out, &acc.groups[label], &stem_number);
    }
    let mut docs: Vec<&DocRecord> = acc.docs.iter().collect();
    docs.sort_by_key(|d| d.index);
    put_varint(out, docs.len() as u64);
    for d in docs {
        put_doc(out, d);
    }
    // A statement's hits are in statement order already (one worker read it).
    let mut hits: Vec<&crate::count::HitRecord> = acc.hits.iter().collect();
    hits.sort_by_key(|h| h.doc);
    put_varint(out, hits.len() as u64);
    for h in hits {
        put_hit(out, h);
    }
    let mut ngrams = acc.ngrams.to_table();
    ngrams.map_words(|w| word_number[w as usize]);
    let mut order: Vec<usize> = (0..ngrams.labels.len()).collect();
    order.sort_by(|&a, &b| ngrams.labels[a].cmp(&ngrams.labels[b]));
    let mut group_number = vec![0u32; order.len()];
    for (i, &g) in order.iter().enumerate() {
        group_number[g] = i as u32;
    }
    ngrams.labels = order.iter().map(|&g| ngrams.labels[g].clone()).collect();
    for b in &mut ngrams.bigrams {
        b[0] = group_number[b[0] as usize];
    }
    for t in &mut ngrams.trigrams {
        t[0] = group_number[t[0] as usize];
    }
    ngrams.slots.sort_unstable();
    ngrams.prefixes.sort_unstable();
    ngrams.bigrams.sort_unstable();
    ngrams.trigrams.sort_unstable();
    put_ngrams(out, &ngrams);
    // The statements of the other languages: an accumulator each, by language code.
    put_varint(out, acc.others.len() as u64);
    for (language, other) in &acc.others {
        put_string(out, language.code());
        put_accumulator(out, other);
    }
}

fn get_accumulator(r: &mut Reader<'_>) -> Result<Accumulator, &'static str> {
    let mut acc = Accumulator::default();
    let n = r.len()?;
    for _ in 0..n {
        let s = r.string()?;
        acc.vocab.intern_stem(&s);
    }
    let stems = acc.vocab.stem_count() as u32;
    if stems as usize != n {
        return Err("a stem is listed twice");
    }
    let n = r.len()?;
    let mut word_map = Vec::with_capacity(n);
    for _ in 0..n {
        let text = r.string()?;
        let (kind, stem) = match r.varint()? {
            0 => (WordKind::Stop, NO_STEM),
            s if s <= u64::from(stems) => (WordKind::Kept, (s - 1) as u32),
            _ => return Err("stem number out of range"),
        };
        let count = r.varint()?;
        let id = acc.vocab.import_word(&text, kind, stem) as usize;
        if acc.surface.len() <= id {
            acc.surface.resize(id + 1, 0);
        }
        acc.surface[id] += count;
        word_map.push(id as u32);
    }
    let n = r.len()?;
    for _ in 0..n {
        let label = r.string()?;
        let g = get_group(r, stems)?;
        acc.groups.insert(label, g);
    }
    let n = r.len()?;
    for _ in 0..n {
        acc.docs.push(get_doc(r)?);
    }
    let n = r.len()?;
    for _ in 0..n {
        acc.hits.push(get_hit(r)?);
    }
    let ngrams = get_ngrams(r, word_map.len() as u64)?;
    acc.ngrams.add_table(&ngrams, &word_map, None);
    let n = r.len()?;
    for _ in 0..n {
        let code = r.string()?;
        let language = Language::ALL
            .into_iter()
            .find(|l| l.code() == code)
            .ok_or("unknown language code")?;
        let other = get_accumulator(r)?;
        if !other.others.is_empty() {
            return Err("a language's counts nested in another's");
        }
        if acc.others.insert(language, other).is_some() {
            return Err("a language is listed twice");
        }
    }
    Ok(acc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_split_the_input_into_disjoint_covering_parts() {
        assert_eq!("2/8".parse::<Shard>(), Ok(Shard { k: 2, n: 8 }));
        for bad in ["0/3", "4/3", "1/0", "3", "a/b", "1/2/3", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        for n in [1, 3, 7] {
            for i in 0..200 {
                let rel = format!("dir/s{i}.txt");
                let owners = (1..=n).filter(|&k| Shard { k, n }.owns(&rel)).count();
                assert_eq!(owners, 1, "{rel} in {n} shards");
            }
        }
    }
}
