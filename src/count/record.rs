//! A statement record: what every output needs from one statement's analysis, keyed without the dictionary.
//!
//! A record holds the statement's distinct words (kept words with their stems, which give
//! term counts by stem and the surface forms that choose display terms, and stopwords, which
//! n-grams use) and its *token stream*: every word the tokenizer cut, in order, as its word
//! number (or "not a token": a number or a word too short), its byte span in the prepared text
//! and whether a sentence starts before it. Token totals, counts per word, the n-gram stream
//! and what theme matching reads (kept tokens' stems, sentence starts, token indexes, byte
//! spans, and every word's span for contexts) all follow from that stream, so nothing in a
//! record depends on the dictionary, the hit rule or the tables a run writes:
//! `Accumulator::add_record` matches the themes on every run, and reads the statement's text
//! only to cut the hit rows of a statement with hits (the text is at hand: a statement's
//! reading is loaded for its metadata on every run). A theme edit re-tokenizes nothing.
//! Words are numbered within the record, so a record adds into any worker's totals and can be
//! stored and loaded (`encode`, `decode`). Metadata and group are not in it either: a manifest
//! edit never invalidates a record.

use crate::analyze::vocab::NO_STEM;
use crate::analyze::{Analyzer, Vocab, WordInfo, WordKind};
use crate::count::contexts::Context;
use crate::count::ngram::{BREAK, StreamToken};
use crate::count::{
    Accumulator, DocRecord, Engine, GroupCounts, HitRecord, MatchContext, TextView,
};
use crate::read::cache::{Digest, Reader, put_string, put_varint};

/// One statement's analysis (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct StatementRecord {
    /// Tokens (kept words and stopwords) and kept tokens, counted from `spans`.
    pub tokens: u64,
    pub kept_tokens: u64,
    /// The texts of the stems and words, one after another: one allocation for them all
    /// (a statement has about a thousand distinct words, read back on every rerun).
    text: String,
    /// The stems of the kept words, as byte ranges of `text`.
    stems: Vec<(usize, usize)>,
    /// Kept words and stopwords, in order of first use.
    pub words: Vec<RecordWord>,
    /// Every word the tokenizer cut, in text order.
    pub spans: Vec<RecordSpan>,
    /// The words that were not tokens for their length (a "not a token" span each).
    pub long_words: crate::count::LongWords,
}

/// Equal records hold the same words, stems and spans, wherever their texts lie in `text`.
impl PartialEq for StatementRecord {
    fn eq(&self, other: &Self) -> bool {
        fn words(r: &StatementRecord) -> Vec<(&str, u32, u64)> {
            (r.words.iter())
                .map(|w| (r.word_text(w), w.stem, w.count))
                .collect()
        }
        fn stems(r: &StatementRecord) -> Vec<&str> {
            (0..r.stem_count() as u32).map(|i| r.stem(i)).collect()
        }
        (self.tokens, self.kept_tokens, &self.spans, self.long_words)
            == (
                other.tokens,
                other.kept_tokens,
                &other.spans,
                other.long_words,
            )
            && stems(self) == stems(other)
            && words(self) == words(other)
    }
}

impl Eq for StatementRecord {}

/// One distinct word of a statement.
#[derive(Debug, Clone)]
pub struct RecordWord {
    /// Byte range of the word in the record's text (see [`StatementRecord::word_text`]).
    text: (usize, usize),
    /// Index into the record's stems for a kept word; `NO_STEM` for a stopword.
    pub stem: u32,
    /// Occurrences (as a kept word), counted from the spans.
    pub count: u64,
}

/// A record's stems and words as ids of one vocabulary, by record number: what
/// `Accumulator::add_record` counts with.
#[derive(Debug, Clone, Default)]
pub struct VocabIds {
    pub stems: Vec<u32>,
    pub words: Vec<u32>,
}

/// One word cut from the statement's prepared text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordSpan {
    /// Index into `words`, or [`NOT_A_TOKEN`] (a number or a word too short: it breaks the
    /// n-gram stream and counts for contexts, nothing else).
    pub word: u32,
    /// A sentence boundary lies between the previous word and this one.
    pub sentence_start: bool,
    /// Byte offsets in the prepared text (after `Analyzer::before_split`).
    pub start: usize,
    pub end: usize,
}

