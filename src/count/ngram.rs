//! Two- and three-word sequences counted in the fold, on compact word-id keys, for collocations.csv.
//!
//! The stream is the statement's tokens (kept words and stopwords) in order.
//! A sentence end, a dropped word (a number, a one-letter word) or the end
//! of the statement breaks it: no sequence spans a break. A counted sequence
//! starts and ends with a kept word; a three-word one may have a stopword in
//! the middle ("rule of law"). Keys are worker-local word ids, mapped by text
//! when workers merge, like terms are.
//!
//! Counts are kept per session, on packed integer keys: a pair of word ids in one `u64`, a
//! triple in one `u64` of three 21-bit ids (a triple with a larger id, possible only past
//! two million distinct words, goes to a map keyed by the three ids), in
//! [`CountTable`]s, whose slots are prefetched a few positions ahead of the one counted.
//! Sessions merge by adding counts key by key.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analyze::{Analyzer, Vocab};
use crate::count::count_table::CountTable;
use crate::themes::matcher::ThemeMatcher;

/// One token of the stream: a vocabulary word id and whether it is a kept word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamToken {
    pub word: u32,
    pub kept: bool,
}

/// Marks a break in the stream.
pub const BREAK: StreamToken = StreamToken {
    word: u32::MAX,
    kept: false,
};

/// How often a word fills each slot (for the association tables).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Slots {
    /// First word of a two-word position.
    first2: u64,
    /// Second word of a two-word position.
    second2: u64,
    /// Third word of a three-word position.
    third3: u64,
}

/// A worker's n-gram counts (worker-local word and group ids).
#[derive(Debug, Default, Clone)]
pub struct NgramCounts {
    labels: Vec<String>,
    label_ids: FxHashMap<String, u32>,
    slots: Vec<Slots>,
    /// Two-word positions (any words) and three-word positions.
    positions2: u64,
    positions3: u64,
    /// (kept w1, any w2) at the start of a three-word position: the trigram's "first unit".
    prefixes: CountTable,
    /// Per session (by group id): the sequences counted in it.
    sessions: Vec<SessionGrams>,
}

/// One session's sequences.
#[derive(Debug, Default, Clone)]
struct SessionGrams {
    /// (kept w1, kept w2), packed by [`pack2`].
    pairs: CountTable,
    /// (kept w1, any w2, kept w3), packed by [`pack3`].
    triples: CountTable,
    /// Triples with an id too large to pack.
    wide: FxHashMap<(u32, u32, u32), u32>,
}

impl SessionGrams {
    fn add_pair(&mut self, a: u32, b: u32, n: u32) {
        self.pairs.add(pack2(a, b), n);
    }

    fn add_triple(&mut self, a: u32, b: u32, c: u32, n: u32) {
        match pack3(a, b, c) {
            Some(k) => self.triples.add(k, n),
            None => add(self.wide.entry((a, b, c)).or_default(), n),
        }
    }

    /// Every triple with its count, packed or not.
    fn each_triple(&self) -> impl Iterator<Item = ([u32; 3], u32)> + '_ {
        self.triples
            .iter()
            .map(|(k, n)| (unpack3(k), n))
            .chain(self.wide.iter().map(|(&(a, b, c), &n)| ([a, b, c], n)))
    }
}

/// How many positions ahead of the one being counted `count_from` prefetches: enough for the
/// memory to answer while the positions in between are counted.
const PREFETCH_AHEAD: usize = 12;

/// Bits per word id in a packed triple.
const ID_BITS: u32 = 21;

