//! A unit's result (the *Laporan Hasil Evaluasi*): what one unit needs to
//! read about its own evaluation, read once from the warehouse.
//!
//! A unit learns more from where its points went than from its rank, so
//! this module re-reads the unit's worksheets from `answers` and scores them
//! through the very code that wrote `scores` and `criterion_scores`
//! ([`crate::score::units::read_sheet`], [`rollup`], [`criterion_points`]): the
//! points stay exact rationals, so "points still open" and "closing the five
//! largest gaps gives 81.40" are exact, not sums of rounded figures. The
//! unit page, its workbook and `sakip unit` all show a [`UnitResult`].

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use num_traits::Signed;
use polars::prelude::*;

use crate::error::{Error, Result};
use crate::exact::{Exact, Points};
use crate::rules::predikat::PredikatScale;
use crate::rules::rubric::Rubric;
use crate::score::units::{read_sheet, stored_values};
use crate::score::{criterion_points, rollup};
use crate::tables::{self, points_at, query_error};
use crate::worksheet::Track;

/// A component or sub-component against its maximum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Code (`1`, `1.2`).
    pub code: String,
    /// Name.
    pub name: String,
    /// Exact score.
    pub score: Exact,
    /// Its weight: the most it can score.
    pub max: Exact,
    /// Sub-components (empty for a sub-component).
    pub parts: Vec<Part>,
}

/// One criterion of the unit's worksheet, both tracks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Index of the criterion in the rubric.
    pub index: usize,
    /// Criterion code (`1.2.3`).
    pub code: String,
    /// Criterion text.
    pub name: String,
    /// The evaluator's answer; `None` when missing.
    pub answer: Option<Arc<str>>,
    /// Points earned on the evaluator track, exact (`None`: left out).
    pub points: Option<Exact>,
    /// Points full marks would earn.
    pub max: Exact,
    /// The self-assessment's answer, when there is one.
    pub mandiri: Option<Arc<str>>,
    /// Points the self-assessment earned.
    pub mandiri_points: Option<Exact>,
    /// The evaluator's notes.
    pub notes: Option<String>,
    /// The evidence the evaluator's row names.
    pub evidence: Option<String>,
}

impl Line {
    /// Points still open on the evaluator track.
    pub fn open(&self) -> Option<Exact> {
        self.points.map(|p| self.max - p)
    }
}

/// Where the unit stands in its province, from `rankings`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    /// Competition rank in the province.
    pub rank: i64,
    /// Units ranked in the province.
    pub of: i64,
    /// Last year's total.
    pub prev_score: Option<Points>,
    /// Last year's rank in the province.
    pub prev_rank: Option<i64>,
    /// Last year's predikat.
    pub prev_predikat: Option<String>,
    /// This year's total minus last year's.
    pub score_change: Option<Points>,
}

/// What closing the largest gaps would give.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NextGrade {
    /// How many of the largest gaps (in [`UnitResult::to_gain`] order).
    pub gaps: usize,
    /// The total they would give, rounded as every total is.
    pub total: Points,
    /// Its predikat: the next better one.
    pub predikat: String,
}

/// Everything one unit's result shows.
#[derive(Debug, Clone)]
pub struct UnitResult {
    /// Evaluation year.
    pub year: i32,
    /// Province code.
    pub province: String,
    /// Unit code.
    pub code: String,
    /// Unit name.
    pub name: String,
    /// The rubric's name.
    pub rubric: String,
    /// The predikat scale.
    pub scale: Arc<PredikatScale>,
    /// The exact evaluator total.
    pub total_exact: Exact,
    /// The total, rounded once.
    pub score: Points,
    /// Its predikat.
    pub predikat: String,
    /// The self-assessed total, when the unit sent one.
    pub mandiri_score: Option<Points>,
    /// Rank and last year, when ranked.
    pub standing: Option<Standing>,
    /// Components with their sub-components, in rubric order.
    pub components: Vec<Part>,
    /// Every criterion, in rubric order.
    pub lines: Vec<Line>,
    /// Criteria the self-assessment left unanswered (the evaluator's are
    /// the lines without an answer).
    pub mandiri_missing: Vec<usize>,
}

