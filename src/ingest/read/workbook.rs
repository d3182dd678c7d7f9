//! Workbooks in the other formats calamine reads: `.ods` (LibreOffice's
//! default), `.xls` (Excel 97–2003, still saved by old offices) and `.xlsb`
//! (Excel's binary workbook). Units fill the template in whatever they have,
//! so each is read exactly as an `.xlsx` is: the same sheet (`LKE`, else the
//! first), the same header search, layouts, fill-forward and cell checks —
//! the rows go through the XLSX reader's own [`Rows`].
//!
//! And with the same guards. Before calamine sees a file its container is
//! checked: an `.ods` or `.xlsb` is a ZIP archive, checked like an `.xlsx`
//! ([`super::archive`]); an `.ods` also has its repeated rows and cells measured
//! ([`super::ods`]) and an `.xls` its sheets' extents ([`super::cfb`]),
//! because calamine lays those two out as whole grids. An `.xlsb` is read
//! cell by cell like an `.xlsx`. Row limits apply as they are read, and a
//! panic inside calamine on a forged file refuses that file only.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{Data, Ods, Range, Reader, Xls, Xlsb};

use super::xlsx::{answer_sheet, Cell, CellStream, Rows, SheetRow};
use crate::rules::limits::Limits;
use super::{Cells, FileFormat, FileProblem, RawSubmission};


/// The format's name in messages.
fn label(format: FileFormat) -> &'static str {
    match format {
        FileFormat::Ods => "ODS",
        FileFormat::Xls => "XLS",
        _ => "XLSB",
    }
}

/// Reads the answer sheet of an `.ods`, `.xls` or `.xlsb`; see the module
/// docs.
/// The rows' cells are kept in `cells`.
pub(super) fn read<'t>(format: FileFormat, bytes: &[u8], limits: &Limits, cells: &'t Cells) -> Result<RawSubmission<'t>, FileProblem> {
    let name = label(format);
    match format {
        FileFormat::Xls => super::cfb::check(bytes, limits)?,
        _ => {
            super::archive::check(bytes, limits).map_err(|p| relabel(p, format))?;
            if format == FileFormat::Ods {
                super::ods::check(bytes, limits).map_err(|p| relabel(p, format))?;
            }
        }
    }
    let caught = {
        let _quiet = super::QuietPanics::begin();
        catch_unwind(AssertUnwindSafe(|| match format {
            FileFormat::Ods => read_grid(Ods::new(Cursor::new(bytes)).map_err(|e| unreadable(name, e))?, name, limits, cells),
            FileFormat::Xls => read_grid(Xls::new(Cursor::new(bytes)).map_err(|e| unreadable(name, e))?, name, limits, cells),
            _ => read_xlsb(bytes, limits, cells),
        }))
    };
    caught.unwrap_or_else(|_| {
        Err(FileProblem::Unreadable(format!(
            "not a readable {name} workbook: the spreadsheet reader failed on it; the file is damaged or forged"
        )))
    })
}

fn unreadable(name: &str, e: impl std::fmt::Display) -> FileProblem {
    FileProblem::Unreadable(format!("not a readable {name} workbook: {e}"))
}

/// The ZIP checks word their refusals for an `.xlsx`; say the format the
/// file really has.
fn relabel(problem: FileProblem, format: FileFormat) -> FileProblem {
    let ext = format!(".{}", label(format).to_ascii_lowercase());
    match problem {
        FileProblem::Unreadable(m) => FileProblem::Unreadable(
            m.replace("not a readable XLSX workbook", &format!("not a readable {} workbook", label(format)))
                .replace(".xlsx", &ext),
        ),
        other => other,
    }
}

