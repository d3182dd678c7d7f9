//! How a command writes a new snapshot of the warehouse: one place that
//! takes the lock, opens the staging folder, builds the worker pool, runs
//! the stages into the folder and publishes it, so `sakip run` and
//! `sakip ingest` cannot differ in how they do it.
//!
//! The stages see one [`Plan`], already pointed at the staging folder; the
//! warehouse the operator named is kept apart in [`Published`], for what is
//! shown to them afterwards.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::rules::pipeline::Plan;
use crate::snapshot::{self, Lock, Staging};

/// What the stages of a staged run work with.
pub struct Stage {
    /// The pipeline's plan, writing into the staging folder.
    pub plan: Plan,
    /// The current snapshot before this run, whose unchanged years the
    /// stages may take over; `None` for a full run or a first one.
    pub previous: Option<PathBuf>,
}

/// Where a staged run's snapshot ended up.
pub struct Published {
    /// The snapshot's id.
    pub id: u64,
    /// The stable path readers use: `<warehouse>/current`.
    pub current: PathBuf,
    staging: PathBuf,
}

impl Published {
    /// A path the stages wrote under the staging folder, as a reader finds
    /// it now: through `current`, the path a planner bookmarks.
    pub fn shown(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.staging).map(|rel| self.current.join(rel)).unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Runs `stages` into a new snapshot of `plan`'s warehouse, on the run's
/// worker pool, and publishes the snapshot when they succeed. One run at a
/// time per warehouse (the lock); a failed run leaves `current` as it was.
/// With `full`, nothing is taken over from the previous snapshot.
pub fn run<T: Send>(plan: &Plan, full: bool, stages: impl FnOnce(&Stage) -> Result<T> + Send) -> Result<(T, Published)> {
    let _lock = Lock::acquire(&plan.warehouse)?;
    let staging = Staging::begin(&plan.warehouse)?;
    let stage = Stage {
        plan: Plan { warehouse: staging.dir().to_path_buf(), ..plan.clone() },
        previous: if full { None } else { snapshot::current_dir(&plan.warehouse) },
    };
    let pool = pool(plan)?;
    let out = pool.install(|| stages(&stage))?;
    let published = Published { id: staging.id(), current: plan.warehouse.join("current"), staging: stage.plan.warehouse.clone() };
    // Outside the pool: publishing flushes files, whose threads wait on the
    // disk rather than use the cores `--threads` shares out.
    staging.publish(plan.keep_snapshots)?;
    Ok((out, published))
}

/// The worker pool of a command: `--threads` workers, or one per core.
/// Built once per command; every stage runs its parallel work in the pool
/// it is called in, so this one bounds them all. (polars keeps a pool of
/// its own, sized at start-up in `main`.)
pub fn pool(plan: &Plan) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(plan.threads.unwrap_or(0))
        // Each worker runs a polars query when scoring; polars plans recurse
        // deeply (more so in debug builds) and overflowed the 2 MiB default
        // on the national history.
        .stack_size(32 << 20)
        .build()
        .map_err(|e| Error::Usage(format!("cannot start worker threads: {e}")))
}
