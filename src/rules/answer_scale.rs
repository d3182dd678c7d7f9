//! Answer scales: how the text in a worksheet's answer cell becomes a value.
//!
//! Templates differ between agencies and years (AA…E = 100…0, A–E = 1…0, Y/T,
//! three- and four-level variants, plain 0–100), so a scale is a file under
//! `pipelines/answer-scales/`, never code. A scale is either a list of answers
//! with their values, or a numeric range. Every value is read relative to the
//! scale's full marks (the highest answer, or the top of the range), so a rubric
//! may mix Y/T (1/0) with AA…E (100…0) and still roll up correctly.

use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Problem, Result};
use crate::exact::{format_exact, parse_decimal, Exact, RuleNumber};
use crate::rules::catalog::Catalog;
use crate::rules::read::parse_rule;

/// The `kind` an answer-scale file declares.
pub const KIND: &str = "answer-scale";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    #[serde(rename = "kind")]
    _kind: String,
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    answers: Vec<RawAnswer>,
    #[serde(default)]
    range: Option<RawRange>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAnswer {
    answer: String,
    value: RuleNumber,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    label: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRange {
    min: RuleNumber,
    max: RuleNumber,
}

/// One allowed answer of a listed scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The answer as written in the scale (`AA`, `Y`).
    pub answer: String,
    /// Other spellings accepted for it (`Ya`).
    pub aliases: Vec<String>,
    /// Its value on the scale.
    pub value: Exact,
    /// Its value as `answers.value` stores it: millionths, half up
    /// ([`crate::tables::millionths`]), worked out once for the rows read
    /// back.
    pub stored: i128,
    /// What the answer means, for people.
    pub label: Option<String>,
}

/// What the scale accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accepts {
    /// One of the listed answers, case-insensitively.
    Listed(Vec<Answer>),
    /// A number from `min` to `max` inclusive.
    Range {
        /// Lowest allowed value.
        min: Exact,
        /// Highest allowed value: full marks.
        max: Exact,
    },
}

/// A checked answer scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerScale {
    /// The file stem, used by rubrics to name the scale.
    pub id: String,
    /// Short name shown in messages (`AA–E`, `Y/T`).
    pub name: String,
    /// Longer description.
    pub description: Option<String>,
    /// The allowed answers.
    pub accepts: Accepts,
    /// The value that means full marks; values are divided by it.
    pub full_marks: Exact,
}

/// Why an answer could not be read on a scale.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffScale {
    /// The text as found.
    pub answer: String,
    /// The scale's name.
    pub scale: String,
    /// The allowed answers, as `AA=100; A=90; …` or `0..100`.
    pub allowed: String,
}

impl Catalog {
    /// Loads an answer scale by id or path.
    pub fn answer_scale(&self, id_or_path: &str) -> Result<AnswerScale> {
        let path = self.existing("answer scale", "answer-scales", id_or_path)?;
        AnswerScale::load(&path)
    }
}

impl AnswerScale {
    /// Reads and checks the scale in `path`; its id is the file stem.
    pub fn load(path: &Path) -> Result<AnswerScale> {
        let text = crate::rules::read::read(path)?;
        AnswerScale::parse(path, &text)
    }

    /// Checks scale text that came from `path`.
    pub fn parse(path: &Path, text: &str) -> Result<AnswerScale> {
        let raw: RawScale = parse_rule(path, text, KIND)?;
        let mut problems = Vec::new();
        let id = crate::rules::read::id_of(path);
        if raw.name.trim().is_empty() {
            problems.push(Problem::new("name", "must not be empty"));
        }
        let accepts = match (raw.answers.is_empty(), raw.range) {
            (false, Some(_)) => {
                problems.push(Problem::new("range", "a scale has either [[answers]] or a [range], not both"));
                None
            }
            (true, None) => {
                problems.push(Problem::new("answers", "a scale needs [[answers]] or a [range]"));
                None
            }
            (true, Some(range)) => {
                if range.min.0 >= range.max.0 {
                    problems.push(Problem::new("range", "min must be below max"));
                }
                if range.min.0 < Exact::from_integer(0) {
                    problems.push(Problem::new("range.min", "values must not be negative"));
                }
                Some(Accepts::Range { min: range.min.0, max: range.max.0 })
            }
            (false, None) => Some(Accepts::Listed(check_answers(raw.answers, &mut problems))),
        };
        if !problems.is_empty() {
            return Err(Error::Invalid { path: path.to_path_buf(), problems });
        }
        let accepts = accepts.expect("checked above");
        let full_marks = match &accepts {
            Accepts::Listed(answers) => answers.iter().map(|a| a.value).max().unwrap_or_default(),
            Accepts::Range { max, .. } => *max,
        };
        if full_marks <= Exact::from_integer(0) {
            return Err(Error::Invalid {
                path: path.to_path_buf(),
                problems: vec![Problem::new("answers", "the highest value (full marks) must be above 0")],
            });
        }
        Ok(AnswerScale { id, name: raw.name, description: raw.description, accepts, full_marks })
    }

