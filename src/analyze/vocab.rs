//! Per-worker vocabulary: each distinct word is classified and stemmed once, then interned.

use hashbrown::HashTable;

use super::{Analyzer, WordKind};

/// Marks a word without a stem (not a kept token).
pub const NO_STEM: u32 = u32::MAX;

/// What a worker knows about one distinct lowercase word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WordInfo {
    pub word: u32,
    pub kind: WordKind,
    /// Interned stem id for kept words, `NO_STEM` otherwise.
    pub stem: u32,
}

/// Interned words and stems. Ids are local to one vocabulary; merging maps them by text.
///
/// Texts are kept end to end in one buffer each (words, stems) and the tables hold ids, not
/// strings: a vocabulary of millions of distinct words (an ID or hash dump) costs a few bytes
/// a word beyond its text, not an allocation and a string header per word and per stem.
#[derive(Debug, Default, Clone)]
pub struct Vocab {
    /// Words of up to [`SHORT_KEY_BYTES`] bytes (nearly every token), keyed inline.
    short: ShortWords,
    /// Longer words, as word ids hashed by their text.
    long: HashTable<u32>,
    /// Per word id.
    infos: Vec<WordInfo>,
    word_text: Texts,
    /// Stem ids hashed by their text.
    stems: HashTable<u32>,
    stem_text: Texts,
}

/// Texts stored end to end, found by id (the order they were added).
#[derive(Debug, Default, Clone)]
struct Texts {
    bytes: String,
    /// Where each text ends in `bytes`.
    ends: Vec<usize>,
}

impl Texts {
    fn push(&mut self, text: &str) -> u32 {
        self.bytes.push_str(text);
        self.ends.push(self.bytes.len());
        (self.ends.len() - 1) as u32
    }

    #[inline]
    fn get(&self, id: u32) -> &str {
        let i = id as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    fn len(&self) -> usize {
        self.ends.len()
    }
}

/// The hash a text's id is filed under.
#[inline]
fn text_hash(text: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(text)
}

/// The id filed under `text` in `table`, if any.
#[inline]
fn find_text(table: &HashTable<u32>, texts: &Texts, text: &str) -> Option<u32> {
    table
        .find(text_hash(text), |&id| texts.get(id) == text)
        .copied()
}

/// Files the id of a text just pushed to `texts` (absent from `table`).
fn file_text(table: &mut HashTable<u32>, texts: &Texts, id: u32) {
    table.insert_unique(text_hash(texts.get(id)), id, |&i| text_hash(texts.get(i)));
}

impl Vocab {
    /// Looks a lowercase word up, analysing it on first sight.
    #[inline]
    pub fn lookup(&mut self, analyzer: &Analyzer, lower: &str) -> WordInfo {
        let key = short_key(lower.as_bytes());
        let known = match key {
            Some(k) => self.short.get(k),
            None => self.get_long(lower),
        };
        if let Some(info) = known {
            return info;
        }
        let kind = analyzer.kind(lower);
        let stem = if kind == WordKind::Kept {
            self.intern_stem(&analyzer.stem(lower))
        } else {
            NO_STEM
        };
        self.insert(lower, key, kind, stem)
    }

    /// Looks up a word as cut from the text (not yet lowercased). Short ASCII
    /// words, nearly all of them, are lowercased straight into their table
    /// key; the rest go through `lowercase_into` with `scratch` as buffer.
    #[inline]
    pub fn lookup_raw(&mut self, analyzer: &Analyzer, raw: &str, scratch: &mut String) -> WordInfo {
        if let Some(key) = ascii_lower_key(raw.as_bytes())
            && let Some(info) = self.short.get_hot(key)
        {
            return info;
        }
        analyzer.lowercase_into(raw, scratch);
        self.lookup(analyzer, scratch)
    }

    fn insert(
        &mut self,
        lower: &str,
        key: Option<[u64; 2]>,
        kind: WordKind,
        stem: u32,
    ) -> WordInfo {
        let word = self.word_text.push(lower);
        let info = WordInfo { word, kind, stem };
        self.infos.push(info);
        match key {
            Some(k) => self.short.insert(k, info),
            None => file_text(&mut self.long, &self.word_text, word),
        }
        info
    }

    /// A word longer than the inline keys, if known.
    #[inline]
    fn get_long(&self, lower: &str) -> Option<WordInfo> {
        find_text(&self.long, &self.word_text, lower).map(|id| self.infos[id as usize])
    }

    /// The id of a stem, added when new.
    pub fn intern_stem(&mut self, stem: &str) -> u32 {
        if let Some(id) = find_text(&self.stems, &self.stem_text, stem) {
            return id;
        }
        let id = self.stem_text.push(stem);
        file_text(&mut self.stems, &self.stem_text, id);
        id
    }

