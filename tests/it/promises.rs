//! The README's promises that no other test holds, one test each, every
//! expected figure worked by hand here (the working in the comments) or
//! taken from the rule files' text, never from sakip's output.
//!
//! Scores, ranks, percentile, last year's columns, DECIMAL(5,2) types, tie
//! order, `rank --by`, `sql` and `rollup = "sum"` arithmetic are held by the
//! oracle (tests/it/oracle.rs); the lock and incremental runs by
//! tests/it/snapshot.rs and tests/it/incremental.rs.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::table::{cell, table};
use crate::util::{copy_dir, criteria_codes, repo, Workdir};

/// A copy of the shipped rule files in `<wd>/pipelines/`, and a pipeline
/// file there (`extra` appended) over `<wd>/inbox` into `<wd>/warehouse`,
/// with the registry copied to `<wd>/wilayah`. Returns the pipeline file.
fn own_pipeline(wd: &Workdir, extra: &str) -> PathBuf {
    for kind in ["rubrics", "scales", "answer-scales"] {
        copy_dir(&repo().join("pipelines").join(kind), &wd.path().join("pipelines").join(kind));
    }
    copy_dir(&repo().join("sample-data/wilayah"), &wd.path().join("wilayah"));
    wd.write(
        "pipelines/own.toml",
        format!(
            "kind = \"pipeline\"\nname = \"Uji\"\ninbox = \"../inbox\"\nwarehouse = \"../warehouse\"\nregistry = \"../wilayah\"\nprovince = \"53\"\n\
             duplicates = \"error\"\n{extra}\n[[evaluations]]\nfrom = 2022\nrubric = \"permenpanrb-88-2021\"\nscale = \"permenpanrb-bb\"\n"
        ),
    )
}

/// A worksheet of `unit` for `year` on the 88/2021 rubric: every criterion
/// answered `answer` on the evaluator track.
fn uniform_sheet(wd: &Workdir, year: i32, unit: &str, answer: &str) -> PathBuf {
    let mut text = String::from("unit_code,year,track,criterion,answer\n");
    for code in criteria_codes("permenpanrb-88-2021") {
        text.push_str(&format!("{unit},{year},evaluator,{code},{answer}\n"));
    }
    wd.write(&format!("inbox/{year}/{unit}.csv"), text)
}

fn run(wd: &Workdir, pipeline: &Path, extra: &[&str]) -> crate::util::Run {
    let mut args = vec!["run", pipeline.to_str().unwrap()];
    args.extend_from_slice(extra);
    wd.sakip(&args)
}

fn snapshots(warehouse: &Path) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(warehouse.join("snapshots")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    ids.sort();
    ids
}

#[test]
fn grade_rounds_its_input_once_and_refuses_what_lies_outside_0_to_100() {
    let wd = Workdir::new("promise_grade");
    // 90.004: 9000.4 hundredths, half-up 9000 → 90.00, the top of A (A is
    // above 80 up to 90). 90.005: 9000.5 → 9001 → 90.01, above 90: AA.
    // 100: AA. 100.004 rounds to 100.00 but is refused as written, and so
    // is -0.001 (permenpanrb-bb.toml: AA above 90 to 100; A above 80 to 90).
    let out = wd.sakip(&["grade", "--scale", "permenpanrb-bb", "90.004", "90.005", "100", "100.004", "-0.001"]).expect_code(1);
    assert_eq!(out.stdout(), "90.00\tA\n90.01\tAA\n100.00\tAA\n");
    let err = out.stderr();
    assert!(err.contains("score 100.004 is outside 0..100") && err.contains("score -0.001 is outside 0..100"), "{err}");
}

