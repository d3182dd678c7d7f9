//! The neighbouring evaluations in `sakip run`: the IKM surveys and IKU
//! reports a pipeline declares are read from their own inboxes, computed and
//! written into the snapshot being staged, beside SAKIP's tables.
//!
//! They are recomputed in full on every run rather than taken over from the
//! previous snapshot: a province's surveys are tens of thousands of short
//! rows, read in well under a second, and a full recomputation cannot go
//! stale when a rule file or an inbox changes.

use std::io::Write;
use std::path::Path;

use crate::cmd::io_out;
use crate::error::Result;
use crate::rules::pipeline::Plan;

/// What the IKM and IKU consolidations found, for the run's summary.
#[derive(Debug, Default)]
pub struct Neighbours {
    lines: Vec<String>,
    rejected: usize,
    /// The review pages written.
    pub reviews: Vec<std::path::PathBuf>,
}

impl Neighbours {
    /// Whether every row was used.
    pub fn clean(&self) -> bool {
        self.rejected == 0
    }

    /// Writes the summary lines.
    pub fn print(&self, out: &mut dyn Write) -> Result<()> {
        for line in &self.lines {
            writeln!(out, "{line}").map_err(io_out)?;
        }
        Ok(())
    }
}

/// Consolidates the pipeline's IKM and IKU into `warehouse`.
pub fn consolidate(plan: &Plan, warehouse: &Path) -> Result<Neighbours> {
    let mut n = Neighbours::default();
    let province = plan.province.as_deref();
    let ikm_done = plan.ikm.as_ref().map(|ikm| (ikm, crate::ikm::consolidate(ikm, &plan.registry, province, &plan.limits)));
    let iku_done = plan.iku.as_ref().map(|iku| (iku, crate::iku::consolidate(iku, &plan.registry, province, &plan.limits)));
    n.reviews = crate::review::ikm::write(warehouse, &plan.registry, ikm_done.as_ref().map(|(p, c)| (*p, c)), iku_done.as_ref().map(|(p, c)| (*p, c)))?;
    if let Some((ikm, c)) = &ikm_done {
        crate::ikm::write_tables(warehouse, ikm, c)?;
        let refused = c.rejects.iter().filter(|r| r.row > 0).count();
        n.rejected += c.rejects.len();
        n.lines.push(format!("ikm ({})", ikm.rule.id));
        n.lines.push(format!("  {} files, {} respondent rows read: {} accepted, {} rejected", c.files, c.rows_read, c.accepted, refused));
        let files_refused = c.rejects.iter().filter(|r| r.row == 0).count();
        if files_refused > 0 {
            n.lines.push(format!("  {files_refused} files refused whole (see ikm_rejects)"));
        }
        let mut years: std::collections::BTreeMap<i32, (usize, usize)> = Default::default();
        for u in &c.units {
            let y = years.entry(u.key.year).or_default();
            if crate::ikm::result(u, ikm).is_some() {
                y.0 += 1;
            } else {
                y.1 += 1;
            }
        }
        for (year, (scored, short)) in years {
            let note = if short > 0 { format!(", {short} below {} respondents and not scored", ikm.min_respondents) } else { String::new() };
            n.lines.push(format!("  {year}: {scored} units scored{note}"));
        }
    }
    if let Some((iku, c)) = &iku_done {
        crate::iku::write_tables(warehouse, iku, c)?;
        let refused = c.rejects.iter().filter(|r| r.row > 0).count();
        n.rejected += c.rejects.len();
        n.lines.push(format!("iku ({})", iku.rule.id));
        n.lines.push(format!("  {} files, {} indicator rows read: {} accepted, {} rejected", c.files, c.rows_read, c.rows.len(), refused));
        let mut years: std::collections::BTreeMap<i32, usize> = Default::default();
        for (k, _, _) in crate::iku::unit_means(&c.rows) {
            *years.entry(k.year).or_default() += 1;
        }
        for (year, units) in years {
            n.lines.push(format!("  {year}: {units} units scored"));
        }
    }
    Ok(n)
}
