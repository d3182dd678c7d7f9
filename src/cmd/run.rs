//! `sakip run`: the nightly consolidation — ingest, score, rank, review — in
//! one command, with a summary a person reads in the morning.

use std::collections::BTreeMap;
use std::io::Write;

use crate::cmd::ingest::{print_summary, PipelineArgs};
use crate::cmd::io_out;
use crate::error::Result;
use crate::ingest::records::Track;
use crate::pipeline::Plan;
use crate::score::units::{score_warehouse, write_scores, UnitScore};
use crate::snapshot::{Lock, Staging};
use crate::Outcome;

/// Ingest, score, rank and review a pipeline's inbox into a new snapshot.
///
/// Rebuilds every table from the inbox into a staging folder and publishes it
/// atomically as the warehouse's `current` snapshot, so readers see last
/// night's result or tonight's, never a mix, and a killed run changes
/// nothing. One run at a time per warehouse. Exit code 0 when everything was
/// used, 1 when some input was rejected (all outputs are still written), 2
/// when the run could not happen (the previous snapshot stays current).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub pipeline: PipelineArgs,

    /// Re-read every submission, even of year folders unchanged since the
    /// current snapshot (normally they are reused as they were).
    #[arg(long)]
    pub full: bool,
}

/// Runs `sakip run`.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<Outcome> {
    let plan = args.pipeline.plan()?;
    let _lock = Lock::acquire(&plan.warehouse)?;
    let staging = Staging::begin(&plan.warehouse)?;
    let stage_plan = Plan { warehouse: staging.dir().to_path_buf(), ..plan.clone() };
    let previous = if args.full { None } else { crate::snapshot::current_dir(&plan.warehouse) };
    let ingest = crate::ingest::ingest(&stage_plan, previous.as_deref())?;
    let stage = crate::progress::stage("score");
    let scores = crate::ingest::pool(&plan)?.install(|| score_warehouse(&stage_plan))?;
    write_scores(&stage_plan.warehouse, &scores)?;
    stage.finish_and_clear();
    let stage = crate::progress::stage("rank");
    crate::rank::write_rankings(&stage_plan.warehouse)?;
    stage.finish_and_clear();
    let stage = crate::progress::stage("review");
    let reviews = crate::review::write_latest(&stage_plan)?;
    stage.finish_and_clear();
    let id = staging.id();
    staging.publish(plan.keep_snapshots)?;

    print_summary(&plan, &ingest, out)?;
    print_scores(&plan, &scores, out)?;
    for path in reviews {
        // The stable path a planner bookmarks: through `current`.
        let shown = path.strip_prefix(&stage_plan.warehouse).map(|rel| plan.warehouse.join("current").join(rel)).unwrap_or(path);
        writeln!(out, "  review            {}", shown.display()).map_err(io_out)?;
    }
    writeln!(out, "  snapshot          {id} published as {}", plan.warehouse.join("current").display()).map_err(io_out)?;
    Ok(if ingest.clean() { Outcome::Clean } else { Outcome::Rejected })
}

/// Per year: units scored on the evaluator track and their grades.
fn print_scores(plan: &Plan, scores: &[UnitScore], out: &mut dyn Write) -> Result<()> {
    let mut by_year: BTreeMap<i32, Vec<&UnitScore>> = BTreeMap::new();
    for s in scores.iter().filter(|s| s.track == Track::Evaluator) {
        by_year.entry(s.year).or_default().push(s);
    }
    writeln!(out, "scores (evaluator track)").map_err(io_out)?;
    for (year, units) in by_year {
        let Some(evaluation) = plan.evaluation_for(year) else { continue };
        let grades: Vec<String> = evaluation
            .scale
            .predikats()
            .map(|p| format!("{p} {}", units.iter().filter(|u| u.predikat == p).count()))
            .collect();
        let incomplete = units.iter().filter(|u| u.missing_criteria > 0).count();
        let note = if incomplete > 0 { format!(", {incomplete} with missing criteria") } else { String::new() };
        writeln!(out, "  {year}: {} units scored ({}){note}", units.len(), grades.join(", ")).map_err(io_out)?;
    }
    Ok(())
}
