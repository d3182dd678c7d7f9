//! What the review shows, read once from the warehouse into plain structs.
//!
//! The three writers (CSV, workbook, web page) must tell the same story, so
//! they never query the warehouse themselves: this module reads `rankings`,
//! `component_rankings`, `scores` and `rejects` of one year once
//! ([`YearTables`]), takes one province's rows from them, joins them with the registry and the pipeline's rubric and scale, and
//! hands every writer the same [`Review`]. Scores stay [`Points`] (exact
//! hundredths) until a writer formats them.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use polars::prelude::*;

use crate::error::{Error, Result};
use crate::exact::Points;
use crate::rules::pipeline::Plan;
use crate::rules::predikat::PredikatScale;
use crate::tables::{self, points_at, query_error};
use crate::worksheet::Track;

/// One component of the rubric, as a column of the ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentHead {
    /// Component code (`1`).
    pub code: String,
    /// Component name (`Perencanaan Kinerja`).
    pub name: String,
    /// The most it can score, when known.
    pub max: Option<Points>,
}

/// One ranked unit (evaluator track) with last year's standing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RankedUnit {
    /// Competition rank within the province.
    pub rank: i64,
    /// Unit code.
    pub code: String,
    /// Unit name.
    pub name: String,
    /// The total.
    pub score: Points,
    /// The predikat of that total.
    pub predikat: String,
    /// Score per component, in [`Review::components`] order.
    pub components: Vec<Option<Points>>,
    /// Last year's total.
    pub prev_score: Option<Points>,
    /// Last year's rank in the province.
    pub prev_rank: Option<i64>,
    /// This year's total minus last year's.
    pub score_change: Option<Points>,
    /// Places gained (positive) or lost since last year.
    pub rank_change: Option<i64>,
    /// Last year's predikat.
    pub prev_predikat: Option<String>,
}

/// A unit of the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRef {
    /// Unit code.
    pub code: String,
    /// Unit name.
    pub name: String,
}

/// A worksheet scored with criteria left unanswered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incomplete {
    /// The unit.
    pub unit: UnitRef,
    /// `mandiri` or `evaluator`.
    pub track: String,
    /// How many criteria are missing.
    pub count: i64,
    /// Their codes, in rubric order.
    pub criteria: Vec<String>,
}

/// A unit's self-assessment against the evaluator's score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    /// The unit.
    pub unit: UnitRef,
    /// The self-assessed total.
    pub mandiri: Points,
    /// The evaluator's total.
    pub evaluator: Points,
    /// `mandiri − evaluator`: how far the unit over-rated itself.
    pub difference: Points,
}

/// One refused row or file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reject {
    /// The submission, relative to the inbox.
    pub file: String,
    /// The sheet of a workbook.
    pub sheet: Option<String>,
    /// The row in the file.
    pub row: Option<i64>,
    /// The column at fault.
    pub column: String,
    /// The value found there.
    pub value: String,
    /// Why it was refused, in English (the table's `reason`).
    pub reason: String,
    /// Why it was refused, in Indonesian, from the message catalogue.
    pub alasan: String,
    /// The rule's short name (`off-scale`).
    pub rule: String,
}

/// Everything the review of one province and year shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    /// Evaluation year.
    pub year: i32,
    /// Province code.
    pub province: String,
    /// Province name from the registry (the code when unknown).
    pub province_name: String,
    /// The pipeline's name.
    pub pipeline: String,
    /// The rubric's name, when the pipeline assigns one to the year.
    pub rubric: Option<String>,
    /// The predikat scale of the year.
    pub scale: Arc<PredikatScale>,
    /// The components, in rubric order.
    pub components: Vec<ComponentHead>,
    /// The ranking, by rank then unit code.
    pub units: Vec<RankedUnit>,
    /// Units of the province with no evaluator score this year.
    pub not_submitted: Vec<UnitRef>,
    /// Worksheets with unanswered criteria, both tracks.
    pub incomplete: Vec<Incomplete>,
    /// Units with both tracks, largest over-rating first.
    pub gaps: Vec<Gap>,
    /// Rejects of the year for this province.
    pub rejects: Vec<Reject>,
    /// Per unit code, its result page relative to the review folder
    /// (without extension), for the units that have one.
    pub unit_pages: BTreeMap<String, String>,
    /// The criteria that lose the most points across the province.
    pub losses: Vec<crate::review::unit::Loss>,
}

