//! `sakip run`, `sakip rank` and `sakip sql` on the bundled sample, checked
//! against figures computed by hand here, not by the code under test.

use std::collections::BTreeMap;
use std::path::PathBuf;

use num_rational::Ratio;

use crate::table::{cell, table, Row};
use crate::util::{copy_dir, repo, set_mtime, Workdir};

/// Runs the sample pipeline into `<wd>/warehouse`, from a copy of the inbox
/// whose 5310 revision is the newer file (git does not keep mtimes).
fn sample_run(wd: &Workdir) -> (String, PathBuf) {
    let inbox = wd.path().join("inbox");
    copy_dir(&repo().join("sample-data/inbox"), &inbox);
    set_mtime(&inbox.join("2024/5310-manggarai.csv"), 1_709_251_200);
    set_mtime(&inbox.join("2024/5310-manggarai_revisi.xlsx"), 1_709_596_800);
    let warehouse = wd.path().join("warehouse");
    let pipeline = repo().join("pipelines/sample-ntt.toml");
    let run = wd
        .sakip(&["run", pipeline.to_str().unwrap(), "--inbox", inbox.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()])
        .expect_code(1);
    (run.stdout(), warehouse)
}

fn find<'a>(rows: &'a [Row], pairs: &[(&str, &str)]) -> &'a Row {
    rows.iter().find(|r| pairs.iter().all(|(k, v)| cell(r, k) == *v)).unwrap_or_else(|| panic!("no row {pairs:?}"))
}

#[test]
fn run_scores_ranks_and_summarises_the_sample() {
    let wd = Workdir::new("run_scores_ranks_and_summarises_the_sample");
    let (out, warehouse) = sample_run(&wd);
    assert!(out.contains("2024: 18 units scored (AA 0, A 1, BB 7, B 9, CC 1, C 0, D 0), 2 with missing criteria"), "{out}");
    assert!(out.contains("2024: no submission from 5 units: 5307 KPU Kabupaten Sikka, 5308 KPU Kabupaten Ende, 5311 KPU Kabupaten Sumba Timur, 5318 KPU Kabupaten Sumba Barat Daya, 5320 KPU Kabupaten Sabu Raijua"), "{out}");

    let scores = table(&warehouse, "scores");
    let total = |year: &str, unit: &str| {
        let r = find(&scores, &[("year", year), ("unit_code", unit), ("track", "evaluator")]);
        (cell(r, "score").to_string(), cell(r, "predikat").to_string())
    };
    // Every evaluator answer BB (80): each sub-component scores 80% of its
    // weight, the total 80% of 100 = 80.00, the top of BB (not A).
    assert_eq!(total("2024", "5371"), ("80.00".into(), "BB".into()));
    // Every answer A (90): 90.00 is A; AA starts above 90.
    assert_eq!(total("2024", "5301"), ("90.00".into(), "A".into()));
    // KPU Provinsi: 24.30 + 23.55 + 11.55 + 18.70 = 78.10 (sample-data/README.md).
    assert_eq!(total("2024", "53"), ("78.10".into(), "BB".into()));
    // 2023 Kota Kupang, every answer B (70): 70.00, the top of B.
    assert_eq!(total("2023", "5371"), ("70.00".into(), "B".into()));
    // 2021 Kota Kupang (12/2015): full marks except Pelaporan (15) at zero.
    assert_eq!(total("2021", "5371"), ("85.00".into(), "A".into()));
    // Belu and Alor answered alike: 65.415 + 23/6 = 69.248333… → 69.25.
    assert_eq!(total("2024", "5304"), ("69.25".into(), "B".into()));
    assert_eq!(total("2024", "5305"), ("69.25".into(), "B".into()));
    let ngada = find(&scores, &[("year", "2024"), ("unit_code", "5309"), ("track", "evaluator")]);
    assert_eq!((cell(ngada, "missing_criteria"), cell(ngada, "missing")), ("3", "2.3.7;3.3.4;4.3.5"));

    let rankings = table(&warehouse, "rankings");
    let rank = |unit: &str| find(&rankings, &[("year", "2024"), ("unit_code", unit)]).clone();
    // Competition ranking: the tie shares 9th, and nobody is 10th.
    assert_eq!(cell(&rank("5304"), "rank_province"), "9");
    assert_eq!(cell(&rank("5305"), "rank_province"), "9");
    assert!(rankings.iter().filter(|r| cell(r, "year") == "2024").all(|r| cell(r, "rank_province") != "10"));
    assert_eq!(cell(&rank("5312"), "rank_province"), "11");
    assert_eq!(cell(&rank("5301"), "rank_province"), "1");
    assert_eq!(cell(&rank("5301"), "percentile"), "100");
    // Year over year: Kota Kupang 70.00 → 80.00.
    let kota = rank("5371");
    assert_eq!((cell(&kota, "prev_score"), cell(&kota, "score_change"), cell(&kota, "prev_predikat")), ("70.00", "10.00", "B"));
    let ranks_2023: BTreeMap<String, i64> =
        rankings.iter().filter(|r| cell(r, "year") == "2023").map(|r| (cell(r, "unit_code").to_string(), cell(r, "rank_province").parse().unwrap())).collect();
    let now: i64 = cell(&kota, "rank_province").parse().unwrap();
    assert_eq!(cell(&kota, "rank_change").parse::<i64>().unwrap(), ranks_2023["5371"] - now);
    // Ranks are a competition ranking of the scores: rank = 1 + units scoring more.
    let scores_2024: Vec<f64> = rankings.iter().filter(|r| cell(r, "year") == "2024").map(|r| cell(r, "score").parse().unwrap()).collect();
    for r in rankings.iter().filter(|r| cell(r, "year") == "2024") {
        let s: f64 = cell(r, "score").parse().unwrap();
        let better = scores_2024.iter().filter(|&&o| o > s).count();
        assert_eq!(cell(r, "rank_province"), (better + 1).to_string());
    }
}

