//! The worksheet template (`sakip template`): what a unit's staff read in
//! the `LKE` sheet they fill and in its `Petunjuk` (instructions) sheet.

/// The `LKE` sheet's title.
pub const TITLE: &str = "LEMBAR KERJA EVALUASI (LKE) AKUNTABILITAS KINERJA INSTANSI PEMERINTAH";
/// Label of the unit line above the table.
pub const UNIT: &str = "Satuan kerja";
/// Label of the year line.
pub const YEAR: &str = "Tahun evaluasi";
/// Label of the rubric line.
pub const RUBRIC: &str = "Lembar kerja";

/// The column headers of the `LKE` sheet, in order. The ones `sakip ingest`
/// reads are its header names (kode satker, tahun, kode kriteria, jawaban
/// mandiri, catatan mandiri, bukti, jawaban evaluator, catatan evaluator);
/// the others it passes over.
pub const HEADERS: [&str; 11] = [
    "Kode Satker",
    "Tahun",
    "Kode Kriteria",
    "Uraian",
    "Bobot",
    "Pilihan Jawaban",
    "Jawaban Mandiri",
    "Catatan Mandiri",
    "Bukti",
    "Jawaban Evaluator",
    "Catatan Evaluator",
];

/// Title of the message Excel shows on a refused answer.
pub const REFUSED_TITLE: &str = "Jawaban tidak dikenal";

/// The message Excel shows when a typed answer is not on the scale.
pub fn refused(scale: &str, answers: &str) -> String {
    format!("Jawaban harus salah satu dari skala {scale}: {answers}. Pilih dari daftar pada sel ini.")
}

/// The message for a numeric scale.
pub fn refused_range(min: &str, max: &str) -> String {
    format!("Jawaban harus berupa angka dari {min} sampai {max}.")
}

/// Name of the instructions sheet.
pub const GUIDE_SHEET: &str = "Petunjuk";
/// The instructions sheet's title.
pub const GUIDE_TITLE: &str = "PETUNJUK PENGISIAN LEMBAR KERJA EVALUASI (LKE)";

/// The steps of filling the worksheet, in order.
pub const STEPS: [&str; 6] = [
    "Buka lembar LKE. Setiap baris berwarna adalah judul komponen atau sub-komponen beserta bobotnya; setiap baris putih di bawahnya adalah satu kriteria.",
    "Isi kolom Jawaban Mandiri untuk setiap kriteria dengan memilih jawaban dari daftar pilihan (panah di sisi kanan sel). Jawaban lain yang diketik akan ditolak. Arti setiap jawaban ada pada tabel di bawah.",
    "Tulis penjelasan singkat pada kolom Catatan Mandiri, dan tautan atau nama dokumen bukti pada kolom Bukti.",
    "Kolom Jawaban Evaluator dan Catatan Evaluator diisi oleh evaluator. Biarkan kosong bila Anda bukan evaluator.",
    "Jangan mengubah kode, uraian, urutan baris, atau nama lembar. Lembar LKE dikunci tanpa kata sandi agar susunannya tidak rusak; hanya kolom isian yang dapat diubah.",
    "Simpan berkas dalam format Excel (.xlsx) atau LibreOffice (.ods); format lama .xls juga diterima. Jangan mengganti nama berkas: kode satker di awal nama berkas menunjukkan satuan kerja Anda.",
];

/// The line naming the deadline, `day month year` in Indonesian.
pub fn deadline(day: u32, month: u32, year: i32) -> String {
    format!("Batas waktu pengiriman: {day} {} {year}.", month_name(month))
}

/// The line when the pipeline names no deadline.
pub const NO_DEADLINE: &str = "Batas waktu pengiriman: sesuai surat pengantar dari KPU Provinsi.";

/// The line naming where to send the filled worksheet.
pub fn send_to(to: &str) -> String {
    format!("Kirim berkas yang telah diisi ke: {to}.")
}

/// The line when the pipeline names no address.
pub fn send_to_province(province: &str) -> String {
    format!("Kirim berkas yang telah diisi kepada tim evaluator SAKIP {province}.")
}

/// The heading of the answer scales part.
pub const SCALES_TITLE: &str = "ARTI SETIAP JAWABAN";

/// The heading of one scale, with the criteria that use it.
pub fn scale_heading(name: &str, criteria: usize) -> String {
    format!("Skala {name} (dipakai oleh {criteria} kriteria)")
}

/// The column headers of a scale's table.
pub const SCALE_HEADERS: [&str; 3] = ["Jawaban", "Nilai", "Arti"];

/// A numeric scale's only row.
pub fn range_row(min: &str, max: &str) -> String {
    format!("angka dari {min} sampai {max}")
}

/// The meaning shown for an answer without a label but with other accepted
/// spellings.
pub fn also_written(aliases: &str) -> String {
    format!("juga boleh ditulis: {aliases}")
}

/// The name of the KPU Provinsi of a province.
pub fn province_office(province: &str) -> String {
    format!("KPU Provinsi {province}")
}

/// Indonesian month names.
pub fn month_name(month: u32) -> &'static str {
    const MONTHS: [&str; 12] =
        ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"];
    MONTHS.get(month.wrapping_sub(1) as usize).copied().unwrap_or("")
}
