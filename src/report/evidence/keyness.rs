//! keyness.csv: what is new in each session, every term against earlier (or all other) sessions.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::config::{EvidenceSettings, KeynessReference};
use crate::count::results::{Results, Session};
use crate::report::table::{Cell, Table};
use crate::stats;

/// Decimals of test statistics and effects.
pub const STAT_DECIMALS: usize = 4;
/// Decimals of p-values (0.000000 means below 0.0000005).
pub const P_DECIMALS: usize = 6;

/// One term of one session against its reference.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyTerm {
    pub session: usize,
    pub term: String,
    pub display: String,
    pub count_target: u64,
    pub count_reference: u64,
    pub total_target: u64,
    pub total_reference: u64,
    pub stats: stats::Keyness,
    /// Benjamini-Hochberg adjusted p-value over the session's tested terms.
    pub p_adjusted: f64,
    /// The language of the term (compared with the reference in the same language).
    pub language: crate::analyze::language::Language,
}

/// Which of a session's tested terms [`key_terms`] returns (the others are tested, counted in
/// the session's Benjamini-Hochberg family, and dropped at once: a list of every term of every
/// session grows with the corpus, and no output shows it unless asked).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum KeepRows {
    /// Every tested term (`[evidence] keyness_rows = "all"`).
    All,
    /// The terms with `p_adjusted` at most this level.
    Significant(f64),
    /// The session's first row, its `n` most rising (largest positive G2) and its `n` most
    /// falling (most negative G2) terms: what the charts and the report list.
    Extremes(usize),
}

impl KeepRows {
    /// Which of one session's rows this keeps: `g2` and `p_adjusted` give each row's values,
    /// `order` lists the rows most rising first (descending G2); the kept ones stay in order.
    fn apply(self, order: &mut Vec<u32>, g2: impl Fn(u32) -> f64, p_adjusted: impl Fn(u32) -> f64) {
        match self {
            KeepRows::All => {}
            KeepRows::Significant(alpha) => order.retain(|&i| p_adjusted(i) <= alpha),
            KeepRows::Extremes(n) => {
                // Sorted by descending G2: the rising terms are a prefix, the falling a suffix.
                let rising = order.iter().take_while(|&&i| g2(i) > 0.0).count().min(n);
                let falling_from = order.len()
                    - order
                        .iter()
                        .rev()
                        .take_while(|&&i| g2(i) < 0.0)
                        .count()
                        .min(n);
                let mut at = 0;
                order.retain(|_| {
                    let keep = at == 0 || at < rising || at >= falling_from;
                    at += 1;
                    keep
                });
            }
        }
    }
}

/// Every term with `count_target + count_reference >= min_count` that `keep` keeps, per
/// session in time order, most rising first (descending signed G2, then term).
///
/// With `Earlier`, the first dated session has no reference and no rows, and `undated` (which
/// has no place in time) is neither a target nor part of any reference. With `Others`, every
/// session is compared with all the others pooled.
///
/// A term is a stem of one language: with statements in several languages, each language's
/// terms are compared with the reference in that language (its sessions with statements in
/// it, its kept tokens), and a session lists its languages' rows by language code.
pub fn key_terms(
    r: &Results,
    reference: KeynessReference,
    min_count: u64,
    keep: KeepRows,
) -> Vec<KeyTerm> {
    key_terms_each(r, reference, min_count, &[keep])
        .pop()
        .unwrap_or_default()
}

/// [`key_terms`] for several `keeps` at once, one list per keep (in their order): each
/// session's terms are tested once, whatever the number of lists.
pub fn key_terms_each(
    r: &Results,
    reference: KeynessReference,
    min_count: u64,
    keeps: &[KeepRows],
) -> Vec<Vec<KeyTerm>> {
    let languages = crate::report::languages::languages(r);
    if languages.len() <= 1 {
        let language = languages.first().copied().unwrap_or_default();
        let mut lists = key_terms_in(r, reference, min_count, keeps);
        for k in lists.iter_mut().flatten() {
            k.language = language;
        }
        return lists;
    }
    let mut out: Vec<Vec<KeyTerm>> = vec![Vec::new(); keeps.len()];
    for language in languages {
        let (view, index) = crate::report::languages::view(r, language);
        let lists = key_terms_in(&view, reference, min_count, keeps);
        for (list, rows) in out.iter_mut().zip(lists) {
            list.extend(rows.into_iter().map(|k| KeyTerm {
                session: index[k.session],
                language,
                ..k
            }));
        }
    }
    // Stable: a session's rows of one language stay most rising first.
    for list in &mut out {
        list.sort_by_key(|k| (k.session, k.language));
    }
    out
}

