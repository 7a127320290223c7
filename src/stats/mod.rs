//! Pure statistics for evidence and discovery: keyness, collocation strength, trend tests, bootstrap intervals.
//!
//! Plain numbers in, plain numbers out: no I/O, no global state, no randomness beyond a seeded in-crate
//! PRNG, so every value is reproducible bit for bit. Every function is total: degenerate input (empty
//! corpora, too-short series) yields a documented finite value or `None`, never NaN or a panic.

mod bootstrap;
mod contingency;
mod distribution;
mod multiple;
mod trend;

pub use bootstrap::{DocCounts, RateInterval, SplitMix64, bootstrap_rate_ci, rate_per_1000};
pub use contingency::{Keyness, Table2x2, bigram_g2, keyness, trigram_g2};
pub use distribution::{chi2_sf_1df, erfc, normal_sf, normal_two_sided_p};
pub use multiple::benjamini_hochberg;
pub use trend::{
    MANN_KENDALL_MIN_POINTS, MannKendall, mann_kendall, theil_sen_slope, theil_sen_slope_at,
};
