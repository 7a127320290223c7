//! The starter project `topictrends init` writes, embedded in the binary: the shipped config,
//! theme dictionary and manifest header (and, on request, the two shipped example statements).
//!
//! Embedded at build time from `config/` and `input/`, so an installed binary needs nothing
//! from the source tree and a starter project is exactly what a fresh clone holds.

use super::DEFAULT_CONFIG;

/// The shipped configuration (`config/topictrends.toml`).
pub const CONFIG: &str = include_str!("../../config/topictrends.toml");

/// The shipped theme dictionary (`config/themes.toml`).
pub const THEMES: &str = include_str!("../../config/themes.toml");

/// The shipped manifest (`input/metadata.csv`): a header and one row per example statement.
const MANIFEST: &str = include_str!("../../input/metadata.csv");

/// The shipped example statements, by file name.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "2023-07-26_oewg-session-5_paris-peace-forum.txt",
        include_str!("../../input/2023-07-26_oewg-session-5_paris-peace-forum.txt"),
    ),
    (
        "2024-03-06_oewg-session-7_paris-peace-forum.txt",
        include_str!("../../input/2024-03-06_oewg-session-7_paris-peace-forum.txt"),
    ),
];

/// Where the dictionary goes; the shipped config names it `themes.toml` beside itself.
pub const THEMES_PATH: &str = "config/themes.toml";

/// The input folder; the shipped config names it `../input` from `config/`.
pub const INPUT_DIR: &str = "input";

/// The manifest; the shipped config's `[metadata] manifest` is `metadata.csv` in the input folder.
pub const MANIFEST_PATH: &str = "input/metadata.csv";

/// One file of the starter project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarterFile {
    /// Relative to the project folder, with `/` separators.
    pub path: String,
    pub contents: String,
}

/// The manifest's header line (with its line end), without the example rows.
pub fn manifest_header() -> &'static str {
    match MANIFEST.find('\n') {
        Some(end) => &MANIFEST[..=end],
        None => MANIFEST,
    }
}

/// The files of a starter project, in the order they are written: config, dictionary,
/// manifest (a header only, or with the example rows), then the example statements.
pub fn files(with_examples: bool) -> Vec<StarterFile> {
    let file = |path: &str, contents: &str| StarterFile {
        path: path.to_string(),
        contents: contents.to_string(),
    };
    let mut out = vec![
        file(DEFAULT_CONFIG, CONFIG),
        file(THEMES_PATH, THEMES),
        file(
            MANIFEST_PATH,
            if with_examples {
                MANIFEST
            } else {
                manifest_header()
            },
        ),
    ];
    if with_examples {
        for (name, text) in EXAMPLES {
            out.push(file(&format!("{INPUT_DIR}/{name}"), text));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Overrides, Settings};

    #[test]
    fn the_manifest_header_is_the_first_line_only() {
        assert_eq!(manifest_header(), "file,session,date,speaker,forum\n");
        let rows = MANIFEST.lines().skip(1).count();
        assert_eq!(rows, EXAMPLES.len(), "one manifest row per example");
        for (name, _) in EXAMPLES {
            assert!(MANIFEST.contains(name), "{name} has a manifest row");
        }
    }

    #[test]
    fn the_starter_config_points_at_the_starter_files() {
        let dir = tempfile::tempdir().unwrap();
        for f in files(false) {
            let path = dir.path().join(&f.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, f.contents).unwrap();
        }
        let config = dir.path().join(DEFAULT_CONFIG);
        let s = Settings::resolve(Some(&config), &Overrides::default()).unwrap();
        let same = |a: &std::path::Path, b: &std::path::Path| {
            assert_eq!(a.canonicalize().unwrap(), b.canonicalize().unwrap())
        };
        same(&s.input_dir, &dir.path().join(INPUT_DIR));
        same(
            s.themes_path.as_deref().expect("a dictionary"),
            &dir.path().join(THEMES_PATH),
        );
        same(
            s.manifest.as_deref().expect("a manifest"),
            &dir.path().join(MANIFEST_PATH),
        );
        let out = s.output_dir.parent().unwrap().canonicalize().unwrap();
        assert_eq!(
            out,
            dir.path().canonicalize().unwrap(),
            "output beside input"
        );
        assert!(crate::themes::dictionary::Dictionary::load(&dir.path().join(THEMES_PATH)).is_ok());
    }

    #[test]
    fn examples_add_statements_and_their_rows() {
        let plain = files(false);
        let full = files(true);
        assert_eq!(full.len(), plain.len() + EXAMPLES.len());
        assert!(full.iter().all(|f| !f.contents.is_empty()));
        let manifest = |fs: &[StarterFile]| {
            fs.iter()
                .find(|f| f.path == MANIFEST_PATH)
                .map(|f| f.contents.clone())
                .unwrap()
        };
        assert_eq!(manifest(&plain), manifest_header());
        assert_eq!(manifest(&full), MANIFEST);
    }
}
