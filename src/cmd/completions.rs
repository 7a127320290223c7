//! `topictrends completions SHELL`: print a completion script generated from the clap definition.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};
use crate::error::{RunError, exit};

/// The script for one shell, as bytes.
pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut cmd = Cli::command();
    let name = cmd.get_name().to_string();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, name, &mut out);
    out
}

/// Prints the script to stdout.
pub fn run(args: &CompletionsArgs) -> Result<i32, RunError> {
    super::write_stdout(&script(args.shell))?;
    Ok(exit::OK)
}
