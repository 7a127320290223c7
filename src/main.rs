//! The `topictrends` binary: parse flags, run the subcommand, exit with its code.

use clap::Parser;

use topictrends::cli::{Cli, Command};
use topictrends::cmd;
use topictrends::log::{Level, Log};

fn main() {
    let cli = Cli::parse();
    let log = Log::new(cli.quiet, cli.verbose, cli.log_format);
    let result = match &cli.command {
        Command::Run(args) => cmd::run::run(args, &log),
        Command::Check(args) => cmd::check::run(args, &log),
        Command::Extract(args) => cmd::extract::run(args, &log),
        Command::Kwic(args) => cmd::kwic::run(args, &log),
        Command::Clean(args) => cmd::clean::run(args, &log),
    };
    let code = result.unwrap_or_else(|e| {
        log.log(Level::Error, &e.to_string());
        e.exit_code()
    });
    std::process::exit(code);
}
