//! The library's error type.
//!
//! Every error names where it happened — file, key, row, column — and what was
//! expected, because the person reading it is a planner with a spreadsheet,
//! not a developer with a debugger.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// One thing wrong at one place: a key of a rule file, or a row and column of
/// a worksheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Where: `components[1].weight (2)`, `row 14, column jawaban`.
    pub location: String,
    /// What is wrong, and what was expected.
    pub message: String,
}

impl Problem {
    /// A problem at `location`.
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { location: location.into(), message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.location.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.location, self.message)
        }
    }
}

/// Writes problems one per line, indented, for the bodies of errors.
struct ProblemList<'a>(&'a [Problem]);

impl fmt::Display for ProblemList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in self.0 {
            write!(f, "\n  - {p}")?;
        }
        Ok(())
    }
}

/// Everything that can go wrong in `sakip`.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },

    /// A rule file is not valid TOML, or has a key of the wrong type or an
    /// unknown key. The message carries line and column.
    #[error("{}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// The parser's message, with line, column and key.
        message: String,
    },

    /// A rule file parsed but breaks the rules of its kind; every problem is
    /// listed.
    #[error("{}: {} problem{}{}", path.display(), problems.len(), plural(problems.len()), ProblemList(problems))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Each problem with its key.
        problems: Vec<Problem>,
    },

    /// A rubric, answer scale or predikat scale named by id does not exist.
    #[error("no {kind} named '{id}': {} does not exist", looked.display())]
    NotFound {
        /// What was looked for: "rubric", "answer scale", "predikat scale".
        kind: &'static str,
        /// The id as given.
        id: String,
        /// The file that would have held it.
        looked: PathBuf,
    },

    /// A rule file of one kind was given where another was expected.
    #[error("{}: is a {found}, but a {expected} is needed here", path.display())]
    WrongKind {
        /// The file.
        path: PathBuf,
        /// Its `kind`.
        found: String,
        /// The kind wanted.
        expected: &'static str,
    },

    /// A worksheet has answers that cannot be scored; every problem is listed.
    #[error("{}: {} problem{}{}", path.display(), problems.len(), plural(problems.len()), ProblemList(problems))]
    Worksheet {
        /// The worksheet file.
        path: PathBuf,
        /// Each problem with its row and column.
        problems: Vec<Problem>,
    },

    /// A score that cannot be graded.
    #[error("score {value} is outside 0..100 and has no predikat")]
    ScoreOutOfRange {
        /// The score as given.
        value: String,
    },

    /// A warehouse table that a command needs does not exist yet.
    #[error("no {table} table in {}: run `sakip run` (or `sakip ingest`) first", warehouse.display())]
    NoTable {
        /// The table's name.
        table: String,
        /// The warehouse directory.
        warehouse: PathBuf,
    },

    /// A query over the warehouse failed: an unknown table, column or
    /// function, or a type mismatch. The message is the query engine's.
    #[error("query failed: {0}")]
    Query(String),

    /// Another run holds the warehouse.
    #[error("{} is locked by another sakip run ({}); wait for it to finish", warehouse.display(), holder.map_or("process id not known".to_string(), |pid| format!("process {pid}")))]
    Locked {
        /// The warehouse.
        warehouse: PathBuf,
        /// The process holding the lock, when it could be read.
        holder: Option<u32>,
    },

    /// A value given on the command line that is not usable.
    #[error("{0}")]
    Usage(String),
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
