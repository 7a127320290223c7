//! Command-line interface: the flags, parsed into a raw struct that `main` resolves once.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::log::LogFormat;

/// Dated statements in; per-session term frequencies, theme scores and charts out.
#[derive(Debug, Parser)]
#[command(name = "topictrends", version = crate::version::LINE, about, long_about = None)]
pub struct Cli {
    /// Print errors only.
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// More detail on stderr: debug lines with each stage's time, the cache's use and the thread count. RUST_LOG=debug works too.
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,
    /// Log line format on stderr: text, or json (one object per line, for schedulers).
    #[arg(long, value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    /// Worker threads, 1 to 256 [default: one per core; RAYON_NUM_THREADS works too]. Outputs
    /// are the same bytes whatever the number.
    #[arg(short = 'j', long, value_name = "N", global = true, value_parser = clap::value_parser!(u16).range(1..=MAX_THREADS as i64))]
    pub threads: Option<u16>,
    #[command(subcommand)]
    pub command: Command,
}

/// The most worker threads a run takes (`-j`, `RAYON_NUM_THREADS`): each has its own counts to
/// merge, so threads beyond the cores only cost memory and time.
pub const MAX_THREADS: u16 = 256;

/// The thread count `RAYON_NUM_THREADS` asks for, read as `-j` reads its value: `Ok(None)` when
/// it is unset, empty or 0 (rayon's "one per core"), an error naming the variable when it is
/// not a whole number from 1 to [`MAX_THREADS`].
pub fn threads_from_env(value: Option<&std::ffi::OsStr>) -> Result<Option<u16>, String> {
    let Some(value) = value else {
        return Ok(None);
    };
    let text = value.to_string_lossy();
    let text = text.trim();
    if text.is_empty() || text == "0" {
        return Ok(None);
    }
    match text.parse::<u16>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(Some(n)),
        _ => Err(format!(
            "RAYON_NUM_THREADS={text:?}: not a number of threads from 1 to {MAX_THREADS} (or 0 for one per core), as -j takes"
        )),
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read the statements and write every table (and chart) to the output folder.
    Run(RunArgs),
    /// Validate config, theme dictionary and input, and report every problem, without writing anything.
    Check(CheckArgs),
    /// Print the text read from one statement file (PDF, DOCX, HTML, Markdown or text), cleaned as the analysis sees it.
    Extract(ExtractArgs),
    /// Print every occurrence of a term or pattern in context, aligned on the match (writes nothing).
    Kwic(KwicArgs),
    /// Build every output from the partial files of `run --shard K/N --partial FILE`, as one run over the whole input would.
    Merge(MergeArgs),
    /// Remove the cache and any staging left by killed runs (the output stays unless --all).
    Clean(CleanArgs),
    /// Write a starter config/topictrends.toml, config/themes.toml and input/ (never overwrites).
    Init(InitArgs),
    /// Print a shell completion script to stdout.
    Completions(CompletionsArgs),
    /// Print the manual page (roff) to stdout.
    Man,
}

#[derive(Debug, Args, Clone, Default)]
pub struct InitArgs {
    /// Folder to set up (created when missing).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
    /// Also write the two shipped example statements and their manifest rows, so `run` works at once.
    #[arg(long)]
    pub example: bool,
}

#[derive(Debug, Args, Clone)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_name = "SHELL", value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args, Clone, Default)]
pub struct ExtractArgs {
    /// The statement file; its extension chooses the reader.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Print the text as extracted, before the clean stage (line ends, ligatures, hyphen joins, NFC).
    #[arg(long)]
    pub raw: bool,
}

