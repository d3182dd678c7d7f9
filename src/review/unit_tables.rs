//! A unit's result as typed tables ([`UnitTables`]), built once for its
//! page and its workbook, so that both list the same rows and columns. Exact points
//! become two-decimal [`Points`] only here, for showing
//! ([`crate::review::format::shown`]).

use std::sync::Arc;

use crate::exact::{Exact, Points};
use crate::messages::review as msg;
use crate::review::format::shown;
use crate::review::table::{Cell, Column, Table};
use crate::review::unit::{Line, UnitResult};
use crate::worksheet::Track;

fn column(key: &str, title: &str) -> Column {
    Column { key: key.to_string(), title: title.to_string() }
}

fn answer(a: &Option<Arc<str>>) -> Cell {
    Cell::Text(a.as_deref().unwrap_or(msg::UNANSWERED).to_string())
}

/// Each component, then its sub-components, against the maximum.
pub fn components(r: &UnitResult) -> Table {
    let mut rows = Vec::new();
    for c in &r.components {
        for part in std::iter::once(c).chain(&c.parts) {
            let share = if part.max > Exact::default() { Cell::Score(shown(part.score / part.max * Exact::from_integer(100))) } else { Cell::Empty };
            rows.push(vec![Cell::Text(part.code.clone()), Cell::Text(part.name.clone()), Cell::Score(shown(part.score)), Cell::Score(shown(part.max)), share]);
        }
    }
    Table {
        sheet: msg::sheet::COMPONENTS,
        columns: vec![column("kode", msg::col::CODE), column("nama", msg::col::PART), column("nilai", msg::col::SCORE), column("maksimum", msg::col::MAX), column("capaian_persen", msg::col::SHARE)],
        rows,
    }
}

/// The points-to-gain rows: `gains`, every criterion below full marks, the
/// most points open first ([`UnitResult::to_gain`]).
pub fn to_gain(gains: &[&Line]) -> Table {
    let rows = gains
        .iter()
        .enumerate()
        .map(|(i, l)| {
            vec![
                Cell::Int(i as i64 + 1),
                Cell::Text(l.code.clone()),
                Cell::Text(l.name.clone()),
                answer(&l.answer),
                opt_points(l.points),
                Cell::Score(shown(l.max)),
                opt_points(l.open()),
            ]
        })
        .collect();
    Table {
        sheet: msg::sheet::TO_GAIN,
        columns: vec![
            column("no", msg::col::RANK),
            column("kriteria", msg::col::CRITERION),
            column("uraian", msg::col::CRITERION_TEXT),
            column("jawaban_evaluator", msg::col::ANSWER),
            column("poin_diperoleh", msg::col::EARNED),
            column("poin_maksimum", msg::col::FULL),
            column("poin_terbuka", msg::col::OPEN),
        ],
        rows,
    }
}

fn opt_points(p: Option<Exact>) -> Cell {
    p.map_or(Cell::Empty, |p| Cell::Score(shown(p)))
}

/// Criteria the unit rated higher than the evaluator did.
pub fn over_rated(r: &UnitResult) -> Table {
    let rows = r
        .over_rated()
        .into_iter()
        .map(|l: &Line| {
            let diff = l.mandiri_points.unwrap_or_default() - l.points.unwrap_or_default();
            vec![Cell::Text(l.code.clone()), Cell::Text(l.name.clone()), answer(&l.mandiri), answer(&l.answer), Cell::Diff(shown(diff))]
        })
        .collect();
    Table {
        sheet: msg::sheet::OVER_RATED,
        columns: vec![
            column("kriteria", msg::col::CRITERION),
            column("uraian", msg::col::CRITERION_TEXT),
            column("jawaban_mandiri", msg::col::MANDIRI),
            column("jawaban_evaluator", msg::col::ANSWER),
            column("selisih_poin", msg::col::DIFFERENCE),
        ],
        rows,
    }
}

/// Criteria left unanswered, evaluator's first.
pub fn missing(r: &UnitResult) -> Table {
    let mut rows: Vec<Vec<Cell>> =
        r.missing().into_iter().map(|l| vec![Cell::Text(l.code.clone()), Cell::Text(l.name.clone()), Cell::Text(crate::review::table::track_title(Track::Evaluator.as_str()))]).collect();
    rows.extend(r.mandiri_missing.iter().map(|&i| {
        let l = &r.lines[i];
        vec![Cell::Text(l.code.clone()), Cell::Text(l.name.clone()), Cell::Text(crate::review::table::track_title(Track::Mandiri.as_str()))]
    }));
    Table {
        sheet: msg::sheet::MISSING,
        columns: vec![column("kriteria", msg::col::CRITERION), column("uraian", msg::col::CRITERION_TEXT), column("penilaian", msg::col::TRACK)],
        rows,
    }
}