/// The word number of a span that is not a token.
pub const NOT_A_TOKEN: u32 = u32::MAX;

/// No record number given yet (a `RecordMaker` slot).
const UNNUMBERED: u32 = u32::MAX;

/// A worker's scratch for making records: reused buffers, and the numbering of the words and
/// stems of the record being made (the vocabulary is the caller's: a worker's own, so each
/// distinct word is classified and stemmed once per worker).
#[derive(Debug, Default)]
pub struct RecordMaker {
    lower: String,
    /// Vocabulary word id / stem id -> number in the record being made (reset after each).
    word_number: Vec<u32>,
    stem_number: Vec<u32>,
    /// Record number -> vocabulary id, of the record being made.
    ids: VocabIds,
}

impl RecordMaker {
    /// The record number of a kept word or stopword, given on first use.
    fn number(&mut self, vocab: &Vocab, info: WordInfo, rec: &mut StatementRecord) -> u32 {
        let w = info.word as usize;
        if w >= self.word_number.len() {
            self.word_number.resize(w + 1, UNNUMBERED);
        }
        if self.word_number[w] != UNNUMBERED {
            return self.word_number[w];
        }
        let stem = if info.kind == WordKind::Kept {
            let s = info.stem as usize;
            if s >= self.stem_number.len() {
                self.stem_number.resize(s + 1, UNNUMBERED);
            }
            if self.stem_number[s] == UNNUMBERED {
                self.stem_number[s] = rec.stems.len() as u32;
                rec.push_stem(vocab.stem_text(info.stem));
                self.ids.stems.push(info.stem);
            }
            self.stem_number[s]
        } else {
            NO_STEM
        };
        let n = rec.words.len() as u32;
        rec.push_word(vocab.word_text(info.word), stem);
        self.word_number[w] = n;
        self.ids.words.push(info.word);
        n
    }

    /// Clears the numbering for the next record; returns the ids of this one.
    fn finish(&mut self) -> VocabIds {
        let ids = std::mem::take(&mut self.ids);
        for &w in &ids.words {
            self.word_number[w as usize] = UNNUMBERED;
        }
        for &s in &ids.stems {
            self.stem_number[s as usize] = UNNUMBERED;
        }
        ids
    }
}

impl StatementRecord {
    /// Tokenizes one prepared (cleaned) statement with the analysis chain: no dictionary,
    /// no counting, so the record serves any dictionary and any run. Words are looked up in
    /// `vocab`, whose ids for the record's stems and words come back with it.
    pub fn analyze(
        analyzer: &Analyzer,
        maker: &mut RecordMaker,
        vocab: &mut Vocab,
        body: &str,
    ) -> (StatementRecord, VocabIds) {
        let prepared = analyzer.before_split(body);
        let text: &str = &prepared;
        let mut rec = StatementRecord::default();
        analyzer.tokenizer().for_each(text, |span| {
            let raw = &text[span.start..span.end];
            let info = vocab.lookup_raw(analyzer, raw, &mut maker.lower);
            let word = match info.kind {
                WordKind::Short | WordKind::Number => NOT_A_TOKEN,
                WordKind::Long => {
                    rec.long_words.note(raw);
                    NOT_A_TOKEN
                }
                WordKind::Stop | WordKind::Kept => maker.number(vocab, info, &mut rec),
            };
            rec.spans.push(RecordSpan {
                word,
                sentence_start: span.sentence_start,
                start: span.start,
                end: span.end,
            });
        });
        let ids = maker.finish();
        rec.count_tokens();
        (rec, ids)
    }

    /// The number of distinct stems.
    pub fn stem_count(&self) -> usize {
        self.stems.len()
    }

    /// The text of stem `i` (a word's `stem`).
    pub fn stem(&self, i: u32) -> &str {
        let (a, b) = self.stems[i as usize];
        &self.text[a..b]
    }

    /// The text of one of the record's words.
    pub fn word_text(&self, w: &RecordWord) -> &str {
        &self.text[w.text.0..w.text.1]
    }

    fn push_text(&mut self, s: &str) -> (usize, usize) {
        let start = self.text.len();
        self.text.push_str(s);
        (start, self.text.len())
    }

    fn push_stem(&mut self, stem: &str) {
        let range = self.push_text(stem);
        self.stems.push(range);
    }

