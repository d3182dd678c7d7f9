//! Finding and reading the rule files under `pipelines/`.
//!
//! Rubrics, answer scales and predikat scales are TOML files, each declaring
//! its `kind`. They are named on the command line either by id (the file stem:
//! `permenpanrb-88-2021`) or by path. Ids resolve inside one directory of
//! rules, the [`Catalog`] (`pipelines/` by default): rubrics in `rubrics/`,
//! answer scales in `answer-scales/`, predikat scales in `scales/`.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::answer_scale::{self, AnswerScale};
use crate::error::{Error, Result};
use crate::predikat::{self, PredikatScale};
use crate::rubric::{self, Rubric};

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
struct KindOnly {
    kind: Option<String>,
}

/// A rule file of any kind, checked.
#[derive(Debug)]
pub enum RuleFile {
    /// A rubric.
    Rubric(Rubric),
    /// An answer scale.
    AnswerScale(AnswerScale),
    /// A predikat scale.
    PredikatScale(PredikatScale),
    /// A pipeline, with every rule file it names.
    Pipeline(Box<crate::pipeline::Plan>),
    // -- IKM / IKU
    /// An IKM survey rule.
    Ikm(crate::ikm::IkmRule),
    /// An IKU capaian rule.
    Iku(crate::iku::IkuRule),
    // -- end IKM / IKU
}

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

    fn existing(&self, kind: &'static str, dir: &str, id_or_path: &str) -> Result<PathBuf> {
        let path = self.locate(dir, id_or_path);
        if path.is_file() {
            Ok(path)
        } else {
            Err(Error::NotFound { kind, id: id_or_path.to_string(), looked: path })
        }
    }

    /// Loads a rubric by id or path, with the answer scales it names.
    pub fn rubric(&self, id_or_path: &str) -> Result<Rubric> {
        let path = self.existing("rubric", "rubrics", id_or_path)?;
        Rubric::load(&path, self)
    }

    /// Loads an answer scale by id or path.
    pub fn answer_scale(&self, id_or_path: &str) -> Result<AnswerScale> {
        let path = self.existing("answer scale", "answer-scales", id_or_path)?;
        AnswerScale::load(&path)
    }

    /// Loads a predikat scale by id or path.
    pub fn predikat_scale(&self, id_or_path: &str) -> Result<PredikatScale> {
        let path = self.existing("predikat scale", "scales", id_or_path)?;
        PredikatScale::load(&path)
    }

    /// Reads and checks a rule file of whatever kind it declares.
    pub fn check_file(&self, path: &Path) -> Result<RuleFile> {
        let text = read(path)?;
        let kind: KindOnly = parse_toml(path, &text)?;
        match kind.kind.as_deref() {
            Some(rubric::KIND) => Rubric::parse(path, &text, self).map(RuleFile::Rubric),
            Some(answer_scale::KIND) => AnswerScale::parse(path, &text).map(RuleFile::AnswerScale),
            Some(predikat::KIND) => PredikatScale::parse(path, &text).map(RuleFile::PredikatScale),
            // -- IKM / IKU
            Some(crate::ikm::rule::KIND) => crate::ikm::IkmRule::parse(path, &text).map(RuleFile::Ikm),
            Some(crate::iku::rule::KIND) => crate::iku::IkuRule::parse(path, &text).map(RuleFile::Iku),
            // -- end IKM / IKU
            Some(crate::pipeline::KIND) => {
                crate::pipeline::Plan::load(path, &crate::pipeline::Overrides::default()).map(|p| RuleFile::Pipeline(Box::new(p)))
            }
            other => Err(Error::Syntax {
                path: path.to_path_buf(),
                message: format!(
                    "key `kind` must be one of \"{}\", \"{}\", \"{}\", \"{}\", \"{}\" or \"{}\"{}",
                    rubric::KIND,
                    answer_scale::KIND,
                    predikat::KIND,
                    crate::pipeline::KIND,
                    crate::ikm::rule::KIND,
                    crate::iku::rule::KIND,
                    match other {
                        Some(k) => format!(", not \"{k}\""),
                        None => ", and is missing".to_string(),
                    }
                ),
            }),
        }
    }
}
