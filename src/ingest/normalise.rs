//! One submission file, read and checked: its rows become answers or rejects.
//!
//! This is the pure per-file step that ingest runs in parallel: it depends on
//! nothing but the file's bytes and the plan, so the same file always gives
//! the same rows whatever the thread count. Whole-file problems (unknown unit,
//! wrong year, no rubric for the year) refuse every row of the file with one
//! reason; row problems refuse that row and keep the rest.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::ingest::read::{read_submission_with, Cells, FileFormat, RawRow, RawSubmission};
use crate::ingest::read::FileProblem;
use crate::ingest::records::{AnswerExtra, AnswerFile, AnswerRecord};
use crate::registry::{canonical_code, Registry, Unit};
use crate::rejects::{RejectRecord, Rule};
use crate::rules::pipeline::Plan;
use crate::rules::rubric::{MissingPolicy, Rubric};
use crate::worksheet::{SheetBuilder, Track};

/// A file found in the inbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Path relative to the inbox, `/`-separated: `2024/5301-kupang.csv`.
    pub rel: String,
    /// The evaluation year from its folder, if it sits in one.
    pub year: Option<i32>,
    /// Modification time in nanoseconds since the epoch (for the
    /// "newest wins" duplicate policy).
    pub modified: i128,
}

/// What one file gave.
#[derive(Debug, Clone, Default)]
pub struct FileOutcome {
    /// The unit the file is for, if it could be told.
    pub unit_code: Option<String>,
    /// Whether the file was accepted as its unit's submission for the year.
    pub accepted: bool,
    /// Answer rows, including one row per missing criterion of each track
    /// the file answers.
    pub answers: Vec<AnswerRecord>,
    /// Refused rows, or one entry for a file with no readable rows.
    pub rejects: Vec<RejectRecord>,
    /// Rows read from the file: every one of them is in `answers` (with a
    /// `source_row`) or in `rejects`.
    pub rows_read: u64,
    /// Of `answers`, the rows read from the file (with a `source_row`) and
    /// the criteria without a value: counted here, where files are read in
    /// parallel, rather than over a whole year's answers on one thread.
    pub rows_answered: u64,
    /// See [`FileOutcome::rows_answered`].
    pub criteria_missing: u64,
    /// For the run summary: the file gave a unit code from the wrong side of
    /// a code change (a former code after it, a new code before it) and was
    /// taken as the unit's all the same.
    pub code_note: Option<String>,
}

