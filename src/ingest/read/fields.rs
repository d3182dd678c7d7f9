//! The columns (and JSON keys) the readers know, each with the English name
//! messages use and the headers accepted for it, in one table.
//!
//! The table is written once, in the `fields!` call below, and the enum, the
//! list of all fields, the names and the aliases are all generated from it,
//! so adding a field or reordering them cannot leave two lists out of step.

/// Declares [`Field`] and its names and aliases from one table.
macro_rules! fields {
    ($($(#[$doc:meta])* $field:ident => $name:literal [$($alias:literal),+ $(,)?],)+) => {
        /// A column (or JSON key) the readers know.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(super) enum Field {
            $($(#[$doc])* $field,)+
        }

        impl Field {
            /// Every field, in table order (which is also `field as usize`).
            pub(super) const ALL: &'static [Field] = &[$(Field::$field,)+];

            /// The English name used in messages.
            pub(super) fn name(self) -> &'static str {
                match self {
                    $(Field::$field => $name,)+
                }
            }

            /// The headers accepted for the field, in the normalised form
            /// [`normalize_header`] produces. Earlier aliases win when a JSON
            /// object carries several.
            pub(super) fn aliases(self) -> &'static [&'static str] {
                match self {
                    $(Field::$field => &[$($alias),+],)+
                }
            }
        }
    };
}

fields! {
    UnitCode => "unit_code" ["kode_satker", "unit_code", "kode_unit", "satker"],
    Criterion => "criterion" ["kode_kriteria", "criterion", "kriteria_kode", "criterion_code"],
    Answer => "answer" ["jawaban", "answer", "nilai"],
    Year => "year" ["tahun", "year"],
    Track => "track" ["penilaian", "track"],
    Component => "component" ["komponen", "component"],
    Subcomponent => "subcomponent" ["sub_komponen", "subkomponen", "subcomponent"],
    Notes => "notes" ["catatan", "notes", "keterangan"],
    Evidence => "evidence" ["bukti", "evidence", "link_bukti"],
    /// The criterion's wording ("3. Terdapat ..."), used only when a form has
    /// no criterion-code column and the code must be derived from numbering.
    CriterionText => "criterion_text" ["kriteria", "criterion_text", "uraian_kriteria"],
    /// The self-assessment's answer, in a worksheet with one answer column
    /// per track (the layout `sakip template` writes).
    AnswerMandiri => "answer_mandiri" ["jawaban_mandiri", "answer_mandiri"],
    /// The evaluator's answer, in the same layout.
    AnswerEvaluator => "answer_evaluator" ["jawaban_evaluator", "answer_evaluator"],
    /// The self-assessment's notes, in the same layout.
    NotesMandiri => "notes_mandiri" ["catatan_mandiri", "notes_mandiri"],
    /// The evaluator's notes, in the same layout.
    NotesEvaluator => "notes_evaluator" ["catatan_evaluator", "notes_evaluator"],
}

/// How many fields there are: the size of a per-field table.
pub(super) const FIELD_COUNT: usize = Field::ALL.len();

impl Field {
    /// The field a header names, if any.
    pub(super) fn for_header(header: &str) -> Option<Field> {
        let norm = normalize_header(header);
        Field::ALL.iter().copied().find(|f| f.aliases().contains(&norm.as_str()))
    }
}

/// The per-track columns of a worksheet with one answer column per track:
/// the track's name as the warehouse writes it, its answer and its notes.
pub(super) const TRACK_COLUMNS: [(&str, Field, Field); 2] =
    [("mandiri", Field::AnswerMandiri, Field::NotesMandiri), ("evaluator", Field::AnswerEvaluator, Field::NotesEvaluator)];

/// Fields whose value the next step judges: two columns with the same header
/// for one of them make the file ambiguous. (Notes, evidence and the like
/// keep their first column, as a stray copy of them changes no score.)
pub(super) const JUDGED: [Field; 7] =
    [Field::UnitCode, Field::Criterion, Field::Answer, Field::Year, Field::Track, Field::AnswerMandiri, Field::AnswerEvaluator];

/// Headers are typed by people in two languages: compare them trimmed,
/// lowercased, with spaces and dashes as underscores (runs collapsed, so
/// "Kode  Kriteria" still matches), and without a stray BOM.
pub(super) fn normalize_header(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for c in header
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .chars()
    {
        if c.is_whitespace() || c == '-' || c == '_' {
            if !out.ends_with('_') {
                out.push('_');
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_in_either_language_and_any_spelling() {
        assert_eq!(
            Field::for_header("\u{feff}Kode Satker"),
            Some(Field::UnitCode)
        );
        assert_eq!(
            Field::for_header("  KODE-KRITERIA "),
            Some(Field::Criterion)
        );
        assert_eq!(Field::for_header("Sub Komponen"), Some(Field::Subcomponent));
        assert_eq!(Field::for_header("Link  Bukti"), Some(Field::Evidence));
        assert_eq!(Field::for_header("Answer"), Some(Field::Answer));
        assert_eq!(Field::for_header("skor"), None);
    }

    #[test]
    fn every_field_sits_at_its_own_index_with_aliases_nobody_shares() {
        let mut seen = std::collections::BTreeSet::new();
        for (i, field) in Field::ALL.iter().enumerate() {
            assert_eq!(*field as usize, i);
            assert!(!field.aliases().is_empty(), "{field:?}");
            for alias in field.aliases() {
                assert_eq!(normalize_header(alias), *alias, "aliases are stored normalised");
                assert!(seen.insert(*alias), "'{alias}' names two fields");
            }
        }
    }
}
