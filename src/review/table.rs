//! The review's tables, typed, built once for all three writers.
//!
//! Each table knows its sheet name, its columns (a machine key for the CSV,
//! an Indonesian title for people) and typed cells, so that the CSV writes
//! `90.00`, the workbook a number formatted `0.00`, and the page `90,00` —
//! from one definition, so the three can never list different columns.

use crate::exact::Points;
use crate::messages::review::province::{self as prov, col as C};
use crate::messages::review as msg;
use crate::review::data::{Reject, Review};
use crate::review::format::shown;
use crate::review::unit::Loss;
use crate::worksheet::Track;

/// One cell, typed so that each writer formats it its own way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Nothing (NULL).
    Empty,
    /// Text from the data: neutralised in CSV and workbook, escaped in HTML.
    Text(String),
    /// A count or a rank.
    Int(i64),
    /// A score.
    Score(Points),
    /// A score change since last year, shown with its sign (and, on the
    /// page, coloured: up is good).
    Change(Points),
    /// A difference of two scores, shown with its sign but not judged.
    Diff(Points),
    /// A change of rank, shown with its sign (positive: places gained).
    Step(i64),
    /// A predikat, coloured by its grade.
    Grade(String),
    /// Text that opens another page (a unit's result): the text, and the
    /// page relative to the review folder without extension. The page links
    /// it; CSV and workbook show the text.
    Link(String, String),
}

impl Cell {
    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

/// A column: its CSV key and its title for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Machine name, `snake_case` (CSV header).
    pub key: String,
    /// Title shown in the workbook and on the page.
    pub title: String,
}

fn column((key, title): (&str, &str)) -> Column {
    Column { key: key.to_string(), title: title.to_string() }
}

/// A titled table of typed cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The workbook sheet name.
    pub sheet: &'static str,
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

/// Sheet names, in workbook order.
pub const SHEETS: [&str; 6] = prov::SHEETS;

/// `Perencanaan Kinerja` → `perencanaan_kinerja`, for a CSV header.
fn key_of(name: &str) -> String {
    let mut key = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            key.push(c);
        } else if !key.is_empty() && !key.ends_with('_') {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_string()
}

fn opt<T>(value: Option<T>, cell: impl Fn(T) -> Cell) -> Cell {
    value.map_or(Cell::Empty, cell)
}

/// The ranking: one row per unit, by rank.
pub fn ranking(review: &Review) -> Table {
    let mut columns = vec![column(C::RANK), column(C::UNIT_CODE), column(C::UNIT_NAME), column(C::SCORE), column(C::PREDIKAT)];
    for c in &review.components {
        let mut key = key_of(&c.name);
        // A component without a usable name, or two with one name, still
        // get distinct headers.
        if key.is_empty() || columns.iter().any(|col| col.key == key) {
            key = format!("komponen_{}", key_of(&c.code));
        }
        columns.push(Column { key, title: c.name.clone() });
    }
    columns.extend([
        column(C::PREV_SCORE),
        column(C::SCORE_CHANGE),
        column(C::RANK_CHANGE),
        column(C::PREV_PREDIKAT),
    ]);
    let rows = review
        .units
        .iter()
        .map(|u| {
            let name = match review.unit_pages.get(&u.code) {
                Some(page) => Cell::Link(u.name.clone(), page.clone()),
                None => Cell::text(&u.name),
            };
            let mut row = vec![Cell::Int(u.rank), Cell::text(&u.code), name, Cell::Score(u.score), Cell::Grade(u.predikat.clone())];
            row.extend(u.components.iter().map(|c| opt(*c, Cell::Score)));
            row.extend([opt(u.prev_score, Cell::Score), opt(u.score_change, Cell::Change), opt(u.rank_change, Cell::Step), opt(u.prev_predikat.clone(), Cell::Grade)]);
            row
        })
        .collect();
    Table { sheet: SHEETS[0], columns, rows }
}

/// How many units earned each predikat, best first.
pub fn distribution(review: &Review) -> Table {
    let rows = review
        .scale
        .bands
        .iter()
        .map(|b| {
            let n = review.units.iter().filter(|u| u.predikat == b.predikat).count();
            vec![Cell::Grade(b.predikat.clone()), Cell::Text(b.range_text()), opt(b.label.clone(), Cell::Text), Cell::Int(n as i64)]
        })
        .collect();
    Table {
        sheet: SHEETS[1],
        columns: vec![column(C::PREDIKAT), column(C::RANGE), column(C::LABEL), column(C::UNITS)],
        rows,
    }
}

/// Units of the province the evaluator has not scored this year.
pub fn not_submitted(review: &Review) -> Table {
    Table {
        sheet: SHEETS[2],
        columns: vec![column(C::UNIT_CODE), column(C::UNIT_NAME)],
        rows: review.not_submitted.iter().map(|u| vec![Cell::text(&u.code), Cell::text(&u.name)]).collect(),
    }
}

/// The assessment track as people call it.
pub fn track_title(track: &str) -> String {
    match Track::stored(track) {
        Some(Track::Mandiri) => prov::TRACK_MANDIRI.to_string(),
        Some(Track::Evaluator) => prov::TRACK_EVALUATOR.to_string(),
        None => track.to_string(),
    }
}

