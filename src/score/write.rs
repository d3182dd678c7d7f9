//! The schema and columns of `scores`, `component_scores` and
//! `criterion_scores`, written with arrow-rs through
//! [`crate::tables::write_columns`] like `answers`: in the ingest pass a
//! year's scores are written beside its answers, and each table's columns
//! are built and encoded in parallel.
//!
//! Every column is nullable, as the tables have been since polars wrote them
//! (the Parquet schema is the contract, README "Scores, rankings and
//! questions").

use arrow_array::builder::StringBuilder;
use arrow_array::{Decimal128Array, Int32Array, StringArray, UInt32Array};
use arrow_schema::{DataType, Field, Schema};

use crate::error::{Error, Result};
use crate::rules::pipeline::Plan;
use crate::rules::rubric::{Criterion, Rubric};
use crate::score::criteria::CriterionRow;
use crate::score::{ComponentPoints, UnitScore};
use crate::tables::{self, write_columns, Column, DECIMAL_SCALE};

/// `DECIMAL(5,2)`: a score in hundredths.
const POINTS: DataType = DataType::Decimal128(5, 2);
/// `DECIMAL(18,6)`: a criterion's figures in millionths.
const MICROS: DataType = DataType::Decimal128(18, DECIMAL_SCALE as i8);

/// A score table's schema: the columns that say whose worksheet a row is
/// of (year, province, unit, its name, track, rubric), then `rest`.
fn keyed(rest: &[(&str, DataType)]) -> Schema {
    use DataType::Utf8;
    let keys = [("year", DataType::Int32), ("province_code", Utf8), ("unit_code", Utf8), ("unit_name", Utf8), ("track", Utf8), ("rubric", Utf8)];
    Schema::new(keys.iter().chain(rest).map(|(name, t)| Field::new(*name, t.clone(), true)).collect::<Vec<_>>())
}

/// Key column `index` (below 6) of [`keyed`], each row's worksheet given by
/// `sheet`.
fn key_column<'a, T>(index: usize, rows: &'a [T], sheet: impl Fn(&'a T) -> &'a UnitScore) -> Column {
    match index {
        0 => Column::array(rows.iter().map(|r| Some(sheet(r).year)).collect::<Int32Array>()),
        1 => per_sheet(rows, &sheet, |s| &s.province_code),
        2 => per_sheet(rows, &sheet, |s| &s.unit_code),
        3 => per_sheet(rows, &sheet, |s| &s.unit_name),
        4 => per_sheet(rows, &sheet, |s| s.track.as_str()),
        5 => per_sheet(rows, &sheet, |s| &s.rubric),
        _ => unreachable!("six key columns"),
    }
}

/// The schema of `scores/`.
pub fn scores_schema() -> Schema {
    use DataType::Utf8;
    keyed(&[("scale", Utf8), ("score", POINTS), ("predikat", Utf8), ("missing_criteria", DataType::UInt32), ("missing", Utf8)])
}

/// The schema of `component_scores/`.
pub fn component_scores_schema() -> Schema {
    use DataType::Utf8;
    keyed(&[("component", Utf8), ("component_name", Utf8), ("score", POINTS), ("max_score", POINTS)])
}

/// The schema of `criterion_scores/`.
pub fn criterion_scores_schema() -> Schema {
    use DataType::Utf8;
    keyed(&[
        ("component", Utf8),
        ("subcomponent", Utf8),
        ("criterion", Utf8),
        ("criterion_name", Utf8),
        ("answer", Utf8),
        ("value", MICROS),
        ("points", MICROS),
        ("max_points", MICROS),
    ])
}

/// Writes one year's `scores/`, `component_scores/` and `criterion_scores/`
/// files from its scores, in table order.
pub fn write_year(plan: &Plan, year: i32, scores: &[UnitScore]) -> Result<()> {
    let wh = &plan.warehouse;
    let rubric = plan
        .evaluation_for(year)
        .map(|e| e.rubric.as_ref())
        .ok_or_else(|| Error::Query(format!("criterion_scores: the pipeline assigns no rubric to {year}")))?;
    let components: Vec<(&UnitScore, &ComponentPoints)> = scores.iter().flat_map(|s| s.components.iter().map(move |c| (s, c))).collect();
    // Each row as its worksheet and its position there, which is the
    // criterion's index in the rubric (`UnitScore::criteria` is in rubric
    // order): the label and key columns are built without reading the
    // criterion rows themselves, which are most of a year's score data
    // (building every column from them was bound by memory reads).
    let criteria: Vec<(&UnitScore, usize)> = scores.iter().flat_map(|s| (0..s.criteria.len()).map(move |i| (s, i))).collect();
    let file = |table: &str| tables::year_file(wh, table, year);
    let (written, others) = rayon::join(
        || write_columns(&file(tables::CRITERION_SCORES), criterion_scores_schema(), criteria.len(), Vec::new(), |i, range| criterion_column(i, &criteria[range], rubric)),
        || {
            write_columns(&file(tables::SCORES), scores_schema(), scores.len(), Vec::new(), |i, range| scores_column(i, &scores[range]))?;
            write_columns(&file(tables::COMPONENT_SCORES), component_scores_schema(), components.len(), Vec::new(), |i, range| {
                component_column(i, &components[range])
            })
        },
    );
    written.and(others)
}

