//! Atomic snapshots of the warehouse, and the lock that keeps runs apart.
//!
//! A run never writes where readers read. It builds its tables in a staging
//! folder, moves the finished folder to `snapshots/<id>`, and then publishes
//! it with one atomic step: the symbolic link `current` is replaced by a
//! rename. A reader that resolves `current` sees one whole snapshot —
//! yesterday's or today's, never a mix — and a run killed at any point leaves
//! `current` as it was; the next run removes what the dead run left. The
//! last few snapshots are kept so a bad night can be rolled back.
//!
//! ```text
//! <warehouse>/current -> snapshots/000042
//! <warehouse>/snapshots/000041/{answers,rejects,scores,…}
//! <warehouse>/snapshots/000042/{…}
//! <warehouse>/.staging-000043/      (a run in progress, or a dead one)
//! <warehouse>/.lock                 (the run holding the warehouse)
//! ```

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

const CURRENT: &str = "current";
const SNAPSHOTS: &str = "snapshots";
const STAGING_PREFIX: &str = ".staging-";
const LOCK: &str = ".lock";

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io { path: path.to_path_buf(), source }
}

/// The folder readers should read: the snapshot `current` points to, or the
/// warehouse itself when it holds tables directly (a warehouse written by
/// `sakip ingest` alone). Resolved once, so a reader keeps reading the same
/// snapshot even if a run publishes a new one meanwhile.
pub fn resolve(warehouse: &Path) -> PathBuf {
    let current = warehouse.join(CURRENT);
    match fs::canonicalize(&current) {
        Ok(target) => target,
        Err(_) => warehouse.to_path_buf(),
    }
}

/// The folder of the current snapshot, if one is published.
pub fn current_dir(warehouse: &Path) -> Option<PathBuf> {
    fs::canonicalize(warehouse.join(CURRENT)).ok()
}

/// The ids of the published snapshots, oldest first.
pub fn list(warehouse: &Path) -> Result<Vec<u64>> {
    let dir = warehouse.join(SNAPSHOTS);
    let mut ids = Vec::new();
    if dir.is_dir() {
        for entry in fs::read_dir(&dir).map_err(io(&dir))? {
            let entry = entry.map_err(io(&dir))?;
            if let Some(id) = entry.file_name().to_str().and_then(|n| n.parse::<u64>().ok()) {
                ids.push(id);
            }
        }
    }
    ids.sort_unstable();
    Ok(ids)
}

/// The id `current` points to, if any.
pub fn current_id(warehouse: &Path) -> Option<u64> {
    let target = fs::read_link(warehouse.join(CURRENT)).ok()?;
    target.file_name()?.to_str()?.parse().ok()
}

fn name(id: u64) -> String {
    format!("{id:06}")
}

/// A snapshot being built. Dropping it without [`Staging::publish`] (a run
/// that failed) removes the staging folder, so a run that stopped on a full
/// disk gives the space back at once, and leaves `current` untouched. A run
/// killed outright leaves the folder for the next run to clean up.
#[derive(Debug)]
pub struct Staging {
    warehouse: PathBuf,
    id: u64,
    dir: PathBuf,
    /// The staging folder, open from the start: a write-back error of any
    /// file written after it was opened is reported when it is flushed
    /// (Linux samples the filesystem's error state when a file is opened).
    handle: fs::File,
}

