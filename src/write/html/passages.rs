//! A theme's strongest passages: the statements where it has the most hits, each with the
//! passage where its hits crowd closest together.

use crate::count::hits::HitRecord;
use crate::count::results::Results;
use crate::report::tables::per_1000;

/// Hits of `theme` in statement `d`.
fn hits_in(r: &Results, d: usize, theme: usize) -> u64 {
    r.docs[d].theme_hits.get(theme).copied().unwrap_or(0)
}

/// For every theme, up to `n` passages, strongest statement first: statements by most hits of
/// the theme, then highest rate, then most recent, then input order; from each, the hit with
/// the most other hits of the theme within `window` tokens (the earliest on a tie). Each
/// statement's hits are read back once for all the themes that chose it (read per theme, a
/// dictionary of 1,600 themes made the report take seconds: themes x hits).
pub fn strongest_each(r: &Results, window: u64, n: usize) -> std::io::Result<Vec<Vec<HitRecord>>> {
    use rayon::prelude::*;
    let ranked: Vec<Vec<usize>> = (0..r.themes.len())
        .into_par_iter()
        .map(|t| ranked_docs(r, t, n))
        .collect();
    // Statement -> (theme, place in the theme's list), in statement order.
    let mut wanted: std::collections::BTreeMap<usize, Vec<(u32, usize)>> = Default::default();
    for (t, docs) in ranked.iter().enumerate() {
        for (place, &d) in docs.iter().enumerate() {
            wanted.entry(d).or_default().push((t as u32, place));
        }
    }
    let mut chosen: Vec<Vec<Option<HitRecord>>> =
        ranked.iter().map(|docs| vec![None; docs.len()]).collect();
    for (d, wants) in wanted {
        // A statement's hits come sorted by position, and stream: one statement may hold
        // millions of them.
        let mut dense: rustc_hash::FxHashMap<u32, (usize, Densest)> = (wants.iter())
            .map(|&(t, place)| (t, (place, Densest::new(window))))
            .collect();
        r.hits.try_for_each_of_doc(d, |h| {
            if let Some((_, dn)) = dense.get_mut(&h.theme) {
                dn.push(h);
            }
            Ok(())
        })?;
        for (t, (place, dn)) in dense {
            chosen[t as usize][place] = dn.finish();
        }
    }
    Ok(chosen
        .into_iter()
        .map(|c| c.into_iter().flatten().collect())
        .collect())
}

/// The statements with hits of `theme`, strongest first (see [`strongest_each`]), at most `n`.
fn ranked_docs(r: &Results, theme: usize, n: usize) -> Vec<usize> {
    let mut docs: Vec<usize> = (0..r.docs.len())
        .filter(|&d| hits_in(r, d, theme) > 0)
        .collect();
    let hits = |d: usize| hits_in(r, d, theme);
    let rate = |d: usize| per_1000(hits(d), r.docs[d].kept_tokens);
    docs.sort_by(|&a, &b| {
        hits(b)
            .cmp(&hits(a))
            .then_with(|| rate(b).total_cmp(&rate(a)))
            .then_with(|| r.docs[b].meta.date().cmp(&r.docs[a].meta.date()))
            .then_with(|| a.cmp(&b))
    });
    docs.truncate(n);
    docs
}

/// [`densest`] over a stream of hits in position order, holding only the hits within
/// `window` tokens of the one being scored.
struct Densest {
    window: u64,
    /// Hits not yet scored (their right side is still open), and how many earlier hits lie
    /// within `window` tokens before each.
    open: std::collections::VecDeque<(HitRecord, usize)>,
    /// Positions of the recent hits, for the left side of the next ones.
    recent: std::collections::VecDeque<u64>,
    best: Option<(usize, HitRecord)>,
}

impl Densest {
    fn new(window: u64) -> Densest {
        Densest {
            window,
            open: Default::default(),
            recent: Default::default(),
            best: None,
        }
    }

