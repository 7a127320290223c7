//! The theme dictionary: a hand-edited TOML file of themes and their patterns.
//!
//! ```toml
//! [[theme]]
//! name = "Cyber mercenaries"
//! description = "Commercial intrusion capabilities and hackers for hire"
//! patterns = ["mercenar*", "hackers for hire", "access as a service"]
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// One theme as written by the analyst.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeDef {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub patterns: Vec<String>,
}

/// All themes, in file order (the order of every theme table and legend).
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dictionary {
    #[serde(default, rename = "theme")]
    pub themes: Vec<ThemeDef>,
}

/// A dictionary that cannot be used, with where the problem is.
#[derive(Debug)]
pub enum DictionaryError {
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// TOML syntax or schema: the message carries line and column.
    Parse {
        path: PathBuf,
        message: String,
    },
    Invalid {
        path: PathBuf,
        message: String,
    },
}

impl fmt::Display for DictionaryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DictionaryError::Read { path, source } => {
                write!(
                    f,
                    "{}: cannot read theme dictionary: {source}",
                    path.display()
                )
            }
            DictionaryError::Parse { path, message } => write!(f, "{}: {message}", path.display()),
            DictionaryError::Invalid { path, message } => {
                write!(f, "{}: {message}", path.display())
            }
        }
    }
}

impl std::error::Error for DictionaryError {}

impl Dictionary {
    pub fn load(path: &Path) -> Result<Dictionary, DictionaryError> {
        let text = std::fs::read_to_string(path).map_err(|source| DictionaryError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Dictionary::parse(&text).map_err(|e| match e {
            DictionaryError::Parse { message, .. } => DictionaryError::Parse {
                path: path.to_path_buf(),
                message,
            },
            DictionaryError::Invalid { message, .. } => DictionaryError::Invalid {
                path: path.to_path_buf(),
                message,
            },
            other => other,
        })
    }

    /// Parses and validates dictionary text (paths in errors are left empty).
    pub fn parse(text: &str) -> Result<Dictionary, DictionaryError> {
        let dict: Dictionary =
            crate::config::from_toml(text).map_err(|message| DictionaryError::Parse {
                path: PathBuf::new(),
                message,
            })?;
        dict.validate()
            .map_err(|message| DictionaryError::Invalid {
                path: PathBuf::new(),
                message,
            })?;
        Ok(dict)
    }

    fn validate(&self) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for t in &self.themes {
            let name = t.name.trim();
            if name.is_empty() {
                return Err("a theme has an empty name".into());
            }
            if !seen.insert(name.to_lowercase()) {
                return Err(format!("theme {name:?} is defined twice"));
            }
            if t.patterns.is_empty() {
                return Err(format!("theme {name:?} has no patterns"));
            }
            for p in &t.patterns {
                if p.trim().is_empty() {
                    return Err(format!("theme {name:?} has an empty pattern"));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_themes_in_order() {
        let d = Dictionary::parse(
            "[[theme]]\nname = \"A\"\npatterns = [\"x\", \"y z\"]\n\n[[theme]]\nname = \"B\"\ndescription = \"b\"\npatterns = [\"w*\"]\n",
        )
        .unwrap();
        assert_eq!(d.themes.len(), 2);
        assert_eq!(d.themes[0].name, "A");
        assert_eq!(d.themes[1].patterns, ["w*"]);
    }

    #[test]
    fn rejects_duplicates_empty_and_unknown_keys() {
        let dup = "[[theme]]\nname = \"A\"\npatterns = [\"x\"]\n[[theme]]\nname = \"a\"\npatterns = [\"y\"]\n";
        assert!(
            Dictionary::parse(dup)
                .unwrap_err()
                .to_string()
                .contains("defined twice")
        );
        let none = "[[theme]]\nname = \"A\"\npatterns = []\n";
        assert!(
            Dictionary::parse(none)
                .unwrap_err()
                .to_string()
                .contains("no patterns")
        );
        let blank = "[[theme]]\nname = \"A\"\npatterns = [\"  \"]\n";
        assert!(
            Dictionary::parse(blank)
                .unwrap_err()
                .to_string()
                .contains("empty pattern")
        );
        let unknown = "[[theme]]\nname = \"A\"\npatern = [\"x\"]\n";
        let msg = Dictionary::parse(unknown).unwrap_err().to_string();
        assert!(msg.contains("line 3"), "{msg}");
        assert!(msg.contains("patterns"), "{msg}");
    }

    proptest::proptest! {
        /// Any text gives a dictionary or an error message, never a panic; so does any config.
        #[test]
        fn dictionary_and_config_parsers_are_total(
            text in "(\\[\\[theme\\]\\]\n|name = \"[a-z ]{0,3}\"\n|patterns = \\[(\"[a-z* ]{0,4}\",? ?){0,3}\\]\n|[a-z_]{1,8} = [0-9\"]{0,3}\n|\\[[a-z]{1,8}\\]\n|.){0,12}"
        ) {
            match Dictionary::parse(&text) {
                Ok(d) => proptest::prop_assert!(d.themes.iter().all(|t| !t.patterns.is_empty())),
                Err(e) => proptest::prop_assert!(!e.to_string().is_empty()),
            }
            if let Err(message) = crate::config::from_toml::<crate::config::ConfigFile>(&text) {
                proptest::prop_assert!(!message.is_empty());
            }
        }
    }
}
