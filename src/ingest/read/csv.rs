//! CSV submissions, as saved by Excel in whatever locale the satker uses:
//! UTF-8 with or without a BOM or Windows-1252, separated by `,`, `;` (the
//! Indonesian locale, where `,` is the decimal mark) or tabs, with CRLF or LF
//! line ends. This module only undoes those differences; the cells it yields
//! are judged later. Excel's "Unicode Text" export (UTF-16 with a BOM, tab
//! separated) is read too.
//!
//! What is not text in those encodings — a workbook or PDF renamed `.csv`,
//! a file padded with NUL bytes by a failed copy, bytes that Windows-1252
//! leaves undefined, UTF-8 with foreign bytes pasted in — is refused whole
//! with a reason saying which, rather than decoded into plausible garbage.

use std::borrow::Cow;

use crate::rules::limits::Limits;
use crate::text::trim;
use super::text::{decode_utf16, strip_utf8_bom, utf16_bom};
use super::{
    clip, long_cell, non_empty, BadRow, Cells, Columns, Field, FileProblem, RawSubmission, RowBudget,
};

/// Reads a CSV file into rows of text cells; see the module docs. The rows
/// lend their cells from `bytes` when it is UTF-8 (else from the decoded
/// text, kept in `cells`); a quoted cell, unquoted, is kept in `cells`.
pub(super) fn read<'t>(bytes: &'t [u8], limits: &Limits, cells: &'t Cells) -> Result<RawSubmission<'t>, FileProblem> {
    let text: &'t str = match decode(bytes)? {
        Cow::Borrowed(text) => text,
        Cow::Owned(text) => cells.keep(&text),
    };
    // Blank lines and spaces only: nothing was filled in, not a header
    // without columns.
    if text.trim().is_empty() {
        return Err(FileProblem::Empty);
    }
    let delimiter = sniff_delimiter(&text);
    let separator = char::from(delimiter).to_string();
    let mut reader = Records::new(text, delimiter);
    let headers: Vec<String> = match reader.next() {
        None => return Err(FileProblem::Empty),
        Some(_) => (0..reader.len()).map(|i| reader.cell(i).to_string()).collect(),
    };
    let columns = Columns::locate(&headers);
    if let Some(problem) = columns.missing_required(&[Field::Criterion, Field::Answer]) {
        return Err(problem);
    }
    if let Some(problem) = columns.duplicated(|i| format!("column {}", i + 1)) {
        return Err(problem);
    }

    let mut budget = RowBudget::new(limits);
    let mut out = RawSubmission::default();
    // A row per line, near enough; capped, as lines may be blank.
    out.rows.reserve(memchr::memchr_iter(b'\n', text.as_bytes()).count().min(4096));
    let mut last = [None, None];
    let mut lines = Lines {
        text: &text,
        pos: 0,
        line: 1,
    };
    while let Some(byte) = reader.next() {
        let (start, row) = lines.record_start(byte);
        // The record's cells, trimmed, borrowed from the reader.
        let len = reader.len();
        let cell = |i: usize| (i < len).then(|| trim(reader.cell(i)));
        // And as the row lends them: from the text itself when the record
        // was cut where it lies, else (unquoted) kept in `cells`.
        let plain = reader.plain();
        let lent = |i: usize| (i < len).then(|| if plain { trim(reader.text_cell(i)) } else { cells.keep(trim(reader.cell(i))) });
        let joined = || (0..len).filter_map(cell).collect::<Vec<_>>().join(&separator);
        if (0..len).filter_map(cell).all(str::is_empty) {
            continue;
        }
        budget.count()?;
        // An unclosed quote makes the reader take everything after it as
        // one cell; that must not pass as an answer whose notes hold half
        // the file. (A record cut where it lies has no quote at all.)
        if !reader.plain() && quote_left_open(text.get(start..).unwrap_or(""), char::from(delimiter)) {
            out.bad_rows.push(whole_row_problem(
                row,
                clip(&joined()),
                format!("a quoted cell opened on line {row} is never closed, so the rest of the file cannot be read"),
            ));
            continue;
        }
        // No cell is longer than its whole record.
        if let Some((column, text)) = (reader.record_bytes() as u64 > limits.max_cell_bytes).then(|| columns.too_long_in(cell, limits)).flatten() {
            out.bad_rows.push(long_cell(None, row, &column, text, limits));
            continue;
        }
        match columns.raw_row_filled(lent, len, row, &separator, &mut last) {
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

/// The advice every encoding refusal ends with.
const SAVE_AS_UTF8: &str = "save it from Excel as \"CSV UTF-8\"";

/// UTF-8 when it is valid (BOM dropped), UTF-16 when it says so (Excel's
/// "Unicode Text"), else Windows-1252, which is what Excel on Indonesian
/// Windows writes for "CSV (Comma delimited)". UTF-8 is the file's own bytes.
fn decode(bytes: &[u8]) -> Result<Cow<'_, str>, FileProblem> {
    let unreadable = |m: String| FileProblem::Unreadable(m);
    // UTF-32's little-endian BOM starts like UTF-16's, so it is tested first.
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) || bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return Err(unreadable(format!("the file is UTF-32 text, which this reader does not take; {SAVE_AS_UTF8}")));
    }
    if let Some(decoded) = utf16(bytes) {
        return decoded.map(Cow::Owned);
    }
    let bytes = strip_utf8_bom(bytes);
    // No text encoding we accept uses NUL; a workbook renamed to .csv does.
    // (memchr looks at a vector register of bytes at a time: the byte loop
    // was half a percent of a national run's instructions.)
    if let Some(at) = memchr::memchr(0, bytes) {
        return Err(unreadable(nul_reason(bytes, at)));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(_) => windows_1252(bytes).map(Cow::Owned),
    }
}

