//! Finding the known fields in a header row and cutting each row of cells
//! into a [`RawRow`]: the part of reading CSV and spreadsheet files that does
//! not depend on the format. Header names are judged here (missing, repeated,
//! per-track beside a track column); cells are not.

use crate::rules::limits::Limits;
use super::{
    clip, normalize_header, BadRow, Field, FileProblem, RawRow, FIELD_COUNT, JUDGED, TRACK_COLUMNS,
};

/// Where each known field sits in a header row.
#[derive(Debug, Clone)]
pub(super) struct Columns {
    index: [Option<usize>; FIELD_COUNT],
    pub(super) headers: Vec<String>,
    /// The first judged field whose header appears twice, spelt the same
    /// (after normalising): the field and both columns.
    duplicate: Option<(Field, usize, usize)>,
}

impl Columns {
    /// Maps a header row; a field named twice keeps its first column (see
    /// [`Columns::duplicated`] for when that is refused instead).
    pub(super) fn locate(headers: &[String]) -> Columns {
        let mut index = [None; FIELD_COUNT];
        let mut duplicate = None;
        for (col, header) in headers.iter().enumerate() {
            if let Some(field) = Field::for_header(header) {
                let slot = &mut index[field as usize];
                match *slot {
                    None => *slot = Some(col),
                    // A different alias ("Nilai" beside "Jawaban") is usually
                    // a derived column and the first is the one meant; the
                    // very same header twice is usually the two tracks.
                    Some(first)
                        if duplicate.is_none()
                            && JUDGED.contains(&field)
                            && headers.get(first).map(|h| normalize_header(h)) == Some(normalize_header(header)) =>
                    {
                        duplicate = Some((field, first, col));
                    }
                    Some(_) => {}
                }
            }
        }
        let headers = headers
            .iter()
            .map(|h| {
                h.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                    .to_string()
            })
            .collect();
        Columns { index, headers, duplicate }
    }

    /// The problem with a header that names a judged field twice, if it
    /// does; `place` says where a column is ("column 3", "column F").
    pub(super) fn duplicated(&self, place: impl Fn(usize) -> String) -> Option<FileProblem> {
        let (field, first, second) = self.duplicate?;
        Some(FileProblem::DuplicateColumn {
            column: field.name(),
            header: clip(self.headers.get(first).map_or("", String::as_str)),
            first: place(first),
            second: place(second),
        })
    }

