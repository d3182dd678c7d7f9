//! What the IKM and IKU consolidations share: refused rows with their
//! reasons, finding a row's unit in the registry, competition ranks with last
//! year's standing, and writing the tables.

use std::collections::BTreeMap;
use std::path::Path;

use crate::exact::Points;
use crate::messages::ikm as m;
use crate::registry::Registry;

/// A refused row (or, with `row` 0, a refused file that had no rows to
/// refuse one by one), with its reason in Indonesian.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reject {
    /// The file, relative to the inbox.
    pub file: String,
    /// The sheet (XLSX only).
    pub sheet: Option<String>,
    /// The 1-based row or line; 0 for the file as a whole.
    pub row: i64,
    /// The year, when the row gave a readable one.
    pub year: Option<i32>,
    /// The unit code as the row wrote it.
    pub unit_code: Option<String>,
    /// The column at fault.
    pub column: Option<String>,
    /// The value at fault.
    pub value: Option<String>,
    /// Why.
    pub reason: String,
}

/// Where a row came from, for its reject.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The file, relative to the inbox.
    pub file: String,
    /// The sheet (XLSX only).
    pub sheet: Option<String>,
    /// The row.
    pub row: i64,
}

impl Origin {
    /// A reject of this row.
    pub fn reject(&self, year: Option<i32>, unit: &str, column: Option<&str>, value: Option<&str>, reason: String) -> Reject {
        Reject {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            row: self.row,
            year,
            unit_code: (!unit.is_empty()).then(|| unit.to_string()),
            column: column.map(String::from),
            value: value.filter(|v| !v.is_empty()).map(String::from),
            reason,
        }
    }
}

/// A unit as a row names it: today's code, name and the province of the
/// row's year.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitKey {
    /// The year.
    pub year: i32,
    /// Its province in that year.
    pub province_code: String,
    /// Today's code.
    pub unit_code: String,
    /// Its name.
    pub unit_name: String,
}

/// The unit and year a row names, or the reason it cannot be used.
pub fn resolve_unit(registry: &Registry, province: Option<&str>, code: &str, year: &str) -> Result<UnitKey, (&'static str, String)> {
    if code.is_empty() {
        return Err(("kode_satker", m::blank("kode satker")));
    }
    let year: i32 = match year.trim().parse() {
        Ok(y) if (1990..=2200).contains(&y) => y,
        _ if year.is_empty() => return Err(("tahun", m::blank("tahun"))),
        _ => return Err(("tahun", m::bad_year(year))),
    };
    let found = registry.find(code).ok_or_else(|| ("kode_satker", m::unknown_unit(code)))?;
    let unit = registry.in_year(found.unit, year).ok_or_else(|| ("kode_satker", m::unknown_unit(code)))?;
    if let Some(p) = province {
        if unit.province_code != p {
            return Err(("kode_satker", m::other_province(code, p)));
        }
    }
    Ok(UnitKey { year, province_code: unit.province_code, unit_code: unit.code, unit_name: unit.name })
}

/// A unit's place in its year: competition ranks (1, 2, 2, 4) in its
/// province and nationally among the units scored, and last year's standing.
#[derive(Debug, Clone, Default)]
pub struct Standing {
    /// Rank among the province's scored units.
    pub rank_province: Option<i32>,
    /// Rank among all scored units.
    pub rank_national: Option<i32>,
    /// Scored units in the province that year.
    pub units_in_province: Option<i32>,
    /// Last year's score.
    pub prev_score: Option<Points>,
    /// Last year's grade.
    pub prev_grade: Option<String>,
    /// Last year's rank in the province.
    pub prev_rank_province: Option<i32>,
    /// Score now minus last year's.
    pub score_change: Option<Points>,
    /// Ranks climbed since last year; none when the unit changed province,
    /// since ranks among other units do not compare.
    pub rank_change: Option<i32>,
}

/// Standings of `units` (each with its score and grade, `None` when not
/// scored), in the same order.
pub fn standings(units: &[(&UnitKey, Option<(Points, String)>)]) -> Vec<Standing> {
    let mut ranks: Vec<Standing> = vec![Standing::default(); units.len()];
    // Each year is ranked on its own: group the scored units by year once.
    let mut by_year: BTreeMap<i32, Vec<usize>> = BTreeMap::new();
    for (i, (key, score)) in units.iter().enumerate() {
        if score.is_some() {
            by_year.entry(key.year).or_default().push(i);
        }
    }
    for members in by_year.values() {
        let score = |i: usize| units[i].1.as_ref().map(|(p, _)| *p);
        for &i in members {
            let (key, p) = (units[i].0, score(i));
            let (mut national, mut province, mut in_province) = (1, 1, 0);
            for &j in members {
                let other = units[j].0;
                if score(j) > p {
                    national += 1;
                    if other.province_code == key.province_code {
                        province += 1;
                    }
                }
                if other.province_code == key.province_code {
                    in_province += 1;
                }
            }
            ranks[i].rank_national = Some(national);
            ranks[i].rank_province = Some(province);
            ranks[i].units_in_province = Some(in_province);
        }
    }
    let last: BTreeMap<(i32, &str), usize> = units.iter().enumerate().map(|(i, (k, _))| ((k.year, k.unit_code.as_str()), i)).collect();
    for (i, (key, score)) in units.iter().enumerate() {
        let Some(&j) = last.get(&(key.year - 1, key.unit_code.as_str())) else { continue };
        let Some((prev, grade)) = &units[j].1 else { continue };
        let prev_rank = ranks[j].rank_province;
        let s = &mut ranks[i];
        s.prev_score = Some(*prev);
        s.prev_grade = Some(grade.clone());
        s.prev_rank_province = prev_rank;
        if let Some((now, _)) = score {
            s.score_change = Some(Points::from_hundredths(now.hundredths() - prev.hundredths()));
            if units[j].0.province_code == key.province_code {
                s.rank_change = prev_rank.zip(s.rank_province).map(|(a, b)| a - b);
            }
        }
    }
    ranks
}

