//! The row limit: every reader counts the rows it keeps against
//! `limits.max_rows` as it goes.

use crate::rules::limits::Limits;
use super::FileProblem;

/// Counts the rows a reader keeps against `limits.max_rows`, so that a file
/// of millions of rows is refused after the first few hundred thousand
/// instead of being read whole.
pub(super) struct RowBudget {
    max: u64,
    seen: u64,
}

impl RowBudget {
    pub(super) fn new(limits: &Limits) -> RowBudget {
        RowBudget { max: limits.max_rows, seen: 0 }
    }

    /// Counts one more row (answer or bad); the problem once over the limit.
    pub(super) fn count(&mut self) -> Result<(), FileProblem> {
        self.seen += 1;
        if self.seen > self.max {
            Err(FileProblem::TooLarge(format!(
                "the file has more than {} answer rows, over the pipeline's limit (limits.max_rows); it was not read further",
                self.max
            )))
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_row_budget_allows_exactly_max_rows() {
        let mut budget = RowBudget::new(&Limits { max_rows: 2, ..Limits::default() });
        assert_eq!(budget.count(), Ok(()));
        assert_eq!(budget.count(), Ok(()));
        let Err(FileProblem::TooLarge(msg)) = budget.count() else { panic!("third row allowed") };
        assert_eq!(msg, "the file has more than 2 answer rows, over the pipeline's limit (limits.max_rows); it was not read further");
    }
}
