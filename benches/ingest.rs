//! The ingest hot path, one submission file at a time, per input format:
//!
//! - `parse/<format>`: `read_submission` alone (decode, find the columns,
//!   turn every answer row into text cells);
//! - `parse_validate/<format>`: `normalise_file`, which is what ingest runs
//!   per file: the parse above plus the checks against the registry and the
//!   rubric, producing answer and reject records.
//!
//! Throughput is in answer rows, so criterion reports rows per second. The
//! inputs are real files of the bundled NTT sample, read into memory before
//! timing so the disk plays no part. Run with `cargo bench --bench ingest`.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sakip::ingest::normalise::{normalise_file, SourceFile};
use sakip::ingest::read::{read_submission, Cells};
use sakip::rules::pipeline::{Overrides, Plan};

/// The evaluation year of every input (their folder).
const YEAR: i32 = 2024;

/// (benchmark name, file in `sample-data/inbox/2024/`): one per format.
const INPUTS: [(&str, &str); 5] = [
    ("csv_utf8", "5301-kupang.csv"),
    ("csv_cp1252_semicolon_crlf", "5316-nagekeo.csv"),
    ("csv_utf8_bom", "5302-timor-tengah-selatan.csv"),
    ("xlsx", "53-kpu-provinsi-ntt.xlsx"),
    ("json", "5371-kota-kupang.json"),
];

/// One input, loaded and checked before anything is timed.
struct Input {
    name: &'static str,
    /// As the inbox scan would name it: `2024/<file>`.
    source: SourceFile,
    bytes: Vec<u8>,
    /// Answer rows in the file.
    rows: u64,
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load_plan() -> Plan {
    let path = manifest_dir().join("pipelines/sample-ntt.toml");
    Plan::load(&path, &Overrides::default())
        .unwrap_or_else(|e| panic!("cannot load {}: {e}", path.display()))
}

/// Reads every input and makes sure it takes the real path: it parses, and
/// it is accepted with no rejects, so no benchmark times an error path.
fn load_inputs(plan: &Plan) -> Vec<Input> {
    let inbox = manifest_dir().join("sample-data/inbox");
    INPUTS
        .iter()
        .map(|&(name, file)| {
            let rel = format!("{YEAR}/{file}");
            let path = inbox.join(&rel);
            let bytes = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));

            let cells = Cells::new();
            let sub = read_submission(Path::new(&rel), &bytes, &cells)
                .unwrap_or_else(|e| panic!("{rel} does not parse: {e}"));
            assert!(sub.bad_rows.is_empty(), "{rel}: unreadable rows {:?}", sub.bad_rows);
            let rows = (sub.rows.len() + sub.bad_rows.len()) as u64;
            assert!(rows > 0, "{rel} has no answer rows");

            let source = SourceFile { rel: rel.clone(), year: Some(YEAR), modified: 0 };
            let outcome = normalise_file(plan, &source, &bytes);
            assert!(outcome.accepted, "{rel} is not accepted: {:?}", outcome.rejects);
            assert!(outcome.rejects.is_empty(), "{rel} has rejects: {:?}", outcome.rejects);
            assert_eq!(outcome.rows_read, rows, "{rel}: parse and parse+validate disagree on rows");

            Input { name, source, bytes, rows }
        })
        .collect()
}

fn ingest(c: &mut Criterion) {
    let plan = load_plan();
    let inputs = load_inputs(&plan);

    let mut parse = c.benchmark_group("parse");
    parse.measurement_time(Duration::from_secs(3)).sample_size(30);
    for input in &inputs {
        let path = Path::new(&input.source.rel);
        parse.throughput(Throughput::Elements(input.rows));
        parse.bench_function(input.name, |b| {
            b.iter(|| {
                let cells = Cells::new();
                black_box(read_submission(black_box(path), black_box(&input.bytes), &cells).map(|sub| sub.rows.len()))
            })
        });
    }
    parse.finish();

    let mut parse_validate = c.benchmark_group("parse_validate");
    parse_validate.measurement_time(Duration::from_secs(3)).sample_size(30);
    for input in &inputs {
        parse_validate.throughput(Throughput::Elements(input.rows));
        parse_validate.bench_function(input.name, |b| {
            b.iter(|| normalise_file(black_box(&plan), black_box(&input.source), black_box(&input.bytes)))
        });
    }
    parse_validate.finish();
}

criterion_group!(benches, ingest);
criterion_main!(benches);