/// What the outputs show of keyness, from one pass over the sessions: keyness.csv's rows
/// (when the run writes it) and, per session, the most rising and most falling terms the
/// charts and report.html list (`extremes` of each: every consumer takes its own top n of
/// them, the same as from the whole list).
#[derive(Debug, Default)]
pub struct ShownKeyness {
    /// keyness.csv's rows (see [`table_keep`]); empty when it is not written.
    pub table: std::sync::Arc<Vec<KeyTerm>>,
    /// [`KeepRows::Extremes`]; empty when nothing shows them.
    pub extremes: Vec<KeyTerm>,
}

/// The rows keyness.csv keeps under `settings` (`[evidence] keyness_rows`, `keyness_alpha`).
pub fn table_keep(settings: &EvidenceSettings) -> KeepRows {
    if settings.keyness_all_rows {
        KeepRows::All
    } else {
        KeepRows::Significant(settings.keyness_alpha)
    }
}

/// Tests every session's terms once for keyness.csv (when `table`) and for the `extremes`
/// most rising and falling terms per session (when above 0).
pub fn shown_keyness(
    r: &Results,
    settings: &EvidenceSettings,
    table: bool,
    extremes: usize,
) -> ShownKeyness {
    let mut keeps = Vec::new();
    if table {
        keeps.push(table_keep(settings));
    }
    if extremes > 0 {
        keeps.push(KeepRows::Extremes(extremes));
    }
    if keeps.is_empty() {
        return ShownKeyness::default();
    }
    let mut lists = key_terms_each(
        r,
        settings.keyness_reference,
        settings.keyness_min_count,
        &keeps,
    )
    .into_iter();
    ShownKeyness {
        table: std::sync::Arc::new(if table {
            lists.next().unwrap_or_default()
        } else {
            Vec::new()
        }),
        extremes: lists.next().unwrap_or_default(),
    }
}

/// [`key_terms`] over sessions whose terms are all of one language.
fn key_terms_in(
    r: &Results,
    reference: KeynessReference,
    min_count: u64,
    keeps: &[KeepRows],
) -> Vec<Vec<KeyTerm>> {
    let mut display: FxHashMap<&str, &str> = FxHashMap::default();
    for s in &r.sessions {
        for t in &s.terms {
            display.entry(&t.term).or_insert(&t.display);
        }
    }
    // The pooled counts the reference is drawn from: all sessions for `Others` (minus the
    // target), the dated sessions seen so far for `Earlier` (grown session by session).
    let mut pool: FxHashMap<&str, u64> = FxHashMap::default();
    let mut pool_total = 0u64;
    if reference == KeynessReference::Others {
        for s in &r.sessions {
            pool_total += s.kept;
            for t in &s.terms {
                *pool.entry(&t.term).or_default() += t.count;
            }
        }
    }
    let mut out: Vec<Vec<KeyTerm>> = vec![Vec::new(); keeps.len()];
    for (i, target) in r.sessions.iter().enumerate() {
        // A session with no kept token has nothing to compare: no rows, not rows of zeros.
        let is_target = target.kept > 0
            && match reference {
                KeynessReference::Earlier => target.dated && pool_total > 0,
                KeynessReference::Others => r.sessions.len() > 1,
            };
        if is_target {
            let lists = session_terms(
                i, target, &pool, pool_total, reference, &display, min_count, keeps,
            );
            for (list, rows) in out.iter_mut().zip(lists) {
                list.extend(rows);
            }
        }
        if reference == KeynessReference::Earlier && target.dated {
            pool_total += target.kept;
            for t in &target.terms {
                *pool.entry(&t.term).or_default() += t.count;
            }
        }
    }
    out
}

