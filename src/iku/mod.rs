//! IKU capaian: how far each unit reached the targets of its key performance
//! indicators, consolidated beside SAKIP.
//!
//! Each row is one indicator of one unit and year with its target and
//! realisation, read exactly from their decimal text (a float would turn
//! 7.1 ÷ 7 into a different number on another machine). Capaian follows the
//! indicator's direction — realisasi ÷ target when higher is better,
//! 2 − realisasi ÷ target when lower is, against the missed bound of a target
//! range — then the rule file's cap; a unit's capaian is the (weighted) mean
//! of its indicators, rounded once and graded by the rule file's bands. Every
//! run recomputes every year from the report inbox.


use std::collections::BTreeMap;

use num_traits::Zero;

use crate::exact::{parse_decimal, Exact, Points};
use crate::ikm::rows;
use crate::ikm::shared::{self, resolve_unit, Origin, Reject, UnitKey};
use crate::messages::ikm as m;
use crate::registry::Registry;
use crate::rules::limits::Limits;
pub use crate::rules::iku::{Direction, IkuPlan, IkuRule};

/// Warehouse table: one row per unit, year and indicator.
pub const CAPAIAN: &str = crate::tables::IKU_CAPAIAN;
/// Warehouse table: one row per unit and year.
pub const SCORES: &str = crate::tables::IKU_SCORES;
/// Warehouse table: refused indicator rows.
pub const REJECTS: &str = crate::tables::IKU_REJECTS;

/// One accepted indicator row.
#[derive(Debug, Clone)]
pub struct Achievement {
    /// Unit and year.
    pub key: UnitKey,
    /// Indicator code.
    pub code: String,
    /// Indicator name.
    pub name: String,
    /// Unit of measure.
    pub measure: String,
    /// Direction.
    pub direction: Direction,
    /// Target (the lower bound of a range) as written.
    pub target: String,
    /// Upper bound of a range, as written.
    pub target_upper: Option<String>,
    /// Realisation as written.
    pub realisation: String,
    /// Weight in the unit's mean.
    pub weight: Exact,
    /// Capaian in percent, exact, after the cap.
    pub capaian: Exact,
    /// Whether the cap cut it.
    pub capped: bool,
}

/// The consolidated reports.
#[derive(Debug, Default)]
pub struct Consolidated {
    /// Files read.
    pub files: usize,
    /// Data rows read.
    pub rows_read: usize,
    /// Refused rows and files, sorted.
    pub rejects: Vec<Reject>,
    /// Accepted rows, sorted by unit key and indicator.
    pub rows: Vec<Achievement>,
}

/// Capaian in percent before any cap, exactly. `low` is the target (the
/// range's lower bound), `high` the range's upper bound; neither is zero.
pub fn capaian(direction: Direction, low: Exact, high: Exact, realisation: Exact, range_inside: Exact) -> Exact {
    let hundred = Exact::from_integer(100);
    let two = Exact::from_integer(2);
    match direction {
        Direction::Higher => realisation / low * hundred,
        Direction::Lower => (two - realisation / low) * hundred,
        Direction::Range if realisation < low => realisation / low * hundred,
        Direction::Range if realisation > high => (two - realisation / high) * hundred,
        Direction::Range => range_inside,
    }
}

const UNIT: &[&str] = &["kode_satker", "unit_code", "kode_unit", "satker"];
const YEAR: &[&str] = &["tahun", "year"];
const CODE: &[&str] = &["kode_indikator", "indicator", "kode_iku", "indicator_code"];
const NAME: &[&str] = &["nama_indikator", "indikator", "indicator_name"];
const MEASURE: &[&str] = &["satuan", "unit_of_measure", "measure"];
const TARGET: &[&str] = &["target", "target_bawah"];
const UPPER: &[&str] = &["target_atas", "target_upper"];
const REAL: &[&str] = &["realisasi", "realisation", "realization"];
const DIRECTION: &[&str] = &["arah", "direction"];

