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

use crate::analyze::language::Language;

/// One theme as written by the analyst: `patterns` in the default language
/// (`[analysis] language`), `patterns_<code>` in the others.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThemeDef {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub patterns: Vec<String>,
    #[serde(default)]
    pub patterns_ar: Vec<String>,
    #[serde(default)]
    pub patterns_en: Vec<String>,
    #[serde(default)]
    pub patterns_es: Vec<String>,
    #[serde(default)]
    pub patterns_fr: Vec<String>,
    #[serde(default)]
    pub patterns_ru: Vec<String>,
    #[serde(default)]
    pub patterns_zh: Vec<String>,
}

impl ThemeDef {
    /// The patterns written for `language` as `patterns_<code>`.
    pub fn translated(&self, language: Language) -> &[String] {
        match language {
            Language::Ar => &self.patterns_ar,
            Language::En => &self.patterns_en,
            Language::Es => &self.patterns_es,
            Language::Fr => &self.patterns_fr,
            Language::Ru => &self.patterns_ru,
            Language::Zh => &self.patterns_zh,
        }
    }

    /// The list `patterns_<code>` of `language`, to fill.
    pub fn translated_mut(&mut self, language: Language) -> &mut Vec<String> {
        match language {
            Language::Ar => &mut self.patterns_ar,
            Language::En => &mut self.patterns_en,
            Language::Es => &mut self.patterns_es,
            Language::Fr => &mut self.patterns_fr,
            Language::Ru => &mut self.patterns_ru,
            Language::Zh => &mut self.patterns_zh,
        }
    }

    /// Every list of patterns with its key, `patterns` first.
    fn all_lists(&self) -> impl Iterator<Item = (String, &[String])> {
        std::iter::once(("patterns".to_string(), self.patterns.as_slice())).chain(
            Language::ALL
                .into_iter()
                .map(|l| (format!("patterns_{l}"), self.translated(l))),
        )
    }
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
        /// Where the configuration names the file (`config.toml:84`), when known.
        named_at: Option<String>,
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
            DictionaryError::Read {
                path,
                source,
                named_at,
            } => {
                write!(
                    f,
                    "{}: cannot read theme dictionary: {source}",
                    path.display()
                )?;
                match named_at {
                    Some(at) => write!(f, " (named by {at}: [themes] file)"),
                    None => Ok(()),
                }
            }
            DictionaryError::Parse { path, message } => write!(f, "{}: {message}", path.display()),
            // One problem per line, each naming the file.
            DictionaryError::Invalid { path, message } => {
                crate::diagnostic::each_at(f, path, message.lines())
            }
        }
    }
}

impl std::error::Error for DictionaryError {}

impl Dictionary {
    /// The dictionary as the chain of `language` matches it: each theme (every theme, in
    /// order, so theme ids agree across languages) with the patterns of that language:
    /// `patterns` for the default language, `patterns_<code>` for the others.
    pub fn for_language(&self, language: Language, default: Language) -> Dictionary {
        Dictionary {
            themes: self
                .themes
                .iter()
                .map(|t| ThemeDef {
                    name: t.name.clone(),
                    description: t.description.clone(),
                    patterns: if language == default {
                        t.patterns.clone()
                    } else {
                        t.translated(language).to_vec()
                    },
                    ..ThemeDef::default()
                })
                .collect(),
        }
    }

    /// The error for a theme that writes the default language's patterns twice.
    /// Every such theme is named, a line each.
    pub fn check_default(&self, default: Language) -> Result<(), String> {
        let problems: Vec<String> = (self.themes.iter())
            .filter(|t| !t.translated(default).is_empty())
            .map(|t| format!(
                "theme {:?}: patterns_{default} repeats the default language ([analysis] language = \"{default}\"): write those patterns in `patterns`",
                t.name.trim()
            ))
            .collect();
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
    }

    /// The words of the patterns for `language` (wildcards stripped), sorted: what a
    /// segmenter must keep whole for text and patterns to be cut alike. A word that holds
    /// another of them (网络安全 holds 安全) is left out, so the segmenter cuts it into that
    /// word and the rest, in statements and in its own pattern alike: kept whole, it would
    /// hide the shorter word from the other pattern (and theme) that looks for it.
    pub fn pattern_words(&self, language: Language, default: Language) -> Vec<String> {
        let mut words: Vec<String> = self
            .for_language(language, default)
            .themes
            .iter()
            .flat_map(|t| t.patterns.iter())
            .flat_map(|p| p.split_whitespace())
            .map(|w| w.trim_end_matches('*').to_string())
            .filter(|w| !w.is_empty())
            .collect();
        words.sort();
        words.dedup();
        let holds_another = |w: &str| {
            words
                .iter()
                .any(|v| v.len() < w.len() && w.contains(v.as_str()))
        };
        let kept: Vec<String> = words
            .iter()
            .filter(|w| !holds_another(w))
            .cloned()
            .collect();
        kept
    }

    /// Whether any theme has patterns for `language` (which then has its chain built and its
    /// patterns checked before the first statement is read).
    pub fn has_language(&self, language: Language, default: Language) -> bool {
        self.themes.iter().any(|t| {
            !(if language == default {
                &t.patterns
            } else {
                t.translated(language)
            })
            .is_empty()
        })
    }

