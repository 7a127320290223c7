//! Time on the x axis: where dated sessions fall, when their spacing calls for a true date axis,
//! and calendar ticks (years or months) whose labels never overlap.

use crate::metadata::date::Date;

pub(crate) use crate::metadata::date::days_from_civil;

/// Where a session sits in time: its first statement's date, else the middle of its year
/// (`start` is an ISO date or a bare year); `None` when neither is known.
pub(crate) fn session_day(first_date: Option<Date>, start: &str) -> Option<i64> {
    if let Some(d) = first_date {
        return Some(days_from_civil(d.year, d.month.into(), d.day.into()));
    }
    let year: i32 = start.trim().parse().ok()?;
    (1..=9999)
        .contains(&year)
        .then(|| days_from_civil(year, 7, 2))
}

/// How much longer than the shortest gap between neighbouring sessions the longest may be
/// before the spacing counts as uneven (and a category axis would hide it).
const UNEVEN: f64 = 1.5;

/// A gap this many times the median gap breaks the line: no data is drawn across it.
const BREAK: f64 = 3.0;

/// The days of the dated sessions when a true time axis shows something a category axis hides:
/// every session has a day, they span some time, and either there are more than `dense` of them
/// or their spacing is uneven. `None` keeps the evenly spaced category axis.
pub(crate) fn time_positions(days: &[Option<i64>], dense: usize) -> Option<Vec<f64>> {
    let days: Vec<f64> = days
        .iter()
        .map(|d| d.map(|d| d as f64))
        .collect::<Option<_>>()?;
    if days.len() < 2 || days.windows(2).any(|w| w[1] < w[0]) || days[days.len() - 1] <= days[0] {
        return None;
    }
    let gaps: Vec<f64> = days.windows(2).map(|w| w[1] - w[0]).collect();
    let shortest = gaps.iter().copied().fold(f64::INFINITY, f64::min);
    let longest = gaps.iter().copied().fold(0.0, f64::max);
    let uneven = longest > UNEVEN * shortest;
    (days.len() > dense || uneven).then_some(days)
}

/// Indices after which the line breaks: gaps more than three times the median gap.
pub(crate) fn breaks(days: &[f64]) -> Vec<usize> {
    let mut gaps: Vec<f64> = days.windows(2).map(|w| w[1] - w[0]).collect();
    if gaps.is_empty() {
        return Vec::new();
    }
    let raw = gaps.clone();
    gaps.sort_by(f64::total_cmp);
    let median = gaps[gaps.len() / 2];
    raw.iter()
        .enumerate()
        .filter(|(_, g)| median > 0.0 && **g > BREAK * median)
        .map(|(i, _)| i)
        .collect()
}

/// The time span a panel shows: the sessions' days with half an average gap of room on each side.
pub(crate) fn domain(days: &[f64]) -> (f64, f64) {
    let (first, last) = match (days.first(), days.last()) {
        (Some(&a), Some(&b)) => (a, b),
        _ => return (0.0, 1.0),
    };
    let span = last - first;
    if span <= 0.0 {
        return (first - 183.0, first + 183.0);
    }
    let pad = span / (2.0 * (days.len() - 1) as f64);
    (first - pad, last + pad)
}

/// One calendar tick: its position in days and its label.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CalendarTick {
    pub day: f64,
    pub label: String,
}

/// A tick spacing: every `n` years or every `n` months.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Every {
    Months(u32),
    Years(i32),
}

/// Finest first; the first spacing whose labels fit is used.
const SPACINGS: [Every; 17] = [
    Every::Months(1),
    Every::Months(2),
    Every::Months(3),
    Every::Months(6),
    Every::Years(1),
    Every::Years(2),
    Every::Years(5),
    Every::Years(10),
    Every::Years(20),
    Every::Years(25),
    Every::Years(50),
    Every::Years(100),
    Every::Years(200),
    Every::Years(250),
    Every::Years(500),
    Every::Years(1000),
    Every::Years(2000),
];

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Year, month (1-12) of a day count.
fn year_month(day: f64) -> (i32, u32) {
    // Whole days from the epoch; the fraction never matters for a month.
    let (year, month, _) = crate::clock::civil_from_days(day.floor() as i64);
    (year as i32, month)
}

