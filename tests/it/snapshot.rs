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
fn a_second_run_is_refused_while_the_lock_is_held_and_released_when_its_holder_ends() {
    let wd = Workdir::new("lock");
    let inbox = inbox(&wd);
    let pipeline = repo().join("pipelines/national-history.toml");
    let warehouse = wd.path().join("warehouse");
    std::fs::create_dir_all(&warehouse).unwrap();
    let args = run_args(inbox.to_str().unwrap(), warehouse.to_str().unwrap(), pipeline.to_str().unwrap());
    // A live holder: this test process takes the kernel lock on `.lock`, as
    // a run does, and writes its id.
    let mut held = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(true).open(warehouse.join(".lock")).unwrap();
    held.try_lock().expect("the lock is free");
    std::io::Write::write_all(&mut held, format!("{}\n", std::process::id()).as_bytes()).unwrap();
    let err = wd.sakip(&args).expect_code(2).stderr();
    assert!(err.contains(&format!("is locked by another sakip run (process {})", std::process::id())), "{err}");
    assert!(!warehouse.join("current").exists(), "nothing published");
    // A lock file left behind with a live-looking id but no kernel lock (a
    // holder that died) blocks nothing: the id is not what decides.
    drop(held);
    wd.sakip(&args).expect_code(0);
    assert!(!parquet_files(&current(&warehouse)).is_empty());
    assert_eq!(std::fs::read_to_string(warehouse.join(".lock")).unwrap(), "", "the finished run's id is cleared");
}

