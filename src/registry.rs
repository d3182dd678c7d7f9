//! The unit registry: which KPU units exist, keyed by Kemendagri region code.
//!
//! Built from the official province and regency/city lists (`provinces.csv`,
//! `regencies.csv`, as published with the wilayah dataset). Every province
//! has a KPU Provinsi keyed by its 2-digit code and every regency or city a
//! KPU Kabupaten/Kota keyed by its 4-digit code; KPU RI is `00`. Codes arrive
//! as `53`, `5301`, `53.01`, or from a spreadsheet as `5301.0`; they are
//! stored in one canonical form, digits only (`5301`), leading zeros kept.
//!
//! A unit's identity is today's code. Units whose code changed (the Papua
//! split of 2022) are also found by their former code, and belong in the
//! years before the change to the province they belonged to then
//! ([`history`], from `code-changes.csv`).

pub mod history;

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Problem, Result};

/// The code of KPU RI, the national commission.
pub const NATIONAL: &str = "00";

/// One KPU unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// Canonical code: `00`, `53`, `5301`.
    pub code: String,
    /// The province it belongs to (`53`); `00` for KPU RI.
    pub province_code: String,
    /// The unit's name as planners write it: `KPU Kabupaten Kupang`.
    pub name: String,
}

/// All KPU units, by canonical code.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    units: BTreeMap<String, Unit>,
    provinces: BTreeMap<String, String>,
    history: history::History,
}

/// A unit found by a code written in a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found<'r> {
    /// The unit, keyed by today's code.
    pub unit: &'r Unit,
    /// The change the written code belongs to, when the unit has one: the
    /// code written was its former code (`former`) or its new one.
    pub change: Option<&'r history::CodeChange>,
    /// Whether the code written was the former one.
    pub former: bool,
}

impl Found<'_> {
    /// Whether the code written is not the one the unit carried in `year`:
    /// a former code from the change's year on, or the new code before it.
    /// Such a file is still the unit's; the run summary notes it.
    pub fn out_of_time(&self, year: i32) -> bool {
        self.change.is_some_and(|c| self.former == (year >= c.from_year))
    }
}

/// Turns a written unit code into its canonical form, or `None` if it cannot
/// be a Kemendagri province or regency code. `53.01`, `5301`, `5301.0` and
/// ` 5301 ` all become `5301`; `53` stays `53`.
pub fn canonical_code(text: &str) -> Option<String> {
    code_parts(text).map(|(province, regency)| format!("{province}{regency}"))
}

/// Whether `text` is a way of writing the canonical code `code`
/// (`canonical_code(text) == Some(code)`), without building the canonical
/// form: ingest asks it of every row that repeats its unit's code.
pub fn writes_code(text: &str, code: &str) -> bool {
    code_parts(text).is_some_and(|(province, regency)| {
        let (code, split) = (code.as_bytes(), province.len());
        code.len() == split + regency.len() && crate::text::same(&code[..split], province.as_bytes()) && crate::text::same(&code[split..], regency.as_bytes())
    })
}

/// The canonical code of `text` as the two pieces it is written in (`53`
/// and `01` of `53.01`; `5301` and nothing of `5301`), or `None`; see
/// [`canonical_code`].
fn code_parts(text: &str) -> Option<(&str, &str)> {
    let t = text.trim();
    // A number that went through a spreadsheet: 5301.0, 5301,0.
    let t = t.strip_suffix(".0").or_else(|| t.strip_suffix(",0")).unwrap_or(t);
    let (province, regency) = match t.split_once('.') {
        Some((p, r)) if p.len() == 2 && r.len() == 2 => (p, r),
        Some(_) => return None,
        None => (t, ""),
    };
    let len = province.len() + regency.len();
    ((len == 2 || len == 4) && province.bytes().chain(regency.bytes()).all(|b| b.is_ascii_digit())).then_some((province, regency))
}

