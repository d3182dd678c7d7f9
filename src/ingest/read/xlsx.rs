//! XLSX submissions: the LKE worksheet as satkers fill it in Excel. Real
//! forms carry titles above the header, merge component cells down their
//! criteria, compute cells with formulas and type codes as numbers; this
//! module finds the header, reads cached values, fills merged cells forward
//! and writes numbers as people typed them, so the next stage sees text.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::{
    is_blank, non_empty, number_text, BadRow, Columns, Field, FileProblem, RawSubmission,
    ALL_FIELDS,
};

/// How far down a form the header may sit below its titles.
const HEADER_SEARCH_ROWS: usize = 30;

/// Reads the LKE sheet (or the first) of a workbook; see the module docs.
pub(super) fn read(bytes: &[u8]) -> Result<RawSubmission, FileProblem> {
    let unreadable = |e: calamine::XlsxError| {
        FileProblem::Unreadable(format!("not a readable XLSX workbook: {e}"))
    };
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let names = workbook.sheet_names();
    let Some(sheet) = names
        .iter()
        .find(|n| n.trim().eq_ignore_ascii_case("lke"))
        .or(names.first())
        .cloned()
    else {
        return Err(FileProblem::Empty);
    };
    let range = workbook.worksheet_range(&sheet).map_err(unreadable)?;
    // calamine's range starts at the first used cell, not at A1.
    let Some((first_row, _)) = range.start() else {
        return Err(FileProblem::Empty);
    };

    let top: Vec<Vec<String>> = range
        .rows()
        .take(HEADER_SEARCH_ROWS)
        .map(|r| r.iter().map(|c| cell_text(c).unwrap_or_default()).collect())
        .collect();
    let candidates: Vec<Columns> = top.iter().map(|r| Columns::locate(r)).collect();
    let Some(header_at) = candidates
        .iter()
        .position(|c| c.get(Field::Answer).is_some() && has_criterion(c))
    else {
        // Report against the row that looked most like a header.
        let mut best: Option<&Columns> = None;
        for c in &candidates {
            if best.is_none_or(|b| known_fields(c) > known_fields(b)) {
                best = Some(c);
            }
        }
        return Err(best
            .and_then(|c| c.missing_required(&[Field::Criterion, Field::Answer]))
            .unwrap_or(FileProblem::Empty));
    };
    let columns = &candidates[header_at];
    let derive = columns.get(Field::Criterion).is_none();
    // Error cells matter only where a value is taken from.
    let used: Vec<usize> = ALL_FIELDS
        .iter()
        .filter(|f| derive || **f != Field::CriterionText)
        .filter_map(|f| columns.get(*f))
        .collect();

    let mut out = RawSubmission::default();
    let mut last = [None, None];
    for (offset, cells) in range.rows().enumerate().skip(header_at + 1) {
        let row = u64::from(first_row) + offset as u64 + 1;
        let mut texts = Vec::with_capacity(cells.len());
        let mut error = None;
        for (col, cell) in cells.iter().enumerate() {
            match cell_text(cell) {
                Ok(text) => texts.push(text),
                Err(e) => {
                    if used.contains(&col) && error.is_none() {
                        error = Some((columns.headers.get(col).cloned().unwrap_or_default(), e));
                    }
                    // Blank, so a broken component cell does not spread down.
                    texts.push(String::new());
                }
            }
        }
        if error.is_none() && is_blank(&texts) {
            continue;
        }
        columns.fill_forward(&mut texts, &mut last);
        let bad = |column: String, value: String, reason: String| BadRow {
            sheet: Some(sheet.clone()),
            row,
            column,
            value,
            reason,
        };
        if let Some((column, value)) = error {
            let reason = format!("cell holds the Excel error {value}");
            out.bad_rows.push(bad(column, value, reason));
            continue;
        }
        match columns.raw_row(&texts, Some(&sheet), row, "\t") {
            Ok(mut raw) if derive => match derived_code(columns, &texts) {
                Ok(code) => {
                    raw.criterion = code;
                    out.rows.push(raw);
                }
                Err((column, value, reason)) => out.bad_rows.push(bad(column, value, reason)),
            },
            Ok(raw) => out.rows.push(raw),
            Err(e) => out.bad_rows.push(e),
        }
    }
    non_empty(out)
}

fn known_fields(columns: &Columns) -> usize {
    [
        Field::Criterion,
        Field::Answer,
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

/// A cell as text; an Excel error as `Err` holding its display form.
fn cell_text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::Error(e) => return Err(e.to_string()),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => cell.to_string(),
    })
}

