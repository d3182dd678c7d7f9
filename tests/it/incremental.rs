//! Incremental runs equal full rebuilds, over random sequences of added,
//! changed and removed submissions.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use crate::table::{current, snapshot_files};
use crate::util::{copy_dir, repo, Workdir};

#[derive(Debug, Clone)]
enum Op {
    /// Put a submission in (the first version if absent, else unchanged).
    Add(usize),
    /// Replace a submission with the other version (adds it if absent).
    Change(usize),
    /// Take a submission out.
    Remove(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![(0..14usize).prop_map(Op::Add), (0..14usize).prop_map(Op::Change), (0..14usize).prop_map(Op::Remove)]
}

/// Two versions of every submission of Gorontalo (7 units) for 2023–2024.
fn pools(wd: &Workdir) -> (PathBuf, PathBuf, Vec<String>) {
    let p = repo().join("pipelines/national-history.toml");
    let mut out = Vec::new();
    for (name, seed) in [("pool-a", "1"), ("pool-b", "2")] {
        let dir = wd.path().join(name);
        wd.sakip(&["gen", "--pipeline", p.to_str().unwrap(), "--out", dir.to_str().unwrap(), "--years", "2023-2024", "--provinces", "75", "--seed", seed]).expect_code(0);
        out.push(dir);
    }
    let mut files: Vec<String> = Vec::new();
    for year in ["2023", "2024"] {
        for e in std::fs::read_dir(out[0].join(year)).unwrap() {
            files.push(format!("{year}/{}", e.unwrap().file_name().to_string_lossy()));
        }
    }
    files.sort();
    assert_eq!(files.len(), 14);
    (out[0].clone(), out[1].clone(), files)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]

    #[test]
    fn incremental_runs_equal_full_rebuilds(initial in proptest::collection::vec(any::<bool>(), 14), ops in proptest::collection::vec(op(), 1..5)) {
        let wd = Workdir::new("incremental_runs_equal_full_rebuilds");
        let (a, b, files) = pools(&wd);
        let inbox = wd.path().join("inbox");
        for (f, keep) in files.iter().zip(&initial) {
            if *keep {
                std::fs::create_dir_all(inbox.join(f).parent().unwrap()).unwrap();
                std::fs::copy(a.join(f), inbox.join(f)).unwrap();
            }
        }
        std::fs::create_dir_all(&inbox).unwrap();
        let pipeline = repo().join("pipelines/national-history.toml");
        let (p, i) = (pipeline.to_str().unwrap().to_string(), inbox.to_str().unwrap().to_string());
        let incremental = wd.path().join("incremental");
        let full = wd.path().join("full");
        let run = |warehouse: &Path, extra: &[&str]| {
            let mut args = vec!["run", p.as_str(), "--inbox", i.as_str(), "--warehouse", warehouse.to_str().unwrap()];
            args.extend_from_slice(extra);
            let r = wd.sakip(&args);
            assert!(r.code() == 0 || r.code() == 1, "{}", r.stderr());
        };
        run(&incremental, &[]);
        for op in &ops {
            match *op {
                Op::Add(k) => {
                    let target = inbox.join(&files[k]);
                    if !target.exists() {
                        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                        std::fs::copy(a.join(&files[k]), &target).unwrap();
                    }
                }
                Op::Change(k) => {
                    let target = inbox.join(&files[k]);
                    let source = if target.exists() && std::fs::read(&target).unwrap() == std::fs::read(b.join(&files[k])).unwrap() { &a } else { &b };
                    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                    std::fs::copy(source.join(&files[k]), &target).unwrap();
                }
                Op::Remove(k) => {
                    let _ = std::fs::remove_file(inbox.join(&files[k]));
                }
            }
            run(&incremental, &[]);
            let _ = std::fs::remove_dir_all(&full);
            run(&full, &["--full"]);
            prop_assert!(snapshot_files(&incremental) == snapshot_files(&full), "after {op:?} the incremental snapshot differs from a full rebuild");
        }
    }
}

#[test]
fn an_unchanged_year_is_linked_not_reread() {
    let wd = Workdir::new("an_unchanged_year_is_linked_not_reread");
    let (a, _, _) = pools(&wd);
    let inbox = wd.path().join("inbox");
    copy_dir(&a, &inbox);
    let pipeline = repo().join("pipelines/national-history.toml");
    let warehouse = wd.path().join("warehouse");
    let args = ["run", pipeline.to_str().unwrap(), "--inbox", inbox.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()];
    wd.sakip(&args).expect_code(0);
    let first = current(&warehouse).canonicalize().unwrap();
    // Touch only 2024: remove one file.
    let gone = std::fs::read_dir(inbox.join("2024")).unwrap().next().unwrap().unwrap().path();
    std::fs::remove_file(gone).unwrap();
    wd.sakip(&args).expect_code(0);
    let second = current(&warehouse).canonicalize().unwrap();
    assert_ne!(first, second);
    use std::os::unix::fs::MetadataExt;
    let inode = |root: &Path, rel: &str| std::fs::metadata(root.join(rel)).unwrap().ino();
    let y2023 = "answers/year=2023/part-0.parquet";
    let y2024 = "answers/year=2024/part-0.parquet";
    assert_eq!(inode(&first, y2023), inode(&second, y2023), "2023 unchanged: the same file");
    assert_ne!(inode(&first, y2024), inode(&second, y2024), "2024 changed: written anew");
}