/// The file's name relative to the inbox, with `/` separators.
pub fn shown(inbox: &Path, path: &Path) -> String {
    path.strip_prefix(inbox).unwrap_or(path).components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect::<Vec<_>>().join("/")
}

#[cfg(feature = "analytics")]
pub use frames::*;

#[cfg(feature = "analytics")]
mod frames {
    use std::path::Path;

    use polars::prelude::*;

    use super::{Reject, Standing, UnitKey};
    use crate::error::Result;
    use crate::exact::Points;
    use crate::tables::{self, query_error};

    /// A DECIMAL(precision, scale) column from integers already scaled.
    pub fn decimal_column(name: &str, values: Vec<Option<i128>>, precision: usize, scale: usize) -> Result<Column> {
        let ca: Int128Chunked = values.into_iter().collect();
        Ok(ca.with_name(name.into()).into_decimal(precision, scale).map_err(query_error(name))?.into_series().into_column())
    }

    /// A DECIMAL(9,2) column of rounded values.
    pub fn points(name: &str, values: impl Iterator<Item = Option<Points>>) -> Result<Column> {
        decimal_column(name, values.map(|p| p.map(|p| i128::from(p.hundredths()))).collect(), 9, 2)
    }

    /// The key columns every unit table starts with.
    pub fn key_columns(keys: &[&UnitKey]) -> Vec<Column> {
        vec![
            Column::new("year".into(), keys.iter().map(|k| k.year).collect::<Vec<_>>()),
            Column::new("province_code".into(), keys.iter().map(|k| k.province_code.clone()).collect::<Vec<_>>()),
            Column::new("unit_code".into(), keys.iter().map(|k| k.unit_code.clone()).collect::<Vec<_>>()),
            Column::new("unit_name".into(), keys.iter().map(|k| k.unit_name.clone()).collect::<Vec<_>>()),
        ]
    }

    /// The standing columns, `prev_<score>`/`prev_<grade>` named after the
    /// table's own score and grade columns.
    pub fn standing_columns(s: &[Standing], score: &str, grade: &str) -> Result<Vec<Column>> {
        Ok(vec![
            Column::new("rank_province".into(), s.iter().map(|s| s.rank_province).collect::<Vec<_>>()),
            Column::new("rank_national".into(), s.iter().map(|s| s.rank_national).collect::<Vec<_>>()),
            Column::new("units_in_province".into(), s.iter().map(|s| s.units_in_province).collect::<Vec<_>>()),
            points(&format!("prev_{score}"), s.iter().map(|s| s.prev_score))?,
            Column::new(format!("prev_{grade}").into(), s.iter().map(|s| s.prev_grade.clone()).collect::<Vec<_>>()),
            Column::new("prev_rank_province".into(), s.iter().map(|s| s.prev_rank_province).collect::<Vec<_>>()),
            points(&format!("{score}_change"), s.iter().map(|s| s.score_change))?,
            Column::new("rank_change".into(), s.iter().map(|s| s.rank_change).collect::<Vec<_>>()),
        ])
    }

    /// Writes a frame's rows as one file per year under `<warehouse>/<table>/`,
    /// replacing the table.
    pub fn write_by_year(warehouse: &Path, table: &str, df: DataFrame) -> Result<()> {
        tables::clear(warehouse, table)?;
        let years = df.column("year").map_err(query_error(table))?.i32().map_err(query_error(table))?.clone();
        let mut distinct: Vec<i32> = years.iter().flatten().collect();
        distinct.sort_unstable();
        distinct.dedup();
        for year in distinct {
            let mask = df.column("year").map_err(query_error(table))?.i32().map_err(query_error(table))?.equal(year);
            let mut part = df.filter(&mask).map_err(query_error(table))?;
            tables::write(&mut part, &tables::year_file(warehouse, table, year))?;
        }
        Ok(())
    }

    /// Writes the rejects as one file (a refused row may have no year).
    pub fn write_rejects(warehouse: &Path, table: &str, rejects: &[Reject]) -> Result<()> {
        tables::clear(warehouse, table)?;
        let text = |name: &str, f: &dyn Fn(&Reject) -> Option<String>| Column::new(name.into(), rejects.iter().map(f).collect::<Vec<_>>());
        let mut df = DataFrame::new(
            rejects.len(),
            vec![
                Column::new("year".into(), rejects.iter().map(|r| r.year).collect::<Vec<_>>()),
                text("unit_code", &|r| r.unit_code.clone()),
                text("source_file", &|r| Some(r.file.clone())),
                text("source_sheet", &|r| r.sheet.clone()),
                Column::new("source_row".into(), rejects.iter().map(|r| r.row).collect::<Vec<_>>()),
                text("column", &|r| r.column.clone()),
                text("value", &|r| r.value.clone()),
                text("reason", &|r| Some(r.reason.clone())),
            ],
        )
        .map_err(query_error(table))?;
        tables::write(&mut df, &warehouse.join(table).join("part-0.parquet"))
    }
}
