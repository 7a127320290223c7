//! Two-by-two contingency tables: keyness of a term between corpora and association of an n-gram.

use std::cmp::Ordering;

use super::distribution::chi2_sf_1df;

/// Below this expected count a cell makes the chi-square approximation doubtful, so Yates' correction applies.
const YATES_EXPECTED_MIN: f64 = 5.0;

/// Pseudo-tokens shared between target and reference, in proportion to their sizes, when a count
/// is zero, so the log ratio stays finite (0.5 each for corpora of equal size, as in Hardie 2014).
const LOG_RATIO_PSEUDO_COUNT: f64 = 1.0;

/// A 2x2 table of observed counts `[[a, b], [c, d]]`.
///
/// Keyness reads it as rows = (this term, every other token), columns = (target, reference);
/// n-gram association as rows = (w1 first, not w1), columns = (w2 second, not w2).
/// Expected counts under independence are `E = row total * column total / N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Table2x2 {
    pub cells: [[u64; 2]; 2],
}

impl Table2x2 {
    pub fn new(a: u64, b: u64, c: u64, d: u64) -> Table2x2 {
        Table2x2 {
            cells: [[a, b], [c, d]],
        }
    }

    // Totals are u128: two u64 counts can overflow u64.
    fn row_totals(&self) -> [u128; 2] {
        let [[a, b], [c, d]] = self.cells;
        [a as u128 + b as u128, c as u128 + d as u128]
    }

    fn column_totals(&self) -> [u128; 2] {
        let [[a, b], [c, d]] = self.cells;
        [a as u128 + c as u128, b as u128 + d as u128]
    }

    /// `ad - bc` as its sign and magnitude, exact (each product fits u128).
    ///
    /// Every cell deviates from its expectation by the same amount, `O - E = ±(ad - bc) / N`,
    /// positive on the diagonal (a, d) and negative off it, which the statistics below rely on.
    fn cross_difference(&self) -> (Ordering, u128) {
        let [[a, b], [c, d]] = self.cells;
        let ad = a as u128 * d as u128;
        let bc = b as u128 * c as u128;
        (ad.cmp(&bc), ad.abs_diff(bc))
    }

    /// `Greater` when cell `a` holds more than independence predicts (`ad > bc`), `Less` when fewer.
    pub fn direction(&self) -> Ordering {
        self.cross_difference().0
    }

    /// True when a row or column total is zero: no test of independence is possible.
    pub fn is_degenerate(&self) -> bool {
        self.row_totals().contains(&0) || self.column_totals().contains(&0)
    }

    /// Expected counts under independence; all zero for a degenerate table.
    pub fn expected(&self) -> [[f64; 2]; 2] {
        if self.is_degenerate() {
            return [[0.0; 2]; 2];
        }
        let rows = self.row_totals();
        let columns = self.column_totals();
        let n = (rows[0] + rows[1]) as f64;
        let mut expected = [[0.0; 2]; 2];
        for (i, row) in expected.iter_mut().enumerate() {
            for (j, cell) in row.iter_mut().enumerate() {
                *cell = rows[i] as f64 * columns[j] as f64 / n;
            }
        }
        expected
    }

    /// Whether Yates' continuity correction applies: some expected cell is below 5.
    pub fn needs_yates(&self) -> bool {
        !self.is_degenerate()
            && self
                .expected()
                .iter()
                .flatten()
                .any(|&e| e < YATES_EXPECTED_MIN)
    }

