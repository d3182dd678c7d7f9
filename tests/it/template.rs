//! `sakip template`: the worksheet sent out, filled the way a person fills
//! it, and read back by `sakip ingest` in the formats units save it in.
//!
//! For every shipped rubric, a pipeline assigning it to 2024 writes the
//! templates of three units. tests/template/lke.py (openpyxl, pyarrow,
//! tomllib) checks each dropdown and lock against the rubric's own TOML,
//! fills one unit's worksheet with different answers per criterion on both
//! tracks, and compares what the warehouse stored with what it wrote. A
//! second unit returns its worksheet blank, a third with an answer typed
//! around the dropdown. The filled worksheet is then saved as .ods and .xls
//! by LibreOffice headless and read back again.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::table::{cell, current, table};
use crate::util::{copy_dir, repo, Workdir};

/// Runs tests/template/lke.py, failing with its output when it fails.
fn lke(args: &[&str]) -> String {
    let script = repo().join("tests/template/lke.py");
    let out = Command::new("python3").arg(&script).args(args).output().expect("python3");
    assert!(
        out.status.success(),
        "lke.py {}:\n{}{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A work directory with its own copy of the rule files and a pipeline
/// giving `rubric` the year 2024, with a deadline and an address.
fn setup(name: &str, rubric: &str) -> (Workdir, PathBuf) {
    let wd = Workdir::new(name);
    for dir in ["rubrics", "scales", "answer-scales"] {
        copy_dir(&repo().join("pipelines").join(dir), &wd.path().join("pipelines").join(dir));
    }
    let pipeline = wd.write(
        "pipelines/uji.toml",
        format!(
            r#"kind = "pipeline"
name = "Uji templat"
inbox = "../inbox"
warehouse = "../warehouse"
registry = "{}"
province = "53"

[template]
deadline = "2025-01-31"
send_to = "sakip@ntt.kpu.example.id"

[[evaluations]]
from = 2024
rubric = "{rubric}"
scale = "permenpanrb-bb"
"#,
            s(&repo().join("sample-data/wilayah"))
        ),
    );
    (wd, pipeline)
}

/// Every rubric shipped in pipelines/rubrics/, by id.
fn shipped_rubrics() -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(repo().join("pipelines/rubrics"))
        .expect("pipelines/rubrics")
        .filter_map(|e| e.ok()?.path().file_stem()?.to_str().map(str::to_string))
        .collect();
    ids.sort();
    assert!(ids.len() >= 2, "{ids:?}");
    ids
}

/// Converts `xlsx` with LibreOffice and ingests the result alone; its
/// answers must be exactly those written.
fn read_back_as(wd: &Workdir, pipeline: &Path, xlsx: &Path, format: &str, expected: &Path) {
    let converted_dir = wd.path().join(format!("converted-{format}"));
    std::fs::create_dir_all(&converted_dir).expect("dir");
    let converted = PathBuf::from(lke(&["convert", s(xlsx), format, s(&converted_dir)]));
    let inbox = wd.path().join(format!("inbox-{format}"));
    let warehouse = wd.path().join(format!("warehouse-{format}"));
    let name = converted.file_name().expect("name");
    std::fs::create_dir_all(inbox.join("2024")).expect("inbox");
    std::fs::copy(&converted, inbox.join("2024").join(name)).expect("copy");
    wd.sakip(&["ingest", s(pipeline), "--inbox", s(&inbox), "--warehouse", s(&warehouse)]).expect_code(0);
    let now = current(&warehouse);
    lke(&["compare", s(expected), s(&now.join("answers")), s(&now.join("rejects")), "5301"]);
}

fn round_trip(rubric: &str) {
    let (wd, pipeline) = setup(&format!("template-{rubric}"), rubric);
    let rubric_toml = repo().join("pipelines/rubrics").join(format!("{rubric}.toml"));
    let scales = repo().join("pipelines/answer-scales");
    let run = wd.sakip(&["template", s(&pipeline), "--year", "2024", "--unit", "5301", "--unit", "53.02", "--unit", "5303", "--out", "out"]).expect_code(0);
    assert!(run.stdout().contains("3 files in out"), "{}", run.stdout());
    // Names worked out from the registry: code, then the name without "KPU".
    let out = wd.path().join("out");
    for name in ["5301-kabupaten-kupang.xlsx", "5302-kabupaten-timor-tengah-selatan.xlsx", "5303-kabupaten-timor-tengah-utara.xlsx"] {
        assert!(out.join(name).is_file(), "{name} not written");
    }
    let template = out.join("5301-kabupaten-kupang.xlsx");
    // The same command gives the same bytes.
    wd.sakip(&["template", s(&pipeline), "--year", "2024", "--unit", "5301", "--out", "again"]).expect_code(0);
    assert_eq!(std::fs::read(&template).ok(), std::fs::read(wd.path().join("again/5301-kabupaten-kupang.xlsx")).ok(), "template bytes differ between runs");

    // Dropdowns, locks, and the instructions (31 January 2025 in Indonesian).
    lke(&["check", s(&rubric_toml), s(&scales), s(&template), "31 Januari 2025", "sakip@ntt.kpu.example.id", "Jawaban Mandiri"]);

    // Fill one, return one blank, and one with an answer typed around the
    // dropdown.
    let inbox = wd.path().join("inbox/2024");
    std::fs::create_dir_all(&inbox).expect("inbox");
    let filled = inbox.join("5301-kabupaten-kupang.xlsx");
    let expected = wd.path().join("expected-5301.json");
    lke(&["fill", s(&rubric_toml), s(&scales), s(&template), s(&filled), s(&expected)]);
    std::fs::copy(out.join("5302-kabupaten-timor-tengah-selatan.xlsx"), inbox.join("5302-kabupaten-timor-tengah-selatan.xlsx")).expect("copy");
    let off = wd.path().join("expected-5303.json");
    lke(&[
        "fill",
        s(&rubric_toml),
        s(&scales),
        s(&out.join("5303-kabupaten-timor-tengah-utara.xlsx")),
        s(&inbox.join("5303-kabupaten-timor-tengah-utara.xlsx")),
        s(&off),
        "--off-scale",
    ]);
    let run = wd.sakip(&["ingest", s(&pipeline)]).expect_code(1);
    let stdout = run.stdout();
    assert!(stdout.contains("blank                 1 file"), "{stdout}");
    assert!(stdout.contains("off-scale             1 row"), "{stdout}");
    // The blank worksheet's unit has not submitted.
    assert!(stdout.contains("5302 KPU Kabupaten Timor Tengah Selatan"), "{stdout}");
    assert!(!stdout.contains("5301 KPU Kabupaten Kupang"), "{stdout}");
    let warehouse = wd.path().join("warehouse");
    let now = current(&warehouse);
    lke(&["compare", s(&expected), s(&now.join("answers")), "", "5301"]);

    // The note typed as "=SUM(…)" is stored as the text it is, and leaves
    // through a CSV export as text (quoted), not as a formula.
    let answers = table(&warehouse, "answers");
    let note = answers.iter().find(|r| cell(r, "unit_code") == "5301" && cell(r, "track") == "mandiri" && cell(r, "notes").starts_with('='));
    assert_eq!(note.map(|r| cell(r, "notes")), Some("=SUM(A1:A9) bukan rumus"));
    let csv = wd
        .sakip(&["sql", "--warehouse", "warehouse", "SELECT notes FROM answers WHERE unit_code = '5301' AND notes LIKE '%SUM%'", "--format", "csv"])
        .expect_code(0)
        .stdout();
    assert_eq!(csv, "notes\n'=SUM(A1:A9) bukan rumus\n");

    let rejects = table(&warehouse, "rejects");
    let blank: Vec<_> = rejects.iter().filter(|r| cell(r, "source_file").starts_with("2024/5302")).collect();
    assert_eq!(blank.len(), 1, "{blank:?}");
    assert_eq!((cell(blank[0], "rule"), cell(blank[0], "scope")), ("blank", "file"));
    assert!(cell(blank[0], "reason").contains("returned blank"), "{:?}", blank[0]);
    assert!(!table(&warehouse, "answers").iter().any(|r| cell(r, "unit_code") == "5302"));

    // The off-scale answer: refused with its row, criterion and the
    // allowed answers; the rest of that worksheet is kept.
    let off: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&off).expect("expected")).expect("json");
    let (code, row) = (off["off_scale"]["criterion"].as_str().expect("code"), off["off_scale"]["row"].as_u64().expect("row"));
    let refused: Vec<_> = rejects.iter().filter(|r| cell(r, "source_file").starts_with("2024/5303")).collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
    let r = refused[0];
    assert_eq!((cell(r, "rule"), cell(r, "source_sheet"), cell(r, "source_row"), cell(r, "value")), ("off-scale", "LKE", row.to_string().as_str(), "Z"));
    let reason = cell(r, "reason");
    assert!(reason.contains(code), "{reason}");
    for answer in off["off_scale"]["allowed"].as_array().expect("allowed") {
        assert!(reason.contains(&format!("{}=", answer.as_str().expect("answer"))), "{reason} lacks {answer}");
    }

    // Saved by LibreOffice in its own format and in Excel 97–2003's.
    for format in ["ods", "xls"] {
        read_back_as(&wd, &pipeline, &filled, format, &expected);
    }
}

