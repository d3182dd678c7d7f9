//! The answer rows ingest produces for `answers/`: what a file's rows share,
//! once per file, and each accepted (or missing) criterion. Refusals have
//! their own module, [`crate::rejects`].

use std::sync::Arc;

use crate::exact::Exact;
use crate::worksheet::Track;

/// What every answer row of one file shares: whose answers they are and
/// where they come from. Held once per file; a national history has millions
/// of rows and only thousands of files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerFile {
    /// Evaluation year.
    pub year: i32,
    /// Province code (`53`).
    pub province_code: String,
    /// Canonical unit code (`5301`).
    pub unit_code: String,
    /// Unit name from the registry.
    pub unit_name: String,
    /// The unit code the file gave, canonical (`9101`): `unit_code` unless
    /// the unit wrote a code from the other side of its code change.
    pub submitted_code: String,
    /// Rubric id.
    pub rubric: String,
    /// File, relative to the inbox.
    pub source_file: String,
}

/// One accepted answer (or one missing criterion) headed for
/// `answers/year=YYYY/`. The criterion's component, sub-component and code
/// come from the rubric by `criterion_index` when the row is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerRecord {
    /// The file's shared part.
    pub file: Arc<AnswerFile>,
    /// Self-assessment or evaluator.
    pub track: Track,
    /// Index of the criterion in the rubric (rubric order).
    pub criterion_index: usize,
    /// The answer as written (trimmed); `None` when the criterion is
    /// missing. Shared with the file's other rows that gave the same answer.
    pub answer: Option<Arc<str>>,
    /// The answer's value on the criterion's scale; `None` when missing.
    pub value: Option<Exact>,
    /// Sheet (XLSX only).
    pub source_sheet: Option<Arc<str>>,
    /// Row in the file; `None` for a criterion the file does not mention.
    pub source_row: Option<u64>,
    /// Notes.
    pub notes: Option<String>,
    /// Evidence link.
    pub evidence: Option<String>,
}