#[test]
fn a_sum_rubric_scores_by_criterion_weights_and_excludes_blanks() {
    let wd = Workdir::new("promise_sum_rubric");
    let rubric = repo().join("tests/oracle/rubrics/oracle-sum-exclude.toml");
    let rubric = rubric.to_str().unwrap();
    // Weights in the file: 1.1.1 5, 1.1.2 10 (Y/T); 1.2.x 25/3 each (A/B/C/D
    // = 1, 0.67, 0.33, 0); 2.1.1 7.5, 2.1.2 15 (0-100); 2.2.1, 2.2.2 12.5
    // (AA-E, /100); 2.2.3 12.5 (A-E: C = 0.5).
    let sheet = "criterion,answer\n1.1.1,Y\n1.1.2,T\n1.2.1,A\n1.2.2,B\n1.2.3,D\n2.1.1,50\n2.1.2,100\n2.2.1,AA\n2.2.2,BB\n2.2.3,C\n";
    wd.write("full.csv", sheet);
    // 1.1 = 5 + 0 = 5; 1.2 = 25/3 × (1 + 0.67 + 0) = 13.91666…;
    // 2.1 = 7.5 × 0.5 + 15 = 18.75; 2.2 = 12.5 × (1 + 0.8 + 0.5) = 28.75.
    // Component 1 = 18.91666… → 18.92, component 2 = 47.50,
    // total 66.41666… → 66.42: B (above 60 up to 70).
    let out = wd.sakip(&["score", "full.csv", "--rubric", rubric, "--scale", "permenpanrb-bb", "--format", "csv"]).expect_code(0).stdout();
    assert!(out.contains("\ncomponent,1,Perencanaan,18.92,40\n"), "{out}");
    assert!(out.contains("\nsubcomponent,1.2,Kualitas,13.92,25\n"), "{out}");
    assert!(out.contains("\ncomponent,2,Pengukuran,47.50,60\n"), "{out}");
    assert!(out.contains("\ntotal,,Total,66.42,100\n"), "{out}");
    let out = wd.sakip(&["score", "full.csv", "--rubric", rubric, "--scale", "permenpanrb-bb"]).expect_code(0).stdout();
    assert!(out.contains("\ntotal     66.42\npredikat  B "), "{out}");
    // 1.2.2 blank under `missing = "exclude"`: 1.2 is what 1.2.1 and 1.2.3
    // earned (25/3) as a share of what they could (50/3), times 25 = 12.50;
    // total 5 + 12.5 + 18.75 + 28.75 = 65.00, B on this scale.
    wd.write("blank.csv", sheet.replace("1.2.2,B", "1.2.2,"));
    let out = wd.sakip(&["score", "blank.csv", "--rubric", rubric, "--scale", "permenpanrb-bb"]).expect_code(0).stdout();
    assert!(out.contains("\ntotal     65.00\npredikat  B ") && out.contains("missing   1 criteria not answered"), "{out}");
}

#[test]
fn validate_checks_weights_positive_weights_and_names() {
    let wd = Workdir::new("promise_rubric_rules");
    let good = std::fs::read_to_string(repo().join("tests/oracle/rubrics/oracle-sum-exclude.toml")).unwrap();
    let pipelines = repo().join("pipelines");
    let validate = |name: &str, text: &str| {
        let path = wd.write(name, text);
        wd.sakip(&["validate", path.to_str().unwrap(), "--pipelines", pipelines.to_str().unwrap()])
    };
    validate("good.toml", &good).expect_code(0);
    // Criterion weights 5 + 9 under a sub-component of 15.
    let out = validate("sum.toml", &good.replacen("weight = 10\n", "weight = 9\n", 1)).expect_code(1);
    let text = out.stdout() + &out.stderr();
    assert!(text.contains("sum to 14, expected 15"), "{text}");
    // A weight of 0 (criterion 1.1.1 at 0 and 1.1.2 at 15 still sum to 15).
    let zero = good.replacen("weight = 5\n", "weight = 0\n", 1).replacen("weight = 10\n", "weight = 15\n", 1);
    let out = validate("zero.toml", &zero).expect_code(1);
    let text = out.stdout() + &out.stderr();
    assert!(text.contains("must be above 0, not 0"), "{text}");
    // An empty name, of the rubric and of a criterion.
    let unnamed = good.replacen("name = \"Rubrik uji: bobot per kriteria\"", "name = \"\"", 1).replacen("name = \"Indikator kinerja terukur.\"", "name = \" \"", 1);
    let out = validate("unnamed.toml", &unnamed).expect_code(1);
    let text = out.stdout() + &out.stderr();
    assert_eq!(text.matches("must not be empty").count(), 2, "{text}");
}

