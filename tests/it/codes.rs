//! Units through time: the 26 regencies and cities of Papua and Papua Barat
//! that took new codes in 2022 stay one unit across the change, counted in
//! the province they belonged to in each year (README, "Units through time").
//!
//! The figures below are worked by hand from the answers written here: the
//! test rubric has one component of weight 100 with one sub-component of
//! weight 100 holding two criteria scored 0–100 and rolled up by their mean,
//! so a unit's score is the mean of its two answers.

use std::path::{Path, PathBuf};

use crate::table::{cell, current, read, snapshot_files, table, Row};
use crate::util::{copy_dir, repo, Workdir};

/// A national pipeline in the work dir with the two-criterion rubric and
/// its own copy of the registry (licence file included), so that a test
/// may change the code-change file.
fn pipeline(wd: &Workdir) -> PathBuf {
    crate::util::numeric_rubric(wd);
    copy_dir(&repo().join("sample-data/wilayah"), &wd.path().join("wilayah"));
    wd.write(
        "pipelines/papua.toml",
        "kind = \"pipeline\"\nname = \"papua\"\ninbox = \"../inbox\"\nwarehouse = \"../warehouse\"\nregistry = \"../wilayah\"\nprovince = \"all\"\nduplicates = \"error\"\n[[evaluations]]\nfrom = 2020\nrubric = \"angka\"\nscale = \"permenpanrb-bb\"\n",
    )
}

/// A worksheet of one unit: both criteria on the evaluator track.
fn worksheet(wd: &Workdir, path: &str, code: &str, a: u32, b: u32) {
    wd.write(&format!("inbox/{path}"), format!("kode_satker,kode_kriteria,jawaban\n{code},1.1.1,{a}\n{code},1.1.2,{b}\n"));
}

fn run(wd: &Workdir, pipeline: &Path, extra: &[&str]) -> String {
    let mut args = vec!["run", pipeline.to_str().unwrap()];
    args.extend_from_slice(extra);
    let r = wd.sakip(&args);
    assert!(r.code() == 0 || r.code() == 1, "exit {}\n{}\n{}", r.code(), r.stdout(), r.stderr());
    r.stdout()
}

fn rows_of(warehouse: &Path, table_name: &str, year: i32) -> Vec<Row> {
    read(&current(warehouse).join(format!("{table_name}/year={year}/part-0.parquet")))
}

fn ranking_of<'a>(rows: &'a [Row], unit: &str) -> &'a Row {
    rows.iter().find(|r| cell(r, "unit_code") == unit).unwrap_or_else(|| panic!("{unit} is not ranked: {rows:?}"))
}

