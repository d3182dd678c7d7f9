//! Why a row or a file was refused, in Indonesian, for the *Penolakan*
//! sheet of the provincial review.
//!
//! The `rejects` table keeps its machine-readable `rule` and the English
//! `reason` operators read; the Indonesian text is built here from the rule
//! code and the column and value at fault, which every reject carries, so
//! no reason has to be parsed back out of English. A rule this catalogue
//! does not know yet still gets a sentence that names the rule. The match
//! is on [`Rule`], so a rule added there cannot be left without a sentence.

use crate::rejects::Rule;

/// The column at fault as planners call it.
pub fn column(name: &str) -> &str {
    match name {
        "answer" => "jawaban",
        "criterion" => "kode kriteria",
        "unit_code" => "kode satker",
        "year" => "tahun",
        "track" => "penilaian",
        "notes" => "catatan",
        "evidence" => "bukti",
        other => other,
    }
}

/// The Indonesian reason for a reject whose stored rule code is `rule`,
/// with the `column` and the `value` found there.
pub fn alasan(rule: &str, column_name: &str, value: &str) -> String {
    let col = column(column_name);
    let Some(known) = Rule::from_code(rule) else {
        return if value.is_empty() { format!("ditolak menurut aturan '{rule}'") } else { format!("ditolak menurut aturan '{rule}' ({col}: '{value}')") };
    };
    match known {
        Rule::OffScale => format!("jawaban '{value}' tidak ada pada skala jawaban kriteria ini"),
        Rule::UnknownCriterion => format!("kriteria '{value}' tidak ada dalam rubrik tahun ini"),
        Rule::DuplicateCriterion => format!("kriteria {value} dijawab lebih dari sekali; jawaban pertama yang dipakai"),
        Rule::UnknownTrack => format!("penilaian '{value}' bukan 'mandiri' dan bukan 'evaluator'"),
        Rule::UnitMismatch => format!("kode satker '{value}' tidak sama dengan satker berkas ini"),
        Rule::UnknownUnit if value.is_empty() => "kode satker tidak ada: tambahkan kolom kode_satker atau awali nama berkas dengan kode satker".to_string(),
        Rule::UnknownUnit => format!("kode satker '{value}' bukan satker KPU dalam daftar wilayah"),
        Rule::OtherProvince => format!("satker '{value}' bukan satker provinsi ini"),
        Rule::YearMismatch => format!("{col} '{value}' tidak sama dengan tahun folder berkas"),
        Rule::NoRubric => "pipeline tidak menetapkan rubrik untuk tahun ini".to_string(),
        Rule::DuplicateSubmission => "satker ini mengirim lebih dari satu berkas untuk tahun ini; berkas lain yang dipakai".to_string(),
        Rule::Empty => "berkas kosong: tidak ada baris jawaban".to_string(),
        Rule::Incomplete => format!("lembar kerja tidak lengkap: kriteria {} tidak dijawab, dan rubrik tahun ini tidak menilai lembar kerja yang tidak lengkap", value.replace(';', ", ")),
        Rule::Blank => "lembar kerja dikembalikan kosong: tidak satu pun kriteria dijawab; satker dianggap belum mengirim".to_string(),
        Rule::UnitNotFormed => format!("satker '{value}' belum ada pada tahun ini: provinsinya baru dibentuk untuk evaluasi sesudahnya"),
        Rule::MissingColumn => format!("kolom wajib '{col}' tidak ada dalam berkas"),
        Rule::DuplicateColumn => "ada kolom yang muncul lebih dari sekali dalam baris judul".to_string(),
        Rule::TooLarge => "berkas terlalu besar untuk dibaca dengan aman".to_string(),
        Rule::Unreadable => "berkas tidak dapat dibaca (rusak atau bukan format yang disebut namanya)".to_string(),
        Rule::UnreadableRow => "baris ini tidak dapat dibaca".to_string(),
        Rule::UnsupportedFormat => "jenis berkas tidak didukung".to_string(),
        Rule::NotInYearFolder => "berkas tidak berada di dalam folder tahun (<kotak masuk>/<tahun>/)".to_string(),
        Rule::Symlink => "tautan simbolik tidak dibaca".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::alasan;

    #[test]
    fn every_rule_of_the_readme_has_its_own_sentence() {
        // The rule codes the README's warehouse contract lists.
        let rules = [
            "off-scale", "unknown-criterion", "duplicate-criterion", "unknown-track", "unit-mismatch", "unknown-unit", "other-province",
            "year-mismatch", "no-rubric", "duplicate-submission", "empty", "incomplete", "blank", "unit-not-formed", "missing-column", "duplicate-column", "too-large", "unreadable",
            "unreadable-row", "unsupported-format", "not-in-year-folder", "symlink",
        ];
        assert_eq!(rules.len(), crate::rejects::Rule::ALL.len());
        for rule in rules {
            assert!(!alasan(rule, "answer", "Z").contains("menurut aturan"), "{rule} falls back to the generic sentence");
        }
        assert_eq!(alasan("off-scale", "answer", "Z"), "jawaban 'Z' tidak ada pada skala jawaban kriteria ini");
        assert_eq!(alasan("new-rule", "year", "2023"), "ditolak menurut aturan 'new-rule' (tahun: '2023')");
    }
}
