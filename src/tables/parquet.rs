//! Writing warehouse tables as Parquet with arrow-rs: the one writer of the
//! tables ingest and scoring produce (`answers`, `rejects`, `scores`,
//! `component_scores`, `criterion_scores`), so that every file has the same
//! settings — ZSTD level 3, page statistics on the columns a reader can skip
//! pages by ([`UNSORTED`]), no timestamps, `created_by` naming sakip — and
//! the same inputs give the same bytes.

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::builder::StringBuilder;
use arrow_array::{Array, ArrayRef, DictionaryArray, Int32Array, StringArray};
use arrow_schema::Schema;
use parquet::arrow::arrow_writer::{compute_leaves, ArrowColumnChunk, ArrowColumnWriter};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;
use rayon::prelude::*;

use crate::error::{Error, Result};

mod keyed;
mod rle;

/// Rows per row group (the Parquet writer's usual limit). A year of the
/// national history is about 90,000 rows: one row group.
const ROW_GROUP_ROWS: usize = 1 << 20;

/// Columns written without statistics, in whichever table has them: what a
/// unit wrote or was given per criterion (the answer, its value and points,
/// notes, evidence, where in its file), the criterion's long name, and a
/// refused row's offending text (`rejects.value`). Their values follow no
/// order of the rows (every page holds the whole answer scale, every
/// criterion, every kind of note), so a page's minimum and maximum span
/// nearly everything and no reader can skip a page by them; working them
/// out compared every value twice. The columns rows are sorted or grouped
/// by (year, province, unit, track, rubric, the component, sub-component
/// and criterion codes) keep page statistics, and so do the score tables'
/// figures.
const UNSORTED: [&str; 9] = ["answer", "value", "points", "max_points", "notes", "evidence", "source_sheet", "source_row", "criterion_name"];

fn properties(schema: &Schema, metadata: Vec<KeyValue>) -> WriterProperties {
    let builder = WriterProperties::builder()
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(3).expect("valid level")))
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_created_by(format!("sakip {}", env!("CARGO_PKG_VERSION")))
        .set_key_value_metadata(Some(metadata));
    schema
        .fields()
        .iter()
        .filter(|f| UNSORTED.contains(&f.name().as_str()))
        .fold(builder, |b, f| b.set_column_statistics_enabled(ColumnPath::from(f.name().as_str()), EnabledStatistics::None))
        .build()
}

/// Writes a table of `rows` rows as `path` (creating its folder), with
/// `metadata` in the file's key-value metadata: `column(i, range)` builds
/// column `i` of `schema` for the rows in `range`. A string column may be
/// built as keys into its few distinct texts ([`keyed_texts`],
/// [`shared_texts`]): the file is the same as from the strings, which is
/// cheaper for columns that repeat a file's or a criterion's text on every
/// row.
///
/// The columns of a row group are built and encoded in parallel (rayon, in
/// the calling pool) and appended in schema order, so the bytes do not
/// depend on the thread count. The file is encoded in memory and written
/// with one call.
pub fn write_columns<C: Into<Column>>(path: &Path, schema: Schema, rows: usize, metadata: Vec<KeyValue>, column: impl Fn(usize, Range<usize>) -> C + Sync) -> Result<()> {
    write_grouped(path, schema, rows, ROW_GROUP_ROWS, metadata, column)
}

/// A column of a table, for [`write_columns`]: an Arrow array, or a string
/// column as keys into its texts, which is written from the keys
/// ([`keyed`]) and becomes a dictionary array only where arrow-rs writes
/// it.
pub enum Column {
    Array(ArrayRef),
    Keyed { keys: Int32Array, values: StringArray },
    /// A 64-bit integer or decimal column of few distinct numbers, written
    /// from its own dictionary where [`keyed::encode_ints`] covers it.
    Numbers(ArrayRef),
}

impl From<ArrayRef> for Column {
    fn from(array: ArrayRef) -> Column {
        Column::Array(array)
    }
}

impl Column {
    /// `array` as a column.
    pub fn array(array: impl Array + 'static) -> Column {
        Column::Array(Arc::new(array))
    }

