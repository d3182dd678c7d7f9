//! IKU capaian through `sakip run`: each direction, the equal case, a
//! target range below, inside and above, the cap, refused rows and a unit's
//! weighted mean, against figures worked out here.

use crate::table::{cell, table, Row};
use crate::util::{copy_dir, repo, Workdir};

const RULE: &str = r#"kind = "iku"
name = "uji"
source = "ditulis untuk uji"
cap = 120
range_inside = 100

[[grades]]
grade = "Sangat Berhasil"
min = 100

[[grades]]
grade = "Berhasil"
min = 75

[[grades]]
grade = "Kurang Berhasil"

[[indicators]]
code = "A1"
name = "Naik"
direction = "higher"

[[indicators]]
code = "A2"
name = "Turun"
direction = "lower"

[[indicators]]
code = "A3"
name = "Rentang"
direction = "range"
weight = 2

[[indicators]]
code = "A4"
name = "Naik dengan batas"
direction = "higher"
"#;

fn run(wd: &Workdir, reports: &str) -> crate::util::Run {
    std::fs::create_dir_all(wd.path().join("inbox")).unwrap();
    wd.write("rule.toml", RULE);
    wd.write("iku/2024/laporan.csv", reports);
    copy_dir(&repo().join("pipelines"), &wd.path().join("pipelines"));
    let pipe = wd.write(
        "pipelines/uji.toml",
        format!(
            "kind = \"pipeline\"\nname = \"uji\"\ninbox = \"../inbox\"\nwarehouse = \"../warehouse\"\nregistry = \"{}\"\nprovince = \"53\"\n\n\
             [[evaluations]]\nfrom = 2015\nrubric = \"permenpanrb-88-2021\"\nscale = \"permenpanrb-bb\"\n\n[iku]\nrule = \"../rule.toml\"\ninbox = \"../iku\"\n",
            repo().join("sample-data/wilayah").display(),
        ),
    );
    wd.sakip(&["run", pipe.to_str().unwrap()])
}

fn capaian(rows: &[Row], unit: &str, code: &str) -> (String, String) {
    let r = rows.iter().find(|r| cell(r, "unit_code") == unit && cell(r, "indicator") == code).unwrap_or_else(|| panic!("{unit} {code}"));
    (cell(r, "capaian").to_string(), cell(r, "capped").to_string())
}

