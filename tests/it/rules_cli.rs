//! `validate`, `grade`, `score` and `rubric` through the binary.

use crate::util::{repo, Workdir};

fn rubric_text(id: &str) -> String {
    std::fs::read_to_string(repo().join("pipelines/rubrics").join(format!("{id}.toml"))).unwrap()
}

#[test]
fn shipped_rule_files_all_validate() {
    let wd = Workdir::new("shipped_rule_files_all_validate");
    let mut files: Vec<String> = Vec::new();
    for dir in ["rubrics", "scales", "answer-scales"] {
        for entry in std::fs::read_dir(repo().join("pipelines").join(dir)).unwrap() {
            files.push(entry.unwrap().path().display().to_string());
        }
    }
    let args: Vec<&str> = std::iter::once("validate").chain(files.iter().map(String::as_str)).collect();
    let run = wd.sakip(&args).expect_code(0);
    assert_eq!(run.stdout().lines().filter(|l| l.starts_with("ok ")).count(), files.len());
    assert!(run.stdout().contains("rubric permenpanrb-88-2021: 4 components, 12 sub-components, 80 criteria"));
}

#[test]
fn broken_rubric_gets_one_message_per_problem() {
    let wd = Workdir::new("broken_rubric_gets_one_message_per_problem");
    let text = rubric_text("permenpanrb-88-2021")
        // Evaluasi Internal 25 → 24: components sum to 99, and its subs (25) no longer match.
        .replacen("weight = 25", "weight = 24", 1)
        .replacen("code = \"1.1.2\"", "code = \"1.1.1\"", 1)
        .replacen("answer_scale = \"aa-e\"", "answer_scale = \"aa-z\"", 1);
    let broken = wd.write("broken.toml", text);
    let run = wd.sakip(&["validate", broken.to_str().unwrap()]).expect_code(1);
    let err = run.stderr();
    assert!(err.contains("broken.toml: 4 problems"), "{err}");
    assert!(err.contains("components: component weights sum to 99, expected 100"), "{err}");
    assert!(err.contains("components[3] (4): sub-component weights sum to 25, expected 24"), "{err}");
    assert!(err.contains("criteria[1] (1.1.1): duplicate code '1.1.1'"), "{err}");
    // A rubric-wide scale that does not exist is reported once, at its key.
    assert_eq!(err.matches("answer scale 'aa-z'").count(), 1, "{err}");
    assert!(err.contains("answer_scale: answer scale 'aa-z' cannot be used"), "{err}");
}

#[test]
fn unknown_keys_and_wrong_kinds_are_refused_with_their_place() {
    let wd = Workdir::new("unknown_keys_and_wrong_kinds_are_refused_with_their_place");
    let typo = wd.write("typo.toml", rubric_text("permenpanrb-12-2015").replacen("rollup = ", "roll_up = ", 1));
    let err = wd.sakip(&["validate", typo.to_str().unwrap()]).expect_code(1).stderr();
    assert!(err.contains("roll_up") && err.contains("line"), "{err}");
    // A predikat scale given where a rubric is needed.
    let scale = repo().join("pipelines/scales/permenpanrb-bb.toml");
    let err = wd.sakip(&["rubric", scale.to_str().unwrap()]).expect_code(2).stderr();
    assert!(err.contains("is a predikat-scale, but a rubric is needed"), "{err}");
    let err = wd.sakip(&["rubric", "permenpanrb-99-2099"]).expect_code(2).stderr();
    assert!(err.contains("no rubric named 'permenpanrb-99-2099'"), "{err}");
}

#[test]
fn grade_prints_score_and_predikat_per_line() {
    let wd = Workdir::new("grade_prints_score_and_predikat_per_line");
    let run = wd.sakip(&["grade", "--scale", "permenpanrb-bb", "90", "90.01", "60", "65", "0", "100", "78,1"]).expect_code(0);
    assert_eq!(run.stdout(), "90.00\tA\n90.01\tAA\n60.00\tCC\n65.00\tB\n0.00\tD\n100.00\tAA\n78.10\tBB\n");
    let run = wd.sakip(&["grade", "--scale", "lama-tanpa-bb", "65", "65.01", "85"]).expect_code(0);
    assert_eq!(run.stdout(), "65.00\tCC\n65.01\tB\n85.00\tA\n");
}

#[test]
fn grade_refuses_scores_outside_0_to_100() {
    let wd = Workdir::new("grade_refuses_scores_outside_0_to_100");
    let run = wd.sakip(&["grade", "--scale", "permenpanrb-bb", "100.01", "50", "-0.5"]).expect_code(1);
    assert_eq!(run.stdout(), "50.00\tC\n");
    assert!(run.stderr().contains("score 100.01 is outside 0..100"), "{}", run.stderr());
    assert!(run.stderr().contains("score -0.5 is outside 0..100"), "{}", run.stderr());
}

/// A worksheet for permenpanrb-88-2021 with every criterion answered the same.
fn uniform_worksheet(answer: &str, delimiter: &str) -> String {
    let rubric = rubric_text("permenpanrb-88-2021");
    let mut csv = format!("kode_kriteria{delimiter}jawaban\n");
    for line in rubric.lines().filter(|l| l.starts_with("code = \"") && l.matches('.').count() == 2) {
        let code = line.trim_start_matches("code = \"").trim_end_matches('"');
        csv.push_str(&format!("{code}{delimiter}{answer}\n"));
    }
    csv
}

