//! `sakip gen`: the synthetic inbox is deterministic, realistic in shape,
//! and entirely accepted by ingest.

use crate::table::{cell, table};
use crate::util::{repo, Workdir};

fn files_of(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for year in std::fs::read_dir(dir).unwrap() {
        let year = year.unwrap().path();
        for f in std::fs::read_dir(&year).unwrap() {
            let f = f.unwrap().path();
            out.push((f.strip_prefix(dir).unwrap().display().to_string(), std::fs::read(&f).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn gen_is_deterministic_and_ingest_accepts_all_of_it() {
    let wd = Workdir::new("gen_is_deterministic_and_ingest_accepts_all_of_it");
    let pipeline = repo().join("pipelines/national-history.toml");
    let p = pipeline.to_str().unwrap();
    let mut snapshots = Vec::new();
    for (name, threads) in [("a", "1"), ("b", "2")] {
        let out = wd.path().join(name);
        let run = std::process::Command::new(env!("CARGO_BIN_EXE_sakip"))
            .args(["gen", "--pipeline", p, "--out", out.to_str().unwrap(), "--years", "2020-2023", "--provinces", "53,75", "--format", "mixed", "--scale", "2"])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
        // 23 NTT units + 7 Gorontalo units, 4 years, 2 copies.
        assert!(String::from_utf8_lossy(&run.stdout).starts_with("gen  240 files,"), "{}", String::from_utf8_lossy(&run.stdout));
        snapshots.push(files_of(&out));
    }
    assert!(snapshots[0] == snapshots[1], "the same arguments write the same bytes");
    let years: std::collections::BTreeSet<&str> = snapshots[0].iter().map(|(p, _)| p.split('/').next().unwrap()).collect();
    assert_eq!(years.into_iter().collect::<Vec<_>>(), ["2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023"]);

    let inbox = wd.path().join("a");
    let warehouse = wd.path().join("warehouse");
    let out = wd.sakip(&["run", p, "--inbox", inbox.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()]).expect_code(0).stdout();
    assert!(out.contains("files read            240   (240 accepted)"), "{out}");
    assert!(out.contains("rows rejected           0"), "{out}");
    // Self-assessment reads higher than the evaluator's on average.
    let scores = table(&warehouse, "scores");
    let mean = |track: &str| {
        let v: Vec<f64> = scores.iter().filter(|r| cell(r, "track") == track).map(|r| cell(r, "score").parse::<f64>().unwrap()).collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    assert!(mean("mandiri") > mean("evaluator") + 2.0, "mandiri {} vs evaluator {}", mean("mandiri"), mean("evaluator"));
}
