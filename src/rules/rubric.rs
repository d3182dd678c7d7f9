//! Rubrics: the LKE tree of components → sub-components → criteria, with
//! weights, answer scales, the roll-up rule and the policy for missing answers.
//!
//! A rubric is a file under `pipelines/rubrics/`. The code knows only the
//! general shape — a weighted three-level tree — and the two roll-up rules in
//! use; the numbers, names and scales are all data. See the README for the
//! file schema.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Problem, Result};
use crate::exact::{format_exact, Exact, RuleNumber};
use crate::rules::answer_scale::{Accepts, AnswerScale};
use crate::rules::catalog::Catalog;
use crate::rules::read::parse_rule;

/// The `kind` a rubric file declares.
pub const KIND: &str = "rubric";

/// How criterion values become a sub-component score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rollup {
    /// Sub-component score = mean of its criteria's values (as a share of
    /// full marks) × the sub-component weight. Each criterion is worth
    /// weight / n.
    Mean,
    /// Each criterion carries its own weight; the sub-component score is the
    /// sum of value share × criterion weight. Criterion weights must add up to
    /// the sub-component weight.
    Sum,
}

/// What an unanswered criterion counts as. Whatever the policy, missing
/// criteria are always reported: missing is never silently zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MissingPolicy {
    /// Scored as 0, and flagged.
    Zero,
    /// Left out: the sub-component is scored over the answered criteria only
    /// (their weights scaled up to the sub-component weight), and flagged. A
    /// sub-component with no answer at all scores 0.
    Exclude,
    /// The worksheet cannot be scored until every criterion is answered.
    Reject,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRubric {
    #[serde(rename = "kind")]
    _kind: String,
    name: String,
    #[serde(default)]
    source: Option<String>,
    rollup: Rollup,
    missing: MissingPolicy,
    answer_scale: Option<String>,
    components: Vec<RawComponent>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawComponent {
    code: String,
    name: String,
    weight: RuleNumber,
    subcomponents: Vec<RawSubcomponent>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSubcomponent {
    code: String,
    name: String,
    #[serde(default)]
    description: Option<String>,
    weight: RuleNumber,
    answer_scale: Option<String>,
    criteria: Vec<RawCriterion>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCriterion {
    code: String,
    name: String,
    #[serde(default)]
    weight: Option<RuleNumber>,
    #[serde(default)]
    answer_scale: Option<String>,
}

/// A component (Perencanaan Kinerja, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Component {
    /// Stable code (`1`).
    pub code: String,
    /// Name as users see it.
    pub name: String,
    /// Weight in points of the 100-point total.
    pub weight: Exact,
    /// Indexes into [`Rubric::subcomponents`].
    pub subcomponents: std::ops::Range<usize>,
}

/// A sub-component (Keberadaan, Kualitas, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subcomponent {
    /// Stable code (`1.2`).
    pub code: String,
    /// Name as users see it.
    pub name: String,
    /// The regulation's full wording, where the name is a short label.
    pub description: Option<String>,
    /// Weight in points of the 100-point total.
    pub weight: Exact,
    /// Index into [`Rubric::components`].
    pub component: usize,
    /// Indexes into [`Rubric::criteria`].
    pub criteria: std::ops::Range<usize>,
}

/// A criterion: one answer in the worksheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    /// Stable code (`1.2.3`).
    pub code: String,
    /// The criterion's text.
    pub name: String,
    /// Index into [`Rubric::scales`].
    pub scale: usize,
    /// What full marks on this criterion are worth, in points of the total:
    /// sub-component weight / n under [`Rollup::Mean`], its own weight under
    /// [`Rollup::Sum`].
    pub points: Exact,
    /// Index into [`Rubric::subcomponents`].
    pub subcomponent: usize,
}

/// A checked rubric, flattened into three arrays in file order.
#[derive(Debug, Clone)]
pub struct Rubric {
    /// The file stem (`permenpanrb-88-2021`).
    pub id: String,
    /// Name for people.
    pub name: String,
    /// Where the rules come from.
    pub source: Option<String>,
    /// The file it was read from.
    pub path: PathBuf,
    /// The roll-up rule.
    pub rollup: Rollup,
    /// The policy for unanswered criteria.
    pub missing: MissingPolicy,
    /// Components in order.
    pub components: Vec<Component>,
    /// Sub-components in order.
    pub subcomponents: Vec<Subcomponent>,
    /// Criteria in order.
    pub criteria: Vec<Criterion>,
    /// The answer scales the criteria use.
    pub scales: Vec<AnswerScale>,
    by_code: HashMap<String, usize>,
    /// The roll-up's terms as integers, when every scale lists its answers;
    /// see [`IntegerTerms`]. `None` makes the roll-up use rationals only.
    pub(crate) integer_terms: Option<IntegerTerms>,
}