    /// What this vocabulary knows of a lowercase word, if it has seen it.
    #[inline]
    pub fn get(&self, lower: &str) -> Option<WordInfo> {
        match short_key(lower.as_bytes()) {
            Some(k) => self.short.get(k),
            None => self.get_long(lower),
        }
    }

    /// Like [`Vocab::get`], through the table of recently found short words (for lookups of
    /// a whole statement's words, most of them frequent).
    #[inline]
    pub fn get_hot(&mut self, lower: &str) -> Option<WordInfo> {
        match short_key(lower.as_bytes()) {
            Some(k) => self.short.get_hot(k),
            None => self.get_long(lower),
        }
    }

    /// Adds a word analysed elsewhere (merging another vocabulary); `stem` is an id of this one.
    pub fn import_word(&mut self, lower: &str, kind: WordKind, stem: u32) -> u32 {
        match self.get(lower) {
            Some(info) => info.word,
            None => {
                self.insert(lower, short_key(lower.as_bytes()), kind, stem)
                    .word
            }
        }
    }

    pub fn stem_id(&self, stem: &str) -> Option<u32> {
        find_text(&self.stems, &self.stem_text, stem)
    }

    pub fn stem_text(&self, id: u32) -> &str {
        self.stem_text.get(id)
    }

    pub fn word_text(&self, id: u32) -> &str {
        self.word_text.get(id)
    }

    pub fn word_info(&self, id: u32) -> WordInfo {
        self.infos[id as usize]
    }

    pub fn stem_count(&self) -> usize {
        self.stem_text.len()
    }

    pub fn word_count(&self) -> usize {
        self.word_text.len()
    }
}

/// Longest word (in UTF-8 bytes) kept in the inline table.
pub const SHORT_KEY_BYTES: usize = 16;

/// A word of 1 to 16 bytes as two little-endian words, zero-padded. No word
/// contains a NUL byte (NUL is not a letter), so the padding is unambiguous
/// and an all-zero key marks an empty slot.
#[inline]
fn short_key(bytes: &[u8]) -> Option<[u64; 2]> {
    if bytes.is_empty() || bytes.len() > SHORT_KEY_BYTES || bytes.contains(&0) {
        return None;
    }
    let mut buf = [0u8; SHORT_KEY_BYTES];
    buf[..bytes.len()].copy_from_slice(bytes);
    Some(key_of(&buf))
}

/// The key of a short ASCII word after ASCII lowercasing; `None` for other words.
/// Tokens hold only ASCII letters, digits and the apostrophe (0x27): setting
/// bit 5 lowercases the letters and leaves digits and the apostrophe as they are.
#[inline]
fn ascii_lower_key(bytes: &[u8]) -> Option<[u64; 2]> {
    if bytes.is_empty() || bytes.len() > SHORT_KEY_BYTES {
        return None;
    }
    let mut buf = [0u8; SHORT_KEY_BYTES];
    for (d, &b) in buf.iter_mut().zip(bytes) {
        if !(b.is_ascii_alphanumeric() || b == b'\'') {
            return None;
        }
        *d = b | 0x20;
    }
    Some(key_of(&buf))
}

#[inline]
fn key_of(buf: &[u8; SHORT_KEY_BYTES]) -> [u64; 2] {
    let (a, b) = buf.split_at(8);
    // Both halves are exactly 8 bytes: the conversions cannot fail.
    [
        u64::from_le_bytes(a.try_into().unwrap_or_default()),
        u64::from_le_bytes(b.try_into().unwrap_or_default()),
    ]
}

/// Open-addressing table of short words: the key is compared inline, so a
/// lookup touches one slot instead of following a pointer to the word's text.
#[derive(Debug, Clone, Default)]
struct ShortWords {
    /// Power-of-two length (or empty); a zero key is a free slot.
    slots: Vec<([u64; 2], WordInfo)>,
    len: usize,
    /// Direct-mapped copy of recently found slots, [`HOT_SLOTS`] long (or
    /// empty). perf showed most of the lookup time waiting on the big
    /// table's cache lines; a few thousand frequent words carry most tokens,
    /// and this 128 KiB front stays in L2.
    hot: Vec<([u64; 2], WordInfo)>,
}

/// Entries of the hot front (32 bytes each).
const HOT_SLOTS: usize = 4096;

const FREE: ([u64; 2], WordInfo) = (
    [0, 0],
    WordInfo {
        word: 0,
        kind: WordKind::Short,
        stem: NO_STEM,
    },
);

impl ShortWords {
    #[inline]
    fn hash(key: [u64; 2]) -> u64 {
        (key[0].wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ key[1]).wrapping_mul(0xD6E8_FEB8_6659_FD93)
    }

