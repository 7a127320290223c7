//! Finished results: merged counts turned into ordered sessions, display forms and sorted records.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analyze::WordKind;
use crate::analyze::language::Language;
use crate::count::hits::{Hits, SpilledHits};
use crate::count::{Accumulator, DocRecord, ThemeCount};
use crate::metadata::date::Date;
pub use crate::metadata::group::UNDATED;

/// One term of a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermRow {
    /// A term is a stem of one language.
    pub language: Language,
    pub term: String,
    pub display: String,
    pub count: u64,
    pub docs: u32,
}

/// One group of statements (a session, a year, a speaker...), in time order.
#[derive(Debug, Clone)]
pub struct Session {
    pub label: String,
    /// 1-based position in time order.
    pub order: usize,
    /// Earliest date (ISO) or year of its statements; empty when unknown.
    pub start: String,
    pub first_date: Option<Date>,
    /// False for the group of statements with no place in time (shown as `undated`), which
    /// everything over time leaves out; a group merely named "undated" is dated.
    pub dated: bool,
    pub docs: u32,
    pub tokens: u64,
    pub kept: u64,
    /// Every term, by descending count then term.
    pub terms: Vec<TermRow>,
    pub themes: Vec<ThemeCount>,
    pub pattern_hits: Vec<u64>,
    /// Earliest year and session number among its statements (what orders undated groups).
    pub first_year: Option<i32>,
    pub first_session: Option<u32>,
    /// The same counts per language of its statements, by language.
    pub languages: Vec<LanguageShare>,
}

/// A session's statements in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageShare {
    pub language: Language,
    pub docs: u32,
    pub tokens: u64,
    pub kept: u64,
    pub themes: Vec<ThemeCount>,
}

/// A compiled pattern, as the outputs name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternInfo {
    pub theme: u32,
    pub text: String,
    /// The language of the statements it is matched in.
    pub language: Language,
}

/// Everything the writers need.
#[derive(Debug, Clone)]
pub struct Results {
    pub themes: Vec<String>,
    pub patterns: Vec<PatternInfo>,
    pub sessions: Vec<Session>,
    /// In input order.
    pub docs: Vec<DocRecord>,
    /// By statement, then position, then theme.
    pub hits: Hits,
}

impl Results {
    pub fn finish(acc: Accumulator, themes: Vec<String>, patterns: Vec<PatternInfo>) -> Results {
        let Accumulator {
            vocab,
            groups,
            surface,
            mut docs,
            mut hits,
            spills,
            blocks,
            ..
        } = acc;
        // Display form of each stem: its most frequent word, ties to the smallest; by stem id
        // (count 0: none seen).
        let mut best: Vec<(u64, &str)> = vec![(0, ""); vocab.stem_count()];
        for (word, &n) in surface.iter().enumerate() {
            if n == 0 {
                continue;
            }
            let info = vocab.word_info(word as u32);
            if info.kind != WordKind::Kept {
                continue;
            }
            let text = vocab.word_text(word as u32);
            let e = &mut best[info.stem as usize];
            if n > e.0 || (n == e.0 && text < e.1) {
                *e = (n, text);
            }
        }
        // Groups are independent: their term lists are built and sorted in parallel.
        let groups: Vec<_> = groups.into_iter().collect();
        let mut sessions: Vec<Session> = groups
            .into_par_iter()
            .map(|(label, g)| {
                // By descending count, then term (a session lists each stem once, so the order
                // is total): sorted on integer keys, the text compared only where the first 8
                // bytes tie, and only then made into rows.
                let mut order: Vec<(std::cmp::Reverse<u64>, u64, &str, u32, u32)> = g
                    .terms
                    .iter()
                    .map(|(&stem, c)| {
                        let text = vocab.stem_text(stem);
                        let count = std::cmp::Reverse(c.count);
                        (count, text_prefix(text), text, stem, c.docs)
                    })
                    .collect();
                order.sort_unstable_by(|a, b| {
                    (a.0, a.1).cmp(&(b.0, b.1)).then_with(|| a.2.cmp(b.2))
                });
                let terms: Vec<TermRow> = order
                    .into_iter()
                    .map(|(count, _, text, stem, docs)| {
                        let term = text.to_string();
                        let display = match best.get(stem as usize) {
                            Some(&(n, w)) if n > 0 => w.to_string(),
                            _ => term.clone(),
                        };
                        TermRow {
                            language: Language::default(),
                            term,
                            display,
                            count: count.0,
                            docs,
                        }
                    })
                    .collect();
                let start = match (g.first_date, g.first_year) {
                    (Some(d), _) => d.to_string(),
                    (None, Some(y)) => y.to_string(),
                    _ => String::new(),
                };
                Session {
                    languages: vec![LanguageShare {
                        language: Language::default(),
                        docs: g.docs,
                        tokens: g.tokens,
                        kept: g.kept,
                        themes: g.themes.clone(),
                    }],
                    first_year: g.first_year,
                    first_session: g.first_session,
                    dated: g.dated,
                    order: 0,
                    start,
                    first_date: g.first_date,
                    docs: g.docs,
                    tokens: g.tokens,
                    kept: g.kept,
                    terms,
                    themes: g.themes,
                    pattern_hits: g.pattern_hits,
                    label,
                }
            })
            .collect();
        order_sessions(&mut sessions);
        // Indexes are unique: an unstable sort gives the same order without a buffer of half the list.
        docs.sort_unstable_by_key(|d| d.index);
        // From here on a hit's `doc` is its statement's position in `docs`.
        let position: FxHashMap<usize, usize> =
            docs.iter().enumerate().map(|(i, d)| (d.index, i)).collect();
        let hits = if spills.is_empty() {
            for h in &mut hits {
                h.doc = position[&h.doc];
            }
            hits.sort_by_key(|h| (h.doc, h.token_index, h.theme));
            Hits::Memory(hits)
        } else {
            Hits::Spilled(std::sync::Arc::new(SpilledHits::new(spills, blocks, |i| {
                position[&i]
            })))
        };
        Results {
            themes,
            patterns,
            sessions,
            docs,
            hits,
        }
    }