    /// The first cell of `cells` the reader takes a value from that is over
    /// `limits.max_cell_bytes`, as (its column's header, its text). Cells of
    /// columns no field maps are never kept, so their length does not matter.
    pub(super) fn too_long<'c>(&self, cells: &'c [String], limits: &Limits) -> Option<(String, &'c str)> {
        self.too_long_in(|i| cells.get(i).map(String::as_str), limits)
    }

    /// [`Columns::too_long`] of a row whose cell `i` is `cell(i)` (`None`
    /// past its end).
    pub(super) fn too_long_in<'c>(&self, cell: impl Fn(usize) -> Option<&'c str>, limits: &Limits) -> Option<(String, &'c str)> {
        Field::ALL
            .iter()
            .filter_map(|f| self.get(*f))
            .filter_map(|i| cell(i).map(|c| (i, c)))
            .find(|(_, c)| c.len() as u64 > limits.max_cell_bytes)
            .map(|(i, c)| (self.headers.get(i).cloned().unwrap_or_default(), c))
    }

    pub(super) fn get(&self, field: Field) -> Option<usize> {
        self.index[field as usize]
    }

    /// The header as the file spells it, for messages about that column.
    pub(super) fn header(&self, field: Field) -> String {
        self.get(field)
            .and_then(|i| self.headers.get(i))
            .cloned()
            .unwrap_or_else(|| field.name().to_string())
    }

    /// The problem with a header row lacking a required column, if any.
    pub(super) fn missing_required(&self, required: &[Field]) -> Option<FileProblem> {
        let field = required.iter().copied().find(|f| self.get(*f).is_none())?;
        Some(FileProblem::MissingColumn {
            column: field.name(),
            accepted: field.aliases().join(", "),
            found: header_list(&self.headers),
        })
    }

    /// Whether the header has one answer column per track (the layout
    /// `sakip template` writes) rather than one answer column.
    pub(super) fn per_track(&self) -> bool {
        TRACK_COLUMNS.iter().any(|(_, answer, _)| self.get(*answer).is_some())
    }

    /// Whether the header names a column answers are read from.
    pub(super) fn has_answer(&self) -> bool {
        self.get(Field::Answer).is_some() || self.per_track()
    }

    /// A header with per-track answer columns and also a plain answer or
    /// track column says two things about which answer belongs to which
    /// track; guessing would score the wrong answers, so it is refused.
    pub(super) fn mixed_tracks(&self, place: impl Fn(usize) -> String) -> Option<FileProblem> {
        let (_, answer, _) = TRACK_COLUMNS.iter().find(|(_, answer, _)| self.get(*answer).is_some())?;
        let other = [Field::Answer, Field::Track].into_iter().find_map(|f| self.get(f))?;
        let at = |i: usize| self.headers.get(i).map_or(String::new(), |h| clip(h));
        let answer_at = self.get(*answer).unwrap_or_default();
        Some(FileProblem::Unreadable(format!(
            "the header has a per-track answer column '{}' ({}) and also the column '{}' ({}): either one answer column per track or one answer column with a track column, not both",
            at(answer_at),
            place(answer_at),
            at(other),
            place(other)
        )))
    }

    /// One row per track the header has an answer column for, each with
    /// that track's answer and notes (the plain notes column when the track
    /// has none of its own); a header with one answer column gives the row
    /// back as it is. Evidence belongs to the criterion, so both tracks
    /// carry it.
    pub(super) fn split_tracks<'t>(&self, row: RawRow<'t>, cells: &[&'t str]) -> Vec<RawRow<'t>> {
        if !self.per_track() {
            return vec![row];
        }
        let text = |f: Field| self.get(f).and_then(|i| cells.get(i)).copied().filter(|t| !t.is_empty());
        TRACK_COLUMNS
            .iter()
            .filter(|(_, answer, _)| self.get(*answer).is_some())
            .map(|(track, answer, notes)| RawRow {
                track: Some(*track),
                answer: text(*answer).unwrap_or_default(),
                notes: if self.get(*notes).is_some() { text(*notes) } else { row.notes },
                ..row
            })
            .collect()
    }

    /// Blank component and sub-component cells take the last value above, as
    /// merged cells in a form mean "same as above".
    pub(super) fn fill_forward<'t>(&self, cells: &mut [&'t str], last: &mut [Option<&'t str>; 2]) {
        let forward = self.remember_forward(|i| cells.get(i).copied(), last);
        for (above, at) in last.iter().zip(forward) {
            if let (Some(cell), Some(above)) = (at.and_then(|i| cells.get_mut(i)), above) {
                if cell.is_empty() {
                    *cell = above;
                }
            }
        }
    }

    /// The rule of [`Columns::fill_forward`], its first half: the row's
    /// filled component and sub-component cells (`cell(i)`) become the last
    /// values above, in `last`. Returns the two fields' columns: a blank cell
    /// in one of them takes its value from `last`.
    fn remember_forward<'c>(&self, cell: impl Fn(usize) -> Option<&'c str>, last: &mut [Option<&'c str>; 2]) -> [Option<usize>; 2] {
        let forward = [self.get(Field::Component), self.get(Field::Subcomponent)];
        for (slot, at) in last.iter_mut().zip(forward) {
            if let Some(text) = at.and_then(&cell).filter(|t| !t.is_empty()) {
                *slot = Some(text);
            }
        }
        forward
    }

    /// Turns one row of trimmed cells into a [`RawRow`], or a [`BadRow`] when
    /// the row stops before a required column (`separator` rebuilds its text).
    pub(super) fn raw_row<'t>(
        &self,
        cells: &[&'t str],
        sheet: Option<&'t str>,
        row: u64,
        separator: &str,
    ) -> Result<RawRow<'t>, BadRow> {
        self.check_width(cells.len(), || cells.join(separator), sheet, row)?;
        Ok(self.fields(sheet, row, |i| cells.get(i).copied()))
    }

    /// [`Columns::raw_row`] of a sheetless row of `len` trimmed cells lent
    /// by the reader (`cell(i)`, `None` past the end), with blank component
    /// and sub-component cells taking the last value above as
    /// [`Columns::fill_forward`] does (`last` is updated the same way).
    /// The row borrows its cells where `cell` lends them.
    pub(super) fn raw_row_filled<'t>(
        &self,
        cell: impl Fn(usize) -> Option<&'t str>,
        len: usize,
        row: u64,
        separator: &str,
        last: &mut [Option<&'t str>; 2],
    ) -> Result<RawRow<'t>, BadRow> {
        let forward = self.remember_forward(&cell, last);
        let filled = |i: usize| -> Option<&'t str> {
            let text = cell(i)?;
            match forward.iter().position(|f| *f == Some(i)) {
                Some(k) if text.is_empty() => Some(last[k].unwrap_or_default()),
                _ => Some(text),
            }
        };
        self.check_width(len, || (0..len).filter_map(filled).collect::<Vec<_>>().join(separator), None, row)?;
        Ok(self.fields(None, row, filled))
    }

    /// A row too short to hold the criterion or the answer is a bad row:
    /// `len` is how many cells it has, `joined` its text for the reject.
    pub(super) fn check_width(&self, len: usize, joined: impl FnOnce() -> String, sheet: Option<&str>, row: u64) -> Result<(), BadRow> {
        for field in [Field::Criterion, Field::Answer, Field::AnswerMandiri, Field::AnswerEvaluator] {
            if let Some(i) = self.get(field) {
                if i >= len {
                    return Err(BadRow {
                        sheet: sheet.map(str::to_string),
                        row,
                        column: self.header(field),
                        value: clip(&joined()),
                        reason: format!(
                            "row has {} field{}; column '{}' is missing",
                            len,
                            if len == 1 { "" } else { "s" },
                            self.header(field)
                        ),
                    });
                }
            }
        }
        Ok(())
    }

    /// The row's fields, each cell fetched by `cell(index)`.
    pub(super) fn fields<'t>(&self, sheet: Option<&'t str>, row: u64, mut cell: impl FnMut(usize) -> Option<&'t str>) -> RawRow<'t> {
        let mut text = |field: Field| self.get(field).and_then(&mut cell);
        let unit_code = text(Field::UnitCode);
        let year = text(Field::Year);
        let track = text(Field::Track);
        let component = text(Field::Component);
        let subcomponent = text(Field::Subcomponent);
        let criterion = text(Field::Criterion).unwrap_or_default();
        let answer = text(Field::Answer).unwrap_or_default();
        let notes = text(Field::Notes);
        let evidence = text(Field::Evidence);
        let optional = |t: Option<&'t str>| t.filter(|t| !t.is_empty());
        RawRow {
            sheet,
            row,
            unit_code: optional(unit_code),
            year: optional(year),
            track: optional(track),
            component: optional(component),
            subcomponent: optional(subcomponent),
            criterion,
            answer,
            notes: optional(notes),
            evidence: optional(evidence),
        }
    }
}

