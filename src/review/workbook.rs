//! `review.xlsx`: the review as a workbook, one sheet per table.
//!
//! Scores are numbers (formatted `0.00`), not text, so planners can sort and
//! sum them; text is neutralised (see [`super::safe`]); every sheet freezes
//! its header row and has a filter; predikat cells are coloured by real
//! conditional formatting, so a grade typed in later is coloured too. The
//! document's creation time is fixed, not "now": the same warehouse always
//! gives the same bytes, so a changed file means changed figures.

use std::borrow::Borrow;
use std::path::Path;

use crate::error::Result;
use crate::review::colors;
use crate::review::data::Review;
use crate::review::safe::neutralise;
use crate::review::table::{Cell, Table};
use crate::review::unit::UnitResult;
use crate::review::xlsx::{self, Highlight, Properties, Sheet, Style};
use crate::rules::predikat::PredikatScale;

/// Narrowest and widest column, in Excel's character units.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

/// Writes the tables of `review` to `path`.
pub fn write(review: &Review, tables: &[Table], path: &Path) -> Result<()> {
    let title = crate::messages::review::province::title(review.year, &crate::messages::review::province::place(&review.province_name));
    write_tables(&title, &review.pipeline, review.year, &review.scale, tables, path)
}

/// Writes a unit's result (see [`super::unit_tables`]) to `path`.
pub fn write_unit(result: &UnitResult, tables: &[&Table], path: &Path) -> Result<()> {
    let title = format!("{} {} — {}", crate::messages::review::UNIT_EYEBROW, result.year, result.name);
    write_tables(&title, &result.rubric, result.year, &result.scale, tables, path)
}

/// Writes `tables` as the sheets of one workbook; its properties carry
/// `title` and `subject` and a creation date fixed by the `year`.
fn write_tables<T: Borrow<Table>>(title: &str, subject: &str, year: i32, scale: &PredikatScale, tables: &[T], path: &Path) -> Result<()> {
    let highlights: Vec<Highlight> =
        scale.predikats().zip(colors::grades(scale.bands.len())).map(|(p, c)| Highlight { text: p.to_string(), fill: c.0, ink: c.ink().0 }).collect();
    let sheets = tables.iter().map(|t| sheet(t.borrow())).collect::<Result<Vec<_>>>()?;
    xlsx::save(&Properties { title, subject, year }, &highlights, sheets, path)
}

/// One table as a sheet: the header row, then a row per table row.
fn sheet(table: &Table) -> Result<Sheet> {
    let mut sheet = Sheet::new(table.sheet)?;
    let mut header_lines = 1;
    for (c, column) in table.columns.iter().enumerate() {
        let content = table.rows.iter().filter_map(|row| row.get(c)).map(shown_width).max().unwrap_or(0);
        // The header wraps, so its longest word (plus the filter button)
        // sets the floor, not the whole title.
        let word = column.title.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0) + 3;
        let width = content.max(word).clamp(MIN_WIDTH, MAX_WIDTH) + 1;
        header_lines = header_lines.max(column.title.chars().count().div_ceil(width.saturating_sub(3).max(1)));
        sheet.column_width(c as u16, width as f64);
    }
    // Excel does not grow a wrapped header row by itself.
    sheet.row(0, Some(15.0 * header_lines as f64 + 2.0));
    for (c, column) in table.columns.iter().enumerate() {
        sheet.text(c as u16, &column.title, Style::Header);
    }
    for (r, row) in table.rows.iter().enumerate() {
        sheet.row(r as u32 + 1, None);
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Empty => {}
                Cell::Text(s) | Cell::Grade(s) | Cell::Link(s, _) => sheet.text(c, &neutralise(s), Style::General),
                Cell::Int(n) => sheet.integer(c, *n, Style::General),
                // Excel holds doubles; the nearest one to a two-decimal
                // value displays as that value under `0.00`.
                Cell::Score(p) => sheet.points(c, *p, Style::Score),
                Cell::Change(p) | Cell::Diff(p) => sheet.points(c, *p, Style::Change),
                Cell::Step(n) => sheet.integer(c, *n, Style::Step),
            }
        }
    }
    let last_row = table.rows.len() as u32;
    if last_row > 0 {
        sheet.filter(last_row, table.columns.len().saturating_sub(1) as u16);
        for c in (0..table.columns.len()).filter(|c| table.rows.iter().any(|row| matches!(row.get(*c), Some(Cell::Grade(_))))) {
            sheet.highlight(c as u16, 1, last_row);
        }
    }
    Ok(sheet)
}

