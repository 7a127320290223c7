//! End-to-end: what a scheduler relies on. Killed runs leave the old output intact, runs never
//! overlap, reruns are incremental yet byte-identical to clean runs, a corrupt cache is never
//! trusted, and every documented exit code is what the binary returns.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// Where to kill a run: a label, extra flags, and the condition to wait for (given the run's pid).
type KillPoint<'a> = (&'a str, &'a [&'a str], Box<dyn Fn(u32) -> bool + 'a>);

/// An input folder with `n` generated statements, big enough that a debug build takes a
/// while, with two OEWG-like themes to hit.
fn generated_input(dir: &Path, n: usize) {
    let input = dir.join("in");
    std::fs::create_dir_all(&input).unwrap();
    let words = [
        "cyber",
        "security",
        "critical",
        "infrastructure",
        "capacity",
        "building",
        "states",
        "norms",
        "responsible",
        "behaviour",
        "international",
        "law",
        "ransomware",
        "mercenaries",
        "confidence",
        "measures",
    ];
    for i in 0..n {
        let mut text = format!("Session {}\n\n", 1 + i % 5);
        for s in 0..400 {
            for w in 0..12 {
                text.push_str(words[(i * 7 + s * 3 + w * 5) % words.len()]);
                text.push(' ');
            }
            text.push_str(&format!("item{}. ", (i + s) % 97));
        }
        std::fs::write(input.join(format!("s{i:04}.txt")), text).unwrap();
    }
    std::fs::write(
        dir.join("themes.toml"),
        "[[theme]]\nname = \"Critical infrastructure\"\npatterns = [\"critical infrastructure\"]\n\
         [[theme]]\nname = \"Capacity building\"\npatterns = [\"capacity building\", \"capacity\"]\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("config.toml"),
        "[input]\ndir = \"in\"\n[output]\nexcel_compatible = false\n[themes]\nfile = \"themes.toml\"\n",
    )
    .unwrap();
}

fn spawn(dir: &Path, args: &[&str]) -> Child {
    bin()
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn topictrends")
}

/// Staging dirs (`.out.staging-<pid>`) beside `out` in `dir`.
fn staging_dirs(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".out.staging-"))
        })
        .collect()
}

/// Polls until `cond` holds or the child exits; true when `cond` held first.
fn wait_for(child: &mut Child, mut cond: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if cond() {
            return true;
        }
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    panic!("timed out waiting for the run");
}

fn run_json(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(out.join("run.json")).unwrap()).unwrap()
}

/// The reading entries in the cache beside `out` (statement records `.rec` and the stems file
/// are not readings).
fn cache_entries(d: &Path) -> Vec<PathBuf> {
    cache_files(d, "bin")
}

fn code(out: &std::process::Output) -> Option<i32> {
    out.status.code()
}

/// A clean run (no cache) of the same input into a folder of its own, for comparison.
fn clean_run(dir: &Path, config: &str) -> std::collections::BTreeMap<String, Vec<u8>> {
    let name = "clean-reference";
    let _ = std::fs::remove_dir_all(dir.join(name));
    assert_ok(&run_in(
        dir,
        &["run", "--config", config, "--output", name, "--no-cache"],
    ));
    snapshot(&dir.join(name))
}

/// Sends `signal` to the child.
#[cfg(unix)]
fn signal(child: &Child, signal: i32) {
    // SAFETY: kill(2) on our own child's pid; no memory is involved.
    let rc = unsafe { libc::kill(child.id() as libc::pid_t, signal) };
    assert_eq!(rc, 0, "kill({}, {signal})", child.id());
}

/// The staging folder of the run with process id `pid`.
fn staging_of(dir: &Path, pid: u32) -> PathBuf {
    dir.join(format!(".out.staging-{pid}"))
}

