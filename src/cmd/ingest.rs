//! `sakip ingest`: the inbox of a pipeline into the Parquet warehouse.

use std::io::Write;

use crate::cmd::args::PipelineArgs;
use crate::cmd::{staged, summary};
use crate::error::Result;
use crate::Outcome;

/// Read every submission in the inbox and write the warehouse.
///
/// Writes `answers/year=YYYY/part-0.parquet` and
/// `rejects/year=YYYY/part-0.parquet` in a new snapshot of the warehouse,
/// then prints a summary.
/// Exit code 0 when everything was used, 1 when some input was rejected
/// (the outputs are still written), 2 when the run could not happen.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub pipeline: PipelineArgs,

    /// Re-read every submission, even of year folders unchanged since the
    /// current snapshot.
    #[arg(long)]
    pub full: bool,
}

/// Runs `sakip ingest`: like `sakip run`, into a new snapshot published
/// atomically, with only the ingest tables.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<Outcome> {
    let plan = args.pipeline.plan()?;
    let (ingested, _) = staged::run(&plan, args.full, |stage| crate::ingest::ingest(&stage.plan, stage.previous.as_deref()))?;
    summary::print_ingest(&plan, &ingested, out)?;
    Ok(if ingested.clean() { Outcome::Clean } else { Outcome::Rejected })
}
