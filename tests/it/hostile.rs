//! Hostile and broken input: each file of the corpus under tests/hostile/.
//!
//! The whole corpus goes into one inbox year, together with what is too big
//! to keep in the repository (a file over the 64 MiB limit, a million empty
//! rows, more rows than `limits.max_rows`) and a symlink, all made here. One
//! `sakip ingest` must get through all of it — no panic, no abort — and give
//! every file the outcome in [`CORPUS`]: accepted with so many rows, or
//! refused with a rule and a reason a planner can act on. Nothing may go
//! missing, and the summary must reconcile.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use crate::table::{cell, table, Row};
use crate::util::{repo, Workdir};

/// What ingest must make of one file.
enum Outcome {
    /// Its unit's submission: `rows` answers read from it for `unit`, and
    /// these rows refused, each as (rule, part of the reason).
    Accepted { unit: &'static str, rows: u64, refused: &'static [(&'static str, &'static str)] },
    /// Refused whole: the rule, and a part of the reason.
    Refused(&'static str, &'static str),
}

use Outcome::{Accepted, Refused};

const NONE: &[(&str, &str)] = &[];
const NO_ROWS: &str = "the file has no answer rows";

/// Every file of tests/hostile/ (README.md describes each), then the files
/// this test makes.
const CORPUS: &[(&str, Outcome)] = &[
    // CSV that is not text, or not text in an encoding we read.
    ("empty.csv", Refused("empty", NO_ROWS)),
    ("bom-only.csv", Refused("empty", NO_ROWS)),
    ("whitespace-only.csv", Refused("empty", NO_ROWS)),
    ("header-only.csv", Refused("empty", NO_ROWS)),
    ("binary-garbage.csv", Refused("unreadable", "the file is binary, not CSV text")),
    ("workbook-named-csv.csv", Refused("unreadable", "the file is binary, not CSV text")),
    ("nul-bytes.csv", Refused("unreadable", "the file is binary, not CSV text: line 3 holds a NUL byte")),
    ("nul-padded.csv", Refused("unreadable", "the file ends in 4096 NUL bytes after line 6: it was damaged while being saved or copied")),
    ("not-utf8-not-1252.csv", Refused("unreadable", "the file is neither UTF-8 nor Windows-1252 text: byte 0x8D on line 5")),
    ("mixed-encoding.csv", Refused("unreadable", "byte 0xE9 on line 4 is not: it mixes encodings")),
    ("utf32.csv", Refused("unreadable", "the file is UTF-32 text")),
    ("utf16.csv", Accepted { unit: "5303", rows: 5, refused: NONE }),
    ("utf16be.csv", Accepted { unit: "5304", rows: 3, refused: NONE }),
    ("utf16-truncated.csv", Refused("unreadable", "the file starts as UTF-16LE text but is not valid UTF-16LE")),
    // CSV text with hostile content.
    ("long-line.csv", Accepted { unit: "5308", rows: 3, refused: &[("unreadable-row", "the 'catatan' cell is 100000 bytes long, over the pipeline's limit of 65536 bytes (limits.max_cell_bytes)")] }),
    ("one-huge-line.csv", Refused("missing-column", "required column 'criterion' not found")),
    ("duplicated-header.csv", Refused("duplicate-column", "the header has the column 'jawaban' twice (column 3 and column 4), so which one holds the answer is ambiguous")),
    ("duplicated-header-alias.csv", Accepted { unit: "5309", rows: 4, refused: NONE }),
    ("nama file dengan spasi.csv", Accepted { unit: "5301", rows: 4, refused: NONE }),
    ("berkas-ñ-é.csv", Accepted { unit: "5302", rows: 4, refused: NONE }),
    ("code-float-text.csv", Accepted { unit: "5307", rows: 3, refused: NONE }),
    ("code-other-province-float.csv", Refused("other-province", "unit 3301 (KPU Kabupaten Cilacap) is not a KPU unit of province 53")),
    ("code-dotted-lost-zero.csv", Refused("unknown-unit", "unit code '53.1' is not a Kemendagri code")),
    ("quote-never-closed.csv", Accepted { unit: "5314", rows: 3, refused: &[("unreadable-row", "a quoted cell opened on line 5 is never closed")] }),
    ("cr-line-ends.csv", Accepted { unit: "5316", rows: 3, refused: NONE }),
    ("csv-formula-injection.csv", Accepted { unit: "5319", rows: 3, refused: NONE }),
    // XLSX.
    ("xlsx-truncated.xlsx", Refused("unreadable", "not a readable XLSX workbook: the file is cut short")),
    ("xlsx-corrupted.xlsx", Refused("unreadable", "corrupt deflate stream")),
    ("xlsx-zip-bomb.xlsx", Refused("too-large", "over the pipeline's limit of 268435456 bytes (limits.max_unzipped_bytes); it was not unpacked")),
    ("xlsx-ratio-bomb.xlsx", Refused("unreadable", "far beyond what any spreadsheet compresses; it was not unpacked")),
    ("xlsx-shared-strings-count-lie.xlsx", Refused("unreadable", "its shared strings table claims 100000000000 strings")),
    ("xlsx-far-cell.xlsx", Accepted { unit: "5312", rows: 3, refused: NONE }),
    ("xlsx-million-empty-rows.xlsx", Refused("empty", NO_ROWS)),
    ("xls-named-xlsx.xlsx", Refused("unreadable", "it is an Excel 97–2003 workbook (.xls) or a password-protected one")),
    ("csv-named-xlsx.xlsx", Refused("unreadable", "it is text (perhaps CSV) with an .xlsx name")),
    ("formula-cells.xlsx", Accepted { unit: "5305", rows: 3, refused: NONE }),
    ("formula-no-cached-value.xlsx", Accepted { unit: "5317", rows: 2, refused: &[("unreadable-row", "cell holds a formula but no saved value for an answer"), ("unreadable-row", "cell holds a formula but no saved value for an answer")] }),
    ("date-as-code.xlsx", Accepted { unit: "5311", rows: 3, refused: &[("unreadable-row", "cell holds the date 2024-02-01 where a criterion code belongs")] }),
    ("code-lost-leading-zero.xlsx", Accepted { unit: "5306", rows: 3, refused: NONE }),
    ("code-dotted-number.xlsx", Accepted { unit: "5310", rows: 3, refused: NONE }),
    // Debug builds panic inside calamine on this reference (caught); release
    // builds wrap it past column XFD. Both end in these words.
    ("xlsx-bad-cell-reference.xlsx", Refused("unreadable", "the file is damaged or forged")),
    ("xlsx-wrapping-cell-reference.xlsx", Refused("unreadable", "the file is damaged or forged")),
    ("xlsx-encrypted-part.xlsx", Refused("unreadable", "its part 'xl/worksheets/sheet1.xml' is encrypted")),
    ("xlsx-no-sheets.xlsx", Refused("empty", NO_ROWS)),
    ("xlsx-two-jawaban-columns.xlsx", Refused("duplicate-column", "the header has the column 'Jawaban' twice (column D and column E)")),
    // The other workbook formats.
    ("ods-libreoffice.ods", Accepted { unit: "5320", rows: 3, refused: NONE }),
    ("ods-repeat-bomb.ods", Refused("too-large", "the workbook's sheets expand to 32800768 cells, more than the 4194304 this reader lays out; it was not expanded")),
    ("xls-handmade.xls", Accepted { unit: "5321", rows: 3, refused: NONE }),
    ("xls-dimensions-bomb.xls", Refused("too-large", "the workbook's sheets span 256000006 cells, more than the 4194304 this reader lays out; it was not read")),
    ("xlsx-named-xls.xls", Refused("unreadable", "not a readable XLS workbook: it is a ZIP archive, as an .xlsx or .ods is, under an .xls name")),
    ("xlsb-other-province.xlsb", Refused("other-province", "unit 3301 (KPU Kabupaten Cilacap) is not a KPU unit of province 53")),
    ("xlsb-zip-bomb.xlsb", Refused("too-large", "over the pipeline's limit of 268435456 bytes (limits.max_unzipped_bytes); it was not unpacked")),
    // JSON.
    ("json-deep-nesting.json", Refused("unreadable", "the JSON nests lists and objects more than 128 levels deep")),
    ("json-not-object.json", Refused("unreadable", "expected a JSON object with an 'answers' list, found a list")),
    ("json-truncated.json", Refused("unreadable", "not valid JSON: EOF while parsing")),
    ("json-mixed-elements.json", Accepted { unit: "5313", rows: 3, refused: &[("unreadable-row", "answer 3 is text, not an object"), ("unreadable-row", "'jawaban' must be text or a number, found a list")] }),
    ("json-utf16.json", Accepted { unit: "5318", rows: 3, refused: NONE }),
    ("json-long-string.json", Accepted { unit: "5315", rows: 2, refused: &[("unreadable-row", "over the pipeline's limit of 65536 bytes (limits.max_cell_bytes)")] }),
    ("json-huge-number.json", Refused("unreadable", "not valid JSON: number out of range")),
];

