//! Ingest: every submission in the inbox, read in parallel, checked against
//! the rubric and the unit registry, written to the Parquet warehouse.
//!
//! The work per file is a pure function ([`normalise::normalise_file`]);
//! rayon runs it over the sorted file list and the results are merged in that
//! order, so the output does not depend on the thread count. Nothing a unit
//! sent is dropped: each row read ends up in `answers` or in `rejects`, and
//! [`Summary`] reconciles the counts.

pub mod discover;
pub mod ledger;
pub mod normalise;
pub mod read;
pub mod records;
pub mod warehouse;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};
use crate::ingest::ledger::{Ledger, LedgerFile, YearEntry};
use crate::ingest::normalise::{normalise_file, FileOutcome, SourceFile};
use crate::ingest::records::AnswerRecord;
use crate::rejects::{RejectRecord, Rule, Scope};
use crate::rules::pipeline::{DuplicatePolicy, Plan};
use crate::tables;

/// What an ingest run did, for the summary and for tests.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Summary {
    /// Files found in the inbox.
    pub files: usize,
    /// Files accepted as a unit's submission.
    pub files_accepted: usize,
    /// Rows read from all files.
    pub rows_read: u64,
    /// Rows read that are in `answers`.
    pub rows_accepted: u64,
    /// Rows read that are in `rejects`.
    pub rows_rejected: u64,
    /// Criteria no row answered, written to `answers` as missing.
    pub missing_criteria: u64,
    /// Rejects by rule: how many files and rows each refused.
    pub rejects_by_rule: BTreeMap<String, RuleCount>,
    /// Per year seen in the inbox: the units of the pipeline's province with
    /// no accepted submission.
    pub units_without_submission: BTreeMap<i32, Vec<String>>,
    /// Per year: files accepted with a unit code from the wrong side of the
    /// unit's code change (`code-changes.csv`), each with what it was
    /// stored as.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub code_notes: BTreeMap<i32, Vec<String>>,
    /// Years taken over unchanged from the previous snapshot (not stored in
    /// the ledger: it describes this run only).
    #[serde(skip)]
    pub reused_years: std::collections::BTreeSet<i32>,
    /// Whether the previous snapshot was written under the same rules,
    /// registry and sakip version (its ledger matched), so that later stages
    /// may take over what they would compute from unchanged rows.
    #[serde(skip)]
    pub same_rules: bool,
}

/// What one reject rule refused.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RuleCount {
    /// Files refused whole for it.
    pub files: usize,
    /// Rows refused for it (whole-file refusals included).
    pub rows: u64,
}

impl Summary {
    /// Adds the counts of another part of the run (another year).
    fn add(&mut self, other: Summary) {
        self.files += other.files;
        self.files_accepted += other.files_accepted;
        self.rows_read += other.rows_read;
        self.rows_accepted += other.rows_accepted;
        self.rows_rejected += other.rows_rejected;
        self.missing_criteria += other.missing_criteria;
        for (rule, count) in other.rejects_by_rule {
            let c = self.rejects_by_rule.entry(rule).or_default();
            c.files += count.files;
            c.rows += count.rows;
        }
        self.units_without_submission.extend(other.units_without_submission);
        self.code_notes.extend(other.code_notes);
        self.reused_years.extend(other.reused_years);
    }

    /// True when nothing was refused.
    pub fn clean(&self) -> bool {
        self.rejects_by_rule.is_empty()
    }
}

/// Runs ingest for a checked plan and writes `answers/` and `rejects/`.
/// Files are read in parallel in the rayon pool this is called in (the
/// command's, sized by `--threads`).
pub fn ingest(plan: &Plan, previous: Option<&Path>) -> Result<Summary> {
    ingest_with(plan, previous, &|_, _| Ok(()))
}

/// What a later stage does with each year's answers while they are in
/// memory, checked and in warehouse order: called once per year read (not
/// for years taken over unchanged), beside the write of the year's
/// `answers`. `sakip run` scores there, so the answers are never read back.
pub type YearHook<'a> = &'a (dyn Fn(i32, &[&AnswerRecord]) -> Result<()> + Sync);

