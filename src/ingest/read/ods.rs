//! The content of an OpenDocument spreadsheet (`.ods`, LibreOffice's own
//! format), measured before calamine reads it.
//!
//! An `.ods` is a ZIP archive like an `.xlsx`, checked by [`super::archive`]
//! for size and compression ratio. Its sheets are XML that may say "repeat
//! this row 1 048 576 times" and "repeat this cell 16 384 times" in a few
//! bytes; calamine expands those repeats into one dense grid per sheet, for
//! every sheet at once, allowing up to 100 million cells — gigabytes. This
//! module scans `content.xml` the way calamine reads it (the same element
//! and attribute names, empty cells counted only where calamine keeps them)
//! and adds up the grids it would build, so that a file asking for more than
//! [`super::cfb::MAX_GRID_CELLS`] is refused before it is expanded. Where
//! the scan cannot tell whether a cell is empty, it counts it: it may
//! overestimate, never underestimate.

use super::cfb::MAX_GRID_CELLS;
use crate::rules::limits::Limits;
use super::FileProblem;

/// calamine's own caps on an ODS sheet.
const MAX_ROWS: u64 = 1_048_576;
const MAX_COLUMNS: u64 = 16_384;

/// Refuses an ODS whose sheets would expand past [`MAX_GRID_CELLS`], or
/// past `limits.max_rows` rows with content.
pub(super) fn check(bytes: &[u8], limits: &Limits) -> Result<(), FileProblem> {
    let Some(content) = super::archive::part(bytes, "content.xml")? else {
        return Err(FileProblem::Unreadable("not a readable ODS workbook: it has no content.xml".to_string()));
    };
    let mut scan = Scan::default();
    scan.run(&content);
    check_scan_with(&scan, limits)
}

/// The refusal a scan calls for, if any.
fn check_scan_with(scan: &Scan, limits: &Limits) -> Result<(), FileProblem> {
    if let Some(rows) = scan.widest_rows.filter(|r| *r > limits.max_rows.saturating_add(limits.max_rows / 10 + 1_000)) {
        return Err(FileProblem::TooLarge(format!(
            "a sheet spans {rows} rows, more than the pipeline's limit of {} answer rows allows (limits.max_rows); it was not read",
            limits.max_rows
        )));
    }
    if scan.total > MAX_GRID_CELLS {
        return Err(FileProblem::TooLarge(format!(
            "the workbook's sheets expand to {} cells, more than the {MAX_GRID_CELLS} this reader lays out; it was not expanded (a forged or damaged file?)",
            scan.total
        )));
    }
    Ok(())
}

/// What the scan has seen so far.
#[derive(Default)]
struct Scan {
    /// Grid cells of the finished sheets (values and formulas).
    total: u64,
    /// The most rows any sheet spans between its first and last row with
    /// content.
    widest_rows: Option<u64>,
    /// Rows of the current sheet, as (repeats, width with content).
    rows: Vec<(u64, u64)>,
    /// Rows counted in the current sheet, capped as calamine caps them.
    sheet_rows: u64,
    /// The current row: its repeats, its columns so far, the columns of
    /// empty cells not yet known to be followed by content, and its width.
    row: Option<(u64, u64, u64, u64)>,
}