impl Review {
    /// Whether any unit has a score from last year to compare with.
    pub fn has_previous(&self) -> bool {
        self.units.iter().any(|u| u.prev_score.is_some())
    }

    /// The position of a predikat in the scale, best first.
    pub fn grade_index(&self, predikat: &str) -> Option<usize> {
        self.scale.predikats().position(|p| p == predikat)
    }
}

/// One year's `rankings`, `component_rankings`, `scores` and `rejects`, read
/// once for every province reviewed that year (each is one small file: a
/// query per province and table cost more than the reviews themselves, see
/// BENCHMARKS.md, "Designs tried and measured"). Each table is queried once,
/// in the order a review lists its rows, and every province's review takes
/// its slice of the result: no query runs per province.
#[derive(Debug, Clone)]
pub struct YearTables {
    year: i32,
    rankings: ByProvince,
    component_rankings: Option<ByProvince>,
    scores: ByProvince,
    /// The year's rejects in the review's order, each with its unit code
    /// (empty when the file's unit could not be read).
    rejects: Vec<(String, Reject)>,
}

impl YearTables {
    /// Reads `year` of the four tables; a table the warehouse does not hold
    /// at all (no component rankings, no rejects) has no rows.
    pub fn read(wh: &Path, year: i32) -> Result<YearTables> {
        let scan = |table: &str| -> Result<Option<LazyFrame>> {
            if tables::files(wh, table).is_empty() {
                return Ok(None);
            }
            Ok(Some(tables::scan_year(wh, table, year)?.filter(col("year").eq(lit(year)))))
        };
        let of_year = |table: &str| -> Result<LazyFrame> { Ok(tables::scan_year(wh, table, year)?.filter(col("year").eq(lit(year)))) };
        let ints = |names: &[&str]| -> Vec<Expr> { names.iter().map(|n| col(*n).cast(DataType::Int64)).collect() };
        let rankings = by_province(
            of_year(tables::RANKINGS)?.with_columns(ints(&["rank_province", "prev_rank_province", "rank_change", "units_in_province"])),
            &["rank_province", "unit_code"],
            tables::RANKINGS,
        )?;
        let component_rankings = scan(tables::COMPONENT_RANKINGS)?.map(|lf| by_province(lf, &["component", "unit_code"], tables::COMPONENT_RANKINGS)).transpose()?;
        let scores = by_province(of_year(tables::SCORES)?.with_columns(ints(&["missing_criteria"])), &["unit_code", "track"], tables::SCORES)?;
        let rejects = match scan(tables::REJECTS)? {
            Some(lf) => read_rejects(lf)?,
            None => Vec::new(),
        };
        Ok(YearTables { year, rankings, component_rankings, scores, rejects })
    }

    /// `rankings` of `province`, ordered by rank then unit code, with the
    /// ranks as `i64`.
    pub fn rankings_of(&self, province: &str) -> DataFrame {
        self.rankings.of(province)
    }
}

/// A year's rows of one table, sorted by province and then as a review
/// lists them (ties kept in the table's order), handed out a province at a
/// time.
pub type ByProvince = tables::Slices<String>;

/// The rows of `lf` (`what`, for messages), sorted by province and then by
/// the columns `order`, for [`ByProvince::of`].
pub fn by_province(lf: LazyFrame, order: &[&str], what: &str) -> Result<ByProvince> {
    let by: Vec<&str> = std::iter::once("province_code").chain(order.iter().copied()).collect();
    let sorted = SortMultipleOptions::default().with_maintain_order(true);
    let rows = if order.is_empty() {
        // Ingest stores a year's answers by province and unit, and a stable
        // sort by province of rows already in that order leaves them as
        // they are: it is skipped (it moved every column of some 80,000
        // rows). Rows in another order are sorted.
        let rows = collect(lf, what)?;
        if strings(&rows, "province_code")?.iter().is_sorted() { rows } else { rows.sort(by, sorted).map_err(query_error(what))? }
    } else {
        collect(lf.sort(by, sorted), what)?
    };
    let provinces = strings(&rows, "province_code")?;
    Ok(tables::Slices::new(rows, provinces.iter()))
}

