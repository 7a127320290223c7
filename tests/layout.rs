//! The source layout: no two modules of `src/` import each other in a loop, stages import only
//! earlier stages, and no file grows past the size a reader can hold without saying why.
//!
//! The graph is read from the source text (every `crate::` and `super::` path outside comments and
//! `#[cfg(test)]` modules), so the check needs no extra tool: `cargo test --test layout`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Top-level folders of `src/` in the order they import each other. A stage may import itself,
/// any earlier stage and the cross-cutting modules, never a later stage. `decode` and `metadata`
/// are parsers with no I/O (bytes to text, text to fields); `read` is the stage that touches the
/// input folder and applies them to each statement, so it comes after them.
const STAGES: &[&str] = &[
    "config", "decode", "metadata", "read", "analyze", "themes", "count", "report", "write",
    "pipeline", "cmd",
];

/// The one exception to the order: resolving the settings builds the analysis chain's word
/// lists (stopwords and protected words, cleaned as text is) and names the formats `decode`
/// reads. Neither of those imports `config` back (the folder-level loop test proves it).
const CONFIG_BUILDS_WITH: &[&str] = &["analyze", "decode"];

/// Top-level files that every stage may use (they import no stage that imports them back).
const CROSS_CUTTING: &[&str] = &[
    "diagnostic",
    "log",
    "error",
    "interrupt",
    "cli",
    "clock",
    "stats",
    "version",
];

/// Lines of code (before the tests) above which a file must say in its `//!` line why it is long.
const MAX_CODE_LINES: usize = 800;

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read src") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/a/b.rs` -> `["a", "b"]`; `src/a/mod.rs` -> `["a"]`; `src/lib.rs` -> `[]`.
fn module_path(file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src_dir()).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// The file's code without comments, string and char literals, and its `#[cfg(test)]` modules.
fn code_of(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut code = String::with_capacity(text.len());
    let mut i = 0;
    let at = |i: usize| chars.get(i).copied().unwrap_or('\0');
    while i < chars.len() {
        let c = chars[i];
        if c == '/' && at(i + 1) == '/' {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && at(i + 1) == '*' {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && at(i + 1) == '/') {
                i += 1;
            }
            i += 2;
        } else if c == 'r'
            && (at(i + 1) == '"' || (at(i + 1) == '#' && (at(i + 2) == '"' || at(i + 2) == '#')))
            && !at(i.wrapping_sub(1)).is_alphanumeric()
        {
            // Raw string: r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while at(j) == '#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (1..=hashes).all(|k| at(j + k) == '#') {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            code.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            code.push_str("\"\"");
        } else if c == '\'' && (at(i + 1) == '\\' || at(i + 2) == '\'') {
            // A char literal ('x', '\n', '\u{..}'); a lifetime has no closing quote.
            let mut j = i + 1;
            if at(j) == '\\' {
                j += 2;
            } else {
                j += 1;
            }
            while j < chars.len() && chars[j] != '\'' {
                j += 1;
            }
            code.push_str("' '");
            i = j + 1;
        } else {
            code.push(c);
            i += 1;
        }
    }
    strip_test_modules(&code)
}

/// Removes every `#[cfg(test)]` item that is a `mod ... { ... }` block.
fn strip_test_modules(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at + "#[cfg(test)]".len()..];
        let head = after.trim_start();
        let is_mod = head.starts_with("mod ")
            || head.starts_with("pub mod ")
            || head.starts_with("pub(crate) mod ");
        match (is_mod, after.find('{'), after.find(';')) {
            (true, Some(open), semi) if semi.is_none_or(|s| s > open) => {
                let mut depth = 0usize;
                let mut end = after.len();
                for (i, c) in after.char_indices().skip_while(|(i, _)| *i < open) {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &after[end..];
            }
            _ => rest = after,
        }
    }
    out.push_str(rest);
    out
}

/// Every path named after `crate::` or `super::`, with `{a, b::c}` groups expanded.
fn referenced_paths(code: &str, here: &[String]) -> Vec<Vec<String>> {
    let bytes = code.as_bytes();
    let mut paths = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts_word = i == 0
            || !(bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'_'
                || bytes[i - 1] == b':');
        let base: Option<(usize, Vec<String>)> = if !starts_word {
            None
        } else if bytes[i..].starts_with(b"crate::") {
            Some((i + "crate::".len(), Vec::new()))
        } else if bytes[i..].starts_with(b"super::") {
            // `super` of `a/b.rs` is `a`; of `a/b/mod.rs` (module a::b) it is also `a`.
            let mut parent = here.to_vec();
            parent.pop();
            let mut j = i + "super::".len();
            while bytes[j..].starts_with(b"super::") {
                parent.pop();
                j += "super::".len();
            }
            Some((j, parent))
        } else {
            None
        };
        match base {
            Some((start, prefix)) => {
                let end = parse_tree(code, start, prefix, &mut paths);
                i = end.max(i + 1);
            }
            None => i += 1,
        }
    }
    paths
}

