//! Themes: the dictionary file and the matcher it compiles into, sharing the text's analysis chain.

pub mod dictionary;
pub mod matcher;
