//! One statement through the stages: read it, resolve its metadata, count it into the worker's batch.

use crate::analyze::language::Language;
use crate::config::{GroupBy, Settings};
use crate::count::analysis::RunStats;
use crate::count::record::{self, RecordMaker, StatementRecord, VocabIds};
use crate::count::{Accumulator, DocRecord, Engine};
use crate::decode::extract::Format;
use crate::diagnostic::Warning;
use crate::metadata::group::{Group, undated_reason};
use crate::metadata::parts::TextParts;
use crate::metadata::statement::{Admission, Sources, admit, doc_id, field_warning, values_of};
use crate::metadata::{DocMeta, Source};
use crate::read::cache::{Cache, Digest};
use crate::read::discover::{InputFile, Skipped};
use crate::read::large::LargeStatement;
use crate::read::reading::TextReading;
use crate::read::statement::{Content, How};

/// Read-only context shared by the workers.
pub(super) struct Context<'a> {
    pub settings: &'a Settings,
    pub engine: &'a Engine,
    pub sources: Sources<'a>,
    pub cache: Option<&'a Cache>,
    /// Where workers spill hit records (see `Options::spill_dir`).
    pub spill_dir: Option<&'a std::path::Path>,
    /// What besides the reading and the analysis settings changes a record's key, per
    /// language (`record::chain_fingerprint`), each taken on first use.
    pub chain_keys: [std::sync::OnceLock<Digest>; 6],
}

impl Context<'_> {
    /// The chain key of the records of `engine`'s language.
    fn chain_key(&self, engine: &Engine) -> Digest {
        let language = engine.analyzer.settings().language;
        *self.chain_keys[language.index()]
            .get_or_init(|| record::chain_fingerprint(&engine.analyzer))
    }
}

/// A worker's share of the run: its counts and what it met.
#[derive(Default)]
pub(super) struct Batch {
    pub acc: Accumulator,
    /// Scratch for analysing one statement into its record.
    maker: RecordMaker,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Warning>,
    pub stats: RunStats,
}

impl Batch {
    pub fn merge(mut self, other: Batch) -> Batch {
        self.acc = self.acc.merge(other.acc);
        self.skipped.extend(other.skipped);
        self.warnings.extend(other.warnings);
        self.stats.read += other.stats.read;
        self.stats.reused += other.stats.reused;
        self.stats.streamed += other.stats.streamed;
        self.stats.counted_from_cache += other.stats.counted_from_cache;
        self.stats.records_reused += other.stats.records_reused;
        self.stats.inputs.extend(other.stats.inputs);
        self.stats.cache_warnings.extend(other.stats.cache_warnings);
        self.stats.cache_keys.extend(other.stats.cache_keys);
        self.stats.record_keys.extend(other.stats.record_keys);
        self
    }

    /// Records a file that is not counted, with the warning that says why.
    fn skip(&mut self, file: &InputFile, reason: String) {
        self.warnings
            .push(Warning::new(&file.rel, format!("skipped: {reason}")));
        self.skipped.push(Skipped {
            rel: file.rel.clone(),
            reason,
        });
    }
}

/// The warning for a statement with no text.
const EMPTY_STATEMENT: &str = "empty statement: no text (counted with zero tokens)";

/// Reads one statement (from the cache when its entry is there and sound) and counts it;
/// failures become skips and warnings.
pub(super) fn process(ctx: &Context<'_>, index: usize, file: &InputFile, b: &mut Batch) {
    if let Some(dir) = ctx.spill_dir
        && !b.acc.has_spill()
        && b.acc.spill_error.is_none()
    {
        match crate::write::spill::HitFile::create(dir) {
            Ok(spill) => b.acc.attach_spill(Box::new(spill)),
            Err(e) => b.acc.spill_error = Some(e.to_string()),
        }
    }
    let read = crate::read::statement::read(file, ctx.settings, ctx.cache);
    let (how, counted_before) = (read.how, b.acc.doc_count());
    match read.how {
        How::Read => b.stats.read += 1,
        How::Reused => b.stats.reused += 1,
        How::Streamed => b.stats.streamed += 1,
        How::Unopened => {}
    }
    let bytes = read.input.bytes;
    let reading_key = read.cache_key;
    b.stats.inputs.push(read.input);
    b.stats.cache_keys.extend(read.cache_key);
    for w in read.cache_warnings {
        b.stats.cache_warnings.push(Warning::new(&file.rel, w));
    }
    match read.content {
        Content::Failed(reason) => b.skip(file, reason),
        Content::Text(text) => count_text(ctx, index, file, text, (bytes, reading_key), b),
        Content::Large(large) => count_large(ctx, index, file, *large, b),
    }
    if how == How::Reused && b.acc.doc_count() > counted_before {
        b.stats.counted_from_cache += 1;
    }
    if let Some(d) = b.acc.just_counted(index)
        && d.long_words.count > 0
    {
        let (long, max) = (d.long_words, ctx.settings.analysis.max_chars);
        b.warnings.push(Warning::new(
            &file.rel,
            format!(
                "{} longer than {max} characters not counted (the longest has {}): text whose spaces were lost, encoded data or a rule of letters; [analysis] max_token_chars sets the limit",
                crate::log::count(long.count, "word"),
                crate::log::count(long.longest, "character"),
            ),
        ));
    }
    let said_empty = (b.warnings.iter().rev())
        .take_while(|w| w.file == file.rel)
        .any(|w| w.message == EMPTY_STATEMENT);
    if let Some(d) = b.acc.just_counted(index)
        && d.tokens == 0
        && !said_empty
    {
        b.warnings.push(Warning::new(
            &file.rel,
            "no words: the statement has text, but none of it is a word the analysis counts (only numbers, one-letter words, symbols or header lines): it adds nothing to its session",
        ));
    } else if let Some(d) = b.acc.just_counted(index)
        && d.tokens > 0
        && d.kept_tokens == 0
    {
        b.warnings.push(Warning::new(
            &file.rel,
            format!(
                "every token is a stopword ({}): it adds no words to its session, and a session of such statements has no rates",
                crate::log::count(d.tokens, "token")
            ),
        ));
    }
}