impl Registry {
    /// Reads `provinces.csv` (`code,name`) and `regencies.csv`
    /// (`code,province_code,name`) from `dir`.
    pub fn load(dir: &Path) -> Result<Registry> {
        let mut registry = Registry::default();
        registry.units.insert(
            NATIONAL.to_string(),
            Unit { code: NATIONAL.into(), province_code: NATIONAL.into(), name: "KPU RI".into() },
        );
        let mut problems = Vec::new();
        let provinces = dir.join("provinces.csv");
        for (line, rec) in read_csv(&provinces)? {
            match (rec.first().and_then(|c| canonical_code(c)), rec.get(1)) {
                (Some(code), Some(name)) if code.len() == 2 => {
                    registry.provinces.insert(code.clone(), name.clone());
                    let unit = Unit { code: code.clone(), province_code: code.clone(), name: format!("KPU Provinsi {name}") };
                    registry.units.insert(code, unit);
                }
                _ => problems.push(Problem::new(format!("{} line {line}", provinces.display()), "expected `code,name` with a 2-digit code")),
            }
        }
        let regencies = dir.join("regencies.csv");
        for (line, rec) in read_csv(&regencies)? {
            let code = rec.first().and_then(|c| canonical_code(c)).filter(|c| c.len() == 4);
            let province = rec.get(1).and_then(|c| canonical_code(c)).filter(|p| registry.provinces.contains_key(p));
            match (code, province, rec.get(2)) {
                (Some(code), Some(province_code), Some(name)) if code.starts_with(&province_code) => {
                    let unit = Unit { code: code.clone(), province_code, name: format!("KPU {name}") };
                    registry.units.insert(code, unit);
                }
                _ => problems.push(Problem::new(
                    format!("{} line {line}", regencies.display()),
                    "expected `code,province_code,name` with a 4-digit code inside a listed province",
                )),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { path: dir.to_path_buf(), problems });
        }
        let known: BTreeMap<String, String> = registry.units.values().map(|u| (u.code.clone(), u.province_code.clone())).collect();
        let provinces = registry.provinces.keys().cloned().collect();
        registry.history = history::History::load(dir, &known, &provinces)?;
        Ok(registry)
    }

    /// The unit a written code names: today's code, or a former code of a
    /// unit whose code changed.
    pub fn find(&self, code: &str) -> Option<Found<'_>> {
        let code = canonical_code(code)?;
        if let Some(unit) = self.units.get(&code) {
            return Some(Found { unit, change: self.history.by_new(&code), former: false });
        }
        let change = self.history.by_old(&code)?;
        Some(Found { unit: self.units.get(&change.new_code)?, change: Some(change), former: true })
    }

    /// The unit as it was in `year`: today's code and name, in the province
    /// it belonged to then. `None` for a unit that did not exist yet (the
    /// KPU Provinsi of a province formed by the changes, before them).
    pub fn in_year(&self, unit: &Unit, year: i32) -> Option<Unit> {
        if unit.code.len() == 2 && self.history.formed(&unit.code).is_some_and(|first| year < first) {
            return None;
        }
        match self.history.by_new(&unit.code) {
            Some(change) if year < change.from_year => Some(Unit { province_code: change.old_province.clone(), ..unit.clone() }),
            _ => Some(unit.clone()),
        }
    }

    /// The code change of a unit known today by `code`, if its code changed.
    pub fn former(&self, code: &str) -> Option<&history::CodeChange> {
        self.history.by_new(code)
    }

    /// The first year of a province formed by the code changes; `None` for
    /// one that existed before them.
    pub fn province_formed(&self, code: &str) -> Option<i32> {
        self.history.formed(code)
    }

    /// The province `code` (today's unit code) belonged to in `year`.
    pub fn province_in(&self, code: &str, year: i32) -> Option<String> {
        self.in_year(self.units.get(code)?, year).map(|u| u.province_code)
    }

    /// [`Registry::units_of`] as the year saw them: the units that existed
    /// in `year`, each in the province it belonged to then, in code order.
    /// This is the one list behind the "not submitted" lists and the units
    /// of a province in a year.
    pub fn units_in(&self, province: Option<&str>, year: i32) -> Vec<Unit> {
        self.units_of(None)
            .filter_map(|u| self.in_year(u, year))
            .filter(|u| province.is_none_or(|p| u.province_code == p))
            .collect()
    }

    /// The unit with this code, written in any accepted form.
    pub fn get(&self, code: &str) -> Option<&Unit> {
        self.units.get(&canonical_code(code)?)
    }

    /// The province's name (`Nusa Tenggara Timur`).
    pub fn province_name(&self, code: &str) -> Option<&str> {
        self.provinces.get(code).map(String::as_str)
    }

    /// The KPU units a province consolidates — the KPU Provinsi and every
    /// KPU Kabupaten/Kota — or, for `None`, those of every province, in code
    /// order. KPU RI belongs to no province and is never listed here (its
    /// submissions are still accepted by a national pipeline).
    pub fn units_of<'a>(&'a self, province: Option<&'a str>) -> impl Iterator<Item = &'a Unit> + 'a {
        self.units.values().filter(move |u| u.code != NATIONAL && province.is_none_or(|p| u.province_code == p))
    }
}

