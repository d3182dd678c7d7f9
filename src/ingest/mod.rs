//! Ingest: every submission in the inbox, read in parallel, checked against
//! the rubric and the unit registry, written to the Parquet warehouse.

pub mod read;
