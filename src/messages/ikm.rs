//! Indonesian texts of the IKM and IKU evaluations: why a survey row or an
//! indicator row was refused, and the statuses units read in their tables.

/// A file in a format neither CSV, XLSX nor JSON.
pub const UNSUPPORTED_FORMAT: &str = "format berkas tidak didukung: kirim CSV, XLSX atau JSON";

/// The status of a unit scored.
pub const SCORED: &str = "dinilai";

/// A row with no cells at all.
pub const EMPTY_ROW: &str = "baris kosong";

/// A file that cannot be read.
pub fn unreadable(why: &str) -> String {
    format!("berkas tidak dapat dibaca: {why}")
}

/// A file over the pipeline's size limit.
pub fn too_large(size: u64, limit: u64) -> String {
    format!("berkas terlalu besar: {size} bita, batas {limit} bita")
}

/// A file with more rows than the pipeline allows.
pub fn too_many_rows(rows: usize, limit: u64) -> String {
    format!("berkas memuat {rows} baris, batas {limit} baris")
}

/// A CSV that does not parse.
pub fn bad_csv(why: &str) -> String {
    format!("CSV rusak: {why}")
}

/// An XLSX that does not open.
pub fn bad_xlsx(why: &str) -> String {
    format!("XLSX rusak: {why}")
}

/// A JSON that does not parse.
pub fn bad_json(why: &str) -> String {
    format!("JSON rusak: {why}")
}

/// A file without a needed column.
pub fn missing_column(what: &str) -> String {
    format!("kolom {what} tidak ada di berkas")
}

/// Two columns that name the same element.
pub fn column_twice(what: &str) -> String {
    format!("kolom {what} muncul lebih dari sekali")
}

/// A blank cell that is required.
pub fn blank(what: &str) -> String {
    format!("{what} kosong")
}

/// A unit code the registry does not know.
pub fn unknown_unit(code: &str) -> String {
    format!("kode satker '{code}' tidak dikenal")
}

/// A unit of another province than the pipeline's.
pub fn other_province(code: &str, province: &str) -> String {
    format!("satker {code} bukan bagian dari provinsi {province}")
}

/// A year that is not a year.
pub fn bad_year(text: &str) -> String {
    format!("tahun '{text}' tidak sah")
}

/// An element answer that is not a whole number on the scale.
pub fn answer_out_of_scale(element: &str, text: &str, min: i64, max: i64) -> String {
    format!("jawaban unsur {element} '{text}' di luar skala {min}–{max}")
}

/// A respondent id met more than once for one unit, year and service.
pub fn duplicate_respondent(id: &str, times: usize) -> String {
    format!("id responden '{id}' ganda ({times} baris): semua barisnya ditolak")
}

/// The status of a unit with fewer respondents than the minimum.
pub fn too_few_respondents(n: usize, minimum: usize) -> String {
    format!("responden kurang: {n} dari minimal {minimum}, tidak dinilai")
}

/// A value that is not a number.
pub fn not_a_number(what: &str, text: &str) -> String {
    format!("{what} '{text}' bukan angka")
}

/// A zero target: the ratio is undefined.
pub fn zero_target(what: &str) -> String {
    format!("{what} bernilai 0: capaian tidak dapat dihitung")
}

/// A range whose lower bound is above its upper bound.
pub fn range_reversed(low: &str, high: &str) -> String {
    format!("rentang target terbalik: {low} di atas {high}")
}

/// An indicator the rule file does not list.
pub fn unknown_indicator(code: &str) -> String {
    format!("indikator '{code}' tidak ada dalam daftar IKU")
}

/// A direction word not understood.
pub fn bad_direction(text: &str) -> String {
    format!("arah '{text}' tidak dikenal: tulis naik, turun atau rentang")
}

/// A direction in the row that differs from the rule file's.
pub fn direction_differs(row: &str, rule: &str) -> String {
    format!("arah '{row}' berbeda dengan daftar IKU ({rule})")
}

/// A range indicator without its upper bound.
pub const RANGE_NEEDS_UPPER: &str = "indikator rentang memerlukan target_atas";

/// An indicator reported more than once for one unit and year.
pub fn duplicate_indicator(code: &str, times: usize) -> String {
    format!("indikator '{code}' dilaporkan {times} kali: semua barisnya ditolak")
}

/// Texts of the IKM and IKU section of the provincial review.
pub mod review {
    /// The page title.
    pub fn title(province: &str, year: i32) -> String {
        format!("Reviu IKM dan IKU {province} — {year}")
    }
    /// The IKM heading.
    pub const IKM: &str = "Indeks Kepuasan Masyarakat (IKM)";
    /// The IKU heading.
    pub const IKU: &str = "Capaian Indikator Kinerja Utama (IKU)";
    /// The ranking sub-heading.
    pub const RANKING: &str = "Peringkat";
    /// The distribution sub-heading.
    pub const DISTRIBUTION: &str = "Sebaran";
    /// The IKM priorities sub-heading.
    pub const LOWEST_ELEMENTS: &str = "Unsur dengan NRR terendah per satker (prioritas perbaikan)";
    /// The IKU weakest sub-heading.
    pub const WEAKEST: &str = "Indikator dengan capaian terendah per satker";
    /// Units surveyed but not scored.
    pub const NOT_SCORED: &str = "Tidak dinilai";
    /// Column headers.
    pub const RANK: &str = "Peringkat";
    /// Column header.
    pub const UNIT: &str = "Satuan kerja";
    /// Column header.
    pub const RESPONDENTS: &str = "Responden";
    /// Column header.
    pub const MUTU: &str = "Mutu";
    /// Column header.
    pub const KINERJA: &str = "Kinerja unit pelayanan";
    /// Column header.
    pub const LAST_YEAR: &str = "Tahun lalu";
    /// Column header.
    pub const CAPAIAN: &str = "Capaian (%)";
    /// Column header.
    pub const GRADE: &str = "Predikat";
    /// Column header.
    pub const INDICATORS: &str = "Jumlah indikator";
    /// Column header.
    pub const UNITS: &str = "Jumlah satker";
    /// Column header.
    pub const ELEMENTS: &str = "Unsur (NRR)";
    /// Column header.
    pub const INDICATOR: &str = "Indikator (capaian %)";
    /// Refused rows of the province.
    pub fn refused(n: usize) -> String {
        format!("Baris ditolak tahun ini: {n} (rincian di tabel ikm_rejects / iku_rejects)")
    }
    /// The rule and method note under a heading.
    pub fn method(rule: &str) -> String {
        format!("Aturan: {rule}. Nilai dihitung eksak dan dibulatkan sekali ke dua desimal.")
    }
}
