//! The reading layer under every rule file: the text off disk, the TOML
//! parsed with errors that name the file, the `kind` key checked first, and
//! a rule's id taken from its file name.
//!
//! It knows no rule kind, so that `rubric`, `answer_scale`, `predikat` and
//! `pipeline` can all build on it without depending on each other through it.

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::error::{Error, Result};

/// Reads a rule file to a string.
pub(crate) fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })
}

/// Parses TOML, turning the parser's error (which carries line, column and
/// key) into a [`Error::Syntax`] naming the file.
pub(crate) fn parse_toml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T> {
    toml::from_str(text).map_err(|e| Error::Syntax { path: path.to_path_buf(), message: e.to_string().trim_end().to_string() })
}

/// Parses a rule file of the `expected` kind. The `kind` key is checked
/// first, so that a scale given where a rubric is needed says so instead of
/// listing the rubric keys the scale lacks.
pub(crate) fn parse_rule<T: DeserializeOwned>(path: &Path, text: &str, expected: &'static str) -> Result<T> {
    let kind: KindOnly = parse_toml(path, text)?;
    match kind.kind {
        Some(found) if found != expected => Err(Error::WrongKind { path: path.to_path_buf(), found, expected }),
        _ => parse_toml(path, text),
    }
}

/// A rule's id: its file stem.
pub(crate) fn id_of(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// Just the `kind` key, to know how to read the rest.
#[derive(Deserialize)]
pub(crate) struct KindOnly {
    pub(crate) kind: Option<String>,
}
