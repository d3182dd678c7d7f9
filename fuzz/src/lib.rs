//! What every fuzz target checks beyond "no panic": the promises the
//! readers and parsers make to the rest of the pipeline, whatever the input.

use std::path::{Path, PathBuf};

use sakip::ingest::read::{read_submission_with, Cells, RawRow};
use sakip::rules::limits::Limits;

/// Limits small enough that random inputs reach them: the fuzzer should
/// exercise the refusals as well as the happy path.
pub const LIMITS: Limits = Limits { max_file_bytes: 1 << 20, max_rows: 500, max_cell_bytes: 2048, max_unzipped_bytes: 8 << 20 };

/// How long a shown offending value may be: a clipped value is 80
/// characters and "…", each at most 4 bytes in UTF-8.
const SHOWN_BYTES: usize = 81 * 4;

/// Reads `data` as a submission named `name` (the extension picks the
/// reader) and checks the result's promises.
pub fn check_read(name: &str, data: &[u8]) {
    let kept = Cells::new();
    match read_submission_with(Path::new(name), data, &LIMITS, &kept) {
        Ok(sub) => {
            assert!(sub.rows.len() as u64 <= LIMITS.max_rows, "{} rows kept, over max_rows", sub.rows.len());
            for row in &sub.rows {
                assert!(row.row >= 1, "row numbers are 1-based: {row:?}");
                for cell in cells(row) {
                    assert!(cell.len() as u64 <= LIMITS.max_cell_bytes, "a kept cell of {} bytes, over max_cell_bytes", cell.len());
                }
            }
            for bad in &sub.bad_rows {
                assert!(!bad.reason.is_empty(), "a bad row without a reason: {bad:?}");
                assert!(bad.value.len() <= LIMITS.max_cell_bytes as usize + SHOWN_BYTES, "a bad row shows {} bytes", bad.value.len());
            }
        }
        Err(problem) => assert!(!problem.to_string().is_empty(), "a refused file without a reason: {problem:?}"),
    }
}

fn cells<'t>(row: &RawRow<'t>) -> impl Iterator<Item = &'t str> {
    let optional = [row.unit_code, row.year, row.track, row.component, row.subcomponent, row.notes, row.evidence];
    optional.into_iter().flatten().chain([row.criterion, row.answer])
}

/// The repository's `pipelines/` folder: the rule files a fuzzed pipeline or
/// rubric may name resolve against the real ones.
pub fn pipelines_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("pipelines")
}

/// Whatever a rule-file parser says about a text, a refusal must say why.
pub fn check_refusal<T>(result: &sakip::Result<T>) {
    if let Err(e) = result {
        assert!(!e.to_string().trim().is_empty(), "a refused rule file without a reason: {e:?}");
    }
}