/// The non-empty headers for a message, each clipped and the list cut short:
/// a "header" can be a whole file that has no line breaks.
pub(super) fn header_list(headers: &[String]) -> String {
    const MAX_LIST_CHARS: usize = 400;
    let mut out = String::new();
    let found: Vec<&str> = headers.iter().map(String::as_str).filter(|h| !h.is_empty()).collect();
    for (i, header) in found.iter().enumerate() {
        let item = clip(header);
        if !out.is_empty() && out.len() + item.len() > MAX_LIST_CHARS {
            out.push_str(&format!(", … ({} more)", found.len() - i));
            break;
        }
        if !out.is_empty() {
            out.push_str(", ");
        }
        out.push_str(&item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_of_a_repeated_header_wins() {
        let headers: Vec<String> = ["jawaban", "kode_kriteria", "Jawaban"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let cols = Columns::locate(&headers);
        assert_eq!(cols.get(Field::Answer), Some(0));
        assert_eq!(cols.get(Field::Criterion), Some(1));
        // ... but the same header twice for a judged field is refused.
        let want = FileProblem::DuplicateColumn {
            column: "answer",
            header: "jawaban".to_string(),
            first: "column 1".to_string(),
            second: "column 3".to_string(),
        };
        assert_eq!(cols.duplicated(|i| format!("column {}", i + 1)), Some(want));
    }

    #[test]
    fn different_aliases_and_repeated_notes_are_not_duplicates() {
        let headers: Vec<String> = ["kode_kriteria", "jawaban", "nilai", "catatan", "Catatan"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let cols = Columns::locate(&headers);
        assert_eq!(cols.get(Field::Answer), Some(1));
        assert_eq!(cols.get(Field::Notes), Some(3));
        assert_eq!(cols.duplicated(|i| i.to_string()), None);
    }

    #[test]
    fn header_lists_stay_short() {
        let headers: Vec<String> = (0..1000).map(|i| format!("kolom{i}")).chain(["x".repeat(5000)]).collect();
        let list = header_list(&headers);
        assert!(list.len() < 500, "{}", list.len());
        assert!(list.starts_with("kolom0, kolom1, "), "{list}");
        assert!(list.ends_with("more)"), "{list}");
    }
}