/// [`ingest`], handing each year's answers to `after_year` as well.
pub fn ingest_with(plan: &Plan, previous: Option<&Path>, after_year: YearHook<'_>) -> Result<Summary> {
    let mut inbox = discover::Inbox::scan(&plan.inbox)?;
    let bar = crate::progress::bar(inbox.total, "ingest", "files");
    for dir in [plan.warehouse.join(tables::ANSWERS), plan.warehouse.join(tables::REJECTS)] {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|source| Error::Io { path: dir.clone(), source })?;
        }
    }
    let rules = ledger::rules_digest(plan)?;
    let before = previous.and_then(|p| Ledger::open(p, &rules));
    Ledger::start(&plan.warehouse, &rules)?;
    let mut summary = Summary { same_rules: before.is_some(), ..Summary::default() };
    // A year folder is self-contained (duplicates are decided per unit and
    // year), so years are listed, read, merged and written one after the
    // other: memory holds one year's files and answers, however long the
    // history. Files outside year folders come first, as refusals.
    let mut outside = std::mem::take(&mut inbox.outside);
    let mut any = false;
    // The year written last, freed while the next year's folder is listed
    // (both are a few milliseconds a year that would otherwise keep one
    // core alone); the last one is freed before ingest returns.
    let mut written: Option<Vec<Vec<AnswerRecord>>> = None;
    for year in std::iter::once(None).chain(inbox.years().map(Some)) {
        let (_, group) = rayon::join(
            || drop(written.take()),
            || match year {
                None => Ok(std::mem::take(&mut outside)),
                Some(y) => inbox.year_files(y),
            },
        );
        let group = group?;
        if group.is_empty() {
            continue;
        }
        any = true;
        let fingerprint: Vec<LedgerFile> = group
            .iter()
            .map(|f| LedgerFile { file: f.file.rel.clone(), size: f.size, modified: f.file.modified as i64, changed: f.changed, inode: f.inode, sha256: String::new() })
            .collect();
        let rehash = |i: usize| std::fs::read(&group[i].path).ok().map(|bytes| hex(&Sha256::digest(&bytes)));
        if let (Some(entry), Some(prev)) = (before.as_ref().and_then(|l| l.unchanged(year, &fingerprint, rehash)), previous) {
            // Unchanged since the previous snapshot: its output, as it was.
            reuse(prev, &plan.warehouse, year)?;
            bar.inc(group.len() as u64);
            summary.add(entry.summary.clone());
            summary.reused_years.extend(year);
            Ledger::write_year(&plan.warehouse, &entry)?;
            continue;
        }
        let outcomes: Vec<(SourceFile, String, FileOutcome)> = group
            .par_iter()
            .map(|found| {
                let (hash, outcome) = read_one(plan, found);
                bar.inc(1);
                (found.file.clone(), hash, outcome)
            })
            .collect();
        let files: Vec<LedgerFile> = fingerprint
            .into_iter()
            .zip(&outcomes)
            .map(|(f, (_, hash, _))| LedgerFile { sha256: hash.clone(), ..f })
            .collect();
        let Merged { answers, mut rejects, hashes, summary: counted } = merge(plan, outcomes);
        let rows: Vec<&AnswerRecord> = answers.iter().flatten().collect();
        // The answers are written while a later stage takes them, and the
        // rejects and the ledger entry beside both.
        let (answers_written, (handed, noted)) = rayon::join(
            || write_answers(plan, &rows, &hashes),
            || {
                rayon::join(
                    || match rows.first() {
                        Some(first) => after_year(first.file.year, &rows),
                        None => Ok(()),
                    },
                    || -> Result<()> {
                        rejects.sort_by(|a, b| (&a.source_file, a.source_row, a.rule.code(), &a.reason).cmp(&(&b.source_file, b.source_row, b.rule.code(), &b.reason)));
                        warehouse::write_rejects(&rejects_path(&plan.warehouse, year), &rejects)?;
                        Ledger::write_year(&plan.warehouse, &YearEntry { year, files, summary: counted.clone() })
                    },
                )
            },
        );
        answers_written?;
        handed?;
        noted?;
        drop(rows);
        summary.add(counted);
        written = Some(answers);
    }
    drop(written);
    bar.finish_and_clear();
    if !any {
        // An empty inbox still gives a (empty) rejects table to read.
        warehouse::write_rejects(&rejects_path(&plan.warehouse, None), &[])?;
    }
    Ok(summary)
}

/// Where the rejects of a year folder go: `rejects/year=YYYY/`, or
/// `rejects/outside-year-folders/` for files not in one.
fn rejects_path(warehouse: &Path, year: Option<i32>) -> PathBuf {
    match year {
        Some(y) => tables::year_file(warehouse, tables::REJECTS, y),
        None => warehouse.join(tables::REJECTS).join("outside-year-folders").join("part-0.parquet"),
    }
}

/// Hard-links a year's answers and rejects from the previous snapshot (or
/// copies them where links are not possible).
fn reuse(previous: &Path, staging: &Path, year: Option<i32>) -> Result<()> {
    let rejects_dir = |root: &Path| rejects_path(root, year).parent().map(Path::to_path_buf).unwrap_or_default();
    let mut parts = vec![(rejects_dir(previous), rejects_dir(staging))];
    if let Some(y) = year {
        let rel = tables::partition(tables::ANSWERS, y);
        parts.push((previous.join(&rel), staging.join(&rel)));
    }
    for (from, to) in parts {
        if from.is_dir() {
            tables::link_tree(&from, &to)?;
        }
    }
    Ok(())
}

