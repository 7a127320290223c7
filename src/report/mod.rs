//! Report: the tables a run writes, as typed rows, with the statistics and evidence behind them.

pub mod catalog;
pub mod evidence;
pub mod hit_rows;
pub mod languages;
pub mod reference;

pub mod table;
pub mod tables;
pub mod wide;