    pub fn load(path: &Path) -> Result<Dictionary, DictionaryError> {
        let text = std::fs::read_to_string(path).map_err(|source| DictionaryError::Read {
            path: path.to_path_buf(),
            source,
            named_at: None,
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

    /// The dictionary at `path` read as written, without the checks of [`Dictionary::load`]:
    /// for `check`, which compiles the patterns of a dictionary it has already found invalid,
    /// so one pass names every problem. `None` when it cannot be read or parsed.
    pub fn load_unchecked(path: &Path) -> Option<Dictionary> {
        let text = std::fs::read_to_string(path).ok()?;
        crate::config::from_toml(&text).ok()
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

    /// Every problem of the dictionary, one per line (so one pass names them all).
    fn validate(&self) -> Result<(), String> {
        use unicode_normalization::UnicodeNormalization;
        let mut problems: Vec<String> = Vec::new();
        // Names compared as a reader sees them: ignoring case, and in one Unicode form
        // ("Sécurité" typed composed or decomposed is one name), each with its first spelling.
        let mut seen: std::collections::HashMap<String, &str> = std::collections::HashMap::new();
        for t in &self.themes {
            let name = t.name.trim();
            if name.is_empty() {
                problems.push("a theme has an empty name".into());
            } else if name.chars().any(char::is_control) {
                // A name is a table cell, a chart title and a log line: a tab, line break or
                // NUL in it would break all three.
                problems.push(format!(
                    "theme {name:?} has a control character (tab, line break, NUL...) in its name"
                ));
            } else {
                let key: String = name.nfc().collect::<String>().to_lowercase();
                if let Some(first) = seen.insert(key, name) {
                    problems.push(if first == name {
                        format!("theme {name:?} is defined twice")
                    } else {
                        format!(
                            "theme {name:?} is defined twice (also as {first:?}: names that differ only in case or Unicode form are one theme)"
                        )
                    });
                }
            }
            if t.all_lists().all(|(_, list)| list.is_empty()) {
                problems.push(format!("theme {name:?} has no patterns"));
            }
            for (key, list) in t.all_lists() {
                if list.iter().any(|p| p.trim().is_empty()) {
                    problems.push(format!("theme {name:?} has an empty pattern (in {key})"));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("\n"))
        }
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
    fn each_language_sees_its_own_patterns() {
        let d = Dictionary::parse(
            "[[theme]]\nname = \"A\"\npatterns = [\"x\"]\npatterns_fr = [\"y\"]\n[[theme]]\nname = \"B\"\npatterns_zh = [\"z\"]\n",
        )
        .unwrap();
        let fr = d.for_language(Language::Fr, Language::En);
        assert_eq!(fr.themes.len(), 2);
        assert_eq!(fr.themes[0].patterns, ["y"]);
        assert!(fr.themes[1].patterns.is_empty());
        assert_eq!(
            d.for_language(Language::En, Language::En).themes[0].patterns,
            ["x"]
        );
        assert!(d.has_language(Language::Zh, Language::En));
        assert!(!d.has_language(Language::Ru, Language::En));
        assert!(d.check_default(Language::En).is_ok());
        let err = d.check_default(Language::Fr).unwrap_err();
        assert!(
            err.contains("patterns_fr repeats the default language"),
            "{err}"
        );
        let unknown = "[[theme]]\nname = \"A\"\npatterns_de = [\"x\"]\n";
        let msg = Dictionary::parse(unknown).unwrap_err().to_string();
        assert!(msg.contains("patterns_fr"), "{msg}");
    }

    #[test]
    fn names_that_differ_in_case_or_unicode_form_are_one_theme() {
        let dup = |a: &str, b: &str| {
            let toml = format!(
                "[[theme]]\nname = \"{a}\"\npatterns = [\"x\"]\n[[theme]]\nname = \"{b}\"\npatterns = [\"y\"]\n"
            );
            Dictionary::parse(&toml).unwrap_err().to_string()
        };
        let e = dup("S\u{e9}curit\u{e9}", "Se\u{301}curite\u{301}");
        assert!(
            e.contains("defined twice (also as \"S\u{e9}curit\u{e9}\""),
            "{e}"
        );
        let e = dup("Norms", "NORMS");
        assert!(
            e.contains("\"NORMS\" is defined twice (also as \"Norms\""),
            "{e}"
        );
        assert!(dup("Norms", "Norms").contains("\"Norms\" is defined twice"));
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
        let blank_fr = "[[theme]]\nname = \"A\"\npatterns = [\"x\"]\npatterns_fr = [\"\"]\n";
        let msg = Dictionary::parse(blank_fr).unwrap_err().to_string();
        assert!(msg.contains("empty pattern (in patterns_fr)"), "{msg}");
        for name in ["A\\tB", "A\\nB", "A\\u0000B"] {
            let control = format!("[[theme]]\nname = \"{name}\"\npatterns = [\"x\"]\n");
            let msg = Dictionary::parse(&control).unwrap_err().to_string();
            assert!(msg.contains("control character"), "{name}: {msg}");
        }
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
                Ok(d) => proptest::prop_assert!(d.themes.iter().all(|t| t.all_lists().any(|(_, l)| !l.is_empty()))),
                Err(e) => proptest::prop_assert!(!e.to_string().is_empty()),
            }
            if let Err(message) = crate::config::from_toml::<crate::config::ConfigFile>(&text) {
                proptest::prop_assert!(!message.is_empty());
            }
        }
    }
}
