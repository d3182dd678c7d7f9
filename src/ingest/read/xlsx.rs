//! XLSX submissions: the LKE worksheet as satkers fill it in Excel. Real
//! forms carry titles above the header, merge component cells down their
//! criteria, compute cells with formulas and type codes as numbers; this
//! module finds the header, reads cached values, fills merged cells forward
//! and writes numbers as people typed them, so the next stage sees text.
//!
//! A workbook is a ZIP archive of XML that can claim anything, so it is read
//! defensively: the archive is checked before it is unpacked (see
//! [`super::archive`]), the sheet is streamed cell by cell rather than loaded as
//! a grid (a single cell at XFD1048576 would make the grid 17 billion cells),
//! reading stops at `limits.max_rows`, and a panic inside calamine on a forged
//! file becomes a refusal of that file instead of the end of the run.
//!
//! It is one file of about 500 lines (tests apart) on purpose: header
//! finding, merged-cell filling and number formatting all act on the same
//! streamed row, and split apart each would need that row's state passed
//! around; the shared parts (the archive guard, the cell stream, the field
//! table) already live in their own modules.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{Data, DataRef, Reader, Xlsx, XlsxError};

use crate::rules::limits::Limits;
use super::{
    long_cell, non_empty, number_text, BadRow, Cells, Columns, Field, FileProblem, RawSubmission, RowBudget,
    JUDGED,
};

/// How far down a form the header may sit below its titles.
const HEADER_SEARCH_ROWS: u32 = 30;

/// Excel's columns end at XFD; a cell beyond it is a forged reference, and
/// building a row out to it would allocate without bound.
const MAX_COLUMNS: u32 = 16_384;

/// Reads the LKE sheet (or the first) of a workbook; see the module docs.
/// The rows' cells are kept in `cells`.
pub(super) fn read<'t>(bytes: &[u8], limits: &Limits, cells: &'t Cells) -> Result<RawSubmission<'t>, FileProblem> {
    super::archive::check(bytes, limits)?;
    // calamine's cell-reference arithmetic overflows on a reference like
    // ZZZZZZZ1 and panics (overflow checks are on for it in every profile,
    // see Cargo.toml); one forged file must not end the run for every other
    // unit. The panic becomes this file's refusal, so it is not printed.
    let caught = {
        let _quiet = super::QuietPanics::begin();
        catch_unwind(AssertUnwindSafe(|| read_workbook(bytes, limits, cells)))
    };
    match caught {
        Ok(result) => result,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(FileProblem::Unreadable(format!(
                "not a readable XLSX workbook: the spreadsheet reader failed on it ({what}); the file is damaged or forged"
            )))
        }
    }
}

fn unreadable(e: XlsxError) -> FileProblem {
    FileProblem::Unreadable(format!("not a readable XLSX workbook: {e}"))
}

/// One cell as the sheet holds it.
pub(super) struct Cell {
    pub(super) col: u32,
    pub(super) value: Data,
    /// The cell has a formula (its value is the one Excel saved, if any).
    pub(super) formula: bool,
}

/// The cells of one worksheet row, in column order.
pub(super) struct SheetRow {
    /// 0-based row number.
    pub(super) number: u32,
    pub(super) cells: Vec<Cell>,
}

/// The sheet answers are read from: `LKE` if there is one, else the first.
pub(super) fn answer_sheet(names: &[String]) -> Option<String> {
    names.iter().find(|n| n.trim().eq_ignore_ascii_case("lke")).or(names.first()).cloned()
}

fn read_workbook<'t>(bytes: &[u8], limits: &Limits, cells: &'t Cells) -> Result<RawSubmission<'t>, FileProblem> {
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let Some(sheet) = answer_sheet(&workbook.sheet_names()) else {
        return Err(FileProblem::Empty);
    };
    let mut reader = match workbook.worksheet_cells_reader(&sheet) {
        Ok(reader) => reader,
        // A chart sheet: no cells at all.
        Err(XlsxError::NotAWorksheet(_)) => return Err(FileProblem::Empty),
        Err(e) => return Err(unreadable(e)),
    };
    let mut stream = CellStream::new("XLSX", &sheet, limits, cells);
    while let Some(record) = reader.next_cell_with_formula_metadata().map_err(unreadable)? {
        let (number, col) = record.pos;
        let formula = record.formula.is_some();
        // Blank cells that only carry a style are not used cells.
        if matches!(record.value, DataRef::Empty) && !formula {
            continue;
        }
        stream.add(number, col, Data::from(record.value), formula)?;
    }
    stream.finish()
}

/// A sheet's cells as a streaming reader hands them over (row by row, each
/// row's cells in column order), grouped into rows for [`Rows`]. XLSX and
/// XLSB share it. A cell beyond Excel's last column, or a row with more
/// cells than Excel has columns (one cell repeated millions of times),
/// refuses the file as forged rather than growing without bound.
pub(super) struct CellStream<'a, 't> {
    format: &'static str,
    sheet: &'a str,
    limits: &'a Limits,
    rows: Rows<'t>,
    current: Option<SheetRow>,
}

impl<'a, 't> CellStream<'a, 't> {
    /// An empty stream for `sheet` of a workbook in `format` (named in
    /// messages), keeping the rows' cells in `cells`.
    pub(super) fn new(format: &'static str, sheet: &'a str, limits: &'a Limits, cells: &'t Cells) -> CellStream<'a, 't> {
        CellStream { format, sheet, limits, rows: Rows::new(cells), current: None }
    }