impl UnitResult {
    /// Criteria below full marks on the evaluator track, the most points
    /// open first (equal ones in rubric order).
    pub fn to_gain(&self) -> Vec<&Line> {
        // Each line's open points worked out once, not at every comparison
        // (an exact subtraction each: a tenth of the review's time).
        let mut lines: Vec<(Exact, &Line)> = self.lines.iter().filter_map(|l| l.open().filter(|o| o.is_positive()).map(|o| (o, l))).collect();
        lines.sort_by(|(a, x), (b, y)| crate::exact::order(b, a).then(x.index.cmp(&y.index)));
        lines.into_iter().map(|(_, l)| l).collect()
    }

    /// Points still open in all.
    pub fn open_total(&self) -> Exact {
        self.lines.iter().filter_map(Line::open).sum()
    }

    /// The fewest largest gaps whose closing lifts the total into the next
    /// better predikat, and the total it would be; `None` at the top grade
    /// or when no gap can lift it.
    pub fn next_grade(&self) -> Option<NextGrade> {
        self.next_grade_after(&self.to_gain())
    }

    /// [`UnitResult::next_grade`], given the gaps as [`UnitResult::to_gain`]
    /// lists them (for a caller that has listed them already).
    pub fn next_grade_after(&self, gains: &[&Line]) -> Option<NextGrade> {
        let rank_of = |p: &str| self.scale.predikats().position(|q| q == p);
        let now = rank_of(&self.predikat)?;
        let mut total = self.total_exact;
        for (k, line) in gains.iter().enumerate() {
            total += line.open().unwrap_or_default();
            let rounded = Points::round_half_up(&total);
            let band = self.scale.grade(rounded).ok()?;
            if rank_of(&band.predikat).is_some_and(|r| r < now) {
                return Some(NextGrade { gaps: k + 1, total: rounded, predikat: band.predikat.clone() });
            }
        }
        None
    }

    /// Criteria where the self-assessment earned more than the evaluator
    /// gave, in rubric order.
    pub fn over_rated(&self) -> Vec<&Line> {
        self.lines.iter().filter(|l| matches!((l.mandiri_points, l.points), (Some(m), Some(e)) if m > e) || (l.mandiri_points.is_some() && l.answer.is_none())).collect()
    }

    /// Criteria the evaluator left unanswered.
    pub fn missing(&self) -> Vec<&Line> {
        self.lines.iter().filter(|l| l.answer.is_none()).collect()
    }

    /// Criteria with evaluator notes.
    pub fn noted(&self) -> Vec<&Line> {
        self.lines.iter().filter(|l| l.notes.as_deref().is_some_and(|n| !n.trim().is_empty())).collect()
    }

    /// The file name of its page and workbook, without extension:
    /// `<code>-<slug of the name>`.
    pub fn file_stem(&self) -> String {
        format!("{}-{}", self.code, slug(&self.name))
    }
}

/// `KPU Kabupaten Timor Tengah Selatan` → `kpu-kabupaten-timor-tengah-selatan`.
pub fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            s.push(c);
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    s.trim_end_matches('-').to_string()
}

/// One unit's rows of `answers`, per track.
#[derive(Default)]
struct Sheets<'a> {
    name: &'a str,
    province: &'a str,
    evaluator: Vec<usize>,
    mandiri: Vec<usize>,
}

/// The results of the units `which` selects in `year` (for instance one
/// province, or one unit), by unit code; a unit is in only if the evaluator
/// scored it. `rubric` and `scale` are the year's.
pub fn load(warehouse: &Path, year: i32, which: Expr, rubric: &Rubric, scale: &Arc<PredikatScale>) -> Result<Vec<UnitResult>> {
    let what = tables::partition(tables::ANSWERS, year);
    let df = answers(warehouse, year)?.filter(which.clone()).collect().map_err(query_error(&what))?;
    from_answers(year, &df, standings(warehouse, year, which)?, rubric, scale)
}

/// The columns of `year`'s answers that unit results are made from.
pub fn answers(warehouse: &Path, year: i32) -> Result<LazyFrame> {
    Ok(tables::scan_year(warehouse, tables::ANSWERS, year)?.select([
        col("province_code"),
        col("unit_code"),
        col("unit_name"),
        col("track"),
        col("criterion"),
        col("value"),
        col("answer"),
        col("notes"),
        col("evidence"),
    ]))
}