    /// The Arrow array of the column's rows. Panics on a key outside the
    /// values, a bug of the caller's.
    fn into_array(self) -> ArrayRef {
        match self {
            Column::Array(array) | Column::Numbers(array) => array,
            Column::Keyed { keys, values } => Arc::new(DictionaryArray::<Int32Type>::try_new(keys, Arc::new(values)).expect("every key names one of the values")),
        }
    }
}

/// An `Int64` or `Decimal128` column of few distinct numbers and no
/// statistics ([`UNSORTED`]), for [`write_columns`]: the file is the same as
/// from the array, each row's number found in a small table of the numbers
/// met instead of arrow-rs's general-purpose interner.
pub fn numbers(array: impl Array + 'static) -> Column {
    Column::Numbers(Arc::new(array))
}

/// A string column as `keys` into `values`, for [`write_columns`]: each
/// row's text is `values[keys[row]]`, a null key a null. A key outside
/// `values` is a bug of the caller's, and panics.
pub fn keyed_texts(keys: Int32Array, values: StringArray) -> Column {
    Column::Keyed { keys, values }
}

/// A nullable string column of texts that rows share (the rows that give
/// the same text hold clones of one `Arc<str>`), for [`write_columns`]:
/// built as keys into the texts met, one value per shared text, found by
/// its address among the last few met, so a row costs no hashing of its
/// text.
pub fn shared_texts<'a>(texts: impl Iterator<Item = Option<&'a Arc<str>>>) -> Column {
    const RECENT: usize = 16;
    let mut values = StringBuilder::new();
    let mut recent: Vec<(*const u8, i32)> = Vec::with_capacity(RECENT);
    let (mut met, mut oldest) = (0i32, 0usize);
    let keys: Int32Array = texts
        .map(|text| {
            text.map(|text| {
                // Two live Arcs never share an address.
                let address = text.as_ptr();
                if let Some(&(_, key)) = recent.iter().find(|(a, _)| *a == address) {
                    return key;
                }
                values.append_value(&**text);
                let key = met;
                met += 1;
                if recent.len() < RECENT {
                    recent.push((address, key));
                } else {
                    recent[oldest] = (address, key);
                    oldest = (oldest + 1) % RECENT;
                }
                key
            })
        })
        .collect();
    keyed_texts(keys, values.finish())
}

/// A column chunk encoded by arrow-rs, or from a keyed text column's keys
/// ([`keyed`]).
enum Chunk {
    Arrow(ArrowColumnChunk),
    Keyed(keyed::Chunk),
}

/// [`write_columns`] with row groups of `group_rows` rows.
fn write_grouped<C: Into<Column>>(
    path: &Path,
    schema: Schema,
    rows: usize,
    group_rows: usize,
    metadata: Vec<KeyValue>,
    column: impl Fn(usize, Range<usize>) -> C + Sync,
) -> Result<()> {
    let pq = |e: parquet::errors::ParquetError| Error::Io { path: path.to_path_buf(), source: std::io::Error::other(e) };
    let schema = Arc::new(schema);
    let props = properties(&schema, metadata);
    let writer = ArrowWriter::try_new(Vec::new(), schema.clone(), Some(props.clone())).map_err(pq)?;
    let (mut writer, _) = writer.into_serialized_writer().map_err(pq)?;
    let columns = writer.schema_descr().columns().to_vec();
    for (index, start) in (0..rows).step_by(group_rows).enumerate() {
        let range = start..rows.min(start + group_rows);
        let chunks: Vec<Chunk> = (0..columns.len())
            .into_par_iter()
            .map(|i| {
                let array = match column(i, range.clone()).into() {
                    // A null among the texts is not covered.
                    Column::Keyed { keys, values } if values.null_count() == 0 => {
                        let texts: Vec<&str> = values.iter().map(Option::unwrap_or_default).collect();
                        if let Some(chunk) = keyed::encode(&columns[i], &props, &keys, &texts)? {
                            return Ok(Chunk::Keyed(chunk));
                        }
                        drop(texts);
                        Column::Keyed { keys, values }.into_array()
                    }
                    Column::Numbers(array) => {
                        if let Some(chunk) = keyed::encode_ints(&columns[i], &props, &array)? {
                            return Ok(Chunk::Keyed(chunk));
                        }
                        array
                    }
                    other => other.into_array(),
                };
                let mut column_writer = column_writer(&schema, i, &props, index)?;
                for leaf in compute_leaves(schema.field(i), &array)? {
                    column_writer.write(&leaf)?;
                }
                column_writer.close().map(Chunk::Arrow)
            })
            .collect::<std::result::Result<_, _>>()
            .map_err(pq)?;
        let mut row_group = writer.next_row_group().map_err(pq)?;
        for chunk in chunks {
            match chunk {
                Chunk::Arrow(chunk) => chunk.append_to_row_group(&mut row_group),
                Chunk::Keyed(keyed::Chunk { bytes, close }) => row_group.append_column(&bytes, close),
            }
            .map_err(pq)?;
        }
        row_group.close().map_err(pq)?;
    }
    let bytes = writer.into_inner().map_err(pq)?;
    crate::tables::write_file(path, &bytes)
}

