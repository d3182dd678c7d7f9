//! The warehouse tables: their names and files, and (with the `analytics`
//! feature) scanning and writing them as polars sees them.
//!
//! Ingest writes `answers` and `rejects` with arrow-rs; every later stage
//! reads the warehouse through polars and writes its own tables here. Each
//! table lives in `<warehouse>/<name>/`, as one or more Parquet files
//! (partitioned by `year=YYYY/`, so a reader of one year opens only its
//! files; `answers` is sorted by province, so a province's rows are
//! contiguous and the page statistics let a reader skip the others).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

#[cfg(feature = "analytics")]
mod frames;
#[cfg(feature = "analytics")]
pub use frames::*;

/// Accepted answers, written by ingest. A row's `unit_code` is the unit's
/// one identity, today's code; `submitted_code` is the code its file gave,
/// which differs for a unit that sent a former code (README, "Units through
/// time").
pub const ANSWERS: &str = "answers";
/// Refused rows and files, written by ingest, with `submitted_code`, the
/// unit code the row or its file gave, when it gave one.
pub const REJECTS: &str = "rejects";
/// Total score and predikat per unit, year and track.
pub const SCORES: &str = "scores";
/// Score per component, unit, year and track.
pub const COMPONENT_SCORES: &str = "component_scores";
/// Evaluator-track ranking per year, with last year's standing.
pub const RANKINGS: &str = "rankings";
/// Evaluator-track ranking per component.
pub const COMPONENT_RANKINGS: &str = "component_rankings";

/// The tables `sakip sql` registers, in order: SAKIP's, then those of the
/// neighbouring evaluations (IKM and IKU) a pipeline may declare.
pub const ALL: [&str; 13] = [
    ANSWERS,
    SCORES,
    COMPONENT_SCORES,
    RANKINGS,
    COMPONENT_RANKINGS,
    REJECTS,
    // -- IKM / IKU
    crate::ikm::SCORES,
    crate::ikm::ELEMENTS,
    crate::ikm::REJECTS,
    crate::ikm::PROFILE,
    crate::iku::CAPAIAN,
    crate::iku::SCORES,
    crate::iku::REJECTS,
    // -- end IKM / IKU
];

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

/// Writes `bytes` as `path` with one call, creating its folder: every table
/// file is encoded in memory first.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source: std::io::Error| Error::Io { path: path.to_path_buf(), source };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(path, bytes).map_err(io)
}

/// Removes a table, so that it can be written afresh partition by partition.
pub fn clear(warehouse: &Path, table: &str) -> Result<()> {
    let dir = warehouse.join(table);
    match std::fs::remove_dir_all(&dir) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(Error::Io { path: dir, source: e }),
        _ => Ok(()),
    }
}

/// Hard-links every file under `from` into the same places under `to`
/// (copying where a link is not possible), creating the folders.
pub fn link_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|source| Error::Io { path: to.to_path_buf(), source })?;
    for entry in std::fs::read_dir(from).map_err(|source| Error::Io { path: from.to_path_buf(), source })? {
        let path = entry.map_err(|source| Error::Io { path: from.to_path_buf(), source })?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            link_tree(&path, &target)?;
        } else if std::fs::hard_link(&path, &target).is_err() {
            std::fs::copy(&path, &target).map_err(|source| Error::Io { path: target.clone(), source })?;
        }
    }
    Ok(())
}

/// What a run may take over from the previous snapshot: the years whose
/// submissions are unchanged since it, under the same pipeline, rules,
/// registry and sakip version (ingest decides, from its ledger). A table
/// computed from those years alone is the same bytes as last night's.
#[derive(Debug, Clone, Copy)]
pub struct Unchanged<'a> {
    /// The previous snapshot's folder.
    pub previous: &'a Path,
    /// The unchanged years.
    pub years: &'a BTreeSet<i32>,
}

impl Unchanged<'_> {
    /// Whether `year` is unchanged and the previous snapshot has it in
    /// `table`, so that it can be linked.
    pub fn has(&self, table: &str, year: i32) -> bool {
        self.years.contains(&year) && self.had(table, year)
    }

    /// Whether the previous snapshot has `year` of `table` at all.
    pub fn had(&self, table: &str, year: i32) -> bool {
        self.previous.join(table).join(format!("year={year}")).is_dir()
    }

    /// Whether `year`'s scores are the same as in the previous snapshot:
    /// the year is unchanged, or it has no scores now (`now` lists the years
    /// that have) and had none then.
    pub fn same_scores(&self, year: i32, now: &[i32]) -> bool {
        self.years.contains(&year) || (!now.contains(&year) && !self.had(SCORES, year))
    }

    /// Whether `year`'s ranking (which carries last year's standing) is the
    /// same as in the previous snapshot: this year's and last year's scores
    /// both are. `now` lists the years that have scores.
    pub fn same_ranking(&self, year: i32, now: &[i32]) -> bool {
        self.years.contains(&year) && self.same_scores(year - 1, now)
    }

    /// Links `year` of `table` from the previous snapshot into `warehouse`.
    pub fn link(&self, warehouse: &Path, table: &str, year: i32) -> Result<()> {
        let rel = format!("year={year}");
        link_tree(&self.previous.join(table).join(&rel), &warehouse.join(table).join(&rel))
    }
}
