//! The worksheet: one unit's answers for one year and track, checked
//! against the rubric, one row at a time.
//!
//! Ingest checks every answer row of a file with [`SheetBuilder`] and keeps
//! the values it finds; scoring rolls those values up. Both stages need the
//! same idea of a worksheet — whose answers (the [`Track`]), what makes a row
//! unusable ([`RowProblem`]) — so it lives here, beside neither: ingest does
//! not reach into scoring to check a row, and scoring does not reach into
//! ingest to name a track.

use crate::exact::Exact;
use crate::rules::answer_scale::{Accepts, OffScale};
use crate::rules::rubric::Rubric;

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

    /// The track a warehouse value names, exactly as [`Track::as_str`] wrote
    /// it (not the lenient reading of a submitted cell).
    pub fn stored(text: &str) -> Option<Track> {
        [Track::Mandiri, Track::Evaluator].into_iter().find(|t| t.as_str() == text)
    }

    /// Reads a track cell; blank means evaluator, the default track.
    pub fn parse(text: &str) -> Option<Track> {
        // The common spellings first, without allocating: one call per row.
        let t = crate::text::trim(text).as_bytes();
        if t.is_empty() || crate::text::same(t, b"evaluator") {
            return Some(Track::Evaluator);
        }
        if crate::text::same(t, b"mandiri") {
            return Some(Track::Mandiri);
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
    /// A value read back from the warehouse is no value of the criterion's
    /// scale: the warehouse was written under another rubric or scale.
    /// Only [`SheetBuilder::add_stored`] finds it; ingest never does.
    NotStoredValue {
        /// The criterion's code.
        criterion: String,
        /// The stored value, in millionths.
        stored: i128,
        /// The answer stored beside it.
        answer: String,
    },
}

impl RowProblem {
    /// The column the problem is in: `criterion` or `answer`.
    pub fn column(&self) -> &'static str {
        match self {
            RowProblem::UnknownCriterion { .. } | RowProblem::Duplicate { .. } => "criterion",
            RowProblem::OffScale { .. } => "answer",
            RowProblem::NotStoredValue { .. } => "value",
        }
    }

    /// The offending text.
    pub fn value(&self) -> &str {
        match self {
            RowProblem::UnknownCriterion { code, .. } => code,
            RowProblem::OffScale { off, .. } => &off.answer,
            RowProblem::Duplicate { criterion, .. } => criterion,
            RowProblem::NotStoredValue { answer, .. } => answer,
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
            RowProblem::NotStoredValue { criterion, stored, answer } => {
                let value = crate::exact::format_exact(&Exact::new(*stored, 10i128.pow(crate::tables::VALUE_PLACES)), 6);
                format!("the stored value {value} of answer '{answer}' for criterion {criterion} is no value of its scale")
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
        let index = self.locate(criterion)?;
        if crate::text::trim(answer).is_empty() {
            self.first_row[index] = Some(row);
            return Ok((index, None));
        }
        let value = self.rubric.scale_of(index).value_of(answer).map_err(|off| RowProblem::OffScale { criterion: self.code(index), off })?;
        self.keep(row, index, value);
        Ok((index, Some(value)))
    }

    /// Reads one answered row back from the warehouse: the criterion, the
    /// value ingest found for the answer when it checked it (`answers.value`,
    /// in millionths) and the answer as stored. Returns the criterion's index
    /// and the exact value.
    ///
    /// On a listed scale the value is the listed answer's whose millionths
    /// these are: the answer text is not read again (unless two listed values
    /// store alike). On a range the stored
    /// millionths are rounded for an answer with more than six decimals
    /// (`2/3`), so the exact value is the answer's again, which must store as
    /// these millionths; reading it back rounded would score the unit a hair
    /// away from what `sakip score` gives for its file.
    pub fn add_stored(&mut self, row: u64, criterion: &str, stored: i128, answer: &str) -> Result<(usize, Exact), RowProblem> {
        let index = self.locate(criterion)?;
        let scale = self.rubric.scale_of(index);
        let by_text = || scale.value_of(answer).ok().filter(|v| crate::tables::millionths(v) == stored);
        let value = match &scale.accepts {
            Accepts::Listed(answers) => {
                let mut matching = answers.iter().filter(|a| a.stored == stored).map(|a| a.value);
                match (matching.next(), matching.next()) {
                    (Some(value), None) => Some(value),
                    // Two listed values that store alike (the same value, or
                    // two closer than a millionth): the answer tells which.
                    (Some(_), Some(_)) => by_text(),
                    _ => None,
                }
            }
            Accepts::Range { .. } => by_text(),
        };
        let value = value.ok_or_else(|| RowProblem::NotStoredValue { criterion: self.code(index), stored, answer: answer.to_string() })?;
        self.keep(row, index, value);
        Ok((index, value))
    }

    /// The index of the criterion `code` names, if it is in the rubric and
    /// not answered yet.
    fn locate(&mut self, code: &str) -> Result<usize, RowProblem> {
        let rubric = self.rubric;
        let expected = rubric.criteria.get(self.next).filter(|c| crate::text::same(c.code.as_bytes(), crate::text::trim(code).as_bytes())).map(|_| self.next);
        let index = expected
            .or_else(|| rubric.criterion_index(code))
            .ok_or_else(|| RowProblem::UnknownCriterion { code: code.trim().to_string(), rubric: rubric.id.clone() })?;
        self.next = index + 1;
        if let Some(first_row) = self.first_row[index] {
            return Err(RowProblem::Duplicate { criterion: self.code(index), first_row });
        }
        Ok(index)
    }

    fn code(&self, index: usize) -> String {
        self.rubric.criteria[index].code.clone()
    }

    fn keep(&mut self, row: u64, index: usize, value: Exact) {
        self.first_row[index] = Some(row);
        self.values[index] = Some(value);
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
    use crate::rules::catalog::Catalog;

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

    #[test]
    fn stored_values_are_taken_as_ingest_checked_them() {
        // 88/2021 has one scale, AA–E (pipelines/answer-scales/aa-e.toml):
        // B is 70, stored as 70 × 10^6 millionths. The answer beside it is
        // not read on a listed scale, so even a wrong text gives B's value.
        let rubric = catalog().rubric("permenpanrb-88-2021").unwrap();
        let mut b = SheetBuilder::new(&rubric);
        assert_eq!(b.add_stored(2, "1.1.1", 70_000_000, "not read"), Ok((0, Exact::from_integer(70))));
        // 71 is no value of AA–E (AA=100, A=90, BB=80, B=70, CC=60, ...).
        let e = b.add_stored(3, "1.1.2", 71_000_000, "B").unwrap_err();
        assert_eq!(e.column(), "value");
        assert_eq!(e.reason(), "the stored value 71 of answer 'B' for criterion 1.1.2 is no value of its scale");
        let e = b.add_stored(4, "1.1.1", 70_000_000, "B").unwrap_err();
        assert_eq!(e.reason(), "criterion 1.1.1 is answered twice; the first answer, at row 2, is kept");
        // 12/2015 criterion 2.3.3 is on abcd-4, where B is 0.67: 670000.
        let rubric = catalog().rubric("permenpanrb-12-2015").unwrap();
        let mut b = SheetBuilder::new(&rubric);
        assert_eq!(b.add_stored(2, "2.3.3", 670_000, "B").unwrap().1, Exact::new(67, 100));
    }

    #[test]
    fn a_range_answer_keeps_its_exact_value_beyond_six_places() {
        // The 88/2021 rubric on the 0–100 range: an answer of 2/3 is stored
        // as 0.666667 (666667 millionths, half-up), yet scores as 2/3.
        let catalog = catalog();
        let text = std::fs::read_to_string(catalog.root().join("rubrics/permenpanrb-88-2021.toml")).unwrap();
        assert_eq!(text.matches("answer_scale = \"aa-e\"").count(), 1);
        let text = text.replace("answer_scale = \"aa-e\"", "answer_scale = \"angka-0-100\"");
        let rubric = Rubric::parse(std::path::Path::new("t.toml"), &text, &catalog).unwrap();
        let mut b = SheetBuilder::new(&rubric);
        assert_eq!(b.add_stored(2, "1.1.1", 666_667, "2/3"), Ok((0, Exact::new(2, 3))));
        // An answer that does not store as the value beside it.
        assert!(matches!(b.add_stored(3, "1.1.2", 666_667, "0.7"), Err(RowProblem::NotStoredValue { .. })));
    }
}
