//! The unit results: `sakip unit`, the unit pages beside the provincial
//! review, and `criterion_scores`.
//!
//! The expected points are worked out here by hand from the sample's
//! evaluator answers (sample-data/README.md lists them per sub-component)
//! and the 88/2021 rubric's weights, with plain fractions — never read back
//! from sakip. Pages are checked the way a unit sees them: rendered,
//! printed to PDF and laid out at phone width by headless Chromium.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{DataType, Reader};
use num_rational::Ratio;

use crate::table::current;
use crate::util::{repo, Workdir};

type Q = Ratio<i128>;

/// Runs `sakip run` on the sample (exit 1: some files are broken on
/// purpose) and returns the warehouse.
fn sample_warehouse(wd: &Workdir) -> PathBuf {
    let warehouse = wd.path().join("warehouse");
    let pipeline = repo().join("pipelines/sample-ntt.toml");
    wd.sakip(&["run", pipeline.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()]).expect_code(1);
    warehouse
}

/// The 88/2021 rubric's sub-components: (code, weight, criteria), from
/// sample-data/README.md's table (weights 6/9/15, 6/9/15, 3/4.5/7.5,
/// 5/7.5/12.5).
const SUBS: [(&str, (i128, i128), usize); 12] = [
    ("1.1", (6, 1), 7),
    ("1.2", (9, 1), 10),
    ("1.3", (15, 1), 8),
    ("2.1", (6, 1), 3),
    ("2.2", (9, 1), 7),
    ("2.3", (15, 1), 10),
    ("3.1", (3, 1), 6),
    ("3.2", (9, 2), 9),
    ("3.3", (15, 2), 7),
    ("4.1", (5, 1), 3),
    ("4.2", (15, 2), 5),
    ("4.3", (25, 2), 5),
];

/// The AA–E scale: answer → value out of 100.
fn value(answer: &str) -> i128 {
    match answer {
        "AA" => 100,
        "A" => 90,
        "BB" => 80,
        "B" => 70,
        "CC" => 60,
        "C" => 50,
        "D" => 30,
        "E" => 0,
        other => panic!("not on the AA–E scale: {other}"),
    }
}

/// One expected row: criterion, answer, points earned, full marks, open.
#[derive(Debug, Clone, PartialEq)]
struct Gap {
    criterion: String,
    answer: String,
    points: Q,
    max: Q,
    open: Q,
}

/// The expected points-to-gain rows of a worksheet given as, per
/// sub-component, runs of (count, answer) in criterion order: a criterion
/// of sub-component weight W with n criteria is worth W/n at full marks and
/// earns W/n × value/100; rows below full marks, largest open first, equal
/// ones in rubric order.
fn expected(answers: &[&[(usize, &str)]; 12]) -> Vec<Gap> {
    let mut rows = Vec::new();
    for ((code, (wn, wd), n), runs) in SUBS.iter().zip(answers) {
        let list: Vec<&str> = runs.iter().flat_map(|(k, a)| std::iter::repeat_n(*a, *k)).collect();
        assert_eq!(list.len(), *n, "answers for every criterion of {code}");
        for (k, answer) in list.iter().enumerate() {
            let max = Q::new(*wn, *wd) / Q::from_integer(*n as i128);
            let points = max * Q::new(value(answer), 100);
            rows.push(Gap { criterion: format!("{code}.{}", k + 1), answer: answer.to_string(), points, max, open: max - points });
        }
    }
    // Stable sort: equal opens stay in rubric order.
    rows.retain(|r| r.open > Q::from_integer(0));
    rows.sort_by(|a, b| b.open.cmp(&a.open));
    rows
}

/// An exact value as sakip's CSV writes it: half-up to six decimals.
fn six(q: Q) -> String {
    let scaled = q * Q::from_integer(1_000_000);
    let n = (scaled + Q::new(1, 2)).floor().to_integer();
    format!("{}.{:06}", n / 1_000_000, n % 1_000_000)
}

