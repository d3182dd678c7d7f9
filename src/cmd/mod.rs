//! The subcommands of the `sakip` binary, one module each, each with its own
//! arguments and a `run` function that writes to the given output. What
//! several of them share lives beside them: the pipeline arguments
//! ([`args`]), the staged run into a new snapshot with its worker pool
//! ([`staged`]), the end-of-run summary ([`summary`]) and how tables are
//! printed ([`output`]).

pub mod args;
pub mod evaluations;
pub mod frame;
pub mod gen;
pub mod grade;
pub mod ingest;
mod output;
pub mod rank;
pub mod review;
pub mod rollback;
pub mod rubric;
pub mod run;
pub mod score;
pub mod sql;
pub mod staged;
pub mod summary;
pub mod template;
pub mod unit;
pub mod validate;

pub use output::Format;
pub(crate) use output::{io_out, truncate, write_csv, write_table};
