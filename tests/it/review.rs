//! The provincial review: workbook, web page and CSV.
//!
//! Each test runs the real `sakip run` on the bundled NTT sample into its own
//! warehouse, then reads the review back with independent readers: calamine
//! for the workbook, the csv crate for the CSV, and headless Chromium for the
//! page — what a planner's browser would actually build from it.

use std::path::{Path, PathBuf};

use calamine::{open_workbook, Data, Reader, Xlsx};

use crate::run::{predikat_bb, recomputed, BANDS_BB};
use crate::table::{cell, current, table, Row};
use crate::util::{copy_dir, national_inbox, repo, Workdir};

const SHEETS: [&str; 7] = ["Peringkat", "Distribusi Predikat", "Belum Mengirim", "Kriteria Kosong", "Selisih Mandiri", "Penolakan", "Kriteria Kehilangan Poin"];

/// Runs `sakip run` on the sample (some files are broken on purpose: exit 1)
/// and returns the warehouse.
fn sample_warehouse(wd: &Workdir) -> PathBuf {
    let warehouse = wd.path().join("warehouse");
    let pipeline = repo().join("pipelines/sample-ntt.toml");
    let run = wd.sakip(&["run", pipeline.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()]).expect_code(1);
    let folder = current(&warehouse).join("review/2024/53");
    assert!(run.stdout().contains(&folder.display().to_string()), "sakip run does not list the review folder:\n{}", run.stdout());
    warehouse
}

/// `sakip review` on the sample pipeline with extra arguments.
fn review(wd: &Workdir, warehouse: &Path, extra: &[&str]) -> crate::util::Run {
    let pipeline = repo().join("pipelines/sample-ntt.toml");
    let mut args = vec!["review", pipeline.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()];
    args.extend_from_slice(extra);
    wd.sakip(&args)
}

/// The 2024 rankings of province 53, in the table's order (rank, then code).
fn rankings_2024(warehouse: &Path) -> Vec<Row> {
    let rows: Vec<Row> = table(warehouse, "rankings").into_iter().filter(|r| cell(r, "year") == "2024" && cell(r, "province_code") == "53").collect();
    assert_eq!(rows.len(), recomputed(warehouse, "2024").len(), "every unit scored in 2024 is ranked");
    rows
}

fn sheet(path: &Path, name: &str) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let range = workbook.worksheet_range(name).unwrap_or_else(|e| panic!("{}: sheet {name}: {e}", path.display()));
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => format!("{other:?}"),
    }
}

fn number(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        Data::Int(i) => *i as f64,
        other => panic!("expected a number, found {other:?}"),
    }
}