/// Every term a criterion can add to its sub-component's score — listed
/// answer value / full marks × points — as an integer over one denominator
/// per sub-component. The roll-up then adds integers instead of reducing a
/// rational at every step; the sum is the same exact number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IntegerTerms {
    /// Per sub-component: the least common denominator of its terms.
    pub denominators: Vec<i128>,
    /// Per criterion: each listed answer's value, its term times the
    /// sub-component's denominator, and the term itself (in lowest terms,
    /// as the rational product gives it).
    pub terms: Vec<Vec<(Exact, i128, Exact)>>,
    /// Per component, the least common multiple of its sub-components'
    /// denominators, and the least common multiple of those: the roll-up
    /// adds a worksheet's sub-components and components as integers over
    /// them. `None` when one would pass 10^15.
    pub sums: Option<(Vec<i128>, i128)>,
}

impl IntegerTerms {
    /// Criterion `i`'s term for `value` (value / full marks × points), if
    /// `value` is one of its scale's listed answers: as an integer over the
    /// sub-component's denominator, and as it is.
    pub fn term(&self, i: usize, value: &Exact) -> Option<(i128, Exact)> {
        self.terms[i].iter().find(|(v, _, _)| crate::exact::same(v, value)).map(|&(_, integer, term)| (integer, term))
    }

    /// The terms of a rubric, or `None` when a scale takes a range of
    /// numbers (any decimal can come) or a denominator would pass 10^15.
    fn of(criteria: &[Criterion], subcomponents: &[Subcomponent], components: &[Component], scales: &[AnswerScale]) -> Option<IntegerTerms> {
        use num_integer::Integer;
        const LIMIT: i128 = 1_000_000_000_000_000;
        let listed = |c: &Criterion| match &scales[c.scale].accepts {
            Accepts::Listed(answers) => Some(answers),
            Accepts::Range { .. } => None,
        };
        let term = |c: &Criterion, value: Exact| scales[c.scale].normalise(value) * c.points;
        let mut denominators = vec![1i128; subcomponents.len()];
        for c in criteria {
            for a in listed(c)? {
                let denom = *term(c, a.value).denom();
                let d = &mut denominators[c.subcomponent];
                *d = (*d / d.gcd(&denom)).checked_mul(denom).filter(|&x| x <= LIMIT)?;
            }
        }
        let terms = criteria
            .iter()
            .map(|c| {
                let d = Exact::from_integer(denominators[c.subcomponent]);
                listed(c)
                    .into_iter()
                    .flatten()
                    .map(|a| {
                        let t = term(c, a.value);
                        (a.value, (t * d).to_integer(), t)
                    })
                    .collect()
            })
            .collect();
        let lcm = |a: i128, b: i128| (a / a.gcd(&b)).checked_mul(b).filter(|&x| x <= LIMIT);
        let sums = components
            .iter()
            .map(|c| c.subcomponents.clone().try_fold(1i128, |l, s| lcm(l, denominators[s])))
            .collect::<Option<Vec<i128>>>()
            .and_then(|of_components| of_components.iter().try_fold(1i128, |l, &d| lcm(l, d)).map(|total| (of_components, total)));
        Some(IntegerTerms { denominators, terms, sums })
    }
}

impl Catalog {
    /// Loads a rubric by id or path, with the answer scales it names.
    pub fn rubric(&self, id_or_path: &str) -> Result<Rubric> {
        let path = self.existing("rubric", "rubrics", id_or_path)?;
        Rubric::load(&path, self)
    }
}

impl Rubric {
    /// Reads and checks the rubric in `path`, loading its answer scales from
    /// `catalog`.
    pub fn load(path: &Path, catalog: &Catalog) -> Result<Rubric> {
        let text = crate::rules::read::read(path)?;
        Rubric::parse(path, &text, catalog)
    }