    fn push_word(&mut self, text: &str, stem: u32) {
        let text = self.push_text(text);
        self.words.push(RecordWord {
            text,
            stem,
            count: 0,
        });
    }

    /// Sets the totals and the words' counts from the spans.
    fn count_tokens(&mut self) {
        let (mut tokens, mut kept) = (0, 0);
        for w in &mut self.words {
            w.count = 0;
        }
        for span in &self.spans {
            let Some(w) = self.words.get_mut(span.word as usize) else {
                continue;
            };
            tokens += 1;
            if w.stem != NO_STEM {
                w.count += 1;
                kept += 1;
            }
        }
        self.tokens = tokens;
        self.kept_tokens = kept;
    }
}

impl Accumulator {
    /// The ids of a record's stems and words in this accumulator's vocabulary (added when
    /// new): a loaded record's words are known by their text. A word the vocabulary knows
    /// brings its stem's id (same analysis, same stem), so only new words' stems are looked
    /// up by text.
    pub fn import_record(&mut self, rec: &StatementRecord) -> VocabIds {
        let mut stems = vec![NO_STEM; rec.stem_count()];
        let words = rec
            .words
            .iter()
            .map(|w| {
                let text = rec.word_text(w);
                let stem = stems.get_mut(w.stem as usize);
                if let Some(info) = self.vocab.get_hot(text) {
                    if let Some(s) = stem {
                        *s = info.stem;
                    }
                    return info.word;
                }
                match stem {
                    Some(s) => {
                        if *s == NO_STEM {
                            *s = self.vocab.intern_stem(rec.stem(w.stem));
                        }
                        self.vocab.import_word(text, WordKind::Kept, *s)
                    }
                    None => self.vocab.import_word(text, WordKind::Stop, NO_STEM),
                }
            })
            .collect();
        // Every stem is some kept word's, so all are set; but a stem is never left unset.
        for (i, s) in stems.iter_mut().enumerate() {
            if *s == NO_STEM {
                *s = self.vocab.intern_stem(rec.stem(i as u32));
            }
        }
        VocabIds { stems, words }
    }

