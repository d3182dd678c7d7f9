//! Scoring every unit in the warehouse: per unit, year and track, the
//! sub-component, component and total scores and the predikat.
//!
//! polars reads the `answers` table one year at a time (memory stays that of
//! a year or two, whatever the history's length); each worksheet is built
//! from the values ingest checked and stored ([`read_sheet`]), not by
//! checking the answer text again, and goes through the same [`rollup`] as
//! `sakip score`, so a unit's total here is the very figure `sakip score`
//! prints for its file — one code path, exact arithmetic, one rounding.

use std::path::Path;

use polars::prelude::*;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::exact::{Exact, Points};
use std::sync::Arc;

use crate::ingest::records::AnswerRecord;
use crate::rules::pipeline::Plan;
use crate::rules::rubric::Rubric;
use crate::score::criteria::Millionths;
use crate::score::{rollup, ComponentPoints, UnitScore};
use crate::score::write::write_year;
use crate::tables::{self, query_error, Unchanged};
use crate::worksheet::SheetBuilder;
use crate::worksheet::Track;

/// What scoring one year produced, kept for the run's summary: the whole
/// history's scores are never held at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearTally {
    /// Evaluation year.
    pub year: i32,
    /// Units scored on the evaluator track.
    pub units: usize,
    /// Evaluator-track units per predikat.
    pub grades: std::collections::BTreeMap<String, usize>,
    /// Evaluator-track worksheets with criteria left unanswered.
    pub incomplete: usize,
}

impl YearTally {
    /// The tally of a year already in `scores/`.
    fn read(warehouse: &Path, year: i32) -> Result<YearTally> {
        let what = tables::partition(tables::SCORES, year);
        let df = tables::scan_year(warehouse, tables::SCORES, year)?
            .filter(col("track").eq(lit(Track::Evaluator.as_str())))
            .select([col("predikat"), col("missing_criteria")])
            .collect()
            .map_err(query_error(&what))?;
        let predikat = df.column("predikat").and_then(|c| c.str().cloned()).map_err(query_error(&what))?;
        let missing = df.column("missing_criteria").and_then(|c| c.cast(&DataType::UInt64)).map_err(query_error(&what))?;
        let missing = missing.u64().map_err(query_error(&what))?;
        let mut tally = YearTally::empty(year);
        for (p, m) in predikat.iter().zip(missing.iter()) {
            tally.count(p.unwrap_or_default(), m.unwrap_or(0) > 0);
        }
        Ok(tally)
    }

    /// The tally of a year's scores.
    pub fn of(year: i32, scores: &[UnitScore]) -> YearTally {
        let mut tally = YearTally::empty(year);
        for s in scores.iter().filter(|s| s.track == Track::Evaluator) {
            tally.count(&s.predikat, s.missing_criteria > 0);
        }
        tally
    }

    fn empty(year: i32) -> YearTally {
        YearTally { year, units: 0, grades: Default::default(), incomplete: 0 }
    }

    /// Counts one evaluator-track worksheet.
    fn count(&mut self, predikat: &str, incomplete: bool) {
        self.units += 1;
        *self.grades.entry(predikat.to_string()).or_default() += 1;
        self.incomplete += usize::from(incomplete);
    }
}

/// Scores every year of `answers` and replaces `scores/` and
/// `component_scores/` with one file per year. Years are taken one after the
/// other — each read by one polars query, which is parallel inside, and its
/// worksheets scored in parallel — and written as soon as they are scored,
/// so memory is that of one year whatever the history's length (years side
/// by side let memory grow with the history: BENCHMARKS.md, "Designs tried
/// and measured"). The files do not depend on the thread count.
pub fn score_and_write(plan: &Plan) -> Result<Vec<YearTally>> {
    for table in SCORED {
        tables::clear(&plan.warehouse, table)?;
    }
    score_and_write_reusing(plan, None, &Default::default())
}

/// The tables a year's scoring writes.
const SCORED: [&str; 3] = [tables::SCORES, tables::COMPONENT_SCORES, tables::CRITERION_SCORES];