/// The 1-based line of byte `at`.
fn line_of(bytes: &[u8], at: usize) -> usize {
    bytes[..at.min(bytes.len())].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Why a file with a NUL byte at `at` is refused: text whose end was padded
/// with NULs (a copy or save that failed) is told apart from binary files.
fn nul_reason(bytes: &[u8], at: usize) -> String {
    let rest = &bytes[at..];
    if at > 0 && rest.iter().all(|&b| b == 0) {
        return format!(
            "the file ends in {} NUL bytes after line {}: it was damaged while being saved or copied; send it again",
            rest.len(),
            line_of(bytes, at)
        );
    }
    if bytes[..at].contains(&b'\n') {
        return format!(
            "the file is binary, not CSV text: line {} holds a NUL byte, which no text has",
            line_of(bytes, at)
        );
    }
    "the file is binary, not CSV text".to_string()
}

/// UTF-16 text, when the file starts with a UTF-16 BOM or, without one, its
/// first characters are plainly ASCII in UTF-16; `None` for anything else.
fn utf16(bytes: &[u8]) -> Option<Result<String, FileProblem>> {
    let (encoding, body) = if let Some(marked) = utf16_bom(bytes) {
        marked
    } else {
        // Every character of the head in U+0001..U+00FF: one byte zero, the
        // other not, the same way round throughout. Text never has NULs and
        // binary files do not keep this up for 256 characters.
        let head = &bytes[..bytes.len().min(512) & !1];
        let pairs = || head.chunks_exact(2);
        if head.len() < 4 {
            return None;
        } else if pairs().all(|p| p[0] != 0 && p[1] == 0) {
            (encoding_rs::UTF_16LE, bytes)
        } else if pairs().all(|p| p[0] == 0 && p[1] != 0) {
            (encoding_rs::UTF_16BE, bytes)
        } else {
            return None;
        }
    };
    Some(match decode_utf16(encoding, body) {
        Ok(text) if text.contains('\0') => Err(FileProblem::Unreadable(
            "the file is binary, not CSV text: it decodes as UTF-16 but holds NUL characters".to_string(),
        )),
        Ok(text) => Ok(text),
        Err(reason) => Err(FileProblem::Unreadable(format!("{reason}; {SAVE_AS_UTF8}"))),
    })
}

/// Bytes Windows-1252 leaves undefined: no Windows program writes them as text.
const UNDEFINED_IN_1252: [u8; 5] = [0x81, 0x8D, 0x8F, 0x90, 0x9D];

/// Text that is not UTF-8, read as Windows-1252 if it can be that: without
/// bytes Windows-1252 leaves undefined or control characters, and not UTF-8
/// with a few foreign bytes in it (which would turn every "é" into "Ã©").
fn windows_1252(bytes: &[u8]) -> Result<String, FileProblem> {
    // A DOS end-of-file mark is not part of the text.
    let bytes = bytes.strip_suffix(&[0x1A]).unwrap_or(bytes);
    let mut utf8_chars = 0;
    let mut first_invalid = None;
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        utf8_chars += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if let (None, Some(&byte)) = (first_invalid, chunk.invalid().first()) {
            first_invalid = Some((at + chunk.valid().len(), byte));
        }
        at += chunk.valid().len() + chunk.invalid().len();
    }
    if let (true, Some((at, byte))) = (utf8_chars > 0, first_invalid) {
        return Err(FileProblem::Unreadable(format!(
            "the file is UTF-8 text but byte 0x{byte:02X} on line {} is not: it mixes encodings (perhaps text pasted from another file); {SAVE_AS_UTF8}",
            line_of(bytes, at)
        )));
    }
    let foreign = |b: u8| UNDEFINED_IN_1252.contains(&b) || (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F;
    if let Some(at) = bytes.iter().position(|&b| foreign(b)) {
        return Err(FileProblem::Unreadable(format!(
            "the file is neither UTF-8 nor Windows-1252 text: byte 0x{:02X} on line {} is not a character in either; {SAVE_AS_UTF8}",
            bytes[at],
            line_of(bytes, at)
        )));
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    Ok(text.into_owned())
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

/// Where records really start. The reader's position points just past the
/// previous record's terminator: before the LF of a CRLF and before any blank
/// lines it skips, so its `line()` lags by one on every record of Excel's
/// CRLF files (and never moves in old Mac files, which end lines with a lone
/// CR). Records come in order, so counting is incremental.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    line: u64,
}

impl Lines<'_> {
    /// The byte offset and 1-based line of the record the reader started at
    /// byte `byte`.
    fn record_start(&mut self, byte: usize) -> (usize, u64) {
        let Some(rest) = self.text.get(byte..) else {
            return (self.text.len(), self.line);
        };
        let start = self.text.len() - rest.trim_start_matches(['\r', '\n']).len();
        if let Some(between) = self.text.get(self.pos..start) {
            self.line += line_breaks(between, self.text.get(start..).unwrap_or(""));
            self.pos = start;
        }
        (start, self.line)
    }
}

/// The records of a CSV text, read with `csv_core` (RFC 4180 quoting, `""`
/// inside quotes, records of any length, blank lines skipped): the state
/// machine the csv crate wraps, without its per-file set-up. Each record
/// comes with the byte offset where the reader started it (just past the
/// previous record's terminator); its cells are then [`Records::cell`].
///
/// A record with no quote on its line (nearly all of them) cannot span
/// lines or escape anything, so it is cut at the delimiters where it lies
/// in the text, as `csv_core` would cut it, without copying it through the
/// state machine; a record with a quote goes through `csv_core`. Both leave
/// the position where `csv_core` would: just past the first byte of the
/// record's terminator.
struct Records<'t> {
    core: csv_core::Reader,
    delimiter: u8,
    text: &'t str,
    pos: usize,
    cells: Vec<u8>,
    ends: Vec<usize>,
    done: bool,
    /// The current record's cells, as byte ranges: of `text` when the
    /// record was cut where it lies (`plain`), else of `cells`.
    spans: Vec<(usize, usize)>,
    plain: bool,
    /// The bytes of the current record's cells, together.
    bytes: usize,
}