/// One session's rows against the pool (which includes the target itself for `Others`): per
/// keep of `keeps`, the ones it keeps, most rising first. Every tested term is scored once
/// (the adjustment needs them all), on every worker thread; only kept rows are made into key
/// terms.
#[allow(clippy::too_many_arguments)]
fn session_terms(
    i: usize,
    target: &Session,
    pool: &FxHashMap<&str, u64>,
    pool_total: u64,
    reference: KeynessReference,
    display: &FxHashMap<&str, &str>,
    min_count: u64,
    keeps: &[KeepRows],
) -> Vec<Vec<KeyTerm>> {
    let own = |n: u64| {
        if reference == KeynessReference::Others {
            n
        } else {
            0
        }
    };
    let total_reference = pool_total - own(target.kept);
    let in_target: FxHashMap<&str, u64> = target
        .terms
        .iter()
        .map(|t| (t.term.as_str(), t.count))
        .collect();
    // (term, count in the session, count in the reference): every pooled term, then the
    // session's terms the pool has not seen (possible only with `Earlier`).
    let mut tested: Vec<(&str, u64, u64)> = pool
        .iter()
        .map(|(&term, &n)| {
            let a = in_target.get(term).copied().unwrap_or(0);
            (term, a, n - own(a))
        })
        .collect();
    tested.extend(
        (target.terms.iter())
            .filter(|t| !pool.contains_key(t.term.as_str()))
            .map(|t| (t.term.as_str(), t.count, 0)),
    );
    tested.retain(|&(_, a, b)| a + b >= min_count);
    let scored: Vec<stats::Keyness> = tested
        .par_iter()
        .map(|&(_, a, b)| stats::keyness(a, b, target.kept, total_reference))
        .collect();
    // The session's tests are one family: every term that passed the minimum count.
    let p: Vec<f64> = scored.iter().map(|k| k.p_value).collect();
    let adjusted = stats::benjamini_hochberg(&p);
    let mut order: Vec<u32> = (0..tested.len() as u32).collect();
    // Terms are distinct: the order is total, whatever the sort.
    order.par_sort_unstable_by(|&x, &y| {
        let (x, y) = (x as usize, y as usize);
        scored[y]
            .g2
            .total_cmp(&scored[x].g2)
            .then_with(|| tested[x].0.cmp(tested[y].0))
    });
    let row = |k: u32| {
        let k = k as usize;
        let (term, a, b) = tested[k];
        KeyTerm {
            session: i,
            term: term.to_string(),
            display: display.get(term).unwrap_or(&term).to_string(),
            count_target: a,
            count_reference: b,
            total_target: target.kept,
            total_reference,
            stats: scored[k],
            p_adjusted: adjusted[k],
            language: Default::default(),
        }
    };
    keeps
        .iter()
        .map(|keep| {
            let mut kept = order.clone();
            keep.apply(
                &mut kept,
                |k| scored[k as usize].g2,
                |k| adjusted[k as usize],
            );
            kept.into_iter().map(row).collect()
        })
        .collect()
}

