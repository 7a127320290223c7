//! topictrends: dated statements in, per-session term frequencies, theme scores and charts out.

pub mod date;
pub mod file_name_pattern;
pub mod front_matter;
pub mod header;