/// Made by this test rather than kept in the repository.
const GENERATED: &[(&str, Outcome)] = &[
    ("too-large.csv", Refused("too-large", "over the pipeline's limit of 67108864 bytes (limits.max_file_bytes); it was not read")),
    ("million-empty-rows.csv", Refused("empty", NO_ROWS)),
    ("too-many-rows.csv", Refused("too-large", "the file has more than 200000 answer rows, over the pipeline's limit (limits.max_rows)")),
    #[cfg(unix)]
    ("symlink-outside.csv", Refused("symlink", "a symbolic link: not followed")),
];

/// The corpus files on disk: everything in tests/hostile/ but its script
/// and README.
fn corpus_on_disk() -> BTreeSet<String> {
    let dir = repo().join("tests/hostile");
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "README.md" && n != "make_corpus.py" && !n.starts_with('.'))
        .collect()
}

/// Writes the generated files into `year_dir`; `outside` is a directory
/// outside the inbox for the symlink to point into.
fn generate(year_dir: &Path, outside: &Path) {
    // One byte over the default limits.max_file_bytes (64 MiB), as a sparse
    // file: the limit is checked from its size, before it is read.
    let big = std::fs::File::create(year_dir.join("too-large.csv")).unwrap();
    big.set_len((64 << 20) + 1).unwrap();
    let mut empty = std::io::BufWriter::new(std::fs::File::create(year_dir.join("million-empty-rows.csv")).unwrap());
    empty.write_all(b"kode_satker;kode_kriteria;jawaban\r\n").unwrap();
    for _ in 0..1_000_000 {
        empty.write_all(b";;\r\n").unwrap();
    }
    empty.flush().unwrap();
    let mut many = std::io::BufWriter::new(std::fs::File::create(year_dir.join("too-many-rows.csv")).unwrap());
    many.write_all(b"kode_satker,kode_kriteria,jawaban\n").unwrap();
    for _ in 0..200_001 {
        many.write_all(b"5321,1.1.1,A\n").unwrap();
    }
    many.flush().unwrap();
    #[cfg(unix)]
    {
        let target = outside.join("5321.csv");
        std::fs::write(&target, "kode_satker,kode_kriteria,jawaban\n5321,1.1.1,A\n").unwrap();
        std::os::unix::fs::symlink(&target, year_dir.join("symlink-outside.csv")).unwrap();
    }
    let _ = outside;
}