#[test]
fn review_workbook_matches_the_rankings_table() {
    let wd = Workdir::new("review_workbook");
    let warehouse = sample_warehouse(&wd);
    let xlsx = current(&warehouse).join("review/2024/53/review.xlsx");
    let workbook: Xlsx<_> = open_workbook(&xlsx).unwrap();
    assert_eq!(workbook.sheet_names(), SHEETS.map(String::from).to_vec());

    let rows = sheet(&xlsx, "Peringkat");
    let header: Vec<String> = rows[0].iter().map(text).collect();
    assert_eq!(&header[..5], ["Peringkat", "Kode Satker", "Nama Satker", "Nilai", "Predikat"]);
    assert_eq!(&header[5..9], ["Perencanaan Kinerja", "Pengukuran Kinerja", "Pelaporan Kinerja", "Evaluasi Akuntabilitas Kinerja Internal"]);
    assert_eq!(&header[9..], ["Nilai Tahun Lalu", "Perubahan Nilai", "Perubahan Peringkat", "Predikat Tahun Lalu"]);
    let expected = rankings_2024(&warehouse);
    assert_eq!(rows.len() - 1, expected.len());
    for (got, want) in rows[1..].iter().zip(&expected) {
        let unit = cell(want, "unit_code");
        assert_eq!(number(&got[0]).to_string(), cell(want, "rank_province"), "rank of {unit}");
        assert_eq!(text(&got[1]), unit);
        assert_eq!(text(&got[2]), cell(want, "unit_name"));
        // Scores are numbers in the workbook, not text.
        assert_eq!(format!("{:.2}", number(&got[3])), cell(want, "score"), "score of {unit}");
        assert_eq!(text(&got[4]), cell(want, "predikat"), "predikat of {unit}");
        assert_eq!(format!("{:.2}", number(&got[10])), cell(want, "score_change"), "score change of {unit}");
        assert_eq!(number(&got[11]).to_string(), cell(want, "rank_change"), "rank change of {unit}");
    }

    let missing: Vec<String> = sheet(&xlsx, "Belum Mengirim")[1..].iter().map(|r| text(&r[0])).collect();
    assert_eq!(missing, ["5307", "5308", "5311", "5318", "5320"]);

    let grades = sheet(&xlsx, "Distribusi Predikat");
    let counts: Vec<(String, f64)> = grades[1..].iter().map(|r| (text(&r[0]), number(&r[3]))).collect();
    // Counted from the totals tests/it/run.rs recomputes from the answers.
    let totals = recomputed(&warehouse, "2024");
    let want: Vec<(String, f64)> = BANDS_BB.iter().map(|(p, _)| (p.to_string(), totals.values().filter(|r| predikat_bb(r.hundredths) == *p).count() as f64)).collect();
    assert_eq!(counts, want);
    assert_eq!(text(&grades[2][1]), ">80 – 90");

    let incomplete: Vec<(String, String, f64)> = sheet(&xlsx, "Kriteria Kosong")[1..].iter().map(|r| (text(&r[0]), text(&r[2]), number(&r[3]))).collect();
    let want: Vec<(String, String, f64)> = totals.iter().filter(|(_, r)| r.missing > 0).map(|(u, r)| (u.clone(), "Evaluator".to_string(), r.missing as f64)).collect();
    assert_eq!(incomplete, want);

    // Self-assessment gaps: every ranked unit has both tracks, largest first.
    let gaps = sheet(&xlsx, "Selisih Mandiri");
    assert_eq!(gaps.len() - 1, totals.len());
    let differences: Vec<f64> = gaps[1..].iter().map(|r| number(&r[4])).collect();
    assert!(differences.windows(2).all(|w| w[0] >= w[1]), "not sorted by selisih: {differences:?}");
    for r in &gaps[1..] {
        assert!((number(&r[2]) - number(&r[3]) - number(&r[4])).abs() < 0.005, "selisih is not mandiri − evaluator: {r:?}");
    }

    let rejects = sheet(&xlsx, "Penolakan");
    let rejected_2024 = table(&warehouse, "rejects").iter().filter(|r| cell(r, "year") == "2024").count();
    assert_eq!(rejects.len() - 1, rejected_2024);
    assert!(rejects.iter().any(|r| text(&r[0]) == "2024/5306-flores-timur.csv" && text(&r[4]) == "Z"), "the off-scale answer is listed");
    // Planners read the reasons in Indonesian; the rule code stays.
    assert_eq!(text(&rejects[0][5]), "Alasan");
    let z = rejects.iter().find(|r| text(&r[4]) == "Z").unwrap();
    assert_eq!((text(&z[5]).as_str(), text(&z[6]).as_str()), ("jawaban 'Z' tidak ada pada skala jawaban kriteria ini", "off-scale"));
    let english = ["is not", "answered twice", "superseded", "not inside", "unsupported", "cannot"];
    for r in &rejects[1..] {
        assert!(!english.iter().any(|e| text(&r[5]).contains(e)), "an English reason on the Penolakan sheet: {r:?}");
    }
}

