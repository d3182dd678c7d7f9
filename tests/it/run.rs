//! `sakip run`, `sakip rank` and `sakip sql` on the bundled sample, checked
//! against figures computed by hand here, not by the code under test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use num_rational::Ratio;

use crate::table::{cell, table, Row};
use crate::util::{copy_dir, national_inbox, repo, set_mtime, Workdir};

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
    // The grade counts per year are derived in
    // every_total_rank_and_grade_count_matches_an_independent_recomputation.
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
    // Year over year: Kota Kupang 70.00 → 80.00 (both worked above).
    let kota = rank("5371");
    assert_eq!((cell(&kota, "prev_score"), cell(&kota, "score_change"), cell(&kota, "prev_predikat")), ("70.00", "10.00", "B"));
    // Its rank change: last year's rank minus this year's, each the
    // competition rank of the recomputed totals.
    let rank_of = |year: &str| {
        let totals = recomputed(&warehouse, year);
        competition_ranks(&totals.iter().map(|(u, r)| (u.clone(), r.hundredths)).collect())["5371"] as i64
    };
    assert_eq!(cell(&kota, "rank_change").parse::<i64>().unwrap(), rank_of("2023") - rank_of("2024"));
    // Belu and Alor tie (69.25, above): they share a rank, and the rank
    // after them is skipped.
    let tied: usize = cell(&rank("5304"), "rank_province").parse().unwrap();
    assert_eq!(cell(&rank("5305"), "rank_province"), tied.to_string());
    let year_ranks: Vec<usize> = rankings.iter().filter(|r| cell(r, "year") == "2024").map(|r| cell(r, "rank_province").parse().unwrap()).collect();
    assert!(!year_ranks.contains(&(tied + 1)) && year_ranks.contains(&(tied + 2)), "{year_ranks:?}");
}

/// The 88/2021 weights, written here from the regulation: (sub-component, weight).
const WEIGHTS_88: [(&str, (i64, i64)); 12] = [
    ("1.1", (6, 1)), ("1.2", (9, 1)), ("1.3", (15, 1)),
    ("2.1", (6, 1)), ("2.2", (9, 1)), ("2.3", (15, 1)),
    ("3.1", (3, 1)), ("3.2", (9, 2)), ("3.3", (15, 2)),
    ("4.1", (5, 1)), ("4.2", (15, 2)), ("4.3", (25, 2)),
];

/// The AA–E answers of 88/2021, out of 100, from the regulation (every
/// criterion of the rubric is answered on this scale).
const AA_E: [(&str, i128); 8] = [("AA", 100), ("A", 90), ("BB", 80), ("B", 70), ("CC", 60), ("C", 50), ("D", 30), ("E", 0)];

/// The BB scale's bands, lowest bound exclusive, in hundredths: AA above 90,
/// A above 80, BB above 70, B above 60, CC above 50, C above 30, D from 0.
pub const BANDS_BB: [(&str, i128); 7] = [("AA", 9000), ("A", 8000), ("BB", 7000), ("B", 6000), ("CC", 5000), ("C", 3000), ("D", -1)];

pub fn predikat_bb(hundredths: i128) -> &'static str {
    BANDS_BB.iter().find(|(_, above)| hundredths > *above).unwrap().0
}

/// One evaluator worksheet, scored here.
#[derive(Debug, Clone)]
pub struct Recomputed {
    /// The total, half-up to hundredths.
    pub hundredths: i128,
    /// Each component's score, in rubric order, half-up to hundredths.
    pub components: Vec<i128>,
    /// Criteria not answered.
    pub missing: usize,
}

fn half_up(x: Ratio<i128>) -> i128 {
    (x * Ratio::from_integer(100) + Ratio::new(1, 2)).floor().to_integer()
}

/// A rule-file number (`6`, `4.5`, `0.67`, `"25/3"`) as an exact ratio.
fn exact(v: &toml::Value) -> Ratio<i128> {
    let text = match v {
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::String(s) => s.clone(),
        other => panic!("not a number: {other}"),
    };
    if let Some((n, d)) = text.split_once('/') {
        return Ratio::new(n.trim().parse().unwrap(), d.trim().parse().unwrap());
    }
    let (i, f) = text.split_once('.').unwrap_or((&text, ""));
    Ratio::new(format!("{i}{f}").parse::<i128>().unwrap(), 10i128.pow(f.len() as u32))
}

fn rule_file(path: &str) -> toml::Table {
    std::fs::read_to_string(repo().join(path)).unwrap().parse().unwrap()
}

