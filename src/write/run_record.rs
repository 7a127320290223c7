//! `run.json`: what a run read, reused, skipped and warned about, and how long each stage took.
//!
//! The only output file that carries times; everything else a run writes is
//! byte-identical across identical runs.

use std::time::{Duration, SystemTime};

use serde_json::{Map, Value, json};

use crate::clock::rfc3339;
use crate::config::Settings;
use crate::count::analysis::RunStats;
use crate::diagnostic::Warning;
use crate::read::discover::Skipped;
use crate::read::statement::InputRecord;

/// The file name inside the output folder.
pub const FILE: &str = "run.json";

/// Everything the record says, gathered by `cmd::run`.
#[derive(Debug)]
pub struct RunRecord<'a> {
    pub settings: &'a Settings,
    pub started: SystemTime,
    pub finished: SystemTime,
    /// Stage name and duration, in the order the stages ran.
    pub stages: Vec<(&'static str, Duration)>,
    pub stats: &'a RunStats,
    /// Statements counted in the results (documents.csv rows).
    pub statements: usize,
    pub skipped: &'a [Skipped],
    pub warnings: &'a [Warning],
    /// The cache folder, when the cache was used.
    pub cache_dir: Option<&'a std::path::Path>,
    /// The input folder read; `None` for a merge (its shards read theirs).
    pub input_dir: Option<&'a std::path::Path>,
    pub exit_code: i32,
}

impl RunRecord<'_> {
    /// Pretty-printed JSON with a final newline; keys in a fixed order.
    pub fn to_json(&self) -> Vec<u8> {
        let s = self.settings;
        let config = match &s.config_path {
            Some(p) => json!({
                "path": p.display().to_string(),
                "blake3": crate::read::cache::hex(&crate::read::cache::content_hash(s.config_text.as_bytes())),
            }),
            None => Value::Null,
        };
        // The dictionary's hash says which version of the themes produced the scores.
        let themes = match &s.themes_path {
            Some(p) => json!({
                "path": p.display().to_string(),
                "blake3": std::fs::read(p).ok().map(|b| crate::read::cache::hex(&crate::read::cache::content_hash(&b))),
            }),
            None => Value::Null,
        };
        let mut stages = Map::new();
        for (name, d) in &self.stages {
            stages.insert(format!("{name}_ms"), json!(millis(*d)));
        }
        let total = self
            .finished
            .duration_since(self.started)
            .unwrap_or_default();
        let skipped: Vec<Value> = self
            .skipped
            .iter()
            .map(|k| json!({"file": k.rel, "reason": k.reason}))
            .collect();
        let warnings: Vec<Value> = self.warnings.iter().map(warning_json).collect();
        let cache_warnings: Vec<Value> =
            self.stats.cache_warnings.iter().map(warning_json).collect();
        let value = json!({
            // commit and dirty: null when the build did not know them (see build.rs).
            "program": {
                "name": env!("CARGO_PKG_NAME"),
                "version": crate::version::VERSION,
                "commit": crate::version::commit(),
                "dirty": crate::version::dirty(),
            },
            "config": config,
            "themes": themes,
            "started": rfc3339(self.started),
            "finished": rfc3339(self.finished),
            "duration_ms": millis(total),
            "stages": stages,
            "statements": {
                "counted": self.statements,
                "read": self.stats.read,
                "reused_from_cache": self.stats.reused,
                "streamed_uncached": self.stats.streamed,
                "counted_from_records": self.stats.records_reused,
                // The others were tokenized by this run (from a fresh or a cached reading).
                "analysed": (self.statements as u64).saturating_sub(self.stats.records_reused),
                "skipped": self.skipped.len(),
            },
            "skipped": skipped,
            "cache": {
                "enabled": self.cache_dir.is_some(),
                "dir": self.cache_dir.map(|d| crate::config::paths::tidy(d).display().to_string()),
                "stems_known": self.stats.stems_known,
                "stems_new": self.stats.stems_new,
                "warnings": cache_warnings,
            },
            "warnings": warnings,
            "exit_code": self.exit_code,
        });
        let Value::Object(value) = value else {
            unreachable!("json! of an object literal is an object")
        };
        let record = Keyed {
            value,
            input: Input {
                dir: self.input_dir.map(|d| d.display().to_string()),
                files: Files(&self.stats.inputs),
            },
        };
        // Serializing strings and numbers cannot fail.
        let mut out = serde_json::to_vec_pretty(&record).unwrap_or_default();
        out.push(b'\n');
        out
    }
}

/// Milliseconds with microsecond precision: short stages of small runs are not all zero.
fn millis(d: Duration) -> f64 {
    d.as_micros() as f64 / 1000.0
}

/// The record's object with its `input` entry, which lists every file read: serialized
/// straight from the run's inputs, never built as a value per file (a run may read hundreds
/// of thousands). Keys come out sorted, as a `Value` object's do.
struct Keyed<'a> {
    value: Map<String, Value>,
    input: Input<'a>,
}

impl serde::Serialize for Keyed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        const KEY: &str = "input";
        let mut map = s.serialize_map(Some(self.value.len() + 1))?;
        let mut input = Some(&self.input);
        for (k, v) in &self.value {
            if k.as_str() > KEY
                && let Some(i) = input.take()
            {
                map.serialize_entry(KEY, i)?;
            }
            map.serialize_entry(k, v)?;
        }
        if let Some(i) = input {
            map.serialize_entry(KEY, i)?;
        }
        map.end()
    }
}

/// `input`: the input folder and every file in it. Fields in key order.
#[derive(serde::Serialize)]
struct Input<'a> {
    dir: Option<String>,
    files: Files<'a>,
}

struct Files<'a>(&'a [InputRecord]);

impl serde::Serialize for Files<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|i| InputJson {
            blake3: i.blake3.as_deref(),
            bytes: i.bytes,
            path: &i.rel,
        }))
    }
}

/// One file of `input.files`. Fields in key order.
#[derive(serde::Serialize)]
struct InputJson<'a> {
    blake3: Option<&'a str>,
    bytes: u64,
    path: &'a str,
}

fn warning_json(w: &Warning) -> Value {
    json!({"file": w.file, "line": w.line, "message": w.message})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_input_list_prints_as_the_value_it_replaces() {
        let inputs = [
            InputRecord {
                rel: "a/b.txt".into(),
                bytes: 12,
                blake3: Some("ab".repeat(32)),
            },
            InputRecord {
                rel: "c \"d\".txt".into(),
                bytes: 0,
                blake3: None,
            },
        ];
        for files in [&inputs[..], &[]] {
            for (a, z) in [("aa", "zz"), ("in", "inputs"), ("a", "b"), ("y", "z")] {
                let as_value = json!({
                    a: 1,
                    "input": {
                        "dir": "/in",
                        "files": files
                            .iter()
                            .map(|i| json!({"path": i.rel, "bytes": i.bytes, "blake3": i.blake3}))
                            .collect::<Vec<_>>(),
                    },
                    z: [],
                });
                let Value::Object(mut value) = as_value.clone() else {
                    unreachable!()
                };
                value.remove("input");
                let keyed = Keyed {
                    value,
                    input: Input {
                        dir: Some("/in".into()),
                        files: Files(files),
                    },
                };
                assert_eq!(
                    String::from_utf8(serde_json::to_vec_pretty(&keyed).unwrap()).unwrap(),
                    String::from_utf8(serde_json::to_vec_pretty(&as_value).unwrap()).unwrap(),
                    "{a} {z} with {} files",
                    files.len()
                );
            }
        }
    }
}
