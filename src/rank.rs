//! Ranking the units: per year, within each province and nationally, on the
//! evaluator's total and on each component, with last year's standing.
//!
//! Ranks are competition ranks (1, 2, 2, 4): units with the same score share
//! the better rank and the next rank is skipped. Scores are compared as
//! stored — two-decimal totals — so two units shown with the same score always
//! share a rank. Within a tie, rows are listed by unit code; that order is
//! for display only and never changes a rank. polars does the work, reading
//! the `scores` and `component_scores` tables.

use std::path::{Path, PathBuf};

use polars::prelude::*;

use crate::error::Result;
use crate::tables::{self, query_error};

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
    when(others.gt(lit(0i64))).then(hundredths.cast(DataType::Float64) / lit(100.0)).otherwise(lit(100.0))
}

/// The evaluator-track rankings of every year, with last year's standing.
pub fn rankings(warehouse: &Path) -> Result<LazyFrame> {
    let by_province = [col("year"), col("province_code")];
    let ranked = tables::scan(warehouse, tables::SCORES)?
        .filter(col("track").eq(lit("evaluator")))
        .select([col("year"), col("province_code"), col("unit_code"), col("unit_name"), col("score"), col("predikat")])
        .with_columns([
            competition_rank(col("score")).over(by_province.clone()).map_err(query_error("rank"))?.cast(DataType::Int32).alias("rank_province"),
            competition_rank(col("score")).over([col("year")]).map_err(query_error("rank"))?.cast(DataType::Int32).alias("rank_national"),
            len().over(by_province).map_err(query_error("rank"))?.cast(DataType::Int32).alias("units_in_province"),
        ])
        .with_column(percentile(col("rank_province"), col("units_in_province")).alias("percentile"));
    let previous = ranked.clone().select([
        (col("year") + lit(1)).alias("year"),
        col("unit_code"),
        col("score").alias("prev_score"),
        col("rank_province").alias("prev_rank_province"),
        col("predikat").alias("prev_predikat"),
    ]);
    Ok(ranked
        .join(previous, [col("year"), col("unit_code")], [col("year"), col("unit_code")], JoinArgs::new(JoinType::Left))
        .with_columns([
            (col("score") - col("prev_score")).cast(DataType::Decimal(5, 2)).alias("score_change"),
            (col("prev_rank_province") - col("rank_province")).alias("rank_change"),
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
        .sort(["year", "province_code", "rank_province", "unit_code"], SortMultipleOptions::default().with_maintain_order(true)))
}

/// The evaluator-track ranking of every component, per year.
pub fn component_rankings(warehouse: &Path) -> Result<LazyFrame> {
    Ok(tables::scan(warehouse, tables::COMPONENT_SCORES)?
        .filter(col("track").eq(lit("evaluator")))
        .select([col("year"), col("province_code"), col("unit_code"), col("unit_name"), col("component"), col("component_name"), col("score"), col("max_score")])
        .with_columns([
            competition_rank(col("score")).over([col("year"), col("province_code"), col("component")]).map_err(query_error("rank"))?.cast(DataType::Int32).alias("rank_province"),
            competition_rank(col("score")).over([col("year"), col("component")]).map_err(query_error("rank"))?.cast(DataType::Int32).alias("rank_national"),
        ])
        .sort(["year", "province_code", "component", "rank_province", "unit_code"], SortMultipleOptions::default().with_maintain_order(true)))
}

/// Computes both rankings and replaces `rankings/` and `component_rankings/`,
/// one file per year.
pub fn write_rankings(warehouse: &Path) -> Result<()> {
    let totals = rankings(warehouse)?.collect().map_err(query_error("rankings"))?;
    let components = component_rankings(warehouse)?.collect().map_err(query_error("component rankings"))?;
    tables::replace(warehouse, tables::RANKINGS, by_year(&totals)?)?;
    tables::replace(warehouse, tables::COMPONENT_RANKINGS, by_year(&components)?)
}

/// Splits a frame into one partition per year.
fn by_year(df: &DataFrame) -> Result<Vec<(PathBuf, DataFrame)>> {
    let years = df.column("year").map_err(query_error("year"))?.i32().map_err(query_error("year"))?.unique().map_err(query_error("year"))?.sort(false);
    let mut parts = Vec::new();
    for year in years.iter().flatten() {
        let part = df.clone().lazy().filter(col("year").eq(lit(year))).collect().map_err(query_error("rankings"))?;
        parts.push((PathBuf::from(format!("year={year}/part-0.parquet")), part));
    }
    Ok(parts)
}