/// Reads every report under the plan's inbox and computes each accepted
/// row's capaian. An indicator reported twice for one unit and year has all
/// its rows refused.
pub fn consolidate(plan: &IkuPlan, registry: &Registry, province: Option<&str>, limits: &Limits) -> Consolidated {
    let rule = &plan.rule;
    let mut out = Consolidated::default();
    let mut accepted: Vec<(Achievement, Origin)> = Vec::new();
    for path in rows::files_under(&plan.inbox) {
        out.files += 1;
        let file = shared::shown(&plan.inbox, &path);
        let table = match rows::read(&path, limits) {
            Ok(t) => t,
            Err(reason) => {
                out.rejects.push(Reject { file, sheet: None, row: 0, year: None, unit_code: None, column: None, value: None, reason });
                continue;
            }
        };
        out.rows_read += table.rows.len();
        let find = |names: &[&str]| rows::find_column(&table.header, names);
        let at = [find(UNIT), find(YEAR), find(CODE), find(NAME), find(MEASURE), find(TARGET), find(UPPER), find(REAL), find(DIRECTION)];
        let [unit_at, year_at, code_at, name_at, measure_at, target_at, upper_at, real_at, dir_at] = at;
        let mut missing = None;
        for (name, a) in [("kode_satker", unit_at), ("tahun", year_at), ("kode_indikator", code_at), ("target", target_at), ("realisasi", real_at)] {
            if a.is_none() {
                missing.get_or_insert(name);
            }
        }
        if missing.is_none() && rule.indicators.is_empty() && dir_at.is_none() {
            missing = Some("arah");
        }
        if let (Some(name), true) = (missing, table.rows.is_empty()) {
            out.rejects.push(Reject { file: file.clone(), sheet: table.sheet.clone(), row: 0, year: None, unit_code: None, column: Some(name.into()), value: None, reason: m::missing_column(name) });
        }
        for (row, cells) in &table.rows {
            let origin = Origin { file: file.clone(), sheet: table.sheet.clone(), row: *row as i64 };
            let get = |a: Option<usize>| rows::cell(cells, a);
            let (unit, year_text) = (get(unit_at), get(year_at));
            let year = year_text.parse().ok();
            let reject = |column: &str, value: &str, reason: String| origin.reject(year, unit, Some(column), Some(value), reason);
            if cells.iter().all(String::is_empty) {
                out.rejects.push(origin.reject(None, "", None, None, m::EMPTY_ROW.to_string()));
                continue;
            }
            if let Some(name) = missing {
                out.rejects.push(reject(name, "", m::missing_column(name)));
                continue;
            }
            match row_achievement(rule, registry, province, &get, [unit_at, year_at, code_at, name_at, measure_at, target_at, upper_at, real_at, dir_at]) {
                Ok(a) => accepted.push((a, origin.clone())),
                Err((column, value, reason)) => out.rejects.push(reject(column, &value, reason)),
            }
        }
    }
    let mut seen: BTreeMap<(UnitKey, String), usize> = BTreeMap::new();
    for (a, _) in &accepted {
        *seen.entry((a.key.clone(), rows::fold(&a.code))).or_default() += 1;
    }
    for (a, origin) in accepted {
        let n = seen[&(a.key.clone(), rows::fold(&a.code))];
        if n > 1 {
            out.rejects.push(origin.reject(Some(a.key.year), &a.key.unit_code, Some("kode_indikator"), Some(&a.code), m::duplicate_indicator(&a.code, n)));
        } else {
            out.rows.push(a);
        }
    }
    out.rows.sort_by(|a, b| (&a.key, &a.code).cmp(&(&b.key, &b.code)));
    out.rejects.sort();
    out
}

