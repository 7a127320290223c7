//! topictrends: dated statements in, per-session term frequencies, theme scores and charts out.

pub mod date;
pub mod lock;
pub mod publish;
