//! JSON submissions from the web form: one object naming the unit, year and
//! track once, with a list of answer objects. Key names follow the same
//! alias table as spreadsheet headers, so the form may speak Indonesian or
//! English; values may be text or numbers and are kept as text.
//!
//! The file is never turned into a `serde_json::Value`: a value tree costs
//! ten to thirty times the file's size (64 MiB of `[0,0,…]` would take a
//! gigabyte). serde_json first checks the whole text and hands back each
//! part as a [`RawValue`] — a slice of the text, nothing copied — and the
//! answers list is then walked one element at a time, so it can stop at
//! `limits.max_rows`. Only the keys the reader uses are kept; lists and
//! objects where a text belongs are kept as a short preview for the reject.
//!
//! Each part is read once more as an object of raw values, no deeper, so the
//! reader never recurses; keys are matched to fields once per file, not once
//! per answer, and text without escapes is borrowed, not copied.
//!
//! Skipping over a value does not recurse in serde_json, but reading nested
//! values would, so every list or object the reader meets where a text or an
//! answer belongs is measured (see [`too_deep`]) and the file refused past
//! serde_json's own limit of 128 levels: a file accepted here is one any
//! JSON tool can read back.
//!
//! About 670 lines (tests apart; under 500 of code) in one file, because
//! every part of it — the depth measure, the key table, the scalar and
//! preview readers, the streamed answer list — serves the one walk over the
//! document and reports through the same [`Positions`] (line and column of
//! each part), which split into files would have to be handed between them;
//! text decoding, limits and the field table already live in their own
//! modules.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::text::{decode_utf16, strip_utf8_bom, utf16_bom};
use crate::rules::limits::Limits;
use super::{
    clip, long_cell, non_empty, normalize_header, number_text, BadRow, Cells, Field, FileProblem, RawRow,
    RawSubmission, RowBudget, CLIP_CHARS, FIELD_COUNT,
};

/// The fields an answer object may carry, in the order [`answer_row`] reads them.
const ROW_FIELDS: [Field; 9] = [
    Field::UnitCode,
    Field::Year,
    Field::Track,
    Field::Component,
    Field::Subcomponent,
    Field::Criterion,
    Field::Answer,
    Field::Notes,
    Field::Evidence,
];

/// Keys a JSON export may use for its list of answers.
const ANSWER_LIST_KEYS: [&str; 2] = ["answers", "jawaban_list"];

/// The fields the top-level object may state once for the whole file.
const FILE_FIELDS: [Field; 3] = [Field::UnitCode, Field::Year, Field::Track];

/// How deep serde_json lets lists and objects nest when it reads them; the
/// reader keeps the same bound on the parts it reads.
const MAX_DEPTH: usize = 128;

/// How messages name a JSON list and object.
const A_LIST: &str = "a list";
const AN_OBJECT: &str = "an object";

/// Reads a JSON export into rows of text cells, kept in `cells`; see the
/// module docs.
pub(super) fn read<'c>(bytes: &[u8], limits: &Limits, cells: &'c Cells) -> Result<RawSubmission<'c>, FileProblem> {
    let text = decode(bytes)?;
    let text = std::str::from_utf8(&text).map_err(|_| invalid_utf8(&text))?;
    let top: &RawValue = serde_json::from_str(text).map_err(|e| FileProblem::Unreadable(format!("not valid JSON: {e}")))?;
    let at = Positions { text };
    if kind(top) != AN_OBJECT {
        return Err(FileProblem::Unreadable(format!(
            "expected a JSON object with an 'answers' list, found {}",
            kind(top)
        )));
    }
    let mut keys = Keys::new(&FILE_FIELDS, &ANSWER_LIST_KEYS);
    let entries = object(top, &mut keys, None).map_err(|e| at.invalid(top, &e))?.entries;
    // The slots of the list keys come after the fields', in the order of
    // ANSWER_LIST_KEYS, so the first found is the preferred one.
    let list_slots = keys.slots.len() - ANSWER_LIST_KEYS.len();
    let list = (list_slots..keys.slots.len()).find_map(|slot| entries.iter().find(|(s, _)| *s == slot).copied());
    for &(slot, raw) in &entries {
        // The list that is walked is measured one element at a time instead.
        if matches!(list, Some((s, l)) if s == slot && kind(l) == A_LIST) {
            continue;
        }
        if let Some(offset) = too_deep(raw.get(), 1) {
            return Err(at.too_deep(raw, offset));
        }
    }
    let answers = match list {
        Some((_, list)) if kind(list) == A_LIST => answers(list, limits, &at, cells)?,
        Some((_, other)) => {
            return Err(FileProblem::Unreadable(format!(
                "'answers' must be a list of answer objects, found {}",
                kind(other)
            )))
        }
        None => {
            return Err(FileProblem::Unreadable(format!(
                "the JSON object has no answers list (expected key: {})",
                ANSWER_LIST_KEYS.join(" or ")
            )))
        }
    };
    let mut values = keys.values();
    for &(slot, raw) in &entries {
        if slot < list_slots {
            values[slot] = Some(Scalar::read(raw, &at)?);
        }
    }
    let file_level = |field: Field| match lookup(&values, &keys, field) {
        Ok(Some((key, text))) if text.len() as u64 > limits.max_cell_bytes => Err(FileProblem::TooLarge(format!(
            "the '{key}' value is {} bytes long, over the pipeline's limit of {} bytes (limits.max_cell_bytes)",
            text.len(),
            limits.max_cell_bytes
        ))),
        Ok(found) => Ok(found.map(|(_, text)| text.to_string())),
        Err((key, found, _)) => Err(FileProblem::Unreadable(format!(
            "'{key}' must be text or a number, found {found}"
        ))),
    };
    let out = RawSubmission {
        unit_code: file_level(Field::UnitCode)?,
        year: file_level(Field::Year)?,
        track: file_level(Field::Track)?,
        ..answers
    };
    non_empty(out)
}

