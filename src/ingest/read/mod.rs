//! Readers for submission files: CSV, XLSX and JSON, each turned into the
//! same [`RawSubmission`] of text cells with their source positions.
//!
//! Readers do not judge answers: they only find the columns and rows,
//! decode the text and record where each came from. Checking against the
//! rubric and the registry happens in the next step, so that every row either
//! becomes an answer or a reject with a reason.

use std::path::Path;

mod csv;
mod json;
mod xlsx;

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

/// Bounds on what one submission may make the readers do, so that a broken
/// or hostile file cannot exhaust memory. Set in the pipeline file's
/// `[limits]` table; every field is optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest file read at all, in bytes; a bigger one is refused unread.
    pub max_file_bytes: u64,
    /// Most answer rows one file may hold.
    pub max_rows: u64,
    /// Longest cell, in bytes.
    pub max_cell_bytes: u64,
    /// Most bytes an XLSX may unpack to (its sheets and shared strings).
    pub max_unzipped_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_file_bytes: 64 << 20, max_rows: 200_000, max_cell_bytes: 64 << 10, max_unzipped_bytes: 256 << 20 }
    }
}

/// Reads one submission file whose bytes are `bytes` under the default
/// [`Limits`]; `path` gives its format (by extension) and appears in nothing
/// but messages.
pub fn read_submission(path: &Path, bytes: &[u8]) -> Result<RawSubmission, FileProblem> {
    read_submission_with(path, bytes, &Limits::default())
}

/// Reads one submission file under the given limits.
pub fn read_submission_with(path: &Path, bytes: &[u8], limits: &Limits) -> Result<RawSubmission, FileProblem> {
    let _ = limits;
    match FileFormat::from_path(path) {
        Some(FileFormat::Csv) => csv::read(bytes),
        Some(FileFormat::Xlsx) => xlsx::read(bytes),
        Some(FileFormat::Json) => json::read(bytes),
        None => Err(FileProblem::UnsupportedFormat),
    }
}

/// A column (or JSON key) the readers know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    UnitCode,
    Criterion,
    Answer,
    Year,
    Track,
    Component,
    Subcomponent,
    Notes,
    Evidence,
    /// The criterion's wording ("3. Terdapat ..."), used only when a form has
    /// no criterion-code column and the code must be derived from numbering.
    CriterionText,
}

/// The one alias table for CSV headers, XLSX headers and JSON keys, in the
/// normalised form [`normalize_header`] produces. Within a field, earlier
/// aliases win when a JSON object carries several.
const ALIASES: [(Field, &str, &[&str]); 10] = [
    (
        Field::UnitCode,
        "unit_code",
        &["kode_satker", "unit_code", "kode_unit", "satker"],
    ),
    (
        Field::Criterion,
        "criterion",
        &[
            "kode_kriteria",
            "criterion",
            "kriteria_kode",
            "criterion_code",
        ],
    ),
    (Field::Answer, "answer", &["jawaban", "answer", "nilai"]),
    (Field::Year, "year", &["tahun", "year"]),
    (Field::Track, "track", &["penilaian", "track"]),
    (Field::Component, "component", &["komponen", "component"]),
    (
        Field::Subcomponent,
        "subcomponent",
        &["sub_komponen", "subkomponen", "subcomponent"],
    ),
    (Field::Notes, "notes", &["catatan", "notes", "keterangan"]),
    (
        Field::Evidence,
        "evidence",
        &["bukti", "evidence", "link_bukti"],
    ),
    (
        Field::CriterionText,
        "criterion_text",
        &["kriteria", "criterion_text", "uraian_kriteria"],
    ),
];

/// Every field, in table order.
const ALL_FIELDS: [Field; ALIASES.len()] = [
    Field::UnitCode,
    Field::Criterion,
    Field::Answer,
    Field::Year,
    Field::Track,
    Field::Component,
    Field::Subcomponent,
    Field::Notes,
    Field::Evidence,
    Field::CriterionText,
];

/// Keys a JSON export may use for its list of answers.
const ANSWER_LIST_KEYS: [&str; 2] = ["answers", "jawaban_list"];

