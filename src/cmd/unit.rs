//! `sakip unit`: one unit's points to gain in the terminal — the table of
//! its result page, for an operator answering a unit's "where did our
//! points go?" without opening the review.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use polars::prelude::*;

use crate::cmd::{io_out, truncate, write_csv, write_table, Format};
use crate::error::{Error, Result};
use crate::exact::{scaled_half_up, Exact};
use crate::review::unit::{self, UnitResult};
use crate::rules::catalog::Catalog;
use crate::tables::{self, query_error, DECIMAL_SCALE};
use crate::worksheet::Track;
use crate::Outcome;

/// Show one unit's points to gain: every criterion below full marks on the
/// evaluator track, the most points open first.
///
/// Points are exact from the rubric; the table shows two decimals, CSV and
/// JSON six (half-up), as in the criterion_scores table.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The warehouse directory.
    #[arg(long, value_name = "DIR")]
    pub warehouse: PathBuf,

    /// Evaluation year.
    #[arg(long)]
    pub year: i32,

    /// Unit code (5301 or 53.01).
    #[arg(long, value_name = "CODE")]
    pub unit: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

const HEADER: [&str; 7] = ["no", "criterion", "criterion_name", "answer", "points", "max_points", "points_open"];

/// Runs `sakip unit`.
pub fn run(catalog: &Catalog, args: &Args, out: &mut dyn Write) -> Result<Outcome> {
    let wh = crate::snapshot::resolve(&args.warehouse);
    let code = crate::registry::canonical_code(&args.unit).ok_or_else(|| Error::Usage(format!("'{}' is not a unit code (5301 or 53.01)", args.unit)))?;
    let scored = tables::years(&wh, tables::SCORES);
    if scored.is_empty() {
        return Err(Error::NoTable { table: tables::SCORES.into(), warehouse: args.warehouse.clone() });
    }
    if !scored.contains(&args.year) {
        let years: Vec<String> = scored.iter().map(i32::to_string).collect();
        return Err(Error::Usage(format!("no scores for {} in {}; years with scores: {}", args.year, args.warehouse.display(), years.join(", "))));
    }
    // The year's evaluator-scored units, with the rubric and scale each was
    // scored with.
    let df = tables::scan_year(&wh, tables::SCORES, args.year)?
        .filter(col("track").eq(lit(Track::Evaluator.as_str())))
        .select([col("unit_code"), col("unit_name"), col("rubric"), col("scale")])
        .sort(["unit_code"], SortMultipleOptions::default())
        .collect()
        .map_err(query_error(tables::SCORES))?;
    let text = |name: &str| -> Result<Vec<String>> { Ok(df.column(name).and_then(|c| c.str()).map_err(query_error(name))?.iter().map(|v| v.unwrap_or("").to_string()).collect()) };
    let (codes, names, rubrics, scales) = (text("unit_code")?, text("unit_name")?, text("rubric")?, text("scale")?);
    let Some(i) = codes.iter().position(|c| *c == code) else {
        let units: Vec<String> = codes.iter().zip(&names).map(|(c, n)| format!("{c} {n}")).collect();
        return Err(Error::Usage(format!("unit {code} has no evaluator score in {}; units scored that year: {}", args.year, units.join(", "))));
    };
    let rubric = catalog.rubric(&rubrics[i])?;
    let scale = Arc::new(catalog.predikat_scale(&scales[i])?);
    let result = unit::load(&wh, args.year, col("unit_code").eq(lit(code.as_str())), &rubric, &scale)?
        .into_iter()
        .next()
        .ok_or_else(|| Error::Query(format!("{}: unit {code} {} is scored but has no answers", tables::ANSWERS, args.year)))?;
    print(&result, args.format, out)?;
    Ok(Outcome::Clean)
}

/// Exact points as text with `places` decimals, half-up.
fn fixed(value: Exact, places: usize) -> String {
    let v = scaled_half_up(&value, places as u32);
    let sign = if v < 0 { "-" } else { "" };
    let p = 10u128.pow(places as u32);
    format!("{sign}{}.{:0width$}", v.unsigned_abs() / p, v.unsigned_abs() % p, width = places)
}

fn print(r: &UnitResult, format: Format, out: &mut dyn Write) -> Result<()> {
    let places = if format == Format::Table { 2 } else { DECIMAL_SCALE };
    let rows: Vec<Vec<String>> = r
        .to_gain()
        .iter()
        .enumerate()
        .map(|(i, l)| {
            vec![
                (i + 1).to_string(),
                l.code.clone(),
                if format == Format::Table { truncate(&l.name, 60) } else { l.name.clone() },
                l.answer.as_deref().unwrap_or_default().to_string(),
                l.points.map(|p| fixed(p, places)).unwrap_or_default(),
                fixed(l.max, places),
                l.open().map(|p| fixed(p, places)).unwrap_or_default(),
            ]
        })
        .collect();
    match format {
        Format::Table => {
            let standing = r.standing.as_ref().map_or(String::new(), |s| format!(", rank {} of {} in province {}", s.rank, s.of, r.province));
            writeln!(out, "{} {} {}: {} {}{standing}", r.code, r.name, r.year, r.score, r.predikat).map_err(io_out)?;
            let next = match r.next_grade() {
                Some(n) if n.gaps == 1 => format!("closing the largest gap gives {} -> {}", n.total, n.predikat),
                Some(n) => format!("closing the {} largest gaps gives {} -> {}", n.gaps, n.total, n.predikat),
                None => "no gap closing reaches a better predikat".to_string(),
            };
            writeln!(out, "points open: {} in {} criteria; {next}\n", fixed(r.open_total(), 2), rows.len()).map_err(io_out)?;
            write_table(out, &HEADER, &rows, &[0, 4, 5, 6])
        }
        Format::Csv => write_csv(out, &HEADER, &rows),
        Format::Json => {
            let list: Vec<serde_json::Value> = rows
                .iter()
                .map(|row| {
                    let object = HEADER.iter().zip(row).map(|(k, v)| {
                        let value = match *k {
                            "no" => serde_json::Value::from(v.parse::<u64>().unwrap_or_default()),
                            "answer" | "points" if v.is_empty() => serde_json::Value::Null,
                            _ => serde_json::Value::from(v.as_str()),
                        };
                        (k.to_string(), value)
                    });
                    serde_json::Value::Object(object.collect())
                })
                .collect();
            serde_json::to_writer_pretty(&mut *out, &list).map_err(|e| io_out(e.into()))?;
            writeln!(out).map_err(io_out)
        }
    }
}
