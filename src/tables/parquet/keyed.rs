//! A text column handed over as keys into its few values
//! ([`super::keyed_texts`]) encoded into a Parquet column chunk from the keys.
//!
//! arrow-rs's writer takes such a column row by row: it hashes each row's
//! text into its own dictionary again (a hash and a comparison per row) and
//! compares each row's text with the page's minimum and maximum so far. The
//! columns of `answers` that repeat a file's or a criterion's text are ten of
//! its seventeen, and that work was a fifth of a run's CPU. Here a row costs
//! a lookup of its key and a count; a page's minimum, maximum and byte total
//! come from the values the page uses.
//!
//! The chunk is the one arrow-rs writes, byte for byte: its page writer and
//! index builders, the same zstd compressor, and keys encoded with the run
//! choices of arrow-rs's RLE encoder ([`super::rle`]). The dictionary holds
//! the values in the order the rows first meet them; pages are cut where
//! arrow-rs cuts them (after the first mini-batch that brings a page to
//! `data_page_row_count_limit` rows); each page holds its definition levels
//! (a nullable column), then its keys at the bit width of the dictionary so
//! far; and the statistics, level histograms, page index and metadata are
//! those arrow-rs records. The tests compare the bytes with arrow-rs's.
//!
//! Where a column falls outside what this covers — a dictionary near the
//! dictionary page limit (arrow-rs would fall back to plain encoding),
//! values longer than the statistics' truncation length, nulls in a column
//! with statistics, every row null, settings other than the ones the
//! warehouse uses — [`encode`] returns `None` and the caller writes the
//! column with arrow-rs.

use std::collections::HashMap;

use arrow_array::{Array, Int32Array};
use bytes::Bytes;
use parquet::basic::{BoundaryOrder, Compression, Encoding, EncodingMask, LogicalType, PageType, Type};
use parquet::column::page::{CompressedPage, Page, PageWriter};
use parquet::column::writer::ColumnCloseResult;
use parquet::data_type::ByteArray;
use parquet::errors::Result;
use parquet::file::metadata::{ColumnChunkMetaData, ColumnIndexBuilder, LevelHistogram, OffsetIndexBuilder, PageEncodingStats};
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use parquet::file::statistics::{Statistics, ValueStatistics};
use parquet::file::writer::{SerializedPageWriter, TrackedWrite};
use parquet::schema::types::ColumnDescPtr;

use super::rle;

/// An encoded column chunk: its bytes, dictionary page first, and what
/// arrow-rs's column writer would have returned on closing it (offsets
/// relative to the chunk's start).
pub struct Chunk {
    pub bytes: Bytes,
    pub close: ColumnCloseResult,
}

/// The column chunk of `rows` rows whose texts are `values[keys[row]]` (a
/// null key: a null), or `None` where arrow-rs's writer must do it (see the
/// module's note). Every key must index `values`.
pub fn encode(descr: &ColumnDescPtr, props: &WriterProperties, keys: &Int32Array, values: &[&str]) -> Result<Option<Chunk>> {
    let nulls = keys.null_count();
    let Some(plan) = Plan::of(descr, props, keys.len(), nulls, Kind::Text) else { return Ok(None) };
    // Where rows are null, each row's level: 1 for a text, 0 for a null.
    let levels: Option<Vec<u32>> = keys.nulls().filter(|_| nulls > 0).map(|n| n.iter().map(u32::from).collect());
    let (dictionary, ids) = match &levels {
        // Every row: the keys as they lie (the common case, kept a loop
        // the compiler sees the length of).
        None => dictionary(keys.values().iter().copied(), values),
        Some(levels) => dictionary(keys.values().iter().zip(levels).filter(|(_, &level)| level == 1).map(|(&k, _)| k), values),
    };
    let dictionary_bytes = dictionary.iter().map(|t| 4 + t.len()).sum();
    let longest = dictionary.iter().map(|t| t.len()).max().unwrap_or(0);
    if !plan.covers(dictionary.len(), dictionary_bytes, longest, props) {
        return Ok(None);
    }
    plan.write(descr, props, Dictionary::Texts(&dictionary), &ids, levels.as_deref()).map(Some)
}