/// Kills a run at each point and proves the kill landed mid-run: the run is frozen (SIGSTOP)
/// once the point is reached, seen alive with its staging folder there and the old output in
/// place, then SIGKILLed; it must die by that signal, leave its staging behind and the old
/// output untouched. A run that got past the point before it was frozen is tried again; a
/// point never caught mid-run fails the test.
#[cfg(unix)]
#[test]
fn sigkill_at_any_point_leaves_the_old_output_and_the_next_run_succeeds() {
    use std::os::unix::process::ExitStatusExt;
    const ATTEMPTS: usize = 8;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    generated_input(d, 120);
    assert_ok(&run_in(
        d,
        &["run", "--config", "config.toml", "--output", "out"],
    ));
    // Today's input differs, so a half-published output would show.
    std::fs::write(
        d.join("in/new.txt"),
        "Session 9\n\nCapacity building for all.\n",
    )
    .unwrap();
    // The run's own staging: a killed earlier run's is still there until this one removes it.
    let staging_seen = |pid: u32| staging_of(d, pid).is_dir();
    let staging_has_a_file =
        |pid: u32| std::fs::read_dir(staging_of(d, pid)).is_ok_and(|mut r| r.next().is_some());
    // Without a cache every statement is analysed again (the slow path); with it, reading is skipped.
    let points: [KillPoint; 4] = [
        ("staging created", &["--no-cache"], Box::new(staging_seen)),
        (
            "first file written",
            &["--no-cache"],
            Box::new(staging_has_a_file),
        ),
        ("mid-analysis with cache", &[], Box::new(staging_seen)),
        (
            "first file written with cache",
            &[],
            Box::new(staging_has_a_file),
        ),
    ];
    for (label, extra, cond) in points {
        let mut args = vec!["run", "--config", "config.toml", "--output", "out"];
        args.extend_from_slice(extra);
        let mut caught = false;
        for attempt in 1..=ATTEMPTS {
            let before = snapshot(&d.join("out"));
            let mut child = spawn(d, &args);
            let pid = child.id();
            let reached = wait_for(&mut child, || cond(pid));
            if reached {
                signal(&child, libc::SIGSTOP);
            }
            let staging = staging_of(d, child.id());
            let frozen_mid_run = reached
                && child.try_wait().unwrap().is_none()
                && staging.is_dir()
                && snapshot(&d.join("out")) == before;
            signal_or_reap(&mut child);
            let status = child.wait().unwrap();
            if !frozen_mid_run {
                eprintln!(
                    "{label}: attempt {attempt} got past the point before it was frozen \
                     (point reached: {reached}, exit: {status})"
                );
                continue;
            }
            assert_eq!(
                status.signal(),
                Some(libc::SIGKILL),
                "{label}: the run died by the SIGKILL ({status})"
            );
            assert!(staging.is_dir(), "{label}: a killed run leaves its staging");
            assert_eq!(
                snapshot(&d.join("out")),
                before,
                "killed at {label}: the old output must be intact"
            );
            eprintln!("{label}: killed mid-run on attempt {attempt}");
            caught = true;
            break;
        }
        assert!(
            caught,
            "{label}: no kill landed mid-run in {ATTEMPTS} attempts"
        );
    }
    let out = run_in(d, &["run", "--config", "config.toml", "--output", "out"]);
    assert_ok(&out);
    assert!(staging_dirs(d).is_empty(), "leftover staging removed");
    assert_eq!(snapshot(&d.join("out")), clean_run(d, "config.toml"));
}

/// SIGKILLs the child when it is still there (a stopped child dies too).
#[cfg(unix)]
fn signal_or_reap(child: &mut Child) {
    if child.try_wait().unwrap().is_none() {
        signal(child, libc::SIGKILL);
    }
}

#[test]
fn a_second_run_refuses_while_one_holds_the_lock() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    let args = ["run", "--config", "config.toml", "--output", "out"];
    {
        let _held = topictrends::write::lock::RunLock::acquire(&d.join("out")).unwrap();
        let out = run_in(d, &args);
        assert_eq!(code(&out), Some(6));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("lock"), "{err}");
        assert!(!d.join("out/documents.csv").exists());
    }
    assert_ok(&run_in(d, &args));
}

#[test]
fn two_runs_at_once_one_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    generated_input(d, 60);
    let args = [
        "run",
        "--config",
        "config.toml",
        "--output",
        "out",
        "--no-cache",
    ];
    let mut first = spawn(d, &args);
    // Once staging exists the first run holds the lock.
    assert!(wait_for(&mut first, || !staging_dirs(d).is_empty()));
    let second = run_in(d, &args);
    assert_eq!(
        code(&second),
        Some(6),
        "{}",
        String::from_utf8_lossy(&second.stderr)
    );
    assert_eq!(first.wait().unwrap().code(), Some(0));
}