/// The review of `province` from its year's tables.
pub fn load_from(plan: &Plan, tables: &YearTables, province: &str) -> Result<Review> {
    let year = tables.year;
    let evaluation = plan.evaluation_for(year);
    let scale = evaluation
        .map(|e| Arc::clone(&e.scale))
        .ok_or_else(|| Error::Query(format!("{}: the pipeline assigns no predikat scale to {year}", plan.path.display())))?;
    let units = ranking(tables, province)?;
    let (components, per_unit) = component_scores(tables, province, evaluation.map(|e| e.rubric.as_ref()))?;
    let units = units
        .into_iter()
        .map(|mut u| {
            let scores = per_unit.get(&u.code);
            u.components = components.iter().map(|c| scores.and_then(|s| s.get(&c.code).copied())).collect();
            u.name = with_former_code(plan, &u.code, &u.name, year);
            u
        })
        .collect();
    let (mut incomplete, mut gaps, evaluated) = track_scores(tables, province)?;
    for unit in incomplete.iter_mut().map(|i| &mut i.unit).chain(gaps.iter_mut().map(|g| &mut g.unit)) {
        unit.name = with_former_code(plan, &unit.code, &unit.name, year);
    }
    // The units of the province as the year saw them (README: units
    // through time): a regency that moved province counts where it was.
    let not_submitted = plan
        .registry
        .units_in(Some(province), year)
        .into_iter()
        .filter(|u| !evaluated.contains_key(&u.code))
        .map(|u| UnitRef { name: with_former_code(plan, &u.code, &u.name, year), code: u.code })
        .collect();
    Ok(Review {
        year,
        province: province.to_string(),
        province_name: plan.registry.province_name(province).unwrap_or(province).to_string(),
        pipeline: plan.name.clone(),
        rubric: evaluation.map(|e| e.rubric.name.clone()),
        scale,
        components,
        units,
        not_submitted,
        incomplete,
        gaps,
        rejects: rejects(tables, province, plan.province.is_some(), &plan.registry)?,
        unit_pages: BTreeMap::new(),
        losses: Vec::new(),
    })
}

/// A unit's name as the review shows it: today's name, followed up to the
/// first year under its new code by the code it had before a code change
/// (`KPU Kabupaten Merauke (dahulu 91.01)`), which is the code the reader
/// knew it by in those years.
fn with_former_code(plan: &Plan, code: &str, name: &str, year: i32) -> String {
    match plan.registry.former(code) {
        Some(change) if year <= change.from_year => crate::messages::review::former_code(name, &format!("{}.{}", &change.old_code[..2], &change.old_code[2..])),
        _ => name.to_string(),
    }
}

fn collect(lf: LazyFrame, what: &str) -> Result<DataFrame> {
    lf.collect().map_err(query_error(what))
}

/// A text column as polars holds it.
fn strings(df: &DataFrame, name: &str) -> Result<StringChunked> {
    df.column(name).and_then(|c| c.str().cloned()).map_err(query_error(name))
}

/// A text column; NULL stays `None`.
fn texts(df: &DataFrame, name: &str) -> Result<Vec<Option<String>>> {
    Ok(strings(df, name)?.iter().map(|v| v.map(str::to_string)).collect())
}

/// An integer column of any width, read as `i64` (cast in the query).
fn integers(df: &DataFrame, name: &str) -> Result<Vec<Option<i64>>> {
    let ca = df.column(name).and_then(|c| c.i64().cloned()).map_err(query_error(name))?;
    Ok(ca.iter().collect())
}

/// A `DECIMAL(5,2)` score column.
fn scores(df: &DataFrame, name: &str) -> Result<Vec<Option<Points>>> {
    let column = df.column(name).map_err(query_error(name))?;
    (0..df.height()).map(|i| points_at(column, i)).collect()
}

fn required<T>(value: Option<T>, table: &str, column: &str) -> Result<T> {
    value.ok_or_else(|| Error::Query(format!("{table}: NULL in column {column}")))
}

