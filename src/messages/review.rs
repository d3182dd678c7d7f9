//! What planners and units read in the provincial review and the unit
//! results (*Laporan Hasil Evaluasi*): titles, notes, column headings and
//! the sentences built from figures. Figures arrive already formatted the
//! Indonesian way (`81,40`).

/// Eyebrow of a unit's page.
pub const UNIT_EYEBROW: &str = "Laporan Hasil Evaluasi SAKIP";
/// Card: the total.
pub const CARD_SCORE: &str = "nilai akhir";
/// Card: the predikat.
pub const CARD_PREDIKAT: &str = "predikat";
/// Card: the self-assessed total.
pub const CARD_MANDIRI: &str = "nilai penilaian mandiri";

/// The unit's rank in the province: `peringkat 3 dari 18`.
pub fn rank_of(rank: i64, of: i64) -> String {
    format!("peringkat {rank} dari {of} di provinsi")
}

/// Last year's figures, when there are.
pub fn last_year(year: i32, score: &str, predikat: &str, rank: Option<i64>) -> String {
    match rank {
        Some(r) => format!("Tahun {year}: nilai {score}, predikat {predikat}, peringkat {r}."),
        None => format!("Tahun {year}: nilai {score}, predikat {predikat}."),
    }
}

/// No score last year.
pub fn no_last_year(year: i32) -> String {
    format!("Tidak ada nilai tahun {year} untuk dibandingkan.")
}

/// The change since last year.
pub fn change_since(change: &str) -> String {
    format!("Perubahan nilai: {change}.")
}

/// Section: components.
pub const COMPONENTS: &str = "Nilai per Komponen dan Sub-Komponen";
/// Note under the components heading.
pub const COMPONENTS_NOTE: &str = "Nilai evaluator tiap komponen dan sub-komponen terhadap nilai maksimumnya (bobotnya).";
/// Section: points to gain.
pub const TO_GAIN: &str = "Poin yang Masih Bisa Diraih";
/// Note under the points-to-gain heading.
pub const TO_GAIN_NOTE: &str = "Setiap kriteria yang belum mendapat nilai penuh dari evaluator, urut dari poin terbuka terbesar. Poin dihitung tepat dari rubrik dan ditampilkan dengan dua desimal.";
/// Every criterion has full marks.
pub const TO_GAIN_NONE: &str = "Semua kriteria sudah mendapat nilai penuh.";

/// What closing the largest gaps gives: `Menutup 5 selisih terbesar memberi
/// 81,40 → A.`
pub fn next_grade(gaps: usize, total: &str, predikat: &str) -> String {
    if gaps == 1 {
        format!("Menutup 1 selisih terbesar memberi {total} → {predikat}.")
    } else {
        format!("Menutup {gaps} selisih terbesar memberi {total} → {predikat}.")
    }
}

/// No gap closing reaches a better predikat (or it is the best already).
pub const NEXT_GRADE_NONE: &str = "Predikat sudah yang tertinggi, atau tidak ada selisih yang dapat menaikkannya.";

/// Points open in all.
pub fn open_total(total: &str) -> String {
    format!("Jumlah poin terbuka: {total}.")
}

/// Section: self-assessment higher than the evaluator.
pub const OVER_RATED: &str = "Penilaian Mandiri Lebih Tinggi daripada Evaluator";
/// Note under it.
pub const OVER_RATED_NOTE: &str = "Kriteria yang dinilai lebih tinggi oleh satker sendiri daripada oleh evaluator.";
/// No such criterion.
pub const OVER_RATED_NONE: &str = "Tidak ada kriteria yang dinilai lebih tinggi oleh satker daripada oleh evaluator.";
/// Section: missing criteria.
pub const MISSING: &str = "Kriteria Belum Dijawab";
/// Note under it.
pub const MISSING_NOTE: &str = "Kriteria tanpa jawaban dihitung sesuai kebijakan rubrik dan selalu ditandai, tidak pernah diam-diam dianggap nol.";
/// No missing criterion.
pub const MISSING_NONE: &str = "Semua kriteria sudah dijawab.";
/// Section: evaluator notes.
pub const NOTES: &str = "Catatan Evaluator";
/// No notes.
pub const NOTES_NONE: &str = "Evaluator tidak memberi catatan.";
/// Shown for an unanswered answer.
pub const UNANSWERED: &str = "(belum dijawab)";
/// Link back to the provincial review.
pub const BACK: &str = "← Reviu provinsi";
/// Footer of a unit's page.
pub const UNIT_FOOTER: &str = "Dibuat oleh sakip dari gudang data Parquet (tabel answers dan rankings). Poin per kriteria dihitung tepat dari rubrik; nilai akhir dibulatkan sekali, setengah ke atas, ke dua desimal.";

