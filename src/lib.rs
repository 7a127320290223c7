//! topictrends: dated statements in, per-session term frequencies, theme scores and charts out.
//!
//! One folder per stage, listed in the order they import each other (a stage uses only the
//! stages above it; `tests/layout.rs` checks it, and that no modules import each other in a loop):
//!
//! 1. [`config`]: settings resolved once from defaults, the TOML file and flags; every option
//!    type; where the output folder's siblings (staging, lock, cache) live; the starter project
//!    `init` writes (`config::starter`, embedded from `config/` and `input/`).
//! 2. [`decode`]: bytes to text: encodings, cleaning, front matter, and the PDF, DOCX, HTML and
//!    Markdown readers (`decode::extract`). Parsers only: no file is opened here.
//! 3. [`metadata`]: text to fields: the header region (`metadata::header`), the file-name
//!    pattern, the manifest, which source wins, and the group (session) of each statement.
//! 4. [`read`]: the input edge: list the folder, set duplicates aside, read each statement with
//!    the parsers above (or its cached reading), stream the huge ones.
//! 5. [`analyze`]: the analysis chain (tokenize, lowercase, stopwords, stem), shared by text and
//!    patterns.
//! 6. [`themes`]: the theme dictionary and the matcher it compiles into.
//! 7. [`count`]: per-statement accumulation (terms, hits, contexts, n-grams) in per-thread
//!    integer counts, the merge, and the finished [`count::results::Results`].
//! 8. [`report`]: every table as typed rows: scores, frequencies, wide tables, evidence
//!    (keyness, tf-idf, collocations, intervals, trend tests), reference tables, the catalog.
//! 9. [`write`](mod@write): bytes and files: CSV, the workbook, charts, the run record; the lock and the
//!    atomic publication of the output folder.
//! 10. [`pipeline`]: the conductor: loads what a run needs and sends each statement through
//!     read, metadata and count in parallel, then finishes.
//! 11. [`cmd`]: one module per subcommand (`run`, `check`, `clean`, `extract`, `kwic`, `init`,
//!     `completions`, `man`).
//!
//! Beside the stages: [`stats`] (pure statistics), [`cli`], [`clock`] (UTC timestamps),
//! [`error`], [`diagnostic`], [`log`], [`interrupt`] and [`version`] (which build this is, from
//! `build.rs`). A statement's data flows read -> decode -> metadata -> analyze -> themes ->
//! count -> report -> write; `read` comes after `decode` and `metadata` in the list because it
//! is the stage that calls them.

pub mod analyze;
pub mod cli;
pub mod clock;
pub mod cmd;
pub mod config;
pub mod count;
pub mod decode;
pub mod diagnostic;
pub mod error;
pub mod interrupt;
pub mod log;
pub mod metadata;
pub mod pipeline;
pub mod read;
pub mod report;
pub mod stats;
pub mod themes;
pub mod version;
pub mod write;

/// Support for unit tests that read `../shared` beside the repository.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::PathBuf;

    /// Set (as `.ci/run` does) to make a missing `../shared` a test failure instead of a skip.
    pub(crate) const REQUIRE_SHARED: &str = "TOPICTRENDS_REQUIRE_SHARED";

    /// `../shared/<rel>` when it exists. Otherwise the test `what` skips, saying so in one
    /// line, or fails when [`REQUIRE_SHARED`] is set.
    pub(crate) fn shared_or_skip(what: &str, rel: &str) -> Option<PathBuf> {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../shared")
            .join(rel);
        if path.exists() {
            return Some(path);
        }
        assert!(
            std::env::var_os(REQUIRE_SHARED).is_none(),
            "{what}: {} is absent but {REQUIRE_SHARED} is set (as .ci/run does)",
            path.display()
        );
        eprintln!(
            "skipping {what}: {} is absent (clone the shared folder beside the repository to run it)",
            path.display()
        );
        None
    }

    /// A path that is never there: a skip without the variable, a failure with it (as in CI).
    #[test]
    fn a_missing_shared_path_skips_or_fails_as_required() {
        let missing = || shared_or_skip("this check", "no/such/folder");
        if std::env::var_os(REQUIRE_SHARED).is_some() {
            assert!(std::panic::catch_unwind(missing).is_err());
        } else {
            assert_eq!(missing(), None);
        }
    }
}