/// Scores and writes each year of `answers` not yet scored, into a
/// warehouse without them yet (a staging folder): years in `scored` were
/// scored and written in the ingest pass ([`score_ingested`]) and are only
/// tallied; `unchanged` years are taken over from the previous snapshot
/// (hard links); any other year is read back from `answers` and scored.
pub fn score_and_write_reusing(plan: &Plan, unchanged: Option<Unchanged>, scored: &std::collections::BTreeMap<i32, YearTally>) -> Result<Vec<YearTally>> {
    let wh = &plan.warehouse;
    let mut tallies = Vec::new();
    // A year's tables are written while the next year is read and scored:
    // two years' scores (a few thousand rows each) at most are held.
    let mut unwritten: Option<(i32, Vec<UnitScore>)> = None;
    let write = |pending: Option<(i32, Vec<UnitScore>)>| pending.map_or(Ok(()), |(year, scores)| write_year(plan, year, &scores));
    for year in tables::years(wh, tables::ANSWERS) {
        if let Some(tally) = scored.get(&year) {
            tallies.push(tally.clone());
            continue;
        }
        if let Some(u) = unchanged.filter(|u| SCORED.iter().all(|t| u.has(t, year))) {
            for table in SCORED {
                u.link(wh, table, year)?;
            }
            tallies.push(YearTally::read(wh, year)?);
            continue;
        }
        let (scored, written) = rayon::join(|| score_year(plan, year), || write(unwritten.take()));
        written?;
        let scores = scored?;
        tallies.push(YearTally::of(year, &scores));
        unwritten = Some((year, scores));
    }
    write(unwritten)?;
    Ok(tallies)
}

/// Scores every worksheet of one year of `answers`, ordered by unit and
/// track.
pub fn score_year(plan: &Plan, year: i32) -> Result<Vec<UnitScore>> {
    let what = tables::partition(tables::ANSWERS, year);
    score_frame(plan, tables::scan_year(&plan.warehouse, tables::ANSWERS, year)?, &what)
}

/// Scores the worksheets of a scan of `answers`; `what` names it in errors.
///
/// A worksheet is a run of rows with the same year, unit and track: ingest
/// writes `answers` in that order (province, unit, track, criterion), so the
/// rows are read as they are, not sorted again. A worksheet whose rows are
/// not contiguous would be scored as two; that is caught (two results for
/// one unit, year and track) and reported rather than scored wrongly.
fn score_frame(plan: &Plan, answers: LazyFrame, what: &str) -> Result<Vec<UnitScore>> {
    let df = answers
        .select([col("year"), col("province_code"), col("unit_code"), col("unit_name"), col("track"), col("criterion"), col("value"), col("answer")])
        .collect()
        .map_err(query_error(what))?;
    let ctx = |column: &str| format!("{what}: column {column}");
    let year = df.column("year").and_then(|c| c.i32().cloned()).map_err(|e| Error::Query(format!("{}: {e}", ctx("year"))))?;
    let text = |name: &str| df.column(name).and_then(|c| c.str().cloned()).map_err(|e| Error::Query(format!("{}: {e}", ctx(name))));
    let (province, unit, unit_name, track, criterion, answer) =
        (text("province_code")?, text("unit_code")?, text("unit_name")?, text("track")?, text("criterion")?, text("answer")?);
    // Read once, in order: the chunked arrays' random access is slower.
    let years: Vec<Option<i32>> = year.iter().collect();
    let units: Vec<Option<&str>> = unit.iter().collect();
    let tracks: Vec<Option<&str>> = track.iter().collect();
    let criteria: Vec<Option<&str>> = criterion.iter().collect();
    let answers: Vec<Option<&str>> = answer.iter().collect();
    let values = stored_values(&df, what)?;

    // The worksheets: runs of rows with the same year, unit and track.
    let n = df.height();
    let key = |i: usize| (years[i], units[i], tracks[i]);
    let figures = Figures::of(plan);
    let mut scores: Vec<UnitScore> = runs(n, key)
        .into_par_iter()
        .map(|std::ops::Range { start, end }| {
            let (y, unit_code, track_text) = key(start);
            let y = y.ok_or_else(|| Error::Query(format!("{what}: NULL year")))?;
            let unit_code = unit_code.unwrap_or("");
            let rubric = figures.evaluation(plan, y, what)?.0;
            let track = track_text.and_then(Track::parse).ok_or_else(|| Error::Query(format!("{what}: unknown track {track_text:?}")))?;
            let (written, values) = read_sheet(rubric, &criteria[start..end], &values[start..end], &answers[start..end])
                .map_err(|p| Error::Query(format!("{what}: unit {unit_code} {y}: {} — was the warehouse written with another rubric?", p.reason())))?;
            let id = SheetId { year: y, province_code: province.get(start).unwrap_or(""), unit_code, unit_name: unit_name.get(start).unwrap_or(""), track };
            score_sheet(plan, &figures, id, written, values, what)
        })
        .collect::<Result<_>>()?;
    order_and_check(&mut scores, what)?;
    Ok(scores)
}

