//! The subcommands of the `sakip` binary, one module each, each with its own
//! arguments and a `run` function that writes to the given output.

pub mod evaluations;
pub mod frame;
pub mod gen;
pub mod grade;
pub mod ingest;
pub mod rank;
pub mod review;
pub mod rollback;
pub mod rubric;
pub mod run;
pub mod score;
pub mod sql;
pub mod validate;

use std::io::Write;

use crate::error::{Error, Result};

/// Output formats shared by the commands that print tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for a terminal.
    Table,
    /// CSV with a header row, for Excel and scripts.
    Csv,
    /// JSON, for programs.
    Json,
}

/// Maps a failed write to stdout (say, a closed pipe) to an error.
pub(crate) fn io_out(e: std::io::Error) -> Error {
    Error::Io { path: "<stdout>".into(), source: e }
}

/// Writes rows as aligned columns; the last column is not padded.
pub(crate) fn write_table(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>], right_aligned: &[usize]) -> Result<()> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let last = cells.len().saturating_sub(1);
        let mut s = String::new();
        for (i, cell) in cells.into_iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            if right_aligned.contains(&i) {
                s.push_str(&" ".repeat(pad));
                s.push_str(cell);
            } else {
                s.push_str(cell);
                if i != last {
                    s.push_str(&" ".repeat(pad));
                }
            }
            if i != last {
                s.push_str("  ");
            }
        }
        s.trim_end().to_string()
    };
    writeln!(out, "{}", line(header.to_vec())).map_err(io_out)?;
    for row in rows {
        writeln!(out, "{}", line(row.iter().map(String::as_str).collect())).map_err(io_out)?;
    }
    Ok(())
}

/// Writes rows as CSV with a header.
pub(crate) fn write_csv(out: &mut dyn Write, header: &[&str], rows: &[Vec<String>]) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let csv_err = |e: csv::Error| Error::Io { path: "<stdout>".into(), source: e.into() };
    w.write_record(header).map_err(csv_err)?;
    for row in rows {
        w.write_record(row).map_err(csv_err)?;
    }
    w.flush().map_err(io_out)
}