/// Reads and checks one file whose bytes are `bytes`.
pub fn normalise_file(plan: &Plan, file: &SourceFile, bytes: &[u8]) -> FileOutcome {
    let mut out = FileOutcome::default();
    let Some(year) = file.year else {
        out.rejects.push(RejectRecord::file(Rule::NotInYearFolder, &file.rel, "not inside a year folder: submissions go in <inbox>/<year>/").cell("", &file.rel));
        return out;
    };
    if FileFormat::from_path(std::path::Path::new(&file.rel)).is_none() {
        out.rejects.push(RejectRecord::file(Rule::UnsupportedFormat, &file.rel, FileProblem::UnsupportedFormat.to_string()).cell("", &file.rel));
        return out;
    }
    // Text the reader makes for the rows (nothing, for a UTF-8 CSV without
    // quotes) lives here until the file's answers are made.
    let cells = Cells::new();
    let sub = match read_submission_with(std::path::Path::new(&file.rel), bytes, &plan.limits, &cells) {
        Ok(sub) => sub,
        Err(problem) => {
            let rule = match problem {
                FileProblem::Empty => Rule::Empty,
                FileProblem::Blank { .. } => Rule::Blank,
                FileProblem::MissingColumn { .. } => Rule::MissingColumn,
                FileProblem::UnsupportedFormat => Rule::UnsupportedFormat,
                FileProblem::TooLarge(_) => Rule::TooLarge,
                FileProblem::DuplicateColumn { .. } => Rule::DuplicateColumn,
                _ => Rule::Unreadable,
            };
            let column = match &problem {
                FileProblem::MissingColumn { column, .. } => *column,
                _ => "",
            };
            out.rejects.push(RejectRecord::file(rule, &file.rel, problem.to_string()).in_year(Some(year)).cell(column, ""));
            return out;
        }
    };
    out.rows_read = (sub.rows.len() + sub.bad_rows.len()) as u64;
    for bad in &sub.bad_rows {
        out.rejects.push(RejectRecord::row(Rule::UnreadableRow, &file.rel, bad.sheet.clone(), bad.row, &bad.reason).in_year(Some(year)).cell(&bad.column, &bad.value));
    }
    let submitted = submitted_code(file, &sub);
    match file_unit(plan, file, year, &sub, submitted.as_deref()) {
        Err((rule, column, value, reason)) => {
            let reject = RejectRecord::file(rule, &file.rel, reason).in_year(Some(year)).cell(column, &value);
            refuse_rows(&mut out, &sub, submitted.as_deref(), reject);
        }
        Ok((unit, note)) => {
            out.unit_code = Some(unit.code.clone());
            let submitted = submitted.as_deref();
            let refusal = |rule: Rule, reason: String| RejectRecord::file(rule, &file.rel, reason).in_year(Some(year)).of_unit(Some(unit.code.clone()), None);
            if let Err((column, value, reason)) = check_year(year, &sub) {
                refuse_rows(&mut out, &sub, submitted, refusal(Rule::YearMismatch, reason).cell(column, &value));
            } else if plan.evaluation_for(year).is_none() {
                let reason = format!("the pipeline assigns no rubric to the year {year}");
                refuse_rows(&mut out, &sub, submitted, refusal(Rule::NoRubric, reason));
            } else {
                answer_rows(plan, file, year, &unit, submitted.unwrap_or(&unit.code), &sub, &mut out);
                out.rows_answered = out.answers.iter().filter(|a| a.source_row.is_some()).count() as u64;
                out.criteria_missing = out.answers.iter().filter(|a| a.value.is_none()).count() as u64;
                out.accepted = true;
                out.code_note = note;
            }
        }
    }
    out
}

/// Refuses every readable row of a file with `reject`, one whole-file
/// refusal: each row gets its place and the unit code it gave (else the
/// file's, `submitted`).
fn refuse_rows(out: &mut FileOutcome, sub: &RawSubmission, submitted: Option<&str>, reject: RejectRecord) {
    for row in &sub.rows {
        let row_code = row.unit_code.and_then(canonical_code).or_else(|| submitted.map(str::to_string));
        let unit = reject.unit_code.clone();
        out.rejects.push(reject.clone().at(row.sheet.map(str::to_string), row.row).of_unit(unit, row_code));
    }
}

type WholeFileProblem = (Rule, &'static str, String, String);

/// The unit code a file gives, in canonical form: the one stated in it
/// (object or rows), else the one its file name starts with.
fn submitted_code(file: &SourceFile, sub: &RawSubmission) -> Option<String> {
    match stated_code(sub) {
        Some(text) => canonical_code(&text),
        None => canonical_code(file_name_code(file).trim_end_matches('.')),
    }
}

/// The unit code written in the file: its object's, else its first row's.
fn stated_code(sub: &RawSubmission) -> Option<String> {
    sub.unit_code
        .clone()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| sub.rows.iter().filter_map(|r| r.unit_code).find(|c| !c.trim().is_empty()).map(str::to_string))
}

/// The digits and dots the file name starts with (`53.01` of
/// `53.01-kupang.csv`).
fn file_name_code(file: &SourceFile) -> String {
    let file_name = file.rel.rsplit('/').next().unwrap_or(&file.rel);
    file_name.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect()
}