/// The column chunk of a 64-bit integer column without statistics (the
/// warehouse's values, points and source rows: [`super::UNSORTED`]) whose
/// rows are `values`, null where `nulls` says so, or `None` where arrow-rs's
/// writer must do it. arrow-rs interns each row's eight bytes into its
/// dictionary with a general-purpose hash; these columns hold a few dozen
/// distinct numbers, found here in a small table keyed by the number.
///
/// `array` is an `Int64` or a `Decimal128` of up to 18 digits (any other
/// type: `None`).
pub fn encode_ints(descr: &ColumnDescPtr, props: &WriterProperties, array: &dyn Array) -> Result<Option<Chunk>> {
    let nulls = array.null_count();
    let Some(plan) = Plan::of(descr, props, array.len(), nulls, Kind::Int64) else { return Ok(None) };
    let Some(values) = as_int64(array) else { return Ok(None) };
    // Where rows are null, each row's level: 1 for a number, 0 for a null.
    let levels: Option<Vec<u32>> = array.nulls().filter(|_| nulls > 0).map(|n| n.iter().map(u32::from).collect());
    let mut numbers = Numbers::default();
    let ids: Vec<u32> = match &levels {
        None => values.iter().map(|&v| numbers.id(v)).collect(),
        Some(levels) => values.iter().zip(levels).filter(|(_, &level)| level == 1).map(|(&v, _)| numbers.id(v)).collect(),
    };
    if !plan.covers(numbers.distinct.len(), 8 * numbers.distinct.len(), 0, props) {
        return Ok(None);
    }
    plan.write(descr, props, Dictionary::Ints(&numbers.distinct), &ids, levels.as_deref()).map(Some)
}

/// Each row of `array` as the 64-bit integer arrow-rs writes for it: an
/// `Int64` as it is, a `Decimal128` of up to 18 digits truncated to 64 bits
/// (as arrow-rs casts it); `None` for any other type.
fn as_int64(array: &dyn Array) -> Option<std::borrow::Cow<'_, [i64]>> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Decimal128Type, Int64Type};
    use std::borrow::Cow;
    match array.data_type() {
        arrow_schema::DataType::Int64 => Some(Cow::Borrowed(array.as_primitive::<Int64Type>().values().as_ref())),
        arrow_schema::DataType::Decimal128(precision, _) if *precision <= 18 => Some(Cow::Owned(array.as_primitive::<Decimal128Type>().values().iter().map(|&v| v as i64).collect())),
        _ => None,
    }
}

/// The distinct numbers of a column in the order rows first meet them, and
/// an open-addressing table from a number to its place among them.
#[derive(Default)]
struct Numbers {
    distinct: Vec<i64>,
    /// Slots of (number, its id + 1), 0 for an empty slot; a power of two
    /// long, at most half full.
    slots: Vec<(i64, u32)>,
}

impl Numbers {
    /// The id of `value`, numbering it if it is new.
    fn id(&mut self, value: i64) -> u32 {
        if self.distinct.len() * 2 >= self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = Self::hash(value) & mask;
        loop {
            match self.slots[i] {
                (v, id) if id != 0 && v == value => return id - 1,
                (_, 0) => {
                    self.distinct.push(value);
                    let id = self.distinct.len() as u32;
                    self.slots[i] = (value, id);
                    return id - 1;
                }
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn hash(value: i64) -> usize {
        ((value as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize
    }

    fn grow(&mut self) {
        let len = (self.slots.len() * 2).max(64);
        self.slots = vec![(0, 0); len];
        for (id, &value) in self.distinct.iter().enumerate() {
            let mut i = Self::hash(value) & (len - 1);
            while self.slots[i].1 != 0 {
                i = (i + 1) & (len - 1);
            }
            self.slots[i] = (value, id as u32 + 1);
        }
    }
}

/// What kind of column [`Plan::of`] is asked about.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A flat UTF-8 text column.
    Text,
    /// A flat 64-bit integer column (a decimal of up to 18 digits is one),
    /// covered without statistics only.
    Int64,
}

/// A chunk's dictionary, in the order the rows first meet its values.
enum Dictionary<'a> {
    Texts(&'a [&'a str]),
    Ints(&'a [i64]),
}

impl Dictionary<'_> {
    fn len(&self) -> usize {
        match self {
            Dictionary::Texts(texts) => texts.len(),
            Dictionary::Ints(numbers) => numbers.len(),
        }
    }

    /// The dictionary page's values, plain-encoded.
    fn plain(&self) -> Vec<u8> {
        match self {
            Dictionary::Texts(texts) => {
                let mut plain = Vec::with_capacity(texts.iter().map(|t| 4 + t.len()).sum());
                for text in *texts {
                    plain.extend_from_slice(&(text.len() as u32).to_le_bytes());
                    plain.extend_from_slice(text.as_bytes());
                }
                plain
            }
            Dictionary::Ints(numbers) => numbers.iter().flat_map(|n| n.to_le_bytes()).collect(),
        }
    }
}

/// The distinct texts in the order the rows first meet them (as arrow-rs's
/// interner numbers them), and each row's number among them, for the rows
/// of `keys` that are not null. Keys are looked up in `values` once each:
/// several keys may name the same text.
fn dictionary<'v>(keys: impl Iterator<Item = i32>, values: &[&'v str]) -> (Vec<&'v str>, Vec<u32>) {
    const UNSEEN: u32 = u32::MAX;
    let mut of_key = vec![UNSEEN; values.len()];
    let mut of_text: HashMap<&str, u32> = HashMap::new();
    let mut distinct = Vec::new();
    let ids = keys
        .map(|k| {
            let id = &mut of_key[k as usize];
            if *id == UNSEEN {
                let text = values[k as usize];
                *id = *of_text.entry(text).or_insert_with(|| {
                    distinct.push(text);
                    (distinct.len() - 1) as u32
                });
            }
            *id
        })
        .collect();
    (distinct, ids)
}

