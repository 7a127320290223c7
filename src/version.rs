//! Which build this is: the package version and the commit it was built from (see `build.rs`).

/// The line `--version` prints after the program's name, e.g. `0.1.0 (commit 1a2b3c4d5e6f)`,
/// `0.1.0 (commit 1a2b3c4d5e6f-dirty)` or `0.1.0 (unknown commit)`.
pub const LINE: &str = env!("TOPICTRENDS_VERSION");

/// The package version (Cargo.toml).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The abbreviated commit hash, when the build knew it.
pub fn commit() -> Option<&'static str> {
    Some(env!("TOPICTRENDS_COMMIT")).filter(|c| !c.is_empty())
}

/// Whether the sources the binary was built from differed from that commit, when known.
pub fn dirty() -> Option<bool> {
    match env!("TOPICTRENDS_DIRTY") {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_agrees_with_its_parts() {
        assert!(LINE.starts_with(VERSION), "{LINE}");
        match commit() {
            Some(c) => {
                assert!(c.bytes().all(|b| b.is_ascii_hexdigit()), "{c}");
                let expected = if dirty() == Some(true) {
                    format!("{VERSION} (commit {c}-dirty)")
                } else {
                    format!("{VERSION} (commit {c})")
                };
                assert_eq!(LINE, expected);
            }
            None => {
                assert_eq!(LINE, format!("{VERSION} (unknown commit)"));
                assert_eq!(dirty(), None);
            }
        }
    }
}
