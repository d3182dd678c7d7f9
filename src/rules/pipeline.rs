//! Pipeline files: which inbox, which warehouse, which province, and which
//! rubric and predikat scale apply to which evaluation years.
//!
//! A pipeline file is parsed and then turned into a checked [`Plan`] before any
//! submission is read: every rubric and scale it names is loaded and
//! validated, year ranges may not overlap, and every mistake is reported at
//! once with its key. Paths in the file are relative to the file itself, and
//! rule ids resolve in the file's own directory (normally `pipelines/`), so a
//! pipeline runs the same from any working directory.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use crate::error::{Error, Problem, Result};
use crate::registry::{canonical_code, Registry};
use crate::rules::catalog::Catalog;
use crate::rules::limits::Limits;
use crate::rules::predikat::PredikatScale;
use crate::rules::read::parse_rule;
use crate::rules::rubric::Rubric;

/// The `kind` a pipeline file declares.
pub const KIND: &str = "pipeline";

/// What to do when a unit sent more than one file for one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DuplicatePolicy {
    /// Reject every file of that unit and year, naming them all.
    Error,
    /// The file modified last wins, compared to the second; within one
    /// second the path that sorts last wins. The others are rejected as
    /// superseded, row by row.
    Newest,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPipeline {
    #[serde(rename = "kind")]
    _kind: String,
    name: String,
    inbox: PathBuf,
    warehouse: PathBuf,
    registry: PathBuf,
    province: String,
    #[serde(default = "default_duplicates")]
    duplicates: DuplicatePolicy,
    #[serde(default)]
    limits: Limits,
    #[serde(default = "default_keep")]
    keep_snapshots: usize,
    #[serde(default)]
    template: TemplateSettings,
    evaluations: Vec<RawEvaluation>,
    // -- IKM / IKU: the neighbouring evaluations this pipeline consolidates.
    #[serde(default)]
    ikm: Option<RawNeighbour>,
    #[serde(default)]
    iku: Option<RawNeighbour>,
    // -- end IKM / IKU
}

/// `[ikm]` or `[iku]`: a rule file (id in `ikm/` or `iku/`, or a path) and
/// the inbox folder of that evaluation's files.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNeighbour {
    rule: String,
    inbox: PathBuf,
    #[serde(default)]
    min_respondents: Option<usize>,
}

/// What the worksheet template (`sakip template`) tells units besides the
/// rubric: the pipeline file's optional `[template]` table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemplateSettings {
    /// The day filled worksheets are due, `YYYY-MM-DD`.
    pub deadline: Option<String>,
    /// Where to send them: an address, a shared folder, an office.
    pub send_to: Option<String>,
}

impl TemplateSettings {
    /// The deadline as (year, month, day), if one is set and valid.
    pub fn deadline_date(&self) -> Option<(i32, u32, u32)> {
        parse_date(self.deadline.as_deref()?)
    }
}

/// A calendar date written `YYYY-MM-DD`.
fn parse_date(text: &str) -> Option<(i32, u32, u32)> {
    let mut parts = text.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let (y, m, d): (i32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    (1..=12).contains(&m).then_some(())?;
    (d >= 1 && d <= days[m as usize - 1]).then_some((y, m, d))
}

fn default_keep() -> usize {
    7
}

fn default_duplicates() -> DuplicatePolicy {
    DuplicatePolicy::Error
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvaluation {
    from: i32,
    #[serde(default)]
    to: Option<i32>,
    rubric: String,
    scale: String,
}

/// The rubric and predikat scale of a span of evaluation years.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// First year, inclusive.
    pub from: i32,
    /// Last year, inclusive; `None` for "from then on".
    pub to: Option<i32>,
    /// The rubric.
    pub rubric: Arc<Rubric>,
    /// The predikat scale.
    pub scale: Arc<PredikatScale>,
}

impl Evaluation {
    fn covers(&self, year: i32) -> bool {
        year >= self.from && self.to.is_none_or(|to| year <= to)
    }
}

/// Overrides for a pipeline's settings, from the command line.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    /// Another inbox.
    pub inbox: Option<PathBuf>,
    /// Another warehouse.
    pub warehouse: Option<PathBuf>,
    /// Worker threads (default: one per core).
    pub threads: Option<usize>,
}

