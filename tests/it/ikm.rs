//! IKM through `sakip run`: the sample surveys against an outside
//! computation, a unit on a band edge, the published worked example, and
//! every kind of refused row.

use std::path::{Path, PathBuf};

use crate::table::{cell, current, table, Row};
use crate::util::{copy_dir, repo, Workdir};

/// A pipeline in `wd` consolidating the survey folder `ikm` (SAKIP's own
/// inbox is empty), with rule files and registry from the repository.
fn pipeline(wd: &Workdir, min_respondents: usize) -> PathBuf {
    std::fs::create_dir_all(wd.path().join("inbox")).unwrap();
    copy_dir(&repo().join("pipelines"), &wd.path().join("pipelines"));
    wd.write(
        "pipelines/uji.toml",
        format!(
            "kind = \"pipeline\"\nname = \"uji\"\ninbox = \"../inbox\"\nwarehouse = \"../warehouse\"\nregistry = \"{}\"\nprovince = \"53\"\n\n\
             [[evaluations]]\nfrom = 2015\nrubric = \"permenpanrb-88-2021\"\nscale = \"permenpanrb-bb\"\n\n\
             [ikm]\nrule = \"permenpanrb-14-2017\"\ninbox = \"../ikm\"\nmin_respondents = {min_respondents}\n",
            repo().join("sample-data/wilayah").display(),
        ),
    )
}

const HEADER: &str = "kode_satker,tahun,id_responden,Persyaratan,\"Sistem, Mekanisme, dan Prosedur\",Waktu Penyelesaian,Biaya/Tarif,Produk Spesifikasi Jenis Pelayanan,Kompetensi Pelaksana,Perilaku Pelaksana,\"Penanganan Pengaduan, Saran dan Masukan\",Sarana dan Prasarana";

/// A survey CSV: one line per respondent, answers in the rule's order.
fn survey(unit: &str, respondents: &[[u8; 9]]) -> String {
    let mut s = format!("{HEADER}\n");
    for (i, a) in respondents.iter().enumerate() {
        let answers: Vec<String> = a.iter().map(u8::to_string).collect();
        s.push_str(&format!("{unit},2024,R{i},{}\n", answers.join(",")));
    }
    s
}

fn by_unit(rows: &[Row], unit: &str) -> Row {
    rows.iter().find(|r| cell(r, "unit_code") == unit).unwrap_or_else(|| panic!("no row for {unit}")).clone()
}

#[test]
fn sample_ikm_matches_python_fractions() {
    let wd = Workdir::new("sample_ikm_matches_python_fractions");
    let warehouse = wd.path().join("warehouse");
    let run = wd.sakip(&["run", repo().join("pipelines/sample-ntt.toml").to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()]).expect_code(1);
    // Sample: 5304 (2024) has an answer 5, a blank answer and one id on two
    // rows; 5312 (2024) an answer 0: five refused rows.
    assert!(run.stdout().contains("respondent rows read: 11295 accepted, 5 rejected"), "{}", run.stdout());
    let oracle = std::process::Command::new("python3")
        .arg(repo().join("tests/readers/ikm_oracle.py"))
        .arg(repo().join("sample-data/ikm"))
        .arg("100")
        .output()
        .expect("python3");
    assert!(oracle.status.success(), "{}", String::from_utf8_lossy(&oracle.stderr));
    let expected: serde_json::Value = serde_json::from_slice(&oracle.stdout).unwrap();
    let scores = table(&warehouse, "ikm_scores");
    assert_eq!(scores.len(), expected.as_object().unwrap().len());
    for row in &scores {
        let key = format!("{}/{}", cell(row, "year"), cell(row, "unit_code"));
        let want = &expected[&key];
        assert_eq!(cell(row, "respondents"), want["respondents"].to_string(), "{key}");
        assert_eq!(cell(row, "ikm"), want["ikm"].as_str().unwrap_or(""), "{key}");
        assert_eq!(cell(row, "mutu"), want["mutu"].as_str().unwrap_or(""), "{key}");
    }
    // 5320 surveyed 60 people in 2023: listed, not scored, not ranked.
    let short = scores.iter().find(|r| cell(r, "year") == "2023" && cell(r, "unit_code") == "5320").unwrap();
    assert_eq!(cell(short, "status"), "responden kurang: 60 dari minimal 100, tidak dinilai");
    assert_eq!(cell(short, "rank_province"), "");
    let ranked = scores.iter().filter(|r| cell(r, "year") == "2023" && !cell(r, "rank_province").is_empty()).count();
    assert_eq!(ranked, 22);
}

