//! CSV submissions, as saved by Excel in whatever locale the satker uses:
//! UTF-8 with or without a BOM or Windows-1252, separated by `,`, `;` (the
//! Indonesian locale, where `,` is the decimal mark) or tabs, with CRLF or LF
//! line ends. This module only undoes those differences; the cells it yields
//! are judged later.

use super::{is_blank, non_empty, BadRow, Columns, Field, FileProblem, RawSubmission};

/// Reads a CSV file into rows of text cells; see the module docs.
pub(super) fn read(bytes: &[u8]) -> Result<RawSubmission, FileProblem> {
    let text = decode(bytes)?;
    let delimiter = sniff_delimiter(&text);
    let separator = char::from(delimiter).to_string();
    let mut reader = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records = reader.records();

    let headers: Vec<String> = match records.next() {
        None => return Err(FileProblem::Empty),
        Some(Ok(record)) => record.iter().map(str::to_string).collect(),
        Some(Err(e)) => {
            return Err(FileProblem::Unreadable(format!(
                "the header line cannot be read: {e}"
            )))
        }
    };
    let columns = Columns::locate(&headers);
    if let Some(problem) = columns.missing_required(&[Field::Criterion, Field::Answer]) {
        return Err(problem);
    }

    let mut out = RawSubmission::default();
    let mut last = [None, None];
    let mut lines = Lines {
        text: &text,
        pos: 0,
        line: 1,
    };
    for result in records {
        let record = match result {
            Ok(record) => record,
            Err(e) => {
                let row = e.position().map_or(0, |p| p.line());
                let stop = e.is_io_error();
                out.bad_rows.push(whole_row_problem(
                    row,
                    String::new(),
                    format!("the record cannot be read: {e}"),
                ));
                // An I/O error leaves the reader stuck at the same place.
                if stop {
                    break;
                }
                continue;
            }
        };
        let (start, row) = match record.position() {
            Some(p) => lines.record_start(p),
            None => (text.len(), 0),
        };
        let mut cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if is_blank(&cells) {
            continue;
        }
        // An unclosed quote makes the csv crate read everything after it as
        // one cell; that must not pass as an answer whose notes hold half
        // the file.
        if quote_left_open(text.get(start..).unwrap_or(""), char::from(delimiter)) {
            out.bad_rows.push(whole_row_problem(
                row,
                cells.join(&separator),
                format!("a quoted cell opened on line {row} is never closed, so the rest of the file cannot be read"),
            ));
            continue;
        }
        columns.fill_forward(&mut cells, &mut last);
        match columns.raw_row(&cells, None, row, &separator) {
            Ok(raw) => out.rows.push(raw),
            Err(bad) => out.bad_rows.push(bad),
        }
    }
    non_empty(out)
}

fn whole_row_problem(row: u64, value: String, reason: String) -> BadRow {
    BadRow {
        sheet: None,
        row,
        column: String::new(),
        value,
        reason,
    }
}

/// UTF-8 when it is valid (BOM dropped), else Windows-1252, which is what
/// Excel on Indonesian Windows writes for "CSV (Comma delimited)".
fn decode(bytes: &[u8]) -> Result<String, FileProblem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // No text encoding we accept uses NUL; a workbook renamed to .csv does.
    if bytes.contains(&0) {
        return Err(FileProblem::Unreadable(
            "the file is binary, not CSV text".to_string(),
        ));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_string()),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            Ok(text.into_owned())
        }
    }
}

/// The separator used most on the header line; `,` when none appears or
/// on a tie, as that is what most tools write.
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| header.chars().filter(|&x| x == c).count();
    let mut best = (b',', count(','));
    for candidate in [b';', b'\t'] {
        let n = count(char::from(candidate));
        if n > best.1 {
            best = (candidate, n);
        }
    }
    best.0
}

