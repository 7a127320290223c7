//! Numbers and verdicts as the page prints them: rates to about three significant digits,
//! p-values as a reader expects them, counts with thousands separators, trends in words.

use crate::report::evidence::trends::ThemeTrend;

/// A rate per 1,000 words with about three significant digits ("1.02", "0.0473", "12.3").
pub fn rate(v: f64) -> String {
    if !v.is_finite() {
        return "–".to_string();
    }
    let a = v.abs();
    let decimals = if a == 0.0 {
        return "0".to_string();
    } else if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        // 0.0473 -> 4 decimals; never more than 6.
        ((-a.log10()).floor() as usize + 3).min(6)
    };
    format!("{v:.decimals$}")
}

/// A p-value: "p = 0.034", "p < 0.001".
pub fn p_value(p: f64) -> String {
    if !p.is_finite() {
        "p not computed".to_string()
    } else if p < 0.001 {
        "p < 0.001".to_string()
    } else {
        format!("p = {p:.3}")
    }
}

/// A count with thousands separators: 12,345.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 statement", "3 statements".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// Significance level the verdicts use.
pub const ALPHA: f64 = 0.05;

/// A theme's trend in words: "rises", "falls", "no clear trend", or why it was not tested.
pub fn verdict(t: &ThemeTrend) -> &'static str {
    match t.mann_kendall {
        None => "too few sessions to test",
        Some((tau, _, p)) if p < ALPHA && tau > 0.0 => "rises",
        Some((tau, _, p)) if p < ALPHA && tau < 0.0 => "falls",
        Some(_) => "no clear trend",
    }
}

/// The verdict with its evidence: "rises (Mann-Kendall tau 0.52, p = 0.003)".
pub fn verdict_with_test(t: &ThemeTrend) -> String {
    match t.mann_kendall {
        None => verdict(t).to_string(),
        Some((tau, _, p)) => format!("{} (Mann-Kendall tau {tau:.2}, {})", verdict(t), p_value(p)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_keep_three_significant_digits() {
        for (v, s) in [
            (0.0, "0"),
            (1.0234, "1.02"),
            (0.04731, "0.0473"),
            (0.4731, "0.473"),
            (12.345, "12.3"),
            (123.4, "123"),
            (0.000_000_1, "0.000000"),
            (f64::NAN, "–"),
        ] {
            assert_eq!(rate(v), s, "{v}");
        }
    }

    #[test]
    fn p_values_and_counts_read_naturally() {
        assert_eq!(p_value(0.0004), "p < 0.001");
        assert_eq!(p_value(0.0342), "p = 0.034");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(plural(1, "file", "files"), "1 file");
        assert_eq!(plural(2_000, "file", "files"), "2,000 files");
    }

    #[test]
    fn verdicts_follow_the_test() {
        let t = |mk: Option<(f64, f64, f64)>| ThemeTrend {
            theme: 0,
            sessions: 10,
            mann_kendall: mk,
            slope: None,
        };
        assert_eq!(verdict(&t(Some((0.5, 2.0, 0.01)))), "rises");
        assert_eq!(verdict(&t(Some((-0.5, -2.0, 0.01)))), "falls");
        assert_eq!(verdict(&t(Some((0.5, 2.0, 0.2)))), "no clear trend");
        assert_eq!(verdict(&t(None)), "too few sessions to test");
        assert_eq!(
            verdict_with_test(&t(Some((0.5234, 2.0, 0.0021)))),
            "rises (Mann-Kendall tau 0.52, p = 0.002)"
        );
    }
}
