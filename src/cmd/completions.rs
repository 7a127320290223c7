//! `topictrends completions SHELL`: print a completion script generated from the clap definition.

use std::io::Write;

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
    let mut out = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = out
        .write_all(&script(args.shell))
        .and_then(|()| out.flush());
    Ok(exit::OK)
}