#[test]
fn scores_and_rankings_of_unchanged_years_are_linked_and_last_years_change_reranks() {
    let wd = Workdir::new("scores_and_rankings_of_unchanged_years_are_linked");
    let (a, b, _) = pools(&wd);
    let inbox = wd.path().join("inbox");
    copy_dir(&a, &inbox);
    let pipeline = repo().join("pipelines/national-history.toml");
    let warehouse = wd.path().join("warehouse");
    let args = ["run", pipeline.to_str().unwrap(), "--inbox", inbox.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()];
    use std::os::unix::fs::MetadataExt;
    let inode = |root: &Path, table: &str, year: i32| std::fs::metadata(root.join(format!("{table}/year={year}/part-0.parquet"))).unwrap().ino();
    let review = |root: &Path, file: &str| std::fs::metadata(root.join("review/2024/75").join(file)).unwrap().ino();
    wd.sakip(&args).expect_code(0);
    let zeroth = current(&warehouse).canonicalize().unwrap();

    // Nothing changes: every table and the review are last night's files.
    let first_run = wd.sakip(&args).expect_code(0).stdout();
    let first = current(&warehouse).canonicalize().unwrap();
    assert_ne!(zeroth, first, "a new snapshot");
    for table in ["scores", "component_scores", "rankings", "component_rankings"] {
        for year in [2023, 2024] {
            assert_eq!(inode(&zeroth, table, year), inode(&first, table, year), "{table} {year}");
        }
    }
    for file in ["review.html", "review.xlsx", "ranking.csv"] {
        assert_eq!(review(&zeroth, file), review(&first, file), "{file}");
    }

    // Only 2024 changes: 2023 keeps its scores and both its rankings; 2024
    // is scored and ranked anew.
    let changed = std::fs::read_dir(inbox.join("2024")).unwrap().next().unwrap().unwrap().file_name();
    std::fs::copy(b.join("2024").join(&changed), inbox.join("2024").join(&changed)).unwrap();
    let second_run = wd.sakip(&args).expect_code(0).stdout();
    let second = current(&warehouse).canonicalize().unwrap();
    for table in ["scores", "component_scores", "rankings", "component_rankings"] {
        assert_eq!(inode(&first, table, 2023), inode(&second, table, 2023), "{table} 2023 unchanged: the same file");
        assert_ne!(inode(&first, table, 2024), inode(&second, table, 2024), "{table} 2024 changed: written anew");
    }
    // The summary's grade counts of a linked year are the same as when it
    // was scored.
    let line_2023 = |out: &str| out.lines().find(|l| l.trim_start().starts_with("2023:") && l.contains("units scored")).map(str::to_string);
    assert!(line_2023(&first_run).is_some());
    assert_eq!(line_2023(&first_run), line_2023(&second_run));

    // Only 2023 changes: 2024's scores and component ranking are linked, but
    // its ranking shows last year's standing, so it is computed again.
    let changed = std::fs::read_dir(inbox.join("2023")).unwrap().next().unwrap().unwrap().file_name();
    std::fs::copy(b.join("2023").join(&changed), inbox.join("2023").join(&changed)).unwrap();
    wd.sakip(&args).expect_code(0);
    let third = current(&warehouse).canonicalize().unwrap();
    assert_eq!(inode(&second, "scores", 2024), inode(&third, "scores", 2024));
    assert_eq!(inode(&second, "component_rankings", 2024), inode(&third, "component_rankings", 2024));
    assert_ne!(inode(&second, "rankings", 2024), inode(&third, "rankings", 2024), "2024's ranking carries 2023's scores");
    assert_ne!(inode(&second, "scores", 2023), inode(&third, "scores", 2023));
    assert_ne!(review(&second, "review.html"), review(&third, "review.html"), "the review shows last year's standing");

    // And all of it is what a full rebuild gives.
    let full = wd.path().join("full");
    let full_args = ["run", pipeline.to_str().unwrap(), "--inbox", inbox.to_str().unwrap(), "--warehouse", full.to_str().unwrap(), "--full"];
    wd.sakip(&full_args).expect_code(0);
    assert!(snapshot_files(&warehouse) == snapshot_files(&full));
}