/// A checked pipeline, ready to run.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The pipeline's name.
    pub name: String,
    /// The pipeline file.
    pub path: PathBuf,
    /// Where submissions arrive: `<inbox>/<year>/<file>`.
    pub inbox: PathBuf,
    /// Where the Parquet warehouse is written.
    pub warehouse: PathBuf,
    /// The unit registry.
    pub registry: Arc<Registry>,
    /// The folder the registry was read from.
    pub registry_dir: PathBuf,
    /// The province consolidated (`53`), or `None` for all.
    pub province: Option<String>,
    /// The policy for two files of one unit and year.
    pub duplicates: DuplicatePolicy,
    /// Rubric and scale per span of years.
    pub evaluations: Vec<Evaluation>,
    /// Worker threads; `None` for one per core.
    pub threads: Option<usize>,
    /// Bounds on each submission file.
    pub limits: Limits,
    /// How many published snapshots to keep for rollback.
    pub keep_snapshots: usize,
    /// What the worksheet template says about the deadline and address.
    pub template: TemplateSettings,
    /// The IKM survey consolidation, when the pipeline declares one.
    pub ikm: Option<crate::rules::ikm::IkmPlan>,
    /// The IKU capaian consolidation, when the pipeline declares one.
    pub iku: Option<crate::rules::iku::IkuPlan>,
}

impl Plan {
    /// Reads and checks the pipeline file at `path`, applying `overrides`.
    pub fn load(path: &Path, overrides: &Overrides) -> Result<Plan> {
        let text = crate::rules::read::read(path)?;
        Plan::parse(path, &text, overrides)
    }

