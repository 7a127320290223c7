//! A statement record: everything the outputs need from one statement's analysis, keyed by text.
//!
//! A record holds the statement's kept words with their counts and stems (which give term
//! counts by stem and the surface forms that choose display terms), token totals, hits per
//! theme and pattern (the bootstrap resamples the per-theme ones), the hit rows of the audit
//! and context tables, and, when collocations are counted, its n-gram stream (one number per
//! kept word or stopword: n-gram counts of a statement take more room than the stream, and
//! adding them costs as much as counting it). Words are numbered within the record, so a record adds into any worker's totals (`Accumulator::add_record`) and can be
//! stored and loaded (`encode`, `decode`). Metadata and group are not in it: they are resolved
//! on every run, so a manifest edit never invalidates a record.

use rustc_hash::FxHashMap;

use crate::analyze::WordKind;
use crate::analyze::vocab::NO_STEM;
use crate::count::contexts::Context;
use crate::count::ngram::{BREAK, StreamToken};
use crate::count::{Accumulator, DocRecord, Engine, HitRecord};
use crate::read::cache::{Reader, put_string, put_varint};

/// One statement's analysis (see the module docs).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatementRecord {
    pub tokens: u64,
    pub kept_tokens: u64,
    /// The stems of the kept words.
    pub stems: Vec<String>,
    /// Kept words (with a count) and stopwords that only n-grams use (count 0).
    pub words: Vec<RecordWord>,
    pub theme_hits: Vec<u64>,
    pub pattern_hits: Vec<u64>,
    /// Hit rows in statement order (`doc` is 0; set when the record is counted), when the
    /// run keeps them.
    pub hits: Vec<HitRecord>,
    /// The n-gram stream (kept words and stopwords in order, `STREAM_BREAK` where a sentence
    /// end, a number or a one-letter word breaks it) on the record's word numbers, when the
    /// run counts n-grams: counted when the record is added, exactly as the fold would have.
    pub stream: Vec<u32>,
}

/// A break in a record's n-gram stream.
pub const STREAM_BREAK: u32 = u32::MAX;

/// One distinct word of a statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordWord {
    pub text: String,
    /// Index into `stems` for a kept word; `NO_STEM` for a stopword.
    pub stem: u32,
    /// Occurrences as a kept word.
    pub count: u64,
}

impl StatementRecord {
    /// Analyses one statement given as pieces of its prepared text (one piece when read whole)
    /// with `fold`, a worker's scratch accumulator: its vocabulary and match cache carry from
    /// one statement to the next, its counts are taken out into the record.
    pub fn analyze<P: AsRef<str>>(
        engine: &Engine,
        fold: &mut Accumulator,
        pieces: impl IntoIterator<Item = P>,
    ) -> StatementRecord {
        fold.keep_stream = true;
        fold.stream.clear();
        // In the engine's own language, so the fold never hands it to another language's.
        let doc = DocRecord {
            language: engine.language(),
            ..DocRecord::default()
        };
        fold.add_pieces(engine, doc, pieces);
        let doc = fold.docs.pop().unwrap_or_default();
        let group = fold.groups.drain().next().map(|(_, g)| g);
        let touched = std::mem::take(&mut fold.scratch.touched_words);
        // Record numbers: kept words in order of first use, then the stream's stopwords.
        let mut number: FxHashMap<u32, u32> = FxHashMap::default();
        let mut stem_number: FxHashMap<u32, u32> = FxHashMap::default();
        let mut stems = Vec::new();
        let mut words = Vec::with_capacity(touched.len());
        for &w in &touched {
            let count = std::mem::take(&mut fold.surface[w as usize]);
            let info = fold.vocab.word_info(w);
            let stem = *stem_number.entry(info.stem).or_insert_with(|| {
                stems.push(fold.vocab.stem_text(info.stem).to_string());
                stems.len() as u32 - 1
            });
            number.insert(w, words.len() as u32);
            words.push(RecordWord {
                text: fold.vocab.word_text(w).to_string(),
                stem,
                count,
            });
        }
        let mut stream = Vec::with_capacity(fold.stream.len());
        for t in &fold.stream {
            if *t == BREAK {
                stream.push(STREAM_BREAK);
                continue;
            }
            let n = *number.entry(t.word).or_insert_with(|| {
                words.push(RecordWord {
                    text: fold.vocab.word_text(t.word).to_string(),
                    stem: NO_STEM,
                    count: 0,
                });
                words.len() as u32 - 1
            });
            stream.push(n);
        }
        fold.stream.clear();
        StatementRecord {
            tokens: doc.tokens,
            kept_tokens: doc.kept_tokens,
            stems,
            words,
            theme_hits: doc.theme_hits,
            pattern_hits: group.map(|g| g.pattern_hits).unwrap_or_default(),
            hits: std::mem::take(&mut fold.hits),
            stream,
        }
    }

