//! Counting: one statement's tokens and theme hits folded into integer counts per group, merged once.
//!
//! Each worker owns an `Accumulator` with its own vocabulary; `merge` maps
//! the other side's ids by text, so results do not depend on how rayon split
//! the work. Rates are computed later, from the merged integers.

use rustc_hash::FxHashMap;

use crate::analyze::vocab::NO_STEM;
use crate::analyze::{Analyzer, Vocab, WordKind};
use crate::date::Date;
use crate::matcher::{Hit, MatchCache, ThemeMatcher};
use crate::metadata::DocMeta;

/// The analysis chain and the compiled dictionary: built once, shared by all workers.
#[derive(Debug)]
pub struct Engine {
    pub analyzer: Analyzer,
    pub matcher: ThemeMatcher,
}

/// One statement, ready to count.
#[derive(Debug, Clone)]
pub struct DocRecord {
    /// Position in the sorted input: the order of documents.csv.
    pub index: usize,
    pub doc_id: String,
    pub file: String,
    pub meta: DocMeta,
    /// The group label (the `session` column of the tables).
    pub group: String,
    pub encoding: String,
    pub bytes: u64,
    pub tokens: u64,
    pub kept_tokens: u64,
}

/// One theme hit, for the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HitRecord {
    pub doc: usize,
    pub theme: u32,
    pub pattern: u32,
    /// The text from the first to the last matched word, white space folded.
    pub matched_text: String,
    /// Position of the first matched word among the statement's tokens (0-based).
    pub token_index: u64,
    /// Byte span of the match in the cleaned text.
    pub start: usize,
    pub end: usize,
}

/// Term count within a group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TermCount {
    pub count: u64,
    pub docs: u32,
}

/// Theme count within a group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ThemeCount {
    pub hits: u64,
    pub docs_with_hits: u32,
}

/// Integer counts of one group.
#[derive(Debug, Clone, Default)]
pub struct GroupCounts {
    pub docs: u32,
    pub tokens: u64,
    pub kept: u64,
    pub terms: FxHashMap<u32, TermCount>,
    pub themes: Vec<ThemeCount>,
    pub pattern_hits: Vec<u64>,
    /// Earliest date, or earliest year, among the group's statements.
    pub first_date: Option<Date>,
    pub first_year: Option<i32>,
    pub first_session: Option<u32>,
}

impl GroupCounts {
    fn new(themes: usize, patterns: usize) -> GroupCounts {
        GroupCounts {
            themes: vec![ThemeCount::default(); themes],
            pattern_hits: vec![0; patterns],
            ..GroupCounts::default()
        }
    }

    fn note_time(&mut self, meta: &DocMeta) {
        self.first_date = min(self.first_date, meta.date());
        self.first_year = min(self.first_year, meta.year());
        self.first_session = min(self.first_session, meta.session_number());
    }
}

/// A worker's running totals.
#[derive(Debug, Default)]
pub struct Accumulator {
    pub vocab: Vocab,
    cache: MatchCache,
    pub groups: FxHashMap<String, GroupCounts>,
    /// Occurrences of each kept word (by vocabulary word id), for display forms.
    pub surface: Vec<u64>,
    pub docs: Vec<DocRecord>,
    pub hits: Vec<HitRecord>,
    scratch: Scratch,
}

/// Buffers reused from one statement to the next.
#[derive(Debug, Default)]
struct Scratch {
    lower: String,
    doc_terms: Vec<u32>,
    touched: Vec<u32>,
    stems: Vec<u32>,
    starts: Vec<bool>,
    spans: Vec<(u64, usize, usize)>,
    hits: Vec<Hit>,
    theme_hits: Vec<u64>,
}