    /// Log-likelihood ratio statistic `G2 = 2 * sum O ln(O/E)` over the four cells, `0 ln 0 = 0`. Unsigned, >= 0.
    ///
    /// Computed as `2 * sum E * h((O-E)/E)` with `h(r) = (1+r) ln(1+r) - r`, which is the same sum
    /// (the added `sum (E - O)` is zero) but made of non-negative terms, so it neither cancels nor
    /// goes below zero when O is close to E in a large table. 0 for a degenerate table.
    pub fn g2(&self) -> f64 {
        let (ordering, magnitude) = self.cross_difference();
        if self.is_degenerate() || ordering == Ordering::Equal {
            return 0.0;
        }
        let rows = self.row_totals();
        let columns = self.column_totals();
        let n = (rows[0] + rows[1]) as f64;
        let spread = magnitude as f64;
        let mut sum = 0.0;
        for (i, &row) in rows.iter().enumerate() {
            for (j, &column) in columns.iter().enumerate() {
                let row_times_column = row as f64 * column as f64;
                let expected = row_times_column / n;
                let on_diagonal = i == j;
                let above = on_diagonal == (ordering == Ordering::Greater);
                // (O - E) / E = ±(ad - bc) / (row * column)
                let relative = if above { spread } else { -spread } / row_times_column;
                sum += expected * excess_entropy(relative);
            }
        }
        (2.0 * sum).max(0.0)
    }

    /// Pearson's `chi2 = sum (|O-E| - k)^2 / E` with `k = 0.5` when `yates` (floored at 0), else `k = 0`.
    /// Unsigned, >= 0; 0 for a degenerate table.
    pub fn pearson_chi2(&self, yates: bool) -> f64 {
        let (ordering, magnitude) = self.cross_difference();
        if self.is_degenerate() || ordering == Ordering::Equal {
            return 0.0;
        }
        let rows = self.row_totals();
        let columns = self.column_totals();
        let n = (rows[0] + rows[1]) as f64;
        let correction = if yates { 0.5 } else { 0.0 };
        let deviation = (magnitude as f64 / n - correction).max(0.0);
        let mut sum = 0.0;
        for &row in &rows {
            for &column in &columns {
                let expected = row as f64 * column as f64 / n;
                sum += deviation * deviation / expected;
            }
        }
        sum
    }
}

/// `h(r) = (1+r) ln(1+r) - r` for `r >= -1`, with `h(-1) = 1` (the `0 ln 0 = 0` convention).
///
/// Near 0 the direct form cancels, so it uses `h(r) = sum_{k>=2} (-1)^k r^k / (k(k-1))`.
fn excess_entropy(r: f64) -> f64 {
    if r <= -1.0 {
        return 1.0;
    }
    if r.abs() < 0.1 {
        let mut power = r * r;
        let mut sum = 0.0;
        for k in 2..40u32 {
            let term = power / (k * (k - 1)) as f64;
            sum += if k % 2 == 0 { term } else { -term };
            if term.abs() <= sum.abs() * f64::EPSILON * 0.25 {
                break;
            }
            power *= r;
        }
        sum
    } else {
        (1.0 + r) * r.ln_1p() - r
    }
}

/// Keyness of one term in a target corpus against a reference corpus.
///
/// Signed statistics are positive when the term is relatively more frequent in the target
/// (`count_target / total_target > count_reference / total_reference`), negative when less, 0 when equal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Keyness {
    /// Signed log-likelihood `G2` (Dunning 1993) of the 2x2 table.
    pub g2: f64,
    /// Signed Pearson chi-square of the same table, Yates-corrected when `yates` is true.
    pub chi2: f64,
    /// Whether Yates' correction was applied to `chi2` (only when some expected cell is below 5).
    pub yates: bool,
    /// `P(chi2_1 > |g2|)`: the p-value of `G2` with 1 degree of freedom.
    /// `G2` rather than Pearson because it holds up better for the rare terms keyness lists are full of.
    pub p_value: f64,
    /// Effect size: Hardie's log ratio, `log2((a / total_target) / (b / total_reference))`; when
    /// `a` or `b` is zero, one pseudo-token is shared between the two in proportion to their
    /// totals, so the sign is always that of `g2`. Each unit doubles the relative frequency.
    /// 0 when either corpus is empty or the term occurs in neither.
    pub log_ratio: f64,
}

