//! Writing warehouse tables as Parquet with arrow-rs: the one writer of the
//! tables ingest and scoring produce (`answers`, `rejects`, `scores`,
//! `component_scores`, `criterion_scores`), so that every file has the same
//! settings — ZSTD level 3, page statistics, no timestamps, `created_by`
//! naming sakip — and the same inputs give the same bytes.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use arrow_array::ArrayRef;
use arrow_schema::Schema;
use parquet::arrow::arrow_writer::{compute_leaves, ArrowColumnChunk};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use rayon::prelude::*;

use crate::error::{Error, Result};

/// Rows per row group (the Parquet writer's usual limit). A year of the
/// national history is about 90,000 rows: one row group.
const ROW_GROUP_ROWS: usize = 1 << 20;

fn properties(metadata: Vec<KeyValue>) -> WriterProperties {
    WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3).expect("valid level")))
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_created_by(format!("sakip {}", env!("CARGO_PKG_VERSION")))
        .set_key_value_metadata(Some(metadata))
        .build()
}

/// Writes a table of `rows` rows as `path` (creating its folder), with
/// `metadata` in the file's key-value metadata: `column(i, range)` builds
/// column `i` of `schema` for the rows in `range`.
///
/// The columns of a row group are built and encoded in parallel (rayon, in
/// the calling pool) and appended in schema order, so the bytes do not
/// depend on the thread count. The file is encoded in memory and written
/// with one call.
pub fn write_columns(path: &Path, schema: Schema, rows: usize, metadata: Vec<KeyValue>, column: impl Fn(usize, Range<usize>) -> ArrayRef + Sync) -> Result<()> {
    let pq = |e: parquet::errors::ParquetError| Error::Io { path: path.to_path_buf(), source: std::io::Error::other(e) };
    let schema = Arc::new(schema);
    let writer = ArrowWriter::try_new(Vec::new(), schema.clone(), Some(properties(metadata))).map_err(pq)?;
    let (mut writer, factory) = writer.into_serialized_writer().map_err(pq)?;
    for (index, start) in (0..rows).step_by(ROW_GROUP_ROWS).enumerate() {
        let range = start..rows.min(start + ROW_GROUP_ROWS);
        let column_writers = factory.create_column_writers(index).map_err(pq)?;
        let chunks: Vec<ArrowColumnChunk> = column_writers
            .into_par_iter()
            .enumerate()
            .map(|(i, mut column_writer)| {
                let array = column(i, range.clone());
                for leaf in compute_leaves(schema.field(i), &array)? {
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