/// Runs tests/review/workbook.py, failing with its output when it fails.
fn workbook_py(args: &[&str]) -> String {
    let script = repo().join("tests/review/workbook.py");
    let out = std::process::Command::new("python3").arg(&script).args(args).output().expect("python3");
    assert!(out.status.success(), "workbook.py {}:\n{}{}", args.join(" "), String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// How a cell formatted `+0.00;-0.00;0.00` shows `value`: a plus sign on a
/// positive number, a minus on a negative one, zero bare.
fn signed(value: &str) -> String {
    match value.parse::<f64>().unwrap() {
        v if v > 0.0 => format!("+{v:.2}"),
        v if v < 0.0 => format!("{v:.2}"),
        _ => "0.00".to_string(),
    }
}

/// The workbooks open in the programs planners use, not only in calamine:
/// openpyxl finds on every sheet of the review and of a unit's result the
/// frozen header, the filter, known number formats and one colour rule per
/// predikat of the 2024 scale; LibreOffice opens the review and shows each
/// score and change of the ranking as the warehouse's rankings table has it.
#[test]
fn review_workbooks_open_in_openpyxl_and_libreoffice() {
    let wd = Workdir::new("review_workbook_readers");
    let warehouse = sample_warehouse(&wd);
    let folder = current(&warehouse).join("review/2024/53");
    let scale = repo().join("pipelines/scales/permenpanrb-bb.toml");
    let review = folder.join("review.xlsx");
    let unit = folder.join("units/5304-kpu-kabupaten-belu.xlsx");
    let path = |p: &Path| p.to_str().unwrap().to_string();
    for (book, sheets) in [(&review, SHEETS.len()), (&unit, 6)] {
        let report = workbook_py(&["check", &path(book), &path(&scale), "2024"]);
        assert_eq!(report.lines().count(), sheets, "{}: {report}", book.display());
        if book == &review {
            // The ranking's predikat column is the one coloured.
            assert!(report.lines().next().unwrap().starts_with("Peringkat: ") && report.lines().next().unwrap().ends_with(" 1 coloured"), "{report}");
        }
    }

    let shown = PathBuf::from(workbook_py(&["csv", &path(&review), &path(wd.path())]));
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_path(&shown).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let expected = rankings_2024(&warehouse);
    assert_eq!(rows.len(), expected.len());
    for (got, want) in rows.iter().zip(&expected) {
        let unit = cell(want, "unit_code");
        assert_eq!(&got[1], unit);
        assert_eq!(&got[3], cell(want, "score"), "score of {unit} as LibreOffice shows it");
        assert_eq!(got[10], signed(cell(want, "score_change")), "score change of {unit} as LibreOffice shows it");
    }
}

/// The page as headless Chromium builds it (`--dump-dom`).
fn render_in_chromium(wd: &Workdir, html: &Path) -> String {
    let dom = crate::util::chromium(wd, &["--dump-dom"], &format!("file://{}", html.display()));
    assert!(dom.contains("</html>"), "Chromium did not render {}", html.display());
    dom
}

/// The text of the element that starts with `open` (up to its `close`).
fn element<'a>(dom: &'a str, open: &str, close: &str) -> &'a str {
    let start = dom.find(open).unwrap_or_else(|| panic!("no {open} in the rendered page"));
    let end = dom[start..].find(close).unwrap_or_else(|| panic!("{open} is not closed"));
    &dom[start..start + end + close.len()]
}

