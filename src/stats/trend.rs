//! Monotonic trend over an ordered series: the Mann-Kendall test and the Theil-Sen slope.

use std::cmp::Ordering;

use super::distribution::normal_two_sided_p;

/// Fewer points than this give the Mann-Kendall test no usable power, so it is not run.
pub const MANN_KENDALL_MIN_POINTS: usize = 4;

/// Result of the Mann-Kendall trend test on a series ordered in time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MannKendall {
    /// Number of points.
    pub n: usize,
    /// `S = sum_{i<j} sign(x_j - x_i)`: concordant minus discordant pairs.
    pub s: i64,
    /// Variance of S under no trend, corrected for ties:
    /// `(n(n-1)(2n+5) - sum_t t(t-1)(2t+5)) / 18` over groups of `t` equal values.
    pub variance: f64,
    /// Kendall's tau-b between value and time: `S / sqrt(n0 (n0 - n1))` with `n0 = n(n-1)/2` and
    /// `n1 = sum_t t(t-1)/2` (time has no ties). 1 for a strictly increasing series, -1 for strictly
    /// decreasing, 0 for a constant one.
    pub tau: f64,
    /// Normal score with continuity correction: `(S - sign(S)) / sqrt(variance)`, 0 when S or the variance is 0.
    pub z: f64,
    /// Two-sided p-value `P(|Z| > |z|)`; 1 for a constant series.
    pub p_value: f64,
}

/// Mann-Kendall test for a monotonic trend in `series` (index order is time order).
///
/// `None` when there are fewer than 4 points or any value is not finite (a NaN has no order).
/// O(n^2) pairs: meant for per-session series (tens to hundreds of points), not per-token ones.
pub fn mann_kendall(series: &[f64]) -> Option<MannKendall> {
    let n = series.len();
    if n < MANN_KENDALL_MIN_POINTS || series.iter().any(|x| !x.is_finite()) {
        return None;
    }
    let mut s: i64 = 0;
    for (i, &earlier) in series.iter().enumerate() {
        for &later in &series[i + 1..] {
            // Finite values always compare; equal values (ties) count 0.
            match later.partial_cmp(&earlier) {
                Some(Ordering::Greater) => s += 1,
                Some(Ordering::Less) => s -= 1,
                _ => {}
            }
        }
    }
    let ties = tie_group_sizes(series);
    // Exact integer arithmetic; n(n-1)(2n+5) fits u128 for any slice length.
    let n128 = n as u128;
    let untied = n128 * (n128 - 1) * (2 * n128 + 5);
    let tied: u128 = ties.iter().map(|&t| t * (t - 1) * (2 * t + 5)).sum();
    let variance = (untied - tied) as f64 / 18.0;
    let pairs = (n128 * (n128 - 1) / 2) as f64;
    let tied_pairs = ties.iter().map(|&t| t * (t - 1) / 2).sum::<u128>() as f64;
    let tau_denominator = (pairs * (pairs - tied_pairs)).sqrt();
    let tau = if tau_denominator > 0.0 {
        s as f64 / tau_denominator
    } else {
        0.0
    };
    let z = if s == 0 || variance <= 0.0 {
        0.0
    } else {
        (s - s.signum()) as f64 / variance.sqrt()
    };
    Some(MannKendall {
        n,
        s,
        variance,
        tau,
        z,
        p_value: normal_two_sided_p(z),
    })
}

/// Sizes (> 1) of the groups of equal values in `values`.
fn tie_group_sizes(values: &[f64]) -> Vec<u128> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    // chunk_by with == so that -0.0 and 0.0 (adjacent after total_cmp) form one group.
    sorted
        .chunk_by(|x, y| x == y)
        .map(|group| group.len() as u128)
        .filter(|&t| t > 1)
        .collect()
}

/// Theil-Sen slope: the median of `(x_j - x_i) / (j - i)` over all pairs `i < j`, in value units per step
/// (per session when the series is one value per session).
///
/// Robust: up to ~29% of the points can be outliers without moving it far. An even number of slopes takes the
/// mean of the two middle ones. `None` with fewer than 2 points or any non-finite value. O(n^2 log n).
pub fn theil_sen_slope(series: &[f64]) -> Option<f64> {
    let steps: Vec<f64> = (0..series.len()).map(|i| i as f64).collect();
    theil_sen_slope_at(&steps, series)
}