#[test]
fn adding_a_statement_reprocesses_one_and_matches_a_clean_run() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    let args = ["run", "--config", "config.toml", "--output", "out"];
    assert_ok(&run_in(d, &args));
    let first = run_json(&d.join("out"));
    assert_eq!(first["statements"]["read"], 2);
    assert_eq!(first["statements"]["reused_from_cache"], 0);
    assert_eq!(first["cache"]["stems_known"], 0);
    assert!(first["cache"]["stems_new"].as_u64().unwrap() > 0);

    std::fs::write(
        d.join("input/c.txt"),
        "Capacity building against spyware protects critical infrastructure.",
    )
    .unwrap();
    assert_ok(&run_in(d, &args));
    let second = run_json(&d.join("out"));
    assert_eq!(second["statements"]["read"], 1);
    assert_eq!(second["statements"]["reused_from_cache"], 2);
    assert_eq!(second["statements"]["counted"], 3);
    assert_eq!(
        second["cache"]["stems_known"], first["cache"]["stems_new"],
        "the first run's stems are reused"
    );
    assert_eq!(snapshot(&d.join("out")), clean_run(d, "config.toml"));

    // Editing a theme re-matches from the statements' records: nothing is read afresh or
    // tokenized again, and no word seen before is stemmed again.
    std::fs::write(
        d.join("themes.toml"),
        "[[theme]]\nname = \"Spyware\"\npatterns = [\"spyware\", \"critical\"]\n",
    )
    .unwrap();
    assert_ok(&run_in(d, &args));
    let third = run_json(&d.join("out"));
    assert_eq!(third["statements"]["read"], 0);
    assert_eq!(third["statements"]["reused_from_cache"], 3);
    assert_eq!(third["statements"]["counted_from_records"], 3);
    assert_eq!(third["statements"]["analysed"], 0);
    assert_eq!(third["cache"]["stems_new"], 0);
    assert_eq!(snapshot(&d.join("out")), clean_run(d, "config.toml"));

    // A manifest edit applies to cached statements (metadata is resolved on every run).
    let manifest = std::fs::read_to_string(d.join("input/metadata.csv")).unwrap();
    std::fs::write(
        d.join("input/metadata.csv"),
        manifest.replace("a.txt,1,2024-01-10,Alpha", "a.txt,3,2024-09-10,Gamma"),
    )
    .unwrap();
    assert_ok(&run_in(d, &args));
    let fourth = run_json(&d.join("out"));
    assert_eq!(fourth["statements"]["read"], 0);
    let docs = read_csv(&d.join("out/documents.csv"));
    assert_eq!(row(&docs, &[("file", "a.txt")])["speaker"], "Gamma");
    assert_eq!(snapshot(&d.join("out")), clean_run(d, "config.toml"));

    // Changing the stopwords changes every statement's analysis: no stem is reused (the
    // readings, which stopwords cannot change, still are).
    let cfg = std::fs::read_to_string(d.join("config.toml")).unwrap();
    std::fs::write(
        d.join("config.toml"),
        format!("{cfg}[analysis]\nstopwords_add = [\"threaten\"]\n"),
    )
    .unwrap();
    assert_ok(&run_in(d, &args));
    let fifth = run_json(&d.join("out"));
    assert_eq!(fifth["cache"]["stems_known"], 0);
    assert_eq!(fifth["statements"]["read"], 0);
    assert_eq!(snapshot(&d.join("out")), clean_run(d, "config.toml"));

    // Turning normalization off changes the text read: every statement is read again.
    let cfg = std::fs::read_to_string(d.join("config.toml")).unwrap();
    std::fs::write(
        d.join("config.toml"),
        format!("{cfg}normalize = \"none\"\n"),
    )
    .unwrap();
    assert_ok(&run_in(d, &args));
    let sixth = run_json(&d.join("out"));
    assert_eq!(sixth["statements"]["read"], 3);
    assert_eq!(sixth["statements"]["reused_from_cache"], 0);
    assert_eq!(snapshot(&d.join("out")), clean_run(d, "config.toml"));

    // run.json carries what a monitor needs.
    for key in [
        "program", "config", "themes", "started", "finished", "stages", "input", "warnings",
    ] {
        assert!(!sixth[key].is_null(), "run.json lacks {key}");
    }
    for stage in [
        "setup_ms",
        "discover_ms",
        "read_analyze_ms",
        "finish_ms",
        "render_ms",
        "publish_ms",
    ] {
        assert!(sixth["stages"][stage].is_number(), "run.json lacks {stage}");
    }
    let files = sixth["input"]["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    assert_eq!(files[0]["path"], "a.txt");
    assert_eq!(
        files[0]["bytes"],
        std::fs::metadata(d.join("input/a.txt")).unwrap().len()
    );
    assert_eq!(
        files[0]["blake3"],
        blake3::hash(&std::fs::read(d.join("input/a.txt")).unwrap())
            .to_hex()
            .as_str()
    );
    assert_eq!(sixth["exit_code"], 0);
    // After a complete run the cache holds exactly the entries it used.
    assert_eq!(cache_entries(d).len(), 3);
}