    fn push(&mut self, h: &HitRecord) {
        let t = h.token_index;
        // Hits more than `window` before `t` are scored: nothing later is within reach.
        while self
            .open
            .front()
            .is_some_and(|(o, _)| o.token_index + self.window < t)
        {
            if let Some(done) = self.open.pop_front() {
                self.score(done);
            }
        }
        while self.recent.front().is_some_and(|&p| p + self.window < t) {
            self.recent.pop_front();
        }
        let before = self.recent.len();
        self.recent.push_back(t);
        self.open.push_back((h.clone(), before));
    }

    /// Scores a hit whose neighbours after it are all pushed: they are the open ones after it.
    fn score(&mut self, (h, before): (HitRecord, usize)) {
        let after = self
            .open
            .iter()
            .take_while(|(o, _)| o.token_index <= h.token_index + self.window)
            .count();
        let around = before + after;
        if self.best.as_ref().is_none_or(|(n, _)| around > *n) {
            self.best = Some((around, h));
        }
    }

    fn finish(mut self) -> Option<HitRecord> {
        while let Some(done) = self.open.pop_front() {
            self.score(done);
        }
        self.best.map(|(_, h)| h)
    }
}

/// The hit with the most neighbours within `window` tokens (hits sorted by position).
#[cfg(test)]
fn densest<'a>(hits: &[&'a HitRecord], window: u64) -> Option<&'a HitRecord> {
    let mut best: Option<(usize, &HitRecord)> = None;
    let (mut lo, mut hi) = (0, 0);
    for (i, h) in hits.iter().enumerate() {
        while hits[lo].token_index + window < h.token_index {
            lo += 1;
        }
        while hi + 1 < hits.len() && hits[hi + 1].token_index <= h.token_index + window {
            hi += 1;
        }
        let around = hi.max(i) - lo;
        if best.is_none_or(|(n, _)| around > n) {
            best = Some((around, h));
        }
    }
    best.map(|(_, h)| h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(doc: usize, theme: u32, token_index: u64) -> HitRecord {
        HitRecord {
            doc,
            theme,
            pattern: 0,
            matched_text: String::new(),
            token_index,
            start: 0,
            end: 0,
            context: Default::default(),
        }
    }

    #[test]
    fn the_densest_hit_wins_and_ties_go_to_the_earliest() {
        let hits = [
            hit(0, 0, 5),
            hit(0, 0, 100),
            hit(0, 0, 104),
            hit(0, 0, 108),
            hit(0, 0, 115),
        ];
        let refs: Vec<&HitRecord> = hits.iter().collect();
        assert_eq!(densest(&refs, 8).unwrap().token_index, 108);
        let tie = [hit(0, 0, 100), hit(0, 0, 104), hit(0, 0, 108)];
        let refs: Vec<&HitRecord> = tie.iter().collect();
        assert_eq!(
            densest(&refs, 10).unwrap().token_index,
            100,
            "all three tie"
        );
        assert_eq!(densest(&refs, 0).unwrap().token_index, 100);
        assert!(densest(&[], 10).is_none());
    }

    #[test]
    fn streaming_agrees_with_the_slice_version() {
        use proptest::prelude::*;
        let positions = proptest::collection::vec(0u64..60, 0..40);
        proptest!(|(mut ps in positions, window in 0u64..12)| {
            ps.sort_unstable();
            let hits: Vec<HitRecord> = ps.iter().map(|&p| hit(0, 0, p)).collect();
            let refs: Vec<&HitRecord> = hits.iter().collect();
            let mut d = Densest::new(window);
            hits.iter().for_each(|h| d.push(h));
            let streamed = d.finish();
            let sliced = densest(&refs, window);
            prop_assert_eq!(
                streamed.as_ref().map(|h| h.token_index),
                sliced.map(|h| h.token_index)
            );
        });
    }
}
