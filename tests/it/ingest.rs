//! `sakip ingest` on real files: the sample inbox, each input quirk offices
//! produce, and each reason a row or file is refused. Every run is checked to
//! reconcile: rows read = rows in `answers` + rows in `rejects`.

use std::path::{Path, PathBuf};

use crate::table::{cell, current, read, table, Row};
use crate::util::{copy_dir, criteria_codes, repo, set_mtime, Run, Workdir};

fn sample_pipeline() -> String {
    repo().join("pipelines/sample-ntt.toml").display().to_string()
}

/// The counts the summary printed.
struct Counts {
    read: u64,
    accepted: u64,
    rejected: u64,
}

fn summary_count(out: &str, label: &str) -> u64 {
    let line = out.lines().find(|l| l.trim_start().starts_with(label)).unwrap_or_else(|| panic!("no '{label}' in\n{out}"));
    line.trim_start()[label.len()..].split_whitespace().next().unwrap().parse().unwrap()
}

/// Runs ingest of `inbox` into `<wd>/warehouse` with the sample pipeline and
/// checks that the counts reconcile with the tables written.
fn ingest(wd: &Workdir, inbox: &Path, extra: &[&str]) -> (Run, PathBuf, Counts) {
    let warehouse = wd.path().join("warehouse");
    let pipeline = sample_pipeline();
    let mut args = vec!["ingest", pipeline.as_str(), "--inbox", inbox.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()];
    args.extend_from_slice(extra);
    let run = wd.sakip(&args);
    assert!(run.code() == 0 || run.code() == 1, "exit {}: {}", run.code(), run.stderr());
    let out = run.stdout();
    let counts = Counts { read: summary_count(&out, "rows read"), accepted: summary_count(&out, "rows accepted"), rejected: summary_count(&out, "rows rejected") };
    let answers = table(&warehouse, "answers");
    let rejects = table(&warehouse, "rejects");
    let from_rows = |rows: &[Row]| rows.iter().filter(|r| r["source_row"].is_some()).count() as u64;
    assert_eq!(counts.accepted, from_rows(&answers), "accepted rows = answers with a source row");
    assert_eq!(counts.rejected, from_rows(&rejects), "rejected rows = rejects with a source row");
    assert_eq!(counts.read, counts.accepted + counts.rejected, "rows read = accepted + rejected\n{out}");
    let missing = answers.iter().filter(|r| r["value"].is_none()).count() as u64;
    assert_eq!(summary_count(&out, "missing criteria"), missing, "missing criteria = answers without a value\n{out}");
    (run, warehouse, counts)
}

/// A worksheet CSV answering every 88/2021 criterion for the given tracks.
fn worksheet(unit: &str, year: &str, tracks: &[&str], answer: &str) -> String {
    let mut csv = String::from("unit_code,year,track,criterion,answer\n");
    for track in tracks {
        for code in criteria_codes("permenpanrb-88-2021") {
            csv.push_str(&format!("{unit},{year},{track},{code},{answer}\n"));
        }
    }
    csv
}

fn rejects_of(warehouse: &Path) -> Vec<Row> {
    table(warehouse, "rejects")
}

fn answers_of(warehouse: &Path, year: i32) -> Vec<Row> {
    read(&current(warehouse).join(format!("answers/year={year}/part-0.parquet")))
}