impl Scan {
    fn run(&mut self, xml: &[u8]) {
        let find = |from: usize, pat: &[u8]| {
            xml.get(from..).and_then(|rest| rest.windows(pat.len()).position(|w| w == pat)).map(|p| from + p + pat.len())
        };
        let mut i = 0;
        while let Some(lt) = xml.get(i..).and_then(|r| r.iter().position(|&b| b == b'<')) {
            let start = i + lt;
            let rest = &xml[start..];
            let next = if rest.starts_with(b"<?") {
                find(start, b"?>")
            } else if rest.starts_with(b"<!--") {
                find(start, b"-->")
            } else if rest.starts_with(b"<![CDATA[") {
                find(start, b"]]>")
            } else if rest.starts_with(b"<!") {
                find(start, b">")
            } else if let Some(close) = rest.strip_prefix(b"</") {
                let (name, _) = tag_name(close, 0);
                self.end(name);
                find(start, b">")
            } else {
                let (name, attrs_at) = tag_name(xml, start + 1);
                let (attrs, end) = tag_attributes(xml, attrs_at);
                let closed = end.is_some_and(|e| xml.get(e.saturating_sub(2)) == Some(&b'/'));
                let attr = |key: &[u8]| attrs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
                let number = |key: &[u8]| attr(key).map_or(1, |v| std::str::from_utf8(v).ok().and_then(|t| t.trim().parse::<u64>().ok()).unwrap_or(u64::MAX));
                match name {
                    // calamine reads a self-closed element as opened and
                    // closed at once: a self-closed row is an empty row,
                    // repeats and all.
                    b"table:table" => {
                        self.rows.clear();
                        self.sheet_rows = 0;
                        if closed {
                            self.end(b"table:table");
                        }
                    }
                    b"table:table-row" => {
                        let repeats = number(b"table:number-rows-repeated").min(MAX_ROWS.saturating_sub(self.sheet_rows));
                        self.sheet_rows += repeats;
                        self.row = Some((repeats, 0, 0, 0));
                        if closed {
                            self.end(b"table:table-row");
                        }
                    }
                    b"table:table-cell" | b"table:covered-table-cell" => {
                        if let Some((_, cols, pending, width)) = &mut self.row {
                            let repeats = number(b"table:number-columns-repeated");
                            // calamine takes a cell's value from its
                            // attributes only (the text inside counts for a
                            // string-typed cell): a cell with none of them is
                            // empty to it, whatever it holds. Any value type
                            // counts here, which may overestimate.
                            const VALUED: [&[u8]; 7] = [
                                b"office:value-type",
                                b"office:value",
                                b"office:string-value",
                                b"office:date-value",
                                b"office:time-value",
                                b"office:boolean-value",
                                b"table:formula",
                            ];
                            let content = VALUED.iter().any(|k| attr(k).is_some());
                            if content {
                                *cols = cols.saturating_add(*pending).min(MAX_COLUMNS);
                                *pending = 0;
                                *cols = cols.saturating_add(repeats).min(MAX_COLUMNS);
                                *width = *cols;
                            } else {
                                *pending = pending.saturating_add(repeats);
                            }
                        }
                    }
                    _ => {}
                }
                end
            };
            match next {
                Some(n) => i = n,
                None => break,
            }
        }
    }

    fn end(&mut self, name: &[u8]) {
        match name {
            b"table:table-row" => {
                if let Some((repeats, _, _, width)) = self.row.take() {
                    self.rows.push((repeats, width));
                }
            }
            b"table:table" => {
                let first = self.rows.iter().position(|(_, w)| *w > 0);
                let last = self.rows.iter().rposition(|(_, w)| *w > 0);
                if let (Some(first), Some(last)) = (first, last) {
                    let span = &self.rows[first..=last];
                    let rows: u64 = span.iter().map(|(r, _)| *r).fold(0, u64::saturating_add);
                    let width = span.iter().map(|(_, w)| *w).max().unwrap_or(0);
                    self.widest_rows = Some(self.widest_rows.unwrap_or(0).max(rows));
                    // The value grid and the formula grid.
                    self.total = self.total.saturating_add(rows.saturating_mul(width).saturating_mul(2));
                }
                self.rows.clear();
                self.sheet_rows = 0;
            }
            _ => {}
        }
    }
}

// The scan reads tags by hand rather than with quick-xml: where markup is
// broken it steps over the bad tag and keeps counting, whereas quick-xml
// stops at the first error, which would make the scan undercount what a
// laxer reading could still expand. These two helpers serve it alone.

/// An element's name starting at `at`, and where its attributes start.
fn tag_name(xml: &[u8], at: usize) -> (&[u8], usize) {
    let rest = xml.get(at..).unwrap_or(&[]);
    let n = rest
        .iter()
        .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
        .unwrap_or(rest.len());
    (&rest[..n], at + n)
}

/// An attribute's name and raw value.
type Attribute<'x> = (&'x [u8], &'x [u8]);