/// Ticks of one spacing inside `[lo, hi]`: the first of each month or year that is a multiple of it.
fn ticks_every(every: Every, lo: f64, hi: f64) -> Vec<CalendarTick> {
    let (mut year, mut month) = year_month(lo);
    let mut out = Vec::new();
    match every {
        Every::Months(n) => {
            // Months counted from January, so quarters start in Jan, Apr, Jul and Oct.
            loop {
                let day = days_from_civil(year, month, 1) as f64;
                if day > hi {
                    break;
                }
                if day >= lo && (month - 1) % n == 0 {
                    out.push(CalendarTick {
                        day,
                        label: format!("{} {year}", MONTHS[month as usize - 1]),
                    });
                }
                month += 1;
                if month > 12 {
                    month = 1;
                    year += 1;
                }
            }
        }
        Every::Years(n) => {
            year = year.div_euclid(n) * n;
            loop {
                let day = days_from_civil(year, 1, 1) as f64;
                if day > hi {
                    break;
                }
                if day >= lo {
                    out.push(CalendarTick {
                        day,
                        label: year.to_string(),
                    });
                }
                year += n;
            }
        }
    }
    out
}

/// A placed tick label: centre x in pixels, label and its width.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PlacedTick {
    pub x: f64,
    pub label: String,
    pub width: i32,
}

/// Calendar ticks for a plot from `left` to `right` pixels showing days `lo..hi`: the finest
/// spacing whose labels (measured by `width_of`) keep at least `gap` pixels between them and
/// stay inside `[left - overhang, right + overhang]`. When even one tick per two thousand years
/// does not fit, or no calendar tick falls inside, the first and last days are labelled alone.
pub(crate) fn plan_calendar(
    (lo, hi): (f64, f64),
    (left, right): (f64, f64),
    width_of: &dyn Fn(&str) -> i32,
    gap: f64,
    overhang: f64,
) -> Vec<PlacedTick> {
    let x_of = |day: f64| left + (day - lo) / (hi - lo) * (right - left);
    let place = |ticks: Vec<CalendarTick>| -> Vec<PlacedTick> {
        ticks
            .into_iter()
            .map(|t| PlacedTick {
                x: x_of(t.day),
                width: width_of(&t.label),
                label: t.label,
            })
            .collect()
    };
    for every in SPACINGS {
        let placed = place(ticks_every(every, lo, hi));
        if placed.len() < 2 {
            continue;
        }
        if fits(&placed, gap, left - overhang, right + overhang) {
            return placed;
        }
    }
    // A span shorter than two months, or too narrow a plot: name the ends.
    let ends = |day: f64| {
        let (y, m) = year_month(day);
        CalendarTick {
            day,
            label: format!("{} {y}", MONTHS[m as usize - 1]),
        }
    };
    let mid_lo = lo + (hi - lo) * 0.1;
    let mid_hi = hi - (hi - lo) * 0.1;
    let both = place(vec![ends(mid_lo), ends(mid_hi)]);
    if fits(&both, gap, left - overhang, right + overhang) {
        both
    } else {
        place(vec![ends((lo + hi) / 2.0)])
    }
}

