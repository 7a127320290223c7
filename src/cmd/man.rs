//! `topictrends man`: print the manual page (roff), generated from the clap definition.
//!
//! One page for the whole program: the global options, then a section per subcommand with its
//! synopsis and options, then the exit codes, so `man topictrends` answers every question
//! `--help` does.

use clap::CommandFactory;
use clap_mangen::Man;
use clap_mangen::roff::{Roff, bold, roman};

use crate::cli::Cli;
use crate::error::{RunError, exit};

/// The page, as roff source.
pub fn page() -> Vec<u8> {
    let cmd = Cli::command();
    let name = cmd.get_name().to_string();
    let man = Man::new(cmd.clone()).source(format!("{name} {}", crate::version::LINE));
    let mut out = Vec::new();
    // Writing into a Vec cannot fail.
    let _ = man.render_title(&mut out);
    let _ = man.render_name_section(&mut out);
    let _ = man.render_synopsis_section(&mut out);
    let _ = man.render_description_section(&mut out);
    let _ = man.render_options_section(&mut out);

    let mut commands = Roff::default();
    commands.control("SH", ["COMMANDS"]);
    commands.to_writer(&mut out).ok();
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        let full = format!("{name} {}", sub.get_name());
        let mut head = Roff::default();
        head.control("SS", [full.as_str()]);
        if let Some(about) = sub.get_long_about().or_else(|| sub.get_about()) {
            head.text([roman(about.to_string())]);
        }
        head.to_writer(&mut out).ok();
        // The subcommand alone (without the global flags, listed once above), under its full name.
        let sub_man = Man::new(sub.clone().bin_name(&full).display_name(&full));
        let mut section = Vec::new();
        let _ = sub_man.render_synopsis_section(&mut section);
        if sub.get_arguments().any(|a| !a.is_hide_set()) {
            let _ = sub_man.render_options_section(&mut section);
        }
        out.extend(demote_sections(&String::from_utf8_lossy(&section)).into_bytes());
    }

    let mut status = Roff::default();
    status.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in exit::DOCUMENTED {
        status.control("TP", []);
        status.text([bold(code.to_string())]);
        status.text([roman(meaning.replace('`', ""))]);
    }
    status.control("SH", ["FILES"]);
    status.control("TP", []);
    status.text([bold(crate::config::DEFAULT_CONFIG)]);
    status.text([roman(
        "The configuration used when --config is not given and the file exists in the working \
         directory; else the built-in defaults (without a theme dictionary). topictrends init \
         writes one, with a theme dictionary.",
    )]);
    status.control("SH", ["VERSION"]);
    status.text([roman(crate::version::LINE)]);
    status.to_writer(&mut out).ok();
    once_preamble(&out)
}

/// Each render repeats roff's two-line preamble (defining the apostrophe string); keep the first.
fn once_preamble(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let mut seen = std::collections::HashSet::new();
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let preamble = line.starts_with(".ie \\n(.g .ds Aq") || line.starts_with(".el .ds Aq");
        if preamble && !seen.insert(line.to_string()) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.into_bytes()
}

/// A subcommand's `.SH X` headings become bold paragraph labels inside its `.SS` section.
fn demote_sections(roff: &str) -> String {
    let mut out = String::with_capacity(roff.len());
    for line in roff.lines() {
        match line.strip_prefix(".SH ") {
            Some(heading) => {
                let label = heading.trim_matches('"');
                let mut first = label.chars();
                let label: String = first
                    .next()
                    .map(|c| {
                        c.to_uppercase()
                            .chain(first.flat_map(char::to_lowercase))
                            .collect()
                    })
                    .unwrap_or_default();
                out.push_str(".PP\n\\fB");
                out.push_str(&label);
                out.push_str(":\\fR\n");
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// Prints the page to stdout.
pub fn run() -> Result<i32, RunError> {
    super::write_stdout(&page())?;
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subcommand_headings_become_labels() {
        let got = demote_sections(".SH SYNOPSIS\n\\fBx\\fR\n.SH OPTIONS\n.TP\n");
        assert_eq!(
            got,
            ".PP\n\\fBSynopsis:\\fR\n\\fBx\\fR\n.PP\n\\fBOptions:\\fR\n.TP\n"
        );
    }

    #[test]
    fn the_page_has_one_title_and_every_section() {
        let page = String::from_utf8(page()).unwrap();
        assert_eq!(page.matches(".TH ").count(), 1, "{page}");
        for section in [
            "NAME",
            "SYNOPSIS",
            "OPTIONS",
            "COMMANDS",
            "\"EXIT STATUS\"",
            "VERSION",
        ] {
            assert!(
                page.contains(&format!(".SH {section}\n")),
                "{section} in\n{page}"
            );
        }
    }
}