impl Field {
    /// The English name used in messages.
    fn name(self) -> &'static str {
        ALIASES
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or("", |(_, n, _)| n)
    }

    fn aliases(self) -> &'static [&'static str] {
        ALIASES
            .iter()
            .find(|(f, _, _)| *f == self)
            .map_or(&[], |(_, _, a)| a)
    }

    /// The field a header names, if any.
    fn for_header(header: &str) -> Option<Field> {
        let norm = normalize_header(header);
        ALIASES
            .iter()
            .find(|(_, _, a)| a.contains(&norm.as_str()))
            .map(|(f, _, _)| *f)
    }
}

/// Headers are typed by people in two languages: compare them trimmed,
/// lowercased, with spaces and dashes as underscores (runs collapsed, so
/// "Kode  Kriteria" still matches), and without a stray BOM.
fn normalize_header(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for c in header
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .chars()
    {
        if c.is_whitespace() || c == '-' || c == '_' {
            if !out.ends_with('_') {
                out.push('_');
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// A number as the shortest decimal that reads back the same, without a
/// trailing ".0": codes and years typed into Excel arrive as floats
/// (5301.0) but must compare equal to the text "5301".
fn number_text(value: f64) -> String {
    if value == 0.0 {
        // Avoids "-0", which no person wrote.
        "0".to_string()
    } else {
        format!("{value}")
    }
}

/// Where each known field sits in a header row.
#[derive(Debug, Clone)]
struct Columns {
    index: [Option<usize>; ALIASES.len()],
    headers: Vec<String>,
}

impl Columns {
    /// Maps a header row; a field named twice keeps its first column.
    fn locate(headers: &[String]) -> Columns {
        let mut index = [None; ALIASES.len()];
        for (col, header) in headers.iter().enumerate() {
            if let Some(field) = Field::for_header(header) {
                let slot = &mut index[field as usize];
                if slot.is_none() {
                    *slot = Some(col);
                }
            }
        }
        let headers = headers
            .iter()
            .map(|h| {
                h.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                    .to_string()
            })
            .collect();
        Columns { index, headers }
    }

    fn get(&self, field: Field) -> Option<usize> {
        self.index[field as usize]
    }

    /// The header as the file spells it, for messages about that column.
    fn header(&self, field: Field) -> String {
        self.get(field)
            .and_then(|i| self.headers.get(i))
            .cloned()
            .unwrap_or_else(|| field.name().to_string())
    }

    /// The problem with a header row lacking a required column, if any.
    fn missing_required(&self, required: &[Field]) -> Option<FileProblem> {
        let field = required.iter().copied().find(|f| self.get(*f).is_none())?;
        let found: Vec<&str> = self
            .headers
            .iter()
            .map(String::as_str)
            .filter(|h| !h.is_empty())
            .collect();
        Some(FileProblem::MissingColumn {
            column: field.name(),
            accepted: field.aliases().join(", "),
            found: found.join(", "),
        })
    }

    /// Blank component and sub-component cells take the last value above, as
    /// merged cells in a form mean "same as above".
    fn fill_forward(&self, cells: &mut [String], last: &mut [Option<String>; 2]) {
        for (slot, field) in last.iter_mut().zip([Field::Component, Field::Subcomponent]) {
            let Some(cell) = self.get(field).and_then(|i| cells.get_mut(i)) else {
                continue;
            };
            if cell.is_empty() {
                if let Some(above) = slot {
                    cell.clone_from(above);
                }
            } else {
                *slot = Some(cell.clone());
            }
        }
    }

    /// Turns one row of trimmed cells into a [`RawRow`], or a [`BadRow`] when
    /// the row stops before a required column (`separator` rebuilds its text).
    fn raw_row(
        &self,
        cells: &[String],
        sheet: Option<&str>,
        row: u64,
        separator: &str,
    ) -> Result<RawRow, BadRow> {
        for field in [Field::Criterion, Field::Answer] {
            if let Some(i) = self.get(field) {
                if i >= cells.len() {
                    return Err(BadRow {
                        sheet: sheet.map(str::to_string),
                        row,
                        column: self.header(field),
                        value: cells.join(separator),
                        reason: format!(
                            "row has {} field{}; column '{}' is missing",
                            cells.len(),
                            if cells.len() == 1 { "" } else { "s" },
                            self.header(field)
                        ),
                    });
                }
            }
        }
        let text = |field: Field| self.get(field).and_then(|i| cells.get(i)).cloned();
        let optional = |field: Field| text(field).filter(|t| !t.is_empty());
        Ok(RawRow {
            sheet: sheet.map(str::to_string),
            row,
            unit_code: optional(Field::UnitCode),
            year: optional(Field::Year),
            track: optional(Field::Track),
            component: optional(Field::Component),
            subcomponent: optional(Field::Subcomponent),
            criterion: text(Field::Criterion).unwrap_or_default(),
            answer: text(Field::Answer).unwrap_or_default(),
            notes: optional(Field::Notes),
            evidence: optional(Field::Evidence),
        })
    }
}

fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// A file that yielded neither rows nor rejects has nothing to ingest.
fn non_empty(submission: RawSubmission) -> Result<RawSubmission, FileProblem> {
    if submission.rows.is_empty() && submission.bad_rows.is_empty() {
        Err(FileProblem::Empty)
    } else {
        Ok(submission)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Arbitrary bytes never panic a reader, and a file that reads has
        /// something in it.
        #[test]
        fn garbage_never_panics(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'"'), Just(b','), Just(b';'), Just(b'\n'), Just(b'\r'), any::<u8>()],
                0..200,
            ),
            prefix in prop_oneof![
                Just(&b""[..]),
                Just(&b"kode_kriteria;jawaban;komponen\r\n"[..]),
                Just(&b"{\"answers\": ["[..]),
            ],
        ) {
            let mut input = prefix.to_vec();
            input.extend_from_slice(&bytes);
            for name in ["a.csv", "a.json", "a.xlsx"] {
                if let Ok(got) = read_submission(Path::new(name), &input) {
                    prop_assert!(!got.rows.is_empty() || !got.bad_rows.is_empty());
                }
            }
        }
    }

    #[test]
    fn headers_match_in_either_language_and_any_spelling() {
        assert_eq!(
            Field::for_header("\u{feff}Kode Satker"),
            Some(Field::UnitCode)
        );
        assert_eq!(
            Field::for_header("  KODE-KRITERIA "),
            Some(Field::Criterion)
        );
        assert_eq!(Field::for_header("Sub Komponen"), Some(Field::Subcomponent));
        assert_eq!(Field::for_header("Link  Bukti"), Some(Field::Evidence));
        assert_eq!(Field::for_header("Answer"), Some(Field::Answer));
        assert_eq!(Field::for_header("skor"), None);
    }

    #[test]
    fn first_of_a_repeated_header_wins() {
        let headers: Vec<String> = ["jawaban", "kode_kriteria", "Jawaban"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let cols = Columns::locate(&headers);
        assert_eq!(cols.get(Field::Answer), Some(0));
        assert_eq!(cols.get(Field::Criterion), Some(1));
    }

    #[test]
    fn alias_table_is_in_field_order() {
        for (i, (field, _, _)) in ALIASES.iter().enumerate() {
            assert_eq!((*field as usize, ALL_FIELDS[i]), (i, *field));
        }
    }

    #[test]
    fn numbers_print_without_trailing_zero() {
        assert_eq!(number_text(5301.0), "5301");
        assert_eq!(number_text(87.5), "87.5");
        assert_eq!(number_text(-0.0), "0");
    }

    #[test]
    fn dispatch_by_extension() {
        let got = read_submission(Path::new("lke.pdf"), b"%PDF");
        assert_eq!(got, Err(FileProblem::UnsupportedFormat));
        let got = read_submission(Path::new("LKE.JSON"), b"[]");
        assert!(matches!(got, Err(FileProblem::Unreadable(_))));
        let got = read_submission(Path::new("lke.TSV"), b"kode_kriteria\tjawaban\n1.1.1\tA\n");
        assert_eq!(got.map(|s| s.rows[0].answer.clone()), Ok("A".to_string()));
        let got = read_submission(Path::new("lke.xlsm"), b"kode_kriteria,jawaban\n");
        assert!(
            matches!(got, Err(FileProblem::Unreadable(m)) if m.starts_with("not a readable XLSX"))
        );
    }
}