    /// Counts a statement from its record, matching the themes on its kept tokens: exactly
    /// what `add` of `body` (the prepared text the record was made from) would have counted.
    /// `ids` are the record's words in this accumulator's vocabulary (from `import_record`,
    /// or from `StatementRecord::analyze` with it). `body` is read only when the statement
    /// has hits and the run keeps hit rows. The statement is in the engine's own language
    /// (records are made with its chain).
    pub fn add_record(
        &mut self,
        engine: &Engine,
        mut doc: DocRecord,
        rec: &StatementRecord,
        ids: &VocabIds,
        body: &str,
    ) {
        let matcher = &engine.matcher;
        let (stem_ids, word_ids) = (&ids.stems, &ids.words);
        // One pass over the tokens: every word's span (contexts), the kept tokens (matching)
        // and the n-gram stream, as `add_pieces` makes them.
        let ngrams = engine.capture.collocations;
        let window = &mut self.scratch.window;
        window.clear();
        let mut stream = std::mem::take(&mut self.stream);
        stream.clear();
        let mut token = 0u64;
        let mut sentence_pending = false;
        // Spans are the body's; hit offsets are the cleaned text's (see `DocRecord::text_base`).
        let base = doc.text_base;
        doc.long_words = rec.long_words;
        for (i, span) in rec.spans.iter().enumerate() {
            window.words.push((base + span.start, base + span.end));
            sentence_pending |= span.sentence_start;
            let word = rec.words.get(span.word as usize);
            if ngrams {
                // A sentence end, a number or a one-letter word breaks the n-gram stream.
                let breaks = span.sentence_start || word.is_none();
                if breaks && stream.last().is_some_and(|t| *t != BREAK) {
                    stream.push(BREAK);
                }
                if let Some(w) = word {
                    stream.push(StreamToken {
                        word: word_ids[span.word as usize],
                        kept: w.stem != NO_STEM,
                    });
                }
            }
            let Some(w) = word else {
                continue;
            };
            if let Some(&stem) = stem_ids.get(w.stem as usize) {
                window.stems.push(stem);
                window.word_ids.push(word_ids[span.word as usize]);
                window.starts.push(sentence_pending);
                window
                    .spans
                    .push((token, base + span.start, base + span.end));
                window.kept_words.push(i);
                sentence_pending = false;
            }
            token += 1;
        }
        if ngrams {
            self.ngrams.count(&doc.group, &stream);
        }
        self.stream = stream;

        window.found.clear();
        matcher.find(
            &window.stems,
            &window.word_ids,
            &window.starts,
            &self.vocab,
            &mut self.cache,
            &mut window.found,
        );
        let mut theme_hits = vec![0u64; matcher.themes().len()];
        let mut pattern_hits = vec![0u64; matcher.patterns().len()];
        for hit in &window.found {
            theme_hits[hit.theme as usize] += 1;
            pattern_hits[hit.pattern as usize] += 1;
        }
        if engine.capture.hits && !window.found.is_empty() {
            // Hit rows quote the text: the only time a record's statement is read.
            let view = TextView {
                text: engine.analyzer.before_split(body),
                base,
            };
            let cx = MatchContext {
                matcher,
                longest: 1,
                context_words: engine.capture.context_words,
                contexts: engine.capture.contexts,
                doc: doc.index,
            };
            let mut hits = Vec::with_capacity(window.found.len());
            window.settle(&cx, &view, true, &mut hits);
            self.keep_statement_hits(doc.index, hits);
        }

        let group = self
            .groups
            .entry(doc.group.clone())
            .or_insert_with(|| GroupCounts::new(theme_hits.len(), pattern_hits.len()));
        group.docs += 1;
        group.tokens += rec.tokens;
        group.kept += rec.kept_tokens;
        group.dated |= !doc.undated;
        group.note_time(&doc.meta);
        for &stem in stem_ids {
            group.terms.entry(stem).or_default().docs += 1;
        }
        for (w, &id) in rec.words.iter().zip(word_ids) {
            if w.count == 0 {
                continue;
            }
            let id = id as usize;
            if id >= self.surface.len() {
                self.surface.resize(id + 1, 0);
            }
            self.surface[id] += w.count;
            if let Some(&stem) = stem_ids.get(w.stem as usize) {
                group.terms.entry(stem).or_default().count += w.count;
            }
        }
        for (g, &n) in group.pattern_hits.iter_mut().zip(&pattern_hits) {
            *g += n;
        }
        for (t, &n) in group.themes.iter_mut().zip(&theme_hits) {
            t.hits += n;
            t.docs_with_hits += u32::from(n > 0);
        }
        doc.tokens = rec.tokens;
        doc.kept_tokens = rec.kept_tokens;
        doc.theme_hits = theme_hits;
        self.docs.push(doc);
    }
}

/// What, besides its reading and the run's analysis settings, changes how a statement is cut
/// into words: the chain's own settings (its language, stopwords, stemmer and protected words,
/// which differ from the run's for a statement in another language) and the words a Chinese
/// segmenter keeps whole (taken from the dictionary's patterns). Nothing from the dictionary
/// for the other languages, so a theme edit never changes a record's key there.
pub fn chain_fingerprint(analyzer: &Analyzer) -> Digest {
    let a = analyzer.settings();
    let mut h = blake3::Hasher::new();
    h.update(b"topictrends record chain v3\0");
    let mut put = |s: &str| {
        h.update(&(s.len() as u64).to_le_bytes());
        h.update(s.as_bytes());
    };
    put(a.language.code());
    put(&a.min_chars.to_string());
    put(&a.max_chars.to_string());
    put(if a.stemmer.enabled() {
        "stem"
    } else {
        "no stem"
    });
    for list in [a.stopwords.sorted(), a.stemmer.protected_sorted()] {
        put(&list.len().to_string());
        list.iter().for_each(|w| put(w));
    }
    put(&a.words.len().to_string());
    a.words.iter().for_each(|w| put(w));
    *h.finalize().as_bytes()
}

// ---- encoding ------------------------------------------------------------------------------
// LEB128 varints and length-prefixed strings (the cache's encoding), in field order. A span is
// one number `(word + 1) << 2 | length given << 1 | sentence start` (`word + 1` is 0 for "not
// a token"), the gap from the previous span's end, and its length only when it differs from
// its word's (always for "not a token"): about three bytes a word.

