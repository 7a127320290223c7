//! Write: render tables, charts and the workbook to bytes, record the run, publish atomically under a lock.

pub mod charts;
pub mod lock;
pub mod outputs;
pub mod publish;
pub mod run_record;
pub mod workbook;