/// UTF-8 with or without a BOM, or UTF-16 with one (which the JSON standard
/// allows and some Windows tools write).
fn decode(bytes: &[u8]) -> Result<Cow<'_, [u8]>, FileProblem> {
    match utf16_bom(bytes) {
        Some((encoding, body)) => decode_utf16(encoding, body)
            .map(|text| Cow::Owned(text.into_bytes()))
            .map_err(FileProblem::Unreadable),
        None => Ok(Cow::Borrowed(strip_utf8_bom(bytes))),
    }
}

/// The refusal of text that is not UTF-8, worded as serde_json words it.
fn invalid_utf8(bytes: &[u8]) -> FileProblem {
    match serde_json::from_slice::<&RawValue>(bytes) {
        Err(e) => FileProblem::Unreadable(format!("not valid JSON: {e}")),
        Ok(_) => FileProblem::Unreadable("not valid JSON: invalid unicode code point".to_string()),
    }
}

/// Turns places inside a part of the text into lines and columns of the
/// whole file, for messages.
struct Positions<'t> {
    text: &'t str,
}

impl Positions<'_> {
    /// Line and column (1-based, in bytes as serde_json counts them) of
    /// byte `offset` of `raw`, which is a slice of the file's text.
    fn line_column(&self, raw: &RawValue, offset: usize) -> (usize, usize) {
        let start = (raw.get().as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        let at = (start + offset).min(self.text.len());
        let before = &self.text.as_bytes()[..at];
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = at - before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1) + 1;
        (line, column)
    }

    fn too_deep(&self, raw: &RawValue, offset: usize) -> FileProblem {
        let (line, column) = self.line_column(raw, offset);
        FileProblem::Unreadable(format!(
            "the JSON nests lists and objects more than {MAX_DEPTH} levels deep (line {line} column {column}); an answers export needs three"
        ))
    }

    fn out_of_range(&self, raw: &RawValue) -> FileProblem {
        let (line, column) = self.line_column(raw, raw.get().len());
        FileProblem::Unreadable(format!("not valid JSON: number out of range at line {line} column {column}"))
    }

    /// A part serde_json checked once and refused the second time: cannot
    /// happen, but is a refusal rather than a panic if it does.
    fn invalid(&self, raw: &RawValue, e: &serde_json::Error) -> FileProblem {
        let (line, column) = self.line_column(raw, 0);
        FileProblem::Unreadable(format!("not valid JSON: {e} (in the value at line {line} column {column})"))
    }
}