/// Three submissions, each over exactly one of the limits set below:
/// 5302 has 160 rows (both tracks), 5303 a 100-byte note, 5304 over 6 000
/// bytes through 60-byte notes; 5301 is over none.
fn limits_inbox(wd: &Workdir) {
    let codes = criteria_codes("permenpanrb-88-2021");
    let write = |unit: &str, rows: &[(&str, &str, String)]| {
        let mut text = String::from("unit_code,year,track,criterion,answer,notes\n");
        for (track, code, note) in rows {
            text.push_str(&format!("{unit},2024,{track},{code},A,{note}\n"));
        }
        wd.write(&format!("inbox/2024/{unit}.csv"), text)
    };
    let evaluator: Vec<(&str, &str, String)> = codes.iter().map(|c| ("evaluator", c.as_str(), String::new())).collect();
    write("5301", &evaluator);
    let both: Vec<_> = evaluator.iter().cloned().chain(codes.iter().map(|c| ("mandiri", c.as_str(), String::new()))).collect();
    let longest_other = write("5302", &both);
    let mut noted = evaluator.clone();
    noted[0].2 = "x".repeat(100);
    write("5303", &noted);
    let padded: Vec<_> = evaluator.iter().map(|(t, c, _)| (*t, *c, "y".repeat(60))).collect();
    let big = write("5304", &padded);
    // The premises: the other files are under 6 000 bytes (5302 the
    // largest of them), 5304 over, with 80 rows and cells under 64 bytes.
    assert!(std::fs::metadata(longest_other).unwrap().len() < 6000 && std::fs::metadata(big).unwrap().len() > 6000);
}

#[test]
fn pipeline_limits_bound_each_submission() {
    // A file over a limit is refused whole; a cell over max_cell_bytes
    // refuses its row only (the note sits on the file's first answer row,
    // row 2 below the header).
    let cases = [
        ("max_rows = 100", "max_rows", "2024/5302.csv", "too-large", "file", 3),
        ("max_cell_bytes = 64", "max_cell_bytes", "2024/5303.csv", "unreadable-row", "row", 4),
        ("max_file_bytes = 6000", "max_file_bytes", "2024/5304.csv", "too-large", "file", 3),
    ];
    for (limit, key, refused, rule, scope, accepted) in cases {
        let wd = Workdir::new(&format!("promise_limits_{key}"));
        limits_inbox(&wd);
        let pipeline = own_pipeline(&wd, &format!("[limits]\n{limit}\n"));
        let out = run(&wd, &pipeline, &[]).expect_code(1).stdout();
        assert!(out.contains(&format!("files read              4   ({accepted} accepted)")), "{limit}: {out}");
        let rejects = table(&wd.path().join("warehouse"), "rejects");
        assert_eq!(rejects.len(), 1, "{limit}: {rejects:?}");
        let r = &rejects[0];
        assert_eq!((cell(r, "source_file"), cell(r, "rule"), cell(r, "scope")), (refused, rule, scope), "{limit}");
        assert!(cell(r, "reason").contains(key), "{limit}: {r:?}");
        if scope == "row" {
            assert_eq!(cell(r, "source_row"), "2");
        }
    }
    // The same inbox under the default limits (64 MiB, 200 000 rows, 64 KiB
    // cells): every file read.
    let wd = Workdir::new("promise_limits_default");
    limits_inbox(&wd);
    let pipeline = own_pipeline(&wd, "");
    let out = run(&wd, &pipeline, &[]).expect_code(0).stdout();
    assert!(out.contains("files read              4   (4 accepted)"), "{out}");
}

/// Runs `sakip run` as the unprivileged user `nobody` when the tests run
/// as root (permission bits do not stop root), from a copy of the binary in
/// the work directory (the checkout may sit where `nobody` cannot reach);
/// else as ourselves.
fn run_unprivileged(wd: &Workdir, pipeline: &Path, as_nobody: bool) -> std::process::Output {
    use std::os::unix::process::CommandExt;
    let mut cmd = if as_nobody {
        let copy = wd.path().join("sakip");
        std::fs::copy(env!("CARGO_BIN_EXE_sakip"), &copy).unwrap();
        let mut cmd = std::process::Command::new(copy);
        cmd.uid(65534).gid(65534);
        cmd
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_sakip"))
    };
    cmd.args(["run", pipeline.to_str().unwrap()]).current_dir(wd.path()).env("NO_COLOR", "1");
    cmd.output().unwrap()
}

fn chown_tree(path: &Path, uid: u32) {
    std::os::unix::fs::lchown(path, Some(uid), Some(uid)).unwrap();
    if path.is_dir() && !path.is_symlink() {
        for e in std::fs::read_dir(path).unwrap() {
            chown_tree(&e.unwrap().path(), uid);
        }
    }
}

