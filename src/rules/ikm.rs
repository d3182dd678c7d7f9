//! The IKM rule file: the survey's elements, answer scale, weights and mutu
//! bands (PermenPANRB 14/2017 ships as `pipelines/ikm/`).
//!
//! Like a rubric it is data, checked before any survey is read: the weights
//! must add up to exactly 1, element codes and names must be unique, and the
//! mutu bands — closed ranges at two-decimal resolution, applied to the IKM
//! rounded half-up — must cover every hundredth from the lowest to the
//! highest possible IKM once, so no rounded IKM can fall between two bands.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use num_traits::{One, Zero};
use serde::Deserialize;

use crate::error::{Error, Problem, Result};
use crate::exact::{Exact, Points, RuleNumber};
use crate::rules::read::{parse_rule, read};

/// The `kind` an IKM rule file declares.
pub const KIND: &str = "ikm";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(rename = "kind")]
    _kind: String,
    name: String,
    source: String,
    multiplier: RuleNumber,
    answers: RawAnswers,
    elements: Vec<RawElement>,
    mutu: Vec<RawBand>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnswers {
    min: i64,
    max: i64,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawElement {
    code: String,
    name: String,
    weight: RuleNumber,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    mutu: String,
    kinerja: String,
    min: RuleNumber,
    max: RuleNumber,
}

/// One survey element (unsur).
#[derive(Debug, Clone)]
pub struct Element {
    /// Its code (`U1`).
    pub code: String,
    /// Its name (`Persyaratan`).
    pub name: String,
    /// Its weight, exactly.
    pub weight: Exact,
    /// Other names it goes by in survey exports.
    pub aliases: Vec<String>,
    /// The folded headers that name it: code, name, aliases, and each of
    /// these last two after the code.
    pub(crate) headers: Vec<String>,
}

/// One mutu band: a closed range of rounded IKM.
#[derive(Debug, Clone)]
pub struct Band {
    /// The letter (`A`).
    pub mutu: String,
    /// The unit's performance in words (`Sangat Baik`).
    pub kinerja: String,
    /// Lowest rounded IKM, inclusive.
    pub min: Points,
    /// Highest rounded IKM, inclusive.
    pub max: Points,
}

/// A checked IKM rule file.
#[derive(Debug, Clone)]
pub struct IkmRule {
    /// Its id: the file stem.
    pub id: String,
    /// Its title.
    pub name: String,
    /// The document it encodes.
    pub source: String,
    /// IKM = unit value × this (25).
    pub multiplier: Exact,
    /// Lowest answer.
    pub answer_min: i64,
    /// Highest answer.
    pub answer_max: i64,
    /// The elements, in the rule file's order.
    pub elements: Vec<Element>,
    /// The mutu bands, highest first.
    pub bands: Vec<Band>,
}

fn two_decimals(v: &Exact) -> Option<Points> {
    let p = Points::round_half_up(v);
    (p.exact() == *v).then_some(p)
}

impl IkmRule {
    /// Reads and checks the rule file at `path`.
    pub fn load(path: &Path) -> Result<IkmRule> {
        IkmRule::parse(path, &read(path)?)
    }

    /// Checks the text of a rule file as if read from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<IkmRule> {
        let raw: Raw = parse_rule(path, text, KIND)?;
        let mut problems = Vec::new();
        if raw.answers.min >= raw.answers.max {
            problems.push(Problem::new("answers", format!("min ({}) must be below max ({})", raw.answers.min, raw.answers.max)));
        }
        if raw.multiplier.0 <= Exact::zero() {
            problems.push(Problem::new("multiplier", "must be above 0"));
        }
        if raw.elements.is_empty() {
            problems.push(Problem::new("elements", "name at least one element"));
        }
        let mut elements: Vec<Element> = Vec::new();
        let mut total = Exact::zero();
        for (i, e) in raw.elements.iter().enumerate() {
            let key = format!("elements[{i}]");
            if e.code.trim().is_empty() || e.name.trim().is_empty() {
                problems.push(Problem::new(&key, "code and name must not be blank"));
            }
            if e.weight.0 <= Exact::zero() {
                problems.push(Problem::new(format!("{key}.weight"), "must be above 0"));
            }
            total += e.weight.0;
            let mut headers = vec![fold(&e.code), fold(&e.name), fold(&format!("{} {}", e.code, e.name))];
            headers.extend(e.aliases.iter().map(|a| fold(a)));
            headers.extend(e.aliases.iter().map(|a| fold(&format!("{} {a}", e.code))));
            headers.retain(|h| !h.is_empty());
            headers.dedup();
            for other in &elements {
                if let Some(h) = headers.iter().find(|h| other.headers.contains(h)) {
                    problems.push(Problem::new(&key, format!("header '{h}' would name both {} and {}", other.code, e.code)));
                }
            }
            elements.push(Element { code: e.code.trim().to_string(), name: e.name.trim().to_string(), weight: e.weight.0, aliases: e.aliases.clone(), headers });
        }
        if !raw.elements.is_empty() && total != Exact::one() {
            problems.push(Problem::new("elements", format!("weights add up to {total}, not exactly 1 (write 1/9 as \"1/9\", not 0.111)")));
        }
        let mut bands = Vec::new();
        for (i, b) in raw.mutu.iter().enumerate() {
            let key = format!("mutu[{i}]");
            match (two_decimals(&b.min.0), two_decimals(&b.max.0)) {
                (Some(min), Some(max)) if min <= max => bands.push(Band { mutu: b.mutu.trim().to_string(), kinerja: b.kinerja.trim().to_string(), min, max }),
                (Some(_), Some(_)) => problems.push(Problem::new(&key, "min is above max")),
                _ => problems.push(Problem::new(&key, "min and max are rounded IKM values: at most two decimals")),
            }
        }
        bands.sort_by(|a, b| b.min.cmp(&a.min));
        if bands.len() == raw.mutu.len() && !bands.is_empty() {
            let low = Points::round_half_up(&(raw.multiplier.0 * Exact::from_integer(i128::from(raw.answers.min))));
            let high = Points::round_half_up(&(raw.multiplier.0 * Exact::from_integer(i128::from(raw.answers.max))));
            if bands[0].max < high {
                problems.push(Problem::new("mutu", format!("no band reaches the highest IKM {high}")));
            }
            if bands[bands.len() - 1].min > low {
                problems.push(Problem::new("mutu", format!("no band reaches the lowest IKM {low}")));
            }
            for pair in bands.windows(2) {
                let (upper, lower) = (&pair[0], &pair[1]);
                if lower.max.hundredths() + 1 != upper.min.hundredths() {
                    problems.push(Problem::new(
                        "mutu",
                        format!("bands {} ({}–{}) and {} ({}–{}) must meet a hundredth apart, with no gap and no overlap", lower.mutu, lower.min, lower.max, upper.mutu, upper.min, upper.max),
                    ));
                }
            }
        } else if raw.mutu.is_empty() {
            problems.push(Problem::new("mutu", "name at least one band"));
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { path: path.to_path_buf(), problems });
        }
        Ok(IkmRule {
            id: crate::rules::read::id_of(path),
            name: raw.name,
            source: raw.source,
            multiplier: raw.multiplier.0,
            answer_min: raw.answers.min,
            answer_max: raw.answers.max,
            elements,
            bands,
        })
    }

    /// The band a rounded IKM falls in.
    pub fn band(&self, ikm: Points) -> Option<&Band> {
        self.bands.iter().find(|b| b.min <= ikm && ikm <= b.max)
    }

    /// The element a header names: exactly by code, name, `code name` or
    /// alias; failing that, the one element whose name or alias (of six
    /// letters or more) the header contains
    /// (`U8. Sarana dan Prasarana` names Sarana dan Prasarana whatever number
    /// the export gave it).
    pub fn element_for(&self, header: &str) -> Option<usize> {
        let h = fold(header);
        if let Some(i) = self.elements.iter().position(|e| e.headers.contains(&h)) {
            return Some(i);
        }
        let mut named = self.elements.iter().enumerate().filter(|(_, e)| {
            std::iter::once(&e.name).chain(&e.aliases).map(|n| fold(n)).any(|n| n.len() >= 6 && h.contains(&n))
        });
        match (named.next(), named.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }
}

/// Folds a header for matching: lower case, letters and digits only, so
/// `Sistem, Mekanisme, dan Prosedur`, `sistem_mekanisme_dan_prosedur` and
/// `SISTEM MEKANISME DAN PROSEDUR` are one name.
pub fn fold(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// What a pipeline's `[ikm]` table declares.
#[derive(Debug, Clone)]
pub struct IkmPlan {
    /// The rule file.
    pub rule: Arc<IkmRule>,
    /// Where survey files arrive (any folder layout below it).
    pub inbox: PathBuf,
    /// Fewest respondents a unit needs in a year to be scored.
    pub min_respondents: usize,
}

