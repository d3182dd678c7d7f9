//! A unit's result as typed tables, built once for its page and its
//! workbook, so that both list the same rows and columns. Exact points
//! become two-decimal [`Points`] only here, for showing
//! ([`crate::review::format::shown`]).

use crate::exact::{Exact, Points};
use crate::messages::review as msg;
use crate::review::format::shown;
use crate::review::table::{Cell, Column, Table};
use crate::review::unit::{Line, UnitResult};
use crate::worksheet::Track;

fn column(key: &str, title: &str) -> Column {
    Column { key: key.to_string(), title: title.to_string() }
}

fn answer(a: &Option<String>) -> Cell {
    Cell::Text(a.clone().unwrap_or_else(|| msg::UNANSWERED.to_string()))
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

/// The points-to-gain rows: every criterion below full marks, the most
/// points open first.
pub fn to_gain(r: &UnitResult) -> Table {
    let rows = r
        .to_gain()
        .into_iter()
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

/// The summary as item / value rows, for the workbook's first sheet.
pub fn summary(r: &UnitResult, province_name: &str) -> Table {
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
    rows.push(text(s::NEXT, next_sentence(r)));
    Table { sheet: msg::sheet::SUMMARY, columns: vec![column("butir", s::ITEM), column("isi", s::VALUE)], rows }
}

/// "Closing the five largest gaps gives 81,40 → A", or why not.
pub fn next_sentence(r: &UnitResult) -> String {
    match r.next_grade() {
        Some(n) => msg::next_grade(n.gaps, &crate::review::format::number(n.total), &n.predikat),
        None => msg::NEXT_GRADE_NONE.to_string(),
    }
}

/// Every table of a unit's workbook, in sheet order.
pub fn all(r: &UnitResult, province_name: &str) -> Vec<Table> {
    vec![summary(r, province_name), components(r), to_gain(r), over_rated(r), missing(r), notes(r)]
}
