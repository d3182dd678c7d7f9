//! Predikat scales: which grade a score earns.
//!
//! A scale is a list of bands, each open below and closed above (`> 80 – 90`
//! is A, so 90.00 is A and 90.01 is AA); only the bottom band includes its
//! lower bound, 0. The bands must cover 0..100 exactly — no gap, no overlap —
//! and a score outside 0..100 has no grade. Which scale applies is data
//! (`pipelines/scales/`), because the KPU has used two: with BB and without.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Problem, Result};
use crate::exact::{format_exact, Exact, Points, RuleNumber};
use crate::rules::catalog::Catalog;
use crate::rules::read::parse_rule;

/// The `kind` a predikat-scale file declares.
pub const KIND: &str = "predikat-scale";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    #[serde(rename = "kind")]
    _kind: String,
    name: String,
    #[serde(default)]
    description: Option<String>,
    bands: Vec<RawBand>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBand {
    predikat: String,
    #[serde(default)]
    label: Option<String>,
    /// Exclusive lower bound: the band holds scores strictly above it.
    #[serde(default)]
    above: Option<RuleNumber>,
    /// Inclusive lower bound: only for the bottom band, at 0.
    #[serde(default)]
    from: Option<RuleNumber>,
    /// Inclusive upper bound.
    to: RuleNumber,
}

/// One grade and the scores it covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// The grade (`AA`, `BB`, `CC`).
    pub predikat: String,
    /// Its meaning (`Sangat Memuaskan`).
    pub label: Option<String>,
    /// The lower bound.
    pub lower: Exact,
    /// Whether a score equal to `lower` belongs here (only the bottom band).
    pub lower_inclusive: bool,
    /// The upper bound, inclusive.
    pub upper: Exact,
}

impl Band {
    /// Whether an exact score falls in this band.
    pub fn contains(&self, score: &Exact) -> bool {
        let above_lower = if self.lower_inclusive { *score >= self.lower } else { *score > self.lower };
        above_lower && *score <= self.upper
    }

    /// The band's range as people write it: `>80 – 90`, `0 – 30`.
    pub fn range_text(&self) -> String {
        format!(
            "{}{} – {}",
            if self.lower_inclusive { "" } else { ">" },
            format_exact(&self.lower, 2),
            format_exact(&self.upper, 2)
        )
    }
}

/// A checked predikat scale, bands from the highest grade down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PredikatScale {
    /// The file stem.
    pub id: String,
    /// Its name for people.
    pub name: String,
    /// Longer description.
    pub description: Option<String>,
    /// The bands, highest first.
    pub bands: Vec<Band>,
}

impl Catalog {
    /// Loads a predikat scale by id or path.
    pub fn predikat_scale(&self, id_or_path: &str) -> Result<PredikatScale> {
        let path = self.existing("predikat scale", "scales", id_or_path)?;
        PredikatScale::load(&path)
    }
}

impl PredikatScale {
    /// Reads and checks the scale in `path`.
    pub fn load(path: &Path) -> Result<PredikatScale> {
        let text = crate::rules::read::read(path)?;
        PredikatScale::parse(path, &text)
    }