/// Scores the worksheets of one year of ingested answers, still in memory:
/// the rows in warehouse order (unit, track, criterion), with the values
/// ingest checked. This is how `sakip run` scores, in the pass that writes
/// `answers`; it gives the very figures [`score_year`] gives when it reads
/// the same rows back from the warehouse.
pub fn score_ingested(plan: &Plan, rows: &[&AnswerRecord]) -> Result<Vec<UnitScore>> {
    let Some(first) = rows.first() else { return Ok(Vec::new()) };
    let what = tables::partition(tables::ANSWERS, first.file.year);
    // A worksheet is a run of rows of one file and track.
    let key = |i: usize| (Arc::as_ptr(&rows[i].file), rows[i].track);
    let figures = Figures::of(plan);
    let mut scores: Vec<UnitScore> = runs(rows.len(), key)
        .into_par_iter()
        .map(|range| {
            let sheet = &rows[range];
            let file = &sheet[0].file;
            let rubric = figures.evaluation(plan, file.year, &what)?.0;
            let mut written = vec![None; rubric.criteria.len()];
            let mut values = vec![None; rubric.criteria.len()];
            for r in sheet.iter().filter(|r| r.value.is_some()) {
                written[r.criterion_index] = r.answer.clone();
                values[r.criterion_index] = r.value;
            }
            let id = SheetId { year: file.year, province_code: &file.province_code, unit_code: &file.unit_code, unit_name: &file.unit_name, track: sheet[0].track };
            score_sheet(plan, &figures, id, written, values, &what)
        })
        .collect::<Result<_>>()?;
    order_and_check(&mut scores, &what)?;
    Ok(scores)
}

/// The runs of equal `key` among indexes `0..n`, in order: a year's
/// worksheets, whose rows ingest keeps together.
fn runs<K: PartialEq>(n: usize, key: impl Fn(usize) -> K) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < n {
        let first = key(start);
        let end = (start + 1..n).find(|&i| key(i) != first).unwrap_or(n);
        out.push(start..end);
        start = end;
    }
    out
}

/// Whose worksheet is scored.
struct SheetId<'a> {
    year: i32,
    province_code: &'a str,
    unit_code: &'a str,
    unit_name: &'a str,
    track: Track,
}

/// Each rubric's criterion figures, worked out once for all worksheets.
struct Figures(Vec<Millionths>);

impl Figures {
    fn of(plan: &Plan) -> Figures {
        Figures(plan.evaluations.iter().map(|e| Millionths::of(&e.rubric)).collect())
    }

    /// The rubric the pipeline assigns to `year`, with its figures.
    fn evaluation<'p>(&'p self, plan: &'p Plan, year: i32, what: &str) -> Result<(&'p Rubric, &'p Millionths, &'p crate::rules::pipeline::Evaluation)> {
        let evaluation = plan.evaluation_for(year).ok_or_else(|| Error::Query(format!("{what}: the pipeline assigns no rubric to {year}")))?;
        let index = plan.evaluations.iter().position(|e| std::ptr::eq(e, evaluation)).expect("evaluation_for returns one of the plan's evaluations");
        Ok((&evaluation.rubric, &self.0[index], evaluation))
    }
}