/// Reads and checks one found file, returning its SHA-256 (empty when it
/// was not read) and what it gave.
fn read_one(plan: &Plan, found: &discover::Found) -> (String, FileOutcome) {
    if found.symlink {
        return (String::new(), refused(&found.file, Rule::Symlink, "a symbolic link: not followed, submissions must be plain files".to_string()));
    }
    if found.size > plan.limits.max_file_bytes {
        let reason = format!(
            "the file is {} bytes, over the pipeline's limit of {} bytes (limits.max_file_bytes); it was not read",
            found.size, plan.limits.max_file_bytes
        );
        return (String::new(), refused(&found.file, Rule::TooLarge, reason));
    }
    match read_sized(&found.path, found.size) {
        Ok(bytes) => (hex(&Sha256::digest(&bytes)), normalise_file(plan, &found.file, &bytes)),
        Err(e) => (String::new(), refused(&found.file, Rule::Unreadable, format!("cannot read the file: {e}"))),
    }
}

/// The bytes of the file at `path`, which the inbox listing found `size`
/// bytes long: read into a buffer of that size (and one byte more, to see
/// the end), without asking the file system for its size again as
/// `fs::read` and `File::read_to_end` do (a `statx` per file). A file that
/// has grown since is still read whole.
fn read_sized(path: &Path, size: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).saturating_add(1));
    // Through `Take`, whose `read_to_end` reads into the room given.
    std::fs::File::open(path)?.take(u64::MAX).read_to_end(&mut bytes)?;
    Ok(bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// An outcome for a file refused before its contents were looked at.
fn refused(file: &SourceFile, rule: Rule, reason: String) -> FileOutcome {
    FileOutcome { rejects: vec![RejectRecord::file(rule, &file.rel, reason).in_year(file.year)], ..FileOutcome::default() }
}

/// The merged result of all files.
struct Merged {
    /// The answers of each file, files in warehouse order (each file's rows
    /// are in order already; a file not used has none). Kept per file, not
    /// copied into one vector, so a year's answers are held once
    /// (BENCHMARKS.md, "Designs tried and measured").
    answers: Vec<Vec<AnswerRecord>>,
    rejects: Vec<RejectRecord>,
    hashes: BTreeMap<String, String>,
    summary: Summary,
}

/// Merges per-file outcomes in file order, applying the duplicate policy to
/// units that sent more than one accepted file for a year.
fn merge(plan: &Plan, outcomes: Vec<(SourceFile, String, FileOutcome)>) -> Merged {
    let mut by_unit_year: BTreeMap<(i32, String), Vec<usize>> = BTreeMap::new();
    for (i, (file, _, outcome)) in outcomes.iter().enumerate() {
        if let (true, Some(year), Some(unit)) = (outcome.accepted, file.year, &outcome.unit_code) {
            by_unit_year.entry((year, unit.clone())).or_default().push(i);
        }
    }
    // For each group with more than one file, the index of the winner (if
    // any) and the reason the others lose.
    let mut losers: BTreeMap<usize, String> = BTreeMap::new();
    for ((year, unit), group) in by_unit_year.iter().filter(|(_, g)| g.len() > 1) {
        let names: Vec<&str> = group.iter().map(|&i| outcomes[i].0.rel.as_str()).collect();
        match plan.duplicates {
            DuplicatePolicy::Error => {
                for &i in group {
                    losers.insert(
                        i,
                        format!("unit {unit} sent {} files for {year} ({}); the pipeline's duplicates policy is \"error\": remove all but one", group.len(), names.join(", ")),
                    );
                }
            }
            DuplicatePolicy::Newest => {
                // To the second: a fresh checkout writes both files within one
                // second, and the path then decides, the same on every clone.
                let second = |i: usize| outcomes[i].0.modified.div_euclid(1_000_000_000);
                let winner = *group.iter().max_by_key(|&&i| (second(i), outcomes[i].0.rel.clone())).expect("non-empty group");
                for &i in group.iter().filter(|&&i| i != winner) {
                    losers.insert(i, format!("superseded by {}, the newest of unit {unit}'s {} files for {year}", outcomes[winner].0.rel, group.len()));
                }
            }
        }
    }
    let mut summary = Summary { files: outcomes.len(), ..Summary::default() };
    // Answers end up ordered by year, province, unit, track and criterion.
    // A year's accepted files are one per unit, and each file's answers
    // arrive already in track and criterion order (sorted where the file was
    // read, in parallel), so ordering the files by unit orders the rows,
    // which are never moved.
    let mut order: Vec<usize> = (0..outcomes.len()).collect();
    let unit_of = |i: usize| outcomes[i].2.answers.first().map(|a| (a.file.year, a.file.province_code.clone(), a.file.unit_code.clone()));
    order.sort_by_cached_key(|&i| (unit_of(i), i));
    let mut rank = vec![0; outcomes.len()];
    for (position, &i) in order.iter().enumerate() {
        rank[i] = position;
    }
    let mut answers: Vec<Vec<AnswerRecord>> = (0..outcomes.len()).map(|_| Vec::new()).collect();
    let mut rejects = Vec::new();
    let mut hashes = BTreeMap::new();
    let mut submitted: BTreeMap<i32, Vec<String>> = BTreeMap::new();
    for (i, (file, hash, outcome)) in outcomes.into_iter().enumerate() {
        summary.rows_read += outcome.rows_read;
        hashes.insert(file.rel.clone(), hash);
        if let Some(year) = file.year {
            submitted.entry(year).or_default();
        }
        rejects.extend(outcome.rejects);
        match losers.get(&i) {
            Some(reason) => {
                // The rows the file gave (not the missing criteria added
                // for it) are refused with it.
                for (a, row) in outcome.answers.into_iter().filter_map(|a| a.source_row.map(|row| (a, row))) {
                    rejects.push(
                        RejectRecord::file(Rule::DuplicateSubmission, &a.file.source_file, reason.as_str())
                            .at(a.source_sheet().map(str::to_string), row)
                            .in_year(Some(a.file.year))
                            .of_unit(Some(a.file.unit_code.clone()), Some(a.file.submitted_code.clone())),
                    );
                }
            }
            None => {
                if outcome.accepted {
                    summary.files_accepted += 1;
                    if let (Some(year), Some(note)) = (file.year, outcome.code_note) {
                        summary.code_notes.entry(year).or_default().push(note);
                    }
                    if let (Some(year), Some(unit)) = (file.year, outcome.unit_code) {
                        submitted.entry(year).or_default().push(unit);
                    }
                }
                summary.rows_accepted += outcome.rows_answered;
                summary.missing_criteria += outcome.criteria_missing;
                answers[rank[i]] = outcome.answers;
            }
        }
    }
    summary.rows_rejected = rejects.iter().filter(|r| r.source_row.is_some()).count() as u64;
    let mut files_by_rule: BTreeMap<&str, std::collections::BTreeSet<&str>> = BTreeMap::new();
    for r in &rejects {
        let count = summary.rejects_by_rule.entry(r.rule.code().to_string()).or_default();
        if r.source_row.is_some() {
            count.rows += 1;
        }
        if r.scope == Scope::File {
            files_by_rule.entry(r.rule.code()).or_default().insert(&r.source_file);
        }
    }
    for (rule, files) in files_by_rule {
        if let Some(count) = summary.rejects_by_rule.get_mut(rule) {
            count.files = files.len();
        }
    }
    for (year, units) in &submitted {
        // Looked up in a set: a list of every unit that sent a file, searched
        // for each of the 552 units, was a quarter of the merge's time.
        let sent: std::collections::HashSet<&str> = units.iter().map(String::as_str).collect();
        let missing: Vec<String> = plan
            .registry
            .units_in(plan.province.as_deref(), *year)
            .into_iter()
            .filter(|u| !sent.contains(u.code.as_str()))
            .map(|u| format!("{} {}", u.code, u.name))
            .collect();
        summary.units_without_submission.insert(*year, missing);
    }
    debug_assert!(answers.iter().flatten().zip(answers.iter().flatten().skip(1)).all(|(a, b)| answer_key(a) <= answer_key(b)), "answers out of order");
    Merged { answers, rejects, hashes, summary }
}

/// The order of rows in `answers`.
fn answer_key(a: &AnswerRecord) -> (i32, &str, &str, crate::worksheet::Track, usize) {
    (a.file.year, &a.file.province_code, &a.file.unit_code, a.track, a.criterion_index)
}

/// Writes the answers of one merged year: `answers/year=YYYY/part-0.parquet`,
/// rows in warehouse order (province, unit, track, criterion). A year
/// without accepted answers has no file.
fn write_answers(plan: &Plan, rows: &[&AnswerRecord], hashes: &BTreeMap<String, String>) -> Result<()> {
    let Some(year) = rows.first().map(|r| r.file.year) else { return Ok(()) };
    debug_assert!(rows.iter().all(|r| r.file.year == year), "one year folder holds one year's answers");
    let path = tables::year_file(&plan.warehouse, tables::ANSWERS, year);
    let evaluation = plan.evaluation_for(year).ok_or_else(|| Error::Usage(format!("internal: answers for {year}, a year the pipeline assigns no rubric")))?;
    warehouse::write_answers(&path, rows, &evaluation.rubric, hashes)
}