#[test]
fn cached_pdf_docx_html_and_markdown_give_the_clean_run_s_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_dir(&repo().join("tests/fixtures/formats"), &d.join("in"));
    std::fs::write(
        d.join("config.toml"),
        "[input]\ndir = \"in\"\n[output]\nexcel_compatible = false\n[themes]\nfile = \"themes.toml\"\n\
         [metadata]\nmanifest = \"\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("themes.toml"),
        "[[theme]]\nname = \"Capacity\"\npatterns = [\"capacity\", \"multi-stakeholder\"]\n",
    )
    .unwrap();
    let args = ["run", "--config", "config.toml", "--output", "out"];
    assert_ok(&run_in(d, &args));
    let first = run_json(&d.join("out"));
    let counted = first["statements"]["counted"].as_u64().unwrap();
    assert!(counted >= 8, "{first}");
    assert_ok(&run_in(d, &args));
    let second = run_json(&d.join("out"));
    assert_eq!(second["statements"]["read"], 0);
    // Failed extractions (corrupt, encrypted, scanned) are cached too.
    assert_eq!(
        second["statements"]["reused_from_cache"],
        first["statements"]["read"]
    );
    assert_eq!(second["skipped"], first["skipped"]);
    assert_eq!(snapshot(&d.join("out")), clean_run(d, "config.toml"));
}

#[test]
fn a_corrupt_cache_entry_is_reported_and_recomputed() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    let args = ["run", "--config", "config.toml", "--output", "out"];
    assert_ok(&run_in(d, &args));
    let reference = snapshot(&d.join("out"));
    let entries = cache_entries(d);
    assert_eq!(entries.len(), 2, "one entry per statement");
    // One entry truncated, the other with a flipped byte in the middle.
    let bytes = std::fs::read(&entries[0]).unwrap();
    std::fs::write(&entries[0], &bytes[..bytes.len() - 7]).unwrap();
    let mut bytes = std::fs::read(&entries[1]).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x55;
    std::fs::write(&entries[1], &bytes).unwrap();

    let out = run_in(d, &args);
    assert_ok(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("corrupt").count(), 2, "{err}");
    let record = run_json(&d.join("out"));
    assert_eq!(record["statements"]["read"], 2);
    assert_eq!(record["cache"]["warnings"].as_array().unwrap().len(), 2);
    assert_eq!(snapshot(&d.join("out")), reference);
    // The recomputed entries are sound again.
    assert_ok(&run_in(d, &args));
    assert_eq!(
        run_json(&d.join("out"))["statements"]["reused_from_cache"],
        2
    );
}

#[test]
fn a_cache_that_cannot_be_used_is_one_warning_and_the_run_goes_on_without_it() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    let args = ["run", "--config", "config.toml", "--output", "out"];
    // A file where the cache folder goes: one warning, not one per statement.
    std::fs::write(d.join(".out.cache"), "not a folder").unwrap();
    let out = run_in(d, &args);
    assert_ok(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches(".out.cache").count(), 1, "{err}");
    assert!(
        err.contains("the cache cannot be used (it exists but is not a folder)"),
        "{err}"
    );
    let record = run_json(&d.join("out"));
    assert_eq!(record["cache"]["enabled"], false);
    assert_eq!(record["cache"]["warnings"].as_array().unwrap().len(), 1);
    assert_eq!(record["statements"]["read"], 2);
    assert_eq!(snapshot(&d.join("out")), clean_run(d, "config.toml"));
    assert_eq!(
        std::fs::read_to_string(d.join(".out.cache")).unwrap(),
        "not a folder",
        "the file is left as it was"
    );
}