    /// The next used cell, at 0-based `number` (row) and `col`.
    pub(super) fn add(&mut self, number: u32, col: u32, value: Data, formula: bool) -> Result<(), FileProblem> {
        let (format, sheet) = (self.format, self.sheet);
        if col >= MAX_COLUMNS {
            return Err(FileProblem::Unreadable(format!(
                "not a readable {format} workbook: sheet '{sheet}' has a cell in column {}, beyond Excel's last column XFD; the file is damaged or forged",
                u64::from(col) + 1
            )));
        }
        let cell = Cell { col, value, formula };
        match &mut self.current {
            Some(row) if row.number == number && row.cells.len() >= MAX_COLUMNS as usize => Err(FileProblem::Unreadable(format!(
                "not a readable {format} workbook: row {} of sheet '{sheet}' has more cells than Excel has columns; the file is damaged or forged",
                u64::from(number) + 1
            ))),
            Some(row) if row.number == number => {
                row.cells.push(cell);
                Ok(())
            }
            _ => match self.current.replace(SheetRow { number, cells: vec![cell] }) {
                Some(done) => self.rows.push(done, sheet, self.limits),
                None => Ok(()),
            },
        }
    }

    /// The submission, once every cell is in.
    pub(super) fn finish(mut self) -> Result<RawSubmission<'t>, FileProblem> {
        if let Some(done) = self.current.take() {
            self.rows.push(done, self.sheet, self.limits)?;
        }
        self.rows.finish(self.sheet, self.limits)
    }
}

