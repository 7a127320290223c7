//! End-to-end: topictrends as an installed command. The binary, copied out of the build tree,
//! initialises and runs a project outside the source tree; `init` never overwrites; `--version`
//! names the build; completions and the man page cover every subcommand and flag; the README's
//! exit codes, supervisor guidance and container recipe agree with the program.
//!
//! `cargo install` itself is not run here: a nested cargo would wait on the build-directory
//! lock the running `cargo test` holds, and a separate target directory means a full rebuild.
//! Copying the built binary to a temporary folder and running it from there with a working
//! directory outside the repository checks the same thing (nothing is read from the source
//! tree); `.ci/run` runs the real `cargo install --locked --path .` once.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use clap::{CommandFactory, ValueEnum};
use clap_complete::Shell;
use common::*;
use topictrends::cli::Cli;
use topictrends::error::exit;

/// A temporary "installation": the binary copied into `<tmp>/bin`, and a working folder
/// `<tmp>/work`, both outside the repository.
struct Installed {
    root: tempfile::TempDir,
}

impl Installed {
    fn new() -> Installed {
        let root = tempfile::tempdir().expect("tempdir");
        let repo = repo().canonicalize().unwrap();
        assert!(
            !root.path().canonicalize().unwrap().starts_with(&repo),
            "the temporary folder must lie outside the repository"
        );
        std::fs::create_dir_all(root.path().join("bin")).unwrap();
        std::fs::create_dir_all(root.path().join("work")).unwrap();
        std::fs::copy(env!("CARGO_BIN_EXE_topictrends"), Self::exe_in(root.path())).unwrap();
        Installed { root }
    }

    fn exe_in(root: &Path) -> PathBuf {
        root.join("bin").join("topictrends")
    }

    fn work(&self) -> PathBuf {
        self.root.path().join("work")
    }

