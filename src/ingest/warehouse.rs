//! The schema and columns of `answers` and `rejects`, written with arrow-rs
//! through [`crate::tables::write_columns`].
//!
//! The Parquet files and their schema are the contract with every later
//! stage and outside reader (DuckDB, pyarrow, Spark), so the schema is fixed
//! here in one place and documented in the README. Files are written
//! deterministically: rows sorted, no timestamps, the same writer settings
//! every time, so the same inbox gives byte-identical files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use arrow_array::{ArrayRef, Decimal128Array, Int32Array, Int64Array, StringArray};
use arrow_schema::{DataType, Field, Schema};
use parquet::file::metadata::KeyValue;

use crate::error::Result;
use crate::ingest::records::{AnswerFile, AnswerRecord};
use crate::worksheet::Track;
use crate::rejects::RejectRecord;
use crate::rules::rubric::Rubric;
use crate::tables::Column;

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

/// Writes one year of answers, already sorted, with the rubric and the
/// source files' hashes (`hashes`, by file) in the file's key-value
/// metadata: the files the rows are from, by name.
pub fn write_answers(path: &Path, rows: &[&AnswerRecord], rubric: &Rubric, hashes: &BTreeMap<String, String>) -> Result<()> {
    let keys = Keys::of(rows);
    // The rows' files, each once: from the files the keys found, not from
    // every row (a year's 80,000 rows hold some 550 files).
    let sources: BTreeSet<&str> = keys.files.iter().map(|f| f.source_file.as_str()).collect();
    let sources_json = serde_json::to_string(
        &sources.into_iter().map(|f| serde_json::json!({ "file": f, "sha256": hashes.get(f).cloned().unwrap_or_default() })).collect::<Vec<_>>(),
    )
    .expect("JSON of strings");
    let metadata =
        vec![KeyValue::new("sakip.rubric".to_string(), rubric.id.clone()), KeyValue::new("sakip.source_files".to_string(), sources_json)];
    let labels = Labels::of(rubric);
    crate::tables::write_columns(path, answers_schema(), rows.len(), metadata, |column, range| {
        answers_column(column, &rows[range.clone()], &keys.rows[range], &keys.files, &labels, keys.any)
    })
}

/// What locates each row without reading the record itself: its file (an
/// index into `files`), track and criterion. Eleven of the 17 columns are
/// built from these few bytes per row and the file's shared part; building
/// every column from the records (some 150 bytes each, reached through a
/// pointer) was bound by memory reads.
struct Keys<'a> {
    files: Vec<&'a AnswerFile>,
    rows: Vec<RowKey>,
    /// Whether any row has a sheet, notes, evidence: a column none has is
    /// all nulls, written without reading the records again (a CSV inbox
    /// has none of the three).
    any: Optional,
}

/// Which of the optional texts of [`AnswerRecord`] some row has.
#[derive(Clone, Copy, Default)]
struct Optional {
    sheet: bool,
    notes: bool,
    evidence: bool,
}

#[derive(Clone, Copy)]
struct RowKey {
    file: u32,
    criterion: u32,
    track: Track,
}

