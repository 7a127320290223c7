//! topictrends: dated statements in, per-session term frequencies, theme scores and charts out.

pub mod analyze;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod count;
pub mod decode;
pub mod diagnostic;
pub mod error;
pub mod interrupt;
pub mod log;
pub mod metadata;
pub mod pipeline;
pub mod read;
pub mod report;
pub mod stats;
pub mod themes;
pub mod write;
