//! Safe exports: text that a spreadsheet would read as a formula is defused.
//!
//! A unit name, a reviewer's note or a rejected cell value comes from files
//! people send in. Written as-is into a CSV or a workbook, a value such as
//! `=HYPERLINK(…)` or `@SUM(…)` becomes a live formula on the planner's
//! machine the moment the cell is opened or edited. Every text cell of the
//! CSV and the workbook goes through [`neutralise`]; numbers never do, so a
//! negative score change stays a number.

use std::borrow::Cow;

/// The characters that make Excel, LibreOffice or Google Sheets treat a
/// cell's text as a formula (or, for tab and carriage return, that hide such
/// a start from a naive check).
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Prefixes text that would start a formula with a single quote, the
/// spreadsheet convention for "this is text"; other text is returned as is.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(TRIGGERS) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::neutralise;

    #[test]
    fn formula_starts_are_quoted_and_plain_text_is_kept() {
        assert_eq!(neutralise("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(neutralise("-5"), "'-5");
        assert_eq!(neutralise("+62 812"), "'+62 812");
        assert_eq!(neutralise("@cmd"), "'@cmd");
        assert_eq!(neutralise("\t=1+2"), "'\t=1+2");
        assert_eq!(neutralise("\r=1+2"), "'\r=1+2");
        assert_eq!(neutralise("Kupang"), "Kupang");
        assert_eq!(neutralise("KPU Kabupaten Kupang"), "KPU Kabupaten Kupang");
        assert_eq!(neutralise(""), "");
        // Only the start matters: a formula sign inside text is harmless.
        assert_eq!(neutralise("a=b"), "a=b");
    }
}