#[test]
fn sample_inbox_is_read_by_duckdb_and_pyarrow() {
    let wd = Workdir::new("sample_inbox_is_read_by_duckdb_and_pyarrow");
    let inbox = wd.path().join("inbox");
    copy_dir(&repo().join("sample-data/inbox"), &inbox);
    // Git does not keep modification times: restore the order the revision
    // was sent in (see sample-data/README.md).
    set_mtime(&inbox.join("2024/5310-manggarai.csv"), 1_709_251_200);
    set_mtime(&inbox.join("2024/5310-manggarai_revisi.xlsx"), 1_709_596_800);
    let (run, warehouse, counts) = ingest(&wd, &inbox, &[]);
    assert_eq!(run.code(), 1, "the sample has deliberately broken submissions");
    let out = run.stdout();
    assert!(out.contains("2024: no submission from 5 units: 5307 KPU Kabupaten Sikka, 5308 KPU Kabupaten Ende, 5311 KPU Kabupaten Sumba Timur, 5318 KPU Kabupaten Sumba Barat Daya, 5320 KPU Kabupaten Sabu Raijua"), "{out}");
    assert!(out.contains("2023: every unit submitted"), "{out}");

    let script = repo().join("tests/readers/check_warehouse.py");
    let check = std::process::Command::new("python3").arg(&script).arg(current(&warehouse)).output().expect("python3");
    assert!(check.status.success(), "outside readers failed (scripts/test installs them):\n{}", String::from_utf8_lossy(&check.stderr));
    let seen: serde_json::Value = serde_json::from_slice(&check.stdout).unwrap();
    let answers = table(&warehouse, "answers");
    let rejects = table(&warehouse, "rejects");
    for reader in ["duckdb_rows", "pyarrow_rows"] {
        assert_eq!(seen["answers"][reader], answers.len(), "{reader}");
        assert_eq!(seen["rejects"][reader], rejects.len(), "{reader}");
    }
    assert_eq!(seen["answers_input_rows"], counts.accepted);
    // 2024 Kota Kupang: every evaluator answer BB (80) on 80 criteria.
    assert_eq!(seen["value_sum_2024_5371_evaluator"], "6400.000000");
    // The revision replaced 5310's first file, row by row.
    assert!(answers.iter().filter(|r| cell(r, "unit_code") == "5310" && cell(r, "year") == "2024").all(|r| cell(r, "source_file") == "2024/5310-manggarai_revisi.xlsx"));
    let superseded: Vec<&Row> = rejects.iter().filter(|r| cell(r, "rule") == "duplicate-submission").collect();
    assert_eq!(superseded.len(), 160);
    assert!(cell(superseded[0], "reason").starts_with("superseded by 2024/5310-manggarai_revisi.xlsx"));
    // Criteria 5309 left out are missing, not zero.
    let missing: Vec<String> = answers
        .iter()
        .filter(|r| cell(r, "unit_code") == "5309" && r["value"].is_none())
        .map(|r| format!("{} {}", cell(r, "track"), cell(r, "criterion")))
        .collect();
    assert_eq!(missing, ["evaluator 2.3.7", "evaluator 3.3.4", "evaluator 4.3.5"]);
}

#[test]
fn output_is_byte_identical_across_thread_counts_and_runs() {
    // Every table `run` writes — answers and rejects from ingest, scores and
    // rankings from polars — byte for byte.
    let wd = Workdir::new("output_is_byte_identical_across_thread_counts_and_runs");
    let inbox = repo().join("sample-data/inbox");
    let pipeline = sample_pipeline();
    let mut snapshots = Vec::new();
    for (name, threads) in [("a", None), ("b", Some("1")), ("c", None), ("d", Some("2"))] {
        let warehouse = wd.path().join(name);
        let mut args = vec!["run", pipeline.as_str(), "--inbox", inbox.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()];
        if let Some(t) = threads {
            args.extend(["--threads", t]);
        }
        wd.sakip(&args).expect_code(1);
        let root = current(&warehouse).canonicalize().unwrap();
        let files: Vec<(String, Vec<u8>)> = crate::table::parquet_files(&root)
            .into_iter()
            .map(|p| (p.strip_prefix(&root).unwrap().display().to_string(), std::fs::read(&p).unwrap()))
            .collect();
        for table in ["answers", "rejects", "scores", "component_scores", "rankings", "component_rankings"] {
            assert!(files.iter().any(|(p, _)| p.starts_with(table)), "{table} written");
        }
        snapshots.push(files);
    }
    for s in &snapshots[1..] {
        assert!(s == &snapshots[0], "every run writes the same files, byte for byte");
    }
}