fn summary_count(out: &str, label: &str) -> u64 {
    let line = out.lines().find(|l| l.trim_start().starts_with(label)).unwrap_or_else(|| panic!("no '{label}' in\n{out}"));
    line.trim_start()[label.len()..].split_whitespace().next().unwrap().parse().unwrap()
}

#[test]
fn every_hostile_file_is_accepted_or_refused_with_a_reason() {
    let on_disk = corpus_on_disk();
    let listed: BTreeSet<String> = CORPUS.iter().map(|(n, _)| n.to_string()).collect();
    assert_eq!(on_disk, listed, "tests/hostile/ and CORPUS must list the same files");

    let wd = Workdir::new("hostile_corpus");
    let year_dir = wd.path().join("inbox/2024");
    std::fs::create_dir_all(&year_dir).unwrap();
    for name in &on_disk {
        std::fs::copy(repo().join("tests/hostile").join(name), year_dir.join(name)).unwrap();
    }
    let outside = wd.path().join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    generate(&year_dir, &outside);

    let warehouse = wd.path().join("warehouse");
    let pipeline = repo().join("pipelines/sample-ntt.toml");
    let inbox = wd.path().join("inbox");
    let run = wd.sakip(&["ingest", pipeline.to_str().unwrap(), "--inbox", inbox.to_str().unwrap(), "--warehouse", warehouse.to_str().unwrap()]);
    let out = run.stdout();
    assert_eq!(run.code(), 1, "refusals give exit code 1, nothing worse\n--- stdout\n{out}\n--- stderr\n{}", run.stderr());
    // Two workbooks make the spreadsheet library panic; the reader turns
    // that into their refusal, and the log says nothing of a panic.
    assert!(!run.stderr().contains("panicked"), "a caught panic was printed:\n{}", run.stderr());

    let (answers, rejects) = (table(&warehouse, "answers"), table(&warehouse, "rejects"));
    let from_rows = |rows: &[Row]| rows.iter().filter(|r| r["source_row"].is_some()).count() as u64;
    let (read_n, accepted, rejected) = (summary_count(&out, "rows read"), summary_count(&out, "rows accepted"), summary_count(&out, "rows rejected"));
    assert_eq!(accepted, from_rows(&answers), "accepted rows = answers with a source row");
    assert_eq!(rejected, from_rows(&rejects), "rejected rows = rejects with a source row");
    assert_eq!(read_n, accepted + rejected, "rows read = accepted + rejected\n{out}");

    let mut problems = Vec::new();
    for (name, outcome) in CORPUS.iter().chain(GENERATED) {
        let file = format!("2024/{name}");
        let its_answers: Vec<&Row> = answers.iter().filter(|r| cell(r, "source_file") == file).collect();
        let its_rejects: Vec<&Row> = rejects.iter().filter(|r| cell(r, "source_file") == file).collect();
        let shown = || its_rejects.iter().map(|r| format!("{} [{}] {}", cell(r, "rule"), cell(r, "scope"), cell(r, "reason"))).collect::<Vec<_>>();
        if its_answers.is_empty() && its_rejects.is_empty() {
            problems.push(format!("{name}: in neither answers nor rejects"));
            continue;
        }
        match outcome {
            Accepted { unit, rows, refused } => {
                let read_rows = its_answers.iter().filter(|r| r["source_row"].is_some()).count() as u64;
                if read_rows != *rows {
                    problems.push(format!("{name}: {read_rows} answer rows, expected {rows}; rejects: {:?}", shown()));
                }
                if let Some(r) = its_answers.iter().find(|r| cell(r, "unit_code") != *unit) {
                    problems.push(format!("{name}: an answer for unit {}, expected {unit}", cell(r, "unit_code")));
                }
                let mut left: Vec<&Row> = its_rejects.clone();
                for (rule, part) in *refused {
                    match left.iter().position(|r| cell(r, "rule") == *rule && cell(r, "scope") == "row" && cell(r, "reason").contains(part)) {
                        Some(i) => {
                            left.remove(i);
                        }
                        None => problems.push(format!("{name}: no {rule} row reject containing {part:?}; rejects: {:?}", shown())),
                    }
                }
                if !left.is_empty() {
                    problems.push(format!("{name}: unexpected rejects {:?}", left.iter().map(|r| cell(r, "reason")).collect::<Vec<_>>()));
                }
            }
            Refused(rule, part) => {
                if !its_answers.is_empty() {
                    problems.push(format!("{name}: refused, yet {} answers were written", its_answers.len()));
                }
                let fits = |r: &&Row| cell(r, "rule") == *rule && cell(r, "scope") == "file" && cell(r, "reason").contains(part);
                if !its_rejects.iter().all(fits) {
                    problems.push(format!("{name}: expected {rule}: …{part}…; got {:?}", shown()));
                }
            }
        }
    }
    // Every reject is something a person can read: no megabyte of a broken
    // line in a reason or value.
    for r in &rejects {
        let (reason, value) = (cell(r, "reason"), cell(r, "value"));
        if reason.chars().count() > 1000 || value.chars().count() > 100 {
            problems.push(format!("{}: reason of {} and value of {} characters", cell(r, "source_file"), reason.chars().count(), value.chars().count()));
        }
    }
    let files: BTreeSet<&str> = answers.iter().chain(&rejects).map(|r| cell(r, "source_file")).collect();
    let expected = CORPUS.len() + GENERATED.len();
    if files.len() != expected {
        problems.push(format!("{} files in answers ∪ rejects, expected {expected}: {files:?}", files.len()));
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}