    /// The value of `text` on this scale, or why it has none. Listed answers
    /// match case-insensitively after trimming; numbers may use a decimal comma.
    pub fn value_of(&self, text: &str) -> Result<Exact, OffScale> {
        let t = crate::text::trim(text);
        let found = match &self.accepts {
            Accepts::Listed(answers) => answers
                .iter()
                .find(|a| a.answer.eq_ignore_ascii_case(t) || a.aliases.iter().any(|x| x.eq_ignore_ascii_case(t)))
                .map(|a| a.value),
            Accepts::Range { min, max } => parse_decimal(t).filter(|v| v >= min && v <= max),
        };
        found.ok_or_else(|| OffScale { answer: t.to_string(), scale: self.name.clone(), allowed: self.allowed() })
    }

    /// A value as a share of full marks, 0..=1.
    pub fn normalise(&self, value: Exact) -> Exact {
        value / self.full_marks
    }

    /// The allowed answers as one line: `AA=100;A=90;…;E=0` or `0..100`.
    pub fn allowed(&self) -> String {
        match &self.accepts {
            Accepts::Listed(answers) => answers
                .iter()
                .map(|a| format!("{}={}", a.answer, format_exact(&a.value, 6)))
                .collect::<Vec<_>>()
                .join(";"),
            Accepts::Range { min, max } => format!("{}..{}", format_exact(min, 6), format_exact(max, 6)),
        }
    }
}

fn check_answers(raw: Vec<RawAnswer>, problems: &mut Vec<Problem>) -> Vec<Answer> {
    let mut seen: Vec<String> = Vec::new();
    let mut answers = Vec::with_capacity(raw.len());
    for (i, a) in raw.into_iter().enumerate() {
        let key = format!("answers[{i}]");
        for spelling in std::iter::once(&a.answer).chain(&a.aliases) {
            let norm = spelling.trim().to_ascii_uppercase();
            if norm.is_empty() {
                problems.push(Problem::new(&key, "an answer must not be empty"));
            } else if seen.contains(&norm) {
                problems.push(Problem::new(&key, format!("answer '{spelling}' is listed twice")));
            } else {
                seen.push(norm);
            }
        }
        if a.value.0 < Exact::from_integer(0) {
            problems.push(Problem::new(format!("{key}.value"), "values must not be negative"));
        }
        answers.push(Answer {
            answer: a.answer.trim().to_string(),
            aliases: a.aliases.iter().map(|x| x.trim().to_string()).collect(),
            value: a.value.0,
            stored: crate::tables::millionths(&a.value.0),
            label: a.label,
        });
    }
    answers
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scale(text: &str) -> Result<AnswerScale> {
        AnswerScale::parse(Path::new("answer-scales/t.toml"), text)
    }

    const AE: &str = r#"
kind = "answer-scale"
name = "A–E"
[[answers]]
answer = "A"
value = 1
[[answers]]
answer = "B"
value = 0.75
[[answers]]
answer = "C"
value = 0.5
"#;

    #[test]
    fn listed_answers_match_case_insensitively() {
        let s = scale(AE).unwrap();
        assert_eq!(s.value_of(" b "), Ok(Exact::new(3, 4)));
        assert_eq!(s.full_marks, Exact::from_integer(1));
    }

    #[test]
    fn an_answer_off_the_scale_names_the_allowed_values() {
        let s = scale(AE).unwrap();
        let e = s.value_of("Z").unwrap_err();
        assert_eq!(e.answer, "Z");
        assert_eq!(e.allowed, "A=1;B=0.75;C=0.5");
        // A blank is not a zero either.
        assert!(s.value_of("").is_err());
    }

    #[test]
    fn numeric_range_is_inclusive_and_reads_decimal_commas() {
        let s = scale("kind = \"answer-scale\"\nname = \"0–100\"\n[range]\nmin = 0\nmax = 100").unwrap();
        assert_eq!(s.value_of("87,5"), Ok(Exact::new(175, 2)));
        assert_eq!(s.value_of("100"), Ok(Exact::from_integer(100)));
        assert_eq!(s.value_of("0"), Ok(Exact::from_integer(0)));
        assert!(s.value_of("100.01").is_err());
        assert!(s.value_of("-1").is_err());
        assert!(s.value_of("AA").is_err());
    }

    #[test]
    fn duplicate_and_negative_answers_are_each_reported() {
        let e = scale("kind = \"answer-scale\"\nname = \"x\"\n[[answers]]\nanswer = \"A\"\nvalue = 1\n[[answers]]\nanswer = \"a\"\nvalue = -1").unwrap_err();
        let Error::Invalid { problems, .. } = e else { panic!("{e}") };
        assert_eq!(problems.len(), 2, "{problems:?}");
    }
}