#[test]
fn merauke_is_one_unit_across_its_change_of_code() {
    let wd = Workdir::new("merauke_is_one_unit_across_its_change_of_code");
    let p = pipeline(&wd);
    // 2022: Papua (91) — Merauke under its old code, and Kabupaten Jayapura.
    worksheet(&wd, "2022/91.01-merauke.csv", "91.01", 60, 80); // (60 + 80) / 2 = 70.00
    worksheet(&wd, "2022/9103-jayapura.csv", "9103", 90, 90); // 90.00
    // 2023: Merauke in Papua Selatan (93) with Boven Digoel; Jayapura in Papua.
    worksheet(&wd, "2023/93.01-merauke.csv", "93.01", 80, 90); // 85.00
    worksheet(&wd, "2023/9302-boven-digoel.csv", "9302", 50, 50); // 50.00
    worksheet(&wd, "2023/9103-jayapura.csv", "9103", 100, 100); // 100.00
    let out = run(&wd, &p, &[]);
    let warehouse = wd.path().join("warehouse");
    assert!(table(&warehouse, "rejects").is_empty(), "{out}");

    // One identity (today's code), the code as sent kept, the province of the year.
    let a2022 = rows_of(&warehouse, "answers", 2022);
    let merauke: Vec<&Row> = a2022.iter().filter(|r| cell(r, "source_file") == "2022/91.01-merauke.csv").collect();
    assert_eq!(merauke.len(), 2);
    for r in &merauke {
        assert_eq!((cell(r, "unit_code"), cell(r, "submitted_code"), cell(r, "province_code")), ("9301", "9101", "91"));
        assert_eq!(cell(r, "unit_name"), "KPU Kabupaten Merauke");
    }
    let a2023 = rows_of(&warehouse, "answers", 2023);
    let m2023: Vec<&Row> = a2023.iter().filter(|r| cell(r, "unit_code") == "9301").collect();
    assert_eq!(m2023.len(), 2);
    assert!(m2023.iter().all(|r| cell(r, "submitted_code") == "9301" && cell(r, "province_code") == "93"));
    // Unchanged units submit the code they are stored under.
    assert!(a2022.iter().chain(&a2023).filter(|r| cell(r, "unit_code") == "9103").all(|r| cell(r, "submitted_code") == "9103"));

    // 2022 in Papua: Jayapura 90.00 first, Merauke 70.00 second of 2.
    let r2022 = rows_of(&warehouse, "rankings", 2022);
    assert!(r2022.iter().all(|r| cell(r, "unit_code") != "9101"), "the old code is no unit of its own");
    let m = ranking_of(&r2022, "9301");
    assert_eq!((cell(m, "province_code"), cell(m, "score"), cell(m, "rank_province"), cell(m, "units_in_province")), ("91", "70.00", "2", "2"));
    assert_eq!(cell(m, "percentile"), "0"); // 100 × (2 − 2) / (2 − 1)
    // 2023 in Papua Selatan: Merauke 85.00 first of 2, linked to 2022.
    let r2023 = rows_of(&warehouse, "rankings", 2023);
    let m = ranking_of(&r2023, "9301");
    assert_eq!((cell(m, "province_code"), cell(m, "score"), cell(m, "rank_province"), cell(m, "units_in_province")), ("93", "85.00", "1", "2"));
    assert_eq!((cell(m, "prev_score"), cell(m, "prev_rank_province"), cell(m, "prev_predikat")), ("70.00", "2", "B")); // 70.00: B (60, 70]
    assert_eq!(cell(m, "score_change"), "15.00"); // 85.00 − 70.00
    // Ranks in two provinces do not compare: no rank change across the move.
    assert_eq!(cell(m, "rank_change"), "");
    // Jayapura stayed in Papua: first both years, rank change 1 − 1 = 0.
    let j = ranking_of(&r2023, "9103");
    assert_eq!((cell(j, "province_code"), cell(j, "units_in_province"), cell(j, "rank_change")), ("91", "1", "0"));

    // Both years scored under the one code.
    let scored: Vec<(String, String)> =
        table(&warehouse, "scores").iter().filter(|r| cell(r, "unit_code") == "9301" && cell(r, "track") == "evaluator").map(|r| (cell(r, "year").to_string(), cell(r, "score").to_string())).collect();
    assert_eq!(scored, [("2022".to_string(), "70.00".to_string()), ("2023".to_string(), "85.00".to_string())]);

    // The ranking as people read it: today's name, once, with the code of the time.
    let rank = wd.sakip(&["rank", "--warehouse", warehouse.to_str().unwrap(), "--year", "2022", "--province", "91"]).expect_code(0).stdout();
    assert_eq!(rank.matches("Merauke").count(), 1, "{rank}");
    assert!(rank.contains("KPU Kabupaten Merauke (as 91.01)"), "{rank}");
    let rank = wd.sakip(&["rank", "--warehouse", warehouse.to_str().unwrap(), "--year", "2023", "--province", "93"]).expect_code(0).stdout();
    assert!(rank.contains("KPU Kabupaten Merauke ") && !rank.contains("(as"), "{rank}");
    // The review of Papua 2022 lists Merauke with its former code, and the
    // units of Papua then that sent nothing include the regencies that
    // moved (Mimika, now 94.04) but not the new provinces' KPU Provinsi.
    wd.sakip(&["review", p.to_str().unwrap(), "--year", "2022", "--province", "91"]).expect_code(0);
    let review = std::fs::read_to_string(current(&warehouse).join("review/2022/91/ranking.csv")).unwrap();
    assert!(review.contains("KPU Kabupaten Merauke (dahulu 91.01)"), "{review}");
    let page = std::fs::read_to_string(current(&warehouse).join("review/2022/91/review.html")).unwrap();
    assert!(page.contains("KPU Kabupaten Mimika (dahulu 91.09)"), "not-submitted list of Papua 2022");
    assert!(!page.contains("Provinsi Papua Selatan"));
    assert!(!current(&warehouse).join("review/2022/93").exists(), "Papua Selatan has no 2022");
}

