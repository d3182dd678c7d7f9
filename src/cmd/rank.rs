//! `sakip rank`: the planners' ranking questions, answered from the
//! `rankings` and `component_rankings` tables ("who are the bottom five in
//! Pengukuran this year?").

use std::io::Write;
use std::path::PathBuf;

use polars::prelude::*;

use crate::cmd::{frame, Format};
use crate::error::{Error, Result};
use crate::tables::{self, query_error};
use crate::Outcome;

/// Rank the units of a year, in a province or nationally.
///
/// Competition ranks (1, 2, 2, 4) on the evaluator's scores; within a tie,
/// units are listed by code.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The warehouse directory.
    #[arg(long, value_name = "DIR")]
    pub warehouse: PathBuf,

    /// Evaluation year.
    #[arg(long)]
    pub year: i32,

    /// Only this province (2-digit code); ranks are then the province's.
    #[arg(long, value_name = "CODE")]
    pub province: Option<String>,

    /// Rank by the total or by one component (its code, e.g. 2, or its name,
    /// e.g. "Pengukuran Kinerja").
    #[arg(long, default_value = "total", value_name = "total|COMPONENT")]
    pub by: String,

    /// Only the best N.
    #[arg(long, value_name = "N", conflicts_with = "bottom")]
    pub top: Option<usize>,

    /// Only the worst N.
    #[arg(long, value_name = "N")]
    pub bottom: Option<usize>,

    /// Only units whose total has this predikat.
    #[arg(long, value_name = "PREDIKAT")]
    pub grade: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Which evaluation to rank: SAKIP, the satisfaction index (IKM) or
    /// key-indicator achievement (IKU).
    #[arg(long, value_enum, default_value_t = Evaluation::Sakip)]
    pub evaluation: Evaluation,
}

/// The evaluations `sakip rank` ranks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Evaluation {
    /// The SAKIP evaluation (LKE).
    Sakip,
    /// The public-satisfaction index.
    Ikm,
    /// Key-indicator achievement.
    Iku,
}

/// Runs `sakip rank`.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<Outcome> {
    if args.evaluation != Evaluation::Sakip {
        return rank_neighbour(args, out);
    }
    let root = crate::snapshot::resolve(&args.warehouse);
    let year_file = |table: &str| tables::year_file(&root, table, args.year);
    let totals_path = year_file(tables::RANKINGS);
    if !totals_path.is_file() {
        let years: Vec<String> = tables::files(&args.warehouse, tables::RANKINGS)
            .iter()
            .filter_map(|p| tables::partition_year(p.parent()?.file_name()?.to_str()?).map(|y| y.to_string()))
            .collect();
        if years.is_empty() {
            return Err(Error::NoTable { table: tables::RANKINGS.into(), warehouse: args.warehouse.clone() });
        }
        return Err(Error::Usage(format!("no rankings for {}; years in the warehouse: {}", args.year, years.join(", "))));
    }
    let totals = tables::scan_file(&totals_path)?;
    let rank_col = if args.province.is_some() { "rank_province" } else { "rank_national" };
    let mut lf = if args.by.eq_ignore_ascii_case("total") {
        totals.select([
            col(rank_col).alias("rank"),
            col("province_code"),
            col("unit_code"),
            col("unit_name"),
            col("score"),
            col("predikat"),
            col("prev_score"),
            col("score_change"),
            col("rank_change"),
            col("prev_predikat"),
        ])
    } else {
        let components = tables::scan_file(&year_file(tables::COMPONENT_RANKINGS))?;
        let code = find_component(&components, &args.by)?;
        components
            .filter(col("component").eq(lit(code)))
            .join(totals.select([col("unit_code"), col("predikat")]), [col("unit_code")], [col("unit_code")], JoinArgs::new(JoinType::Left))
            .select([
                col(rank_col).alias("rank"),
                col("province_code"),
                col("unit_code"),
                col("unit_name"),
                col("component"),
                col("component_name"),
                col("score"),
                col("max_score"),
                col("predikat"),
            ])
    };
    if let Some(p) = &args.province {
        lf = lf.filter(col("province_code").eq(lit(p.trim().to_string())));
    }
    lf = with_submitted_codes(lf, &root, args.year)?;
    if let Some(g) = &args.grade {
        lf = lf.filter(col("predikat").eq(lit(g.trim().to_uppercase())));
    }
    lf = lf.sort(["rank", "unit_code"], SortMultipleOptions::default());
    let mut df = lf.collect().map_err(query_error("rank"))?;
    if args.province.is_some() && df.height() == 0 {
        return Err(Error::Usage(format!("no ranked units for province {} in {}", args.province.as_deref().unwrap_or(""), args.year)));
    }
    if let Some(n) = args.top {
        df = df.head(Some(n));
    }
    if let Some(n) = args.bottom {
        df = df.tail(Some(n));
    }
    frame::print(&df, args.format, out)?;
    Ok(Outcome::Clean)
}