/// One worksheet through the roll-up and the predikat scale: `written` the
/// answers as written and `values` their checked values, per criterion in
/// rubric order.
fn score_sheet(plan: &Plan, figures: &Figures, id: SheetId<'_>, written: Vec<Option<Arc<str>>>, values: Vec<Option<Exact>>, what: &str) -> Result<UnitScore> {
    let (rubric, millionths, evaluation) = figures.evaluation(plan, id.year, what)?;
    let SheetId { year, province_code, unit_code, unit_name, track } = id;
    let breakdown = rollup(rubric, &values).map_err(|inc| {
        Error::Query(format!("{what}: unit {unit_code} {year}: {} criteria unanswered and rubric {} scores no incomplete worksheet", inc.missing.len(), rubric.id))
    })?;
    let band = evaluation.scale.grade(breakdown.total)?;
    Ok(UnitScore {
        year,
        province_code: province_code.to_string(),
        unit_code: unit_code.to_string(),
        unit_name: unit_name.to_string(),
        track,
        rubric: rubric.id.clone(),
        scale: evaluation.scale.id.clone(),
        score: breakdown.total,
        predikat: band.predikat.clone(),
        missing_criteria: breakdown.missing.len() as u32,
        missing: breakdown.missing.iter().map(|&i| rubric.criteria[i].code.clone()).collect(),
        components: rubric
            .components
            .iter()
            .zip(&breakdown.components)
            .map(|(c, exact)| ComponentPoints { code: c.code.clone(), name: c.name.clone(), score: Points::round_half_up(exact), max: Points::round_half_up(&c.weight) })
            .collect(),
        criteria: millionths.rows(rubric, written, &values),
    })
}

/// Puts a year's scores in the tables' order and refuses two scores for one
/// worksheet (its rows were not together).
fn order_and_check(scores: &mut [UnitScore], what: &str) -> Result<()> {
    // The tables' order: year, unit, then track by name (`evaluator` first).
    scores.sort_by(|a, b| (a.year, &a.unit_code, a.track.as_str()).cmp(&(b.year, &b.unit_code, b.track.as_str())));
    if let Some(pair) = scores.windows(2).find(|w| (w[0].year, &w[0].unit_code, w[0].track) == (w[1].year, &w[1].unit_code, w[1].track)) {
        return Err(Error::Query(format!(
            "{what}: the rows of unit {} {} ({}) are not together; answers must be in warehouse order (unit, track, criterion)",
            pair[0].unit_code,
            pair[0].year,
            pair[0].track.as_str()
        )));
    }
    Ok(())
}

/// The `value` column of a frame of `answers`: the value ingest found for
/// each answer, in millionths (`DECIMAL(18,6)`); NULL for a missing
/// criterion.
pub fn stored_values(df: &DataFrame, what: &str) -> Result<Vec<Option<i128>>> {
    let column = df.column("value").and_then(|c| c.decimal()).map_err(|e| Error::Query(format!("{what}: column value: {e}")))?;
    if column.scale() != tables::VALUE_PLACES as usize {
        return Err(Error::Query(format!("{what}: column value has {} decimal places, not {}", column.scale(), tables::VALUE_PLACES)));
    }
    Ok(column.physical().iter().collect())
}