    #[inline]
    fn slot_of(&self, key: [u64; 2]) -> usize {
        // Fibonacci hashing: the top bits, as many as the table is wide.
        (Self::hash(key) >> (64 - self.slots.len().trailing_zeros())) as usize
    }

    /// Like `get`, through the hot front (filled on the way).
    #[inline]
    fn get_hot(&mut self, key: [u64; 2]) -> Option<WordInfo> {
        if self.hot.is_empty() {
            self.hot = vec![FREE; HOT_SLOTS];
        }
        // The top bits, the best mixed of a multiplicative hash.
        let h = (Self::hash(key) >> (64 - HOT_SLOTS.trailing_zeros())) as usize;
        let (k, info) = self.hot[h];
        if k == key {
            return Some(info);
        }
        let found = self.get(key)?;
        self.hot[h] = (key, found);
        Some(found)
    }

    #[inline]
    fn get(&self, key: [u64; 2]) -> Option<WordInfo> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot_of(key);
        loop {
            let (k, info) = self.slots[i];
            if k == key {
                return Some(info);
            }
            if k == [0, 0] {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Inserts a key that is not in the table.
    fn insert(&mut self, key: [u64; 2], info: WordInfo) {
        // At most half full, so probe runs stay short and a free slot always exists.
        if (self.len + 1) * 2 > self.slots.len() {
            let size = (self.slots.len() * 2).max(1024);
            let old = std::mem::replace(&mut self.slots, vec![FREE; size]);
            for (k, v) in old.into_iter().filter(|(k, _)| *k != [0, 0]) {
                self.place(k, v);
            }
        }
        self.place(key, info);
        self.len += 1;
    }

    fn place(&mut self, key: [u64; 2], info: WordInfo) {
        let mask = self.slots.len() - 1;
        let mut i = self.slot_of(key);
        while self.slots[i].0 != [0, 0] {
            i = (i + 1) & mask;
        }
        self.slots[i] = (key, info);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::tests::default_analyzer;

    #[test]
    fn words_with_one_stem_share_its_id() {
        let a = default_analyzer();
        let mut v = Vocab::default();
        let x = v.lookup(&a, "mercenaries");
        let y = v.lookup(&a, "mercenary");
        let z = v.lookup(&a, "the");
        assert_eq!(x.stem, y.stem);
        assert_ne!(x.word, y.word);
        assert_eq!(z.stem, NO_STEM);
        assert_eq!(v.stem_text(x.stem), "mercenari");
        assert_eq!(v.lookup(&a, "mercenaries"), x);
        assert_eq!(v.word_info(y.word), y);
    }

    #[test]
    fn raw_lookup_lowercases_like_the_analyzer() {
        let a = default_analyzer();
        let mut v = Vocab::default();
        let mut scratch = String::new();
        for raw in [
            "States",
            "STATES",
            "don't",
            "G20",
            "Côte",
            "internationalization",
            "Internationalization",
            "a",
            "x",
        ] {
            let expected = {
                a.lowercase_into(raw, &mut scratch);
                let lower = scratch.clone();
                v.lookup(&a, &lower)
            };
            assert_eq!(v.lookup_raw(&a, raw, &mut scratch), expected, "{raw}");
        }
        assert_eq!(
            v.lookup_raw(&a, "STATES", &mut scratch).word,
            v.lookup(&a, "states").word
        );
    }

    #[test]
    fn many_words_survive_table_growth() {
        let a = default_analyzer();
        let mut v = Vocab::default();
        let words: Vec<String> = (0..5000).map(|i| format!("w{i}x")).collect();
        let ids: Vec<u32> = words.iter().map(|w| v.lookup(&a, w).word).collect();
        for (w, id) in words.iter().zip(&ids) {
            assert_eq!(v.lookup(&a, w).word, *id);
            assert_eq!(v.word_text(*id), w);
        }
        assert_eq!(v.word_count(), 5000);
    }

    proptest::proptest! {
        #[test]
        fn lookup_is_a_function_of_the_text(words in proptest::collection::vec("[a-zA-Z0-9'éİ]{0,20}", 0..60)) {
            let a = default_analyzer();
            let mut v = Vocab::default();
            let mut scratch = String::new();
            let mut seen = std::collections::HashMap::new();
            for w in &words {
                let info = v.lookup_raw(&a, w, &mut scratch);
                a.lowercase_into(w, &mut scratch);
                let again = v.lookup(&a, &scratch);
                proptest::prop_assert_eq!(info, again);
                proptest::prop_assert_eq!(v.word_text(info.word), scratch.as_str());
                if let Some(prev) = seen.insert(scratch.clone(), info) {
                    proptest::prop_assert_eq!(prev, info);
                }
            }
        }
    }
}
