//! Finding the submissions in an inbox laid out as `<inbox>/<year>/<file>`.
//!
//! Everything found is returned, sorted by path, so that nothing in the inbox
//! is passed over in silence: a file outside a year folder or of an unknown
//! type still comes back, and the next step rejects it with a reason.
//! Symbolic links are not followed (a link could point outside the inbox);
//! they come back as files to reject.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::ingest::normalise::SourceFile;

/// A file found in the inbox.
#[derive(Debug, Clone)]
pub struct Found {
    /// Where it is on disk.
    pub path: PathBuf,
    /// What ingest knows of it.
    pub file: SourceFile,
    /// It is a symbolic link: rejected, never read through.
    pub symlink: bool,
    /// Its size in bytes, known before it is read.
    pub size: u64,
    /// Its inode change time (nanoseconds since the epoch) and inode
    /// number, taken before it is read: what no `touch -r`, `cp -p` or
    /// unpacked archive can put back, so the ledger can trust a file whose
    /// change time and inode are the same as when it was read.
    pub changed: i64,
    /// See [`Found::changed`].
    pub inode: u64,
}

/// What an inbox holds, without the year folders' own files: those are
/// listed when their year is ingested ([`Inbox::year_files`]), so memory
/// holds one year's list however long the history.
#[derive(Debug, Clone)]
pub struct Inbox {
    root: PathBuf,
    /// The folders of each year (two names can read as one year: `0024`,
    /// `+024`).
    folders: std::collections::BTreeMap<i32, Vec<PathBuf>>,
    /// Every file that is not `<inbox>/<yyyy>/<file>` (at the top, in other
    /// folders, in sub-folders of year folders), sorted by relative path.
    pub outside: Vec<Found>,
    /// How many files the inbox holds in all.
    pub total: u64,
}

impl Inbox {
    /// Looks through `inbox`: the files outside year folders, the year
    /// folders, and how many files there are.
    pub fn scan(inbox: &Path) -> Result<Inbox> {
        let mut out = Inbox { root: inbox.to_path_buf(), folders: Default::default(), outside: Vec::new(), total: 0 };
        for entry in read_dir(inbox)? {
            let (path, meta) = entry?;
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            match year_of_folder(&name) {
                Some(year) if meta.is_dir() => {
                    // Counted by the type the folder listing gives, without
                    // a stat per file: a year's files are looked at when
                    // the year is read (`year_files`).
                    for inner in kinds(&path)? {
                        let (inner, is_dir) = inner?;
                        if is_dir {
                            walk(inbox, &inner, &mut out.outside)?;
                        } else {
                            out.total += 1;
                        }
                    }
                    out.folders.entry(year).or_default().push(path);
                }
                _ if meta.is_dir() => walk(inbox, &path, &mut out.outside)?,
                _ => out.outside.push(found(inbox, path, &meta)),
            }
        }
        out.total += out.outside.len() as u64;
        out.outside.sort_by(|a, b| a.file.rel.cmp(&b.file.rel));
        Ok(out)
    }

    /// The years that have a folder, ascending.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.folders.keys().copied()
    }

    /// The files directly in year folder `year`, sorted by relative path
    /// (its sub-folders' files are in [`Inbox::outside`]).
    pub fn year_files(&self, year: i32) -> Result<Vec<Found>> {
        use rayon::prelude::*;
        let mut files = Vec::new();
        for folder in self.folders.get(&year).into_iter().flatten() {
            // Each entry's own metadata is asked for in parallel (in the
            // calling pool): one call per file, some 550 a year.
            let paths = kinds(folder)?.map(|entry| entry.map(|(path, _)| path)).collect::<Result<Vec<PathBuf>>>()?;
            let entries = paths
                .into_par_iter()
                .map(|path| with_metadata(path).map(|(path, meta)| (!meta.is_dir()).then(|| found(&self.root, path, &meta))))
                .collect::<Vec<Result<Option<Found>>>>();
            // The first entry that failed, in listing order, whatever the
            // thread count.
            for entry in entries {
                files.extend(entry?);
            }
        }
        files.sort_by(|a, b| a.file.rel.cmp(&b.file.rel));
        Ok(files)
    }
}

/// The year a top-level folder name stands for: four characters that read
/// as a year.
fn year_of_folder(name: &str) -> Option<i32> {
    if name.len() == 4 { name.parse::<i32>().ok() } else { None }
}

/// The entries of `dir` with their own metadata (links not followed).
fn read_dir(dir: &Path) -> Result<impl Iterator<Item = Result<(PathBuf, std::fs::Metadata)>>> {
    let io = |source: std::io::Error| Error::Io { path: dir.to_path_buf(), source };
    let entries = std::fs::read_dir(dir).map_err(io)?;
    let dir = dir.to_path_buf();
    Ok(entries.map(move |entry| with_metadata(entry.map_err(|source| Error::Io { path: dir.clone(), source })?.path())))
}

/// `path` with its own metadata (a link's, not its target's).
fn with_metadata(path: PathBuf) -> Result<(PathBuf, std::fs::Metadata)> {
    match std::fs::symlink_metadata(&path) {
        Ok(meta) => Ok((path, meta)),
        Err(source) => Err(Error::Io { path, source }),
    }
}

/// The entries of `dir`, each with whether it is a folder (links not
/// followed), as the listing says without looking at each entry.
fn kinds(dir: &Path) -> Result<impl Iterator<Item = Result<(PathBuf, bool)>>> {
    let io = |source: std::io::Error| Error::Io { path: dir.to_path_buf(), source };
    let entries = std::fs::read_dir(dir).map_err(io)?;
    let dir = dir.to_path_buf();
    Ok(entries.map(move |entry| {
        let entry = entry.map_err(|source| Error::Io { path: dir.clone(), source })?;
        let kind = entry.file_type().map_err(|source| Error::Io { path: entry.path(), source })?;
        Ok((entry.path(), kind.is_dir()))
    }))
}

/// Every file under `dir`, into `found` (none of them in a year folder).
fn walk(inbox: &Path, dir: &Path, out: &mut Vec<Found>) -> Result<()> {
    for entry in read_dir(dir)? {
        let (path, meta) = entry?;
        if meta.is_dir() {
            walk(inbox, &path, out)?;
        } else {
            out.push(found(inbox, path, &meta));
        }
    }
    Ok(())
}

fn found(inbox: &Path, path: PathBuf, meta: &std::fs::Metadata) -> Found {
    let rel_path = path.strip_prefix(inbox).unwrap_or(&path);
    let rel = rel_path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
    let mut parts = rel.split('/');
    let year = match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(_), None) => year_of_folder(y),
        _ => None,
    };
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i128);
    use std::os::unix::fs::MetadataExt;
    let changed = meta.ctime().saturating_mul(1_000_000_000).saturating_add(meta.ctime_nsec());
    Found { path, file: SourceFile { rel, year, modified }, symlink: meta.file_type().is_symlink(), size: meta.len(), changed, inode: meta.ino() }
}