#[test]
fn kota_sorong_of_papua_barat_daya_is_one_unit_across_its_change_of_code() {
    let wd = Workdir::new("kota_sorong_is_one_unit_across_its_change_of_code");
    let p = pipeline(&wd);
    // 2022: Papua Barat (92) — Kota Sorong under its old code (written
    // without the dot) and Kabupaten Manokwari.
    worksheet(&wd, "2022/kota-sorong.csv", "9271", 70, 76); // 73.00
    worksheet(&wd, "2022/9202-manokwari.csv", "92.02", 60, 62); // 61.00
    // 2023: Kota Sorong alone in Papua Barat Daya (96).
    worksheet(&wd, "2023/96.71-kota-sorong.csv", "96.71", 90, 91); // 90.50
    let out = run(&wd, &p, &[]);
    let warehouse = wd.path().join("warehouse");
    assert!(table(&warehouse, "rejects").is_empty(), "{out}");
    let a2022 = rows_of(&warehouse, "answers", 2022);
    let sorong: Vec<&Row> = a2022.iter().filter(|r| cell(r, "source_file") == "2022/kota-sorong.csv").collect();
    assert_eq!(sorong.len(), 2);
    assert!(sorong.iter().all(|r| (cell(r, "unit_code"), cell(r, "submitted_code"), cell(r, "province_code"), cell(r, "unit_name")) == ("9671", "9271", "92", "KPU Kota Sorong")));

    // 2022 in Papua Barat: Kota Sorong 73.00 first of 2.
    let s = ranking_of(&rows_of(&warehouse, "rankings", 2022), "9671").clone();
    assert_eq!((cell(&s, "province_code"), cell(&s, "score"), cell(&s, "predikat"), cell(&s, "rank_province"), cell(&s, "units_in_province")), ("92", "73.00", "BB", "1", "2"));
    // 2023 in Papua Barat Daya: 90.50 (AA, above 90), alone, linked to 2022.
    let s = ranking_of(&rows_of(&warehouse, "rankings", 2023), "9671").clone();
    assert_eq!((cell(&s, "province_code"), cell(&s, "score"), cell(&s, "predikat"), cell(&s, "rank_province"), cell(&s, "units_in_province")), ("96", "90.50", "AA", "1", "1"));
    assert_eq!((cell(&s, "prev_score"), cell(&s, "prev_rank_province"), cell(&s, "score_change"), cell(&s, "rank_change")), ("73.00", "1", "17.50", "")); // 90.50 − 73.00
    let review = std::fs::read_to_string(current(&warehouse).join("review/2023/96/ranking.csv")).unwrap();
    assert!(review.contains("KPU Kota Sorong (dahulu 92.71)"), "{review}");
}

