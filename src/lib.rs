//! `sakip` consolidates SAKIP performance-accountability evaluations (LKE
//! worksheets) of the KPU into exact scores, predikat and rankings.
//!
//! The rules — rubrics, answer scales, predikat scales — are data files read
//! by [`rules::catalog::Catalog`]; [`score`] rolls one worksheet up exactly; the
//! [`cmd`] modules are the subcommands of the `sakip` binary, kept in the
//! library so tests and benchmarks can call them without a process.

#[cfg(feature = "analytics")]
pub mod cmd;
pub mod error;
pub mod exact;
pub mod gen;
pub mod ikm;
pub mod iku;
pub mod ingest;
pub mod memory;
pub mod messages;
pub mod progress;
#[cfg(feature = "analytics")]
pub mod rank;
pub mod registry;
pub mod rejects;
#[cfg(feature = "analytics")]
pub mod review;
pub mod rules;
pub mod score;
pub mod snapshot;
pub mod tables;
pub mod template;
pub mod text;
pub mod worksheet;

pub use error::{Error, Problem, Result};
pub use exact::{Exact, Points};

/// How a command that ran to the end went; mapped to the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was used: exit 0.
    Clean,
    /// Some input was rejected and reported; the rest was processed: exit 1.
    Rejected,
}

impl Error {
    /// The exit code for this error: 1 when the input data was at fault and
    /// reported, 2 when the run could not do its job at all (bad rule files,
    /// missing files, bad arguments).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Worksheet { .. } | Error::ScoreOutOfRange { .. } => 1,
            _ => 2,
        }
    }
}
