//! `topictrends extract FILE`: print the text a statement file yields, for inspection.

use crate::cli::ExtractArgs;
use crate::diagnostic::Warning;
use crate::error::{RunError, exit};
use crate::log::{Level, Log};

/// Prints the file's text to stdout (cleaned unless `--raw`), warnings to stderr; returns the
/// exit code: 0, or 4 when the file cannot be read or gives no text.
pub fn run(args: &ExtractArgs, log: &Log) -> Result<i32, RunError> {
    let name = args.file.display().to_string();
    // Never opened: a FIFO could block forever and a device (/dev/zero) never end, as `run`
    // skips them.
    if let Ok(meta) = std::fs::metadata(&args.file)
        && !meta.is_file()
    {
        let what = if meta.is_dir() {
            "a folder, not a statement file"
        } else {
            crate::read::discover::NOT_A_FILE
        };
        log.log(Level::Error, &format!("{name}: {what}"));
        return Ok(exit::NO_INPUT);
    }
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            log.log(Level::Error, &format!("{name}: unreadable: {e}"));
            return Ok(exit::NO_INPUT);
        }
    };
    let loaded = match crate::decode::extract::load(&args.file, &bytes) {
        Ok(l) => l,
        Err(e) => {
            log.log(Level::Error, &format!("{name}: skipped: {e}"));
            return Ok(exit::NO_INPUT);
        }
    };
    for w in &loaded.warnings {
        log.warning(&Warning::new(name.as_str(), w.as_str()));
    }
    let text = if args.raw {
        loaded.text
    } else {
        crate::decode::clean::clean(&loaded.text)
            .into_owned()
            .into()
    };
    let pages = loaded.pages.map_or(String::new(), |p| {
        format!(", {p} page{}", if p == 1 { "" } else { "s" })
    });
    log.log(
        Level::Info,
        &format!("{name}: {}{pages}", loaded.format.name()),
    );
    super::write_stdout(text.as_bytes())?;
    Ok(exit::OK)
}