/// arrow-rs's writer of column `i` of `schema` alone, for row group
/// `index`. A writer is made for the columns arrow-rs writes only: each
/// makes a zstd compressor and decompressor when it is made, and most
/// columns are written from their keys ([`keyed`]). Its chunk is the one a
/// writer of the whole table makes for that column (a flat column's
/// descriptor and settings depend on its own field only).
fn column_writer(schema: &Schema, i: usize, props: &WriterProperties, index: usize) -> parquet::errors::Result<ArrowColumnWriter> {
    let one = Arc::new(Schema::new(vec![schema.field(i).clone()]));
    let (_, factory) = ArrowWriter::try_new(Vec::new(), one, Some(props.clone()))?.into_serialized_writer()?;
    let mut writers = factory.create_column_writers(index)?;
    match (writers.pop(), writers.is_empty()) {
        (Some(writer), true) => Ok(writer),
        _ => Err(parquet::errors::ParquetError::General(format!("column {} is not one flat column", schema.field(i).name()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Array, Int64Array};
    use arrow_schema::{DataType, Field};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    fn ten_rows_schema() -> Schema {
        Schema::new(vec![Field::new("n", DataType::Int64, false), Field::new("label", DataType::Utf8, false), Field::new("square", DataType::Int64, true)])
    }

    /// Rows `range` of (n, "row n", n² or NULL for odd n), column `i`.
    fn ten_rows_column(i: usize, range: Range<usize>) -> ArrayRef {
        let ns = range.map(|n| n as i64);
        match i {
            0 => Arc::new(ns.collect::<Int64Array>()),
            1 => Arc::new(StringArray::from_iter_values(ns.map(|n| format!("row {n}")))),
            _ => Arc::new(ns.map(|n| (n % 2 == 0).then_some(n * n)).collect::<Int64Array>()),
        }
    }

    /// Ten rows of (n, "row n", n² or NULL for odd n), written in row
    /// groups of four from a pool of `threads` threads.
    fn write(path: &Path, threads: usize) -> Vec<u8> {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
        pool.install(|| write_grouped(path, ten_rows_schema(), 10, 4, vec![KeyValue::new("k".into(), "v".to_string())], ten_rows_column)).unwrap();
        std::fs::read(path).unwrap()
    }

    #[test]
    fn a_table_written_column_by_column_is_the_file_arrow_rs_writes_whole() {
        // Each column is encoded by a writer of its own; arrow-rs's
        // ArrowWriter, given the whole table and the same settings, is the
        // outside reference.
        let dir = std::env::temp_dir().join(format!("sakip-write-columns-whole-{}", std::process::id()));
        let ours = write(&dir.join("part-0.parquet"), 2);
        let schema = Arc::new(ten_rows_schema());
        let metadata = vec![KeyValue::new("k".into(), "v".to_string())];
        let props = properties(&schema, metadata).into_builder().set_max_row_group_row_count(Some(4)).build();
        let batch = arrow_array::RecordBatch::try_new(schema.clone(), (0..3).map(|i| ten_rows_column(i, 0..10)).collect()).unwrap();
        let mut whole = ArrowWriter::try_new(Vec::new(), schema, Some(props)).unwrap();
        whole.write(&batch).unwrap();
        assert_eq!(ours, whole.into_inner().unwrap());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn row_groups_hold_every_row_in_order_and_the_bytes_do_not_depend_on_the_threads() {
        let dir = std::env::temp_dir().join(format!("sakip-write-columns-{}", std::process::id()));
        let one = write(&dir.join("one/part-0.parquet"), 1);
        let four = write(&dir.join("four/part-0.parquet"), 4);
        assert_eq!(one, four);

        let file = std::fs::File::open(dir.join("one/part-0.parquet")).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
        // 10 rows in groups of 4: 4 + 4 + 2.
        let groups: Vec<i64> = builder.metadata().row_groups().iter().map(|g| g.num_rows()).collect();
        assert_eq!(groups, [4, 4, 2]);
        let kv = builder.metadata().file_metadata().key_value_metadata().unwrap();
        assert!(kv.iter().any(|e| e.key == "k" && e.value.as_deref() == Some("v")));
        let (mut n, mut label, mut square) = (Vec::new(), Vec::new(), Vec::new());
        for batch in builder.build().unwrap() {
            let batch = batch.unwrap();
            let col = |i: usize| batch.column(i).clone();
            n.extend(col(0).as_any().downcast_ref::<Int64Array>().unwrap().iter().map(Option::unwrap));
            label.extend(col(1).as_any().downcast_ref::<StringArray>().unwrap().iter().map(|s| s.unwrap().to_string()));
            let sq = col(2);
            let sq = sq.as_any().downcast_ref::<Int64Array>().unwrap();
            square.extend((0..sq.len()).map(|i| sq.is_valid(i).then(|| sq.value(i))));
        }
        assert_eq!(n, (0..10).collect::<Vec<i64>>());
        assert_eq!(label[7], "row 7");
        assert_eq!(square, [Some(0), None, Some(4), None, Some(16), None, Some(36), None, Some(64), None]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn key_columns_carry_statistics_and_unsorted_ones_do_not() {
        // Rows of two provinces, 52 before 53, with answers in no order: a
        // reader looking for province 53 learns from the statistics that
        // the values run from 52 to 53; the answers' column says nothing.
        let dir = std::env::temp_dir().join(format!("sakip-write-columns-stats-{}", std::process::id()));
        let path = dir.join("part-0.parquet");
        let schema = Schema::new(vec![Field::new("province_code", DataType::Utf8, false), Field::new("answer", DataType::Utf8, true)]);
        let provinces = ["52", "52", "53", "53"];
        let answers = [Some("B"), None, Some("AA"), Some("C")];
        write_columns(&path, schema, 4, Vec::new(), |i, range| -> ArrayRef {
            match i {
                0 => Arc::new(StringArray::from_iter_values(provinces[range].iter())),
                _ => Arc::new(answers[range].iter().copied().collect::<StringArray>()),
            }
        })
        .unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).unwrap()).unwrap();
        let group = builder.metadata().row_group(0);
        let province = group.column(0).statistics().expect("province_code has statistics");
        assert_eq!(province.min_bytes_opt(), Some(&b"52"[..]));
        assert_eq!(province.max_bytes_opt(), Some(&b"53"[..]));
        assert!(group.column(1).statistics().is_none_or(|s| s.min_bytes_opt().is_none() && s.max_bytes_opt().is_none()), "answer has no min/max");
        // The rows themselves are all there.
        let batch = builder.build().unwrap().next().unwrap().unwrap();
        let read = batch.column(1).as_any().downcast_ref::<StringArray>().unwrap();
        assert_eq!((0..4).map(|i| read.is_valid(i).then(|| read.value(i))).collect::<Vec<_>>(), answers);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_string_column_given_as_keys_writes_the_same_file_and_reads_back_as_strings() {
        // The rows 52, 52, 53, 52 once as strings and once as keys into the
        // values ["53", "52"] (not in the order the rows meet them): the
        // writer meets the same values in the same order either way, so the
        // bytes are the same, and readers see the schema's strings.
        let dir = std::env::temp_dir().join(format!("sakip-write-columns-keys-{}", std::process::id()));
        let schema = || Schema::new(vec![Field::new("province_code", DataType::Utf8, false)]);
        let strings = dir.join("strings/part-0.parquet");
        let keyed = dir.join("keys/part-0.parquet");
        write_columns(&strings, schema(), 4, Vec::new(), |_, _| -> ArrayRef { Arc::new(StringArray::from_iter_values(["52", "52", "53", "52"])) }).unwrap();
        write_columns(&keyed, schema(), 4, Vec::new(), |_, _| keyed_texts(Int32Array::from(vec![1, 1, 0, 1]), StringArray::from_iter_values(["53", "52"]))).unwrap();
        assert_eq!(std::fs::read(&strings).unwrap(), std::fs::read(&keyed).unwrap());
        let builder = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&keyed).unwrap()).unwrap();
        assert_eq!(builder.schema().field(0).data_type(), &DataType::Utf8);
        let batch = builder.build().unwrap().next().unwrap().unwrap();
        let read = batch.column(0).as_any().downcast_ref::<StringArray>().expect("read back as strings");
        assert_eq!(read.iter().map(Option::unwrap).collect::<Vec<_>>(), ["52", "52", "53", "52"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn shared_texts_write_the_file_their_strings_write() {
        // Rows of two files, each with its own shared texts ("B" in both,
        // as two Arcs), nulls between, and more than the 16 texts looked up
        // by address: the file equals the one from a string per row.
        let file_a: Vec<Arc<str>> = ["B", "A"].map(Arc::from).to_vec();
        let file_b: Vec<Arc<str>> = (0..20).map(|i| Arc::from(format!("{}", (b'A' + i % 3) as char).repeat(1 + i as usize / 3))).collect();
        let mut rows: Vec<Option<&Arc<str>>> = Vec::new();
        for i in 0..200 {
            rows.push((i % 7 != 3).then(|| &file_a[i % 2]));
        }
        for i in 0..400 {
            rows.push((i % 5 != 0).then(|| &file_b[(i * 7) % 20]));
        }
        let dir = std::env::temp_dir().join(format!("sakip-write-columns-shared-{}", std::process::id()));
        let schema = || Schema::new(vec![Field::new("answer", DataType::Utf8, true)]);
        let (strings, shared) = (dir.join("strings/part-0.parquet"), dir.join("shared/part-0.parquet"));
        let texts: Vec<Option<&str>> = rows.iter().map(|r| r.map(|t| &**t)).collect();
        write_columns(&strings, schema(), rows.len(), Vec::new(), |_, range| -> ArrayRef { Arc::new(texts[range].iter().copied().collect::<StringArray>()) }).unwrap();
        write_columns(&shared, schema(), rows.len(), Vec::new(), |_, range| shared_texts(rows[range].iter().copied())).unwrap();
        assert_eq!(std::fs::read(&strings).unwrap(), std::fs::read(&shared).unwrap());
        let batch = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&shared).unwrap()).unwrap().build().unwrap().next().unwrap().unwrap();
        let read = batch.column(0).as_any().downcast_ref::<StringArray>().expect("read back as strings");
        assert_eq!(read.iter().collect::<Vec<_>>(), texts);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn an_empty_table_is_a_readable_file_without_row_groups() {
        let dir = std::env::temp_dir().join(format!("sakip-write-columns-empty-{}", std::process::id()));
        let path = dir.join("part-0.parquet");
        let schema = Schema::new(vec![Field::new("n", DataType::Int64, true)]);
        write_columns(&path, schema, 0, Vec::new(), |_, _| -> Column { unreachable!("no row group to build") }).unwrap();
        let builder = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).unwrap()).unwrap();
        assert_eq!(builder.metadata().num_row_groups(), 0);
        assert_eq!(builder.schema().field(0).name(), "n");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