/// The rows of a sheet as they stream in: first the window where the header
/// may be, then the answer rows below it.
pub(super) enum Rows<'t> {
    /// The first [`HEADER_SEARCH_ROWS`] rows from the first used one, kept
    /// until the header can be chosen; the answer rows' cells will be kept
    /// in `cells`.
    Searching { first: Option<u32>, rows: Vec<SheetRow>, cells: &'t Cells },
    /// Rows below the header, read one at a time.
    Reading(Box<Answers<'t>>),
}

impl<'t> Rows<'t> {
    pub(super) fn new(cells: &'t Cells) -> Rows<'t> {
        Rows::Searching { first: None, rows: Vec::new(), cells }
    }

    pub(super) fn push(&mut self, row: SheetRow, sheet: &str, limits: &Limits) -> Result<(), FileProblem> {
        match self {
            Rows::Searching { first, rows, cells } => {
                let first = *first.get_or_insert(row.number);
                // Also bounded by count: a forged sheet can repeat row
                // numbers, interleaving two rows cell by cell.
                let in_window = row.number >= first && row.number - first < HEADER_SEARCH_ROWS;
                if in_window && rows.len() < HEADER_SEARCH_ROWS as usize {
                    rows.push(row);
                    return Ok(());
                }
                let mut answers = Answers::below_header(std::mem::take(rows), sheet, limits, cells)?;
                answers.row(row)?;
                *self = Rows::Reading(Box::new(answers));
                Ok(())
            }
            Rows::Reading(answers) => answers.row(row),
        }
    }

    pub(super) fn finish(self, sheet: &str, limits: &Limits) -> Result<RawSubmission<'t>, FileProblem> {
        let answers = match self {
            Rows::Searching { rows, cells, .. } => Answers::below_header(rows, sheet, limits, cells)?,
            Rows::Reading(answers) => *answers,
        };
        let out = answers.out;
        // A template sent back unfilled lists every criterion and answers
        // none: that is no submission, and is said so (an unanswered
        // criterion among answered ones is only a missing answer).
        if out.bad_rows.is_empty() && !out.rows.is_empty() && out.rows.iter().all(|r| r.answer.is_empty()) {
            let mut rows: Vec<u64> = out.rows.iter().map(|r| r.row).collect();
            rows.dedup();
            return Err(FileProblem::Blank { rows: rows.len() });
        }
        non_empty(out)
    }
}

/// Turns the rows below the header into raw rows and bad rows.
///
/// Only the columns a value is taken from are kept, packed together: a
/// header can sit anywhere up to column XFD, and a row as wide as the sheet
/// for every one of 200 000 rows would cost gigabytes of copying.
pub(super) struct Answers<'t> {
    /// Where the rows' cells are kept, and the sheet's name kept there.
    cells: &'t Cells,
    sheet: &'t str,
    limits: Limits,
    /// The header row cut down to the used columns: indices are slots.
    columns: Columns,
    /// The sheet column of each slot. An error cell there refuses its row.
    slots: Vec<usize>,
    /// Sheet columns of the judged fields: a date or an unsaved formula
    /// there refuses its row.
    judged: Vec<(usize, Field)>,
    /// Codes are derived from numbered wording (no criterion column).
    derive: bool,
    last: [Option<&'t str>; 2],
    budget: RowBudget,
    out: RawSubmission<'t>,
}

impl<'t> Answers<'t> {
    /// Chooses the header among the first rows, as the row naming an answer
    /// and a criterion column, and reads the rows after it.
    fn below_header(rows: Vec<SheetRow>, sheet: &str, limits: &Limits, cells: &'t Cells) -> Result<Answers<'t>, FileProblem> {
        let candidates: Vec<Columns> = rows.iter().map(|r| Columns::locate(&dense_texts(r))).collect();
        let Some(header_at) = candidates
            .iter()
            .position(|c| c.has_answer() && has_criterion(c))
        else {
            // Report against the row that looked most like a header.
            let mut best: Option<&Columns> = None;
            for c in &candidates {
                if best.is_none_or(|b| known_fields(c) > known_fields(b)) {
                    best = Some(c);
                }
            }
            let required: &[Field] = if best.is_some_and(Columns::per_track) { &[Field::Criterion] } else { &[Field::Criterion, Field::Answer] };
            return Err(best.and_then(|c| c.missing_required(required)).unwrap_or(FileProblem::Empty));
        };
        let full = &candidates[header_at];
        if let Some(problem) = full.duplicated(|i| format!("column {}", column_name(i))) {
            return Err(problem);
        }
        if let Some(problem) = full.mixed_tracks(|i| format!("column {}", column_name(i))) {
            return Err(problem);
        }
        let derive = full.get(Field::Criterion).is_none();
        let mut slots: Vec<usize> = Field::ALL
            .iter()
            .filter(|f| derive || **f != Field::CriterionText)
            .filter_map(|f| full.get(*f))
            .collect();
        slots.sort_unstable();
        // Each used column's header names its own field, so the packed
        // header maps every field to the slot of the column it had.
        let packed: Vec<String> = slots.iter().map(|&c| full.headers.get(c).cloned().unwrap_or_default()).collect();
        let columns = Columns::locate(&packed);
        let judged = JUDGED.iter().filter_map(|f| full.get(*f).map(|c| (c, *f))).collect();
        let mut answers = Answers {
            cells,
            sheet: cells.keep(sheet),
            limits: *limits,
            columns,
            slots,
            judged,
            derive,
            last: [None, None],
            budget: RowBudget::new(limits),
            out: RawSubmission::default(),
        };
        for row in rows.into_iter().skip(header_at + 1) {
            answers.row(row)?;
        }
        Ok(answers)
    }

    fn bad(&self, row: u64, column: String, value: String, reason: String) -> BadRow {
        BadRow { sheet: Some(self.sheet.to_string()), row, column, value, reason }
    }

    fn row(&mut self, sheet_row: SheetRow) -> Result<(), FileProblem> {
        let row = u64::from(sheet_row.number) + 1;
        let mut texts = vec![String::new(); self.slots.len()];
        let mut blank = true;
        // The first problem in a column a value is taken from, as (header,
        // value, reason).
        let mut problem: Option<(String, String, String)> = None;
        for cell in &sheet_row.cells {
            let col = cell.col as usize;
            let slot = self.slots.iter().position(|&c| c == col);
            let header = || slot.and_then(|s| self.columns.headers.get(s)).cloned().unwrap_or_default();
            let judged = self.judged.iter().find(|(c, _)| *c == col).map(|(_, f)| *f);
            match cell_text(&cell.value) {
                Err(e) => {
                    if problem.is_none() && slot.is_some() {
                        problem = Some((header(), e.clone(), format!("cell holds the Excel error {e}")));
                    }
                    // Blank, so a broken component cell does not spread down.
                }
                Ok(text) => {
                    if let (None, Some(field)) = (&problem, judged) {
                        if let Some(date) = date_text(&cell.value) {
                            problem = Some((header(), date.clone(), format!(
                                "cell holds the date {date} where {} belongs: Excel may have turned what was typed into a date; format the column as Text and type it again",
                                what(field)
                            )));
                        } else if cell.formula && matches!(cell.value, Data::Empty) {
                            problem = Some((header(), String::new(), format!(
                                "cell holds a formula but no saved value for {} (the file was written by a program, not saved by Excel): open it in Excel and save it again",
                                what(field)
                            )));
                        }
                    }
                    // In the per-track layout, heading rows (a component's
                    // name and weight) fill only columns no value is read
                    // from, and are no answer rows.
                    if !text.is_empty() && (slot.is_some() || !self.columns.per_track()) {
                        blank = false;
                    }
                    let text = match judged {
                        Some(Field::UnitCode) => dotted_code(&cell.value).unwrap_or(text),
                        _ => text,
                    };
                    if let Some(t) = slot.and_then(|s| texts.get_mut(s)) {
                        *t = text;
                    }
                }
            }
        }
        if problem.is_none() && blank {
            return Ok(());
        }
        self.budget.count()?;
        // Before filling forward, so an over-long component is not copied
        // into every row below it.
        if let Some((column, cell)) = self.columns.too_long(&texts, &self.limits) {
            let bad = long_cell(Some(self.sheet), row, &column, cell, &self.limits);
            self.out.bad_rows.push(bad);
            return Ok(());
        }
        let mut texts: Vec<&'t str> = texts.iter().map(|t| self.cells.keep(t)).collect();
        self.columns.fill_forward(&mut texts, &mut self.last);
        if let Some((column, value, reason)) = problem {
            let bad = self.bad(row, column, value, reason);
            self.out.bad_rows.push(bad);
            return Ok(());
        }
        match self.columns.raw_row(&texts, Some(self.sheet), row, "\t") {
            Ok(mut raw) if self.derive => match derived_code(&self.columns, &texts) {
                Ok(code) => {
                    raw.criterion = self.cells.keep(&code);
                    let split = self.columns.split_tracks(raw, &texts);
                    self.out.rows.extend(split);
                }
                Err((column, value, reason)) => {
                    let bad = self.bad(row, column, value, reason);
                    self.out.bad_rows.push(bad);
                }
            },
            Ok(raw) => {
                let split = self.columns.split_tracks(raw, &texts);
                self.out.rows.extend(split);
            }
            Err(e) => self.out.bad_rows.push(e),
        }
        Ok(())
    }
}

/// A row's cells as text, column A first, for finding the header.
fn dense_texts(row: &SheetRow) -> Vec<String> {
    let width = row.cells.iter().map(|c| c.col as usize + 1).max().unwrap_or(0);
    let mut texts = vec![String::new(); width];
    for cell in &row.cells {
        if let (Some(slot), Ok(text)) = (texts.get_mut(cell.col as usize), cell_text(&cell.value)) {
            *slot = text;
        }
    }
    texts
}

/// A dotted unit code typed as a number loses its last zero (53.10 is
/// stored as 53.1); codes have two digits after the dot, so it is put back.
fn dotted_code(cell: &Data) -> Option<String> {
    let Data::Float(f) = cell else { return None };
    if f.fract() == 0.0 || !(10.0..100.0).contains(f) {
        return None;
    }
    let two = format!("{f:.2}");
    (two.parse::<f64>().ok() == Some(*f)).then_some(two)
}

/// What a judged column holds, for messages.
fn what(field: Field) -> &'static str {
    match field {
        Field::UnitCode => "a unit code",
        Field::Criterion => "a criterion code",
        Field::Answer => "an answer",
        Field::Year => "a year",
        Field::Track => "a track",
        _ => "a value",
    }
}

/// Excel's name of a 0-based column: A, Z, AA, XFD.
fn column_name(index: usize) -> String {
    let mut n = index + 1;
    let mut name = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        name.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

fn known_fields(columns: &Columns) -> usize {
    [
        Field::Criterion,
        Field::Answer,
        Field::AnswerMandiri,
        Field::AnswerEvaluator,
        Field::Component,
        Field::Subcomponent,
        Field::UnitCode,
    ]
    .iter()
    .filter(|f| columns.get(**f).is_some())
    .count()
}

/// A criterion code column, or the numbered component, sub-component and
/// criterion wording a form without codes carries instead.
fn has_criterion(columns: &Columns) -> bool {
    columns.get(Field::Criterion).is_some()
        || [Field::Component, Field::Subcomponent, Field::CriterionText]
            .iter()
            .all(|f| columns.get(*f).is_some())
}

/// A cell as text; an Excel error as `Err` holding its display form. Dates
/// are written the ISO way (2024-01-05), not as Excel's day count.
fn cell_text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::Error(e) => return Err(e.to_string()),
        Data::DateTime(d) if d.is_datetime() => iso_date(d),
        Data::DateTime(d) => number_text(d.as_f64()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.trim().to_string(),
    })
}

