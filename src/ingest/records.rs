//! The rows ingest produces: accepted answers and rejects, and the tracks.

use std::sync::Arc;

use crate::exact::Exact;

/// Whose answers a row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Track {
    /// The unit's self-assessment (*penilaian mandiri*, *nilai usulan*).
    Mandiri,
    /// The evaluator's decision (*nilai penetapan*): the official score.
    Evaluator,
}

impl Track {
    /// The name stored in the warehouse.
    pub fn as_str(self) -> &'static str {
        match self {
            Track::Mandiri => "mandiri",
            Track::Evaluator => "evaluator",
        }
    }

    /// Reads a track cell; blank means evaluator, the default track.
    pub fn parse(text: &str) -> Option<Track> {
        // The common spellings first, without allocating: one call per row.
        match text.trim() {
            "" | "evaluator" => return Some(Track::Evaluator),
            "mandiri" => return Some(Track::Mandiri),
            _ => {}
        }
        let t = text.trim().to_lowercase().replace(['-', '_'], " ");
        match t.as_str() {
            "" | "evaluator" | "evaluasi" | "penetapan" | "nilai penetapan" | "evaluator decision" => Some(Track::Evaluator),
            "mandiri" | "penilaian mandiri" | "usulan" | "nilai usulan" | "self" | "self assessment" => Some(Track::Mandiri),
            _ => None,
        }
    }
}

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
    /// The answer as written; `None` when the criterion is missing.
    pub answer: Option<String>,
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

/// Whether a reject is about one row or about its whole file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// The whole file was refused for this reason.
    File,
    /// This row was refused; the rest of its file was used.
    Row,
}

impl Scope {
    /// The name stored in the rejects table.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::File => "file",
            Scope::Row => "row",
        }
    }
}

/// One refused row or file headed for `rejects/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectRecord {
    /// Evaluation year, when known from the folder.
    pub year: Option<i32>,
    /// Canonical unit code, when known.
    pub unit_code: Option<String>,
    /// File, relative to the inbox.
    pub source_file: String,
    /// Sheet (XLSX only).
    pub source_sheet: Option<String>,
    /// Row; `None` when the file had no readable rows.
    pub source_row: Option<u64>,
    /// The column at fault, or empty.
    pub column: String,
    /// The offending text.
    pub value: String,
    /// Why, for a person.
    pub reason: String,
    /// The unit code the row or its file gave, canonical, when it gave one
    /// that is a Kemendagri code (`9101` for a unit now `9301`).
    pub submitted_code: Option<String>,
    /// A short stable code for the reason, for counting and SQL.
    pub rule: &'static str,
    /// Row or whole file.
    pub scope: Scope,
}