#[test]
fn utf8_bom_and_indonesian_headers() {
    let wd = Workdir::new("utf8_bom_and_indonesian_headers");
    let mut csv = worksheet("53.02", "2024", &["mandiri", "evaluator"], "A").replace("unit_code,year,track,criterion,answer", "Kode Satker,TAHUN, Penilaian ,kode_kriteria,Jawaban");
    csv = format!("\u{feff}{}", csv.replace('\n', "\r\n"));
    wd.write("inbox/2024/5302-tts.csv", csv);
    let (run, warehouse, counts) = ingest(&wd, &wd.path().join("inbox"), &[]);
    assert_eq!(run.code(), 0, "{}", run.stdout());
    assert_eq!((counts.read, counts.accepted), (160, 160));
    let rows = answers_of(&warehouse, 2024);
    assert_eq!(cell(&rows[0], "unit_code"), "5302");
    assert_eq!(cell(&rows[0], "unit_name"), "KPU Kabupaten Timor Tengah Selatan");
    assert_eq!(cell(&rows[0], "track"), "mandiri");
    assert_eq!(cell(&rows[0], "value"), "90.000000");
}

#[test]
fn windows_1252_semicolons_and_crlf() {
    let wd = Workdir::new("windows_1252_semicolons_and_crlf");
    let mut csv: Vec<u8> = b"kode_satker;tahun;penilaian;kode_kriteria;jawaban;catatan\r\n".to_vec();
    for code in criteria_codes("permenpanrb-88-2021") {
        csv.extend_from_slice(format!("5316;2024;evaluator;{code};BB;").as_bytes());
        // "Sudah diverifikasi – Pak Dédé" in Windows-1252: en dash 0x96, é 0xE9.
        csv.extend_from_slice(b"Sudah diverifikasi \x96 Pak D\xe9d\xe9\r\n");
    }
    wd.write("inbox/2024/5316-nagekeo.csv", csv);
    let (run, warehouse, counts) = ingest(&wd, &wd.path().join("inbox"), &[]);
    assert_eq!(run.code(), 0, "{}", run.stdout());
    assert_eq!(counts.accepted, 80);
    let rows = answers_of(&warehouse, 2024);
    assert_eq!(cell(&rows[0], "notes"), "Sudah diverifikasi – Pak Dédé");
}

/// A pipeline in the work dir whose rubric is scored 0–100 directly, to test
/// decimal commas in answers.
fn numeric_pipeline(wd: &Workdir, duplicates: &str) -> PathBuf {
    crate::util::numeric_rubric(wd);
    let registry = repo().join("sample-data/wilayah");
    wd.write(
        "pipelines/angka.toml",
        format!(
            "kind = \"pipeline\"\nname = \"angka\"\ninbox = \"../inbox\"\nwarehouse = \"../warehouse\"\nregistry = \"{}\"\nprovince = \"53\"\nduplicates = \"{duplicates}\"\n[[evaluations]]\nfrom = 2020\nrubric = \"angka\"\nscale = \"permenpanrb-bb\"\n",
            registry.display()
        ),
    )
}

#[test]
fn semicolons_with_decimal_commas() {
    let wd = Workdir::new("semicolons_with_decimal_commas");
    let pipeline = numeric_pipeline(&wd, "error");
    wd.write("inbox/2024/5301.csv", "kode_satker;kode_kriteria;jawaban\n5301;1.1.1;87,5\n5301;1.1.2;\"92,25\"\n");
    let run = wd.sakip(&["ingest", pipeline.to_str().unwrap()]).expect_code(0);
    assert!(run.stdout().contains("rows accepted           2"), "{}", run.stdout());
    let rows = answers_of(&wd.path().join("warehouse"), 2024);
    assert_eq!(cell(&rows[0], "answer"), "87,5");
    assert_eq!(cell(&rows[0], "value"), "87.500000");
    assert_eq!(cell(&rows[1], "value"), "92.250000");
}