/// The date a cell holds, if it is one.
fn date_text(cell: &Data) -> Option<String> {
    match cell {
        Data::DateTime(d) if d.is_datetime() => Some(iso_date(d)),
        Data::DateTimeIso(s) => Some(s.trim().to_string()),
        _ => None,
    }
}

fn iso_date(d: &calamine::ExcelDateTime) -> String {
    let (y, mo, day, h, mi, s, ms) = d.to_ymd_hms_milli();
    if (h, mi, s, ms) == (0, 0, 0, 0) {
        format!("{y:04}-{mo:02}-{day:02}")
    } else {
        format!("{y:04}-{mo:02}-{day:02} {h:02}:{mi:02}:{s:02}")
    }
}

/// "C.S.K" from "1. Perencanaan", "2. Dokumen ..." and "3. Terdapat ...".
/// A row with no criterion wording (a component's title row) keeps an empty
/// code for the next stage to reject.
fn derived_code(columns: &Columns, texts: &[&str]) -> Result<String, (String, String, String)> {
    let cell = |f: Field| columns.get(f).and_then(|i| texts.get(i)).copied().unwrap_or("");
    if cell(Field::CriterionText).is_empty() {
        return Ok(String::new());
    }
    let mut parts = Vec::with_capacity(3);
    for field in [Field::Component, Field::Subcomponent, Field::CriterionText] {
        let text = cell(field);
        match leading_number(text) {
            Some(n) => parts.push(n.to_string()),
            None => {
                return Err((
                    columns.header(field),
                    text.to_string(),
                    format!("cannot derive a criterion code: '{text}' does not start with a number like \"1. \""),
                ))
            }
        }
    }
    Ok(parts.join("."))
}