    /// Finishes with the theme and pattern names of the dictionary that matched: the counts of
    /// the accumulator's own language (`crate::count::languages::finish` joins every language).
    pub fn finish_with(
        acc: Accumulator,
        matcher: &crate::themes::matcher::ThemeMatcher,
    ) -> Results {
        let themes = matcher.themes().to_vec();
        let patterns = matcher
            .patterns()
            .iter()
            .map(|p| PatternInfo {
                theme: p.theme,
                text: p.text.clone(),
                language: Language::default(),
            })
            .collect();
        Results::finish(acc, themes, patterns)
    }

    /// The session with this label.
    pub fn session(&self, label: &str) -> Option<&Session> {
        self.sessions.iter().find(|s| s.label == label)
    }

    /// Statements and date (or year) range, for chart footers.
    pub fn corpus_summary(&self) -> String {
        let n = self.docs.len();
        let noun = if n == 1 { "statement" } else { "statements" };
        let dates: Vec<Date> = self.docs.iter().filter_map(|d| d.meta.date()).collect();
        let range = match (dates.iter().min(), dates.iter().max()) {
            (Some(a), Some(b)) if a == b => format!(", {a}"),
            (Some(a), Some(b)) => format!(", {a} to {b}"),
            _ => {
                let years: Vec<i32> = self.docs.iter().filter_map(|d| d.meta.year()).collect();
                match (years.iter().min(), years.iter().max()) {
                    (Some(a), Some(b)) if a == b => format!(", {a}"),
                    (Some(a), Some(b)) => format!(", {a} to {b}"),
                    _ => String::new(),
                }
            }
        };
        format!("{n} {noun}{range}")
    }
}

/// Sorts sessions in time order and numbers them from 1.
pub fn order_sessions(sessions: &mut [Session]) {
    sessions.sort_by(|a, b| sort_key(a).cmp(&sort_key(b)));
    for (i, s) in sessions.iter_mut().enumerate() {
        s.order = i + 1;
    }
}

/// Dated groups by earliest date (a bare year before the dates in it),
/// then groups with only a session number, then the rest by label;
/// `undated` last.
fn sort_key(s: &Session) -> (u8, (i32, u8, u8), u32, &str) {
    let tier = if !s.dated {
        3
    } else if s.first_date.is_some() || s.first_year.is_some() {
        0
    } else if s.first_session.is_some() {
        1
    } else {
        2
    };
    let when = match (s.first_date, s.first_year) {
        (Some(d), _) => (d.year, d.month, d.day),
        (None, Some(y)) => (y, 0, 0),
        _ => (0, 0, 0),
    };
    (tier, when, s.first_session.unwrap_or(0), s.label.as_str())
}

/// The first 8 bytes of `text` (zero-padded) as a big-endian number: where two texts' prefixes
/// differ, comparing the numbers orders them as comparing the texts does; where they are
/// equal, the texts must be compared.
fn text_prefix(text: &str) -> u64 {
    let mut buf = [0u8; 8];
    let n = text.len().min(8);
    buf[..n].copy_from_slice(&text.as_bytes()[..n]);
    u64::from_be_bytes(buf)
}

#[cfg(test)]
mod tests {
    use super::text_prefix;

    proptest::proptest! {
        /// Where two prefixes differ they order the texts as the texts themselves do.
        #[test]
        fn prefixes_order_as_texts(a in "[a-c\u{e9}\u{0}]{0,12}", b in "[a-c\u{e9}\u{0}]{0,12}") {
            let (pa, pb) = (text_prefix(&a), text_prefix(&b));
            if pa != pb {
                proptest::prop_assert_eq!(pa.cmp(&pb), a.cmp(&b));
            }
        }
    }
}