type RowError = (&'static str, String, String);

fn row_achievement<'c>(
    rule: &IkuRule,
    registry: &Registry,
    province: Option<&str>,
    get: &dyn Fn(Option<usize>) -> &'c str,
    at: [Option<usize>; 9],
) -> Result<Achievement, RowError> {
    let [unit_at, year_at, code_at, name_at, measure_at, target_at, upper_at, real_at, dir_at] = at;
    let key = resolve_unit(registry, province, get(unit_at), get(year_at)).map_err(|(c, r)| (c, get(if c == "tahun" { year_at } else { unit_at }).to_string(), r))?;
    let code = get(code_at);
    if code.is_empty() {
        return Err(("kode_indikator", String::new(), m::blank("kode indikator")));
    }
    let listed = rule.indicator(code);
    if !rule.indicators.is_empty() && listed.is_none() {
        return Err(("kode_indikator", code.to_string(), m::unknown_indicator(code)));
    }
    let written = get(dir_at);
    let direction = match (listed, written) {
        (Some(ind), "") => ind.direction,
        (listed, text) => {
            let d = Direction::parse(text).ok_or_else(|| ("arah", text.to_string(), if text.is_empty() { m::blank("arah") } else { m::bad_direction(text) }))?;
            if let Some(ind) = listed.filter(|i| i.direction != d) {
                return Err(("arah", text.to_string(), m::direction_differs(text, ind.direction.word())));
            }
            d
        }
    };
    let number = |column: &'static str, what: &str, text: &str| -> Result<Exact, RowError> {
        if text.is_empty() {
            return Err((column, String::new(), m::blank(what)));
        }
        parse_decimal(text).ok_or_else(|| (column, text.to_string(), m::not_a_number(what, text)))
    };
    let (target_text, upper_text) = (get(target_at), get(upper_at));
    let low = number("target", "target", target_text)?;
    if low.is_zero() {
        return Err(("target", target_text.to_string(), m::zero_target("target")));
    }
    let high = if direction == Direction::Range {
        if upper_text.is_empty() {
            return Err(("target_atas", String::new(), m::RANGE_NEEDS_UPPER.to_string()));
        }
        let high = number("target_atas", "target atas", upper_text)?;
        if high.is_zero() {
            return Err(("target_atas", upper_text.to_string(), m::zero_target("target atas")));
        }
        if low > high {
            return Err(("target_atas", upper_text.to_string(), m::range_reversed(target_text, upper_text)));
        }
        high
    } else {
        low
    };
    let real_text = get(real_at);
    let realisation = number("realisasi", "realisasi", real_text)?;
    let raw = capaian(direction, low, high, realisation, rule.range_inside);
    let (capaian, capped) = match rule.cap {
        Some(cap) if raw > cap => (cap, true),
        _ => (raw, false),
    };
    let name = match get(name_at) {
        "" => listed.map_or(String::new(), |i| i.name.clone()),
        n => n.to_string(),
    };
    Ok(Achievement {
        key,
        code: listed.map_or(code.to_string(), |i| i.code.clone()),
        name,
        measure: get(measure_at).to_string(),
        direction,
        target: target_text.to_string(),
        target_upper: (direction == Direction::Range).then(|| upper_text.to_string()),
        realisation: real_text.to_string(),
        weight: listed.map_or(Exact::from_integer(1), |i| i.weight),
        capaian,
        capped,
    })
}

/// A unit's capaian per unit and year: the weighted mean of its indicators'
/// capaian, exact, with the number of indicators.
pub fn unit_means(rows: &[Achievement]) -> Vec<(UnitKey, usize, Exact)> {
    let mut out: Vec<(UnitKey, usize, Exact, Exact)> = Vec::new();
    for a in rows {
        match out.last_mut() {
            Some(last) if last.0 == a.key => {
                last.1 += 1;
                last.2 += a.capaian * a.weight;
                last.3 += a.weight;
            }
            _ => out.push((a.key.clone(), 1, a.capaian * a.weight, a.weight)),
        }
    }
    out.into_iter().map(|(k, n, sum, w)| (k, n, sum / w)).collect()
}

/// The rounded unit capaian and its grade.
pub fn graded(rule: &IkuRule, mean: &Exact) -> (Points, String) {
    let p = Points::round_half_up(mean);
    (p, rule.grade(p).to_string())
}

#[cfg(feature = "analytics")]
mod write;
#[cfg(feature = "analytics")]
pub use write::write_tables;
