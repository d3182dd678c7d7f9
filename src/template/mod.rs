//! The worksheet a province sends out: one XLSX per unit, for the rubric the
//! pipeline assigns to the year, laid out exactly as `sakip ingest` reads
//! it back.
//!
//! Without it every office invents its own layout and the first nightly run
//! refuses half the files. The template fixes the layout: each criterion on
//! its own row with the unit code and year already in it, one answer column
//! per track (the layout the readers know as per-track answers, see
//! `ingest::read`), a dropdown of the criterion's own answer scale on every
//! answer cell, and the sheet protected (without a password) everywhere but
//! the cells a person fills. [`sheet`] writes one workbook; this module
//! chooses the units and names the files.
//!
//! Every byte depends on the pipeline, the year and the unit only (the
//! workbook's creation date is fixed to 1 January of the year), so the same
//! command gives the same files.

mod sheet;

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::registry::{canonical_code, Unit};
use crate::rules::pipeline::{Evaluation, Plan};

/// Which units to write a template for.
#[derive(Debug, Clone)]
pub enum Units {
    /// Every KPU unit the pipeline consolidates.
    All,
    /// These unit codes, in any accepted spelling.
    Codes(Vec<String>),
}

/// One template written.
#[derive(Debug, Clone)]
pub struct Written {
    /// The unit.
    pub unit: Unit,
    /// Where the file is.
    pub path: PathBuf,
}

/// Writes one template per unit into `out` (created if needed) for `year`,
/// in unit-code order.
pub fn write_all(plan: &Plan, year: i32, units: &Units, out: &Path) -> Result<Vec<Written>> {
    let evaluation = evaluation(plan, year)?;
    let chosen = choose(plan, units)?;
    std::fs::create_dir_all(out).map_err(|e| Error::Io { path: out.to_path_buf(), source: e })?;
    let mut written = Vec::with_capacity(chosen.len());
    for unit in chosen {
        let bytes = workbook(plan, evaluation, year, &unit)?;
        let path = out.join(file_name(&unit));
        std::fs::write(&path, bytes).map_err(|e| Error::Io { path: path.clone(), source: e })?;
        written.push(Written { unit, path });
    }
    Ok(written)
}

/// The template of one unit for `year`, as the bytes of an XLSX file.
pub fn workbook(plan: &Plan, evaluation: &Evaluation, year: i32, unit: &Unit) -> Result<Vec<u8>> {
    let province = plan.registry.province_name(&unit.province_code).unwrap_or(&unit.province_code).to_string();
    sheet::write(&sheet::Context { plan, evaluation, year, unit, province: &province })
        .map_err(|e| Error::Io { path: PathBuf::from(file_name(unit)), source: std::io::Error::other(e.to_string()) })
}

/// The rubric and scale of `year`, or an error listing the years the
/// pipeline covers.
pub fn evaluation(plan: &Plan, year: i32) -> Result<&Evaluation> {
    plan.evaluation_for(year).ok_or_else(|| {
        let spans: Vec<String> = plan
            .evaluations
            .iter()
            .map(|e| match e.to {
                Some(to) => format!("{}–{to} ({})", e.from, e.rubric.id),
                None => format!("{} onwards ({})", e.from, e.rubric.id),
            })
            .collect();
        Error::Usage(format!("{}: the pipeline assigns no rubric to the year {year}; it covers {}", plan.path.display(), spans.join(", ")))
    })
}

/// The units asked for, checked against the registry and the province.
fn choose(plan: &Plan, units: &Units) -> Result<Vec<Unit>> {
    let province = plan.province.as_deref();
    match units {
        Units::All => Ok(plan.registry.units_of(province).cloned().collect()),
        Units::Codes(codes) => {
            let mut chosen: Vec<Unit> = Vec::new();
            for code in codes {
                let unit = canonical_code(code)
                    .and_then(|c| plan.registry.get(&c))
                    .filter(|u| plan.registry.units_of(province).any(|o| o.code == u.code))
                    .ok_or_else(|| {
                        let known: Vec<String> = plan.registry.units_of(province).map(|u| u.code.clone()).collect();
                        Error::Usage(format!(
                            "unit '{code}' is not a KPU unit this pipeline consolidates; its units are {}",
                            known.join(", ")
                        ))
                    })?;
                if !chosen.iter().any(|u| u.code == unit.code) {
                    chosen.push(unit.clone());
                }
            }
            chosen.sort_by(|a, b| a.code.cmp(&b.code));
            Ok(chosen)
        }
    }
}

/// `<code>-<slug>.xlsx`: the code first, as ingest reads a unit from the
/// start of a file name; the slug is the unit's name without "KPU", in
/// lowercase ASCII words joined by dashes.
pub fn file_name(unit: &Unit) -> String {
    format!("{}-{}.xlsx", unit.code, slug(&unit.name))
}

fn slug(name: &str) -> String {
    let name = name.trim();
    let name = name.strip_prefix("KPU ").unwrap_or(name);
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read::{read_submission, Cells, FileProblem};
    use crate::rules::pipeline::Overrides;

    #[test]
    fn a_template_as_sent_out_reads_back_as_blank_with_every_criterion() {
        let plan = Plan::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/pipelines/sample-ntt.toml")), &Overrides::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let unit = plan.registry.get("5301").cloned().unwrap_or_else(|| panic!("5301"));
        // The sample pipeline gives 2024 to PermenPANRB 88/2021 (80
        // criteria) and 2021 to 12/2015 (70), as the README says.
        for (year, criteria) in [(2024, 80), (2021, 70)] {
            let evaluation = evaluation(&plan, year).unwrap_or_else(|e| panic!("{e}"));
            let bytes = workbook(&plan, evaluation, year, &unit).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(read_submission(Path::new("5301.xlsx"), &bytes, &Cells::new()), Err(FileProblem::Blank { rows: criteria }));
            // The same inputs, the same bytes.
            assert_eq!(workbook(&plan, evaluation, year, &unit).ok(), Some(bytes));
        }
    }

    #[test]
    fn slugs_are_plain_words() {
        assert_eq!(slug("KPU Kabupaten Timor Tengah Selatan"), "kabupaten-timor-tengah-selatan");
        assert_eq!(slug("KPU Kota Kupang"), "kota-kupang");
        assert_eq!(slug("KPU Provinsi Nusa Tenggara Timur"), "provinsi-nusa-tenggara-timur");
        assert_eq!(slug("KPU Kab. Toli-Toli (Lama)"), "kab-toli-toli-lama");
    }
}
