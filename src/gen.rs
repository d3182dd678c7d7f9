//! Synthetic submissions: a whole country's history of LKE worksheets, for
//! benchmarks and for tests that need more than the sample.
//!
//! Everything is derived from a seed by a small counter-based generator, one
//! stream per unit, year and track, so the same arguments write the same
//! bytes whatever the thread count. Answers are realistic in shape: units
//! differ in quality, improve over the years, and assess themselves higher
//! than the evaluator does.
//!
//! The history has the registry's real shape through time: each year's
//! files are those of the units that existed then, in the provinces they
//! belonged to then, written with the codes they carried then — a regency
//! of Papua Selatan is `9101` of Papua up to 2022 and `9301` after
//! (`code-changes.csv`). A unit's answers follow one stream whatever its
//! code, as one office's would.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::registry::Unit;
use crate::rules::answer_scale::Accepts;
use crate::rules::pipeline::Plan;
use crate::rules::rubric::Rubric;
use crate::worksheet::Track;

/// The file format of generated submissions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GenFormat {
    /// Every file CSV.
    Csv,
    /// Every file XLSX.
    Xlsx,
    /// Every file JSON.
    Json,
    /// CSV, XLSX and JSON in turn, by unit.
    Mixed,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct GenSpec {
    /// Output inbox.
    pub out: PathBuf,
    /// First and last evaluation year.
    pub years: (i32, i32),
    /// Only these provinces (all when empty).
    pub provinces: Vec<String>,
    /// Copies of the span of years, each shifted back by its length: more
    /// files of exactly the same shape.
    pub scale: u32,
    /// Seed.
    pub seed: u64,
    /// File format.
    pub format: GenFormat,
}

/// How many files and answer rows were written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GenSummary {
    /// Files written.
    pub files: usize,
    /// Answer rows written.
    pub rows: u64,
    /// Bytes written.
    pub bytes: u64,
}

/// SplitMix64: a tiny counter-based generator, good enough for plausible
/// answers and fully determined by its input.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform number in [0, 1) from a stream and an index.
fn uniform(stream: u64, i: u64) -> f64 {
    (mix(stream ^ mix(i)) >> 11) as f64 / (1u64 << 53) as f64
}

fn stream_of(seed: u64, unit: &str, year: i32, salt: u64) -> u64 {
    let mut h = mix(seed ^ salt);
    for b in unit.bytes() {
        h = mix(h ^ u64::from(b));
    }
    mix(h ^ year as u64)
}

/// One file to write: a unit as it was in a year.
struct Job<'p> {
    year: i32,
    /// Position of the unit among the year's units, for the mixed format.
    index: usize,
    /// The unit with the province it belonged to in `year`.
    unit: Unit,
    /// The code the unit carried in `year`.
    code: String,
    rubric: &'p Rubric,
}

/// The units to generate for `year`: every KPU Provinsi and Kabupaten/Kota
/// that existed then, of the chosen provinces as they were then, each with
/// the code it carried then.
fn units(plan: &Plan, provinces: &[String], year: i32) -> Vec<(Unit, String)> {
    plan.registry
        .units_in(None, year)
        .into_iter()
        .filter(|u| provinces.is_empty() || provinces.contains(&u.province_code))
        .map(|u| {
            let code = match plan.registry.former(&u.code) {
                Some(change) if year < change.from_year => change.old_code.clone(),
                _ => u.code.clone(),
            };
            (u, code)
        })
        .collect()
}

/// Writes the synthetic inbox.
pub fn generate(plan: &Plan, spec: &GenSpec) -> Result<GenSummary> {
    let span = spec.years.1 - spec.years.0 + 1;
    let mut jobs = Vec::new();
    for copy in 0..spec.scale.max(1) as i32 {
        for year in spec.years.0..=spec.years.1 {
            let year = year - copy * span;
            let evaluation = plan
                .evaluation_for(year)
                .ok_or_else(|| Error::Usage(format!("the pipeline assigns no rubric to {year}; extend its [[evaluations]] or generate fewer copies")))?;
            for (index, (unit, code)) in units(plan, &spec.provinces, year).into_iter().enumerate() {
                jobs.push(Job { year, index, unit, code, rubric: &evaluation.rubric });
            }
        }
    }
    if jobs.is_empty() {
        return Err(Error::Usage(format!("no KPU units in provinces {}", spec.provinces.join(","))));
    }
    let written: Vec<Result<(u64, u64)>> = jobs
        .par_iter()
        .map(|job| {
            let format = match spec.format {
                GenFormat::Mixed => [GenFormat::Csv, GenFormat::Xlsx, GenFormat::Json][job.index % 3],
                f => f,
            };
            let province = plan.registry.province_name(&job.unit.province_code).unwrap_or(&job.unit.province_code);
            write_submission(&spec.out, spec.seed, job, province, format)
        })
        .collect();
    let mut summary = GenSummary::default();
    for w in written {
        let (rows, bytes) = w?;
        summary.files += 1;
        summary.rows += rows;
        summary.bytes += bytes;
    }
    Ok(summary)
}

