//! Readers for submission files: CSV, XLSX and JSON, each turned into the
//! same [`RawSubmission`] of text cells with their source positions.
//!
//! Readers do not judge answers: they only find the columns and rows,
//! decode the text and record where each came from. Checking against the
//! rubric and the registry happens in the next step, so that every row either
//! becomes an answer or a reject with a reason.

use std::path::Path;

/// The file formats a submission may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileFormat {
    /// Comma-, semicolon- or tab-separated text.
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// A web form's JSON export.
    Json,
}

impl FileFormat {
    /// The format a file's extension names, case-insensitively.
    pub fn from_path(path: &Path) -> Option<FileFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "csv" | "txt" | "tsv" => Some(FileFormat::Csv),
            "xlsx" | "xlsm" => Some(FileFormat::Xlsx),
            "json" => Some(FileFormat::Json),
            _ => None,
        }
    }
}

/// One answer row as found in a file, all cells as trimmed text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawRow {
    /// The sheet's name (XLSX only).
    pub sheet: Option<String>,
    /// 1-based row: the line of a CSV record, the worksheet row of an XLSX,
    /// the position in a JSON answers array.
    pub row: u64,
    /// Unit code cell (`kode_satker` / `unit_code`), if the file has one.
    pub unit_code: Option<String>,
    /// Year cell (`tahun` / `year`), if any.
    pub year: Option<String>,
    /// Track cell (`penilaian` / `track`), if any.
    pub track: Option<String>,
    /// Component cell, filled forward from above when blank.
    pub component: Option<String>,
    /// Sub-component cell, filled forward from above when blank.
    pub subcomponent: Option<String>,
    /// Criterion code.
    pub criterion: String,
    /// Answer, raw (a number written as its shortest decimal).
    pub answer: String,
    /// Notes (`catatan` / `notes`).
    pub notes: Option<String>,
    /// Evidence link (`bukti` / `evidence`).
    pub evidence: Option<String>,
}

/// A row the reader could not turn into a [`RawRow`] (say, a CSV record with
/// a broken quote). It goes to the rejects table as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// The sheet's name (XLSX only).
    pub sheet: Option<String>,
    /// 1-based row.
    pub row: u64,
    /// The column at fault, or empty for the whole row.
    pub column: String,
    /// The offending text, as far as it could be read.
    pub value: String,
    /// Why, for a person.
    pub reason: String,
}

/// Everything read from one file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RawSubmission {
    /// Unit code stated once for the whole file (JSON object), if any.
    pub unit_code: Option<String>,
    /// Year stated once for the whole file (JSON object), if any.
    pub year: Option<String>,
    /// Track stated once for the whole file (JSON object), if any.
    pub track: Option<String>,
    /// The answer rows, in file order.
    pub rows: Vec<RawRow>,
    /// Rows that could not be read.
    pub bad_rows: Vec<BadRow>,
}

/// Why a whole file cannot be used. `Display` is the reason a person reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    /// The extension is not one we read.
    #[error("unsupported file type: expected .csv, .xlsx or .json")]
    UnsupportedFormat,
    /// No rows at all, or only a header.
    #[error("the file has no answer rows")]
    Empty,
    /// Not text in any encoding we accept, or not the format its name says.
    #[error("{0}")]
    Unreadable(String),
    /// A required column is missing.
    #[error("required column '{column}' not found (accepted headers: {accepted}; found: {found})")]
    MissingColumn {
        /// The column's English name.
        column: &'static str,
        /// Header names accepted for it.
        accepted: String,
        /// The headers the file has.
        found: String,
    },
}

/// Reads one submission file whose bytes are `bytes`; `path` gives its format
/// (by extension) and appears in nothing but messages.
pub fn read_submission(path: &Path, bytes: &[u8]) -> Result<RawSubmission, FileProblem> {
    let _ = (path, bytes);
    todo!("readers for CSV, XLSX and JSON")
}
