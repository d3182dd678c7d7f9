//! Writing the IKM tables: `ikm_scores`, `ikm_elements` and `ikm_rejects`.
//!
//! Displayed intermediate figures (NRR, unit value) are each rounded from
//! the exact value, never from one another, so the IKM is still rounded once.

use std::path::Path;

use polars::prelude::*;

use super::shared::{self, decimal_column, key_columns, standing_columns, write_by_year, write_rejects};
use super::{Consolidated, IkmPlan, ELEMENTS, PROFILE, REJECTS, SCORES};
use crate::error::Result;
use crate::exact::Exact;
use crate::messages::ikm as m;
use crate::tables::query_error;

/// `value` half-up at `places` decimals, as the scaled integer.
fn scaled(value: &Exact, places: u32) -> i128 {
    let v = value * Exact::from_integer(10i128.pow(places));
    (v + Exact::new(1, 2)).floor().to_integer()
}

/// Writes the three IKM tables into `warehouse` (replacing them).
pub fn write_tables(warehouse: &Path, plan: &IkmPlan, c: &Consolidated) -> Result<()> {
    let rule = &plan.rule;
    let results: Vec<_> = c.units.iter().map(|u| super::result(u, plan)).collect();
    let keys: Vec<&shared::UnitKey> = c.units.iter().map(|u| &u.key).collect();
    let graded: Vec<_> = keys.iter().zip(&results).map(|(k, r)| (*k, r.as_ref().map(|(p, g, _)| (*p, g.clone())))).collect();
    let standings = shared::standings(&graded);
    let mut columns = key_columns(&keys);
    columns.push(Column::new("respondents".into(), c.units.iter().map(|u| u.respondents as i64).collect::<Vec<_>>()));
    columns.push(Column::new("services".into(), c.units.iter().map(|u| u.services as i32).collect::<Vec<_>>()));
    columns.push(Column::new("min_respondents".into(), vec![plan.min_respondents as i64; c.units.len()]));
    columns.push(Column::new(
        "status".into(),
        c.units
            .iter()
            .zip(&results)
            .map(|(u, r)| if r.is_some() { m::SCORED.to_string() } else { m::too_few_respondents(u.respondents, plan.min_respondents) })
            .collect::<Vec<_>>(),
    ));
    columns.push(decimal_column("ikm_value", c.units.iter().zip(&results).map(|(u, r)| r.as_ref().map(|_| scaled(&u.unit_value(rule), 4))).collect(), 9, 4)?);
    columns.push(decimal_column("ikm", results.iter().map(|r| r.as_ref().map(|(p, _, _)| i128::from(p.hundredths()))).collect(), 5, 2)?);
    columns.push(Column::new("mutu".into(), results.iter().map(|r| r.as_ref().map(|(_, g, _)| g.clone())).collect::<Vec<_>>()));
    columns.push(Column::new("kinerja".into(), results.iter().map(|r| r.as_ref().map(|(_, _, k)| k.clone())).collect::<Vec<_>>()));
    columns.extend(standing_columns(&standings, "ikm", "mutu")?);
    columns.push(Column::new("rule".into(), vec![rule.id.clone(); c.units.len()]));
    let scores = DataFrame::new(c.units.len(), columns).map_err(query_error(SCORES))?;
    write_by_year(warehouse, SCORES, scores)?;

    // One row per unit and element; `priority` 1 is the unit's lowest NRR,
    // the first to improve (ties share the better priority).
    let n = rule.elements.len();
    let mut ekeys = Vec::new();
    let (mut code, mut name, mut resp, mut sum, mut nrr, mut weighted, mut priority) = (vec![], vec![], vec![], vec![], vec![], vec![], vec![]);
    for u in &c.units {
        let nrrs: Vec<Exact> = u.sums.iter().map(|s| Exact::new(*s, u.respondents as i128)).collect();
        for (i, e) in rule.elements.iter().enumerate() {
            ekeys.push(&u.key);
            code.push(e.code.clone());
            name.push(e.name.clone());
            resp.push(u.respondents as i64);
            sum.push(u.sums[i] as i64);
            nrr.push(Some(scaled(&nrrs[i], 4)));
            weighted.push(Some(scaled(&(nrrs[i] * e.weight), 4)));
            priority.push(1 + nrrs.iter().filter(|o| **o < nrrs[i]).count() as i32);
        }
    }
    let mut columns = key_columns(&ekeys);
    columns.extend([
        Column::new("element".into(), code),
        Column::new("element_name".into(), name),
        Column::new("respondents".into(), resp),
        Column::new("answer_sum".into(), sum),
        decimal_column("nrr", nrr, 9, 4)?,
        decimal_column("weighted_nrr", weighted, 9, 4)?,
        Column::new("priority".into(), priority),
    ]);
    let elements = DataFrame::new(c.units.len() * n, columns).map_err(query_error(ELEMENTS))?;
    write_by_year(warehouse, ELEMENTS, elements)?;

    let rows: Vec<(&shared::UnitKey, &str, &str, i64)> =
        c.units.iter().flat_map(|u| u.profile.iter().map(move |((a, v), n)| (&u.key, *a, v.as_str(), *n as i64))).collect();
    let mut columns = key_columns(&rows.iter().map(|r| r.0).collect::<Vec<_>>());
    columns.extend([
        Column::new("attribute".into(), rows.iter().map(|r| r.1.to_string()).collect::<Vec<_>>()),
        Column::new("value".into(), rows.iter().map(|r| r.2.to_string()).collect::<Vec<_>>()),
        Column::new("respondents".into(), rows.iter().map(|r| r.3).collect::<Vec<_>>()),
    ]);
    let profile = DataFrame::new(rows.len(), columns).map_err(query_error(PROFILE))?;
    write_by_year(warehouse, PROFILE, profile)?;
    write_rejects(warehouse, REJECTS, &c.rejects)
}