    /// Checks rubric text that came from `path`, reporting every problem.
    pub fn parse(path: &Path, text: &str, catalog: &Catalog) -> Result<Rubric> {
        let raw: RawRubric = parse_rule(path, text, KIND)?;
        let mut b = Builder { catalog, problems: Vec::new(), codes: HashMap::new(), scales: Vec::new(), scale_ids: HashMap::new() };
        if raw.name.trim().is_empty() {
            b.problems.push(Problem::new("name", "must not be empty"));
        }
        if raw.components.is_empty() {
            b.problems.push(Problem::new("components", "a rubric needs at least one component"));
        }
        let mut components = Vec::new();
        let mut subcomponents = Vec::new();
        let mut criteria = Vec::new();
        for (ci, rc) in raw.components.iter().enumerate() {
            let ckey = format!("components[{ci}] ({})", rc.code);
            b.code(&rc.code, &ckey);
            b.named(&rc.name, &ckey);
            b.positive(&rc.weight, &ckey);
            if rc.subcomponents.is_empty() {
                b.problems.push(Problem::new(&ckey, "a component needs at least one sub-component"));
            }
            let first_sub = subcomponents.len();
            for (si, rs) in rc.subcomponents.iter().enumerate() {
                let skey = format!("components[{ci}].subcomponents[{si}] ({})", rs.code);
                b.code(&rs.code, &skey);
                b.named(&rs.name, &skey);
                b.positive(&rs.weight, &skey);
                if rs.criteria.is_empty() {
                    b.problems.push(Problem::new(&skey, "a sub-component needs at least one criterion"));
                }
                let first_crit = criteria.len();
                let n = rs.criteria.len().max(1) as i128;
                for (ki, rk) in rs.criteria.iter().enumerate() {
                    let kkey = format!("components[{ci}].subcomponents[{si}].criteria[{ki}] ({})", rk.code);
                    b.code(&rk.code, &kkey);
                    b.named(&rk.name, &kkey);
                    // The scale is named on the criterion, else its sub-component,
                    // else the rubric; a bad name is reported where it is written.
                    let declared = match (&rk.answer_scale, &rs.answer_scale, &raw.answer_scale) {
                        (Some(id), _, _) => Some((id, format!("{kkey}.answer_scale"))),
                        (None, Some(id), _) => Some((id, format!("{skey}.answer_scale"))),
                        (None, None, Some(id)) => Some((id, "answer_scale".to_string())),
                        (None, None, None) => None,
                    };
                    let scale = b.scale(declared, &kkey);
                    let points = match (raw.rollup, &rk.weight) {
                        (Rollup::Mean, None) => rs.weight.0 / n,
                        (Rollup::Mean, Some(_)) => {
                            b.problems.push(Problem::new(format!("{kkey}.weight"), "criteria carry no weight under `rollup = \"mean\"`; use `rollup = \"sum\"` for per-criterion weights"));
                            Exact::default()
                        }
                        (Rollup::Sum, Some(w)) => {
                            b.positive(w, &kkey);
                            w.0
                        }
                        (Rollup::Sum, None) => {
                            b.problems.push(Problem::new(format!("{kkey}.weight"), "missing: under `rollup = \"sum\"` every criterion needs a weight"));
                            Exact::default()
                        }
                    };
                    criteria.push(Criterion { code: rk.code.trim().to_string(), name: rk.name.clone(), scale, points, subcomponent: subcomponents.len() });
                }
                if raw.rollup == Rollup::Sum && !rs.criteria.is_empty() {
                    let sum: Exact = criteria[first_crit..].iter().map(|c| c.points).sum();
                    b.sums_to(sum, rs.weight.0, &skey, "criterion weights");
                }
                subcomponents.push(Subcomponent {
                    code: rs.code.trim().to_string(),
                    name: rs.name.clone(),
                    description: rs.description.clone(),
                    weight: rs.weight.0,
                    component: ci,
                    criteria: first_crit..criteria.len(),
                });
            }
            if !rc.subcomponents.is_empty() {
                let sum: Exact = rc.subcomponents.iter().map(|s| s.weight.0).sum();
                b.sums_to(sum, rc.weight.0, &ckey, "sub-component weights");
            }
            components.push(Component { code: rc.code.trim().to_string(), name: rc.name.clone(), weight: rc.weight.0, subcomponents: first_sub..subcomponents.len() });
        }
        if !raw.components.is_empty() {
            let sum: Exact = raw.components.iter().map(|c| c.weight.0).sum();
            b.sums_to(sum, Exact::from_integer(100), "components", "component weights");
        }
        if !b.problems.is_empty() {
            return Err(Error::Invalid { path: path.to_path_buf(), problems: b.problems });
        }
        let by_code = criteria.iter().enumerate().map(|(i, c)| (c.code.clone(), i)).collect();
        let integer_terms = IntegerTerms::of(&criteria, &subcomponents, &components, &b.scales);
        Ok(Rubric {
            id: crate::rules::read::id_of(path),
            name: raw.name,
            source: raw.source,
            path: path.to_path_buf(),
            rollup: raw.rollup,
            missing: raw.missing,
            components,
            subcomponents,
            criteria,
            scales: b.scales,
            by_code,
            integer_terms,
        })
    }

