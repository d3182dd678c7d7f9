//! IKM, the public-satisfaction index of each unit (Survei Kepuasan
//! Masyarakat, PermenPANRB 14/2017), consolidated beside SAKIP.
//!
//! Each respondent row carries the unit, the year, a respondent id and one
//! answer per element; the rule file says which columns are which elements
//! (by name or code, never by position: real exports swap elements 8 and 9).
//! A unit's IKM is computed exactly — element sums over respondents, NRR as
//! their ratio, weighted with the rule's exact weights, times the multiplier —
//! and rounded once, half-up, to two decimals; the mutu band is read from the
//! rounded value. Every run recomputes every year from the survey inbox, so
//! the result never depends on what an earlier run saw.

#[cfg(feature = "analytics")]
pub mod gen;
pub mod rows;
pub mod shared;

use std::collections::BTreeMap;

use num_traits::Zero;

use crate::exact::{Exact, Points};
use crate::messages::ikm as m;
use crate::registry::Registry;
use crate::rules::limits::Limits;
pub use crate::rules::ikm::{IkmPlan, IkmRule};
use shared::{resolve_unit, Origin, Reject, UnitKey};

/// Warehouse table: one row per unit and year.
pub const SCORES: &str = crate::tables::IKM_SCORES;
/// Warehouse table: one row per unit, year and element.
pub const ELEMENTS: &str = crate::tables::IKM_ELEMENTS;
/// Warehouse table: refused survey rows.
pub const REJECTS: &str = crate::tables::IKM_REJECTS;
/// Warehouse table: respondents per unit, year and profile value.
pub const PROFILE: &str = crate::tables::IKM_PROFILE;

/// One unit's survey of one year.
#[derive(Debug, Clone)]
pub struct UnitSurvey {
    /// The unit and year.
    pub key: UnitKey,
    /// Respondents accepted.
    pub respondents: usize,
    /// Services surveyed (distinct `layanan` values; blank counts as one).
    pub services: usize,
    /// Sum of answers per element, in the rule's element order.
    pub sums: Vec<i128>,
    /// Respondents per profile attribute and value (blank values are not
    /// counted), for the report's respondent profile.
    pub profile: BTreeMap<(&'static str, String), usize>,
}

impl UnitSurvey {
    /// The exact IKM unit value (1–4): Σ weight × sum ÷ respondents.
    pub fn unit_value(&self, rule: &IkmRule) -> Exact {
        let n = Exact::from_integer(self.respondents as i128);
        rule.elements.iter().zip(&self.sums).fold(Exact::zero(), |acc, (e, s)| acc + e.weight * Exact::from_integer(*s) / n)
    }