#[test]
fn xlsx_form_with_titles_and_merged_component_cells() {
    let wd = Workdir::new("xlsx_form_with_titles_and_merged_component_cells");
    let inbox = wd.path().join("inbox");
    std::fs::create_dir_all(inbox.join("2024")).unwrap();
    std::fs::copy(repo().join("sample-data/inbox/2024/53-kpu-provinsi-ntt.xlsx"), inbox.join("2024/53-kpu-provinsi-ntt.xlsx")).unwrap();
    let (run, warehouse, counts) = ingest(&wd, &inbox, &[]);
    assert_eq!(run.code(), 0, "{}", run.stdout());
    assert_eq!(counts.accepted, 160);
    let rows = answers_of(&warehouse, 2024);
    assert!(rows.iter().all(|r| cell(r, "source_sheet") == "LKE" && cell(r, "unit_code") == "53"));
    // Title rows above the header: the first answer is below row 3.
    let first: u64 = cell(&rows[0], "source_row").parse().unwrap();
    assert!(first > 3, "row {first}");
    let evaluator: Vec<&Row> = rows.iter().filter(|r| cell(r, "track") == "evaluator").collect();
    assert_eq!(evaluator.len(), 80);
}

#[test]
fn json_web_form_export() {
    let wd = Workdir::new("json_web_form_export");
    let answers: Vec<String> = criteria_codes("permenpanrb-88-2021").iter().map(|c| format!("{{\"kode_kriteria\": \"{c}\", \"jawaban\": \"B\"}}")).collect();
    wd.write("inbox/2024/kota.json", format!("{{\"kode_satker\": \"53.71\", \"tahun\": 2024, \"penilaian\": \"evaluator\", \"answers\": [{}]}}", answers.join(",")));
    let (run, warehouse, counts) = ingest(&wd, &wd.path().join("inbox"), &[]);
    assert_eq!(run.code(), 0, "{}", run.stdout());
    assert_eq!(counts.accepted, 80);
    let rows = answers_of(&warehouse, 2024);
    assert_eq!(cell(&rows[79], "criterion"), "4.3.5");
    assert_eq!(cell(&rows[79], "source_row"), "80");
    assert_eq!(cell(&rows[79], "unit_code"), "5371");
}

/// Ingests the given files and returns the rejects, checking the expected
/// rule and reason text on the first.
fn refused(name: &str, files: &[(&str, Vec<u8>)], rule: &str, reason: &str) -> (Vec<Row>, Counts) {
    let wd = Workdir::new(name);
    for (path, bytes) in files {
        wd.write(&format!("inbox/{path}"), bytes);
    }
    let (run, warehouse, counts) = ingest(&wd, &wd.path().join("inbox"), &[]);
    assert_eq!(run.code(), 1, "rejects give exit code 1");
    let rejects = rejects_of(&warehouse);
    let hit = rejects.iter().find(|r| cell(r, "rule") == rule).unwrap_or_else(|| panic!("no {rule} in {rejects:?}"));
    assert_eq!(cell(hit, "reason"), reason);
    (rejects, counts)
}

#[test]
fn unknown_unit_refuses_the_file() {
    let (rejects, counts) = refused("unknown_unit", &[("2024/5399.csv", worksheet("5399", "2024", &["evaluator"], "A").into_bytes())], "unknown-unit", "unit code 5399 is not a KPU unit in the registry");
    assert_eq!((counts.read, counts.rejected), (80, 80));
    assert!(rejects.iter().all(|r| cell(r, "scope") == "file" && cell(r, "value") == "5399"));
}

#[test]
fn unit_of_another_province_refuses_the_file() {
    refused(
        "unit_of_another_province",
        &[("2024/3301.csv", worksheet("3301", "2024", &["evaluator"], "A").into_bytes())],
        "other-province",
        "unit 3301 (KPU Kabupaten Cilacap) is not a KPU unit of province 53 (Nusa Tenggara Timur)",
    );
}

#[test]
fn year_in_rows_must_match_the_folder() {
    let (_, counts) = refused("year_mismatch", &[("2024/5307.csv", worksheet("5307", "2023", &["evaluator"], "A").into_bytes())], "year-mismatch", "the file says year '2023' but sits in the 2024 folder");
    assert_eq!(counts.accepted, 0);
}

#[test]
fn file_name_and_rows_must_name_the_same_unit() {
    refused("unit_name_mismatch", &[("2024/5301-kupang.csv", worksheet("5302", "2024", &["evaluator"], "A").into_bytes())], "unit-mismatch", "the file name says unit 5301 but the file says 5302");
}

