//! `sakip score`: scores one worksheet and shows the breakdown.
//!
//! The worksheet is a CSV of criterion codes and answers. Every row problem is
//! reported at once (row, column, value, reason) and nothing is scored until
//! the worksheet is clean: a total built from half the answers would be worse
//! than no total.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::cmd::rubric::truncate;
use crate::cmd::{io_out, write_csv, write_table, Format};
use crate::error::{Error, Problem, Result};
use crate::exact::{format_exact, Points};
use crate::rubric::{MissingPolicy, Rubric};
use crate::rules::Catalog;
use crate::score::{rollup, Breakdown, SheetBuilder};
use crate::Outcome;

/// Score one worksheet: per-component breakdown, total and predikat.
///
/// The CSV needs a header with a criterion column (`criterion`,
/// `kode_kriteria`, `kriteria`) and an answer column (`answer`, `jawaban`);
/// `,` or `;` separated, UTF-8 with or without BOM. A blank answer leaves the
/// criterion unanswered, scored by the rubric's missing-answer policy.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The worksheet CSV.
    #[arg(value_name = "ANSWERS.csv")]
    pub answers: PathBuf,

    /// Rubric: an id under pipelines/rubrics/ or a path.
    #[arg(long, value_name = "ID|FILE")]
    pub rubric: String,

    /// Predikat scale: an id under pipelines/scales/ or a path.
    #[arg(long, value_name = "ID|FILE")]
    pub scale: String,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

const CRITERION_HEADERS: [&str; 4] = ["criterion", "kode_kriteria", "kriteria", "criterion_code"];
const ANSWER_HEADERS: [&str; 2] = ["answer", "jawaban"];