/// A record's bytes (the payload the cache frames with its key, length and checksum).
pub fn encode(rec: &StatementRecord) -> Vec<u8> {
    let mut out = Vec::with_capacity(rec.spans.len() * 3 + rec.words.len() * 8);
    put_varint(&mut out, rec.stems.len() as u64);
    for i in 0..rec.stems.len() as u32 {
        put_string(&mut out, rec.stem(i));
    }
    put_varint(&mut out, rec.words.len() as u64);
    for w in &rec.words {
        put_string(&mut out, rec.word_text(w));
        put_varint(
            &mut out,
            if w.stem == NO_STEM {
                0
            } else {
                u64::from(w.stem) + 1
            },
        );
    }
    put_varint(&mut out, rec.spans.len() as u64);
    let mut end = 0;
    for span in &rec.spans {
        let len = span.end - span.start;
        let (word, given) = match rec.words.get(span.word as usize) {
            Some(w) => (u64::from(span.word) + 1, len != w.text.1 - w.text.0),
            None => (0, true),
        };
        put_varint(
            &mut out,
            word << 2 | u64::from(given) << 1 | u64::from(span.sentence_start),
        );
        debug_assert!(span.start >= end, "spans come in text order");
        put_varint(&mut out, (span.start - end) as u64);
        if given {
            put_varint(&mut out, len as u64);
        }
        end = span.end;
    }
    put_varint(&mut out, rec.long_words.count);
    put_varint(&mut out, rec.long_words.longest);
    out
}