#[test]
fn header_only_and_empty_files() {
    let (rejects, counts) = refused(
        "header_only_and_empty",
        &[("2024/5308.csv", b"kode_satker,kode_kriteria,jawaban\r\n".to_vec()), ("2024/5309.csv", Vec::new())],
        "empty",
        "the file has no answer rows",
    );
    assert_eq!(rejects.len(), 2);
    assert_eq!(counts.read, 0);
}

#[test]
fn missing_answer_column() {
    refused(
        "missing_answer_column",
        &[("2024/5311.csv", b"kode_satker,kode_kriteria\n5311,1.1.1\n".to_vec())],
        "missing-column",
        "required column 'answer' not found (accepted headers: jawaban, answer, nilai; found: kode_satker, kode_kriteria)",
    );
}

#[test]
fn binary_garbage_named_csv() {
    refused("binary_garbage", &[("2024/5312.csv", b"PK\x03\x04\x00\x00garbage\x00\xff".to_vec())], "unreadable", "the file is binary, not CSV text");
}

#[test]
fn row_problems_refuse_only_their_rows() {
    let mut csv = worksheet("5306", "2024", &["evaluator"], "CC");
    csv = csv.replacen("5306,2024,evaluator,3.2.4,CC", "5306,2024,evaluator,3.2.4,Z", 1);
    csv.push_str("5306,2024,evaluator,9.9.9,A\n5306,2024,evaluator,1.2.4,B\n5306,2024,penilai,1.1.1,A\n5302,2024,evaluator,1.1.1,A\n");
    let (rejects, counts) = refused(
        "row_problems",
        &[("2024/5306.csv", csv.into_bytes())],
        "off-scale",
        "answer 'Z' is not on scale AA–E for criterion 3.2.4 (allowed: AA=100;A=90;BB=80;B=70;CC=60;C=50;D=30;E=0)",
    );
    // 80 criteria + 4 extra rows; all but "Z" of the 80 accepted; the 4 extras and "Z" refused.
    assert_eq!((counts.read, counts.accepted, counts.rejected), (84, 79, 5));
    let reason = |rule: &str| cell(rejects.iter().find(|r| cell(r, "rule") == rule).unwrap(), "reason").to_string();
    assert_eq!(reason("unknown-criterion"), "criterion '9.9.9' is not in rubric permenpanrb-88-2021");
    assert_eq!(reason("duplicate-criterion"), "criterion 1.2.4 is answered twice; the first answer, at row 12, is kept");
    assert_eq!(reason("unknown-track"), "track 'penilai' is neither 'mandiri' nor 'evaluator'");
    assert_eq!(reason("unit-mismatch"), "row names unit '5302' but the file is for unit 5306");
}

#[test]
fn a_code_written_another_way_is_checked_on_every_row() {
    // Every row writes unit 5306 as 53.06, which is accepted; a row naming
    // 53.02 after them is still refused, as is one naming 5302 after it.
    let mut csv = worksheet("5306", "2024", &["evaluator"], "CC").replace("\n5306,", "\n53.06,");
    csv.push_str("53.02,2024,evaluator,1.1.1,A\n5302,2024,evaluator,1.1.2,A\n53.06,2024,evaluator,1.1.1,B\n");
    let (rejects, counts) = refused("code_written_otherwise", &[("2024/5306.csv", csv.into_bytes())], "unit-mismatch", "row names unit '53.02' but the file is for unit 5306");
    // 80 criteria + 3 extra rows: the two naming another unit refused for
    // it, the third (the unit's own code again) a second answer to 1.1.1.
    assert_eq!((counts.read, counts.accepted, counts.rejected), (83, 80, 3));
    let rules: Vec<&str> = rejects.iter().map(|r| cell(r, "rule")).collect();
    assert_eq!(rules.iter().filter(|r| **r == "unit-mismatch").count(), 2, "{rules:?}");
    assert_eq!(rules.iter().filter(|r| **r == "duplicate-criterion").count(), 1, "{rules:?}");
}

