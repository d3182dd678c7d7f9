//! Reading survey and indicator files into a header and rows of text cells.
//!
//! The LKE readers in `ingest::read` turn a file into criterion/answer rows
//! with a fixed set of columns, so they cannot carry nine element answers or
//! an indicator's target and realisation. IKM and IKU files are small (a few
//! hundred rows a unit), so this module reads them whole: CSV with the `csv`
//! crate (comma, semicolon or tab, as both Excel locales save it), XLSX with
//! calamine (the first sheet that has a header), JSON as an array of objects.
//! Cells stay text; judging them is the caller's job, so that every row ends
//! up accepted or rejected with its reason.

use std::path::{Path, PathBuf};

use calamine::{Data, Reader};

use crate::rules::limits::Limits;

/// A file read into text cells.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// The sheet read (XLSX only).
    pub sheet: Option<String>,
    /// The header cells, trimmed.
    pub header: Vec<String>,
    /// Each data row: its 1-based line or row number and its trimmed cells.
    pub rows: Vec<(u64, Vec<String>)>,
}

/// Every survey or report file under `dir`, sorted by path, so that the
/// order rows are met in (and so which duplicate comes first) never depends
/// on the file system.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let hidden = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with('.') || n.starts_with("~$"));
            if hidden {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Reads one file; `Err` is the reason (Indonesian) the whole file was
/// refused.
pub fn read(path: &Path, limits: &Limits) -> Result<Table, String> {
    use crate::messages::ikm as m;
    let size = std::fs::metadata(path).map_err(|e| m::unreadable(&e.to_string()))?.len();
    if size > limits.max_file_bytes {
        return Err(m::too_large(size, limits.max_file_bytes));
    }
    let bytes = std::fs::read(path).map_err(|e| m::unreadable(&e.to_string()))?;
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    // A forged workbook can trip the spreadsheet library into a panic: that
    // refuses the file, it never ends the run.
    let table = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| match ext.as_str() {
        "csv" | "txt" | "tsv" => read_csv(&bytes),
        "xlsx" | "xlsm" => read_xlsx(&bytes, limits),
        "json" => read_json(&bytes),
        _ => Err(m::UNSUPPORTED_FORMAT.to_string()),
    }))
    .unwrap_or_else(|_| Err(m::unreadable("isi berkas rusak")))?;
    if table.rows.len() as u64 > limits.max_rows {
        return Err(m::too_many_rows(table.rows.len(), limits.max_rows));
    }
    Ok(table)
}

fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        // Excel on Windows saves "CSV" in the ANSI code page.
        Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
    }
}

fn read_csv(bytes: &[u8]) -> Result<Table, String> {
    let text = decode(bytes);
    let first = text.lines().next().unwrap_or("");
    let delimiter = [b';', b'\t', b','].into_iter().max_by_key(|d| first.matches(char::from(*d)).count()).unwrap_or(b',');
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut table = Table::default();
    for record in reader.records() {
        let record = record.map_err(|e| crate::messages::ikm::bad_csv(&e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line());
        let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if table.header.is_empty() {
            table.header = cells;
        } else {
            table.rows.push((line, cells));
        }
    }
    Ok(table)
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        // The shortest decimal that is this float: 4.0 → "4", 87.5 → "87.5".
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => b.to_string(),
        other => other.to_string().trim().to_string(),
    }
}

fn read_xlsx(bytes: &[u8], limits: &Limits) -> Result<Table, String> {
    use crate::messages::ikm as m;
    // The archive's declared sizes are checked before anything is unpacked.
    let declared = declared_unzipped(bytes).ok_or_else(|| m::bad_xlsx("bukan arsip ZIP"))?;
    if declared > limits.max_unzipped_bytes {
        return Err(m::too_large(declared, limits.max_unzipped_bytes));
    }
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| m::bad_xlsx(&e.to_string()))?;
    for name in book.sheet_names().to_vec() {
        let range = book.worksheet_range(&name).map_err(|e| m::bad_xlsx(&e.to_string()))?;
        let start_row = range.start().map_or(0, |(r, _)| r);
        let mut table = Table { sheet: Some(name.clone()), ..Table::default() };
        for (i, row) in range.rows().enumerate() {
            let cells: Vec<String> = row.iter().map(cell_text).collect();
            if cells.iter().all(String::is_empty) {
                continue;
            }
            if table.header.is_empty() {
                table.header = cells;
            } else {
                table.rows.push((u64::from(start_row) + i as u64 + 1, cells));
            }
        }
        if !table.header.is_empty() {
            return Ok(table);
        }
    }
    Ok(Table::default())
}

/// The sum of the uncompressed sizes the ZIP's central directory declares,
/// or `None` when there is no central directory.
fn declared_unzipped(bytes: &[u8]) -> Option<u64> {
    let eocd = bytes.windows(4).rposition(|w| w == b"PK\x05\x06")?;
    let u16_at = |o: usize| bytes.get(o..o + 2).map(|b| u16::from_le_bytes([b[0], b[1]]));
    let u32_at = |o: usize| bytes.get(o..o + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    let entries = u16_at(eocd + 10)?;
    let mut offset = u32_at(eocd + 16)? as usize;
    let mut total = 0u64;
    for _ in 0..entries {
        if u32_at(offset)? != 0x0201_4b50 {
            return None;
        }
        total += u64::from(u32_at(offset + 24)?);
        let extra = u16_at(offset + 28)? as usize + u16_at(offset + 30)? as usize + u16_at(offset + 32)? as usize;
        offset += 46 + extra;
    }
    Some(total)
}

fn read_json(bytes: &[u8]) -> Result<Table, String> {
    use crate::messages::ikm as m;
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| m::bad_json(&e.to_string()))?;
    let items = match &value {
        serde_json::Value::Array(items) => items,
        serde_json::Value::Object(o) => match o.get("rows").or_else(|| o.get("data")) {
            Some(serde_json::Value::Array(items)) => items,
            _ => return Err(m::bad_json("tidak ada larik `rows`")),
        },
        _ => return Err(m::bad_json("bukan larik objek")),
    };
    let mut table = Table::default();
    for (i, item) in items.iter().enumerate() {
        let serde_json::Value::Object(fields) = item else {
            // Kept as a row with no cells: the caller rejects it as empty.
            table.rows.push((i as u64 + 1, Vec::new()));
            continue;
        };
        let mut cells = vec![String::new(); table.header.len()];
        for (key, v) in fields {
            let text = match v {
                serde_json::Value::String(s) => s.trim().to_string(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            };
            match table.header.iter().position(|h| h == key) {
                Some(at) => cells[at] = text,
                None => {
                    table.header.push(key.clone());
                    cells.push(text);
                }
            }
        }
        table.rows.push((i as u64 + 1, cells));
    }
    Ok(table)
}

pub use crate::rules::ikm::fold;

/// The position of the first header cell that folds to one of `names`.
pub fn find_column(header: &[String], names: &[&str]) -> Option<usize> {
    header.iter().position(|h| {
        let h = fold(h);
        names.iter().any(|n| fold(n) == h)
    })
}

/// The cell at `at` of a row, blank when the row is short.
pub fn cell(cells: &[String], at: Option<usize>) -> &str {
    at.and_then(|i| cells.get(i)).map_or("", String::as_str)
}