#[test]
fn review_page_renders_in_chromium() {
    let wd = Workdir::new("review_page");
    let warehouse = sample_warehouse(&wd);
    let html = current(&warehouse).join("review/2024/53/review.html");
    let source = std::fs::read_to_string(&html).unwrap();
    assert!(source.starts_with("<!DOCTYPE html>\n<html lang=\"id\">"));
    assert!(source.contains(r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#));
    // Self-contained: nothing is fetched.
    let no_namespace = source.replace("http://www.w3.org/2000/svg", "");
    for outside in ["<script", "<link", " src=", "url(", "http://", "https://", "@import"] {
        assert!(!no_namespace.contains(outside), "the page refers to an outside resource ({outside})");
    }

    let dom = render_in_chromium(&wd, &html);
    assert!(dom.contains("Provinsi Nusa Tenggara Timur") && dom.contains("2024") && dom.contains("Sampel KPU Provinsi Nusa Tenggara Timur"));
    let ranking = element(&dom, r#"<table id="peringkat">"#, "</table>");
    let body = element(ranking, "<tbody>", "</tbody>");
    // Bars and rows per unit scored, per band of the scale file, per
    // component of the rubric file (counted in their text).
    let units = recomputed(&warehouse, "2024").len();
    let bands = std::fs::read_to_string(repo().join("pipelines/scales/permenpanrb-bb.toml")).unwrap().matches("[[bands]]").count();
    let components = std::fs::read_to_string(repo().join("pipelines/rubrics/permenpanrb-88-2021.toml")).unwrap().matches("[[components]]").count();
    assert_eq!(body.matches("<tr>").count(), units, "one row per ranked unit");
    let first = element(body, "<tr>", "</tr>");
    assert!(first.contains(">5301<") && first.contains("90,00") && first.contains(">A<"), "first row: {first}");

    let charts = [("chart-ranking", units), ("chart-distribusi", bands), ("chart-komponen", units * components), ("chart-perubahan", units)];
    for (id, rects) in charts {
        let svg = element(&dom, &format!(r#"<svg id="{id}""#), "</svg>");
        assert!(svg.contains("viewBox="), "{id} does not scale");
        assert_eq!(svg.matches("<rect").count(), rects, "{id}");
    }
    let missing = element(&dom, r#"<table id="belum-mengirim">"#, "</table>");
    for code in ["5307", "5308", "5311", "5318", "5320"] {
        assert!(missing.contains(&format!(">{code}<")), "{code} is not listed as missing");
    }
    for id in ["kriteria-kosong", "selisih-mandiri", "penolakan", "distribusi"] {
        element(&dom, &format!(r#"<table id="{id}">"#), "</table>");
    }
}

#[test]
fn review_of_the_first_year_says_there_is_nothing_to_compare() {
    let wd = Workdir::new("review_first_year");
    let warehouse = sample_warehouse(&wd);
    // 2023 has no 2022 to compare with.
    let run = review(&wd, &warehouse, &["--year", "2023"]).expect_code(0);
    assert!(run.stdout().contains("review/2023/53"), "{}", run.stdout());
    let html = std::fs::read_to_string(current(&warehouse).join("review/2023/53/review.html")).unwrap();
    assert!(!html.contains("chart-perubahan"));
    assert!(html.contains("Tidak ada nilai tahun 2022 untuk dibandingkan."));
    assert_eq!(html.matches(r#"<rect class="bar" x="0""#).count(), recomputed(&warehouse, "2023").len(), "one bar per unit ranked in 2023");
}

#[test]
fn review_csv_has_a_bom_and_the_ranking() {
    let wd = Workdir::new("review_csv");
    let warehouse = sample_warehouse(&wd);
    let bytes = std::fs::read(current(&warehouse).join("review/2024/53/ranking.csv")).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "no byte-order mark");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(&header[..5], ["peringkat", "kode_satker", "nama_satker", "nilai", "predikat"]);
    assert!(header.contains(&"perencanaan_kinerja".to_string()) && header.contains(&"perubahan_nilai".to_string()), "{header:?}");
    let rows: Vec<Vec<String>> = reader.records().map(|r| r.unwrap().iter().map(String::from).collect()).collect();
    let expected = rankings_2024(&warehouse);
    assert_eq!(rows.len(), expected.len());
    assert_eq!(&rows[0][..5], ["1", "5301", "KPU Kabupaten Kupang", "90.00", "A"]);
    let change = header.iter().position(|h| h == "perubahan_nilai").unwrap();
    for (got, want) in rows.iter().zip(&expected) {
        assert_eq!((got[0].as_str(), got[1].as_str(), got[3].as_str()), (cell(want, "rank_province"), cell(want, "unit_code"), cell(want, "score")));
        // A negative change is a number: never quoted as text.
        assert_eq!(got[change], cell(want, "score_change"));
    }
    assert!(rows.iter().any(|r| r[change].starts_with('-')), "the sample has a unit that lost points");
}

#[test]
fn review_outputs_are_byte_identical_on_rerun() {
    let wd = Workdir::new("review_determinism");
    let warehouse = sample_warehouse(&wd);
    let dir = current(&warehouse).join("review/2024/53");
    // The review's own files and every unit's page and workbook.
    let read = || {
        let mut names: Vec<String> = ["review.xlsx", "review.html", "ranking.csv"].map(String::from).to_vec();
        let mut units: Vec<String> = std::fs::read_dir(dir.join("units")).unwrap().map(|e| format!("units/{}", e.unwrap().file_name().to_string_lossy())).collect();
        units.sort();
        assert_eq!(units.len(), 2 * 18, "a page and a workbook per ranked unit");
        names.extend(units);
        names.into_iter().map(|f| (std::fs::read(dir.join(&f)).unwrap(), f)).collect::<Vec<_>>()
    };
    let from_run = read();
    review(&wd, &warehouse, &[]).expect_code(0);
    let first = read();
    review(&wd, &warehouse, &["--year", "2024", "--province", "53"]).expect_code(0);
    let second = read();
    assert_eq!(first.len(), second.len());
    for ((a, name), ((b, _), (c, _))) in first.iter().zip(second.iter().zip(&from_run)) {
        assert!(a == b, "{name} differs between two runs of sakip review");
        assert!(c == a, "{name} differs between sakip run and sakip review");
    }
}

#[test]
fn review_names_what_exists_for_an_unknown_year_or_province() {
    let wd = Workdir::new("review_unknown");
    let warehouse = sample_warehouse(&wd);
    let run = review(&wd, &warehouse, &["--year", "2019"]).expect_code(2);
    assert!(run.stderr().contains("2019") && run.stderr().contains("2021, 2023, 2024"), "{}", run.stderr());
    let run = review(&wd, &warehouse, &["--province", "33"]).expect_code(2);
    assert!(run.stderr().contains("33") && run.stderr().contains("provinces with rankings: 53"), "{}", run.stderr());
    let run = review(&wd, &warehouse, &["--province", "x"]).expect_code(2);
    assert!(run.stderr().contains("'x'"), "{}", run.stderr());
}

#[test]
fn review_neutralises_formula_text_but_not_numbers() {
    let wd = Workdir::new("review_formula");
    // A crafted answer: refused as off-scale, so its value reaches the
    // rejects sheet as sent.
    let inbox = wd.path().join("inbox");
    copy_dir(&repo().join("sample-data/inbox"), &inbox);
    let file = inbox.join("2024/5306-flores-timur.csv");
    let original = std::fs::read_to_string(&file).unwrap();
    let crafted = original.replace(",Z,Salah ketik,", ",=1+2,Salah ketik,");
    assert_ne!(crafted, original);
    std::fs::write(&file, crafted).unwrap();
    let warehouse = wd.path().join("warehouse");
    let pipeline = repo().join("pipelines/sample-ntt.toml");
    wd.sakip(&["run", pipeline.to_str().unwrap(), "--inbox", inbox.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()]).expect_code(1);

    let xlsx = current(&warehouse).join("review/2024/53/review.xlsx");
    let rejects = sheet(&xlsx, "Penolakan");
    let values: Vec<String> = rejects.iter().filter(|r| text(&r[0]) == "2024/5306-flores-timur.csv").map(|r| text(&r[4])).collect();
    assert!(values.contains(&"'=1+2".to_string()), "{values:?}");
    assert!(!values.contains(&"=1+2".to_string()));
    // Numbers stay numbers, negative ones included.
    let ranking = sheet(&xlsx, "Peringkat");
    let ngada = ranking.iter().find(|r| text(&r[1]) == "5309").unwrap();
    assert!(matches!(ngada[10], Data::Float(f) if f < 0.0), "{:?}", ngada[10]);
    // The page shows the value as sent, escaped, not quoted.
    let html = std::fs::read_to_string(current(&warehouse).join("review/2024/53/review.html")).unwrap();
    assert!(html.contains("jawaban &#39;=1+2&#39; tidak ada pada skala jawaban"));
}

#[test]
fn a_nationwide_review_shows_each_province_its_own_rejects_and_everyone_the_unreadable() {
    // A nationwide pipeline, one year of provinces 53 and 75: one answer
    // of a 53 unit's file and one of a 75 unit's file off the scale, and a
    // file whose unit cannot be told (no code in its name, no rows). Each
    // province's review lists its own unit's refused row and not the
    // other's; both list the file nobody can be told to own.
    let wd = Workdir::new("review_nationwide_rejects");
    let (national, inbox) = national_inbox(&wd, "2025-2025", "53,75");
    let spoil = |name: &str| {
        let path = inbox.join("2025").join(name);
        let text = std::fs::read_to_string(&path).unwrap();
        // The first answer row's answer becomes Z (no scale has it).
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let row = &mut lines[1];
        let cut = row.rfind(',').unwrap();
        row.replace_range(cut + 1.., "Z");
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    };
    spoil("5301.csv");
    spoil("7501.csv");
    std::fs::write(inbox.join("2025/tanpa-kode.csv"), "").unwrap();
    let warehouse = wd.path().join("warehouse");
    wd.sakip(&["run", national.to_str().unwrap(), "--inbox", inbox.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()]).expect_code(1);
    let files = |province: &str| -> Vec<String> {
        let rows = sheet(&current(&warehouse).join(format!("review/2025/{province}/review.xlsx")), "Penolakan");
        rows[1..].iter().map(|r| text(&r[0])).collect()
    };
    let (west, gorontalo) = (files("53"), files("75"));
    assert!(west.contains(&"2025/5301.csv".to_string()) && !west.contains(&"2025/7501.csv".to_string()), "{west:?}");
    assert!(gorontalo.contains(&"2025/7501.csv".to_string()) && !gorontalo.contains(&"2025/5301.csv".to_string()), "{gorontalo:?}");
    assert!(west.contains(&"2025/tanpa-kode.csv".to_string()) && gorontalo.contains(&"2025/tanpa-kode.csv".to_string()), "{west:?} {gorontalo:?}");
}

#[test]
fn a_latest_year_with_no_evaluator_ranking_reviews_the_last_ranked_year() {
    // The sample plus one 2025 worksheet filled by Kupang alone: its self
    // assessment is scored, but no evaluator has ranked anyone in 2025. The
    // run ranks the latest year first and reviews it while older years are
    // ranked; here it must fall back to 2024, the latest year with a
    // ranking, once every year is ranked.
    let wd = Workdir::new("review_latest_unranked");
    let inbox = wd.path().join("inbox");
    copy_dir(&repo().join("sample-data/inbox"), &inbox);
    let kupang = std::fs::read_to_string(repo().join("sample-data/inbox/2024/5301-kupang.csv")).unwrap();
    let mut lines = kupang.lines();
    let mut only_self = vec![lines.next().unwrap().to_string()];
    only_self.extend(lines.filter(|l| l.split(',').nth(2) == Some("mandiri")).map(|l| l.replacen(",2024,", ",2025,", 1)));
    assert_eq!(only_self.len(), 81, "the header and 80 self-assessed criteria");
    wd.write("inbox/2025/5301-kupang.csv", only_self.join("\n") + "\n");

    let warehouse = wd.path().join("warehouse");
    let pipeline = repo().join("pipelines/sample-ntt.toml");
    let run = wd.sakip(&["run", pipeline.to_str().unwrap(), "--inbox", inbox.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()]).expect_code(1);
    let folder = current(&warehouse).join("review/2024/53");
    assert!(run.stdout().contains(&folder.display().to_string()), "the 2024 review is listed:\n{}", run.stdout());
    assert!(folder.join("review.html").is_file());
    assert!(!current(&warehouse).join("review/2025").exists(), "nothing was ranked in 2025, so there is no 2025 review");

    // Kupang's 2025 self assessment is scored, and every year with an
    // evaluator's scores is ranked, 2025 with no rows.
    let scores = table(&warehouse, "scores");
    assert!(scores.iter().any(|r| cell(r, "year") == "2025" && cell(r, "unit_code") == "5301" && cell(r, "track") == "mandiri"));
    let ranked: std::collections::BTreeSet<String> = table(&warehouse, "rankings").iter().map(|r| cell(r, "year").to_string()).collect();
    assert_eq!(ranked.into_iter().collect::<Vec<_>>(), ["2021", "2023", "2024"]);
    assert!(current(&warehouse).join("rankings/year=2025").is_dir(), "2025 has a rankings partition (empty)");

    // And the review is the one `sakip review` writes for 2024 afterwards.
    let before = std::fs::read(folder.join("review.html")).unwrap();
    review(&wd, &warehouse, &["--inbox", inbox.to_str().unwrap(), "--year", "2024"]).expect_code(0);
    assert_eq!(std::fs::read(folder.join("review.html")).unwrap(), before);
}
