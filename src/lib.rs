//! topictrends: dated statements in, per-session term frequencies, theme scores and charts out.

pub mod charts;
pub mod date;
