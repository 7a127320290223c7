//! topictrends: dated statements in, per-session term frequencies, theme scores and charts out.
//!
//! The pipeline, one module per stage: [`discover`] lists the input,
//! [`decode`] and [`clean`] turn bytes into text, [`metadata`] (with
//! [`header`], [`front_matter`], [`file_name_pattern`]) says when and by
//! whom, [`analyze`] tokenizes and stems, [`matcher`] finds theme hits,
//! [`aggregate`] counts, [`results`] orders, [`tables`] and [`outputs`]
//! render, and [`publish`] writes atomically.

pub mod aggregate;
pub mod analyze;
pub mod cache;
pub mod catalog;
pub mod chart_data;
pub mod charts;
pub mod chunked;
pub mod clean;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod date;
pub mod decode;
pub mod diagnostic;
pub mod dictionary;
pub mod discover;
pub mod duplicates;
pub mod error;
pub mod evidence;
pub mod extract;
pub mod file_name_pattern;
pub mod front_matter;
pub mod group;
pub mod header;
pub mod interrupt;
pub mod lock;
pub mod log;
pub mod matcher;
pub mod metadata;
pub mod outputs;
pub mod pipeline;
pub mod publish;
pub mod reading;
pub mod reference;
pub mod results;
pub mod run_record;
pub mod stats;
pub mod table;
pub mod tables;
pub mod wide;
pub mod workbook;
