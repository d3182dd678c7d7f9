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
    /// Row in the file; `None` for a criterion the file does not mention.
    pub source_row: Option<u64>,
    /// The sheet, notes and evidence, which most rows do not have (a CSV
    /// never names a sheet, and few units write notes): boxed apart, so
    /// that a record stays small (112 bytes, against 176 with the three in
    /// it) and each pass over a year's records (every column, the scoring)
    /// reads less memory.
    pub extra: Option<Box<AnswerExtra>>,
}

/// The optional texts of an [`AnswerRecord`], when it has any.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AnswerExtra {
    /// Sheet (XLSX only).
    pub source_sheet: Option<Arc<str>>,
    /// Notes.
    pub notes: Option<Box<str>>,
    /// Evidence link.
    pub evidence: Option<Box<str>>,
}

impl AnswerExtra {
    /// The optional texts of a row (an empty note or link is none), boxed,
    /// or `None` when it has none of them.
    pub fn of(sheet: Option<&Arc<str>>, notes: Option<&str>, evidence: Option<&str>) -> Option<Box<AnswerExtra>> {
        let text = |t: Option<&str>| t.filter(|t| !t.is_empty()).map(Box::from);
        let extra = AnswerExtra { source_sheet: sheet.cloned(), notes: text(notes), evidence: text(evidence) };
        (extra != AnswerExtra::default()).then(|| Box::new(extra))
    }
}

impl AnswerRecord {
    /// The sheet the row was read from (XLSX only).
    pub fn source_sheet(&self) -> Option<&str> {
        self.extra.as_ref()?.source_sheet.as_deref()
    }

    /// The row's notes.
    pub fn notes(&self) -> Option<&str> {
        self.extra.as_ref()?.notes.as_deref()
    }

    /// The row's evidence link.
    pub fn evidence(&self) -> Option<&str> {
        self.extra.as_ref()?.evidence.as_deref()
    }
}
