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

/// The unit's rank in the province, on its card: `9 / 18`.
pub fn rank_of(rank: i64, of: i64) -> String {
    format!("{rank} / {of}")
}
/// Under the rank card.
pub const CARD_RANK: &str = "peringkat di provinsi";

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
        format!("Menutup selisih terbesar memberi {total} → {predikat}.")
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

/// The provincial review: page, workbook sheets and charts.
pub mod province {
    /// `Provinsi Nusa Tenggara Timur`.
    pub fn place(name: &str) -> String {
        format!("Provinsi {name}")
    }
    /// The page's title.
    pub fn title(year: i32, place: &str) -> String {
        format!("Reviu SAKIP {year} — {place}")
    }
    /// Above the page's heading.
    pub fn eyebrow(year: i32) -> String {
        format!("Reviu Evaluasi SAKIP · Tahun {year}")
    }
    /// The rubric, in the page's header.
    pub fn rubric(name: &str) -> String {
        format!("Rubrik: {name}")
    }
    /// The predikat scale, in the page's header.
    pub fn scale(name: &str) -> String {
        format!("Skala predikat: {name}")
    }
    /// Table of contents: (anchor, label).
    pub const TOC: [(&str, &str); 9] = [
        ("bagian-peringkat", "Peringkat"),
        ("bagian-grafik", "Grafik"),
        ("bagian-komponen", "Komponen"),
        ("bagian-perubahan", "Perubahan"),
        ("bagian-belum", "Belum mengirim"),
        ("bagian-kosong", "Kriteria kosong"),
        ("bagian-selisih", "Selisih mandiri"),
        ("bagian-klinik", "Kehilangan poin"),
        ("bagian-penolakan", "Penolakan"),
    ];
    /// Section: ranking.
    pub const RANKING: &str = "Peringkat";
    /// Nobody ranked.
    pub const RANKING_NONE: &str = "Belum ada satker yang dinilai evaluator tahun ini.";
    /// Section: the ranking chart.
    pub const CHART: &str = "Nilai Akhir per Satker";
    /// Section: grade distribution.
    pub const DISTRIBUTION: &str = "Distribusi Predikat";
    /// Section: components.
    pub const COMPONENTS: &str = "Profil Komponen";
    /// Note under it.
    pub const COMPONENTS_NOTE: &str = "Nilai tiap komponen sebagai persentase dari nilai maksimumnya (penilaian evaluator).";
    /// A component's maximum in the chart's key.
    pub fn max(value: &str) -> String {
        format!(" (maks. {value})")
    }
    /// Section: change since last year.
    pub fn movement(previous: i32) -> String {
        format!("Perubahan dari Tahun {previous}")
    }
    /// Note under it.
    pub const MOVEMENT_NOTE: &str = "Selisih nilai akhir tahun ini dengan tahun lalu, urut peringkat tahun ini.";
    /// Section: not submitted.
    pub const NOT_SUBMITTED: &str = "Belum Mengirim";
    /// Note under it.
    pub const NOT_SUBMITTED_NOTE: &str = "Satker provinsi ini menurut daftar wilayah yang belum mempunyai nilai evaluator tahun ini.";
    /// Everybody submitted.
    pub const NOT_SUBMITTED_NONE: &str = "Semua satker sudah mempunyai nilai evaluator.";
    /// Section: incomplete worksheets.
    pub const INCOMPLETE: &str = "Kriteria Kosong";
    /// Note under it.
    pub const INCOMPLETE_NOTE: &str = "Lembar kerja yang dinilai dengan kriteria belum dijawab (penilaian mandiri dan evaluator).";
    /// None incomplete.
    pub const INCOMPLETE_NONE: &str = "Tidak ada kriteria yang kosong.";
    /// Section: self-assessment gaps.
    pub const GAPS: &str = "Selisih Penilaian Mandiri";
    /// Note under it.
    pub const GAPS_NOTE: &str = "Selisih = nilai mandiri − nilai evaluator; positif berarti satker menilai dirinya lebih tinggi daripada evaluator.";
    /// No unit with both tracks.
    pub const GAPS_NONE: &str = "Tidak ada satker dengan kedua penilaian.";
    /// Section: rejects.
    pub const REJECTS: &str = "Penolakan";
    /// Note under it.
    pub fn rejects_note(n: usize) -> String {
        format!("{n} baris atau berkas ditolak saat dibaca; baris berurutan dengan alasan yang sama diringkas menjadi satu.")
    }
    /// Nothing refused.
    pub const REJECTS_NONE: &str = "Tidak ada yang ditolak.";
    /// A run of refused rows: `2–161 (160 baris)`.
    pub fn row_run(first: i64, last: i64, n: usize) -> String {
        format!("{first}–{last} ({n} baris)")
    }
    /// The page's footer.
    pub const FOOTER: &str = "Dibuat oleh sakip dari gudang data Parquet (tabel answers, scores, rankings, component_rankings, rejects). Nilai dibulatkan sekali, setengah ke atas, ke dua desimal.";
    /// Cards: units scored.
    pub const CARD_UNITS: &str = "satker dinilai";
    /// Cards: mean score.
    pub const CARD_MEAN: &str = "rata-rata nilai";
    /// Cards: not submitted.
    pub const CARD_NOT_SUBMITTED: &str = "belum mengirim";
    /// Cards: incomplete worksheets.
    pub const CARD_INCOMPLETE: &str = "lembar kerja dengan kriteria kosong";
    /// Cards: rejects.
    pub const CARD_REJECTS: &str = "baris/berkas ditolak";
    /// The self-assessment track.
    pub const TRACK_MANDIRI: &str = "Mandiri";
    /// The evaluator track.
    pub const TRACK_EVALUATOR: &str = "Evaluator";
    /// Chart titles.
    pub fn chart_ranking(units: usize) -> String {
        format!("Nilai akhir {units} satker, urut peringkat")
    }
    /// The agency's prefix, dropped from unit names in charts.
    pub const AGENCY_PREFIX: &str = "KPU ";
    /// Shorter names for charts on a phone: (long, short).
    pub const ABBREVIATIONS: [(&str, &str); 2] = [("Kabupaten ", "Kab. "), ("Provinsi ", "Prov. ")];
    /// A bar's tooltip in the grade chart: `BB: 7 satker`.
    pub fn units_with(predikat: &str, n: usize) -> String {
        format!("{predikat}: {n} satker")
    }
    /// Chart: grade distribution.
    pub const CHART_DISTRIBUTION: &str = "Jumlah satker per predikat";
    /// Chart: components.
    pub const CHART_COMPONENTS: &str = "Nilai komponen sebagai persentase nilai maksimum, per satker";
    /// Chart: change since last year.
    pub fn chart_movement(previous: i32) -> String {
        format!("Perubahan nilai akhir sejak {previous}")
    }
    /// A rank change in a chart's tooltip.
    pub fn rank_change(change: &str) -> String {
        format!(", peringkat {change}")
    }
    /// Workbook sheet names, in order.
    pub const SHEETS: [&str; 6] = ["Peringkat", "Distribusi Predikat", "Belum Mengirim", "Kriteria Kosong", "Selisih Mandiri", "Penolakan"];
    /// Column titles of the provincial tables: (CSV key, title).
    pub mod col {
        /// Rank.
        pub const RANK: (&str, &str) = ("peringkat", "Peringkat");
        /// Unit code.
        pub const UNIT_CODE: (&str, &str) = ("kode_satker", "Kode Satker");
        /// Unit name.
        pub const UNIT_NAME: (&str, &str) = ("nama_satker", "Nama Satker");
        /// Score.
        pub const SCORE: (&str, &str) = ("nilai", "Nilai");
        /// Predikat.
        pub const PREDIKAT: (&str, &str) = ("predikat", "Predikat");
        /// Last year's score.
        pub const PREV_SCORE: (&str, &str) = ("nilai_tahun_lalu", "Nilai Tahun Lalu");
        /// Score change.
        pub const SCORE_CHANGE: (&str, &str) = ("perubahan_nilai", "Perubahan Nilai");
        /// Rank change.
        pub const RANK_CHANGE: (&str, &str) = ("perubahan_peringkat", "Perubahan Peringkat");
        /// Last year's predikat.
        pub const PREV_PREDIKAT: (&str, &str) = ("predikat_tahun_lalu", "Predikat Tahun Lalu");
        /// Score range of a grade.
        pub const RANGE: (&str, &str) = ("rentang_nilai", "Rentang Nilai");
        /// A grade's label.
        pub const LABEL: (&str, &str) = ("keterangan", "Keterangan");
        /// Units per grade.
        pub const UNITS: (&str, &str) = ("jumlah_satker", "Jumlah Satker");
        /// Track.
        pub const TRACK: (&str, &str) = ("penilaian", "Penilaian");
        /// A count.
        pub const COUNT: (&str, &str) = ("jumlah", "Jumlah");
        /// Criteria.
        pub const CRITERIA: (&str, &str) = ("kriteria", "Kriteria");
        /// Self-assessed score.
        pub const MANDIRI: (&str, &str) = ("nilai_mandiri", "Nilai Mandiri");
        /// Evaluator's score.
        pub const EVALUATOR: (&str, &str) = ("nilai_evaluator", "Nilai Evaluator");
        /// Difference.
        pub const DIFFERENCE: (&str, &str) = ("selisih", "Selisih");
        /// File.
        pub const FILE: (&str, &str) = ("berkas", "Berkas");
        /// Sheet.
        pub const SHEET: (&str, &str) = ("lembar", "Lembar");
        /// Row.
        pub const ROW: (&str, &str) = ("baris", "Baris");
        /// Column.
        pub const COLUMN: (&str, &str) = ("kolom", "Kolom");
        /// Value.
        pub const VALUE: (&str, &str) = ("nilai", "Nilai");
        /// Reason (Indonesian).
        pub const REASON: (&str, &str) = ("alasan", "Alasan");
        /// Rule code.
        pub const RULE: (&str, &str) = ("aturan", "Aturan");
    }
}

/// A unit under today's name with the code it had before the 2022 changes,
/// shown up to the first year under its new code.
pub fn former_code(name: &str, old_code: &str) -> String {
    format!("{name} (dahulu {old_code})")
}
