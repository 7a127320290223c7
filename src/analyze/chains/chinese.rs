//! Chinese word segmentation: jieba (jieba-rs) with its dictionary shipped in the binary.
//!
//! Chinese is written without spaces, so the tokenizer's word (a run of letters) is a whole
//! clause; the segmenter cuts it into words, for statements and dictionary patterns alike, so
//! "网络雇佣军" in a statement and "雇佣军" in a pattern agree on the word 雇佣军.
//!
//! The dictionary (`zh_dict.txt.gz`, 349,045 words with their frequencies) is jieba's own
//! `dict.txt` (MIT licence, from the jieba-rs crate) without its part-of-speech column,
//! gzip-compressed: 1.7 MB of the binary. It is unpacked once per process, on the first
//! Chinese statement or pattern.

use std::io::{BufReader, Read};
use std::sync::{Arc, OnceLock};

use jieba_rs::Jieba;

use crate::decode::clean::is_han;

/// How far above the frequency that merely keeps a pattern word whole it is set, so that it
/// also wins against a longer dictionary word that overlaps it in a statement.
const WORD_BOOST: usize = 1000;

/// jieba's word list, word and frequency per line, gzip-compressed.
const DICTIONARY: &[u8] = include_bytes!("zh_dict.txt.gz");

/// Cuts runs of Chinese text into words.
pub struct Segmenter {
    jieba: Jieba,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Segmenter(jieba)")
    }
}

impl Segmenter {
    /// The process's segmenter with jieba's dictionary alone, built on first use.
    pub fn shared() -> Arc<Segmenter> {
        static SHARED: OnceLock<Arc<Segmenter>> = OnceLock::new();
        SHARED.get_or_init(|| Arc::new(Segmenter::build())).clone()
    }

    /// A segmenter that also knows `words` (the words of the dictionary's Chinese patterns),
    /// each with the frequency that keeps it whole (jieba's `suggest_freq`) or its own when
    /// higher, so a pattern word in a statement is cut as the pattern itself is: "商业间谍软件"
    /// (commercial spyware) gives 商业 + 间谍软件, not 商业间谍 (commercial espionage) + 软件.
    pub fn with_words<S: AsRef<str>>(words: &[S]) -> Arc<Segmenter> {
        let shared = Segmenter::shared();
        if words.is_empty() {
            return shared;
        }
        let mut jieba = shared.jieba.clone();
        for w in words {
            let w = w.as_ref();
            let freq = jieba.suggest_freq(w).saturating_mul(WORD_BOOST);
            jieba.add_word(w, Some(freq), None);
        }
        Arc::new(Segmenter { jieba })
    }

    fn build() -> Segmenter {
        let mut text = String::new();
        // The dictionary is part of the program: failing to read it is a build defect, which
        // the tests catch; the segmenter then knows no words and cuts by its HMM alone.
        let read = flate2::read::GzDecoder::new(DICTIONARY).read_to_string(&mut text);
        let jieba = read
            .ok()
            .and_then(|_| Jieba::with_dict(&mut BufReader::new(text.as_bytes())).ok())
            .unwrap_or_else(Jieba::empty);
        Segmenter { jieba }
    }

    /// Calls `f` with the byte range of every word of `text` (a run of letters), in order.
    pub fn split(&self, text: &str, mut f: impl FnMut(usize, usize)) {
        for token in self.jieba.cut(text, true) {
            f(token.byte_start, token.byte_end);
        }
    }

    /// Whether a run of letters needs cutting: it holds a Han character.
    #[inline]
    pub fn needed(text: &str) -> bool {
        !text.is_ascii() && text.chars().any(is_han)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        Segmenter::shared().split(text, |a, b| out.push(&text[a..b]));
        out
    }

    #[test]
    fn the_dictionary_loads() {
        assert_eq!(words("网络安全"), ["网络安全"]);
        assert_eq!(words("中华人民共和国"), ["中华人民共和国"]);
    }

    #[test]
    fn a_compound_is_cut_into_its_words() {
        assert_eq!(words("网络雇佣军"), ["网络", "雇佣军"]);
        assert_eq!(words("关键基础设施"), ["关键", "基础设施"]);
    }

    #[test]
    fn pattern_words_are_kept_whole_in_text() {
        let text = "商业间谍软件";
        let cut = |s: &Segmenter| {
            let mut out = Vec::new();
            s.split(text, |a, b| out.push(text[a..b].to_string()));
            out
        };
        assert_eq!(cut(&Segmenter::shared()), ["商业间谍", "软件"]);
        assert_eq!(
            cut(&Segmenter::with_words(&["间谍软件"])),
            ["商业", "间谍软件"]
        );
    }

    #[test]
    fn a_pattern_word_is_cut_out_of_a_longer_dictionary_word() {
        // 网络安全 is one word of jieba's dictionary; a pattern 安全 must still find it there.
        let text = "网络安全和安全理事会";
        let mut out = Vec::new();
        Segmenter::with_words(&["安全"]).split(text, |a, b| out.push(text[a..b].to_string()));
        assert_eq!(out, ["网络", "安全", "和", "安全", "理事会"]);
    }

    #[test]
    fn han_is_recognised() {
        assert!(Segmenter::needed("网络"));
        assert!(!Segmenter::needed("réseau"));
    }
}
