//! The hot paths after parsing, on real data:
//!
//! - `score/worksheet`: one 88/2021 worksheet through `SheetBuilder` and
//!   `rollup` (exact rationals), per answer row;
//! - `score/year`: a whole year of `answers` (one file, every province)
//!   read with polars and scored, per answer row;
//! - `rank/history`: the polars ranking of every year of the warehouse
//!   (each with last year's standing), one query as `sakip run` makes it,
//!   per scored unit;
//! - `write/answers`: one year of answers written as Parquet with arrow-rs,
//!   per row.
//!
//! The warehouse is built once, before timing, by running the sample
//! pipeline's ingest and scoring into a temporary folder. Run with
//! `cargo bench --bench pipeline`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sakip::ingest::normalise::{normalise_file, SourceFile};
use sakip::rules::pipeline::{Overrides, Plan};
use sakip::score::rollup;
use sakip::score::units::{score_and_write, score_year};
use sakip::worksheet::SheetBuilder;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The sample pipeline writing into a fresh folder under `target/`.
fn plan() -> Plan {
    let warehouse = repo().join("target/bench-warehouse");
    let _ = std::fs::remove_dir_all(&warehouse);
    let overrides = Overrides { warehouse: Some(warehouse), ..Overrides::default() };
    Plan::load(&repo().join("pipelines/sample-ntt.toml"), &overrides).expect("sample pipeline")
}

fn warehouse_with_scores(plan: &Plan) {
    sakip::ingest::ingest(plan, None).expect("ingest");
    score_and_write(plan).expect("score");
}

fn benches(c: &mut Criterion) {
    let plan = plan();
    warehouse_with_scores(&plan);

    // One worksheet: Kota Kupang 2024, evaluator track, 80 answers.
    let rubric = &plan.evaluation_for(2024).expect("2024").rubric;
    let rows: Vec<(String, String)> = rubric.criteria.iter().map(|c| (c.code.clone(), "BB".to_string())).collect();
    let mut group = c.benchmark_group("score");
    group.measurement_time(Duration::from_secs(3)).sample_size(30);
    group.throughput(Throughput::Elements(rows.len() as u64));
    group.bench_function("worksheet", |b| {
        b.iter(|| {
            let mut sheet = SheetBuilder::new(rubric);
            for (i, (code, answer)) in rows.iter().enumerate() {
                sheet.add(i as u64, code, answer).expect("valid");
            }
            black_box(rollup(rubric, &sheet.finish()).expect("complete"))
        })
    });
    let year_rows = sakip::tables::scan_year(&plan.warehouse, sakip::tables::ANSWERS, 2024).expect("scan").collect().expect("read").height() as u64;
    group.throughput(Throughput::Elements(year_rows));
    group.bench_function("year", |b| b.iter(|| black_box(score_year(&plan, 2024).expect("scored"))));
    group.finish();

    let mut group = c.benchmark_group("rank");
    group.measurement_time(Duration::from_secs(3)).sample_size(20);
    let scores = || sakip::tables::scan(&plan.warehouse, sakip::tables::SCORES).expect("scores");
    let units = scores().collect().expect("read").height() as u64;
    group.throughput(Throughput::Elements(units));
    group.bench_function("history", |b| b.iter(|| black_box(sakip::rank::rankings(scores()).expect("plan").collect().expect("ranked"))));
    group.finish();

    // Writing one province-year of answers: the records of the 2024 sample.
    let mut records = Vec::new();
    for entry in std::fs::read_dir(repo().join("sample-data/inbox/2024")).expect("inbox") {
        let path = entry.expect("entry").path();
        let rel = format!("2024/{}", path.file_name().expect("name").to_string_lossy());
        let bytes = std::fs::read(&path).expect("read");
        let outcome = normalise_file(&plan, &SourceFile { rel, year: Some(2024), modified: 0 }, &bytes);
        records.extend(outcome.answers);
    }
    records.sort_by(|a, b| (&a.file.unit_code, a.track, a.criterion_index).cmp(&(&b.file.unit_code, b.track, b.criterion_index)));
    let refs: Vec<_> = records.iter().collect();
    let out: &Path = &plan.warehouse.join("bench-write/part-0.parquet");
    let mut group = c.benchmark_group("write");
    group.measurement_time(Duration::from_secs(3)).sample_size(30);
    group.throughput(Throughput::Elements(refs.len() as u64));
    group.bench_function("answers", |b| b.iter(|| sakip::ingest::warehouse::write_answers(out, &refs, rubric, &std::collections::BTreeMap::new()).expect("written")));
    group.finish();
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
