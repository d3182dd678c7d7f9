//! `ranking.csv`: the ranking for other programs and for Excel.
//!
//! UTF-8 with a byte-order mark, because Excel reads a CSV without one in
//! the machine's legacy code page and garbles names; decimals with a point
//! (`90.00`) so every program parses them alike; text neutralised (see
//! [`super::safe`]) because Excel turns `=…` in a CSV into a formula.

use std::path::Path;

use crate::error::{Error, Result};
use crate::review::safe::neutralise;
use crate::review::table::{Cell, Table};

/// The byte-order mark Excel looks for.
const BOM: &[u8] = "\u{feff}".as_bytes();

fn text(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(s) | Cell::Grade(s) | Cell::Link(s, _) => neutralise(s).into_owned(),
        Cell::Int(n) | Cell::Step(n) => n.to_string(),
        Cell::Score(p) | Cell::Change(p) | Cell::Diff(p) => p.to_string(),
    }
}

/// Writes `table` to `path` as CSV.
pub fn write(table: &Table, path: &Path) -> Result<()> {
    let io = |source: std::io::Error| Error::Io { path: path.to_path_buf(), source };
    let mut w = ::csv::Writer::from_writer(BOM.to_vec());
    w.write_record(table.columns.iter().map(|c| c.key.as_str())).map_err(|e| io(e.into()))?;
    for row in &table.rows {
        w.write_record(row.iter().map(text)).map_err(|e| io(e.into()))?;
    }
    let bytes = w.into_inner().map_err(|e| io(e.into_error()))?;
    std::fs::write(path, bytes).map_err(io)
}