#[test]
fn score_shows_breakdown_total_and_predikat() {
    let wd = Workdir::new("score_shows_breakdown_total_and_predikat");
    // Every criterion A (90): each component scores 90% of its weight, total 90.00 — A, not AA.
    let sheet = wd.write("a.csv", uniform_worksheet("A", ";"));
    let run = wd.sakip(&["score", sheet.to_str().unwrap(), "--rubric", "permenpanrb-88-2021", "--scale", "permenpanrb-bb"]).expect_code(0);
    let out = run.stdout();
    assert!(out.contains("total     90.00"), "{out}");
    assert!(out.contains("predikat  A (Memuaskan)"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("1 ") && l.contains("Perencanaan Kinerja") && l.contains("27.00") && l.trim_end().ends_with("30")), "{out}");
    let run = wd.sakip(&["score", sheet.to_str().unwrap(), "--rubric", "permenpanrb-88-2021", "--scale", "permenpanrb-bb", "--format", "json"]).expect_code(0);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(doc["score"], "90.00");
    assert_eq!(doc["predikat"], "A");
    assert_eq!(doc["components"][3]["score"], "22.50");
}

#[test]
fn score_reports_every_bad_row_and_scores_nothing() {
    let wd = Workdir::new("score_reports_every_bad_row_and_scores_nothing");
    let mut csv = uniform_worksheet("BB", ",");
    csv = csv.replacen("1.1.3,BB", "1.1.3,Z", 1);
    csv.push_str("9.9.9,A\n1.2.1,A\n");
    let sheet = wd.write("bad.csv", csv);
    let run = wd.sakip(&["score", sheet.to_str().unwrap(), "--rubric", "permenpanrb-88-2021", "--scale", "permenpanrb-bb"]).expect_code(1);
    let err = run.stderr();
    assert!(run.stdout().is_empty(), "no score for a worksheet with bad rows");
    assert!(err.contains("3 problems"), "{err}");
    assert!(err.contains("row 4, column answer: answer 'Z' is not on scale AA–E for criterion 1.1.3 (allowed: AA=100;A=90;BB=80;B=70;CC=60;C=50;D=30;E=0)"), "{err}");
    assert!(err.contains("row 82, column criterion: criterion '9.9.9' is not in rubric permenpanrb-88-2021"), "{err}");
    assert!(err.contains("row 83, column criterion: criterion 1.2.1 is answered twice"), "{err}");
}

#[test]
fn score_flags_missing_criteria() {
    let wd = Workdir::new("score_flags_missing_criteria");
    // All BB except 4.3.5 left blank: 4.3 scores 12.5 × (4×80/5)/100 = 8 instead of 10 → 78.00.
    let csv = uniform_worksheet("BB", ",").replacen("4.3.5,BB", "4.3.5,", 1);
    let sheet = wd.write("missing.csv", csv);
    let out = wd.sakip(&["score", sheet.to_str().unwrap(), "--rubric", "permenpanrb-88-2021", "--scale", "permenpanrb-bb"]).expect_code(0).stdout();
    assert!(out.contains("total     78.00"), "{out}");
    assert!(out.contains("missing   1 criteria not answered, counted as 0 per the rubric: 4.3.5"), "{out}");
}

#[test]
fn rubric_csv_has_one_row_per_criterion() {
    let wd = Workdir::new("rubric_csv_has_one_row_per_criterion");
    let out = wd.sakip(&["rubric", "permenpanrb-88-2021", "--format", "csv"]).expect_code(0).stdout();
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    for needed in ["component", "subcomponent", "criterion", "scale", "answers", "subcomponent_weight"] {
        assert!(header.iter().any(|h| h == needed), "{needed} in {header:?}");
    }
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 80);
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let pelaporan_kualitas = rows.iter().find(|r| &r[col("criterion")] == "3.2.1").unwrap();
    assert_eq!(&pelaporan_kualitas[col("subcomponent_weight")], "4.5");
    assert_eq!(&pelaporan_kualitas[col("criterion_weight")], "0.5");
    assert_eq!(&pelaporan_kualitas[col("answers")], "AA=100;A=90;BB=80;B=70;CC=60;C=50;D=30;E=0");
    let old = wd.sakip(&["rubric", "permenpanrb-12-2015", "--format", "json"]).expect_code(0).stdout();
    let doc: serde_json::Value = serde_json::from_str(&old).unwrap();
    let crit = doc["criteria"].as_array().unwrap().iter().find(|c| c["criterion"] == "2.3.3").unwrap();
    assert_eq!(crit["answers"], "A=1;B=0.67;C=0.33;D=0");
}

#[test]
fn score_reads_any_submission_format_and_either_track() {
    let wd = Workdir::new("score_reads_any_submission_format_and_either_track");
    // The 2024 KPU Provinsi NTT form (XLSX, merged cells): its evaluator
    // answers total 78.10 (hand computation in sample-data/README.md).
    let form = repo().join("sample-data/inbox/2024/53-kpu-provinsi-ntt.xlsx");
    let args = ["score", form.to_str().unwrap(), "--rubric", "permenpanrb-88-2021", "--scale", "permenpanrb-bb"];
    let out = wd.sakip(&args).expect_code(0).stdout();
    assert!(out.contains("total     78.10") && out.contains("predikat  BB"), "{out}");
    // Kota Kupang 2024, JSON, every evaluator answer BB: 80.00 is BB, not A.
    let json = repo().join("sample-data/inbox/2024/5371-kota-kupang.json");
    let out = wd.sakip(&["score", json.to_str().unwrap(), "--rubric", "permenpanrb-88-2021", "--scale", "permenpanrb-bb"]).expect_code(0).stdout();
    assert!(out.contains("total     80.00") && out.contains("predikat  BB"), "{out}");
    let mandiri = wd.sakip(&["score", json.to_str().unwrap(), "--rubric", "permenpanrb-88-2021", "--scale", "permenpanrb-bb", "--track", "mandiri"]).expect_code(0).stdout();
    assert!(!mandiri.contains("total     80.00"), "the self-assessment differs from the evaluator's");
}