/// Counts a statement read whole, from its stored record when there is a sound one (else
/// analysed, and its record stored); a cached reading and a fresh one take the same path.
fn count_text(
    ctx: &Context<'_>,
    index: usize,
    file: &InputFile,
    text: TextReading,
    (bytes, reading_key): (u64, Option<Digest>),
    b: &mut Batch,
) {
    for w in &text.warnings {
        b.warnings.push(Warning::new(&file.rel, w.as_str()));
    }
    let Some((meta, group)) = admitted(ctx, file, &text.parts, b) else {
        return;
    };
    if text.blank {
        b.warnings.push(Warning::new(&file.rel, EMPTY_STATEMENT));
    }
    let doc = DocRecord {
        index,
        doc_id: doc_id(&file.rel),
        file: file.rel.clone(),
        meta,
        undated: group.is_undated(),
        group: group.label().to_string(),
        encoding: text.encoding.clone(),
        bytes,
        format: Format::from_path(&file.path).name().to_string(),
        pages: text.pages,
        text_base: text.parts.body_offset,
        ..DocRecord::default()
    };
    let doc = with_language(ctx, file, doc, (&text.parts, text.body()), b);
    let chunking = &ctx.settings.chunking;
    if text.body().len() as u64 > chunking.threshold {
        // An extracted statement (PDF, Word, HTML, Markdown) as large as a file that is read
        // in pieces: counted piece by piece as such a file is, so its per-token work never
        // grows with its size, and never stored as a record (a large text file is not either).
        let (pieces, warnings) = crate::read::large::text_pieces(text.body(), chunking.chunk_bytes);
        b.warnings
            .extend(warnings.into_iter().map(|w| Warning::new(&file.rel, w)));
        b.acc.add_pieces(ctx.engine, doc, pieces);
        return;
    }
    // A record is made with the chain of the statement's language, and adds into that
    // language's counts.
    match statement_record(ctx, file, reading_key, text.body(), doc.language, b) {
        Some((rec, ids)) => {
            let (engine, acc) = b.acc.for_language(ctx.engine, doc.language);
            acc.add_record(engine, doc, &rec, &ids, text.body());
        }
        // Without a cache nothing keeps the record: counted straight from the text.
        None => b.acc.add(ctx.engine, doc, text.body()),
    }
}

/// The statement's record when the cache is on, with its words' ids in the vocabulary of the
/// worker's counts for `language`: loaded when the cache holds a sound one for this statement
/// and analysis (whatever the dictionary), else analysed from `body` with that language's
/// chain (and vocabulary, so its words are looked up once) and stored. A bad record is
/// reported and recomputed. `None` without a cache.
fn statement_record(
    ctx: &Context<'_>,
    file: &InputFile,
    reading_key: Option<Digest>,
    body: &str,
    language: Language,
    b: &mut Batch,
) -> Option<(StatementRecord, VocabIds)> {
    let (cache, reading_key) = ctx.cache.zip(reading_key)?;
    let (engine, acc) = b.acc.for_language(ctx.engine, language);
    let key = cache.record_key(&reading_key, &ctx.chain_key(engine));
    b.stats.record_keys.push(key);
    match cache.load_record(&key, record::decode) {
        Ok(Some(rec)) => {
            b.stats.records_reused += 1;
            let ids = acc.import_record(&rec);
            return Some((rec, ids));
        }
        Ok(_) => {}
        Err(e) => b
            .stats
            .cache_warnings
            .push(Warning::new(&file.rel, e.to_string())),
    }
    let (rec, ids) = StatementRecord::analyze(&engine.analyzer, &mut b.maker, &mut acc.vocab, body);
    if let Err(e) = cache.store_record(&key, &record::encode(&rec)) {
        b.stats
            .cache_warnings
            .push(Warning::new(&file.rel, e.to_string()));
    }
    Some((rec, ids))
}