/// The unit a file is for, as it was in `year`: stated in the file (object
/// or rows), else named by the file name's leading code. Both must name the
/// same unit where both are given (a former and a new code of one unit do),
/// and the unit must belong to the pipeline's province in that year. With
/// the unit comes the run summary's note when the code written is from the
/// wrong side of the unit's code change.
fn file_unit(plan: &Plan, file: &SourceFile, year: i32, sub: &RawSubmission, submitted: Option<&str>) -> Result<(Unit, Option<String>), WholeFileProblem> {
    let registry = &plan.registry;
    let stated = stated_code(sub);
    let prefix = file_name_code(file);
    let from_name = canonical_code(prefix.trim_end_matches('.')).and_then(|c| registry.find(&c));
    let found = match stated {
        Some(text) => {
            let Some(code) = canonical_code(&text) else {
                return Err((Rule::UnknownUnit, "unit_code", text.clone(), format!("unit code '{text}' is not a Kemendagri code (53, 5301 or 53.01)")));
            };
            let Some(found) = registry.find(&code) else {
                return Err((Rule::UnknownUnit, "unit_code", text.clone(), format!("unit code {code} is not a KPU unit in the registry")));
            };
            if let Some(named) = from_name {
                if named.unit.code != found.unit.code {
                    return Err((
                        Rule::UnitMismatch,
                        "unit_code",
                        text.clone(),
                        format!("the file name says unit {} but the file says {}", named.unit.code, found.unit.code),
                    ));
                }
            }
            found
        }
        None => match from_name {
            Some(found) => found,
            None => {
                return Err((Rule::UnknownUnit, "unit_code", String::new(), "no unit code: add a kode_satker column or start the file name with the unit code".to_string()));
            }
        },
    };
    let Some(unit) = registry.in_year(found.unit, year) else {
        let formed = registry.province_formed(&found.unit.code).unwrap_or(year);
        return Err((
            Rule::UnitNotFormed,
            "unit_code",
            found.unit.code.clone(),
            format!("unit {} ({}) has no evaluation for {year}: its province was formed for the {formed} evaluation", found.unit.code, found.unit.name),
        ));
    };
    if let Some(province) = &plan.province {
        if unit.province_code != *province || unit.code == crate::registry::NATIONAL {
            let name = registry.province_name(province).unwrap_or(province);
            return Err((
                Rule::OtherProvince,
                "unit_code",
                unit.code.clone(),
                format!("unit {} ({}) is not a KPU unit of province {province} ({name})", unit.code, unit.name),
            ));
        }
    }
    let note = found.change.filter(|_| found.out_of_time(year)).map(|change| code_note(registry, file, &unit, submitted.unwrap_or(&unit.code), change));
    Ok((unit, note))
}

/// The summary's line for a file whose code is from the wrong side of its
/// unit's code change: what was written, and under which code and province
/// the file was stored.
fn code_note(registry: &Registry, file: &SourceFile, unit: &Unit, submitted: &str, change: &crate::registry::history::CodeChange) -> String {
    let side = if submitted == change.old_code { "former code, replaced" } else { "new code, in use" };
    let province = registry.province_name(&unit.province_code).unwrap_or(&unit.province_code);
    format!(
        "{}: {submitted} is the {side} from {}; stored as {} {} in province {} ({province})",
        file.rel, change.from_year, unit.code, unit.name, unit.province_code
    )
}

/// Every year the file states must be its folder's year.
fn check_year(year: i32, sub: &RawSubmission) -> Result<(), (&'static str, String, String)> {
    let stated = sub.year.iter().map(String::as_str).chain(sub.rows.iter().filter_map(|r| r.year));
    for text in stated {
        let t = crate::text::trim(text);
        if t.is_empty() {
            continue;
        }
        if t.parse::<i32>().ok() != Some(year) {
            return Err(("year", t.to_string(), format!("the file says year '{t}' but sits in the {year} folder")));
        }
    }
    Ok(())
}