/// An answer scale's answers (upper case, aliases too) as shares of full marks.
fn shares(id: &str) -> BTreeMap<String, Ratio<i128>> {
    let doc = rule_file(&format!("pipelines/answer-scales/{id}.toml"));
    let answers = doc["answers"].as_array().unwrap();
    let full = answers.iter().map(|a| exact(&a["value"])).max().unwrap();
    let mut out = BTreeMap::new();
    for a in answers {
        let names = std::iter::once(&a["answer"]).chain(a.get("aliases").and_then(|x| x.as_array()).into_iter().flatten());
        for name in names {
            out.insert(name.as_str().unwrap().to_uppercase(), exact(&a["value"]) / full);
        }
    }
    out
}

/// The rubric the sample pipeline assigns to a year (sample-ntt.toml: 12/2015
/// up to 2021, 88/2021 from 2022).
fn rubric_of(year: &str) -> &'static str {
    if year.parse::<i32>().unwrap() <= 2021 { "permenpanrb-12-2015" } else { "permenpanrb-88-2021" }
}

/// Every evaluator total of `year`, scored here from the answers as
/// submitted (the `answer` text the warehouse keeps, not sakip's `value`)
/// and the rule files read with the `toml` crate: a sub-component earns its
/// weight × the mean of its criteria's shares of full marks, an unanswered
/// criterion 0 (both rubrics say `rollup = "mean"`, `missing = "zero"`).
pub fn recomputed(warehouse: &Path, year: &str) -> BTreeMap<String, Recomputed> {
    let rubric = rule_file(&format!("pipelines/rubrics/{}.toml", rubric_of(year)));
    assert_eq!((rubric["rollup"].as_str(), rubric["missing"].as_str()), (Some("mean"), Some("zero")));
    // (component, sub-component weight, its criteria with their answer shares)
    let mut subs: Vec<(usize, Ratio<i128>, Vec<(String, BTreeMap<String, Ratio<i128>>)>)> = Vec::new();
    let components = rubric["components"].as_array().unwrap();
    for (c, component) in components.iter().enumerate() {
        for sub in component["subcomponents"].as_array().unwrap() {
            let criteria = sub["criteria"]
                .as_array()
                .unwrap()
                .iter()
                .map(|k| {
                    let scale = [k.get("answer_scale"), sub.get("answer_scale"), rubric.get("answer_scale")].into_iter().flatten().next().unwrap();
                    (k["code"].as_str().unwrap().to_string(), shares(scale.as_str().unwrap()))
                })
                .collect();
            subs.push((c, exact(&sub["weight"]), criteria));
        }
    }
    if rubric_of(year) == "permenpanrb-88-2021" {
        // The rule file agrees with the regulation, written out above.
        let weights: Vec<(String, Ratio<i128>)> =
            components.iter().flat_map(|c| c["subcomponents"].as_array().unwrap()).map(|s| (s["code"].as_str().unwrap().to_string(), exact(&s["weight"]))).collect();
        let regulation: Vec<(String, Ratio<i128>)> = WEIGHTS_88.iter().map(|(s, (n, d))| (s.to_string(), Ratio::new(*n as i128, *d as i128))).collect();
        assert_eq!(weights, regulation);
        let aa_e = shares("aa-e");
        assert!(AA_E.iter().all(|(a, v)| aa_e[*a] == Ratio::new(*v, 100)), "{aa_e:?}");
    }
    let answers = table(warehouse, "answers");
    let mut units: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for r in answers.iter().filter(|r| cell(r, "year") == year && cell(r, "track") == "evaluator") {
        let unit = units.entry(cell(r, "unit_code").to_string()).or_default();
        if let Some(answer) = r["answer"].as_deref() {
            unit.insert(cell(r, "criterion").to_string(), answer.trim().to_uppercase());
        }
    }
    units
        .into_iter()
        .map(|(unit, answered)| {
            let mut scores = vec![Ratio::from_integer(0); components.len()];
            let mut missing = 0;
            for (c, weight, criteria) in &subs {
                let mut sum = Ratio::from_integer(0);
                for (code, shares) in criteria {
                    match answered.get(code) {
                        Some(a) => sum += *shares.get(a).unwrap_or_else(|| panic!("{unit} {code}: answer {a:?} is not on its scale")),
                        None => missing += 1,
                    }
                }
                scores[*c] += sum / Ratio::from_integer(criteria.len() as i128) * weight;
            }
            let total: Ratio<i128> = scores.iter().sum();
            (unit, Recomputed { hundredths: half_up(total), components: scores.into_iter().map(half_up).collect(), missing })
        })
        .collect()
}

