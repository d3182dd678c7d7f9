//! How a reader shows a cell's text in a reject: numbers as a person typed
//! them, long values clipped, over-long cells refused by
//! `limits.max_cell_bytes`.

use crate::rules::limits::Limits;
use super::BadRow;

/// How much of an offending value a reject shows: enough to recognise it,
/// never megabytes of it.
pub(super) const CLIP_CHARS: usize = 80;

/// `text` cut to [`CLIP_CHARS`] characters, with "…" when something was cut.
pub(super) fn clip(text: &str) -> String {
    match text.char_indices().nth(CLIP_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// The bad row for a cell longer than `limits.max_cell_bytes`: the value is
/// clipped, as the whole of it is what the limit keeps out of the warehouse.
pub(super) fn long_cell(sheet: Option<&str>, row: u64, column: &str, text: &str, limits: &Limits) -> BadRow {
    BadRow {
        sheet: sheet.map(str::to_string),
        row,
        column: clip(column),
        value: clip(text),
        reason: format!(
            "the '{}' cell is {} bytes long, over the pipeline's limit of {} bytes (limits.max_cell_bytes)",
            clip(column),
            text.len(),
            limits.max_cell_bytes
        ),
    }
}

/// A number as the shortest decimal that reads back the same, without a
/// trailing ".0": codes and years typed into Excel arrive as floats
/// (5301.0) but must compare equal to the text "5301".
pub(super) fn number_text(value: f64) -> String {
    if value == 0.0 {
        // Avoids "-0", which no person wrote.
        "0".to_string()
    } else {
        format!("{value}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_stays_short() {
        assert_eq!(clip("pendek"), "pendek");
        let long = "é".repeat(100);
        assert_eq!(clip(&long), format!("{}…", "é".repeat(80)));
    }

    #[test]
    fn numbers_print_without_trailing_zero() {
        assert_eq!(number_text(5301.0), "5301");
        assert_eq!(number_text(87.5), "87.5");
        assert_eq!(number_text(-0.0), "0");
    }
}