/// Characters a cell takes on screen, for the column width.
fn shown_width(cell: &Cell) -> usize {
    match cell {
        Cell::Empty => 0,
        Cell::Text(s) | Cell::Grade(s) | Cell::Link(s, _) => neutralise(s).chars().count(),
        Cell::Int(n) | Cell::Step(n) => crate::exact::decimal_len(*n) + 1,
        Cell::Score(p) | Cell::Change(p) | Cell::Diff(p) => p.shown_len() + 1,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::io::Read;

    use super::*;
    use crate::exact::Points;
    use crate::review::table::Column;

    fn part(zip: &mut zip::ZipArchive<std::fs::File>, name: &str) -> String {
        let mut text = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        text
    }

    /// The value of `attr="…"` inside `tag`.
    fn attr<'a>(tag: &'a str, attr: &str) -> Option<&'a str> {
        let start = tag.find(&format!(" {attr}=\""))? + attr.len() + 3;
        Some(&tag[start..start + tag[start..].find('"')?])
    }

    /// Each cell's number format code, by reference ("B2"): the cell's
    /// style `s` indexes `cellXfs`, whose `numFmtId` is Excel's built-in 2
    /// ("0.00") or one declared under `numFmts`. A cell without a style
    /// shows "General".
    fn number_formats(path: &Path) -> BTreeMap<String, String> {
        let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
        let styles = part(&mut zip, "xl/styles.xml");
        let mut codes: BTreeMap<String, String> = BTreeMap::from([("0".to_string(), "General".to_string()), ("2".to_string(), "0.00".to_string())]);
        for tag in styles.split("<numFmt ").skip(1) {
            codes.insert(attr(&format!(" {tag}"), "numFmtId").unwrap().to_string(), attr(&format!(" {tag}"), "formatCode").unwrap().to_string());
        }
        let xfs = &styles[styles.find("<cellXfs").unwrap()..styles.find("</cellXfs>").unwrap()];
        let xf_codes: Vec<String> = xfs.split("<xf ").skip(1).map(|tag| codes[attr(&format!(" {tag}"), "numFmtId").unwrap()].clone()).collect();
        let sheet = part(&mut zip, "xl/worksheets/sheet1.xml");
        sheet
            .split("<c ")
            .skip(1)
            .map(|tag| {
                let tag = format!(" {}", &tag[..tag.find('>').unwrap()]);
                let style = attr(&tag, "s").map_or(0, |s| s.parse::<usize>().unwrap());
                (attr(&tag, "r").unwrap().to_string(), xf_codes[style].clone())
            })
            .collect()
    }

    #[test]
    fn every_number_keeps_its_format_across_runs_gaps_and_mixed_columns() {
        let col = |k: &str| Column { key: k.to_string(), title: k.to_string() };
        let score = |h: i64| Cell::Score(Points::from_hundredths(h));
        // Column A: a run of scores, a gap, a score, a change, a step; a
        // run broken by a gap or by a change must not carry the format on.
        // Column B: text, then scores and changes alternating.
        let rows = vec![
            vec![score(9000), Cell::Text("x".into())],
            vec![score(8050), score(100)],
            vec![Cell::Empty, Cell::Change(Points::from_hundredths(-25))],
            vec![score(7000), score(200)],
            vec![Cell::Change(Points::from_hundredths(310)), Cell::Int(4)],
            vec![Cell::Step(-2), Cell::Step(3)],
        ];
        let table = Table { sheet: "Uji", columns: vec![col("a"), col("b")], rows };
        let dir = std::env::temp_dir().join(format!("sakip-workbook-formats-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("t.xlsx");
        let scale = PredikatScale::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("pipelines/scales/permenpanrb-bb.toml")).unwrap();
        write_tables("t", "t", 2024, &scale, &[table], &path).unwrap();
        let got = number_formats(&path);
        std::fs::remove_dir_all(&dir).unwrap();
        // By hand, from the rows above (row 1 is the header).
        let (s, c, st, g) = ("0.00", "+0.00;-0.00;0.00", "+0;-0;0", "General");
        let want: BTreeMap<String, String> = [
            ("A2", s), ("A3", s), ("A5", s), ("A6", c), ("A7", st),
            ("B2", g), ("B3", s), ("B4", c), ("B5", s), ("B6", g), ("B7", st),
        ]
        .into_iter()
        .map(|(r, f)| (r.to_string(), f.to_string()))
        .collect();
        let got: BTreeMap<String, String> = got.into_iter().filter(|(r, _)| !r.ends_with('1') || r.len() > 2).collect();
        assert_eq!(got, want);
    }
}
