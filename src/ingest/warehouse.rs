//! Writing the warehouse tables as Parquet with arrow-rs.
//!
//! The Parquet files and their schema are the contract with every later
//! stage and outside reader (DuckDB, pyarrow, Spark), so the schema is fixed
//! here in one place and documented in the README. Files are written
//! deterministically: rows sorted, no timestamps, the same writer settings
//! every time, so the same inbox gives byte-identical files.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{Decimal128Builder, Int32Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};

use crate::error::{Error, Result};
use crate::exact::Exact;
use crate::ingest::records::{AnswerRecord, RejectRecord};

/// Decimal places of the `value` column.
pub const VALUE_SCALE: i8 = 6;
/// Precision of the `value` column.
pub const VALUE_PRECISION: u8 = 18;

/// The schema of `answers/`.
pub fn answers_schema() -> Schema {
    Schema::new(vec![
        Field::new("year", DataType::Int32, false),
        Field::new("province_code", DataType::Utf8, false),
        Field::new("unit_code", DataType::Utf8, false),
        Field::new("unit_name", DataType::Utf8, false),
        Field::new("track", DataType::Utf8, false),
        Field::new("component", DataType::Utf8, false),
        Field::new("subcomponent", DataType::Utf8, false),
        Field::new("criterion", DataType::Utf8, false),
        Field::new("answer", DataType::Utf8, true),
        Field::new("value", DataType::Decimal128(VALUE_PRECISION, VALUE_SCALE), true),
        Field::new("rubric", DataType::Utf8, false),
        Field::new("source_file", DataType::Utf8, false),
        Field::new("source_sheet", DataType::Utf8, true),
        Field::new("source_row", DataType::Int64, true),
        Field::new("notes", DataType::Utf8, true),
        Field::new("evidence", DataType::Utf8, true),
    ])
}

/// The schema of `rejects/`.
pub fn rejects_schema() -> Schema {
    Schema::new(vec![
        Field::new("year", DataType::Int32, true),
        Field::new("unit_code", DataType::Utf8, true),
        Field::new("source_file", DataType::Utf8, false),
        Field::new("source_sheet", DataType::Utf8, true),
        Field::new("source_row", DataType::Int64, true),
        Field::new("column", DataType::Utf8, false),
        Field::new("value", DataType::Utf8, false),
        Field::new("reason", DataType::Utf8, false),
        Field::new("rule", DataType::Utf8, false),
        Field::new("scope", DataType::Utf8, false),
    ])
}

/// An exact value as the integer behind `DECIMAL(18,6)`, rounded half-up
/// where a rule file used a fraction with no finite decimal (2/3).
pub fn value_to_decimal(value: &Exact) -> i128 {
    // floor(n·10^s/d + 1/2) = floor((2·n·10^s + d) / 2d), in integers: no
    // gcd per row (a Ratio sum would reduce). The denominator is positive.
    let (n, d) = (*value.numer(), *value.denom());
    num_integer::Integer::div_floor(&(2 * n * 10i128.pow(VALUE_SCALE as u32) + d), &(2 * d))
}

fn properties(metadata: Vec<KeyValue>) -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3).expect("valid level")))
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_created_by(format!("sakip {}", env!("CARGO_PKG_VERSION")))
        .set_key_value_metadata(Some(metadata))
        .build()
}

/// Writes one batch to `path` (creating its folder), closing the file so the
/// footer is written.
fn write_batch(path: &Path, batch: &RecordBatch, metadata: Vec<KeyValue>) -> Result<()> {
    let io = |source: std::io::Error| Error::Io { path: path.to_path_buf(), source };
    let pq = |e: parquet::errors::ParquetError| Error::Io { path: path.to_path_buf(), source: std::io::Error::other(e) };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let file = File::create(path).map_err(io)?;
    let mut writer = ArrowWriter::try_new(file, batch.schema(), Some(properties(metadata))).map_err(pq)?;
    writer.write(batch).map_err(pq)?;
    writer.close().map_err(pq)?;
    Ok(())
}