#[test]
fn a_code_from_the_other_side_of_the_change_is_accepted_and_noted() {
    let wd = Workdir::new("a_code_from_the_other_side_of_the_change_is_accepted_and_noted");
    let p = pipeline(&wd);
    // Merauke's former code in 2024, after the change; Nabire's new code
    // (94.01, was 91.04) in 2022, before it; and KPU Provinsi Papua Selatan
    // in 2022, before its province was formed.
    worksheet(&wd, "2024/9101.csv", "9101", 40, 60); // 50.00
    worksheet(&wd, "2022/9401.csv", "9401", 70, 70); // 70.00
    worksheet(&wd, "2022/93.csv", "93", 80, 80);
    // Paniai (91.08, now 94.03) in 2022 with one answer off the 0–100 scale.
    worksheet(&wd, "2022/91.08-paniai.csv", "91.08", 50, 150);
    let out = run(&wd, &p, &[]);
    let warehouse = wd.path().join("warehouse");

    // The former code after the change: stored as today's unit, in today's
    // province, the code as sent kept, and one line in the summary.
    let a2024 = rows_of(&warehouse, "answers", 2024);
    assert_eq!(a2024.len(), 2);
    assert!(a2024.iter().all(|r| (cell(r, "unit_code"), cell(r, "submitted_code"), cell(r, "province_code")) == ("9301", "9101", "93")));
    assert!(out.contains("2024: 1 file with a unit code from the other side of its code change:"), "{out}");
    assert!(out.contains("2024/9101.csv: 9101 is the former code, replaced from 2023; stored as 9301 KPU Kabupaten Merauke in province 93 (Papua Selatan)"), "{out}");
    // The new code before the change: the unit, in the province it was in then.
    let a2022 = rows_of(&warehouse, "answers", 2022);
    let nabire: Vec<&Row> = a2022.iter().filter(|r| cell(r, "unit_code") == "9401").collect();
    assert_eq!(nabire.len(), 2);
    assert!(nabire.iter().all(|r| cell(r, "submitted_code") == "9401" && cell(r, "province_code") == "91"));
    assert!(out.contains("2022/9401.csv: 9401 is the new code, in use from 2023; stored as 9401 KPU Kabupaten Nabire in province 91 (Papua)"), "{out}");
    // A row refused keeps the code as sent beside the unit it names today.
    let rejects = table(&warehouse, "rejects");
    let off: Vec<&Row> = rejects.iter().filter(|r| cell(r, "rule") == "off-scale").collect();
    assert_eq!(off.len(), 1, "{rejects:?}");
    assert_eq!((cell(off[0], "unit_code"), cell(off[0], "submitted_code"), cell(off[0], "value")), ("9403", "9108", "150"));
    // ... and belongs to the review of the province the unit was in then.
    wd.sakip(&["review", p.to_str().unwrap(), "--year", "2022", "--province", "91"]).expect_code(0);
    let page = std::fs::read_to_string(current(&warehouse).join("review/2022/91/review.html")).unwrap();
    assert!(page.contains("2022/91.08-paniai.csv"), "Papua's 2022 review lists Paniai's reject");
    // A unit that did not exist in the year: refused whole, with its reason.
    let rejects: Vec<&Row> = rejects.iter().filter(|r| cell(r, "rule") != "off-scale").collect();
    assert_eq!(rejects.len(), 2, "{rejects:?}");
    for r in &rejects {
        assert_eq!((cell(r, "rule"), cell(r, "source_file"), cell(r, "unit_code"), cell(r, "submitted_code")), ("unit-not-formed", "2022/93.csv", "", "93"));
        assert_eq!(cell(r, "reason"), "unit 93 (KPU Provinsi Papua Selatan) has no evaluation for 2022: its province was formed for the 2023 evaluation");
    }
    assert!(out.contains("unit-not-formed"), "{out}");
    // Rows read = rows accepted + rows rejected: 8 = (2 + 2 + 1) + (2 + 1).
    assert!(out.contains("rows read               8") && out.contains("rows accepted           5") && out.contains("rows rejected           3"), "{out}");
}