/// The attributes of a tag from `at` to its `>`, and the position after the
/// `>` (`None` if the tag does not end within `xml`).
fn tag_attributes(xml: &[u8], mut at: usize) -> (Vec<Attribute<'_>>, Option<usize>) {
    let mut attrs = Vec::new();
    loop {
        while xml.get(at).is_some_and(|b| b.is_ascii_whitespace() || *b == b'/') {
            at += 1;
        }
        match xml.get(at) {
            None => return (attrs, None),
            Some(b'>') => return (attrs, Some(at + 1)),
            Some(_) => {}
        }
        let key_start = at;
        while xml.get(at).is_some_and(|b| !b.is_ascii_whitespace() && !b"=/>".contains(b)) {
            at += 1;
        }
        let key = &xml[key_start..at];
        while xml.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        if xml.get(at) != Some(&b'=') {
            // A key without a value: not well-formed; step over it.
            if at == key_start {
                at += 1;
            }
            continue;
        }
        at += 1;
        while xml.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        let Some(&quote) = xml.get(at).filter(|q| **q == b'"' || **q == b'\'') else {
            return (attrs, None);
        };
        let value_start = at + 1;
        let Some(close) = xml.get(value_start..).and_then(|r| r.iter().position(|&b| b == quote)) else {
            return (attrs, None);
        };
        attrs.push((key, &xml[value_start..value_start + close]));
        at = value_start + close + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_scan(scan: &Scan) -> Result<(), FileProblem> {
        check_scan_with(scan, &Limits::default())
    }

    fn scanned(xml: &str) -> Scan {
        let mut scan = Scan::default();
        scan.run(xml.as_bytes());
        scan
    }

    #[test]
    fn trailing_empty_rows_and_cells_do_not_count() {
        // As LibreOffice saves a sheet: two rows of three cells, then the
        // rest of the sheet as repeated empty cells and rows.
        let xml = r#"<office:spreadsheet><table:table table:name="LKE">
            <table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2" office:value-type="float" office:value="1"/><table:table-cell table:number-columns-repeated="16381"/></table:table-row>
            <table:table-row table:number-rows-repeated="2"><table:table-cell/><table:table-cell office:value-type="string"><text:p>b</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="1048573"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>
            </table:table></office:spreadsheet>"#;
        let scan = scanned(xml);
        // Three rows (one, then one repeated twice), three columns wide, twice.
        assert_eq!((scan.total, scan.widest_rows), (3 * 3 * 2, Some(3)));
    }

    #[test]
    fn cells_without_a_value_are_empty_however_they_are_written() {
        // An open cell with a paragraph but no value type, in a row repeated
        // to the sheet's end, as some writers save formatting: empty to
        // calamine, so it does not stretch the grid.
        let xml = r#"<table:table><table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell></table:table-row>
            <table:table-row table:number-rows-repeated="1048575"><table:table-cell table:style-name="ce1"><text:p></text:p></table:table-cell></table:table-row></table:table>"#;
        let scan = scanned(xml);
        assert_eq!((scan.total, scan.widest_rows), (2, Some(1)));
    }

    #[test]
    fn self_closed_rows_between_content_count() {
        let xml = r#"<table:table><table:table-row><table:table-cell office:value="1" office:value-type="float"/><table:table-cell office:value="1" office:value-type="float"/></table:table-row>
            <table:table-row table:number-rows-repeated="999998"/>
            <table:table-row><table:table-cell office:value="1" office:value-type="float"/></table:table-row></table:table>"#;
        let scan = scanned(xml);
        assert_eq!((scan.total, scan.widest_rows), (1_000_000 * 2 * 2, Some(1_000_000)));
        assert!(check_scan(&scan).is_err());
    }

    #[test]
    fn repeated_content_is_counted_expanded() {
        let xml = r#"<table:table><table:table-row table:number-rows-repeated="100000"><table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"/></table:table-row></table:table>"#;
        let scan = scanned(xml);
        assert_eq!(scan.total, 100_000 * 1_000 * 2);
        let limits = Limits::default();
        assert!(100_000 < limits.max_rows);
    }
}
