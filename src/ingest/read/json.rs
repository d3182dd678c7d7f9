//! JSON submissions from the web form: one object naming the unit, year and
//! track once, with a list of answer objects. Key names follow the same
//! alias table as spreadsheet headers, so the form may speak Indonesian or
//! English; values may be text or numbers and are kept as text.

use serde_json::{Map, Value};

use super::{
    non_empty, normalize_header, BadRow, Field, FileProblem, RawRow, RawSubmission,
    ANSWER_LIST_KEYS,
};

/// Reads a JSON export into rows of text cells; see the module docs.
pub(super) fn read(bytes: &[u8]) -> Result<RawSubmission, FileProblem> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| FileProblem::Unreadable(format!("not valid JSON: {e}")))?;
    let Value::Object(top) = value else {
        return Err(FileProblem::Unreadable(format!(
            "expected a JSON object with an 'answers' list, found {}",
            kind(&value)
        )));
    };
    let top = normalized(&top);
    let answers = match ANSWER_LIST_KEYS.iter().find_map(|k| top.get(*k)) {
        Some(Value::Array(items)) => items,
        Some(other) => {
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

    let file_level = |field: Field| match lookup(&top, field) {
        Ok(text) => Ok(text),
        Err((key, found)) => Err(FileProblem::Unreadable(format!(
            "'{key}' must be text or a number, found {found}"
        ))),
    };
    let mut out = RawSubmission {
        unit_code: file_level(Field::UnitCode)?,
        year: file_level(Field::Year)?,
        track: file_level(Field::Track)?,
        ..RawSubmission::default()
    };
    for (i, item) in answers.iter().enumerate() {
        let row = i as u64 + 1;
        match answer_row(item, row) {
            Ok(Some(raw)) => out.rows.push(raw),
            Ok(None) => {}
            Err(bad) => out.bad_rows.push(bad),
        }
    }
    non_empty(out)
}

/// One element of the answers list; `None` for an object with no values.
fn answer_row(item: &Value, row: u64) -> Result<Option<RawRow>, BadRow> {
    let bad = |column: &str, value: String, reason: String| BadRow {
        sheet: None,
        row,
        column: column.to_string(),
        value,
        reason,
    };
    let Value::Object(object) = item else {
        return Err(bad(
            "",
            item.to_string(),
            format!("answer {row} is {}, not an object", kind(item)),
        ));
    };
    if object
        .values()
        .all(|v| scalar_text(v).is_some_and(|t| t.is_empty()))
    {
        return Ok(None);
    }
    let object = normalized(object);
    let mut texts = Vec::with_capacity(9);
    for field in [
        Field::UnitCode,
        Field::Year,
        Field::Track,
        Field::Component,
        Field::Subcomponent,
        Field::Criterion,
        Field::Answer,
        Field::Notes,
        Field::Evidence,
    ] {
        match lookup(&object, field) {
            Ok(text) => texts.push(text),
            Err((key, found)) => {
                let value = object.get(&key).map(Value::to_string).unwrap_or_default();
                return Err(bad(
                    &key,
                    value,
                    format!("'{key}' must be text or a number, found {found}"),
                ));
            }
        }
    }
    let mut texts = texts.into_iter();
    let mut next = || texts.next().flatten();
    let (unit_code, year, track, component, subcomponent) =
        (next(), next(), next(), next(), next());
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
    Ok(Some(RawRow {
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
    }))
}

/// The object with its keys normalised like headers. Two keys that collapse
/// to one ("Kode Satker" and "kode_satker") keep whichever serde_json lists
/// first; two different aliases of a field are settled by [`lookup`].
fn normalized(object: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for (key, value) in object {
        out.entry(normalize_header(key))
            .or_insert_with(|| value.clone());
    }
    out
}

/// The text under the first alias of `field` present and not null, or the key
/// and the kind of value found when it is not a scalar.
fn lookup(
    object: &Map<String, Value>,
    field: Field,
) -> Result<Option<String>, (String, &'static str)> {
    for alias in field.aliases() {
        match object.get(*alias) {
            None | Some(Value::Null) => continue,
            Some(value) => {
                return match scalar_text(value) {
                    Some(text) if text.is_empty() => Ok(None),
                    Some(text) => Ok(Some(text)),
                    None => Err((alias.to_string(), kind(value))),
                }
            }
        }
    }
    Ok(None)
}

/// Text for a scalar, trimmed; numbers as their shortest decimal.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::Null => Some(String::new()),
        Value::String(s) => Some(s.trim().to_string()),
        Value::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Value::Number(n) => Some(match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) => super::number_text(f),
            _ => n.to_string(),
        }),
        Value::Array(_) | Value::Object(_) => None,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