#[test]
fn the_generated_national_history_has_the_old_codes_and_is_all_accepted() {
    let wd = Workdir::new("the_generated_national_history_has_the_old_codes");
    let national = repo().join("pipelines/national-history.toml");
    let inbox = wd.path().join("inbox");
    let gen = wd
        .sakip(&["gen", "--pipeline", national.to_str().unwrap(), "--out", inbox.to_str().unwrap(), "--years", "2021-2023", "--provinces", "91,92,93,94,95,96", "--format", "mixed"])
        .expect_code(0)
        .stdout();
    // Counted from regencies.csv and code-changes.csv: today Papua has 9
    // regencies, Papua Barat 7, Papua Selatan 4, Papua Tengah 8, Papua
    // Pegunungan 8, Papua Barat Daya 6; 20 of the 32 in 93–95 were Papua's
    // and the 6 of 96 Papua Barat's until 2022. 2021 and 2022: Papua 1 + 9 +
    // 20 = 30 units, Papua Barat 1 + 7 + 6 = 14, the new provinces none:
    // 44 a year. 2023: 10 + 8 + 5 + 9 + 9 + 7 = 48. 44 + 44 + 48 = 136.
    assert!(gen.starts_with("gen  136 files,"), "{gen}");
    // CSV, XLSX and JSON in turn: the files by name without extension.
    let files = |year: &str| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(inbox.join(year)).unwrap().map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned()).collect();
        v.sort();
        v
    };
    let changes = std::fs::read_to_string(repo().join("sample-data/wilayah/code-changes.csv")).unwrap();
    let pairs: Vec<(String, String)> = changes.lines().skip(1).map(|l| {
        let f: Vec<&str> = l.split(',').collect();
        (f[0].replace('.', ""), f[1].replace('.', ""))
    }).collect();
    assert_eq!(pairs.len(), 26);
    for year in ["2021", "2022"] {
        let f = files(year);
        for (old, new) in &pairs {
            assert!(f.contains(old) && !f.contains(new), "{year}: {old}/{new}");
            // The file carries the old code inside too.
            let csv = inbox.join(year).join(format!("{old}.csv"));
            let json = inbox.join(year).join(format!("{old}.json"));
            if csv.exists() {
                let text = std::fs::read_to_string(&csv).unwrap();
                assert!(text.lines().skip(1).all(|l| l.starts_with(&format!("{old},"))));
            } else if json.exists() {
                assert!(std::fs::read_to_string(&json).unwrap().contains(&format!("\"unit_code\": \"{old}\"")));
            }
        }
        assert!(!f.iter().any(|n| ["93", "94", "95", "96"].contains(&n.as_str())), "{year}: no KPU Provinsi of a province not yet formed");
    }
    let f = files("2023");
    assert!(pairs.iter().all(|(old, new)| f.contains(new) && !f.contains(old)));

    let warehouse = wd.path().join("warehouse");
    let out = wd.sakip(&["run", national.to_str().unwrap(), "--inbox", inbox.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()]).expect_code(0).stdout();
    assert!(out.contains("files read            136   (136 accepted)") && out.contains("rows rejected           0"), "{out}");
    assert!(table(&warehouse, "rejects").is_empty());
    // Papua's ranking of 2022 counts the 30 units it had; Papua Selatan's
    // of 2023 its 5, Merauke's 2023 standing linked to its 2022 one.
    let r2022 = rows_of(&warehouse, "rankings", 2022);
    assert_eq!(cell(ranking_of(&r2022, "9301"), "units_in_province"), "30");
    assert_eq!(r2022.iter().filter(|r| cell(r, "province_code") == "91").count(), 30);
    let r2023 = rows_of(&warehouse, "rankings", 2023);
    let m = ranking_of(&r2023, "9301");
    assert_eq!((cell(m, "province_code"), cell(m, "units_in_province")), ("93", "5"));
    assert_eq!(cell(m, "prev_score"), cell(ranking_of(&r2022, "9301"), "score"));
}

