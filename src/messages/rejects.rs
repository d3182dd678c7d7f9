//! Why a row or a file was refused, in Indonesian, for the *Penolakan*
//! sheet of the provincial review.
//!
//! The `rejects` table keeps its machine-readable `rule` and the English
//! `reason` operators read; the Indonesian text is built here from the rule
//! code and the column and value at fault, which every reject carries, so
//! no reason has to be parsed back out of English. A rule this catalogue
//! does not know yet still gets a sentence that names the rule.

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

/// The Indonesian reason for a reject of `rule`, with the `column` and the
/// `value` found there.
pub fn alasan(rule: &str, column_name: &str, value: &str) -> String {
    let col = column(column_name);
    match rule {
        "off-scale" => format!("jawaban '{value}' tidak ada pada skala jawaban kriteria ini"),
        "unknown-criterion" => format!("kriteria '{value}' tidak ada dalam rubrik tahun ini"),
        "duplicate-criterion" => format!("kriteria {value} dijawab lebih dari sekali; jawaban pertama yang dipakai"),
        "unknown-track" => format!("penilaian '{value}' bukan 'mandiri' dan bukan 'evaluator'"),
        "unit-mismatch" => format!("kode satker '{value}' tidak sama dengan satker berkas ini"),
        "unknown-unit" if value.is_empty() => "kode satker tidak ada: tambahkan kolom kode_satker atau awali nama berkas dengan kode satker".to_string(),
        "unknown-unit" => format!("kode satker '{value}' bukan satker KPU dalam daftar wilayah"),
        "other-province" => format!("satker '{value}' bukan satker provinsi ini"),
        "year-mismatch" => format!("{col} '{value}' tidak sama dengan tahun folder berkas"),
        "no-rubric" => "pipeline tidak menetapkan rubrik untuk tahun ini".to_string(),
        "duplicate-submission" => "satker ini mengirim lebih dari satu berkas untuk tahun ini; berkas lain yang dipakai".to_string(),
        "empty" => "berkas kosong: tidak ada baris jawaban".to_string(),
        "incomplete" => format!("lembar kerja tidak lengkap: kriteria {} tidak dijawab, dan rubrik tahun ini tidak menilai lembar kerja yang tidak lengkap", value.replace(';', ", ")),
        "blank" => "lembar kerja dikembalikan kosong: tidak satu pun kriteria dijawab; satker dianggap belum mengirim".to_string(),
        "unit-not-formed" => format!("satker '{value}' belum ada pada tahun ini: provinsinya baru dibentuk untuk evaluasi sesudahnya"),
        "missing-column" => format!("kolom wajib '{col}' tidak ada dalam berkas"),
        "duplicate-column" => "ada kolom yang muncul lebih dari sekali dalam baris judul".to_string(),
        "too-large" => "berkas terlalu besar untuk dibaca dengan aman".to_string(),
        "unreadable" => "berkas tidak dapat dibaca (rusak atau bukan format yang disebut namanya)".to_string(),
        "unreadable-row" => "baris ini tidak dapat dibaca".to_string(),
        "unsupported-format" => "jenis berkas tidak didukung".to_string(),
        "not-in-year-folder" => "berkas tidak berada di dalam folder tahun (<kotak masuk>/<tahun>/)".to_string(),
        "symlink" => "tautan simbolik tidak dibaca".to_string(),
        other if value.is_empty() => format!("ditolak menurut aturan '{other}'"),
        other => format!("ditolak menurut aturan '{other}' ({col}: '{value}')"),
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
        for rule in rules {
            assert!(!alasan(rule, "answer", "Z").contains("menurut aturan"), "{rule} falls back to the generic sentence");
        }
        assert_eq!(alasan("off-scale", "answer", "Z"), "jawaban 'Z' tidak ada pada skala jawaban kriteria ini");
        assert_eq!(alasan("new-rule", "year", "2023"), "ditolak menurut aturan 'new-rule' (tahun: '2023')");
    }
}
