//! Crash safety: atomic snapshots, the run lock, rollback.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use crate::table::{current, parquet_files, snapshot_files};
use crate::util::{repo, Workdir};

/// A generated two-province inbox.
fn inbox(wd: &Workdir) -> PathBuf {
    generated(wd, "inbox", "2026")
}

fn generated(wd: &Workdir, name: &str, seed: &str) -> PathBuf {
    let inbox = wd.path().join(name);
    let p = repo().join("pipelines/national-history.toml");
    wd.sakip(&["gen", "--pipeline", p.to_str().unwrap(), "--out", inbox.to_str().unwrap(), "--years", "2021-2024", "--provinces", "53,75", "--seed", seed]).expect_code(0);
    inbox
}

fn run_args<'a>(inbox: &'a str, warehouse: &'a str, pipeline: &'a str) -> Vec<&'a str> {
    vec!["run", pipeline, "--inbox", inbox, "--warehouse", warehouse]
}

#[test]
fn a_killed_run_leaves_the_previous_snapshot_and_the_next_run_completes() {
    let wd = Workdir::new("a_killed_run_leaves_the_previous_snapshot");
    // Yesterday's inbox, and tonight's with every answer drawn anew.
    let yesterday = generated(&wd, "yesterday", "1");
    let inbox = generated(&wd, "tonight", "2");
    let pipeline = repo().join("pipelines/national-history.toml");
    let (p, i) = (pipeline.to_str().unwrap(), inbox.to_str().unwrap());

    // The reference: one uninterrupted run on tonight's inbox.
    let reference = wd.path().join("reference");
    wd.sakip(&run_args(i, reference.to_str().unwrap(), p)).expect_code(0);
    let expected = snapshot_files(&reference);

    // Yesterday's good run, then tonight's runs killed at many points.
    let warehouse = wd.path().join("warehouse");
    let w = warehouse.to_str().unwrap();
    wd.sakip(&run_args(yesterday.to_str().unwrap(), w, p)).expect_code(0);
    let before = snapshot_files(&warehouse);
    assert!(before != expected, "the two nights differ");
    let started = std::time::Instant::now();
    wd.sakip(&run_args(i, wd.path().join("timing").to_str().unwrap(), p)).expect_code(0);
    let full = started.elapsed();
    for step in 0..12u32 {
        let delay = full * step / 12;
        let mut child = Command::new(env!("CARGO_BIN_EXE_sakip")).args(run_args(i, w, p)).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        // Whatever the moment, readers see one whole snapshot. A run that got
        // as far as publishing shows the new one, identical to the reference.
        let now = snapshot_files(&warehouse);
        assert!(now == before || now == expected, "after a kill at {delay:?} the warehouse is neither the old nor a complete new snapshot");
        wd.sakip(&["rank", "--warehouse", w, "--year", "2024", "--top", "1"]).expect_code(0);
    }
    // The next run cleans up and completes, byte-identical to the reference.
    wd.sakip(&run_args(i, w, p)).expect_code(0);
    assert!(snapshot_files(&warehouse) == expected);
    let leftovers: Vec<String> = std::fs::read_dir(&warehouse).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).filter(|n| n.starts_with(".staging")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_second_run_is_refused_while_the_lock_is_held_and_a_dead_holder_is_taken_over() {
    let wd = Workdir::new("lock");
    let inbox = inbox(&wd);
    let pipeline = repo().join("pipelines/national-history.toml");
    let warehouse = wd.path().join("warehouse");
    std::fs::create_dir_all(&warehouse).unwrap();
    // A live holder: this test process.
    std::fs::write(warehouse.join(".lock"), format!("{}\n", std::process::id())).unwrap();
    let args = run_args(inbox.to_str().unwrap(), warehouse.to_str().unwrap(), pipeline.to_str().unwrap());
    let err = wd.sakip(&args).expect_code(2).stderr();
    assert!(err.contains(&format!("is locked by another sakip run (process {})", std::process::id())), "{err}");
    assert!(!warehouse.join("current").exists(), "nothing published");
    // A dead holder: a process that has exited.
    let mut dead = Command::new("true").spawn().unwrap();
    let pid = dead.id();
    dead.wait().unwrap();
    std::thread::sleep(Duration::from_millis(50));
    std::fs::write(warehouse.join(".lock"), format!("{pid}\n")).unwrap();
    wd.sakip(&args).expect_code(0);
    assert!(!warehouse.join(".lock").exists(), "released at the end");
    assert!(!parquet_files(&current(&warehouse)).is_empty());
}

#[test]
fn rollback_and_pruning_keep_the_last_snapshots() {
    let wd = Workdir::new("rollback");
    let inbox = inbox(&wd);
    // A copy of the pipeline that keeps two snapshots, beside the rule files.
    let dir = wd.path().join("pipelines");
    crate::util::copy_dir(&repo().join("pipelines"), &dir);
    let text = std::fs::read_to_string(dir.join("national-history.toml")).unwrap()
        .replace("registry = \"../sample-data/wilayah\"", &format!("registry = \"{}\"\nkeep_snapshots = 2", repo().join("sample-data/wilayah").display()));
    std::fs::write(dir.join("national-history.toml"), text).unwrap();
    let pipeline = dir.join("national-history.toml");
    let warehouse = wd.path().join("warehouse");
    let (p, i, w) = (pipeline.to_str().unwrap(), inbox.to_str().unwrap(), warehouse.to_str().unwrap());
    for _ in 0..3 {
        wd.sakip(&run_args(i, w, p)).expect_code(0);
    }
    let kept: Vec<String> = std::fs::read_dir(warehouse.join("snapshots")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    assert_eq!(kept, ["000002", "000003"]);
    let out = wd.sakip(&["rollback", p, "--warehouse", w]).expect_code(0).stdout();
    assert_eq!(out.trim(), "rollback  current is now snapshot 2 (was 3); kept: 2, 3");
    assert!(std::fs::read_link(warehouse.join("current")).unwrap().ends_with("000002"));
    let err = wd.sakip(&["rollback", p, "--warehouse", w]).expect_code(2).stderr();
    assert!(err.contains("no snapshot before the current one") && err.contains("kept: 2, 3"), "{err}");
    let out = wd.sakip(&["rollback", p, "--warehouse", w, "--to", "3"]).expect_code(0).stdout();
    assert!(out.contains("current is now snapshot 3 (was 2)"), "{out}");
}

#[test]
fn an_unwritable_warehouse_is_a_clear_fatal_error() {
    let wd = Workdir::new("unwritable");
    let pipeline = repo().join("pipelines/sample-ntt.toml");
    // A warehouse path below a plain file cannot be created, even by root.
    let file = wd.write("not-a-folder", "x");
    let warehouse = file.join("warehouse");
    let err = wd.sakip(&["run", pipeline.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()]).expect_code(2).stderr();
    assert!(err.contains("not-a-folder/warehouse") && err.contains("Not a directory"), "{err}");
}