/// Where to read from and what configuration to use.
#[derive(Debug, Args, Clone, Default)]
pub struct CommonArgs {
    /// Folder of statements [default: from the config, else ./input].
    #[arg(long, value_name = "DIR")]
    pub input: Option<PathBuf>,
    /// Configuration file [default: config/topictrends.toml when it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Only statements of this forum (repeatable; overrides `forums` in the config's metadata section).
    #[arg(long, value_name = "NAME")]
    pub forum: Vec<String>,
    /// Exit with code 7 when there were warnings (e.g. undated statements).
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args, Clone, Default)]
pub struct RunArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output folder [default: from the config, else ./output]. Replaced atomically.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Plain UTF-8 CSV with LF line ends instead of Excel's BOM + CRLF.
    #[arg(long)]
    pub no_excel: bool,
    /// Write the CSV tables only, no PNG charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Read and analyse every statement afresh; neither read nor update the cache.
    #[arg(long)]
    pub no_cache: bool,
    /// Analyse only shard K of N (a split by file path, the same on every machine) and write
    /// the partial file named by --partial instead of the output; see `merge`.
    #[arg(long, value_name = "K/N", requires = "partial", value_parser = shard_spec)]
    pub shard: Option<String>,
    /// Where `--shard` writes its partial file (replaced atomically).
    #[arg(long, value_name = "FILE", requires = "shard")]
    pub partial: Option<PathBuf>,
}

/// Checks a `--shard` value: K/N with 1 <= K <= N.
/// `kwic --width`: a number of characters, at most [`MAX_KWIC_WIDTH`].
fn kwic_width(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if n <= MAX_KWIC_WIDTH => Ok(n),
        _ => Err(format!(
            "expected a number of characters from 0 to {MAX_KWIC_WIDTH}"
        )),
    }
}

/// The widest context `kwic` shows on each side of a match.
pub const MAX_KWIC_WIDTH: usize = 10_000;

fn shard_spec(s: &str) -> Result<String, String> {
    let ok = s.split_once('/').is_some_and(
        |(k, n)| matches!((k.parse::<u32>(), n.parse::<u32>()), (Ok(k), Ok(n)) if k >= 1 && k <= n),
    );
    if ok {
        Ok(s.to_string())
    } else {
        Err("expected K/N with 1 <= K <= N, e.g. 2/8".into())
    }
}

#[derive(Debug, Args, Clone, Default)]
pub struct MergeArgs {
    /// The partial files of every shard of one split (each `run --shard K/N --partial FILE`).
    #[arg(value_name = "PARTIAL", required = true)]
    pub partials: Vec<PathBuf>,
    /// Configuration file: the one the shards ran with [default: config/topictrends.toml when it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The forum(s) the shards ran with `--forum` (repeatable): the merge must name the same.
    #[arg(long, value_name = "NAME")]
    pub forum: Vec<String>,
    /// Output folder [default: from the config, else ./output]. Replaced atomically.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Plain UTF-8 CSV with LF line ends instead of Excel's BOM + CRLF.
    #[arg(long)]
    pub no_excel: bool,
    /// Write the CSV tables only, no PNG charts.
    #[arg(long)]
    pub no_charts: bool,
    /// Exit with code 7 when there were warnings (e.g. undated statements).
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args, Clone, Default)]
pub struct CheckArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// The output folder to check, as `run --output DIR` would use it [default: from the
    /// config, else ./output].
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args, Clone, Default)]
pub struct CleanArgs {
    /// Configuration file (to find the output folder) [default: config/topictrends.toml when it exists].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output folder whose cache and leftovers to remove [default: from the config, else ./output].
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Also remove the output folder itself (only if it holds a topictrends output).
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args, Clone, Default)]
pub struct KwicArgs {
    /// A word or phrase, written like a dictionary pattern ("cyber mercenar*", "access as a service").
    #[arg(value_name = "TERM-OR-PATTERN")]
    pub pattern: String,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Characters of context shown on each side of the match (at most 10000) [default: 40].
    /// Given, it also widens the words kept to a quarter of it when `[evidence] context_words`
    /// keeps fewer; not given, `context_words` words at most are shown.
    #[arg(long, value_name = "CHARS", value_parser = kwic_width)]
    pub width: Option<usize>,
    /// The pattern's language (ar, en, es, fr, ru, zh): it is read with that language's analysis
    /// and found in the statements in that language. Default: `[analysis] language`.
    #[arg(long, value_name = "CODE", value_parser = language_code)]
    pub language: Option<String>,
}