/// Starts `sakip` with `args` once for each entry of `args`, all at the
/// same instant: each waits in `sh` on opening a FIFO for reading, and the
/// test's opening it for writing releases them together.
fn start_together(wd: &Workdir, runs: &[Vec<&str>]) -> Vec<std::process::Output> {
    let fifo = wd.path().join("start");
    let _ = std::fs::remove_file(&fifo);
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let children: Vec<_> = runs
        .iter()
        .map(|args| {
            Command::new("sh")
                .arg("-c")
                .arg("read _ < \"$FIFO\"; exec \"$SAKIP\" \"$@\"")
                .arg("sh")
                .args(args)
                .env("FIFO", &fifo)
                .env("SAKIP", env!("CARGO_BIN_EXE_sakip"))
                .env("SAKIP_PIPELINES", repo().join("pipelines"))
                .current_dir(wd.path())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // Every reader must be waiting before the writer opens: poll until each
    // child shell is blocked (its FIFO open is what it waits on).
    std::thread::sleep(Duration::from_millis(100));
    drop(std::fs::OpenOptions::new().write(true).open(&fifo).unwrap());
    children.into_iter().map(|c| c.wait_with_output().unwrap()).collect()
}

#[test]
fn two_runs_started_together_publish_exactly_once_and_a_killed_holder_blocks_nothing() {
    let wd = Workdir::new("lock_race");
    // Two different nights, so a snapshot holding files of both runs would
    // match neither run's own result.
    let (one, two) = (generated(&wd, "one", "1"), generated(&wd, "two", "2"));
    let pipeline = repo().join("pipelines/national-history.toml");
    let p = pipeline.to_str().unwrap();
    let reference = |inbox: &PathBuf, name: &str| {
        let w = wd.path().join(name);
        wd.sakip(&run_args(inbox.to_str().unwrap(), w.to_str().unwrap(), p)).expect_code(0);
        snapshot_files(&w)
    };
    let (ref_one, ref_two) = (reference(&one, "ref-one"), reference(&two, "ref-two"));
    assert!(ref_one != ref_two);
    for round in 0..8 {
        let warehouse = wd.path().join(format!("race-{round}"));
        let w = warehouse.to_str().unwrap();
        let outs = start_together(&wd, &[run_args(one.to_str().unwrap(), w, p), run_args(two.to_str().unwrap(), w, p)]);
        let codes: Vec<i32> = outs.iter().map(|o| o.status.code().unwrap_or(-1)).collect();
        let winner = codes.iter().position(|&c| c == 0);
        let loser = codes.iter().position(|&c| c == 2);
        let stderr = |i: usize| String::from_utf8_lossy(&outs[i].stderr).into_owned();
        // Both may succeed one after the other if the first finished before
        // the second started; that is no race. Otherwise exactly one
        // publishes and the other names the lock.
        if codes == [0, 0] {
            assert_eq!(std::fs::read_dir(warehouse.join("snapshots")).unwrap().count(), 2, "round {round}: two runs, two snapshots");
        } else {
            let (winner, loser) = (winner.unwrap_or_else(|| panic!("round {round}: no run published: {codes:?}\n{}\n{}", stderr(0), stderr(1))), loser.unwrap_or_else(|| panic!("round {round}: {codes:?}\n{}\n{}", stderr(0), stderr(1))));
            assert!(stderr(loser).contains("is locked by another sakip run (process "), "round {round}: {}", stderr(loser));
            assert_eq!(std::fs::read_dir(warehouse.join("snapshots")).unwrap().count(), 1, "round {round}: one snapshot");
            let _ = winner;
        }
        // Whatever happened, the published snapshot is one run's whole output.
        let now = snapshot_files(&warehouse);
        assert!(now == ref_one || now == ref_two, "round {round}: the snapshot mixes the two runs or is incomplete ({codes:?})");
    }

    // A holder killed mid-run (SIGKILL: no destructor runs) leaves the lock
    // file with its id, but the kernel has released the lock: the next run
    // takes it and completes.
    let warehouse = wd.path().join("killed");
    let w = warehouse.to_str().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_sakip")).args(run_args(one.to_str().unwrap(), w, p)).env("SAKIP_PIPELINES", repo().join("pipelines")).stdout(std::process::Stdio::null()).stderr(std::process::Stdio::null()).spawn().unwrap();
    let lock = warehouse.join(".lock");
    let started = std::time::Instant::now();
    while std::fs::read_to_string(&lock).map_or(true, |t| t.trim() != child.id().to_string()) {
        assert!(started.elapsed() < Duration::from_secs(30), "the run never took the lock");
        std::thread::sleep(Duration::from_millis(1));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(std::fs::read_to_string(&lock).unwrap().trim(), child.id().to_string(), "the killed holder's id is still written");
    wd.sakip(&run_args(two.to_str().unwrap(), w, p)).expect_code(0);
    assert!(snapshot_files(&warehouse) == ref_two);
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

/// Runs `script` with `sh` in new user and mount namespaces, so it may mount
/// a small tmpfs or a read-only bind mount that only it sees, as any user.
/// `SAKIP` names the binary; `vars` are more environment variables. The
/// script's own failure to mount is a test failure, never a skip.
fn in_own_mounts(wd: &Workdir, script: &str, vars: &[(&str, &std::path::Path)]) -> std::process::Output {
    let mut cmd = Command::new("unshare");
    cmd.args(["--user", "--map-root-user", "--mount", "sh", "-c", script]).current_dir(wd.path()).env("SAKIP", env!("CARGO_BIN_EXE_sakip"));
    for (k, v) in vars {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("unshare (util-linux) runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(97), "this test needs user and mount namespaces (`unshare -rm` could not mount): {stderr}");
    out
}

/// Bytes a folder's files take on a tmpfs: each rounded up to a page.
fn tmpfs_bytes(dir: &std::path::Path) -> u64 {
    let mut total = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let meta = e.metadata().unwrap();
            if meta.is_dir() {
                stack.push(e.path());
            }
            total += meta.len().div_ceil(4096) * 4096;
        }
    }
    total
}

/// A generated inbox and the pipeline, run once into `warehouse/`: returns
/// the inbox, the pipeline, the warehouse and its published snapshot's files.
fn published(wd: &Workdir) -> (PathBuf, PathBuf, PathBuf, Vec<(String, Vec<u8>)>) {
    let inbox = inbox(wd);
    let pipeline = repo().join("pipelines/national-history.toml");
    let warehouse = wd.path().join("warehouse");
    wd.sakip(&run_args(inbox.to_str().unwrap(), warehouse.to_str().unwrap(), pipeline.to_str().unwrap())).expect_code(0);
    let before = snapshot_files(&warehouse);
    (inbox, pipeline, warehouse, before)
}

/// The exit code and standard error a script's `sakip run` left in
/// `code.txt` and `stderr.txt`.
fn script_run(wd: &Workdir) -> (String, String) {
    let read = |name: &str| std::fs::read_to_string(wd.path().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    (read("code.txt").trim().to_string(), read("stderr.txt"))
}

#[test]
fn a_full_disk_ends_the_run_with_exit_2_and_keeps_the_previous_snapshot() {
    let wd = Workdir::new("full_disk");
    let (inbox, pipeline, warehouse, before) = published(&wd);

    // The warehouse on a tmpfs with room for yesterday's snapshot and a
    // fifth of a new one. Tonight's rebuild fills it; then the operator
    // frees space and the next run completes. `after/` and `recovered/` carry
    // the tmpfs's state out of the namespace after each run.
    let room = tmpfs_bytes(&warehouse) + 32 * 4096;
    let script = r#"
        mkdir -p disk && mount -t tmpfs -o size=$ROOM none disk || exit 97
        cp -a "$WAREHOUSE" disk/warehouse || exit 96
        "$SAKIP" run "$PIPELINE" --inbox "$INBOX" --warehouse disk/warehouse --full 2>stderr.txt
        echo $? > code.txt
        cp -a disk/warehouse after
        mount -o remount,size=64m disk || exit 97
        "$SAKIP" run "$PIPELINE" --inbox "$INBOX" --warehouse disk/warehouse --full >/dev/null 2>&1
        echo $? > code-next.txt
        cp -a disk/warehouse recovered
    "#;
    let out = in_own_mounts(&wd, &script.replace("$ROOM", &room.to_string()), &[("WAREHOUSE", &warehouse), ("PIPELINE", &pipeline), ("INBOX", &inbox)]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let (code, err) = script_run(&wd);
    assert_eq!(code, "2", "{err}");
    assert!(err.contains("disk/warehouse/") && err.contains("No space left on device"), "the message names the file and the cause: {err}");
    assert_eq!(err.matches("No space left on device").count(), 1, "the cause is said once: {err}");
    let after = wd.path().join("after");
    assert!(snapshot_files(&after) == before, "the previous snapshot is still what readers see");
    let leftovers: Vec<_> = std::fs::read_dir(&after).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n.to_string_lossy().starts_with(".staging")).collect();
    assert!(leftovers.is_empty(), "the failed run gave its space back: {leftovers:?}");
    wd.sakip(&["rank", "--warehouse", after.to_str().unwrap(), "--year", "2024", "--top", "1"]).expect_code(0);

    // With space again, the next run publishes tonight's snapshot.
    assert_eq!(std::fs::read_to_string(wd.path().join("code-next.txt")).unwrap().trim(), "0");
    let recovered = wd.path().join("recovered");
    assert!(current(&recovered) != current(&after), "a new snapshot was published");
    assert!(snapshot_files(&recovered) == before, "same inbox, same tables");
}

#[test]
fn a_read_only_warehouse_ends_the_run_with_exit_2_and_keeps_the_previous_snapshot() {
    let wd = Workdir::new("read_only");
    let (inbox, pipeline, warehouse, before) = published(&wd);
    let w = warehouse.to_str().unwrap();

    let script = r#"
        mount --bind "$WAREHOUSE" "$WAREHOUSE" && mount -o remount,bind,ro "$WAREHOUSE" || exit 97
        "$SAKIP" run "$PIPELINE" --inbox "$INBOX" --warehouse "$WAREHOUSE" --full 2>stderr.txt
        echo $? > code.txt
        "$SAKIP" rank --warehouse "$WAREHOUSE" --year 2024 --top 1 > rank.txt
    "#;
    let out = in_own_mounts(&wd, script, &[("WAREHOUSE", &warehouse), ("PIPELINE", &pipeline), ("INBOX", &inbox)]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (code, err) = script_run(&wd);
    assert_eq!(code, "2", "{err}");
    assert!(err.contains(w) && err.contains("Read-only file system"), "the message names the path and the cause: {err}");
    assert!(std::fs::read_to_string(wd.path().join("rank.txt")).unwrap().contains("rank"), "readers still read the warehouse");
    assert!(snapshot_files(&warehouse) == before);
}
