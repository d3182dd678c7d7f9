//! The provincial review: the workbook, web page and CSV planners open.
//!
//! The warehouse answers any question, but a provincial planner needs one
//! folder per province and year that answers the usual ones at a glance: who
//! ranks where and why (components, last year), who has not sent a
//! worksheet, whose worksheet is incomplete, who rated itself too kindly,
//! and what was refused. [`data`] reads that once; [`table`] lays it out;
//! [`ranking_csv`], [`workbook`] and [`page`] (with [`charts`]) write it, so
//! all three agree; [`format`] and [`html`] are the figures and HTML pieces
//! the pages share, [`xlsx`] the workbook file itself.
//! Beside it, every scored unit gets its own result in `units/`: [`unit`]
//! reads it, [`unit_tables`] lays it out, [`unit_page`] and [`workbook`]
//! write it. Outputs depend on the warehouse only (no clock), byte for byte.

pub mod charts;
pub mod colors;
pub mod data;
pub mod format;
pub mod html;
pub mod ikm;
pub mod page;
pub mod ranking_csv;
pub mod safe;
pub mod table;
pub mod unit;
pub mod unit_page;
pub mod unit_tables;
pub mod workbook;
pub mod xlsx;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use polars::prelude::*;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::registry::canonical_code;
use crate::rules::pipeline::Plan;
use crate::tables::{self, query_error, Unchanged};

/// The ranking CSV, in each review folder.
pub const CSV: &str = "ranking.csv";
/// The workbook, in each review folder.
pub const XLSX: &str = "review.xlsx";
/// The web page, in each review folder.
pub const HTML: &str = "review.html";
/// The folder of the unit results, in each review folder.
pub const UNITS: &str = "units";
/// How many criteria the province-wide losses list.
pub const LOSSES: usize = 10;

/// Writes the review of the latest year for each province of the pipeline,
/// returning the folders written, taking a review over from the previous
/// snapshot when everything it shows is unchanged: its year's tables, and
/// last year's scores (the review shows last year's standing). A warehouse
/// with nothing ranked yet (every submission refused) has nothing to
/// review: no folder, no error, so that `sakip run` still reports the
/// rejects.
pub fn write_latest_reusing(plan: &Plan, unchanged: Option<Unchanged>) -> Result<Vec<PathBuf>> {
    if tables::files(&plan.warehouse, tables::RANKINGS).is_empty() {
        return Ok(Vec::new());
    }
    write_targets(plan, targets(plan, None, None)?, unchanged)
}

/// The provinces of the pipeline (all, or its own) ranked in `year`, as
/// review targets, reading that year's rankings only: a run reviews its
/// latest year while older years are still being ranked. Empty when the
/// year has no ranking of them.
pub fn targets_in(plan: &Plan, year: i32) -> Result<Vec<(i32, String)>> {
    let ranked = ranked(tables::scan_year(&plan.warehouse, tables::RANKINGS, year)?)?;
    Ok(ranked.into_iter().filter(|(_, p)| plan.province.as_deref().is_none_or(|w| w == p)).collect())
}

/// The (year, province) pairs of a scan of `rankings`.
fn ranked(rankings: LazyFrame) -> Result<BTreeSet<(i32, String)>> {
    let df = rankings.select([col("year"), col("province_code")]).collect().map_err(query_error(tables::RANKINGS))?;
    let years = df.column("year").and_then(|c| c.i32().cloned()).map_err(query_error("year"))?;
    let provinces = df.column("province_code").and_then(|c| c.str().cloned()).map_err(query_error("province_code"))?;
    Ok(years.iter().zip(provinces.iter()).filter_map(|(y, p)| Some((y?, p?.to_string()))).collect())
}

/// Writes the review of `year` (default: the latest in the warehouse) for
/// `province` (default: the pipeline's, or every province with scores) to
/// `<warehouse>/review/<year>/<province>/`, returning the folders written.
pub fn write_reviews(plan: &Plan, year: Option<i32>, province: Option<&str>) -> Result<Vec<PathBuf>> {
    write_targets(plan, targets(plan, year, province)?, None)
}