/// Keyness of a term occurring `count_target` times in `total_target` tokens and `count_reference` times in
/// `total_reference` tokens.
///
/// The table is `a = count_target`, `b = count_reference`, `c = total_target - a`, `d = total_reference - b`.
/// A count above its total is clamped to the total. An empty target or reference, or a term absent from both,
/// gives `g2 = chi2 = 0`, `p_value = 1`, `log_ratio = 0`: finite, never NaN.
pub fn keyness(
    count_target: u64,
    count_reference: u64,
    total_target: u64,
    total_reference: u64,
) -> Keyness {
    let a = count_target.min(total_target);
    let b = count_reference.min(total_reference);
    let table = Table2x2::new(a, b, total_target - a, total_reference - b);
    let direction = table.direction();
    let yates = table.needs_yates();
    let g2 = signed(direction, table.g2());
    Keyness {
        g2,
        chi2: signed(direction, table.pearson_chi2(yates)),
        yates,
        p_value: chi2_sf_1df(g2.abs()),
        log_ratio: log_ratio(a, b, total_target, total_reference),
    }
}

/// Hardie's log ratio; see [`Keyness::log_ratio`].
///
/// When a count is zero, each side gets `LOG_RATIO_PSEUDO_COUNT` tokens times its share of all
/// tokens. That adds the same amount to both relative frequencies, so their order, and with it
/// the sign of the ratio, is the order of the observed frequencies: the sign of `G2`. (Replacing
/// only the zero by 0.5 flips the sign when the reference is much larger than the target.)
fn log_ratio(a: u64, b: u64, total_target: u64, total_reference: u64) -> f64 {
    if total_target == 0 || total_reference == 0 || (a == 0 && b == 0) {
        return 0.0;
    }
    let (t, r) = (total_target as f64, total_reference as f64);
    let (a, b) = (a as f64, b as f64);
    let (a, b) = if a == 0.0 || b == 0.0 {
        let all = t + r;
        (
            a + LOG_RATIO_PSEUDO_COUNT * t / all,
            b + LOG_RATIO_PSEUDO_COUNT * r / all,
        )
    } else {
        (a, b)
    };
    ((a / t) / (b / r)).log2()
}

/// Attaches the direction's sign to an unsigned statistic; never yields `-0.0`.
fn signed(direction: Ordering, statistic: f64) -> f64 {
    match direction {
        Ordering::Less if statistic > 0.0 => -statistic,
        Ordering::Equal => 0.0,
        _ => statistic,
    }
}

/// Signed log-likelihood `G2` of a bigram `w1 w2` against independence of its two slots.
///
/// Over `n` bigram positions: `count_w1` positions start with w1, `count_w2` end with w2, `count_w1w2` are
/// `w1 w2`. Table: `[[w1w2, w1 not-w2], [not-w1 w2, neither]]`. Positive when the pair occurs more often than
/// independence predicts (a collocation), negative when less (the words avoid each other), so sorting
/// descending ranks collocations. Inconsistent counts are clamped (`count_w1, count_w2 <= n`,
/// `count_w1w2 <= min(count_w1, count_w2)`, the "neither" cell floored at 0); never NaN.
pub fn bigram_g2(count_w1w2: u64, count_w1: u64, count_w2: u64, n: u64) -> f64 {
    let first = count_w1.min(n);
    let second = count_w2.min(n);
    let both = count_w1w2.min(first).min(second);
    // n - first - second + both >= 0 for consistent counts; u128 keeps the sum from overflowing.
    let neither = (n as u128 + both as u128).saturating_sub(first as u128 + second as u128);
    // neither <= n because both <= min(first, second), so the fallback is never taken.
    let neither = u64::try_from(neither).unwrap_or(u64::MAX);
    let table = Table2x2::new(both, first - both, second - both, neither);
    signed(table.direction(), table.g2())
}

