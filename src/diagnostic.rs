//! Warnings: problems that do not stop the batch, each naming its file (and line).

use std::fmt;

/// One warning, printed as `file:line: message` and kept in the run record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl Warning {
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Warning {
        Warning {
            file: file.into(),
            line: None,
            message: message.into(),
        }
    }

    pub fn at_line(file: impl Into<String>, line: usize, message: impl Into<String>) -> Warning {
        Warning {
            file: file.into(),
            line: Some(line),
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{l}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Writes each problem on a line of its own, each after `place: ` (a file several problems
/// were found in, so that every line names it).
pub fn each_at(
    f: &mut fmt::Formatter<'_>,
    place: &std::path::Path,
    problems: impl IntoIterator<Item = impl fmt::Display>,
) -> fmt::Result {
    for (i, p) in problems.into_iter().enumerate() {
        if i > 0 {
            writeln!(f)?;
        }
        write!(f, "{}: {p}", place.display())?;
    }
    Ok(())
}
