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
                let place = match (file, line) {
                    (Some(f), Some(l)) => format!("{f}:{l}: "),
                    (Some(f), None) => format!("{f}: "),
                    _ => String::new(),
                };
                format!("topictrends: {}: {place}{message}", level.as_str())
            }
        };
        // A closed stderr must not turn a finished run into a failure.
        let _ = writeln!(std::io::stderr().lock(), "{text}");
    }
}
