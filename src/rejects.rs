//! A refused row or file, as the `rejects` table stores it, and the rule
//! that refused it.
//!
//! Ingest makes every reject; the review reads them back and explains each
//! in Indonesian (`messages::rejects`); planners count them in SQL by rule.
//! So the shape is kept here, beside no stage: a reject is made by
//! [`RejectRecord::file`] or [`RejectRecord::row`] and narrowed with the
//! methods after them, and its rule is a [`Rule`], never free text — the
//! codes the README documents are written once, in [`Rule::code`].

use crate::worksheet::RowProblem;

/// Whether a reject is about one row or about its whole file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// The whole file was refused for this reason.
    File,
    /// This row was refused; the rest of its file was used.
    Row,
}

impl Scope {
    /// The name stored in the rejects table.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::File => "file",
            Scope::Row => "row",
        }
    }
}

/// One refused row or file headed for `rejects/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RejectRecord {
    /// Evaluation year, when known from the folder.
    pub year: Option<i32>,
    /// Canonical unit code, when known.
    pub unit_code: Option<String>,
    /// File, relative to the inbox.
    pub source_file: String,
    /// Sheet (XLSX only).
    pub source_sheet: Option<String>,
    /// Row; `None` when the file had no readable rows.
    pub source_row: Option<u64>,
    /// The column at fault, or empty.
    pub column: String,
    /// The offending text.
    pub value: String,
    /// Why, for a person.
    pub reason: String,
    /// The unit code the row or its file gave, canonical, when it gave one
    /// that is a Kemendagri code (`9101` for a unit now `9301`).
    pub submitted_code: Option<String>,
    /// The rule that refused it; its code is stored, for counting and SQL.
    pub rule: Rule,
    /// Row or whole file.
    pub scope: Scope,
}

impl RejectRecord {
    /// A refusal of the whole of `source_file` for `rule`: no row, column,
    /// value, year or unit until the methods below add them.
    pub fn file(rule: Rule, source_file: &str, reason: impl Into<String>) -> RejectRecord {
        RejectRecord {
            year: None,
            unit_code: None,
            source_file: source_file.to_string(),
            source_sheet: None,
            source_row: None,
            column: String::new(),
            value: String::new(),
            reason: reason.into(),
            submitted_code: None,
            rule,
            scope: Scope::File,
        }
    }

    /// A refusal of one row of `source_file`; the rest of the file is used.
    pub fn row(rule: Rule, source_file: &str, sheet: Option<String>, row: u64, reason: impl Into<String>) -> RejectRecord {
        RejectRecord { scope: Scope::Row, ..RejectRecord::file(rule, source_file, reason).at(sheet, row) }
    }

    /// The row of the file this reject is for (a whole-file refusal lists
    /// each row it refuses).
    pub fn at(self, sheet: Option<String>, row: u64) -> RejectRecord {
        RejectRecord { source_sheet: sheet, source_row: Some(row), ..self }
    }

    /// The evaluation year, when the file's folder gives one.
    pub fn in_year(self, year: Option<i32>) -> RejectRecord {
        RejectRecord { year, ..self }
    }

    /// The unit, when it is known: canonical code, and the code the row or
    /// file gave.
    pub fn of_unit(self, unit_code: Option<String>, submitted_code: Option<String>) -> RejectRecord {
        RejectRecord { unit_code, submitted_code, ..self }
    }

    /// The column at fault and the text found there.
    pub fn cell(self, column: &str, value: &str) -> RejectRecord {
        RejectRecord { column: column.to_string(), value: value.to_string(), ..self }
    }
}

/// Why a row or a file was refused. Each rule has one short, stable code
/// (README, the `rejects` table): the code is what is stored and counted,
/// so a variant's code never changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// An answer not on its criterion's scale.
    OffScale,
    /// A criterion code not in the year's rubric.
    UnknownCriterion,
    /// A criterion answered twice on one track.
    DuplicateCriterion,
    /// A track cell that names no track.
    UnknownTrack,
    /// A unit code that is not the file's unit.
    UnitMismatch,
    /// No unit code, or one that is no KPU unit.
    UnknownUnit,
    /// A unit whose province did not exist yet in that year.
    UnitNotFormed,
    /// A unit outside the pipeline's province.
    OtherProvince,
    /// A year that is not the folder's.
    YearMismatch,
    /// A year the pipeline assigns no rubric.
    NoRubric,
    /// A unit's second file for a year, under the duplicates policy.
    DuplicateSubmission,
    /// A file with no answer rows.
    Empty,
    /// A worksheet with an unanswered criterion, under `missing = "reject"`.
    Incomplete,
    /// A worksheet sent back without one answer.
    Blank,
    /// A required column is missing.
    MissingColumn,
    /// A column that is in the header twice.
    DuplicateColumn,
    /// A file over the pipeline's size limits.
    TooLarge,
    /// A file that cannot be read as its format.
    Unreadable,
    /// One row that cannot be read.
    UnreadableRow,
    /// A file of a type not read.
    UnsupportedFormat,
    /// A file outside `<inbox>/<year>/`.
    NotInYearFolder,
    /// A symbolic link.
    Symlink,
}

