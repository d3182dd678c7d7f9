//! Printing a polars frame as a table, CSV or JSON, the same way for every
//! query command. Decimals print with their scale (`78.10`), NULL as an empty
//! cell (JSON `null`); JSON keeps decimals as strings so no reader turns
//! `78.10` into a float.

use std::io::Write;

use polars::prelude::*;
use serde_json::{Map, Value};

use crate::cmd::{io_out, write_csv, write_table, Format};
use crate::error::Result;
use crate::tables::query_error;

/// The text of one cell.
pub fn cell_text(value: &AnyValue<'_>) -> String {
    match value {
        AnyValue::Null => String::new(),
        AnyValue::String(s) => s.to_string(),
        AnyValue::StringOwned(s) => s.to_string(),
        AnyValue::Decimal(v, _, scale) => decimal_text(*v, *scale),
        AnyValue::Float64(f) => format!("{f:.2}"),
        AnyValue::Float32(f) => format!("{f:.2}"),
        other => other.to_string(),
    }
}

fn decimal_text(v: i128, scale: usize) -> String {
    if scale == 0 {
        return v.to_string();
    }
    let sign = if v < 0 { "-" } else { "" };
    let abs = v.unsigned_abs();
    let p = 10u128.pow(scale as u32);
    format!("{sign}{}.{:0width$}", abs / p, abs % p, width = scale)
}

fn json_value(value: &AnyValue<'_>) -> Value {
    match value {
        AnyValue::Null => Value::Null,
        AnyValue::Boolean(b) => Value::Bool(*b),
        AnyValue::Int8(_) | AnyValue::Int16(_) | AnyValue::Int32(_) | AnyValue::Int64(_) | AnyValue::UInt8(_) | AnyValue::UInt16(_) | AnyValue::UInt32(_) | AnyValue::UInt64(_) => {
            serde_json::from_str(&value.to_string()).unwrap_or(Value::Null)
        }
        AnyValue::Float64(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        other => Value::String(cell_text(other)),
    }
}

/// Prints `df` in the chosen format. Columns listed in `right` are aligned
/// right in a table.
pub fn print(df: &DataFrame, format: Format, out: &mut dyn Write) -> Result<()> {
    let names: Vec<String> = df.get_column_names().iter().map(|s| s.to_string()).collect();
    let columns = df.columns();
    let mut rows = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let mut row = Vec::with_capacity(columns.len());
        for c in columns {
            row.push(c.get(i).map_err(query_error(c.name()))?);
        }
        rows.push(row);
    }
    match format {
        Format::Json => {
            let items: Vec<Value> = rows
                .iter()
                .map(|r| Value::Object(names.iter().cloned().zip(r.iter().map(json_value)).collect::<Map<_, _>>()))
                .collect();
            writeln!(out, "{}", serde_json::to_string_pretty(&items).expect("JSON")).map_err(io_out)
        }
        Format::Csv | Format::Table => {
            let header: Vec<&str> = names.iter().map(String::as_str).collect();
            if format == Format::Csv {
                // A CSV is opened in Excel: text sent in by units (a note
                // typed as "=SUM(…)") must not arrive there as a formula.
                let safe = |v: &AnyValue| match v {
                    AnyValue::String(_) | AnyValue::StringOwned(_) => crate::review::safe::neutralise(&cell_text(v)).into_owned(),
                    other => cell_text(other),
                };
                let text: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(safe).collect()).collect();
                write_csv(out, &header, &text)
            } else {
                let text: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(cell_text).collect()).collect();
                let right: Vec<usize> = columns.iter().enumerate().filter(|(_, c)| c.dtype().is_primitive_numeric() || c.dtype().is_decimal()).map(|(i, _)| i).collect();
                write_table(out, &header, &text, &right)
            }
        }
    }
}