#[test]
fn cache_failures_midway_are_summed_up_in_the_log_and_listed_in_run_json() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    for i in 0..8 {
        std::fs::write(
            d.join(format!("input/extra{i}.txt")),
            format!("Statement {i} on capacity building and critical infrastructure."),
        )
        .unwrap();
    }
    // The cache folder is usable, but every entry's subfolder is taken by a file: every load
    // and store fails, as on a disk that fills up during the run.
    let cache = d.join(".out.cache");
    std::fs::create_dir(&cache).unwrap();
    for b in 0..=255u8 {
        std::fs::write(cache.join(format!("{b:02x}")), "").unwrap();
    }
    let out = run_in(d, &["run", "--config", "config.toml", "--output", "out"]);
    assert_ok(&out);
    let err = String::from_utf8_lossy(&out.stderr);
    let record = run_json(&d.join("out"));
    let listed = record["cache"]["warnings"].as_array().unwrap().len();
    assert!(listed > 10, "{listed} cache warnings");
    assert_eq!(err.matches("cache file").count(), 10, "{err}");
    assert!(
        err.contains(&format!(
            "and {} more cache warnings (run.json's `cache.warnings` lists every one)",
            listed - 10
        )),
        "{err}"
    );
    assert_eq!(snapshot(&d.join("out")), clean_run(d, "config.toml"));
}

#[test]
fn strict_with_warnings_exits_7_and_still_publishes() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    std::fs::write(d.join("input/empty.txt"), "").unwrap();
    let out = run_in(
        d,
        &[
            "run",
            "--config",
            "config.toml",
            "--output",
            "out",
            "--strict",
        ],
    );
    assert_eq!(
        code(&out),
        Some(7),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(d.join("out/documents.csv").exists());
    assert_eq!(run_json(&d.join("out"))["exit_code"], 7);
    // Even -q, which hides the warnings, says why the exit is 7.
    let quiet = run_in(
        d,
        &[
            "-q",
            "run",
            "--config",
            "config.toml",
            "--output",
            "out",
            "--strict",
        ],
    );
    assert_eq!(code(&quiet), Some(7));
    assert_eq!(
        String::from_utf8_lossy(&quiet.stderr).trim(),
        "topictrends: error: --strict: there were warnings (listed above unless -q), so the exit code is 7"
    );
    let out = run_in(d, &["run", "--config", "config.toml", "--output", "out"]);
    assert_eq!(code(&out), Some(0), "warnings alone do not fail a run");
}

#[test]
fn sigterm_stops_cleanly_with_130_and_keeps_the_old_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    generated_input(d, 120);
    assert_ok(&run_in(
        d,
        &[
            "run",
            "--config",
            "config.toml",
            "--output",
            "out",
            "--no-cache",
        ],
    ));
    let old = snapshot(&d.join("out"));
    std::fs::write(d.join("in/new.txt"), "Session 9\n\nCapacity.\n").unwrap();
    let mut child = spawn(
        d,
        &[
            "run",
            "--config",
            "config.toml",
            "--output",
            "out",
            "--no-cache",
        ],
    );
    assert!(
        wait_for(&mut child, || !staging_dirs(d).is_empty()),
        "the run ended before it could be signalled"
    );
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(130),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("interrupted"));
    assert!(staging_dirs(d).is_empty(), "staging removed on SIGTERM");
    assert_eq!(snapshot(&d.join("out")), old);
}

#[test]
fn every_documented_exit_code() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    let run = |args: &[&str]| code(&run_in(d, args));
    assert_eq!(
        run(&["run", "--config", "config.toml", "--output", "out"]),
        Some(0)
    );
    assert_eq!(run(&["run", "--no-such-flag"]), Some(2));
    std::fs::write(d.join("bad.toml"), "[themes]\nfile = \"missing.toml\"\n").unwrap();
    assert_eq!(
        run(&["run", "--config", "bad.toml", "--output", "out"]),
        Some(3)
    );
    assert_eq!(
        run(&[
            "run",
            "--config",
            "config.toml",
            "--input",
            "nowhere",
            "--output",
            "out"
        ]),
        Some(4)
    );
    std::fs::write(d.join("a-file"), "not a folder").unwrap();
    assert_eq!(
        run(&["run", "--config", "config.toml", "--output", "a-file/out"]),
        Some(5)
    );
    {
        let _held = topictrends::write::lock::RunLock::acquire(&d.join("out")).unwrap();
        assert_eq!(
            run(&["run", "--config", "config.toml", "--output", "out"]),
            Some(6)
        );
        assert_eq!(
            run(&["clean", "--config", "config.toml", "--output", "out"]),
            Some(6)
        );
    }
    std::fs::write(d.join("input/empty.txt"), "").unwrap();
    assert_eq!(
        run(&[
            "run",
            "--config",
            "config.toml",
            "--output",
            "out",
            "--strict"
        ]),
        Some(7)
    );
    // 130 is covered by sigterm_stops_cleanly_with_130_and_keeps_the_old_output.
}