/// Parses `ident(::ident)*(::{tree, tree})?` at `at`, pushing each full path; returns where it ends.
fn parse_tree(
    code: &str,
    mut at: usize,
    mut prefix: Vec<String>,
    out: &mut Vec<Vec<String>>,
) -> usize {
    let bytes = code.as_bytes();
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at < bytes.len() && bytes[at] == b'{' {
            at += 1;
            loop {
                while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b',') {
                    at += 1;
                }
                if at >= bytes.len() || bytes[at] == b'}' {
                    return at + 1;
                }
                let before = at;
                at = parse_tree(code, at, prefix.clone(), out);
                if at == before {
                    at += 1;
                }
            }
        }
        let start = at;
        while at < bytes.len() && (bytes[at].is_ascii_alphanumeric() || bytes[at] == b'_') {
            at += 1;
        }
        if start == at {
            out.push(prefix);
            return at;
        }
        prefix.push(code[start..at].to_string());
        if bytes[at..].starts_with(b"::") {
            at += 2;
        } else {
            out.push(prefix);
            return at;
        }
    }
}

struct Graph {
    /// Module path -> the module paths its code names (never itself).
    edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
}

fn build_graph() -> (Graph, BTreeMap<Vec<String>, (PathBuf, String)>) {
    let mut files = Vec::new();
    rust_files(&src_dir(), &mut files);
    files.sort();
    let mut sources = BTreeMap::new();
    for file in &files {
        let text = fs::read_to_string(file).expect("read source");
        sources.insert(module_path(file), (file.clone(), text));
    }
    let modules: BTreeSet<Vec<String>> = sources.keys().cloned().collect();
    let mut edges = BTreeMap::new();
    for (module, (_, text)) in &sources {
        let mut targets = BTreeSet::new();
        for path in referenced_paths(&code_of(text), module) {
            // The longest prefix of the path that is a module file.
            let target = (1..=path.len())
                .rev()
                .map(|n| path[..n].to_vec())
                .find(|p| modules.contains(p));
            if let Some(target) = target
                && &target != module
            {
                targets.insert(target);
            }
        }
        edges.insert(module.clone(), targets);
    }
    (Graph { edges }, sources)
}

/// Strongly connected components with more than one module (Tarjan's algorithm, iterative enough
/// for a few hundred modules).
fn cycles(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    struct State<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, usize>,
        low: BTreeMap<&'a Vec<String>, usize>,
        stack: Vec<&'a Vec<String>>,
        on_stack: BTreeSet<&'a Vec<String>>,
        next: usize,
        out: Vec<Vec<Vec<String>>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a Vec<String>) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.edges.get(v).into_iter().flatten() {
            let Some((w, _)) = s.edges.get_key_value(w) else {
                continue;
            };
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.clone());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v) {
            visit(&mut s, v);
        }
    }
    s.out
}

fn show(path: &[String]) -> String {
    if path.is_empty() {
        "crate".to_string()
    } else {
        path.join("::")
    }
}

#[test]
fn no_two_modules_import_each_other_in_a_loop() {
    let (graph, _) = build_graph();
    let loops = cycles(&graph.edges);
    let described: Vec<String> = loops
        .iter()
        .map(|c| c.iter().map(|m| show(m)).collect::<Vec<_>>().join(" <-> "))
        .collect();
    assert!(
        described.is_empty(),
        "modules that import each other in a loop:\n{}",
        described.join("\n")
    );
}

#[test]
fn no_two_stage_folders_import_each_other_in_a_loop() {
    let (graph, _) = build_graph();
    let mut folders: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, targets) in &graph.edges {
        let Some(from) = module.first() else { continue };
        let entry = folders.entry(vec![from.clone()]).or_default();
        for target in targets {
            if let Some(to) = target.first()
                && to != from
            {
                entry.insert(vec![to.clone()]);
            }
        }
    }
    let loops = cycles(&folders);
    let described: Vec<String> = loops
        .iter()
        .map(|c| c.iter().map(|m| show(m)).collect::<Vec<_>>().join(" <-> "))
        .collect();
    assert!(
        described.is_empty(),
        "folders that import each other in a loop:\n{}",
        described.join("\n")
    );
}

