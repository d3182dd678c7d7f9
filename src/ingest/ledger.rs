//! The ledger of ingested files, kept in every snapshot, so that a nightly
//! run re-reads only the year folders whose submissions changed.
//!
//! For each year folder the ledger records every file's path, size,
//! modification time and SHA-256, and that year's share of the run summary.
//! A later run compares the folder's files (path, size, modification time)
//! with it: an unchanged year's answers and rejects are hard-linked from the
//! previous snapshot instead of being read again. Each year's output is a
//! pure function of its files and the rules, so the result is byte-identical
//! to a full rebuild. The rules — pipeline, rubrics, scales, registry — and
//! sakip's version are fingerprinted too; when any of them changes, every
//! year is rebuilt. `sakip run --full` rebuilds regardless.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::ingest::Summary;
use crate::pipeline::Plan;

/// The ledger's file name inside a snapshot.
pub const FILE: &str = "ledger.json";

/// One file of a year folder as ingested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerFile {
    /// Path relative to the inbox.
    pub file: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub modified: i64,
    /// SHA-256 of the contents (empty when the file was not read).
    pub sha256: String,
}

/// One year folder (or the files outside any year folder) as ingested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearEntry {
    /// The year; `None` for files outside year folders.
    pub year: Option<i32>,
    /// Its files, sorted by path.
    pub files: Vec<LedgerFile>,
    /// What ingesting them gave.
    pub summary: Summary,
}

/// Everything a snapshot's ingest read.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    /// Digest of the rules and sakip's version the snapshot was built with.
    pub rules: String,
    /// One entry per year folder, in year order.
    pub years: Vec<YearEntry>,
}

impl Ledger {
    /// Reads the ledger of a snapshot folder, if it has one.
    pub fn read(snapshot: &Path) -> Option<Ledger> {
        let text = std::fs::read_to_string(snapshot.join(FILE)).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Writes the ledger into a snapshot folder.
    pub fn write(&self, snapshot: &Path) -> Result<()> {
        let path = snapshot.join(FILE);
        let text = serde_json::to_string_pretty(self).expect("a ledger is plain data");
        std::fs::write(&path, text).map_err(|source| Error::Io { path, source })
    }

    /// The entry for a year, if its files are exactly `files` (path, size,
    /// modification time).
    pub fn unchanged(&self, year: Option<i32>, files: &[LedgerFile]) -> Option<&YearEntry> {
        let entry = self.years.iter().find(|e| e.year == year)?;
        let same = entry.files.len() == files.len()
            && entry.files.iter().zip(files).all(|(a, b)| a.file == b.file && a.size == b.size && a.modified == b.modified);
        same.then_some(entry)
    }
}

/// The warehouse's file layout, part of [`rules_digest`]: a snapshot written
/// under another layout is never taken over piecemeal. Change it whenever
/// the files a year of a table consists of change.
const WAREHOUSE_LAYOUT: &str = "layout 2: answers one file per year";

/// A digest of everything besides the submissions that decides the output:
/// sakip's version and warehouse layout, the pipeline file, every rule file beside it, and the
/// unit registry.
pub fn rules_digest(plan: &Plan) -> Result<String> {
    let mut hasher = Sha256::new();
    hasher.update(env!("CARGO_PKG_VERSION").as_bytes());
    hasher.update(WAREHOUSE_LAYOUT.as_bytes());
    let mut paths: Vec<PathBuf> = vec![plan.path.clone()];
    let base = plan.path.parent().unwrap_or(Path::new("."));
    for dir in ["rubrics", "scales", "answer-scales"] {
        if let Ok(entries) = std::fs::read_dir(base.join(dir)) {
            paths.extend(entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "toml")));
        }
    }
    for e in &plan.evaluations {
        paths.push(e.rubric.path.clone());
    }
    paths.push(plan.registry_dir.join("provinces.csv"));
    paths.push(plan.registry_dir.join("regencies.csv"));
    paths.sort();
    paths.dedup();
    for path in paths {
        let bytes = std::fs::read(&path).map_err(|source| Error::Io { path: path.clone(), source })?;
        hasher.update(path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default().as_bytes());
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(&bytes);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