/// `sakip unit … --format csv` as rows of (criterion, answer, points,
/// max_points, points_open), checking the header and the numbering.
fn unit_csv(wd: &Workdir, warehouse: &Path, unit: &str) -> Vec<[String; 5]> {
    let run = wd.sakip(&["unit", "--warehouse", warehouse.to_str().unwrap(), "--year", "2024", "--unit", unit, "--format", "csv"]).expect_code(0);
    let stdout = run.stdout();
    let mut reader = csv::Reader::from_reader(stdout.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, ["no", "criterion", "criterion_name", "answer", "points", "max_points", "points_open"]);
    reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            let r = r.unwrap();
            assert_eq!(&r[0], (i + 1).to_string(), "rows are numbered");
            [r[1].to_string(), r[3].to_string(), r[4].to_string(), r[5].to_string(), r[6].to_string()]
        })
        .collect()
}

fn check_rows(unit: &str, got: &[[String; 5]], want: &[Gap]) {
    let want: Vec<[String; 5]> = want.iter().map(|g| [g.criterion.clone(), g.answer.clone(), six(g.points), six(g.max), six(g.open)]).collect();
    assert_eq!(got.len(), want.len(), "unit {unit}: number of criteria below full marks");
    for (g, w) in got.iter().zip(&want) {
        assert_eq!(g, w, "unit {unit}");
    }
}