    /// Whether the record fits a run with `themes` themes and `patterns` patterns.
    pub fn fits(&self, themes: usize, patterns: usize) -> bool {
        self.theme_hits.len() == themes && self.pattern_hits.len() == patterns
    }
}

impl Accumulator {
    /// Counts a statement from its record: exactly what `add` of its text would have counted.
    pub fn add_record(&mut self, mut doc: DocRecord, rec: StatementRecord) {
        let stem_ids: Vec<u32> = rec
            .stems
            .iter()
            .map(|s| self.vocab.intern_stem(s))
            .collect();
        let word_ids: Vec<u32> = rec
            .words
            .iter()
            .map(|w| {
                let (kind, stem) = match stem_ids.get(w.stem as usize) {
                    Some(&stem) => (WordKind::Kept, stem),
                    None => (WordKind::Stop, NO_STEM),
                };
                self.vocab.import_word(&w.text, kind, stem)
            })
            .collect();
        let (themes, patterns) = (rec.theme_hits.len(), rec.pattern_hits.len());
        let group = self
            .groups
            .entry(doc.group.clone())
            .or_insert_with(|| super::GroupCounts::new(themes, patterns));
        group.docs += 1;
        group.tokens += rec.tokens;
        group.kept += rec.kept_tokens;
        group.dated |= !doc.undated;
        group.note_time(&doc.meta);
        for &stem in &stem_ids {
            group.terms.entry(stem).or_default().docs += 1;
        }
        for (w, &id) in rec.words.iter().zip(&word_ids) {
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
        for (g, &n) in group.pattern_hits.iter_mut().zip(&rec.pattern_hits) {
            *g += n;
        }
        for (t, &n) in group.themes.iter_mut().zip(&rec.theme_hits) {
            t.hits += n;
            t.docs_with_hits += u32::from(n > 0);
        }
        if !rec.stream.is_empty() {
            let mut stream = std::mem::take(&mut self.stream);
            stream.clear();
            stream.extend(rec.stream.iter().map(|&n| match word_ids.get(n as usize) {
                Some(&word) => StreamToken {
                    word,
                    kept: rec.words[n as usize].stem != NO_STEM,
                },
                None => BREAK,
            }));
            self.ngrams.count(&doc.group, &stream);
            self.stream = stream;
        }
        self.keep_statement_hits(doc.index, rec.hits);
        doc.tokens = rec.tokens;
        doc.kept_tokens = rec.kept_tokens;
        doc.theme_hits.clone_from(&rec.theme_hits);
        self.docs.push(doc);
    }
}

// ---- encoding ------------------------------------------------------------------------------
// LEB128 varints and length-prefixed strings (the cache's encoding), in field order.

/// A record's bytes (the payload the cache frames with its key, length and checksum).
pub fn encode(rec: &StatementRecord) -> Vec<u8> {
    let mut out = Vec::new();
    put_varint(&mut out, rec.tokens);
    put_varint(&mut out, rec.kept_tokens);
    put_varint(&mut out, rec.stems.len() as u64);
    for s in &rec.stems {
        put_string(&mut out, s);
    }
    put_varint(&mut out, rec.words.len() as u64);
    for w in &rec.words {
        put_string(&mut out, &w.text);
        put_varint(
            &mut out,
            if w.stem == NO_STEM {
                0
            } else {
                u64::from(w.stem) + 1
            },
        );
        put_varint(&mut out, w.count);
    }
    put_u64s(&mut out, &rec.theme_hits);
    put_u64s(&mut out, &rec.pattern_hits);
    put_varint(&mut out, rec.hits.len() as u64);
    for h in &rec.hits {
        put_hit(&mut out, h);
    }
    put_varint(&mut out, rec.stream.len() as u64);
    for &n in &rec.stream {
        put_varint(
            &mut out,
            if n == STREAM_BREAK {
                0
            } else {
                u64::from(n) + 1
            },
        );
    }
    out
}

/// Decodes a record, checking that every number it holds points inside it.
pub fn decode(r: &mut Reader<'_>) -> Result<StatementRecord, &'static str> {
    let tokens = r.varint()?;
    let kept_tokens = r.varint()?;
    let n = r.len()?;
    let mut stems = Vec::with_capacity(n);
    for _ in 0..n {
        stems.push(r.string()?);
    }
    let n = r.len()?;
    let mut words = Vec::with_capacity(n);
    for _ in 0..n {
        let text = r.string()?;
        let stem = match r.varint()? {
            0 => NO_STEM,
            s if s <= stems.len() as u64 => (s - 1) as u32,
            _ => return Err("stem number out of range"),
        };
        words.push(RecordWord {
            text,
            stem,
            count: r.varint()?,
        });
    }
    let theme_hits = get_u64s(r)?;
    let pattern_hits = get_u64s(r)?;
    let n = r.len()?;
    let mut hits = Vec::with_capacity(n);
    for _ in 0..n {
        hits.push(get_hit(r)?);
    }
    let n = r.len()?;
    let mut stream = Vec::with_capacity(n);
    for _ in 0..n {
        stream.push(match r.varint()? {
            0 => STREAM_BREAK,
            w if w <= words.len() as u64 => (w - 1) as u32,
            _ => return Err("word number out of range"),
        });
    }
    Ok(StatementRecord {
        tokens,
        kept_tokens,
        stems,
        words,
        theme_hits,
        pattern_hits,
        hits,
        stream,
    })
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

/// What changes a record besides its statement and the analysis settings: the compiled
/// dictionary (themes, patterns as analysed, hit rule) and what the fold captures.
pub fn engine_fingerprint(engine: &Engine, settings: &crate::config::Settings) -> [u8; 32] {
    let mut h = blake3::Hasher::new();
    h.update(b"topictrends engine v1\0");
    h.update(format!("{:?}", engine.matcher.themes()).as_bytes());
    h.update(format!("{:?}", engine.matcher.patterns()).as_bytes());
    h.update(format!("{:?} {}", settings.hit_rule, settings.cross_sentences).as_bytes());
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{CaptureOptions, HitRule};
    use crate::themes::dictionary::Dictionary;

    fn engine() -> Engine {
        let analyzer = crate::analyze::tests::default_analyzer();
        let dict = Dictionary::parse(
            "[[theme]]\nname = \"Cyber\"\npatterns = [\"cyber security\", \"spyware\"]\n",
        )
        .unwrap();
        let matcher = crate::themes::matcher::ThemeMatcher::compile(
            &dict,
            &analyzer,
            HitRule::LongestMatch,
            false,
        )
        .unwrap();
        Engine {
            analyzer,
            matcher,
            capture: CaptureOptions {
                collocations: true,
                hits: true,
                contexts: true,
                ..CaptureOptions::default()
            },
            languages: Default::default(),
        }
    }

    const TEXTS: [&str; 3] = [
        "Cyber security matters. The rule of law protects cyber security and spyware victims.",
        "Spyware spreads; the rule of law must hold. Cyber security again and again.",
        "Nothing here but the rule of law, the rule of law.",
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
            .map(|d| (d.index, d.tokens, d.kept_tokens, d.theme_hits.clone()))
            .collect();
        format!(
            "{groups:?}\n{surface:?}\n{bigrams:?}\n{:?}\n{docs:?}\n{} {}",
            acc.hits, ngrams.positions2, ngrams.positions3
        )
    }

    #[test]
    fn records_add_up_to_what_the_fold_counts() {
        let engine = engine();
        let mut direct = Accumulator::default();
        let mut via = Accumulator::default();
        let mut fold = Accumulator::default();
        for (i, text) in TEXTS.iter().enumerate() {
            let group = if i == 1 { "b" } else { "a" };
            direct.add(&engine, doc(i, group), text);
            let rec = StatementRecord::analyze(&engine, &mut fold, [*text]);
            via.add_record(doc(i, group), rec);
        }
        assert_eq!(summary(&via), summary(&direct));
        assert!(!via.hits.is_empty() && via.ngrams.to_table().positions2 > 0);
    }

    #[test]
    fn a_record_survives_encoding_and_damage_is_caught() {
        let engine = engine();
        let mut fold = Accumulator::default();
        let rec = StatementRecord::analyze(&engine, &mut fold, [TEXTS[0]]);
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
}
