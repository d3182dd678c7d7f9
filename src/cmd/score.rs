//! `sakip score`: scores one worksheet and shows the breakdown.
//!
//! The worksheet is a submission file of criterion codes and answers. Every row problem is
//! reported at once (row, column, value, reason) and nothing is scored until
//! the worksheet is clean: a total built from half the answers would be worse
//! than no total.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::cmd::truncate;
use crate::cmd::{io_out, write_csv, write_table, Format};
use crate::error::{Error, Problem, Result};
use crate::exact::{format_exact, Points};
use crate::ingest::read::{read_submission, Cells};
use crate::rules::catalog::Catalog;
use crate::rules::rubric::{MissingPolicy, Rubric};
use crate::score::{rollup, Breakdown};
use crate::worksheet::SheetBuilder;
use crate::worksheet::Track;
use crate::Outcome;

/// Score one worksheet: per-component breakdown, total and predikat.
///
/// The worksheet is any submission file ingest reads (CSV in either locale,
/// XLSX, JSON): a criterion column (`kode_kriteria` / `criterion`) and an
/// answer column (`jawaban` / `answer`). A blank answer leaves the criterion
/// unanswered, scored by the rubric's missing-answer policy.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The worksheet: CSV, XLSX or JSON.
    #[arg(value_name = "WORKSHEET")]
    pub answers: PathBuf,

    /// Rubric: an id under pipelines/rubrics/ or a path.
    #[arg(long, value_name = "ID|FILE")]
    pub rubric: String,

    /// Predikat scale: an id under pipelines/scales/ or a path.
    #[arg(long, value_name = "ID|FILE")]
    pub scale: String,

    /// Which answers to score when the file holds both tracks.
    #[arg(long, value_enum, default_value_t = TrackArg::Evaluator)]
    pub track: TrackArg,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The track to score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TrackArg {
    /// The evaluator's decision (nilai penetapan): the official score.
    Evaluator,
    /// The unit's self-assessment (penilaian mandiri).
    Mandiri,
}

impl From<TrackArg> for Track {
    fn from(t: TrackArg) -> Track {
        match t {
            TrackArg::Evaluator => Track::Evaluator,
            TrackArg::Mandiri => Track::Mandiri,
        }
    }
}

/// Runs `sakip score`.
pub fn run(catalog: &Catalog, args: &Args, out: &mut dyn Write) -> Result<Outcome> {
    let rubric = catalog.rubric(&args.rubric)?;
    let scale = catalog.predikat_scale(&args.scale)?;
    let values = read_worksheet(&args.answers, &rubric, args.track.into())?;
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

/// Reads a worksheet — CSV, XLSX or JSON, through the same readers as
/// ingest — into one value slot per criterion, or every problem found in it.
/// Only the rows of `track` are scored; a file without a track column is the
/// evaluator's.
pub fn read_worksheet(path: &Path, rubric: &Rubric, track: Track) -> Result<Vec<Option<crate::Exact>>> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
    let cells = Cells::new();
    let sub = read_submission(path, &bytes, &cells)
        .map_err(|problem| Error::Worksheet { path: path.to_path_buf(), problems: vec![Problem::new("", problem.to_string())] })?;
    let at = |sheet: Option<&str>, row: u64, column: &str| match sheet {
        Some(sheet) => format!("sheet {sheet}, row {row}, column {column}"),
        None => format!("row {row}, column {column}"),
    };
    let mut problems: Vec<Problem> = sub.bad_rows.iter().map(|b| Problem::new(at(b.sheet.as_deref(), b.row, &b.column), b.reason.clone())).collect();
    let mut sheet = SheetBuilder::new(rubric);
    for row in &sub.rows {
        let track_text = row.track.or(sub.track.as_deref()).unwrap_or("");
        match Track::parse(track_text) {
            Some(t) if t == track => {}
            Some(_) => continue,
            None => {
                problems.push(Problem::new(at(row.sheet, row.row, "track"), format!("track '{track_text}' is neither 'mandiri' nor 'evaluator'")));
                continue;
            }
        }
        if let Err(p) = sheet.add(row.row, row.criterion, row.answer) {
            problems.push(Problem::new(at(row.sheet, row.row, p.column()), p.reason()));
        }
    }
    if problems.is_empty() {
        Ok(sheet.finish())
    } else {
        Err(Error::Worksheet { path: path.to_path_buf(), problems })
    }
}
