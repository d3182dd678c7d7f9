//! The oracle: a small national inbox written by a Python generator, run
//! through the real binary, and every published figure — scores, predikat,
//! component scores, ranks in province and nation, units in province,
//! percentile, last year's columns, and what `sakip rank` and `sakip sql`
//! print — compared with an exact recomputation in Python (`fractions`,
//! `tomllib`, pyarrow) that shares no code with sakip: tests/oracle/.
//! One differing figure fails the test.

use std::path::Path;
use std::process::Command;

use crate::util::{repo, Workdir};

/// Runs a Python script of the repository; a missing interpreter or
/// module is a failure, never a skip (scripts/test installs them).
pub fn python(script: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new("python3")
        .arg(repo().join(script))
        .args(args)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap_or_else(|e| panic!("python3 is needed by this test (scripts/test installs its modules): {e}"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), text)
}

/// Generates the oracle inbox in `wd` and runs sakip on it; returns the
/// pipeline file and the warehouse.
pub fn oracle_run(wd: &Workdir) -> (std::path::PathBuf, std::path::PathBuf) {
    let (code, text) = python("tests/oracle/gen_inbox.py", &["--out", wd.path().to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    let pipeline = wd.path().join("pipelines/oracle.toml");
    let run = wd.sakip(&["run", pipeline.to_str().unwrap()]);
    // Incomplete worksheets under `missing = "reject"` are reported: exit 1.
    let run = run.expect_code(1);
    let out = run.stdout();
    assert!(out.contains("snapshot          1 published"), "{out}");
    (pipeline, wd.path().join("warehouse"))
}

fn check(pipeline: &Path, warehouse: &Path) -> (i32, String) {
    python(
        "tests/oracle/check.py",
        &["--pipeline", pipeline.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap(), "--sakip", env!("CARGO_BIN_EXE_sakip")],
    )
}

#[test]
fn every_published_figure_equals_the_exact_recomputation() {
    let wd = Workdir::new("oracle");
    let (pipeline, warehouse) = oracle_run(&wd);
    let (code, text) = check(&pipeline, &warehouse);
    assert_eq!(code, 0, "sakip differs from the exact reference:\n{text}");
    // The comparison really covered the inbox (a reference that read
    // nothing would compare nothing).
    let summary = text.lines().last().unwrap_or("");
    let figures: usize = summary.split(", ").find_map(|p| p.strip_suffix(" figures compared")?.parse().ok()).unwrap_or(0);
    assert!(figures > 4_000, "{text}");
    assert!(summary.ends_with(" 0 differ"), "{text}");

    // The benchmark's cross-check, with --strict, on the same warehouse: the
    // same reference, through the report the benchmarks publish.
    let inbox = wd.path().join("inbox");
    let (code, text) = python(
        "benches/peers/compare.py",
        &["--pipeline", pipeline.to_str().unwrap(), "--inbox", inbox.to_str().unwrap(), "--sakip", warehouse.to_str().unwrap(), "--strict", "--counts"],
    );
    assert_eq!((code, text.trim()), (0, "sakip≠exact 0"), "{text}");
}

#[test]
fn the_oracle_catches_a_single_wrong_figure() {
    // The check itself must fail when one stored figure is off by a
    // hundredth: rewrite one score in a copy of the published rankings.
    let wd = Workdir::new("oracle_catches");
    let (pipeline, warehouse) = oracle_run(&wd);
    let (code, text) = python("tests/oracle/tamper.py", &[warehouse.join("current/rankings/year=2014/part-0.parquet").to_str().unwrap(), "5202"]);
    assert_eq!(code, 0, "{text}");
    let (code, text) = check(&pipeline, &warehouse);
    assert_eq!(code, 1, "{text}");
    assert!(text.contains("rankings (2014, '5202'): score is 7772, the reference says 7773"), "{text}");
}