/// Where records really start. csv's `Position` points just past the
/// previous record's terminator: before the LF of a CRLF and before any blank
/// lines it skips, so its `line()` lags by one on every record of Excel's
/// CRLF files. Records come in order, so counting is incremental.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    line: u64,
}

impl Lines<'_> {
    /// The byte offset and 1-based line of the record csv placed at `p`.
    fn record_start(&mut self, p: &::csv::Position) -> (usize, u64) {
        let Some(rest) = usize::try_from(p.byte())
            .ok()
            .and_then(|b| self.text.get(b..))
        else {
            return (self.text.len(), p.line());
        };
        let start = self.text.len() - rest.trim_start_matches(['\r', '\n']).len();
        if let Some(between) = self.text.get(self.pos..start) {
            self.line += between.bytes().filter(|&b| b == b'\n').count() as u64;
            self.pos = start;
        }
        (start, self.line)
    }
}

/// Whether the record at the start of `text` opens a quoted cell it never
/// closes, following the csv crate's rules: a quote opens a cell only at the
/// cell's start, and `""` inside is an escaped quote.
fn quote_left_open(text: &str, delimiter: char) -> bool {
    let mut in_quotes = false;
    let mut cell_start = true;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                } else {
                    in_quotes = false;
                }
            }
            continue;
        }
        if c == '\n' || c == '\r' {
            return false;
        }
        if c == '"' && cell_start {
            in_quotes = true;
        }
        cell_start = c == delimiter;
    }
    in_quotes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_ok(bytes: &[u8]) -> RawSubmission {
        match read(bytes) {
            Ok(s) => s,
            Err(e) => panic!("expected rows, got {e}"),
        }
    }

    #[test]
    fn utf8_bom_and_english_headers() {
        let got = read_ok(b"\xEF\xBB\xBFunit_code,criterion,answer,notes\n5301,1.1.1,A,ok\n");
        assert_eq!(got.rows.len(), 1);
        let row = &got.rows[0];
        assert_eq!((row.row, row.unit_code.as_deref()), (2, Some("5301")));
        assert_eq!(
            (row.criterion.as_str(), row.answer.as_str()),
            ("1.1.1", "A")
        );
        assert_eq!(row.notes.as_deref(), Some("ok"));
        assert!(got.bad_rows.is_empty());
    }

    #[test]
    fn windows_1252_notes_are_decoded() {
        let got = read_ok(b"kode_kriteria,jawaban,catatan\n1.1.1,B,Catatan: sudah diverifikasi oleh Pak D\xE9d\xE9\n");
        assert_eq!(
            got.rows[0].notes.as_deref(),
            Some("Catatan: sudah diverifikasi oleh Pak Dédé")
        );
    }

    #[test]
    fn semicolons_with_decimal_commas_and_crlf() {
        let text = "Kode Satker;Tahun;Kode-Kriteria;JAWABAN;Keterangan\r\n5301;2024;1.1.1;87,5;a, b\r\n5301;2024;1.1.2;90;\r\n";
        let got = read_ok(text.as_bytes());
        assert_eq!(got.rows.len(), 2);
        assert_eq!(got.rows[0].answer, "87,5");
        assert_eq!(got.rows[0].notes.as_deref(), Some("a, b"));
        assert_eq!(got.rows[0].year.as_deref(), Some("2024"));
        assert_eq!((got.rows[1].row, got.rows[1].answer.as_str()), (3, "90"));
        assert_eq!(got.rows[1].notes, None);
    }

    #[test]
    fn tabs_and_indonesian_aliases_with_fill_forward() {
        let text = "satker\tpenilaian\tkomponen\tsub komponen\tkriteria_kode\tnilai\tlink-bukti\n\
                    5301\tmandiri\t1. Perencanaan\t1.1 Dokumen\t1.1.1\tY\thttps://x/1\n\
                    5301\tmandiri\t\t\t1.1.2\tT\t\n";
        let got = read_ok(text.as_bytes());
        let second = &got.rows[1];
        assert_eq!(second.track.as_deref(), Some("mandiri"));
        assert_eq!(second.component.as_deref(), Some("1. Perencanaan"));
        assert_eq!(second.subcomponent.as_deref(), Some("1.1 Dokumen"));
        assert_eq!(got.rows[0].evidence.as_deref(), Some("https://x/1"));
    }

    #[test]
    fn line_numbers_count_blank_lines_and_crlf() {
        let got = read_ok(b"kode_kriteria,jawaban\r\n\"1.1.1\",\"A\"\r\n\r\n\r\n1.1.2,B\r\n1.1.3,\"multi\r\nline\"\r\n1.1.4,D");
        let rows: Vec<(u64, &str)> = got
            .rows
            .iter()
            .map(|r| (r.row, r.criterion.as_str()))
            .collect();
        assert_eq!(
            rows,
            vec![(2, "1.1.1"), (5, "1.1.2"), (6, "1.1.3"), (8, "1.1.4")]
        );
    }

    #[test]
    fn missing_required_column_names_what_was_found() {
        let got = read(b"kode_satker,kode_kriteria,skor\n5301,1.1.1,A\n");
        let want = FileProblem::MissingColumn {
            column: "answer",
            accepted: "jawaban, answer, nilai".to_string(),
            found: "kode_satker, kode_kriteria, skor".to_string(),
        };
        assert_eq!(got, Err(want));
    }

    #[test]
    fn header_only_and_empty_files_are_empty() {
        assert_eq!(read(b"kode_kriteria;jawaban\r\n"), Err(FileProblem::Empty));
        assert_eq!(read(b""), Err(FileProblem::Empty));
        assert_eq!(
            read(b"kode_kriteria,jawaban\n,\n  ,  \n"),
            Err(FileProblem::Empty)
        );
    }

    #[test]
    fn nul_bytes_mean_binary() {
        let got = read(b"PK\x03\x04\x00\x00kode_kriteria,jawaban\n");
        assert_eq!(
            got,
            Err(FileProblem::Unreadable(
                "the file is binary, not CSV text".to_string()
            ))
        );
    }

    #[test]
    fn short_rows_become_bad_rows_and_blank_rows_are_skipped() {
        let got = read_ok(b"kode_satker,kode_kriteria,jawaban\n5301,1.1.1\n\n,,\n5301,1.1.2,C\n");
        assert_eq!(got.bad_rows.len(), 1);
        let bad = &got.bad_rows[0];
        assert_eq!(
            (bad.row, bad.column.as_str(), bad.value.as_str()),
            (2, "jawaban", "5301,1.1.1")
        );
        assert_eq!(bad.reason, "row has 2 fields; column 'jawaban' is missing");
        assert_eq!(got.rows.len(), 1);
        assert_eq!(
            (got.rows[0].row, got.rows[0].criterion.as_str()),
            (5, "1.1.2")
        );
    }

    #[test]
    fn duplicate_header_uses_first_column() {
        let got = read_ok(b"kode_kriteria,jawaban,jawaban\n1.1.1,A,B\n");
        assert_eq!(got.rows[0].answer, "A");
    }

    #[test]
    fn quoted_newlines_pass_but_an_unclosed_quote_is_a_bad_row() {
        let got = read_ok(b"kode_kriteria,jawaban,catatan\n1.1.1,A,\"two\nlines, \"\"quoted\"\"\"\n1.1.2,\"B\n1.1.3,C\n");
        assert_eq!(got.rows.len(), 1);
        assert_eq!(got.rows[0].notes.as_deref(), Some("two\nlines, \"quoted\""));
        assert_eq!(got.bad_rows.len(), 1);
        assert_eq!(got.bad_rows[0].row, 4);
        assert_eq!(
            got.bad_rows[0].reason,
            "a quoted cell opened on line 4 is never closed, so the rest of the file cannot be read"
        );
    }
}