/// The 88/2021 weights, written here from the regulation: (sub-component, weight).
const WEIGHTS_88: [(&str, (i64, i64)); 12] = [
    ("1.1", (6, 1)), ("1.2", (9, 1)), ("1.3", (15, 1)),
    ("2.1", (6, 1)), ("2.2", (9, 1)), ("2.3", (15, 1)),
    ("3.1", (3, 1)), ("3.2", (9, 2)), ("3.3", (15, 2)),
    ("4.1", (5, 1)), ("4.2", (15, 2)), ("4.3", (25, 2)),
];

#[test]
fn every_2024_total_matches_an_independent_recomputation() {
    let wd = Workdir::new("every_2024_total_matches_an_independent_recomputation");
    let (_, warehouse) = sample_run(&wd);
    let answers = table(&warehouse, "answers");
    // Per unit and sub-component: sum of evaluator values (NULL = missing =
    // 0) and the number of criteria.
    let mut subs: BTreeMap<(String, String), (Ratio<i128>, i128)> = BTreeMap::new();
    for r in answers.iter().filter(|r| cell(r, "year") == "2024" && cell(r, "track") == "evaluator") {
        let v = match r["value"].as_deref() {
            Some(text) => {
                let (i, f) = text.split_once('.').unwrap();
                Ratio::new(format!("{i}{f}").parse::<i128>().unwrap(), 10i128.pow(f.len() as u32))
            }
            None => Ratio::from_integer(0),
        };
        let e = subs.entry((cell(r, "unit_code").to_string(), cell(r, "subcomponent").to_string())).or_insert((Ratio::from_integer(0), 0));
        e.0 += v;
        e.1 += 1;
    }
    let mut totals: BTreeMap<String, Ratio<i128>> = BTreeMap::new();
    for ((unit, sub), (sum, n)) in subs {
        let (num, den) = WEIGHTS_88.iter().find(|(s, _)| *s == sub).unwrap().1;
        *totals.entry(unit).or_insert(Ratio::from_integer(0)) += sum / Ratio::from_integer(n * 100) * Ratio::new(num as i128, den as i128);
    }
    let scores = table(&warehouse, "scores");
    assert_eq!(totals.len(), 18);
    for (unit, exact) in totals {
        // Half-up to hundredths.
        let hundredths = (exact * Ratio::from_integer(100) + Ratio::new(1, 2)).floor().to_integer();
        let expected = format!("{}.{:02}", hundredths / 100, hundredths % 100);
        let row = find(&scores, &[("year", "2024"), ("unit_code", &unit), ("track", "evaluator")]);
        assert_eq!(cell(row, "score"), expected, "unit {unit}");
    }
}