fn ranking(year: &YearTables, province: &str) -> Result<Vec<RankedUnit>> {
    let df = year.rankings.of(province);
    let t = tables::RANKINGS;
    let (code, name, predikat, prev_predikat) = (texts(&df, "unit_code")?, texts(&df, "unit_name")?, texts(&df, "predikat")?, texts(&df, "prev_predikat")?);
    let (rank, prev_rank, rank_change) = (integers(&df, "rank_province")?, integers(&df, "prev_rank_province")?, integers(&df, "rank_change")?);
    let (score, prev_score, change) = (scores(&df, "score")?, scores(&df, "prev_score")?, scores(&df, "score_change")?);
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        out.push(RankedUnit {
            rank: required(rank[i], t, "rank_province")?,
            code: required(code[i].clone(), t, "unit_code")?,
            name: name[i].clone().unwrap_or_default(),
            score: required(score[i], t, "score")?,
            predikat: predikat[i].clone().unwrap_or_default(),
            components: Vec::new(),
            prev_score: prev_score[i],
            prev_rank: prev_rank[i],
            score_change: change[i],
            rank_change: rank_change[i],
            prev_predikat: prev_predikat[i].clone(),
        });
    }
    Ok(out)
}

type UnitComponents = BTreeMap<String, BTreeMap<String, Points>>;

/// The components (rubric order; any the rubric lacks after, by code) and
/// each unit's evaluator score per component.
fn component_scores(year: &YearTables, province: &str, rubric: Option<&crate::rules::rubric::Rubric>) -> Result<(Vec<ComponentHead>, UnitComponents)> {
    let mut heads: Vec<ComponentHead> = rubric
        .map(|r| r.components.iter().map(|c| ComponentHead { code: c.code.clone(), name: c.name.clone(), max: Some(Points::round_half_up(&c.weight)) }).collect())
        .unwrap_or_default();
    let mut per_unit = UnitComponents::new();
    let Some(component_rankings) = &year.component_rankings else {
        return Ok((heads, per_unit));
    };
    let df = component_rankings.of(province);
    let (unit, component, name) = (texts(&df, "unit_code")?, texts(&df, "component")?, texts(&df, "component_name")?);
    let (score, max) = (scores(&df, "score")?, scores(&df, "max_score")?);
    for i in 0..df.height() {
        let (Some(u), Some(c), Some(s)) = (&unit[i], &component[i], score[i]) else { continue };
        if !heads.iter().any(|h| &h.code == c) {
            heads.push(ComponentHead { code: c.clone(), name: name[i].clone().unwrap_or_else(|| c.clone()), max: max[i] });
        }
        per_unit.entry(u.clone()).or_default().insert(c.clone(), s);
    }
    Ok((heads, per_unit))
}

/// Both tracks from `scores`: the incomplete worksheets, the
/// self-assessment gaps, and the evaluator-scored units by code.
/// Per unit code, the evaluator's total.
type Evaluated = BTreeMap<String, Points>;

fn track_scores(year: &YearTables, province: &str) -> Result<(Vec<Incomplete>, Vec<Gap>, Evaluated)> {
    let df = year.scores.of(province);
    let (unit, name, track, missing) = (texts(&df, "unit_code")?, texts(&df, "unit_name")?, texts(&df, "track")?, texts(&df, "missing")?);
    let (count, score) = (integers(&df, "missing_criteria")?, scores(&df, "score")?);
    let mut incomplete = Vec::new();
    let mut names = BTreeMap::new();
    let mut by_track: [Evaluated; 2] = Default::default();
    for i in 0..df.height() {
        let (Some(code), Some(track)) = (&unit[i], &track[i]) else { continue };
        let unit = UnitRef { code: code.clone(), name: name[i].clone().unwrap_or_default() };
        names.insert(code.clone(), unit.name.clone());
        let n = count[i].unwrap_or(0);
        if n > 0 {
            let criteria = missing[i].as_deref().unwrap_or("").split(';').filter(|c| !c.is_empty()).map(str::to_string).collect();
            incomplete.push(Incomplete { unit, track: track.clone(), count: n, criteria });
        }
        if let Some(s) = score[i] {
            match Track::stored(track) {
                Some(Track::Mandiri) => by_track[0].insert(code.clone(), s),
                Some(Track::Evaluator) => by_track[1].insert(code.clone(), s),
                None => None,
            };
        }
    }
    let [mandiri, evaluator] = by_track;
    let mut gaps: Vec<Gap> = mandiri
        .iter()
        .filter_map(|(code, &m)| {
            let e = *evaluator.get(code)?;
            let unit = UnitRef { code: code.clone(), name: names.get(code).cloned().unwrap_or_default() };
            Some(Gap { unit, mandiri: m, evaluator: e, difference: Points::from_hundredths(m.hundredths() - e.hundredths()) })
        })
        .collect();
    // Largest over-rating first; equal gaps by unit code, so the order is fixed.
    gaps.sort_by(|a, b| b.difference.cmp(&a.difference).then_with(|| a.unit.code.cmp(&b.unit.code)));
    Ok((incomplete, gaps, evaluator))
}

