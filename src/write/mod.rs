//! Write: render tables, charts, the workbook and the report page to bytes, record the run, publish atomically under a lock.

pub mod charts;
pub mod html;
pub mod lock;
pub mod outputs;
pub mod publish;
pub mod run_record;
pub mod spill;
pub mod workbook;
