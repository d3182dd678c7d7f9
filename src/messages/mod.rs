//! The message catalogue: every text an Indonesian planner or unit reads —
//! the worksheet template, the provincial review, the unit results, the
//! reasons a row was refused — lives here, in Indonesian, one file per
//! reader. Code elsewhere names a message; it never spells one out. The
//! operator's CLI output stays English and is not part of the catalogue.
//!
//! Plain text is a `const`; a message with parts to fill in is a small
//! function, so a missing argument is a compile error, not a blank in a
//! unit's report.

pub mod rejects;
pub mod review;
pub mod template;
pub mod ikm;
