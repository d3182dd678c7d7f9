//! The arguments every command that works on a pipeline's warehouse shares
//! (`ingest`, `run`, `review`, `rollback`), so they read and mean the same
//! in each.

use std::path::PathBuf;

use crate::error::Result;
use crate::rules::pipeline::{Overrides, Plan};

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
    /// Reads and checks the pipeline with the overrides applied. Nothing
    /// else: the worker pool is built from the plan by the command
    /// ([`crate::cmd::staged::pool`]), and polars' own pool is sized once at
    /// start-up in `main`.
    pub fn plan(&self) -> Result<Plan> {
        Plan::load(&self.pipeline, &Overrides { inbox: self.inbox.clone(), warehouse: self.warehouse.clone(), threads: self.threads })
    }
}