#[test]
fn band_edge_published_example_and_rejects() {
    let wd = Workdir::new("band_edge_published_example_and_rejects");
    let pipe = pipeline(&wd, 20);
    // 5301: 5000 respondents, 3949 answering 4,4,4,4,4,3,3,3,3 (sum 32) and
    // 1051 answering 4,4,4,4,3,3,3,3,3 (sum 31): answer total
    // 3949·32 + 1051·31 = 126368 + 32581 = 158949, so
    // IKM = 25/9 · 158949/5000 = 3973725/45000 = 88.305 exactly
    // → 88.31 → A. Compared unrounded, 88.305 lies between B (≤ 88.30) and
    // A (≥ 88.31) and would have no band.
    let mut edge = vec![[4, 4, 4, 4, 4, 3, 3, 3, 3]; 3949];
    edge.extend(vec![[4, 4, 4, 4, 3, 3, 3, 3, 3]; 1051]);
    wd.write("ikm/5301.csv", survey("5301", &edge));
    // 5302: the worked example of the IKM brief's source (29 respondents).
    // Its per-element counts: U1 18×4+11×3 = 105, U2 14×4+15×3 = 101,
    // U3 15×4+12×3+2×2 = 100, U4 29×4 = 116, U5 15×4+14×3 = 102,
    // U6 18×4+11×3 = 105, U7 19×4+10×3 = 106, Sarana 18×4+11×3 = 105,
    // Pengaduan 28×4+1×3 = 115; total 955. Only these counts are published,
    // and IKM is linear in them, so respondent i gets the i-th answer of each
    // element's sorted list. Exact: 25 · 955/(29·9) = 23875/261 =
    // 91.4750… → 91.48 (the source's 0.1111-weighted sum gives 90.56).
    // The export numbers Sarana U8 and Pengaduan U9: matched by name.
    let counts: [&[(u8, usize)]; 9] = [
        &[(4, 18), (3, 11)],
        &[(4, 14), (3, 15)],
        &[(4, 15), (3, 12), (2, 2)],
        &[(4, 29)],
        &[(4, 15), (3, 14)],
        &[(4, 18), (3, 11)],
        &[(4, 19), (3, 10)],
        &[(4, 18), (3, 11)], // U8 Sarana dan Prasarana in the source
        &[(4, 28), (3, 1)],  // U9 Penanganan Pengaduan in the source
    ];
    let columns: Vec<Vec<u8>> = counts.iter().map(|c| c.iter().flat_map(|(v, n)| std::iter::repeat_n(*v, *n)).collect()).collect();
    let mut example = String::from("kode_satker;tahun;id_responden;U1 Persyaratan Pelayanan;U2 Prosedur;U3 Waktu;U4 Biaya/Tarif;U5 Produk;U6 Kompetensi;U7 Perilaku;U8 Sarana dan Prasarana;U9 Penanganan Pengaduan, Saran, dan Masukan\n");
    for i in 0..29 {
        let row: Vec<String> = columns.iter().map(|c| c[i].to_string()).collect();
        example.push_str(&format!("53.02;2024;{};{}\n", i + 1, row.join(";")));
    }
    wd.write("ikm/5302-contoh.csv", example);
    // 5303: 3 good respondents (below the minimum of 20), and refused rows:
    // an answer 5, an answer "3,5", a blank answer, one id twice, an unknown
    // unit, a unit of another province.
    wd.write(
        "ikm/5303.csv",
        format!(
            "{HEADER},jenis_kelamin\n\
             5303,2024,A,4,4,4,4,4,4,4,4,4,L\n5303,2024,B,3,3,3,3,3,3,3,3,3,P\n5303,2024,C,2,2,2,2,2,2,2,2,2,P\n\
             5303,2024,D,5,4,4,4,4,4,4,4,4,L\n5303,2024,E,\"3,5\",4,4,4,4,4,4,4,4,L\n5303,2024,F,4,,4,4,4,4,4,4,4,L\n\
             5303,2024,G,4,4,4,4,4,4,4,4,4,L\n5303,2024,G,3,4,4,4,4,4,4,4,4,L\n\
             5399,2024,H,4,4,4,4,4,4,4,4,4,L\n3301,2024,I,4,4,4,4,4,4,4,4,4,L\n"
        ),
    );
    // A file without the Sarana column: both rows refused with that reason.
    wd.write("ikm/5304-tanpa-sarana.csv", "kode_satker,tahun,id_responden,U1,U2,U3,U4,U5,U6,U7,U8\n5304,2024,1,4,4,4,4,4,4,4,4\n5304,2024,2,4,4,4,4,4,4,4,4\n");
    let run = wd.sakip(&["run", pipe.to_str().unwrap()]).expect_code(1);
    // Rows read 5000 + 29 + 10 + 2 = 5041; accepted 5000 + 29 + 3 = 5032;
    // refused 5 in 5303 + 2 (duplicate G) … D, E, F, G, G, H, I = 7, plus 2.
    assert!(run.stdout().contains("4 files, 5041 respondent rows read: 5032 accepted, 9 rejected"), "{}", run.stdout());
    let warehouse = wd.path().join("warehouse");
    let scores = table(&warehouse, "ikm_scores");
    let edge = by_unit(&scores, "5301");
    assert_eq!((cell(&edge, "ikm"), cell(&edge, "mutu"), cell(&edge, "kinerja")), ("88.31", "A", "Sangat Baik"));
    assert_eq!(cell(&edge, "respondents"), "5000");
    let example = by_unit(&scores, "5302");
    assert_eq!((cell(&example, "ikm"), cell(&example, "mutu")), ("91.48", "A"));
    // Unit value 955/261 = 3.659003… → 3.6590.
    assert_eq!(cell(&example, "ikm_value"), "3.6590");
    let short = by_unit(&scores, "5303");
    assert_eq!(cell(&short, "respondents"), "3");
    assert_eq!(cell(&short, "ikm"), "");
    assert_eq!(cell(&short, "status"), "responden kurang: 3 dari minimal 20, tidak dinilai");
    // Ranks: 91.48 first, 88.31 second, in the province and nationally.
    assert_eq!((cell(&example, "rank_province"), cell(&edge, "rank_province"), cell(&edge, "rank_national")), ("1", "2", "2"));

    // Element table: Sarana's sum for 5302 is 105 and Pengaduan's 115, even
    // though the export numbered them the other way round; NRR 105/29 =
    // 3.62068… → 3.6207; U3 (100/29 = 3.4483) is the lowest: priority 1.
    let elements: Vec<Row> = table(&warehouse, "ikm_elements").into_iter().filter(|r| cell(r, "unit_code") == "5302").collect();
    let el = |code: &str| elements.iter().find(|r| cell(r, "element") == code).unwrap().clone();
    assert_eq!((cell(&el("U9"), "answer_sum"), cell(&el("U9"), "nrr")), ("105", "3.6207"));
    assert_eq!(cell(&el("U8"), "answer_sum"), "115");
    assert_eq!((cell(&el("U3"), "nrr"), cell(&el("U3"), "priority")), ("3.4483", "1"));

    let rejects = table(&warehouse, "ikm_rejects");
    let reasons: Vec<String> = rejects.iter().map(|r| format!("{} {} {}", cell(r, "source_file"), cell(r, "source_row"), cell(r, "reason"))).collect();
    let want = [
        "5303.csv 5 jawaban unsur U1 '5' di luar skala 1–4",
        "5303.csv 6 jawaban unsur U1 '3,5' di luar skala 1–4",
        "5303.csv 7 jawaban unsur U2 kosong",
        "5303.csv 8 id responden 'G' ganda (2 baris): semua barisnya ditolak",
        "5303.csv 9 id responden 'G' ganda (2 baris): semua barisnya ditolak",
        "5303.csv 10 kode satker '5399' tidak dikenal",
        "5303.csv 11 satker 3301 bukan bagian dari provinsi 53",
        "5304-tanpa-sarana.csv 2 kolom unsur U9 (Sarana dan Prasarana) tidak ada di berkas",
        "5304-tanpa-sarana.csv 3 kolom unsur U9 (Sarana dan Prasarana) tidak ada di berkas",
    ];
    assert_eq!(reasons, want);
    // Reconciliation from the tables themselves: respondents + rejects = rows.
    let respondents: usize = scores.iter().map(|r| cell(r, "respondents").parse::<usize>().unwrap()).sum();
    assert_eq!(respondents + rejects.len(), 5041);
}

