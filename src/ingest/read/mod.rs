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

use crate::rules::limits::Limits;
use std::path::Path;
mod archive;
mod budget;
mod cells;
mod cfb;
mod columns;
mod csv;
mod fields;
mod json;
mod ods;
mod panics;
mod submission;
mod text;
mod workbook;
mod xlsx;

pub use panics::quiet_caught_panics;
pub use submission::{BadRow, Cells, FileFormat, FileProblem, RawRow, RawSubmission};

use budget::RowBudget;
use cells::{clip, long_cell, number_text, CLIP_CHARS};
use columns::Columns;
use fields::{normalize_header, Field, FIELD_COUNT, JUDGED, TRACK_COLUMNS};
use panics::QuietPanics;
use submission::non_empty;

/// Reads one submission file whose bytes are `bytes` under the default
/// [`Limits`]; `path` gives its format (by extension) and appears in nothing
/// but messages. The rows borrow their cells from `bytes` or from `cells`.
pub fn read_submission<'t>(path: &Path, bytes: &'t [u8], cells: &'t Cells) -> Result<RawSubmission<'t>, FileProblem> {
    read_submission_with(path, bytes, &Limits::default(), cells)
}

/// Reads one submission file under the given limits: more than
/// `max_rows` rows refuse the file ([`FileProblem::TooLarge`]), a cell the
/// reader takes a value from that is longer than `max_cell_bytes` refuses its
/// row, and an XLSX declaring more than `max_unzipped_bytes` of contents is
/// refused unpacked. (`max_file_bytes` is checked by the caller, before the
/// file is read into `bytes`.)
pub fn read_submission_with<'t>(path: &Path, bytes: &'t [u8], limits: &Limits, cells: &'t Cells) -> Result<RawSubmission<'t>, FileProblem> {
    match FileFormat::from_path(path) {
        Some(FileFormat::Csv) => csv::read(bytes, limits, cells),
        Some(FileFormat::Xlsx) => xlsx::read(bytes, limits, cells),
        Some(format @ (FileFormat::Ods | FileFormat::Xls | FileFormat::Xlsb)) => workbook::read(format, bytes, limits, cells),
        Some(FileFormat::Json) => json::read(bytes, limits, cells),
        None => Err(FileProblem::UnsupportedFormat),
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
                let cells = Cells::new();
                if let Ok(got) = read_submission(Path::new(name), &input, &cells) {
                    prop_assert!(!got.rows.is_empty() || !got.bad_rows.is_empty());
                }
            }
        }
    }

    #[test]
    fn dispatch_by_extension() {
        let cells = Cells::new();
        let read_submission = |path: &str, bytes: &'static [u8]| read_submission(Path::new(path), bytes, &cells);
        let got = read_submission("lke.pdf", b"%PDF");
        assert_eq!(got, Err(FileProblem::UnsupportedFormat));
        let got = read_submission("LKE.JSON", b"[]");
        assert!(matches!(got, Err(FileProblem::Unreadable(_))));
        let got = read_submission("lke.TSV", b"kode_kriteria\tjawaban\n1.1.1\tA\n");
        assert_eq!(got.map(|s| s.rows[0].answer.to_string()), Ok("A".to_string()));
        let got = read_submission("lke.xlsm", b"kode_kriteria,jawaban\n");
        assert!(
            matches!(got, Err(FileProblem::Unreadable(m)) if m.starts_with("not a readable XLSX"))
        );
    }
}