#[test]
fn a_change_to_the_code_change_file_rebuilds_everything() {
    let wd = Workdir::new("a_change_to_the_code_change_file_rebuilds_everything");
    let p = pipeline(&wd);
    worksheet(&wd, "2022/9101.csv", "9101", 60, 80);
    worksheet(&wd, "2023/9301.csv", "9301", 80, 90);
    worksheet(&wd, "2023/9103.csv", "9103", 100, 100);
    let incremental = wd.path().join("warehouse");
    run(&wd, &p, &[]);
    assert_eq!(cell(ranking_of(&rows_of(&incremental, "rankings", 2023), "9301"), "province_code"), "93");
    // A deployment decides Merauke counted in Papua for 2023 too.
    let file = wd.path().join("wilayah/code-changes.csv");
    let text = std::fs::read_to_string(&file).unwrap().replace("91.01,93.01,Kabupaten Merauke,91,93,2023,2023", "91.01,93.01,Kabupaten Merauke,91,93,2023,2024");
    std::fs::write(&file, text).unwrap();
    let out = run(&wd, &p, &[]);
    assert!(out.contains("2023/9301.csv: 9301 is the new code, in use from 2024"), "{out}");
    let m = rows_of(&incremental, "rankings", 2023);
    // In Papua with Jayapura: 100.00 first, Merauke 85.00 second of 2.
    let merauke = ranking_of(&m, "9301");
    assert_eq!((cell(merauke, "province_code"), cell(merauke, "rank_province"), cell(merauke, "units_in_province")), ("91", "2", "2"));
    let full = wd.path().join("full");
    run(&wd, &p, &["--warehouse", full.to_str().unwrap(), "--full"]);
    assert!(snapshot_files(&incremental) == snapshot_files(&full), "the incremental snapshot differs from a full rebuild");
}

#[test]
fn a_broken_code_change_file_is_refused_naming_file_and_line() {
    let wd = Workdir::new("a_broken_code_change_file_is_refused_naming_file_and_line");
    let p = pipeline(&wd);
    let file = wd.path().join("wilayah/code-changes.csv");
    let header = "old_code,new_code,name,old_province,new_province,first_list_with_new_code,from_year\n";
    for (rows, expected) in [
        // A former code that is a unit today.
        ("53.01,93.01,x,53,93,2023,2023\n", "line 2: old_code 5301 is a unit of today's list (province 53): a former code must be unknown today"),
        // A new code unknown today.
        ("91.01,93.09,x,91,93,2023,2023\n", "line 2: new_code 9309 is not in today's regencies.csv"),
        // A loop: each code points at the other, so one of them is known today.
        ("91.01,93.01,x,91,93,2023,2023\n93.01,91.01,x,93,91,2023,2023\n", "line 3: old_code 9301 is a unit of today's list (province 93)"),
        // Two former codes for one unit.
        ("91.01,93.01,x,91,93,2023,2023\n91.99,93.01,x,91,93,2023,2023\n", "line 3: new_code 9301 is listed twice"),
        ("91.01,93.01,x,91,94,2023,2023\n", "line 2: new_province '94' is not the province of 9301 in regencies.csv (93)"),
        ("91.01,93.01,x,91,93,2023,dua ribu\n", "line 2: from_year 'dua ribu' is not a year"),
    ] {
        std::fs::write(&file, format!("{header}{rows}")).unwrap();
        // `validate` reports it (exit 1), and any other command stops on it
        // before reading a file (exit 2).
        let r = wd.sakip(&["validate", p.to_str().unwrap()]);
        assert_eq!(r.code(), 1, "{rows}: {}\n{}", r.stdout(), r.stderr());
        assert!(r.stderr().contains("wilayah/code-changes.csv: ") && r.stderr().contains(expected), "{rows}: {}", r.stderr());
        let r = wd.sakip(&["run", p.to_str().unwrap()]);
        assert_eq!(r.code(), 2, "{rows}: {}\n{}", r.stdout(), r.stderr());
        assert!(r.stderr().contains(expected), "{rows}: {}", r.stderr());
    }
}