/// Turns the rows of an accepted file into answers and row rejects, then adds
/// one missing row for each criterion a track left out.
fn answer_rows(plan: &Plan, file: &SourceFile, year: i32, unit: &Unit, submitted: &str, sub: &RawSubmission, out: &mut FileOutcome) {
    let evaluation = plan.evaluation_for(year).expect("checked by the caller");
    let rubric = &evaluation.rubric;
    // Per track: the worksheet, which criteria it mentions, and, when the
    // rubric refuses an incomplete worksheet, the rows it took (to refuse
    // them all) and which criteria they answered.
    let mut sheets: BTreeMap<Track, (SheetBuilder<'_>, Vec<bool>)> = BTreeMap::new();
    let mut taken: BTreeMap<Track, (Vec<&RawRow>, Vec<bool>)> = BTreeMap::new();
    let refuse_incomplete_sheets = rubric.missing == MissingPolicy::Reject;
    let shared = Shared::new(year, rubric, unit, submitted, file);
    // A workbook's rows share a handful of sheet names.
    let mut sheet_name: Option<Arc<str>> = None;
    // And draws its answers from a scale of a few values.
    let mut answers_seen: Vec<Arc<str>> = Vec::new();
    let reject = |row: &RawRow, rule: Rule, column: &str, value: &str, reason: String| {
        let row_code = row.unit_code.and_then(canonical_code).or_else(|| Some(submitted.to_string()));
        RejectRecord::row(rule, &file.rel, row.sheet.map(str::to_string), row.row, reason)
            .in_year(Some(year))
            .of_unit(Some(unit.code.clone()), row_code)
            .cell(column, value)
    };
    // Sized once: a vector grown by doubling would hold up to twice the
    // file's rows until the year is written.
    out.answers.reserve_exact(sub.rows.len());
    // The last way of writing the unit's code a row used: the rows of a file
    // nearly always repeat it, and the same text needs no parsing again.
    let mut known: &str = &unit.code;
    for row in &sub.rows {
        if let Some(code) = row.unit_code.filter(|c| !crate::text::trim(c).is_empty()) {
            // A former and a new code name the same unit; the registry is
            // asked only when the code is not the unit's own, as it nearly
            // always is.
            let same = crate::text::same(code.as_bytes(), known.as_bytes()) || {
                let same = crate::registry::writes_code(code, &unit.code) || plan.registry.find(code).is_some_and(|f| f.unit.code == unit.code);
                if same {
                    known = code;
                }
                same
            };
            if !same {
                out.rejects.push(reject(row, Rule::UnitMismatch, "unit_code", code, format!("row names unit '{code}' but the file is for unit {}", unit.code)));
                continue;
            }
        }
        let track_text = row.track.or(sub.track.as_deref()).unwrap_or("");
        let Some(track) = Track::parse(track_text) else {
            out.rejects.push(reject(row, Rule::UnknownTrack, "track", track_text, format!("track '{track_text}' is neither 'mandiri' nor 'evaluator'")));
            continue;
        };
        let (sheet, seen) = sheets.entry(track).or_insert_with(|| (SheetBuilder::new(rubric), vec![false; rubric.criteria.len()]));
        match sheet.add(row.row, row.criterion, row.answer) {
            Ok((index, value)) => {
                seen[index] = true;
                if refuse_incomplete_sheets {
                    let (rows, answered) = taken.entry(track).or_insert_with(|| (Vec::new(), vec![false; rubric.criteria.len()]));
                    rows.push(row);
                    answered[index] = value.is_some();
                }
                if row.sheet != sheet_name.as_deref() {
                    sheet_name = row.sheet.map(Arc::from);
                }
                let answer = value.map(|_| shared_text(&mut answers_seen, crate::text::trim(row.answer)));
                out.answers.push(shared.record(track, index, row, sheet_name.as_ref(), answer, value));
            }
            Err(problem) => {
                out.rejects.push(reject(row, Rule::of_row(&problem), problem.column(), problem.value(), problem.reason()));
            }
        }
    }
    if refuse_incomplete_sheets {
        refuse_incomplete(rubric, &mut sheets, &taken, out, |row, codes, track| {
            reject(row, Rule::Incomplete, "criterion", codes, format!("the {} worksheet is incomplete: criteria {} are not answered, and rubric {} scores no incomplete worksheet (missing = \"reject\")", track.as_str(), codes.replace(';', ", "), rubric.id))
        });
    }
    out.answers.reserve_exact(sheets.values().map(|(_, seen)| seen.iter().filter(|s| !**s).count()).sum());
    for (track, (_, seen)) in &sheets {
        for (index, _) in seen.iter().enumerate().filter(|(_, s)| !**s) {
            let mut missing = shared.record(*track, index, &RawRow::default(), None, None, None);
            missing.source_row = None;
            out.answers.push(missing);
        }
    }
    // In warehouse order (a file is one unit of one year), so that merging
    // the year's files needs no sort of their rows.
    out.answers.sort_by_key(|a| (a.track, a.criterion_index));
}

/// Under `missing = "reject"`, a track whose worksheet leaves a criterion
/// unanswered (blank or not mentioned) is not scored: every row it took is
/// refused with the codes it left out, and no missing rows are added for it.
fn refuse_incomplete<'r>(
    rubric: &Rubric,
    sheets: &mut BTreeMap<Track, (SheetBuilder<'_>, Vec<bool>)>,
    taken: &BTreeMap<Track, (Vec<&'r RawRow>, Vec<bool>)>,
    out: &mut FileOutcome,
    reject: impl Fn(&RawRow, &str, Track) -> RejectRecord,
) {
    let tracks: Vec<Track> = sheets.keys().copied().collect();
    for track in tracks {
        let (rows, answered) = match taken.get(&track) {
            Some((rows, answered)) => (rows.as_slice(), answered.as_slice()),
            None => (&[][..], &[][..]),
        };
        let unanswered: Vec<&str> =
            rubric.criteria.iter().enumerate().filter(|(i, _)| !answered.get(*i).copied().unwrap_or(false)).map(|(_, c)| c.code.as_str()).collect();
        if unanswered.is_empty() {
            continue;
        }
        let codes = unanswered.join(";");
        out.answers.retain(|a| a.track != track);
        out.rejects.extend(rows.iter().map(|row| reject(row, &codes, track)));
        sheets.remove(&track);
    }
}

/// `text` as an answer an earlier row of the file gave (`seen`, up to 16
/// distinct answers), or as a new shared text: one allocation per distinct
/// answer of a file rather than one per row.
fn shared_text(seen: &mut Vec<Arc<str>>, text: &str) -> Arc<str> {
    if let Some(known) = seen.iter().find(|t| crate::text::same(t.as_bytes(), text.as_bytes())) {
        return Arc::clone(known);
    }
    let new: Arc<str> = Arc::from(text);
    if seen.len() < 16 {
        seen.push(Arc::clone(&new));
    }
    new
}

/// The part every answer row of one file shares, made once per file.
struct Shared(Arc<AnswerFile>);

impl Shared {
    fn new(year: i32, rubric: &crate::rules::rubric::Rubric, unit: &Unit, submitted: &str, file: &SourceFile) -> Shared {
        Shared(Arc::new(AnswerFile {
            year,
            province_code: unit.province_code.clone(),
            unit_code: unit.code.clone(),
            unit_name: unit.name.clone(),
            submitted_code: submitted.to_string(),
            rubric: rubric.id.clone(),
            source_file: file.rel.clone(),
        }))
    }

    fn record(&self, track: Track, index: usize, row: &RawRow, sheet: Option<&Arc<str>>, answer: Option<Arc<str>>, value: Option<crate::Exact>) -> AnswerRecord {
        AnswerRecord {
            file: Arc::clone(&self.0),
            track,
            criterion_index: index,
            answer,
            value,
            source_row: Some(row.row),
            extra: AnswerExtra::of(sheet, row.notes, row.evidence),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_text_is_shared_with_the_same_answer_and_never_another() {
        // Twenty distinct answers, "0" to "19", each given twice: on its
        // second use each of the first 16 is the text made for its first
        // use; the four beyond the cap get a text of their own each time.
        // Every text reads as the answer given.
        let mut seen = Vec::new();
        let answers: Vec<String> = (0..20).map(|n| n.to_string()).collect();
        let first: Vec<Arc<str>> = answers.iter().map(|a| shared_text(&mut seen, a)).collect();
        let second: Vec<Arc<str>> = answers.iter().map(|a| shared_text(&mut seen, a)).collect();
        for (i, answer) in answers.iter().enumerate() {
            assert_eq!((&*first[i], &*second[i]), (answer.as_str(), answer.as_str()));
            assert_eq!(Arc::ptr_eq(&first[i], &second[i]), i < 16, "answer {answer}");
        }
    }
}