/// `keyness.csv`: the significant terms of each session (every tested term with `all_rows`),
/// `rows` as [`key_terms`] with [`table_keep`] gives them (see [`shown_keyness`]). Its rows
/// are kept as key terms and made into cells as the file is written.
pub fn keyness_table(
    r: &std::sync::Arc<Results>,
    settings: &EvidenceSettings,
    rows: std::sync::Arc<Vec<KeyTerm>>,
) -> Table {
    let reference = settings.keyness_reference;
    let about = if settings.keyness_all_rows {
        "Per session, every term seen at least keyness_min_count times against the reference sessions; most rising first (descending signed g2).".to_string()
    } else {
        format!(
            "Per session, the terms whose keyness is significant (p_adjusted <= {}, Benjamini-Hochberg over the session's terms seen at least keyness_min_count times) against the reference sessions; most rising first (descending signed g2). [evidence] keyness_rows = \"all\" lists every term.",
            settings.keyness_alpha
        )
    };
    let mut t = Table::new(
        "keyness.csv",
        &about,
        &[
            ("session", "Target session (group) label"),
            ("term", "The stem"),
            (
                "display_term",
                "The stem's most frequent word in the corpus",
            ),
            ("count_target", "Occurrences in the session"),
            (
                "count_reference",
                "Occurrences in the reference sessions together",
            ),
            ("total_target", "Kept tokens of the session"),
            (
                "total_reference",
                "Kept tokens of the reference sessions together",
            ),
            (
                "g2",
                "Log-likelihood G2 = 2 x sum O ln(O/E) over the 2x2 table; + when more frequent in the session than expected, - when less (4 decimals)",
            ),
            (
                "chi2",
                "Pearson chi-square of the same table, signed like g2; Yates-corrected when chi2_correction says so (4 decimals)",
            ),
            (
                "chi2_correction",
                "yates when an expected cell is below 5 (the correction was applied), none otherwise",
            ),
            (
                "p_value",
                "P(chi-square, 1 df > |g2|) (6 decimals; 0.000000 means below 0.0000005)",
            ),
            (
                "effect",
                "Log ratio: log2 of the session's relative frequency over the reference's; when a count is zero, one pseudo-token is shared by session and reference in proportion to their sizes, so the sign is always g2's; +1 = twice as frequent (4 decimals)",
            ),
            (
                "reference",
                "What the session is compared with: earlier (all earlier sessions) or others (all other sessions)",
            ),
            (
                "session_order",
                "Position of the session in time order (1 = first)",
            ),
            (
                "p_adjusted",
                "Benjamini-Hochberg adjusted p_value over the session's tested terms (the false discovery rate at which this term would just be significant; 6 decimals)",
            ),
            (
                "language",
                "Language of the term; session and reference counts and totals are of that language's statements (ISO 639-1)",
            ),
        ],
    );
    t.streamed = Some(crate::report::table::Streamed::new(std::sync::Arc::new(
        KeynessRows {
            rows,
            results: r.clone(),
            reference,
        },
    )));
    t
}

/// The rows of keyness.csv: held as key terms (no cells), made into cells on demand.
struct KeynessRows {
    rows: std::sync::Arc<Vec<KeyTerm>>,
    results: std::sync::Arc<Results>,
    reference: KeynessReference,
}

impl crate::report::table::RowSource for KeynessRows {
    fn each_row(&self, f: &mut dyn FnMut(&[Cell]) -> std::io::Result<()>) -> std::io::Result<()> {
        for k in self.rows.iter() {
            let s = &self.results.sessions[k.session];
            f(&[
                Cell::Text(s.label.clone()),
                Cell::Text(k.term.clone()),
                Cell::Text(k.display.clone()),
                Cell::Int(k.count_target),
                Cell::Int(k.count_reference),
                Cell::Int(k.total_target),
                Cell::Int(k.total_reference),
                Cell::Float(k.stats.g2, STAT_DECIMALS),
                Cell::Float(k.stats.chi2, STAT_DECIMALS),
                Cell::Text(if k.stats.yates { "yates" } else { "none" }.into()),
                Cell::Float(k.stats.p_value, P_DECIMALS),
                Cell::Float(k.stats.log_ratio, STAT_DECIMALS),
                Cell::Text(self.reference.as_str().into()),
                Cell::Int(s.order as u64),
                Cell::Float(k.p_adjusted, P_DECIMALS),
                Cell::Text(k.language.code().into()),
            ])?;
        }
        Ok(())
    }