    /// The index of the criterion with this code (surrounding spaces ignored).
    pub fn criterion_index(&self, code: &str) -> Option<usize> {
        self.by_code.get(code.trim()).copied()
    }

    /// The answer scale of criterion `index`.
    pub fn scale_of(&self, index: usize) -> &AnswerScale {
        &self.scales[self.criteria[index].scale]
    }

    /// The component a criterion belongs to.
    pub fn component_of(&self, index: usize) -> &Component {
        &self.components[self.subcomponents[self.criteria[index].subcomponent].component]
    }

    /// The component with this code or (case-insensitively) this name.
    pub fn find_component(&self, code_or_name: &str) -> Option<usize> {
        let key = code_or_name.trim();
        self.components.iter().position(|c| c.code == key || c.name.eq_ignore_ascii_case(key))
    }
}

/// Collects problems while a rubric is checked.
struct Builder<'a> {
    catalog: &'a Catalog,
    problems: Vec<Problem>,
    codes: HashMap<String, String>,
    scales: Vec<AnswerScale>,
    scale_ids: HashMap<String, Option<usize>>,
}

impl Builder<'_> {
    fn code(&mut self, code: &str, key: &str) {
        let code = code.trim();
        if code.is_empty() {
            self.problems.push(Problem::new(key, "code must not be empty"));
        } else if let Some(first) = self.codes.get(code) {
            self.problems.push(Problem::new(key, format!("duplicate code '{code}', already used at {first}")));
        } else {
            self.codes.insert(code.to_string(), key.to_string());
        }
    }

    fn named(&mut self, name: &str, key: &str) {
        if name.trim().is_empty() {
            self.problems.push(Problem::new(format!("{key}.name"), "must not be empty"));
        }
    }

    fn positive(&mut self, weight: &RuleNumber, key: &str) {
        if weight.0 <= Exact::default() {
            self.problems.push(Problem::new(format!("{key}.weight"), format!("must be above 0, not {}", format_exact(&weight.0, 6))));
        }
    }

    fn sums_to(&mut self, sum: Exact, expected: Exact, key: &str, what: &str) {
        if sum != expected {
            self.problems.push(Problem::new(key, format!("{what} sum to {}, expected {}", format_exact(&sum, 6), format_exact(&expected, 6))));
        }
    }

    /// Resolves a scale id once. A scale that cannot be loaded is reported
    /// once, at the key that names it, however many criteria use it.
    fn scale(&mut self, declared: Option<(&String, String)>, criterion_key: &str) -> usize {
        let Some((id, key)) = declared else {
            self.problems.push(Problem::new(
                format!("{criterion_key}.answer_scale"),
                "no answer scale: set `answer_scale` on the criterion, its sub-component or the rubric",
            ));
            return 0;
        };
        if let Some(found) = self.scale_ids.get(&format!("{key}\0{id}")) {
            return found.unwrap_or(0);
        }
        let found = match self.scales.iter().position(|s| &s.id == id) {
            Some(i) => Some(i),
            None => match self.catalog.answer_scale(id) {
                Ok(scale) => {
                    self.scales.push(scale);
                    Some(self.scales.len() - 1)
                }
                Err(e) => {
                    self.problems.push(Problem::new(&key, format!("answer scale '{id}' cannot be used: {e}")));
                    None
                }
            },
        };
        self.scale_ids.insert(format!("{key}\0{id}"), found);
        found.unwrap_or(0)
    }
}
