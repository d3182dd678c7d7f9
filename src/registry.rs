//! The unit registry: which KPU units exist, keyed by Kemendagri region code.
//!
//! Built from the official province and regency/city lists (`provinces.csv`,
//! `regencies.csv`, as published with the wilayah dataset). Every province
//! has a KPU Provinsi keyed by its 2-digit code and every regency or city a
//! KPU Kabupaten/Kota keyed by its 4-digit code; KPU RI is `00`. Codes arrive
//! as `53`, `5301`, `53.01`, or from a spreadsheet as `5301.0`; they are
//! stored in one canonical form, digits only (`5301`), leading zeros kept.

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
}

/// Turns a written unit code into its canonical form, or `None` if it cannot
/// be a Kemendagri province or regency code. `53.01`, `5301`, `5301.0` and
/// ` 5301 ` all become `5301`; `53` stays `53`.
pub fn canonical_code(text: &str) -> Option<String> {
    let t = text.trim();
    // A number that went through a spreadsheet: 5301.0, 5301,0.
    let t = t.strip_suffix(".0").or_else(|| t.strip_suffix(",0")).unwrap_or(t);
    let digits: String = match t.split_once('.') {
        Some((p, r)) if p.len() == 2 && r.len() == 2 => format!("{p}{r}"),
        Some(_) => return None,
        None => t.to_string(),
    };
    if (digits.len() == 2 || digits.len() == 4) && digits.bytes().all(|b| b.is_ascii_digit()) {
        Some(digits)
    } else {
        None
    }
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
        if problems.is_empty() {
            Ok(registry)
        } else {
            Err(Error::Invalid { path: dir.to_path_buf(), problems })
        }
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
        }
        for bad in ["", "5", "530", "53010", "53.1", "5.301", "53-01", "ab", "5301.5", "2024-01-05"] {
            assert_eq!(canonical_code(bad), None, "{bad}");
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
}
