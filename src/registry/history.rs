//! The registry's memory: region codes that changed, and since which
//! evaluation year.
//!
//! When Papua and Papua Barat were split in 2022, 26 regencies took new
//! Kemendagri codes and new provinces, but their KPU offices kept working and
//! kept sending worksheets: under the old code up to the change, under the
//! new one after it. The registry keys every unit by today's code; this
//! module knows the former codes, so that one office is one unit across the
//! change, and the province each unit belonged to in a given year. The facts
//! are data (`code-changes.csv` beside `regencies.csv`), checked here as
//! strictly as the other rule files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::error::{Error, Problem, Result};

use super::canonical_code;

/// The file, beside `regencies.csv`, that lists the changed codes. A
/// registry folder without it has no history.
pub const FILE: &str = "code-changes.csv";

/// One regency or city whose code changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeChange {
    /// The code it carried before (`9101`), unknown in today's list.
    pub old_code: String,
    /// Today's code (`9301`).
    pub new_code: String,
    /// The province it belonged to before (`91`).
    pub old_province: String,
    /// The first evaluation year whose worksheets carry the new code and in
    /// which the unit belongs to its new province.
    pub from_year: i32,
}

/// Every code change of a registry.
#[derive(Debug, Clone, Default)]
pub struct History {
    by_old: BTreeMap<String, CodeChange>,
    by_new: BTreeMap<String, CodeChange>,
    /// Provinces that came into being through the changes — every regency
    /// they have today came from another province — with the first year
    /// they have units (the earliest `from_year` of their regencies).
    formed: BTreeMap<String, i32>,
}

impl History {
    /// The change that retired `old_code`, if any.
    pub fn by_old(&self, old_code: &str) -> Option<&CodeChange> {
        self.by_old.get(old_code)
    }

    /// The change that gave a unit its code `new_code`, if any.
    pub fn by_new(&self, new_code: &str) -> Option<&CodeChange> {
        self.by_new.get(new_code)
    }

    /// The first year a province formed by the changes has units; `None`
    /// for a province that existed before them.
    pub fn formed(&self, province: &str) -> Option<i32> {
        self.formed.get(province).copied()
    }

    /// Reads and checks `dir/code-changes.csv` against today's units
    /// (`known`: code → province) and provinces. A missing file is an empty
    /// history.
    pub fn load(dir: &Path, known: &BTreeMap<String, String>, provinces: &BTreeSet<String>) -> Result<History> {
        let path = dir.join(FILE);
        if !path.exists() {
            return Ok(History::default());
        }
        let mut reader = csv::Reader::from_path(&path).map_err(|e| Error::Io { path: path.clone(), source: e.into() })?;
        let headers = reader.headers().map_err(|e| Error::Syntax { path: path.clone(), message: e.to_string() })?.clone();
        let column = |name: &str| headers.iter().position(|h| h.trim() == name);
        let mut problems = Vec::new();
        let (Some(old_at), Some(new_at), Some(year_at)) = (column("old_code"), column("new_code"), column("from_year")) else {
            return Err(Error::Invalid {
                path,
                problems: vec![Problem::new("line 1", "the header must name the columns old_code, new_code and from_year")],
            });
        };
        // Optional columns, checked when present: they restate facts the
        // codes already carry, and a disagreement means a wrong row.
        let (old_province_at, new_province_at) = (column("old_province"), column("new_province"));
        let mut history = History::default();
        for rec in reader.records() {
            let rec = rec.map_err(|e| Error::Syntax { path: path.clone(), message: e.to_string() })?;
            let line = rec.position().map_or(0, |p| p.line());
            let at = |i: usize| rec.get(i).unwrap_or("").trim();
            let mut problem = |message: String| problems.push(Problem::new(format!("line {line}"), message));
            let old = canonical_code(at(old_at)).filter(|c| c.len() == 4);
            let new = canonical_code(at(new_at)).filter(|c| c.len() == 4);
            let (Some(old), Some(new)) = (old, new) else {
                problem(format!("old_code '{}' and new_code '{}' must both be regency codes (53.01)", at(old_at), at(new_at)));
                continue;
            };
            let Ok(from_year) = at(year_at).parse::<i32>() else {
                problem(format!("from_year '{}' is not a year", at(year_at)));
                continue;
            };
            let old_province = old[..2].to_string();
            let mut ok = true;
            if let Some(province) = known.get(&old) {
                problem(format!("old_code {old} is a unit of today's list (province {province}): a former code must be unknown today"));
                ok = false;
            }
            let Some(new_province) = known.get(&new).cloned() else {
                problem(format!("new_code {new} is not in today's regencies.csv"));
                continue;
            };
            if !provinces.contains(&old_province) {
                problem(format!("old_code {old} lies in province {old_province}, which is not in provinces.csv"));
                ok = false;
            }
            if let Some(i) = old_province_at.filter(|&i| at(i) != old_province) {
                problem(format!("old_province '{}' is not the province of old_code {old} ({old_province})", at(i)));
                ok = false;
            }
            if let Some(i) = new_province_at.filter(|&i| at(i) != new_province) {
                problem(format!("new_province '{}' is not the province of {new} in regencies.csv ({new_province})", at(i)));
                ok = false;
            }
            if history.by_old.contains_key(&old) {
                problem(format!("old_code {old} is listed twice"));
                ok = false;
            }
            if history.by_new.contains_key(&new) {
                problem(format!("new_code {new} is listed twice: a unit has one former code"));
                ok = false;
            }
            if ok {
                let change = CodeChange { old_code: old.clone(), new_code: new.clone(), old_province, from_year };
                history.by_old.insert(old, change.clone());
                history.by_new.insert(new, change);
            }
        }
        // An old code is unknown today and a new code known, so no code is
        // both: a chain (a → b → c) or a loop (a → b → a) cannot pass the
        // checks above, and one lookup always reaches today's code.
        if !problems.is_empty() {
            return Err(Error::Invalid { path, problems });
        }
        let mut regencies_of: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (code, province) in known.iter().filter(|(c, _)| c.len() == 4) {
            regencies_of.entry(province).or_default().push(code);
        }
        for (province, codes) in regencies_of {
            let years: Option<Vec<i32>> = codes.iter().map(|c| history.by_new.get(*c).map(|ch| ch.from_year)).collect();
            if let Some(first) = years.and_then(|y| y.into_iter().min()) {
                history.formed.insert(province.to_string(), first);
            }
        }
        Ok(history)
    }
}