/// Reads one worksheet's rows back from `answers` (criterion code, the
/// value ingest checked in millionths, the answer as stored; a NULL value is
/// a missing criterion) through [`SheetBuilder::add_stored`]: the answers as
/// written per criterion, and their values, in rubric order.
pub fn read_sheet(
    rubric: &Rubric,
    criteria: &[Option<&str>],
    values: &[Option<i128>],
    answers: &[Option<&str>],
) -> Result<(Vec<Option<Arc<str>>>, Vec<Option<Exact>>), crate::worksheet::RowProblem> {
    let mut sheet = SheetBuilder::new(rubric);
    let mut written = vec![None; rubric.criteria.len()];
    for (i, ((criterion, value), answer)) in criteria.iter().zip(values).zip(answers).enumerate() {
        let Some(stored) = value else { continue };
        let answer = answer.unwrap_or("");
        let (index, _) = sheet.add_stored(i as u64, criterion.unwrap_or(""), *stored, answer)?;
        written[index] = Some(Arc::from(answer));
    }
    Ok((written, sheet.finish()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::pipeline::Overrides;

    fn plan() -> Plan {
        Plan::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/pipelines/sample-ntt.toml")), &Overrides::default()).unwrap()
    }

    /// Rows of `units` in the order given, each a full evaluator worksheet
    /// of the year's rubric answered `B`, stored as ingest stores it: the
    /// 88/2021 rubric has one scale, AA–E, on which B is 70
    /// (pipelines/answer-scales/aa-e.toml), so `value` is 70.000000.
    fn answers(plan: &Plan, year: i32, units: &[&str]) -> LazyFrame {
        let rubric = &plan.evaluation_for(year).unwrap().rubric;
        let rows: Vec<(&str, &str)> = units.iter().flat_map(|u| rubric.criteria.iter().map(move |c| (*u, c.code.as_str()))).collect();
        let text = |name: &str, f: &dyn Fn(&(&str, &str)) -> String| Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>());
        DataFrame::new_infer_height(vec![
            Column::new("year".into(), vec![year; rows.len()]),
            text("province_code", &|_| "53".to_string()),
            text("unit_code", &|(u, _)| u.to_string()),
            text("unit_name", &|(u, _)| format!("KPU {u}")),
            text("track", &|_| "evaluator".to_string()),
            text("criterion", &|(_, c)| c.to_string()),
            text("answer", &|_| "B".to_string()),
            Int128Chunked::from_vec("value".into(), vec![70_000_000; rows.len()]).into_decimal(18, 6).unwrap().into_series().into_column(),
        ])
        .unwrap()
        .lazy()
    }

    #[test]
    fn the_ingest_pass_scores_exactly_what_reading_the_warehouse_back_scores() {
        // The bundled sample, ingested into a scratch warehouse; every year is
        // scored once from the records in memory (how `sakip run` scores) and
        // once from the Parquet written (how a warehouse without scores is
        // scored). Both must give every figure alike, criterion rows included.
        let dir = std::env::temp_dir().join(format!("sakip-score-paths-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let overrides = Overrides { warehouse: Some(dir.clone()), ..Overrides::default() };
        let plan = Plan::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/pipelines/sample-ntt.toml")), &overrides).unwrap();
        let in_pass = std::sync::Mutex::new(Vec::new());
        crate::ingest::ingest_with(&plan, None, &|year, rows| {
            in_pass.lock().unwrap().push((year, score_ingested(&plan, rows)?));
            Ok(())
        })
        .unwrap();
        let in_pass = in_pass.into_inner().unwrap();
        assert!(in_pass.len() >= 2, "the sample has several years");
        for (year, scores) in in_pass {
            assert!(!scores.is_empty());
            assert_eq!(scores, score_year(&plan, year).unwrap(), "{year}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn worksheets_in_stored_order_are_scored_and_listed_by_unit() {
        let plan = plan();
        let scores = score_frame(&plan, answers(&plan, 2024, &["5302", "5301"]), "test").unwrap();
        assert_eq!(scores.iter().map(|s| s.unit_code.as_str()).collect::<Vec<_>>(), ["5301", "5302"]);
        assert_eq!(scores[0].score, scores[1].score);
    }

    #[test]
    fn a_worksheet_split_in_two_runs_of_rows_is_an_error_not_two_scores() {
        let plan = plan();
        // 5301's worksheet, then 5302's, then 5301's again: out of order.
        let frame = concat([answers(&plan, 2024, &["5301", "5302"]), answers(&plan, 2024, &["5301"])], UnionArgs::default()).unwrap();
        let err = score_frame(&plan, frame, "answers/year=2024").unwrap_err().to_string();
        assert!(err.contains("the rows of unit 5301 2024 (evaluator) are not together"), "{err}");
    }
}