    /// Checks scale text that came from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<PredikatScale> {
        let raw: RawScale = parse_rule(path, text, KIND)?;
        let mut problems = Vec::new();
        if raw.name.trim().is_empty() {
            problems.push(Problem::new("name", "must not be empty"));
        }
        let mut bands = Vec::new();
        let mut seen = Vec::new();
        for (i, b) in raw.bands.into_iter().enumerate() {
            let key = format!("bands[{i}] ({})", b.predikat);
            let code = b.predikat.trim().to_string();
            if code.is_empty() {
                problems.push(Problem::new(&key, "predikat must not be empty"));
            } else if seen.contains(&code) {
                problems.push(Problem::new(&key, format!("predikat '{code}' appears twice")));
            }
            seen.push(code.clone());
            let (lower, lower_inclusive) = match (b.above, b.from) {
                (Some(a), None) => (a.0, false),
                (None, Some(f)) => (f.0, true),
                _ => {
                    problems.push(Problem::new(&key, "give exactly one lower bound: `above` (exclusive) or `from` (inclusive, bottom band only)"));
                    continue;
                }
            };
            if b.to.0 <= lower {
                problems.push(Problem::new(&key, format!("`to` ({}) must be above the lower bound ({})", format_exact(&b.to.0, 6), format_exact(&lower, 6))));
                continue;
            }
            bands.push(Band { predikat: code, label: b.label, lower, lower_inclusive, upper: b.to.0 });
        }
        if bands.is_empty() && problems.is_empty() {
            problems.push(Problem::new("bands", "a scale needs at least one band"));
        }
        if problems.is_empty() {
            check_coverage(&mut bands, &mut problems);
        }
        if !problems.is_empty() {
            return Err(Error::Invalid { path: path.to_path_buf(), problems });
        }
        Ok(PredikatScale { id: crate::rules::read::id_of(path), name: raw.name, description: raw.description, bands })
    }

    /// The band a displayed score falls in. Grading takes [`Points`], the
    /// rounded two-decimal value, so the grade always matches what is shown.
    pub fn grade(&self, score: Points) -> Result<&Band> {
        let exact = score.exact();
        self.bands
            .iter()
            .find(|b| b.contains(&exact))
            .ok_or_else(|| Error::ScoreOutOfRange { value: score.to_string() })
    }

    /// The grades from best to worst.
    pub fn predikats(&self) -> impl Iterator<Item = &str> {
        self.bands.iter().map(|b| b.predikat.as_str())
    }
}

/// Sorts the bands highest first and checks that they tile [0, 100]: the
/// bottom band starts `from = 0`, every other band starts `above` the top of
/// the band below it, and the top band ends at 100.
fn check_coverage(bands: &mut [Band], problems: &mut Vec<Problem>) {
    let zero = Exact::from_integer(0);
    let hundred = Exact::from_integer(100);
    bands.sort_by(|a, b| a.lower.cmp(&b.lower).then(b.lower_inclusive.cmp(&a.lower_inclusive)));
    let bottom = &bands[0];
    if bottom.lower != zero || !bottom.lower_inclusive {
        problems.push(Problem::new(
            format!("bands ({})", bottom.predikat),
            format!("the lowest band must start `from = 0` so that 0 has a grade; it starts at {}", bottom.range_text()),
        ));
    }
    for pair in bands.windows(2) {
        let (below, above) = (&pair[0], &pair[1]);
        let key = format!("bands ({} and {})", below.predikat, above.predikat);
        if above.lower_inclusive {
            problems.push(Problem::new(&key, format!("only the bottom band may use `from`; band {} should say `above = {}`", above.predikat, format_exact(&above.lower, 6))));
        } else if above.lower > below.upper {
            problems.push(Problem::new(&key, format!("gap: scores above {} up to {} have no grade", format_exact(&below.upper, 6), format_exact(&above.lower, 6))));
        } else if above.lower < below.upper {
            problems.push(Problem::new(&key, format!("overlap: scores above {} up to {} are in both", format_exact(&above.lower, 6), format_exact(&below.upper, 6))));
        }
    }
    let top = &bands[bands.len() - 1];
    if top.upper != hundred {
        problems.push(Problem::new(format!("bands ({})", top.predikat), format!("the highest band must end at 100, not {}", format_exact(&top.upper, 6))));
    }
    bands.reverse();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<PredikatScale> {
        PredikatScale::parse(Path::new("scales/t.toml"), text)
    }

    fn band(p: &str, lower: &str, to: u32) -> String {
        format!("[[bands]]\npredikat = \"{p}\"\n{lower}\nto = {to}\n")
    }

    #[test]
    fn a_gap_and_an_overlap_are_both_reported() {
        let text = format!(
            "kind = \"predikat-scale\"\nname = \"t\"\n{}{}{}",
            band("A", "above = 60", 100),
            band("B", "above = 30", 50),
            band("C", "from = 0", 40)
        );
        let Err(Error::Invalid { problems, .. }) = parse(&text) else { panic!() };
        let text: Vec<_> = problems.iter().map(|p| p.to_string()).collect();
        assert!(text.iter().any(|p| p.contains("gap") && p.contains("50") && p.contains("60")), "{text:?}");
        assert!(text.iter().any(|p| p.contains("overlap")), "{text:?}");
    }

    #[test]
    fn zero_must_have_a_grade() {
        // The "> 0 – 30" reading of D leaves 0 ungraded.
        let text = format!("kind = \"predikat-scale\"\nname = \"t\"\n{}{}", band("A", "above = 30", 100), band("D", "above = 0", 30));
        let Err(Error::Invalid { problems, .. }) = parse(&text) else { panic!() };
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("from = 0"));
    }
}