fn pack2(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

fn unpack2(k: u64) -> (u32, u32) {
    ((k >> 32) as u32, k as u32)
}

/// Three ids in one `u64`, when each fits in [`ID_BITS`] bits.
fn pack3(a: u32, b: u32, c: u32) -> Option<u64> {
    let limit = 1u32 << ID_BITS;
    (a < limit && b < limit && c < limit)
        .then(|| (u64::from(a) << (2 * ID_BITS)) | (u64::from(b) << ID_BITS) | u64::from(c))
}

fn unpack3(k: u64) -> [u32; 3] {
    let mask = (1u64 << ID_BITS) - 1;
    [
        (k >> (2 * ID_BITS)) as u32,
        ((k >> ID_BITS) & mask) as u32,
        (k & mask) as u32,
    ]
}

impl NgramCounts {
    pub fn is_empty(&self) -> bool {
        self.positions2 == 0
    }

    fn group_id(&mut self, label: &str) -> u32 {
        if let Some(&id) = self.label_ids.get(label) {
            return id;
        }
        let id = self.labels.len() as u32;
        self.labels.push(label.to_string());
        self.label_ids.insert(label.to_string(), id);
        self.sessions.push(SessionGrams::default());
        id
    }

    fn slot(&mut self, word: u32) -> &mut Slots {
        let w = word as usize;
        if w >= self.slots.len() {
            self.slots.resize(w + 1, Slots::default());
        }
        &mut self.slots[w]
    }

    /// Counts one statement's stream (see the module docs for what breaks it).
    pub fn count(&mut self, group: &str, stream: &[StreamToken]) {
        self.count_from(group, stream, 0);
    }

    /// Counts the sequences of `stream` that end at index `from` or later: the first `from`
    /// tokens were counted with the previous piece of the statement and only carry over so
    /// that sequences spanning two pieces are seen once.
    pub fn count_from(&mut self, group: &str, stream: &[StreamToken], from: usize) {
        if stream.len() < 2 {
            return;
        }
        let g = self.group_id(group);
        for i in 0..stream.len() - 1 {
            self.prefetch(g, stream, i + PREFETCH_AHEAD);
            let (a, b) = (stream[i], stream[i + 1]);
            if a == BREAK || b == BREAK {
                continue;
            }
            if i + 1 >= from {
                self.positions2 += 1;
                self.slot(a.word).first2 += 1;
                self.slot(b.word).second2 += 1;
                if a.kept && b.kept {
                    self.sessions[g as usize].add_pair(a.word, b.word, 1);
                }
            }
            let Some(&c) = stream.get(i + 2) else {
                continue;
            };
            if c == BREAK || i + 2 < from {
                continue;
            }
            self.positions3 += 1;
            self.slot(c.word).third3 += 1;
            if a.kept {
                self.prefixes.add(pack2(a.word, b.word), 1);
                if c.kept {
                    self.sessions[g as usize].add_triple(a.word, b.word, c.word, 1);
                }
            }
        }
    }

    /// Prefetches the slots that counting the position at `i` will update (see `CountTable`).
    #[inline]
    fn prefetch(&self, g: u32, stream: &[StreamToken], i: usize) {
        let (Some(&a), Some(&b)) = (stream.get(i), stream.get(i + 1)) else {
            return;
        };
        if !a.kept || b == BREAK {
            return;
        }
        let session = &self.sessions[g as usize];
        let key = pack2(a.word, b.word);
        self.prefixes.prefetch(key);
        if b.kept {
            session.pairs.prefetch(key);
        }
        if let Some(&c) = stream.get(i + 2)
            && c.kept
            && let Some(k) = pack3(a.word, b.word, c.word)
        {
            session.triples.prefetch(k);
        }
    }

    /// Folds another worker's counts in; `word_map[id]` is the other's word id in this vocabulary.
    pub fn merge(&mut self, other: NgramCounts, word_map: &[u32]) {
        let map = |w: u32| word_map.get(w as usize).copied().unwrap_or(w);
        let group_map: Vec<u32> = other.labels.iter().map(|l| self.group_id(l)).collect();
        let group = |g: u32| group_map.get(g as usize).copied().unwrap_or(g);
        self.positions2 += other.positions2;
        self.positions3 += other.positions3;
        for (w, s) in other.slots.iter().enumerate() {
            if *s == Slots::default() {
                continue;
            }
            let mine = self.slot(map(w as u32));
            mine.first2 += s.first2;
            mine.second2 += s.second2;
            mine.third3 += s.third3;
        }
        // The other's sessions, each at the place of the same label here.
        let mut theirs: Vec<Option<SessionGrams>> = Vec::new();
        theirs.resize_with(self.sessions.len(), || None);
        for (g, grams) in other.sessions.into_iter().enumerate() {
            theirs[group(g as u32) as usize] = Some(grams);
        }
        // The prefixes and each session are separate maps: they are merged side by side.
        let (prefixes, sessions) = (&mut self.prefixes, &mut self.sessions);
        rayon::join(
            || {
                for (k, n) in other.prefixes.iter() {
                    let (a, b) = unpack2(k);
                    prefixes.add(pack2(map(a), map(b)), n);
                }
            },
            || {
                sessions
                    .par_iter_mut()
                    .zip(theirs)
                    .for_each(|(mine, theirs)| {
                        let Some(theirs) = theirs else { return };
                        for (k, n) in theirs.pairs.iter() {
                            let (a, b) = unpack2(k);
                            mine.add_pair(map(a), map(b), n);
                        }
                        for ([a, b, c], n) in theirs.each_triple() {
                            mine.add_triple(map(a), map(b), map(c), n);
                        }
                    })
            },
        );
    }

    /// Every count as plain data, word ids unchanged (a partial file).
    pub fn to_table(&self) -> NgramTable {
        let mut t = NgramTable {
            labels: self.labels.clone(),
            positions2: self.positions2,
            positions3: self.positions3,
            slots: (self.slots.iter().enumerate())
                .filter(|(_, s)| **s != Slots::default())
                .map(|(w, s)| [w as u64, s.first2, s.second2, s.third3])
                .collect(),
            prefixes: (self.prefixes.iter())
                .map(|(k, n)| {
                    let (a, b) = unpack2(k);
                    [a, b, n]
                })
                .collect(),
            bigrams: Vec::new(),
            trigrams: Vec::new(),
        };
        for (g, s) in self.sessions.iter().enumerate() {
            let g = g as u32;
            t.bigrams.extend(s.pairs.iter().map(|(k, n)| {
                let (a, b) = unpack2(k);
                [g, a, b, n]
            }));
            t.trigrams
                .extend(s.each_triple().map(|([a, b, c], n)| [g, a, b, c, n]));
        }
        // Hash-map order is arbitrary: sorted, a table is the same bytes for the same counts.
        t.prefixes.sort_unstable();
        t.bigrams.sort_unstable();
        t.trigrams.sort_unstable();
        t
    }

    /// Adds a table in: `word_map[id]` is the table's word id in this vocabulary and
    /// `labels[g]` the group its group `g` counts in (`None`: the table's own labels).
    pub fn add_table(&mut self, t: &NgramTable, word_map: &[u32], labels: Option<&[&str]>) {
        let map = |w: u32| word_map[w as usize];
        let group_map: Vec<u32> = match labels {
            Some(labels) => labels.iter().map(|l| self.group_id(l)).collect(),
            None => t.labels.iter().map(|l| self.group_id(l)).collect(),
        };
        self.positions2 += t.positions2;
        self.positions3 += t.positions3;
        for &[w, first2, second2, third3] in &t.slots {
            let mine = self.slot(map(w as u32));
            mine.first2 += first2;
            mine.second2 += second2;
            mine.third3 += third3;
        }
        for &[a, b, n] in &t.prefixes {
            self.prefixes.add(pack2(map(a), map(b)), n);
        }
        for &[g, a, b, n] in &t.bigrams {
            self.sessions[group_map[g as usize] as usize].add_pair(map(a), map(b), n);
        }
        for &[g, a, b, c, n] in &t.trigrams {
            self.sessions[group_map[g as usize] as usize].add_triple(map(a), map(b), map(c), n);
        }
    }

    /// The sequences seen at least `min_count` times, with their words as text and the
    /// counts their association score needs; themes that cover each one are found with
    /// the run's own analysis chain and matcher.
    pub fn resolve(
        self,
        vocab: &Vocab,
        min_count: u64,
        analyzer: &Analyzer,
        matcher: &ThemeMatcher,
    ) -> Collocations {
        self.resolve_top(vocab, min_count, 0, analyzer, matcher)
    }

    /// Like `resolve`, keeping only the `top` positively associated sequences of
    /// highest G2 (0 = all), plus any tied with the last one kept, so that the
    /// ranking of `collocations::ranked` over the result is exact. Text, session
    /// labels and covering themes are worked out for those alone.
    pub fn resolve_top(
        self,
        vocab: &Vocab,
        min_count: u64,
        top: usize,
        analyzer: &Analyzer,
        matcher: &ThemeMatcher,
    ) -> Collocations {
        use crate::stats::{bigram_g2, trigram_g2};
        let NgramCounts {
            labels,
            slots,
            positions2,
            positions3,
            prefixes,
            sessions,
            ..
        } = self;
        let slot = |w: u32| slots.get(w as usize).copied().unwrap_or_default();
        // Each table is drained into one list sorted by words, then session: a sequence's
        // sessions are one run of it. Runs below the minimum are dropped on the way, so what
        // stays beyond the counts is proportional to the candidates, never a map per sequence.
        // The lists are made one session at a time at their exact size, each table freed once
        // listed (counts and list are never both whole in memory); sorting and scoring run on
        // every worker thread (this is the serial part of a run's finish otherwise).
        let mut sessions = sessions;
        let mut by_words2: Vec<Entry> =
            Vec::with_capacity(sessions.iter().map(|s| s.pairs.len()).sum());
        for (g, s) in sessions.iter_mut().enumerate() {
            by_words2.extend(std::mem::take(&mut s.pairs).iter().map(|(k, n)| {
                let (a, b) = unpack2(k);
                ([a, b, 0], g as u32, n)
            }));
        }
        let (cands2, runs2) = candidates(&mut by_words2, min_count);
        let mut by_words3: Vec<Entry> = Vec::with_capacity(
            (sessions.iter())
                .map(|s| s.triples.len() + s.wide.len())
                .sum(),
        );
        for (g, s) in sessions.iter_mut().enumerate() {
            by_words3.extend(s.each_triple().map(|(w, n)| (w, g as u32, n)));
            *s = SessionGrams::default();
        }
        drop(sessions);
        let (cands3, runs3) = candidates(&mut by_words3, min_count);
        let prefix = |a: u32, b: u32| u64::from(prefixes.get(pack2(a, b)).unwrap_or(0));
        // Each candidate's signed G2, worked out once.
        let scores2: Vec<f64> = cands2
            .par_iter()
            .map(|c| {
                let [a, b, _] = c.words;
                bigram_g2(c.total, slot(a).first2, slot(b).second2, positions2)
            })
            .collect();
        let scores3: Vec<f64> = cands3
            .par_iter()
            .map(|c| {
                let [a, b, w3] = c.words;
                trigram_g2(c.total, prefix(a, b), slot(w3).third3, positions3)
            })
            .collect();
        let mut keep2 = vec![true; cands2.len()];
        let mut keep3 = vec![true; cands3.len()];
        if top > 0 && cands2.len() + cands3.len() > top {
            // (g2, count) of every positively associated candidate; the one at place `top`
            // (strongest first) is the cut, found without sorting the rest.
            let mut scores: Vec<(f64, u64)> = Vec::with_capacity(cands2.len() + cands3.len());
            scores.extend(scores2.iter().zip(&cands2).map(|(&g2, c)| (g2, c.total)));
            scores.extend(scores3.iter().zip(&cands3).map(|(&g2, c)| (g2, c.total)));
            scores.retain(|(g2, _)| *g2 > 0.0);
            let strongest_first =
                |x: &(f64, u64), y: &(f64, u64)| y.0.total_cmp(&x.0).then_with(|| y.1.cmp(&x.1));
            if scores.len() >= top {
                let (_, &mut (g2_cut, count_cut), _) =
                    scores.select_nth_unstable_by(top - 1, strongest_first);
                let keep = |g2: f64, n: u64| {
                    g2 > 0.0 && (g2.total_cmp(&g2_cut).is_gt() || (g2 == g2_cut && n >= count_cut))
                };
                for ((k, c), &g2) in keep2.iter_mut().zip(&cands2).zip(&scores2) {
                    *k = keep(g2, c.total);
                }
                for ((k, c), &g2) in keep3.iter_mut().zip(&cands3).zip(&scores3) {
                    *k = keep(g2, c.total);
                }
            }
        }
        let text = |w: u32| vocab.word_text(w).to_string();
        let labelled = |run: &[Entry]| -> Vec<(String, u64)> {
            let mut out: Vec<(String, u64)> = run
                .iter()
                .map(|&(_, g, n)| {
                    (
                        labels.get(g as usize).cloned().unwrap_or_default(),
                        u64::from(n),
                    )
                })
                .collect();
            out.sort();
            out
        };
        let mut rows: Vec<Ngram> = Vec::new();
        for (c, _) in cands2.iter().zip(&keep2).filter(|(_, k)| **k) {
            let [a, b, _] = c.words;
            rows.push(Ngram {
                words: vec![text(a), text(b)],
                count: c.total,
                table: [c.total, slot(a).first2, slot(b).second2, positions2],
                sessions: labelled(&runs2[c.run.clone()]),
                themes: Vec::new(),
                language: Default::default(),
            });
        }
        for (c, _) in cands3.iter().zip(&keep3).filter(|(_, k)| **k) {
            let [a, b, w3] = c.words;
            rows.push(Ngram {
                words: vec![text(a), text(b), text(w3)],
                count: c.total,
                table: [c.total, prefix(a, b), slot(w3).third3, positions3],
                sessions: labelled(&runs3[c.run.clone()]),
                themes: Vec::new(),
                language: Default::default(),
            });
        }
        rows.par_iter_mut()
            .for_each(|row| row.themes = covering_themes(&row.words, analyzer, matcher));
        rows.par_sort_by(|x, y| x.words.cmp(&y.words));
        Collocations {
            ngrams: rows,
            positions2,
            positions3,
        }
    }
}

/// One count of a sequence in one session: `(words, session, count)` (a two-word sequence's
/// third word is 0).
type Entry = ([u32; 3], u32, u32);

/// A sequence seen at least the minimum number of times: its words, total and where its
/// per-session counts are.
struct Candidate {
    words: [u32; 3],
    total: u64,
    run: std::ops::Range<usize>,
}

/// Sorts `(words, session, count)` entries by words and session and keeps the runs of the
/// sequences counted at least `min_count` times (compacted to the front); returns them with
/// the kept entries.
fn candidates(entries: &mut Vec<Entry>, min_count: u64) -> (Vec<Candidate>, Vec<Entry>) {
    // Entries are distinct (one per sequence and session), so the order is the same whatever
    // the sort or the thread count.
    entries.par_sort_unstable();
    let mut out = Vec::new();
    let (mut read, mut write) = (0, 0);
    while read < entries.len() {
        let words = entries[read].0;
        let end = read + entries[read..].partition_point(|e| e.0 == words);
        let total: u64 = entries[read..end].iter().map(|e| u64::from(e.2)).sum();
        if total >= min_count {
            entries.copy_within(read..end, write);
            out.push(Candidate {
                words,
                total,
                run: write..write + (end - read),
            });
            write += end - read;
        }
        read = end;
    }
    entries.truncate(write);
    entries.shrink_to_fit();
    (out, std::mem::take(entries))
}

/// N-gram counts as plain data, for partial files: word ids are the owner's (a partial's
/// vocabulary), group ids index `labels`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NgramTable {
    pub labels: Vec<String>,
    pub positions2: u64,
    pub positions3: u64,
    /// [word, first2, second2, third3].
    pub slots: Vec<[u64; 4]>,
    /// [w1, w2, count].
    pub prefixes: Vec<[u32; 3]>,
    /// [group, w1, w2, count].
    pub bigrams: Vec<[u32; 4]>,
    /// [group, w1, w2, w3, count].
    pub trigrams: Vec<[u32; 5]>,
}