/// Writes (or links, where `unchanged` allows) the review of each (year,
/// province) of `targets` (from [`targets_in`], say), one province per
/// task, returning the folders written; each year's files are read once,
/// for all its provinces.
///
/// A review is taken over from the previous snapshot when its whole year's
/// ranking is unchanged, or else when the province's own rows are: a
/// resubmission in one province leaves the other provinces' reviews as they
/// were (their rows, and so their bytes, are the same).
pub fn write_targets(plan: &Plan, targets: Vec<(i32, String)>, unchanged: Option<Unchanged>) -> Result<Vec<PathBuf>> {
    let scored = if unchanged.is_some() { tables::years(&plan.warehouse, tables::SCORES) } else { Vec::new() };
    let rel = |year: i32, province: &str| Path::new("review").join(year.to_string()).join(province);
    let before = |year: i32, province: &str| unchanged.map(|u| u.previous.join(rel(year, province))).filter(|dir| dir.is_dir());
    let whole_year = |year: i32| unchanged.is_some_and(|u| u.same_ranking(year, &scored));
    let years: BTreeSet<i32> = targets.iter().filter(|(y, p)| !whole_year(*y) || before(*y, p).is_none()).map(|(y, _)| *y).collect();
    let read: BTreeMap<i32, Inputs> = years.into_iter().map(|y| Ok((y, Inputs::read(&plan.warehouse, y, unchanged.map(|u| u.previous))?))).collect::<Result<_>>()?;
    targets
        .into_par_iter()
        .map(|(year, province)| {
            let dir = plan.warehouse.join(rel(year, &province));
            match (before(year, &province), read.get(&year)) {
                (Some(previous), _) if whole_year(year) => tables::link_tree(&previous, &dir)?,
                (Some(previous), Some(inputs)) if inputs.same_as_before(plan, &province)? => tables::link_tree(&previous, &dir)?,
                (_, Some(inputs)) => write_one(plan, inputs, &province, &dir)?,
                // A year is read unless all its reviews are taken over.
                (_, None) => return Err(Error::Query(format!("the review of {year} for {province}: the year's tables were not read"))),
            }
            Ok(dir)
        })
        .collect()
}

/// What the reviews of one year read, once for all its provinces: the
/// year's tables and the answers unit results are made from; for a run that
/// may take reviews over, the same of the previous snapshot.
struct Inputs {
    tables: data::YearTables,
    answers: data::ByProvince,
    previous: Option<Box<Inputs>>,
}

impl Inputs {
    fn read(warehouse: &Path, year: i32, previous: Option<&Path>) -> Result<Inputs> {
        let what = tables::partition(tables::ANSWERS, year);
        let answers = data::by_province(unit::answers(warehouse, year)?, &[], &what)?;
        // A previous snapshot that cannot be read is one nothing is taken
        // over from.
        let previous = previous.and_then(|p| Inputs::read(p, year, None).ok()).map(Box::new);
        Ok(Inputs { tables: data::YearTables::read(warehouse, year)?, answers, previous })
    }

    /// The answers of `province`'s units, in warehouse order.
    fn answers_of(&self, province: &str) -> DataFrame {
        self.answers.of(province)
    }

    /// Whether `province`'s review would be the same as in the previous
    /// snapshot (false when there is none): the same answers of its units,
    /// and the same review data (ranking, standings, components, tracks,
    /// rejects). A unit's result is made from its answers and its standing,
    /// which is in the ranking, so those are the same too. Columns the
    /// review does not show (a national rank) may differ.
    fn same_as_before(&self, plan: &Plan, province: &str) -> Result<bool> {
        let Some(before) = &self.previous else { return Ok(false) };
        Ok(same_rows(&self.answers_of(province), &before.answers_of(province)) && data::load_from(plan, &self.tables, province)? == data::load_from(plan, &before.tables, province)?)
    }
}

