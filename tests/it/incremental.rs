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
    /// Change one evaluator answer of a submission without changing its
    /// size, then put its modification time back (as `touch -r`, `cp -p`,
    /// `rsync -t` or unpacking an archive do).
    SameSizeOldTime(usize),
    /// Move a submission to the other year folder (if free there).
    Move(usize),
    /// Rename a unit in the registry (its name is in every answer row).
    Registry,
    /// Rename a component in the 88/2021 rubric (its name is in
    /// `component_scores`).
    Rubric,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => (0..14usize).prop_map(Op::Add),
        2 => (0..14usize).prop_map(Op::Change),
        2 => (0..14usize).prop_map(Op::Remove),
        3 => (0..14usize).prop_map(Op::SameSizeOldTime),
        2 => (0..14usize).prop_map(Op::Move),
        1 => Just(Op::Registry),
        1 => Just(Op::Rubric),
    ]
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

/// Changes the answer of the first evaluator row answered with one letter
/// (`…,evaluator,<criterion>,B`) to another letter of the scale: the file
/// keeps its size, its score changes. Then restores its modification time.
fn same_size_old_time(path: &Path) {
    let before = std::fs::metadata(path).unwrap();
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let row = lines.iter().position(|l| l.contains(",evaluator,") && l.rsplit(',').next().is_some_and(|a| a.len() == 1)).expect("an evaluator row with a one-letter answer");
    let (head, answer) = lines[row].rsplit_once(',').unwrap();
    let other = if answer == "A" { "E" } else { "A" };
    lines[row] = format!("{head},{other}");
    let new = lines.join("\n") + if text.ends_with('\n') { "\n" } else { "" };
    assert_eq!(new.len(), text.len());
    std::fs::write(path, new).unwrap();
    let f = std::fs::File::options().write(true).open(path).unwrap();
    f.set_modified(before.modified().unwrap()).unwrap();
    assert_eq!(std::fs::metadata(path).unwrap().modified().unwrap(), before.modified().unwrap());
}

/// Flips `from` to `to` in a file, or back when `to` is already there.
fn toggle(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let new = if text.contains(to) { text.replacen(to, from, 1) } else { text.replacen(from, to, 1) };
    assert_ne!(text, new, "{} holds {from:?}", path.display());
    std::fs::write(path, new).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 10, ..ProptestConfig::default() })]

    #[test]
    fn incremental_runs_equal_full_rebuilds(initial in proptest::collection::vec(any::<bool>(), 14), ops in proptest::collection::vec(op(), 1..7)) {
        let wd = Workdir::new("incremental_runs_equal_full_rebuilds");
        let (a, b, files) = pools(&wd);
        // The rules are a copy, so the test can change a rule file and the
        // registry: the registry path is relative to the pipeline file.
        copy_dir(&repo().join("pipelines"), &wd.path().join("rules/pipelines"));
        copy_dir(&repo().join("sample-data/wilayah"), &wd.path().join("rules/sample-data/wilayah"));
        let inbox = wd.path().join("inbox");
        for (f, keep) in files.iter().zip(&initial) {
            if *keep {
                std::fs::create_dir_all(inbox.join(f).parent().unwrap()).unwrap();
                std::fs::copy(a.join(f), inbox.join(f)).unwrap();
            }
        }
        std::fs::create_dir_all(&inbox).unwrap();
        let pipeline = wd.path().join("rules/pipelines/national-history.toml");
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
                Op::SameSizeOldTime(k) => {
                    let target = inbox.join(&files[k]);
                    if !target.exists() {
                        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
                        std::fs::copy(a.join(&files[k]), &target).unwrap();
                        run(&incremental, &[]);
                    }
                    same_size_old_time(&target);
                }
                Op::Move(k) => {
                    let (year, name) = files[k].split_once('/').unwrap();
                    let other = if year == "2023" { "2024" } else { "2023" };
                    let (from, to) = (inbox.join(&files[k]), inbox.join(other).join(name));
                    if from.exists() && !to.exists() {
                        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
                        std::fs::rename(&from, &to).unwrap();
                    }
                }
                Op::Registry => toggle(&wd.path().join("rules/sample-data/wilayah/regencies.csv"), "Kabupaten Gorontalo\n", "Kabupaten Gorontalo Lama\n"),
                Op::Rubric => toggle(&wd.path().join("rules/pipelines/rubrics/permenpanrb-88-2021.toml"), "name = \"Perencanaan Kinerja\"", "name = \"Perencanaan Kinerja Baru\""),
            }
            run(&incremental, &[]);
            let _ = std::fs::remove_dir_all(&full);
            run(&full, &["--full"]);
            prop_assert!(snapshot_files(&incremental) == snapshot_files(&full), "after {op:?} the incremental snapshot differs from a full rebuild");
        }
    }
}

