//! Two- and three-word sequences counted in the fold, on compact word-id keys, for collocations.csv.
//!
//! The stream is the statement's tokens (kept words and stopwords) in order.
//! A sentence end, a dropped word (a number, a one-letter word) or the end
//! of the statement breaks it: no sequence spans a break. A counted sequence
//! starts and ends with a kept word; a three-word one may have a stopword in
//! the middle ("rule of law"). Keys are worker-local word ids, mapped by text
//! when workers merge, like terms are.

use rustc_hash::FxHashMap;

use crate::analyze::{Analyzer, Vocab};
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
    prefixes: FxHashMap<(u32, u32), u32>,
    /// (group, kept w1, kept w2).
    bigrams: FxHashMap<(u32, u32, u32), u32>,
    /// (group, kept w1, any w2, kept w3).
    trigrams: FxHashMap<(u32, u32, u32, u32), u32>,
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
            let (a, b) = (stream[i], stream[i + 1]);
            if a == BREAK || b == BREAK {
                continue;
            }
            if i + 1 >= from {
                self.positions2 += 1;
                self.slot(a.word).first2 += 1;
                self.slot(b.word).second2 += 1;
                if a.kept && b.kept {
                    bump(self.bigrams.entry((g, a.word, b.word)).or_default());
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
                bump(self.prefixes.entry((a.word, b.word)).or_default());
                if c.kept {
                    bump(
                        self.trigrams
                            .entry((g, a.word, b.word, c.word))
                            .or_default(),
                    );
                }
            }
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
        for ((a, b), n) in other.prefixes {
            add(self.prefixes.entry((map(a), map(b))).or_default(), n);
        }
        for ((g, a, b), n) in other.bigrams {
            add(
                self.bigrams.entry((group(g), map(a), map(b))).or_default(),
                n,
            );
        }
        for ((g, a, b, c), n) in other.trigrams {
            add(
                self.trigrams
                    .entry((group(g), map(a), map(b), map(c)))
                    .or_default(),
                n,
            );
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
        let slot = |w: u32| self.slots.get(w as usize).copied().unwrap_or_default();
        // Two passes: totals first, then per-session counts only for what passes the
        // minimum, so memory beyond the counts themselves stays proportional to the output.
        let mut totals2: FxHashMap<(u32, u32), u64> = FxHashMap::default();
        for (&(_, a, b), &n) in &self.bigrams {
            *totals2.entry((a, b)).or_default() += u64::from(n);
        }
        totals2.retain(|_, n| *n >= min_count);
        let mut groups2: FxHashMap<(u32, u32), Vec<(u32, u64)>> = FxHashMap::default();
        for (&(g, a, b), &n) in &self.bigrams {
            if totals2.contains_key(&(a, b)) {
                groups2.entry((a, b)).or_default().push((g, u64::from(n)));
            }
        }
        let mut totals3: FxHashMap<(u32, u32, u32), u64> = FxHashMap::default();
        for (&(_, a, b, c), &n) in &self.trigrams {
            *totals3.entry((a, b, c)).or_default() += u64::from(n);
        }
        totals3.retain(|_, n| *n >= min_count);
        let mut groups3: FxHashMap<(u32, u32, u32), Vec<(u32, u64)>> = FxHashMap::default();
        for (&(g, a, b, c), &n) in &self.trigrams {
            if totals3.contains_key(&(a, b, c)) {
                groups3
                    .entry((a, b, c))
                    .or_default()
                    .push((g, u64::from(n)));
            }
        }
        if top > 0 && groups2.len() + groups3.len() > top {
            use crate::stats::{bigram_g2, trigram_g2};
            // (g2, count) of every candidate, strongest first.
            let mut scores: Vec<(f64, u64)> = Vec::with_capacity(groups2.len() + groups3.len());
            let score2 = |&(a, b): &(u32, u32), n: u64| {
                bigram_g2(n, slot(a).first2, slot(b).second2, self.positions2)
            };
            let score3 = |&(a, b, c): &(u32, u32, u32), n: u64| {
                let prefix = u64::from(self.prefixes.get(&(a, b)).copied().unwrap_or(0));
                trigram_g2(n, prefix, slot(c).third3, self.positions3)
            };
            scores.extend(groups2.keys().map(|k| (score2(k, totals2[k]), totals2[k])));
            scores.extend(groups3.keys().map(|k| (score3(k, totals3[k]), totals3[k])));
            scores.retain(|(g2, _)| *g2 > 0.0);
            scores.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| y.1.cmp(&x.1)));
            if let Some(&(g2_cut, count_cut)) = scores.get(top.saturating_sub(1)) {
                let keep = |g2: f64, n: u64| {
                    g2 > 0.0 && (g2.total_cmp(&g2_cut).is_gt() || (g2 == g2_cut && n >= count_cut))
                };
                groups2.retain(|k, _| keep(score2(k, totals2[k]), totals2[k]));
                groups3.retain(|k, _| keep(score3(k, totals3[k]), totals3[k]));
            }
        }
        let text = |w: u32| vocab.word_text(w).to_string();
        let mut rows: Vec<Ngram> = Vec::with_capacity(groups2.len() + groups3.len());
        for ((a, b), groups) in groups2 {
            let count = groups.iter().map(|(_, n)| n).sum();
            rows.push(Ngram {
                words: vec![text(a), text(b)],
                count,
                table: [count, slot(a).first2, slot(b).second2, self.positions2],
                sessions: self.labelled(groups),
                themes: Vec::new(),
                language: Default::default(),
            });
        }
        for ((a, b, c), groups) in groups3 {
            let count = groups.iter().map(|(_, n)| n).sum();
            let prefix = self.prefixes.get(&(a, b)).copied().unwrap_or(0);
            rows.push(Ngram {
                words: vec![text(a), text(b), text(c)],
                count,
                table: [count, u64::from(prefix), slot(c).third3, self.positions3],
                sessions: self.labelled(groups),
                themes: Vec::new(),
                language: Default::default(),
            });
        }
        for row in &mut rows {
            row.themes = covering_themes(&row.words, analyzer, matcher);
        }
        rows.sort_by(|x, y| x.words.cmp(&y.words));
        Collocations {
            ngrams: rows,
            positions2: self.positions2,
            positions3: self.positions3,
        }
    }

    fn labelled(&self, groups: Vec<(u32, u64)>) -> Vec<(String, u64)> {
        let mut out: Vec<(String, u64)> = groups
            .into_iter()
            .map(|(g, n)| (self.labels.get(g as usize).cloned().unwrap_or_default(), n))
            .collect();
        out.sort();
        out
    }
}

/// Adds one, saturating: a u32 count per worker cannot realistically fill, but must not wrap.
fn bump(n: &mut u32) {
    *n = n.saturating_add(1);
}

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
    let stems: Vec<String> = words
        .iter()
        .filter(|w| analyzer.kind(w) == crate::analyze::WordKind::Kept)
        .map(|w| analyzer.stem(w).into_owned())
        .collect();
    let mut themes = Vec::new();
    for (i, first) in stems.iter().enumerate() {
        for pid in matcher.first_word_candidates(first) {
            let Some(p) = matcher.patterns().get(pid as usize) else {
                continue;
            };
            let fits = i + p.words.len() <= stems.len()
                && p.words.iter().zip(&stems[i..]).all(|(pw, s)| pw.matches(s));
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
                WordKind::Short | WordKind::Number => out.push(BREAK),
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