/// The rejects of the year. A one-province pipeline's inbox is that
/// province's, so all its rejects belong to the review; a nationwide one's
/// are split by unit code, and a reject whose unit could not be read (an
/// empty file, a unit outside the registry) is shown to every province.
fn rejects(year: &YearTables, province: &str, single_province: bool, registry: &crate::registry::Registry) -> Result<Vec<Reject>> {
    Ok(year
        .rejects
        .iter()
        .filter(|(unit, _)| {
            // The unit's province in the review's year, which for a unit
            // that moved is not its code's.
            let in_province = registry.province_in(unit, year.year).map_or(unit.starts_with(province), |p| p == province);
            single_province || unit.is_empty() || in_province
        })
        .map(|(_, reject)| reject.clone())
        .collect())
}

/// A year's `rejects` (`lf`, of that year), each with its unit code, by
/// file, sheet, row and column.
fn read_rejects(lf: LazyFrame) -> Result<Vec<(String, Reject)>> {
    let df = collect(
        lf.with_column(col("source_row").cast(DataType::Int64))
            .sort(["source_file", "source_sheet", "source_row", "column"], SortMultipleOptions::default().with_nulls_last(false).with_maintain_order(true)),
        tables::REJECTS,
    )?;
    let t = tables::REJECTS;
    let (unit, file, sheet, column) = (texts(&df, "unit_code")?, texts(&df, "source_file")?, texts(&df, "source_sheet")?, texts(&df, "column")?);
    let (value, reason, rule, row) = (texts(&df, "value")?, texts(&df, "reason")?, texts(&df, "rule")?, integers(&df, "source_row")?);
    let mut out = Vec::with_capacity(df.height());
    for i in 0..df.height() {
        let reject = Reject {
            file: required(file[i].clone(), t, "source_file")?,
            sheet: sheet[i].clone().filter(|s| !s.is_empty()),
            row: row[i],
            column: column[i].clone().unwrap_or_default(),
            value: value[i].clone().unwrap_or_default(),
            reason: reason[i].clone().unwrap_or_default(),
            alasan: crate::messages::rejects::alasan(rule[i].as_deref().unwrap_or(""), column[i].as_deref().unwrap_or(""), value[i].as_deref().unwrap_or("")),
            rule: rule[i].clone().unwrap_or_default(),
        };
        out.push((unit[i].clone().unwrap_or_default(), reject));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice(rows: &ByProvince, province: &str) -> Vec<i64> {
        rows.of(province).column("n").unwrap().i64().unwrap().iter().map(Option::unwrap).collect()
    }

    #[test]
    fn rows_are_handed_out_by_province_in_their_order_whether_or_not_they_came_sorted() {
        // Stored order (the warehouse's): 52's rows 0-1, then 53's 2-4.
        let stored = df!("province_code" => ["52", "52", "53", "53", "53"], "n" => [0i64, 1, 2, 3, 4]).unwrap();
        let rows = by_province(stored.lazy(), &[], "answers").unwrap();
        assert_eq!((slice(&rows, "52"), slice(&rows, "53")), (vec![0, 1], vec![2, 3, 4]));
        // Interleaved: each province still gets its rows, in the order they
        // came (a stable sort), not by `n`.
        let mixed = df!("province_code" => ["53", "52", "53", "52", "53"], "n" => [4i64, 1, 2, 0, 3]).unwrap();
        let rows = by_province(mixed.lazy(), &[], "answers").unwrap();
        assert_eq!((slice(&rows, "52"), slice(&rows, "53")), (vec![1, 0], vec![4, 2, 3]));
        // With a further order, the rows of a province follow it.
        let rows = by_province(df!("province_code" => ["53", "52", "53", "52", "53"], "n" => [4i64, 1, 2, 0, 3]).unwrap().lazy(), &["n"], "rankings").unwrap();
        assert_eq!((slice(&rows, "52"), slice(&rows, "53")), (vec![0, 1], vec![2, 3, 4]));
    }
}
