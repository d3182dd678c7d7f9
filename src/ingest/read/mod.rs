//! Readers for submission files: CSV, XLSX (and the other workbook formats
//! calamine reads: ODS, XLS, XLSB) and JSON, each turned into the same
//! [`RawSubmission`] of text cells with their source positions.
//!
//! Readers do not judge answers: they only find the columns and rows,
//! decode the text and record where each came from. Checking against the
//! rubric and the registry happens in the next step, so that every row either
//! becomes an answer or a reject with a reason.
//!
//! Readers do enforce the pipeline's [`Limits`], because only they see a file
//! grow while it is read: too many rows refuse the file, an over-long cell
//! refuses its row, and an XLSX that would unpack too far is refused before
//! it is unpacked. No input, however broken, may panic a reader or make it
//! allocate without bound: it becomes a [`FileProblem`] or a [`BadRow`] whose
//! reason a planner can act on.

use std::path::Path;

use crate::rules::limits::Limits;

mod cfb;
mod csv;
mod json;
mod ods;
mod workbook;
mod xlsx;
mod zip;

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
    /// The file is over one of the pipeline's [`Limits`]; the message names
    /// the limit's key.
    #[error("{0}")]
    TooLarge(String),
}

/// Reads one submission file whose bytes are `bytes` under the default
/// [`Limits`]; `path` gives its format (by extension) and appears in nothing
/// but messages.
pub fn read_submission(path: &Path, bytes: &[u8]) -> Result<RawSubmission, FileProblem> {
    read_submission_with(path, bytes, &Limits::default())
}

/// Reads one submission file under the given limits: more than
/// `max_rows` rows refuse the file ([`FileProblem::TooLarge`]), a cell the
/// reader takes a value from that is longer than `max_cell_bytes` refuses its
/// row, and an XLSX declaring more than `max_unzipped_bytes` of contents is
/// refused unpacked. (`max_file_bytes` is checked by the caller, before the
/// file is read into `bytes`.)
pub fn read_submission_with(path: &Path, bytes: &[u8], limits: &Limits) -> Result<RawSubmission, FileProblem> {
    match FileFormat::from_path(path) {
        Some(FileFormat::Csv) => csv::read(bytes, limits),
        Some(FileFormat::Xlsx) => xlsx::read(bytes, limits),
        Some(format @ (FileFormat::Ods | FileFormat::Xls | FileFormat::Xlsb)) => workbook::read(format, bytes, limits),
        Some(FileFormat::Json) => json::read(bytes, limits),
        None => Err(FileProblem::UnsupportedFormat),
    }
}

thread_local! {
    /// Whether this thread is inside a reader that turns panics into
    /// refusals.
    static QUIET: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Marks the current thread as inside a panic-catching reader until dropped.
struct QuietPanics;

impl QuietPanics {
    fn begin() -> QuietPanics {
        QUIET.with(|q| q.set(true));
        QuietPanics
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        QUIET.with(|q| q.set(false));
    }
}

/// Installs a panic hook that says nothing about panics a reader catches
/// and reports as a refused file (a forged workbook that trips the
/// spreadsheet library), so a nightly log does not show "panicked" for a
/// run that went on; every other panic is printed as before. For binaries:
/// call once at start.
pub fn quiet_caught_panics() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !QUIET.with(|q| q.get()) {
            previous(info);
        }
    }));
}

/// How much of an offending value a reject shows: enough to recognise it,
/// never megabytes of it.
const CLIP_CHARS: usize = 80;

