//! The message catalogue: every text an Indonesian planner or unit reads —
//! the worksheet template, the provincial review, the unit results, the
//! reasons a row was refused — lives here, in Indonesian, one file per
//! reader. Code elsewhere names a message; it never spells one out. The
//! operator's CLI output stays English and is not part of the catalogue.
//!
//! Plain text is a `const`; a message with parts to fill in is a small
//! function, so a missing argument is a compile error, not a blank in a
//! unit's report.

/// Why every row of a worksheet was refused: the rubric scores no
/// worksheet with an unanswered criterion (`missing = "reject"`).
pub fn incomplete_worksheet(track: &str, codes: &str, rubric: &str) -> String {
    let codes = codes.replace(';', ", ");
    format!("lembar kerja penilaian {track} tidak lengkap: kriteria {codes} tidak dijawab, dan rubrik {rubric} tidak menilai lembar kerja yang tidak lengkap")
}