    /// The exact IKM (25–100).
    pub fn ikm(&self, rule: &IkmRule) -> Exact {
        self.unit_value(rule) * rule.multiplier
    }
}

/// The consolidated surveys: units, and every refused row.
#[derive(Debug, Default)]
pub struct Consolidated {
    /// Files read.
    pub files: usize,
    /// Data rows read in them.
    pub rows_read: usize,
    /// Rows accepted.
    pub accepted: usize,
    /// Refused rows and files, sorted.
    pub rejects: Vec<Reject>,
    /// Per unit and year, sorted by key.
    pub units: Vec<UnitSurvey>,
}

const UNIT: &[&str] = &["kode_satker", "unit_code", "kode_unit", "satker"];
const YEAR: &[&str] = &["tahun", "year"];
const SERVICE: &[&str] = &["layanan", "service", "jenis_layanan"];
const RESPONDENT: &[&str] = &["id_responden", "respondent_id", "responden", "no_responden"];
/// The profile columns kept, each under its stored name.
const PROFILE_COLUMNS: [(&str, &[&str]); 4] = [
    ("jenis_kelamin", &["jenis_kelamin", "gender", "jk"]),
    ("usia", &["usia", "umur", "age", "age_band", "kelompok_usia"]),
    ("pendidikan", &["pendidikan", "education"]),
    ("pekerjaan", &["pekerjaan", "occupation"]),
];

struct Accepted {
    key: UnitKey,
    service: String,
    respondent: String,
    answers: Vec<i64>,
    profile: Vec<(&'static str, String)>,
    origin: Origin,
}

/// Reads every survey file under the plan's inbox and sums the accepted
/// answers per unit and year. Respondent ids are unique per unit, year and
/// service; rows sharing one are all refused, since which is right cannot be
/// told.
pub fn consolidate(plan: &IkmPlan, registry: &Registry, province: Option<&str>, limits: &Limits) -> Consolidated {
    let rule = &plan.rule;
    let mut out = Consolidated::default();
    let mut accepted: Vec<Accepted> = Vec::new();
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
        let (unit_at, year_at, service_at, respondent_at) = (find(UNIT), find(YEAR), find(SERVICE), find(RESPONDENT));
        let profile_at: Vec<(&'static str, Option<usize>)> = PROFILE_COLUMNS.iter().map(|(name, aliases)| (*name, find(aliases))).collect();
        // Which column holds which element; a file that lacks one, or names
        // one twice, has every row refused with that reason.
        let mut element_at: Vec<Option<usize>> = vec![None; rule.elements.len()];
        let mut file_problem: Option<(String, String)> = None;
        for (col, header) in table.header.iter().enumerate() {
            if let Some(e) = rule.element_for(header) {
                if element_at[e].is_some() {
                    file_problem.get_or_insert((header.clone(), m::column_twice(&rule.elements[e].name)));
                }
                element_at[e] = Some(col);
            }
        }
        for (name, at) in [("kode_satker", unit_at), ("tahun", year_at), ("id_responden", respondent_at)] {
            if at.is_none() {
                file_problem.get_or_insert((name.to_string(), m::missing_column(name)));
            }
        }
        if let Some(e) = element_at.iter().position(Option::is_none) {
            let el = &rule.elements[e];
            file_problem.get_or_insert((el.code.clone(), m::missing_column(&format!("unsur {} ({})", el.code, el.name))));
        }
        if table.rows.is_empty() && file_problem.is_some() {
            let (column, reason) = file_problem.clone().unwrap_or_default();
            out.rejects.push(Reject { file: file.clone(), sheet: table.sheet.clone(), row: 0, year: None, unit_code: None, column: Some(column), value: None, reason });
        }
        for (row, cells) in &table.rows {
            let origin = Origin { file: file.clone(), sheet: table.sheet.clone(), row: *row as i64 };
            let unit = rows::cell(cells, unit_at);
            let year_text = rows::cell(cells, year_at);
            let year = year_text.parse().ok();
            if cells.iter().all(String::is_empty) {
                out.rejects.push(origin.reject(None, "", None, None, m::EMPTY_ROW.to_string()));
                continue;
            }
            if let Some((column, reason)) = &file_problem {
                out.rejects.push(origin.reject(year, unit, Some(column), None, reason.clone()));
                continue;
            }
            let key = match resolve_unit(registry, province, unit, year_text) {
                Ok(k) => k,
                Err((column, reason)) => {
                    let value = if column == "tahun" { year_text } else { unit };
                    out.rejects.push(origin.reject(year, unit, Some(column), Some(value), reason));
                    continue;
                }
            };
            let respondent = rows::cell(cells, respondent_at);
            if respondent.is_empty() {
                out.rejects.push(origin.reject(Some(key.year), unit, Some("id_responden"), None, m::blank("id responden")));
                continue;
            }
            let mut answers = Vec::with_capacity(rule.elements.len());
            let mut problems: Vec<(String, String, String)> = Vec::new();
            for (e, at) in rule.elements.iter().zip(&element_at) {
                let text = rows::cell(cells, *at);
                let header = at.map_or(e.code.clone(), |i| table.header[i].clone());
                match answer(text, rule) {
                    Some(v) => answers.push(v),
                    None if text.is_empty() => problems.push((header, String::new(), m::blank(&format!("jawaban unsur {}", e.code)))),
                    None => problems.push((header, text.to_string(), m::answer_out_of_scale(&e.code, text, rule.answer_min, rule.answer_max))),
                }
            }
            if let Some((column, value, _)) = problems.first() {
                let reason = problems.iter().map(|p| p.2.as_str()).collect::<Vec<_>>().join("; ");
                out.rejects.push(origin.reject(Some(key.year), unit, Some(column), Some(value), reason));
                continue;
            }
            let service = rows::cell(cells, service_at).to_string();
            let profile = profile_at
                .iter()
                .map(|(name, at)| (*name, rows::cell(cells, *at)))
                .filter(|(_, v)| !v.is_empty())
                .map(|(n, v)| (n, v.to_string()))
                .collect();
            accepted.push(Accepted { key, service, respondent: respondent.to_string(), answers, profile, origin });
        }
    }
    // Duplicate respondent ids.
    let mut seen: BTreeMap<(&UnitKey, &str, &str), usize> = BTreeMap::new();
    for a in &accepted {
        *seen.entry((&a.key, a.service.as_str(), a.respondent.as_str())).or_default() += 1;
    }
    let times: Vec<usize> = accepted.iter().map(|a| seen[&(&a.key, a.service.as_str(), a.respondent.as_str())]).collect();
    type Tally = (usize, std::collections::BTreeSet<String>, Vec<i128>, BTreeMap<(&'static str, String), usize>);
    let mut units: BTreeMap<UnitKey, Tally> = BTreeMap::new();
    for (a, n) in accepted.into_iter().zip(times) {
        if n > 1 {
            let reason = m::duplicate_respondent(&a.respondent, n);
            out.rejects.push(a.origin.reject(Some(a.key.year), &a.key.unit_code, Some("id_responden"), Some(&a.respondent), reason));
            continue;
        }
        out.accepted += 1;
        let entry = units.entry(a.key).or_insert_with(|| (0, Default::default(), vec![0; rule.elements.len()], BTreeMap::new()));
        entry.0 += 1;
        entry.1.insert(a.service);
        for p in a.profile {
            *entry.3.entry(p).or_default() += 1;
        }
        for (s, v) in entry.2.iter_mut().zip(&a.answers) {
            *s += i128::from(*v);
        }
    }
    out.units = units.into_iter().map(|(key, (respondents, services, sums, profile))| UnitSurvey { key, respondents, services: services.len(), sums, profile }).collect();
    out.rejects.sort();
    out
}

/// An answer on the rule's scale: a whole number written plainly (`3`, or
/// `3.0` as a spreadsheet may store it).
fn answer(text: &str, rule: &IkmRule) -> Option<i64> {
    let v = crate::exact::parse_decimal(text)?;
    if !v.is_integer() {
        return None;
    }
    let v = i64::try_from(v.to_integer()).ok()?;
    (rule.answer_min..=rule.answer_max).contains(&v).then_some(v)
}

/// A unit's result: its rounded IKM and band, or `None` when it has fewer
/// respondents than the minimum.
pub fn result(survey: &UnitSurvey, plan: &IkmPlan) -> Option<(Points, String, String)> {
    if survey.respondents < plan.min_respondents || survey.respondents == 0 {
        return None;
    }
    let ikm = Points::round_half_up(&survey.ikm(&plan.rule));
    let band = plan.rule.band(ikm);
    Some((ikm, band.map_or(String::new(), |b| b.mutu.clone()), band.map_or(String::new(), |b| b.kinerja.clone())))
}

#[cfg(feature = "analytics")]
mod write;
#[cfg(feature = "analytics")]
pub use write::write_tables;