/// Worksheets scored with unanswered criteria.
pub fn incomplete(review: &Review) -> Table {
    Table {
        sheet: SHEETS[3],
        columns: vec![column(C::UNIT_CODE), column(C::UNIT_NAME), column(C::TRACK), column(C::COUNT), column(C::CRITERIA)],
        rows: review
            .incomplete
            .iter()
            .map(|i| vec![Cell::text(&i.unit.code), Cell::text(&i.unit.name), Cell::Text(track_title(&i.track)), Cell::Int(i.count), Cell::Text(i.criteria.join(", "))])
            .collect(),
    }
}

/// Self-assessment against the evaluator, largest over-rating first.
pub fn gaps(review: &Review) -> Table {
    Table {
        sheet: SHEETS[4],
        columns: vec![
            column(C::UNIT_CODE),
            column(C::UNIT_NAME),
            column(C::MANDIRI),
            column(C::EVALUATOR),
            column(C::DIFFERENCE),
        ],
        rows: review
            .gaps
            .iter()
            .map(|g| vec![Cell::text(&g.unit.code), Cell::text(&g.unit.name), Cell::Score(g.mandiri), Cell::Score(g.evaluator), Cell::Diff(g.difference)])
            .collect(),
    }
}

fn reject_columns() -> Vec<Column> {
    vec![
        column(C::FILE),
        column(C::SHEET),
        column(C::ROW),
        column(C::COLUMN),
        column(C::SCORE),
        column(C::REASON),
        column(C::RULE),
    ]
}

/// Every refused row and file, one row each.
pub fn rejects(review: &Review) -> Table {
    let rows = review
        .rejects
        .iter()
        .map(|r| vec![Cell::text(&r.file), opt(r.sheet.clone(), Cell::Text), opt(r.row, Cell::Int), Cell::text(&r.column), Cell::text(&r.value), Cell::text(&r.alasan), Cell::text(&r.rule)])
        .collect();
    Table { sheet: SHEETS[5], columns: reject_columns(), rows }
}

/// The rejects for reading on a screen: consecutive rows of one file refused
/// for one reason are one line (`2–161`, 160 rows), so a refused file is a
/// line, not a page. The column and value at fault are left to the workbook:
/// every reason already names them, and a phone has no room for both.
pub fn rejects_summary(review: &Review) -> Table {
    // (first row of the run, last row number, rows in the run)
    let mut groups: Vec<(&Reject, Option<i64>, usize)> = Vec::new();
    for r in &review.rejects {
        if let Some((first, last, n)) = groups.last_mut() {
            let same = first.file == r.file && first.sheet == r.sheet && first.column == r.column && first.value == r.value && first.rule == r.rule && first.reason == r.reason;
            if same {
                *last = r.row.or(*last);
                *n += 1;
                continue;
            }
        }
        groups.push((r, r.row, 1));
    }
    let rows = groups
        .into_iter()
        .map(|(r, last, n)| {
            let file = match &r.sheet {
                Some(sheet) => format!("{} › {sheet}", r.file),
                None => r.file.clone(),
            };
            let rows = match (r.row, last) {
                (Some(a), Some(b)) if n > 1 => Cell::Text(prov::row_run(a, b, n)),
                (Some(a), _) => Cell::Int(a),
                _ => Cell::Empty,
            };
            vec![Cell::Text(file), rows, Cell::text(&r.alasan), Cell::text(&r.rule)]
        })
        .collect();
    Table { sheet: SHEETS[5], columns: vec![column(C::FILE), column(C::ROW), column(C::REASON), column(C::RULE)], rows }
}

/// The criteria that lose the most points province-wide (from the units'
/// results, [`crate::review::unit::losses`]).
pub fn losses(list: &[Loss]) -> Table {
    let rows = list
        .iter()
        .enumerate()
        .map(|(i, l)| vec![Cell::Int(i as i64 + 1), Cell::Text(l.code.clone()), Cell::Text(l.name.clone()), Cell::Int(l.units as i64), Cell::Score(shown(l.open))])
        .collect();
    Table {
        sheet: msg::sheet::LOSSES,
        columns: vec![
            column(("no", msg::col::RANK)),
            column(("kriteria", msg::col::CRITERION)),
            column(("uraian", msg::col::CRITERION_TEXT)),
            column(("satker_di_bawah_nilai_penuh", msg::col::UNITS_BELOW)),
            column(("total_poin_terbuka", msg::col::OPEN_TOTAL)),
        ],
        rows,
    }
}

/// Every table of the workbook, in sheet order.
pub fn all(review: &Review) -> Vec<Table> {
    vec![ranking(review), distribution(review), not_submitted(review), incomplete(review), gaps(review), rejects(review), losses(&review.losses)]
}

#[cfg(test)]
mod tests {
    use super::key_of;

    #[test]
    fn component_names_become_csv_keys() {
        assert_eq!(key_of("Perencanaan Kinerja"), "perencanaan_kinerja");
        assert_eq!(key_of("Evaluasi Akuntabilitas Kinerja Internal"), "evaluasi_akuntabilitas_kinerja_internal");
        assert_eq!(key_of(" Capaian (Kinerja) "), "capaian_kinerja");
        assert_eq!(key_of("—"), "");
    }
}