#[test]
fn new_tables_are_read_by_duckdb_and_pyarrow() {
    let wd = Workdir::new("ikm_iku_tables_read_by_duckdb_and_pyarrow");
    let warehouse = wd.path().join("warehouse");
    wd.sakip(&["run", repo().join("pipelines/sample-ntt.toml").to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()]).expect_code(1);
    let script = r#"
import json, pathlib, sys
import duckdb, pyarrow.parquet as pq
root = pathlib.Path(sys.argv[1])
out = {}
for t in ["ikm_scores", "ikm_elements", "ikm_rejects", "ikm_profile", "iku_capaian", "iku_scores", "iku_rejects"]:
    files = sorted(str(f) for f in (root / t).rglob("*.parquet"))
    if not files:
        sys.exit(f"{t}: no files")
    rows = sum(pq.read_table(f, partitioning=None).num_rows for f in files)
    con = duckdb.connect()
    n = con.execute("SELECT count(*) FROM read_parquet(?)", [files]).fetchone()[0]
    out[t] = [rows, n]
con = duckdb.connect()
f = sorted(str(p) for p in (root / "ikm_scores").rglob("*.parquet"))
out["ikm_type"] = con.execute("SELECT typeof(ikm) FROM read_parquet(?) LIMIT 1", [f]).fetchone()[0]
out["ikm_sum_2024"] = str(con.execute("SELECT sum(ikm) FROM read_parquet(?) WHERE year = 2024", [f]).fetchone()[0])
print(json.dumps(out))
"#;
    let check = std::process::Command::new("python3").arg("-c").arg(script).arg(current(&warehouse)).output().expect("python3");
    assert!(check.status.success(), "outside readers failed (scripts/test installs them):\n{}", String::from_utf8_lossy(&check.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    for t in ["ikm_scores", "ikm_elements", "ikm_rejects", "ikm_profile", "iku_capaian", "iku_scores", "iku_rejects"] {
        let n = table(&warehouse, t).len();
        assert_eq!(seen[t], serde_json::json!([n, n]), "{t}");
    }
    assert_eq!(seen["ikm_type"], "DECIMAL(5,2)");
    let sum: i64 = table(&warehouse, "ikm_scores")
        .iter()
        .filter(|r| cell(r, "year") == "2024")
        .map(|r| cell(r, "ikm").replace('.', "").parse::<i64>().unwrap())
        .sum();
    assert_eq!(seen["ikm_sum_2024"], format!("{}.{:02}", sum / 100, sum % 100));
}

/// All files of the IKM and IKU tables of a warehouse's current snapshot.
fn neighbour_files(warehouse: &Path) -> Vec<(String, Vec<u8>)> {
    crate::table::snapshot_files(warehouse).into_iter().filter(|(p, _)| p.starts_with("ikm_") || p.starts_with("iku_")).collect()
}

#[test]
fn incremental_run_equals_full_rebuild_with_changed_surveys() {
    let wd = Workdir::new("ikm_incremental_equals_full");
    for dir in ["inbox", "ikm", "iku", "wilayah"] {
        let from = if dir == "wilayah" { "sample-data/wilayah".to_string() } else { format!("sample-data/{dir}") };
        copy_dir(&repo().join(from), &wd.path().join(dir));
    }
    copy_dir(&repo().join("pipelines"), &wd.path().join("pipelines"));
    let text = std::fs::read_to_string(repo().join("pipelines/sample-ntt.toml"))
        .unwrap()
        .replace("../sample-data/", "../")
        .replace("../warehouse/sample-ntt", "../warehouse");
    let pipe = wd.write("pipelines/uji.toml", text);
    let pipe = pipe.to_str().unwrap();
    wd.sakip(&["run", pipe]).expect_code(1);
    let before = neighbour_files(&wd.path().join("warehouse"));
    // Only the survey and report inboxes change: one survey loses its last
    // respondent, one report gains a duplicate indicator row.
    let survey = wd.path().join("ikm/2024/5301-kupang-skm-2024.csv");
    let text = std::fs::read_to_string(&survey).unwrap();
    let trimmed: Vec<&str> = text.lines().collect();
    std::fs::write(&survey, trimmed[..trimmed.len() - 1].join("\n") + "\n").unwrap();
    let report = wd.path().join("iku/2024/5301-kupang-iku-2024.csv");
    let text = std::fs::read_to_string(&report).unwrap();
    let extra = text.lines().nth(1).unwrap().to_string();
    std::fs::write(&report, format!("{text}{extra}\n")).unwrap();
    wd.sakip(&["run", pipe]).expect_code(1);
    let incremental = neighbour_files(&wd.path().join("warehouse"));
    wd.sakip(&["run", pipe, "--full", "--warehouse", wd.path().join("full").to_str().unwrap()]).expect_code(1);
    let full = neighbour_files(&wd.path().join("full"));
    assert_eq!(incremental.len(), full.len());
    for ((a, x), (b, y)) in incremental.iter().zip(&full) {
        assert_eq!(a, b);
        assert!(x == y, "{a} differs between the incremental run and the full rebuild");
    }
    assert_ne!(before, incremental, "the changed inboxes must show");
}

#[test]
fn xlsx_survey_with_numeric_cells() {
    let wd = Workdir::new("ikm_xlsx_survey");
    let pipe = pipeline(&wd, 1);
    std::fs::create_dir_all(wd.path().join("ikm")).unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let header = ["Kode Satker", "Tahun", "ID Responden", "U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9", "Pekerjaan"];
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    // Respondents answering all 4, all 3, all 3: answer total 36 + 27 + 27
    // = 90; IKM = 25/9 · 90/3 = 250/3 = 83.333… → 83.33, B.
    for (r, v) in [4.0, 3.0, 3.0].iter().enumerate() {
        let row = r as u32 + 1;
        sheet.write_number(row, 0, 5305.0).unwrap();
        sheet.write_number(row, 1, 2024.0).unwrap();
        sheet.write_number(row, 2, row as f64).unwrap();
        for c in 3..12 {
            sheet.write_number(row, c, *v).unwrap();
        }
        sheet.write_string(row, 12, "Swasta").unwrap();
    }
    book.save(wd.path().join("ikm/5305.xlsx")).unwrap();
    let run = wd.sakip(&["run", pipe.to_str().unwrap()]).expect_code(0);
    assert!(run.stdout().contains("1 files, 3 respondent rows read: 3 accepted, 0 rejected"), "{}", run.stdout());
    let scores = table(&wd.path().join("warehouse"), "ikm_scores");
    let unit = by_unit(&scores, "5305");
    assert_eq!((cell(&unit, "ikm"), cell(&unit, "mutu"), cell(&unit, "ikm_value")), ("83.33", "B", "3.3333"));
    // The profile column is kept: three respondents, all "Swasta".
    let profile = table(&wd.path().join("warehouse"), "ikm_profile");
    let kept: Vec<(&str, &str, &str)> = profile.iter().map(|r| (cell(r, "attribute"), cell(r, "value"), cell(r, "respondents"))).collect();
    assert_eq!(kept, [("pekerjaan", "Swasta", "3")]);
    // The review page beside the province's review.
    let page = std::fs::read_to_string(current(&wd.path().join("warehouse")).join("review/2024/53/ikm-iku.html")).unwrap();
    assert!(page.contains("Reviu IKM dan IKU Nusa Tenggara Timur — 2024"), "{page}");
    assert!(page.contains("<td class=\"n\">1</td><td>KPU Kabupaten Alor</td><td class=\"n\">3</td><td class=\"n\">83.33</td><td>B</td>"), "{page}");
}

#[test]
fn broken_survey_files_are_refused_whole_and_the_run_goes_on() {
    let wd = Workdir::new("ikm_broken_files");
    let pipe = pipeline(&wd, 1);
    wd.write("ikm/a-bukan-zip.xlsx", b"PK\x03\x04 this is not a workbook");
    let real = std::fs::read(repo().join("sample-data/inbox/2024/53-kpu-provinsi-ntt.xlsx")).unwrap();
    wd.write("ikm/b-terpotong.xlsx", &real[..real.len() / 2]);
    wd.write("ikm/c-laporan.pdf", b"%PDF-1.4");
    wd.write("ikm/d-rusak.json", b"{\"rows\": [1, 2");
    wd.write("ikm/e-kosong.csv", b"");
    wd.write("ikm/f-baik.csv", survey("5305", &[[4; 9]]));
    let run = wd.sakip(&["run", pipe.to_str().unwrap()]).expect_code(1);
    assert!(run.stdout().contains("6 files, 1 respondent rows read: 1 accepted, 0 rejected"), "{}", run.stdout());
    assert!(run.stdout().contains("5 files refused whole"), "{}", run.stdout());
    let rejects = table(&wd.path().join("warehouse"), "ikm_rejects");
    let files: Vec<(&str, &str)> = rejects.iter().map(|r| (cell(r, "source_file"), cell(r, "source_row"))).collect();
    assert_eq!(files, [("a-bukan-zip.xlsx", "0"), ("b-terpotong.xlsx", "0"), ("c-laporan.pdf", "0"), ("d-rusak.json", "0"), ("e-kosong.csv", "0")]);
    assert!(rejects.iter().all(|r| !cell(r, "reason").is_empty()));
    assert_eq!(cell(&by_unit(&table(&wd.path().join("warehouse"), "ikm_scores"), "5305"), "ikm"), "100.00");
}

#[test]
fn generated_surveys_and_reports_consolidate_without_rejects() {
    let wd = Workdir::new("ikm_iku_gen");
    copy_dir(&repo().join("pipelines"), &wd.path().join("pipelines"));
    let text = std::fs::read_to_string(repo().join("pipelines/national-history.toml"))
        .unwrap()
        .replace("../data/national-history/inbox", "../inbox")
        .replace("../data/national-history/warehouse", "../warehouse")
        .replace("../data/national-history/", "../")
        .replace("../sample-data/wilayah", &repo().join("sample-data/wilayah").display().to_string())
        .replace("province = \"all\"", "province = \"53\"");
    let pipe = wd.write("pipelines/gen53.toml", text);
    let gen = |suffix: &str| {
        let (ikm, iku) = (format!("ikm{suffix}"), format!("iku{suffix}"));
        let args = ["gen", "--out", "inbox", "--years", "2023-2024", "--provinces", "53", "--pipeline", pipe.to_str().unwrap(), "--ikm-out", &ikm, "--iku-out", &iku];
        wd.sakip(&args).expect_code(0).stdout()
    };
    let out = gen("");
    // 23 units (KPU Provinsi NTT and 22 KPU Kabupaten/Kota) × 2 years.
    assert!(out.contains("gen  46 IKM surveys"), "{out}");
    assert!(out.contains("gen  46 IKU reports, 276 indicator rows"), "{out}");
    gen("-again");
    for dir in ["ikm", "iku"] {
        let a = crate::table::snapshot_files_under(&wd.path().join(dir));
        let b = crate::table::snapshot_files_under(&wd.path().join(format!("{dir}-again")));
        assert!(a == b, "{dir}: the same arguments must write the same bytes");
    }
    let run = wd.sakip(&["run", pipe.to_str().unwrap()]);
    let stdout = run.stdout();
    let read = |what: &str| -> (u64, u64, u64) {
        let line = stdout.lines().find(|l| l.contains(what)).unwrap_or_else(|| panic!("no '{what}' in {stdout}"));
        let n: Vec<u64> = line.split(|c: char| !c.is_ascii_digit()).filter_map(|t| t.parse().ok()).collect();
        (n[1], n[2], n[3])
    };
    let (rows, accepted, rejected) = read("respondent rows read");
    assert_eq!((accepted, rejected), (rows, 0), "{stdout}");
    assert_eq!(read("indicator rows read"), (276, 276, 0), "{stdout}");
    let scores = table(&wd.path().join("warehouse"), "ikm_scores");
    assert_eq!(scores.len(), 46);
    let respondents: u64 = scores.iter().map(|r| cell(r, "respondents").parse::<u64>().unwrap()).sum();
    assert_eq!(respondents, rows);
    assert!(scores.iter().all(|r| (100..=400).contains(&cell(r, "respondents").parse::<u64>().unwrap()) && !cell(r, "ikm").is_empty()));
}

#[test]
fn broken_ikm_and_iku_rule_files_list_every_problem() {
    let wd = Workdir::new("ikm_iku_rule_validation");
    let shipped = std::fs::read_to_string(repo().join("pipelines/ikm/permenpanrb-14-2017.toml")).unwrap();
    // 0.111 instead of 1/9 for one element: weights add up to 8/9 + 0.111.
    // B ends at 88.29: a gap before A's 88.31, where 88.30 has no band.
    let broken = shipped.replacen("weight = \"1/9\"", "weight = 0.111", 1).replacen("max = 88.30", "max = 88.29", 1);
    let path = wd.write("ikm-rusak.toml", broken);
    let run = wd.sakip(&["validate", path.to_str().unwrap()]).expect_code(1);
    let err = run.stderr();
    assert!(err.contains("2 problems"), "{err}");
    // 8/9 + 111/1000 = 8000/9000 + 999/9000 = 8999/9000.
    assert!(err.contains("weights add up to 8999/9000, not exactly 1"), "{err}");
    assert!(err.contains("bands B (76.61–88.29) and A (88.31–100.00) must meet a hundredth apart"), "{err}");
    let iku = "kind = \"iku\"\nname = \"x\"\nsource = \"x\"\ncap = 0\nrange_inside = 100\n[[grades]]\ngrade = \"Baik\"\nmin = 75.555\n[[grades]]\ngrade = \"Kurang\"\nmin = 50\n";
    let path = wd.write("iku-rusak.toml", iku);
    let err = wd.sakip(&["validate", path.to_str().unwrap()]).expect_code(1).stderr();
    assert!(err.contains("3 problems"), "{err}");
    assert!(err.contains("cap: must be above 0"), "{err}");
    assert!(err.contains("grades[0].min: applies to capaian rounded to two decimals"), "{err}");
    assert!(err.contains("grades: exactly one grade (the lowest) has no `min`"), "{err}");
    let ok = wd.sakip(&["validate", repo().join("pipelines/ikm/permenpanrb-14-2017.toml").to_str().unwrap(), repo().join("pipelines/iku/capaian-4-tingkat.toml").to_str().unwrap()]).expect_code(0).stdout();
    assert!(ok.contains("ikm rule permenpanrb-14-2017: 9 elements, answers 1–4, mutu A 88.31–100.00, B 76.61–88.30, C 65.00–76.60, D 25.00–64.99"), "{ok}");
}
