//! The ledger of ingested files, kept in every snapshot, so that a nightly
//! run re-reads only the year folders whose submissions changed.
//!
//! For each year folder the ledger records every file's path, size,
//! modification time, inode change time, inode number and SHA-256, and that
//! year's share of the run summary. A later run compares the folder's files
//! with it: an unchanged year's answers and rejects are hard-linked from the
//! previous snapshot instead of being read again.
//!
//! Size and modification time alone are not enough: `touch -r`, `cp -p`,
//! `rsync -t` and unpacking an archive all put an old modification time on
//! new contents. The inode change time cannot be set back by any of them,
//! and a copied file gets a new inode, so a file whose path, size,
//! modification time, change time and inode all match is taken as read
//! (git's index trusts the same). A file whose size matches but whose
//! change time or inode does not is hashed again and compared by SHA-256,
//! so restoring an inbox from a backup costs one hash per file, not a
//! rebuild, and a same-size edit with its time put back is always seen. Each year's output is a
//! pure function of its files and the rules, so the result is byte-identical
//! to a full rebuild. The rules — pipeline, rubrics, scales, registry — and
//! sakip's version are fingerprinted too; when any of them changes, every
//! year is rebuilt. `sakip run --full` rebuilds regardless.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::ingest::Summary;
use crate::rules::pipeline::Plan;

/// The ledger's folder inside a snapshot: `rules` (the digest the snapshot
/// was built under) and one JSON file per year folder, written as each year
/// is ingested and read back only for the year being compared, so a long
/// history's ledger is never held whole.
pub const DIR: &str = "ledger";

/// One file of a year folder as ingested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerFile {
    /// Path relative to the inbox.
    pub file: String,
    /// Size in bytes.
    pub size: u64,
    /// Modification time, nanoseconds since the epoch.
    pub modified: i64,
    /// Inode change time, nanoseconds since the epoch (0 in ledgers
    /// written before it was kept: such a file is hashed again).
    #[serde(default)]
    pub changed: i64,
    /// Inode number (0 in older ledgers).
    #[serde(default)]
    pub inode: u64,
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

/// The ledger of a previous snapshot built under the same rules.
#[derive(Debug, Clone)]
pub struct Ledger {
    dir: PathBuf,
}

impl Ledger {
    /// The ledger of a snapshot folder, if it has one written under `rules`
    /// (a snapshot of other rules or sakip versions gives none: every year is
    /// rebuilt).
    pub fn open(snapshot: &Path, rules: &str) -> Option<Ledger> {
        let dir = snapshot.join(DIR);
        let digest = std::fs::read_to_string(dir.join("rules")).ok()?;
        (digest == rules).then_some(Ledger { dir })
    }

    /// The entry for a year, if its files are the same as `files` (whose
    /// `sha256` is not known yet): the same paths and sizes, and each file
    /// either with the same modification time, change time and inode, or
    /// with the same SHA-256, which `hash(i)` computes for `files[i]` (None
    /// when it cannot be read). The entry returned describes the files as
    /// they are now, ready to be written into the new ledger.
    pub fn unchanged(&self, year: Option<i32>, files: &[LedgerFile], hash: impl Fn(usize) -> Option<String> + Sync) -> Option<YearEntry> {
        use rayon::prelude::*;
        let text = std::fs::read_to_string(self.dir.join(year_file(year))).ok()?;
        let mut entry: YearEntry = serde_json::from_str(&text).ok()?;
        if entry.year != year || entry.files.len() != files.len() || !entry.files.iter().zip(files).all(|(a, b)| a.file == b.file && a.size == b.size) {
            return None;
        }
        let trusted = |a: &LedgerFile, b: &LedgerFile| a.modified == b.modified && a.changed == b.changed && a.inode == b.inode && a.changed != 0;
        let same = entry.files.par_iter().zip(files).enumerate().all(|(i, (a, b))| trusted(a, b) || (!a.sha256.is_empty() && hash(i).is_some_and(|h| h == a.sha256)));
        if !same {
            return None;
        }
        for (a, b) in entry.files.iter_mut().zip(files) {
            *a = LedgerFile { sha256: std::mem::take(&mut a.sha256), ..b.clone() };
        }
        Some(entry)
    }

    /// Starts the ledger of a new snapshot: its folder and the rules digest.
    pub fn start(snapshot: &Path, rules: &str) -> Result<()> {
        let dir = snapshot.join(DIR);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|source| Error::Io { path: dir.clone(), source })?;
        }
        std::fs::create_dir_all(&dir).map_err(|source| Error::Io { path: dir.clone(), source })?;
        let path = dir.join("rules");
        std::fs::write(&path, rules).map_err(|source| Error::Io { path, source })
    }

    /// Writes one year folder's entry into a new snapshot's ledger.
    pub fn write_year(snapshot: &Path, entry: &YearEntry) -> Result<()> {
        let path = snapshot.join(DIR).join(year_file(entry.year));
        let text = serde_json::to_string_pretty(entry).expect("a ledger entry is plain data");
        std::fs::write(&path, text).map_err(|source| Error::Io { path, source })
    }
}

/// The ledger file of a year folder (or of the files outside them).
fn year_file(year: Option<i32>) -> String {
    match year {
        Some(y) => format!("year={y}.json"),
        None => "outside-year-folders.json".to_string(),
    }
}

/// The warehouse's file layout, part of [`rules_digest`]: a snapshot written
/// under another layout is never taken over piecemeal. Change it whenever
/// the files a year of a table consists of change.
const WAREHOUSE_LAYOUT: &str = "layout 2: answers one file per year";

/// A digest of everything besides the submissions that decides the output:
/// sakip's version and warehouse layout, the pipeline file, every rule file beside it, and the
/// unit registry with its code changes.
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
    // Optional: a registry without code changes has no such file.
    let changes = plan.registry_dir.join(crate::registry::history::FILE);
    if changes.is_file() {
        paths.push(changes);
    }
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