/// Names each unit that sent its worksheet of the year under another code
/// than today's (a former code, before a code change) with that code:
/// `KPU Kabupaten Merauke (as 91.01)`, so the ranking of a year before the
/// change reads as the year knew it. A warehouse written before answers kept
/// the submitted code is shown as it is.
fn with_submitted_codes(lf: LazyFrame, root: &std::path::Path, year: i32) -> Result<LazyFrame> {
    let path = tables::year_file(root, tables::ANSWERS, year);
    if !path.is_file() {
        return Ok(lf);
    }
    let mut answers = tables::scan_file(&path)?;
    if !answers.collect_schema().map_err(query_error("answers"))?.contains("submitted_code") {
        return Ok(lf);
    }
    let pairs = answers
        .select([col("unit_code"), col("submitted_code")])
        .filter(col("unit_code").neq(col("submitted_code")))
        .unique_stable(None, UniqueKeepStrategy::First)
        .collect()
        .map_err(query_error("answers"))?;
    let text = |name: &str| -> Result<Vec<String>> {
        let ca = pairs.column(name).and_then(|c| c.str().cloned()).map_err(query_error(name))?;
        Ok(ca.iter().map(|v| v.unwrap_or_default().to_string()).collect())
    };
    let mut notes = std::collections::BTreeMap::new();
    for (unit, submitted) in text("unit_code")?.into_iter().zip(text("submitted_code")?) {
        let shown = if submitted.len() == 4 { format!("{}.{}", &submitted[..2], &submitted[2..]) } else { submitted };
        notes.entry(unit).or_insert(shown);
    }
    if notes.is_empty() {
        return Ok(lf);
    }
    let (units, shown): (Vec<String>, Vec<String>) = notes.into_iter().unzip();
    let notes = DataFrame::new(units.len(), vec![Column::new("unit_code".into(), units), Column::new("submitted_as".into(), shown)]).map_err(query_error("answers"))?;
    Ok(lf
        .join(notes.lazy(), [col("unit_code")], [col("unit_code")], JoinArgs::new(JoinType::Left))
        .with_column(
            when(col("submitted_as").is_not_null())
                .then(concat_str([col("unit_name"), lit(" (as "), col("submitted_as"), lit(")")], "", true))
                .otherwise(col("unit_name"))
                .alias("unit_name"),
        )
        .drop(by_name(["submitted_as"], true, false)))
}

/// The component code for a code or a name (case-insensitive), or an error
/// listing the components there are.
fn find_component(components: &LazyFrame, wanted: &str) -> Result<String> {
    let list = components
        .clone()
        .select([col("component"), col("component_name")])
        .unique_stable(None, UniqueKeepStrategy::First)
        .sort(["component"], SortMultipleOptions::default())
        .collect()
        .map_err(query_error("components"))?;
    let codes = list.column("component").map_err(query_error("component"))?.str().map_err(query_error("component"))?.clone();
    let names = list.column("component_name").map_err(query_error("component_name"))?.str().map_err(query_error("component_name"))?.clone();
    let w = wanted.trim();
    for (code, name) in codes.iter().zip(names.iter()) {
        let (code, name) = (code.unwrap_or(""), name.unwrap_or(""));
        if code == w || name.eq_ignore_ascii_case(w) || name.to_lowercase().starts_with(&w.to_lowercase()) {
            return Ok(code.to_string());
        }
    }
    let known: Vec<String> = codes.iter().zip(names.iter()).map(|(c, n)| format!("{} ({})", c.unwrap_or(""), n.unwrap_or(""))).collect();
    Err(Error::Usage(format!("no component '{w}'; components: {}", known.join(", "))))
}

/// `sakip rank --evaluation ikm|iku`: the year's units of `ikm_scores` or
/// `iku_scores` in rank order. Units not scored (too few respondents) have
/// no rank and are listed last.
fn rank_neighbour(args: &Args, out: &mut dyn Write) -> Result<Outcome> {
    use polars::prelude::*;

    use crate::error::Error;
    use crate::tables::{self, query_error};

    if !args.by.eq_ignore_ascii_case("total") {
        return Err(Error::Usage("--by ranks SAKIP components; IKM and IKU rank on their index only".into()));
    }
    let (table, score, grade, extra) = match args.evaluation {
        Evaluation::Ikm => (crate::ikm::SCORES, "ikm", "mutu", vec![col("respondents"), col("kinerja"), col("status")]),
        _ => (crate::iku::SCORES, "capaian", "grade", vec![col("indicators")]),
    };
    let years = tables::years(&args.warehouse, table);
    if years.is_empty() {
        return Err(Error::NoTable { table: table.into(), warehouse: args.warehouse.clone() });
    }
    if !years.contains(&args.year) {
        let list: Vec<String> = years.iter().map(i32::to_string).collect();
        return Err(Error::Usage(format!("no {table} for {}; years in the warehouse: {}", args.year, list.join(", "))));
    }
    let rank_col = if args.province.is_some() { "rank_province" } else { "rank_national" };
    let mut cols = vec![col(rank_col).alias("rank"), col("province_code"), col("unit_code"), col("unit_name"), col(score), col(grade)];
    cols.extend(extra);
    cols.extend([col(format!("prev_{score}")), col(format!("{score}_change")), col("rank_change"), col(format!("prev_{grade}"))]);
    let mut lf = tables::scan_year(&args.warehouse, table, args.year)?.select(cols);
    if let Some(p) = &args.province {
        lf = lf.filter(col("province_code").eq(lit(p.trim().to_string())));
    }
    if let Some(g) = &args.grade {
        lf = lf.filter(col(grade).str().to_lowercase().eq(lit(g.trim().to_lowercase())));
    }
    lf = lf.sort(["rank", "unit_code"], SortMultipleOptions::default().with_nulls_last(true));
    let mut df = lf.collect().map_err(query_error("rank"))?;
    if let Some(n) = args.top {
        df = df.head(Some(n));
    }
    if let Some(n) = args.bottom {
        // The bottom of the ranking: scored units only.
        df = df.lazy().filter(col("rank").is_not_null()).collect().map_err(query_error("rank"))?.tail(Some(n));
    }
    crate::cmd::frame::print(&df, args.format, out)?;
    Ok(Outcome::Clean)
}