/// [`load`], from the rows of [`answers`] already selected and the
/// standings of their units ([`standings_in`]).
pub fn from_answers(year: i32, df: &DataFrame, standings: BTreeMap<String, Standing>, rubric: &Rubric, scale: &Arc<PredikatScale>) -> Result<Vec<UnitResult>> {
    let what = tables::partition(tables::ANSWERS, year);
    let text = |name: &str| -> Result<Vec<Option<&str>>> { Ok(df.column(name).and_then(|c| c.str()).map_err(query_error(name))?.iter().collect()) };
    let (province, unit, unit_name, track) = (text("province_code")?, text("unit_code")?, text("unit_name")?, text("track")?);
    let (criterion, answer, notes, evidence) = (text("criterion")?, text("answer")?, text("notes")?, text("evidence")?);
    let value = stored_values(&df, &what)?;

    let mut units: BTreeMap<&str, Sheets> = BTreeMap::new();
    for i in 0..df.height() {
        let Some(code) = unit[i] else { continue };
        let sheets = units.entry(code).or_default();
        sheets.name = unit_name[i].unwrap_or("");
        sheets.province = province[i].unwrap_or("");
        match track[i].and_then(Track::stored) {
            Some(Track::Evaluator) => sheets.evaluator.push(i),
            Some(Track::Mandiri) => sheets.mandiri.push(i),
            None => {}
        }
    }
    let mut out = Vec::new();
    for (code, sheets) in units {
        if sheets.evaluator.is_empty() {
            continue;
        }
        let fail = |p: crate::worksheet::RowProblem| Error::Query(format!("{what}: unit {code} {year}: {} — was the warehouse written with another rubric?", p.reason()));
        let pick = |rows: &[usize], column: &[Option<&'_ str>]| -> Vec<Option<String>> { rows.iter().map(|&i| column[i].map(str::to_string)).collect() };
        let sheet = |rows: &[usize]| {
            let c: Vec<Option<&str>> = rows.iter().map(|&i| criterion[i]).collect();
            let v: Vec<Option<i128>> = rows.iter().map(|&i| value[i]).collect();
            let a: Vec<Option<&str>> = rows.iter().map(|&i| answer[i]).collect();
            read_sheet(rubric, &c, &v, &a).map_err(fail)
        };
        let (written, values) = sheet(&sheets.evaluator)?;
        let breakdown = rollup(rubric, &values).map_err(|inc| Error::Query(format!("{what}: unit {code} {year}: {} criteria unanswered", inc.missing.len())))?;
        let evaluator: Vec<(Option<Arc<str>>, crate::score::CriterionPoints)> = written.into_iter().zip(criterion_points(rubric, &values)).collect();
        let (mandiri, mandiri_score, mandiri_missing) = if sheets.mandiri.is_empty() {
            (None, None, Vec::new())
        } else {
            let (written, values) = sheet(&sheets.mandiri)?;
            let score = rollup(rubric, &values).ok().map(|b| b.total);
            let missing = (0..values.len()).filter(|&i| values[i].is_none()).collect();
            let rows: Vec<(Option<Arc<str>>, crate::score::CriterionPoints)> = written.into_iter().zip(criterion_points(rubric, &values)).collect();
            (Some(rows), score, missing)
        };
        // Notes and evidence of the evaluator's row of each criterion.
        let mut remarks: Vec<(Option<String>, Option<String>)> = vec![(None, None); rubric.criteria.len()];
        for (&i, (n, e)) in sheets.evaluator.iter().zip(pick(&sheets.evaluator, &notes).into_iter().zip(pick(&sheets.evaluator, &evidence))) {
            if let Some(index) = criterion[i].and_then(|c| rubric.criterion_index(c)) {
                remarks[index] = (n.filter(|t| !t.trim().is_empty()), e.filter(|t| !t.trim().is_empty()));
            }
        }
        let lines = evaluator
            .into_iter()
            .zip(remarks)
            .enumerate()
            .map(|(index, ((answer, points), (notes, evidence)))| {
                let c = &rubric.criteria[index];
                let m = mandiri.as_ref().map(|m| &m[index]);
                Line {
                    index,
                    code: c.code.clone(),
                    name: c.name.clone(),
                    answer,
                    points: points.points,
                    max: points.max,
                    mandiri: m.and_then(|(a, _)| a.clone()),
                    mandiri_points: m.and_then(|(a, p)| a.as_ref().and(p.points)),
                    notes,
                    evidence,
                }
            })
            .collect();
        let components = rubric
            .components
            .iter()
            .zip(&breakdown.components)
            .map(|(c, &score)| Part {
                code: c.code.clone(),
                name: c.name.clone(),
                score,
                max: c.weight,
                parts: c
                    .subcomponents
                    .clone()
                    .map(|s| {
                        let sub = &rubric.subcomponents[s];
                        Part { code: sub.code.clone(), name: sub.name.clone(), score: breakdown.subcomponents[s], max: sub.weight, parts: Vec::new() }
                    })
                    .collect(),
            })
            .collect();
        let predikat = scale.grade(breakdown.total)?.predikat.clone();
        out.push(UnitResult {
            year,
            province: sheets.province.to_string(),
            code: code.to_string(),
            name: sheets.name.to_string(),
            rubric: rubric.name.clone(),
            scale: Arc::clone(scale),
            total_exact: breakdown.total_exact,
            score: breakdown.total,
            predikat,
            mandiri_score,
            standing: standings.get(code).cloned(),
            components,
            lines,
            mandiri_missing,
        });
    }
    Ok(out)
}

/// Each unit's standing from the year's `rankings`, when it has them.
fn standings(warehouse: &Path, year: i32, which: Expr) -> Result<BTreeMap<String, Standing>> {
    if tables::files(warehouse, tables::RANKINGS).is_empty() {
        return Ok(BTreeMap::new());
    }
    let df = tables::scan_year(warehouse, tables::RANKINGS, year)?
        .filter(which)
        .with_columns([col("rank_province").cast(DataType::Int64), col("units_in_province").cast(DataType::Int64), col("prev_rank_province").cast(DataType::Int64)])
        .collect()
        .map_err(query_error(tables::RANKINGS))?;
    standings_in(&df)
}

/// Each unit's standing from rows of `rankings` whose ranks are `i64`.
pub fn standings_in(df: &DataFrame) -> Result<BTreeMap<String, Standing>> {
    let mut out = BTreeMap::new();
    let ints = |name: &str| -> Result<Vec<Option<i64>>> { Ok(df.column(name).and_then(|c| c.i64()).map_err(query_error(name))?.iter().collect()) };
    let texts = |name: &str| -> Result<Vec<Option<String>>> { Ok(df.column(name).and_then(|c| c.str()).map_err(query_error(name))?.iter().map(|v| v.map(str::to_string)).collect()) };
    let (codes, prev_predikat) = (texts("unit_code")?, texts("prev_predikat")?);
    let (rank, of, prev_rank) = (ints("rank_province")?, ints("units_in_province")?, ints("prev_rank_province")?);
    let (prev_score, change) = (df.column("prev_score").map_err(query_error("prev_score"))?, df.column("score_change").map_err(query_error("score_change"))?);
    for i in 0..df.height() {
        let (Some(code), Some(rank), Some(of)) = (codes[i].clone(), rank[i], of[i]) else { continue };
        let standing = Standing { rank, of, prev_score: points_at(prev_score, i)?, prev_rank: prev_rank[i], prev_predikat: prev_predikat[i].clone(), score_change: points_at(change, i)? };
        out.insert(code, standing);
    }
    Ok(out)
}

/// One criterion's losses across a province's units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loss {
    /// Criterion code.
    pub code: String,
    /// Criterion text.
    pub name: String,
    /// Units below full marks on it.
    pub units: usize,
    /// Points open on it, summed over the units, exact.
    pub open: Exact,
}