/// Runs `sakip score`.
pub fn run(catalog: &Catalog, args: &Args, out: &mut dyn Write) -> Result<Outcome> {
    let rubric = catalog.rubric(&args.rubric)?;
    let scale = catalog.predikat_scale(&args.scale)?;
    let values = read_worksheet(&args.answers, &rubric)?;
    let breakdown = rollup(&rubric, &values).map_err(|inc| Error::Worksheet {
        path: args.answers.clone(),
        problems: inc
            .missing
            .iter()
            .map(|&i| Problem::new(format!("criterion {}", rubric.criteria[i].code), format!("not answered, and rubric {} scores no worksheet with missing answers", rubric.id)))
            .collect(),
    })?;
    let band = scale.grade(breakdown.total)?;
    let missing: Vec<&str> = breakdown.missing.iter().map(|&i| rubric.criteria[i].code.as_str()).collect();
    let rows = breakdown_rows(&rubric, &breakdown);
    match args.format {
        Format::Csv => {
            let mut all = rows;
            all.push(vec!["total".into(), String::new(), "Total".into(), breakdown.total.to_string(), "100".into()]);
            write_csv(out, &["level", "code", "name", "score", "max_score"], &all)?;
        }
        Format::Json => {
            let components: Vec<_> = rubric
                .components
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    json!({
                        "code": c.code, "name": c.name,
                        "score": Points::round_half_up(&breakdown.components[i]).to_string(),
                        "max_score": format_exact(&c.weight, 6),
                        "subcomponents": c.subcomponents.clone().map(|s| json!({
                            "code": rubric.subcomponents[s].code,
                            "name": rubric.subcomponents[s].name,
                            "score": Points::round_half_up(&breakdown.subcomponents[s]).to_string(),
                            "max_score": format_exact(&rubric.subcomponents[s].weight, 6),
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let doc = json!({
                "rubric": rubric.id, "scale": scale.id,
                "score": breakdown.total.to_string(),
                "predikat": band.predikat, "predikat_label": band.label,
                "missing_criteria": missing,
                "components": components,
            });
            writeln!(out, "{}", serde_json::to_string_pretty(&doc).expect("JSON of strings")).map_err(io_out)?;
        }
        Format::Table => {
            writeln!(out, "rubric    {} — {}", rubric.id, rubric.name).map_err(io_out)?;
            writeln!(out, "scale     {} — {}\n", scale.id, scale.name).map_err(io_out)?;
            let shown: Vec<Vec<String>> = rows
                .into_iter()
                .map(|r| {
                    let indent = if r[0] == "subcomponent" { "  " } else { "" };
                    vec![format!("{indent}{}", r[1]), truncate(&r[2], 48), r[3].clone(), r[4].clone()]
                })
                .collect();
            write_table(out, &["code", "komponen", "nilai", "bobot"], &shown, &[2, 3])?;
            writeln!(out, "\ntotal     {}", breakdown.total).map_err(io_out)?;
            let label = band.label.as_deref().map(|l| format!(" ({l})")).unwrap_or_default();
            writeln!(out, "predikat  {}{label}", band.predikat).map_err(io_out)?;
            if !missing.is_empty() {
                let policy = match rubric.missing {
                    MissingPolicy::Zero => "counted as 0",
                    MissingPolicy::Exclude => "left out of their sub-component's mean",
                    MissingPolicy::Reject => "not allowed",
                };
                writeln!(out, "missing   {} criteria not answered, {policy} per the rubric: {}", missing.len(), missing.join(", ")).map_err(io_out)?;
            }
            writeln!(out, "\nComponent and sub-component figures are rounded for display only; the total is\nrounded once, half-up, from the exact unrounded parts.").map_err(io_out)?;
        }
    }
    Ok(Outcome::Clean)
}

/// One row per component and sub-component: level, code, name, score, max.
fn breakdown_rows(rubric: &Rubric, b: &Breakdown) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for (ci, c) in rubric.components.iter().enumerate() {
        rows.push(vec![
            "component".into(),
            c.code.clone(),
            c.name.clone(),
            Points::round_half_up(&b.components[ci]).to_string(),
            format_exact(&c.weight, 6),
        ]);
        for si in c.subcomponents.clone() {
            let s = &rubric.subcomponents[si];
            rows.push(vec![
                "subcomponent".into(),
                s.code.clone(),
                s.name.clone(),
                Points::round_half_up(&b.subcomponents[si]).to_string(),
                format_exact(&s.weight, 6),
            ]);
        }
    }
    rows
}

/// Reads a worksheet CSV into one value slot per criterion, or every problem
/// found in it.
pub fn read_worksheet(path: &Path, rubric: &Rubric) -> Result<Vec<Option<crate::Exact>>> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| Error::Worksheet {
        path: path.to_path_buf(),
        problems: vec![Problem::new(format!("byte {}", e.valid_up_to()), "the file is not UTF-8; save it as \"CSV UTF-8\"")],
    })?;
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let problem_at = |message: String| Error::Worksheet { path: path.to_path_buf(), problems: vec![Problem::new("row 1", message)] };
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| problem_at(format!("cannot read the header: {e}")))?
        .iter()
        .map(|h| h.trim().to_lowercase().replace([' ', '-'], "_"))
        .collect();
    let find = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let (Some(crit_col), Some(ans_col)) = (find(&CRITERION_HEADERS), find(&ANSWER_HEADERS)) else {
        return Err(problem_at(format!(
            "the header needs a criterion column ({}) and an answer column ({}); found: {}",
            CRITERION_HEADERS.join(", "),
            ANSWER_HEADERS.join(", "),
            headers.join(", ")
        )));
    };
    let mut sheet = SheetBuilder::new(rubric);
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(Problem::new(format!("row {line}"), format!("unreadable: {e}")));
                continue;
            }
        };
        let row = record.position().map_or(0, |p| p.line());
        let criterion = record.get(crit_col).unwrap_or("");
        let answer = record.get(ans_col).unwrap_or("");
        if criterion.trim().is_empty() && answer.trim().is_empty() {
            continue;
        }
        if let Err(p) = sheet.add(row, criterion, answer) {
            let column = if p.column() == "answer" { &headers[ans_col] } else { &headers[crit_col] };
            problems.push(Problem::new(format!("row {row}, column {column}"), p.reason()));
        }
    }
    if problems.is_empty() {
        Ok(sheet.finish())
    } else {
        Err(Error::Worksheet { path: path.to_path_buf(), problems })
    }
}