/// The answers of one unit, year and track, as text on each criterion's
/// scale, in rubric order.
fn answers(seed: u64, year: i32, unit: &Unit, rubric: &Rubric, track: Track) -> Vec<String> {
    // Quality in [0.35, 0.9], improving about half a point a year since 2000;
    // the self-assessment reads about 6 points higher.
    let quality = 0.35 + 0.55 * uniform(stream_of(seed, &unit.code, 0, 1), 0);
    let trend = 0.005 * f64::from(year - 2000);
    let bias = if track == Track::Mandiri { 0.06 } else { 0.0 };
    let level = (quality + trend + bias).clamp(0.05, 0.98);
    let stream = stream_of(seed, &unit.code, year, if track == Track::Mandiri { 3 } else { 2 });
    rubric
        .criteria
        .iter()
        .enumerate()
        .map(|(i, _)| {
            let scale = rubric.scale_of(i);
            // A noisy share of full marks around the unit's level.
            let share = (level + 0.25 * (uniform(stream, i as u64) - 0.5)).clamp(0.0, 1.0);
            match &scale.accepts {
                Accepts::Listed(list) => {
                    let target = crate::Exact::new((share * 1000.0).round() as i128, 1000) * scale.full_marks;
                    let best = list
                        .iter()
                        .min_by_key(|a| {
                            let d = a.value - target;
                            if d < crate::Exact::default() { -d } else { d }
                        })
                        .expect("a listed scale has answers");
                    best.answer.clone()
                }
                Accepts::Range { min, max } => {
                    let v = *min + (*max - *min) * crate::Exact::new((share * 100.0).round() as i128, 100);
                    crate::exact::format_exact(&v, 2)
                }
            }
        })
        .collect()
}

/// Writes one unit's worksheet of one year under the code it carried then;
/// `province` (the name of its province then) heads an XLSX form.
fn write_submission(out: &Path, seed: u64, job: &Job<'_>, province: &str, format: GenFormat) -> Result<(u64, u64)> {
    let (year, unit, rubric, code) = (job.year, &job.unit, job.rubric, job.code.as_str());
    let dir = out.join(year.to_string());
    std::fs::create_dir_all(&dir).map_err(|source| Error::Io { path: dir.clone(), source })?;
    let tracks = [Track::Mandiri, Track::Evaluator];
    let all: Vec<(Track, Vec<String>)> = tracks.iter().map(|&t| (t, answers(seed, year, unit, rubric, t))).collect();
    let rows = (rubric.criteria.len() * tracks.len()) as u64;
    let (path, bytes) = match format {
        GenFormat::Csv | GenFormat::Mixed => {
            let mut text = String::with_capacity(rows as usize * 32);
            text.push_str("unit_code,year,track,criterion,answer\n");
            for (track, list) in &all {
                for (c, answer) in rubric.criteria.iter().zip(list) {
                    text.push_str(&format!("{code},{year},{},{},{answer}\n", track.as_str(), c.code));
                }
            }
            (dir.join(format!("{code}.csv")), text.into_bytes())
        }
        GenFormat::Json => {
            let items: Vec<serde_json::Value> = all
                .iter()
                .flat_map(|(track, list)| {
                    rubric.criteria.iter().zip(list).map(move |(c, a)| serde_json::json!({ "criterion": c.code, "track": track.as_str(), "answer": a }))
                })
                .collect();
            let doc = serde_json::json!({ "unit_code": code, "year": year, "answers": items });
            (dir.join(format!("{code}.json")), serde_json::to_vec_pretty(&doc).expect("JSON"))
        }
        GenFormat::Xlsx => (dir.join(format!("{code}.xlsx")), xlsx_bytes(year, unit, code, province, rubric, &all)?),
    };
    std::fs::write(&path, &bytes).map_err(|source| Error::Io { path: path.clone(), source })?;
    Ok((rows, bytes.len() as u64))
}

/// An XLSX form as offices fill it: a title row, then the answers.
fn xlsx_bytes(year: i32, unit: &Unit, code: &str, province: &str, rubric: &Rubric, all: &[(Track, Vec<String>)]) -> Result<Vec<u8>> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
    let err = |e: rust_xlsxwriter::XlsxError| Error::Usage(format!("cannot build XLSX: {e}"));
    let mut wb = Workbook::new();
    // A fixed creation time keeps the bytes the same run after run.
    let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(err)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let ws = wb.add_worksheet();
    ws.set_name("LKE").map_err(err)?;
    ws.write_string(0, 0, format!("LEMBAR KERJA EVALUASI SAKIP {year} — {}, Provinsi {province}", unit.name)).map_err(err)?;
    for (c, h) in ["Kode Satker", "Tahun", "Penilaian", "Kode Kriteria", "Jawaban"].iter().enumerate() {
        ws.write_string(2, c as u16, *h).map_err(err)?;
    }
    let mut row = 3u32;
    for (track, list) in all {
        for (c, answer) in rubric.criteria.iter().zip(list) {
            ws.write_string(row, 0, code).map_err(err)?;
            ws.write_number(row, 1, f64::from(year)).map_err(err)?;
            ws.write_string(row, 2, track.as_str()).map_err(err)?;
            ws.write_string(row, 3, &c.code).map_err(err)?;
            ws.write_string(row, 4, answer).map_err(err)?;
            row += 1;
        }
    }
    wb.save_to_buffer().map_err(err)
}
