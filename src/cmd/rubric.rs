//! `sakip rubric`: a rubric flattened to one row per criterion, for checking
//! against the regulation or opening in Excel.

use std::io::Write;

use serde_json::json;

use crate::cmd::{io_out, truncate, write_csv, write_table, Format};
use crate::error::Result;
use crate::exact::format_exact;
use crate::rules::catalog::Catalog;
use crate::Outcome;

/// Show a rubric, one row per criterion.
///
/// Weights are in points of the 100-point total; `criterion_weight` is what
/// full marks on the criterion are worth.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Rubric: an id under pipelines/rubrics/ or a path.
    #[arg(value_name = "ID|FILE")]
    pub rubric: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

const HEADER: [&str; 10] = [
    "component",
    "component_weight",
    "subcomponent",
    "subcomponent_name",
    "subcomponent_weight",
    "criterion",
    "criterion_weight",
    "scale",
    "answers",
    "criterion_name",
];

/// Runs `sakip rubric`.
pub fn run(catalog: &Catalog, args: &Args, out: &mut dyn Write) -> Result<Outcome> {
    let rubric = catalog.rubric(&args.rubric)?;
    let rows: Vec<Vec<String>> = rubric
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let sub = &rubric.subcomponents[c.subcomponent];
            let comp = &rubric.components[sub.component];
            let scale = rubric.scale_of(i);
            vec![
                comp.code.clone(),
                format_exact(&comp.weight, 6),
                sub.code.clone(),
                sub.name.clone(),
                format_exact(&sub.weight, 6),
                c.code.clone(),
                format_exact(&c.points, 6),
                scale.id.clone(),
                scale.allowed(),
                c.name.clone(),
            ]
        })
        .collect();
    match args.format {
        Format::Csv => write_csv(out, &HEADER, &rows)?,
        Format::Json => {
            let items: Vec<_> = rows
                .iter()
                .map(|r| serde_json::Value::Object(HEADER.iter().zip(r).map(|(k, v)| (k.to_string(), json!(v))).collect()))
                .collect();
            let doc = json!({ "rubric": rubric.id, "name": rubric.name, "criteria": items });
            writeln!(out, "{}", serde_json::to_string_pretty(&doc).expect("JSON of strings")).map_err(io_out)?;
        }
        Format::Table => {
            writeln!(out, "{} — {} ({} criteria)\n", rubric.id, rubric.name, rubric.criteria.len()).map_err(io_out)?;
            let short: Vec<Vec<String>> = rows
                .iter()
                .map(|r| vec![r[5].clone(), r[4].clone(), r[6].clone(), r[7].clone(), truncate(&r[9], 70)])
                .collect();
            write_table(out, &["criterion", "sub_weight", "weight", "scale", "name"], &short, &[1, 2])?;
        }
    }
    Ok(Outcome::Clean)
}
