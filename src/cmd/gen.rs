//! `sakip gen`: a synthetic inbox of the whole country's history.

use std::io::Write;
use std::path::PathBuf;

use crate::cmd::io_out;
use crate::error::{Error, Result};
use crate::gen::{generate, GenFormat, GenSpec};
use crate::rules::pipeline::{Overrides, Plan};
use crate::Outcome;

/// Write a deterministic synthetic inbox (<out>/<year>/<unit>.csv) for
/// benchmarks and tests, using the real unit registry and, for each year,
/// the rubric the pipeline assigns to it.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The inbox to write.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Evaluation years, e.g. 2006-2025.
    #[arg(long, default_value = "2006-2025", value_name = "FROM-TO")]
    pub years: String,

    /// Only these provinces, e.g. 53,33 (default: all 38).
    #[arg(long, value_delimiter = ',', value_name = "CODES")]
    pub provinces: Vec<String>,

    /// Write K copies of the span of years, each shifted back by its length:
    /// K times the files, every partition the same shape.
    #[arg(long, default_value_t = 1, value_name = "K")]
    pub scale: u32,

    /// Seed of the answers.
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,

    /// File format.
    #[arg(long, value_enum, default_value_t = GenFormat::Csv)]
    pub format: GenFormat,

    /// Also write IKM surveys, one CSV per unit and year, into DIR (with the
    /// pipeline's `[ikm]` rule; the years as given, not scaled).
    #[arg(long, value_name = "DIR")]
    pub ikm_out: Option<PathBuf>,

    /// Also write IKU reports, one CSV per unit and year, into DIR.
    #[arg(long, value_name = "DIR")]
    pub iku_out: Option<PathBuf>,

    /// The pipeline whose registry and rubrics to use.
    #[arg(long, default_value = "pipelines/national-history.toml", value_name = "PIPELINE.toml")]
    pub pipeline: PathBuf,
}

/// Runs `sakip gen`.
pub fn run(args: &Args, out: &mut dyn Write) -> Result<Outcome> {
    let plan = Plan::load(&args.pipeline, &Overrides::default())?;
    let (from, to) = args
        .years
        .split_once('-')
        .and_then(|(a, b)| Some((a.trim().parse::<i32>().ok()?, b.trim().parse::<i32>().ok()?)))
        .filter(|(a, b)| a <= b)
        .ok_or_else(|| Error::Usage(format!("--years '{}' is not FROM-TO, e.g. 2006-2025", args.years)))?;
    if args.scale == 0 {
        return Err(Error::Usage("--scale must be at least 1".into()));
    }
    let spec = GenSpec { out: args.out.clone(), years: (from, to), provinces: args.provinces.clone(), scale: args.scale, seed: args.seed, format: args.format };
    let s = generate(&plan, &spec)?;
    writeln!(out, "gen  {} files, {} answer rows, {} bytes in {}", s.files, s.rows, s.bytes, args.out.display()).map_err(io_out)?;
    // -- IKM / IKU
    if args.ikm_out.is_some() || args.iku_out.is_some() {
        let mut jobs = Vec::new();
        for year in from..=to {
            for u in plan.registry.units_in(None, year) {
                if !args.provinces.is_empty() && !args.provinces.contains(&u.province_code) {
                    continue;
                }
                let code = match plan.registry.former(&u.code) {
                    Some(change) if year < change.from_year => change.old_code.clone(),
                    _ => u.code.clone(),
                };
                jobs.push((year, code));
            }
        }
        if let Some(dir) = &args.ikm_out {
            let ikm = plan.ikm.as_ref().ok_or_else(|| Error::Usage(format!("{} declares no [ikm] rule to write surveys for", args.pipeline.display())))?;
            let (files, rows, bytes) = crate::ikm::gen::surveys(&ikm.rule, &jobs, dir, args.seed)?;
            writeln!(out, "gen  {files} IKM surveys, {rows} respondents, {bytes} bytes in {}", dir.display()).map_err(io_out)?;
        }
        if let Some(dir) = &args.iku_out {
            let (files, rows, bytes) = crate::ikm::gen::reports(&jobs, dir, args.seed)?;
            writeln!(out, "gen  {files} IKU reports, {rows} indicator rows, {bytes} bytes in {}", dir.display()).map_err(io_out)?;
        }
    }
    // -- end IKM / IKU
    Ok(Outcome::Clean)
}