impl<'t> Records<'t> {
    fn new(text: &'t str, delimiter: u8) -> Records<'t> {
        Records { core: core_reader(delimiter), delimiter, text, pos: 0, cells: vec![0; 1024], ends: vec![0; 32], done: false, spans: Vec::new(), plain: false, bytes: 0 }
    }

    /// Moves to the next record, returning where the reader started it.
    fn next(&mut self) -> Option<usize> {
        if self.done {
            return None;
        }
        let start = self.pos;
        let input = self.text.as_bytes();
        // Blank lines before a record are skipped, as csv_core skips them.
        let first = input[start..].iter().position(|&b| b != b'\r' && b != b'\n').map_or(input.len(), |at| start + at);
        let end = memchr::memchr3(b'"', b'\r', b'\n', &input[first..]).map_or(input.len(), |at| first + at);
        if first < input.len() && input.get(end) != Some(&b'"') {
            self.spans.clear();
            let mut from = first;
            // Records are short: a byte loop beats a vector search here.
            for (at, _) in input[first..end].iter().enumerate().filter(|(_, &b)| b == self.delimiter) {
                self.spans.push((from, first + at));
                from = first + at + 1;
            }
            self.spans.push((from, end));
            self.pos = (end + 1).min(input.len());
            self.plain = true;
            self.bytes = end - first;
            return Some(start);
        }
        self.plain = false;
        self.core_record().then_some(start)
    }

    /// Reads the record at the position with `csv_core`; false at the end.
    fn core_record(&mut self) -> bool {
        use csv_core::ReadRecordResult::*;
        let input = self.text.as_bytes();
        let (mut out, mut end) = (0, 0);
        loop {
            let (result, read, written, ended) = self.core.read_record(&input[self.pos..], &mut self.cells[out..], &mut self.ends[end..]);
            self.pos += read;
            out += written;
            end += ended;
            match result {
                // The whole text was given: the next call, with nothing left,
                // ends the last record.
                InputEmpty => continue,
                OutputFull => self.cells.resize(self.cells.len() * 2, 0),
                OutputEndsFull => self.ends.resize(self.ends.len() * 2, 0),
                Record => break,
                End => {
                    self.done = true;
                    return false;
                }
            }
        }
        self.spans.clear();
        self.bytes = out;
        let mut from = 0;
        for &to in &self.ends[..end] {
            self.spans.push((from, to));
            from = to;
        }
        true
    }

    /// Whether the current record was cut where it lies (it has no quote).
    fn plain(&self) -> bool {
        self.plain
    }

    /// How many bytes the current record's cells have together, at most.
    fn record_bytes(&self) -> usize {
        self.bytes
    }

    /// How many cells the current record has.
    fn len(&self) -> usize {
        self.spans.len()
    }

    /// Cell `i` of the current record as it lies in the text, which it
    /// outlives; only for a record cut where it lies ([`Records::plain`]).
    fn text_cell(&self, i: usize) -> &'t str {
        let (from, to) = self.spans[i];
        // Cut at ASCII bytes of the text: character boundaries.
        &self.text[from..to]
    }

