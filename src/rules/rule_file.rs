//! A rule file of whatever kind it declares, for `sakip validate`: the one
//! place that knows every kind, so it sits above them and none of them
//! depends on it.

use std::path::Path;

use crate::error::{Error, Result};
use crate::rules::answer_scale::{self, AnswerScale};
use crate::rules::catalog::Catalog;
use crate::rules::predikat::{self, PredikatScale};
use crate::rules::read::{parse_toml, read, KindOnly};
use crate::rules::rubric::{self, Rubric};

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
    Pipeline(Box<crate::rules::pipeline::Plan>),
    /// An IKM survey rule.
    Ikm(crate::rules::ikm::IkmRule),
    /// An IKU capaian rule.
    Iku(crate::rules::iku::IkuRule),
}

impl Catalog {
    /// Reads and checks a rule file of whatever kind it declares.
    pub fn check_file(&self, path: &Path) -> Result<RuleFile> {
        let text = read(path)?;
        let kind: KindOnly = parse_toml(path, &text)?;
        match kind.kind.as_deref() {
            Some(rubric::KIND) => Rubric::parse(path, &text, self).map(RuleFile::Rubric),
            Some(answer_scale::KIND) => AnswerScale::parse(path, &text).map(RuleFile::AnswerScale),
            Some(predikat::KIND) => PredikatScale::parse(path, &text).map(RuleFile::PredikatScale),
            Some(crate::rules::ikm::KIND) => crate::rules::ikm::IkmRule::parse(path, &text).map(RuleFile::Ikm),
            Some(crate::rules::iku::KIND) => crate::rules::iku::IkuRule::parse(path, &text).map(RuleFile::Iku),
            Some(crate::rules::pipeline::KIND) => {
                crate::rules::pipeline::Plan::load(path, &crate::rules::pipeline::Overrides::default()).map(|p| RuleFile::Pipeline(Box::new(p)))
            }
            other => Err(Error::Syntax {
                path: path.to_path_buf(),
                message: format!(
                    "key `kind` must be one of \"{}\", \"{}\", \"{}\", \"{}\", \"{}\" or \"{}\"{}",
                    rubric::KIND,
                    answer_scale::KIND,
                    predikat::KIND,
                    crate::rules::pipeline::KIND,
                    crate::rules::ikm::KIND,
                    crate::rules::iku::KIND,
                    match other {
                        Some(k) => format!(", not \"{k}\""),
                        None => ", and is missing".to_string(),
                    }
                ),
            }),
        }
    }
}