#[test]
fn every_shipped_rubric_round_trips_through_its_template() {
    let rubrics = shipped_rubrics();
    std::thread::scope(|scope| {
        for rubric in &rubrics {
            scope.spawn(move || round_trip(rubric));
        }
    });
}

#[test]
fn unknown_units_and_years_are_refused_with_what_exists() {
    let (wd, pipeline) = setup("template-errors", "permenpanrb-88-2021");
    let run = wd.sakip(&["template", s(&pipeline), "--year", "2023", "--all"]).expect_code(2);
    assert!(run.stderr().contains("no rubric to the year 2023; it covers 2024 onwards (permenpanrb-88-2021)"), "{}", run.stderr());
    let run = wd.sakip(&["template", s(&pipeline), "--year", "2024", "--unit", "3301"]).expect_code(2);
    assert!(run.stderr().contains("unit '3301' is not a KPU unit this pipeline consolidates; its units are 53, 5301, 5302"), "{}", run.stderr());
    // A deadline that is no date is a mistake in the pipeline file.
    let text = std::fs::read_to_string(&pipeline).expect("pipeline").replace("2025-01-31", "31-01-2025");
    let bad = wd.write("pipelines/salah.toml", text);
    let run = wd.sakip(&["template", s(&bad), "--year", "2024"]).expect_code(2);
    assert!(run.stderr().contains("template.deadline: write the date as YYYY-MM-DD"), "{}", run.stderr());
    // --all: the province office and its 22 regencies and cities (the
    // sample registry's 53xx rows).
    let run = wd.sakip(&["template", s(&pipeline), "--year", "2024", "--all", "--out", "semua"]).expect_code(0);
    let count = std::fs::read_dir(wd.path().join("semua")).expect("dir").count();
    let regencies = std::fs::read_to_string(repo().join("sample-data/wilayah/regencies.csv")).expect("registry");
    let want = 1 + regencies.lines().filter(|l| l.starts_with("53")).count();
    assert_eq!(count, want, "{}", run.stdout());
}
