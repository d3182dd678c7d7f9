//! The IKU rule file: how capaian is capped and graded, and optionally the
//! indicator set (direction and weight per indicator) units report against.
//!
//! No national cap or grading bands exist for organisational IKU, so each
//! shipped file names the document its settings come from.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use num_traits::Zero;
use serde::Deserialize;

use crate::error::{Error, Problem, Result};
use crate::exact::{Exact, Points, RuleNumber};
use crate::rules::ikm::fold;
use crate::rules::read::{parse_rule, read};

/// The `kind` an IKU rule file declares.
pub const KIND: &str = "iku";

/// Which way an indicator is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Higher is better: realisasi ÷ target.
    Higher,
    /// Lower is better: 2 − realisasi ÷ target.
    Lower,
    /// A target range: against the bound the realisation missed.
    Range,
}

impl Direction {
    /// The direction a cell names, in Indonesian or English.
    pub fn parse(text: &str) -> Option<Direction> {
        match fold(text).as_str() {
            "naik" | "higher" | "maksimal" | "maksimalkan" | "max" | "tinggi" => Some(Direction::Higher),
            "turun" | "lower" | "minimal" | "minimalkan" | "min" | "rendah" => Some(Direction::Lower),
            "rentang" | "range" => Some(Direction::Range),
            _ => None,
        }
    }

    /// The word stored in the warehouse.
    pub fn word(self) -> &'static str {
        match self {
            Direction::Higher => "naik",
            Direction::Lower => "turun",
            Direction::Range => "rentang",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(rename = "kind")]
    _kind: String,
    name: String,
    source: String,
    #[serde(default)]
    cap: Option<RuleNumber>,
    range_inside: RuleNumber,
    grades: Vec<RawGrade>,
    #[serde(default)]
    indicators: Vec<RawIndicator>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrade {
    grade: String,
    #[serde(default)]
    min: Option<RuleNumber>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    code: String,
    name: String,
    direction: Direction,
    #[serde(default)]
    weight: Option<RuleNumber>,
}

/// An indicator of the rule file's set.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// Its code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// Which way it is good.
    pub direction: Direction,
    /// Its weight in the unit's mean.
    pub weight: Exact,
}

/// A checked IKU rule file.
#[derive(Debug, Clone)]
pub struct IkuRule {
    /// Its id: the file stem.
    pub id: String,
    /// Its title.
    pub name: String,
    /// The document its settings come from.
    pub source: String,
    /// Highest capaian counted, in percent; `None` for no cap.
    pub cap: Option<Exact>,
    /// Capaian of a realisation inside a target range, in percent.
    pub range_inside: Exact,
    /// Grades, highest threshold first; the last has no threshold.
    pub grades: Vec<(String, Option<Points>)>,
    /// The indicator set; empty when rows bring their own direction.
    pub indicators: Vec<Indicator>,
}

impl IkuRule {
    /// Reads and checks the rule file at `path`.
    pub fn load(path: &Path) -> Result<IkuRule> {
        IkuRule::parse(path, &read(path)?)
    }

    /// Checks the text of a rule file as if read from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<IkuRule> {
        let raw: Raw = parse_rule(path, text, KIND)?;
        let mut problems = Vec::new();
        if raw.cap.as_ref().is_some_and(|c| c.0 <= Exact::zero()) {
            problems.push(Problem::new("cap", "must be above 0 (leave it out for no cap)"));
        }
        let mut grades = Vec::new();
        for (i, g) in raw.grades.iter().enumerate() {
            let min = g.min.as_ref().map(|m| Points::round_half_up(&m.0));
            if g.min.as_ref().zip(min).is_some_and(|(raw, p)| p.exact() != raw.0) {
                problems.push(Problem::new(format!("grades[{i}].min"), "applies to capaian rounded to two decimals: at most two decimals"));
            }
            grades.push((g.grade.trim().to_string(), min));
        }
        grades.sort_by(|a, b| b.1.cmp(&a.1));
        if grades.iter().filter(|g| g.1.is_none()).count() != 1 {
            problems.push(Problem::new("grades", "exactly one grade (the lowest) has no `min`"));
        }
        if grades.windows(2).any(|w| w[0].1.is_some() && w[0].1 == w[1].1) {
            problems.push(Problem::new("grades", "two grades share one `min`"));
        }
        let mut indicators: Vec<Indicator> = Vec::new();
        for (i, ind) in raw.indicators.iter().enumerate() {
            let weight = ind.weight.as_ref().map_or(Exact::from_integer(1), |w| w.0);
            if weight <= Exact::zero() {
                problems.push(Problem::new(format!("indicators[{i}].weight"), "must be above 0"));
            }
            if indicators.iter().any(|o| fold(&o.code) == fold(&ind.code)) {
                problems.push(Problem::new(format!("indicators[{i}].code"), format!("'{}' is listed twice", ind.code)));
            }
            indicators.push(Indicator { code: ind.code.trim().to_string(), name: ind.name.trim().to_string(), direction: ind.direction, weight });
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { path: path.to_path_buf(), problems });
        }
        Ok(IkuRule { id: crate::rules::read::id_of(path), name: raw.name, source: raw.source, cap: raw.cap.map(|c| c.0), range_inside: raw.range_inside.0, grades, indicators })
    }

    /// The grade of a rounded capaian.
    pub fn grade(&self, capaian: Points) -> &str {
        self.grades.iter().find(|(_, min)| min.is_none_or(|m| capaian >= m)).map_or("", |(g, _)| g.as_str())
    }

    /// The listed indicator a code names.
    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| fold(&i.code) == fold(code))
    }
}

/// What a pipeline's `[iku]` table declares.
#[derive(Debug, Clone)]
pub struct IkuPlan {
    /// The rule file.
    pub rule: Arc<IkuRule>,
    /// Where report files arrive.
    pub inbox: PathBuf,
}

