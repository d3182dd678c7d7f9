//! Writing the warehouse tables as Parquet with arrow-rs.
//!
//! The Parquet files and their schema are the contract with every later
//! stage and outside reader (DuckDB, pyarrow, Spark), so the schema is fixed
//! here in one place and documented in the README. Files are written
//! deterministically: rows sorted, no timestamps, the same writer settings
//! every time, so the same inbox gives byte-identical files.

use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{Int32Builder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, Decimal128Array, Int32Array, Int64Array, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use parquet::arrow::arrow_writer::{compute_leaves, ArrowColumnChunk};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};

use crate::error::{Error, Result};
use crate::ingest::records::AnswerRecord;
use crate::rejects::RejectRecord;
use crate::rules::rubric::Rubric;

/// Decimal places of the `value` column.
pub const VALUE_SCALE: i8 = crate::tables::VALUE_PLACES as i8;
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
        Field::new("submitted_code", DataType::Utf8, false),
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
        Field::new("submitted_code", DataType::Utf8, true),
    ])
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
    let pq = |e: parquet::errors::ParquetError| Error::Io { path: path.to_path_buf(), source: std::io::Error::other(e) };
    let mut writer = ArrowWriter::try_new(Vec::new(), batch.schema(), Some(properties(metadata))).map_err(pq)?;
    writer.write(batch).map_err(pq)?;
    let bytes = writer.into_inner().map_err(pq)?;
    crate::tables::write_file(path, &bytes)
}

/// Rows per row group of `answers` (the Parquet writer's usual limit). A
/// year of the national history is about 90,000 rows: one row group.
const ANSWERS_ROW_GROUP_ROWS: usize = 1 << 20;

/// Writes one year of answers, already sorted, with the rubric and the
/// source files' hashes in the file's key-value metadata.
///
/// The columns of a row group are built and encoded in parallel (rayon, in
/// the calling pool) and appended in schema order: the bytes do not depend on
/// the thread count. The file is encoded in memory and written with one call.
pub fn write_answers(path: &Path, rows: &[&AnswerRecord], rubric: &Rubric, sources: &[(String, String)]) -> Result<()> {
    use rayon::prelude::*;
    let pq = |e: parquet::errors::ParquetError| Error::Io { path: path.to_path_buf(), source: std::io::Error::other(e) };
    let sources_json = serde_json::to_string(&sources.iter().map(|(f, h)| serde_json::json!({ "file": f, "sha256": h })).collect::<Vec<_>>())
        .expect("JSON of strings");
    let metadata =
        vec![KeyValue::new("sakip.rubric".to_string(), rubric.id.clone()), KeyValue::new("sakip.source_files".to_string(), sources_json)];
    let schema = Arc::new(answers_schema());
    let writer = ArrowWriter::try_new(Vec::new(), schema.clone(), Some(properties(metadata))).map_err(pq)?;
    let (mut writer, factory) = writer.into_serialized_writer().map_err(pq)?;
    let labels = Labels::of(rubric);
    for (index, group) in rows.chunks(ANSWERS_ROW_GROUP_ROWS).enumerate() {
        let column_writers = factory.create_column_writers(index).map_err(pq)?;
        let chunks: Vec<ArrowColumnChunk> = column_writers
            .into_par_iter()
            .enumerate()
            .map(|(column, mut column_writer)| {
                let array = answers_column(column, group, &labels);
                for leaf in compute_leaves(schema.field(column), &array)? {
                    column_writer.write(&leaf)?;
                }
                column_writer.close()
            })
            .collect::<std::result::Result<_, _>>()
            .map_err(pq)?;
        let mut row_group = writer.next_row_group().map_err(pq)?;
        for chunk in chunks {
            chunk.append_to_row_group(&mut row_group).map_err(pq)?;
        }
        row_group.close().map_err(pq)?;
    }
    let bytes = writer.into_inner().map_err(pq)?;
    crate::tables::write_file(path, &bytes)
}

