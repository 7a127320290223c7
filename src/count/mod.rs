//! Counting: one statement's tokens and theme hits folded into integer counts per group, merged once.
//!
//! Each worker owns an `Accumulator` with its own vocabulary; `merge` maps
//! the other side's ids by text, so results do not depend on how rayon split
//! the work. Rates are computed later, from the merged integers.

pub mod analysis;
pub mod contexts;
pub mod count_table;
pub mod hits;
pub mod languages;
pub mod ngram;
pub mod record;
pub mod results;

use rustc_hash::FxHashMap;

use crate::analyze::vocab::NO_STEM;
use crate::analyze::{Analyzer, Vocab, WordKind};
use crate::metadata::DocMeta;
use crate::metadata::date::Date;
use crate::themes::matcher::{Hit, MatchCache, ThemeMatcher};

/// The analysis chain and the compiled dictionary: built once, shared by all workers.
#[derive(Debug)]
pub struct Engine {
    pub analyzer: Analyzer,
    pub matcher: ThemeMatcher,
    /// What the fold captures for the evidence tables (contexts, n-grams).
    pub capture: crate::config::CaptureOptions,
    /// The engines of the other languages, built once (none: every statement is in this
    /// engine's language). See `languages`.
    pub languages: crate::analyze::language::PerLanguage<Engine>,
}

/// One statement, ready to count.
#[derive(Debug, Clone, Default)]
pub struct DocRecord {
    /// Position in the sorted input: the order of documents.csv.
    pub index: usize,
    pub doc_id: String,
    pub file: String,
    pub meta: DocMeta,
    /// The group label (the `session` column of the tables).
    pub group: String,
    /// The statement has no place in time (its group is shown as `undated`).
    pub undated: bool,
    pub encoding: String,
    pub bytes: u64,
    pub tokens: u64,
    pub kept_tokens: u64,
    /// The file format read (`txt`, `md`, `html`, `pdf`, `docx`).
    pub format: String,
    /// Number of pages, where the format has them.
    pub pages: Option<u32>,
    /// Theme hits in this statement, by theme (for bootstrap intervals); set by `Accumulator::add`.
    pub theme_hits: Vec<u64>,
    /// The statement's language, and where it came from (a metadata source, `detected`,
    /// `fallback` or `default`).
    pub language: crate::analyze::language::Language,
    pub language_source: String,
    /// Where the counted text starts in the statement's cleaned text (after its front
    /// matter): hit offsets are given from the start of the cleaned text, as `extract`
    /// prints it. Used while the statement is counted; not kept in partial files.
    pub text_base: usize,
    /// Words left uncounted for their length (a warning of the run; not kept in partial files).
    pub long_words: LongWords,
}

/// Words of one statement not counted for being longer than `[analysis] max_token_chars`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LongWords {
    pub count: u64,
    /// Characters of the longest one.
    pub longest: u64,
}

impl LongWords {
    /// Counts one such word (rare: its characters are counted only here).
    pub fn note(&mut self, word: &str) {
        self.count += 1;
        self.longest = self.longest.max(word.chars().count() as u64);
    }
}

pub use crate::count::hits::HitRecord;

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
    /// A statement with a place in time is in the group (false for the undated statements').
    pub dated: bool,
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

/// Hits a statement gathers before they are written to the spill as one block.
const SPILL_BLOCK_HITS: usize = 4_096;

