//! `sakip ingest`: the inbox of a pipeline into the Parquet warehouse.

use std::io::Write;
use std::path::PathBuf;

use crate::cmd::io_out;
use crate::error::Result;
use crate::ingest::{ingest, Summary};
use crate::rules::pipeline::{Overrides, Plan};
use crate::Outcome;

/// Where a pipeline's inputs and outputs are, overridable on the command line
/// so the same pipeline runs on another inbox.
#[derive(Debug, Clone, clap::Args)]
pub struct PipelineArgs {
    /// The pipeline file (pipelines/<name>.toml).
    #[arg(value_name = "PIPELINE.toml")]
    pub pipeline: PathBuf,

    /// Read submissions from this inbox instead of the pipeline's.
    #[arg(long, value_name = "DIR")]
    pub inbox: Option<PathBuf>,

    /// Write the warehouse here instead of the pipeline's.
    #[arg(long, value_name = "DIR")]
    pub warehouse: Option<PathBuf>,

    /// Worker threads (default: one per core). Output is identical for any
    /// number.
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

impl PipelineArgs {
    /// Reads and checks the pipeline with the overrides applied. With
    /// `--threads`, polars' own worker pool is sized to match, so the whole
    /// run uses at most that many threads.
    pub fn plan(&self) -> Result<Plan> {
        if let Some(n) = self.threads.filter(|&n| n > 0) {
            // polars sizes its pool from this variable when first used, which
            // is after this point.
            std::env::set_var("POLARS_MAX_THREADS", n.to_string());
        }
        Plan::load(&self.pipeline, &Overrides { inbox: self.inbox.clone(), warehouse: self.warehouse.clone(), threads: self.threads })
    }
}

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
    let _lock = crate::snapshot::Lock::acquire(&plan.warehouse)?;
    let staging = crate::snapshot::Staging::begin(&plan.warehouse)?;
    let previous = if args.full { None } else { crate::snapshot::current_dir(&plan.warehouse) };
    let summary = ingest(&Plan { warehouse: staging.dir().to_path_buf(), ..plan.clone() }, previous.as_deref())?;
    staging.publish(plan.keep_snapshots)?;
    print_summary(&plan, &summary, out)?;
    Ok(if summary.clean() { Outcome::Clean } else { Outcome::Rejected })
}

/// The short human summary at the end of an ingest.
pub fn print_summary(plan: &Plan, s: &Summary, out: &mut dyn Write) -> Result<()> {
    let w = |out: &mut dyn Write, line: String| writeln!(out, "{line}").map_err(io_out);
    w(out, format!("ingest  {}", plan.name))?;
    w(out, format!("  files read        {:>7}   ({} accepted)", s.files, s.files_accepted))?;
    w(out, format!("  rows read         {:>7}", s.rows_read))?;
    w(out, format!("  rows accepted     {:>7}", s.rows_accepted))?;
    w(out, format!("  rows rejected     {:>7}", s.rows_rejected))?;
    w(out, format!("  missing criteria  {:>7}   (written as missing, not as zero)", s.missing_criteria))?;
    if !s.rejects_by_rule.is_empty() {
        w(out, "  rejects by reason".to_string())?;
        for (rule, n) in &s.rejects_by_rule {
            let rows = format!("{} row{}", n.rows, if n.rows == 1 { "" } else { "s" });
            let files = format!("{} file{}", n.files, if n.files == 1 { "" } else { "s" });
            let detail = match (n.files, n.rows) {
                (0, _) => rows,
                (_, 0) => files,
                _ => format!("{files} ({rows})"),
            };
            w(out, format!("    {rule:<22}{detail}"))?;
        }
    }
    for (year, units) in &s.units_without_submission {
        if units.is_empty() {
            w(out, format!("  {year}: every unit submitted"))?;
        } else {
            // A terminal line, not a report: the review lists every unit.
            const SHOWN: usize = 12;
            let more = if units.len() > SHOWN { format!(", … and {} more", units.len() - SHOWN) } else { String::new() };
            let shown: Vec<&str> = units.iter().take(SHOWN).map(String::as_str).collect();
            w(out, format!("  {year}: no submission from {} unit{}: {}{more}", units.len(), if units.len() == 1 { "" } else { "s" }, shown.join(", ")))?;
        }
    }
    for (year, notes) in &s.code_notes {
        w(out, format!("  {year}: {} file{} with a unit code from the other side of its code change:", notes.len(), if notes.len() == 1 { "" } else { "s" }))?;
        for note in notes {
            w(out, format!("    {note}"))?;
        }
    }
    w(out, format!("  warehouse         {}", plan.warehouse.display()))?;
    if !s.clean() {
        w(out, format!("  rejects are listed with their reasons in {}", plan.warehouse.join("current/rejects/").display()))?;
    }
    Ok(())
}
