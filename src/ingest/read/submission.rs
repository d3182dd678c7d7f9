//! What a reader hands on: the text of one submission file with the place
//! each cell came from ([`RawSubmission`], [`RawRow`], [`BadRow`]), or the
//! reason the whole file cannot be used ([`FileProblem`]). Every format's
//! reader produces these same types, so the next step judges answers the
//! same way whatever the file was.

use std::path::Path;

/// The file formats a submission may come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileFormat {
    /// Comma-, semicolon- or tab-separated text.
    Csv,
    /// An Excel workbook.
    Xlsx,
    /// LibreOffice's own format (OpenDocument spreadsheet).
    Ods,
    /// An Excel 97–2003 workbook.
    Xls,
    /// An Excel binary workbook.
    Xlsb,
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
            "ods" => Some(FileFormat::Ods),
            "xls" => Some(FileFormat::Xls),
            "xlsb" => Some(FileFormat::Xlsb),
            "json" => Some(FileFormat::Json),
            _ => None,
        }
    }
}

/// Where a reader keeps the text of the cells it had to make itself (decoded
/// from another encoding, unquoted, or read out of a workbook) for as long
/// as the rows that lend them. Rows borrow their cells instead of owning
/// them: a UTF-8 CSV file without quotes, as nearly all submissions are,
/// lends every cell straight from its own bytes and keeps nothing here, so
/// reading a row copies no text and allocates nothing.
#[derive(Default)]
pub struct Cells(bumpalo::Bump);

impl Cells {
    /// An empty store; it allocates on the first text kept.
    pub fn new() -> Cells {
        Cells::default()
    }

    /// `text`, kept for as long as the store.
    pub(super) fn keep(&self, text: &str) -> &str {
        if text.is_empty() {
            ""
        } else {
            self.0.alloc_str(text)
        }
    }
}

/// A store that lives as long as the test run, for tests that read.
#[cfg(test)]
pub(super) fn kept() -> &'static Cells {
    Box::leak(Box::default())
}

/// One answer row as found in a file, all cells as trimmed text, lent by the
/// file's bytes or by the reader's [`Cells`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RawRow<'t> {
    /// The sheet's name (XLSX only).
    pub sheet: Option<&'t str>,
    /// 1-based row: the line of a CSV record, the worksheet row of an XLSX,
    /// the position in a JSON answers array.
    pub row: u64,
    /// Unit code cell (`kode_satker` / `unit_code`), if the file has one.
    pub unit_code: Option<&'t str>,
    /// Year cell (`tahun` / `year`), if any.
    pub year: Option<&'t str>,
    /// Track cell (`penilaian` / `track`), if any.
    pub track: Option<&'t str>,
    /// Component cell, filled forward from above when blank.
    pub component: Option<&'t str>,
    /// Sub-component cell, filled forward from above when blank.
    pub subcomponent: Option<&'t str>,
    /// Criterion code.
    pub criterion: &'t str,
    /// Answer, raw (a number written as its shortest decimal).
    pub answer: &'t str,
    /// Notes (`catatan` / `notes`).
    pub notes: Option<&'t str>,
    /// Evidence link (`bukti` / `evidence`).
    pub evidence: Option<&'t str>,
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
pub struct RawSubmission<'t> {
    /// Unit code stated once for the whole file (JSON object), if any.
    pub unit_code: Option<String>,
    /// Year stated once for the whole file (JSON object), if any.
    pub year: Option<String>,
    /// Track stated once for the whole file (JSON object), if any.
    pub track: Option<String>,
    /// The answer rows, in file order.
    pub rows: Vec<RawRow<'t>>,
    /// Rows that could not be read.
    pub bad_rows: Vec<BadRow>,
}

/// Why a whole file cannot be used. `Display` is the reason a person reads.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileProblem {
    /// The extension is not one we read.
    #[error("unsupported file type: expected .csv, .xlsx, .ods, .xls, .xlsb or .json")]
    UnsupportedFormat,
    /// No rows at all, or only a header.
    #[error("the file has no answer rows")]
    Empty,
    /// A worksheet that lists criteria but holds no answer at all: the
    /// template sent back as it was sent out.
    #[error("the worksheet was returned blank: it lists {rows} criteria but not one answer is filled in")]
    Blank {
        /// How many criterion rows it lists.
        rows: usize,
    },
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
    /// The same header twice for a value the next step judges: which column
    /// holds it is a guess (often the two tracks side by side), and a wrong
    /// guess would score the wrong answers.
    #[error("the header has the column '{header}' twice ({first} and {second}), so which one holds the {column} is ambiguous: remove or rename one of them")]
    DuplicateColumn {
        /// The field's English name.
        column: &'static str,
        /// The header as the file spells it (first occurrence).
        header: String,
        /// Where the first occurrence is ("column 3", "column F").
        first: String,
        /// Where the second is.
        second: String,
    },
    /// The file is over one of the pipeline's [`Limits`](crate::rules::limits::Limits); the message names
    /// the limit's key.
    #[error("{0}")]
    TooLarge(String),
}

/// A file that yielded neither rows nor rejects has nothing to ingest.
pub(super) fn non_empty(submission: RawSubmission<'_>) -> Result<RawSubmission<'_>, FileProblem> {
    if submission.rows.is_empty() && submission.bad_rows.is_empty() {
        Err(FileProblem::Empty)
    } else {
        Ok(submission)
    }
}
