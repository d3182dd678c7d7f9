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
}

/// Lists every file under `inbox`, sorted by relative path.
pub fn discover(inbox: &Path) -> Result<Vec<Found>> {
    let mut found = Vec::new();
    walk(inbox, inbox, &mut found)?;
    found.sort_by(|a, b| a.file.rel.cmp(&b.file.rel));
    Ok(found)
}

fn walk(inbox: &Path, dir: &Path, found: &mut Vec<Found>) -> Result<()> {
    let io = |source: std::io::Error| Error::Io { path: dir.to_path_buf(), source };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let path = entry.path();
        let meta = std::fs::symlink_metadata(&path).map_err(|source| Error::Io { path: path.clone(), source })?;
        if meta.is_dir() {
            walk(inbox, &path, found)?;
            continue;
        }
        let rel_path = path.strip_prefix(inbox).unwrap_or(&path);
        let rel = rel_path.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        let mut parts = rel.split('/');
        let year = match (parts.next(), parts.next(), parts.next()) {
            (Some(y), Some(_), None) if y.len() == 4 => y.parse::<i32>().ok(),
            _ => None,
        };
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos() as i128);
        found.push(Found { path, file: SourceFile { rel, year, modified }, symlink: meta.file_type().is_symlink(), size: meta.len() });
    }
    Ok(())
}