/// Competition ranks (1, 2, 2, 4), highest first.
pub fn competition_ranks(scores: &BTreeMap<String, i128>) -> BTreeMap<String, usize> {
    scores.iter().map(|(u, s)| (u.clone(), 1 + scores.values().filter(|o| *o > s).count())).collect()
}

fn text_of(hundredths: i128) -> String {
    format!("{}{}.{:02}", if hundredths < 0 { "-" } else { "" }, hundredths.abs() / 100, hundredths.abs() % 100)
}

/// The summary's grade line of a year, from the recomputed totals.
fn grade_line(year: &str, totals: &BTreeMap<String, Recomputed>) -> String {
    let counts: Vec<String> = BANDS_BB.iter().map(|(p, _)| format!("{p} {}", totals.values().filter(|r| predikat_bb(r.hundredths) == *p).count())).collect();
    let incomplete = totals.values().filter(|r| r.missing > 0).count();
    let note = if incomplete > 0 { format!(", {incomplete} with missing criteria") } else { String::new() };
    format!("{year}: {} units scored ({}){note}", totals.len(), counts.join(", "))
}

#[test]
fn every_total_rank_and_grade_count_matches_an_independent_recomputation() {
    let wd = Workdir::new("every_total_matches_an_independent_recomputation");
    let (out, warehouse) = sample_run(&wd);
    let scores = table(&warehouse, "scores");
    let rankings = table(&warehouse, "rankings");
    for year in ["2021", "2023", "2024"] {
        let totals = recomputed(&warehouse, year);
        assert!(out.contains(&grade_line(year, &totals)), "{year}: expected `{}` in\n{out}", grade_line(year, &totals));
        let ranks = competition_ranks(&totals.iter().map(|(u, r)| (u.clone(), r.hundredths)).collect());
        let n = totals.len() as i128;
        for (unit, r) in &totals {
            let row = find(&scores, &[("year", year), ("unit_code", unit), ("track", "evaluator")]);
            assert_eq!((cell(row, "score"), cell(row, "predikat")), (text_of(r.hundredths).as_str(), predikat_bb(r.hundredths)), "unit {unit} {year}");
            assert_eq!(cell(row, "missing_criteria"), r.missing.to_string(), "unit {unit} {year}");
            let ranked = find(&rankings, &[("year", year), ("unit_code", unit)]);
            assert_eq!(cell(ranked, "rank_province"), ranks[unit].to_string(), "rank of {unit} {year}");
            // One province: national rank = province rank.
            assert_eq!(cell(ranked, "rank_national"), ranks[unit].to_string(), "national rank of {unit} {year}");
            // 100 × (n − rank) / (n − 1), half-up, as a number.
            let pct = half_up(Ratio::new(100 * (n - ranks[unit] as i128), n - 1)) as f64 / 100.0;
            assert_eq!(cell(ranked, "percentile").parse::<f64>().unwrap(), pct, "percentile of {unit} {year}");
        }
        assert_eq!(rankings.iter().filter(|r| cell(r, "year") == year).count(), totals.len());
    }
}