#[test]
fn stages_import_only_earlier_stages() {
    let (graph, _) = build_graph();
    let mut wrong = Vec::new();
    for (module, targets) in &graph.edges {
        let Some(from) = module.first() else { continue };
        let Some(from_rank) = STAGES.iter().position(|s| s == from) else {
            continue;
        };
        for target in targets {
            let Some(to) = target.first() else { continue };
            if CROSS_CUTTING.contains(&to.as_str()) {
                continue;
            }
            if from == "config" && CONFIG_BUILDS_WITH.contains(&to.as_str()) {
                continue;
            }
            match STAGES.iter().position(|s| s == to) {
                Some(to_rank) if to_rank <= from_rank => {}
                Some(_) => wrong.push(format!(
                    "{} imports the later stage {}",
                    show(module),
                    show(target)
                )),
                None => wrong.push(format!(
                    "{} imports {}, which is in no stage",
                    show(module),
                    show(target)
                )),
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the stage order:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn cross_cutting_modules_import_no_later_stage_that_imports_them() {
    // Checked by the loop test; this one names the rule for the top level: only the listed
    // cross-cutting files, lib.rs and main.rs stand beside the stage folders.
    let mut top = Vec::new();
    for entry in fs::read_dir(src_dir()).expect("read src") {
        let path = entry.expect("entry").path();
        if path.is_file() && path.extension().is_some_and(|e| e == "rs") {
            let stem = path.file_stem().unwrap().to_string_lossy().to_string();
            top.push(stem);
        }
    }
    top.sort();
    let unexpected: Vec<&String> = top
        .iter()
        .filter(|s| {
            !CROSS_CUTTING.contains(&s.as_str()) && s.as_str() != "lib" && s.as_str() != "main"
        })
        .collect();
    assert!(
        unexpected.is_empty(),
        "files at the top of src/ that belong in a stage folder: {unexpected:?}"
    );
    assert!(
        top.len() <= 10,
        "src/ has {} top-level files, at most ten",
        top.len()
    );
    for dir in STAGES {
        assert!(
            src_dir().join(dir).is_dir(),
            "stage folder src/{dir}/ is missing"
        );
    }
}

#[test]
fn long_files_say_why_in_their_first_line() {
    let (_, sources) = build_graph();
    let mut long = Vec::new();
    for (file, text) in sources.values() {
        let before_tests = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
        let code_lines = before_tests
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("//"))
            .count();
        let first = text.lines().next().unwrap_or("");
        if code_lines > MAX_CODE_LINES && !first.contains("long") {
            long.push(format!("{} ({code_lines} lines of code)", file.display()));
        }
    }
    assert!(
        long.is_empty(),
        "files over {MAX_CODE_LINES} lines of code whose //! line does not say why they are long:\n{}",
        long.join("\n")
    );
}

#[test]
fn every_module_opens_with_a_doc_line() {
    let (_, sources) = build_graph();
    let missing: Vec<String> = sources
        .values()
        .filter(|(_, text)| !text.trim_start().starts_with("//!"))
        .map(|(file, _)| file.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a //! line: {missing:?}"
    );
}

#[test]
fn the_parser_sees_groups_supers_and_skips_tests_and_comments() {
    let code = code_of(
        "use crate::a::{b, c::{d, e}};\n// crate::zz\nfn f() { super::x::y(); }\n\"crate::str\";\n#[cfg(test)]\nmod tests { use crate::t; }\n",
    );
    let here = vec!["m".to_string(), "n".to_string()];
    let mut paths = referenced_paths(&code, &here);
    paths.sort();
    let want: Vec<Vec<String>> = [
        vec!["a", "b"],
        vec!["a", "c", "d"],
        vec!["a", "c", "e"],
        vec!["m", "x", "y"],
    ]
    .iter()
    .map(|p| p.iter().map(|s| s.to_string()).collect())
    .collect();
    assert_eq!(paths, want);
}

#[test]
fn the_loop_finder_finds_loops_and_only_loops() {
    let m = |s: &str| vec![s.to_string()];
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    edges.insert(m("a"), [m("b")].into());
    edges.insert(m("b"), [m("c")].into());
    edges.insert(m("c"), [m("a"), m("d")].into());
    edges.insert(m("d"), BTreeSet::new());
    assert_eq!(cycles(&edges), vec![vec![m("a"), m("b"), m("c")]]);
    edges.insert(m("c"), [m("d")].into());
    assert!(cycles(&edges).is_empty());
}
