//! Messages on stderr: plain lines for people, one JSON object per line for schedulers.

use std::io::Write;

use crate::diagnostic::Warning;

/// "1 statement", "2 statements": a count and its noun, agreeing.
pub fn count(n: impl Into<u64>, noun: &str) -> String {
    match n.into() {
        1 => format!("1 {noun}"),
        n => format!("{n} {noun}s"),
    }
}

/// Output format of log lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// How much to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Error,
    Warning,
    Info,
    Debug,
}

impl Level {
    fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Debug => "debug",
        }
    }
}

/// The logger handed to commands.
#[derive(Debug, Clone, Copy)]
pub struct Log {
    pub max: Level,
    pub format: LogFormat,
}

impl Log {
    /// `quiet` keeps errors only; `-v` adds debug detail; `RUST_LOG=debug|info|warn|error` sets
    /// the level when neither is given.
    pub fn new(quiet: bool, verbose: u8, format: LogFormat) -> Log {
        let from_env =
            std::env::var("RUST_LOG")
                .ok()
                .and_then(|v| match v.to_ascii_lowercase().as_str() {
                    "error" => Some(Level::Error),
                    "warn" | "warning" => Some(Level::Warning),
                    "info" => Some(Level::Info),
                    "debug" | "trace" => Some(Level::Debug),
                    _ => None,
                });
        let max = if quiet {
            Level::Error
        } else if verbose >= 1 {
            // Info is the default already: one `-v` shows everything there is.
            Level::Debug
        } else {
            from_env.unwrap_or(Level::Info)
        };
        Log { max, format }
    }

    pub fn enabled(&self, level: Level) -> bool {
        level <= self.max
    }

    pub fn log(&self, level: Level, message: &str) {
        self.emit(level, None, None, message);
    }

    pub fn warning(&self, w: &Warning) {
        self.emit(Level::Warning, Some(&w.file), w.line, &w.message);
    }

    fn emit(&self, level: Level, file: Option<&str>, line: Option<usize>, message: &str) {
        if !self.enabled(level) {
            return;
        }
        let text = match self.format {
            LogFormat::Json => {
                let mut obj = serde_json::Map::new();
                obj.insert(
                    "time".into(),
                    crate::clock::rfc3339(std::time::SystemTime::now()).into(),
                );
                obj.insert("level".into(), level.as_str().into());
                if let Some(f) = file {
                    obj.insert("file".into(), f.into());
                }
                if let Some(l) = line {
                    obj.insert("line".into(), l.into());
                }
                obj.insert("message".into(), message.into());
                serde_json::Value::Object(obj).to_string()
            }
            LogFormat::Text => {
                let place = match (file.map(|f| visible(f, false)), line) {
                    (Some(f), Some(l)) => format!("{f}:{l}: "),
                    (Some(f), None) => format!("{f}: "),
                    _ => String::new(),
                };
                format!(
                    "topictrends: {}: {place}{}",
                    level.as_str(),
                    visible(message, true)
                )
            }
        };
        // A closed stderr must not turn a finished run into a failure.
        let _ = writeln!(std::io::stderr().lock(), "{text}");
    }
}

/// `s` with its control characters and bidirectional overrides escaped (`\u{1b}`, `\r`,
/// `\u{202e}`), so that a file name or a statement's text quoted in a message cannot recolour
/// the terminal, move its cursor, overwrite the line or show itself reversed; with
/// `keep_newlines`, line breaks and tabs stay (multi-line messages such as a config error's
/// excerpt).
fn visible(s: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    let escaped = |c: char| {
        (c.is_control() && !(keep_newlines && (c == '\n' || c == '\t')))
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(escaped) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if escaped(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn control_characters_and_bidi_overrides_are_escaped_newlines_kept_in_messages() {
        assert_eq!(visible("plain.txt", false), "plain.txt");
        assert_eq!(
            visible("a\u{1b}[31mred\r\nforged.txt", false),
            "a\\u{1b}[31mred\\r\\nforged.txt"
        );
        assert_eq!(visible("exe.\u{202e}txt", false), "exe.\\u{202e}txt");
        assert_eq!(
            visible("line one\n  excerpt\tthere\u{7}", true),
            "line one\n  excerpt\tthere\\u{7}"
        );
    }
}
