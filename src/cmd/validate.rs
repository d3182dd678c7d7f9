//! `sakip validate`: checks rule files and reports every problem at once.

use std::io::Write;
use std::path::PathBuf;

use crate::cmd::io_out;
use crate::error::Result;
use crate::rules::catalog::Catalog;
use crate::rules::rule_file::RuleFile;
use crate::Outcome;

/// Check rubric, answer-scale, predikat-scale and pipeline files.
///
/// Each file is read by the `kind` it declares and checked: weights add up,
/// codes are unique, every answer scale exists, bands cover 0..100 with no gap
/// or overlap. Every problem is listed with its file and key; the exit code is
/// 1 if any file has a problem.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files to check.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
}

/// Runs `sakip validate`.
pub fn run(catalog: &Catalog, args: &Args, out: &mut dyn Write) -> Result<Outcome> {
    let mut outcome = Outcome::Clean;
    for path in &args.files {
        match catalog.check_file(path) {
            Ok(rule) => writeln!(out, "ok    {}  {}", path.display(), summary(&rule)).map_err(io_out)?,
            Err(e) => {
                writeln!(out, "FAIL  {}", path.display()).map_err(io_out)?;
                eprintln!("sakip: error: {e}");
                outcome = Outcome::Rejected;
            }
        }
    }
    Ok(outcome)
}

fn summary(rule: &RuleFile) -> String {
    match rule {
        RuleFile::Rubric(r) => format!(
            "rubric {}: {} components, {} sub-components, {} criteria",
            r.id,
            r.components.len(),
            r.subcomponents.len(),
            r.criteria.len()
        ),
        RuleFile::AnswerScale(s) => format!("answer scale {}: {}", s.id, s.allowed()),
        RuleFile::Pipeline(p) => format!(
            "pipeline '{}': province {}, {}",
            p.name,
            p.province.as_deref().unwrap_or("all"),
            p.evaluations
                .iter()
                .map(|e| format!("{}–{}: {} + {}", e.from, e.to.map_or(String::new(), |t| t.to_string()), e.rubric.id, e.scale.id))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        // -- IKM / IKU
        RuleFile::Ikm(r) => format!(
            "ikm rule {}: {} elements, answers {}–{}, mutu {}",
            r.id,
            r.elements.len(),
            r.answer_min,
            r.answer_max,
            r.bands.iter().map(|b| format!("{} {}–{}", b.mutu, b.min, b.max)).collect::<Vec<_>>().join(", ")
        ),
        RuleFile::Iku(r) => format!(
            "iku rule {}: cap {}, grades {}, {} listed indicators",
            r.id,
            r.cap.map_or("none".to_string(), |c| crate::exact::format_exact(&c, 6)),
            r.grades.iter().map(|(g, min)| min.map_or(g.clone(), |m| format!("{g} ≥{m}"))).collect::<Vec<_>>().join(", "),
            r.indicators.len()
        ),
        // -- end IKM / IKU
        RuleFile::PredikatScale(s) => format!(
            "predikat scale {}: {}",
            s.id,
            s.bands.iter().map(|b| format!("{} {}", b.predikat, b.range_text())).collect::<Vec<_>>().join(", ")
        ),
    }
}