    /// Cell `i` (below [`Records::len`]) of the current record.
    fn cell(&self, i: usize) -> &str {
        let (from, to) = self.spans[i];
        if self.plain {
            self.text_cell(i)
        } else {
            // Cells are cut at ASCII delimiters and quotes out of valid UTF-8
            // text, so they are valid UTF-8 too.
            std::str::from_utf8(&self.cells[from..to]).expect("cells of UTF-8 text cut at ASCII bytes")
        }
    }
}

impl Drop for Records<'_> {
    fn drop(&mut self) {
        let mut core = std::mem::take(&mut self.core);
        core.reset();
        let delimiter = self.delimiter;
        KEPT_READERS.with_borrow_mut(|kept| kept.push((delimiter, core)));
    }
}

/// A `csv_core` reader for `delimiter`, ready to read from the start.
/// Building one computes its state machine, which cost as much as reading a
/// 160-row file, so each thread keeps the readers it built and [`Records`]
/// gives them back, reset, when done. (Kept per thread rather than built
/// once and cloned: csv_core 0.1's `Clone` leaves most of the state machine
/// behind, and a clone reads every byte as a record.)
fn core_reader(delimiter: u8) -> csv_core::Reader {
    let kept = KEPT_READERS.with_borrow_mut(|kept| kept.iter().position(|(d, _)| *d == delimiter).map(|i| kept.swap_remove(i).1));
    kept.unwrap_or_else(|| csv_core::ReaderBuilder::new().delimiter(delimiter).build())
}

