//! The pipeline's `[limits]` table: how far one submission may make the
//! readers go. It is part of the pipeline file, so it lives with the rules;
//! the readers in `ingest::read` enforce it.

/// Bounds on what one submission may make the readers do, so that a broken
/// or hostile file cannot exhaust memory. Set in the pipeline file's
/// `[limits]` table; every field is optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest file read at all, in bytes; a bigger one is refused unread.
    pub max_file_bytes: u64,
    /// Most answer rows one file may hold.
    pub max_rows: u64,
    /// Longest cell, in bytes.
    pub max_cell_bytes: u64,
    /// Most bytes an XLSX, ODS or XLSB may unpack to (its sheets and
    /// shared strings).
    pub max_unzipped_bytes: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_file_bytes: 64 << 20, max_rows: 200_000, max_cell_bytes: 64 << 10, max_unzipped_bytes: 256 << 20 }
    }
}
