//! Per-worker vocabulary: each distinct word is classified and stemmed once, then interned.

use rustc_hash::FxHashMap;

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
#[derive(Debug, Default, Clone)]
pub struct Vocab {
    words: FxHashMap<Box<str>, WordInfo>,
    word_text: Vec<Box<str>>,
    stems: FxHashMap<Box<str>, u32>,
    stem_text: Vec<Box<str>>,
}

impl Vocab {
    /// Looks a lowercase word up, analysing it on first sight.
    #[inline]
    pub fn lookup(&mut self, analyzer: &Analyzer, lower: &str) -> WordInfo {
        if let Some(info) = self.words.get(lower) {
            return *info;
        }
        let kind = analyzer.kind(lower);
        let stem = if kind == WordKind::Kept {
            self.intern_stem(&analyzer.stem(lower))
        } else {
            NO_STEM
        };
        let info = WordInfo {
            word: self.word_text.len() as u32,
            kind,
            stem,
        };
        self.word_text.push(lower.into());
        self.words.insert(lower.into(), info);
        info
    }

    /// The id of a stem, added when new.
    pub fn intern_stem(&mut self, stem: &str) -> u32 {
        if let Some(&id) = self.stems.get(stem) {
            return id;
        }
        let id = self.stem_text.len() as u32;
        self.stem_text.push(stem.into());
        self.stems.insert(stem.into(), id);
        id
    }

    /// Adds a word analysed elsewhere (merging another vocabulary); `stem` is an id of this one.
    pub fn import_word(&mut self, lower: &str, kind: WordKind, stem: u32) -> u32 {
        if let Some(info) = self.words.get(lower) {
            return info.word;
        }
        let info = WordInfo {
            word: self.word_text.len() as u32,
            kind,
            stem,
        };
        self.word_text.push(lower.into());
        self.words.insert(lower.into(), info);
        info.word
    }

    pub fn stem_id(&self, stem: &str) -> Option<u32> {
        self.stems.get(stem).copied()
    }

    pub fn stem_text(&self, id: u32) -> &str {
        &self.stem_text[id as usize]
    }

    pub fn word_text(&self, id: u32) -> &str {
        &self.word_text[id as usize]
    }

    pub fn word_info(&self, id: u32) -> WordInfo {
        self.words[&self.word_text[id as usize]]
    }

    pub fn stem_count(&self) -> usize {
        self.stem_text.len()
    }

    pub fn word_count(&self) -> usize {
        self.word_text.len()
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
}
