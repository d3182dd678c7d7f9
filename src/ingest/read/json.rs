//! JSON submissions from the web form: one object naming the unit, year and
//! track once, with a list of answer objects. Key names follow the same
//! alias table as spreadsheet headers, so the form may speak Indonesian or
//! English; values may be text or numbers and are kept as text.
//!
//! The file is read as a stream rather than into a `serde_json::Value`: a
//! value tree costs ten to thirty times the file's size (64 MiB of `[0,0,…]`
//! would take a gigabyte), and a stream can stop at `limits.max_rows`. Only
//! the keys the reader uses are kept; lists and objects where a text belongs
//! are kept as a short preview for the reject. serde_json refuses nesting
//! deeper than 128 levels, so a hostile file cannot exhaust the stack.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::text::{decode_utf16, strip_utf8_bom, utf16_bom};
use super::{
    clip, long_cell, non_empty, normalize_header, number_text, BadRow, Field, FileProblem, Limits, RawRow,
    RawSubmission, RowBudget,
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

/// Reads a JSON export into rows of text cells; see the module docs.
pub(super) fn read(bytes: &[u8], limits: &Limits) -> Result<RawSubmission, FileProblem> {
    let text = decode(bytes)?;
    let mut state = State { limits: *limits, problem: None };
    let mut de = serde_json::Deserializer::from_slice(&text);
    let parsed = TopSeed { state: &mut state }
        .deserialize(&mut de)
        .and_then(|top| de.end().map(|()| top));
    // A limit hit while streaming aborts the parse with a placeholder error;
    // the real problem was left here.
    if let Some(problem) = state.problem {
        return Err(problem);
    }
    let top = match parsed {
        Ok(top) => top,
        Err(e) if e.to_string().starts_with("recursion limit exceeded") => {
            return Err(FileProblem::Unreadable(format!(
                "the JSON nests lists and objects more than 128 levels deep (line {} column {}); an answers export needs three",
                e.line(),
                e.column()
            )))
        }
        Err(e) => return Err(FileProblem::Unreadable(format!("not valid JSON: {e}"))),
    };
    let (fields, mut lists) = match top {
        Top::Object { fields, lists } => (fields, lists),
        Top::Other(kind) => {
            return Err(FileProblem::Unreadable(format!(
                "expected a JSON object with an 'answers' list, found {kind}"
            )))
        }
    };
    let chosen = ANSWER_LIST_KEYS
        .iter()
        .find_map(|k| lists.iter().position(|(key, _)| key == k));
    let answers = match chosen.map(|i| lists.swap_remove(i).1) {
        Some(List::Items(answers)) => answers,
        Some(List::NotAList(kind)) => {
            return Err(FileProblem::Unreadable(format!(
                "'answers' must be a list of answer objects, found {kind}"
            )))
        }
        None => {
            return Err(FileProblem::Unreadable(format!(
                "the JSON object has no answers list (expected key: {})",
                ANSWER_LIST_KEYS.join(" or ")
            )))
        }
    };
    let file_level = |field: Field| match lookup(&fields, field) {
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

/// What the streaming visitors share: the limits, and the problem that made
/// them stop early.
struct State {
    limits: Limits,
    problem: Option<FileProblem>,
}

/// A JSON value as far as the reader needs it.
#[derive(Debug, Clone, PartialEq)]
enum Scalar {
    Null,
    /// A string (trimmed), number (shortest decimal) or boolean (TRUE/FALSE).
    Text(String),
    /// A list or object where a text belongs: its kind and a clipped preview.
    Other { kind: &'static str, preview: String },
}

impl Scalar {
    fn is_empty(&self) -> bool {
        matches!(self, Scalar::Null) || matches!(self, Scalar::Text(t) if t.is_empty())
    }
}

/// The top-level value.
enum Top {
    /// An object: its file-level fields and every answers list, by normalised
    /// key (first occurrence of each).
    Object { fields: Vec<(String, Scalar)>, lists: Vec<(String, List)> },
    /// Anything else, by kind.
    Other(&'static str),
}

/// The value under an answers-list key.
enum List {
    /// Its elements, read into rows and bad rows.
    Items(RawSubmission),
    /// Not a list: its kind.
    NotAList(&'static str),
}

/// How messages name a JSON list and object.
const A_LIST: &str = "a list";
const AN_OBJECT: &str = "an object";

struct TopSeed<'s> {
    state: &'s mut State,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = Top;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Top, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = Top;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object with an answers list")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut fields: Vec<(String, Scalar)> = Vec::new();
        let mut lists: Vec<(String, List)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let key = normalize_header(&key);
            let seen = fields.iter().any(|(k, _)| *k == key) || lists.iter().any(|(k, _)| *k == key);
            if seen {
                map.next_value::<IgnoredAny>()?;
            } else if ANSWER_LIST_KEYS.contains(&key.as_str()) {
                let list = map.next_value_seed(ListSeed { state: &mut *self.state })?;
                lists.push((key, list));
            } else if FILE_FIELDS.iter().any(|f| f.aliases().contains(&key.as_str())) {
                let value = map.next_value::<Scalar>()?;
                fields.push((key, value));
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Top::Object { fields, lists })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Top, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Top::Other(A_LIST))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Top, E> {
        Ok(Top::Other("a boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Top, E> {
        Ok(Top::Other("a number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Top, E> {
        Ok(Top::Other("a number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Top, E> {
        Ok(Top::Other("a number"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Top, E> {
        Ok(Top::Other("text"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Top, E> {
        Ok(Top::Other("null"))
    }
}

/// Reads an answers list element by element into rows, counting them
/// against `limits.max_rows`.
struct ListSeed<'s> {
    state: &'s mut State,
}

impl<'de> DeserializeSeed<'de> for ListSeed<'_> {
    type Value = List;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<List, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ListSeed<'_> {
    type Value = List;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of answer objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<List, A::Error> {
        let limits = self.state.limits;
        let mut budget = RowBudget::new(&limits);
        let mut out = RawSubmission::default();
        let mut row = 0u64;
        while let Some(element) = seq.next_element::<Element>()? {
            row += 1;
            let result = match element {
                // An object of nothing but blanks: a form's empty line.
                Element::Object { all_empty: true, .. } => continue,
                Element::Object { fields, .. } => answer_row(&fields, row, &limits),
                Element::NotObject { kind, preview } => Err(BadRow {
                    sheet: None,
                    row,
                    column: String::new(),
                    value: preview,
                    reason: format!("answer {row} is {kind}, not an object"),
                }),
            };
            if let Err(problem) = budget.count() {
                self.state.problem = Some(problem);
                return Err(de::Error::custom("row limit"));
            }
            match result {
                Ok(raw) => out.rows.push(raw),
                Err(bad) => out.bad_rows.push(bad),
            }
        }
        Ok(List::Items(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<List, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(List::NotAList(AN_OBJECT))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<List, E> {
        Ok(List::NotAList("a boolean"))
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<List, E> {
        Ok(List::NotAList("a number"))
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<List, E> {
        Ok(List::NotAList("a number"))
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<List, E> {
        Ok(List::NotAList("a number"))
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<List, E> {
        Ok(List::NotAList("text"))
    }

    fn visit_unit<E: de::Error>(self) -> Result<List, E> {
        Ok(List::NotAList("null"))
    }
}

/// One element of an answers list.
enum Element {
    /// An object: the values under keys the reader uses (normalised, first
    /// occurrence), and whether every value in it was empty.
    Object { fields: Vec<(String, Scalar)>, all_empty: bool },
    /// Anything else: its kind and a clipped preview.
    NotObject { kind: &'static str, preview: String },
}

impl<'de> de::Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Element, D::Error> {
        deserializer.deserialize_any(ElementVisitor)
    }
}

struct ElementVisitor;

impl ElementVisitor {
    fn not_object(kind: &'static str, preview: String) -> Element {
        Element::NotObject { kind, preview }
    }
}

impl<'de> Visitor<'de> for ElementVisitor {
    type Value = Element;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an answer object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Element, A::Error> {
        let mut fields: Vec<(String, Scalar)> = Vec::new();
        let mut all_empty = true;
        while let Some(key) = map.next_key::<String>()? {
            let key = normalize_header(&key);
            let value = map.next_value::<Scalar>()?;
            all_empty &= value.is_empty();
            let wanted = ROW_FIELDS.iter().any(|f| f.aliases().contains(&key.as_str()));
            if wanted && !fields.iter().any(|(k, _)| *k == key) {
                fields.push((key, value));
            }
        }
        Ok(Element::Object { fields, all_empty })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Element, A::Error> {
        let mut preview = String::new();
        Preview { out: &mut preview }.visit_seq(seq)?;
        Ok(Element::NotObject { kind: A_LIST, preview: clip(&preview) })
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Element, E> {
        Ok(Self::not_object("a boolean", v.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Element, E> {
        Ok(Self::not_object("a number", v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Element, E> {
        Ok(Self::not_object("a number", v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Element, E> {
        Ok(Self::not_object("a number", serde_json::Value::from(v).to_string()))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Element, E> {
        Ok(Self::not_object("text", quoted(v)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Element, E> {
        Ok(Self::not_object("null", "null".to_string()))
    }
}

impl<'de> de::Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Scalar, D::Error> {
        deserializer.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Text(if v { "TRUE" } else { "FALSE" }.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.to_string()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Text(number_text(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Text(v.trim().to_string()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Scalar, A::Error> {
        let mut preview = String::new();
        Preview { out: &mut preview }.visit_seq(seq)?;
        Ok(Scalar::Other { kind: A_LIST, preview: clip(&preview) })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Scalar, A::Error> {
        let mut preview = String::new();
        Preview { out: &mut preview }.visit_map(map)?;
        Ok(Scalar::Other { kind: AN_OBJECT, preview: clip(&preview) })
    }
}

/// Text as a JSON string literal, from no more of it than a preview shows.
fn quoted(text: &str) -> String {
    serde_json::Value::String(clip(text)).to_string()
}

/// Renders a value as compact JSON into `out`, for a reject's value. It
/// stops writing after a few hundred bytes but reads the value to its end.
struct Preview<'a> {
    out: &'a mut String,
}

impl Preview<'_> {
    const MAX_BYTES: usize = 4 * super::CLIP_CHARS;

    fn push(&mut self, text: &str) {
        if self.out.len() < Self::MAX_BYTES {
            self.out.push_str(text);
        }
    }
}

impl<'de> DeserializeSeed<'de> for Preview<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Preview<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(mut self, v: bool) -> Result<(), E> {
        self.push(if v { "true" } else { "false" });
        Ok(())
    }

    fn visit_i64<E: de::Error>(mut self, v: i64) -> Result<(), E> {
        self.push(&v.to_string());
        Ok(())
    }

    fn visit_u64<E: de::Error>(mut self, v: u64) -> Result<(), E> {
        self.push(&v.to_string());
        Ok(())
    }

    fn visit_f64<E: de::Error>(mut self, v: f64) -> Result<(), E> {
        self.push(&serde_json::Value::from(v).to_string());
        Ok(())
    }

    fn visit_str<E: de::Error>(mut self, v: &str) -> Result<(), E> {
        self.push(&quoted(v));
        Ok(())
    }

    fn visit_unit<E: de::Error>(mut self) -> Result<(), E> {
        self.push("null");
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        self.push("[");
        let mut first = true;
        loop {
            let mark = self.out.len();
            if !first {
                self.push(",");
            }
            if seq.next_element_seed(Preview { out: &mut *self.out })?.is_none() {
                self.out.truncate(mark);
                break;
            }
            first = false;
        }
        self.push("]");
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.push("{");
        let mut first = true;
        while let Some(key) = map.next_key::<String>()? {
            if !first {
                self.push(",");
            }
            first = false;
            self.push(&quoted(&key));
            self.push(":");
            map.next_value_seed(Preview { out: &mut *self.out })?;
        }
        self.push("}");
        Ok(())
    }
}

/// One object of the answers list as a row, or the bad row saying why not.
fn answer_row(fields: &[(String, Scalar)], row: u64, limits: &Limits) -> Result<RawRow, BadRow> {
    let bad = |column: &str, value: String, reason: String| BadRow {
        sheet: None,
        row,
        column: column.to_string(),
        value,
        reason,
    };
    let mut texts = Vec::with_capacity(ROW_FIELDS.len());
    for field in ROW_FIELDS {
        match lookup(fields, field) {
            Ok(Some((key, text))) if text.len() as u64 > limits.max_cell_bytes => {
                return Err(long_cell(None, row, key, text, limits));
            }
            Ok(found) => texts.push(found.map(|(_, text)| text.to_string())),
            Err((key, found, preview)) => {
                return Err(bad(key, preview.to_string(), format!("'{key}' must be text or a number, found {found}")));
            }
        }
    }
    let mut texts = texts.into_iter();
    let mut next = || texts.next().flatten();
    let (unit_code, year, track, component, subcomponent) = (next(), next(), next(), next(), next());
    let (criterion, answer, notes, evidence) = (next(), next(), next(), next());
    let required = |value: Option<String>, field: Field| {
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
fn lookup(fields: &[(String, Scalar)], field: Field) -> Result<Option<Found<'_>>, NotScalar<'_>> {
    for alias in field.aliases() {
        match fields.iter().find(|(k, _)| k == alias) {
            None | Some((_, Scalar::Null)) => continue,
            Some((_, Scalar::Text(text))) if text.is_empty() => return Ok(None),
            Some((key, Scalar::Text(text))) => return Ok(Some((key, text))),
            Some((key, Scalar::Other { kind, preview })) => return Err((key, kind, preview)),
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reader under the default limits.
    fn read(bytes: &[u8]) -> Result<RawSubmission, FileProblem> {
        super::read(bytes, &Limits::default())
    }

    fn unreadable(bytes: &[u8]) -> String {
        match read(bytes) {
            Err(FileProblem::Unreadable(msg)) => msg,
            other => panic!("expected Unreadable, got {other:?}"),
        }
    }

    fn read_ok(text: &str) -> RawSubmission {
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
            (row.row, row.criterion.as_str(), row.answer.as_str()),
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
        assert_eq!((got.rows[1].row, got.rows[1].answer.as_str()), (2, "90"));
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
    }

    #[test]
    fn long_values_and_too_many_answers_hit_the_limits() {
        let limits = Limits { max_cell_bytes: 10, max_rows: 3, ..Limits::default() };
        let text = format!(
            r#"{{"answers": [{{"kode_kriteria": "1.1.1", "jawaban": "A", "catatan": "{}"}}, {{"kode_kriteria": "1.1.2", "jawaban": "B"}}, {{}}, {{"kode_kriteria": "1.1.3", "jawaban": "C", "lain": "{}"}}]}}"#,
            "x".repeat(100),
            "y".repeat(100)
        );
        let got = super::read(text.as_bytes(), &limits).unwrap_or_default();
        // The unknown key 'lain' may be long; the empty object is no row.
        assert_eq!(got.rows.iter().map(|r| r.row).collect::<Vec<_>>(), [2, 4]);
        let bad = &got.bad_rows[0];
        assert_eq!((bad.row, bad.column.as_str()), (1, "catatan"));
        assert_eq!(bad.value, format!("{}…", "x".repeat(80)));
        assert_eq!(bad.reason, "the 'catatan' cell is 100 bytes long, over the pipeline's limit of 10 bytes (limits.max_cell_bytes)");
        let four = r#"{"answers": [{"criterion": "1.1.1", "answer": "A"}, 1, 2, 3]}"#;
        let Err(FileProblem::TooLarge(msg)) = super::read(four.as_bytes(), &limits) else { panic!("four rows allowed") };
        assert!(msg.contains("more than 3 answer rows") && msg.contains("(limits.max_rows)"), "{msg}");
        let unit = format!(r#"{{"unit_code": "{}", "answers": []}}"#, "5".repeat(20));
        let Err(FileProblem::TooLarge(msg)) = super::read(unit.as_bytes(), &limits) else { panic!("long unit code allowed") };
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
        assert_eq!((got.rows[0].criterion.as_str(), got.rows[0].answer.as_str()), ("1.1.1", "A"));
        assert_eq!(unreadable(b"{\"answers\": []} x").split(" at line").next(), Some("not valid JSON: trailing characters"));
    }
}
