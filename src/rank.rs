//! Ranking the units: per year, within each province and nationally, on the
//! evaluator's total and on each component, with last year's standing.
//!
//! Ranks are competition ranks (1, 2, 2, 4): units with the same score share
//! the better rank and the next rank is skipped. Scores are compared as
//! stored — two-decimal totals — so two units shown with the same score always
//! share a rank. Within a tie, rows are listed by unit code; that order is
//! for display only and never changes a rank. polars does the work, reading
//! the `scores` and `component_scores` tables.
//!
//! A unit is one unit across a code change (its `unit_code` is today's),
//! so last year's standing links across it; but a unit that changed province
//! was ranked among other units last year, and a difference of two ranks in
//! two provinces means nothing, so its `rank_change` is then NULL.

use std::path::Path;

use polars::prelude::*;
use rayon::prelude::*;

use crate::error::Result;
use crate::tables::{self, query_error, Unchanged};
use crate::worksheet::Track;

fn competition_rank(score: Expr) -> Expr {
    // Float64 keeps the order and the equality of two-decimal values exactly.
    score.cast(DataType::Float64).rank(RankOptions { method: RankMethod::Min, descending: true }, None)
}

/// `100 × (n − rank) / (n − 1)`, half-up to two decimals, computed in
/// integers: the share of the province's other units this unit is ranked
/// above (100 for the top, 0 for the bottom, 100 for a lone unit).
fn percentile(rank: Expr, n: Expr) -> Expr {
    let above = (n.clone() - rank).cast(DataType::Int64);
    let others = (n - lit(1)).cast(DataType::Int64);
    let hundredths = (above * lit(20_000i64) + others.clone()) / (others.clone() * lit(2i64));
    // polars divides by a scalar by multiplying with its reciprocal
    // (8182 × 0.01 = 81.82000000000001); dividing by a column of 100s gives
    // the float nearest the two-decimal figure, which reads back as 81.82.
    let hundred = (others.clone() * lit(0i64) + lit(100i64)).cast(DataType::Float64);
    when(others.gt(lit(0i64))).then(hundredths.cast(DataType::Float64) / hundred).otherwise(lit(100.0))
}

/// One year's evaluator-track totals with their ranks, from `scores`.
fn ranked(warehouse: &Path, year: i32) -> Result<LazyFrame> {
    let by_province = [col("year"), col("province_code")];
    Ok(tables::scan_year(warehouse, tables::SCORES, year)?
        .filter(col("track").eq(lit(Track::Evaluator.as_str())))
        .select([col("year"), col("province_code"), col("unit_code"), col("unit_name"), col("score"), col("predikat")])
        .with_columns([
            competition_rank(col("score")).over(by_province.clone()).map_err(query_error("rank"))?.cast(DataType::Int32).alias("rank_province"),
            competition_rank(col("score")).over([col("year")]).map_err(query_error("rank"))?.cast(DataType::Int32).alias("rank_national"),
            len().over(by_province).map_err(query_error("rank"))?.cast(DataType::Int32).alias("units_in_province"),
        ])
        .with_column(percentile(col("rank_province"), col("units_in_province")).alias("percentile")))
}

/// The evaluator-track ranking of `year`, with last year's standing (ranked
/// afresh from last year's `scores`, so a year needs only its own and the
/// previous year's files).
pub fn rankings(warehouse: &Path, year: i32) -> Result<LazyFrame> {
    let this = ranked(warehouse, year)?;
    let before = if tables::years(warehouse, tables::SCORES).contains(&(year - 1)) { ranked(warehouse, year - 1)? } else { this.clone().filter(lit(false)) };
    let previous = before.select([
        (col("year") + lit(1)).alias("year"),
        col("unit_code"),
        col("province_code").alias("prev_province_code"),
        col("score").alias("prev_score"),
        col("rank_province").alias("prev_rank_province"),
        col("predikat").alias("prev_predikat"),
    ]);
    Ok(this
        .join(previous, [col("year"), col("unit_code")], [col("year"), col("unit_code")], JoinArgs::new(JoinType::Left))
        .with_columns([
            (col("score") - col("prev_score")).cast(DataType::Decimal(5, 2)).alias("score_change"),
            when(col("prev_province_code").eq(col("province_code")))
                .then(col("prev_rank_province") - col("rank_province"))
                .otherwise(lit(NULL).cast(DataType::Int32))
                .alias("rank_change"),
        ])
        .select([
            col("year"),
            col("province_code"),
            col("unit_code"),
            col("unit_name"),
            col("score"),
            col("predikat"),
            col("rank_province"),
            col("rank_national"),
            col("units_in_province"),
            col("percentile"),
            col("prev_score"),
            col("prev_rank_province"),
            col("score_change"),
            col("rank_change"),
            col("prev_predikat"),
        ])
        .sort(["province_code", "rank_province", "unit_code"], SortMultipleOptions::default().with_maintain_order(true)))
}

/// The evaluator-track ranking of every component in `year`.
pub fn component_rankings(warehouse: &Path, year: i32) -> Result<LazyFrame> {
    Ok(tables::scan_year(warehouse, tables::COMPONENT_SCORES, year)?
        .filter(col("track").eq(lit(Track::Evaluator.as_str())))
        .select([col("year"), col("province_code"), col("unit_code"), col("unit_name"), col("component"), col("component_name"), col("score"), col("max_score")])
        .with_columns([
            competition_rank(col("score")).over([col("province_code"), col("component")]).map_err(query_error("rank"))?.cast(DataType::Int32).alias("rank_province"),
            competition_rank(col("score")).over([col("component")]).map_err(query_error("rank"))?.cast(DataType::Int32).alias("rank_national"),
        ])
        .sort(["province_code", "component", "rank_province", "unit_code"], SortMultipleOptions::default().with_maintain_order(true)))
}

/// Computes both rankings of every year with scores and replaces
/// `rankings/` and `component_rankings/`, one file per year. Years are
/// ranked in parallel, each from its own files and last year's; a year's
/// frames are a few thousand rows, so running years side by side costs
/// little memory.
///
/// With `unchanged`, the rankings of unchanged years are taken over from
/// the previous snapshot: a year's component ranking when the year is
/// unchanged, its ranking when last year's scores are also the same as
/// then (unchanged, or absent both then and now).
pub fn write_rankings_reusing(warehouse: &Path, unchanged: Option<Unchanged>) -> Result<()> {
    tables::clear(warehouse, tables::RANKINGS)?;
    tables::clear(warehouse, tables::COMPONENT_RANKINGS)?;
    let years = tables::years(warehouse, tables::SCORES);
    // Years are independent (each reads its own and last year's scores):
    // ranked side by side, in the calling pool.
    years.par_iter().try_for_each(|&year| {
        match unchanged.filter(|u| u.has(tables::RANKINGS, year) && u.same_ranking(year, &years)) {
            Some(u) => u.link(warehouse, tables::RANKINGS, year)?,
            None => {
                let mut totals = rankings(warehouse, year)?.collect().map_err(query_error("rankings"))?;
                tables::write(&mut totals, &tables::year_file(warehouse, tables::RANKINGS, year))?;
            }
        }
        match unchanged.filter(|u| u.has(tables::COMPONENT_RANKINGS, year)) {
            Some(u) => u.link(warehouse, tables::COMPONENT_RANKINGS, year),
            None => {
                let mut components = component_rankings(warehouse, year)?.collect().map_err(query_error("component rankings"))?;
                tables::write(&mut components, &tables::year_file(warehouse, tables::COMPONENT_RANKINGS, year))
            }
        }
    })
}
