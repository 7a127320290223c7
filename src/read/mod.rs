//! Read: list the input folder, set duplicates aside, read each statement (or its cached reading), and stream the huge ones.

pub mod cache;
pub mod discover;
pub mod duplicates;
pub mod large;
pub mod reading;
pub mod statement;
