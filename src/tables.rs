//! The warehouse tables: their names and files, and (with the `analytics`
//! feature) scanning and writing them as polars sees them.
//!
//! Ingest writes `answers` and `rejects` with arrow-rs; every later stage
//! reads the warehouse through polars and writes its own tables here. Each
//! table lives in `<warehouse>/<name>/`, as one or more Parquet files
//! (partitioned by `year=YYYY/`, and `answers` also by `province=PP/`, so
//! a reader of one year or province opens only its files).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

#[cfg(feature = "analytics")]
mod frames;
#[cfg(feature = "analytics")]
pub use frames::*;

/// Accepted answers, written by ingest.
pub const ANSWERS: &str = "answers";
/// Refused rows and files, written by ingest.
pub const REJECTS: &str = "rejects";
/// Total score and predikat per unit, year and track.
pub const SCORES: &str = "scores";
/// Score per component, unit, year and track.
pub const COMPONENT_SCORES: &str = "component_scores";
/// Evaluator-track ranking per year, with last year's standing.
pub const RANKINGS: &str = "rankings";
/// Evaluator-track ranking per component.
pub const COMPONENT_RANKINGS: &str = "component_rankings";

/// The tables `sakip sql` registers, in order.
pub const ALL: [&str; 6] = [ANSWERS, SCORES, COMPONENT_SCORES, RANKINGS, COMPONENT_RANKINGS, REJECTS];

/// Every Parquet file of a table, sorted by path. A warehouse with
/// snapshots is read through `current`.
pub fn files(warehouse: &Path, table: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![crate::snapshot::resolve(warehouse).join(table)];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "parquet") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// The years a table holds, from its `year=YYYY/` folders, ascending.
pub fn years(warehouse: &Path, table: &str) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir(crate::snapshot::resolve(warehouse).join(table)) else { return Vec::new() };
    let mut years: Vec<i32> =
        entries.flatten().filter_map(|e| e.file_name().to_str()?.strip_prefix("year=")?.parse().ok()).collect();
    years.sort_unstable();
    years
}

/// Removes a table, so that it can be written afresh partition by partition.
pub fn clear(warehouse: &Path, table: &str) -> Result<()> {
    let dir = warehouse.join(table);
    match std::fs::remove_dir_all(&dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Io { path: dir, source: e }),
        _ => Ok(()),
    }
}