    /// Checks the text of a pipeline file as if read from `path`: the
    /// registry, rubrics and scales it names are found relative to `path`'s
    /// folder, and every problem names `path`.
    pub fn parse(path: &Path, text: &str, overrides: &Overrides) -> Result<Plan> {
        let raw: RawPipeline = parse_rule(path, text, KIND)?;
        let base = path.parent().unwrap_or(Path::new("."));
        let catalog = Catalog::new(base);
        let mut problems = Vec::new();

        let registry_dir = tidy(&base.join(&raw.registry));
        let registry = match Registry::load(&registry_dir) {
            Ok(r) => Some(r),
            Err(e) => {
                problems.push(Problem::new("registry", format!("cannot load the unit registry: {e}")));
                None
            }
        };
        let province = match raw.province.trim() {
            "all" => None,
            code => match canonical_code(code).filter(|c| c.len() == 2) {
                Some(c) => {
                    if let Some(r) = &registry {
                        if r.province_name(&c).is_none() {
                            problems.push(Problem::new("province", format!("'{code}' is not a province code in the registry")));
                        }
                    }
                    Some(c)
                }
                None => {
                    problems.push(Problem::new("province", format!("'{code}' is neither a 2-digit province code nor \"all\"")));
                    None
                }
            },
        };
        if raw.evaluations.is_empty() {
            problems.push(Problem::new("evaluations", "name at least one span of years with its rubric and scale"));
        }
        let mut evaluations = Vec::new();
        for (i, e) in raw.evaluations.iter().enumerate() {
            let key = format!("evaluations[{i}]");
            if e.to.is_some_and(|to| to < e.from) {
                problems.push(Problem::new(&key, format!("`to` ({}) is before `from` ({})", e.to.unwrap_or_default(), e.from)));
            }
            let rubric = catalog.rubric(&e.rubric).map_err(|err| problems.push(Problem::new(format!("{key}.rubric"), err.to_string()))).ok();
            let scale = catalog.predikat_scale(&e.scale).map_err(|err| problems.push(Problem::new(format!("{key}.scale"), err.to_string()))).ok();
            if let (Some(rubric), Some(scale)) = (rubric, scale) {
                evaluations.push(Evaluation { from: e.from, to: e.to, rubric: Arc::new(rubric), scale: Arc::new(scale) });
            }
        }
        for (i, a) in raw.evaluations.iter().enumerate() {
            for b in &raw.evaluations[i + 1..] {
                let a_end = a.to.unwrap_or(i32::MAX);
                let b_end = b.to.unwrap_or(i32::MAX);
                if a.from <= b_end && b.from <= a_end {
                    problems.push(Problem::new(
                        format!("evaluations[{i}]"),
                        format!("years {}–{} overlap another span starting {}", a.from, a.to.map_or(String::new(), |t| t.to_string()), b.from),
                    ));
                }
            }
        }
        if raw.template.deadline.is_some() && raw.template.deadline_date().is_none() {
            problems.push(Problem::new("template.deadline", "write the date as YYYY-MM-DD, for example \"2025-01-31\""));
        }
        let ikm = raw.ikm.as_ref().and_then(|n| {
            if n.min_respondents.is_none() {
                problems.push(Problem::new("ikm.min_respondents", "set the fewest respondents a unit needs to be scored (a setting: the regulation fixes none)"));
            }
            let rule = crate::rules::ikm::IkmRule::load(&neighbour_rule(base, "ikm", &n.rule))
                .map_err(|e| problems.push(Problem::new("ikm.rule", e.to_string())))
                .ok()?;
            Some(crate::rules::ikm::IkmPlan { rule: Arc::new(rule), inbox: tidy(&base.join(&n.inbox)), min_respondents: n.min_respondents.unwrap_or(0) })
        });
        let iku = raw.iku.as_ref().and_then(|n| {
            if n.min_respondents.is_some() {
                problems.push(Problem::new("iku.min_respondents", "belongs to [ikm] only"));
            }
            let rule = crate::rules::iku::IkuRule::load(&neighbour_rule(base, "iku", &n.rule))
                .map_err(|e| problems.push(Problem::new("iku.rule", e.to_string())))
                .ok()?;
            Some(crate::rules::iku::IkuPlan { rule: Arc::new(rule), inbox: tidy(&base.join(&n.inbox)) })
        });
        if raw.keep_snapshots == 0 {
            problems.push(Problem::new("keep_snapshots", "must be at least 1: the current snapshot is always kept"));
        }
        if overrides.threads == Some(0) {
            problems.push(Problem::new("--threads", "must be at least 1"));
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { path: path.to_path_buf(), problems });
        }
        Ok(Plan {
            name: raw.name,
            path: path.to_path_buf(),
            inbox: overrides.inbox.clone().unwrap_or_else(|| tidy(&base.join(&raw.inbox))),
            warehouse: overrides.warehouse.clone().unwrap_or_else(|| tidy(&base.join(&raw.warehouse))),
            registry: Arc::new(registry.expect("no problems, so loaded")),
            registry_dir,
            province,
            duplicates: raw.duplicates,
            evaluations,
            threads: overrides.threads,
            limits: raw.limits,
            keep_snapshots: raw.keep_snapshots,
            template: raw.template,
            ikm,
            iku,
        })
    }

    /// The rubric and scale of an evaluation year.
    pub fn evaluation_for(&self, year: i32) -> Option<&Evaluation> {
        self.evaluations.iter().find(|e| e.covers(year))
    }
}

/// Where an `[ikm]`/`[iku]` rule names its file: a path as written, or an
/// id in the evaluation's folder beside the pipeline.
fn neighbour_rule(base: &Path, dir: &str, id_or_path: &str) -> PathBuf {
    if id_or_path.ends_with(".toml") || id_or_path.contains('/') {
        base.join(id_or_path)
    } else {
        base.join(dir).join(format!("{id_or_path}.toml"))
    }
}

/// Removes `.` and `name/..` from a path without touching the disk, so
/// `pipelines/../warehouse` is shown as `warehouse`.
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    if out.is_empty() {
        PathBuf::from(".")
    } else {
        out.iter().collect()
    }
}