/// Column headings of the unit's tables.
pub mod col {
    /// Code.
    pub const CODE: &str = "Kode";
    /// Component or sub-component.
    pub const PART: &str = "Komponen / Sub-Komponen";
    /// Score.
    pub const SCORE: &str = "Nilai";
    /// Maximum.
    pub const MAX: &str = "Maksimum";
    /// Share of the maximum.
    pub const SHARE: &str = "Capaian (%)";
    /// Criterion code.
    pub const CRITERION: &str = "Kriteria";
    /// Criterion text.
    pub const CRITERION_TEXT: &str = "Uraian Kriteria";
    /// The evaluator's answer.
    pub const ANSWER: &str = "Jawaban Evaluator";
    /// Points earned.
    pub const EARNED: &str = "Poin Diperoleh";
    /// Points full marks give.
    pub const FULL: &str = "Poin Maksimum";
    /// Points still open.
    pub const OPEN: &str = "Poin Terbuka";
    /// The self-assessment's answer.
    pub const MANDIRI: &str = "Jawaban Mandiri";
    /// Points the self-assessment claimed over the evaluator's.
    pub const DIFFERENCE: &str = "Selisih Poin";
    /// Track.
    pub const TRACK: &str = "Penilaian";
    /// Notes.
    pub const NOTES: &str = "Catatan";
    /// Evidence.
    pub const EVIDENCE: &str = "Bukti";
    /// Units below full marks.
    pub const UNITS_BELOW: &str = "Satker di Bawah Nilai Penuh";
    /// Points open over the province.
    pub const OPEN_TOTAL: &str = "Total Poin Terbuka";
    /// A rank.
    pub const RANK: &str = "No.";
}

/// Sheet names of a unit's workbook.
pub mod sheet {
    /// Summary.
    pub const SUMMARY: &str = "Ringkasan";
    /// Components.
    pub const COMPONENTS: &str = "Komponen";
    /// Points to gain.
    pub const TO_GAIN: &str = "Poin Bisa Diraih";
    /// Self-assessment higher.
    pub const OVER_RATED: &str = "Mandiri Lebih Tinggi";
    /// Missing criteria.
    pub const MISSING: &str = "Kriteria Belum Dijawab";
    /// Evaluator notes.
    pub const NOTES: &str = "Catatan Evaluator";
    /// Province-wide losses (provincial workbook).
    pub const LOSSES: &str = "Kriteria Kehilangan Poin";
}

/// Summary rows of a unit's workbook: (label).
pub mod summary {
    /// Unit.
    pub const UNIT: &str = "Satker";
    /// Year.
    pub const YEAR: &str = "Tahun";
    /// Rubric.
    pub const RUBRIC: &str = "Rubrik";
    /// Total.
    pub const SCORE: &str = "Nilai akhir";
    /// Predikat.
    pub const PREDIKAT: &str = "Predikat";
    /// Rank.
    pub const RANK: &str = "Peringkat di provinsi";
    /// Self-assessed total.
    pub const MANDIRI: &str = "Nilai penilaian mandiri";
    /// Last year's total.
    pub const PREV_SCORE: &str = "Nilai tahun lalu";
    /// Last year's predikat.
    pub const PREV_PREDIKAT: &str = "Predikat tahun lalu";
    /// Last year's rank.
    pub const PREV_RANK: &str = "Peringkat tahun lalu";
    /// Change.
    pub const CHANGE: &str = "Perubahan nilai";
    /// Points open.
    pub const OPEN: &str = "Jumlah poin terbuka";
    /// Next predikat.
    pub const NEXT: &str = "Predikat berikutnya";
    /// Item / value headings.
    pub const ITEM: &str = "Butir";
    /// Value heading.
    pub const VALUE: &str = "Isi";
}

/// Section of the provincial review: where points are lost province-wide.
pub const LOSSES: &str = "Kriteria yang Paling Banyak Kehilangan Poin";
/// Note under it.
pub const LOSSES_NOTE: &str = "Jumlah poin terbuka per kriteria di seluruh satker yang dinilai evaluator: tempat yang paling berguna untuk klinik atau bimbingan teknis provinsi.";
/// No loss at all.
pub const LOSSES_NONE: &str = "Tidak ada kriteria yang kehilangan poin.";
/// Note above the ranking: names open the unit pages.
pub const RANKING_LINKS_NOTE: &str = "Nama satker membuka Laporan Hasil Evaluasi satker itu.";