/// Whether two frames hold the same columns with the same values, nulls
/// included, in the same order.
fn same_rows(a: &DataFrame, b: &DataFrame) -> bool {
    a.height() == b.height()
        && a.width() == b.width()
        && a.columns().iter().zip(b.columns()).all(|(x, y)| x.name() == y.name() && x.dtype() == y.dtype() && x.equals_missing(y))
}

/// The (year, province) pairs to review, checked against `rankings`.
fn targets(plan: &Plan, year: Option<i32>, province: Option<&str>) -> Result<Vec<(i32, String)>> {
    let wh = &plan.warehouse;
    let ranked = ranked(tables::scan(wh, tables::RANKINGS)?)?;

    let wanted = match province {
        Some(p) => Some(canonical_code(p).filter(|c| c.len() == 2).ok_or_else(|| Error::Usage(format!("'{p}' is not a 2-digit province code")))?),
        None => plan.province.clone(),
    };
    let of_province: Vec<&(i32, String)> = ranked.iter().filter(|(_, p)| wanted.as_ref().is_none_or(|w| p == w)).collect();
    if of_province.is_empty() {
        let known: BTreeSet<&str> = ranked.iter().map(|(_, p)| p.as_str()).collect();
        let which = wanted.as_deref().map_or(String::new(), |w| format!(" for province {w}"));
        return Err(Error::Usage(format!("no rankings{which} in {}; provinces with rankings: {}", wh.display(), list(known))));
    }
    let year = match year {
        Some(y) if of_province.iter().any(|(py, _)| *py == y) => y,
        Some(y) => {
            let known: BTreeSet<String> = of_province.iter().map(|(py, _)| py.to_string()).collect();
            let which = wanted.as_deref().map_or(String::new(), |w| format!(" of province {w}"));
            return Err(Error::Usage(format!("no rankings for {y}{which} in {}; years with rankings: {}", wh.display(), list(known.iter().map(String::as_str)))));
        }
        None => of_province.iter().map(|(y, _)| *y).max().unwrap_or_default(),
    };
    Ok(of_province.into_iter().filter(|(y, _)| *y == year).cloned().collect())
}

fn list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.into_iter().collect();
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

/// Replaces `dir` with the review of one province and year.
fn write_one(plan: &Plan, inputs: &Inputs, province: &str, dir: &Path) -> Result<()> {
    let mut review = data::load_from(plan, &inputs.tables, province)?;
    let results = match plan.evaluation_for(review.year) {
        Some(e) => unit::from_answers(review.year, &inputs.answers_of(province), unit::standings_in(&inputs.tables.rankings_of(province))?, &e.rubric, &e.scale)?,
        None => Vec::new(),
    };
    review.losses = unit::losses(&results, LOSSES);
    review.unit_pages = results.iter().map(|r| (r.code.clone(), format!("{UNITS}/{}", r.file_stem()))).collect();
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    // A stale file from an earlier layout must not sit next to the new ones.
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(io(dir))?;
    }
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let sheets = table::all(&review);
    ranking_csv::write(&sheets[0], &dir.join(CSV))?;
    workbook::write(&review, &sheets, &dir.join(XLSX))?;
    let html = dir.join(HTML);
    std::fs::write(&html, page::render(&review)).map_err(io(&html))?;
    let units = dir.join(UNITS);
    if !results.is_empty() {
        std::fs::create_dir_all(&units).map_err(io(&units))?;
    }
    results.par_iter().try_for_each(|r| {
        let tables = unit_tables::UnitTables::new(r, &review.province_name);
        let page = units.join(format!("{}.html", r.file_stem()));
        std::fs::write(&page, unit_page::render(r, &tables, &review.province_name, &format!("../{HTML}"))).map_err(io(&page))?;
        workbook::write_unit(r, &tables.sheets(), &units.join(format!("{}.xlsx", r.file_stem())))
    })
}
