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

use std::collections::BTreeSet;
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

/// The evaluator-track totals of `scores` (any number of years) with their
/// ranks, each year ranked on its own.
fn ranked(scores: LazyFrame) -> Result<LazyFrame> {
    let by_province = [col("year"), col("province_code")];
    Ok(scores
        .filter(col("track").eq(lit(Track::Evaluator.as_str())))
        .select([col("year"), col("province_code"), col("unit_code"), col("unit_name"), col("score"), col("predikat")])
        .with_columns([
            competition_rank(col("score")).over(by_province.clone()).map_err(query_error("rank"))?.cast(DataType::Int32).alias("rank_province"),
            competition_rank(col("score")).over([col("year")]).map_err(query_error("rank"))?.cast(DataType::Int32).alias("rank_national"),
            len().over(by_province).map_err(query_error("rank"))?.cast(DataType::Int32).alias("units_in_province"),
        ])
        .with_column(percentile(col("rank_province"), col("units_in_province")).alias("percentile")))
}

/// The evaluator-track ranking of every year of `scores`, each year with
/// last year's standing (ranked afresh from last year's rows: a year's
/// ranking depends on its own and the previous year's scores only), by
/// year, province, rank and unit code.
pub fn rankings(scores: LazyFrame) -> Result<LazyFrame> {
    let this = ranked(scores)?;
    let previous = this.clone().select([
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
        .sort(["year", "province_code", "rank_province", "unit_code"], SortMultipleOptions::default().with_maintain_order(true)))
}

/// The evaluator-track ranking of every component in every year of
/// `component_scores`, by year, province, component, rank and unit code.
pub fn component_rankings(component_scores: LazyFrame) -> Result<LazyFrame> {
    Ok(component_scores
        .filter(col("track").eq(lit(Track::Evaluator.as_str())))
        .select([col("year"), col("province_code"), col("unit_code"), col("unit_name"), col("component"), col("component_name"), col("score"), col("max_score")])
        .with_columns([
            competition_rank(col("score")).over([col("year"), col("province_code"), col("component")]).map_err(query_error("rank"))?.cast(DataType::Int32).alias("rank_province"),
            competition_rank(col("score")).over([col("year"), col("component")]).map_err(query_error("rank"))?.cast(DataType::Int32).alias("rank_national"),
        ])
        .sort(["year", "province_code", "component", "rank_province", "unit_code"], SortMultipleOptions::default().with_maintain_order(true)))
}

/// A ranking of many years (sorted by year first), collected once and
/// handed out a year at a time.
fn by_year(lf: LazyFrame, what: &str) -> Result<tables::Slices<i32>> {
    let rows = lf.collect().map_err(query_error(what))?;
    let years: Vec<Option<i32>> = rows.column("year").and_then(|c| c.i32().cloned()).map_err(query_error(what))?.iter().collect();
    Ok(tables::Slices::new(rows, years))
}

/// How many years one ranking query covers: enough that polars' set-up
/// (milliseconds a query, whatever its rows) is paid rarely, few enough
/// that memory holds a slice of a long history, not all of it (ranking
/// 160 years in one query raised the run's peak by 100 MiB).
const YEARS_PER_QUERY: usize = 10;

/// Writing both rankings of every year with scores into a warehouse, in
/// two steps when a run wants one year early: [`Rankings::begin`] replaces
/// `rankings/` and `component_rankings/` with the years taken over from
/// the previous snapshot, then each [`Rankings::write`] ranks the rest of
/// the years it is given, one file per year and table.
///
/// With `unchanged`, the rankings of unchanged years are taken over: a
/// year's component ranking when the year is unchanged, its ranking when
/// last year's scores are also the same as then (unchanged, or absent both
/// then and now).
pub struct Rankings<'a> {
    warehouse: &'a Path,
    unchanged: Option<Unchanged<'a>>,
    /// The years with scores, ascending.
    years: Vec<i32>,
}

impl<'a> Rankings<'a> {
    /// Clears both rankings and links the years taken over.
    pub fn begin(warehouse: &'a Path, unchanged: Option<Unchanged<'a>>) -> Result<Rankings<'a>> {
        tables::clear(warehouse, tables::RANKINGS)?;
        tables::clear(warehouse, tables::COMPONENT_RANKINGS)?;
        let rankings = Rankings { warehouse, unchanged, years: tables::years(warehouse, tables::SCORES) };
        rankings.years.par_iter().try_for_each(|&year| -> Result<()> {
            if let Some(u) = rankings.linked_totals(year) {
                u.link(warehouse, tables::RANKINGS, year)?;
            }
            if let Some(u) = rankings.linked_components(year) {
                u.link(warehouse, tables::COMPONENT_RANKINGS, year)?;
            }
            Ok(())
        })?;
        Ok(rankings)
    }

    /// The latest year with scores, if any.
    pub fn latest(&self) -> Option<i32> {
        self.years.last().copied()
    }

    fn linked_totals(&self, year: i32) -> Option<Unchanged<'a>> {
        self.unchanged.filter(|u| u.has(tables::RANKINGS, year) && u.same_ranking(year, &self.years))
    }

    fn linked_components(&self, year: i32) -> Option<Unchanged<'a>> {
        self.unchanged.filter(|u| u.has(tables::COMPONENT_RANKINGS, year))
    }

    /// Ranks the years with scores that `wanted` picks and that were not
    /// taken over. Years are ranked [`YEARS_PER_QUERY`] at a time, in one
    /// query per table (each year on its own rows and last year's), and
    /// each year's file is written from its slice of the result.
    pub fn write(&self, wanted: impl Fn(i32) -> bool) -> Result<()> {
        let warehouse = self.warehouse;
        let fresh = |linked: &dyn Fn(i32) -> bool| -> Vec<i32> { self.years.iter().copied().filter(|&y| wanted(y) && !linked(y)).collect() };
        for chunk in fresh(&|y| self.linked_totals(y).is_some()).chunks(YEARS_PER_QUERY) {
            // Each year's and the year before's scores (where there are any).
            let read: BTreeSet<i32> = chunk.iter().flat_map(|&y| [y - 1, y]).filter(|y| self.years.contains(y)).collect();
            let ranked = by_year(rankings(scan_years(warehouse, tables::SCORES, &read)?)?, "rankings")?;
            chunk.par_iter().try_for_each(|&year| tables::write(&mut ranked.of(&year), &tables::year_file(warehouse, tables::RANKINGS, year)))?;
        }
        for chunk in fresh(&|y| self.linked_components(y).is_some()).chunks(YEARS_PER_QUERY) {
            let read: BTreeSet<i32> = chunk.iter().copied().collect();
            let ranked = by_year(component_rankings(scan_years(warehouse, tables::COMPONENT_SCORES, &read)?)?, "component rankings")?;
            chunk.par_iter().try_for_each(|&year| tables::write(&mut ranked.of(&year), &tables::year_file(warehouse, tables::COMPONENT_RANKINGS, year)))?;
        }
        Ok(())
    }
}

/// `years` of `table` as one lazy frame.
fn scan_years(warehouse: &Path, table: &str, years: &BTreeSet<i32>) -> Result<LazyFrame> {
    let scans = years.iter().map(|&y| tables::scan_year(warehouse, table, y)).collect::<Result<Vec<_>>>()?;
    concat(scans, UnionArgs::default()).map_err(query_error(table))
}

