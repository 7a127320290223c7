//! topictrends: dated statements in, per-session term frequencies, theme scores and charts out.

pub mod clean;
pub mod date;
pub mod decode;
