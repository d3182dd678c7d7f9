//! `sakip review`: the provincial review of one year, from the warehouse.

use std::io::Write;

use crate::cmd::args::PipelineArgs;
use crate::cmd::{io_out, staged};
use crate::error::Result;
use crate::Outcome;

/// Write the provincial review (XLSX workbook, HTML page, ranking CSV) of a
/// year to <warehouse>/review/<year>/<province>/.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub pipeline: PipelineArgs,

    /// Evaluation year (default: the latest in the warehouse).
    #[arg(long)]
    pub year: Option<i32>,

    /// Province code (default: the pipeline's province, or every province).
    #[arg(long, value_name = "CODE")]
    pub province: Option<String>,
}

/// Runs `sakip review`.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<Outcome> {
    let mut plan = args.pipeline.plan()?;
    let _lock = crate::snapshot::Lock::acquire(&plan.warehouse)?;
    // The review joins the snapshot it is made from.
    plan.warehouse = crate::snapshot::resolve(&plan.warehouse);
    let written = staged::pool(&plan)?.install(|| crate::review::write_reviews(&plan, args.year, args.province.as_deref()))?;
    for dir in written {
        writeln!(out, "review  {}", dir.display()).map_err(io_out)?;
    }
    Ok(Outcome::Clean)
}