impl NgramTable {
    pub fn is_empty(&self) -> bool {
        self.positions2 == 0
    }

    /// Replaces every word id by `map(id)`.
    pub fn map_words(&mut self, map: impl Fn(u32) -> u32) {
        for s in &mut self.slots {
            s[0] = u64::from(map(s[0] as u32));
        }
        for p in &mut self.prefixes {
            p[0] = map(p[0]);
            p[1] = map(p[1]);
        }
        for b in &mut self.bigrams {
            b[1] = map(b[1]);
            b[2] = map(b[2]);
        }
        for t in &mut self.trigrams {
            t[1] = map(t[1]);
            t[2] = map(t[2]);
            t[3] = map(t[3]);
        }
    }
}

/// Adds, saturating: a u32 count per worker cannot realistically fill, but must not wrap.
fn add(n: &mut u32, m: u32) {
    *n = n.saturating_add(m);
}

/// One sequence with its counts (sorted by words; the table sorts by score).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ngram {
    /// Lowercase words.
    pub words: Vec<String>,
    /// Occurrences in the corpus.
    pub count: u64,
    /// `[joint, first unit, last word, positions]`: the inputs of `stats::bigram_g2` / `trigram_g2`.
    pub table: [u64; 4],
    /// Occurrences per session label, by label.
    pub sessions: Vec<(String, u64)>,
    /// Ids of the themes with a pattern that matches within the sequence.
    pub themes: Vec<u32>,
    /// The language of the statements it was counted in.
    pub language: crate::analyze::language::Language,
}