/// A worker's running totals.
#[derive(Debug, Default)]
pub struct Accumulator {
    pub vocab: Vocab,
    cache: MatchCache,
    pub groups: FxHashMap<String, GroupCounts>,
    /// Occurrences of each kept word (by vocabulary word id), for display forms.
    pub surface: Vec<u64>,
    pub docs: Vec<DocRecord>,
    /// Hit records kept in memory (when no spill is attached).
    pub hits: Vec<HitRecord>,
    /// Where hit records go instead, as blocks (one spill per worker; several after merges).
    pub spills: Vec<Box<dyn crate::count::hits::HitSpill>>,
    /// The blocks written to `spills`.
    pub blocks: Vec<crate::count::hits::Block>,
    /// The first spill write that failed (the run stops with it).
    pub spill_error: Option<String>,
    /// Two- and three-word sequences, when `capture.collocations` is on.
    pub ngrams: crate::count::ngram::NgramCounts,
    /// A reused buffer: the n-gram stream of a statement counted from its record.
    stream: Vec<crate::count::ngram::StreamToken>,
    /// Statements in other languages than the engine's, counted apart (see `languages`).
    pub others: std::collections::BTreeMap<crate::analyze::language::Language, Accumulator>,
    scratch: Scratch,
}

/// Buffers reused from one statement to the next.
#[derive(Debug, Default)]
struct Scratch {
    lower: String,
    doc_terms: Vec<u32>,
    touched: Vec<u32>,
    window: KeptWindow,
    theme_hits: Vec<u64>,
    pattern_hits: Vec<u64>,
    /// The statement's hits settled in the current piece (moved on when they are kept).
    hits: Vec<HitRecord>,
    /// The statement's kept hits not yet written to the spill, and the next block's number.
    pending: Vec<HitRecord>,
    block_seq: u32,
    /// Text carried from one piece to the next (`add_pieces`): from the first retained word.
    tail: String,
    /// The n-gram stream not yet counted (the last two tokens carry to the next piece).
    stream: Vec<crate::count::ngram::StreamToken>,
}

/// Tokens not yet matched. Kept tokens: stem ids, "a sentence starts here" flags,
/// (token index, byte start, byte end) and the index of their word. Words: the byte
/// span of every word from `words_base` on (what contexts are cut from).
#[derive(Debug, Default)]
struct KeptWindow {
    stems: Vec<u32>,
    /// The word id of each kept token (wildcards may compare the word itself).
    word_ids: Vec<u32>,
    starts: Vec<bool>,
    spans: Vec<(u64, usize, usize)>,
    kept_words: Vec<usize>,
    words: Vec<(usize, usize)>,
    /// Statement-wide index of `words[0]`.
    words_base: usize,
    /// The matcher's hits in the window (a reused buffer).
    found: Vec<Hit>,
    /// Word spans shifted to the text view, when the view does not start at offset 0.
    local_words: Vec<(usize, usize)>,
}

/// The statement's text visible to the window: the carried tail and the current piece,
/// as one string starting at byte `base` of the statement.
struct TextView<'a> {
    text: std::borrow::Cow<'a, str>,
    base: usize,
}

/// What matching a window needs besides the window.
struct MatchContext<'a> {
    matcher: &'a ThemeMatcher,
    /// Words in the longest pattern: the look-ahead a position needs before its hits are final.
    longest: usize,
    /// Words of context on each side of a hit (theme_contexts.csv).
    context_words: usize,
    /// Cut contexts at all (off when theme_contexts.csv is not written).
    contexts: bool,
    doc: usize,
}

impl KeptWindow {
    fn clear(&mut self) {
        self.stems.clear();
        self.word_ids.clear();
        self.starts.clear();
        self.spans.clear();
        self.kept_words.clear();
        self.words.clear();
        self.words_base = 0;
    }

    /// Matches the window and records its final hits; drops what they settle and keeps the
    /// rest (and the words later contexts need) for the next piece. With `last`, every hit
    /// is final.
    ///
    /// A hit at position `i` is final once `i` has its full look-ahead (`longest` kept
    /// tokens), the words of its right context have been read, and the window is cut where no
    /// hit crosses: then the next window, starting at the cut with no position covered, makes
    /// exactly the decisions a single pass would. Returns the statement offset from which
    /// text must be kept.
    fn match_and_settle(
        &mut self,
        cx: &MatchContext<'_>,
        vocab: &Vocab,
        cache: &mut MatchCache,
        view: &TextView<'_>,
        last: bool,
        out: &mut Vec<HitRecord>,
    ) -> usize {
        self.found.clear();
        cx.matcher.find(
            &self.stems,
            &self.word_ids,
            &self.starts,
            vocab,
            cache,
            &mut self.found,
        );
        self.settle(cx, view, last, out)
    }