#[test]
fn rank_answers_planners_questions() {
    let wd = Workdir::new("rank_answers_planners_questions");
    let (_, warehouse) = sample_run(&wd);
    let wh = warehouse.to_str().unwrap();
    let out = wd.sakip(&["rank", "--warehouse", wh, "--year", "2024", "--province", "53", "--top", "3", "--format", "csv"]).expect_code(0).stdout();
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!((&rows[0][0], &rows[0][2], &rows[0][4], &rows[0][5]), ("1", "5301", "90.00", "A"));
    assert_eq!((&rows[1][2], &rows[1][4], &rows[1][7]), ("5371", "80.00", "10.00"));

    // The bottom three in Pengukuran Kinerja, by name or by code.
    let by_name = wd.sakip(&["rank", "--warehouse", wh, "--year", "2024", "--by", "Pengukuran Kinerja", "--bottom", "3", "--format", "json"]).expect_code(0).stdout();
    let by_code = wd.sakip(&["rank", "--warehouse", wh, "--year", "2024", "--by", "2", "--bottom", "3", "--format", "json"]).expect_code(0).stdout();
    assert_eq!(by_name, by_code);
    let doc: serde_json::Value = serde_json::from_str(&by_name).unwrap();
    let rows = doc.as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r["component"] == "2" && r["max_score"] == "30.00"));
    assert_eq!(rows[2]["rank"], 18);

    // Units graded CC in 2024.
    let cc = wd.sakip(&["rank", "--warehouse", wh, "--year", "2024", "--grade", "cc", "--format", "csv"]).expect_code(0).stdout();
    assert_eq!(cc.lines().count(), 2, "{cc}");
    assert!(cc.contains("5317"), "{cc}");

    let table_out = wd.sakip(&["rank", "--warehouse", wh, "--year", "2024"]).expect_code(0).stdout();
    assert!(table_out.lines().next().unwrap().starts_with("rank"), "{table_out}");
    assert_eq!(table_out.lines().count(), 19);
}

#[test]
fn rank_and_sql_errors_name_what_exists() {
    let wd = Workdir::new("rank_and_sql_errors_name_what_exists");
    let (_, warehouse) = sample_run(&wd);
    let wh = warehouse.to_str().unwrap();
    let err = wd.sakip(&["rank", "--warehouse", wh, "--year", "2030"]).expect_code(2).stderr();
    assert!(err.contains("no rankings for 2030; years in the warehouse: 2021, 2023, 2024"), "{err}");
    let err = wd.sakip(&["rank", "--warehouse", wh, "--year", "2024", "--by", "Keuangan"]).expect_code(2).stderr();
    assert!(err.contains("no component 'Keuangan'; components: 1 (Perencanaan Kinerja), 2 (Pengukuran Kinerja)"), "{err}");
    let err = wd.sakip(&["rank", "--warehouse", wh, "--year", "2024", "--province", "33"]).expect_code(2).stderr();
    assert!(err.contains("no ranked units for province 33 in 2024"), "{err}");
    let err = wd.sakip(&["sql", "--warehouse", wh, "SELECT * FROM nilai"]).expect_code(2).stderr();
    assert!(err.contains("relation 'nilai' was not found") && err.contains("tables: answers, scores"), "{err}");
    let err = wd.sakip(&["sql", "--warehouse", wh, "SELECT nilai FROM scores"]).expect_code(2).stderr();
    assert!(err.contains("nilai") && err.contains("valid columns"), "{err}");
    let empty = wd.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let err = wd.sakip(&["rank", "--warehouse", empty.to_str().unwrap(), "--year", "2024"]).expect_code(2).stderr();
    assert!(err.contains("no rankings table"), "{err}");
}

#[test]
fn sql_over_the_registered_tables() {
    let wd = Workdir::new("sql_over_the_registered_tables");
    let (_, warehouse) = sample_run(&wd);
    let wh = warehouse.to_str().unwrap();
    // The tie, straight from the rankings table.
    let q = "SELECT unit_code, score, predikat FROM rankings WHERE year = 2024 AND unit_code IN ('5304', '5305') ORDER BY unit_code";
    let out = wd.sakip(&["sql", "--warehouse", wh, q, "--format", "csv"]).expect_code(0).stdout();
    assert_eq!(out, "unit_code,score,predikat\n5304,69.25,B\n5305,69.25,B\n");
    let q = "SELECT count(*) AS n FROM rejects WHERE rule = 'off-scale'";
    let out = wd.sakip(&["sql", "--warehouse", wh, q, "--format", "json"]).expect_code(0).stdout();
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc[0]["n"], 1);
    // COUNT(*) over a whole table (polars' fast row count over several files
    // once failed here with a cast to UInt128).
    let out = wd.sakip(&["sql", "--warehouse", wh, "SELECT COUNT(*) AS n FROM scores", "--format", "csv"]).expect_code(0).stdout();
    // 23 + 23 + 18 units, two tracks each.
    assert_eq!(out, "n\n128\n");
}
