//! The [`Catalog`]: the directory that rule ids resolve in.
//!
//! Rubrics, answer scales and predikat scales are TOML files, each declaring
//! its `kind`. They are named on the command line either by id (the file stem:
//! `permenpanrb-88-2021`) or by path. Ids resolve inside one directory of
//! rules (`pipelines/` by default): rubrics in `rubrics/`, answer scales in
//! `answer-scales/`, predikat scales in `scales/`.
//!
//! This file only finds files. Loading one kind by id (`Catalog::rubric`,
//! `Catalog::answer_scale`, `Catalog::predikat_scale`) is written beside that
//! kind, and `Catalog::check_file` in `rule_file.rs`: a rubric needs the
//! catalog to find its answer scales, so a catalog that also knew every kind
//! would make a circle.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The directory that rule ids resolve in.
#[derive(Debug, Clone)]
pub struct Catalog {
    root: PathBuf,
}

impl Catalog {
    /// A catalog rooted at `root` (normally `pipelines/`).
    pub fn new(root: impl Into<PathBuf>) -> Catalog {
        Catalog { root: root.into() }
    }

    /// The directory ids resolve in.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where `id_or_path` points: a path if it names a file or looks like
    /// one, otherwise `<root>/<dir>/<id>.toml`.
    fn locate(&self, dir: &str, id_or_path: &str) -> PathBuf {
        let as_path = Path::new(id_or_path);
        let looks_like_path = id_or_path.ends_with(".toml") || id_or_path.contains('/') || id_or_path.contains('\\');
        if looks_like_path || as_path.is_file() {
            as_path.to_path_buf()
        } else {
            self.root.join(dir).join(format!("{id_or_path}.toml"))
        }
    }

    /// The file `id_or_path` names (see `locate`), or an error
    /// saying which `kind` was looked for and where.
    pub(super) fn existing(&self, kind: &'static str, dir: &str, id_or_path: &str) -> Result<PathBuf> {
        let path = self.locate(dir, id_or_path);
        if path.is_file() {
            Ok(path)
        } else {
            Err(Error::NotFound { kind, id: id_or_path.to_string(), looked: path })
        }
    }
}