impl Drop for Staging {
    fn drop(&mut self) {
        // After a publish the folder has been renamed away: nothing to do.
        if self.dir.is_dir() {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

impl Staging {
    /// Removes what dead runs left and opens a fresh staging folder. Call it
    /// with the lock held.
    pub fn begin(warehouse: &Path) -> Result<Staging> {
        fs::create_dir_all(warehouse).map_err(io(warehouse))?;
        for entry in fs::read_dir(warehouse).map_err(io(warehouse))? {
            let entry = entry.map_err(io(warehouse))?;
            let file_name = entry.file_name();
            let n = file_name.to_string_lossy();
            if n.starts_with(STAGING_PREFIX) || n == "current.new" {
                let path = entry.path();
                if path.is_dir() && !path.is_symlink() {
                    fs::remove_dir_all(&path).map_err(io(&path))?;
                } else {
                    fs::remove_file(&path).map_err(io(&path))?;
                }
            }
        }
        let id = list(warehouse)?.last().map_or(1, |last| last + 1);
        let dir = warehouse.join(format!("{STAGING_PREFIX}{}", name(id)));
        fs::create_dir_all(&dir).map_err(io(&dir))?;
        let handle = fs::File::open(&dir).map_err(io(&dir))?;
        Ok(Staging { warehouse: warehouse.to_path_buf(), id, dir, handle })
    }

    /// Where the run writes its tables.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The id the snapshot will have.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Moves the finished snapshot into place and points `current` at it,
    /// then keeps only the newest `keep` snapshots (never the current one).
    pub fn publish(self, keep: usize) -> Result<PathBuf> {
        flush(&self.handle, &self.dir)?;
        let snapshots = self.warehouse.join(SNAPSHOTS);
        fs::create_dir_all(&snapshots).map_err(io(&snapshots))?;
        let target = snapshots.join(name(self.id));
        fs::rename(&self.dir, &target).map_err(io(&target))?;
        point_current(&self.warehouse, self.id)?;
        prune(&self.warehouse, keep.max(1))?;
        Ok(target)
    }
}

/// Flushes everything written to the staging folder to disk before it is
/// published, so that a power cut after publishing cannot leave `current`
/// pointing at half-written files.
///
/// A snapshot whose files are mostly new (a full run) is flushed, on Linux,
/// with one `syncfs` of the folder's filesystem: every file and folder the
/// run wrote, in one go, and an error if any of them failed to reach the
/// disk since `handle` was opened (kernels from 5.8 report it). That is one
/// call where [`sync_tree`] makes one `fsync` per file (about 1,600 for the
/// national history); it also flushes other programs' pending writes to
/// that filesystem, which a nightly job can afford. A snapshot whose files
/// are mostly taken over from the previous one (a night with few changes)
/// is flushed file by file: `syncfs` would also write back the taken-over
/// files' inodes, which linking them changed and which need no flush
/// (BENCHMARKS.md has the times of both). Elsewhere, or where the kernel
/// refuses `syncfs`, each file and folder is flushed on its own.
fn flush(handle: &fs::File, dir: &Path) -> Result<()> {
    let tree = Tree::of(dir)?;
    #[cfg(target_os = "linux")]
    if tree.new_files.len() > tree.linked_files {
        use std::os::fd::AsRawFd;
        // SAFETY: the descriptor is `handle`'s, open for this call's length.
        if unsafe { libc::syncfs(handle.as_raw_fd()) } == 0 {
            return Ok(());
        }
        let error = std::io::Error::last_os_error();
        if !matches!(error.raw_os_error(), Some(libc::ENOSYS | libc::EINVAL | libc::EPERM)) {
            return Err(Error::Io { path: dir.to_path_buf(), source: error });
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = handle;
    sync_tree(dir, &tree)
}

/// The folders of a snapshot being published, and its files: those written
/// by this run, and how many were taken over (linked) from a published
/// snapshot.
struct Tree {
    dirs: Vec<PathBuf>,
    new_files: Vec<PathBuf>,
    linked_files: usize,
}

impl Tree {
    fn of(dir: &Path) -> Result<Tree> {
        use std::os::unix::fs::MetadataExt;
        let mut tree = Tree { dirs: vec![dir.to_path_buf()], new_files: Vec::new(), linked_files: 0 };
        let mut i = 0;
        while i < tree.dirs.len() {
            let here = tree.dirs[i].clone();
            for entry in fs::read_dir(&here).map_err(io(&here))? {
                let entry = entry.map_err(io(&here))?;
                let path = entry.path();
                let meta = entry.metadata().map_err(io(&path))?;
                if meta.is_dir() {
                    tree.dirs.push(path);
                } else if meta.nlink() == 1 {
                    tree.new_files.push(path);
                } else {
                    tree.linked_files += 1;
                }
            }
            i += 1;
        }
        Ok(tree)
    }
}

/// How many files [`sync_tree`] flushes at once. Its threads wait on the
/// disk, not the cores, and the journal commits concurrent flushes
/// together, so more of them than cores finish sooner.
const FLUSHING_THREADS: usize = 8;

/// Flushes every new file of a finished snapshot to disk, one `fsync` each,
/// from [`FLUSHING_THREADS`] threads, then each folder, deepest first. A
/// file with another link is one taken over from a published snapshot,
/// flushed when that was published: only its new folder entry needs
/// flushing, which the folder's flush does.
fn sync_tree(dir: &Path, tree: &Tree) -> Result<()> {
    use rayon::prelude::*;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(FLUSHING_THREADS)
        .build()
        .map_err(|e| Error::Io { path: dir.to_path_buf(), source: std::io::Error::other(format!("cannot start flushing threads: {e}")) })?;
    pool.install(|| tree.new_files.par_iter().try_for_each(|path| fs::File::open(path).and_then(|f| f.sync_all()).map_err(io(path))))?;
    tree.dirs.iter().rev().try_for_each(|d| fs::File::open(d).and_then(|f| f.sync_all()).map_err(io(d)))
}

/// Points `current` at snapshot `id` atomically: a new link is made beside
/// it and renamed over it.
fn point_current(warehouse: &Path, id: u64) -> Result<()> {
    let tmp = warehouse.join("current.new");
    let _ = fs::remove_file(&tmp);
    let relative = Path::new(SNAPSHOTS).join(name(id));
    #[cfg(unix)]
    std::os::unix::fs::symlink(&relative, &tmp).map_err(io(&tmp))?;
    #[cfg(not(unix))]
    return Err(Error::Usage("snapshots need a Unix filesystem (symbolic links)".into()));
    fs::rename(&tmp, warehouse.join(CURRENT)).map_err(io(warehouse))?;
    fs::File::open(warehouse).and_then(|f| f.sync_all()).map_err(io(warehouse))
}

fn prune(warehouse: &Path, keep: usize) -> Result<()> {
    let ids = list(warehouse)?;
    let current = current_id(warehouse);
    let excess = ids.len().saturating_sub(keep);
    for id in ids.into_iter().take(excess).filter(|&id| Some(id) != current) {
        let dir = warehouse.join(SNAPSHOTS).join(name(id));
        fs::remove_dir_all(&dir).map_err(io(&dir))?;
    }
    Ok(())
}

/// Points `current` back at an earlier snapshot: the one before the current
/// one, or `to`. Returns the id now current.
pub fn rollback(warehouse: &Path, to: Option<u64>) -> Result<u64> {
    let ids = list(warehouse)?;
    let current = current_id(warehouse);
    let target = match to {
        Some(id) if ids.contains(&id) => id,
        Some(id) => return Err(Error::Usage(format!("no snapshot {id} in {}; kept: {}", warehouse.display(), join_ids(&ids)))),
        None => {
            let before: Vec<u64> = ids.iter().copied().filter(|&id| current.is_none_or(|c| id < c)).collect();
            *before.last().ok_or_else(|| Error::Usage(format!("no snapshot before the current one in {}; kept: {}", warehouse.display(), join_ids(&ids))))?
        }
    };
    point_current(warehouse, target)?;
    Ok(target)
}

fn join_ids(ids: &[u64]) -> String {
    if ids.is_empty() {
        "none".into()
    } else {
        ids.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ")
    }
}

/// The lock held by a run on its warehouse, released when it is dropped or
/// its process dies.
///
/// It is a kernel lock (`flock`) on `<warehouse>/.lock`, not the file's
/// existence: two runs started at the same instant cannot both take it, and
/// a run killed outright (SIGKILL, power cut) holds nothing afterwards, so
/// no staleness guess is needed — a guess by process id is fooled by a
/// half-written id and by ids the system reuses. The file itself stays; it
/// only carries the holder's process id, for the message the second run
/// prints. Removing it would let a third run lock a new file while a second
/// still waits on the old one.
#[derive(Debug)]
pub struct Lock {
    file: fs::File,
}

impl Lock {
    /// Takes the warehouse's lock, or fails at once naming the process that
    /// holds it.
    pub fn acquire(warehouse: &Path) -> Result<Lock> {
        fs::create_dir_all(warehouse).map_err(io(warehouse))?;
        let path = warehouse.join(LOCK);
        let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path).map_err(io(&path))?;
        match file.try_lock() {
            Ok(()) => {
                file.set_len(0).map_err(io(&path))?;
                writeln!(file, "{}", std::process::id()).map_err(io(&path))?;
                Ok(Lock { file })
            }
            Err(fs::TryLockError::WouldBlock) => Err(Error::Locked { warehouse: warehouse.to_path_buf(), holder: holder(&path) }),
            Err(fs::TryLockError::Error(source)) => Err(Error::Io { path, source }),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // Clear the id before the kernel releases the lock (on close), so a
        // later refusal never names a process that has finished.
        let _ = self.file.set_len(0);
    }
}

/// The process id the holder wrote into the lock file. The holder writes it
/// just after taking the lock, so a run that lost the race by microseconds
/// may find the file still empty: it looks again for a moment.
fn holder(path: &Path) -> Option<u32> {
    for _ in 0..50 {
        if let Some(pid) = fs::read_to_string(path).ok().and_then(|t| t.trim().parse().ok()) {
            return Some(pid);
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    None
}