/// "C.S.K" from "1. Perencanaan", "2. Dokumen ..." and "3. Terdapat ...".
/// A row with no criterion wording (a component's title row) keeps an empty
/// code for the next stage to reject.
fn derived_code(columns: &Columns, texts: &[String]) -> Result<String, (String, String, String)> {
    let cell = |f: Field| {
        columns
            .get(f)
            .and_then(|i| texts.get(i))
            .map_or("", String::as_str)
    };
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
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/fixtures/xlsx/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"))
    }

    fn read_ok(name: &str) -> RawSubmission {
        read(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn form_with_titles_merges_and_formulas() {
        let got = read_ok("form.xlsx");
        // (row, criterion, answer, component, subcomponent)
        type Seen<'a> = (u64, &'a str, &'a str, Option<&'a str>, Option<&'a str>);
        let rows: Vec<Seen> = got
            .rows
            .iter()
            .map(|r| {
                (
                    r.row,
                    r.criterion.as_str(),
                    r.answer.as_str(),
                    r.component.as_deref(),
                    r.subcomponent.as_deref(),
                )
            })
            .collect();
        let (perencanaan, dokumen, kualitas) = (
            Some("1. Perencanaan Kinerja"),
            Some("1.1 Dokumen"),
            Some("1.2 Kualitas"),
        );
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
        assert_eq!(
            (first.unit_code.as_deref(), first.year.as_deref()),
            (Some("5301"), Some("2024"))
        );
        assert_eq!(first.notes.as_deref(), Some("lengkap"));
        assert_eq!(got.bad_rows.len(), 1);
        let bad = &got.bad_rows[0];
        assert_eq!(
            (bad.sheet.as_deref(), bad.row, bad.column.as_str()),
            (Some("LKE"), 11, "Jawaban")
        );
        assert_eq!(
            (bad.value.as_str(), bad.reason.as_str()),
            ("#DIV/0!", "cell holds the Excel error #DIV/0!")
        );
    }

    #[test]
    fn first_sheet_and_english_headers() {
        let got = read_ok("plain.xlsx");
        assert_eq!(got.rows.len(), 3);
        assert_eq!(got.rows[0].sheet.as_deref(), Some("Data"));
        // A date typed where a code belongs: kept as calamine shows it (the
        // serial number) for the next stage to reject.
        assert_eq!(
            (got.rows[2].row, got.rows[2].unit_code.as_deref()),
            (4, Some("45296"))
        );
        assert_eq!(
            (
                got.rows[0].row,
                got.rows[0].answer.as_str(),
                got.rows[0].track.as_deref()
            ),
            (2, "TRUE", Some("evaluator"))
        );
        assert_eq!(got.rows[1].evidence.as_deref(), Some("https://drive/x"));
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
    }

    #[test]
    fn criterion_codes_derived_from_numbered_wording() {
        let got = read_ok("derived.xlsx");
        let codes: Vec<(u64, &str)> = got
            .rows
            .iter()
            .map(|r| (r.row, r.criterion.as_str()))
            .collect();
        assert_eq!(
            codes,
            vec![(2, ""), (3, "1.1.1"), (4, "1.1.2"), (5, "1.2.1")]
        );
        assert_eq!(got.bad_rows.len(), 1);
        let bad = &got.bad_rows[0];
        assert_eq!((bad.row, bad.column.as_str()), (6, "Kriteria"));
        assert_eq!(
            bad.reason,
            "cannot derive a criterion code: 'Catatan umum tanpa nomor' does not start with a number like \"1. \""
        );
        // The component above still reaches rows whose cell is merged away.
        assert_eq!(
            got.rows[3].component.as_deref(),
            Some("1. Perencanaan Kinerja")
        );
    }

    #[test]
    fn not_a_workbook_is_unreadable() {
        let Err(FileProblem::Unreadable(msg)) = read(b"kode_kriteria,jawaban\n1.1.1,A\n") else {
            panic!("expected Unreadable");
        };
        assert!(msg.starts_with("not a readable XLSX workbook: "), "{msg}");
    }

    #[test]
    fn leading_numbers() {
        assert_eq!(leading_number("3. Terdapat"), Some(3));
        assert_eq!(leading_number("12."), Some(12));
        assert_eq!(leading_number("1.1 Dokumen"), None);
        assert_eq!(leading_number("Perencanaan"), None);
    }
}
