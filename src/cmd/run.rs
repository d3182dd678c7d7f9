//! `sakip run`: the nightly consolidation — ingest, score, rank, review — in
//! one command, with a summary a person reads in the morning.

use std::io::Write;

use crate::cmd::args::PipelineArgs;
use crate::cmd::io_out;
use crate::cmd::staged;
use crate::cmd::summary::{print_ingest, print_scores, Clock};
use crate::error::Result;
use crate::score::units::{score_and_write_reusing, score_ingested, YearTally};
use crate::score::write::write_year;
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
    let ((ingest, scores, reviews, neighbours, mut clock), published) = staged::run(&plan, args.full, |stage| {
        let mut clock = Clock::start();
        // Each year read is scored in the ingest pass, from the values just
        // checked, while its answers are written.
        let scored = std::sync::Mutex::new(std::collections::BTreeMap::new());
        let ingest = crate::ingest::ingest_with(&stage.plan, stage.previous.as_deref(), &|year, rows| {
            let scores = score_ingested(&stage.plan, rows)?;
            write_year(&stage.plan, year, &scores)?;
            scored.lock().expect("no scoring thread panicked").insert(year, YearTally::of(year, &scores));
            Ok(())
        })?;
        crate::memory::return_freed_pages_soon();
        // Years ingest took over unchanged keep last night's scores, rankings
        // and review; nothing is taken over from a snapshot written under
        // other rules.
        let unchanged = stage.previous.as_deref().filter(|_| ingest.same_rules).map(|previous| Unchanged { previous, years: &ingest.reused_years });
        let spinner = crate::progress::stage("score");
        let scores = score_and_write_reusing(&stage.plan, unchanged, &scored.into_inner().expect("no scoring thread panicked"))?;
        spinner.finish_and_clear();
        clock.lap("ingest+score");
        let spinner = crate::progress::stage("rank");
        let rankings = crate::rank::Rankings::begin(&stage.plan.warehouse, unchanged)?;
        let latest = rankings.latest();
        rankings.write(|year| Some(year) == latest)?;
        spinner.finish_and_clear();
        clock.lap("rank latest");
        let spinner = crate::progress::stage("review");
        // The review reads its year's rankings only, so the older years are
        // ranked beside it (ranking alone keeps one core busy, not two).
        // A pipeline whose province has no ranking in the latest year is
        // reviewed at its own latest year, once every year is ranked.
        let early = latest.map(|year| crate::review::targets_in(&stage.plan, year)).transpose()?.unwrap_or_default();
        let older = |year| Some(year) != latest;
        let reviews = if early.is_empty() {
            rankings.write(older)?;
            crate::review::write_latest_reusing(&stage.plan, unchanged)?
        } else {
            let (ranked, reviews) = rayon::join(|| rankings.write(older), || crate::review::write_targets(&stage.plan, early, unchanged));
            ranked?;
            reviews?
        };
        spinner.finish_and_clear();
        clock.lap("review+rank");
        // IKM and IKU are recomputed in full from their inboxes on every run.
        let neighbours = crate::cmd::evaluations::consolidate(&stage.plan, &stage.plan.warehouse)?;
        clock.lap("ikm/iku");
        Ok((ingest, scores, reviews, neighbours, clock))
    })?;
    clock.lap("publish");

    print_ingest(&plan, &ingest, out)?;
    print_scores(&plan, &scores, out)?;
    neighbours.print(out)?;
    for path in reviews.into_iter().chain(neighbours.reviews.clone()) {
        writeln!(out, "  review            {}", published.shown(&path).display()).map_err(io_out)?;
    }
    writeln!(out, "  snapshot          {} published as {}", published.id, published.current.display()).map_err(io_out)?;
    writeln!(out, "  time              {}", clock).map_err(io_out)?;
    Ok(if ingest.clean() && neighbours.clean() { Outcome::Clean } else { Outcome::Rejected })
}
