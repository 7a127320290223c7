//! Memory bounds: a statement with a million theme hits runs in a child process whose address space is capped.
//!
//! The hit records go to spill files as the statement is counted and the hit tables stream
//! from them, so the run needs memory for one piece of the statement, not for its hits.
//! Before that, this statement took over a gigabyte; the cap below is 400 MB of address
//! space (not resident memory: thread stacks and allocator arenas count in full), set with
//! `ulimit -v` in the shell that starts the child.

#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::Command;

const HITS_PER_LINE: usize = 2;
const LINES: usize = 500_000;
const CAP_MB: usize = 400;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_million_hits_run_under_an_address_space_cap() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    std::fs::create_dir(&input).unwrap();
    // "mercenar*" (Cyber mercenaries) and "critical infrastructure" hit once each per line.
    let line = "Mercenaries threaten critical infrastructure, said the delegate. ";
    let mut text = String::from("Statement of a hostile delegation\n\n");
    text.reserve(line.len() * LINES);
    for _ in 0..LINES {
        text.push_str(line);
    }
    std::fs::write(input.join("2024-03-06_hostile.txt"), &text).unwrap();
    drop(text);
    let output = dir.path().join("output");
    let script = format!(
        "ulimit -v {}; exec \"$0\" -q run --no-cache --no-charts --config \"$1\" --input \"$2\" --output \"$3\"",
        CAP_MB * 1024
    );
    let run = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .arg(env!("CARGO_BIN_EXE_topictrends"))
        .arg(repo().join("config/topictrends.toml"))
        .arg(&input)
        .arg(&output)
        // Two workers and two malloc arenas: the address space a 2-core machine would use.
        .env("RAYON_NUM_THREADS", "2")
        .env("MALLOC_ARENA_MAX", "2")
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "run under a {CAP_MB} MB cap failed ({:?}): {}",
        run.status,
        String::from_utf8_lossy(&run.stderr)
    );
    let rows = |file: &str| {
        let bytes = std::fs::read(output.join(file)).unwrap();
        let mut r = csv::Reader::from_reader(&bytes[..]);
        r.records().count()
    };
    assert_eq!(rows("theme_matches.csv"), HITS_PER_LINE * LINES);
    assert_eq!(rows("theme_contexts.csv"), HITS_PER_LINE * LINES);
    let scores = std::fs::read_to_string(output.join("theme_scores.csv")).unwrap();
    assert!(
        scores
            .lines()
            .any(|l| l.contains("Cyber mercenaries") && l.contains(",500000,")),
        "{scores}"
    );
}