#[test]
fn clean_removes_the_cache_and_keeps_the_output_unless_asked() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    let args = ["run", "--config", "config.toml", "--output", "out"];
    assert_ok(&run_in(d, &args));
    assert!(d.join(".out.cache").is_dir());
    std::fs::create_dir(d.join(".out.staging-999999999")).unwrap();
    let out = run_in(d, &["clean", "--config", "config.toml", "--output", "out"]);
    assert_ok(&out);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains(".out.cache, 1 staging folder of killed runs") && !said.contains("parked"),
        "{said}"
    );
    assert!(!d.join(".out.cache").exists());
    assert!(
        !d.join(".out.staging-999999999").exists(),
        "a dead run's staging goes"
    );
    assert!(d.join("out/documents.csv").exists(), "the output stays");
    assert_ok(&run_in(d, &args));
    assert_eq!(run_json(&d.join("out"))["statements"]["read"], 2);
    assert_ok(&run_in(
        d,
        &[
            "clean",
            "--config",
            "config.toml",
            "--output",
            "out",
            "--all",
        ],
    ));
    assert!(!d.join("out").exists());
    let out = run_in(d, &["clean", "--config", "config.toml", "--output", "out"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("nothing to clean"));

    // A mistyped path creates nothing; a file is not an output to remove.
    let before = snapshot(d);
    let out = run_in(
        d,
        &[
            "clean",
            "--config",
            "config.toml",
            "--output",
            "typo/deeper/out",
        ],
    );
    assert_ok(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("nothing to clean: typo/deeper does not exist")
    );
    std::fs::write(d.join("afile"), "x").unwrap();
    let out = run_in(
        d,
        &[
            "clean",
            "--config",
            "config.toml",
            "--output",
            "afile",
            "--all",
        ],
    );
    assert_eq!(code(&out), Some(5));
    std::fs::remove_file(d.join("afile")).unwrap();
    assert_eq!(snapshot(d), before);
    assert!(!d.join("typo").exists());
}

#[test]
fn no_cache_neither_reads_nor_writes_the_cache() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    assert_ok(&run_in(
        d,
        &[
            "run",
            "--config",
            "config.toml",
            "--output",
            "out",
            "--no-cache",
        ],
    ));
    assert!(!d.join(".out.cache").exists());
    let record = run_json(&d.join("out"));
    assert_eq!(record["cache"]["enabled"], false);
    assert_eq!(record["statements"]["read"], 2);
}