thread_local! {
    static KEPT_READERS: std::cell::RefCell<Vec<(u8, csv_core::Reader)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The line breaks in `text` (LF, CRLF or a lone CR), where `after` is what
/// follows it (a CR at its end may be the first half of a CRLF).
fn line_breaks(text: &str, after: &str) -> u64 {
    let bytes = text.as_bytes();
    let lone_cr = |i: usize| match bytes.get(i + 1) {
        Some(&next) => next != b'\n',
        None => !after.starts_with('\n'),
    };
    memchr::memchr2_iter(b'\n', b'\r', bytes).filter(|&i| bytes[i] == b'\n' || lone_cr(i)).count() as u64
}

/// Whether the record at the start of `text` opens a quoted cell it never
/// closes, following the csv crate's rules: a quote opens a cell only at the
/// cell's start, and `""` inside is an escaped quote.
fn quote_left_open(text: &str, delimiter: char) -> bool {
    // Nearly every record has no quote before its line ends: a byte scan
    // says so without walking the characters.
    match text.bytes().position(|b| matches!(b, b'"' | b'\n' | b'\r')) {
        Some(at) if text.as_bytes()[at] == b'"' => {}
        _ => return false,
    }
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
    use crate::ingest::read::submission::kept;

    /// The reader under the default limits.
    fn read(bytes: &[u8]) -> Result<RawSubmission<'_>, FileProblem> {
        super::read(bytes, &Limits::default(), kept())
    }

    fn unreadable(bytes: &[u8]) -> String {
        match read(bytes) {
            Err(FileProblem::Unreadable(msg)) => msg,
            other => panic!("expected Unreadable, got {other:?}"),
        }
    }

    fn read_ok(bytes: &[u8]) -> RawSubmission<'_> {
        match read(bytes) {
            Ok(s) => s,
            Err(e) => panic!("expected rows, got {e}"),
        }
    }

    /// Every record's cells as [`Records`] gives them.
    fn records(text: &str, delimiter: u8) -> Vec<Vec<String>> {
        let mut reader = Records::new(text, delimiter);
        let mut out = Vec::new();
        while reader.next().is_some() {
            out.push((0..reader.len()).map(|i| reader.cell(i).to_string()).collect());
        }
        out
    }

    /// The same text read by the csv crate alone, every record through its
    /// state machine, with the settings [`core_reader`] gives csv_core.
    fn records_by_the_csv_crate(text: &str, delimiter: u8) -> Vec<Vec<String>> {
        let mut reader = ::csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
        reader.byte_records().map(|r| r.unwrap().iter().map(|c| String::from_utf8(c.to_vec()).unwrap()).collect()).collect()
    }

    #[test]
    fn records_cut_where_they_lie_are_the_records_csv_core_reads() {
        // Plain records between quoted ones (a quoted line break, an
        // escaped quote), blank lines, CRLF, a lone CR, a trailing
        // delimiter, empty cells and no line end at the end.
        let text = "a,b,c\r\n\r\n1,,3,\n\"x\ny\",2\r4,\"say \"\"hi\"\"\"\n\n ,  \nlast,row";
        let want: Vec<Vec<String>> = [
            vec!["a", "b", "c"],
            vec!["1", "", "3", ""],
            vec!["x\ny", "2"],
            vec!["4", "say \"hi\""],
            vec![" ", "  "],
            vec!["last", "row"],
        ]
        .iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
        assert_eq!(records(text, b','), want);
        assert_eq!(records_by_the_csv_crate(text, b','), want);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Any text of delimiters, quotes, line ends and letters reads into
        /// the same records as the csv crate reads it.
        #[test]
        fn records_match_the_csv_crate(cells in proptest::collection::vec(proptest::prop_oneof![
            proptest::prelude::Just(","), proptest::prelude::Just(";"), proptest::prelude::Just("\""), proptest::prelude::Just("\r"),
            proptest::prelude::Just("\n"), proptest::prelude::Just("\r\n"), proptest::prelude::Just(" "), proptest::prelude::Just("ab"), proptest::prelude::Just("é"),
        ], 0..40), semicolon in proptest::prelude::any::<bool>()) {
            let text: String = cells.concat();
            let delimiter = if semicolon { b';' } else { b',' };
            proptest::prop_assert_eq!(records(&text, delimiter), records_by_the_csv_crate(&text, delimiter));
        }
    }

    #[test]
    fn utf8_bom_and_english_headers() {
        let got = read_ok(b"\xEF\xBB\xBFunit_code,criterion,answer,notes\n5301,1.1.1,A,ok\n");
        assert_eq!(got.rows.len(), 1);
        let row = &got.rows[0];
        assert_eq!((row.row, row.unit_code.as_deref()), (2, Some("5301")));
        assert_eq!(
            (row.criterion, row.answer),
            ("1.1.1", "A")
        );
        assert_eq!(row.notes.as_deref(), Some("ok"));
        assert!(got.bad_rows.is_empty());
    }

    #[test]
    fn a_plain_record_lends_its_cells_from_the_file_and_a_quoted_one_is_kept() {
        // Row 2 has no quote: its cells are the file's own bytes, not
        // copies. Row 3 went through the quote-aware reader, which unquoted
        // its notes ("a, b"): its cells are text the reader made, kept
        // apart, and read right.
        let bytes = b"kode_kriteria,jawaban,catatan\n1.1.1,A,polos\n1.1.2,B,\"a, b\"\n";
        let got = read_ok(bytes);
        let in_file = |cell: &str| bytes.as_ptr_range().contains(&cell.as_ptr());
        let plain = got.rows[0];
        assert_eq!((plain.criterion, plain.answer, plain.notes), ("1.1.1", "A", Some("polos")));
        assert!(in_file(plain.criterion) && in_file(plain.answer) && plain.notes.is_some_and(in_file));
        let quoted = got.rows[1];
        assert_eq!((quoted.criterion, quoted.notes), ("1.1.2", Some("a, b")));
        assert!(!in_file(quoted.criterion) && !quoted.notes.is_some_and(in_file));
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
        assert_eq!((got.rows[1].row, got.rows[1].answer), (3, "90"));
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
            .map(|r| (r.row, r.criterion))
            .collect();
        assert_eq!(
            rows,
            vec![(2, "1.1.1"), (5, "1.1.2"), (6, "1.1.3"), (8, "1.1.4")]
        );
    }

    #[test]
    fn old_mac_line_ends_count_as_lines() {
        let got = read_ok(b"kode_kriteria,jawaban\r1.1.1,A\r\r1.1.2,B\r\n1.1.3,C");
        let rows: Vec<(u64, &str)> = got.rows.iter().map(|r| (r.row, r.criterion)).collect();
        assert_eq!(rows, vec![(2, "1.1.1"), (4, "1.1.2"), (5, "1.1.3")]);
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
        assert_eq!(read(b"\xEF\xBB\xBF"), Err(FileProblem::Empty));
        assert_eq!(read(b" \r\n\t\r\n  "), Err(FileProblem::Empty));
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
            (got.rows[0].row, got.rows[0].criterion),
            (5, "1.1.2")
        );
    }

    #[test]
    fn the_same_judged_header_twice_refuses_the_file() {
        let got = read(b"kode_kriteria,jawaban,Jawaban\n1.1.1,A,B\n");
        let want = FileProblem::DuplicateColumn {
            column: "answer",
            header: "jawaban".to_string(),
            first: "column 2".to_string(),
            second: "column 3".to_string(),
        };
        assert_eq!(got, Err(want));
        // Another alias for the answer, or notes twice, are read: first wins.
        let got = read_ok(b"kode_kriteria,jawaban,nilai,catatan,catatan\n1.1.1,A,90,x,y\n");
        assert_eq!((got.rows[0].answer, got.rows[0].notes.as_deref()), ("A", Some("x")));
    }

    #[test]
    fn utf16_with_and_without_a_bom_is_decoded() {
        let text = "kode_kriteria\tjawaban\tcatatan\r\n1.1.1\tA\tPak Dédé\r\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [[&[0xFF, 0xFE][..], &le].concat(), [&[0xFE, 0xFF][..], &be].concat(), le.clone(), be] {
            let got = read_ok(&bytes);
            assert_eq!(got.rows.len(), 1);
            assert_eq!(got.rows[0].notes.as_deref(), Some("Pak Dédé"));
        }
        // Cut in the middle of a character.
        let cut = [&[0xFF, 0xFE][..], &le[..le.len() - 1]].concat();
        assert_eq!(unreadable(&cut), "the file starts as UTF-16LE text but is not valid UTF-16LE (cut short, or a broken character); save it from Excel as \"CSV UTF-8\"");
        assert!(unreadable(&[0xFF, 0xFE, 0, 0, b'a', 0, 0, 0]).starts_with("the file is UTF-32 text"));
    }

    #[test]
    fn nul_bytes_are_told_apart() {
        assert_eq!(
            unreadable(b"kode_kriteria,jawaban\n1.1.1,A\n\0\0\0\0"),
            "the file ends in 4 NUL bytes after line 3: it was damaged while being saved or copied; send it again"
        );
        assert_eq!(
            unreadable(b"kode_kriteria,jawaban\n1.1.1,A\0B\n1.1.2,C\n"),
            "the file is binary, not CSV text: line 2 holds a NUL byte, which no text has"
        );
    }

    #[test]
    fn bytes_neither_utf8_nor_windows_1252_are_refused() {
        assert_eq!(
            unreadable(b"kode_kriteria,jawaban\n1.1.1,A\n1.1.2,\x8D\x90\n"),
            "the file is neither UTF-8 nor Windows-1252 text: byte 0x8D on line 3 is not a character in either; save it from Excel as \"CSV UTF-8\""
        );
        assert!(unreadable(b"kode_kriteria,jawaban\n1.1.1,\xE9\x01\n").contains("byte 0x01 on line 2"));
        // A DOS end-of-file mark is fine.
        let got = read_ok(b"kode_kriteria,jawaban\n1.1.1,D\xE9\n\x1A");
        assert_eq!(got.rows[0].answer, "Dé");
    }

    #[test]
    fn utf8_with_foreign_bytes_is_not_read_as_windows_1252() {
        assert_eq!(
            unreadable("kode_kriteria,jawaban,catatan\n1.1.1,A,Dédé\n1.1.2,B,".as_bytes().iter().copied().chain(*b"D\xE9d\xE9\n").collect::<Vec<u8>>().as_slice()),
            "the file is UTF-8 text but byte 0xE9 on line 3 is not: it mixes encodings (perhaps text pasted from another file); save it from Excel as \"CSV UTF-8\""
        );
    }

    #[test]
    fn a_cell_over_the_limit_refuses_its_row_with_the_value_clipped() {
        let limits = Limits { max_cell_bytes: 10, ..Limits::default() };
        let text = format!("kode_kriteria,jawaban,catatan,lain\n1.1.1,A,{},{}\n1.1.2,B,pendek,{}\n", "x".repeat(100), "y".repeat(5), "z".repeat(100));
        let got = super::read(text.as_bytes(), &limits, kept()).unwrap_or_default();
        // The unmapped column 'lain' may be long: nothing of it is kept.
        assert_eq!(got.rows.len(), 1);
        assert_eq!(got.rows[0].criterion, "1.1.2");
        let bad = &got.bad_rows[0];
        assert_eq!((bad.row, bad.column.as_str()), (2, "catatan"));
        assert_eq!(bad.value, format!("{}…", "x".repeat(80)));
        assert_eq!(bad.reason, "the 'catatan' cell is 100 bytes long, over the pipeline's limit of 10 bytes (limits.max_cell_bytes)");
    }

    #[test]
    fn more_rows_than_the_limit_refuse_the_file_but_blank_lines_do_not_count() {
        let limits = Limits { max_rows: 2, ..Limits::default() };
        let two = b"kode_kriteria,jawaban\n1.1.1,A\n\n,\n,\n1.1.2,B\n";
        assert_eq!(super::read(two, &limits, kept()).map(|s| s.rows.len()), Ok(2));
        let three = b"kode_kriteria,jawaban\n1.1.1,A\n1.1.2\n1.1.3,B\n";
        let Err(FileProblem::TooLarge(msg)) = super::read(three, &limits, kept()) else { panic!("three rows allowed") };
        assert!(msg.contains("more than 2 answer rows") && msg.contains("(limits.max_rows)"), "{msg}");
    }

    #[test]
    fn a_file_that_is_one_long_line_gets_a_short_reason() {
        let line = "x".repeat(1 << 20);
        let got = read(line.as_bytes());
        let Err(problem @ FileProblem::MissingColumn { .. }) = got else { panic!("expected MissingColumn, got {got:?}") };
        assert!(problem.to_string().len() < 400, "{}", problem.to_string().len());
        // A long unclosed quote is clipped too.
        let text = format!("kode_kriteria,jawaban,catatan\n1.1.1,A,\"{}\n", "q\n".repeat(10_000));
        let got = read_ok(text.as_bytes());
        assert!(got.bad_rows[0].value.chars().count() <= 81);
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