/// Writes one partition of answers, already sorted, with the rubric and the
/// source files' hashes in the file's key-value metadata.
pub fn write_answers(path: &Path, rows: &[&AnswerRecord], rubric: &str, sources: &[(String, String)]) -> Result<()> {
    let n = rows.len();
    let mut year = Int32Builder::with_capacity(n);
    let mut strings: Vec<StringBuilder> = (0..13).map(|_| StringBuilder::with_capacity(n, n * 8)).collect();
    let mut value = Decimal128Builder::with_capacity(n);
    let mut source_row = Int64Builder::with_capacity(n);
    for r in rows {
        year.append_value(r.year);
        let s = &mut strings;
        s[0].append_value(&r.province_code);
        s[1].append_value(&r.unit_code);
        s[2].append_value(&r.unit_name);
        s[3].append_value(r.track.as_str());
        s[4].append_value(&r.component);
        s[5].append_value(&r.subcomponent);
        s[6].append_value(&r.criterion);
        s[7].append_option(r.answer.as_deref());
        value.append_option(r.value.as_ref().map(value_to_decimal));
        s[8].append_value(&r.rubric);
        s[9].append_value(&r.source_file);
        s[10].append_option(r.source_sheet.as_deref());
        source_row.append_option(r.source_row.map(|x| x as i64));
        s[11].append_option(r.notes.as_deref());
        s[12].append_option(r.evidence.as_deref());
    }
    let mut s: Vec<ArrayRef> = strings.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef).collect();
    let value = value.with_precision_and_scale(VALUE_PRECISION, VALUE_SCALE).map_err(|e| Error::Usage(e.to_string()))?.finish();
    let columns: Vec<ArrayRef> = vec![
        Arc::new(year.finish()),
        s.remove(0), // province_code
        s.remove(0), // unit_code
        s.remove(0), // unit_name
        s.remove(0), // track
        s.remove(0), // component
        s.remove(0), // subcomponent
        s.remove(0), // criterion
        s.remove(0), // answer
        Arc::new(value),
        s.remove(0), // rubric
        s.remove(0), // source_file
        s.remove(0), // source_sheet
        Arc::new(source_row.finish()),
        s.remove(0), // notes
        s.remove(0), // evidence
    ];
    let batch = RecordBatch::try_new(Arc::new(answers_schema()), columns).map_err(|e| Error::Usage(format!("internal: answers batch: {e}")))?;
    let sources_json = serde_json::to_string(&sources.iter().map(|(f, h)| serde_json::json!({ "file": f, "sha256": h })).collect::<Vec<_>>())
        .expect("JSON of strings");
    write_batch(
        path,
        &batch,
        vec![KeyValue::new("sakip.rubric".to_string(), rubric.to_string()), KeyValue::new("sakip.source_files".to_string(), sources_json)],
    )
}

/// Writes the rejects table, already sorted.
pub fn write_rejects(path: &Path, rows: &[RejectRecord]) -> Result<()> {
    let n = rows.len();
    let mut year = Int32Builder::with_capacity(n);
    let mut source_row = Int64Builder::with_capacity(n);
    let mut s: Vec<StringBuilder> = (0..8).map(|_| StringBuilder::with_capacity(n, n * 16)).collect();
    for r in rows {
        year.append_option(r.year);
        s[0].append_option(r.unit_code.as_deref());
        s[1].append_value(&r.source_file);
        s[2].append_option(r.source_sheet.as_deref());
        source_row.append_option(r.source_row.map(|x| x as i64));
        s[3].append_value(&r.column);
        s[4].append_value(&r.value);
        s[5].append_value(&r.reason);
        s[6].append_value(r.rule);
        s[7].append_value(r.scope.as_str());
    }
    let mut s: Vec<ArrayRef> = s.iter_mut().map(|b| Arc::new(b.finish()) as ArrayRef).collect();
    let columns: Vec<ArrayRef> = vec![
        Arc::new(year.finish()),
        s.remove(0), // unit_code
        s.remove(0), // source_file
        s.remove(0), // source_sheet
        Arc::new(source_row.finish()),
        s.remove(0), // column
        s.remove(0), // value
        s.remove(0), // reason
        s.remove(0), // rule
        s.remove(0), // scope
    ];
    let batch = RecordBatch::try_new(Arc::new(rejects_schema()), columns).map_err(|e| Error::Usage(format!("internal: rejects batch: {e}")))?;
    write_batch(path, &batch, Vec::new())
}

#[cfg(test)]
mod value_tests {
    use super::*;

    #[test]
    fn values_are_stored_half_up_to_six_places() {
        let cases = [((1, 3), 333_333), ((2, 3), 666_667), ((1, 2_000_000), 1), ((1, 4_000_000), 0), ((-1, 3), -333_333), ((-1, 2_000_000), 0), ((75, 1), 75_000_000)];
        for ((n, d), stored) in cases {
            assert_eq!(value_to_decimal(&Exact::new(n, d)), stored, "{n}/{d}");
            // The same as rounding the exact rational half-up.
            let scaled = Exact::new(n, d) * 10i128.pow(VALUE_SCALE as u32);
            assert_eq!((scaled + Exact::new(1, 2)).floor().to_integer(), stored, "{n}/{d}");
        }
    }
}