impl Rule {
    /// Every rule, in the README's order.
    pub const ALL: [Rule; 22] = [
        Rule::OffScale,
        Rule::UnknownCriterion,
        Rule::DuplicateCriterion,
        Rule::UnknownTrack,
        Rule::UnitMismatch,
        Rule::UnknownUnit,
        Rule::UnitNotFormed,
        Rule::OtherProvince,
        Rule::YearMismatch,
        Rule::NoRubric,
        Rule::Incomplete,
        Rule::DuplicateSubmission,
        Rule::Empty,
        Rule::Blank,
        Rule::MissingColumn,
        Rule::DuplicateColumn,
        Rule::TooLarge,
        Rule::Unreadable,
        Rule::UnreadableRow,
        Rule::UnsupportedFormat,
        Rule::NotInYearFolder,
        Rule::Symlink,
    ];

    /// The code stored in the `rule` column.
    pub fn code(self) -> &'static str {
        match self {
            Rule::OffScale => "off-scale",
            Rule::UnknownCriterion => "unknown-criterion",
            Rule::DuplicateCriterion => "duplicate-criterion",
            Rule::UnknownTrack => "unknown-track",
            Rule::UnitMismatch => "unit-mismatch",
            Rule::UnknownUnit => "unknown-unit",
            Rule::UnitNotFormed => "unit-not-formed",
            Rule::OtherProvince => "other-province",
            Rule::YearMismatch => "year-mismatch",
            Rule::NoRubric => "no-rubric",
            Rule::DuplicateSubmission => "duplicate-submission",
            Rule::Empty => "empty",
            Rule::Incomplete => "incomplete",
            Rule::Blank => "blank",
            Rule::MissingColumn => "missing-column",
            Rule::DuplicateColumn => "duplicate-column",
            Rule::TooLarge => "too-large",
            Rule::Unreadable => "unreadable",
            Rule::UnreadableRow => "unreadable-row",
            Rule::UnsupportedFormat => "unsupported-format",
            Rule::NotInYearFolder => "not-in-year-folder",
            Rule::Symlink => "symlink",
        }
    }

    /// The rule of a stored code; `None` for a code this build does not
    /// know (a table written by a later version).
    pub fn from_code(code: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The rule that refuses a row the worksheet cannot use.
    pub fn of_row(problem: &RowProblem) -> Rule {
        match problem {
            RowProblem::UnknownCriterion { .. } => Rule::UnknownCriterion,
            // A stored value off its scale is found only when reading the
            // warehouse back, where nothing is refused; it is off-scale.
            RowProblem::OffScale { .. } | RowProblem::NotStoredValue { .. } => Rule::OffScale,
            RowProblem::Duplicate { .. } => Rule::DuplicateCriterion,
        }
    }
}

impl std::fmt::Display for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::Rule;

    #[test]
    fn every_code_is_the_readme_s_and_reads_back() {
        // The list is copied by hand from the README's `rejects.rule` row,
        // not generated from the enum, so a renamed code fails here.
        let readme = [
            "off-scale", "unknown-criterion", "duplicate-criterion", "unknown-track", "unit-mismatch", "unknown-unit", "unit-not-formed",
            "other-province", "year-mismatch", "no-rubric", "incomplete", "duplicate-submission", "empty", "blank", "missing-column", "duplicate-column",
            "too-large", "unreadable", "unreadable-row", "unsupported-format", "not-in-year-folder", "symlink",
        ];
        assert_eq!(Rule::ALL.map(|r| r.to_string()), readme.map(String::from));
        for code in readme {
            assert_eq!(Rule::from_code(code).map(Rule::code), Some(code));
        }
        assert_eq!(Rule::from_code("new-rule"), None);
    }
}