fn read_csv(path: &Path) -> Result<Vec<(u64, Vec<String>)>> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| Error::Io { path: path.to_path_buf(), source: e.into() })?;
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| Error::Syntax { path: path.to_path_buf(), message: e.to_string() })?;
        let line = rec.position().map_or(0, |p| p.line());
        rows.push((line, rec.iter().map(|s| s.trim().to_string()).collect()));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_in_every_written_form_become_one() {
        for (written, canonical) in [("53", "53"), ("5301", "5301"), ("53.01", "5301"), (" 5301 ", "5301"), ("5301.0", "5301"), ("00", "00"), ("7322", "7322")] {
            assert_eq!(canonical_code(written).as_deref(), Some(canonical), "{written}");
            // Compared without building the canonical form: the same
            // answer, and never another unit's (nor a longer or shorter
            // code sharing its ends).
            assert!(writes_code(written, canonical), "{written}");
            for other in ["5302", "5371", "53", "5", "530", "53001", "7301"].iter().filter(|o| **o != canonical) {
                assert!(!writes_code(written, other), "{written} is not {other}");
            }
        }
        for bad in ["", "5", "530", "53010", "53.1", "5.301", "53-01", "ab", "5301.5", "2024-01-05"] {
            assert_eq!(canonical_code(bad), None, "{bad}");
            assert!(!writes_code(bad, bad.trim()) && !writes_code(bad, "5301"), "{bad}");
        }
    }

    #[test]
    fn the_shipped_registry_has_every_kpu_unit() {
        let r = Registry::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/wilayah")).unwrap();
        // 38 KPU Provinsi + 514 KPU Kabupaten/Kota; KPU RI is in no province.
        assert_eq!(r.units_of(None).count(), 552);
        assert_eq!(r.get("00").unwrap().name, "KPU RI");
        assert_eq!(r.units_of(Some("53")).count(), 23);
        assert_eq!(r.get("53.71").unwrap().name, "KPU Kota Kupang");
        assert_eq!(r.get("53").unwrap().name, "KPU Provinsi Nusa Tenggara Timur");
        assert_eq!(r.get("7322").unwrap().name, "KPU Kabupaten Luwu Utara");
        assert!(r.get("5399").is_none());
    }

    #[test]
    fn the_shipped_registry_knows_the_codes_of_before_2023() {
        let r = Registry::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/wilayah")).unwrap();
        // A former code finds today's unit; today's registry has no 9101.
        assert!(r.get("9101").is_none());
        let found = r.find("91.01").unwrap();
        assert_eq!((found.unit.code.as_str(), found.former), ("9301", true));
        assert!(!found.out_of_time(2022) && found.out_of_time(2023));
        let found = r.find("9301").unwrap();
        assert_eq!((found.unit.code.as_str(), found.former), ("9301", false));
        assert!(found.out_of_time(2022) && !found.out_of_time(2023));
        assert!(!r.find("5301").unwrap().out_of_time(2000));
        // Merauke is Papua's until 2022, Papua Selatan's from 2023.
        assert_eq!(r.province_in("9301", 2022).as_deref(), Some("91"));
        assert_eq!(r.province_in("9301", 2023).as_deref(), Some("93"));
        assert_eq!(r.province_in("9671", 2022).as_deref(), Some("92"));
        // Papua then: its KPU Provinsi, 9 regencies it keeps, 20 that left.
        assert_eq!(r.units_in(Some("91"), 2022).len(), 30);
        assert_eq!(r.units_in(Some("91"), 2023).len(), 10);
        assert_eq!(r.units_in(Some("92"), 2022).len(), 14);
        // The new provinces have no units, not even a KPU Provinsi, before.
        for p in ["93", "94", "95", "96"] {
            assert!(r.units_in(Some(p), 2022).is_empty(), "{p}");
            assert_eq!(r.province_formed(p), Some(2023));
        }
        assert_eq!(r.province_formed("91"), None);
        assert_eq!(r.units_in(None, 2022).len(), 548);
        assert_eq!(r.units_in(None, 2023).len(), 552);
    }
}