/// The evaluator's notes, in rubric order.
pub fn notes(r: &UnitResult) -> Table {
    let rows = r
        .noted()
        .into_iter()
        .map(|l| {
            vec![
                Cell::Text(l.code.clone()),
                Cell::Text(l.name.clone()),
                answer(&l.answer),
                Cell::Text(l.notes.clone().unwrap_or_default()),
                l.evidence.clone().map_or(Cell::Empty, Cell::Text),
            ]
        })
        .collect();
    Table {
        sheet: msg::sheet::NOTES,
        columns: vec![
            column("kriteria", msg::col::CRITERION),
            column("uraian", msg::col::CRITERION_TEXT),
            column("jawaban_evaluator", msg::col::ANSWER),
            column("catatan", msg::col::NOTES),
            column("bukti", msg::col::EVIDENCE),
        ],
        rows,
    }
}

/// The summary as item / value rows, for the workbook's first sheet;
/// `next` is [`next_sentence`].
pub fn summary(r: &UnitResult, province_name: &str, next: &str) -> Table {
    use msg::summary as s;
    let text = |label: &str, value: String| vec![Cell::Text(label.to_string()), Cell::Text(value)];
    let score = |label: &str, value: Points| vec![Cell::Text(label.to_string()), Cell::Score(value)];
    let mut rows = vec![
        text(s::UNIT, format!("{} ({}) · {}", r.name, r.code, msg::province::place(province_name))),
        vec![Cell::Text(s::YEAR.to_string()), Cell::Int(i64::from(r.year))],
        text(s::RUBRIC, r.rubric.clone()),
        score(s::SCORE, r.score),
        vec![Cell::Text(s::PREDIKAT.to_string()), Cell::Grade(r.predikat.clone())],
    ];
    if let Some(st) = &r.standing {
        rows.push(text(s::RANK, format!("{} / {}", st.rank, st.of)));
    }
    if let Some(m) = r.mandiri_score {
        rows.push(score(s::MANDIRI, m));
    }
    if let Some(st) = &r.standing {
        if let Some(p) = st.prev_score {
            rows.push(score(s::PREV_SCORE, p));
        }
        if let Some(p) = &st.prev_predikat {
            rows.push(vec![Cell::Text(s::PREV_PREDIKAT.to_string()), Cell::Grade(p.clone())]);
        }
        if let Some(p) = st.prev_rank {
            rows.push(vec![Cell::Text(s::PREV_RANK.to_string()), Cell::Int(p)]);
        }
        if let Some(c) = st.score_change {
            rows.push(vec![Cell::Text(s::CHANGE.to_string()), Cell::Change(c)]);
        }
    }
    rows.push(score(s::OPEN, shown(r.open_total())));
    rows.push(text(s::NEXT, next.to_string()));
    Table { sheet: msg::sheet::SUMMARY, columns: vec![column("butir", s::ITEM), column("isi", s::VALUE)], rows }
}

/// "Closing the five largest gaps gives 81,40 → A", or why not; `gains`
/// as [`UnitResult::to_gain`] lists them.
pub fn next_sentence(r: &UnitResult, gains: &[&Line]) -> String {
    match r.next_grade_after(gains) {
        Some(n) => msg::next_grade(n.gaps, &crate::review::format::number(n.total), &n.predikat),
        None => msg::NEXT_GRADE_NONE.to_string(),
    }
}

/// Every table of a unit's result, and the sentence on its next predikat.
pub struct UnitTables {
    /// Item / value rows: the workbook's first sheet.
    pub summary: Table,
    /// Components and sub-components against their maximum.
    pub components: Table,
    /// Criteria below full marks, the most points open first.
    pub to_gain: Table,
    /// Criteria the unit rated higher than the evaluator did.
    pub over_rated: Table,
    /// Criteria left unanswered.
    pub missing: Table,
    /// The evaluator's notes.
    pub notes: Table,
    /// What closing the largest gaps would give ([`next_sentence`]).
    pub next: String,
}

impl UnitTables {
    /// The tables of `r`, each worked out once; the points to gain are
    /// listed (and sorted) once for their table and the next predikat.
    pub fn new(r: &UnitResult, province_name: &str) -> UnitTables {
        let gains = r.to_gain();
        let next = next_sentence(r, &gains);
        UnitTables {
            summary: summary(r, province_name, &next),
            components: components(r),
            to_gain: to_gain(&gains),
            over_rated: over_rated(r),
            missing: missing(r),
            notes: notes(r),
            next,
        }
    }

    /// The workbook's sheets, in order.
    pub fn sheets(&self) -> [&Table; 6] {
        [&self.summary, &self.components, &self.to_gain, &self.over_rated, &self.missing, &self.notes]
    }
}