/// A workbook calamine loads as grids (ODS, XLS): the answer sheet's rows,
/// formula cells marked, go through the XLSX reader's rows.
fn read_grid<'b, 't, R>(mut book: R, name: &str, limits: &Limits, kept: &'t Cells) -> Result<RawSubmission<'t>, FileProblem>
where
    R: Reader<Cursor<&'b [u8]>>,
    R::Error: std::fmt::Display,
{
    let Some(sheet) = answer_sheet(&book.sheet_names()) else {
        return Err(FileProblem::Empty);
    };
    let values: Range<Data> = book.worksheet_range(&sheet).map_err(|e| unreadable(name, e))?;
    // A sheet whose formulas cannot be read still has its saved values.
    let formulas: Range<String> = book.worksheet_formula(&sheet).unwrap_or_default();
    let mut rows = Rows::new(kept);
    let Some((first_row, first_col)) = values.start() else {
        return rows.finish(&sheet, limits);
    };
    for (i, row) in values.rows().enumerate() {
        let number = first_row + i as u32;
        let mut cells = Vec::new();
        for (j, value) in row.iter().enumerate() {
            let col = first_col + j as u32;
            let formula = formulas.get_value((number, col)).is_some_and(|f| !f.is_empty());
            if matches!(value, Data::Empty) && !formula {
                continue;
            }
            cells.push(Cell { col, value: value.clone(), formula });
        }
        if !cells.is_empty() {
            rows.push(SheetRow { number, cells }, &sheet, limits)?;
        }
    }
    rows.finish(&sheet, limits)
}

/// An `.xlsb`, streamed cell by cell as an `.xlsx` is (it has no formula
/// marks in this reader: its saved values are read).
fn read_xlsb<'t>(bytes: &[u8], limits: &Limits, cells: &'t Cells) -> Result<RawSubmission<'t>, FileProblem> {
    let mut book = Xlsb::new(Cursor::new(bytes)).map_err(|e| unreadable("XLSB", e))?;
    let Some(sheet) = answer_sheet(&book.sheet_names()) else {
        return Err(FileProblem::Empty);
    };
    let mut reader = book.worksheet_cells_reader(&sheet).map_err(|e| unreadable("XLSB", e))?;
    let mut stream = CellStream::new("XLSB", &sheet, limits, cells);
    while let Some(cell) = reader.next_cell().map_err(|e| unreadable("XLSB", e))? {
        let (number, col) = cell.get_position();
        let value = Data::from(cell.get_value().clone());
        if matches!(value, Data::Empty) {
            continue;
        }
        stream.add(number, col, value, false)?;
    }
    stream.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read::submission::kept;

    fn corpus(name: &str) -> Vec<u8> {
        let path = format!("{}/tests/hostile/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    #[test]
    fn ods_and_xls_read_like_xlsx() {
        for (format, name, unit) in
            [(FileFormat::Ods, "ods-libreoffice.ods", "5320"), (FileFormat::Xls, "xls-handmade.xls", "5321"), (FileFormat::Xlsb, "xlsb-other-province.xlsb", "3301")]
        {
            let got = read(format, &corpus(name), &Limits::default(), kept()).unwrap_or_else(|e| panic!("{name}: {e}"));
            let rows: Vec<(u64, &str, &str)> = got.rows.iter().map(|r| (r.row, r.criterion, r.answer)).collect();
            // make_corpus.py writes the header in row 1 and answers AA, A,
            // BB to criteria 1.1.1 to 1.1.3 below it.
            assert_eq!(rows, [(2, "1.1.1", "AA"), (3, "1.1.2", "A"), (4, "1.1.3", "BB")], "{name}");
            assert_eq!(got.rows[0].unit_code.as_deref(), Some(unit), "{name}");
            assert_eq!(got.rows[0].year.as_deref(), Some("2024"), "{name}");
            assert_eq!(got.rows[0].sheet.as_deref(), Some("LKE"), "{name}");
        }
    }

    #[test]
    fn every_truncation_and_byte_flip_is_read_or_refused() {
        let limits = Limits::default();
        for (format, name) in [(FileFormat::Ods, "ods-libreoffice.ods"), (FileFormat::Xls, "xls-handmade.xls"), (FileFormat::Xlsb, "xlsb-other-province.xlsb")] {
            let bytes = corpus(name);
            for cut in 0..bytes.len() {
                // The container checks run outside the catch for calamine:
                // they must never panic by themselves.
                let _ = super::super::cfb::check(&bytes[..cut], &limits);
                let _ = super::super::ods::check(&bytes[..cut], &limits);
                if cut % 13 == 0 {
                    assert!(read(format, &bytes[..cut], &limits, kept()).is_err(), "{name} cut at {cut}");
                }
            }
            for i in 0..bytes.len() {
                let mut broken = bytes.clone();
                broken[i] ^= 0xFF;
                let _ = super::super::cfb::check(&broken, &limits);
                let _ = super::super::ods::check(&broken, &limits);
                if i % 7 == 0 {
                    let _ = read(format, &broken, &limits, kept());
                }
            }
        }
    }

    #[test]
    fn the_refusals_name_the_format() {
        let got = read(FileFormat::Ods, b"kode_kriteria,jawaban\n", &Limits::default(), kept());
        assert!(matches!(&got, Err(FileProblem::Unreadable(m)) if m.starts_with("not a readable ODS workbook: it is text (perhaps CSV) with an .ods name")), "{got:?}");
        let got = read(FileFormat::Xlsb, b"kode_kriteria,jawaban\n", &Limits::default(), kept());
        assert!(matches!(&got, Err(FileProblem::Unreadable(m)) if m.starts_with("not a readable XLSB workbook")), "{got:?}");
        let got = read(FileFormat::Xls, b"kode_kriteria,jawaban\n", &Limits::default(), kept());
        assert!(matches!(&got, Err(FileProblem::Unreadable(m)) if m.contains("no OLE2 signature")), "{got:?}");
    }
}