/// The settings a chunk is written with, when they are ones this module
/// reproduces.
struct Plan {
    /// Rows per data page but the last.
    page_rows: usize,
    codec: Compression,
    dictionary_page_limit: usize,
    data_page_limit: usize,
    /// Page statistics and the column index (the warehouse's key columns),
    /// or no statistics at all ([`super::UNSORTED`]).
    statistics: bool,
    /// A nullable column: each page starts with its definition levels, and
    /// the statistics count them.
    nullable: bool,
}

impl Plan {
    /// The plan for a column of `rows` rows, `nulls` of them null. A column
    /// with nulls is covered only without statistics (the warehouse's
    /// answers): arrow-rs's null pages in the column index are not
    /// reproduced here.
    fn of(descr: &ColumnDescPtr, props: &WriterProperties, rows: usize, nulls: usize, kind: Kind) -> Option<Plan> {
        let path = descr.path();
        let flat = descr.max_def_level() <= 1 && descr.max_rep_level() == 0;
        let flat_of_kind = flat
            && match kind {
                Kind::Text => descr.physical_type() == Type::BYTE_ARRAY && descr.logical_type_ref() == Some(&LogicalType::String),
                Kind::Int64 => descr.physical_type() == Type::INT64 && props.statistics_enabled(path) == EnabledStatistics::None,
            };
        let settings = props.dictionary_enabled(path)
            && props.encoding(path).is_none()
            && matches!(props.statistics_enabled(path), EnabledStatistics::Page | EnabledStatistics::None)
            && !props.write_page_header_statistics(path)
            && props.bloom_filter_properties(path).is_none()
            && props.writer_version() == WriterVersion::PARQUET_1_0
            && props.content_defined_chunking().is_none()
            && !props.offset_index_disabled();
        let compressed = matches!(props.compression(path), Compression::ZSTD(_) | Compression::UNCOMPRESSED);
        let statistics = props.statistics_enabled(path) == EnabledStatistics::Page;
        let nulls_covered = nulls == 0 || (descr.max_def_level() == 1 && !statistics && nulls < rows);
        if !flat_of_kind || !settings || !compressed || !nulls_covered || rows == 0 {
            return None;
        }
        // arrow-rs hands a flat column to its encoder in mini-batches and
        // closes the page after the first one that brings it to the row
        // limit. Mini-batches are `write_batch_size` rows, but for a
        // nullable column without nulls, whose levels are all one value:
        // those go in mini-batches of the row limit itself.
        let nullable = descr.max_def_level() == 1;
        let limit = props.column_data_page_row_count_limit(path).max(1);
        let batch = if nullable && nulls == 0 { limit } else { props.write_batch_size().max(1) };
        Some(Plan {
            page_rows: limit.div_ceil(batch) * batch,
            codec: props.compression(path),
            dictionary_page_limit: props.column_dictionary_page_size_limit(path),
            data_page_limit: props.column_data_page_size_limit(path),
            statistics,
            nullable,
        })
    }

    /// Whether arrow-rs writes this dictionary the way [`Plan::write`] does:
    /// it keeps to dictionary encoding (the plain-encoded dictionary stays
    /// under the dictionary page limit, checked after every mini-batch), no
    /// page is cut for its byte size (estimated at the bit width so far, at
    /// most the final one), and no minimum or maximum is truncated (there
    /// are none without statistics).
    fn covers(&self, distinct: usize, dictionary_bytes: usize, longest: usize, props: &WriterProperties) -> bool {
        let truncates = |limit: Option<usize>| self.statistics && limit.is_some_and(|l| longest > l);
        let widest_page = 1 + rle::max_size(bit_width(distinct), self.page_rows);
        dictionary_bytes < self.dictionary_page_limit
            && widest_page < self.data_page_limit
            && !truncates(props.statistics_truncate_length())
            && !truncates(props.column_index_truncate_length())
    }