/// Signed `G2` of a trigram `w1 w2 w3`, treating the leading bigram `w1 w2` as one unit against `w3`.
///
/// Over `n` trigram positions: `count_w1w2` start with `w1 w2`, `count_w3` end with `w3`, `count_w1w2w3` are
/// the trigram; then exactly [`bigram_g2`]. This measures whether w3 attaches to an established pair,
/// the usual way to extend a collocation one word at a time.
pub fn trigram_g2(count_w1w2w3: u64, count_w1w2: u64, count_w3: u64, n: u64) -> f64 {
    bigram_g2(count_w1w2w3, count_w1w2, count_w3, n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Independent G2: textbook `2 * sum O ln(O/E)` with plain loops and `0 ln 0 = 0`.
    fn g2_textbook(o: [[f64; 2]; 2]) -> f64 {
        let n = o[0][0] + o[0][1] + o[1][0] + o[1][1];
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

    /// Independent G2 again, by the entropy identity `2 (sum O ln O - sum R ln R - sum C ln C + N ln N)`.
    fn g2_entropy(o: [[f64; 2]; 2]) -> f64 {
        let xlx = |x: f64| if x > 0.0 { x * x.ln() } else { 0.0 };
        let r = [o[0][0] + o[0][1], o[1][0] + o[1][1]];
        let c = [o[0][0] + o[1][0], o[0][1] + o[1][1]];
        let n = r[0] + r[1];
        let cells: f64 = o.iter().flatten().map(|&x| xlx(x)).sum();
        2.0 * (cells - xlx(r[0]) - xlx(r[1]) - xlx(c[0]) - xlx(c[1]) + xlx(n))
    }

    /// Independent chi-square: closed form `N (|ad - bc| - k N)^2 / (R1 R2 C1 C2)`, k = 1/2 for Yates.
    fn chi2_closed_form(o: [[f64; 2]; 2], yates: bool) -> f64 {
        let [[a, b], [c, d]] = o;
        let n = a + b + c + d;
        let k = if yates { n / 2.0 } else { 0.0 };
        let diff = ((a * d - b * c).abs() - k).max(0.0);
        n * diff * diff / ((a + b) * (c + d) * (a + c) * (b + d))
    }

    fn close(got: f64, want: f64, tol: f64) -> bool {
        (got - want).abs() <= tol * want.abs().max(1.0)
    }

    #[test]
    fn keyness_worked_by_hand_no_zero_cells() {
        // a=10, b=5, c=90, d=95; target 100 tokens, reference 100, N=200.
        // Row totals 15 and 185, column totals 100 and 100.
        // E: a,b = 15*100/200 = 7.5; c,d = 185*100/200 = 92.5. No E < 5, so no Yates.
        // G2 = 2[10 ln(10/7.5) + 5 ln(5/7.5) + 90 ln(90/92.5) + 95 ln(95/92.5)]
        //    = 2[2.876821 - 2.027326 - 2.465908 + 2.533483] = 2 * 0.917071 = 1.834142
        // chi2: |O-E| = 2.5 everywhere: 6.25/7.5*2 + 6.25/92.5*2 = 1.666667 + 0.135135 = 1.801802
        // log ratio = log2((10/100)/(5/100)) = 1. Sign +: 10/100 > 5/100.
        let k = keyness(10, 5, 100, 100);
        assert!(close(k.g2, 1.834_142, 1e-6), "g2 {}", k.g2);
        assert!(close(k.chi2, 1.801_802, 1e-6), "chi2 {}", k.chi2);
        assert!(!k.yates);
        assert_eq!(k.log_ratio, 1.0);
        assert!(close(k.p_value, chi2_sf_1df(1.834_142), 1e-6));
        assert!(k.p_value > 0.17 && k.p_value < 0.18, "p {}", k.p_value);
    }

    #[test]
    fn keyness_worked_by_hand_with_yates() {
        // a=3, b=0, c=97, d=100; N=200, rows 3 and 197, columns 100 and 100.
        // E: a,b = 1.5 (< 5, so Yates); c,d = 98.5.
        // G2 = 2[3 ln(3/1.5) + 0 + 97 ln(97/98.5) + 100 ln(100/98.5)]
        //    = 2[2.079442 - 1.488520 + 1.511364] = 2 * 2.102285 = 4.204570
        // Yates chi2: |O-E| = 1.5, minus 0.5 = 1: 1/1.5*2 + 1/98.5*2 = 1.333333 + 0.020305 = 1.353638
        // Uncorrected would be 2.25/1.5*2 + 2.25/98.5*2 = 3.045685.
        // Log ratio, b being zero: one pseudo-token split 0.5/0.5 (equal sizes):
        // log2((3.5/100)/(0.5/100)) = log2(7) = 2.807355.
        let k = keyness(3, 0, 100, 100);
        assert!(k.yates);
        assert!(close(k.g2, 4.204_570, 1e-6), "g2 {}", k.g2);
        assert!(close(k.chi2, 1.353_638, 1e-6), "chi2 {}", k.chi2);
        assert!(close(k.log_ratio, 7f64.log2(), 1e-12));
        let table = Table2x2::new(3, 0, 97, 100);
        assert!(close(table.pearson_chi2(false), 3.045_685, 1e-6));
    }

    #[test]
    fn yates_floors_small_deviations_at_zero() {
        // a=1, b=1, target 100, reference 101: ad - bc = 1*100 - 1*99 = 1, N = 201, so |O-E| = 1/201 < 0.5
        // in every cell and the corrected chi2 is exactly 0, while G2 stays a small positive number.
        let k = keyness(1, 1, 100, 101);
        assert!(k.yates);
        assert_eq!(k.chi2, 0.0);
        assert!(k.chi2.is_sign_positive());
        assert!(k.g2 > 0.0 && k.g2 < 1e-3, "g2 {}", k.g2);
        assert!(k.p_value > 0.97);
    }

    #[test]
    fn keyness_negative_when_rarer_in_target() {
        // Mirror of the Yates case: same magnitudes, opposite sign, log ratio negated.
        let k = keyness(0, 3, 100, 100);
        assert!(close(k.g2, -4.204_570, 1e-6), "g2 {}", k.g2);
        assert!(close(k.chi2, -1.353_638, 1e-6));
        assert!(close(k.log_ratio, -(7f64.log2()), 1e-12));
    }

    #[test]
    fn keyness_matches_independent_computations() {
        let cases: &[(u64, u64, u64, u64)] = &[
            (10, 5, 100, 100),
            (3, 0, 100, 100),
            (0, 7, 50, 300),
            (1, 1, 2, 1000),
            (120, 40, 10_000, 25_000),
            (999, 1, 1000, 1000),
            (4, 2, 9, 7),
            (1000, 1000, 1_000_000, 3_000_000),
            (5, 500_000, 1_000_000, 1_000_000_000),
        ];
        for &(a, b, t1, t2) in cases {
            let o = [[a as f64, b as f64], [(t1 - a) as f64, (t2 - b) as f64]];
            let k = keyness(a, b, t1, t2);
            let want_g2 = g2_textbook(o);
            assert!(
                close(k.g2.abs(), want_g2, 1e-9),
                "{a},{b},{t1},{t2}: g2 {} vs {want_g2}",
                k.g2
            );
            assert!(
                close(k.g2.abs(), g2_entropy(o), 1e-8),
                "{a},{b},{t1},{t2}: entropy form"
            );
            let expected_min = {
                let n = (t1 + t2) as f64;
                let rows = [(a + b) as f64, (t1 + t2 - a - b) as f64];
                let cols = [t1 as f64, t2 as f64];
                rows.iter()
                    .flat_map(|r| cols.iter().map(move |c| r * c / n))
                    .fold(f64::INFINITY, f64::min)
            };
            assert_eq!(k.yates, expected_min < 5.0, "{a},{b},{t1},{t2}: yates");
            let want_chi2 = chi2_closed_form(o, k.yates);
            assert!(
                close(k.chi2.abs(), want_chi2, 1e-9),
                "{a},{b},{t1},{t2}: chi2 {} vs {want_chi2}",
                k.chi2
            );
            let target_more = (a as f64 / t1 as f64) > (b as f64 / t2 as f64);
            assert_eq!(k.g2 > 0.0, target_more, "{a},{b},{t1},{t2}: sign");
            assert_eq!(k.chi2 > 0.0, target_more && want_chi2 > 0.0);
        }
    }

    #[test]
    fn keyness_degenerate_tables_are_finite() {
        let cases: &[(u64, u64, u64, u64)] = &[
            (0, 0, 0, 0),
            (5, 0, 100, 0),   // empty reference
            (0, 5, 0, 100),   // empty target
            (0, 0, 100, 100), // term absent from both
            (7, 9, 7, 9),     // every token is the term
        ];
        for &(a, b, t1, t2) in cases {
            let k = keyness(a, b, t1, t2);
            assert_eq!(k.g2, 0.0, "{a},{b},{t1},{t2}");
            assert_eq!(k.chi2, 0.0);
            assert_eq!(k.p_value, 1.0);
            assert_eq!(k.log_ratio, 0.0);
            assert!(!k.yates);
        }
    }

    #[test]
    fn keyness_equal_rates_are_exactly_zero() {
        let k = keyness(30, 90, 1000, 3000);
        assert_eq!((k.g2, k.chi2, k.p_value, k.log_ratio), (0.0, 0.0, 1.0, 0.0));
        assert!(k.g2.is_sign_positive());
    }

    #[test]
    fn keyness_clamps_count_above_total() {
        assert_eq!(keyness(500, 5, 100, 100), keyness(100, 5, 100, 100));
    }

    #[test]
    fn keyness_survives_extreme_counts() {
        let k = keyness(u64::MAX, 1, u64::MAX, u64::MAX);
        assert!(k.g2.is_finite() && k.g2 > 0.0);
        assert!(k.chi2.is_finite() && k.p_value == 0.0);
    }

    #[test]
    fn large_table_with_tiny_deviation_keeps_precision() {
        // O differs from E by ~5e-10 relative: a sum of O ln(O/E) terms cancels, the h(r) form must not.
        // At such small deviations G2 equals Pearson's chi2 up to that same relative order.
        let (a, b) = (1_000_000_001u64, 1_000_000_000u64);
        let t = 10_000_000_000u64;
        let k = keyness(a, b, t, t);
        // ad - bc = t (a - b), so chi2 = N (a-b)^2 / (R1 R2) with N = 2t: exact in f64 here, unlike ad - bc.
        let (n, r1) = (2.0 * t as f64, (a + b) as f64);
        let chi2 = n * ((a - b) as f64).powi(2) / (r1 * (n - r1));
        assert!(k.g2 > 0.0);
        assert!(
            ((k.g2 - chi2) / chi2).abs() < 1e-6,
            "g2 {} chi2 {chi2}",
            k.g2
        );
    }

    #[test]
    fn bigram_g2_worked_by_hand() {
        // n=100 positions, w1 starts 10, w2 ends 8, "w1 w2" 6 times.
        // Table [[6, 4], [2, 88]]; rows 10, 90; columns 8, 92.
        // E: 0.8, 9.2, 7.2, 82.8.
        // G2 = 2[6 ln(6/0.8) + 4 ln(4/9.2) + 2 ln(2/7.2) + 88 ln(88/82.8)]
        //    = 2[12.089418 - 3.331636 - 2.561868 + 5.359970] = 2 * 11.555884 = 23.111768
        let g2 = bigram_g2(6, 10, 8, 100);
        assert!(close(g2, 23.111_768, 1e-6), "g2 {g2}");
        assert!(close(g2, g2_textbook([[6.0, 4.0], [2.0, 88.0]]), 1e-12));
    }

    #[test]
    fn bigram_g2_sign_and_independence() {
        // Independent: 10% of positions start with w1, 20% end with w2, 2% are the pair.
        assert_eq!(bigram_g2(20, 100, 200, 1000), 0.0);
        // Fewer pairs than expected: words avoid each other.
        assert!(bigram_g2(0, 100, 200, 1000) < 0.0);
        assert!(bigram_g2(60, 100, 200, 1000) > 0.0);
        assert_eq!(
            trigram_g2(60, 100, 200, 1000),
            bigram_g2(60, 100, 200, 1000)
        );
    }

    #[test]
    fn bigram_g2_inconsistent_counts_are_finite() {
        for &(c12, c1, c2, n) in &[
            (5, 3, 3, 10),
            (9, 9, 9, 10),
            (1, 8, 8, 10),
            (3, 3, 3, 0),
            (u64::MAX, u64::MAX, u64::MAX, u64::MAX),
        ] {
            assert!(bigram_g2(c12, c1, c2, n).is_finite(), "{c12},{c1},{c2},{n}");
        }
    }

    #[test]
    fn excess_entropy_branches_agree() {
        for &r in &[-0.0999, -0.05, 1e-9, 0.05, 0.0999] {
            let direct = (1.0 + r) * f64::ln_1p(r) - r;
            assert!((excess_entropy(r) - direct).abs() <= 1e-15, "h({r})");
        }
        assert_eq!(excess_entropy(-1.0), 1.0);
        assert_eq!(excess_entropy(0.0), 0.0);
    }

    #[test]
    fn log_ratio_sign_agrees_with_g2_against_a_much_larger_reference() {
        // A term absent from a 100-token session, 10 times in an 8,000-token reference: rarer in
        // the session, so G2 is negative. Replacing only the zero by 0.5 gave
        // log2((0.5/100)/(10/8000)) = +2. With the pseudo-token split 100:8000,
        // a = 100/8100, b = 10 + 8000/8100: log2((a/100)/(b/8000)) = -3.4759.
        let k = keyness(0, 10, 100, 8000);
        assert!(k.g2 < 0.0, "g2 {}", k.g2);
        let a: f64 = 100.0 / 8100.0;
        let b: f64 = 10.0 + 8000.0 / 8100.0;
        let by_hand = ((a / 100.0) / (b / 8000.0)).log2();
        assert!(
            close(k.log_ratio, by_hand, 1e-12),
            "{} vs {by_hand}",
            k.log_ratio
        );
        assert!(close(k.log_ratio, -3.4759, 1e-4), "{}", k.log_ratio);
        // Both counts above zero: Hardie's ratio as it is.
        assert!(close(keyness(2, 8, 100, 400).log_ratio, 0.0, 1e-12));
    }

    proptest! {
        #[test]
        fn log_ratio_has_the_sign_of_g2(
            total_target in 1u64..100_000,
            total_reference in 1u64..100_000,
            a_frac in 0.0f64..=0.2,
            b_frac in 0.0f64..=0.2,
        ) {
            let a = (total_target as f64 * a_frac) as u64;
            let b = (total_reference as f64 * b_frac) as u64;
            let k = keyness(a, b, total_target, total_reference);
            prop_assert!(
                k.log_ratio.signum() == k.g2.signum() || k.g2 == 0.0 || k.log_ratio == 0.0,
                "a {a} b {b} g2 {} log ratio {}", k.g2, k.log_ratio
            );
        }

        #[test]
        fn keyness_never_nan(
            total_target in prop_oneof![0u64..1000, any::<u64>()],
            total_reference in prop_oneof![0u64..1000, any::<u64>()],
            a_frac in 0.0f64..=1.0,
            b_frac in 0.0f64..=1.0,
        ) {
            let a = (total_target as f64 * a_frac) as u64;
            let b = (total_reference as f64 * b_frac) as u64;
            let k = keyness(a.min(total_target), b.min(total_reference), total_target, total_reference);
            prop_assert!(k.g2.is_finite() && k.chi2.is_finite() && k.log_ratio.is_finite());
            prop_assert!((0.0..=1.0).contains(&k.p_value));
            prop_assert!(k.g2.signum() == k.chi2.signum() || k.chi2 == 0.0 || k.g2 == 0.0);
        }

        #[test]
        fn bigram_g2_never_nan(c12: u64, c1: u64, c2: u64, n: u64) {
            prop_assert!(bigram_g2(c12, c1, c2, n).is_finite());
        }
    }
}