    fn len(&self) -> u64 {
        self.rows.len() as u64
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::count::ThemeCount;
    use crate::count::results::TermRow;

    pub(crate) fn session(label: &str, order: usize, kept: u64, terms: &[(&str, u64)]) -> Session {
        Session {
            label: label.into(),
            order,
            start: String::new(),
            first_date: None,
            dated: label != crate::count::results::UNDATED,
            docs: 1,
            tokens: kept,
            kept,
            terms: terms
                .iter()
                .map(|(t, c)| TermRow {
                    language: Default::default(),
                    term: t.to_string(),
                    display: t.to_uppercase(),
                    count: *c,
                    docs: 1,
                })
                .collect(),
            themes: vec![ThemeCount::default()],
            pattern_hits: vec![],
            first_year: None,
            first_session: None,
            languages: Vec::new(),
        }
    }

    /// `s` with these hits per theme (each in the one statement when non-zero).
    pub(crate) fn with_hits(mut s: Session, hits: &[u64]) -> Session {
        s.themes = hits
            .iter()
            .map(|&h| ThemeCount {
                hits: h,
                docs_with_hits: u32::from(h > 0),
            })
            .collect();
        s
    }

    pub(crate) fn results(sessions: Vec<Session>) -> Results {
        Results {
            themes: vec!["T".into()],
            patterns: vec![],
            sessions,
            docs: vec![],
            hits: Default::default(),
        }
    }

    /// Textbook G2 with plain loops, independent of `stats`.
    fn g2_by_hand(a: f64, b: f64, ta: f64, tb: f64) -> f64 {
        let o = [[a, b], [ta - a, tb - b]];
        let n = ta + tb;
        let mut sum = 0.0;
        for i in 0..2 {
            for j in 0..2 {
                let e = (o[i][0] + o[i][1]) * (o[0][j] + o[1][j]) / n;
                if o[i][j] > 0.0 {
                    sum += o[i][j] * (o[i][j] / e).ln();
                }
            }
        }
        2.0 * sum
    }

    #[test]
    fn first_session_has_no_earlier_reference_and_later_ones_pool_the_past() {
        let r = results(vec![
            session("S1", 1, 100, &[("norm", 10), ("cyber", 5)]),
            session("S2", 2, 100, &[("norm", 10), ("terror", 1)]),
            session("S3", 3, 200, &[("terror", 30), ("norm", 10)]),
        ]);
        let rows = key_terms(&r, KeynessReference::Earlier, 1, KeepRows::All);
        assert!(
            rows.iter().all(|k| k.session != 0),
            "S1 has nothing earlier"
        );
        let s3: Vec<&KeyTerm> = rows.iter().filter(|k| k.session == 2).collect();
        assert_eq!(s3[0].term, "terror", "the most rising term first");
        assert_eq!(
            (
                s3[0].count_target,
                s3[0].count_reference,
                s3[0].total_reference
            ),
            (30, 1, 200)
        );
        let by_hand = g2_by_hand(30.0, 1.0, 200.0, 200.0);
        assert!(
            (s3[0].stats.g2 - by_hand).abs() < 1e-9,
            "{} vs {by_hand}",
            s3[0].stats.g2
        );
        // A term absent from the session but present before falls (negative g2, zero cell).
        let cyber = s3.iter().find(|k| k.term == "cyber").unwrap();
        assert_eq!(cyber.count_target, 0);
        assert!(cyber.stats.g2 < 0.0);
        let by_hand = g2_by_hand(0.0, 5.0, 200.0, 200.0);
        assert!((cyber.stats.g2 + by_hand).abs() < 1e-9);
        assert_eq!(s3.last().unwrap().term, "cyber", "most falling last");
    }

    #[test]
    fn worked_example_with_a_zero_cell() {
        // 10 of 20 tokens in the session, 0 of 20 before: E = 5, 5, 15, 15 (no cell below 5).
        // G2 = 2 (10 ln 2 + 10 ln(10/15) + 20 ln(20/15)) = 17.260924...
        // chi2 = 25/5 + 25/5 + 25/15 + 25/15 = 13.3333...
        let r = results(vec![
            session("S1", 1, 20, &[("other", 20)]),
            session("S2", 2, 20, &[("terror", 10), ("other", 10)]),
        ]);
        let rows = key_terms(&r, KeynessReference::Earlier, 1, KeepRows::All);
        let k = rows.iter().find(|k| k.term == "terror").unwrap();
        assert!((k.stats.g2 - 17.260924).abs() < 1e-6, "{}", k.stats.g2);
        assert!(!k.stats.yates);
        assert!((k.stats.chi2 - 40.0 / 3.0).abs() < 1e-9, "{}", k.stats.chi2);
        assert!(k.stats.p_value < 0.0001);
        // A zero count: one pseudo-token split 0.5/0.5 (equal sizes): log2((10.5/20) / (0.5/20)) = log2(21)
        assert!((k.stats.log_ratio - 21f64.log2()).abs() < 1e-12);
    }

    #[test]
    fn others_reference_and_min_count() {
        let r = results(vec![
            session("S1", 1, 50, &[("norm", 10), ("rare", 1)]),
            session("S2", 2, 50, &[("norm", 2)]),
        ]);
        let rows = key_terms(&r, KeynessReference::Others, 2, KeepRows::All);
        assert!(rows.iter().all(|k| k.term != "rare"), "one-offs filtered");
        let s1 = rows.iter().find(|k| k.session == 0).unwrap();
        assert_eq!((s1.count_target, s1.count_reference), (10, 2));
        assert!(s1.stats.g2 > 0.0);
        let s2 = rows.iter().find(|k| k.session == 1).unwrap();
        assert!(
            (s2.stats.g2 + s1.stats.g2).abs() < 1e-12,
            "symmetric with two sessions"
        );
        let settings = EvidenceSettings {
            keyness_reference: KeynessReference::Others,
            keyness_min_count: 2,
            keyness_all_rows: true,
            ..EvidenceSettings::default()
        };
        let r = std::sync::Arc::new(r);
        let t = keyness_table(&r, &settings, shown_keyness(&r, &settings, true, 0).table)
            .materialized()
            .unwrap();
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0][12], Cell::Text("others".into()));
        assert_eq!(t.rows[0][2], Cell::Text("NORM".into()));
    }

    #[test]
    fn undated_is_neither_target_nor_reference_of_earlier() {
        let r = results(vec![
            session("S1", 1, 50, &[("norm", 10)]),
            session("S2", 2, 50, &[("norm", 2)]),
            session(crate::count::results::UNDATED, 3, 50, &[("norm", 30)]),
        ]);
        let rows = key_terms(&r, KeynessReference::Earlier, 1, KeepRows::All);
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].session, rows[0].total_reference), (1, 50));
    }

    #[test]
    fn a_session_without_words_is_never_a_target() {
        let r = results(vec![
            session("S1", 1, 50, &[("norm", 10)]),
            session("S2", 2, 0, &[]),
            session("S3", 3, 50, &[("norm", 2)]),
        ]);
        for reference in [KeynessReference::Earlier, KeynessReference::Others] {
            let rows = key_terms(&r, reference, 1, KeepRows::All);
            assert!(
                rows.iter().all(|k| k.session != 1),
                "{reference:?}: {rows:?}"
            );
            assert!(rows.iter().any(|k| k.session == 2), "{reference:?}");
        }
    }

    #[test]
    fn significant_rows_by_benjamini_hochberg_worked_by_hand() {
        // Two sessions of 1,000 kept tokens, each against the other (m = 3 tests per session).
        let r = results(vec![
            session("S1", 1, 1000, &[("a", 100), ("b", 12), ("c", 30)]),
            session("S2", 2, 1000, &[("a", 10), ("b", 10), ("c", 15)]),
        ]);
        let p = |a: f64, b: f64| stats::chi2_sf_1df(g2_by_hand(a, b, 1000.0, 1000.0).abs());
        // S1: p(a) tiny, p(c) = P(G2 of 30 vs 15), p(b) = P(G2 of 12 vs 10) ~ 0.67.
        let (pa, pb, pc) = (p(100.0, 10.0), p(12.0, 10.0), p(30.0, 15.0));
        assert!(pa < pc && pc < 0.05 && pb > 0.5, "{pa} {pb} {pc}");
        // Sorted a, c, b: q(b) = pb * 3/3; q(c) = min(pc * 3/2, q(b)); q(a) = min(pa * 3/1, q(c)).
        let qb = pb.min(1.0);
        let qc = (pc * 1.5).min(qb);
        let qa = (pa * 3.0).min(qc);
        let rows = key_terms(&r, KeynessReference::Others, 1, KeepRows::All);
        let q = |session: usize, term: &str| {
            rows.iter()
                .find(|k| k.session == session && k.term == term)
                .unwrap()
                .p_adjusted
        };
        for (got, want) in [(q(0, "a"), qa), (q(0, "b"), qb), (q(0, "c"), qc)] {
            assert!((got - want).abs() < 1e-9, "{got} vs {want}");
        }
        let settings = EvidenceSettings {
            keyness_reference: KeynessReference::Others,
            keyness_min_count: 1,
            keyness_alpha: 0.05,
            ..EvidenceSettings::default()
        };
        let r = std::sync::Arc::new(r);
        let kept: Vec<(String, String)> =
            keyness_table(&r, &settings, shown_keyness(&r, &settings, true, 0).table)
                .materialized()
                .unwrap()
                .rows
                .iter()
                .map(|row| match (&row[0], &row[1]) {
                    (Cell::Text(s), Cell::Text(t)) => (s.clone(), t.clone()),
                    other => panic!("{other:?}"),
                })
                .collect();
        // a and c differ significantly (both ways, so in both sessions); b does not.
        let want: Vec<(String, String)> = [("S1", "a"), ("S1", "c"), ("S2", "c"), ("S2", "a")]
            .iter()
            .map(|(s, t)| (s.to_string(), t.to_string()))
            .collect();
        assert_eq!(kept, want);
        // keyness_rows = "all" brings b back, with its adjusted p-value in the last column.
        let settings = EvidenceSettings {
            keyness_all_rows: true,
            ..settings
        };
        let all = keyness_table(&r, &settings, shown_keyness(&r, &settings, true, 0).table);
        assert_eq!(all.row_count(), 6);
        let n = all.columns.len();
        assert_eq!(all.columns[n - 2].name, "p_adjusted");
        assert_eq!(all.columns[n - 1].name, "language");
    }

    #[test]
    fn one_pass_gives_each_keep_the_list_it_alone_gives() {
        let r = results(vec![
            session("S1", 1, 1000, &[("a", 100), ("b", 50), ("c", 30), ("d", 5)]),
            session("S2", 2, 1000, &[("a", 10), ("b", 10), ("c", 15), ("d", 60)]),
            session("S3", 3, 500, &[("a", 40), ("e", 25), ("d", 1)]),
        ]);
        let keeps = [
            KeepRows::All,
            KeepRows::Significant(0.05),
            KeepRows::Extremes(1),
            KeepRows::Extremes(3),
        ];
        for reference in [KeynessReference::Earlier, KeynessReference::Others] {
            let lists = key_terms_each(&r, reference, 2, &keeps);
            assert_eq!(lists.len(), keeps.len());
            for (list, &keep) in lists.iter().zip(&keeps) {
                assert_eq!(*list, key_terms(&r, reference, 2, keep), "{keep:?}");
            }
            assert!(lists[0].len() > lists[2].len(), "the keeps differ");
        }
        let settings = EvidenceSettings {
            keyness_min_count: 2,
            ..EvidenceSettings::default()
        };
        let shown = shown_keyness(&r, &settings, true, 2);
        let table = key_terms(&r, settings.keyness_reference, 2, table_keep(&settings));
        assert_eq!(*shown.table, table);
        assert_eq!(
            shown.extremes,
            key_terms(&r, settings.keyness_reference, 2, KeepRows::Extremes(2))
        );
        let none = shown_keyness(&r, &settings, false, 0);
        assert!(none.table.is_empty() && none.extremes.is_empty());
    }

    #[test]
    fn extremes_keep_what_the_charts_and_report_take() {
        let r = results(vec![
            session("S1", 1, 1000, &[("a", 100), ("b", 50), ("c", 30), ("d", 5)]),
            session("S2", 2, 1000, &[("a", 10), ("b", 10), ("c", 15), ("d", 60)]),
        ]);
        let all = key_terms(&r, KeynessReference::Others, 1, KeepRows::All);
        for n in 0..4 {
            let trimmed = key_terms(&r, KeynessReference::Others, 1, KeepRows::Extremes(n));
            for session in 0..2 {
                let own = |rows: &[KeyTerm]| -> Vec<KeyTerm> {
                    rows.iter()
                        .filter(|k| k.session == session)
                        .cloned()
                        .collect()
                };
                let (a, t) = (own(&all), own(&trimmed));
                let rising = |rows: &[KeyTerm]| -> Vec<String> {
                    rows.iter()
                        .filter(|k| k.stats.g2 > 0.0)
                        .take(n)
                        .map(|k| k.term.clone())
                        .collect()
                };
                let falling = |rows: &[KeyTerm]| -> Vec<String> {
                    rows.iter()
                        .rev()
                        .filter(|k| k.stats.g2 < 0.0)
                        .take(n)
                        .map(|k| k.term.clone())
                        .collect()
                };
                assert_eq!(rising(&t), rising(&a), "n = {n}");
                assert_eq!(falling(&t), falling(&a), "n = {n}");
                assert_eq!(t.first(), a.first(), "a session keeps its first row");
                assert!(t.len() <= (2 * n).max(1), "n = {n}: {} rows", t.len());
            }
        }
    }
}