#[cfg(test)]
mod shipped_scales {
    use super::*;

    fn shipped(id: &str) -> PredikatScale {
        PredikatScale::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("pipelines/scales").join(format!("{id}.toml"))).unwrap()
    }

    fn grade(scale: &PredikatScale, score: &str) -> String {
        scale.grade(score.parse::<Points>().unwrap()).unwrap().predikat.clone()
    }

    /// Every boundary, just below, on and just above: bands are open below
    /// and closed above, so the boundary itself belongs to the lower grade.
    fn pin(scale: &PredikatScale, boundaries: &[(&str, &str, &str)]) {
        for (boundary, lower, upper) in boundaries {
            let b: f64 = boundary.parse().unwrap();
            assert_eq!(grade(scale, &format!("{:.2}", b - 0.01)), *lower, "just below {boundary}");
            assert_eq!(grade(scale, boundary), *lower, "on {boundary}");
            assert_eq!(grade(scale, &format!("{:.2}", b + 0.01)), *upper, "just above {boundary}");
        }
    }

    #[test]
    fn bb_scale_boundaries() {
        let s = shipped("permenpanrb-bb");
        pin(&s, &[("90.00", "A", "AA"), ("80.00", "BB", "A"), ("70.00", "B", "BB"), ("60.00", "CC", "B"), ("50.00", "C", "CC"), ("30.00", "D", "C")]);
        assert_eq!(grade(&s, "0.00"), "D");
        assert_eq!(grade(&s, "0.01"), "D");
        assert_eq!(grade(&s, "100.00"), "AA");
        assert_eq!(grade(&s, "99.99"), "AA");
        assert_eq!(grade(&s, "65.00"), "B");
        // Published figures: KPU Jawa Tengah 2024, KPU RI 2023.
        for (score, p) in [("78.10", "BB"), ("77.00", "BB"), ("75.35", "BB"), ("74.05", "BB"), ("68.71", "B")] {
            assert_eq!(grade(&s, score), p, "{score}");
        }
    }

    #[test]
    fn old_scale_without_bb_boundaries() {
        let s = shipped("lama-tanpa-bb");
        pin(&s, &[("85.00", "A", "AA"), ("75.00", "B", "A"), ("65.00", "CC", "B"), ("50.00", "C", "CC"), ("30.00", "D", "C")]);
        assert_eq!(grade(&s, "0.00"), "D");
        assert_eq!(grade(&s, "100.00"), "AA");
        // A KPU province's SAKIP 2020: 65 points = CC on this scale.
        assert_eq!(grade(&s, "65"), "CC");
        assert!(s.predikats().all(|p| p != "BB"));
    }

    #[test]
    fn scores_outside_0_to_100_have_no_grade() {
        for id in ["permenpanrb-bb", "lama-tanpa-bb"] {
            let s = shipped(id);
            for bad in [-1, -100_000, 10_001, 1_000_000] {
                let e = s.grade(Points::from_hundredths(bad)).unwrap_err();
                assert!(matches!(e, Error::ScoreOutOfRange { .. }), "{e}");
            }
        }
    }
}