#[test]
fn check_reports_every_problem_and_exits_as_a_run_would() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    let out = run_in(d, &["check", "--config", "config.toml"]);
    assert_ok(&out);
    std::fs::write(
        d.join("two-problems.toml"),
        "[input]\ndir = \"nowhere\"\n[themes]\nfile = \"no-themes.toml\"\n",
    )
    .unwrap();
    let out = run_in(d, &["check", "--config", "two-problems.toml"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        code(&out),
        Some(3),
        "the dictionary's code comes first: {err}"
    );
    assert!(
        err.contains("no-themes.toml") && err.contains("nowhere"),
        "{err}"
    );
    assert!(err.contains("2 problem(s)"), "{err}");
    let run = run_in(
        d,
        &["run", "--config", "two-problems.toml", "--output", "o"],
    );
    assert_eq!(code(&run), code(&out), "check predicts run's exit code");
    assert!(!d.join("o/documents.csv").exists());
    // An output path that is a file, or where nothing can be made: check says what run would.
    std::fs::write(d.join("afile"), "x").unwrap();
    let mut outputs = vec!["afile"];
    if cfg!(target_os = "linux") {
        outputs.push("/proc/topictrends/out");
    }
    for output in outputs {
        let config = format!("[output]\ndir = {output:?}\n[themes]\nfile = \"themes.toml\"\n");
        std::fs::write(d.join("o.toml"), config).unwrap();
        let out = run_in(d, &["check", "--config", "o.toml"]);
        let run = run_in(d, &["run", "--config", "o.toml", "--no-charts"]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            (code(&out), code(&run)),
            (Some(5), Some(5)),
            "{output}: {err}"
        );
        assert!(err.contains("cannot write output"), "{err}");
    }
    assert_eq!(std::fs::read_to_string(d.join("afile")).unwrap(), "x");

    // Two problems at once: check's code is the one of the problem a run meets first, and
    // check and run name the same problems.
    std::fs::create_dir_all(d.join("foreign")).unwrap();
    std::fs::write(d.join("foreign/notes.txt"), "mine").unwrap();
    std::fs::write(d.join("bad-themes.toml"), "[[theme]]\nname = \"B\"\npatterns = [\"cy*ber\", \"the\"]\n[[theme]]\nname = \"C\"\npatterns = []\n").unwrap();
    std::fs::create_dir_all(d.join("lockdir/.out.lock")).unwrap();
    let setups: [(&str, &str, &[&str]); 5] = [
        (
            "[output]\ndir = \"foreign\"\n[themes]\nfile = \"bad-themes.toml\"\n",
            "5",
            &["did not write"],
        ),
        (
            "[input]\ndir = \"nowhere\"\n[output]\ndir = \"foreign\"\n",
            "5",
            &["did not write"],
        ),
        (
            "[output]\ndir = \"lockdir/out\"\n",
            "5",
            &["a folder where the run's lock file goes"],
        ),
        (
            "[output]\ndir = \"afile/out\"\n",
            "5",
            &["afile is a file, not a folder"],
        ),
        (
            "[input]\ndir = \"nowhere\"\n[themes]\nfile = \"bad-themes.toml\"\n",
            "3",
            &[
                "theme \"C\" has no patterns",
                "pattern \"cy*ber\": '*' is only allowed",
                "pattern \"the\": the pattern has no word left",
            ],
        ),
    ];
    for (config, want, named) in setups {
        std::fs::write(d.join("two.toml"), config).unwrap();
        let check = run_in(d, &["check", "--config", "two.toml"]);
        let run = run_in(d, &["run", "--config", "two.toml", "--no-charts"]);
        let (check_err, run_err) = (
            String::from_utf8_lossy(&check.stderr),
            String::from_utf8_lossy(&run.stderr),
        );
        assert_eq!(
            (code(&check), code(&run)),
            (Some(want.parse().unwrap()), Some(want.parse().unwrap())),
            "{config}\ncheck: {check_err}\nrun: {run_err}"
        );
        for problem in named {
            assert!(check_err.contains(problem), "check: {problem}: {check_err}");
            assert!(run_err.contains(problem), "run: {problem}: {run_err}");
        }
    }
    assert!(!d.join("afile/out").exists() && !d.join("foreign/documents.csv").exists());

    std::fs::write(d.join("input/empty.txt"), "").unwrap();
    assert_eq!(
        code(&run_in(
            d,
            &["check", "--config", "config.toml", "--strict"]
        )),
        Some(7)
    );
}

#[test]
fn huge_statements_stream_uncached_and_cached_runs_render_the_same_files() {
    use topictrends::config::{Overrides, Settings};
    use topictrends::pipeline::{self, Options};
    let dir = workdir_with("handcount");
    let d = dir.path();
    let flags = Overrides {
        output: Some(d.join("out")),
        ..Overrides::default()
    };
    let mut settings = Settings::resolve(Some(&d.join("config.toml")), &flags).unwrap();
    // b.txt (104 bytes) is "huge"; a.txt (83 bytes) is not.
    settings.chunking.threshold = 100;
    settings.chunking.chunk_bytes = 16;
    let cache = topictrends::read::cache::Cache::for_settings(&settings).unwrap();
    let dict = pipeline::load_dictionary(&settings).unwrap();
    let with_cache = Options {
        cache: Some(&cache),
        ..Options::default()
    };
    let (first, s1) = pipeline::run_analysis(&settings, &dict, &with_cache).unwrap();
    assert_eq!((s1.read, s1.reused, s1.streamed), (1, 0, 1));
    assert_eq!(s1.cache_keys.len(), 1, "only a.txt has an entry");
    assert_eq!(s1.inputs.len(), 2);
    assert!(s1.inputs.iter().all(|i| i.blake3.is_some()));
    let (second, s2) = pipeline::run_analysis(&settings, &dict, &with_cache).unwrap();
    assert_eq!((s2.read, s2.reused, s2.streamed), (0, 1, 1));
    let (fresh, _) = pipeline::run_analysis(&settings, &dict, &Options::default()).unwrap();
    let render = |a: &topictrends::count::analysis::Analysis| {
        let (files, _) =
            topictrends::write::outputs::render(a, &settings, &std::env::temp_dir()).unwrap();
        files
            .into_iter()
            .map(|f| (f.path, f.bytes))
            .collect::<std::collections::BTreeMap<_, _>>()
    };
    let reference = render(&fresh);
    assert_eq!(render(&first), reference);
    assert_eq!(render(&second), reference);
}

