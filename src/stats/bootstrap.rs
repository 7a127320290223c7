//! Seeded bootstrap confidence interval of a per-1000-token rate, with its own tiny PRNG.

/// SplitMix64 (Steele, Lea & Flood 2014; constants as in Vigna's reference `splitmix64.c`).
///
/// Written here so a seed gives the same stream on every platform and crate version; it is fast, passes
/// BigCrush, and needs no state beyond one u64. Not for cryptography.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform integer in `0..bound` without modulo bias (Lemire's multiply-and-reject); 0 when `bound` is 0.
    pub fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 {
            return 0;
        }
        let mut product = self.next_u64() as u128 * bound as u128;
        // Low halves under 2^64 mod bound would over-represent some outputs: draw again.
        let threshold = bound.wrapping_neg() % bound;
        while (product as u64) < threshold {
            product = self.next_u64() as u128 * bound as u128;
        }
        (product >> 64) as u64
    }
}

/// One document's contribution to a rate: `hits` matching tokens among `kept` tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DocCounts {
    pub hits: u64,
    pub kept: u64,
}

/// A per-1000-token rate with its bootstrap percentile interval; always `low <= point <= high`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateInterval {
    pub point: f64,
    pub low: f64,
    pub high: f64,
}

/// `1000 * sum(hits) / sum(kept)`, 0 when nothing is kept (the convention for an empty session).
pub fn rate_per_1000(docs: &[DocCounts]) -> f64 {
    let (hits, kept) = docs.iter().fold((0u128, 0u128), |(h, k), doc| {
        (h + doc.hits as u128, k + doc.kept as u128)
    });
    ratio_per_1000(hits, kept)
}

fn ratio_per_1000(hits: u128, kept: u128) -> f64 {
    if kept == 0 {
        0.0
    } else {
        1000.0 * hits as f64 / kept as f64
    }
}

/// Bootstrap percentile interval of the ratio-of-sums rate `1000 * sum(hits) / sum(kept)`.
///
/// Each of `resamples` replicates draws `docs.len()` documents with replacement (the document, not the
/// token, is the sampling unit, because tokens within a speech are not independent) and computes the
/// rate; a replicate with no kept tokens rates 0, as an empty session does. The interval is the
/// `(1-level)/2` and `(1+level)/2` quantiles of the replicates (linear interpolation between order
/// statistics, sorted with `total_cmp`).
///
/// Conventions: no documents gives `(0, 0, 0)`; one document, or `resamples == 0`, collapses to the point;
/// `level` is clamped to `[0, 1]` (NaN counts as 0). The percentile method can exclude the point estimate
/// when the replicate distribution is skewed; the bounds are then widened to include it, so a reader never
/// sees a rate outside its own interval. Same `docs`, `resamples`, `seed`, `level` give identical bits.
pub fn bootstrap_rate_ci(
    docs: &[DocCounts],
    resamples: u32,
    seed: u64,
    level: f64,
) -> RateInterval {
    let point = rate_per_1000(docs);
    let collapsed = RateInterval {
        point,
        low: point,
        high: point,
    };
    if docs.len() < 2 || resamples == 0 {
        return collapsed;
    }
    let level = if level.is_nan() {
        0.0
    } else {
        level.clamp(0.0, 1.0)
    };
    let mut rng = SplitMix64::new(seed);
    let count = docs.len() as u64;
    let mut replicates: Vec<f64> = (0..resamples)
        .map(|_| {
            let (mut hits, mut kept) = (0u128, 0u128);
            for _ in 0..count {
                // below(count) < count = docs.len(), so the index is in bounds.
                let doc = docs[rng.below(count) as usize];
                hits += doc.hits as u128;
                kept += doc.kept as u128;
            }
            ratio_per_1000(hits, kept)
        })
        .collect();
    replicates.sort_by(f64::total_cmp);
    let tail = (1.0 - level) / 2.0;
    let low = quantile_sorted(&replicates, tail);
    let high = quantile_sorted(&replicates, 1.0 - tail);
    RateInterval {
        point,
        low: low.min(point),
        high: high.max(point),
    }
}

