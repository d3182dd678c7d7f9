//! The worksheet: one unit's answers for one year and track, checked
//! against the rubric, one row at a time.
//!
//! Ingest checks every answer row of a file with [`SheetBuilder`] and keeps
//! the values it finds; scoring rolls those values up. Both stages need the
//! same idea of a worksheet — whose answers (the [`Track`]), what makes a row
//! unusable ([`RowProblem`]) — so it lives here, beside neither: ingest does
//! not reach into scoring to check a row, and scoring does not reach into
//! ingest to name a track.

use crate::answer_scale::OffScale;
use crate::exact::Exact;
use crate::rubric::Rubric;

/// Whose answers a row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Track {
    /// The unit's self-assessment (*penilaian mandiri*, *nilai usulan*).
    Mandiri,
    /// The evaluator's decision (*nilai penetapan*): the official score.
    Evaluator,
}

impl Track {
    /// The name stored in the warehouse.
    pub fn as_str(self) -> &'static str {
        match self {
            Track::Mandiri => "mandiri",
            Track::Evaluator => "evaluator",
        }
    }

    /// Reads a track cell; blank means evaluator, the default track.
    pub fn parse(text: &str) -> Option<Track> {
        // The common spellings first, without allocating: one call per row.
        match text.trim() {
            "" | "evaluator" => return Some(Track::Evaluator),
            "mandiri" => return Some(Track::Mandiri),
            _ => {}
        }
        let t = text.trim().to_lowercase().replace(['-', '_'], " ");
        match t.as_str() {
            "" | "evaluator" | "evaluasi" | "penetapan" | "nilai penetapan" | "evaluator decision" => Some(Track::Evaluator),
            "mandiri" | "penilaian mandiri" | "usulan" | "nilai usulan" | "self" | "self assessment" => Some(Track::Mandiri),
            _ => None,
        }
    }
}

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
    /// The criterion after the last one added: worksheets list criteria in
    /// rubric order, so it is nearly always the next row's, found without
    /// hashing the code.
    next: usize,
}

impl<'r> SheetBuilder<'r> {
    /// An empty worksheet for `rubric`.
    pub fn new(rubric: &'r Rubric) -> SheetBuilder<'r> {
        let n = rubric.criteria.len();
        SheetBuilder { rubric, values: vec![None; n], first_row: vec![None; n], next: 0 }
    }

    /// Reads one answer row. On success returns the criterion's index and its
    /// value on its scale, or `None` for a blank answer: the criterion stays
    /// unanswered (missing, never zero). A row that cannot be used leaves the
    /// worksheet as it was.
    pub fn add(&mut self, row: u64, criterion: &str, answer: &str) -> Result<(usize, Option<Exact>), RowProblem> {
        let rubric = self.rubric;
        let expected = rubric.criteria.get(self.next).filter(|c| c.code == criterion.trim()).map(|_| self.next);
        let index = expected
            .or_else(|| rubric.criterion_index(criterion))
            .ok_or_else(|| RowProblem::UnknownCriterion { code: criterion.trim().to_string(), rubric: rubric.id.clone() })?;
        self.next = index + 1;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Catalog;

    fn catalog() -> Catalog {
        Catalog::new(concat!(env!("CARGO_MANIFEST_DIR"), "/pipelines"))
    }

    #[test]
    fn row_problems_name_criterion_and_allowed_values() {
        let rubric = catalog().rubric("permenpanrb-12-2015").unwrap();
        let mut b = SheetBuilder::new(&rubric);
        let e = b.add(2, "2.2.3", "Z").unwrap_err();
        assert_eq!(e.column(), "answer");
        assert_eq!(e.reason(), "answer 'Z' is not on scale A–E for criterion 2.2.3 (allowed: A=1;B=0.75;C=0.5;D=0.25;E=0)");
        let e = b.add(3, "9.9.9", "A").unwrap_err();
        assert_eq!(e.reason(), "criterion '9.9.9' is not in rubric permenpanrb-12-2015");
        b.add(4, "2.1.3", "Y").unwrap();
        let e = b.add(5, " 2.1.3 ", "B").unwrap_err();
        assert_eq!(e.reason(), "criterion 2.1.3 is answered twice; the first answer, at row 4, is kept");
        let values = b.finish();
        assert_eq!(values[rubric.criterion_index("2.1.3").unwrap()], Some(Exact::from_integer(1)));
    }
}
