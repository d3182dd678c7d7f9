//! `sakip grade`: the predikat of each score on a predikat scale.

use std::io::{BufRead, Write};

use crate::cmd::io_out;
use crate::error::{Error, Result};
use crate::exact::{parse_decimal, Exact, Points};
use crate::rules::catalog::Catalog;
use crate::Outcome;

/// Grade scores on a predikat scale.
///
/// Prints `<score>\t<predikat>` per score, the score rounded half-up to two
/// decimals first (the graded value is always the displayed one). A score
/// outside 0..100 is reported and makes the exit code 1.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Predikat scale: an id under pipelines/scales/ or a path.
    #[arg(long, value_name = "ID|FILE")]
    pub scale: String,

    /// Scores to grade (decimal point or comma). Read one per line from
    /// standard input when none are given.
    #[arg(allow_negative_numbers = true, value_name = "SCORE")]
    pub scores: Vec<String>,
}

/// Runs `sakip grade`.
pub fn run(catalog: &Catalog, args: &Args, out: &mut dyn Write) -> Result<Outcome> {
    let scale = catalog.predikat_scale(&args.scale)?;
    let scores: Vec<String> = if args.scores.is_empty() {
        std::io::stdin()
            .lock()
            .lines()
            .map(|l| l.map_err(|e| Error::Io { path: "<stdin>".into(), source: e }))
            .filter(|l| l.as_ref().map_or(true, |l| !l.trim().is_empty()))
            .collect::<Result<_>>()?
    } else {
        args.scores.clone()
    };
    let mut outcome = Outcome::Clean;
    for text in &scores {
        match grade_one(&scale, text) {
            Ok((points, predikat)) => writeln!(out, "{points}\t{predikat}").map_err(io_out)?,
            Err(e) => {
                eprintln!("sakip: error: {e}");
                outcome = Outcome::Rejected;
            }
        }
    }
    Ok(outcome)
}

/// Grades one score given as text. The range check is on the exact value as
/// written (100.004 is out of range), the grade on the rounded value.
fn grade_one(scale: &crate::rules::predikat::PredikatScale, text: &str) -> Result<(Points, String)> {
    let exact = parse_decimal(text).ok_or_else(|| Error::Usage(format!("'{text}' is not a number")))?;
    if exact < Exact::from_integer(0) || exact > Exact::from_integer(100) {
        return Err(Error::ScoreOutOfRange { value: text.trim().to_string() });
    }
    let points = Points::round_half_up(&exact);
    let band = scale.grade(points)?;
    Ok((points, band.predikat.clone()))
}