#[test]
fn rank_answers_planners_questions() {
    let wd = Workdir::new("rank_answers_planners_questions");
    let (_, warehouse) = sample_run(&wd);
    let wh = warehouse.to_str().unwrap();
    // Every expected row from the totals recomputed here.
    let totals = recomputed(&warehouse, "2024");
    let ranks = competition_ranks(&totals.iter().map(|(u, r)| (u.clone(), r.hundredths)).collect());
    let mut order: Vec<(usize, &String)> = ranks.iter().map(|(u, r)| (*r, u)).collect();
    order.sort();
    let out = wd.sakip(&["rank", "--warehouse", wh, "--year", "2024", "--province", "53", "--top", "3", "--format", "csv"]).expect_code(0).stdout();
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    for (row, (rank, unit)) in rows.iter().zip(&order) {
        let h = totals[*unit].hundredths;
        assert_eq!((&row[0], &row[2], &row[4], &row[5]), (rank.to_string().as_str(), unit.as_str(), text_of(h).as_str(), predikat_bb(h)));
    }
    // Every answer A (90.00, worked above) is the top of the sample.
    assert_eq!(order[0].1, "5301");

    // The bottom three in Pengukuran Kinerja (component 2), by name, by
    // code or by the start of the name.
    let by_name = wd.sakip(&["rank", "--warehouse", wh, "--year", "2024", "--by", "Pengukuran Kinerja", "--bottom", "3", "--format", "json"]).expect_code(0).stdout();
    let by_code = wd.sakip(&["rank", "--warehouse", wh, "--year", "2024", "--by", "2", "--bottom", "3", "--format", "json"]).expect_code(0).stdout();
    let by_prefix = wd.sakip(&["rank", "--warehouse", wh, "--year", "2024", "--by", "pengukuran", "--bottom", "3", "--format", "json"]).expect_code(0).stdout();
    assert_eq!(by_name, by_code);
    assert_eq!(by_name, by_prefix);
    let doc: serde_json::Value = serde_json::from_str(&by_name).unwrap();
    let rows = doc.as_array().unwrap();
    let component: BTreeMap<String, i128> = totals.iter().map(|(u, r)| (u.clone(), r.components[1])).collect();
    let component_ranks = competition_ranks(&component);
    let mut bottom: Vec<(usize, &String)> = component_ranks.iter().map(|(u, r)| (*r, u)).collect();
    bottom.sort();
    let bottom = &bottom[bottom.len() - 3..];
    assert_eq!(rows.len(), 3);
    for (row, (rank, unit)) in rows.iter().zip(bottom) {
        assert_eq!(row["rank"], *rank as i64, "{row}");
        assert_eq!((row["unit_code"].as_str().unwrap(), row["score"].as_str().unwrap()), (unit.as_str(), text_of(component[*unit]).as_str()));
        // Weight 30 (the regulation), a decimal string.
        assert!(row["component"] == "2" && row["max_score"] == "30.00", "{row}");
    }

    // Units graded CC in 2024, `--grade` in any case.
    let cc = wd.sakip(&["rank", "--warehouse", wh, "--year", "2024", "--grade", "cc", "--format", "csv"]).expect_code(0).stdout();
    let want: Vec<&String> = order.iter().filter(|(_, u)| predikat_bb(totals[*u].hundredths) == "CC").map(|(_, u)| *u).collect();
    let got: Vec<String> = cc.lines().skip(1).map(|l| l.split(',').nth(2).unwrap().to_string()).collect();
    assert_eq!(got.iter().collect::<Vec<_>>(), want, "{cc}");

    let table_out = wd.sakip(&["rank", "--warehouse", wh, "--year", "2024"]).expect_code(0).stdout();
    assert!(table_out.lines().next().unwrap().starts_with("rank"), "{table_out}");
    assert_eq!(table_out.lines().count(), 1 + totals.len());
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

#[test]
fn every_year_of_a_long_history_carries_the_standing_of_the_year_before() {
    // Twenty-two years of one province, more than two of the ranking's
    // queries (they cover ten years each): every year's ranking lists each
    // evaluator total of that year once, and a unit's `prev_score` is its
    // evaluator total of the year before as `scores` holds it (written by
    // ingest, not by the ranking), blank in the first year.
    let wd = Workdir::new("every_year_of_a_long_history_carries_the_standing");
    let (national, inbox) = national_inbox(&wd, "2004-2025", "75");
    let warehouse = wd.path().join("warehouse");
    wd.sakip(&["run", national.to_str().unwrap(), "--inbox", inbox.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()]).expect_code(0);
    let evaluator: BTreeMap<(String, String), String> = table(&warehouse, "scores")
        .iter()
        .filter(|r| cell(r, "track") == "evaluator")
        .map(|r| ((cell(r, "year").to_string(), cell(r, "unit_code").to_string()), cell(r, "score").to_string()))
        .collect();
    let rankings = table(&warehouse, "rankings");
    for year in 2004..=2025 {
        let of_year: Vec<&Row> = rankings.iter().filter(|r| cell(r, "year") == year.to_string()).collect();
        let scored = evaluator.keys().filter(|(y, _)| *y == year.to_string()).count();
        assert!(scored > 0, "{year}: no scores");
        assert_eq!(of_year.len(), scored, "{year}: one ranking row per evaluator total");
        for r in of_year {
            let unit = cell(r, "unit_code");
            assert_eq!(cell(r, "score"), evaluator[&(year.to_string(), unit.to_string())], "{year} {unit}");
            let before = evaluator.get(&((year - 1).to_string(), unit.to_string())).map_or("", String::as_str);
            assert_eq!(cell(r, "prev_score"), before, "{year} {unit}: last year's standing");
        }
    }
}