#[test]
fn a_stop_request_ends_the_analysis_with_interrupted() {
    use std::sync::atomic::AtomicBool;
    use topictrends::config::{Overrides, Settings};
    use topictrends::pipeline::{self, Options};
    let dir = workdir_with("handcount");
    let d = dir.path();
    let settings = Settings::resolve(Some(&d.join("config.toml")), &Overrides::default()).unwrap();
    let dict = pipeline::load_dictionary(&settings).unwrap();
    let stop = AtomicBool::new(true);
    let options = Options {
        stop: Some(&stop),
        ..Options::default()
    };
    let err = pipeline::run_analysis(&settings, &dict, &options).unwrap_err();
    assert_eq!(err.exit_code(), 130);
}

/// Asserts the log `err` of `command` names every one of `problems`.
fn assert_names_each(err: &str, problems: &[&str], command: &str) {
    for problem in problems {
        assert!(err.contains(problem), "{command}: {problem}: {err}");
    }
}

#[test]
fn check_names_every_bad_theme_and_pattern_in_one_pass() {
    let dir = workdir_with("handcount");
    let d = dir.path();
    std::fs::write(
        d.join("themes.toml"),
        "[[theme]]\nname = \"A\"\npatterns = [\"the\"]\n[[theme]]\nname = \"B\"\npatterns = [\"cy*ber\"]\n\
         [[theme]]\nname = \"C\"\npatterns = []\n[[theme]]\nname = \"c\"\npatterns = [\"xylophone\"]\n",
    )
    .unwrap();
    let out = run_in(d, &["check", "--config", "config.toml"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(code(&out), Some(3), "{err}");
    assert_names_each(
        &err,
        &[
            "themes.toml: theme \"C\" has no patterns",
            "themes.toml: theme \"c\" is defined twice (also as \"C\"",
            "themes.toml: theme \"A\", pattern \"the\": the pattern has no word left",
            "themes.toml: theme \"B\", pattern \"cy*ber\": '*' is only allowed at the end",
        ],
        "check",
    );
    // One error line each, and the count.
    let error_lines = err
        .lines()
        .filter(|l| l.starts_with("topictrends: error: "));
    assert_eq!(error_lines.count(), 5, "{err}");
    assert!(err.contains("4 problem(s) found"), "{err}");
    // A pattern of kwic's own is named as a pattern, of no theme.
    let out = run_in(d, &["kwic", "the", "--config", "config.toml"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("kwic pattern: pattern \"the\": "), "{err}");
    assert!(!err.contains("theme \"kwic\""), "{err}");

    // Every language's bad patterns, and the default language's patterns written twice, at once.
    std::fs::write(
        d.join("themes.toml"),
        "[[theme]]\nname = \"A\"\npatterns = [\"x\"]\n[[theme]]\nname = \"B\"\npatterns_es = [\"z\"]\n\
         [[theme]]\nname = \"C\"\npatterns_zh = [\"的\"]\n[[theme]]\nname = \"D\"\npatterns = [\"cyber\"]\n\
         patterns_en = [\"y\"]\n[[theme]]\nname = \"E\"\npatterns = [\"cyber\"]\npatterns_en = [\"w\"]\n",
    )
    .unwrap();
    for args in [
        &["check", "--config", "config.toml"][..],
        &["run", "--config", "config.toml"],
    ] {
        let out = run_in(d, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(code(&out), Some(3), "{err}");
        assert_names_each(
            &err,
            &[
                "theme \"D\": patterns_en repeats the default language",
                "theme \"E\": patterns_en repeats the default language",
                "theme \"A\", pattern \"x\": the pattern has no word left",
                "theme \"B\", pattern \"z\": the pattern has no word left after analysis (only stopwords, numbers or one-letter words?) (patterns_es)",
                "theme \"C\", pattern \"的\": the pattern has no word left after analysis (only stopwords, numbers or one-letter words?) (patterns_zh)",
            ],
            args[0],
        );
    }
}