/// `kwic --language`: one of the six UN languages, in any form `[analysis] language` takes.
fn language_code(s: &str) -> Result<String, String> {
    match crate::analyze::language::Language::parse(s) {
        Some(_) => Ok(s.to_string()),
        None => Err("expected one of the six UN languages: ar, en, es, fr, ru, zh".into()),
    }
}

/// Whether the command line asks for JSON logs (`--log-format json` or `--log-format=json`),
/// read from the raw arguments: for the error of a command line that does not parse.
pub fn asks_for_json_log(args: impl IntoIterator<Item = std::ffi::OsString>) -> bool {
    let mut asks = false;
    let mut previous_was_flag = false;
    for arg in args {
        let arg = arg.to_string_lossy().into_owned();
        if arg == "--" {
            break;
        }
        if previous_was_flag {
            asks = arg == "json";
        } else if let Some(value) = arg.strip_prefix("--log-format=") {
            asks = value == "json";
        }
        previous_was_flag = arg == "--log-format";
    }
    asks
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn rayon_num_threads_is_read_as_j_reads_its_value() {
        use std::ffi::OsStr;
        assert_eq!(threads_from_env(None), Ok(None));
        assert_eq!(threads_from_env(Some(OsStr::new(""))), Ok(None));
        assert_eq!(threads_from_env(Some(OsStr::new("0"))), Ok(None));
        assert_eq!(threads_from_env(Some(OsStr::new(" 3 "))), Ok(Some(3)));
        assert_eq!(threads_from_env(Some(OsStr::new("256"))), Ok(Some(256)));
        for bad in ["abc", "-1", "257", "99999", "2.5"] {
            let err = threads_from_env(Some(OsStr::new(bad))).unwrap_err();
            assert!(err.starts_with("RAYON_NUM_THREADS="), "{err}");
        }
    }

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn run_takes_its_flags() {
        let cli = Cli::try_parse_from([
            "topictrends",
            "run",
            "--input",
            "a",
            "--output",
            "b",
            "--config",
            "c.toml",
            "-q",
            "--no-charts",
        ])
        .unwrap();
        assert!(cli.quiet);
        let Command::Run(args) = cli.command else {
            panic!("not run")
        };
        assert_eq!(
            args.common.input.as_deref(),
            Some(std::path::Path::new("a"))
        );
        assert_eq!(args.output.as_deref(), Some(std::path::Path::new("b")));
        assert!(args.no_charts);
    }

    #[test]
    fn extract_takes_a_file() {
        let cli = Cli::try_parse_from(["topictrends", "extract", "a.pdf", "--raw"]).unwrap();
        let Command::Extract(args) = cli.command else {
            panic!("not extract")
        };
        assert_eq!(args.file, std::path::PathBuf::from("a.pdf"));
        assert!(args.raw);
        assert!(Cli::try_parse_from(["topictrends", "extract"]).is_err());
    }

    #[test]
    fn init_defaults_to_the_working_directory() {
        let cli = Cli::try_parse_from(["topictrends", "init"]).unwrap();
        let Command::Init(args) = cli.command else {
            panic!("not init")
        };
        assert_eq!(args.dir, std::path::PathBuf::from("."));
        assert!(!args.example);
    }

    #[test]
    fn completions_take_a_known_shell() {
        assert!(Cli::try_parse_from(["topictrends", "completions", "zsh"]).is_ok());
        assert!(Cli::try_parse_from(["topictrends", "completions", "tcsh"]).is_err());
        assert!(Cli::try_parse_from(["topictrends", "completions"]).is_err());
    }

    #[test]
    fn json_logs_are_asked_for_by_the_raw_arguments() {
        let asks = |args: &[&str]| asks_for_json_log(args.iter().map(std::ffi::OsString::from));
        assert!(asks(&["--log-format", "json", "run", "--bogus"]));
        assert!(asks(&["run", "--log-format=json"]));
        assert!(!asks(&["run", "--log-format", "text"]));
        assert!(!asks(&["--log-format", "json", "--log-format", "text"]));
        assert!(!asks(&["run", "--", "--log-format", "json"]));
        assert!(!asks(&["run"]));
    }
}