/// Decodes a record, checking that every number it holds points inside it.
pub fn decode(r: &mut Reader<'_>) -> Result<StatementRecord, &'static str> {
    let mut rec = StatementRecord::default();
    let n = r.len()?;
    rec.stems.reserve_exact(n);
    for _ in 0..n {
        rec.push_stem(r.str()?);
    }
    let n = r.len()?;
    rec.words.reserve_exact(n);
    for _ in 0..n {
        let text = r.str()?;
        let stem = match r.varint()? {
            0 => NO_STEM,
            s if s <= rec.stems.len() as u64 => (s - 1) as u32,
            _ => return Err("stem number out of range"),
        };
        rec.push_word(text, stem);
    }
    let n = r.len()?;
    rec.spans.reserve_exact(n);
    let mut end = 0usize;
    let offset = |v: u64| usize::try_from(v).map_err(|_| "offset out of range");
    for _ in 0..n {
        let head = r.varint()?;
        let word = match head >> 2 {
            0 => NOT_A_TOKEN,
            w if w <= rec.words.len() as u64 => (w - 1) as u32,
            _ => return Err("word number out of range"),
        };
        let start = end
            .checked_add(offset(r.varint()?)?)
            .ok_or("offset out of range")?;
        let len = if head & 2 != 0 {
            offset(r.varint()?)?
        } else {
            let w = rec
                .words
                .get(word as usize)
                .ok_or("span without a length")?;
            w.text.1 - w.text.0
        };
        end = start.checked_add(len).ok_or("offset out of range")?;
        rec.spans.push(RecordSpan {
            word,
            sentence_start: head & 1 != 0,
            start,
            end,
        });
    }
    rec.long_words.count = r.varint()?;
    rec.long_words.longest = r.varint()?;
    rec.count_tokens();
    Ok(rec)
}

pub fn put_u64s(out: &mut Vec<u8>, v: &[u64]) {
    put_varint(out, v.len() as u64);
    for &x in v {
        put_varint(out, x);
    }
}

pub fn get_u64s(r: &mut Reader<'_>) -> Result<Vec<u64>, &'static str> {
    let n = r.len()?;
    (0..n).map(|_| r.varint()).collect()
}

pub fn get_u32(r: &mut Reader<'_>) -> Result<u32, &'static str> {
    u32::try_from(r.varint()?).map_err(|_| "number out of range")
}

/// One hit row (its `doc` too: a partial file holds rows of many statements).
pub fn put_hit(out: &mut Vec<u8>, h: &HitRecord) {
    put_varint(out, h.doc as u64);
    put_varint(out, u64::from(h.theme));
    put_varint(out, u64::from(h.pattern));
    put_string(out, &h.matched_text);
    put_varint(out, h.token_index);
    put_varint(out, h.start as u64);
    put_varint(out, h.end as u64);
    put_string(out, &h.context.left);
    put_string(out, &h.context.exact);
    put_string(out, &h.context.right);
}

pub fn get_hit(r: &mut Reader<'_>) -> Result<HitRecord, &'static str> {
    let usize_of = |v: u64| usize::try_from(v).map_err(|_| "offset out of range");
    Ok(HitRecord {
        doc: usize_of(r.varint()?)?,
        theme: get_u32(r)?,
        pattern: get_u32(r)?,
        matched_text: r.string()?,
        token_index: r.varint()?,
        start: usize_of(r.varint()?)?,
        end: usize_of(r.varint()?)?,
        context: Context {
            left: r.string()?,
            exact: r.string()?,
            right: r.string()?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{CaptureOptions, HitRule};
    use crate::themes::dictionary::Dictionary;

    fn engine_with(dictionary: &str, rule: HitRule, capture: CaptureOptions) -> Engine {
        let analyzer = crate::analyze::tests::default_analyzer();
        let dict = Dictionary::parse(dictionary).unwrap();
        let matcher =
            crate::themes::matcher::ThemeMatcher::compile(&dict, &analyzer, rule, false).unwrap();
        Engine {
            analyzer,
            matcher,
            capture,
            languages: Default::default(),
        }
    }

    const CYBER: &str =
        "[[theme]]\nname = \"Cyber\"\npatterns = [\"cyber security\", \"spyware\"]\n";

    fn engine() -> Engine {
        engine_with(
            CYBER,
            HitRule::LongestMatch,
            CaptureOptions {
                collocations: true,
                hits: true,
                contexts: true,
                ..CaptureOptions::default()
            },
        )
    }

    const TEXTS: [&str; 5] = [
        "Cyber security matters. The rule of law protects cyber security and spyware victims.",
        // A "word" over the 100-character limit is no token and breaks the n-grams.
        "Spyware spreads; the rule of law must hold. Cyber security \
         zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz \
         again and again.",
        "Nothing here but the rule of law, the rule of law.",
        // Numbers and one-letter words break n-grams; a sentence end stops a phrase; a word
        // whose lowercase form is longer than itself (`İ`) and line breaks in a match.
        "In 2023 a cyber\nsecurity plan. Cyber. Security of İSTANBUL's spyware-makers, \
         cyber    security (again) x rule of law.",
        "",
    ];

    fn doc(i: usize, group: &str) -> DocRecord {
        DocRecord {
            index: i,
            group: group.into(),
            ..DocRecord::default()
        }
    }

    /// Terms, surface forms, hits and n-grams of an accumulator, by text.
    fn summary(acc: &Accumulator) -> String {
        let mut groups: Vec<String> = acc
            .groups
            .iter()
            .map(|(label, g)| {
                let mut terms: Vec<(String, u64, u32)> = g
                    .terms
                    .iter()
                    .map(|(&s, t)| (acc.vocab.stem_text(s).to_string(), t.count, t.docs))
                    .collect();
                terms.sort();
                format!(
                    "{label}: {} {} {} {:?} {:?} {:?}",
                    g.docs, g.tokens, g.kept, terms, g.themes, g.pattern_hits
                )
            })
            .collect();
        groups.sort();
        let mut surface: Vec<(String, u64)> = (acc.surface.iter().enumerate())
            .filter(|(_, n)| **n > 0)
            .map(|(w, &n)| (acc.vocab.word_text(w as u32).to_string(), n))
            .collect();
        surface.sort();
        let ngrams = acc.ngrams.to_table();
        let words = |w: u32| acc.vocab.word_text(w).to_string();
        let mut bigrams: Vec<(String, String, String, u32)> = ngrams
            .bigrams
            .iter()
            .map(|b| {
                (
                    ngrams.labels[b[0] as usize].clone(),
                    words(b[1]),
                    words(b[2]),
                    b[3],
                )
            })
            .collect();
        bigrams.sort();
        let docs: Vec<_> = acc
            .docs
            .iter()
            .map(|d| {
                let long = (d.long_words.count, d.long_words.longest);
                (d.index, d.tokens, d.kept_tokens, d.theme_hits.clone(), long)
            })
            .collect();
        format!(
            "{groups:?}\n{surface:?}\n{bigrams:?}\n{:?}\n{docs:?}\n{} {}",
            acc.hits, ngrams.positions2, ngrams.positions3
        )
    }

    /// Counts `TEXTS` straight from the text and from records made once, under `engine`;
    /// also the hits (with their contexts) and bigram positions counted, so a comparison of
    /// empty tables cannot pass unnoticed.
    fn both_ways(engine: &Engine, records: &[StatementRecord]) -> (String, String, usize, u64) {
        let mut direct = Accumulator::default();
        let mut via = Accumulator::default();
        for (i, (text, rec)) in TEXTS.iter().zip(records).enumerate() {
            let group = if i == 1 { "b" } else { "a" };
            direct.add(engine, doc(i, group), text);
            let ids = via.import_record(rec);
            via.add_record(engine, doc(i, group), rec, &ids, text);
        }
        let hits = (via.hits.iter())
            .filter(|h| !engine.capture.contexts || !h.context.left.is_empty())
            .count();
        let hit_count: u64 = via.docs.iter().flat_map(|d| &d.theme_hits).sum();
        // (Theme "None" is the dictionary that hits nothing.)
        assert_eq!(hit_count > 0, engine.matcher.themes() != ["None"]);
        let bigrams = via.ngrams.to_table().positions2;
        (summary(&via), summary(&direct), hits, bigrams)
    }

    fn records(analyzer: &Analyzer) -> Vec<StatementRecord> {
        let (mut maker, mut vocab) = (RecordMaker::default(), Vocab::default());
        (TEXTS.iter())
            .map(|t| StatementRecord::analyze(analyzer, &mut maker, &mut vocab, t).0)
            .collect()
    }

    #[test]
    fn records_add_up_to_what_the_fold_counts() {
        let engine = engine();
        let (via, direct, hits, bigrams) = both_ways(&engine, &records(&engine.analyzer));
        assert_eq!(via, direct);
        assert!(
            via.contains("(1, 108)"),
            "the long word is seen both ways: {via}"
        );
        assert!(hits >= 5 && bigrams > 20, "{hits} hits, {bigrams} bigrams");
    }

    #[test]
    fn one_record_serves_every_dictionary_rule_and_capture() {
        // Made once, with no dictionary at all; counted under others, each equal to counting
        // the text under that dictionary.
        let recs = records(&crate::analyze::tests::default_analyzer());
        let capture = |collocations, hits, contexts, context_words| CaptureOptions {
            collocations,
            hits,
            contexts,
            context_words,
        };
        let engines = [
            engine(),
            engine_with(
                "[[theme]]\nname = \"Law\"\npatterns = [\"rule of law\", \"law\", \"secur*\"]\n\
                 [[theme]]\nname = \"Cyber\"\npatterns = [\"cyber\", \"cyber security\", \"spyware maker\"]\n",
                HitRule::LongestMatch,
                capture(false, true, true, 3),
            ),
            engine_with(
                "[[theme]]\nname = \"Cyber\"\npatterns = [\"cyber\", \"cyber security\"]\n",
                HitRule::MatchStarts,
                capture(true, true, false, 10),
            ),
            engine_with(CYBER, HitRule::LongestMatch, capture(true, false, false, 0)),
            engine_with(
                "[[theme]]\nname = \"None\"\npatterns = [\"zebra crossing\"]\n",
                HitRule::LongestMatch,
                capture(true, true, true, 10),
            ),
        ];
        for (k, engine) in engines.iter().enumerate() {
            let (via, direct, hits, bigrams) = both_ways(engine, &recs);
            assert_eq!(via, direct, "engine {k}");
            let c = &engine.capture;
            let hit = c.hits && k < 4;
            assert_eq!(hits > 0, hit, "engine {k}: hit rows kept as captured");
            assert_eq!(
                bigrams > 0,
                c.collocations,
                "engine {k}: n-grams as captured"
            );
        }
    }

    #[test]
    fn a_record_survives_encoding_and_damage_is_caught() {
        let analyzer = crate::analyze::tests::default_analyzer();
        for rec in records(&analyzer) {
            let bytes = encode(&rec);
            let mut r = Reader::new(&bytes);
            assert_eq!(decode(&mut r).unwrap(), rec);
            assert!(r.is_empty());
            // Every truncation fails cleanly (the cache's checksum catches the rest).
            for cut in 0..bytes.len() {
                assert!(
                    decode(&mut Reader::new(&bytes[..cut])).is_err(),
                    "cut at {cut}"
                );
            }
        }
        // A word's length is stored only where it differs from its text's.
        let rec = &records(&analyzer)[0];
        assert!(encode(rec).len() < rec.spans.len() * 3 + 200);
    }
}
