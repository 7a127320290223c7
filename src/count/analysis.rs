//! What a run produced before anything is written: the results, what was skipped and why, and how the run went.

use std::time::Duration;

use crate::count::results::Results;
use crate::diagnostic::Warning;
use crate::read::cache::Digest;
use crate::read::discover::Skipped;
use crate::read::statement::InputRecord;

/// What a run produced before anything is written.
#[derive(Debug)]
pub struct Analysis {
    pub results: std::sync::Arc<Results>,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Warning>,
    /// Two- and three-word sequences for collocations.csv (empty when `[evidence] collocations` is off).
    pub collocations: crate::count::ngram::Collocations,
}

/// What happened to the statements and how long each stage took, for the run record.
#[derive(Debug, Clone, Default)]
pub struct RunStats {
    /// Files read from scratch (decoded, extracted, cleaned, header parsed).
    pub read: u64,
    /// Files whose cached reading was used.
    pub reused: u64,
    /// Huge files read in pieces (never cached).
    pub streamed: u64,
    /// Counted statements whose reading came from the cache (the others were read by this
    /// run): with the skipped files, what makes the summary add up.
    pub counted_from_cache: u64,
    /// Statements counted from their stored records, not analysed again.
    pub records_reused: u64,
    /// Every input file, by path.
    pub inputs: Vec<InputRecord>,
    /// Cache problems (corrupt entries, unwritable cache): reported, recovered, not data warnings.
    pub cache_warnings: Vec<Warning>,
    /// Reading entries this run used, sorted (what a prune keeps).
    pub cache_keys: Vec<Digest>,
    /// Statement records this run used or stored, sorted (a prune keeps them too).
    pub record_keys: Vec<Digest>,
    /// Words whose stems came from the cache, and words stemmed by this run.
    pub stems_known: usize,
    pub stems_new: usize,
    /// Loading dictionary, manifest and stems, listing the input, finding duplicates.
    pub discover: Duration,
    /// Reading (or reusing) and counting every statement.
    pub read_analyze: Duration,
    /// Merging, collocations and ordering the results.
    pub finish: Duration,
}
