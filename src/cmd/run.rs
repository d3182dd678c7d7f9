//! `sakip run`: the nightly consolidation — ingest, score, rank, review — in
//! one command, with a summary a person reads in the morning.

use std::io::Write;

use crate::cmd::ingest::{print_summary, PipelineArgs};
use crate::cmd::io_out;
use crate::error::Result;
use crate::pipeline::Plan;
use crate::score::units::{score_and_write_reusing, YearTally};
use crate::snapshot::{Lock, Staging};
use crate::tables::Unchanged;
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
    let mut clock = Clock::start();
    let ingest = crate::ingest::ingest(&stage_plan, previous.as_deref())?;
    clock.lap("ingest");
    crate::memory::return_freed_pages_at_once();
    let stage = crate::progress::stage("score");
    let pool = crate::ingest::pool(&plan)?;
    // Years ingest took over unchanged keep last night's scores, rankings
    // and review.
    let unchanged = previous.as_deref().map(|previous| Unchanged { previous, years: &ingest.reused_years });
    let scores = pool.install(|| score_and_write_reusing(&stage_plan, unchanged))?;
    stage.finish_and_clear();
    clock.lap("score");
    let stage = crate::progress::stage("rank");
    pool.install(|| crate::rank::write_rankings_reusing(&stage_plan.warehouse, unchanged))?;
    stage.finish_and_clear();
    clock.lap("rank");
    let stage = crate::progress::stage("review");
    let reviews = pool.install(|| crate::review::write_latest_reusing(&stage_plan, unchanged))?;
    stage.finish_and_clear();
    clock.lap("review");
    // IKM and IKU are recomputed in full from their inboxes on every run.
    let neighbours = crate::cmd::evaluations::consolidate(&plan, &stage_plan.warehouse)?;
    clock.lap("ikm/iku");
    let id = staging.id();
    staging.publish(plan.keep_snapshots)?;
    clock.lap("publish");

    print_summary(&plan, &ingest, out)?;
    print_scores(&plan, &scores, out)?;
    neighbours.print(out)?;
    for path in reviews.into_iter().chain(neighbours.reviews.clone()) {
        // The stable path a planner bookmarks: through `current`.
        let shown = path.strip_prefix(&stage_plan.warehouse).map(|rel| plan.warehouse.join("current").join(rel)).unwrap_or(path);
        writeln!(out, "  review            {}", shown.display()).map_err(io_out)?;
    }
    writeln!(out, "  snapshot          {id} published as {}", plan.warehouse.join("current").display()).map_err(io_out)?;
    writeln!(out, "  time              {}", clock).map_err(io_out)?;
    Ok(if ingest.clean() && neighbours.clean() { Outcome::Clean } else { Outcome::Rejected })
}

/// Per year: units scored on the evaluator track and their grades.
fn print_scores(plan: &Plan, tallies: &[YearTally], out: &mut dyn Write) -> Result<()> {
    writeln!(out, "scores (evaluator track)").map_err(io_out)?;
    for tally in tallies.iter().filter(|t| t.units > 0) {
        let Some(evaluation) = plan.evaluation_for(tally.year) else { continue };
        let grades: Vec<String> =
            evaluation.scale.predikats().map(|p| format!("{p} {}", tally.grades.get(p).copied().unwrap_or(0))).collect();
        let note = if tally.incomplete > 0 { format!(", {} with missing criteria", tally.incomplete) } else { String::new() };
        writeln!(out, "  {}: {} units scored ({}){note}", tally.year, tally.units, grades.join(", ")).map_err(io_out)?;
    }
    Ok(())
}

/// Wall time per stage, for the summary: a nightly log then shows where a
/// slow night went.
struct Clock {
    last: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Clock {
    fn start() -> Clock {
        Clock { last: std::time::Instant::now(), laps: Vec::new() }
    }

    fn lap(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

impl std::fmt::Display for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total: std::time::Duration = self.laps.iter().map(|(_, d)| *d).sum();
        write!(f, "{:.2} s (", total.as_secs_f64())?;
        for (i, (stage, d)) in self.laps.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{stage} {:.2} s", d.as_secs_f64())?;
        }
        write!(f, ")")
    }
}
