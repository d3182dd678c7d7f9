//! Synthetic IKM surveys and IKU reports for `sakip gen`, so benchmarks and
//! tests of the national history cover the neighbouring evaluations too.
//!
//! Like the LKE generator, every file comes from a counter-based stream per
//! unit and year, so the same arguments write the same bytes whatever the
//! thread count. Surveys have 100–400 respondents answering around a
//! unit's own satisfaction level; reports have six indicators in the three
//! directions. Every row is valid: broken inputs are the sample's and the
//! hostile tests' job.

use std::fmt::Write as _;
use std::path::Path;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::ikm::IkmRule;

fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The `i`-th number of `stream`, uniform in [0, n).
fn below(stream: u64, i: u64, n: u64) -> u64 {
    mix(stream ^ mix(i)) % n
}

fn stream_of(seed: u64, code: &str, year: i32, salt: u64) -> u64 {
    code.bytes().fold(mix(seed ^ salt), |h, b| mix(h ^ u64::from(b))) ^ mix(year as u64)
}

/// One file to write: a unit's code as the year knew it, and the year.
pub type Job = (i32, String);

fn write(path: &Path, text: &str) -> Result<u64> {
    let io = |source| Error::Io { path: path.to_path_buf(), source };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(path, text).map_err(io)?;
    Ok(text.len() as u64)
}

/// Writes one survey per job as `<out>/<year>/<code>.csv`, returning files,
/// rows and bytes.
pub fn surveys(rule: &IkmRule, jobs: &[Job], out: &Path, seed: u64) -> Result<(usize, u64, u64)> {
    let header: Vec<String> = rule.elements.iter().map(|e| format!("\"{}\"", e.name)).collect();
    let done: Vec<(u64, u64)> = jobs
        .par_iter()
        .map(|(year, code)| {
            let s = stream_of(seed, code, *year, 0x1c3);
            let n = 100 + below(s, 0, 301);
            // The unit's level: most answers are it or one step either side.
            let level = 2 + below(s, 1, 2) as i64;
            let mut text = format!("kode_satker,tahun,id_responden,{}\n", header.join(","));
            let mut k = 2u64;
            for r in 1..=n {
                let _ = write!(text, "{code},{year},R{r}");
                for _ in &rule.elements {
                    let step = [-1i64, 0, 0, 0, 1, 1][below(s, k, 6) as usize];
                    k += 1;
                    let _ = write!(text, ",{}", (level + step).clamp(rule.answer_min, rule.answer_max));
                }
                text.push('\n');
            }
            Ok((n, write(&out.join(year.to_string()).join(format!("{code}.csv")), &text)?))
        })
        .collect::<Result<_>>()?;
    Ok((done.len(), done.iter().map(|d| d.0).sum(), done.iter().map(|d| d.1).sum()))
}

/// Writes one IKU report per job as `<out>/<year>/<code>.csv`, returning
/// files, rows and bytes.
pub fn reports(jobs: &[Job], out: &Path, seed: u64) -> Result<(usize, u64, u64)> {
    // Code, direction, target, upper bound, measure.
    const SET: [(&str, &str, u64, u64, &str); 6] = [
        ("IKU-01", "naik", 775, 0, "persen"),
        ("IKU-02", "naik", 700, 0, "nilai"),
        ("IKU-03", "naik", 800, 0, "indeks"),
        ("IKU-04", "turun", 70, 0, "hari"),
        ("IKU-05", "turun", 40, 0, "temuan"),
        ("IKU-06", "rentang", 70, 80, "bulan"),
    ];
    let tenths = |v: u64| format!("{}.{}", v / 10, v % 10);
    let done: Vec<u64> = jobs
        .par_iter()
        .map(|(year, code)| {
            let s = stream_of(seed, code, *year, 0x1c4);
            let mut text = String::from("kode_satker,tahun,kode_indikator,satuan,arah,target,target_atas,realisasi\n");
            for (i, (ind, dir, target, upper, measure)) in SET.iter().enumerate() {
                // Realisation between 70 % and 130 % of the target.
                let real = target * (70 + below(s, i as u64, 61)) / 100;
                let upper = if *upper > 0 { tenths(*upper) } else { String::new() };
                let _ = writeln!(text, "{code},{year},{ind},{measure},{dir},{},{upper},{}", tenths(*target), tenths(real));
            }
            write(&out.join(year.to_string()).join(format!("{code}.csv")), &text)
        })
        .collect::<Result<_>>()?;
    Ok((done.len(), 6 * done.len() as u64, done.iter().sum()))
}
