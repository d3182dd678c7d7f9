//! `sakip template`: the LKE worksheet to send out, one XLSX per unit, in
//! the layout `sakip ingest` reads back.

use std::io::Write;
use std::path::PathBuf;

use crate::cmd::io_out;
use crate::error::Result;
use crate::rules::pipeline::{Overrides, Plan};
use crate::template::{write_all, Units};
use crate::Outcome;

/// Write the worksheet template of a year: one XLSX per unit
/// (`<code>-<slug>.xlsx`) for the rubric the pipeline assigns to that year,
/// with unit, year and criteria filled in, a dropdown of each criterion's
/// answers, and an Indonesian instructions sheet.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The pipeline file (pipelines/<name>.toml).
    #[arg(value_name = "PIPELINE.toml")]
    pub pipeline: PathBuf,

    /// The evaluation year.
    #[arg(long, value_name = "YYYY")]
    pub year: i32,

    /// Only this unit (repeatable); a Kemendagri code such as 5301 or 53.01.
    #[arg(long = "unit", value_name = "CODE", conflicts_with = "all")]
    pub units: Vec<String>,

    /// Every unit the pipeline consolidates (the default).
    #[arg(long)]
    pub all: bool,

    /// The folder to write into [default: templates/<year>].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Runs `sakip template`.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<Outcome> {
    let plan = Plan::load(&args.pipeline, &Overrides::default())?;
    let units = if args.units.is_empty() { Units::All } else { Units::Codes(args.units.clone()) };
    let dir = args.out.clone().unwrap_or_else(|| PathBuf::from("templates").join(args.year.to_string()));
    let written = write_all(&plan, args.year, &units, &dir)?;
    let rubric = &crate::template::evaluation(&plan, args.year)?.rubric;
    for w in &written {
        writeln!(out, "  {}  {}", w.path.display(), w.unit.name).map_err(io_out)?;
    }
    writeln!(out, "template  {} {}: {} file{} in {}", rubric.id, args.year, written.len(), if written.len() == 1 { "" } else { "s" }, dir.display())
        .map_err(io_out)?;
    Ok(Outcome::Clean)
}