/// The criteria that lose the most points across `results`, at most `n`,
/// the largest loss first (equal ones in rubric order).
pub fn losses(results: &[UnitResult], n: usize) -> Vec<Loss> {
    let mut by: BTreeMap<usize, Loss> = BTreeMap::new();
    for r in results {
        for line in &r.lines {
            let Some(open) = line.open().filter(|o| o.is_positive()) else { continue };
            let loss = by.entry(line.index).or_insert_with(|| Loss { code: line.code.clone(), name: line.name.clone(), units: 0, open: Exact::default() });
            loss.units += 1;
            loss.open += open;
        }
    }
    let mut list: Vec<(usize, Loss)> = by.into_iter().collect();
    list.sort_by(|(ia, a), (ib, b)| crate::exact::order(&b.open, &a.open).then(ia.cmp(ib)));
    list.into_iter().take(n).map(|(_, l)| l).collect()
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn names_become_file_slugs() {
        assert_eq!(slug("KPU Kabupaten Timor Tengah Selatan"), "kpu-kabupaten-timor-tengah-selatan");
        assert_eq!(slug("KPU Provinsi Nusa Tenggara Timur"), "kpu-provinsi-nusa-tenggara-timur");
        assert_eq!(slug(" Kota  Kupang (lama) "), "kota-kupang-lama");
    }
}