    /// The second half of `match_and_settle`, on the hits already in `found` (a statement
    /// counted from its record matches first and reads its text only when it has hits).
    fn settle(
        &mut self,
        cx: &MatchContext<'_>,
        view: &TextView<'_>,
        last: bool,
        out: &mut Vec<HitRecord>,
    ) -> usize {
        let found = &mut self.found;
        let n = self.stems.len();
        let mut cut = if last {
            n
        } else {
            (n + 1).saturating_sub(cx.longest)
        };
        let words_total = self.words_base + self.words.len();
        // Move the cut back to the start of any hit that crosses it, or whose right
        // context is not read yet (hits are few).
        while let Some(start) = found
            .iter()
            .filter(|h| {
                h.start < cut
                    && (h.start + h.len > cut
                        || (!last
                            && self.kept_words[h.start + h.len - 1] + cx.context_words
                                >= words_total))
            })
            .map(|h| h.start)
            .min()
        {
            cut = start;
        }
        // Contexts are cut from the view with word spans relative to it.
        let words: &[(usize, usize)] = if view.base == 0 {
            &self.words
        } else {
            self.local_words.clear();
            self.local_words.extend(
                self.words
                    .iter()
                    .map(|&(a, b)| (a - view.base, b - view.base)),
            );
            &self.local_words
        };
        for hit in found.iter().take_while(|h| h.start < cut) {
            let (token_index, start, _) = self.spans[hit.start];
            let (_, _, end) = self.spans[hit.start + hit.len - 1];
            let context = if cx.contexts {
                crate::count::contexts::window(
                    &view.text,
                    words,
                    self.kept_words[hit.start] - self.words_base,
                    self.kept_words[hit.start + hit.len - 1] - self.words_base,
                    cx.context_words,
                )
            } else {
                crate::count::contexts::Context::default()
            };
            out.push(HitRecord {
                doc: cx.doc,
                theme: hit.theme,
                pattern: hit.pattern,
                matched_text: crate::count::contexts::cut(
                    fold_whitespace(&view.text[start - view.base..end - view.base]),
                    crate::count::contexts::Cut::Middle,
                ),
                token_index,
                start,
                end,
                context,
            });
        }
        self.stems.drain(..cut);
        self.word_ids.drain(..cut);
        self.starts.drain(..cut);
        self.spans.drain(..cut);
        self.kept_words.drain(..cut);
        // Keep the words the left context of the next hit may need.
        let next_kept = self.kept_words.first().copied().unwrap_or(words_total);
        let keep_words_from = next_kept
            .saturating_sub(cx.context_words)
            .max(self.words_base);
        self.words.drain(..keep_words_from - self.words_base);
        self.words_base = keep_words_from;
        if self.words_base == 0 {
            // Nothing dropped yet: the text before the first word belongs to contexts too.
            0
        } else {
            self.words
                .first()
                .map_or(view.base + view.text.len(), |&(at, _)| at)
        }
    }
}

impl Accumulator {
    /// Tokenizes, counts and matches one prepared (cleaned) statement.
    pub fn add(&mut self, engine: &Engine, doc: DocRecord, text: &str) {
        self.add_pieces(engine, doc, [text]);
    }

