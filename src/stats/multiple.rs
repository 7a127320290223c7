//! Multiple comparisons: Benjamini-Hochberg adjusted p-values for a family of tests.

/// Benjamini-Hochberg adjusted p-values (q-values), in the order of `p`.
///
/// With the m p-values sorted ascending, `q(i) = min over j >= i of p(j) * m / j` (ranks from 1),
/// capped at 1. Rejecting every test with `q <= alpha` keeps the expected share of false
/// discoveries among the rejected at most `alpha` (for independent or positively dependent
/// tests). Ties and the order of equal p-values do not change any q-value.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&x, &y| p[x].total_cmp(&p[y]).then(x.cmp(&y)));
    let mut q = vec![1.0; m];
    let mut running = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        let value = (p[i] * m as f64 / (rank + 1) as f64).min(1.0);
        running = running.min(value);
        q[i] = running;
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_by_hand() {
        // p sorted: 0.01, 0.02, 0.03, 0.04, 0.20 (m = 5)
        // raw p*m/rank: 0.05, 0.05, 0.05, 0.05, 0.20; running minimum from the top: the same.
        let q = benjamini_hochberg(&[0.04, 0.01, 0.20, 0.03, 0.02]);
        let want = [0.05, 0.05, 0.20, 0.05, 0.05];
        for (a, b) in q.iter().zip(want) {
            assert!((a - b).abs() < 1e-12, "{q:?}");
        }
        // p: 0.001, 0.04, 0.045 (m = 3): raw 0.003, 0.06, 0.045 -> monotone: 0.003, 0.045, 0.045.
        let q = benjamini_hochberg(&[0.045, 0.001, 0.04]);
        let want = [0.045, 0.003, 0.045];
        for (a, b) in q.iter().zip(want) {
            assert!((a - b).abs() < 1e-12, "{q:?}");
        }
    }

    #[test]
    fn capped_at_one_and_empty_is_fine() {
        assert_eq!(benjamini_hochberg(&[0.9, 0.95]), vec![0.95, 0.95]);
        assert_eq!(benjamini_hochberg(&[1.0]), vec![1.0]);
        assert!(benjamini_hochberg(&[]).is_empty());
    }

    proptest::proptest! {
        #[test]
        fn never_below_p_and_monotone_in_p(p in proptest::collection::vec(0.0f64..=1.0, 1..60)) {
            let q = benjamini_hochberg(&p);
            for i in 0..p.len() {
                proptest::prop_assert!(q[i] >= p[i] - 1e-15 && q[i] <= 1.0);
                for j in 0..p.len() {
                    if p[i] < p[j] {
                        proptest::prop_assert!(q[i] <= q[j] + 1e-15);
                    }
                }
            }
        }
    }
}
