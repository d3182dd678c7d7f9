//! Reads a warehouse Parquet file back into rows of text, for assertions.
//! Uses the parquet crate's own reader: an independent path from the writer's
//! arrow builders, and the same one polars and DataFusion build on.

use std::collections::BTreeMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use arrow_array::{Array, BooleanArray, Decimal128Array, Float64Array, Int32Array, Int64Array, StringArray, StringViewArray, UInt32Array};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

/// One row: column name → text, `None` for NULL.
pub type Row = BTreeMap<String, Option<String>>;

/// All rows of one Parquet file.
pub fn read(path: &Path) -> Vec<Row> {
    let file = File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let reader = ParquetRecordBatchReaderBuilder::try_new(file).unwrap().build().unwrap();
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        let schema = batch.schema();
        for i in 0..batch.num_rows() {
            let mut row = Row::new();
            for (c, field) in schema.fields().iter().enumerate() {
                let col = batch.column(c);
                let text = if col.is_null(i) {
                    None
                } else {
                    Some(match field.data_type() {
                        DataType::Utf8 => col.as_any().downcast_ref::<StringArray>().unwrap().value(i).to_string(),
                        DataType::Utf8View => col.as_any().downcast_ref::<StringViewArray>().unwrap().value(i).to_string(),
                        DataType::UInt32 => col.as_any().downcast_ref::<UInt32Array>().unwrap().value(i).to_string(),
                        DataType::Float64 => col.as_any().downcast_ref::<Float64Array>().unwrap().value(i).to_string(),
                        DataType::Int32 => col.as_any().downcast_ref::<Int32Array>().unwrap().value(i).to_string(),
                        DataType::Int64 => col.as_any().downcast_ref::<Int64Array>().unwrap().value(i).to_string(),
                        DataType::Boolean => col.as_any().downcast_ref::<BooleanArray>().unwrap().value(i).to_string(),
                        DataType::Decimal128(_, _) => col.as_any().downcast_ref::<Decimal128Array>().unwrap().value_as_string(i),
                        other => panic!("unexpected type {other} in {}", field.name()),
                    })
                };
                row.insert(field.name().clone(), text);
            }
            rows.push(row);
        }
    }
    rows
}

/// Every `.parquet` file under `dir`, sorted.
pub fn parquet_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "parquet") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The folder a warehouse's tables are in: its `current` snapshot.
pub fn current(warehouse: &Path) -> PathBuf {
    let c = warehouse.join("current");
    assert!(c.exists(), "{} has no current snapshot", warehouse.display());
    c
}

/// All rows of every file of a table (`answers`, `rejects`) of the current
/// snapshot.
pub fn table(warehouse: &Path, name: &str) -> Vec<Row> {
    parquet_files(&current(warehouse).join(name)).iter().flat_map(|p| read(p)).collect()
}

/// A cell's text, `""` for NULL.
pub fn cell<'a>(row: &'a Row, column: &str) -> &'a str {
    row.get(column).unwrap_or_else(|| panic!("no column {column}")).as_deref().unwrap_or("")
}

/// Every file of the current snapshot (relative path, bytes), sorted: what
/// a reader of the warehouse sees, for byte-for-byte comparisons.
pub fn snapshot_files(warehouse: &Path) -> Vec<(String, Vec<u8>)> {
    snapshot_files_under(&current(warehouse).canonicalize().unwrap())
}

/// Every file under `dir` (relative path, bytes), sorted.
pub fn snapshot_files_under(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push((p.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}