/// Quantile `q` in `[0, 1]` of a non-empty sorted slice, interpolating linearly between order statistics
/// (Hyndman & Fan type 7, the default of R and numpy).
fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let last = sorted.len().saturating_sub(1);
    let position = q.clamp(0.0, 1.0) * last as f64;
    let below = (position.floor() as usize).min(last);
    let above = (below + 1).min(last);
    let fraction = position - below as f64;
    match (sorted.get(below), sorted.get(above)) {
        (Some(&lo), Some(&hi)) => lo + fraction * (hi - lo),
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn docs(pairs: &[(u64, u64)]) -> Vec<DocCounts> {
        pairs
            .iter()
            .map(|&(hits, kept)| DocCounts { hits, kept })
            .collect()
    }

    /// `n` speeches of 800 to 1200 kept tokens at 8 to 16 hits per 1000, in a repeating pattern.
    fn similar_docs(n: usize) -> Vec<DocCounts> {
        (0..n)
            .map(|i| {
                let kept = 800 + 100 * (i % 5) as u64;
                let per_1000 = 8 + 2 * ((i * 3) % 5) as u64;
                DocCounts {
                    hits: kept * per_1000 / 1000,
                    kept,
                }
            })
            .collect()
    }

    #[test]
    fn splitmix64_reference_stream() {
        // First outputs of Vigna's splitmix64.c seeded with 1234567.
        let mut rng = SplitMix64::new(1_234_567);
        let want = [
            6_457_827_717_110_365_317u64,
            3_203_168_211_198_807_973,
            9_817_491_932_198_370_423,
            4_593_380_528_125_082_431,
            16_408_922_859_458_223_821,
        ];
        for w in want {
            assert_eq!(rng.next_u64(), w);
        }
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut rng = SplitMix64::new(7);
        let mut seen = [0u32; 6];
        for _ in 0..6000 {
            seen[rng.below(6) as usize] += 1;
        }
        // Each face ~1000; a biased or broken reduction would starve or flood one.
        assert!(seen.iter().all(|&c| (850..1150).contains(&c)), "{seen:?}");
        assert_eq!(rng.below(0), 0);
        assert_eq!(rng.below(1), 0);
    }

    #[test]
    fn point_is_ratio_of_sums() {
        // (3 + 1) / (1000 + 3000) * 1000 = 1.0, not the mean of per-doc rates (3.0 and 0.333).
        assert_eq!(rate_per_1000(&docs(&[(3, 1000), (1, 3000)])), 1.0);
        assert_eq!(rate_per_1000(&[]), 0.0);
        assert_eq!(rate_per_1000(&docs(&[(0, 0)])), 0.0);
    }

    #[test]
    fn empty_and_single_document() {
        let empty = bootstrap_rate_ci(&[], 1000, 1, 0.95);
        assert_eq!((empty.point, empty.low, empty.high), (0.0, 0.0, 0.0));
        let single = bootstrap_rate_ci(&docs(&[(12, 1000)]), 1000, 1, 0.95);
        assert_eq!((single.point, single.low, single.high), (12.0, 12.0, 12.0));
        let no_resamples = bootstrap_rate_ci(&similar_docs(10), 0, 1, 0.95);
        assert_eq!(no_resamples.low, no_resamples.high);
    }

    #[test]
    fn identical_documents_collapse() {
        let same = docs(&[(5, 1000); 20]);
        let ci = bootstrap_rate_ci(&same, 500, 3, 0.95);
        assert_eq!((ci.low, ci.point, ci.high), (5.0, 5.0, 5.0));
    }

    #[test]
    fn same_seed_same_bits_other_seed_differs() {
        let sample = similar_docs(30);
        let a = bootstrap_rate_ci(&sample, 2000, 42, 0.95);
        let b = bootstrap_rate_ci(&sample, 2000, 42, 0.95);
        assert_eq!(a.low.to_bits(), b.low.to_bits());
        assert_eq!(a.high.to_bits(), b.high.to_bits());
        let c = bootstrap_rate_ci(&sample, 2000, 43, 0.95);
        assert!(c.low != a.low || c.high != a.high);
    }

    #[test]
    fn contains_point_and_stays_within_document_rates() {
        let sample = similar_docs(25);
        let ci = bootstrap_rate_ci(&sample, 2000, 9, 0.95);
        assert!(ci.low < ci.point && ci.point < ci.high, "{ci:?}");
        // A ratio of sums is a weighted mean of the per-document rates, so it lies between them.
        assert!(ci.low >= 8.0 && ci.high <= 16.0, "{ci:?}");
    }

    #[test]
    fn narrows_as_documents_are_added() {
        let few = bootstrap_rate_ci(&similar_docs(5), 2000, 11, 0.95);
        let many = bootstrap_rate_ci(&similar_docs(50), 2000, 11, 0.95);
        let (few_width, many_width) = (few.high - few.low, many.high - many.low);
        // Ten times the documents: width should fall by about sqrt(10) ~ 3.2; demand at least 2.
        assert!(
            many_width * 2.0 < few_width,
            "5 docs {few:?}, 50 docs {many:?}"
        );
    }

    #[test]
    fn width_matches_delta_method_standard_error() {
        // For a ratio estimator R = sum h / sum k, Var(R) ~ sum (h_i - R k_i)^2 / (sum k)^2, and the bootstrap
        // estimates that same variance; a 95% interval is then ~ 2 * 1.96 * SE wide.
        let sample = similar_docs(200);
        let ci = bootstrap_rate_ci(&sample, 4000, 5, 0.95);
        let kept: f64 = sample.iter().map(|d| d.kept as f64).sum();
        let hits: f64 = sample.iter().map(|d| d.hits as f64).sum();
        let r = hits / kept;
        let residual_sq: f64 = sample
            .iter()
            .map(|d| (d.hits as f64 - r * d.kept as f64).powi(2))
            .sum();
        let se_per_1000 = 1000.0 * residual_sq.sqrt() / kept;
        let want_width = 2.0 * 1.959_964 * se_per_1000;
        let width = ci.high - ci.low;
        assert!(
            (width / want_width - 1.0).abs() < 0.15,
            "width {width}, delta method {want_width}"
        );
    }

    #[test]
    fn clamps_to_include_point() {
        // level 0 shrinks the interval to the median replicate; for this skewed sample (one long speech
        // carries nearly all hits) the median replicate, 27.27, sits below the point, 27.74, so the clamp
        // must stretch the upper bound back up to the point.
        let skewed = docs(&[(0, 100), (1, 120), (0, 130), (40, 1000), (2, 90), (0, 110)]);
        let ci = bootstrap_rate_ci(&skewed, 999, 2, 0.0);
        assert!(ci.low < ci.point, "{ci:?}");
        assert_eq!(ci.high, ci.point);
    }

    #[test]
    fn golden_interval_is_platform_independent() {
        // Computed by a separate Python port of the same scheme (SplitMix64, Lemire reduction, type-7
        // quantiles): pins the sampling order so a silent change of results cannot slip through.
        let sample = docs(&[
            (3, 1000),
            (17, 1200),
            (0, 400),
            (9, 900),
            (25, 2000),
            (1, 150),
            (12, 800),
        ]);
        let ci = bootstrap_rate_ci(&sample, 200, 2024, 0.9);
        assert_eq!(ci.point, 10.387_596_899_224_807);
        assert_eq!(ci.low, 6.593_583_790_628_957);
        assert_eq!(ci.high, 12.949_930_699_930_7);
    }

    #[test]
    fn quantile_interpolates() {
        let sorted = [1.0, 2.0, 4.0, 8.0];
        assert_eq!(quantile_sorted(&sorted, 0.0), 1.0);
        assert_eq!(quantile_sorted(&sorted, 1.0), 8.0);
        assert_eq!(quantile_sorted(&sorted, 0.5), 3.0); // position 1.5 between 2 and 4
        let q90 = quantile_sorted(&sorted, 0.9); // position 2.7: 4 + 0.7 * 4
        assert!((q90 - 6.8).abs() < 1e-12, "{q90}");
        assert_eq!(quantile_sorted(&[], 0.5), 0.0);
    }

    proptest! {
        #[test]
        fn bounds_ordered(
            sample in proptest::collection::vec((0u64..50, 0u64..2000), 0..30),
            seed: u64,
            level in prop_oneof![0.0f64..=1.0, Just(f64::NAN), -1.0f64..2.0],
            resamples in 0u32..200,
        ) {
            let sample: Vec<DocCounts> = sample.into_iter().map(|(hits, kept)| DocCounts { hits, kept }).collect();
            let ci = bootstrap_rate_ci(&sample, resamples, seed, level);
            prop_assert!(ci.low.is_finite() && ci.high.is_finite());
            prop_assert!(ci.low <= ci.point && ci.point <= ci.high, "{:?}", ci);
        }
    }
}