/// Where the nesting of `json` (a checked JSON text) reaches [`MAX_DEPTH`]
/// when it already sits `outer` levels deep, as a byte offset into it.
fn too_deep(json: &str, outer: usize) -> Option<usize> {
    let mut depth = outer;
    let mut in_string = false;
    let mut escaped = false;
    for (i, b) in json.bytes().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth >= MAX_DEPTH {
                    return Some(i + 1);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// What kind of value `raw` is, as messages name it.
fn kind(raw: &RawValue) -> &'static str {
    match raw.get().as_bytes().first() {
        Some(b'{') => AN_OBJECT,
        Some(b'[') => A_LIST,
        Some(b'"') => "text",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// A JSON value as far as the reader needs it, borrowing from the file's
/// text where it can.
#[derive(Debug, Clone, PartialEq)]
enum Scalar<'t> {
    Null,
    /// A string (trimmed), number (shortest decimal) or boolean (TRUE/FALSE).
    Text(Cow<'t, str>),
    /// A list or object where a text belongs: its kind and a clipped preview.
    Other { kind: &'static str, preview: String },
}

impl<'t> Scalar<'t> {
    /// Reads one value; a number too big for a float refuses the file, as
    /// serde_json refuses it wherever it reads one.
    fn read(raw: &'t RawValue, at: &Positions<'_>) -> Result<Scalar<'t>, FileProblem> {
        Ok(match kind(raw) {
            "null" => Scalar::Null,
            "a boolean" => Scalar::Text(Cow::Borrowed(if raw.get() == "true" { "TRUE" } else { "FALSE" })),
            "text" => Scalar::Text(match decoded(raw).map_err(|e| at.invalid(raw, &e))? {
                Cow::Borrowed(text) => Cow::Borrowed(text.trim()),
                Cow::Owned(text) => Cow::Owned(text.trim().to_string()),
            }),
            "a number" => Scalar::Text(Cow::Owned(number_value(raw, at)?)),
            kind => Scalar::Other { kind, preview: clip(&preview(raw.get())) },
        })
    }
}

/// The text of a JSON string, escapes undone.
fn string(raw: &RawValue, at: &Positions<'_>) -> Result<String, FileProblem> {
    decoded(raw).map(Cow::into_owned).map_err(|e| at.invalid(raw, &e))
}

/// The text of a checked JSON string: borrowed from the file when it has no
/// escapes (the usual case: answer and criterion codes), which then needs
/// no second parse; decoded by serde_json otherwise (serde gives a `Cow`
/// owned text either way, so the borrowing is done here).
fn decoded(raw: &RawValue) -> Result<Cow<'_, str>, serde_json::Error> {
    let json = raw.get();
    match json.strip_prefix('"').and_then(|t| t.strip_suffix('"')).filter(|inner| !inner.contains('\\')) {
        Some(inner) => Ok(Cow::Borrowed(inner)),
        None => serde_json::from_str::<String>(json).map(Cow::Owned),
    }
}

/// A number as text: integers as written, others as the shortest decimal
/// that reads back the same (so 2024.0 is "2024").
fn number_value(raw: &RawValue, at: &Positions<'_>) -> Result<String, FileProblem> {
    let number: serde_json::Number = raw.get().parse().map_err(|_| at.out_of_range(raw))?;
    Ok(match (number.as_u64(), number.as_i64(), number.as_f64()) {
        (Some(n), _, _) => n.to_string(),
        (None, Some(n), _) => n.to_string(),
        (None, None, Some(f)) => number_text(f),
        (None, None, None) => return Err(at.out_of_range(raw)),
    })
}

/// A number as a preview shows it: as serde_json would write it back.
fn number_preview(raw: &RawValue, at: &Positions<'_>) -> Result<String, FileProblem> {
    let number: serde_json::Number = raw.get().parse().map_err(|_| at.out_of_range(raw))?;
    Ok(number.to_string())
}

/// Text as a JSON string literal, from no more of it than a preview shows.
fn quoted(text: &str) -> String {
    serde_json::Value::String(clip(text)).to_string()
}

/// A checked JSON text without the spaces between its tokens, cut after a
/// few hundred bytes: enough for a reject to show what was there, read no
/// further than that however big the value.
fn preview(json: &str) -> String {
    const MAX_BYTES: usize = 4 * CLIP_CHARS;
    let mut out = String::new();
    let mut in_string = false;
    let mut escaped = false;
    for c in json.chars() {
        if out.len() >= MAX_BYTES {
            break;
        }
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c.is_ascii_whitespace() {
            continue;
        }
        out.push(c);
    }
    out
}

/// The keys one kind of object may carry, each a numbered slot: every alias
/// of every field, in field order and then alias order (so a field's earlier
/// aliases have lower slots), then any extra keys.
///
/// A key as written is normalised ([`normalize_header`]) once per file, not
/// once per object: the answers of a form repeat the same dozen keys.
struct Keys<'t> {
    slots: Vec<&'static str>,
    /// Where each field's aliases sit in `slots`, by `field as usize`
    /// (empty for a field this kind of object does not carry).
    fields: [(usize, usize); FIELD_COUNT],
    /// Keys as written met so far, with their slot.
    seen: Vec<(Cow<'t, str>, Option<usize>)>,
}

/// How many keys as written [`Keys`] remembers. A form uses about ten; a
/// file with a new key in every object costs one normalisation per key
/// past this many, and no more memory.
const KEYS_REMEMBERED: usize = 64;

impl<'t> Keys<'t> {
    fn new(fields: &[Field], extra: &[&'static str]) -> Keys<'t> {
        let mut slots = Vec::new();
        let mut ranges = [(0, 0); FIELD_COUNT];
        for &field in fields {
            let start = slots.len();
            slots.extend_from_slice(field.aliases());
            ranges[field as usize] = (start, slots.len());
        }
        slots.extend_from_slice(extra);
        Keys { slots, fields: ranges, seen: Vec::new() }
    }

    /// The slot of a key as written, if the reader wants it.
    fn slot(&mut self, key: Cow<'t, str>) -> Option<usize> {
        if let Some((_, slot)) = self.seen.iter().find(|(seen, _)| *seen == key) {
            return *slot;
        }
        let normal = normalize_header(&key);
        let slot = self.slots.iter().position(|alias| *alias == normal);
        if self.seen.len() < KEYS_REMEMBERED {
            self.seen.push((key, slot));
        }
        slot
    }

    /// The slots of `field`'s aliases, earliest alias first.
    fn aliases(&self, field: Field) -> Range<usize> {
        let (start, end) = self.fields[field as usize];
        start..end
    }

    /// A table of one value per slot, all absent.
    fn values<'v>(&self) -> Vec<Option<Scalar<'v>>> {
        vec![None; self.slots.len()]
    }
}

/// An object key, borrowed from the file's text unless it has escapes
/// (serde's own `Cow<str>` always copies).
struct Key<'t>(Cow<'t, str>);

impl<'de> de::Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key")
            }

            fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(key)))
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(key.to_string())))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// What the reader keeps of one object.
struct Object<'t> {
    /// The values under wanted keys, the first of each slot, in the order
    /// of the file, still unread.
    entries: Vec<(usize, &'t RawValue)>,
    /// Whether every value (wanted or not) was null or blank text.
    all_empty: bool,
    /// The first value nesting past [`MAX_DEPTH`], and where, when measured.
    too_deep: Option<(&'t RawValue, usize)>,
}

/// Lists the entries of `object` (a checked JSON object) that `keys` wants.
/// No value is read; with `depth` (how many levels deep the object's values
/// sit), every value that is a list or object is measured against
/// [`MAX_DEPTH`].
fn object<'t>(object: &'t RawValue, keys: &mut Keys<'t>, depth: Option<usize>) -> Result<Object<'t>, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(object.get());
    (&mut de).deserialize_map(ObjectVisitor { keys, depth })
}