    /// Writes the dictionary page, then each data page, and what arrow-rs
    /// records of them. `ids` are the texts' numbers of the rows that are
    /// not null; `levels` each row's definition level where some are null.
    fn write(&self, descr: &ColumnDescPtr, props: &WriterProperties, dictionary: Dictionary<'_>, ids: &[u32], levels: Option<&[u32]>) -> Result<Chunk> {
        let level = match self.codec {
            Compression::ZSTD(level) => Some(level.compression_level()),
            _ => None,
        };
        let compress = |raw: Vec<u8>| -> Result<Vec<u8>> {
            match level {
                None => Ok(raw),
                Some(level) => zstd_compress(level, &raw),
            }
        };
        let mut sink = TrackedWrite::new(Vec::new());
        let mut pages = SerializedPageWriter::new(&mut sink);
        let (mut compressed, mut uncompressed) = (0i64, 0i64);

        let plain = dictionary.plain();
        let plain_len = plain.len();
        let page = Page::DictionaryPage {
            buf: Bytes::from(compress(plain)?),
            num_values: dictionary.len() as u32,
            encoding: props.dictionary_page_encoding(),
            is_sorted: false,
        };
        let spec = pages.write_page(CompressedPage::new(page, plain_len))?;
        let dictionary_len = spec.compressed_size as i64;
        compressed += spec.compressed_size as i64;
        uncompressed += spec.uncompressed_size as i64;

        let mut column_index = ColumnIndexBuilder::new(Type::BYTE_ARRAY);
        let mut offset_index = OffsetIndexBuilder::new();
        let (mut ascending, mut descending) = (true, true);
        let mut last: Option<(&str, &str)> = None;
        let mut chunk: Option<(&str, &str)> = None;
        let mut text_bytes = 0i64;
        let mut known = 0usize;
        let mut counts = vec![0u32; dictionary.len()];
        let mut data_pages = 0;
        let mut chunk_levels: Option<LevelHistogram> = None;
        let total_rows = levels.map_or(ids.len(), <[u32]>::len);
        let mut next_id = 0;
        for start in (0..total_rows).step_by(self.page_rows) {
            let end = total_rows.min(start + self.page_rows);
            let page_levels = levels.map(|l| &l[start..end]);
            let texts = page_levels.map_or(end - start, |l| l.iter().filter(|&&l| l == 1).count());
            let rows = &ids[next_id..next_id + texts];
            next_id += texts;
            counts.iter_mut().for_each(|c| *c = 0);
            for &id in rows {
                counts[id as usize] += 1;
                known = known.max(id as usize + 1);
            }
            // The page's text bytes, minimum and maximum, from the values it
            // uses (a page of nulls has none: its minimum and maximum are
            // only asked for with statistics, when there are no nulls).
            // Numbers have no text bytes, and no statistics here.
            let (bytes, min, max) = match dictionary {
                Dictionary::Texts(texts) => {
                    let used = || counts.iter().enumerate().filter(|(_, &c)| c > 0).map(|(id, &c)| (texts[id], c));
                    let bytes: i64 = used().map(|(text, c)| text.len() as i64 * i64::from(c)).sum();
                    (Some(bytes), used().map(|(text, _)| text).min().unwrap_or_default(), used().map(|(text, _)| text).max().unwrap_or_default())
                }
                Dictionary::Ints(_) => (None, "", ""),
            };
            text_bytes += bytes.unwrap_or(0);
            // With statistics there are no nulls: every row is at level 1.
            let histogram = self.nullable.then(|| present(rows.len()));
            if self.statistics {
                chunk = Some(chunk.map_or((min, max), |(lo, hi)| (lo.min(min), hi.max(max))));
                if let Some((last_min, last_max)) = last {
                    ascending &= !(last_min > min || last_max > max);
                    descending &= !(min > last_min || max > last_max);
                }
                last = Some((min, max));
                column_index.append(false, min.as_bytes().to_vec(), max.as_bytes().to_vec(), 0, None);
                column_index.append_histograms(&None, &histogram);
                if let Some(histogram) = &histogram {
                    chunk_levels.get_or_insert_with(|| present(0)).add(histogram);
                }
            }
            offset_index.append_row_count((end - start) as i64);
            offset_index.append_unencoded_byte_array_data_bytes(bytes);

            // The definition levels after their length (all present: a
            // repeated run of ones), then the keys at the bit width of the
            // dictionary so far.
            let width = bit_width(known);
            let mut raw = Vec::with_capacity(1 + rle::max_size(width, rows.len()) + 16);
            if self.nullable {
                let encoded = match page_levels {
                    Some(levels) => rle::encode(levels, 1, Vec::new()),
                    None => rle::encode(&vec![1; rows.len()], 1, Vec::new()),
                };
                raw.extend_from_slice(&(encoded.len() as u32).to_le_bytes());
                raw.extend_from_slice(&encoded);
            }
            raw.push(width);
            let raw = rle::encode(rows, width, raw);
            let raw_len = raw.len();
            let page = Page::DataPage {
                buf: Bytes::from(compress(raw)?),
                num_values: (end - start) as u32,
                encoding: Encoding::RLE_DICTIONARY,
                def_level_encoding: Encoding::RLE,
                rep_level_encoding: Encoding::RLE,
                statistics: None,
            };
            let spec = pages.write_page(CompressedPage::new(page, raw_len))?;
            offset_index.append_offset_and_size(spec.offset as i64, spec.compressed_size as i32);
            compressed += spec.compressed_size as i64;
            uncompressed += spec.uncompressed_size as i64;
            data_pages += 1;
        }
        pages.close()?;
        drop(pages);

        let encodings = [Encoding::RLE, props.dictionary_page_encoding(), Encoding::RLE_DICTIONARY];
        let metadata = ColumnChunkMetaData::builder(descr.clone())
            .set_compression(self.codec)
            .set_encodings_mask(EncodingMask::new_from_encodings(encodings.iter()))
            .set_page_encoding_stats(vec![
                PageEncodingStats { page_type: PageType::DICTIONARY_PAGE, encoding: props.dictionary_page_encoding(), count: 1 },
                PageEncodingStats { page_type: PageType::DATA_PAGE, encoding: Encoding::RLE_DICTIONARY, count: data_pages },
            ])
            .set_total_compressed_size(compressed)
            .set_total_uncompressed_size(uncompressed)
            .set_num_values(total_rows as i64)
            .set_data_page_offset(dictionary_len)
            .set_dictionary_page_offset(Some(0));
        let metadata = match chunk {
            Some((min, max)) => {
                let statistics = ValueStatistics::<ByteArray>::new(Some(min.as_bytes().to_vec().into()), Some(max.as_bytes().to_vec().into()), None, Some(0), false);
                metadata
                    .set_statistics(Statistics::ByteArray(statistics))
                    .set_unencoded_byte_array_data_bytes(Some(text_bytes))
                    .set_definition_level_histogram(chunk_levels)
            }
            None => metadata,
        }
        .build()?;
        column_index.set_boundary_order(match (ascending, descending) {
            (true, _) => BoundaryOrder::ASCENDING,
            (false, true) => BoundaryOrder::DESCENDING,
            (false, false) => BoundaryOrder::UNORDERED,
        });
        let bytes_written = sink.bytes_written() as u64;
        let close = ColumnCloseResult {
            bytes_written,
            rows_written: total_rows as u64,
            metadata,
            bloom_filter: None,
            column_index: if self.statistics { Some(column_index.build()?) } else { None },
            offset_index: Some(offset_index.build()),
        };
        Ok(Chunk { bytes: Bytes::from(sink.into_inner()?), close })
    }
}

