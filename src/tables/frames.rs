//! Scanning and writing warehouse tables with polars.

use std::path::Path;

use polars::prelude::*;

use super::files;
use crate::error::{Error, Result};
use crate::exact::Points;

/// A query's result whose rows are grouped by a key (each key's rows
/// together, as after sorting by it), and where each key's rows are: one
/// query whose result is handed out a slice per key, instead of a query per
/// key (a polars query costs milliseconds of set-up however few its rows).
#[derive(Debug, Clone)]
pub struct Slices<K> {
    rows: DataFrame,
    /// Per key, the offset and length of its rows.
    at: std::collections::BTreeMap<K, (i64, usize)>,
}

impl<K: Ord> Slices<K> {
    /// `rows`, the key of row `i` being the `i`-th of `keys` (a row without
    /// one is in no slice). The rows of a key must be together. A key may
    /// be given borrowed (`&str` for `String`): it is made a `K` once per
    /// run of rows, not once per row.
    pub fn new<Q: PartialEq + Into<K>>(rows: DataFrame, keys: impl IntoIterator<Item = Option<Q>>) -> Slices<K> {
        let mut at = std::collections::BTreeMap::new();
        let mut finish = |run: Option<(Q, i64, usize)>| {
            if let Some((key, first, len)) = run {
                let earlier = at.insert(key.into(), (first, len));
                debug_assert!(earlier.is_none(), "the rows of a key must be together");
            }
        };
        // The run of rows being counted: its key, first row and length.
        let mut run: Option<(Q, i64, usize)> = None;
        for (i, key) in keys.into_iter().enumerate() {
            match (&mut run, key) {
                (Some((current, _, len)), Some(key)) if *current == key => *len += 1,
                (_, key) => finish(std::mem::replace(&mut run, key.map(|key| (key, i as i64, 1)))),
            }
        }
        finish(run);
        debug_assert!(at.values().map(|&(_, len)| len).sum::<usize>() <= rows.height());
        Slices { rows, at }
    }

    /// The rows of `key` (none, with the columns, when it has none).
    pub fn of<Q: Ord + ?Sized>(&self, key: &Q) -> DataFrame
    where
        K: std::borrow::Borrow<Q>,
    {
        match self.at.get(key) {
            Some(&(offset, len)) => self.rows.slice(offset, len),
            None => self.rows.clear(),
        }
    }
}

/// Maps a polars error to ours, with what was being done.
pub fn query_error(context: &str) -> impl Fn(PolarsError) -> Error + '_ {
    move |e| Error::Query(format!("{context}: {e}"))
}

/// A lazy scan of the Parquet files a path or glob names. The columns are
/// the files' own (`year` and `province_code` are stored in every file), not
/// the folder names, so hive partitioning is off.
fn scan_paths(path: &Path, what: &str) -> Result<LazyFrame> {
    let args = ScanArgsParquet { hive_options: HiveOptions { enabled: Some(false), ..HiveOptions::default() }, ..ScanArgsParquet::default() };
    LazyFrame::scan_parquet(PlRefPath::new(path.to_string_lossy().as_ref()), args).map_err(query_error(what))
}

/// A lazy scan of one Parquet file.
pub fn scan_file(path: &Path) -> Result<LazyFrame> {
    scan_paths(path, &path.display().to_string())
}

/// A lazy scan of a whole table. The columns are the files' own (`year` and
/// `province_code` are stored in every file), not the folder names.
pub fn scan(warehouse: &Path, table: &str) -> Result<LazyFrame> {
    let files = files(warehouse, table);
    if files.is_empty() {
        return Err(Error::NoTable { table: table.to_string(), warehouse: warehouse.to_path_buf() });
    }
    scan_paths(&crate::snapshot::resolve(warehouse).join(table).join("**").join("*.parquet"), table)
}

/// A lazy scan of one year of a table: only the files under its
/// `year=YYYY/` folder are opened, so a question about one year costs the
/// same on a twenty-year warehouse as on a one-year one. A year the table
/// does not hold gives no rows (with the table's columns).
pub fn scan_year(warehouse: &Path, table: &str, year: i32) -> Result<LazyFrame> {
    let resolved = crate::snapshot::resolve(warehouse);
    let root = resolved.join(table);
    let dir = resolved.join(super::partition(table, year));
    if !dir.is_dir() {
        if !root.is_dir() {
            return Err(Error::NoTable { table: table.to_string(), warehouse: warehouse.to_path_buf() });
        }
        // An empty frame of the table's schema: a year without rows.
        return Ok(scan(warehouse, table)?.filter(lit(false)));
    }
    scan_paths(&dir.join("**").join("*.parquet"), table)
}

/// Writes one frame as Parquet (ZSTD, statistics on), creating its folder.
pub fn write(df: &mut DataFrame, path: &Path) -> Result<()> {
    // Encoded in memory and written with one call: polars writes many small
    // pieces, each a system call on a File (BENCHMARKS.md, "Designs tried
    // and measured"). A partition is small, so memory is no issue.
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .with_compression(ParquetCompression::Zstd(None))
        .with_statistics(StatisticsOptions::full())
        .finish(df)
        .map_err(query_error(&path.display().to_string()))?;
    super::write_file(path, &bytes)
}

/// Decimal places of `criterion_scores`' figures: those of `answers.value`.
pub const DECIMAL_SCALE: usize = 6;

/// Reads a `DECIMAL(5,2)` cell back as [`Points`].
pub fn points_at(column: &Column, row: usize) -> Result<Option<Points>> {
    let value = column.get(row).map_err(query_error(column.name()))?;
    Ok(match value {
        AnyValue::Null => None,
        AnyValue::Decimal(v, _, scale) => Some(Points::from_hundredths(rescale(v, scale, 2) as i64)),
        other => return Err(Error::Query(format!("column {} holds {other:?}, not a score", column.name()))),
    })
}

fn rescale(v: i128, from: usize, to: usize) -> i128 {
    if from >= to {
        v / 10i128.pow((from - to) as u32)
    } else {
        v * 10i128.pow((to - from) as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_key_gets_its_own_rows_and_an_unknown_key_none_with_the_columns() {
        // Rows 0–1 are 52's, row 2 has no key, rows 3–5 are 53's.
        let rows = df!("n" => [0i64, 1, 2, 3, 4, 5]).unwrap();
        // Keys given borrowed, each made a `String` once per run of rows.
        let keys = [Some("52"), Some("52"), None, Some("53"), Some("53"), Some("53")];
        let slices: Slices<String> = Slices::new(rows, keys);
        let n = |df: DataFrame| -> Vec<i64> { df.column("n").unwrap().i64().unwrap().iter().map(Option::unwrap).collect() };
        assert_eq!(n(slices.of("52")), [0, 1]);
        assert_eq!(n(slices.of("53")), [3, 4, 5]);
        let none = slices.of("91");
        assert_eq!((none.height(), none.get_column_names().len()), (0, 1));
    }

    #[cfg(debug_assertions)]
    #[test]
    #[should_panic(expected = "the rows of a key must be together")]
    fn a_key_whose_rows_are_apart_is_a_bug_caught_in_debug_builds() {
        // 52's rows are 0 and 2: no one slice holds them.
        let rows = df!("n" => [0i64, 1, 2]).unwrap();
        let _: Slices<String> = Slices::new(rows, [Some("52"), Some("53"), Some("52")]);
    }
}