#[test]
fn capaian_by_direction_range_cap_and_unit_mean() {
    let wd = Workdir::new("iku_capaian_by_direction");
    // Semicolon CSV with decimal commas, as Indonesian Excel saves it.
    let reports = "kode_satker;tahun;kode_indikator;satuan;target;target_atas;realisasi\n\
        5301;2024;A1;persen;80;;60\n\
        5301;2024;A2;hari;7;;6,5\n\
        5301;2024;A3;bulan;7;8;9\n\
        5301;2024;A4;dokumen;10;;15\n\
        5302;2024;A1;persen;50;;50\n\
        5302;2024;A2;hari;7;;7\n\
        5302;2024;A3;bulan;7;8;7,5\n\
        5302;2024;A4;dokumen;0;;3\n\
        5302;2024;Z9;dokumen;5;;5\n\
        5303;2024;A3;bulan;7;8;6\n\
        5303;2024;A1;persen;80;;banyak\n";
    let out = run(&wd, reports).expect_code(1);
    // 11 rows: 8 accepted, 3 refused (zero target, unknown indicator,
    // non-numeric realisation).
    assert!(out.stdout().contains("1 files, 11 indicator rows read: 8 accepted, 3 rejected"), "{}", out.stdout());
    let warehouse = wd.path().join("warehouse");
    let rows = table(&warehouse, "iku_capaian");
    // Higher: 60/80 = 75 %.
    assert_eq!(capaian(&rows, "5301", "A1"), ("75.00".into(), "false".into()));
    // Lower: (2 − 6.5/7) × 100 = 750/7 = 107.142… → 107.14 (the brief's
    // "target 7 months, realisasi 6.5 → 107 %").
    assert_eq!(capaian(&rows, "5301", "A2"), ("107.14".into(), "false".into()));
    // Range 7–8, realisasi 9, above: (2 − 9/8) × 100 = 87.5.
    assert_eq!(capaian(&rows, "5301", "A3").0, "87.50");
    // Higher 15/10 = 150 %, capped at 120.
    assert_eq!(capaian(&rows, "5301", "A4"), ("120.00".into(), "true".into()));
    // Equal: 100 % whichever way is good; range 7–8 with 7.5 inside: 100.
    assert_eq!(capaian(&rows, "5302", "A1").0, "100.00");
    assert_eq!(capaian(&rows, "5302", "A2").0, "100.00");
    assert_eq!(capaian(&rows, "5302", "A3").0, "100.00");
    // Range 7–8, realisasi 6, below: 6/7 × 100 = 85.714… → 85.71.
    assert_eq!(capaian(&rows, "5303", "A3").0, "85.71");

    let scores = table(&warehouse, "iku_scores");
    let unit = |u: &str| scores.iter().find(|r| cell(r, "unit_code") == u).unwrap().clone();
    // 5301, A3 weighing 2: (75 + 750/7 + 2 × 87.5 + 120) / 5
    // = (370 + 750/7) / 5 = 3340/35 = 95.428… → 95.43, Berhasil (75 ≤ · < 100).
    let u1 = unit("5301");
    assert_eq!((cell(&u1, "capaian"), cell(&u1, "grade"), cell(&u1, "indicators")), ("95.43", "Berhasil", "4"));
    // 5302: (100 + 100 + 2 × 100) / 4 = 100, Sangat Berhasil.
    let u2 = unit("5302");
    assert_eq!((cell(&u2, "capaian"), cell(&u2, "grade"), cell(&u2, "rank_province")), ("100.00", "Sangat Berhasil", "1"));
    // 5303: only A3 is left: 85.71.
    assert_eq!(cell(&unit("5303"), "capaian"), "85.71");
    assert_eq!(cell(&unit("5303"), "rank_province"), "3");

    let rejects = table(&warehouse, "iku_rejects");
    let reasons: Vec<String> = rejects.iter().map(|r| format!("{} {} {}", cell(r, "source_row"), cell(r, "column"), cell(r, "reason"))).collect();
    assert_eq!(
        reasons,
        [
            "9 target target bernilai 0: capaian tidak dapat dihitung",
            "10 kode_indikator indikator 'Z9' tidak ada dalam daftar IKU",
            "12 realisasi realisasi 'banyak' bukan angka",
        ]
    );
    // Rows read = accepted + refused.
    assert_eq!(rows.len() + rejects.len(), 11);
}

#[test]
fn rank_evaluation_iku_and_ikm_on_the_sample() {
    let wd = Workdir::new("rank_evaluation_iku_and_ikm");
    let warehouse = wd.path().join("warehouse");
    wd.sakip(&["run", repo().join("pipelines/sample-ntt.toml").to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()]).expect_code(1);
    let w = warehouse.to_str().unwrap();
    let csv = wd.sakip(&["rank", "--warehouse", w, "--year", "2024", "--evaluation", "iku", "--format", "csv"]).expect_code(0).stdout();
    let scores = table(&warehouse, "iku_scores");
    let mut expected: Vec<(i64, String)> = scores
        .iter()
        .filter(|r| cell(r, "year") == "2024")
        .map(|r| (-cell(r, "capaian").replace('.', "").parse::<i64>().unwrap(), cell(r, "unit_code").to_string()))
        .collect();
    expected.sort();
    let listed: Vec<String> = csv.lines().skip(1).map(|l| l.split(',').nth(2).unwrap().to_string()).collect();
    assert_eq!(listed, expected.iter().map(|(_, u)| u.clone()).collect::<Vec<_>>());
    // IKM 2023: 5320 is listed last, unranked (60 respondents).
    let ikm = wd.sakip(&["rank", "--warehouse", w, "--year", "2023", "--evaluation", "ikm", "--format", "csv"]).expect_code(0).stdout();
    let last = ikm.lines().last().unwrap();
    assert!(last.starts_with(",53,5320,"), "{last}");
}
