//! `sakip rollback`: point the warehouse back at an earlier snapshot after a
//! bad night.

use std::io::Write;

use crate::cmd::args::PipelineArgs;
use crate::cmd::io_out;
use crate::error::Result;
use crate::snapshot;
use crate::Outcome;

/// Make an earlier snapshot current again: the one before the current one,
/// or the one given with --to. Snapshots are kept per the pipeline's
/// keep_snapshots (default 7).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub pipeline: PipelineArgs,

    /// The snapshot to make current.
    #[arg(long, value_name = "ID")]
    pub to: Option<u64>,
}

/// Runs `sakip rollback`.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<Outcome> {
    let plan = args.pipeline.plan()?;
    let _lock = snapshot::Lock::acquire(&plan.warehouse)?;
    let before = snapshot::current_id(&plan.warehouse);
    let now = snapshot::rollback(&plan.warehouse, args.to)?;
    let kept: Vec<String> = snapshot::list(&plan.warehouse)?.iter().map(|i| i.to_string()).collect();
    writeln!(
        out,
        "rollback  current is now snapshot {now} (was {}); kept: {}",
        before.map_or("none".to_string(), |b| b.to_string()),
        kept.join(", ")
    )
    .map_err(io_out)?;
    Ok(Outcome::Clean)
}