thread_local! {
    /// This thread's zstd compressor and its level. arrow-rs makes one per
    /// column chunk; making one costs more than compressing a small page,
    /// and a compressor's output depends only on its level, not on what it
    /// compressed before (each call is a frame of its own).
    static ZSTD: std::cell::RefCell<Option<(i32, zstd::bulk::Compressor<'static>)>> = const { std::cell::RefCell::new(None) };
}

/// `raw` compressed at zstd `level`, as arrow-rs's codec compresses a page.
fn zstd_compress(level: i32, raw: &[u8]) -> Result<Vec<u8>> {
    ZSTD.with_borrow_mut(|slot| {
        if !slot.as_ref().is_some_and(|(l, _)| *l == level) {
            *slot = Some((level, zstd::bulk::Compressor::new(level)?));
        }
        let (_, compressor) = slot.as_mut().expect("made above");
        Ok(compressor.compress(raw)?)
    })
}

/// The definition level histogram of `rows` rows all present (level 1).
fn present(rows: usize) -> LevelHistogram {
    let mut histogram = LevelHistogram::try_new(1).expect("level 1 has a histogram");
    histogram.increment_by(1, rows as i64);
    histogram
}

/// Bits per key for a dictionary of `len` values (arrow-rs's
/// `num_required_bits(len - 1)`).
fn bit_width(len: usize) -> u8 {
    (64 - (len.saturating_sub(1) as u64).leading_zeros()) as u8
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, StringArray};
    use arrow_schema::{DataType, Field, Schema};
    use parquet::arrow::ArrowSchemaConverter;

    use super::*;

    /// A small generator of test data (xorshift), so the cases are the same
    /// on every run.
    struct Noise(u64);

    impl Noise {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    /// The file of one column `name` with `rows[i]` as row i's text,
    /// written by arrow-rs from a string array and from keys into
    /// `values`: (arrow-rs's bytes, the keyed bytes, whether this module
    /// wrote the keyed column).
    fn both(name: &str, values: &[&str], keys: &[i32], case: &str) -> (Vec<u8>, Vec<u8>, bool) {
        both_nullable(name, false, values, keys, case)
    }

    /// [`both`] for a column that is nullable or not.
    fn both_nullable(name: &str, nullable: bool, values: &[&str], keys: &[i32], case: &str) -> (Vec<u8>, Vec<u8>, bool) {
        written_both(name, nullable, values, &keys.iter().map(|&k| Some(k)).collect::<Vec<_>>(), case)
    }

    /// [`both`] for a nullable column without statistics with null rows:
    /// `keys[row]` of `None` is a null.
    fn both_with_nulls(values: &[&str], keys: &[Option<i32>], case: &str) -> (Vec<u8>, Vec<u8>, bool) {
        written_both("answer", true, values, keys, case)
    }

    /// The file of one column `name` with `values[keys[row]]` as row i's
    /// text (`None` a null), from a string array and from keys.
    fn written_both(name: &str, nullable: bool, values: &[&str], keys: &[Option<i32>], case: &str) -> (Vec<u8>, Vec<u8>, bool) {
        let dir = std::env::temp_dir().join(format!("sakip-keyed-{}-{case}", std::process::id()));
        let schema = || Schema::new(vec![Field::new(name, DataType::Utf8, nullable)]);
        let (strings, keyed) = (dir.join("strings.parquet"), dir.join("keyed.parquet"));
        crate::tables::write_columns(&strings, schema(), keys.len(), Vec::new(), |_, range| -> ArrayRef {
            Arc::new(keys[range].iter().map(|k| k.map(|k| values[k as usize])).collect::<StringArray>())
        })
        .unwrap();
        crate::tables::write_columns(&keyed, schema(), keys.len(), Vec::new(), |_, range| {
            crate::tables::keyed_texts(keys[range].iter().copied().collect(), StringArray::from_iter_values(values.iter()))
        })
        .unwrap();
        let descr = ArrowSchemaConverter::new().convert(&schema()).unwrap().column(0);
        let props = super::super::properties(&schema(), Vec::new());
        let ours = encode(&descr, &props, &keys.iter().copied().collect(), values).unwrap().is_some();
        let read = |p: &std::path::Path| std::fs::read(p).unwrap();
        let out = (read(&strings), read(&keyed), ours);
        std::fs::remove_dir_all(&dir).unwrap();
        out
    }

    /// The file of one nullable 64-bit column `name` of type `t` (`Int64`
    /// or a decimal) with `rows[i]` as row i's number, written by arrow-rs
    /// from the array and through [`crate::tables::numbers`]: (arrow-rs's
    /// bytes, the other bytes, whether [`encode_ints`] wrote the column).
    fn numbers_both(name: &str, t: DataType, rows: &[Option<i64>], case: &str) -> (Vec<u8>, Vec<u8>, bool) {
        use arrow_array::{Decimal128Array, Int64Array};
        let dir = std::env::temp_dir().join(format!("sakip-numbers-{}-{case}", std::process::id()));
        let schema = || Schema::new(vec![Field::new(name, t.clone(), true)]);
        let array = |range: std::ops::Range<usize>| -> ArrayRef {
            match &t {
                DataType::Int64 => Arc::new(rows[range].iter().copied().collect::<Int64Array>()),
                DataType::Decimal128(p, s) => Arc::new(rows[range].iter().map(|v| v.map(i128::from)).collect::<Decimal128Array>().with_precision_and_scale(*p, *s).unwrap()),
                other => unreachable!("{other}"),
            }
        };
        let (plain, ours) = (dir.join("arrow.parquet"), dir.join("numbers.parquet"));
        crate::tables::write_columns(&plain, schema(), rows.len(), Vec::new(), |_, range| array(range)).unwrap();
        crate::tables::write_columns(&ours, schema(), rows.len(), Vec::new(), |_, range| crate::tables::Column::Numbers(array(range))).unwrap();
        let descr = ArrowSchemaConverter::new().convert(&schema()).unwrap().column(0);
        let props = super::super::properties(&schema(), Vec::new());
        let used = encode_ints(&descr, &props, &array(0..rows.len())).unwrap().is_some();
        let read = |p: &std::path::Path| std::fs::read(p).unwrap();
        let out = (read(&plain), read(&ours), used);
        std::fs::remove_dir_all(&dir).unwrap();
        out
    }

    #[test]
    fn number_columns_give_arrow_rs_bytes() {
        // answers.value and criterion_scores' figures in millionths (a
        // decimal of 18 digits, stored as 64-bit integers), answers'
        // source_row (Int64): no statistics, nulls where a criterion is
        // missing. Cases: a scale's few values over three pages with nulls
        // here and there, no nulls, a page of nulls, a row number that
        // grows every row (a dictionary of 50,000), negative numbers and
        // the extremes of 64 bits, whose hashes must not collide into
        // wrong ids.
        let scale = [100_000_000i64, 90_000_000, 80_000_000, 70_000_000, 60_000_000, 50_000_000, 30_000_000, 0];
        let mut noise = Noise(7);
        let scattered: Vec<Option<i64>> = (0..50_000).map(|_| (noise.below(12) > 0).then(|| scale[noise.below(8)])).collect();
        let full: Vec<Option<i64>> = (0..45_000).map(|r| Some(scale[(r / 7) % 8])).collect();
        let null_page: Vec<Option<i64>> = (0..50_000).map(|r| (!(20_480..40_960).contains(&r)).then_some(scale[r % 8])).collect();
        let growing: Vec<Option<i64>> = (0..50_000).map(|r| (r % 81 != 0).then_some(r as i64 + 2)).collect();
        let extremes = [i64::MIN, i64::MAX, -1, 0, 1, -333_333, 666_667, 1 << 32, (1 << 32) + 1];
        let odd: Vec<Option<i64>> = (0..30_000).map(|_| (noise.below(5) > 0).then(|| extremes[noise.below(extremes.len())])).collect();
        let millionths = DataType::Decimal128(18, 6);
        for (case, name, t, rows) in [
            ("value", "value", millionths.clone(), &scattered),
            ("points-full", "points", millionths.clone(), &full),
            ("value-null-page", "value", millionths.clone(), &null_page),
            ("source-row", "source_row", DataType::Int64, &growing),
            ("extremes", "source_row", DataType::Int64, &odd),
        ] {
            let (arrow, ours, used) = numbers_both(name, t, rows, case);
            assert!(used, "{case}: written from sakip's dictionary");
            assert!(arrow == ours, "{case}: the bytes differ from arrow-rs's");
        }
        // A column with statistics (the score tables' key columns) is left
        // to arrow-rs, and the bytes are the same as ever.
        let (arrow, ours, used) = numbers_both("year", DataType::Int64, &full, "statistics");
        assert!(!used, "a column with statistics is arrow-rs's");
        assert!(arrow == ours);
    }

    #[test]
    fn the_chunk_is_the_one_arrow_rs_writes() {
        let provinces = ["11", "12", "13", "51", "52", "53", "71", "91"];
        // One page, rows in runs of 80 ascending (keys name each text once).
        let sorted: Vec<i32> = (0..600).map(|r| (r / 80) as i32).collect();
        // Three pages (20,480 + 20,480 + 9,040 rows), ascending.
        let long: Vec<i32> = (0..50_000).map(|r| (r * 8 / 50_000) as i32).collect();
        // Descending across pages.
        let falling: Vec<i32> = long.iter().map(|k| 7 - k).collect();
        let mut noise = Noise(0x5eed);
        // No order, across three pages.
        let scattered: Vec<i32> = (0..45_000).map(|_| noise.below(8) as i32).collect();
        for (case, keys) in [("sorted", &sorted), ("long", &long), ("falling", &falling), ("scattered", &scattered)] {
            let (arrow, ours, used) = both("province_code", &provinces, keys, case);
            assert!(used, "{case}: written from the keys");
            assert!(arrow == ours, "{case}: the bytes differ from arrow-rs's");
        }
    }

    #[test]
    fn the_dictionary_is_numbered_as_rows_meet_the_texts_whatever_the_keys() {
        // Keys 3 and 0 name the same text, key 2 is never used, and the
        // first page meets two texts (one bit a key) while the second meets
        // five more (three bits): arrow-rs numbers texts, not keys, in the
        // order rows meet them, and widens the keys page by page.
        let values = ["Kota Kupang", "Kabupaten Alor", "unused", "Kota Kupang", "Kabupaten Belu", "Kabupaten Ende", "Kabupaten Flores Timur", "Kabupaten Lembata", "Kabupaten Rote Ndao"];
        let mut noise = Noise(42);
        let keys: Vec<i32> =
            (0..30_000).map(|r| if r < 20_480 { [0, 1, 3][noise.below(3)] } else { [4, 5, 6, 7, 8, 3][noise.below(6)] }).collect();
        let (arrow, ours, used) = both("unit_name", &values, &keys, "numbered");
        assert!(used);
        assert!(arrow == ours, "the bytes differ from arrow-rs's");
    }

    #[test]
    fn runs_of_every_length_over_dictionaries_of_every_size_give_arrow_rs_bytes() {
        // Twelve columns of runs of 1 to 20 rows (runs shorter than the
        // eight keys of a repeated run, and partial groups at page ends),
        // from dictionaries of 1 to 300 texts (key widths 0 to 9 bits).
        let texts: Vec<String> = (0..300).map(|i| format!("{:03}-{}", (i * 37) % 300, "k".repeat(i % 5))).collect();
        let mut noise = Noise(7);
        for case in 0..12 {
            let size = 1 + noise.below(300);
            let values: Vec<&str> = texts[..size].iter().map(String::as_str).collect();
            let rows = 2_000 + noise.below(43_000);
            let mut keys = Vec::with_capacity(rows);
            while keys.len() < rows {
                let key = noise.below(size) as i32;
                let run = 1 + noise.below(20);
                keys.extend(std::iter::repeat_n(key, run.min(rows - keys.len())));
            }
            let (arrow, ours, used) = both("criterion", &values, &keys, &format!("runs-{case}"));
            assert!(used, "case {case}");
            assert!(arrow == ours, "case {case}: {size} texts, {rows} rows: the bytes differ from arrow-rs's");
        }
    }

    #[test]
    fn nullable_columns_and_columns_without_statistics_give_arrow_rs_bytes() {
        // The score tables' columns are nullable (without a null in a keyed
        // one): pages start with their definition levels and are cut at
        // 20,000 rows, not 20,480. criterion_name keeps no statistics, so
        // its texts may be longer than statistics would keep.
        let names: Vec<String> = (0..80).map(|i| format!("Kriteria {i}: {}", "dokumen perencanaan kinerja ".repeat(1 + i % 4))).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut noise = Noise(99);
        let keys: Vec<i32> = (0..65_000).map(|r| ((r / 3) % 80) as i32).collect();
        let units: Vec<i32> = (0..65_000).map(|r| (r / 880) as i32).collect();
        let unit_codes: Vec<String> = (0..80).map(|u| format!("53{:02}", u)).collect();
        let unit_codes: Vec<&str> = unit_codes.iter().map(String::as_str).collect();
        let shuffled: Vec<i32> = (0..30_000).map(|_| noise.below(80) as i32).collect();
        for (case, name, nullable, values, keys) in [
            ("criterion-name", "criterion_name", true, &names, &keys),
            ("criterion-name-required", "criterion_name", false, &names, &shuffled),
            ("unit-nullable", "unit_code", true, &unit_codes, &units),
            ("unit-nullable-shuffled", "unit_code", true, &unit_codes, &shuffled),
        ] {
            let (arrow, ours, used) = both_nullable(name, nullable, values, keys, case);
            assert!(used, "{case}: written from the keys");
            assert!(arrow == ours, "{case}: the bytes differ from arrow-rs's");
        }
    }

    #[test]
    fn a_column_with_nulls_gives_arrow_rs_bytes() {
        // answers.answer: a few texts, null where a criterion is missing
        // (pages of 20,480 rows, their levels packed or in runs). Cases: a
        // null here and there, runs of nulls, a whole page of nulls (its
        // keys an empty run), nulls first, and a dictionary that grows
        // after a page of nulls.
        let values = ["A", "B", "C", "D", "E", "Y", "T"];
        let mut noise = Noise(3);
        let scattered: Vec<Option<i32>> = (0..50_000).map(|_| (noise.below(10) > 0).then(|| noise.below(7) as i32)).collect();
        let runs: Vec<Option<i32>> = (0..50_000).map(|r| ((r / 37) % 3 != 0).then_some(((r / 5) % 7) as i32)).collect();
        let null_page: Vec<Option<i32>> = (0..60_000).map(|r| (!(20_480..40_960).contains(&r)).then_some(if r < 20_480 { (r % 2) as i32 } else { (r % 7) as i32 })).collect();
        let nulls_first: Vec<Option<i32>> = (0..1_000).map(|r| (r >= 300).then_some((r % 4) as i32)).collect();
        for (case, keys) in [("scattered", &scattered), ("runs", &runs), ("null-page", &null_page), ("nulls-first", &nulls_first)] {
            let (arrow, ours, used) = both_with_nulls(&values, keys, case);
            assert!(used, "{case}: written from the keys");
            assert!(arrow == ours, "{case}: the bytes differ from arrow-rs's");
        }
        // Every row null is left to arrow-rs (its levels are one run, and it
        // writes an empty dictionary).
        let (arrow, ours, used) = both_with_nulls(&values, &[None; 50], "all-null");
        assert!(!used);
        assert!(arrow == ours);
    }

    #[test]
    fn a_column_outside_what_is_reproduced_is_left_to_arrow_rs() {
        // A text longer than the 64 bytes statistics keep: arrow-rs
        // truncates the maximum, so the keyed path declines, and the file
        // is still the one arrow-rs writes.
        let long = "x".repeat(65);
        let values = ["short", long.as_str()];
        let keys: Vec<i32> = (0..100).map(|r| r % 2).collect();
        let (arrow, ours, used) = both("source_file", &values, &keys, "long-text");
        assert!(!used, "declined");
        assert!(arrow == ours);
    }
}
