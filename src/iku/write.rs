//! Writing the IKU tables: `iku_capaian`, `iku_scores` and `iku_rejects`.

use std::path::Path;

use polars::prelude::*;

use super::{graded, unit_means, Consolidated, IkuPlan, CAPAIAN, REJECTS, SCORES};
use crate::error::Result;
use crate::exact::{format_exact, Points};
use crate::ikm::shared::{self, key_columns, points, standing_columns, write_by_year, write_rejects};
use crate::tables::query_error;

/// Writes the three IKU tables into `warehouse` (replacing them).
pub fn write_tables(warehouse: &Path, plan: &IkuPlan, c: &Consolidated) -> Result<()> {
    let rule = &plan.rule;
    let rows = &c.rows;
    let keys: Vec<&shared::UnitKey> = rows.iter().map(|a| &a.key).collect();
    let text = |name: &str, f: &dyn Fn(&super::Achievement) -> Option<String>| Column::new(name.into(), rows.iter().map(f).collect::<Vec<_>>());
    let mut columns = key_columns(&keys);
    columns.extend([
        text("indicator", &|a| Some(a.code.clone())),
        text("indicator_name", &|a| Some(a.name.clone())),
        text("measure", &|a| Some(a.measure.clone())),
        text("direction", &|a| Some(a.direction.word().to_string())),
        text("target", &|a| Some(a.target.clone())),
        text("target_upper", &|a| a.target_upper.clone()),
        text("realisation", &|a| Some(a.realisation.clone())),
        text("weight", &|a| Some(format_exact(&a.weight, 6))),
        points("capaian", rows.iter().map(|a| Some(Points::round_half_up(&a.capaian))))?,
        Column::new("capped".into(), rows.iter().map(|a| a.capped).collect::<Vec<_>>()),
    ]);
    let df = DataFrame::new(rows.len(), columns).map_err(query_error(CAPAIAN))?;
    write_by_year(warehouse, CAPAIAN, df)?;

    let means = unit_means(rows);
    let results: Vec<(Points, String)> = means.iter().map(|(_, _, mean)| graded(rule, mean)).collect();
    let keys: Vec<&shared::UnitKey> = means.iter().map(|(k, _, _)| k).collect();
    let scored: Vec<_> = keys.iter().zip(&results).map(|(k, r)| (*k, Some(r.clone()))).collect();
    let standings = shared::standings(&scored);
    let mut columns = key_columns(&keys);
    columns.push(Column::new("indicators".into(), means.iter().map(|(_, n, _)| *n as i32).collect::<Vec<_>>()));
    columns.push(points("capaian", results.iter().map(|(p, _)| Some(*p)))?);
    columns.push(Column::new("grade".into(), results.iter().map(|(_, g)| g.clone()).collect::<Vec<_>>()));
    columns.extend(standing_columns(&standings, "capaian", "grade")?);
    columns.push(Column::new("rule".into(), vec![rule.id.clone(); means.len()]));
    let df = DataFrame::new(means.len(), columns).map_err(query_error(SCORES))?;
    write_by_year(warehouse, SCORES, df)?;
    write_rejects(warehouse, REJECTS, &c.rejects)
}