#[test]
fn two_files_for_one_unit_and_year_under_the_error_policy() {
    let wd = Workdir::new("two_files_error_policy");
    let pipeline = numeric_pipeline(&wd, "error");
    wd.write("inbox/2024/5301-a.csv", "kode_satker,kode_kriteria,jawaban\n5301,1.1.1,80\n5301,1.1.2,70\n");
    wd.write("inbox/2024/5301-b.csv", "kode_satker,kode_kriteria,jawaban\n5301,1.1.1,90\n5301,1.1.2,70\n");
    wd.sakip(&["ingest", pipeline.to_str().unwrap()]).expect_code(1);
    let warehouse = wd.path().join("warehouse");
    assert!(table(&warehouse, "answers").is_empty(), "neither file is used");
    let rejects = rejects_of(&warehouse);
    assert_eq!(rejects.len(), 4);
    assert_eq!(
        cell(&rejects[0], "reason"),
        "unit 5301 sent 2 files for 2024 (2024/5301-a.csv, 2024/5301-b.csv); the pipeline's duplicates policy is \"error\": remove all but one"
    );
}

#[test]
fn two_files_for_one_unit_and_year_newest_wins() {
    let wd = Workdir::new("two_files_newest_wins");
    let pipeline = numeric_pipeline(&wd, "newest");
    let old = wd.write("inbox/2024/5301-z-first.csv", "kode_satker,kode_kriteria,jawaban\n5301,1.1.1,80\n5301,1.1.2,70\n");
    let new = wd.write("inbox/2024/5301-a-revision.csv", "kode_satker,kode_kriteria,jawaban\n5301,1.1.1,90\n5301,1.1.2,70\n");
    set_mtime(&old, 1_700_000_000);
    set_mtime(&new, 1_700_000_100);
    wd.sakip(&["ingest", pipeline.to_str().unwrap()]).expect_code(1);
    let warehouse = wd.path().join("warehouse");
    let answers = table(&warehouse, "answers");
    assert_eq!(answers.iter().map(|r| cell(r, "value").to_string()).collect::<Vec<_>>(), ["90.000000", "70.000000"]);
    let rejects = rejects_of(&warehouse);
    assert_eq!(rejects.len(), 2, "the loser's rows are recorded, not dropped");
    assert_eq!(cell(&rejects[0], "reason"), "superseded by 2024/5301-a-revision.csv, the newest of unit 5301's 2 files for 2024");
}