/// The `N` of a cell that starts "N. ".
fn leading_number(text: &str) -> Option<u32> {
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = text.get(digits..)?;
    if digits == 0 || !(rest == "." || rest.starts_with(". ")) {
        return None;
    }
    text.get(..digits)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::super::archive::testing::stored_zip;
    use super::*;
    use crate::ingest::read::submission::kept;
    use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/fixtures/xlsx/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
    }

    /// The reader under the default limits.
    fn read(bytes: &[u8]) -> Result<RawSubmission<'static>, FileProblem> {
        super::read(bytes, &Limits::default(), kept())
    }

    fn read_ok(name: &str) -> RawSubmission<'static> {
        read(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    fn saved(book: &mut Workbook) -> Vec<u8> {
        book.save_to_buffer().unwrap_or_else(|e| panic!("rust_xlsxwriter: {e}"))
    }

    /// A workbook whose only sheet, LKE, has `header` in row 1 and `rows`
    /// below it, all as text.
    fn simple(header: &[&str], rows: &[&[&str]]) -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("LKE").ok();
        for (c, h) in header.iter().enumerate() {
            sheet.write_string(0, c as u16, *h).ok();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string(r as u32 + 1, c as u16, *v).ok();
            }
        }
        saved(&mut book)
    }

    /// A workbook written by hand: `sheet_data` is the inside of
    /// `<sheetData>`, `shared` the whole shared strings part if any.
    fn raw_workbook(sheet_data: &str, shared: Option<&str>) -> Vec<u8> {
        let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
        let workbook = r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="LKE" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
        let workbook_rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
        let sheet = format!(r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#);
        let mut parts: Vec<(&str, &[u8])> = vec![
            ("_rels/.rels", rels.as_bytes()),
            ("xl/workbook.xml", workbook.as_bytes()),
            ("xl/_rels/workbook.xml.rels", workbook_rels.as_bytes()),
            ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
        ];
        if let Some(shared) = shared {
            parts.push(("xl/sharedStrings.xml", shared.as_bytes()));
        }
        stored_zip(&parts)
    }

    /// An inline-string cell.
    fn text_cell(r: &str, v: &str) -> String {
        format!(r#"<c r="{r}" t="inlineStr"><is><t>{v}</t></is></c>"#)
    }

    const HEADER_ROW: &str = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Kode Kriteria</t></is></c><c r="B1" t="inlineStr"><is><t>Jawaban</t></is></c></row>"#;

    #[test]
    fn form_with_titles_merges_and_formulas() {
        let mut book = Workbook::new();
        book.add_worksheet().set_name("Petunjuk").map(|s| s.write_string(0, 0, "Isi lembar LKE").ok()).ok();
        let sheet = book.add_worksheet();
        sheet.set_name("LKE").ok();
        sheet.merge_range(0, 0, 0, 7, "LEMBAR KERJA EVALUASI SAKIP", &Format::new()).ok();
        sheet.write_string(1, 0, "KPU Provinsi Nusa Tenggara Timur").ok();
        let header = ["Kode Satker", "Tahun", "Komponen", "Sub Komponen", "Kode Kriteria", "Jawaban", "Catatan", "Nilai"];
        for (c, h) in header.iter().enumerate() {
            sheet.write_string(4, c as u16, *h).ok();
        }
        for r in [5u32, 6, 7, 9, 10] {
            sheet.write_number(r, 0, 5301.0).ok();
            sheet.write_number(r, 1, 2024.0).ok();
        }
        sheet.merge_range(5, 2, 10, 2, "1. Perencanaan Kinerja", &Format::new()).ok();
        sheet.merge_range(5, 3, 6, 3, "1.1 Dokumen", &Format::new()).ok();
        sheet.write_string(7, 3, "1.2 Kualitas").ok();
        for (r, code) in [(5u32, "1.1.1"), (6, "1.1.2"), (7, "1.2.1"), (9, "1.2.2"), (10, "1.2.3")] {
            sheet.write_string(r, 4, code).ok();
        }
        sheet.write_string(5, 5, "Y").ok();
        sheet.write_formula(6, 5, Formula::new("=70+17.5").set_result("87.5")).ok();
        sheet.write_string(7, 5, "B").ok();
        sheet.write_number(9, 5, 95.0).ok();
        sheet.write_formula(10, 5, Formula::new("=1/0").set_result("#DIV/0!")).ok();
        sheet.write_string(5, 6, "lengkap").ok();
        // "Nilai" is another name for the answer: the first column wins.
        sheet.write_string(5, 7, "100").ok();
        let got = read(&saved(&mut book)).unwrap_or_else(|e| panic!("{e}"));
        // (row, criterion, answer, component, subcomponent)
        type Seen<'a> = (u64, &'a str, &'a str, Option<&'a str>, Option<&'a str>);
        let rows: Vec<Seen> = got
            .rows
            .iter()
            .map(|r| (r.row, r.criterion, r.answer, r.component.as_deref(), r.subcomponent.as_deref()))
            .collect();
        let (perencanaan, dokumen, kualitas) = (Some("1. Perencanaan Kinerja"), Some("1.1 Dokumen"), Some("1.2 Kualitas"));
        assert_eq!(
            rows,
            vec![
                (6, "1.1.1", "Y", perencanaan, dokumen),
                (7, "1.1.2", "87.5", perencanaan, dokumen),
                (8, "1.2.1", "B", perencanaan, kualitas),
                (10, "1.2.2", "95", perencanaan, kualitas),
            ]
        );
        let first = &got.rows[0];
        assert_eq!(first.sheet.as_deref(), Some("LKE"));
        assert_eq!((first.unit_code.as_deref(), first.year.as_deref()), (Some("5301"), Some("2024")));
        assert_eq!(first.notes.as_deref(), Some("lengkap"));
        assert_eq!(got.bad_rows.len(), 1);
        let bad = &got.bad_rows[0];
        assert_eq!((bad.sheet.as_deref(), bad.row, bad.column.as_str()), (Some("LKE"), 11, "Jawaban"));
        assert_eq!((bad.value.as_str(), bad.reason.as_str()), ("#DIV/0!", "cell holds the Excel error #DIV/0!"));
    }

    #[test]
    fn the_same_answer_header_twice_refuses_the_form() {
        // form.xlsx has "Jawaban" in F and again in H.
        let want = FileProblem::DuplicateColumn {
            column: "answer",
            header: "Jawaban".to_string(),
            first: "column F".to_string(),
            second: "column H".to_string(),
        };
        assert_eq!(read(&fixture("form.xlsx")), Err(want));
    }

    #[test]
    fn first_sheet_and_english_headers() {
        let got = read_ok("plain.xlsx");
        assert_eq!(got.rows.len(), 2);
        assert_eq!(got.rows[0].sheet.as_deref(), Some("Data"));
        assert_eq!(
            (got.rows[0].row, got.rows[0].answer, got.rows[0].track.as_deref()),
            (2, "TRUE", Some("evaluator"))
        );
        assert_eq!(got.rows[1].evidence.as_deref(), Some("https://drive/x"));
        // A date typed where a code belongs refuses its row, saying so.
        let bad = &got.bad_rows[0];
        assert_eq!((bad.row, bad.column.as_str(), bad.value.as_str()), (4, "unit_code", "2024-01-05"));
        assert_eq!(
            bad.reason,
            "cell holds the date 2024-01-05 where a unit code belongs: Excel may have turned what was typed into a date; format the column as Text and type it again"
        );
    }

    #[test]
    fn dates_in_criterion_and_answer_columns_but_not_in_notes() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        let date = ExcelDateTime::from_ymd(2024, 2, 1).unwrap_or_else(|e| panic!("{e}"));
        let format = Format::new().set_num_format("dd/mm/yyyy");
        for (c, h) in ["kode_kriteria", "jawaban", "catatan"].iter().enumerate() {
            sheet.write_string(0, c as u16, *h).ok();
        }
        sheet.write_datetime_with_format(1, 0, &date, &format).ok();
        sheet.write_string(1, 1, "A").ok();
        sheet.write_string(2, 0, "1.1.2").ok();
        sheet.write_datetime_with_format(2, 1, &date, &format).ok();
        sheet.write_string(3, 0, "1.1.3").ok();
        sheet.write_string(3, 1, "B").ok();
        sheet.write_datetime_with_format(3, 2, &date, &format).ok();
        let got = read(&saved(&mut book)).unwrap_or_default();
        let bad: Vec<(u64, &str)> = got.bad_rows.iter().map(|b| (b.row, b.column.as_str())).collect();
        assert_eq!(bad, [(2, "kode_kriteria"), (3, "jawaban")]);
        assert!(got.bad_rows[0].reason.contains("where a criterion code belongs"));
        assert!(got.bad_rows[1].reason.contains("where an answer belongs"));
        assert_eq!(got.rows[0].notes.as_deref(), Some("2024-02-01"));
    }

    #[test]
    fn codes_typed_as_numbers_read_as_codes() {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        for (c, h) in ["kode_satker", "kode_kriteria", "jawaban"].iter().enumerate() {
            sheet.write_string(0, c as u16, *h).ok();
        }
        // 53.10 typed as a number is stored as 53.1.
        for (r, unit) in [(1u32, 5301.0), (2, 53.1), (3, 53.01), (4, 53.123)] {
            sheet.write_number(r, 0, unit).ok();
            sheet.write_string(r, 1, "1.1.1").ok();
            sheet.write_string(r, 2, "A").ok();
        }
        let got = read(&saved(&mut book)).unwrap_or_default();
        let units: Vec<&str> = got.rows.iter().filter_map(|r| r.unit_code.as_deref()).collect();
        assert_eq!(units, ["5301", "53.10", "53.01", "53.123"]);
    }

    #[test]
    fn a_formula_without_a_saved_value_is_not_a_blank_answer() {
        let sheet = format!(
            r#"{HEADER_ROW}<row r="2">{}<c r="B2"><f>IF(1,"A","B")</f><v></v></c></row><row r="3">{}<c r="B3" t="str"><f>IF(1,"A","B")</f><v>A</v></c></row><row r="4">{}<c r="B4" t="str"><f>IF(1,"","B")</f><v></v></c></row>"#,
            text_cell("A2", "1.1.1"),
            text_cell("A3", "1.1.2"),
            text_cell("A4", "1.1.3"),
        );
        let got = read(&raw_workbook(&sheet, None)).unwrap_or_default();
        let rows: Vec<(u64, &str)> = got.rows.iter().map(|r| (r.row, r.answer)).collect();
        // A saved empty result is a blank answer, written as missing later.
        assert_eq!(rows, [(3, "A"), (4, "")]);
        assert_eq!(got.bad_rows.len(), 1);
        assert_eq!((got.bad_rows[0].row, got.bad_rows[0].column.as_str()), (2, "Jawaban"));
        assert!(got.bad_rows[0].reason.starts_with("cell holds a formula but no saved value for an answer"), "{}", got.bad_rows[0].reason);
    }

    #[test]
    fn a_far_away_cell_does_not_build_a_huge_grid() {
        // calamine's grid for this sheet would be 17 billion cells.
        let sheet = format!(
            r#"{HEADER_ROW}<row r="2">{}{}</row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t></t></is></c></row>"#,
            text_cell("A2", "1.1.1"),
            text_cell("B2", "A")
        );
        let got = read(&raw_workbook(&sheet, None)).unwrap_or_default();
        assert_eq!(got.rows.len(), 1);
        // A whole row of empty cells out to XFD is no answer either.
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        ws.write_string(0, 0, "kode_kriteria").ok();
        ws.write_string(0, 1, "jawaban").ok();
        ws.write_string(1, 0, "1.1.1").ok();
        ws.write_string(1, 1, "A").ok();
        ws.write_string(1_048_575, 16_383, "").ok();
        assert_eq!(read(&saved(&mut book)).map(|s| s.rows.len()), Ok(1));
        // A used column at XFD: rows are still read a few cells wide.
        let mut book = Workbook::new();
        let ws = book.add_worksheet();
        ws.write_string(0, 0, "kode_kriteria").ok();
        ws.write_string(0, 1, "jawaban").ok();
        ws.write_string(0, 16_383, "catatan").ok();
        for r in 1..2_000u32 {
            ws.write_string(r, 0, "1.1.1").ok();
            ws.write_string(r, 1, "A").ok();
        }
        ws.write_string(5, 16_383, "jauh di kanan").ok();
        let got = read(&saved(&mut book)).unwrap_or_default();
        assert_eq!(got.rows.len(), 1_999);
        assert_eq!(got.rows[4].notes.as_deref(), Some("jauh di kanan"));
    }

    #[test]
    fn forged_cell_references_are_refused_not_panics() {
        for reference in ["XFE2", "ZZZZZZZZ2", "A99999999999"] {
            let sheet = format!(r#"{HEADER_ROW}<row r="2">{}</row>"#, text_cell(reference, "x"));
            let got = read(&raw_workbook(&sheet, None));
            assert!(
                matches!(&got, Err(FileProblem::Unreadable(m)) if m.starts_with("not a readable XLSX workbook: ")),
                "{reference}: {got:?}"
            );
        }
    }

    #[test]
    fn a_row_repeating_one_cell_endlessly_is_refused() {
        let cells = text_cell("A2", "1.1.1").repeat(16_385);
        let got = read(&raw_workbook(&format!(r#"{HEADER_ROW}<row r="2">{cells}</row>"#), None));
        assert!(matches!(&got, Err(FileProblem::Unreadable(m)) if m.contains("row 2 of sheet 'LKE' has more cells than Excel has columns")), "{got:?}");
    }

    #[test]
    fn a_shared_strings_table_claiming_too_many_strings_is_refused() {
        // calamine would reserve 2.4 TB for it and abort the process.
        let shared = r#"<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="100000000000"><si><t>Jawaban</t></si></sst>"#;
        let got = read(&raw_workbook(HEADER_ROW, Some(shared)));
        assert!(matches!(&got, Err(FileProblem::Unreadable(m)) if m.contains("claims 100000000000 strings")), "{got:?}");
    }

    #[test]
    fn limits_on_rows_cells_and_unpacked_size() {
        let bytes = simple(&["kode_kriteria", "jawaban", "catatan"], &[&["1.1.1", "A", "pendek"], &["1.1.2", "B", &"x".repeat(200)], &["1.1.3", "C"]]);
        let limits = |f: fn(&mut Limits)| {
            let mut l = Limits::default();
            f(&mut l);
            l
        };
        let got = super::read(&bytes, &limits(|l| l.max_cell_bytes = 100), kept()).unwrap_or_default();
        assert_eq!(got.rows.len(), 2);
        let bad = &got.bad_rows[0];
        assert_eq!((bad.sheet.as_deref(), bad.row, bad.column.as_str()), (Some("LKE"), 3, "catatan"));
        assert_eq!(bad.value.chars().count(), 81);
        assert_eq!(bad.reason, "the 'catatan' cell is 200 bytes long, over the pipeline's limit of 100 bytes (limits.max_cell_bytes)");
        let Err(FileProblem::TooLarge(msg)) = super::read(&bytes, &limits(|l| l.max_rows = 2), kept()) else { panic!("three rows allowed") };
        assert!(msg.contains("more than 2 answer rows") && msg.contains("(limits.max_rows)"), "{msg}");
        assert_eq!(super::read(&bytes, &limits(|l| l.max_rows = 3), kept()).map(|s| s.rows.len()), Ok(3));
        let Err(FileProblem::TooLarge(msg)) = super::read(&bytes, &limits(|l| l.max_unzipped_bytes = 2000), kept()) else { panic!("unpacked") };
        assert!(msg.contains("(limits.max_unzipped_bytes)"), "{msg}");
    }

    #[test]
    fn missing_answer_column_and_header_only() {
        let want = FileProblem::MissingColumn {
            column: "answer",
            accepted: "jawaban, answer, nilai".to_string(),
            found: "Kode Satker, Kode Kriteria, Skor".to_string(),
        };
        assert_eq!(read(&fixture("no_answer.xlsx")), Err(want));
        assert_eq!(read(&fixture("header_only.xlsx")), Err(FileProblem::Empty));
        assert_eq!(read(&[]), Err(FileProblem::Empty));
    }

    #[test]
    fn criterion_codes_derived_from_numbered_wording() {
        let got = read_ok("derived.xlsx");
        let codes: Vec<(u64, &str)> = got.rows.iter().map(|r| (r.row, r.criterion)).collect();
        assert_eq!(codes, vec![(2, ""), (3, "1.1.1"), (4, "1.1.2"), (5, "1.2.1")]);
        assert_eq!(got.bad_rows.len(), 1);
        let bad = &got.bad_rows[0];
        assert_eq!((bad.row, bad.column.as_str()), (6, "Kriteria"));
        assert_eq!(
            bad.reason,
            "cannot derive a criterion code: 'Catatan umum tanpa nomor' does not start with a number like \"1. \""
        );
        // The component above still reaches rows whose cell is merged away.
        assert_eq!(got.rows[3].component.as_deref(), Some("1. Perencanaan Kinerja"));
    }

    #[test]
    fn not_a_workbook_is_unreadable() {
        let Err(FileProblem::Unreadable(msg)) = read(b"kode_kriteria,jawaban\n1.1.1,A\n") else {
            panic!("expected Unreadable");
        };
        assert!(msg.starts_with("not a readable XLSX workbook: "), "{msg}");
    }

    #[test]
    fn every_truncation_and_byte_flip_of_a_workbook_is_read_or_refused() {
        let bytes = simple(&["kode_kriteria", "jawaban"], &[&["1.1.1", "A"], &["1.1.2", "B"]]);
        let limits = Limits::default();
        for cut in 0..bytes.len() {
            // The container check runs outside the catch for calamine: it
            // must never panic by itself.
            let _ = super::super::archive::check(&bytes[..cut], &limits);
            assert!(super::read(&bytes[..cut], &limits, kept()).is_err(), "cut at {cut}");
        }
        for i in 0..bytes.len() {
            let mut broken = bytes.clone();
            broken[i] ^= 0xFF;
            let _ = super::super::archive::check(&broken, &limits);
            // Through calamine too, for a sample (it is the slow part).
            if i % 7 == 0 {
                let _ = super::read(&broken, &limits, kept());
            }
        }
    }

    /// A worksheet in the template's layout: title lines, a header with one
    /// answer and notes column per track, shaded heading rows between the
    /// criteria.
    fn per_track(answers: &[(&str, &str, &str)]) -> Vec<u8> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("LKE").ok();
        sheet.write_string(0, 0, "LEMBAR KERJA EVALUASI").ok();
        let header = ["Kode Satker", "Tahun", "Kode Kriteria", "Uraian", "Bobot", "Jawaban Mandiri", "Catatan Mandiri", "Bukti", "Jawaban Evaluator", "Catatan Evaluator"];
        for (c, h) in header.iter().enumerate() {
            sheet.write_string(2, c as u16, *h).ok();
        }
        sheet.write_string(3, 3, "1 Perencanaan Kinerja").ok();
        sheet.write_string(3, 4, "30").ok();
        for (i, (code, mandiri, evaluator)) in answers.iter().enumerate() {
            let r = 4 + i as u32;
            sheet.write_string(r, 0, "5301").ok();
            sheet.write_number(r, 1, 2024.0).ok();
            sheet.write_string(r, 2, *code).ok();
            sheet.write_string(r, 3, "Terdapat pedoman").ok();
            sheet.write_string(r, 5, *mandiri).ok();
            sheet.write_string(r, 8, *evaluator).ok();
        }
        sheet.write_string(4, 6, "catatan unit").ok();
        sheet.write_string(4, 7, "https://bukti").ok();
        sheet.write_string(4, 9, "catatan evaluator").ok();
        saved(&mut book)
    }

    #[test]
    fn one_answer_column_per_track_gives_a_row_per_track() {
        let got = read(&per_track(&[("1.1.1", "A", "B"), ("1.1.2", "C", "")])).unwrap_or_else(|e| panic!("{e}"));
        // (row, track, criterion, answer, notes, evidence)
        type Seen<'a> = (u64, Option<&'a str>, &'a str, &'a str, Option<&'a str>, Option<&'a str>);
        let rows: Vec<Seen> = got
            .rows
            .iter()
            .map(|r| (r.row, r.track.as_deref(), r.criterion, r.answer, r.notes.as_deref(), r.evidence.as_deref()))
            .collect();
        assert_eq!(
            rows,
            vec![
                (5, Some("mandiri"), "1.1.1", "A", Some("catatan unit"), Some("https://bukti")),
                (5, Some("evaluator"), "1.1.1", "B", Some("catatan evaluator"), Some("https://bukti")),
                (6, Some("mandiri"), "1.1.2", "C", None, None),
                (6, Some("evaluator"), "1.1.2", "", None, None),
            ]
        );
        // The heading row (row 4) is no answer row and no reject.
        assert!(got.bad_rows.is_empty(), "{:?}", got.bad_rows);
        assert_eq!(got.rows[0].unit_code.as_deref(), Some("5301"));
    }

    #[test]
    fn a_worksheet_without_any_answer_is_blank() {
        assert_eq!(read(&per_track(&[("1.1.1", "", ""), ("1.1.2", "", "")])), Err(FileProblem::Blank { rows: 2 }));
        // One answer is enough for the rest to be missing answers.
        assert_eq!(read(&per_track(&[("1.1.1", "", ""), ("1.1.2", "", "T")])).map(|s| s.rows.len()), Ok(4));
    }

    #[test]
    fn per_track_columns_beside_a_track_column_are_refused() {
        let bytes = simple(&["kode_kriteria", "penilaian", "jawaban_mandiri"], &[&["1.1.1", "evaluator", "A"]]);
        let got = read(&bytes);
        assert!(
            matches!(&got, Err(FileProblem::Unreadable(m)) if m.contains("per-track answer column 'jawaban_mandiri' (column C) and also the column 'penilaian' (column B)")),
            "{got:?}"
        );
    }

    #[test]
    fn column_names() {
        assert_eq!([0, 25, 26, 16_383].map(column_name), ["A", "Z", "AA", "XFD"]);
    }

    #[test]
    fn leading_numbers() {
        assert_eq!(leading_number("3. Terdapat"), Some(3));
        assert_eq!(leading_number("12."), Some(12));
        assert_eq!(leading_number("1.1 Dokumen"), None);
        assert_eq!(leading_number("Perencanaan"), None);
    }
}