impl Accumulator {
    /// Tokenizes, counts and matches one prepared (cleaned) statement.
    pub fn add(&mut self, engine: &Engine, mut doc: DocRecord, text: &str) {
        let analyzer = &engine.analyzer;
        let matcher = &engine.matcher;
        let s = &mut self.scratch;
        let vocab = &mut self.vocab;
        let surface = &mut self.surface;
        s.stems.clear();
        s.starts.clear();
        s.spans.clear();
        let mut tokens = 0u64;
        let mut sentence_pending = false;
        analyzer.tokenizer().for_each(text, |span| {
            sentence_pending |= span.sentence_start;
            let info = vocab.lookup_raw(analyzer, &text[span.start..span.end], &mut s.lower);
            match info.kind {
                WordKind::Short | WordKind::Number => return,
                WordKind::Stop => {}
                WordKind::Kept => {
                    let w = info.word as usize;
                    if w >= surface.len() {
                        surface.resize(w + 1, 0);
                    }
                    surface[w] += 1;
                    let st = info.stem as usize;
                    if st >= s.doc_terms.len() {
                        s.doc_terms.resize(st + 1, 0);
                    }
                    if s.doc_terms[st] == 0 {
                        s.touched.push(info.stem);
                    }
                    s.doc_terms[st] += 1;
                    s.stems.push(info.stem);
                    s.starts.push(sentence_pending);
                    s.spans.push((tokens, span.start, span.end));
                    sentence_pending = false;
                }
            }
            tokens += 1;
        });
        doc.tokens = tokens;
        doc.kept_tokens = s.stems.len() as u64;

        s.hits.clear();
        matcher.find(&s.stems, &s.starts, vocab, &mut self.cache, &mut s.hits);

        let group = self
            .groups
            .entry(doc.group.clone())
            .or_insert_with(|| GroupCounts::new(matcher.themes().len(), matcher.patterns().len()));
        group.docs += 1;
        group.tokens += doc.tokens;
        group.kept += doc.kept_tokens;
        group.note_time(&doc.meta);
        for &stem in &s.touched {
            let n = std::mem::take(&mut s.doc_terms[stem as usize]);
            let t = group.terms.entry(stem).or_default();
            t.count += n as u64;
            t.docs += 1;
        }
        s.touched.clear();
        s.theme_hits.clear();
        s.theme_hits.resize(matcher.themes().len(), 0);
        for hit in &s.hits {
            s.theme_hits[hit.theme as usize] += 1;
            group.pattern_hits[hit.pattern as usize] += 1;
            let (token_index, start, _) = s.spans[hit.start];
            let (_, _, end) = s.spans[hit.start + hit.len - 1];
            self.hits.push(HitRecord {
                doc: doc.index,
                theme: hit.theme,
                pattern: hit.pattern,
                matched_text: fold_whitespace(&text[start..end]),
                token_index,
                start,
                end,
            });
        }
        for (t, &n) in s.theme_hits.iter().enumerate() {
            group.themes[t].hits += n;
            group.themes[t].docs_with_hits += u32::from(n > 0);
        }
        self.docs.push(doc);
    }

    /// Counts a statement that has no text (empty, or skipped as a duplicate but listed).
    pub fn add_empty(&mut self, engine: &Engine, doc: DocRecord) {
        self.add(engine, doc, "");
    }

    /// Folds another worker's totals into this one.
    pub fn merge(mut self, mut other: Accumulator) -> Accumulator {
        if other.vocab.word_count() > self.vocab.word_count() {
            std::mem::swap(&mut self, &mut other);
        }
        let stem_map: Vec<u32> = (0..other.vocab.stem_count() as u32)
            .map(|id| self.vocab.intern_stem(other.vocab.stem_text(id)))
            .collect();
        for (word, &n) in other.surface.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let info = other.vocab.word_info(word as u32);
            let stem = if info.stem == NO_STEM {
                NO_STEM
            } else {
                stem_map[info.stem as usize]
            };
            let id = self
                .vocab
                .import_word(other.vocab.word_text(word as u32), info.kind, stem)
                as usize;
            if id >= self.surface.len() {
                self.surface.resize(id + 1, 0);
            }
            self.surface[id] += n;
        }
        for (label, g) in other.groups {
            let (themes, patterns) = (g.themes.len(), g.pattern_hits.len());
            let mine = self
                .groups
                .entry(label)
                .or_insert_with(|| GroupCounts::new(themes, patterns));
            mine.docs += g.docs;
            mine.tokens += g.tokens;
            mine.kept += g.kept;
            for (stem, c) in g.terms {
                let t = mine.terms.entry(stem_map[stem as usize]).or_default();
                t.count += c.count;
                t.docs += c.docs;
            }
            for (m, o) in mine.themes.iter_mut().zip(&g.themes) {
                m.hits += o.hits;
                m.docs_with_hits += o.docs_with_hits;
            }
            for (m, o) in mine.pattern_hits.iter_mut().zip(&g.pattern_hits) {
                *m += o;
            }
            mine.first_date = min(mine.first_date, g.first_date);
            mine.first_year = min(mine.first_year, g.first_year);
            mine.first_session = min(mine.first_session, g.first_session);
        }
        self.docs.append(&mut other.docs);
        self.hits.append(&mut other.hits);
        self
    }
}

/// The smaller of two optional values, `None` counting as absent.
fn min<T: Ord>(a: Option<T>, b: Option<T>) -> Option<T> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// Folds runs of white space (line and page breaks included) into one space.
pub fn fold_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, w) in s.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}
