//! The figures of `criterion_scores` (every criterion of every scored
//! worksheet, with its answer and its points, so that planners can ask in
//! SQL which criteria lose the most points; [`super::write`] writes the
//! table).
//!
//! The points are [`criterion_points`] — the exact terms the roll-up adds —
//! stored as millionths (`DECIMAL(18,6)`, half-up). A national history has
//! some 3.5 million criterion rows, and a rational product and rounding per
//! row cost more than the rest of the scoring; so for the usual rubric
//! (listed answers, missing counted as zero) each criterion's possible
//! figures are worked out once per rubric from the exact terms and looked
//! up by answer. Any other rubric takes the exact path row by row; both
//! give the same millionths.

use std::sync::Arc;

use crate::exact::{scaled_half_up, Exact};
use crate::rules::rubric::{MissingPolicy, Rubric};
use crate::score::criterion_points;
use crate::tables::DECIMAL_SCALE;

/// One criterion's row for one unit, year and track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CriterionRow {
    /// Index of the criterion in the rubric.
    pub index: usize,
    /// The answer as written; `None` when missing. Shared with the rows
    /// that gave the same answer in its file.
    pub answer: Option<Arc<str>>,
    /// Its value on the criterion's scale, in millionths.
    pub value: Option<i128>,
    /// Points earned, in millionths; `None` when the policy leaves the
    /// criterion out.
    pub points: Option<i128>,
    /// Points full marks would earn, in millionths.
    pub max: i128,
}

fn micro(value: &Exact) -> i128 {
    scaled_half_up(value, DECIMAL_SCALE as u32)
}

/// A rubric's criterion figures in millionths, worked out once.
#[derive(Debug, Clone)]
pub struct Millionths {
    /// Per criterion: full marks.
    max: Vec<i128>,
    /// Per criterion: each listed answer's value, with its value and points
    /// in millionths.
    listed: Vec<Vec<(Exact, i128, i128)>>,
    /// Whether the lookup applies (missing counts as zero, so a criterion's
    /// points do not depend on the other answers).
    lookup: bool,
}

impl Millionths {
    /// The figures of `rubric`.
    pub fn of(rubric: &Rubric) -> Millionths {
        let lookup = rubric.missing != MissingPolicy::Exclude;
        let max = rubric.criteria.iter().map(|c| micro(&c.points)).collect();
        let listed = (0..rubric.criteria.len())
            .map(|i| {
                let scale = rubric.scale_of(i);
                let answers = match &scale.accepts {
                    crate::rules::answer_scale::Accepts::Listed(answers) => answers.as_slice(),
                    crate::rules::answer_scale::Accepts::Range { .. } => &[],
                };
                answers.iter().map(|a| (a.value, micro(&a.value), micro(&(scale.normalise(a.value) * rubric.criteria[i].points)))).collect()
            })
            .collect();
        Millionths { max, listed, lookup }
    }

    /// The rows of one worksheet: `written` the answers as written and
    /// `values` their values, per criterion in rubric order.
    pub fn rows(&self, rubric: &Rubric, written: Vec<Option<Arc<str>>>, values: &[Option<Exact>]) -> Vec<CriterionRow> {
        let looked_up: Option<Vec<(Option<i128>, Option<i128>)>> = self.lookup.then(|| {
            values
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    None => Some((None, Some(0))),
                    Some(v) => self.listed[i].iter().find(|(x, _, _)| crate::exact::same(x, v)).map(|&(_, value, points)| (Some(value), Some(points))),
                })
                .collect()
        })
        .flatten();
        let figures = looked_up.unwrap_or_else(|| {
            let exact = criterion_points(rubric, values);
            values.iter().zip(&exact).map(|(v, p)| (v.as_ref().map(micro), p.points.as_ref().map(micro))).collect()
        });
        // Under `exclude` full marks scale with the answered criteria too.
        let maxes: Vec<i128> = if self.lookup { self.max.clone() } else { criterion_points(rubric, values).iter().map(|p| micro(&p.max)).collect() };
        written
            .into_iter()
            .zip(figures)
            .zip(maxes)
            .enumerate()
            .map(|(index, ((answer, (value, points)), max))| CriterionRow { index, answer, value, points, max })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::catalog::Catalog;
    use crate::worksheet::SheetBuilder;

    #[test]
    fn the_lookup_gives_the_exact_path_s_millionths() {
        // Every listed answer of every criterion of both shipped rubrics,
        // one worksheet per answer position, through both paths.
        let catalog = Catalog::new(concat!(env!("CARGO_MANIFEST_DIR"), "/pipelines"));
        for id in ["permenpanrb-88-2021", "permenpanrb-12-2015"] {
            let rubric = catalog.rubric(id).unwrap();
            let table = Millionths::of(&rubric);
            assert!(table.lookup);
            let slow = Millionths { lookup: false, ..table.clone() };
            for k in 0..8 {
                let mut sheet = SheetBuilder::new(&rubric);
                for (i, c) in rubric.criteria.iter().enumerate() {
                    let listed = &table.listed[i];
                    // Leave every seventh criterion unanswered.
                    if (i + k) % 7 != 0 {
                        let answer = match &rubric.scale_of(i).accepts {
                            crate::rules::answer_scale::Accepts::Listed(a) => a[(i + k) % listed.len()].answer.clone(),
                            crate::rules::answer_scale::Accepts::Range { .. } => unreachable!(),
                        };
                        sheet.add(i as u64, &c.code, &answer).unwrap();
                    }
                }
                let values = sheet.finish();
                let written = vec![None; values.len()];
                assert_eq!(table.rows(&rubric, written.clone(), &values), slow.rows(&rubric, written, &values), "{id}, shift {k}");
            }
        }
    }
}