/// Everything collocations.csv needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Collocations {
    pub ngrams: Vec<Ngram>,
    pub positions2: u64,
    pub positions3: u64,
}

/// Themes with a pattern that matches consecutive kept words of the sequence, the way the
/// matcher reads a statement (stopwords dropped, words stemmed).
pub fn covering_themes(words: &[String], analyzer: &Analyzer, matcher: &ThemeMatcher) -> Vec<u32> {
    let kept: Vec<(String, &str)> = words
        .iter()
        .filter(|w| analyzer.kind(w) == crate::analyze::WordKind::Kept)
        .map(|w| (analyzer.stem(w).into_owned(), w.as_str()))
        .collect();
    let mut themes = Vec::new();
    for (i, (first, word)) in kept.iter().enumerate() {
        for pid in matcher.first_word_candidates(first, word) {
            let Some(p) = matcher.patterns().get(pid as usize) else {
                continue;
            };
            let fits = i + p.words.len() <= kept.len()
                && (p.words.iter().zip(&kept[i..]))
                    .all(|(pw, (stem, word))| matcher.word_matches(pw, stem, word));
            if fits {
                themes.push(p.theme);
            }
        }
    }
    themes.sort_unstable();
    themes.dedup();
    themes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::tests::default_analyzer;
    use crate::analyze::{Vocab, WordKind};
    use crate::config::HitRule;
    use crate::themes::dictionary::Dictionary;

    /// Builds a stream the way the fold does (short words and numbers break it).
    fn stream(a: &Analyzer, vocab: &mut Vocab, text: &str) -> Vec<StreamToken> {
        let mut out = Vec::new();
        let mut lower = String::new();
        a.tokenizer().for_each(text, |span| {
            if span.sentence_start && !out.is_empty() {
                out.push(BREAK);
            }
            a.lowercase_into(&text[span.start..span.end], &mut lower);
            let info = vocab.lookup(a, &lower);
            match info.kind {
                WordKind::Short | WordKind::Number | WordKind::Long => out.push(BREAK),
                k => out.push(StreamToken {
                    word: info.word,
                    kept: k == WordKind::Kept,
                }),
            }
        });
        out
    }

    fn matcher(a: &Analyzer, toml: &str) -> ThemeMatcher {
        ThemeMatcher::compile(
            &Dictionary::parse(toml).unwrap(),
            a,
            HitRule::LongestMatch,
            false,
        )
        .unwrap()
    }

    fn find<'a>(c: &'a Collocations, text: &str) -> Option<&'a Ngram> {
        c.ngrams.iter().find(|n| n.words.join(" ") == text)
    }

    #[test]
    fn counts_sequences_within_sentences_only() {
        let a = default_analyzer();
        let mut v = Vocab::default();
        let mut n = NgramCounts::default();
        n.count(
            "s1",
            &stream(
                &a,
                &mut v,
                "The rule of law matters. Law rules. Rule of law 5 now",
            ),
        );
        let m = matcher(
            &a,
            "[[theme]]\nname = \"Law\"\npatterns = [\"rule of law\"]\n",
        );
        let c = n.resolve(&v, 1, &a, &m);
        let t = find(&c, "rule of law").unwrap();
        assert_eq!(t.count, 2);
        assert_eq!(t.sessions, [("s1".to_string(), 2)]);
        assert_eq!(t.themes, [0], "the pattern covers it");
        // "law matters" is a bigram; "matters law" crosses a sentence end; "law now" a number.
        assert_eq!(find(&c, "law matters").unwrap().count, 1);
        assert!(find(&c, "matters law").is_none());
        assert!(find(&c, "law now").is_none());
        // Sequences start and end with kept words.
        assert!(find(&c, "the rule").is_none());
        assert!(find(&c, "rule of").is_none());
        let lr = find(&c, "law rules").unwrap();
        assert!(lr.themes.is_empty());
        // Positions: "the rule of law matters" (4 pairs, 3 triples), "law rules" (1, 0),
        // "rule of law" (2, 1), "now" alone.
        assert_eq!((c.positions2, c.positions3), (7, 4));
        // "rule of law": joint 2, prefix "rule of" 2, "law" third twice, 4 triples.
        assert_eq!(t.table, [2, 2, 2, 4]);
    }

    #[test]
    fn merging_workers_equals_counting_in_one() {
        let a = default_analyzer();
        let texts = [
            (
                "x",
                "international community and the international community",
            ),
            ("y", "the international community of states"),
            ("x", "human rights of the international community"),
        ];
        let mut v = Vocab::default();
        let mut one = NgramCounts::default();
        for (g, t) in texts {
            one.count(g, &stream(&a, &mut v, t));
        }
        let m = matcher(&a, "[[theme]]\nname = \"R\"\npatterns = [\"right*\"]\n");
        let whole = one.resolve(&v, 1, &a, &m);

        // Two workers with their own vocabularies, merged by text.
        let (mut v1, mut v2) = (Vocab::default(), Vocab::default());
        let (mut n1, mut n2) = (NgramCounts::default(), NgramCounts::default());
        n2.count(texts[2].0, &stream(&a, &mut v2, texts[2].1));
        n1.count(texts[0].0, &stream(&a, &mut v1, texts[0].1));
        n1.count(texts[1].0, &stream(&a, &mut v1, texts[1].1));
        let map: Vec<u32> = (0..v2.word_count() as u32)
            .map(|w| {
                let info = v2.word_info(w);
                v1.import_word(v2.word_text(w), info.kind, 0)
            })
            .collect();
        n1.merge(n2, &map);
        // Keeping the strongest k gives the first k of the full ranking.
        for k in [1, 2, 5] {
            let top = n1.clone().resolve_top(&v1, 1, k, &a, &m);
            let r = crate::report::evidence::keyness::tests::results(Vec::new());
            let all: Vec<String> = crate::report::evidence::collocations::ranked(&r, &whole)
                .into_iter()
                .map(|p| p.text)
                .collect();
            let kept: Vec<String> = crate::report::evidence::collocations::ranked(&r, &top)
                .into_iter()
                .map(|p| p.text)
                .collect();
            assert!(kept.len() >= k.min(all.len()), "{k}: {kept:?}");
            assert_eq!(kept[..k.min(all.len())], all[..k.min(all.len())], "{k}");
        }
        let merged = n1.resolve(&v1, 1, &a, &m);
        assert_eq!(merged, whole);
        let ic = find(&whole, "international community").unwrap();
        assert_eq!(ic.count, 4);
        assert_eq!(ic.sessions, [("x".into(), 3), ("y".into(), 1)]);
        assert_eq!(find(&whole, "human rights").unwrap().themes, [0]);
    }

    #[test]
    fn min_count_filters_and_empty_input_is_fine() {
        let a = default_analyzer();
        let mut v = Vocab::default();
        let mut n = NgramCounts::default();
        n.count("s", &[]);
        n.count("s", &stream(&a, &mut v, "one"));
        assert!(n.is_empty());
        n.count(
            "s",
            &stream(&a, &mut v, "cyber proxies cyber proxies cyber attacks"),
        );
        let m = matcher(&a, "");
        let c = n.resolve(&v, 2, &a, &m);
        let texts: Vec<String> = c.ngrams.iter().map(|n| n.words.join(" ")).collect();
        assert_eq!(
            texts,
            ["cyber proxies", "cyber proxies cyber", "proxies cyber"]
        );
    }
}