/// `text` cut to [`CLIP_CHARS`] characters, with "…" when something was cut.
fn clip(text: &str) -> String {
    match text.char_indices().nth(CLIP_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// Counts the rows a reader keeps against `limits.max_rows`, so that a file
/// of millions of rows is refused after the first few hundred thousand
/// instead of being read whole.
struct RowBudget {
    max: u64,
    seen: u64,
}

impl RowBudget {
    fn new(limits: &Limits) -> RowBudget {
        RowBudget { max: limits.max_rows, seen: 0 }
    }

    /// Counts one more row (answer or bad); the problem once over the limit.
    fn count(&mut self) -> Result<(), FileProblem> {
        self.seen += 1;
        if self.seen > self.max {
            Err(FileProblem::TooLarge(format!(
                "the file has more than {} answer rows, over the pipeline's limit (limits.max_rows); it was not read further",
                self.max
            )))
        } else {
            Ok(())
        }
    }
}

/// The bad row for a cell longer than `limits.max_cell_bytes`: the value is
/// clipped, as the whole of it is what the limit keeps out of the warehouse.
fn long_cell(sheet: Option<&str>, row: u64, column: &str, text: &str, limits: &Limits) -> BadRow {
    BadRow {
        sheet: sheet.map(str::to_string),
        row,
        column: clip(column),
        value: clip(text),
        reason: format!(
            "the '{}' cell is {} bytes long, over the pipeline's limit of {} bytes (limits.max_cell_bytes)",
            clip(column),
            text.len(),
            limits.max_cell_bytes
        ),
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
    /// The self-assessment's answer, in a worksheet with one answer column
    /// per track (the layout `sakip template` writes).
    AnswerMandiri,
    /// The evaluator's answer, in the same layout.
    AnswerEvaluator,
    /// The self-assessment's notes, in the same layout.
    NotesMandiri,
    /// The evaluator's notes, in the same layout.
    NotesEvaluator,
}

/// The one alias table for CSV headers, XLSX headers and JSON keys, in the
/// normalised form [`normalize_header`] produces. Within a field, earlier
/// aliases win when a JSON object carries several.
const ALIASES: [(Field, &str, &[&str]); 14] = [
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
    (Field::AnswerMandiri, "answer_mandiri", &["jawaban_mandiri", "answer_mandiri"]),
    (Field::AnswerEvaluator, "answer_evaluator", &["jawaban_evaluator", "answer_evaluator"]),
    (Field::NotesMandiri, "notes_mandiri", &["catatan_mandiri", "notes_mandiri"]),
    (Field::NotesEvaluator, "notes_evaluator", &["catatan_evaluator", "notes_evaluator"]),
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
    Field::AnswerMandiri,
    Field::AnswerEvaluator,
    Field::NotesMandiri,
    Field::NotesEvaluator,
];

/// The per-track columns of a worksheet with one answer column per track:
/// the track's name as the warehouse writes it, its answer and its notes.
const TRACK_COLUMNS: [(&str, Field, Field); 2] =
    [("mandiri", Field::AnswerMandiri, Field::NotesMandiri), ("evaluator", Field::AnswerEvaluator, Field::NotesEvaluator)];

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

/// Fields whose value the next step judges: two columns with the same header
/// for one of them make the file ambiguous. (Notes, evidence and the like
/// keep their first column, as a stray copy of them changes no score.)
const JUDGED: [Field; 7] =
    [Field::UnitCode, Field::Criterion, Field::Answer, Field::Year, Field::Track, Field::AnswerMandiri, Field::AnswerEvaluator];

/// Where each known field sits in a header row.
#[derive(Debug, Clone)]
struct Columns {
    index: [Option<usize>; ALIASES.len()],
    headers: Vec<String>,
    /// The first judged field whose header appears twice, spelt the same
    /// (after normalising): the field and both columns.
    duplicate: Option<(Field, usize, usize)>,
}

impl Columns {
    /// Maps a header row; a field named twice keeps its first column (see
    /// [`Columns::duplicated`] for when that is refused instead).
    fn locate(headers: &[String]) -> Columns {
        let mut index = [None; ALIASES.len()];
        let mut duplicate = None;
        for (col, header) in headers.iter().enumerate() {
            if let Some(field) = Field::for_header(header) {
                let slot = &mut index[field as usize];
                match *slot {
                    None => *slot = Some(col),
                    // A different alias ("Nilai" beside "Jawaban") is usually
                    // a derived column and the first is the one meant; the
                    // very same header twice is usually the two tracks.
                    Some(first)
                        if duplicate.is_none()
                            && JUDGED.contains(&field)
                            && headers.get(first).map(|h| normalize_header(h)) == Some(normalize_header(header)) =>
                    {
                        duplicate = Some((field, first, col));
                    }
                    Some(_) => {}
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
        Columns { index, headers, duplicate }
    }

    /// The problem with a header that names a judged field twice, if it
    /// does; `place` says where a column is ("column 3", "column F").
    fn duplicated(&self, place: impl Fn(usize) -> String) -> Option<FileProblem> {
        let (field, first, second) = self.duplicate?;
        Some(FileProblem::DuplicateColumn {
            column: field.name(),
            header: clip(self.headers.get(first).map_or("", String::as_str)),
            first: place(first),
            second: place(second),
        })
    }

    /// The first cell of `cells` the reader takes a value from that is over
    /// `limits.max_cell_bytes`, as (its column's header, its text). Cells of
    /// columns no field maps are never kept, so their length does not matter.
    fn too_long<'c>(&self, cells: &'c [String], limits: &Limits) -> Option<(String, &'c str)> {
        ALL_FIELDS
            .iter()
            .filter_map(|f| self.get(*f))
            .filter_map(|i| cells.get(i).map(|c| (i, c)))
            .find(|(_, c)| c.len() as u64 > limits.max_cell_bytes)
            .map(|(i, c)| (self.headers.get(i).cloned().unwrap_or_default(), c.as_str()))
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
        Some(FileProblem::MissingColumn {
            column: field.name(),
            accepted: field.aliases().join(", "),
            found: header_list(&self.headers),
        })
    }

    /// Whether the header has one answer column per track (the layout
    /// `sakip template` writes) rather than one answer column.
    fn per_track(&self) -> bool {
        TRACK_COLUMNS.iter().any(|(_, answer, _)| self.get(*answer).is_some())
    }

    /// Whether the header names a column answers are read from.
    fn has_answer(&self) -> bool {
        self.get(Field::Answer).is_some() || self.per_track()
    }

    /// A header with per-track answer columns and also a plain answer or
    /// track column says two things about which answer belongs to which
    /// track; guessing would score the wrong answers, so it is refused.
    fn mixed_tracks(&self, place: impl Fn(usize) -> String) -> Option<FileProblem> {
        let (_, answer, _) = TRACK_COLUMNS.iter().find(|(_, answer, _)| self.get(*answer).is_some())?;
        let other = [Field::Answer, Field::Track].into_iter().find_map(|f| self.get(f))?;
        let at = |i: usize| self.headers.get(i).map_or(String::new(), |h| clip(h));
        let answer_at = self.get(*answer).unwrap_or_default();
        Some(FileProblem::Unreadable(format!(
            "the header has a per-track answer column '{}' ({}) and also the column '{}' ({}): either one answer column per track or one answer column with a track column, not both",
            at(answer_at),
            place(answer_at),
            at(other),
            place(other)
        )))
    }

    /// One row per track the header has an answer column for, each with
    /// that track's answer and notes (the plain notes column when the track
    /// has none of its own); a header with one answer column gives the row
    /// back as it is. Evidence belongs to the criterion, so both tracks
    /// carry it.
    fn split_tracks(&self, row: RawRow, cells: &[String]) -> Vec<RawRow> {
        if !self.per_track() {
            return vec![row];
        }
        let text = |f: Field| self.get(f).and_then(|i| cells.get(i)).filter(|t| !t.is_empty()).cloned();
        TRACK_COLUMNS
            .iter()
            .filter(|(_, answer, _)| self.get(*answer).is_some())
            .map(|(track, answer, notes)| RawRow {
                track: Some((*track).to_string()),
                answer: text(*answer).unwrap_or_default(),
                notes: if self.get(*notes).is_some() { text(*notes) } else { row.notes.clone() },
                ..row.clone()
            })
            .collect()
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
        self.check_width(cells, sheet, row, separator)?;
        Ok(self.fields(sheet, row, |i| cells.get(i).cloned()))
    }

    /// [`Columns::raw_row`] for a row whose cells are not needed afterwards:
    /// they are moved into the [`RawRow`], not copied.
    fn raw_row_moved(&self, mut cells: Vec<String>, sheet: Option<&str>, row: u64, separator: &str) -> Result<RawRow, BadRow> {
        self.check_width(&cells, sheet, row, separator)?;
        Ok(self.fields(sheet, row, |i| cells.get_mut(i).map(std::mem::take)))
    }

    /// A row too short to hold the criterion or the answer is a bad row.
    fn check_width(&self, cells: &[String], sheet: Option<&str>, row: u64, separator: &str) -> Result<(), BadRow> {
        for field in [Field::Criterion, Field::Answer, Field::AnswerMandiri, Field::AnswerEvaluator] {
            if let Some(i) = self.get(field) {
                if i >= cells.len() {
                    return Err(BadRow {
                        sheet: sheet.map(str::to_string),
                        row,
                        column: self.header(field),
                        value: clip(&cells.join(separator)),
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
        Ok(())
    }

    /// The row's fields, each cell fetched by `cell(index)`.
    fn fields(&self, sheet: Option<&str>, row: u64, mut cell: impl FnMut(usize) -> Option<String>) -> RawRow {
        let mut text = |field: Field| self.get(field).and_then(&mut cell);
        let unit_code = text(Field::UnitCode);
        let year = text(Field::Year);
        let track = text(Field::Track);
        let component = text(Field::Component);
        let subcomponent = text(Field::Subcomponent);
        let criterion = text(Field::Criterion).unwrap_or_default();
        let answer = text(Field::Answer).unwrap_or_default();
        let notes = text(Field::Notes);
        let evidence = text(Field::Evidence);
        let optional = |t: Option<String>| t.filter(|t| !t.is_empty());
        RawRow {
            sheet: sheet.map(str::to_string),
            row,
            unit_code: optional(unit_code),
            year: optional(year),
            track: optional(track),
            component: optional(component),
            subcomponent: optional(subcomponent),
            criterion,
            answer,
            notes: optional(notes),
            evidence: optional(evidence),
        }
    }
}

/// The non-empty headers for a message, each clipped and the list cut short:
/// a "header" can be a whole file that has no line breaks.
fn header_list(headers: &[String]) -> String {
    const MAX_LIST_CHARS: usize = 400;
    let mut out = String::new();
    let found: Vec<&str> = headers.iter().map(String::as_str).filter(|h| !h.is_empty()).collect();
    for (i, header) in found.iter().enumerate() {
        let item = clip(header);
        if !out.is_empty() && out.len() + item.len() > MAX_LIST_CHARS {
            out.push_str(&format!(", … ({} more)", found.len() - i));
            break;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&item);
    }
    out
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
            for name in ["a.csv", "a.json", "a.xlsx", "a.ods", "a.xls", "a.xlsb"] {
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
        // ... but the same header twice for a judged field is refused.
        let want = FileProblem::DuplicateColumn {
            column: "answer",
            header: "jawaban".to_string(),
            first: "column 1".to_string(),
            second: "column 3".to_string(),
        };
        assert_eq!(cols.duplicated(|i| format!("column {}", i + 1)), Some(want));
    }

    #[test]
    fn different_aliases_and_repeated_notes_are_not_duplicates() {
        let headers: Vec<String> = ["kode_kriteria", "jawaban", "nilai", "catatan", "Catatan"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let cols = Columns::locate(&headers);
        assert_eq!(cols.get(Field::Answer), Some(1));
        assert_eq!(cols.get(Field::Notes), Some(3));
        assert_eq!(cols.duplicated(|i| i.to_string()), None);
    }

    #[test]
    fn clipping_and_header_lists_stay_short() {
        assert_eq!(clip("pendek"), "pendek");
        let long = "é".repeat(100);
        assert_eq!(clip(&long), format!("{}…", "é".repeat(80)));
        let headers: Vec<String> = (0..1000).map(|i| format!("kolom{i}")).chain(["x".repeat(5000)]).collect();
        let list = header_list(&headers);
        assert!(list.len() < 500, "{}", list.len());
        assert!(list.starts_with("kolom0, kolom1, "), "{list}");
        assert!(list.ends_with("more)"), "{list}");
    }

    #[test]
    fn the_row_budget_allows_exactly_max_rows() {
        let mut budget = RowBudget::new(&Limits { max_rows: 2, ..Limits::default() });
        assert_eq!(budget.count(), Ok(()));
        assert_eq!(budget.count(), Ok(()));
        let Err(FileProblem::TooLarge(msg)) = budget.count() else { panic!("third row allowed") };
        assert_eq!(msg, "the file has more than 2 answer rows, over the pipeline's limit (limits.max_rows); it was not read further");
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