    /// The engine and the accumulator that count a statement in `language`: this one with
    /// `engine` for the default language, else that language's own (see `languages`).
    pub fn for_language<'e>(
        &mut self,
        engine: &'e Engine,
        language: crate::analyze::language::Language,
    ) -> (&'e Engine, &mut Accumulator) {
        match engine.languages.get(language) {
            Some(other) => (other, self.others.entry(language).or_default()),
            None => (engine, self),
        }
    }

    /// Tokenizes, counts and matches a statement given as consecutive pieces of its prepared
    /// text, holding one piece at a time (how `chunked` reads very large files). Counts, hits,
    /// contexts, n-grams and byte offsets equal those of `add` on the concatenated text when
    /// every piece after the first starts at a [`crate::read::large::find_safe_cut`] boundary:
    /// between two words separated by a single space or line break, where no sentence can start.
    ///
    /// Phrase patterns may straddle two pieces: see `KeptWindow::match_and_settle` for how
    /// the tokens after the last settled hit (and their text) carry into the next piece.
    pub fn add_pieces<P: AsRef<str>>(
        &mut self,
        engine: &Engine,
        mut doc: DocRecord,
        pieces: impl IntoIterator<Item = P>,
    ) {
        if engine.languages.get(doc.language).is_some() {
            let (other, acc) = self.for_language(engine, doc.language);
            return acc.add_pieces(other, doc, pieces);
        }
        use crate::count::ngram::{BREAK, StreamToken};
        let analyzer = &engine.analyzer;
        let matcher = &engine.matcher;
        let ngrams = engine.capture.collocations;
        let s = &mut self.scratch;
        let vocab = &mut self.vocab;
        let surface = &mut self.surface;
        s.window.clear();
        s.tail.clear();
        s.stream.clear();
        s.hits.clear();
        s.pending.clear();
        s.block_seq = 0;
        s.theme_hits.clear();
        s.theme_hits.resize(matcher.themes().len(), 0);
        s.pattern_hits.clear();
        s.pattern_hits.resize(matcher.patterns().len(), 0);
        let keep_hits = engine.capture.hits;
        let mut tokens = 0u64;
        let mut kept = 0u64;
        let mut sentence_pending = false;
        // Offsets in the statement's text where the current piece and the carried tail start.
        let mut piece_base = doc.text_base;
        let mut tail_base = doc.text_base;
        // Stream tokens already counted (carried for the n-grams that span two pieces).
        let mut stream_counted = 0usize;
        let cx = MatchContext {
            matcher,
            longest: matcher
                .patterns()
                .iter()
                .map(|p| p.words.len())
                .max()
                .unwrap_or(1),
            context_words: engine.capture.context_words,
            contexts: engine.capture.contexts,
            doc: doc.index,
        };
        let mut pieces = pieces.into_iter().peekable();
        while let Some(piece) = pieces.next() {
            // Whole-text lowercasing, when on: byte offsets then refer to the lowercased text.
            let prepared = analyzer.before_split(piece.as_ref());
            let text: &str = &prepared;
            let last = pieces.peek().is_none();
            // Once a word has been read, a piece starts mid-sentence (the safe-cut contract).
            let continues = tokens > 0;
            let mut first_span = true;
            analyzer.tokenizer().for_each(text, |span| {
                let sentence_start = span.sentence_start && !(continues && first_span);
                first_span = false;
                sentence_pending |= sentence_start;
                let word_index = s.window.words_base + s.window.words.len();
                s.window
                    .words
                    .push((piece_base + span.start, piece_base + span.end));
                let info = vocab.lookup_raw(analyzer, &text[span.start..span.end], &mut s.lower);
                if ngrams {
                    // A sentence end, a number or a one-letter word breaks the n-gram stream.
                    let breaks = sentence_start
                        || matches!(
                            info.kind,
                            WordKind::Short | WordKind::Number | WordKind::Long
                        );
                    if breaks && s.stream.last().is_some_and(|t| *t != BREAK) {
                        s.stream.push(BREAK);
                    }
                    if matches!(info.kind, WordKind::Stop | WordKind::Kept) {
                        s.stream.push(StreamToken {
                            word: info.word,
                            kept: info.kind == WordKind::Kept,
                        });
                    }
                }
                match info.kind {
                    WordKind::Short | WordKind::Number => return,
                    WordKind::Long => {
                        doc.long_words.note(&text[span.start..span.end]);
                        return;
                    }
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
                        s.window.stems.push(info.stem);
                        s.window.word_ids.push(info.word);
                        s.window.starts.push(sentence_pending);
                        s.window.spans.push((
                            tokens,
                            piece_base + span.start,
                            piece_base + span.end,
                        ));
                        s.window.kept_words.push(word_index);
                        sentence_pending = false;
                        kept += 1;
                    }
                }
                tokens += 1;
            });
            if ngrams {
                self.ngrams
                    .count_from(&doc.group, &s.stream, stream_counted);
                let keep = s.stream.len().min(2);
                s.stream.drain(..s.stream.len() - keep);
                stream_counted = keep;
            }
            let view = if s.tail.is_empty() {
                TextView {
                    text: std::borrow::Cow::Borrowed(text),
                    base: piece_base,
                }
            } else {
                TextView {
                    text: std::borrow::Cow::Owned(format!("{}{text}", s.tail)),
                    base: tail_base,
                }
            };
            let keep_from =
                s.window
                    .match_and_settle(&cx, vocab, &mut self.cache, &view, last, &mut s.hits);
            // Hits are counted as they settle; their records are kept only when an output
            // lists them, so a statement with millions of hits holds one piece's worth.
            for hit in &s.hits {
                s.theme_hits[hit.theme as usize] += 1;
                s.pattern_hits[hit.pattern as usize] += 1;
            }
            if !keep_hits {
                s.hits.clear();
            } else if let Some(spill) = self.spills.first_mut() {
                // Blocks of whole pieces, each in the order the finished list sorts by.
                s.pending.append(&mut s.hits);
                if s.pending.len() >= SPILL_BLOCK_HITS || (last && !s.pending.is_empty()) {
                    s.pending.sort_by_key(|h| (h.token_index, h.theme));
                    spill_blocks(
                        spill.as_mut(),
                        &mut self.blocks,
                        &mut self.spill_error,
                        (doc.index, &mut s.block_seq),
                        &s.pending,
                    );
                    s.pending.clear();
                }
            } else {
                self.hits.append(&mut s.hits);
            }
            let piece_end = piece_base + text.len();
            if !last {
                // Keep the text from `keep_from` to the end of the piece.
                let kept_text = view.text[keep_from.max(view.base) - view.base..].to_string();
                s.tail = kept_text;
                tail_base = keep_from.max(view.base);
            }
            piece_base = piece_end;
        }
        doc.tokens = tokens;
        doc.kept_tokens = kept;

        let group = self
            .groups
            .entry(doc.group.clone())
            .or_insert_with(|| GroupCounts::new(matcher.themes().len(), matcher.patterns().len()));
        group.docs += 1;
        group.tokens += doc.tokens;
        group.kept += doc.kept_tokens;
        group.dated |= !doc.undated;
        group.note_time(&doc.meta);
        for &stem in &s.touched {
            let n = std::mem::take(&mut s.doc_terms[stem as usize]);
            let t = group.terms.entry(stem).or_default();
            t.count += n as u64;
            t.docs += 1;
        }
        s.touched.clear();
        for (g, &n) in group.pattern_hits.iter_mut().zip(&s.pattern_hits) {
            *g += n;
        }
        for (t, &n) in s.theme_hits.iter().enumerate() {
            group.themes[t].hits += n;
            group.themes[t].docs_with_hits += u32::from(n > 0);
        }
        doc.theme_hits.clone_from(&s.theme_hits);
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
        if !other.ngrams.is_empty() {
            // N-gram keys include stopwords, which `surface` does not carry: map every word.
            let word_map: Vec<u32> = (0..other.vocab.word_count() as u32)
                .map(|word| {
                    let info = other.vocab.word_info(word);
                    let stem = if info.stem == NO_STEM {
                        NO_STEM
                    } else {
                        stem_map[info.stem as usize]
                    };
                    self.vocab
                        .import_word(other.vocab.word_text(word), info.kind, stem)
                })
                .collect();
            let theirs = std::mem::take(&mut other.ngrams);
            self.ngrams.merge(theirs, &word_map);
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
            mine.dated |= g.dated;
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
        // Exactly the room needed: doubling would leave up to a list's worth unused.
        self.docs.reserve_exact(other.docs.len());
        self.docs.append(&mut other.docs);
        self.hits.append(&mut other.hits);
        let offset = self.spills.len() as u32;
        self.spills.append(&mut other.spills);
        self.blocks
            .extend(other.blocks.into_iter().map(|b| crate::count::hits::Block {
                spill: b.spill + offset,
                ..b
            }));
        if self.spill_error.is_none() {
            self.spill_error = other.spill_error;
        }
        for (language, theirs) in std::mem::take(&mut other.others) {
            let mine = self.others.remove(&language).unwrap_or_default();
            self.others.insert(language, mine.merge(theirs));
        }
        self
    }

    /// Sends the hit records of the statements counted from now on to `spill` instead of
    /// keeping them in memory.
    pub fn attach_spill(&mut self, spill: Box<dyn crate::count::hits::HitSpill>) {
        if self.spills.is_empty() {
            self.spills.push(spill);
        }
    }

    pub fn has_spill(&self) -> bool {
        !self.spills.is_empty()
    }

    /// Keeps one whole statement's hit records: in the spill when one is attached, else in
    /// memory.
    pub(crate) fn keep_statement_hits(&mut self, doc: usize, mut hits: Vec<HitRecord>) {
        match self.spills.first_mut() {
            Some(spill) => {
                hits.sort_by_key(|h| (h.token_index, h.theme));
                spill_blocks(
                    spill.as_mut(),
                    &mut self.blocks,
                    &mut self.spill_error,
                    (doc, &mut 0),
                    &hits,
                );
            }
            None => self
                .hits
                .extend(hits.into_iter().map(|h| HitRecord { doc, ..h })),
        }
    }

    /// Flushes every spill so its blocks can be read; the first write error, if any.
    pub fn finish_spills(&mut self) -> Result<(), String> {
        if let Some(e) = self.spill_error.take() {
            return Err(e);
        }
        for s in &mut self.spills {
            s.finish_writing().map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// Statements counted, in every language.
    pub fn doc_count(&self) -> usize {
        self.docs.len()
            + self
                .others
                .values()
                .map(Accumulator::doc_count)
                .sum::<usize>()
    }

    /// The statements counted, in every language (this accumulator's, then each other
    /// language's; not in input order).
    /// The statement counted with input position `index`, if it was the last counted in its
    /// language (as it is right after it was counted).
    pub fn just_counted(&self, index: usize) -> Option<&DocRecord> {
        std::iter::once(self.docs.last())
            .chain(self.others.values().map(|a| a.docs.last()))
            .flatten()
            .find(|d| d.index == index)
    }

    pub fn all_docs(&self) -> impl Iterator<Item = &DocRecord> {
        (self.docs.iter()).chain(self.others.values().flat_map(|a| a.docs.iter()))
    }
}

/// Writes a statement's hits (sorted by position, then theme) to `spill` in blocks of at
/// most [`SPILL_BLOCK_HITS`], so reading one back stays small; notes where each went, or the
/// first error.
fn spill_blocks(
    spill: &mut dyn crate::count::hits::HitSpill,
    blocks: &mut Vec<crate::count::hits::Block>,
    error: &mut Option<String>,
    (doc, seq): (usize, &mut u32),
    hits: &[HitRecord],
) {
    for block in hits.chunks(SPILL_BLOCK_HITS) {
        match spill.write(block) {
            Ok(extent) => blocks.push(crate::count::hits::Block {
                doc,
                seq: *seq,
                spill: 0,
                extent,
            }),
            Err(e) => {
                error.get_or_insert_with(|| e.to_string());
            }
        }
        *seq += 1;
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