#[test]
fn permission_denied_on_the_warehouse_ends_with_exit_2_and_keeps_the_snapshot() {
    use std::os::unix::fs::PermissionsExt;
    // Root ignores permission bits: then the run that must fail is made as
    // `nobody`, in a work directory under the system's temporary folder,
    // which any user can reach.
    let as_root = std::fs::metadata(Workdir::new("promise_permission_probe").path()).unwrap().uid() == 0;
    let wd = if as_root { Workdir::at(std::env::temp_dir().join(format!("sakip-promise-permission-{}", std::process::id()))) } else { Workdir::new("promise_permission") };
    std::fs::set_permissions(wd.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    uniform_sheet(&wd, 2024, "5301", "A");
    let pipeline = own_pipeline(&wd, "");
    run(&wd, &pipeline, &[]).expect_code(0);
    let warehouse = wd.path().join("warehouse");
    let before = std::fs::read_link(warehouse.join("current")).unwrap();
    // A new answer, so that a run that got through would publish a change.
    uniform_sheet(&wd, 2024, "5302", "BB");
    // The run may write the warehouse folder but not `snapshots/`, so it
    // fails when it publishes, after building everything. As root the run
    // is made as `nobody`, owning all but `snapshots/` itself (owned by
    // root, mode 755).
    let snapshots_dir = warehouse.join("snapshots");
    if as_root {
        chown_tree(&warehouse, 65534);
        std::os::unix::fs::lchown(&snapshots_dir, Some(0), Some(0)).unwrap();
    } else {
        std::fs::set_permissions(&snapshots_dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    }
    let out = run_unprivileged(&wd, &pipeline, as_root);
    if !as_root {
        std::fs::set_permissions(&snapshots_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("Permission denied") && stderr.contains(warehouse.to_str().unwrap()), "{stderr}");
    // `current` still points at yesterday's snapshot, which is whole; the
    // half-built staging folder is gone.
    assert_eq!(std::fs::read_link(warehouse.join("current")).unwrap(), before);
    let scores = table(&warehouse, "scores");
    assert_eq!(scores.iter().map(|r| cell(r, "unit_code").to_string()).collect::<Vec<_>>(), ["5301"]);
    let leftovers: Vec<String> = std::fs::read_dir(&warehouse).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with(".staging")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    if as_root {
        chown_tree(&warehouse, 0);
    }
    // Fixed, the next run publishes.
    run(&wd, &pipeline, &[]).expect_code(0);
    assert_eq!(table(&warehouse, "scores").len(), 2);
    if as_root {
        std::fs::remove_dir_all(wd.path()).unwrap();
    }
}

fn answers_inode(warehouse: &Path, year: i32) -> u64 {
    std::fs::metadata(warehouse.join(format!("current/answers/year={year}/part-0.parquet"))).unwrap().ino()
}

#[test]
fn a_change_to_the_pipeline_a_rule_file_the_registry_or_the_version_rebuilds_every_year() {
    let wd = Workdir::new("promise_rebuild");
    uniform_sheet(&wd, 2023, "5301", "B");
    uniform_sheet(&wd, 2024, "5301", "A");
    let pipeline = own_pipeline(&wd, "");
    let warehouse = wd.path().join("warehouse");
    run(&wd, &pipeline, &[]).expect_code(0);
    let inodes = |w: &Path| (answers_inode(w, 2023), answers_inode(w, 2024));
    // Nothing changed: both years are taken over as they were (hard links,
    // the same files).
    let first = inodes(&warehouse);
    run(&wd, &pipeline, &[]).expect_code(0);
    assert_eq!(inodes(&warehouse), first, "an unchanged inbox is taken over");
    let edits: [(&str, PathBuf); 3] = [
        ("the pipeline", pipeline.clone()),
        ("a rule file", wd.path().join("pipelines/scales/permenpanrb-bb.toml")),
        ("the registry", wd.path().join("wilayah/regencies.csv")),
    ];
    for (what, file) in edits {
        let before = inodes(&warehouse);
        let text = std::fs::read_to_string(&file).unwrap();
        // A change that alters no figure: a comment, or a registry name of
        // another province.
        let changed = if what == "the registry" { text.replacen("Kabupaten Aceh Selatan", "Kabupaten Aceh Selatan Raya", 1) } else { format!("{text}\n# edited\n") };
        assert_ne!(changed, text);
        std::fs::write(&file, changed).unwrap();
        run(&wd, &pipeline, &[]).expect_code(0);
        let after = inodes(&warehouse);
        assert!(after.0 != before.0 && after.1 != before.1, "{what} changed: every year must be read again, {before:?} → {after:?}");
        // And the next run takes those over again.
        run(&wd, &pipeline, &[]).expect_code(0);
        assert_eq!(inodes(&warehouse), after, "after {what}");
    }
    // Another sakip version: its snapshot records another digest of the
    // rules in `ledger/rules` (sakip's version is part of it). Simulated by
    // rewriting that record in the published snapshot (a new file, not
    // through a link the other snapshots share).
    let before = inodes(&warehouse);
    let record = warehouse.join("current/ledger/rules");
    let digest = std::fs::read_to_string(&record).unwrap();
    let other: String = digest.chars().map(|c| if c == '0' { '1' } else { '0' }).collect();
    std::fs::remove_file(&record).unwrap();
    std::fs::write(&record, other).unwrap();
    run(&wd, &pipeline, &[]).expect_code(0);
    let after = inodes(&warehouse);
    assert!(after.0 != before.0 && after.1 != before.1, "a snapshot of another version must not be taken over, {before:?} → {after:?}");
}

#[test]
fn seven_snapshots_are_kept_by_default() {
    let wd = Workdir::new("promise_keep_snapshots");
    uniform_sheet(&wd, 2024, "5301", "A");
    let pipeline = own_pipeline(&wd, "");
    let warehouse = wd.path().join("warehouse");
    let mut published = Vec::new();
    for _ in 0..9 {
        run(&wd, &pipeline, &[]).expect_code(0);
        published.push(std::fs::read_link(warehouse.join("current")).unwrap().file_name().unwrap().to_string_lossy().into_owned());
    }
    // Nine runs published nine snapshots; the last seven stay.
    assert_eq!(snapshots(&warehouse), published[2..].to_vec());
}

#[test]
fn formula_text_in_ranking_csv_is_neutralised() {
    let wd = Workdir::new("promise_formula_csv");
    uniform_sheet(&wd, 2024, "5301", "A");
    uniform_sheet(&wd, 2024, "5302", "BB");
    let pipeline = own_pipeline(&wd, "");
    // The only free text in ranking.csv comes from the rule files: a
    // predikat name that a spreadsheet would run as a formula.
    let scale = wd.path().join("pipelines/scales/permenpanrb-bb.toml");
    let text = std::fs::read_to_string(&scale).unwrap();
    let crafted = text.replacen("predikat = \"A\"", "predikat = \"=HYPERLINK(\\\"http://x\\\")\"", 1).replacen("predikat = \"BB\"", "predikat = \"-BB\"", 1);
    assert_ne!(crafted, text);
    std::fs::write(&scale, crafted).unwrap();
    run(&wd, &pipeline, &[]).expect_code(0);
    let csv = std::fs::read_to_string(wd.path().join("warehouse/current/review/2024/53/ranking.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let header = reader.headers().unwrap().clone();
    let at = header.iter().position(|h| h == "predikat").unwrap();
    let grades: Vec<String> = reader.records().map(|r| r.unwrap()[at].to_string()).collect();
    // 5301 all A: 90.00, the A band; 5302 all BB: 80.00, the BB band.
    assert_eq!(grades, ["'=HYPERLINK(\"http://x\")", "'-BB"]);
    // Scores stay numbers: no other cell starts with a quote.
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let quoted: usize = reader.records().map(|r| r.unwrap().iter().filter(|c| c.starts_with('\'')).count()).sum();
    assert_eq!(quoted, 2, "{csv}");
}

#[test]
fn a_missing_pipeline_file_or_bad_arguments_exit_2() {
    let wd = Workdir::new("promise_exit_2");
    let err = wd.sakip(&["run", "nowhere.toml"]).expect_code(2).stderr();
    assert!(err.contains("nowhere.toml"), "{err}");
    let err = wd.sakip(&["ingest", "nowhere.toml"]).expect_code(2).stderr();
    assert!(err.contains("nowhere.toml"), "{err}");
    for args in [
        &["run"][..],
        &["frobnicate"],
        &["rank", "--warehouse", "w", "--year", "last"],
        &["rank", "--warehouse", "w", "--year", "2024", "--top", "3", "--bottom", "3"],
        &["grade", "90"],
        &["run", "x.toml", "--threads", "many"],
        &["sql", "--warehouse", "w", "SELECT 1", "--format", "xml"],
    ] {
        let out = wd.sakip(args);
        assert_eq!(out.code(), 2, "sakip {args:?}: {}", out.stderr());
        assert!(out.stdout().is_empty(), "sakip {args:?}");
    }
}
