//! Scoring one worksheet: answers → sub-component, component and total scores.
//!
//! This is the one place the roll-up arithmetic lives; `sakip score` and the
//! warehouse scoring both call it. Everything is exact until the very end:
//! sub-component and component scores stay exact rationals, the total is
//! their exact sum, and only the total is rounded — half-up, to two decimals,
//! once. The predikat is read off that rounded total.

use crate::answer_scale::OffScale;
use crate::exact::{Exact, Points};
use crate::rubric::{MissingPolicy, Rubric};

/// Why one answer row cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    /// The criterion code is not in the rubric.
    UnknownCriterion {
        /// The code as found.
        code: String,
        /// The rubric's id.
        rubric: String,
    },
    /// The answer is not on the criterion's scale.
    OffScale {
        /// The criterion's code.
        criterion: String,
        /// What was wrong with the answer.
        off: OffScale,
    },
    /// The criterion was already answered earlier in the same worksheet.
    Duplicate {
        /// The criterion's code.
        criterion: String,
        /// Where it was first answered.
        first_row: u64,
    },
}

impl RowProblem {
    /// The column the problem is in: `criterion` or `answer`.
    pub fn column(&self) -> &'static str {
        match self {
            RowProblem::UnknownCriterion { .. } | RowProblem::Duplicate { .. } => "criterion",
            RowProblem::OffScale { .. } => "answer",
        }
    }

    /// The offending text.
    pub fn value(&self) -> &str {
        match self {
            RowProblem::UnknownCriterion { code, .. } => code,
            RowProblem::OffScale { off, .. } => &off.answer,
            RowProblem::Duplicate { criterion, .. } => criterion,
        }
    }

    /// The reason, for a person.
    pub fn reason(&self) -> String {
        match self {
            RowProblem::UnknownCriterion { code, rubric } => format!("criterion '{code}' is not in rubric {rubric}"),
            RowProblem::OffScale { criterion, off } => {
                format!("answer '{}' is not on scale {} for criterion {criterion} (allowed: {})", off.answer, off.scale, off.allowed)
            }
            RowProblem::Duplicate { criterion, first_row } => {
                format!("criterion {criterion} is answered twice; the first answer, at row {first_row}, is kept")
            }
        }
    }
}

/// One worksheet's answers being collected, one row at a time.
#[derive(Debug, Clone)]
pub struct SheetBuilder<'r> {
    rubric: &'r Rubric,
    values: Vec<Option<Exact>>,
    first_row: Vec<Option<u64>>,
}

impl<'r> SheetBuilder<'r> {
    /// An empty worksheet for `rubric`.
    pub fn new(rubric: &'r Rubric) -> SheetBuilder<'r> {
        let n = rubric.criteria.len();
        SheetBuilder { rubric, values: vec![None; n], first_row: vec![None; n] }
    }

    /// Reads one answer row. On success returns the criterion's index and its
    /// value on its scale, or `None` for a blank answer: the criterion stays
    /// unanswered (missing, never zero). A row that cannot be used leaves the
    /// worksheet as it was.
    pub fn add(&mut self, row: u64, criterion: &str, answer: &str) -> Result<(usize, Option<Exact>), RowProblem> {
        let rubric = self.rubric;
        let index = rubric
            .criterion_index(criterion)
            .ok_or_else(|| RowProblem::UnknownCriterion { code: criterion.trim().to_string(), rubric: rubric.id.clone() })?;
        let code = &rubric.criteria[index].code;
        if let Some(first_row) = self.first_row[index] {
            return Err(RowProblem::Duplicate { criterion: code.clone(), first_row });
        }
        if answer.trim().is_empty() {
            self.first_row[index] = Some(row);
            return Ok((index, None));
        }
        let value = rubric
            .scale_of(index)
            .value_of(answer)
            .map_err(|off| RowProblem::OffScale { criterion: code.clone(), off })?;
        self.first_row[index] = Some(row);
        self.values[index] = Some(value);
        Ok((index, Some(value)))
    }

    /// The collected values, one per criterion of the rubric (`None` where
    /// unanswered).
    pub fn finish(self) -> Vec<Option<Exact>> {
        self.values
    }
}

/// A scored worksheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown {
    /// Exact score of each sub-component, aligned with
    /// [`Rubric::subcomponents`].
    pub subcomponents: Vec<Exact>,
    /// Exact score of each component, aligned with [`Rubric::components`].
    pub components: Vec<Exact>,
    /// The exact total, the sum of the unrounded component scores.
    pub total_exact: Exact,
    /// The total rounded half-up to two decimals: the figure shown, stored and
    /// graded.
    pub total: Points,
    /// Indexes of the criteria left unanswered.
    pub missing: Vec<usize>,
}

/// The worksheet cannot be scored: the rubric rejects missing answers and
/// these criteria (indexes) were not answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incomplete {
    /// Indexes of the unanswered criteria.
    pub missing: Vec<usize>,
}

/// Rolls a worksheet up. `values[i]` is criterion `i`'s value on its own
/// answer scale, or `None` if unanswered.
///
/// A criterion contributes `value / full marks × points`, where `points` is
/// what full marks on it are worth (sub-component weight / n under the mean
/// rule). Unanswered criteria follow the rubric's [`MissingPolicy`].
pub fn rollup(rubric: &Rubric, values: &[Option<Exact>]) -> Result<Breakdown, Incomplete> {
    assert_eq!(values.len(), rubric.criteria.len(), "one value slot per criterion");
    let missing: Vec<usize> = (0..values.len()).filter(|&i| values[i].is_none()).collect();
    if rubric.missing == MissingPolicy::Reject && !missing.is_empty() {
        return Err(Incomplete { missing });
    }
    let subcomponents: Vec<Exact> = rubric
        .subcomponents
        .iter()
        .map(|sub| {
            let mut earned = Exact::default();
            let mut answered_weight = Exact::default();
            for i in sub.criteria.clone() {
                if let Some(value) = values[i] {
                    let criterion = &rubric.criteria[i];
                    earned += rubric.scale_of(i).normalise(value) * criterion.points;
                    answered_weight += criterion.points;
                }
            }
            match rubric.missing {
                MissingPolicy::Zero | MissingPolicy::Reject => earned,
                MissingPolicy::Exclude if answered_weight == Exact::default() => Exact::default(),
                MissingPolicy::Exclude => earned * sub.weight / answered_weight,
            }
        })
        .collect();
    let components: Vec<Exact> = rubric.components.iter().map(|c| subcomponents[c.subcomponents.clone()].iter().sum()).collect();
    let total_exact: Exact = components.iter().sum();
    Ok(Breakdown { total: Points::round_half_up(&total_exact), subcomponents, components, total_exact, missing })
}