struct ObjectVisitor<'k, 't> {
    keys: &'k mut Keys<'t>,
    depth: Option<usize>,
}

impl<'t> Visitor<'t> for ObjectVisitor<'_, 't> {
    type Value = Object<'t>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'t>>(self, mut map: A) -> Result<Object<'t>, A::Error> {
        let mut out = Object { entries: Vec::new(), all_empty: true, too_deep: None };
        while let Some(Key(key)) = map.next_key()? {
            let value: &'t RawValue = map.next_value()?;
            out.all_empty &= is_empty(value);
            if let (Some(outer), None, A_LIST | AN_OBJECT) = (self.depth, out.too_deep, kind(value)) {
                out.too_deep = too_deep(value.get(), outer).map(|offset| (value, offset));
            }
            if let Some(slot) = self.keys.slot(key) {
                if !out.entries.iter().any(|(s, _)| *s == slot) {
                    out.entries.push((slot, value));
                }
            }
        }
        Ok(out)
    }
}

/// Whether a value is null or text of nothing but spaces: a form's blank.
fn is_empty(raw: &RawValue) -> bool {
    match kind(raw) {
        "null" => true,
        "text" => decoded(raw).is_ok_and(|t| t.trim().is_empty()),
        _ => false,
    }
}

/// Reads an answers list element by element into rows, counting them
/// against `limits.max_rows`.
fn answers<'c>(list: &RawValue, limits: &Limits, at: &Positions<'_>, cells: &'c Cells) -> Result<RawSubmission<'c>, FileProblem> {
    let keys = Keys::new(&ROW_FIELDS, &[]);
    let mut reader = AnswerList {
        limits,
        cells,
        at,
        values: keys.values(),
        keys,
        budget: RowBudget::new(limits),
        out: RawSubmission::default(),
        problem: None,
    };
    let mut de = serde_json::Deserializer::from_str(list.get());
    let walked = (&mut de).deserialize_seq(&mut reader);
    if let Some(problem) = reader.problem {
        return Err(problem);
    }
    walked.map_err(|e| at.invalid(list, &e))?;
    Ok(reader.out)
}

/// The walk over an answers list; a problem that refuses the file stops it.
struct AnswerList<'a, 't, 'c> {
    limits: &'a Limits,
    /// Where the rows' cells are kept.
    cells: &'c Cells,
    at: &'a Positions<'t>,
    keys: Keys<'t>,
    /// The values of the answer being read, by slot; kept between answers
    /// (and emptied after each) so that no answer allocates a table.
    values: Vec<Option<Scalar<'t>>>,
    budget: RowBudget,
    out: RawSubmission<'c>,
    /// Why the walk stopped early.
    problem: Option<FileProblem>,
}