fn texts<'a, T: 'a>(rows: &'a [T], f: impl Fn(&'a T) -> &'a str) -> Column {
    Column::array(StringArray::from_iter_values(rows.iter().map(f)))
}

/// A text of the worksheet each row is of, handed to the writer as keys
/// into one value per run of rows of the same worksheet
/// ([`tables::keyed_texts`]): the file is the same as from a string per
/// row, without that array built first or its texts hashed row by row.
fn per_sheet<'a, T>(rows: &'a [T], sheet: &impl Fn(&'a T) -> &'a UnitScore, f: impl Fn(&'a UnitScore) -> &'a str) -> Column {
    let mut values = StringBuilder::new();
    let mut last: Option<*const UnitScore> = None;
    let mut runs = 0;
    let keys: Int32Array = rows
        .iter()
        .map(|r| {
            let s = sheet(r);
            if last != Some(s as *const UnitScore) {
                values.append_value(f(s));
                last = Some(s as *const UnitScore);
                runs += 1;
            }
            runs - 1
        })
        .collect();
    tables::keyed_texts(keys, values.finish())
}

/// A text of each row's criterion, as keys into the rubric's criteria (see
/// [`per_sheet`]).
fn per_criterion<'r>(rows: &[(&UnitScore, usize)], rubric: &'r Rubric, f: impl Fn(usize) -> &'r str) -> Column {
    tables::keyed_texts(rows.iter().map(|&(_, i)| i as i32).collect(), StringArray::from_iter_values((0..rubric.criteria.len()).map(f)))
}

fn decimals(values: impl Iterator<Item = Option<i128>>, t: &DataType) -> Column {
    let DataType::Decimal128(precision, scale) = t else { unreachable!("a decimal type") };
    let array = values.collect::<Decimal128Array>().with_precision_and_scale(*precision, *scale).expect("a valid decimal type");
    // Millionths (a 64-bit column, few distinct values, no statistics) go
    // through sakip's dictionary; hundredths are 32-bit, with statistics.
    if *precision > 9 {
        tables::numbers(array)
    } else {
        Column::array(array)
    }
}

fn hundredths<'a>(points: impl Iterator<Item = &'a crate::exact::Points>) -> Column {
    decimals(points.map(|p| Some(i128::from(p.hundredths()))), &POINTS)
}

/// Column `index` of [`scores_schema`].
fn scores_column(index: usize, rows: &[UnitScore]) -> Column {
    match index {
        0..=5 => key_column(index, rows, |r| r),
        6 => texts(rows, |r| &r.scale),
        7 => hundredths(rows.iter().map(|r| &r.score)),
        8 => texts(rows, |r| &r.predikat),
        9 => Column::array(rows.iter().map(|r| Some(r.missing_criteria)).collect::<UInt32Array>()),
        10 => Column::array(StringArray::from_iter_values(rows.iter().map(|r| r.missing.join(";")))),
        _ => unreachable!("scores has 11 columns"),
    }
}

/// Column `index` of [`component_scores_schema`].
fn component_column(index: usize, rows: &[(&UnitScore, &ComponentPoints)]) -> Column {
    match index {
        0..=5 => key_column(index, rows, |(r, _)| r),
        6 => texts(rows, |(_, c)| &c.code),
        7 => texts(rows, |(_, c)| &c.name),
        8 => hundredths(rows.iter().map(|(_, c)| &c.score)),
        9 => hundredths(rows.iter().map(|(_, c)| &c.max)),
        _ => unreachable!("component_scores has 10 columns"),
    }
}

/// Column `index` of [`criterion_scores_schema`]; the labels come from the
/// year's rubric, which every row of a year shares.
fn criterion_column(index: usize, rows: &[(&UnitScore, usize)], rubric: &Rubric) -> Column {
    fn row<'a>(&(s, i): &(&'a UnitScore, usize)) -> &'a CriterionRow {
        &s.criteria[i]
    }
    let criterion = |i: usize| -> &Criterion { &rubric.criteria[i] };
    match index {
        0..=5 => key_column(index, rows, |(r, _)| r),
        6 => per_criterion(rows, rubric, |i| &rubric.component_of(i).code),
        7 => per_criterion(rows, rubric, |i| &rubric.subcomponents[criterion(i).subcomponent].code),
        8 => per_criterion(rows, rubric, |i| &criterion(i).code),
        9 => per_criterion(rows, rubric, |i| &criterion(i).name),
        10 => tables::shared_texts(rows.iter().map(|r| row(r).answer.as_ref())),
        11 => decimals(rows.iter().map(|r| row(r).value), &MICROS),
        12 => decimals(rows.iter().map(|r| row(r).points), &MICROS),
        13 => decimals(rows.iter().map(|r| Some(row(r).max)), &MICROS),
        _ => unreachable!("criterion_scores has 14 columns"),
    }
}