#[test]
fn files_outside_year_folders_of_unknown_type_or_years_without_rubric() {
    let (rejects, _) = refused(
        "outside_year_folders",
        &[
            ("5301.csv", worksheet("5301", "2024", &["evaluator"], "A").into_bytes()),
            ("2024/5301.pdf", b"%PDF-1.4".to_vec()),
            ("2010/5301.csv", worksheet("5301", "2010", &["evaluator"], "A").into_bytes()),
            // Not directly in a year folder: found all the same, and refused.
            ("2024/late/5302.csv", worksheet("5302", "2024", &["evaluator"], "A").into_bytes()),
            ("misc/2024/5303.csv", worksheet("5303", "2024", &["evaluator"], "A").into_bytes()),
        ],
        "not-in-year-folder",
        "not inside a year folder: submissions go in <inbox>/<year>/",
    );
    let outside: Vec<&str> = rejects.iter().filter(|r| cell(r, "rule") == "not-in-year-folder").map(|r| cell(r, "source_file")).collect();
    assert_eq!(outside, ["2024/late/5302.csv", "5301.csv", "misc/2024/5303.csv"]);
    let reason = |rule: &str| cell(rejects.iter().find(|r| cell(r, "rule") == rule).unwrap(), "reason").to_string();
    assert_eq!(reason("unsupported-format"), "unsupported file type: expected .csv, .xlsx, .ods, .xls, .xlsb or .json");
    assert_eq!(reason("no-rubric"), "the pipeline assigns no rubric to the year 2010");
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed() {
    let wd = Workdir::new("symlinks_are_not_followed");
    let outside = wd.write("outside/secret.csv", worksheet("5301", "2024", &["evaluator"], "A"));
    std::fs::create_dir_all(wd.path().join("inbox/2024")).unwrap();
    std::os::unix::fs::symlink(&outside, wd.path().join("inbox/2024/5301.csv")).unwrap();
    let (run, warehouse, counts) = ingest(&wd, &wd.path().join("inbox"), &[]);
    assert_eq!(run.code(), 1);
    assert_eq!(counts.read, 0);
    let rejects = rejects_of(&warehouse);
    assert_eq!(cell(&rejects[0], "reason"), "a symbolic link: not followed, submissions must be plain files");
}

#[test]
fn a_missing_criterion_is_written_as_missing_not_zero() {
    let wd = Workdir::new("missing_criterion");
    let csv = worksheet("5304", "2024", &["evaluator"], "B").replacen("5304,2024,evaluator,2.2.2,B\n", "", 1).replacen("5304,2024,evaluator,2.2.3,B", "5304,2024,evaluator,2.2.3,", 1);
    wd.write("inbox/2024/5304.csv", csv);
    let (run, warehouse, counts) = ingest(&wd, &wd.path().join("inbox"), &[]);
    assert_eq!(run.code(), 0);
    assert_eq!(counts.read, 79);
    let rows = answers_of(&warehouse, 2024);
    assert_eq!(rows.len(), 80, "one row per criterion");
    let missing: Vec<(&str, &str)> = rows.iter().filter(|r| r["value"].is_none()).map(|r| (cell(r, "criterion"), cell(r, "source_row"))).collect();
    // 2.2.3 was a blank answer at its row (header row 1, 2.2.1 is the 29th
    // criterion at row 30, 2.2.2 removed); 2.2.2 was not in the file at all.
    assert_eq!(missing, [("2.2.2", ""), ("2.2.3", "31")]);
    assert!(run.stdout().contains("missing criteria        2"), "{}", run.stdout());
}

#[test]
fn a_bad_pipeline_file_is_fatal_with_every_problem() {
    let wd = Workdir::new("bad_pipeline_file");
    let text = std::fs::read_to_string(repo().join("pipelines/sample-ntt.toml")).unwrap().replace("province = \"53\"", "province = \"99\"").replace("from = 2022", "from = 2020").replace("permenpanrb-88-2021", "permenpanrb-88-2099")
        .replace("\"../sample-data/wilayah\"", &format!("\"{}\"", repo().join("sample-data/wilayah").display()));
    let path = wd.write("pipelines-copy/bad.toml", text);
    // Copy the rule files beside it so only the deliberate mistakes remain.
    for dir in ["rubrics", "scales", "answer-scales", "ikm", "iku"] {
        copy_dir(&repo().join("pipelines").join(dir), &wd.path().join("pipelines-copy").join(dir));
    }
    let err = wd.sakip(&["ingest", path.to_str().unwrap()]).expect_code(2).stderr();
    assert!(err.contains("3 problems"), "{err}");
    assert!(err.contains("province: '99' is not a province code in the registry"), "{err}");
    assert!(err.contains("evaluations[1].rubric: no rubric named 'permenpanrb-88-2099'"), "{err}");
    assert!(err.contains("evaluations[0]: years 2015–2021 overlap another span starting 2020"), "{err}");
}

#[test]
fn newest_wins_by_path_when_files_share_a_second_as_after_a_git_clone() {
    let wd = Workdir::new("newest_same_second");
    let pipeline = numeric_pipeline(&wd, "newest");
    let a = wd.write("inbox/2024/5301.csv", "kode_satker,kode_kriteria,jawaban\n5301,1.1.1,80\n5301,1.1.2,70\n");
    let b = wd.write("inbox/2024/5301_revisi.csv", "kode_satker,kode_kriteria,jawaban\n5301,1.1.1,90\n5301,1.1.2,70\n");
    // The original written a few hundred milliseconds after the revision, as a
    // checkout may do: the same second, so the later path wins.
    let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_700_000_000_100);
    std::fs::File::options().write(true).open(&b).unwrap().set_modified(t).unwrap();
    std::fs::File::options().write(true).open(&a).unwrap().set_modified(t + std::time::Duration::from_millis(600)).unwrap();
    wd.sakip(&["ingest", pipeline.to_str().unwrap()]).expect_code(1);
    let answers = table(&wd.path().join("warehouse"), "answers");
    assert!(answers.iter().all(|r| cell(r, "source_file") == "2024/5301_revisi.csv"));
}