/// How deep an answer's values sit: the top object, the list, the answer.
const ANSWER_VALUE_DEPTH: usize = 3;

impl<'t> AnswerList<'_, 't, '_> {
    /// Adds one element, the `row`th; `Err` refuses the file.
    fn element(&mut self, raw: &'t RawValue, row: u64) -> Result<(), FileProblem> {
        let result = if kind(raw) == AN_OBJECT {
            let object = object(raw, &mut self.keys, Some(ANSWER_VALUE_DEPTH)).map_err(|e| self.at.invalid(raw, &e))?;
            if let Some((value, offset)) = object.too_deep {
                return Err(self.at.too_deep(value, offset));
            }
            // An object of nothing but blanks: a form's empty line.
            if object.all_empty {
                return Ok(());
            }
            for &(slot, value) in &object.entries {
                self.values[slot] = Some(Scalar::read(value, self.at)?);
            }
            let row = answer_row(&self.values, &self.keys, row, self.limits, self.cells);
            for &(slot, _) in &object.entries {
                self.values[slot] = None;
            }
            row
        } else {
            if let Some(offset) = too_deep(raw.get(), ANSWER_VALUE_DEPTH - 1) {
                return Err(self.at.too_deep(raw, offset));
            }
            let (kind, preview) = match kind(raw) {
                "text" => ("text", quoted(&string(raw, self.at)?)),
                "a number" => ("a number", number_preview(raw, self.at)?),
                kind @ ("null" | "a boolean") => (kind, raw.get().to_string()),
                kind => (kind, clip(&preview(raw.get()))),
            };
            Err(BadRow { sheet: None, row, column: String::new(), value: preview, reason: format!("answer {row} is {kind}, not an object") })
        };
        self.budget.count()?;
        match result {
            Ok(raw) => self.out.rows.push(raw),
            Err(bad) => self.out.bad_rows.push(bad),
        }
        Ok(())
    }
}

impl<'t> Visitor<'t> for &mut AnswerList<'_, 't, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of answer objects")
    }

    fn visit_seq<A: SeqAccess<'t>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut row = 0u64;
        while let Some(raw) = seq.next_element::<&'t RawValue>()? {
            row += 1;
            if let Err(problem) = self.element(raw, row) {
                self.problem = Some(problem);
                return Err(de::Error::custom("the file is refused"));
            }
        }
        Ok(())
    }
}

/// One object of the answers list as a row, or the bad row saying why not.
fn answer_row<'c>(values: &[Option<Scalar<'_>>], keys: &Keys<'_>, row: u64, limits: &Limits, cells: &'c Cells) -> Result<RawRow<'c>, BadRow> {
    let bad = |column: &str, value: String, reason: String| BadRow {
        sheet: None,
        row,
        column: column.to_string(),
        value,
        reason,
    };
    let mut texts = Vec::with_capacity(ROW_FIELDS.len());
    for field in ROW_FIELDS {
        match lookup(values, keys, field) {
            Ok(Some((key, text))) if text.len() as u64 > limits.max_cell_bytes => {
                return Err(long_cell(None, row, key, text, limits));
            }
            Ok(found) => texts.push(found.map(|(_, text)| cells.keep(text))),
            Err((key, found, preview)) => {
                return Err(bad(key, preview.to_string(), format!("'{key}' must be text or a number, found {found}")));
            }
        }
    }
    let mut texts = texts.into_iter();
    let mut next = || texts.next().flatten();
    let (unit_code, year, track, component, subcomponent) = (next(), next(), next(), next(), next());
    let (criterion, answer, notes, evidence) = (next(), next(), next(), next());
    let required = |value: Option<&'c str>, field: Field| {
        value.ok_or_else(|| {
            bad(
                field.name(),
                String::new(),
                format!(
                    "answer {row} has no {} (accepted keys: {})",
                    field.name(),
                    field.aliases().join(", ")
                ),
            )
        })
    };
    let criterion = required(criterion, Field::Criterion)?;
    // An answer key present but empty or null is a blank answer (the
    // criterion is missing, as a blank cell of a CSV); no answer key at all
    // is a malformed object.
    let answer_key = keys.aliases(Field::Answer).any(|slot| values[slot].is_some());
    let answer = if answer_key { answer.or(Some("")) } else { answer };
    let answer = required(answer, Field::Answer)?;
    Ok(RawRow {
        sheet: None,
        row,
        unit_code,
        year,
        track,
        component,
        subcomponent,
        criterion,
        answer,
        notes,
        evidence,
    })
}

/// A value found under a key: (key, text).
type Found<'f> = (&'f str, &'f str);

