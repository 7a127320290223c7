//! Subcommands: one file each, with its `run` function.

pub mod check;
pub mod clean;
pub mod extract;
pub mod kwic;
pub mod run;

use crate::cli::CommonArgs;
use crate::config::{Overrides, Settings};
use crate::error::RunError;

/// Resolves settings from the shared flags.
pub fn settings(
    common: &CommonArgs,
    output: Option<std::path::PathBuf>,
    excel: Option<bool>,
    no_charts: bool,
) -> Result<Settings, RunError> {
    let flags = Overrides {
        input: common.input.clone(),
        output,
        forums: common.forum.clone(),
        excel_compatible: excel,
        no_charts,
    };
    Settings::resolve(common.config.as_deref(), &flags).map_err(RunError::Config)
}