/// Per criterion of a rubric: its component, sub-component and criterion
/// codes, the three label columns of `answers`.
struct Labels<'r>(Vec<[&'r str; 3]>);

impl<'r> Labels<'r> {
    fn of(rubric: &'r Rubric) -> Labels<'r> {
        Labels(
            rubric
                .criteria
                .iter()
                .enumerate()
                .map(|(i, c)| [rubric.component_of(i).code.as_str(), rubric.subcomponents[c.subcomponent].code.as_str(), c.code.as_str()])
                .collect(),
        )
    }

    fn get(&self, r: &AnswerRecord, level: usize) -> &'r str {
        self.0[r.criterion_index][level]
    }
}

/// Column `index` of [`answers_schema`] for `rows`.
fn answers_column(index: usize, rows: &[&AnswerRecord], labels: &Labels<'_>) -> ArrayRef {
    let n = rows.len();
    let text = |f: &dyn Fn(&AnswerRecord) -> Option<&str>| -> ArrayRef {
        let mut b = StringBuilder::with_capacity(n, n * 8);
        for r in rows {
            b.append_option(f(r));
        }
        Arc::new(b.finish())
    };
    match index {
        0 => Arc::new(rows.iter().map(|r| r.file.year).collect::<Int32Array>()),
        1 => text(&|r| Some(&r.file.province_code)),
        2 => text(&|r| Some(&r.file.unit_code)),
        3 => text(&|r| Some(&r.file.unit_name)),
        4 => text(&|r| Some(r.track.as_str())),
        // The labels borrow the rubric, not the record: not through `text`.
        5..=7 => {
            let mut b = StringBuilder::with_capacity(n, n * 8);
            for r in rows {
                b.append_value(labels.get(r, index - 5));
            }
            Arc::new(b.finish())
        }
        8 => text(&|r| r.answer.as_deref()),
        9 => Arc::new(
            rows.iter()
                .map(|r| r.value.as_ref().map(crate::tables::millionths))
                .collect::<Decimal128Array>()
                .with_precision_and_scale(VALUE_PRECISION, VALUE_SCALE)
                .expect("DECIMAL(18,6) is a valid type"),
        ),
        10 => text(&|r| Some(&r.file.rubric)),
        11 => text(&|r| Some(&r.file.source_file)),
        12 => text(&|r| r.source_sheet.as_deref()),
        13 => Arc::new(rows.iter().map(|r| r.source_row.map(|x| x as i64)).collect::<Int64Array>()),
        14 => text(&|r| r.notes.as_deref()),
        15 => text(&|r| r.evidence.as_deref()),
        16 => text(&|r| Some(&r.file.submitted_code)),
        _ => unreachable!("answers has 17 columns"),
    }
}

/// Writes the rejects table, already sorted.
pub fn write_rejects(path: &Path, rows: &[RejectRecord]) -> Result<()> {
    let n = rows.len();
    let mut year = Int32Builder::with_capacity(n);
    let mut source_row = Int64Builder::with_capacity(n);
    let mut s: Vec<StringBuilder> = (0..9).map(|_| StringBuilder::with_capacity(n, n * 16)).collect();
    for r in rows {
        year.append_option(r.year);
        s[0].append_option(r.unit_code.as_deref());
        s[1].append_value(&r.source_file);
        s[2].append_option(r.source_sheet.as_deref());
        source_row.append_option(r.source_row.map(|x| x as i64));
        s[3].append_value(&r.column);
        s[4].append_value(&r.value);
        s[5].append_value(&r.reason);
        s[6].append_value(r.rule.code());
        s[7].append_value(r.scope.as_str());
        s[8].append_option(r.submitted_code.as_deref());
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
        s.remove(0), // submitted_code
    ];
    let batch = RecordBatch::try_new(Arc::new(rejects_schema()), columns).map_err(|e| Error::Usage(format!("internal: rejects batch: {e}")))?;
    write_batch(path, &batch, Vec::new())
}