impl<'a> Keys<'a> {
    fn of(rows: &[&'a AnswerRecord]) -> Keys<'a> {
        let mut files: Vec<&'a AnswerFile> = Vec::new();
        let mut last: Option<&Arc<AnswerFile>> = None;
        let mut any = Optional::default();
        let keys = rows
            .iter()
            .map(|r| {
                if !last.is_some_and(|l| Arc::ptr_eq(l, &r.file)) {
                    files.push(&r.file);
                    last = Some(&r.file);
                }
                if let Some(extra) = &r.extra {
                    any.sheet |= extra.source_sheet.is_some();
                    any.notes |= extra.notes.is_some();
                    any.evidence |= extra.evidence.is_some();
                }
                RowKey { file: (files.len() - 1) as u32, criterion: r.criterion_index as u32, track: r.track }
            })
            .collect();
        Keys { files, rows: keys, any }
    }
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
}

/// Column `index` of [`answers_schema`] for `rows`, whose keys are `keys`.
fn answers_column(index: usize, rows: &[&AnswerRecord], keys: &[RowKey], files: &[&AnswerFile], labels: &Labels<'_>, any: Optional) -> Column {
    let text = |some: bool, f: &dyn Fn(&AnswerRecord) -> Option<&str>| -> Column {
        if some {
            Column::array(rows.iter().map(|r| f(r)).collect::<StringArray>())
        } else {
            Column::array(StringArray::new_null(rows.len()))
        }
    };
    // The per-file and per-criterion columns are handed over as keys into
    // the few distinct values ([`crate::tables::keyed_texts`]) rather than
    // one string per row: the file is the same, without a full string array
    // built first or its texts hashed row by row.
    let of_file = |f: &dyn Fn(&AnswerFile) -> &str| -> Column {
        let first = keys.first().map_or(0, |k| k.file);
        let last = keys.last().map_or(0, |k| k.file + 1);
        let values = StringArray::from_iter_values(files[first as usize..last as usize].iter().map(|file| f(file)));
        crate::tables::keyed_texts(keys.iter().map(|k| (k.file - first) as i32).collect(), values)
    };
    let label = |level: usize| -> Column { crate::tables::keyed_texts(keys.iter().map(|k| k.criterion as i32).collect(), StringArray::from_iter_values(labels.0.iter().map(|l| l[level]))) };
    match index {
        0 => Column::array(keys.iter().map(|k| files[k.file as usize].year).collect::<Int32Array>()),
        1 => of_file(&|f| &f.province_code),
        2 => of_file(&|f| &f.unit_code),
        3 => of_file(&|f| &f.unit_name),
        4 => crate::tables::keyed_texts(
            keys.iter()
                .map(|k| match k.track {
                    Track::Mandiri => 0,
                    Track::Evaluator => 1,
                })
                .collect(),
            StringArray::from_iter_values([Track::Mandiri.as_str(), Track::Evaluator.as_str()]),
        ),
        5..=7 => label(index - 5),
        8 => crate::tables::shared_texts(rows.iter().map(|r| r.answer.as_ref())),
        9 => crate::tables::numbers(
            rows.iter()
                .map(|r| r.value.as_ref().map(crate::tables::millionths))
                .collect::<Decimal128Array>()
                .with_precision_and_scale(VALUE_PRECISION, VALUE_SCALE)
                .expect("DECIMAL(18,6) is a valid type"),
        ),
        10 => of_file(&|f| &f.rubric),
        11 => of_file(&|f| &f.source_file),
        12 => text(any.sheet, &|r| r.source_sheet()),
        13 => crate::tables::numbers(rows.iter().map(|r| r.source_row.map(|x| x as i64)).collect::<Int64Array>()),
        14 => text(any.notes, &|r| r.notes()),
        15 => text(any.evidence, &|r| r.evidence()),
        16 => of_file(&|f| &f.submitted_code),
        _ => unreachable!("answers has 17 columns"),
    }
}

/// Writes the rejects table, already sorted.
pub fn write_rejects(path: &Path, rows: &[RejectRecord]) -> Result<()> {
    crate::tables::write_columns(path, rejects_schema(), rows.len(), Vec::new(), |column, range| rejects_column(column, &rows[range]))
}

/// Column `index` of [`rejects_schema`] for `rows`.
fn rejects_column(index: usize, rows: &[RejectRecord]) -> ArrayRef {
    let text = |f: &dyn Fn(&RejectRecord) -> Option<&str>| -> ArrayRef { Arc::new(rows.iter().map(f).collect::<StringArray>()) };
    match index {
        0 => Arc::new(rows.iter().map(|r| r.year).collect::<Int32Array>()),
        1 => text(&|r| r.unit_code.as_deref()),
        2 => text(&|r| Some(&r.source_file)),
        3 => text(&|r| r.source_sheet.as_deref()),
        4 => Arc::new(rows.iter().map(|r| r.source_row.map(|x| x as i64)).collect::<Int64Array>()),
        5 => text(&|r| Some(&r.column)),
        6 => text(&|r| Some(&r.value)),
        7 => text(&|r| Some(&r.reason)),
        8 => text(&|r| Some(r.rule.code())),
        9 => text(&|r| Some(r.scope.as_str())),
        10 => text(&|r| r.submitted_code.as_deref()),
        _ => unreachable!("rejects has 11 columns"),
    }
}
