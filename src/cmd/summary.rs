//! What `sakip ingest` and `sakip run` print at the end: the short summary a
//! person reads in the morning, from the counts the stages return. One
//! printer, so the two commands word the same facts the same way.

use std::io::Write;
use std::time::{Duration, Instant};

use crate::cmd::io_out;
use crate::error::Result;
use crate::ingest::Summary;
use crate::rules::pipeline::Plan;
use crate::score::units::YearTally;

/// The ingest part: files and rows read, accepted and refused, by reason;
/// units without a submission; code-change notes.
pub fn print_ingest(plan: &Plan, s: &Summary, out: &mut dyn Write) -> Result<()> {
    let w = |out: &mut dyn Write, line: String| writeln!(out, "{line}").map_err(io_out);
    w(out, format!("ingest  {}", plan.name))?;
    w(out, format!("  files read        {:>7}   ({} accepted)", s.files, s.files_accepted))?;
    w(out, format!("  rows read         {:>7}", s.rows_read))?;
    w(out, format!("  rows accepted     {:>7}", s.rows_accepted))?;
    w(out, format!("  rows rejected     {:>7}", s.rows_rejected))?;
    w(out, format!("  missing criteria  {:>7}   (written as missing, not as zero)", s.missing_criteria))?;
    if !s.rejects_by_rule.is_empty() {
        w(out, "  rejects by reason".to_string())?;
        for (rule, n) in &s.rejects_by_rule {
            let rows = format!("{} row{}", n.rows, if n.rows == 1 { "" } else { "s" });
            let files = format!("{} file{}", n.files, if n.files == 1 { "" } else { "s" });
            let detail = match (n.files, n.rows) {
                (0, _) => rows,
                (_, 0) => files,
                _ => format!("{files} ({rows})"),
            };
            w(out, format!("    {rule:<22}{detail}"))?;
        }
    }
    for (year, units) in &s.units_without_submission {
        if units.is_empty() {
            w(out, format!("  {year}: every unit submitted"))?;
        } else {
            // A terminal line, not a report: the review lists every unit.
            const SHOWN: usize = 12;
            let more = if units.len() > SHOWN { format!(", … and {} more", units.len() - SHOWN) } else { String::new() };
            let shown: Vec<&str> = units.iter().take(SHOWN).map(String::as_str).collect();
            w(out, format!("  {year}: no submission from {} unit{}: {}{more}", units.len(), if units.len() == 1 { "" } else { "s" }, shown.join(", ")))?;
        }
    }
    for (year, notes) in &s.code_notes {
        w(out, format!("  {year}: {} file{} with a unit code from the other side of its code change:", notes.len(), if notes.len() == 1 { "" } else { "s" }))?;
        for note in notes {
            w(out, format!("    {note}"))?;
        }
    }
    w(out, format!("  warehouse         {}", plan.warehouse.display()))?;
    if !s.clean() {
        w(out, format!("  rejects are listed with their reasons in {}", plan.warehouse.join("current/rejects/").display()))?;
    }
    Ok(())
}

/// The scoring part: per year, units scored on the evaluator track and
/// their grades.
pub fn print_scores(plan: &Plan, tallies: &[YearTally], out: &mut dyn Write) -> Result<()> {
    writeln!(out, "scores (evaluator track)").map_err(io_out)?;
    for tally in tallies.iter().filter(|t| t.units > 0) {
        let Some(evaluation) = plan.evaluation_for(tally.year) else { continue };
        let grades: Vec<String> =
            evaluation.scale.predikats().map(|p| format!("{p} {}", tally.grades.get(p).copied().unwrap_or(0))).collect();
        let note = if tally.incomplete > 0 { format!(", {} with missing criteria", tally.incomplete) } else { String::new() };
        writeln!(out, "  {}: {} units scored ({}){note}", tally.year, tally.units, grades.join(", ")).map_err(io_out)?;
    }
    Ok(())
}

/// Wall time per stage, for the summary: a nightly log then shows where a
/// slow night went.
pub struct Clock {
    last: Instant,
    laps: Vec<(&'static str, Duration)>,
}

impl Clock {
    /// A clock whose first lap starts now.
    pub fn start() -> Clock {
        Clock { last: Instant::now(), laps: Vec::new() }
    }

    /// Ends the lap of `stage` now and starts the next.
    pub fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.laps.push((stage, now - self.last));
        self.last = now;
    }
}

impl std::fmt::Display for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let total: Duration = self.laps.iter().map(|(_, d)| *d).sum();
        write!(f, "{:.2} s (", total.as_secs_f64())?;
        for (i, (stage, d)) in self.laps.iter().enumerate() {
            let sep = if i == 0 { "" } else { ", " };
            write!(f, "{sep}{stage} {:.2} s", d.as_secs_f64())?;
        }
        write!(f, ")")
    }
}