    /// Runs the installed binary in `dir` (relative to the work folder).
    ///
    /// A test running beside this one may fork while the copy of the binary is still open for
    /// writing; until that child execs, the kernel refuses to run the copy ("text file busy").
    /// That window is short, so the run is retried for a while.
    fn run(&self, dir: &str, args: &[&str]) -> Output {
        let mut tries = 0;
        loop {
            let result = Command::new(Self::exe_in(self.root.path()))
                .current_dir(self.work().join(dir))
                .args(args)
                .env_remove("RUST_LOG")
                .output();
            match result {
                Err(e) if e.kind() == std::io::ErrorKind::ExecutableFileBusy && tries < 100 => {
                    tries += 1;
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => return other.expect("run the installed topictrends"),
            }
        }
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("UTF-8 on stdout")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn init_then_run_outside_the_source_tree() {
    let inst = Installed::new();
    // With the example statements, a run works at once.
    let out = inst.run(".", &["init", "--example", "demo"]);
    assert_ok(&out);
    assert!(
        stderr(&out).contains("cd demo && topictrends run"),
        "{}",
        stderr(&out)
    );
    let out = inst.run("demo", &["run"]);
    assert_ok(&out);
    let output = inst.work().join("demo/output");
    for file in [
        "run.json",
        "documents.csv",
        "theme_scores.csv",
        "topictrends.xlsx",
    ] {
        assert!(output.join(file).is_file(), "{file} written");
    }
    assert!(output.join("charts").is_dir(), "charts written");
    let scores = read_csv(&output.join("theme_scores.csv"));
    let themes: BTreeSet<&str> = scores.iter().map(|r| r["theme"].as_str()).collect();
    assert!(
        themes.contains("Cyber mercenaries") && themes.len() == 6,
        "the starter dictionary's themes: {themes:?}"
    );
    assert!(
        scores.iter().any(|r| r["hits"] != "0"),
        "the example statements hit themes"
    );
    // run.json names nothing inside the repository.
    let record = std::fs::read_to_string(output.join("run.json")).unwrap();
    let repo = repo().canonicalize().unwrap();
    assert!(
        !record.contains(repo.to_str().unwrap()),
        "run.json refers to the source tree:\n{record}"
    );

    // Without examples: an empty input folder with a manifest header; adding a statement
    // and its manifest row makes a working project.
    let init = inst.run(".", &["init", "plain"]);
    assert_ok(&init);
    assert!(
        stderr(&init).contains("next: put statements in plain/input/ (a row each in plain/input/metadata.csv, or dates in their headers), then cd plain && topictrends run"),
        "{}",
        stderr(&init)
    );
    let plain = inst.work().join("plain");
    let manifest = std::fs::read_to_string(plain.join("input/metadata.csv")).unwrap();
    assert_eq!(manifest, "file,session,date,speaker,forum\n");
    let listed: Vec<_> = std::fs::read_dir(plain.join("input")).unwrap().collect();
    assert_eq!(listed.len(), 1, "input/ holds only the manifest");
    let empty = inst.run("plain", &["run"]);
    assert_eq!(
        empty.status.code(),
        Some(exit::NO_INPUT),
        "no statements yet: {}",
        stderr(&empty)
    );
    assert!(
        !stderr(&empty).contains("metadata.csv"),
        "the manifest is not a statement: {}",
        stderr(&empty)
    );
    // In the folder itself: no `cd` to suggest.
    std::fs::create_dir(inst.work().join("here")).unwrap();
    let init = inst.run("here", &["init"]);
    assert_ok(&init);
    assert!(
        stderr(&init).contains("next: put statements in input/ (a row each in input/metadata.csv, or dates in their headers), then topictrends run"),
        "{}",
        stderr(&init)
    );
    std::fs::write(
        plain.join("input/statement.txt"),
        "Cyber mercenaries and spyware threaten critical infrastructure; capacity building helps.",
    )
    .unwrap();
    std::fs::write(
        plain.join("input/metadata.csv"),
        format!("{manifest}statement.txt,3,2022-03-28,Someone,OEWG\n"),
    )
    .unwrap();
    assert_ok(&inst.run("plain", &["run"]));
    let docs = read_csv(&plain.join("output/documents.csv"));
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["date"], "2022-03-28");
    let scores = read_csv(&plain.join("output/theme_scores.csv"));
    let hits = &row(&scores, &[("theme", "Cyber mercenaries")])["hits"];
    assert_eq!(hits, "2", "mercenaries + spyware");
}

#[test]
fn without_a_config_file_the_defaults_apply_and_say_so() {
    let inst = Installed::new();
    let input = inst.work().join("input");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::write(input.join("a.txt"), "Capacity building and capacity again.").unwrap();
    let out = inst.run(".", &["run"]);
    assert_ok(&out);
    assert!(
        stderr(&out).contains("no config file") && stderr(&out).contains("topictrends init"),
        "{}",
        stderr(&out)
    );
    // As before: built-in defaults, no theme dictionary.
    let scores = read_csv(&inst.work().join("output/theme_scores.csv"));
    assert!(
        scores.is_empty(),
        "no dictionary, no theme rows: {scores:?}"
    );
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(inst.work().join("output/run.json")).unwrap())
            .unwrap();
    assert!(record["config"].is_null() && record["themes"].is_null());
}

#[test]
fn init_refuses_to_overwrite_and_leaves_everything_as_it_was() {
    let inst = Installed::new();
    assert_ok(&inst.run(".", &["init", "p"]));
    let p = inst.work().join("p");
    std::fs::write(p.join("config/themes.toml"), "# my own dictionary\n").unwrap();
    std::fs::remove_file(p.join("config/topictrends.toml")).unwrap();
    let before = snapshot(&p);

    let out = inst.run(".", &["init", "p"]);
    assert_eq!(
        out.status.code(),
        Some(exit::CANNOT_WRITE),
        "{}",
        stderr(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains("themes.toml")
            && err.contains("metadata.csv")
            && err.contains("wrote nothing"),
        "names every existing file: {err}"
    );
    assert!(
        !err.contains("topictrends.toml"),
        "the missing file is not named: {err}"
    );
    assert_eq!(snapshot(&p), before, "nothing written, nothing changed");
    assert!(!p.join("config/topictrends.toml").exists());

    // An example statement already there blocks `--example` as well.
    let q = inst.work().join("q");
    std::fs::create_dir_all(q.join("input")).unwrap();
    std::fs::write(
        q.join("input/2023-07-26_oewg-session-5_paris-peace-forum.txt"),
        "mine",
    )
    .unwrap();
    let out = inst.run(".", &["init", "--example", "q"]);
    assert_eq!(out.status.code(), Some(exit::CANNOT_WRITE));
    assert!(!q.join("config").exists(), "nothing written");
    assert_eq!(
        std::fs::read_to_string(q.join("input/2023-07-26_oewg-session-5_paris-peace-forum.txt"))
            .unwrap(),
        "mine"
    );

    // A dangling symbolic link counts as existing: writing through it would create a file
    // elsewhere.
    #[cfg(unix)]
    {
        let r = inst.work().join("r");
        std::fs::create_dir_all(r.join("config")).unwrap();
        std::os::unix::fs::symlink("../elsewhere.toml", r.join("config/topictrends.toml")).unwrap();
        let out = inst.run(".", &["init", "r"]);
        assert_eq!(out.status.code(), Some(exit::CANNOT_WRITE));
        assert!(!r.join("elsewhere.toml").exists() && !r.join("input").exists());
    }
}

#[test]
fn init_that_cannot_finish_removes_what_it_wrote() {
    let inst = Installed::new();
    let p = inst.work().join("p");
    std::fs::create_dir_all(&p).unwrap();
    // A file where the input folder should be: the config files can be written, the manifest
    // cannot.
    std::fs::write(p.join("input"), "not a folder").unwrap();
    let out = inst.run(".", &["init", "p"]);
    assert_eq!(
        out.status.code(),
        Some(exit::CANNOT_WRITE),
        "{}",
        stderr(&out)
    );
    assert!(stderr(&out).contains("metadata.csv"), "{}", stderr(&out));
    assert!(
        !p.join("config").exists(),
        "the config files and their folder are removed"
    );
    assert_eq!(
        std::fs::read_to_string(p.join("input")).unwrap(),
        "not a folder"
    );
}

/// `git` in the repository, when it is a git checkout of its own (not a tarball).
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("--no-optional-locks")
        .arg("-C")
        .arg(repo())
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn version_names_the_commit_or_says_it_is_unknown() {
    let inst = Installed::new();
    let out = inst.run(".", &["--version"]);
    assert_ok(&out);
    let line = stdout(&out);
    let rest = line
        .strip_prefix(&format!("topictrends {} (", env!("CARGO_PKG_VERSION")))
        .and_then(|r| r.strip_suffix(")\n"))
        .unwrap_or_else(|| panic!("`topictrends VERSION (...)`: {line:?}"));
    let (commit, dirty) = match rest.strip_prefix("commit ") {
        Some(c) => match c.strip_suffix("-dirty") {
            Some(c) => (Some(c.to_string()), true),
            None => (Some(c.to_string()), false),
        },
        None => {
            assert_eq!(rest, "unknown commit", "{line:?}");
            (None, false)
        }
    };
    if let Some(c) = &commit {
        assert!(
            (7..=40).contains(&c.len()) && c.bytes().all(|b| b.is_ascii_hexdigit()),
            "{line:?}"
        );
    }
    assert_eq!(stdout(&inst.run(".", &["-V"])), line, "-V says the same");

    // The build script's answer, worked out again from the repository (when it is one).
    let own_checkout = git(&["rev-parse", "--show-toplevel"])
        .is_some_and(|top| Path::new(&top).canonicalize().ok() == repo().canonicalize().ok());
    let expected = own_checkout
        .then(|| git(&["rev-parse", "--short=12", "HEAD"]))
        .flatten();
    assert_eq!(commit, expected, "the commit HEAD points at");
    if expected.is_some() {
        let changed = git(&[
            "status",
            "--porcelain",
            "--untracked-files=normal",
            "--",
            "src",
            "config",
            "input",
            "build.rs",
            "Cargo.toml",
            "Cargo.lock",
        ])
        .unwrap();
        assert_eq!(dirty, !changed.is_empty(), "dirty flag: {changed}");
    }

    // run.json records the same build.
    assert_ok(&inst.run(".", &["init", "--example", "d"]));
    assert_ok(&inst.run("d", &["run", "--no-charts"]));
    let record: serde_json::Value =
        serde_json::from_slice(&std::fs::read(inst.work().join("d/output/run.json")).unwrap())
            .unwrap();
    let program = &record["program"];
    assert_eq!(program["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(program["commit"].as_str(), commit.as_deref());
    match commit {
        Some(_) => assert_eq!(program["dirty"], dirty),
        None => assert!(program["dirty"].is_null()),
    }
}

/// Every visible subcommand name, and every long flag of the program and its subcommands
/// (including clap's own --help and --version), read from the clap definition.
fn subcommands_and_long_flags() -> (Vec<String>, BTreeSet<String>) {
    let mut cmd = Cli::command();
    cmd.build();
    let subcommands: Vec<String> = Cli::command()
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name().to_string())
        .collect();
    let mut flags = BTreeSet::new();
    let mut add = |c: &clap::Command| {
        for a in c.get_arguments().filter(|a| !a.is_hide_set()) {
            if let Some(long) = a.get_long() {
                flags.insert(long.to_string());
            }
        }
    };
    add(&cmd);
    for sub in cmd.get_subcommands() {
        add(sub);
    }
    assert!(
        subcommands.len() >= 8 && flags.len() >= 15,
        "{subcommands:?} {flags:?}"
    );
    (subcommands, flags)
}

#[test]
fn completions_for_every_shell_name_every_subcommand_and_flag() {
    let (subcommands, flags) = subcommands_and_long_flags();
    let inst = Installed::new();
    let shells: Vec<String> = Shell::value_variants()
        .iter()
        .map(|s| s.to_possible_value().unwrap().get_name().to_string())
        .collect();
    for wanted in ["bash", "zsh", "fish", "powershell"] {
        assert!(shells.iter().any(|s| s == wanted), "{wanted} in {shells:?}");
    }
    for shell in &shells {
        let out = inst.run(".", &["completions", shell]);
        assert_ok(&out);
        let script = stdout(&out);
        assert!(script.len() > 500, "{shell}: a script, not {script:?}");
        for sub in &subcommands {
            assert!(script.contains(sub.as_str()), "{shell}: subcommand {sub}");
        }
        for flag in &flags {
            // fish spells a long option `-l name`; the others `--name`.
            let spelled = if shell == "fish" {
                format!("-l {flag}")
            } else {
                format!("--{flag}")
            };
            assert!(script.contains(&spelled), "{shell}: {spelled} missing");
        }
        if shell == "bash" {
            let path = inst.work().join("topictrends.bash");
            std::fs::write(&path, &script).unwrap();
            let check = Command::new("bash")
                .arg("-n")
                .arg(&path)
                .output()
                .expect("bash");
            assert!(check.status.success(), "bash -n: {}", stderr(&check));
        }
    }
    let bad = inst.run(".", &["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(exit::USAGE));
}

#[test]
fn the_man_page_names_every_subcommand_flag_and_exit_code() {
    let (subcommands, flags) = subcommands_and_long_flags();
    let inst = Installed::new();
    let out = inst.run(".", &["man"]);
    assert_ok(&out);
    let page = stdout(&out);
    assert_eq!(
        page.matches("\n.TH ").count() + usize::from(page.starts_with(".TH ")),
        1
    );
    for sub in &subcommands {
        assert!(
            page.contains(&format!(".SS \"topictrends {sub}\"")),
            "a section for {sub}"
        );
    }
    for flag in &flags {
        // roff writes every '-' of an option as '\-'.
        let spelled = format!("\\fB\\-\\-{}\\fR", flag.replace('-', "\\-"));
        assert!(page.contains(&spelled), "{spelled} missing");
    }
    let status = page
        .split(".SH \"EXIT STATUS\"")
        .nth(1)
        .expect("EXIT STATUS");
    for (code, _) in exit::DOCUMENTED {
        assert!(
            status.contains(&format!("\n\\fB{code}\\fR\n")),
            "exit code {code}"
        );
    }
    assert!(page.contains(topictrends::version::LINE), "the version");

    // groff (or nroff) renders it without complaint when it is installed; man-db needs it.
    if let Ok(render) = Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    {
        use std::io::Write;
        let mut child = render;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(page.as_bytes())
            .unwrap();
        let done = child.wait_with_output().unwrap();
        assert!(done.status.success(), "groff failed");
        assert_eq!(stderr(&done), "", "groff warnings");
    }
}

/// The rows of the first Markdown table after `heading` in the README, as cells.
fn readme_table(heading: &str) -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let section = readme
        .split_once(&format!("\n{heading}\n"))
        .unwrap_or_else(|| panic!("README has no {heading:?}"))
        .1;
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .skip(2) // header and separator
        .map(|l| {
            l.trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        })
        .collect()
}

#[test]
fn the_readme_documents_every_exit_code_and_what_supervisors_do_with_it() {
    let table: Vec<(i32, String)> = readme_table("## Exit codes")
        .into_iter()
        .map(|cells| (cells[0].parse().expect("a code"), cells[1].clone()))
        .collect();
    let documented: Vec<(i32, String)> = exit::DOCUMENTED
        .iter()
        .map(|(c, m)| (*c, m.to_string()))
        .collect();
    assert_eq!(table, documented, "README table = error::exit::DOCUMENTED");

    let guidance = readme_table("### Exit codes for supervisors: retry or not");
    let codes: Vec<String> = guidance.iter().map(|r| r[0].clone()).collect();
    for (code, _) in exit::DOCUMENTED {
        assert!(
            codes.iter().any(|c| c == &code.to_string()),
            "supervisor guidance for exit {code}: {codes:?}"
        );
    }
    for row in &guidance {
        assert_eq!(row.len(), 4, "code, retry?, systemd, Kubernetes: {row:?}");
    }
}

#[test]
fn the_container_recipe_is_pinned_unprivileged_and_copies_what_the_build_needs() {
    let path = repo().join("docs/deploy/Dockerfile");
    let text = std::fs::read_to_string(&path).unwrap();
    // Instructions, with continuation lines joined and comments dropped.
    let mut instructions: Vec<String> = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || trimmed.is_empty() {
            continue;
        }
        match trimmed.strip_suffix('\\') {
            Some(part) => pending.push_str(part),
            None => {
                pending.push_str(trimmed);
                instructions.push(std::mem::take(&mut pending));
            }
        }
    }
    let of = |keyword: &str| -> Vec<&String> {
        instructions
            .iter()
            .filter(|i| i.split_whitespace().next() == Some(keyword))
            .collect()
    };
    let froms = of("FROM");
    assert!(froms.len() >= 2, "multi-stage: {froms:?}");
    for from in &froms {
        let image = from.split_whitespace().nth(1).unwrap();
        let tag = image.split_once(':').map(|(_, t)| t).unwrap_or("");
        assert!(
            !tag.is_empty() && !tag.contains("latest"),
            "pinned image, not {image}"
        );
    }
    assert!(
        froms[0].contains("rust:1."),
        "a versioned Rust image: {}",
        froms[0]
    );
    let last = froms.last().unwrap();
    let runtime: Vec<&String> = instructions.iter().skip_while(|i| i != last).collect();
    let user = runtime
        .iter()
        .rfind(|i| i.starts_with("USER "))
        .expect("a USER in the runtime stage");
    let who = user.trim_start_matches("USER ").split(':').next().unwrap();
    assert!(who != "root" && who != "0", "non-root: {user}");
    assert!(
        runtime
            .iter()
            .any(|i| i.starts_with("ENTRYPOINT") && i.contains("topictrends")),
        "topictrends as the entrypoint"
    );
    let volume = runtime
        .iter()
        .find(|i| i.starts_with("VOLUME"))
        .expect("a VOLUME");
    assert!(volume.contains("\"/data\""), "{volume}");
    assert!(
        !volume.contains("/data/output"),
        "the output folder must not be a mount point (its swap is a rename): {volume}"
    );
    // Every path the build copies exists, and together they hold what the binary is built
    // from (build.rs's BUILD_INPUTS) and the bench target Cargo.toml declares.
    let mut copied = BTreeSet::new();
    for copy in of("COPY").into_iter().filter(|c| !c.contains("--from=")) {
        let parts: Vec<&str> = copy.split_whitespace().skip(1).collect();
        for source in &parts[..parts.len() - 1] {
            assert!(repo().join(source).exists(), "COPY {source}: no such path");
            copied.insert(source.to_string());
        }
    }
    for needed in [
        "Cargo.toml",
        "Cargo.lock",
        "build.rs",
        "src",
        "config",
        "input",
        "benches",
    ] {
        assert!(copied.contains(needed), "the image build copies {needed}");
    }
    let ignore = std::fs::read_to_string(repo().join("docs/deploy/Dockerfile.dockerignore"))
        .expect("a build-context filter beside the Dockerfile");
    for needed in &copied {
        assert!(
            ignore.lines().any(|l| l.trim() == format!("!{needed}")),
            "Dockerfile.dockerignore lets {needed} into the context"
        );
    }
}