#[test]
fn points_to_gain_of_three_units_match_the_hand_working() {
    let wd = Workdir::new("unit_points_to_gain");
    let warehouse = sample_warehouse(&wd);

    // 53 KPU Provinsi NTT, 2024 (sample-data/README.md): total 78.10, BB.
    // No criterion is AA, so all 80 are below full marks. Open per
    // criterion = W/n × (100 − value)/100:
    //   4.3.5 CC: 2.5 × 0.4 = 1.00        4.3.1–4 B: 2.5 × 0.3 = 0.75
    //   1.3.5–8 B: 1.875 × 0.3 = 0.5625   2.3.4–10, 4.2.4–5 B: 1.5 × 0.3 = 0.45
    //   1.3.1–4 BB: 0.375   3.3.x B: 15/14 × 0.3 = 9/28   2.3.1–3, 4.2.1–3 BB: 0.3
    //   2.2.x BB: 9/7 × 0.2 = 9/35   2.1.x A: 0.2   1.2.6–10 BB: 0.18
    //   4.1.x A: 5/3 × 0.1 = 1/6   3.2.x BB: 0.1   1.2.1–5 A: 0.09
    //   1.1.x A: 6/7 × 0.1 = 3/35   3.1.x A: 0.05
    // Sum of open = 100 − 78.10 = 21.90. Next predikat A needs more than
    // 80: 78.10 + 1.00 = 79.10, + 0.75 = 79.85, + 0.75 = 80.60 → 3 gaps.
    let ntt = expected(&[
        &[(7, "A")],
        &[(5, "A"), (5, "BB")],
        &[(4, "BB"), (4, "B")],
        &[(3, "A")],
        &[(7, "BB")],
        &[(3, "BB"), (7, "B")],
        &[(6, "A")],
        &[(9, "BB")],
        &[(7, "B")],
        &[(3, "A")],
        &[(3, "BB"), (2, "B")],
        &[(4, "B"), (1, "CC")],
    ]);
    assert_eq!(ntt.len(), 80);
    assert_eq!(ntt.iter().map(|g| g.open).sum::<Q>(), Q::new(219, 10));
    assert_eq!((ntt[0].criterion.as_str(), ntt[0].open), ("4.3.5", Q::from_integer(1)));
    assert_eq!(ntt.last().map(|g| (g.criterion.as_str(), g.open)), Some(("3.1.6", Q::new(5, 100))));
    check_rows("53", &unit_csv(&wd, &warehouse, "53"), &ntt);

    // 5371 Kota Kupang, 2024: every answer BB, total 80.00 (top of BB).
    // Open = W/n × 0.2: 4.3 = 0.5, 2.1 = 0.4, 1.3 = 0.375, 4.1 = 1/3,
    // 2.3 and 4.2 = 0.3, 2.2 = 9/35, 3.3 = 3/14, 1.2 = 0.18, 1.1 = 6/35,
    // 3.1 and 3.2 = 0.1. Sum = 20. One gap (4.3.1) gives 80.50 → A.
    let kota = expected(&[
        &[(7, "BB")],
        &[(10, "BB")],
        &[(8, "BB")],
        &[(3, "BB")],
        &[(7, "BB")],
        &[(10, "BB")],
        &[(6, "BB")],
        &[(9, "BB")],
        &[(7, "BB")],
        &[(3, "BB")],
        &[(5, "BB")],
        &[(5, "BB")],
    ]);
    assert_eq!(kota.iter().map(|g| g.open).sum::<Q>(), Q::from_integer(20));
    check_rows("5371", &unit_csv(&wd, &warehouse, "5371"), &kota);

    // 5304 Belu, 2024: total 69.248333… → 69.25, B. Largest gaps: 4.3.3–5
    // C on 2.5: 2.5 × 0.5 = 1.25; then 4.3.1–2 CC: 1.00. The exact total
    // plus 1.25 is 70.498333… → 70.50 > 70: one gap gives BB. Open in all
    // = 100 − 69.248333… = 30.751666… (→ 30.75).
    let belu = expected(&[
        &[(7, "BB")],
        &[(6, "BB"), (4, "B")],
        &[(2, "BB"), (6, "B")],
        &[(3, "A")],
        &[(7, "B")],
        &[(4, "B"), (6, "CC")],
        &[(6, "BB")],
        &[(9, "B")],
        &[(7, "CC")],
        &[(2, "BB"), (1, "B")],
        &[(2, "B"), (3, "CC")],
        &[(2, "CC"), (3, "C")],
    ]);
    assert_eq!(Q::from_integer(100) - belu.iter().map(|g| g.open).sum::<Q>(), Q::new(415_490, 6000), "69.248333… = 415490/6000");
    assert_eq!(belu[0].criterion, "4.3.3");
    check_rows("5304", &unit_csv(&wd, &warehouse, "53.04"), &belu);

    // The table's summary lines carry the totals and the next predikat.
    let wh = warehouse.to_str().unwrap();
    for (unit, summary, open) in [
        ("53", "78.10 BB, rank 6 of 18", "points open: 21.90 in 80 criteria; closing the 3 largest gaps gives 80.60 -> A"),
        ("5371", "80.00 BB, rank 2 of 18", "points open: 20.00 in 80 criteria; closing the largest gap gives 80.50 -> A"),
        ("5304", "69.25 B", "points open: 30.75 in 80 criteria; closing the largest gap gives 70.50 -> BB"),
    ] {
        let out = wd.sakip(&["unit", "--warehouse", wh, "--year", "2024", "--unit", unit]).expect_code(0).stdout();
        assert!(out.lines().next().unwrap().contains(summary), "{unit}: {out}");
        assert!(out.contains(open), "{unit}: {out}");
    }

    // JSON: the same rows, decimals as strings, a missing answer as null.
    let json = wd.sakip(&["unit", "--warehouse", wh, "--year", "2024", "--unit", "53", "--format", "json"]).expect_code(0).stdout();
    let rows: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(rows[0]["criterion"], "4.3.5");
    assert_eq!(rows[0]["points_open"], "1.000000");
    assert_eq!(rows.as_array().unwrap().len(), 80);
}