/// A value that is not a scalar: (key, its kind, a preview).
type NotScalar<'f> = (&'f str, &'static str, &'f str);

/// The text under the first alias of `field` present and not null, with the
/// key it was under; or the key, kind and preview of a value that is not a
/// scalar.
fn lookup<'f>(values: &'f [Option<Scalar<'_>>], keys: &Keys<'_>, field: Field) -> Result<Option<Found<'f>>, NotScalar<'f>> {
    for slot in keys.aliases(field) {
        let key = keys.slots[slot];
        match &values[slot] {
            None | Some(Scalar::Null) => continue,
            Some(Scalar::Text(text)) if text.is_empty() => return Ok(None),
            Some(Scalar::Text(text)) => return Ok(Some((key, text))),
            Some(Scalar::Other { kind, preview }) => return Err((key, kind, preview)),
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::read::submission::kept;

    /// The reader under the default limits.
    fn read(bytes: &[u8]) -> Result<RawSubmission<'static>, FileProblem> {
        super::read(bytes, &Limits::default(), kept())
    }

    fn unreadable(bytes: &[u8]) -> String {
        match read(bytes) {
            Err(FileProblem::Unreadable(msg)) => msg,
            other => panic!("expected Unreadable, got {other:?}"),
        }
    }

    fn read_ok(text: &str) -> RawSubmission<'static> {
        match read(text.as_bytes()) {
            Ok(s) => s,
            Err(e) => panic!("expected rows, got {e}"),
        }
    }

    #[test]
    fn english_keys_and_file_level_fields() {
        let got = read_ok(
            r#"{"unit_code": "5301", "year": 2024, "track": "evaluator",
                "answers": [{"criterion": "1.1.1", "answer": "A", "notes": "ok", "evidence": "https://x/1"}]}"#,
        );
        assert_eq!(got.unit_code.as_deref(), Some("5301"));
        assert_eq!(got.year.as_deref(), Some("2024"));
        assert_eq!(got.track.as_deref(), Some("evaluator"));
        let row = &got.rows[0];
        assert_eq!(
            (row.row, row.criterion, row.answer),
            (1, "1.1.1", "A")
        );
        assert_eq!(row.evidence.as_deref(), Some("https://x/1"));
        assert_eq!(row.year, None);
    }

    #[test]
    fn indonesian_keys_and_numeric_values() {
        let got = read_ok(
            r#"{"Kode Satker": 5301, "tahun": 2024.0, "penilaian": "mandiri",
                "jawaban_list": [
                  {"kode_kriteria": "1.1.1", "jawaban": 87.5, "catatan": "cek", "bukti": "https://x"},
                  {"kode-kriteria": "1.1.2", "nilai": 90, "tahun": 2023, "penilaian": "evaluator"}
                ]}"#,
        );
        assert_eq!(
            (got.unit_code.as_deref(), got.year.as_deref()),
            (Some("5301"), Some("2024"))
        );
        assert_eq!(got.rows[0].answer, "87.5");
        assert_eq!(got.rows[0].notes.as_deref(), Some("cek"));
        assert_eq!((got.rows[1].row, got.rows[1].answer), (2, "90"));
        assert_eq!(got.rows[1].year.as_deref(), Some("2023"));
        assert_eq!(got.rows[1].track.as_deref(), Some("evaluator"));
    }

    #[test]
    fn bad_elements_become_bad_rows() {
        let got = read_ok(
            r#"{"answers": ["1.1.1=A", {"jawaban": "B"}, {"kode_kriteria": "1.1.3"},
                            {"kode_kriteria": "1.1.4", "jawaban": ["A"]}, {}, {"kode_kriteria": "1.1.5", "jawaban": "C"}]}"#,
        );
        assert_eq!(got.rows.len(), 1);
        assert_eq!(got.rows[0].row, 6);
        let bad: Vec<(u64, &str, &str)> = got
            .bad_rows
            .iter()
            .map(|b| (b.row, b.column.as_str(), b.reason.as_str()))
            .collect();
        assert_eq!(
            bad,
            vec![
                (1, "", "answer 1 is text, not an object"),
                (2, "criterion", "answer 2 has no criterion (accepted keys: kode_kriteria, criterion, kriteria_kode, criterion_code)"),
                (3, "answer", "answer 3 has no answer (accepted keys: jawaban, answer, nilai)"),
                (4, "jawaban", "'jawaban' must be text or a number, found a list"),
            ]
        );
        assert_eq!(got.bad_rows[0].value, "\"1.1.1=A\"");
    }

    #[test]
    fn invalid_json_reports_line_and_column() {
        let got = read(b"{\"answers\": [\n  {\"criterion\": \"1.1.1\",}\n]}");
        let Err(FileProblem::Unreadable(msg)) = got else {
            panic!("expected Unreadable, got {got:?}");
        };
        assert!(msg.starts_with("not valid JSON: "), "{msg}");
        assert!(msg.contains("line 2 column"), "{msg}");
    }

    #[test]
    fn escaped_strings_are_decoded_and_unescaped_ones_read_as_written() {
        // Row 1: `\u0041` is "A" and `\"` a quote, so the answer is A and the
        // note `kata "baik"` followed by a newline (trimmed away). Row 2: an
        // object whose only values are `\u0020` (one space) and null is a
        // form's blank line, skipped. Row 3: no escapes, read as written.
        let got = read_ok(
            r#"{"answers": [{"criterion": "1.1.1", "answer": "\u0041", "catatan": "kata \"baik\"\n"},
                            {"criterion": "\u0020", "answer": null},
                            {"criterion": "1.1.2", "answer": " B "}]}"#,
        );
        let rows: Vec<(u64, &str, &str, Option<&str>)> = got.rows.iter().map(|r| (r.row, r.criterion, r.answer, r.notes.as_deref())).collect();
        assert_eq!(rows, [(1, "1.1.1", "A", Some("kata \"baik\"")), (3, "1.1.2", "B", None)]);
        assert!(got.bad_rows.is_empty(), "{:?}", got.bad_rows);
    }

    #[test]
    fn an_empty_or_null_answer_is_blank_not_a_bad_row() {
        let got = read(br#"{"answers": [{"criterion": "1.1.1", "answer": ""}, {"criterion": "1.1.2", "jawaban": null}, {"criterion": "1.1.3"}]}"#).unwrap();
        let rows: Vec<(&str, &str)> = got.rows.iter().map(|r| (r.criterion, r.answer)).collect();
        assert_eq!(rows, [("1.1.1", ""), ("1.1.2", "")]);
        assert_eq!(got.bad_rows.len(), 1);
        assert_eq!(got.bad_rows[0].reason, "answer 3 has no answer (accepted keys: jawaban, answer, nilai)");
    }

    #[test]
    fn wrong_shapes_are_unreadable_and_empty_list_is_empty() {
        let unreadable = |s: &str| match read(s.as_bytes()) {
            Err(FileProblem::Unreadable(msg)) => msg,
            other => panic!("expected Unreadable, got {other:?}"),
        };
        assert_eq!(
            unreadable("[1]"),
            "expected a JSON object with an 'answers' list, found a list"
        );
        assert_eq!(
            unreadable(r#"{"unit_code": "5301"}"#),
            "the JSON object has no answers list (expected key: answers or jawaban_list)"
        );
        assert_eq!(
            unreadable(r#"{"answers": {}}"#),
            "'answers' must be a list of answer objects, found an object"
        );
        assert_eq!(
            unreadable(r#"{"tahun": [2024], "answers": []}"#),
            "'tahun' must be text or a number, found a list"
        );
        assert_eq!(read(br#"{"answers": []}"#), Err(FileProblem::Empty));
    }

    #[test]
    fn deep_nesting_is_refused_with_a_reason() {
        let deep = format!("{{\"answers\": {}{}}}", "[".repeat(10_000), "]".repeat(10_000));
        let msg = unreadable(deep.as_bytes());
        assert!(msg.starts_with("the JSON nests lists and objects more than 128 levels deep (line 1 column"), "{msg}");
        // Under a key the reader skips, serde_json steps over any depth
        // without recursing: harmless, so the file is read.
        let deep = format!("{{\"meta\": {}1{}, \"answers\": []}}", "{\"a\":".repeat(50_000), "}".repeat(50_000));
        assert_eq!(read(deep.as_bytes()), Err(FileProblem::Empty));
        // Inside the answers list every value is measured, used or not, as
        // the list is walked: the third answer's 'lain' opens its first
        // list at depth 4 (top object, list, answer, value), so 125 of them
        // reach 128; one fewer is read.
        let nested = |lists: usize| format!(
            "{{\"answers\": [{{\"criterion\": \"1.1.1\", \"answer\": \"A\"}}, 7,\n{{\"criterion\": \"1.1.2\", \"answer\": \"B\", \"lain\": {}{}}}]}}",
            "[".repeat(lists),
            "]".repeat(lists)
        );
        let msg = unreadable(nested(125).as_bytes());
        // Line 2 starts with 46 characters before the first '[', so the
        // 125th is character 171; like serde_json, the column given is the
        // one just past it.
        assert!(msg.contains("(line 2 column 172)"), "{msg}");
        assert_eq!(read(nested(124).as_bytes()).map(|s| s.rows.len()), Ok(2));
    }

    #[test]
    fn each_spelling_of_a_key_is_matched_in_every_answer() {
        // Keys are matched once per spelling and remembered; answers that
        // mix spellings still find their fields.
        let got = read_ok(
            r#"{"answers": [{"Kode Kriteria": "1.1.1", "JAWABAN": "A"}, {"kode-kriteria": "1.1.2", "jawaban": "B"},
                            {"Kode Kriteria": "1.1.3", "Answer": "C", "JAWABAN": null}, {"criterion": "1.1.4", "nilai": 2}]}"#,
        );
        let rows: Vec<(&str, &str)> = got.rows.iter().map(|r| (r.criterion, r.answer)).collect();
        assert_eq!(rows, [("1.1.1", "A"), ("1.1.2", "B"), ("1.1.3", "C"), ("1.1.4", "2")]);
    }

    #[test]
    fn long_values_and_too_many_answers_hit_the_limits() {
        let limits = Limits { max_cell_bytes: 10, max_rows: 3, ..Limits::default() };
        let text = format!(
            r#"{{"answers": [{{"kode_kriteria": "1.1.1", "jawaban": "A", "catatan": "{}"}}, {{"kode_kriteria": "1.1.2", "jawaban": "B"}}, {{}}, {{"kode_kriteria": "1.1.3", "jawaban": "C", "lain": "{}"}}]}}"#,
            "x".repeat(100),
            "y".repeat(100)
        );
        let got = super::read(text.as_bytes(), &limits, kept()).unwrap_or_default();
        // The unknown key 'lain' may be long; the empty object is no row.
        assert_eq!(got.rows.iter().map(|r| r.row).collect::<Vec<_>>(), [2, 4]);
        let bad = &got.bad_rows[0];
        assert_eq!((bad.row, bad.column.as_str()), (1, "catatan"));
        assert_eq!(bad.value, format!("{}…", "x".repeat(80)));
        assert_eq!(bad.reason, "the 'catatan' cell is 100 bytes long, over the pipeline's limit of 10 bytes (limits.max_cell_bytes)");
        let four = r#"{"answers": [{"criterion": "1.1.1", "answer": "A"}, 1, 2, 3]}"#;
        let Err(FileProblem::TooLarge(msg)) = super::read(four.as_bytes(), &limits, kept()) else { panic!("four rows allowed") };
        assert!(msg.contains("more than 3 answer rows") && msg.contains("(limits.max_rows)"), "{msg}");
        let unit = format!(r#"{{"unit_code": "{}", "answers": []}}"#, "5".repeat(20));
        let Err(FileProblem::TooLarge(msg)) = super::read(unit.as_bytes(), &limits, kept()) else { panic!("long unit code allowed") };
        assert_eq!(msg, "the 'unit_code' value is 20 bytes long, over the pipeline's limit of 10 bytes (limits.max_cell_bytes)");
    }

    #[test]
    fn big_values_are_previewed_not_kept() {
        let list: Vec<String> = (0..100_000).map(|i| i.to_string()).collect();
        let text = format!(r#"{{"answers": [[{}], {{"kode_kriteria": "1.1.1", "jawaban": {{"a": [{}]}}}}]}}"#, list.join(","), list.join(","));
        let got = read(text.as_bytes()).unwrap_or_default();
        assert_eq!(got.bad_rows.len(), 2);
        assert!(got.bad_rows[0].value.starts_with("[0,1,2,3,"), "{}", got.bad_rows[0].value);
        assert_eq!(got.bad_rows[0].value.chars().count(), 81);
        assert_eq!(got.bad_rows[1].reason, "'jawaban' must be text or a number, found an object");
        assert!(got.bad_rows[1].value.starts_with(r#"{"a":[0,1,"#), "{}", got.bad_rows[1].value);
    }

    #[test]
    fn utf16_json_is_decoded() {
        let text = r#"{"kode_satker": "5301", "answers": [{"kode_kriteria": "1.1.1", "jawaban": "Dé"}]}"#;
        let le: Vec<u8> = [0xFF, 0xFE].into_iter().chain(text.encode_utf16().flat_map(u16::to_le_bytes)).collect();
        let got = read(&le).unwrap_or_default();
        assert_eq!(got.rows[0].answer, "Dé");
        assert!(unreadable(&le[..le.len() - 1]).starts_with("the file starts as UTF-16LE text but is not valid UTF-16LE"));
    }

    #[test]
    fn answers_is_preferred_and_first_keys_win() {
        let got = read_ok(r#"{"jawaban_list": [{"criterion": "9.9.9", "answer": "E"}], "answers": [{"criterion": "1.1.1", "answer": "A", "Answer": "B"}], "answers": 5}"#);
        assert_eq!((got.rows[0].criterion, got.rows[0].answer), ("1.1.1", "A"));
        assert_eq!(unreadable(b"{\"answers\": []} x").split(" at line").next(), Some("not valid JSON: trailing characters"));
    }
}