/// Theil-Sen slope of `values` observed at `at` (strictly increasing): the median of
/// `(v_j - v_i) / (at_j - at_i)` over all pairs, in value units per unit of `at`, so a gap in
/// the observations (a year without a session) is a gap, not one step.
///
/// `None` with fewer than 2 points, any non-finite value or position, positions not strictly
/// increasing, or the two slices of different lengths.
pub fn theil_sen_slope_at(at: &[f64], values: &[f64]) -> Option<f64> {
    if values.len() < 2
        || at.len() != values.len()
        || values.iter().chain(at).any(|x| !x.is_finite())
        || at.windows(2).any(|w| w[1] <= w[0])
    {
        return None;
    }
    let mut slopes = Vec::with_capacity(values.len() * (values.len() - 1) / 2);
    for (i, (&x0, &earlier)) in at.iter().zip(values).enumerate() {
        for (&x1, &later) in at[i + 1..].iter().zip(&values[i + 1..]) {
            slopes.push((later - earlier) / (x1 - x0));
        }
    }
    median(&mut slopes)
}

/// Median by a total order (deterministic for any values); `None` for an empty slice.
fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        Some(values[mid])
    } else {
        // Halves first so two huge slopes cannot overflow to infinity.
        Some(values[mid - 1] / 2.0 + values[mid] / 2.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn strictly_increasing_gives_tau_one() {
        let series: Vec<f64> = (0..12).map(|i| (i as f64).powi(2) - 3.0).collect();
        let mk = mann_kendall(&series).unwrap();
        assert_eq!(mk.s, 66); // 12*11/2 concordant pairs
        assert_eq!(mk.tau, 1.0);
        assert!(mk.p_value < 0.001, "p {}", mk.p_value);
    }

    #[test]
    fn strictly_decreasing_gives_tau_minus_one() {
        let mk = mann_kendall(&[9.0, 7.5, 3.0, 1.0, -4.0]).unwrap();
        assert_eq!(mk.s, -10);
        assert_eq!(mk.tau, -1.0);
        assert!(mk.z < 0.0);
    }

    #[test]
    fn constant_gives_tau_zero_p_one() {
        let mk = mann_kendall(&[2.5; 7]).unwrap();
        assert_eq!(
            (mk.s, mk.tau, mk.z, mk.p_value, mk.variance),
            (0, 0.0, 0.0, 1.0, 0.0)
        );
    }

    #[test]
    fn worked_by_hand_with_ties() {
        // x = [1, 2, 2, 3, 1], n = 5.
        // Pairs from i=0 (1): +1 +1 +1 0 = 3; i=1 (2): 0 +1 -1 = 0; i=2 (2): +1 -1 = 0; i=3 (3): -1. S = 2.
        // Ties: value 1 twice, value 2 twice: sum t(t-1)(2t+5) = 2 * (2*1*9) = 36.
        // Var(S) = (5*4*15 - 36) / 18 = 264 / 18 = 14.666667.
        // n0 = 10, n1 = 1 + 1 = 2: tau_b = 2 / sqrt(10 * 8) = 0.2236068.
        // z = (2 - 1) / sqrt(14.666667) = 0.2611165; two-sided p = 0.7940027.
        let mk = mann_kendall(&[1.0, 2.0, 2.0, 3.0, 1.0]).unwrap();
        assert_eq!(mk.n, 5);
        assert_eq!(mk.s, 2);
        assert!((mk.variance - 264.0 / 18.0).abs() < 1e-12);
        assert!((mk.tau - 2.0 / 80f64.sqrt()).abs() < 1e-12);
        assert!((mk.z - 0.261_116_5).abs() < 1e-6);
        assert!((mk.p_value - 0.794_002_7).abs() < 1e-6, "p {}", mk.p_value);
    }

    #[test]
    fn negative_s_continuity_correction() {
        // [4, 3, 1, 2]: pairs 4>3,4>1,4>2 (-3), 3>1,3>2 (-2), 1<2 (+1): S = -4. No ties: Var = 4*3*13/18.
        let mk = mann_kendall(&[4.0, 3.0, 1.0, 2.0]).unwrap();
        assert_eq!(mk.s, -4);
        let var: f64 = 156.0 / 18.0;
        assert!((mk.z - (-3.0 / var.sqrt())).abs() < 1e-12);
        assert!((mk.tau - (-4.0 / 6.0)).abs() < 1e-12);
    }

    #[test]
    fn rejects_short_or_non_finite() {
        assert!(mann_kendall(&[1.0, 2.0, 3.0]).is_none());
        assert!(mann_kendall(&[]).is_none());
        assert!(mann_kendall(&[1.0, f64::NAN, 3.0, 4.0]).is_none());
        assert!(theil_sen_slope(&[1.0]).is_none());
        assert!(theil_sen_slope(&[1.0, f64::INFINITY]).is_none());
    }

    #[test]
    fn signed_zeros_are_one_tie_group() {
        assert_eq!(tie_group_sizes(&[0.0, -0.0, 1.0, 0.0]), vec![3]);
    }

    #[test]
    fn theil_sen_ignores_an_outlier() {
        // y = 2x + 1 with point 6 replaced by an outlier: 9 of 45 slopes are off, the median is still 2.
        let mut series: Vec<f64> = (0..10).map(|x| 2.0 * x as f64 + 1.0).collect();
        series[6] = 500.0;
        assert_eq!(theil_sen_slope(&series), Some(2.0));
        // The outlier is strong enough to drag an ordinary least-squares slope well off 2.
        let x_mean = 4.5;
        let y_mean = series.iter().sum::<f64>() / 10.0;
        let (mut sxy, mut sxx) = (0.0, 0.0);
        for (x, y) in series.iter().enumerate() {
            sxy += (x as f64 - x_mean) * (y - y_mean);
            sxx += (x as f64 - x_mean).powi(2);
        }
        assert!((sxy / sxx - 2.0).abs() > 5.0, "OLS slope {}", sxy / sxx);
    }

    #[test]
    fn theil_sen_at_positions_counts_a_gap_as_its_length() {
        // 10 per year, with 2003-2009 missing: per step of the series it would be 30.4.
        let years = [2000.0, 2001.0, 2002.0, 2010.0, 2011.0];
        let rates = [10.0, 20.0, 30.0, 110.0, 120.0];
        assert_eq!(theil_sen_slope_at(&years, &rates), Some(10.0));
        let by_step = theil_sen_slope(&rates).unwrap();
        assert!((by_step - 30.416_666).abs() < 1e-5, "{by_step}");
        // Positions out of order, repeated or of another length give nothing.
        assert!(theil_sen_slope_at(&[1.0, 1.0], &[0.0, 1.0]).is_none());
        assert!(theil_sen_slope_at(&[2.0, 1.0], &[0.0, 1.0]).is_none());
        assert!(theil_sen_slope_at(&[1.0], &[0.0, 1.0]).is_none());
    }

    #[test]
    fn theil_sen_even_count_takes_middle_mean() {
        // Slopes of [0, 1, 3]: 1, 3, 1.5 -> median 1.5. Of [0, 2]: 2.
        assert_eq!(theil_sen_slope(&[0.0, 1.0, 3.0]), Some(1.5));
        assert_eq!(theil_sen_slope(&[0.0, 2.0]), Some(2.0));
        // [0, 1, 3, 4]: slopes 1, 1.5, 1.333.., 2, 1.5, 1 -> sorted 1,1,1.333,1.5,1.5,2 -> (1.333+1.5)/2.
        let got = theil_sen_slope(&[0.0, 1.0, 3.0, 4.0]).unwrap();
        assert!((got - (4.0 / 3.0 + 1.5) / 2.0).abs() < 1e-12);
    }

    proptest! {
        #[test]
        fn mann_kendall_bounded(series in proptest::collection::vec(-1e6f64..1e6, 0..40)) {
            if let Some(mk) = mann_kendall(&series) {
                prop_assert!((-1.0..=1.0).contains(&mk.tau));
                prop_assert!((0.0..=1.0).contains(&mk.p_value));
                prop_assert!(mk.variance >= 0.0);
            }
        }

        #[test]
        fn theil_sen_recovers_any_line(slope in -1e3f64..1e3, intercept in -1e3f64..1e3, n in 2usize..30) {
            let series: Vec<f64> = (0..n).map(|x| slope * x as f64 + intercept).collect();
            let got = theil_sen_slope(&series).unwrap();
            prop_assert!((got - slope).abs() <= 1e-9 * slope.abs().max(1.0));
        }
    }
}