/// Counts a statement too large to hold whole, piece by piece.
fn count_large(
    ctx: &Context<'_>,
    index: usize,
    file: &InputFile,
    mut large: LargeStatement,
    b: &mut Batch,
) {
    let parts = TextParts::parse(large.head());
    let Some((meta, group)) = admitted(ctx, file, &parts, b) else {
        return;
    };
    let doc = DocRecord {
        index,
        doc_id: doc_id(&file.rel),
        file: file.rel.clone(),
        meta,
        undated: group.is_undated(),
        group: group.label().to_string(),
        encoding: large.encoding.name().to_string(),
        bytes: large.bytes,
        format: Format::Text.name().to_string(),
        pages: None,
        text_base: parts.body_offset,
        ..DocRecord::default()
    };
    // Never stored (a statement this large is streamed, not cached): counted piece by piece.
    let head = large.head().get(parts.body_offset..).unwrap_or("");
    let doc = with_language(ctx, file, doc, (&parts, head), b);
    let pieces = large.body_pieces(parts.body_offset);
    b.acc.add_pieces(ctx.engine, doc, pieces);
    let finished = large.finish();
    for w in finished.warnings {
        b.warnings.push(Warning::new(&file.rel, w));
    }
    if finished.blank {
        b.warnings.push(Warning::new(&file.rel, EMPTY_STATEMENT));
    }
}

/// The statement with its language: from its metadata, else as `[analysis] language` says
/// (detected from `text` under `"detect"`). A value that names no language is a warning, placed
/// where the value is written (the manifest's row, the front matter's line).
fn with_language(
    ctx: &Context<'_>,
    file: &InputFile,
    mut doc: DocRecord,
    (parts, text): (&TextParts, &str),
    b: &mut Batch,
) -> DocRecord {
    let given = doc
        .meta
        .get("language")
        .map(|v| (v, doc.meta.source("language")));
    let (mut language, mut source, mut warning) =
        crate::analyze::language::resolve(ctx.settings.languages.policy, given, text);
    // The winning source names no language: a source below it may (a manifest's "Englsh"
    // above the front matter's "fr").
    if let Some(w) = &mut warning {
        let below = values_of(&file.rel, parts, ctx.sources, "language");
        let usable =
            (below.into_iter().skip(1)).find_map(|(v, s)| Some((Language::parse(&v)?, v, s)));
        if let Some((l, written, from)) = usable {
            *w = format!(
                "{}; the {}'s {written:?} is used",
                w.trim_end_matches(": ignored"),
                from.as_str().replace('_', " ")
            );
            (language, source) = (l, from.as_str());
        }
    }
    if let Some(w) = warning {
        let from = doc
            .meta
            .field("language")
            .map_or(Source::Header, |(_, s)| s);
        b.warnings.push(field_warning(
            &file.rel,
            parts,
            ctx.sources,
            ("language", from),
            w,
        ));
    }
    doc.language = language;
    doc.language_source = source.to_string();
    // Grouped by language: the one the statement is analysed in (given, detected or the
    // default), as `documents.csv` shows it, not the raw metadata value ("Spanish", none).
    if matches!(&ctx.settings.group_by, GroupBy::Field(f) if f == "language") {
        doc.group = language.code().to_string();
    }
    doc
}

/// The statement's metadata and group, or `None` (with the skip recorded) when its forum is not
/// selected.
fn admitted(
    ctx: &Context<'_>,
    file: &InputFile,
    parts: &TextParts,
    b: &mut Batch,
) -> Option<(DocMeta, Group)> {
    match admit(&file.rel, parts, ctx.sources, ctx.settings, &mut b.warnings) {
        Admission::NotSelected(reason) => {
            b.skipped.push(Skipped {
                rel: file.rel.clone(),
                reason,
            });
            None
        }
        Admission::Counted { meta, group } => {
            if group.is_undated() {
                let why = undated_reason(&meta, &ctx.settings.group_by);
                b.warnings.push(Warning::new(
                    &file.rel,
                    format!("{why}: counted in the group `undated`, left out of trend charts"),
                ));
            }
            Some((meta, group))
        }
    }
}