/// Whether centred labels keep `gap` pixels apart and stay within `[min, max]`.
pub(crate) fn fits(ticks: &[PlacedTick], gap: f64, min: f64, max: f64) -> bool {
    let half = |t: &PlacedTick| f64::from(t.width) / 2.0;
    ticks
        .iter()
        .all(|t| t.x - half(t) >= min && t.x + half(t) <= max)
        && ticks
            .windows(2)
            .all(|w| w[0].x + half(&w[0]) + gap <= w[1].x - half(&w[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_count_from_the_epoch() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(1790, 1, 1), -65_743);
        for day in [-80_000i64, -1, 0, 59, 11_016, 20_000] {
            let (y, m) = year_month(day as f64);
            assert!(days_from_civil(y, m, 1) <= day, "{day}");
            let next = if m == 12 {
                days_from_civil(y + 1, 1, 1)
            } else {
                days_from_civil(y, m + 1, 1)
            };
            assert!(day < next, "{day}");
        }
    }

    #[test]
    fn a_session_sits_at_its_date_or_the_middle_of_its_year() {
        let d = Date::new(2023, 7, 26).unwrap();
        assert_eq!(
            session_day(Some(d), "2023-07-26"),
            Some(days_from_civil(2023, 7, 26))
        );
        assert_eq!(session_day(None, "1990"), Some(days_from_civil(1990, 7, 2)));
        assert_eq!(session_day(None, ""), None);
        assert_eq!(session_day(None, "Session 5"), None);
    }

    #[test]
    fn even_spacing_keeps_categories_and_uneven_or_many_sessions_get_time() {
        let year = |y: i32| Some(days_from_civil(y, 7, 2));
        let even: Vec<Option<i64>> = (1990..2005).map(year).collect();
        assert_eq!(time_positions(&even, 40), None, "15 consecutive years");
        let mut gap = even.clone();
        gap.drain(5..10);
        assert!(time_positions(&gap, 40).is_some(), "a five-year gap shows");
        let many: Vec<Option<i64>> = (1790..2019).map(year).collect();
        assert_eq!(time_positions(&many, 40).map(|d| d.len()), Some(229));
        let mut unknown = even.clone();
        unknown[3] = None;
        assert_eq!(
            time_positions(&unknown, 1),
            None,
            "every session needs a day"
        );
        assert_eq!(
            time_positions(&[year(2000)], 0),
            None,
            "one session is no axis"
        );
    }

    #[test]
    fn long_gaps_break_the_line() {
        let days: Vec<f64> = [0.0, 365.0, 730.0, 4380.0, 4745.0].to_vec();
        assert_eq!(breaks(&days), vec![2]);
        assert!(breaks(&[0.0, 1.0, 2.0]).is_empty());
    }

    #[test]
    fn ticks_fall_on_calendar_boundaries() {
        let lo = days_from_civil(1995, 5, 1) as f64;
        let hi = days_from_civil(2031, 2, 1) as f64;
        let ticks = ticks_every(Every::Years(10), lo, hi);
        let labels: Vec<&str> = ticks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["2000", "2010", "2020", "2030"]);
        let q = ticks_every(
            Every::Months(3),
            days_from_civil(2001, 2, 10) as f64,
            days_from_civil(2001, 12, 31) as f64,
        );
        let labels: Vec<&str> = q.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels, ["Apr 2001", "Jul 2001", "Oct 2001"]);
    }

    #[test]
    fn the_finest_spacing_that_fits_is_chosen_and_never_overlaps() {
        let width = |s: &str| s.len() as i32 * 8;
        for (years, plot) in [
            (229, 1200.0),
            (15, 1200.0),
            (229, 300.0),
            (3, 900.0),
            (1, 900.0),
        ] {
            let lo = days_from_civil(1790, 1, 1) as f64;
            let hi = days_from_civil(1790 + years, 1, 1) as f64;
            let ticks = plan_calendar((lo, hi), (100.0, 100.0 + plot), &width, 12.0, 20.0);
            assert!(!ticks.is_empty(), "{years} years");
            assert!(
                fits(&ticks, 12.0, 80.0, 120.0 + plot),
                "{years} years: {ticks:?}"
            );
            if years == 15 {
                assert_eq!(ticks.len(), 16, "every year fits, both ends included");
            }
            if years == 229 && plot > 1000.0 {
                assert!((5..=25).contains(&ticks.len()), "{ticks:?}");
            }
        }
    }
}