/// The case the old ledger missed (size and modification time alone): a
/// resubmitted file with the same size and its old modification time.
#[test]
fn a_same_size_change_with_its_old_modification_time_is_read_again() {
    let wd = Workdir::new("a_same_size_change_with_its_old_modification_time");
    let (a, _, files) = pools(&wd);
    let inbox = wd.path().join("inbox");
    copy_dir(&a, &inbox);
    let pipeline = repo().join("pipelines/national-history.toml");
    let (incremental, full) = (wd.path().join("incremental"), wd.path().join("full"));
    let args = |w: &Path| vec!["run".to_string(), pipeline.display().to_string(), "--inbox".into(), inbox.display().to_string(), "--warehouse".into(), w.display().to_string()];
    let run = |w: &Path, extra: &[&str]| {
        let mut a = args(w);
        a.extend(extra.iter().map(|s| s.to_string()));
        wd.sakip(&a.iter().map(String::as_str).collect::<Vec<_>>()).expect_code(0).stdout()
    };
    run(&incremental, &[]);
    let target = inbox.join(files.iter().find(|f| f.starts_with("2024/")).unwrap());
    same_size_old_time(&target);
    let out = run(&incremental, &[]);
    run(&full, &["--full"]);
    assert!(snapshot_files(&incremental) == snapshot_files(&full), "the edited file was not read again:\n{out}");
    // Restoring the same bytes under a new inode (a backup put back) is
    // recognised by hash: nothing changes and 2024 is linked again.
    let first = current(&incremental).canonicalize().unwrap();
    let bytes = std::fs::read(&target).unwrap();
    let modified = std::fs::metadata(&target).unwrap().modified().unwrap();
    std::fs::remove_file(&target).unwrap();
    std::fs::write(&target, bytes).unwrap();
    std::fs::File::options().write(true).open(&target).unwrap().set_modified(modified).unwrap();
    run(&incremental, &[]);
    let second = current(&incremental).canonicalize().unwrap();
    use std::os::unix::fs::MetadataExt;
    let inode = |root: &Path| std::fs::metadata(root.join("answers/year=2024/part-0.parquet")).unwrap().ino();
    assert_eq!(inode(&first), inode(&second), "same bytes: the year is linked, not rebuilt");
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

/// A resubmission in one province leaves the other provinces' reviews as
/// they were: their files are last night's (the same inodes), the changed
/// province's are written anew, and the snapshot is what a full rebuild
/// gives. A change of rules takes nothing over, even where the rows are
/// the same.
#[test]
fn a_resubmission_rewrites_only_its_provinces_review() {
    let wd = Workdir::new("a_resubmission_rewrites_only_its_provinces_review");
    let p = repo().join("pipelines/national-history.toml");
    // Gorontalo (75) and West Sulawesi (76), 2024, two versions.
    let pool = |name: &str, seed: &str| {
        let dir = wd.path().join(name);
        wd.sakip(&["gen", "--pipeline", p.to_str().unwrap(), "--out", dir.to_str().unwrap(), "--years", "2024-2024", "--provinces", "75,76", "--seed", seed]).expect_code(0);
        dir
    };
    let (a, b) = (pool("pool-a", "1"), pool("pool-b", "2"));
    copy_dir(&repo().join("pipelines"), &wd.path().join("rules/pipelines"));
    copy_dir(&repo().join("sample-data/wilayah"), &wd.path().join("rules/sample-data/wilayah"));
    let pipeline = wd.path().join("rules/pipelines/national-history.toml");
    let inbox = wd.path().join("inbox");
    copy_dir(&a, &inbox);
    let warehouse = wd.path().join("warehouse");
    let args = ["run", pipeline.to_str().unwrap(), "--inbox", inbox.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()];
    use std::os::unix::fs::MetadataExt;
    let review = |root: &Path, province: &str, file: &str| std::fs::metadata(root.join("review/2024").join(province).join(file)).unwrap().ino();
    let unit_files = |root: &Path, province: &str| -> Vec<(String, u64)> {
        let dir = root.join("review/2024").join(province).join("units");
        let mut out: Vec<(String, u64)> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap()).map(|e| (e.file_name().to_string_lossy().into_owned(), e.metadata().unwrap().ino())).collect();
        out.sort();
        out
    };
    wd.sakip(&args).expect_code(0);
    let first = current(&warehouse).canonicalize().unwrap();

    // One unit of West Sulawesi (76xx) resubmits.
    let changed = std::fs::read_dir(inbox.join("2024")).unwrap().map(|e| e.unwrap().file_name()).find(|n| n.to_string_lossy().starts_with("76")).expect("a 76 submission");
    std::fs::copy(b.join("2024").join(&changed), inbox.join("2024").join(&changed)).unwrap();
    wd.sakip(&args).expect_code(0);
    let second = current(&warehouse).canonicalize().unwrap();
    for file in ["review.html", "review.xlsx", "ranking.csv"] {
        assert_eq!(review(&first, "75", file), review(&second, "75", file), "75 {file}: taken over");
        assert_ne!(review(&first, "76", file), review(&second, "76", file), "76 {file}: written anew");
    }
    assert!(!unit_files(&first, "75").is_empty());
    assert_eq!(unit_files(&first, "75"), unit_files(&second, "75"), "75's unit results: taken over");
    let full = wd.path().join("full");
    let full_args = ["run", pipeline.to_str().unwrap(), "--inbox", inbox.to_str().unwrap(), "--warehouse", full.to_str().unwrap(), "--full"];
    wd.sakip(&full_args).expect_code(0);
    assert!(snapshot_files(&warehouse) == snapshot_files(&full), "the incremental snapshot differs from a full rebuild");

    // The registry renames a province: a rule change that leaves every
    // table's rows as they were but not the review (its title names the
    // province), so nothing may be taken over.
    toggle(&wd.path().join("rules/sample-data/wilayah/provinces.csv"), "76,Sulawesi Barat\n", "76,Sulawesi Barat Raya\n");
    wd.sakip(&args).expect_code(0);
    let third = current(&warehouse).canonicalize().unwrap();
    let page = std::fs::read_to_string(third.join("review/2024/76/review.html")).unwrap();
    assert!(page.contains("Sulawesi Barat Raya"), "the review names the province as the registry now does");
    for province in ["75", "76"] {
        assert_ne!(review(&second, province, "review.html"), review(&third, province, "review.html"), "{province}: written anew under the new rules");
    }
}