#[test]
fn sakip_unit_names_what_exists_for_an_unknown_unit_or_year() {
    let wd = Workdir::new("unit_unknown");
    let warehouse = sample_warehouse(&wd);
    let wh = warehouse.to_str().unwrap();
    let run = wd.sakip(&["unit", "--warehouse", wh, "--year", "2022", "--unit", "5301"]).expect_code(2);
    assert!(run.stderr().contains("no scores for 2022") && run.stderr().contains("years with scores: 2021, 2023, 2024"), "{}", run.stderr());
    // 5318 sent nothing in 2024; the units that were scored are listed.
    let run = wd.sakip(&["unit", "--warehouse", wh, "--year", "2024", "--unit", "5318"]).expect_code(2);
    let err = run.stderr();
    assert!(err.contains("unit 5318 has no evaluator score in 2024"), "{err}");
    assert!(err.contains("5301 KPU Kabupaten Kupang") && err.contains("5371 KPU Kota Kupang") && !err.contains("5320"), "{err}");
    wd.sakip(&["unit", "--warehouse", wh, "--year", "2024", "--unit", "kupang"]).expect_code(2);
}

/// The sample's 2024 evaluator-track sums of `criterion_scores`, read by
/// DuckDB (an outside reader), against `scores`: a unit's criterion points
/// add up to its total.
#[test]
fn criterion_scores_add_up_to_each_total_in_duckdb() {
    let wd = Workdir::new("unit_criterion_scores");
    let warehouse = sample_warehouse(&wd);
    let script = wd.write(
        "check.py",
        r#"
import sys, duckdb
from decimal import Decimal
wh = sys.argv[1]
rows = duckdb.sql(f"""
  SELECT c.year, c.unit_code, c.track, sum(c.points) AS points, sum(c.max_points) AS max_points, any_value(s.score) AS score, count(*) AS n
  FROM read_parquet('{wh}/criterion_scores/**/*.parquet', hive_partitioning = false) c
  JOIN read_parquet('{wh}/scores/**/*.parquet', hive_partitioning = false) s USING (year, unit_code, track)
  GROUP BY ALL ORDER BY ALL""").fetchall()
print(len(rows))
for year, unit, track, points, max_points, score, n in rows:
    # Six-decimal terms: at most n × 0.0000005 from the exact sum.
    assert abs(points - score) <= 0.005 + n * 0.0000005, (year, unit, track, points, score)
    assert abs(max_points - 100) <= n * 0.0000005, (year, unit, track, max_points)
    assert n == (70 if year == 2021 else 80), (year, unit, n)
(n53,) = duckdb.sql(f"SELECT sum(max_points - points) FROM read_parquet('{wh}/criterion_scores/**/*.parquet', hive_partitioning = false) WHERE year = 2024 AND unit_code = '53' AND track = 'evaluator'").fetchone()
assert abs(n53 - Decimal('21.90')) < Decimal('0.0001'), n53
"#,
    );
    let out = Command::new("python3").arg(&script).arg(current(&warehouse)).output().expect("python3");
    assert!(out.status.success(), "duckdb check failed (pip install -r scripts/requirements-test.txt):\n{}", String::from_utf8_lossy(&out.stderr));
    // 23 + 23 + 18 units, both tracks.
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), ((23 + 23 + 18) * 2).to_string());

    // The planners' question in `sakip sql`: which criteria lose the most
    // points province-wide? The review's list starts with the same one.
    let sql = "SELECT criterion, count(*) AS units, sum(max_points - points) AS open FROM criterion_scores WHERE year = 2024 AND track = 'evaluator' AND points < max_points GROUP BY criterion ORDER BY open DESC, criterion LIMIT 3";
    let top = wd.sakip(&["sql", "--warehouse", warehouse.to_str().unwrap(), sql, "--format", "csv"]).expect_code(0).stdout();
    let first = top.lines().nth(1).unwrap().split(',').next().unwrap().to_string();
    let page = std::fs::read_to_string(current(&warehouse).join("review/2024/53/review.html")).unwrap();
    let list = &page[page.find(r#"<table id="kriteria-kehilangan-poin">"#).expect("the losses table")..];
    let row = &list[list.find("<tbody>").unwrap()..];
    assert!(row.starts_with(&format!("<tbody>\n<tr><td class=\"num\">1</td><td>{first}</td>")), "sql top {first}; page {}", &row[..200]);
}

/// The `/MediaBox` sizes of a PDF's pages, in points.
fn media_boxes(pdf: &[u8]) -> Vec<(f64, f64)> {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/MediaBox")
        .map(|(i, _)| {
            let rest = &text[i..];
            let inner = &rest[rest.find('[').unwrap() + 1..rest.find(']').unwrap()];
            let n: Vec<f64> = inner.split_whitespace().map(|v| v.parse().unwrap()).collect();
            (n[2] - n[0], n[3] - n[1])
        })
        .collect()
}

#[test]
fn unit_pages_are_linked_render_and_print_on_a4() {
    let wd = Workdir::new("unit_pages");
    let warehouse = sample_warehouse(&wd);
    let folder = current(&warehouse).join("review/2024/53");
    let review = std::fs::read_to_string(folder.join("review.html")).unwrap();
    // Each of the 18 ranked units' names opens its page, which exists, with
    // its workbook beside it.
    let links: Vec<&str> = review.match_indices(r#"<a class="unit" href=""#).map(|(i, m)| review[i + m.len()..].split('"').next().unwrap()).collect();
    assert_eq!(links.len(), 18, "one link per ranked unit");
    for link in &links {
        assert!(link.starts_with("units/") && link.ends_with(".html"), "{link}");
        assert!(folder.join(link).is_file(), "{link} is linked but not written");
        assert!(folder.join(link.replace(".html", ".xlsx")).is_file(), "{link} has no workbook");
    }
    for unit in ["5301-kpu-kabupaten-kupang", "53-kpu-provinsi-nusa-tenggara-timur", "5304-kpu-kabupaten-belu"] {
        assert!(links.contains(&format!("units/{unit}.html").as_str()), "{unit} is not linked");
    }
    // Units without an evaluator score have no page.
    let pages = std::fs::read_dir(folder.join("units")).unwrap().filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "html")).count();
    assert_eq!(pages, 18);

    // The page of KPU Provinsi NTT, as Chromium builds it.
    let page = folder.join("units/53-kpu-provinsi-nusa-tenggara-timur.html");
    let source = std::fs::read_to_string(&page).unwrap();
    assert!(source.contains("@page{size:A4"), "no A4 print rule");
    for outside in ["<script", "<link", " src=", "url(", "http://", "https://"] {
        assert!(!source.contains(outside), "the unit page refers to an outside resource ({outside})");
    }
    let dom = crate::util::chromium(&wd, &["--dump-dom"], &format!("file://{}", page.display()));
    assert!(dom.contains("KPU Provinsi Nusa Tenggara Timur") && dom.contains(">78,10<"), "total missing");
    assert!(dom.contains(r#"<div class="card" id="kartu-peringkat"><b>6 / 18</b><span>peringkat di provinsi</span>"#), "rank card");
    assert!(dom.contains("Menutup 3 selisih terbesar memberi 80,60 → A."), "next predikat sentence");
    let gain = &dom[dom.find(r#"<table id="poin-terbuka">"#).expect("points-to-gain table")..];
    let gain = &gain[..gain.find("</table>").unwrap()];
    assert_eq!(gain.matches("<tr>").count(), 1 + 80, "header + 80 criteria below full marks");
    // First row: 4.3.5, answered CC, 1.50 of 2.50, 1.00 open (hand-worked above).
    let first = &gain[gain.find("<tbody>").unwrap()..];
    let first = &first[..first.find("</tr>").unwrap()];
    for cell in [">4.3.5<", ">CC<", ">1,50<", ">2,50<", ">1,00<"] {
        assert!(first.contains(cell), "{cell} not in the first row: {first}");
    }
    for id in ["komponen", "mandiri-lebih-tinggi", "catatan-evaluator"] {
        assert!(dom.contains(&format!(r#"<table id="{id}">"#)) || dom.contains("<p class=\"empty\">"), "{id}");
    }
    // 5309 Ngada's evaluator left 2.3.7, 3.3.4 and 4.3.5 unanswered.
    let ngada = std::fs::read_to_string(folder.join("units/5309-kpu-kabupaten-ngada.html")).unwrap();
    let missing = &ngada[ngada.find(r#"<table id="kriteria-kosong">"#).expect("missing criteria listed")..];
    let missing = &missing[..missing.find("</table>").unwrap()];
    for code in ["2.3.7", "3.3.4", "4.3.5"] {
        assert!(missing.contains(&format!(">{code}<")), "{code} not listed as missing");
    }

    // 5371 Kota Kupang: the evaluator answered BB (80) everywhere, so the
    // self-assessment is higher exactly where its answer is AA or A, and the
    // evaluator's notes are those of its file — both read here from the
    // sample file itself.
    let file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(repo().join("sample-data/inbox/2024/5371-kota-kupang.json")).unwrap()).unwrap();
    let answers = file["answers"].as_array().unwrap();
    let of_track = |t: &'static str| answers.iter().filter(move |a| a["track"] == t);
    let higher: Vec<&str> = of_track("mandiri").filter(|a| value(a["answer"].as_str().unwrap()) > 80).map(|a| a["criterion"].as_str().unwrap()).collect();
    let notes: Vec<(&str, &str)> =
        of_track("evaluator").filter(|a| a["notes"] != "").map(|a| (a["criterion"].as_str().unwrap(), a["notes"].as_str().unwrap())).collect();
    assert!(!higher.is_empty() && !notes.is_empty());
    let kota = std::fs::read_to_string(folder.join("units/5371-kpu-kota-kupang.html")).unwrap();
    let rows_of = |id: &str| -> Vec<Vec<String>> {
        let t = &kota[kota.find(&format!(r#"<table id="{id}">"#)).unwrap_or_else(|| panic!("no {id}"))..];
        let body = &t[t.find("<tbody>").unwrap()..t.find("</tbody>").unwrap()];
        body.split("<tr>").skip(1).map(|tr| tr.split("<td").skip(1).map(|td| td[td.find('>').unwrap() + 1..td.find("</td>").unwrap()].to_string()).collect()).collect()
    };
    assert_eq!(rows_of("mandiri-lebih-tinggi").iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), higher);
    for (row, (criterion, note)) in rows_of("catatan-evaluator").iter().zip(&notes) {
        assert_eq!((row[0].as_str(), row[3].as_str()), (*criterion, *note));
    }
    assert_eq!(rows_of("catatan-evaluator").len(), notes.len());

    // The same content as a workbook a planner can forward.
    let xlsx = folder.join("units/53-kpu-provinsi-nusa-tenggara-timur.xlsx");
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    assert_eq!(book.sheet_names(), ["Ringkasan", "Komponen", "Poin Bisa Diraih", "Mandiri Lebih Tinggi", "Kriteria Belum Dijawab", "Catatan Evaluator"]);
    let gain = book.worksheet_range("Poin Bisa Diraih").unwrap();
    let rows: Vec<_> = gain.rows().collect();
    assert_eq!(rows.len(), 1 + 80);
    assert_eq!((rows[1][1].to_string(), rows[1][3].to_string()), ("4.3.5".to_string(), "CC".to_string()));
    assert_eq!((rows[1][4].get_float(), rows[1][5].get_float(), rows[1][6].get_float()), (Some(1.5), Some(2.5), Some(1.0)));
    let summary = book.worksheet_range("Ringkasan").unwrap();
    let next = summary.rows().find(|r| r[0].to_string() == "Predikat berikutnya").expect("next predikat row");
    assert_eq!(next[1].to_string(), "Menutup 3 selisih terbesar memberi 80,60 → A.");

    // Printed from the browser: A4 pages (595 × 842 points), not Letter.
    for unit in ["53-kpu-provinsi-nusa-tenggara-timur", "5304-kpu-kabupaten-belu"] {
        let pdf = wd.path().join(format!("{unit}.pdf"));
        crate::util::chromium(&wd, &["--no-pdf-header-footer", &format!("--print-to-pdf={}", pdf.display())], &format!("file://{}", folder.join(format!("units/{unit}.html")).display()));
        let boxes = media_boxes(&std::fs::read(&pdf).unwrap());
        assert!(!boxes.is_empty(), "{unit}: no page in the PDF");
        for (w, h) in boxes {
            assert!((w - 595.3).abs() < 1.5 && (h - 841.9).abs() < 1.5, "{unit}: page of {w} × {h} points is not A4");
        }
    }
}

/// Lays a page out in a 412 px wide frame (a phone) and returns, per
/// element of interest, its left and right edge in the frame's viewport,
/// with the viewport's width. The frame is used because headless Chromium
/// does not make windows that narrow.
fn narrow_layout(wd: &Workdir, folder: &Path, page: &str) -> (i64, BTreeMap<String, (i64, i64)>) {
    let harness = folder.join("narrow-check.html");
    let html = format!(
        r#"<!DOCTYPE html><html><body style="margin:0"><iframe id="f" src="{page}" style="width:412px;height:900px;border:0"></iframe>
<script>
window.addEventListener('load', function () {{
  var d = document.getElementById('f').contentDocument;
  var out = ['viewport ' + d.documentElement.clientWidth + ' ' + d.documentElement.scrollWidth];
  function box(el, label) {{ var r = el.getBoundingClientRect(); out.push(label + ' ' + Math.round(r.left) + ' ' + Math.round(r.right)); }}
  d.querySelectorAll('#peringkat tbody tr').forEach(function (tr) {{
    box(tr.children[3], 'score-' + tr.children[1].textContent);
    box(tr.children[4], 'predikat-' + tr.children[1].textContent);
  }});
  ['nilai', 'predikat'].forEach(function (id) {{ var e = d.getElementById(id); if (e) box(e, 'card-' + id); }});
  var pre = document.createElement('pre'); pre.id = 'layout'; pre.textContent = out.join('\n'); document.body.appendChild(pre);
}});
</script></body></html>"#
    );
    std::fs::write(&harness, html).unwrap();
    let dom = crate::util::chromium(wd, &["--allow-file-access-from-files", "--dump-dom"], &format!("file://{}", harness.display()));
    std::fs::remove_file(&harness).unwrap();
    let start = dom.find(r#"<pre id="layout">"#).expect("the layout script did not run") + r#"<pre id="layout">"#.len();
    let text = &dom[start..start + dom[start..].find("</pre>").unwrap()];
    let mut lines = text.lines();
    let viewport: Vec<i64> = lines.next().unwrap().split_whitespace().skip(1).map(|v| v.parse().unwrap()).collect();
    assert_eq!(viewport[0], viewport[1], "{page}: the page itself scrolls sideways at 412 px ({text})");
    let boxes = lines
        .map(|l| {
            let p: Vec<&str> = l.split_whitespace().collect();
            (p[0].to_string(), (p[1].parse().unwrap(), p[2].parse().unwrap()))
        })
        .collect();
    (viewport[0], boxes)
}

#[test]
fn at_phone_width_score_and_predikat_need_no_sideways_scroll() {
    let wd = Workdir::new("unit_narrow");
    let warehouse = sample_warehouse(&wd);
    let folder = current(&warehouse).join("review/2024/53");

    let (width, boxes) = narrow_layout(&wd, &folder, "review.html");
    assert!(width <= 412, "the frame is {width} px wide");
    assert_eq!(boxes.len(), 2 * 18, "score and predikat of 18 units: {boxes:?}");
    for (what, (left, right)) in &boxes {
        assert!(*left >= 0 && *right <= width && right > left, "ranking: {what} lies at {left}–{right} px, outside the {width} px screen");
    }

    let (width, boxes) = narrow_layout(&wd, &folder, "units/5371-kpu-kota-kupang.html");
    assert_eq!(boxes.keys().cloned().collect::<Vec<_>>(), ["card-nilai", "card-predikat"]);
    for (what, (left, right)) in &boxes {
        assert!(*left >= 0 && *right <= width && right > left, "unit page: {what} lies at {left}–{right} px, outside the {width} px screen");
    }
}
