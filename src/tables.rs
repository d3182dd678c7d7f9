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
use crate::exact::Exact;

mod parquet;
pub use parquet::{keyed_texts, numbers, shared_texts, write_columns, Column};

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
/// Answer and exact points per criterion, unit, year and track.
pub const CRITERION_SCORES: &str = "criterion_scores";
/// Evaluator-track ranking per year, with last year's standing.
pub const RANKINGS: &str = "rankings";
/// Evaluator-track ranking per component.
pub const COMPONENT_RANKINGS: &str = "component_rankings";

/// The tables `sakip sql` registers, in order: SAKIP's, then those of the
/// neighbouring evaluations (IKM and IKU) a pipeline may declare.
pub const ALL: [&str; 14] = [
    ANSWERS,
    SCORES,
    COMPONENT_SCORES,
    CRITERION_SCORES,
    RANKINGS,
    COMPONENT_RANKINGS,
    REJECTS,
    IKM_SCORES,
    IKM_ELEMENTS,
    IKM_REJECTS,
    IKM_PROFILE,
    IKU_CAPAIAN,
    IKU_SCORES,
    IKU_REJECTS,
];

/// IKM: one row per unit and year (respondents, IKM, mutu, ranks).
pub const IKM_SCORES: &str = "ikm_scores";
/// IKM: NRR per element, unit and year.
pub const IKM_ELEMENTS: &str = "ikm_elements";
/// IKM: refused survey rows.
pub const IKM_REJECTS: &str = "ikm_rejects";
/// IKM: respondents per unit, year and profile value.
pub const IKM_PROFILE: &str = "ikm_profile";
/// IKU: one row per unit, year and indicator.
pub const IKU_CAPAIAN: &str = "iku_capaian";
/// IKU: one row per unit and year.
pub const IKU_SCORES: &str = "iku_scores";
/// IKU: refused indicator rows.
pub const IKU_REJECTS: &str = "iku_rejects";

/// The folder of one year of `table`, relative to the warehouse:
/// `answers/year=2024`. Every table is partitioned this way (the form
/// DuckDB, pyarrow and Spark read as a partition), and it also names the
/// year in messages.
pub fn partition(table: &str, year: i32) -> String {
    format!("{table}/year={year}")
}

/// The year of a partition folder's name (`year=2024`), if it is one.
pub fn partition_year(folder: &str) -> Option<i32> {
    folder.strip_prefix("year=")?.parse().ok()
}

/// The one file a year of a table is written as, under `root` (a warehouse
/// or a snapshot): `<root>/answers/year=2024/part-0.parquet`.
pub fn year_file(root: &Path, table: &str, year: i32) -> PathBuf {
    root.join(partition(table, year)).join("part-0.parquet")
}

/// Decimal places of the answers' `value` column (`DECIMAL(18,6)`).
pub const VALUE_PLACES: u32 = 6;

/// An exact value as the integer behind `answers.value`, `DECIMAL(18,6)`:
/// millionths, rounded half-up where a rule file used a fraction with no
/// finite decimal (2/3). Ingest writes values with it, and a worksheet read
/// back from the warehouse matches stored values against it.
pub fn millionths(value: &Exact) -> i128 {
    // floor(n·10^s/d + 1/2) = floor((2·n·10^s + d) / 2d), in integers: no
    // gcd per row (a Ratio sum would reduce). The denominator is positive.
    let (n, d) = (*value.numer(), *value.denom());
    num_integer::Integer::div_floor(&(2 * n * 10i128.pow(VALUE_PLACES) + d), &(2 * d))
}

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
    let mut years: Vec<i32> = entries.flatten().filter_map(|e| partition_year(e.file_name().to_str()?)).collect();
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
        self.previous.join(partition(table, year)).is_dir()
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
        let rel = partition(table, year);
        link_tree(&self.previous.join(&rel), &warehouse.join(&rel))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_stored_half_up_to_six_places() {
        let cases = [((1, 3), 333_333), ((2, 3), 666_667), ((1, 2_000_000), 1), ((1, 4_000_000), 0), ((-1, 3), -333_333), ((-1, 2_000_000), 0), ((75, 1), 75_000_000)];
        for ((n, d), stored) in cases {
            assert_eq!(millionths(&Exact::new(n, d)), stored, "{n}/{d}");
            // The same as rounding the exact rational half-up.
            let scaled = Exact::new(n, d) * 10i128.pow(VALUE_PLACES);
            assert_eq!((scaled + Exact::new(1, 2)).floor().to_integer(), stored, "{n}/{d}");
        }
    }

    #[test]
    fn partition_paths() {
        assert_eq!(partition(ANSWERS, 2024), "answers/year=2024");
        assert_eq!(year_file(Path::new("/w"), SCORES, 2015), Path::new("/w/scores/year=2015/part-0.parquet"));
        assert_eq!(partition_year("year=2024"), Some(2024));
        assert_eq!(partition_year("outside-year-folders"), None);
    }
}
